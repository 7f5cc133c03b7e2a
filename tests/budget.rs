//! Cross-crate scenarios for the unified budget, through the `pcn` facade: a year of
//! published entitlements for several networks posted into ledgers, and role
//! reimbursement claims drawn from a capped, ring-fenced funding account.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::panic)]

use chrono::NaiveDate;
use pcn::budget::{
    Account, Actor, Batch, BudgetError, ClaimBook, EntitlementRules, FundingStream, Ledger,
    NetworkPopulation, Party, PayArea, PracticeLists, Provenance, Purpose, Reason,
    ReimbursementClaim, Transfer,
};
use pcn::core::{
    AccountId, FinancialYear, Money, NetworkId, PracticeId, Role, StaffId, TransferId, Wte,
};

fn networks(year: FinancialYear, count: u128) -> Vec<NetworkPopulation> {
    let at = NaiveDate::from_ymd_opt(year.start_year(), 1, 1).unwrap();
    (0..count)
        .map(|n| {
            let lists = (0..4u128).map(|p| {
                let size = 6_000 + u64::try_from(n * 997 + p * 1_313).unwrap() % 7_000;
                PracticeLists {
                    practice: PracticeId::from_u128(n * 10 + p),
                    registered: Some(size),
                    weighted: Some(size * 103 / 100),
                    adjusted: Some(size * 101 / 100),
                }
            });
            let payee = Party::Practice(PracticeId::from_u128(n * 10));
            NetworkPopulation::from_lists(NetworkId::from_u128(n), payee, at, lists).unwrap()
        })
        .collect()
}

#[test]
fn the_networks_shares_of_the_national_pot_add_up_to_the_pot() {
    let rules = EntitlementRules::published().unwrap();
    let year = FinancialYear::constant(2021);
    let networks = networks(year, 40);
    let national: u64 = networks
        .iter()
        .flat_map(|n| &n.practices)
        .map(|p| p.weighted.unwrap().count)
        .sum();
    let schedule = rules.schedule(year, &networks, Some(national)).unwrap();
    let total: i64 = schedule
        .allowances
        .iter()
        .map(|a| a.arrs_maximum.unwrap().pence())
        .sum();
    // £746m shared out, each share rounded once: within a penny a network.
    let pot: Money = "£746,000,000".parse().unwrap();
    assert!((total - pot.pence()).abs() <= 40, "{total}");
}

#[test]
fn a_schedule_posted_into_a_ledger_shows_the_same_money_by_stream() {
    let rules = EntitlementRules::published().unwrap();
    let year = FinancialYear::constant(2020);
    let networks = networks(year, 3);
    let schedule = rules.schedule(year, &networks, Some(60_300_000)).unwrap();
    let commissioner = Party::Network(NetworkId::from_u128(999));
    let mut ledger = Ledger::new();
    let streams: Vec<FundingStream> = schedule
        .by_stream()
        .unwrap()
        .iter()
        .map(|s| s.key)
        .collect();
    for (i, stream) in streams.iter().enumerate() {
        let id = AccountId::from_u128(i as u128 + 1);
        ledger
            .open(Account::funding(id, stream.name(), *stream, commissioner))
            .unwrap();
    }
    let payees = schedule.by_payee().unwrap();
    for (i, payee) in payees.iter().enumerate() {
        let id = AccountId::from_u128(1_000 + i as u128);
        ledger
            .open(Account::pot(id, "payee", payee.key, Purpose::General))
            .unwrap();
    }
    let mut next = 0u128;
    for (m, month) in year.months().into_iter().enumerate() {
        let mut batch = Batch::new();
        for line in schedule.lines.iter().filter(|l| !l.months[m].is_zero()) {
            let from = streams.iter().position(|s| *s == line.stream).unwrap();
            let to = payees.iter().position(|p| p.key == line.payee).unwrap();
            next += 1;
            let why = Provenance::new(
                month.first_day(),
                Actor::System(commissioner),
                Reason::Funding,
            );
            batch.push(
                Transfer::posted(
                    TransferId::from_u128(next),
                    AccountId::from_u128(from as u128 + 1),
                    AccountId::from_u128(1_000 + to as u128),
                    line.months[m],
                    why,
                )
                .unwrap(),
            );
        }
        ledger.apply(&batch).unwrap();
        ledger
            .close_month(month, Actor::System(commissioner))
            .unwrap();
    }
    assert_eq!(ledger.sum_of_balances(), 0);
    let by_stream = ledger.by_funding_stream().unwrap();
    let scheduled = schedule.by_stream().unwrap();
    assert_eq!(by_stream.len(), scheduled.len());
    for (view, line) in by_stream.iter().zip(&scheduled) {
        assert_eq!(view.key, line.key);
        assert_eq!(view.totals.funded, line.annual);
    }
    let held: Vec<_> = ledger
        .by_owner()
        .unwrap()
        .into_iter()
        .filter(|r| r.key != commissioner)
        .collect();
    assert_eq!(held.len(), payees.len());
    for (owner, payee) in held.iter().zip(&payees) {
        assert_eq!((owner.key, owner.totals.held), (payee.key, payee.annual));
    }
}

#[test]
fn reimbursements_never_pass_the_network_maximum_in_the_book_or_the_ledger() {
    let rules = EntitlementRules::published().unwrap();
    let year = FinancialYear::constant(2020);
    let maximum: Money = "£20,000".parse().unwrap();
    let network = Party::Network(NetworkId::from_u128(1));
    let (arrs, pot, pay) = (
        AccountId::from_u128(1),
        AccountId::from_u128(2),
        AccountId::from_u128(3),
    );
    let role = Purpose::Role(Role::ClinicalPharmacist);
    let mut ledger = Ledger::new();
    ledger
        .open(
            Account::funding(arrs, "ARRS", FundingStream::RoleReimbursement, network)
                .with_floor(Money::ZERO.checked_sub(maximum).unwrap())
                .ring_fenced_to([role]),
        )
        .unwrap();
    ledger
        .open(Account::pot(pot, "Pharmacists", network, role))
        .unwrap();
    ledger
        .open(Account::spending(pay, "Pay", network, role))
        .unwrap();
    let mut book = ClaimBook::new(NetworkId::from_u128(1), year, maximum);
    let mut refused = 0;
    for (k, month) in year.months().into_iter().enumerate() {
        let claim = ReimbursementClaim {
            staff: StaffId::from_u128(7),
            role: Role::ClinicalPharmacist,
            month,
            wte: Wte::FULL_TIME,
            pay: "£3,900".parse().unwrap(),
            on_costs: "£950".parse().unwrap(),
            area: PayArea::England,
        };
        match book.submit(rules, claim) {
            Ok(r) => {
                let why = Provenance::new(
                    month.first_day(),
                    Actor::System(network),
                    Reason::Reimbursement,
                );
                let id = TransferId::from_u128(k as u128 + 1);
                ledger
                    .apply_transfer(&Transfer::posted(id, arrs, pot, r.reimbursable, why).unwrap())
                    .unwrap();
            }
            Err(BudgetError::OverClaim { .. }) => refused += 1,
            Err(other) => panic!("{other}"),
        }
    }
    // About £4,639.17 a month (a twelfth of £55,670) fits four times in £20,000.
    assert_eq!(book.claims().len(), 4);
    assert_eq!(refused, 8);
    assert_eq!(
        ledger.balance(arrs).unwrap().balance(),
        Money::ZERO.checked_sub(book.reimbursed()).unwrap()
    );
    assert!(ledger.accounts_below_floor().is_empty());
}
