//! The one error type of `pcn-budget`.

use chrono::NaiveDate;
use pcn_core::{
    AccountId, CoreError, FinancialYear, Money, PracticeId, Role, StaffId, TransferId, YearMonth,
};
use thiserror::Error;

use crate::{FundingStream, Purpose};

/// Everything the ledger, the entitlement rules and the claims can refuse.
///
/// Each variant names the values involved, so that its message can be shown as it
/// is. A refused operation never changes anything.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum BudgetError {
    /// A network was asked for that the network registry does not hold.
    #[error("network {network} is not in the registry; add it before reading its lists")]
    UnknownNetwork {
        /// The network asked for, as given.
        network: String,
    },
    /// An account was opened twice.
    #[error("account {id} is already open in this ledger; give the new account another id")]
    DuplicateAccount {
        /// The id used twice.
        id: AccountId,
    },
    /// A transfer named an account the ledger does not hold.
    #[error(
        "transfer {transfer} names account {account}, which is not open in this ledger; open it first"
    )]
    UnknownAccount {
        /// The transfer.
        transfer: TransferId,
        /// The unknown account.
        account: AccountId,
    },
    /// A transfer's debit and credit accounts are the same.
    #[error(
        "transfer {id} debits and credits the same account {account}; a transfer must move money between two accounts"
    )]
    SameAccount {
        /// The transfer.
        id: TransferId,
        /// The account named twice.
        account: AccountId,
    },
    /// A transfer's amount was zero or negative.
    #[error(
        "transfer {id} is for {amount}; an amount must be above zero (reverse a transfer to move money back)"
    )]
    NonPositiveAmount {
        /// The transfer.
        id: TransferId,
        /// The amount given.
        amount: Money,
    },
    /// A transfer id was used before for a different transfer.
    #[error(
        "transfer id {id} was already used for a different transfer; give this transfer a new id"
    )]
    TransferIdReused {
        /// The id.
        id: TransferId,
    },
    /// A transfer would take an account's available balance below its floor.
    #[error(
        "transfer {transfer} of {amount} from account {account} ({name}) is refused: it has {available} available and may not go below {floor}"
    )]
    InsufficientFunds {
        /// The transfer.
        transfer: TransferId,
        /// The account debited.
        account: AccountId,
        /// Its name.
        name: String,
        /// Its available balance before the transfer.
        available: Money,
        /// The amount the transfer would take.
        amount: Money,
        /// The floor it may not go below.
        floor: Money,
    },
    /// A ring-fenced account was asked to pay into an account of another purpose.
    #[error(
        "transfer {transfer} from ring-fenced account {account} ({name}) into an account for {purpose} is refused: it may pay only for {}",
        .allowed.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
    )]
    RingFenced {
        /// The transfer.
        transfer: TransferId,
        /// The ring-fenced account.
        account: AccountId,
        /// Its name.
        name: String,
        /// The purpose of the account it would pay into.
        purpose: Purpose,
        /// The purposes it may pay for.
        allowed: Vec<Purpose>,
    },
    /// A post, void or reversal named a transfer the ledger does not hold.
    #[error("transfer {transfer} refers to transfer {target}, which this ledger does not hold")]
    UnknownTransfer {
        /// The transfer.
        transfer: TransferId,
        /// The transfer referred to.
        target: TransferId,
    },
    /// A post or void named a transfer that is not pending, or no longer open.
    #[error("transfer {transfer} cannot post or void transfer {pending}: it is {state}")]
    PendingNotOpen {
        /// The transfer.
        transfer: TransferId,
        /// The transfer referred to.
        pending: TransferId,
        /// What it is instead ("not a pending transfer", "already posted", "already voided").
        state: &'static str,
    },
    /// A post asked for more than the pending transfer reserved.
    #[error(
        "transfer {transfer} posts {amount} of pending transfer {pending}, which reserved only {reserved}"
    )]
    PostExceedsPending {
        /// The transfer.
        transfer: TransferId,
        /// The pending transfer.
        pending: TransferId,
        /// The amount asked for.
        amount: Money,
        /// The amount reserved.
        reserved: Money,
    },
    /// A reversal named a transfer that cannot be reversed.
    #[error("transfer {transfer} cannot reverse transfer {original}: {reason}")]
    CannotReverse {
        /// The reversal.
        transfer: TransferId,
        /// The transfer it names.
        original: TransferId,
        /// Why not.
        reason: &'static str,
    },
    /// A transfer was dated in a closed month.
    #[error(
        "transfer {transfer} is dated {date}, but the books are closed to the end of {closed_through}; date it in an open month (correct an earlier month by a reversing transfer dated now)"
    )]
    PeriodClosed {
        /// The transfer.
        transfer: TransferId,
        /// Its date.
        date: NaiveDate,
        /// The last closed month.
        closed_through: YearMonth,
    },
    /// A month was closed out of order or twice.
    #[error("cannot close {month}: the books are already closed to the end of {closed_through}")]
    MonthAlreadyClosed {
        /// The month asked for.
        month: YearMonth,
        /// The last closed month.
        closed_through: YearMonth,
    },
    /// A balance would no longer fit in 64-bit pence.
    #[error("transfer {transfer} would overflow the balance of account {account}")]
    BalanceOverflow {
        /// The transfer.
        transfer: TransferId,
        /// The account.
        account: AccountId,
    },
    /// A batch was refused because one of its transfers was; nothing was applied.
    #[error(
        "transfer {index} of the batch (id {id}) was refused, so none of the batch was applied: {source}"
    )]
    BatchRejected {
        /// The refused transfer's position in the batch, from 0.
        index: usize,
        /// Its id.
        id: TransferId,
        /// Why it was refused.
        source: Box<BudgetError>,
    },
    /// A ledger snapshot could not be replayed.
    #[error("the ledger snapshot is inconsistent: {reason}")]
    InvalidSnapshot {
        /// What was wrong.
        reason: String,
    },
    /// A risk/gain share agreement was invalid.
    #[error("invalid risk and gain share agreement: {reason}")]
    InvalidRiskShare {
        /// What was wrong.
        reason: &'static str,
    },
    /// The entitlement rules could not be read.
    #[error("the entitlement rules could not be read: {message}")]
    RulesUnreadable {
        /// The parser's message, with line and column.
        message: String,
    },
    /// The entitlement rules break one of their checks.
    #[error("the entitlement rules for {year} are invalid: {reason}")]
    InvalidRules {
        /// The year whose rules are wrong.
        year: FinancialYear,
        /// What is wrong.
        reason: String,
    },
    /// The rules list a source twice.
    #[error("the entitlement rules list source {id:?} twice; give each source one entry")]
    DuplicateSource {
        /// The source id.
        id: String,
    },
    /// No rules are held for a year.
    #[error("no entitlement rules are held for {year}; load rules that cover it")]
    NoRulesForYear {
        /// The year asked for.
        year: FinancialYear,
    },
    /// A payment is in force in a year but its rate was not found in a published source.
    #[error(
        "no published rate for {stream} in {year} was found ({note}); supply rules with the rate and its source"
    )]
    NoPublishedRate {
        /// The stream.
        stream: FundingStream,
        /// The year.
        year: FinancialYear,
        /// What is known.
        note: String,
    },
    /// A role is reimbursable in a year but its maximum was not found in a published source.
    #[error(
        "no published cap for role {role} in year {year} (month {month}); supply rules with the maximum reimbursable amount and its source"
    )]
    NoPublishedCap {
        /// The role.
        role: Role,
        /// The year.
        year: FinancialYear,
        /// The month claimed for.
        month: YearMonth,
    },
    /// A year's network maximum sum for role reimbursement was not found in a published source.
    #[error(
        "no published rule for a network's maximum additional roles sum in {year}; supply rules with it and its source"
    )]
    NoPublishedMaximum {
        /// The year.
        year: FinancialYear,
    },
    /// The maximum sum is a share of a national pot, and the national weighted list was not given.
    #[error(
        "the {year} maximum additional roles sum is a weighted-population share of the national pot of {pot}: give the national weighted list"
    )]
    NationalWeightedListNeeded {
        /// The year.
        year: FinancialYear,
        /// The national pot.
        pot: Money,
    },
    /// A role's maxima are set by grade of post, and no grade was given.
    #[error(
        "role {role} has its maximum reimbursable amounts by grade in {year} ({}); give the grade of the post",
        .grades.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
    )]
    GradeRequired {
        /// The role.
        role: Role,
        /// The year.
        year: FinancialYear,
        /// The grades with a published maximum.
        grades: Vec<crate::Grade>,
    },
    /// A role's headcount limit for a year was not found in a published source.
    #[error("no published headcount limit for role {role} in {year}: {note}")]
    NoPublishedLimit {
        /// The role.
        role: Role,
        /// The year.
        year: FinancialYear,
        /// What is known.
        note: String,
    },
    /// The Investment and Impact Fund did not run in a year, or its rules were not found.
    #[error("no Investment and Impact Fund rules are held for {year}: {note}")]
    NoIifRules {
        /// The year.
        year: FinancialYear,
        /// Why.
        note: String,
    },
    /// An IIF indicator is not in the year's set of indicators held.
    #[error(
        "IIF indicator {code} is not among the {year} indicators held ({}); check the code and the year",
        .held.join(", ")
    )]
    UnknownIifIndicator {
        /// The code given.
        code: String,
        /// The year.
        year: FinancialYear,
        /// The codes held for the year.
        held: Vec<String>,
    },
    /// A figure an IIF payment needs was not found in a published source.
    #[error(
        "the {figure} of the {year} Investment and Impact Fund was not found in a published source: {note}"
    )]
    IifFigureUnpublished {
        /// Which figure ("point value", ...).
        figure: &'static str,
        /// The year.
        year: FinancialYear,
        /// What is known.
        note: String,
    },
    /// An IIF achievement cannot be used.
    #[error("the {year} achievement for IIF indicator {code} is invalid: {reason}")]
    InvalidAchievement {
        /// The indicator.
        code: String,
        /// The year.
        year: FinancialYear,
        /// What is wrong, with the figures.
        reason: String,
    },
    /// A role is not reimbursable in a year.
    #[error(
        "role {role} is not reimbursable under the Additional Roles Reimbursement Scheme in {year}"
    )]
    RoleNotReimbursable {
        /// The role.
        role: Role,
        /// The year.
        year: FinancialYear,
    },
    /// A population count was taken on another date than the rule uses.
    #[error(
        "the {basis} of practice {practice} is counted at {as_at}, but {year} payments use the list at {expected}"
    )]
    ListDateMismatch {
        /// The practice.
        practice: PracticeId,
        /// Which population ("registered list", "weighted list", "adjusted population").
        basis: &'static str,
        /// The date given.
        as_at: NaiveDate,
        /// The date the rule uses.
        expected: NaiveDate,
        /// The year.
        year: FinancialYear,
    },
    /// A payment needs a population count that was not given.
    #[error("{year} {stream} is paid on the {basis}, which practice {practice} did not give")]
    MissingPopulation {
        /// The practice.
        practice: PracticeId,
        /// Which population.
        basis: &'static str,
        /// The stream that needs it.
        stream: FundingStream,
        /// The year.
        year: FinancialYear,
    },
    /// A practice was listed twice in one network's inputs.
    #[error(
        "practice {practice} is listed twice in network {network}; list each member practice once"
    )]
    PracticeCountedTwice {
        /// The practice.
        practice: PracticeId,
        /// The network.
        network: pcn_core::NetworkId,
    },
    /// A claim was made for a month outside the claim book's year.
    #[error(
        "the claim for staff {staff} is for {month}, outside {year}; claim it in that year's book"
    )]
    ClaimOutsideYear {
        /// The member of staff.
        staff: StaffId,
        /// The month claimed for.
        month: YearMonth,
        /// The book's year.
        year: FinancialYear,
    },
    /// A month was claimed twice for the same member of staff.
    #[error(
        "staff {staff} has already been claimed for in {month}; correct a claim by reversing its transfer"
    )]
    DuplicateClaim {
        /// The member of staff.
        staff: StaffId,
        /// The month.
        month: YearMonth,
    },
    /// A claim would take the network's reimbursements beyond its maximum sum.
    #[error(
        "the claim of {reimbursable} for staff {staff} in {month} is refused: {reimbursed} is already reimbursed this year and the network's maximum sum is {maximum}, leaving {remaining}"
    )]
    OverClaim {
        /// The member of staff.
        staff: StaffId,
        /// The month.
        month: YearMonth,
        /// What the claim would reimburse.
        reimbursable: Money,
        /// Already reimbursed this year.
        reimbursed: Money,
        /// The network's maximum sum.
        maximum: Money,
        /// What is left of it.
        remaining: Money,
    },
    /// A claim's figures are not usable.
    #[error("the claim for staff {staff} in {month} is invalid: {reason}")]
    InvalidClaim {
        /// The member of staff.
        staff: StaffId,
        /// The month.
        month: YearMonth,
        /// What is wrong.
        reason: &'static str,
    },
    /// A money calculation failed (overflow, invalid allocation).
    #[error(transparent)]
    Core(#[from] CoreError),
}
