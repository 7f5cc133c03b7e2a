//! `CarePlan`: a personalised care and support plan.
//!
//! Source: FHIR R4 CarePlan (<http://hl7.org/fhir/R4/careplan.html>). `status`,
//! `intent` and `subject` are required (1..1), and so is `activity.detail.status`
//! when an activity has a detail; the types here make them non-optional, so a plan
//! without them cannot be built or imported. `cpl-3` says an activity has a
//! `reference` or a `detail`, not both.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::datatype::{
    Annotation, CodeableConcept, Extension, Identifier, Meta, Narrative, Period, Reference,
};
use crate::primitive::{FhirDateTime, ResourceId};
use crate::resource::ResourceTypeTag;
use crate::value_set::{
    CarePlanActivityKind, CarePlanActivityStatus, CarePlanIntent, RequestStatus,
};

/// A care plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CarePlan<'a> {
    /// Always `"CarePlan"`.
    #[serde(default)]
    pub resource_type: ResourceTypeTag<CarePlan<'a>>,
    /// The logical id.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub id: Option<ResourceId<'a>>,
    /// Metadata.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta<'a>>,
    /// The human-readable summary.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub text: Option<Narrative<'a>>,
    /// Extensions, such as this crate's own for plan facts FHIR has no element for.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension<'a>>,
    /// Business identifiers.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub identifier: Vec<Identifier<'a>>,
    /// The requests the plan fulfils.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub based_on: Vec<Reference<'a>>,
    /// The plans this one replaces.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub replaces: Vec<Reference<'a>>,
    /// The larger plans this one is part of.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub part_of: Vec<Reference<'a>>,
    /// The plan's status (required).
    pub status: RequestStatus,
    /// The plan's intent (required).
    pub intent: CarePlanIntent,
    /// The kind of plan.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub category: Vec<CodeableConcept<'a>>,
    /// A title.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub title: Option<Cow<'a, str>>,
    /// A summary of the plan.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<Cow<'a, str>>,
    /// The patient or group the plan is for (required).
    #[serde(borrow)]
    pub subject: Reference<'a>,
    /// When the plan applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// When the plan was first recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<FhirDateTime>,
    /// Who is responsible for the plan.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub author: Option<Reference<'a>>,
    /// Who contributed to it.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub contributor: Vec<Reference<'a>>,
    /// The care teams involved.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub care_team: Vec<Reference<'a>>,
    /// The health issues the plan addresses.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<Reference<'a>>,
    /// The goals of the plan.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub goal: Vec<Reference<'a>>,
    /// The actions planned.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub activity: Vec<CarePlanActivity<'a>>,
    /// Notes.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub note: Vec<Annotation<'a>>,
}

impl<'a> CarePlan<'a> {
    /// A plan with its three required elements and nothing else.
    #[must_use]
    pub fn new(status: RequestStatus, intent: CarePlanIntent, subject: Reference<'a>) -> Self {
        Self {
            resource_type: ResourceTypeTag::default(),
            id: None,
            meta: None,
            text: None,
            extension: Vec::new(),
            identifier: Vec::new(),
            based_on: Vec::new(),
            replaces: Vec::new(),
            part_of: Vec::new(),
            status,
            intent,
            category: Vec::new(),
            title: None,
            description: None,
            subject,
            period: None,
            created: None,
            author: None,
            contributor: Vec::new(),
            care_team: Vec::new(),
            addresses: Vec::new(),
            goal: Vec::new(),
            activity: Vec::new(),
            note: Vec::new(),
        }
    }
}

/// An action in a care plan: a reference to a request, or an inline detail.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CarePlanActivity<'a> {
    /// The request that describes the activity (an appointment, a service request...).
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub reference: Option<Reference<'a>>,
    /// The activity described inline.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub detail: Option<CarePlanActivityDetail<'a>>,
}

/// An activity described inline in a care plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CarePlanActivityDetail<'a> {
    /// The kind of request the activity would be.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<CarePlanActivityKind>,
    /// What the activity is.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub code: Option<CodeableConcept<'a>>,
    /// Why it is done.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub reason_code: Vec<CodeableConcept<'a>>,
    /// The goals it serves.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub goal: Vec<Reference<'a>>,
    /// Its status (required).
    pub status: CarePlanActivityStatus,
    /// Why it has that status.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<CodeableConcept<'a>>,
    /// Whether the plan says *not* to do it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub do_not_perform: Option<bool>,
    /// When it is scheduled (the Period form of `scheduled[x]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheduled_period: Option<Period>,
    /// When it is scheduled, in words (the string form of `scheduled[x]`).
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub scheduled_string: Option<Cow<'a, str>>,
    /// Where it happens.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub location: Option<Reference<'a>>,
    /// Who does it.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub performer: Vec<Reference<'a>>,
    /// What is to be done, in words.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<Cow<'a, str>>,
}

impl<'a> CarePlanActivityDetail<'a> {
    /// A detail with its required status and nothing else.
    #[must_use]
    pub fn new(status: CarePlanActivityStatus) -> Self {
        Self {
            kind: None,
            code: None,
            reason_code: Vec::new(),
            goal: Vec::new(),
            status,
            status_reason: None,
            do_not_perform: None,
            scheduled_period: None,
            scheduled_string: None,
            location: None,
            performer: Vec::new(),
            description: None,
        }
    }
}
