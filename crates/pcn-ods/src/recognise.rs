//! One call for any published file: [`open`] tells which file it was given, by its
//! zip members, its sheets or its header row, and reads it.

use std::fmt;
use std::io::Cursor;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::archive::{
    EPRACCUR_MEMBER, PRACTICE_MAP_MEMBER, QUINARY_AGE_MEMBER, WORKFORCE_MEMBER, matches,
};
use crate::input::{csv_reader, normalise_header};
use crate::{
    CorePartnerRecord, DeprivationRecord, EPRACCUR_COLUMNS, EpcnWorkbook, EpraccurFile, Input,
    ListSizeRecord, LocationRecord, OdsError, Parsed, PcnDetailsRecord, PracticeMapRecord,
    QuinaryAgeRecord, ReadOptions, WorkforceRecord, read_core_partners, read_deprivation,
    read_epcn_workbook, read_epraccur, read_list_sizes, read_locations, read_pcn_details,
    read_practice_map, read_quinary_age, read_workforce,
};

/// The published files [`open`] knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FileKind {
    /// `epraccur.csv` (no header row, 27 columns), or `epraccur.zip`.
    Epraccur,
    /// The ePCN workbook (`ePCN.xlsx`), or a zip holding it.
    EpcnWorkbook,
    /// The ePCN "PCN Details" sheet saved as CSV.
    PcnDetails,
    /// The ePCN "PCN Core Partner Details" sheet saved as CSV.
    CorePartners,
    /// "Patients Registered at a GP Practice" by five-year age band and sex.
    QuinaryAge,
    /// "Patients Registered at a GP Practice", all ages or single years of age
    /// (read for the practice totals).
    ListSizes,
    /// The practice mapping file of the same publication.
    PracticeMap,
    /// PCN Workforce, individual level or summed.
    Workforce,
    /// Practice deprivation scores.
    Deprivation,
    /// A geocoded practice list.
    Locations,
}

/// The header columns (as compared: lower case, white space collapsed) that tell
/// each CSV apart, most specific first.
const SIGNATURES: [(FileKind, &[&str]); 9] = [
    (
        FileKind::CorePartners,
        &[
            "partner organisation code",
            "pcn code",
            "practice to pcn relationship start date",
            "practice to pcn relationship end date",
        ],
    ),
    (
        FileKind::PcnDetails,
        &[
            "pcn code",
            "pcn name",
            "current sub icb loc code",
            "open date",
            "close date",
        ],
    ),
    (
        FileKind::QuinaryAge,
        &[
            "extract_date",
            "org_type",
            "org_code",
            "sex",
            "age_group_5",
            "number_of_patients",
        ],
    ),
    (
        FileKind::PracticeMap,
        &[
            "practice_code",
            "practice_name",
            "pcn_code",
            "sub_icb_location_code",
            "icb_code",
        ],
    ),
    (
        FileKind::Workforce,
        &[
            "census_month",
            "pcn_code",
            "staff_group",
            "staff_role",
            "detailed_staff_role",
            "fte",
        ],
    ),
    (
        FileKind::Deprivation,
        &["practice_code", "practice_name", "imd_year", "imd_score"],
    ),
    (
        FileKind::Locations,
        &["organisation code", "latitude", "longitude"],
    ),
    (FileKind::ListSizes, &["extract_date", "number_of_patients"]),
    (FileKind::Epraccur, &[]),
];

impl FileKind {
    /// Every kind.
    pub const ALL: [Self; 10] = [
        Self::Epraccur,
        Self::EpcnWorkbook,
        Self::PcnDetails,
        Self::CorePartners,
        Self::QuinaryAge,
        Self::ListSizes,
        Self::PracticeMap,
        Self::Workforce,
        Self::Deprivation,
        Self::Locations,
    ];
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Epraccur => "epraccur (ODS GP practices, no header, 27 columns)",
            Self::EpcnWorkbook => {
                "the ePCN workbook (sheets PCN Details and PCN Core Partner Details)"
            }
            Self::PcnDetails => "ePCN PCN Details as CSV",
            Self::CorePartners => "ePCN PCN Core Partner Details as CSV",
            Self::QuinaryAge => {
                "gp-reg-pat-prac-quin-age (list sizes by five-year age band and sex)"
            }
            Self::ListSizes => "gp-reg-pat-prac-all or -sing-age (list sizes)",
            Self::PracticeMap => "gp-reg-pat-prac-map (practice to PCN mapping)",
            Self::Workforce => "PCN Workforce (individual level or summed)",
            Self::Deprivation => "practice deprivation scores (IMD)",
            Self::Locations => "a geocoded practice list",
        })
    }
}

