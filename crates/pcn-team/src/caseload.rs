//! Caseloads: which team and worker looks after each patient, and for each patient
//! with complex needs, their named accountable GP and care coordinator.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use pcn_core::{NetworkId, PatientId, PracticeId, Role, StaffId, TeamId, Wte};
use serde::{Deserialize, Serialize};

use crate::team::Coverage;
use crate::{Locality, Skill, SkillSet, TeamError, Workforce};

/// A patient to be placed on a caseload: what the assignment needs to know, and no
/// more (no NHS number, no clinical record).
///
/// The population crate's patient record converts into this; any caller can also
/// build one directly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseloadPatient {
    /// The patient.
    pub patient: PatientId,
    /// The practice they are registered with (their accountable GP works there).
    pub practice: PracticeId,
    /// What their key worker must be able to do.
    pub needs: SkillSet,
    /// Whether they have complex needs, and so a named accountable GP and a care
    /// coordinator.
    pub complex: bool,
    /// Where they live.
    pub locality: Locality,
    /// Who looks after them now, kept where still possible.
    #[serde(default)]
    pub existing: ExistingCare,
}

/// Who looks after a patient now: kept by the next assignment where still valid
/// (continuity of care). Every part is optional.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ExistingCare {
    /// Their team.
    pub team: Option<TeamId>,
    /// Their key worker in that team.
    pub key_worker: Option<StaffId>,
    /// Their named accountable GP.
    pub accountable_gp: Option<StaffId>,
    /// Their care coordinator in that team.
    pub care_coordinator: Option<StaffId>,
}

/// How many patients a worker of each role can hold on their caseload per 1.00 WTE.
///
/// No national figure for caseload per WTE was found for any role of the team (the
/// domain reference says so for Buurtzorg teams, `workforce.md`; NHS England's
/// social prescribing guidance speaks of 200 to 250 people a year per link worker,
/// which is throughput, not a caseload at one time). So the policy starts empty and
/// the caller sets a figure for each role that holds a caseload; a role without one
/// holds none. A worker's capacity is their team share times the figure, rounded
/// down: a 0.50 WTE share of a role at 40 per WTE holds 20 patients.
///
/// ```
/// use pcn_core::{Role, Wte};
/// use pcn_team::CaseloadPolicy;
/// let policy = CaseloadPolicy::new()
///     .with_capacity(Role::DistrictNurse, 40)?
///     .with_capacity(Role::CareCoordinator, 60)?;
/// assert_eq!(policy.capacity(Role::DistrictNurse, "0.5".parse::<Wte>()?), 20);
/// assert_eq!(policy.capacity(Role::Gp, Wte::FULL_TIME), 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseloadPolicy {
    patients_per_wte: BTreeMap<Role, u32>,
}

impl CaseloadPolicy {
    /// A policy in which no role holds a caseload yet.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The policy with `role` holding `patients_per_wte` patients per 1.00 WTE.
    ///
    /// # Errors
    /// [`TeamError::InvalidParameter`] if the figure is 0 (leave the role out
    /// instead) or above 100,000.
    pub fn with_capacity(mut self, role: Role, patients_per_wte: u32) -> Result<Self, TeamError> {
        if patients_per_wte == 0 || patients_per_wte > 100_000 {
            return Err(TeamError::InvalidParameter {
                parameter: "caseload per WTE",
                value: format!("{patients_per_wte} for a {}", role.label()),
                reason: "must be from 1 to 100,000 patients per 1.00 WTE",
            });
        }
        self.patients_per_wte.insert(role, patients_per_wte);
        Ok(self)
    }

    /// The caseload per 1.00 WTE of `role`, if it holds one.
    #[must_use]
    pub fn per_wte(&self, role: Role) -> Option<u32> {
        self.patients_per_wte.get(&role).copied()
    }

    /// The caseload a worker of `role` can hold with `share` of their time, rounded
    /// down.
    #[must_use]
    pub fn capacity(&self, role: Role, share: Wte) -> u32 {
        let per_wte = u64::from(self.per_wte(role).unwrap_or(0));
        u32::try_from(per_wte * u64::from(share.hundredths()) / 100).unwrap_or(u32::MAX)
    }
}

/// One worker's place in caseload assignment: a staff member in one team, with the
/// caseload their share of time allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WorkerCapacity {
    /// The team.
    pub team: TeamId,
    /// The staff member.
    pub staff: StaffId,
    /// Their role.
    pub role: Role,
    /// Their share of time in the team.
    pub share: Wte,
    /// How many patients they can hold in this team.
    pub capacity: u32,
}

/// A patient's place on a caseload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Assignment {
    /// The patient.
    pub patient: PatientId,
    /// Their team.
    pub team: TeamId,
    /// Their key worker, whose skills cover all their needs.
    pub key_worker: StaffId,
    /// For a patient with complex needs, their accountable GP and care coordinator;
    /// `None` for everyone else.
    pub complex_care: Option<ComplexCare>,
}

impl Assignment {
    /// The assignment as existing care, for the next assignment to keep.
    #[must_use]
    pub fn as_existing(&self) -> ExistingCare {
        ExistingCare {
            team: Some(self.team),
            key_worker: Some(self.key_worker),
            accountable_gp: self.complex_care.map(|c| c.accountable_gp),
            care_coordinator: self.complex_care.map(|c| c.care_coordinator),
        }
    }

    /// Whether `staff` looks after the patient in any capacity.
    #[must_use]
    pub fn involves(&self, staff: StaffId) -> bool {
        self.key_worker == staff
            || self
                .complex_care
                .is_some_and(|c| c.accountable_gp == staff || c.care_coordinator == staff)
    }
}

/// The two named people every patient with complex needs has (Department of Health
/// and NHS England, "Transforming Primary Care", 2014: the most complex patients get
/// "a named accountable GP" and "a care coordinator", via `seeds.md`): exactly one of
/// each, by construction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ComplexCare {
    /// A GP at the patient's registered practice.
    pub accountable_gp: StaffId,
    /// A member of the patient's team with the care coordination skill.
    pub care_coordinator: StaffId,
}

