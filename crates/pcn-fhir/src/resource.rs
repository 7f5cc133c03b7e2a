//! Resources of any type: the [`Resource`] enum, the `resourceType` tag, and
//! resources of types this crate does not model.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;

use crate::{
    Bundle, CarePlan, CareTeam, HealthcareService, MessageHeader, OperationOutcome, Organization,
    OrganizationAffiliation, Patient, Practitioner, PractitionerRole, ServiceRequest, Task,
};

/// A resource type with a fixed `resourceType` name.
pub trait NamedResource {
    /// The `resourceType`, such as `"Patient"`.
    const RESOURCE_TYPE: &'static str;
}

/// A FHIR resource type modelled by this crate; `'a` is the lifetime of the text it
/// borrows (from the JSON it was read from, or from the values it was built from).
pub trait FhirResource<'a>: NamedResource + Sized {
    /// The resource as a [`Resource`].
    fn into_resource(self) -> Resource<'a>;

    /// The resource inside `resource`, or `resource` back if it is of another type.
    ///
    /// # Errors
    /// Gives `resource` back unchanged when it is not of this type.
    fn from_resource(resource: Resource<'a>) -> Result<Self, Resource<'a>>;
}

/// The `resourceType` member of a resource of type `T`: always serialised, first, as
/// `T`'s type name, and checked when read.
///
/// It takes no space, and `Default` gives it, so that resources can be built with
/// `..Default::default()`.
pub struct ResourceTypeTag<T>(PhantomData<fn() -> T>);

impl<T> Default for ResourceTypeTag<T> {
    fn default() -> Self {
        Self(PhantomData)
    }
}

impl<T> Clone for ResourceTypeTag<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for ResourceTypeTag<T> {}

impl<T> PartialEq for ResourceTypeTag<T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<T> Eq for ResourceTypeTag<T> {}

impl<T: NamedResource> fmt::Debug for ResourceTypeTag<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::RESOURCE_TYPE)
    }
}

impl<T: NamedResource> Serialize for ResourceTypeTag<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(T::RESOURCE_TYPE)
    }
}

impl<'de, T: NamedResource> Deserialize<'de> for ResourceTypeTag<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TagVisitor<T>(PhantomData<fn() -> T>);

        impl<T: NamedResource> Visitor<'_> for TagVisitor<T> {
            type Value = ResourceTypeTag<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "the resourceType \"{}\"", T::RESOURCE_TYPE)
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                if v == T::RESOURCE_TYPE {
                    Ok(ResourceTypeTag::default())
                } else {
                    Err(E::custom(format_args!(
                        "resourceType is {v:?} where {:?} was expected",
                        T::RESOURCE_TYPE
                    )))
                }
            }
        }

        deserializer.deserialize_str(TagVisitor(PhantomData))
    }
}

/// A resource of a type this crate does not model (an `Observation`, a `Location`...),
/// kept as the JSON it came as so that it can be passed on unchanged.
#[derive(Debug, Clone)]
pub struct OtherResource<'a> {
    resource_type: String,
    json: Cow<'a, RawValue>,
}

impl<'a> OtherResource<'a> {
    /// Wraps the JSON of a resource of type `resource_type`.
    pub(crate) fn new(resource_type: String, json: Cow<'a, RawValue>) -> Self {
        Self {
            resource_type,
            json,
        }
    }

    /// The resource type.
    #[must_use]
    pub fn resource_type(&self) -> &str {
        &self.resource_type
    }

    /// The resource's JSON, as it came.
    #[must_use]
    pub fn json(&self) -> &str {
        self.json.get()
    }
}

impl PartialEq for OtherResource<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.resource_type == other.resource_type && self.json.get() == other.json.get()
    }
}

impl Eq for OtherResource<'_> {}

