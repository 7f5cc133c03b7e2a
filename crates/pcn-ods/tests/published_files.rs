//! The list-size, mapping, workforce and deprivation files exactly as published
//! (zips included), from the shared data folder when it is present.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use pcn_core::OdsCode;
use pcn_ods::{
    AgeBand, AgeSexLists, Input, OrgType, PRACTICE_MAP_MEMBER, QUINARY_AGE_MEMBER, ReadOptions,
    Sex, WORKFORCE_MEMBER, read_deprivation, read_practice_map, read_workforce, workforce_by_pcn,
};

/// The shared data folder: `shared/data` beside one of the folders above this crate.
fn shared() -> Option<PathBuf> {
    let found = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|dir| dir.join("shared/data/activity/published"))
        .find(|dir| dir.is_dir());
    if found.is_none() {
        eprintln!("note: the published files are not beside this checkout; skipping");
    }
    found
}

fn code(text: &str) -> OdsCode {
    text.parse().unwrap()
}

#[test]
fn the_quinary_age_zip_gives_every_structure() {
    let Some(dir) = shared() else { return };
    let input = Input::open_published(
        dir.join("gp-reg-pat-prac-quin-age-2026-07.zip"),
        QUINARY_AGE_MEMBER,
    )
    .unwrap();
    assert!(
        input
            .name()
            .ends_with("gp-reg-pat-prac-quin-age-2026-07.zip/gp-reg-pat-prac-quin-age.csv")
    );
    let lists = AgeSexLists::read(input).unwrap();
    assert_eq!(lists.date().unwrap().to_string(), "2026-07-01");
    assert_eq!(lists.organisations().len(), 7_587);
    // The 52 practices in no PCN have a row of their own, PCN code U.
    assert_eq!(lists.unallocated().unwrap().total(), 220_330);
    let count = |t| lists.of_type(t).count();
    assert_eq!(
        [
            OrgType::CommRegion,
            OrgType::Icb,
            OrgType::SubIcbLocation,
            OrgType::Pcn,
            OrgType::Practice
        ]
        .map(count),
        // 1,298 PCNs and the row U of practices in no PCN.
        [7, 36, 106, 1_299, 6_139]
    );
    let england = lists.england().unwrap();
    assert_eq!(england.total(), 63_436_508);
    // 65 and over: 18.5% of England (activity/README.md, headline figures).
    let over_65 = england.aged_from(AgeBand::containing(65));
    assert_eq!(
        (over_65 * 1000 + england.total() / 2) / england.total(),
        185
    );

    let pcn = lists.pcn(&code("U02795")).unwrap();
    assert_eq!(pcn.total(), 111_192);
    assert_eq!(
        pcn.sex_total(Sex::Female) + pcn.sex_total(Sex::Male),
        111_192
    );
    let sub_icb = lists
        .organisation(OrgType::SubIcbLocation, &code("93C"))
        .unwrap();
    assert_eq!(sub_icb.structure.total(), 1_801_446);

    // The PCN's nine practices in the mapping file sum to the PCN's own rows.
    let map = read_practice_map(
        Input::open_published(
            dir.join("gp-reg-pat-prac-map-2026-07.zip"),
            PRACTICE_MAP_MEMBER,
        )
        .unwrap(),
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(map.records.len(), 6_139);
    assert_eq!(map.records.iter().filter(|r| r.pcn.is_none()).count(), 52);
    let members: Vec<OdsCode> = map
        .records
        .iter()
        .filter(|r| r.pcn == Some(code("U02795")))
        .map(|r| r.practice)
        .collect();
    assert_eq!(members.len(), 9);
    assert_eq!(lists.practices_sum(&members).unwrap(), *pcn);
}

#[test]
fn the_workforce_files_sum_by_pcn_and_role() {
    let Some(dir) = shared() else { return };
    let june = read_workforce(
        Input::open_published(dir.join("PCNWFIndividualCSV.062026.zip"), WORKFORCE_MEMBER).unwrap(),
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(june.records.len(), 39_940);
    assert!(
        june.records
            .iter()
            .all(|r| r.census.to_string() == "2026-06-30")
    );
    let by_pcn = workforce_by_pcn(&june.records);
    let total: pcn_ods::Fte = by_pcn.iter().map(|p| p.total).sum();
    let rows: pcn_ods::Fte = june.records.iter().map(|r| r.fte).sum();
    assert_eq!(total, rows);

    let summed = read_workforce(
        Input::open(dir.join("../pcn-workforce-2020-03-to-2022-09.csv")).unwrap(),
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(summed.records.len(), 47_843);
    let sep_2022: Vec<_> = workforce_by_pcn(&summed.records)
        .into_iter()
        .filter(|p| p.census.to_string() == "2022-09-30")
        .collect();
    // 14,149.3 FTE at 30 September 2022 (activity/README.md, headline figures).
    let total: pcn_ods::Fte = sep_2022.iter().map(|p| p.total).sum();
    assert_eq!((total.as_f64() * 10.0).round(), 141_493.0);
    let u02795 = sep_2022.iter().find(|p| p.pcn == code("U02795")).unwrap();
    assert_eq!(u02795.total.to_string(), "0.4");
}

#[test]
fn the_deprivation_scores_read_whole() {
    let Some(dir) = shared() else { return };
    let parsed = read_deprivation(
        Input::open_published(dir.join("fingertips-imd-2025-gp-practice.csv"), "*.csv").unwrap(),
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(parsed.records.len() + parsed.skipped, 6_143);
    assert_eq!(parsed.records[0].practice, code("A81001"));
    assert_eq!(parsed.records[0].score, 33.519);
}
