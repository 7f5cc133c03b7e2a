//! Annual and monthly entitlement schedules per network and per payee.

use std::collections::BTreeMap;
use std::sync::Arc;

use pcn_core::{FinancialYear, Money, NetworkId, UnitPrice};
use serde::{Deserialize, Serialize};

use crate::rules::{Payee, PaymentRule, RatePeriod, UnpublishedPayment};
use crate::{
    BudgetError, EntitlementRules, FundingStream, NetworkPopulation, Party, PopulationBasis,
};

/// One payment line of a schedule: a stream paid to a payee, on a population at a
/// rate, month by month (April first) with the year's total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleLine {
    /// The network the line belongs to.
    pub network: NetworkId,
    /// Who is paid: the network's nominated payee or a member practice.
    pub payee: Party,
    /// The stream.
    pub stream: FundingStream,
    /// The population counted.
    pub basis: PopulationBasis,
    /// How many patients were counted.
    pub population: u64,
    /// The published rate.
    pub rate: UnitPrice,
    /// The period the rate is for.
    pub per: RatePeriod,
    /// The amount for each month of the year, April first (zero outside the months
    /// in force).
    pub months: [Money; 12],
    /// The year's total: the sum of the months.
    pub annual: Money,
    /// The source id of the rate.
    pub source: Arc<str>,
}

/// A network's maximum additional roles sum for the year, where the rule is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkAllowance {
    /// The network.
    pub network: NetworkId,
    /// Its weighted list.
    pub weighted_list: u64,
    /// Its maximum sum, or `None` where the year's rule was not found.
    pub arrs_maximum: Option<Money>,
}

/// Totals by month for one payee or network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthlyTotals<K> {
    /// Whose totals.
    pub key: K,
    /// Each month, April first.
    pub months: [Money; 12],
    /// The year.
    pub annual: Money,
}

/// A year's entitlements for a set of networks: payment lines, each network's
/// additional roles maximum, and the payments in force whose rates were not found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// The year.
    pub year: FinancialYear,
    /// Every payment line.
    pub lines: Vec<ScheduleLine>,
    /// Each network's additional roles maximum.
    pub allowances: Vec<NetworkAllowance>,
    /// Payments in force whose rates were not found in a published source.
    pub unpublished: Vec<UnpublishedPayment>,
}

/// Splits `total` over `n` months so that months `1..=k` add up to
/// `round(total_exact x k / n)`: exact, and even to the penny.
fn spread(
    rate: UnitPrice,
    population: u64,
    months: i64,
    per_year: bool,
) -> Result<Vec<Money>, BudgetError> {
    let denominator = if per_year { 12 } else { months };
    let mut previous = Money::ZERO;
    let mut parts = Vec::with_capacity(usize::try_from(months).unwrap_or(12));
    for k in 1..=months {
        let through = rate.times_ratio(population, k, denominator)?;
        parts.push(through.checked_sub(previous)?);
        previous = through;
    }
    Ok(parts)
}

/// The monthly amounts of `rule` on `population`, April first, and their total.
fn monthly_amounts(rule: &PaymentRule, population: u64) -> Result<([Money; 12], Money), BudgetError> {
    let first = usize::try_from(rule.from.financial_month_number() - 1).unwrap_or(0);
    let count = usize::try_from(rule.to.financial_month_number() + 1 - rule.from.financial_month_number())
        .unwrap_or(0);
    let n = i64::try_from(count).unwrap_or(0);
    let parts = match rule.per {
        RatePeriod::Month => vec![rule.rate.times(population)?; count],
        RatePeriod::Year => spread(rule.rate, population, n, true)?,
        RatePeriod::Period => spread(rule.rate, population, n, false)?,
    };
    let mut months = [Money::ZERO; 12];
    let mut annual = Money::ZERO;
    for (slot, part) in months[first..first + count].iter_mut().zip(parts) {
        *slot = part;
        annual = annual.checked_add(part)?;
    }
    Ok((months, annual))
}

