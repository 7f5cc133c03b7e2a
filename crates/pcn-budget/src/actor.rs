//! Who recorded a transfer. Who owns an account and who is paid is a
//! [`Party`], defined in `pcn-core` for every crate that names an organisation.

use std::fmt;

use pcn_core::{Party, StaffId};
use serde::{Deserialize, Serialize};

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
