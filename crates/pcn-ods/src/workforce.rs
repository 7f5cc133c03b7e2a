//! The Primary Care Network Workforce collection (NHS England): staff employed by or
//! contracted to PCNs, by role, with their full-time equivalents.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::str::FromStr;

use chrono::NaiveDate;
use pcn_core::{OdsCode, Wte};
use serde::{Deserialize, Serialize};

use crate::input::{Row, each_record};
use crate::{Input, OdsError, Parsed, ReadOptions};

/// A full-time equivalent as the workforce files publish it, exact to a
/// billionth: the individual-level file gives FTE to up to nine decimals
/// (`0.533333333`), which [`Wte`]'s hundredths would round row by row.
///
/// It may be negative, because the published files are: the summed 2020-22 file has
/// five rows of -0.0267 FTE (a pharmacy technician of PCN U55979 contracted through
/// another organisation, September 2021 to September 2022), kept as published so
/// that sums agree with the publication.
///
/// ```
/// use pcn_ods::Fte;
/// let a: Fte = "0.533333333".parse()?;
/// let b: Fte = "1".parse()?;
/// assert_eq!((a + b).to_string(), "1.533333333");
/// assert_eq!(a.to_wte().unwrap().to_string(), "0.53");
/// assert_eq!("-0.0267".parse::<Fte>()?.to_string(), "-0.0267");
/// assert!("-0.0267".parse::<Fte>()?.to_wte().is_none());
/// assert!("0.1234567891".parse::<Fte>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Fte(i64);

const BILLION: i64 = 1_000_000_000;
/// The largest FTE one row may give: no one works a thousand full-time posts.
const MAX_ROW_FTE: i64 = 1_000;

impl Fte {
    /// No time.
    pub const ZERO: Self = Self(0);

    /// The FTE in billionths.
    #[must_use]
    pub const fn billionths(self) -> i64 {
        self.0
    }

    /// The FTE as a floating-point number, for statistics.
    #[must_use]
    #[allow(clippy::cast_precision_loss)]
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / BILLION as f64
    }

    /// The FTE rounded to a hundredth (half up) as a [`Wte`], or `None` if it is
    /// negative.
    #[must_use]
    pub fn to_wte(self) -> Option<Wte> {
        let hundredths = (self.0.checked_add(BILLION / 200)?) / (BILLION / 100);
        u32::try_from(hundredths)
            .ok()
            .filter(|_| self.0 >= 0)
            .map(Wte::from_hundredths)
    }
}

impl std::ops::Add for Fte {
    type Output = Self;

    /// Saturating: the sum of every row of a national file is far below the limit
    /// (9 billion FTE either way).
    fn add(self, other: Self) -> Self {
        Self(self.0.saturating_add(other.0))
    }
}

impl std::iter::Sum for Fte {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::ZERO, |a, b| a + b)
    }
}

impl FromStr for Fte {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let bad = || {
            format!(
                "expected an FTE such as 0.8 (at most nine decimals, less than {MAX_ROW_FTE} either way)"
            )
        };
        let (negative, text) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() && fraction.is_empty()
            || !digits(whole)
            || !digits(fraction)
            || fraction.len() > 9
            || whole.len() > 4
        {
            return Err(bad());
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| bad())?
        };
        if whole >= MAX_ROW_FTE {
            return Err(bad());
        }
        let mut part: i64 = 0;
        for position in 0..9 {
            let digit = fraction
                .as_bytes()
                .get(position)
                .map_or(0, |b| i64::from(b - b'0'));
            part = part * 10 + digit;
        }
        let value = whole * BILLION + part;
        Ok(Self(if negative { -value } else { value }))
    }
}

