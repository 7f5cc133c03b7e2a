//! The crates together on real data: the North Central London and Southport and Formby
//! extract shipped in `data/`, a synthetic population registered with one PCN's
//! practices, its highest-risk cohort, the caseload entries the teams would plan from,
//! and the facts referral routing reads.

// Fixtures are built from the shipped files and literals.
#![allow(clippy::unwrap_used)]

use std::collections::HashSet;

use chrono::NaiveDate;
use pcn::core::{OdsCode, PracticeId};
use pcn::network::Registry;
use pcn::ods::{DataFolder, ErrorMode, ReadOptions};
use pcn::population::{CohortPipeline, PopulationGenerator};
use pcn::referral::{PatientAge, PatientFacts};
use pcn::team::{CaseloadPatient, ExistingCare, Locality, NeedsPolicy};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/");

fn registry() -> Registry {
    let (registry, report) = DataFolder::find(DATA)
        .unwrap()
        .import_registry(ReadOptions {
            errors: ErrorMode::FailFast,
            ..ReadOptions::default()
        })
        .unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    registry
}

#[test]
fn a_pcns_population_flows_from_registry_to_caseloads_and_routing() {
    let registry = registry();
    let on = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
    let southport_and_formby: OdsCode = "U18460".parse().unwrap();
    let network = registry
        .network_index_by_code(&southport_and_formby)
        .unwrap();
    let network_id = registry.network(network).unwrap().id();
    let practices: Vec<PracticeId> = registry
        .members_on(network, on)
        .map(|p| registry.practice(p).unwrap().id())
        .collect();
    assert!(!practices.is_empty(), "the PCN has members on {on}");

    let generator = PopulationGenerator::england(2023);
    let patients = generator.patients(0..5_000, &practices, on).unwrap();
    let profiles: Vec<_> = patients
        .iter()
        .map(|p| p.risk_profile(on).unwrap())
        .collect();
    let cohort = CohortPipeline::default().select(&profiles).unwrap();
    let complex: HashSet<_> = cohort.members().iter().map(|m| m.patient).collect();
    assert!(!complex.is_empty());

    let policy = NeedsPolicy::default();
    for patient in &patients {
        // Every patient is registered with one of the PCN's practices, and so routes
        // as a patient of the PCN.
        let facts = PatientFacts::from_patient(patient, on, &registry);
        assert_eq!(facts.registered_network, Some(network_id));
        assert_eq!(facts.age, PatientAge::DateOfBirth(patient.date_of_birth()));
        assert!(practices.contains(&facts.registered_practice.unwrap()));

        let entry = CaseloadPatient::from_patient(
            patient,
            on,
            &policy,
            complex.contains(&patient.id()),
            Locality::new(0),
            ExistingCare::default(),
        )
        .unwrap();
        assert_eq!(Some(entry.practice), facts.registered_practice);
        if patient.is_housebound() {
            assert!(entry.needs.contains(pcn::team::Skill::HomeVisits));
        }
    }
}
