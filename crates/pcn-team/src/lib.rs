//! Multidisciplinary teams: staff, skills, teams, caseloads, MDT meetings and
//! capacity.
//!
//! Around each population of 30,000 to 50,000 people, England's Primary Care
//! Networks and Primary Care Home sites bring together a **multidisciplinary team**:
//! GPs and practice nurses, district nurses and community matrons, clinical
//! pharmacists, first contact physiotherapists, paramedics, mental health
//! practitioners, social workers, social prescribing link workers, care coordinators,
//! health and wellbeing coaches, hospital consultants and volunteers (`workforce.md`,
//! `networks.md` of the domain reference). Each regulated professional is on a
//! register (GMC, NMC, HCPC, GPhC, Social Work England) under a number whose shape that
//! register publishes; staff are employed by a practice, the network, a trust, a local
//! authority or a voluntary organisation, on a contracted whole-time equivalent (1.0
//! WTE = 37.5 hours a week), and may split their time across several teams. Beside
//! multidisciplinary teams stand **self-managing neighbourhood teams** after the Dutch
//! Buurtzorg model: 10 to 12 nurses who plan and coordinate their own work without a
//! manager, rotating roles such as coach and planner among themselves.
//!
//! The team's work is its **caseload**: patients matched to a worker whose skills
//! cover their needs, in their locality, within what that worker's share of time
//! allows, keeping whoever already cares for them. Since "Transforming Primary Care"
//! (Department of Health and NHS England, 2014), each patient with complex needs has a
//! **named accountable GP** and a **care coordinator**. The team reviews its most
//! at-risk patients in **MDT meetings**, recording decisions and actions with an owner
//! and a due date, and plans its **capacity**: appointments a week by role, from WTE
//! and session patterns (the BMA's 4 h 10 min GP session with at most 3 hours
//! consulting in 15-minute appointments, for example).
//!
//! This crate models those rules with validated types. A [`RegistrationNumber`] is
//! checked against its register and the role; a [`StaffMember`] always has the
//! registration its role needs; the [`Workforce`] never lets anyone's team shares
//! exceed their contract on any day, nor a neighbourhood team break its
//! [`NeighbourhoodTeamPolicy`]; the [`CaseloadPlanner`] places every patient or says
//! why not, and reassigns a leaver's patients without losing one. Its greedy
//! [`assign`](CaseloadPlanner::assign) takes microseconds; its
//! [`place`](CaseloadPlanner::place) solves the placement as a mixed-integer
//! programme: the most patients placed, then the least disruption of existing care,
//! then the least travel between workers' bases and patients' homes ([`Places`],
//! [`TravelAssumptions`]), then the most even load, with the bound on how many any
//! placement could place ([`PlacementBound`]) and, for those who wait, what would
//! place them ([`Shortfall`]). Employers, networks
//! and patients are referred to by `pcn-core` ids, so the crate stands alone.
//!
//! # Example
//!
//! ```
//! use chrono::NaiveDate;
//! use pcn_core::{NetworkId, Party, PatientId, PracticeId, Role, StaffId, TeamId, Timeline, Wte};
//! use pcn_team::*;
//!
//! let day = NaiveDate::from_ymd_opt(2024, 10, 1).ok_or("date")?;
//! let practice = PracticeId::from_u128(1);
//! let network = NetworkId::from_u128(2);
//! let mut workforce = Workforce::new();
//! let mut add = |id: u128, role: Role, number: Option<&str>, skills: &[Skill]| -> Result<StaffId, TeamError> {
//!     let id = StaffId::from_u128(id);
//!     workforce.add_staff(StaffMember::new(StaffRecord {
//!         id,
//!         name: format!("{} {id}", role.label()),
//!         role,
//!         registration: number.map(|n| RegistrationNumber::for_role(role, n)).transpose()?,
//!         employer: Party::Practice(practice),
//!         contracted_wte: Timeline::starting(day, Wte::FULL_TIME),
//!         skills: skills.iter().copied().collect(),
//!     })?)?;
//!     Ok(id)
//! };
//! let gp = add(1, Role::Gp, Some("1234567"), &[])?;
//! let nurse = add(2, Role::DistrictNurse, Some("12A3456E"), &[Skill::WoundCare, Skill::HomeVisits])?;
//! let matron = add(3, Role::CommunityMatron, Some("98B7654W"), &[Skill::HomeVisits, Skill::CareCoordination])?;
//!
//! // A multidisciplinary team of the network; the nurse gives it 0.8 of her 1.0 WTE.
//! let team = TeamId::from_u128(10);
//! workforce.add_team(Team::new(team, "Riverside MDT", TeamHost::PrimaryCareNetwork(network), TeamKind::Multidisciplinary)?)?;
//! workforce.join(team, Membership::starting(nurse, "0.8".parse()?, day))?;
//! workforce.join(team, Membership::starting(matron, Wte::FULL_TIME, day))?;
//! // A second team cannot have more than the remaining 0.2 of her.
//! let other = TeamId::from_u128(11);
//! workforce.add_team(Team::new(other, "Hillside MDT", TeamHost::PrimaryCareNetwork(network), TeamKind::Multidisciplinary)?)?;
//! assert!(workforce.join(other, Membership::starting(nurse, "0.3".parse()?, day)).is_err());
//!
//! // Caseloads: 40 patients per WTE for nurses and matrons (the caller's figures).
//! let policy = CaseloadPolicy::new()
//!     .with_capacity(Role::DistrictNurse, 40)?
//!     .with_capacity(Role::CommunityMatron, 30)?;
//! let patient = CaseloadPatient {
//!     patient: PatientId::from_u128(100),
//!     practice,
//!     needs: SkillSet::from_iter([Skill::WoundCare]),
//!     complex: true,
//!     locality: Locality::new(1),
//!     existing: ExistingCare::default(),
//! };
//! let planner = CaseloadPlanner::new(&workforce, network, &policy, day);
//! let caseloads = planner.assign(std::slice::from_ref(&patient));
//! let placed = caseloads.assignment_of(patient.patient).ok_or("not placed")?;
//! assert_eq!(placed.key_worker, nurse);
//! assert_eq!(placed.complex_care, Some(ComplexCare { accountable_gp: gp, care_coordinator: matron }));
//!
//! // The nurse leaves. Nobody else has wound care, so her patient cannot be
//! // reassigned: they are reported, with the reason, never dropped.
//! workforce.leave(team, nurse, day)?;
//! let after = CaseloadPlanner::new(&workforce, network, &policy, day)
//!     .reassign_leaver(&caseloads, nurse, &[patient]);
//! assert!(matches!(
//!     after.not_reassigned[0].reasons[..],
//!     [UnassignedReason::NoWorkerWithSkills { .. }]
//! ));
//!
//! // Capacity by role, from shares and published GP session figures.
//! let capacity = Capacity::of_staff(workforce.staff_members(), day, &SessionAssumptions::published());
//! assert_eq!(capacity.role(Role::Gp).and_then(|r| r.appointments_per_week), Some(108));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! | item | what it is |
//! |---|---|
//! | [`RegistrationNumber`], [`HcpcProfession`] | a professional registration number, checked by register and role |
//! | [`StaffMember`], [`StaffRecord`] | a member of staff: role, registration, employer (a [`Party`](pcn_core::Party)), dated contracted WTE, skills |
//! | [`Skill`], [`SkillSet`] | what staff can do and patients need, as a compact set |
//! | [`Team`], [`TeamKind`], [`TeamHost`], [`Membership`], [`NeighbourhoodTeamPolicy`], [`RotaTurn`] | teams, their members' shares and rotating roles |
//! | [`Workforce`] | all staff and teams, with the rules that span them |
//! | [`CaseloadPlanner`], [`CaseloadPatient`], [`CaseloadPolicy`], [`Caseloads`] | assigning patients to teams and workers; reassigning a leaver's patients |
//! | [`Placement`], [`PlacementOptions`], [`PlacementBound`], [`Shortfall`], [`WorkerRound`] | optimal placement, its bound, travel and what would place those waiting |
//! | [`Places`], [`TravelAssumptions`] | homes and bases, and travel time from straight-line distance, road factor and speed |
//! | [`MdtMeeting`], [`case_review_list`] | MDT meetings: case review list, attendees, decisions, actions |
//! | [`Capacity`], [`SessionAssumptions`], [`SessionPattern`] | appointment supply per week by role |
//! | [`synthetic`] | seeded synthetic networks for benchmarks and tests |
//!
//! Roles and their registers are `pcn_core::Role` and `pcn_core::ProfessionalRegister`.
//! Every fallible operation returns a [`TeamError`] naming the values at fault and
//! changes nothing when it fails.

