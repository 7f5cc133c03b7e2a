//! Travel: where patients live and where workers start from, and how long the road
//! between them takes.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use pcn_core::{Basis, Location, PatientId, StaffId, TeamId};
use serde::{Deserialize, Serialize};

use crate::TeamError;

/// How travel time is estimated from two points: the straight-line (great-circle)
/// distance, times a road factor for the detours of the road network, at an average
/// speed; and how many visits make a typical day's round.
///
/// | parameter | default | basis |
/// |---|---|---|
/// | [`road_factor_hundredths`](Self::road_factor_hundredths) | 140 (road distance 1.40 times the straight line) | assumption, plausible range 1.20 to 1.60. Boscoe, Henry and Zdeb, "A nationwide comparison of driving distance versus straight-line distance to hospitals", *The Professional Geographer* 64(2), 2012, found road and straight-line distance very highly correlated (r² > 0.9), which is what makes a single factor usable; no English community-nursing figure was found |
/// | [`speed_kmh`](Self::speed_kmh) | 20 km/h door to door | assumption for urban home visiting by car, parking included, plausible range 15 to 40 km/h (lower in inner London, higher in rural areas); no published figure for community staff was found |
/// | [`visits_per_day`](Self::visits_per_day) | 6 | assumption, plausible range 4 to 10; no national figure for home visits a day per community nurse was found |
///
/// Each is a parameter: set the figures of the area when they are known.
///
/// ```
/// use pcn_core::Location;
/// use pcn_team::TravelAssumptions;
/// let travel = TravelAssumptions::default();
/// let whetstone = Location::new(51.6243, -0.1591)?;
/// let finchley = Location::new(51.5996, -0.1932)?;
/// // About 3.6 km apart in a straight line: 5 km by road at 20 km/h is 15 minutes.
/// let minutes = travel.seconds(whetstone, finchley) / 60;
/// assert!((14..=16).contains(&minutes));
/// assert!(travel.basis().iter().all(|(_, basis)| basis.is_assumption()));
/// assert!(TravelAssumptions::default().with_speed_kmh(0).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TravelAssumptions {
    road_factor_hundredths: u32,
    speed_kmh: u32,
    visits_per_day: u32,
}

impl Default for TravelAssumptions {
    fn default() -> Self {
        Self {
            road_factor_hundredths: 140,
            speed_kmh: 20,
            visits_per_day: 6,
        }
    }
}

impl TravelAssumptions {
    /// The road distance per straight-line distance, in hundredths (140 is 1.40).
    #[must_use]
    pub const fn road_factor_hundredths(&self) -> u32 {
        self.road_factor_hundredths
    }

    /// The average speed door to door, in km/h.
    #[must_use]
    pub const fn speed_kmh(&self) -> u32 {
        self.speed_kmh
    }

    /// The home visits of a typical day's round.
    #[must_use]
    pub const fn visits_per_day(&self) -> u32 {
        self.visits_per_day
    }

    /// The assumptions with another road factor, in hundredths.
    ///
    /// # Errors
    /// [`TeamError::InvalidParameter`] unless it is from 100 (a straight road) to 400.
    pub fn with_road_factor_hundredths(self, hundredths: u32) -> Result<Self, TeamError> {
        if !(100..=400).contains(&hundredths) {
            return Err(TeamError::InvalidParameter {
                parameter: "road factor",
                value: format!("{hundredths} hundredths"),
                reason: "must be from 100 (a straight road) to 400 hundredths of the straight-line distance",
            });
        }
        Ok(Self {
            road_factor_hundredths: hundredths,
            ..self
        })
    }

    /// The assumptions with another average speed.
    ///
    /// # Errors
    /// [`TeamError::InvalidParameter`] unless it is from 1 to 130 km/h.
    pub fn with_speed_kmh(self, speed_kmh: u32) -> Result<Self, TeamError> {
        if !(1..=130).contains(&speed_kmh) {
            return Err(TeamError::InvalidParameter {
                parameter: "travel speed",
                value: format!("{speed_kmh} km/h"),
                reason: "must be from 1 to 130 km/h",
            });
        }
        Ok(Self { speed_kmh, ..self })
    }

