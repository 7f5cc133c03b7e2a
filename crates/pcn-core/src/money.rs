//! Exact money in pence, rates and unit prices, and the one rounding rule.

use std::fmt;
use std::iter::Sum;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::CoreError;

/// Divides `numerator` by `denominator` (which must be positive) and rounds half away
/// from zero: the one rounding rule of the workspace.
///
/// Every place where an exact product (pence x rate, pence x WTE share, patients x unit
/// price) has to become whole pence rounds here, once, at the end of the calculation:
/// 0.5p and above rounds up in magnitude, below 0.5p rounds down, the same for credits
/// and debits. This is the "commercial" rule used on NHS payment schedules, which
/// round each payment line to the nearest penny.
#[must_use]
pub const fn round_half_away_from_zero(numerator: i128, denominator: i128) -> i128 {
    let quotient = numerator / denominator;
    let remainder = numerator % denominator;
    if remainder.abs() * 2 >= denominator {
        if numerator < 0 {
            quotient - 1
        } else {
            quotient + 1
        }
    } else {
        quotient
    }
}

/// An exact amount of money in pence (pounds sterling), positive or negative.
///
/// All arithmetic is checked: a result that does not fit in 64-bit pence (about
/// ±£92 million million) is an error, never a wrap. Multiplying by a [`Rate`] or a
/// [`UnitPrice`] rounds once, by [`round_half_away_from_zero`]. Splitting an amount
/// by ratios ([`Money::allocate`]) gives parts that add up exactly.
///
/// `Display` gives `£1,234.56` and `-£3.00`; `FromStr` accepts that form, with or
/// without the pound sign and thousands separators (`1234.56`, `-£3.00`, `£12`).
/// Serde uses the integer number of pence, so that JSON never carries a float.
///
/// ```
/// use pcn_core::{Money, Rate};
/// // 2019/20: 70 % of a pharmacist's pay and on-costs was reimbursable.
/// let pay_and_on_costs: Money = "£42,000.00".parse()?;
/// let reimbursed = pay_and_on_costs.checked_mul_rate("70%".parse::<Rate>()?)?;
/// assert_eq!(reimbursed.to_string(), "£29,400.00");
/// let parts = Money::from_pence(100).allocate(&[1, 1, 1])?;
/// assert_eq!(parts, [Money::from_pence(34), Money::from_pence(33), Money::from_pence(33)]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(i64);

impl Money {
    /// Zero pounds.
    pub const ZERO: Self = Self(0);

    /// The amount of `pence` pence.
    #[must_use]
    pub const fn from_pence(pence: i64) -> Self {
        Self(pence)
    }

    /// The amount of whole `pounds`, or `None` if it does not fit.
    #[must_use]
    pub const fn from_pounds(pounds: i64) -> Option<Self> {
        match pounds.checked_mul(100) {
            Some(pence) => Some(Self(pence)),
            None => None,
        }
    }

    /// The amount in pence.
    #[must_use]
    pub const fn pence(self) -> i64 {
        self.0
    }

    /// Whether the amount is below zero.
    #[must_use]
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// Whether the amount is zero.
    #[must_use]
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// The absolute amount, or `None` for the one amount whose absolute value does not
    /// fit.
    #[must_use]
    pub const fn checked_abs(self) -> Option<Self> {
        match self.0.checked_abs() {
            Some(p) => Some(Self(p)),
            None => None,
        }
    }

    fn overflow(operation: String) -> CoreError {
        CoreError::MoneyOverflow { operation }
    }

    /// `self + other`.
    ///
    /// # Errors
    /// [`CoreError::MoneyOverflow`] if the sum does not fit.
    pub fn checked_add(self, other: Self) -> Result<Self, CoreError> {
        self.0
            .checked_add(other.0)
            .map(Self)
            .ok_or_else(|| Self::overflow(format!("{self} + {other}")))
    }

    /// `self - other`.
    ///
    /// # Errors
    /// [`CoreError::MoneyOverflow`] if the difference does not fit.
    pub fn checked_sub(self, other: Self) -> Result<Self, CoreError> {
        self.0
            .checked_sub(other.0)
            .map(Self)
            .ok_or_else(|| Self::overflow(format!("{self} - {other}")))
    }

