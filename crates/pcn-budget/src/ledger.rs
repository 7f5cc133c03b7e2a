//! The ledger: accounts, transfers applied all or nothing, two-phase commitments,
//! month close and balances as at any date.

use std::collections::HashMap;

use chrono::NaiveDate;
use pcn_core::{AccountId, Money, TransferId, YearMonth};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::index::{IdMap, TransferIndex};
use crate::{Account, Actor, Balance, Batch, BudgetError, Phase, Purpose, Transfer};

/// No ring fence.
const NO_FENCE: u32 = u32::MAX;
/// No earlier transfer referred to.
const NO_TARGET: u32 = u32::MAX;

/// Status of a transfer record, kept apart from the history so the history itself
/// is never edited.
const STATUS_NONE: u8 = 0;
const STATUS_OPEN: u8 = 1;
const STATUS_POSTED: u8 = 2;
const STATUS_VOIDED: u8 = 3;
const STATUS_REVERSED: u8 = 4;

/// An account's money and limits, packed for the transfer loop.
#[derive(Debug, Clone, Copy)]
struct Slot {
    debits_posted: i64,
    credits_posted: i64,
    debits_pending: i64,
    credits_pending: i64,
    /// The floor in pence, `i64::MIN` for none.
    floor: i64,
    /// Index of the account's purpose in the purpose table.
    purpose: u32,
    /// Index of its ring fence in the fence table, or `NO_FENCE`.
    fence: u32,
}

impl Slot {
    const fn balance(&self) -> Balance {
        Balance {
            debits_posted: Money::from_pence(self.debits_posted),
            credits_posted: Money::from_pence(self.credits_posted),
            debits_pending: Money::from_pence(self.debits_pending),
            credits_pending: Money::from_pence(self.credits_pending),
        }
    }
}

/// A transfer as the ledger holds it: the transfer as given and its effect, with
/// the dense positions of its two accounts (128 bytes, so that history stays
/// compact in memory).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Record {
    transfer: Transfer,
    /// The money moved.
    posted: i64,
    /// The change in reserved money.
    pending_change: i64,
    debit_ix: u32,
    credit_ix: u32,
}

impl Record {
    pub(crate) const fn posted(&self) -> Money {
        Money::from_pence(self.posted)
    }

    pub(crate) const fn pending_change(&self) -> Money {
        Money::from_pence(self.pending_change)
    }

    pub(crate) const fn date(&self) -> NaiveDate {
        self.transfer.date()
    }

    pub(crate) const fn debit_index(&self) -> usize {
        self.debit_ix as usize
    }

    pub(crate) const fn credit_index(&self) -> usize {
        self.credit_ix as usize
    }
}

/// A transfer in a ledger's history: the transfer as given, the two accounts it
/// moved money between and its effect.
///
/// For a post or void the accounts are the pending transfer's; for a reversal they
/// are the original's, swapped. [`Entry::posted`] is the money moved (zero for a
/// pending transfer or a void); [`Entry::pending_change`] is the change in reserved
/// money (the amount for a pending transfer, minus the amount released for a post or
/// void). Serde gives the transfer with `debit`, `credit`, `posted` and
/// `pending_change` beside it.
#[derive(Clone, Copy)]
pub struct Entry<'a> {
    record: &'a Record,
    ledger: &'a Ledger,
}

impl<'a> Entry<'a> {
    /// The transfer as it was given.
    #[must_use]
    pub const fn transfer(&self) -> &'a Transfer {
        &self.record.transfer
    }

    /// The account debited.
    #[must_use]
    pub fn debit(&self) -> AccountId {
        self.ledger.accounts[self.record.debit_index()].id()
    }

    /// The account credited.
    #[must_use]
    pub fn credit(&self) -> AccountId {
        self.ledger.accounts[self.record.credit_index()].id()
    }

    /// The money moved.
    #[must_use]
    pub const fn posted(&self) -> Money {
        self.record.posted()
    }

    /// The change in reserved money.
    #[must_use]
    pub const fn pending_change(&self) -> Money {
        self.record.pending_change()
    }

    /// The day the money moved.
    #[must_use]
    pub const fn date(&self) -> NaiveDate {
        self.record.date()
    }
}

impl std::fmt::Debug for Entry<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry")
            .field("transfer", self.transfer())
            .field("debit", &self.debit())
            .field("credit", &self.credit())
            .field("posted", &self.posted())
            .field("pending_change", &self.pending_change())
            .finish()
    }
}

impl Serialize for Entry<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Fields<'t> {
            #[serde(flatten)]
            transfer: &'t Transfer,
            debit: AccountId,
            credit: AccountId,
            posted: Money,
            pending_change: Money,
        }
        Fields {
            transfer: self.transfer(),
            debit: self.debit(),
            credit: self.credit(),
            posted: self.posted(),
            pending_change: self.pending_change(),
        }
        .serialize(serializer)
    }
}

/// Where a pending transfer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PendingState {
    /// Still reserving its amount.
    Open,
    /// Posted, in full or in part.
    Posted,
    /// Voided.
    Voided,
}

/// What applying a batch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Applied {
    /// Transfers applied now.
    pub applied: usize,
    /// Transfers already applied earlier under the same id, and so not applied again.
    pub already_applied: usize,
}

/// A month closed: no transfer may be dated in it or before it any more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthClose {
    /// The month closed (and every month before it).
    pub month: YearMonth,
    /// Who closed it.
    pub closed_by: Actor,
    /// How many transfers the ledger held when it was closed.
    pub after_transfers: usize,
}

