//! What a network's year produced: appointments, waits, unmet demand, admissions and
//! spending.

use std::fmt;

use pcn_core::{FinancialYear, Role, Wte};
use serde::Serialize;

use crate::{Access, Budget, ElsewhereCounts, Need, SimError};

/// A pathway: a need met by a role, reached by an entry route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Pathway {
    /// The need.
    pub need: Need,
    /// The role that meets it.
    pub role: Role,
    /// How the request reached the role.
    pub route: Access,
}

impl fmt::Display for Pathway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} to {} ({})", self.need, self.role.label(), self.route)
    }
}

/// Days waited by the requests met on a pathway: `days[d]` requests waited `d` days.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(transparent)]
pub struct WaitHistogram {
    days: Vec<u64>,
}

impl WaitHistogram {
    pub(crate) fn with_max(max_days: u16) -> Self {
        Self {
            days: vec![0; usize::from(max_days) + 1],
        }
    }

    pub(crate) fn record(&mut self, days: usize, count: u64) {
        if days >= self.days.len() {
            self.days.resize(days + 1, 0);
        }
        self.days[days] += count;
    }

    fn absorb(&mut self, other: &WaitHistogram) {
        for (d, c) in other.days.iter().enumerate() {
            self.record(d, *c);
        }
    }

    /// Requests recorded.
    #[must_use]
    pub fn count(&self) -> u64 {
        self.days.iter().sum()
    }

    /// How many requests were met from `from` to `to` days after booking
    /// (inclusive; `usize::MAX` for no upper end).
    #[must_use]
    pub fn between(&self, from: usize, to: usize) -> u64 {
        self.days
            .iter()
            .enumerate()
            .filter(|(d, _)| *d >= from && *d <= to)
            .map(|(_, c)| *c)
            .sum()
    }

    /// Requests that waited `days` days.
    #[must_use]
    pub fn waited(&self, days: usize) -> u64 {
        self.days.get(days).copied().unwrap_or(0)
    }

    /// The mean wait in days, or `None` if nothing was recorded.
    #[must_use]
    pub fn mean(&self) -> Option<f64> {
        let n = self.count();
        if n == 0 {
            return None;
        }
        let total: f64 = self
            .days
            .iter()
            .enumerate()
            .map(|(d, c)| d as f64 * *c as f64)
            .sum();
        Some(total / n as f64)
    }

    /// The smallest wait in days within which at least `share` of the requests were
    /// met (0.9 gives the 90th centile), or `None` if nothing was recorded.
    #[must_use]
    pub fn centile(&self, share: f64) -> Option<usize> {
        let n = self.count();
        if n == 0 {
            return None;
        }
        let needed = (share.clamp(0.0, 1.0) * n as f64).ceil().max(1.0);
        let mut seen = 0u64;
        for (d, c) in self.days.iter().enumerate() {
            seen += c;
            if seen as f64 >= needed {
                return Some(d);
            }
        }
        Some(self.days.len().saturating_sub(1))
    }
}

/// A year on one pathway: every request that arose is met, still waiting at the end
/// of the year, or unmet (it waited longer than the role's maximum wait, or the
/// network had no service for it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathwayYear {
    /// The pathway.
    pub pathway: Pathway,
    /// Requests that arose on the pathway (referrals on included).
    pub arisen: u64,
    /// Of those, requests referred on to the pathway by the clinician who met them
    /// on another pathway.
    pub referred_in: u64,
    /// Requests met: an appointment held in the year (attended or not, as the
    /// appointment statistics count them).
    pub met: u64,
    /// Of the appointments held, those the patient did not attend.
    pub did_not_attend: u64,
    /// Requests that found no slot and went elsewhere or were withdrawn, by
    /// destination.
    pub elsewhere: ElsewhereCounts,
    /// Requests for which the network had no staff or no open route.
    pub unmet_no_service: u64,
    /// Requests booked for an appointment after the end of the year.
    pub queued_at_year_end: u64,
    /// Met requests referred on to a service outside the network (its role not
    /// staffed or its route not open).
    pub referred_out: u64,
    /// Days from booking to appointment of the requests met.
    pub waits: WaitHistogram,
    /// The `pcn-referral` catalogue pathway of a referral route, by code.
    pub catalogue_pathway: Option<String>,
    /// That pathway's target wait to first contact, in days.
    pub target_days: Option<u16>,
}

