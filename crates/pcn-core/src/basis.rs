//! Where a figure comes from.

use serde::{Deserialize, Serialize};

/// Where a figure comes from: a published source, a fit to a published figure, or
/// an assumption made in the absence of one.
///
/// Every rule and parameter in the workspace carries one, so that a report can say
/// which of its figures rest on published rules and which on stated assumptions.
/// Serde: `{"basis": "published", "source": "..."}` or
/// `{"basis": "assumption", "note": "..."}` or
/// `{"basis": "fitted", "target": "...", "source": "..."}`.
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
    /// Fitted: chosen so that a model reproduces a published figure (a calibration
    /// parameter, not itself published).
    Fitted {
        /// The published figure the value was fitted to, with its value.
        target: String,
        /// Where that figure is published, precise enough to find again.
        source: String,
    },
}

impl Basis {
    /// Whether the figure is an assumption rather than a published one.
    #[must_use]
    pub const fn is_assumption(&self) -> bool {
        matches!(self, Self::Assumption { .. })
    }

    /// The kind of basis in one word: `published`, `assumption` or `fitted`.
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::Published { .. } => "published",
            Self::Assumption { .. } => "assumption",
            Self::Fitted { .. } => "fitted",
        }
    }

    /// The basis in words for a reader: the source, the assumption, or the figure
    /// fitted to and its source.
    ///
    /// ```
    /// use pcn_core::Basis;
    /// let fitted = Basis::Fitted {
    ///     target: "5.26 appointments per patient a year".to_owned(),
    ///     source: "NHS Digital, Appointments in General Practice".to_owned(),
    /// };
    /// assert_eq!(fitted.describe(), "fitted to 5.26 appointments per patient a year (NHS Digital, Appointments in General Practice)");
    /// ```
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Self::Published { source } => source.clone(),
            Self::Assumption { note } => note.clone(),
            Self::Fitted { target, source } => format!("fitted to {target} ({source})"),
        }
    }

    /// Whether the figure was fitted to a published one.
    #[must_use]
    pub const fn is_fitted(&self) -> bool {
        matches!(self, Self::Fitted { .. })
    }
}
