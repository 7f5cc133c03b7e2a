//! The registry of practices and networks, with its dense indices.

use std::collections::HashMap;

use chrono::NaiveDate;
use pcn_core::{DateRange, NetworkId, OdsCode, PracticeId, Timeline};
use serde::{Deserialize, Serialize};

use crate::{Location, Network, NetworkError, Practice};

/// A slot number as an index: the registry never holds more than `u32::MAX`
/// entries of a kind ([`Registry::add_practice`] refuses more).
fn dense(slot: usize) -> u32 {
    u32::try_from(slot).unwrap_or(u32::MAX)
}

/// The position of a practice in a [`Registry`]: a dense index for fast queries.
///
/// An index is valid only for the registry that issued it; practices are never
/// removed, so an index stays valid for that registry's life. Look one up from a code
/// with [`Registry::practice_index`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PracticeIndex(u32);

impl PracticeIndex {
    /// The index as a number.
    #[must_use]
    pub const fn get(self) -> u32 {
        self.0
    }

    pub(crate) const fn slot(self) -> usize {
        self.0 as usize
    }
}

/// The position of a network in a [`Registry`]: a dense index for fast queries.
///
/// An index is valid only for the registry that issued it; networks are never
/// removed. Look one up with [`Registry::network_index`] or
/// [`Registry::network_index_by_code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NetworkIndex(u32);

impl NetworkIndex {
    /// The index as a number.
    #[must_use]
    pub const fn get(self) -> u32 {
        self.0
    }

    pub(crate) const fn slot(self) -> usize {
        self.0 as usize
    }
}

/// A practice's membership of a network over a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Membership {
    /// The member practice.
    pub practice: PracticeIndex,
    /// The network.
    pub network: NetworkIndex,
    /// The dates of membership (half-open; open-ended while in force).
    pub during: DateRange,
}

/// A merger: a practice closed and its registered list moved to a successor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Merger {
    /// The practice that closed.
    pub closed: PracticeIndex,
    /// The practice that took on its list.
    pub successor: PracticeIndex,
    /// The first day the closed practice no longer operates.
    pub on: NaiveDate,
    /// The list moved to the successor (the closed practice's latest count).
    pub list_moved: u32,
}

/// Practices and networks, their effective-dated memberships and list sizes, with the
/// indices that answer "which PCN is this practice in on this date?" and "how many
/// patients does this network serve on this date?" with one binary search each
/// (tens of nanoseconds).
///
/// Every change goes through a method that checks the registry's invariants first and
/// changes nothing if the check fails:
///
/// - a practice is a member of at most one Primary Care Network on any date (the
///   error names both networks and the overlapping dates);
/// - a membership lies within the practice's operating dates and the network's open
///   dates;
/// - a list size lies within the practice's operating dates.
///
/// A merger closes a practice, ends its memberships and moves its list to the
/// successor. The registry compares equal to a clone taken before any rejected
/// operation.
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_core::DateRange;
/// use pcn_network::{Network, Practice, PracticeStatus, Registry};
/// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
/// let mut registry = Registry::new();
/// let practice = registry.add_practice(Practice::new(
///     "F82001".parse()?, "Example Surgery", DateRange::starting(d(1974, 4, 1)), PracticeStatus::Active,
/// )?)?;
/// let old = registry.add_network(Network::pcn("U86966".parse()?, "Old PCN", DateRange::starting(d(2019, 7, 1)))?)?;
/// let new = registry.add_network(Network::pcn("U11211".parse()?, "New PCN", DateRange::starting(d(2019, 7, 1)))?)?;
/// registry.join(practice, old, DateRange::starting(d(2019, 10, 1)))?;
/// registry.record_list_size(practice, d(2021, 1, 1), 9_000)?;
///
/// // Joining a second PCN while still in the first is refused, and nothing changes.
/// let before = registry.clone();
/// let err = registry.join(practice, new, DateRange::starting(d(2022, 7, 1))).unwrap_err();
/// assert!(err.to_string().contains("U86966 Old PCN"));
/// assert_eq!(registry, before);
///
/// // Leave first, then join.
/// registry.leave(practice, old, d(2022, 7, 1))?;
/// registry.join(practice, new, DateRange::starting(d(2022, 7, 1)))?;
/// assert_eq!(registry.pcn_of(practice, d(2022, 6, 30)), Some(old));
/// assert_eq!(registry.pcn_of(practice, d(2022, 7, 1)), Some(new));
/// assert_eq!(registry.population_on(new, d(2023, 1, 1)), 9_000);
/// assert_eq!(registry.population_on(old, d(2023, 1, 1)), 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RegistryRecord", into = "RegistryRecord")]
pub struct Registry {
    pub(crate) practices: Vec<Practice>,
    pub(crate) networks: Vec<Network>,
    /// Each practice's memberships, sorted by start date then network.
    pub(crate) memberships: Vec<Vec<Membership>>,
    pub(crate) mergers: Vec<Merger>,
    // Indices derived from the above, rebuilt by the operations that change them.
    pub(crate) practice_by_code: HashMap<OdsCode, PracticeIndex>,
    pub(crate) practice_by_id: HashMap<PracticeId, PracticeIndex>,
    pub(crate) network_by_id: HashMap<NetworkId, NetworkIndex>,
    pub(crate) network_by_code: HashMap<OdsCode, NetworkIndex>,
    /// Each practice's PCN over time.
    pub(crate) pcn_of: Vec<Timeline<NetworkIndex>>,
    /// Each network's practices that were ever members, in index order.
    pub(crate) members: Vec<Vec<PracticeIndex>>,
    /// Each network's registered population over time.
    pub(crate) population: Vec<Timeline<u64>>,
}

