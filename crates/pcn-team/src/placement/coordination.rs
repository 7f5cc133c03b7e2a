//! The least travel over every coordination: one integer programme in which each
//! placed patient chooses their key worker and how their care is coordinated, and
//! each team gives the coordinating places its patients need.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use microlp::{ComparisonOp, OptimizationDirection, Problem, SolveOptions, SolveOutcome, Variable};

use super::{Class, highest_load, loads, lowest_highest_load, whole};
use crate::caseload::{Worker, less_loaded};

/// A placed patient's choice of key worker `0`, coordinated by that key worker (or
/// not complex) when `1` is false, and by another coordinator of the key worker's
/// team when it is true.
type Choice = (usize, bool);

/// Each patient's key worker and coordinator (worker indices), as the placement
/// realises them.
pub(super) type Picks = Vec<Option<(usize, Option<usize>)>>;

/// What the search over every coordination found.
#[derive(Debug)]
pub(super) struct Searched {
    /// A placement that travels less, or as little with a lower highest load, if
    /// one was found: as many placed and as much existing care kept, who waits in
    /// each class still the last given.
    pub(super) picks: Option<Picks>,
    /// Its travel (or the travel given, where none is better), in seconds.
    pub(super) seconds: u64,
    /// Whether no placement of the frame travels less (nor, when the search was for
    /// the most even load too, as little with a lower highest load).
    pub(super) proven: bool,
    /// The least travel any placement of the frame could have, in seconds, where
    /// the search proved one.
    pub(super) bound: Option<u64>,
}

/// One run of the programme: what it found against the placement it started
/// from, the placement it found with its travel (better or not), and whether it
/// settled (its solution proven optimal, or the programme proven to have none).
struct Run {
    searched: Searched,
    found: Option<(Picks, u64)>,
    settled: bool,
}

/// Who waits, in the search for least travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum WhoWaits {
    /// As placed: the search places the same patients.
    Held,
    /// Chosen by the search, among placements as good in the first two
    /// objectives, whoever waits in each class the last given.
    Chosen,
}

/// A base (`None`: workers with none, who cost nothing) and a patient's 0–1
/// variable for it.
type AtBase = (Option<usize>, Variable);

/// One class's counted choices and its patients' variables.
struct Counted {
    class: usize,
    choices: Vec<(Choice, Variable)>,
    /// Each member, in the order given, with their variable per base.
    patients: Vec<(usize, Vec<AtBase>)>,
}

/// The integer programme of least travel over every placement as good in the first
/// two objectives: as many placed, as many named people (key workers and care
/// coordinators) kept, and in each class whoever waits the last given; or, with
/// [`WhoWaits::Held`], over those that place the same patients as the placement
/// it starts from. This is the **frame** of the travel stage when the search
/// finishes.
///
/// A patient's travel depends only on their key worker's base, and the patients
/// of a class are interchangeable for every rule, so the programme counts rather
/// than lists: for each class, an integer per choice (a key worker who could be
/// theirs, and whether that worker coordinates them or a coordinator of the
/// worker's team does); for each of its members, a 0–1 variable per base those
/// choices start from; for each complex class and each coordinator who could
/// coordinate it, the count of its coordinating places there. Rows: each member at
/// most one base, and no member placed unless every member given before them is
/// (held: each placed member exactly one base, and no other member); as many
/// members at each base of a class as its choices there; for each class and team,
/// as many coordinating places as patients coordinated by someone other than
/// their key worker; each worker's places within capacity; as many placed, and as
/// many named people kept, as before. With few bases (a team's staff mostly start
/// from a handful of practices) it is much smaller than one variable per patient
/// and key worker, and it is the same programme: any counts and bases that keep
/// the rows are realised by giving each base's patients to its chosen workers in
/// turn.
///
/// The objective is each placed patient's travel from their base in seconds.
/// Searched with the most even load, it is that plus half the highest load for
/// capacity, a continuous variable at least every worker's places over their
/// capacity: since travel comes in whole seconds and the load is at most 1, no
/// lower load is ever bought with more travel, so its optimum is the least travel
/// and, at that travel, the most even load (the solver's pruning tolerance is set
/// to 0 so that loads a fraction of a place apart are told apart). Asked whether
/// the least travel fits within given rooms ([`Self::fits`]), it is the same
/// programme with each worker's places within their room.
pub(super) struct Coordination<'a> {
    workers: &'a [Worker],
    classes: &'a [Class],
    /// Each worker's base (an index into the caller's bases), `None` where unknown.
    base_of: &'a [Option<usize>],
    /// A patient's travel from a base, in seconds.
    seconds: &'a dyn Fn(usize, usize) -> u32,
    /// Who waits: as placed, or chosen by the search.
    who_waits: WhoWaits,
}