impl TryFrom<String> for Fte {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<Fte> for String {
    fn from(fte: Fte) -> Self {
        fte.to_string()
    }
}

impl fmt::Display for Fte {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 < 0 {
            f.write_str("-")?;
        }
        let magnitude = self.0.unsigned_abs();
        let billion = BILLION.unsigned_abs();
        let (whole, part) = (magnitude / billion, magnitude % billion);
        if part == 0 {
            return write!(f, "{whole}");
        }
        let fraction = format!("{part:09}");
        write!(f, "{whole}.{}", fraction.trim_end_matches('0'))
    }
}

impl fmt::Debug for Fte {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fte({self})")
    }
}

/// One row of a PCN workforce file: one person in one role (the individual-level
/// file), or the people of one role summed (a summary such as
/// `pcn-workforce-2020-03-to-2022-09.csv`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkforceRecord {
    /// The line in the file.
    pub line: u64,
    /// The census date: the last day of the census month.
    pub census: NaiveDate,
    /// The PCN (`PCN_CODE`).
    pub pcn: OdsCode,
    /// Where the record comes from (`DATA_SOURCE`: `NWRS Staff`, staff the PCN
    /// employs, or `NWRS contracted services`).
    pub data_source: String,
    /// The staff group (`STAFF_GROUP`, such as `Other Direct Patient Care staff`).
    pub staff_group: String,
    /// The staff role (`STAFF_ROLE`, such as `Pharmacists`).
    pub staff_role: String,
    /// The detailed role (`DETAILED_STAFF_ROLE`, such as `Pharmacist`).
    pub detailed_role: String,
    /// The full-time equivalent (`FTE`).
    pub fte: Fte,
    /// The people the row counts: 1 for an individual-level row, `DISTINCT_IDS` for a
    /// summed row.
    pub people: u32,
}

const CENSUS_YEAR: &str = "CENSUS_YEAR";
const CENSUS_MONTH: &str = "CENSUS_MONTH";
const PCN_CODE: &str = "PCN_CODE";
const DATA_SOURCE: &str = "DATA_SOURCE";
const STAFF_GROUP: &str = "STAFF_GROUP";
const STAFF_ROLE: &str = "STAFF_ROLE";
const DETAILED_STAFF_ROLE: &str = "DETAILED_STAFF_ROLE";
const FTE: &str = "FTE";
const DISTINCT_IDS: &str = "DISTINCT_IDS";

/// The last day of a month.
fn month_end(year: i32, month: u32) -> Option<NaiveDate> {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month.checked_add(1)?, 1)
    };
    next?.pred_opt().filter(|_| (1..=12).contains(&month))
}

fn census(row: &Row<'_>, year: Option<usize>, month: usize) -> Result<NaiveDate, OdsError> {
    let text = row.required(month, CENSUS_MONTH)?;
    match year {
        Some(year) => {
            let year_text = row.required(year, CENSUS_YEAR)?;
            let y = year_text
                .parse::<i32>()
                .ok()
                .filter(|y| (1900..=2200).contains(y))
                .ok_or_else(|| {
                    row.invalid(CENSUS_YEAR, year_text, "expected a year such as 2026")
                })?;
            text.parse::<u32>()
                .ok()
                .and_then(|m| month_end(y, m))
                .ok_or_else(|| row.invalid(CENSUS_MONTH, text, "expected a month number, 1 to 12"))
        }
        None => text
            .split_once('-')
            .and_then(|(y, m)| {
                let y = y
                    .parse::<i32>()
                    .ok()
                    .filter(|y| (1900..=2200).contains(y))?;
                month_end(y, m.parse().ok()?)
            })
            .ok_or_else(|| row.invalid(CENSUS_MONTH, text, "expected a month written YYYY-MM")),
    }
}

