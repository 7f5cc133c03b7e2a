//! Referral pathways through the facade: the shipped catalogue file, a seeded day of
//! requests walked through their lifecycles into a waiting list, and the FHIR status
//! codes checked against the official R4 example.

// Helpers outside `#[test]` functions unwrap too: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::panic)]

use chrono::{Duration, NaiveDate, NaiveDateTime};
use pcn::core::{PatientId, ReferralId, Role, SnomedCode, StaffId};
use pcn::referral::*;

const CATALOGUE_FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/crates/pcn-referral/data/riverside-pcn-catalogue.json"
);

#[test]
fn the_catalogue_file_is_the_embedded_example() {
    let from_file = PathwayCatalogue::load(CATALOGUE_FILE).unwrap();
    let embedded = PathwayCatalogue::from_json(EXAMPLE_CATALOGUE).unwrap();
    assert_eq!(from_file.definition(), embedded.definition());
}

/// A tiny seeded generator, so the day is the same on every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(self.0 >> 33).unwrap() % n
    }
}

#[test]
fn a_seeded_day_of_referrals_reaches_the_waiting_list() {
    let catalogue = PathwayCatalogue::load(CATALOGUE_FILE).unwrap();
    let reasons: Vec<SnomedCode> = catalogue
        .pathways()
        .flat_map(|(_, p)| p.eligibility.reasons.clone())
        .collect();
    let routes = [
        EntryRoute::GpReferral,
        EntryRoute::SelfReferral,
        EntryRoute::TeamReferral {
            role: Role::PracticeNurse,
        },
        EntryRoute::TeamReferral {
            role: Role::ClinicalPharmacist,
        },
        EntryRoute::SocialPrescribing,
        EntryRoute::AgencyReferral,
    ];
    let conditions = [
        SnomedCode::constant(73_211_009),
        SnomedCode::constant(69_896_004),
    ];
    let day: NaiveDateTime = NaiveDate::from_ymd_opt(2024, 5, 1)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    let clinician = Actor::Staff {
        id: StaffId::from_u128(99),
        role: Role::Gp,
    };
    let mut rng = Lcg(7);
    let mut referrals = Vec::new();
    let mut unroutable = 0;
    for n in 0..400u128 {
        let route = routes[rng.below(routes.len())];
        let request = ReferralRequest {
            patient: PatientFacts {
                age: PatientAge::Years(10 + u8::try_from(rng.below(85)).unwrap()),
                registered_practice: None,
                registered_network: (rng.below(10) > 0).then(|| catalogue.network()),
                conditions: conditions
                    .iter()
                    .copied()
                    .filter(|_| rng.below(3) == 0)
                    .collect(),
            },
            reason: reasons[rng.below(reasons.len())],
            route,
            date: day.date(),
            red_flags: if rng.below(20) == 0 {
                vec![RedFlag::SuspectedCancer]
            } else {
                Vec::new()
            },
        };
        let routed = match catalogue.route(&request) {
            Ok(routed) => routed,
            Err(ReferralError::NoPathway(no_route)) => {
                // Every explanation names at least one failed criterion per candidate.
                assert!(no_route.candidates.iter().all(|c| !c.failures.is_empty()));
                assert!(request.red_flags.is_empty());
                unroutable += 1;
                continue;
            }
            Err(other) => panic!("{other}"),
        };
        if route == EntryRoute::SelfReferral && !request.red_flags.is_empty() {
            assert!(routed.priority().is_expedited());
            assert!(routed.red_flag().is_some());
        }
        let details = ReferralDetails::from_routed(
            ReferralId::from_u128(n + 1),
            PatientId::from_u128(n + 1),
            route,
            &routed,
        );
        let mut referral = Referral::draft(details, clinician, day);
        referral
            .apply(EventRecord::new(ReferralEvent::Submit, clinician, day))
            .unwrap();
        // A third are seen within the week; the rest are still waiting.
        if rng.below(3) == 0 {
            let slot_at = day + Duration::days(1 + i64::try_from(rng.below(6)).unwrap());
            let slot = Slot::new(slot_at, 20, None).unwrap();
            referral
                .apply(EventRecord::new(
                    ReferralEvent::Book { slot },
                    clinician,
                    day,
                ))
                .unwrap();
            referral
                .apply(EventRecord::new(ReferralEvent::Attend, clinician, slot_at))
                .unwrap();
        }
        referrals.push(referral);
    }
    assert!(unroutable > 0 && !referrals.is_empty());

    let census = day.date() + Duration::days(21);
    let entries: Vec<WaitingListEntry> = referrals
        .iter()
        .filter_map(|r| WaitingListEntry::of_referral(r, census).unwrap())
        .collect();
    // Waiting: everyone not yet seen, plus consultant-led and suspected-cancer
    // referrals whose clocks run on after a first appointment.
    let expected = referrals
        .iter()
        .filter(|r| {
            r.first_contact_at().is_none()
                || matches!(
                    r.details().target.measure,
                    WaitMeasure::ReferralToTreatment | WaitMeasure::FasterDiagnosis
                )
        })
        .count();
    assert_eq!(entries.len(), expected);
    for entry in &entries {
        assert_eq!(entry.days_waited, 21);
    }
    let report = WaitingListReport::new(census, &entries, 3);
    assert_eq!(usize::try_from(report.waiting).unwrap(), entries.len());
    assert_eq!(report.by_weeks.len(), 3);
    assert_eq!(report.by_weeks[2].waiting, report.waiting);
    // 21 days breaches the 14- and 1-day first-contact targets only.
    let breached = entries.iter().filter(|e| e.target.days < 21).count();
    assert_eq!(
        report.waiting - report.within_target,
        u32::try_from(breached).unwrap()
    );
}

#[test]
fn task_status_codes_match_the_official_fhir_example() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/fhir/r4-examples/Task-example1.json"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        println!("skipped: {path} is not present in this checkout");
        return;
    };
    let task: serde_json::Value = serde_json::from_str(&text).unwrap();
    let status: TaskStatus = serde_json::from_value(task["status"].clone()).unwrap();
    assert_eq!(status, TaskStatus::InProgress);
    assert_eq!(status.code(), task["status"].as_str().unwrap());
    // The state that shows as in-progress is an attended referral.
    let attended = ReferralState::Attended {
        at: NaiveDate::from_ymd_opt(2024, 5, 1)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap(),
    };
    assert_eq!(attended.task_status().code(), "in-progress");
}
