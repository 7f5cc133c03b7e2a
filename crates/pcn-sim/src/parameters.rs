//! The simulation's parameters: data with a source for every figure, loaded and
//! checked once.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pcn_core::{FinancialYear, Money, PathwayId, Role, SnomedCode};
use pcn_referral::{
    CatalogueDefinition, Destination, PathwayCatalogue, PatientAge, PatientFacts, ReferralRequest,
};
use serde::{Deserialize, Serialize};

use pcn_population::FrailtyBand;
use pcn_team::Basis;

use crate::access::{AccessParameters, AccessTables, MAX_LEAD_DAYS};
use crate::deprivation::DeprivationParameters;
use crate::{Access, AgeBand, ByFrailty, Elsewhere, Need, SimError};

/// The text of a basis: the citation or the reason for the assumption.
#[must_use]
pub fn basis_text(basis: &Basis) -> &str {
    match basis {
        Basis::Published { source } => source,
        Basis::Assumption { note } => note,
        Basis::Fitted { target, .. } => target,
    }
}

/// A value with its [`Basis`] (`pcn-core`'s: published with its source, or an
/// assumption with the reason), written beside the value in the parameter file as
/// `"basis": "published", "source": "..."` or `"basis": "assumption", "note": "..."`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sourced<T> {
    /// The value.
    pub value: T,
    /// Where it comes from.
    #[serde(flatten)]
    pub basis: Basis,
    /// For an assumption, the range of values thought plausible `[low, high]`: the
    /// sensitivity analysis runs the model at both ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<[f64; 2]>,
}

/// A value for one age band, with its basis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgeValue {
    /// The age band.
    pub age_band: AgeBand,
    /// The value for that band.
    pub value: f64,
    /// Where it comes from.
    #[serde(flatten)]
    pub basis: Basis,
    /// For an assumption, the range of values thought plausible `[low, high]`, as
    /// [`Sourced::range`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<[f64; 2]>,
}

/// A need's share of consultations, with its basis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NeedShare {
    /// The need.
    pub need: Need,
    /// Its share of all consultations, 0 to 1.
    pub value: f64,
    /// Where it comes from.
    #[serde(flatten)]
    pub basis: Basis,
}

/// A value for one role, with its basis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleValue {
    /// The role.
    pub role: Role,
    /// The value for that role.
    pub value: f64,
    /// Where it comes from.
    #[serde(flatten)]
    pub basis: Basis,
}

/// A referral on from the clinician who met a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Onward {
    /// The role referred to.
    pub role: Role,
    /// The route of the referral (it must be open in the scenario and the role
    /// staffed in the network; otherwise the person is referred out of the network).
    pub route: Access,
    /// The reason for referral (SNOMED CT) the referral is routed with through the
    /// pathway catalogue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<SnomedCode>,
    /// The share of met requests referred on, 0 to 1.
    pub share: f64,
    /// Where it comes from.
    #[serde(flatten)]
    pub basis: Basis,
    /// For an assumed share, the range thought plausible `[low, high]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<[f64; 2]>,
}

/// One way a need can be met: a role, reached by an entry route, for a share of the
/// requests.
///
/// The options of a need are tried in order: an option takes its `share` of the
/// requests still unplaced if its route is open in the scenario, the network has
/// staff in its role, and that role's waiting list is shorter than its capacity over
/// its maximum wait (reception does not book into a list that cannot be met); the
/// last option, with share 1, takes the rest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteOption {
    /// The role that meets the request.
    pub role: Role,
    /// How the request reaches that role.
    pub route: Access,
    /// For a referral route, the reason for referral (SNOMED CT) the request is routed
    /// with through the pathway catalogue, which must send it to `role`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<SnomedCode>,
    /// The share of the requests still unplaced that this option can take, 0 to 1.
    pub share: f64,
    /// Where the share comes from.
    #[serde(flatten)]
    pub basis: Basis,
    /// For an assumed share, the range thought plausible `[low, high]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<[f64; 2]>,
    /// An optional referral on once the request is met.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onward: Option<Onward>,
}

/// The route options of one need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NeedRoutes {
    /// The need.
    pub need: Need,
    /// Its options, in order of preference; the last takes every request left.
    pub options: Vec<RouteOption>,
}

/// The catalogue pathway a referral route was routed to when the parameters were
/// loaded: `pcn-referral`'s pathway, with its local target wait to first contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CataloguePathway {
    /// The pathway's id in the catalogue.
    pub id: PathwayId,
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its target wait in days.
    pub target_days: u16,
}

/// A role's capacity, how far ahead its diary is open, and what it costs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleParameters {
    /// The role.
    pub role: Role,
    /// Appointments one full-time equivalent delivers in a year, net of leave and
    /// of time away from patients (attended and not attended alike, as the
    /// appointment statistics count them).
    pub appointments_per_fte_year: Sourced<f64>,
    /// How many days ahead the role's diary can be booked: a request that finds no
    /// free slot within it is not booked.
    pub booking_horizon_days: Sourced<u16>,
    /// The cost of one WTE for a year: salary and employer on-costs, in pence.
    pub cost_per_wte_year: Sourced<Money>,
}

/// The parameters of personal care and support plans.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CarePlanParameters {
    /// The share of the population, highest risk first, given a plan when a scenario
    /// asks for care plans and gives no share of its own.
    pub cohort_share: Sourced<f64>,
    /// Planned reviews per person with a plan per year.
    pub reviews_per_year: Sourced<f64>,
    /// The relative reduction of emergency admissions of people with a plan.
    pub admission_reduction: Sourced<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ParameterFile {
    financial_year: FinancialYear,
    bank_holidays: Sourced<Vec<NaiveDate>>,
    leave_share: Sourced<f64>,
    consultation_rates: Vec<AgeValue>,
    frailty_shares: Sourced<ByFrailty<f64>>,
    frailty_consultation_ratios: Sourced<ByFrailty<f64>>,
    need_shares: Vec<NeedShare>,
    routes: Vec<NeedRoutes>,
    roles: Vec<RoleParameters>,
    access: AccessParameters,
    emergency_admission_rates: Vec<AgeValue>,
    frailty_admission_ratios: Sourced<ByFrailty<f64>>,
    emergency_admissions_by_deprivation: DeprivationParameters,
    zero_day_stay_share: Sourced<f64>,
    mean_bed_days: Sourced<f64>,
    bed_day_cost: Sourced<Money>,
    care_plans: CarePlanParameters,
    social_prescribing_gp_reduction: Sourced<f64>,
    staffing_per_10000: Vec<RoleValue>,
}

