//! Every official FHIR R4 example resource shipped in `tests/data/r4-examples` imports
//! without error, reports what it does not model, and exports JSON that imports again
//! to the same resource and follows the R4 JSON rules.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use pcn_fhir::{
    CarePlanActivityStatus, FhirDateTime, Imported, RequestStatus, Resource, TaskStatus,
    import_resource, to_json,
};
use serde_json::Value;

const SHIPPED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/r4-examples");
const SHARED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/fhir/r4-examples"
);

fn example_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(SHIPPED)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// Imports a file; the resources borrow from its text, which lives for the test run.
fn import_file(path: &Path) -> Imported<Resource<'static>> {
    let bytes: &'static [u8] = Box::leak(std::fs::read(path).unwrap().into_boxed_slice());
    import_resource(bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn import_named(name: &str) -> Imported<Resource<'static>> {
    import_file(&Path::new(SHIPPED).join(name))
}

/// Checks the R4 JSON rules that types alone do not: no empty strings, arrays or
/// objects, no nulls (`ele-1`: every element has a value or children), and
/// `resourceType` first in every resource.
fn assert_r4_json_rules(value: &Value, path: &str) {
    match value {
        Value::Null => panic!("{path}: null is not a FHIR value"),
        Value::String(s) => assert!(!s.trim().is_empty(), "{path}: empty string"),
        Value::Array(items) => {
            assert!(!items.is_empty(), "{path}: empty array");
            for (i, item) in items.iter().enumerate() {
                assert_r4_json_rules(item, &format!("{path}[{i}]"));
            }
        }
        Value::Object(members) => {
            assert!(!members.is_empty(), "{path}: empty object");
            for (key, member) in members {
                assert_r4_json_rules(member, &format!("{path}.{key}"));
            }
        }
        Value::Bool(_) | Value::Number(_) => {}
    }
}

fn assert_type_first(json: &str) {
    // serde_json's Value sorts members, so check the text itself.
    for (at, _) in json.match_indices("\"resourceType\"") {
        let before = json[..at].trim_end();
        assert!(
            before.ends_with('{'),
            "resourceType is not the first member at byte {at}"
        );
    }
}

#[test]
fn the_shipped_examples_are_the_official_files() {
    let files = example_files();
    assert_eq!(files.len(), 14, "the R4 example set has 14 files");
    if !Path::new(SHARED).exists() {
        eprintln!("note: {SHARED} is absent; comparing with the shared copies skipped");
        return;
    }
    for file in &files {
        let name = file.file_name().unwrap();
        let shared = std::fs::read(Path::new(SHARED).join(name)).unwrap();
        assert_eq!(std::fs::read(file).unwrap(), shared, "{name:?} differs");
    }
}

#[test]
fn every_example_imports_exports_and_imports_again_unchanged() {
    for file in example_files() {
        let first = import_file(&file);
        let json = to_json(&first.resource).unwrap();
        assert_type_first(&json);
        let value: Value = serde_json::from_str(&json).unwrap();
        assert_r4_json_rules(&value, first.resource.resource_type());
        let second = import_resource(json.as_bytes())
            .unwrap_or_else(|e| panic!("{}: re-import: {e}", file.display()));
        assert_eq!(second.resource, first.resource, "{}", file.display());
        if !matches!(first.resource, Resource::Other(_)) {
            assert!(
                second.ignored.is_empty(),
                "{}: the export wrote elements the import ignores: {:?}",
                file.display(),
                second.ignored.iter().collect::<Vec<_>>()
            );
        }
    }
}

