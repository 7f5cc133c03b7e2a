//! One pathway as a catalogue writes it: entry routes, eligibility, red flags,
//! destination, priority and target wait.

use std::fmt;
use std::str::FromStr;

use pcn_core::{DateRange, PathwayId, SnomedCode};
use serde::{Deserialize, Serialize};

use crate::{Destination, Priority, RedFlag, ReferralError, RouteRule, TargetWait};

/// A pathway's short code in its catalogue, such as `msk-fcp-direct-access`: 1 to 64
/// lower-case ASCII letters, digits and hyphens, starting with a letter or digit.
///
/// Catalogues refer to pathways by code (red-flag targets, precedence), so that a
/// catalogue file reads as words rather than UUIDs.
///
/// ```
/// use pcn_referral::PathwayCode;
/// let code: PathwayCode = "social-prescribing".parse()?;
/// assert_eq!(code.as_str(), "social-prescribing");
/// assert!("Social Prescribing".parse::<PathwayCode>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PathwayCode(String);

impl PathwayCode {
    /// Checks and wraps a pathway code.
    ///
    /// # Errors
    /// [`ReferralError::InvalidPathwayCode`] if the code is empty, longer than 64
    /// characters, or has characters other than `a-z`, `0-9` and `-`, or starts with `-`.
    pub fn new(code: impl Into<String>) -> Result<Self, ReferralError> {
        let code = code.into();
        let invalid = |code: String, reason| ReferralError::InvalidPathwayCode {
            value: code,
            reason,
        };
        if code.is_empty() || code.len() > 64 {
            return Err(invalid(code, "must be 1 to 64 characters"));
        }
        if !code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(invalid(
                code,
                "may use only lower-case letters, digits and hyphens",
            ));
        }
        if code.starts_with('-') {
            return Err(invalid(code, "must start with a letter or digit"));
        }
        Ok(Self(code))
    }

    /// The code as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PathwayCode {
    type Error = ReferralError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<PathwayCode> for String {
    fn from(code: PathwayCode) -> Self {
        code.0
    }
}

impl FromStr for PathwayCode {
    type Err = ReferralError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl fmt::Display for PathwayCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who a pathway is for.
///
/// A request fits when every criterion holds: the patient's age (in completed years
/// on the referral date) is within `min_age..=max_age`; the patient is registered
/// with a practice of the catalogue's network if `registered_in_network`; the reason
/// for referral is one of `reasons`; the patient has at least one of
/// `requires_any_condition` when that list is not empty; and none of `exclusions`.
///
/// ```
/// use pcn_core::SnomedCode;
/// use pcn_referral::Eligibility;
/// let low_back_pain = SnomedCode::constant(279_039_007);
/// let adults_with_back_pain = Eligibility {
///     min_age: Some(16),
///     registered_in_network: true,
///     ..Eligibility::for_reasons(vec![low_back_pain])
/// };
/// assert_eq!(adults_with_back_pain.max_age, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Eligibility {
    /// The youngest age accepted, in completed years (none: no lower limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_age: Option<u8>,
    /// The oldest age accepted, in completed years (none: no upper limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age: Option<u8>,
    /// Whether the patient must be registered with a practice of the network.
    #[serde(default)]
    pub registered_in_network: bool,
    /// The reasons for referral the pathway accepts (SNOMED CT); at least one unless
    /// the pathway has no routes (reached only through red flags).
    #[serde(default)]
    pub reasons: Vec<SnomedCode>,
    /// Conditions of which the patient must have at least one (empty: none needed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires_any_condition: Vec<SnomedCode>,
    /// Conditions that exclude the patient from the pathway.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclusions: Vec<SnomedCode>,
}

impl Eligibility {
    /// Eligibility for these reasons, with no other criterion.
    #[must_use]
    pub fn for_reasons(reasons: Vec<SnomedCode>) -> Self {
        Self {
            min_age: None,
            max_age: None,
            registered_in_network: false,
            reasons,
            requires_any_condition: Vec::new(),
            exclusions: Vec::new(),
        }
    }
}

/// A red flag a pathway lists, and the pathway a request carrying it goes to instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedFlagRule {
    /// The red flag.
    pub flag: RedFlag,
    /// The pathway to go to instead (urgent or suspected cancer).
    pub pathway: PathwayCode,
}

/// One pathway, as written in a catalogue file.
///
/// This is plain data; [`PathwayCatalogue::compile`](crate::PathwayCatalogue::compile)
/// checks it against the rest of the catalogue (codes unique, red-flag targets
/// urgent, no overlaps left unresolved, targets consistent with the priority).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathwayDefinition {
    /// The pathway's code, unique in its catalogue.
    pub code: PathwayCode,
    /// The pathway's id; when absent it is derived from the network and the code, so
    /// that the same catalogue always gives the same ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<PathwayId>,
    /// A name for people.
    pub name: String,
    /// The routes the pathway accepts; empty for a pathway reached only through red
    /// flags (for example urgent GP review), which must then be a red-flag target.
    #[serde(default)]
    pub routes: Vec<RouteRule>,
    /// Who the pathway is for.
    pub eligibility: Eligibility,
    /// Red flags that send the request to another pathway, in order of precedence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub red_flags: Vec<RedFlagRule>,
    /// Where referrals go.
    pub destination: Destination,
    /// The priority of referrals on this pathway.
    pub priority: Priority,
    /// The target wait.
    pub target_wait: TargetWait,
    /// When the pathway is open to new referrals (absent: always).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_force: Option<DateRange>,
    /// Pathways this one wins over where both fit the same request: the way a
    /// catalogue resolves a deliberate overlap. Any other overlap is an error.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub takes_precedence_over: Vec<PathwayCode>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pathway_codes_are_checked() {
        assert!(PathwayCode::new("msk-fcp").is_ok());
        assert!(PathwayCode::new("2ww-breast").is_ok());
        assert!(PathwayCode::new("").is_err());
        assert!(PathwayCode::new("-msk").is_err());
        assert!(PathwayCode::new("msk_fcp").is_err());
        assert!(PathwayCode::new("x".repeat(65)).is_err());
        let err = PathwayCode::new("MSK").unwrap_err();
        assert!(err.to_string().contains("\"MSK\""), "{err}");
        assert!(serde_json::from_str::<PathwayCode>("\"Bad Code\"").is_err());
    }

    #[test]
    fn unknown_fields_are_refused() {
        let json = r#"{"reasons": ["279039007"], "min_agee": 16}"#;
        let err = serde_json::from_str::<Eligibility>(json).unwrap_err();
        assert!(err.to_string().contains("min_agee"), "{err}");
    }
}
