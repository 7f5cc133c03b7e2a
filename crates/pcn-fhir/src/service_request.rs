//! `ServiceRequest`: a referral or an order for a service.
//!
//! Source: FHIR R4 ServiceRequest (<http://hl7.org/fhir/R4/servicerequest.html>).
//! `status`, `intent` and `subject` are required (1..1); the types make them
//! non-optional. A referral is a service request with intent `order`; its workflow
//! state travels in a [`Task`](crate::Task) whose `focus` is the request.

use serde::{Deserialize, Serialize};

use crate::datatype::{
    Annotation, CodeableConcept, Identifier, Meta, Narrative, Period, Reference,
};
use crate::primitive::{FhirDateTime, ResourceId};
use crate::resource::ResourceTypeTag;
use crate::value_set::{RequestIntent, RequestPriority, RequestStatus};

/// A service request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceRequest {
    /// Always `"ServiceRequest"`.
    #[serde(default)]
    pub resource_type: ResourceTypeTag<ServiceRequest>,
    /// The logical id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<ResourceId>,
    /// Metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// The human-readable summary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<Narrative>,
    /// Business identifiers (such as the referrer's reference).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifier: Vec<Identifier>,
    /// The plans or requests this one fulfils.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub based_on: Vec<Reference>,
    /// The requests this one replaces.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replaces: Vec<Reference>,
    /// An identifier shared by requests made together.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requisition: Option<Identifier>,
    /// The request's status (required).
    pub status: RequestStatus,
    /// The request's intent (required).
    pub intent: RequestIntent,
    /// The kind of service.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub category: Vec<CodeableConcept>,
    /// How urgent it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<RequestPriority>,
    /// Whether the request is *not* to do it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub do_not_perform: Option<bool>,
    /// What is requested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<CodeableConcept>,
    /// The patient (required).
    pub subject: Reference,
    /// When the service should happen (the dateTime form of `occurrence[x]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub occurrence_date_time: Option<FhirDateTime>,
    /// When the service should happen (the Period form of `occurrence[x]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub occurrence_period: Option<Period>,
    /// When the request was made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authored_on: Option<FhirDateTime>,
    /// Who made the request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requester: Option<Reference>,
    /// The kind of performer wanted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub performer_type: Option<CodeableConcept>,
    /// The requested performers (a service, an organisation, a practitioner).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub performer: Vec<Reference>,
    /// Why, as codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reason_code: Vec<CodeableConcept>,
    /// Why, as references to conditions or observations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reason_reference: Vec<Reference>,
    /// Notes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub note: Vec<Annotation>,
    /// Instructions for the patient.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patient_instruction: Option<String>,
}

impl ServiceRequest {
    /// A request with its three required elements and nothing else.
    #[must_use]
    pub fn new(status: RequestStatus, intent: RequestIntent, subject: Reference) -> Self {
        Self {
            resource_type: ResourceTypeTag::default(),
            id: None,
            meta: None,
            text: None,
            identifier: Vec::new(),
            based_on: Vec::new(),
            replaces: Vec::new(),
            requisition: None,
            status,
            intent,
            category: Vec::new(),
            priority: None,
            do_not_perform: None,
            code: None,
            subject,
            occurrence_date_time: None,
            occurrence_period: None,
            authored_on: None,
            requester: None,
            performer_type: None,
            performer: Vec::new(),
            reason_code: Vec::new(),
            reason_reference: Vec::new(),
            note: Vec::new(),
            patient_instruction: None,
        }
    }
}
