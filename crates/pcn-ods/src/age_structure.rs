//! "Patients Registered at a GP Practice" by five-year age band and sex
//! (`gp-reg-pat-prac-quin-age`), and the age and sex structure of each practice, PCN,
//! Sub-ICB location, ICB and region.

use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::str::FromStr;

use chrono::NaiveDate;
use pcn_core::{OdsCode, Postcode};
use serde::{Deserialize, Serialize};

use crate::input::{Header, Row, each_record};
use crate::list_size::extract_date;
use crate::{Input, OdsError, Parsed, ReadOptions};

/// The number of five-year bands: 0-4, 5-9, ... 90-94 and 95+.
pub const BANDS: usize = 20;

/// The kind of organisation a row of the list-size files is about (`ORG_TYPE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum OrgType {
    /// An NHS England commissioning region (`Comm Region`; seven, `Y56` to `Y63`).
    CommRegion,
    /// An Integrated Care Board (`ICB`).
    Icb,
    /// A Sub-ICB location, formerly a CCG (`SUB_ICB_LOCATION_CODE`).
    SubIcbLocation,
    /// A Primary Care Network (`PCN`).
    Pcn,
    /// A GP practice (`GP`).
    Practice,
    /// A Clinical Commissioning Group (`CCG`, editions before July 2022).
    Ccg,
    /// A Sustainability and Transformation Partnership (`STP`, editions before July
    /// 2022).
    Stp,
}

impl OrgType {
    /// The `ORG_TYPE` value as the July 2026 edition publishes it.
    #[must_use]
    pub const fn published(self) -> &'static str {
        match self {
            Self::CommRegion => "Comm Region",
            Self::Icb => "ICB",
            Self::SubIcbLocation => "SUB_ICB_LOCATION_CODE",
            Self::Pcn => "PCN",
            Self::Practice => "GP",
            Self::Ccg => "CCG",
            Self::Stp => "STP",
        }
    }
}

impl fmt::Display for OrgType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::CommRegion => "region",
            Self::Icb => "ICB",
            Self::SubIcbLocation => "Sub-ICB location",
            Self::Pcn => "PCN",
            Self::Practice => "practice",
            Self::Ccg => "CCG",
            Self::Stp => "STP",
        })
    }
}

impl FromStr for OrgType {
    type Err = String;

    /// Reads an `ORG_TYPE` value, case ignored, spaces and underscores alike.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let key: String = text
            .trim()
            .chars()
            .map(|c| {
                if c == ' ' {
                    '_'
                } else {
                    c.to_ascii_uppercase()
                }
            })
            .collect();
        Ok(match key.as_str() {
            "COMM_REGION" | "REGION" => Self::CommRegion,
            "ICB" => Self::Icb,
            "SUB_ICB_LOCATION_CODE" | "SUB_ICB_LOCATION" | "SUB_ICB" => Self::SubIcbLocation,
            "PCN" => Self::Pcn,
            "GP" => Self::Practice,
            "CCG" => Self::Ccg,
            "STP" => Self::Stp,
            _ => {
                return Err(
                    "expected an organisation type: Comm Region, ICB, SUB_ICB_LOCATION_CODE, PCN, GP, CCG or STP"
                        .to_owned(),
                );
            }
        })
    }
}

/// Sex as the list-size files record it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// `FEMALE`.
    Female,
    /// `MALE`.
    Male,
}

/// A five-year age band of the list-size files: 0-4, 5-9, ... 90-94, and 95 and
/// over. Published as `0_4` ... `90_94`, `95+`; displayed as `0-4`, `95+`.
///
/// ```
/// use pcn_ods::AgeBand;
/// let band = AgeBand::containing(67);
/// assert_eq!(band.to_string(), "65-69");
/// assert_eq!((band.lower(), band.upper()), (65, Some(69)));
/// assert_eq!(AgeBand::containing(101).to_string(), "95+");
/// assert_eq!("95+".parse::<AgeBand>()?, AgeBand::containing(95));
/// assert_eq!("5_9".parse::<AgeBand>()?.index(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AgeBand(u8);

impl AgeBand {
    /// The band holding `age` in completed years.
    #[must_use]
    pub const fn containing(age: u8) -> Self {
        // 95 and over share the last band (index 19).
        let index = age / 5;
        Self(if index > 19 { 19 } else { index })
    }

    /// The band of position `index` (0 for 0-4 to 19 for 95+), if there is one.
    #[must_use]
    pub const fn from_index(index: usize) -> Option<Self> {
        if index < BANDS {
            // Below 20, so the cast is exact.
            #[allow(clippy::cast_possible_truncation)]
            Some(Self(index as u8))
        } else {
            None
        }
    }

    /// Every band, youngest first.
    pub fn all() -> impl Iterator<Item = Self> {
        (0..BANDS).filter_map(Self::from_index)
    }

    /// The band's position, 0 for 0-4 to 19 for 95+.
    #[must_use]
    pub const fn index(self) -> usize {
        self.0 as usize
    }

    /// The youngest age in the band.
    #[must_use]
    pub const fn lower(self) -> u8 {
        self.0 * 5
    }

    /// The oldest age in the band, or `None` for 95+.
    #[must_use]
    pub const fn upper(self) -> Option<u8> {
        if self.0 as usize == BANDS - 1 {
            None
        } else {
            Some(self.0 * 5 + 4)
        }
    }
}