impl Registry {
    /// An empty registry.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a practice (with any list sizes it already holds).
    ///
    /// # Errors
    /// [`NetworkError::DuplicatePractice`] if a practice with the same code is present;
    /// [`NetworkError::RegistryFull`] beyond 2^32 - 1 practices.
    pub fn add_practice(&mut self, practice: Practice) -> Result<PracticeIndex, NetworkError> {
        if self.practice_by_code.contains_key(&practice.code()) {
            return Err(NetworkError::DuplicatePractice {
                practice: practice.code(),
            });
        }
        let index = PracticeIndex(u32::try_from(self.practices.len()).map_err(|_| {
            NetworkError::RegistryFull {
                what: "practices",
                max: u32::MAX,
            }
        })?);
        self.practice_by_code.insert(practice.code(), index);
        self.practice_by_id.insert(practice.id(), index);
        self.practices.push(practice);
        self.memberships.push(Vec::new());
        self.pcn_of.push(Timeline::new());
        Ok(index)
    }

    /// Adds a network.
    ///
    /// # Errors
    /// [`NetworkError::DuplicateNetwork`] if a network with the same id or code is
    /// present; [`NetworkError::RegistryFull`] beyond 2^32 - 1 networks.
    pub fn add_network(&mut self, network: Network) -> Result<NetworkIndex, NetworkError> {
        let code_taken = network
            .code()
            .is_some_and(|c| self.network_by_code.contains_key(&c));
        if code_taken || self.network_by_id.contains_key(&network.id()) {
            return Err(NetworkError::DuplicateNetwork {
                network: network.label(),
            });
        }
        let index = NetworkIndex(u32::try_from(self.networks.len()).map_err(|_| {
            NetworkError::RegistryFull {
                what: "networks",
                max: u32::MAX,
            }
        })?);
        self.network_by_id.insert(network.id(), index);
        if let Some(code) = network.code() {
            self.network_by_code.insert(code, index);
        }
        self.networks.push(network);
        self.members.push(Vec::new());
        self.population.push(Timeline::new());
        Ok(index)
    }

    /// The practice at `index`.
    #[must_use]
    pub fn practice(&self, index: PracticeIndex) -> Option<&Practice> {
        self.practices.get(index.slot())
    }

    /// The network at `index`.
    #[must_use]
    pub fn network(&self, index: NetworkIndex) -> Option<&Network> {
        self.networks.get(index.slot())
    }

    /// The network at `index`, to change its clinical directors, payee, agreement,
    /// partners and exceptions (its identity, kind and open dates cannot change).
    #[must_use]
    pub fn network_mut(&mut self, index: NetworkIndex) -> Option<&mut Network> {
        self.networks.get_mut(index.slot())
    }

    /// The index of the practice with this ODS code.
    #[must_use]
    pub fn practice_index(&self, code: &OdsCode) -> Option<PracticeIndex> {
        self.practice_by_code.get(code).copied()
    }

