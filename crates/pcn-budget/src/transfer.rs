//! Transfers: who moved how much from which account to which, when and why.

use std::fmt;
use std::sync::Arc;

use chrono::NaiveDate;
use pcn_core::{AccountId, Money, TransferId};
use serde::{Deserialize, Serialize};

use crate::{Actor, BudgetError};

/// Why money moved: the kind of movement, for reports and audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Reason {
    /// A funder's payment into the budget (an entitlement, an investment).
    Funding,
    /// A partner's agreed contribution to the pooled budget.
    Contribution,
    /// Money allotted from one pot to another (from the pool to a team's pot).
    Allocation,
    /// Pay and employer on-costs of staff.
    Pay,
    /// A service, goods or premises bought from a provider.
    Purchase,
    /// Reimbursement of a claim (for example additional roles).
    Reimbursement,
    /// A commitment reserved ahead of spending (a year of a salary).
    Commitment,
    /// The correction of an earlier transfer by reversing it.
    Correction,
    /// A share of an under- or over-spend settled between partners.
    RiskShare,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            Self::Funding => "funding",
            Self::Contribution => "contribution",
            Self::Allocation => "allocation",
            Self::Pay => "pay",
            Self::Purchase => "purchase",
            Self::Reimbursement => "reimbursement",
            Self::Commitment => "commitment",
            Self::Correction => "correction",
            Self::RiskShare => "risk_share",
        };
        f.write_str(text)
    }
}

/// Who recorded a transfer, for which date, and why: every transfer carries one.
///
/// The date is the day the money moves (its value date): it decides the month the
/// transfer belongs to, whether that month is still open, and the balances as at any
/// date. The note is optional free text ("invoice 4471", "April salary").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// The day the money moves.
    pub date: NaiveDate,
    /// Who recorded the transfer.
    pub recorded_by: Actor,
    /// Why the money moved.
    pub reason: Reason,
    /// Free text for people, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Arc<str>>,
}

impl Provenance {
    /// A provenance without a note.
    #[must_use]
    pub const fn new(date: NaiveDate, recorded_by: Actor, reason: Reason) -> Self {
        Self {
            date,
            recorded_by,
            reason,
            note: None,
        }
    }

    /// The same provenance with a note.
    #[must_use]
    pub fn with_note(mut self, note: impl Into<Arc<str>>) -> Self {
        self.note = Some(note.into());
        self
    }
}

/// What a transfer does, in the manner of a two-phase ledger.
///
/// Serde gives `{"kind": "posted", "debit": ..., "credit": ..., "amount": 1250}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Phase {
    /// Moves `amount` from `debit` to `credit` at once.
    Posted {
        /// The account money leaves.
        debit: AccountId,
        /// The account money enters.
        credit: AccountId,
        /// How much, always above zero.
        amount: Money,
    },
    /// Reserves `amount` in `debit` for `credit` without moving it yet: the debit
    /// account's available balance falls at once, its balance only when posted.
    Pending {
        /// The account the money is reserved in.
        debit: AccountId,
        /// The account it is reserved for.
        credit: AccountId,
        /// How much, always above zero.
        amount: Money,
    },
    /// Posts an open pending transfer, in full (`amount` is `None`) or in part; what
    /// is not posted is released.
    PostPending {
        /// The pending transfer.
        pending: TransferId,
        /// How much to post, at most the amount reserved; `None` posts it all.
        amount: Option<Money>,
    },
    /// Releases an open pending transfer without moving any money.
    VoidPending {
        /// The pending transfer.
        pending: TransferId,
    },
    /// Corrects a posted transfer by moving the same amount back: history is never
    /// edited.
    Reversal {
        /// The transfer reversed.
        original: TransferId,
    },
}

/// One movement of money in a ledger: an idempotency id, what it does ([`Phase`]) and
/// who recorded it, when and why ([`Provenance`]).
///
/// The id is the transfer's idempotency key: applying the same transfer twice has the
/// effect of applying it once, and a different transfer under a used id is refused
/// ([`BudgetError::TransferIdReused`]).
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_budget::{Actor, Party, Provenance, Reason, Transfer};
/// use pcn_core::{AccountId, Money, NetworkId, TransferId};
/// let by = Actor::System(Party::Network(NetworkId::from_u128(1)));
/// let date = NaiveDate::from_ymd_opt(2024, 4, 30).ok_or("bad date")?;
/// let pay = Transfer::posted(
///     TransferId::from_u128(7),
///     AccountId::from_u128(1),
///     AccountId::from_u128(2),
///     Money::from_pence(450_000),
///     Provenance::new(date, by, Reason::Pay),
/// )?;
/// assert_eq!(pay.amount(), Some(Money::from_pence(450_000)));
/// assert!(Transfer::posted(TransferId::from_u128(8), AccountId::from_u128(1),
///     AccountId::from_u128(2), Money::ZERO, Provenance::new(date, by, Reason::Pay)).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "TransferFields")]
pub struct Transfer {
    id: TransferId,
    phase: Phase,
    #[serde(flatten)]
    provenance: Provenance,
}

/// The serde form of a transfer, checked on the way in.
#[derive(Deserialize)]
struct TransferFields {
    id: TransferId,
    phase: Phase,
    #[serde(flatten)]
    provenance: Provenance,
}

impl TryFrom<TransferFields> for Transfer {
    type Error = BudgetError;

    fn try_from(fields: TransferFields) -> Result<Self, Self::Error> {
        Self::new(fields.id, fields.phase, fields.provenance)
    }
}