impl PathwayYear {
    pub(crate) fn new(pathway: Pathway) -> Self {
        Self {
            pathway,
            arisen: 0,
            referred_in: 0,
            met: 0,
            did_not_attend: 0,
            elsewhere: ElsewhereCounts::default(),
            unmet_no_service: 0,
            queued_at_year_end: 0,
            referred_out: 0,
            waits: WaitHistogram::with_max(60),
            catalogue_pathway: None,
            target_days: None,
        }
    }

    /// Requests met within the catalogue pathway's target wait, where it has one.
    #[must_use]
    pub fn met_within_target(&self) -> Option<u64> {
        let target = usize::from(self.target_days?);
        Some((0..=target).map(|d| self.waits.waited(d)).sum())
    }

    /// Requests not met in the network: gone elsewhere, withdrawn, or with no
    /// service.
    #[must_use]
    pub fn unmet(&self) -> u64 {
        self.elsewhere.total() + self.unmet_no_service
    }

    /// Checks that every request that arose is met, queued or unmet.
    ///
    /// # Errors
    /// [`SimError::DemandNotConserved`] with the figures if not.
    pub fn check_conservation(&self) -> Result<(), SimError> {
        let accounted = self.met + self.unmet() + self.queued_at_year_end;
        if accounted != self.arisen
            || self.waits.count() != self.met
            || self.did_not_attend > self.met
        {
            return Err(SimError::DemandNotConserved {
                pathway: self.pathway.to_string(),
                arisen: self.arisen,
                met: self.met,
                queued: self.queued_at_year_end,
                unmet: self.unmet(),
            });
        }
        Ok(())
    }
}

/// A role's year: WTE in post, appointments offered and used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleYear {
    /// The role.
    pub role: Role,
    /// WTE in post.
    pub wte: Wte,
    /// Of those, WTE the scenario added to the network's establishment: additional
    /// staff, the only ones whose pay the Additional Roles Reimbursement Scheme
    /// reimburses (staff must be additional to the network's baseline: `payments.md`).
    pub added: Wte,
    /// Appointments offered over the year's working days, net of leave.
    pub offered: u64,
    /// Appointments used.
    pub used: u64,
}

/// A network's simulated year.
///
/// Built only by the simulation, which checks on construction that demand is
/// conserved on every pathway ([`YearOutcome::check_conservation`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearOutcome {
    pub(crate) network: String,
    pub(crate) scenario: String,
    pub(crate) financial_year: FinancialYear,
    pub(crate) networks: u32,
    pub(crate) population: u64,
    pub(crate) care_plans: u64,
    pub(crate) roles: Vec<RoleYear>,
    pub(crate) pathways: Vec<PathwayYear>,
    pub(crate) diverted_from_gp: u64,
    pub(crate) admissions_by_month: [u64; 12],
    pub(crate) bed_days_by_month: [u64; 12],
    pub(crate) budget: Budget,
}

impl YearOutcome {
    /// The network's name (or a name for the networks summed).
    #[must_use]
    pub fn network(&self) -> &str {
        &self.network
    }

    /// The scenario's name.
    #[must_use]
    pub fn scenario(&self) -> &str {
        &self.scenario
    }

    /// The financial year simulated.
    #[must_use]
    pub fn financial_year(&self) -> FinancialYear {
        self.financial_year
    }

    /// How many networks the outcome sums (1 for a single network).
    #[must_use]
    pub fn networks(&self) -> u32 {
        self.networks
    }

    /// Registered patients.
    #[must_use]
    pub fn population(&self) -> u64 {
        self.population
    }

    /// Patients with a personal care and support plan.
    #[must_use]
    pub fn care_plans(&self) -> u64 {
        self.care_plans
    }