/// Defines [`Resource`] over the modelled resource types, and everything that
/// dispatches on a type name.
macro_rules! modelled_resources {
    ($($name:ident),* $(,)?) => {
        /// A FHIR resource: one of the modelled types, or another type kept as JSON.
        ///
        /// ```
        /// use pcn_fhir::{FhirResource, Patient, Resource};
        /// let resource: Resource = Patient::default().into_resource();
        /// assert_eq!(resource.resource_type(), "Patient");
        /// ```
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum Resource<'a> {
            $(
                #[doc = concat!("A `", stringify!($name), "`.")]
                $name(Box<$name<'a>>),
            )*
            /// A resource of a type this crate does not model.
            Other(OtherResource<'a>),
        }

        impl<'a> Resource<'a> {
            /// The resource type, such as `"Patient"`.
            #[must_use]
            pub fn resource_type(&self) -> &str {
                match self {
                    $(Self::$name(_) => stringify!($name),)*
                    Self::Other(other) => other.resource_type(),
                }
            }

            /// The logical id, for the modelled types.
            #[must_use]
            pub fn id(&self) -> Option<&crate::ResourceId<'a>> {
                match self {
                    $(Self::$name(r) => r.id.as_ref(),)*
                    Self::Other(_) => None,
                }
            }

            /// Sets the logical id, for the modelled types (a resource of another
            /// type, kept as JSON, is left unchanged).
            pub fn set_id(&mut self, id: crate::ResourceId<'a>) {
                match self {
                    $(Self::$name(r) => r.id = Some(id),)*
                    Self::Other(_) => {}
                }
            }
        }

        impl Serialize for Resource<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $(Self::$name(r) => r.serialize(serializer),)*
                    Self::Other(other) => other.json.serialize(serializer),
                }
            }
        }

        $(
            impl NamedResource for $name<'_> {
                const RESOURCE_TYPE: &'static str = stringify!($name);
            }

            impl<'a> FhirResource<'a> for $name<'a> {
                fn into_resource(self) -> Resource<'a> {
                    Resource::$name(Box::new(self))
                }

                fn from_resource(resource: Resource<'a>) -> Result<Self, Resource<'a>> {
                    match resource {
                        Resource::$name(r) => Ok(*r),
                        other => Err(other),
                    }
                }
            }

            impl<'a> From<$name<'a>> for Resource<'a> {
                fn from(resource: $name<'a>) -> Self {
                    Resource::$name(Box::new(resource))
                }
            }
        )*

        /// The static name of a modelled resource type.
        pub(crate) fn modelled_type(name: &str) -> Option<&'static str> {
            match name {
                $(stringify!($name) => Some(stringify!($name)),)*
                _ => None,
            }
        }

        /// Reads a resource of the modelled type `name` from `deserializer`, or
        /// `None` for a type that is not modelled (leaving the input unread).
        pub(crate) fn deserialize_modelled<'de, D: Deserializer<'de>>(
            name: &str,
            deserializer: D,
        ) -> Result<Option<Resource<'de>>, D::Error> {
            match name {
                $(stringify!($name) => $name::deserialize(deserializer).map(|r| Some(r.into())),)*
                _ => Ok(None),
            }
        }
    };
}

modelled_resources!(
    Organization,
    OrganizationAffiliation,
    Practitioner,
    PractitionerRole,
    CareTeam,
    Patient,
    CarePlan,
    ServiceRequest,
    Task,
    HealthcareService,
    MessageHeader,
    OperationOutcome,
    Bundle,
);

/// The error for an object that has no `resourceType`.
pub(crate) const NO_RESOURCE_TYPE: &str = "the object has no \"resourceType\" member";

/// Whether a map key is `resourceType`, read without keeping the key.
pub(crate) struct IsResourceType(pub(crate) bool);

impl<'de> Deserialize<'de> for IsResourceType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl Visitor<'_> for KeyVisitor {
            type Value = IsResourceType;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(IsResourceType(v == "resourceType"))
            }
        }

        deserializer.deserialize_identifier(KeyVisitor)
    }
}

/// Reads any JSON value and drops it, without reporting it as an ignored element (it
/// reads through `deserialize_any`, not `deserialize_ignored_any`).
pub(crate) struct Skip;

