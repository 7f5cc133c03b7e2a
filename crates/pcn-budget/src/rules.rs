//! The published entitlement rules, as data keyed by financial year.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use pcn_core::{FinancialYear, Money, Rate, Role, UnitPrice, Wte, YearMonth};
use serde::{Deserialize, Serialize};

use crate::{BudgetError, FundingStream, IifRules, PopulationBasis};

/// The rules shipped with the crate: `data/entitlements.json`.
const PUBLISHED: &str = include_str!("../data/entitlements.json");

/// A published source, cited by id from the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The id rules cite it by.
    pub id: Arc<str>,
    /// The citation: publisher, title, date and address.
    pub citation: String,
}

/// Who a payment is paid to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Payee {
    /// The network's nominated payee, on the network's whole population.
    Network,
    /// Each member practice, on its own population.
    Practice,
}

/// The period a published rate is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RatePeriod {
    /// A rate a year, paid in twelfths for each month in force (£1.50 a year is
    /// £0.125 a month).
    Year,
    /// A rate each month in force (£0.147 per weighted patient per month).
    Month,
    /// One rate for the whole period in force, paid in equal parts over its months
    /// (£0.27 for April to September 2020 is £0.045 a month).
    Period,
}

/// One payment rule: a stream paid at a rate per patient on a population counted
/// at a date, for a run of months of one financial year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentRule {
    /// The stream.
    pub stream: FundingStream,
    /// Paid to the network's payee or to each practice.
    pub payee: Payee,
    /// The population it is counted on.
    pub basis: PopulationBasis,
    /// The date of the list it is counted on.
    pub list_date: NaiveDate,
    /// The published rate per patient.
    pub rate: UnitPrice,
    /// The period the rate is for.
    pub per: RatePeriod,
    /// The first month in force.
    pub from: YearMonth,
    /// The last month in force.
    pub to: YearMonth,
    /// The source id.
    pub source: Arc<str>,
    /// Where the rate replaced an earlier published one with effect from `from`
    /// (a mid-year uplift backdated to April), the rate it replaced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revised: Option<Revision>,
    /// What a reader should know about the figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A published rate replaced during the year by another, with effect from the
/// first month of the new rule (NHS England's mid-year updates of September 2024
/// uplifted 2024/25 entitlements back to 1 April 2024).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    /// When the new rate was announced (the additional allocations were issued).
    pub announced: NaiveDate,
    /// The rate it replaced.
    pub previous_rate: UnitPrice,
    /// Where the replaced rate was published.
    pub previous_source: Arc<str>,
    /// Where the revision itself was published.
    pub source: Arc<str>,
}

/// The care home premium of part of a year: a rate per bed of the network's aligned
/// care homes, the beds counted each month from the CQC register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CareHomePremiumRule {
    /// The rate per bed.
    pub rate: UnitPrice,
    /// The period the rate is for: a year (paid a twelfth a month) or the whole
    /// period in force (paid in equal parts over its months).
    pub per: RatePeriod,
    /// The first month in force.
    pub from: YearMonth,
    /// The last month in force.
    pub to: YearMonth,
    /// The source id.
    pub source: Arc<str>,
    /// The rate it replaced, where it was revised during the year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revised: Option<Revision>,
}

impl PaymentRule {
    /// The months in force.
    pub fn months(&self) -> impl Iterator<Item = YearMonth> + '_ {
        std::iter::successors(Some(self.from), |m| Some(m.next())).take_while(|m| *m <= self.to)
    }
}

/// A payment in force in a year whose rate was not found in a published source:
/// schedules list it rather than guess.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnpublishedPayment {
    /// The stream.
    pub stream: FundingStream,
    /// What is known, and why no figure is used.
    pub note: String,
}

/// A role reimbursable under the Additional Roles Reimbursement Scheme, from a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EligibleRole {
    /// The role.
    pub role: Role,
    /// The first reimbursable month, if later than April.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<YearMonth>,
}

/// A reimbursement rate other than the year's default, for one role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleRate {
    /// The role.
    pub role: Role,
    /// The share of actual pay and on-costs reimbursed.
    pub rate: Rate,
}

/// A grade of post within a role, where the scheme sets a different maximum for
/// each (the nursing posts of 2024/25 and 2025/26).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Grade {
    /// A general practice nurse new to general practice (Agenda for Change band 5).
    NewToGeneralPractice,
    /// An experienced general practice nurse (band 6).
    ExperiencedGeneralPracticeNurse,
    /// An enhanced level practice nurse (from 2024/25).
    EnhancedPracticeNurse,
    /// A consultant nurse in primary care (from 2025/26).
    ConsultantNurse,
}

impl Grade {
    /// The `snake_case` name used by serde.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::NewToGeneralPractice => "new_to_general_practice",
            Self::ExperiencedGeneralPracticeNurse => "experienced_general_practice_nurse",
            Self::EnhancedPracticeNurse => "enhanced_practice_nurse",
            Self::ConsultantNurse => "consultant_nurse",
        }
    }
}

impl std::fmt::Display for Grade {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A role's maximum reimbursable amount per WTE per year, from a month.
///
/// The rules file writes money as text (`"£37,810"`) rather than as the ledger's
/// pence, so that it reads like the published tables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleCap {
    /// The role.
    pub role: Role,
    /// The grade of post, where the role's maximum depends on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<Grade>,
    /// The first month the maximum applies to.
    pub from: YearMonth,
    /// The maximum per WTE per year, outside London.
    #[serde(with = "pcn_core::text")]
    pub max_per_wte: Money,
    /// The maximum in outer London, where published.
    #[serde(
        default,
        with = "pcn_core::text_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub outer_london: Option<Money>,
    /// The maximum in inner London, where published.
    #[serde(
        default,
        with = "pcn_core::text_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub inner_london: Option<Money>,
    /// The source id.
    pub source: Arc<str>,
    /// What a reader should know about the figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How a network's maximum additional roles sum for a year is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NetworkMaximum {
    /// The network's weighted-population share of a national pot.
    ShareOfNationalPot {
        /// The national pot.
        #[serde(with = "pcn_core::text")]
        pot: Money,
        /// The date of the weighted lists.
        list_date: NaiveDate,
        /// The source id.
        source: Arc<str>,
    },
    /// A figure per contractor-weighted patient.
    PerWeightedPatient {
        /// The figure.
        rate: UnitPrice,
        /// The date of the weighted list.
        list_date: NaiveDate,
        /// The source id.
        source: Arc<str>,
    },
}

impl NetworkMaximum {
    /// The date of the weighted list it is computed on.
    #[must_use]
    pub const fn list_date(&self) -> NaiveDate {
        match self {
            Self::ShareOfNationalPot { list_date, .. }
            | Self::PerWeightedPatient { list_date, .. } => *list_date,
        }
    }

    fn source(&self) -> &str {
        match self {
            Self::ShareOfNationalPot { source, .. } | Self::PerWeightedPatient { source, .. } => {
                source
            }
        }
    }
}

/// Where staff work, for the London weighting of maximum reimbursable amounts
/// (from 2021/22).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayArea {
    /// England outside London.
    #[default]
    England,
    /// Outer London.
    OuterLondon,
    /// Inner London.
    InnerLondon,
}

