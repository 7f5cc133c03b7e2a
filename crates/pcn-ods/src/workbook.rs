//! The ODS ePCN workbook (`ePCN.xlsx`) read as published, with `calamine`.

use std::io::{Cursor, Read};

use calamine::{Data, DataType, Reader, Sheets};
use csv::StringRecord;
use serde::Serialize;

use crate::epcn::{core_partners, pcn_details};
use crate::input::{Header, Records};
use crate::{CorePartnerRecord, Input, OdsError, Parsed, PcnDetailsRecord, ReadOptions};

/// The sheet of PCNs, as its name is compared (spaces dropped, lower case): the
/// January 2023 edition calls it `PCNDetails`, others `PCN Details`.
const PCN_DETAILS_SHEET: &str = "pcndetails";
/// The sheet of practice-to-PCN relationships (`PCN Core Partner Details`).
const CORE_PARTNERS_SHEET: &str = "pcncorepartnerdetails";

/// A sheet name as compared: white space dropped, lower case.
fn sheet_key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a zip is an OpenDocument spreadsheet (its first member is `mimetype`,
/// saying so).
fn is_ods(bytes: &[u8]) -> bool {
    bytes.get(30..38) == Some(b"mimetype")
}

/// Both sheets of an ePCN workbook, read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EpcnWorkbook {
    /// The PCNs ("PCN Details").
    pub pcn_details: Parsed<PcnDetailsRecord>,
    /// The practice-to-PCN relationships ("PCN Core Partner Details").
    pub core_partners: Parsed<CorePartnerRecord>,
}

/// A cell as the CSV readers see it: text as written; an Excel date as `yyyymmdd`
/// (the ODS files' own form, so a date typed as a date and one kept as text read
/// alike); a whole number without decimals; an error cell as Excel shows it.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::DateTimeIso(text) => cell
            .as_date()
            .map_or_else(|| text.clone(), |date| date.format("%Y%m%d").to_string()),
        Data::String(text) | Data::DurationIso(text) => text.clone(),
        Data::DateTime(_) => cell.as_date().map_or_else(
            || cell.to_string(),
            |date| date.format("%Y%m%d").to_string(),
        ),
        Data::Float(value) if value.fract() == 0.0 && value.abs() < 1e15 => {
            format!("{value:.0}")
        }
        Data::Float(_) | Data::Int(_) | Data::Bool(_) | Data::Error(_) => cell.to_string(),
    }
}

/// The rows of the sheet whose name matches `key`: the header and the rest, each
/// with its row number as the workbook shows it.
fn sheet(
    workbook: &mut Sheets<Cursor<Vec<u8>>>,
    file: &str,
    key: &str,
    wanted: &str,
) -> Result<(String, Records<std::io::Empty>, Header), OdsError> {
    let names = workbook.sheet_names();
    let Some(name) = names.iter().find(|name| sheet_key(name) == key).cloned() else {
        return Err(OdsError::MissingSheet {
            file: file.to_owned(),
            wanted: wanted.to_owned(),
            sheets: names,
        });
    };
    let range = workbook
        .worksheet_range(&name)
        .map_err(|e| OdsError::Workbook {
            file: file.to_owned(),
            message: format!("sheet {name:?}: {e}"),
        })?;
    let table = format!("{file}, sheet {name}");
    let first_row = u64::from(range.start().map_or(0, |(row, _)| row)) + 1;
    let mut rows = range.rows().zip(first_row..).map(|(cells, line)| {
        let record: StringRecord = cells.iter().map(cell_text).collect();
        (line, record)
    });
    let header = match rows.next() {
        Some((_, cells)) => Header::from_cells(&table, &cells),
        None => Header::from_cells(&table, &StringRecord::new()),
    };
    let rest: Vec<(u64, StringRecord)> = rows.collect();
    Ok((table, Records::Sheet(rest.into_iter()), header))
}

/// Reads the ePCN workbook as published (`.xlsx`; `.xls` and `.ods` also open):
/// the "PCN Details" and "PCN Core Partner Details" sheets, found by name however
/// the edition spells them (with or without spaces, any case), with header cells
/// matched as in the CSV readers (line breaks inside a cell read as spaces) and
/// dates as Excel date cells or `yyyymmdd` text. Errors name the file, the sheet
/// and the row as the workbook numbers it.
///
/// ```no_run
/// use pcn_ods::{Input, ReadOptions, read_epcn_workbook};
/// let input = Input::open("epcn-2023-01.xlsx")?;
/// let workbook = read_epcn_workbook(input, &ReadOptions::default())?;
/// assert_eq!(workbook.pcn_details.records.len(), 1_329);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`OdsError::Workbook`] if the file is not a workbook calamine can read;
/// [`OdsError::MissingSheet`], naming the sheets it has, if a sheet is missing;
/// otherwise as [`read_pcn_details`](crate::read_pcn_details) and
/// [`read_core_partners`](crate::read_core_partners).
pub fn read_epcn_workbook<R: Read>(
    input: Input<R>,
    options: &ReadOptions,
) -> Result<EpcnWorkbook, OdsError> {
    let (file, mut reader) = input.into_parts();
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes).map_err(|e| OdsError::Io {
        file: file.clone(),
        message: e.to_string(),
    })?;
    let not_read = |message: String| OdsError::Workbook {
        file: file.clone(),
        message,
    };
    // A zip is an xlsx (or ods), and is opened as such so that its error says what
    // is wrong inside; anything else is left to calamine to recognise.
    let mut workbook = if bytes.starts_with(b"PK\x03\x04") && !is_ods(&bytes) {
        calamine::open_workbook_from_rs::<calamine::Xlsx<_>, _>(Cursor::new(bytes))
            .map(Sheets::Xlsx)
            .map_err(|e| not_read(e.to_string()))?
    } else {
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
            .map_err(|e| not_read(e.to_string()))?
    };
    let (table, records, header) = sheet(&mut workbook, &file, PCN_DETAILS_SHEET, "PCN Details")?;
    let pcn_details = pcn_details(table, records, &header, options)?;
    let (table, records, header) = sheet(
        &mut workbook,
        &file,
        CORE_PARTNERS_SHEET,
        "PCN Core Partner Details",
    )?;
    let core_partners = core_partners(table, records, &header, options)?;
    Ok(EpcnWorkbook {
        pcn_details,
        core_partners,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_compared_without_spaces_or_case() {
        assert_eq!(sheet_key("PCNDetails"), PCN_DETAILS_SHEET);
        assert_eq!(sheet_key("PCN Details"), PCN_DETAILS_SHEET);
        assert_eq!(
            sheet_key(" pcn core partner\u{a0}details "),
            CORE_PARTNERS_SHEET
        );
    }

    #[test]
    fn cells_read_as_the_csv_gives_them() {
        assert_eq!(cell_text(&Data::Float(20_191_001.0)), "20191001");
        assert_eq!(cell_text(&Data::Float(0.5)), "0.5");
        assert_eq!(cell_text(&Data::Int(7)), "7");
        assert_eq!(cell_text(&Data::Empty), "");
        assert_eq!(
            cell_text(&Data::DateTimeIso("2019-10-01".into())),
            "20191001"
        );
        let excel =
            calamine::ExcelDateTime::new(43_739.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(cell_text(&Data::DateTime(excel)), "20191001");
    }

    #[test]
    fn not_a_workbook_is_an_error() {
        let err = read_epcn_workbook(
            Input::new("epcn.xlsx", "PCN Code\n".as_bytes()),
            &ReadOptions::default(),
        )
        .unwrap_err();
        assert!(matches!(err, OdsError::Workbook { .. }), "{err}");
    }
}
