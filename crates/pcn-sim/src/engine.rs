//! The network year, simulated day by day.

use std::collections::HashSet;

use chrono::{Datelike, Weekday};
use pcn_core::{Money, NetworkId, PatientId, Rate, Role, Wte, YearMonth};
use pcn_population::{CohortPipeline, CohortSize, PopulationGenerator, RiskProfile, Stratifier};
use rand::Rng;
use rand_distr::{Distribution, Geometric, Poisson};
use serde::{Deserialize, Serialize};

use crate::access::{Elsewhere, ElsewhereCounts};
use crate::budget::{Budget, BudgetLine, CostLine};
use crate::deprivation::NetworkDeprivation;
use crate::establishment::wte_for;
use crate::outcome::{Pathway, PathwayYear, RoleYear, YearOutcome};
use crate::population::{MAX_NETWORK_SIZE, admission_risk, binomial, to_u32, to_u64};
use crate::run::Purpose;
use crate::{
    Access, Establishment, Need, Parameters, PopulationCounts, RunId, Scenario, SimError, Stratum,
};

/// What the simulation needs to know about one network: its name, its registered
/// patients (`pcn-population`'s compact [`RiskProfile`], 32 bytes a person) and its
/// staff in post.
///
/// A scenario's care plans go to the cohort `pcn-population`'s [`CohortPipeline`]
/// selects (the top share of adults by risk, "at least 2 % of adults" by default:
/// avoiding unplanned admissions enhanced service, 2014).
///
/// ```
/// use pcn_sim::{NetworkInput, Parameters, Scenario};
/// let parameters = Parameters::published()?;
/// let network = NetworkInput::synthetic("Riverside PCN", 30_000, 1, &parameters)?;
/// assert_eq!(network.people(), 30_000);
/// let pch = network.population_in(&Scenario::primary_care_home(&parameters))?;
/// let adults = network.profiles().iter().filter(|p| p.age() >= 18).count() as u64;
/// assert!(pch.care_plans() * 50 >= adults); // at least 2 % of adults
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkInput {
    /// The network's id: from its ODS code for a real PCN
    /// ([`NetworkId::from_ods`]), else derived from its name.
    id: NetworkId,
    name: String,
    profiles: Vec<RiskProfile>,
    establishment: Establishment,
    #[serde(default)]
    cohort: CohortPipeline,
    /// Its patients by deprivation tenth, where its practices' scores are known;
    /// else England's average.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    deprivation: Option<NetworkDeprivation>,
}

impl NetworkInput {
    /// A network from its patients and staff, its id derived from its name
    /// ([`NetworkId::derived`]; a real PCN takes its ODS code's with
    /// [`NetworkInput::with_id`]).
    ///
    /// # Errors
    /// [`SimError::EmptyPopulation`] if there are no patients,
    /// [`SimError::PopulationTooLarge`] above [`crate::MAX_NETWORK_SIZE`].
    pub fn new(
        name: impl Into<String>,
        profiles: Vec<RiskProfile>,
        establishment: Establishment,
    ) -> Result<Self, SimError> {
        let size = profiles.len() as u64;
        if size == 0 {
            return Err(SimError::EmptyPopulation { size });
        }
        if size > MAX_NETWORK_SIZE {
            return Err(SimError::PopulationTooLarge {
                size,
                max: MAX_NETWORK_SIZE,
            });
        }
        let name = name.into();
        Ok(Self {
            id: NetworkId::derived(&name),
            name,
            profiles,
            establishment,
            cohort: CohortPipeline::default(),
            deprivation: None,
        })
    }

    /// A network of `size` synthetic patients from `pcn-population`'s generator for
    /// England (Census 2021 ages, QOF prevalence, the eFI's frailty shares), drawn
    /// from `seed`, with typical staffing ([`Establishment::typical`]).
    ///
    /// # Errors
    /// [`SimError::EmptyPopulation`] for a size of 0, [`SimError::PopulationTooLarge`]
    /// above [`crate::MAX_NETWORK_SIZE`].
    pub fn synthetic(
        name: impl Into<String>,
        size: u64,
        seed: u64,
        parameters: &Parameters,
    ) -> Result<Self, SimError> {
        if size == 0 {
            return Err(SimError::EmptyPopulation { size });
        }
        if size > MAX_NETWORK_SIZE {
            return Err(SimError::PopulationTooLarge {
                size,
                max: MAX_NETWORK_SIZE,
            });
        }
        let count = usize::try_from(size).map_err(|_| SimError::PopulationTooLarge {
            size,
            max: MAX_NETWORK_SIZE,
        })?;
        let profiles = PopulationGenerator::england(seed).profiles(count);
        let establishment = Establishment::typical(size, parameters)?;
        Self::new(name, profiles, establishment)
    }

    /// A real network from its registered patients by sex and age band (as the
    /// list-size files publish them) and its staff: each person drawn with an age in
    /// their band and the conditions and frailty `pcn-population`'s generator gives
    /// that age, from `seed`.
    ///
    /// ```
    /// use pcn_population::{ListBand, Sex};
    /// use pcn_sim::{Establishment, NetworkInput, Parameters};
    /// let parameters = Parameters::published()?;
    /// let bands = [
    ///     ListBand { sex: Sex::Female, from_age: 30, to_age: 34, people: 600 },
    ///     ListBand { sex: Sex::Male, from_age: 85, to_age: 89, people: 400 },
    /// ];
    /// let staff = Establishment::practice_staff(1_000, &parameters)?;
    /// let network = NetworkInput::from_lists("Two bands", &bands, staff, 1)?;
    /// assert_eq!(network.people(), 1_000);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`SimError::EmptyPopulation`] if the bands hold no one,
    /// [`SimError::PopulationTooLarge`] above [`crate::MAX_NETWORK_SIZE`].
    pub fn from_lists(
        name: impl Into<String>,
        bands: &[pcn_population::ListBand],
        establishment: Establishment,
        seed: u64,
    ) -> Result<Self, SimError> {
        let size: u64 = bands.iter().map(|b| u64::from(b.people)).sum();
        if size > MAX_NETWORK_SIZE {
            return Err(SimError::PopulationTooLarge {
                size,
                max: MAX_NETWORK_SIZE,
            });
        }
        let profiles = PopulationGenerator::england(seed).profiles_for(bands);
        Self::new(name, profiles, establishment)
    }

    /// The same network under another id (a real PCN's, from its ODS code): the id
    /// its unified budget's accounts and transfers are derived from.
    #[must_use]
    pub fn with_id(mut self, id: NetworkId) -> Self {
        self.id = id;
        self
    }

    /// The same network with its patients by deprivation tenth: its emergency
    /// admissions follow their tenths' ratios ([`NetworkDeprivation::admission_ratio`]).
    #[must_use]
    pub fn with_deprivation(mut self, deprivation: NetworkDeprivation) -> Self {
        self.deprivation = Some(deprivation);
        self
    }

    /// Its patients by deprivation tenth, if known.
    #[must_use]
    pub fn deprivation(&self) -> Option<&NetworkDeprivation> {
        self.deprivation.as_ref()
    }

    /// The ratio of its emergency admissions to those of people of the same age and
    /// frailty in England as a whole: 1 when its deprivation is not known.
    #[must_use]
    pub fn admission_ratio(&self, parameters: &Parameters) -> f64 {
        self.deprivation
            .as_ref()
            .map_or(1.0, |d| d.admission_ratio(parameters))
    }

    /// The network's id.
    #[must_use]
    pub fn id(&self) -> NetworkId {
        self.id
    }

    /// The same network with another cohort rule for care plans (the share is still
    /// the scenario's).
    #[must_use]
    pub fn with_cohort(mut self, cohort: CohortPipeline) -> Self {
        self.cohort = cohort;
        self
    }

    /// The network's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its registered patients.
    #[must_use]
    pub fn profiles(&self) -> &[RiskProfile] {
        &self.profiles
    }

    /// How many patients it has.
    #[must_use]
    pub fn people(&self) -> u64 {
        self.profiles.len() as u64
    }

    /// Its staff in post.
    #[must_use]
    pub fn establishment(&self) -> &Establishment {
        &self.establishment
    }

    /// The staff in post once a scenario's additions are made.
    ///
    /// # Errors
    /// [`SimError::Core`] if a WTE sum overflows.
    pub fn establishment_in(&self, scenario: &Scenario) -> Result<Establishment, SimError> {
        let mut establishment = self.establishment.clone();
        for added in scenario.added_staff() {
            establishment.add(added.role, wte_for(added.wte_per_10000, self.people()))?;
        }
        Ok(establishment)
    }

