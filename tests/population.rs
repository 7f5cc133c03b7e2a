//! Population health end to end, through the facade: generate a network's patients,
//! stratify them, select a cohort, plan care and control access.

// Test helpers outside `#[test]` functions unwrap as the tests do.
#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use pcn::core::{CarePlanId, DateRange, NetworkId, PracticeId, StaffId};
use pcn::population::{
    AccessControl, AccessKind, AccessPolicy, AccessReason, CarePlan, CohortPipeline, CohortSize,
    Consent, NewCarePlan, Patient, PopulationGenerator, RiskProfile, Stratifier, Workplace,
};

fn on() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 4, 1).unwrap()
}

fn network_population() -> (Vec<PracticeId>, Vec<Patient>, Vec<RiskProfile>) {
    let practices: Vec<PracticeId> = (1..=4).map(PracticeId::from_u128).collect();
    let patients = PopulationGenerator::england(11)
        .patients(0..20_000, &practices, on())
        .unwrap();
    let profiles = patients
        .iter()
        .map(|p| p.risk_profile(on()).unwrap())
        .collect();
    (practices, patients, profiles)
}

#[test]
fn a_network_cohort_is_the_top_two_percent_of_adults_explained() {
    let (_, patients, profiles) = network_population();
    let cohort = CohortPipeline::default().select(&profiles).unwrap();
    let adults = patients
        .iter()
        .filter(|p| p.age_on(on()).unwrap() >= 18)
        .count() as u64;
    assert_eq!(cohort.eligible(), adults);
    assert_eq!(cohort.target(), (adults * 2).div_ceil(100));
    assert_eq!(cohort.members().len() as u64, cohort.target());

    // Ranked highest first, each with an explanation that adds up to the score, and
    // nobody outside the cohort scoring above its cut-off.
    let cut_off = cohort.cut_off_score().unwrap();
    for pair in cohort.members().windows(2) {
        assert!(pair[0].score >= pair[1].score);
    }
    for member in cohort.members() {
        let total: u32 = member
            .explanation
            .contributions()
            .iter()
            .map(|c| c.points)
            .sum();
        assert_eq!(total, member.score);
        assert!(!member.explanation.to_string().is_empty());
    }
    let pipeline = CohortPipeline::default();
    let selected: std::collections::BTreeSet<_> =
        cohort.members().iter().map(|m| m.patient).collect();
    for p in &profiles {
        if p.age() >= 18 && !selected.contains(&p.patient()) {
            assert!(pipeline.explain(p).score() <= cut_off);
        }
    }

    // The same people in reverse order give the same cohort.
    let mut reversed = profiles.clone();
    reversed.reverse();
    assert_eq!(pipeline.select(&reversed).unwrap(), cohort);
}

#[test]
fn stratification_counts_people_75_and_over_for_named_gps() {
    let (_, patients, profiles) = network_population();
    let summary = Stratifier::default().summarise(&profiles);
    let over_75 = patients
        .iter()
        .filter(|p| p.age_on(on()).unwrap() >= 75)
        .count() as u64;
    assert_eq!(summary.named_gp_required, over_75);
    assert_eq!(summary.people, 20_000);
    // A score-threshold cohort of the severely frail, for comparison.
    let severe = CohortPipeline {
        size: CohortSize::ScoreAtLeast(35),
        ..CohortPipeline::default()
    }
    .select(&profiles)
    .unwrap();
    assert!(severe.members().len() as u64 >= summary.by_frailty_band[3]);
}

#[test]
fn only_the_rules_open_a_care_plan_and_every_request_is_logged() {
    let (practices, patients, _) = network_population();
    let patient = &patients[0];
    let home = patient.registered_practice_on(on()).unwrap();
    let elsewhere = *practices.iter().find(|p| **p != home).unwrap();
    let plan = CarePlan::new(NewCarePlan {
        id: CarePlanId::from_u128(1),
        patient: patient.id(),
        created_on: on(),
        what_matters: vec!["Staying independent".into()],
        goals: vec![],
        actions: vec![],
        review_on: NaiveDate::from_ymd_opt(2024, 7, 1).unwrap(),
        consent: Consent::Given {
            on: on(),
            enriched_summary_care_record: false,
        },
        named_accountable_gp: StaffId::from_u128(1),
        care_coordinator: StaffId::from_u128(2),
        care_team: Default::default(),
        same_day_telephone_access: true,
    })
    .unwrap();
    let home_nurse = StaffId::from_u128(3);
    let other_nurse = StaffId::from_u128(4);
    let network_worker = StaffId::from_u128(5);
    let mut policy = AccessPolicy::new();
    let always = DateRange::starting(NaiveDate::from_ymd_opt(2019, 1, 1).unwrap());
    policy.add_workplace(home_nurse, Workplace::Practice(home), always);
    policy.add_workplace(other_nurse, Workplace::Practice(elsewhere), always);
    // Network staff without any data sharing agreement recorded.
    policy.add_workplace(
        network_worker,
        Workplace::Network(NetworkId::from_u128(9)),
        always,
    );
    let mut control = AccessControl::new(policy);
    let at = on().and_hms_opt(12, 0, 0).unwrap();
    let ask = |control: &mut AccessControl, who| {
        control
            .request(who, AccessKind::Read, patient, &plan, at)
            .unwrap()
    };
    assert_eq!(
        ask(&mut control, StaffId::from_u128(2)).reason,
        AccessReason::CareTeam
    );
    assert!(ask(&mut control, home_nurse).allowed);
    assert!(!ask(&mut control, other_nurse).allowed);
    assert!(!ask(&mut control, network_worker).allowed);
    assert_eq!(control.log().len(), 4);
    assert_eq!(control.log().for_patient(patient.id()).count(), 4);
}

#[test]
fn patients_round_trip_through_json() {
    let (_, patients, _) = network_population();
    for patient in patients.iter().take(50) {
        let json = serde_json::to_string(patient).unwrap();
        let back: Patient = serde_json::from_str(&json).unwrap();
        assert_eq!(&back, patient);
    }
}
