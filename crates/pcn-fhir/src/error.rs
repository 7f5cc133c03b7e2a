//! The one error type of `pcn-fhir`.

use pcn_core::CoreError;
use pcn_network::NetworkError;
use pcn_population::PopulationError;
use pcn_team::TeamError;
use thiserror::Error;

/// Everything that can go wrong when reading or mapping FHIR.
///
/// Errors about a document name the JSON path of the element at fault
/// (`Patient.identifier[0].value`, `Bundle.entry[3].resource.status`) and the value
/// found there, so that the sender can find and fix it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum FhirError {
    /// The JSON is malformed, an element has the wrong JSON type, a required element is
    /// missing or a code is outside its required value set.
    #[error("{path} (line {line}, column {column}) is not valid FHIR R4 JSON: {message}")]
    Json {
        /// The JSON path of the element at fault.
        path: String,
        /// The line of the document where reading stopped (1-based).
        line: usize,
        /// The column where reading stopped (1-based).
        column: usize,
        /// What was wrong, as the JSON reader reported it.
        message: String,
    },
    /// A JSON object where a resource was expected has no `resourceType`.
    #[error("{path} is not a FHIR resource: it has no \"resourceType\" member")]
    NotAResource {
        /// The JSON path of the object.
        path: String,
    },
    /// A resource is of another type than the one asked for.
    #[error("{path} is a {found} resource, but a {expected} resource was expected")]
    UnexpectedResourceType {
        /// The JSON path of the resource.
        path: String,
        /// The resource type that was asked for.
        expected: &'static str,
        /// The resource type found.
        found: String,
    },
    /// An identifier or code that we model is malformed: an NHS number failing its
    /// check digit, a lower-case ODS code, a SNOMED CT id failing its Verhoeff check.
    #[error("{path} holds {value:?}, which is not valid: {source}")]
    InvalidValue {
        /// The JSON path of the value.
        path: String,
        /// The value found.
        value: String,
        /// Why it is not valid.
        source: CoreError,
    },
    /// A FHIR primitive value does not have the form FHIR requires.
    #[error("invalid FHIR {kind} {value:?}: expected {expected}")]
    InvalidPrimitive {
        /// The FHIR primitive type (`id`, `date`, `dateTime`, `instant`).
        kind: &'static str,
        /// The text given.
        value: String,
        /// The form expected.
        expected: &'static str,
    },
    /// A code is not one of the codes of a required value set.
    #[error(
        "{value:?} is not a code of the FHIR value set {value_set}: codes are case-sensitive and must be one of the listed codes"
    )]
    UnknownCode {
        /// The value set.
        value_set: &'static str,
        /// The code given.
        value: String,
    },
    /// A value could not be written as JSON.
    #[error("could not write FHIR JSON: {message}")]
    Write {
        /// What the JSON writer reported.
        message: String,
    },
    /// An element the model needs is missing.
    #[error("{path} is missing its {element}, which the model needs")]
    MissingElement {
        /// The JSON path where the element was expected.
        path: String,
        /// The element missing.
        element: &'static str,
    },
    /// A reference does not point at a resource in the bundle or at a UUID.
    #[error("{path} refers to {reference:?}, which is not a resource in the bundle")]
    UnresolvedReference {
        /// The JSON path of the reference.
        path: String,
        /// The reference given.
        reference: String,
    },
    /// An id the model needs as a UUID (a resource's id, the UUID of a `urn:uuid:`
    /// URL) is something else.
    #[error("{path} holds {value:?}, which is not a UUID: the model knows this resource by UUID")]
    InvalidId {
        /// The JSON path of the id.
        path: String,
        /// The id given.
        value: String,
    },
    /// A date the model needs to the day is only a year or a month.
    #[error("{path} holds {value:?}, but the model needs a whole date (YYYY-MM-DD)")]
    ImpreciseDate {
        /// The JSON path of the date.
        path: String,
        /// The date given.
        value: String,
    },
    /// A code of this crate's own code systems or extensions is unknown.
    #[error("{path} holds the code {value:?}, which is not one of: {expected}")]
    InvalidCode {
        /// The JSON path of the code.
        path: String,
        /// The code given.
        value: String,
        /// The codes allowed.
        expected: &'static str,
    },
    /// The network model refused what the resources describe.
    #[error("{path}: {source}")]
    Network {
        /// The JSON path of the resource.
        path: String,
        /// Why the model refused it.
        source: NetworkError,
    },
    /// The population model refused what the resources describe.
    #[error("{path}: {source}")]
    Population {
        /// The JSON path of the resource.
        path: String,
        /// Why the model refused it.
        source: PopulationError,
    },
    /// The team model refused what the resources describe.
    #[error("{path}: {source}")]
    Team {
        /// The JSON path of the resource.
        path: String,
        /// Why the model refused it.
        source: TeamError,
    },
    /// The team model refused a team the resources describe.
    #[error("{path}: the team model refused the team: {message}")]
    InvalidTeam {
        /// The JSON path of the `CareTeam`.
        path: String,
        /// Why the model refused it.
        message: String,
    },
}

impl FhirError {
    /// The JSON path (a FHIRPath-style expression such as
    /// `Bundle.entry[3].resource.identifier[0].value`) of the element at fault, where
    /// the error names one.
    #[must_use]
    pub fn path(&self) -> Option<&str> {
        match self {
            Self::Json { path, .. }
            | Self::NotAResource { path }
            | Self::UnexpectedResourceType { path, .. }
            | Self::InvalidValue { path, .. }
            | Self::MissingElement { path, .. }
            | Self::UnresolvedReference { path, .. }
            | Self::InvalidId { path, .. }
            | Self::ImpreciseDate { path, .. }
            | Self::InvalidCode { path, .. }
            | Self::Network { path, .. }
            | Self::Population { path, .. }
            | Self::Team { path, .. }
            | Self::InvalidTeam { path, .. } => Some(path),
            Self::InvalidPrimitive { .. } | Self::UnknownCode { .. } | Self::Write { .. } => None,
        }
    }
}
