//! NHS numbers.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::CoreError;

/// A patient's NHS number: ten digits, the last a Modulus 11 check digit.
///
/// The check (NHS Data Dictionary, "NHS Number"): multiply the first nine digits by
/// the weights 10, 9, ..., 2, add the products, and take the remainder on division by
/// 11; the check digit is 11 minus that remainder, with 11 read as 0. A remainder
/// giving 10 means that no valid number has those first nine digits. The check
/// catches every single-digit error and every transposition of two adjacent digits.
///
/// Parsing accepts the unspaced form `9434765919` and the spaced `3 3 4` form
/// `943 476 5919`. `Display` gives the spaced form, serde the unspaced one (as FHIR
/// does). An NHS number is personal data, so `Debug` shows only the last four
/// digits: a stray `{:?}` in a log cannot leak it.
///
/// Numbers starting with `999` are reserved for testing and are never issued to a
/// person; [`NhsNumber::test_number`] makes valid ones for synthetic data.
///
/// ```
/// use pcn_core::NhsNumber;
/// let n: NhsNumber = "943 476 5919".parse()?;
/// assert_eq!(n, "9434765919".parse()?);
/// assert_eq!(n.to_string(), "943 476 5919");
/// assert_eq!(format!("{n:?}"), "NhsNumber(*** *** 5919)");
/// assert!("943 476 5918".parse::<NhsNumber>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NhsNumber(u64);

/// The weights of the Modulus 11 check for the first nine digits.
const WEIGHTS: [u64; 9] = [10, 9, 8, 7, 6, 5, 4, 3, 2];

/// The check digit for the first nine digits, or `None` where the remainder rule
/// gives 10 (no valid number).
fn check_digit(digits: &[u64; 9]) -> Option<u64> {
    let sum: u64 = digits.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    match 11 - sum % 11 {
        11 => Some(0),
        10 => None,
        check => Some(check),
    }
}

impl NhsNumber {
    /// Parses an NHS number from its spaced or unspaced form.
    ///
    /// # Errors
    /// [`CoreError::InvalidNhsNumber`] if the text is not ten digits (optionally
    /// spaced 3 3 4); [`CoreError::NhsNumberCheckDigit`] if the check digit is wrong.
    pub fn new(text: &str) -> Result<Self, CoreError> {
        let trimmed = text.trim();
        let invalid = |reason| CoreError::InvalidNhsNumber {
            value: text.to_owned(),
            reason,
        };
        let compact: String = match trimmed.len() {
            10 => trimmed.to_owned(),
            12 if trimmed.as_bytes()[3] == b' ' && trimmed.as_bytes()[7] == b' ' => {
                trimmed.chars().filter(|c| *c != ' ').collect()
            }
            _ => {
                return Err(invalid(
                    "must be 10 digits, written as 9434765919 or 943 476 5919",
                ));
            }
        };
        let mut digits = [0u64; 10];
        for (slot, c) in digits.iter_mut().zip(compact.chars()) {
            *slot = u64::from(c.to_digit(10).ok_or_else(|| {
                invalid("must be 10 digits, written as 9434765919 or 943 476 5919")
            })?);
        }
        if digits.len() != 10 || compact.chars().count() != 10 {
            return Err(invalid(
                "must be 10 digits, written as 9434765919 or 943 476 5919",
            ));
        }
        let mut first_nine = [0u64; 9];
        first_nine.copy_from_slice(&digits[..9]);
        match check_digit(&first_nine) {
            Some(check) if check == digits[9] => {
                Ok(Self(digits.iter().fold(0, |acc, d| acc * 10 + d)))
            }
            expected => Err(CoreError::NhsNumberCheckDigit {
                value: text.to_owned(),
                expected: expected
                    .map_or_else(|| "none (remainder 10)".to_owned(), |c| c.to_string()),
            }),
        }
    }

    /// The NHS number whose first nine digits are `prefix` (0 to 999,999,999), with its
    /// check digit appended, or `None` where no valid number has that prefix (about one
    /// prefix in eleven).
    #[must_use]
    pub fn from_prefix(prefix: u32) -> Option<Self> {
        if prefix > 999_999_999 {
            return None;
        }
        let mut digits = [0u64; 9];
        let mut rest = u64::from(prefix);
        for slot in digits.iter_mut().rev() {
            *slot = rest % 10;
            rest /= 10;
        }
        check_digit(&digits).map(|check| Self(u64::from(prefix) * 10 + check))
    }