/// A network's total on `basis`, checking each practice's list date.
fn network_count(
    network: &NetworkPopulation,
    basis: PopulationBasis,
    list_date: chrono::NaiveDate,
    stream: FundingStream,
    year: FinancialYear,
) -> Result<u64, BudgetError> {
    let mut total: u64 = 0;
    for practice in &network.practices {
        total = total
            .checked_add(practice_count(practice, basis, list_date, stream, year)?)
            .ok_or_else(|| {
                BudgetError::Core(pcn_core::CoreError::MoneyOverflow {
                    operation: format!("the {} of network {}", basis.label(), network.network),
                })
            })?;
    }
    Ok(total)
}

fn practice_count(
    practice: &crate::PracticePopulation,
    basis: PopulationBasis,
    list_date: chrono::NaiveDate,
    stream: FundingStream,
    year: FinancialYear,
) -> Result<u64, BudgetError> {
    let count = practice
        .count(basis)
        .ok_or(BudgetError::MissingPopulation {
            practice: practice.practice,
            basis: basis.label(),
            stream,
            year,
        })?;
    if count.as_at != list_date {
        return Err(BudgetError::ListDateMismatch {
            practice: practice.practice,
            basis: basis.label(),
            as_at: count.as_at,
            expected: list_date,
            year,
        });
    }
    Ok(count.count)
}

impl EntitlementRules {
    /// The year's entitlements for `networks`: every payment month by month to the
    /// network's nominated payee (network payments, on the network's whole
    /// population) or to each member practice (the Network Participation Payment),
    /// and each network's maximum additional roles sum.
    ///
    /// A rate a year is paid in twelfths, a rate for a period in equal parts over its
    /// months, by cumulative rounding so that the months add up exactly to the
    /// total; the months are the months the entitlement is for (in 2019/20 the first
    /// payments covered April to July at once). `national_weighted_list` is needed
    /// only in years where the roles maximum is a share of a national pot (2020/21,
    /// 2021/22).
    ///
    /// # Errors
    /// [`BudgetError::NoRulesForYear`]; [`BudgetError::MissingPopulation`] or
    /// [`BudgetError::ListDateMismatch`] if a practice lacks a count or gives it at
    /// another date than the rule's list; [`BudgetError::PracticeCountedTwice`];
    /// [`BudgetError::NationalWeightedListNeeded`]; [`BudgetError::Core`] on overflow.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use pcn_budget::{EntitlementRules, NetworkPopulation, Party, PopulationCount, PracticePopulation};
    /// use pcn_core::{FinancialYear, Money, NetworkId, PracticeId};
    /// let rules = EntitlementRules::published()?;
    /// let january = NaiveDate::from_ymd_opt(2021, 1, 1).ok_or("bad date")?;
    /// let practice = PracticeId::from_u128(1);
    /// let network = NetworkPopulation {
    ///     network: NetworkId::from_u128(1),
    ///     payee: Party::Practice(practice),
    ///     practices: vec![PracticePopulation {
    ///         practice,
    ///         registered: Some(PopulationCount::new(31_045, january)),
    ///         weighted: Some(PopulationCount::new(30_000, january)),
    ///         adjusted: None,
    ///     }],
    /// };
    /// let schedule = rules.schedule(FinancialYear::constant(2021), &[network], Some(60_000_000))?;
    /// // Core funding: £1.50 x 31,045 = £46,567.50 a year.
    /// let core = &schedule.lines[0];
    /// assert_eq!(core.annual, "£46,567.50".parse::<Money>()?);
    /// assert_eq!(core.months.iter().map(|m| m.pence()).sum::<i64>(), core.annual.pence());
    /// // Roles maximum: 30,000 / 60,000,000 of £746m = £373,000.
    /// assert_eq!(schedule.allowances[0].arrs_maximum, Some("£373,000".parse()?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn schedule(
        &self,
        year: FinancialYear,
        networks: &[NetworkPopulation],
        national_weighted_list: Option<u64>,
    ) -> Result<Schedule, BudgetError> {
        let rules = self.year(year)?;
        let mut lines = Vec::with_capacity(networks.len() * (rules.payments.len() + 6));
        let mut allowances = Vec::with_capacity(networks.len());
        for network in networks {
            for (i, practice) in network.practices.iter().enumerate() {
                if network.practices[..i].iter().any(|p| p.practice == practice.practice) {
                    return Err(BudgetError::PracticeCountedTwice {
                        practice: practice.practice,
                        network: network.network,
                    });
                }
            }
            for rule in &rules.payments {
                match rule.payee {
                    Payee::Network => {
                        let population =
                            network_count(network, rule.basis, rule.list_date, rule.stream, year)?;
                        lines.push(line(network, network.payee, rule, population)?);
                    }
                    Payee::Practice => {
                        for practice in &network.practices {
                            let population = practice_count(
                                practice,
                                rule.basis,
                                rule.list_date,
                                rule.stream,
                                year,
                            )?;
                            let payee = Party::Practice(practice.practice);
                            lines.push(line(network, payee, rule, population)?);
                        }
                    }
                }
            }
            let (weighted_list, arrs_maximum) = match &rules.arrs.network_maximum {
                None => (0, None),
                Some(maximum) => {
                    let weighted = network_count(
                        network,
                        PopulationBasis::WeightedList,
                        maximum.list_date(),
                        FundingStream::RoleReimbursement,
                        year,
                    )?;
                    let sum = self.network_maximum(year, weighted, national_weighted_list)?;
                    (weighted, Some(sum))
                }
            };
            allowances.push(NetworkAllowance {
                network: network.network,
                weighted_list,
                arrs_maximum,
            });
        }
        Ok(Schedule {
            year,
            lines,
            allowances,
            unpublished: rules.unpublished.clone(),
        })
    }
}

