//! `pcn_ods::open` tells every published file apart, zipped or not, and names the
//! nearest file when it knows none.

#![allow(clippy::unwrap_used)]

use std::io::{Cursor, Write};
use std::path::PathBuf;

use pcn_ods::{
    EPRACCUR_MEMBER, FileKind, Import, Input, OdsError, PublishedFile, ReadOptions, open, recognise,
};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/");

fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in members {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn every_shipped_extract_is_recognised() {
    let expected = [
        ("epraccur-2023-12-extract.csv", FileKind::Epraccur),
        ("epcn-2023-01-pcn-details-extract.csv", FileKind::PcnDetails),
        (
            "epcn-2023-01-core-partner-details-extract.csv",
            FileKind::CorePartners,
        ),
        (
            "gp-reg-pat-prac-all-2021-01-extract.csv",
            FileKind::ListSizes,
        ),
        ("london-practices-2022-extract.csv", FileKind::Locations),
        (
            "gp-reg-pat-prac-quin-age-2026-07-extract.csv",
            FileKind::QuinaryAge,
        ),
        (
            "gp-reg-pat-prac-map-2026-07-extract.csv",
            FileKind::PracticeMap,
        ),
        (
            "pcn-workforce-individual-2026-06-extract.csv",
            FileKind::Workforce,
        ),
        (
            "pcn-workforce-2020-03-to-2022-09-extract.csv",
            FileKind::Workforce,
        ),
        (
            "fingertips-imd-2025-gp-practice-extract.csv",
            FileKind::Deprivation,
        ),
    ];
    for (file, kind) in expected {
        let opened = open(format!("{DATA}{file}")).unwrap();
        assert_eq!(opened.kind(), kind, "{file}");
    }
}

#[test]
fn an_epraccur_zip_made_here_reads_as_the_csv() {
    let csv = std::fs::read(format!("{DATA}epraccur-2023-12-extract.csv")).unwrap();
    let archive = zip(&[("epraccur.csv", &csv), ("epraccur.pdf", b"%PDF")]);

    // Through open: recognised by its member, then by the rows.
    let PublishedFile::Epraccur(from_zip) = recognise(
        Input::new("epraccur.zip", Cursor::new(archive.clone())),
        &ReadOptions::default(),
    )
    .unwrap() else {
        panic!("not read as epraccur");
    };
    assert_eq!(from_zip.parsed.file, "epraccur.zip/epraccur.csv");
    let plain =
        pcn_ods::read_epraccur(Input::new("x", csv.as_slice()), &ReadOptions::default()).unwrap();
    assert_eq!(from_zip.parsed.records, plain.parsed.records);

    // And by the importer, straight from the archive.
    let mut import = Import::new(ReadOptions::default());
    import
        .practices(Input::from_zip("epraccur.zip", Cursor::new(archive), EPRACCUR_MEMBER).unwrap())
        .unwrap();
    assert!(import.report().practices > 200);
}

#[test]
fn a_zip_of_nothing_known_names_its_members() {
    let archive = zip(&[("notes.txt", b"x"), ("guide.pdf", b"y")]);
    let err = recognise(
        Input::new("odd.zip", Cursor::new(archive)),
        &ReadOptions::default(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "odd.zip: no member matching \"a CSV or workbook of a file this crate reads\" in the zip; it holds [\"guide.pdf\", \"notes.txt\"]"
    );
}

#[test]
fn an_unknown_header_names_the_nearest_file() {
    let csv = "PRACTICE_CODE,PRACTICE_NAME,IMD_YEAR,SCORE\nA81001,X,2025,3\n";
    let err = recognise(
        Input::new("imd.csv", Cursor::new(csv.as_bytes().to_vec())),
        &ReadOptions::default(),
    )
    .unwrap_err();
    let OdsError::UnknownFile { nearest, known, .. } = &err else {
        panic!("{err}");
    };
    assert_eq!(
        nearest,
        "practice deprivation scores (IMD), which also has imd_score"
    );
    assert_eq!(known.len(), FileKind::ALL.len());
    assert!(
        err.to_string().starts_with(
            "imd.csv: the header \"practice_code,practice_name,imd_year,score\" matches no file"
        ),
        "{err}"
    );
}

#[test]
fn a_bad_row_is_an_error_not_a_short_file() {
    let mut csv =
        std::fs::read_to_string(format!("{DATA}gp-reg-pat-prac-map-2026-07-extract.csv")).unwrap();
    csv = csv.replacen("U02795", "u02795", 1);
    let err = recognise(
        Input::new("map.csv", Cursor::new(csv.into_bytes())),
        &ReadOptions::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("column PCN_CODE"), "{err}");
}

#[test]
fn the_national_files_are_recognised_as_published() {
    let Some(shared) = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|dir| dir.join("shared/data"))
        .find(|dir| dir.join("activity/published").is_dir())
    else {
        eprintln!("note: no national data folder beside this checkout; skipping");
        return;
    };
    let expected = [
        ("ods/epcn-2023-01.xlsx", FileKind::EpcnWorkbook),
        (
            "activity/published/gp-reg-pat-prac-quin-age-2026-07.zip",
            FileKind::QuinaryAge,
        ),
        (
            "activity/published/gp-reg-pat-prac-map-2026-07.zip",
            FileKind::PracticeMap,
        ),
        (
            "activity/published/PCNWFIndividualCSV.062026.zip",
            FileKind::Workforce,
        ),
        (
            "activity/published/fingertips-imd-2025-gp-practice.csv",
            FileKind::Deprivation,
        ),
        ("ods/epraccur-2023-12.csv", FileKind::Epraccur),
    ];
    for (file, kind) in expected {
        assert_eq!(open(shared.join(file)).unwrap().kind(), kind, "{file}");
    }
}
