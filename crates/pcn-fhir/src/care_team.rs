//! `CareTeam`: the people and organisations who care for a patient or a population.
//!
//! Source: FHIR R4 CareTeam (<http://hl7.org/fhir/R4/careteam.html>); every element
//! is optional in R4. A multidisciplinary team serving a network's population has no
//! `subject`; a patient's own team has the patient as `subject`.

use serde::{Deserialize, Serialize};

use crate::datatype::{
    Annotation, CodeableConcept, ContactPoint, Identifier, Meta, Narrative, Period, Reference,
};
use crate::primitive::ResourceId;
use crate::resource::ResourceTypeTag;
use crate::value_set::CareTeamStatus;

/// A care team.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CareTeam {
    /// Always `"CareTeam"`.
    #[serde(default)]
    pub resource_type: ResourceTypeTag<CareTeam>,
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
    /// The team's status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<CareTeamStatus>,
    /// The kind of team.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub category: Vec<CodeableConcept>,
    /// The team's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The patient or group the team cares for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<Reference>,
    /// When the team is or was in place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// The members.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participant: Vec<CareTeamParticipant>,
    /// The organisations responsible for the team.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub managing_organization: Vec<Reference>,
    /// Contact details for the team.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub telecom: Vec<ContactPoint>,
    /// Notes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub note: Vec<Annotation>,
}

/// A member of a care team.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CareTeamParticipant {
    /// The member's roles in the team.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub role: Vec<CodeableConcept>,
    /// The member: a practitioner, a practitioner role, a patient, an organisation...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<Reference>,
    /// The organisation the practitioner acts for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_behalf_of: Option<Reference>,
    /// When the member is or was in the team.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
}
