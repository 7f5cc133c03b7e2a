//! Caseload assignment at network and national scale.
//!
//! Targets (issue "Multidisciplinary teams", 2 cores): assign caseloads for a
//! 50,000-population network (2,000 complex patients, 60 staff) in under 10 ms, and
//! for 1,250 such networks in under 5 s. Each network is generated from a fixed seed
//! by `pcn_team::synthetic` (2,000 complex and 1,000 other caseload patients, 60
//! staff in three teams over four localities) and is distinct from the others.
//!
//! Run with `cargo bench --bench team -- --warm-up-time 1 --measurement-time 3`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use pcn::team::synthetic::{NetworkSpec, SyntheticNetwork};
use pcn::team::{Assignment, CaseloadPatient, CaseloadPlanner};
use rayon::prelude::*;

const SEED: u64 = 20_190_701;
const NETWORKS: u32 = 1_250;

fn networks(count: u32) -> Vec<SyntheticNetwork> {
    let spec = NetworkSpec::fifty_thousand();
    match (0..count)
        .map(|i| SyntheticNetwork::generate(SEED, i, &spec))
        .collect()
    {
        Ok(networks) => networks,
        Err(err) => {
            eprintln!("cannot generate the benchmark networks: {err}");
            std::process::exit(1);
        }
    }
}

fn assign(net: &SyntheticNetwork) -> usize {
    CaseloadPlanner::new(&net.workforce, net.network, &net.policy, net.on)
        .assign(&net.patients)
        .assignments()
        .len()
}

fn one_network(c: &mut Criterion) {
    let nets = networks(1);
    let net = &nets[0];
    let planner = CaseloadPlanner::new(&net.workforce, net.network, &net.policy, net.on);
    let first = planner.assign(&net.patients);
    println!(
        "one network: {} of {} patients placed",
        first.assignments().len(),
        net.patients.len()
    );
    let with_care: Vec<CaseloadPatient> = net
        .patients
        .iter()
        .map(|p| CaseloadPatient {
            existing: first
                .assignment_of(p.patient)
                .map(Assignment::as_existing)
                .unwrap_or_default(),
            ..p.clone()
        })
        .collect();

    let mut group = c.benchmark_group("caseloads");
    // Target: under 10 ms for one 50,000-population network.
    group.bench_function("one_network_50k_target_10ms", |b| {
        b.iter(|| assign(black_box(net)));
    });
    group.bench_function("one_network_50k_with_existing_care_target_10ms", |b| {
        b.iter(|| {
            CaseloadPlanner::new(&net.workforce, net.network, &net.policy, net.on)
                .assign(black_box(&with_care))
                .assignments()
                .len()
        });
    });
    group.finish();
}

fn national(c: &mut Criterion) {
    let nets = networks(NETWORKS);
    let mut group = c.benchmark_group("caseloads");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    // Target: under 5 s for 1,250 networks, in parallel across networks.
    group.bench_function("national_1250_networks_target_5s", |b| {
        b.iter(|| nets.par_iter().map(assign).sum::<usize>());
    });
    group.finish();
}

criterion_group!(benches, one_network, national);
criterion_main!(benches);
