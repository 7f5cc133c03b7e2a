//! Reading FHIR R4 JSON: typed resources, a report of what was not modelled, and
//! strict checks on what was.
//!
//! The JSON is read once, straight into the typed resources, by `serde_json`. A
//! wrapper around the reader notes every member that no typed field took
//! ([`IgnoredElements`]); the note is written into one shared buffer, so reporting
//! costs little even when much is ignored. Only when reading fails is the document
//! read a second time, with a path tracker, to name the element at fault.
//!
//! `resourceType` usually comes first, and then the resource is read with no
//! buffering; when it does not, the document is first scanned for it. The entries of
//! a bundle are each read on their own from their place in the document, so that an
//! error or an ignored element in an entry is named from the bundle down
//! (`Bundle.entry[3].resource.identifier[0].value`).

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::check::Check;
use crate::path::{IgnoredElements, JsonPath, error_path};
use crate::resource::{IsResourceType, OtherResource, Skip, deserialize_modelled, modelled_type};
use crate::{Bundle, BundleEntry, FhirError, FhirResource, NamedResource, Resource};

/// A resource read from FHIR JSON, with the elements that were not taken in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Imported<T> {
    /// The resource.
    pub resource: T,
    /// The elements read past because this crate does not model them.
    pub ignored: IgnoredElements,
}

/// Reads a FHIR R4 resource of any type from JSON.
///
/// Elements this crate does not model are skipped and listed in
/// [`Imported::ignored`]; a resource of a type it does not model is kept as JSON
/// ([`Resource::Other`]) and listed there as a whole.
///
/// ```
/// let json = br#"{
///   "resourceType": "Patient",
///   "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765919"}],
///   "gender": "female",
///   "contact": [{"relationship": [{"text": "next of kin"}]}]
/// }"#;
/// let imported = pcn_fhir::import_resource(json)?;
/// assert_eq!(imported.resource.resource_type(), "Patient");
/// assert!(imported.ignored.contains("Patient.contact"));
///
/// let bad = br#"{"resourceType": "Patient", "identifier": [
///   {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765918"}]}"#;
/// let err = pcn_fhir::import_resource(bad).unwrap_err();
/// assert!(err.to_string().starts_with("Patient.identifier[0].value holds \"9434765918\""));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// - [`FhirError::Json`] if the JSON is malformed, an element has the wrong JSON type,
///   a required element is missing, a code is outside its required value set or a
///   date, time or id is malformed; the error names the element's path.
/// - [`FhirError::InvalidValue`] if an NHS number, ODS code or SNOMED CT concept id in
///   a modelled element is malformed.
/// - [`FhirError::NotAResource`] if the JSON object has no `resourceType`.
pub fn import_resource(json: &[u8]) -> Result<Imported<Resource<'_>>, FhirError> {
    let mut ignored = IgnoredElements::new();
    let mut errors = Vec::new();
    let reader = Reader {
        doc: json,
        lenient: false,
    };
    let resource = reader.read(json, &Place::DOCUMENT, &mut ignored, &mut errors);
    match (resource, errors.into_iter().next()) {
        (Some(resource), None) => Ok(Imported { resource, ignored }),
        (_, Some(error)) => Err(error),
        (None, None) => Err(FhirError::NotAResource {
            path: "the document".to_owned(),
        }),
    }
}

/// Reads a resource leniently: every error is added to `errors`; a bundle keeps the
/// entries that read and check cleanly and has `resource: None` in the others. The
/// resource is `None` if the document itself could not be read or, for a resource
/// other than a bundle, if it has any error.
pub(crate) fn read_lenient<'d>(
    json: &'d [u8],
    ignored: &mut IgnoredElements,
    errors: &mut Vec<FhirError>,
) -> Option<Resource<'d>> {
    let reader = Reader {
        doc: json,
        lenient: true,
    };
    reader.read(json, &Place::DOCUMENT, ignored, errors)
}

