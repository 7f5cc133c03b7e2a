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
//! The typed resources use FHIR's own JSON member names (camelCase), since they are
//! the wire format; everything else in this crate serialises in `snake_case`.
//!
//! # Example
//!
//! ```
//! use pcn_core::{NhsNumber, OdsCode};
//! use pcn_fhir::{FhirResource, Identifier, Patient, Reference, import_resource, to_json};
//!
//! // Write a patient registered at a practice, identified by NHS number and ODS code.
//! let nhs_number: NhsNumber = "9434765919".parse()?;
//! let practice: OdsCode = "A81001".parse()?;
//! let patient = Patient {
//!     identifier: vec![Identifier::nhs_number(nhs_number)],
//!     general_practitioner: vec![Reference::by_identifier("Organization", Identifier::ods_code(practice))],
//!     ..Patient::default()
//! };
//! let json = to_json(&patient.into_resource())?;
//!
//! // Read it back, with a member we do not model added by another system.
//! let json = json.replacen("{", r#"{"maritalStatus":{"text":"M"},"#, 1);
//! let imported = import_resource(json.as_bytes())?;
//! let pcn_fhir::Resource::Patient(patient) = imported.resource else { unreachable!() };
//! assert_eq!(patient.nhs_number(), Some(nhs_number));
//! assert_eq!(imported.ignored.iter().collect::<Vec<_>>(), ["Patient.maritalStatus"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

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
mod organization;
mod path;
mod patient;
mod practitioner;
mod primitive;
mod resource;
mod service_request;
pub mod system;
mod task;
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
pub use map::care_plan::{care_plan_from_fhir, care_plan_to_fhir};
pub use map::destination::{destination_from_fhir, destination_to_fhir};
pub use map::exchange::{NetworkData, import_network, network_from_bundle, network_to_bundle};
pub use map::network::{
    membership_to_fhir, network_from_fhir, network_to_fhir, partner_to_fhir, practice_from_fhir,
    practice_to_fhir,
};
pub use map::patient::{patient_from_fhir, patient_to_fhir};
pub use map::referral::referral_to_fhir;
pub use map::staff::{staff_from_fhir, staff_to_fhir};
pub use organization::{Organization, OrganizationAffiliation};
pub use path::IgnoredElements;
pub use patient::Patient;
pub use practitioner::{Practitioner, PractitionerRole};
pub use primitive::{FhirDate, FhirDateTime, Instant, ResourceId};
pub use resource::{FhirResource, NamedResource, OtherResource, Resource, ResourceTypeTag};
pub use service_request::ServiceRequest;
pub use task::Task;
pub use value_set::{
    AddressType, AddressUse, AdministrativeGender, BundleType, CarePlanActivityKind,
    CarePlanActivityStatus, CarePlanIntent, CareTeamStatus, ContactPointSystem, ContactPointUse,
    IdentifierUse, NameUse, NarrativeStatus, RequestIntent, RequestPriority, RequestStatus,
    TaskIntent, TaskStatus,
};