    /// The assumptions with another number of visits in a day's round.
    ///
    /// # Errors
    /// [`TeamError::InvalidParameter`] unless it is from 1 to 30.
    pub fn with_visits_per_day(self, visits: u32) -> Result<Self, TeamError> {
        if !(1..=30).contains(&visits) {
            return Err(TeamError::InvalidParameter {
                parameter: "visits per day",
                value: visits.to_string(),
                reason: "must be from 1 to 30 visits in a day's round",
            });
        }
        Ok(Self {
            visits_per_day: visits,
            ..self
        })
    }

    /// The estimated travel time from `from` to `to`, in whole seconds.
    #[must_use]
    pub fn seconds(&self, from: Location, to: Location) -> u32 {
        // metres x factor/100 at speed km/h: seconds = metres x factor x 3.6 / (100 x speed).
        let metres = u64::from(from.distance_m(to));
        let seconds = metres * u64::from(self.road_factor_hundredths) * 36
            / (1_000 * u64::from(self.speed_kmh));
        u32::try_from(seconds).unwrap_or(u32::MAX)
    }

    /// Where each figure comes from, by parameter name.
    #[must_use]
    pub fn basis(&self) -> Vec<(&'static str, Basis)> {
        vec![
            (
                "road_factor",
                Basis::Assumption {
                    note: "road distance 1.40 times the straight line (plausible 1.20 to 1.60); \
                           Boscoe, Henry and Zdeb, Professional Geographer 64(2), 2012, show the two \
                           very highly correlated"
                        .to_owned(),
                },
            ),
            (
                "speed_kmh",
                Basis::Assumption {
                    note: "20 km/h door to door for urban home visits (plausible 15 to 40); no \
                           published figure for community staff found"
                        .to_owned(),
                },
            ),
            (
                "visits_per_day",
                Basis::Assumption {
                    note: "6 home visits in a day's round (plausible 4 to 10); no national figure \
                           found"
                        .to_owned(),
                },
            ),
        ]
    }
}

/// Where patients live and where workers start their rounds: a patient's home, and a
/// worker's base given for the worker or, failing that, for their team (a practice's
/// published location, such as those of `london-practices-2022.csv` read by
/// `pcn_ods::read_locations`, or any point the caller gives).
///
/// Anyone without a place simply has no travel estimate: placement then ignores
/// travel for them. Serde uses `homes`, `staff_bases` and `team_bases`, each a map
/// from id to `{"latitude": .., "longitude": ..}`.
///
/// ```
/// use pcn_core::{Location, PatientId, StaffId, TeamId};
/// use pcn_team::Places;
/// let team = TeamId::from_u128(1);
/// let places = Places::new()
///     .with_home(PatientId::from_u128(2), Location::new(51.60, -0.19)?)
///     .with_team_base(team, Location::new(51.62, -0.16)?);
/// assert!(places.base(team, StaffId::from_u128(3)).is_some());
/// assert!(places.home(PatientId::from_u128(4)).is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Places {
    #[serde(default)]
    homes: HashMap<PatientId, Location>,
    #[serde(default)]
    staff_bases: HashMap<StaffId, Location>,
    #[serde(default)]
    team_bases: HashMap<TeamId, Location>,
}

impl Places {
    /// No places known.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// With `patient` living at `home`.
    #[must_use]
    pub fn with_home(mut self, patient: PatientId, home: Location) -> Self {
        self.homes.insert(patient, home);
        self
    }

    /// With `staff` starting their rounds from `base`, in every team.
    #[must_use]
    pub fn with_staff_base(mut self, staff: StaffId, base: Location) -> Self {
        self.staff_bases.insert(staff, base);
        self
    }

    /// With the members of `team` starting their rounds from `base`, unless they have
    /// a base of their own.
    #[must_use]
    pub fn with_team_base(mut self, team: TeamId, base: Location) -> Self {
        self.team_bases.insert(team, base);
        self
    }

    /// Where `patient` lives, if known.
    #[must_use]
    pub fn home(&self, patient: PatientId) -> Option<Location> {
        self.homes.get(&patient).copied()
    }

    /// Where `staff` starts from when working for `team`, if known.
    #[must_use]
    pub fn base(&self, team: TeamId, staff: StaffId) -> Option<Location> {
        self.staff_bases
            .get(&staff)
            .or_else(|| self.team_bases.get(&team))
            .copied()
    }

    /// Whether no place at all is known (placement then ignores travel).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.homes.is_empty() && self.staff_bases.is_empty() && self.team_bases.is_empty()
    }
}

