//! "Patients Registered at a GP Practice" (NHS Digital, monthly) and geocoded practice
//! lists.

use std::io::Read;

use chrono::NaiveDate;
use pcn_core::OdsCode;
use pcn_network::Location;
use serde::{Deserialize, Serialize};

use crate::input::{each_record, parse_yyyymmdd};
use crate::{Input, OdsError, Parsed, ReadOptions};

/// One practice's registered list on an extract date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListSizeRecord {
    /// The line in the file.
    pub line: u64,
    /// The practice's ODS code.
    pub practice: OdsCode,
    /// The extract date (the list is as at this day).
    pub date: NaiveDate,
    /// The number of registered patients.
    pub patients: u32,
}

// Accepted column names. The all-ages file has CODE and TYPE; the single-age files
// ORG_CODE and ORG_TYPE (NHS Digital, "Patients Registered at a GP Practice").
const CODE: &[&str] = &["CODE", "ORG_CODE"];
const TYPE: &[&str] = &["TYPE", "ORG_TYPE"];
const EXTRACT_DATE: &[&str] = &["EXTRACT_DATE"];
const PATIENTS: &[&str] = &["NUMBER_OF_PATIENTS"];
const SEX: &[&str] = &["SEX"];
const AGE: &[&str] = &["AGE"];

/// An extract date as published (`01JAN2021`), or ISO (`2021-01-01`) or `YYYYMMDD`.
pub(crate) fn extract_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%d%b%Y")
        .ok()
        .or_else(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .or_else(|| parse_yyyymmdd(text))
}

