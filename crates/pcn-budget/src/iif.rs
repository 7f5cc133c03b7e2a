//! The Investment and Impact Fund: achievement payments per indicator, with the
//! working shown.
//!
//! The rule (NHS England's IIF guidance; `iif-2020`, `iif-2024` in the rules file):
//! each indicator has points, a lower and an upper threshold. A network at or
//! beyond the upper threshold earns every point, at or short of the lower none, and
//! between them points on a straight sliding scale. Its payment for the indicator is
//!
//! ```text
//! points earned x value of a point x list size adjustment x prevalence adjustment
//! ```
//!
//! where the list size adjustment is the network's list divided by the average
//! network's list, and (for indicators adjusted for prevalence) the prevalence
//! adjustment is the network's prevalence (the indicator's denominator divided by
//! its list) divided by the national prevalence. An indicator where fewer is better
//! has its lower threshold above its upper one; the same formula covers both.
//!
//! Everything is computed as one exact fraction and rounded once, to the penny,
//! half away from zero ([`pcn_core::round_half_away_from_zero`]); the rounding of
//! the published calculation (if it rounds points or adjustments on the way) was
//! not found, so the working shows the intermediate figures to four places but
//! does not round them.

use std::sync::Arc;

use pcn_core::{FinancialYear, Money, Rate, YearMonth};
use serde::{Deserialize, Serialize};

use crate::{BudgetError, EntitlementRules};

/// One IIF indicator of a year, as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IifIndicator {
    /// The indicator's code ("CAN-10").
    pub code: String,
    /// What it measures.
    pub description: String,
    /// The points available.
    pub points: u32,
    /// The lower threshold: no points at or short of it.
    pub lower: Rate,
    /// The upper threshold: every point at or beyond it.
    pub upper: Rate,
    /// Whether the payment is adjusted for the network's prevalence.
    pub prevalence_adjusted: bool,
    /// The source id.
    pub source: Arc<str>,
}

/// A year's Investment and Impact Fund: the value of a point and the indicators
/// held, each figure from a published source or left out (and then an error when
/// asked for).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IifRules {
    /// The value of a point, where found.
    #[serde(with = "crate::rules::optional_money_text")]
    pub point_value: Option<Money>,
    /// The most points a network could earn, where found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<u32>,
    /// The first month of the year's scheme.
    pub from: YearMonth,
    /// The last month.
    pub to: YearMonth,
    /// The source id of the year's figures.
    pub source: Arc<str>,
    /// The indicators whose points and thresholds were found.
    pub indicators: Vec<IifIndicator>,
    /// What is known and what is missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl IifRules {
    pub(crate) fn validate(
        &self,
        year: FinancialYear,
        known: &dyn Fn(&str) -> bool,
    ) -> Result<(), String> {
        if self.from > self.to
            || self.from.financial_year() != year
            || self.to.financial_year() != year
        {
            return Err("the IIF does not run for a run of months inside the year".to_owned());
        }
        if self.point_value.is_some_and(|v| v.pence() <= 0) || !known(&self.source) {
            return Err("the IIF point value must be above zero and its source known".to_owned());
        }
        for (i, ind) in self.indicators.iter().enumerate() {
            let range = 0..=1_000_000;
            if ind.points == 0
                || ind.lower == ind.upper
                || !range.contains(&ind.lower.millionths())
                || !range.contains(&ind.upper.millionths())
                || !known(&ind.source)
            {
                return Err(format!(
                    "IIF indicator {} needs points above zero, two different thresholds between 0 and 1 and a known source",
                    ind.code
                ));
            }
            if self.indicators[..i].iter().any(|o| o.code == ind.code) {
                return Err(format!("IIF indicator {} is listed twice", ind.code));
            }
        }
        Ok(())
    }
}

/// A count of patients in a population, for a prevalence (the national prevalence
/// of an indicator's denominator, as published with the year's achievement).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prevalence {
    /// Patients in the indicator's denominator, nationally.
    pub patients: u64,
    /// The population they are counted in.
    pub population: u64,
}

/// A network's achievement on one indicator, and what its payment is adjusted by.
///
/// Numerator and denominator are signed so that a negative count read from a file
/// is refused with its figures rather than wrapped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Achievement {
    /// The indicator's code.
    pub code: String,
    /// Patients meeting the indicator.
    pub numerator: i64,
    /// Patients it is measured on.
    pub denominator: i64,
    /// The network's registered list.
    pub list_size: u64,
    /// The average network's list, for the list size adjustment (published with
    /// the year's figures).
    pub average_list_size: u64,
    /// The national prevalence of the denominator, for indicators adjusted for it.
    pub national_prevalence: Option<Prevalence>,
}