    /// A valid NHS number from the range reserved for testing (starting `999`): serials
    /// 0 to 899,999 give distinct numbers in increasing order; `None` past that.
    ///
    /// Synthetic populations use these, so that they never hold a real person's
    /// number.
    ///
    /// ```
    /// use pcn_core::NhsNumber;
    /// let n = NhsNumber::test_number(0).unwrap();
    /// assert!(n.is_test_number());
    /// assert_ne!(NhsNumber::test_number(1), Some(n));
    /// ```
    #[must_use]
    pub fn test_number(serial: u32) -> Option<Self> {
        // Prefixes sharing their first eight digits form a group of ten whose sums
        // differ by 2 x the ninth digit: ten distinct remainders mod 11, so at most one
        // of them lacks a check digit and every group holds at least nine valid
        // numbers. Serial s is the (s mod 9)-th valid number of group s / 9, which
        // makes the mapping one-to-one and increasing. 100,000 groups: 900,000
        // numbers.
        const GROUPS: u32 = 100_000;
        let group = serial / 9;
        if group >= GROUPS {
            return None;
        }
        let base = 999_000_000 + group * 10;
        (0..10)
            .filter_map(|digit| Self::from_prefix(base + digit))
            .nth(usize::try_from(serial % 9).ok()?)
    }

    /// Whether the number is in the range reserved for testing (starts with `999`).
    #[must_use]
    pub const fn is_test_number(&self) -> bool {
        self.0 / 10_000_000 == 999
    }

    /// The number as a 64-bit integer (for compact storage; the text forms are the
    /// interchange format).
    #[must_use]
    pub const fn as_u64(&self) -> u64 {
        self.0
    }
}

impl fmt::Display for NhsNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0;
        write!(
            f,
            "{:03} {:03} {:04}",
            n / 10_000_000,
            n / 10_000 % 1000,
            n % 10_000
        )
    }
}

impl fmt::Debug for NhsNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NhsNumber(*** *** {:04})", self.0 % 10_000)
    }
}

impl FromStr for NhsNumber {
    type Err = CoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl Serialize for NhsNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&format_args!("{:010}", self.0))
    }
}

impl<'de> Deserialize<'de> for NhsNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::text::deserialize(deserializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn published_example_is_valid() {
        // The NHS Data Dictionary's worked example: 943 476 5919.
        let n: NhsNumber = "9434765919".parse().unwrap();
        assert_eq!(n.to_string(), "943 476 5919");
        assert_eq!(serde_json::to_string(&n).unwrap(), "\"9434765919\"");
        assert_eq!(
            serde_json::from_str::<NhsNumber>("\"943 476 5919\"").unwrap(),
            n
        );
    }

    #[test]
    fn malformed_numbers_are_rejected_with_reasons() {
        for bad in [
            "",
            "943476591",
            "94347659190",
            "943-476-5919",
            "94 3476 5919",
            "943476591x",
        ] {
            assert!(
                matches!(
                    bad.parse::<NhsNumber>(),
                    Err(CoreError::InvalidNhsNumber { .. })
                ),
                "{bad:?} should be rejected as malformed"
            );
        }
        let err = "9434765918".parse::<NhsNumber>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "NHS number \"9434765918\" fails the Modulus 11 check: check digit should be 9"
        );
    }

    #[test]
    fn debug_hides_all_but_the_last_four_digits() {
        let n: NhsNumber = "9434765919".parse().unwrap();
        let debug = format!("{n:?}");
        assert!(!debug.contains("943"));
        assert!(debug.ends_with("5919)"));
    }

    #[test]
    fn test_numbers_are_valid_distinct_and_reserved() {
        let mut previous = None;
        for serial in 0..2000 {
            let n = NhsNumber::test_number(serial).unwrap();
            assert!(n.is_test_number());
            assert_eq!(
                n.to_string().replace(' ', "").parse::<NhsNumber>().unwrap(),
                n
            );
            assert!(previous < Some(n));
            previous = Some(n);
        }
        assert!(NhsNumber::test_number(899_999).is_some());
        assert!(NhsNumber::test_number(900_000).is_none());
    }

    fn valid_number() -> impl Strategy<Value = NhsNumber> {
        (0u32..=999_999_999).prop_filter_map("remainder 10", NhsNumber::from_prefix)
    }

    proptest! {
        #[test]
        fn every_valid_number_parses_in_both_forms(n in valid_number()) {
            let spaced = n.to_string();
            let compact = spaced.replace(' ', "");
            prop_assert_eq!(spaced.parse::<NhsNumber>().unwrap(), n);
            prop_assert_eq!(compact.parse::<NhsNumber>().unwrap(), n);
        }

        #[test]
        fn any_single_digit_change_is_rejected(
            n in valid_number(),
            position in 0usize..10,
            delta in 1u8..10,
        ) {
            let mut digits: Vec<u8> = format!("{:010}", n.as_u64()).into_bytes();
            digits[position] = b'0' + (digits[position] - b'0' + delta) % 10;
            let changed = String::from_utf8(digits).unwrap();
            prop_assert!(changed.parse::<NhsNumber>().is_err());
        }
    }
}
