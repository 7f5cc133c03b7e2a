//! What the journal replays to: the ledger, the referrals and the access log, and
//! the checks that decide what a new record holds.

use std::collections::{BTreeMap, HashMap, HashSet};

use pcn_budget::{Account, Actor, Batch, BudgetError, Ledger};
use pcn_core::{AccountId, ReferralId, TransferId, YearMonth};
use pcn_population::{AccessLog, AccessLogEntry};
use pcn_referral::{Actor as ReferralActor, Referral, ReferralDetails};

use crate::chain::{self, GENESIS, Hash, Row};
use crate::record::{Close, Draft, Record, ReferralEventEntry};
use crate::{EventId, StoreError, Stored};

/// The state the journal replays to, and where in the journal it stands.
#[derive(Debug, Clone)]
pub(crate) struct State {
    pub(crate) ledger: Ledger,
    pub(crate) referrals: BTreeMap<ReferralId, Referral>,
    /// Each stored event's referral and position in that referral's history.
    pub(crate) events: HashMap<EventId, (ReferralId, usize)>,
    pub(crate) access: AccessLog,
    /// The last record applied (0 before the first).
    pub(crate) sequence: u64,
    /// Its hash.
    pub(crate) head: Hash,
}

/// What an operation decided: the records to journal and what they touched, for
/// the views.
#[derive(Debug, Default)]
pub(crate) struct Change {
    pub(crate) records: Vec<Record>,
    pub(crate) accounts: Vec<AccountId>,
    pub(crate) referrals: Vec<ReferralId>,
}

/// A refusal, and whether the state had already changed when it came (then the
/// store reloads from the journal).
pub(crate) type Refusal = (StoreError, bool);

impl Default for State {
    fn default() -> Self {
        Self {
            ledger: Ledger::new(),
            referrals: BTreeMap::new(),
            events: HashMap::new(),
            access: AccessLog::default(),
            sequence: 0,
            head: GENESIS,
        }
    }
}

fn budget(e: BudgetError) -> Refusal {
    (StoreError::Budget(e), false)
}

impl State {
    /// Replays a stored record: every item must apply as new.
    pub(crate) fn replay(&mut self, record: Record) -> Result<(), String> {
        match record {
            Record::Accounts(accounts) => {
                for a in accounts {
                    self.ledger.open(a).map_err(|e| e.to_string())?;
                }
            }
            Record::Transfers(transfers) => {
                let n = transfers.len();
                let applied = self
                    .ledger
                    .apply(&Batch::from(transfers))
                    .map_err(|e| e.to_string())?;
                if applied.applied != n {
                    return Err(format!(
                        "{} of its {n} transfers were already applied earlier",
                        applied.already_applied
                    ));
                }
            }
            Record::Close(c) => self
                .ledger
                .close_month(c.month, c.closed_by)
                .map_err(|e| e.to_string())?,
            Record::Draft(d) => {
                if self.referrals.contains_key(&d.details.id) {
                    return Err(format!("referral {} is drafted twice", d.details.id));
                }
                self.referrals.insert(
                    d.details.id,
                    Referral::draft(d.details, d.created_by, d.created_at),
                );
            }
            Record::Events(events) => {
                for e in events {
                    if self.events.contains_key(&e.id) {
                        return Err(format!("event {} is stored twice", e.id));
                    }
                    let referral = self
                        .referrals
                        .get_mut(&e.referral)
                        .ok_or_else(|| format!("event {} names unknown referral", e.id))?;
                    referral.apply(e.record).map_err(|err| err.to_string())?;
                    let position = referral.history().len() - 1;
                    self.events.insert(e.id, (e.referral, position));
                }
            }
            Record::Access(entries) => {
                for e in entries {
                    self.access.resume(e).map_err(|e| {
                        format!(
                            "access log entry {} follows {} entries",
                            e.sequence,
                            self.access.len()
                        )
                    })?;
                }
            }
        }
        Ok(())
    }

    /// Checks a stored row against the chain and replays it.
    pub(crate) fn replay_row(&mut self, row: Row) -> Result<(), (u64, String)> {
        let expected = self.sequence + 1;
        if row.sequence != expected {
            return Err((
                expected,
                format!(
                    "sequence number {expected} is missing (the next record is {})",
                    row.sequence
                ),
            ));
        }
        let hash = row.check(&self.head).map_err(|p| (row.sequence, p))?;
        let record = Record::decode(&row.kind, &row.body).map_err(|p| (row.sequence, p))?;
        if record.items() as u64 != row.items {
            return Err((
                row.sequence,
                format!("it says {} items but holds {}", row.items, record.items()),
            ));
        }
        self.replay(record)
            .map_err(|p| (row.sequence, format!("it does not replay: {p}")))?;
        self.sequence = row.sequence;
        self.head = hash;
        Ok(())
    }

