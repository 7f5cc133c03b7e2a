//! Shared helpers for the store's tests: temporary folders, a small budget and
//! random transfers.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use chrono::NaiveDate;
use pcn_budget::{
    Account, Actor, Batch, FundingStream, Party, Provenance, Purpose, Reason, Transfer,
};
use pcn_core::{AccountId, Money, NetworkId, OrganisationId, TransferId};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

/// A folder removed when dropped.
pub struct TempDir(PathBuf);

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl TempDir {
    pub fn new(name: &str) -> Self {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("pcn-store-{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn db(&self) -> PathBuf {
        self.0.join("budget.db")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub const NETWORK: Party = Party::Network(NetworkId::from_u128(1));
pub const COUNCIL: Party = Party::Organisation(OrganisationId::from_u128(2));
pub const FUNDER: AccountId = AccountId::from_u128(1);
pub const CAPPED: AccountId = AccountId::from_u128(2);
pub const POT_A: AccountId = AccountId::from_u128(3);
pub const POT_B: AccountId = AccountId::from_u128(4);
pub const PAY: AccountId = AccountId::from_u128(5);
pub const ALL: [AccountId; 5] = [FUNDER, CAPPED, POT_A, POT_B, PAY];

/// Funding (unlimited and capped at £1,000,000), two pots that cannot overspend,
/// and a spending line.
pub fn accounts() -> Vec<Account> {
    vec![
        Account::funding(
            FUNDER,
            "ICB investment",
            FundingStream::CommissionerInvestment,
            NETWORK,
        ),
        Account::funding(
            CAPPED,
            "Council contribution",
            FundingStream::SocialCareContribution,
            COUNCIL,
        )
        .with_floor(Money::from_pence(-100_000_000)),
        Account::pot(POT_A, "Pooled budget", NETWORK, Purpose::General),
        Account::pot(POT_B, "Frailty pot", NETWORK, Purpose::General),
        Account::spending(PAY, "Provider payments", COUNCIL, Purpose::General),
    ]
}

pub fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 6, 1).unwrap()
}

pub fn why() -> Provenance {
    Provenance::new(day(), Actor::System(NETWORK), Reason::Allocation)
}

pub fn posted(id: u128, debit: AccountId, credit: AccountId, pence: i64) -> Transfer {
    Transfer::posted(
        TransferId::from_u128(id),
        debit,
        credit,
        Money::from_pence(pence),
        why(),
    )
    .unwrap()
}

/// A batch of `n` transfers with ids from `first`, each likely to be accepted:
/// money in from funding, between pots and out to pay, small amounts.
pub fn batch(rng: &mut Pcg64, first: u128, n: usize) -> Batch {
    (0..n)
        .map(|i| {
            let id = first + i as u128;
            let amount = rng.random_range(1..=5_000);
            let (d, c) = match rng.random_range(0..6) {
                0 => (FUNDER, POT_A),
                1 => (CAPPED, POT_B),
                2 => (POT_A, POT_B),
                3 => (POT_B, POT_A),
                4 => (POT_A, PAY),
                _ => (POT_B, PAY),
            };
            posted(id, d, c, amount)
        })
        .collect()
}

pub fn rng(seed: u64) -> Pcg64 {
    Pcg64::seed_from_u64(seed)
}
