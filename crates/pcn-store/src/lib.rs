//! Durable state: the unified budget, referrals and the access log survive a crash.
//!
//! The domain crates keep their state in memory: the [`pcn_budget::Ledger`] of a
//! network's pooled budget, each [`pcn_referral::Referral`] with its history, the
//! [`pcn_population::AccessLog`] of who opened which care plan. A finance officer
//! will not trust a budget that a power cut can rewrite, and the Data Security and
//! Protection Toolkit expects access records that are kept and cannot be quietly
//! edited. This crate makes what those crates decide durable, without moving their
//! rules into it: the ledger still checks limits and two-phase state, the referral
//! its state machine; the store journals what they accepted and replays it.
//!
//! - **An append-only journal.** Each record (accounts opened, a batch of
//!   transfers, a month closed, a referral drafted, referral events, access log
//!   entries) carries a sequence number and a SHA-256 hash chained from the record
//!   before, so that an edited, removed or reordered record is found:
//!   [`Store::verify`] names the first bad sequence number. State is the replay of
//!   the journal; a [snapshot](Store::snapshot), written in one transaction, makes
//!   reopening fast and gives the same state as a full replay.
//! - **Acknowledged means durable.** A write returns `Ok` only after its
//!   transaction has committed (SQLite in WAL mode with `synchronous = FULL`).
//!   Many batches share one commit (group commit): those given together to
//!   [`Store::post_all`], and those posted at once by many threads through a
//!   [`SharedStore`], the `Clone + Send + Sync` handle a server hands to each
//!   request; each thread is answered only after the commit that holds its
//!   batch.
//! - **The access log resumes.** Reopening gives back the journalled
//!   [`AccessLog`](pcn_population::AccessLog), and [`Store::access_control`]
//!   an [`AccessControl`](pcn_population::AccessControl) that carries on from
//!   it, numbering new requests after the last stored one.
//! - **Idempotent retries.** Transfer, account, referral and event ids (and access
//!   log sequence numbers) are idempotency keys: a batch retried after a crash that
//!   lost its acknowledgement is applied once, and [`Stored::already_stored`] says
//!   which items were already there.
//! - **Recovery never guesses.** Reopening keeps every acknowledged batch and no
//!   part of an unacknowledged one (one transaction each); a record that does not
//!   chain, a missing sequence number or a damaged page is an error naming the file
//!   and the sequence number, never a silent repair.
//!
//! # Example
//!
//! ```
//! use chrono::NaiveDate;
//! use pcn_budget::{Account, Actor, Batch, FundingStream, Party, Provenance, Purpose, Reason, Transfer};
//! use pcn_core::{AccountId, Money, NetworkId, TransferId};
//! use pcn_store::Store;
//!
//! let dir = std::env::temp_dir().join(format!("pcn-store-lib-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! let path = dir.join("budget.db");
//! # let _ = std::fs::remove_file(&path);
//! let network = Party::Network(NetworkId::from_u128(1));
//! let (icb, pot) = (AccountId::from_u128(1), AccountId::from_u128(2));
//! let mut store = Store::open(&path)?;
//! store.open_accounts(&[
//!     Account::funding(icb, "Core funding", FundingStream::CoreNetworkFunding, network),
//!     Account::pot(pot, "Pooled pot", network, Purpose::General),
//! ])?;
//! let day = NaiveDate::from_ymd_opt(2024, 4, 30).ok_or("bad date")?;
//! let by = Actor::System(network);
//! let batch: Batch = (1..=3)
//!     .map(|i| Transfer::posted(TransferId::from_u128(i), icb, pot, Money::from_pence(10_000),
//!         Provenance::new(day, by, Reason::Funding)))
//!     .collect::<Result<_, _>>()?;
//! let stored = store.post(&batch)?;
//! assert_eq!((stored.sequence, stored.stored), (Some(2), 3));
//! store.snapshot()?;
//! drop(store);
//!
//! let mut store = Store::open(&path)?;
//! assert_eq!(store.ledger().balance(pot).ok_or("no pot")?.balance(), Money::from_pence(30_000));
//! let report = store.verify()?;
//! assert!(report.is_ok(), "{report}");
//! # drop(store); std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Design: one journal row per batch
//!
//! Measured on a 2-core machine with the bundled SQLite, WAL and
//! `synchronous = FULL`, 8,190 rows a transaction: a row per transfer with a
//! unique index on random 16-byte ids gives about 88,000 transfers a second; the
//! same with time-ordered ids (UUID version 7) about 500,000; rows keyed by
//! sequence alone about 840,000. This store goes further than the last: **one
//! journal row per batch**, keyed by its sequence number, holding the batch's
//! transfers in a compact binary body (about 75 bytes each, see below), so that a
//! commit writes one B-tree entry and a few large pages, and hashes a few hundred
//! kilobytes. Idempotency needs no index on disk: the ledger in memory already
//! indexes every transfer id, and is rebuilt by replay on opening. On SQLite the
//! store's process is the only writer (a lock file enforces it), so the state in
//! memory is always the journal's. On PostgreSQL, where many processes write,
//! each write takes a transaction-scoped advisory lock, first replays whatever
//! other writers appended, then checks and appends its own records: limits are
//! checked against the latest state and a batch can never be applied twice.
//!
//! Measured with `cargo bench --bench durable` on the same 2-core machine
//! (8,190 transfers a batch, one commit each): about 733,000 durable transfers a
//! second on SQLite, beside 2.0 million a second in the ledger alone (both measured
//! quiet, in one run), and about 348,000 on PostgreSQL 15 over a local socket (an
//! earlier run).
//!
//! # Design: snapshots that reopen in seconds
//!
//! The state in memory is the ledger with its whole history (every transfer id
//! is an idempotency key, any posted transfer may be reversed later, balances
//! are asked for as at any date), so reopening rebuilds it transfer by
//! transfer through the ledger's own checked `apply`, and gives exactly what a
//! full replay of the journal gives. Profiling showed where the time went: not
//! in the ledger (about a twentieth of it) but in reading a snapshot of 75
//! bytes a transfer as one blob, hashing it, decoding it into an intermediate
//! copy and the system's work of handing out fresh memory for each copy. A
//! snapshot is therefore a small header and chunks of 262,144 transfers, about
//! 23 bytes each (accounts by position, each distinct provenance once a
//! chunk), each chunk with its SHA-256 in the header and the header's SHA-256
//! in the `snapshots` row. Reopening reads and hashes a chunk on one thread,
//! decodes the one before on a second, and applies decoded transfers through
//! the ledger in pieces of 1,024 on a third; then replays the journal after
//! the snapshot. A store of 10 million transfers reopens in about 0.99 s
//! (`cargo bench --bench durable`, `reopen/snapshot_10000000`, 95% interval 0.98
//! to 1.00 s) on a quiet 2-core machine (about 2.1 s while other builds shared
//! it), from about 10 s before; see the crate's README for the figures.
//!
//! # Tables
//!
//! An analyst can read a store with any SQLite tool (or `psql`):
//!
//! | table | what it holds |
//! |---|---|
//! | `journal` | `sequence`, `kind` (`accounts`, `transfers`, `month_close`, `referral`, `referral_events`, `access`), `recorded_at` (UTC), `items`, `body`, `hash` |
//! | `balances` | each account's name, kind, posted and pending debits and credits, balance, available balance and floor in pence, as of a sequence number |
//! | `referral_states` | each referral's patient, pathway, state (and its detail as JSON), number of events, last event time |
//! | `snapshots` | the latest snapshot: its sequence number, head hash, and its header with that header's SHA-256 digest |
//! | `snapshot_chunks` | the latest snapshot's transfers: `sequence`, `chunk` (from 0) and `body` |
//!
//! Every body is JSON (`SELECT CAST(body AS TEXT) FROM journal`), except a batch of
//! transfers, whose body is a [postcard](https://docs.rs/postcard) sequence of
//! transfers, each: id (16 bytes), phase (variant index, then accounts or the
//! pending or original transfer's id, and the amount in pence), value date (days
//! from 0001-01-01), who recorded it, the reason, an optional note.
//!
//! A snapshot's header is postcard: its sequence number and head hash, the
//! accounts, month closes (each with the number of transfers before it),
//! referrals, events and access log as JSON, and each chunk's transfer count
//! and SHA-256. A chunk is the postcard sequence of its distinct provenances,
//! then the number of transfers (a LEB128 varint), then each transfer: id (16
//! bytes), a kind byte (0 posted, 1 pending, 2 post pending with an amount, 3
//! post pending in full, 4 void, 5 reversal), the accounts' positions in the
//! header's list and the amount (zigzag varint) or the earlier transfer's id,
//! and the position of its provenance.
//!
//! Store format 2 added `snapshot_chunks`. A format 1 store is brought to
//! format 2 when it is next opened for writing: its journal is untouched and its
//! old snapshot dropped (the next [`Store::snapshot`] writes a new one).
//!
//! The hash of record *n* is SHA-256 over the hash of record *n - 1* (32 zero
//! bytes for the first), *n* as 8 big-endian bytes, the kind and the time recorded
//! each followed by a zero byte, the item count as 8 big-endian bytes, and the body.
//! [`Store::head`] is the last hash: published elsewhere, it also detects a rewrite
//! of the whole journal, which no chain alone can.
//!
//! # Crate features
//!
//! - `postgres`: [`Store::connect`] to a PostgreSQL server (the `postgres` crate,
//!   synchronous), for many writers at once.

mod chain;
mod error;
#[cfg(feature = "postgres")]
mod pg;
mod record;
mod shared;
mod snapshot;
mod sqlite;
mod state;
mod store;
mod views;

pub use error::StoreError;
pub use record::{EventId, ReferralEventEntry};
pub use shared::SharedStore;
pub use store::{Problem, Report, Store, Stored};

/// The store format this build writes, and the newest it reads.
pub const FORMAT_VERSION: i64 = sqlite::FORMAT_VERSION;
