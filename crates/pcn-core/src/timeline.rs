//! Effective-dated values.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{CoreError, DateRange};

/// One change of a [`Timeline`]: from `from` on, the value is `value` (or there is no
/// value, when `value` is `None`) until the next change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change<T> {
    /// The first day the value holds.
    pub from: NaiveDate,
    /// The value from that day, or `None` where the value ends.
    pub value: Option<T>,
}

/// A value that changes on dates: a practice's list size, its network, a rate, a
/// member of staff's contracted WTE.
///
/// A timeline is a list of [`Change`]s in strictly increasing date order; the value
/// on a date is the one set by the latest change on or before it, and there is no
/// value before the first change or after a change to `None`. Lookups are binary
/// searches.
///
/// Serde uses the list of changes (`[{"from": "2019-07-01", "value": 5}, ...]`) and
/// checks the order on the way in.
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_core::{DateRange, Timeline};
/// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
/// let mut list_size = Timeline::new();
/// list_size.set(d(2023, 1, 1), 10_250);
/// list_size.set(d(2023, 4, 1), 10_400);
/// assert_eq!(list_size.value_on(d(2022, 12, 31)), None);
/// assert_eq!(list_size.value_on(d(2023, 3, 31)), Some(&10_250));
/// assert_eq!(list_size.value_on(d(2024, 1, 1)), Some(&10_400));
///
/// let mut network = Timeline::new();
/// network.set_during(DateRange::new(d(2019, 7, 1), Some(d(2022, 7, 1)))?, "U86966");
/// network.set_during(DateRange::starting(d(2022, 7, 1)), "U11211");
/// assert_eq!(network.value_on(d(2022, 6, 30)), Some(&"U86966"));
/// assert_eq!(network.value_on(d(2022, 7, 1)), Some(&"U11211"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<Change<T>>", into = "Vec<Change<T>>")]
#[serde(bound(
    serialize = "T: Clone + Serialize",
    deserialize = "T: Deserialize<'de>"
))]
pub struct Timeline<T> {
    changes: Vec<Change<T>>,
}

impl<T> Default for Timeline<T> {
    fn default() -> Self {
        Self {
            changes: Vec::new(),
        }
    }
}

impl<T> TryFrom<Vec<Change<T>>> for Timeline<T> {
    type Error = CoreError;

    fn try_from(changes: Vec<Change<T>>) -> Result<Self, Self::Error> {
        for pair in changes.windows(2) {
            if pair[1].from <= pair[0].from {
                return Err(CoreError::InvalidDateRange {
                    value: format!("{} then {}", pair[0].from, pair[1].from),
                    reason: "timeline changes must be in strictly increasing date order",
                });
            }
        }
        Ok(Self { changes })
    }
}

impl<T> From<Timeline<T>> for Vec<Change<T>> {
    fn from(timeline: Timeline<T>) -> Self {
        timeline.changes
    }
}