    /// The population counted by stratum under a scenario: with care plans for the
    /// cohort the network's [`CohortPipeline`] selects at the scenario's share.
    ///
    /// # Errors
    /// [`SimError::Population`] if the cohort rule is invalid.
    pub fn population_in(&self, scenario: &Scenario) -> Result<PopulationCounts, SimError> {
        let stratifier = Stratifier::new(self.cohort.rules);
        let share = scenario.care_plan_share();
        let planned: HashSet<PatientId> = if share > 0.0 {
            let millionths = to_u64((share * 1e6).round());
            let pipeline = CohortPipeline {
                size: CohortSize::TopShare(Rate::from_millionths(
                    i64::try_from(millionths).unwrap_or(1_000_000),
                )),
                ..self.cohort
            };
            pipeline
                .select(&self.profiles)?
                .members()
                .iter()
                .map(|m| m.patient)
                .collect()
        } else {
            HashSet::new()
        };
        Ok(PopulationCounts::from_profiles(
            &self.profiles,
            &planned,
            &stratifier,
        ))
    }
}

/// The days of the financial year: which are working days, and in which month each
/// falls.
struct Calendar {
    working: Vec<bool>,
    month: Vec<u8>,
    working_days: u64,
    days_in_month: [u64; 12],
}

impl Calendar {
    fn new(parameters: &Parameters) -> Self {
        let year = parameters.financial_year();
        let mut working = Vec::with_capacity(366);
        let mut month = Vec::with_capacity(366);
        let mut days_in_month = [0u64; 12];
        let mut date = year.first_day();
        while date <= year.last_day() {
            let weekday = !matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
            working.push(weekday && !parameters.bank_holidays().contains(&date));
            let m = YearMonth::containing(date)
                .financial_month_number()
                .saturating_sub(1);
            month.push(u8::try_from(m).unwrap_or(11));
            days_in_month[m as usize % 12] += 1;
            match date.succ_opt() {
                Some(next) => date = next,
                None => break,
            }
        }
        let working_days = working.iter().filter(|w| **w).count() as u64;
        Self {
            working,
            month,
            working_days,
            days_in_month,
        }
    }

    fn days(&self) -> usize {
        self.working.len()
    }
}

/// A pathway's `pcn-referral` catalogue pathway code and target wait in days.
type Link = (String, u16);

/// The pathways of the parameters' routes: one per (need, role, route), in route
/// order, with the pathway of each option and of its referral on.
struct Layout {
    pathways: Vec<Pathway>,
    links: Vec<Option<Link>>,
    option_pathway: Vec<Vec<usize>>,
    onward: Vec<Option<OnwardTo>>,
}

#[derive(Clone, Copy)]
struct OnwardTo {
    pathway: usize,
    role: Role,
    route: Access,
    share: f64,
}

impl Layout {
    fn new(parameters: &Parameters) -> Self {
        let mut pathways: Vec<Pathway> = Vec::new();
        let find_or_add = |p: Pathway, pathways: &mut Vec<Pathway>| -> usize {
            match pathways.iter().position(|q| *q == p) {
                Some(i) => i,
                None => {
                    pathways.push(p);
                    pathways.len() - 1
                }
            }
        };
        let mut option_pathway = Vec::new();
        let mut onward_specs: Vec<(usize, Pathway, f64, Option<Link>)> = Vec::new();
        let mut links: Vec<Option<Link>> = Vec::new();
        let link = |c: Option<&crate::CataloguePathway>| c.map(|c| (c.code.clone(), c.target_days));
        for need in Need::ALL {
            let mut per_option = Vec::new();
            for (k, option) in parameters.routes(need).iter().enumerate() {
                let p = Pathway {
                    need,
                    role: option.role,
                    route: option.route,
                };
                let i = find_or_add(p, &mut pathways);
                if links.len() < pathways.len() {
                    links.resize(pathways.len(), None);
                }
                if links[i].is_none() {
                    links[i] = link(parameters.catalogue_pathway(need, k));
                }
                per_option.push(i);
                if let Some(on) = &option.onward {
                    let q = Pathway {
                        need,
                        role: on.role,
                        route: on.route,
                    };
                    onward_specs.push((i, q, on.share, link(parameters.onward_pathway(need, k))));
                }
            }
            option_pathway.push(per_option);
        }
        let mut resolved = Vec::new();
        for (from, to, share, onward_link) in onward_specs {
            let j = find_or_add(to, &mut pathways);
            if links.len() < pathways.len() {
                links.resize(pathways.len(), None);
            }
            if links[j].is_none() {
                links[j] = onward_link;
            }
            resolved.push((
                from,
                OnwardTo {
                    pathway: j,
                    role: to.role,
                    route: to.route,
                    share,
                },
            ));
        }
        let mut onward = vec![None; pathways.len()];
        for (from, to) in resolved {
            if onward[from].is_none() {
                onward[from] = Some(to);
            }
        }
        Self {
            pathways,
            links,
            option_pathway,
            onward,
        }
    }
}

/// The days the diaries cover: a warm-up before the year (so that the year opens
/// with diaries already partly booked, as a practice's are), the year, and the
/// booking horizon after it.
struct DiaryCalendar {
    working: Vec<bool>,
    /// Index of the year's first day.
    first: usize,
    /// Days in the year.
    year_days: usize,
}

impl DiaryCalendar {
    fn new(parameters: &Parameters, horizon: usize) -> Self {
        let year = parameters.financial_year();
        let warm_up = horizon + 7;
        let mut working = Vec::new();
        let start = year.first_day() - chrono::Days::new(warm_up as u64);
        let end = year.last_day() + chrono::Days::new(horizon as u64 + 1);
        let mut date = start;
        let mut year_days = 0;
        while date <= end {
            let weekday = !matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
            working.push(weekday && !parameters.bank_holidays().contains(&date));
            if year.contains(date) {
                year_days += 1;
            }
            match date.succ_opt() {
                Some(next) => date = next,
                None => break,
            }
        }
        Self {
            working,
            first: warm_up,
            year_days,
        }
    }

    fn len(&self) -> usize {
        self.working.len()
    }

    fn in_year(&self, day: usize) -> bool {
        day >= self.first && day < self.first + self.year_days
    }

    fn year_days(&self) -> std::ops::Range<usize> {
        self.first..self.first + self.year_days
    }
}

/// One role's diary: the slots of each day, those still free to book ahead, and
/// those kept for on-the-day requests.
struct RoleState {
    role: Role,
    wte: Wte,
    staffed: bool,
    horizon: usize,
    capacity: Vec<u32>,
    /// Slots still free, by day and lead-time class: `free[day * classes + class]`.
    free: Vec<u32>,
    /// By day, one more than the last lead-time class with a free slot (0: none),
    /// so that a day with nothing free for a class is passed over at one look.
    open_to: Vec<u32>,
    classes: usize,
    reserve: Vec<u32>,
    offered: u64,
    used: u64,
}

impl RoleState {
    fn booked_on(&self, day: usize) -> u64 {
        // Slots booked: capacity less what is still free; kept slots not used on the
        // day are lost, so they are not counted as used.
        let k = self.classes;
        let free: u64 = self.free[day * k..(day + 1) * k]
            .iter()
            .map(|f| u64::from(*f))
            .sum();
        u64::from(self.capacity[day]) - free - u64::from(self.reserve[day])
    }
}

