//! Optimal caseload placement: the most patients placed under every rule of the
//! planner, then the least disruption of existing care, then the least travel, then
//! the most even load; with the bound on how many any placement could place, and
//! every unplaced patient explained.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::time::{Duration, Instant};

use microlp::{ComparisonOp, OptimizationDirection, Problem, SolveOptions, SolveOutcome, Variable};
use pcn_core::{Location, PatientId, PracticeId, Role, StaffId, TeamId, Wte};
use serde::{Deserialize, Serialize};

mod coordination;

use crate::caseload::less_loaded;
use crate::travel::{TravelGroup, TravelPlan, least_travel};
use crate::{
    Assignment, CaseloadPatient, CaseloadPlanner, Caseloads, ComplexCare, Locality, Places,
    SkillSet, TeamError, TravelAssumptions, Unassigned, UnassignedReason,
};
use coordination::{Coordination, WhoWaits};

/// The settings of an optimal placement.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PlacementOptions {
    /// How travel time is estimated.
    pub travel: TravelAssumptions,
    /// The most time each of the first two stages (most placed, least disruption)
    /// may take, in milliseconds; a stage that runs out keeps the best placement
    /// found so far, and the bound says how far from the most it may be.
    pub stage_time_limit_ms: u64,
    /// The most time, in milliseconds, for each of two searches: the first choice
    /// of who is placed and of coordination, by travel at class means, and, where
    /// the search over every coordination does not prove the travel, the bisection
    /// for the most even load within the coordination found. See [`Placement`].
    pub refine_time_limit_ms: u64,
    /// The relative gap at which the choice of coordination by travel at class
    /// means stops searching: 0.01 stops within 1 % of the least it could prove.
    pub refine_gap: f64,
    /// The most time, in milliseconds, for the pricing that tightens the bound on
    /// travel where the search of
    /// [`travel_time_limit_ms`](Self::travel_time_limit_ms) does not finish (it
    /// always makes its first, unpriced, step). More time gives a closer bound: on
    /// the 50,000-patient network (400 staff, 2 cores) the travel is at most 6.7 %
    /// above it at 500 ms and 5.4 % at 15 s. Absent from serialised options written
    /// before it existed, it reads as the default.
    #[serde(default = "default_bound_time_limit_ms")]
    pub bound_time_limit_ms: u64,
    /// The most time, in milliseconds, for each search over every coordination (an
    /// integer programme over the placed patients' bases, key workers and
    /// coordinating places; see [`Placement`]): for the least travel (with the most
    /// even load, where patients wait), and then for the most even load at that
    /// travel. Where the travel search finishes, the travel is proven the least
    /// and the pricing of [`bound_time_limit_ms`](Self::bound_time_limit_ms) is not
    /// needed: on the bench network (3,000 patients, 60 staff, 2 cores) it proves
    /// both in about 0.6 s. Where it does not, the travel is the least within the
    /// best coordination found, and the bound says how far from the least it may
    /// be (the 50,000-patient network is out of its reach). Absent from serialised
    /// options written before it existed, it reads as the default.
    #[serde(default = "default_travel_time_limit_ms")]
    pub travel_time_limit_ms: u64,
    /// Whether that search may also choose who waits: false (the default), it
    /// places the patients the first stages placed, and its travel is the least of
    /// placements of those patients keeping as much existing care; true, it may
    /// place others instead, among every placement as good in the first two
    /// objectives (as many placed, as much existing care kept, whoever waits in a
    /// class still the last given), and its travel, when it finishes, is the least
    /// of them all. The first choice of who waits, by travel at class means, is
    /// near: on the bench network choosing again lowers the travel by 0.04 %
    /// (30,045.55 minutes against 30,058.78), proven with the most even load in
    /// about 2.2 s in all, where holding who waits proves both in about 0.6 s.
    /// Absent from serialised options written before it existed, it reads as
    /// false.
    #[serde(default)]
    pub travel_chooses_who_waits: bool,
}

/// The default of [`PlacementOptions::bound_time_limit_ms`].
const fn default_bound_time_limit_ms() -> u64 {
    500
}

/// The default of [`PlacementOptions::travel_time_limit_ms`].
const fn default_travel_time_limit_ms() -> u64 {
    2_000
}

impl Default for PlacementOptions {
    fn default() -> Self {
        Self {
            travel: TravelAssumptions::default(),
            stage_time_limit_ms: 10_000,
            refine_time_limit_ms: 250,
            refine_gap: 0.01,
            bound_time_limit_ms: default_bound_time_limit_ms(),
            travel_time_limit_ms: default_travel_time_limit_ms(),
            travel_chooses_who_waits: false,
        }
    }
}

/// The four objectives of placement, in order of priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    /// The most patients placed.
    MostPlaced,
    /// The most named people (key worker, care coordinator) kept from existing care.
    LeastDisruption,
    /// The least travel from key workers' bases to patients' homes.
    LeastTravel,
    /// The lowest highest load for capacity among the workers.
    MostEvenLoad,
}

impl fmt::Display for Objective {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Objective {
    /// The objective in words: `most placed`, `least disruption`, `least travel`,
    /// `most even load`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::MostPlaced => "most placed",
            Self::LeastDisruption => "least disruption",
            Self::LeastTravel => "least travel",
            Self::MostEvenLoad => "most even load",
        }
    }
}

/// How one stage of the objective went.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    /// The objective.
    pub objective: Objective,
    /// Its value: patients placed, named people kept, minutes of travel (one way,
    /// from each key worker's base to each placed patient's home, summed), or the
    /// highest load for capacity (0 to 1).
    pub value: f64,
    /// Whether it is proven optimal: for the first two, by the solver (false: time
    /// ran out first); for least travel, when the search over every coordination
    /// finished or the travel equals the bound described on [`Placement`]; for
    /// most even load, when its search over every placement at that travel
    /// finished.
    pub proven_optimal: bool,
    /// How far from the proven best the value may be, relative (0.01 is 1 %), where
    /// known.
    pub gap: Option<f64>,
    /// The best value any placement in the stage's reach could have, where known: for
    /// most placed, the most placeable; for least travel, the least travel any
    /// placement in the reach described on [`Placement`] could have; for most even load,
    /// the lowest highest load, where proven.
    pub bound: Option<f64>,
    /// How long it took, in milliseconds.
    pub elapsed_ms: u64,
}

/// How many were placed against how many any placement could place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PlacementBound {
    /// Patients given (repeats of a patient not counted).
    pub patients: u32,
    /// Patients placed.
    pub placed: u32,
    /// No placement under the rules can place more than this.
    pub most_placeable: u32,
}

impl PlacementBound {
    /// How many more any placement could at best place.
    #[must_use]
    pub const fn gap(&self) -> u32 {
        self.most_placeable.saturating_sub(self.placed)
    }

    /// Whether the placement is proven to place as many as possible.
    #[must_use]
    pub const fn is_proven_most(&self) -> bool {
        self.gap() == 0
    }
}

impl fmt::Display for PlacementBound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} placed; no placement can place more than {}",
            thousands(self.placed),
            thousands(self.most_placeable)
        )?;
        if self.gap() > 0 {
            write!(f, " ({} short of the bound)", thousands(self.gap()))?;
        }
        Ok(())
    }
}

/// A number with thousands separators: `2,950`.
fn thousands(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// How much existing care the placement kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Continuity {
    /// Named people (key worker, care coordinator, accountable GP) kept.
    pub kept: u32,
    /// Named people the patients had who are no longer named in that role (their
    /// patient unplaced, their place taken, or they are no longer valid).
    pub changed: u32,
}

/// The travel of one placed patient's key worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AssignmentTravel {
    /// The patient.
    pub patient: PatientId,
    /// Their key worker.
    pub key_worker: StaffId,
    /// The key worker's team.
    pub team: TeamId,
    /// Travel time one way from the key worker's base to the patient's home, in
    /// seconds; `None` where either place is unknown.
    pub seconds: Option<u32>,
}

/// One worker's caseload and travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WorkerRound {
    /// The team.
    pub team: TeamId,
    /// The worker.
    pub staff: StaffId,
    /// Their role.
    pub role: Role,
    /// Patients on their caseload in the team (key worker or coordinator, once each).
    pub patients: u32,
    /// Their capacity in the team.
    pub capacity: u32,
    /// Mean travel one way to the homes of the patients they are key worker for, in
    /// seconds, where known.
    pub mean_seconds: Option<u32>,
    /// A typical day's round: [`TravelAssumptions::visits_per_day`] visits, each
    /// counted as a return trip of the mean (an upper estimate: a round that chains
    /// visits travels less).
    pub round_seconds: Option<u32>,
}

/// What would place the patients left waiting, as a team leader would ask it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "shortfall", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Shortfall {
    /// Every worker who could take them is full: this much more WTE of the role
    /// that does that work in the locality (at the policy's caseload per WTE) would
    /// make room for them.
    Capacity {
        /// The locality.
        locality: Locality,
        /// The role.
        role: Role,
        /// Patients waiting for it.
        waiting: u32,
        /// The WTE that would hold them.
        wte: Wte,
    },
    /// Nobody in the locality has the skills.
    Skills {
        /// The locality.
        locality: Locality,
        /// The needs no worker covers there.
        needs: SkillSet,
        /// Patients waiting for it.
        waiting: u32,
    },
    /// No team that could hold them has a care coordinator in the locality.
    CareCoordinator {
        /// The locality.
        locality: Locality,
        /// Patients waiting for one.
        waiting: u32,
    },
    /// The practice has no GP to be named accountable GP.
    AccountableGp {
        /// The practice.
        practice: PracticeId,
        /// Patients waiting for one.
        waiting: u32,
    },
}

impl Shortfall {
    /// Patients this would place.
    #[must_use]
    pub const fn waiting(&self) -> u32 {
        match self {
            Self::Capacity { waiting, .. }
            | Self::Skills { waiting, .. }
            | Self::CareCoordinator { waiting, .. }
            | Self::AccountableGp { waiting, .. } => *waiting,
        }
    }
}

impl fmt::Display for Shortfall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Capacity {
                locality,
                role,
                waiting,
                wte,
            } => write!(
                f,
                "{wte} more {} WTE in {locality} would make room for the {} waiting there",
                role.label(),
                thousands(*waiting)
            ),
            Self::Skills {
                locality,
                needs,
                waiting,
            } => write!(
                f,
                "nobody in {locality} has the skills {needs}: {} waiting need someone who has",
                thousands(*waiting)
            ),
            Self::CareCoordinator { locality, waiting } => write!(
                f,
                "no team that could hold them has a care coordinator in {locality}: {} waiting",
                thousands(*waiting)
            ),
            Self::AccountableGp { practice, waiting } => write!(
                f,
                "practice {practice} has no GP to name as accountable GP: {} waiting",
                thousands(*waiting)
            ),
        }
    }
}