/// The parameters of the network year, every figure with its [`Basis`].
///
/// The published set ([`Parameters::published`]) ships with the crate as
/// `data/parameters.json`: consultation rates by age (Hobbs et al., Lancet 2016),
/// frailty shares and hospitalisation hazard ratios (Clegg et al., Age and Ageing
/// 2016), the share of MSK and social problems in GP consultations (NHS England),
/// capacity per WTE fitted to the published appointment statistics and workforce
/// (NHS Digital, Appointments in General Practice; BMJ Open 2024 workforce trends),
/// access (on the day or booked ahead, fitted to the published time from booking to
/// appointment; where unbooked requests go, from the GP Patient Survey), costs per WTE (Additional
/// Roles Reimbursement Scheme maxima, Agenda for Change and BMA pay ranges),
/// emergency admissions, length of stay and bed-day cost (Health Foundation 2018), and
/// the care plan cohort (Avoiding unplanned admissions enhanced service, 2014). Where
/// no source was found the file says `"assumption"` and why; the effect of care plans
/// on admissions is the Granta primary care home's *aim* of 20 % fewer emergency bed
/// days, not a measured effect.
///
/// A parameter set is checked once when loaded: every figure has a source or a
/// reason, rates are finite and non-negative, shares lie between 0 and 1 and add up
/// where they must, every table has one entry per key, and every route has a role
/// with capacity and cost and ends with a fallback.
///
/// ```
/// use pcn_core::Role;
/// use pcn_sim::{AgeBand, Parameters};
/// let parameters = Parameters::published()?;
/// assert_eq!(parameters.financial_year().to_string(), "2024/25");
/// assert!(parameters.request_rate(AgeBand::Age85Plus, true) > parameters.request_rate(AgeBand::Age25To44, true));
/// assert!(parameters.role(Role::Gp).is_some_and(|r| r.booking_horizon_days.value >= 28));
/// // Every figure says where it comes from.
/// let json = serde_json::to_string(&parameters)?;
/// let again = Parameters::from_json(&json)?;
/// assert_eq!(again, parameters);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ParameterFile", into = "ParameterFile")]
pub struct Parameters {
    file: ParameterFile,
    consultation_rate: [f64; 8],
    admission_rate: [f64; 8],
    need_share: [f64; 7],
    routes: Vec<Vec<RouteOption>>,
    roles: BTreeMap<Role, RoleParameters>,
    access: AccessTables,
    catalogue: CatalogueDefinition,
    links: Vec<Vec<Option<CataloguePathway>>>,
    onward_links: Vec<Vec<Option<CataloguePathway>>>,
}

const PUBLISHED: &str = include_str!("../data/parameters.json");
const PUBLISHED_CATALOGUE: &str = include_str!("../data/catalogue.json");

impl Parameters {
    /// The parameter set shipped with the crate (`data/parameters.json`).
    ///
    /// # Errors
    /// [`SimError`] only if the shipped file were broken, which the crate's tests rule
    /// out.
    pub fn published() -> Result<Self, SimError> {
        Self::from_json(PUBLISHED)
    }

    /// Reads and checks a parameter set in the shape of `data/parameters.json`.
    ///
    /// # Errors
    /// [`SimError::ParametersUnreadable`] if the JSON does not have the expected
    /// shape; the other variants name the first figure that is out of range, without
    /// a source, missing or repeated.
    pub fn from_json(json: &str) -> Result<Self, SimError> {
        Self::from_json_with_catalogue(json, &published_catalogue()?)
    }

    /// Reads and checks a parameter set, routing its referral routes through
    /// `catalogue` (a `pcn-referral` pathway catalogue) instead of the shipped one
    /// (`data/catalogue.json`).
    ///
    /// # Errors
    /// As [`Parameters::from_json`]; also [`SimError::Referral`] if a referral route
    /// finds no pathway, and [`SimError::CatalogueDisagrees`] if the pathway it finds
    /// does not go to the option's role.
    pub fn from_json_with_catalogue(
        json: &str,
        catalogue: &PathwayCatalogue,
    ) -> Result<Self, SimError> {
        let file: ParameterFile =
            serde_json::from_str(json).map_err(|e| SimError::ParametersUnreadable {
                reason: e.to_string(),
            })?;
        Self::checked(file, catalogue)
    }

    /// The pathway catalogue the referral routes were routed through.
    #[must_use]
    pub fn catalogue(&self) -> &CatalogueDefinition {
        &self.catalogue
    }

    /// The catalogue pathway of a need's route option, for referral routes.
    #[must_use]
    pub fn catalogue_pathway(&self, need: Need, option: usize) -> Option<&CataloguePathway> {
        self.links.get(need.index())?.get(option)?.as_ref()
    }

    /// The catalogue pathway of a route option's referral on.
    #[must_use]
    pub fn onward_pathway(&self, need: Need, option: usize) -> Option<&CataloguePathway> {
        self.onward_links.get(need.index())?.get(option)?.as_ref()
    }

    /// The financial year the figures are for.
    #[must_use]
    pub fn financial_year(&self) -> FinancialYear {
        self.file.financial_year
    }

    /// Bank holidays in the financial year: no appointments are offered on them.
    #[must_use]
    pub fn bank_holidays(&self) -> &[NaiveDate] {
        &self.file.bank_holidays.value
    }

    /// The share of working days lost to annual leave.
    #[must_use]
    pub fn leave_share(&self) -> f64 {
        self.file.leave_share.value
    }

    /// The relative consultation rate of an age band (men; the shape that
    /// [`Parameters::request_rate`] scales).
    #[must_use]
    pub fn consultation_rate(&self, band: AgeBand) -> f64 {
        self.consultation_rate[band.index()]
    }

    /// Emergency admissions per person per year in an age band.
    #[must_use]
    pub fn admission_rate(&self, band: AgeBand) -> f64 {
        self.admission_rate[band.index()]
    }

    /// The effect of deprivation on emergency admissions, by tenth of England's
    /// registered patients ([`crate::deprivation`]).
    #[must_use]
    pub fn deprivation(&self) -> &DeprivationParameters {
        &self.file.emergency_admissions_by_deprivation
    }

    /// The share of people aged 65 and over in each frailty category.
    #[must_use]
    pub fn frailty_shares(&self) -> ByFrailty<f64> {
        self.file.frailty_shares.value
    }

    /// Consultation rate of a frailty category relative to the band's average.
    #[must_use]
    pub fn frailty_consultation_factor(&self, frailty: FrailtyBand) -> f64 {
        relative_to_mean(
            &self.file.frailty_consultation_ratios.value,
            &self.file.frailty_shares.value,
            frailty,
        )
    }