/// An indicator's payment with its working.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorPayment {
    /// The year.
    pub year: FinancialYear,
    /// The indicator.
    pub code: String,
    /// The points available.
    pub points_available: u32,
    /// Points earned, in hundredths (rounded for display only; the payment uses
    /// the exact figure).
    pub points_earned_hundredths: i64,
    /// The payment, rounded once to the penny.
    pub payment: Money,
    /// Each step of the calculation, in words and figures.
    pub working: Vec<String>,
    /// The source ids of the figures used.
    pub sources: Vec<Arc<str>>,
}

fn percent(millionths: i128) -> String {
    // Display only: four places of a percentage.
    let hundredths_of_basis = pcn_core::round_half_away_from_zero(millionths, 100);
    format!(
        "{}.{:02}%",
        hundredths_of_basis / 100,
        (hundredths_of_basis % 100).abs()
    )
}

fn decimal(numerator: i128, denominator: i128, places: u32) -> String {
    let scale = 10_i128.pow(places);
    let scaled = pcn_core::round_half_away_from_zero(numerator * scale, denominator);
    let sign = if scaled < 0 { "-" } else { "" };
    let scaled = scaled.abs();
    format!(
        "{sign}{}.{:0width$}",
        scaled / scale,
        scaled % scale,
        width = places as usize
    )
}

/// `a * b`, or an overflow error naming the calculation.
fn mul(a: i128, b: i128, what: &str) -> Result<i128, BudgetError> {
    a.checked_mul(b).ok_or_else(|| {
        BudgetError::Core(pcn_core::CoreError::MoneyOverflow {
            operation: what.to_owned(),
        })
    })
}