impl fmt::Display for AgeBand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.upper() {
            Some(upper) => write!(f, "{}-{upper}", self.lower()),
            None => write!(f, "{}+", self.lower()),
        }
    }
}

impl FromStr for AgeBand {
    type Err = String;

    /// Reads `0_4`, `0-4` or `95+`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let bad = || "expected an age band such as 0_4, 90_94 or 95+".to_owned();
        let band = if let Some(lower) = text.strip_suffix('+') {
            let lower: u8 = lower.parse().map_err(|_| bad())?;
            (lower == 95).then(|| Self::containing(95))
        } else {
            let (lower, upper) = text.split_once(['_', '-']).ok_or_else(bad)?;
            let lower: u8 = lower.parse().map_err(|_| bad())?;
            let upper: u8 = upper.parse().map_err(|_| bad())?;
            let band = Self::containing(lower);
            (lower.is_multiple_of(5) && band.lower() == lower && band.upper() == Some(upper))
                .then_some(band)
        };
        band.ok_or_else(bad)
    }
}

impl TryFrom<String> for AgeBand {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<AgeBand> for String {
    fn from(band: AgeBand) -> Self {
        band.to_string()
    }
}

/// An Office for National Statistics geography code (GSS code): a letter and eight
/// digits, such as `E38000247` for a Sub-ICB location or `E40000003` for a region.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OnsCode([u8; 9]);

impl OnsCode {
    /// The code as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        // Only ASCII is ever stored.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl FromStr for OnsCode {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bytes = text.trim().as_bytes();
        match bytes {
            [letter, digits @ ..]
                if bytes.len() == 9
                    && letter.is_ascii_uppercase()
                    && digits.iter().all(u8::is_ascii_digit) =>
            {
                let mut code = [0; 9];
                code.copy_from_slice(bytes);
                Ok(Self(code))
            }
            _ => Err("expected an ONS code: a capital letter and eight digits".to_owned()),
        }
    }
}

impl TryFrom<String> for OnsCode {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<OnsCode> for String {
    fn from(code: OnsCode) -> Self {
        code.as_str().to_owned()
    }
}

impl fmt::Display for OnsCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for OnsCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OnsCode({})", self.as_str())
    }
}

/// One row of the quinary-age file: the patients of one organisation, sex and age
/// band on the extract date. `sex` and `band` are `None` on the published `ALL` rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuinaryAgeRecord {
    /// The line in the file.
    pub line: u64,
    /// The extract date (the lists as at this day).
    pub date: NaiveDate,
    /// The kind of organisation (`ORG_TYPE`).
    pub org_type: OrgType,
    /// Its ODS code (`ORG_CODE`), or `None` for the PCN row of code `U`: the
    /// practices in no PCN ("Unallocated" in the mapping file; 52 practices in July 2026).
    pub org: Option<OdsCode>,
    /// Its ONS code (`ONS_CODE`), where published (practices have none).
    pub ons_code: Option<OnsCode>,
    /// Its postcode (`POSTCODE`), published for practices only.
    pub postcode: Option<Postcode>,
    /// The sex (`SEX`), `None` for `ALL`.
    pub sex: Option<Sex>,
    /// The age band (`AGE_GROUP_5`), `None` for `ALL`.
    pub band: Option<AgeBand>,
    /// The number of patients (`NUMBER_OF_PATIENTS`).
    pub patients: u32,
}

const EXTRACT_DATE: &str = "EXTRACT_DATE";
const ORG_TYPE: &str = "ORG_TYPE";
const ORG_CODE: &str = "ORG_CODE";
const ONS_CODE: &str = "ONS_CODE";
const POSTCODE: &str = "POSTCODE";
const SEX: &str = "SEX";
const AGE_GROUP_5: &str = "AGE_GROUP_5";
const PATIENTS: &str = "NUMBER_OF_PATIENTS";
/// The `ORG_CODE` (and `PCN_CODE` in the mapping file) of practices in no PCN.
pub(crate) const UNALLOCATED: &str = "U";

/// Caches the last text parsed in a column that repeats (dates, types, bands).
struct Last<T> {
    text: String,
    value: T,
}