/// An optimal placement: the caseloads, the bound, continuity, travel, load and
/// what would place whoever waits.
///
/// # The model, and the rule a flow cannot hold
///
/// Without complex needs, placement is a transportation problem (patients to workers
/// with capacities), which a min-cost flow solves exactly. A patient with complex
/// needs breaks that structure: their key worker and their care coordinator must be
/// in the **same team** and are taken **together or not at all**, so one patient
/// uses capacity at two workers at once (one, when the key worker coordinates). A
/// flow cannot hold that pairing: it would send the patient's unit to a key worker
/// and could not make a coordinator of the same team follow. So placement is solved
/// as a mixed-integer linear programme (with the pure-Rust `microlp` solver), which
/// holds it exactly:
///
/// * patients are grouped into **classes** (same needs, locality, complex or not,
///   and the same still-valid existing key worker and coordinator), since patients of
///   a class are interchangeable for every rule;
/// * an integer variable counts the patients of a class given each possible key
///   worker; for a complex class, either a key worker who coordinates (one place) or
///   a key worker who does not, whose team then gives as many coordinator places,
///   one integer variable per coordinator, as it has such patients (an equality per
///   class and team);
/// * each worker's places taken are at most their capacity; each class's at most its
///   size.
///
/// The first two objectives are solved one after another, each keeping the optimum
/// of the one before as a constraint (a lexicographic optimum): most placed; then
/// most named people (key worker, coordinator) kept. A third search, with travel
/// counted for each class and key worker as the class's mean travel from that
/// worker's base, then chooses among those optima which patients of each class are
/// placed and, as a first choice that the travel stage then searches exactly (see
/// below), how each complex patient's care is coordinated: by their key worker,
/// or by which coordinator of which team. Left to itself, the branch and bound of
/// this search seldom finds a better whole-number placement than the one it starts
/// from (on the bench network it ended 25 % above its own bound). So it is first
/// solved with fractional counts (its linear-programming relaxation), and then
/// searched only among the whole numbers either side of each fraction, which holds
/// few choices since few counts of a vertex are fractional; where no such whole
/// numbers keep every rule, the search is over every count as before. It is
/// bounded by [`PlacementOptions::refine_time_limit_ms`] and
/// [`PlacementOptions::refine_gap`], and it is kept only where it improves on the
/// placement before it. Who in a class waits, when not all
/// fit, is whoever was given last, so that callers put priority patients first.
/// Accountable GPs have no caseload limit: each patient keeps theirs where still at
/// the practice, and otherwise gets the GP of the practice least loaded per WTE,
/// which is exactly the most even split.
///
/// # Least travel, exactly: which rule couples the roles
///
/// Travel is counted from the key worker's base only. It is made least, and proven
/// least, among the placements of the **frame**: those that place the same
/// patients and keep as many named people (key workers and care coordinators), so
/// the first two stages' optima stand; with
/// [`PlacementOptions::travel_chooses_who_waits`], every placement as good in the
/// first two objectives whoever it places, as long as whoever waits in a class is
/// the last given. It takes three steps.
///
/// **Within a coordination, by a flow.** With the patients placed, the key workers
/// kept (and a key worker who is the patient's kept coordinator) and the
/// coordination fixed, giving every other placed patient a key worker is a
/// transportation problem: patients to workers with skills and locality as the arcs
/// and each worker's places left as capacities. It is solved exactly, patient by
/// patient from each home, as a minimum-cost flow (successive shortest paths with
/// potentials, in this crate). A patient who is coordinated by their key worker may
/// have any key worker who coordinates in their locality, in any team; one
/// coordinated by someone else keeps that coordinator and may have any key worker
/// of the coordinator's team who does not coordinate there (or, to keep their
/// existing coordinator, one who does).
///
/// Why not one flow for everything: the rule that a complex patient's key worker
/// and care coordinator are of the **same team**, taken together, couples the two
/// roles, and so does capacity, since a worker who coordinates may also be a key
/// worker and both draw on the same places; a key worker who coordinates their own
/// patient uses one place for both. Given the team of every complex patient and
/// each worker's coordinating places, the roles would separate, but those are
/// exactly what the coordination fixes.
///
/// **Over every coordination, by an integer programme.** So the coordination is
/// then searched as a whole, starting from the flow's placement: an integer
/// programme (solved by `microlp`'s branch and bound) over the frame, in which each
/// placed patient's key worker, how they are coordinated and by whom all vary
/// together (and, when it chooses who waits, who is placed). A patient's travel
/// depends only on their key worker's base, and the patients of a class are
/// interchangeable for every rule, so it counts rather than lists: for each class,
/// an integer per choice (a key worker who could be theirs, coordinating them or
/// working with a coordinator of their team); for each of its placed members (every
/// member, when it chooses who waits), a 0–1 variable per base those choices start
/// from; for each class and coordinator, the count of its
/// coordinating places. Its rows give each placed patient one base (when it
/// chooses who waits, each member at most one, and none unless every member given
/// before them has one) and each base of a class as many patients as its choices
/// there, each class and team as many coordinating places as patients coordinated
/// by someone other than their key worker, each worker places within capacity, and
/// as many placed and as many named people kept as before; its objective is each
/// placed patient's travel from their base. With few bases
/// (staff mostly start from a handful of practices) it is far smaller than one
/// variable per patient and key worker. When it finishes within
/// [`PlacementOptions::travel_time_limit_ms`], no placement of the frame travels
/// less: on the bench network (3,000 patients, 60 staff) it finishes in about
/// 0.6 s, its linear relaxation already whole, and takes the travel from 30,565 to
/// 30,059 minutes.
/// On the small instances of the tests it equals an exhaustive search every time.
///
/// **Otherwise, a bound by pricing.** Where the programme does not finish (the
/// 50,000-patient network is beyond it), the travel is the least within the best
/// coordination found, and how good it is is proved against a **relaxation** of
/// the same patients and kept key workers: every complex patient may have any key
/// worker who could be theirs with some coordinator (their team has one in the
/// locality, or they coordinate themselves), every worker's key places fit their
/// capacity, and the rule that a team gives a coordinating place to each of its
/// patients in a locality whose key worker does not coordinate them is priced
/// rather than kept (a Lagrangian relaxation: for each team and locality, a price
/// in seconds is paid for each such patient and earned for each coordinating place;
/// a coordinator's places not taken as key places earn the best price of their
/// team's localities, which each key place there forgoes). For any prices this is
/// itself a transportation problem, solved exactly by the same flow, and its value
/// is at most the travel of every placement of these patients that keeps the key
/// workers they kept. The prices that make it
/// most are searched by a few subgradient steps and then a cutting-plane method in
/// a trust region, two evaluations at a time side by side on two threads (each
/// evaluation is one linear piece of the bound as a function of the prices; the
/// next prices are where the pieces so far allow the most, within a box around the
/// best), while [`PlacementOptions::bound_time_limit_ms`] allows; the best value
/// found, or the programme's own bound where higher, is the bound.
///
/// [`Stage::bound`] is that figure: when the programme finishes, the travel itself,
/// and the travel stage is [`Stage::proven_optimal`] (no placement of the frame
/// travels less); otherwise the bound, under which no placement of these patients
/// keeping their kept key workers travels, and [`Stage::gap`] says how far above
/// it the travel is (proven optimal too if it meets it). The placement being the least travel
/// within its coordination holds in every case.
///
/// The most even load comes after the travel, over the same frame at the least
/// travel: for a highest load λ, is there a placement of the frame at that travel
/// with every worker's places within λ of their capacity? Each such question is
/// the same integer programme with those limits, and bisection over every load a
/// worker could have (the load just below the highest first) finds the lowest λ
/// with a yes, within [`PlacementOptions::travel_time_limit_ms`]. Where patients
/// wait, capacity usually binds and the highest load is full; there the travel is
/// first searched together with the load (its objective adds half the highest load
/// to the travel in seconds, and travel comes in whole seconds, so no load is
/// bought with travel), which proves both at once, and the search for travel alone
/// follows only where that does not finish. Where the travel is not proven, the
/// load is made the most even within the coordination found, by the same
/// bisection over the flow, within [`PlacementOptions::refine_time_limit_ms`], and
/// the stage is not proven (a coordination other than the one found could spread
/// the load more evenly).
///
/// What is exact: most placed and continuity are proven optimal (within the
/// solver's tolerance, and its time limit, which the bound then reports); travel is
/// the least of the frame when the programme finishes, and otherwise the least
/// within its coordination, proven the least of the placements of these patients
/// keeping their kept key workers whenever it meets the bound; load is the most
/// even of the frame at that travel when its search finishes.
///
/// # The bound
///
/// The count stage's branch and bound proves a bound on how many patients any
/// placement could place (its linear-programming relaxation, tightened by the
/// search): when proven optimal the bound equals the count placed. Patients who can
/// never be placed (no worker anywhere with their skills in their locality, no
/// coordinator in any team that could hold them, no GP at their practice) are
/// outside every placement and so outside the bound.
///
/// # The greedy planner
///
/// [`CaseloadPlanner::assign`] remains the fast path (microseconds where this takes
/// tens of milliseconds), for simulations that place thousands of networks. It is
/// provably optimal in these cases, and only these can be told from its result
/// alone: its count is the most possible whenever it places every patient (the
/// count can be no higher); its continuity is the best whenever it also keeps every
/// still-valid existing key worker and coordinator (nothing more can be kept). It
/// does not weigh travel, so its travel is the least only by chance when places are
/// known; with no places known travel is not counted, and it is then the optimum
/// of the first three objectives in those cases. Its load is spread greedily, so
/// the most even load is not promised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Placement {
    /// The caseloads: every patient given, placed or unplaced with the binding
    /// reason.
    pub caseloads: Caseloads,
    /// How many were placed against how many could be.
    pub bound: PlacementBound,
    /// Existing care kept and changed.
    pub continuity: Continuity,
    /// Each placed patient's travel, in the order of the assignments.
    pub travel: Vec<AssignmentTravel>,
    /// Each worker's caseload and round, in the planner's worker order.
    pub rounds: Vec<WorkerRound>,
    /// What would place those waiting, most waiting first.
    pub shortfalls: Vec<Shortfall>,
    /// How each stage of the objective went.
    pub stages: Vec<Stage>,
}

/// Patients interchangeable for every rule.
#[derive(Debug)]
struct Class {
    needs: SkillSet,
    locality: Locality,
    complex: bool,
    key: Option<usize>,
    coordinator: Option<usize>,
    members: Vec<usize>,
}

/// What one model variable counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// Patients of a class without complex needs with key worker `0`.
    Key(usize),
    /// Complex patients whose key worker `0` is also their coordinator.
    SelfCoordinated(usize),
    /// Complex patients whose key worker `0` is not their coordinator.
    Pooled(usize),
    /// Coordinator `0` for a class's pooled patients in their team.
    Coordinator(usize),
}

impl Slot {
    const fn key(self) -> Option<usize> {
        match self {
            Self::Key(k) | Self::SelfCoordinated(k) | Self::Pooled(k) => Some(k),
            Self::Coordinator(_) => None,
        }
    }

