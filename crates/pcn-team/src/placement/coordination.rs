//! The least travel over every coordination: one integer programme in which each
//! placed patient chooses their key worker and how their care is coordinated, and
//! each team gives the coordinating places its patients need.

use std::collections::BTreeMap;
use std::time::Duration;

use microlp::{ComparisonOp, OptimizationDirection, Problem, SolveOptions, SolveOutcome, Variable};

use super::{Class, whole};

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
use crate::caseload::Worker;

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
    /// A placement of the same patients that travels less, if one was found.
    pub(super) picks: Option<Picks>,
    /// Its travel (or the travel given, where none travels less), in seconds.
    pub(super) seconds: u64,
    /// Whether no placement in the frame travels less.
    pub(super) proven: bool,
    /// The least travel any placement in the frame could have, in seconds, where
    /// the search proved one.
    pub(super) bound: Option<u64>,
}

/// The integer programme of least travel over every coordination, for the patients
/// of a placement, holding who is placed, every key worker kept, and at least as
/// many coordinators kept.
///
/// A patient's travel depends only on their key worker's base, and the patients
/// of a class are interchangeable for every rule, so the programme counts rather
/// than lists: for each class, an integer per choice (a key worker who could be
/// theirs, and whether that worker coordinates them or a coordinator of the
/// worker's team does); for each of its patients whose key worker is not kept, a
/// 0–1 variable per base those choices start from; for each complex class and
/// each coordinator who could coordinate it, the count of its coordinating places
/// there. Rows: one base per patient, and as many patients at each base of a class
/// as its choices there; for each class and team, as many coordinating places as
/// patients coordinated by someone other than their key worker; each worker's
/// places within capacity; coordinators kept at least as many as before. The
/// objective is each patient's travel from their base. With few bases (a team's
/// staff mostly start from a handful of practices) it is much smaller than one
/// variable per patient and key worker, and it is the same programme: any counts
/// and bases that keep the rows are realised by giving each base's patients to
/// its chosen workers in turn.
pub(super) struct Coordination<'a> {
    workers: &'a [Worker],
    classes: &'a [Class],
    /// Each worker's base (an index into the caller's bases), `None` where unknown.
    base_of: &'a [Option<usize>],
}

/// A base (`None`: workers with none, who cost nothing) and a patient's 0–1
/// variable for it.
type AtBase = (Option<usize>, Variable);

/// One class's counted choices and their variables.
struct Counted {
    class: usize,
    choices: Vec<(Choice, Variable)>,
    /// The patients, each with their variable per base, where the key worker is
    /// free; empty for the patients of a kept key worker.
    patients: Vec<(usize, Vec<AtBase>)>,
    /// The patients of a kept key worker, whose travel is held.
    held: Vec<usize>,
}

impl<'a> Coordination<'a> {
    pub(super) const fn new(
        workers: &'a [Worker],
        classes: &'a [Class],
        base_of: &'a [Option<usize>],
    ) -> Self {
        Self {
            workers,
            classes,
            base_of,
        }
    }