impl Transfer {
    /// A transfer of any phase.
    ///
    /// # Errors
    /// [`BudgetError::NonPositiveAmount`] if an amount is zero or below;
    /// [`BudgetError::SameAccount`] if the debit and credit accounts are the same.
    pub fn new(id: TransferId, phase: Phase, provenance: Provenance) -> Result<Self, BudgetError> {
        match phase {
            Phase::Posted {
                debit,
                credit,
                amount,
            }
            | Phase::Pending {
                debit,
                credit,
                amount,
            } => {
                if amount.pence() <= 0 {
                    return Err(BudgetError::NonPositiveAmount { id, amount });
                }
                if debit == credit {
                    return Err(BudgetError::SameAccount { id, account: debit });
                }
            }
            Phase::PostPending {
                amount: Some(amount),
                ..
            } if amount.pence() <= 0 => {
                return Err(BudgetError::NonPositiveAmount { id, amount });
            }
            Phase::PostPending { .. } | Phase::VoidPending { .. } | Phase::Reversal { .. } => {}
        }
        Ok(Self {
            id,
            phase,
            provenance,
        })
    }

    /// Moves `amount` from `debit` to `credit` at once.
    ///
    /// # Errors
    /// As [`Transfer::new`].
    pub fn posted(
        id: TransferId,
        debit: AccountId,
        credit: AccountId,
        amount: Money,
        provenance: Provenance,
    ) -> Result<Self, BudgetError> {
        Self::new(
            id,
            Phase::Posted {
                debit,
                credit,
                amount,
            },
            provenance,
        )
    }

    /// Reserves `amount` in `debit` for `credit`, to post or void later.
    ///
    /// # Errors
    /// As [`Transfer::new`].
    pub fn pending(
        id: TransferId,
        debit: AccountId,
        credit: AccountId,
        amount: Money,
        provenance: Provenance,
    ) -> Result<Self, BudgetError> {
        Self::new(
            id,
            Phase::Pending {
                debit,
                credit,
                amount,
            },
            provenance,
        )
    }

    /// Posts the open pending transfer `pending`: all of it when `amount` is `None`,
    /// else `amount` of it, releasing the rest.
    ///
    /// # Errors
    /// [`BudgetError::NonPositiveAmount`] if `amount` is zero or below.
    pub fn post_pending(
        id: TransferId,
        pending: TransferId,
        amount: Option<Money>,
        provenance: Provenance,
    ) -> Result<Self, BudgetError> {
        Self::new(id, Phase::PostPending { pending, amount }, provenance)
    }

    /// Releases the open pending transfer `pending`.
    #[must_use]
    pub const fn void_pending(id: TransferId, pending: TransferId, provenance: Provenance) -> Self {
        Self {
            id,
            phase: Phase::VoidPending { pending },
            provenance,
        }
    }

    /// Reverses the posted transfer `original`: the correction of a mistake.
    #[must_use]
    pub const fn reversal(id: TransferId, original: TransferId, provenance: Provenance) -> Self {
        Self {
            id,
            phase: Phase::Reversal { original },
            provenance,
        }
    }

    /// The transfer's id, also its idempotency key.
    #[must_use]
    pub const fn id(&self) -> TransferId {
        self.id
    }

    /// What the transfer does.
    #[must_use]
    pub const fn phase(&self) -> &Phase {
        &self.phase
    }

    /// Who recorded it, for which date, and why.
    #[must_use]
    pub const fn provenance(&self) -> &Provenance {
        &self.provenance
    }

    /// The day the money moves.
    #[must_use]
    pub const fn date(&self) -> NaiveDate {
        self.provenance.date
    }

    /// The amount named in the transfer itself, if any (posted and pending transfers,
    /// and partial posts).
    #[must_use]
    pub const fn amount(&self) -> Option<Money> {
        match self.phase {
            Phase::Posted { amount, .. } | Phase::Pending { amount, .. } => Some(amount),
            Phase::PostPending { amount, .. } => amount,
            Phase::VoidPending { .. } | Phase::Reversal { .. } => None,
        }
    }
}

/// Transfers applied together, all or nothing: if any transfer is refused, none is
/// applied and the ledger is left exactly as it was.
///
/// ```
/// use pcn_budget::Batch;
/// let batch = Batch::new();
/// assert!(batch.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Batch {
    transfers: Vec<Transfer>,
}

impl Batch {
    /// An empty batch.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            transfers: Vec::new(),
        }
    }

    /// An empty batch with room for `capacity` transfers.
    #[must_use]
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            transfers: Vec::with_capacity(capacity),
        }
    }

    /// Adds a transfer at the end.
    pub fn push(&mut self, transfer: Transfer) {
        self.transfers.push(transfer);
    }

    /// The transfers, in order.
    #[must_use]
    pub fn transfers(&self) -> &[Transfer] {
        &self.transfers
    }

    /// How many transfers.
    #[must_use]
    pub fn len(&self) -> usize {
        self.transfers.len()
    }

    /// Whether the batch has no transfers.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.transfers.is_empty()
    }
}

impl From<Vec<Transfer>> for Batch {
    fn from(transfers: Vec<Transfer>) -> Self {
        Self { transfers }
    }
}

impl FromIterator<Transfer> for Batch {
    fn from_iter<I: IntoIterator<Item = Transfer>>(iter: I) -> Self {
        Self {
            transfers: iter.into_iter().collect(),
        }
    }
}
