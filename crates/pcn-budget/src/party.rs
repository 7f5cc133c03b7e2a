//! Who owns an account, who is paid, and who recorded a transfer.

use std::fmt;

use pcn_core::{NetworkId, OrganisationId, PracticeId, StaffId};
use serde::{Deserialize, Serialize};

/// An organisation that owns money, contributes it or is paid: a network, one of its
/// member practices, or another organisation (a trust, a local authority, a
/// voluntary organisation, a commissioner).
///
/// Every ledger account has one owner, and every entitlement has one payee: the
/// network's nominated payee for network payments, the practice itself for the
/// Network Participation Payment.
///
/// Serde gives `{"kind": "practice", "id": "<uuid>"}`.
///
/// ```
/// use pcn_budget::Party;
/// use pcn_core::{OdsCode, PracticeId};
/// let code: OdsCode = "A81001".parse()?;
/// let practice = Party::Practice(PracticeId::from_ods(&code));
/// assert!(serde_json::to_string(&practice)?.contains("\"kind\":\"practice\""));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Party {
    /// A network (a Primary Care Network or another neighbourhood network).
    Network(NetworkId),
    /// A GP practice.
    Practice(PracticeId),
    /// Any other organisation: a trust, a local authority, a commissioner, a
    /// voluntary organisation.
    Organisation(OrganisationId),
}

impl fmt::Display for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Network(id) => write!(f, "network {id}"),
            Self::Practice(id) => write!(f, "practice {id}"),
            Self::Organisation(id) => write!(f, "organisation {id}"),
        }
    }
}

/// Who recorded a transfer: a member of staff, or an organisation's own system (a
/// commissioner's payment run, a payroll feed).
///
/// Serde gives `{"kind": "staff", "id": "<uuid>"}` or
/// `{"kind": "system", "id": {"kind": "organisation", "id": "<uuid>"}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Actor {
    /// A member of staff, by id.
    Staff(StaffId),
    /// An organisation's automated process.
    System(Party),
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Staff(id) => write!(f, "staff {id}"),
            Self::System(party) => write!(f, "the system of {party}"),
        }
    }
}