    const fn worker(self) -> usize {
        match self {
            Self::Key(k) | Self::SelfCoordinated(k) | Self::Pooled(k) | Self::Coordinator(k) => k,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Var {
    class: usize,
    slot: Slot,
    upper: u32,
}

/// A linear constraint: terms (variable index, coefficient), comparison, right-hand side.
type Row = (Vec<(usize, f64)>, ComparisonOp, f64);

/// What makes patients interchangeable: needs, locality, complex or not, and the
/// still-valid existing key worker and coordinator.
type ClassKey = (SkillSet, Locality, bool, Option<usize>, Option<usize>);

/// The placement model: integer variables and constraints.
#[derive(Debug, Default)]
struct Model {
    vars: Vec<Var>,
    rows: Vec<Row>,
}

/// What one stage's solve gave.
#[derive(Debug)]
struct Solved {
    values: Vec<f64>,
    value: f64,
    proven: bool,
    bound: Option<f64>,
    gap: Option<f64>,
}

impl Model {
    fn solve(
        &self,
        objective: &[f64],
        direction: OptimizationDirection,
        extra: &[Row],
        start: &[f64],
        Search { limit, gap, within }: Search<'_>,
        stage: Objective,
    ) -> Result<Solved, TeamError> {
        let mut problem = Problem::new(direction);
        let mut handles = Vec::with_capacity(self.vars.len() + 1);
        for (i, var) in self.vars.iter().enumerate() {
            let (lower, upper) = within
                .and_then(|w| w.get(i))
                .copied()
                .unwrap_or((0, var.upper));
            let lower = i32::try_from(lower).unwrap_or(i32::MAX);
            let upper = i32::try_from(upper).unwrap_or(i32::MAX);
            handles.push(problem.add_integer_var(objective[i], (lower, upper)));
        }
        self.constrain(&mut problem, &handles, extra);
        // A warm start from the stages before: the search only ever improves on it,
        // and ends at once when the relaxation proves it optimal.
        let mut options = SolveOptions::default();
        options.time_limit = Some(limit);
        options.mip_gap = gap;
        options.warm_start = Some(handles.iter().copied().zip(start.iter().copied()).collect());
        let failed = |reason: String| TeamError::Solver {
            stage: stage.name(),
            reason,
        };
        let outcome = problem
            .solve_with(options)
            .map_err(|e| failed(e.to_string()))?;
        let proven = outcome.is_optimal();
        let stats = outcome.stats();
        Ok(match outcome {
            SolveOutcome::Solution(solution) => Solved {
                values: handles.iter().map(|&h| solution.var_value(h)).collect(),
                value: solution.objective(),
                proven,
                bound: stats.best_bound,
                gap: stats.gap,
            },
            // No better assignment than the warm start was found in time.
            _ => Solved {
                values: start.to_vec(),
                value: start.iter().zip(objective).map(|(v, c)| v * c).sum(),
                proven: false,
                bound: stats.best_bound,
                gap: stats.gap,
            },
        })
    }

    /// The least travel by class means, searched first among the whole numbers
    /// either side of the counts of the linear-programming relaxation (see
    /// [`Placement`]), and over every count where none of those keep every rule;
    /// `start` stays where neither improves on it.
    fn solve_near_relaxation(
        &self,
        objective: &[f64],
        direction: OptimizationDirection,
        extra: &[Row],
        start: &[f64],
        search: Search<'_>,
    ) -> Result<Solved, TeamError> {
        let stage = Objective::LeastTravel;
        let near: Option<Vec<(u32, u32)>> = self
            .relaxation(objective, direction, extra)
            .map(|lp| lp.iter().map(|&x| around(x)).collect());
        let narrowed = near.and_then(|near| {
            let within = Search {
                within: Some(&near),
                ..search
            };
            self.solve(objective, direction, extra, start, within, stage)
                .ok()
        });
        let before: f64 = start.iter().zip(objective).map(|(v, c)| v * c).sum();
        let better = |value: f64| match direction {
            OptimizationDirection::Minimize => value <= before + 1e-9 * before.abs(),
            OptimizationDirection::Maximize => value >= before - 1e-9 * before.abs(),
        };
        match narrowed {
            Some(solved) if better(solved.value) => Ok(solved),
            Some(_) => Ok(Solved {
                values: start.to_vec(),
                value: before,
                proven: false,
                bound: None,
                gap: None,
            }),
            None => self.solve(objective, direction, extra, start, search, stage),
        }
    }

    /// Adds the model's rows and `extra` to `problem`, over the variables `handles`.
    fn constrain(&self, problem: &mut Problem, handles: &[Variable], extra: &[Row]) {
        for (terms, op, rhs) in self.rows.iter().chain(extra) {
            let expr: Vec<_> = terms.iter().map(|&(i, c)| (handles[i], c)).collect();
            problem.add_constraint(&expr[..], *op, *rhs);
        }
    }

    /// The linear-programming relaxation: every count may be fractional. The
    /// counts, or `None` if the solver finds none.
    fn relaxation(
        &self,
        objective: &[f64],
        direction: OptimizationDirection,
        extra: &[Row],
    ) -> Option<Vec<f64>> {
        let mut problem = Problem::new(direction);
        let handles: Vec<_> = self
            .vars
            .iter()
            .zip(objective)
            .map(|(var, &c)| problem.add_var(c, (0.0, f64::from(var.upper))))
            .collect();
        self.constrain(&mut problem, &handles, extra);
        match problem.solve().ok()? {
            SolveOutcome::Solution(solution) => {
                Some(handles.iter().map(|&h| solution.var_value(h)).collect())
            }
            _ => None,
        }
    }
}

/// How a stage's search is bounded: its time, the relative gap at which it stops,
/// and, where given, the least and most of each count.
#[derive(Debug, Clone, Copy)]
struct Search<'a> {
    limit: Duration,
    gap: f64,
    within: Option<&'a [(u32, u32)]>,
}

/// The whole numbers either side of a fractional count (one, if it is whole).
fn around(x: f64) -> (u32, u32) {
    let x = x.max(0.0);
    let (lo, hi) = ((x + 1e-6).floor(), (x - 1e-6).ceil());
    (whole(lo.min(hi)), whole(hi.max(lo)))
}

/// Rounds a solver value of an integer variable.
fn whole(value: f64) -> u32 {
    let rounded = value.round();
    if rounded <= 0.0 {
        0
    } else if rounded >= f64::from(u32::MAX) {
        u32::MAX
    } else {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let n = rounded as u32;
        n
    }
}

impl CaseloadPlanner {
    /// Places `patients` optimally: the most placed under every rule of the planner
    /// (skills, locality, capacity, one accountable GP and one care coordinator in
    /// the key worker's team for complex needs, whole or nothing), then the least
    /// disruption of existing care, then the least travel from the workers' bases in
    /// `places` to the patients' homes, then the most even load. See [`Placement`]
    /// for the model, the bound and what is exact.
    ///
    /// Every patient given is in the result, placed or unplaced with the binding
    /// reason; a repeat of a patient is reported with
    /// [`UnassignedReason::DuplicatePatient`].
    ///
    /// ```
    /// use pcn_team::synthetic::{NetworkSpec, SyntheticNetwork};
    /// use pcn_team::{CaseloadPlanner, PlacementOptions, Places};
    /// let spec = NetworkSpec { complex_patients: 60, other_patients: 40, staff: 14, practices: 2, localities: 2, teams: 2 };
    /// let net = SyntheticNetwork::generate(1, 0, &spec)?;
    /// let planner = CaseloadPlanner::new(&net.workforce, net.network, &net.policy, net.on);
    /// let placement = planner.place(&net.patients, &Places::new(), &PlacementOptions::default())?;
    /// let greedy = planner.assign(&net.patients);
    /// assert!(placement.bound.placed as usize >= greedy.assignments().len());
    /// assert!(placement.bound.most_placeable >= placement.bound.placed);
    /// println!("{}", placement.bound); // "N placed; no placement can place more than M"
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`TeamError::Solver`] if the solver fails numerically on the model.
    pub fn place(
        &self,
        patients: &[CaseloadPatient],
        places: &Places,
        options: &PlacementOptions,
    ) -> Result<Placement, TeamError> {
        let limit = Duration::from_millis(options.stage_time_limit_ms.max(1));

        // First occurrences only; repeats are reported.
        let mut seen = HashSet::with_capacity(patients.len());
        let firsts: Vec<bool> = patients.iter().map(|p| seen.insert(p.patient)).collect();

        // Structural reasons, and classes of the rest.
        let mut reasons: Vec<Option<UnassignedReason>> = vec![None; patients.len()];
        let mut class_of: HashMap<ClassKey, usize> = HashMap::new();
        let mut classes: Vec<Class> = Vec::new();
        for (i, p) in patients.iter().enumerate() {
            if !firsts[i] {
                reasons[i] = Some(UnassignedReason::DuplicatePatient);
                continue;
            }
            if let Some(reason) = self.structural_reason(p) {
                reasons[i] = Some(reason);
                continue;
            }
            let (key, coordinator) = self.still_valid_existing(p);
            let index = *class_of
                .entry((p.needs, p.locality, p.complex, key, coordinator))
                .or_insert_with(|| {
                    classes.push(Class {
                        needs: p.needs,
                        locality: p.locality,
                        complex: p.complex,
                        key,
                        coordinator,
                        members: Vec::new(),
                    });
                    classes.len() - 1
                });
            classes[index].members.push(i);
        }

        let model = self.model(&classes);
        let n = model.vars.len();

        // The objectives.
        let mut placed_obj = vec![0.0; n];
        let mut kept_obj = vec![0.0; n];
        let mut travel_obj = vec![0.0; n];
        for (i, var) in model.vars.iter().enumerate() {
            let class = &classes[var.class];
            let is = |w: Option<usize>, k: usize| f64::from(u8::from(w == Some(k)));
            if let Some(k) = var.slot.key() {
                placed_obj[i] = 1.0;
                travel_obj[i] = self.mean_travel_minutes(patients, class, k, places, options);
            }
            kept_obj[i] = match var.slot {
                Slot::Key(k) | Slot::Pooled(k) => is(class.key, k),
                Slot::SelfCoordinated(k) => is(class.key, k) + is(class.coordinator, k),
                Slot::Coordinator(j) => is(class.coordinator, j),
            };
        }

        let mut stages = Vec::new();
        let mut extra: Vec<Row> = Vec::new();
        let mut values = vec![0.0; n];
        let mut most_placeable = None;
        let mut choosing_ms = 0;
        let plan: [(Objective, &[f64], OptimizationDirection); 3] = [
            (
                Objective::MostPlaced,
                &placed_obj,
                OptimizationDirection::Maximize,
            ),
            (
                Objective::LeastDisruption,
                &kept_obj,
                OptimizationDirection::Maximize,
            ),
            (
                Objective::LeastTravel,
                &travel_obj,
                OptimizationDirection::Minimize,
            ),
        ];
        for (objective, coefficients, direction) in plan {
            let trivial = coefficients.iter().all(|&c| c == 0.0);
            let started = Instant::now();
            let Solved {
                values: next,
                value,
                proven,
                bound,
                gap,
            } = if trivial {
                Solved {
                    values: values.clone(),
                    value: 0.0,
                    proven: true,
                    bound: None,
                    gap: None,
                }
            } else {
                let search = match objective {
                    Objective::MostPlaced | Objective::LeastDisruption => Search {
                        limit,
                        gap: 0.0,
                        within: None,
                    },
                    Objective::LeastTravel | Objective::MostEvenLoad => Search {
                        limit: Duration::from_millis(options.refine_time_limit_ms.max(1)),
                        gap: options.refine_gap.clamp(0.0, 1.0),
                        within: None,
                    },
                };
                match objective {
                    Objective::LeastTravel => model.solve_near_relaxation(
                        coefficients,
                        direction,
                        &extra,
                        &values,
                        search,
                    )?,
                    _ => {
                        model.solve(coefficients, direction, &extra, &values, search, objective)?
                    }
                }
            };
            values = next;
            if objective == Objective::MostPlaced {
                most_placeable = Some(if proven {
                    whole(value)
                } else {
                    bound.map_or(u32::MAX, |b| whole((b + 1e-6).floor()))
                });
            }
            // Keep this stage's optimum in the stages after it.
            let terms: Vec<(usize, f64)> = coefficients
                .iter()
                .enumerate()
                .filter(|&(_, &c)| c != 0.0)
                .map(|(i, &c)| (i, c))
                .collect();
            if !terms.is_empty() {
                let achieved: f64 = terms.iter().map(|&(i, c)| values[i] * c).sum();
                let (op, rhs) = match (objective, direction) {
                    (Objective::MostPlaced | Objective::LeastDisruption, _) => {
                        (ComparisonOp::Ge, achieved.round() - 0.5)
                    }
                    (_, OptimizationDirection::Maximize) => (ComparisonOp::Ge, achieved - 1e-6),
                    (_, OptimizationDirection::Minimize) => {
                        (ComparisonOp::Le, achieved + 1e-6 * achieved.abs().max(1.0))
                    }
                };
                extra.push((terms, op, rhs));
            }
            let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            if objective == Objective::LeastTravel {
                // Travel by class means only chooses the coordination; the travel
                // itself is settled exactly below.
                choosing_ms = elapsed_ms;
                continue;
            }
            stages.push(Stage {
                objective,
                value,
                proven_optimal: proven,
                gap: if proven { Some(0.0) } else { gap },
                bound: if objective == Objective::MostPlaced {
                    most_placeable.map(f64::from)
                } else {
                    bound
                },
                elapsed_ms,
            });
        }

        let counts: Vec<u32> = values.iter().map(|&v| whole(v)).collect();
        let mut out = self.realise(patients, &classes, &model, &counts);
        for (i, reason) in reasons.iter().enumerate() {
            if let Some(reason) = reason {
                out.reasons[i] = Some(*reason);
            }
        }
        let (travel, even) =
            self.least_travel_and_even_load(patients, &classes, &mut out, places, options);
        stages.push(Stage {
            elapsed_ms: travel.elapsed_ms.saturating_add(choosing_ms),
            ..travel
        });
        stages.push(even);
        Ok(self.report(
            patients,
            &firsts,
            out,
            most_placeable,
            stages,
            places,
            options,
        ))
    }

    /// A patient's existing key worker and care coordinator (worker indices), each
    /// where still able to hold that role for them.
    fn still_valid_existing(&self, p: &CaseloadPatient) -> (Option<usize>, Option<usize>) {
        let workers = &self.workers;
        let key = p
            .existing
            .team
            .zip(p.existing.key_worker)
            .and_then(|ts| self.by_team_staff.get(&ts).copied())
            .filter(|&k| workers[k].can_key(p.needs, p.locality));
        let coordinator = if p.complex {
            p.existing
                .team
                .zip(p.existing.care_coordinator)
                .and_then(|ts| self.by_team_staff.get(&ts).copied())
                .filter(|&c| workers[c].can_coordinate(p.locality))
        } else {
            None
        };
        (key, coordinator)
    }

    /// Why a patient can never be placed, whatever the capacity.
    fn structural_reason(&self, p: &CaseloadPatient) -> Option<UnassignedReason> {
        let workers = &self.workers;
        if p.complex
            && self
                .practices
                .get(&p.practice)
                .is_none_or(|&i| self.gps[i].is_empty())
        {
            return Some(UnassignedReason::NoAccountableGp {
                practice: p.practice,
            });
        }
        let keys: Vec<usize> = (0..workers.len())
            .filter(|&k| workers[k].can_key(p.needs, p.locality))
            .collect();
        if keys.is_empty() {
            return Some(UnassignedReason::NoWorkerWithSkills {
                needs: p.needs,
                locality: p.locality,
            });
        }
        if p.complex
            && !keys.iter().any(|&k| {
                workers[k].can_coordinate(p.locality)
                    || workers.iter().any(|c| {
                        c.team_index == workers[k].team_index && c.can_coordinate(p.locality)
                    })
            })
        {
            return Some(UnassignedReason::NoCareCoordinator {
                locality: p.locality,
            });
        }
        None
    }

    /// The class's mean travel in minutes from worker `k`'s base to its members'
    /// homes (0 where unknown).
    fn mean_travel_minutes(
        &self,
        patients: &[CaseloadPatient],
        class: &Class,
        k: usize,
        places: &Places,
        options: &PlacementOptions,
    ) -> f64 {
        let worker = &self.workers[k];
        let Some(base) = places.base(worker.team, worker.staff) else {
            return 0.0;
        };
        let (mut total, mut count) = (0u64, 0u32);
        for &m in &class.members {
            if let Some(home) = places.home(patients[m].patient) {
                total += u64::from(options.travel.seconds(base, home));
                count += 1;
            }
        }
        if count == 0 {
            0.0
        } else {
            #[allow(clippy::cast_precision_loss)]
            let minutes = total as f64 / 60.0 / f64::from(count);
            minutes
        }
    }

    /// Builds the integer programme described on [`Placement`].
    fn model(&self, classes: &[Class]) -> Model {
        let workers = &self.workers;
        let mut model = Model::default();
        let mut per_worker: Vec<Vec<(usize, f64)>> = vec![Vec::new(); workers.len()];
        for (c, class) in classes.iter().enumerate() {
            let size = u32::try_from(class.members.len()).unwrap_or(u32::MAX);
            let mut row = Vec::new();
            // Pooled key-worker variables and coordinators, by team.
            let mut pools: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
            let mut add = |model: &mut Model, slot: Slot| {
                let upper = size.min(workers[slot.worker()].capacity);
                model.vars.push(Var {
                    class: c,
                    slot,
                    upper,
                });
                let i = model.vars.len() - 1;
                per_worker[slot.worker()].push((i, 1.0));
                i
            };
            for (k, worker) in workers.iter().enumerate() {
                if !worker.can_key(class.needs, class.locality) {
                    continue;
                }
                if !class.complex {
                    row.push((add(&mut model, Slot::Key(k)), 1.0));
                    continue;
                }
                let coordinates = worker.can_coordinate(class.locality);
                if coordinates {
                    row.push((add(&mut model, Slot::SelfCoordinated(k)), 1.0));
                }
                // A coordinating key worker works with another coordinator only to
                // keep a patient's existing coordinator.
                let keeps_pair = class
                    .coordinator
                    .is_some_and(|j| j != k && workers[j].team_index == worker.team_index);
                if !coordinates || keeps_pair {
                    let i = add(&mut model, Slot::Pooled(k));
                    row.push((i, 1.0));
                    pools.entry(worker.team_index).or_default().push(i);
                }
            }
            for (team, keys) in pools {
                let mut link: Vec<(usize, f64)> = keys.iter().map(|&i| (i, 1.0)).collect();
                for (j, coordinator) in workers.iter().enumerate() {
                    if coordinator.team_index == team && coordinator.can_coordinate(class.locality)
                    {
                        link.push((add(&mut model, Slot::Coordinator(j)), -1.0));
                    }
                }
                model.rows.push((link, ComparisonOp::Eq, 0.0));
            }
            if !row.is_empty() {
                model.rows.push((row, ComparisonOp::Le, f64::from(size)));
            }
        }
        for (w, terms) in per_worker.into_iter().enumerate() {
            if terms.is_empty() {
                continue;
            }
            let capacity = f64::from(workers[w].capacity);
            model.rows.push((terms, ComparisonOp::Le, capacity));
        }
        model
    }

    /// Turns counts per class and slot into each patient's key worker and
    /// coordinator, and who waits (the last given). Who in a class goes to which key
    /// worker is settled for least travel afterwards.
    fn realise(
        &self,
        patients: &[CaseloadPatient],
        classes: &[Class],
        model: &Model,
        counts: &[u32],
    ) -> Realised {
        let workers = &self.workers;
        let mut picks: Vec<Option<(usize, Option<usize>)>> = vec![None; patients.len()];
        let mut reasons = vec![None; patients.len()];
        let mut by_class: Vec<Vec<(Slot, u32)>> = vec![Vec::new(); classes.len()];
        for (var, &count) in model.vars.iter().zip(counts) {
            if count > 0 {
                by_class[var.class].push((var.slot, count));
            }
        }
        for (c, class) in classes.iter().enumerate() {
            let slots = &by_class[c];
            let placed: u32 = slots
                .iter()
                .filter(|(s, _)| s.key().is_some())
                .map(|&(_, n)| n)
                .sum();
            let placed = usize::try_from(placed)
                .unwrap_or(usize::MAX)
                .min(class.members.len());
            let (chosen, waiting) = class.members.split_at(placed);
            for &m in waiting {
                reasons[m] = Some(waiting_reason(&patients[m]));
            }
            let mut pools: HashMap<usize, Vec<(usize, u32)>> = HashMap::new();
            for &(slot, n) in slots {
                if let Slot::Coordinator(j) = slot {
                    pools.entry(workers[j].team_index).or_default().push((j, n));
                }
            }
            // Existing coordinators go first in each pool, so those who had them keep them.
            for pool in pools.values_mut() {
                pool.sort_by_key(|&(j, _)| (Some(j) != class.coordinator, j));
            }
            {
                let mut list: Vec<(Slot, u32)> = slots
                    .iter()
                    .filter(|(s, _)| s.key().is_some())
                    .copied()
                    .collect();
                let mut places_left = list.iter_mut();
                let mut current = places_left.next();
                for &m in chosen {
                    while current.as_ref().is_some_and(|(_, n)| *n == 0) {
                        current = places_left.next();
                    }
                    let Some((slot, n)) = current.as_mut() else {
                        break;
                    };
                    *n -= 1;
                    picks[m] = match *slot {
                        Slot::Key(k) => Some((k, None)),
                        Slot::SelfCoordinated(k) => Some((k, Some(k))),
                        Slot::Pooled(k) => {
                            let pool = pools.entry(workers[k].team_index).or_default();
                            let coordinator = pool.iter_mut().find(|(_, n)| *n > 0).map(|e| {
                                e.1 -= 1;
                                e.0
                            });
                            coordinator.map(|j| (k, Some(j)))
                        }
                        Slot::Coordinator(_) => None,
                    };
                    if picks[m].is_none() {
                        reasons[m] = Some(waiting_reason(&patients[m]));
                    }
                }
            }
        }
        Realised { picks, reasons }
    }

    /// What the least-travel flow holds and frees, for the placement `picks`: who is
    /// placed, kept key workers, and each patient's coordination are held; every
    /// other placed patient's key worker is free within their coordination.
    fn frame(
        &self,
        classes: &[Class],
        picks: &[Option<(usize, Option<usize>)>],
        travel_of: &dyn Fn(usize, usize) -> u64,
    ) -> Frame {
        let workers = &self.workers;
        let mut fixed = vec![0u32; workers.len()];
        let mut fixed_keys = vec![0u32; workers.len()];
        let mut fixed_seconds = 0u64;
        let mut kept_keys: Vec<(usize, usize)> = Vec::new();
        let mut free: BTreeMap<(usize, Mode), Vec<usize>> = BTreeMap::new();
        let mut relaxed: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (c, class) in classes.iter().enumerate() {
            for &i in &class.members {
                let Some((k, coordinator)) = picks[i] else {
                    continue;
                };
                let pooled = coordinator.filter(|&j| j != k);
                if let Some(j) = pooled {
                    fixed[j] += 1;
                }
                // A key worker kept stays; so does one who coordinates the patient as
                // their kept coordinator. The relaxation holds only the first.
                let keeps_key = class.key == Some(k);
                let keeps_coordinator =
                    class.complex && pooled.is_none() && class.coordinator == Some(k);
                if keeps_key {
                    fixed_keys[k] += 1;
                    fixed_seconds += travel_of(i, k);
                    kept_keys.push((c, k));
                } else {
                    relaxed.entry(c).or_default().push(i);
                }
                if keeps_key || keeps_coordinator {
                    fixed[k] += 1;
                    continue;
                }
                let mode = match (class.complex, pooled) {
                    (false, _) => Mode::Plain,
                    (true, None) => Mode::SelfCoordinated,
                    (true, Some(j)) => Mode::Pooled(j),
                };
                free.entry((c, mode)).or_default().push(i);
            }
        }
        let group = |(c, mode): (usize, Mode), members: Vec<usize>| {
            let class = &classes[c];
            let keys = (0..workers.len())
                .filter(|&k| {
                    let w = &workers[k];
                    w.can_key(class.needs, class.locality)
                        && match mode {
                            Mode::Plain => true,
                            Mode::SelfCoordinated => w.can_coordinate(class.locality),
                            // As in the placement model: a key worker who
                            // coordinates works with another coordinator only where
                            // the patient's existing coordinator is of their team.
                            Mode::Pooled(j) => {
                                k != j
                                    && w.team_index == workers[j].team_index
                                    && (!w.can_coordinate(class.locality)
                                        || class.coordinator.is_some_and(|c| {
                                            c != k && workers[c].team_index == w.team_index
                                        }))
                            }
                        }
                })
                .collect();
            TravelGroup {
                members,
                keys,
                prices: Vec::new(),
            }
        };
        let groups = free.into_iter().map(|(key, m)| group(key, m)).collect();
        let room = workers
            .iter()
            .zip(&fixed)
            .map(|(w, &f)| w.capacity.saturating_sub(f))
            .collect();
        Frame {
            groups,
            room,
            fixed,
            fixed_keys,
            fixed_seconds,
            kept_keys,
            relaxed,
        }
    }

    /// Settles every key worker for the least travel, exactly, then the lowest
    /// highest load at that travel; updates `picks` and reports both stages. See
    /// [`Placement`] for what is held fixed and what the bound relaxes.
    fn least_travel_and_even_load(
        &self,
        patients: &[CaseloadPatient],
        classes: &[Class],
        out: &mut Realised,
        places: &Places,
        options: &PlacementOptions,
    ) -> (Stage, Stage) {
        let picks = &mut out.picks;
        let started = Instant::now();
        let workers = &self.workers;
        let mut bases: Vec<Location> = Vec::new();
        let base_of: Vec<Option<usize>> = workers
            .iter()
            .map(|w| {
                let base = places.base(w.team, w.staff)?;
                Some(bases.iter().position(|&b| b == base).unwrap_or_else(|| {
                    bases.push(base);
                    bases.len() - 1
                }))
            })
            .collect();
        let seconds = |i: usize, b: usize| {
            places
                .home(patients[i].patient)
                .map_or(0, |home| options.travel.seconds(bases[b], home))
        };
        let travel_of = |i: usize, k: usize| base_of[k].map_or(0, |b| u64::from(seconds(i, b)));

        let mut frame = self.frame(classes, picks, &travel_of);
        let mut exact = least_travel(&frame.groups, &base_of, &frame.room, &seconds);
        if let Some(plan) = &exact {
            rekey(picks, plan);
        }
        let placed_travel = |picks: &[Option<(usize, Option<usize>)>]| -> u64 {
            picks
                .iter()
                .enumerate()
                .filter_map(|(i, p)| p.map(|(k, _)| travel_of(i, k)))
                .sum()
        };
        let mut total = placed_travel(picks);
        // Then every coordination at once, for as long as the search allows: first
        // for the least travel and the most even load together, and where that is
        // not proven in time, for the least travel alone.
        let who_waits = if options.travel_chooses_who_waits {
            WhoWaits::Chosen
        } else {
            WhoWaits::Held
        };
        let coordination = Coordination::new(workers, classes, &base_of, &seconds, who_waits);
        let limit = Duration::from_millis(options.travel_time_limit_ms.max(1));
        let (mut proven_by_search, mut even_proven, mut changed) = (false, false, false);
        let mut searched_bound = None;
        // Where patients wait, capacity binds and the highest load is usually full,
        // which the search with the load proves at once; where all are placed, the
        // load is sought by bisection after the travel.
        let waiting = classes
            .iter()
            .flat_map(|c| &c.members)
            .any(|&i| picks[i].is_none());
        let searches: &[bool] = if waiting { &[true, false] } else { &[false] };
        for &even in searches {
            let Some(searched) = coordination.search(picks, total, limit, even) else {
                continue;
            };
            if let Some(next) = &searched.picks {
                picks.copy_from_slice(next);
                total = placed_travel(picks);
                changed = true;
            }
            searched_bound = searched_bound.max(searched.bound);
            if searched.proven && searched.seconds == total {
                proven_by_search = true;
                even_proven = even;
                break;
            }
        }
        if changed && !proven_by_search {
            // The flow settles the key workers within the coordination found.
            frame = self.frame(classes, picks, &travel_of);
            exact = least_travel(&frame.groups, &base_of, &frame.room, &seconds);
            if let Some(plan) = &exact {
                rekey(picks, plan);
            }
            total = placed_travel(picks);
        }
        let bound_seconds = if total == 0 || proven_by_search {
            Some(total)
        } else {
            let relaxation = Relaxation::new(
                workers,
                classes,
                &frame.relaxed,
                &frame.kept_keys,
                &frame.fixed_keys,
                &base_of,
                &seconds,
            );
            let deadline =
                Instant::now() + Duration::from_millis(options.bound_time_limit_ms.max(1));
            let priced = relaxation
                .bound(total.saturating_sub(frame.fixed_seconds), deadline)
                .map(|b| b.saturating_add(frame.fixed_seconds));
            priced
                .into_iter()
                .chain(searched_bound)
                .max()
                .map(|b| b.min(total))
        };
        #[allow(clippy::cast_precision_loss)]
        let minutes = |s: u64| s as f64 / 60.0;
        let proven = bound_seconds == Some(total);
        #[allow(clippy::cast_precision_loss)]
        let travel = Stage {
            objective: Objective::LeastTravel,
            value: minutes(total),
            proven_optimal: proven,
            gap: bound_seconds.map(|b| {
                if total == 0 {
                    0.0
                } else {
                    total.saturating_sub(b) as f64 / total as f64
                }
            }),
            bound: bound_seconds.map(minutes),
            elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        };
        let Frame { groups, fixed, .. } = frame;

        let started = Instant::now();
        let deadline = started + Duration::from_millis(options.refine_time_limit_ms.max(1));
        // Proven by the search with the travel; otherwise the lowest highest load
        // within the coordination, by bisection over the flow, which proves
        // nothing over the frame.
        if proven_by_search && !even_proven {
            // Over the frame, at the least travel.
            let deadline = Instant::now() + limit;
            even_proven = coordination.spread(picks, total, deadline);
        } else if !proven_by_search && let Some(plan) = &exact {
            let search = EvenLoad {
                groups: &groups,
                base_of: &base_of,
                fixed: &fixed,
                capacity: workers.iter().map(|w| w.capacity).collect(),
                seconds: &seconds,
            };
            rekey(picks, &search.run(plan, deadline));
        }
        // Who waits may have changed between classes as good for the first two
        // objectives.
        for &i in classes.iter().flat_map(|c| &c.members) {
            out.reasons[i] = picks[i].is_none().then(|| waiting_reason(&patients[i]));
        }
        let (l, c) = coordination.highest(picks);
        let highest = f64::from(l) / f64::from(c);
        let even = Stage {
            objective: Objective::MostEvenLoad,
            value: highest,
            proven_optimal: even_proven,
            gap: even_proven.then_some(0.0),
            bound: even_proven.then_some(highest),
            elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        };
        (travel, even)
    }

    #[allow(clippy::too_many_arguments)]
    fn report(
        &self,
        patients: &[CaseloadPatient],
        firsts: &[bool],
        out: Realised,
        most_placeable: Option<u32>,
        stages: Vec<Stage>,
        places: &Places,
        options: &PlacementOptions,
    ) -> Placement {
        let workers = &self.workers;
        let Realised { picks, mut reasons } = out;
        let load = loads(&picks, workers.len());
        // Binding reasons with the final loads: every key worker full, or a key
        // worker with room but no coordinator with room in their team.
        let full = |w: usize| load[w] >= workers[w].capacity;
        for (i, p) in patients.iter().enumerate() {
            if !matches!(reasons[i], Some(UnassignedReason::NoCapacity { .. })) {
                continue;
            }
            let roomy: Vec<usize> = (0..workers.len())
                .filter(|&k| workers[k].can_key(p.needs, p.locality) && !full(k))
                .collect();
            if p.complex && !roomy.is_empty() {
                reasons[i] = Some(UnassignedReason::NoCareCoordinator {
                    locality: p.locality,
                });
            }
        }

        // Accountable GPs: kept where still at the practice, else least loaded per WTE.
        let mut gp_load: Vec<Vec<u32>> = self.gps.iter().map(|l| vec![0; l.len()]).collect();
        let mut gp_pick: Vec<Option<(usize, usize)>> = vec![None; patients.len()];
        for (i, p) in patients.iter().enumerate() {
            if !(p.complex && picks[i].is_some()) {
                continue;
            }
            if let (Some(&practice), Some(gp)) =
                (self.practices.get(&p.practice), p.existing.accountable_gp)
                && let Some(g) = self.gps[practice].iter().position(|x| x.staff == gp)
            {
                gp_load[practice][g] += 1;
                gp_pick[i] = Some((practice, g));
            }
        }
        for (i, p) in patients.iter().enumerate() {
            if !(p.complex && picks[i].is_some()) || gp_pick[i].is_some() {
                continue;
            }
            if let Some(&practice) = self.practices.get(&p.practice) {
                let list = &self.gps[practice];
                let loads = &gp_load[practice];
                if let Some(g) = (0..list.len()).min_by(|&a, &b| {
                    less_loaded(loads[a] + 1, list[a].wte, loads[b] + 1, list[b].wte)
                        .then(list[a].staff.cmp(&list[b].staff))
                }) {
                    gp_load[practice][g] += 1;
                    gp_pick[i] = Some((practice, g));
                }
            }
        }

        let mut assignments = Vec::new();
        let mut unassigned = Vec::new();
        let mut travel = Vec::new();
        let mut continuity = Continuity::default();
        let mut key_travel: Vec<(u64, u32)> = vec![(0, 0); workers.len()];
        for (i, p) in patients.iter().enumerate() {
            let placed = picks[i].and_then(|(k, c)| {
                let complex_care = if p.complex {
                    let (practice, g) = gp_pick[i]?;
                    Some(ComplexCare {
                        accountable_gp: self.gps[practice][g].staff,
                        care_coordinator: workers[c?].staff,
                    })
                } else {
                    None
                };
                Some((k, complex_care))
            });
            if firsts[i] {
                let e = p.existing;
                let now = placed.map(|(k, care)| (workers[k].staff, care));
                for (had, has) in [
                    (e.key_worker, now.map(|(k, _)| k)),
                    (
                        e.care_coordinator.filter(|_| p.complex),
                        now.and_then(|(_, c)| c.map(|c| c.care_coordinator)),
                    ),
                    (
                        e.accountable_gp.filter(|_| p.complex),
                        now.and_then(|(_, c)| c.map(|c| c.accountable_gp)),
                    ),
                ] {
                    if let Some(had) = had {
                        if has == Some(had) {
                            continuity.kept += 1;
                        } else {
                            continuity.changed += 1;
                        }
                    }
                }
            }
            match placed {
                Some((k, complex_care)) => {
                    let worker = &workers[k];
                    let seconds = places
                        .base(worker.team, worker.staff)
                        .zip(places.home(p.patient))
                        .map(|(base, home)| options.travel.seconds(base, home));
                    if let Some(s) = seconds {
                        key_travel[k].0 += u64::from(s);
                        key_travel[k].1 += 1;
                    }
                    assignments.push(Assignment {
                        patient: p.patient,
                        team: worker.team,
                        key_worker: worker.staff,
                        complex_care,
                    });
                    travel.push(AssignmentTravel {
                        patient: p.patient,
                        key_worker: worker.staff,
                        team: worker.team,
                        seconds,
                    });
                }
                None => unassigned.push(Unassigned {
                    patient: p.patient,
                    reasons: vec![reasons[i].unwrap_or(UnassignedReason::NoCapacity {
                        needs: p.needs,
                        locality: p.locality,
                    })],
                }),
            }
        }

        let visits = u64::from(options.travel.visits_per_day());
        let rounds = workers
            .iter()
            .enumerate()
            .map(|(w, worker)| {
                let (total, count) = key_travel[w];
                let mean = (count > 0).then(|| total / u64::from(count));
                WorkerRound {
                    team: worker.team,
                    staff: worker.staff,
                    role: worker.role,
                    patients: load[w],
                    capacity: worker.capacity,
                    mean_seconds: mean.map(|m| u32::try_from(m).unwrap_or(u32::MAX)),
                    round_seconds: mean.map(|m| u32::try_from(m * 2 * visits).unwrap_or(u32::MAX)),
                }
            })
            .collect();

        let shortfalls = self.shortfalls(patients, &unassigned);
        let given = u32::try_from(firsts.iter().filter(|&&f| f).count()).unwrap_or(u32::MAX);
        let placed = u32::try_from(assignments.len()).unwrap_or(u32::MAX);
        let bound = PlacementBound {
            patients: given,
            placed,
            most_placeable: most_placeable.unwrap_or(placed).clamp(placed, given),
        };
        Placement {
            caseloads: Caseloads {
                network: self.network,
                on: self.on,
                assignments,
                unassigned,
            },
            bound,
            continuity,
            travel,
            rounds,
            shortfalls,
            stages,
        }
    }

    /// What would place those waiting, grouped as a team leader would ask.
    fn shortfalls(
        &self,
        patients: &[CaseloadPatient],
        unassigned: &[Unassigned],
    ) -> Vec<Shortfall> {
        let workers = &self.workers;
        let by_id: HashMap<PatientId, &CaseloadPatient> =
            patients.iter().map(|p| (p.patient, p)).collect();
        let mut capacity: BTreeMap<(Locality, Role), u32> = BTreeMap::new();
        let mut skills: BTreeMap<(Locality, SkillSet), u32> = BTreeMap::new();
        let mut coordinators: BTreeMap<Locality, u32> = BTreeMap::new();
        let mut gps: BTreeMap<PracticeId, u32> = BTreeMap::new();
        // The role doing the work: the one with the most capacity among the workers
        // who could.
        let role_of = |eligible: &dyn Fn(&crate::caseload::Worker) -> bool| -> Option<Role> {
            let mut by_role: BTreeMap<Role, u32> = BTreeMap::new();
            for worker in workers.iter().filter(|w| eligible(w)) {
                *by_role.entry(worker.role).or_default() += worker.capacity;
            }
            by_role
                .into_iter()
                .max_by_key(|&(role, cap)| (cap, std::cmp::Reverse(role)))
                .map(|(role, _)| role)
        };
        for u in unassigned {
            let Some(p) = by_id.get(&u.patient) else {
                continue;
            };
            match u.reasons.first() {
                Some(UnassignedReason::NoCapacity { needs, locality }) => {
                    if let Some(role) = role_of(&|w| w.can_key(*needs, *locality)) {
                        *capacity.entry((*locality, role)).or_default() += 1;
                    }
                }
                Some(UnassignedReason::NoWorkerWithSkills { needs, locality }) => {
                    *skills.entry((*locality, *needs)).or_default() += 1;
                }
                Some(UnassignedReason::NoCareCoordinator { locality }) => {
                    let structural = matches!(
                        self.structural_reason(p),
                        Some(UnassignedReason::NoCareCoordinator { .. })
                    );
                    match role_of(&|w| w.can_coordinate(*locality)) {
                        Some(role) if !structural => {
                            *capacity.entry((*locality, role)).or_default() += 1;
                        }
                        _ => *coordinators.entry(*locality).or_default() += 1,
                    }
                }
                Some(UnassignedReason::NoAccountableGp { practice }) => {
                    *gps.entry(*practice).or_default() += 1;
                }
                _ => {}
            }
        }
        let mut out: Vec<Shortfall> = Vec::new();
        for ((locality, role), waiting) in capacity {
            let per_wte = self.policy.per_wte(role).unwrap_or(1).max(1);
            let hundredths = (u64::from(waiting) * 100).div_ceil(u64::from(per_wte));
            out.push(Shortfall::Capacity {
                locality,
                role,
                waiting,
                wte: Wte::from_hundredths(u32::try_from(hundredths).unwrap_or(u32::MAX)),
            });
        }
        out.extend(
            skills
                .into_iter()
                .map(|((locality, needs), waiting)| Shortfall::Skills {
                    locality,
                    needs,
                    waiting,
                }),
        );
        out.extend(
            coordinators
                .into_iter()
                .map(|(locality, waiting)| Shortfall::CareCoordinator { locality, waiting }),
        );
        out.extend(
            gps.into_iter()
                .map(|(practice, waiting)| Shortfall::AccountableGp { practice, waiting }),
        );
        out.sort_by_key(|s| std::cmp::Reverse(s.waiting()));
        out
    }
}

/// The reason of a patient who could have been placed but waits; `report` makes it
/// the binding one with the final loads.
const fn waiting_reason(p: &CaseloadPatient) -> UnassignedReason {
    UnassignedReason::NoCapacity {
        needs: p.needs,
        locality: p.locality,
    }
}

/// How a placed patient's coordinator stands while their key worker is settled for
/// travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Mode {
    /// No complex needs: no coordinator.
    Plain,
    /// Their key worker coordinates their care, whoever that is.
    SelfCoordinated,
    /// Coordinator `0` (a worker index) stays; their key worker is of the same team.
    Pooled(usize),
}

