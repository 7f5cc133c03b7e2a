//! Baseline against scenario over seeded replications, and many networks at once.

use pcn_budget::EntitlementRules;
use pcn_core::{Money, NetworkId};
use rayon::prelude::*;

use crate::engine::simulate_year_of;
use serde::Serialize;

use crate::{
    CostLine, Need, NetworkInput, Parameters, RunId, Scenario, SimError, UnifiedBudget,
    YearOutcome, simulate_year,
};

/// The unit of a metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A number of requests, appointments, admissions, bed days or people.
    Count,
    /// Days.
    Days,
    /// A share, in per cent.
    Percent,
    /// Pounds sterling.
    Pounds,
}

/// One outcome of a year, as a number, for comparing scenarios.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metric {
    /// A stable key, for example `appointments_used.gp`.
    pub key: String,
    /// The metric in words.
    pub label: String,
    /// Its unit.
    pub unit: Unit,
    /// Its value, or `None` where it is not defined (a mean wait with nothing met).
    pub value: Option<f64>,
}

/// Every metric of a year, in a fixed order: demand, appointments and waits by role
/// and need, admissions, bed days and spending.
///
/// # Errors
/// [`SimError::Core`] if a sum of money overflows.
pub fn metrics(year: &YearOutcome, parameters: &Parameters) -> Result<Vec<Metric>, SimError> {
    let mut out = Vec::new();
    demand_metrics(&mut out, year);
    role_and_need_metrics(&mut out, year, parameters);
    elsewhere_metrics(&mut out, year);
    appointment_and_hospital_metrics(&mut out, year);
    money_metrics(&mut out, year)?;
    Ok(out)
}

/// Adds one metric.
fn put(out: &mut Vec<Metric>, key: String, label: String, unit: Unit, value: Option<f64>) {
    out.push(Metric {
        key,
        label,
        unit,
        value,
    });
}

/// A count as a metric's value.
fn count(n: u64) -> Option<f64> {
    Some(n as f64)
}

/// Requests, referrals, what was met, and GP appointments freed.
fn demand_metrics(out: &mut Vec<Metric>, year: &YearOutcome) {
    put(
        out,
        "first_contacts".into(),
        "requests for care (first contact)".into(),
        Unit::Count,
        count(year.first_contacts()),
    );
    put(
        out,
        "referrals_within".into(),
        "referrals on within the network".into(),
        Unit::Count,
        count(year.referrals_within()),
    );
    put(
        out,
        "referrals_out".into(),
        "referrals on out of the network".into(),
        Unit::Count,
        count(year.referrals_out()),
    );
    put(
        out,
        "demand".into(),
        "requests, referrals on included".into(),
        Unit::Count,
        count(year.demand()),
    );
    put(
        out,
        "met".into(),
        "requests met".into(),
        Unit::Count,
        count(year.met()),
    );
    put(
        out,
        "unmet".into(),
        "requests unmet".into(),
        Unit::Count,
        count(year.unmet()),
    );
    let share = if year.demand() > 0 {
        Some(100.0 * year.met() as f64 / year.demand() as f64)
    } else {
        None
    };
    put(
        out,
        "met_share".into(),
        "share of requests met".into(),
        Unit::Percent,
        share,
    );
    put(
        out,
        "gp_appointments_freed".into(),
        "GP appointments freed (direct access and social prescribing)".into(),
        Unit::Count,
        count(year.diverted_from_gp()),
    );
}

/// Appointments used by role, waits by role and need, and each referral pathway against its target.
fn role_and_need_metrics(out: &mut Vec<Metric>, year: &YearOutcome, parameters: &Parameters) {
    for rp in parameters.roles() {
        let role = rp.role;
        put(
            out,
            format!("appointments_used.{}", role.name()),
            format!("appointments used: {}", role.label()),
            Unit::Count,
            count(year.appointments_used(role)),
        );
    }
    for rp in parameters.roles() {
        let role = rp.role;
        put(
            out,
            format!("mean_wait_days.{}", role.name()),
            format!("mean wait: {}", role.label()),
            Unit::Days,
            year.waits_for_role(role).mean(),
        );
    }
    for need in Need::ALL {
        put(
            out,
            format!("mean_wait_days.need.{}", need_key(need)),
            format!("mean wait: {need}"),
            Unit::Days,
            year.waits_for_need(need).mean(),
        );
    }
    for p in year.pathways() {
        let (Some(code), Some(target)) = (&p.catalogue_pathway, p.target_days) else {
            continue;
        };
        let share = p
            .met_within_target()
            .filter(|_| p.arisen > 0)
            .map(|within| 100.0 * within as f64 / p.arisen as f64);
        put(
            out,
            format!("within_target.{code}.{}", p.pathway.route.name()),
            format!("{}: share seen within the {target}-day target", p.pathway),
            Unit::Percent,
            share,
        );
    }
}

