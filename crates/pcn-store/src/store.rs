//! The store: the state in memory, the journal on disk, and the write path between
//! them.

use std::fmt;
use std::path::Path;

use chrono::NaiveDateTime;
use pcn_budget::{Account, Actor, Batch, Ledger};
use pcn_core::{AccountId, ReferralId, TransferId, YearMonth};
use pcn_population::{AccessControl, AccessLog, AccessLogEntry, AccessPolicy};
use pcn_referral::{Actor as ReferralActor, Referral, ReferralDetails};
use serde::{Deserialize, Serialize};

use crate::chain::{self, GENESIS, Hash, Row};
use crate::record::Record;
use crate::snapshot::{self, Failure};
use crate::sqlite::{self, SnapshotRow, Sqlite};
use crate::state::{Change, Refusal, State};
use crate::views::Views;
use crate::{EventId, ReferralEventEntry, StoreError};

/// What a write stored: how many items are new, and which were already stored
/// (a retry of an earlier write, or a repeat within the same call) and so were
/// not stored again.
///
/// Serde gives `{"sequence": 12, "stored": 8190, "already_stored": []}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stored<Id> {
    /// The journal record that holds the new items, or `None` if nothing was new.
    pub sequence: Option<u64>,
    /// How many items were stored now.
    pub stored: usize,
    /// The items already stored, by id, in the order given.
    pub already_stored: Vec<Id>,
}

impl<Id> Stored<Id> {
    pub(crate) const fn new(stored: usize, already_stored: Vec<Id>) -> Self {
        Self {
            sequence: None,
            stored,
            already_stored,
        }
    }
}

/// One problem `verify` found.
///
/// Serde gives `{"sequence": 17, "problem": "..."}`; `sequence` is absent for a
/// problem of the database file itself (a page the integrity check names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The journal sequence number where the problem is, if it is in the journal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence: Option<u64>,
    /// What is wrong.
    pub problem: String,
}

/// What `verify` found: every problem, in journal order, and the chain's head.
///
/// Serde gives `{"store": "budget.db", "records": 120, "head": "<hex>",
/// "problems": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The store checked.
    pub store: String,
    /// How many journal records were read.
    pub records: u64,
    /// The hash of the last record, in hex: publish it elsewhere to detect a
    /// rewrite of the whole journal.
    pub head: String,
    /// Every problem found; empty for a sound store.
    pub problems: Vec<Problem>,
}

impl Report {
    /// Whether no problem was found.
    #[must_use]
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }

    /// The first journal sequence number with a problem.
    #[must_use]
    pub fn first_bad_sequence(&self) -> Option<u64> {
        self.problems.iter().filter_map(|p| p.sequence).min()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_ok() {
            return write!(
                f,
                "{}: {} records, hash chain sound, head {}",
                self.store, self.records, self.head
            );
        }
        write!(f, "{}: {} problems found", self.store, self.problems.len())?;
        for p in &self.problems {
            match p.sequence {
                Some(s) => write!(f, "\n  sequence {s}: {}", p.problem)?,
                None => write!(f, "\n  database: {}", p.problem)?,
            }
        }
        Ok(())
    }
}

