//! Benches for durable state (issue 14 targets, on a 2-core machine shared with
//! other builds):
//! - `durable/sqlite_batch_8190`: transfers made durable a second on SQLite (WAL,
//!   `synchronous = FULL`, one commit per batch of 8,190): target 500,000 or more;
//!   beside it `durable/in_memory_batch_8190`, the ledger alone, and
//!   `durable/postgres_batch_8190` when `PCN_STORE_POSTGRES_URL` names a server
//!   (and the bench is built with `--features pcn-store/postgres`);
//! - `durable/sqlite_shared_8_threads_batch_1024`: eight threads posting batches
//!   of 1,024 at once through one `SharedStore`, whose batches share commits
//!   (group commit); beside it `durable/sqlite_batch_1024`, one thread and one
//!   commit per batch of the same size;
//! - `reopen/snapshot_N`: reopening a store of N transfers from its snapshot:
//!   target under 2 s for 10 million. N is 10 million unless
//!   `PCN_STORE_BENCH_REOPEN` says otherwise (the store is built once, outside
//!   the timed part, in about half a minute; reopening it takes about 3 GB of
//!   memory). Only the opening is timed: each reopened store is dropped after the
//!   clock stops.
//!
//! Input is built with a seeded generator (PCG), outside the timed loop.

// Bench code: the seeded input is known to be valid, so a failed unwrap is a bug.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use pcn::budget::{
    Account, Actor, Batch, FundingStream, Ledger, Party, Provenance, Purpose, Reason, Transfer,
};
use pcn::core::{AccountId, Money, NetworkId, OrganisationId, TransferId};
use pcn::store::{SharedStore, Store};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

const BATCH: usize = 8_190;
const ACCOUNTS: u128 = 64;

fn accounts() -> Vec<Account> {
    let network = Party::Network(NetworkId::from_u128(1));
    let trust = Party::Organisation(OrganisationId::from_u128(2));
    let mut all = vec![Account::funding(
        AccountId::from_u128(1),
        "Core funding",
        FundingStream::CoreNetworkFunding,
        network,
    )];
    for i in 2..=ACCOUNTS {
        all.push(Account::spending(
            AccountId::from_u128(i),
            format!("Provider {i}"),
            trust,
            Purpose::General,
        ));
    }
    all
}

/// Batches of transfers from the funding account to the others: every one is
/// accepted, with ids in time order.
struct Generator {
    rng: Pcg64Mcg,
    next_id: u128,
    provenance: Provenance,
}

impl Generator {
    fn new(seed: u64) -> Self {
        let day = NaiveDate::from_ymd_opt(2024, 6, 1).unwrap();
        Self {
            rng: Pcg64Mcg::seed_from_u64(seed),
            next_id: 1,
            provenance: Provenance::new(
                day,
                Actor::System(Party::Network(NetworkId::from_u128(1))),
                Reason::Pay,
            ),
        }
    }

    fn batch(&mut self) -> Batch {
        self.batch_of(BATCH)
    }

    fn batch_of(&mut self, size: usize) -> Batch {
        let mut b = Batch::with_capacity(size);
        for _ in 0..size {
            self.next_id += 1;
            let credit = AccountId::from_u128(self.rng.random_range(2..=ACCOUNTS));
            let amount = Money::from_pence(self.rng.random_range(1..=100_000));
            b.push(
                Transfer::posted(
                    TransferId::from_u128(self.next_id),
                    AccountId::from_u128(1),
                    credit,
                    amount,
                    self.provenance.clone(),
                )
                .unwrap(),
            );
        }
        b
    }
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pcn-bench-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn durable(c: &mut Criterion) {
    let mut group = c.benchmark_group("durable");
    group.throughput(Throughput::Elements(BATCH as u64));
    group.sample_size(20);

    let mut ledger = Ledger::new();
    for a in accounts() {
        ledger.open(a).unwrap();
    }
    let mut generator = Generator::new(1);
    group.bench_function("in_memory_batch_8190", |b| {
        b.iter_batched(
            || generator.batch(),
            |batch| ledger.apply(&batch).unwrap(),
            BatchSize::LargeInput,
        );
    });

    let dir = temp("durable");
    let mut store = Store::open(dir.join("budget.db")).unwrap();
    store.open_accounts(&accounts()).unwrap();
    let mut generator = Generator::new(2);
    group.bench_function("sqlite_batch_8190", |b| {
        b.iter_batched(
            || generator.batch(),
            |batch| store.post(&batch).unwrap(),
            BatchSize::LargeInput,
        );
    });
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);