/// Why a patient could not be placed on a caseload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
#[non_exhaustive]
pub enum UnassignedReason {
    /// No worker in the network's teams, covering the patient's locality, has all the
    /// skills the patient needs.
    NoWorkerWithSkills {
        /// The patient's needs.
        needs: SkillSet,
        /// The patient's locality.
        locality: Locality,
    },
    /// Workers with the skills exist, but every one is at capacity.
    NoCapacity {
        /// The patient's needs.
        needs: SkillSet,
        /// The patient's locality.
        locality: Locality,
    },
    /// No GP with a contract on the day works at the patient's practice.
    NoAccountableGp {
        /// The practice.
        practice: PracticeId,
    },
    /// No team with a worker for the patient's needs also has a care coordinator with
    /// room in the patient's locality.
    NoCareCoordinator {
        /// The patient's locality.
        locality: Locality,
    },
    /// The patient was on the caseloads but their details were not given again, so
    /// they could not be reassigned.
    NoPatientDetails,
    /// The patient was given more than once; the first entry was used.
    DuplicatePatient,
}

/// A patient who could not be placed on a caseload, with every reason found. They hold
/// no place on anyone's caseload: an assignment is made whole or not at all.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Unassigned {
    /// The patient.
    pub patient: PatientId,
    /// Why.
    pub reasons: Vec<UnassignedReason>,
}

/// The caseloads of a network's teams on one day: every patient given, either
/// assigned or reported unassigned with reasons, never dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caseloads {
    pub(crate) network: NetworkId,
    pub(crate) on: NaiveDate,
    pub(crate) assignments: Vec<Assignment>,
    pub(crate) unassigned: Vec<Unassigned>,
}

impl Caseloads {
    /// The network.
    #[must_use]
    pub const fn network(&self) -> NetworkId {
        self.network
    }

    /// The day the caseloads were assigned for.
    #[must_use]
    pub const fn on(&self) -> NaiveDate {
        self.on
    }

    /// The patients placed, in the order they were given.
    #[must_use]
    pub fn assignments(&self) -> &[Assignment] {
        &self.assignments
    }

    /// The patients that could not be placed, in the order they were given.
    #[must_use]
    pub fn unassigned(&self) -> &[Unassigned] {
        &self.unassigned
    }

    /// The assignment of `patient`, if they were placed.
    #[must_use]
    pub fn assignment_of(&self, patient: PatientId) -> Option<&Assignment> {
        self.assignments.iter().find(|a| a.patient == patient)
    }

    /// The patients on `staff`'s caseload in `team` (as key worker or care
    /// coordinator; a patient for whom they are both counts once).
    pub fn caseload_of(&self, team: TeamId, staff: StaffId) -> impl Iterator<Item = PatientId> {
        self.assignments
            .iter()
            .filter(move |a| {
                a.team == team
                    && (a.key_worker == staff
                        || a.complex_care.is_some_and(|c| c.care_coordinator == staff))
            })
            .map(|a| a.patient)
    }

    /// The patients for whom `staff` is the named accountable GP.
    pub fn accountable_gp_list(&self, staff: StaffId) -> impl Iterator<Item = PatientId> {
        self.assignments
            .iter()
            .filter(move |a| a.complex_care.is_some_and(|c| c.accountable_gp == staff))
            .map(|a| a.patient)
    }
}

/// What [`CaseloadPlanner::reassign_leaver`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reassignment {
    /// The caseloads after the leaver's patients were reassigned.
    pub caseloads: Caseloads,
    /// The leaver's patients who were given someone new.
    pub reassigned: Vec<PatientId>,
    /// The leaver's patients who could not be, with the reasons; they are also in
    /// [`Caseloads::unassigned`].
    pub not_reassigned: Vec<Unassigned>,
}

/// A worker as the planner sees one.
#[derive(Debug, Clone)]
pub(crate) struct Worker {
    pub(crate) team: TeamId,
    pub(crate) team_index: usize,
    pub(crate) staff: StaffId,
    pub(crate) role: Role,
    pub(crate) share: Wte,
    pub(crate) skills: SkillSet,
    pub(crate) coverage: Coverage,
    pub(crate) capacity: u32,
    pub(crate) coordinates: bool,
}

impl Worker {
    /// Whether the worker could be the key worker of a patient with `needs` in
    /// `locality`, capacity aside.
    pub(crate) fn can_key(&self, needs: SkillSet, locality: Locality) -> bool {
        self.skills.is_superset(needs) && self.coverage.covers(locality)
    }

    /// Whether the worker could coordinate care in `locality`, capacity aside.
    pub(crate) fn can_coordinate(&self, locality: Locality) -> bool {
        self.coordinates && self.coverage.covers(locality)
    }
}

/// A GP who can be named as accountable GP.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Gp {
    pub(crate) staff: StaffId,
    pub(crate) wte: u32,
}