impl IifRules {
    /// The payment for `achievement` under these rules, with the working.
    ///
    /// # Errors
    /// [`BudgetError::UnknownIifIndicator`] if the indicator is not held for the
    /// year; [`BudgetError::IifFigureUnpublished`] if the point value was not
    /// found; [`BudgetError::InvalidAchievement`] for a negative count, a numerator
    /// above its denominator, a zero denominator or list, or a missing or empty
    /// national prevalence where the indicator needs it; [`BudgetError::Core`] on
    /// overflow.
    pub fn payment(
        &self,
        year: FinancialYear,
        achievement: &Achievement,
    ) -> Result<IndicatorPayment, BudgetError> {
        let code = &achievement.code;
        let indicator = self
            .indicators
            .iter()
            .find(|i| &i.code == code)
            .ok_or_else(|| BudgetError::UnknownIifIndicator {
                code: code.clone(),
                year,
                held: self.indicators.iter().map(|i| i.code.clone()).collect(),
            })?;
        let value = self
            .point_value
            .ok_or_else(|| BudgetError::IifFigureUnpublished {
                figure: "point value",
                year,
                note: self.note.clone().unwrap_or_default(),
            })?;
        let invalid = |reason: String| BudgetError::InvalidAchievement {
            code: code.clone(),
            year,
            reason,
        };
        let (n, d) = (achievement.numerator, achievement.denominator);
        if n < 0 || d < 0 {
            return Err(invalid(format!(
                "the numerator {n} and denominator {d} cannot be below zero"
            )));
        }
        if n > d {
            return Err(invalid(format!(
                "the numerator {n} is above its denominator {d}"
            )));
        }
        if d == 0 {
            return Err(invalid(
                "the denominator is zero, so there is no achievement to pay on".to_owned(),
            ));
        }
        if achievement.list_size == 0 || achievement.average_list_size == 0 {
            return Err(invalid(format!(
                "the list size {} and the average list size {} must be above zero",
                achievement.list_size, achievement.average_list_size
            )));
        }
        let (n, d) = (i128::from(n), i128::from(d));
        let (lower, upper) = (
            i128::from(indicator.lower.millionths()),
            i128::from(indicator.upper.millionths()),
        );
        // Share of the sliding scale: (n/d - lower) / (upper - lower), in [0, 1].
        let mut share_num = n * 1_000_000 - lower * d;
        let mut share_den = (upper - lower) * d;
        if share_den < 0 {
            share_num = -share_num;
            share_den = -share_den;
        }
        if share_num <= 0 {
            share_num = 0;
        } else if share_num >= share_den {
            share_num = share_den;
        }
        let points = i128::from(indicator.points);
        let list = i128::from(achievement.list_size);
        let average = i128::from(achievement.average_list_size);
        let mut working = vec![
            format!(
                "achievement {n}/{d} = {}; lower threshold {}, upper threshold {}",
                percent(n * 1_000_000 * 100 / d),
                percent(lower * 100),
                percent(upper * 100)
            ),
            format!(
                "points earned {} x {} of the sliding scale = {} of {}",
                indicator.points,
                decimal(share_num, share_den, 4),
                decimal(points * share_num, share_den, 2),
                indicator.points
            ),
            format!(
                "list size adjustment {list} / {average} = {}",
                decimal(list, average, 4)
            ),
        ];
        // payment (pence) = points x share x value x list/average x prevalence factor
        let mut num = mul(points, share_num, "IIF points")?;
        num = mul(num, i128::from(value.pence()), "IIF points x value")?;
        num = mul(num, list, "IIF list size adjustment")?;
        let mut den = mul(share_den, average, "IIF list size adjustment")?;
        if indicator.prevalence_adjusted {
            let national = achievement
                .national_prevalence
                .filter(|p| p.patients > 0 && p.population > 0)
                .ok_or_else(|| {
                    invalid(
                        "the indicator is adjusted for prevalence: give the national prevalence (patients and population, both above zero)"
                            .to_owned(),
                    )
                })?;
            let (np, nn) = (
                i128::from(national.patients),
                i128::from(national.population),
            );
            // (d / list) / (np / nn) = d x nn / (list x np)
            working.push(format!(
                "prevalence adjustment ({d} / {list}) / ({np} / {nn}) = {} / {} = {}",
                decimal(d * 100, list, 4),
                decimal(np * 100, nn, 4),
                decimal(d * nn, list * np, 4)
            ));
            num = mul(
                num,
                mul(d, nn, "IIF prevalence")?,
                "IIF prevalence adjustment",
            )?;
            den = mul(
                den,
                mul(list, np, "IIF prevalence")?,
                "IIF prevalence adjustment",
            )?;
        }
        let pence = pcn_core::round_half_away_from_zero(num, den);
        let payment = Money::from_pence(i64::try_from(pence).map_err(|_| {
            BudgetError::Core(pcn_core::CoreError::MoneyOverflow {
                operation: format!("IIF payment for {code}"),
            })
        })?);
        working.push(format!(
            "payment {} points x {value} a point x the adjustments = {payment}",
            decimal(points * share_num, share_den, 4)
        ));
        let hundredths = pcn_core::round_half_away_from_zero(points * share_num * 100, share_den);
        Ok(IndicatorPayment {
            year,
            code: code.clone(),
            points_available: indicator.points,
            points_earned_hundredths: i64::try_from(hundredths).unwrap_or(i64::MAX),
            payment,
            working,
            sources: vec![Arc::clone(&self.source), Arc::clone(&indicator.source)],
        })
    }
}

impl EntitlementRules {
    /// The IIF rules of `year`.
    ///
    /// # Errors
    /// [`BudgetError::NoRulesForYear`]; [`BudgetError::NoIifRules`] where the IIF
    /// did not run or its figures were not found.
    pub fn iif(&self, year: FinancialYear) -> Result<&IifRules, BudgetError> {
        self.year(year)?
            .iif
            .as_ref()
            .ok_or_else(|| BudgetError::NoIifRules {
                year,
                note: "the IIF began in October 2020; no figures are held for this year".to_owned(),
            })
    }

    /// A network's IIF payment for one indicator of `year`, with the working.
    ///
    /// ```
    /// use pcn_budget::{Achievement, EntitlementRules};
    /// use pcn_core::FinancialYear;
    /// let rules = EntitlementRules::published()?;
    /// let can10 = Achievement {
    ///     code: "CAN-10".to_owned(), numerator: 300, denominator: 400,
    ///     list_size: 50_000, average_list_size: 50_000, national_prevalence: None,
    /// };
    /// // The 2022/23 thresholds of CAN-10 are held, but not the value of a point.
    /// let err = rules.iif_payment(FinancialYear::constant(2022), &can10).unwrap_err();
    /// assert!(err.to_string().contains("point value of the 2022/23"), "{err}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`EntitlementRules::iif`] and [`IifRules::payment`].
    pub fn iif_payment(
        &self,
        year: FinancialYear,
        achievement: &Achievement,
    ) -> Result<IndicatorPayment, BudgetError> {
        self.iif(year)?.payment(year, achievement)
    }
}