    pub(crate) fn open_accounts(
        &mut self,
        accounts: &[Account],
    ) -> Result<(Change, Stored<AccountId>), Refusal> {
        let mut seen = HashSet::new();
        let mut new = Vec::new();
        let mut already = Vec::new();
        for a in accounts {
            match self.ledger.account(a.id()) {
                Some(existing) if existing == a => already.push(a.id()),
                Some(_) => return Err(budget(BudgetError::DuplicateAccount { id: a.id() })),
                None if !seen.insert(a.id()) => {
                    if new.iter().any(|n: &Account| n == a) {
                        already.push(a.id());
                    } else {
                        return Err(budget(BudgetError::DuplicateAccount { id: a.id() }));
                    }
                }
                None => new.push(a.clone()),
            }
        }
        for a in &new {
            // Checked above: only a ledger of four billion accounts refuses here.
            self.ledger.open(a.clone()).map_err(|e| (e.into(), true))?;
        }
        let ids: Vec<AccountId> = new.iter().map(Account::id).collect();
        let stored = ids.len();
        let mut change = Change {
            accounts: ids,
            ..Change::default()
        };
        if !new.is_empty() {
            change.records.push(Record::Accounts(new));
        }
        Ok((change, Stored::new(stored, already)))
    }

    pub(crate) fn post(&mut self, batch: &Batch) -> Result<(Change, Stored<TransferId>), Refusal> {
        let before = self.ledger.transfer_count();
        let applied = self.ledger.apply(batch).map_err(budget)?;
        let mut already = Vec::new();
        if applied.already_applied > 0 {
            let new: HashSet<TransferId> = self
                .ledger
                .history()
                .skip(before)
                .map(|e| e.transfer().id())
                .collect();
            let mut seen = HashSet::new();
            for t in batch.transfers() {
                if !new.contains(&t.id()) || !seen.insert(t.id()) {
                    already.push(t.id());
                }
            }
        }
        let mut change = Change::default();
        if applied.applied > 0 {
            let mut touched = HashSet::new();
            let mut transfers = Vec::with_capacity(applied.applied);
            for e in self.ledger.history().skip(before) {
                transfers.push(e.transfer().clone());
                touched.insert(e.debit());
                touched.insert(e.credit());
            }
            change.accounts = touched.into_iter().collect();
            change.records.push(Record::Transfers(transfers));
        }
        Ok((change, Stored::new(applied.applied, already)))
    }

    pub(crate) fn close_month(
        &mut self,
        month: YearMonth,
        closed_by: Actor,
    ) -> Result<(Change, Stored<YearMonth>), Refusal> {
        if let Some(last) = self.ledger.closes().last()
            && last.month == month
            && last.closed_by == closed_by
        {
            return Ok((Change::default(), Stored::new(0, vec![month])));
        }
        self.ledger.close_month(month, closed_by).map_err(budget)?;
        let change = Change {
            records: vec![Record::Close(Close { month, closed_by })],
            ..Change::default()
        };
        Ok((change, Stored::new(1, Vec::new())))
    }

    pub(crate) fn draft(
        &mut self,
        details: ReferralDetails,
        created_by: ReferralActor,
        created_at: chrono::NaiveDateTime,
    ) -> Result<(Change, Stored<ReferralId>), Refusal> {
        if let Some(existing) = self.referrals.get(&details.id) {
            if *existing.details() == details
                && existing.created_by() == created_by
                && existing.created_at() == created_at
            {
                return Ok((Change::default(), Stored::new(0, vec![details.id])));
            }
            return Err((
                StoreError::ReferralIdReused {
                    referral: details.id,
                },
                false,
            ));
        }
        self.referrals
            .insert(details.id, Referral::draft(details, created_by, created_at));
        let change = Change {
            records: vec![Record::Draft(Box::new(Draft {
                details,
                created_by,
                created_at,
            }))],
            referrals: vec![details.id],
            ..Change::default()
        };
        Ok((change, Stored::new(1, Vec::new())))
    }

