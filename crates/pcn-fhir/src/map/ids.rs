//! Resources written by other systems keep their own ids.
//!
//! The model identifies everything by UUID, and this crate writes a resource's UUID
//! as its FHIR id. Other systems use other ids (`f201`, `gpvisit`, a local record
//! number). A resource whose id is not a UUID maps into the model under a UUID
//! derived from it: [`pcn_core::foreign_record_uuid`] of the resource's relative
//! reference `Type/id` (`CarePlan/f201`), a version 5 UUID in the fixed namespace
//! [`ForeignIds::NAMESPACE`]. A reference `CarePlan/f201` elsewhere
//! therefore resolves to the same UUID, and two resources of different types that
//! share an id (as the R4 examples' `Patient/f201` and `CarePlan/f201` do) stay
//! apart. [`ForeignIds`] remembers the original ids so that an export can write
//! them back ([`ForeignIds::restore`]).

use std::collections::BTreeMap;

use serde::Serialize;
use uuid::Uuid;

use crate::{Bundle, Resource, ResourceId};

/// The original ids of resources that came from other systems, by the UUID the model
/// holds them under.
///
/// ```
/// use pcn_fhir::{ForeignIds, ResourceId};
/// let uuid = ForeignIds::uuid_of("CarePlan", "gpvisit");
/// assert_eq!(uuid, ForeignIds::uuid_of("CarePlan", "gpvisit"));
/// assert_ne!(uuid, ForeignIds::uuid_of("Patient", "gpvisit"));
/// // A UUID id is the UUID itself.
/// let own = "0190b2a4-1c9e-7d42-8f00-5a4f2c1e9b01";
/// assert_eq!(ForeignIds::uuid_of("CarePlan", own).to_string(), own);
///
/// let mut ids = ForeignIds::new();
/// ids.record("CarePlan", "gpvisit");
/// assert_eq!(ids.original("CarePlan", uuid), Some("gpvisit"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ForeignIds {
    /// Original id by (resource type, derived UUID).
    ids: BTreeMap<(String, Uuid), String>,
}

impl ForeignIds {
    /// The namespace of the UUIDs derived from ids that are not UUIDs.
    pub const NAMESPACE: Uuid = pcn_core::FOREIGN_RECORD_NAMESPACE;

    /// No ids recorded.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The UUID the model holds a resource of type `resource_type` with id `id`
    /// under: the id itself if it is a UUID, else the UUID derived from
    /// `resource_type/id`.
    #[must_use]
    pub fn uuid_of(resource_type: &str, id: &str) -> Uuid {
        super::read_uuid(id, String::new)
            .unwrap_or_else(|_| pcn_core::foreign_record_uuid(&format!("{resource_type}/{id}")))
    }

    /// The derived UUID, or `None` if `id` is a UUID (and needs none).
    #[must_use]
    pub fn derived(resource_type: &str, id: &str) -> Option<Uuid> {
        super::read_uuid(id, String::new)
            .is_err()
            .then(|| pcn_core::foreign_record_uuid(&format!("{resource_type}/{id}")))
    }

    /// Records an id, returning the UUID the model holds it under.
    pub fn record(&mut self, resource_type: &str, id: &str) -> Uuid {
        match Self::derived(resource_type, id) {
            Some(uuid) => {
                self.ids
                    .insert((resource_type.to_owned(), uuid), id.to_owned());
                uuid
            }
            None => Self::uuid_of(resource_type, id),
        }
    }

    /// The original id of the resource of type `resource_type` the model holds under
    /// `uuid`, if it came with one that is not a UUID.
    #[must_use]
    pub fn original(&self, resource_type: &str, uuid: Uuid) -> Option<&str> {
        self.ids
            .get(&(resource_type.to_owned(), uuid))
            .map(String::as_str)
    }

    /// The number of ids recorded.
    #[must_use]
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether none is recorded.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The ids of the modelled resources in a bundle (and of the bundle's resources'
    /// own ids) that are not UUIDs.
    #[must_use]
    pub fn of_bundle(bundle: &Bundle<'_>) -> Self {
        let mut ids = Self::new();
        for resource in bundle.resources() {
            if let Some(id) = resource.id() {
                ids.record(resource.resource_type(), id.as_str());
            }
        }
        ids
    }

    /// Writes the original ids back into a bundle: every resource whose id is a
    /// UUID recorded here gets its original id again. Entries' `fullUrl`s
    /// (`urn:uuid:` of the model's UUID) and the references between entries are left
    /// as they are, so the bundle stays consistent.
    pub fn restore(&self, bundle: &mut Bundle<'_>) {
        for entry in &mut bundle.entry {
            if let Some(resource) = &mut entry.resource {
                self.restore_resource(resource);
            }
        }
    }

    /// Writes the original id back into one resource.
    pub fn restore_resource(&self, resource: &mut Resource<'_>) {
        let original = resource
            .id()
            .and_then(|id| super::read_uuid(id.as_str(), String::new).ok())
            .and_then(|uuid| self.original(resource.resource_type(), uuid))
            .and_then(|id| ResourceId::new(id.to_owned()).ok());
        if let Some(id) = original {
            resource.set_id(id);
        }
    }
}