/// A unified budget's double-entry ledger, held in memory.
///
/// Its invariants, checked on every transfer (in the manner of TigerBeetle):
/// - every transfer debits one account and credits another by the same amount, so
///   the balances of all accounts always sum to zero;
/// - a batch applies all or nothing: if one transfer is refused, the ledger is left
///   exactly as it was, balances and history alike;
/// - a transfer id is an idempotency key: the same transfer applied again changes
///   nothing, and a different transfer under a used id is refused;
/// - a pending transfer reserves money (available = balance - pending debits) until
///   it is posted, in full or in part, or voided;
/// - no account's available balance goes below its floor, and a ring-fenced account
///   pays only for the purposes it allows; a refusal gives the figures;
/// - a closed month takes no more transfers; a mistake is corrected by a reversing
///   transfer, never by editing history; every transfer records who, when and why.
///
/// Accounts are held in dense vectors and found by id through a seeded hash index,
/// so applying a transfer costs a few memory reads and writes.
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_budget::{Account, Actor, Batch, FundingStream, Ledger, Party, Provenance, Purpose, Reason, Transfer};
/// use pcn_core::{AccountId, Money, NetworkId, OrganisationId, Role, TransferId};
///
/// let network = Party::Network(NetworkId::from_u128(1));
/// let trust = Party::Organisation(OrganisationId::from_u128(2));
/// let (icb, pot, pay) = (AccountId::from_u128(1), AccountId::from_u128(2), AccountId::from_u128(3));
/// let mut ledger = Ledger::new();
/// ledger.open(Account::funding(icb, "Core funding", FundingStream::CoreNetworkFunding, network))?;
/// ledger.open(Account::pot(pot, "Pooled pot", network, Purpose::General))?;
/// ledger.open(Account::spending(pay, "Trust pharmacists", trust, Purpose::Role(Role::ClinicalPharmacist)))?;
///
/// let day = NaiveDate::from_ymd_opt(2024, 4, 30).ok_or("bad date")?;
/// let by = Actor::System(network);
/// let mut batch = Batch::new();
/// batch.push(Transfer::posted(TransferId::from_u128(1), icb, pot, Money::from_pence(100_000), Provenance::new(day, by, Reason::Funding))?);
/// batch.push(Transfer::posted(TransferId::from_u128(2), pot, pay, Money::from_pence(60_000), Provenance::new(day, by, Reason::Pay))?);
/// ledger.apply(&batch)?;
/// assert_eq!(ledger.balance(pot).ok_or("no pot")?.balance(), Money::from_pence(40_000));
/// assert_eq!(ledger.sum_of_balances(), 0);
///
/// // Overspending is refused with the figures, and nothing changes.
/// let too_much = Transfer::posted(TransferId::from_u128(3), pot, pay, Money::from_pence(50_000), Provenance::new(day, by, Reason::Pay))?;
/// let error = ledger.apply_transfer(&too_much).unwrap_err();
/// assert!(error.to_string().contains("£400.00 available"));
/// assert_eq!(ledger.history().len(), 2);
///
/// // Applying the same batch again changes nothing.
/// assert_eq!(ledger.apply(&batch)?.already_applied, 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Ledger {
    accounts: Vec<Account>,
    slots: Vec<Slot>,
    account_index: IdMap,
    purposes: Vec<Purpose>,
    purpose_index: HashMap<Purpose, u32>,
    fences: Vec<Vec<u32>>,
    records: Vec<Record>,
    status: Vec<u8>,
    transfer_index: TransferIndex,
    /// Open pending transfers by id: the few that posts and voids look up.
    open_pending: IdMap,
    closes: Vec<MonthClose>,
    /// The first day of the first open month; `NaiveDate::MIN` while none is closed.
    open_from: NaiveDate,
}

/// Converts a dense position to the `u32` the tables hold.
fn position(value: usize) -> Result<u32, BudgetError> {
    u32::try_from(value)
        .ok()
        .filter(|p| *p != u32::MAX)
        .ok_or_else(|| BudgetError::InvalidSnapshot {
            reason: "a ledger holds at most 4,294,967,294 accounts or transfers".to_owned(),
        })
}

impl Ledger {
    /// An empty ledger.
    #[must_use]
    pub fn new() -> Self {
        Self {
            accounts: Vec::new(),
            slots: Vec::new(),
            account_index: IdMap::default(),
            purposes: Vec::new(),
            purpose_index: HashMap::new(),
            fences: Vec::new(),
            records: Vec::new(),
            status: Vec::new(),
            transfer_index: TransferIndex::default(),
            open_pending: IdMap::default(),
            closes: Vec::new(),
            open_from: NaiveDate::MIN,
        }
    }

    fn purpose_position(&mut self, purpose: Purpose) -> Result<u32, BudgetError> {
        if let Some(&p) = self.purpose_index.get(&purpose) {
            return Ok(p);
        }
        let p = position(self.purposes.len())?;
        self.purposes.push(purpose);
        self.purpose_index.insert(purpose, p);
        Ok(p)
    }

    /// Opens an account, with a balance of zero.
    ///
    /// # Errors
    /// [`BudgetError::DuplicateAccount`] if an account with its id is already open.
    pub fn open(&mut self, account: Account) -> Result<(), BudgetError> {
        let key = account.id().as_uuid().as_u128();
        if self.account_index.contains_key(&key) {
            return Err(BudgetError::DuplicateAccount { id: account.id() });
        }
        let slot_position = position(self.accounts.len())?;
        let purpose = self.purpose_position(account.purpose())?;
        let fence = match &account.limits().ring_fence {
            None => NO_FENCE,
            Some(allowed) => {
                let mut list = Vec::with_capacity(allowed.len());
                for p in allowed {
                    list.push(self.purpose_position(*p)?);
                }
                let fence = position(self.fences.len())?;
                self.fences.push(list);
                fence
            }
        };
        let floor = account.limits().floor.map_or(i64::MIN, Money::pence);
        self.slots.push(Slot {
            debits_posted: 0,
            credits_posted: 0,
            debits_pending: 0,
            credits_pending: 0,
            floor,
            purpose,
            fence,
        });
        self.accounts.push(account);
        self.account_index.insert(key, slot_position);
        Ok(())
    }