    /// The index of the practice with this id.
    #[must_use]
    pub fn practice_index_by_id(&self, id: PracticeId) -> Option<PracticeIndex> {
        self.practice_by_id.get(&id).copied()
    }

    /// The index of the network with this id.
    #[must_use]
    pub fn network_index(&self, id: NetworkId) -> Option<NetworkIndex> {
        self.network_by_id.get(&id).copied()
    }

    /// The index of the network with this ODS code.
    #[must_use]
    pub fn network_index_by_code(&self, code: &OdsCode) -> Option<NetworkIndex> {
        self.network_by_code.get(code).copied()
    }

    /// How many practices the registry holds.
    #[must_use]
    pub fn practice_count(&self) -> usize {
        self.practices.len()
    }

    /// How many networks the registry holds.
    #[must_use]
    pub fn network_count(&self) -> usize {
        self.networks.len()
    }

    /// Every practice with its index, in index order.
    pub fn practices(&self) -> impl ExactSizeIterator<Item = (PracticeIndex, &Practice)> {
        self.practices
            .iter()
            .enumerate()
            .map(|(i, p)| (PracticeIndex(dense(i)), p))
    }

    /// Every network with its index, in index order.
    pub fn networks(&self) -> impl ExactSizeIterator<Item = (NetworkIndex, &Network)> {
        self.networks
            .iter()
            .enumerate()
            .map(|(i, n)| (NetworkIndex(dense(i)), n))
    }

    /// Every membership, past and present, by practice.
    pub fn memberships(&self) -> impl Iterator<Item = &Membership> {
        self.memberships.iter().flatten()
    }

    /// The number of memberships recorded.
    #[must_use]
    pub fn membership_count(&self) -> usize {
        self.memberships.iter().map(Vec::len).sum()
    }

    /// A practice's memberships, in date order.
    #[must_use]
    pub fn memberships_of(&self, practice: PracticeIndex) -> &[Membership] {
        self.memberships
            .get(practice.slot())
            .map_or(&[], Vec::as_slice)
    }

    /// The mergers recorded, in the order they were made.
    #[must_use]
    pub fn mergers(&self) -> &[Merger] {
        &self.mergers
    }

    /// Sets or clears a practice's location.
    ///
    /// # Errors
    /// [`NetworkError::UnknownPractice`] for an index from another registry.
    pub fn set_location(
        &mut self,
        practice: PracticeIndex,
        location: Option<Location>,
    ) -> Result<(), NetworkError> {
        self.practice_mut(practice)?.set_location(location);
        Ok(())
    }

    /// Records that `commissioner` commissions a practice from `from` on.
    ///
    /// # Errors
    /// [`NetworkError::UnknownPractice`] for an index from another registry.
    pub fn set_commissioner(
        &mut self,
        practice: PracticeIndex,
        from: NaiveDate,
        commissioner: OdsCode,
    ) -> Result<(), NetworkError> {
        self.practice_mut(practice)?
            .set_commissioner(from, commissioner);
        Ok(())
    }

    pub(crate) fn practice_ref(&self, index: PracticeIndex) -> Result<&Practice, NetworkError> {
        self.practices
            .get(index.slot())
            .ok_or(NetworkError::UnknownPractice {
                index: index.0,
                len: self.practices.len(),
            })
    }

    pub(crate) fn practice_mut(
        &mut self,
        index: PracticeIndex,
    ) -> Result<&mut Practice, NetworkError> {
        let len = self.practices.len();
        self.practices
            .get_mut(index.slot())
            .ok_or(NetworkError::UnknownPractice {
                index: index.0,
                len,
            })
    }

    pub(crate) fn network_ref(&self, index: NetworkIndex) -> Result<&Network, NetworkError> {
        self.networks
            .get(index.slot())
            .ok_or(NetworkError::UnknownNetwork {
                index: index.0,
                len: self.networks.len(),
            })
    }

    /// The label (code and name) of a network, for messages.
    pub(crate) fn label(&self, network: NetworkIndex) -> String {
        self.network(network)
            .map_or_else(|| format!("network #{}", network.0), Network::label)
    }

    pub(crate) fn memberships_mut(&mut self, practice: PracticeIndex) -> &mut Vec<Membership> {
        &mut self.memberships[practice.slot()]
    }

    pub(crate) fn is_pcn(&self, network: NetworkIndex) -> bool {
        self.network(network).is_some_and(|n| n.kind().is_pcn())
    }