    /// The choices open to a placed patient of `class`: with `kept`, that key
    /// worker's; otherwise every key worker's who could be theirs.
    fn choices(&self, class: &Class, kept: Option<usize>) -> Vec<Choice> {
        let workers = self.workers;
        let keys: Vec<usize> = match kept {
            Some(k) => vec![k],
            None => (0..workers.len())
                .filter(|&k| workers[k].can_key(class.needs, class.locality))
                .collect(),
        };
        let mut choices = Vec::new();
        for k in keys {
            if !class.complex {
                choices.push((k, false));
                continue;
            }
            let coordinates = workers[k].can_coordinate(class.locality);
            if coordinates {
                choices.push((k, false));
            }
            // As in the placement model: a key worker who coordinates works with
            // another coordinator only to keep the patient's existing coordinator.
            let team = workers[k].team_index;
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

    /// Searches, for at most `limit`, for the least travel of the patients of
    /// `picks` over every key worker and coordination in the frame; `now` is their
    /// travel in seconds as placed and `seconds(patient, base)` a patient's travel
    /// from a base. `None` where the programme cannot be built from `picks` or the
    /// solver fails; the placement given then stands.
    pub(super) fn search(
        &self,
        picks: &[Option<(usize, Option<usize>)>],
        now: u64,
        seconds: &dyn Fn(usize, usize) -> u32,
        limit: Duration,
    ) -> Option<Searched> {
        let workers = self.workers;
        let cost = |i: usize, base: Option<usize>| base.map_or(0, |b| u64::from(seconds(i, b)));
        let mut problem = Problem::new(OptimizationDirection::Minimize);
        let mut per_worker: Vec<Vec<(Variable, f64)>> = vec![Vec::new(); workers.len()];
        let mut kept_row: Vec<(Variable, f64)> = Vec::new();
        let mut start: Vec<(Variable, f64)> = Vec::new();
        let mut kept_now = 0u32;
        let mut counted: Vec<Counted> = Vec::new();
        // Patients coordinated by another, and coordinating places, by (class, team).
        let mut links: BTreeMap<(usize, usize), Vec<(Variable, f64)>> = BTreeMap::new();
        let mut coordinating: BTreeMap<(usize, usize), Vec<(usize, Variable)>> = BTreeMap::new();
        let mut given: BTreeMap<(usize, usize), u32> = BTreeMap::new();
        for (c, class) in self.classes.iter().enumerate() {
            // The class's placed patients, those of a kept key worker apart.
            let mut free: Vec<(usize, Choice)> = Vec::new();
            let mut held: Vec<(usize, Choice)> = Vec::new();
            for &i in &class.members {
                let Some((k, coordinator)) = picks[i] else {
                    continue;
                };
                let by_other = coordinator.filter(|&j| j != k);
                if let Some(j) = by_other {
                    *given.entry((c, j)).or_default() += 1;
                    kept_now += u32::from(class.coordinator == Some(j));
                } else if class.complex {
                    kept_now += u32::from(class.coordinator == Some(k));
                }
                let list = if class.key == Some(k) {
                    &mut held
                } else {
                    &mut free
                };
                list.push((i, (k, by_other.is_some())));
            }
            for (list, kept) in [(free, None), (held, class.key)] {
                if list.is_empty() {
                    continue;
                }
                let choices = self.choices(class, kept);
                let size = u32::try_from(list.len()).unwrap_or(u32::MAX);
                let mut vars = Vec::with_capacity(choices.len());
                let mut at_base: BTreeMap<Option<usize>, Vec<(Variable, f64)>> = BTreeMap::new();
                let mut every: Vec<(Variable, f64)> = Vec::new();
                for choice in choices {
                    let (k, by_other) = choice;
                    let upper = i32::try_from(size.min(workers[k].capacity)).unwrap_or(i32::MAX);
                    let n = problem.add_integer_var(0.0, (0, upper));
                    let now = list.iter().filter(|&&(_, was)| was == choice).count();
                    #[allow(clippy::cast_precision_loss)]
                    start.push((n, now as f64));
                    per_worker[k].push((n, 1.0));
                    if by_other {
                        links
                            .entry((c, workers[k].team_index))
                            .or_default()
                            .push((n, 1.0));
                    } else if class.complex && class.coordinator == Some(k) {
                        kept_row.push((n, 1.0));
                    }
                    at_base.entry(self.base_of[k]).or_default().push((n, -1.0));
                    every.push((n, 1.0));
                    vars.push((choice, n));
                }
                if list
                    .iter()
                    .any(|(_, was)| !vars.iter().any(|(c, _)| c == was))
                {
                    return None;
                }
                let mut patients = Vec::new();
                if kept.is_none() {
                    for &(i, (k, _)) in &list {
                        let mut bases = Vec::with_capacity(at_base.len());
                        let mut row = Vec::with_capacity(at_base.len());
                        for (&base, terms) in &mut at_base {
                            #[allow(clippy::cast_precision_loss)]
                            let z = problem.add_binary_var(cost(i, base) as f64);
                            start.push((z, f64::from(u8::from(self.base_of[k] == base))));
                            terms.push((z, 1.0));
                            row.push((z, 1.0));
                            bases.push((base, z));
                        }
                        problem.add_constraint(&row[..], ComparisonOp::Eq, 1.0);
                        patients.push((i, bases));
                    }
                    for terms in at_base.values() {
                        problem.add_constraint(&terms[..], ComparisonOp::Eq, 0.0);
                    }
                } else {
                    problem.add_constraint(&every[..], ComparisonOp::Eq, f64::from(size));
                }
                counted.push(Counted {
                    class: c,
                    choices: vars,
                    held: if kept.is_some() {
                        list.iter().map(|&(i, _)| i).collect()
                    } else {
                        Vec::new()
                    },
                    patients,
                });
            }
        }
        if counted.is_empty() {
            return None;
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
        for (w, row) in per_worker.iter().enumerate() {
            if !row.is_empty() {
                problem.add_constraint(&row[..], ComparisonOp::Le, f64::from(workers[w].capacity));
            }
        }
        if kept_now > 0 {
            problem.add_constraint(&kept_row[..], ComparisonOp::Ge, f64::from(kept_now));
        }

        let mut options = SolveOptions::default();
        options.time_limit = Some(limit);
        options.warm_start = Some(start);
        let outcome = problem.solve_with(options).ok()?;
        let proven = outcome.is_optimal();
        let held_seconds: u64 = counted
            .iter()
            .flat_map(|c| &c.held)
            .filter_map(|&i| picks[i].map(|(k, _)| cost(i, self.base_of[k])))
            .sum();
        // A lower bound on a whole number of seconds, allowing for round-off.
        let bound = outcome
            .stats()
            .best_bound
            .map(|b| seconds_below(b).saturating_add(held_seconds));
        let SolveOutcome::Solution(solution) = outcome else {
            return Some(Searched {
                picks: None,
                seconds: now,
                proven: false,
                bound: bound.map(|b| b.min(now)),
            });
        };
        let next = self.realise(picks, &counted, &coordinating, &|v| {
            whole(solution.var_value(v))
        })?;
        let total: u64 = next
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.map(|(k, _)| cost(i, self.base_of[k])))
            .sum();
        let better = total < now;
        Some(Searched {
            picks: better.then_some(next),
            seconds: total.min(now),
            proven: proven && total <= now,
            bound: bound.map(|b| b.min(total.min(now))),
        })
    }

    /// Each placed patient's key worker and coordinator from the counts of a
    /// solution (`count` of a variable): each base's patients to the workers chosen
    /// there, in turn; those of a kept key worker to its modes, in turn; and each
    /// class and team's patients coordinated by another to its coordinating places.
    /// `None` where the counts do not add up.
    fn realise(
        &self,
        picks: &[Option<(usize, Option<usize>)>],
        counted: &[Counted],
        coordinating: &BTreeMap<(usize, usize), Vec<(usize, Variable)>>,
        count: &dyn Fn(Variable) -> u32,
    ) -> Option<Picks> {
        let workers = self.workers;
        let mut next: Picks = picks.to_vec();
        let mut waiting: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
        for group in counted {
            let class = &self.classes[group.class];
            // Which patients go to which base (all to one, for a kept key worker).
            let mut by_base: BTreeMap<Option<usize>, Vec<usize>> = BTreeMap::new();
            for (i, bases) in &group.patients {
                let &(base, _) = bases.iter().max_by_key(|&&(_, z)| count(z))?;
                by_base.entry(base).or_default().push(*i);
            }
            if !group.held.is_empty() {
                let base = group
                    .choices
                    .first()
                    .and_then(|&((k, _), _)| self.base_of[k]);
                by_base.entry(base).or_default().extend(&group.held);
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
                    next[i] = Some((k, class.complex.then_some(k)));
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
