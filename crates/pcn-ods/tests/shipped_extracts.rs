//! The two-area extracts shipped in `data/` read whole, and give the published
//! figures of their area; the same calls find the national files when present.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use pcn_core::OdsCode;
use pcn_ods::{
    AgeSexLists, DataFile, DataFolder, ReadOptions, read_deprivation, read_practice_map,
    read_workforce, workforce_by_pcn,
};

fn data() -> DataFolder {
    DataFolder::find(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data")).unwrap()
}

fn code(text: &str) -> OdsCode {
    text.parse().unwrap()
}

#[test]
fn every_shipped_file_is_found_as_an_extract() {
    let data = data();
    for file in DataFile::ALL {
        match file {
            DataFile::EpcnWorkbook => assert!(data.path(file).is_none()),
            _ => {
                let path = data.path(file).unwrap();
                assert!(
                    path.to_string_lossy().ends_with("-extract.csv"),
                    "{file}: {path:?}"
                );
            }
        }
    }
}

#[test]
fn the_age_extract_gives_the_pcn_and_england() {
    let data = data();
    let lists = AgeSexLists::read(data.open(DataFile::QuinaryAge).unwrap()).unwrap();
    assert_eq!(lists.pcn(&code("U02795")).unwrap().total(), 111_192);
    assert_eq!(lists.england().unwrap().total(), 63_436_508);
    let map = read_practice_map(
        data.open(DataFile::PracticeMap).unwrap(),
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(map.records.len(), 187);
    let members: Vec<OdsCode> = map
        .records
        .iter()
        .filter(|r| r.pcn == Some(code("U02795")))
        .map(|r| r.practice)
        .collect();
    assert_eq!(members.len(), 9);
    assert_eq!(
        lists.practices_sum(&members).unwrap(),
        *lists.pcn(&code("U02795")).unwrap()
    );
    // Every practice of the area has its structure in the extract.
    assert!(
        map.records
            .iter()
            .all(|r| lists.practice(&r.practice).is_some())
    );
}

#[test]
fn the_workforce_and_deprivation_extracts_read_whole() {
    let data = data();
    let options = ReadOptions::collecting();
    let june = read_workforce(data.open(DataFile::Workforce).unwrap(), &options).unwrap();
    assert!(june.errors.is_empty());
    assert_eq!(june.records.len(), 1_157);
    let history = read_workforce(data.open(DataFile::WorkforceHistory).unwrap(), &options).unwrap();
    assert!(history.errors.is_empty());
    let u02795 = workforce_by_pcn(&history.records)
        .into_iter()
        .find(|p| p.pcn == code("U02795") && p.census.to_string() == "2022-09-30")
        .unwrap();
    assert_eq!(u02795.by_role["Managers"].to_string(), "0.4");
    let imd = read_deprivation(data.open(DataFile::Deprivation).unwrap(), &options).unwrap();
    assert!(imd.errors.is_empty());
    assert_eq!(imd.records.len() + imd.skipped, 188);
}

#[test]
fn a_folder_without_the_files_says_what_is_missing() {
    let empty = std::env::temp_dir();
    let folder = DataFolder::find(&empty).unwrap();
    let err = folder.open(DataFile::QuinaryAge).unwrap_err();
    assert!(
        err.to_string().contains(
            "missing the list sizes by age band and sex (July 2026) (gp-reg-pat-prac-quin-age-2026-07-extract.csv or activity/published/gp-reg-pat-prac-quin-age-2026-07.zip)"
        ),
        "{err}"
    );
    assert!(DataFolder::find(empty.join("no-such-folder-here")).is_err());
}

#[test]
fn the_national_folder_is_found_too() {
    let Some(shared) = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|dir| dir.join("shared/data"))
        .find(|dir| dir.join("activity/published").is_dir())
    else {
        eprintln!("note: no national data folder beside this checkout; skipping");
        return;
    };
    let data = DataFolder::find(&shared).unwrap();
    data.require(&DataFile::ALL).unwrap();
    assert!(
        data.path(DataFile::QuinaryAge)
            .unwrap()
            .to_string_lossy()
            .ends_with(".zip")
    );
}