/// Patients who may have the same key workers: one supply of the least-travel
/// problem.
#[derive(Debug, Clone, Default)]
pub(crate) struct TravelGroup {
    /// The patients (the caller's indices), each to be given one of `keys`.
    pub(crate) members: Vec<usize>,
    /// The workers (the caller's indices) any of them may have as key worker.
    pub(crate) keys: Vec<usize>,
    /// A price per member given to each of `keys`, in seconds, added to travel in
    /// the cost the flow makes least (empty: none).
    pub(crate) prices: Vec<u32>,
}

/// The least-travel assignment: each member's key worker and the travel in all.
#[derive(Debug, Clone, Default)]
pub(crate) struct TravelPlan {
    /// (member, worker) for every member of every group.
    pub(crate) key_of: Vec<(usize, usize)>,
    /// The travel of all members, one way, in seconds.
    pub(crate) seconds: u64,
    /// The prices of the key workers given, in seconds.
    pub(crate) priced: u64,
    /// Members given to each worker.
    pub(crate) loads: Vec<u32>,
}

/// Gives every member of `groups` one of their group's key workers, no worker more
/// than `room` members, for the least travel in all (with any prices of the key
/// workers given added): a transportation problem,
/// solved exactly as a minimum-cost flow. `base_of` is each worker's base (an index
/// into the caller's bases, `None` where unknown) and `seconds(member, base)` the
/// travel from that base to the member's home (0 where the home is unknown); a
/// worker without a base costs nothing to anyone.
///
/// The flow runs source → member → (group, base) → worker → sink. Members are
/// never nodes of their own: the arcs of a (group, base) node stand for them, the
/// cheapest member not yet placed entering at that base, and the member for whom a
/// move to another base costs least leaving it. Successive shortest paths with
/// node potentials (Dijkstra, then every path of zero reduced cost) keep the flow
/// of least cost for its size at every step, so the full flow is the optimum.
///
/// `None` when not every member can be given a key worker.
pub(crate) fn least_travel(
    groups: &[TravelGroup],
    base_of: &[Option<usize>],
    room: &[u32],
    seconds: &dyn Fn(usize, usize) -> u32,
) -> Option<TravelPlan> {
    let mut flow = Flow::new(groups, base_of, room, seconds);
    while flow.left > 0 {
        if !flow.shortest_paths() {
            return None;
        }
        flow.augment_phase();
    }
    Some(flow.plan(groups, room.len()))
}

/// One group of the flow: its members, the bases its key workers start from, and
/// where each member is.
#[derive(Debug)]
struct FlowGroup {
    /// The distinct bases of the group's key workers.
    bases: Vec<Option<usize>>,
    /// The node of the group at its first base; the others follow.
    first_node: usize,
    /// Travel of member `m` from local base `b`: `cost[m * bases.len() + b]`.
    cost: Vec<i64>,
    /// Each member's local base, once given one.
    at: Vec<Option<usize>>,
    /// Members by travel from each local base, least first.
    order: Vec<Vec<usize>>,
    /// How far down `order` the members are all placed already.
    next: Vec<usize>,
    /// For each pair of local bases (from, to), the members at `from` by the change
    /// of travel a move to `to` brings, least first (stale entries skipped).
    moves: Vec<BinaryHeap<Reverse<(i64, usize)>>>,
}

impl FlowGroup {
    fn width(&self) -> usize {
        self.bases.len()
    }

    fn cost(&self, member: usize, base: usize) -> i64 {
        self.cost[member * self.width() + base]
    }

    /// The member not yet placed who travels least from local base `b`.
    fn entering(&mut self, b: usize) -> Option<usize> {
        let order = &self.order[b];
        while self.next[b] < order.len() && self.at[order[self.next[b]]].is_some() {
            self.next[b] += 1;
        }
        order.get(self.next[b]).copied()
    }

    /// The member at local base `from` whose move to `to` costs least.
    fn moving(&mut self, from: usize, to: usize) -> Option<(i64, usize)> {
        let width = self.width();
        let heap = &mut self.moves[from * width + to];
        while let Some(&Reverse((delta, m))) = heap.peek() {
            if self.at[m] == Some(from) {
                return Some((delta, m));
            }
            heap.pop();
        }
        None
    }

    fn put(&mut self, member: usize, b: usize) {
        self.at[member] = Some(b);
        let width = self.width();
        for to in (0..width).filter(|&to| to != b) {
            let delta = self.cost(member, to) - self.cost(member, b);
            self.moves[b * width + to].push(Reverse((delta, member)));
        }
    }
}

