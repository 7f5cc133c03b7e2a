//! `Practitioner` and `PractitionerRole`: a member of staff, and the role they play
//! in an organisation over a period.
//!
//! Sources: FHIR R4 Practitioner (<http://hl7.org/fhir/R4/practitioner.html>) and
//! PractitionerRole (<http://hl7.org/fhir/R4/practitionerrole.html>); every element
//! modelled here is optional in R4. Professional registration numbers travel as
//! identifiers in the UK Core naming systems ([`crate::system`]).

use serde::{Deserialize, Serialize};

use crate::datatype::{
    Address, CodeableConcept, ContactPoint, Extension, HumanName, Identifier, Meta, Narrative,
    Period, Reference,
};
use crate::primitive::{FhirDate, ResourceId};
use crate::resource::ResourceTypeTag;
use crate::value_set::AdministrativeGender;

/// A person who provides care: a GP, a nurse, a pharmacist, a link worker.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Practitioner<'a> {
    /// Always `"Practitioner"`.
    #[serde(default)]
    pub resource_type: ResourceTypeTag<Practitioner<'a>>,
    /// The logical id.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub id: Option<ResourceId<'a>>,
    /// Metadata.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta<'a>>,
    /// The human-readable summary.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub text: Option<Narrative<'a>>,
    /// Extensions, such as this crate's own for model facts FHIR has no element for.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension<'a>>,
    /// Business identifiers, such as a GMC or NMC number.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub identifier: Vec<Identifier<'a>>,
    /// Whether the record is in active use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// Names.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub name: Vec<HumanName<'a>>,
    /// Contact details.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub telecom: Vec<ContactPoint<'a>>,
    /// Addresses.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub address: Vec<Address<'a>>,
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
pub struct PractitionerRole<'a> {
    /// Always `"PractitionerRole"`.
    #[serde(default)]
    pub resource_type: ResourceTypeTag<PractitionerRole<'a>>,
    /// The logical id.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub id: Option<ResourceId<'a>>,
    /// Metadata.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta<'a>>,
    /// The human-readable summary.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub text: Option<Narrative<'a>>,
    /// Extensions, such as this crate's own for model facts FHIR has no element for.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension<'a>>,
    /// Business identifiers.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub identifier: Vec<Identifier<'a>>,
    /// Whether the record is in active use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// When the role is held (both ends inclusive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// The practitioner.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub practitioner: Option<Reference<'a>>,
    /// The organisation the role is held for.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub organization: Option<Reference<'a>>,
    /// The roles.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub code: Vec<CodeableConcept<'a>>,
    /// Specialties.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub specialty: Vec<CodeableConcept<'a>>,
    /// Locations where the role is played.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub location: Vec<Reference<'a>>,
    /// Healthcare services the practitioner provides in this role.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub healthcare_service: Vec<Reference<'a>>,
    /// Contact details for the role.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub telecom: Vec<ContactPoint<'a>>,
}
