//! BaRS referral messages: a well-formed message reads into a referral with no
//! errors, each realistic defect is reported where it is with the rest kept, a
//! referral written out reads back the same, and a referral's state is read from
//! tasks another system wrote.
//!
//! `tests/data/bars/referral-request.json` is a referral request written for these
//! tests from the published BaRS message structure and the UK Core profiles (a GP
//! practice referring a patient to a community pharmacy blood pressure service); the
//! people, codes and endpoints in it are made up.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pcn_core::{OdsCode, ReferralId};
use pcn_fhir::{
    BarsReferral, ForeignIds, Issue, IssueSeverity, IssueType, MessageReason, Organisation,
    ReferralProgress, Validated, bars_referral_to_fhir, import_resource, read_bars_referral,
    to_json,
};
use pcn_referral::{Priority, StateKind, TaskStatus};
use serde_json::{Value, json};

const MESSAGE: &str = include_str!("data/bars/referral-request.json");

fn message() -> Value {
    serde_json::from_str(MESSAGE).unwrap()
}

fn read(value: &Value) -> Validated<BarsReferral> {
    read_bars_referral(serde_json::to_string(value).unwrap().as_bytes())
}

fn resource(value: &mut Value, entry: usize) -> &mut Value {
    &mut value["entry"][entry]["resource"]
}

fn not_information(issues: &[Issue]) -> Vec<&Issue> {
    issues
        .iter()
        .filter(|i| i.severity != IssueSeverity::Information)
        .collect()
}

#[test]
fn a_well_formed_message_reads_into_a_referral_without_errors_or_warnings() {
    let read = read_bars_referral(MESSAGE.as_bytes());
    assert!(
        not_information(read.report.issues()).is_empty(),
        "{}",
        read.report
    );
    let referral = read.value.unwrap();
    assert_eq!(
        referral.id.as_uuid().to_string(),
        "6b0e9d21-3c47-4f5a-8e12-7a9b0c1d2e02"
    );
    assert_eq!(referral.reason, MessageReason::New);
    assert_eq!(referral.priority, Priority::Routine);
    assert_eq!(referral.use_case.as_deref(), Some("a5t3"));
    let patient = referral.patient.as_ref().unwrap();
    assert_eq!(patient.nhs_number.unwrap().as_u64(), 9_434_765_919);
    assert_eq!(patient.name.as_deref(), Some("Grace Okafor"));
    let referrer = referral.referrer.as_ref().unwrap();
    assert_eq!(referrer.name.as_deref(), Some("Rhys Hughes"));
    assert_eq!(referrer.role.as_deref(), Some("General practitioner"));
    let practice: OdsCode = "A81001".parse().unwrap();
    assert_eq!(
        referrer
            .organisation
            .as_ref()
            .and_then(Organisation::ods_code),
        Some(practice)
    );
    let service = referral.service.as_ref().unwrap();
    assert_eq!(service.dos_id.as_deref(), Some("2000104455"));
    assert_eq!(
        service.provided_by.as_ref().and_then(Organisation::name),
        Some("High Street Pharmacy")
    );
    assert_eq!(
        referral.sender.as_ref().and_then(Organisation::ods_code),
        Some(practice)
    );
    assert_eq!(
        referral.reasons[0].text.as_deref(),
        Some("Raised readings at two surgery visits; home monitoring requested")
    );
    // The resources BaRS carries as they come are reported, not refused.
    for kind in [8, 10, 11] {
        let at = format!("Bundle.entry[{kind}].resource");
        assert!(
            read.report
                .at(&at)
                .any(|i| i.severity == IssueSeverity::Information),
            "{at}"
        );
    }
    // The patient's identifier extension is an element we do not model.
    assert!(
        read.report
            .at("Bundle.entry[2].resource.identifier[0].extension")
            .next()
            .is_some()
    );
}

#[test]
fn an_invalid_nhs_number_is_an_error_on_that_patient_and_the_rest_is_kept() {
    let mut value = message();
    resource(&mut value, 2)["identifier"][0]["value"] = json!("9434765918");
    let read = read(&value);
    let errors: Vec<&Issue> = read.report.errors().collect();
    assert_eq!(errors.len(), 1, "{}", read.report);
    assert_eq!(
        errors[0].location,
        "Bundle.entry[2].resource.identifier[0].value"
    );
    assert_eq!(errors[0].code, IssueType::Value);
    assert!(errors[0].message.contains("9434765918"), "{}", errors[0]);
    let referral = read.value.unwrap();
    assert!(referral.patient.is_none());
    assert!(referral.referrer.is_some() && referral.service.is_some());
    assert!(referral.sender.is_some() && referral.receiver.is_some());
    // The strict import refuses the whole message for it.
    let json = serde_json::to_string(&value).unwrap();
    let err = import_resource(json.as_bytes()).unwrap_err();
    assert_eq!(
        err.path(),
        Some("Bundle.entry[2].resource.identifier[0].value")
    );
}

