//! The one error type of `pcn-sim`.

use pcn_core::{CoreError, Role};
use thiserror::Error;

use crate::Need;

/// Everything that can go wrong when loading parameters, building a network's inputs
/// or running a simulation.
///
/// Each variant names the value that was rejected, so that its message can be shown
/// to a user as it is.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum SimError {
    /// The parameter file is not valid JSON or does not have the expected shape.
    #[error("the simulation parameters could not be read: {reason}")]
    ParametersUnreadable {
        /// What the JSON reader said.
        reason: String,
    },
    /// A parameter's value is outside the range it must lie in.
    #[error("parameter {name} is {value}, but it must be {expected}")]
    ParameterOutOfRange {
        /// Which parameter, for example `consultation_rates[85+]`.
        name: String,
        /// The value given.
        value: f64,
        /// The range it must lie in, in words.
        expected: &'static str,
    },
    /// A parameter has no source and is not marked as an assumption.
    #[error(
        "parameter {name} has an empty source: say where the figure comes from, or mark it as an assumption and say why"
    )]
    MissingSource {
        /// Which parameter.
        name: String,
    },
    /// A table that must have one entry per key has a key missing or repeated.
    #[error("parameter table {table} must have exactly one entry for {key}, found {found}")]
    TableEntry {
        /// Which table, for example `need_shares`.
        table: &'static str,
        /// The key missing or repeated.
        key: String,
        /// How many entries were found for it.
        found: usize,
    },
    /// Shares that must add up to one do not.
    #[error("the shares in {table} add up to {sum}, but they must add up to 1")]
    SharesDoNotAddUp {
        /// Which table.
        table: &'static str,
        /// Their sum.
        sum: f64,
    },
    /// A bank holiday lies outside the parameters' financial year.
    #[error("bank holiday {date} is outside the financial year {year} of the parameters")]
    BankHolidayOutsideYear {
        /// The date given.
        date: chrono::NaiveDate,
        /// The parameters' financial year.
        year: pcn_core::FinancialYear,
    },
    /// A route sends a need to a role that has no role parameters (capacity, wait, cost).
    #[error(
        "the routes for {need} use the role {role}, which has no entry in the role parameters; add it to `roles`"
    )]
    RoleWithoutParameters {
        /// The need being routed.
        need: Need,
        /// The role without parameters.
        role: Role,
    },
    /// A need's route list is empty or its last option does not take every request.
    #[error(
        "the routes for {need} must end with an option that takes every request (share 1 on the booked route)"
    )]
    RouteWithoutFallback {
        /// The need.
        need: Need,
    },
    /// A referral route has no reason for referral to route it with.
    #[error(
        "the {route} option for {need} is a referral route and needs a `reason` (a SNOMED CT concept id) to route it through the pathway catalogue"
    )]
    MissingReason {
        /// The need.
        need: Need,
        /// The route.
        route: crate::Access,
    },
    /// The pathway catalogue sends a referral route somewhere other than the option's
    /// role.
    #[error(
        "the pathway catalogue routes {need} by {route} to {destination}, but the parameters send it to {role}; change the option's role or reason, or the catalogue"
    )]
    CatalogueDisagrees {
        /// The need.
        need: Need,
        /// The route.
        route: crate::Access,
        /// The role the parameters name.
        role: Role,
        /// Where the catalogue sends it.
        destination: String,
    },
    /// The budget crate refused a transfer or could not read a rule.
    #[error(transparent)]
    Budget(#[from] pcn_budget::BudgetError),
    /// The referral crate refused a catalogue or a routing.
    #[error(transparent)]
    Referral(#[from] pcn_referral::ReferralError),
    /// The practice map has no practice in the network asked for.
    #[error(
        "no practice of {file} is in the network {code}: check the PCN's ODS code (U and five digits) and that the file is the national map or an extract holding it"
    )]
    UnknownNetwork {
        /// The code asked for.
        code: String,
        /// The practice map.
        file: String,
    },
    /// A member practice has no registered list in the list-size file.
    #[error(
        "the practice {practice} has no published list by age and sex in {file}, so its patients cannot be drawn"
    )]
    NoPublishedList {
        /// The practice.
        practice: String,
        /// The list-size file.
        file: String,
    },
    /// No published activity figures for an area.
    #[error(
        "no published appointment figures for the area {code}: give an ICB's ONS code (E54...) or ENGLAND"
    )]
    UnknownArea {
        /// The code asked for.
        code: String,
    },
    /// A staffing figure was asked for a role that has no role parameters.
    #[error(
        "the establishment has {role} staff, but the parameters have no capacity or cost for that role; add it to `roles`"
    )]
    StaffWithoutParameters {
        /// The role.
        role: Role,
    },
    /// A network was given no patients.
    #[error("a network must have at least one registered patient, got {size}")]
    EmptyPopulation {
        /// The size given.
        size: u64,
    },
    /// A network is larger than the simulation's per-network counters allow.
    #[error("a network of {size} patients is larger than the largest supported ({max})")]
    PopulationTooLarge {
        /// The size given.
        size: u64,
        /// The largest supported.
        max: u64,
    },
    /// A comparison needs at least two replications to estimate its uncertainty.
    #[error(
        "a comparison needs at least 2 replications to give a confidence interval, got {replications}"
    )]
    TooFewReplications {
        /// The number asked for.
        replications: u32,
    },
    /// A scenario setting is out of range.
    #[error("scenario setting {name} is {value}, but it must be {expected}")]
    ScenarioOutOfRange {
        /// Which setting.
        name: &'static str,
        /// The value given.
        value: f64,
        /// The range it must lie in.
        expected: &'static str,
    },
    /// Demand was lost by the simulation: a defect, reported rather than hidden.
    #[error(
        "demand on pathway {pathway} does not balance: {arisen} arose but {met} met + {queued} queued + {unmet} unmet"
    )]
    DemandNotConserved {
        /// The pathway, in words.
        pathway: String,
        /// Requests that arose.
        arisen: u64,
        /// Requests met.
        met: u64,
        /// Requests still waiting at the end of the year.
        queued: u64,
        /// Requests recorded as unmet.
        unmet: u64,
    },
    /// The population crate refused an operation (for example an invalid cohort rule).
    #[error(transparent)]
    Population(#[from] pcn_population::PopulationError),
    /// Money arithmetic overflowed, or a shared value was invalid.
    #[error(transparent)]
    Core(#[from] CoreError),
    /// The report could not be written.
    #[error("the report could not be written to {path}: {reason}")]
    ReportNotWritten {
        /// The path.
        path: String,
        /// What the file system said.
        reason: String,
    },
}