/// Gives each patient of `plan` their new key worker, their coordinator kept (or,
/// when their key worker coordinated, the new key worker).
fn rekey(picks: &mut [Option<(usize, Option<usize>)>], plan: &TravelPlan) {
    for &(i, k) in &plan.key_of {
        if let Some((old, coordinator)) = picks[i] {
            let coordinator = coordinator.map(|j| if j == old { k } else { j });
            picks[i] = Some((k, coordinator));
        }
    }
}

/// The search for the lowest highest load at the least travel within a
/// coordination: for a highest load λ, every worker holds at most λ of their
/// capacity, and the least travel under those rooms either stays the least travel
/// or not; the lowest λ that keeps it is found by bisection over every load a
/// worker could have.
struct EvenLoad<'a> {
    groups: &'a [TravelGroup],
    base_of: &'a [Option<usize>],
    fixed: &'a [u32],
    capacity: Vec<u32>,
    seconds: &'a dyn Fn(usize, usize) -> u32,
}

impl EvenLoad<'_> {
    /// The plan at the lowest highest load found by `deadline`.
    fn run(&self, least: &TravelPlan, deadline: Instant) -> TravelPlan {
        let loads: Vec<u32> = self
            .fixed
            .iter()
            .zip(&least.loads)
            .map(|(f, l)| f + l)
            .collect();
        let Some(top) = highest_load(&loads, &self.capacity) else {
            return least.clone();
        };
        let floor = highest_load(self.fixed, &self.capacity).unwrap_or((0, 1));
        let mut best = least.clone();
        lowest_highest_load(&self.capacity, floor, top, deadline, |rooms, _| {
            let room: Vec<u32> = rooms
                .iter()
                .zip(self.fixed)
                .map(|(&most, &f)| most.saturating_sub(f))
                .collect();
            Some(
                match least_travel(self.groups, self.base_of, &room, self.seconds) {
                    Some(plan) if plan.seconds == least.seconds => {
                        best = plan;
                        true
                    }
                    _ => false,
                },
            )
        });
        best
    }
}

