//! Targets from the networks issue, on a seeded national-scale registry:
//!
//! - build a national registry (7,000 practices, 1,300 networks, 5 years of monthly
//!   list sizes) from CSV in under 300 ms;
//! - network-of-practice and population-on-date queries at 10 million or more per
//!   second.
//!
//! Run with `cargo bench --bench network -- --warm-up-time 1 --measurement-time 3`.

// A benchmark's fixture failing to build is a bug in the bench: stop loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::hint::black_box;

use chrono::{Datelike, Duration, NaiveDate};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pcn::network::{NetworkIndex, PracticeIndex, Registry};
use pcn::ods::{Import, Input, ReadOptions};

const PRACTICES: usize = 7_000;
const NETWORKS: usize = 1_300;
const MONTHS: usize = 60;
const QUERIES: usize = 1 << 20;

/// SplitMix64: a small seeded generator, so that every run builds the same files.
struct Seeded(u64);

impl Seeded {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap()
    }
}

/// The national files, as CSV text in their published layouts.
struct NationalFiles {
    epraccur: String,
    pcn_details: String,
    core_partners: String,
    list_sizes: String,
}

fn practice_code(i: usize) -> String {
    format!(
        "{}{:05}",
        char::from(b'A' + u8::try_from(i / 90_000).unwrap()),
        81_000 + i % 90_000
    )
}

fn national_files(seed: u64) -> NationalFiles {
    let mut rng = Seeded(seed);
    let commissioners: Vec<String> = (0..106)
        .map(|i| {
            format!(
                "{:02}{}",
                i % 100,
                char::from(b'A' + u8::try_from(i / 100).unwrap())
            )
        })
        .collect();

    let mut epraccur = String::new();
    for i in 0..PRACTICES {
        let commissioner = &commissioners[i * commissioners.len() / PRACTICES];
        writeln!(
            epraccur,
            r#""{}","PRACTICE {i}","Y63","QHM","1 HIGH STREET","","TOWN","","","TS{} {}AB","19740401","","A","B","{commissioner}","20200401","","01642 000000","","","","0","","{commissioner}","","4","""#,
            practice_code(i),
            1 + i % 99,
            i % 10,
        )
        .unwrap();
    }

    let mut pcn_details = String::from(
        "PCN Code,PCN Name,Current Sub ICB Loc Code,Sub ICB Location,Open Date,Close Date,Postcode\n",
    );
    for n in 0..NETWORKS {
        let commissioner = &commissioners[n * commissioners.len() / NETWORKS];
        writeln!(
            pcn_details,
            "U{:05},PCN {n},{commissioner},SUB ICB {commissioner},20190701,,TS1 1AB",
            10_000 + n
        )
        .unwrap();
    }

    // Practices in blocks of about 5.4 per PCN; one in twenty moves to the next PCN at
    // the end of a month (inclusive end date, as ODS publishes).
    let mut core_partners = String::from(
        "Partner Organisation Code,Partner Name,Practice Parent Sub ICB Loc Code,PCN Code,PCN Parent Sub ICB Loc Code,Practice to PCN Relationship Start Date,Practice to PCN Relationship End Date\n",
    );
    for i in 0..PRACTICES {
        let network = i * NETWORKS / PRACTICES;
        let code = practice_code(i);
        let commissioner = &commissioners[i * commissioners.len() / PRACTICES];
        if rng.below(20) == 0 {
            let month =
                NaiveDate::from_ymd_opt(2020 + i32::try_from(rng.below(3)).unwrap(), 4, 1).unwrap();
            let last = month - Duration::days(1);
            let next = (network + 1) % NETWORKS;
            writeln!(
                core_partners,
                "{code},PRACTICE {i},{commissioner},U{:05},{commissioner},20190701,{}",
                10_000 + network,
                last.format("%Y%m%d")
            )
            .unwrap();
            writeln!(
                core_partners,
                "{code},PRACTICE {i},{commissioner},U{:05},{commissioner},{},",
                10_000 + next,
                month.format("%Y%m%d")
            )
            .unwrap();
        } else {
            writeln!(
                core_partners,
                "{code},PRACTICE {i},{commissioner},U{:05},{commissioner},20190701,",
                10_000 + network
            )
            .unwrap();
        }
    }

    // Five years of monthly lists in the published all-ages layout.
    let mut list_sizes = String::from(
        "PUBLICATION,EXTRACT_DATE,TYPE,CCG_CODE,ONS_CCG_CODE,CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS\n",
    );
    let mut lists: Vec<u64> = (0..PRACTICES)
        .map(|_| 2_000 + rng.next() % 14_000)
        .collect();
    let mut month = NaiveDate::from_ymd_opt(2019, 4, 1).unwrap();
    for _ in 0..MONTHS {
        let extract = month.format("%d%b%Y").to_string().to_uppercase();
        for (i, list) in lists.iter_mut().enumerate() {
            *list = (*list + rng.next() % 61).saturating_sub(30);
            let commissioner = &commissioners[i * commissioners.len() / PRACTICES];
            writeln!(
                list_sizes,
                "GP_PRAC_PAT_LIST,{extract},GP,{commissioner},E38000001,{},TS1 1AB,ALL,ALL,{list}",
                practice_code(i)
            )
            .unwrap();
        }
        month = if month.month() == 12 {
            NaiveDate::from_ymd_opt(month.year() + 1, 1, 1).unwrap()
        } else {
            NaiveDate::from_ymd_opt(month.year(), month.month() + 1, 1).unwrap()
        };
    }
    NationalFiles {
        epraccur,
        pcn_details,
        core_partners,
        list_sizes,
    }
}

