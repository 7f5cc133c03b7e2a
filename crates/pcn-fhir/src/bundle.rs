//! `Bundle`: a set of resources travelling together, such as a whole network.
//!
//! Source: FHIR R4 Bundle (<http://hl7.org/fhir/R4/bundle.html>). `type` is required
//! (1..1). In a `collection` every entry carries a resource and, by `bdl-7`, no two
//! entries share a `fullUrl`; references between entries use the entries' `fullUrl`s
//! (`urn:uuid:...`).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::datatype::{Identifier, Meta};
use crate::primitive::{Instant, ResourceId};
use crate::resource::{Resource, ResourceTypeTag};
use crate::value_set::BundleType;

/// A bundle of resources.
///
/// Generic over what an entry holds: the resource read ([`Resource`], the default),
/// or, while a bundle is being imported, the entry's JSON still to be read (so that
/// each entry is read on its own and its errors and ignored elements are named from
/// the bundle down).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "R: Deserialize<'de>"))]
pub struct Bundle<'a, R = Resource<'a>> {
    /// Always `"Bundle"`.
    #[serde(default)]
    pub resource_type: ResourceTypeTag<Bundle<'a>>,
    /// The logical id.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub id: Option<ResourceId<'a>>,
    /// Metadata.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta<'a>>,
    /// A persistent identifier for the bundle.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<Identifier<'a>>,
    /// The purpose of the bundle (required).
    pub r#type: BundleType,
    /// When the bundle was assembled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Instant>,
    /// The number of matches, for search results.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<u32>,
    /// The entries.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub entry: Vec<BundleEntry<'a, R>>,
}

impl<'a, R> Bundle<'a, R> {
    /// The same bundle with other entries (those of this bundle, read).
    pub(crate) fn with_entries<S>(self, entry: Vec<BundleEntry<'a, S>>) -> Bundle<'a, S> {
        Bundle {
            resource_type: self.resource_type,
            id: self.id,
            meta: self.meta,
            identifier: self.identifier,
            r#type: self.r#type,
            timestamp: self.timestamp,
            total: self.total,
            entry,
        }
    }
}

impl<'a> Bundle<'a> {
    /// An empty bundle of the given type.
    #[must_use]
    pub fn new(r#type: BundleType) -> Self {
        Self {
            resource_type: ResourceTypeTag::default(),
            id: None,
            meta: None,
            identifier: None,
            r#type,
            timestamp: None,
            total: None,
            entry: Vec::new(),
        }
    }

    /// The resources of the entries, in order.
    pub fn resources(&self) -> impl Iterator<Item = &Resource<'a>> {
        self.entry.iter().filter_map(|e| e.resource.as_ref())
    }
}

/// An entry of a bundle, holding a resource of type `R` ([`Resource`] unless
/// said otherwise; see [`Bundle`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BundleEntry<'a, R = Resource<'a>> {
    /// The resource's URI: its RESTful URL or a `urn:uuid:` URN.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub full_url: Option<Cow<'a, str>>,
    /// The resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<R>,
}

impl<R> Default for BundleEntry<'_, R> {
    fn default() -> Self {
        Self {
            full_url: None,
            resource: None,
        }
    }
}
