//! `HealthcareService`: a service people can be referred to, such as a first contact
//! physiotherapy clinic or a social prescribing service.
//!
//! Source: FHIR R4 HealthcareService (<http://hl7.org/fhir/R4/healthcareservice.html>);
//! every element modelled here is optional in R4. `referralMethod` uses the example
//! code system `http://terminology.hl7.org/CodeSystem/service-referral-method`
//! (`fax`, `phone`, `elec`, `semail`, `mail`).

use serde::{Deserialize, Serialize};

use crate::datatype::{CodeableConcept, ContactPoint, Identifier, Meta, Narrative, Reference};
use crate::primitive::ResourceId;
use crate::resource::ResourceTypeTag;

/// A healthcare service.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthcareService {
    /// Always `"HealthcareService"`.
    #[serde(default)]
    pub resource_type: ResourceTypeTag<HealthcareService>,
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
    /// Whether the service's record is in active use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// The organisation that provides the service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provided_by: Option<Reference>,
    /// Broad categories of service.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub category: Vec<CodeableConcept>,
    /// The kinds of service.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub r#type: Vec<CodeableConcept>,
    /// Specialties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub specialty: Vec<CodeableConcept>,
    /// Where the service is provided.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub location: Vec<Reference>,
    /// The service's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A description for people choosing a service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Further details (markdown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extra_details: Option<String>,
    /// Contact details.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub telecom: Vec<ContactPoint>,
    /// The areas the service covers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coverage_area: Vec<Reference>,
    /// Conditions of service (fees, free...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_provision_code: Vec<CodeableConcept>,
    /// Who is eligible.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub eligibility: Vec<HealthcareServiceEligibility>,
    /// Programmes the service is part of.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub program: Vec<CodeableConcept>,
    /// Other characteristics (such as wheelchair access).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub characteristic: Vec<CodeableConcept>,
    /// How referrals are accepted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub referral_method: Vec<CodeableConcept>,
    /// Whether an appointment is needed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appointment_required: Option<bool>,
}

/// A rule on who may use a service.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthcareServiceEligibility {
    /// The rule, coded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<CodeableConcept>,
    /// The rule in words (markdown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}