/// The Additional Roles Reimbursement Scheme rules of one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArrsRules {
    /// The roles reimbursable.
    pub roles: Vec<EligibleRole>,
    /// The share of actual pay and on-costs reimbursed, unless a role has its own.
    pub reimbursement_rate: Rate,
    /// Roles reimbursed at another rate.
    #[serde(default)]
    pub role_rates: Vec<RoleRate>,
    /// Whether maximum amounts are weighted for London.
    #[serde(default)]
    pub london_weighting: bool,
    /// The maximum reimbursable amounts found in published sources.
    pub caps: Vec<RoleCap>,
    /// How a network's maximum sum is set, if published.
    pub network_maximum: Option<NetworkMaximum>,
    /// What a reader should know about the year's scheme.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The separate, ring-fenced sum for GPs (October 2024 to March 2025).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gp_sum: Option<GpSum>,
    /// How many of a role a network may claim for, by list size, where published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headcount_limits: Option<HeadcountRules>,
}

/// The ring-fenced sum a network may claim for GPs: a figure per weighted patient
/// for the months it covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GpSum {
    /// The figure per weighted patient, for the whole period.
    pub rate: UnitPrice,
    /// The date of the weighted list.
    pub list_date: NaiveDate,
    /// The first month covered.
    pub from: YearMonth,
    /// The last month covered.
    pub to: YearMonth,
    /// The source id.
    pub source: Arc<str>,
}

/// A limit on how many staff in a role (whole posts) a network may claim for:
/// one figure below a list size, another at or above it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadcountLimit {
    /// The role.
    pub role: Role,
    /// The grade of post, where the limit is for one grade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<Grade>,
    /// The limit for a network whose list is below `list_size`.
    pub below: u32,
    /// The limit for a network whose list is `list_size` or more.
    pub at_or_above: u32,
    /// The list size the limit changes at (100,000).
    pub list_size: u64,
    /// The source id.
    pub source: Arc<str>,
}

/// A role that was limited in a year by a figure not found in a published source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnconfirmedLimit {
    /// The role.
    pub role: Role,
    /// What is known.
    pub note: String,
}

/// A role that a source says a network could claim for without a limit in a year
/// (mental health practitioners from 2023/24, when their caps were removed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnlimitedRole {
    /// The role.
    pub role: Role,
    /// The source id saying so.
    pub source: Arc<str>,
}

/// A year's headcount limits: the published limits, the roles a source says were
/// not limited, the roles whose limit was not found, and (where a source says so)
/// that every other role is unlimited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadcountRules {
    /// The published limits.
    pub limits: Vec<HeadcountLimit>,
    /// Roles a source says were not limited that year.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unlimited: Vec<UnlimitedRole>,
    /// Roles limited by a figure not found.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unconfirmed: Vec<UnconfirmedLimit>,
    /// The source id saying that roles not listed are unlimited, if one does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub others_unlimited: Option<Arc<str>>,
}

/// The rules of one financial year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearRules {
    /// The year.
    pub year: FinancialYear,
    /// Payments with a published rate.
    pub payments: Vec<PaymentRule>,
    /// Payments in force whose rate was not found.
    #[serde(default)]
    pub unpublished: Vec<UnpublishedPayment>,
    /// The Additional Roles Reimbursement Scheme.
    pub arrs: ArrsRules,
    /// The care home premium rules in force, in month order (none before August 2020).
    #[serde(default)]
    pub care_home_premium: Vec<CareHomePremiumRule>,
    /// The Investment and Impact Fund, where one ran and its figures were found.
    #[serde(default)]
    pub iif: Option<IifRules>,
}

/// The rules file: sources and years.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct RulesFile {
    sources: Vec<Source>,
    years: Vec<YearRules>,
}

/// The Network Contract DES entitlement rules, as data keyed by financial year,
/// each figure with its source.
///
/// [`EntitlementRules::published`] gives the rules shipped with the crate
/// (`data/entitlements.json`, figures from `payments.md` of the domain reference
/// and the sources it names, checked where marked CHECK); [`EntitlementRules::from_json`]
/// reads a user's own file of the same form. Either way the rules are checked once,
/// when loaded: months inside their year, lists dated before it, no stream paid twice
/// for a month, caps only for reimbursable roles, every source cited known.
///
/// A figure not found in a published source is not in the data: asking for it is an
/// error ([`BudgetError::NoPublishedCap`], [`BudgetError::NoPublishedMaximum`]) or,
/// for a payment in force, a listed gap ([`UnpublishedPayment`]), never a guess.
///
/// ```
/// use pcn_budget::{EntitlementRules, FundingStream, PayArea};
/// use pcn_core::{FinancialYear, Role, Wte, YearMonth};
/// let rules = EntitlementRules::published()?;
/// let year = FinancialYear::constant(2020);
/// let core = rules.year(year)?.payments.iter().find(|p| p.stream == FundingStream::CoreNetworkFunding).ok_or("none")?;
/// assert_eq!(core.rate.to_string(), "£1.50");
/// // A full-time clinical pharmacist's maximum for 2020/21 is £55,670 a year.
/// let cap = rules.annual_cap(Role::ClinicalPharmacist, "2020-04".parse()?, Wte::FULL_TIME, PayArea::England)?;
/// assert_eq!(cap.to_string(), "£55,670.00");
/// // No cap for a paramedic was found for 2021/22: an error, not a guess.
/// let missing = rules.annual_cap(Role::Paramedic, "2021-04".parse()?, Wte::FULL_TIME, PayArea::England);
/// assert!(missing.unwrap_err().to_string().contains("no published cap for role paramedic in year 2021/22"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RulesFile", into = "RulesFile")]
pub struct EntitlementRules {
    sources: Vec<Source>,
    years: BTreeMap<FinancialYear, YearRules>,
}

impl From<EntitlementRules> for RulesFile {
    fn from(rules: EntitlementRules) -> Self {
        Self {
            sources: rules.sources,
            years: rules.years.into_values().collect(),
        }
    }
}

impl TryFrom<RulesFile> for EntitlementRules {
    type Error = BudgetError;

    fn try_from(file: RulesFile) -> Result<Self, Self::Error> {
        for (i, source) in file.sources.iter().enumerate() {
            if file.sources[..i].iter().any(|s| s.id == source.id) {
                return Err(BudgetError::DuplicateSource {
                    id: source.id.to_string(),
                });
            }
        }
        let mut years = BTreeMap::new();
        for year in file.years {
            validate_year(&year, &file.sources)?;
            let key = year.year;
            if years.insert(key, year).is_some() {
                return Err(invalid(key, "the year appears twice".to_owned()));
            }
        }
        Ok(Self {
            sources: file.sources,
            years,
        })
    }
}

fn invalid(year: FinancialYear, reason: String) -> BudgetError {
    BudgetError::InvalidRules { year, reason }
}