/// Each worker's places taken by `picks` (worker indices of each patient's key
/// worker and coordinator): one as key worker, and one as the coordinator of a
/// patient whose key worker is someone else.
pub(super) fn loads(picks: &[Option<(usize, Option<usize>)>], workers: usize) -> Vec<u32> {
    let mut load = vec![0u32; workers];
    for &(k, coordinator) in picks.iter().flatten() {
        load[k] += 1;
        if let Some(j) = coordinator.filter(|&j| j != k) {
            load[j] += 1;
        }
    }
    load
}

/// The highest load for capacity among the workers with any capacity, as (places
/// taken, capacity); `None` where no worker has capacity.
pub(super) fn highest_load(loads: &[u32], capacity: &[u32]) -> Option<(u32, u32)> {
    loads
        .iter()
        .zip(capacity)
        .filter(|&(_, &c)| c > 0)
        .map(|(&l, &c)| (l, c))
        .max_by(|&(a, x), &(b, y)| less_loaded(a, x, b, y))
}

/// The bisection for the lowest highest load, between `floor` and `top` (as
/// places taken of a capacity), over every load a worker of `capacity` could have.
/// `fits(rooms, deadline)` says whether a placement keeps each worker within
/// `rooms[w]` places (that load of their capacity): `Some(true)` if so (the caller
/// keeps it), `Some(false)` if not, `None` if it could not tell. The load just
/// below `top` is asked first: where capacity binds, it alone settles the search.
/// True when the bisection finished by `deadline`.
pub(super) fn lowest_highest_load(
    capacity: &[u32],
    floor: (u32, u32),
    top: (u32, u32),
    deadline: Instant,
    mut fits: impl FnMut(&[u32], Instant) -> Option<bool>,
) -> bool {
    let at_most = |(a, x): (u32, u32), (b, y): (u32, u32)| less_loaded(a, x, b, y).is_le();
    let mut candidates: Vec<(u32, u32)> = Vec::new();
    for &cap in capacity.iter().filter(|&&c| c > 0) {
        for l in 0..=cap {
            if at_most(floor, (l, cap)) && at_most((l, cap), top) {
                candidates.push((l, cap));
            }
        }
    }
    candidates.sort_by(|&(a, x), &(b, y)| less_loaded(a, x, b, y));
    candidates.dedup_by(|&mut (a, x), &mut (b, y)| less_loaded(a, x, b, y).is_eq());
    let (mut lo, mut hi) = (0, candidates.len().saturating_sub(1));
    let mut first = true;
    while lo < hi {
        if Instant::now() >= deadline {
            return false;
        }
        let mid = if first { hi - 1 } else { lo + (hi - lo) / 2 };
        first = false;
        let (a, b) = candidates[mid];
        let rooms: Vec<u32> = capacity
            .iter()
            .map(|&cap| {
                let most = u64::from(a) * u64::from(cap) / u64::from(b);
                u32::try_from(most).unwrap_or(u32::MAX)
            })
            .collect();
        match fits(&rooms, deadline) {
            Some(true) => hi = mid,
            Some(false) => lo = mid + 1,
            None => return false,
        }
    }
    true
}

