//! The SQLite backend: one database file, written by one process at a time.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, params};

use crate::StoreError;
use crate::chain::Row;
use crate::views::Views;

/// `PRAGMA application_id` of a store: "PCNS".
pub(crate) const APPLICATION_ID: i64 = 0x5043_4E53;
/// The store format this build writes and the newest it reads. Version 2 keeps
/// a snapshot's transfers in chunks (`snapshot_chunks`); a version 1 store is
/// brought to version 2 when opened for writing, its old snapshot dropped (the
/// journal is untouched, and the next snapshot is written in the new form).
pub(crate) const FORMAT_VERSION: i64 = 2;

const SNAPSHOT_CHUNKS: &str = "
CREATE TABLE snapshot_chunks (
    sequence INTEGER NOT NULL,
    chunk INTEGER NOT NULL,
    body BLOB NOT NULL,
    UNIQUE (sequence, chunk)
);
";

const SCHEMA: &str = "
CREATE TABLE journal (
    sequence INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    items INTEGER NOT NULL,
    body BLOB NOT NULL,
    hash BLOB NOT NULL
);
CREATE TABLE snapshots (
    sequence INTEGER PRIMARY KEY,
    head BLOB NOT NULL,
    digest BLOB NOT NULL,
    created_at TEXT NOT NULL,
    body BLOB NOT NULL
);
CREATE TABLE balances (
    account TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    debits_posted INTEGER NOT NULL,
    credits_posted INTEGER NOT NULL,
    debits_pending INTEGER NOT NULL,
    credits_pending INTEGER NOT NULL,
    balance INTEGER NOT NULL,
    available INTEGER NOT NULL,
    floor INTEGER,
    as_of_sequence INTEGER NOT NULL
);
CREATE TABLE referral_states (
    referral TEXT PRIMARY KEY,
    patient TEXT NOT NULL,
    pathway TEXT NOT NULL,
    state TEXT NOT NULL,
    detail TEXT NOT NULL,
    events INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    as_of_sequence INTEGER NOT NULL
);
";

/// A snapshot row.
#[derive(Debug)]
pub(crate) struct SnapshotRow {
    pub(crate) sequence: u64,
    pub(crate) head: Vec<u8>,
    pub(crate) digest: Vec<u8>,
    pub(crate) body: Vec<u8>,
}

/// An open SQLite store and the lock that makes its process the only writer.
#[derive(Debug)]
pub(crate) struct Sqlite {
    conn: Connection,
    path: PathBuf,
    /// Held for the store's life; dropped after the connection.
    _lock: File,
}

pub(crate) fn db_error(path: &Path, e: &rusqlite::Error) -> StoreError {
    let store = path.display().to_string();
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            store,
            detail: e.to_string(),
        },
        Some(ErrorCode::NotADatabase) => StoreError::NotAStore {
            path: path.to_owned(),
            reason: "it is not an SQLite database".to_owned(),
        },
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Locked {
            path: path.to_owned(),
            lock: path.to_owned(),
        },
        _ => StoreError::Database {
            store,
            detail: e.to_string(),
        },
    }
}

/// A column's bytes whatever its storage class: an edited row may hold text.
fn bytes_at(r: &rusqlite::Row<'_>, i: usize) -> Result<Vec<u8>, rusqlite::Error> {
    use rusqlite::types::ValueRef;
    Ok(match r.get_ref(i)? {
        ValueRef::Blob(b) | ValueRef::Text(b) => b.to_vec(),
        ValueRef::Null => Vec::new(),
        ValueRef::Integer(v) => v.to_be_bytes().to_vec(),
        ValueRef::Real(v) => v.to_be_bytes().to_vec(),
    })
}

fn i64_of(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn u64_of(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// What `check_format` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// An empty database: the tables are to be created.
    New,
    /// A store of this format version.
    Version(i64),
}

/// Checks that the file at `path` is a store (or a new, empty database) this build
/// reads, without writing.
fn check_format(conn: &Connection, path: &Path) -> Result<Format, StoreError> {
    let e = |e: rusqlite::Error| db_error(path, &e);
    let app: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(e)?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(e)?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(e)?;
    if app == APPLICATION_ID {
        if version > FORMAT_VERSION {
            return Err(StoreError::NewerFormat {
                store: path.display().to_string(),
                found: version,
                supported: FORMAT_VERSION,
            });
        }
        if version < 1 {
            return Err(StoreError::NotAStore {
                path: path.to_owned(),
                reason: format!("its format version is {version}"),
            });
        }
        return Ok(Format::Version(version));
    }
    if app == 0 && tables == 0 {
        return Ok(Format::New);
    }
    Err(StoreError::NotAStore {
        path: path.to_owned(),
        reason: if app == 0 {
            format!("it is an SQLite database with {tables} other tables and views")
        } else {
            format!("it is an SQLite database of another application (id {app:#x})")
        },
    })
}

/// The sidecar lock file of a database.
fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-lock");
    PathBuf::from(name)
}

