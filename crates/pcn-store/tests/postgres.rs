//! The PostgreSQL backend against a real server: `PCN_STORE_POSTGRES_URL` names it
//! (`.ci/run` starts a throwaway cluster and sets it). On a developer's machine
//! without it these tests say so and pass; under CI (`CI=true`) they fail.
#![cfg(feature = "postgres")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::*;
use pcn_budget::Batch;
use pcn_core::TransferId;
use pcn_store::{Store, StoreError};
use rand::Rng;

/// The server's connection string with a fresh schema of its own, or `None` (said
/// plainly) when no server is configured outside CI.
fn fresh(schema: &str) -> Option<String> {
    let Ok(base) = std::env::var("PCN_STORE_POSTGRES_URL") else {
        if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false") {
            panic!("PCN_STORE_POSTGRES_URL is not set: under CI the PostgreSQL tests must run");
        }
        eprintln!(
            "PCN_STORE_POSTGRES_URL is not set: the PostgreSQL test {schema} did not run (see .ci/run to start a server)"
        );
        return None;
    };
    let mut client = postgres::Client::connect(&base, postgres::NoTls).unwrap();
    client
        .batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema};"
        ))
        .unwrap();
    Some(format!("{base} options='-c search_path={schema}'"))
}

#[test]
fn a_postgres_store_reopens_verifies_and_reports_retries() {
    let Some(url) = fresh("pcn_roundtrip") else {
        return;
    };
    let mut rng = rng(7);
    let expected = {
        let mut store = Store::connect(&url).unwrap();
        store.open_accounts(&accounts()).unwrap();
        store
            .post(&Batch::from(vec![posted(1, FUNDER, POT_A, 1_000_000)]))
            .unwrap();
        for b in 0..10 {
            let _ = store.post(&batch(&mut rng, 100 + b * 20, 20));
        }
        store.snapshot().unwrap();
        let _ = store.post(&batch(&mut rng, 10_000, 20));
        serde_json::to_string(store.ledger()).unwrap()
    };
    let mut store = Store::connect(&url).unwrap();
    assert_eq!(serde_json::to_string(store.ledger()).unwrap(), expected);
    assert!(store.verify().unwrap().is_ok());
    let retry = store
        .post(&Batch::from(vec![posted(1, FUNDER, POT_A, 1_000_000)]))
        .unwrap();
    assert_eq!(retry.already_stored, vec![TransferId::from_u128(1)]);
}

#[test]
fn a_version_1_postgres_store_is_brought_to_version_2() {
    let Some(url) = fresh("pcn_format_1") else {
        return;
    };
    let mut rng = rng(8);
    let expected = {
        let mut store = Store::connect(&url).unwrap();
        store.open_accounts(&accounts()).unwrap();
        store
            .post(&Batch::from(vec![posted(1, FUNDER, POT_A, 1_000_000)]))
            .unwrap();
        let _ = store.post(&batch(&mut rng, 100, 20));
        store.snapshot().unwrap();
        serde_json::to_string(store.ledger()).unwrap()
    };
    // As version 1 left it: no chunks table, a snapshot body in the old form.
    let base = std::env::var("PCN_STORE_POSTGRES_URL").unwrap();
    let mut client = postgres::Client::connect(&base, postgres::NoTls).unwrap();
    client
        .batch_execute(
            "SET search_path = pcn_format_1;
             DROP TABLE snapshot_chunks;
             UPDATE snapshots SET body = '\\x0102';
             UPDATE store_meta SET value = 1 WHERE name = 'format_version';",
        )
        .unwrap();
    let mut store = Store::connect(&url).unwrap();
    assert_eq!(serde_json::to_string(store.ledger()).unwrap(), expected);
    store.snapshot().unwrap();
    drop(store);
    let mut store = Store::connect(&url).unwrap();
    assert_eq!(serde_json::to_string(store.ledger()).unwrap(), expected);
    assert!(store.verify().unwrap().is_ok());
}

#[test]
fn tampering_in_postgres_is_named_by_sequence() {
    let Some(url) = fresh("pcn_tamper") else {
        return;
    };
    {
        let mut store = Store::connect(&url).unwrap();
        store.open_accounts(&accounts()).unwrap();
        for i in 0..6 {
            store
                .post(&Batch::from(vec![posted(i, FUNDER, POT_A, 10)]))
                .unwrap();
        }
    }
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client
        .batch_execute("UPDATE journal SET body = body || '\\x00'::bytea WHERE sequence = 4")
        .unwrap();
    let err = Store::connect(&url).unwrap_err();
    assert!(
        matches!(err, StoreError::Damaged { sequence: 4, .. }),
        "{err}"
    );
    client
        .batch_execute("UPDATE store_meta SET value = 7 WHERE name = 'format_version'")
        .unwrap();
    let err = Store::connect(&url).unwrap_err();
    assert!(
        matches!(err, StoreError::NewerFormat { found: 7, .. }),
        "{err}"
    );
}

#[test]
fn eight_clients_on_hot_accounts_never_cross_a_limit_nor_lose_or_repeat_a_transfer() {
    let Some(url) = fresh("pcn_concurrent") else {
        return;
    };
    {
        let mut store = Store::connect(&url).unwrap();
        store.open_accounts(&accounts()).unwrap();
        store
            .post(&Batch::from(vec![
                posted(1, FUNDER, POT_A, 50_000),
                posted(2, CAPPED, POT_B, 50_000),
            ]))
            .unwrap();
    }
    let stored = Arc::new(AtomicUsize::new(2));
    let refused = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..8u64)
        .map(|client| {
            let url = url.clone();
            let stored = Arc::clone(&stored);
            let refused = Arc::clone(&refused);
            std::thread::spawn(move || {
                let mut store = Store::connect(&url).unwrap();
                let mut rng = rng(100 + client);
                let mut last: Option<Batch> = None;
                for round in 0..40u128 {
                    // Now and then a retry of the last batch, as after a lost answer.
                    if let Some(b) = last.as_ref().filter(|_| rng.random_range(0..4) == 0) {
                        let again = store.post(b).unwrap();
                        assert_eq!(again.stored, 0);
                        continue;
                    }
                    let first = 1_000_000 * (u128::from(client) + 1) + round * 10;
                    let n = rng.random_range(1..=4);
                    let b = batch(&mut rng, first, n);
                    match store.post(&b) {
                        Ok(s) => {
                            stored.fetch_add(s.stored, Ordering::Relaxed);
                            last = Some(b);
                        }
                        Err(StoreError::Budget(_)) => {
                            refused.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(e) => panic!("{e}"),
                    }
                }
            })
        })
        .collect();
    for c in clients {
        c.join().unwrap();
    }
    let mut store = Store::connect(&url).unwrap();
    let ledger = store.ledger();
    assert_eq!(ledger.sum_of_balances(), 0);
    assert!(ledger.accounts_below_floor().is_empty());
    assert_eq!(ledger.transfer_count(), stored.load(Ordering::Relaxed));
    assert!(
        refused.load(Ordering::Relaxed) > 0,
        "the limits were tested"
    );
    let report = store.verify().unwrap();
    assert!(report.is_ok(), "{report}");
}