    /// `-self`.
    ///
    /// # Errors
    /// [`CoreError::MoneyOverflow`] for the most negative amount, whose negation does
    /// not fit.
    pub fn checked_neg(self) -> Result<Self, CoreError> {
        self.0
            .checked_neg()
            .map(Self)
            .ok_or_else(|| Self::overflow(format!("-({self})")))
    }

    /// `self x count`, exact.
    ///
    /// # Errors
    /// [`CoreError::MoneyOverflow`] if the product does not fit.
    pub fn checked_mul(self, count: i64) -> Result<Self, CoreError> {
        self.0
            .checked_mul(count)
            .map(Self)
            .ok_or_else(|| Self::overflow(format!("{self} x {count}")))
    }

    /// `self x numerator / denominator`, rounded once by
    /// [`round_half_away_from_zero`]: the general form of pro-rating (by months in
    /// post, by WTE, by share of a population).
    ///
    /// # Errors
    /// [`CoreError::MoneyOverflow`] if the denominator is not positive or the result
    /// does not fit.
    pub fn checked_mul_ratio(self, numerator: i64, denominator: i64) -> Result<Self, CoreError> {
        if denominator <= 0 {
            return Err(Self::overflow(format!(
                "{self} x {numerator} / {denominator} (denominator must be positive)"
            )));
        }
        let exact = i128::from(self.0) * i128::from(numerator);
        i64::try_from(round_half_away_from_zero(exact, i128::from(denominator)))
            .map(Self)
            .map_err(|_| Self::overflow(format!("{self} x {numerator} / {denominator}")))
    }

    /// `self x rate`, rounded once by [`round_half_away_from_zero`].
    ///
    /// # Errors
    /// [`CoreError::MoneyOverflow`] if the result does not fit.
    pub fn checked_mul_rate(self, rate: Rate) -> Result<Self, CoreError> {
        self.checked_mul_ratio(rate.0, Rate::SCALE)
    }

    /// Splits the amount into parts proportional to `ratios` that add up exactly to
    /// it, by the largest remainder method: each part first gets the whole pence of
    /// its exact share (rounded towards zero), then the pence left over go one each
    /// to the parts with the largest fractional remainders, the earlier part first
    /// where remainders tie. A negative amount is split as its absolute value and
    /// negated, so parts of a debit are debits.
    ///
    /// # Errors
    /// [`CoreError::InvalidAllocation`] if `ratios` is empty or sums to zero;
    /// [`CoreError::MoneyOverflow`] if the ratios' sum does not fit in 64 bits.
    pub fn allocate(self, ratios: &[u64]) -> Result<Vec<Self>, CoreError> {
        let invalid = || CoreError::InvalidAllocation {
            amount: self.0,
            ratios: ratios.to_vec(),
        };
        let total: u128 = ratios.iter().map(|r| u128::from(*r)).sum();
        if ratios.is_empty() || total == 0 {
            return Err(invalid());
        }
        let amount = u128::from(self.0.unsigned_abs());
        let mut parts: Vec<u128> = Vec::with_capacity(ratios.len());
        let mut remainders: Vec<(u128, usize)> = Vec::with_capacity(ratios.len());
        for (index, ratio) in ratios.iter().enumerate() {
            let exact = amount * u128::from(*ratio);
            parts.push(exact / total);
            remainders.push((exact % total, index));
        }
        let given: u128 = parts.iter().sum();
        let left_over = usize::try_from(amount - given).map_err(|_| invalid())?;
        // Largest remainder first; among equals, the earlier part first.
        remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, index) in remainders.into_iter().take(left_over) {
            parts[index] += 1;
        }
        parts
            .into_iter()
            .map(|p| {
                let pence = i64::try_from(p).map_err(|_| invalid())?;
                Ok(Self(if self.0 < 0 { -pence } else { pence }))
            })
            .collect()
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let abs = self.0.unsigned_abs();
        let pounds = abs / 100;
        let pence = abs % 100;
        let digits = pounds.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}£{grouped}.{pence:02}")
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Money({self})")
    }
}

