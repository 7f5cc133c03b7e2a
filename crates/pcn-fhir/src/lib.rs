//! FHIR R4 (UK Core) import and export for networks, staff, patients, care plans and
//! referrals.
//!
//! Other NHS systems exchange data as HL7 **FHIR R4** resources, constrained for
//! England by the **UK Core** profiles: a GP practice or a Primary Care Network is an
//! `Organization` identified by its ODS code
//! (`https://fhir.nhs.uk/Id/ods-organization-code`), a practice's membership of a
//! network is an `OrganizationAffiliation` over a period, a member of staff is a
//! `Practitioner` with a `PractitionerRole` in an organisation, a multidisciplinary
//! team is a `CareTeam`, a patient is a `Patient` identified by the NHS number
//! (`https://fhir.nhs.uk/Id/nhs-number`), a personalised care and support plan is a
//! `CarePlan`, a referral is a `ServiceRequest` whose workflow state is a `Task`, a
//! service people can be referred to is a `HealthcareService`, and a set of them
//! travels as a `Bundle`. Sources: the FHIR R4 (4.0.1) specification
//! (<http://hl7.org/fhir/R4/>) and the UK Core profiles and naming systems (NHS
//! England, `UKCore-Organization`, `UKCore-OrganizationAffiliation`, ...).
//!
//! This crate reads and writes those resources as typed Rust values with `serde_json`.
//! Reading is **tolerant** of what it does not model: FHIR resources carry many
//! elements a primary care model has no use for (a patient's contacts, extensions, a
//! care plan's progress notes), and those are skipped and reported by JSON path
//! ([`IgnoredElements`]), never fatal. Reading is **strict** on what it does model: a
//! malformed NHS number, ODS code or SNOMED CT concept id, a missing required element
//! (`CarePlan.status`), a code outside a required value set (`Task.status`) or a
//! malformed date is an error naming the JSON path and the value
//! ([`FhirError`]). Writing produces only what the R4 JSON rules accept: required
//! elements are non-optional fields, codes from required value sets are closed enums,
//! empty elements are left out.
//!
//! Two imports share these rules. The **strict** import ([`import_resource`],
//! [`import_network`]) is all or nothing: the first error anywhere refuses the
//! document. The **validating** import ([`validate_resource`], [`validate_network`])
//! reads the whole
//! document as a FHIR validator does: it keeps every resource that is sound, leaves
//! out those with errors, and reports every issue with its severity (error, warning,
//! information), its location as a FHIRPath-style expression
//! (`Bundle.entry[3].resource.identifier[0].value`) and a message
//! ([`ValidationReport`], which writes itself as a FHIR `OperationOutcome`). On a
//! document the strict import accepts, both give the same resource.
//!
//! Referrals between services travel as messages of the **NHS Booking and Referral
//! Standard** (BaRS): a `message` bundle with a `MessageHeader` first, focused on
//! the referral's `ServiceRequest`. [`read_bars_referral`] reads one into a
//! [`BarsReferral`] (who referred whom, to which service, how urgently, why, and
//! for which patient), reporting each defect where it is; [`bars_referral_to_fhir`]
//! writes one; [`referral_progress_from_fhir`] reads a referral's state and history
//! from the `Task`s another system wrote.
//!
//! Resources written by other systems keep their own ids: one whose id is not a
//! UUID maps into the model under a UUID derived from it, and [`ForeignIds`] writes
//! the original back on export.
//!
//! The typed resources use FHIR's own JSON member names (camelCase), since they are
//! the wire format; everything else in this crate serialises in `snake_case`. Text
//! read from JSON is borrowed from it where it has no escapes, so an imported
//! resource lives as long as its bytes; the model values the mapping builds own
//! their data.
//!
//! # The mapping
//!
//! | model (crate) | FHIR R4 | functions |
//! |---|---|---|
//! | practice (`pcn-network`) | `Organization` with its ODS code | [`practice_to_fhir`], [`practice_from_fhir`] |
//! | network: PCN, Primary Care Home site, neighbourhood | `Organization` | [`network_to_fhir`], [`network_from_fhir`] |
//! | partner of a network | `Organization` + `OrganizationAffiliation` | [`partner_to_fhir`] |
//! | membership, with its dates | `OrganizationAffiliation` (network, practice, period) | [`membership_to_fhir`] |
//! | staff member (`pcn-team`) | `Practitioner` + `PractitionerRole` | [`staff_to_fhir`], [`staff_from_fhir`] |
//! | team: multidisciplinary or self-managing neighbourhood | `CareTeam` | [`team_to_fhir`], [`team_from_fhir`] |
//! | patient (`pcn-population`) | `Patient` with the NHS number | [`patient_to_fhir`], [`patient_from_fhir`] |
//! | personalised care and support plan | `CarePlan` | [`care_plan_to_fhir`], [`care_plan_from_fhir`] |
//! | pathway destination (`pcn-referral`) | `HealthcareService` | [`destination_to_fhir`], [`destination_from_fhir`] |
//! | referral and its workflow state | `ServiceRequest` + `Task`; back: the referral's details | [`referral_to_fhir`], [`referral_details_from_fhir`] |
//! | a whole network | `Bundle` of type `collection` | [`network_to_bundle`], [`import_network`], [`network_from_bundle`] |
//! | a referral between services (BaRS) | `Bundle` of type `message`: `MessageHeader`, `ServiceRequest`, `Patient`, `PractitionerRole`, `HealthcareService`, `Organization`s | [`bars_referral_to_fhir`], [`read_bars_referral`] |
//! | a referral's state and history, as another system wrote it | `Task`s focused on the `ServiceRequest` | [`referral_progress_from_fhir`] |
//! | a validation report | `OperationOutcome` | [`ValidationReport::to_operation_outcome`] |
//!
//! Model facts FHIR has no element for (list sizes over time, clinical directors, a
//! patient's registration history and frailty deficits, a plan's goals and consent)
//! travel in extensions and codes this crate defines under [`PCN_BASE`]; each
//! mapping module's table says what goes where. Model -> FHIR -> model is the
//! identity for everything the table lists (property-tested), and an exported network
//! imports again to an equal model. Dates follow FHIR: a period's end is its last
//! day, so the model's half-open `[from, to)` ranges travel as `from` to `to - 1`.
//!
//! # Example
//!
//! ```
//! use chrono::NaiveDate;
//! use pcn_core::{DateRange, NhsNumber, PatientId};
//! use pcn_fhir::{NetworkData, import_network, network_to_bundle, to_json};
//! use pcn_network::{Network, Practice, PracticeStatus, Registry};
//! use pcn_population::{Patient, Sex};
//!
//! let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
//! let mut registry = Registry::new();
//! let surgery = Practice::new("A81001".parse()?, "The Densham Surgery", DateRange::starting(d(1974, 4, 1)), PracticeStatus::Active)?;
//! let practice_id = surgery.id();
//! let practice = registry.add_practice(surgery)?;
//! let pcn = registry.add_network(Network::pcn("U89141".parse()?, "Stockton PCN", DateRange::starting(d(2019, 7, 1)))?)?;
//! registry.join(practice, pcn, DateRange::starting(d(2019, 7, 1)))?;
//! let mut patient = Patient::new(PatientId::from_u128(1), NhsNumber::test_number(0).unwrap(), d(1950, 3, 1), Sex::Female);
//! patient.register(practice_id, d(2001, 5, 6))?;
//!
//! // The whole network as one FHIR bundle...
//! let data = NetworkData { registry, patients: vec![patient], ..NetworkData::default() };
//! let json = to_json(&network_to_bundle(&data))?;
//! assert!(json.contains(r#"{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9990000018"}"#));
//!
//! // ... and back, with a member we do not model added by another system.
//! let json = json.replacen(r#""resourceType":"Patient","#, r#""resourceType":"Patient","maritalStatus":{"text":"M"},"#, 1);
//! let imported = import_network(json.as_bytes())?;
//! assert_eq!(imported.resource, data);
//! assert_eq!(imported.ignored.iter().collect::<Vec<_>>(), ["Bundle.entry[3].resource.maritalStatus"]);
//!
//! // A malformed NHS number is an error naming its place in the bundle.
//! let bad = json.replace("9990000018", "9990000019");
//! let err = import_network(bad.as_bytes()).unwrap_err();
//! assert!(err.to_string().starts_with("Bundle.entry[3].resource.identifier[0].value holds \"9990000019\""));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Performance
//!
//! Measured with `cargo bench --bench fhir` on a shared two-core machine: a
//! 50,000-patient network bundle (about 37 MB) is built and written in about 0.26 s,
//! and read back into the model (parse, check and map) at about 125 MB/s on one core.
//! The validating import ([`validate_resource`]) reads the same well-formed bundle at
//! about 92 % of the strict import's speed, measured side by side (the two share
//! the reader; the report of a well-formed bundle is empty).
//! Unmodelled elements are noted in one shared text buffer while reading, so a
//! document with many of them costs little more.

