//! Practice deprivation scores: the Index of Multiple Deprivation score of each GP
//! practice's registered population (OHID Fingertips).

use std::io::Read;

use pcn_core::OdsCode;
use serde::{Deserialize, Serialize};

use crate::input::each_record;
use crate::{Input, OdsError, Parsed, ReadOptions};

/// One practice's deprivation score.
///
/// OHID publishes, for each practice, the IMD score of its registered population
/// (Fingertips indicator 94240, "Deprivation score (IMD)": the mean of the scores
/// of the areas its patients live in, weighted by the number living in each). A
/// higher score is more deprived.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeprivationRecord {
    /// The line in the file.
    pub line: u64,
    /// The practice (`PRACTICE_CODE`).
    pub practice: OdsCode,
    /// Its name (`PRACTICE_NAME`).
    pub practice_name: String,
    /// The edition of the index (`IMD_YEAR`, such as 2025).
    pub imd_year: u16,
    /// The score (`IMD_SCORE`): finite and not negative.
    pub score: f64,
}

const PRACTICE_CODE: &str = "PRACTICE_CODE";
const PRACTICE_NAME: &str = "PRACTICE_NAME";
const IMD_YEAR: &str = "IMD_YEAR";
const IMD_SCORE: &str = "IMD_SCORE";

/// Reads practice deprivation scores (`PRACTICE_CODE`, `PRACTICE_NAME`, `IMD_YEAR`,
/// `IMD_SCORE`, matched by header name, case ignored). Rows with a blank score are
/// counted in [`Parsed::skipped`].
///
/// ```
/// use pcn_ods::{Input, ReadOptions, read_deprivation};
/// let csv = "PRACTICE_CODE,PRACTICE_NAME,IMD_YEAR,IMD_SCORE\nA81001,The Densham Surgery,2025,33.519\n";
/// let parsed = read_deprivation(Input::new("imd.csv", csv.as_bytes()), &ReadOptions::default())?;
/// assert_eq!(parsed.records[0].score, 33.519);
/// assert_eq!(parsed.records[0].imd_year, 2025);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`OdsError::MissingColumn`] if a column is missing; with
/// [`ErrorMode::FailFast`](crate::ErrorMode::FailFast), the first bad row's error;
/// [`OdsError::Io`] if the file cannot be read.
pub fn read_deprivation<R: Read>(
    input: Input<R>,
    options: &ReadOptions,
) -> Result<Parsed<DeprivationRecord>, OdsError> {
    let (file, mut reader, header) = input.into_headed()?;
    let practice = header.require(&[PRACTICE_CODE])?;
    let name = header.require(&[PRACTICE_NAME])?;
    let year = header.require(&[IMD_YEAR])?;
    let score = header.require(&[IMD_SCORE])?;
    let mut records = Vec::new();
    let mut errors = Vec::new();
    let mut skipped = 0;
    each_record(&file, &mut reader, options, &mut errors, |row| {
        let code = row.code(practice, PRACTICE_CODE)?;
        let text = row.get(score);
        if text.is_empty() {
            skipped += 1;
            return Ok(());
        }
        let value = text
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v >= 0.0)
            .ok_or_else(|| row.invalid(IMD_SCORE, text, "expected a score of 0 or more"))?;
        let year_text = row.required(year, IMD_YEAR)?;
        let imd_year = year_text
            .parse::<u16>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| row.invalid(IMD_YEAR, year_text, "expected a year such as 2025"))?;
        records.push(DeprivationRecord {
            line: row.line,
            practice: code,
            practice_name: row.get(name).to_owned(),
            imd_year,
            score: value,
        });
        Ok(())
    })?;
    Ok(Parsed {
        file,
        records,
        skipped,
        errors,
    })
}