/// Where the requests that found no slot went.
fn elsewhere_metrics(out: &mut Vec<Metric>, year: &YearOutcome) {
    let mut elsewhere = crate::ElsewhereCounts::default();
    for p in year.pathways() {
        elsewhere.absorb(&p.elsewhere);
    }
    for to in crate::Elsewhere::ALL {
        let key = serde_json::to_value(to)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        put(
            out,
            format!("elsewhere.{key}"),
            format!("requests not booked: {to}"),
            Unit::Count,
            count(elsewhere.get(to)),
        );
    }
}

/// Appointments held and missed, care plans, emergency admissions and bed days.
fn appointment_and_hospital_metrics(out: &mut Vec<Metric>, year: &YearOutcome) {
    let appointments: u64 = year.roles().iter().map(|r| r.used).sum();
    put(
        out,
        "appointments".into(),
        "appointments held (attended or not)".into(),
        Unit::Count,
        count(appointments),
    );
    put(
        out,
        "did_not_attend".into(),
        "appointments not attended".into(),
        Unit::Count,
        count(year.pathways().iter().map(|p| p.did_not_attend).sum()),
    );
    put(
        out,
        "care_plans".into(),
        "people with a care plan".into(),
        Unit::Count,
        count(year.care_plans()),
    );
    put(
        out,
        "emergency_admissions".into(),
        "emergency admissions".into(),
        Unit::Count,
        count(year.admissions()),
    );
    put(
        out,
        "emergency_bed_days".into(),
        "emergency bed days".into(),
        Unit::Count,
        count(year.bed_days()),
    );
}

/// Spending on staff and hospital care, in all and against plan.
fn money_metrics(out: &mut Vec<Metric>, year: &YearOutcome) -> Result<(), SimError> {
    let pounds = |m: Money| Some(m.pence() as f64 / 100.0);
    let mut staff = Money::ZERO;
    let mut hospital = Money::ZERO;
    for line in year.budget().lines() {
        match line.line {
            CostLine::Staff { .. } => staff = staff.checked_add(line.spent()?)?,
            CostLine::EmergencyHospitalCare => hospital = hospital.checked_add(line.spent()?)?,
        }
    }
    put(
        out,
        "spend.staff".into(),
        "spent on staff".into(),
        Unit::Pounds,
        pounds(staff),
    );
    put(
        out,
        "spend.hospital".into(),
        "spent on emergency hospital care".into(),
        Unit::Pounds,
        pounds(hospital),
    );
    put(
        out,
        "spend.total".into(),
        "spent in total".into(),
        Unit::Pounds,
        pounds(staff.checked_add(hospital)?),
    );
    let against_plan = year
        .budget()
        .total_spent()?
        .checked_sub(year.budget().total_plan()?)?;
    put(
        out,
        "spend.against_plan".into(),
        "spent over (+) or under (-) plan".into(),
        Unit::Pounds,
        pounds(against_plan),
    );
    Ok(())
}

fn need_key(need: Need) -> &'static str {
    match need {
        Need::AcuteIllness => "acute_illness",
        Need::LongTermCondition => "long_term_condition",
        Need::Musculoskeletal => "musculoskeletal",
        Need::Medication => "medication",
        Need::MentalHealth => "mental_health",
        Need::SocialWellbeing => "social_wellbeing",
        Need::CarePlanReview => "care_plan_review",
    }
}

/// A mean over replications with its 95 % confidence interval (Student's t).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// The mean.
    pub mean: f64,
    /// The lower end of the 95 % confidence interval.
    pub low: f64,
    /// The upper end of the 95 % confidence interval.
    pub high: f64,
    /// The replications it is estimated from.
    pub replications: u32,
}

