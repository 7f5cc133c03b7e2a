//! The one error type of `pcn-network`.

use chrono::NaiveDate;
use pcn_core::{CoreError, DateRange, FinancialYear, OdsCode};
use thiserror::Error;

use crate::Rule;

/// Everything that can go wrong when building practices and networks or changing a
/// [`Registry`](crate::Registry).
///
/// Each variant names the values that were rejected, so that its message can be shown
/// to a user as it is. A registry operation that returns an error has changed nothing.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum NetworkError {
    /// A value from `pcn-core` (a code, a date range) was invalid.
    #[error(transparent)]
    Core(#[from] CoreError),
    /// A name was empty.
    #[error("the {what} name is empty: give the name as published")]
    EmptyName {
        /// What was being named (`practice`, `network`, `clinical director`, ...).
        what: &'static str,
    },
    /// A Primary Care Network was given a code that is not a PCN code.
    #[error(
        "{code} is not a Primary Care Network code: PCN codes are U followed by five digits, such as U89141"
    )]
    NotAPcnCode {
        /// The code that was given.
        code: OdsCode,
    },
    /// A network other than a PCN was built with the PCN constructor's kind, or the
    /// other way round.
    #[error("a {kind} must be built with {constructor}")]
    WrongConstructor {
        /// The kind of network.
        kind: &'static str,
        /// The constructor to use.
        constructor: &'static str,
    },
    /// A PCN's id was not the one derived from its ODS code.
    #[error(
        "PCN {code} has id {id}, but a PCN's id is derived from its ODS code: drop the id or correct the code"
    )]
    PcnIdMismatch {
        /// The PCN's code.
        code: OdsCode,
        /// The id given.
        id: pcn_core::NetworkId,
    },
    /// A practice recorded as closed has no close date.
    #[error(
        "practice {practice} is recorded as closed but its operating dates {operating} have no end: give the close date"
    )]
    ClosedWithoutCloseDate {
        /// The practice.
        practice: OdsCode,
        /// The operating dates given.
        operating: DateRange,
    },
    /// A practice with this code is already in the registry.
    #[error("practice {practice} is already in the registry")]
    DuplicatePractice {
        /// The practice's code.
        practice: OdsCode,
    },
    /// A network with this id or code is already in the registry.
    #[error("network {network} is already in the registry")]
    DuplicateNetwork {
        /// The network's code and name.
        network: String,
    },
    /// The registry cannot index more entries of this kind.
    #[error("the registry cannot hold more than {max} {what}")]
    RegistryFull {
        /// What was being added (`practices` or `networks`).
        what: &'static str,
        /// The most it can hold.
        max: u32,
    },
    /// No practice with this code is in the registry.
    #[error("no practice {practice} in the registry: add the practice before referring to it")]
    NoSuchPractice {
        /// The code asked for.
        practice: OdsCode,
    },
    /// No network with this code or id is in the registry.
    #[error("no network {network} in the registry: add the network before referring to it")]
    NoSuchNetwork {
        /// The code or id asked for.
        network: String,
    },
    /// A practice index did not come from this registry.
    #[error("practice index {index} is not in this registry, which holds {len} practices")]
    UnknownPractice {
        /// The index given.
        index: u32,
        /// How many practices the registry holds.
        len: usize,
    },
    /// A network index did not come from this registry.
    #[error("network index {index} is not in this registry, which holds {len} networks")]
    UnknownNetwork {
        /// The index given.
        index: u32,
        /// How many networks the registry holds.
        len: usize,
    },
    /// A membership would run outside the dates the practice operates.
    #[error(
        "practice {practice} cannot be a member of {network} during {requested}: the practice operates only during {operating}"
    )]
    OutsidePracticeOperation {
        /// The practice.
        practice: OdsCode,
        /// The network's code and name.
        network: String,
        /// The membership asked for.
        requested: DateRange,
        /// The practice's operating dates.
        operating: DateRange,
    },
    /// A membership would run outside the dates the network is open.
    #[error(
        "practice {practice} cannot be a member of {network} during {requested}: the network is open only during {open}"
    )]
    OutsideNetworkLifetime {
        /// The practice.
        practice: OdsCode,
        /// The network's code and name.
        network: String,
        /// The membership asked for.
        requested: DateRange,
        /// The network's open dates.
        open: DateRange,
    },
    /// The practice is already a member of the network on some of the dates.
    #[error(
        "practice {practice} is already a member of {network} during {existing}, which overlaps the membership asked for, {requested}"
    )]
    AlreadyMember {
        /// The practice.
        practice: OdsCode,
        /// The network's code and name.
        network: String,
        /// The membership already recorded.
        existing: DateRange,
        /// The membership asked for.
        requested: DateRange,
    },
    /// The practice would be in two Primary Care Networks on the same dates.
    #[error(
        "practice {practice} cannot join {requested} during {requested_during}: it is a member of {held} during {held_during}, and a practice is in one PCN at a time (both during {overlap})"
    )]
    OverlappingPcn {
        /// The practice.
        practice: OdsCode,
        /// The PCN the practice is already in (code and name).
        held: String,
        /// The dates of that membership.
        held_during: DateRange,
        /// The PCN asked for (code and name).
        requested: String,
        /// The dates asked for.
        requested_during: DateRange,
        /// The dates the two memberships share.
        overlap: DateRange,
    },
    /// The practice is not a member of the network on the date.
    #[error("practice {practice} is not a member of {network} on {on}")]
    NotAMember {
        /// The practice.
        practice: OdsCode,
        /// The network's code and name.
        network: String,
        /// The date asked about.
        on: NaiveDate,
    },
    /// Leaving on the day of joining would leave a membership of no days.
    #[error(
        "practice {practice} joined {network} on {on}: leaving on the same day would leave no days of membership"
    )]
    EmptyMembership {
        /// The practice.
        practice: OdsCode,
        /// The network's code and name.
        network: String,
        /// The joining day.
        on: NaiveDate,
    },
    /// A list size was dated outside the practice's operating dates.
    #[error("practice {practice} has no list on {date}: it operates only during {operating}")]
    ListSizeOutsideOperation {
        /// The practice.
        practice: OdsCode,
        /// The date of the list size.
        date: NaiveDate,
        /// The practice's operating dates.
        operating: DateRange,
    },
    /// A practice cannot merge into itself.
    #[error("practice {practice} cannot merge into itself: name a different successor")]
    MergeIntoSelf {
        /// The practice.
        practice: OdsCode,
    },
    /// The practice is not operating on the date.
    #[error("practice {practice} is not operating on {date}: it operates only during {operating}")]
    PracticeNotOperating {
        /// The practice.
        practice: OdsCode,
        /// The date asked about.
        date: NaiveDate,
        /// The practice's operating dates.
        operating: DateRange,
    },
    /// A practice cannot close while it has a membership starting on or after the
    /// closing day.
    #[error(
        "practice {practice} cannot close on {closing}: its membership of {network} starts on {from}; remove or move that membership first"
    )]
    MembershipAfterClosure {
        /// The practice.
        practice: OdsCode,
        /// The network's code and name.
        network: String,
        /// The first day of that membership.
        from: NaiveDate,
        /// The closing day asked for.
        closing: NaiveDate,
    },
    /// A practice cannot close while it has list sizes recorded on or after the
    /// closing day.
    #[error(
        "practice {practice} cannot close on {closing}: a list size is recorded for it on {date}"
    )]
    ListSizeAfterClosure {
        /// The practice.
        practice: OdsCode,
        /// The date of the later list size.
        date: NaiveDate,
        /// The closing day asked for.
        closing: NaiveDate,
    },
    /// Moving a closed practice's list would overflow the successor's list size.
    #[error(
        "merging {closed} into {successor}: their lists ({moved} + {existing}) exceed the largest list size that can be recorded"
    )]
    ListSizeOverflow {
        /// The closing practice.
        closed: OdsCode,
        /// The successor.
        successor: OdsCode,
        /// The list moved.
        moved: u32,
        /// The successor's list before the merger.
        existing: u32,
    },
    /// An exception was recorded for a rule that the published rules do not let a
    /// commissioner waive.
    #[error(
        "the {rule} rule cannot be waived: the published rules allow exceptions only to the population and single-commissioner rules"
    )]
    RuleNotWaivable {
        /// The rule.
        rule: Rule,
    },
    /// No formation rules are known for the year (PCNs began in 2019/20).
    #[error(
        "no PCN formation rules for {year}: Primary Care Networks were formed under the Network Contract DES from 2019/20"
    )]
    NoRulesForYear {
        /// The year asked for.
        year: FinancialYear,
    },
    /// The network is not open on the date.
    #[error("network {network} is not open on {date}: it is open during {open}")]
    NetworkNotOpen {
        /// The network's code and name.
        network: String,
        /// The date asked about.
        date: NaiveDate,
        /// The network's open dates.
        open: DateRange,
    },
}
