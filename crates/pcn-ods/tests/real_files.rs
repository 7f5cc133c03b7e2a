//! The national NHS files in the shared data folder (when present) import with zero
//! errors, and their counts are what the files hold.

// Test helpers outside `#[test]` functions build fixtures from literals.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use chrono::NaiveDate;
use pcn_network::{NetworkError, Registry};
use pcn_ods::{
    EndDates, EpraccurLayout, ErrorMode, Import, ImportReport, Input, OdsError, ReadOptions,
};

/// The shared data folder: `shared/data` beside one of the folders above this
/// crate (the checkout's parent for the main checkout and for a worktree alike).
fn data() -> String {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|dir| dir.join("shared/data"))
        .find(|dir| dir.is_dir())
        .map_or_else(String::new, |dir| format!("{}/", dir.display()))
}
const EPRACCUR: &str = "ods/epraccur-2023-12.csv";
const PCN_DETAILS: &str = "ods/epcn-2023-01-pcn-details.csv";
const CORE_PARTNERS: &str = "ods/epcn-2023-01-core-partner-details.csv";
const LIST_SIZES: &str = "lists/gp-reg-pat-prac-all-2021-01.csv";
const LOCATIONS: &str = "geo/london-practices-2022.csv";

fn present() -> bool {
    let all = [EPRACCUR, PCN_DETAILS, CORE_PARTNERS, LIST_SIZES, LOCATIONS]
        .iter()
        .all(|f| Path::new(&format!("{}{f}", data())).exists());
    if !all {
        eprintln!(
            "note: the national files are not beside this checkout; skipping the real-file import test"
        );
    }
    all
}

fn open(file: &str) -> Input<std::fs::File> {
    Input::open(format!("{}{file}", data())).unwrap()
}

fn import(options: ReadOptions) -> Result<(Registry, ImportReport), OdsError> {
    let mut import = Import::new(options);
    import
        .practices(open(EPRACCUR))?
        .pcns(open(PCN_DETAILS))?
        .memberships(open(CORE_PARTNERS))?
        .list_sizes(open(LIST_SIZES))?
        .locations(open(LOCATIONS))?;
    Ok(import.finish())
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn the_national_files_import_with_zero_errors() {
    if !present() {
        return;
    }
    for errors in [ErrorMode::FailFast, ErrorMode::Collect] {
        let options = ReadOptions {
            errors,
            end_dates: EndDates::Inclusive,
        };
        let (registry, report) = import(options).unwrap();
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        assert_eq!(report.epraccur_layout, Some(EpraccurLayout::Legacy));

        // 15,971 rows: 8,647 GP practices, 3 other cost centres that PCNs name as
        // members and 15 more that hold registered lists (special allocation schemes).
        assert_eq!(report.practices, 8_665);
        assert_eq!(report.practices_promoted, 18);
        assert_eq!(report.practices_set_aside, 15_971 - 8_665);
        assert_eq!(registry.practice_count(), 8_665);

        assert_eq!(report.networks, 1_329);
        assert_eq!(registry.network_count(), 1_329);

        // 7,455 relationships: one refused (F82001 in two PCNs on 2022-07-01, read as
        // the ODS last-day convention), nine kept only up to their practice's closure.
        assert_eq!(report.memberships, 7_454);
        assert_eq!(registry.membership_count(), 7_454);
        assert_eq!(report.rejected.len(), 1);
        let rejected = &report.rejected[0];
        // Line 2,726: the second F82001 row, U11211 (the file has CRLF line ends).
        assert_eq!(rejected.line, 2_726);
        let NetworkError::OverlappingPcn {
            practice,
            held,
            requested,
            overlap,
            ..
        } = &rejected.error
        else {
            panic!("unexpected rejection {:?}", rejected.error);
        };
        assert_eq!(practice.as_str(), "F82001");
        assert!(held.starts_with("U86966 ") && requested.starts_with("U11211 "));
        assert_eq!(overlap.to_string(), "[2022-07-01, 2022-07-02)");
        assert_eq!(report.clipped.len(), 9);

        // 6,658 practices and 60,606,345 patients in January 2021.
        assert_eq!(report.list_sizes, 6_658);
        assert!(report.unmatched_list_sizes.is_empty());
        let jan = d(2021, 1, 1);
        let registered: u64 = registry
            .practices()
            .filter_map(|(_, p)| p.list_size_on(jan))
            .map(u64::from)
            .sum();
        assert_eq!(registered, 60_606_345);
        let in_pcns: u64 = registry
            .networks()
            .map(|(n, _)| registry.population_on(n, jan))
            .sum();
        assert_eq!(in_pcns, 60_153_560);
        assert_eq!(registry.practices_in_no_pcn(jan).count(), 670);

        assert_eq!(report.locations, 1_192);
        assert!(report.unmatched_locations.is_empty());

        // North Central London on 1 January 2021: 209 practices, 201 in a PCN.
        let coverage = registry.coverage("93C".parse().unwrap(), jan);
        assert_eq!((coverage.practices, coverage.practices_in_pcn), (209, 201));
        assert_eq!(
            (coverage.registered, coverage.registered_in_pcn),
            (1_686_333, 1_686_329)
        );

        // The smallest PCN on 1 January 2021: Formby, 14,383 patients.
        let smallest = registry
            .networks()
            .filter(|(_, n)| n.is_open_on(jan))
            .min_by_key(|(i, _)| registry.population_on(*i, jan))
            .unwrap();
        assert_eq!(smallest.1.code().unwrap().as_str(), "U82880");
        assert_eq!(registry.population_on(smallest.0, jan), 14_383);
    }
}

#[test]
fn read_with_exclusive_end_dates_the_files_do_not_hold_together() {
    if !present() {
        return;
    }
    let options = ReadOptions {
        errors: ErrorMode::Collect,
        end_dates: EndDates::Exclusive,
    };
    let (registry, report) = import(options).unwrap();
    // Seven practices open and close on the same day, and two relationships start and
    // end on the same day: empty under the exclusive reading.
    let messages: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 9, "{messages:#?}");
    assert_eq!(
        messages.iter().filter(|m| m.contains("close date")).count(),
        7
    );
    assert_eq!(
        messages
            .iter()
            .filter(|m| m.contains("Relationship End Date"))
            .count(),
        2
    );
    assert!(report.rejected.is_empty());
    // And every practice that moved PCN at the end of a month is in none on its
    // last day: A84002 left U25545 on 31 March 2022 and joined U09980 on 1 April.
    let a84002 = registry.practice_index(&"A84002".parse().unwrap()).unwrap();
    assert_eq!(registry.pcn_of(a84002, d(2022, 3, 31)), None);
}