    /// Each staffed role's year, in role order.
    #[must_use]
    pub fn roles(&self) -> &[RoleYear] {
        &self.roles
    }

    /// A role's year, if the network had staff in it.
    #[must_use]
    pub fn role(&self, role: Role) -> Option<&RoleYear> {
        self.roles.iter().find(|r| r.role == role)
    }

    /// Appointments used in a role (0 if not staffed).
    #[must_use]
    pub fn appointments_used(&self, role: Role) -> u64 {
        self.role(role).map_or(0, |r| r.used)
    }

    /// Every pathway's year, in the parameters' route order.
    #[must_use]
    pub fn pathways(&self) -> &[PathwayYear] {
        &self.pathways
    }

    /// Requests that arose, referrals on within the network included.
    #[must_use]
    pub fn demand(&self) -> u64 {
        self.pathways.iter().map(|p| p.arisen).sum()
    }

    /// Requests that arose at first contact: [`YearOutcome::demand`] less referrals
    /// on within the network.
    #[must_use]
    pub fn first_contacts(&self) -> u64 {
        self.demand() - self.referrals_within()
    }

    /// Met requests referred on to another role of the network.
    #[must_use]
    pub fn referrals_within(&self) -> u64 {
        self.pathways.iter().map(|p| p.referred_in).sum()
    }

    /// Met requests referred on out of the network.
    #[must_use]
    pub fn referrals_out(&self) -> u64 {
        self.pathways.iter().map(|p| p.referred_out).sum()
    }

    /// Requests met.
    #[must_use]
    pub fn met(&self) -> u64 {
        self.pathways.iter().map(|p| p.met).sum()
    }

    /// Requests unmet.
    #[must_use]
    pub fn unmet(&self) -> u64 {
        self.pathways.iter().map(PathwayYear::unmet).sum()
    }

    /// Requests still waiting at the end of the year.
    #[must_use]
    pub fn queued_at_year_end(&self) -> u64 {
        self.pathways.iter().map(|p| p.queued_at_year_end).sum()
    }

    /// Requests that went straight to another role by direct access or social
    /// prescribing where the GP was their other route: GP appointments freed.
    #[must_use]
    pub fn diverted_from_gp(&self) -> u64 {
        self.diverted_from_gp
    }

    /// The waits of every request met by a role, all pathways together.
    #[must_use]
    pub fn waits_for_role(&self, role: Role) -> WaitHistogram {
        let mut out = WaitHistogram::default();
        for p in self.pathways.iter().filter(|p| p.pathway.role == role) {
            out.absorb(&p.waits);
        }
        out
    }

    /// The waits of every request for a need, all roles together.
    #[must_use]
    pub fn waits_for_need(&self, need: Need) -> WaitHistogram {
        let mut out = WaitHistogram::default();
        for p in self.pathways.iter().filter(|p| p.pathway.need == need) {
            out.absorb(&p.waits);
        }
        out
    }

    /// Emergency admissions in each month, April first.
    #[must_use]
    pub fn admissions_by_month(&self) -> [u64; 12] {
        self.admissions_by_month
    }

    /// Emergency bed days in each month of admission, April first.
    #[must_use]
    pub fn bed_days_by_month(&self) -> [u64; 12] {
        self.bed_days_by_month
    }

    /// Emergency admissions in the year.
    #[must_use]
    pub fn admissions(&self) -> u64 {
        self.admissions_by_month.iter().sum()
    }

    /// Emergency bed days in the year.
    #[must_use]
    pub fn bed_days(&self) -> u64 {
        self.bed_days_by_month.iter().sum()
    }

    /// Spending against plan.
    #[must_use]
    pub fn budget(&self) -> &Budget {
        &self.budget
    }

    /// Events simulated: requests that arose (referrals on included) plus emergency
    /// admissions.
    #[must_use]
    pub fn events(&self) -> u64 {
        self.demand() + self.admissions()
    }

