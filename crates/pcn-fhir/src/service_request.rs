//! `ServiceRequest`: a referral or an order for a service.
//!
//! Source: FHIR R4 ServiceRequest (<http://hl7.org/fhir/R4/servicerequest.html>).
//! `status`, `intent` and `subject` are required (1..1); the types make them
//! non-optional. A referral is a service request with intent `order`; its workflow
//! state travels in a [`Task`](crate::Task) whose `focus` is the request.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::datatype::{
    Annotation, CodeableConcept, Extension, Identifier, Meta, Narrative, Period, Reference,
};
use crate::primitive::{FhirDateTime, ResourceId};
use crate::resource::ResourceTypeTag;
use crate::value_set::{RequestIntent, RequestPriority, RequestStatus};

/// A service request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceRequest<'a> {
    /// Always `"ServiceRequest"`.
    #[serde(default)]
    pub resource_type: ResourceTypeTag<ServiceRequest<'a>>,
    /// The logical id.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub id: Option<ResourceId<'a>>,
    /// Metadata.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta<'a>>,
    /// The human-readable summary.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub text: Option<Narrative<'a>>,
    /// Extensions, such as this crate's own for referral facts FHIR has no element for.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension<'a>>,
    /// Business identifiers (such as the referrer's reference).
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub identifier: Vec<Identifier<'a>>,
    /// The plans or requests this one fulfils.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub based_on: Vec<Reference<'a>>,
    /// The requests this one replaces.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub replaces: Vec<Reference<'a>>,
    /// An identifier shared by requests made together.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub requisition: Option<Identifier<'a>>,
    /// The request's status (required).
    pub status: RequestStatus,
    /// The request's intent (required).
    pub intent: RequestIntent,
    /// The kind of service.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub category: Vec<CodeableConcept<'a>>,
    /// How urgent it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<RequestPriority>,
    /// Whether the request is *not* to do it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub do_not_perform: Option<bool>,
    /// What is requested.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub code: Option<CodeableConcept<'a>>,
    /// The patient (required).
    #[serde(borrow)]
    pub subject: Reference<'a>,
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
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub requester: Option<Reference<'a>>,
    /// The kind of performer wanted.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub performer_type: Option<CodeableConcept<'a>>,
    /// The requested performers (a service, an organisation, a practitioner).
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub performer: Vec<Reference<'a>>,
    /// Why, as codes.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub reason_code: Vec<CodeableConcept<'a>>,
    /// Why, as references to conditions or observations.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub reason_reference: Vec<Reference<'a>>,
    /// Notes.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub note: Vec<Annotation<'a>>,
    /// Instructions for the patient.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub patient_instruction: Option<Cow<'a, str>>,
}

impl<'a> ServiceRequest<'a> {
    /// A request with its three required elements and nothing else.
    #[must_use]
    pub fn new(status: RequestStatus, intent: RequestIntent, subject: Reference<'a>) -> Self {
        Self {
            resource_type: ResourceTypeTag::default(),
            id: None,
            meta: None,
            text: None,
            extension: Vec::new(),
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
