//! `CarePlan`: a personalised care and support plan.
//!
//! Source: FHIR R4 CarePlan (<http://hl7.org/fhir/R4/careplan.html>). `status`,
//! `intent` and `subject` are required (1..1), and so is `activity.detail.status`
//! when an activity has a detail; the types here make them non-optional, so a plan
//! without them cannot be built or imported. `cpl-3` says an activity has a
//! `reference` or a `detail`, not both.

use serde::{Deserialize, Serialize};

use crate::datatype::{
    Annotation, CodeableConcept, Identifier, Meta, Narrative, Period, Reference,
};
use crate::primitive::{FhirDateTime, ResourceId};
use crate::resource::ResourceTypeTag;
use crate::value_set::{
    CarePlanActivityKind, CarePlanActivityStatus, CarePlanIntent, RequestStatus,
};

/// A care plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CarePlan {
    /// Always `"CarePlan"`.
    #[serde(default)]
    pub resource_type: ResourceTypeTag<CarePlan>,
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
    /// The requests the plan fulfils.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub based_on: Vec<Reference>,
    /// The plans this one replaces.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replaces: Vec<Reference>,
    /// The larger plans this one is part of.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub part_of: Vec<Reference>,
    /// The plan's status (required).
    pub status: RequestStatus,
    /// The plan's intent (required).
    pub intent: CarePlanIntent,
    /// The kind of plan.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub category: Vec<CodeableConcept>,
    /// A title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A summary of the plan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The patient or group the plan is for (required).
    pub subject: Reference,
    /// When the plan applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// When the plan was first recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<FhirDateTime>,
    /// Who is responsible for the plan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<Reference>,
    /// Who contributed to it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contributor: Vec<Reference>,
    /// The care teams involved.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub care_team: Vec<Reference>,
    /// The health issues the plan addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<Reference>,
    /// The goals of the plan.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goal: Vec<Reference>,
    /// The actions planned.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activity: Vec<CarePlanActivity>,
    /// Notes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub note: Vec<Annotation>,
}

impl CarePlan {
    /// A plan with its three required elements and nothing else.
    #[must_use]
    pub fn new(status: RequestStatus, intent: CarePlanIntent, subject: Reference) -> Self {
        Self {
            resource_type: ResourceTypeTag::default(),
            id: None,
            meta: None,
            text: None,
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
pub struct CarePlanActivity {
    /// The request that describes the activity (an appointment, a service request...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<Reference>,
    /// The activity described inline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<CarePlanActivityDetail>,
}

/// An activity described inline in a care plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CarePlanActivityDetail {
    /// The kind of request the activity would be.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<CarePlanActivityKind>,
    /// What the activity is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<CodeableConcept>,
    /// Why it is done.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reason_code: Vec<CodeableConcept>,
    /// The goals it serves.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goal: Vec<Reference>,
    /// Its status (required).
    pub status: CarePlanActivityStatus,
    /// Why it has that status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<CodeableConcept>,
    /// Whether the plan says *not* to do it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub do_not_perform: Option<bool>,
    /// When it is scheduled (the Period form of `scheduled[x]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheduled_period: Option<Period>,
    /// When it is scheduled, in words (the string form of `scheduled[x]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheduled_string: Option<String>,
    /// Where it happens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Reference>,
    /// Who does it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub performer: Vec<Reference>,
    /// What is to be done, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl CarePlanActivityDetail {
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
