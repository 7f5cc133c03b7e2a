//! Caseload assignment at network and national scale.
//!
//! Targets (issue "Multidisciplinary teams", 2 cores): assign caseloads for a
//! 50,000-population network (2,000 complex patients, 60 staff) in under 10 ms, and
//! for 1,250 such networks in under 5 s. Each network is generated from a fixed seed
//! by `pcn_team::synthetic` (2,000 complex and 1,000 other caseload patients, 60
//! staff in three teams over four localities) and is distinct from the others.
//!
//! Optimal placement (issue "Caseloads placed optimally"): the same 3,000 patients
//! and 60 staff placed optimally, with travel, in under 1 s; a large PCN of 50,000
//! patients and 400 staff (24 teams, 8 localities, 10 practices) in under 30 s;
//! each beside the greedy planner on the same network. The optimal figures include
//! the exact least-travel flow, the flow of its relaxation's bound, and the
//! bisection for the most even load; the set-up prints each stage's value, whether
//! it is proven, its bound and gap.
//!
//! Run with `cargo bench --bench team -- --warm-up-time 1 --measurement-time 3`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use pcn::core::Location;
use pcn::team::synthetic::{NetworkSpec, SyntheticNetwork};
use pcn::team::{Assignment, CaseloadPatient, CaseloadPlanner, PlacementOptions, Places};
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

/// Places for a synthetic network: localities around real practice locations of the
/// shipped London extract (Whetstone, Finchley, Cricklewood, Finchley), homes within
/// 1.5 km.
fn places_of(net: &SyntheticNetwork) -> Places {
    let centres: Vec<Location> = [
        (51.624_339, -0.159_052),
        (51.599_563, -0.193_245),
        (51.561_025, -0.205_723),
        (51.602_492, -0.174_936),
    ]
    .iter()
    .filter_map(|&(lat, lon)| Location::new(lat, lon).ok())
    .collect();
    net.places(SEED, &centres, 1_500)
}

fn optimal(c: &mut Criterion) {
    let large_spec = NetworkSpec {
        complex_patients: 20_000,
        other_patients: 30_000,
        staff: 400,
        practices: 10,
        localities: 8,
        teams: 24,
    };
    let options = PlacementOptions::default();
    let mut group = c.benchmark_group("optimal_caseloads");
    group.sample_size(10);
    for (name, spec, seconds) in [
        ("3000_patients_60_staff", NetworkSpec::fifty_thousand(), 5),
        ("50000_patients_400_staff", large_spec, 60),
    ] {
        let net = match SyntheticNetwork::generate(SEED, 0, &spec) {
            Ok(net) => net,
            Err(err) => {
                eprintln!("cannot generate the benchmark network: {err}");
                std::process::exit(1);
            }
        };
        let places = places_of(&net);
        let planner = CaseloadPlanner::new(&net.workforce, net.network, &net.policy, net.on);
        let greedy = planner.assign(&net.patients).assignments().len();
        match planner.place(&net.patients, &places, &options) {
            Ok(placement) => {
                println!(
                    "{name}: greedy {greedy} placed; optimal {}",
                    placement.bound
                );
                for stage in &placement.stages {
                    println!(
                        "  {}: {:.2}, proven {}, bound {:?}, gap {:?}, {} ms",
                        stage.objective,
                        stage.value,
                        stage.proven_optimal,
                        stage.bound,
                        stage.gap,
                        stage.elapsed_ms
                    );
                }
            }
            Err(err) => {
                eprintln!("cannot place the benchmark network: {err}");
                std::process::exit(1);
            }
        }
        group.measurement_time(Duration::from_secs(seconds));
        // Targets: under 1 s (3,000 patients) and under 30 s (50,000 patients).
        group.bench_function(
            format!(
                "{name}_optimal_target_{}",
                if seconds == 5 { "1s" } else { "30s" }
            ),
            |b| {
                b.iter(|| {
                    planner
                        .place(black_box(&net.patients), &places, &options)
                        .map(|p| p.bound.placed)
                });
            },
        );
        group.bench_function(format!("{name}_greedy"), |b| {
            b.iter(|| planner.assign(black_box(&net.patients)).assignments().len());
        });
    }
    group.finish();
}

criterion_group!(benches, one_network, national, optimal);
criterion_main!(benches);
