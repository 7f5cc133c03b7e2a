//! Finding the NHS files in a folder: the small extracts this repository ships in
//! `data/`, or the national files as published.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::archive::{EPRACCUR_MEMBER, PRACTICE_MAP_MEMBER, QUINARY_AGE_MEMBER, WORKFORCE_MEMBER};
use pcn_network::Registry;

use crate::{Import, ImportReport, Input, OdsError, ReadOptions};

/// A file a data folder may hold, whatever its form (the extract or the national
/// file, plain or zipped).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DataFile {
    /// `epraccur`, December 2023: GP practices.
    Epraccur,
    /// The ePCN "PCN Details" sheet saved as CSV, January 2023.
    PcnDetails,
    /// The ePCN "PCN Core Partner Details" sheet saved as CSV, January 2023.
    CorePartners,
    /// The ePCN workbook itself, January 2023 (national only).
    EpcnWorkbook,
    /// "Patients Registered at a GP Practice", all ages, January 2021.
    ListSizes,
    /// The geocoded London practice list of 2022.
    Locations,
    /// "Patients Registered at a GP Practice" by five-year age band and sex, July
    /// 2026.
    QuinaryAge,
    /// The same publication's practice mapping file, July 2026.
    PracticeMap,
    /// PCN Workforce, individual level, 30 June 2026.
    Workforce,
    /// PCN Workforce summed by PCN and role, March 2020 to September 2022.
    WorkforceHistory,
    /// Practice deprivation scores, IMD 2025.
    Deprivation,
}

impl DataFile {
    /// Every file, in the order above.
    pub const ALL: [Self; 11] = [
        Self::Epraccur,
        Self::PcnDetails,
        Self::CorePartners,
        Self::EpcnWorkbook,
        Self::ListSizes,
        Self::Locations,
        Self::QuinaryAge,
        Self::PracticeMap,
        Self::Workforce,
        Self::WorkforceHistory,
        Self::Deprivation,
    ];

    /// The paths looked for, relative to the folder, first match wins: the extract
    /// shipped in `data/`, then the national file where the shared data folder
    /// keeps it (each is also looked for at the top of the folder).
    #[must_use]
    pub const fn candidates(self) -> &'static [&'static str] {
        match self {
            Self::Epraccur => &[
                "epraccur-2023-12-extract.csv",
                "ods/epraccur-2023-12.csv",
                "ods/epraccur.zip",
                "ods/epraccur.csv",
            ],
            Self::PcnDetails => &[
                "epcn-2023-01-pcn-details-extract.csv",
                "ods/epcn-2023-01-pcn-details.csv",
            ],
            Self::CorePartners => &[
                "epcn-2023-01-core-partner-details-extract.csv",
                "ods/epcn-2023-01-core-partner-details.csv",
            ],
            Self::EpcnWorkbook => &["ods/epcn-2023-01.xlsx", "ods/ePCN.xlsx"],
            Self::ListSizes => &[
                "gp-reg-pat-prac-all-2021-01-extract.csv",
                "lists/gp-reg-pat-prac-all-2021-01.csv",
            ],
            Self::Locations => &[
                "london-practices-2022-extract.csv",
                "geo/london-practices-2022.csv",
            ],
            Self::QuinaryAge => &[
                "gp-reg-pat-prac-quin-age-2026-07-extract.csv",
                "activity/published/gp-reg-pat-prac-quin-age-2026-07.zip",
            ],
            Self::PracticeMap => &[
                "gp-reg-pat-prac-map-2026-07-extract.csv",
                "activity/published/gp-reg-pat-prac-map-2026-07.zip",
            ],
            Self::Workforce => &[
                "pcn-workforce-individual-2026-06-extract.csv",
                "activity/published/PCNWFIndividualCSV.062026.zip",
            ],
            Self::WorkforceHistory => &[
                "pcn-workforce-2020-03-to-2022-09-extract.csv",
                "activity/pcn-workforce-2020-03-to-2022-09.csv",
            ],
            Self::Deprivation => &[
                "fingertips-imd-2025-gp-practice-extract.csv",
                "activity/published/fingertips-imd-2025-gp-practice.csv",
            ],
        }
    }

    /// The member to read when the file found is a zip archive.
    #[must_use]
    pub const fn member(self) -> &'static str {
        match self {
            Self::Epraccur => EPRACCUR_MEMBER,
            Self::QuinaryAge => QUINARY_AGE_MEMBER,
            Self::PracticeMap => PRACTICE_MAP_MEMBER,
            Self::Workforce => WORKFORCE_MEMBER,
            _ => "*.csv",
        }
    }
}

impl fmt::Display for DataFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Epraccur => "the ODS practice file (epraccur)",
            Self::PcnDetails => "the ePCN PCN details",
            Self::CorePartners => "the ePCN core partner details",
            Self::EpcnWorkbook => "the ePCN workbook",
            Self::ListSizes => "the list sizes of all ages (January 2021)",
            Self::Locations => "the geocoded practice list",
            Self::QuinaryAge => "the list sizes by age band and sex (July 2026)",
            Self::PracticeMap => "the practice to PCN mapping (July 2026)",
            Self::Workforce => "the PCN workforce (June 2026)",
            Self::WorkforceHistory => "the PCN workforce of 2020 to 2022",
            Self::Deprivation => "the practice deprivation scores (IMD 2025)",
        })
    }
}

