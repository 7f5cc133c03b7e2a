//! Building a [`Registry`] from the national files, with a report of everything the
//! files say that the registry could not take as it stands.

use std::collections::HashMap;
use std::io::Read;

use pcn_core::{DateRange, OdsCode};
use pcn_network::{Network, NetworkError, Practice, PracticeIndex, Registry};
use serde::Serialize;

use crate::input::messages;
use crate::{
    CorePartnerRecord, EndDates, EpraccurLayout, Input, OdsError, Parsed, PcnDetailsRecord,
    PrescribingSetting, ReadOptions, read_core_partners, read_epcn_workbook, read_epraccur,
    read_list_sizes, read_locations, read_pcn_details,
};

/// A valid row the registry refused, such as a relationship that would put a
/// practice in two PCNs on the same day. Reported, never silently fixed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    /// The file.
    pub file: String,
    /// The line.
    pub line: u64,
    /// Why the registry refused it (names both networks and the overlapping dates
    /// for a second PCN).
    #[serde(serialize_with = "pcn_core::text::serialize")]
    pub error: NetworkError,
}

/// A membership recorded as running past the day its practice closed, kept up to the
/// closure. (The ePCN file can predate a closure that the later practice file
/// records.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClippedMembership {
    /// The file.
    pub file: String,
    /// The line.
    pub line: u64,
    /// The practice.
    pub practice: OdsCode,
    /// The PCN.
    pub pcn: OdsCode,
    /// The dates as recorded.
    pub recorded: DateRange,
    /// The dates kept.
    pub kept: DateRange,
}

/// A row naming a practice the registry does not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unmatched {
    /// The file.
    pub file: String,
    /// The line.
    pub line: u64,
    /// The practice code.
    pub practice: OdsCode,
}

/// What an import did: counts, bad rows, refused rows, clipped memberships and rows
/// that matched no practice.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportReport {
    /// How end dates were read.
    pub end_dates: EndDates,
    /// The layout detected in the practice file.
    pub epraccur_layout: Option<EpraccurLayout>,
    /// Bad rows (collected with [`ErrorMode::Collect`](crate::ErrorMode::Collect)).
    #[serde(serialize_with = "messages")]
    pub errors: Vec<OdsError>,
    /// Valid rows the registry refused.
    pub rejected: Vec<Rejection>,
    /// Memberships ended at their practice's closure.
    pub clipped: Vec<ClippedMembership>,
    /// Practices added: GP practices, and other cost centres that hold a registered
    /// list or that the ePCN file names as PCN members.
    pub practices: usize,
    /// Of those, the cost centres other than GP practices (special allocation
    /// schemes, walk-in practices) added because a PCN names them or a list-size file
    /// gives them registered patients.
    pub practices_promoted: usize,
    /// Rows of the practice file for other cost centres with no list and no PCN, left
    /// out.
    pub practices_set_aside: usize,
    /// PCNs added.
    pub networks: usize,
    /// Memberships added.
    pub memberships: usize,
    /// List sizes recorded.
    pub list_sizes: usize,
    /// List-size rows passed over (breakdowns by sex or age, other organisations).
    pub list_rows_skipped: usize,
    /// List sizes for practices the registry does not hold.
    pub unmatched_list_sizes: Vec<Unmatched>,
    /// Locations recorded.
    pub locations: usize,
    /// Locations for practices the registry does not hold.
    pub unmatched_locations: Vec<Unmatched>,
}

