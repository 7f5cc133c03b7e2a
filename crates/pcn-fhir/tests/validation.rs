//! The validating import: it agrees with the strict import on every document the
//! strict one accepts (official R4 examples, BaRS messages, generated network
//! bundles in `round_trip.rs`, and mutated copies of all of these); no byte string
//! makes any reader panic; and resources whose ids are not UUIDs map under derived
//! ids and go back out under their own.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use pcn_fhir::{
    Bundle, BundleEntry, BundleType, ForeignIds, Resource, care_plan_from_fhir, care_plan_to_fhir,
    import, import_network, import_resource, read_bars_referral, to_json, validate_resource,
};
use proptest::prelude::*;

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/r4-examples");
const MESSAGE: &str = include_str!("data/bars/referral-request.json");

fn examples() -> Vec<Vec<u8>> {
    let mut files: Vec<_> = std::fs::read_dir(EXAMPLES)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

/// The official examples in one collection bundle.
fn examples_bundle() -> String {
    let entries: Vec<String> = examples()
        .iter()
        .map(|e| format!("{{\"resource\":{}}}", String::from_utf8_lossy(e)))
        .collect();
    format!(
        "{{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{}]}}",
        entries.join(",")
    )
}

/// The validating import keeps exactly what the strict import accepts, with no
/// error, whenever the strict import accepts; and never panics.
fn assert_agree(json: &[u8]) -> Result<(), TestCaseError> {
    let validated = validate_resource(json);
    if let Ok(strict) = import_resource(json) {
        prop_assert!(!validated.report.has_errors(), "{}", validated.report);
        prop_assert_eq!(validated.value.as_ref(), Some(&strict.resource));
        // What the strict import reports as ignored is information in the report.
        for path in strict.ignored.iter() {
            prop_assert!(validated.report.at(path).next().is_some(), "{}", path);
        }
    } else {
        prop_assert!(validated.report.has_errors(), "{}", validated.report);
    }
    Ok(())
}

#[test]
fn the_imports_agree_on_every_official_example_and_on_them_bundled() {
    for example in examples() {
        assert_agree(&example).unwrap();
    }
    let bundle = examples_bundle();
    assert!(import_resource(bundle.as_bytes()).is_ok());
    assert_agree(bundle.as_bytes()).unwrap();
    assert_agree(MESSAGE.as_bytes()).unwrap();
}

/// A copy of `doc` with `edits` applied: each replaces, deletes or inserts a byte.
fn mutate(doc: &[u8], edits: &[(usize, u8, u8)]) -> Vec<u8> {
    let mut out = doc.to_vec();
    for &(at, kind, byte) in edits {
        if out.is_empty() {
            break;
        }
        let at = at % out.len();
        match kind % 3 {
            0 => out[at] = byte,
            1 => {
                out.remove(at);
            }
            _ => out.insert(at, byte),
        }
    }
    out
}

/// Bytes that make mutations likely to stay JSON and hit the checks.
fn json_byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        Just(b'"'),
        Just(b'0'),
        Just(b'9'),
        Just(b'a'),
        Just(b'-'),
        Just(b'{'),
        Just(b'}'),
        Just(b','),
        Just(b' '),
        any::<u8>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_byte_string_panics_any_reader(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = import_resource(&bytes);
        let _ = validate_resource(&bytes);
        let _ = read_bars_referral(&bytes);
        let _ = import_network(&bytes);
    }

    #[test]
    fn the_imports_agree_on_mutated_messages_and_examples(
        which in 0usize..16,
        edits in prop::collection::vec((any::<usize>(), any::<u8>(), json_byte()), 1..4),
    ) {
        let examples = examples();
        let doc: Vec<u8> = match which {
            0 => MESSAGE.as_bytes().to_vec(),
            1 => examples_bundle().into_bytes(),
            n => examples[(n - 2) % examples.len()].clone(),
        };
        let mutated = mutate(&doc, &edits);
        assert_agree(&mutated)?;
        let _ = read_bars_referral(&mutated);
        let _ = import_network(&mutated);
    }
}

/// A care plan in the model's pattern, as another system might write it: ids that
/// are not UUIDs, and references by `Type/id`.
fn foreign_plan(id: &str) -> String {
    format!(
        r#"{{"resourceType":"CarePlan","id":"{id}","extension":[
        {{"url":"https://github.com/pcn-rs/pcn/fhir/StructureDefinition/what-matters","valueString":"Walking to the allotment again"}},
        {{"url":"https://github.com/pcn-rs/pcn/fhir/StructureDefinition/review-date","valueDate":"2024-06-01"}},
        {{"url":"https://github.com/pcn-rs/pcn/fhir/StructureDefinition/care-coordinator","valueReference":{{"reference":"Practitioner/f204"}}}}],
        "status":"active","intent":"plan","subject":{{"reference":"Patient/f201"}},
        "created":"2024-03-01","author":{{"reference":"Practitioner/f201"}}}}"#
    )
}

