//! NHS Organisation Data Service (ODS) codes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::CoreError;

/// The longest ODS code accepted: organisation codes are 3 to 6 characters and
/// site codes (a trust's or a practice's branch) run to 9 or 10.
const MAX_LEN: usize = 10;
/// The shortest ODS code: commissioners, trusts and regions have 3 characters.
const MIN_LEN: usize = 3;

/// An NHS Organisation Data Service code: the national identifier of a GP practice
/// (`A81001`), a Primary Care Network (`U89141`), an NHS trust (`RXX`), a Sub-ICB
/// location (formerly a CCG, `16C`), an Integrated Care Board (`QHM`) and every other
/// organisation in the NHS's reference data.
///
/// A code is 3 to 10 upper-case ASCII letters and digits. Parsing trims surrounding
/// white space and rejects lower case rather than fixing it, because ODS codes are
/// published in upper case and a lower-case code is a sign of a mangled file.
/// `Display`, `FromStr` and serde all use the plain code. The value is `Copy` and
/// takes 11 bytes.
///
/// ```
/// use pcn_core::{OdsCode, OrganisationKind};
/// let practice: OdsCode = "A81001".parse()?;
/// assert_eq!(practice.kind(), Some(OrganisationKind::GpPractice));
/// assert_eq!(practice.to_string(), "A81001");
/// let pcn: OdsCode = "U89141".parse()?;
/// assert_eq!(pcn.kind(), Some(OrganisationKind::PrimaryCareNetwork));
/// assert!("a81001".parse::<OdsCode>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OdsCode {
    len: u8,
    bytes: [u8; MAX_LEN],
}

/// The kind of organisation an ODS code's shape reveals.
///
/// ODS assigns codes by pattern (NHS Digital, "Organisation Data Service: code
/// formats"), so a code's shape often, but not always, tells what it identifies:
/// codes starting with `Y` are used for many kinds of organisation, so their kind is
/// not guessed. Use the kind as a hint, and the source file's own role columns as the
/// fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum OrganisationKind {
    /// A GP practice: a letter from the old regional series (`A` to `P`, `W` for
    /// Wales) followed by five digits, such as `A81001`.
    GpPractice,
    /// A Primary Care Network: `U` followed by five digits, such as `U89141`.
    PrimaryCareNetwork,
    /// A Sub-ICB location (formerly a Clinical Commissioning Group): two digits and a
    /// letter, such as `16C` or `00L`.
    SubIcbLocation,
    /// An Integrated Care Board or NHS England regional team: `Q` and two characters,
    /// such as `QHM`.
    IntegratedCareBoard,
    /// An NHS trust: `R` and two characters, such as `RXX`.
    NhsTrust,
    /// A site of an NHS trust: `R` and four characters, such as `RXX01`.
    NhsTrustSite,
}

impl OdsCode {
    /// Parses an ODS code.
    ///
    /// # Errors
    /// [`CoreError::InvalidOdsCode`] if the trimmed text is not 3 to 10 upper-case
    /// ASCII letters and digits.
    pub fn new(text: &str) -> Result<Self, CoreError> {
        let trimmed = text.trim();
        let invalid = |reason| CoreError::InvalidOdsCode {
            value: text.to_owned(),
            reason,
        };
        if trimmed.len() < MIN_LEN {
            return Err(invalid("must have at least 3 characters"));
        }
        if trimmed.len() > MAX_LEN {
            return Err(invalid("must have at most 10 characters"));
        }
        let mut bytes = [0u8; MAX_LEN];
        for (slot, byte) in bytes.iter_mut().zip(trimmed.bytes()) {
            if byte.is_ascii_lowercase() {
                return Err(invalid("must be upper case"));
            }
            if !(byte.is_ascii_uppercase() || byte.is_ascii_digit()) {
                return Err(invalid("may hold only letters A-Z and digits 0-9"));
            }
            *slot = byte;
        }
        Ok(Self {
            len: u8::try_from(trimmed.len()).map_err(|_| invalid("too long"))?,
            bytes,
        })
    }

    /// The code as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        // Only ASCII letters and digits are ever stored, so this cannot fail.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }

    /// The kind of organisation the code's shape shows, where it shows one.
    #[must_use]
    pub fn kind(&self) -> Option<OrganisationKind> {
        let b = &self.bytes[..usize::from(self.len)];
        let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
        match (b.len(), b[0]) {
            (6, b'U') if digits(&b[1..]) => Some(OrganisationKind::PrimaryCareNetwork),
            (6, b'A'..=b'H' | b'J'..=b'N' | b'P' | b'W') if digits(&b[1..]) => {
                Some(OrganisationKind::GpPractice)
            }
            (3, _) if digits(&b[..2]) && b[2].is_ascii_uppercase() => {
                Some(OrganisationKind::SubIcbLocation)
            }
            (3, b'Q') => Some(OrganisationKind::IntegratedCareBoard),
            (3, b'R') => Some(OrganisationKind::NhsTrust),
            (5, b'R') => Some(OrganisationKind::NhsTrustSite),
            _ => None,
        }
    }
}

impl fmt::Display for OdsCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for OdsCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OdsCode({})", self.as_str())
    }
}

impl FromStr for OdsCode {
    type Err = CoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

crate::serde_via_text!(OdsCode);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn shapes_tell_the_kind() {
        let kind = |s: &str| s.parse::<OdsCode>().unwrap().kind();
        assert_eq!(kind("A81001"), Some(OrganisationKind::GpPractice));
        assert_eq!(kind("W97001"), Some(OrganisationKind::GpPractice));
        assert_eq!(kind("U89141"), Some(OrganisationKind::PrimaryCareNetwork));
        assert_eq!(kind("16C"), Some(OrganisationKind::SubIcbLocation));
        assert_eq!(kind("QHM"), Some(OrganisationKind::IntegratedCareBoard));
        assert_eq!(kind("RXX"), Some(OrganisationKind::NhsTrust));
        assert_eq!(kind("RXX01"), Some(OrganisationKind::NhsTrustSite));
        assert_eq!(kind("Y02345"), None);
        assert_eq!(kind("Y63"), None);
    }

    #[test]
    fn bad_codes_say_why() {
        let err = "ab".parse::<OdsCode>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid ODS code \"ab\": must have at least 3 characters"
        );
        assert!("A81-01".parse::<OdsCode>().is_err());
        assert!("a81001".parse::<OdsCode>().is_err());
        assert!("A810010000X".parse::<OdsCode>().is_err());
        assert_eq!(" A81001 ".parse::<OdsCode>().unwrap().as_str(), "A81001");
    }

    #[test]
    fn serde_uses_the_plain_code() {
        let code: OdsCode = "A81001".parse().unwrap();
        assert_eq!(serde_json::to_string(&code).unwrap(), "\"A81001\"");
        assert_eq!(serde_json::from_str::<OdsCode>("\"A81001\"").unwrap(), code);
        assert!(serde_json::from_str::<OdsCode>("\"a\"").is_err());
    }

    proptest! {
        #[test]
        fn display_and_parse_round_trip(s in "[A-Z0-9]{3,10}") {
            let code: OdsCode = s.parse().unwrap();
            prop_assert_eq!(code.to_string(), s);
        }
    }
}
