//! The network year: a demand-and-capacity simulation of a Primary Care Network,
//! and the comparison of a scenario with its baseline.
//!
//! A Primary Care Network of 30,000 to 50,000 people (`networks.md`) meets its
//! population's **demand** for care with the **capacity** of its team. England's
//! practices record about 5.3 appointments per registered patient a year, half with
//! GPs, 44 % on the day they are booked and 3 % more than four weeks ahead, 4.5 % not
//! attended (NHS Digital, Appointments in General Practice, July 2021 to June 2022);
//! about one person in eight who tries gets no appointment (GP Patient Survey). The
//! model books each request on the day (the duty list) or at a preferred lead time
//! into the slots a practice releases for that interval ([`AccessParameters`]); care
//! navigation passes a request a role cannot book to the next option, and a request
//! nobody can book goes to a pharmacy, NHS 111, an urgent treatment centre, A&E or
//! another service, or is withdrawn ([`Elsewhere`]). Capacity is appointments per
//! WTE a year. Thirteen figures are fitted to England's published ones, each naming
//! its target ([`calibration`]); every run can be put beside the published figures
//! of England or of the network's ICB ([`Validation`]). A real PCN is built from
//! the published lists by sex and age band and its own workforce file
//! ([`real_network`]). Frail people are admitted to hospital as emergencies far more
//! often (hazard ratios 1.93, 3.04 and 4.73 for mild, moderate and severe frailty:
//! Clegg et al., Age and Ageing 2016), and a third of emergency admissions are
//! zero-day stays (Health Foundation, 2018).
//!
//! The **Primary Care Home** model (National Association of Primary Care, 2015) and
//! the Network Contract DES change that balance: pharmacists, first contact
//! physiotherapists, link workers and care coordinators join the team; **direct
//! access** lets people see the physiotherapist or pharmacist without a GP first;
//! **social prescribing** connects people with a social problem to a link worker;
//! the 2 % of adults at highest risk get a **personal care and support plan**
//! (avoiding unplanned admissions enhanced service, 2014), whose effect on
//! admissions no controlled study has shown (Stokes et al., 2015): it is an
//! assumption with a range, and [`sensitivity`] runs every such assumption at both
//! ends of its range. This crate
//! simulates a network's financial year day by day under a [`Scenario`], and
//! compares scenarios over seeded replications with a confidence interval on every
//! difference ([`Comparison`]).
//!
//! Every figure is data ([`Parameters`], shipped as `data/parameters.json`), each
//! with its source or, where none was found, marked as an assumption with the
//! reason. The people come from `pcn-population` (its generator, eFI stratification
//! and cohort selection); the simulation counts them by [`Stratum`] (age band, frailty
//! band, care plan), which is exact because Poisson counts add. Every request that
//! arises is met, still waiting at year end, or unmet, checked on every pathway
//! ([`YearOutcome::check_conservation`]); every pound is spent on a [`Budget`] line by
//! month and posted into the network's unified budget, `pcn-budget`'s double-entry
//! ledger, with role reimbursement from its published rules ([`UnifiedBudget`]).
//! Capacity comes from `pcn-team`'s session patterns, and direct access, social
//! prescribing and referrals on are routed through `pcn-referral`'s pathway
//! catalogue (shipped as `data/catalogue.json`), whose target waits the outcomes are
//! measured against. Results depend only on the seed: each replication and network draws from
//! its own streams ([`RunId`]), so one thread or many give the same answer.
//!
//! # Example
//!
//! ```
//! use pcn_sim::{Comparison, NetworkInput, Parameters, Scenario, render_html};
//!
//! let parameters = Parameters::published()?;
//! let network = NetworkInput::synthetic("Riverside PCN", 20_000, 7, &parameters)?;
//! let baseline = Scenario::baseline();
//! let pch = Scenario::primary_care_home(&parameters);
//!
//! let comparison = Comparison::run(&network, &baseline, &pch, &parameters, 4, 2024)?;
//! let admissions = comparison.metric("emergency_admissions").and_then(|m| m.difference);
//! let freed = comparison.metric("gp_appointments_freed").and_then(|m| m.difference);
//! if let (Some(a), Some(f)) = (admissions, freed) {
//!     println!("{:.0} GP appointments freed; admissions change {:.0} ({:.0} to {:.0})",
//!         f.mean, a.mean, a.low, a.high);
//! }
//!
//! // Demand is conserved: met + queued + unmet = arisen.
//! let year = comparison.scenario_year();
//! assert_eq!(year.demand(), year.met() + year.queued_at_year_end() + year.unmet());
//!
//! // A self-contained HTML report with inline SVG charts.
//! let html = render_html(&comparison, &parameters)?;
//! assert!(html.starts_with("<!DOCTYPE html>"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! | item | what it is |
//! |---|---|
//! | [`Parameters`], [`Sourced`] | every figure with its basis (`pcn-team`'s `Basis`: a source, or the reason for an assumption) |
//! | [`Need`], [`Access`], [`RouteOption`] | what people come for, and the routes to the roles that meet it |
//! | [`NetworkInput`], [`Establishment`], [`PopulationCounts`], [`Stratum`], [`AgeBand`] | one network: its people and its staff |
//! | [`Scenario`], [`AddedStaff`] | the baseline, the Primary Care Home model, or your own |
//! | [`simulate_year`], [`RunId`] | one network's year, day by day |
//! | [`YearOutcome`], [`PathwayYear`], [`RoleYear`], [`WaitHistogram`], [`Budget`] | what the year produced |
//! | [`Comparison`], [`Estimate`], [`metrics`] | baseline against scenario with 95 % confidence intervals |
//! | [`simulate_networks`] | many networks (all of England) in parallel, summed |
//! | [`UnifiedBudget`] | the year posted into `pcn-budget`'s ledger: funding, spending, plan against actual |
//! | [`AccessParameters`], [`Elsewhere`], [`ElsewhereCounts`] | on the day or booked ahead, and where unbooked requests go |
//! | [`calibration`] | the fit to England's published appointment figures |
//! | [`Validation`], [`PublishedActivity`] | a year beside the published figures |
//! | [`real_network`], [`RealNetwork`] | a real PCN from the published files |
//! | [`deprivation`], [`NetworkDeprivation`], [`fit_deprivation`] | emergency admissions by the deprivation of the practices' patients |
//! | [`sensitivity`], [`Sensitivity`] | the headline differences at the ends of each assumption's range |
//! | [`render_html`], [`render_html_with`], [`write_html`], [`write_html_with`] | the report |
//!
//! Scale: a 50,000-patient network's year takes about 4 ms (7 ms under the Primary
//! Care Home scenario), a real PCN of 111,192 people with 20 replications of two
//! scenarios about 90 ms; England's 1,298 real networks and 63 million people
//! (drawn from their lists, stratified and simulated) about 4.6 s on 2 cores in
//! under 70 MB, since each network's people live only while its year is simulated
//! (`examples/england_year.rs`).

