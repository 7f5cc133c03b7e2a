//! Referral pathways: the catalogue, routing, the referral lifecycle, waiting-time
//! clocks and social prescribing.
//!
//! People reach a Primary Care Network's team by **referral pathways**. A GP refers;
//! a patient refers themselves by **direct access** (all adults should be able to see
//! a first contact physiotherapist for a musculoskeletal problem without seeing a GP
//! first, NHS England); another member of the team refers (a clinical pharmacist to a
//! GP); a **social prescribing** link worker, after a "what matters to you"
//! conversation, connects the person to community groups and voluntary-sector
//! activities. Each pathway says who it is for (age, registration in the network, the
//! reason for referral or a condition, exclusions), where referrals go (a role or
//! clinic in the network, a community service, a voluntary activity, a hospital
//! specialty), with what priority (routine, urgent, or urgent suspected cancer, still
//! called the "two-week wait") and which waiting-time target applies. A **red flag**
//! (suspected cauda equina, cancer, fracture, infection) overrides the route: a
//! self-referral with a red flag goes to urgent GP review or a suspected-cancer
//! referral, never to the routine queue.
//!
//! Waiting times follow the published rules. Consultant-led and interface services
//! run the **18-week referral-to-treatment clock** of NHS England's rules suite
//! (October 2022 edition): the clock starts on referral (Rule 1) or a ratified
//! self-referral (Rule 2), stops at first definitive treatment (Rule 4) or a
//! non-treatment decision (Rule 5), is **nullified** by a clearly communicated
//! first-appointment DNA (Rule 5e), and has had no patient pauses since 1 October
//! 2015 ([`RttPathway`]). Urgent suspected-cancer referrals were measured by the
//! two-week wait until 30 September 2023 and by the 28-day Faster Diagnosis Standard
//! since ([`SuspectedCancerStandard`]). Community, direct-access and social
//! prescribing pathways have no national clock; they are measured by time to first
//! contact against a local target. Sources are cited on each item; the domain
//! reference is `referrals.md`.
//!
//! # Example
//!
//! ```
//! use chrono::NaiveDate;
//! use pcn_core::{PatientId, ReferralId, Role, SnomedCode, StaffId};
//! use pcn_referral::*;
//!
//! // A network's catalogue, checked and indexed once.
//! let catalogue = PathwayCatalogue::from_json(EXAMPLE_CATALOGUE)?;
//!
//! // A 47-year-old registered in the network refers herself with low back pain.
//! let date = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap();
//! let request = ReferralRequest {
//!     patient: PatientFacts {
//!         age: PatientAge::Years(47),
//!         registered_practice: None,
//!         registered_network: Some(catalogue.network()),
//!         conditions: vec![],
//!     },
//!     reason: SnomedCode::constant(279_039_007),
//!     route: EntryRoute::SelfReferral,
//!     date,
//!     red_flags: vec![],
//! };
//! let routed = catalogue.route(&request)?;
//! assert_eq!(routed.destination(), Destination::TeamRole { role: Role::FirstContactPhysiotherapist });
//!
//! // Her referral through its lifecycle: submitted, booked, seen, completed.
//! let at = |d: u32, h: u32| NaiveDate::from_ymd_opt(2024, 5, d).unwrap().and_hms_opt(h, 0, 0).unwrap();
//! let details = ReferralDetails::from_routed(ReferralId::from_u128(1), PatientId::from_u128(2), request.route, &routed);
//! let physio = Actor::Staff { id: StaffId::from_u128(3), role: Role::FirstContactPhysiotherapist };
//! let mut referral = Referral::draft(details, Actor::Patient, at(1, 9));
//! referral.apply(EventRecord::new(ReferralEvent::Submit, Actor::Patient, at(1, 9)))?;
//! let slot = Slot::new(at(9, 14), 30, None)?;
//! referral.apply(EventRecord::new(ReferralEvent::Book { slot }, physio, at(2, 10)))?;
//!
//! // On 6 May she is waiting, within the 14-day target.
//! let census = NaiveDate::from_ymd_opt(2024, 5, 6).unwrap();
//! let entry = WaitingListEntry::of_referral(&referral, census)?.expect("waiting");
//! assert_eq!(entry.days_waited, 5);
//! assert!(entry.within_target());
//!
//! referral.apply(EventRecord::new(ReferralEvent::Attend, physio, at(9, 14)))?;
//! assert_eq!(referral.first_contact_within_target(), Some(true));
//! assert_eq!(referral.state().task_status(), TaskStatus::InProgress);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! | item | what it is |
//! |---|---|
//! | [`CatalogueDefinition`], [`PathwayDefinition`] | a catalogue as written in a JSON file |
//! | [`PathwayCatalogue`] | the checked catalogue, compiled into a routing index; overlaps refused at load |
//! | [`ReferralRequest`] → [`Routed`] or [`NoRoute`] | routing, with red-flag overrides and criterion-by-criterion explanations |
//! | [`Referral`], [`ReferralState`], [`ReferralEvent`] | the lifecycle state machine with its replayable history |
//! | [`TaskStatus`], [`ErsReferralState`] | the FHIR `Task.status` and e-RS states of each lifecycle state |
//! | [`RttPathway`], [`RttEvent`], [`RttRule`] | the 18-week clock by the rules suite |
//! | [`WaitingListEntry`], [`WaitingListReport`] | waits by weeks, share within target, longest waits |
//! | [`LinkWorkerCaseload`], [`SocialPrescribingEpisode`], [`OutcomeMeasure`] | social prescribing |
//!
//! The catalogue in [`EXAMPLE_CATALOGUE`] is an illustration for one network (MSK
//! direct access, an MSK interface service, social prescribing and two community
//! activities, pharmacist medication review, pharmacist to GP, urgent GP review and
//! two suspected-cancer pathways); its local targets are examples, not national
//! figures.

