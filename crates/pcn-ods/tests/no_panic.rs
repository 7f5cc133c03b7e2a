//! No byte string makes any reader panic, and a reader that stops at the first bad
//! row never returns part of a file as if it were whole.

#![allow(clippy::unwrap_used)]

use std::io::Cursor;

use pcn_ods::{
    AgeSexLists, ErrorMode, Input, ReadOptions, read_core_partners, read_deprivation,
    read_epcn_workbook, read_epraccur, read_list_sizes, read_locations, read_pcn_details,
    read_practice_map, read_quinary_age, read_single_age, read_workforce, recognise,
};
use proptest::prelude::*;

const HEADERS: [&str; 10] = [
    "PUBLICATION,EXTRACT_DATE,ORG_TYPE,ORG_CODE,ONS_CODE,POSTCODE,SEX,AGE_GROUP_5,NUMBER_OF_PATIENTS\r\n",
    "PUBLICATION,EXTRACT_DATE,PRACTICE_CODE,PRACTICE_NAME,PRACTICE_POSTCODE,PCN_CODE,PCN_NAME,SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_NAME,ICB_CODE,ICB_NAME,COMM_REGION_CODE,COMM_REGION_NAME\r\n",
    "\u{feff}Data_source,CENSUS_YEAR,CENSUS_MONTH,PCN_CODE,STAFF_GROUP,STAFF_ROLE,DETAILED_STAFF_ROLE,FTE\r\n",
    "CENSUS_MONTH,PCN_CODE,DATA_SOURCE,STAFF_GROUP,STAFF_ROLE,DETAILED_STAFF_ROLE,FTE,DISTINCT_IDS\n",
    "PRACTICE_CODE,PRACTICE_NAME,IMD_YEAR,IMD_SCORE\n",
    "PCN Code,PCN Name,Current Sub ICB Loc Code,Open Date,Close Date\n",
    "\"Partner\nOrganisation\nCode\",Partner Name,Practice Parent Sub ICB Loc Code,PCN Code,PCN Parent Sub ICB Loc Code,Practice to PCN Relationship Start Date,Practice to PCN Relationship End Date\n",
    "PUBLICATION,EXTRACT_DATE,ORG_TYPE,ORG_CODE,SEX,AGE,NUMBER_OF_PATIENTS\n",
    "Organisation Code,Latitude,Longitude\n",
    "PUBLICATION,EXTRACT_DATE,TYPE,CODE,SEX,AGE,NUMBER_OF_PATIENTS\n",
];

/// Text that looks enough like the files to reach the field parsers: a cell and
/// what ends it.
fn body() -> impl Strategy<Value = String> {
    proptest::string::string_regex(
        "([A-Z0-9_+. -]{0,8}|2026-07-01|01JUL2026|20191001|U02795|A81001|FEMALE|95\\+|ALL|0_4|-0\\.5|\"x\ny\")(,|\r?\n)?",
    )
    .unwrap()
}