/// Parses `[-]digits[.d[d]]` where the digits may carry correctly placed thousands
/// separators, into units of `10^-decimals`.
fn parse_decimal(text: &str, max_decimals: u32) -> Result<(bool, i128), &'static str> {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = match body.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (body, None),
    };
    if whole.is_empty() {
        return Err("needs at least one digit before the decimal point");
    }
    if whole.contains(',') {
        let groups: Vec<&str> = whole.split(',').collect();
        let first_ok = (1..=3).contains(&groups[0].len());
        let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
        if !first_ok || !rest_ok {
            return Err("thousands separators must group digits in threes");
        }
    }
    let mut value: i128 = 0;
    for c in whole.chars().filter(|c| *c != ',') {
        let digit = c
            .to_digit(10)
            .ok_or("may hold only digits, one '.', ',' separators and a leading '-' or '£'")?;
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(i128::from(digit)))
            .ok_or("is too large")?;
    }
    let fraction = fraction.unwrap_or("");
    if fraction.is_empty() && body.ends_with('.') {
        return Err("needs digits after the decimal point");
    }
    let count = u32::try_from(fraction.len()).map_err(|_| "has too many decimal places")?;
    if count > max_decimals {
        return Err("has too many decimal places");
    }
    let mut fraction_value: i128 = 0;
    for c in fraction.chars() {
        let digit = c
            .to_digit(10)
            .ok_or("may hold only digits after the decimal point")?;
        fraction_value = fraction_value * 10 + i128::from(digit);
    }
    let scale = 10i128.pow(max_decimals);
    let units = value
        .checked_mul(scale)
        .and_then(|v| v.checked_add(fraction_value * 10i128.pow(max_decimals - count)))
        .ok_or("is too large")?;
    Ok((negative, if negative { -units } else { units }))
}

/// Strips a pound sign placed as `£12`, `-£12` or `£-12`, keeping the sign.
fn strip_pound(text: &str) -> String {
    let trimmed = text.trim();
    if let Some(rest) = trimmed.strip_prefix("-£") {
        format!("-{rest}")
    } else if let Some(rest) = trimmed.strip_prefix('£') {
        rest.to_owned()
    } else {
        trimmed.to_owned()
    }
}

impl FromStr for Money {
    type Err = CoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = |reason| CoreError::InvalidMoney {
            value: s.to_owned(),
            reason,
        };
        let (_, pence) = parse_decimal(&strip_pound(s), 2).map_err(invalid)?;
        i64::try_from(pence)
            .map(Self)
            .map_err(|_| invalid("does not fit in 64-bit pence"))
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        i64::deserialize(deserializer).map(Self)
    }
}

impl<'a> Sum<&'a Money> for Option<Money> {
    fn sum<I: Iterator<Item = &'a Money>>(mut iter: I) -> Self {
        iter.try_fold(Money::ZERO, |acc, m| acc.checked_add(*m).ok())
    }
}

/// An exact dimensionless rate (a share or multiplier) to six decimal places:
/// reimbursement at 70 %, a pro-rating share, a growth factor.
///
/// Parsed from `0.7`, `0.700000` or `70%` (percentages to four decimal places);
/// `Display` gives the shortest exact decimal (`0.7`). Serde uses the same text, so
/// that data files stay readable and exact.
///
/// ```
/// use pcn_core::Rate;
/// let rate: Rate = "70%".parse()?;
/// assert_eq!(rate, "0.7".parse()?);
/// assert_eq!(rate.to_string(), "0.7");
/// assert_eq!(rate.millionths(), 700_000);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Rate(i64);

impl Rate {
    /// Millionths in one whole.
    const SCALE: i64 = 1_000_000;
    /// The rate 1 (100 %).
    pub const ONE: Self = Self(Self::SCALE);
    /// The rate 0.
    pub const ZERO: Self = Self(0);

