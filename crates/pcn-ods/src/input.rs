//! What every reader shares: named inputs, error modes, the end-date convention, and
//! field parsing that reports file, line, column and value.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use chrono::NaiveDate;
use csv::StringRecord;
use pcn_core::{DateRange, OdsCode};
use serde::{Deserialize, Serialize};

use crate::OdsError;

/// A file to read, with the name errors will use.
#[derive(Debug)]
pub struct Input<R> {
    name: String,
    reader: R,
}

impl Input<File> {
    /// Opens a file; errors name it by its path.
    ///
    /// # Errors
    /// [`OdsError::Io`] if the file cannot be opened.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, OdsError> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let reader = File::open(path).map_err(|e| OdsError::Io {
            file: name.clone(),
            message: e.to_string(),
        })?;
        Ok(Self { name, reader })
    }
}

impl<R: Read> Input<R> {
    /// Any reader, named `name` in errors (`"epraccur.csv"`, a URL, a test name).
    pub fn new(name: impl Into<String>, reader: R) -> Self {
        Self {
            name: name.into(),
            reader,
        }
    }

    /// The name errors use.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    pub(crate) fn into_parts(self) -> (String, R) {
        (self.name, self.reader)
    }

    /// Opens a file whose first row names its columns, and reads that row.
    pub(crate) fn into_headed(self) -> Result<(String, Records<R>, Header), OdsError> {
        let (file, reader) = self.into_parts();
        let mut reader = csv_reader(reader, true);
        let header = Header::read(&file, &mut reader)?;
        Ok((file, Records::Csv(reader), header))
    }
}

/// What to do with a bad row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorMode {
    /// Stop at the first bad row and return its error.
    #[default]
    FailFast,
    /// Skip bad rows, import the rest, and return every error.
    Collect,
}

/// How a file's end dates are to be read.
///
/// ODS publishes the **last day** something was in force. In the ePCN file of
/// January 2023, 605 relationships end on the day before the practice's next
/// relationship starts (A84002 ends in U25545 on 2022-03-31 and starts in U09980 on
/// 2022-04-01) and only one on the same day; 60 of the 65 closed PCNs close on their
/// last member's last day, most on 31 March; two relationships start and end on one
/// day (M85153 in U54948 on 2022-06-01), as do seven practices in the practice file.
/// Only the inclusive reading makes sense of all that, so [`EndDates::Inclusive`] is
/// the default. Read exclusively, those files leave every mover in no PCN for a day
/// and hold empty relationships and practices. The one same-day move (F82001, U86966
/// to U11211 on 2022-07-01) overlaps by a day when read inclusively: the import
/// reports it rather than choosing for the data.
///
/// Internally every range is half-open (`[from, to)`), so an inclusive end date
/// becomes `to = end + 1 day`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndDates {
    /// An end date is the last day in force (the ODS convention).
    #[default]
    Inclusive,
    /// An end date is the first day no longer in force.
    Exclusive,
}

impl EndDates {
    /// The first day after the period, given the published end date.
    #[must_use]
    pub fn first_day_after(self, end: NaiveDate) -> Option<NaiveDate> {
        match self {
            Self::Inclusive => end.succ_opt(),
            Self::Exclusive => Some(end),
        }
    }
}

/// How to read: what to do with bad rows and how to read end dates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ReadOptions {
    /// Stop at the first bad row, or collect every error.
    pub errors: ErrorMode,
    /// How end dates are read.
    pub end_dates: EndDates,
}

impl ReadOptions {
    /// Options that collect every error instead of stopping at the first.
    #[must_use]
    pub const fn collecting() -> Self {
        Self {
            errors: ErrorMode::Collect,
            end_dates: EndDates::Inclusive,
        }
    }

    /// Hands a row error to the mode: `Err` to stop, or kept for the caller.
    pub(crate) fn handle(
        &self,
        errors: &mut Vec<OdsError>,
        error: OdsError,
    ) -> Result<(), OdsError> {
        match self.errors {
            ErrorMode::FailFast => Err(error),
            ErrorMode::Collect => {
                errors.push(error);
                Ok(())
            }
        }
    }
}

/// The rows read from one file: the valid ones, and (when collecting) the error of
/// every bad one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parsed<T> {
    /// The file's name.
    pub file: String,
    /// The valid rows, in file order.
    pub records: Vec<T>,
    /// Valid rows deliberately passed over (breakdowns by age or sex in a list-size
    /// file, other kinds of organisation), not errors.
    pub skipped: usize,
    /// The error of each bad row (always empty with [`ErrorMode::FailFast`], which
    /// returns the first error instead).
    #[serde(serialize_with = "crate::input::messages")]
    pub errors: Vec<OdsError>,
}

/// Serialises errors as their messages.
pub(crate) fn messages<S: serde::Serializer>(
    errors: &[OdsError],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(errors.iter().map(ToString::to_string))
}