/// An arc of the residual graph, as the change it makes when flow is sent on it.
#[derive(Debug, Clone, Copy)]
enum Step {
    /// A member of group `0` not yet placed enters at local base `1`.
    Enter(usize, usize),
    /// A member of group `0` moves from local base `1` to local base `2`.
    Move(usize, usize, usize),
    /// One more member on key arc `0`.
    Key(usize),
    /// One member fewer on key arc `0`.
    Unkey(usize),
    /// Worker `0` takes one more member.
    Take(usize),
}

/// An arc from a (group, base) node to a worker who may key the group.
#[derive(Debug, Clone, Copy)]
struct KeyArc {
    from: usize,
    worker: usize,
    cost: i64,
    flow: u32,
}

const SOURCE: usize = 0;
const SINK: usize = 1;

/// The min-cost flow of [`least_travel`]. Nodes: the source, the sink, each
/// (group, base), each worker.
#[derive(Debug)]
struct Flow {
    groups: Vec<FlowGroup>,
    /// (group, local base) of each (group, base) node, from node 2 on.
    node_of: Vec<(usize, usize)>,
    /// Key arcs out of each (group, base) node.
    out_keys: Vec<Vec<usize>>,
    /// Key arcs into each worker.
    in_keys: Vec<Vec<usize>>,
    arcs: Vec<KeyArc>,
    room: Vec<u32>,
    load: Vec<u32>,
    potential: Vec<i64>,
    left: usize,
    first_worker: usize,
    /// Per node, the phase it was found to lead nowhere in.
    dead: Vec<u32>,
    /// Per node, the search it was last visited in.
    seen: Vec<u32>,
    phase: u32,
    search: u32,
}

impl Flow {
    fn new(
        groups: &[TravelGroup],
        base_of: &[Option<usize>],
        room: &[u32],
        seconds: &dyn Fn(usize, usize) -> u32,
    ) -> Self {
        let mut flow_groups = Vec::with_capacity(groups.len());
        let mut node_of = Vec::new();
        let mut keys_of_node: Vec<Vec<(usize, i64)>> = Vec::new();
        let mut left = 0;
        for (g, group) in groups.iter().enumerate() {
            let mut bases: Vec<Option<usize>> = Vec::new();
            let first_node = 2 + node_of.len();
            for (i, &k) in group.keys.iter().enumerate() {
                let base = base_of[k];
                let price = i64::from(group.prices.get(i).copied().unwrap_or(0));
                let b = match bases.iter().position(|&x| x == base) {
                    Some(b) => b,
                    None => {
                        bases.push(base);
                        node_of.push((g, bases.len() - 1));
                        keys_of_node.push(Vec::new());
                        bases.len() - 1
                    }
                };
                keys_of_node[first_node - 2 + b].push((k, price));
            }
            let width = bases.len();
            let members = group.members.len();
            let mut cost = Vec::with_capacity(members * width);
            for &m in &group.members {
                cost.extend(
                    bases
                        .iter()
                        .map(|b| b.map_or(0, |b| i64::from(seconds(m, b)))),
                );
            }
            let order = (0..width)
                .map(|b| {
                    let mut list: Vec<usize> = (0..members).collect();
                    list.sort_by_key(|&m| (cost[m * width + b], m));
                    list
                })
                .collect();
            // Members of a group without key workers are left: the flow then fails.
            left += members;
            flow_groups.push(FlowGroup {
                bases,
                first_node,
                cost,
                at: vec![None; members],
                order,
                next: vec![0; width],
                moves: (0..width * width).map(|_| BinaryHeap::new()).collect(),
            });
        }
        let first_worker = 2 + node_of.len();
        let mut arcs = Vec::new();
        let mut out_keys = vec![Vec::new(); node_of.len()];
        let mut in_keys = vec![Vec::new(); room.len()];
        for (n, keys) in keys_of_node.into_iter().enumerate() {
            for (k, cost) in keys {
                in_keys[k].push(arcs.len());
                out_keys[n].push(arcs.len());
                arcs.push(KeyArc {
                    from: n + 2,
                    worker: k,
                    cost,
                    flow: 0,
                });
            }
        }
        let nodes = first_worker + room.len();
        Self {
            groups: flow_groups,
            node_of,
            out_keys,
            in_keys,
            arcs,
            room: room.to_vec(),
            load: vec![0; room.len()],
            potential: vec![0; nodes],
            left,
            first_worker,
            dead: vec![0; nodes],
            seen: vec![0; nodes],
            phase: 0,
            search: 0,
        }
    }