    /// The rate of `millionths` millionths (700,000 is 70 %).
    #[must_use]
    pub const fn from_millionths(millionths: i64) -> Self {
        Self(millionths)
    }

    /// The rate in millionths.
    #[must_use]
    pub const fn millionths(self) -> i64 {
        self.0
    }

    /// The rate `numerator / denominator`, rounded to the nearest millionth by
    /// [`round_half_away_from_zero`]; `None` if the denominator is not positive or
    /// the rate does not fit.
    #[must_use]
    pub fn from_ratio(numerator: i64, denominator: i64) -> Option<Self> {
        if denominator <= 0 {
            return None;
        }
        let value = round_half_away_from_zero(
            i128::from(numerator) * i128::from(Self::SCALE),
            i128::from(denominator),
        );
        i64::try_from(value).ok().map(Self)
    }
}

fn format_scaled(
    f: &mut fmt::Formatter<'_>,
    value: i64,
    scale: i64,
    decimals: usize,
) -> fmt::Result {
    let sign = if value < 0 { "-" } else { "" };
    let abs = value.unsigned_abs();
    let scale = scale.unsigned_abs();
    let whole = abs / scale;
    let fraction = abs % scale;
    if fraction == 0 {
        return write!(f, "{sign}{whole}");
    }
    let digits = format!("{fraction:0decimals$}");
    write!(f, "{sign}{whole}.{}", digits.trim_end_matches('0'))
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        format_scaled(f, self.0, Self::SCALE, 6)
    }
}

impl fmt::Debug for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Rate({self})")
    }
}

impl FromStr for Rate {
    type Err = CoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = |reason| CoreError::InvalidRate {
            value: s.to_owned(),
            reason,
        };
        let trimmed = s.trim();
        let millionths = if let Some(percent) = trimmed.strip_suffix('%') {
            // A percentage to 4 places is a fraction to 6 places.
            parse_decimal(percent.trim(), 4).map_err(invalid)?.1
        } else {
            parse_decimal(trimmed, 6).map_err(invalid)?.1
        };
        i64::try_from(millionths)
            .map(Self)
            .map_err(|_| invalid("is too large"))
    }
}

crate::serde_via_text!(Rate);

/// A price per unit (per registered patient, per weighted patient, per bed) to a
/// thousandth of a penny, as payment rules publish them (`£1.761`, `£0.51430`).
///
/// [`UnitPrice::times`] multiplies by a count exactly and rounds once at the end, so
/// that 10,000 patients at £0.147 are £1,470.00, not 10,000 rounded pennies.
/// `Display` gives `£1.761`; `FromStr` accepts up to five decimal places of a pound
/// (`£0.51430`). Serde uses the same text.
///
/// ```
/// use pcn_core::{Money, UnitPrice};
/// let per_patient: UnitPrice = "£1.50".parse()?;
/// assert_eq!(per_patient.times(31_045)?, "£46,567.50".parse::<Money>()?);
/// let monthly: UnitPrice = "£0.147".parse()?;
/// assert_eq!(monthly.times(10_001)?.to_string(), "£1,470.15");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct UnitPrice(i64);

impl UnitPrice {
    /// Thousandths of a penny in a pound.
    const SCALE: i64 = 100_000;

    /// The price of `thousandths` thousandths of a penny (`£1.761` is 176,100).
    #[must_use]
    pub const fn from_thousandths_of_penny(thousandths: i64) -> Self {
        Self(thousandths)
    }

    /// The price in thousandths of a penny.
    #[must_use]
    pub const fn thousandths_of_penny(self) -> i64 {
        self.0
    }

    /// `count` units at this price, rounded once to whole pence by
    /// [`round_half_away_from_zero`].
    ///
    /// # Errors
    /// [`CoreError::MoneyOverflow`] if the result does not fit.
    pub fn times(self, count: u64) -> Result<Money, CoreError> {
        let exact = i128::from(self.0) * i128::from(count);
        i64::try_from(round_half_away_from_zero(exact, 1000))
            .map(Money)
            .map_err(|_| CoreError::MoneyOverflow {
                operation: format!("{self} x {count}"),
            })
    }