    /// The account with this id, if open.
    #[must_use]
    pub fn account(&self, id: AccountId) -> Option<&Account> {
        self.index_of(id).map(|i| &self.accounts[i])
    }

    /// Every account, in the order opened.
    #[must_use]
    pub fn accounts(&self) -> &[Account] {
        &self.accounts
    }

    pub(crate) fn index_of(&self, id: AccountId) -> Option<usize> {
        self.account_index
            .get(&id.as_uuid().as_u128())
            .map(|p| *p as usize)
    }

    pub(crate) fn balance_at(&self, index: usize) -> Balance {
        self.slots[index].balance()
    }

    /// The account's posted and pending debits and credits now.
    #[must_use]
    pub fn balance(&self, id: AccountId) -> Option<Balance> {
        self.index_of(id).map(|i| self.slots[i].balance())
    }

    /// Every transfer applied, in the order applied.
    pub fn history(&self) -> impl ExactSizeIterator<Item = Entry<'_>> + DoubleEndedIterator {
        self.records.iter().map(|record| Entry {
            record,
            ledger: self,
        })
    }

    /// How many transfers have been applied.
    #[must_use]
    pub fn transfer_count(&self) -> usize {
        self.records.len()
    }

    /// The transfer applied under this id, if any.
    #[must_use]
    pub fn transfer(&self, id: TransferId) -> Option<Entry<'_>> {
        self.transfer_index
            .get(id.as_uuid().as_u128())
            .map(|p| Entry {
                record: &self.records[p as usize],
                ledger: self,
            })
    }

    pub(crate) fn records(&self) -> &[Record] {
        &self.records
    }

    /// Where the pending transfer `id` stands, or `None` if the ledger holds no
    /// pending transfer with that id.
    #[must_use]
    pub fn pending_state(&self, id: TransferId) -> Option<PendingState> {
        let p = self.transfer_index.get(id.as_uuid().as_u128())? as usize;
        match self.status[p] {
            STATUS_OPEN => Some(PendingState::Open),
            STATUS_POSTED => Some(PendingState::Posted),
            STATUS_VOIDED => Some(PendingState::Voided),
            _ => None,
        }
    }

    /// Whether the posted transfer `id` has been reversed.
    #[must_use]
    pub fn is_reversed(&self, id: TransferId) -> bool {
        self.transfer_index
            .get(id.as_uuid().as_u128())
            .is_some_and(|p| self.status[p as usize] == STATUS_REVERSED)
    }

    /// The sum of every account's balance, in pence: always zero.
    #[must_use]
    pub fn sum_of_balances(&self) -> i128 {
        self.slots
            .iter()
            .map(|s| i128::from(s.credits_posted) - i128::from(s.debits_posted))
            .sum()
    }

    /// The accounts whose available balance is below their floor: always none.
    #[must_use]
    pub fn accounts_below_floor(&self) -> Vec<AccountId> {
        self.slots
            .iter()
            .zip(&self.accounts)
            .filter(|(s, _)| {
                i128::from(s.credits_posted)
                    - i128::from(s.debits_posted)
                    - i128::from(s.debits_pending)
                    < i128::from(s.floor)
            })
            .map(|(_, a)| a.id())
            .collect()
    }

    /// Makes room for `additional` more transfers, so that applying them allocates
    /// no more memory.
    pub fn reserve(&mut self, additional: usize) {
        self.records.reserve(additional);
        self.status.reserve(additional);
        self.transfer_index.reserve(additional);
    }

    /// Applies a batch of transfers, all or nothing.
    ///
    /// Transfers already applied under the same id (earlier, or earlier in the same
    /// batch) are counted in [`Applied::already_applied`] and change nothing.
    ///
    /// # Errors
    /// [`BudgetError::BatchRejected`], naming the first transfer refused and why; the
    /// ledger is then exactly as it was before the call.
    pub fn apply(&mut self, batch: &Batch) -> Result<Applied, BudgetError> {
        let start = self.records.len();
        let transfers = batch.transfers();
        self.reserve(transfers.len());
        let mut already_applied = 0;
        for (index, transfer) in transfers.iter().enumerate() {
            match self.apply_unchecked_batch(transfer) {
                Ok(true) => {}
                Ok(false) => already_applied += 1,
                Err(source) => {
                    self.roll_back_to(start);
                    return Err(BudgetError::BatchRejected {
                        index,
                        id: transfer.id(),
                        source: Box::new(source),
                    });
                }
            }
        }
        Ok(Applied {
            applied: self.records.len() - start,
            already_applied,
        })
    }

    /// Applies one transfer.
    ///
    /// # Errors
    /// The reason it was refused (see [`BudgetError`]); the ledger is then exactly as
    /// it was.
    pub fn apply_transfer(&mut self, transfer: &Transfer) -> Result<Applied, BudgetError> {
        let applied = self.apply_unchecked_batch(transfer)?;
        Ok(Applied {
            applied: usize::from(applied),
            already_applied: usize::from(!applied),
        })
    }

    fn slot_of(&self, account: AccountId, transfer: TransferId) -> Result<usize, BudgetError> {
        self.index_of(account)
            .ok_or(BudgetError::UnknownAccount { transfer, account })
    }

    fn target_of(&self, transfer: TransferId, target: TransferId) -> Result<usize, BudgetError> {
        self.transfer_index
            .get(target.as_uuid().as_u128())
            .map(|p| p as usize)
            .ok_or(BudgetError::UnknownTransfer { transfer, target })
    }

    fn check_fence(
        &self,
        debit: usize,
        credit: usize,
        transfer: TransferId,
    ) -> Result<(), BudgetError> {
        let fence = self.slots[debit].fence;
        if fence == NO_FENCE {
            return Ok(());
        }
        let purpose = self.slots[credit].purpose;
        if self.fences[fence as usize].contains(&purpose) {
            return Ok(());
        }
        let account = &self.accounts[debit];
        Err(BudgetError::RingFenced {
            transfer,
            account: account.id(),
            name: account.name().to_owned(),
            purpose: self.purposes[purpose as usize],
            allowed: account.limits().ring_fence.clone().unwrap_or_default(),
        })
    }

    /// Applies one transfer, checking everything before changing anything. Returns
    /// `false` if it was already applied.
    fn apply_unchecked_batch(&mut self, transfer: &Transfer) -> Result<bool, BudgetError> {
        let id = transfer.id();
        let key = id.as_uuid().as_u128();
        if let Some(p) = self.transfer_index.get(key) {
            return if self.records[p as usize].transfer == *transfer {
                Ok(false)
            } else {
                Err(BudgetError::TransferIdReused { id })
            };
        }
        if transfer.date() < self.open_from
            && let Some(close) = self.closes.last()
        {
            return Err(BudgetError::PeriodClosed {
                transfer: id,
                date: transfer.date(),
                closed_through: close.month,
            });
        }
        let (debit, credit, posted, pending_change, target, status) = match *transfer.phase() {
            Phase::Posted {
                debit,
                credit,
                amount,
            } => {
                let d = self.slot_of(debit, id)?;
                let c = self.slot_of(credit, id)?;
                self.check_fence(d, c, id)?;
                (d, c, amount.pence(), 0, NO_TARGET, STATUS_NONE)
            }
            Phase::Pending {
                debit,
                credit,
                amount,
            } => {
                let d = self.slot_of(debit, id)?;
                let c = self.slot_of(credit, id)?;
                self.check_fence(d, c, id)?;
                (d, c, 0, amount.pence(), NO_TARGET, STATUS_OPEN)
            }
            Phase::PostPending { pending, amount } => {
                let p = self.open_pending(id, pending)?;
                let record = &self.records[p];
                let reserved = record.pending_change;
                let posted = amount.map_or(reserved, Money::pence);
                if posted > reserved {
                    return Err(BudgetError::PostExceedsPending {
                        transfer: id,
                        pending,
                        amount: Money::from_pence(posted),
                        reserved: Money::from_pence(reserved),
                    });
                }
                (
                    record.debit_index(),
                    record.credit_index(),
                    posted,
                    -reserved,
                    position(p)?,
                    STATUS_NONE,
                )
            }
            Phase::VoidPending { pending } => {
                let p = self.open_pending(id, pending)?;
                let record = &self.records[p];
                (
                    record.debit_index(),
                    record.credit_index(),
                    0,
                    -record.pending_change,
                    position(p)?,
                    STATUS_NONE,
                )
            }
            Phase::Reversal { original } => {
                let p = self.target_of(id, original)?;
                let record = &self.records[p];
                let refuse = |reason| BudgetError::CannotReverse {
                    transfer: id,
                    original,
                    reason,
                };
                match record.transfer.phase() {
                    Phase::Pending { .. } | Phase::VoidPending { .. } => {
                        return Err(refuse(
                            "it moved no money (void a pending transfer instead)",
                        ));
                    }
                    Phase::Reversal { .. } => {
                        return Err(refuse(
                            "it is itself a reversal (record a new transfer instead)",
                        ));
                    }
                    Phase::Posted { .. } | Phase::PostPending { .. } => {}
                }
                if self.status[p] == STATUS_REVERSED {
                    return Err(refuse("it has already been reversed"));
                }
                (
                    record.credit_index(),
                    record.debit_index(),
                    record.posted,
                    0,
                    position(p)?,
                    STATUS_NONE,
                )
            }
        };
        self.check_limits(transfer, debit, credit, posted, pending_change)?;
        self.move_money(debit, credit, posted, pending_change);
        let record_position = position(self.records.len())?;
        match transfer.phase() {
            Phase::Pending { .. } => {
                self.open_pending.insert(key, record_position);
            }
            Phase::PostPending { pending, .. } | Phase::VoidPending { pending } => {
                self.open_pending.remove(&pending.as_uuid().as_u128());
                self.status[target as usize] =
                    if matches!(transfer.phase(), Phase::PostPending { .. }) {
                        STATUS_POSTED
                    } else {
                        STATUS_VOIDED
                    };
            }
            Phase::Reversal { .. } => self.status[target as usize] = STATUS_REVERSED,
            Phase::Posted { .. } => {}
        }
        self.records.push(Record {
            transfer: transfer.clone(),
            posted,
            pending_change,
            // Both indices came from `position`, so they fit.
            debit_ix: self.account_index_u32(debit),
            credit_ix: self.account_index_u32(credit),
        });
        self.status.push(status);
        self.transfer_index.insert(key, record_position);
        Ok(true)
    }

    #[allow(clippy::cast_possible_truncation)] // Account positions are checked to fit at `open`.
    const fn account_index_u32(&self, index: usize) -> u32 {
        index as u32
    }

    fn open_pending(
        &self,
        transfer: TransferId,
        pending: TransferId,
    ) -> Result<usize, BudgetError> {
        if let Some(p) = self.open_pending.get(&pending.as_uuid().as_u128()) {
            return Ok(*p as usize);
        }
        let p = self.target_of(transfer, pending)?;
        let state = match self.status[p] {
            STATUS_OPEN => return Ok(p),
            STATUS_POSTED => "already posted",
            STATUS_VOIDED => "already voided",
            _ => "not a pending transfer",
        };
        Err(BudgetError::PendingNotOpen {
            transfer,
            pending,
            state,
        })
    }

    /// Checks that moving `posted` and changing reservations by `pending_change`
    /// keeps every balance in range and the debit account above its floor.
    fn check_limits(
        &self,
        transfer: &Transfer,
        debit: usize,
        credit: usize,
        posted: i64,
        pending_change: i64,
    ) -> Result<(), BudgetError> {
        let d = &self.slots[debit];
        let c = &self.slots[credit];
        let overflow = |account: usize| BudgetError::BalanceOverflow {
            transfer: transfer.id(),
            account: self.accounts[account].id(),
        };
        // Each account's posted plus pending debits (and credits) must fit, which
        // keeps every balance and available figure in range.
        let debits_out = d
            .debits_posted
            .checked_add(d.debits_pending)
            .and_then(|v| v.checked_add(posted))
            .and_then(|v| v.checked_add(pending_change))
            .ok_or_else(|| overflow(debit))?;
        c.credits_posted
            .checked_add(c.credits_pending)
            .and_then(|v| v.checked_add(posted))
            .and_then(|v| v.checked_add(pending_change))
            .ok_or_else(|| overflow(credit))?;
        let taken = posted + pending_change;
        if taken > 0 && d.floor != i64::MIN {
            let available_after = d.credits_posted - debits_out;
            if available_after < d.floor {
                let account = &self.accounts[debit];
                return Err(BudgetError::InsufficientFunds {
                    transfer: transfer.id(),
                    account: account.id(),
                    name: account.name().to_owned(),
                    available: d.balance().available(),
                    amount: Money::from_pence(taken),
                    floor: Money::from_pence(d.floor),
                });
            }
        }
        Ok(())
    }

    fn move_money(&mut self, debit: usize, credit: usize, posted: i64, pending_change: i64) {
        let d = &mut self.slots[debit];
        d.debits_posted += posted;
        d.debits_pending += pending_change;
        let c = &mut self.slots[credit];
        c.credits_posted += posted;
        c.credits_pending += pending_change;
    }

    /// Undoes every transfer applied after the first `start`, newest first.
    fn roll_back_to(&mut self, start: usize) {
        while self.records.len() > start {
            let Some(record) = self.records.pop() else {
                break;
            };
            self.status.pop();
            let (posted, pending) = (record.posted, record.pending_change);
            let d = &mut self.slots[record.debit_ix as usize];
            d.debits_posted -= posted;
            d.debits_pending -= pending;
            let c = &mut self.slots[record.credit_ix as usize];
            c.credits_posted -= posted;
            c.credits_pending -= pending;
            self.transfer_index
                .remove_newest(record.transfer.id().as_uuid().as_u128());
            match *record.transfer.phase() {
                Phase::Pending { .. } => {
                    self.open_pending
                        .remove(&record.transfer.id().as_uuid().as_u128());
                }
                Phase::PostPending { pending, .. } | Phase::VoidPending { pending } => {
                    // The pending transfer came earlier, so it is still indexed.
                    let key = pending.as_uuid().as_u128();
                    if let Some(target) = self.transfer_index.get(key) {
                        self.status[target as usize] = STATUS_OPEN;
                        self.open_pending.insert(key, target);
                    }
                }
                Phase::Reversal { original } => {
                    if let Some(target) = self.transfer_index.get(original.as_uuid().as_u128()) {
                        self.status[target as usize] = STATUS_NONE;
                    }
                }
                Phase::Posted { .. } => {}
            }
        }
    }

    /// Closes `month` and every month before it: no transfer dated in them is
    /// accepted afterwards. Corrections to a closed month are reversing transfers
    /// dated in an open month.
    ///
    /// # Errors
    /// [`BudgetError::MonthAlreadyClosed`] if `month` is already closed.
    pub fn close_month(&mut self, month: YearMonth, closed_by: Actor) -> Result<(), BudgetError> {
        if let Some(last) = self.closes.last()
            && month <= last.month
        {
            return Err(BudgetError::MonthAlreadyClosed {
                month,
                closed_through: last.month,
            });
        }
        self.closes.push(MonthClose {
            month,
            closed_by,
            after_transfers: self.records.len(),
        });
        self.open_from = month.next().first_day();
        Ok(())
    }

    /// The last closed month, if any.
    #[must_use]
    pub fn closed_through(&self) -> Option<YearMonth> {
        self.closes.last().map(|c| c.month)
    }

    /// Every month close, in order.
    #[must_use]
    pub fn closes(&self) -> &[MonthClose] {
        &self.closes
    }

    /// The account's posted balance at the end of `date`: every transfer dated on or
    /// before it, whenever it was recorded.
    #[must_use]
    pub fn balance_as_at(&self, id: AccountId, date: NaiveDate) -> Option<Money> {
        let index = self.index_of(id)?;
        let (mut credits, mut debits) = (0i64, 0i64);
        for record in &self.records {
            if record.date() <= date && record.posted != 0 {
                if record.credit_index() == index {
                    credits += record.posted;
                }
                if record.debit_index() == index {
                    debits += record.posted;
                }
            }
        }
        Some(Money::from_pence(credits - debits))
    }

    /// Every account's posted balance at the end of `date`, in the order opened.
    #[must_use]
    pub fn balances_as_at(&self, date: NaiveDate) -> Vec<(AccountId, Money)> {
        // Each account's posted credits (and debits) up to a date are part of its
        // posted credits (debits) now, which fit in 64 bits, so these sums do too.
        let mut credits = vec![0i64; self.accounts.len()];
        let mut debits = vec![0i64; self.accounts.len()];
        for record in &self.records {
            if record.date() <= date {
                credits[record.credit_index()] += record.posted;
                debits[record.debit_index()] += record.posted;
            }
        }
        self.accounts
            .iter()
            .zip(credits.into_iter().zip(debits))
            .map(|(a, (c, d))| (a.id(), Money::from_pence(c - d)))
            .collect()
    }
}

