//! Ages in completed years.

use chrono::{Datelike, NaiveDate};

/// A person's age on `date` in completed years, as the NHS counts it (the number of
/// birthdays reached, someone born on 29 February turning a year older on 1 March in
/// other years), or `None` if `date` is before `date_of_birth`. Ages above 255 are
/// given as 255.
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_core::age_on;
/// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
/// assert_eq!(age_on(d(1948, 2, 29), d(2023, 2, 28)), Some(74));
/// assert_eq!(age_on(d(1948, 2, 29), d(2023, 3, 1)), Some(75));
/// assert_eq!(age_on(d(2000, 1, 1), d(1999, 12, 31)), None);
/// ```
#[must_use]
pub fn age_on(date_of_birth: NaiveDate, date: NaiveDate) -> Option<u8> {
    if date < date_of_birth {
        return None;
    }
    let mut years = date.year() - date_of_birth.year();
    if (date.month(), date.day()) < (date_of_birth.month(), date_of_birth.day()) {
        years -= 1;
    }
    Some(u8::try_from(years.max(0)).unwrap_or(u8::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn age_grows_by_one_on_each_birthday(birth_day in 0i64..30_000, years in 0i32..100) {
            let birth = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Duration::days(birth_day);
            prop_assume!(!(birth.month() == 2 && birth.day() == 29));
            let birthday = birth.with_year(birth.year() + years).unwrap();
            prop_assert_eq!(age_on(birth, birthday), Some(u8::try_from(years).unwrap()));
            if let Some(eve) = birthday.pred_opt().filter(|_| years > 0) {
                prop_assert_eq!(age_on(birth, eve), Some(u8::try_from(years - 1).unwrap()));
            }
        }
    }
}
