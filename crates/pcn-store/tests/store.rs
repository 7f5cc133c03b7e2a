//! The store's promises: what is acknowledged survives reopening, retries are
//! stored once, refusals write nothing, damage is named, bad files are refused.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::NaiveDate;
use common::*;
use pcn_budget::{Actor, Batch, BudgetError, Ledger};
use pcn_core::{
    CarePlanId, Money, PathwayId, PatientId, ReferralId, Role, StaffId, TransferId, YearMonth,
};
use pcn_population::{AccessDecision, AccessKind, AccessLogEntry, AccessReason};
use pcn_referral::{
    Actor as ReferralActor, CompletionOutcome, Destination, EntryRoute, EventRecord, Priority,
    ReferralDetails, ReferralEvent, TargetWait,
};
use pcn_store::{EventId, ReferralEventEntry, Store, StoreError};
use rusqlite::Connection;

fn funded(store: &mut Store) {
    store.open_accounts(&accounts()).unwrap();
    store
        .post(&Batch::from(vec![
            posted(1, FUNDER, POT_A, 1_000_000),
            posted(2, CAPPED, POT_B, 1_000_000),
        ]))
        .unwrap();
}

fn state(l: &Ledger) -> String {
    serde_json::to_string(l).unwrap()
}

#[test]
fn acknowledged_batches_survive_reopening_and_balances_sum_to_zero() {
    let dir = TempDir::new("reopen");
    let mut rng = rng(1);
    let expected = {
        let mut store = Store::open(dir.db()).unwrap();
        funded(&mut store);
        for b in 0..20 {
            let _ = store.post(&batch(&mut rng, 1_000 + b * 100, 100));
        }
        state(store.ledger())
    };
    let mut store = Store::open(dir.db()).unwrap();
    assert_eq!(state(store.ledger()), expected);
    assert_eq!(store.ledger().sum_of_balances(), 0);
    let report = store.verify().unwrap();
    assert!(report.is_ok(), "{report}");
}

#[test]
fn a_retried_batch_is_stored_once_and_reports_what_was_already_there() {
    let dir = TempDir::new("retry");
    let mut store = Store::open(dir.db()).unwrap();
    funded(&mut store);
    let first = Batch::from(vec![
        posted(10, POT_A, PAY, 100),
        posted(11, POT_A, PAY, 200),
    ]);
    let stored = store.post(&first).unwrap();
    assert_eq!(stored.stored, 2);
    let sequence = store.sequence();
    // The whole batch again: nothing new, nothing written.
    let again = store.post(&first).unwrap();
    assert_eq!(again.stored, 0);
    assert_eq!(again.sequence, None);
    assert_eq!(
        again.already_stored,
        vec![TransferId::from_u128(10), TransferId::from_u128(11)]
    );
    assert_eq!(store.sequence(), sequence);
    // A retry with one more transfer stores only the new one.
    let more = Batch::from(vec![
        posted(11, POT_A, PAY, 200),
        posted(12, POT_A, PAY, 300),
    ]);
    let stored = store.post(&more).unwrap();
    assert_eq!((stored.stored, stored.already_stored.len()), (1, 1));
    drop(store);
    let store = Store::open(dir.db()).unwrap();
    assert_eq!(store.ledger().transfer_count(), 5);
    assert_eq!(
        store.ledger().balance(PAY).unwrap().balance(),
        Money::from_pence(600)
    );
    // A different transfer under a used id is refused, and nothing is written.
    drop(store);
    let mut store = Store::open(dir.db()).unwrap();
    let err = store
        .post(&Batch::from(vec![posted(12, POT_A, PAY, 301)]))
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Budget(BudgetError::BatchRejected { .. })),
        "{err}"
    );
}

#[test]
fn a_refused_batch_writes_nothing_and_changes_nothing() {
    let dir = TempDir::new("refused");
    let mut store = Store::open(dir.db()).unwrap();
    funded(&mut store);
    let before = (state(store.ledger()), store.sequence(), store.head());
    let overspend = Batch::from(vec![
        posted(20, POT_A, PAY, 10),
        posted(21, POT_A, PAY, 1_000_000),
    ]);
    let err = store.post(&overspend).unwrap_err();
    assert!(err.to_string().contains("nothing was written"), "{err}");
    assert_eq!(
        (state(store.ledger()), store.sequence(), store.head()),
        before
    );
    drop(store);
    let store = Store::open(dir.db()).unwrap();
    assert_eq!(
        (state(store.ledger()), store.sequence(), store.head()),
        before
    );
}