#[test]
fn unmodelled_elements_are_reported_not_fatal() {
    let patient = import_named("Patient-example.json");
    for path in ["Patient.contact", "Patient._birthDate"] {
        assert!(patient.ignored.contains(path), "{path}");
    }
    let care_plan = import_named("CarePlan-example.json");
    for path in [
        "CarePlan.contained",
        "CarePlan.instantiatesUri",
        "CarePlan.encounter",
        "CarePlan.activity[0].outcomeCodeableConcept",
        "CarePlan.activity[0].detail.scheduledTiming",
    ] {
        assert!(care_plan.ignored.contains(path), "{path}");
    }
    let integrate = import_named("CarePlan-integrate.json");
    assert!(integrate.ignored.contains("CarePlan.activity[0].progress"));
    assert!(
        integrate
            .ignored
            .contains("CarePlan.activity[0].detail.extension")
    );

    // Resource types we do not model are kept whole and reported once.
    for (file, kind) in [
        ("Location-1.json", "Location"),
        ("EpisodeOfCare-example.json", "EpisodeOfCare"),
    ] {
        let imported = import_named(file);
        assert_eq!(imported.resource.resource_type(), kind);
        assert_eq!(imported.ignored.iter().collect::<Vec<_>>(), [kind]);
    }
}

#[test]
fn modelled_elements_are_read_as_typed_values() {
    let Resource::Task(task) = import_named("Task-example1.json").resource else {
        panic!("not a task")
    };
    assert_eq!(task.status, TaskStatus::InProgress);
    assert_eq!(
        task.focus.and_then(|f| f.reference).as_deref(),
        Some("ServiceRequest/lipid")
    );
    assert_eq!(
        task.business_status.and_then(|b| b.text).as_deref(),
        Some("waiting for specimen")
    );

    let Resource::CarePlan(plan) = import_named("CarePlan-example.json").resource else {
        panic!("not a care plan")
    };
    assert_eq!(plan.status, RequestStatus::Active);
    let detail = plan.activity[0].detail.as_ref().unwrap();
    assert_eq!(detail.status, CarePlanActivityStatus::Completed);
    assert_eq!(
        plan.period.and_then(|p| p.end),
        Some(FhirDateTime::Day(
            chrono::NaiveDate::from_ymd_opt(2017, 6, 1).unwrap()
        ))
    );

    let Resource::OrganizationAffiliation(affiliation) =
        import_named("OrganizationAffiliation-example.json").resource
    else {
        panic!("not an affiliation")
    };
    let period = affiliation.period.unwrap();
    assert_eq!(period.start.unwrap().to_string(), "2012-01-01");
    assert_eq!(period.end.unwrap().to_string(), "2012-03-31");

    let Resource::Patient(patient) = import_named("Patient-example.json").resource else {
        panic!("not a patient")
    };
    assert_eq!(patient.birth_date.unwrap().to_string(), "1974-12-25");
    // A year-only period end, as the example's maiden name has.
    assert_eq!(
        patient.name[2].period.as_ref().unwrap().end.unwrap(),
        FhirDateTime::Year(2002)
    );

    let Resource::CareTeam(team) = import_named("CareTeam-example.json").resource else {
        panic!("not a care team")
    };
    assert_eq!(team.participant.len(), 2);
    assert_eq!(
        team.participant[1]
            .on_behalf_of
            .as_ref()
            .unwrap()
            .reference
            .as_deref(),
        Some("Organization/f001")
    );
}

#[test]
fn the_examples_read_the_same_with_resource_type_last() {
    // FHIR JSON does not fix the order of members; move resourceType to the end.
    for file in example_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let first = import_resource(text.as_bytes()).unwrap();
        let Resource::Other(_) = first.resource else {
            let mut value: serde_json::Map<String, Value> = serde_json::from_str(&text).unwrap();
            let kind = value.remove("resourceType").unwrap();
            let mut moved = serde_json::to_string(&value).unwrap();
            moved.pop();
            moved.push_str(&format!(",\"resourceType\":{kind}}}"));
            let again = import_resource(moved.as_bytes()).unwrap();
            assert_eq!(again.resource, first.resource, "{}", file.display());
            assert_eq!(
                again.ignored.len(),
                first.ignored.len(),
                "{}",
                file.display()
            );
            continue;
        };
    }
}