    /// Checks that on every pathway each request that arose is met, queued or
    /// unmet, and that every met request has its wait recorded.
    ///
    /// # Errors
    /// [`SimError::DemandNotConserved`] naming the first pathway that does not
    /// balance.
    pub fn check_conservation(&self) -> Result<(), SimError> {
        self.pathways
            .iter()
            .try_for_each(PathwayYear::check_conservation)
    }

    /// Adds another network's year into this one (same parameters and scenario): the
    /// sum over networks.
    ///
    /// # Errors
    /// [`SimError::Core`] if a sum of money or WTE overflows.
    pub fn absorb(&mut self, other: &YearOutcome) -> Result<(), SimError> {
        self.networks += other.networks;
        self.population += other.population;
        self.care_plans += other.care_plans;
        for r in &other.roles {
            match self.roles.iter_mut().find(|m| m.role == r.role) {
                Some(mine) => {
                    mine.wte = mine.wte.checked_add(r.wte)?;
                    mine.added = mine.added.checked_add(r.added)?;
                    mine.offered += r.offered;
                    mine.used += r.used;
                }
                None => self.roles.push(r.clone()),
            }
        }
        self.roles.sort_by_key(|r| r.role);
        for p in &other.pathways {
            match self.pathways.iter_mut().find(|m| m.pathway == p.pathway) {
                Some(mine) => {
                    mine.arisen += p.arisen;
                    mine.referred_in += p.referred_in;
                    mine.met += p.met;
                    mine.did_not_attend += p.did_not_attend;
                    mine.elsewhere.absorb(&p.elsewhere);
                    mine.unmet_no_service += p.unmet_no_service;
                    mine.queued_at_year_end += p.queued_at_year_end;
                    mine.referred_out += p.referred_out;
                    mine.waits.absorb(&p.waits);
                }
                None => self.pathways.push(p.clone()),
            }
        }
        self.diverted_from_gp += other.diverted_from_gp;
        for m in 0..12 {
            self.admissions_by_month[m] += other.admissions_by_month[m];
            self.bed_days_by_month[m] += other.bed_days_by_month[m];
        }
        self.budget.absorb(&other.budget)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn centiles_rise_with_the_share_and_merging_adds_counts(
            a in proptest::collection::vec(0u64..50, 1..30),
            b in proptest::collection::vec(0u64..50, 1..30),
            low in 0.0f64..1.0,
            high in 0.0f64..1.0,
        ) {
            let build = |v: &[u64]| {
                let mut h = WaitHistogram::default();
                for (d, c) in v.iter().enumerate() {
                    h.record(d, *c);
                }
                h
            };
            let (ha, hb) = (build(&a), build(&b));
            let (low, high) = (low.min(high), low.max(high));
            prop_assert!(ha.centile(low) <= ha.centile(high));
            let mut merged = ha.clone();
            merged.absorb(&hb);
            prop_assert_eq!(merged.count(), ha.count() + hb.count());
            if let (Some(m), Some(x), Some(y)) = (merged.mean(), ha.mean(), hb.mean()) {
                prop_assert!(m >= x.min(y) - 1e-9 && m <= x.max(y) + 1e-9);
            }
        }
    }

    #[test]
    fn wait_centiles_and_means() {
        let mut h = WaitHistogram::with_max(14);
        h.record(0, 5);
        h.record(2, 4);
        h.record(10, 1);
        assert_eq!(h.count(), 10);
        assert_eq!(h.centile(0.5), Some(0));
        assert_eq!(h.centile(0.9), Some(2));
        assert_eq!(h.centile(1.0), Some(10));
        assert!((h.mean().unwrap() - 1.8).abs() < 1e-12);
        assert_eq!(WaitHistogram::default().mean(), None);
    }

    #[test]
    fn an_unbalanced_pathway_is_reported() {
        let pathway = Pathway {
            need: Need::Medication,
            role: Role::Gp,
            route: Access::Booked,
        };
        let mut p = PathwayYear::new(pathway);
        p.arisen = 3;
        p.met = 2;
        p.waits.record(1, 2);
        assert!(p.check_conservation().is_err());
        p.queued_at_year_end = 1;
        assert!(p.check_conservation().is_ok());
    }
}