    /// Emergency admission rate of a frailty category relative to the band's average.
    #[must_use]
    pub fn frailty_admission_factor(&self, frailty: FrailtyBand) -> f64 {
        relative_to_mean(
            &self.file.frailty_admission_ratios.value,
            &self.file.frailty_shares.value,
            frailty,
        )
    }

    /// A presenting need's share of consultations (zero for care plan reviews).
    #[must_use]
    pub fn need_share(&self, need: Need) -> f64 {
        self.need_share[need.index()]
    }

    /// The route options of a need, in order of preference.
    #[must_use]
    pub fn routes(&self, need: Need) -> &[RouteOption] {
        &self.routes[need.index()]
    }

    /// The parameters of access as written in the file.
    #[must_use]
    pub fn access(&self) -> &AccessParameters {
        &self.file.access
    }

    pub(crate) fn access_tables(&self) -> &AccessTables {
        &self.access
    }

    /// Requests per person a year in an age band for one sex, all needs: the age
    /// shape times the women's ratio for women, times the fitted demand scale.
    #[must_use]
    pub fn request_rate(&self, band: AgeBand, female: bool) -> f64 {
        let ratio = if female {
            self.access.female_ratio[band.index()]
        } else {
            1.0
        };
        self.consultation_rate[band.index()] * ratio * self.file.access.demand_scale.value
    }

    /// The capacity, booking horizon and cost of a role, if the parameters have it.
    #[must_use]
    pub fn role(&self, role: Role) -> Option<&RoleParameters> {
        self.roles.get(&role)
    }

    /// Every role with parameters, in role order.
    pub fn roles(&self) -> impl Iterator<Item = &RoleParameters> {
        self.roles.values()
    }

    /// The share of emergency admissions that are zero-day stays.
    #[must_use]
    pub fn zero_day_stay_share(&self) -> f64 {
        self.file.zero_day_stay_share.value
    }

    /// Mean bed days per emergency admission (zero-day stays included).
    #[must_use]
    pub fn mean_bed_days(&self) -> f64 {
        self.file.mean_bed_days.value
    }

    /// The cost of one emergency bed day.
    #[must_use]
    pub fn bed_day_cost(&self) -> Money {
        self.file.bed_day_cost.value
    }

    /// The parameters of personal care and support plans.
    #[must_use]
    pub fn care_plans(&self) -> &CarePlanParameters {
        &self.file.care_plans
    }

    /// The relative reduction in the requests of a person a link worker has seen by
    /// social prescribing, for the rest of the year.
    #[must_use]
    pub fn social_prescribing_gp_reduction(&self) -> &Sourced<f64> {
        &self.file.social_prescribing_gp_reduction
    }

    /// Typical staffing in WTE per 10,000 registered patients, by role.
    #[must_use]
    pub fn staffing_per_10000(&self) -> &[RoleValue] {
        &self.file.staffing_per_10000
    }

    /// Every figure with its name and basis, for a report's parameter table.
    #[must_use]
    pub fn citations(&self) -> Vec<(String, String, &Basis)> {
        let f = &self.file;
        let mut out: Vec<(String, String, &Basis)> = Vec::new();
        out.push((
            "bank holidays".into(),
            format!("{} days", f.bank_holidays.value.len()),
            &f.bank_holidays.basis,
        ));
        out.push((
            "leave share".into(),
            fmt_f(f.leave_share.value),
            &f.leave_share.basis,
        ));
        for a in &f.consultation_rates {
            out.push((
                format!("consultations a year, {}", a.age_band),
                fmt_f(a.value),
                &a.basis,
            ));
        }
        out.push((
            "frailty shares 65+".into(),
            fmt_frailty(&f.frailty_shares.value),
            &f.frailty_shares.basis,
        ));
        out.push((
            "consultation ratio by frailty".into(),
            fmt_frailty(&f.frailty_consultation_ratios.value),
            &f.frailty_consultation_ratios.basis,
        ));
        for n in &f.need_shares {
            out.push((
                format!("share of consultations, {}", n.need),
                fmt_f(n.value),
                &n.basis,
            ));
        }
        for r in &f.routes {
            for o in &r.options {
                out.push((
                    format!("route {} to {} ({})", r.need, o.role.label(), o.route),
                    fmt_f(o.share),
                    &o.basis,
                ));
                if let Some(on) = &o.onward {
                    out.push((
                        format!(
                            "onward {} from {} to {}",
                            r.need,
                            o.role.label(),
                            on.role.label()
                        ),
                        fmt_f(on.share),
                        &on.basis,
                    ));
                }
            }
        }
        for r in &f.roles {
            let label = r.role.label();
            out.push((
                format!("{label}: appointments per WTE a year"),
                format!("{:.0}", r.appointments_per_fte_year.value),
                &r.appointments_per_fte_year.basis,
            ));
            out.push((
                format!("{label}: booking horizon (days)"),
                r.booking_horizon_days.value.to_string(),
                &r.booking_horizon_days.basis,
            ));
            out.push((
                format!("{label}: cost per WTE year"),
                r.cost_per_wte_year.value.to_string(),
                &r.cost_per_wte_year.basis,
            ));
        }
        let a = &f.access;
        out.push((
            "demand scale".into(),
            fmt_f(a.demand_scale.value),
            &a.demand_scale.basis,
        ));
        for r in &a.female_consultation_ratios {
            out.push((
                format!("women's request rate relative to men's, {}", r.age_band),
                fmt_f(r.value),
                &r.basis,
            ));
        }
        out.push((
            "share of requests wanting the same day".into(),
            fmt_f(a.same_day_share.value),
            &a.same_day_share.basis,
        ));
        for l in &a.lead_time_shares {
            out.push((
                format!(
                    "preferred lead time {}",
                    interval_label(l.from_days, l.to_days)
                ),
                fmt_f(l.value),
                &l.basis,
            ));
        }
        out.push((
            "care navigation scale (booked routes to roles other than GPs)".into(),
            fmt_f(a.navigation_scale.value),
            &a.navigation_scale.basis,
        ));
        out.push((
            "acceptable delay after the preferred day (days)".into(),
            a.acceptable_delay_days.value.to_string(),
            &a.acceptable_delay_days.basis,
        ));
        out.push((
            "on-the-day requests taking a later appointment".into(),
            fmt_f(a.later_booking_share.value),
            &a.later_booking_share.basis,
        ));
        for d in &a.when_not_booked {
            out.push((
                format!("not booked: {}", d.destination),
                fmt_f(d.value),
                &d.basis,
            ));
        }
        out.push((
            "scale of the DNA rates".into(),
            fmt_f(a.dna_scale.value),
            &a.dna_scale.basis,
        ));
        for d in &a.dna_rates {
            out.push((
                format!(
                    "did not attend, booked {}",
                    interval_label(d.from_days, d.to_days)
                ),
                fmt_f(d.value),
                &d.basis,
            ));
        }
        for a in &f.emergency_admission_rates {
            out.push((
                format!("emergency admissions a year, {}", a.age_band),
                fmt_f(a.value),
                &a.basis,
            ));
        }
        out.push((
            "admission ratio by frailty".into(),
            fmt_frailty(&f.frailty_admission_ratios.value),
            &f.frailty_admission_ratios.basis,
        ));
        out.push((
            "zero-day stay share".into(),
            fmt_f(f.zero_day_stay_share.value),
            &f.zero_day_stay_share.basis,
        ));
        out.push((
            "mean bed days per admission".into(),
            fmt_f(f.mean_bed_days.value),
            &f.mean_bed_days.basis,
        ));
        out.push((
            "cost of a bed day".into(),
            f.bed_day_cost.value.to_string(),
            &f.bed_day_cost.basis,
        ));
        let c = &f.care_plans;
        out.push((
            "care plan cohort share".into(),
            fmt_f(c.cohort_share.value),
            &c.cohort_share.basis,
        ));
        out.push((
            "care plan reviews a year".into(),
            fmt_f(c.reviews_per_year.value),
            &c.reviews_per_year.basis,
        ));
        out.push((
            "admission reduction with a care plan".into(),
            fmt_f(c.admission_reduction.value),
            &c.admission_reduction.basis,
        ));
        out.push((
            "reduction in requests after social prescribing".into(),
            fmt_f(f.social_prescribing_gp_reduction.value),
            &f.social_prescribing_gp_reduction.basis,
        ));
        for s in &f.staffing_per_10000 {
            out.push((
                format!("{} WTE per 10,000 patients", s.role.label()),
                fmt_f(s.value),
                &s.basis,
            ));
        }
        out
    }
}