    /// `count x numerator / denominator` units at this price (a count pro-rated, for
    /// example by months), rounded once.
    ///
    /// # Errors
    /// [`CoreError::MoneyOverflow`] if the denominator is not positive or the result
    /// does not fit.
    pub fn times_ratio(
        self,
        count: u64,
        numerator: i64,
        denominator: i64,
    ) -> Result<Money, CoreError> {
        let overflow = || CoreError::MoneyOverflow {
            operation: format!("{self} x {count} x {numerator} / {denominator}"),
        };
        if denominator <= 0 {
            return Err(overflow());
        }
        let exact = i128::from(self.0)
            .checked_mul(i128::from(count))
            .and_then(|v| v.checked_mul(i128::from(numerator)))
            .ok_or_else(overflow)?;
        i64::try_from(round_half_away_from_zero(
            exact,
            1000 * i128::from(denominator),
        ))
        .map(Money)
        .map_err(|_| overflow())
    }
}

impl fmt::Display for UnitPrice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let scale = Self::SCALE.unsigned_abs();
        let whole = abs / scale;
        let fraction = format!("{:05}", abs % scale);
        // Always show at least pence.
        let trimmed = fraction.trim_end_matches('0');
        let shown = if trimmed.len() < 2 {
            &fraction[..2]
        } else {
            trimmed
        };
        write!(f, "{sign}£{whole}.{shown}")
    }
}

impl fmt::Debug for UnitPrice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UnitPrice({self})")
    }
}

impl FromStr for UnitPrice {
    type Err = CoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = |reason| CoreError::InvalidRate {
            value: s.to_owned(),
            reason,
        };
        let (_, units) = parse_decimal(&strip_pound(s), 5).map_err(invalid)?;
        i64::try_from(units)
            .map(Self)
            .map_err(|_| invalid("is too large"))
    }
}