/// Reads a PCN workforce file, matching columns by header name (case ignored, line
/// breaks in a header cell read as spaces): the individual-level CSV as published
/// (`DATA_SOURCE`, `CENSUS_YEAR`, `CENSUS_MONTH` as a month number, `PCN_CODE`,
/// `STAFF_GROUP`, `STAFF_ROLE`, `DETAILED_STAFF_ROLE`, `FTE`, one row per person and
/// role), or a summary with `CENSUS_MONTH` written `YYYY-MM` and a `DISTINCT_IDS`
/// column (`pcn-workforce-2020-03-to-2022-09.csv`).
///
/// To read the zip as published, open it with [`Input::open_published`] and
/// [`WORKFORCE_MEMBER`](crate::WORKFORCE_MEMBER).
///
/// ```
/// use pcn_ods::{Input, ReadOptions, read_workforce};
/// let csv = "\u{feff}Data_source,CENSUS_YEAR,CENSUS_MONTH,PCN_CODE,PCN_NAME,STAFF_GROUP,STAFF_ROLE,DETAILED_STAFF_ROLE,FTE,UNIQUE_IDENTIFIER\n\
///            NWRS Staff,2026,6,U96599,HARINGEY - NORTH EAST PCN,Other Direct Patient Care staff,Pharmacists,Pharmacist,0.8,2730\n";
/// let parsed = read_workforce(Input::new("pcn-wf.csv", csv.as_bytes()), &ReadOptions::default())?;
/// let row = &parsed.records[0];
/// assert_eq!(row.census.to_string(), "2026-06-30");
/// assert_eq!((row.staff_role.as_str(), row.fte.to_string().as_str(), row.people), ("Pharmacists", "0.8", 1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`OdsError::MissingColumn`] if a column is missing; with
/// [`ErrorMode::FailFast`](crate::ErrorMode::FailFast), the first bad row's error;
/// [`OdsError::Io`] if the file cannot be read.
pub fn read_workforce<R: Read>(
    input: Input<R>,
    options: &ReadOptions,
) -> Result<Parsed<WorkforceRecord>, OdsError> {
    let (file, mut reader, header) = input.into_headed()?;
    let year = header.find(&[CENSUS_YEAR]);
    let month = header.require(&[CENSUS_MONTH])?;
    let pcn = header.require(&[PCN_CODE])?;
    let source = header.require(&[DATA_SOURCE])?;
    let group = header.require(&[STAFF_GROUP])?;
    let role = header.require(&[STAFF_ROLE])?;
    let detailed = header.require(&[DETAILED_STAFF_ROLE])?;
    let fte = header.require(&[FTE])?;
    let ids = header.find(&[DISTINCT_IDS]);
    let mut records = Vec::new();
    let mut errors = Vec::new();
    each_record(&file, &mut reader, options, &mut errors, |row| {
        let text = row.required(fte, FTE)?;
        let value = text
            .parse::<Fte>()
            .map_err(|reason| row.invalid(FTE, text, reason))?;
        let people = match ids {
            Some(ids) => {
                let text = row.required(ids, DISTINCT_IDS)?;
                text.parse::<u32>().map_err(|_| {
                    row.invalid(DISTINCT_IDS, text, "expected a whole number of people")
                })?
            }
            None => 1,
        };
        records.push(WorkforceRecord {
            line: row.line,
            census: census(row, year, month)?,
            pcn: row.code(pcn, PCN_CODE)?,
            data_source: row.required(source, DATA_SOURCE)?.to_owned(),
            staff_group: row.required(group, STAFF_GROUP)?.to_owned(),
            staff_role: row.required(role, STAFF_ROLE)?.to_owned(),
            detailed_role: row.required(detailed, DETAILED_STAFF_ROLE)?.to_owned(),
            fte: value,
            people,
        });
        Ok(())
    })?;
    Ok(Parsed {
        file,
        records,
        skipped: 0,
        errors,
    })
}

/// One PCN's workforce on one census date: FTE by staff role, both data sources
/// together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PcnWorkforce {
    /// The census date.
    pub census: NaiveDate,
    /// The PCN.
    pub pcn: OdsCode,
    /// FTE by `STAFF_ROLE`.
    pub by_role: BTreeMap<String, Fte>,
    /// FTE in all.
    pub total: Fte,
}

