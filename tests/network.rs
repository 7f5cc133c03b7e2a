//! Practices, networks and the ODS readers together, on the real extract shipped in
//! `data/`.

// Fixtures are built from the shipped files and literals.
#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use pcn::core::{DateRange, OdsCode};
use pcn::network::{
    ComplianceOptions, ExceptionGround, Figures, NetworkError, NetworkIndex, Outcome,
    PracticeStatus, Registry, Rule, RuleException,
};
use pcn::ods::{DataFolder, EpraccurLayout, ErrorMode, ImportReport, ReadOptions};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/");

fn extract(errors: ErrorMode) -> (Registry, ImportReport) {
    DataFolder::find(DATA)
        .unwrap()
        .import_registry(ReadOptions {
            errors,
            ..ReadOptions::default()
        })
        .unwrap()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn code(text: &str) -> OdsCode {
    text.parse().unwrap()
}

fn pcn(registry: &Registry, text: &str) -> NetworkIndex {
    registry.network_index_by_code(&code(text)).unwrap()
}

#[test]
fn the_extract_imports_with_zero_errors_and_its_counts() {
    for mode in [ErrorMode::FailFast, ErrorMode::Collect] {
        let (registry, report) = extract(mode);
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        assert!(report.rejected.is_empty() && report.clipped.is_empty());
        assert_eq!(report.epraccur_layout, Some(EpraccurLayout::Legacy));
        assert_eq!(
            (
                report.practices,
                report.practices_promoted,
                report.practices_set_aside
            ),
            (235, 1, 108)
        );
        assert_eq!(registry.practice_count(), 235);
        assert_eq!(registry.network_count(), 38);
        assert_eq!(registry.membership_count(), 269);
        assert_eq!((report.list_sizes, report.locations), (218, 186));

        let day = d(2023, 1, 1);
        let open = registry
            .networks()
            .filter(|(_, n)| n.is_open_on(day))
            .count();
        let members: usize = registry
            .networks()
            .map(|(n, _)| registry.members_on(n, day).count())
            .sum();
        assert_eq!((open, members), (33, 195));
    }
}

#[test]
fn populations_and_queries_on_a_date() {
    let (registry, _) = extract(ErrorMode::FailFast);
    // Formby PCN, the smallest in England in January 2021.
    let formby = pcn(&registry, "U82880");
    assert_eq!(registry.population_on(formby, d(2021, 1, 1)), 14_383);
    assert_eq!(registry.population_on(formby, d(2021, 4, 1)), 0);
    assert_eq!(
        registry.population_on(pcn(&registry, "U05885"), d(2023, 1, 1)),
        29_890
    );

    // Its practices moved to Southport & Formby PCN when it closed.
    let merged = pcn(&registry, "U18460");
    let member = registry.members_on(formby, d(2021, 3, 31)).next().unwrap();
    assert_eq!(registry.pcn_of(member, d(2021, 3, 31)), Some(formby));
    assert_eq!(registry.pcn_of(member, d(2021, 4, 1)), Some(merged));

    let coverage = registry.coverage(code("93C"), d(2023, 1, 1));
    assert_eq!((coverage.practices_in_pcn, coverage.practices), (178, 188));
    assert_eq!(
        (coverage.registered_in_pcn, coverage.registered),
        (1_581_680, 1_595_705)
    );
    let outside: Vec<_> = registry.practices_in_no_pcn(d(2023, 1, 1)).collect();
    assert!(
        outside
            .iter()
            .all(|&p| registry.pcn_of(p, d(2023, 1, 1)).is_none())
    );
}

#[test]
fn compliance_reports_the_figures_and_honours_exceptions() {
    let (mut registry, _) = extract(ErrorMode::FailFast);
    let options = ComplianceOptions::with_contiguity_distance_m(5_000);
    let formby = pcn(&registry, "U82880");
    let last_day = d(2021, 3, 31);

    let report = registry.compliance(formby, last_day, &options).unwrap();
    let population = report.check(Rule::Population).unwrap();
    assert_eq!(population.outcome, Outcome::Fail);
    assert!(matches!(
        population.figures,
        Figures::Population {
            registered: 14_383,
            minimum: 30_000,
            ..
        }
    ));

    registry
        .network_mut(formby)
        .unwrap()
        .record_exception(RuleException::new(
            Rule::Population,
            ExceptionGround::RuralLowPopulationDensity,
            DateRange::starting(d(2019, 7, 1)),
            "recorded for the test",
        ))
        .unwrap();
    let report = registry.compliance(formby, last_day, &options).unwrap();
    assert_eq!(
        report.check(Rule::Population).unwrap().outcome,
        Outcome::ExceptionGranted
    );

    // Southport & Formby PCN has members from two Sub-ICBs (the ePCN file flags them).
    let report = registry
        .compliance(pcn(&registry, "U18460"), d(2023, 1, 1), &options)
        .unwrap();
    let check = report.check(Rule::SingleCommissioner).unwrap();
    assert_eq!(check.outcome, Outcome::Fail);
    let Figures::SingleCommissioner { commissioners, .. } = &check.figures else {
        panic!()
    };
    assert_eq!(commissioners.len(), 2);

    // Reports serialise for dashboards.
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["checks"][0]["figures"]["rule"], "population");
}

#[test]
fn changes_to_the_real_registry_keep_one_pcn_at_a_time() {
    let (mut registry, _) = extract(ErrorMode::FailFast);
    let day = d(2023, 1, 1);
    let south_camden = pcn(&registry, "U05885");
    let west_camden = pcn(&registry, "U81184");
    let members: Vec<_> = registry.members_on(south_camden, day).collect();
    let (first, second) = (members[0], members[1]);

    // Joining a second PCN is refused, naming both and the overlap; nothing changes.
    let before = registry.clone();
    let err = registry
        .join(first, west_camden, DateRange::starting(day))
        .unwrap_err();
    assert!(matches!(err, NetworkError::OverlappingPcn { .. }));
    let message = err.to_string();
    assert!(
        message.contains("U05885 SOUTH CAMDEN PCN") && message.contains("U81184 WEST CAMDEN PCN"),
        "{message}"
    );
    assert_eq!(registry, before);

    // Leave, then join: the populations move.
    let south_before = registry.population_on(south_camden, day);
    let west_before = registry.population_on(west_camden, day);
    let list = u64::from(registry.practice(first).unwrap().list_size_on(day).unwrap());
    registry.leave(first, south_camden, day).unwrap();
    registry
        .join(first, west_camden, DateRange::starting(day))
        .unwrap();
    assert_eq!(
        registry.population_on(south_camden, day),
        south_before - list
    );
    assert_eq!(registry.population_on(west_camden, day), west_before + list);

    // A merger closes the practice and moves its list to the successor.
    let merger = registry.merge(first, second, d(2023, 4, 1)).unwrap();
    assert_eq!(u64::from(merger.list_moved), list);
    assert_eq!(
        registry.practice(first).unwrap().status(),
        PracticeStatus::Closed
    );
    assert_eq!(
        registry.population_on(west_camden, d(2023, 4, 1)),
        west_before
    );
    assert_eq!(
        registry.population_on(south_camden, d(2023, 4, 1)),
        south_before
    );

    // The whole registry survives a JSON round trip, invariants checked on the way in.
    let json = serde_json::to_string(&registry).unwrap();
    let back: Registry = serde_json::from_str(&json).unwrap();
    assert_eq!(back, registry);
}
