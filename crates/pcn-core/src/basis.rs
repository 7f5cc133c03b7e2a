//! Where a figure comes from.

use serde::{Deserialize, Serialize};

/// Where a figure comes from: a published source, or an assumption made in the
/// absence of one.
///
/// Every rule and parameter in the workspace carries one, so that a report can say
/// which of its figures rest on published rules and which on stated assumptions.
/// Serde: `{"basis": "published", "source": "..."}` or
/// `{"basis": "assumption", "note": "..."}`.
///
/// ```
/// use pcn_core::Basis;
/// let basis = Basis::Published { source: "BMA model contract".to_owned() };
/// assert!(!basis.is_assumption());
/// let json = serde_json::to_string(&basis)?;
/// assert_eq!(json, r#"{"basis":"published","source":"BMA model contract"}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum Basis {
    /// Taken from a published source.
    Published {
        /// The source, precise enough to find again.
        source: String,
    },
    /// Assumed: no published figure was found.
    Assumption {
        /// What was assumed and why.
        note: String,
    },
}

impl Basis {
    /// Whether the figure is an assumption rather than a published one.
    #[must_use]
    pub const fn is_assumption(&self) -> bool {
        matches!(self, Self::Assumption { .. })
    }
}