    fn nodes(&self) -> usize {
        self.potential.len()
    }

    /// The arc from the source into (group, base) node `node`, if a member is left.
    fn enter_arc(&mut self, node: usize) -> Option<(usize, i64, Step)> {
        let (g, b) = self.node_of[node - 2];
        let group = &mut self.groups[g];
        let m = group.entering(b)?;
        Some((node, group.cost(m, b), Step::Enter(g, b)))
    }

    /// The residual arcs out of `u` other than the source's: (head, cost, step).
    fn arcs_out(&mut self, u: usize, out: &mut Vec<(usize, i64, Step)>) {
        out.clear();
        if u == SOURCE {
            for node in 2..self.first_worker {
                out.extend(self.enter_arc(node));
            }
        } else if u < self.first_worker && u >= 2 {
            let (g, b) = self.node_of[u - 2];
            let group = &mut self.groups[g];
            for to in (0..group.width()).filter(|&to| to != b) {
                if let Some((delta, _)) = group.moving(b, to) {
                    out.push((group.first_node + to, delta, Step::Move(g, b, to)));
                }
            }
            for &a in &self.out_keys[u - 2] {
                let arc = self.arcs[a];
                out.push((self.first_worker + arc.worker, arc.cost, Step::Key(a)));
            }
        } else if u >= self.first_worker {
            let k = u - self.first_worker;
            for &a in &self.in_keys[k] {
                if self.arcs[a].flow > 0 {
                    out.push((self.arcs[a].from, -self.arcs[a].cost, Step::Unkey(a)));
                }
            }
            if self.load[k] < self.room[k] {
                out.push((SINK, 0, Step::Take(k)));
            }
        }
    }

    fn reduced(&self, u: usize, v: usize, cost: i64) -> i64 {
        let reduced = cost + self.potential[u] - self.potential[v];
        debug_assert!(
            reduced >= 0,
            "negative reduced cost {reduced} on {u} -> {v}"
        );
        reduced
    }

    /// Dijkstra from the source on reduced costs; updates the potentials so that
    /// every shortest path to the sink has zero reduced cost. False when the sink
    /// cannot be reached.
    fn shortest_paths(&mut self) -> bool {
        let n = self.nodes();
        let mut dist = vec![i64::MAX; n];
        let mut done = vec![false; n];
        let mut heap = BinaryHeap::new();
        let mut out = Vec::new();
        dist[SOURCE] = 0;
        heap.push(Reverse((0i64, SOURCE)));
        while let Some(Reverse((d, u))) = heap.pop() {
            if done[u] {
                continue;
            }
            done[u] = true;
            if u == SINK {
                break;
            }
            self.arcs_out(u, &mut out);
            for &(v, cost, _) in &out {
                let next = d + self.reduced(u, v, cost).max(0);
                if next < dist[v] {
                    dist[v] = next;
                    heap.push(Reverse((next, v)));
                }
            }
        }
        if !done[SINK] {
            return false;
        }
        let to_sink = dist[SINK];
        for v in 0..n {
            if done[v] {
                self.potential[v] += dist[v] - to_sink;
            }
        }
        true
    }

    /// Sends flow on paths of zero reduced cost until none is left.
    fn augment_phase(&mut self) {
        self.phase += 1;
        let mut start = 2;
        let mut out = Vec::new();
        while self.left > 0 && start < self.first_worker {
            let admissible = self.dead[start] != self.phase
                && self
                    .enter_arc(start)
                    .is_some_and(|(v, cost, _)| self.reduced(SOURCE, v, cost) == 0);
            if !admissible {
                start += 1;
                continue;
            }
            match self.path_from(start, &mut out) {
                Some(path) => {
                    let Some((_, _, enter)) = self.enter_arc(start) else {
                        break;
                    };
                    self.apply(enter);
                    for step in path {
                        self.apply(step);
                    }
                }
                None => start += 1,
            }
        }
    }