/// Builds a [`Registry`] from the NHS files, in order: practices (`epraccur.csv`),
/// PCNs (ePCN "PCN Details"), memberships (ePCN "PCN Core Partner Details"), list
/// sizes, then locations.
///
/// Bad rows follow [`ReadOptions::errors`]: stop at the first, or skip and report
/// every one. Valid rows the registry refuses, above all a relationship that would
/// put a practice in a second PCN on the same day, are never fixed: they are left
/// out and listed in [`ImportReport::rejected`] with both networks and the
/// overlapping dates, in both modes. Memberships are applied in file order, so the
/// later of two overlapping relationships is the one refused.
///
/// Only GP practices are taken from the practice file at first (it also lists walk-in
/// centres, prisons, out-of-hours and community services); another cost centre is
/// added when the ePCN file names it as a PCN member or a list-size file gives it
/// registered patients (special allocation schemes hold lists).
///
/// ```
/// use pcn_ods::{Import, Input, ReadOptions};
/// let practices = r#""A81001","THE DENSHAM SURGERY","Y63","QHM","THE HEALTH CENTRE","LAWSON STREET","STOCKTON ON TEES","CLEVELAND","","TS18 1HU","19740401","","A","B","16C","20200401","","01642 672351","","","","0","","16C","","4",""
/// "#;
/// let pcns = "PCN Code,PCN Name,Current Sub ICB Loc Code,Open Date,Close Date\nU89141,STOCKTON PCN,16C,20191001,\n";
/// let partners = "Partner Organisation Code,Partner Name,Practice Parent Sub ICB Loc Code,PCN Code,PCN Parent Sub ICB Loc Code,Practice to PCN Relationship Start Date,Practice to PCN Relationship End Date\n\
///                 A81001,THE DENSHAM SURGERY,16C,U89141,16C,20191001,\n";
/// let lists = "EXTRACT_DATE,CODE,NUMBER_OF_PATIENTS\n01JAN2021,A81001,4166\n";
///
/// let mut import = Import::new(ReadOptions::default());
/// import
///     .practices(Input::new("epraccur.csv", practices.as_bytes()))?
///     .pcns(Input::new("pcn-details.csv", pcns.as_bytes()))?
///     .memberships(Input::new("core-partners.csv", partners.as_bytes()))?
///     .list_sizes(Input::new("lists.csv", lists.as_bytes()))?;
/// let (registry, report) = import.finish();
/// assert_eq!((report.practices, report.networks, report.memberships), (1, 1, 1));
/// let pcn = registry.network_index_by_code(&"U89141".parse()?).unwrap();
/// let day = chrono::NaiveDate::from_ymd_opt(2021, 6, 1).unwrap();
/// assert_eq!(registry.population_on(pcn, day), 4_166);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Import {
    options: ReadOptions,
    registry: Registry,
    report: ImportReport,
    set_aside: HashMap<OdsCode, Practice>,
}

impl Import {
    /// An import into an empty registry.
    #[must_use]
    pub fn new(options: ReadOptions) -> Self {
        Self::adding_to(Registry::new(), options)
    }

    /// An import adding to an existing registry.
    #[must_use]
    pub fn adding_to(registry: Registry, options: ReadOptions) -> Self {
        Self {
            options,
            registry,
            report: ImportReport {
                end_dates: options.end_dates,
                epraccur_layout: None,
                errors: Vec::new(),
                rejected: Vec::new(),
                clipped: Vec::new(),
                practices: 0,
                practices_promoted: 0,
                practices_set_aside: 0,
                networks: 0,
                memberships: 0,
                list_sizes: 0,
                list_rows_skipped: 0,
                unmatched_list_sizes: Vec::new(),
                locations: 0,
                unmatched_locations: Vec::new(),
            },
            set_aside: HashMap::new(),
        }
    }

    /// The registry built so far.
    #[must_use]
    pub const fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The report so far.
    #[must_use]
    pub const fn report(&self) -> &ImportReport {
        &self.report
    }

    /// The registry and the report.
    #[must_use]
    pub fn finish(mut self) -> (Registry, ImportReport) {
        self.report.practices_set_aside = self.set_aside.len();
        (self.registry, self.report)
    }

    fn fail(&mut self, error: OdsError) -> Result<(), OdsError> {
        self.options.handle(&mut self.report.errors, error)
    }

    /// Reads `epraccur.csv` (either layout) and adds its GP practices.
    ///
    /// # Errors
    /// With [`ErrorMode::FailFast`](crate::ErrorMode::FailFast), the first bad row
    /// (including [`OdsError::Registry`] for a practice code seen twice); in either
    /// mode, [`OdsError::Io`] if the file cannot be read.
    pub fn practices<R: Read>(&mut self, input: Input<R>) -> Result<&mut Self, OdsError> {
        let file = read_epraccur(input, &self.options)?;
        self.report.epraccur_layout = file.layout;
        self.report.errors.extend(file.parsed.errors);
        let name = file.parsed.file;
        for record in file.parsed.records {
            let code = record.practice.code();
            let duplicate =
                self.set_aside.contains_key(&code) || self.registry.practice_index(&code).is_some();
            if duplicate {
                let source = NetworkError::DuplicatePractice { practice: code };
                self.fail(OdsError::Registry {
                    file: name.clone(),
                    line: record.line,
                    source,
                })?;
            } else if record.setting == PrescribingSetting::GpPractice {
                self.registry
                    .add_practice(record.practice)
                    .map_err(|source| OdsError::Registry {
                        file: name.clone(),
                        line: record.line,
                        source,
                    })?;
                self.report.practices += 1;
            } else {
                self.set_aside.insert(code, record.practice);
            }
        }
        Ok(self)
    }