impl RoleState {
    /// A role's diary for the year: its slots each working day from its WTE and
    /// appointments per FTE (whole slots, the fractions carried to the next day),
    /// the day's kept slots for on-the-day requests (its expected on-the-day
    /// requests, [`expected_same_day`]) and the rest released by lead-time class in
    /// the shares patients book them.
    fn open(
        rp: &crate::parameters::RoleParameters,
        establishment: &Establishment,
        calendar: &Calendar,
        diary: &DiaryCalendar,
        access: &crate::access::AccessTables,
        same_day: &[(Role, f64)],
    ) -> Self {
        let wte = establishment.wte(rp.role);
        let per_day = f64::from(wte.hundredths()) / 100.0 * rp.appointments_per_fte_year.value
            / calendar.working_days.max(1) as f64;
        let daily_milli = to_u64((per_day * 1000.0).round());
        // Practices keep for on-the-day requests the slots they expect them to
        // need: the role's expected on-the-day requests over its slots a day.
        let reserve_share =
            same_day
                .iter()
                .find(|(role, _)| *role == rp.role)
                .map_or(0.0, |(_, expected)| {
                    if per_day > 0.0 {
                        (expected / per_day).clamp(0.0, 1.0)
                    } else {
                        0.0
                    }
                });
        let staffed = !wte.is_zero() && daily_milli > 0;
        let classes = access.lead.len().max(1);
        let mut capacity = vec![0u32; diary.len()];
        let mut free = vec![0u32; diary.len() * classes];
        let mut reserve = vec![0u32; diary.len()];
        let mut credit = 0u64;
        let mut offered = 0u64;
        for (d, working) in diary.working.iter().enumerate() {
            if !working || !staffed {
                continue;
            }
            credit += daily_milli;
            let slots = credit / 1000;
            credit %= 1000;
            let kept = to_u64((slots as f64 * reserve_share).round()).min(slots);
            capacity[d] = to_u32(slots);
            // The slots booked ahead are released for each lead-time class in
            // the shares patients book them (practices embargo slots so that
            // next-day and next-week appointments remain).
            let ahead = (slots - kept) as f64;
            let mut cumulative = 0.0;
            let mut given = 0u64;
            for (c, (_, _, share)) in access.lead.iter().enumerate() {
                cumulative += share;
                let upto = if c + 1 == classes {
                    slots - kept
                } else {
                    to_u64((ahead * cumulative).round()).min(slots - kept)
                };
                free[d * classes + c] = to_u32(upto.saturating_sub(given));
                given = given.max(upto);
            }
            reserve[d] = to_u32(kept);
            if diary.in_year(d) {
                offered += slots;
            }
        }
        let open_to = free.chunks(classes).map(open_to_of).collect();
        RoleState {
            role: rp.role,
            wte,
            staffed,
            horizon: usize::from(rp.booking_horizon_days.value),
            capacity,
            free,
            open_to,
            classes,
            reserve,
            offered,
            used: 0,
        }
    }
}

/// Shares requests that found no slot between the places they go, by sequential
/// binomial draws (a multinomial split).
struct ElsewhereSplit {
    conditional: [f64; 6],
}

impl ElsewhereSplit {
    fn new(shares: &[f64; 6]) -> Self {
        let mut conditional = [0.0; 6];
        let mut left = 1.0;
        for (i, share) in shares.iter().enumerate() {
            conditional[i] = if left > 1e-12 {
                (share / left).clamp(0.0, 1.0)
            } else {
                0.0
            };
            left -= share;
        }
        conditional[5] = 1.0;
        Self { conditional }
    }

    fn split<R: Rng + ?Sized>(&self, n: u64, into: &mut ElsewhereCounts, rng: &mut R) {
        let mut left = n;
        for to in Elsewhere::ALL {
            if left == 0 {
                break;
            }
            let k = if to.index() == 5 {
                left
            } else {
                binomial(left, self.conditional[to.index()], rng)
            };
            into.add(to, k);
            left -= k;
        }
    }
}

/// Takes up to `n` slots from `slots` in order, returning how many were taken.
fn take_from(slots: &mut [u32], n: u64) -> u64 {
    let mut got = 0;
    for slot in slots {
        if got == n {
            break;
        }
        let t = (n - got).min(u64::from(*slot));
        *slot -= to_u32(t);
        got += t;
    }
    got
}

/// One more than the last lead-time class of a day's slots with a slot free (0:
/// none free).
fn open_to_of(day: &[u32]) -> u32 {
    day.iter()
        .rposition(|f| *f > 0)
        .map_or(0, |c| to_u32(c as u64 + 1))
}

/// The share of a need's requests still unplaced that `option` takes: all of them
/// at the last option open; a booked option of a role other than GPs at the care
/// navigation scale; else the option's own share.
fn option_share(option: &crate::parameters::RouteOption, last: bool, navigation: f64) -> f64 {
    if last {
        1.0
    } else if option.route == Access::Booked && option.role != Role::Gp {
        (option.share * navigation).min(1.0)
    } else {
        option.share
    }
}

/// Up to this many requests, each request's lead-time interval is drawn on its own
/// (one uniform draw each) rather than by a binomial draw per interval: measured
/// on the real PCN's year (batches of 24, 48, 96, 200, 500 and 2,000 tried), the
/// fastest.
const CATEGORICAL_BATCH: u64 = 200;

/// The most lead-time intervals drawn one request at a time.
const LEAD_CLASSES: usize = 8;

/// The cumulative shares of the lead-time intervals but the last, scaled to 2^32
/// (a share to within 2^-32, far finer than any published share): a uniform 32-bit
/// draw's interval is the number of cuts it reaches. Unused cuts are 2^32, which no
/// draw reaches, so that every cut is compared whatever the number of intervals.
///
/// A table by the draw's top byte gives the interval at once where the byte's
/// 2^24 draws all lie in one interval; only draws in a byte that a cut splits
/// (at most one byte a cut) compare against the cuts.
#[derive(Debug, Clone, Copy)]
struct LeadCuts {
    cuts: [u64; LEAD_CLASSES - 1],
    /// The interval of every draw with this top byte, or [`SPLIT_BYTE`].
    by_top_byte: [u8; 256],
}

/// In [`LeadCuts::by_top_byte`]: a cut falls inside the byte's draws.
const SPLIT_BYTE: u8 = u8::MAX;

impl LeadCuts {
    /// The cuts of the intervals' shares; `None` for no interval or more than
    /// [`LEAD_CLASSES`].
    fn new(lead: &[(u16, u16, f64)]) -> Option<Self> {
        if lead.is_empty() || lead.len() > LEAD_CLASSES {
            return None;
        }
        let mut cuts = [1u64 << 32; LEAD_CLASSES - 1];
        let mut cumulative = 0.0;
        for (cut, (_, _, share)) in cuts.iter_mut().zip(&lead[..lead.len() - 1]) {
            cumulative += share;
            // A share in [0, 1]: the product is in [0, 2^32].
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let scaled = (cumulative.clamp(0.0, 1.0) * 4_294_967_296.0) as u64;
            *cut = scaled;
        }
        let mut by_top_byte = [SPLIT_BYTE; 256];
        for (byte, class) in (0u64..).zip(by_top_byte.iter_mut()) {
            let (first, last) = (byte << 24, ((byte + 1) << 24) - 1);
            let of = |u: u64| cuts.iter().filter(|cut| u >= **cut).count();
            if of(first) == of(last) {
                // At most LEAD_CLASSES - 1 cuts: the count fits a byte.
                #[allow(clippy::cast_possible_truncation)]
                let fits = of(first) as u8;
                *class = fits;
            }
        }
        Some(Self { cuts, by_top_byte })
    }

    /// The interval of a uniform 32-bit draw `u`.
    fn class(&self, u: u32) -> usize {
        match self.by_top_byte[(u >> 24) as usize] {
            SPLIT_BYTE => {
                let u = u64::from(u);
                self.cuts.iter().filter(|cut| u >= **cut).count()
            }
            class => usize::from(class),
        }
    }

    /// The counts by interval of `n` requests (at most [`CATEGORICAL_BATCH`]), two
    /// from each 64-bit draw of `rng`, one from each half. The counts are kept as
    /// eight 8-bit fields of one word (each count is at most 200).
    fn counts(&self, n: u64, rng: &mut impl Rng) -> [u64; LEAD_CLASSES] {
        debug_assert!(n <= CATEGORICAL_BATCH);
        let (mut high_counts, mut low_counts) = (0u64, 0u64);
        for _ in 0..n / 2 {
            let u: u64 = rng.random();
            #[allow(clippy::cast_possible_truncation)]
            let (high, low) = ((u >> 32) as u32, u as u32);
            high_counts += 1 << (8 * self.class(high));
            low_counts += 1 << (8 * self.class(low));
        }
        if n % 2 == 1 {
            let u: u64 = rng.random();
            #[allow(clippy::cast_possible_truncation)]
            let high = (u >> 32) as u32;
            high_counts += 1 << (8 * self.class(high));
        }
        let mut counts = [0u64; LEAD_CLASSES];
        for (i, count) in counts.iter_mut().enumerate() {
            *count = ((high_counts >> (8 * i)) & 0xff) + ((low_counts >> (8 * i)) & 0xff);
        }
        counts
    }
}

