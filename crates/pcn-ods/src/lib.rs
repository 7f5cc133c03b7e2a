//! Readers for the NHS files that say which practices exist, which PCN each belongs
//! to, and how many patients each has registered.
//!
//! The **NHS Organisation Data Service** (ODS) publishes every GP practice in
//! `epraccur.csv` (no header row, 27 columns: code, name, address, postcode, open and
//! close dates, status, commissioner, prescribing setting) and every Primary Care
//! Network in the **ePCN** workbook: a "PCN Details" sheet (code, name, Sub-ICB, open
//! and close dates) and a "PCN Core Partner Details" sheet with one row per
//! practice-to-PCN relationship and its start and end dates. **NHS Digital**
//! publishes each practice's registered list monthly as "Patients Registered at a GP
//! Practice". All are open data under the Open Government Licence v3.0.
//!
//! ODS end dates are the **last day in force** (see [`EndDates`] for the evidence in
//! the files themselves); every range is held half-open (`[from, to)`), as in
//! `pcn-core`. Each bad row gives an [`OdsError`] naming the file, line, column and
//! value; [`ErrorMode`] chooses between stopping at the first and importing what is
//! valid while returning every error. [`Import`] builds a
//! [`Registry`](pcn_network::Registry) from the files and reports, never silently
//! fixes, what the registry cannot accept: above all a practice recorded in two PCNs
//! on the same day.
//!
//! # Example
//!
//! ```
//! use chrono::NaiveDate;
//! use pcn_network::ComplianceOptions;
//! use pcn_ods::{EpraccurLayout, Import, Input, ReadOptions};
//!
//! let practices = concat!(
//!     r#""A81001","THE DENSHAM SURGERY","Y63","QHM","THE HEALTH CENTRE","LAWSON STREET","STOCKTON ON TEES","CLEVELAND","","TS18 1HU","19740401","","A","B","16C","20200401","","01642 672351","","","","0","","16C","","4",""
//! "#,
//!     r#""A81002","QUEENS PARK MEDICAL CENTRE","Y63","QHM","QUEENS PARK MEDICAL CTR","FARRER STREET","STOCKTON ON TEES","CLEVELAND","","TS18 2AW","19740401","","A","B","16C","20200401","","01642 618170","","","","0","","16C","","4",""
//! "#);
//! let pcns = "PCN Code,PCN Name,Current Sub ICB Loc Code,Open Date,Close Date\n\
//!             U89141,STOCKTON PCN,16C,20191001,\n\
//!             U07032,NORTH STOCKTON PCN,16C,20191001,\n";
//! let partners = "Partner Organisation Code,Partner Name,Practice Parent Sub ICB Loc Code,PCN Code,PCN Parent Sub ICB Loc Code,Practice to PCN Relationship Start Date,Practice to PCN Relationship End Date\n\
//!                 A81001,THE DENSHAM SURGERY,16C,U89141,16C,20191001,20220630\n\
//!                 A81001,THE DENSHAM SURGERY,16C,U07032,16C,20220630,\n\
//!                 A81002,QUEENS PARK MEDICAL CENTRE,16C,U07032,16C,20191001,\n";
//! let lists = "PUBLICATION,EXTRACT_DATE,TYPE,CODE,SEX,AGE,NUMBER_OF_PATIENTS\n\
//!              GP_PRAC_PAT_LIST,01JAN2021,GP,A81001,ALL,ALL,4166\n\
//!              GP_PRAC_PAT_LIST,01JAN2021,GP,A81002,ALL,ALL,9015\n";
//!
//! let mut import = Import::new(ReadOptions::collecting());
//! import
//!     .practices(Input::new("epraccur.csv", practices.as_bytes()))?
//!     .pcns(Input::new("pcn-details.csv", pcns.as_bytes()))?
//!     .memberships(Input::new("core-partners.csv", partners.as_bytes()))?
//!     .list_sizes(Input::new("gp-reg-pat-prac-all.csv", lists.as_bytes()))?;
//! let (registry, report) = import.finish();
//!
//! assert_eq!(report.epraccur_layout, Some(EpraccurLayout::Legacy));
//! assert!(report.errors.is_empty());
//! // A81001 is recorded in both PCNs on 30 June 2022: reported, not fixed.
//! assert_eq!(report.rejected.len(), 1);
//! assert!(report.rejected[0].error.to_string().contains("U89141 STOCKTON PCN"));
//!
//! let north = registry.network_index_by_code(&"U07032".parse()?).unwrap();
//! let day = NaiveDate::from_ymd_opt(2021, 6, 1).unwrap();
//! assert_eq!(registry.population_on(north, day), 9_015);
//! let compliance = registry.compliance(north, day, &ComplianceOptions::default())?;
//! assert!(!compliance.has_no_failures()); // 9,015 patients: below 30,000
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! | function | file | rows become |
//! |---|---|---|
//! | [`read_epraccur`] | `epraccur.csv`, either [`EpraccurLayout`] | [`EpraccurRecord`]: a [`Practice`](pcn_network::Practice) and its [`PrescribingSetting`] |
//! | [`read_pcn_details`] | ePCN "PCN Details" as CSV | [`PcnDetailsRecord`] |
//! | [`read_core_partners`] | ePCN "PCN Core Partner Details" as CSV | [`CorePartnerRecord`] |
//! | [`read_epcn_workbook`] | the ePCN workbook itself (`.xlsx`), both sheets | an [`EpcnWorkbook`] of the two above |
//! | [`read_list_sizes`] | "Patients Registered at a GP Practice" | [`ListSizeRecord`] |
//! | [`read_locations`] | a geocoded practice list | [`LocationRecord`] |
//! | [`read_quinary_age`], [`AgeSexLists`] | "Patients Registered at a GP Practice" by five-year age band and sex (`gp-reg-pat-prac-quin-age`) | [`QuinaryAgeRecord`]; each organisation's [`AgeSexStructure`] |
//! | [`read_single_age`], [`AgeSexLists::from_single_age`] | the same by single year of age (`gp-reg-pat-prac-sing-age`) | [`SingleAgeRecord`]; the structures in five-year bands |
//! | [`read_practice_map`] | the same publication's practice mapping (`gp-reg-pat-prac-map`) | [`PracticeMapRecord`] |
//! | [`read_workforce`], [`workforce_by_pcn`] | PCN Workforce, individual level or summed | [`WorkforceRecord`]; [`PcnWorkforce`] |
//! | [`read_deprivation`] | practice deprivation scores (OHID Fingertips) | [`DeprivationRecord`] |
//! | [`Import`] | practices, PCNs and memberships (CSV or workbook), list sizes, locations | a [`Registry`](pcn_network::Registry) and an [`ImportReport`] |
//!
//! Zipped files are read as published: [`Input::open_published`] opens a file, and if
//! it is a zip archive, the member named by a pattern such as [`QUINARY_AGE_MEMBER`].
//! [`open`] takes any of the files above, tells which it is (by its zip members, its
//! sheets or its header row) and reads it whole into a [`PublishedFile`]; a file it
//! does not know gets an error naming the files it knows and the nearest.
//! [`DataFolder`] finds the files in `data/` of this repository (two-area extracts)
//! or in a folder of the national files.