/// The NHS files found in one folder: `data/` of this repository (the two-area
/// extracts) or a folder of the national files (laid out with `ods/`, `lists/`,
/// `geo/`, `activity/` and `activity/published/`).
///
/// ```
/// use pcn_ods::{DataFile, DataFolder};
/// let data = DataFolder::find(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"))?;
/// assert!(data.path(DataFile::QuinaryAge).is_some());
/// assert!(data.require(&[DataFile::Epraccur, DataFile::PracticeMap]).is_ok());
/// // The workbook is not shipped: the error says what is missing and where it looked.
/// let err = data.require(&[DataFile::EpcnWorkbook]).unwrap_err();
/// assert!(err.to_string().contains("the ePCN workbook (ods/epcn-2023-01.xlsx"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataFolder {
    dir: PathBuf,
    found: BTreeMap<DataFile, PathBuf>,
}

impl DataFolder {
    /// Looks for every [`DataFile`] in `dir`.
    ///
    /// # Errors
    /// [`OdsError::Io`] if `dir` is not a folder.
    pub fn find(dir: impl AsRef<Path>) -> Result<Self, OdsError> {
        let dir = dir.as_ref();
        if !dir.is_dir() {
            return Err(OdsError::Io {
                file: dir.display().to_string(),
                message: "not a folder".to_owned(),
            });
        }
        let mut found = BTreeMap::new();
        for file in DataFile::ALL {
            let hit = file.candidates().iter().find_map(|candidate| {
                let nested = dir.join(candidate);
                let flat = Path::new(candidate).file_name().map(|name| dir.join(name));
                std::iter::once(nested)
                    .chain(flat)
                    .find(|path| path.is_file())
            });
            if let Some(path) = hit {
                found.insert(file, path);
            }
        }
        Ok(Self {
            dir: dir.to_path_buf(),
            found,
        })
    }

    /// The folder.
    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where a file was found, if it was.
    #[must_use]
    pub fn path(&self, file: DataFile) -> Option<&Path> {
        self.found.get(&file).map(PathBuf::as_path)
    }

    /// Checks that every one of `files` was found.
    ///
    /// # Errors
    /// [`OdsError::MissingData`] naming each missing file and the names looked for.
    pub fn require(&self, files: &[DataFile]) -> Result<(), OdsError> {
        let missing: Vec<String> = files
            .iter()
            .filter(|file| !self.found.contains_key(file))
            .map(|file| format!("{file} ({})", file.candidates().join(" or ")))
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(OdsError::MissingData {
                dir: self.dir.display().to_string(),
                missing,
            })
        }
    }

    /// The network registry from the files found: the practices (epraccur), the
    /// networks and their memberships (the ePCN sheets), and, where found, the list
    /// sizes of all ages and the practices' locations. The one way examples, tests
    /// and applications build a registry from a folder of published files.
    ///
    /// ```
    /// use pcn_ods::{DataFolder, ReadOptions};
    /// let data = DataFolder::find(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"))?;
    /// let (registry, report) = data.import_registry(ReadOptions::collecting())?;
    /// assert!(registry.network_index_by_code(&"U02795".parse()?).is_some());
    /// assert!(report.list_sizes > 0 && report.locations > 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`OdsError::MissingData`] naming each of the three required files missing;
    /// any error of reading them under `options`.
    pub fn import_registry(
        &self,
        options: ReadOptions,
    ) -> Result<(Registry, ImportReport), OdsError> {
        self.require(&[
            DataFile::Epraccur,
            DataFile::PcnDetails,
            DataFile::CorePartners,
        ])?;
        let mut import = Import::new(options);
        import
            .practices(self.open(DataFile::Epraccur)?)?
            .pcns(self.open(DataFile::PcnDetails)?)?
            .memberships(self.open(DataFile::CorePartners)?)?;
        if self.path(DataFile::ListSizes).is_some() {
            import.list_sizes(self.open(DataFile::ListSizes)?)?;
        }
        if self.path(DataFile::Locations).is_some() {
            import.locations(self.open(DataFile::Locations)?)?;
        }
        Ok(import.finish())
    }

    /// Opens a file found, reading the right member if it is a zip archive.
    ///
    /// # Errors
    /// [`OdsError::MissingData`] if it was not found; as
    /// [`Input::open_published`].
    pub fn open(&self, file: DataFile) -> Result<Input<Cursor<Vec<u8>>>, OdsError> {
        self.require(&[file])?;
        let path = self.path(file).ok_or_else(|| OdsError::MissingData {
            dir: self.dir.display().to_string(),
            missing: vec![file.to_string()],
        })?;
        Input::open_published(path, file.member())
    }
}