/// The serde form of a ledger: its accounts, the transfers in the order applied, and
/// the month closes. Loading replays it, checking every invariant again.
#[derive(Serialize, Deserialize)]
struct Snapshot<T> {
    accounts: Vec<Account>,
    transfers: Vec<T>,
    closes: Vec<MonthClose>,
}

impl Serialize for Ledger {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Snapshot {
            accounts: self.accounts.clone(),
            transfers: self.records.iter().map(|r| &r.transfer).collect(),
            closes: self.closes.clone(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Ledger {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let snapshot = Snapshot::<Transfer>::deserialize(deserializer)?;
        Ledger::replay(snapshot).map_err(serde::de::Error::custom)
    }
}

impl Default for Ledger {
    fn default() -> Self {
        Self::new()
    }
}

impl Ledger {
    fn replay(snapshot: Snapshot<Transfer>) -> Result<Self, BudgetError> {
        let mut ledger = Self::new();
        for account in snapshot.accounts {
            ledger.open(account)?;
        }
        let mut transfers = snapshot.transfers.into_iter();
        let mut applied = 0;
        for close in snapshot.closes {
            let count = close.after_transfers.checked_sub(applied).ok_or_else(|| {
                BudgetError::InvalidSnapshot {
                    reason: "month closes are out of order".to_owned(),
                }
            })?;
            let batch: Batch = transfers.by_ref().take(count).collect();
            if batch.len() != count {
                return Err(BudgetError::InvalidSnapshot {
                    reason: format!(
                        "a month close follows transfer {}, but there are only {}",
                        close.after_transfers,
                        applied + batch.len()
                    ),
                });
            }
            ledger.apply(&batch)?;
            applied += count;
            ledger.close_month(close.month, close.closed_by)?;
        }
        let rest: Batch = transfers.collect();
        ledger.apply(&rest)?;
        if ledger.history().len() != applied + rest.len() {
            return Err(BudgetError::InvalidSnapshot {
                reason: "the snapshot repeats a transfer".to_owned(),
            });
        }
        Ok(ledger)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FundingStream, Party, Provenance, Reason};
    use pcn_core::{NetworkId, OrganisationId, Role};