/// Where the journal is read from: the pieces `load` and `verify` need.
pub(crate) trait Source {
    fn name(&self) -> String;
    fn latest_snapshot(&mut self) -> Result<Option<SnapshotRow>, StoreError>;
    fn row_hash(&mut self, sequence: u64) -> Result<Option<Vec<u8>>, StoreError>;
    fn rows_after(
        &mut self,
        after: u64,
        f: &mut dyn FnMut(Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;
    /// Streams the chunks of the snapshot taken at `sequence`, in order, each with
    /// its number.
    fn snapshot_chunks(&mut self, sequence: u64, f: &mut ChunkSink<'_>) -> Result<(), StoreError>;
}

/// What receives a snapshot's chunks, each with its number, as they are read.
pub(crate) type ChunkSink<'a> = dyn FnMut(u64, &[u8]) -> Result<(), StoreError> + 'a;

pub(crate) struct SqliteSource<'a> {
    pub(crate) conn: &'a rusqlite::Connection,
    pub(crate) path: &'a Path,
}

impl Source for SqliteSource<'_> {
    fn name(&self) -> String {
        self.path.display().to_string()
    }

    fn latest_snapshot(&mut self) -> Result<Option<SnapshotRow>, StoreError> {
        sqlite::latest_snapshot(self.conn, self.path)
    }

    fn row_hash(&mut self, sequence: u64) -> Result<Option<Vec<u8>>, StoreError> {
        sqlite::row_hash(self.conn, self.path, sequence)
    }

    fn rows_after(
        &mut self,
        after: u64,
        f: &mut dyn FnMut(Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        sqlite::rows_after(self.conn, self.path, after, f)
    }

    fn snapshot_chunks(&mut self, sequence: u64, f: &mut ChunkSink<'_>) -> Result<(), StoreError> {
        sqlite::snapshot_chunks(self.conn, self.path, sequence, f)
    }
}

/// Rebuilds the state: the latest snapshot, checked against the journal, then
/// every record after it, each checked against the chain. Never repairs.
pub(crate) fn load(src: &mut dyn Source) -> Result<State, StoreError> {
    let name = src.name();
    let damaged = |sequence, problem| StoreError::Damaged {
        store: name.clone(),
        sequence,
        problem,
    };
    let mut state = match src.latest_snapshot()? {
        None => State::default(),
        Some(s) => {
            check_snapshot(&s).map_err(|p| damaged(s.sequence, p))?;
            match src.row_hash(s.sequence)? {
                Some(h) if h == s.head => {}
                Some(_) => {
                    return Err(damaged(
                        s.sequence,
                        "the snapshot's hash differs from the journal record's".to_owned(),
                    ));
                }
                None => {
                    return Err(damaged(
                        s.sequence,
                        "the journal has no record where the snapshot was taken".to_owned(),
                    ));
                }
            }
            snapshot::restore(src, &s).map_err(|f| match f {
                Failure::Source(e) => e,
                Failure::Damaged(p) => damaged(s.sequence, format!("its snapshot {p}")),
            })?
        }
    };
    src.rows_after(state.sequence, &mut |row| {
        state.replay_row(row).map_err(|(s, p)| damaged(s, p))
    })?;
    Ok(state)
}

fn check_snapshot(s: &SnapshotRow) -> Result<(), String> {
    if chain::digest(&s.body)[..] != s.digest[..] {
        return Err("its snapshot's digest does not match the snapshot".to_owned());
    }
    Ok(())
}

/// Reads the whole journal and reports every problem, writing nothing.
pub(crate) fn verify(
    src: &mut dyn Source,
    mut problems: Vec<Problem>,
    stored_views: Option<Views>,
) -> Result<Report, StoreError> {
    let snapshot = src.latest_snapshot()?;
    let mut stored_chunks = Vec::new();
    if let Some(s) = &snapshot {
        src.snapshot_chunks(s.sequence, &mut |_, chunk| {
            stored_chunks.push(chunk.to_vec());
            Ok(())
        })?;
    }
    if let Some(s) = &snapshot
        && let Err(problem) = check_snapshot(s)
    {
        problems.push(Problem {
            sequence: Some(s.sequence),
            problem,
        });
    }
    let mut state = State::default();
    let mut replaying = true;
    let mut previous: Vec<u8> = GENESIS.to_vec();
    let mut expected = 1u64;
    let mut records = 0u64;
    let mut snapshot_seen = false;
    src.rows_after(0, &mut |row| {
        records += 1;
        let sequence = row.sequence;
        if sequence != expected {
            problems.push(Problem {
                sequence: Some(expected),
                problem: if sequence > expected {
                    format!(
                        "sequence numbers {expected} to {} are missing",
                        sequence - 1
                    )
                } else {
                    format!("sequence number {sequence} is out of order")
                },
            });
            replaying = false;
        }
        let prev: Hash = previous.as_slice().try_into().unwrap_or(GENESIS);
        if let Err(problem) = row.check(&prev) {
            problems.push(Problem {
                sequence: Some(sequence),
                problem,
            });
            replaying = false;
        }
        previous.clone_from(&row.hash);
        expected = sequence + 1;
        if replaying {
            let replayed = Record::decode(&row.kind, &row.body).and_then(|r| {
                if r.items() as u64 == row.items {
                    state.replay(r)
                } else {
                    Err(format!(
                        "it says {} items but holds {}",
                        row.items,
                        r.items()
                    ))
                }
            });
            if let Err(p) = replayed {
                problems.push(Problem {
                    sequence: Some(sequence),
                    problem: format!("it does not replay: {p}"),
                });
                replaying = false;
            }
            state.sequence = sequence;
            state.head = prev;
            if let Ok(h) = row.hash.as_slice().try_into() {
                state.head = h;
            }
        }
        if let Some(s) = &snapshot
            && s.sequence == sequence
        {
            snapshot_seen = true;
            if s.head != row.hash {
                problems.push(Problem {
                    sequence: Some(sequence),
                    problem: "the snapshot's hash differs from the journal record's".to_owned(),
                });
            } else if replaying
                && state.snapshot().ok().is_none_or(|replayed| {
                    replayed.header != s.body || replayed.chunks != stored_chunks
                })
            {
                problems.push(Problem {
                    sequence: Some(sequence),
                    problem: "the snapshot differs from the replay of the journal up to it"
                        .to_owned(),
                });
            }
        }
        Ok(())
    })?;
    if let Some(s) = &snapshot
        && !snapshot_seen
    {
        problems.push(Problem {
            sequence: Some(s.sequence),
            problem: "the journal has no record where the snapshot was taken".to_owned(),
        });
    }
    if replaying && let Some(mut stored) = stored_views {
        let mut replayed = Views::all(&state);
        replayed.balances.sort_by(|a, b| a.account.cmp(&b.account));
        replayed
            .referrals
            .sort_by(|a, b| a.referral.cmp(&b.referral));
        stored.balances.sort_by(|a, b| a.account.cmp(&b.account));
        stored.referrals.sort_by(|a, b| a.referral.cmp(&b.referral));
        if replayed.balances != stored.balances {
            problems.push(Problem {
                sequence: None,
                problem: "the balances table differs from the replay of the journal".to_owned(),
            });
        }
        if replayed.referrals != stored.referrals {
            problems.push(Problem {
                sequence: None,
                problem: "the referral_states table differs from the replay of the journal"
                    .to_owned(),
            });
        }
    }
    problems.sort_by_key(|p| p.sequence);
    Ok(Report {
        store: src.name(),
        records,
        head: chain::hex(&previous),
        problems,
    })
}

#[derive(Debug)]
enum Backend {
    Sqlite(Sqlite),
    #[cfg(feature = "postgres")]
    Postgres(Box<crate::pg::Postgres>),
}

/// A durable store of a unified budget's ledger, referrals and access log.
///
/// The state lives in memory, exactly as the domain crates hold it (a
/// [`Ledger`], [`Referral`]s, the access log); every change is checked there by
/// the domain crate's own rules first, then written to the journal, and
/// acknowledged only once its transaction has committed. Opening replays the
/// latest snapshot and the journal after it, checking the hash chain.
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_budget::{Account, Actor, Batch, FundingStream, Party, Provenance, Purpose, Reason, Transfer};
/// use pcn_core::{AccountId, Money, NetworkId, TransferId};
/// use pcn_store::Store;
///
/// let dir = std::env::temp_dir().join(format!("pcn-store-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let path = dir.join("budget.db");
/// # let _ = std::fs::remove_file(&path);
/// let network = Party::Network(NetworkId::from_u128(1));
/// let (icb, pot) = (AccountId::from_u128(1), AccountId::from_u128(2));
/// let day = NaiveDate::from_ymd_opt(2024, 4, 30).ok_or("bad date")?;
/// let pay_in = Transfer::posted(TransferId::from_u128(1), icb, pot, Money::from_pence(100_000),
///     Provenance::new(day, Actor::System(network), Reason::Funding))?;
/// {
///     let mut store = Store::open(&path)?;
///     store.open_accounts(&[
///         Account::funding(icb, "Core funding", FundingStream::CoreNetworkFunding, network),
///         Account::pot(pot, "Pooled pot", network, Purpose::General),
///     ])?;
///     store.post(&Batch::from(vec![pay_in.clone()]))?;
/// } // the process stops here
/// let mut store = Store::open(&path)?;
/// assert_eq!(store.ledger().balance(pot).ok_or("no pot")?.balance(), Money::from_pence(100_000));
/// // A retry whose acknowledgement was lost is stored once, and says so.
/// let retry = store.post(&Batch::from(vec![pay_in]))?;
/// assert_eq!(retry.already_stored, vec![TransferId::from_u128(1)]);
/// assert!(store.verify()?.is_ok());
/// # drop(store); std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Store {
    backend: Backend,
    state: State,
    /// Why the store must be reopened, after a failed write whose reload failed.
    broken: Option<String>,
}

fn now() -> String {
    chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now())
        .format("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string()
}

impl Store {
    /// Opens the SQLite store at `path`, creating it if the file does not exist,
    /// and replays it. The process holds it for writing until the `Store` is
    /// dropped (through the lock file `path` + `-lock`).
    ///
    /// # Errors
    /// [`StoreError::NotAStore`] for a file that is not a store,
    /// [`StoreError::NewerFormat`] for a store of a newer format,
    /// [`StoreError::Locked`] when another process holds it for writing (nothing
    /// is written in these three cases), [`StoreError::Damaged`] naming the first
    /// bad sequence number, [`StoreError::Corrupt`] for a damaged database file.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let db = Sqlite::open(path.as_ref())?;
        let state = load(&mut SqliteSource {
            conn: db.connection(),
            path: db.path(),
        })?;
        Ok(Self {
            backend: Backend::Sqlite(db),
            state,
            broken: None,
        })
    }

