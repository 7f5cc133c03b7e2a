//! Whole-time equivalents.

use std::fmt;
use std::iter::Sum;
use std::str::FromStr;

use crate::{CoreError, money::round_half_away_from_zero};

/// Contracted hours in a full-time week under the NHS Agenda for Change contract
/// (NHS Employers, "Agenda for Change pay scales": 1.0 WTE = 37.5 hours a week).
pub const FULL_TIME_MINUTES_PER_WEEK: u32 = 37 * 60 + 30;

/// A whole-time equivalent, exact to a hundredth: 1.00 WTE is a full-time post of
/// 37.5 hours a week ([`FULL_TIME_MINUTES_PER_WEEK`]), 0.60 WTE three days of five.
///
/// Stored as hundredths, so that sums across teams and rosters are exact and a
/// check such as "never over contracted WTE" cannot be fooled by floating point.
/// Never negative. `Display`, `FromStr` and serde use the decimal text `0.60`.
///
/// ```
/// use pcn_core::Wte;
/// let part_time: Wte = "0.6".parse()?;
/// assert_eq!(part_time.to_string(), "0.60");
/// assert_eq!(part_time.weekly_minutes(), 1350); // 22.5 hours
/// let total = part_time.checked_add("0.4".parse()?)?;
/// assert_eq!(total, Wte::FULL_TIME);
/// assert!(part_time.checked_sub(Wte::FULL_TIME).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Wte(u32);

impl Wte {
    /// No time at all.
    pub const ZERO: Self = Self(0);
    /// A full-time post: 1.00 WTE.
    pub const FULL_TIME: Self = Self(100);

    /// The WTE of `hundredths` hundredths (60 is 0.60 WTE).
    #[must_use]
    pub const fn from_hundredths(hundredths: u32) -> Self {
        Self(hundredths)
    }

    /// The WTE in hundredths.
    #[must_use]
    pub const fn hundredths(self) -> u32 {
        self.0
    }

    /// The WTE of a contract of `minutes` a week, rounded to the nearest hundredth
    /// (half up).
    #[must_use]
    pub fn from_weekly_minutes(minutes: u32) -> Self {
        let hundredths = round_half_away_from_zero(
            i128::from(minutes) * 100,
            i128::from(FULL_TIME_MINUTES_PER_WEEK),
        );
        Self(u32::try_from(hundredths).unwrap_or(u32::MAX))
    }

    /// The contracted minutes a week, rounded to the nearest minute (half up).
    #[must_use]
    pub fn weekly_minutes(self) -> u32 {
        let minutes = round_half_away_from_zero(
            i128::from(self.0) * i128::from(FULL_TIME_MINUTES_PER_WEEK),
            100,
        );
        u32::try_from(minutes).unwrap_or(u32::MAX)
    }

    /// Whether no time is contracted.
    #[must_use]
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// `self + other`.
    ///
    /// # Errors
    /// [`CoreError::WteOverflow`] if the sum does not fit.
    pub fn checked_add(self, other: Self) -> Result<Self, CoreError> {
        self.0
            .checked_add(other.0)
            .map(Self)
            .ok_or_else(|| CoreError::WteOverflow {
                operation: format!("{self} + {other}"),
            })
    }

    /// `self - other`.
    ///
    /// # Errors
    /// [`CoreError::WteOverflow`] if `other` is larger (a WTE is never negative).
    pub fn checked_sub(self, other: Self) -> Result<Self, CoreError> {
        self.0
            .checked_sub(other.0)
            .map(Self)
            .ok_or_else(|| CoreError::WteOverflow {
                operation: format!("{self} - {other} would be negative"),
            })
    }
}

impl fmt::Display for Wte {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl fmt::Debug for Wte {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Wte({self})")
    }
}

impl FromStr for Wte {
    type Err = CoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = |reason| CoreError::InvalidWte {
            value: s.to_owned(),
            reason,
        };
        let trimmed = s.trim();
        let (whole, fraction) = trimmed.split_once('.').unwrap_or((trimmed, ""));
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid("must be a non-negative decimal such as 0.60 or 1"));
        }
        if fraction.len() > 2 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid("may have at most two decimal places"));
        }
        if trimmed.ends_with('.') {
            return Err(invalid("needs digits after the decimal point"));
        }
        let whole: u32 = whole.parse().map_err(|_| invalid("is too large"))?;
        let fraction: u32 = format!("{fraction:0<2}")
            .parse()
            .map_err(|_| invalid("is not a decimal"))?;
        whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(fraction))
            .map(Self)
            .ok_or_else(|| invalid("is too large"))
    }
}

crate::serde_via_text!(Wte);

impl<'a> Sum<&'a Wte> for Option<Wte> {
    fn sum<I: Iterator<Item = &'a Wte>>(mut iter: I) -> Self {
        iter.try_fold(Wte::ZERO, |acc, w| acc.checked_add(*w).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parse_forms() {
        assert_eq!("1".parse::<Wte>().unwrap(), Wte::FULL_TIME);
        assert_eq!("0.5".parse::<Wte>().unwrap().hundredths(), 50);
        assert_eq!("0.05".parse::<Wte>().unwrap().hundredths(), 5);
        for bad in ["", "-0.5", "0.555", "1.", ".5", "x"] {
            assert!(bad.parse::<Wte>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn hours_convert_both_ways() {
        assert_eq!(
            Wte::from_weekly_minutes(FULL_TIME_MINUTES_PER_WEEK),
            Wte::FULL_TIME
        );
        assert_eq!(Wte::from_weekly_minutes(15 * 60), "0.40".parse().unwrap());
        assert_eq!(Wte::FULL_TIME.weekly_minutes(), 2250);
    }

    proptest! {
        #[test]
        fn text_round_trips(h in 0u32..100_000) {
            let w = Wte::from_hundredths(h);
            prop_assert_eq!(w.to_string().parse::<Wte>().unwrap(), w);
        }
    }
}
