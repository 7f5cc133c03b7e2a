//! Property tests of the ledger's invariants over random sequences of operations:
//! balances always sum to zero; a refused batch leaves every balance and the history
//! exactly as before; replaying any prefix of applied transfers changes nothing; no
//! limit is ever exceeded; risk and gain shares add up exactly.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]
use chrono::{Days, NaiveDate};
use pcn_budget::{
    Account, Actor, Batch, FundingStream, Ledger, Party, Phase, Provenance, Purpose, Reason,
    RiskShare, Share, Transfer,
};
use pcn_core::{AccountId, Money, NetworkId, OrganisationId, Role, TransferId, YearMonth};
use proptest::prelude::*;

const NETWORK: Party = Party::Network(NetworkId::from_u128(1));
const CP: Purpose = Purpose::Role(Role::ClinicalPharmacist);
const PARAMEDIC: Purpose = Purpose::Role(Role::Paramedic);

fn accounts() -> Vec<Account> {
    let id = AccountId::from_u128;
    let trust = Party::Organisation(OrganisationId::from_u128(9));
    vec![
        Account::funding(id(0), "ICB", FundingStream::CommissionerInvestment, NETWORK),
        Account::funding(id(1), "ARRS", FundingStream::RoleReimbursement, NETWORK)
            .with_floor(Money::from_pence(-1_000_000))
            .ring_fenced_to([CP, PARAMEDIC]),
        Account::pot(id(2), "Pool", NETWORK, Purpose::General),
        Account::pot(id(3), "Pharmacists", NETWORK, CP).ring_fenced_to([CP]),
        Account::pot(id(4), "Access", NETWORK, Purpose::Access),
        Account::spending(id(5), "Pharmacist pay", trust, CP),
        Account::spending(id(6), "General spend", trust, Purpose::General),
        Account::spending(id(7), "Paramedic pay", trust, PARAMEDIC),
    ]
}

#[derive(Debug, Clone)]
enum Op {
    Posted {
        debit: u128,
        credit: u128,
        amount: i64,
    },
    Pending {
        debit: u128,
        credit: u128,
        amount: i64,
    },
    Post {
        pick: usize,
        amount: Option<i64>,
    },
    Void {
        pick: usize,
    },
    Reverse {
        pick: usize,
    },
    Repeat {
        pick: usize,
    },
    Reuse {
        pick: usize,
        amount: i64,
    },
}

#[derive(Debug, Clone)]
enum Step {
    Batch(Vec<(Op, u64)>),
    Close,
}

fn op() -> impl Strategy<Value = Op> {
    // Funding accounts pay in more often than pots pay out, so that pots hold money
    // and most batches have something to spend.
    let debit = prop_oneof![3 => Just(0u128), 1 => Just(1u128), 3 => 2u128..5, 1 => 5u128..8];
    let account = 0u128..8;
    let amount = 1i64..400_000;
    prop_oneof![
        4 => (debit.clone(), account.clone(), amount.clone()).prop_map(|(debit, credit, amount)| Op::Posted { debit, credit, amount }),
        2 => (debit, account, amount.clone()).prop_map(|(debit, credit, amount)| Op::Pending { debit, credit, amount }),
        2 => (any::<usize>(), proptest::option::of(amount.clone())).prop_map(|(pick, amount)| Op::Post { pick, amount }),
        1 => any::<usize>().prop_map(|pick| Op::Void { pick }),
        1 => any::<usize>().prop_map(|pick| Op::Reverse { pick }),
        1 => any::<usize>().prop_map(|pick| Op::Repeat { pick }),
        1 => (any::<usize>(), amount).prop_map(|(pick, amount)| Op::Reuse { pick, amount }),
    ]
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    let step = prop_oneof![
        9 => prop::collection::vec((op(), 0u64..75), 1..4).prop_map(Step::Batch),
        1 => Just(Step::Close),
    ];
    prop::collection::vec(step, 1..40)
}

/// Everything observable about a ledger, to compare before and after.
fn state(ledger: &Ledger) -> String {
    let balances: Vec<_> = ledger
        .accounts()
        .iter()
        .map(|a| ledger.balance(a.id()))
        .collect();
    let statuses: Vec<_> = ledger
        .history()
        .map(|r| {
            (
                ledger.pending_state(r.transfer().id()),
                ledger.is_reversed(r.transfer().id()),
            )
        })
        .collect();
    format!(
        "{}|{balances:?}|{statuses:?}",
        serde_json::to_string(ledger).unwrap()
    )
}

