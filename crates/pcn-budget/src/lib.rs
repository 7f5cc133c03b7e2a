//! Unified budgets: a pooled double-entry ledger and the Network Contract DES entitlement rules by year.

mod account;
mod claims;
mod error;
mod funding;
mod index;
mod ledger;
mod party;
mod population;
mod risk_share;
mod rules;
mod schedule;
mod transfer;
mod views;

pub use account::{Account, AccountKind, Balance, Limits, Purpose};
pub use claims::{ClaimBook, Reimbursement, ReimbursementClaim};
pub use error::BudgetError;
pub use funding::FundingStream;
pub use ledger::{Applied, Entry, Ledger, MonthClose, PendingState};
pub use party::{Actor, Party};
pub use population::{NetworkPopulation, PopulationBasis, PopulationCount, PracticePopulation};
pub use risk_share::{RiskShare, Settlement, Share};
pub use rules::{
    ArrsRules, EligibleRole, EntitlementRules, NetworkMaximum, PayArea, Payee, PaymentRule,
    RatePeriod, RoleCap, RoleRate, Source, UnpublishedPayment, YearRules,
};
pub use schedule::{MonthlyTotals, NetworkAllowance, Schedule, ScheduleLine};
pub use transfer::{Batch, Phase, Provenance, Reason, Transfer};
pub use views::{Plan, PlanLine, Totals, Variance, ViewRow};
