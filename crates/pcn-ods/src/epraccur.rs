//! `epraccur.csv`: the NHS ODS file of GP practices and other prescribing cost centres.

use std::fmt;
use std::io::Read;

use pcn_network::{Postcode, Practice, PracticeStatus};
use serde::{Deserialize, Serialize};

use crate::input::{Records, Row, csv_reader, each_record};
use crate::{Input, OdsError, Parsed, ReadOptions};

/// The number of columns in both layouts.
pub const EPRACCUR_COLUMNS: usize = 27;

// Column positions (0-based) of the fields read; the file has no header row.
const CODE: usize = 0;
const NAME: usize = 1;
const POSTCODE: usize = 9;
const OPEN_DATE: usize = 10;
const CLOSE_DATE: usize = 11;
const STATUS: usize = 12;
const COMMISSIONER: usize = 14;
const JOIN_PARENT: usize = 15;
const LEFT_PARENT: usize = 16;
const SETTING: usize = 25;

/// The column names used in errors: the column's number (1-based, as published) and
/// meaning.
fn column(index: usize) -> &'static str {
    match index {
        CODE => "1 (organisation code)",
        NAME => "2 (name)",
        POSTCODE => "10 (postcode)",
        OPEN_DATE => "11 (open date)",
        CLOSE_DATE => "12 (close date)",
        STATUS => "13 (status code)",
        COMMISSIONER => "15 (commissioner)",
        JOIN_PARENT => "16 (join parent date)",
        LEFT_PARENT => "17 (left parent date)",
        SETTING => "26 (prescribing setting)",
        _ => "(unread)",
    }
}

/// Which of the two published layouts of `epraccur.csv` a file uses.
///
/// Both have 27 columns and no header row. They differ in two columns: the status
/// (column 13) and column 26.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum EpraccurLayout {
    /// The long-standing layout: status as one letter (`A` active, `C` closed, `D`
    /// dormant, `P` proposed) and column 26 the prescribing setting as a number
    /// (`4` for a GP practice), as read by traffordDataLab/open_data.
    Legacy,
    /// The "ODS Data Search and Export" layout: status as a word (`ACTIVE`,
    /// `INACTIVE`) and column 26 a role code (`RO76` for a GP practice; its primary
    /// role is RO177, prescribing cost centre).
    DataSearchExport,
}

impl fmt::Display for EpraccurLayout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Legacy => "legacy layout (status letter, numeric prescribing setting)",
            Self::DataSearchExport => "ODS Data Search and Export layout (status word, role code)",
        })
    }
}

/// What kind of prescribing cost centre a row of `epraccur.csv` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PrescribingSetting {
    /// A GP practice (`4` in the legacy layout, role `RO76` in the export layout).
    GpPractice,
    /// Another legacy setting number (walk-in centres, out-of-hours services,
    /// prisons, community services and others), as published.
    OtherSetting(u8),
    /// Another role code of the export layout: the number after `RO`.
    OtherRole(u16),
}

/// One row of `epraccur.csv`: a practice (or other cost centre) and its setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EpraccurRecord {
    /// The line in the file.
    pub line: u64,
    /// The practice: code, name, postcode, status, operating dates, commissioner.
    pub practice: Practice,
    /// The prescribing setting.
    pub setting: PrescribingSetting,
}

/// `epraccur.csv` as read: the layout detected and its rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EpraccurFile {
    /// The layout detected from the first row, or `None` for an empty file.
    pub layout: Option<EpraccurLayout>,
    /// The rows.
    pub parsed: Parsed<EpraccurRecord>,
}

/// Tells the layout from a row's status and setting columns.
fn detect(row: &Row<'_>) -> Result<EpraccurLayout, OdsError> {
    let status = row.get(STATUS);
    let setting = row.get(SETTING);
    let is_letter = status.len() == 1;
    let is_role = setting.len() > 2 && setting[..2].eq_ignore_ascii_case("RO");
    match (is_letter, is_role) {
        (true, false) => Ok(EpraccurLayout::Legacy),
        (false, true) => Ok(EpraccurLayout::DataSearchExport),
        _ => Err(row.invalid(
            column(STATUS),
            &format!("{status} / {setting}"),
            "cannot tell the layout: expected a status letter with a numeric setting (legacy) or a status word with an RO role code (export) in columns 13 and 26",
        )),
    }
}