/// The rows of a table: a CSV being read, or the rows of a workbook sheet as text
/// with their row numbers.
pub(crate) enum Records<R> {
    /// A CSV.
    Csv(csv::Reader<R>),
    /// A sheet's rows after its header, each with its row number.
    Sheet(std::vec::IntoIter<(u64, StringRecord)>),
}

/// Reads every record of a table, handing each with its line number to `row`.
pub(crate) fn each_record<R: Read>(
    file: &str,
    records: &mut Records<R>,
    options: &ReadOptions,
    errors: &mut Vec<OdsError>,
    mut row: impl FnMut(&Row<'_>) -> Result<(), OdsError>,
) -> Result<(), OdsError> {
    let reader = match records {
        Records::Csv(reader) => reader,
        Records::Sheet(rows) => {
            for (line, record) in rows {
                if record.iter().all(|field| field.trim().is_empty()) {
                    continue;
                }
                let current = Row {
                    file,
                    line,
                    record: &record,
                };
                if let Err(error) = row(&current) {
                    options.handle(errors, error)?;
                }
            }
            return Ok(());
        }
    };
    let mut record = StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                let line = record.position().map_or(0, csv::Position::line);
                if record.iter().all(|field| field.trim().is_empty()) {
                    continue;
                }
                let current = Row {
                    file,
                    line,
                    record: &record,
                };
                if let Err(error) = row(&current) {
                    options.handle(errors, error)?;
                }
            }
            Err(error) => {
                let fatal = error.is_io_error();
                let line = error.position().map_or(0, csv::Position::line);
                let error = OdsError::Csv {
                    file: file.to_owned(),
                    line,
                    message: error.to_string(),
                };
                if fatal {
                    return Err(error);
                }
                options.handle(errors, error)?;
            }
        }
    }
}

/// One row being read, for errors that name the file, line, column and value.
pub(crate) struct Row<'a> {
    pub(crate) file: &'a str,
    pub(crate) line: u64,
    pub(crate) record: &'a StringRecord,
}

impl Row<'_> {
    /// The trimmed field at `index` ("" if the row is short).
    pub(crate) fn get(&self, index: usize) -> &str {
        self.record.get(index).map_or("", str::trim)
    }

    pub(crate) fn invalid(&self, column: &str, value: &str, reason: impl Into<String>) -> OdsError {
        OdsError::InvalidValue {
            file: self.file.to_owned(),
            line: self.line,
            column: column.to_owned(),
            value: value.to_owned(),
            reason: reason.into(),
        }
    }

    /// A field that must not be blank.
    pub(crate) fn required(&self, index: usize, column: &str) -> Result<&str, OdsError> {
        let value = self.get(index);
        if value.is_empty() {
            Err(self.invalid(column, value, "a value is required"))
        } else {
            Ok(value)
        }
    }

    pub(crate) fn code(&self, index: usize, column: &str) -> Result<OdsCode, OdsError> {
        let value = self.required(index, column)?;
        value
            .parse()
            .map_err(|e: pcn_core::CoreError| self.invalid(column, value, e.to_string()))
    }

    pub(crate) fn optional_code(
        &self,
        index: usize,
        column: &str,
    ) -> Result<Option<OdsCode>, OdsError> {
        if self.get(index).is_empty() {
            Ok(None)
        } else {
            self.code(index, column).map(Some)
        }
    }

    /// A `YYYYMMDD` date.
    pub(crate) fn date(&self, index: usize, column: &str) -> Result<NaiveDate, OdsError> {
        let value = self.required(index, column)?;
        parse_yyyymmdd(value)
            .ok_or_else(|| self.invalid(column, value, "expected a date written YYYYMMDD"))
    }

    pub(crate) fn optional_date(
        &self,
        index: usize,
        column: &str,
    ) -> Result<Option<NaiveDate>, OdsError> {
        if self.get(index).is_empty() {
            Ok(None)
        } else {
            self.date(index, column).map(Some)
        }
    }

    /// The half-open range from a start date and an optional published end date.
    pub(crate) fn range(
        &self,
        from: NaiveDate,
        end: Option<NaiveDate>,
        end_index: usize,
        end_column: &str,
        end_dates: EndDates,
    ) -> Result<DateRange, OdsError> {
        let Some(end) = end else {
            return Ok(DateRange::starting(from));
        };
        let value = self.get(end_index);
        let to = end_dates
            .first_day_after(end)
            .ok_or_else(|| self.invalid(end_column, value, "the date is out of range"))?;
        DateRange::new(from, Some(to)).map_err(|_| {
            let reason = match end_dates {
                EndDates::Inclusive => format!("the end date is before the start date {from}"),
                EndDates::Exclusive => {
                    format!(
                        "read as exclusive, the end date leaves no day after the start date {from}"
                    )
                }
            };
            self.invalid(end_column, value, reason)
        })
    }
}

