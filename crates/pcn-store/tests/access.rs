//! The access log resumes from the store: access control rebuilt after a restart
//! holds exactly the entries journalled, and numbers new requests after them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use common::TempDir;
use pcn_core::{CarePlanId, DateRange, NhsNumber, PatientId, PracticeId, StaffId};
use pcn_population::{
    AccessControl, AccessKind, AccessPolicy, CarePlan, Consent, NewCarePlan, Patient, Sex,
    Workplace,
};
use pcn_store::{Store, StoreError};

const PRACTICE: PracticeId = PracticeId::from_u128(1);
const GP: StaffId = StaffId::from_u128(10);
const RECEPTIONIST: StaffId = StaffId::from_u128(20);
const STRANGER: StaffId = StaffId::from_u128(99);

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn at(day: u32, hour: u32) -> NaiveDateTime {
    d(2024, 2, day).and_hms_opt(hour, 0, 0).unwrap()
}

fn patient_and_plan() -> (Patient, CarePlan) {
    let mut patient = Patient::new(
        PatientId::from_u128(2),
        NhsNumber::test_number(2).unwrap(),
        d(1938, 1, 1),
        Sex::Male,
    );
    patient.register(PRACTICE, d(2000, 1, 1)).unwrap();
    let plan = CarePlan::new(NewCarePlan {
        id: CarePlanId::from_u128(3),
        patient: patient.id(),
        created_on: d(2024, 1, 1),
        what_matters: vec!["My garden".into()],
        goals: vec![],
        actions: vec![],
        review_on: d(2024, 4, 1),
        consent: Consent::NotRecorded,
        named_accountable_gp: GP,
        care_coordinator: StaffId::from_u128(11),
        care_team: Default::default(),
        same_day_telephone_access: true,
    })
    .unwrap();
    (patient, plan)
}

fn policy() -> AccessPolicy {
    let mut policy = AccessPolicy::new();
    policy.add_workplace(
        RECEPTIONIST,
        Workplace::Practice(PRACTICE),
        DateRange::starting(d(2020, 1, 1)),
    );
    policy
}

/// Makes requests and journals what they logged, as a service would.
fn request_and_store(
    store: &mut Store,
    control: &mut AccessControl,
    requests: &[(StaffId, AccessKind, NaiveDateTime)],
) {
    let (patient, plan) = patient_and_plan();
    let stored = control.log().len() as u64;
    for &(staff, kind, when) in requests {
        control.request(staff, kind, &patient, &plan, when).unwrap();
    }
    let written = store.log_access(control.log().since(stored)).unwrap();
    assert_eq!(written.stored, requests.len());
}

#[test]
fn access_control_resumes_from_the_store_across_reopening() {
    let dir = TempDir::new("access-resume");
    let journalled = {
        let mut store = Store::open(dir.db()).unwrap();
        let mut control = store.access_control(policy());
        request_and_store(
            &mut store,
            &mut control,
            &[
                (GP, AccessKind::Change, at(1, 9)),
                (STRANGER, AccessKind::Read, at(1, 10)),
            ],
        );
        store.snapshot().unwrap();
        request_and_store(
            &mut store,
            &mut control,
            &[(RECEPTIONIST, AccessKind::Read, at(2, 9))],
        );
        control
    };
    // Reopened from the snapshot and the journal after it.
    let mut store = Store::open(dir.db()).unwrap();
    let mut control = store.access_control(policy());
    assert_eq!(control, journalled);
    assert_eq!(control.log(), store.access_log());
    let log = control.log().entries();
    assert_eq!(log.len(), 3);
    assert!(log[0].decision.allowed && !log[1].decision.allowed && log[2].decision.allowed);
    // New requests carry on the numbering, and land once each.
    request_and_store(
        &mut store,
        &mut control,
        &[(STRANGER, AccessKind::Change, at(3, 9))],
    );
    assert_eq!(control.log().entries()[3].sequence, 3);
    // An entry from a control that did not resume is refused, not renumbered.
    let (patient, plan) = patient_and_plan();
    let mut fresh = AccessControl::new(policy());
    fresh
        .request(GP, AccessKind::Read, &patient, &plan, at(4, 9))
        .unwrap();
    assert!(matches!(
        store.log_access(fresh.log().entries()),
        Err(StoreError::AccessOutOfSequence {
            sequence: 0,
            stored: 4
        })
    ));
    drop(store);
    // The same journal without its snapshot gives the same log.
    rusqlite::Connection::open(dir.db())
        .unwrap()
        .execute_batch("DELETE FROM snapshots; DELETE FROM snapshot_chunks;")
        .unwrap();
    let store = Store::open(dir.db()).unwrap();
    assert_eq!(store.access_control(policy()).log(), control.log());
}