    /// Reads the ePCN "PCN Details" sheet and adds its PCNs.
    ///
    /// # Errors
    /// With [`ErrorMode::FailFast`](crate::ErrorMode::FailFast), the first bad row
    /// (a code that is not a PCN code, a PCN seen twice); [`OdsError::MissingColumn`]
    /// and [`OdsError::Io`] in either mode.
    pub fn pcns<R: Read>(&mut self, input: Input<R>) -> Result<&mut Self, OdsError> {
        let parsed = read_pcn_details(input, &self.options)?;
        self.add_pcns(parsed)
    }

    /// Reads the ePCN workbook as published and adds its PCNs, then their
    /// memberships, as [`Import::pcns`] and [`Import::memberships`] do with the
    /// sheets saved as CSV.
    ///
    /// # Errors
    /// As [`read_epcn_workbook`](crate::read_epcn_workbook), then as
    /// [`Import::pcns`] and [`Import::memberships`].
    pub fn epcn_workbook<R: Read>(&mut self, input: Input<R>) -> Result<&mut Self, OdsError> {
        let workbook = read_epcn_workbook(input, &self.options)?;
        self.add_pcns(workbook.pcn_details)?;
        self.add_memberships(workbook.core_partners)
    }

    fn add_pcns(&mut self, parsed: Parsed<PcnDetailsRecord>) -> Result<&mut Self, OdsError> {
        self.report.errors.extend(parsed.errors);
        for record in parsed.records {
            let added = Network::pcn(record.code, &record.name, record.open)
                .map_err(|e| OdsError::InvalidValue {
                    file: parsed.file.clone(),
                    line: record.line,
                    column: "PCN Code".to_owned(),
                    value: record.code.to_string(),
                    reason: e.to_string(),
                })
                .and_then(|mut network| {
                    network.set_commissioner(record.commissioner);
                    self.registry
                        .add_network(network)
                        .map_err(|source| OdsError::Registry {
                            file: parsed.file.clone(),
                            line: record.line,
                            source,
                        })
                });
            match added {
                Ok(_) => self.report.networks += 1,
                Err(error) => self.fail(error)?,
            }
        }
        Ok(self)
    }

    /// The practice with this code, adding a set-aside cost centre that a PCN names
    /// or that holds a list.
    fn practice_or_promoted(&mut self, code: OdsCode) -> Option<PracticeIndex> {
        if let Some(index) = self.registry.practice_index(&code) {
            return Some(index);
        }
        let practice = self.set_aside.remove(&code)?;
        let index = self.registry.add_practice(practice).ok()?;
        self.report.practices += 1;
        self.report.practices_promoted += 1;
        Some(index)
    }

    /// Reads the ePCN "PCN Core Partner Details" sheet and records each
    /// practice-to-PCN relationship, in file order. A relationship running past its
    /// practice's closure is kept up to the closure and listed in
    /// [`ImportReport::clipped`]; one the registry refuses (a second PCN on the same
    /// day) is listed in [`ImportReport::rejected`].
    ///
    /// # Errors
    /// With [`ErrorMode::FailFast`](crate::ErrorMode::FailFast), the first bad row,
    /// including [`OdsError::UnknownCode`] for a practice or PCN not imported;
    /// [`OdsError::MissingColumn`] and [`OdsError::Io`] in either mode.
    pub fn memberships<R: Read>(&mut self, input: Input<R>) -> Result<&mut Self, OdsError> {
        let parsed = read_core_partners(input, &self.options)?;
        self.add_memberships(parsed)
    }

