//! Property tests of the invariants the crate promises.

// Helpers outside `#[test]` functions unwrap too: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::panic)]

use chrono::{Duration, NaiveDate, NaiveDateTime};
use pcn_core::{
    DateRange, NetworkId, PathwayId, PatientId, ReferralId, Role, ServiceId, SnomedCode, StaffId,
};
use pcn_referral::*;
use proptest::prelude::*;

// ---------------------------------------------------------------------------------
// The lifecycle: random event sequences never leave the machine, and a refused
// event changes nothing.
// ---------------------------------------------------------------------------------

/// The state machine as specified (the table on `ReferralState`), written out
/// independently of the implementation.
const MACHINE: &[(StateKind, EventKind, StateKind)] = {
    use EventKind as E;
    use StateKind as S;
    &[
        (S::Draft, E::Submit, S::Submitted),
        (S::Draft, E::Cancel, S::Cancelled),
        (S::Submitted, E::Triage, S::Triaged),
        (S::Submitted, E::Accept, S::Accepted),
        (S::Submitted, E::Book, S::Booked),
        (S::Submitted, E::Reject, S::Rejected),
        (S::Submitted, E::Redirect, S::Redirected),
        (S::Submitted, E::Cancel, S::Cancelled),
        (S::Triaged, E::Accept, S::Accepted),
        (S::Triaged, E::Book, S::Booked),
        (S::Triaged, E::Reject, S::Rejected),
        (S::Triaged, E::Redirect, S::Redirected),
        (S::Triaged, E::Cancel, S::Cancelled),
        (S::Accepted, E::Book, S::Booked),
        (S::Accepted, E::Discharge, S::Discharged),
        (S::Accepted, E::Cancel, S::Cancelled),
        (S::Booked, E::Attend, S::Attended),
        (S::Booked, E::DidNotAttend, S::DidNotAttend),
        (S::Booked, E::Book, S::Booked),
        (S::Booked, E::CancelAppointment, S::Accepted),
        (S::Booked, E::Cancel, S::Cancelled),
        (S::Attended, E::Book, S::Booked),
        (S::Attended, E::Discharge, S::Discharged),
        (S::Attended, E::Complete, S::Completed),
        (S::DidNotAttend, E::Book, S::Booked),
        (S::DidNotAttend, E::Discharge, S::Discharged),
        (S::DidNotAttend, E::Cancel, S::Cancelled),
    ]
};

fn in_machine(from: StateKind, event: EventKind) -> Option<StateKind> {
    MACHINE
        .iter()
        .find(|(f, e, _)| *f == from && *e == event)
        .map(|(_, _, to)| *to)
}

/// An event before it is given a time.
#[derive(Debug, Clone, Copy)]
enum Op {
    Submit,
    Triage(u8),
    Accept,
    Reject(u8),
    Redirect(u8),
    /// Book a slot this many hours after the event (may be negative).
    Book(i64),
    CancelAppointment(bool),
    Attend,
    DidNotAttend(bool),
    Cancel(u8, u8),
    Discharge(u8),
    Complete(u8),
}

fn op() -> impl Strategy<Value = Op> {
    // Weighted towards the events that move a referral along, so that sequences
    // reach deep into the machine before a final state.
    prop_oneof![
        8 => Just(Op::Submit),
        4 => (0u8..3).prop_map(Op::Triage),
        6 => Just(Op::Accept),
        1 => (0u8..6).prop_map(Op::Reject),
        1 => (0u8..3).prop_map(Op::Redirect),
        12 => (-6i64..300).prop_map(Op::Book),
        3 => any::<bool>().prop_map(Op::CancelAppointment),
        8 => Just(Op::Attend),
        5 => any::<bool>().prop_map(Op::DidNotAttend),
        1 => (0u8..3, 0u8..5).prop_map(|(a, b)| Op::Cancel(a, b)),
        2 => (0u8..4).prop_map(Op::Discharge),
        2 => (0u8..4).prop_map(Op::Complete),
    ]
}

