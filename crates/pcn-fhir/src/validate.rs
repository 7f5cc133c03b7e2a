//! The validating import: read a whole document, keep what is sound, and report every
//! issue found, as a FHIR validator does.
//!
//! The strict import ([`import_resource`](crate::import_resource)) stops at the first
//! error: one patient's malformed NHS number fails a whole bundle. Systems that
//! receive messages from others cannot work that way: they take in what is sound and
//! tell the sender about the rest. [`validate_resource`] reads the same JSON with the
//! same rules, but a bundle entry with an error is left out (its `resource` is
//! `None`, so entry positions still match the report) and the reading goes on. Every
//! issue has a severity (error, warning, information), a location written as a
//! FHIRPath expression (`Bundle.entry[3].resource.identifier[0].value`) and a message,
//! and the report can be sent back as a FHIR `OperationOutcome`
//! ([`ValidationReport::to_operation_outcome`]).
//!
//! What each severity means here:
//!
//! | severity | meaning | what was kept |
//! |---|---|---|
//! | error | the element breaks a rule of FHIR R4 or of what this crate models (a malformed NHS number, a code outside a required value set, a missing required element) | not the resource it is in |
//! | warning | the element is allowed but the profile expects otherwise (an organisation without an ODS code, a service without a type) | everything |
//! | information | something was read past (an element this crate does not model) or a resource's id was mapped (an id that is not a UUID) | everything |
//!
//! On a document the strict import accepts, the validating import returns the same
//! resource and a report with no errors (property-tested).

use std::fmt;

use serde::Serialize;

use crate::import::read_lenient;
use crate::map::ids::ForeignIds;
use crate::path::IgnoredElements;
use crate::{
    CodeableConcept, FhirError, IssueSeverity, IssueType, OperationOutcome, OperationOutcomeIssue,
    Resource,
};

/// One issue found while reading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// How severe it is.
    pub severity: IssueSeverity,
    /// What kind of issue it is, as FHIR codes it.
    pub code: IssueType,
    /// Where: a FHIRPath-style expression such as
    /// `Bundle.entry[3].resource.identifier[0].value`.
    pub location: String,
    /// What is wrong, in a sentence.
    pub message: String,
}

impl Issue {
    /// An issue.
    #[must_use]
    pub fn new(
        severity: IssueSeverity,
        code: IssueType,
        location: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity,
            code,
            location: location.into(),
            message: message.into(),
        }
    }

    /// The error issue for an import error, at the error's path.
    #[must_use]
    pub fn from_error(error: &FhirError) -> Self {
        let code = match error {
            FhirError::Json { .. } | FhirError::NotAResource { .. } => IssueType::Structure,
            FhirError::InvalidValue { .. }
            | FhirError::InvalidPrimitive { .. }
            | FhirError::ImpreciseDate { .. } => IssueType::Value,
            FhirError::UnknownCode { .. } | FhirError::InvalidCode { .. } => IssueType::CodeInvalid,
            FhirError::MissingElement { .. } => IssueType::Required,
            FhirError::UnresolvedReference { .. } => IssueType::NotFound,
            FhirError::Network { .. }
            | FhirError::Population { .. }
            | FhirError::Team { .. }
            | FhirError::InvalidTeam { .. } => IssueType::BusinessRule,
            FhirError::Write { .. } => IssueType::Exception,
            _ => IssueType::Invalid,
        };
        Self::new(
            IssueSeverity::Error,
            code,
            error.path().unwrap_or("the document"),
            error.to_string(),
        )
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at {}: {}",
            self.severity, self.location, self.message
        )
    }
}

/// Every issue found in a document, in the order found.
///
/// ```
/// use pcn_fhir::{IssueSeverity, validate_resource};
/// let json = br#"{"resourceType": "Bundle", "type": "collection", "entry": [
///   {"resource": {"resourceType": "Patient", "identifier": [
///     {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765918"}]}},
///   {"resource": {"resourceType": "Patient", "gender": "female", "photo": []}}]}"#;
/// let validated = validate_resource(json);
/// let report = &validated.report;
/// assert_eq!(report.errors().count(), 1);
/// let error = report.errors().next().unwrap();
/// assert_eq!(error.location, "Bundle.entry[0].resource.identifier[0].value");
/// assert!(report.issues().iter().any(|i| i.severity == IssueSeverity::Information
///     && i.location == "Bundle.entry[1].resource.photo"));
///
/// // The sound patient is kept; the other entry is left without its resource.
/// let pcn_fhir::Resource::Bundle(bundle) = validated.value.unwrap() else { unreachable!() };
/// assert!(bundle.entry[0].resource.is_none());
/// assert!(bundle.entry[1].resource.is_some());
///
/// let outcome = pcn_fhir::to_json(&report.to_operation_outcome())?;
/// assert!(outcome.contains(r#""expression":["Bundle.entry[0].resource.identifier[0].value"]"#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ValidationReport {
    issues: Vec<Issue>,
}

