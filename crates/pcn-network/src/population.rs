//! Queries on a registry: who is in which network on a date, how many patients a
//! network serves, and how much of a commissioner's population PCNs cover.

use chrono::NaiveDate;
use pcn_core::{OdsCode, Rate, Timeline};
use serde::{Deserialize, Serialize};

use crate::{NetworkIndex, PracticeIndex, Registry};

impl Registry {
    /// The PCN `practice` is a member of on `date`, if any. A binary search over the
    /// practice's few PCN changes.
    #[must_use]
    pub fn pcn_of(&self, practice: PracticeIndex, date: NaiveDate) -> Option<NetworkIndex> {
        self.pcn_of.get(practice.slot())?.value_on(date).copied()
    }

    /// The practice's PCN over time.
    #[must_use]
    pub fn pcn_timeline(&self, practice: PracticeIndex) -> Option<&Timeline<NetworkIndex>> {
        self.pcn_of.get(practice.slot())
    }

    /// Every network (of any kind) `practice` is a member of on `date`.
    pub fn networks_of(
        &self,
        practice: PracticeIndex,
        date: NaiveDate,
    ) -> impl Iterator<Item = NetworkIndex> + '_ {
        self.memberships_of(practice)
            .iter()
            .filter(move |m| m.during.contains(date))
            .map(|m| m.network)
    }

    /// The member practices of `network` on `date`, in index order.
    pub fn members_on(
        &self,
        network: NetworkIndex,
        date: NaiveDate,
    ) -> impl Iterator<Item = PracticeIndex> + '_ {
        self.members
            .get(network.slot())
            .into_iter()
            .flatten()
            .copied()
            .filter(move |&p| {
                self.memberships[p.slot()]
                    .iter()
                    .any(|m| m.network == network && m.during.contains(date))
            })
    }

    /// The registered population of `network` on `date`: the sum, over the practices
    /// that are members on `date`, of each one's latest published list size on or
    /// before `date` (a member with no published count adds nothing). A binary
    /// search over the network's population changes.
    #[must_use]
    pub fn population_on(&self, network: NetworkIndex, date: NaiveDate) -> u64 {
        self.population
            .get(network.slot())
            .and_then(|t| t.value_on(date))
            .copied()
            .unwrap_or(0)
    }

    /// The network's registered population over time.
    #[must_use]
    pub fn population_timeline(&self, network: NetworkIndex) -> Option<&Timeline<u64>> {
        self.population.get(network.slot())
    }

    /// The practices operating on `date` that are in no PCN on that date.
    pub fn practices_in_no_pcn(&self, date: NaiveDate) -> impl Iterator<Item = PracticeIndex> + '_ {
        self.practices()
            .filter(move |(i, p)| p.is_operating_on(date) && self.pcn_of(*i, date).is_none())
            .map(|(i, _)| i)
    }

    /// The practices operating on `date` that are in no network of any kind on that
    /// date.
    pub fn practices_in_no_network(
        &self,
        date: NaiveDate,
    ) -> impl Iterator<Item = PracticeIndex> + '_ {
        self.practices()
            .filter(move |(i, p)| {
                p.is_operating_on(date) && self.networks_of(*i, date).next().is_none()
            })
            .map(|(i, _)| i)
    }

    /// How much of a commissioner's registered population PCNs cover on `date`.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use pcn_core::DateRange;
    /// use pcn_network::{Network, Practice, PracticeStatus, Registry};
    /// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    /// let mut registry = Registry::new();
    /// let mut add = |code: &str, list| -> Result<_, Box<dyn std::error::Error>> {
    ///     let mut p = Practice::new(code.parse()?, "Surgery", DateRange::starting(d(1990, 1, 1)), PracticeStatus::Active)?;
    ///     p.set_commissioner(d(2020, 4, 1), "16C".parse()?);
    ///     p.record_list_size(d(2021, 1, 1), list)?;
    ///     Ok(registry.add_practice(p)?)
    /// };
    /// let a = add("A81001", 9_000)?;
    /// let _b = add("A81002", 1_000)?;
    /// let pcn = registry.add_network(Network::pcn("U89141".parse()?, "Stockton PCN", DateRange::starting(d(2019, 7, 1)))?)?;
    /// registry.join(a, pcn, DateRange::starting(d(2019, 7, 1)))?;
    /// let coverage = registry.coverage("16C".parse()?, d(2021, 6, 1));
    /// assert_eq!((coverage.practices, coverage.practices_in_pcn), (2, 1));
    /// assert_eq!(coverage.share_of_patients_in_pcn().map(|r| r.to_string()), Some("0.9".to_owned()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn coverage(&self, commissioner: OdsCode, date: NaiveDate) -> Coverage {
        let mut coverage = Coverage {
            commissioner,
            date,
            practices: 0,
            practices_in_pcn: 0,
            practices_without_list_size: 0,
            registered: 0,
            registered_in_pcn: 0,
        };
        for (index, practice) in self.practices() {
            if !practice.is_operating_on(date)
                || practice.commissioner_on(date) != Some(commissioner)
            {
                continue;
            }
            let list = practice.list_size_on(date);
            let patients = u64::from(list.unwrap_or(0));
            coverage.practices += 1;
            coverage.registered += patients;
            if list.is_none() {
                coverage.practices_without_list_size += 1;
            }
            if self.pcn_of(index, date).is_some() {
                coverage.practices_in_pcn += 1;
                coverage.registered_in_pcn += patients;
            }
        }
        coverage
    }

    /// Rebuilds a network's population timeline from its members' memberships and
    /// list sizes: one event where a membership starts, one per list change inside
    /// it, one where it ends; summed in date order.
    pub(crate) fn rebuild_population(&mut self, network: NetworkIndex) {
        let mut events: Vec<(NaiveDate, i64)> = Vec::new();
        for &p in &self.members[network.slot()] {
            let list = self.practices[p.slot()].list_sizes();
            let changes = list.changes();
            for m in self.memberships[p.slot()]
                .iter()
                .filter(|m| m.network == network)
            {
                let from = m.during.from();
                let mut current = i64::from(list.value_on(from).copied().unwrap_or(0));
                events.push((from, current));
                let first = changes.partition_point(|c| c.from <= from);
                for change in &changes[first..] {
                    if m.during.to().is_some_and(|to| change.from >= to) {
                        break;
                    }
                    let next = i64::from(change.value.unwrap_or(0));
                    events.push((change.from, next - current));
                    current = next;
                }
                if let Some(to) = m.during.to() {
                    events.push((to, -current));
                }
            }
        }
        events.sort_unstable_by_key(|&(date, _)| date);
        let mut timeline = Timeline::new();
        let mut total = 0i64;
        let mut last = None;
        let mut rest = events.as_slice();
        while let Some(&(date, _)) = rest.first() {
            let same_day = rest.partition_point(|&(d, _)| d == date);
            total += rest[..same_day]
                .iter()
                .map(|&(_, delta)| delta)
                .sum::<i64>();
            rest = &rest[same_day..];
            let value = u64::try_from(total).unwrap_or(0);
            if last != Some(value) {
                timeline.set(date, value);
                last = Some(value);
            }
        }
        self.population[network.slot()] = timeline;
    }
}

/// How much of a commissioner's registered population is in a PCN on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    /// The commissioner (Sub-ICB location).
    pub commissioner: OdsCode,
    /// The date.
    pub date: NaiveDate,
    /// Practices operating on the date and commissioned by it.
    pub practices: u32,
    /// Of those, the practices in a PCN.
    pub practices_in_pcn: u32,
    /// Of those, the practices with no published list size on or before the date.
    pub practices_without_list_size: u32,
    /// Patients registered with those practices.
    pub registered: u64,
    /// Patients registered with those practices that are in a PCN.
    pub registered_in_pcn: u64,
}

impl Coverage {
    /// The share of registered patients whose practice is in a PCN; `None` when no
    /// patients are registered.
    #[must_use]
    pub fn share_of_patients_in_pcn(&self) -> Option<Rate> {
        let covered = i64::try_from(self.registered_in_pcn).ok()?;
        let all = i64::try_from(self.registered).ok()?;
        Rate::from_ratio(covered, all)
    }

    /// The share of practices in a PCN; `None` when there are no practices.
    #[must_use]
    pub fn share_of_practices_in_pcn(&self) -> Option<Rate> {
        Rate::from_ratio(i64::from(self.practices_in_pcn), i64::from(self.practices))
    }
}