impl Estimate {
    /// The mean and 95 % confidence interval of `values` (at least two), or `None`.
    #[must_use]
    pub fn of(values: &[f64]) -> Option<Self> {
        let n = values.len();
        if n < 2 || values.iter().any(|v| !v.is_finite()) {
            return None;
        }
        let mean = values.iter().sum::<f64>() / n as f64;
        let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        let half = t_975(n - 1) * (variance / n as f64).sqrt();
        Some(Self {
            mean,
            low: mean - half,
            high: mean + half,
            replications: u32::try_from(n).unwrap_or(u32::MAX),
        })
    }

    /// Whether the interval excludes zero: the difference is distinguishable from
    /// none at the 5 % level.
    #[must_use]
    pub fn excludes_zero(&self) -> bool {
        self.low > 0.0 || self.high < 0.0
    }
}

/// The 97.5th centile of Student's t with `df` degrees of freedom (tables to 30, then
/// 40, 60, 120 and the normal 1.960).
fn t_975(df: usize) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    match df {
        0 => f64::INFINITY,
        1..=30 => TABLE[df - 1],
        31..=40 => 2.021,
        41..=60 => 2.000,
        61..=120 => 1.980,
        _ => 1.960,
    }
}

/// One metric under baseline and scenario, and their paired difference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricComparison {
    /// The metric's key.
    pub key: String,
    /// The metric in words.
    pub label: String,
    /// Its unit.
    pub unit: Unit,
    /// Under the baseline.
    pub baseline: Option<Estimate>,
    /// Under the scenario.
    pub scenario: Option<Estimate>,
    /// Scenario minus baseline, replication by replication.
    pub difference: Option<Estimate>,
}

/// Baseline against scenario for one network over seeded replications.
///
/// Replication `i` of both arms uses the same [`RunId`] (`seed`, `i`), so the same
/// people fall ill on the same days in both (common random numbers) and the
/// difference is estimated pair by pair, with a 95 % confidence interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    network: String,
    baseline_name: String,
    scenario_name: String,
    seed: u64,
    replications: u32,
    metrics: Vec<MetricComparison>,
    baseline_year: YearOutcome,
    scenario_year: YearOutcome,
    baseline_budget: UnifiedBudget,
    scenario_budget: UnifiedBudget,
}

