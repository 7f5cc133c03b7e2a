//! `Practitioner` and `PractitionerRole`: a member of staff, and the role they play
//! in an organisation over a period.
//!
//! Sources: FHIR R4 Practitioner (<http://hl7.org/fhir/R4/practitioner.html>) and
//! PractitionerRole (<http://hl7.org/fhir/R4/practitionerrole.html>); every element
//! modelled here is optional in R4. Professional registration numbers travel as
//! identifiers in the UK Core naming systems ([`crate::system`]).

use serde::{Deserialize, Serialize};

use crate::datatype::{
    Address, CodeableConcept, ContactPoint, HumanName, Identifier, Meta, Narrative, Period,
    Reference,
};
use crate::primitive::{FhirDate, ResourceId};
use crate::resource::ResourceTypeTag;
use crate::value_set::AdministrativeGender;

/// A person who provides care: a GP, a nurse, a pharmacist, a link worker.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Practitioner {
    /// Always `"Practitioner"`.
    #[serde(default)]
    pub resource_type: ResourceTypeTag<Practitioner>,
    /// The logical id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<ResourceId>,
    /// Metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// The human-readable summary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<Narrative>,
    /// Business identifiers, such as a GMC or NMC number.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifier: Vec<Identifier>,
    /// Whether the record is in active use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// Names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub name: Vec<HumanName>,
    /// Contact details.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub telecom: Vec<ContactPoint>,
    /// Addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub address: Vec<Address>,
    /// Administrative gender.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<AdministrativeGender>,
    /// Date of birth.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<FhirDate>,
}

/// The role a practitioner plays for an organisation over a period.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PractitionerRole {
    /// Always `"PractitionerRole"`.
    #[serde(default)]
    pub resource_type: ResourceTypeTag<PractitionerRole>,
    /// The logical id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<ResourceId>,
    /// Metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// The human-readable summary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<Narrative>,
    /// Business identifiers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifier: Vec<Identifier>,
    /// Whether the record is in active use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// When the role is held (both ends inclusive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// The practitioner.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub practitioner: Option<Reference>,
    /// The organisation the role is held for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<Reference>,
    /// The roles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub code: Vec<CodeableConcept>,
    /// Specialties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub specialty: Vec<CodeableConcept>,
    /// Locations where the role is played.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub location: Vec<Reference>,
    /// Healthcare services the practitioner provides in this role.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub healthcare_service: Vec<Reference>,
    /// Contact details for the role.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub telecom: Vec<ContactPoint>,
}
