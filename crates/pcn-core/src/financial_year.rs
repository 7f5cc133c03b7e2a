//! The NHS financial year and calendar months.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

use crate::{CoreError, DateRange};

/// The first year a [`FinancialYear`] may start in.
const MIN_YEAR: i32 = 1948;
/// The last year a [`FinancialYear`] may start in.
const MAX_YEAR: i32 = 9998;

/// An NHS financial year: 1 April to 31 March, written `2019/20`.
///
/// Contract rules and payment rates are published per financial year, so tables of
/// rules are keyed by it. Every date belongs to exactly one financial year
/// ([`FinancialYear::containing`]); a year has twelve months, April first
/// ([`FinancialYear::months`]).
///
/// `Display`, `FromStr` and serde use the `2019/20` form.
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_core::FinancialYear;
/// let year: FinancialYear = "2019/20".parse()?;
/// assert_eq!(year.start_year(), 2019);
/// let day = NaiveDate::from_ymd_opt(2020, 3, 31).unwrap();
/// assert_eq!(FinancialYear::containing(day), year);
/// assert_eq!(year.months()[0].to_string(), "2019-04");
/// assert_eq!(year.next().to_string(), "2020/21");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FinancialYear(i32);

impl FinancialYear {
    /// The financial year starting on 1 April of `start_year`.
    ///
    /// # Errors
    /// [`CoreError::InvalidFinancialYear`] outside 1948 (the NHS's founding year) to
    /// 9998.
    pub fn new(start_year: i32) -> Result<Self, CoreError> {
        if (MIN_YEAR..=MAX_YEAR).contains(&start_year) {
            Ok(Self(start_year))
        } else {
            Err(CoreError::InvalidFinancialYear {
                value: start_year.to_string(),
                reason: "must start between 1948 and 9998",
            })
        }
    }

    /// The financial year starting in `start_year`, for literals (`const` twin of
    /// [`FinancialYear::new`]).
    ///
    /// # Panics
    /// At compile time (in a `const`) or at run time if `start_year` is outside 1948
    /// to 9998.
    #[must_use]
    #[allow(clippy::panic)]
    pub const fn constant(start_year: i32) -> Self {
        assert!(
            start_year >= MIN_YEAR && start_year <= MAX_YEAR,
            "financial year out of range"
        );
        Self(start_year)
    }

    /// The financial year a date falls in.
    #[must_use]
    pub fn containing(date: NaiveDate) -> Self {
        if date.month() >= 4 {
            Self(date.year())
        } else {
            Self(date.year() - 1)
        }
    }

    /// The calendar year the financial year starts in (2019 for 2019/20).
    #[must_use]
    pub const fn start_year(self) -> i32 {
        self.0
    }

    /// 1 April, the first day.
    #[must_use]
    pub fn first_day(self) -> NaiveDate {
        // 1 April exists in every year in range.
        NaiveDate::from_ymd_opt(self.0, 4, 1).unwrap_or(NaiveDate::MIN)
    }

    /// 31 March, the last day.
    #[must_use]
    pub fn last_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0 + 1, 3, 31).unwrap_or(NaiveDate::MAX)
    }

    /// The year as a half-open date range, 1 April to the next 1 April.
    #[must_use]
    pub fn date_range(self) -> DateRange {
        DateRange::between_unchecked(self.first_day(), self.next().first_day())
    }

    /// Whether the date falls in this year.
    #[must_use]
    pub fn contains(self, date: NaiveDate) -> bool {
        Self::containing(date) == self
    }

    /// The twelve months, April to March.
    #[must_use]
    pub fn months(self) -> [YearMonth; 12] {
        std::array::from_fn(|i| {
            let offset = u32::try_from(i).unwrap_or(0);
            let month = (offset + 3) % 12 + 1;
            let year = if month >= 4 { self.0 } else { self.0 + 1 };
            YearMonth { year, month }
        })
    }

    /// The year after.
    #[must_use]
    pub const fn next(self) -> Self {
        Self(self.0 + 1)
    }

    /// The year before.
    #[must_use]
    pub const fn previous(self) -> Self {
        Self(self.0 - 1)
    }
}

impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{:02}", self.0, (self.0 + 1) % 100)
    }
}

impl fmt::Debug for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FinancialYear({self})")
    }
}

impl FromStr for FinancialYear {
    type Err = CoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = |reason| CoreError::InvalidFinancialYear {
            value: s.to_owned(),
            reason,
        };
        let (start, end) = s
            .trim()
            .split_once('/')
            .ok_or(invalid("must be written as 2019/20"))?;
        if start.len() != 4
            || end.len() != 2
            || !(start.bytes().chain(end.bytes()).all(|b| b.is_ascii_digit()))
        {
            return Err(invalid("must be written as 2019/20"));
        }
        let start_year: i32 = start
            .parse()
            .map_err(|_| invalid("must be written as 2019/20"))?;
        let end_year: i32 = end
            .parse()
            .map_err(|_| invalid("must be written as 2019/20"))?;
        if (start_year + 1) % 100 != end_year {
            return Err(invalid(
                "the second part must be the year after the first (2019/20)",
            ));
        }
        Self::new(start_year).map_err(|_| invalid("must start between 1948 and 9998"))
    }
}

crate::serde_via_text!(FinancialYear);