impl Comparison {
    /// Runs `replications` seeded years of each arm in parallel and compares them.
    ///
    /// The result is the same for the same seed whatever the number of threads.
    ///
    /// ```
    /// use pcn_sim::{Comparison, NetworkInput, Parameters, Scenario};
    /// let parameters = Parameters::published()?;
    /// let network = NetworkInput::synthetic("Riverside PCN", 10_000, 1, &parameters)?;
    /// let pch = Scenario::primary_care_home(&parameters);
    /// let comparison = Comparison::run(&network, &Scenario::baseline(), &pch, &parameters, 4, 42)?;
    /// let freed = comparison.metric("gp_appointments_freed").and_then(|m| m.difference);
    /// assert!(freed.is_some_and(|d| d.mean > 0.0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`SimError::TooFewReplications`] below 2; any error of [`simulate_year`];
    /// [`SimError::Budget`] if the published entitlement rules cannot be read or the
    /// ledger refuses the year ([`UnifiedBudget::post`]).
    pub fn run(
        network: &NetworkInput,
        baseline: &Scenario,
        scenario: &Scenario,
        parameters: &Parameters,
        replications: u32,
        seed: u64,
    ) -> Result<Self, SimError> {
        if replications < 2 {
            return Err(SimError::TooFewReplications { replications });
        }
        // Each arm's people are counted by stratum once, for every replication.
        let (base_population, scen_population) = rayon::join(
            || network.population_in(baseline),
            || network.population_in(scenario),
        );
        let (base_population, scen_population) = (base_population?, scen_population?);
        // Each replication's metrics are measured where it ran; only the first
        // replication's years are kept whole.
        type Replication = (Option<(YearOutcome, YearOutcome)>, Vec<Metric>, Vec<Metric>);
        let runs: Vec<Replication> = (0..replications)
            .into_par_iter()
            .map(|i| {
                let run = RunId::new(seed, i, 0);
                let b = simulate_year_of(network, baseline, &base_population, parameters, run)?;
                let s = simulate_year_of(network, scenario, &scen_population, parameters, run)?;
                let (bm, sm) = (metrics(&b, parameters)?, metrics(&s, parameters)?);
                Ok(((i == 0).then_some((b, s)), bm, sm))
            })
            .collect::<Result<_, SimError>>()?;
        let mut first = None;
        let mut base_metrics = Vec::with_capacity(runs.len());
        let mut scen_metrics = Vec::with_capacity(runs.len());
        for (years, b, s) in runs {
            if years.is_some() {
                first = years;
            }
            base_metrics.push(b);
            scen_metrics.push(s);
        }
        let mut out = Vec::new();
        if let Some(first) = base_metrics.first() {
            for (k, m) in first.iter().enumerate() {
                let column = |runs: &[Vec<Metric>]| -> Option<Vec<f64>> {
                    runs.iter()
                        .map(|r| r.get(k).and_then(|m| m.value))
                        .collect()
                };
                let b = column(&base_metrics);
                let s = column(&scen_metrics);
                let d = match (&b, &s) {
                    (Some(b), Some(s)) => {
                        Some(s.iter().zip(b).map(|(s, b)| s - b).collect::<Vec<f64>>())
                    }
                    _ => None,
                };
                out.push(MetricComparison {
                    key: m.key.clone(),
                    label: m.label.clone(),
                    unit: m.unit,
                    baseline: b.as_deref().and_then(Estimate::of),
                    scenario: s.as_deref().and_then(Estimate::of),
                    difference: d.as_deref().and_then(Estimate::of),
                });
            }
        }
        let (baseline_year, scenario_year) =
            first.ok_or(SimError::TooFewReplications { replications })?;
        // The first replication of each arm, posted once into its unified budget.
        let rules = EntitlementRules::published()?;
        let (baseline_budget, scenario_budget) = rayon::join(
            || UnifiedBudget::post(&baseline_year, network.id(), rules),
            || UnifiedBudget::post(&scenario_year, network.id(), rules),
        );
        let (baseline_budget, scenario_budget) = (baseline_budget?, scenario_budget?);
        Ok(Self {
            network: network.name().to_owned(),
            baseline_name: baseline.name().to_owned(),
            scenario_name: scenario.name().to_owned(),
            seed,
            replications,
            metrics: out,
            baseline_year,
            scenario_year,
            baseline_budget,
            scenario_budget,
        })
    }

    /// The network's id ([`NetworkInput::id`]).
    #[must_use]
    pub fn network_id(&self) -> NetworkId {
        self.baseline_budget.network()
    }

    /// The baseline's first replication posted into its unified budget.
    #[must_use]
    pub fn baseline_budget(&self) -> &UnifiedBudget {
        &self.baseline_budget
    }

    /// The scenario's first replication posted into its unified budget.
    #[must_use]
    pub fn scenario_budget(&self) -> &UnifiedBudget {
        &self.scenario_budget
    }

    /// The network's name.
    #[must_use]
    pub fn network(&self) -> &str {
        &self.network
    }

    /// The baseline scenario's name.
    #[must_use]
    pub fn baseline_name(&self) -> &str {
        &self.baseline_name
    }

    /// The compared scenario's name.
    #[must_use]
    pub fn scenario_name(&self) -> &str {
        &self.scenario_name
    }

    /// The seed.
    #[must_use]
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The number of replications of each arm.
    #[must_use]
    pub fn replications(&self) -> u32 {
        self.replications
    }

    /// Every metric compared, in [`metrics`] order.
    #[must_use]
    pub fn metrics(&self) -> &[MetricComparison] {
        &self.metrics
    }

    /// One metric by key.
    #[must_use]
    pub fn metric(&self, key: &str) -> Option<&MetricComparison> {
        self.metrics.iter().find(|m| m.key == key)
    }

    /// The baseline's first replication, in full.
    #[must_use]
    pub fn baseline_year(&self) -> &YearOutcome {
        &self.baseline_year
    }

    /// The scenario's first replication, in full.
    #[must_use]
    pub fn scenario_year(&self) -> &YearOutcome {
        &self.scenario_year
    }
}