mod catalogue;
mod destination;
mod entry_route;
mod error;
mod external_status;
mod lifecycle;
mod pathway;
mod patient_facts;
mod priority;
mod red_flag;
mod routing;
mod rtt;
mod social_prescribing;
mod waiting_list;

pub use catalogue::{CatalogueDefinition, PathwayCatalogue, RedFlagPolicy};
pub use destination::{Destination, TreatmentFunction};
pub use entry_route::{EntryRoute, RouteRule};
pub use error::ReferralError;
pub use external_status::{ErsReferralState, ErsStatus, TaskStatus};
pub use lifecycle::{
    Actor, AppointmentCancelledBy, CancellationReason, CancelledBy, CompletionOutcome,
    DischargeOutcome, EventKind, EventRecord, RedirectionReason, Referral, ReferralDetails,
    ReferralEvent, ReferralState, RejectionReason, Slot, StateKind, Transition,
};
pub use pathway::{Eligibility, PathwayCode, PathwayDefinition, RedFlagRule};
pub use priority::{
    Priority, RTT_INCOMPLETE_STANDARD, RTT_MAXIMUM_DAYS, RTT_MAXIMUM_WEEKS,
    SuspectedCancerStandard, TargetWait, WaitMeasure, WaitTarget,
};
pub use red_flag::RedFlag;
pub use routing::{
    CriterionFailure, NoRoute, PathwayMismatch, PatientAge, PatientFacts, RedFlagOverride,
    ReferralRequest, Routed,
};
pub use rtt::{
    ClockEnd, ClockPeriod, ClockService, NewClockReason, NonTreatmentDecision, Pause, RttEvent,
    RttPathway, RttRule,
};
pub use social_prescribing::{
    CommunityReferral, LinkWorkerCaseload, OutcomeChange, OutcomeMeasure, OutcomeSummary,
    PersonalGoal, Score, SocialPrescribingEpisode, SupportArea, WhatMattersConversation,
};
pub use waiting_list::{
    MeasureSummary, NamedReport, PathwaySummary, WaitingListEntry, WaitingListReport, WeeksBand,
};

/// An illustrative pathway catalogue for one network ("Riverside PCN"), as shipped in
/// `data/riverside-pcn-catalogue.json`: MSK first contact physiotherapy by direct
/// access, an MSK interface service, social prescribing with two community
/// activities, pharmacist medication review, pharmacist referral to a GP, urgent GP
/// review (the red-flag default) and two urgent suspected-cancer pathways. SNOMED CT
/// codes are real concept ids; services, ids and local targets are examples.
pub const EXAMPLE_CATALOGUE: &str = include_str!("../data/riverside-pcn-catalogue.json");
