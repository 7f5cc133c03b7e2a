//! `Organization` and `OrganizationAffiliation`: practices, networks, partner
//! organisations, and the dated relationships between them.
//!
//! Sources: FHIR R4 Organization (<http://hl7.org/fhir/R4/organization.html>) and
//! OrganizationAffiliation (<http://hl7.org/fhir/R4/organizationaffiliation.html>);
//! every element modelled here is optional (0..1 or 0..*) in R4, and Organization's
//! invariant `org-1` asks for at least a name or an identifier. In the NHS ODS FHIR API
//! an affiliation's `organization` is the primary (source) organisation and
//! `participatingOrganization` the target: for a PCN membership, the network and the
//! practice.

use serde::{Deserialize, Serialize};

use crate::datatype::{
    Address, CodeableConcept, ContactPoint, Identifier, Meta, Narrative, Period, Reference,
};
use crate::primitive::ResourceId;
use crate::resource::ResourceTypeTag;

/// A formally recognised grouping of people or organisations: a GP practice, a PCN,
/// a trust, a local authority, a voluntary organisation.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    /// Always `"Organization"`.
    #[serde(default)]
    pub resource_type: ResourceTypeTag<Organization>,
    /// The logical id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<ResourceId>,
    /// Metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// The human-readable summary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<Narrative>,
    /// Business identifiers, such as the ODS code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifier: Vec<Identifier>,
    /// Whether the organisation's record is in active use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// The kind of organisation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub r#type: Vec<CodeableConcept>,
    /// The name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Other names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alias: Vec<String>,
    /// Contact details.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub telecom: Vec<ContactPoint>,
    /// Addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub address: Vec<Address>,
    /// The organisation this one is part of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part_of: Option<Reference>,
}

/// A relationship between two organisations over a period: a practice's membership
/// of a PCN, a partner's agreement with a network.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationAffiliation {
    /// Always `"OrganizationAffiliation"`.
    #[serde(default)]
    pub resource_type: ResourceTypeTag<OrganizationAffiliation>,
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
    /// Whether the relationship's record is in active use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// When the relationship holds (both ends inclusive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// The primary organisation (for a membership, the network).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<Reference>,
    /// The participating organisation (for a membership, the practice).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub participating_organization: Option<Reference>,
    /// The networks the relationship is part of.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub network: Vec<Reference>,
    /// The roles the participating organisation plays.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub code: Vec<CodeableConcept>,
    /// Specialties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub specialty: Vec<CodeableConcept>,
    /// Locations where the role is played.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub location: Vec<Reference>,
    /// Healthcare services provided through the relationship.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub healthcare_service: Vec<Reference>,
    /// Contact details.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub telecom: Vec<ContactPoint>,
}