fn event_of(op: Op, at: NaiveDateTime) -> ReferralEvent {
    let pick = |n: u8, len: u8| n % len;
    match op {
        Op::Submit => ReferralEvent::Submit,
        Op::Triage(n) => ReferralEvent::Triage {
            priority: [Priority::Routine, Priority::Urgent, Priority::TwoWeekWait]
                [usize::from(pick(n, 3))],
        },
        Op::Accept => ReferralEvent::Accept,
        Op::Reject(n) => ReferralEvent::Reject {
            reason: [
                RejectionReason::NotEligible,
                RejectionReason::InsufficientInformation,
                RejectionReason::ClinicallyInappropriate,
                RejectionReason::ServiceNotCommissioned,
                RejectionReason::Duplicate,
                RejectionReason::AdviceGiven,
            ][usize::from(pick(n, 6))],
        },
        Op::Redirect(n) => ReferralEvent::Redirect {
            to: Destination::TeamRole { role: Role::Gp },
            reason: [
                RedirectionReason::WrongService,
                RedirectionReason::ClinicalUrgency,
                RedirectionReason::PatientChoice,
            ][usize::from(pick(n, 3))],
        },
        Op::Book(hours) => ReferralEvent::Book {
            slot: Slot::new(at + Duration::hours(hours), 30, None).unwrap(),
        },
        Op::CancelAppointment(patient) => ReferralEvent::CancelAppointment {
            by: if patient {
                AppointmentCancelledBy::Patient
            } else {
                AppointmentCancelledBy::Provider
            },
        },
        Op::Attend => ReferralEvent::Attend,
        Op::DidNotAttend(clearly_communicated) => ReferralEvent::DidNotAttend {
            clearly_communicated,
        },
        Op::Cancel(by, reason) => ReferralEvent::Cancel {
            by: [
                CancelledBy::Patient,
                CancelledBy::Referrer,
                CancelledBy::Provider,
            ][usize::from(pick(by, 3))],
            reason: [
                CancellationReason::NoLongerRequired,
                CancellationReason::PatientChoice,
                CancellationReason::RaisedInError,
                CancellationReason::PatientDied,
                CancellationReason::TreatedElsewhere,
            ][usize::from(pick(reason, 5))],
        },
        Op::Discharge(n) => ReferralEvent::Discharge {
            outcome: [
                DischargeOutcome::ReturnedToPrimaryCare,
                DischargeOutcome::DecisionNotToTreat,
                DischargeOutcome::DeclinedTreatment,
                DischargeOutcome::AfterDidNotAttend,
            ][usize::from(pick(n, 4))],
        },
        Op::Complete(n) => ReferralEvent::Complete {
            outcome: [
                CompletionOutcome::TreatmentStarted,
                CompletionOutcome::ActiveMonitoring,
                CompletionOutcome::CareCompleted,
                CompletionOutcome::GoalsAchieved,
            ][usize::from(pick(n, 4))],
        },
    }
}

fn start() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2024, 1, 8)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap()
}

fn details(destination: Destination, route: EntryRoute) -> ReferralDetails {
    ReferralDetails {
        id: ReferralId::from_u128(1),
        patient: PatientId::from_u128(2),
        pathway: PathwayId::from_u128(3),
        route,
        destination,
        priority: Priority::Routine,
        target: if destination.starts_rtt_clock() {
            TargetWait::ReferralToTreatment.on(start().date())
        } else {
            TargetWait::FirstContact { days: 14 }.on(start().date())
        },
        red_flag: None,
    }
}

fn destination() -> impl Strategy<Value = Destination> {
    prop_oneof![
        Just(Destination::TeamRole {
            role: Role::FirstContactPhysiotherapist
        }),
        Just(Destination::InterfaceService {
            service: ServiceId::from_u128(5),
            treatment_function: TreatmentFunction::TRAUMA_AND_ORTHOPAEDICS,
        }),
        Just(Destination::HospitalSpecialty {
            treatment_function: TreatmentFunction::CARDIOLOGY,
            consultant_led: true,
        }),
    ]
}

fn route() -> impl Strategy<Value = EntryRoute> {
    prop_oneof![
        Just(EntryRoute::GpReferral),
        Just(EntryRoute::SelfReferral),
        Just(EntryRoute::TeamReferral {
            role: Role::ClinicalPharmacist
        }),
    ]
}

