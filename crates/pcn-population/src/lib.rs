//! Population health for a Primary Care Network: who its patients are, who among
//! them is most at risk, the personal care and support plans made with them, and who
//! may see those plans.
//!
//! A network looks after everyone registered with its practices. To plan care
//! before people need a hospital, it **stratifies** that population: by frailty,
//! measured with the **electronic Frailty Index** (eFI: 36 equally weighted deficits
//! from the primary care record, score = deficits present / 36, banded fit, mild,
//! moderate and severe; Clegg et al., Age and Ageing 2016;45(3):353-360); by
//! **multimorbidity** (three or more long-term conditions); and by **age** (everyone
//! aged 75 and over has a named accountable GP; Transforming Primary Care, 2014). It
//! then selects a **cohort**, for example the top 2 % of adults by risk, as the
//! "avoiding unplanned admissions" enhanced service (2014) asked, and explains for
//! each person which factors put them there.
//!
//! Each person in the cohort gets a **personal care and support plan**: what matters
//! to them, their goals, actions with owners, review dates, consent, a named
//! accountable GP, a care coordinator and same-day telephone access when needed
//! (Transforming Primary Care, 2014). A plan may be read or changed by the person's
//! care team, by staff of their registered practice, and by network staff under a
//! recorded data sharing agreement; by nobody else. Every check says why, and every
//! access is logged.
//!
//! Stratification works on a compact 32-byte [`RiskProfile`] a person and runs on all
//! cores, so that England's 60 million registered patients can be stratified in
//! under two seconds on two cores (`benches/population.rs`). A seeded [`PopulationGenerator`] makes realistic synthetic
//! populations (Census 2021 age and sex structure, QOF condition prevalence, the
//! eFI's published frailty shares) for examples, tests and benches; its NHS numbers
//! come from the test range, which is never issued to a person.
//!
//! # Example
//!
//! ```
//! use chrono::NaiveDate;
//! use pcn_core::{CarePlanId, PracticeId, StaffId};
//! use pcn_population::{CarePlan, CohortPipeline, Consent, NewCarePlan, PopulationGenerator,
//!     Stratifier};
//!
//! let on = NaiveDate::from_ymd_opt(2024, 4, 1).unwrap();
//! let practices = [PracticeId::from_u128(1), PracticeId::from_u128(2)];
//! let patients = PopulationGenerator::england(7).patients(0..5_000, &practices, on)?;
//! let profiles = patients
//!     .iter()
//!     .map(|p| p.risk_profile(on))
//!     .collect::<Result<Vec<_>, _>>()?;
//!
//! let summary = Stratifier::default().summarise(&profiles);
//! println!("{} aged 75+ need a named accountable GP", summary.named_gp_required);
//!
//! let cohort = CohortPipeline::default().select(&profiles)?; // top 2 % of adults
//! assert_eq!(cohort.members().len() as u64, cohort.target());
//! let top = &cohort.members()[0];
//! println!("{} scored {}: {}", top.patient, top.score, top.explanation);
//!
//! let plan = CarePlan::new(NewCarePlan {
//!     id: CarePlanId::from_u128(1),
//!     patient: top.patient,
//!     created_on: on,
//!     what_matters: vec!["Staying at home".into()],
//!     goals: vec![],
//!     actions: vec![],
//!     review_on: NaiveDate::from_ymd_opt(2024, 7, 1).unwrap(),
//!     consent: Consent::NotRecorded,
//!     named_accountable_gp: StaffId::from_u128(10),
//!     care_coordinator: StaffId::from_u128(11),
//!     care_team: Default::default(),
//!     same_day_telephone_access: true,
//! })?;
//! assert!(plan.is_in_care_team(StaffId::from_u128(11)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! | item | what it is |
//! |---|---|
//! | [`Patient`], [`Sex`], [`HomeArea`] ([`Postcode`], [`SmallArea`]) | a registered patient |
//! | [`Condition`], [`ConditionSet`] | the curated long-term conditions, with SNOMED CT codes |
//! | [`FrailtyDeficit`], [`DeficitSet`], [`FrailtyIndex`], [`FrailtyBand`], [`FrailtyCutPoints`] | the eFI |
//! | [`RiskProfile`], [`Stratifier`], [`Stratum`], [`AgeBand`] | stratification at scale |
//! | [`CohortPipeline`], [`RiskWeights`], [`Cohort`], [`Explanation`] | cohort selection, explained |
//! | [`CarePlan`], [`NewCarePlan`], [`CareAction`], [`Goal`], [`Consent`] | personal care and support plans |
//! | [`AccessPolicy`], [`AccessControl`], [`AccessLog`], [`DataSharingAgreement`] | access control |
//! | [`PopulationGenerator`], [`GeneratorConfig`] | seeded synthetic populations |

mod access;
mod area;
mod care_plan;
mod cohort;
mod condition;
mod error;
mod frailty;
mod generator;
mod patient;
mod stratification;

pub use access::{
    AccessControl, AccessDecision, AccessKind, AccessLog, AccessLogEntry, AccessPolicy,
    AccessReason, AgreementScope, DataSharingAgreement, Workplace,
};
pub use area::{HomeArea, Postcode, SmallArea, SmallAreaKind};
pub use care_plan::{CareAction, CarePlan, Consent, Goal, NewCarePlan};
pub use cohort::{
    Cohort, CohortMember, CohortPipeline, CohortSize, Contribution, Explanation, RiskFactor,
    RiskWeights,
};
pub use condition::{Condition, ConditionSet, ConditionSource};
pub use error::PopulationError;
pub use frailty::{DeficitSet, FrailtyBand, FrailtyCutPoints, FrailtyDeficit, FrailtyIndex};
pub use generator::{
    AgeGradient, AgeGroup, ConditionPrevalence, GeneratorConfig, ListBand, PopulationGenerator,
};
pub use patient::{Patient, Sex};
pub use stratification::{
    AgeBand, RiskProfile, StratificationRules, StratificationSummary, Stratifier, Stratum,
};