fn status(row: &Row<'_>, layout: EpraccurLayout) -> Result<PracticeStatus, OdsError> {
    let value = row.get(STATUS);
    let status = match layout {
        EpraccurLayout::Legacy => match value {
            "A" => Some(PracticeStatus::Active),
            "C" => Some(PracticeStatus::Closed),
            "D" => Some(PracticeStatus::Dormant),
            "P" => Some(PracticeStatus::Proposed),
            _ => None,
        },
        EpraccurLayout::DataSearchExport => {
            if value.eq_ignore_ascii_case("ACTIVE") {
                Some(PracticeStatus::Active)
            } else if value.eq_ignore_ascii_case("INACTIVE") {
                Some(PracticeStatus::Closed)
            } else {
                None
            }
        }
    };
    status.ok_or_else(|| {
        let allowed = match layout {
            EpraccurLayout::Legacy => "A, C, D or P (the legacy layout was detected)",
            EpraccurLayout::DataSearchExport => {
                "ACTIVE or INACTIVE (the export layout was detected)"
            }
        };
        row.invalid(
            column(STATUS),
            value,
            format!("expected a status of {allowed}"),
        )
    })
}

fn setting(row: &Row<'_>, layout: EpraccurLayout) -> Result<PrescribingSetting, OdsError> {
    let value = row.get(SETTING);
    match layout {
        EpraccurLayout::Legacy => match value.parse::<u8>() {
            Ok(4) => Ok(PrescribingSetting::GpPractice),
            Ok(n) => Ok(PrescribingSetting::OtherSetting(n)),
            Err(_) => Err(row.invalid(
                column(SETTING),
                value,
                "expected a prescribing setting number (4 for a GP practice; the legacy layout was detected)",
            )),
        },
        EpraccurLayout::DataSearchExport => {
            let number = value
                .get(..2)
                .filter(|p| p.eq_ignore_ascii_case("RO"))
                .and_then(|_| value[2..].parse::<u16>().ok());
            match number {
                Some(76) => Ok(PrescribingSetting::GpPractice),
                Some(n) => Ok(PrescribingSetting::OtherRole(n)),
                None => Err(row.invalid(
                    column(SETTING),
                    value,
                    "expected a role code such as RO76 (the export layout was detected)",
                )),
            }
        }
    }
}

fn record(
    row: &Row<'_>,
    layout: EpraccurLayout,
    options: &ReadOptions,
) -> Result<EpraccurRecord, OdsError> {
    let found = row.record.len();
    if found != EPRACCUR_COLUMNS {
        return Err(OdsError::ColumnCount {
            file: row.file.to_owned(),
            line: row.line,
            expected: EPRACCUR_COLUMNS,
            found,
        });
    }
    let code = row.code(CODE, column(CODE))?;
    let name = row.required(NAME, column(NAME))?;
    let opened = row.date(OPEN_DATE, column(OPEN_DATE))?;
    let closed = row.optional_date(CLOSE_DATE, column(CLOSE_DATE))?;
    let operating = row.range(
        opened,
        closed,
        CLOSE_DATE,
        column(CLOSE_DATE),
        options.end_dates,
    )?;
    let status = status(row, layout)?;
    let mut practice = Practice::new(code, name, operating, status)
        .map_err(|e| row.invalid(column(STATUS), row.get(STATUS), e.to_string()))?;

    let postcode = row.get(POSTCODE);
    if !postcode.is_empty() {
        let parsed: Postcode = postcode.parse().map_err(|e: pcn_core::CoreError| {
            row.invalid(column(POSTCODE), postcode, e.to_string())
        })?;
        practice.set_postcode(Some(parsed));
    }

    if let Some(commissioner) = row.optional_code(COMMISSIONER, column(COMMISSIONER))? {
        let joined = row.date(JOIN_PARENT, column(JOIN_PARENT))?;
        let left = row.optional_date(LEFT_PARENT, column(LEFT_PARENT))?;
        let during = row.range(
            joined,
            left,
            LEFT_PARENT,
            column(LEFT_PARENT),
            options.end_dates,
        )?;
        practice.set_commissioner(during.from(), commissioner);
        if let Some(to) = during.to() {
            practice.end_commissioner(to);
        }
    }
    Ok(EpraccurRecord {
        line: row.line,
        practice,
        setting: setting(row, layout)?,
    })
}