mod age_structure;
mod archive;
mod data_folder;
mod deprivation;
mod epcn;
mod epraccur;
mod error;
mod import;
mod input;
mod list_size;
mod practice_map;
mod recognise;
mod workbook;
mod workforce;

pub use age_structure::{
    AgeBand, AgeSexLists, AgeSexStructure, BANDS, OnsCode, OrgType, OrganisationStructure,
    QuinaryAgeRecord, SINGLE_AGES, Sex, SingleAgeRecord, read_quinary_age, read_single_age,
};
pub use archive::{
    EPRACCUR_MEMBER, PRACTICE_MAP_MEMBER, QUINARY_AGE_MEMBER, WORKFORCE_MEMBER, zip_members,
};
pub use data_folder::{DataFile, DataFolder};
pub use deprivation::{DeprivationRecord, read_deprivation};
pub use epcn::{CorePartnerRecord, PcnDetailsRecord, read_core_partners, read_pcn_details};
pub use epraccur::{
    EPRACCUR_COLUMNS, EpraccurFile, EpraccurLayout, EpraccurRecord, PrescribingSetting,
    read_epraccur,
};
pub use error::OdsError;
pub use import::{ClippedMembership, Import, ImportReport, Rejection, Unmatched};
pub use input::{EndDates, ErrorMode, Input, Parsed, ReadOptions};
pub use list_size::{ListSizeRecord, LocationRecord, read_list_sizes, read_locations};
pub use practice_map::{PracticeMapRecord, read_practice_map};
pub use recognise::{FileKind, PublishedFile, open, open_with, recognise};
pub use workbook::{EpcnWorkbook, read_epcn_workbook};
pub use workforce::{Fte, PcnWorkforce, WorkforceRecord, read_workforce, workforce_by_pcn};