/// Sums workforce rows to each PCN and census date, FTE by staff role; in order of
/// census date, then PCN code.
///
/// ```
/// use pcn_ods::{Input, ReadOptions, read_workforce, workforce_by_pcn};
/// let csv = "CENSUS_MONTH,PCN_CODE,DATA_SOURCE,STAFF_GROUP,STAFF_ROLE,DETAILED_STAFF_ROLE,FTE,DISTINCT_IDS\n\
///            2022-09,U02795,NWRS Staff,Other Admin/Non-clinical staff,Managers,Senior Manager,0.4000,1\n\
///            2022-09,U02795,NWRS contracted services,Other Direct Patient Care staff,Pharmacists,Pharmacist,1.5000,2\n\
///            2022-09,U02795,NWRS Staff,Other Direct Patient Care staff,Pharmacists,Pharmacist,1.0000,1\n";
/// let parsed = read_workforce(Input::new("wf.csv", csv.as_bytes()), &ReadOptions::default())?;
/// let pcns = workforce_by_pcn(&parsed.records);
/// assert_eq!(pcns[0].by_role["Pharmacists"].to_string(), "2.5");
/// assert_eq!(pcns[0].total.to_string(), "2.9");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn workforce_by_pcn(records: &[WorkforceRecord]) -> Vec<PcnWorkforce> {
    let mut sums: BTreeMap<(NaiveDate, OdsCode), BTreeMap<String, Fte>> = BTreeMap::new();
    for record in records {
        let roles = sums.entry((record.census, record.pcn)).or_default();
        match roles.get_mut(&record.staff_role) {
            Some(fte) => *fte = *fte + record.fte,
            None => {
                roles.insert(record.staff_role.clone(), record.fte);
            }
        }
    }
    sums.into_iter()
        .map(|((census, pcn), by_role)| PcnWorkforce {
            census,
            pcn,
            total: by_role.values().copied().sum(),
            by_role,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fte_text_round_trips() {
        for text in ["0", "1", "0.8", "0.533333333", "12.05", "999.999999999"] {
            assert_eq!(text.parse::<Fte>().unwrap().to_string(), text);
        }
        assert_eq!("0.8000".parse::<Fte>().unwrap().to_string(), "0.8");
        assert_eq!(".5".parse::<Fte>().unwrap().to_string(), "0.5");
        assert_eq!("-0.0267".parse::<Fte>().unwrap().billionths(), -26_700_000);
        assert_eq!("-0".parse::<Fte>().unwrap().to_string(), "0");
        for bad in [
            "",
            ".",
            "-",
            "--1",
            "+1",
            "1e3",
            "1000",
            "-1000",
            "0.1234567890",
            "x",
        ] {
            assert!(bad.parse::<Fte>().is_err(), "{bad}");
        }
        assert_eq!(
            "0.125"
                .parse::<Fte>()
                .unwrap()
                .to_wte()
                .unwrap()
                .to_string(),
            "0.13"
        );
    }

    #[test]
    fn census_months_are_month_ends() {
        assert_eq!(month_end(2024, 2), NaiveDate::from_ymd_opt(2024, 2, 29));
        assert_eq!(month_end(2026, 12), NaiveDate::from_ymd_opt(2026, 12, 31));
        assert_eq!(month_end(2026, 13), None);
        assert_eq!(month_end(2026, 0), None);
        let csv = "CENSUS_MONTH,PCN_CODE,DATA_SOURCE,STAFF_GROUP,STAFF_ROLE,DETAILED_STAFF_ROLE,FTE\n2022-13,U02795,a,b,c,d,1\n";
        let err = read_workforce(
            Input::new("wf.csv", csv.as_bytes()),
            &ReadOptions::default(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "wf.csv, line 2, column CENSUS_MONTH: expected a month written YYYY-MM (found \"2022-13\")"
        );
    }
}
