//! The network year, simulated day by day.

use std::collections::{HashSet, VecDeque};

use chrono::{Datelike, Weekday};
use pcn_core::{Money, PatientId, Rate, Role, Wte, YearMonth};
use pcn_population::{CohortPipeline, CohortSize, PopulationGenerator, RiskProfile, Stratifier};
use rand::Rng;
use rand_distr::{Distribution, Geometric, Poisson};
use serde::{Deserialize, Serialize};

use crate::budget::{Budget, BudgetLine, CostLine};
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
    name: String,
    profiles: Vec<RiskProfile>,
    establishment: Establishment,
    #[serde(default)]
    cohort: CohortPipeline,
}

impl NetworkInput {
    /// A network from its patients and staff.
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
        Ok(Self {
            name: name.into(),
            profiles,
            establishment,
            cohort: CohortPipeline::default(),
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

#[derive(Clone, Copy)]
struct Batch {
    day: u16,
    pathway: u16,
    count: u32,
}

struct RoleState {
    role: Role,
    wte: Wte,
    staffed: bool,
    daily_milli: u64,
    credit: u64,
    limit: u64,
    max_wait: u16,
    queue: VecDeque<Batch>,
    waiting: u64,
    offered: u64,
    used: u64,
}

impl RoleState {
    fn room(&self) -> u64 {
        self.limit.saturating_sub(self.waiting)
    }

    fn push(&mut self, day: u16, pathway: usize, count: u64) {
        let pathway = u16::try_from(pathway).unwrap_or(u16::MAX);
        let mut left = count;
        while left > 0 {
            let part = left.min(u64::from(u32::MAX));
            self.queue.push_back(Batch {
                day,
                pathway,
                count: to_u32(part),
            });
            left -= part;
        }
        self.waiting += count;
    }
}

/// Simulates one network's financial year under a scenario, day by day.
///
/// Each day, the requests that arise (drawn for the year from the population's
/// consultation rates by age band and frailty, shared out by need) are routed along
/// their need's options in order (a route must be open in the scenario, its role
/// staffed, and the role's waiting list not already longer than its capacity over
/// its maximum wait); on working days each role meets the requests waiting longest
/// first, up to its capacity (WTE x appointments per WTE day x (1 - leave share)),
/// after giving up the requests that have waited longer than its maximum wait; a
/// met request may be referred on, inside the network while the receiving role's
/// list has room, otherwise out of the network. Emergency admissions are drawn for the year from
/// the admission rates by age band and frailty, less the care plan effect for people
/// with a plan, with lengths of stay of which a share are zero-day stays. Staff cost
/// and bed days are spent from the budget month by month.
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
    let establishment = network.establishment_in(scenario)?;
    for (role, _) in establishment.iter() {
        if parameters.role(role).is_none() {
            return Err(SimError::StaffWithoutParameters { role });
        }
    }
    let calendar = Calendar::new(parameters);
    let layout = Layout::new(parameters);

    let mut roles: Vec<RoleState> = parameters
        .roles()
        .map(|rp| {
            let wte = establishment.wte(rp.role);
            // pcn-team's appointments a week for the role's WTE, over five working
            // days, net of leave.
            let per_week = parameters
                .session(rp.role)
                .map_or(0, |pattern| pattern.appointments_per_week(wte));
            let per_day = f64::from(per_week) / 5.0 * (1.0 - parameters.leave_share());
            let daily_milli = to_u64((per_day * 1000.0).round());
            // The working days within the maximum wait, on average: reception books a
            // list no longer than the role can meet before requests give up.
            let limit = (daily_milli * u64::from(rp.max_wait_days.value) * calendar.working_days)
                .div_ceil(1000 * calendar.days() as u64);
            RoleState {
                role: rp.role,
                wte,
                staffed: !wte.is_zero() && daily_milli > 0,
                daily_milli,
                credit: 0,
                limit,
                max_wait: rp.max_wait_days.value,
                queue: VecDeque::new(),
                waiting: 0,
                offered: 0,
                used: 0,
            }
        })
        .collect();
    let role_index = |role: Role, roles: &[RoleState]| roles.iter().position(|r| r.role == role);

    let mut pathways: Vec<PathwayYear> = layout
        .pathways
        .iter()
        .zip(&layout.links)
        .map(|(p, link)| {
            let max = parameters.role(p.role).map_or(0, |r| r.max_wait_days.value);
            let mut year = PathwayYear::new(*p, max);
            if let Some((code, days)) = link {
                year.catalogue_pathway = Some(code.clone());
                year.target_days = Some(*days);
            }
            year
        })
        .collect();

    let arrivals = draw_arrivals(&population, parameters, &calendar, run);

    let mut routing = run.stream(Purpose::Routing);
    let mut diverted_from_gp = 0u64;
    let mut onward_pushes: Vec<(usize, usize, u64)> = Vec::new();
    for (day, arriving) in arrivals.iter().enumerate() {
        let day16 = u16::try_from(day).unwrap_or(u16::MAX);
        for need in Need::ALL {
            let mut remaining = u64::from(arriving[need.index()]);
            let options = parameters.routes(need);
            let has_gp = options.iter().any(|o| o.role == Role::Gp);
            for (i, option) in options.iter().enumerate() {
                if remaining == 0 {
                    break;
                }
                let pathway = layout.option_pathway[need.index()][i];
                let last = i + 1 == options.len();
                let r = role_index(option.role, &roles);
                let available =
                    scenario.is_open(option.route) && r.is_some_and(|r| roles[r].staffed);
                let Some(r) = r.filter(|_| available) else {
                    if last {
                        pathways[pathway].arisen += remaining;
                        pathways[pathway].unmet_no_service += remaining;
                        remaining = 0;
                    }
                    continue;
                };
                let take = if last {
                    remaining
                } else {
                    binomial(remaining, option.share, &mut routing).min(roles[r].room())
                };
                if take > 0 {
                    roles[r].push(day16, pathway, take);
                    pathways[pathway].arisen += take;
                    let diverts = option.role != Role::Gp
                        && has_gp
                        && matches!(
                            option.route,
                            Access::DirectAccess | Access::SocialPrescribing
                        );
                    if diverts {
                        diverted_from_gp += take;
                    }
                    remaining -= take;
                }
            }
        }
        if !calendar.working[day] {
            continue;
        }
        for r in 0..roles.len() {
            let state = &mut roles[r];
            if !state.staffed {
                continue;
            }
            state.credit += state.daily_milli;
            let mut slots = state.credit / 1000;
            state.credit %= 1000;
            state.offered += slots;
            while let Some(front) = state.queue.front() {
                if usize::from(front.day) + usize::from(state.max_wait) < day {
                    pathways[usize::from(front.pathway)].unmet_waited_too_long +=
                        u64::from(front.count);
                    state.waiting -= u64::from(front.count);
                    state.queue.pop_front();
                } else {
                    break;
                }
            }
            while slots > 0 {
                let Some(front_day) = state.queue.front().map(|b| b.day) else {
                    break;
                };
                // The requests that have waited longest arrived on the same day; when
                // the slots left cannot meet them all, they are shared between that
                // day's requests in proportion (largest remainder), so that no need
                // is always served last.
                let same_day = state
                    .queue
                    .iter()
                    .take_while(|b| b.day == front_day)
                    .count();
                let counts: Vec<u64> = state
                    .queue
                    .iter()
                    .take(same_day)
                    .map(|b| u64::from(b.count))
                    .collect();
                let waiting_that_day: u64 = counts.iter().sum();
                let takes: Vec<u64> = if slots >= waiting_that_day {
                    counts
                } else {
                    share_out(slots, &counts)?
                };
                for (batch, take) in state.queue.iter_mut().zip(&takes) {
                    let take = *take;
                    if take == 0 {
                        continue;
                    }
                    let p = usize::from(batch.pathway);
                    pathways[p].met += take;
                    pathways[p].waits.record(day - usize::from(batch.day), take);
                    if let Some(on) = layout.onward[p] {
                        let k = binomial(take, on.share, &mut routing);
                        if k > 0 {
                            onward_pushes.push((p, on.pathway, k));
                        }
                    }
                    batch.count -= to_u32(take);
                }
                let served: u64 = takes.iter().sum();
                let mut later = state.queue.split_off(same_day);
                state.queue.retain(|b| b.count > 0);
                state.queue.append(&mut later);
                state.waiting -= served;
                state.used += served;
                slots -= served;
            }
            for (from, to, k) in onward_pushes.drain(..) {
                let on = layout.onward[from];
                let target = on.and_then(|on| {
                    role_index(on.role, &roles)
                        .filter(|t| roles[*t].staffed && scenario.is_open(on.route))
                });
                let inside = target.map_or(0, |t| k.min(roles[t].room()));
                if let Some(t) = target.filter(|_| inside > 0) {
                    roles[t].push(day16, to, inside);
                    pathways[to].arisen += inside;
                    pathways[to].referred_in += inside;
                }
                pathways[from].referred_out += k - inside;
            }
        }
    }
    for state in &roles {
        for batch in &state.queue {
            pathways[usize::from(batch.pathway)].queued_at_year_end += u64::from(batch.count);
        }
    }

    let (admissions_by_month, bed_days_by_month) =
        draw_admissions(&population, parameters, &calendar, run);

    let budget = spend(
        parameters,
        &population,
        &roles,
        &calendar,
        &bed_days_by_month,
    )?;

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

/// Requests arising on each day, by need: one Poisson count per need for the year
/// (the sum over strata of people x rate), each request on a day drawn uniformly.
fn draw_arrivals(
    population: &PopulationCounts,
    parameters: &Parameters,
    calendar: &Calendar,
    run: RunId,
) -> Vec<[u32; 7]> {
    let days = calendar.days();
    let mut arrivals = vec![[0u32; 7]; days];
    let mut consultations = 0.0;
    for (stratum, count) in population.iter() {
        let factor = stratum
            .frailty()
            .map_or(1.0, |f| parameters.frailty_consultation_factor(f));
        consultations +=
            f64::from(count) * parameters.consultation_rate(stratum.age_band()) * factor;
    }
    let mut rng = run.stream(Purpose::Demand);
    for need in Need::PRESENTING {
        let n = poisson(consultations * parameters.need_share(need), &mut rng);
        scatter(&mut arrivals, need, n, &mut rng);
    }
    let planned = population.care_plans() as f64;
    let mut rng = run.stream(Purpose::CarePlans);
    let n = poisson(
        planned * parameters.care_plans().reviews_per_year.value,
        &mut rng,
    );
    scatter(&mut arrivals, Need::CarePlanReview, n, &mut rng);
    arrivals
}

fn scatter<R: Rng + ?Sized>(arrivals: &mut [[u32; 7]], need: Need, n: u64, rng: &mut R) {
    let days = arrivals.len();
    if days == 0 {
        return;
    }
    for _ in 0..n {
        let day = rng.random_range(0..days);
        arrivals[day][need.index()] += 1;
    }
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
            people as f64 * admission_risk(stratum, parameters),
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

/// Shares `slots` between `counts` in proportion, each part at most its count, by the
/// largest remainder method (`pcn_core::Money::allocate`, the workspace's one
/// implementation of it, on whole units).
fn share_out(slots: u64, counts: &[u64]) -> Result<Vec<u64>, SimError> {
    let units = Money::from_pence(i64::try_from(slots).unwrap_or(i64::MAX));
    let parts = units.allocate(counts)?;
    Ok(parts
        .iter()
        .zip(counts)
        .map(|(part, count)| u64::try_from(part.pence()).unwrap_or(0).min(*count))
        .collect())
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

    fn network(size: u64) -> (Parameters, NetworkInput) {
        let p = Parameters::published().unwrap();
        let n = NetworkInput::synthetic("test", size, 5, &p).unwrap();
        (p, n)
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
    fn capacity_is_wte_times_rate_net_of_leave_on_every_working_day() {
        let (p, n) = network(10_000);
        let y = simulate_year(&n, &Scenario::baseline(), &p, RunId::new(1, 0, 0)).unwrap();
        let gp = y.role(Role::Gp).unwrap();
        assert_eq!(gp.wte, Wte::from_hundredths(440));
        // pcn-team: 4.40 WTE of GP sessions give 475 appointments a week; over five
        // days, net of 10.6 % leave, on each of 254 working days.
        let per_week = p.session(Role::Gp).unwrap().appointments_per_week(gp.wte);
        assert_eq!(per_week, 475);
        let daily_milli = to_u64((f64::from(per_week) / 5.0 * (1.0 - 0.106) * 1000.0).round());
        assert_eq!(gp.offered, 254 * daily_milli / 1000);
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
        // Nothing waits longer than the role's maximum.
        for pathway in y.pathways() {
            let max = usize::from(p.role(pathway.pathway.role).unwrap().max_wait_days.value);
            assert_eq!(
                (max + 1..400).map(|d| pathway.waits.waited(d)).sum::<u64>(),
                0
            );
        }
    }

    #[test]
    fn a_full_role_turns_away_every_need_alike() {
        let (p, n) = network(20_000);
        let y = simulate_year(&n, &Scenario::baseline(), &p, RunId::new(8, 0, 0)).unwrap();
        let gp: Vec<_> = y
            .pathways()
            .iter()
            .filter(|p| p.pathway.role == Role::Gp && p.arisen > 1_000)
            .collect();
        let arisen: u64 = gp.iter().map(|p| p.arisen).sum();
        let unmet: u64 = gp.iter().map(|p| p.unmet()).sum();
        let overall = unmet as f64 / arisen as f64;
        assert!(overall > 0.2, "the baseline's GPs are full: {overall}");
        for p in gp {
            let share = p.unmet() as f64 / p.arisen as f64;
            assert!(
                (share - overall).abs() < 0.03,
                "{}: {share} against {overall}",
                p.pathway
            );
        }
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