/// An interval of days in words: `same day`, `1 day`, `2-7 days`, `29+ days`.
#[must_use]
pub(crate) fn interval_label(from: u16, to: Option<u16>) -> String {
    match to {
        Some(0) if from == 0 => "same day".to_owned(),
        Some(to) if to == from => format!("{from} day{}", if from == 1 { "" } else { "s" }),
        Some(to) => format!("{from}-{to} days"),
        None => format!("{from}+ days"),
    }
}

fn fmt_f(value: f64) -> String {
    format!("{value}")
}

fn fmt_frailty(v: &ByFrailty<f64>) -> String {
    format!(
        "fit {}, mild {}, moderate {}, severe {}",
        v.fit, v.mild, v.moderate, v.severe
    )
}

/// `ratios[frailty]` divided by the share-weighted mean ratio, so that the age band's
/// average rate is kept whatever the ratios.
fn relative_to_mean(ratios: &ByFrailty<f64>, shares: &ByFrailty<f64>, frailty: FrailtyBand) -> f64 {
    let mean: f64 = FrailtyBand::ALL
        .iter()
        .map(|f| ratios.get(*f) * shares.get(*f))
        .sum();
    ratios.get(frailty) / mean
}

struct Checker;

impl Checker {
    fn basis(name: &str, basis: &Basis) -> Result<(), SimError> {
        if basis_text(basis).trim().is_empty() {
            return Err(SimError::MissingSource {
                name: name.to_owned(),
            });
        }
        Ok(())
    }

    fn range(
        name: &str,
        value: f64,
        low: f64,
        high: f64,
        expected: &'static str,
    ) -> Result<(), SimError> {
        if !(value.is_finite() && value >= low && value <= high) {
            return Err(SimError::ParameterOutOfRange {
                name: name.to_owned(),
                value,
                expected,
            });
        }
        Ok(())
    }

    fn share(name: &str, value: f64) -> Result<(), SimError> {
        Self::range(name, value, 0.0, 1.0, "between 0 and 1")
    }

    fn rate(name: &str, value: f64) -> Result<(), SimError> {
        Self::range(name, value, 0.0, 1.0e6, "a finite number of 0 or more")
    }

    fn sums_to_one(table: &'static str, sum: f64) -> Result<(), SimError> {
        if (sum - 1.0).abs() > 1e-6 {
            return Err(SimError::SharesDoNotAddUp { table, sum });
        }
        Ok(())
    }

    fn by_age(table: &'static str, values: &[AgeValue]) -> Result<[f64; 8], SimError> {
        let mut out = [0.0; 8];
        for band in AgeBand::ALL {
            let found: Vec<&AgeValue> = values.iter().filter(|v| v.age_band == band).collect();
            let [entry] = found.as_slice() else {
                return Err(SimError::TableEntry {
                    table,
                    key: band.label().to_owned(),
                    found: found.len(),
                });
            };
            let name = format!("{table}[{band}]");
            Self::basis(&name, &entry.basis)?;
            Self::rate(&name, entry.value)?;
            out[band.index()] = entry.value;
        }
        Ok(out)
    }

    fn frailty(name: &str, values: &Sourced<ByFrailty<f64>>, share: bool) -> Result<(), SimError> {
        Self::basis(name, &values.basis)?;
        for f in FrailtyBand::ALL {
            let n = format!("{name}[{}]", f.label());
            if share {
                Self::share(&n, values.value.get(f))?;
            } else {
                Self::range(
                    &n,
                    values.value.get(f),
                    1e-9,
                    1.0e6,
                    "a finite number above 0",
                )?;
            }
        }
        Ok(())
    }
}

impl Checker {
    fn intervals(
        table: &'static str,
        values: &[crate::IntervalValue],
        shares: bool,
    ) -> Result<(), SimError> {
        let mut next = values.first().map_or(0, |v| v.from_days);
        for (i, v) in values.iter().enumerate() {
            let name = format!("{table}[{}]", interval_label(v.from_days, v.to_days));
            Self::basis(&name, &v.basis)?;
            Self::share(&name, v.value)?;
            let last = i + 1 == values.len();
            let ordered = v.from_days == next
                && v.to_days
                    .is_none_or(|to| to >= v.from_days && to <= MAX_LEAD_DAYS)
                && (v.to_days.is_some() || last)
                && (shares || i > 0 || v.from_days == 0);
            if !ordered {
                return Err(SimError::ParameterOutOfRange {
                    name,
                    value: f64::from(v.from_days),
                    expected: "intervals that run on from one another without gaps, the first from day 0 for DNA rates, only the last open-ended, none past 365 days",
                });
            }
            next = v.to_days.map_or(u16::MAX, |to| to + 1);
        }
        if values.is_empty() {
            return Err(SimError::TableEntry {
                table,
                key: "any interval".to_owned(),
                found: 0,
            });
        }
        if shares {
            if values.iter().any(|v| v.to_days.is_none()) {
                return Err(SimError::ParameterOutOfRange {
                    name: table.to_owned(),
                    value: 0.0,
                    expected: "preferred lead times with a last day in every interval",
                });
            }
            Self::sums_to_one(table, values.iter().map(|v| v.value).sum())?;
        }
        Ok(())
    }