    /// Rebuilds a practice's PCN timeline from its memberships.
    pub(crate) fn rebuild_pcn_of(&mut self, practice: PracticeIndex) {
        let mut timeline = Timeline::new();
        let mut pcn_memberships = self.memberships[practice.slot()]
            .iter()
            .filter(|m| self.is_pcn(m.network))
            .peekable();
        while let Some(m) = pcn_memberships.next() {
            timeline.set(m.during.from(), m.network);
            if let Some(to) = m.during.to()
                && pcn_memberships
                    .peek()
                    .is_none_or(|next| next.during.from() != to)
            {
                timeline.end(to);
            }
        }
        self.pcn_of[practice.slot()] = timeline;
    }

    /// Notes that the practice has (or had) a membership of the network.
    pub(crate) fn note_member(&mut self, network: NetworkIndex, practice: PracticeIndex) {
        let members = &mut self.members[network.slot()];
        if let Err(at) = members.binary_search(&practice) {
            members.insert(at, practice);
        }
    }

    /// The networks a practice has memberships in, without repeats.
    pub(crate) fn networks_touched(&self, practice: PracticeIndex) -> Vec<NetworkIndex> {
        let mut networks: Vec<_> = self
            .memberships_of(practice)
            .iter()
            .map(|m| m.network)
            .collect();
        networks.sort_unstable();
        networks.dedup();
        networks
    }

    /// Rebuilds every derived index from the primary data.
    pub(crate) fn rebuild_all(&mut self) {
        for slot in 0..self.practices.len() {
            self.rebuild_pcn_of(PracticeIndex(dense(slot)));
        }
        for slot in 0..self.networks.len() {
            self.rebuild_population(NetworkIndex(dense(slot)));
        }
    }
}

/// The serde form of a [`Registry`]: the primary data, by code and id, from which the
/// indices are rebuilt and every invariant checked again on the way in.
#[derive(Serialize, Deserialize)]
struct RegistryRecord {
    practices: Vec<Practice>,
    networks: Vec<Network>,
    memberships: Vec<MembershipRecord>,
    mergers: Vec<MergerRecord>,
}

/// A membership by practice code and network id.
#[derive(Serialize, Deserialize)]
struct MembershipRecord {
    practice: OdsCode,
    network: NetworkId,
    during: DateRange,
}

/// A merger by practice codes.
#[derive(Serialize, Deserialize)]
struct MergerRecord {
    closed: OdsCode,
    successor: OdsCode,
    on: NaiveDate,
    list_moved: u32,
}

impl TryFrom<RegistryRecord> for Registry {
    type Error = NetworkError;

    fn try_from(record: RegistryRecord) -> Result<Self, Self::Error> {
        let mut registry = Self::new();
        for practice in record.practices {
            registry.add_practice(practice)?;
        }
        for network in record.networks {
            registry.add_network(network)?;
        }
        let practice = |registry: &Self, code: OdsCode| {
            registry
                .practice_index(&code)
                .ok_or(NetworkError::NoSuchPractice { practice: code })
        };
        for m in record.memberships {
            let p = practice(&registry, m.practice)?;
            let n =
                registry
                    .network_index(m.network)
                    .ok_or_else(|| NetworkError::NoSuchNetwork {
                        network: m.network.to_string(),
                    })?;
            registry.insert_membership(p, n, m.during)?;
        }
        for m in record.mergers {
            let merger = Merger {
                closed: practice(&registry, m.closed)?,
                successor: practice(&registry, m.successor)?,
                on: m.on,
                list_moved: m.list_moved,
            };
            registry.mergers.push(merger);
        }
        registry.rebuild_all();
        Ok(registry)
    }
}

impl From<Registry> for RegistryRecord {
    fn from(registry: Registry) -> Self {
        let code = |p: PracticeIndex| registry.practices[p.slot()].code();
        let memberships = registry
            .memberships()
            .map(|m| MembershipRecord {
                practice: code(m.practice),
                network: registry.networks[m.network.slot()].id(),
                during: m.during,
            })
            .collect();
        let mergers = registry
            .mergers
            .iter()
            .map(|m| MergerRecord {
                closed: code(m.closed),
                successor: code(m.successor),
                on: m.on,
                list_moved: m.list_moved,
            })
            .collect();
        Self {
            memberships,
            mergers,
            practices: registry.practices,
            networks: registry.networks,
        }
    }
}