fn validate_year(rules: &YearRules, sources: &[Source]) -> Result<(), BudgetError> {
    let year = rules.year;
    let fail = |reason: String| Err(invalid(year, reason));
    let known = |id: &str| sources.iter().any(|s| &*s.id == id);
    for (i, p) in rules.payments.iter().enumerate() {
        if p.from > p.to || p.from.financial_year() != year || p.to.financial_year() != year {
            return fail(format!(
                "{} runs from {} to {}, which is not a run of months inside the year",
                p.stream, p.from, p.to
            ));
        }
        if p.list_date >= year.first_day() {
            return fail(format!(
                "{} is counted on the list of {}, which is not before the year starts",
                p.stream, p.list_date
            ));
        }
        if p.rate.thousandths_of_penny() < 0 {
            return fail(format!("{} has a negative rate {}", p.stream, p.rate));
        }
        if !known(&p.source) {
            return fail(format!("{} cites unknown source {:?}", p.stream, p.source));
        }
        if p.revised
            .as_ref()
            .is_some_and(|r| !known(&r.source) || !known(&r.previous_source))
        {
            return fail(format!(
                "the revision of {} cites an unknown source",
                p.stream
            ));
        }
        let overlaps = rules.payments[..i].iter().any(|q| {
            q.stream == p.stream
                && q.basis == p.basis
                && q.payee == p.payee
                && q.from <= p.to
                && p.from <= q.to
        });
        if overlaps {
            return fail(format!(
                "{} on the {} is paid twice for some month",
                p.stream,
                p.basis.label()
            ));
        }
    }
    let arrs = &rules.arrs;
    let eligible = |role: Role| arrs.roles.iter().any(|r| r.role == role);
    let rate_ok = |rate: Rate| (0..=1_000_000).contains(&rate.millionths());
    if !rate_ok(arrs.reimbursement_rate) {
        return fail(format!(
            "reimbursement rate {} is not between 0 and 1",
            arrs.reimbursement_rate
        ));
    }
    for r in &arrs.roles {
        if r.from.is_some_and(|m| m.financial_year() != year) {
            return fail(format!(
                "role {} becomes reimbursable outside the year",
                r.role
            ));
        }
        if arrs.roles.iter().filter(|s| s.role == r.role).count() > 1 {
            return fail(format!("role {} is listed twice", r.role));
        }
    }
    for r in &arrs.role_rates {
        if !eligible(r.role) || !rate_ok(r.rate) {
            return fail(format!(
                "role {} has rate {} but is not reimbursable or the rate is not between 0 and 1",
                r.role, r.rate
            ));
        }
    }
    for (i, cap) in arrs.caps.iter().enumerate() {
        if !eligible(cap.role) {
            return fail(format!(
                "a cap is given for role {}, which is not reimbursable",
                cap.role
            ));
        }
        if cap.from.financial_year() != year {
            return fail(format!(
                "the cap for role {} starts in {}, outside the year",
                cap.role, cap.from
            ));
        }
        let figures = [Some(cap.max_per_wte), cap.outer_london, cap.inner_london];
        if figures.iter().flatten().any(|m| m.pence() <= 0) {
            return fail(format!("the cap for role {} is not above zero", cap.role));
        }
        if !known(&cap.source) {
            return fail(format!(
                "the cap for role {} cites unknown source {:?}",
                cap.role, cap.source
            ));
        }
        if arrs.caps[..i]
            .iter()
            .any(|c| c.role == cap.role && c.grade == cap.grade && c.from == cap.from)
        {
            return fail(format!("role {} has two caps from {}", cap.role, cap.from));
        }
    }
    if let Some(gp) = &arrs.gp_sum
        && (gp.from > gp.to
            || gp.from.financial_year() != year
            || gp.to.financial_year() != year
            || gp.list_date >= year.first_day()
            || gp.rate.thousandths_of_penny() <= 0
            || !known(&gp.source))
    {
        return fail(
            "the GP sum must run inside the year, on a list dated before it, at a rate above zero, citing a known source"
                .to_owned(),
        );
    }
    if let Some(h) = &arrs.headcount_limits {
        for l in &h.limits {
            if !eligible(l.role) || !known(&l.source) || l.list_size == 0 {
                return fail(format!(
                    "the headcount limit of role {} names a role not reimbursable, an unknown source or a list size of zero",
                    l.role
                ));
            }
        }
        for u in &h.unlimited {
            if !eligible(u.role) || !known(&u.source) || h.limits.iter().any(|l| l.role == u.role) {
                return fail(format!(
                    "role {} is said to be unlimited but is not reimbursable, cites an unknown source or also has a limit",
                    u.role
                ));
            }
        }
        if h.others_unlimited.as_deref().is_some_and(|id| !known(id)) {
            return fail("the headcount limits cite an unknown source".to_owned());
        }
    }
    for (i, c) in rules.care_home_premium.iter().enumerate() {
        let inside =
            c.from <= c.to && c.from.financial_year() == year && c.to.financial_year() == year;
        let overlaps = rules.care_home_premium[..i]
            .iter()
            .any(|d| d.from <= c.to && c.from <= d.to);
        let sources_known = known(&c.source)
            && c.revised
                .as_ref()
                .is_none_or(|r| known(&r.source) && known(&r.previous_source));
        if !inside || overlaps || c.per == RatePeriod::Month || c.rate.thousandths_of_penny() < 0 {
            return fail(format!(
                "the care home premium from {} to {} is not a run of months inside the year paid a year or a period, or overlaps another",
                c.from, c.to
            ));
        }
        if !sources_known {
            return fail("the care home premium cites an unknown source".to_owned());
        }
    }
    if let Some(iif) = &rules.iif {
        iif.validate(year, &known)
            .map_err(|reason| invalid(year, reason))?;
    }
    if let Some(maximum) = &arrs.network_maximum {
        if maximum.list_date() >= year.first_day() {
            return fail(
                "the network maximum is counted on a list not dated before the year".to_owned(),
            );
        }
        let positive = match maximum {
            NetworkMaximum::ShareOfNationalPot { pot, .. } => pot.pence() > 0,
            NetworkMaximum::PerWeightedPatient { rate, .. } => rate.thousandths_of_penny() > 0,
        };
        if !positive || !known(maximum.source()) {
            return fail(
                "the network maximum must be above zero and cite a known source".to_owned(),
            );
        }
    }
    Ok(())
}

impl EntitlementRules {
    /// The rules shipped with the crate, read and checked once.
    ///
    /// # Errors
    /// [`BudgetError::RulesUnreadable`] or [`BudgetError::InvalidRules`] if the
    /// shipped file is broken (its tests make sure it is not).
    pub fn published() -> Result<&'static Self, BudgetError> {
        static RULES: OnceLock<Result<EntitlementRules, BudgetError>> = OnceLock::new();
        RULES
            .get_or_init(|| Self::from_json(PUBLISHED))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Reads and checks rules in the form of `data/entitlements.json`.
    ///
    /// # Errors
    /// [`BudgetError::RulesUnreadable`] if the text is not rules JSON (the message
    /// gives the line and column); [`BudgetError::InvalidRules`] if a check fails.
    pub fn from_json(text: &str) -> Result<Self, BudgetError> {
        let file: RulesFile =
            serde_json::from_str(text).map_err(|e| BudgetError::RulesUnreadable {
                message: e.to_string(),
            })?;
        Self::try_from(file)
    }