/// Books requests into diaries and records what became of them.
struct Booking<'a> {
    access: &'a crate::access::AccessTables,
    layout: &'a Layout,
    diary: &'a DiaryCalendar,
    /// What became of each pathway's requests.
    pathways: Vec<PathwayYear>,
    later_share: f64,
    delay: usize,
    elsewhere: ElsewhereSplit,
    rng: rand_pcg::Pcg64,
    /// Reused buffers of lead-time classes and of slots placed.
    lead_buffer: Vec<(usize, u16, u16, u64)>,
    /// The lead-time intervals' cuts for small batches.
    lead_cuts: Option<LeadCuts>,
    placed: Vec<(usize, u64)>,
    /// People seen by a link worker through social prescribing so far.
    socially_prescribed: u64,
    /// Referrals on, by the day of the appointment that makes them:
    /// (from pathway, to pathway, count).
    onward: Vec<Vec<(usize, usize, u64)>>,
    /// Appointments held and not referred on, by pathway and days waited: whether
    /// each was attended is drawn once at the year's end ([`Booking::close`]).
    not_referred_on: Vec<Vec<u64>>,
    /// Requests that found no slot, by pathway: where they went is drawn once at
    /// the year's end.
    unbooked: Vec<u64>,
}

impl Booking<'_> {
    /// Takes up to `n` slots on `day`, returning how many were taken: for requests
    /// booked ahead, the slots released for their lead-time class and then those
    /// held for longer lead times still free (practices embargo slots for booking
    /// further ahead and release them as the day comes nearer, so a slot kept for
    /// booking a fortnight ahead and still free in the last week is offered to
    /// those booking a week ahead; never the other way); on the day, the kept slots
    /// first and then any slot still free that day.
    fn take_on(role: &mut RoleState, day: usize, n: u64, class: Option<usize>) -> u64 {
        let k = role.classes;
        let open_to = role.open_to[day] as usize;
        let (kept, from) = match class {
            Some(c) => (0, c.min(k - 1)),
            None => {
                let kept = n.min(u64::from(role.reserve[day]));
                role.reserve[day] -= to_u32(kept);
                (kept, 0)
            }
        };
        if from >= open_to || kept == n {
            return kept;
        }
        let got = take_from(&mut role.free[day * k + from..day * k + open_to], n - kept);
        if got > 0 {
            // Slots are only ever taken: the last class with a free slot moves down.
            role.open_to[day] = open_to_of(&role.free[day * k..day * k + open_to]);
        }
        kept + got
    }

    /// Books `n` requests into the first free slots from `start` to `last`, calling
    /// `placed(day, count)` for each day used; returns how many found no slot.
    fn fill(
        role: &mut RoleState,
        diary: &DiaryCalendar,
        class: usize,
        start: usize,
        last: usize,
        n: u64,
        mut placed: impl FnMut(usize, u64),
    ) -> u64 {
        let mut left = n;
        let last = last.min(diary.len() - 1);
        let mut d = start;
        // Days off have no slots: the next day with a slot free for the class is
        // found by one scan of the days' last open classes.
        let class_open = |open_to: u32| open_to as usize > class;
        while left > 0 && d <= last {
            let Some(next) = role.open_to[d..=last].iter().position(|o| class_open(*o)) else {
                break;
            };
            d += next;
            let k = Self::take_on(role, d, left, Some(class));
            if k > 0 {
                placed(d, k);
                left -= k;
            }
            d += 1;
        }
        left
    }

    /// The preferred lead times of `n` requests: counts by interval (class), by
    /// sequential binomial draws, with each interval's first and last day.
    fn leads(&mut self, n: u64) -> Vec<(usize, u16, u16, u64)> {
        let mut out = std::mem::take(&mut self.lead_buffer);
        out.clear();
        if n <= CATEGORICAL_BATCH
            && let Some(cuts) = &self.lead_cuts
        {
            // A few requests: each one's interval by one uniform draw, the number
            // of cumulative shares it reaches.
            let counts = cuts.counts(n, &mut self.rng);
            for (i, (from, to, _)) in self.access.lead.iter().enumerate() {
                if counts[i] > 0 {
                    out.push((i, *from, *to, counts[i]));
                }
            }
            return out;
        }
        let mut left = n;
        let mut share_left = 1.0;
        for (i, (from, to, share)) in self.access.lead.iter().enumerate() {
            if left == 0 {
                break;
            }
            let k = if i + 1 == self.access.lead.len() || share_left <= 1e-12 {
                left
            } else {
                binomial(left, (share / share_left).clamp(0.0, 1.0), &mut self.rng)
            };
            share_left -= share;
            left -= k;
            if k > 0 {
                out.push((i, *from, *to, k));
            }
        }
        out
    }

    /// The days a request of a lead-time class booked on `day` can have: slots of a
    /// class are released only for bookings made within its interval ahead of the
    /// day, the person takes no slot more than the acceptable delay after the
    /// first, and none beyond the role's horizon.
    fn window(&self, role: &RoleState, day: usize, from: u16, to: u16) -> (usize, usize) {
        let start = day + usize::from(from);
        let last = (day + usize::from(to))
            .min(start + self.delay)
            .min(day + role.horizon.max(usize::from(from)));
        (start, last)
    }

    /// Records `n` appointments of `pathway` on `at`, booked on `day`.
    fn record(&mut self, day: usize, at: usize, pathway: usize, n: u64) {
        if !self.diary.in_year(at) {
            self.pathways[pathway].queued_at_year_end += n;
            return;
        }
        let wait = at - day;
        let p = &mut self.pathways[pathway];
        if p.pathway.route == Access::SocialPrescribing {
            self.socially_prescribed += n;
        }
        p.met += n;
        p.waits.record(wait, n);
        // Of n appointments, those attended and referred on, those not attended
        // and the rest are a multinomial draw: the referrals on are drawn now (they
        // arise on the day), and the DNAs at the year's end from those not referred
        // on, at their conditional rate.
        let mut stay = n;
        if let Some(on) = self.layout.onward[pathway] {
            let attended = 1.0 - self.access.dna_rate(wait);
            let k = binomial(n, attended * on.share, &mut self.rng);
            if k > 0 {
                self.onward[at].push((pathway, on.pathway, k));
            }
            stay -= k;
        }
        let row = &mut self.not_referred_on[pathway];
        if wait >= row.len() {
            row.resize(wait + 1, 0);
        }
        row[wait] += stay;
    }

    /// Draws, once for the year, which appointments were not attended and where the
    /// requests that found no slot went. Sums of independent binomial (multinomial)
    /// draws of one probability are one draw of the summed count, so drawing once
    /// by pathway and days waited is the same in distribution as drawing each day,
    /// and a year makes a few hundred draws instead of tens of thousands.
    fn close(&mut self) {
        for (pathway, row) in self.not_referred_on.iter().enumerate() {
            let share_on = self.layout.onward[pathway].map_or(0.0, |on| on.share);
            let mut dna = 0;
            let mut wait = 0;
            while wait < row.len() {
                // Waits of one DNA rate are drawn together.
                let rate = self.access.dna_rate(wait);
                let mut count = 0;
                while wait < row.len() && self.access.dna_rate(wait).to_bits() == rate.to_bits() {
                    count += row[wait];
                    wait += 1;
                }
                // Not attended, given not referred on: d / (1 - (1 - d) s).
                let conditional = rate / (1.0 - (1.0 - rate) * share_on);
                dna += binomial(count, conditional, &mut self.rng);
            }
            self.pathways[pathway].did_not_attend += dna;
        }
        for (pathway, n) in self.unbooked.iter().enumerate() {
            self.elsewhere
                .split(*n, &mut self.pathways[pathway].elsewhere, &mut self.rng);
        }
    }

    /// Requests that want to be seen today: the kept slots and any free slot today;
    /// of those left, a share take a later appointment. Returns how many were not
    /// booked.
    fn book_today(&mut self, role: &mut RoleState, day: usize, pathway: usize, n: u64) -> u64 {
        let got = Self::take_on(role, day, n, None);
        if got > 0 {
            self.record(day, day, pathway, got);
        }
        let left = n - got;
        if left == 0 {
            return 0;
        }
        let later = binomial(left, self.later_share, &mut self.rng);
        if later > 0 {
            let (from, to) = self
                .access
                .lead
                .first()
                .map_or((1, 1), |(from, to, _)| (*from, *to));
            let (start, last) = self.window(role, day, from, to);
            let unbooked = self.place(role, day, pathway, (0, start, last), later);
            return left - later + unbooked;
        }
        left
    }

    /// Requests the practice could not book: where they go is drawn at the year's
    /// end.
    fn go_elsewhere(&mut self, pathway: usize, n: u64) {
        self.unbooked[pathway] += n;
    }

    /// Requests booked ahead at their preferred lead times, within the acceptable
    /// delay and the role's horizon. Returns how many found no slot.
    fn book(&mut self, role: &mut RoleState, day: usize, pathway: usize, n: u64) -> u64 {
        let leads = self.leads(n);
        let mut unbooked = 0;
        for &(class, from, to, k) in &leads {
            let (start, last) = self.window(role, day, from, to);
            unbooked += self.place(role, day, pathway, (class, start, last), k);
        }
        self.lead_buffer = leads;
        unbooked
    }

    /// Books `n` requests of `pathway` made on `day` into the slots of lead-time
    /// class `class` from `start` to `last`, and records the appointments; returns
    /// how many found no slot. The buffer of placements is reused: a year books
    /// hundreds of thousands of batches.
    fn place(
        &mut self,
        role: &mut RoleState,
        day: usize,
        pathway: usize,
        (class, start, last): (usize, usize, usize),
        n: u64,
    ) -> u64 {
        let mut placed = std::mem::take(&mut self.placed);
        let unbooked = Self::fill(role, self.diary, class, start, last, n, |d, k| {
            placed.push((d, k));
        });
        for &(d, k) in &placed {
            self.record(day, d, pathway, k);
        }
        placed.clear();
        self.placed = placed;
        unbooked
    }

    /// Requests of the warm-up before the year: they take slots as the year's do,
    /// but are not the year's requests.
    fn book_unrecorded(&mut self, role: &mut RoleState, day: usize, n: u64) {
        let leads = self.leads(n);
        for &(class, from, to, k) in &leads {
            let (start, last) = self.window(role, day, from, to);
            Self::fill(role, self.diary, class, start, last, k, |_, _| {});
        }
        self.lead_buffer = leads;
    }
}