#[test]
fn care_plans_with_ids_that_are_not_uuids_import_and_go_back_out_under_them() {
    for id in ["gpvisit", "f201"] {
        let json = foreign_plan(id);
        let plan = import::<pcn_fhir::CarePlan>(json.as_bytes())
            .unwrap()
            .resource;
        let model = care_plan_from_fhir(&plan).unwrap();
        assert_eq!(model.id().as_uuid(), ForeignIds::uuid_of("CarePlan", id));
        assert_eq!(
            model.patient().as_uuid(),
            ForeignIds::uuid_of("Patient", "f201")
        );
        assert_eq!(
            model.named_accountable_gp().as_uuid(),
            ForeignIds::uuid_of("Practitioner", "f201")
        );

        // Out again: the model writes its UUID; the recorded ids restore the original.
        let mut ids = ForeignIds::new();
        ids.record("CarePlan", id);
        let mut bundle = Bundle::new(BundleType::Collection);
        bundle.entry.push(BundleEntry {
            full_url: Some(format!("urn:uuid:{}", model.id().as_uuid()).into()),
            resource: Some(care_plan_to_fhir(&model).into()),
        });
        ids.restore(&mut bundle);
        let Some(Resource::CarePlan(out)) = &bundle.entry[0].resource else {
            panic!("not a care plan")
        };
        assert_eq!(out.id.as_ref().unwrap().as_str(), id);
        // And the restored plan maps to the same model plan.
        assert_eq!(care_plan_from_fhir(out).unwrap(), model);

        // In a network bundle, the validating import says what it did with the id.
        let bundle_json = format!(
            r#"{{"resourceType":"Bundle","type":"collection","entry":[{{"resource":{json}}}]}}"#
        );
        let validated = validate_resource(bundle_json.as_bytes());
        let issue = validated
            .report
            .at("Bundle.entry[0].resource.id")
            .next()
            .unwrap();
        assert!(issue.message.contains(&format!("{:?}", id)), "{issue}");
        let network = import_network(bundle_json.as_bytes()).unwrap();
        assert_eq!(network.resource.care_plans, [model]);
        let bundle = import::<Bundle>(bundle_json.as_bytes()).unwrap().resource;
        assert_eq!(
            ForeignIds::of_bundle(&bundle)
                .original("CarePlan", ForeignIds::uuid_of("CarePlan", id)),
            Some(id)
        );
    }
}

#[test]
fn the_shipped_examples_are_present() {
    assert!(Path::new(EXAMPLES).join("CarePlan-example.json").exists());
    // The official CarePlan example (id "example") maps no further than the model
    // allows: the error is about what the model needs, not about its id.
    let json = std::fs::read(Path::new(EXAMPLES).join("CarePlan-example.json")).unwrap();
    let plan = import::<pcn_fhir::CarePlan>(&json).unwrap().resource;
    let err = care_plan_from_fhir(&plan).unwrap_err();
    assert_ne!(err.path(), Some("CarePlan.id"), "{err}");
    let out = to_json(&plan).unwrap();
    assert!(out.contains(r#""id":"example""#));
}

#[test]
fn a_network_bundle_keeps_what_the_model_accepts_and_reports_the_rest() {
    use chrono::NaiveDate;
    use pcn_core::DateRange;
    use pcn_fhir::{NetworkData, network_to_bundle, validate_network};
    use pcn_network::{Network, Practice, PracticeStatus, Registry};
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    let mut registry = Registry::new();
    let mut practices = Vec::new();
    for (code, name) in [
        ("A81001", "The Densham Surgery"),
        ("A81002", "Queens Park Medical Centre"),
    ] {
        let practice = Practice::new(
            code.parse().unwrap(),
            name,
            DateRange::starting(d(1974, 4, 1)),
            PracticeStatus::Active,
        )
        .unwrap();
        practices.push(registry.add_practice(practice).unwrap());
    }
    let pcn = registry
        .add_network(
            Network::pcn(
                "U89141".parse().unwrap(),
                "Stockton PCN",
                DateRange::starting(d(2019, 7, 1)),
            )
            .unwrap(),
        )
        .unwrap();
    for practice in &practices {
        registry
            .join(*practice, pcn, DateRange::starting(d(2019, 7, 1)))
            .unwrap();
    }
    let data = NetworkData {
        registry,
        ..NetworkData::default()
    };
    let json = to_json(&network_to_bundle(&data)).unwrap();
    // The second practice loses its operating period, which the model needs.
    let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
    value["entry"][1]["resource"]
        .as_object_mut()
        .unwrap()
        .remove("extension");
    let broken = serde_json::to_string(&value).unwrap();
    assert!(import_network(broken.as_bytes()).is_err());

    let validated = validate_network(broken.as_bytes());
    let errors: Vec<&str> = validated
        .report
        .errors()
        .map(|i| i.location.as_str())
        .collect();
    // The practice, then its membership, which now refers to nothing.
    assert_eq!(errors.len(), 2, "{}", validated.report);
    assert_eq!(errors[0], "Bundle.entry[1].resource.extension");
    let network = validated.value.unwrap();
    assert_eq!(network.registry.practice_count(), 1);
    assert_eq!(network.registry.membership_count(), 1);
    assert_eq!(network.registry.network_count(), 1);
}