/// Assigns patients to the caseloads of one network's teams on one day.
///
/// Built from the [`Workforce`] (the members of the network's teams on the day, each
/// with the caseload their share of time allows under the [`CaseloadPolicy`], and the
/// GPs of every practice), then used for any number of assignments. Assignment is
/// greedy and deterministic, and keeps these rules:
///
/// 1. **Skills**: a patient's key worker has every skill the patient needs.
/// 2. **Locality**: the key worker and care coordinator work in the patient's locality.
/// 3. **Capacity**: no worker holds more patients in a team than their capacity there
///    (a patient counts once for a worker who is both key worker and coordinator).
/// 4. **Continuity**: existing care that is still valid is kept, before any new
///    patient is placed.
/// 5. **Complex needs**: a patient with complex needs gets exactly one named
///    accountable GP, a GP with a contract on the day employed by their registered
///    practice (the least loaded per WTE, if their existing one cannot stay), and
///    one care coordinator: a member of their team with the
///    [`CareCoordination`](Skill::CareCoordination) skill (their key worker, when
///    they have it).
/// 6. **Whole or nothing**: a patient gets all of that, or is reported in
///    [`Caseloads::unassigned`] with every reason and takes up no one's capacity.
///
/// New patients are placed most constrained first (fewest workers with their skills
/// in their locality), each with the worker with the lowest load for their capacity.
///
/// That greedy [`assign`](Self::assign) is the fast path. It is provably optimal
/// when its result shows it: its count is the most possible whenever it places every
/// patient, and its continuity the best whenever it also keeps every still-valid key
/// worker and coordinator; when, besides, no places are known (so travel counts for
/// nothing), it is the optimum of the first three objectives of
/// [`place`](Self::place). Otherwise it may place fewer than possible, it never
/// weighs travel, and its load is spread greedily, not proven the most even.
/// [`place`](Self::place) gives the optimum under the same rules, with the bound on
/// how many could be placed and on how little the placed could travel (see
/// [`Placement`](crate::Placement)).
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_core::{NetworkId, Party, PatientId, PracticeId, Role, StaffId, TeamId, Timeline, Wte};
/// use pcn_team::*;
///
/// let day = NaiveDate::from_ymd_opt(2024, 4, 1).ok_or("date")?;
/// let practice = PracticeId::from_u128(1);
/// let network = NetworkId::from_u128(2);
/// let team = TeamId::from_u128(3);
/// let person = |id: u128, role: Role, number: Option<&str>, skills: &[Skill]| -> Result<StaffMember, TeamError> {
///     StaffMember::new(StaffRecord {
///         id: StaffId::from_u128(id),
///         name: format!("Staff {id}"),
///         role,
///         registration: number.map(|n| RegistrationNumber::for_role(role, n)).transpose()?,
///         employer: Party::Practice(practice),
///         contracted_wte: Timeline::starting(day, Wte::FULL_TIME),
///         skills: skills.iter().copied().collect(),
///     })
/// };
/// let mut workforce = Workforce::new();
/// workforce.add_staff(person(10, Role::Gp, Some("1234567"), &[])?)?;
/// workforce.add_staff(person(11, Role::DistrictNurse, Some("12A3456E"), &[Skill::WoundCare, Skill::HomeVisits])?)?;
/// workforce.add_staff(person(12, Role::CareCoordinator, None, &[Skill::CareCoordination])?)?;
/// workforce.add_team(Team::new(team, "MDT", TeamHost::PrimaryCareNetwork(network), TeamKind::Multidisciplinary)?)?;
/// for id in [11, 12] {
///     workforce.join(team, Membership::starting(StaffId::from_u128(id), Wte::FULL_TIME, day))?;
/// }
/// let policy = CaseloadPolicy::new()
///     .with_capacity(Role::DistrictNurse, 30)?
///     .with_capacity(Role::CareCoordinator, 50)?;
///
/// let patient = CaseloadPatient {
///     patient: PatientId::from_u128(100),
///     practice,
///     needs: SkillSet::from_iter([Skill::WoundCare, Skill::HomeVisits]),
///     complex: true,
///     locality: Locality::new(1),
///     existing: ExistingCare::default(),
/// };
/// let planner = CaseloadPlanner::new(&workforce, network, &policy, day);
/// let caseloads = planner.assign(&[patient]);
/// let assignment = caseloads.assignment_of(PatientId::from_u128(100)).ok_or("unassigned")?;
/// assert_eq!(assignment.key_worker, StaffId::from_u128(11));
/// let care = assignment.complex_care.ok_or("no complex care")?;
/// assert_eq!(care.accountable_gp, StaffId::from_u128(10));
/// assert_eq!(care.care_coordinator, StaffId::from_u128(12));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct CaseloadPlanner {
    pub(crate) network: NetworkId,
    pub(crate) on: NaiveDate,
    pub(crate) workers: Vec<Worker>,
    pub(crate) teams: usize,
    pub(crate) by_team_staff: HashMap<(TeamId, StaffId), usize>,
    pub(crate) practices: HashMap<PracticeId, usize>,
    pub(crate) gps: Vec<Vec<Gp>>,
    pub(crate) policy: CaseloadPolicy,
}

/// The planner's working state for one assignment run.
struct Run<'a> {
    planner: &'a CaseloadPlanner,
    excluded: Option<StaffId>,
    load: Vec<u32>,
    gp_load: Vec<Vec<u32>>,
    /// Lists of worker indices, shared by every patient with the same needs and
    /// locality (key workers) or locality (coordinators).
    lists: Vec<Vec<usize>>,
    key_lists: HashMap<(SkillSet, Locality), usize>,
    coordinator_lists: HashMap<Locality, usize>,
    /// Scratch space for [`Run::coordinators_by_team`].
    by_team: Vec<Option<usize>>,
}

/// What one patient has been given so far in a run: indices into the workers and the
/// practice's GPs.
#[derive(Debug, Clone, Copy, Default)]
struct Pick {
    key: Option<usize>,
    coordinator: Option<usize>,
    gp: Option<usize>,
}

/// What a run knows about one patient beyond their details: where their lists are.
#[derive(Debug, Clone, Copy)]
struct Lookup {
    keys: usize,
    coordinators: usize,
    practice: Option<usize>,
}

/// Compares `a` and `b` by load for capacity (`load / capacity`), exactly.
pub(crate) fn less_loaded(load_a: u32, cap_a: u32, load_b: u32, cap_b: u32) -> Ordering {
    (u64::from(load_a) * u64::from(cap_b)).cmp(&(u64::from(load_b) * u64::from(cap_a)))
}

impl CaseloadPlanner {
    /// Reads the members of `network`'s teams on `on` and the GPs of every practice.
    #[must_use]
    pub fn new(
        workforce: &Workforce,
        network: NetworkId,
        policy: &CaseloadPolicy,
        on: NaiveDate,
    ) -> Self {
        let mut workers = Vec::new();
        let mut teams = 0;
        for (team_index, team) in workforce.teams_of_network(network).enumerate() {
            teams = team_index + 1;
            for (member, membership) in workforce.members_on(team.id(), on) {
                let capacity = policy.capacity(member.role(), membership.share);
                if capacity == 0 {
                    continue;
                }
                workers.push(Worker {
                    team: team.id(),
                    team_index,
                    staff: member.id(),
                    role: member.role(),
                    share: membership.share,
                    skills: member.skills(),
                    coverage: membership.coverage.clone(),
                    capacity,
                    coordinates: member.skills().contains(Skill::CareCoordination),
                });
            }
        }
        // Index order is (staff, team) order, so that ties between equally loaded
        // workers go the same way whatever order the workforce was built in.
        workers.sort_by_key(|w| (w.staff, w.team));
        let by_team_staff = workers
            .iter()
            .enumerate()
            .map(|(i, w)| ((w.team, w.staff), i))
            .collect();
        let mut by_practice: BTreeMap<PracticeId, Vec<Gp>> = BTreeMap::new();
        for member in workforce.staff_members() {
            let wte = member.contracted_on(on);
            if member.role() != Role::Gp || wte.is_zero() {
                continue;
            }
            if let Some(practice) = member.employer().practice() {
                by_practice.entry(practice).or_default().push(Gp {
                    staff: member.id(),
                    wte: wte.hundredths(),
                });
            }
        }
        let mut practices = HashMap::with_capacity(by_practice.len());
        let mut gps = Vec::with_capacity(by_practice.len());
        for (index, (practice, mut list)) in by_practice.into_iter().enumerate() {
            list.sort_unstable_by_key(|g| g.staff);
            practices.insert(practice, index);
            gps.push(list);
        }
        Self {
            network,
            on,
            workers,
            teams,
            by_team_staff,
            practices,
            gps,
            policy: policy.clone(),
        }
    }