/// Reads `epraccur.csv` (no header row, 27 columns, dates `YYYYMMDD`), detecting its
/// layout from the first row and checking every later row against it.
///
/// Each row becomes a [`Practice`] (code, name, postcode, status, operating dates,
/// commissioner from its join date, ended on its left date) with its
/// [`PrescribingSetting`]. End dates are read as [`ReadOptions::end_dates`] says.
///
/// ```
/// use pcn_ods::{EpraccurLayout, Input, PrescribingSetting, ReadOptions, read_epraccur};
/// let csv = r#""A81001","THE DENSHAM SURGERY","Y63","QHM","THE HEALTH CENTRE","LAWSON STREET","STOCKTON ON TEES","CLEVELAND","","TS18 1HU","19740401","","A","B","16C","20200401","","01642 672351","","","","0","","16C","","4",""
/// "#;
/// let file = read_epraccur(Input::new("epraccur.csv", csv.as_bytes()), &ReadOptions::default())?;
/// assert_eq!(file.layout, Some(EpraccurLayout::Legacy));
/// let record = &file.parsed.records[0];
/// assert_eq!(record.setting, PrescribingSetting::GpPractice);
/// assert_eq!(record.practice.name(), "THE DENSHAM SURGERY");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// With [`ErrorMode::FailFast`](crate::ErrorMode::FailFast), the first bad row's
/// error ([`OdsError::ColumnCount`], [`OdsError::InvalidValue`] naming the column and
/// value, [`OdsError::Csv`]); in either mode, [`OdsError::Io`] if the file cannot be
/// read.
pub fn read_epraccur<R: Read>(
    input: Input<R>,
    options: &ReadOptions,
) -> Result<EpraccurFile, OdsError> {
    let (file, reader) = input.into_parts();
    let mut reader = Records::Csv(csv_reader(reader, false));
    let mut layout = None;
    let mut records = Vec::new();
    let mut errors = Vec::new();
    each_record(&file, &mut reader, options, &mut errors, |row| {
        let this_layout = match layout {
            Some(layout) => layout,
            None => {
                let detected = detect(row)?;
                layout = Some(detected);
                detected
            }
        };
        records.push(record(row, this_layout, options)?);
        Ok(())
    })?;
    Ok(EpraccurFile {
        layout,
        parsed: Parsed {
            file,
            records,
            skipped: 0,
            errors,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorMode;
    use chrono::NaiveDate;

    const LEGACY: &str = concat!(
        r#""A81001","THE DENSHAM SURGERY","Y63","QHM","THE HEALTH CENTRE","LAWSON STREET","STOCKTON ON TEES","CLEVELAND","","TS18 1HU","19740401","","A","B","16C","20200401","","01642 672351","","","","0","","16C","","4",""
"#,
        r#""A81003","VICTORIA MEDICAL PRACTICE","Y54","Q74","THE HEALTH CENTRE","VICTORIA ROAD","HARTLEPOOL","CLEVELAND","","TS26 8DB","19740401","20171031","C","B","00K","20130401","20171031","01429 272945","","","","0","","00K","","4",""
"#,
        r#""Y00848","LEEDS VPS","Y63","QWO","LCD @ ST GEORGES CENTRE","ST GEORGE'S RD, MIDDLETON","LEEDS","WEST YORKSHIRE","","LS10 4UZ","20041101","","A","B","15F","20180401","","0845 1207069","","","","0","","15F","","9",""
"#
    );

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn reads_the_legacy_layout() {
        let file = read_epraccur(
            Input::new("epraccur.csv", LEGACY.as_bytes()),
            &ReadOptions::default(),
        )
        .unwrap();
        assert_eq!(file.layout, Some(EpraccurLayout::Legacy));
        let records = &file.parsed.records;
        assert_eq!(records.len(), 3);
        let closed = &records[1].practice;
        assert_eq!(closed.status(), PracticeStatus::Closed);
        // Closed on 31 October 2017, its last day.
        assert!(closed.is_operating_on(d(2017, 10, 31)));
        assert!(!closed.is_operating_on(d(2017, 11, 1)));
        assert_eq!(
            closed.commissioner_on(d(2017, 10, 31)).unwrap().as_str(),
            "00K"
        );
        assert_eq!(closed.commissioner_on(d(2017, 11, 1)), None);
        assert_eq!(records[2].setting, PrescribingSetting::OtherSetting(9));
        assert_eq!(
            records[0]
                .practice
                .commissioner_on(d(2020, 4, 1))
                .unwrap()
                .as_str(),
            "16C"
        );
    }

    #[test]
    fn reads_the_export_layout() {
        let export = LEGACY
            .replace(r#""A","B""#, r#""ACTIVE","B""#)
            .replace(r#""C","B""#, r#""INACTIVE","B""#)
            .replace(r#""","4","""#, r#""","RO76","""#)
            .replace(r#""","9","""#, r#""","RO80","""#);
        let file = read_epraccur(
            Input::new("export.csv", export.as_bytes()),
            &ReadOptions::default(),
        )
        .unwrap();
        assert_eq!(file.layout, Some(EpraccurLayout::DataSearchExport));
        let records = &file.parsed.records;
        assert_eq!(records[0].setting, PrescribingSetting::GpPractice);
        assert_eq!(records[1].practice.status(), PracticeStatus::Closed);
        assert_eq!(records[2].setting, PrescribingSetting::OtherRole(80));
    }

    #[test]
    fn a_bad_row_names_file_line_column_and_value() {
        let bad = LEGACY.replace("20171031\",\"C\"", "20171331\",\"C\"");
        let err = read_epraccur(
            Input::new("epraccur.csv", bad.as_bytes()),
            &ReadOptions::default(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "epraccur.csv, line 2, column 12 (close date): expected a date written YYYYMMDD (found \"20171331\")"
        );
    }

    #[test]
    fn collecting_keeps_the_good_rows_and_every_error() {
        let bad = format!(
            "{}{}\"A81009\",\"SHORT\"\n",
            LEGACY.replace("\"A\",\"B\",\"16C\"", "\"X\",\"B\",\"16C\""),
            LEGACY
                .lines()
                .nth(1)
                .unwrap()
                .replace("TS26 8DB", "NOT A POSTCODE")
                + "\n",
        );
        let file = read_epraccur(
            Input::new("epraccur.csv", bad.as_bytes()),
            &ReadOptions::collecting(),
        )
        .unwrap();
        assert_eq!(file.parsed.records.len(), 2);
        let messages: Vec<String> = file.parsed.errors.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 3, "{messages:#?}");
        assert!(
            messages[0].contains("line 1, column 13 (status code)")
                && messages[0].contains("\"X\"")
        );
        assert!(messages[1].contains("line 4, column 10 (postcode)"));
        assert_eq!(
            messages[2],
            "epraccur.csv, line 5: expected 27 columns, found 2"
        );
        assert_eq!(ReadOptions::collecting().errors, ErrorMode::Collect);
    }

    #[test]
    fn the_layout_must_hold_for_every_row() {
        let mixed = format!(
            "{}{}",
            LEGACY,
            LEGACY
                .lines()
                .next()
                .unwrap()
                .replace("\"A\",\"B\"", "\"ACTIVE\",\"B\"")
        );
        let err = read_epraccur(
            Input::new("mixed.csv", mixed.as_bytes()),
            &ReadOptions::default(),
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("the legacy layout was detected"),
            "{err}"
        );
    }
}