impl ValidationReport {
    /// An empty report.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an issue.
    pub fn push(&mut self, issue: Issue) {
        self.issues.push(issue);
    }

    /// Adds an error issue for an import error.
    pub fn push_error(&mut self, error: &FhirError) {
        self.push(Issue::from_error(error));
    }

    /// Adds a warning.
    pub fn warn(
        &mut self,
        code: IssueType,
        location: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.push(Issue::new(IssueSeverity::Warning, code, location, message));
    }

    /// Adds an information issue.
    pub fn inform(
        &mut self,
        code: IssueType,
        location: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.push(Issue::new(
            IssueSeverity::Information,
            code,
            location,
            message,
        ));
    }

    /// Every issue, in the order found.
    #[must_use]
    pub fn issues(&self) -> &[Issue] {
        &self.issues
    }

    /// The issues of one severity.
    pub fn with_severity(&self, severity: IssueSeverity) -> impl Iterator<Item = &Issue> + '_ {
        self.issues.iter().filter(move |i| i.severity == severity)
    }

    /// The errors (and fatal issues).
    pub fn errors(&self) -> impl Iterator<Item = &Issue> + '_ {
        self.issues
            .iter()
            .filter(|i| matches!(i.severity, IssueSeverity::Error | IssueSeverity::Fatal))
    }

    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Issue> + '_ {
        self.with_severity(IssueSeverity::Warning)
    }

    /// Whether there is any error.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }

    /// The issues at `location` or below it.
    pub fn at<'r>(&'r self, location: &'r str) -> impl Iterator<Item = &'r Issue> + 'r {
        self.issues.iter().filter(move |i| {
            i.location
                .strip_prefix(location)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
        })
    }

    /// The number of issues.
    #[must_use]
    pub fn len(&self) -> usize {
        self.issues.len()
    }

    /// Whether there is no issue at all.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.issues.is_empty()
    }

    /// Appends another report's issues.
    pub fn extend(&mut self, other: Self) {
        self.issues.extend(other.issues);
    }

    /// The report as a FHIR `OperationOutcome`: one issue per issue, with the
    /// location as its `expression` and the message as `details.text`. An empty
    /// report gives one `information` issue saying that all is well, since R4 asks
    /// for at least one.
    #[must_use]
    pub fn to_operation_outcome(&self) -> OperationOutcome<'_> {
        let mut issue: Vec<OperationOutcomeIssue<'_>> = self
            .issues
            .iter()
            .map(|i| OperationOutcomeIssue {
                severity: i.severity,
                code: i.code,
                details: Some(CodeableConcept::from_text(i.message.as_str())),
                diagnostics: None,
                expression: vec![i.location.as_str().into()],
            })
            .collect();
        if issue.is_empty() {
            issue.push(OperationOutcomeIssue {
                severity: IssueSeverity::Information,
                code: IssueType::Informational,
                details: Some(CodeableConcept::from_text("No issues found.")),
                diagnostics: None,
                expression: Vec::new(),
            });
        }
        OperationOutcome {
            issue,
            ..OperationOutcome::default()
        }
    }
}

impl fmt::Display for ValidationReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for issue in &self.issues {
            writeln!(f, "{issue}")?;
        }
        Ok(())
    }
}

/// What a validating read kept, with the report of everything it found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Validated<T> {
    /// What is sound: `None` if nothing could be kept (the document is not JSON, or
    /// the one resource it holds has an error).
    pub value: Option<T>,
    /// Every issue found.
    pub report: ValidationReport,
}

/// Adds the elements read past to the report, as information.
pub(crate) fn report_ignored(ignored: &IgnoredElements, report: &mut ValidationReport) {
    for path in ignored.iter() {
        report.inform(
            IssueType::Informational,
            path,
            "not part of the model: read past, not checked",
        );
    }
}