#[test]
fn an_organisation_without_an_ods_code_is_read_as_outside_the_nhs_with_a_warning() {
    let mut value = message();
    resource(&mut value, 7)
        .as_object_mut()
        .unwrap()
        .remove("identifier");
    let read = read(&value);
    assert!(!read.report.has_errors(), "{}", read.report);
    let warnings: Vec<&Issue> = read.report.warnings().collect();
    assert_eq!(warnings.len(), 1, "{}", read.report);
    assert_eq!(warnings[0].location, "Bundle.entry[7].resource.identifier");
    let referral = read.value.unwrap();
    assert_eq!(
        referral.receiver,
        Some(Organisation::NonNhs {
            name: "High Street Pharmacy".into()
        })
    );
}

#[test]
fn an_ods_system_in_the_wrong_case_is_a_warning_and_the_code_is_kept() {
    let mut value = message();
    resource(&mut value, 6)["identifier"][0]["system"] =
        json!("https://fhir.nhs.uk/id/ods-organization-code");
    let read = read(&value);
    let warnings: Vec<&Issue> = read.report.warnings().collect();
    assert_eq!(warnings.len(), 1, "{}", read.report);
    assert_eq!(
        warnings[0].location,
        "Bundle.entry[6].resource.identifier[0].system"
    );
    let sender = read.value.unwrap().sender.unwrap();
    assert_eq!(sender.ods_code().unwrap().as_str(), "A81001");
}

#[test]
fn a_service_without_a_type_gets_a_warning() {
    let mut value = message();
    resource(&mut value, 5)
        .as_object_mut()
        .unwrap()
        .remove("type");
    let read = read(&value);
    let warnings: Vec<&Issue> = read.report.warnings().collect();
    assert_eq!(warnings.len(), 1, "{}", read.report);
    assert_eq!(warnings[0].location, "Bundle.entry[5].resource.type");
    assert!(read.value.unwrap().service.unwrap().service_type.is_none());
}

#[test]
fn unknown_elements_are_information_at_their_path() {
    let mut value = message();
    resource(&mut value, 1)["supportingInfo"] = json!([{"reference": "urn:uuid:x"}]);
    resource(&mut value, 2)["maritalStatus"] = json!({"text": "married"});
    let read = read(&value);
    assert!(!read.report.has_errors());
    for at in [
        "Bundle.entry[1].resource.supportingInfo",
        "Bundle.entry[2].resource.maritalStatus",
    ] {
        let issues: Vec<&Issue> = read.report.at(at).collect();
        assert_eq!(issues.len(), 1, "{at}");
        assert_eq!(issues[0].severity, IssueSeverity::Information);
    }
    assert!(read.value.unwrap().patient.is_some());
}

