//! FHIR export and import (issues 9 and 15).
//!
//! Targets: "export a 50,000-patient network bundle in under 1 s", "parse and map
//! FHIR JSON at 100 MB/s or more on one core" and "the validating FHIR import keeps
//! at least 100 MB/s on well-formed bundles".
//!
//! The network is built by seeded generators: six practices in one PCN with two
//! partners, 50,000 patients from the population generator and the 60-strong
//! synthetic workforce of the team crate. The import benches read that network's
//! bundle into the model (parse, check and map), and the official R4 example
//! resources one at a time (parse and check).
//!
//! Run with `cargo bench --bench fhir -- --warm-up-time 1 --measurement-time 3`.

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pcn::core::{DateRange, PracticeId};
use pcn::fhir::{
    NetworkData, import_network, import_resource, network_to_bundle, read_bars_referral,
    to_json_bytes, validate_resource,
};
use pcn::network::{Network, Partner, PartnerRole, Practice, PracticeStatus, Registry};
use pcn::population::PopulationGenerator;
use pcn::team::synthetic::{NetworkSpec, SyntheticNetwork};

const PATIENTS: u32 = 50_000;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// A PCN of six practices with two partners, its 50,000 patients and 60 staff.
fn network(seed: u64) -> Result<NetworkData, Box<dyn std::error::Error>> {
    let mut registry = Registry::new();
    let mut practices: Vec<PracticeId> = Vec::new();
    let mut indices = Vec::new();
    for i in 0..6u32 {
        let mut practice = Practice::new(
            format!("B8{:04}", 2001 + i).parse()?,
            &format!("Practice {}", i + 1),
            DateRange::starting(date(1974, 4, 1)),
            PracticeStatus::Active,
        )?;
        practice.set_commissioner(date(2020, 4, 1), "16C".parse()?);
        practice.record_list_size(date(2023, 1, 1), PATIENTS / 6)?;
        practices.push(practice.id());
        indices.push(registry.add_practice(practice)?);
    }
    let mut pcn = Network::pcn(
        "U89141".parse()?,
        "Bench PCN",
        DateRange::starting(date(2019, 7, 1)),
    )?;
    pcn.add_partner(Partner::new(
        "Community Trust",
        PartnerRole::CommunityServices,
        DateRange::starting(date(2019, 7, 1)),
    )?);
    pcn.add_partner(Partner::new(
        "Voluntary Action",
        PartnerRole::VoluntarySector,
        DateRange::starting(date(2020, 4, 1)),
    )?);
    let pcn = registry.add_network(pcn)?;
    for index in indices {
        registry.join(index, pcn, DateRange::starting(date(2019, 7, 1)))?;
    }
    let patients =
        PopulationGenerator::england(seed).patients(0..PATIENTS, &practices, date(2023, 1, 1))?;
    let synthetic = SyntheticNetwork::generate(seed, 0, &NetworkSpec::fifty_thousand())?;
    let staff: Vec<_> = synthetic.workforce.staff_members().cloned().collect();
    let teams: Vec<_> = synthetic.workforce.teams().cloned().collect();
    Ok(NetworkData {
        registry,
        patients,
        staff,
        teams,
        care_plans: Vec::new(),
    })
}

fn examples() -> Vec<Vec<u8>> {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/crates/pcn-fhir/tests/data/r4-examples"
    );
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

fn fhir(c: &mut Criterion) {
    let Ok(data) = network(9) else {
        return;
    };

    // Target: a 50,000-patient network bundle in under 1 s (build the resources and
    // write the JSON).
    let mut export = c.benchmark_group("fhir_export_50k_patient_network_target_under_1s");
    export.sample_size(10);
    export.bench_function("bundle_to_json", |b| {
        b.iter(|| to_json_bytes(&network_to_bundle(black_box(&data))).map(|j| j.len()))
    });
    export.finish();

    // Target: parse and map at 100 MB/s or more on one core.
    let json = to_json_bytes(&network_to_bundle(&data)).unwrap_or_default();
    let mut import = c.benchmark_group("fhir_import_target_100MB_per_s");
    import.sample_size(10);
    import.throughput(Throughput::Bytes(json.len() as u64));
    import.bench_function("network_bundle_to_model", |b| {
        b.iter(|| import_network(black_box(&json)).map(|i| i.resource.patients.len()))
    });
    import.bench_function("network_bundle_to_resources", |b| {
        b.iter(|| import_resource(black_box(&json)).map(|i| i.ignored.len()))
    });
    // Target (issue 15): the validating import at 100 MB/s or more on well-formed
    // bundles (read, check every entry, report).
    import.bench_function("network_bundle_validated", |b| {
        b.iter(|| validate_resource(black_box(&json)).report.len())
    });
    let examples = examples();
    let total: usize = examples.iter().map(Vec::len).sum();
    import.throughput(Throughput::Bytes(total as u64));
    import.bench_function("r4_examples_one_by_one", |b| {
        b.iter(|| {
            examples
                .iter()
                .filter_map(|json| import_resource(black_box(json)).ok())
                .map(|i| i.ignored.len())
                .sum::<usize>()
        })
    });
    let message = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/crates/pcn-fhir/tests/data/bars/referral-request.json"
    ))
    .unwrap_or_default();
    import.throughput(Throughput::Bytes(message.len() as u64));
    import.bench_function("bars_referral_message", |b| {
        b.iter(|| read_bars_referral(black_box(&message)).report.len())
    });
    import.finish();
}

criterion_group!(benches, fhir);
criterion_main!(benches);