/// The relaxation that bounds travel from below: the same patients and kept key
/// workers; every complex patient may have any key worker who could be theirs with
/// some coordinator (one who coordinates in their locality, or one of a team with a
/// coordinator there); each worker's key places within their capacity. What is
/// relaxed is that a team gives, in each locality, a coordinating place to each of
/// its patients there whose key worker does not coordinate them: for each such
/// (team, locality), a **pair**, a price `u ≥ 0` in seconds is paid for each such
/// patient and earned for each coordinating place (a Lagrangian relaxation).
/// A coordinator's places not taken as key places are then best all given to the
/// pair of theirs that pays most, so each key place at a coordinator also forgoes
/// that price. For any prices, the least of travel plus the prices paid less the
/// prices earned is at most the travel of every placement that keeps the rule
/// (which pays for each patient as much as it earns), and it is itself a
/// transportation problem, solved exactly by the flow of [`least_travel`].
struct Relaxation<'a> {
    relaxed: &'a BTreeMap<usize, Vec<usize>>,
    /// What the coordination of each patient whose key worker is kept needs.
    kept_keys: Vec<Needs>,
    /// Each pair (team, locality) with a coordinator, by locality then team.
    pairs: Vec<(usize, Locality)>,
    /// The pairs each worker coordinates for.
    pairs_of: Vec<Vec<usize>>,
    /// For each class of patients not kept, in the order of `relaxed`: each key
    /// worker its patients may have, with what that worker's coordination needs.
    keys: Vec<Vec<(usize, Needs)>>,
    /// (patient, index in `keys`) of every patient not kept, by patient.
    group_of: Vec<(usize, usize)>,
    /// Each worker's places left for the patients not kept.
    room: Vec<u32>,
    base_of: &'a [Option<usize>],
    seconds: &'a (dyn Fn(usize, usize) -> u32 + Sync),
}

impl<'a> Relaxation<'a> {
    /// The relaxation of placing `relaxed` (by class) with `kept_keys` (class, key
    /// worker) held, each worker holding `fixed_keys` key places already.
    fn new(
        workers: &'a [crate::caseload::Worker],
        classes: &'a [Class],
        relaxed: &'a BTreeMap<usize, Vec<usize>>,
        kept_keys: &'a [(usize, usize)],
        fixed_keys: &[u32],
        base_of: &'a [Option<usize>],
        seconds: &'a (dyn Fn(usize, usize) -> u32 + Sync),
    ) -> Self {
        let localities: std::collections::BTreeSet<Locality> = relaxed
            .keys()
            .copied()
            .chain(kept_keys.iter().map(|&(c, _)| c))
            .filter(|&c| classes[c].complex)
            .map(|c| classes[c].locality)
            .collect();
        let teams = workers.iter().map(|w| w.team_index + 1).max().unwrap_or(0);
        let mut pairs = Vec::new();
        let mut pairs_of = vec![Vec::new(); workers.len()];
        for &locality in &localities {
            for team in 0..teams {
                let coordinators: Vec<usize> = (0..workers.len())
                    .filter(|&j| {
                        workers[j].team_index == team && workers[j].can_coordinate(locality)
                    })
                    .collect();
                if coordinators.is_empty() {
                    continue;
                }
                for j in coordinators {
                    pairs_of[j].push(pairs.len());
                }
                pairs.push((team, locality));
            }
        }
        let room = workers
            .iter()
            .zip(fixed_keys)
            .map(|(w, &f)| w.capacity.saturating_sub(f))
            .collect();
        let needs = |class: &Class, k: usize| {
            let w = &workers[k];
            if !class.complex || w.can_coordinate(class.locality) {
                return Some(Needs::Own);
            }
            pairs
                .binary_search_by_key(&(class.locality, w.team_index), |&(t, l)| (l, t))
                .ok()
                .map(Needs::Pair)
        };
        let keys = relaxed
            .keys()
            .map(|&c| {
                let class = &classes[c];
                (0..workers.len())
                    .filter(|&k| workers[k].can_key(class.needs, class.locality))
                    .filter_map(|k| needs(class, k).map(|n| (k, n)))
                    .collect()
            })
            .collect();
        let kept_keys = kept_keys
            .iter()
            .filter_map(|&(c, k)| needs(&classes[c], k))
            .collect();
        let mut group_of: Vec<(usize, usize)> = relaxed
            .values()
            .enumerate()
            .flat_map(|(g, members)| members.iter().map(move |&m| (m, g)))
            .collect();
        group_of.sort_unstable();
        Self {
            relaxed,
            kept_keys,
            pairs,
            pairs_of,
            keys,
            group_of,
            room,
            base_of,
            seconds,
        }
    }

    /// The relaxation at `prices` (one per pair): its value, a bound on the travel
    /// of the patients not kept, and the cut it gives. Its placement (key places,
    /// and each coordinator's other places given to their best-paying pair) is one
    /// of the relaxation whatever the prices, so at any other prices `u'` the value
    /// is at most its travel plus `u'` times each pair's patients less its places.
    fn evaluate(&self, prices: &[i64]) -> Option<Evaluation> {
        // What each worker's place earns when not a key place, and for which pair.
        let earns: Vec<(i64, Option<usize>)> = self
            .pairs_of
            .iter()
            .map(|pairs| {
                pairs
                    .iter()
                    .map(|&p| (prices[p], Some(p)))
                    .max_by_key(|&(u, p)| (u, std::cmp::Reverse(p)))
                    .unwrap_or((0, None))
            })
            .collect();
        let groups: Vec<TravelGroup> = self
            .keys
            .iter()
            .zip(self.relaxed.values())
            .map(|(keys, members)| TravelGroup {
                members: members.clone(),
                keys: keys.iter().map(|&(k, _)| k).collect(),
                prices: keys
                    .iter()
                    .map(|&(k, needs)| {
                        let paid = match needs {
                            Needs::Own => 0,
                            Needs::Pair(p) => prices[p],
                        };
                        u32::try_from(paid + earns[k].0).unwrap_or(u32::MAX)
                    })
                    .collect(),
            })
            .collect();
        let plan = least_travel(&groups, self.base_of, &self.room, self.seconds)?;
        // Each pair's patients needing its coordinator, less the places it is given.
        let mut excess = vec![0i64; self.pairs.len()];
        for (j, &(_, pair)) in earns.iter().enumerate() {
            if let Some(p) = pair {
                excess[p] -= i64::from(self.room[j]) - i64::from(plan.loads[j]);
            }
        }
        let given = plan.key_of.iter().filter_map(|&(i, k)| {
            let at = self.group_of.binary_search_by_key(&i, |&(m, _)| m).ok()?;
            let keys = &self.keys[self.group_of[at].1];
            keys.iter().find(|&&(key, _)| key == k).map(|&(_, n)| n)
        });
        for needs in given.chain(self.kept_keys.iter().copied()) {
            if let Needs::Pair(p) = needs {
                excess[p] += 1;
            }
        }
        let travel = i64::try_from(plan.seconds).unwrap_or(i64::MAX);
        let value = travel
            + prices
                .iter()
                .zip(&excess)
                .map(|(&u, &e)| u * e)
                .sum::<i64>();
        Some(Evaluation {
            value,
            travel,
            excess,
        })
    }

    /// The best bound found by `deadline` (at least the one at prices 0), in
    /// seconds, for the patients not kept; `upper` is their travel in a placement
    /// known possible.
    ///
    /// The bound is the most, over prices, of a concave piecewise-linear function
    /// of a few prices (one per pair), and every evaluation gives one of its pieces
    /// (a cut). A few steps along the subgradient come first (cheap cuts near the
    /// best prices); then the search (a cutting-plane method in a trust region)
    /// prices next where the cuts so far allow the highest value within a box
    /// around the best prices, and within a box a third as wide (the two evaluated
    /// side by side); a better value moves the box there and widens it, a worse one
    /// keeps the cuts and narrows it. It stops when the cuts allow nothing higher
    /// than the best value inside a box they do not fill (the best value is then
    /// the most of the relaxation), when the box is narrower than a second, when
    /// the bound reaches `upper`, or at `deadline`.
    fn bound(&self, upper: u64, deadline: Instant) -> Option<u64> {
        let n = self.pairs.len();
        let first = self.evaluate(&vec![0i64; n])?;
        let upper = i64::try_from(upper).unwrap_or(i64::MAX);
        let mut best = first.value;
        let mut centre = vec![0f64; n];
        let members: usize =
            self.relaxed.values().map(Vec::len).sum::<usize>() + self.kept_keys.len();
        // A first box as wide as twice the mean travel of a patient.
        #[allow(clippy::cast_precision_loss)]
        let mut radius = (2.0 * upper as f64 / members.max(1) as f64).max(60.0);
        let mut cuts = vec![first];
        // First, steps along the subgradient towards `upper` (halved after a step
        // that does not raise the bound, until two have not), each with a step of
        // half its length beside it on a second thread for one more cut: cheap cuts
        // that bring the prices near the best before the trust region.
        let mut theta = 1.0;
        let mut unrounded = vec![0f64; n];
        let mut failures = 0;
        let mut last = 0;
        for _ in 0..8 {
            let from = &cuts[last];
            #[allow(clippy::cast_precision_loss)]
            let norm: f64 = from.excess.iter().map(|&e| (e * e) as f64).sum();
            if failures == 2 || best >= upper || norm == 0.0 || Instant::now() >= deadline {
                break;
            }
            #[allow(clippy::cast_precision_loss)]
            let step = theta * (upper - from.value) as f64 / norm;
            let stepped = |share: f64| -> Vec<f64> {
                unrounded
                    .iter()
                    .zip(&from.excess)
                    .map(|(&u, &e)| {
                        #[allow(clippy::cast_precision_loss)]
                        let next = u + share * step * e as f64;
                        next.clamp(0.0, f64::from(u32::MAX / 4))
                    })
                    .collect()
            };
            let tries = [stepped(1.0), stepped(0.5)];
            let evaluations = self.evaluate_all(&tries);
            let Some(full) = evaluations[0].as_ref().map(|e| e.value) else {
                break;
            };
            if full <= best {
                theta *= 0.5;
                failures += 1;
            }
            if let Some((at, value)) = best_of(&evaluations)
                && value > best
            {
                best = value;
                centre = tries[at].iter().map(|u| u.round()).collect();
            }
            unrounded.clone_from(&tries[0]);
            // The full step's cut, first of the two, is where the next step starts.
            last = cuts.len();
            cuts.extend(evaluations.into_iter().flatten());
        }
        // Each round prices at the best the cuts allow within the box and within a
        // box a third as wide, evaluated side by side on two threads.
        while best < upper && n > 0 && radius >= 1.0 && Instant::now() < deadline {
            let Some((candidate, predicted, inside)) = Self::master(&cuts, &centre, radius, upper)
            else {
                break;
            };
            #[allow(clippy::cast_precision_loss)]
            if predicted < best as f64 + 1.0 {
                if inside {
                    break;
                }
                radius *= 2.0;
                continue;
            }
            let mut tries = vec![candidate];
            if let Some((near, _, _)) = Self::master(&cuts, &centre, radius / 3.0, upper) {
                tries.push(near);
            }
            let evaluations = self.evaluate_all(&tries);
            let Some((at, next)) = best_of(&evaluations) else {
                break;
            };
            #[allow(clippy::cast_precision_loss)]
            let serious = next as f64 >= best as f64 + 0.1 * (predicted - best as f64);
            best = best.max(next);
            if serious {
                centre = tries[at].iter().map(|u| u.round()).collect();
                radius *= 2.0;
            } else {
                radius *= 0.9;
            }
            cuts.extend(evaluations.into_iter().flatten());
        }
        u64::try_from(best.max(0)).ok()
    }

    /// The relaxation at each of `tries` (prices, rounded to whole seconds), side by
    /// side on threads of their own.
    fn evaluate_all(&self, tries: &[Vec<f64>]) -> Vec<Option<Evaluation>> {
        let in_seconds = |prices: &Vec<f64>| -> Vec<i64> {
            prices
                .iter()
                .map(|&u| {
                    #[allow(clippy::cast_possible_truncation)]
                    let u = u.round().clamp(0.0, f64::from(u32::MAX / 4)) as i64;
                    u
                })
                .collect()
        };
        std::thread::scope(|scope| {
            let handles: Vec<_> = tries
                .iter()
                .map(|prices| {
                    let prices = in_seconds(prices);
                    scope.spawn(move || self.evaluate(&prices))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().ok().flatten())
                .collect()
        })
    }

    /// The highest value the cuts allow within `radius` of `centre` (prices at
    /// least 0, value at most `upper`): the prices there, that value, and whether
    /// no price is at the edge of the box (so the value is the highest anywhere).
    fn master(
        cuts: &[Evaluation],
        centre: &[f64],
        radius: f64,
        upper: i64,
    ) -> Option<(Vec<f64>, f64, bool)> {
        let mut problem = Problem::new(OptimizationDirection::Maximize);
        #[allow(clippy::cast_precision_loss)]
        let value = problem.add_var(1.0, (f64::MIN / 4.0, upper as f64));
        let bounds: Vec<(f64, f64)> = centre
            .iter()
            .map(|&c| ((c - radius).max(0.0), c + radius))
            .collect();
        let prices: Vec<_> = bounds.iter().map(|&b| problem.add_var(0.0, b)).collect();
        for cut in cuts {
            // value - Σ μ excess <= travel
            let mut expr = vec![(value, 1.0)];
            #[allow(clippy::cast_precision_loss)]
            expr.extend(
                prices
                    .iter()
                    .zip(&cut.excess)
                    .map(|(&p, &e)| (p, -(e as f64))),
            );
            #[allow(clippy::cast_precision_loss)]
            problem.add_constraint(&expr[..], ComparisonOp::Le, cut.travel as f64);
        }
        let solution = problem.solve().ok()?;
        let SolveOutcome::Solution(solution) = solution else {
            return None;
        };
        let at: Vec<f64> = prices.iter().map(|&p| solution.var_value(p)).collect();
        let inside = at
            .iter()
            .zip(&bounds)
            .all(|(&x, &(lo, hi))| (lo == 0.0 || x > lo + 1e-6) && x < hi - 1e-6);
        Some((at, solution.var_value(value), inside))
    }
}

/// What a patient's coordination needs from their key worker's team, in the
/// relaxation: nothing more (the key worker coordinates them, or they are not
/// complex), or a coordinating place of a pair (an index of `Relaxation::pairs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Needs {
    Own,
    Pair(usize),
}