impl<'a> Coordination<'a> {
    pub(super) fn new(
        workers: &'a [Worker],
        classes: &'a [Class],
        base_of: &'a [Option<usize>],
        seconds: &'a dyn Fn(usize, usize) -> u32,
        who_waits: WhoWaits,
    ) -> Self {
        Self {
            workers,
            classes,
            base_of,
            seconds,
            who_waits,
        }
    }

    /// The choices open to a patient of `class`: each key worker who could be
    /// theirs, coordinating them or not.
    fn choices(&self, class: &Class) -> Vec<Choice> {
        let workers = self.workers;
        let mut choices = Vec::new();
        for (k, worker) in workers.iter().enumerate() {
            if !worker.can_key(class.needs, class.locality) {
                continue;
            }
            if !class.complex {
                choices.push((k, false));
                continue;
            }
            let coordinates = worker.can_coordinate(class.locality);
            if coordinates {
                choices.push((k, false));
            }
            // As in the placement model: a key worker who coordinates works with
            // another coordinator only to keep the patient's existing coordinator.
            let team = worker.team_index;
            let keeps_pair = class
                .coordinator
                .is_some_and(|j| j != k && workers[j].team_index == team);
            let others = workers
                .iter()
                .enumerate()
                .any(|(j, w)| j != k && w.team_index == team && w.can_coordinate(class.locality));
            if (!coordinates || keeps_pair) && others {
                choices.push((k, true));
            }
        }
        choices
    }

    /// Named people a choice keeps for a patient of `class`: their key worker, and
    /// their coordinator when the key worker coordinates them.
    fn kept(class: &Class, (k, by_other): Choice) -> u32 {
        u32::from(class.key == Some(k))
            + u32::from(class.complex && !by_other && class.coordinator == Some(k))
    }

    /// Searches, for at most `limit`, for the least travel over the frame, starting
    /// from `picks`, and with `even` the most even load at that travel; `now` is
    /// their travel in seconds. `None` where the programme cannot be built from
    /// `picks` or the solver fails; the placement given then stands.
    pub(super) fn search(
        &self,
        picks: &[Option<(usize, Option<usize>)>],
        now: u64,
        limit: Duration,
        even: bool,
    ) -> Option<Searched> {
        self.run(picks, now, limit, even, None)
            .map(|run| run.searched)
    }

    /// Whether some placement of the frame travels `travel` seconds (the least)
    /// with each worker's places within `rooms`: `Some(Some(placement))` if so,
    /// `Some(None)` if proven not, `None` if not settled in `limit`.
    pub(super) fn fits(
        &self,
        picks: &[Option<(usize, Option<usize>)>],
        travel: u64,
        limit: Duration,
        rooms: &[u32],
    ) -> Option<Option<Picks>> {
        let run = self.run(picks, travel, limit, false, Some(rooms))?;
        match run.found {
            Some((next, total)) if total <= travel => Some(Some(next)),
            _ if run.settled => Some(None),
            _ => None,
        }
    }

