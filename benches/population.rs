//! Population stratification at national scale.
//!
//! Target (population issue): stratify 60 million synthetic patients (frailty
//! index, multimorbidity and age) in under 2 s using both cores, with the working
//! data at 64 bytes a patient or less.
//!
//! The working data is one 32-byte `RiskProfile` a patient: 60 million take
//! 1.92 GB (1,920,000,000 bytes), generated once by the seeded generator (a few
//! seconds on two cores) and reused by every iteration. Per-patient strata add 6
//! bytes a patient (360 MB) in the `per_patient` bench. Set `PCN_BENCH_PEOPLE` to
//! run on fewer people on a small machine.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pcn::population::{CohortPipeline, PopulationGenerator, RiskProfile, Stratifier};

const NATIONAL: usize = 60_000_000;

fn people() -> usize {
    std::env::var("PCN_BENCH_PEOPLE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(NATIONAL)
}

fn bench(c: &mut Criterion) {
    let n = people();
    let started = Instant::now();
    let profiles = PopulationGenerator::england(2024).profiles(n);
    let bytes = std::mem::size_of_val(profiles.as_slice());
    eprintln!(
        "generated {n} risk profiles in {:.1?}: {} bytes each, {:.2} GB working data",
        started.elapsed(),
        std::mem::size_of::<RiskProfile>(),
        bytes as f64 / 1e9
    );
    let stratifier = Stratifier::default();

    let mut group = c.benchmark_group("stratify_60m_under_2s");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function("summary", |b| {
        b.iter(|| black_box(stratifier.summarise(black_box(&profiles))));
    });
    group.bench_function("per_patient", |b| {
        b.iter(|| black_box(stratifier.stratify(black_box(&profiles))));
    });
    group.finish();

    let mut group = c.benchmark_group("cohort_60m");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Elements(n as u64));
    let pipeline = CohortPipeline::default();
    group.bench_function("top_2_percent_of_adults", |b| {
        b.iter(|| black_box(pipeline.select(black_box(&profiles))));
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
