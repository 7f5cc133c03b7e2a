//! `Task`: a piece of work and its workflow state, such as acting on a referral.
//!
//! Source: FHIR R4 Task (<http://hl7.org/fhir/R4/task.html>). `status` and `intent`
//! are required (1..1); the types make them non-optional. For a referral, `focus` is
//! the `ServiceRequest`, `status` the FHIR workflow state and `businessStatus` the
//! service's own finer state (for example "triaged").

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::datatype::{
    Annotation, CodeableConcept, Identifier, Meta, Narrative, Period, Reference,
};
use crate::primitive::{FhirDateTime, ResourceId};
use crate::resource::ResourceTypeTag;
use crate::value_set::{RequestPriority, TaskIntent, TaskStatus};

/// A task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Task<'a> {
    /// Always `"Task"`.
    #[serde(default)]
    pub resource_type: ResourceTypeTag<Task<'a>>,
    /// The logical id.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub id: Option<ResourceId<'a>>,
    /// Metadata.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta<'a>>,
    /// The human-readable summary.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub text: Option<Narrative<'a>>,
    /// Business identifiers.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub identifier: Vec<Identifier<'a>>,
    /// The requests the task fulfils.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub based_on: Vec<Reference<'a>>,
    /// An identifier shared by tasks made together.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub group_identifier: Option<Identifier<'a>>,
    /// The larger tasks this one is part of.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub part_of: Vec<Reference<'a>>,
    /// The workflow state (required).
    pub status: TaskStatus,
    /// Why the task has its state.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<CodeableConcept<'a>>,
    /// The business-specific state.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub business_status: Option<CodeableConcept<'a>>,
    /// The task's intent (required).
    pub intent: TaskIntent,
    /// How urgent it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<RequestPriority>,
    /// The kind of task.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub code: Option<CodeableConcept<'a>>,
    /// What is to be done, in words.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<Cow<'a, str>>,
    /// What the task acts on (for a referral, the service request).
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub focus: Option<Reference<'a>>,
    /// Who the task is for (the patient).
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub r#for: Option<Reference<'a>>,
    /// When the work started and, once done, ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub execution_period: Option<Period>,
    /// When the task was created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authored_on: Option<FhirDateTime>,
    /// When the task last changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<FhirDateTime>,
    /// Who asked for the task.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub requester: Option<Reference<'a>>,
    /// The kind of performer wanted.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub performer_type: Vec<CodeableConcept<'a>>,
    /// Who is responsible for the task now.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Reference<'a>>,
    /// Why the task exists, as a code.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<CodeableConcept<'a>>,
    /// Notes.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub note: Vec<Annotation<'a>>,
}

impl<'a> Task<'a> {
    /// A task with its two required elements and nothing else.
    #[must_use]
    pub fn new(status: TaskStatus, intent: TaskIntent) -> Self {
        Self {
            resource_type: ResourceTypeTag::default(),
            id: None,
            meta: None,
            text: None,
            identifier: Vec::new(),
            based_on: Vec::new(),
            group_identifier: None,
            part_of: Vec::new(),
            status,
            status_reason: None,
            business_status: None,
            intent,
            priority: None,
            code: None,
            description: None,
            focus: None,
            r#for: None,
            execution_period: None,
            authored_on: None,
            last_modified: None,
            requester: None,
            performer_type: Vec::new(),
            owner: None,
            reason_code: None,
            note: Vec::new(),
        }
    }
}