fn actor() -> impl Strategy<Value = Actor> {
    prop_oneof![
        Just(Actor::Patient),
        Just(Actor::System),
        Just(Actor::Staff {
            id: StaffId::from_u128(9),
            role: Role::HospitalConsultant
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_events_stay_in_the_machine_and_refusals_change_nothing(
        destination in destination(),
        route in route(),
        steps in prop::collection::vec((op(), -3i64..72, actor()), 0..60),
    ) {
        let mut referral = Referral::draft(details(destination, route), Actor::Patient, start());
        let mut at = start();
        for (op, step_hours, actor) in steps {
            at += Duration::hours(step_hours);
            let event = event_of(op, at);
            let before = referral.clone();
            let from = referral.state().kind();
            match referral.apply(EventRecord::new(event, actor, at)) {
                Ok(state) => {
                    let to = state.kind();
                    prop_assert_eq!(in_machine(from, event.kind()), Some(to), "{} --{}--> {}", from, event.kind(), to);
                    prop_assert_eq!(referral.history().len(), before.history().len() + 1);
                    let last = referral.history().last().unwrap();
                    prop_assert_eq!((last.from, last.to), (from, to));
                    // Every state has a FHIR status, and e-RS knows every sent state
                    // that is still open or was rejected.
                    let _ = referral.state().task_status();
                    if referral.state().kind() != StateKind::Draft {
                        prop_assert!(referral.state().ers_status().is_some());
                    }
                }
                Err(_) => {
                    prop_assert_eq!(&referral, &before);
                }
            }
            if in_machine(from, event.kind()).is_none() {
                prop_assert_eq!(&referral, &before);
            }
        }
        // The history replays to the same referral, and survives storage.
        let replayed = Referral::replay(
            *referral.details(),
            referral.created_by(),
            referral.created_at(),
            referral.history().iter().map(|t| t.record.clone()),
        ).unwrap();
        prop_assert_eq!(&replayed, &referral);
        let json = serde_json::to_string(&referral).unwrap();
        prop_assert_eq!(&serde_json::from_str::<Referral>(&json).unwrap(), &referral);
        // Its clock events are always valid by the rules.
        prop_assert!(RttPathway::of_referral(&referral).is_ok());
        prop_assert!(WaitingListEntry::of_referral(&referral, at.date()).is_ok());
    }
}

// ---------------------------------------------------------------------------------
// Routing: a red flag always overrides a self-referral.
// ---------------------------------------------------------------------------------

fn example() -> PathwayCatalogue {
    PathwayCatalogue::from_json(EXAMPLE_CATALOGUE).unwrap()
}

fn any_reason(catalogue: &PathwayCatalogue) -> impl Strategy<Value = SnomedCode> + use<> {
    let mut reasons: Vec<SnomedCode> = catalogue
        .pathways()
        .flat_map(|(_, p)| p.eligibility.reasons.clone())
        .collect();
    reasons.push(SnomedCode::constant(84_114_007));
    prop::sample::select(reasons)
}

fn red_flag() -> impl Strategy<Value = RedFlag> {
    prop_oneof![
        Just(RedFlag::SuspectedCancer),
        Just(RedFlag::SuspectedCaudaEquina),
        Just(RedFlag::SuspectedFracture),
        Just(RedFlag::SuspectedInfection),
        Just(RedFlag::Finding(SnomedCode::constant(12_063_002))),
        Just(RedFlag::Finding(SnomedCode::constant(192_970_008))),
    ]
}

fn conditions() -> impl Strategy<Value = Vec<SnomedCode>> {
    prop::sample::subsequence(
        vec![
            SnomedCode::constant(73_211_009),
            SnomedCode::constant(69_896_004),
            SnomedCode::constant(38_341_003),
        ],
        0..=3,
    )
}

fn date_between(from_year: i32, years: i64) -> impl Strategy<Value = NaiveDate> {
    (0..years * 365).prop_map(move |days| {
        NaiveDate::from_ymd_opt(from_year, 1, 1).unwrap() + Duration::days(days)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_red_flag_always_overrides_a_self_referral(
        reason in any_reason(&example()),
        age in 0u8..=110,
        registered in any::<bool>(),
        conditions in conditions(),
        date in date_between(2015, 15),
        flags in prop::collection::vec(red_flag(), 1..4),
    ) {
        let catalogue = example();
        let request = ReferralRequest {
            patient: PatientFacts {
                age: PatientAge::Years(age),
                registered_practice: None,
                registered_network: registered.then(|| catalogue.network()),
                conditions,
            },
            reason,
            route: EntryRoute::SelfReferral,
            date,
            red_flags: flags.clone(),
        };
        let routed = catalogue.route(&request).unwrap();
        let used = routed.red_flag().expect("a red flag decided the route");
        prop_assert!(flags.contains(&used.flag));
        prop_assert!(routed.priority().is_expedited());
        let pathway = catalogue.pathway(routed.pathway()).unwrap();
        prop_assert!(pathway.routes.iter().all(|r| !r.accepts(EntryRoute::SelfReferral))
            || pathway.priority.is_expedited());
    }
}

// ---------------------------------------------------------------------------------
// The catalogue: every overlap is found at load (routing never meets a tie), every
// overlap reported is real, and the index routes as a linear scan would.
// ---------------------------------------------------------------------------------

const REASONS: [SnomedCode; 3] = [
    SnomedCode::constant(279_039_007),
    SnomedCode::constant(30_989_003),
    SnomedCode::constant(81_680_005),
];
const CONDITIONS: [SnomedCode; 3] = [
    SnomedCode::constant(73_211_009),
    SnomedCode::constant(38_341_003),
    SnomedCode::constant(195_967_001),
];
const ROUTES: [EntryRoute; 4] = [
    EntryRoute::GpReferral,
    EntryRoute::SelfReferral,
    EntryRoute::TeamReferral {
        role: Role::PracticeNurse,
    },
    EntryRoute::TeamReferral {
        role: Role::Paramedic,
    },
];

fn subset<T: Clone + std::fmt::Debug>(items: &[T], mask: u8) -> Vec<T> {
    items
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, t)| t.clone())
        .collect()
}

fn year_start(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 4, 1).unwrap()
}

fn random_pathway() -> impl Strategy<Value = PathwayDefinition> {
    (
        1u8..16,                   // routes
        1u8..8,                    // reasons
        prop::option::of(0u8..70), // min age
        prop::option::of(0u8..50), // max age above min
        any::<bool>(),             // registered
        0u8..8,                    // requires
        0u8..8,                    // excludes
        0u8..3,                    // in force
    )
        .prop_map(
            |(routes, reasons, min_age, span, registered, requires, excludes, in_force)| {
                let mut rules = Vec::new();
                if routes & 1 != 0 {
                    rules.push(RouteRule::GpReferral);
                }
                if routes & 2 != 0 {
                    rules.push(RouteRule::SelfReferral);
                }
                let team = subset(&[Role::PracticeNurse, Role::Paramedic], routes >> 2);
                if !team.is_empty() {
                    rules.push(RouteRule::TeamReferral { from: team });
                }
                let requires = subset(&CONDITIONS, requires);
                let excludes: Vec<_> = subset(&CONDITIONS, excludes)
                    .into_iter()
                    .filter(|c| !requires.contains(c))
                    .collect();
                PathwayDefinition {
                    code: "p".parse().unwrap(),
                    id: None,
                    name: "generated".into(),
                    routes: rules,
                    eligibility: Eligibility {
                        min_age,
                        max_age: span.map(|s| min_age.unwrap_or(0).saturating_add(s)),
                        registered_in_network: registered,
                        reasons: subset(&REASONS, reasons),
                        requires_any_condition: requires,
                        exclusions: excludes,
                    },
                    red_flags: Vec::new(),
                    destination: Destination::TeamRole {
                        role: Role::FirstContactPhysiotherapist,
                    },
                    priority: Priority::Routine,
                    target_wait: TargetWait::FirstContact { days: 14 },
                    in_force: match in_force {
                        0 => None,
                        1 => {
                            Some(DateRange::new(year_start(2020), Some(year_start(2024))).unwrap())
                        }
                        _ => Some(DateRange::starting(year_start(2023))),
                    },
                    takes_precedence_over: Vec::new(),
                }
            },
        )
}

fn random_catalogue() -> impl Strategy<Value = CatalogueDefinition> {
    (
        prop::collection::vec(random_pathway(), 1..6),
        prop::collection::vec(any::<bool>(), 15),
    )
        .prop_map(|(mut pathways, precedence)| {
            let n = pathways.len();
            let mut flags = precedence.into_iter();
            for (i, pathway) in pathways.iter_mut().enumerate() {
                pathway.code = format!("p{i}").parse().unwrap();
                for j in i + 1..n {
                    if flags.next().unwrap_or(false) {
                        let loser = format!("p{j}").parse().unwrap();
                        pathway.takes_precedence_over.push(loser);
                    }
                }
            }
            pathways.push(PathwayDefinition {
                code: "urgent".parse().unwrap(),
                name: "urgent review".into(),
                routes: Vec::new(),
                eligibility: Eligibility::for_reasons(Vec::new()),
                destination: Destination::TeamRole { role: Role::Gp },
                priority: Priority::Urgent,
                target_wait: TargetWait::FirstContact { days: 1 },
                ..pathways[0].clone()
            });
            pathways.last_mut().unwrap().takes_precedence_over.clear();
            CatalogueDefinition {
                network: NetworkId::from_u128(77),
                name: "generated".into(),
                red_flags: RedFlagPolicy {
                    default_pathway: "urgent".parse().unwrap(),
                    rules: Vec::new(),
                },
                pathways,
            }
        })
}

/// Whether a pathway fits a request, straight from its definition.
fn fits(definition: &CatalogueDefinition, p: &PathwayDefinition, r: &ReferralRequest) -> bool {
    let PatientAge::Years(age) = r.patient.age else {
        unreachable!()
    };
    let e = &p.eligibility;
    p.routes.iter().any(|rule| rule.accepts(r.route))
        && e.reasons.contains(&r.reason)
        && e.min_age.is_none_or(|min| age >= min)
        && e.max_age.is_none_or(|max| age <= max)
        && (!e.registered_in_network || r.patient.registered_network == Some(definition.network))
        && (e.requires_any_condition.is_empty()
            || r.patient
                .conditions
                .iter()
                .any(|c| e.requires_any_condition.contains(c)))
        && !r
            .patient
            .conditions
            .iter()
            .any(|c| e.exclusions.contains(c))
        && p.in_force.is_none_or(|range| range.contains(r.date))
}

/// Every request that could tell the pathways apart.
fn universe(definition: &CatalogueDefinition) -> Vec<ReferralRequest> {
    let mut ages: Vec<u8> = vec![0, 255];
    for p in &definition.pathways {
        ages.extend(p.eligibility.min_age);
        ages.extend(p.eligibility.max_age);
        ages.extend(p.eligibility.max_age.map(|a| a.saturating_add(1)));
    }
    ages.sort_unstable();
    ages.dedup();
    let dates = [year_start(2021), year_start(2023), year_start(2025)];
    let mut requests = Vec::new();
    for route in ROUTES {
        for reason in REASONS {
            for age in &ages {
                for registered in [false, true] {
                    for conditions in 0u8..8 {
                        for date in dates {
                            requests.push(ReferralRequest {
                                patient: PatientFacts {
                                    age: PatientAge::Years(*age),
                                    registered_practice: None,
                                    registered_network: registered.then_some(definition.network),
                                    conditions: subset(&CONDITIONS, conditions),
                                },
                                reason,
                                route,
                                date,
                                red_flags: Vec::new(),
                            });
                        }
                    }
                }
            }
        }
    }
    requests
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn overlaps_are_found_at_load_and_the_index_routes_like_a_scan(definition in random_catalogue()) {
        match PathwayCatalogue::compile(definition.clone()) {
            Ok(catalogue) => {
                let definition = catalogue.definition();
                for request in universe(definition) {
                    let matches: Vec<&PathwayDefinition> = definition
                        .pathways
                        .iter()
                        .filter(|p| fits(definition, p, &request))
                        .collect();
                    let routed = catalogue.route(&request);
                    if matches.is_empty() {
                        let is_no_pathway = matches!(routed, Err(ReferralError::NoPathway(_)));
                        prop_assert!(is_no_pathway);
                        continue;
                    }
                    // Matches pairwise overlap, so one of them must be declared over
                    // every other: no tie at run time.
                    let winner = matches.iter().find(|m| {
                        matches.iter().all(|o| o.code == m.code || m.takes_precedence_over.contains(&o.code))
                    });
                    prop_assert!(winner.is_some(), "a tie reached routing: {:?}", matches.iter().map(|m| &m.code).collect::<Vec<_>>());
                    prop_assert_eq!(routed.unwrap().pathway(), winner.unwrap().id.unwrap());
                }
            }
            Err(ReferralError::OverlappingPathways { first, second, route, reason, min_age, .. }) => {
                // The overlap reported is real: some request fits both.
                let by_code = |code: &PathwayCode| {
                    definition.pathways.iter().find(|p| &p.code == code).unwrap()
                };
                let (a, b) = (by_code(&first), by_code(&second));
                let witness = universe(&definition).into_iter().any(|r| {
                    r.route == route
                        && r.reason == reason
                        && r.patient.age == PatientAge::Years(u8::try_from(min_age).unwrap_or(u8::MAX))
                        && fits(&definition, a, &r)
                        && fits(&definition, b, &r)
                });
                prop_assert!(witness, "no request fits both {} and {}", first, second);
                prop_assert!(!a.takes_precedence_over.contains(&second));
                prop_assert!(!b.takes_precedence_over.contains(&first));
            }
            Err(other) => prop_assert!(false, "unexpected error {}", other),
        }
    }
}

// ---------------------------------------------------------------------------------
// RTT clocks: whatever the events, the clocks are well formed.
// ---------------------------------------------------------------------------------

fn rtt_event(on: NaiveDate) -> impl Strategy<Value = RttEvent> {
    prop_oneof![
        3 => Just(RttEvent::ReferralReceived {
            on,
            service: ClockService::ConsultantLed
        }),
        1 => Just(RttEvent::SelfReferralRatified { on }),
        6 => (0u8..5).prop_map(move |n| RttEvent::NewClock {
            on,
            reason: [
                NewClockReason::BilateralSecondProcedure,
                NewClockReason::NewTreatment,
                NewClockReason::ReReferral,
                NewClockReason::DecisionToTreatAfterActiveMonitoring,
                NewClockReason::RebookedAfterNullifiedDna,
            ][usize::from(n)],
        }),
        1 => Just(RttEvent::FirstDefinitiveTreatment { on }),
        1 => Just(RttEvent::AddedToTransplantList { on }),
        1 => (0u8..4).prop_map(move |n| RttEvent::NonTreatment {
            on,
            decision: [
                NonTreatmentDecision::ReturnedToPrimaryCare,
                NonTreatmentDecision::ActiveMonitoring,
                NonTreatmentDecision::DeclinedTreatment,
                NonTreatmentDecision::DecisionNotToTreat,
            ][usize::from(n)],
        }),
        3 => (any::<bool>(), any::<bool>()).prop_map(move |(first_appointment, clearly_communicated)| {
            RttEvent::DidNotAttend {
                on,
                first_appointment,
                clearly_communicated,
            }
        }),
        1 => Just(RttEvent::DischargedAfterDidNotAttend { on }),
        2 => Just(RttEvent::DecisionToAdmit { on }),
        3 => (1i64..60, 0u8..4).prop_map(move |(days, declined_offers)| RttEvent::PatientPause {
            from: on,
            until: on + Duration::days(days),
            declined_offers,
        }),
        1 => Just(RttEvent::Withdrawn { on }),
    ]
}

fn rtt_events() -> impl Strategy<Value = Vec<RttEvent>> {
    (
        date_between(2012, 8),
        any::<bool>(),
        prop::collection::vec(0i64..60, 4..30),
    )
        .prop_flat_map(|(first, self_referral, gaps)| {
            let start = if self_referral {
                RttEvent::SelfReferralRatified { on: first }
            } else {
                RttEvent::ReferralReceived {
                    on: first,
                    service: ClockService::Interface,
                }
            };
            let mut on = first;
            let dates: Vec<NaiveDate> = gaps
                .into_iter()
                .map(|gap| {
                    on += Duration::days(gap);
                    on
                })
                .collect();
            let rest: Vec<_> = dates.into_iter().map(rtt_event).collect();
            (Just(start), rest).prop_map(|(start, rest)| {
                let mut events = vec![start];
                events.extend(rest);
                events
            })
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn rtt_clocks_are_well_formed(candidates in rtt_events(), census_offset in 0i64..400) {
        // Keep each candidate the rules allow after those kept so far; a refused one
        // must be refused with an error, never a panic.
        let mut events = Vec::new();
        for candidate in candidates {
            events.push(candidate);
            if RttPathway::from_events(&events).is_err() {
                events.pop();
            }
        }
        let pathway = RttPathway::from_events(&events).unwrap();
        let periods = pathway.periods();
        let starts = events.iter().filter(|e| matches!(e,
            RttEvent::ReferralReceived { .. } | RttEvent::SelfReferralRatified { .. } | RttEvent::NewClock { .. })).count();
        prop_assert_eq!(periods.len(), starts);
        let first_clocks = events.iter().filter(|e| matches!(e,
            RttEvent::ReferralReceived { .. } | RttEvent::SelfReferralRatified { .. })).count();
        prop_assert!(first_clocks <= 1);
        for (i, clock) in periods.iter().enumerate() {
            // Only the last clock may still run; clocks follow one another.
            if i + 1 < periods.len() {
                prop_assert!(clock.end().is_some());
                prop_assert!(clock.end().unwrap().date() <= periods[i + 1].start());
            }
            if let Some(end) = clock.end() {
                prop_assert!(end.date() >= clock.start());
            }
            let census = clock.start() + Duration::days(census_offset);
            match clock.days_waited(census) {
                Some(days) => {
                    prop_assert!(clock.is_reportable());
                    prop_assert!(i64::from(days) <= census_offset);
                }
                None => prop_assert!(!clock.is_reportable()),
            }
            for pause in clock.pauses() {
                prop_assert!(pause.until <= NaiveDate::from_ymd_opt(2015, 10, 1).unwrap());
            }
        }
        // No stop is accepted once no clock runs.
        if pathway.running().is_none() {
            let last = events.last().map_or(NaiveDate::MIN, RttEvent::date);
            let mut more = events.clone();
            more.push(RttEvent::FirstDefinitiveTreatment { on: last });
            prop_assert!(RttPathway::from_events(&more).is_err());
        }
    }

    #[test]
    fn waiting_list_reports_add_up(
        waits in prop::collection::vec((0u32..400, 0u8..3, 0u128..4), 0..60),
        longest in 0usize..10,
    ) {
        let census = NaiveDate::from_ymd_opt(2024, 6, 1).unwrap();
        let entries: Vec<WaitingListEntry> = waits
            .iter()
            .enumerate()
            .map(|(i, (days, target, pathway))| WaitingListEntry {
                referral: ReferralId::from_u128(i as u128),
                pathway: PathwayId::from_u128(*pathway),
                target: [
                    TargetWait::ReferralToTreatment,
                    TargetWait::FirstContact { days: 14 },
                    TargetWait::SuspectedCancer,
                ][usize::from(*target)].on(census),
                clock_start: census - Duration::days(i64::from(*days)),
                days_waited: *days,
            })
            .collect();
        let report = WaitingListReport::new(census, &entries, longest);
        prop_assert_eq!(report.waiting as usize, entries.len());
        prop_assert_eq!(report.by_weeks.iter().map(|b| b.waiting).sum::<u32>(), report.waiting);
        prop_assert_eq!(report.by_pathway.iter().map(|p| p.waiting).sum::<u32>(), report.waiting);
        prop_assert_eq!(report.by_measure.iter().map(|m| m.within_target).sum::<u32>(), report.within_target);
        prop_assert!(report.within_target <= report.waiting);
        prop_assert_eq!(report.longest.len(), longest.min(entries.len()));
        prop_assert!(report.longest.windows(2).all(|w| w[0].days_waited >= w[1].days_waited));
        if let Some(top) = report.longest.first() {
            prop_assert_eq!(Some(top.days_waited), entries.iter().map(|e| e.days_waited).max());
        }
    }
}