/// A `YYYYMMDD` date, without the cost of a format parser (the list-size and
/// practice files hold hundreds of thousands).
pub(crate) fn parse_yyyymmdd(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if bytes.len() != 8 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let number = |range: std::ops::Range<usize>| {
        bytes[range]
            .iter()
            .fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0'))
    };
    let year = i32::try_from(number(0..4)).ok()?;
    NaiveDate::from_ymd_opt(year, number(4..6), number(6..8))
}

/// The columns of a file with a header row, found by name.
pub(crate) struct Header {
    file: String,
    names: Vec<String>,
}

impl Header {
    pub(crate) fn read<R: Read>(file: &str, reader: &mut csv::Reader<R>) -> Result<Self, OdsError> {
        let headers = reader.headers().map_err(|e| OdsError::Csv {
            file: file.to_owned(),
            line: 1,
            message: e.to_string(),
        })?;
        Ok(Self::from_cells(file, headers))
    }

    /// The header of a table whose header cells are `headers`.
    pub(crate) fn from_cells(file: &str, headers: &StringRecord) -> Self {
        let names = headers
            .iter()
            .map(|h| normalise_header(h.trim_start_matches('\u{feff}')))
            .collect();
        Self {
            file: file.to_owned(),
            names,
        }
    }

    /// The position of the first column with one of `names` (case ignored, runs of
    /// white space and line breaks read as one space).
    pub(crate) fn find(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|name| {
            let name = normalise_header(name);
            self.names.iter().position(|h| *h == name)
        })
    }

    /// As [`Header::find`], or an error naming the column.
    pub(crate) fn require(&self, names: &[&str]) -> Result<usize, OdsError> {
        self.find(names).ok_or_else(|| OdsError::MissingColumn {
            file: self.file.clone(),
            column: names.join(" or "),
            header: self.names.join(","),
        })
    }
}

/// A header cell as compared: lower case, with every run of white space (line
/// breaks included) read as one space and none at either end, so that
/// `"Partner\nOrganisation\nCode"` (a workbook cell saved to CSV) is the column
/// `Partner Organisation Code`.
pub(crate) fn normalise_header(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    for word in cell.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word.to_lowercase());
    }
    out
}

/// A CSV reader for the NHS files.
///
/// Records end at `\n` only: with the csv crate's default terminator, a file with
/// `\r\n` line ends (the list-size, mapping and workforce files are published so)
/// reports every record a line too early. The `\r` left at the end of a line's last
/// field is white space, trimmed like all the rest.
pub(crate) fn csv_reader<R: Read>(reader: R, has_headers: bool) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(has_headers)
        .terminator(csv::Terminator::Any(b'\n'))
        .flexible(true)
        .from_reader(reader)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yyyymmdd_dates_are_checked() {
        assert_eq!(
            parse_yyyymmdd("20191001"),
            NaiveDate::from_ymd_opt(2019, 10, 1)
        );
        assert_eq!(parse_yyyymmdd("20190231"), None);
        assert_eq!(parse_yyyymmdd("2019-10-01"), None);
        assert_eq!(parse_yyyymmdd("2019100"), None);
    }

    #[test]
    fn header_cells_are_compared_without_case_or_line_breaks() {
        assert_eq!(
            normalise_header(" Partner\r\nOrganisation \n Code "),
            "partner organisation code"
        );
        let csv = "\u{feff}\"Partner\nOrganisation\nCode\",PCN  CODE\nA81001,U00001\n";
        let mut reader = csv_reader(csv.as_bytes(), true);
        let header = Header::read("x.csv", &mut reader).unwrap();
        assert_eq!(header.find(&["Partner Organisation Code"]), Some(0));
        assert_eq!(header.find(&["pcn code"]), Some(1));
    }

    #[test]
    fn lines_are_counted_alike_with_either_line_end() {
        for csv in [
            "a,b\nx,1\n\"y\ny\",2\nz,3\n",
            "a,b\r\nx,1\r\n\"y\r\ny\",2\r\nz,3\r\n",
        ] {
            let mut reader = Records::Csv(csv_reader(csv.as_bytes(), true));
            let mut lines = Vec::new();
            let mut values = Vec::new();
            each_record(
                "x.csv",
                &mut reader,
                &ReadOptions::default(),
                &mut Vec::new(),
                |row| {
                    lines.push(row.line);
                    values.push(row.get(1).to_owned());
                    Ok(())
                },
            )
            .unwrap();
            assert_eq!(lines, [2, 3, 5], "{csv:?}");
            assert_eq!(values, ["1", "2", "3"]);
        }
    }

    #[test]
    fn end_dates_become_the_first_day_after() {
        let d = NaiveDate::from_ymd_opt(2022, 3, 31).unwrap();
        assert_eq!(
            EndDates::Inclusive.first_day_after(d),
            NaiveDate::from_ymd_opt(2022, 4, 1)
        );
        assert_eq!(EndDates::Exclusive.first_day_after(d), Some(d));
    }
}