    /// The search of [`Self::search`], with each worker's places within `rooms`
    /// where given (the capacities otherwise); the placement it found with its
    /// travel, whether better or not; and whether the search settled (its
    /// solution proven optimal, or the programme proven to have none).
    fn run(
        &self,
        picks: &[Option<(usize, Option<usize>)>],
        now: u64,
        limit: Duration,
        even: bool,
        rooms: Option<&[u32]>,
    ) -> Option<Run> {
        let (workers, seconds, who_waits) = (self.workers, self.seconds, self.who_waits);
        let cost = |i: usize, base: Option<usize>| base.map_or(0, |b| u64::from(seconds(i, b)));
        let mut problem = Problem::new(OptimizationDirection::Minimize);
        let mut per_worker: Vec<Vec<(Variable, f64)>> = vec![Vec::new(); workers.len()];
        let mut placed_row: Vec<(Variable, f64)> = Vec::new();
        let mut kept_row: Vec<(Variable, f64)> = Vec::new();
        let mut start: Vec<(Variable, f64)> = Vec::new();
        let (mut placed_now, mut kept_now) = (0u32, 0u32);
        let mut counted: Vec<Counted> = Vec::new();
        // Patients coordinated by another, and coordinating places, by (class, team).
        let mut links: BTreeMap<(usize, usize), Vec<(Variable, f64)>> = BTreeMap::new();
        let mut coordinating: BTreeMap<(usize, usize), Vec<(usize, Variable)>> = BTreeMap::new();
        let mut given: BTreeMap<(usize, usize), u32> = BTreeMap::new();
        for (c, class) in self.classes.iter().enumerate() {
            // Each member's choice as placed.
            let mut was: Vec<Option<Choice>> = Vec::with_capacity(class.members.len());
            for &i in &class.members {
                let choice = picks[i].map(|(k, coordinator)| {
                    let by_other = coordinator.filter(|&j| j != k);
                    if let Some(j) = by_other {
                        *given.entry((c, j)).or_default() += 1;
                        kept_now += u32::from(class.coordinator == Some(j));
                    }
                    (k, by_other.is_some())
                });
                if let Some(choice) = choice {
                    placed_now += 1;
                    kept_now += Self::kept(class, choice);
                }
                was.push(choice);
            }
            if who_waits == WhoWaits::Held && was.iter().all(Option::is_none) {
                continue;
            }
            let choices = self.choices(class);
            if was.iter().flatten().any(|w| !choices.contains(w)) {
                return None;
            }
            if choices.is_empty() {
                continue;
            }
            let size = u32::try_from(class.members.len()).unwrap_or(u32::MAX);
            let mut vars = Vec::with_capacity(choices.len());
            let mut at_base: BTreeMap<Option<usize>, Vec<(Variable, f64)>> = BTreeMap::new();
            for choice in choices {
                let (k, by_other) = choice;
                let upper = i32::try_from(size.min(workers[k].capacity)).unwrap_or(i32::MAX);
                let n = problem.add_integer_var(0.0, (0, upper));
                let count = was.iter().filter(|&&w| w == Some(choice)).count();
                #[allow(clippy::cast_precision_loss)]
                start.push((n, count as f64));
                per_worker[k].push((n, 1.0));
                placed_row.push((n, 1.0));
                let kept = Self::kept(class, choice);
                if kept > 0 {
                    kept_row.push((n, f64::from(kept)));
                }
                if by_other {
                    links
                        .entry((c, workers[k].team_index))
                        .or_default()
                        .push((n, 1.0));
                }
                at_base.entry(self.base_of[k]).or_default().push((n, -1.0));
                vars.push((choice, n));
            }
            let mut patients = Vec::with_capacity(class.members.len());
            let mut before: Option<Vec<(Variable, f64)>> = None;
            for (&i, &w) in class.members.iter().zip(&was) {
                if who_waits == WhoWaits::Held && w.is_none() {
                    continue;
                }
                let mut bases = Vec::with_capacity(at_base.len());
                let mut row = Vec::with_capacity(at_base.len());
                for (&base, terms) in &mut at_base {
                    #[allow(clippy::cast_precision_loss)]
                    let z = problem.add_binary_var(cost(i, base) as f64);
                    let here = w.is_some_and(|(k, _)| self.base_of[k] == base);
                    start.push((z, f64::from(u8::from(here))));
                    terms.push((z, 1.0));
                    row.push((z, 1.0));
                    bases.push((base, z));
                }
                if who_waits == WhoWaits::Held {
                    problem.add_constraint(&row[..], ComparisonOp::Eq, 1.0);
                } else {
                    problem.add_constraint(&row[..], ComparisonOp::Le, 1.0);
                    // Placed only if the member given before is.
                    if let Some(mut earlier) = before.take() {
                        earlier.extend(row.iter().map(|&(z, _)| (z, -1.0)));
                        problem.add_constraint(&earlier[..], ComparisonOp::Ge, 0.0);
                    }
                    before = Some(row);
                }
                patients.push((i, bases));
            }
            for terms in at_base.values() {
                problem.add_constraint(&terms[..], ComparisonOp::Eq, 0.0);
            }
            counted.push(Counted {
                class: c,
                choices: vars,
                patients,
            });
        }
        if counted.is_empty() {
            // Nobody could be placed differently: the placement given is the only one.
            let searched = Searched {
                picks: None,
                seconds: now,
                proven: true,
                bound: Some(now),
            };
            return Some(Run {
                searched,
                found: Some((picks.to_vec(), now)),
                settled: true,
            });
        }
        for (&(c, team), link) in &mut links {
            let class = &self.classes[c];
            let places = coordinating.entry((c, team)).or_default();
            for (j, w) in workers.iter().enumerate() {
                if w.team_index != team || !w.can_coordinate(class.locality) {
                    continue;
                }
                let upper = i32::try_from(w.capacity).unwrap_or(i32::MAX);
                let y = problem.add_integer_var(0.0, (0, upper));
                per_worker[j].push((y, 1.0));
                link.push((y, -1.0));
                start.push((y, f64::from(given.get(&(c, j)).copied().unwrap_or(0))));
                if class.coordinator == Some(j) {
                    kept_row.push((y, 1.0));
                }
                places.push((j, y));
            }
            problem.add_constraint(&link[..], ComparisonOp::Eq, 0.0);
        }
        // The highest load for capacity: every worker's places within that share of
        // their capacity, and so within capacity.
        let highest = even.then(|| problem.add_var(0.5, (0.0, 1.0)));
        for (w, mut row) in per_worker.into_iter().enumerate() {
            if row.is_empty() {
                continue;
            }
            let capacity = f64::from(workers[w].capacity);
            match highest {
                Some(highest) => {
                    row.push((highest, -capacity));
                    problem.add_constraint(&row[..], ComparisonOp::Le, 0.0);
                }
                None => {
                    let room = rooms
                        .and_then(|r| r.get(w))
                        .map_or(capacity, |&r| f64::from(r));
                    problem.add_constraint(&row[..], ComparisonOp::Le, room);
                }
            }
        }
        if who_waits == WhoWaits::Chosen {
            problem.add_constraint(&placed_row[..], ComparisonOp::Ge, f64::from(placed_now));
        }
        if kept_now > 0 {
            problem.add_constraint(&kept_row[..], ComparisonOp::Ge, f64::from(kept_now));
        }

        let mut options = SolveOptions::default();
        options.time_limit = Some(limit);
        options.warm_start = Some(start);
        if even {
            options.tolerances.prune_epsilon = 0.0;
        }
        let outcome = match problem.solve_with(options) {
            Ok(outcome) => outcome,
            Err(microlp::Error::Infeasible) => {
                let searched = Searched {
                    picks: None,
                    seconds: now,
                    proven: true,
                    bound: None,
                };
                return Some(Run {
                    searched,
                    found: None,
                    settled: true,
                });
            }
            Err(_) => return None,
        };
        let proven = outcome.is_optimal();
        // A lower bound on a whole number of seconds of travel: the objective's
        // bound less the most the load can add, allowing for round-off.
        let most_load = if even { 0.5 } else { 0.0 };
        let bound = outcome
            .stats()
            .best_bound
            .map(|b| seconds_below((b - most_load - 1e-6).ceil()));
        let SolveOutcome::Solution(solution) = outcome else {
            let searched = Searched {
                picks: None,
                seconds: now,
                proven: false,
                bound: bound.map(|b| b.min(now)),
            };
            return Some(Run {
                searched,
                found: None,
                settled: false,
            });
        };
        let next = self.realise(&counted, &coordinating, picks.len(), &|v| {
            whole(solution.var_value(v))
        })?;
        let total: u64 = next
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.map(|(k, _)| cost(i, self.base_of[k])))
            .sum();
        let (load, was) = (self.highest(&next), self.highest(picks));
        let better = total < now
            || (even && total == now && less_loaded(load.0, load.1, was.0, was.1).is_lt());
        let worse = total > now
            || (even && total == now && less_loaded(was.0, was.1, load.0, load.1).is_lt());
        let searched = Searched {
            picks: better.then(|| next.clone()),
            seconds: total.min(now),
            proven: proven && !worse,
            bound: bound.map(|b| b.min(total.min(now))),
        };
        Some(Run {
            searched,
            found: Some((next, total)),
            settled: proven,
        })
    }

    /// Lowers the highest load of `picks` for capacity, over every placement of the
    /// frame at their travel (`travel` seconds, the least), by bisection over every
    /// load a worker could have: for a highest load λ, is there a placement at that
    /// travel with every worker's places within λ of their capacity? Each question is
    /// the search over every coordination with those rooms. True when the bisection
    /// finished by `deadline` (the load is then the lowest of the frame).
    pub(super) fn spread(
        &self,
        picks: &mut [Option<(usize, Option<usize>)>],
        travel: u64,
        deadline: Instant,
    ) -> bool {
        let capacity: Vec<u32> = self.workers.iter().map(|w| w.capacity).collect();
        let top = self.highest(picks);
        lowest_highest_load(&capacity, (0, 1), top, deadline, |rooms, deadline| {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.fits(picks, travel, left, rooms)? {
                Some(next) => {
                    picks.copy_from_slice(&next);
                    Some(true)
                }
                None => Some(false),
            }
        })
    }

    /// The highest load for capacity of `picks`, as (places taken, capacity).
    pub(super) fn highest(&self, picks: &[Option<(usize, Option<usize>)>]) -> (u32, u32) {
        let capacity: Vec<u32> = self.workers.iter().map(|w| w.capacity).collect();
        highest_load(&loads(picks, self.workers.len()), &capacity).unwrap_or((0, 1))
    }

    /// Each patient's key worker and coordinator from the counts of a solution
    /// (`count` of a variable) for `len` patients: each base's patients to the
    /// workers chosen there, in turn, and each class and team's patients
    /// coordinated by another to its coordinating places. `None` where the counts
    /// do not add up.
    fn realise(
        &self,
        counted: &[Counted],
        coordinating: &BTreeMap<(usize, usize), Vec<(usize, Variable)>>,
        len: usize,
        count: &dyn Fn(Variable) -> u32,
    ) -> Option<Picks> {
        let workers = self.workers;
        let mut next: Picks = vec![None; len];
        let mut waiting: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
        for group in counted {
            let class = &self.classes[group.class];
            let mut by_base: BTreeMap<Option<usize>, Vec<usize>> = BTreeMap::new();
            for (i, bases) in &group.patients {
                if let Some(&(base, _)) = bases.iter().find(|&&(_, z)| count(z) == 1) {
                    by_base.entry(base).or_default().push(*i);
                }
            }
            for (base, patients) in by_base {
                let mut places = group
                    .choices
                    .iter()
                    .filter(|&&((k, _), _)| self.base_of[k] == base)
                    .flat_map(|&(choice, n)| {
                        std::iter::repeat_n(choice, usize::try_from(count(n)).unwrap_or(0))
                    });
                for i in patients {
                    let (k, by_other) = places.next()?;
                    *next.get_mut(i)? = Some((k, class.complex.then_some(k)));
                    if by_other {
                        waiting
                            .entry((group.class, workers[k].team_index))
                            .or_default()
                            .push(i);
                    }
                }
            }
        }
        for (key, patients) in waiting {
            let mut places = coordinating
                .get(&key)?
                .iter()
                .flat_map(|&(j, y)| std::iter::repeat_n(j, usize::try_from(count(y)).unwrap_or(0)));
            for i in patients {
                let j = places.next()?;
                next[i] = next[i].map(|(k, _)| (k, Some(j)));
            }
        }
        Some(next)
    }
}

/// The whole number of seconds at or below a solver's lower bound `b`, allowing
/// for round-off (a bound of 1234.9999999 is 1235).
fn seconds_below(b: f64) -> u64 {
    let floor = (b + 1e-6).floor();
    if floor <= 0.0 {
        0
    } else if floor >= 9.0e15 {
        9_000_000_000_000_000
    } else {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let s = floor as u64;
        s
    }
}