impl Sqlite {
    /// Opens (or creates) the store at `path` for writing.
    pub(crate) fn open(path: &Path) -> Result<Self, StoreError> {
        // An existing file is checked read-only first, so that a file that is not a
        // store, or is a newer one, is left exactly as it was.
        if path.exists() {
            let conn = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(|e| db_error(path, &e))?;
            check_format(&conn, path)?;
        }
        let lock_file = lock_path(path);
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_file)
            .map_err(|source| StoreError::Io {
                path: lock_file.clone(),
                source,
            })?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(StoreError::Locked {
                    path: path.to_owned(),
                    lock: lock_file,
                });
            }
            Err(TryLockError::Error(source)) => {
                return Err(StoreError::Io {
                    path: lock_file,
                    source,
                });
            }
        }
        let conn = Connection::open(path).map_err(|e| db_error(path, &e))?;
        let e = |e: rusqlite::Error| db_error(path, &e);
        conn.busy_timeout(std::time::Duration::from_millis(2_000))
            .map_err(e)?;
        let format = check_format(&conn, path)?;
        let create = format == Format::New;
        if create {
            // Large pages keep a batch's body in few overflow pages.
            conn.execute_batch("PRAGMA page_size = 16384;").map_err(e)?;
        }
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             PRAGMA foreign_keys = ON;
             PRAGMA cache_size = -65536;",
        )
        .map_err(e)?;
        if create {
            conn.execute_batch(&format!(
                "BEGIN IMMEDIATE;
                 {SCHEMA}
                 {SNAPSHOT_CHUNKS}
                 PRAGMA application_id = {APPLICATION_ID};
                 PRAGMA user_version = {FORMAT_VERSION};
                 COMMIT;"
            ))
            .map_err(e)?;
        } else if format == Format::Version(1) {
            conn.execute_batch(&format!(
                "BEGIN IMMEDIATE;
                 {SNAPSHOT_CHUNKS}
                 DELETE FROM snapshots;
                 PRAGMA user_version = {FORMAT_VERSION};
                 COMMIT;"
            ))
            .map_err(e)?;
        }
        Ok(Self {
            conn,
            path: path.to_owned(),
            _lock: lock,
        })
    }

    /// A read-only connection, for `verify` on a file another process may hold.
    pub(crate) fn open_read_only(path: &Path) -> Result<Connection, StoreError> {
        if !path.exists() {
            return Err(StoreError::Io {
                path: path.to_owned(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
            });
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| db_error(path, &e))?;
        if check_format(&conn, path)? == Format::New {
            return Err(StoreError::NotAStore {
                path: path.to_owned(),
                reason: "it is an empty database".to_owned(),
            });
        }
        Ok(conn)
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Appends rows and updates the views in one transaction: when this returns
    /// `Ok`, they are on disk.
    pub(crate) fn append(&mut self, rows: &[Row], views: &Views) -> Result<(), StoreError> {
        let path = self.path.clone();
        let e = |e: rusqlite::Error| db_error(&path, &e);
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(e)?;
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO journal (sequence, kind, recorded_at, items, body, hash)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .map_err(e)?;
            for row in rows {
                insert
                    .execute(params![
                        i64_of(row.sequence),
                        row.kind,
                        row.recorded_at,
                        i64_of(row.items),
                        row.body,
                        row.hash
                    ])
                    .map_err(e)?;
            }
            write_views(&tx, views).map_err(e)?;
        }
        tx.commit().map_err(e)
    }

    /// Writes a snapshot (its header row and its chunks), replacing any earlier
    /// one, in one transaction.
    pub(crate) fn write_snapshot(
        &mut self,
        snapshot: &SnapshotRow,
        chunks: &[Vec<u8>],
        created_at: &str,
    ) -> Result<(), StoreError> {
        let path = self.path.clone();
        let e = |e: rusqlite::Error| db_error(&path, &e);
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(e)?;
        tx.execute("DELETE FROM snapshots", []).map_err(e)?;
        tx.execute("DELETE FROM snapshot_chunks", []).map_err(e)?;
        {
            let mut insert = tx
                .prepare("INSERT INTO snapshot_chunks (sequence, chunk, body) VALUES (?1, ?2, ?3)")
                .map_err(e)?;
            for (i, chunk) in (0i64..).zip(chunks) {
                insert
                    .execute(params![i64_of(snapshot.sequence), i, chunk])
                    .map_err(e)?;
            }
        }
        tx.execute(
            "INSERT INTO snapshots (sequence, head, digest, created_at, body)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                i64_of(snapshot.sequence),
                snapshot.head,
                snapshot.digest,
                created_at,
                snapshot.body
            ],
        )
        .map_err(e)?;
        tx.commit().map_err(e)
    }
}