    const NETWORK: Party = Party::Network(NetworkId::from_u128(1));
    const TRUST: Party = Party::Organisation(OrganisationId::from_u128(2));
    const FUNDER: AccountId = AccountId::from_u128(1);
    const ARRS: AccountId = AccountId::from_u128(2);
    const POOL: AccountId = AccountId::from_u128(3);
    const PHARMACISTS: AccountId = AccountId::from_u128(4);
    const PAY_PHARMACIST: AccountId = AccountId::from_u128(5);
    const PAY_GENERAL: AccountId = AccountId::from_u128(6);

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, m, d).unwrap()
    }

    fn why(m: u32, d: u32) -> Provenance {
        Provenance::new(day(m, d), Actor::System(NETWORK), Reason::Pay)
    }

    fn pence(p: i64) -> Money {
        Money::from_pence(p)
    }

    fn ledger() -> Ledger {
        let role = Purpose::Role(Role::ClinicalPharmacist);
        let mut l = Ledger::new();
        l.open(Account::funding(
            FUNDER,
            "ICB",
            FundingStream::CommissionerInvestment,
            NETWORK,
        ))
        .unwrap();
        l.open(
            Account::funding(ARRS, "ARRS", FundingStream::RoleReimbursement, NETWORK)
                .with_floor(pence(-50_000))
                .ring_fenced_to([role]),
        )
        .unwrap();
        l.open(Account::pot(POOL, "Pool", NETWORK, Purpose::General))
            .unwrap();
        l.open(Account::pot(PHARMACISTS, "Pharmacists", NETWORK, role).ring_fenced_to([role]))
            .unwrap();
        l.open(Account::spending(
            PAY_PHARMACIST,
            "Trust pharmacists",
            TRUST,
            role,
        ))
        .unwrap();
        l.open(Account::spending(
            PAY_GENERAL,
            "Trust general",
            TRUST,
            Purpose::General,
        ))
        .unwrap();
        l
    }

