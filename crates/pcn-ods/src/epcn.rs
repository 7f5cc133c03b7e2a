//! The ODS ePCN workbook's two sheets: PCN details and core partners, saved as CSV
//! or read from the workbook itself ([`read_epcn_workbook`](crate::read_epcn_workbook)).

use std::io::Read;

use pcn_core::{DateRange, OdsCode};
use serde::{Deserialize, Serialize};

use crate::input::{Header, Records, each_record};
use crate::{Input, OdsError, Parsed, ReadOptions};

/// One row of the "PCN Details" sheet: a Primary Care Network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PcnDetailsRecord {
    /// The line in the file.
    pub line: u64,
    /// The PCN's ODS code (`U` and five digits).
    pub code: OdsCode,
    /// The PCN's name.
    pub name: String,
    /// Its current Sub-ICB location (formerly CCG).
    pub commissioner: Option<OdsCode>,
    /// The dates it is open (half-open; open-ended while open).
    pub open: DateRange,
}

/// One row of the "PCN Core Partner Details" sheet: a practice's membership of a PCN
/// over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorePartnerRecord {
    /// The line in the file.
    pub line: u64,
    /// The member practice's ODS code ("Partner Organisation Code").
    pub practice: OdsCode,
    /// The practice's name as the sheet gives it.
    pub practice_name: String,
    /// The practice's Sub-ICB location.
    pub practice_commissioner: Option<OdsCode>,
    /// The PCN's ODS code.
    pub pcn: OdsCode,
    /// The PCN's Sub-ICB location.
    pub pcn_commissioner: Option<OdsCode>,
    /// The relationship's dates (half-open; open-ended for a current member).
    pub during: DateRange,
}

// Column names as published in the January 2023 workbook.
const PCN_CODE: &str = "PCN Code";
const PCN_NAME: &str = "PCN Name";
const PCN_COMMISSIONER: &str = "Current Sub ICB Loc Code";
const OPEN_DATE: &str = "Open Date";
const CLOSE_DATE: &str = "Close Date";

const PARTNER_CODE: &str = "Partner Organisation Code";
const PARTNER_NAME: &str = "Partner Name";
const PRACTICE_SUB_ICB: &str = "Practice Parent Sub ICB Loc Code";
const PCN_SUB_ICB: &str = "PCN Parent Sub ICB Loc Code";
const START: &str = "Practice to PCN Relationship Start Date";
const END: &str = "Practice to PCN Relationship End Date";

/// Reads the "PCN Details" sheet saved as CSV, matching columns by their published
/// names (`PCN Code`, `PCN Name`, `Current Sub ICB Loc Code`, `Open Date`,
/// `Close Date`; case ignored, runs of white space and line breaks read as one
/// space). Close dates are read as
/// [`ReadOptions::end_dates`] says.
///
/// ```
/// use pcn_ods::{Input, ReadOptions, read_pcn_details};
/// let csv = "PCN Code,PCN Name,Current Sub ICB Loc Code,Sub ICB Location,Open Date,Close Date\n\
///            U00567,PHOENIX @ PANACEA NEL PCN,03H,NHS HUMBER AND NORTH YORKSHIRE ICB - 03H,20191001,20200331\n";
/// let parsed = read_pcn_details(Input::new("pcn-details.csv", csv.as_bytes()), &ReadOptions::default())?;
/// assert_eq!(parsed.records[0].open.to_string(), "[2019-10-01, 2020-04-01)");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`OdsError::MissingColumn`] if a column is missing; with
/// [`ErrorMode::FailFast`](crate::ErrorMode::FailFast), the first bad row's error;
/// [`OdsError::Io`] if the file cannot be read.
pub fn read_pcn_details<R: Read>(
    input: Input<R>,
    options: &ReadOptions,
) -> Result<Parsed<PcnDetailsRecord>, OdsError> {
    let (file, reader, header) = input.into_headed()?;
    pcn_details(file, reader, &header, options)
}