impl<'de> Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SkipVisitor;

        impl<'de> Visitor<'de> for SkipVisitor {
            type Value = Skip;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }

            fn visit_bool<E>(self, _: bool) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_str<E>(self, _: &str) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_unit<E>(self) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_none<E>(self) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Skip, A::Error> {
                while seq.next_element::<Skip>()?.is_some() {}
                Ok(Skip)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Skip, A::Error> {
                while map.next_entry::<Skip, Skip>()?.is_some() {}
                Ok(Skip)
            }
        }

        deserializer.deserialize_any(SkipVisitor)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Resource<'a> {
    /// Reads a resource of any type. `resourceType` is read first when it comes first
    /// (the usual order), with no buffering; otherwise the object is buffered to find
    /// it. Elements that are not modelled are skipped silently here: use
    /// [`import_resource`](crate::import_resource) to have them reported.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ResourceVisitor;

        impl<'de> Visitor<'de> for ResourceVisitor {
            type Value = Resource<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a FHIR resource (a JSON object with a resourceType)")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Resource<'de>, A::Error> {
                let Some(first) = map.next_key::<String>()? else {
                    return Err(de::Error::custom(NO_RESOURCE_TYPE));
                };
                if first == "resourceType" {
                    let name: String = map.next_value()?;
                    if let Some(resource) =
                        deserialize_modelled(&name, MapAccessDeserializer::new(&mut map))?
                    {
                        return Ok(resource);
                    }
                    let mut object = serde_json::Map::new();
                    object.insert(first, serde_json::Value::String(name.clone()));
                    while let Some((k, v)) = map.next_entry::<String, serde_json::Value>()? {
                        object.insert(k, v);
                    }
                    return other_from_object(name, object).map_err(de::Error::custom);
                }
                let mut object = serde_json::Map::new();
                object.insert(first, map.next_value()?);
                while let Some((k, v)) = map.next_entry::<String, serde_json::Value>()? {
                    object.insert(k, v);
                }
                let name = object
                    .get("resourceType")
                    .and_then(serde_json::Value::as_str)
                    .ok_or_else(|| de::Error::custom(NO_RESOURCE_TYPE))?
                    .to_owned();
                let value = serde_json::Value::Object(object);
                if modelled_type(&name).is_some() {
                    deserialize_modelled(&name, value)
                        .map_err(de::Error::custom)?
                        .ok_or_else(|| de::Error::custom(NO_RESOURCE_TYPE))
                } else if let serde_json::Value::Object(object) = value {
                    other_from_object(name, object).map_err(de::Error::custom)
                } else {
                    Err(de::Error::custom(NO_RESOURCE_TYPE))
                }
            }
        }

        deserializer.deserialize_map(ResourceVisitor)
    }
}

/// An [`OtherResource`] from a buffered JSON object, written back with
/// `resourceType` first and the other members in name order.
fn other_from_object(
    name: String,
    object: serde_json::Map<String, serde_json::Value>,
) -> Result<Resource<'static>, serde_json::Error> {
    struct TypeFirst<'a>(&'a str, &'a serde_json::Map<String, serde_json::Value>);

    impl Serialize for TypeFirst<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let mut map = serializer.serialize_map(Some(self.1.len()))?;
            map.serialize_entry("resourceType", self.0)?;
            for (key, value) in self.1.iter().filter(|(k, _)| *k != "resourceType") {
                map.serialize_entry(key, value)?;
            }
            map.end()
        }
    }

    let json = serde_json::value::to_raw_value(&TypeFirst(&name, &object))?;
    Ok(Resource::Other(OtherResource::new(name, Cow::Owned(json))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tag_is_written_first_and_checked_when_read() {
        let patient = Patient::default();
        assert_eq!(
            serde_json::to_string(&patient).unwrap(),
            r#"{"resourceType":"Patient"}"#
        );
        assert!(serde_json::from_str::<Patient>(r#"{"resourceType":"Patient"}"#).is_ok());
        let err = serde_json::from_str::<Patient>(r#"{"resourceType":"Practitioner"}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("\"Practitioner\""), "{err}");
    }

    #[test]
    fn resources_read_in_either_member_order() {
        let first = r#"{"resourceType":"Patient","id":"p1","gender":"female"}"#;
        let last = r#"{"id":"p1","gender":"female","resourceType":"Patient"}"#;
        let a: Resource = serde_json::from_str(first).unwrap();
        let b: Resource = serde_json::from_str(last).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.resource_type(), "Patient");
        assert_eq!(a.id().map(crate::ResourceId::as_str), Some("p1"));
        assert_eq!(serde_json::to_string(&a).unwrap(), first);
    }

    #[test]
    fn other_types_are_kept_as_json() {
        let json = r#"{"resourceType":"Location","id":"1","name":"South Wing"}"#;
        let resource: Resource = serde_json::from_str(json).unwrap();
        assert_eq!(resource.resource_type(), "Location");
        assert_eq!(serde_json::to_string(&resource).unwrap(), json);
        assert!(serde_json::from_str::<Resource>(r#"{"id":"1"}"#).is_err());
        assert!(serde_json::from_str::<Resource>("{}").is_err());
    }
}