    fn posted(id: u128, d: AccountId, c: AccountId, p: i64) -> Transfer {
        Transfer::posted(TransferId::from_u128(id), d, c, pence(p), why(4, 10)).unwrap()
    }

    fn state(l: &Ledger) -> String {
        let balances: Vec<_> = l.accounts().iter().map(|a| l.balance(a.id())).collect();
        let statuses: Vec<_> = l
            .history()
            .map(|r| {
                (
                    l.pending_state(r.transfer().id()),
                    l.is_reversed(r.transfer().id()),
                )
            })
            .collect();
        format!(
            "{}|{balances:?}|{statuses:?}",
            serde_json::to_string(l).unwrap()
        )
    }

    #[test]
    fn a_transfer_moves_money_and_balances_sum_to_zero() {
        let mut l = ledger();
        l.apply_transfer(&posted(1, FUNDER, POOL, 10_000)).unwrap();
        l.apply_transfer(&posted(2, POOL, PAY_GENERAL, 2_500))
            .unwrap();
        assert_eq!(l.balance(FUNDER).unwrap().balance(), pence(-10_000));
        assert_eq!(l.balance(POOL).unwrap().balance(), pence(7_500));
        assert_eq!(l.balance(PAY_GENERAL).unwrap().balance(), pence(2_500));
        assert_eq!(l.sum_of_balances(), 0);
        assert_eq!(l.transfer(TransferId::from_u128(2)).unwrap().debit(), POOL);
    }

    #[test]
    fn overspending_a_pot_is_refused_with_the_figures_and_changes_nothing() {
        let mut l = ledger();
        l.apply_transfer(&posted(1, FUNDER, POOL, 10_000)).unwrap();
        let before = state(&l);
        let err = l
            .apply_transfer(&posted(2, POOL, PAY_GENERAL, 10_001))
            .unwrap_err();
        assert_eq!(
            err,
            BudgetError::InsufficientFunds {
                transfer: TransferId::from_u128(2),
                account: POOL,
                name: "Pool".to_owned(),
                available: pence(10_000),
                amount: pence(10_001),
                floor: Money::ZERO,
            }
        );
        assert!(
            err.to_string()
                .contains("£100.00 available and may not go below £0.00")
        );
        assert_eq!(state(&l), before);
    }