/// Turns an operation into a transfer (or none, where the constructor refuses it).
fn transfer(op: &Op, id: u128, date: NaiveDate, issued: &[Transfer]) -> Option<Transfer> {
    let why = Provenance::new(date, Actor::System(NETWORK), Reason::Pay);
    let tid = TransferId::from_u128(id);
    let pick = |p: usize| issued.get(p % issued.len().max(1)).cloned();
    match op {
        Op::Posted {
            debit,
            credit,
            amount,
        } => Transfer::posted(
            tid,
            AccountId::from_u128(*debit),
            AccountId::from_u128(*credit),
            Money::from_pence(*amount),
            why,
        )
        .ok(),
        Op::Pending {
            debit,
            credit,
            amount,
        } => Transfer::pending(
            tid,
            AccountId::from_u128(*debit),
            AccountId::from_u128(*credit),
            Money::from_pence(*amount),
            why,
        )
        .ok(),
        Op::Post { pick: p, amount } => {
            let target = pick(*p)?;
            Transfer::post_pending(tid, target.id(), amount.map(Money::from_pence), why).ok()
        }
        Op::Void { pick: p } => Some(Transfer::void_pending(tid, pick(*p)?.id(), why)),
        Op::Reverse { pick: p } => Some(Transfer::reversal(tid, pick(*p)?.id(), why)),
        Op::Repeat { pick: p } => pick(*p),
        Op::Reuse { pick: p, amount } => {
            let earlier = pick(*p)?;
            Transfer::posted(
                earlier.id(),
                AccountId::from_u128(0),
                AccountId::from_u128(2),
                Money::from_pence(*amount),
                why,
            )
            .ok()
        }
    }
}

fn check_limits(ledger: &Ledger) -> Result<(), TestCaseError> {
    prop_assert_eq!(ledger.sum_of_balances(), 0);
    prop_assert!(ledger.accounts_below_floor().is_empty());
    for record in ledger.history() {
        if matches!(record.transfer().phase(), Phase::Reversal { .. }) {
            continue;
        }
        let debit = ledger.account(record.debit()).unwrap();
        let credit = ledger.account(record.credit()).unwrap();
        if let Some(allowed) = &debit.limits().ring_fence {
            prop_assert!(
                allowed.contains(&credit.purpose()),
                "ring fence broken by {:?}",
                record.transfer()
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn every_invariant_holds_over_random_operations(steps in steps(), prefix in any::<usize>()) {
        let mut ledger = Ledger::new();
        for account in accounts() {
            ledger.open(account).unwrap();
        }
        let mut issued: Vec<Transfer> = Vec::new();
        let mut next_id = 1u128;
        let mut month: YearMonth = "2024-04".parse().unwrap();
        for step in steps {
            match step {
                Step::Close => {
                    ledger.close_month(month, Actor::System(NETWORK)).unwrap();
                    month = month.next();
                }
                Step::Batch(ops) => {
                    let mut batch = Batch::new();
                    for (op, offset) in &ops {
                        // Dates run from 20 days before the open month, so some fall in a closed one.
                        let date = month.first_day() - Days::new(20) + Days::new(*offset);
                        let mut known = issued.clone();
                        known.extend(batch.transfers().iter().cloned());
                        if let Some(t) = transfer(op, next_id, date, &known) {
                            batch.push(t);
                        }
                        next_id += 1;
                    }
                    let before = state(&ledger);
                    let history_before = ledger.history().len();
                    match ledger.apply(&batch) {
                        Ok(applied) => {
                            prop_assert_eq!(applied.applied + applied.already_applied, batch.len());
                            prop_assert_eq!(ledger.history().len(), history_before + applied.applied);
                            issued.extend(batch.transfers().iter().cloned());
                        }
                        Err(_) => prop_assert_eq!(state(&ledger), before),
                    }
                }
            }
            check_limits(&ledger)?;
        }
        // Replaying any prefix of the applied transfers changes nothing.
        let history: Vec<Transfer> = ledger.history().map(|r| r.transfer().clone()).collect();
        let k = prefix % (history.len() + 1);
        let before = state(&ledger);
        let replay: Batch = history[..k].iter().cloned().collect();
        let applied = ledger.apply(&replay).unwrap();
        prop_assert_eq!((applied.applied, applied.already_applied), (0, k));
        prop_assert_eq!(state(&ledger), before.clone());
        // And the history replays into the same ledger from scratch.
        let again: Ledger = serde_json::from_str(&serde_json::to_string(&ledger).unwrap()).unwrap();
        prop_assert_eq!(state(&again), before);
    }

    #[test]
    fn risk_and_gain_shares_add_up_exactly(
        variance in -10_000_000_000i64..10_000_000_000,
        gain in prop::collection::vec(0u64..1_000, 1..6),
        risk in prop::collection::vec(0u64..1_000, 1..6),
    ) {
        prop_assume!(gain.iter().any(|r| *r > 0) && risk.iter().any(|r| *r > 0));
        let party = |i: usize| Party::Organisation(OrganisationId::from_u128(i as u128));
        let shares = |ratios: &[u64]| ratios.iter().enumerate().map(|(i, r)| Share { party: party(i), ratio: *r }).collect();
        let agreement = RiskShare::new(shares(&gain), shares(&risk)).unwrap();
        let parts = agreement.split(Money::from_pence(variance)).unwrap();
        prop_assert_eq!(parts.iter().map(|s| s.amount.pence()).sum::<i64>(), variance);
        let ratios = if variance < 0 { &risk } else { &gain };
        for (part, ratio) in parts.iter().zip(ratios) {
            prop_assert!(part.amount.pence() == 0 || part.amount.is_negative() == (variance < 0));
            if *ratio == 0 {
                prop_assert_eq!(part.amount, Money::ZERO);
            }
        }
    }
}