#[test]
fn group_commit_acknowledges_the_accepted_batches_and_reports_the_refused() {
    let dir = TempDir::new("group");
    let mut store = Store::open(dir.db()).unwrap();
    funded(&mut store);
    let start = store.sequence();
    let batches = vec![
        Batch::from(vec![posted(30, POT_A, PAY, 10)]),
        Batch::from(vec![posted(31, POT_A, PAY, 2_000_000)]),
        Batch::from(vec![posted(32, POT_B, PAY, 10)]),
    ];
    let results = store.post_all(&batches).unwrap();
    assert_eq!(results[0].as_ref().unwrap().sequence, Some(start + 1));
    assert!(results[1].is_err());
    assert_eq!(results[2].as_ref().unwrap().sequence, Some(start + 2));
    drop(store);
    let store = Store::open(dir.db()).unwrap();
    assert_eq!(store.sequence(), start + 2);
    assert!(store.ledger().transfer(TransferId::from_u128(31)).is_none());
    assert!(store.ledger().transfer(TransferId::from_u128(32)).is_some());
}

#[test]
fn a_snapshot_reopens_to_the_same_state_as_a_full_replay() {
    let dir = TempDir::new("snapshot");
    let mut rng = rng(2);
    let mut store = Store::open(dir.db()).unwrap();
    funded(&mut store);
    for b in 0..10 {
        let _ = store.post(&batch(&mut rng, 10_000 + b * 50, 50));
    }
    store
        .close_month(YearMonth::new(2024, 5).unwrap(), Actor::System(NETWORK))
        .unwrap();
    store.snapshot().unwrap();
    for b in 10..15 {
        let _ = store.post(&batch(&mut rng, 10_000 + b * 50, 50));
    }
    let expected = state(store.ledger());
    drop(store);
    let mut from_snapshot = Store::open(dir.db()).unwrap();
    assert_eq!(state(from_snapshot.ledger()), expected);
    assert!(from_snapshot.verify().unwrap().is_ok());
    drop(from_snapshot);
    // The same journal without its snapshot replays to the same state.
    Connection::open(dir.db())
        .unwrap()
        .execute("DELETE FROM snapshots", [])
        .unwrap();
    let full = Store::open(dir.db()).unwrap();
    assert_eq!(state(full.ledger()), expected);
}

#[test]
fn a_damaged_snapshot_chunk_is_named_and_nothing_is_repaired() {
    let dir = TempDir::new("chunk-damage");
    let sequence = {
        let mut store = Store::open(dir.db()).unwrap();
        funded(&mut store);
        store.snapshot().unwrap()
    };
    let edit = |sql: &str| {
        Connection::open(dir.db())
            .unwrap()
            .execute_batch(sql)
            .unwrap()
    };
    edit("UPDATE snapshot_chunks SET body = body || X'00'");
    let err = Store::open(dir.db()).unwrap_err();
    assert!(
        matches!(err, StoreError::Damaged { sequence: s, .. } if s == sequence),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("chunk 0 does not match its digest"),
        "{err}"
    );
    assert!(!Store::verify_file(dir.db()).unwrap().is_ok());
    edit("DELETE FROM snapshot_chunks");
    let err = Store::open(dir.db()).unwrap_err();
    assert!(
        err.to_string()
            .contains("holds 0 transfers where its header lists 2"),
        "{err}"
    );
}

#[test]
fn a_version_1_store_is_brought_to_version_2_with_its_journal_untouched() {
    let dir = TempDir::new("format-1");
    let mut rng = rng(5);
    let (expected, head) = {
        let mut store = Store::open(dir.db()).unwrap();
        funded(&mut store);
        for b in 0..4 {
            let _ = store.post(&batch(&mut rng, 20_000 + b * 50, 50));
        }
        store.snapshot().unwrap();
        (state(store.ledger()), store.head())
    };
    // As version 1 left it: no chunks table, a snapshot body in the old form.
    Connection::open(dir.db())
        .unwrap()
        .execute_batch(
            "DROP TABLE snapshot_chunks;
             UPDATE snapshots SET body = X'0102030405';
             PRAGMA user_version = 1;",
        )
        .unwrap();
    assert!(Store::verify_file(dir.db()).unwrap().is_ok());
    let mut store = Store::open(dir.db()).unwrap();
    assert_eq!(
        (state(store.ledger()), store.head()),
        (expected.clone(), head)
    );
    store.snapshot().unwrap();
    drop(store);
    let conn = Connection::open(dir.db()).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, pcn_store::FORMAT_VERSION);
    drop(conn);
    let mut store = Store::open(dir.db()).unwrap();
    assert_eq!(state(store.ledger()), expected);
    assert!(store.verify().unwrap().is_ok());
}

