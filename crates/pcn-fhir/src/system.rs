//! The identifier and code systems (FHIR `system` URIs) this crate reads and writes.
//!
//! Sources: the UK Core identifier naming systems (NHS England, "UK FHIR NamingSystems:
//! Identifier systems", simplifier.net UKFHIRCommunityAssets and the UK Core guidance
//! page "Identifier Systems"), which list the NHS number, the ODS organisation and site
//! codes and the professional register numbers; the FHIR R4 terminology page
//! (<http://hl7.org/fhir/R4/terminologies-systems.html>) for SNOMED CT; and, for the
//! systems this crate defines itself, the notes on each constant. The BaRS systems
//! come from the NHS Booking and Referral Standard implementation guide (NHS
//! England, simplifier.net `nhsbookingandreferralstandard`: its code systems
//! `message-events-bars`, `message-reason-bars`, `usecases-categories-bars` and the
//! referral payload definitions).

/// A patient's NHS number.
pub const NHS_NUMBER: &str = "https://fhir.nhs.uk/Id/nhs-number";
/// An organisation's ODS code (practices, PCNs, trusts, ICBs ...).
pub const ODS_ORGANIZATION_CODE: &str = "https://fhir.nhs.uk/Id/ods-organization-code";
/// An ODS site code (a branch surgery, a trust's site).
pub const ODS_SITE_CODE: &str = "https://fhir.nhs.uk/Id/ods-site-code";
/// SNOMED CT.
pub const SNOMED_CT: &str = "http://snomed.info/sct";
/// General Medical Council reference number (doctors; physician associates from
/// December 2024).
pub const GMC_NUMBER: &str = "https://fhir.hl7.org.uk/Id/gmc-number";
/// Nursing and Midwifery Council PIN.
pub const NMC_NUMBER: &str = "https://fhir.hl7.org.uk/Id/nmc-number";
/// Health and Care Professions Council registration number.
pub const HCPC_NUMBER: &str = "https://fhir.hl7.org.uk/Id/hcpc-number";
/// General Pharmaceutical Council registration number (the system the NHS Electronic
/// Prescription Service writes for pharmacists).
pub const GPHC_NUMBER: &str = "https://fhir.hl7.org.uk/Id/gphc-number";
/// Social Work England registration number. No UK Core naming system for it was
/// found, so this crate names one under its own base; replace it when one is published.
pub const SOCIAL_WORK_ENGLAND_NUMBER: &str =
    "https://github.com/pcn-rs/pcn/fhir/NamingSystem/social-work-england-number";
/// The URN form of a UUID used for `fullUrl` and references inside a bundle
/// (FHIR R4 Bundle, "Resource URL & Uniqueness rules").
pub const URN_UUID_PREFIX: &str = "urn:uuid:";
/// FHIR's code system for organisation types (`Organization.type`), whose `prov`
/// (healthcare provider) and `team` codes we use where no UK code exists.
pub const ORGANIZATION_TYPE: &str = "http://terminology.hl7.org/CodeSystem/organization-type";
/// NHS Booking and Referral Standard (BaRS) message events (`MessageHeader.eventCoding`).
pub const MESSAGE_EVENTS: &str = "https://fhir.nhs.uk/CodeSystem/message-events-bars";
/// The BaRS event of a referral request.
pub const REFERRAL_REQUEST_EVENT: &str = "servicerequest-request";
/// BaRS message reasons (`MessageHeader.reason`): new, update, delete.
pub const MESSAGE_REASONS: &str = "https://fhir.nhs.uk/CodeSystem/message-reason-bars";
/// The kind of a BaRS service request (`ServiceRequest.category`): `referral` and
/// others.
pub const SERVICE_REQUEST_CATEGORY: &str =
    "https://fhir.nhs.uk/CodeSystem/message-category-servicerequest";
/// BaRS use cases (`ServiceRequest.category`), such as `a5t3`.
pub const USE_CASES: &str = "https://fhir.nhs.uk/CodeSystem/usecases-categories-bars";
/// The message definition of a BaRS referral request.
pub const REFERRAL_DEFINITION: &str =
    "https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-request-referral";
/// Directory of Services (DoS) service ids, as BaRS identifies services.
pub const DOS_SERVICE_ID: &str = "https://fhir.nhs.uk/Id/dos-service-id";