mod bundle;
mod care_plan;
mod care_team;
mod check;
mod datatype;
mod error;
mod export;
mod healthcare_service;
mod import;
mod map;
mod message_header;
mod operation_outcome;
mod organization;
mod path;
mod patient;
mod practitioner;
mod primitive;
mod resource;
mod service_request;
pub mod system;
mod task;
mod validate;
mod value_set;

pub use bundle::{Bundle, BundleEntry};
pub use care_plan::{CarePlan, CarePlanActivity, CarePlanActivityDetail};
pub use care_team::{CareTeam, CareTeamParticipant};
pub use datatype::{
    Address, Annotation, CodeableConcept, Coding, ContactPoint, Extension, HumanName, Identifier,
    Meta, Narrative, Period, Reference,
};
pub use error::FhirError;
pub use export::{to_json, to_json_bytes};
pub use healthcare_service::{HealthcareService, HealthcareServiceEligibility};
pub use import::{Imported, import, import_resource};
pub use map::PCN_BASE;
pub use map::bars::{
    BarsReferral, MessageReason, Organisation, ReferralProgress, ReferralReason, ReferredPatient,
    ReferredService, Referrer, TaskChange, bars_referral_from_bundle, bars_referral_to_fhir,
    read_bars_referral, referral_progress_from_fhir,
};
pub use map::care_plan::{care_plan_from_fhir, care_plan_to_fhir};
pub use map::destination::{destination_from_fhir, destination_to_fhir};
pub use map::exchange::{
    NetworkData, import_network, network_from_bundle, network_to_bundle, validate_network,
};
pub use map::ids::ForeignIds;
pub use map::network::{
    membership_to_fhir, network_from_fhir, network_to_fhir, partner_to_fhir, practice_from_fhir,
    practice_to_fhir,
};
pub use map::patient::{patient_from_fhir, patient_to_fhir};
pub use map::referral::{referral_details_from_fhir, referral_to_fhir};
pub use map::staff::{staff_from_fhir, staff_to_fhir};
pub use map::team::{team_from_fhir, team_to_fhir};
pub use message_header::{MessageDestination, MessageHeader, MessageSource};
pub use operation_outcome::{OperationOutcome, OperationOutcomeIssue};
pub use organization::{Organization, OrganizationAffiliation};
pub use path::IgnoredElements;
pub use patient::Patient;
pub use practitioner::{Practitioner, PractitionerRole};
pub use primitive::{FhirDate, FhirDateTime, Instant, ResourceId};
pub use resource::{FhirResource, NamedResource, OtherResource, Resource, ResourceTypeTag};
pub use service_request::ServiceRequest;
pub use task::Task;
pub use validate::{Issue, Validated, ValidationReport, validate_resource};
pub use value_set::{
    AddressType, AddressUse, AdministrativeGender, BundleType, CarePlanActivityKind,
    CarePlanActivityStatus, CarePlanIntent, CareTeamStatus, ContactPointSystem, ContactPointUse,
    IdentifierUse, IssueSeverity, IssueType, NameUse, NarrativeStatus, RequestIntent,
    RequestPriority, RequestStatus, TaskIntent, TaskStatus,
};
