//! `HealthcareService`: a service people can be referred to, such as a first contact
//! physiotherapy clinic or a social prescribing service.
//!
//! Source: FHIR R4 HealthcareService (<http://hl7.org/fhir/R4/healthcareservice.html>);
//! every element modelled here is optional in R4. `referralMethod` uses the example
//! code system `http://terminology.hl7.org/CodeSystem/service-referral-method`
//! (`fax`, `phone`, `elec`, `semail`, `mail`).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::datatype::{
    CodeableConcept, ContactPoint, Extension, Identifier, Meta, Narrative, Reference,
};
use crate::primitive::ResourceId;
use crate::resource::ResourceTypeTag;

/// A healthcare service.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthcareService<'a> {
    /// Always `"HealthcareService"`.
    #[serde(default)]
    pub resource_type: ResourceTypeTag<HealthcareService<'a>>,
    /// The logical id.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub id: Option<ResourceId<'a>>,
    /// Metadata.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta<'a>>,
    /// The human-readable summary.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub text: Option<Narrative<'a>>,
    /// Extensions, such as this crate's own for facts FHIR has no element for.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension<'a>>,
    /// Business identifiers.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub identifier: Vec<Identifier<'a>>,
    /// Whether the service's record is in active use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// The organisation that provides the service.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub provided_by: Option<Reference<'a>>,
    /// Broad categories of service.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub category: Vec<CodeableConcept<'a>>,
    /// The kinds of service.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub r#type: Vec<CodeableConcept<'a>>,
    /// Specialties.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub specialty: Vec<CodeableConcept<'a>>,
    /// Where the service is provided.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub location: Vec<Reference<'a>>,
    /// The service's name.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<Cow<'a, str>>,
    /// A description for people choosing a service.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub comment: Option<Cow<'a, str>>,
    /// Further details (markdown).
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub extra_details: Option<Cow<'a, str>>,
    /// Contact details.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub telecom: Vec<ContactPoint<'a>>,
    /// The areas the service covers.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub coverage_area: Vec<Reference<'a>>,
    /// Conditions of service (fees, free...).
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub service_provision_code: Vec<CodeableConcept<'a>>,
    /// Who is eligible.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub eligibility: Vec<HealthcareServiceEligibility<'a>>,
    /// Programmes the service is part of.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub program: Vec<CodeableConcept<'a>>,
    /// Other characteristics (such as wheelchair access).
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub characteristic: Vec<CodeableConcept<'a>>,
    /// How referrals are accepted.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub referral_method: Vec<CodeableConcept<'a>>,
    /// Whether an appointment is needed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appointment_required: Option<bool>,
}

/// A rule on who may use a service.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthcareServiceEligibility<'a> {
    /// The rule, coded.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub code: Option<CodeableConcept<'a>>,
    /// The rule in words (markdown).
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub comment: Option<Cow<'a, str>>,
}