    fn access(a: &AccessParameters) -> Result<AccessTables, SimError> {
        Self::basis("access.demand_scale", &a.demand_scale.basis)?;
        Self::range(
            "access.demand_scale",
            a.demand_scale.value,
            1e-6,
            1.0e3,
            "above 0",
        )?;
        let female_ratio = Self::by_age(
            "access.female_consultation_ratios",
            &a.female_consultation_ratios,
        )?;
        Self::basis("access.same_day_share", &a.same_day_share.basis)?;
        Self::share("access.same_day_share", a.same_day_share.value)?;
        Self::basis("access.navigation_scale", &a.navigation_scale.basis)?;
        Self::range(
            "access.navigation_scale",
            a.navigation_scale.value,
            0.0,
            10.0,
            "between 0 and 10",
        )?;
        Self::basis(
            "access.acceptable_delay_days",
            &a.acceptable_delay_days.basis,
        )?;
        Self::range(
            "access.acceptable_delay_days",
            f64::from(a.acceptable_delay_days.value),
            0.0,
            f64::from(MAX_LEAD_DAYS),
            "between 0 and 365 days",
        )?;
        Self::basis("access.later_booking_share", &a.later_booking_share.basis)?;
        Self::share("access.later_booking_share", a.later_booking_share.value)?;
        Self::intervals("access.lead_time_shares", &a.lead_time_shares, true)?;
        Self::intervals("access.dna_rates", &a.dna_rates, false)?;
        Self::basis("access.dna_scale", &a.dna_scale.basis)?;
        Self::range(
            "access.dna_scale",
            a.dna_scale.value,
            0.0,
            10.0,
            "between 0 and 10",
        )?;
        let mut elsewhere = [0.0; 6];
        for to in Elsewhere::ALL {
            let found: Vec<_> = a
                .when_not_booked
                .iter()
                .filter(|d| d.destination == to)
                .collect();
            let [entry] = found.as_slice() else {
                return Err(SimError::TableEntry {
                    table: "access.when_not_booked",
                    key: to.label().to_owned(),
                    found: found.len(),
                });
            };
            let name = format!("access.when_not_booked[{to}]");
            Self::basis(&name, &entry.basis)?;
            Self::share(&name, entry.value)?;
            elsewhere[to.index()] = entry.value;
        }
        Self::sums_to_one("access.when_not_booked", elsewhere.iter().sum())?;
        let lead = a
            .lead_time_shares
            .iter()
            .map(|l| (l.from_days, l.to_days.unwrap_or(l.from_days), l.value))
            .collect();
        let last = a
            .dna_rates
            .iter()
            .map(|d| d.to_days.unwrap_or(d.from_days))
            .max()
            .unwrap_or(0);
        let dna_by_day = (0..=last)
            .map(|day| {
                a.dna_rates
                    .iter()
                    .find(|d| d.contains(day))
                    .map_or(0.0, |d| (d.value * a.dna_scale.value).min(1.0))
            })
            .collect();
        Ok(AccessTables {
            female_ratio,
            lead,
            elsewhere,
            dna_by_day,
        })
    }
}

fn published_catalogue() -> Result<PathwayCatalogue, SimError> {
    Ok(PathwayCatalogue::from_json(PUBLISHED_CATALOGUE)?)
}

/// Routes a representative request (an adult registered in the network, with the
/// option's reason, on the first day of the year) through the catalogue and checks
/// that it reaches the option's role.
fn link(
    catalogue: &PathwayCatalogue,
    year: FinancialYear,
    need: Need,
    role: Role,
    route: Access,
    reason: Option<SnomedCode>,
) -> Result<Option<CataloguePathway>, SimError> {
    let Some(entry) = route.referral_route() else {
        return Ok(None);
    };
    let reason = reason.ok_or(SimError::MissingReason { need, route })?;
    let request = ReferralRequest {
        patient: PatientFacts {
            age: PatientAge::Years(REPRESENTATIVE_AGE),
            registered_practice: None,
            registered_network: Some(catalogue.network()),
            conditions: Vec::new(),
        },
        reason,
        route: entry,
        date: year.first_day(),
        red_flags: Vec::new(),
    };
    let routed = catalogue.route(&request)?;
    let definition = catalogue.pathway(routed.pathway());
    match routed.destination() {
        Destination::TeamRole { role: to } if to == role => Ok(Some(CataloguePathway {
            id: routed.pathway(),
            code: definition.map(|d| d.code.to_string()).unwrap_or_default(),
            name: definition.map(|d| d.name.clone()).unwrap_or_default(),
            target_days: routed.target().days,
        })),
        other => Err(SimError::CatalogueDisagrees {
            need,
            route,
            role,
            destination: format!("{other:?}"),
        }),
    }
}

/// The age of the representative request routed through the catalogue: an adult,
/// since the network's direct access and social prescribing pathways are for adults
/// (england.nhs.uk first contact physiotherapists: "all adults").
const REPRESENTATIVE_AGE: u8 = 47;

/// The routes of every need, as checked: the options, and each option's (and its
/// referral on's) pathway in the referral catalogue, by need.
struct CheckedRoutes {
    routes: Vec<Vec<RouteOption>>,
    links: Vec<Vec<Option<CataloguePathway>>>,
    onward_links: Vec<Vec<Option<CataloguePathway>>>,
}

/// The steps of [`Parameters::checked`], one table each.
impl Checker {
    /// The bank holidays fall in the year; the leave share is sourced and at most
    /// one half.
    fn calendar(file: &ParameterFile) -> Result<(), SimError> {
        let year = file.financial_year;
        Checker::basis("bank_holidays", &file.bank_holidays.basis)?;
        if let Some(date) = file
            .bank_holidays
            .value
            .iter()
            .find(|d| !year.contains(**d))
        {
            return Err(SimError::BankHolidayOutsideYear { date: *date, year });
        }
        Checker::basis("leave_share", &file.leave_share.basis)?;
        Checker::range(
            "leave_share",
            file.leave_share.value,
            0.0,
            0.5,
            "between 0 and 0.5",
        )?;

        Ok(())
    }