/// Simulates one network's financial year under a scenario, day by day.
///
/// Each role's diary opens with its slots each working day (WTE x appointments per
/// FTE a year over the working days), some kept for on-the-day requests and the
/// rest released by preferred lead time. Each working day, the requests that arise
/// (drawn from the population's consultation rates by age band, sex and frailty,
/// shared out by need) either want to be seen that day or book ahead at a
/// preferred lead time; they are routed along their need's options in order (a
/// route must be open in the scenario and its role staffed), each option taking its
/// share, and those its role cannot book within the acceptable delay fall to the
/// next option; those the last cannot book go elsewhere (a pharmacy, NHS 111, an
/// urgent treatment centre, A&E, another service) or are withdrawn, in the shares
/// of [`Elsewhere`](crate::Elsewhere). A met appointment may be referred on, inside the network
/// when the receiving role is staffed, otherwise out of it; a share of
/// appointments are not attended, more the longer the wait. A warm-up before the
/// year fills the diaries as the year before would have. Emergency admissions are
/// drawn for the year from the admission rates by age band and frailty, less the
/// care plan effect for people with a plan, with lengths of stay of which a share
/// are zero-day stays. Staff cost and bed days are spent from the budget month by
/// month.
///
/// The result is the same for the same `run` whatever thread runs it; demand is
/// checked to be conserved on every pathway before the result is returned.
///
/// ```
/// use pcn_sim::{simulate_year, NetworkInput, Parameters, RunId, Scenario};
/// let parameters = Parameters::published()?;
/// let network = NetworkInput::synthetic("Riverside PCN", 10_000, 1, &parameters)?;
/// let year = simulate_year(&network, &Scenario::baseline(), &parameters, RunId::new(42, 0, 0))?;
/// assert_eq!(year.demand(), year.met() + year.unmet() + year.queued_at_year_end());
/// assert!(year.admissions() > 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`SimError::StaffWithoutParameters`] if the network has staff in a role the
/// parameters have no capacity or cost for; [`SimError::Core`] if a sum of money
/// overflows; [`SimError::DemandNotConserved`] if the books do not balance (a defect).
pub fn simulate_year(
    network: &NetworkInput,
    scenario: &Scenario,
    parameters: &Parameters,
    run: RunId,
) -> Result<YearOutcome, SimError> {
    let population = network.population_in(scenario)?;
    simulate_year_of(network, scenario, &population, parameters, run)
}

/// The days a year is simulated over and what stays fixed while it runs: the
/// calendar of working days and months, the pathways' layout, and the diaries'
/// days (the year and the warm-up before it).
struct Frame {
    calendar: Calendar,
    layout: Layout,
    diary: DiaryCalendar,
}

impl Frame {
    fn new(parameters: &Parameters) -> Self {
        let horizon = parameters
            .roles()
            .map(|r| usize::from(r.booking_horizon_days.value))
            .max()
            .unwrap_or(0);
        Self {
            calendar: Calendar::new(parameters),
            layout: Layout::new(parameters),
            diary: DiaryCalendar::new(parameters, horizon),
        }
    }
}

/// A network's year as it runs, day by day: the roles' diaries, the booking (which
/// keeps what became of each pathway's requests), and the draws of each day's
/// requests and their routes.
struct Year<'a> {
    scenario: &'a Scenario,
    parameters: &'a Parameters,
    roles: Vec<RoleState>,
    booking: Booking<'a>,
    /// Expected requests a working day, by need.
    daily: [f64; 7],
    demand_rng: rand_pcg::Pcg64,
    routing: rand_pcg::Pcg64,
    same_day_share: f64,
    navigation: f64,
    /// The share by which a link worker's contact lowers a person's other requests.
    sp_reduction: f64,
    people: f64,
    /// Requests met by another role on a route that bypasses the GP, for needs a GP
    /// could have met.
    diverted_from_gp: u64,
}

impl<'a> Year<'a> {
    /// Opens the year: each role's diary ([`RoleState::open`]), the pathways'
    /// tallies and the year's random streams.
    fn open(
        scenario: &'a Scenario,
        population: &PopulationCounts,
        parameters: &'a Parameters,
        establishment: &Establishment,
        frame: &'a Frame,
        run: RunId,
    ) -> Self {
        let access = parameters.access_tables();
        let daily = daily_demand(population, parameters, frame.calendar.working_days);
        let same_day = expected_same_day(parameters, scenario, establishment, &daily);
        let roles = parameters
            .roles()
            .map(|rp| {
                RoleState::open(
                    rp,
                    establishment,
                    &frame.calendar,
                    &frame.diary,
                    access,
                    &same_day,
                )
            })
            .collect();
        let layout = &frame.layout;
        let pathways: Vec<PathwayYear> = layout
            .pathways
            .iter()
            .zip(&layout.links)
            .map(|(p, link)| {
                let mut year = PathwayYear::new(*p);
                if let Some((code, days)) = link {
                    year.catalogue_pathway = Some(code.clone());
                    year.target_days = Some(*days);
                }
                year
            })
            .collect();
        let paths = pathways.len();
        let booking = Booking {
            access,
            layout,
            diary: &frame.diary,
            pathways,
            later_share: parameters.access().later_booking_share.value,
            delay: usize::from(parameters.access().acceptable_delay_days.value),
            elsewhere: ElsewhereSplit::new(&access.elsewhere),
            rng: run.stream(Purpose::Booking),
            socially_prescribed: 0,
            lead_buffer: Vec::new(),
            lead_cuts: LeadCuts::new(&access.lead),
            placed: Vec::new(),
            onward: vec![Vec::new(); frame.diary.len()],
            not_referred_on: vec![Vec::new(); paths],
            unbooked: vec![0; paths],
        };
        Self {
            scenario,
            parameters,
            roles,
            booking,
            daily,
            demand_rng: run.stream(Purpose::Demand),
            routing: run.stream(Purpose::Routing),
            same_day_share: parameters.access().same_day_share.value,
            navigation: parameters.access().navigation_scale.value,
            sp_reduction: parameters.social_prescribing_gp_reduction().value,
            people: population.total().max(1) as f64,
            diverted_from_gp: 0,
        }
    }

    /// The index of `role` if it is staffed and `route` to it is open in the
    /// scenario.
    fn open_role(&self, role: Role, route: Access) -> Option<usize> {
        self.roles
            .iter()
            .position(|r| r.role == role)
            .filter(|r| self.roles[*r].staffed && self.scenario.is_open(route))
    }

