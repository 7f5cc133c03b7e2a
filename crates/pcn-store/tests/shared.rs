//! Group commit across threads: many threads post at once through clones of one
//! handle; every accepted batch lands exactly once, each thread is answered for
//! its own batch, and the books balance.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeSet, HashMap};

use common::*;
use pcn_budget::Batch;
use pcn_core::TransferId;
use pcn_store::{Store, StoreError};

const THREADS: u128 = 8;
const BATCHES: u128 = 40;
const SIZE: usize = 50;

/// The ids of thread `t`'s batch `b`.
const fn first_id(t: u128, b: u128) -> u128 {
    1_000 + (t * BATCHES + b) * SIZE as u128
}

#[test]
fn many_threads_batches_land_exactly_once_and_the_books_balance() {
    let dir = TempDir::new("shared");
    let mut store = Store::open(dir.db()).unwrap();
    store.open_accounts(&accounts()).unwrap();
    store
        .post(&Batch::from(vec![
            posted(1, FUNDER, POT_A, 1_000_000),
            posted(2, CAPPED, POT_B, 1_000_000),
        ]))
        .unwrap();
    let shared = store.share();
    let threads: Vec<_> = (0..THREADS)
        .map(|t| {
            let shared = shared.clone();
            std::thread::spawn(move || {
                let mut rng = rng(100 + u64::try_from(t).unwrap());
                let mut answers = Vec::new();
                for b in 0..BATCHES {
                    let batch = batch(&mut rng, first_id(t, b), SIZE);
                    answers.push((b, batch.clone(), shared.post(batch)));
                    if b % 10 == 9 {
                        // Another thread's batch, posted again: a retry, stored once.
                        let other = (t + 1) % THREADS;
                        let retry = batch_of(other, b - 5);
                        answers.push((u128::MAX, retry.clone(), shared.post(retry)));
                    }
                    if b % 13 == 0 {
                        // A batch the ledger refuses: it must leave no trace.
                        let overdraw = Batch::from(vec![posted(
                            first_id(t, b) + 10_000_000,
                            POT_A,
                            PAY,
                            1_000_000_000,
                        )]);
                        answers.push((u128::MAX - 1, overdraw.clone(), shared.post(overdraw)));
                    }
                }
                answers
            })
        })
        .collect();
    let mut accepted: HashMap<TransferId, usize> = HashMap::new();
    let mut sequences = BTreeSet::new();
    for t in threads {
        for (tag, batch, answer) in t.join().unwrap() {
            match answer {
                Ok(stored) => {
                    assert_ne!(tag, u128::MAX - 1, "an overdraft was accepted");
                    if stored.stored > 0 {
                        assert!(
                            sequences.insert(stored.sequence.unwrap()),
                            "two batches in one record"
                        );
                    }
                    let already: BTreeSet<_> = stored.already_stored.iter().collect();
                    for tr in batch.transfers() {
                        if !already.contains(&tr.id()) {
                            *accepted.entry(tr.id()).or_default() += 1;
                        }
                    }
                    assert_eq!(stored.stored + stored.already_stored.len(), batch.len());
                }
                Err(StoreError::Budget(_)) => {
                    // Refused: the overdraft, or a random batch that overspent a pot.
                }
                Err(e) => panic!("{e}"),
            }
        }
    }
    // Every accepted transfer was answered as stored exactly once.
    assert!(accepted.values().all(|n| *n == 1));
    let (count, sum, below, sequence) = shared.with(|s| {
        (
            s.ledger().transfer_count(),
            s.ledger().sum_of_balances(),
            s.ledger().accounts_below_floor(),
            s.sequence(),
        )
    });
    assert_eq!(count, accepted.len() + 2);
    assert_eq!((sum, below), (0, vec![]));
    // One journal record per accepted batch, with no gap.
    assert_eq!(sequences.len() as u64, sequence - 2);
    for id in accepted.keys() {
        assert!(shared.with(|s| s.ledger().transfer(*id).is_some()));
    }
    let expected = shared.with(|s| serde_json::to_string(s.ledger()).unwrap());
    let report = shared.with(|s| s.verify().unwrap());
    assert!(report.is_ok(), "{report}");
    drop(shared);
    let reopened = Store::open(dir.db()).unwrap();
    assert_eq!(serde_json::to_string(reopened.ledger()).unwrap(), expected);
}

/// Thread `t`'s batch `b`, as it generated it.
fn batch_of(t: u128, b: u128) -> Batch {
    let mut rng = rng(100 + u64::try_from(t).unwrap());
    let mut out = Batch::new();
    for i in 0..=b {
        out = batch(&mut rng, first_id(t, i), SIZE);
    }
    out
}

#[test]
fn a_failed_group_commit_answers_every_thread_with_the_error() {
    let dir = TempDir::new("shared-fail");
    let mut store = Store::open(dir.db()).unwrap();
    store.open_accounts(&accounts()).unwrap();
    let shared = store.share();
    // Another connection holds the database's write lock, so the commit fails.
    let blocker = rusqlite::Connection::open(dir.db()).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let answer = shared.post(Batch::from(vec![posted(1, FUNDER, POT_A, 100)]));
    assert!(
        matches!(
            answer,
            Err(StoreError::Locked { .. } | StoreError::Database { .. })
        ),
        "{answer:?}"
    );
    blocker.execute_batch("ROLLBACK").unwrap();
    // Nothing was acknowledged, and the store goes on.
    assert_eq!(shared.with(|s| s.ledger().transfer_count()), 0);
    let stored = shared
        .post(Batch::from(vec![posted(1, FUNDER, POT_A, 100)]))
        .unwrap();
    assert_eq!(stored.stored, 1);
}
