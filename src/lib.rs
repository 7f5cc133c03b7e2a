//! # pcn: integrated primary care, as libraries
//!
//! England's general practices work together in **Primary Care Networks** (PCNs):
//! about 7,000 GP practices in about 1,250 networks, each serving a defined population
//! of around 30,000 to 50,000 people, with partners from community services, social
//! care, mental health, the voluntary sector, police and fire. Around each population
//! works a **multidisciplinary team** (GPs, nurses, pharmacists, physiotherapists,
//! paramedics, social prescribing link workers, care coordinators and more), paid from
//! a **unified budget** pooled from several funding streams so that no funding flow
//! rewards pushing cost onto another provider. People reach the team through
//! **referral pathways** (GP referral, direct access and self-referral, social
//! prescribing), and the team finds the people most at risk in its **population**
//! (frailty, multimorbidity, age) to plan their care before they need a hospital.
//!
//! This crate is the facade of the workspace: it re-exports each domain crate as a
//! module. Applications depend on `pcn`, or on the single crates they need.
//!
//! | module | crate | what it holds |
//! |---|---|---|
//! | [`core`] | `pcn-core` | ODS codes, NHS numbers, money, financial years, timelines, WTE, roles, ids |
//! | [`network`] | `pcn-network` | practices, networks, partners, dated membership, formation rules |
//! | [`ods`] | `pcn-ods` | readers for the NHS ODS and list-size files |
//! | [`population`] | `pcn-population` | patients, risk stratification, care plans, access control |
//! | [`team`] | `pcn-team` | staff, skills, teams, caseloads, MDT meetings, capacity |
//! | [`budget`] | `pcn-budget` | the unified budget ledger and the entitlement rules by year |
//! | [`referral`] | `pcn-referral` | pathway catalogue, routing, lifecycle, waiting-time clocks |
//! | [`sim`] | `pcn-sim` | the network year: demand and capacity simulation |
//! | [`fhir`] | `pcn-fhir` | FHIR R4 / UK Core import and export |
//! | [`store`] | `pcn-store` | durable state: a hash-chained journal of the budget, referrals and access log on SQLite or PostgreSQL |
//!
//! # Example
//!
//! ```
//! use pcn::core::{Money, NhsNumber, OdsCode, UnitPrice};
//!
//! let practice: OdsCode = "A81001".parse()?;
//! let patient: NhsNumber = "9434765919".parse()?;
//! let core_funding = "£1.50".parse::<UnitPrice>()?.times(31_045)?;
//! assert_eq!(core_funding, "£46,567.50".parse::<Money>()?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub use pcn_budget as budget;
pub use pcn_core as core;
pub use pcn_fhir as fhir;
pub use pcn_network as network;
pub use pcn_ods as ods;
pub use pcn_population as population;
pub use pcn_referral as referral;
pub use pcn_sim as sim;
pub use pcn_store as store;
pub use pcn_team as team;

/// The README's code examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