mod access;
mod budget;
pub mod calibration;
mod comparison;
pub mod deprivation;
mod engine;
mod error;
mod establishment;
mod need;
mod outcome;
mod parameters;
mod population;
mod real;
mod report;
mod run;
mod scenario;
mod sensitivity;
mod stratum;
mod unified_budget;
mod validation;

pub use access::{AccessParameters, DestinationShare, Elsewhere, ElsewhereCounts, IntervalValue};
pub use budget::{Budget, BudgetLine, CostLine};
pub use comparison::{
    Comparison, Estimate, Metric, MetricComparison, Unit, metrics, simulate_networks,
};
pub use deprivation::{
    DeprivationFit, DeprivationParameters, NetworkDeprivation, PracticeScores, ScoredPractice,
    fit_deprivation, scored_practices,
};
pub use engine::{NetworkInput, simulate_year};
pub use error::SimError;
pub use establishment::{Establishment, PRACTICE_ROLES};
pub use need::{Access, Need};
pub use outcome::{Pathway, PathwayYear, RoleYear, WaitHistogram, YearOutcome};
pub use parameters::{
    AgeValue, CarePlanParameters, CataloguePathway, NeedRoutes, NeedShare, Onward, Parameters,
    RoleParameters, RoleValue, RouteOption, Sourced, basis_text,
};
pub use population::{MAX_NETWORK_SIZE, PopulationCounts, StratumCount};
pub use real::{MemberPractice, RealNetwork, StaffLine, StaffSource, real_network, simulated_role};
pub use report::{
    ReportSections, escape_html, render_html, render_html_with, write_html, write_html_with,
};
pub use run::RunId;
pub use scenario::{AddedStaff, Scenario};
pub use sensitivity::{HEADLINES, Sensitivity, SensitivityRow, sensitivity};
pub use stratum::{AgeBand, ByFrailty, Stratum};
pub use unified_budget::{BudgetSummary, UnifiedBudget, emergency_care_service, purpose_of};
pub use validation::{
    INTERVALS, PublishedActivity, Validation, ValidationRow, appointments_by_interval,
    icb_of_sub_icb,
};