crate::serde_via_text!(UnitPrice);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m(s: &str) -> Money {
        s.parse().unwrap()
    }

    #[test]
    fn display_groups_thousands_and_shows_the_sign_first() {
        assert_eq!(Money::from_pence(123_456).to_string(), "£1,234.56");
        assert_eq!(Money::from_pence(-300).to_string(), "-£3.00");
        assert_eq!(Money::from_pence(5).to_string(), "£0.05");
        assert_eq!(Money::from_pence(100_000_000).to_string(), "£1,000,000.00");
        assert_eq!(
            Money::from_pence(i64::MIN).to_string(),
            "-£92,233,720,368,547,758.08"
        );
    }

    #[test]
    fn parsing_accepts_the_documented_forms() {
        assert_eq!(m("£1,234.56").pence(), 123_456);
        assert_eq!(m("1234.56").pence(), 123_456);
        assert_eq!(m("-£3.00").pence(), -300);
        assert_eq!(m("£-3").pence(), -300);
        assert_eq!(m("12.5").pence(), 1250);
        for bad in [
            "", "£", "1,23.00", "12.345", "1.2.3", "abc", "£1,234.", "--1", ".5",
        ] {
            assert!(bad.parse::<Money>().is_err(), "{bad:?} should be rejected");
        }
        let err = "12.345".parse::<Money>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid money amount \"12.345\": has too many decimal places"
        );
    }

    #[test]
    fn overflow_is_an_error() {
        let max = Money::from_pence(i64::MAX);
        assert!(max.checked_add(Money::from_pence(1)).is_err());
        assert!(Money::from_pence(i64::MIN).checked_neg().is_err());
        assert!(max.checked_mul(2).is_err());
    }

    #[test]
    fn rates_round_half_away_from_zero() {
        let half: Rate = "0.5".parse().unwrap();
        assert_eq!(
            Money::from_pence(3).checked_mul_rate(half).unwrap().pence(),
            2
        );
        assert_eq!(
            Money::from_pence(-3)
                .checked_mul_rate(half)
                .unwrap()
                .pence(),
            -2
        );
        assert_eq!(
            Money::from_pence(1)
                .checked_mul_ratio(1, 3)
                .unwrap()
                .pence(),
            0
        );
        assert_eq!(
            Money::from_pence(2)
                .checked_mul_ratio(1, 3)
                .unwrap()
                .pence(),
            1
        );
        assert!(Money::from_pence(2).checked_mul_ratio(1, 0).is_err());
    }

    #[test]
    fn rates_and_unit_prices_round_trip_as_text() {
        for text in ["0.7", "1", "0.000001", "-0.25", "1.5"] {
            assert_eq!(text.parse::<Rate>().unwrap().to_string(), text);
        }
        assert_eq!("12.5%".parse::<Rate>().unwrap().to_string(), "0.125");
        for text in ["£1.761", "£0.5143", "£1.50", "£0.00", "£22.894", "-£0.01"] {
            assert_eq!(text.parse::<UnitPrice>().unwrap().to_string(), text);
        }
        assert!("£1.000001".parse::<UnitPrice>().is_err());
        assert_eq!(
            serde_json::to_string(&"£0.147".parse::<UnitPrice>().unwrap()).unwrap(),
            "\"£0.147\""
        );
    }

    #[test]
    fn unit_price_rounds_once() {
        let p: UnitPrice = "£0.147".parse().unwrap();
        assert_eq!(p.times(1).unwrap().pence(), 15);
        assert_eq!(p.times(10_000).unwrap().pence(), 147_000);
        let core: UnitPrice = "£1.50".parse().unwrap();
        // Nine months of a year's payment: 10,000 x £1.50 x 9/12 = £11,250.
        assert_eq!(core.times_ratio(10_000, 9, 12).unwrap(), m("£11,250"));
    }

    #[test]
    fn allocate_gives_leftover_pence_to_the_largest_remainders() {
        let parts = Money::from_pence(1000).allocate(&[1, 2, 3]).unwrap();
        // Exact shares 166.67, 333.33, 500: the first gets the left-over penny.
        assert_eq!(parts, [167, 333, 500].map(Money::from_pence));
        let debit = Money::from_pence(-5).allocate(&[1, 1]).unwrap();
        assert_eq!(debit, [-3, -2].map(Money::from_pence));
        assert!(Money::from_pence(5).allocate(&[]).is_err());
        assert!(Money::from_pence(5).allocate(&[0, 0]).is_err());
    }

    proptest! {
        #[test]
        fn addition_is_exact_or_an_error(a in any::<i64>(), b in any::<i64>()) {
            let sum = Money::from_pence(a).checked_add(Money::from_pence(b));
            match a.checked_add(b) {
                Some(expected) => prop_assert_eq!(sum.unwrap().pence(), expected),
                None => prop_assert!(sum.is_err()),
            }
        }

        #[test]
        fn allocation_parts_add_up_exactly(
            pence in -1_000_000_000_000i64..1_000_000_000_000,
            ratios in prop::collection::vec(0u64..1_000_000, 1..20),
        ) {
            prop_assume!(ratios.iter().any(|r| *r > 0));
            let parts = Money::from_pence(pence).allocate(&ratios).unwrap();
            prop_assert_eq!(parts.len(), ratios.len());
            prop_assert_eq!(parts.iter().map(|p| p.pence()).sum::<i64>(), pence);
            for (part, ratio) in parts.iter().zip(&ratios) {
                if pence >= 0 {
                    prop_assert!(part.pence() >= 0);
                }
                if *ratio == 0 {
                    prop_assert_eq!(part.pence(), 0);
                }
                // No part strays more than a penny from its exact share.
                let total: i128 = ratios.iter().map(|r| i128::from(*r)).sum();
                let exact = i128::from(pence) * i128::from(*ratio);
                let diff = i128::from(part.pence()) * total - exact;
                prop_assert!(diff.abs() < total);
            }
        }

        #[test]
        fn display_and_parse_round_trip(pence in any::<i64>()) {
            let money = Money::from_pence(pence);
            prop_assert_eq!(money.to_string().parse::<Money>().unwrap(), money);
        }
    }
}
