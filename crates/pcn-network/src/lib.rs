//! Practices, networks and partners, effective-dated membership and the PCN formation
//! rules.
//!
//! Since 1 July 2019 England's GP practices have worked together in **Primary Care
//! Networks** (PCNs) under the Network Contract Directed Enhanced Service (DES): about
//! 7,000 practices in about 1,250 networks, each typically serving 30,000 to 50,000
//! registered patients. A PCN registers its member practices, a signed **Network
//! Agreement**, a named accountable **Clinical Director** and a **nominated payee**
//! through which its funding flows, and is expected to cover a geographically
//! contiguous area within one commissioner's footprint (NHS England PCN FAQs; BMA Law,
//! "PCN registration"; Health Foundation, "Understanding primary care networks").
//! Before PCNs, the National Association of Primary Care's **Primary Care Home**
//! sites (from 2015) grouped practices around the same size of population with
//! partners from community services, mental health, acute care, social care, the
//! voluntary sector, police and fire.
//!
//! Everything here is dated. A [`Practice`] opens and closes, moves commissioner and
//! has a monthly registered list size; it joins and leaves [`Network`]s and may merge
//! into another practice, whose list then takes on its patients. A practice is in
//! **one PCN at a time**: the [`Registry`] refuses any change that would break that,
//! names both networks and the overlapping dates in the error, and changes nothing.
//! The ODS ePCN file records each practice-to-PCN relationship with start and end
//! dates, which is what the registry holds ([`Membership`]).
//!
//! The formation rules are a report, not a yes or no: [`Registry::compliance`] gives
//! each [`Rule`] with pass, fail, "exception granted" or "not assessed", and the
//! figures behind it. The figures (a minimum of 30,000 patients, which the commissioner
//! may waive for "a natural community which has a low population density across a
//! large rural and remote area", DES 2019/20 para 3.2) are data keyed by contract year
//! ([`FormationRules`]), each with its source.
//!
//! # Example
//!
//! ```
//! use chrono::NaiveDate;
//! use pcn_core::DateRange;
//! use pcn_network::{
//!     ClinicalDirector, ComplianceOptions, Location, Network, NetworkAgreement, NominatedPayee,
//!     Outcome, Practice, PracticeStatus, Registry, Rule,
//! };
//!
//! let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
//! let mut registry = Registry::new();
//!
//! // Three practices with their lists and locations.
//! let mut add = |code: &str, list: u32, lat: f64| -> Result<_, Box<dyn std::error::Error>> {
//!     let mut p = Practice::new(code.parse()?, "Surgery", DateRange::starting(d(1974, 4, 1)), PracticeStatus::Active)?;
//!     p.set_commissioner(d(2020, 4, 1), "16C".parse()?);
//!     p.set_location(Some(Location::new(lat, -1.31)?));
//!     p.record_list_size(d(2021, 1, 1), list)?;
//!     Ok(registry.add_practice(p)?)
//! };
//! let a = add("A81001", 12_000, 54.56)?;
//! let b = add("A81002", 11_000, 54.57)?;
//! let c = add("A81004", 9_000, 54.58)?;
//!
//! // A PCN with its clinical director, agreement and payee.
//! let mut pcn = Network::pcn("U89141".parse()?, "Stockton PCN", DateRange::starting(d(2019, 7, 1)))?;
//! pcn.add_clinical_director(ClinicalDirector::new("Dr A Example", DateRange::starting(d(2019, 7, 1)))?);
//! pcn.set_agreement(Some(NetworkAgreement::new(d(2019, 5, 15), DateRange::starting(d(2019, 7, 1)))));
//! pcn.set_nominated_payee(Some(NominatedPayee::Practice("A81001".parse()?)));
//! pcn.set_commissioner(Some("16C".parse()?));
//! let pcn = registry.add_network(pcn)?;
//! for practice in [a, b, c] {
//!     registry.join(practice, pcn, DateRange::starting(d(2019, 7, 1)))?;
//! }
//!
//! // Queries on a date.
//! let day = d(2021, 6, 1);
//! assert_eq!(registry.pcn_of(b, day), Some(pcn));
//! assert_eq!(registry.population_on(pcn, day), 32_000);
//! assert_eq!(registry.members_on(pcn, day).count(), 3);
//!
//! // A merger moves the closing practice's list to its successor.
//! registry.merge(c, b, d(2021, 7, 1))?;
//! assert_eq!(registry.members_on(pcn, d(2021, 7, 1)).count(), 2);
//! assert_eq!(registry.population_on(pcn, d(2021, 7, 1)), 32_000);
//!
//! // The formation rules, with their figures.
//! let report = registry.compliance(pcn, d(2021, 7, 1), &ComplianceOptions::with_contiguity_distance_m(5_000))?;
//! assert!(report.checks.iter().all(|check| check.outcome == Outcome::Pass));
//! println!("{:?}", report.check(Rule::Population).map(|c| &c.figures));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! | type | what it is |
//! |---|---|
//! | [`Practice`] | a GP practice: ODS code, name, postcode, status and operating dates, commissioner and list size over time, [`Location`] |
//! | [`Network`] | a PCN, a Primary Care Home site or another neighbourhood network ([`NetworkKind`]), with [`ClinicalDirector`]s, [`NominatedPayee`], [`NetworkAgreement`], [`Partner`]s and [`RuleException`]s |
//! | [`Registry`] | practices, networks, [`Membership`]s and [`Merger`]s, with dense [`PracticeIndex`] / [`NetworkIndex`] indices for fast queries |
//! | [`Compliance`] | every [`Rule`] on a date: [`Outcome`], [`Figures`], source |
//! | [`FormationRules`] | the rule figures by contract year, with sources |
//! | [`Coverage`] | how much of a commissioner's registered population is in a PCN |

mod compliance;
mod error;
mod membership;
mod network;
mod population;
mod practice;
mod registry;
mod rules;

pub use compliance::{Compliance, ComplianceOptions, Figures, Outcome, Outlier, RuleCheck};
pub use error::NetworkError;
pub use network::{
    ClinicalDirector, Network, NetworkAgreement, NetworkKind, NominatedPayee, Partner, PartnerRole,
};
pub use pcn_core::{Location, Postcode};
pub use population::Coverage;
pub use practice::{Practice, PracticeStatus};
pub use registry::{Membership, Merger, NetworkIndex, PracticeIndex, Registry};
pub use rules::{ExceptionGround, Figure, FormationRules, Rule, RuleException};