    /// Referrals on from appointments held on `day` arise that day: booked with the
    /// receiving role if it is staffed and its route open, else referred out of the
    /// network.
    fn referrals_on(&mut self, day: usize) {
        let counted = self.booking.diary.in_year(day);
        for (from, to, k) in std::mem::take(&mut self.booking.onward[day]) {
            let target =
                self.booking.layout.onward[from].and_then(|on| self.open_role(on.role, on.route));
            match target {
                Some(t) if counted => {
                    self.booking.pathways[to].arisen += k;
                    self.booking.pathways[to].referred_in += k;
                    let unbooked = self.booking.book(&mut self.roles[t], day, to, k);
                    self.booking.go_elsewhere(to, unbooked);
                }
                Some(t) => self.booking.book_unrecorded(&mut self.roles[t], day, k),
                None if counted => self.booking.pathways[from].referred_out += k,
                None => {}
            }
        }
    }

    /// The requests that arise on `day`, need by need: how many, how many want to
    /// be seen that day, and their routes ([`Year::route`]).
    fn requests(&mut self, day: usize) {
        for need in Need::ALL {
            // People a link worker has seen ask for care less often for the rest of
            // the year.
            let reduction = if need == Need::CarePlanReview {
                1.0
            } else {
                1.0 - self.sp_reduction
                    * (self.booking.socially_prescribed as f64 / self.people).min(1.0)
            };
            let n = poisson(self.daily[need.index()] * reduction, &mut self.demand_rng);
            if n == 0 {
                continue;
            }
            let today = if need == Need::CarePlanReview {
                0
            } else {
                binomial(n, self.same_day_share, &mut self.routing)
            };
            self.route(need, day, today, n - today);
        }
    }

    /// Routes a need's requests of `day` (`today` wanting that day, `ahead` booking
    /// ahead) along its options: an option takes its share of the requests still
    /// unplaced; those its role cannot book fall to the next option (care
    /// navigation offers another clinician), and those the last option cannot book
    /// go elsewhere.
    fn route(&mut self, need: Need, day: usize, mut today: u64, mut ahead: u64) {
        let counted = self.booking.diary.in_year(day);
        let options = self.parameters.routes(need);
        let has_gp = options.iter().any(|o| o.role == Role::Gp);
        for (i, option) in options.iter().enumerate() {
            if today + ahead == 0 {
                break;
            }
            let pathway = self.booking.layout.option_pathway[need.index()][i];
            let last = i + 1 == options.len();
            let Some(r) = self.open_role(option.role, option.route) else {
                if last {
                    if counted {
                        let p = &mut self.booking.pathways[pathway];
                        p.arisen += today + ahead;
                        p.unmet_no_service += today + ahead;
                    }
                    today = 0;
                    ahead = 0;
                }
                continue;
            };
            let share = option_share(option, last, self.navigation);
            let take_today = binomial(today, share, &mut self.routing);
            let take_ahead = binomial(ahead, share, &mut self.routing);
            if take_today + take_ahead == 0 {
                continue;
            }
            today -= take_today;
            ahead -= take_ahead;
            if !counted {
                self.booking
                    .book_unrecorded(&mut self.roles[r], day, take_today + take_ahead);
                continue;
            }
            let (unbooked_today, unbooked_ahead) =
                self.book_option(r, option.route, day, pathway, (take_today, take_ahead));
            let unbooked = unbooked_today + unbooked_ahead;
            let placed = take_today + take_ahead - unbooked;
            if last {
                self.booking.pathways[pathway].arisen += take_today + take_ahead;
                self.booking.go_elsewhere(pathway, unbooked);
            } else {
                self.booking.pathways[pathway].arisen += placed;
                today += unbooked_today;
                ahead += unbooked_ahead;
            }
            if option.role != Role::Gp
                && has_gp
                && matches!(
                    option.route,
                    Access::DirectAccess | Access::SocialPrescribing
                )
            {
                self.diverted_from_gp += placed;
            }
        }
    }

    /// Books an option's requests with role `r`: on-the-day requests are the duty
    /// list's only on booked routes; on other routes they are booked ahead like the
    /// rest. Returns how many of each (on the day, ahead) were not booked.
    fn book_option(
        &mut self,
        r: usize,
        route: Access,
        day: usize,
        pathway: usize,
        (today, ahead): (u64, u64),
    ) -> (u64, u64) {
        let role = &mut self.roles[r];
        let unbooked_today = match (today, route) {
            (0, _) => 0,
            (n, Access::Booked) => self.booking.book_today(role, day, pathway, n),
            (n, _) => self.booking.book(role, day, pathway, n),
        };
        let unbooked_ahead = if ahead > 0 {
            self.booking.book(role, day, pathway, ahead)
        } else {
            0
        };
        (unbooked_today, unbooked_ahead)
    }

    /// Closes the year: where the requests that found no slot went and which
    /// appointments were not attended ([`Booking::close`]), and each role's slots
    /// used. Returns the roles, the pathways and the requests diverted from GPs.
    fn close(mut self) -> (Vec<RoleState>, Vec<PathwayYear>, u64) {
        self.booking.close();
        let diary = self.booking.diary;
        for state in &mut self.roles {
            state.used = diary.year_days().map(|d| state.booked_on(d)).sum();
        }
        (self.roles, self.booking.pathways, self.diverted_from_gp)
    }
}

/// [`simulate_year`] with the population already counted under the scenario
/// ([`NetworkInput::population_in`]): replications of one scenario count it once.
pub(crate) fn simulate_year_of(
    network: &NetworkInput,
    scenario: &Scenario,
    population: &PopulationCounts,
    parameters: &Parameters,
    run: RunId,
) -> Result<YearOutcome, SimError> {
    let establishment = network.establishment_in(scenario)?;
    for (role, _) in establishment.iter() {
        if parameters.role(role).is_none() {
            return Err(SimError::StaffWithoutParameters { role });
        }
    }
    let frame = Frame::new(parameters);
    let mut year = Year::open(
        scenario,
        population,
        parameters,
        &establishment,
        &frame,
        run,
    );
    for day in 0..frame.diary.len() {
        if frame.diary.working[day] {
            year.referrals_on(day);
            year.requests(day);
        }
    }
    let (roles, pathways, diverted_from_gp) = year.close();
    let calendar = &frame.calendar;

    let (admissions_by_month, bed_days_by_month) = draw_admissions(
        population,
        parameters,
        network.admission_ratio(parameters),
        calendar,
        run,
    );

    let budget = spend(parameters, population, &roles, calendar, &bed_days_by_month)?;

    let outcome = YearOutcome {
        network: network.name.clone(),
        scenario: scenario.name().to_owned(),
        financial_year: parameters.financial_year(),
        networks: 1,
        population: population.total(),
        care_plans: population.care_plans(),
        roles: roles
            .iter()
            .filter(|r| r.staffed)
            .map(|r| RoleYear {
                role: r.role,
                wte: r.wte,
                added: r
                    .wte
                    .checked_sub(network.establishment.wte(r.role))
                    .unwrap_or(Wte::ZERO),
                offered: r.offered,
                used: r.used,
            })
            .collect(),
        pathways,
        diverted_from_gp,
        admissions_by_month,
        bed_days_by_month,
        budget,
    };
    outcome.check_conservation()?;
    Ok(outcome)
}

/// The on-the-day requests each role can expect on a working day on booked routes:
/// for each need, its requests a day x the same-day share, shared along its options
/// as the routing shares them (an option whose role is not staffed or whose route is
/// not open passes its share on; the last option open takes the rest; booked
/// options of roles other than GPs at the navigation scale). Practices plan their
/// duty capacity from this: each role keeps that many of a day's slots for requests
/// that want the day (at most all of them), so that a role to which the scenario
/// diverts on-the-day demand keeps more and one it diverts demand from keeps fewer,
/// rather than every role keeping the same share of its day. Requests passed on by
/// care navigation after a failed booking are not counted.
fn expected_same_day(
    parameters: &Parameters,
    scenario: &Scenario,
    establishment: &Establishment,
    daily: &[f64],
) -> Vec<(Role, f64)> {
    let same_day_share = parameters.access().same_day_share.value;
    let navigation = parameters.access().navigation_scale.value;
    let mut out: Vec<(Role, f64)> = Vec::new();
    for need in Need::ALL {
        if need == Need::CarePlanReview {
            continue;
        }
        let mut left = daily[need.index()] * same_day_share;
        let options: Vec<_> = parameters
            .routes(need)
            .iter()
            .filter(|o| scenario.is_open(o.route) && !establishment.wte(o.role).is_zero())
            .collect();
        for (i, option) in options.iter().enumerate() {
            let share = option_share(option, i + 1 == options.len(), navigation);
            let taken = left * share;
            left -= taken;
            if option.route == Access::Booked {
                match out.iter_mut().find(|(role, _)| *role == option.role) {
                    Some((_, expected)) => *expected += taken,
                    None => out.push((option.role, taken)),
                }
            }
        }
    }
    out
}