/// The index and value of the best of `evaluations`, if any.
fn best_of(evaluations: &[Option<Evaluation>]) -> Option<(usize, i64)> {
    evaluations
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.as_ref().map(|e| (i, e.value)))
        .max_by_key(|&(i, v)| (v, std::cmp::Reverse(i)))
}

/// One evaluation of the travel relaxation: its value at the prices it was made
/// at, the travel of its plan, and each coordinating worker's places beyond
/// capacity.
#[derive(Debug, Clone)]
struct Evaluation {
    value: i64,
    travel: i64,
    excess: Vec<i64>,
}

/// What the least-travel flow holds and frees for one placement (see
/// [`CaseloadPlanner::frame`]).
struct Frame {
    /// The groups of patients whose key worker is free, each within its
    /// coordination.
    groups: Vec<TravelGroup>,
    /// Each worker's places left for them.
    room: Vec<u32>,
    /// Each worker's places held.
    fixed: Vec<u32>,
    /// Each worker's key places held (kept key workers).
    fixed_keys: Vec<u32>,
    /// The travel of the kept key workers' patients, in seconds.
    fixed_seconds: u64,
    /// (class, key worker) of each patient whose key worker is kept.
    kept_keys: Vec<(usize, usize)>,
    /// The patients whose key worker is not kept, by class.
    relaxed: BTreeMap<usize, Vec<usize>>,
}

/// Each patient's key worker and coordinator (worker indices), or why not.
struct Realised {
    picks: Vec<Option<(usize, Option<usize>)>>,
    reasons: Vec<Option<UnassignedReason>>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::synthetic::{NetworkSpec, SyntheticNetwork};
    use crate::{CaseloadPolicy, ExistingCare, Skill, Workforce};
    use proptest::prelude::*;

    /// Checks every rule of the planner on a placement, and that nobody is lost.
    fn check_rules(
        w: &Workforce,
        planner: &CaseloadPlanner,
        patients: &[CaseloadPatient],
        placement: &Placement,
    ) -> Result<(), TestCaseError> {
        let caseloads = &placement.caseloads;
        let mut seen: Vec<PatientId> = caseloads
            .assignments()
            .iter()
            .map(|a| a.patient)
            .chain(caseloads.unassigned().iter().map(|u| u.patient))
            .collect();
        prop_assert_eq!(seen.len(), patients.len());
        seen.sort_unstable();
        seen.dedup();
        let distinct: HashSet<PatientId> = patients.iter().map(|p| p.patient).collect();
        prop_assert_eq!(seen.len(), distinct.len());
        for u in caseloads.unassigned() {
            prop_assert!(!u.reasons.is_empty());
        }
        let by_id: HashMap<PatientId, &CaseloadPatient> =
            patients.iter().rev().map(|p| (p.patient, p)).collect();
        for a in caseloads.assignments() {
            let p = by_id[&a.patient];
            let member = w.staff(a.key_worker).unwrap();
            let membership = w
                .team(a.team)
                .unwrap()
                .members_on(planner.on)
                .find(|m| m.staff == a.key_worker)
                .unwrap();
            prop_assert!(member.skills().is_superset(p.needs));
            prop_assert!(membership.coverage.covers(p.locality));
            prop_assert_eq!(a.complex_care.is_some(), p.complex);
            if let Some(care) = a.complex_care {
                let gp = w.staff(care.accountable_gp).unwrap();
                prop_assert_eq!(gp.role(), Role::Gp);
                prop_assert_eq!(gp.employer().practice(), Some(p.practice));
                let coordinator = w.staff(care.care_coordinator).unwrap();
                prop_assert!(coordinator.skills().contains(Skill::CareCoordination));
                prop_assert!(
                    w.team(a.team)
                        .unwrap()
                        .members_on(planner.on)
                        .any(|m| m.staff == care.care_coordinator && m.coverage.covers(p.locality))
                );
            }
        }
        for worker in planner.workers() {
            let load = caseloads.caseload_of(worker.team, worker.staff).count();
            prop_assert!(
                load <= worker.capacity as usize,
                "{:?} holds {}",
                worker,
                load
            );
        }
        prop_assert!(placement.bound.most_placeable >= placement.bound.placed);
        prop_assert_eq!(
            placement.bound.placed as usize,
            caseloads.assignments().len()
        );
        Ok(())
    }

    /// The best (placed, key workers and coordinators kept) over every possible
    /// placement, by exhaustive search.
    fn exhaustive(planner: &CaseloadPlanner, patients: &[CaseloadPatient]) -> (u32, u32) {
        let workers = &planner.workers;
        let options: Vec<Vec<Option<(usize, usize)>>> = patients
            .iter()
            .map(|p| {
                let mut list = vec![None];
                let has_gp = planner
                    .practices
                    .get(&p.practice)
                    .is_some_and(|&i| !planner.gps[i].is_empty());
                for (k, key) in workers.iter().enumerate() {
                    if !key.can_key(p.needs, p.locality) {
                        continue;
                    }
                    if !p.complex {
                        list.push(Some((k, k)));
                        continue;
                    }
                    if !has_gp {
                        continue;
                    }
                    for (c, coordinator) in workers.iter().enumerate() {
                        if coordinator.team_index == key.team_index
                            && coordinator.can_coordinate(p.locality)
                        {
                            list.push(Some((k, c)));
                        }
                    }
                }
                list
            })
            .collect();
        let mut best = (0, 0);
        let mut choice = vec![0usize; patients.len()];
        loop {
            let mut load = vec![0u32; workers.len()];
            let (mut placed, mut kept) = (0, 0);
            for (i, p) in patients.iter().enumerate() {
                if let Some((k, c)) = options[i][choice[i]] {
                    placed += 1;
                    load[k] += 1;
                    if c != k {
                        load[c] += 1;
                    }
                    let e = p.existing;
                    let same = |staff: Option<StaffId>, w: usize| {
                        staff == Some(workers[w].staff) && e.team == Some(workers[w].team)
                    };
                    kept += u32::from(same(e.key_worker, k));
                    if p.complex {
                        kept += u32::from(same(e.care_coordinator, c));
                    }
                }
            }
            if load.iter().zip(workers).all(|(&l, w)| l <= w.capacity) {
                best = best.max((placed, kept));
            }
            // Next combination.
            let mut i = 0;
            loop {
                if i == patients.len() {
                    return best;
                }
                choice[i] += 1;
                if choice[i] < options[i].len() {
                    break;
                }
                choice[i] = 0;
                i += 1;
            }
        }
    }

    /// The least travel, in seconds, by exhaustive search, of every placement as
    /// good in the first two objectives as `placement` (as many placed, as many
    /// key workers and coordinators kept) and, with [`WhoWaits::Held`], placing the
    /// same patients, or with [`WhoWaits::Chosen`], with whoever waits in a class
    /// given after everyone placed in it.
    fn least_travel_exhaustive(
        planner: &CaseloadPlanner,
        patients: &[CaseloadPatient],
        placement: &Placement,
        places: &Places,
        who_waits: WhoWaits,
    ) -> Option<(u64, (u32, u32))> {
        let workers = &planner.workers;
        let travel = PlacementOptions::default().travel;
        let placed = |p: &CaseloadPatient| placement.caseloads.assignment_of(p.patient).is_some();
        let options: Vec<Vec<Option<(usize, usize)>>> = patients
            .iter()
            .map(|p| {
                let mut list = Vec::new();
                if who_waits == WhoWaits::Chosen || !placed(p) {
                    list.push(None);
                }
                if (who_waits == WhoWaits::Held && !placed(p))
                    || planner.structural_reason(p).is_some()
                {
                    return list;
                }
                for (k, key) in workers.iter().enumerate() {
                    if !key.can_key(p.needs, p.locality) {
                        continue;
                    }
                    if !p.complex {
                        list.push(Some((k, k)));
                        continue;
                    }
                    for (c, coordinator) in workers.iter().enumerate() {
                        if coordinator.team_index == key.team_index
                            && coordinator.can_coordinate(p.locality)
                        {
                            list.push(Some((k, c)));
                        }
                    }
                }
                list
            })
            .collect();
        if options.iter().any(Vec::is_empty) {
            return None;
        }
        // Patients interchangeable for every rule, as the planner groups them.
        let class_of: Vec<_> = patients
            .iter()
            .map(|p| {
                let (key, coordinator) = planner.still_valid_existing(p);
                (p.needs, p.locality, p.complex, key, coordinator)
            })
            .collect();
        let named = |i: usize, k: usize, c: usize| {
            let p = &patients[i];
            let same = |staff: Option<StaffId>, w: usize| {
                staff == Some(workers[w].staff) && p.existing.team == Some(workers[w].team)
            };
            u32::from(same(p.existing.key_worker, k))
                + u32::from(p.complex && same(p.existing.care_coordinator, c))
        };
        let placed_now = u32::try_from(patients.iter().filter(|p| placed(p)).count()).unwrap();
        let kept_now = kept(patients, placement);
        let seconds = |i: usize, k: usize| {
            places
                .base(workers[k].team, workers[k].staff)
                .zip(places.home(patients[i].patient))
                .map_or(0, |(b, h)| u64::from(travel.seconds(b, h)))
        };
        let highest = |load: &[u32]| {
            load.iter()
                .zip(workers)
                .filter(|(_, w)| w.capacity > 0)
                .map(|(&l, w)| (l, w.capacity))
                .max_by(|&(a, x), &(b, y)| less_loaded(a, x, b, y))
                .unwrap_or((0, 1))
        };
        let mut best: Option<(u64, (u32, u32))> = None;
        let mut choice = vec![0usize; patients.len()];
        loop {
            let mut load = vec![0u32; workers.len()];
            let (mut total, mut count, mut kept) = (0, 0, 0);
            for (i, list) in options.iter().enumerate() {
                if let Some((k, c)) = list[choice[i]] {
                    load[k] += 1;
                    if c != k {
                        load[c] += 1;
                    }
                    total += seconds(i, k);
                    count += 1;
                    kept += named(i, k, c);
                }
            }
            // Nobody placed after someone of their class who waits.
            let in_order = (0..patients.len()).all(|i| {
                options[i][choice[i]].is_none()
                    || (0..i).all(|e| class_of[e] != class_of[i] || options[e][choice[e]].is_some())
            });
            if count == placed_now
                && kept >= kept_now
                && in_order
                && load.iter().zip(workers).all(|(&l, w)| l <= w.capacity)
            {
                let (l, c) = highest(&load);
                let better = best.is_none_or(|(t, (bl, bc))| {
                    total < t || (total == t && less_loaded(l, c, bl, bc).is_lt())
                });
                if better {
                    best = Some((total, (l, c)));
                }
            }
            let mut i = 0;
            loop {
                if i == patients.len() {
                    return best;
                }
                choice[i] += 1;
                if choice[i] < options[i].len() {
                    break;
                }
                choice[i] = 0;
                i += 1;
            }
        }
    }

    /// Key workers and coordinators kept by a placement (the GP is not capacity
    /// bound, so it is kept whenever still at the practice).
    fn kept(patients: &[CaseloadPatient], placement: &Placement) -> u32 {
        let mut kept = 0;
        for p in patients {
            if let Some(a) = placement.caseloads.assignment_of(p.patient) {
                let e = p.existing;
                kept += u32::from(e.key_worker == Some(a.key_worker) && e.team == Some(a.team));
                if let Some(care) = a.complex_care {
                    kept += u32::from(
                        e.care_coordinator == Some(care.care_coordinator) && e.team == Some(a.team),
                    );
                }
            }
        }
        kept
    }

    fn tight_policy(per_wte: u32) -> CaseloadPolicy {
        let mut policy = CaseloadPolicy::new();
        for role in [
            Role::DistrictNurse,
            Role::PracticeNurse,
            Role::CareCoordinator,
            Role::CommunityMatron,
            Role::ClinicalPharmacist,
            Role::SpecialistNurse,
        ] {
            policy = policy.with_capacity(role, per_wte).unwrap();
        }
        policy
    }