    pub(crate) fn record_events(
        &mut self,
        events: &[ReferralEventEntry],
    ) -> Result<(Change, Stored<EventId>), Refusal> {
        let mut scratch: BTreeMap<ReferralId, Referral> = BTreeMap::new();
        let mut new = Vec::new();
        let mut already = Vec::new();
        let mut positions = Vec::new();
        let mut seen: HashMap<EventId, &ReferralEventEntry> = HashMap::new();
        for e in events {
            if let Some(&(referral, position)) = self.events.get(&e.id) {
                let same = referral == e.referral
                    && self
                        .referrals
                        .get(&referral)
                        .and_then(|r| r.history().get(position))
                        .is_some_and(|t| t.record == e.record);
                if !same {
                    return Err((StoreError::EventIdReused { event: e.id }, false));
                }
                already.push(e.id);
                continue;
            }
            if let Some(earlier) = seen.get(&e.id) {
                if *earlier != e {
                    return Err((StoreError::EventIdReused { event: e.id }, false));
                }
                already.push(e.id);
                continue;
            }
            seen.insert(e.id, e);
            let referral = match scratch.entry(e.referral) {
                std::collections::btree_map::Entry::Occupied(o) => o.into_mut(),
                std::collections::btree_map::Entry::Vacant(v) => {
                    let stored = self.referrals.get(&e.referral).ok_or((
                        StoreError::UnknownReferral {
                            event: e.id,
                            referral: e.referral,
                        },
                        false,
                    ))?;
                    v.insert(stored.clone())
                }
            };
            referral
                .apply(e.record.clone())
                .map_err(|err| (StoreError::Referral(err), false))?;
            positions.push((e.id, e.referral, referral.history().len() - 1));
            new.push(e.clone());
        }
        let touched: Vec<ReferralId> = scratch.keys().copied().collect();
        self.referrals.extend(scratch);
        for (id, referral, position) in positions {
            self.events.insert(id, (referral, position));
        }
        let stored = new.len();
        let mut change = Change {
            referrals: touched,
            ..Change::default()
        };
        if !new.is_empty() {
            change.records.push(Record::Events(new));
        }
        Ok((change, Stored::new(stored, already)))
    }

    pub(crate) fn log_access(
        &mut self,
        entries: &[AccessLogEntry],
    ) -> Result<(Change, Stored<u64>), Refusal> {
        let mut new: Vec<AccessLogEntry> = Vec::new();
        let mut already = Vec::new();
        let stored = self.access.entries();
        for e in entries {
            let next = (stored.len() + new.len()) as u64;
            let existing = usize::try_from(e.sequence)
                .ok()
                .and_then(|i| stored.get(i).or_else(|| new.get(i - stored.len())));
            match existing {
                Some(x) if x == e => already.push(e.sequence),
                None if e.sequence == next => new.push(*e),
                _ => {
                    return Err((
                        StoreError::AccessOutOfSequence {
                            sequence: e.sequence,
                            stored: next,
                        },
                        false,
                    ));
                }
            }
        }
        let count = new.len();
        for e in &new {
            // Each was checked to be the next in sequence above.
            self.access.resume(*e).map_err(|e| {
                (
                    StoreError::AccessOutOfSequence {
                        sequence: e.sequence,
                        stored: self.access.len() as u64,
                    },
                    true,
                )
            })?;
        }
        let mut change = Change::default();
        if !new.is_empty() {
            change.records.push(Record::Access(new));
        }
        Ok((change, Stored::new(count, already)))
    }

    /// Gives each record its sequence number and hash, advancing the head.
    pub(crate) fn seal(
        &mut self,
        records: Vec<Record>,
        recorded_at: &str,
    ) -> Result<Vec<Row>, StoreError> {
        let mut rows = Vec::with_capacity(records.len());
        for record in records {
            let body = record.encode().map_err(|detail| StoreError::Database {
                store: String::from("the journal"),
                detail,
            })?;
            let sequence = self.sequence + 1;
            let items = record.items() as u64;
            let hash = chain::link(
                &self.head,
                sequence,
                record.kind(),
                recorded_at,
                items,
                &body,
            );
            rows.push(Row {
                sequence,
                kind: record.kind().to_owned(),
                recorded_at: recorded_at.to_owned(),
                items,
                body,
                hash: hash.to_vec(),
            });
            self.sequence = sequence;
            self.head = hash;
        }
        Ok(rows)
    }
}
