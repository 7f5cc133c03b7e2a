//! Red flags: findings that override the route a request came by.

use std::fmt;

use pcn_core::SnomedCode;
use serde::{Deserialize, Serialize};

/// A red flag: a finding that needs urgent medical review or a suspected-cancer
/// referral whatever route the patient came by.
///
/// The named flags are those the first contact physiotherapy guidance lists for
/// urgent medical review (suspected cauda equina, cancer, fracture, infection;
/// NHS England, "First contact physiotherapists", as summarised in `referrals.md`).
/// Any other finding is carried by its SNOMED CT code.
///
/// Serde: `"suspected_cancer"`, or `{"finding": "192970008"}` for a coded finding.
///
/// ```
/// use pcn_referral::RedFlag;
/// let flag: RedFlag = serde_json::from_str("\"suspected_cauda_equina\"")?;
/// assert_eq!(flag, RedFlag::SuspectedCaudaEquina);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RedFlag {
    /// Suspected cancer.
    SuspectedCancer,
    /// Suspected cauda equina syndrome.
    SuspectedCaudaEquina,
    /// Suspected fracture.
    SuspectedFracture,
    /// Suspected infection.
    SuspectedInfection,
    /// Another finding, by its SNOMED CT concept id.
    Finding(SnomedCode),
}

impl fmt::Display for RedFlag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SuspectedCancer => f.write_str("suspected cancer"),
            Self::SuspectedCaudaEquina => f.write_str("suspected cauda equina"),
            Self::SuspectedFracture => f.write_str("suspected fracture"),
            Self::SuspectedInfection => f.write_str("suspected infection"),
            Self::Finding(code) => write!(f, "finding {code}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coded_findings_round_trip() {
        let flag = RedFlag::Finding(SnomedCode::constant(192_970_008));
        let json = serde_json::to_string(&flag).unwrap();
        assert_eq!(json, r#"{"finding":"192970008"}"#);
        assert_eq!(serde_json::from_str::<RedFlag>(&json).unwrap(), flag);
        assert!(serde_json::from_str::<RedFlag>(r#"{"finding":"192970007"}"#).is_err());
    }
}