    /// The frailty shares sum to one; the consultation and admission ratios by
    /// frailty are sourced and positive.
    fn frailty_tables(file: &ParameterFile) -> Result<(), SimError> {
        Checker::frailty("frailty_shares", &file.frailty_shares, true)?;
        let v = file.frailty_shares.value;
        Checker::sums_to_one("frailty_shares", v.fit + v.mild + v.moderate + v.severe)?;
        Checker::frailty(
            "frailty_consultation_ratios",
            &file.frailty_consultation_ratios,
            false,
        )?;
        Checker::frailty(
            "frailty_admission_ratios",
            &file.frailty_admission_ratios,
            false,
        )?;

        Ok(())
    }

    /// One sourced share for each need but care plan reviews (which arise from the
    /// plans), summing to one.
    fn need_shares(file: &ParameterFile) -> Result<[f64; 7], SimError> {
        let mut need_share = [0.0; 7];
        for need in Need::ALL {
            let found: Vec<&NeedShare> =
                file.need_shares.iter().filter(|n| n.need == need).collect();
            let expected = usize::from(need != Need::CarePlanReview);
            if found.len() != expected {
                return Err(SimError::TableEntry {
                    table: "need_shares",
                    key: need.label().to_owned(),
                    found: found.len(),
                });
            }
            if let Some(entry) = found.first() {
                let name = format!("need_shares[{need}]");
                Checker::basis(&name, &entry.basis)?;
                Checker::share(&name, entry.value)?;
                need_share[need.index()] = entry.value;
            }
        }
        Checker::sums_to_one("need_shares", need_share.iter().sum())?;

        Ok(need_share)
    }

    /// Each role once, with a sourced capacity, booking horizon and cost in range.
    fn roles(file: &ParameterFile) -> Result<BTreeMap<Role, RoleParameters>, SimError> {
        let mut roles = BTreeMap::new();
        for r in &file.roles {
            let label = r.role.name();
            Checker::basis(
                &format!("roles[{label}].appointments_per_fte_year"),
                &r.appointments_per_fte_year.basis,
            )?;
            Checker::range(
                &format!("roles[{label}].appointments_per_fte_year"),
                r.appointments_per_fte_year.value,
                0.0,
                20_000.0,
                "between 0 and 20,000",
            )?;
            Checker::basis(
                &format!("roles[{label}].booking_horizon_days"),
                &r.booking_horizon_days.basis,
            )?;
            Checker::range(
                &format!("roles[{label}].booking_horizon_days"),
                f64::from(r.booking_horizon_days.value),
                1.0,
                f64::from(MAX_LEAD_DAYS),
                "between 1 and 365 days",
            )?;
            Checker::basis(
                &format!("roles[{label}].cost_per_wte_year"),
                &r.cost_per_wte_year.basis,
            )?;
            if r.cost_per_wte_year.value.is_negative() {
                return Err(SimError::ParameterOutOfRange {
                    name: format!("roles[{label}].cost_per_wte_year"),
                    value: r.cost_per_wte_year.value.pence() as f64,
                    expected: "0 or more pence",
                });
            }
            if roles.insert(r.role, r.clone()).is_some() {
                return Err(SimError::TableEntry {
                    table: "roles",
                    key: label.to_owned(),
                    found: 2,
                });
            }
        }

        Ok(roles)
    }

    /// One route list for each need, ending with a fallback that takes every request
    /// left, to roles that have parameters, each option linked to its pathway in the
    /// referral catalogue.
    fn routes(
        file: &ParameterFile,
        roles: &BTreeMap<Role, RoleParameters>,
        catalogue: &PathwayCatalogue,
    ) -> Result<CheckedRoutes, SimError> {
        let year = file.financial_year;
        let mut routes = vec![Vec::new(); Need::ALL.len()];
        let mut links = vec![Vec::new(); Need::ALL.len()];
        let mut onward_links = vec![Vec::new(); Need::ALL.len()];
        for need in Need::ALL {
            let found: Vec<&NeedRoutes> = file.routes.iter().filter(|r| r.need == need).collect();
            let [entry] = found.as_slice() else {
                return Err(SimError::TableEntry {
                    table: "routes",
                    key: need.label().to_owned(),
                    found: found.len(),
                });
            };
            match entry.options.last() {
                Some(last) if last.share >= 1.0 => {}
                _ => return Err(SimError::RouteWithoutFallback { need }),
            }
            for (i, option) in entry.options.iter().enumerate() {
                let name = format!("routes[{need}][{i}]");
                Checker::basis(&name, &option.basis)?;
                Checker::share(&name, option.share)?;
                if !roles.contains_key(&option.role) {
                    return Err(SimError::RoleWithoutParameters {
                        need,
                        role: option.role,
                    });
                }
                if let Some(onward) = &option.onward {
                    Checker::basis(&format!("{name}.onward"), &onward.basis)?;
                    Checker::share(&format!("{name}.onward"), onward.share)?;
                    if !roles.contains_key(&onward.role) {
                        return Err(SimError::RoleWithoutParameters {
                            need,
                            role: onward.role,
                        });
                    }
                }
            }
            let mut option_links = Vec::new();
            let mut option_onward = Vec::new();
            for option in &entry.options {
                option_links.push(link(
                    catalogue,
                    year,
                    need,
                    option.role,
                    option.route,
                    option.reason,
                )?);
                option_onward.push(match &option.onward {
                    Some(on) => link(catalogue, year, need, on.role, on.route, on.reason)?,
                    None => None,
                });
            }
            links[need.index()] = option_links;
            onward_links[need.index()] = option_onward;
            routes[need.index()] = entry.options.clone();
        }

        Ok(CheckedRoutes {
            routes,
            links,
            onward_links,
        })
    }

