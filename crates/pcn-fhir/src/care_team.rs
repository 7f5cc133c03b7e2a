//! `CareTeam`: the people and organisations who care for a patient or a population.
//!
//! Source: FHIR R4 CareTeam (<http://hl7.org/fhir/R4/careteam.html>); every element
//! is optional in R4. A multidisciplinary team serving a network's population has no
//! `subject`; a patient's own team has the patient as `subject`.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::datatype::{
    Annotation, CodeableConcept, ContactPoint, Extension, Identifier, Meta, Narrative, Period,
    Reference,
};
use crate::primitive::ResourceId;
use crate::resource::ResourceTypeTag;
use crate::value_set::CareTeamStatus;

/// A care team.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CareTeam<'a> {
    /// Always `"CareTeam"`.
    #[serde(default)]
    pub resource_type: ResourceTypeTag<CareTeam<'a>>,
    /// The logical id.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub id: Option<ResourceId<'a>>,
    /// Metadata.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta<'a>>,
    /// The human-readable summary.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub text: Option<Narrative<'a>>,
    /// Extensions, such as this crate's own for team facts FHIR has no element for.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension<'a>>,
    /// Business identifiers.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub identifier: Vec<Identifier<'a>>,
    /// The team's status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<CareTeamStatus>,
    /// The kind of team.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub category: Vec<CodeableConcept<'a>>,
    /// The team's name.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<Cow<'a, str>>,
    /// The patient or group the team cares for.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub subject: Option<Reference<'a>>,
    /// When the team is or was in place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// The members.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub participant: Vec<CareTeamParticipant<'a>>,
    /// The organisations responsible for the team.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub managing_organization: Vec<Reference<'a>>,
    /// Contact details for the team.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub telecom: Vec<ContactPoint<'a>>,
    /// Notes.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub note: Vec<Annotation<'a>>,
}

/// A member of a care team.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CareTeamParticipant<'a> {
    /// Extensions, such as this crate's own for a member's share of hours.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension<'a>>,
    /// The member's roles in the team.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub role: Vec<CodeableConcept<'a>>,
    /// The member: a practitioner, a practitioner role, a patient, an organisation...
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub member: Option<Reference<'a>>,
    /// The organisation the practitioner acts for.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub on_behalf_of: Option<Reference<'a>>,
    /// When the member is or was in the team.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
}