    /// Connects to the PostgreSQL store at `url` (a libpq connection string such
    /// as `host=/tmp port=5432 user=pcn dbname=pcn`), creating its tables if the
    /// database has none, and replays it. Many processes may write to one
    /// PostgreSQL store at once.
    ///
    /// # Errors
    /// As [`Store::open`], and [`StoreError::Database`] when the server cannot be
    /// reached.
    #[cfg(feature = "postgres")]
    pub fn connect(url: &str) -> Result<Self, StoreError> {
        let mut pg = crate::pg::Postgres::connect(url)?;
        let state = load(&mut pg)?;
        Ok(Self {
            backend: Backend::Postgres(Box::new(pg)),
            state,
            broken: None,
        })
    }

    /// The store's file, or its PostgreSQL database, for messages.
    #[must_use]
    pub fn location(&self) -> String {
        match &self.backend {
            Backend::Sqlite(db) => db.path().display().to_string(),
            #[cfg(feature = "postgres")]
            Backend::Postgres(pg) => pg.name(),
        }
    }

    /// The ledger, as the journal replays to.
    #[must_use]
    pub const fn ledger(&self) -> &Ledger {
        &self.state.ledger
    }

    /// The referral with this id.
    #[must_use]
    pub fn referral(&self, id: ReferralId) -> Option<&Referral> {
        self.state.referrals.get(&id)
    }