mod capacity;
mod caseload;
mod error;
mod meeting;
mod needs;
mod placement;
mod registration;
mod skill;
mod staff;
pub mod synthetic;
mod team;
mod travel;
mod workforce;

pub use capacity::{Basis, Capacity, RoleCapacity, SessionAssumptions, SessionPattern};
pub use caseload::{
    Assignment, CaseloadPatient, CaseloadPlanner, CaseloadPolicy, Caseloads, ComplexCare,
    ExistingCare, Reassignment, Unassigned, UnassignedReason, WorkerCapacity,
};
pub use error::TeamError;
pub use meeting::{Action, CaseReview, Decision, MdtMeeting, ReviewCandidate, case_review_list};
pub use needs::NeedsPolicy;
pub use placement::{
    AssignmentTravel, Continuity, Objective, Placement, PlacementBound, PlacementOptions,
    Shortfall, Stage, WorkerRound,
};
pub use registration::{HcpcProfession, RegistrationNumber};
pub use skill::{Skill, SkillSet};
pub use staff::{StaffMember, StaffRecord};
pub use team::{
    Coverage, Locality, Membership, NeighbourhoodTeamPolicy, RotaTurn, RotatingRole, Team,
    TeamHost, TeamKind,
};
pub use travel::{Places, TravelAssumptions};
pub use workforce::{Departure, Workforce};
