//! Typed identifiers.
//!
//! Every entity that crates refer to across crate boundaries has an id type here, so
//! that a staff id can never be passed where a referral id is wanted, and so that
//! crates refer to each other's entities by id and their dependencies point one way.
//!
//! Ids wrap a UUID. [`new`](PatientId::new) makes a version 7 UUID, whose leading bits
//! are the creation time, so ids sort by creation and make good idempotency keys (as
//! ledger transfer ids do). Seeded generators build ids with
//! [`from_u128`](PatientId::from_u128) so that their output is reproducible.
//!
//! # Ids derived from names
//!
//! An id can also be derived from a name, so that the same thing gets the same id on
//! every import, export or run: [`derived`](PatientId::derived) makes the version 5
//! UUID (name-based, SHA-1; RFC 9562 section 5.5) of the name in the id type's own
//! namespace, its `NAMESPACE` (such as [`PatientId::NAMESPACE`]). Each kind of id has
//! one namespace, fixed for ever: changing one would change every id derived under
//! it, and ids are written to stores and exported. Two kinds never derive the same
//! UUID from the same name. Records that have no id type of their own (the FHIR
//! `Task` of a referral, the affiliation recording a practice's membership of a
//! network) take an id derived in the namespace of the entity they belong to, from a
//! name that says what they are (`"<referral uuid>:task"`).
//!
//! Three kinds of organisation also derive their id from an ODS code
//! ([`PracticeId::from_ods`]), in one namespace of their own with the kind in the name
//! (`practice:A81001`), so that the same code gives a practice and a network
//! different ids. A record another system keys by an id of its own that is not a UUID
//! (a FHIR resource `CarePlan/f201`) is held under [`foreign_record_uuid`].
//!
//! Where several namespaces' values came from, for the record: those of patients,
//! networks, referrals, pathways and services are the values the FHIR mapping and
//! the pathway catalogue used before the namespaces moved here, kept so that the ids
//! they derived do not change.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{CoreError, OdsCode};

/// The UUID namespace under which ids are derived from ODS codes (version 5 UUIDs).
///
/// Fixed for ever: changing it would change every derived id.
const ODS_NAMESPACE: Uuid = Uuid::from_u128(0x6d1f_3c1e_8a4b_4f0e_9c57_2b1e_0a9d_5c11);

/// The UUID namespace of records keyed by another system's own ids; see
/// [`foreign_record_uuid`]. Fixed for ever.
pub const FOREIGN_RECORD_NAMESPACE: Uuid =
    Uuid::from_u128(0x5d3c_8e71_2b94_4f0a_9c6e_71a2_e4b8_d013);

/// The UUID under which a record that another system keys by an id of its own, not
/// a UUID, is held: the version 5 UUID of `reference` in
/// [`FOREIGN_RECORD_NAMESPACE`].
///
/// `reference` names the record in the other system together with its kind, so that
/// two kinds of record sharing an id stay apart: for FHIR, the relative reference
/// `Type/id` (`CarePlan/f201`). The same reference always gives the same UUID, so a
/// reference to the record elsewhere resolves to it.
///
/// ```
/// use pcn_core::foreign_record_uuid;
/// assert_eq!(foreign_record_uuid("CarePlan/f201"), foreign_record_uuid("CarePlan/f201"));
/// assert_ne!(foreign_record_uuid("CarePlan/f201"), foreign_record_uuid("Patient/f201"));
/// ```
#[must_use]
pub fn foreign_record_uuid(reference: &str) -> Uuid {
    Uuid::new_v5(&FOREIGN_RECORD_NAMESPACE, reference.as_bytes())
}

