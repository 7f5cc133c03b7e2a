//! The 18-week clock against the national clock rules.
//!
//! Each test is an example of one rule of NHS England's "Referral to treatment
//! consultant-led waiting times: rules suite" (gov.uk, October 2022 edition; national
//! clock rules as numbered there), worked on concrete dates, and the pause rule of the
//! June 2010 rules with its removal from 1 October 2015 (the NHS Commissioning Board
//! and Clinical Commissioning Groups (Responsibilities and Standing Rules) (Amendment)
//! (No. 2) Regulations 2015). Waits are in days from clock start to stop; 18 weeks is
//! 126 days.

// Helpers outside `#[test]` functions unwrap too: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::panic)]

use chrono::{NaiveDate, NaiveDateTime};
use pcn_core::{PathwayId, PatientId, ReferralId, Role, ServiceId, StaffId};
use pcn_referral::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn received(on: NaiveDate) -> RttEvent {
    RttEvent::ReferralReceived {
        on,
        service: ClockService::ConsultantLed,
    }
}

fn only_clock(events: &[RttEvent]) -> ClockPeriod {
    let pathway = RttPathway::from_events(events).unwrap();
    assert_eq!(pathway.periods().len(), 1);
    pathway.periods()[0].clone()
}

/// Rule 1(a) and Rule 4(a): a GP referral received on 2 January 2024 and first
/// definitive treatment on 7 May 2024 is a wait of 126 days, exactly 18 weeks, within
/// the standard; treatment one day later breaches it.
#[test]
fn rule_1a_start_and_rule_4a_stop() {
    let clock = only_clock(&[
        received(d(2024, 1, 2)),
        RttEvent::FirstDefinitiveTreatment { on: d(2024, 5, 7) },
    ]);
    assert_eq!(clock.start_rule(), RttRule::Rule1a);
    assert_eq!(clock.completed_days(), Some(126));
    assert_eq!(clock.within_18_weeks(d(2024, 12, 31)), Some(true));
    assert_eq!(
        clock.end(),
        Some(ClockEnd::Stopped {
            on: d(2024, 5, 7),
            rule: RttRule::Rule4a
        })
    );

    let late = only_clock(&[
        received(d(2024, 1, 2)),
        RttEvent::FirstDefinitiveTreatment { on: d(2024, 5, 8) },
    ]);
    assert_eq!(late.completed_days(), Some(127));
    assert_eq!(late.within_18_weeks(d(2024, 5, 8)), Some(false));
}

/// Rule 1(b): a referral to an interface (MSK triage) service starts the clock; its
/// onward referral to the consultant-led service does not start another, so the wait
/// to treatment counts from the interface service's receipt.
#[test]
fn rule_1b_interface_service_clock_runs_through_onward_referral() {
    let clock = only_clock(&[
        RttEvent::ReferralReceived {
            on: d(2024, 2, 5),
            service: ClockService::Interface,
        },
        RttEvent::FirstDefinitiveTreatment { on: d(2024, 6, 3) },
    ]);
    assert_eq!(clock.start_rule(), RttRule::Rule1b);
    assert_eq!(clock.completed_days(), Some(119));
}

/// Rule 2: a self-referral starts the clock only once a care professional ratifies
/// it. Received on 1 March, ratified on 5 March: the clock starts on 5 March.
#[test]
fn rule_2_self_referral_starts_on_ratification() {
    let clock = only_clock(&[RttEvent::SelfReferralRatified { on: d(2024, 3, 5) }]);
    assert_eq!(clock.start(), d(2024, 3, 5));
    assert_eq!(clock.start_rule(), RttRule::Rule2);
    assert_eq!(clock.days_waited(d(2024, 3, 19)), Some(14));

    // Through the lifecycle: a self-referral submitted on 1 March and triaged by a
    // consultant on 5 March.
    let at = |day: u32| d(2024, 3, day).and_hms_opt(9, 0, 0).unwrap();
    let mut referral = consultant_led_referral(EntryRoute::SelfReferral, at(1));
    apply(&mut referral, ReferralEvent::Submit, Actor::Patient, at(1));
    apply(
        &mut referral,
        ReferralEvent::Triage {
            priority: Priority::Routine,
        },
        consultant(),
        at(5),
    );
    let pathway = RttPathway::of_referral(&referral).unwrap();
    assert_eq!(pathway.running().unwrap().start(), d(2024, 3, 5));
}