    fn add_memberships(
        &mut self,
        parsed: Parsed<CorePartnerRecord>,
    ) -> Result<&mut Self, OdsError> {
        self.report.errors.extend(parsed.errors);
        let file = parsed.file;
        for record in parsed.records {
            let unknown = |column: &str, what, value: OdsCode| OdsError::UnknownCode {
                file: file.clone(),
                line: record.line,
                column: column.to_owned(),
                what,
                value: value.to_string(),
            };
            let Some(practice) = self.practice_or_promoted(record.practice) else {
                self.fail(unknown(
                    "Partner Organisation Code",
                    "practice",
                    record.practice,
                ))?;
                continue;
            };
            let Some(network) = self.registry.network_index_by_code(&record.pcn) else {
                self.fail(unknown("PCN Code", "PCN", record.pcn))?;
                continue;
            };
            let mut during = record.during;
            let closed = self
                .registry
                .practice(practice)
                .and_then(|p| p.operating().to());
            if let Some(closed) = closed
                && during.to().is_none_or(|to| to > closed)
                && let Some(kept) = during.ending(closed)
            {
                self.report.clipped.push(ClippedMembership {
                    file: file.clone(),
                    line: record.line,
                    practice: record.practice,
                    pcn: record.pcn,
                    recorded: during,
                    kept,
                });
                during = kept;
            }
            match self.registry.join(practice, network, during) {
                Ok(()) => self.report.memberships += 1,
                Err(error) => self.report.rejected.push(Rejection {
                    file: file.clone(),
                    line: record.line,
                    error,
                }),
            }
        }
        Ok(self)
    }

    /// Reads a "Patients Registered at a GP Practice" file and records each
    /// practice's list size from its extract date. Rows for practices the registry
    /// does not hold are listed in [`ImportReport::unmatched_list_sizes`]; a list
    /// dated outside its practice's operating dates is refused and listed in
    /// [`ImportReport::rejected`].
    ///
    /// # Errors
    /// With [`ErrorMode::FailFast`](crate::ErrorMode::FailFast), the first bad row;
    /// [`OdsError::MissingColumn`] and [`OdsError::Io`] in either mode.
    pub fn list_sizes<R: Read>(&mut self, input: Input<R>) -> Result<&mut Self, OdsError> {
        let parsed = read_list_sizes(input, &self.options)?;
        self.report.errors.extend(parsed.errors);
        self.report.list_rows_skipped += parsed.skipped;
        let file = parsed.file;
        let mut batch = Vec::with_capacity(parsed.records.len());
        for record in parsed.records {
            let Some(practice) = self.practice_or_promoted(record.practice) else {
                self.report.unmatched_list_sizes.push(Unmatched {
                    file: file.clone(),
                    line: record.line,
                    practice: record.practice,
                });
                continue;
            };
            match self.registry.check_list_size(practice, record.date) {
                Ok(()) => batch.push((practice, record.date, record.patients)),
                Err(error) => self.report.rejected.push(Rejection {
                    file: file.clone(),
                    line: record.line,
                    error,
                }),
            }
        }
        self.report.list_sizes +=
            self.registry
                .record_list_sizes(batch)
                .map_err(|source| OdsError::Registry {
                    file,
                    line: 0,
                    source,
                })?;
        Ok(self)
    }

    /// Reads practice locations (`Organisation Code`, `Latitude`, `Longitude`) and
    /// records them. Rows for practices the registry does not hold are listed in
    /// [`ImportReport::unmatched_locations`].
    ///
    /// # Errors
    /// With [`ErrorMode::FailFast`](crate::ErrorMode::FailFast), the first bad row;
    /// [`OdsError::MissingColumn`] and [`OdsError::Io`] in either mode.
    pub fn locations<R: Read>(&mut self, input: Input<R>) -> Result<&mut Self, OdsError> {
        let parsed = read_locations(input, &self.options)?;
        self.report.errors.extend(parsed.errors);
        for record in parsed.records {
            match self.registry.practice_index(&record.practice) {
                Some(practice) => {
                    self.registry
                        .set_location(practice, Some(record.location))
                        .map_err(|source| OdsError::Registry {
                            file: parsed.file.clone(),
                            line: record.line,
                            source,
                        })?;
                    self.report.locations += 1;
                }
                None => self.report.unmatched_locations.push(Unmatched {
                    file: parsed.file.clone(),
                    line: record.line,
                    practice: record.practice,
                }),
            }
        }
        Ok(self)
    }
}
