//! SNOMED CT concept identifiers.

use std::fmt;
use std::str::FromStr;

use crate::CoreError;

/// The Verhoeff multiplication table (the dihedral group D5).
const D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];

/// The Verhoeff permutation table.
const P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/// Whether the digits (most significant first), check digit last, pass Verhoeff.
fn verhoeff_valid(digits: &[u8]) -> bool {
    let mut c = 0u8;
    for (i, digit) in digits.iter().rev().enumerate() {
        c = D[usize::from(c)][usize::from(P[i % 8][usize::from(*digit)])];
    }
    c == 0
}

/// A SNOMED CT concept id, such as `73211009` (diabetes mellitus) or `160734000`
/// (lives in a nursing home).
///
/// SNOMED CT identifiers (SNOMED International, "SNOMED CT Technical Implementation
/// Guide", section on SCTIDs) are 6 to 18 digits: an item id, a two-digit partition
/// identifier and a Verhoeff check digit. A concept id has partition `00` (short form)
/// or `10` (an extension's namespace, such as the UK's `1000000` ids). Construction
/// checks the length, the partition and the check digit, so that a mistyped code is
/// caught rather than silently matching nothing.
///
/// Kept as a number (`u64`), as the issue of record asks: codes are compared, never
/// computed with. `Display`, `FromStr` and serde use the plain digits (serde as a
/// string, as FHIR codings carry them).
///
/// ```
/// use pcn_core::SnomedCode;
/// let diabetes: SnomedCode = "73211009".parse()?;
/// assert_eq!(diabetes.id(), 73_211_009);
/// assert!("73211008".parse::<SnomedCode>().is_err()); // check digit
/// let uk: SnomedCode = "248171000000108".parse()?; // UK extension concept
/// assert_eq!(uk.to_string(), "248171000000108");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SnomedCode(u64);

impl SnomedCode {
    /// Checks and wraps a concept id.
    ///
    /// # Errors
    /// [`CoreError::InvalidSnomedCode`] if the id is not 6 to 18 digits, its partition
    /// is not a concept partition (`00` or `10`), or its Verhoeff check digit is wrong.
    pub fn new(id: u64) -> Result<Self, CoreError> {
        let invalid = |reason| CoreError::InvalidSnomedCode {
            value: id.to_string(),
            reason,
        };
        let digits: Vec<u8> = id.to_string().bytes().map(|b| b - b'0').collect();
        if !(6..=18).contains(&digits.len()) {
            return Err(invalid("must have 6 to 18 digits"));
        }
        let partition = (id / 10) % 100;
        if partition != 0 && partition != 10 {
            return Err(invalid("is not a concept id (partition must be 00 or 10)"));
        }
        if !verhoeff_valid(&digits) {
            return Err(invalid("fails the Verhoeff check digit"));
        }
        Ok(Self(id))
    }

    /// The concept id, for literals in code and tests; checked at compile time when
    /// used in a `const`.
    ///
    /// # Panics
    /// If the id is not a valid concept id (at compile time in a `const`).
    #[must_use]
    #[allow(clippy::panic)]
    pub const fn constant(id: u64) -> Self {
        // The same checks as `new`, in a const-evaluable form.
        let mut len = 0;
        let mut rest = id;
        while rest > 0 {
            len += 1;
            rest /= 10;
        }
        assert!(
            len >= 6 && len <= 18,
            "SNOMED CT id must have 6 to 18 digits"
        );
        let partition = (id / 10) % 100;
        assert!(
            partition == 0 || partition == 10,
            "not a SNOMED CT concept id"
        );
        let mut c = 0u8;
        let mut i = 0;
        let mut rest = id;
        while rest > 0 {
            let digit = (rest % 10) as usize;
            c = D[c as usize][P[i % 8][digit] as usize];
            rest /= 10;
            i += 1;
        }
        assert!(c == 0, "SNOMED CT id fails the Verhoeff check");
        Self(id)
    }

    /// The concept id as a number.
    #[must_use]
    pub const fn id(self) -> u64 {
        self.0
    }
}

impl fmt::Display for SnomedCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Debug for SnomedCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SnomedCode({})", self.0)
    }
}

impl FromStr for SnomedCode {
    type Err = CoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        if trimmed.is_empty()
            || !trimmed.bytes().all(|b| b.is_ascii_digit())
            || trimmed.starts_with('0')
        {
            return Err(CoreError::InvalidSnomedCode {
                value: s.to_owned(),
                reason: "must be digits without a leading zero",
            });
        }
        let id: u64 = trimmed.parse().map_err(|_| CoreError::InvalidSnomedCode {
            value: s.to_owned(),
            reason: "must have 6 to 18 digits",
        })?;
        Self::new(id)
    }
}

crate::serde_via_text!(SnomedCode);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Appends the Verhoeff check digit to `item_and_partition`.
    fn with_check_digit(item_and_partition: u64) -> u64 {
        (0..10)
            .map(|check| item_and_partition * 10 + check)
            .find(|candidate| SnomedCode::new(*candidate).is_ok())
            .unwrap()
    }

    proptest! {
        #[test]
        fn any_single_digit_change_is_rejected(
            item in 1_000u64..100_000_000_000,
            partition in prop::sample::select(vec![0u64, 10]),
            position in 0usize..18,
            delta in 1u8..10,
        ) {
            let id = with_check_digit(item * 100 + partition);
            let text = id.to_string();
            prop_assert_eq!(text.parse::<SnomedCode>().unwrap().id(), id);
            let position = position % text.len();
            let mut digits = text.into_bytes();
            digits[position] = b'0' + (digits[position] - b'0' + delta) % 10;
            let changed = String::from_utf8(digits).unwrap();
            prop_assert!(changed.parse::<SnomedCode>().is_err(), "{} accepted", changed);
        }
    }

    #[test]
    fn published_concepts_pass() {
        // Care home residence codes named by the Network Contract DES care home premium,
        // a UK extension code among them, and a few long-term conditions.
        for id in [
            160_734_000u64,
            394_923_006,
            248_171_000_000_108,
            73_211_009,
            38_341_003,
            195_967_001,
            13_645_005,
        ] {
            assert_eq!(SnomedCode::new(id).unwrap().id(), id);
        }
        const DIABETES: SnomedCode = SnomedCode::constant(73_211_009);
        assert_eq!(DIABETES.to_string(), "73211009");
    }

    #[test]
    fn bad_ids_are_rejected() {
        assert!(SnomedCode::new(73_211_008).is_err());
        assert!(SnomedCode::new(12_345).is_err());
        assert!("0073211009".parse::<SnomedCode>().is_err());
        assert!("abc".parse::<SnomedCode>().is_err());
        // A description id (partition 01) is not a concept id.
        let err = SnomedCode::new(121_589_010).unwrap_err();
        assert!(err.to_string().contains("partition"), "{err}");
        assert_eq!(
            serde_json::to_string(&SnomedCode::constant(73_211_009)).unwrap(),
            "\"73211009\""
        );
    }
}