    #[test]
    fn a_capped_funding_stream_cannot_pay_in_more_than_agreed() {
        let mut l = ledger();
        l.apply_transfer(&posted(1, ARRS, PHARMACISTS, 50_000))
            .unwrap();
        let err = l
            .apply_transfer(&posted(2, ARRS, PHARMACISTS, 1))
            .unwrap_err();
        assert!(
            matches!(err, BudgetError::InsufficientFunds { floor, .. } if floor == pence(-50_000))
        );
    }

    #[test]
    fn ring_fenced_money_pays_only_for_its_purposes() {
        let mut l = ledger();
        l.apply_transfer(&posted(1, ARRS, PHARMACISTS, 10_000))
            .unwrap();
        let err = l
            .apply_transfer(&posted(2, ARRS, POOL, 10_000))
            .unwrap_err();
        assert!(matches!(
            err,
            BudgetError::RingFenced {
                purpose: Purpose::General,
                ..
            }
        ));
        let err = l
            .apply_transfer(&posted(3, PHARMACISTS, PAY_GENERAL, 100))
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("may pay only for role clinical_pharmacist")
        );
        l.apply_transfer(&posted(4, PHARMACISTS, PAY_PHARMACIST, 100))
            .unwrap();
        // A reversal returns money where it came from, whatever the fence.
        let undo = Transfer::reversal(
            TransferId::from_u128(5),
            TransferId::from_u128(1),
            why(4, 11),
        );
        assert!(
            l.apply_transfer(&undo).is_err(),
            "the pot has spent part of it"
        );
        let refund = Transfer::reversal(
            TransferId::from_u128(6),
            TransferId::from_u128(4),
            why(4, 11),
        );
        l.apply_transfer(&refund).unwrap();
        l.apply_transfer(&undo).unwrap();
        assert_eq!(l.balance(ARRS).unwrap().balance(), Money::ZERO);
        assert_eq!(l.sum_of_balances(), 0);
    }

    #[test]
    fn the_same_transfer_twice_counts_once_and_a_reused_id_is_refused() {
        let mut l = ledger();
        let t = posted(1, FUNDER, POOL, 10_000);
        assert_eq!(l.apply_transfer(&t).unwrap().applied, 1);
        assert_eq!(l.apply_transfer(&t).unwrap().already_applied, 1);
        assert_eq!(l.balance(POOL).unwrap().balance(), pence(10_000));
        let other = posted(1, FUNDER, POOL, 10_001);
        assert_eq!(
            l.apply_transfer(&other).unwrap_err(),
            BudgetError::TransferIdReused {
                id: TransferId::from_u128(1)
            }
        );
    }

    #[test]
    fn a_batch_applies_all_or_nothing() {
        let mut l = ledger();
        l.apply_transfer(&posted(1, FUNDER, POOL, 10_000)).unwrap();
        let pending = Transfer::pending(
            TransferId::from_u128(9),
            POOL,
            PAY_GENERAL,
            pence(1_000),
            why(4, 12),
        )
        .unwrap();
        l.apply_transfer(&pending).unwrap();
        let before = state(&l);
        let batch: Batch = vec![
            posted(2, FUNDER, POOL, 5_000),
            Transfer::post_pending(
                TransferId::from_u128(3),
                TransferId::from_u128(9),
                Some(pence(400)),
                why(4, 13),
            )
            .unwrap(),
            Transfer::reversal(
                TransferId::from_u128(4),
                TransferId::from_u128(1),
                why(4, 13),
            ),
            posted(5, POOL, PAY_GENERAL, 4_601),
        ]
        .into();
        let err = l.apply(&batch).unwrap_err();
        assert!(
            matches!(err, BudgetError::BatchRejected { index: 3, .. }),
            "{err}"
        );
        assert_eq!(state(&l), before);
        assert_eq!(
            l.pending_state(TransferId::from_u128(9)),
            Some(PendingState::Open)
        );
        assert!(!l.is_reversed(TransferId::from_u128(1)));
        // The same batch without its last transfer applies whole.
        let good: Batch = batch.transfers()[..3].iter().cloned().collect();
        assert_eq!(l.apply(&good).unwrap().applied, 3);
    }

    #[test]
    fn pending_transfers_reserve_then_post_in_part_or_void() {
        let mut l = ledger();
        l.apply_transfer(&posted(1, FUNDER, POOL, 10_000)).unwrap();
        let reserve = |id, p| {
            Transfer::pending(
                TransferId::from_u128(id),
                POOL,
                PAY_GENERAL,
                pence(p),
                why(4, 12),
            )
            .unwrap()
        };
        l.apply_transfer(&reserve(2, 6_000)).unwrap();
        let b = l.balance(POOL).unwrap();
        assert_eq!((b.balance(), b.available()), (pence(10_000), pence(4_000)));
        // A second reservation beyond what is available is refused.
        assert!(matches!(
            l.apply_transfer(&reserve(3, 4_001)).unwrap_err(),
            BudgetError::InsufficientFunds { .. }
        ));
        let too_much = Transfer::post_pending(
            TransferId::from_u128(4),
            TransferId::from_u128(2),
            Some(pence(6_001)),
            why(4, 20),
        )
        .unwrap();
        assert!(matches!(
            l.apply_transfer(&too_much).unwrap_err(),
            BudgetError::PostExceedsPending { .. }
        ));
        let part = Transfer::post_pending(
            TransferId::from_u128(5),
            TransferId::from_u128(2),
            Some(pence(5_500)),
            why(4, 20),
        )
        .unwrap();
        l.apply_transfer(&part).unwrap();
        let b = l.balance(POOL).unwrap();
        assert_eq!(
            (b.balance(), b.available(), b.debits_pending),
            (pence(4_500), pence(4_500), Money::ZERO)
        );
        assert_eq!(
            l.pending_state(TransferId::from_u128(2)),
            Some(PendingState::Posted)
        );
        let again = Transfer::void_pending(
            TransferId::from_u128(6),
            TransferId::from_u128(2),
            why(4, 21),
        );
        assert!(matches!(
            l.apply_transfer(&again).unwrap_err(),
            BudgetError::PendingNotOpen {
                state: "already posted",
                ..
            }
        ));
        l.apply_transfer(&reserve(7, 1_000)).unwrap();
        let void = Transfer::void_pending(
            TransferId::from_u128(8),
            TransferId::from_u128(7),
            why(4, 21),
        );
        l.apply_transfer(&void).unwrap();
        assert_eq!(l.balance(POOL).unwrap().available(), pence(4_500));
        assert_eq!(l.balance(PAY_GENERAL).unwrap().credits_pending, Money::ZERO);
        let not_pending = Transfer::void_pending(
            TransferId::from_u128(9),
            TransferId::from_u128(1),
            why(4, 21),
        );
        assert!(matches!(
            l.apply_transfer(&not_pending).unwrap_err(),
            BudgetError::PendingNotOpen {
                state: "not a pending transfer",
                ..
            }
        ));
    }

    #[test]
    fn reversals_correct_once_and_only_posted_money() {
        let mut l = ledger();
        l.apply_transfer(&posted(1, FUNDER, POOL, 10_000)).unwrap();
        let undo = |id, of| {
            Transfer::reversal(
                TransferId::from_u128(id),
                TransferId::from_u128(of),
                why(4, 15),
            )
        };
        l.apply_transfer(&undo(2, 1)).unwrap();
        assert!(l.is_reversed(TransferId::from_u128(1)));
        assert_eq!(l.balance(POOL).unwrap().balance(), Money::ZERO);
        assert!(matches!(
            l.apply_transfer(&undo(3, 1)).unwrap_err(),
            BudgetError::CannotReverse { .. }
        ));
        assert!(matches!(
            l.apply_transfer(&undo(4, 2)).unwrap_err(),
            BudgetError::CannotReverse { .. }
        ));
        assert!(matches!(
            l.apply_transfer(&undo(5, 99)).unwrap_err(),
            BudgetError::UnknownTransfer { .. }
        ));
        assert_eq!(l.history().len(), 2);
    }

    #[test]
    fn closed_months_take_no_transfers_and_balances_hold_as_at_any_date() {
        let mut l = ledger();
        l.apply_transfer(&posted(1, FUNDER, POOL, 10_000)).unwrap();
        let may = Transfer::posted(
            TransferId::from_u128(2),
            POOL,
            PAY_GENERAL,
            pence(3_000),
            why(5, 3),
        )
        .unwrap();
        l.apply_transfer(&may).unwrap();
        let by = Actor::System(NETWORK);
        l.close_month("2024-04".parse().unwrap(), by).unwrap();
        let late = Transfer::posted(
            TransferId::from_u128(3),
            POOL,
            PAY_GENERAL,
            pence(1),
            why(4, 30),
        )
        .unwrap();
        let err = l.apply_transfer(&late).unwrap_err();
        assert!(
            err.to_string().contains("closed to the end of 2024-04"),
            "{err}"
        );
        assert!(l.close_month("2024-03".parse().unwrap(), by).is_err());
        // The correction of an April transfer is dated in an open month.
        l.apply_transfer(&Transfer::reversal(
            TransferId::from_u128(4),
            TransferId::from_u128(1),
            Provenance::new(day(5, 31), by, Reason::Correction),
        ))
        .unwrap_err(); // the pot has spent £30 of it
        assert_eq!(l.balance_as_at(POOL, day(4, 30)), Some(pence(10_000)));
        assert_eq!(l.balance_as_at(POOL, day(5, 2)), Some(pence(10_000)));
        assert_eq!(l.balance_as_at(POOL, day(5, 3)), Some(pence(7_000)));
        assert_eq!(l.balance_as_at(POOL, day(3, 31)), Some(Money::ZERO));
        let all = l.balances_as_at(day(5, 3));
        assert_eq!(all.iter().map(|(_, m)| m.pence()).sum::<i64>(), 0);
        assert_eq!(l.closed_through(), Some("2024-04".parse().unwrap()));
    }

    #[test]
    fn accounts_open_once_and_transfers_name_open_accounts() {
        let mut l = ledger();
        assert!(matches!(
            l.open(Account::pot(POOL, "again", NETWORK, Purpose::General))
                .unwrap_err(),
            BudgetError::DuplicateAccount { .. }
        ));
        let stray = posted(1, FUNDER, AccountId::from_u128(77), 5);
        assert!(matches!(
            l.apply_transfer(&stray).unwrap_err(),
            BudgetError::UnknownAccount { .. }
        ));
        assert!(
            Transfer::posted(TransferId::from_u128(2), POOL, POOL, pence(5), why(4, 1)).is_err()
        );
        assert!(
            Transfer::posted(TransferId::from_u128(2), FUNDER, POOL, pence(-5), why(4, 1)).is_err()
        );
    }

    #[test]
    fn a_ledger_round_trips_through_serde_by_replay() {
        let mut l = ledger();
        l.apply_transfer(&posted(1, FUNDER, POOL, 10_000)).unwrap();
        l.apply_transfer(
            &Transfer::pending(
                TransferId::from_u128(2),
                POOL,
                PAY_GENERAL,
                pence(500),
                why(4, 12),
            )
            .unwrap(),
        )
        .unwrap();
        l.close_month("2024-04".parse().unwrap(), Actor::System(NETWORK))
            .unwrap();
        l.apply_transfer(
            &Transfer::post_pending(
                TransferId::from_u128(3),
                TransferId::from_u128(2),
                None,
                why(5, 1),
            )
            .unwrap(),
        )
        .unwrap();
        let json = serde_json::to_string(&l).unwrap();
        let back: Ledger = serde_json::from_str(&json).unwrap();
        assert_eq!(state(&back), state(&l));
        // A snapshot that breaks a limit does not load.
        let broken = json.replace("\"amount\":10000", "\"amount\":100");
        assert!(serde_json::from_str::<Ledger>(&broken).is_err());
    }
}
