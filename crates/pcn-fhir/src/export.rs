//! Writing FHIR R4 JSON.

use serde::Serialize;

use crate::FhirError;

/// Writes a resource (or any FHIR value) as compact FHIR JSON.
///
/// ```
/// use pcn_fhir::{Bundle, BundleType, to_json};
/// let json = to_json(&Bundle::new(BundleType::Collection))?;
/// assert_eq!(json, r#"{"resourceType":"Bundle","type":"collection"}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`FhirError::Write`] if the value cannot be written as JSON; the types of this
/// crate always can.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, FhirError> {
    serde_json::to_string(value).map_err(|error| FhirError::Write {
        message: error.to_string(),
    })
}

/// Writes a resource (or any FHIR value) as compact FHIR JSON bytes.
///
/// # Errors
/// [`FhirError::Write`] if the value cannot be written as JSON; the types of this
/// crate always can.
pub fn to_json_bytes<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, FhirError> {
    serde_json::to_vec(value).map_err(|error| FhirError::Write {
        message: error.to_string(),
    })
}