fn write_views(tx: &Connection, views: &Views) -> Result<(), rusqlite::Error> {
    if !views.balances.is_empty() {
        let mut balance = tx.prepare_cached(
            "INSERT INTO balances (account, name, kind, debits_posted, credits_posted,
                 debits_pending, credits_pending, balance, available, floor, as_of_sequence)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT (account) DO UPDATE SET name = excluded.name, kind = excluded.kind,
                 debits_posted = excluded.debits_posted, credits_posted = excluded.credits_posted,
                 debits_pending = excluded.debits_pending, credits_pending = excluded.credits_pending,
                 balance = excluded.balance, available = excluded.available,
                 floor = excluded.floor, as_of_sequence = excluded.as_of_sequence",
        )?;
        for b in &views.balances {
            balance.execute(params![
                b.account,
                b.name,
                b.kind,
                b.debits_posted,
                b.credits_posted,
                b.debits_pending,
                b.credits_pending,
                b.balance,
                b.available,
                b.floor,
                views.sequence
            ])?;
        }
    }
    if !views.referrals.is_empty() {
        let mut referral = tx.prepare_cached(
            "INSERT INTO referral_states (referral, patient, pathway, state, detail, events,
                 updated_at, as_of_sequence)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (referral) DO UPDATE SET state = excluded.state,
                 detail = excluded.detail, events = excluded.events,
                 updated_at = excluded.updated_at, as_of_sequence = excluded.as_of_sequence",
        )?;
        for r in &views.referrals {
            referral.execute(params![
                r.referral,
                r.patient,
                r.pathway,
                r.state,
                r.detail,
                r.events,
                r.updated_at,
                views.sequence
            ])?;
        }
    }
    Ok(())
}

/// Reading, shared by the writer and by read-only `verify`. A version 1 store
/// (read-only, not yet brought to version 2) has no snapshot this build reads.
pub(crate) fn latest_snapshot(
    conn: &Connection,
    path: &Path,
) -> Result<Option<SnapshotRow>, StoreError> {
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| db_error(path, &e))?;
    if version < 2 {
        return Ok(None);
    }
    conn.query_row(
        "SELECT sequence, head, digest, body FROM snapshots ORDER BY sequence DESC LIMIT 1",
        [],
        |r| {
            Ok(SnapshotRow {
                sequence: u64_of(r.get(0)?),
                head: bytes_at(r, 1)?,
                digest: bytes_at(r, 2)?,
                body: bytes_at(r, 3)?,
            })
        },
    )
    .optional()
    .map_err(|e| db_error(path, &e))
}

pub(crate) fn row_hash(
    conn: &Connection,
    path: &Path,
    sequence: u64,
) -> Result<Option<Vec<u8>>, StoreError> {
    conn.query_row(
        "SELECT hash FROM journal WHERE sequence = ?1",
        [i64_of(sequence)],
        |r| bytes_at(r, 0),
    )
    .optional()
    .map_err(|e| db_error(path, &e))
}