impl<T> Timeline<T> {
    /// An empty timeline: no value on any date.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            changes: Vec::new(),
        }
    }

    /// A timeline holding `value` from `from` on.
    #[must_use]
    pub fn starting(from: NaiveDate, value: T) -> Self {
        Self {
            changes: vec![Change {
                from,
                value: Some(value),
            }],
        }
    }

    /// The index of the latest change on or before `date`.
    fn index_on(&self, date: NaiveDate) -> Option<usize> {
        self.changes
            .partition_point(|c| c.from <= date)
            .checked_sub(1)
    }

    /// The value on `date`, if any.
    #[must_use]
    pub fn value_on(&self, date: NaiveDate) -> Option<&T> {
        self.index_on(date)
            .and_then(|i| self.changes[i].value.as_ref())
    }

    /// The latest value set on any date, if the timeline ends with a value.
    #[must_use]
    pub fn latest(&self) -> Option<&T> {
        self.changes.last().and_then(|c| c.value.as_ref())
    }

    /// Sets the value from `from` on, until the next change already recorded (which
    /// is kept). A change already recorded on `from` is replaced.
    pub fn set(&mut self, from: NaiveDate, value: T) {
        self.put(from, Some(value));
    }

    /// Ends the value on `from` (no value from that day until the next change).
    pub fn end(&mut self, from: NaiveDate) {
        self.put(from, None);
    }

    fn put(&mut self, from: NaiveDate, value: Option<T>) {
        let at = self.changes.partition_point(|c| c.from < from);
        match self.changes.get_mut(at) {
            Some(existing) if existing.from == from => existing.value = value,
            _ => self.changes.insert(at, Change { from, value }),
        }
    }

    /// Sets the value for exactly the days of `range`: changes inside the range are
    /// removed, and the value that held just after the range (if the range is not
    /// open-ended) is restored on its end date.
    pub fn set_during(&mut self, range: DateRange, value: T)
    where
        T: Clone,
    {
        let after = range.to().map(|to| self.value_on(to).cloned());
        let first = self.changes.partition_point(|c| c.from < range.from());
        let last = match range.to() {
            Some(to) => self.changes.partition_point(|c| c.from <= to),
            None => self.changes.len(),
        };
        self.changes.drain(first..last);
        let mut inserted = vec![Change {
            from: range.from(),
            value: Some(value),
        }];
        if let (Some(to), Some(after)) = (range.to(), after) {
            inserted.push(Change {
                from: to,
                value: after,
            });
        }
        self.changes.splice(first..first, inserted);
    }

    /// The changes, in date order.
    #[must_use]
    pub fn changes(&self) -> &[Change<T>] {
        &self.changes
    }

    /// The changes that take effect within `range`, in date order.
    pub fn changes_in(&self, range: DateRange) -> impl Iterator<Item = &Change<T>> {
        let first = self.changes.partition_point(|c| c.from < range.from());
        self.changes[first..]
            .iter()
            .take_while(move |c| range.contains(c.from))
    }

    /// The periods over which the timeline holds a value, each with that value.
    pub fn periods(&self) -> impl Iterator<Item = (DateRange, &T)> {
        self.changes.iter().enumerate().filter_map(|(i, change)| {
            let value = change.value.as_ref()?;
            let to = self.changes.get(i + 1).map(|next| next.from);
            DateRange::new(change.from, to)
                .ok()
                .map(|range| (range, value))
        })
    }

    /// Whether the timeline has no changes at all.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(days: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Duration::days(days)
    }

    /// The value on a date by scanning every change: the definition the binary search
    /// must agree with.
    fn naive_value_on(changes: &[(i64, Option<u8>)], day: i64) -> Option<u8> {
        let mut sorted: Vec<_> = changes.to_vec();
        // Later insertions on the same day replace earlier ones.
        let mut by_day = std::collections::BTreeMap::new();
        for (day, value) in sorted.drain(..) {
            by_day.insert(day, value);
        }
        by_day.range(..=day).next_back().and_then(|(_, v)| *v)
    }

    #[test]
    fn set_during_restores_the_following_value() {
        let mut t = Timeline::starting(d(0), 'a');
        t.set_during(DateRange::new(d(10), Some(d(20))).unwrap(), 'b');
        assert_eq!(t.value_on(d(9)), Some(&'a'));
        assert_eq!(t.value_on(d(10)), Some(&'b'));
        assert_eq!(t.value_on(d(19)), Some(&'b'));
        assert_eq!(t.value_on(d(20)), Some(&'a'));
        let periods: Vec<_> = t.periods().map(|(r, v)| (r.to_string(), *v)).collect();
        assert_eq!(
            periods,
            [
                ("[2020-01-01, 2020-01-11)".to_owned(), 'a'),
                ("[2020-01-11, 2020-01-21)".to_owned(), 'b'),
                ("[2020-01-21, ..)".to_owned(), 'a'),
            ]
        );
    }

    #[test]
    fn serde_checks_the_order() {
        let t = Timeline::starting(d(0), 5u32);
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, r#"[{"from":"2020-01-01","value":5}]"#);
        assert_eq!(serde_json::from_str::<Timeline<u32>>(&json).unwrap(), t);
        let bad = r#"[{"from":"2020-01-02","value":5},{"from":"2020-01-01","value":6}]"#;
        assert!(serde_json::from_str::<Timeline<u32>>(bad).is_err());
    }

    proptest! {
        #[test]
        fn value_on_agrees_with_a_naive_scan(
            changes in prop::collection::vec((0i64..100, prop::option::of(0u8..5)), 0..30),
            probes in prop::collection::vec(-5i64..110, 1..20),
        ) {
            let mut t = Timeline::new();
            for (day, value) in &changes {
                match value {
                    Some(v) => t.set(d(*day), *v),
                    None => t.end(d(*day)),
                }
            }
            for day in probes {
                prop_assert_eq!(t.value_on(d(day)).copied(), naive_value_on(&changes, day));
            }
        }

        #[test]
        fn set_during_changes_only_the_range(
            changes in prop::collection::vec((0i64..100, 0u8..5), 0..20),
            start in 0i64..100,
            len in prop::option::of(1i64..50),
            probes in prop::collection::vec(-5i64..160, 1..30),
        ) {
            let mut t = Timeline::new();
            for (day, value) in &changes {
                t.set(d(*day), *value);
            }
            let before = t.clone();
            let range = DateRange::new(d(start), len.map(|l| d(start + l))).unwrap();
            t.set_during(range, 9);
            for day in probes {
                let date = d(day);
                if range.contains(date) {
                    prop_assert_eq!(t.value_on(date), Some(&9));
                } else {
                    prop_assert_eq!(t.value_on(date), before.value_on(date));
                }
            }
        }
    }
}
