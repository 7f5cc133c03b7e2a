//! `OperationOutcome`: a set of issues found while processing, such as a validation
//! report.
//!
//! Source: FHIR R4 OperationOutcome (<http://hl7.org/fhir/R4/operationoutcome.html>):
//! at least one `issue` (1..*), each with a `severity` and a `code` (both 1..1, from
//! required value sets); `expression` holds the FHIRPath of the element at fault
//! (`location`, its XPath twin, is deprecated and not written).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::datatype::{CodeableConcept, Meta, Narrative};
use crate::primitive::ResourceId;
use crate::resource::ResourceTypeTag;
use crate::value_set::{IssueSeverity, IssueType};

/// An operation outcome.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationOutcome<'a> {
    /// Always `"OperationOutcome"`.
    #[serde(default)]
    pub resource_type: ResourceTypeTag<OperationOutcome<'a>>,
    /// The logical id.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub id: Option<ResourceId<'a>>,
    /// Metadata.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta<'a>>,
    /// The human-readable summary.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub text: Option<Narrative<'a>>,
    /// The issues (R4 requires at least one: a clean report is written with one
    /// `information` issue saying so).
    #[serde(borrow, default)]
    pub issue: Vec<OperationOutcomeIssue<'a>>,
}

/// One issue of an operation outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationOutcomeIssue<'a> {
    /// How severe it is (required).
    pub severity: IssueSeverity,
    /// What kind of issue it is (required).
    pub code: IssueType,
    /// The issue in words, and codes for it.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub details: Option<CodeableConcept<'a>>,
    /// More about the issue, for those fixing it.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub diagnostics: Option<Cow<'a, str>>,
    /// The FHIRPath expressions of the elements at fault.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::vec",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub expression: Vec<Cow<'a, str>>,
}