macro_rules! define_id {
    ($(#[$meta:meta])* $name:ident, $kind:literal, $namespace:literal) => {
        $(#[$meta])*
        ///
        /// Serialised as the hyphenated UUID string; `Display` and `FromStr` use the
        /// same form.
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[repr(transparent)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            #[doc = concat!("The UUID namespace of the ", $kind, " ids [derived](Self::derived) from names.")]
            ///
            /// Fixed for ever: changing it would change every id derived under it.
            pub const NAMESPACE: Uuid = Uuid::from_u128($namespace);

            /// The id derived from `name`: the version 5 UUID of the name in
            /// [`NAMESPACE`](Self::NAMESPACE). The same name always gives the same id.
            ///
            /// ```
            #[doc = concat!("use pcn_core::", stringify!($name), ";")]
            #[doc = concat!("let id = ", stringify!($name), "::derived(\"north\");")]
            #[doc = concat!("assert_eq!(id, ", stringify!($name), "::derived(\"north\"));")]
            #[doc = concat!("assert_ne!(id, ", stringify!($name), "::derived(\"south\"));")]
            /// ```
            #[must_use]
            pub fn derived(name: &str) -> Self {
                Self(Uuid::new_v5(&Self::NAMESPACE, name.as_bytes()))
            }

            /// A new, time-ordered id (UUID version 7).
            #[must_use]
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// The id with this UUID.
            #[must_use]
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// The id whose UUID has this 128-bit value; for seeded generators and
            /// literals in tests.
            #[must_use]
            pub const fn from_u128(value: u128) -> Self {
                Self(Uuid::from_u128(value))
            }

            /// The UUID inside.
            #[must_use]
            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl FromStr for $name {
            type Err = CoreError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self).map_err(|_| CoreError::InvalidId {
                    kind: $kind,
                    value: s.to_owned(),
                })
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                Self(uuid)
            }
        }
    };
}

macro_rules! define_ods_derived {
    ($name:ident, $tag:literal) => {
        impl $name {
            /// The id derived from an ODS code: the same code always gives the same id.
            ///
            /// ```
            #[doc = concat!("use pcn_core::{", stringify!($name), ", OdsCode};")]
            /// let code: OdsCode = "A81001".parse()?;
            #[doc = concat!("assert_eq!(", stringify!($name), "::from_ods(&code), ", stringify!($name), "::from_ods(&code));")]
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            #[must_use]
            pub fn from_ods(code: &OdsCode) -> Self {
                let name = format!("{}:{}", $tag, code.as_str());
                Self(Uuid::new_v5(&ODS_NAMESPACE, name.as_bytes()))
            }
        }
    };
}

define_id!(
    /// A patient, as known to the network (a pseudonymous key; the NHS number is
    /// personal data and is kept on the patient record, not used as a key).
    PatientId,
    "patient",
    0x1c7a_9e42_6b3d_4f08_b5e1_0d2c_8a7f_3e96
);
define_id!(
    /// A member of staff (any role, any employer).
    StaffId,
    "staff",
    0x5c94_e4d9_83cf_4da4_9b3a_3c55_6631_377d
);
define_id!(
    /// A team: a multidisciplinary team or a self-managing neighbourhood team.
    TeamId,
    "team",
    0x7bcb_1bf0_019e_4ee1_a525_cf90_e8ac_aa6d
);
define_id!(
    /// A network: a Primary Care Network, a Primary Care Home site or another
    /// neighbourhood network. PCNs derive theirs from their ODS code with `from_ods`.
    NetworkId,
    "network",
    0x8f3e_2a61_5c0d_4b7e_a1f9_37c4_d2e8_6b05
);
define_id!(
    /// A GP practice. Practices derive theirs from their ODS code with `from_ods`.
    PracticeId,
    "practice",
    0x6e8a_ce79_504c_41f3_ab72_2760_5d8e_9ed8
);
define_id!(
    /// An organisation other than a practice or network: a trust, a local authority, a
    /// voluntary organisation, a commissioner.
    OrganisationId,
    "organisation",
    0x70f9_0a6b_a65e_44c6_9172_e594_4cc2_3534
);
define_id!(
    /// A referral, from draft to discharge.
    ReferralId,
    "referral",
    0x9b41_6e2d_37c8_4a15_b0f3_5d8e_21c7_6a94
);
define_id!(
    /// A pathway in a referral pathway catalogue.
    PathwayId,
    "pathway",
    0x3b0c_9a52_71de_4c8e_a4f1_5d2e_96b7_0c43
);
define_id!(
    /// A service that receives referrals: a clinic, a community service, a
    /// voluntary-sector activity.
    ServiceId,
    "service",
    0x2e91_b7c4_0a58_4d36_8f1e_6c3d_9b27_a405
);
define_id!(
    /// A personal care and support plan.
    CarePlanId,
    "care plan",
    0x8def_37e1_bc61_42eb_a996_cc1d_9e7b_df2a
);
define_id!(
    /// A unified budget (one network's pooled pot for a year).
    BudgetId,
    "budget",
    0xaf08_8f19_fc01_44ad_83ea_9070_57de_a70d
);
define_id!(
    /// An account of a unified budget: a funding stream or a pot spent from.
    AccountId,
    "account",
    0x80bc_2686_5756_4d42_be0a_9e88_6f58_5781
);
define_id!(
    /// A ledger transfer; doubles as its idempotency key.
    TransferId,
    "transfer",
    0x5990_bfa3_7fe8_4c9e_9e0a_74e3_b79e_177a
);
define_id!(
    /// A multidisciplinary team meeting.
    MeetingId,
    "meeting",
    0x36c2_8130_da63_41f9_bd40_abbc_583c_64d2
);
define_id!(
    /// A recorded data sharing agreement.
    AgreementId,
    "agreement",
    0x9c16_1116_66a6_4af4_b1e5_982a_8b47_7bd1
);

define_ods_derived!(NetworkId, "network");
define_ods_derived!(PracticeId, "practice");
define_ods_derived!(OrganisationId, "organisation");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_text_and_json() {
        let id = StaffId::new();
        let text = id.to_string();
        assert_eq!(text.parse::<StaffId>().unwrap(), id);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{text}\""));
        assert_eq!(serde_json::from_str::<StaffId>(&json).unwrap(), id);
    }

    #[test]
    fn new_ids_sort_by_creation() {
        let a = TransferId::new();
        let b = TransferId::new();
        assert!(a < b);
    }

    #[test]
    fn a_bad_id_names_its_kind_and_value() {
        let err = "nope".parse::<ReferralId>().unwrap_err();
        assert_eq!(err.to_string(), "invalid referral id \"nope\": not a UUID");
    }

    /// Every namespace, pinned: a change here changes every id derived under it,
    /// in stores and exports, and must never happen silently.
    #[test]
    fn namespaces_never_change() {
        let pinned: [(&str, Uuid, &str); 16] = [
            (
                "patient",
                PatientId::NAMESPACE,
                "1c7a9e42-6b3d-4f08-b5e1-0d2c8a7f3e96",
            ),
            (
                "staff",
                StaffId::NAMESPACE,
                "5c94e4d9-83cf-4da4-9b3a-3c556631377d",
            ),
            (
                "team",
                TeamId::NAMESPACE,
                "7bcb1bf0-019e-4ee1-a525-cf90e8acaa6d",
            ),
            (
                "network",
                NetworkId::NAMESPACE,
                "8f3e2a61-5c0d-4b7e-a1f9-37c4d2e86b05",
            ),
            (
                "practice",
                PracticeId::NAMESPACE,
                "6e8ace79-504c-41f3-ab72-27605d8e9ed8",
            ),
            (
                "organisation",
                OrganisationId::NAMESPACE,
                "70f90a6b-a65e-44c6-9172-e5944cc23534",
            ),
            (
                "referral",
                ReferralId::NAMESPACE,
                "9b416e2d-37c8-4a15-b0f3-5d8e21c76a94",
            ),
            (
                "pathway",
                PathwayId::NAMESPACE,
                "3b0c9a52-71de-4c8e-a4f1-5d2e96b70c43",
            ),
            (
                "service",
                ServiceId::NAMESPACE,
                "2e91b7c4-0a58-4d36-8f1e-6c3d9b27a405",
            ),
            (
                "care plan",
                CarePlanId::NAMESPACE,
                "8def37e1-bc61-42eb-a996-cc1d9e7bdf2a",
            ),
            (
                "budget",
                BudgetId::NAMESPACE,
                "af088f19-fc01-44ad-83ea-907057dea70d",
            ),
            (
                "account",
                AccountId::NAMESPACE,
                "80bc2686-5756-4d42-be0a-9e886f585781",
            ),
            (
                "transfer",
                TransferId::NAMESPACE,
                "5990bfa3-7fe8-4c9e-9e0a-74e3b79e177a",
            ),
            (
                "meeting",
                MeetingId::NAMESPACE,
                "36c28130-da63-41f9-bd40-abbc583c64d2",
            ),
            (
                "agreement",
                AgreementId::NAMESPACE,
                "9c161116-66a6-4af4-b1e5-982a8b477bd1",
            ),
            (
                "foreign record",
                FOREIGN_RECORD_NAMESPACE,
                "5d3c8e71-2b94-4f0a-9c6e-71a2e4b8d013",
            ),
        ];
        for (kind, namespace, value) in pinned {
            assert_eq!(namespace.to_string(), value, "the {kind} namespace changed");
        }
        assert_eq!(
            ODS_NAMESPACE.to_string(),
            "6d1f3c1e-8a4b-4f0e-9c57-2b1e0a9d5c11",
            "the ODS namespace changed"
        );
        let mut distinct: Vec<Uuid> = pinned.iter().map(|(_, ns, _)| *ns).collect();
        distinct.push(ODS_NAMESPACE);
        distinct.sort();
        distinct.dedup();
        assert_eq!(
            distinct.len(),
            pinned.len() + 1,
            "two kinds share a namespace"
        );
    }

    /// The derivations themselves, pinned by values computed apart from this crate
    /// (Python's `uuid.uuid5`).
    #[test]
    fn derived_ids_are_the_published_version_5_uuids() {
        let code: OdsCode = "A81001".parse().unwrap();
        assert_eq!(
            PracticeId::from_ods(&code).to_string(),
            "7a85c53e-0e70-5968-99c3-efdf3de6b279"
        );
        assert_eq!(
            PatientId::derived("9434765919").to_string(),
            "605d43b1-7380-5412-87d3-06c2cecd7ab3"
        );
        assert_eq!(
            foreign_record_uuid("CarePlan/f201").to_string(),
            "85a3c703-6e65-5346-bc3d-19e348feda86"
        );
        assert_ne!(
            StaffId::derived("north").as_uuid(),
            TeamId::derived("north").as_uuid()
        );
    }

    #[test]
    fn ods_derived_ids_are_stable_and_distinct_by_kind() {
        let code: OdsCode = "U12345".parse().unwrap();
        assert_eq!(NetworkId::from_ods(&code), NetworkId::from_ods(&code));
        assert_ne!(
            NetworkId::from_ods(&code).as_uuid(),
            PracticeId::from_ods(&code).as_uuid()
        );
        let other: OdsCode = "U12346".parse().unwrap();
        assert_ne!(NetworkId::from_ods(&code), NetworkId::from_ods(&other));
    }
}