/// A calendar month, such as April 2019, written `2019-04`: the period of monthly
/// payments, claims, list sizes and ledger closes.
///
/// Months order by time. `Display`, `FromStr` and serde use `YYYY-MM`.
///
/// ```
/// use pcn_core::{FinancialYear, YearMonth};
/// let month: YearMonth = "2020-03".parse()?;
/// assert_eq!(month.financial_year(), "2019/20".parse::<FinancialYear>()?);
/// assert_eq!(month.next().to_string(), "2020-04");
/// assert_eq!(month.days(), 31);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    year: i32,
    month: u32,
}

impl YearMonth {
    /// The month `month` (1 to 12) of `year`.
    ///
    /// # Errors
    /// [`CoreError::InvalidMonth`] if `month` is not 1 to 12 or the year is outside
    /// 1 to 9999.
    pub fn new(year: i32, month: u32) -> Result<Self, CoreError> {
        if !(1..=12).contains(&month) || !(1..=9999).contains(&year) {
            return Err(CoreError::InvalidMonth {
                value: format!("{year}-{month:02}"),
                reason: "month must be 1 to 12 and year 1 to 9999",
            });
        }
        Ok(Self { year, month })
    }

    /// The month a date falls in.
    #[must_use]
    pub fn containing(date: NaiveDate) -> Self {
        Self {
            year: date.year(),
            month: date.month(),
        }
    }

    /// The calendar year.
    #[must_use]
    pub const fn year(self) -> i32 {
        self.year
    }

    /// The month number, 1 (January) to 12.
    #[must_use]
    pub const fn month(self) -> u32 {
        self.month
    }

    /// The first day of the month.
    #[must_use]
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The number of days in the month.
    #[must_use]
    pub fn days(self) -> u32 {
        let days = self.next().first_day() - self.first_day();
        u32::try_from(days.num_days()).unwrap_or(0)
    }

    /// The month as a half-open date range.
    #[must_use]
    pub fn date_range(self) -> DateRange {
        DateRange::between_unchecked(self.first_day(), self.next().first_day())
    }

    /// The financial year the month falls in.
    #[must_use]
    pub fn financial_year(self) -> FinancialYear {
        FinancialYear::containing(self.first_day())
    }

    /// The month's place in its financial year: 1 for April to 12 for March.
    #[must_use]
    pub const fn financial_month_number(self) -> u32 {
        (self.month + 8) % 12 + 1
    }

    /// The month after.
    #[must_use]
    pub const fn next(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Self {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// The month before.
    #[must_use]
    pub const fn previous(self) -> Self {
        if self.month == 1 {
            Self {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Self {
                year: self.year,
                month: self.month - 1,
            }
        }
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl fmt::Debug for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "YearMonth({self})")
    }
}

impl FromStr for YearMonth {
    type Err = CoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = || CoreError::InvalidMonth {
            value: s.to_owned(),
            reason: "must be written as YYYY-MM, for example 2019-04",
        };
        let (year, month) = s.trim().split_once('-').ok_or_else(invalid)?;
        if year.len() != 4 || month.len() != 2 {
            return Err(invalid());
        }
        let year: i32 = year.parse().map_err(|_| invalid())?;
        let month: u32 = month.parse().map_err(|_| invalid())?;
        Self::new(year, month).map_err(|_| invalid())
    }
}

crate::serde_via_text!(YearMonth);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn boundaries_fall_on_first_april() {
        assert_eq!(
            FinancialYear::containing(d(2019, 3, 31)).to_string(),
            "2018/19"
        );
        assert_eq!(
            FinancialYear::containing(d(2019, 4, 1)).to_string(),
            "2019/20"
        );
        assert_eq!(
            FinancialYear::containing(d(1999, 12, 31)).to_string(),
            "1999/00"
        );
        assert_eq!(
            "1999/00".parse::<FinancialYear>().unwrap().start_year(),
            1999
        );
    }

    #[test]
    fn bad_years_are_rejected() {
        for bad in [
            "2019/21",
            "2019-20",
            "19/20",
            "2019/2020",
            "",
            "abcd/ef",
            "1900/01",
        ] {
            assert!(bad.parse::<FinancialYear>().is_err(), "{bad:?}");
        }
        assert!(FinancialYear::new(1900).is_err());
    }

    #[test]
    fn months_run_april_to_march() {
        let months = FinancialYear::constant(2023).months();
        assert_eq!(months[0].to_string(), "2023-04");
        assert_eq!(months[8].to_string(), "2023-12");
        assert_eq!(months[11].to_string(), "2024-03");
        for (i, month) in months.iter().enumerate() {
            assert_eq!(month.financial_month_number() as usize, i + 1);
            assert_eq!(month.financial_year(), FinancialYear::constant(2023));
        }
        assert_eq!(YearMonth::new(2024, 2).unwrap().days(), 29);
        assert!(YearMonth::new(2024, 13).is_err());
        assert!("2024-4".parse::<YearMonth>().is_err());
    }

    proptest! {
        #[test]
        fn every_date_is_in_exactly_one_year(days in 0i64..200_000) {
            let date = d(1950, 1, 1) + chrono::Duration::days(days);
            let year = FinancialYear::containing(date);
            prop_assert!(year.contains(date));
            prop_assert!(year.first_day() <= date && date <= year.last_day());
            prop_assert!(!year.next().contains(date));
            prop_assert!(!year.previous().contains(date));
            prop_assert!(year.date_range().contains(date));
            prop_assert!(year.months().iter().any(|m| m.date_range().contains(date)));
            prop_assert_eq!(year.to_string().parse::<FinancialYear>().unwrap(), year);
        }
    }
}