/// Reads a FHIR R4 resource of type `T` from JSON.
///
/// ```
/// use pcn_fhir::{Organization, import};
/// let json = br#"{"resourceType": "Organization", "identifier": [
///   {"system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "A81001"}],
///   "name": "The Densham Surgery"}"#;
/// let org = import::<Organization>(json)?.resource;
/// assert_eq!(org.name.as_deref(), Some("The Densham Surgery"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// As [`import_resource`], and [`FhirError::UnexpectedResourceType`] if the resource
/// is of another type.
pub fn import<'a, T: FhirResource<'a>>(json: &'a [u8]) -> Result<Imported<T>, FhirError> {
    let Imported { resource, ignored } = import_resource(json)?;
    match T::from_resource(resource) {
        Ok(resource) => Ok(Imported { resource, ignored }),
        Err(other) => Err(FhirError::UnexpectedResourceType {
            path: other.resource_type().to_owned(),
            expected: T::RESOURCE_TYPE,
            found: other.resource_type().to_owned(),
        }),
    }
}

/// Where a resource sits in the document being read.
struct Place<'p> {
    /// The JSON path of the resource, or empty for the document's own resource (whose
    /// path is its type name).
    prefix: &'p str,
    /// The byte offset of the resource's JSON in the document.
    offset: usize,
}

impl Place<'static> {
    /// The document's own resource.
    const DOCUMENT: Self = Place {
        prefix: "",
        offset: 0,
    };
}

impl Place<'_> {
    /// The JSON path of the resource, given its type name.
    fn root<'a>(&'a self, type_name: &'a str) -> &'a str {
        if self.prefix.is_empty() {
            type_name
        } else {
            self.prefix
        }
    }
}

/// A resource as first read: a modelled resource, a bundle whose entries are still
/// to be read (each entry's JSON, borrowed from the document), or the type name of a
/// resource we do not model.
enum Dispatched<'de> {
    Modelled(Resource<'de>),
    Bundle(Box<Bundle<'de, &'de RawValue>>),
    Other(String),
    NoType,
}

/// Reads a resource of the type `name` from `deserializer`.
fn dispatch_named<'de, D: Deserializer<'de>>(
    name: &str,
    deserializer: D,
) -> Result<Dispatched<'de>, D::Error> {
    if name == Bundle::RESOURCE_TYPE {
        Bundle::<&RawValue>::deserialize(deserializer).map(|raw| Dispatched::Bundle(Box::new(raw)))
    } else if modelled_type(name).is_some() {
        Ok(deserialize_modelled(name, deserializer)?
            .map_or(Dispatched::NoType, Dispatched::Modelled))
    } else {
        Skip::deserialize(deserializer).map(|Skip| Dispatched::Other(name.to_owned()))
    }
}

/// Reads a resource whose `resourceType` comes first, with no buffering.
struct FirstMember<'c> {
    /// Set to the modelled type's name as soon as it is read.
    name: &'c Cell<&'static str>,
    /// Set when the first member is not `resourceType`.
    unordered: &'c Cell<bool>,
}

impl<'de> DeserializeSeed<'de> for FirstMember<'_> {
    type Value = Dispatched<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FirstMember<'_> {
    type Value = Dispatched<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a FHIR resource (a JSON object with a resourceType)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        match map.next_key::<IsResourceType>()? {
            None => Ok(Dispatched::NoType),
            Some(IsResourceType(false)) => {
                self.unordered.set(true);
                Err(de::Error::custom("resourceType is not the first member"))
            }
            Some(IsResourceType(true)) => {
                let name: String = map.next_value()?;
                self.name.set(modelled_type(&name).unwrap_or(""));
                dispatch_named(&name, MapAccessDeserializer::new(map))
            }
        }
    }
}

/// Finds `resourceType` wherever it is in the object.
#[derive(Deserialize)]
struct Probe {
    #[serde(rename = "resourceType")]
    resource_type: Option<String>,
}

/// How a resource was read, to read it again the same way when locating an error.
#[derive(Clone, Copy)]
enum Mode<'n> {
    FirstMember,
    Named(&'n str),
}

/// Reads resources from one document.
struct Reader<'d> {
    doc: &'d [u8],
    /// Whether a bundle entry with an error is left out (its errors noted) rather
    /// than stopping the read.
    lenient: bool,
}

