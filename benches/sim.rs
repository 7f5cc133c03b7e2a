//! Benches of the network year (issue: "The network year"). Targets: the main
//! example's 50,000-patient network in a few seconds with its replications, and
//! England's 1,250 networks and 60 million patients in under 60 s on 2 cores; the
//! multi-network bench runs a tenth of England (125 networks, 6 million patients).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use pcn::sim::{NetworkInput, Parameters, RunId, Scenario, simulate_networks, simulate_year};

fn network_year(c: &mut Criterion) {
    let (Ok(parameters), Ok(network)) = (
        Parameters::published(),
        Parameters::published()
            .and_then(|p| NetworkInput::synthetic("Riverside PCN", 50_000, 7, &p)),
    ) else {
        eprintln!("the shipped parameters or the synthetic network could not be built");
        return;
    };
    let pch = Scenario::primary_care_home(&parameters);
    let baseline = Scenario::baseline();
    let mut group = c.benchmark_group("network_year");
    group.bench_function("one_network_50k_baseline", |b| {
        b.iter(|| {
            simulate_year(
                black_box(&network),
                &baseline,
                &parameters,
                RunId::new(1, 0, 0),
            )
        })
    });
    group.bench_function("one_network_50k_primary_care_home", |b| {
        b.iter(|| simulate_year(black_box(&network), &pch, &parameters, RunId::new(1, 0, 0)))
    });
    group.finish();

    let mut group = c.benchmark_group("england_tenth");
    group.sample_size(10);
    group.bench_function("networks_125_patients_6m_target_under_6s", |b| {
        b.iter(|| {
            simulate_networks(
                125,
                |i| NetworkInput::synthetic(format!("PCN {i}"), 48_000, u64::from(i), &parameters),
                &pch,
                &parameters,
                3,
                0,
            )
        })
    });
    group.finish();
}

criterion_group!(benches, network_year);
criterion_main!(benches);
