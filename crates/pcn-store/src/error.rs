//! The one error type of `pcn-store`.

use std::path::PathBuf;

use pcn_budget::BudgetError;
use pcn_core::ReferralId;
use pcn_population::PopulationError;
use pcn_referral::ReferralError;
use thiserror::Error;

use crate::EventId;

/// Everything that can go wrong in this crate. Each variant names the store (its
/// file, or its PostgreSQL database) and the value that was rejected; a refused
/// operation writes nothing and leaves the store's state as it was.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The file exists but is not a store: not an SQLite database, or a database
    /// whose tables are not a store's.
    #[error("{path} is not a pcn store ({reason}); nothing was written to it")]
    NotAStore {
        /// The file.
        path: PathBuf,
        /// What was found instead.
        reason: String,
    },
    /// The store was written by a newer version of this crate.
    #[error(
        "{store} is in store format version {found}, newer than version {supported} that this build reads: open it with a newer release; nothing was written to it"
    )]
    NewerFormat {
        /// The store.
        store: String,
        /// The version found in the store.
        found: i64,
        /// The newest version this build reads.
        supported: i64,
    },
    /// Another process (or another `Store` in this one) holds the store for writing.
    #[error(
        "{path} is held for writing by another process (lock file {lock}); close it there first, or open a copy; nothing was written"
    )]
    Locked {
        /// The database file.
        path: PathBuf,
        /// The lock file held.
        lock: PathBuf,
    },
    /// The journal is damaged: a record whose hash does not chain, a missing or
    /// repeated sequence number, a record that does not decode or does not replay,
    /// or a snapshot that does not match the journal. Nothing is repaired.
    #[error("{store} is damaged at sequence {sequence}: {problem}; nothing was repaired")]
    Damaged {
        /// The store.
        store: String,
        /// The first bad sequence number.
        sequence: u64,
        /// What is wrong there.
        problem: String,
    },
    /// The database failed its integrity check, or SQLite found a damaged page.
    #[error("{store} failed its database integrity check: {detail}")]
    Corrupt {
        /// The store.
        store: String,
        /// What the database reported (page numbers where it gives them).
        detail: String,
    },
    /// The ledger refused a batch or an account: nothing was written.
    #[error("the ledger refused it, so nothing was written: {0}")]
    Budget(#[from] BudgetError),
    /// A referral event was refused by the referral's state machine.
    #[error("the referral lifecycle refused it, so nothing was written: {0}")]
    Referral(#[from] ReferralError),
    /// An access log entry was refused.
    #[error("the access log refused it, so nothing was written: {0}")]
    Population(#[from] PopulationError),
    /// An event names a referral the store does not hold.
    #[error(
        "event {event} is for referral {referral}, which the store does not hold: draft it first"
    )]
    UnknownReferral {
        /// The event.
        event: EventId,
        /// The referral named.
        referral: ReferralId,
    },
    /// A referral id already used for different details.
    #[error("referral {referral} is already stored with other details: use a new id")]
    ReferralIdReused {
        /// The referral.
        referral: ReferralId,
    },
    /// An event id already used for a different event.
    #[error("event id {event} is already stored for a different event: use a new id")]
    EventIdReused {
        /// The event id.
        event: EventId,
    },
    /// An access log entry out of sequence, or a different entry under a used
    /// sequence number.
    #[error(
        "access log entry {sequence} does not follow the stored log of {stored} entries (or differs from the entry stored under that number)"
    )]
    AccessOutOfSequence {
        /// The entry's sequence number.
        sequence: u64,
        /// How many entries the store holds.
        stored: u64,
    },
    /// An earlier write failed after the state had changed in memory, and reloading
    /// from the store failed too: reopen the store.
    #[error("{store} could not be reloaded after a failed write ({detail}): reopen it")]
    NeedsReopen {
        /// The store.
        store: String,
        /// The reload error.
        detail: String,
    },
    /// The database reported an error.
    #[error("{store}: the database reported an error: {detail}")]
    Database {
        /// The store.
        store: String,
        /// The error reported.
        detail: String,
    },
    /// A file could not be read or created.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

/// A copy of an error, for each batch of a failed group commit. An I/O error is
/// copied as its kind and message.
impl Clone for StoreError {
    fn clone(&self) -> Self {
        match self {
            Self::NotAStore { path, reason } => Self::NotAStore {
                path: path.clone(),
                reason: reason.clone(),
            },
            Self::NewerFormat {
                store,
                found,
                supported,
            } => Self::NewerFormat {
                store: store.clone(),
                found: *found,
                supported: *supported,
            },
            Self::Locked { path, lock } => Self::Locked {
                path: path.clone(),
                lock: lock.clone(),
            },
            Self::Damaged {
                store,
                sequence,
                problem,
            } => Self::Damaged {
                store: store.clone(),
                sequence: *sequence,
                problem: problem.clone(),
            },
            Self::Corrupt { store, detail } => Self::Corrupt {
                store: store.clone(),
                detail: detail.clone(),
            },
            Self::Budget(e) => Self::Budget(e.clone()),
            Self::Referral(e) => Self::Referral(e.clone()),
            Self::Population(e) => Self::Population(e.clone()),
            Self::UnknownReferral { event, referral } => Self::UnknownReferral {
                event: *event,
                referral: *referral,
            },
            Self::ReferralIdReused { referral } => Self::ReferralIdReused {
                referral: *referral,
            },
            Self::EventIdReused { event } => Self::EventIdReused { event: *event },
            Self::AccessOutOfSequence { sequence, stored } => Self::AccessOutOfSequence {
                sequence: *sequence,
                stored: *stored,
            },
            Self::NeedsReopen { store, detail } => Self::NeedsReopen {
                store: store.clone(),
                detail: detail.clone(),
            },
            Self::Database { store, detail } => Self::Database {
                store: store.clone(),
                detail: detail.clone(),
            },
            Self::Io { path, source } => Self::Io {
                path: path.clone(),
                source: std::io::Error::new(source.kind(), source.to_string()),
            },
        }
    }
}
