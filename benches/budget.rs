//! Benches for the unified budget (issue 6 targets, on a 2-core machine shared with
//! other builds):
//! - `ledger/apply_batches`: apply batches of transfers in memory with every
//!   invariant checked, on one core: target 5 million transfers a second or more;
//! - `entitlements/year_1250_networks`: a year of monthly entitlements for 1,250
//!   networks: target under 50 ms;
//! - `entitlements/england_2019_to_2025_target_100ms` (issue 16): every PCN in
//!   England, every contract year 2019/20 to 2025/26, every payment line (the
//!   schedule's lines, the care home premium on each network's beds, the
//!   additional roles and GP sums): target under 100 ms on 2 cores. England is
//!   built at the scale of the national files in `shared/data`: 1,329 PCNs (the
//!   ePCN file of January 2023) and 6,658 practices holding about 60.6 million
//!   patients (the list file of January 2021).
//!
//! Input is built with a seeded generator (SplitMix64), outside the timed loop.

// Bench code: the seeded input is known to be valid, so a failed unwrap is a bug.
#![allow(clippy::unwrap_used)]

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;
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

/// A small seeded generator (PCG), so that the input is the same on every run.
struct Seeded(Pcg64Mcg);

impl Seeded {
    fn seed_from_u64(seed: u64) -> Self {
        Self(Pcg64Mcg::seed_from_u64(seed))
    }

    fn next(&mut self) -> u64 {
        self.0.random()
    }

    /// A number in `range`.
    fn random_range<T: rand::distr::uniform::SampleUniform + PartialOrd>(
        &mut self,
        range: std::ops::Range<T>,
    ) -> T {
        self.0.random_range(range)
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

/// England at the scale of the national files: 1,329 networks sharing 6,658
/// practices (five each, the remainder spread one each over the first networks),
/// lists drawn so that the total is close to 60.6 million, each network with a
/// seeded count of aligned care home beds.
fn england(year: FinancialYear) -> (Vec<NetworkPopulation>, Vec<[u32; 12]>, u64) {
    const NETWORKS: u128 = 1_329;
    const PRACTICES: u128 = 6_658;
    let mut rng = Seeded::seed_from_u64(2019);
    let list_date = NaiveDate::from_ymd_opt(year.start_year(), 1, 1).unwrap();
    let mut national = 0;
    let mut serial = 0u128;
    let mut beds = Vec::new();
    let networks = (0..NETWORKS)
        .map(|n| {
            let count = PRACTICES / NETWORKS + u128::from(n < PRACTICES % NETWORKS);
            let practices = (0..count)
                .map(|_| {
                    serial += 1;
                    let registered = rng.random_range(2_000..16_200u64);
                    let weighted = registered * rng.random_range(85..115u64) / 100;
                    national += weighted;
                    PracticePopulation {
                        practice: PracticeId::from_u128(serial),
                        registered: Some(PopulationCount::new(registered, list_date)),
                        weighted: Some(PopulationCount::new(weighted, list_date)),
                        adjusted: Some(PopulationCount::new(registered * 102 / 100, list_date)),
                    }
                })
                .collect();
            let network_beds: u32 = rng.random_range(0..400);
            let mut months = [network_beds; 12];
            months[6] += rng.random_range(0..40u32);
            beds.push(months);
            NetworkPopulation {
                network: NetworkId::from_u128(n),
                payee: Party::Network(NetworkId::from_u128(n)),
                practices,
            }
        })
        .collect();
    (networks, beds, national)
}

fn england_bench(c: &mut Criterion) {
    let rules = EntitlementRules::published().unwrap();
    let years: Vec<FinancialYear> = rules.years().collect();
    let inputs: Vec<_> = years.iter().map(|y| (*y, england(*y))).collect();
    let mut group = c.benchmark_group("entitlements");
    group.sample_size(20);
    // Target: every PCN in England, every year 2019/20 to 2025/26, all payment
    // lines, in under 100 ms.
    group.bench_function("england_2019_to_2025_target_100ms", |b| {
        b.iter(|| {
            let mut lines = 0usize;
            for (year, (networks, beds, national)) in &inputs {
                let schedule = rules
                    .schedule(*year, black_box(networks), Some(*national))
                    .unwrap();
                lines += schedule.lines.len() + schedule.allowances.len();
                for (network, beds) in networks.iter().zip(beds) {
                    lines += rules
                        .care_home_premium(*year, network.network, network.payee, beds)
                        .unwrap()
                        .len();
                }
            }
            black_box(lines)
        });
    });
    group.finish();
}

criterion_group!(benches, ledger_bench, entitlement_bench, england_bench);
criterion_main!(benches);