fn build(files: &NationalFiles) -> Registry {
    let mut import = Import::new(ReadOptions::default());
    import
        .practices(Input::new("epraccur.csv", files.epraccur.as_bytes()))
        .unwrap()
        .pcns(Input::new("pcn-details.csv", files.pcn_details.as_bytes()))
        .unwrap()
        .memberships(Input::new(
            "core-partners.csv",
            files.core_partners.as_bytes(),
        ))
        .unwrap()
        .list_sizes(Input::new(
            "gp-reg-pat-prac-all.csv",
            files.list_sizes.as_bytes(),
        ))
        .unwrap();
    let (registry, report) = import.finish();
    assert!(report.errors.is_empty() && report.rejected.is_empty());
    registry
}

fn query_dates(rng: &mut Seeded) -> Vec<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(2019, 4, 1).unwrap();
    (0..QUERIES)
        .map(|_| first + Duration::days(i64::try_from(rng.below(365 * 5 + 120)).unwrap()))
        .collect()
}

fn benches(c: &mut Criterion) {
    let files = national_files(2019);
    let registry = build(&files);
    assert_eq!(registry.practice_count(), PRACTICES);
    assert_eq!(registry.network_count(), NETWORKS);

    let mut group = c.benchmark_group("network");
    group.sample_size(10);
    group.bench_function("build_national_registry_from_csv (target < 300 ms)", |b| {
        b.iter(|| build(black_box(&files)));
    });

    let mut rng = Seeded(7);
    let dates = query_dates(&mut rng);
    let practices: Vec<PracticeIndex> = (0..QUERIES)
        .map(|_| registry.practices().nth(rng.below(PRACTICES)).unwrap().0)
        .collect();
    let all_networks: Vec<NetworkIndex> = registry.networks().map(|(n, _)| n).collect();
    let networks: Vec<NetworkIndex> = (0..QUERIES)
        .map(|_| all_networks[rng.below(NETWORKS)])
        .collect();

    group.sample_size(20);
    group.throughput(Throughput::Elements(QUERIES as u64));
    group.bench_function("pcn_of_practice_on_date (target >= 10M/s)", |b| {
        b.iter(|| {
            let mut found = 0u32;
            for (&p, &date) in practices.iter().zip(&dates) {
                if let Some(n) = registry.pcn_of(black_box(p), black_box(date)) {
                    found = found.wrapping_add(n.get());
                }
            }
            found
        });
    });
    group.bench_function("population_on_date (target >= 10M/s)", |b| {
        b.iter(|| {
            let mut total = 0u64;
            for (&n, &date) in networks.iter().zip(&dates) {
                total = total.wrapping_add(registry.population_on(black_box(n), black_box(date)));
            }
            total
        });
    });
    group.finish();
}

criterion_group!(network, benches);
criterion_main!(network);
