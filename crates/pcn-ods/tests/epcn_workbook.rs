//! The ePCN workbook as published reads the same as its sheets saved as CSV, with
//! the header cells as the workbook has them (line breaks inside) or tidied.

#![allow(clippy::unwrap_used)]

use std::io::Cursor;
use std::path::PathBuf;

use calamine::{Data, Reader};
use pcn_ods::{
    EndDates, ErrorMode, Import, Input, OdsError, ReadOptions, read_core_partners,
    read_epcn_workbook, read_pcn_details,
};

fn ods_folder() -> Option<PathBuf> {
    let found = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|dir| dir.join("shared/data/ods"))
        .find(|dir| dir.join("epcn-2023-01.xlsx").is_file());
    if found.is_none() {
        eprintln!("note: the ePCN workbook is not beside this checkout; skipping");
    }
    found
}

/// A sheet saved to CSV by hand: every cell as its text, header cells with their
/// line breaks, dates as the `yyyymmdd` text the workbook holds.
fn sheet_as_csv(workbook: &std::path::Path, sheet: &str) -> Vec<u8> {
    let mut book = calamine::open_workbook_auto(workbook).unwrap();
    let range = book.worksheet_range(sheet).unwrap();
    let mut out = csv::Writer::from_writer(Vec::new());
    for row in range.rows() {
        let cells: Vec<String> = row
            .iter()
            .map(|cell| match cell {
                Data::Empty => String::new(),
                other => other.to_string(),
            })
            .collect();
        out.write_record(&cells).unwrap();
    }
    out.into_inner().unwrap()
}

#[test]
fn the_workbook_reads_as_its_sheets_saved_as_csv() {
    let Some(dir) = ods_folder() else { return };
    let options = ReadOptions::default();
    let workbook = read_epcn_workbook(
        Input::open(dir.join("epcn-2023-01.xlsx")).unwrap(),
        &options,
    )
    .unwrap();
    assert_eq!(workbook.pcn_details.records.len(), 1_329);
    assert_eq!(workbook.core_partners.records.len(), 7_455);
    assert!(
        workbook
            .pcn_details
            .file
            .ends_with("epcn-2023-01.xlsx, sheet PCNDetails")
    );

    // The CSVs of the shared folder, saved from the workbook with tidied headers.
    let details = read_pcn_details(
        Input::open(dir.join("epcn-2023-01-pcn-details.csv")).unwrap(),
        &options,
    )
    .unwrap();
    let partners = read_core_partners(
        Input::open(dir.join("epcn-2023-01-core-partner-details.csv")).unwrap(),
        &options,
    )
    .unwrap();
    assert_eq!(workbook.pcn_details.records, details.records);
    assert_eq!(workbook.core_partners.records, partners.records);

    // The sheet saved to CSV here keeps "Partner\nOrganisation\nCode".
    let csv = sheet_as_csv(&dir.join("epcn-2023-01.xlsx"), "PCN Core Partner Details");
    assert!(csv.starts_with(b"\"Partner\nOrganisation\nCode\""));
    let broken = read_core_partners(Input::new("saved.csv", Cursor::new(csv)), &options).unwrap();
    // The header takes 14 lines of text (13 line breaks in its cells); the rows
    // follow it one a line, 13 lines later than the workbook numbers its rows.
    assert_eq!(broken.records[0].line, 15);
    let records: Vec<_> = broken
        .records
        .into_iter()
        .map(|mut r| {
            r.line -= 13;
            r
        })
        .collect();
    assert_eq!(records, workbook.core_partners.records);
}

#[test]
fn the_workbook_imports_as_the_csvs_do() {
    let Some(dir) = ods_folder() else { return };
    let options = ReadOptions {
        errors: ErrorMode::Collect,
        end_dates: EndDates::Inclusive,
    };
    let mut from_workbook = Import::new(options);
    from_workbook
        .practices(Input::open(dir.join("epraccur-2023-12.csv")).unwrap())
        .unwrap()
        .epcn_workbook(Input::open(dir.join("epcn-2023-01.xlsx")).unwrap())
        .unwrap();
    let mut from_csv = Import::new(options);
    from_csv
        .practices(Input::open(dir.join("epraccur-2023-12.csv")).unwrap())
        .unwrap()
        .pcns(Input::open(dir.join("epcn-2023-01-pcn-details.csv")).unwrap())
        .unwrap()
        .memberships(Input::open(dir.join("epcn-2023-01-core-partner-details.csv")).unwrap())
        .unwrap();
    let (a, b) = (from_workbook.report(), from_csv.report());
    assert_eq!((a.networks, a.memberships), (b.networks, b.memberships));
    assert_eq!(a.rejected.len(), b.rejected.len());
    assert!(a.errors.is_empty());
}

#[test]
fn a_workbook_without_the_sheet_names_its_sheets() {
    let Some(dir) = ods_folder() else { return };
    // The same workbook with its second sheet renamed, made here from the real one.
    let bytes = std::fs::read(dir.join("epcn-2023-01.xlsx")).unwrap();
    let mut source = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..source.len() {
        let mut entry = source.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut content = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut content).unwrap();
        if name == "xl/workbook.xml" {
            let text = String::from_utf8(content)
                .unwrap()
                .replace("PCN Core Partner Details", "Partners");
            content = text.into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut out, &content).unwrap();
    }
    let renamed = out.finish().unwrap().into_inner();
    let err = read_epcn_workbook(
        Input::new("renamed.xlsx", Cursor::new(renamed)),
        &ReadOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(err, OdsError::MissingSheet { .. }));
    assert_eq!(
        err.to_string(),
        "renamed.xlsx: no sheet named \"PCN Core Partner Details\" (spaces and case ignored); it has [\"PCNDetails\", \"Partners\"]"
    );
}