#[test]
fn a_request_whose_id_is_not_a_uuid_keeps_it_and_goes_back_out_under_it() {
    let mut value = message();
    resource(&mut value, 1)["id"] = json!("ref-2024-0042");
    value["entry"][1]["fullUrl"] =
        json!("https://gp.example.nhs.uk/fhir/ServiceRequest/ref-2024-0042");
    resource(&mut value, 0)["focus"][0]["reference"] = json!("ServiceRequest/ref-2024-0042");
    let read = read(&value);
    assert!(!read.report.has_errors(), "{}", read.report);
    assert_eq!(
        read.report
            .at("Bundle.entry[1].resource.id")
            .next()
            .unwrap()
            .severity,
        IssueSeverity::Information
    );
    let referral = read.value.unwrap();
    assert_eq!(
        referral.id,
        ReferralId::from_uuid(ForeignIds::uuid_of("ServiceRequest", "ref-2024-0042"))
    );
    assert_eq!(referral.original_id.as_deref(), Some("ref-2024-0042"));
    let out = to_json(&bars_referral_to_fhir(&referral)).unwrap();
    assert!(out.contains(r#""resourceType":"ServiceRequest","id":"ref-2024-0042""#));
    assert_eq!(read_bars_referral(out.as_bytes()).value, Some(referral));
}

#[test]
fn a_header_without_focus_reads_the_one_request_with_a_warning() {
    let mut value = message();
    resource(&mut value, 0)
        .as_object_mut()
        .unwrap()
        .remove("focus");
    let read = read(&value);
    let warnings: Vec<&Issue> = read.report.warnings().collect();
    assert_eq!(warnings.len(), 1, "{}", read.report);
    assert_eq!(warnings[0].location, "Bundle.entry[0].resource.focus");
    assert!(read.value.is_some());

    // With two requests to choose from, there is no referral to read.
    let mut two = value.clone();
    let request = two["entry"][1].clone();
    two["entry"].as_array_mut().unwrap().push(request);
    let read = self::read(&two);
    assert!(read.value.is_none());
    assert_eq!(
        read.report.errors().next().unwrap().location,
        "Bundle.entry[0].resource.focus"
    );
}

#[test]
fn a_focus_pointing_nowhere_is_an_error_and_no_referral() {
    let mut value = message();
    resource(&mut value, 0)["focus"][0]["reference"] =
        json!("urn:uuid:00000000-0000-4000-8000-000000000000");
    let read = read(&value);
    assert!(read.value.is_none());
    let error = read.report.errors().next().unwrap();
    assert_eq!(error.location, "Bundle.entry[0].resource.focus[0]");
    assert_eq!(error.code, IssueType::NotFound);
}

#[test]
fn a_header_that_is_not_first_is_a_warning() {
    let mut value = message();
    value["entry"].as_array_mut().unwrap().swap(0, 1);
    let read = read(&value);
    let warnings: Vec<&Issue> = read.report.warnings().collect();
    assert_eq!(warnings.len(), 1, "{}", read.report);
    assert_eq!(warnings[0].location, "Bundle.entry[1].resource");
    assert!(read.value.is_some());
}

#[test]
fn a_message_that_is_not_a_referral_request_is_refused_with_the_reason() {
    let mut value = message();
    resource(&mut value, 0)["eventCoding"]["code"] = json!("booking-request");
    let read = read(&value);
    assert!(read.value.is_none());
    let error = read.report.errors().next().unwrap();
    assert_eq!(error.location, "Bundle.entry[0].resource.eventCoding");
    assert_eq!(error.code, IssueType::NotSupported);
    assert!(error.message.contains("booking-request"));
}

#[test]
fn a_malformed_resource_elsewhere_is_an_error_there_and_the_referral_stands() {
    let mut value = message();
    resource(&mut value, 9)["status"] = json!("in-force");
    resource(&mut value, 3)["name"] = json!("Dr Hughes");
    let read = read(&value);
    let locations: Vec<&str> = read.report.errors().map(|i| i.location.as_str()).collect();
    assert_eq!(
        locations,
        [
            "Bundle.entry[3].resource.name",
            "Bundle.entry[9].resource.status"
        ]
    );
    let referral = read.value.unwrap();
    // The referrer's role and organisation are kept; the practitioner's name is not.
    let referrer = referral.referrer.unwrap();
    assert_eq!(referrer.name, None);
    assert!(referrer.organisation.is_some());
}

#[test]
fn the_report_is_an_operation_outcome() {
    let mut value = message();
    resource(&mut value, 2)["identifier"][0]["value"] = json!("123");
    resource(&mut value, 5)
        .as_object_mut()
        .unwrap()
        .remove("type");
    let read = read(&value);
    let outcome: Value =
        serde_json::from_str(&to_json(&read.report.to_operation_outcome()).unwrap()).unwrap();
    assert_eq!(outcome["resourceType"], "OperationOutcome");
    let issues = outcome["issue"].as_array().unwrap();
    assert_eq!(issues.len(), read.report.len());
    let error = issues.iter().find(|i| i["severity"] == "error").unwrap();
    assert_eq!(error["code"], "value");
    assert_eq!(
        error["expression"][0],
        "Bundle.entry[2].resource.identifier[0].value"
    );
    assert!(issues.iter().any(
        |i| i["severity"] == "warning" && i["expression"][0] == "Bundle.entry[5].resource.type"
    ));
    // And it reads back as a FHIR resource.
    let json = to_json(&read.report.to_operation_outcome()).unwrap();
    assert!(import_resource(json.as_bytes()).is_ok());
}

#[test]
fn a_referral_written_out_reads_back_the_same() {
    let referral = read_bars_referral(MESSAGE.as_bytes()).value.unwrap();
    let out = to_json(&bars_referral_to_fhir(&referral)).unwrap();
    let again = read_bars_referral(out.as_bytes());
    assert!(
        not_information(again.report.issues()).is_empty(),
        "{}",
        again.report
    );
    assert_eq!(again.value.as_ref(), Some(&referral));
    let value: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(value["type"], "message");
    assert_eq!(
        value["entry"][0]["resource"]["resourceType"],
        "MessageHeader"
    );
    assert_eq!(
        value["entry"][0]["resource"]["focus"][0]["reference"],
        value["entry"][1]["fullUrl"]
    );
}

fn task(status: &str, business: Option<Value>, modified: &str, owner: &str) -> Value {
    let mut task = json!({
        "resourceType": "Task",
        "id": format!("t-{modified}").replace(':', "").replace('+', ""),
        "status": status,
        "intent": "order",
        "focus": {"reference": "urn:uuid:6b0e9d21-3c47-4f5a-8e12-7a9b0c1d2e02"},
        "authoredOn": "2024-09-16T10:42:00+01:00",
        "lastModified": modified,
        "owner": {"reference": owner},
    });
    if let Some(business) = business {
        task["businessStatus"] = business;
    }
    json!({"resource": task})
}

#[test]
fn state_and_history_are_read_from_tasks_another_system_wrote() {
    let mut value = message();
    let pharmacy = "urn:uuid:6b0e9d21-3c47-4f5a-8e12-7a9b0c1d2e08";
    let entries = value["entry"].as_array_mut().unwrap();
    // Out of order, as a server may return them; one with an e-RS state, one with
    // text only, one in a state the model has no name for.
    entries.push(task(
        "ready",
        Some(json!({"coding": [{"system": "https://fhir.nhs.uk/CodeSystem/eRS-ReferralState", "code": "BOOKED"}]})),
        "2024-09-17T09:15:00+01:00",
        pharmacy,
    ));
    entries.push(task(
        "requested",
        None,
        "2024-09-16T10:42:00+01:00",
        pharmacy,
    ));
    entries.push(task(
        "received",
        Some(json!({"text": "With the pharmacist"})),
        "2024-09-16T14:05:00+01:00",
        pharmacy,
    ));
    entries.push(task("on-hold", None, "2024-09-18T08:00:00+01:00", pharmacy));
    let read = read(&value);
    assert!(!read.report.has_errors(), "{}", read.report);
    let progress: ReferralProgress = read.value.unwrap().progress.unwrap();
    let statuses: Vec<TaskStatus> = progress.history.iter().map(|c| c.status).collect();
    assert_eq!(
        statuses,
        [
            TaskStatus::Requested,
            TaskStatus::Received,
            TaskStatus::Ready,
            TaskStatus::OnHold
        ]
    );
    let states: Vec<Option<StateKind>> = progress.history.iter().map(|c| c.state).collect();
    assert_eq!(
        states,
        [
            Some(StateKind::Submitted),
            Some(StateKind::Triaged),
            Some(StateKind::Booked),
            None
        ]
    );
    assert_eq!(
        progress.history[2].business_status.as_deref(),
        Some("BOOKED")
    );
    assert_eq!(
        progress.history[1].business_status.as_deref(),
        Some("With the pharmacist")
    );
    assert_eq!(progress.history[0].owner.as_deref(), Some(pharmacy));
    assert_eq!(progress.state(), None);
}

#[test]
fn this_crate_s_own_referral_tasks_read_back_their_states() {
    use chrono::NaiveDate;
    use pcn_core::{PathwayId, PatientId, Role};
    use pcn_referral::{
        Actor, Destination, EntryRoute, EventRecord, Referral, ReferralDetails, ReferralEvent,
        WaitMeasure, WaitTarget,
    };
    let at = NaiveDate::from_ymd_opt(2024, 3, 4)
        .unwrap()
        .and_hms_opt(9, 30, 0)
        .unwrap();
    let details = ReferralDetails {
        id: ReferralId::from_u128(1),
        patient: PatientId::from_u128(2),
        pathway: PathwayId::from_u128(3),
        route: EntryRoute::SelfReferral,
        destination: Destination::TeamRole {
            role: Role::FirstContactPhysiotherapist,
        },
        priority: Priority::Routine,
        target: WaitTarget {
            measure: WaitMeasure::FirstContact,
            days: 14,
        },
        red_flag: None,
    };
    let mut referral = Referral::draft(details, Actor::Patient, at);
    referral
        .apply(EventRecord::new(ReferralEvent::Submit, Actor::Patient, at))
        .unwrap();
    referral
        .apply(EventRecord::new(
            ReferralEvent::Triage {
                priority: Priority::Urgent,
            },
            Actor::System,
            at,
        ))
        .unwrap();
    let (request, task) = pcn_fhir::referral_to_fhir(&referral);
    let progress = pcn_fhir::referral_progress_from_fhir(&request, &[task]).unwrap();
    assert_eq!(progress.state(), Some(StateKind::Triaged));
    assert_eq!(
        progress.history[0].business_status.as_deref(),
        Some("triaged")
    );
}