    /// Every referral, by id.
    pub fn referrals(&self) -> impl Iterator<Item = &Referral> {
        self.state.referrals.values()
    }

    /// The access log as journalled, oldest first.
    #[must_use]
    pub const fn access_log(&self) -> &AccessLog {
        &self.state.access
    }

    /// Access control under `policy` that carries on from the journalled log
    /// ([`AccessControl::resume`]): after a restart, new requests are numbered
    /// after the last stored one. Journal what it logs with
    /// [`Store::log_access`]`(control.log().since(n))`, where `n` is the
    /// log's length when last stored.
    ///
    /// ```
    /// # use chrono::NaiveDate;
    /// # use pcn_core::{CarePlanId, NhsNumber, PatientId, PracticeId, StaffId};
    /// # use pcn_population::{AccessKind, AccessPolicy, CarePlan, Consent, NewCarePlan, Patient, Sex};
    /// # use pcn_store::Store;
    /// # let dir = std::env::temp_dir().join(format!("pcn-store-access-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir)?;
    /// # let path = dir.join("access.db");
    /// # let _ = std::fs::remove_file(&path);
    /// # let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).ok_or("bad date");
    /// # let mut patient = Patient::new(PatientId::from_u128(2), NhsNumber::test_number(2).ok_or("bad number")?, d(1938, 1, 1)?, Sex::Male);
    /// # patient.register(PracticeId::from_u128(1), d(2000, 1, 1)?)?;
    /// # let plan = CarePlan::new(NewCarePlan {
    /// #     id: CarePlanId::from_u128(3), patient: patient.id(), created_on: d(2024, 1, 1)?,
    /// #     what_matters: vec!["My garden".into()], goals: vec![], actions: vec![],
    /// #     review_on: d(2024, 4, 1)?, consent: Consent::NotRecorded,
    /// #     named_accountable_gp: StaffId::from_u128(10), care_coordinator: StaffId::from_u128(11),
    /// #     care_team: Default::default(), same_day_telephone_access: true,
    /// # })?;
    /// let at = d(2024, 2, 1)?.and_hms_opt(9, 30, 0).ok_or("bad time")?;
    /// {
    ///     let mut store = Store::open(&path)?;
    ///     let mut control = store.access_control(AccessPolicy::new());
    ///     control.request(StaffId::from_u128(10), AccessKind::Read, &patient, &plan, at)?;
    ///     store.log_access(control.log().since(0))?;
    /// } // the process stops here
    /// let store = Store::open(&path)?;
    /// let mut control = store.access_control(AccessPolicy::new());
    /// assert_eq!(control.log(), store.access_log());
    /// control.request(StaffId::from_u128(99), AccessKind::Read, &patient, &plan, at)?;
    /// assert_eq!(control.log().entries()[1].sequence, 1);
    /// # drop(store); std::fs::remove_dir_all(&dir)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn access_control(&self, policy: AccessPolicy) -> AccessControl {
        AccessControl::resume(policy, self.state.access.clone())
    }

    /// The last journal sequence number (0 for an empty store).
    #[must_use]
    pub const fn sequence(&self) -> u64 {
        self.state.sequence
    }

    /// The hash of the last journal record, in hex.
    #[must_use]
    pub fn head(&self) -> String {
        chain::hex(&self.state.head)
    }

    fn reload(&mut self) -> Result<(), StoreError> {
        let state = match &mut self.backend {
            Backend::Sqlite(db) => load(&mut SqliteSource {
                conn: db.connection(),
                path: db.path(),
            }),
            #[cfg(feature = "postgres")]
            Backend::Postgres(pg) => load(pg.as_mut()),
        };
        match state {
            Ok(state) => {
                self.state = state;
                self.broken = None;
                Ok(())
            }
            Err(e) => {
                self.broken = Some(e.to_string());
                Err(e)
            }
        }
    }

    /// Reads what other writers have stored since (PostgreSQL); on SQLite, where
    /// this process is the only writer, there is never anything new.
    ///
    /// # Errors
    /// [`StoreError::Damaged`] if a new record does not chain or replay.
    pub fn refresh(&mut self) -> Result<(), StoreError> {
        self.usable()?;
        match &mut self.backend {
            Backend::Sqlite(_) => Ok(()),
            #[cfg(feature = "postgres")]
            Backend::Postgres(pg) => pg.catch_up(&mut self.state),
        }
    }

    fn usable(&self) -> Result<(), StoreError> {
        match &self.broken {
            None => Ok(()),
            Some(detail) => Err(StoreError::NeedsReopen {
                store: self.location(),
                detail: detail.clone(),
            }),
        }
    }

    /// The write path: decide, seal, write, commit; on a failure after the state
    /// changed, reload it from the store.
    fn write<T>(
        &mut self,
        op: impl FnOnce(&mut State) -> Result<(Change, T), Refusal>,
    ) -> Result<(T, Option<u64>), StoreError> {
        self.usable()?;
        let result = match &mut self.backend {
            Backend::Sqlite(db) => write_sqlite(db, &mut self.state, op),
            #[cfg(feature = "postgres")]
            Backend::Postgres(pg) => pg.write(&mut self.state, op),
        };
        match result {
            Ok(done) => Ok(done),
            Err((e, dirty)) => {
                if dirty {
                    // The error to report is the write's; a failed reload marks the
                    // store for reopening.
                    let _ = self.reload();
                }
                Err(e)
            }
        }
    }

    /// Opens accounts in the ledger, all or nothing. Accounts already stored
    /// exactly as given are reported in [`Stored::already_stored`].
    ///
    /// # Errors
    /// [`StoreError::Budget`] with [`pcn_budget::BudgetError::DuplicateAccount`]
    /// for an id stored with different details; database errors.
    pub fn open_accounts(&mut self, accounts: &[Account]) -> Result<Stored<AccountId>, StoreError> {
        let (mut out, sequence) = self.write(|s| s.open_accounts(accounts))?;
        out.sequence = sequence;
        Ok(out)
    }

    /// Posts a batch of transfers, all or nothing, and returns once it is on
    /// disk. Transfers already stored under the same id (a retry) are reported in
    /// [`Stored::already_stored`] and not applied again.
    ///
    /// # Errors
    /// [`StoreError::Budget`] with the ledger's refusal (nothing written);
    /// database errors (nothing acknowledged; the state is reloaded).
    pub fn post(&mut self, batch: &Batch) -> Result<Stored<TransferId>, StoreError> {
        let (mut out, sequence) = self.write(|s| s.post(batch))?;
        out.sequence = sequence;
        Ok(out)
    }

    /// Posts many batches in one commit (group commit): each batch is applied
    /// all or nothing on its own, refused ones are reported in place and leave
    /// no trace, and the accepted ones are acknowledged together once the single
    /// transaction has committed.
    ///
    /// # Errors
    /// Database errors, when none of the batches is acknowledged.
    pub fn post_all(
        &mut self,
        batches: &[Batch],
    ) -> Result<Vec<Result<Stored<TransferId>, StoreError>>, StoreError> {
        let (results, first) = self.write(|s| {
            let mut change = Change::default();
            let mut results = Vec::with_capacity(batches.len());
            for batch in batches {
                match s.post(batch) {
                    Ok((c, stored)) => {
                        let record = if c.records.is_empty() {
                            None
                        } else {
                            Some(change.records.len())
                        };
                        change.records.extend(c.records);
                        change.accounts.extend(c.accounts);
                        results.push(Ok((stored, record)));
                    }
                    Err((e, true)) => return Err((e, true)),
                    Err((e, false)) => results.push(Err(e)),
                }
            }
            change.accounts.sort_unstable();
            change.accounts.dedup();
            Ok((change, results))
        })?;
        Ok(results
            .into_iter()
            .map(|r| {
                r.map(|(mut stored, record)| {
                    stored.sequence = record.and_then(|i| first.map(|f| f + i as u64));
                    stored
                })
            })
            .collect())
    }

    /// Closes `month` and every month before it in the ledger.
    ///
    /// # Errors
    /// [`StoreError::Budget`] if the month is already closed (a retry of the same
    /// close is reported as already stored instead).
    pub fn close_month(
        &mut self,
        month: YearMonth,
        closed_by: Actor,
    ) -> Result<Stored<YearMonth>, StoreError> {
        let (mut out, sequence) = self.write(|s| s.close_month(month, closed_by))?;
        out.sequence = sequence;
        Ok(out)
    }

    /// Stores a new referral in draft.
    ///
    /// # Errors
    /// [`StoreError::ReferralIdReused`] if its id is stored with other details.
    pub fn draft_referral(
        &mut self,
        details: ReferralDetails,
        created_by: ReferralActor,
        created_at: NaiveDateTime,
    ) -> Result<Stored<ReferralId>, StoreError> {
        let (mut out, sequence) = self.write(|s| s.draft(details, created_by, created_at))?;
        out.sequence = sequence;
        Ok(out)
    }

    /// Records referral events, all or nothing, each checked by its referral's
    /// state machine. Events already stored under the same id are reported in
    /// [`Stored::already_stored`].
    ///
    /// # Errors
    /// [`StoreError::Referral`] with the lifecycle's refusal,
    /// [`StoreError::UnknownReferral`], [`StoreError::EventIdReused`].
    pub fn record_events(
        &mut self,
        events: &[ReferralEventEntry],
    ) -> Result<Stored<EventId>, StoreError> {
        let (mut out, sequence) = self.write(|s| s.record_events(events))?;
        out.sequence = sequence;
        Ok(out)
    }

    /// Appends access log entries, all or nothing. Each entry's `sequence` must
    /// follow the stored log; an entry already stored exactly is reported in
    /// [`Stored::already_stored`] by its sequence number.
    ///
    /// # Errors
    /// [`StoreError::AccessOutOfSequence`].
    pub fn log_access(&mut self, entries: &[AccessLogEntry]) -> Result<Stored<u64>, StoreError> {
        let (mut out, sequence) = self.write(|s| s.log_access(entries))?;
        out.sequence = sequence;
        Ok(out)
    }

    /// Writes a snapshot of the state at the current sequence number, in one
    /// transaction (replacing the previous one), so that reopening replays only
    /// the journal after it. Returns the sequence number it was taken at.
    ///
    /// # Errors
    /// Database errors; the previous snapshot then stays.
    pub fn snapshot(&mut self) -> Result<u64, StoreError> {
        self.usable()?;
        self.refresh()?;
        let snapshot = self
            .state
            .snapshot()
            .map_err(|detail| StoreError::Database {
                store: self.location(),
                detail,
            })?;
        let row = SnapshotRow {
            sequence: self.state.sequence,
            head: self.state.head.to_vec(),
            digest: chain::digest(&snapshot.header).to_vec(),
            body: snapshot.header,
        };
        match &mut self.backend {
            Backend::Sqlite(db) => db.write_snapshot(&row, &snapshot.chunks, &now())?,
            #[cfg(feature = "postgres")]
            Backend::Postgres(pg) => pg.write_snapshot(&row, &snapshot.chunks, &now())?,
        }
        Ok(row.sequence)
    }

    /// Reads the whole store and reports every problem found: the database's own
    /// integrity check, missing or repeated sequence numbers, records whose hash
    /// does not chain, records that do not decode or replay, a snapshot that
    /// differs from the journal, views that differ from the replay. Writes
    /// nothing.
    ///
    /// # Errors
    /// Only when the store cannot be read at all.
    pub fn verify(&mut self) -> Result<Report, StoreError> {
        match &mut self.backend {
            Backend::Sqlite(db) => verify_sqlite(db.connection(), db.path()),
            #[cfg(feature = "postgres")]
            Backend::Postgres(pg) => pg.verify(),
        }
    }

    /// Verifies the SQLite store at `path` read-only, without taking it for
    /// writing: it may be open in another process.
    ///
    /// # Errors
    /// As [`Store::verify`], and [`StoreError::NotAStore`] or
    /// [`StoreError::NewerFormat`] for a file this build cannot read.
    pub fn verify_file(path: impl AsRef<Path>) -> Result<Report, StoreError> {
        let path = path.as_ref();
        let conn = Sqlite::open_read_only(path)?;
        verify_sqlite(&conn, path)
    }
}

fn verify_sqlite(conn: &rusqlite::Connection, path: &Path) -> Result<Report, StoreError> {
    let problems = sqlite::integrity(conn, path)?
        .into_iter()
        .map(|problem| Problem {
            sequence: None,
            problem,
        })
        .collect();
    let views = sqlite::stored_views(conn, path)?;
    verify(&mut SqliteSource { conn, path }, problems, Some(views))
}

/// Decides and seals the records, and writes them in one SQLite transaction.
fn write_sqlite<T>(
    db: &mut Sqlite,
    state: &mut State,
    op: impl FnOnce(&mut State) -> Result<(Change, T), Refusal>,
) -> Result<(T, Option<u64>), Refusal> {
    let (mut change, out) = op(state)?;
    if change.records.is_empty() {
        return Ok((out, None));
    }
    let first = state.sequence + 1;
    let records = std::mem::take(&mut change.records);
    let rows = state.seal(records, &now()).map_err(|e| (e, true))?;
    let views = Views::of(state, &change);
    db.append(&rows, &views).map_err(|e| (e, true))?;
    Ok((out, Some(first)))
}