/// A published file, recognised and read whole.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "content", rename_all = "snake_case")]
#[non_exhaustive]
pub enum PublishedFile {
    /// `epraccur`.
    Epraccur(EpraccurFile),
    /// The ePCN workbook.
    EpcnWorkbook(EpcnWorkbook),
    /// ePCN "PCN Details" as CSV.
    PcnDetails(Parsed<PcnDetailsRecord>),
    /// ePCN "PCN Core Partner Details" as CSV.
    CorePartners(Parsed<CorePartnerRecord>),
    /// List sizes by five-year age band and sex (to gather into structures with
    /// [`AgeSexLists::from_records`](crate::AgeSexLists::from_records)).
    QuinaryAge(Parsed<QuinaryAgeRecord>),
    /// List sizes, practice totals.
    ListSizes(Parsed<ListSizeRecord>),
    /// The practice mapping.
    PracticeMap(Parsed<PracticeMapRecord>),
    /// PCN workforce.
    Workforce(Parsed<WorkforceRecord>),
    /// Practice deprivation scores.
    Deprivation(Parsed<DeprivationRecord>),
    /// Practice locations.
    Locations(Parsed<LocationRecord>),
}

impl PublishedFile {
    /// Which file it is.
    #[must_use]
    pub const fn kind(&self) -> FileKind {
        match self {
            Self::Epraccur(_) => FileKind::Epraccur,
            Self::EpcnWorkbook(_) => FileKind::EpcnWorkbook,
            Self::PcnDetails(_) => FileKind::PcnDetails,
            Self::CorePartners(_) => FileKind::CorePartners,
            Self::QuinaryAge(_) => FileKind::QuinaryAge,
            Self::ListSizes(_) => FileKind::ListSizes,
            Self::PracticeMap(_) => FileKind::PracticeMap,
            Self::Workforce(_) => FileKind::Workforce,
            Self::Deprivation(_) => FileKind::Deprivation,
            Self::Locations(_) => FileKind::Locations,
        }
    }
}

/// The magic numbers of a zip archive and of an old (OLE) Excel workbook.
fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}
fn is_ole(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

/// Opens a published file and reads it whole, stopping at the first bad row (so
/// nothing half read is returned), after telling which file it is: a zip archive by
/// its members (a workbook's own parts, or a member such as
/// `gp-reg-pat-prac-quin-age.csv`), a workbook by its sheets, a CSV by its header
/// row.
///
/// ```
/// use pcn_ods::{FileKind, open};
/// let data = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/");
/// let file = open(format!("{data}gp-reg-pat-prac-map-2026-07-extract.csv"))?;
/// assert_eq!(file.kind(), FileKind::PracticeMap);
/// let file = open(format!("{data}epraccur-2023-12-extract.csv"))?;
/// assert_eq!(file.kind(), FileKind::Epraccur);
/// let err = open(format!("{data}README.md")).unwrap_err();
/// assert!(err.to_string().contains("matches no file this crate reads"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`OdsError::UnknownFile`], listing the files known and the nearest, if the
/// header matches none; [`OdsError::MissingMember`] for a zip holding no known
/// file; otherwise the first error of the reader for the file found.
pub fn open(path: impl AsRef<Path>) -> Result<PublishedFile, OdsError> {
    open_with(path, &ReadOptions::default())
}

/// As [`open`], with the options given (collecting every bad row instead of
/// stopping at the first returns the valid rows with [`Parsed::errors`] beside
/// them).
///
/// # Errors
/// As [`open`].
pub fn open_with(path: impl AsRef<Path>, options: &ReadOptions) -> Result<PublishedFile, OdsError> {
    let path = path.as_ref();
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| OdsError::Io {
        file: name.clone(),
        message: e.to_string(),
    })?;
    recognise(Input::new(name, Cursor::new(bytes)), options)
}

/// As [`open_with`], for bytes already read (named `input.name()` in errors).
///
/// # Errors
/// As [`open`].
pub fn recognise(
    input: Input<Cursor<Vec<u8>>>,
    options: &ReadOptions,
) -> Result<PublishedFile, OdsError> {
    let (name, cursor) = input.into_parts();
    let bytes = cursor.into_inner();
    if is_ole(&bytes) {
        return read_epcn_workbook(Input::new(name, bytes.as_slice()), options)
            .map(PublishedFile::EpcnWorkbook);
    }
    if is_zip(&bytes) {
        return recognise_zip(name, bytes, options);
    }
    recognise_csv(Input::new(name, Cursor::new(bytes)), options)
}