/// Requests expected on each working day, by need: the sum over strata of people x
/// request rate (age band, sex, frailty) x the need's share, spread evenly over the
/// working days; care plan reviews at the plan's review rate. Each day's count is
/// then a Poisson draw (a sum of Poisson counts is Poisson, so drawing by day and
/// need is exact for a population counted by stratum).
fn daily_demand(
    population: &PopulationCounts,
    parameters: &Parameters,
    working_days: u64,
) -> [f64; 7] {
    let mut requests = 0.0;
    for (stratum, count) in population.iter() {
        let factor = stratum
            .frailty()
            .map_or(1.0, |f| parameters.frailty_consultation_factor(f));
        requests += f64::from(count)
            * parameters.request_rate(stratum.age_band(), stratum.is_female())
            * factor;
    }
    let days = working_days.max(1) as f64;
    let mut out = [0.0; 7];
    for need in Need::PRESENTING {
        out[need.index()] = requests * parameters.need_share(need) / days;
    }
    out[Need::CarePlanReview.index()] =
        population.care_plans() as f64 * parameters.care_plans().reviews_per_year.value / days;
    out
}

/// Emergency admissions and their bed days by month of admission.
///
/// Admissions are drawn for each age band and frailty category as a whole, each
/// with its day and length of stay; whether it falls to a person with a care plan,
/// and whether the plan averts it, is drawn from a separate stream. So a scenario
/// with care plans sees the same admissions as its baseline, less those averted
/// (common random numbers), and the difference measures the plans alone.
fn draw_admissions(
    population: &PopulationCounts,
    parameters: &Parameters,
    ratio: f64,
    calendar: &Calendar,
    run: RunId,
) -> ([u64; 12], [u64; 12]) {
    let mut admissions = [0u64; 12];
    let mut bed_days = [0u64; 12];
    let days = calendar.days().max(1);
    let zero = parameters.zero_day_stay_share();
    let mean_nonzero = parameters.mean_bed_days() / (1.0 - zero);
    let stay = Geometric::new((1.0 / mean_nonzero).clamp(f64::MIN_POSITIVE, 1.0)).ok();
    let reduction = parameters.care_plans().admission_reduction.value;
    let mut rng = run.stream(Purpose::Admissions);
    let mut plans = run.stream(Purpose::CarePlans);
    for stratum in Stratum::all().filter(|s| !s.care_plan()) {
        let without = u64::from(population.count(stratum));
        let with = u64::from(population.count(stratum.with_care_plan(true)));
        let people = without + with;
        if people == 0 {
            continue;
        }
        let planned_share = with as f64 / people as f64;
        let n = poisson(
            people as f64 * admission_risk(stratum, parameters) * ratio,
            &mut rng,
        );
        for _ in 0..n {
            let day = rng.random_range(0..days);
            let los = if rng.random::<f64>() < zero {
                0
            } else {
                1 + stay.map_or(0, |g| g.sample(&mut rng))
            };
            if with > 0
                && plans.random::<f64>() < planned_share
                && plans.random::<f64>() < reduction
            {
                continue;
            }
            let month = usize::from(calendar.month.get(day).copied().unwrap_or(0));
            admissions[month] += 1;
            bed_days[month] += los;
        }
    }
    (admissions, bed_days)
}

/// A Poisson draw of mean `lambda` (0 for a mean of 0 or less).
fn poisson<R: Rng + ?Sized>(lambda: f64, rng: &mut R) -> u64 {
    if !(lambda > 0.0 && lambda.is_finite()) {
        return 0;
    }
    match Poisson::new(lambda) {
        Ok(d) => to_u64(d.sample(rng)),
        Err(_) => 0,
    }
}