fn line(
    network: &NetworkPopulation,
    payee: Party,
    rule: &PaymentRule,
    population: u64,
) -> Result<ScheduleLine, BudgetError> {
    let (months, annual) = monthly_amounts(rule, population)?;
    Ok(ScheduleLine {
        network: network.network,
        payee,
        stream: rule.stream,
        basis: rule.basis,
        population,
        rate: rule.rate,
        per: rule.per,
        months,
        annual,
        source: Arc::clone(&rule.source),
    })
}

fn add_months(into: &mut [Money; 12], annual: &mut Money, line: &ScheduleLine) -> Result<(), BudgetError> {
    for (total, month) in into.iter_mut().zip(line.months) {
        *total = total.checked_add(month)?;
    }
    *annual = annual.checked_add(line.annual)?;
    Ok(())
}

impl Schedule {
    fn totals_by<K: Ord + Copy>(
        &self,
        key: impl Fn(&ScheduleLine) -> K,
    ) -> Result<Vec<MonthlyTotals<K>>, BudgetError> {
        let mut totals: BTreeMap<K, ([Money; 12], Money)> = BTreeMap::new();
        for line in &self.lines {
            let entry = totals.entry(key(line)).or_insert(([Money::ZERO; 12], Money::ZERO));
            add_months(&mut entry.0, &mut entry.1, line)?;
        }
        Ok(totals
            .into_iter()
            .map(|(key, (months, annual))| MonthlyTotals { key, months, annual })
            .collect())
    }

    /// Monthly and annual totals per payee.
    ///
    /// # Errors
    /// [`BudgetError::Core`] if a total does not fit.
    pub fn by_payee(&self) -> Result<Vec<MonthlyTotals<Party>>, BudgetError> {
        self.totals_by(|l| l.payee)
    }

    /// Monthly and annual totals per network (its payee's and its practices' lines).
    ///
    /// # Errors
    /// [`BudgetError::Core`] if a total does not fit.
    pub fn by_network(&self) -> Result<Vec<MonthlyTotals<NetworkId>>, BudgetError> {
        self.totals_by(|l| l.network)
    }

    /// Monthly and annual totals per stream.
    ///
    /// # Errors
    /// [`BudgetError::Core`] if a total does not fit.
    pub fn by_stream(&self) -> Result<Vec<MonthlyTotals<FundingStream>>, BudgetError> {
        self.totals_by(|l| l.stream)
    }

    /// The lines of one network.
    pub fn lines_of(&self, network: NetworkId) -> impl Iterator<Item = &ScheduleLine> {
        self.lines.iter().filter(move |l| l.network == network)
    }
}
