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

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::datatype::{
    Address, CodeableConcept, ContactPoint, Extension, Identifier, Meta, Narrative, Period,
    Reference,
};
use crate::primitive::ResourceId;
use crate::resource::ResourceTypeTag;

/// A formally recognised grouping of people or organisations: a GP practice, a PCN,
/// a trust, a local authority, a voluntary organisation.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Organization<'a> {
    /// Always `"Organization"`.
    #[serde(default)]
    pub resource_type: ResourceTypeTag<Organization<'a>>,
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
    /// Business identifiers, such as the ODS code.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub identifier: Vec<Identifier<'a>>,
    /// Whether the organisation's record is in active use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// The kind of organisation.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub r#type: Vec<CodeableConcept<'a>>,
    /// The name.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<Cow<'a, str>>,
    /// Other names.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::vec",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub alias: Vec<Cow<'a, str>>,
    /// Contact details.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub telecom: Vec<ContactPoint<'a>>,
    /// Addresses.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub address: Vec<Address<'a>>,
    /// The organisation this one is part of.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub part_of: Option<Reference<'a>>,
}

/// A relationship between two organisations over a period: a practice's membership
/// of a PCN, a partner's agreement with a network.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationAffiliation<'a> {
    /// Always `"OrganizationAffiliation"`.
    #[serde(default)]
    pub resource_type: ResourceTypeTag<OrganizationAffiliation<'a>>,
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
    /// Whether the relationship's record is in active use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// When the relationship holds (both ends inclusive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// The primary organisation (for a membership, the network).
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub organization: Option<Reference<'a>>,
    /// The participating organisation (for a membership, the practice).
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub participating_organization: Option<Reference<'a>>,
    /// The networks the relationship is part of.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub network: Vec<Reference<'a>>,
    /// The roles the participating organisation plays.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub code: Vec<CodeableConcept<'a>>,
    /// Specialties.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub specialty: Vec<CodeableConcept<'a>>,
    /// Locations where the role is played.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub location: Vec<Reference<'a>>,
    /// Healthcare services provided through the relationship.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub healthcare_service: Vec<Reference<'a>>,
    /// Contact details.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub telecom: Vec<ContactPoint<'a>>,
}