fn every_reader(name: &str, bytes: &[u8]) {
    for errors in [ErrorMode::FailFast, ErrorMode::Collect] {
        let options = ReadOptions {
            errors,
            ..ReadOptions::default()
        };
        let input = || Input::new(name, bytes);
        let _ = read_epraccur(input(), &options);
        let _ = read_pcn_details(input(), &options);
        let _ = read_core_partners(input(), &options);
        let _ = read_list_sizes(input(), &options);
        let _ = read_locations(input(), &options);
        let _ = read_quinary_age(input(), &options);
        if let Ok(parsed) = read_single_age(input(), &options) {
            let _ = AgeSexLists::from_single_age(name, &parsed.records);
        }
        let _ = read_practice_map(input(), &options);
        let _ = read_workforce(input(), &options);
        let _ = read_deprivation(input(), &options);
        let _ = read_epcn_workbook(input(), &options);
        let _ = recognise(Input::new(name, Cursor::new(bytes.to_vec())), &options);
        if let Ok(parsed) = read_quinary_age(input(), &options) {
            let _ = AgeSexLists::from_records(name, &parsed.records);
        }
    }
    let _ = Input::from_zip(name, Cursor::new(bytes), "*");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_byte_string_panics_a_reader(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        every_reader("bytes", &bytes);
        // The same bytes after a zip's first bytes, and after each header.
        let mut zip = b"PK\x03\x04".to_vec();
        zip.extend_from_slice(&bytes);
        every_reader("zip", &zip);
        for header in HEADERS {
            let mut file = header.as_bytes().to_vec();
            file.extend_from_slice(&bytes);
            every_reader("headed", &file);
        }
    }

    #[test]
    fn no_near_miss_panics_a_reader(
        header in 0..HEADERS.len(),
        rows in proptest::collection::vec(body(), 0..60),
    ) {
        let file = format!("{}{}", HEADERS[header], rows.concat());
        every_reader("near.csv", file.as_bytes());
    }

    /// A workbook whose sheet holds cells of any type and value, and whose parts
    /// may be cut short: calamine's errors come back as errors.
    #[test]
    fn no_broken_workbook_panics(
        cells in proptest::collection::vec(
            (0u32..12, 2u32..6, prop_oneof![Just("n"), Just("s"), Just("b"), Just("e"), Just("d"), Just("str")], "[-0-9A-Za-z.:<>&;/ ]{0,12}"),
            0..40,
        ),
        name in "(PCN ?Details|pcn core partner details|[A-Za-z <>&]{0,10})",
        cut in proptest::option::of(0usize..400),
    ) {
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        let package = "http://schemas.openxmlformats.org/package/2006/relationships";
        let header: String = ["PCN Code", "PCN Name", "Current Sub ICB Loc Code", "Open Date", "Close Date"]
            .iter()
            .enumerate()
            .map(|(i, h)| format!("<c r=\"{}1\" t=\"inlineStr\"><is><t>{h}</t></is></c>", char::from(b'A' + u8::try_from(i).unwrap())))
            .collect();
        let body: String = cells
            .iter()
            .map(|(column, row, kind, value)| {
                let column = char::from(b'A' + u8::try_from(*column).unwrap());
                format!("<row r=\"{row}\"><c r=\"{column}{row}\" t=\"{kind}\"><v>{value}</v></c></row>")
            })
            .collect();
        let mut sheet = format!("<worksheet xmlns=\"{main}\"><sheetData><row r=\"1\">{header}</row>{body}</sheetData></worksheet>");
        if let Some(cut) = cut {
            let mut at = cut.min(sheet.len());
            while !sheet.is_char_boundary(at) {
                at -= 1;
            }
            sheet.truncate(at);
        }
        let workbook = format!("<workbook xmlns=\"{main}\" xmlns:r=\"{rel}\"><sheets><sheet name=\"{name}\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
        let parts = [
            ("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>".to_owned()),
            ("_rels/.rels", format!("<Relationships xmlns=\"{package}\"><Relationship Id=\"rId1\" Type=\"{rel}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>")),
            ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", format!("<Relationships xmlns=\"{package}\"><Relationship Id=\"rId1\" Type=\"{rel}/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>")),
            ("xl/worksheets/sheet1.xml", sheet),
        ];
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (part, text) in parts {
            zip.start_file(part, zip::write::SimpleFileOptions::default()).unwrap();
            std::io::Write::write_all(&mut zip, text.as_bytes()).unwrap();
        }
        let bytes = zip.finish().unwrap().into_inner();
        every_reader("book.xlsx", &bytes);
    }

    /// Stopping at the first bad row, a reader returns every row or an error.
    #[test]
    fn stopping_at_a_bad_row_returns_all_or_nothing(
        rows in proptest::collection::vec(
            prop_oneof![
                Just("PRACTICE_CODE_OK"),
                Just("A81002,Bad Score,2025,x"),
                Just("a81003,Lower Case,2025,1.5"),
                Just(""),
            ],
            0..30,
        ),
    ) {
        let mut csv = String::from("PRACTICE_CODE,PRACTICE_NAME,IMD_YEAR,IMD_SCORE\n");
        for row in &rows {
            csv.push_str(&row.replace("PRACTICE_CODE_OK", "A81001,Good,2025,12.5"));
            csv.push('\n');
        }
        let good = rows.iter().filter(|r| **r == "PRACTICE_CODE_OK").count();
        let bad = rows.iter().filter(|r| !r.is_empty() && **r != "PRACTICE_CODE_OK").count();
        let strict = read_deprivation(Input::new("imd.csv", csv.as_bytes()), &ReadOptions::default());
        match strict {
            Ok(parsed) => {
                prop_assert_eq!(bad, 0);
                prop_assert_eq!(parsed.records.len(), good);
            }
            Err(_) => prop_assert!(bad > 0),
        }
        let all = read_deprivation(Input::new("imd.csv", csv.as_bytes()), &ReadOptions::collecting()).unwrap();
        prop_assert_eq!((all.records.len(), all.errors.len()), (good, bad));
    }
}
