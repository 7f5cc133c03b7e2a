//! Half-open date ranges.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::CoreError;

/// A half-open range of days, `[from, to)`: `from` is the first day in the range and
/// `to`, when present, the first day after it. A range without `to` is open-ended
/// (a membership still in force).
///
/// Half-open ranges chain without gaps or overlaps: a practice that leaves one network
/// and joins another on 1 July 2022 has `[.., 2022-07-01)` and `[2022-07-01, ..)`, which
/// is how the NHS ODS ePCN file records it. A range is never empty: construction
/// rejects `to <= from`.
///
/// `Display` and `FromStr` use `[2019-07-01, 2022-07-01)` and `[2019-07-01, ..)`; serde
/// uses the fields `from` and `to` (`to` is `null` when open-ended).
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_core::DateRange;
/// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
/// let first = DateRange::new(d(2019, 7, 1), Some(d(2022, 7, 1)))?;
/// let second = DateRange::starting(d(2022, 7, 1));
/// assert!(!first.overlaps(&second));
/// assert!(first.contains(d(2022, 6, 30)));
/// assert!(!first.contains(d(2022, 7, 1)));
/// assert_eq!(first.to_string(), "[2019-07-01, 2022-07-01)");
/// assert_eq!("[2022-07-01, ..)".parse::<DateRange>()?, second);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawDateRange", into = "RawDateRange")]
pub struct DateRange {
    from: NaiveDate,
    to: Option<NaiveDate>,
}

/// The serde form of [`DateRange`], checked on the way in.
#[derive(Serialize, Deserialize)]
struct RawDateRange {
    from: NaiveDate,
    to: Option<NaiveDate>,
}

impl TryFrom<RawDateRange> for DateRange {
    type Error = CoreError;

    fn try_from(raw: RawDateRange) -> Result<Self, Self::Error> {
        Self::new(raw.from, raw.to)
    }
}

impl From<DateRange> for RawDateRange {
    fn from(range: DateRange) -> Self {
        Self {
            from: range.from,
            to: range.to,
        }
    }
}

impl DateRange {
    /// The range from `from` (inclusive) to `to` (exclusive), or open-ended.
    ///
    /// # Errors
    /// [`CoreError::EmptyDateRange`] if `to` is on or before `from`.
    pub fn new(from: NaiveDate, to: Option<NaiveDate>) -> Result<Self, CoreError> {
        match to {
            Some(to) if to <= from => Err(CoreError::EmptyDateRange { from, to }),
            _ => Ok(Self { from, to }),
        }
    }

    /// The open-ended range starting on `from`.
    #[must_use]
    pub const fn starting(from: NaiveDate) -> Self {
        Self { from, to: None }
    }

    /// The range `[from, to)` where the caller knows `from < to`; an empty or
    /// reversed input gives the one-day range starting on `from`.
    pub(crate) fn between_unchecked(from: NaiveDate, to: NaiveDate) -> Self {
        let to = if to > from {
            to
        } else {
            from.succ_opt().unwrap_or(from)
        };
        Self { from, to: Some(to) }
    }

    /// The first day in the range.
    #[must_use]
    pub const fn from(&self) -> NaiveDate {
        self.from
    }

    /// The first day after the range, or `None` when open-ended.
    #[must_use]
    pub const fn to(&self) -> Option<NaiveDate> {
        self.to
    }

    /// The last day in the range, or `None` when open-ended.
    #[must_use]
    pub fn last_day(&self) -> Option<NaiveDate> {
        self.to.and_then(|to| to.pred_opt())
    }

    /// Whether the range is open-ended.
    #[must_use]
    pub const fn is_open_ended(&self) -> bool {
        self.to.is_none()
    }

    /// The number of days in the range, or `None` when open-ended.
    #[must_use]
    pub fn days(&self) -> Option<i64> {
        self.to.map(|to| (to - self.from).num_days())
    }

    /// Whether `date` is in the range.
    #[must_use]
    pub fn contains(&self, date: NaiveDate) -> bool {
        date >= self.from && self.to.is_none_or(|to| date < to)
    }

    /// Whether the two ranges share at least one day.
    #[must_use]
    pub fn overlaps(&self, other: &Self) -> bool {
        self.intersection(other).is_some()
    }

    /// The days both ranges share, or `None` if they share none.
    #[must_use]
    pub fn intersection(&self, other: &Self) -> Option<Self> {
        let from = self.from.max(other.from);
        let to = match (self.to, other.to) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Self::new(from, to).ok()
    }

    /// The same range ending (exclusive) on `to` instead; `None` if that leaves no day.
    #[must_use]
    pub fn ending(&self, to: NaiveDate) -> Option<Self> {
        Self::new(self.from, Some(to)).ok()
    }
}

impl fmt::Display for DateRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to {
            Some(to) => write!(f, "[{}, {})", self.from, to),
            None => write!(f, "[{}, ..)", self.from),
        }
    }
}

impl fmt::Debug for DateRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DateRange{self}")
    }
}

impl FromStr for DateRange {
    type Err = CoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = |reason| CoreError::InvalidDateRange {
            value: s.to_owned(),
            reason,
        };
        let inner = s
            .trim()
            .strip_prefix('[')
            .and_then(|rest| rest.strip_suffix(')'))
            .ok_or(invalid(
                "must be written as [2019-07-01, 2022-07-01) or [2019-07-01, ..)",
            ))?;
        let (from, to) = inner.split_once(',').ok_or(invalid(
            "must be written as [2019-07-01, 2022-07-01) or [2019-07-01, ..)",
        ))?;
        let from: NaiveDate = from
            .trim()
            .parse()
            .map_err(|_| invalid("the start is not a YYYY-MM-DD date"))?;
        let to = match to.trim() {
            ".." => None,
            text => Some(
                text.parse()
                    .map_err(|_| invalid("the end is not a YYYY-MM-DD date or '..'"))?,
            ),
        };
        Self::new(from, to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(days: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Duration::days(days)
    }

    fn range() -> impl Strategy<Value = DateRange> {
        (0i64..200, prop::option::of(1i64..100))
            .prop_map(|(start, len)| DateRange::new(d(start), len.map(|l| d(start + l))).unwrap())
    }

    #[test]
    fn empty_ranges_are_rejected() {
        let err = DateRange::new(d(5), Some(d(5))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid date range from 2020-01-06 to 2020-01-06: the end (exclusive) must be after the start"
        );
        assert!(
            serde_json::from_str::<DateRange>(r#"{"from":"2020-01-02","to":"2020-01-01"}"#)
                .is_err()
        );
    }

    #[test]
    fn serde_uses_from_and_to() {
        let r = DateRange::starting(d(0));
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"from":"2020-01-01","to":null}"#
        );
    }

    proptest! {
        #[test]
        fn intersection_is_commutative(a in range(), b in range()) {
            prop_assert_eq!(a.intersection(&b), b.intersection(&a));
        }

        #[test]
        fn contains_agrees_with_overlaps(a in range(), b in range(), day in 0i64..320) {
            let date = d(day);
            let both = a.contains(date) && b.contains(date);
            if both {
                prop_assert!(a.overlaps(&b));
            }
            let in_intersection = a.intersection(&b).is_some_and(|i| i.contains(date));
            prop_assert_eq!(in_intersection, both);
        }

        #[test]
        fn text_round_trips(a in range()) {
            prop_assert_eq!(a.to_string().parse::<DateRange>().unwrap(), a);
        }
    }
}