/// Rule 5(e) and Rule 3(e): a first-appointment DNA, clearly communicated, nullifies
/// the clock, which never counts; rebooking starts a new clock from the rebooking date.
#[test]
fn rule_5e_first_appointment_dna_nullifies_and_rule_3e_restarts() {
    let pathway = RttPathway::from_events(&[
        received(d(2024, 1, 8)),
        RttEvent::DidNotAttend {
            on: d(2024, 2, 1),
            first_appointment: true,
            clearly_communicated: true,
        },
        RttEvent::NewClock {
            on: d(2024, 2, 3),
            reason: NewClockReason::RebookedAfterNullifiedDna,
        },
    ])
    .unwrap();
    let [nullified, restarted] = pathway.periods() else {
        panic!("expected two clocks");
    };
    assert_eq!(
        nullified.end(),
        Some(ClockEnd::Nullified { on: d(2024, 2, 1) })
    );
    assert!(!nullified.is_reportable());
    assert_eq!(nullified.days_waited(d(2024, 2, 1)), None);
    assert_eq!(restarted.start_rule(), RttRule::Rule3e);
    assert_eq!(restarted.days_waited(d(2024, 2, 17)), Some(14));
}

/// Rule 5(e) applies only when the appointment was clearly communicated: otherwise
/// the DNA does not stop the clock.
#[test]
fn rule_5e_needs_clear_communication() {
    let clock = only_clock(&[
        received(d(2024, 1, 8)),
        RttEvent::DidNotAttend {
            on: d(2024, 2, 1),
            first_appointment: true,
            clearly_communicated: false,
        },
    ]);
    assert_eq!(clock.end(), None);
    assert_eq!(clock.days_waited(d(2024, 3, 4)), Some(56));
}

/// Rule 3(e) is only for rebooking after a nullified clock.
#[test]
fn rule_3e_without_a_nullified_clock_is_refused() {
    let err = RttPathway::from_events(&[
        received(d(2024, 1, 8)),
        RttEvent::FirstDefinitiveTreatment { on: d(2024, 2, 1) },
        RttEvent::NewClock {
            on: d(2024, 2, 3),
            reason: NewClockReason::RebookedAfterNullifiedDna,
        },
    ])
    .unwrap_err();
    assert!(err.to_string().contains("Rule 3"), "{err}");
}

/// Rule 5(f): a DNA of a later appointment, clearly communicated, then discharge to
/// the GP stops the clock on the discharge; without such a DNA, Rule 5(f) cannot apply.
#[test]
fn rule_5f_later_dna_and_discharge_stops_the_clock() {
    let clock = only_clock(&[
        received(d(2024, 1, 8)),
        RttEvent::DidNotAttend {
            on: d(2024, 3, 4),
            first_appointment: false,
            clearly_communicated: true,
        },
        RttEvent::DischargedAfterDidNotAttend { on: d(2024, 3, 11) },
    ]);
    assert_eq!(
        clock.end(),
        Some(ClockEnd::Stopped {
            on: d(2024, 3, 11),
            rule: RttRule::Rule5f
        })
    );
    assert_eq!(clock.completed_days(), Some(63));

    let err = RttPathway::from_events(&[
        received(d(2024, 1, 8)),
        RttEvent::DischargedAfterDidNotAttend { on: d(2024, 3, 11) },
    ])
    .unwrap_err();
    assert!(err.to_string().contains("Rule 5(f)"), "{err}");
}

/// Rule 5(b) and Rule 3(d): starting active monitoring stops the clock; a later
/// decision to treat starts a new one.
#[test]
fn rule_5b_active_monitoring_stops_and_rule_3d_restarts() {
    let pathway = RttPathway::from_events(&[
        received(d(2024, 1, 8)),
        RttEvent::NonTreatment {
            on: d(2024, 2, 19),
            decision: NonTreatmentDecision::ActiveMonitoring,
        },
        RttEvent::NewClock {
            on: d(2024, 9, 2),
            reason: NewClockReason::DecisionToTreatAfterActiveMonitoring,
        },
        RttEvent::FirstDefinitiveTreatment {
            on: d(2024, 10, 14),
        },
    ])
    .unwrap();
    let [monitoring, treatment] = pathway.periods() else {
        panic!("expected two clocks");
    };
    assert_eq!(monitoring.completed_days(), Some(42));
    assert_eq!(treatment.start_rule(), RttRule::Rule3d);
    assert_eq!(treatment.completed_days(), Some(42));

    // Rule 3(d) needs active monitoring before it.
    let err = RttPathway::from_events(&[
        received(d(2024, 1, 8)),
        RttEvent::NonTreatment {
            on: d(2024, 2, 19),
            decision: NonTreatmentDecision::DecisionNotToTreat,
        },
        RttEvent::NewClock {
            on: d(2024, 9, 2),
            reason: NewClockReason::DecisionToTreatAfterActiveMonitoring,
        },
    ])
    .unwrap_err();
    assert!(
        matches!(err, ReferralError::RttEventNotAllowed { position: 2, .. }),
        "{err}"
    );
}