    /// A path of zero reduced cost from `start` to the sink, by depth-first search,
    /// marking nodes that lead nowhere.
    fn path_from(&mut self, start: usize, out: &mut Vec<(usize, i64, Step)>) -> Option<Vec<Step>> {
        self.search += 1;
        let search = self.search;
        // Frames: node, where its admissible arcs start in `arcs`, the next arc to
        // try, and whether an arc was passed over only because its head was already
        // seen in this search.
        let mut stack: Vec<(usize, usize, usize, bool)> = Vec::new();
        let mut arcs: Vec<(usize, Step)> = Vec::new();
        let mut steps: Vec<Step> = Vec::new();
        let mut visited: Vec<usize> = Vec::new();
        let mut open = |flow: &mut Self, u: usize, arcs: &mut Vec<(usize, Step)>| {
            flow.seen[u] = search;
            visited.push(u);
            flow.arcs_out(u, out);
            let from = arcs.len();
            arcs.extend(
                out.iter()
                    .filter(|&&(v, cost, _)| {
                        flow.dead[v] != flow.phase && flow.reduced(u, v, cost) == 0
                    })
                    .map(|&(v, _, step)| (v, step)),
            );
            (u, from, from, false)
        };
        let first = open(self, start, &mut arcs);
        stack.push(first);
        while let Some(&mut (u, from, ref mut next, ref mut blocked)) = stack.last_mut() {
            if *next == arcs.len() {
                if !*blocked {
                    self.dead[u] = self.phase;
                }
                arcs.truncate(from);
                stack.pop();
                steps.pop();
                if let Some(parent) = stack.last_mut() {
                    parent.2 += 1;
                }
                continue;
            }
            let (v, step) = arcs[*next];
            if v == SINK {
                steps.push(step);
                return Some(steps);
            }
            if self.dead[v] == self.phase {
                *next += 1;
                continue;
            }
            if self.seen[v] == search {
                *blocked = true;
                *next += 1;
                continue;
            }
            steps.push(step);
            let frame = open(self, v, &mut arcs);
            stack.push(frame);
        }
        // Nothing seen in a search that failed can reach the sink in this phase.
        for u in visited {
            self.dead[u] = self.phase;
        }
        None
    }

    fn apply(&mut self, step: Step) {
        match step {
            Step::Enter(g, b) => {
                let group = &mut self.groups[g];
                if let Some(m) = group.entering(b) {
                    group.put(m, b);
                    self.left -= 1;
                }
            }
            Step::Move(g, from, to) => {
                let group = &mut self.groups[g];
                if let Some((_, m)) = group.moving(from, to) {
                    group.put(m, to);
                }
            }
            Step::Key(a) => self.arcs[a].flow += 1,
            Step::Unkey(a) => self.arcs[a].flow -= 1,
            Step::Take(k) => self.load[k] += 1,
        }
    }