    /// A small network with tight capacities, and some patients given existing
    /// care (valid or not).
    fn small(
        seed: u64,
        spec: NetworkSpec,
        per_wte: u32,
        care: &[(usize, usize, usize)],
    ) -> (SyntheticNetwork, CaseloadPolicy) {
        let mut net = SyntheticNetwork::generate(seed, 0, &spec).unwrap();
        let policy = tight_policy(per_wte);
        let planner = CaseloadPlanner::new(&net.workforce, net.network, &policy, net.on);
        let workers: Vec<_> = planner.workers().collect();
        if !workers.is_empty() {
            for &(p, k, c) in care {
                if let Some(patient) = net.patients.get_mut(p) {
                    let key = workers[k % workers.len()];
                    let coordinator = workers[c % workers.len()];
                    patient.existing = ExistingCare {
                        team: Some(key.team),
                        key_worker: Some(key.staff),
                        accountable_gp: None,
                        care_coordinator: Some(coordinator.staff),
                    };
                }
            }
        }
        (net, policy)
    }

    /// Real practice locations of the London extract: Whetstone, Finchley,
    /// Cricklewood.
    fn centres() -> Vec<Location> {
        [
            (51.624_339, -0.159_052),
            (51.599_563, -0.193_245),
            (51.561_025, -0.205_723),
        ]
        .iter()
        .map(|&(lat, lon)| Location::new(lat, lon).unwrap())
        .collect()
    }

    fn tiny_spec() -> impl Strategy<Value = NetworkSpec> {
        (0u32..4, 0u32..4, 4u32..8, 1u32..3, 1u32..3).prop_map(
            |(complex_patients, other_patients, staff, localities, teams)| NetworkSpec {
                complex_patients,
                other_patients,
                staff: staff.max(3 + teams),
                practices: 1,
                localities,
                teams,
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(40))]

        /// On small instances, the optimum of the count and of continuity equals the
        /// best of every possible placement, and the travel, proven, equals the least
        /// of every placement as good in those two (placing the same patients, or,
        /// when the search chooses who waits, with whoever waits in a class the last
        /// given), and the highest load, proven, the lowest of those at that travel.
        #[test]
        fn the_optimum_equals_exhaustive_search(
            seed in any::<u64>(),
            spec in tiny_spec(),
            per_wte in 1u32..4,
            care in prop::collection::vec((0usize..8, 0usize..16, 0usize..16), 0..4),
            chooses in any::<bool>(),
            radius_m in prop_oneof![Just(1_500u32), Just(20_000u32)],
        ) {
            let (net, policy) = small(seed, spec, per_wte, &care);
            let planner = CaseloadPlanner::new(&net.workforce, net.network, &policy, net.on);
            let places = net.places(seed, &centres(), radius_m);
            let options = PlacementOptions { refine_time_limit_ms: 20, bound_time_limit_ms: 200, travel_time_limit_ms: 10_000, travel_chooses_who_waits: chooses, ..PlacementOptions::default() };
            let placement = planner.place(&net.patients, &places, &options).unwrap();
            check_rules(&net.workforce, &planner, &net.patients, &placement)?;
            let (placed, kept_best) = exhaustive(&planner, &net.patients);
            prop_assert_eq!(placement.bound.placed, placed);
            prop_assert_eq!(kept(&net.patients, &placement), kept_best);
            prop_assert_eq!(placement.bound.most_placeable, placed);

            let travel: u64 = placement.travel.iter().filter_map(|t| t.seconds).map(u64::from).sum();
            let stage = placement.stages.iter().find(|s| s.objective == Objective::LeastTravel).unwrap();
            prop_assert!((stage.value * 60.0 - travel as f64).abs() < 1e-6);
            let who_waits = if chooses { WhoWaits::Chosen } else { WhoWaits::Held };
            let (least, (load, capacity)) = least_travel_exhaustive(&planner, &net.patients, &placement, &places, who_waits).unwrap();
            prop_assert!(travel >= least, "{} below the least {}", travel, least);
            let bound = stage.bound.unwrap();
            prop_assert!(bound * 60.0 <= least as f64 + 1e-6, "bound {} above the least {}", bound * 60.0, least);
            prop_assert!(stage.proven_optimal, "travel {} not proven; the least is {}", travel, least);
            prop_assert_eq!(travel, least);
            let even = placement.stages.iter().find(|s| s.objective == Objective::MostEvenLoad).unwrap();
            prop_assert!(even.proven_optimal);
            prop_assert!((even.value - f64::from(load) / f64::from(capacity)).abs() < 1e-12, "highest load {} where {}/{} is the lowest at that travel", even.value, load, capacity);
        }

        /// On every instance, no rule is broken, no patient dropped, the bound is never
        /// below the placement, and the optimum places at least as many as the greedy
        /// planner; placed again from its own result, it keeps all existing care.
        #[test]
        fn no_rule_broken_and_continuity_kept_where_capacity_allows(
            seed in any::<u64>(),
            complex in 0u32..120,
            other in 0u32..80,
            staff in 8u32..30,
            localities in 1u32..4,
            teams in 1u32..4,
            with_places in any::<bool>(),
            chooses in any::<bool>(),
        ) {
            let spec = NetworkSpec { complex_patients: complex, other_patients: other, staff, practices: 2, localities, teams };
            let net = SyntheticNetwork::generate(seed, 0, &spec).unwrap();
            let planner = CaseloadPlanner::new(&net.workforce, net.network, &net.policy, net.on);
            let places = if with_places {
                net.places(seed, &[Location::new(51.62, -0.16).unwrap(), Location::new(51.60, -0.19).unwrap()], 1_500)
            } else {
                Places::new()
            };
            let options = PlacementOptions { refine_time_limit_ms: 20, bound_time_limit_ms: 200, travel_time_limit_ms: 200, travel_chooses_who_waits: chooses, ..PlacementOptions::default() };
            let mut patients = net.patients.clone();
            if let Some(first) = patients.first().cloned() {
                patients.push(first);
            }
            let placement = planner.place(&patients, &places, &options).unwrap();
            check_rules(&net.workforce, &planner, &patients, &placement)?;
            let greedy = planner.assign(&patients);
            prop_assert!(placement.bound.placed as usize >= greedy.assignments().len());
            let waiting: u32 = placement.shortfalls.iter().map(Shortfall::waiting).sum();
            prop_assert_eq!(waiting as usize, placement.caseloads.unassigned().len() - usize::from(!net.patients.is_empty()));

            // Everyone placed keeps every named person when placed again.
            let again: Vec<CaseloadPatient> = net.patients.iter().map(|p| CaseloadPatient {
                existing: placement.caseloads.assignment_of(p.patient).map(Assignment::as_existing).unwrap_or_default(),
                ..p.clone()
            }).collect();
            let second = planner.place(&again, &places, &options).unwrap();
            prop_assert_eq!(second.continuity.changed, 0);
            for a in placement.caseloads.assignments() {
                prop_assert_eq!(second.caseloads.assignment_of(a.patient), Some(a));
            }
        }
    }

    /// Networks found where the first choice of who waits, by travel at class
    /// means, is not the least travel: the search that chooses who waits finds the
    /// least of every placement as good in the first two objectives, and the one
    /// that holds them the least for the patients first placed.
    #[test]
    fn choosing_who_waits_finds_less_travel_where_class_means_mislead() {
        for (seed, complex, other, staff, localities, teams) in [
            (352, 3, 0, 6, 1, 1),
            (159, 5, 1, 5, 2, 2),
            (308, 4, 1, 7, 1, 1),
        ] {
            let spec = NetworkSpec {
                complex_patients: complex,
                other_patients: other,
                staff,
                practices: 1,
                localities,
                teams,
            };
            let (net, policy) = small(seed, spec, 1 + u32::try_from(seed % 2).unwrap(), &[]);
            let planner = CaseloadPlanner::new(&net.workforce, net.network, &policy, net.on);
            let places = net.places(seed, &centres(), 20_000);
            let options = PlacementOptions {
                travel_time_limit_ms: 10_000,
                ..PlacementOptions::default()
            };
            let travel = |p: &Placement| -> u64 {
                p.travel
                    .iter()
                    .filter_map(|t| t.seconds)
                    .map(u64::from)
                    .sum()
            };
            let mut least = Vec::new();
            for (chooses, who_waits) in [(false, WhoWaits::Held), (true, WhoWaits::Chosen)] {
                let options = PlacementOptions {
                    travel_chooses_who_waits: chooses,
                    ..options
                };
                let placement = planner.place(&net.patients, &places, &options).unwrap();
                check_rules(&net.workforce, &planner, &net.patients, &placement).unwrap();
                let stage = placement
                    .stages
                    .iter()
                    .find(|s| s.objective == Objective::LeastTravel)
                    .unwrap();
                assert!(stage.proven_optimal, "seed {seed}");
                let searched = least_travel_exhaustive(
                    &planner,
                    &net.patients,
                    &placement,
                    &places,
                    who_waits,
                );
                assert_eq!(
                    Some(travel(&placement)),
                    searched.map(|s| s.0),
                    "seed {seed}"
                );
                assert_eq!(
                    (placement.bound.placed, kept(&net.patients, &placement)),
                    exhaustive(&planner, &net.patients),
                    "seed {seed}"
                );
                least.push(travel(&placement));
            }
            assert!(least[1] < least[0], "seed {seed}: {least:?}");
        }
    }

    #[test]
    fn the_optimum_beats_the_greedy_planner_on_the_bench_network() {
        let net =
            SyntheticNetwork::generate(20_190_701, 0, &NetworkSpec::fifty_thousand()).unwrap();
        let planner = CaseloadPlanner::new(&net.workforce, net.network, &net.policy, net.on);
        let greedy = planner.assign(&net.patients).assignments().len();
        let placement = planner
            .place(&net.patients, &Places::new(), &PlacementOptions::default())
            .unwrap();
        assert!(
            placement.bound.placed as usize > greedy,
            "{} against {greedy}",
            placement.bound.placed
        );
        assert!(placement.stages[0].proven_optimal);
        assert_eq!(placement.bound.gap(), 0);
        assert!(
            placement
                .bound
                .to_string()
                .contains("no placement can place more than")
        );
        let first = placement.shortfalls.first().unwrap().to_string();
        assert!(
            first.contains("would make room for") || first.contains("nobody"),
            "{first}"
        );
    }

    #[test]
    fn travel_picks_the_nearer_base_and_reports_rounds() {
        let spec = NetworkSpec {
            complex_patients: 0,
            other_patients: 40,
            staff: 20,
            practices: 1,
            localities: 2,
            teams: 2,
        };
        let net = SyntheticNetwork::generate(3, 0, &spec).unwrap();
        let planner = CaseloadPlanner::new(&net.workforce, net.network, &net.policy, net.on);
        let near = Location::new(51.62, -0.16).unwrap();
        let far = Location::new(51.50, -0.30).unwrap();
        let places = net.places(3, &[near, far], 800);
        let placement = planner
            .place(&net.patients, &places, &PlacementOptions::default())
            .unwrap();
        assert_eq!(
            placement.travel.len(),
            placement.caseloads.assignments().len()
        );
        assert!(placement.travel.iter().all(|t| t.seconds.is_some()));
        // Nobody travels further than the far base is from the near one when a
        // nearer worker with room could have taken them: total travel is no more
        // than the greedy planner's.
        let greedy = planner.assign(&net.patients);
        let seconds = |a: &Assignment| {
            places
                .base(a.team, a.key_worker)
                .zip(places.home(a.patient))
                .map_or(0, |(b, h)| {
                    u64::from(PlacementOptions::default().travel.seconds(b, h))
                })
        };
        if greedy.assignments().len() == placement.caseloads.assignments().len() {
            let optimal: u64 = placement.caseloads.assignments().iter().map(seconds).sum();
            let greedy_total: u64 = greedy.assignments().iter().map(seconds).sum();
            assert!(optimal <= greedy_total, "{optimal} against {greedy_total}");
        }
        let busy = placement
            .rounds
            .iter()
            .find(|r| r.patients > 0 && r.mean_seconds.is_some())
            .unwrap();
        assert_eq!(busy.round_seconds, busy.mean_seconds.map(|m| m * 2 * 6));
        let json = serde_json::to_string(&placement.bound).unwrap();
        assert!(json.contains("\"most_placeable\""));
    }

    #[test]
    fn options_written_before_the_bound_and_travel_times_read_with_their_defaults() {
        let options = PlacementOptions {
            bound_time_limit_ms: 1_234,
            travel_time_limit_ms: 5_678,
            travel_chooses_who_waits: true,
            ..PlacementOptions::default()
        };
        let mut json = serde_json::to_value(options).unwrap();
        assert_eq!(json["bound_time_limit_ms"], 1_234);
        assert_eq!(json["travel_time_limit_ms"], 5_678);
        assert_eq!(json["travel_chooses_who_waits"], true);
        json.as_object_mut().unwrap().remove("bound_time_limit_ms");
        json.as_object_mut().unwrap().remove("travel_time_limit_ms");
        json.as_object_mut()
            .unwrap()
            .remove("travel_chooses_who_waits");
        let read: PlacementOptions = serde_json::from_value(json).unwrap();
        assert_eq!(read.bound_time_limit_ms, 500);
        assert_eq!(read.travel_time_limit_ms, 2_000);
        assert!(!read.travel_chooses_who_waits);
        assert_eq!(read.refine_time_limit_ms, options.refine_time_limit_ms);
    }

    #[test]
    fn numbers_read_with_thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(950), "950");
        assert_eq!(thousands(2_950), "2,950");
        assert_eq!(thousands(1_234_567), "1,234,567");
        let bound = PlacementBound {
            patients: 3_000,
            placed: 2_721,
            most_placeable: 2_750,
        };
        assert_eq!(
            bound.to_string(),
            "2,721 placed; no placement can place more than 2,750 (29 short of the bound)"
        );
    }
}
