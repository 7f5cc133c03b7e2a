//! Property: any sequence of ledger operations, journalled and replayed (from the
//! journal alone, or from a snapshot taken part way), gives the same ledger as
//! applying them in memory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use pcn_budget::{Actor, Batch, Ledger, Transfer};
use pcn_core::{Money, TransferId, YearMonth};
use pcn_store::Store;
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Posted(usize, usize, i64),
    Pending(usize, usize, i64),
    PostPending(u128, Option<i64>),
    Void(u128),
    Reverse(u128),
    Retry,
    Close,
    Snapshot,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..5usize, 0..5usize, 1..50_000i64).prop_map(|(d, c, a)| Op::Posted(d, c, a)),
        2 => (0..5usize, 0..5usize, 1..50_000i64).prop_map(|(d, c, a)| Op::Pending(d, c, a)),
        1 => (0..40u128, proptest::option::of(1..50_000i64)).prop_map(|(t, a)| Op::PostPending(t, a)),
        1 => (0..40u128).prop_map(Op::Void),
        1 => (0..40u128).prop_map(Op::Reverse),
        1 => Just(Op::Retry),
        1 => Just(Op::Close),
        1 => Just(Op::Snapshot),
    ]
}

fn transfer(op: &Op, id: u128) -> Option<Transfer> {
    let t = TransferId::from_u128(id);
    let target = |n: &u128| TransferId::from_u128(1 + n % id.max(1));
    match op {
        Op::Posted(d, c, a) => {
            Transfer::posted(t, ALL[*d], ALL[*c], Money::from_pence(*a), why()).ok()
        }
        Op::Pending(d, c, a) => {
            Transfer::pending(t, ALL[*d], ALL[*c], Money::from_pence(*a), why()).ok()
        }
        Op::PostPending(n, a) => {
            Transfer::post_pending(t, target(n), a.map(Money::from_pence), why()).ok()
        }
        Op::Void(n) => Some(Transfer::void_pending(t, target(n), why())),
        Op::Reverse(n) => Some(Transfer::reversal(t, target(n), why())),
        _ => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn replay_equals_the_ledger_in_memory(batches in proptest::collection::vec(proptest::collection::vec(op(), 1..6), 1..25)) {
        let dir = TempDir::new("prop");
        let mut memory = Ledger::new();
        let mut store = Store::open(dir.db()).unwrap();
        for a in accounts() {
            memory.open(a).unwrap();
        }
        store.open_accounts(&accounts()).unwrap();
        let mut id = 0u128;
        let mut last = Batch::new();
        let mut month = YearMonth::new(2024, 1).unwrap();
        for ops in &batches {
            let mut batch = Batch::new();
            for op in ops {
                match op {
                    Op::Retry => batch = last.clone(),
                    Op::Close => {
                        // Transfers are dated 2024-06-01: close only months before it.
                        if month < YearMonth::new(2024, 5).unwrap() {
                            let by = Actor::System(NETWORK);
                            prop_assert_eq!(memory.close_month(month, by).is_ok(), store.close_month(month, by).is_ok());
                            month = month.next();
                        }
                    }
                    Op::Snapshot => { store.snapshot().unwrap(); }
                    _ => {
                        id += 1;
                        if let Some(t) = transfer(op, id) {
                            batch.push(t);
                        }
                    }
                }
            }
            let in_memory = memory.apply(&batch);
            let stored = store.post(&batch);
            prop_assert_eq!(in_memory.is_ok(), stored.is_ok(), "{:?} / {:?}", in_memory, stored);
            if let (Ok(a), Ok(s)) = (in_memory, stored) {
                prop_assert_eq!(a.applied, s.stored);
                prop_assert_eq!(a.already_applied, s.already_stored.len());
            }
            last = batch;
        }
        let expected = serde_json::to_string(&memory).unwrap();
        prop_assert_eq!(&serde_json::to_string(store.ledger()).unwrap(), &expected);
        drop(store);
        let mut reopened = Store::open(dir.db()).unwrap();
        prop_assert_eq!(&serde_json::to_string(reopened.ledger()).unwrap(), &expected);
        for a in ALL {
            prop_assert_eq!(reopened.ledger().balance(a), memory.balance(a));
        }
        let report = reopened.verify().unwrap();
        prop_assert!(report.is_ok(), "{}", report);
    }
}
