//! Targets from the ODS files issue, on the national files as published:
//!
//! - the national ePCN workbook (`epcn-2023-01.xlsx`, 1,329 PCNs and 7,455
//!   relationships) read in under 1 s;
//! - the national quinary-age list file (`gp-reg-pat-prac-quin-age-2026-07.zip`,
//!   326,241 rows) unzipped, read and gathered into every organisation's age and sex
//!   structure in under 1 s.
//!
//! The files are read from the shared data folder beside this checkout. Without
//! it, the list file is replaced by a seeded file of the same shape (7,587
//! organisations of 43 rows, as CSV) and the workbook is not measured.
//!
//! Run with `cargo bench --bench ods -- --warm-up-time 1 --measurement-time 3`.

// A benchmark's fixture failing to build is a bug in the bench: stop loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::hint::black_box;
use std::io::Cursor;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pcn::ods::{AgeBand, AgeSexLists, Input, QUINARY_AGE_MEMBER, ReadOptions, read_epcn_workbook};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

/// The shared data folder, if it is beside this checkout.
fn shared() -> Option<PathBuf> {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|dir| dir.join("shared/data"))
        .find(|dir| dir.join("activity/published").is_dir())
}

/// A seeded quinary-age file of national shape: 7,587 organisations, each with its
/// 40 band rows and three totals.
fn seeded_quinary_age() -> Vec<u8> {
    let mut rng = Pcg64Mcg::seed_from_u64(15);
    let mut csv = String::from(
        "PUBLICATION,EXTRACT_DATE,ORG_TYPE,ORG_CODE,ONS_CODE,POSTCODE,SEX,AGE_GROUP_5,NUMBER_OF_PATIENTS\r\n",
    );
    for org in 0..7_587 {
        let code = format!(
            "{}{:05}",
            char::from(b'A' + u8::try_from(org / 90_000).unwrap()),
            81_000 + org
        );
        let mut totals = [0u64; 2];
        let mut rows = String::new();
        for (s, sex) in ["FEMALE", "MALE"].into_iter().enumerate() {
            for band in AgeBand::all() {
                let n: u64 = rng.random_range(0..800);
                totals[s] += n;
                let band = band.to_string().replace('-', "_");
                writeln!(
                    rows,
                    "GP_PRAC_PAT_LIST,2026-07-01,GP,{code},,TS18 1HU,{sex},{band},{n}\r"
                )
                .unwrap();
            }
            writeln!(
                rows,
                "GP_PRAC_PAT_LIST,2026-07-01,GP,{code},,TS18 1HU,{sex},ALL,{}\r",
                totals[s]
            )
            .unwrap();
        }
        writeln!(
            csv,
            "GP_PRAC_PAT_LIST,2026-07-01,GP,{code},,TS18 1HU,ALL,ALL,{}\r",
            totals[0] + totals[1]
        )
        .unwrap();
        csv.push_str(&rows);
    }
    csv.into_bytes()
}

fn quinary_age(c: &mut Criterion) {
    let mut group = c.benchmark_group("ods");
    group.sample_size(10);
    match shared() {
        Some(dir) => {
            let zip =
                std::fs::read(dir.join("activity/published/gp-reg-pat-prac-quin-age-2026-07.zip"))
                    .unwrap();
            group.throughput(Throughput::Bytes(zip.len() as u64));
            // Target: under 1 s for the national file, zip as published.
            group.bench_function("quinary_age_national_zip", |b| {
                b.iter(|| {
                    let input = Input::from_zip(
                        "quin-age.zip",
                        Cursor::new(black_box(&zip)),
                        QUINARY_AGE_MEMBER,
                    )
                    .unwrap();
                    let lists = AgeSexLists::read(input).unwrap();
                    assert_eq!(lists.organisations().len(), 7_587);
                    lists
                });
            });
            let workbook = std::fs::read(dir.join("ods/epcn-2023-01.xlsx")).unwrap();
            group.throughput(Throughput::Bytes(workbook.len() as u64));
            // Target: under 1 s for the national workbook.
            group.bench_function("epcn_workbook_national", |b| {
                b.iter(|| {
                    let input = Input::new("epcn.xlsx", black_box(workbook.as_slice()));
                    let read = read_epcn_workbook(input, &ReadOptions::default()).unwrap();
                    assert_eq!(read.core_partners.records.len(), 7_455);
                    read
                });
            });
        }
        None => {
            eprintln!(
                "note: no national data folder beside this checkout; measuring a seeded list file"
            );
            let csv = seeded_quinary_age();
            group.throughput(Throughput::Bytes(csv.len() as u64));
            group.bench_function("quinary_age_seeded_csv", |b| {
                b.iter(|| {
                    AgeSexLists::read(Input::new("quin-age.csv", black_box(csv.as_slice())))
                        .unwrap()
                });
            });
        }
    }
    group.finish();
}

criterion_group!(benches, quinary_age);
criterion_main!(benches);