fn cached<T: Copy>(
    cache: &mut Option<Last<T>>,
    text: &str,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Result<T, String> {
    if let Some(last) = cache.as_ref().filter(|l| l.text == text) {
        return Ok(last.value);
    }
    let value = parse(text)?;
    *cache = Some(Last {
        text: text.to_owned(),
        value,
    });
    Ok(value)
}

/// The columns both list-by-age files share.
struct Columns {
    date: usize,
    org_type: usize,
    org: usize,
    ons: Option<usize>,
    postcode: Option<usize>,
    sex: usize,
}

/// What those columns say of a row.
struct Common {
    date: NaiveDate,
    org_type: OrgType,
    org: Option<OdsCode>,
    ons_code: Option<OnsCode>,
    postcode: Option<Postcode>,
    sex: Option<Sex>,
}

/// The last date and type parsed: every row repeats them.
#[derive(Default)]
struct Caches {
    dates: Option<Last<NaiveDate>>,
    types: Option<Last<OrgType>>,
}

impl Columns {
    fn find(header: &Header) -> Result<Self, OdsError> {
        Ok(Self {
            date: header.require(&[EXTRACT_DATE])?,
            org_type: header.require(&[ORG_TYPE, "TYPE"])?,
            org: header.require(&[ORG_CODE, "CODE"])?,
            ons: header.find(&[ONS_CODE]),
            postcode: header.find(&[POSTCODE]),
            sex: header.require(&[SEX])?,
        })
    }

    fn read(&self, row: &Row<'_>, caches: &mut Caches) -> Result<Common, OdsError> {
        let (date, org_type, org, ons, postcode, sex) = (
            self.date,
            self.org_type,
            self.org,
            self.ons,
            self.postcode,
            self.sex,
        );
        let dates = &mut caches.dates;
        let types = &mut caches.types;
        let text = row.required(date, EXTRACT_DATE)?;
        let day = cached(dates, text, |t| {
            extract_date(t)
                .ok_or_else(|| "expected a date such as 2026-07-01 or 01JUL2026".to_owned())
        })
        .map_err(|reason| row.invalid(EXTRACT_DATE, text, reason))?;
        let text = row.required(org_type, ORG_TYPE)?;
        let kind = cached(types, text, str::parse)
            .map_err(|reason| row.invalid(ORG_TYPE, text, reason))?;
        let code = if kind == OrgType::Pcn && row.get(org) == UNALLOCATED {
            None
        } else {
            Some(row.code(org, ORG_CODE)?)
        };
        let ons_code = match ons.map(|i| row.get(i)).filter(|t| !t.is_empty()) {
            Some(text) => Some(
                text.parse()
                    .map_err(|reason: String| row.invalid(ONS_CODE, text, reason))?,
            ),
            None => None,
        };
        let postcode = match postcode.map(|i| row.get(i)).filter(|t| !t.is_empty()) {
            Some(text) => {
                Some(Postcode::new(text).map_err(|e| row.invalid(POSTCODE, text, e.to_string()))?)
            }
            None => None,
        };
        let text = row.required(sex, SEX)?;
        let sex = if text.eq_ignore_ascii_case("ALL") {
            None
        } else if text.eq_ignore_ascii_case("FEMALE") {
            Some(Sex::Female)
        } else if text.eq_ignore_ascii_case("MALE") {
            Some(Sex::Male)
        } else {
            return Err(row.invalid(SEX, text, "expected FEMALE, MALE or ALL"));
        };
        Ok(Common {
            date: day,
            org_type: kind,
            org: code,
            ons_code,
            postcode,
            sex,
        })
    }
}

fn patients(row: &Row<'_>, index: usize) -> Result<u32, OdsError> {
    let text = row.required(index, PATIENTS)?;
    text.parse::<u32>()
        .map_err(|_| row.invalid(PATIENTS, text, "expected a whole number of patients"))
}

/// Reads the quinary-age file ("Patients Registered at a GP Practice", by five-year
/// age band and sex), matching columns by header name: `EXTRACT_DATE`, `ORG_TYPE`,
/// `ORG_CODE`, `ONS_CODE`, `POSTCODE`, `SEX`, `AGE_GROUP_5`, `NUMBER_OF_PATIENTS`
/// (case ignored, line breaks in a header cell read as spaces; `ONS_CODE` and
/// `POSTCODE` may be missing). Every row is kept, `ALL` rows included.
///
/// To read the zip as published, open it with [`Input::open_published`] and
/// [`QUINARY_AGE_MEMBER`](crate::QUINARY_AGE_MEMBER).
///
/// ```
/// use pcn_ods::{AgeBand, Input, OrgType, ReadOptions, Sex, read_quinary_age};
/// let csv = "PUBLICATION,EXTRACT_DATE,ORG_TYPE,ORG_CODE,ONS_CODE,POSTCODE,SEX,AGE_GROUP_5,NUMBER_OF_PATIENTS\n\
///            GP_PRAC_PAT_LIST,2026-07-01,PCN,U02795,,,FEMALE,65_69,1410\n";
/// let parsed = read_quinary_age(Input::new("quin-age.csv", csv.as_bytes()), &ReadOptions::default())?;
/// let row = &parsed.records[0];
/// assert_eq!((row.org_type, row.org), (OrgType::Pcn, Some("U02795".parse()?)));
/// assert_eq!((row.sex, row.band), (Some(Sex::Female), Some(AgeBand::containing(65))));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`OdsError::MissingColumn`] if a needed column is missing; with
/// [`ErrorMode::FailFast`](crate::ErrorMode::FailFast), the first bad row's error;
/// [`OdsError::Io`] if the file cannot be read.
pub fn read_quinary_age<R: Read>(
    input: Input<R>,
    options: &ReadOptions,
) -> Result<Parsed<QuinaryAgeRecord>, OdsError> {
    let (file, mut reader, header) = input.into_headed()?;
    let columns = Columns::find(&header)?;
    let band = header.require(&[AGE_GROUP_5, "AGE_GROUP"])?;
    let count = header.require(&[PATIENTS])?;
    let mut records = Vec::new();
    let mut errors = Vec::new();
    let mut caches = Caches::default();
    let mut bands = None;
    each_record(&file, &mut reader, options, &mut errors, |row| {
        let common = columns.read(row, &mut caches)?;
        let text = row.required(band, AGE_GROUP_5)?;
        let band = if text.eq_ignore_ascii_case("ALL") {
            None
        } else {
            Some(
                cached(&mut bands, text, str::parse)
                    .map_err(|reason| row.invalid(AGE_GROUP_5, text, reason))?,
            )
        };
        records.push(QuinaryAgeRecord {
            line: row.line,
            date: common.date,
            org_type: common.org_type,
            org: common.org,
            ons_code: common.ons_code,
            postcode: common.postcode,
            sex: common.sex,
            band,
            patients: patients(row, count)?,
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

/// The number of single-year ages of the single-age files: 0 to 94, and 95 and over.
pub const SINGLE_AGES: usize = 96;

/// One row of a single-year-of-age list file ("Patients Registered at a GP
/// Practice", `gp-reg-pat-prac-sing-age`): the patients of one organisation, sex and
/// age on the extract date. `sex` and `age` are `None` on the published `ALL` rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SingleAgeRecord {
    /// The line in the file.
    pub line: u64,
    /// The extract date.
    pub date: NaiveDate,
    /// The kind of organisation (`ORG_TYPE`).
    pub org_type: OrgType,
    /// Its ODS code (`ORG_CODE`); `None` for the PCN row `U` of practices in no PCN.
    pub org: Option<OdsCode>,
    /// Its ONS code (`ONS_CODE`), where the edition has the column.
    pub ons_code: Option<OnsCode>,
    /// Its postcode (`POSTCODE`), where the edition has the column.
    pub postcode: Option<Postcode>,
    /// The sex (`SEX`), `None` for `ALL`.
    pub sex: Option<Sex>,
    /// The age in completed years (`AGE`), 95 standing for `95+`; `None` for `ALL`.
    pub age: Option<u8>,
    /// The number of patients (`NUMBER_OF_PATIENTS`).
    pub patients: u32,
}

const AGE: &str = "AGE";

/// Reads a single-year-of-age list file (`EXTRACT_DATE`, `ORG_TYPE`, `ORG_CODE`,
/// `SEX`, `AGE` of `0` to `94`, `95+` or `ALL`, `NUMBER_OF_PATIENTS`, and where the
/// edition has them `ONS_CODE` and `POSTCODE`; matched by header name as in
/// [`read_quinary_age`]). `ORG_TYPE` is `CCG` before July 2022 and
/// `SUB_ICB_LOCATION` after.
///
/// ```
/// use pcn_ods::{Input, ReadOptions, Sex, read_single_age};
/// let csv = "PUBLICATION,EXTRACT_DATE,ORG_TYPE,ORG_CODE,SEX,AGE,NUMBER_OF_PATIENTS\n\
///            GP_PRAC_PAT_LIST,01FEB2023,GP,A81001,MALE,95+,3\n\
///            GP_PRAC_PAT_LIST,01FEB2023,GP,A81001,FEMALE,42,30\n";
/// let parsed = read_single_age(Input::new("sing-age.csv", csv.as_bytes()), &ReadOptions::default())?;
/// assert_eq!((parsed.records[0].sex, parsed.records[0].age), (Some(Sex::Male), Some(95)));
/// assert_eq!(parsed.records[1].age, Some(42));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// As [`read_quinary_age`].
pub fn read_single_age<R: Read>(
    input: Input<R>,
    options: &ReadOptions,
) -> Result<Parsed<SingleAgeRecord>, OdsError> {
    let (file, mut reader, header) = input.into_headed()?;
    let columns = Columns::find(&header)?;
    let age = header.require(&[AGE])?;
    let count = header.require(&[PATIENTS])?;
    let mut records = Vec::new();
    let mut errors = Vec::new();
    let mut caches = Caches::default();
    each_record(&file, &mut reader, options, &mut errors, |row| {
        let common = columns.read(row, &mut caches)?;
        let text = row.required(age, AGE)?;
        let age =
            if text.eq_ignore_ascii_case("ALL") {
                None
            } else if text == "95+" {
                Some(95)
            } else {
                Some(text.parse::<u8>().ok().filter(|a| *a < 95).ok_or_else(|| {
                    row.invalid(AGE, text, "expected an age of 0 to 94, 95+ or ALL")
                })?)
            };
        records.push(SingleAgeRecord {
            line: row.line,
            date: common.date,
            org_type: common.org_type,
            org: common.org,
            ons_code: common.ons_code,
            postcode: common.postcode,
            sex: common.sex,
            age,
            patients: patients(row, count)?,
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

/// The registered patients of one organisation by sex and five-year age band, on
/// the extract date.
///
/// Built only from a whole set of rows: both sexes in all 20 bands, and the
/// published totals (`ALL` rows) equal to the sums of the bands, so that the
/// totals given here are the published ones. (In the July 2026 file every one of
/// the 7,587 organisations passes; patients of other or unknown sex do not appear.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgeSexStructure {
    /// The extract date.
    pub date: NaiveDate,
    /// Female patients in each band, 0-4 first.
    pub female: [u32; BANDS],
    /// Male patients in each band, 0-4 first.
    pub male: [u32; BANDS],
}

impl AgeSexStructure {
    /// The patients of one sex in one band.
    #[must_use]
    pub const fn patients(&self, sex: Sex, band: AgeBand) -> u32 {
        match sex {
            Sex::Female => self.female[band.index()],
            Sex::Male => self.male[band.index()],
        }
    }

    /// Both sexes in one band.
    #[must_use]
    pub fn band(&self, band: AgeBand) -> u64 {
        u64::from(self.female[band.index()]) + u64::from(self.male[band.index()])
    }

    /// The patients of one sex, all ages.
    #[must_use]
    pub fn sex_total(&self, sex: Sex) -> u64 {
        let bands = match sex {
            Sex::Female => &self.female,
            Sex::Male => &self.male,
        };
        bands.iter().map(|&n| u64::from(n)).sum()
    }

    /// Every patient.
    #[must_use]
    pub fn total(&self) -> u64 {
        self.sex_total(Sex::Female) + self.sex_total(Sex::Male)
    }

    /// Both sexes from `band` up (`aged_from(AgeBand::containing(65))` is 65 and
    /// over).
    #[must_use]
    pub fn aged_from(&self, band: AgeBand) -> u64 {
        AgeBand::all()
            .filter(|b| *b >= band)
            .map(|b| self.band(b))
            .sum()
    }

    /// The sum of two structures on the same date, or `None` if the dates differ or
    /// a count would pass `u32::MAX`.
    #[must_use]
    pub fn checked_add(&self, other: &Self) -> Option<Self> {
        if self.date != other.date {
            return None;
        }
        let mut sum = *self;
        for i in 0..BANDS {
            sum.female[i] = sum.female[i].checked_add(other.female[i])?;
            sum.male[i] = sum.male[i].checked_add(other.male[i])?;
        }
        Some(sum)
    }
}

/// One organisation's structure, with what the file says of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationStructure {
    /// The kind of organisation.
    pub org_type: OrgType,
    /// Its ODS code; `None` for the practices in no PCN (the PCN row `U`).
    pub org: Option<OdsCode>,
    /// Its ONS code, where published.
    pub ons_code: Option<OnsCode>,
    /// Its postcode (practices).
    pub postcode: Option<Postcode>,
    /// The line of its first row.
    pub line: u64,
    /// Its patients by sex and age band.
    pub structure: AgeSexStructure,
}

/// Every organisation's age and sex structure from one quinary-age file: the
/// practices, PCNs, Sub-ICB locations, ICBs and regions of one extract date.
///
/// ```
/// use pcn_ods::{AgeBand, AgeSexLists, Input, OrgType, Sex};
/// let mut csv = String::from("EXTRACT_DATE,ORG_TYPE,ORG_CODE,SEX,AGE_GROUP_5,NUMBER_OF_PATIENTS\n");
/// for sex in ["FEMALE", "MALE"] {
///     for band in AgeBand::all() {
///         let published = band.to_string().replace('-', "_");
///         csv.push_str(&format!("2026-07-01,PCN,U02795,{sex},{published},10\n"));
///     }
///     csv.push_str(&format!("2026-07-01,PCN,U02795,{sex},ALL,200\n"));
/// }
/// csv.push_str("2026-07-01,PCN,U02795,ALL,ALL,400\n");
///
/// let lists = AgeSexLists::read(Input::new("quin-age.csv", csv.as_bytes()))?;
/// let pcn = lists.pcn(&"U02795".parse()?).unwrap();
/// assert_eq!(pcn.total(), 400);
/// assert_eq!(pcn.aged_from(AgeBand::containing(65)), 140);
/// assert_eq!(pcn.patients(Sex::Male, AgeBand::containing(3)), 10);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Serialize)]
pub struct AgeSexLists {
    file: String,
    date: Option<NaiveDate>,
    organisations: Vec<OrganisationStructure>,
    #[serde(skip)]
    index: HashMap<(OrgType, Option<OdsCode>), usize>,
}

/// How errors name an organisation: `PCN U02795`, `PCN U (no PCN)`.
fn describe(org_type: OrgType, org: Option<OdsCode>) -> String {
    match org {
        Some(code) => format!("{org_type} {code}"),
        None => format!("{org_type} {UNALLOCATED} (practices in no PCN)"),
    }
}

/// A row as gathered: which organisation, which sex and slot (band or year of
/// age, `None` for `ALL`), how many.
#[derive(Clone, Copy)]
struct Cell {
    line: u64,
    date: NaiveDate,
    org_type: OrgType,
    org: Option<OdsCode>,
    ons_code: Option<OnsCode>,
    postcode: Option<Postcode>,
    sex: Option<Sex>,
    slot: Option<usize>,
    patients: u32,
}

/// How the slots of a file are named and fall into bands.
struct Slots {
    /// What a slot is called in errors (`band`, `age`).
    what: &'static str,
    /// A slot's published name.
    label: fn(usize) -> String,
    /// The five-year band of a slot.
    band: fn(usize) -> usize,
}

const QUINARY: Slots = Slots {
    what: "band",
    label: |i| {
        AgeBand::from_index(i)
            .map(|b| b.to_string())
            .unwrap_or_default()
    },
    band: |i| i,
};

/// The rows of one organisation gathered so far, `N` slots for each sex.
struct Gathering<const N: usize> {
    first: Cell,
    female: [Option<u32>; N],
    male: [Option<u32>; N],
    female_all: Option<u32>,
    male_all: Option<u32>,
    all: Option<u32>,
}

/// Gathers each organisation's rows, refusing any set that is not whole.
fn gather<const N: usize>(
    file: &str,
    cells: impl Iterator<Item = Cell>,
    slots: &Slots,
) -> Result<AgeSexLists, OdsError> {
    let mut gathering: Vec<Gathering<N>> = Vec::new();
    let mut index: HashMap<(OrgType, Option<OdsCode>), usize> = HashMap::new();
    let mut date = None;
    for cell in cells {
        let error = |reason: String| OdsError::Structure {
            file: file.to_owned(),
            line: cell.line,
            organisation: describe(cell.org_type, cell.org),
            reason,
        };
        match date {
            None => date = Some(cell.date),
            Some(d) if d != cell.date => {
                return Err(error(format!(
                    "the file holds more than one extract date ({d} and {}); read one date at a time",
                    cell.date
                )));
            }
            Some(_) => {}
        }
        let at = *index.entry((cell.org_type, cell.org)).or_insert_with(|| {
            gathering.push(Gathering {
                first: cell,
                female: [None; N],
                male: [None; N],
                female_all: None,
                male_all: None,
                all: None,
            });
            gathering.len() - 1
        });
        let org = &mut gathering[at];
        let slot = match (cell.sex, cell.slot) {
            (Some(Sex::Female), Some(i)) => org.female.get_mut(i),
            (Some(Sex::Male), Some(i)) => org.male.get_mut(i),
            (Some(Sex::Female), None) => Some(&mut org.female_all),
            (Some(Sex::Male), None) => Some(&mut org.male_all),
            (None, None) => Some(&mut org.all),
            (None, Some(i)) => {
                // Both sexes in one band or year: not published in July 2026, and
                // not needed, so refused rather than checked.
                return Err(error(format!(
                    "a row for both sexes at {} {} is not read; expected FEMALE or MALE rows",
                    slots.what,
                    (slots.label)(i)
                )));
            }
        };
        let Some(slot) = slot else {
            return Err(error(format!("no such {}", slots.what)));
        };
        if slot.is_some() {
            return Err(error(format!(
                "the row for {} {} appears twice",
                cell.sex.map_or("ALL", |s| match s {
                    Sex::Female => "FEMALE",
                    Sex::Male => "MALE",
                }),
                cell.slot.map_or_else(|| "ALL".to_owned(), slots.label)
            )));
        }
        *slot = Some(cell.patients);
    }
    let mut organisations = Vec::with_capacity(gathering.len());
    for org in gathering {
        organisations.push(org.finish(file, slots)?);
    }
    Ok(AgeSexLists {
        file: file.to_owned(),
        date,
        organisations,
        index,
    })
}

impl AgeSexLists {
    /// Reads a quinary-age file, stopping at the first bad row, and gathers each
    /// organisation's structure.
    ///
    /// # Errors
    /// As [`read_quinary_age`] and [`AgeSexLists::from_records`].
    pub fn read<R: Read>(input: Input<R>) -> Result<Self, OdsError> {
        let parsed = read_quinary_age(input, &ReadOptions::default())?;
        Self::from_records(&parsed.file, &parsed.records)
    }

    /// Gathers each organisation's structure from the rows of a file named `file`.
    ///
    /// # Errors
    /// [`OdsError::Structure`] if the rows hold more than one extract date, if a row
    /// of an organisation appears twice, or if an organisation lacks a band or an
    /// `ALL` row or its totals disagree with its bands: no structure is returned
    /// unless every one is whole.
    pub fn from_records(file: &str, records: &[QuinaryAgeRecord]) -> Result<Self, OdsError> {
        let cells = records.iter().map(|r| Cell {
            line: r.line,
            date: r.date,
            org_type: r.org_type,
            org: r.org,
            ons_code: r.ons_code,
            postcode: r.postcode,
            sex: r.sex,
            slot: r.band.map(AgeBand::index),
            patients: r.patients,
        });
        gather::<BANDS>(file, cells, &QUINARY)
    }

    /// Gathers each organisation's structure from the rows of a single-year-of-age
    /// file, summing the years into five-year bands (95+ into the last), with the
    /// same checks as [`AgeSexLists::from_records`]: every year from 0 to 95+ for
    /// both sexes, and the published totals equal to the sums.
    ///
    /// # Errors
    /// As [`AgeSexLists::from_records`].
    pub fn from_single_age(file: &str, records: &[SingleAgeRecord]) -> Result<Self, OdsError> {
        const SINGLE: Slots = Slots {
            what: "age",
            label: |i| {
                if i >= 95 {
                    "95+".to_owned()
                } else {
                    i.to_string()
                }
            },
            band: |i| (i / 5).min(BANDS - 1),
        };
        let cells = records.iter().map(|r| Cell {
            line: r.line,
            date: r.date,
            org_type: r.org_type,
            org: r.org,
            ons_code: r.ons_code,
            postcode: r.postcode,
            sex: r.sex,
            slot: r.age.map(usize::from),
            patients: r.patients,
        });
        gather::<SINGLE_AGES>(file, cells, &SINGLE)
    }

    /// The file the lists came from.
    #[must_use]
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The extract date, or `None` for a file without rows.
    #[must_use]
    pub const fn date(&self) -> Option<NaiveDate> {
        self.date
    }

    /// Every organisation, in file order.
    #[must_use]
    pub fn organisations(&self) -> &[OrganisationStructure] {
        &self.organisations
    }

    /// One organisation's entry.
    #[must_use]
    pub fn organisation(
        &self,
        org_type: OrgType,
        code: &OdsCode,
    ) -> Option<&OrganisationStructure> {
        self.index
            .get(&(org_type, Some(*code)))
            .and_then(|&i| self.organisations.get(i))
    }

    /// The practices in no PCN, together (the PCN row of code `U`), if published.
    #[must_use]
    pub fn unallocated(&self) -> Option<&AgeSexStructure> {
        self.index
            .get(&(OrgType::Pcn, None))
            .and_then(|&i| self.organisations.get(i))
            .map(|o| &o.structure)
    }

    /// A practice's structure.
    #[must_use]
    pub fn practice(&self, code: &OdsCode) -> Option<&AgeSexStructure> {
        self.organisation(OrgType::Practice, code)
            .map(|o| &o.structure)
    }

    /// A PCN's structure, as published (the sum over its practices).
    #[must_use]
    pub fn pcn(&self, code: &OdsCode) -> Option<&AgeSexStructure> {
        self.organisation(OrgType::Pcn, code).map(|o| &o.structure)
    }

    /// The organisations of one kind.
    pub fn of_type(&self, org_type: OrgType) -> impl Iterator<Item = &OrganisationStructure> {
        self.organisations
            .iter()
            .filter(move |o| o.org_type == org_type)
    }

    /// England's structure: the sum of the commissioning regions, or `None` if the
    /// file holds no region rows (an extract) or a count would overflow.
    #[must_use]
    pub fn england(&self) -> Option<AgeSexStructure> {
        let mut regions = self.of_type(OrgType::CommRegion).map(|o| o.structure);
        let first = regions.next()?;
        regions.try_fold(first, |sum, next| sum.checked_add(&next))
    }

    /// The sum of the structures of some practices (a PCN as it stood on another
    /// date, a group of one's choosing), or `None` if one is not in the file or the
    /// list is empty.
    #[must_use]
    pub fn practices_sum<'a>(
        &self,
        codes: impl IntoIterator<Item = &'a OdsCode>,
    ) -> Option<AgeSexStructure> {
        let mut structures = codes.into_iter().map(|c| self.practice(c).copied());
        let first = structures.next()??;
        structures.try_fold(first, |sum, next| sum.checked_add(&next?))
    }
}

impl<const N: usize> Gathering<N> {
    fn finish(self, file: &str, slots: &Slots) -> Result<OrganisationStructure, OdsError> {
        let first = self.first;
        let error = |reason: String| OdsError::Structure {
            file: file.to_owned(),
            line: first.line,
            organisation: describe(first.org_type, first.org),
            reason,
        };
        let bands = |values: [Option<u32>; N], sex: &str| {
            let mut out = [0u64; BANDS];
            for (i, value) in values.iter().enumerate() {
                let value = value.ok_or_else(|| {
                    error(format!(
                        "no {sex} row for {} {}",
                        slots.what,
                        (slots.label)(i)
                    ))
                })?;
                if let Some(band) = out.get_mut((slots.band)(i)) {
                    *band += u64::from(value);
                }
            }
            let mut narrow = [0u32; BANDS];
            for (slot, wide) in narrow.iter_mut().zip(out) {
                *slot = u32::try_from(wide)
                    .map_err(|_| error(format!("{wide} {sex} patients in one band is too many")))?;
            }
            Ok::<_, OdsError>(narrow)
        };
        let structure = AgeSexStructure {
            date: first.date,
            female: bands(self.female, "FEMALE")?,
            male: bands(self.male, "MALE")?,
        };
        let check = |published: Option<u32>, sum: u64, what: &str| match published {
            None => Err(error(format!("no {what} ALL row"))),
            Some(n) if u64::from(n) != sum => Err(error(format!(
                "the {what} ALL row says {n} patients but the {}s sum to {sum}",
                slots.what
            ))),
            Some(_) => Ok(()),
        };
        check(self.female_all, structure.sex_total(Sex::Female), "FEMALE")?;
        check(self.male_all, structure.sex_total(Sex::Male), "MALE")?;
        check(self.all, structure.total(), "ALL")?;
        Ok(OrganisationStructure {
            org_type: first.org_type,
            org: first.org,
            ons_code: first.ons_code,
            postcode: first.postcode,
            line: first.line,
            structure,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(rows: impl Fn(&str, &str) -> Option<u32>) -> String {
        let mut csv = String::from(
            "PUBLICATION,EXTRACT_DATE,ORG_TYPE,ORG_CODE,ONS_CODE,POSTCODE,SEX,AGE_GROUP_5,NUMBER_OF_PATIENTS\r\n",
        );
        let mut push = |sex: &str, band: &str| {
            if let Some(n) = rows(sex, band) {
                csv.push_str(&format!(
                    "GP_PRAC_PAT_LIST,2026-07-01,GP,F83004,,N19 3NX,{sex},{band},{n}\r\n"
                ));
            }
        };
        push("ALL", "ALL");
        for sex in ["FEMALE", "MALE"] {
            for band in AgeBand::all() {
                push(sex, &band.to_string().replace('-', "_"));
            }
            push(sex, "ALL");
        }
        csv
    }

    fn whole(sex: &str, band: &str) -> Option<u32> {
        Some(match (sex, band) {
            ("ALL", "ALL") => 80,
            (_, "ALL") => 40,
            _ => 2,
        })
    }

    #[test]
    fn bands_parse_and_print_as_published() {
        for band in AgeBand::all() {
            let published = band.to_string().replace('-', "_");
            assert_eq!(published.parse::<AgeBand>().unwrap(), band);
        }
        for bad in ["0_5", "3_7", "95", "100+", "90+", "x", ""] {
            assert!(bad.parse::<AgeBand>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_whole_practice_gives_its_structure() {
        let csv = file(whole);
        let lists = AgeSexLists::read(Input::new("q.csv", csv.as_bytes())).unwrap();
        let code: OdsCode = "F83004".parse().unwrap();
        let practice = lists.organisation(OrgType::Practice, &code).unwrap();
        assert_eq!(practice.postcode.unwrap().to_string(), "N19 3NX");
        assert_eq!(practice.structure.total(), 80);
        assert_eq!(lists.date(), NaiveDate::from_ymd_opt(2026, 7, 1));
        assert!(lists.pcn(&code).is_none());
        assert!(lists.england().is_none());
    }

    #[test]
    fn a_missing_band_or_a_wrong_total_is_refused() {
        let csv = file(|sex, band| {
            if (sex, band) == ("MALE", "95+") {
                None
            } else {
                whole(sex, band)
            }
        });
        let err = AgeSexLists::read(Input::new("q.csv", csv.as_bytes())).unwrap_err();
        assert_eq!(
            err.to_string(),
            "q.csv, line 2: the age and sex structure of practice F83004 is not whole: no MALE row for band 95+"
        );
        let csv = file(|sex, band| {
            if (sex, band) == ("ALL", "ALL") {
                Some(81)
            } else {
                whole(sex, band)
            }
        });
        let err = AgeSexLists::read(Input::new("q.csv", csv.as_bytes())).unwrap_err();
        assert!(
            err.to_string()
                .ends_with("the ALL ALL row says 81 patients but the bands sum to 80"),
            "{err}"
        );
        let csv = file(whole) + "GP_PRAC_PAT_LIST,2026-07-01,GP,F83004,,,MALE,0_4,2\r\n";
        let err = AgeSexLists::read(Input::new("q.csv", csv.as_bytes())).unwrap_err();
        assert!(err.to_string().contains("line 45"), "{err}");
        assert!(
            err.to_string()
                .ends_with("the row for MALE 0-4 appears twice"),
            "{err}"
        );
    }

    fn single_age_file(skip: Option<(&str, &str)>) -> String {
        let mut csv =
            String::from("PUBLICATION,EXTRACT_DATE,ORG_TYPE,ORG_CODE,SEX,AGE,NUMBER_OF_PATIENTS\n");
        let mut push = |sex: &str, age: &str, n: u32| {
            if skip != Some((sex, age)) {
                csv.push_str(&format!(
                    "GP_PRAC_PAT_LIST,01FEB2023,SUB_ICB_LOCATION,93C,{sex},{age},{n}\n"
                ));
            }
        };
        push("ALL", "ALL", 192);
        for sex in ["FEMALE", "MALE"] {
            for age in 0..95 {
                push(sex, &age.to_string(), 1);
            }
            push(sex, "95+", 1);
            push(sex, "ALL", 96);
        }
        csv
    }

    #[test]
    fn single_years_of_age_sum_into_bands() {
        let csv = single_age_file(None);
        let parsed =
            read_single_age(Input::new("s.csv", csv.as_bytes()), &ReadOptions::default()).unwrap();
        assert_eq!(parsed.records.len(), 195);
        let lists = AgeSexLists::from_single_age("s.csv", &parsed.records).unwrap();
        let sub_icb = lists
            .organisation(OrgType::SubIcbLocation, &"93C".parse().unwrap())
            .unwrap();
        assert_eq!(sub_icb.structure.band(AgeBand::containing(0)), 10);
        assert_eq!(sub_icb.structure.band(AgeBand::containing(95)), 2);
        assert_eq!(sub_icb.structure.total(), 192);

        let csv = single_age_file(Some(("MALE", "37")));
        let parsed =
            read_single_age(Input::new("s.csv", csv.as_bytes()), &ReadOptions::default()).unwrap();
        let err = AgeSexLists::from_single_age("s.csv", &parsed.records).unwrap_err();
        assert!(err.to_string().ends_with("no MALE row for age 37"), "{err}");

        let csv = single_age_file(None).replace("MALE,94,", "MALE,96,");
        let err = read_single_age(Input::new("s.csv", csv.as_bytes()), &ReadOptions::default())
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("column AGE: expected an age of 0 to 94"),
            "{err}"
        );
    }

    #[test]
    fn bad_cells_are_named() {
        let csv = file(whole).replace("MALE,5_9", "MALE,5_10");
        let err = read_quinary_age(Input::new("q.csv", csv.as_bytes()), &ReadOptions::default())
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("q.csv, line 4, column AGE_GROUP_5:"),
            "{err}"
        );
        let csv = file(whole).replace(",GP,", ",GPX,");
        let err = read_quinary_age(Input::new("q.csv", csv.as_bytes()), &ReadOptions::default())
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("q.csv, line 2, column ORG_TYPE:"),
            "{err}"
        );
    }
}