    /// The members' key workers: those at each (group, base) shared out over its key
    /// arcs by their flow.
    fn plan(&self, groups: &[TravelGroup], workers: usize) -> TravelPlan {
        let mut plan = TravelPlan {
            key_of: Vec::new(),
            seconds: 0,
            priced: 0,
            loads: vec![0; workers],
        };
        for (group, given) in self.groups.iter().zip(groups) {
            for b in 0..group.width() {
                let node = group.first_node + b;
                let mut places = self.out_keys[node - 2]
                    .iter()
                    .flat_map(|&a| std::iter::repeat_n(self.arcs[a], self.arcs[a].flow as usize));
                for (m, _) in group
                    .at
                    .iter()
                    .enumerate()
                    .filter(|&(_, &at)| at == Some(b))
                {
                    if let Some(arc) = places.next() {
                        let k = arc.worker;
                        plan.key_of.push((given.members[m], k));
                        plan.loads[k] += 1;
                        plan.priced += u64::try_from(arc.cost).unwrap_or(0);
                        plan.seconds += u64::try_from(group.cost(m, b)).unwrap_or(0);
                    }
                }
            }
        }
        plan
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn travel_grows_with_distance_factor_and_slowness() {
        let a = Location::new(51.60, -0.19).unwrap();
        let b = Location::new(51.62, -0.16).unwrap();
        let base = TravelAssumptions::default();
        assert_eq!(base.seconds(a, a), 0);
        let slow = base.with_speed_kmh(10).unwrap();
        assert!(slow.seconds(a, b) >= 2 * base.seconds(a, b) - 1);
        let winding = base.with_road_factor_hundredths(280).unwrap();
        assert!(winding.seconds(a, b) >= 2 * base.seconds(a, b) - 1);
        assert!(base.with_road_factor_hundredths(99).is_err());
        assert!(base.with_visits_per_day(0).is_err());
        let json = serde_json::to_string(&base).unwrap();
        assert_eq!(
            json,
            r#"{"road_factor_hundredths":140,"speed_kmh":20,"visits_per_day":6}"#
        );
    }

    #[test]
    fn a_staff_base_wins_over_the_team_base() {
        let (team, staff) = (TeamId::from_u128(1), StaffId::from_u128(2));
        let a = Location::new(51.60, -0.19).unwrap();
        let b = Location::new(51.62, -0.16).unwrap();
        let places = Places::new().with_team_base(team, a);
        assert_eq!(places.base(team, staff), Some(a));
        let places = places.with_staff_base(staff, b);
        assert_eq!(places.base(team, staff), Some(b));
        let json = serde_json::to_string(&places).unwrap();
        assert_eq!(serde_json::from_str::<Places>(&json).unwrap(), places);
    }

    /// The least travel by trying every assignment.
    fn brute(
        groups: &[TravelGroup],
        room: &[u32],
        cost: &dyn Fn(usize, usize) -> u64,
    ) -> Option<u64> {
        let members: Vec<(usize, &[usize])> = groups
            .iter()
            .flat_map(|g| g.members.iter().map(move |&m| (m, &g.keys[..])))
            .collect();
        fn go(
            i: usize,
            members: &[(usize, &[usize])],
            load: &mut Vec<u32>,
            room: &[u32],
            cost: &dyn Fn(usize, usize) -> u64,
        ) -> Option<u64> {
            let Some(&(m, keys)) = members.get(i) else {
                return Some(0);
            };
            let mut best = None;
            for &k in keys {
                if load[k] < room[k] {
                    load[k] += 1;
                    if let Some(rest) = go(i + 1, members, load, room, cost) {
                        let total = rest + cost(m, k);
                        best = Some(best.map_or(total, |b: u64| b.min(total)));
                    }
                    load[k] -= 1;
                }
            }
            best
        }
        go(0, &members, &mut vec![0; room.len()], room, cost)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// The flow's travel equals the least over every assignment, and it keeps
        /// every key worker's room and every group's key workers.
        #[test]
        fn least_travel_equals_exhaustive_search(
            sizes in proptest::collection::vec(0usize..4, 1..4),
            keys in proptest::collection::vec(proptest::collection::vec(0usize..5, 1..4), 3),
            room in proptest::collection::vec(0u32..4, 5),
            base_of in proptest::collection::vec(proptest::option::weighted(0.85, 0usize..3), 5),
            costs in proptest::collection::vec(0u32..50, 36),
            prices in proptest::collection::vec(0u32..30, 5),
        ) {
            let mut next = 0;
            let groups: Vec<TravelGroup> = sizes
                .iter()
                .zip(&keys)
                .map(|(&n, keys)| {
                    let mut keys = keys.clone();
                    keys.sort_unstable();
                    keys.dedup();
                    let members = (next..next + n).collect();
                    next += n;
                    let group_prices = keys.iter().map(|&k| prices[k]).collect();
                    TravelGroup { members, keys, prices: group_prices }
                })
                .collect();
            let seconds = |m: usize, b: usize| costs[(m * 3 + b) % costs.len()];
            let per_worker = |m: usize, k: usize| base_of[k].map_or(0, |b| u64::from(seconds(m, b)));
            let priced = |m: usize, k: usize| per_worker(m, k) + u64::from(prices[k]);
            let expected = brute(&groups, &room, &priced);
            let plan = least_travel(&groups, &base_of, &room, &seconds);
            proptest::prop_assert_eq!(plan.as_ref().map(|p| p.seconds + p.priced), expected);
            if let Some(plan) = plan {
                proptest::prop_assert_eq!(plan.key_of.len(), next);
                let total: u64 = plan.key_of.iter().map(|&(m, k)| per_worker(m, k)).sum();
                proptest::prop_assert_eq!(total, plan.seconds);
                let paid: u64 = plan.key_of.iter().map(|&(_, k)| u64::from(prices[k])).sum();
                proptest::prop_assert_eq!(paid, plan.priced);
                for (k, &load) in plan.loads.iter().enumerate() {
                    proptest::prop_assert!(load <= room[k]);
                }
                for &(m, k) in &plan.key_of {
                    let group = groups.iter().find(|g| g.members.contains(&m)).unwrap();
                    proptest::prop_assert!(group.keys.contains(&k));
                }
            }
        }
    }
}