    postgres(&mut group);
    group.finish();
    shared(c);
}

/// Batches of 1,024: one thread, one commit each; then eight threads at once
/// through a `SharedStore`, sharing commits.
fn shared(c: &mut Criterion) {
    const SMALL: usize = 1_024;
    const THREADS: usize = 8;
    let mut group = c.benchmark_group("durable");
    group.sample_size(20);

    let dir = temp("small");
    let mut store = Store::open(dir.join("budget.db")).unwrap();
    store.open_accounts(&accounts()).unwrap();
    let mut generator = Generator::new(5);
    group.throughput(Throughput::Elements(SMALL as u64));
    group.bench_function("sqlite_batch_1024", |b| {
        b.iter_batched(
            || generator.batch_of(SMALL),
            |batch| store.post(&batch).unwrap(),
            BatchSize::LargeInput,
        );
    });
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);

    let dir = temp("shared");
    let mut store = Store::open(dir.join("budget.db")).unwrap();
    store.open_accounts(&accounts()).unwrap();
    let shared = store.share();
    let mut generator = Generator::new(6);
    group.throughput(Throughput::Elements((SMALL * THREADS) as u64));
    group.bench_function(format!("sqlite_shared_{THREADS}_threads_batch_1024"), |b| {
        b.iter_custom(|iters| {
            let work: Vec<Vec<Batch>> = (0..THREADS)
                .map(|_| (0..iters).map(|_| generator.batch_of(SMALL)).collect())
                .collect();
            let start = Instant::now();
            std::thread::scope(|scope| {
                for batches in work {
                    let shared: SharedStore = shared.clone();
                    scope.spawn(move || {
                        for batch in batches {
                            shared.post(batch).unwrap();
                        }
                    });
                }
            });
            start.elapsed()
        });
    });
    group.finish();
    drop(shared);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The same on PostgreSQL, when the bench is built with `--features postgres` and
/// `PCN_STORE_POSTGRES_URL` names a server (its store tables are created in the
/// schema `pcn_bench`, dropped first).
#[cfg(feature = "postgres")]
fn postgres(group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>) {
    let Ok(base) = std::env::var("PCN_STORE_POSTGRES_URL") else {
        eprintln!("PCN_STORE_POSTGRES_URL is not set: no PostgreSQL bench");
        return;
    };
    let mut client = postgres::Client::connect(&base, postgres::NoTls).unwrap();
    client
        .batch_execute("DROP SCHEMA IF EXISTS pcn_bench CASCADE; CREATE SCHEMA pcn_bench;")
        .unwrap();
    let url = format!("{base} options='-c search_path=pcn_bench'");
    let mut store = Store::connect(&url).unwrap();
    store.open_accounts(&accounts()).unwrap();
    let mut generator = Generator::new(3);
    group.bench_function("postgres_batch_8190", |b| {
        b.iter_batched(
            || generator.batch(),
            |batch| store.post(&batch).unwrap(),
            BatchSize::LargeInput,
        );
    });
}

#[cfg(not(feature = "postgres"))]
fn postgres(_group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>) {
    eprintln!("built without the postgres feature: no PostgreSQL bench");
}

fn reopen(c: &mut Criterion) {
    let n: usize = std::env::var("PCN_STORE_BENCH_REOPEN")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000_000);
    let dir = temp("reopen");
    let path = dir.join("budget.db");
    {
        let mut store = Store::open(&path).unwrap();
        store.open_accounts(&accounts()).unwrap();
        let mut generator = Generator::new(4);
        let mut posted = 0;
        while posted < n {
            let batches: Vec<Batch> = (0..16).map(|_| generator.batch()).collect();
            for r in store.post_all(&batches).unwrap() {
                posted += r.unwrap().stored;
            }
        }
        store.snapshot().unwrap();
    }
    let mut group = c.benchmark_group("reopen");
    group.sample_size(10);
    group.sampling_mode(criterion::SamplingMode::Flat);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function(format!("snapshot_{n}"), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                let store = Store::open(&path).unwrap();
                total += start.elapsed();
                assert!(store.ledger().transfer_count() >= n);
                drop(store);
            }
            total
        });
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, durable, reopen);
criterion_main!(benches);
