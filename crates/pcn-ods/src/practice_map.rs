//! The practice mapping file of "Patients Registered at a GP Practice": each
//! practice's PCN, Sub-ICB location, ICB and region on the extract date.

use std::io::Read;

use chrono::NaiveDate;
use pcn_core::{OdsCode, Postcode};
use serde::{Deserialize, Serialize};

use crate::age_structure::UNALLOCATED;
use crate::input::each_record;
use crate::list_size::extract_date;
use crate::{Input, OdsError, Parsed, ReadOptions};

/// One row of `gp-reg-pat-prac-map.csv`: where a practice stands on the extract date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeMapRecord {
    /// The line in the file.
    pub line: u64,
    /// The extract date (`EXTRACT_DATE`).
    pub date: NaiveDate,
    /// The practice (`PRACTICE_CODE`).
    pub practice: OdsCode,
    /// Its name (`PRACTICE_NAME`).
    pub practice_name: String,
    /// Its postcode (`PRACTICE_POSTCODE`), where given.
    pub postcode: Option<Postcode>,
    /// Its PCN (`PCN_CODE`), or `None` for a practice in no PCN (published as code
    /// `U`, name `Unallocated`: 52 practices in July 2026).
    pub pcn: Option<OdsCode>,
    /// The PCN's name (`PCN_NAME`), `None` for a practice in no PCN.
    pub pcn_name: Option<String>,
    /// Its Sub-ICB location (`SUB_ICB_LOCATION_CODE`).
    pub sub_icb: OdsCode,
    /// The Sub-ICB location's name (`SUB_ICB_LOCATION_NAME`).
    pub sub_icb_name: String,
    /// Its ICB (`ICB_CODE`).
    pub icb: OdsCode,
    /// The ICB's name (`ICB_NAME`).
    pub icb_name: String,
    /// Its NHS England commissioning region (`COMM_REGION_CODE`).
    pub region: OdsCode,
    /// The region's name (`COMM_REGION_NAME`).
    pub region_name: String,
}

const EXTRACT_DATE: &str = "EXTRACT_DATE";
const PRACTICE_CODE: &str = "PRACTICE_CODE";
const PRACTICE_NAME: &str = "PRACTICE_NAME";
const PRACTICE_POSTCODE: &str = "PRACTICE_POSTCODE";
const PCN_CODE: &str = "PCN_CODE";
const PCN_NAME: &str = "PCN_NAME";
const SUB_ICB: &str = "SUB_ICB_LOCATION_CODE";
const SUB_ICB_NAME: &str = "SUB_ICB_LOCATION_NAME";
const ICB: &str = "ICB_CODE";
const ICB_NAME: &str = "ICB_NAME";
const REGION: &str = "COMM_REGION_CODE";
const REGION_NAME: &str = "COMM_REGION_NAME";

/// Reads the practice mapping file (`gp-reg-pat-prac-map.csv`), matching columns by
/// header name (case ignored, line breaks in a header cell read as spaces):
/// `EXTRACT_DATE`, `PRACTICE_CODE`, `PRACTICE_NAME`, `PRACTICE_POSTCODE`, `PCN_CODE`,
/// `PCN_NAME`, `SUB_ICB_LOCATION_CODE`, `SUB_ICB_LOCATION_NAME`, `ICB_CODE`,
/// `ICB_NAME`, `COMM_REGION_CODE`, `COMM_REGION_NAME`.
///
/// To read the zip as published, open it with [`Input::open_published`] and
/// [`PRACTICE_MAP_MEMBER`](crate::PRACTICE_MAP_MEMBER).
///
/// ```
/// use pcn_ods::{Input, ReadOptions, read_practice_map};
/// let csv = "PUBLICATION,EXTRACT_DATE,PRACTICE_CODE,PRACTICE_NAME,PRACTICE_POSTCODE,PCN_CODE,PCN_NAME,ONS_SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_NAME,ONS_ICB_CODE,ICB_CODE,ICB_NAME,ONS_COMM_REGION_CODE,COMM_REGION_CODE,COMM_REGION_NAME,SUPPLIER_NAME\n\
///            GP_PRAC_PAT_LIST,01Jul2026,A81001,THE DENSHAM SURGERY,TS18 1HU,U89141,STOCKTON PCN,E38000247,16C,NHS North East and North Cumbria ICB - 16C,E54000050,QHM,NHS North East and North Cumbria Integrated Care Board,E40000012,Y63,North East and Yorkshire,TPP\n";
/// let parsed = read_practice_map(Input::new("map.csv", csv.as_bytes()), &ReadOptions::default())?;
/// let row = &parsed.records[0];
/// assert_eq!(row.pcn.unwrap().as_str(), "U89141");
/// assert_eq!((row.sub_icb.as_str(), row.icb.as_str(), row.region.as_str()), ("16C", "QHM", "Y63"));
/// assert_eq!(row.date.to_string(), "2026-07-01");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`OdsError::MissingColumn`] if a column is missing; with
/// [`ErrorMode::FailFast`](crate::ErrorMode::FailFast), the first bad row's error;
/// [`OdsError::Io`] if the file cannot be read.
pub fn read_practice_map<R: Read>(
    input: Input<R>,
    options: &ReadOptions,
) -> Result<Parsed<PracticeMapRecord>, OdsError> {
    let (file, mut reader, header) = input.into_headed()?;
    let date = header.require(&[EXTRACT_DATE])?;
    let practice = header.require(&[PRACTICE_CODE])?;
    let practice_name = header.require(&[PRACTICE_NAME])?;
    let postcode = header.require(&[PRACTICE_POSTCODE])?;
    let pcn = header.require(&[PCN_CODE])?;
    let pcn_name = header.require(&[PCN_NAME])?;
    let sub_icb = header.require(&[SUB_ICB])?;
    let sub_icb_name = header.require(&[SUB_ICB_NAME])?;
    let icb = header.require(&[ICB])?;
    let icb_name = header.require(&[ICB_NAME])?;
    let region = header.require(&[REGION])?;
    let region_name = header.require(&[REGION_NAME])?;
    let mut records = Vec::new();
    let mut errors = Vec::new();
    each_record(&file, &mut reader, options, &mut errors, |row| {
        let text = row.required(date, EXTRACT_DATE)?;
        let day = extract_date(text)
            .ok_or_else(|| row.invalid(EXTRACT_DATE, text, "expected a date such as 01Jul2026"))?;
        let code = row.get(postcode);
        let postcode = if code.is_empty() {
            None
        } else {
            Some(
                Postcode::new(code)
                    .map_err(|e| row.invalid(PRACTICE_POSTCODE, code, e.to_string()))?,
            )
        };
        let pcn_code = row.get(pcn);
        let allocated = !pcn_code.is_empty() && pcn_code != UNALLOCATED;
        let name = row.get(pcn_name);
        records.push(PracticeMapRecord {
            line: row.line,
            date: day,
            practice: row.code(practice, PRACTICE_CODE)?,
            practice_name: row.required(practice_name, PRACTICE_NAME)?.to_owned(),
            postcode,
            pcn: if allocated {
                Some(row.code(pcn, PCN_CODE)?)
            } else {
                None
            },
            pcn_name: (allocated && !name.is_empty()).then(|| name.to_owned()),
            sub_icb: row.code(sub_icb, SUB_ICB)?,
            sub_icb_name: row.get(sub_icb_name).to_owned(),
            icb: row.code(icb, ICB)?,
            icb_name: row.get(icb_name).to_owned(),
            region: row.code(region, REGION)?,
            region_name: row.get(region_name).to_owned(),
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