impl<'d> Reader<'d> {
    /// Reads a resource, adding every error to `errors`; `None` if it has any.
    fn read(
        &self,
        json: &'d [u8],
        place: &Place<'_>,
        ignored: &mut IgnoredElements,
        errors: &mut Vec<FhirError>,
    ) -> Option<Resource<'d>> {
        match self.read_one(json, place, ignored, errors) {
            Ok(resource) => resource,
            Err(error) => {
                errors.push(error);
                None
            }
        }
    }

    fn read_one(
        &self,
        json: &'d [u8],
        place: &Place<'_>,
        ignored: &mut IgnoredElements,
        errors: &mut Vec<FhirError>,
    ) -> Result<Option<Resource<'d>>, FhirError> {
        let name = Cell::new("");
        let unordered = Cell::new(false);
        let first = {
            let mut note = |path: serde_ignored::Path<'_>| {
                ignored.push_reported(place.root(name.get()), &path);
            };
            let mut de = serde_json::Deserializer::from_slice(json);
            let seed = FirstMember {
                name: &name,
                unordered: &unordered,
            };
            seed.deserialize(serde_ignored::Deserializer::new(&mut de, &mut note))
                .and_then(|d| de.end().map(|()| d))
        };
        let (dispatched, type_name) = match first {
            Ok(dispatched) => (dispatched, None),
            Err(_) if unordered.get() => {
                let type_name = self.probe(json, place)?;
                name.set(modelled_type(&type_name).unwrap_or(""));
                let second = {
                    let mut note = |path: serde_ignored::Path<'_>| {
                        ignored.push_reported(place.root(name.get()), &path);
                    };
                    let mut de = serde_json::Deserializer::from_slice(json);
                    dispatch_named(
                        &type_name,
                        serde_ignored::Deserializer::new(&mut de, &mut note),
                    )
                    .and_then(|d| de.end().map(|()| d))
                };
                match second {
                    Ok(dispatched) => (dispatched, Some(type_name)),
                    Err(error) => {
                        return Err(self.locate(json, place, Mode::Named(&type_name), error));
                    }
                }
            }
            Err(error) => return Err(self.locate(json, place, Mode::FirstMember, error)),
        };
        match dispatched {
            Dispatched::Modelled(resource) => {
                let mut at = JsonPath::new(place.root(resource.resource_type()));
                let before = errors.len();
                resource.check(&mut at, errors);
                Ok((errors.len() == before).then_some(resource))
            }
            Dispatched::Bundle(raw) => Ok(self.read_bundle(*raw, place, ignored, errors)),
            Dispatched::Other(type_name) => {
                ignored.push(place.root(&type_name));
                let raw: &RawValue = serde_json::from_slice(json).map_err(|error| {
                    self.json_error(place.root(&type_name).to_owned(), place, &error)
                })?;
                Ok(Some(Resource::Other(OtherResource::new(
                    type_name,
                    Cow::Borrowed(raw),
                ))))
            }
            Dispatched::NoType => Err(FhirError::NotAResource {
                path: place
                    .root(type_name.as_deref().unwrap_or("the document"))
                    .to_owned(),
            }),
        }
    }

    /// Scans an object for its `resourceType`.
    fn probe(&self, json: &[u8], place: &Place<'_>) -> Result<String, FhirError> {
        match serde_json::from_slice::<Probe>(json) {
            Ok(Probe {
                resource_type: Some(name),
            }) => Ok(name),
            Ok(Probe {
                resource_type: None,
            }) => Err(FhirError::NotAResource {
                path: place.root("the document").to_owned(),
            }),
            Err(error) => Err(self.locate(json, place, Mode::FirstMember, error)),
        }
    }

    fn read_bundle(
        &self,
        mut raw: Bundle<'d, &'d RawValue>,
        place: &Place<'_>,
        ignored: &mut IgnoredElements,
        errors: &mut Vec<FhirError>,
    ) -> Option<Resource<'d>> {
        let root = place.root(Bundle::RESOURCE_TYPE).to_owned();
        let mut entry = Vec::with_capacity(raw.entry.len());
        let mut prefix = String::with_capacity(root.len() + 24);
        let raw_entries = std::mem::take(&mut raw.entry);
        for (i, raw_entry) in raw_entries.into_iter().enumerate() {
            let resource = match raw_entry.resource {
                None => None,
                Some(raw_resource) => {
                    prefix.clear();
                    prefix.push_str(&root);
                    prefix.push_str(".entry[");
                    prefix.push_str(&i.to_string());
                    prefix.push_str("].resource");
                    let bytes = raw_resource.get().as_bytes();
                    let offset = bytes
                        .as_ptr()
                        .addr()
                        .saturating_sub(self.doc.as_ptr().addr());
                    let entry_place = Place {
                        prefix: &prefix,
                        offset,
                    };
                    let before = errors.len();
                    let resource = self.read(bytes, &entry_place, ignored, errors);
                    if !self.lenient && errors.len() > before {
                        return None;
                    }
                    resource
                }
            };
            entry.push(BundleEntry {
                full_url: raw_entry.full_url,
                resource,
            });
        }
        let bundle = raw.with_entries(entry);
        let mut at = JsonPath::new(&root);
        let before = errors.len();
        at.member("identifier", |at| bundle.identifier.check(at, errors));
        if !self.lenient && errors.len() > before {
            return None;
        }
        Some(Resource::Bundle(Box::new(bundle)))
    }

    /// Reads `json` again, tracking the path, to name the element at which reading
    /// failed with `error`.
    fn locate(
        &self,
        json: &[u8],
        place: &Place<'_>,
        mode: Mode<'_>,
        error: serde_json::Error,
    ) -> FhirError {
        let name = Cell::new("");
        let unordered = Cell::new(false);
        let mut track = serde_path_to_error::Track::new();
        let again = {
            let mut de = serde_json::Deserializer::from_slice(json);
            let tracked = serde_path_to_error::Deserializer::new(&mut de, &mut track);
            let result = match mode {
                Mode::FirstMember => FirstMember {
                    name: &name,
                    unordered: &unordered,
                }
                .deserialize(tracked),
                Mode::Named(type_name) => dispatch_named(type_name, tracked),
            };
            result.and_then(|_| de.end())
        };
        let error = again.err().unwrap_or(error);
        let type_name = match mode {
            Mode::FirstMember => name.get(),
            Mode::Named(type_name) => type_name,
        };
        let path = error_path(place.root(type_name), &track.path());
        self.json_error(path, place, &error)
    }

    /// A [`FhirError::Json`] at `path`, with the line and column in the whole document.
    fn json_error(&self, path: String, place: &Place<'_>, error: &serde_json::Error) -> FhirError {
        let before = self.doc.get(..place.offset).unwrap_or_default();
        let base_line = 1 + before.iter().filter(|b| **b == b'\n').count();
        let line_start = before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |p| p + 1);
        let base_column = 1 + place.offset - line_start;
        let (line, column) = if error.line() <= 1 {
            (base_line, base_column + error.column().saturating_sub(1))
        } else {
            (base_line + error.line() - 1, error.column())
        };
        let mut message = error.to_string();
        if let Some(at) = message.rfind(" at line ") {
            message.truncate(at);
        }
        FhirError::Json {
            path,
            line,
            column,
            message,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Patient;

    #[test]
    fn unmodelled_elements_are_reported_by_path() {
        let json = br#"{"resourceType":"Patient","gender":"male",
            "contact":[{"relationship":[{"text":"N"}]}],
            "name":[{"family":"Chalmers","_family":{"extension":[]}}],
            "_birthDate":{"extension":[]}}"#;
        let imported = import::<Patient>(json).unwrap();
        let ignored: Vec<&str> = imported.ignored.iter().collect();
        assert_eq!(
            ignored,
            [
                "Patient.contact",
                "Patient.name[0]._family",
                "Patient._birthDate"
            ]
        );
        assert_eq!(
            imported.resource.name[0].family.as_deref(),
            Some("Chalmers")
        );
    }

    #[test]
    fn errors_name_the_element_and_its_place() {
        let json = b"{\"resourceType\":\"Task\",\n \"intent\":\"order\",\n \"status\":\"done\"}";
        let err = import_resource(json).unwrap_err();
        let FhirError::Json { path, line, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(path, "Task.status");
        assert_eq!(*line, 3);
        assert!(err.to_string().contains("unknown variant `done`"), "{err}");

        let missing = br#"{"resourceType":"Task","intent":"order"}"#;
        let err = import_resource(missing).unwrap_err();
        assert!(err.to_string().contains("missing field `status`"), "{err}");
    }

    #[test]
    fn resource_type_may_come_anywhere() {
        let json = br#"{"gender":"male","photo":[],"resourceType":"Patient","id":"x"}"#;
        let imported = import::<Patient>(json).unwrap();
        assert_eq!(imported.resource.id.unwrap().as_str(), "x");
        assert_eq!(
            imported.ignored.iter().collect::<Vec<_>>(),
            ["Patient.photo"]
        );
        let err = import_resource(br#"{"gender":"male"}"#).unwrap_err();
        assert!(matches!(err, FhirError::NotAResource { .. }), "{err:?}");
        let err = import_resource(b"{}").unwrap_err();
        assert!(matches!(err, FhirError::NotAResource { .. }), "{err:?}");
    }

    #[test]
    fn bundle_entries_are_read_and_reported_from_the_bundle_down() {
        let json = br#"{"resourceType":"Bundle","type":"collection","link":[],"entry":[
            {"fullUrl":"urn:uuid:1","resource":{"resourceType":"Patient","photo":[]}},
            {"fullUrl":"urn:uuid:2","resource":{"resourceType":"Observation","status":"final"}},
            {"search":{"mode":"match"},"resource":{"gender":"other","resourceType":"Patient","x":1}}
        ]}"#;
        let imported = import::<Bundle>(json).unwrap();
        assert_eq!(imported.resource.entry.len(), 3);
        assert_eq!(
            imported.ignored.iter().collect::<Vec<_>>(),
            [
                "Bundle.link",
                "Bundle.entry[2].search",
                "Bundle.entry[0].resource.photo",
                "Bundle.entry[1].resource",
                "Bundle.entry[2].resource.x",
            ]
        );
        let other = imported.resource.entry[1].resource.as_ref().unwrap();
        assert_eq!(other.resource_type(), "Observation");
    }

    #[test]
    fn errors_inside_entries_give_the_line_in_the_whole_document() {
        let json = b"{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[\n{\"resource\":{\"resourceType\":\"Patient\"}},\n  {\"resource\":{\"resourceType\":\"Patient\",\n \"gender\":\"m\"}}]}";
        let err = import_resource(json).unwrap_err();
        let FhirError::Json {
            path, line, column, ..
        } = &err
        else {
            panic!("{err:?}")
        };
        assert_eq!(path, "Bundle.entry[1].resource.gender");
        assert_eq!((*line, *column), (4, 13));
        let bad_number = br#"{"resourceType":"Bundle","type":"collection","entry":[{"resource":
            {"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"123"}]}}]}"#;
        let err = import_resource(bad_number).unwrap_err();
        assert!(
            matches!(&err, FhirError::InvalidValue { path, value, .. }
                if path == "Bundle.entry[0].resource.identifier[0].value" && value == "123"),
            "{err:?}"
        );
    }

    #[test]
    fn text_is_borrowed_from_the_input_unless_escaped() {
        let json =
            br#"{"resourceType":"Patient","name":[{"family":"Chalmers","given":["Pe\u0074er"]}]}"#;
        let patient = import::<Patient>(json).unwrap().resource;
        assert!(matches!(
            patient.name[0].family,
            Some(Cow::Borrowed("Chalmers"))
        ));
        assert!(matches!(&patient.name[0].given[0], Cow::Owned(given) if given == "Peter"));
    }

    #[test]
    fn asking_for_the_wrong_type_is_an_error() {
        let err =
            import::<Patient>(br#"{"resourceType":"Bundle","type":"collection"}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Bundle is a Bundle resource, but a Patient resource was expected"
        );
    }
}