/// The "PCN Details" rows of a table, CSV or sheet.
pub(crate) fn pcn_details<R: Read>(
    file: String,
    mut reader: Records<R>,
    header: &Header,
    options: &ReadOptions,
) -> Result<Parsed<PcnDetailsRecord>, OdsError> {
    let code = header.require(&[PCN_CODE])?;
    let name = header.require(&[PCN_NAME])?;
    let commissioner = header.require(&[PCN_COMMISSIONER])?;
    let open = header.require(&[OPEN_DATE])?;
    let close = header.require(&[CLOSE_DATE])?;
    let mut records = Vec::new();
    let mut errors = Vec::new();
    each_record(&file, &mut reader, options, &mut errors, |row| {
        let line = row.line;
        let opened = row.date(open, OPEN_DATE)?;
        let closed = row.optional_date(close, CLOSE_DATE)?;
        records.push(PcnDetailsRecord {
            line,
            code: row.code(code, PCN_CODE)?,
            name: row.required(name, PCN_NAME)?.to_owned(),
            commissioner: row.optional_code(commissioner, PCN_COMMISSIONER)?,
            open: row.range(opened, closed, close, CLOSE_DATE, options.end_dates)?,
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

/// Reads the "PCN Core Partner Details" sheet saved as CSV, matching columns by their
/// published names, as [`read_pcn_details`] does: the workbook's header cells
/// hold line breaks (`Partner\nOrganisation\nCode`), and a sheet saved to CSV
/// keeps them. The columns are `Partner Organisation Code`, `Partner Name`, `PCN Code`,
/// `Practice to PCN Relationship Start Date`, `Practice to PCN Relationship End
/// Date`, and the two `... Parent Sub ICB Loc Code` columns). End dates are read as
/// [`ReadOptions::end_dates`] says: see [`EndDates`](crate::EndDates) for why the
/// default is inclusive.
///
/// ```
/// use pcn_ods::{EndDates, Input, ReadOptions, read_core_partners};
/// let csv = "Partner Organisation Code,Partner Name,Practice Parent Sub ICB Loc Code,PCN Code,PCN Parent Sub ICB Loc Code,Practice to PCN Relationship Start Date,Practice to PCN Relationship End Date\n\
///            A84002,EXAMPLE SURGERY,00L,U25545,00L,20191001,20220331\n";
/// let parsed = read_core_partners(Input::new("partners.csv", csv.as_bytes()), &ReadOptions::default())?;
/// assert_eq!(parsed.records[0].during.to_string(), "[2019-10-01, 2022-04-01)");
///
/// let exclusive = ReadOptions { end_dates: EndDates::Exclusive, ..ReadOptions::default() };
/// let parsed = read_core_partners(Input::new("partners.csv", csv.as_bytes()), &exclusive)?;
/// assert_eq!(parsed.records[0].during.to_string(), "[2019-10-01, 2022-03-31)");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// As [`read_pcn_details`].
pub fn read_core_partners<R: Read>(
    input: Input<R>,
    options: &ReadOptions,
) -> Result<Parsed<CorePartnerRecord>, OdsError> {
    let (file, reader, header) = input.into_headed()?;
    core_partners(file, reader, &header, options)
}

/// The "PCN Core Partner Details" rows of a table, CSV or sheet.
pub(crate) fn core_partners<R: Read>(
    file: String,
    mut reader: Records<R>,
    header: &Header,
    options: &ReadOptions,
) -> Result<Parsed<CorePartnerRecord>, OdsError> {
    let practice = header.require(&[PARTNER_CODE])?;
    let practice_name = header.require(&[PARTNER_NAME])?;
    let practice_commissioner = header.require(&[PRACTICE_SUB_ICB])?;
    let pcn = header.require(&[PCN_CODE])?;
    let pcn_commissioner = header.require(&[PCN_SUB_ICB])?;
    let start = header.require(&[START])?;
    let end = header.require(&[END])?;
    let mut records = Vec::new();
    let mut errors = Vec::new();
    each_record(&file, &mut reader, options, &mut errors, |row| {
        let line = row.line;
        let from = row.date(start, START)?;
        let until = row.optional_date(end, END)?;
        records.push(CorePartnerRecord {
            line,
            practice: row.code(practice, PARTNER_CODE)?,
            practice_name: row.required(practice_name, PARTNER_NAME)?.to_owned(),
            practice_commissioner: row.optional_code(practice_commissioner, PRACTICE_SUB_ICB)?,
            pcn: row.code(pcn, PCN_CODE)?,
            pcn_commissioner: row.optional_code(pcn_commissioner, PCN_SUB_ICB)?,
            during: row.range(from, until, end, END, options.end_dates)?,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EndDates;

    const PARTNERS: &str = "Partner Organisation Code,Partner Name,Practice Parent Sub ICB Loc Code,Practice Parent Sub ICB Loc Name,PCN Code,PCN Name,PCN Parent Sub ICB Loc Code,PCN Parent Sub ICB Loc Name,Practice to PCN Relationship Start Date,Practice to PCN Relationship End Date,Practice Sub ICB Loc and PCN Sub ICB Loc Match \n\
M85153,WEATHER OAK MEDICAL CENTRE,15E,NHS BIRMINGHAM AND SOLIHULL ICB - 15E,U22471,X PCN,15E,NHS BIRMINGHAM AND SOLIHULL ICB - 15E,20191001,20220531,True\n\
M85153,WEATHER OAK MEDICAL CENTRE,15E,NHS BIRMINGHAM AND SOLIHULL ICB - 15E,U54948,Y PCN,15E,NHS BIRMINGHAM AND SOLIHULL ICB - 15E,20220601,20220601,True\n\
M85153,WEATHER OAK MEDICAL CENTRE,15E,NHS BIRMINGHAM AND SOLIHULL ICB - 15E,U22471,X PCN,15E,NHS BIRMINGHAM AND SOLIHULL ICB - 15E,20220602,,True\n";

    #[test]
    fn a_one_day_relationship_is_read_inclusively() {
        let parsed = read_core_partners(
            Input::new("partners.csv", PARTNERS.as_bytes()),
            &ReadOptions::default(),
        )
        .unwrap();
        let ranges: Vec<String> = parsed
            .records
            .iter()
            .map(|r| r.during.to_string())
            .collect();
        assert_eq!(
            ranges,
            [
                "[2019-10-01, 2022-06-01)",
                "[2022-06-01, 2022-06-02)",
                "[2022-06-02, ..)"
            ]
        );
        assert_eq!(parsed.records[1].line, 3);
    }

    #[test]
    fn read_exclusively_the_same_day_relationship_is_an_error_naming_its_cell() {
        let options = ReadOptions {
            end_dates: EndDates::Exclusive,
            ..ReadOptions::collecting()
        };
        let parsed =
            read_core_partners(Input::new("partners.csv", PARTNERS.as_bytes()), &options).unwrap();
        assert_eq!(parsed.records.len(), 2);
        assert_eq!(
            parsed.errors[0].to_string(),
            "partners.csv, line 3, column Practice to PCN Relationship End Date: read as exclusive, the end date leaves no day after the start date 2022-06-01 (found \"20220601\")"
        );
    }

    #[test]
    fn a_missing_column_is_named() {
        let err = read_pcn_details(
            Input::new("details.csv", "PCN Code,Name\nU00001,X\n".as_bytes()),
            &ReadOptions::default(),
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("details.csv: no column named \"PCN Name\""),
            "{err}"
        );
    }
}
