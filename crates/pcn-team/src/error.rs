//! The one error type of `pcn-team`.

use chrono::NaiveDate;
use pcn_core::{DateRange, ProfessionalRegister, Role, StaffId, TeamId, Wte};
use thiserror::Error;

use crate::RotatingRole;
use crate::registration::register_name;

/// Everything that can go wrong when building staff records, teams, caseloads and
/// meetings.
///
/// Each variant carries the values that were rejected, so that its message can be
/// shown to a user as it is. An operation that returns an error has changed nothing.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum TeamError {
    /// A patient was put on a caseload for a day they were registered with no practice.
    #[error(
        "patient {patient} is not registered with a practice on {date}: register them before assigning a caseload"
    )]
    PatientNotRegistered {
        /// The patient.
        patient: pcn_core::PatientId,
        /// The day asked about.
        date: chrono::NaiveDate,
    },
    /// A registration number does not have the shape its register publishes.
    #[error("invalid {} registration number {value:?}: {reason}", register_name(*register))]
    InvalidRegistration {
        /// The register the number was read for.
        register: ProfessionalRegister,
        /// The text that was given.
        value: String,
        /// What was wrong with it, and the expected shape.
        reason: &'static str,
    },
    /// A registration number is valid for its register but not for the role: an NMC PIN
    /// for a GP, a paramedic's `PA` number for a physiotherapist.
    #[error(
        "registration number {value} does not fit the role {}: {reason}",
        role.label()
    )]
    RegistrationDoesNotFitRole {
        /// The role of the staff member.
        role: Role,
        /// The registration number given.
        value: String,
        /// Why it does not fit.
        reason: String,
    },
    /// A regulated role was given no registration number.
    #[error(
        "a {} must be on the {} register: give their registration number",
        role.label(),
        register_name(*register)
    )]
    RegistrationRequired {
        /// The role.
        role: Role,
        /// The register its members must be on.
        register: ProfessionalRegister,
    },
    /// An unregulated role was given a registration number.
    #[error(
        "a {} is not a regulated role, so registration number {value} cannot be recorded for it; check the role",
        role.label()
    )]
    RegistrationNotExpected {
        /// The role.
        role: Role,
        /// The registration number given.
        value: String,
    },
    /// A staff member's or team's name was empty.
    #[error("a {what} name must not be empty")]
    EmptyName {
        /// What was being named (`staff member`, `team`).
        what: &'static str,
    },
    /// A piece of text that must say something was blank.
    #[error("the {what} must not be empty")]
    EmptyText {
        /// What the text was (`decision`, `action description`).
        what: &'static str,
    },
    /// A skill name was not one of the known skills.
    #[error(
        "unknown skill {value:?}: expected one of the snake_case skill names such as `wound_care` or `medication_review`"
    )]
    UnknownSkill {
        /// The text that was given.
        value: String,
    },
    /// A staff id was not found in the workforce.
    #[error("no staff member {staff} in the workforce: add them before referring to them")]
    UnknownStaff {
        /// The id that was looked up.
        staff: StaffId,
    },
    /// A team id was not found in the workforce.
    #[error("no team {team} in the workforce: add the team before referring to it")]
    UnknownTeam {
        /// The id that was looked up.
        team: TeamId,
    },
    /// A staff member with this id is already in the workforce.
    #[error("staff member {staff} is already in the workforce")]
    DuplicateStaff {
        /// The id given twice.
        staff: StaffId,
    },
    /// A team with this id is already in the workforce.
    #[error("team {team} is already in the workforce")]
    DuplicateTeam {
        /// The id given twice.
        team: TeamId,
    },
    /// A membership was asked for with no time at all.
    #[error(
        "staff member {staff} cannot join team {team} with a share of 0.00 WTE: give the share of their time the team gets"
    )]
    ZeroShare {
        /// The staff member.
        staff: StaffId,
        /// The team.
        team: TeamId,
    },
    /// Joining a team would allocate a staff member more time than they are contracted
    /// for on some day.
    #[error(
        "staff member {staff} cannot join team {team} with {requested} WTE: on {date} they are contracted for {contracted} WTE and already allocated {already_allocated} WTE to teams"
    )]
    OverAllocated {
        /// The staff member.
        staff: StaffId,
        /// The team they asked to join.
        team: TeamId,
        /// The first day on which the total would exceed the contract.
        date: NaiveDate,
        /// Their contracted WTE on that day (0.00 where they have no contract).
        contracted: Wte,
        /// The WTE already allocated to teams on that day.
        already_allocated: Wte,
        /// The share asked for.
        requested: Wte,
    },
    /// A change of contract would leave a staff member allocated to teams beyond their
    /// new contracted WTE.
    #[error(
        "the contract of staff member {staff} cannot drop to {contracted} WTE on {date}: they are allocated {allocated} WTE to teams that day; reduce or end their team memberships first"
    )]
    ContractBelowAllocation {
        /// The staff member.
        staff: StaffId,
        /// The first day the contract would be exceeded.
        date: NaiveDate,
        /// The contracted WTE on that day under the change.
        contracted: Wte,
        /// The WTE allocated to teams on that day.
        allocated: Wte,
    },
    /// A staff member already has a membership of the team over some of the same days.
    #[error(
        "staff member {staff} is already a member of team {team} during {existing}: end that membership before adding another over the same days"
    )]
    OverlappingMembership {
        /// The staff member.
        staff: StaffId,
        /// The team.
        team: TeamId,
        /// The membership already recorded.
        existing: DateRange,
    },
    /// Joining a self-managing team would take it over its policy's number of nurses.
    #[error(
        "team {team} would have {count} nurses on {date}, over its policy's limit of {max}: start a new neighbourhood team instead"
    )]
    TooManyNurses {
        /// The team.
        team: TeamId,
        /// The first day the limit would be exceeded.
        date: NaiveDate,
        /// The number of nurses there would be.
        count: usize,
        /// The policy's limit.
        max: u16,
    },
    /// A manager was appointed to a team whose policy says it has none.
    #[error(
        "team {team} is a self-managing team whose policy allows no manager: roles rotate among its members instead"
    )]
    ManagerNotAllowed {
        /// The team.
        team: TeamId,
    },
    /// A staff member is not (or not on the days needed) a member of the team.
    #[error("staff member {staff} is not a member of team {team} {when}")]
    NotAMember {
        /// The staff member.
        staff: StaffId,
        /// The team.
        team: TeamId,
        /// When membership was needed, in words (`on 2024-04-01`, `during [..]`).
        when: String,
    },
    /// A rotating role would have two holders on the same day.
    #[error(
        "the {role} role of team {team} is already held during {existing}: end that turn before starting another"
    )]
    RotaOverlap {
        /// The team.
        team: TeamId,
        /// The rotating role.
        role: RotatingRole,
        /// The turn already recorded that overlaps.
        existing: DateRange,
    },
    /// A turn in a rotating role would run longer than the team's policy allows.
    #[error(
        "staff member {staff} would hold the {role} role of team {team} continuously during {turn}, longer than the policy's limit of {max_days} days: hand the role on"
    )]
    TermTooLong {
        /// The team.
        team: TeamId,
        /// The rotating role.
        role: RotatingRole,
        /// The holder.
        staff: StaffId,
        /// The whole continuous turn, joined with the holder's adjacent turns.
        turn: DateRange,
        /// The policy's limit, in days.
        max_days: u32,
    },
    /// A policy or assumption parameter was out of range.
    #[error("invalid {parameter} {value}: {reason}")]
    InvalidParameter {
        /// The parameter.
        parameter: &'static str,
        /// The value given.
        value: String,
        /// What range is allowed.
        reason: &'static str,
    },
    /// The optimisation solver failed on a placement model (a numerical failure it
    /// could not recover from).
    #[error(
        "the caseload placement could not be solved at the {stage} stage: {reason}; the greedy planner (`CaseloadPlanner::assign`) still gives a placement"
    )]
    Solver {
        /// The stage of the objective being solved.
        stage: &'static str,
        /// What the solver reported.
        reason: String,
    },
    /// A meeting was planned with nobody attending.
    #[error("an MDT meeting needs at least one attendee")]
    NoAttendees,
    /// A patient was listed twice for case review.
    #[error("patient {patient} is listed twice for case review")]
    DuplicateReview {
        /// The patient.
        patient: pcn_core::PatientId,
    },
    /// A staff member was listed twice as an attendee.
    #[error("staff member {staff} is listed twice as an attendee")]
    DuplicateAttendee {
        /// The staff member.
        staff: StaffId,
    },
    /// A decision or action named a patient who is not on the meeting's case review
    /// list.
    #[error(
        "patient {patient} is not on this meeting's case review list: add them to the list before recording a decision or action about them"
    )]
    NotOnReviewList {
        /// The patient.
        patient: pcn_core::PatientId,
    },
    /// An action was given a due date before the meeting.
    #[error("an action agreed on {meeting} cannot be due on {due}, before the meeting")]
    DueBeforeMeeting {
        /// The meeting date.
        meeting: NaiveDate,
        /// The due date given.
        due: NaiveDate,
    },
    /// An action number was not found in the meeting.
    #[error("this meeting has no action number {number}")]
    UnknownAction {
        /// The number looked up.
        number: u32,
    },
    /// An action was completed before it was agreed.
    #[error("action {number} was agreed on {meeting}, so it cannot be completed on {on}")]
    CompletedBeforeAgreed {
        /// The action number.
        number: u32,
        /// The meeting date.
        meeting: NaiveDate,
        /// The completion date given.
        on: NaiveDate,
    },
}
