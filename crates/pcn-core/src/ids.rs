//! Typed identifiers.
//!
//! Every entity that crates refer to across crate boundaries has an id type here, so
//! that a staff id can never be passed where a referral id is wanted, and so that
//! crates refer to each other's entities by id and their dependencies point one way.
//!
//! Ids wrap a UUID. [`new`](PatientId::new) makes a version 7 UUID, whose leading bits
//! are the creation time, so ids sort by creation and make good idempotency keys (as
//! ledger transfer ids do). Ids can also be derived deterministically from a name (a
//! version 5 UUID), which is how an organisation's id is derived from its ODS code:
//! the same code gives the same id on every import. Seeded generators build ids with
//! [`from_u128`](PatientId::from_u128) so that their output is reproducible.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{CoreError, OdsCode};

/// The UUID namespace under which ids are derived from ODS codes (version 5 UUIDs).
///
/// Fixed for ever: changing it would change every derived id.
const ODS_NAMESPACE: Uuid = Uuid::from_u128(0x6d1f_3c1e_8a4b_4f0e_9c57_2b1e_0a9d_5c11);

macro_rules! define_id {
    ($(#[$meta:meta])* $name:ident, $kind:literal) => {
        $(#[$meta])*
        ///
        /// Serialised as the hyphenated UUID string; `Display` and `FromStr` use the
        /// same form.
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[repr(transparent)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
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
    "patient"
);
define_id!(
    /// A member of staff (any role, any employer).
    StaffId,
    "staff"
);
define_id!(
    /// A team: a multidisciplinary team or a self-managing neighbourhood team.
    TeamId,
    "team"
);
define_id!(
    /// A network: a Primary Care Network, a Primary Care Home site or another
    /// neighbourhood network. PCNs derive theirs from their ODS code with `from_ods`.
    NetworkId,
    "network"
);
define_id!(
    /// A GP practice. Practices derive theirs from their ODS code with `from_ods`.
    PracticeId,
    "practice"
);
define_id!(
    /// An organisation other than a practice or network: a trust, a local authority, a
    /// voluntary organisation, a commissioner.
    OrganisationId,
    "organisation"
);
define_id!(
    /// A referral, from draft to discharge.
    ReferralId,
    "referral"
);
define_id!(
    /// A pathway in a referral pathway catalogue.
    PathwayId,
    "pathway"
);
define_id!(
    /// A service that receives referrals: a clinic, a community service, a
    /// voluntary-sector activity.
    ServiceId,
    "service"
);
define_id!(
    /// A personal care and support plan.
    CarePlanId,
    "care plan"
);
define_id!(
    /// A unified budget (one network's pooled pot for a year).
    BudgetId,
    "budget"
);
define_id!(
    /// An account of a unified budget: a funding stream or a pot spent from.
    AccountId,
    "account"
);
define_id!(
    /// A ledger transfer; doubles as its idempotency key.
    TransferId,
    "transfer"
);
define_id!(
    /// A multidisciplinary team meeting.
    MeetingId,
    "meeting"
);
define_id!(
    /// A recorded data sharing agreement.
    AgreementId,
    "agreement"
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