/// Rules 5(a), 5(c), 5(d): non-treatment decisions stop the clock on the date they are
/// communicated.
#[test]
fn rule_5a_5c_5d_non_treatment_stops() {
    for (decision, rule) in [
        (NonTreatmentDecision::ReturnedToPrimaryCare, RttRule::Rule5a),
        (NonTreatmentDecision::DeclinedTreatment, RttRule::Rule5c),
        (NonTreatmentDecision::DecisionNotToTreat, RttRule::Rule5d),
    ] {
        let clock = only_clock(&[
            received(d(2024, 1, 8)),
            RttEvent::NonTreatment {
                on: d(2024, 1, 29),
                decision,
            },
        ]);
        assert_eq!(
            clock.end(),
            Some(ClockEnd::Stopped {
                on: d(2024, 1, 29),
                rule
            })
        );
        assert_eq!(clock.completed_days(), Some(21));
    }
}

/// Rule 3(a) and Rule 4(b): the second side of a bilateral procedure starts a new
/// clock when the patient is fit and ready; a transplant listing stops a clock.
#[test]
fn rule_3a_bilateral_and_rule_4b_transplant_list() {
    let pathway = RttPathway::from_events(&[
        received(d(2024, 1, 8)),
        RttEvent::FirstDefinitiveTreatment { on: d(2024, 4, 1) },
        RttEvent::NewClock {
            on: d(2024, 7, 1),
            reason: NewClockReason::BilateralSecondProcedure,
        },
        RttEvent::AddedToTransplantList { on: d(2024, 8, 1) },
    ])
    .unwrap();
    assert_eq!(pathway.periods()[1].start_rule(), RttRule::Rule3a);
    assert_eq!(
        pathway.periods()[1].end(),
        Some(ClockEnd::Stopped {
            on: d(2024, 8, 1),
            rule: RttRule::Rule4b
        })
    );
    assert!(pathway.running().is_none());
}

/// June 2010 rules, rule 4: before 1 October 2015 a clock could be paused after a
/// decision to admit once the patient had declined two reasonable offers; the paused
/// days do not count. Referred 6 January 2014, treated 2 June 2014 (147 days) with a
/// 28-day pause: 119 days.
#[test]
fn pre_2015_pause_after_two_declined_offers() {
    let clock = only_clock(&[
        received(d(2014, 1, 6)),
        RttEvent::DecisionToAdmit { on: d(2014, 3, 3) },
        RttEvent::PatientPause {
            from: d(2014, 3, 10),
            until: d(2014, 4, 7),
            declined_offers: 2,
        },
        RttEvent::FirstDefinitiveTreatment { on: d(2014, 6, 2) },
    ]);
    assert_eq!(clock.completed_days(), Some(119));
    // During the pause, the wait does not grow.
    assert_eq!(
        clock.days_waited(d(2014, 3, 10)),
        clock.days_waited(d(2014, 4, 7))
    );
}

/// The patient pause was removed from 1 October 2015: a pause after that is refused,
/// as are pauses without a decision to admit or with fewer than two declined offers.
#[test]
fn pauses_after_september_2015_or_without_their_conditions_are_refused() {
    let abolished = RttPathway::from_events(&[
        received(d(2016, 1, 4)),
        RttEvent::DecisionToAdmit { on: d(2016, 2, 1) },
        RttEvent::PatientPause {
            from: d(2016, 2, 8),
            until: d(2016, 3, 7),
            declined_offers: 2,
        },
    ])
    .unwrap_err();
    assert!(
        abolished.to_string().contains("1 October 2015"),
        "{abolished}"
    );

    let straddling = RttPathway::from_events(&[
        received(d(2015, 6, 1)),
        RttEvent::DecisionToAdmit { on: d(2015, 8, 3) },
        RttEvent::PatientPause {
            from: d(2015, 9, 14),
            until: d(2015, 10, 12),
            declined_offers: 3,
        },
    ]);
    assert!(straddling.is_err());

    let no_decision = RttPathway::from_events(&[
        received(d(2014, 1, 6)),
        RttEvent::PatientPause {
            from: d(2014, 3, 10),
            until: d(2014, 4, 7),
            declined_offers: 2,
        },
    ])
    .unwrap_err();
    assert!(
        no_decision.to_string().contains("decision to admit"),
        "{no_decision}"
    );

    let one_offer = RttPathway::from_events(&[
        received(d(2014, 1, 6)),
        RttEvent::DecisionToAdmit { on: d(2014, 3, 3) },
        RttEvent::PatientPause {
            from: d(2014, 3, 10),
            until: d(2014, 4, 7),
            declined_offers: 1,
        },
    ])
    .unwrap_err();
    assert!(
        one_offer.to_string().contains("two declined"),
        "{one_offer}"
    );
}