    /// The workers who can hold a caseload, with their capacity in each team.
    pub fn workers(&self) -> impl Iterator<Item = WorkerCapacity> + '_ {
        self.workers.iter().map(|w| WorkerCapacity {
            team: w.team,
            staff: w.staff,
            role: w.role,
            share: w.share,
            capacity: w.capacity,
        })
    }

    /// Assigns `patients` to caseloads, keeping their existing care where it is still
    /// valid. Every patient given is in the result, assigned or unassigned; a patient
    /// given more than once is placed once, and each repeat is reported with
    /// [`UnassignedReason::DuplicatePatient`].
    #[must_use]
    pub fn assign(&self, patients: &[CaseloadPatient]) -> Caseloads {
        self.run(patients, None)
    }

    /// Reassigns the patients of a member of staff who is leaving (or has left): their
    /// patients get a new key worker, care coordinator or accountable GP, everyone
    /// else keeps exactly what they had, and whoever could not be reassigned is
    /// reported.
    ///
    /// `current` is the caseloads before they left; `patients` the details of the
    /// patients (their existing care is taken from `current`). A patient on `current`
    /// whose details are missing from `patients` is reported with
    /// [`UnassignedReason::NoPatientDetails`], never dropped.
    #[must_use]
    pub fn reassign_leaver(
        &self,
        current: &Caseloads,
        leaver: StaffId,
        patients: &[CaseloadPatient],
    ) -> Reassignment {
        let before: HashMap<PatientId, &Assignment> =
            current.assignments.iter().map(|a| (a.patient, a)).collect();
        let strip = |staff: Option<StaffId>| staff.filter(|s| *s != leaver);
        let inputs: Vec<CaseloadPatient> = patients
            .iter()
            .map(|p| {
                let existing = before
                    .get(&p.patient)
                    .map_or(p.existing, |a| a.as_existing());
                CaseloadPatient {
                    existing: ExistingCare {
                        team: existing.team,
                        key_worker: strip(existing.key_worker),
                        accountable_gp: strip(existing.accountable_gp),
                        care_coordinator: strip(existing.care_coordinator),
                    },
                    ..p.clone()
                }
            })
            .collect();
        let mut caseloads = self.run(&inputs, Some(leaver));
        let given: HashSet<PatientId> = patients.iter().map(|p| p.patient).collect();
        for assignment in &current.assignments {
            if !given.contains(&assignment.patient) {
                caseloads.unassigned.push(Unassigned {
                    patient: assignment.patient,
                    reasons: vec![UnassignedReason::NoPatientDetails],
                });
            }
        }
        let affected: HashSet<PatientId> = current
            .assignments
            .iter()
            .filter(|a| a.involves(leaver))
            .map(|a| a.patient)
            .collect();
        let reassigned = caseloads
            .assignments
            .iter()
            .filter(|a| affected.contains(&a.patient))
            .map(|a| a.patient)
            .collect();
        let not_reassigned = caseloads
            .unassigned
            .iter()
            .filter(|u| affected.contains(&u.patient))
            .cloned()
            .collect();
        Reassignment {
            caseloads,
            reassigned,
            not_reassigned,
        }
    }

    fn run(&self, patients: &[CaseloadPatient], excluded: Option<StaffId>) -> Caseloads {
        let mut run = Run {
            planner: self,
            excluded,
            load: vec![0; self.workers.len()],
            gp_load: self.gps.iter().map(|list| vec![0; list.len()]).collect(),
            lists: Vec::new(),
            key_lists: HashMap::new(),
            coordinator_lists: HashMap::new(),
            by_team: Vec::new(),
        };
        let lookups: Vec<Lookup> = patients.iter().map(|p| run.lookup(p)).collect();
        let mut picks = vec![Pick::default(); patients.len()];
        let mut reasons: Vec<Vec<UnassignedReason>> = vec![Vec::new(); patients.len()];

        // Patients in id order; a repeat of an id is reported, not placed.
        let id = |i: usize| patients[i].patient.as_uuid().as_u128();
        let mut order: Vec<usize> = (0..patients.len()).collect();
        order.sort_unstable_by_key(|&i| (id(i), i));
        order.dedup_by(|later, first| {
            let repeat = patients[*later].patient == patients[*first].patient;
            if repeat {
                reasons[*later].push(UnassignedReason::DuplicatePatient);
            }
            repeat
        });

        // Continuity first, so that no new patient takes the place of someone already
        // cared for.
        for &i in &order {
            picks[i] = run.keep_existing(&patients[i], lookups[i]);
        }

        // Then everyone still missing something, most constrained first.
        let mut pending: Vec<(usize, usize)> = order
            .iter()
            .filter(|&&i| !Run::is_complete(&patients[i], picks[i]))
            .map(|&i| (run.lists[lookups[i].keys].len(), i))
            .collect();
        pending.sort_unstable_by_key(|&(count, i)| (count, id(i)));
        for (_, i) in pending {
            reasons[i] = run.complete(&patients[i], lookups[i], &mut picks[i]);
        }

        let mut assignments = Vec::with_capacity(patients.len());
        let mut unassigned = Vec::new();
        for (i, patient) in patients.iter().enumerate() {
            let pick = picks[i];
            match (pick.key, run.complex_care(patient, lookups[i], pick)) {
                (Some(key), Some(complex_care)) if reasons[i].is_empty() => {
                    let worker = &self.workers[key];
                    assignments.push(Assignment {
                        patient: patient.patient,
                        team: worker.team,
                        key_worker: worker.staff,
                        complex_care,
                    });
                }
                _ => unassigned.push(Unassigned {
                    patient: patient.patient,
                    reasons: std::mem::take(&mut reasons[i]),
                }),
            }
        }
        Caseloads {
            network: self.network,
            on: self.on,
            assignments,
            unassigned,
        }
    }
}