    /// Deprivation: sourced, published admissions and fitted ratios positive, the
    /// tenths' score cuts falling from the most deprived.
    fn deprivation(d: &DeprivationParameters) -> Result<(), SimError> {
        let name = "emergency_admissions_by_deprivation";
        Checker::basis(
            &format!("{name}.observed_admissions"),
            &d.observed_admissions.basis,
        )?;
        Checker::basis(&format!("{name}.score_cuts"), &d.score_cuts.basis)?;
        Checker::basis(
            &format!("{name}.admission_ratios"),
            &d.admission_ratios.basis,
        )?;
        for (t, v) in d.observed_admissions.value.iter().enumerate() {
            Checker::range(
                &format!("{name}.observed_admissions[{t}]"),
                *v,
                1e-9,
                10.0,
                "above 0 and at most 10 a person a year",
            )?;
        }
        for (t, v) in d.admission_ratios.value.iter().enumerate() {
            Checker::range(
                &format!("{name}.admission_ratios[{t}]"),
                *v,
                1e-9,
                10.0,
                "above 0 and at most 10",
            )?;
        }
        let cuts = &d.score_cuts.value;
        for (t, v) in cuts.iter().enumerate() {
            let above = if t == 0 { f64::INFINITY } else { cuts[t - 1] };
            Checker::range(
                &format!("{name}.score_cuts[{t}]"),
                *v,
                0.0,
                above,
                "at least 0 and no more than the cut before it",
            )?;
        }
        Ok(())
    }

    /// Zero-day stays, mean bed days and the bed day cost, sourced and in range.
    fn hospital_stays(file: &ParameterFile) -> Result<(), SimError> {
        Checker::basis("zero_day_stay_share", &file.zero_day_stay_share.basis)?;
        Checker::range(
            "zero_day_stay_share",
            file.zero_day_stay_share.value,
            0.0,
            0.99,
            "between 0 and 0.99",
        )?;
        Checker::basis("mean_bed_days", &file.mean_bed_days.basis)?;
        let floor = 1.0 - file.zero_day_stay_share.value;
        Checker::range(
            "mean_bed_days",
            file.mean_bed_days.value,
            floor,
            365.0,
            "at least 1 - zero_day_stay_share (every stay that is not zero-day lasts a day or more) and at most 365",
        )?;
        Checker::basis("bed_day_cost", &file.bed_day_cost.basis)?;
        if file.bed_day_cost.value.is_negative() {
            return Err(SimError::ParameterOutOfRange {
                name: "bed_day_cost".into(),
                value: file.bed_day_cost.value.pence() as f64,
                expected: "0 or more pence",
            });
        }
        Ok(())
    }

    /// The care plan cohort, reviews and admission reduction, and the social
    /// prescribing reduction of GP requests, sourced and in range.
    fn care_plans(file: &ParameterFile) -> Result<(), SimError> {
        let c = &file.care_plans;
        Checker::basis("care_plans.cohort_share", &c.cohort_share.basis)?;
        Checker::share("care_plans.cohort_share", c.cohort_share.value)?;
        Checker::basis("care_plans.reviews_per_year", &c.reviews_per_year.basis)?;
        Checker::range(
            "care_plans.reviews_per_year",
            c.reviews_per_year.value,
            0.0,
            365.0,
            "between 0 and 365",
        )?;
        Checker::basis(
            "care_plans.admission_reduction",
            &c.admission_reduction.basis,
        )?;
        Checker::share(
            "care_plans.admission_reduction",
            c.admission_reduction.value,
        )?;

        Checker::basis(
            "social_prescribing_gp_reduction",
            &file.social_prescribing_gp_reduction.basis,
        )?;
        Checker::share(
            "social_prescribing_gp_reduction",
            file.social_prescribing_gp_reduction.value,
        )?;
        Ok(())
    }

    /// Staffing per 10,000 people for roles that have parameters, sourced and in
    /// range.
    fn staffing(
        file: &ParameterFile,
        roles: &BTreeMap<Role, RoleParameters>,
    ) -> Result<(), SimError> {
        for s in &file.staffing_per_10000 {
            let name = format!("staffing_per_10000[{}]", s.role.name());
            Checker::basis(&name, &s.basis)?;
            Checker::range(&name, s.value, 0.0, 1000.0, "between 0 and 1000")?;
            if !roles.contains_key(&s.role) {
                return Err(SimError::StaffWithoutParameters { role: s.role });
            }
        }

        Ok(())
    }
}

impl TryFrom<ParameterFile> for Parameters {
    type Error = SimError;

    fn try_from(file: ParameterFile) -> Result<Self, SimError> {
        Self::checked(file, &published_catalogue()?)
    }
}

impl Parameters {
    /// Checks every figure of a parameter file and builds the tables the engine
    /// reads, step by step: the calendar, the consultation and admission rates, the
    /// frailty tables, the needs' shares, the roles, access, the routes (linked to
    /// the referral catalogue), hospital stays, care plans and staffing.
    fn checked(file: ParameterFile, catalogue: &PathwayCatalogue) -> Result<Self, SimError> {
        Checker::calendar(&file)?;
        let consultation_rate = Checker::by_age("consultation_rates", &file.consultation_rates)?;
        let admission_rate =
            Checker::by_age("emergency_admission_rates", &file.emergency_admission_rates)?;
        Checker::frailty_tables(&file)?;
        let need_share = Checker::need_shares(&file)?;
        let roles = Checker::roles(&file)?;
        let access = Checker::access(&file.access)?;
        let CheckedRoutes {
            routes,
            links,
            onward_links,
        } = Checker::routes(&file, &roles, catalogue)?;
        Checker::hospital_stays(&file)?;
        Checker::deprivation(&file.emergency_admissions_by_deprivation)?;
        Checker::care_plans(&file)?;
        Checker::staffing(&file, &roles)?;

        Ok(Self {
            file,
            consultation_rate,
            admission_rate,
            need_share,
            routes,
            roles,
            access,
            catalogue: catalogue.definition().clone(),
            links,
            onward_links,
        })
    }
}

impl Parameters {
    /// The same parameters with the fitted figures of a calibration step changed:
    /// the demand scale, the same-day share, the preferred lead-time shares (in
    /// interval order), the DNA scale, GP capacity per WTE and the capacity per WTE
    /// of every other role whose figure is fitted.
    pub(crate) fn with_fit(&self, fit: &crate::calibration::Fit) -> Result<Self, SimError> {
        let mut file = self.file.clone();
        file.access.demand_scale.value = fit.demand_scale;
        file.access.same_day_share.value = fit.same_day_share;
        for (l, share) in file
            .access
            .lead_time_shares
            .iter_mut()
            .zip(&fit.lead_shares)
        {
            l.value = *share;
        }
        file.access.dna_scale.value = fit.dna_scale;
        file.access.navigation_scale.value = fit.navigation_scale;
        for r in &mut file.roles {
            if !r.appointments_per_fte_year.basis.is_fitted() {
                continue;
            }
            r.appointments_per_fte_year.value = if r.role == Role::Gp {
                fit.gp_per_fte
            } else {
                fit.other_per_fte
            };
        }
        Self::checked(file, &published_catalogue()?)
    }
}