/// Adds an information issue for each modelled resource whose id is not a UUID.
fn report_foreign_ids(resource: &Resource<'_>, report: &mut ValidationReport) {
    let mut note = |path: String, resource: &Resource<'_>| {
        if let Some(id) = resource.id()
            && let Some(uuid) = ForeignIds::derived(resource.resource_type(), id.as_str())
        {
            report.inform(
                IssueType::Informational,
                format!("{path}.id"),
                format!(
                    "the id {:?} is not a UUID: the model holds the resource as urn:uuid:{uuid} and writes it back as {:?}",
                    id.as_str(),
                    id.as_str()
                ),
            );
        }
    };
    match resource {
        Resource::Bundle(bundle) => {
            for (i, entry) in bundle.entry.iter().enumerate() {
                if let Some(r) = &entry.resource {
                    note(format!("Bundle.entry[{i}].resource"), r);
                }
            }
        }
        other => note(other.resource_type().to_owned(), other),
    }
}

/// Reads a FHIR R4 resource of any type from JSON, keeping what is sound and
/// reporting every issue: the validating twin of
/// [`import_resource`](crate::import_resource). Never fails and never panics, whatever
/// the bytes.
///
/// In a bundle, an entry whose resource has an error is kept with `resource: None`;
/// every other entry is kept whole. Elements that are not modelled are reported as
/// information, by path; so are ids that are not UUIDs (the model maps them to UUIDs,
/// see [`ForeignIds`]).
///
/// ```
/// let validated = pcn_fhir::validate_resource(b"{\"resourceType\": \"Patient\", \"gender\": \"m\"}");
/// assert!(validated.value.is_none());
/// let issue = &validated.report.issues()[0];
/// assert_eq!(issue.location, "Patient.gender");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn validate_resource(json: &[u8]) -> Validated<Resource<'_>> {
    let mut ignored = IgnoredElements::new();
    let mut errors = Vec::new();
    let value = read_lenient(json, &mut ignored, &mut errors);
    let mut report = ValidationReport::new();
    for error in &errors {
        report.push_error(error);
    }
    report_ignored(&ignored, &mut report);
    if let Some(resource) = &value {
        report_foreign_ids(resource, &mut report);
    }
    Validated { value, report }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_report_is_one_information_issue_as_an_outcome() {
        let report = ValidationReport::new();
        let outcome = report.to_operation_outcome();
        assert_eq!(outcome.issue.len(), 1);
        assert_eq!(outcome.issue[0].severity, IssueSeverity::Information);
        let json = serde_json::to_string(&outcome).unwrap();
        assert!(json.starts_with(r#"{"resourceType":"OperationOutcome","issue":[{"severity":"information","code":"informational""#), "{json}");
    }

    #[test]
    fn every_error_in_a_bundle_is_reported_and_sound_entries_kept() {
        let json = br#"{"resourceType":"Bundle","type":"collection","entry":[
            {"resource":{"resourceType":"Patient","identifier":[
                {"system":"https://fhir.nhs.uk/Id/nhs-number","value":"123"},
                {"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"a1"}]}},
            {"resource":{"resourceType":"Task","intent":"order","status":"done"}},
            {"resource":{"resourceType":"Patient","id":"p-2","gender":"female"}},
            {"resource":"not an object"}
        ]}"#;
        let validated = validate_resource(json);
        let locations: Vec<&str> = validated
            .report
            .errors()
            .map(|i| i.location.as_str())
            .collect();
        assert_eq!(
            locations,
            [
                "Bundle.entry[0].resource.identifier[0].value",
                "Bundle.entry[0].resource.identifier[1].value",
                "Bundle.entry[1].resource.status",
                "Bundle.entry[3].resource",
            ]
        );
        let Some(Resource::Bundle(bundle)) = validated.value else {
            panic!("no bundle")
        };
        let kept: Vec<bool> = bundle.entry.iter().map(|e| e.resource.is_some()).collect();
        assert_eq!(kept, [false, false, true, false]);
        assert!(
            validated
                .report
                .at("Bundle.entry[2].resource.id")
                .any(|i| i.severity == IssueSeverity::Information)
        );
    }

    #[test]
    fn unreadable_documents_are_one_error() {
        for bytes in [&b""[..], b"{", b"[]", b"null", b"{\"a\":1}", &[0xff, 0xfe]] {
            let validated = validate_resource(bytes);
            assert!(validated.value.is_none());
            assert_eq!(validated.report.errors().count(), 1, "{bytes:?}");
        }
    }
}
