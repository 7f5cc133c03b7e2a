//! The one error type of `pcn-core`.

use chrono::NaiveDate;
use thiserror::Error;

/// Everything that can go wrong when building or combining the shared values.
///
/// Each variant names the value that was rejected, so that the message can be shown
/// to a user as it is.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum CoreError {
    /// An ODS code was not 3 to 10 upper-case letters and digits.
    #[error("invalid ODS code {value:?}: {reason}")]
    InvalidOdsCode {
        /// The text that was given.
        value: String,
        /// What was wrong with it.
        reason: &'static str,
    },
    /// An NHS number was not ten digits, in the `3 3 4` spaced form or unspaced.
    #[error("invalid NHS number {value:?}: {reason}")]
    InvalidNhsNumber {
        /// The text that was given (personal data: shown only to the person who typed it).
        value: String,
        /// What was wrong with it.
        reason: &'static str,
    },
    /// An NHS number's tenth digit does not match the Modulus 11 check.
    #[error("NHS number {value:?} fails the Modulus 11 check: check digit should be {expected}")]
    NhsNumberCheckDigit {
        /// The text that was given.
        value: String,
        /// The check digit the first nine digits call for, or `"none (remainder 10)"`.
        expected: String,
    },
    /// A money amount could not be parsed.
    #[error("invalid money amount {value:?}: {reason}")]
    InvalidMoney {
        /// The text that was given.
        value: String,
        /// What was wrong with it.
        reason: &'static str,
    },
    /// A sum, difference or product of money does not fit in 64-bit pence.
    #[error("money overflow: {operation} does not fit in 64-bit pence")]
    MoneyOverflow {
        /// The operation, with its operands.
        operation: String,
    },
    /// A rate or unit price could not be parsed.
    #[error("invalid rate {value:?}: {reason}")]
    InvalidRate {
        /// The text that was given.
        value: String,
        /// What was wrong with it.
        reason: &'static str,
    },
    /// An allocation was asked for with no ratios, or ratios summing to zero.
    #[error(
        "cannot allocate {amount} by ratios {ratios:?}: the ratios must be non-empty and sum to more than zero"
    )]
    InvalidAllocation {
        /// The amount, in pence.
        amount: i64,
        /// The ratios given.
        ratios: Vec<u64>,
    },
    /// A financial year could not be parsed or is out of range.
    #[error("invalid financial year {value:?}: {reason}")]
    InvalidFinancialYear {
        /// The text or number that was given.
        value: String,
        /// What was wrong with it.
        reason: &'static str,
    },
    /// A calendar month could not be parsed or built.
    #[error("invalid month {value:?}: {reason}")]
    InvalidMonth {
        /// The text or number that was given.
        value: String,
        /// What was wrong with it.
        reason: &'static str,
    },
    /// A date range ended on or before it started.
    #[error("invalid date range from {from} to {to}: the end (exclusive) must be after the start")]
    EmptyDateRange {
        /// The first day of the range.
        from: NaiveDate,
        /// The first day after the range.
        to: NaiveDate,
    },
    /// A date range's text form could not be parsed.
    #[error("invalid date range {value:?}: {reason}")]
    InvalidDateRange {
        /// The text that was given.
        value: String,
        /// What was wrong with it.
        reason: &'static str,
    },
    /// A whole-time equivalent could not be parsed or is out of range.
    #[error("invalid WTE {value:?}: {reason}")]
    InvalidWte {
        /// The text or number that was given.
        value: String,
        /// What was wrong with it.
        reason: &'static str,
    },
    /// A WTE sum or difference went out of range.
    #[error("WTE arithmetic out of range: {operation}")]
    WteOverflow {
        /// The operation, with its operands.
        operation: String,
    },
    /// An identifier was not a UUID.
    #[error("invalid {kind} id {value:?}: not a UUID")]
    InvalidId {
        /// The kind of id (for example `patient`).
        kind: &'static str,
        /// The text that was given.
        value: String,
    },
    /// A SNOMED CT concept id was malformed.
    #[error("invalid SNOMED CT concept id {value:?}: {reason}")]
    InvalidSnomedCode {
        /// The text or number that was given.
        value: String,
        /// What was wrong with it.
        reason: &'static str,
    },
    /// A postcode did not have a UK postcode's shape.
    #[error(
        "invalid postcode {value:?}: expected an outward and an inward code such as \"TS18 1HU\""
    )]
    InvalidPostcode {
        /// The text that was given.
        value: String,
    },
    /// A latitude or longitude was out of range or not a number.
    #[error(
        "invalid location ({latitude}, {longitude}): latitude must be -90 to 90 and longitude -180 to 180 degrees"
    )]
    InvalidLocation {
        /// The latitude given, in degrees.
        latitude: String,
        /// The longitude given, in degrees.
        longitude: String,
    },
    /// The bits given for an [`EnumSet`](crate::EnumSet) set one past its last member.
    #[error("invalid set bits: bit {bit} is set, but only bits below {members} stand for a member")]
    InvalidSetBits {
        /// The lowest bit set past the last member.
        bit: u32,
        /// The number of members the set can hold.
        members: usize,
    },
    /// A role name was not one of the known roles.
    #[error(
        "unknown role {value:?}: expected one of the snake_case role names such as `gp` or `clinical_pharmacist`"
    )]
    UnknownRole {
        /// The text that was given.
        value: String,
    },
}