fn tampered(name: &str, sql: &str) -> (TempDir, u64) {
    let dir = TempDir::new(name);
    let mut rng = rng(3);
    {
        let mut store = Store::open(dir.db()).unwrap();
        funded(&mut store);
        for b in 0..8 {
            store.post(&batch(&mut rng, 50_000 + b * 10, 1)).ok();
            store
                .post(&Batch::from(vec![posted(60_000 + b, FUNDER, POT_A, 5)]))
                .unwrap();
        }
        assert!(store.sequence() >= 10);
    }
    Connection::open(dir.db())
        .unwrap()
        .execute_batch(sql)
        .unwrap();
    let report = Store::verify_file(dir.db()).unwrap();
    (dir, report.first_bad_sequence().unwrap_or(0))
}

#[test]
fn verify_names_the_first_bad_sequence_of_a_flipped_byte() {
    let (dir, first) = tampered(
        "flip",
        "UPDATE journal SET body = CAST(substr(body, 1, 3) AS BLOB) || X'7F' || substr(body, 5) WHERE sequence = 5",
    );
    assert_eq!(first, 5);
    let err = Store::open(dir.db()).unwrap_err();
    assert!(
        matches!(err, StoreError::Damaged { sequence: 5, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("budget.db"), "{err}");
}

#[test]
fn verify_names_the_first_bad_sequence_of_a_deleted_row() {
    let (dir, first) = tampered("delete", "DELETE FROM journal WHERE sequence = 6");
    assert_eq!(first, 6);
    let err = Store::open(dir.db()).unwrap_err();
    assert!(
        matches!(err, StoreError::Damaged { sequence: 6, .. }),
        "{err}"
    );
    let report = Store::verify_file(dir.db()).unwrap();
    assert!(report.to_string().contains("missing"), "{report}");
}

#[test]
fn verify_names_the_first_bad_sequence_of_two_swapped_rows() {
    let (dir, first) = tampered(
        "swap",
        "UPDATE journal SET sequence = -4 WHERE sequence = 4;
         UPDATE journal SET sequence = 4 WHERE sequence = 7;
         UPDATE journal SET sequence = 7 WHERE sequence = -4;",
    );
    assert_eq!(first, 4);
    assert!(matches!(
        Store::open(dir.db()).unwrap_err(),
        StoreError::Damaged { sequence: 4, .. }
    ));
}

#[test]
fn verify_reports_an_edited_balance_and_a_damaged_snapshot() {
    let (dir, first) = tampered("views", "UPDATE balances SET balance = balance + 1");
    assert_eq!(first, 0, "no journal record is bad");
    let report = Store::verify_file(dir.db()).unwrap();
    assert!(!report.is_ok());
    assert!(report.to_string().contains("balances table"), "{report}");
    let dir = TempDir::new("snap-damage");
    {
        let mut store = Store::open(dir.db()).unwrap();
        funded(&mut store);
        store.snapshot().unwrap();
    }
    Connection::open(dir.db())
        .unwrap()
        .execute_batch("UPDATE snapshots SET body = body || X'00'")
        .unwrap();
    let err = Store::open(dir.db()).unwrap_err();
    assert!(
        matches!(err, StoreError::Damaged { sequence: 2, .. }),
        "{err}"
    );
}

#[test]
fn a_file_that_is_not_a_store_is_refused_and_left_unchanged() {
    let dir = TempDir::new("notastore");
    let path = dir.path().join("notes.txt");
    let text = "Minutes of the PCN board, April.\n".repeat(200);
    std::fs::write(&path, &text).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::NotAStore { .. }), "{err}");
    assert!(err.to_string().contains("notes.txt"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "no lock or journal file was created");
    // An SQLite database of something else.
    let other = dir.path().join("other.db");
    Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE patients (id TEXT)")
        .unwrap();
    let err = Store::open(&other).unwrap_err();
    assert!(matches!(err, StoreError::NotAStore { .. }), "{err}");
}

#[test]
fn a_store_of_a_newer_format_is_refused_with_both_versions() {
    let dir = TempDir::new("newer");
    drop(Store::open(dir.db()).unwrap());
    Connection::open(dir.db())
        .unwrap()
        .execute_batch("PRAGMA user_version = 99")
        .unwrap();
    let err = Store::open(dir.db()).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::NewerFormat {
                found: 99,
                supported: pcn_store::FORMAT_VERSION,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("budget.db"), "{err}");
}

#[test]
fn a_store_held_by_another_writer_is_refused() {
    let dir = TempDir::new("locked");
    let _first = Store::open(dir.db()).unwrap();
    let err = Store::open(dir.db()).unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }), "{err}");
    assert!(err.to_string().contains("budget.db"), "{err}");
    // Read-only verification works beside the writer.
    assert!(Store::verify_file(dir.db()).unwrap().is_ok());
}