/// Simulates `count` networks for a year under one scenario, in parallel, and sums
/// them; network `i` is built by `network(i)` on the thread that simulates it (so a
/// national run never holds every network's people at once) and draws from
/// [`RunId`] (`seed`, `replication`, `i`).
///
/// The sum is the same whatever the number of threads: outcomes are gathered in
/// network order and added up in that order.
///
/// ```
/// use pcn_sim::{simulate_networks, NetworkInput, Parameters, Scenario};
/// let parameters = Parameters::published()?;
/// let total = simulate_networks(
///     3,
///     |i| NetworkInput::synthetic(format!("PCN {i}"), 5_000, u64::from(i), &parameters),
///     &Scenario::baseline(),
///     &parameters,
///     7,
///     0,
/// )?;
/// assert_eq!(total.networks(), 3);
/// assert_eq!(total.population(), 15_000);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// The first error of `network` or [`simulate_year`], in network order.
pub fn simulate_networks<F>(
    count: u32,
    network: F,
    scenario: &Scenario,
    parameters: &Parameters,
    seed: u64,
    replication: u32,
) -> Result<YearOutcome, SimError>
where
    F: Fn(u32) -> Result<NetworkInput, SimError> + Sync,
{
    let years: Vec<YearOutcome> = (0..count)
        .into_par_iter()
        .map(|i| {
            let input = network(i)?;
            simulate_year(
                &input,
                scenario,
                parameters,
                RunId::new(seed, replication, i),
            )
        })
        .collect::<Result<_, SimError>>()?;
    let mut years = years.into_iter();
    let Some(mut total) = years.next() else {
        return Err(SimError::EmptyPopulation { size: 0 });
    };
    total.network = format!("{count} networks");
    for year in years {
        total.absorb(&year)?;
    }
    total.check_conservation()?;
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn an_interval_holds_its_mean_and_narrows_with_more_replications(
            values in proptest::collection::vec(-1.0e6f64..1.0e6, 2..40),
        ) {
            let e = Estimate::of(&values).unwrap();
            prop_assert!(e.low <= e.mean && e.mean <= e.high);
            let doubled: Vec<f64> = values.iter().chain(values.iter()).copied().collect();
            let d = Estimate::of(&doubled).unwrap();
            prop_assert!((d.mean - e.mean).abs() < 1e-6 * (1.0 + e.mean.abs()));
            prop_assert!(d.high - d.low <= e.high - e.low + 1e-9);
        }
    }

    #[test]
    fn estimates_have_t_intervals() {
        let e = Estimate::of(&[1.0, 2.0, 3.0]).unwrap();
        assert!((e.mean - 2.0).abs() < 1e-12);
        // sd 1, se 1/sqrt(3), t(2) 4.303
        assert!((e.high - (2.0 + 4.303 / 3f64.sqrt())).abs() < 1e-9);
        assert!(!e.excludes_zero(), "2 +/- 2.48 includes zero");
        assert!(Estimate::of(&[10.0, 11.0, 12.0]).unwrap().excludes_zero());
        assert!(Estimate::of(&[1.0]).is_none());
        assert!(!Estimate::of(&[-1.0, 1.0]).unwrap().excludes_zero());
    }

    #[test]
    fn metric_keys_are_unique() {
        let p = Parameters::published().unwrap();
        let n = NetworkInput::synthetic("x", 2_000, 1, &p).unwrap();
        let y = crate::simulate_year(
            &n,
            &Scenario::primary_care_home(&p),
            &p,
            RunId::new(1, 0, 0),
        )
        .unwrap();
        let m = metrics(&y, &p).unwrap();
        let keys: std::collections::BTreeSet<&str> = m.iter().map(|m| m.key.as_str()).collect();
        assert_eq!(keys.len(), m.len());
        assert!(keys.contains("within_target.msk-first-contact-physiotherapy.direct_access"));
    }

    #[test]
    fn a_comparison_needs_two_replications() {
        let p = Parameters::published().unwrap();
        let n = NetworkInput::synthetic("x", 1_000, 1, &p).unwrap();
        let err = Comparison::run(&n, &Scenario::baseline(), &Scenario::baseline(), &p, 1, 0)
            .unwrap_err();
        assert_eq!(err, SimError::TooFewReplications { replications: 1 });
    }
}