/// The year's spending against plan: each staffed role's annual cost spread over the
/// months by their days; bed days at the bed-day cost in their month of admission,
/// planned at the expected bed days without care plans.
fn spend(
    parameters: &Parameters,
    population: &PopulationCounts,
    roles: &[RoleState],
    calendar: &Calendar,
    bed_days_by_month: &[u64; 12],
) -> Result<Budget, SimError> {
    let mut lines = Vec::new();
    for state in roles.iter().filter(|r| !r.wte.is_zero()) {
        let Some(rp) = parameters.role(state.role) else {
            continue;
        };
        let annual = rp
            .cost_per_wte_year
            .value
            .checked_mul_ratio(i64::from(state.wte.hundredths()), 100)?;
        let months = annual.allocate(&calendar.days_in_month)?;
        let mut spent_by_month = [Money::ZERO; 12];
        for (slot, m) in spent_by_month.iter_mut().zip(months) {
            *slot = m;
        }
        lines.push(BudgetLine {
            line: CostLine::Staff { role: state.role },
            plan: annual,
            spent_by_month,
        });
    }
    let cost = parameters.bed_day_cost();
    let mut spent_by_month = [Money::ZERO; 12];
    for (slot, days) in spent_by_month.iter_mut().zip(bed_days_by_month) {
        *slot = cost.checked_mul(i64::try_from(*days).unwrap_or(i64::MAX))?;
    }
    let expected_bed_days: f64 = population
        .iter()
        .map(|(s, n)| f64::from(n) * admission_risk(s, parameters))
        .sum::<f64>()
        * parameters.mean_bed_days();
    let plan_pence = (expected_bed_days * cost.pence() as f64).round();
    let plan = Money::from_pence(i64::try_from(to_u64(plan_pence)).unwrap_or(i64::MAX));
    lines.push(BudgetLine {
        line: CostLine::EmergencyHospitalCare,
        plan,
        spent_by_month,
    });
    Ok(Budget::new(parameters.financial_year(), lines))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uniform_draw_falls_in_the_interval_of_its_cumulative_share() {
        let cuts = LeadCuts::new(&[(0, 0, 0.25), (1, 1, 0.25), (2, 7, 0.5)]).unwrap();
        let class = |u: u32| cuts.class(u);
        assert_eq!(class(0), 0);
        assert_eq!(class(u32::MAX / 4 - 1), 0);
        assert_eq!(class(u32::MAX / 4 + 1), 1);
        assert_eq!(class(u32::MAX / 2 + 1), 2);
        assert_eq!(class(u32::MAX), 2);
        assert_eq!(LeadCuts::new(&[(0, 7, 1.0)]).unwrap().class(u32::MAX), 0);
        assert!(LeadCuts::new(&[]).is_none());
        assert!(LeadCuts::new(&[(0, 0, 0.1); LEAD_CLASSES + 1]).is_none());
    }

    proptest::proptest! {
        #[test]
        fn the_top_byte_table_agrees_with_the_cuts(
            shares in proptest::collection::vec(0.0f64..1.0, 1..=LEAD_CLASSES),
            low in proptest::num::u32::ANY,
        ) {
            let total: f64 = shares.iter().sum::<f64>().max(1e-9);
            let lead: Vec<(u16, u16, f64)> = shares.iter().map(|s| (0, 0, s / total)).collect();
            let cuts = LeadCuts::new(&lead).unwrap();
            for byte in 0u32..256 {
                // The byte's first and last draw, and one inside it.
                for u in [byte << 24, (byte << 24) | 0x00ff_ffff, (byte << 24) | (low & 0x00ff_ffff)] {
                    let by_cuts = cuts.cuts.iter().filter(|c| u64::from(u) >= **c).count();
                    proptest::prop_assert_eq!(cuts.class(u), by_cuts);
                }
            }
        }
    }

    #[test]
    fn counts_of_a_batch_sum_to_it_and_follow_the_shares() {
        let cuts = LeadCuts::new(&[(0, 0, 0.1), (1, 1, 0.2), (2, 7, 0.3), (8, 14, 0.4)]).unwrap();
        let mut rng = RunId::new(7, 0, 0).stream(Purpose::Booking);
        let mut totals = [0u64; LEAD_CLASSES];
        for n in 0..=CATEGORICAL_BATCH {
            let counts = cuts.counts(n, &mut rng);
            assert_eq!(counts.iter().sum::<u64>(), n, "batch of {n}");
            assert!(counts[4..].iter().all(|c| *c == 0));
            for (t, c) in totals.iter_mut().zip(counts) {
                *t += c;
            }
        }
        // 20,100 requests: each share within four standard errors.
        let all: u64 = totals.iter().sum();
        for (count, share) in totals.iter().zip([0.1, 0.2, 0.3, 0.4]) {
            let expected = all as f64 * share;
            let sd = (all as f64 * share * (1.0 - share)).sqrt();
            assert!(
                (*count as f64 - expected).abs() < 4.0 * sd,
                "{count} against {expected}"
            );
        }
    }

    fn network(size: u64) -> (Parameters, NetworkInput) {
        let p = Parameters::published().unwrap();
        let n = NetworkInput::synthetic("test", size, 5, &p).unwrap();
        (p, n)
    }

    #[test]
    fn roles_keep_for_the_day_what_the_scenario_sends_them_on_the_day() {
        let (p, n) = network(20_000);
        let population = n.population_in(&Scenario::baseline()).unwrap();
        let daily = daily_demand(&population, &p, 250);
        let expected = |scenario: &Scenario| {
            let establishment = n.establishment_in(scenario).unwrap();
            expected_same_day(&p, scenario, &establishment, &daily)
        };
        let of = |list: &[(Role, f64)], role: Role| {
            list.iter()
                .find(|(r, _)| *r == role)
                .map_or(0.0, |(_, e)| *e)
        };
        let base = expected(&Scenario::baseline());
        let pch = expected(&Scenario::primary_care_home(&p));
        // Every on-the-day request on a booked route is some role's.
        let total: f64 = base.iter().map(|(_, e)| e).sum();
        assert!(total > 0.0);
        // Direct access (booked ahead, no duty slot) and more pharmacists,
        // physiotherapists and mental health practitioners take on-the-day requests
        // from GPs, who keep fewer slots for the day.
        assert!(of(&pch, Role::Gp) < of(&base, Role::Gp));
        let pch_total: f64 = pch.iter().map(|(_, e)| e).sum();
        assert!(pch_total < total);
    }

    #[test]
    fn a_year_conserves_demand_and_spends_its_staff_plan() {
        let (p, n) = network(20_000);
        for scenario in [Scenario::baseline(), Scenario::primary_care_home(&p)] {
            let y = simulate_year(&n, &scenario, &p, RunId::new(1, 0, 0)).unwrap();
            y.check_conservation().unwrap();
            assert_eq!(y.demand(), y.met() + y.unmet() + y.queued_at_year_end());
            for line in y.budget().lines() {
                if let CostLine::Staff { .. } = line.line {
                    assert_eq!(line.spent().unwrap(), line.plan, "{:?}", line.line);
                }
            }
        }
    }

    #[test]
    fn the_year_has_the_working_days_of_2024_25() {
        let p = Parameters::published().unwrap();
        let c = Calendar::new(&p);
        assert_eq!(c.days(), 365);
        // 261 weekdays from 1 April 2024 to 31 March 2025, less 7 bank holidays.
        assert_eq!(c.working_days, 254);
        assert_eq!(c.days_in_month.iter().sum::<u64>(), 365);
        assert_eq!(c.days_in_month[0], 30);
    }

    #[test]
    fn capacity_is_wte_times_appointments_per_wte_year() {
        let (p, n) = network(10_000);
        let y = simulate_year(&n, &Scenario::baseline(), &p, RunId::new(1, 0, 0)).unwrap();
        let gp = y.role(Role::Gp).unwrap();
        assert_eq!(gp.wte, Wte::from_hundredths(450));
        let per_year = p.role(Role::Gp).unwrap().appointments_per_fte_year.value;
        let expected = 4.5 * per_year;
        // Whole slots a day, the fraction carried: within a slot of the year's figure.
        assert!(
            (gp.offered as f64 - expected).abs() <= 2.0,
            "{} against {expected}",
            gp.offered
        );
        assert!(gp.used <= gp.offered);
    }

    #[test]
    fn a_need_with_no_staffed_role_is_unmet_for_want_of_a_service() {
        let p = Parameters::published().unwrap();
        let profiles = PopulationGenerator::england(4).profiles(5_000);
        let mut only_gps = Establishment::new();
        only_gps.add(Role::Gp, Wte::from_hundredths(300)).unwrap();
        let n = NetworkInput::new("GPs only", profiles, only_gps).unwrap();
        // Care plans without care coordinators or nurses: the reviews have no one.
        let s = Scenario::new("plans only", [Access::CarePlan], vec![], 0.02).unwrap();
        let y = simulate_year(&n, &s, &p, RunId::new(2, 0, 0)).unwrap();
        let reviews: Vec<_> = y
            .pathways()
            .iter()
            .filter(|p| p.pathway.need == Need::CarePlanReview)
            .collect();
        let arisen: u64 = reviews.iter().map(|p| p.arisen).sum();
        assert!(arisen > 0);
        assert_eq!(
            reviews.iter().map(|p| p.unmet_no_service).sum::<u64>(),
            arisen
        );
        assert_eq!(reviews.iter().map(|p| p.met).sum::<u64>(), 0);
        // Nothing is booked beyond the role's horizon.
        for pathway in y.pathways() {
            let max = usize::from(
                p.role(pathway.pathway.role)
                    .unwrap()
                    .booking_horizon_days
                    .value,
            );
            assert_eq!(pathway.waits.between(max + 1, usize::MAX), 0);
        }
    }

    #[test]
    fn a_network_short_of_gps_turns_more_people_away_and_sends_them_elsewhere() {
        let p = Parameters::published().unwrap();
        let profiles = PopulationGenerator::england(6).profiles(20_000);
        let full = Establishment::typical(20_000, &p).unwrap();
        let mut short = Establishment::new();
        for (role, wte) in full.iter() {
            let wte = if role == Role::Gp {
                Wte::from_hundredths(wte.hundredths() / 2)
            } else {
                wte
            };
            short.add(role, wte).unwrap();
        }
        let a = NetworkInput::new("full", profiles.clone(), full).unwrap();
        let b = NetworkInput::new("short", profiles, short).unwrap();
        let ya = simulate_year(&a, &Scenario::baseline(), &p, RunId::new(3, 0, 0)).unwrap();
        let yb = simulate_year(&b, &Scenario::baseline(), &p, RunId::new(3, 0, 0)).unwrap();
        assert!(
            yb.unmet() > ya.unmet() + ya.unmet() / 2,
            "{} against {}",
            yb.unmet(),
            ya.unmet()
        );
        let elsewhere = |y: &YearOutcome| {
            let mut e = ElsewhereCounts::default();
            for p in y.pathways() {
                e.absorb(&p.elsewhere);
            }
            e
        };
        let (ea, eb) = (elsewhere(&ya), elsewhere(&yb));
        for to in Elsewhere::ALL {
            assert!(
                eb.get(to) >= ea.get(to),
                "{to}: {} against {}",
                eb.get(to),
                ea.get(to)
            );
        }
        assert!(eb.emergency_department > ea.emergency_department);
    }

    #[test]
    fn appointments_booked_further_ahead_are_missed_more_often() {
        let (p, n) = network(50_000);
        let y = simulate_year(&n, &Scenario::baseline(), &p, RunId::new(4, 0, 0)).unwrap();
        let dna: u64 = y.pathways().iter().map(|p| p.did_not_attend).sum();
        assert!(dna > 0 && dna < y.met() / 10);
        let tables = p.access_tables();
        assert!(tables.dna_rate(0) < tables.dna_rate(1));
        assert!(tables.dna_rate(1) < tables.dna_rate(30));
    }

    #[test]
    fn the_same_run_gives_the_same_year() {
        let (p, n) = network(5_000);
        let s = Scenario::primary_care_home(&p);
        let a = simulate_year(&n, &s, &p, RunId::new(9, 3, 0)).unwrap();
        let b = simulate_year(&n, &s, &p, RunId::new(9, 3, 0)).unwrap();
        assert_eq!(a, b);
        let c = simulate_year(&n, &s, &p, RunId::new(9, 4, 0)).unwrap();
        assert_ne!(a, c);
    }
}