fn at(d: u32, h: u32) -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2024, 5, d)
        .unwrap()
        .and_hms_opt(h, 0, 0)
        .unwrap()
}

#[test]
fn referral_events_and_the_access_log_survive_reopening_once_each() {
    let dir = TempDir::new("referral");
    let details = ReferralDetails {
        id: ReferralId::from_u128(1),
        patient: PatientId::from_u128(2),
        pathway: PathwayId::from_u128(3),
        route: EntryRoute::SelfReferral,
        destination: Destination::TeamRole {
            role: Role::FirstContactPhysiotherapist,
        },
        priority: Priority::Routine,
        target: TargetWait::FirstContact { days: 14 }.on(at(1, 9).date()),
        red_flag: None,
    };
    let physio = ReferralActor::Staff {
        id: StaffId::from_u128(4),
        role: Role::FirstContactPhysiotherapist,
    };
    let submit = ReferralEventEntry {
        id: EventId::from_u128(1),
        referral: details.id,
        record: EventRecord::new(ReferralEvent::Submit, ReferralActor::Patient, at(1, 9)),
    };
    let attend_too_early = ReferralEventEntry {
        id: EventId::from_u128(2),
        referral: details.id,
        record: EventRecord::new(ReferralEvent::Attend, physio, at(2, 9)),
    };
    let entry = AccessLogEntry {
        sequence: 0,
        at: at(1, 10),
        staff: StaffId::from_u128(4),
        patient: PatientId::from_u128(2),
        plan: CarePlanId::from_u128(5),
        kind: AccessKind::Read,
        decision: AccessDecision {
            allowed: false,
            reason: AccessReason::NoRelationship,
        },
    };
    {
        let mut store = Store::open(dir.db()).unwrap();
        store
            .draft_referral(details, ReferralActor::Patient, at(1, 9))
            .unwrap();
        store.record_events(std::slice::from_ref(&submit)).unwrap();
        // The lifecycle refuses attending before booking; nothing is written.
        let sequence = store.sequence();
        assert!(matches!(
            store.record_events(std::slice::from_ref(&attend_too_early)),
            Err(StoreError::Referral(_))
        ));
        assert_eq!(store.sequence(), sequence);
        store.log_access(&[entry]).unwrap();
        let wrong = AccessLogEntry {
            sequence: 5,
            ..entry
        };
        assert!(matches!(
            store.log_access(&[wrong]),
            Err(StoreError::AccessOutOfSequence { .. })
        ));
    }
    let mut store = Store::open(dir.db()).unwrap();
    let referral = store.referral(details.id).unwrap();
    assert_eq!(referral.history().len(), 1);
    assert_eq!(referral.state().kind().name(), "submitted");
    assert_eq!(store.access_log().entries(), &[entry]);
    // Retries are reported, not stored twice.
    let retry = store.record_events(&[submit]).unwrap();
    assert_eq!(retry.already_stored, vec![EventId::from_u128(1)]);
    assert_eq!(store.log_access(&[entry]).unwrap().already_stored, vec![0]);
    let again = store
        .draft_referral(details, ReferralActor::Patient, at(1, 9))
        .unwrap();
    assert_eq!(again.already_stored, vec![details.id]);
    // The referral states table is readable.
    let state: String = Connection::open(dir.db())
        .unwrap()
        .query_row("SELECT state FROM referral_states", [], |r| r.get(0))
        .unwrap();
    assert_eq!(state, "submitted");
    let complete = ReferralEvent::Complete {
        outcome: CompletionOutcome::CareCompleted,
    };
    assert!(
        store
            .record_events(&[ReferralEventEntry {
                id: EventId::from_u128(9),
                referral: details.id,
                record: EventRecord::new(complete, physio, at(3, 9)),
            }])
            .is_err()
    );
    store.snapshot().unwrap();
    drop(store);
    let mut store = Store::open(dir.db()).unwrap();
    assert_eq!(store.referral(details.id).unwrap().history().len(), 1);
    assert!(store.verify().unwrap().is_ok());
}

#[test]
fn the_balances_table_is_kept_in_step_with_the_journal() {
    let dir = TempDir::new("views");
    let mut store = Store::open(dir.db()).unwrap();
    funded(&mut store);
    store
        .post(&Batch::from(vec![posted(40, POT_A, PAY, 12_345)]))
        .unwrap();
    let conn = Connection::open(dir.db()).unwrap();
    let (name, balance): (String, i64) = conn
        .query_row(
            "SELECT name, balance FROM balances WHERE account = ?1",
            [PAY.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((name.as_str(), balance), ("Provider payments", 12_345));
    let sum: i64 = conn
        .query_row("SELECT sum(balance) FROM balances", [], |r| r.get(0))
        .unwrap();
    assert_eq!(sum, 0);
}
