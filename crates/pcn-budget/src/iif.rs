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
    #[serde(with = "pcn_core::text_option")]
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
                "achievement {n}/{d} = {}%; lower threshold {}%, upper threshold {}%",
                decimal(n * 100, d, 2),
                decimal(lower, 10_000, 2),
                decimal(upper, 10_000, 2)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(text: &str) -> Rate {
        text.parse().unwrap()
    }

    /// A year's rules as a user would supply them where the published figures are
    /// missing: CAN-10's points and thresholds of 2022/23 (`iif-2022-cvd-can`) at
    /// the 2024/25 point value of £198 (`iif-2024`).
    fn user_rules(prevalence_adjusted: bool) -> IifRules {
        IifRules {
            point_value: Some(Money::from_pence(19_800)),
            points: None,
            from: "2022-04".parse().unwrap(),
            to: "2023-03".parse().unwrap(),
            source: "iif-2024".into(),
            indicators: vec![
                IifIndicator {
                    code: "CAN-10".to_owned(),
                    description: "FIT with lower GI referrals".to_owned(),
                    points: 22,
                    lower: rate("0.40"),
                    upper: rate("0.80"),
                    prevalence_adjusted,
                    source: "iif-2022-cvd-can".into(),
                },
                IifIndicator {
                    code: "LOWER-IS-BETTER".to_owned(),
                    description: "a prescribing indicator where fewer is better".to_owned(),
                    points: 10,
                    lower: rate("0.30"),
                    upper: rate("0.10"),
                    prevalence_adjusted: false,
                    source: "iif-2022-cvd-can".into(),
                },
            ],
            note: None,
        }
    }

    fn achievement(code: &str, numerator: i64, denominator: i64) -> Achievement {
        Achievement {
            code: code.to_owned(),
            numerator,
            denominator,
            list_size: 55_000,
            average_list_size: 50_000,
            national_prevalence: Some(Prevalence {
                patients: 25_000,
                population: 60_000_000,
            }),
        }
    }

    fn year() -> FinancialYear {
        FinancialYear::constant(2022)
    }

    #[test]
    fn the_payment_follows_the_published_formula_to_the_penny() {
        // Worked by hand from the rule of iif-2024: 300/400 = 75%, 0.875 of the
        // scale from 40% to 80%, 19.25 of 22 points; x £198 = £3,811.50; list size
        // adjustment 55,000/50,000 = 1.1; prevalence (400/55,000)/(25,000/60,000,000)
        // = 17.4545...; the list cancels: £3,811.50 x 400 x 60m / (50,000 x 25,000)
        // = £3,811.50 x 19.2 = £73,180.80.
        let paid = user_rules(true)
            .payment(year(), &achievement("CAN-10", 300, 400))
            .unwrap();
        assert_eq!(paid.payment, Money::from_pence(7_318_080));
        assert_eq!(paid.points_earned_hundredths, 1_925);
        assert!(
            paid.working[0].contains("300/400 = 75.00%"),
            "{:?}",
            paid.working
        );
        assert!(
            paid.working[1].contains("19.25 of 22"),
            "{:?}",
            paid.working
        );
        assert!(paid.working[2].contains("= 1.1000"), "{:?}", paid.working);
        assert!(paid.working[3].contains("= 17.4545"), "{:?}", paid.working);
        // Without the prevalence adjustment: £3,811.50 x 1.1 = £4,192.65.
        let plain = user_rules(false)
            .payment(year(), &achievement("CAN-10", 300, 400))
            .unwrap();
        assert_eq!(plain.payment, Money::from_pence(419_265));
    }

    #[test]
    fn thresholds_bound_the_sliding_scale_in_either_direction() {
        let rules = user_rules(false);
        let pay =
            |code: &str, n: i64, d: i64| rules.payment(year(), &achievement(code, n, d)).unwrap();
        assert_eq!(
            pay("CAN-10", 40, 100).payment,
            Money::ZERO,
            "at the lower threshold"
        );
        assert_eq!(pay("CAN-10", 10, 100).payment, Money::ZERO, "below it");
        // At or above the upper threshold every point: 22 x £198 x 1.1 = £4,791.60.
        assert_eq!(pay("CAN-10", 80, 100).payment, Money::from_pence(479_160));
        assert_eq!(pay("CAN-10", 100, 100).payment, Money::from_pence(479_160));
        // Fewer is better: 20% is half way from 30% down to 10%: 5 points,
        // £990 x 1.1 = £1,089.00; 5% earns all 10, 35% none.
        assert_eq!(
            pay("LOWER-IS-BETTER", 20, 100).payment,
            Money::from_pence(108_900)
        );
        assert_eq!(
            pay("LOWER-IS-BETTER", 5, 100).payment,
            Money::from_pence(217_800)
        );
        assert_eq!(pay("LOWER-IS-BETTER", 35, 100).payment, Money::ZERO);
    }

    #[test]
    fn bad_achievements_are_refused_with_their_figures() {
        let rules = user_rules(true);
        let err = |a: Achievement| rules.payment(year(), &a).unwrap_err().to_string();
        assert!(
            err(achievement("CAN-10", -1, 400))
                .contains("numerator -1 and denominator 400 cannot be below zero")
        );
        assert!(
            err(achievement("CAN-10", 401, 400))
                .contains("numerator 401 is above its denominator 400")
        );
        assert!(err(achievement("CAN-10", 0, 0)).contains("denominator is zero"));
        let mut no_prevalence = achievement("CAN-10", 1, 4);
        no_prevalence.national_prevalence = None;
        assert!(err(no_prevalence).contains("give the national prevalence"));
        let unknown = err(achievement("CVD-99", 1, 4));
        assert!(
            unknown.contains(
                "CVD-99 is not among the 2022/23 indicators held (CAN-10, LOWER-IS-BETTER)"
            ),
            "{unknown}"
        );
    }

    #[test]
    fn published_years_say_which_iif_figure_is_missing() {
        let rules = EntitlementRules::published().unwrap();
        let a = achievement("CAN-10", 300, 400);
        for (start, expected) in [
            (
                2019,
                "no Investment and Impact Fund rules are held for 2019/20",
            ),
            (
                2020,
                "IIF indicator CAN-10 is not among the 2020/21 indicators held",
            ),
            (
                2021,
                "IIF indicator CAN-10 is not among the 2021/22 indicators held",
            ),
            (
                2022,
                "the point value of the 2022/23 Investment and Impact Fund was not found",
            ),
            (
                2023,
                "IIF indicator CAN-10 is not among the 2023/24 indicators held",
            ),
            (
                2024,
                "IIF indicator CAN-10 is not among the 2024/25 indicators held",
            ),
            (
                2025,
                "no Investment and Impact Fund rules are held for 2025/26",
            ),
        ] {
            let err = rules
                .iif_payment(FinancialYear::constant(start), &a)
                .unwrap_err()
                .to_string();
            assert!(err.contains(expected), "{start}: {err}");
        }
        // iif-2020 and Pulse Intelligence ('How to meet the Investment and Impact Fund
        // requirements', 2020): 194 points at £111 is about £21,500 for an average PCN
        // earning every point; the rules hold £21,534.
        let y2020 = rules.iif(FinancialYear::constant(2020)).unwrap();
        let most = y2020
            .point_value
            .unwrap()
            .checked_mul_ratio(i64::from(y2020.points.unwrap()), 1)
            .unwrap();
        assert_eq!(most, Money::from_pence(2_153_400));
        // The point values that were found: £111 (2020/21), £200 (2021/22), £198 (2024/25).
        let value = |y| rules.iif(FinancialYear::constant(y)).unwrap().point_value;
        assert_eq!(value(2020), Some(Money::from_pence(11_100)));
        assert_eq!(value(2021), Some(Money::from_pence(20_000)));
        assert_eq!(value(2024), Some(Money::from_pence(19_800)));
    }

    #[test]
    fn the_2021_flu_indicators_pay_on_their_published_thresholds() {
        // pulse-intelligence-iif-flu-2021: VI-01 40 points from 80% to 86%, VI-02
        // 88 points from 57% to 90%, VI-03 14 points from 45% to 82%, at £200 a
        // point in 2021/22.
        let rules = EntitlementRules::published().unwrap();
        let y2021 = FinancialYear::constant(2021);
        let held: Vec<(&str, u32)> = rules
            .iif(y2021)
            .unwrap()
            .indicators
            .iter()
            .map(|i| (i.code.as_str(), i.points))
            .collect();
        assert_eq!(held, [("VI-01", 40), ("VI-02", 88), ("VI-03", 14)]);
        // An average network (list and prevalence at the national figures).
        let average = |code: &str, numerator: i64| Achievement {
            code: code.to_owned(),
            numerator,
            denominator: 10_000,
            list_size: 50_000,
            average_list_size: 50_000,
            national_prevalence: Some(Prevalence {
                patients: 12_000_000,
                population: 60_000_000,
            }),
        };
        let pay = |code: &str, n: i64| rules.iif_payment(y2021, &average(code, n)).unwrap();
        // Half way from 80% to 86%: 20 of 40 points, £4,000.00.
        assert_eq!(pay("VI-01", 8_300).payment, Money::from_pence(400_000));
        // At the upper threshold every point: 88 x £200 = £17,600.00.
        assert_eq!(pay("VI-02", 9_000).payment, Money::from_pence(1_760_000));
        assert_eq!(pay("VI-03", 4_500).payment, Money::ZERO);
        // The source's own example: 600 of 1,000 vaccinated, 200 removed by the
        // personalised care adjustment, is 75% (600/800), short of the 80% lower
        // threshold: nothing is earned.
        let mut example = average("VI-01", 600);
        example.denominator = 800;
        let paid = rules.iif_payment(y2021, &example).unwrap();
        assert!(
            paid.working[0].contains("600/800 = 75.00%"),
            "{:?}",
            paid.working
        );
        assert_eq!(paid.payment, Money::ZERO);
    }

    proptest::proptest! {
        #[test]
        fn a_payment_never_exceeds_full_points_and_never_falls_as_achievement_rises(
            d in 1i64..5_000,
            n in 0i64..5_000,
            list in 1u64..200_000,
        ) {
            let n = n.min(d);
            let rules = user_rules(false);
            let mut a = achievement("CAN-10", n, d);
            a.list_size = list;
            let paid = rules.payment(year(), &a).unwrap().payment;
            let mut full = a.clone();
            full.numerator = d;
            let most = rules.payment(year(), &full).unwrap().payment;
            proptest::prop_assert!(Money::ZERO <= paid && paid <= most);
            if n < d {
                let mut more = a.clone();
                more.numerator = n + 1;
                proptest::prop_assert!(rules.payment(year(), &more).unwrap().payment >= paid);
            }
        }
    }
}