/// Reads a "Patients Registered at a GP Practice" file, matching columns by header
/// name, not position (editions add CCG, Sub-ICB and ONS code columns): the practice
/// code (`CODE` or `ORG_CODE`), `EXTRACT_DATE`, `NUMBER_OF_PATIENTS`.
///
/// Only whole-practice totals are read: where the file has `TYPE`/`ORG_TYPE`, `SEX`
/// or `AGE` columns, rows other than `GP`, `ALL` and `ALL` (other organisations,
/// breakdowns by sex and age) are counted in [`Parsed::skipped`]. A file may hold
/// several extract dates (a run of months).
///
/// ```
/// use pcn_ods::{Input, ReadOptions, read_list_sizes};
/// let csv = "PUBLICATION,EXTRACT_DATE,TYPE,CCG_CODE,ONS_CCG_CODE,CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS\n\
///            GP_PRAC_PAT_LIST,01JAN2021,GP,00L,E38000130,A84002,NE65 7UW,ALL,ALL,5903\n\
///            GP_PRAC_PAT_LIST,01JAN2021,GP,00L,E38000130,A84002,NE65 7UW,FEMALE,ALL,2990\n";
/// let parsed = read_list_sizes(Input::new("gp-reg-pat-prac-all.csv", csv.as_bytes()), &ReadOptions::default())?;
/// assert_eq!(parsed.records[0].patients, 5_903);
/// assert_eq!(parsed.records[0].date.to_string(), "2021-01-01");
/// assert_eq!(parsed.skipped, 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`OdsError::MissingColumn`] if a needed column is missing; with
/// [`ErrorMode::FailFast`](crate::ErrorMode::FailFast), the first bad row's error;
/// [`OdsError::Io`] if the file cannot be read.
pub fn read_list_sizes<R: Read>(
    input: Input<R>,
    options: &ReadOptions,
) -> Result<Parsed<ListSizeRecord>, OdsError> {
    let (file, mut reader, header) = input.into_headed()?;
    let code = header.require(CODE)?;
    let date = header.require(EXTRACT_DATE)?;
    let patients = header.require(PATIENTS)?;
    let org_type = header.find(TYPE);
    let sex = header.find(SEX);
    let age = header.find(AGE);
    let mut records = Vec::new();
    let mut errors = Vec::new();
    let mut skipped = 0;
    // Files hold one or a few extract dates: parse each text once.
    let mut last_date: Option<(String, NaiveDate)> = None;
    each_record(&file, &mut reader, options, &mut errors, |row| {
        let line = row.line;
        let is_total = org_type.is_none_or(|i| row.get(i).eq_ignore_ascii_case("GP"))
            && sex.is_none_or(|i| row.get(i).eq_ignore_ascii_case("ALL"))
            && age.is_none_or(|i| row.get(i).eq_ignore_ascii_case("ALL"));
        if !is_total {
            skipped += 1;
            return Ok(());
        }
        let practice = row.code(code, CODE[0])?;
        let text = row.required(date, EXTRACT_DATE[0])?;
        let day = match &last_date {
            Some((last, day)) if last == text => *day,
            _ => {
                let day = extract_date(text).ok_or_else(|| {
                    row.invalid(EXTRACT_DATE[0], text, "expected a date such as 01JAN2021")
                })?;
                last_date = Some((text.to_owned(), day));
                day
            }
        };
        let count = row.required(patients, PATIENTS[0])?;
        let count = count
            .parse::<u32>()
            .map_err(|_| row.invalid(PATIENTS[0], count, "expected a whole number of patients"))?;
        records.push(ListSizeRecord {
            line,
            practice,
            date: day,
            patients: count,
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

/// One practice's location from a geocoded practice list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocationRecord {
    /// The line in the file.
    pub line: u64,
    /// The practice's ODS code.
    pub practice: OdsCode,
    /// Its location.
    pub location: Location,
}

const ORGANISATION_CODE: &[&str] = &["Organisation Code", "CODE", "ORG_CODE"];
const LATITUDE: &[&str] = &["Latitude"];
const LONGITUDE: &[&str] = &["Longitude"];

/// Reads practice locations from a CSV with `Organisation Code`, `Latitude` and
/// `Longitude` columns (matched by name), such as the geocoded London practice list
/// of the public gp_mapping analysis. Rows with a blank latitude or longitude are
/// counted in [`Parsed::skipped`].
///
/// # Errors
/// [`OdsError::MissingColumn`] if a column is missing; with
/// [`ErrorMode::FailFast`](crate::ErrorMode::FailFast), the first bad row's error;
/// [`OdsError::Io`] if the file cannot be read.
pub fn read_locations<R: Read>(
    input: Input<R>,
    options: &ReadOptions,
) -> Result<Parsed<LocationRecord>, OdsError> {
    let (file, mut reader, header) = input.into_headed()?;
    let code = header.require(ORGANISATION_CODE)?;
    let latitude = header.require(LATITUDE)?;
    let longitude = header.require(LONGITUDE)?;
    let mut records = Vec::new();
    let mut errors = Vec::new();
    let mut skipped = 0;
    each_record(&file, &mut reader, options, &mut errors, |row| {
        let line = row.line;
        let practice = row.code(code, ORGANISATION_CODE[0])?;
        let (lat, lon) = (row.get(latitude), row.get(longitude));
        if lat.is_empty() || lon.is_empty() {
            skipped += 1;
            return Ok(());
        }
        let degrees = |text: &str, column: &str| {
            text.parse::<f64>()
                .map_err(|_| row.invalid(column, text, "expected a number of degrees"))
        };
        let location = Location::new(degrees(lat, LATITUDE[0])?, degrees(lon, LONGITUDE[0])?)
            .map_err(|e| row.invalid(LATITUDE[0], &format!("{lat}, {lon}"), e.to_string()))?;
        records.push(LocationRecord {
            line,
            practice,
            location,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_found_by_name_in_any_order() {
        let csv = "NUMBER_OF_PATIENTS,ORG_TYPE,ORG_CODE,SEX,AGE,EXTRACT_DATE\n\
                   1200,GP,A81001,ALL,ALL,01FEB2023\n\
                   60000,SUB_ICB_LOCATION,16C,ALL,ALL,01FEB2023\n\
                   30,GP,A81001,MALE,42,01FEB2023\n";
        let parsed = read_list_sizes(
            Input::new("single-age.csv", csv.as_bytes()),
            &ReadOptions::default(),
        )
        .unwrap();
        assert_eq!(parsed.records.len(), 1);
        assert_eq!(parsed.records[0].practice.as_str(), "A81001");
        assert_eq!(parsed.skipped, 2);
    }

    #[test]
    fn a_bad_count_names_its_cell() {
        let csv = "EXTRACT_DATE,CODE,NUMBER_OF_PATIENTS\n01JAN2021,A81001,12x\n";
        let err = read_list_sizes(
            Input::new("lists.csv", csv.as_bytes()),
            &ReadOptions::default(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "lists.csv, line 2, column NUMBER_OF_PATIENTS: expected a whole number of patients (found \"12x\")"
        );
        let csv = "EXTRACT_DATE,CODE,NUMBER_OF_PATIENTS\n31FEB2021,A81001,12\n";
        let err = read_list_sizes(
            Input::new("lists.csv", csv.as_bytes()),
            &ReadOptions::default(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("column EXTRACT_DATE"), "{err}");
    }

    #[test]
    fn locations_are_checked() {
        let csv = "Organisation Code,Name,Latitude,Longitude\nE83003,Oakleigh,51.624,-0.159\nE83005,X,,\nE83006,Y,95,0\n";
        let parsed = read_locations(
            Input::new("geo.csv", csv.as_bytes()),
            &ReadOptions::collecting(),
        )
        .unwrap();
        assert_eq!(parsed.records.len(), 1);
        assert_eq!(parsed.skipped, 1);
        assert_eq!(parsed.errors.len(), 1);
        assert!(parsed.errors[0].to_string().contains("line 4"));
    }
}