impl Run<'_> {
    fn worker(&self, index: usize) -> &Worker {
        &self.planner.workers[index]
    }

    fn usable(&self, index: usize) -> bool {
        self.excluded != Some(self.worker(index).staff)
    }

    fn has_room(&self, index: usize) -> bool {
        self.load[index] < self.worker(index).capacity
    }

    /// Whether worker `index` could be the key worker of a patient with `needs` in
    /// `locality`, capacity aside.
    fn can_key(&self, index: usize, needs: SkillSet, locality: Locality) -> bool {
        self.usable(index) && self.worker(index).can_key(needs, locality)
    }

    /// Whether worker `index` could coordinate care in `locality`, capacity aside.
    fn can_coordinate(&self, index: usize, locality: Locality) -> bool {
        self.usable(index) && self.worker(index).can_coordinate(locality)
    }

    /// Finds (or makes) the patient's lists of possible key workers and coordinators,
    /// and their practice's index.
    fn lookup(&mut self, patient: &CaseloadPatient) -> Lookup {
        let workers = 0..self.planner.workers.len();
        let keys = match self.key_lists.get(&(patient.needs, patient.locality)) {
            Some(&list) => list,
            None => {
                let list: Vec<usize> = workers
                    .clone()
                    .filter(|&i| self.can_key(i, patient.needs, patient.locality))
                    .collect();
                self.lists.push(list);
                let index = self.lists.len() - 1;
                self.key_lists
                    .insert((patient.needs, patient.locality), index);
                index
            }
        };
        let coordinators = match self.coordinator_lists.get(&patient.locality) {
            Some(&list) => list,
            None => {
                let list: Vec<usize> = workers
                    .filter(|&i| self.can_coordinate(i, patient.locality))
                    .collect();
                self.lists.push(list);
                let index = self.lists.len() - 1;
                self.coordinator_lists.insert(patient.locality, index);
                index
            }
        };
        Lookup {
            keys,
            coordinators,
            practice: self.planner.practices.get(&patient.practice).copied(),
        }
    }

    /// Places the patient with `index` as key worker or coordinator (charging its
    /// capacity once per patient).
    fn charge(&mut self, index: usize, other_role: Option<usize>) {
        if other_role != Some(index) {
            self.load[index] += 1;
        }
    }

    fn release(&mut self, index: usize, other_role: Option<usize>) {
        if other_role != Some(index) {
            self.load[index] = self.load[index].saturating_sub(1);
        }
    }

    fn charge_gp(&mut self, practice: usize, gp: usize, up: bool) {
        if let Some(load) = self.gp_load.get_mut(practice).and_then(|l| l.get_mut(gp)) {
            *load = if up {
                load.saturating_add(1)
            } else {
                load.saturating_sub(1)
            };
        }
    }

    fn is_complete(patient: &CaseloadPatient, pick: Pick) -> bool {
        pick.key.is_some()
            && (!patient.complex || (pick.coordinator.is_some() && pick.gp.is_some()))
    }

    /// The complex care of a finished pick: `Some(None)` for a patient without complex
    /// needs, `Some(Some(..))` for one with both named people, `None` if incomplete.
    fn complex_care(
        &self,
        patient: &CaseloadPatient,
        lookup: Lookup,
        pick: Pick,
    ) -> Option<Option<ComplexCare>> {
        if !patient.complex {
            return Some(None);
        }
        let coordinator = self.worker(pick.coordinator?).staff;
        let gp = self.planner.gps.get(lookup.practice?)?.get(pick.gp?)?.staff;
        Some(Some(ComplexCare {
            accountable_gp: gp,
            care_coordinator: coordinator,
        }))
    }

    /// Keeps whatever of the patient's existing care is still valid and has room.
    fn keep_existing(&mut self, patient: &CaseloadPatient, lookup: Lookup) -> Pick {
        let mut pick = Pick::default();
        let existing = patient.existing;
        if let (Some(team), Some(staff)) = (existing.team, existing.key_worker)
            && let Some(&index) = self.planner.by_team_staff.get(&(team, staff))
            && self.can_key(index, patient.needs, patient.locality)
            && self.has_room(index)
        {
            self.charge(index, None);
            pick.key = Some(index);
        }
        if !patient.complex {
            return pick;
        }
        if let (Some(key), Some(staff)) = (pick.key, existing.care_coordinator) {
            let team = self.worker(key).team;
            if let Some(&index) = self.planner.by_team_staff.get(&(team, staff))
                && self.can_coordinate(index, patient.locality)
                && (index == key || self.has_room(index))
            {
                self.charge(index, Some(key));
                pick.coordinator = Some(index);
            }
        }
        if let (Some(gp), Some(practice)) = (existing.accountable_gp, lookup.practice)
            && self.excluded != Some(gp)
            && let Some(index) = self.planner.gps[practice]
                .iter()
                .position(|g| g.staff == gp)
        {
            self.charge_gp(practice, index, true);
            pick.gp = Some(index);
        }
        pick
    }

    /// The least loaded coordinator with room for the patient in each team, by team
    /// index, written into `best`.
    fn coordinators_by_team(&self, lookup: Lookup, best: &mut Vec<Option<usize>>) {
        best.clear();
        best.resize(self.planner.teams, None);
        for &index in &self.lists[lookup.coordinators] {
            if !self.has_room(index) {
                continue;
            }
            let slot = &mut best[self.worker(index).team_index];
            if slot.is_none_or(|b| self.compare_load(index, b) == Ordering::Less) {
                *slot = Some(index);
            }
        }
    }

    /// The coordinator for a patient whose key worker is `key`: the key worker when
    /// they coordinate, otherwise the best of their team (from
    /// [`coordinators_by_team`](Self::coordinators_by_team)).
    fn coordinator_for(
        &self,
        key: usize,
        locality: Locality,
        by_team: &[Option<usize>],
    ) -> Option<usize> {
        if self.can_coordinate(key, locality) {
            return Some(key);
        }
        by_team.get(self.worker(key).team_index).copied().flatten()
    }

    /// Orders workers by load for capacity, then by index (staff and team id order).
    fn compare_load(&self, a: usize, b: usize) -> Ordering {
        let (wa, wb) = (self.worker(a), self.worker(b));
        less_loaded(self.load[a], wa.capacity, self.load[b], wb.capacity).then(a.cmp(&b))
    }

    /// Fills in what the patient still lacks; on failure undoes everything the patient
    /// holds and returns the reasons.
    fn complete(
        &mut self,
        patient: &CaseloadPatient,
        lookup: Lookup,
        pick: &mut Pick,
    ) -> Vec<UnassignedReason> {
        let mut reasons = Vec::new();
        if patient.complex && pick.gp.is_none() {
            match lookup
                .practice
                .and_then(|p| self.best_gp(p).map(|g| (p, g)))
            {
                Some((practice, gp)) => {
                    self.charge_gp(practice, gp, true);
                    pick.gp = Some(gp);
                }
                None => reasons.push(UnassignedReason::NoAccountableGp {
                    practice: patient.practice,
                }),
            }
        }

        // A kept key worker whose team has no coordinator for this patient is given up,
        // and both are chosen again together.
        if patient.complex
            && pick.coordinator.is_none()
            && let Some(key) = pick.key
        {
            let mut by_team = std::mem::take(&mut self.by_team);
            self.coordinators_by_team(lookup, &mut by_team);
            let found = self.coordinator_for(key, patient.locality, &by_team);
            self.by_team = by_team;
            match found {
                Some(index) => {
                    self.charge(index, Some(key));
                    pick.coordinator = Some(index);
                }
                None => {
                    self.release(key, None);
                    pick.key = None;
                }
            }
        }

        if pick.key.is_none() {
            let mut by_team = std::mem::take(&mut self.by_team);
            let best = self.best_key_worker(patient, lookup, &mut by_team);
            self.by_team = by_team;
            match best {
                Ok((key, coordinator)) => {
                    self.charge(key, None);
                    pick.key = Some(key);
                    if let Some(index) = coordinator {
                        self.charge(index, Some(key));
                        pick.coordinator = Some(index);
                    }
                }
                Err(reason) => reasons.push(reason),
            }
        }

        if !reasons.is_empty() {
            if let Some(coordinator) = pick.coordinator.take() {
                self.release(coordinator, pick.key);
            }
            if let Some(key) = pick.key.take() {
                self.release(key, None);
            }
            if let (Some(gp), Some(practice)) = (pick.gp.take(), lookup.practice) {
                self.charge_gp(practice, gp, false);
            }
        }
        reasons
    }

    /// The least loaded GP (per WTE) of the practice.
    fn best_gp(&self, practice: usize) -> Option<usize> {
        let list = self.planner.gps.get(practice)?;
        let loads = self.gp_load.get(practice)?;
        (0..list.len())
            .filter(|&i| self.excluded != Some(list[i].staff))
            .min_by(|&a, &b| {
                less_loaded(loads[a], list[a].wte, loads[b], list[b].wte)
                    .then(list[a].staff.cmp(&list[b].staff))
            })
    }

    /// The least loaded key worker with room (and, for a complex patient, a
    /// coordinator with room in the same team), or why there is none.
    fn best_key_worker(
        &self,
        patient: &CaseloadPatient,
        lookup: Lookup,
        by_team: &mut Vec<Option<usize>>,
    ) -> Result<(usize, Option<usize>), UnassignedReason> {
        let candidates = &self.lists[lookup.keys];
        let mut roomy = false;
        let mut best: Option<(usize, Option<usize>)> = None;
        if patient.complex {
            self.coordinators_by_team(lookup, by_team);
        }
        for &index in candidates {
            if !self.has_room(index) {
                continue;
            }
            roomy = true;
            let coordinator = if patient.complex {
                match self.coordinator_for(index, patient.locality, by_team) {
                    Some(c) => Some(c),
                    None => continue,
                }
            } else {
                None
            };
            if best.is_none_or(|(b, _)| self.compare_load(index, b) == Ordering::Less) {
                best = Some((index, coordinator));
            }
        }
        best.ok_or(if candidates.is_empty() {
            UnassignedReason::NoWorkerWithSkills {
                needs: patient.needs,
                locality: patient.locality,
            }
        } else if !roomy {
            UnassignedReason::NoCapacity {
                needs: patient.needs,
                locality: patient.locality,
            }
        } else {
            UnassignedReason::NoCareCoordinator {
                locality: patient.locality,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthetic::{NetworkSpec, SyntheticNetwork};
    use crate::{
        Membership, RegistrationNumber, StaffMember, StaffRecord, Team, TeamHost, TeamKind,
    };
    use pcn_core::{Party, Timeline};
    use proptest::prelude::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 10, 1).unwrap()
    }

    const NETWORK: NetworkId = NetworkId::from_u128(1);
    const PRACTICE: PracticeId = PracticeId::from_u128(2);

    /// A small network: one GP, teams 10 and 11, and the given team members
    /// `(id, team, role, share in hundredths, skills)`.
    fn network(members: &[(u128, u128, Role, u32, &[Skill])]) -> Workforce {
        let mut w = Workforce::new();
        for team in [10, 11] {
            w.add_team(
                Team::new(
                    TeamId::from_u128(team),
                    format!("Team {team}"),
                    TeamHost::PrimaryCareNetwork(NETWORK),
                    TeamKind::Multidisciplinary,
                )
                .unwrap(),
            )
            .unwrap();
        }
        let mut add = |id: u128, role: Role, number: Option<String>, skills: SkillSet| {
            w.add_staff(
                StaffMember::new(StaffRecord {
                    id: StaffId::from_u128(id),
                    name: format!("Staff {id}"),
                    role,
                    registration: number.map(|n| RegistrationNumber::for_role(role, &n).unwrap()),
                    employer: Party::Practice(PRACTICE),
                    contracted_wte: Timeline::starting(day(), Wte::FULL_TIME),
                    skills,
                })
                .unwrap(),
            )
            .unwrap();
        };
        add(1, Role::Gp, Some("1234567".into()), SkillSet::EMPTY);
        for &(id, _, role, _, skills) in members {
            let number = role.register().map(|_| match role {
                Role::CareCoordinator => unreachable!(),
                _ => format!("{:02}A{:04}E", id % 100, id),
            });
            add(id, role, number, skills.iter().copied().collect());
        }
        for &(id, team, _, share, _) in members {
            w.join(
                TeamId::from_u128(team),
                Membership::starting(StaffId::from_u128(id), Wte::from_hundredths(share), day()),
            )
            .unwrap();
        }
        w
    }

    fn policy() -> CaseloadPolicy {
        CaseloadPolicy::new()
            .with_capacity(Role::DistrictNurse, 2)
            .unwrap()
            .with_capacity(Role::CommunityMatron, 2)
            .unwrap()
            .with_capacity(Role::CareCoordinator, 4)
            .unwrap()
    }

    fn patient(id: u128, needs: &[Skill], complex: bool) -> CaseloadPatient {
        CaseloadPatient {
            patient: PatientId::from_u128(id),
            practice: PRACTICE,
            needs: needs.iter().copied().collect(),
            complex,
            locality: Locality::new(0),
            existing: ExistingCare::default(),
        }
    }

    #[test]
    fn capacity_is_share_times_policy_rounded_down() {
        let p = CaseloadPolicy::new()
            .with_capacity(Role::DistrictNurse, 45)
            .unwrap();
        assert_eq!(
            p.capacity(Role::DistrictNurse, Wte::from_hundredths(50)),
            22
        );
        assert_eq!(
            p.capacity(Role::DistrictNurse, Wte::from_hundredths(100)),
            45
        );
        assert!(p.clone().with_capacity(Role::Gp, 0).is_err());
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json, r#"{"patients_per_wte":{"district_nurse":45}}"#);
    }

    #[test]
    fn skills_capacity_and_reasons() {
        let w = network(&[(20, 10, Role::DistrictNurse, 100, &[Skill::WoundCare])]);
        let planner = CaseloadPlanner::new(&w, NETWORK, &policy(), day());
        let caseloads = planner.assign(&[
            patient(1, &[Skill::WoundCare], false),
            patient(2, &[Skill::WoundCare], false),
            patient(3, &[Skill::WoundCare], false),
            patient(4, &[Skill::IvInfusion], false),
        ]);
        assert_eq!(caseloads.assignments().len(), 2);
        let reasons: Vec<_> = caseloads
            .unassigned()
            .iter()
            .map(|u| (u.patient, u.reasons.clone()))
            .collect();
        assert_eq!(
            reasons,
            [
                (
                    PatientId::from_u128(3),
                    vec![UnassignedReason::NoCapacity {
                        needs: SkillSet::of(Skill::WoundCare),
                        locality: Locality::new(0)
                    }]
                ),
                (
                    PatientId::from_u128(4),
                    vec![UnassignedReason::NoWorkerWithSkills {
                        needs: SkillSet::of(Skill::IvInfusion),
                        locality: Locality::new(0)
                    }]
                ),
            ]
        );
    }

    #[test]
    fn complex_patients_get_a_coordinator_in_the_key_workers_team() {
        let w = network(&[
            (20, 10, Role::DistrictNurse, 100, &[Skill::WoundCare]),
            (21, 11, Role::DistrictNurse, 100, &[Skill::WoundCare]),
            (
                30,
                11,
                Role::CommunityMatron,
                100,
                &[Skill::CareCoordination],
            ),
        ]);
        let planner = CaseloadPlanner::new(&w, NETWORK, &policy(), day());
        let caseloads = planner.assign(&[patient(1, &[Skill::WoundCare], true)]);
        let a = caseloads.assignments()[0];
        assert_eq!(a.team, TeamId::from_u128(11));
        assert_eq!(a.key_worker, StaffId::from_u128(21));
        assert_eq!(
            a.complex_care,
            Some(ComplexCare {
                accountable_gp: StaffId::from_u128(1),
                care_coordinator: StaffId::from_u128(30),
            })
        );
    }

    #[test]
    fn a_patient_is_placed_whole_or_not_at_all() {
        let w = network(&[(20, 10, Role::DistrictNurse, 100, &[Skill::WoundCare])]);
        let planner = CaseloadPlanner::new(&w, NETWORK, &policy(), day());
        // No care coordinator anywhere: the complex patient takes no nurse's place.
        let caseloads = planner.assign(&[
            patient(1, &[Skill::WoundCare], true),
            patient(2, &[Skill::WoundCare], false),
            patient(3, &[Skill::WoundCare], false),
        ]);
        assert_eq!(caseloads.assignments().len(), 2);
        assert_eq!(
            caseloads.unassigned()[0].reasons,
            [UnassignedReason::NoCareCoordinator {
                locality: Locality::new(0)
            }]
        );
        // A practice with no GP.
        let mut other = patient(4, &[Skill::WoundCare], false);
        other.complex = true;
        other.practice = PracticeId::from_u128(99);
        let caseloads = planner.assign(&[other]);
        assert!(
            caseloads.unassigned()[0]
                .reasons
                .contains(&UnassignedReason::NoAccountableGp {
                    practice: PracticeId::from_u128(99)
                })
        );
    }

    #[test]
    fn existing_care_is_kept_and_locality_respected() {
        let w = network(&[
            (20, 10, Role::DistrictNurse, 100, &[Skill::WoundCare]),
            (21, 10, Role::DistrictNurse, 100, &[Skill::WoundCare]),
        ]);
        let planner = CaseloadPlanner::new(&w, NETWORK, &policy(), day());
        let mut kept = patient(1, &[Skill::WoundCare], false);
        kept.existing = ExistingCare {
            team: Some(TeamId::from_u128(10)),
            key_worker: Some(StaffId::from_u128(21)),
            ..ExistingCare::default()
        };
        let mut second = patient(2, &[Skill::WoundCare], false);
        second.existing = kept.existing;
        // Patient 0 would take nurse 20 (lowest id) if not for continuity.
        let caseloads = planner.assign(&[patient(0, &[Skill::WoundCare], false), kept, second]);
        assert_eq!(
            caseloads
                .assignment_of(PatientId::from_u128(1))
                .unwrap()
                .key_worker,
            StaffId::from_u128(21)
        );
        assert_eq!(
            caseloads
                .assignment_of(PatientId::from_u128(2))
                .unwrap()
                .key_worker,
            StaffId::from_u128(21)
        );
        assert_eq!(
            caseloads
                .assignment_of(PatientId::from_u128(0))
                .unwrap()
                .key_worker,
            StaffId::from_u128(20)
        );

        let mut w = w;
        w.leave(TeamId::from_u128(10), StaffId::from_u128(20), day())
            .unwrap();
        w.join(
            TeamId::from_u128(10),
            Membership {
                coverage: Coverage::Localities(vec![Locality::new(5)]),
                ..Membership::starting(StaffId::from_u128(20), Wte::FULL_TIME, day())
            },
        )
        .unwrap();
        let planner = CaseloadPlanner::new(&w, NETWORK, &policy(), day());
        let mut far = patient(3, &[Skill::WoundCare], false);
        far.locality = Locality::new(5);
        let caseloads = planner.assign(&[patient(0, &[Skill::WoundCare], false), far]);
        assert_eq!(
            caseloads
                .assignment_of(PatientId::from_u128(0))
                .unwrap()
                .key_worker,
            StaffId::from_u128(21)
        );
        assert_eq!(
            caseloads
                .assignment_of(PatientId::from_u128(3))
                .unwrap()
                .key_worker,
            StaffId::from_u128(20)
        );
    }

    #[test]
    fn repeats_are_reported_not_placed_twice() {
        let w = network(&[(20, 10, Role::DistrictNurse, 100, &[Skill::WoundCare])]);
        let planner = CaseloadPlanner::new(&w, NETWORK, &policy(), day());
        let p = patient(1, &[Skill::WoundCare], false);
        let caseloads = planner.assign(&[p.clone(), p]);
        assert_eq!(caseloads.assignments().len(), 1);
        assert_eq!(
            caseloads.unassigned()[0].reasons,
            [UnassignedReason::DuplicatePatient]
        );
    }

    /// Checks every promise of an assignment run against the workforce.
    fn check_caseloads(
        w: &Workforce,
        policy: &CaseloadPolicy,
        planner: &CaseloadPlanner,
        patients: &[CaseloadPatient],
        caseloads: &Caseloads,
    ) -> Result<(), TestCaseError> {
        // Every patient given is reported exactly once.
        let mut seen: Vec<PatientId> = caseloads
            .assignments()
            .iter()
            .map(|a| a.patient)
            .chain(caseloads.unassigned().iter().map(|u| u.patient))
            .collect();
        prop_assert_eq!(seen.len(), patients.len());
        seen.sort_unstable();
        seen.dedup();
        prop_assert_eq!(seen.len(), patients.len());
        for u in caseloads.unassigned() {
            prop_assert!(!u.reasons.is_empty());
        }

        let by_id: HashMap<PatientId, &CaseloadPatient> =
            patients.iter().map(|p| (p.patient, p)).collect();
        for a in caseloads.assignments() {
            let p = by_id[&a.patient];
            let member = w.staff(a.key_worker).unwrap();
            let membership = w
                .team(a.team)
                .unwrap()
                .members_on(planner.on)
                .find(|m| m.staff == a.key_worker)
                .unwrap();
            // The worker's skills cover the patient's needs, in their locality.
            prop_assert!(member.skills().is_superset(p.needs));
            prop_assert!(membership.coverage.covers(p.locality));
            prop_assert_eq!(a.complex_care.is_some(), p.complex);
            if let Some(care) = a.complex_care {
                // Exactly one accountable GP, at the registered practice.
                let gp = w.staff(care.accountable_gp).unwrap();
                prop_assert_eq!(gp.role(), Role::Gp);
                prop_assert_eq!(gp.employer().practice(), Some(p.practice));
                prop_assert!(!gp.contracted_on(planner.on).is_zero());
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
        // Nobody holds more patients than their share of time allows, in any team or
        // in all teams together.
        let mut per_staff: HashMap<StaffId, u32> = HashMap::new();
        for worker in planner.workers() {
            let load =
                u32::try_from(caseloads.caseload_of(worker.team, worker.staff).count()).unwrap();
            prop_assert!(load <= worker.capacity, "{:?} holds {}", worker, load);
            *per_staff.entry(worker.staff).or_default() += load;
        }
        for (staff, load) in per_staff {
            let member = w.staff(staff).unwrap();
            let most = policy.capacity(member.role(), member.contracted_on(planner.on));
            prop_assert!(load <= most);
        }
        Ok(())
    }

    fn spec() -> impl Strategy<Value = NetworkSpec> {
        (0u32..150, 0u32..80, 4u32..30, 1u32..4, 1u32..4, 1u32..4).prop_map(
            |(complex_patients, other_patients, staff, practices, localities, teams)| NetworkSpec {
                complex_patients,
                other_patients,
                staff: staff.max(practices * 3 + teams),
                practices,
                localities,
                teams,
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Skills cover needs, nobody is over capacity, every complex patient has
        /// exactly one accountable GP at their practice, nobody is lost; and a second
        /// run from the first run's care changes nothing.
        #[test]
        fn assignment_keeps_every_promise(seed in any::<u64>(), spec in spec()) {
            let net = SyntheticNetwork::generate(seed, 0, &spec).unwrap();
            let planner = CaseloadPlanner::new(&net.workforce, net.network, &net.policy, net.on);
            let caseloads = planner.assign(&net.patients);
            check_caseloads(&net.workforce, &net.policy, &planner, &net.patients, &caseloads)?;
            // Every practice has GPs here, so no complex patient lacks one.
            for u in caseloads.unassigned() {
                let lacks_gp = u.reasons.iter().any(|r| matches!(r, UnassignedReason::NoAccountableGp { .. }));
                prop_assert!(!lacks_gp);
            }

            let again: Vec<CaseloadPatient> = net.patients.iter().map(|p| CaseloadPatient {
                existing: caseloads.assignment_of(p.patient).map(Assignment::as_existing).unwrap_or_default(),
                ..p.clone()
            }).collect();
            let second = planner.assign(&again);
            for a in caseloads.assignments() {
                prop_assert_eq!(second.assignment_of(a.patient), Some(a));
            }
        }

        /// When a member leaves, their patients are reassigned or reported; nobody
        /// else's care changes and no patient is lost.
        #[test]
        fn reassignment_after_a_leaver_loses_no_patient(
            seed in any::<u64>(), spec in spec(), pick in any::<prop::sample::Index>(),
        ) {
            let mut net = SyntheticNetwork::generate(seed, 0, &spec).unwrap();
            let planner = CaseloadPlanner::new(&net.workforce, net.network, &net.policy, net.on);
            let before = planner.assign(&net.patients);
            let staff: Vec<StaffId> = net.workforce.staff_members().map(StaffMember::id).collect();
            let leaver = staff[pick.index(staff.len())];
            let teams: Vec<TeamId> = net.workforce.teams().filter(|t| t.memberships_of(leaver).next().is_some()).map(Team::id).collect();
            for team in teams {
                net.workforce.leave(team, leaver, net.on).unwrap();
            }
            let planner = CaseloadPlanner::new(&net.workforce, net.network, &net.policy, net.on);
            let after = planner.reassign_leaver(&before, leaver, &net.patients);
            check_caseloads(&net.workforce, &net.policy, &planner, &net.patients, &after.caseloads)?;
            for a in before.assignments() {
                let now = after.caseloads.assignment_of(a.patient);
                if a.involves(leaver) {
                    let placed = now.is_some();
                    prop_assert_eq!(placed, after.reassigned.contains(&a.patient));
                    prop_assert_eq!(!placed, after.not_reassigned.iter().any(|u| u.patient == a.patient));
                } else {
                    prop_assert_eq!(now, Some(a));
                }
            }
            prop_assert!(!after.caseloads.assignments().iter().any(|a| a.involves(leaver)));
        }
    }

    #[test]
    fn a_leaver_with_missing_patient_details_is_reported() {
        let w = network(&[
            (20, 10, Role::DistrictNurse, 100, &[Skill::WoundCare]),
            (21, 10, Role::DistrictNurse, 100, &[Skill::WoundCare]),
        ]);
        let planner = CaseloadPlanner::new(&w, NETWORK, &policy(), day());
        let patients = [patient(0, &[Skill::WoundCare], false)];
        let before = planner.assign(&patients);
        let leaver = before.assignments()[0].key_worker;
        let after = planner.reassign_leaver(&before, leaver, &[]);
        assert_eq!(
            after.not_reassigned,
            [Unassigned {
                patient: PatientId::from_u128(0),
                reasons: vec![UnassignedReason::NoPatientDetails]
            }]
        );
        let after = planner.reassign_leaver(&before, leaver, &patients);
        assert_eq!(after.reassigned, [PatientId::from_u128(0)]);
        assert_ne!(after.caseloads.assignments()[0].key_worker, leaver);
    }
}