/// Streams the rows after `after`, in sequence order.
pub(crate) fn rows_after(
    conn: &Connection,
    path: &Path,
    after: u64,
    f: &mut dyn FnMut(Row) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let e = |e: rusqlite::Error| db_error(path, &e);
    let mut stmt = conn
        .prepare_cached(
            "SELECT sequence, kind, recorded_at, items, body, hash FROM journal
             WHERE sequence > ?1 ORDER BY sequence",
        )
        .map_err(e)?;
    let mut rows = stmt.query([i64_of(after)]).map_err(e)?;
    while let Some(r) = rows.next().map_err(e)? {
        let row = Row {
            sequence: u64_of(r.get(0).map_err(e)?),
            kind: r.get(1).map_err(e)?,
            recorded_at: r.get(2).map_err(e)?,
            items: u64_of(r.get(3).map_err(e)?),
            body: bytes_at(r, 4).map_err(e)?,
            hash: bytes_at(r, 5).map_err(e)?,
        };
        f(row)?;
    }
    Ok(())
}

/// Streams the chunks of the snapshot taken at `sequence`, in order, without
/// copying them out of SQLite.
pub(crate) fn snapshot_chunks(
    conn: &Connection,
    path: &Path,
    sequence: u64,
    f: &mut crate::store::ChunkSink<'_>,
) -> Result<(), StoreError> {
    use rusqlite::types::ValueRef;
    let e = |e: rusqlite::Error| db_error(path, &e);
    let mut stmt = conn
        .prepare_cached(
            "SELECT chunk, body FROM snapshot_chunks WHERE sequence = ?1 ORDER BY chunk",
        )
        .map_err(e)?;
    let mut rows = stmt.query([i64_of(sequence)]).map_err(e)?;
    while let Some(r) = rows.next().map_err(e)? {
        let chunk = u64_of(r.get(0).map_err(e)?);
        match r.get_ref(1).map_err(e)? {
            ValueRef::Blob(b) | ValueRef::Text(b) => f(chunk, b)?,
            _ => f(chunk, &[])?,
        }
    }
    Ok(())
}

/// `PRAGMA integrity_check`: every problem SQLite finds, naming pages.
pub(crate) fn integrity(conn: &Connection, path: &Path) -> Result<Vec<String>, StoreError> {
    let e = |e: rusqlite::Error| db_error(path, &e);
    let mut stmt = conn.prepare("PRAGMA integrity_check").map_err(e)?;
    let lines: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .map_err(e)?
        .collect::<Result<_, _>>()
        .map_err(e)?;
    Ok(lines.into_iter().filter(|l| l != "ok").collect())
}

/// The views as stored, for `verify`.
pub(crate) fn stored_views(conn: &Connection, path: &Path) -> Result<Views, StoreError> {
    let e = |e: rusqlite::Error| db_error(path, &e);
    let mut views = Views::default();
    let mut stmt = conn
        .prepare(
            "SELECT account, name, kind, debits_posted, credits_posted, debits_pending,
                    credits_pending, balance, available, floor FROM balances ORDER BY account",
        )
        .map_err(e)?;
    let mut rows = stmt.query([]).map_err(e)?;
    while let Some(r) = rows.next().map_err(e)? {
        let kind: String = r.get(2).map_err(e)?;
        views.balances.push(crate::views::BalanceRow {
            account: r.get(0).map_err(e)?,
            name: r.get(1).map_err(e)?,
            kind: match kind.as_str() {
                "funding" => "funding",
                "pot" => "pot",
                "spending" => "spending",
                _ => "unknown",
            },
            debits_posted: r.get(3).map_err(e)?,
            credits_posted: r.get(4).map_err(e)?,
            debits_pending: r.get(5).map_err(e)?,
            credits_pending: r.get(6).map_err(e)?,
            balance: r.get(7).map_err(e)?,
            available: r.get(8).map_err(e)?,
            floor: r.get(9).map_err(e)?,
        });
    }
    let mut stmt = conn
        .prepare(
            "SELECT referral, patient, pathway, state, detail, events, updated_at
             FROM referral_states ORDER BY referral",
        )
        .map_err(e)?;
    let mut rows = stmt.query([]).map_err(e)?;
    while let Some(r) = rows.next().map_err(e)? {
        views.referrals.push(crate::views::ReferralRow {
            referral: r.get(0).map_err(e)?,
            patient: r.get(1).map_err(e)?,
            pathway: r.get(2).map_err(e)?,
            state: r.get(3).map_err(e)?,
            detail: r.get(4).map_err(e)?,
            events: r.get(5).map_err(e)?,
            updated_at: r.get(6).map_err(e)?,
        });
    }
    Ok(views)
}