fn consultant() -> Actor {
    Actor::Staff {
        id: StaffId::from_u128(7),
        role: Role::HospitalConsultant,
    }
}

fn consultant_led_referral(route: EntryRoute, created: NaiveDateTime) -> Referral {
    let details = ReferralDetails {
        id: ReferralId::from_u128(1),
        patient: PatientId::from_u128(2),
        pathway: PathwayId::from_u128(3),
        route,
        destination: Destination::InterfaceService {
            service: ServiceId::from_u128(4),
            treatment_function: TreatmentFunction::TRAUMA_AND_ORTHOPAEDICS,
        },
        priority: Priority::Routine,
        target: TargetWait::ReferralToTreatment.on(created.date()),
        red_flag: None,
    };
    Referral::draft(details, consultant(), created)
}

fn apply(referral: &mut Referral, event: ReferralEvent, actor: Actor, at: NaiveDateTime) {
    referral.apply(EventRecord::new(event, actor, at)).unwrap();
}

/// The lifecycle gives the RTT events: received on submission (Rule 1b, interface
/// service), nullified by the clearly communicated first-appointment DNA (5e), a new
/// clock on rebooking (3e), stopped at treatment (4a).
#[test]
fn a_referral_lifecycle_gives_its_clock() {
    let at = |m: u32, day: u32| d(2024, m, day).and_hms_opt(10, 0, 0).unwrap();
    let gp = Actor::Staff {
        id: StaffId::from_u128(8),
        role: Role::Gp,
    };
    let mut referral = consultant_led_referral(EntryRoute::GpReferral, at(1, 8));
    apply(&mut referral, ReferralEvent::Submit, gp, at(1, 8));
    apply(
        &mut referral,
        ReferralEvent::Accept,
        consultant(),
        at(1, 10),
    );
    let first = Slot::new(at(2, 1), 20, None).unwrap();
    apply(
        &mut referral,
        ReferralEvent::Book { slot: first },
        consultant(),
        at(1, 10),
    );
    apply(
        &mut referral,
        ReferralEvent::DidNotAttend {
            clearly_communicated: true,
        },
        consultant(),
        at(2, 1),
    );
    let census = d(2024, 2, 2);
    assert_eq!(
        WaitingListEntry::of_referral(&referral, census).unwrap(),
        None
    );

    let second = Slot::new(at(2, 20), 20, None).unwrap();
    apply(
        &mut referral,
        ReferralEvent::Book { slot: second },
        consultant(),
        at(2, 3),
    );
    apply(
        &mut referral,
        ReferralEvent::Attend,
        consultant(),
        at(2, 20),
    );
    let entry = WaitingListEntry::of_referral(&referral, d(2024, 3, 2))
        .unwrap()
        .unwrap();
    assert_eq!((entry.clock_start, entry.days_waited), (d(2024, 2, 3), 28));
    apply(
        &mut referral,
        ReferralEvent::Complete {
            outcome: CompletionOutcome::TreatmentStarted,
        },
        consultant(),
        at(4, 15),
    );
    let pathway = RttPathway::of_referral(&referral).unwrap();
    let rules: Vec<_> = pathway
        .periods()
        .iter()
        .map(|p| (p.start_rule(), p.end()))
        .collect();
    assert_eq!(
        rules,
        vec![
            (
                RttRule::Rule1b,
                Some(ClockEnd::Nullified { on: d(2024, 2, 1) })
            ),
            (
                RttRule::Rule3e,
                Some(ClockEnd::Stopped {
                    on: d(2024, 4, 15),
                    rule: RttRule::Rule4a
                })
            ),
        ]
    );
    assert_eq!(pathway.periods()[1].completed_days(), Some(72));
    assert_eq!(
        WaitingListEntry::of_referral(&referral, d(2024, 5, 1)).unwrap(),
        None
    );
}