    /// The years the rules cover, in order.
    pub fn years(&self) -> impl Iterator<Item = FinancialYear> + '_ {
        self.years.keys().copied()
    }

    /// The rules of `year`.
    ///
    /// # Errors
    /// [`BudgetError::NoRulesForYear`] if the rules do not cover it.
    pub fn year(&self, year: FinancialYear) -> Result<&YearRules, BudgetError> {
        self.years
            .get(&year)
            .ok_or(BudgetError::NoRulesForYear { year })
    }

    /// Every source the rules cite.
    #[must_use]
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    /// The citation of source `id`.
    #[must_use]
    pub fn citation(&self, id: &str) -> Option<&str> {
        self.sources
            .iter()
            .find(|s| &*s.id == id)
            .map(|s| s.citation.as_str())
    }

    /// The share of actual pay and on-costs reimbursed for `role` in `month`.
    ///
    /// # Errors
    /// [`BudgetError::NoRulesForYear`]; [`BudgetError::RoleNotReimbursable`] if the
    /// role is not reimbursable that month.
    pub fn reimbursement_rate(&self, role: Role, month: YearMonth) -> Result<Rate, BudgetError> {
        let year = month.financial_year();
        let arrs = &self.year(year)?.arrs;
        let eligible = arrs
            .roles
            .iter()
            .any(|r| r.role == role && r.from.is_none_or(|from| from <= month));
        if !eligible {
            return Err(BudgetError::RoleNotReimbursable { role, year });
        }
        Ok(arrs
            .role_rates
            .iter()
            .find(|r| r.role == role)
            .map_or(arrs.reimbursement_rate, |r| r.rate))
    }

    /// The maximum per WTE per year for `role` in force in `month`, for `area`.
    ///
    /// For a role whose maximum depends on the grade of post (the nursing posts of
    /// 2024/25 on), use [`EntitlementRules::grade_cap`].
    ///
    /// # Errors
    /// [`BudgetError::RoleNotReimbursable`] if the role is not reimbursable that
    /// month; [`BudgetError::NoPublishedCap`] if no maximum was found in a published
    /// source (including a London figure where London weighting applies);
    /// [`BudgetError::GradeRequired`] if the role's maxima are set by grade.
    pub fn role_cap(
        &self,
        role: Role,
        month: YearMonth,
        area: PayArea,
    ) -> Result<Money, BudgetError> {
        self.grade_cap(role, None, month, area)
    }

    /// The maximum per WTE per year for a post of `role` and `grade` (`None` for a
    /// role with one maximum) in force in `month`, for `area`.
    ///
    /// ```
    /// use pcn_budget::{EntitlementRules, Grade, PayArea};
    /// use pcn_core::Role;
    /// let rules = EntitlementRules::published()?;
    /// // A consultant nurse in primary care, 2025/26: up to £102,683 a year.
    /// let cap = rules.grade_cap(Role::PracticeNurse, Some(Grade::ConsultantNurse), "2025-06".parse()?, PayArea::England)?;
    /// assert_eq!(cap.to_string(), "£102,683.00");
    /// // Without the grade the role's maximum is ambiguous: an error saying so.
    /// let err = rules.role_cap(Role::PracticeNurse, "2025-06".parse()?, PayArea::England).unwrap_err();
    /// assert!(err.to_string().contains("by grade"), "{err}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`EntitlementRules::role_cap`].
    pub fn grade_cap(
        &self,
        role: Role,
        grade: Option<Grade>,
        month: YearMonth,
        area: PayArea,
    ) -> Result<Money, BudgetError> {
        self.reimbursement_rate(role, month)?;
        let year = month.financial_year();
        let arrs = &self.year(year)?.arrs;
        let missing = BudgetError::NoPublishedCap { role, year, month };
        let in_force = |g: Option<Grade>| {
            arrs.caps
                .iter()
                .filter(move |c| c.role == role && c.grade == g && c.from <= month)
                .max_by_key(|c| c.from)
        };
        let Some(cap) = in_force(grade) else {
            if grade.is_none() {
                let mut grades: Vec<Grade> = arrs
                    .caps
                    .iter()
                    .filter(|c| c.role == role && c.from <= month)
                    .filter_map(|c| c.grade)
                    .collect();
                grades.sort_unstable();
                grades.dedup();
                if !grades.is_empty() {
                    return Err(BudgetError::GradeRequired { role, year, grades });
                }
            }
            return Err(missing);
        };
        match (arrs.london_weighting, area) {
            (false, _) | (true, PayArea::England) => Ok(cap.max_per_wte),
            (true, PayArea::OuterLondon) => cap.outer_london.ok_or(missing),
            (true, PayArea::InnerLondon) => cap.inner_london.ok_or(missing),
        }
    }

    /// The cap record (with its source and note) in force for `role` and `grade`
    /// in `month`, if one was found.
    #[must_use]
    pub fn cap_record(
        &self,
        role: Role,
        grade: Option<Grade>,
        month: YearMonth,
    ) -> Option<&RoleCap> {
        let arrs = &self.years.get(&month.financial_year())?.arrs;
        arrs.caps
            .iter()
            .filter(|c| c.role == role && c.grade == grade && c.from <= month)
            .max_by_key(|c| c.from)
    }

    /// How many posts of `role` (and `grade`, where the limit is for one grade) a
    /// network with `list_size` patients may claim for in `year`: `Some(n)`, or
    /// `None` where the role is not limited.
    ///
    /// ```
    /// use pcn_budget::EntitlementRules;
    /// use pcn_core::{FinancialYear, Role};
    /// let rules = EntitlementRules::published()?;
    /// let y2023 = FinancialYear::constant(2023);
    /// assert_eq!(rules.headcount_limit(y2023, Role::AdvancedPractitioner, None, 99_999)?, Some(3));
    /// assert_eq!(rules.headcount_limit(y2023, Role::AdvancedPractitioner, None, 100_000)?, Some(6));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`BudgetError::NoRulesForYear`]; [`BudgetError::NoPublishedLimit`] where the
    /// year's limits, or this role's, were not found in a published source.
    pub fn headcount_limit(
        &self,
        year: FinancialYear,
        role: Role,
        grade: Option<Grade>,
        list_size: u64,
    ) -> Result<Option<u32>, BudgetError> {
        let arrs = &self.year(year)?.arrs;
        let unknown = |note: String| BudgetError::NoPublishedLimit { role, year, note };
        let Some(rules) = &arrs.headcount_limits else {
            return Err(unknown(
                "the year's headcount limits were not found in a published source".to_owned(),
            ));
        };
        if let Some(limit) = rules
            .limits
            .iter()
            .find(|l| l.role == role && (l.grade.is_none() || l.grade == grade))
        {
            return Ok(Some(if list_size < limit.list_size {
                limit.below
            } else {
                limit.at_or_above
            }));
        }
        if rules.unlimited.iter().any(|u| u.role == role) {
            return Ok(None);
        }
        if let Some(u) = rules.unconfirmed.iter().find(|u| u.role == role) {
            return Err(unknown(u.note.clone()));
        }
        if rules.others_unlimited.is_some() {
            return Ok(None);
        }
        Err(unknown(format!(
            "no source says whether {role} was limited in {year}"
        )))
    }

    /// A network's ring-fenced GP sum for `year` from its weighted list, where the
    /// year has one (October 2024 to March 2025).
    ///
    /// # Errors
    /// [`BudgetError::NoRulesForYear`]; [`BudgetError::Core`] on overflow.
    pub fn gp_sum(
        &self,
        year: FinancialYear,
        weighted_list: u64,
    ) -> Result<Option<Money>, BudgetError> {
        match &self.year(year)?.arrs.gp_sum {
            None => Ok(None),
            Some(gp) => Ok(Some(gp.rate.times(weighted_list)?)),
        }
    }

    /// The most that can be reimbursed for one month in post of a member of staff
    /// in `role` at `wte`: the month's part of the yearly maximum, pro-rated by WTE.
    ///
    /// The yearly maximum is split into twelfths by cumulative rounding (month `k` of
    /// the year gets `round(max x wte x k / 12) - round(max x wte x (k - 1) / 12)`),
    /// so that the months of a year add up exactly to the yearly figure and a start
    /// in any month gets exactly the pro-rated remainder. Whole months are used; the
    /// DES counts months in post.
    ///
    /// # Errors
    /// As [`EntitlementRules::role_cap`].
    pub fn monthly_cap(
        &self,
        role: Role,
        month: YearMonth,
        wte: Wte,
        area: PayArea,
    ) -> Result<Money, BudgetError> {
        self.monthly_grade_cap(role, None, month, wte, area)
    }

    /// [`EntitlementRules::monthly_cap`] for a post of `role` and `grade`.
    ///
    /// # Errors
    /// As [`EntitlementRules::grade_cap`].
    pub fn monthly_grade_cap(
        &self,
        role: Role,
        grade: Option<Grade>,
        month: YearMonth,
        wte: Wte,
        area: PayArea,
    ) -> Result<Money, BudgetError> {
        let cap = self.grade_cap(role, grade, month, area)?;
        let k = i64::from(month.financial_month_number());
        let hundredths = i64::from(wte.hundredths());
        let through = cap.checked_mul_ratio(hundredths * k, 1200)?;
        let before = cap.checked_mul_ratio(hundredths * (k - 1), 1200)?;
        Ok(through.checked_sub(before)?)
    }

    /// The most that can be reimbursed for a member of staff in `role` at `wte` from
    /// the month `start` to the end of its financial year: the yearly maximum
    /// pro-rated by start month and WTE (following any change of maximum during the
    /// year, as in October 2024).
    ///
    /// # Errors
    /// As [`EntitlementRules::role_cap`], for any month from `start` to March.
    pub fn annual_cap(
        &self,
        role: Role,
        start: YearMonth,
        wte: Wte,
        area: PayArea,
    ) -> Result<Money, BudgetError> {
        self.annual_grade_cap(role, None, start, wte, area)
    }

    /// [`EntitlementRules::annual_cap`] for a post of `role` and `grade`.
    ///
    /// # Errors
    /// As [`EntitlementRules::grade_cap`], for any month from `start` to March.
    pub fn annual_grade_cap(
        &self,
        role: Role,
        grade: Option<Grade>,
        start: YearMonth,
        wte: Wte,
        area: PayArea,
    ) -> Result<Money, BudgetError> {
        let mut total = Money::ZERO;
        for month in start
            .financial_year()
            .months()
            .into_iter()
            .filter(|m| *m >= start)
        {
            total = total.checked_add(self.monthly_grade_cap(role, grade, month, wte, area)?)?;
        }
        Ok(total)
    }

    /// A network's maximum additional roles sum for `year`, from its weighted list
    /// (and, where the rule is a share of a national pot, the national weighted list).
    ///
    /// # Errors
    /// [`BudgetError::NoPublishedMaximum`] if the year's rule was not found;
    /// [`BudgetError::NationalWeightedListNeeded`] if the rule is a share of the
    /// national pot and `national_weighted_list` is `None` or zero.
    pub fn network_maximum(
        &self,
        year: FinancialYear,
        weighted_list: u64,
        national_weighted_list: Option<u64>,
    ) -> Result<Money, BudgetError> {
        let rule = self
            .year(year)?
            .arrs
            .network_maximum
            .as_ref()
            .ok_or(BudgetError::NoPublishedMaximum { year })?;
        match rule {
            NetworkMaximum::PerWeightedPatient { rate, .. } => Ok(rate.times(weighted_list)?),
            NetworkMaximum::ShareOfNationalPot { pot, .. } => {
                let national = national_weighted_list
                    .and_then(|n| i64::try_from(n).ok())
                    .filter(|n| *n > 0)
                    .ok_or(BudgetError::NationalWeightedListNeeded { year, pot: *pot })?;
                let share = i64::try_from(weighted_list).map_err(|_| {
                    BudgetError::Core(pcn_core::CoreError::MoneyOverflow {
                        operation: format!("{pot} x {weighted_list} / {national}"),
                    })
                })?;
                Ok(pot.checked_mul_ratio(share, national)?)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> &'static EntitlementRules {
        EntitlementRules::published().unwrap()
    }

    fn month(text: &str) -> YearMonth {
        text.parse().unwrap()
    }

    fn m(text: &str) -> Money {
        text.parse().unwrap()
    }

    #[test]
    fn the_shipped_rules_load_and_cover_2019_to_2025() {
        let years: Vec<String> = rules().years().map(|y| y.to_string()).collect();
        assert_eq!(
            years,
            [
                "2019/20", "2020/21", "2021/22", "2022/23", "2023/24", "2024/25", "2025/26"
            ]
        );
        for year in rules().years() {
            let y = rules().year(year).unwrap();
            for p in &y.payments {
                assert!(
                    rules().citation(&p.source).is_some(),
                    "{} cites {}",
                    p.stream,
                    p.source
                );
            }
        }
    }

    #[test]
    fn rules_round_trip_through_a_users_file() {
        let text = serde_json::to_string_pretty(rules()).unwrap();
        assert_eq!(&EntitlementRules::from_json(&text).unwrap(), rules());
        assert!(text.contains("\"max_per_wte\": \"£55,670.00\""));
    }

    #[test]
    fn broken_rules_are_refused_with_the_reason() {
        let err = EntitlementRules::from_json("{\"sources\": [], \"years\": [1]}").unwrap_err();
        assert!(matches!(err, BudgetError::RulesUnreadable { .. }));
        assert!(err.to_string().contains("line 1"), "{err}");
        let base = serde_json::to_string(rules()).unwrap();
        let cases = [
            (
                "\"from\":\"2019-07\",\"to\":\"2020-03\"",
                "\"from\":\"2019-07\",\"to\":\"2020-04\"",
                "not a run of months inside the year",
            ),
            (
                "\"list_date\":\"2019-01-01\",\"rate\":\"£1.50\"",
                "\"list_date\":\"2019-04-01\",\"rate\":\"£1.50\"",
                "not before the year starts",
            ),
            (
                "{\"role\":\"social_prescribing_link_worker\",\"from\":\"2019-04\"",
                "{\"role\":\"paramedic\",\"from\":\"2019-04\"",
                "not reimbursable",
            ),
            (
                "\"source\":\"pq-257552\"",
                "\"source\":\"nowhere\"",
                "unknown source",
            ),
            (
                "\"reimbursement_rate\":\"0.7\"",
                "\"reimbursement_rate\":\"1.2\"",
                "not between 0 and 1",
            ),
            (
                "\"previous_source\":\"enhanced-access-rates\"",
                "\"previous_source\":\"nowhere\"",
                "revision of enhanced_access cites an unknown source",
            ),
            (
                "\"rate\":\"£60.00\",\"per\":\"period\",\"from\":\"2020-08\"",
                "\"rate\":\"£60.00\",\"per\":\"month\",\"from\":\"2020-08\"",
                "care home premium from 2020-08",
            ),
            (
                "\"code\":\"CVD-15\"",
                "\"code\":\"CVD-12\"",
                "IIF indicator CVD-12 is listed twice",
            ),
            (
                "\"lower\":\"0.4\",\"upper\":\"0.6\"",
                "\"lower\":\"0.4\",\"upper\":\"0.4\"",
                "two different thresholds",
            ),
            (
                "{\"role\":\"mental_health_practitioner\",\"source\":\"mip-2023-03-arrs\"}",
                "{\"role\":\"mental_health_practitioner\",\"source\":\"nowhere\"}",
                "role mental_health_practitioner is said to be unlimited",
            ),
            (
                "\"others_unlimited\":\"pulse-2024-02-glance\"",
                "\"others_unlimited\":\"nowhere\"",
                "headcount limits cite an unknown source",
            ),
            (
                "\"gp_sum\":{\"rate\":\"£1.303\",\"list_date\":\"2024-01-01\"",
                "\"gp_sum\":{\"rate\":\"£1.303\",\"list_date\":\"2024-06-01\"",
                "the GP sum must run inside the year",
            ),
        ];
        for (from, to, message) in cases {
            assert!(base.contains(from), "{from}");
            let err = EntitlementRules::from_json(&base.replacen(from, to, 1)).unwrap_err();
            assert!(err.to_string().contains(message), "{err}");
        }
        let doubled = base.replacen(
            "\"sources\":[",
            "\"sources\":[{\"id\":\"pq-257552\",\"citation\":\"x\"},",
            1,
        );
        assert!(matches!(
            EntitlementRules::from_json(&doubled).unwrap_err(),
            BudgetError::DuplicateSource { .. }
        ));
    }

    #[test]
    fn reimbursement_was_seventy_percent_in_2019_except_for_link_workers() {
        assert_eq!(
            rules()
                .reimbursement_rate(Role::ClinicalPharmacist, month("2019-09"))
                .unwrap()
                .to_string(),
            "0.7"
        );
        assert_eq!(
            rules()
                .reimbursement_rate(Role::SocialPrescribingLinkWorker, month("2019-09"))
                .unwrap(),
            Rate::ONE
        );
        assert_eq!(
            rules()
                .reimbursement_rate(Role::ClinicalPharmacist, month("2020-04"))
                .unwrap(),
            Rate::ONE
        );
        assert!(matches!(
            rules()
                .reimbursement_rate(Role::Paramedic, month("2020-06"))
                .unwrap_err(),
            BudgetError::RoleNotReimbursable { .. }
        ));
        // Nursing associates joined in October 2020.
        assert!(
            rules()
                .reimbursement_rate(Role::NursingAssociate, month("2020-09"))
                .is_err()
        );
        assert_eq!(
            rules()
                .role_cap(Role::NursingAssociate, month("2020-10"), PayArea::England)
                .unwrap(),
            m("£29,135")
        );
    }

    #[test]
    fn caps_change_in_october_2024_and_weight_for_london() {
        let cp = Role::ClinicalPharmacist;
        // the-pharmacist-2023-07 and -2024-10: £62,340 until October 2024.
        assert_eq!(
            rules()
                .role_cap(cp, month("2024-09"), PayArea::England)
                .unwrap(),
            m("£62,340")
        );
        assert!(matches!(
            rules()
                .role_cap(
                    Role::AdvancedPractitioner,
                    month("2024-09"),
                    PayArea::England
                )
                .unwrap_err(),
            BudgetError::NoPublishedCap { .. }
        ));
        assert_eq!(
            rules()
                .role_cap(
                    Role::AdvancedPractitioner,
                    month("2024-10"),
                    PayArea::InnerLondon
                )
                .unwrap(),
            m("£82,616")
        );
        assert_eq!(
            rules()
                .role_cap(cp, month("2024-10"), PayArea::England)
                .unwrap(),
            m("£65,838")
        );
        assert_eq!(
            rules()
                .role_cap(cp, month("2025-03"), PayArea::InnerLondon)
                .unwrap(),
            m("£76,313")
        );
        assert_eq!(
            rules()
                .role_cap(cp, month("2024-11"), PayArea::OuterLondon)
                .unwrap(),
            m("£73,189")
        );
        // 2019/20 had no London weighting; 2021/22 has, but its London figures were not found.
        assert_eq!(
            rules()
                .role_cap(cp, month("2019-05"), PayArea::InnerLondon)
                .unwrap(),
            m("£37,810")
        );
        assert!(
            rules()
                .role_cap(
                    Role::CareCoordinator,
                    month("2021-05"),
                    PayArea::InnerLondon
                )
                .is_err()
        );
        // From October, six months at the new maximum: half of £65,838.
        assert_eq!(
            rules()
                .annual_cap(cp, month("2024-10"), Wte::FULL_TIME, PayArea::England)
                .unwrap(),
            m("£32,919")
        );
        // The whole year: half at £62,340 and half at £65,838 (£31,170 + £32,919).
        assert_eq!(
            rules()
                .annual_cap(cp, month("2024-04"), Wte::FULL_TIME, PayArea::England)
                .unwrap(),
            m("£64,089")
        );
    }

    #[test]
    fn the_2022_pharmacist_maximum_rose_in_october_with_the_pay_award() {
        // chemist-druggist-2022-10: £57,318 from April 2022, £59,312 from 1 October.
        let cp = Role::ClinicalPharmacist;
        assert_eq!(
            rules()
                .role_cap(cp, month("2022-09"), PayArea::England)
                .unwrap(),
            m("£57,318")
        );
        assert_eq!(
            rules()
                .role_cap(cp, month("2022-10"), PayArea::England)
                .unwrap(),
            m("£59,312")
        );
        assert_eq!(
            rules()
                .role_cap(cp, month("2022-10"), PayArea::InnerLondon)
                .unwrap(),
            m("£68,768")
        );
        assert!(
            rules()
                .role_cap(cp, month("2022-10"), PayArea::OuterLondon)
                .is_err()
        );
        // Half a year at each: £28,659 + £29,656.
        assert_eq!(
            rules()
                .annual_cap(cp, month("2022-04"), Wte::FULL_TIME, PayArea::England)
                .unwrap(),
            m("£58,315")
        );
        // pharmaceutical-journal-2019 resolves the £37,810 / £37,819 question.
        let cap = rules()
            .year(FinancialYear::constant(2019))
            .unwrap()
            .arrs
            .caps
            .iter()
            .find(|c| c.role == cp)
            .unwrap();
        assert_eq!(
            (cap.max_per_wte, &*cap.source),
            (m("£37,810"), "pharmaceutical-journal-2019")
        );
    }

    #[test]
    fn the_2023_maxima_rose_in_july_with_the_pay_award() {
        // the-pharmacist-2023-07: £59,312 to £62,340 from 1 July 2023 for clinical
        // pharmacists: a full year is 3 months at the first and 9 at the second.
        let cp = Role::ClinicalPharmacist;
        assert_eq!(
            rules()
                .annual_cap(cp, month("2023-04"), Wte::FULL_TIME, PayArea::England)
                .unwrap(),
            m("£61,583")
        );
        assert_eq!(
            rules()
                .role_cap(Role::CareCoordinator, month("2023-06"), PayArea::England)
                .unwrap(),
            m("£31,746")
        );
        assert_eq!(
            rules()
                .role_cap(Role::CareCoordinator, month("2023-07"), PayArea::England)
                .unwrap(),
            m("£33,396")
        );
        // London supplements were not published with them.
        assert!(
            rules()
                .role_cap(cp, month("2023-07"), PayArea::OuterLondon)
                .is_err()
        );
    }

    #[test]
    fn caps_pro_rate_by_start_month_and_wte_to_the_penny() {
        let cp = Role::ClinicalPharmacist;
        let full = Wte::FULL_TIME;
        // domain-arrs-caps: £55,670 a year in 2020/21.
        let months: Vec<Money> = FinancialYear::constant(2020)
            .months()
            .into_iter()
            .map(|mo| rules().monthly_cap(cp, mo, full, PayArea::England).unwrap())
            .collect();
        assert_eq!(months.iter().map(|x| x.pence()).sum::<i64>(), 5_567_000);
        assert!(
            months
                .iter()
                .all(|x| (463_916..=463_917).contains(&x.pence())),
            "{months:?}"
        );
        // Half time from October: six months of half the maximum, £13,917.50.
        let half: Wte = "0.5".parse().unwrap();
        assert_eq!(
            rules()
                .annual_cap(cp, month("2020-10"), half, PayArea::England)
                .unwrap(),
            m("£13,917.50")
        );
        // 0.8 WTE from July: £55,670 x 0.8 x 9/12 = £33,402.00.
        assert_eq!(
            rules()
                .annual_cap(
                    cp,
                    month("2020-07"),
                    "0.8".parse().unwrap(),
                    PayArea::England
                )
                .unwrap(),
            m("£33,402.00")
        );
    }

    #[test]
    fn the_network_maximum_follows_the_years_rule() {
        // arrs-per-weighted-patient: £22.671 per contractor-weighted patient in 2023/24.
        assert_eq!(
            rules()
                .network_maximum(FinancialYear::constant(2023), 50_000, None)
                .unwrap(),
            m("£1,133,550.00")
        );
        // bma-handbook-2021: £746m in 2021/22; a network with a thousandth of the
        // national weighted list gets £746,000.
        assert_eq!(
            rules()
                .network_maximum(FinancialYear::constant(2021), 60_000, Some(60_000_000))
                .unwrap(),
            m("£746,000")
        );
        // gponline-2022-03-arrs: £1.026bn in 2022/23, again a share by weighted list.
        assert_eq!(
            rules()
                .network_maximum(FinancialYear::constant(2022), 60_000, Some(60_000_000))
                .unwrap(),
            m("£1,026,000")
        );
        assert!(matches!(
            rules()
                .network_maximum(FinancialYear::constant(2022), 50_000, None)
                .unwrap_err(),
            BudgetError::NationalWeightedListNeeded { .. }
        ));
        // 2019/20 had no combined sum.
        assert!(matches!(
            rules()
                .network_maximum(FinancialYear::constant(2019), 50_000, None)
                .unwrap_err(),
            BudgetError::NoPublishedMaximum { .. }
        ));
    }

    /// For every year and every role of the vocabulary, every month: the cap exists
    /// (above zero, with a known source), or the error says why, naming the role and
    /// the year. The counts of roles with a cap each April are pinned, so that a
    /// figure added or lost shows here.
    #[test]
    fn every_year_and_role_has_its_cap_or_an_error_saying_why() {
        let mut with_cap_in_april = Vec::new();
        for year in rules().years() {
            let mut count = 0;
            for role in Role::ALL {
                for month in year.months() {
                    match rules().monthly_cap(*role, month, Wte::FULL_TIME, PayArea::England) {
                        Ok(cap) => {
                            assert!(cap.pence() > 0, "{role} {month}");
                            let record = rules().cap_record(*role, None, month).unwrap();
                            assert!(rules().citation(&record.source).is_some());
                            if month == year.months()[0] {
                                count += 1;
                            }
                        }
                        Err(BudgetError::RoleNotReimbursable { role: r, year: y }) => {
                            assert_eq!((r, y), (*role, year));
                            let err = rules().reimbursement_rate(*role, month).unwrap_err();
                            assert!(err.to_string().contains(&year.to_string()));
                        }
                        Err(e @ BudgetError::NoPublishedCap { .. }) => {
                            let text = e.to_string();
                            assert!(
                                text.contains(&format!(
                                    "no published cap for role {role} in year {year}"
                                )),
                                "{text}"
                            );
                        }
                        Err(e @ BudgetError::GradeRequired { .. }) => {
                            assert!(e.to_string().contains(&year.to_string()), "{e}");
                            assert_eq!(*role, Role::PracticeNurse);
                        }
                        Err(other) => panic!("{role} {month}: unexpected {other}"),
                    }
                }
            }
            with_cap_in_april.push((year.to_string(), count));
        }
        let expected: Vec<(String, usize)> = [
            ("2019/20", 2),
            ("2020/21", 3),
            ("2021/22", 2),
            ("2022/23", 2),
            ("2023/24", 5),
            ("2024/25", 2),
            ("2025/26", 4),
        ]
        .iter()
        .map(|(y, n)| ((*y).to_owned(), *n))
        .collect();
        assert_eq!(with_cap_in_april, expected);
    }

    #[test]
    fn the_2025_nursing_posts_and_the_2024_gp_have_their_own_maxima() {
        let nurse = |grade, month: &str| {
            rules().grade_cap(
                Role::PracticeNurse,
                Some(grade),
                month.parse().unwrap(),
                PayArea::England,
            )
        };
        // pulse-2025-03-des and nip-2025-gpn.
        assert_eq!(
            nurse(Grade::NewToGeneralPractice, "2025-04").unwrap(),
            m("£43,352")
        );
        assert_eq!(
            nurse(Grade::ExperiencedGeneralPracticeNurse, "2026-03").unwrap(),
            m("£53,319")
        );
        assert_eq!(
            nurse(Grade::EnhancedPracticeNurse, "2025-04").unwrap(),
            m("£64,907")
        );
        assert_eq!(
            nurse(Grade::EnhancedPracticeNurse, "2024-04").unwrap(),
            m("£60,401")
        );
        assert_eq!(
            nurse(Grade::ConsultantNurse, "2025-04").unwrap(),
            m("£102,683")
        );
        assert!(matches!(
            nurse(Grade::ConsultantNurse, "2024-04").unwrap_err(),
            BudgetError::NoPublishedCap { .. }
        ));
        // Practice nurses joined only in 2024/25.
        assert!(matches!(
            nurse(Grade::EnhancedPracticeNurse, "2023-04").unwrap_err(),
            BudgetError::RoleNotReimbursable { .. }
        ));
        // gp-arrs-2024-briefing: GPs from 1 October 2024, £92,462 a year.
        assert!(
            rules()
                .role_cap(Role::Gp, month("2024-09"), PayArea::England)
                .is_err()
        );
        assert_eq!(
            rules()
                .role_cap(Role::Gp, month("2024-10"), PayArea::England)
                .unwrap(),
            m("£92,462")
        );
        // pulse-2025-gp-arrs: £95,233 for a GP hired in London, one figure for
        // inner and outer London.
        for area in [PayArea::InnerLondon, PayArea::OuterLondon] {
            assert_eq!(
                rules().role_cap(Role::Gp, month("2025-03"), area).unwrap(),
                m("£95,233")
            );
        }
        // Their sum: £1.303 x 40,000 weighted patients = £52,120.
        assert_eq!(
            rules()
                .gp_sum(FinancialYear::constant(2024), 40_000)
                .unwrap(),
            Some(m("£52,120"))
        );
        assert_eq!(
            rules()
                .gp_sum(FinancialYear::constant(2023), 40_000)
                .unwrap(),
            None
        );
        // igpm.org.uk ('Newly qualified GPs added to Additional Roles Reimbursement
        // Scheme', 2024): a PCN of 50,000 weighted patients gets about £65k for the six
        // months; the rule gives £1.303 x 50,000 = £65,150.
        assert_eq!(
            rules()
                .gp_sum(FinancialYear::constant(2024), 50_000)
                .unwrap(),
            Some(m("£65,150"))
        );
        // The 2025/26 sum is £26.631 per contractor-weighted patient.
        assert_eq!(
            rules()
                .network_maximum(FinancialYear::constant(2025), 50_000, None)
                .unwrap(),
            m("£1,331,550")
        );
    }

    #[test]
    fn headcount_limits_follow_the_list_size_or_say_they_are_unknown() {
        let limit = |y: i32, role, grade, list| {
            rules().headcount_limit(FinancialYear::constant(y), role, grade, list)
        };
        let ap = Role::AdvancedPractitioner;
        // ncl-training-hub-2023: 2 and 3 before 2023/24, 3 and 6 from it.
        assert_eq!(limit(2021, ap, None, 99_999).unwrap(), Some(2));
        assert_eq!(limit(2022, ap, None, 100_000).unwrap(), Some(3));
        assert_eq!(limit(2023, ap, None, 100_000).unwrap(), Some(6));
        // nip-2025-gpn: one enhanced nurse, two at 100,000 or more; pulse-2024-02-glance:
        // every other role unlimited in 2024/25.
        assert_eq!(
            limit(
                2024,
                Role::PracticeNurse,
                Some(Grade::EnhancedPracticeNurse),
                100_000
            )
            .unwrap(),
            Some(2)
        );
        assert_eq!(limit(2024, ap, None, 100_000).unwrap(), None);
        // wessex-lmcs-arrs: one pharmacist and one link worker in 2019/20.
        assert_eq!(
            limit(2019, Role::ClinicalPharmacist, None, 45_000).unwrap(),
            Some(1)
        );
        // mhp-2021-01: one mental health practitioner in 2021/22, two at 100,000 or
        // more; mip-2023-03-arrs: two and four in 2022/23, before the caps went.
        let mhp = Role::MentalHealthPractitioner;
        assert_eq!(limit(2021, mhp, None, 99_999).unwrap(), Some(1));
        assert_eq!(limit(2021, mhp, None, 100_000).unwrap(), Some(2));
        assert_eq!(limit(2022, mhp, None, 99_999).unwrap(), Some(2));
        assert_eq!(limit(2022, mhp, None, 100_000).unwrap(), Some(4));
        // Their caps were removed in 2023/24 (ncl-training-hub-2023, mip-2023-03-arrs);
        // pharmacy technicians and first contact physiotherapists were freed in
        // 2021/22 (pulse-intelligence-arrs-2021).
        assert_eq!(limit(2023, mhp, None, 99_999).unwrap(), None);
        assert_eq!(
            limit(2021, Role::PharmacyTechnician, None, 50_000).unwrap(),
            None
        );
        assert_eq!(
            limit(2021, Role::FirstContactPhysiotherapist, None, 50_000).unwrap(),
            None
        );
        for (y, role, expected) in [
            (2020, ap, "the year's headcount limits were not found"),
            (
                2023,
                Role::Paramedic,
                "no source says whether paramedic was limited in 2023/24",
            ),
            (2025, ap, "the year's headcount limits were not found"),
        ] {
            let err = limit(y, role, None, 50_000).unwrap_err().to_string();
            assert!(
                err.contains(expected) && err.contains(&FinancialYear::constant(y).to_string()),
                "{err}"
            );
        }
    }

    #[test]
    fn pharmacy_technicians_were_capped_from_april_2020() {
        // pharmacy-technician-2020: at most £35,389 in a 12-month period from
        // April 2020. Nine months at 0.6 WTE from July: £35,389 x 0.6 x 9/12 =
        // £15,925.05.
        let pt = Role::PharmacyTechnician;
        assert_eq!(
            rules()
                .role_cap(pt, month("2020-04"), PayArea::England)
                .unwrap(),
            m("£35,389")
        );
        assert_eq!(
            rules()
                .annual_cap(
                    pt,
                    month("2020-07"),
                    "0.6".parse().unwrap(),
                    PayArea::England
                )
                .unwrap(),
            m("£15,925.05")
        );
        assert_eq!(
            rules()
                .cap_record(pt, None, month("2020-04"))
                .unwrap()
                .source
                .as_ref(),
            "pharmacy-technician-2020"
        );
    }

    #[test]
    fn the_2025_maxima_of_pharmacy_roles_and_support_workers_are_held() {
        let cap = |role, area| rules().role_cap(role, month("2025-04"), area);
        // pj-2025-04-arrs: clinical pharmacists £66,972, outer London £74,392,
        // inner London £77,545; pharmacy technicians £43,352, £49,967, £52,172.
        let cp = Role::ClinicalPharmacist;
        let pt = Role::PharmacyTechnician;
        assert_eq!(cap(cp, PayArea::England).unwrap(), m("£66,972"));
        assert_eq!(cap(cp, PayArea::OuterLondon).unwrap(), m("£74,392"));
        assert_eq!(cap(cp, PayArea::InnerLondon).unwrap(), m("£77,545"));
        assert_eq!(cap(pt, PayArea::England).unwrap(), m("£43,352"));
        assert_eq!(cap(pt, PayArea::OuterLondon).unwrap(), m("£49,967"));
        assert_eq!(cap(pt, PayArea::InnerLondon).unwrap(), m("£52,172"));
        // the-pharmacist-2025-03 and the-pharmacist-2025-arrs: advanced
        // practitioners £73,334, outer London £80,754, inner London £83,907.
        let ap = Role::AdvancedPractitioner;
        assert_eq!(cap(ap, PayArea::England).unwrap(), m("£73,334"));
        assert_eq!(cap(ap, PayArea::OuterLondon).unwrap(), m("£80,754"));
        assert_eq!(cap(ap, PayArea::InnerLondon).unwrap(), m("£83,907"));
        // A role carried over without a 2025/26 maximum is refused, not guessed.
        let err = cap(Role::Paramedic, PayArea::England).unwrap_err();
        assert!(
            err.to_string()
                .contains("no published cap for role paramedic in year 2025/26"),
            "{err}"
        );
        // pulse-2025-03-des: healthcare support workers at band 3, £32,159; they
        // were not reimbursable before 2025/26.
        let hca = Role::HealthcareAssistant;
        assert_eq!(cap(hca, PayArea::England).unwrap(), m("£32,159"));
        assert!(matches!(
            rules()
                .role_cap(hca, month("2025-03"), PayArea::England)
                .unwrap_err(),
            BudgetError::RoleNotReimbursable { .. }
        ));
        // A whole year of a clinical pharmacist in inner London.
        assert_eq!(
            rules()
                .annual_cap(cp, month("2025-04"), Wte::FULL_TIME, PayArea::InnerLondon)
                .unwrap(),
            m("£77,545")
        );
    }

    proptest::proptest! {
        /// Pro-rating by WTE and start month never pays above the cap: a part-time
        /// or part-year maximum is at most the full year's at full time, and the
        /// months of a year add up exactly to the year's maximum.
        #[test]
        fn pro_rating_never_pays_above_the_cap(
            year_index in 0usize..7,
            role_index in 0usize..Role::ALL.len(),
            start in 0usize..12,
            hundredths in 1u32..=100,
        ) {
            let year = rules().years().nth(year_index).unwrap();
            let role = Role::ALL[role_index];
            let april = year.months()[0];
            let Ok(full_year) = rules().annual_cap(role, april, Wte::FULL_TIME, PayArea::England) else {
                return Ok(());
            };
            let wte = Wte::from_hundredths(hundredths);
            let from = year.months()[start];
            let part = rules().annual_cap(role, from, wte, PayArea::England).unwrap();
            proptest::prop_assert!(part <= full_year, "{} > {}", part, full_year);
            let months: i64 = year.months().into_iter()
                .filter(|m| *m >= from)
                .map(|m| rules().monthly_cap(role, m, wte, PayArea::England).unwrap().pence())
                .sum();
            proptest::prop_assert_eq!(months, part.pence());
            // Never above the highest maximum in force, pro-rated by WTE and months.
            let highest = year.months().into_iter()
                .map(|m| rules().role_cap(role, m, PayArea::England).unwrap().pence())
                .max().unwrap();
            let remaining = i64::try_from(12 - start).unwrap();
            let bound = (highest * i64::from(hundredths) * remaining + 1199) / 1200;
            proptest::prop_assert!(part.pence() <= bound + 1, "{} > {}", part.pence(), bound);
        }
    }
}
