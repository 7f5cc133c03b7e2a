//! Benches of the network year (issue: "The network year"). Targets: the main
//! example's 50,000-patient network in a few seconds with its replications, and
//! England's 1,250 networks and 60 million patients in under 60 s on 2 cores; the
//! multi-network bench runs a tenth of England (125 networks, 6 million patients).
//! Issue "The network year on a real PCN": a real PCN's year with 20 replications
//! and both scenarios under 100 ms (`real_pcn_u02795_20_replications_both_scenarios`,
//! the 111,192 patients of North 2 Islington from the shipped extracts, people
//! already drawn); England's validated baseline under 60 s is timed by
//! `england_year --data ../shared/data --validate` (every real PCN, 63 million
//! people drawn and simulated).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use pcn::ods::{
    AgeSexLists, DataFile, DataFolder, ReadOptions, read_practice_map, read_workforce,
    workforce_by_pcn,
};
use pcn::sim::{
    Comparison, NetworkInput, Parameters, RunId, Scenario, real_network, simulate_networks,
    simulate_year,
};

/// North 2 Islington PCN from the shipped extracts.
fn u02795(parameters: &Parameters) -> Result<NetworkInput, Box<dyn std::error::Error>> {
    let folder = DataFolder::find(concat!(env!("CARGO_MANIFEST_DIR"), "/data"))?;
    let map =
        read_practice_map(folder.open(DataFile::PracticeMap)?, &ReadOptions::default())?.records;
    let lists = AgeSexLists::read(folder.open(DataFile::QuinaryAge)?)?;
    let workforce = workforce_by_pcn(
        &read_workforce(folder.open(DataFile::Workforce)?, &ReadOptions::default())?.records,
    );
    let code = "U02795".parse()?;
    Ok(real_network(
        &code,
        &map,
        "map",
        &lists,
        Some((&workforce, "workforce")),
        parameters,
        1,
    )?
    .input)
}

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
    if let Ok(real) = u02795(&parameters) {
        group.sample_size(20);
        group.bench_function("real_pcn_u02795_20_replications_both_scenarios", |b| {
            b.iter(|| Comparison::run(black_box(&real), &baseline, &pch, &parameters, 20, 1))
        });
    } else {
        eprintln!("the shipped extracts could not be read: the real PCN bench is skipped");
    }
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
