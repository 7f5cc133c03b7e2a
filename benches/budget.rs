//! Benches for the unified budget (issue 6 targets, on a 2-core machine shared with
//! other builds):
//! - `ledger/apply_batches`: apply batches of transfers in memory with every
//!   invariant checked, on one core: target 5 million transfers a second or more;
//! - `entitlements/year_1250_networks`: a year of monthly entitlements for 1,250
//!   networks: target under 50 ms.
//!
//! Input is built with a seeded generator (SplitMix64), outside the timed loop.

// Bench code: the seeded input is known to be valid, so a failed unwrap is a bug.
#![allow(clippy::unwrap_used)]

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use pcn::budget::{
    Account, Actor, Batch, EntitlementRules, FundingStream, Ledger, NetworkPopulation, Party,
    PopulationCount, PracticePopulation, Provenance, Purpose, Reason, Transfer,
};
use pcn::core::{
    AccountId, FinancialYear, Money, NetworkId, OrganisationId, PracticeId, Role, TransferId,
};

/// A small seeded generator (SplitMix64), so that the input is the same on every run.
struct Seeded(u64);

impl Seeded {
    fn seed_from_u64(seed: u64) -> Self {
        Self(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `range`, by rejection-free multiply-shift (bias far below
    /// anything a bench can see).
    fn random_range<T: Into<u128> + TryFrom<u128>>(&mut self, range: std::ops::Range<T>) -> T {
        let (start, end) = (range.start.into(), range.end.into());
        let span = end - start;
        let value = start + ((u128::from(self.next()) * span) >> 64);
        T::try_from(value).ok().unwrap()
    }
}

const FUNDING: u128 = 16;
const POTS: u128 = 256;
const SPENDING: u128 = 1024;
const BATCH: usize = 8190;
const BATCHES: usize = 64;

fn account_id(kind: u128, n: u128) -> AccountId {
    AccountId::from_u128((kind << 96) | n)
}

/// A ledger of funding accounts, pots (which cannot overspend) and spending lines,
/// with every pot funded, and batches of seeded transfers that all succeed:
/// allocations between pots, payments from pots to providers, commitments and
/// their posting.
fn ledger_and_batches() -> (Ledger, Vec<Batch>) {
    let mut rng = Seeded::seed_from_u64(6);
    let network = Party::Network(NetworkId::from_u128(1));
    let provider = |n: u128| Party::Organisation(OrganisationId::from_u128(n % 8));
    let mut ledger = Ledger::new();
    for f in 0..FUNDING {
        ledger
            .open(Account::funding(
                account_id(1, f),
                "funding",
                FundingStream::PooledFund,
                network,
            ))
            .unwrap();
    }
    for p in 0..POTS {
        ledger
            .open(Account::pot(
                account_id(2, p),
                "pot",
                network,
                Purpose::General,
            ))
            .unwrap();
    }
    for s in 0..SPENDING {
        let role = Role::ALL[usize::try_from(s).unwrap() % Role::ALL.len()];
        ledger
            .open(Account::spending(
                account_id(3, s),
                "spending",
                provider(s),
                Purpose::Role(role),
            ))
            .unwrap();
    }
    let day = NaiveDate::from_ymd_opt(2024, 4, 1).unwrap();
    let by = Actor::System(network);
    let mut setup = Batch::new();
    for p in 0..POTS {
        let amount = Money::from_pence(1_000_000_000_000);
        setup.push(
            Transfer::posted(
                TransferId::from_u128(p + 1),
                account_id(1, p % FUNDING),
                account_id(2, p),
                amount,
                Provenance::new(day, by, Reason::Funding),
            )
            .unwrap(),
        );
    }
    ledger.apply(&setup).unwrap();

    let mut next_id = 1u128;
    let mut batches = Vec::with_capacity(BATCHES);
    let mut open_pending: Vec<TransferId> = Vec::new();
    for _ in 0..BATCHES {
        let mut batch = Batch::with_capacity(BATCH);
        while batch.len() < BATCH {
            let id = TransferId::from_u128(next_id << 64 | u128::from(rng.next()));
            next_id += 1;
            let date = day + chrono::Days::new(rng.random_range(0u64..360));
            let pot = account_id(2, rng.random_range(0..POTS));
            let amount = Money::from_pence(i64::try_from(rng.random_range(1u64..500_000)).unwrap());
            let roll = rng.random_range(0u64..100);
            let transfer = if roll < 70 {
                let to = account_id(3, rng.random_range(0..SPENDING));
                Transfer::posted(id, pot, to, amount, Provenance::new(date, by, Reason::Pay))
            } else if roll < 85 {
                let other = account_id(2, rng.random_range(0..POTS));
                if other == pot {
                    continue;
                }
                Transfer::posted(
                    id,
                    pot,
                    other,
                    amount,
                    Provenance::new(date, by, Reason::Allocation),
                )
            } else if roll < 95 || open_pending.is_empty() {
                let to = account_id(3, rng.random_range(0..SPENDING));
                open_pending.push(id);
                Transfer::pending(
                    id,
                    pot,
                    to,
                    amount,
                    Provenance::new(date, by, Reason::Commitment),
                )
            } else {
                let pending = open_pending.swap_remove(
                    usize::try_from(rng.random_range(0u64..open_pending.len() as u64)).unwrap(),
                );
                Transfer::post_pending(id, pending, None, Provenance::new(date, by, Reason::Pay))
            };
            batch.push(transfer.unwrap());
        }
        batches.push(batch);
    }
    (ledger, batches)
}

fn ledger_bench(c: &mut Criterion) {
    let (ledger, batches) = ledger_and_batches();
    let total: usize = batches.iter().map(Batch::len).sum();
    let mut group = c.benchmark_group("ledger");
    group.throughput(Throughput::Elements(total as u64));
    group.sample_size(20);
    // Target: 5 million transfers a second or more, every invariant checked.
    group.bench_function("apply_batches_target_5m_per_s", |b| {
        b.iter_batched(
            || {
                let mut ledger = ledger.clone();
                ledger.reserve(total);
                ledger
            },
            |mut ledger| {
                for batch in &batches {
                    black_box(ledger.apply(batch).unwrap());
                }
                ledger
            },
            BatchSize::LargeInput,
        );
    });
    group.finish();
}

/// 1,250 networks of four to eight practices with seeded list sizes.
fn networks(year: FinancialYear) -> (Vec<NetworkPopulation>, u64) {
    let mut rng = Seeded::seed_from_u64(1250);
    let list_date = NaiveDate::from_ymd_opt(year.start_year(), 1, 1).unwrap();
    let mut national = 0;
    let mut practice_serial = 0u128;
    let networks = (0..1250u128)
        .map(|n| {
            let count: u64 = rng.random_range(4u64..9);
            let practices = (0..count)
                .map(|_| {
                    practice_serial += 1;
                    let registered = rng.random_range(3_000..15_000u64);
                    let weighted = registered * rng.random_range(85..115u64) / 100;
                    national += weighted;
                    PracticePopulation {
                        practice: PracticeId::from_u128(practice_serial),
                        registered: Some(PopulationCount::new(registered, list_date)),
                        weighted: Some(PopulationCount::new(weighted, list_date)),
                        adjusted: Some(PopulationCount::new(registered * 102 / 100, list_date)),
                    }
                })
                .collect();
            NetworkPopulation {
                network: NetworkId::from_u128(n),
                payee: Party::Practice(PracticeId::from_u128(practice_serial)),
                practices,
            }
        })
        .collect();
    (networks, national)
}

fn entitlement_bench(c: &mut Criterion) {
    let rules = EntitlementRules::published().unwrap();
    let mut group = c.benchmark_group("entitlements");
    for year in [FinancialYear::constant(2021), FinancialYear::constant(2024)] {
        let (networks, national) = networks(year);
        // Target: a year of monthly entitlements for 1,250 networks in under 50 ms.
        group.bench_function(
            format!("year_1250_networks_target_50ms/{year}").replace('/', "-"),
            |b| {
                b.iter(|| {
                    black_box(
                        rules
                            .schedule(year, black_box(&networks), Some(national))
                            .unwrap(),
                    )
                });
            },
        );
    }
    group.finish();
}

criterion_group!(benches, ledger_bench, entitlement_bench);
criterion_main!(benches);