fn recognise_zip(
    name: String,
    bytes: Vec<u8>,
    options: &ReadOptions,
) -> Result<PublishedFile, OdsError> {
    let members = crate::zip_members(&name, Cursor::new(bytes.as_slice()))?;
    if members.iter().any(|m| m == "xl/workbook.xml") {
        return read_epcn_workbook(Input::new(name, bytes.as_slice()), options)
            .map(PublishedFile::EpcnWorkbook);
    }
    let patterns = [
        QUINARY_AGE_MEMBER,
        PRACTICE_MAP_MEMBER,
        WORKFORCE_MEMBER,
        EPRACCUR_MEMBER,
        "*.xlsx",
        "*.xls",
        "*.csv",
    ];
    let Some(pattern) = patterns
        .iter()
        .find(|p| members.iter().any(|m| !m.ends_with('/') && matches(p, m)))
    else {
        let mut members = members;
        members.sort();
        return Err(OdsError::MissingMember {
            file: name,
            wanted: "a CSV or workbook of a file this crate reads".to_owned(),
            members,
        });
    };
    let input = Input::from_zip(name, Cursor::new(bytes), pattern)?;
    recognise(input, options)
}

fn recognise_csv(
    input: Input<Cursor<Vec<u8>>>,
    options: &ReadOptions,
) -> Result<PublishedFile, OdsError> {
    let (name, cursor) = input.into_parts();
    let mut reader = csv_reader(cursor.get_ref().as_slice(), false);
    let mut first = csv::StringRecord::new();
    let read = reader.read_record(&mut first).map_err(|e| OdsError::Csv {
        file: name.clone(),
        line: 1,
        message: e.to_string(),
    })?;
    let header: Vec<String> = first
        .iter()
        .map(|cell| normalise_header(cell.trim_start_matches('\u{feff}')))
        .collect();
    let has = |column: &&str| header.iter().any(|h| h == column);
    let kind = SIGNATURES
        .iter()
        .find(|(_, columns)| !columns.is_empty() && columns.iter().all(has))
        .map(|(kind, _)| *kind)
        .or_else(|| {
            let epraccur = read
                && first.len() == EPRACCUR_COLUMNS
                && first
                    .get(0)
                    .is_some_and(|c| c.trim().parse::<pcn_core::OdsCode>().is_ok());
            epraccur.then_some(FileKind::Epraccur)
        });
    let input = Input::new(name.clone(), cursor);
    match kind {
        Some(FileKind::Epraccur) => read_epraccur(input, options).map(PublishedFile::Epraccur),
        Some(FileKind::PcnDetails) => {
            read_pcn_details(input, options).map(PublishedFile::PcnDetails)
        }
        Some(FileKind::CorePartners) => {
            read_core_partners(input, options).map(PublishedFile::CorePartners)
        }
        Some(FileKind::QuinaryAge) => {
            read_quinary_age(input, options).map(PublishedFile::QuinaryAge)
        }
        Some(FileKind::PracticeMap) => {
            read_practice_map(input, options).map(PublishedFile::PracticeMap)
        }
        Some(FileKind::Workforce) => read_workforce(input, options).map(PublishedFile::Workforce),
        Some(FileKind::Deprivation) => {
            read_deprivation(input, options).map(PublishedFile::Deprivation)
        }
        Some(FileKind::Locations) => read_locations(input, options).map(PublishedFile::Locations),
        Some(FileKind::ListSizes) => read_list_sizes(input, options).map(PublishedFile::ListSizes),
        Some(FileKind::EpcnWorkbook) | None => Err(unknown(name, &header)),
    }
}

/// The error for a header no file has: the files known and the nearest, the one
/// whose columns it has the greatest share of, with the columns it lacks.
fn unknown(file: String, header: &[String]) -> OdsError {
    let mut nearest: Option<(usize, usize, FileKind, Vec<&str>)> = None;
    for (kind, columns) in SIGNATURES.iter().filter(|(_, c)| !c.is_empty()) {
        let missing: Vec<&str> = columns
            .iter()
            .copied()
            .filter(|c| !header.iter().any(|h| h == c))
            .collect();
        let found = columns.len() - missing.len();
        // Compare found/len as found * other_len > other_found * len.
        let better = nearest
            .as_ref()
            .is_none_or(|(f, len, _, _)| found * len > f * columns.len());
        if better {
            nearest = Some((found, columns.len(), *kind, missing));
        }
    }
    let nearest = match nearest {
        Some((found, _, kind, missing)) if found > 0 => {
            format!("{kind}, which also has {}", missing.join(", "))
        }
        _ => "none: no column is one of theirs".to_owned(),
    };
    OdsError::UnknownFile {
        file,
        header: header.join(","),
        known: FileKind::ALL.iter().map(ToString::to_string).collect(),
        nearest,
    }
}