impl From<Parameters> for ParameterFile {
    fn from(parameters: Parameters) -> Self {
        parameters.file
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_published_parameters_load_and_cite_every_figure() {
        let p = Parameters::published().unwrap();
        let citations = p.citations();
        assert!(citations.len() > 60);
        assert!(citations.iter().all(|(_, _, b)| !basis_text(b).is_empty()));
        // The care plan effect is an aim, and says so.
        assert!(p.care_plans().admission_reduction.basis.is_assumption());
        // GP capacity is fitted to the published appointment statistics, and says so.
        let gp = p.role(Role::Gp).unwrap();
        assert!(gp.appointments_per_fte_year.basis.is_fitted());
        assert!(p.access().demand_scale.basis.is_fitted());
        // Every assumption about access carries a range for the sensitivity table.
        assert!(
            p.access().later_booking_share.range.is_some()
                || !p.access().later_booking_share.basis.is_assumption()
        );
    }

    #[test]
    fn the_band_average_survives_frailty_ratios() {
        let p = Parameters::published().unwrap();
        let s = p.frailty_shares();
        let mean: f64 = FrailtyBand::ALL
            .iter()
            .map(|f| s.get(*f) * p.frailty_admission_factor(*f))
            .sum();
        assert!((mean - 1.0).abs() < 1e-12);
        assert!(
            p.frailty_admission_factor(FrailtyBand::Severe)
                > p.frailty_admission_factor(FrailtyBand::Fit)
        );
    }

    fn edited(edit: impl FnOnce(&mut serde_json::Value)) -> Result<Parameters, SimError> {
        let mut v: serde_json::Value = serde_json::from_str(PUBLISHED).unwrap();
        edit(&mut v);
        Parameters::from_json(&v.to_string())
    }

    #[test]
    fn a_figure_without_a_source_is_rejected() {
        let err = edited(|v| v["leave_share"]["source"] = "".into()).unwrap_err();
        assert_eq!(
            err,
            SimError::MissingSource {
                name: "leave_share".into()
            }
        );
    }

    #[test]
    fn lead_times_that_leave_a_gap_are_rejected() {
        let err =
            edited(|v| v["access"]["lead_time_shares"][1]["from_days"] = 3.into()).unwrap_err();
        assert!(matches!(err, SimError::ParameterOutOfRange { .. }), "{err}");
        assert!(err.to_string().contains("access.lead_time_shares"), "{err}");
    }

    #[test]
    fn destinations_that_do_not_add_up_are_rejected() {
        let err = edited(|v| v["access"]["when_not_booked"][0]["value"] = 0.9.into()).unwrap_err();
        assert!(
            matches!(
                err,
                SimError::SharesDoNotAddUp {
                    table: "access.when_not_booked",
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn referral_routes_go_through_the_catalogue() {
        let p = Parameters::published().unwrap();
        let msk = p.catalogue_pathway(Need::Musculoskeletal, 0).unwrap();
        assert_eq!(msk.code, "msk-first-contact-physiotherapy");
        assert_eq!(msk.target_days, 14);
        assert!(
            p.catalogue_pathway(Need::Musculoskeletal, 2).is_none(),
            "booked GP"
        );
        let onward = p.onward_pathway(Need::SocialWellbeing, 2).unwrap();
        assert_eq!(onward.code, "social-prescribing");
        // A reason the catalogue sends elsewhere is refused at load.
        let err =
            edited(|v| v["routes"][2]["options"][0]["reason"] = "182836005".into()).unwrap_err();
        assert!(
            matches!(
                err,
                SimError::CatalogueDisagrees {
                    need: Need::Musculoskeletal,
                    ..
                }
            ),
            "{err}"
        );
        let err = edited(|v| {
            if let Some(o) = v["routes"][2]["options"][0].as_object_mut() {
                o.remove("reason");
            }
        })
        .unwrap_err();
        assert_eq!(
            err,
            SimError::MissingReason {
                need: Need::Musculoskeletal,
                route: Access::DirectAccess
            }
        );
    }

    #[test]
    fn shares_that_do_not_add_up_are_rejected() {
        let err = edited(|v| v["need_shares"][0]["value"] = 0.5.into()).unwrap_err();
        assert!(
            matches!(
                err,
                SimError::SharesDoNotAddUp {
                    table: "need_shares",
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn a_negative_rate_is_rejected_with_its_name() {
        let err = edited(|v| v["consultation_rates"][7]["value"] = (-1.0).into()).unwrap_err();
        assert!(err.to_string().contains("consultation_rates[85+]"), "{err}");
    }

    #[test]
    fn a_route_to_a_role_without_parameters_is_rejected() {
        let err =
            edited(|v| v["routes"][0]["options"][0]["role"] = "dietitian".into()).unwrap_err();
        assert_eq!(
            err,
            SimError::RoleWithoutParameters {
                need: Need::AcuteIllness,
                role: Role::Dietitian
            }
        );
    }

    #[test]
    fn deprivation_cuts_that_rise_or_ratios_that_are_not_positive_are_rejected() {
        let name = "emergency_admissions_by_deprivation";
        let err = edited(|v| v[name]["score_cuts"]["value"][3] = 99.0.into()).unwrap_err();
        assert!(err.to_string().contains("score_cuts[3]"), "{err}");
        let err = edited(|v| v[name]["admission_ratios"]["value"][0] = 0.0.into()).unwrap_err();
        assert!(err.to_string().contains("admission_ratios[0]"), "{err}");
        let err = edited(|v| v[name]["observed_admissions"]["source"] = "".into()).unwrap_err();
        assert!(err.to_string().contains("observed_admissions"), "{err}");
    }

    #[test]
    fn a_bank_holiday_outside_the_year_is_rejected() {
        let err = edited(|v| v["bank_holidays"]["value"][0] = "2023-12-25".into()).unwrap_err();
        assert!(
            matches!(err, SimError::BankHolidayOutsideYear { .. }),
            "{err}"
        );
    }

    #[test]
    fn a_missing_age_band_is_rejected() {
        let err = edited(|v| {
            if let Some(a) = v["consultation_rates"].as_array_mut() {
                a.pop();
            }
        })
        .unwrap_err();
        assert_eq!(
            err,
            SimError::TableEntry {
                table: "consultation_rates",
                key: "85+".into(),
                found: 0
            }
        );
    }

    #[test]
    fn routes_must_end_with_a_fallback() {
        let err = edited(|v| v["routes"][0]["options"][3]["share"] = 0.5.into()).unwrap_err();
        assert_eq!(
            err,
            SimError::RouteWithoutFallback {
                need: Need::AcuteIllness
            }
        );
    }
}
