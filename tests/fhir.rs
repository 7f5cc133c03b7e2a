//! The network in the shipped NHS ODS extract, with a generated population and a
//! synthetic workforce and its teams, travels through a FHIR bundle and back unchanged.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use pcn::core::PracticeId;
use pcn::fhir::{NetworkData, import_network, import_resource, network_to_bundle, to_json};
use pcn::network::Registry;
use pcn::ods::{DataFolder, ReadOptions};
use pcn::population::PopulationGenerator;
use pcn::team::synthetic::{NetworkSpec, SyntheticNetwork};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data");

fn shipped_registry() -> Registry {
    DataFolder::find(DATA)
        .unwrap()
        .import_registry(ReadOptions::collecting())
        .unwrap()
        .0
}

#[test]
fn the_shipped_network_travels_through_fhir_unchanged() {
    let registry = shipped_registry();
    assert!(
        registry.membership_count() > 0,
        "the extract has memberships"
    );
    let practices: Vec<PracticeId> = registry.practices().map(|(_, p)| p.id()).collect();
    let on = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
    let patients = PopulationGenerator::england(11)
        .patients(0..2_000, &practices, on)
        .unwrap();
    let synthetic = SyntheticNetwork::generate(5, 0, &NetworkSpec::fifty_thousand()).unwrap();
    let staff: Vec<_> = synthetic.workforce.staff_members().cloned().collect();
    let teams: Vec<_> = synthetic.workforce.teams().cloned().collect();

    let data = NetworkData {
        registry,
        patients,
        staff,
        teams,
        care_plans: Vec::new(),
    };
    assert!(data.teams.iter().any(|t| !t.memberships().is_empty()));
    let json = to_json(&network_to_bundle(&data)).unwrap();
    let imported = import_network(json.as_bytes()).unwrap();
    assert!(
        imported.ignored.is_empty(),
        "{:?}",
        imported.ignored.iter().take(5).collect::<Vec<_>>()
    );
    assert_eq!(imported.resource, data);

    // The bundle is plain FHIR too: every entry reads as a resource on its own.
    let bundle = import_resource(json.as_bytes()).unwrap();
    assert!(bundle.ignored.is_empty());
}
