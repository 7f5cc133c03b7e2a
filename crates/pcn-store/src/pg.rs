//! The PostgreSQL backend: the same journal and views, with many writers at once.
//!
//! Every write runs in one transaction that first takes a transaction-scoped
//! advisory lock, then replays what other writers appended since this process last
//! read, then lets the domain crates decide on the new records against that latest
//! state, appends them and commits. Writers therefore take turns at the journal's
//! end: no limit is checked against stale balances, no update is lost, and a
//! transfer id already journalled by another client is reported as already stored.

use postgres::{Client, GenericClient, NoTls};

use crate::StoreError;
use crate::chain::Row;
use crate::sqlite::{FORMAT_VERSION, SnapshotRow};
use crate::state::{Change, Refusal, State};
use crate::store::{Problem, Report, Source};
use crate::views::{BalanceRow, ReferralRow, Views};

/// The advisory lock key writers take turns on: "PCNS".
const LOCK_KEY: i64 = 0x5043_4E53;

const SCHEMA: &str = "
CREATE TABLE journal (
    sequence BIGINT PRIMARY KEY,
    kind TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    items BIGINT NOT NULL,
    body BYTEA NOT NULL,
    hash BYTEA NOT NULL
);
CREATE TABLE snapshots (
    sequence BIGINT PRIMARY KEY,
    head BYTEA NOT NULL,
    digest BYTEA NOT NULL,
    created_at TEXT NOT NULL,
    body BYTEA NOT NULL
);
CREATE TABLE snapshot_chunks (
    sequence BIGINT NOT NULL,
    chunk BIGINT NOT NULL,
    body BYTEA NOT NULL,
    PRIMARY KEY (sequence, chunk)
);
CREATE TABLE balances (
    account TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    debits_posted BIGINT NOT NULL,
    credits_posted BIGINT NOT NULL,
    debits_pending BIGINT NOT NULL,
    credits_pending BIGINT NOT NULL,
    balance BIGINT NOT NULL,
    available BIGINT NOT NULL,
    floor BIGINT,
    as_of_sequence BIGINT NOT NULL
);
CREATE TABLE referral_states (
    referral TEXT PRIMARY KEY,
    patient TEXT NOT NULL,
    pathway TEXT NOT NULL,
    state TEXT NOT NULL,
    detail TEXT NOT NULL,
    events BIGINT NOT NULL,
    updated_at TEXT NOT NULL,
    as_of_sequence BIGINT NOT NULL
);
";

/// A connection to a PostgreSQL store.
pub(crate) struct Postgres {
    client: Client,
    name: String,
}

impl std::fmt::Debug for Postgres {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Postgres")
            .field("name", &self.name)
            .finish()
    }
}

fn db_error(store: &str, e: &postgres::Error) -> StoreError {
    let detail = e
        .as_db_error()
        .map_or_else(|| e.to_string(), |d| d.message().to_owned());
    StoreError::Database {
        store: store.to_owned(),
        detail,
    }
}

fn i64_of(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn u64_of(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

impl Postgres {
    pub(crate) fn connect(url: &str) -> Result<Self, StoreError> {
        let config: postgres::Config =
            url.parse()
                .map_err(|e: postgres::Error| StoreError::Database {
                    store: "the PostgreSQL connection string".to_owned(),
                    detail: e.to_string(),
                })?;
        let host = config
            .get_hosts()
            .first()
            .map_or_else(String::new, |h| match h {
                postgres::config::Host::Tcp(name) => name.clone(),
                postgres::config::Host::Unix(path) => path.display().to_string(),
            });
        let name = format!(
            "PostgreSQL database {} on {host}",
            config.get_dbname().unwrap_or("(default)")
        );
        let client = config.connect(NoTls).map_err(|e| db_error(&name, &e))?;
        let mut pg = Self { client, name };
        pg.prepare_schema()?;
        Ok(pg)
    }

    pub(crate) fn name(&self) -> String {
        self.name.clone()
    }

    /// Creates the tables in a database that has none; refuses a newer format
    /// or a database whose tables are not a store's.
    fn prepare_schema(&mut self) -> Result<(), StoreError> {
        let name = self.name.clone();
        let e = |e: postgres::Error| db_error(&name, &e);
        let mut tx = self.client.transaction().map_err(e)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK_KEY])
            .map_err(e)?;
        let meta: bool = tx
            .query_one("SELECT to_regclass('store_meta') IS NOT NULL", &[])
            .map_err(e)?
            .get(0);
        if meta {
            let version: Option<i64> = tx
                .query_opt(
                    "SELECT value FROM store_meta WHERE name = 'format_version'",
                    &[],
                )
                .map_err(e)?
                .map(|r| r.get(0));
            return match version {
                Some(v) if v > FORMAT_VERSION => Err(StoreError::NewerFormat {
                    store: name.clone(),
                    found: v,
                    supported: FORMAT_VERSION,
                }),
                Some(1) => {
                    // Version 2 keeps a snapshot's transfers in chunks: drop the
                    // old snapshot (the journal is untouched).
                    tx.batch_execute(
                        "CREATE TABLE snapshot_chunks (
                             sequence BIGINT NOT NULL,
                             chunk BIGINT NOT NULL,
                             body BYTEA NOT NULL,
                             PRIMARY KEY (sequence, chunk)
                         );
                         DELETE FROM snapshots;",
                    )
                    .map_err(e)?;
                    tx.execute(
                        "UPDATE store_meta SET value = $1 WHERE name = 'format_version'",
                        &[&FORMAT_VERSION],
                    )
                    .map_err(e)?;
                    tx.commit().map_err(e)
                }
                Some(_) => Ok(()),
                None => Err(StoreError::Database {
                    store: name.clone(),
                    detail: "its store_meta table has no format_version: it is not a pcn store"
                        .to_owned(),
                }),
            };
        }
        let journal: bool = tx
            .query_one("SELECT to_regclass('journal') IS NOT NULL", &[])
            .map_err(e)?
            .get(0);
        if journal {
            return Err(StoreError::Database {
                store: name.clone(),
                detail: "it has a journal table but no store_meta: it is not a pcn store"
                    .to_owned(),
            });
        }
        tx.batch_execute(SCHEMA).map_err(e)?;
        tx.batch_execute("CREATE TABLE store_meta (name TEXT PRIMARY KEY, value BIGINT NOT NULL)")
            .map_err(e)?;
        tx.execute(
            "INSERT INTO store_meta (name, value) VALUES ('format_version', $1)",
            &[&FORMAT_VERSION],
        )
        .map_err(e)?;
        tx.commit().map_err(e)
    }

    /// Replays the records other writers appended.
    pub(crate) fn catch_up(&mut self, state: &mut State) -> Result<(), StoreError> {
        let name = self.name.clone();
        catch_up(&mut self.client, &name, state)
    }

    pub(crate) fn write<T>(
        &mut self,
        state: &mut State,
        op: impl FnOnce(&mut State) -> Result<(Change, T), Refusal>,
    ) -> Result<(T, Option<u64>), Refusal> {
        let name = self.name.clone();
        let clean = |e: postgres::Error| (db_error(&name, &e), false);
        let dirty = |e: postgres::Error| (db_error(&name, &e), true);
        let mut tx = self.client.transaction().map_err(clean)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK_KEY])
            .map_err(clean)?;
        catch_up(&mut tx, &name, state).map_err(|e| (e, true))?;
        let (mut change, out) = op(state)?;
        if change.records.is_empty() {
            return Ok((out, None));
        }
        let first = state.sequence + 1;
        let records = std::mem::take(&mut change.records);
        let recorded_at = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now())
            .format("%Y-%m-%dT%H:%M:%S%.6fZ")
            .to_string();
        let rows = state.seal(records, &recorded_at).map_err(|e| (e, true))?;
        let views = Views::of(state, &change);
        {
            let insert = tx
                .prepare(
                    "INSERT INTO journal (sequence, kind, recorded_at, items, body, hash)
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .map_err(dirty)?;
            for row in &rows {
                tx.execute(
                    &insert,
                    &[
                        &i64_of(row.sequence),
                        &row.kind,
                        &row.recorded_at,
                        &i64_of(row.items),
                        &row.body,
                        &row.hash,
                    ],
                )
                .map_err(dirty)?;
            }
        }
        write_views(&mut tx, &views).map_err(dirty)?;
        tx.commit().map_err(dirty)?;
        Ok((out, Some(first)))
    }

    pub(crate) fn write_snapshot(
        &mut self,
        snapshot: &SnapshotRow,
        chunks: &[Vec<u8>],
        created_at: &str,
    ) -> Result<(), StoreError> {
        let name = self.name.clone();
        let e = |e: postgres::Error| db_error(&name, &e);
        let mut tx = self.client.transaction().map_err(e)?;
        tx.execute("DELETE FROM snapshots", &[]).map_err(e)?;
        tx.execute("DELETE FROM snapshot_chunks", &[]).map_err(e)?;
        let insert = tx
            .prepare("INSERT INTO snapshot_chunks (sequence, chunk, body) VALUES ($1, $2, $3)")
            .map_err(e)?;
        for (i, chunk) in (0i64..).zip(chunks) {
            tx.execute(&insert, &[&i64_of(snapshot.sequence), &i, chunk])
                .map_err(e)?;
        }
        tx.execute(
            "INSERT INTO snapshots (sequence, head, digest, created_at, body)
             VALUES ($1, $2, $3, $4, $5)",
            &[
                &i64_of(snapshot.sequence),
                &snapshot.head,
                &snapshot.digest,
                &created_at,
                &snapshot.body,
            ],
        )
        .map_err(e)?;
        tx.commit().map_err(e)
    }

    pub(crate) fn verify(&mut self) -> Result<Report, StoreError> {
        let views = self.stored_views()?;
        crate::store::verify(self, Vec::<Problem>::new(), Some(views))
    }

    fn stored_views(&mut self) -> Result<Views, StoreError> {
        let name = self.name.clone();
        let e = |e: postgres::Error| db_error(&name, &e);
        let mut views = Views::default();
        for r in self
            .client
            .query(
                "SELECT account, name, kind, debits_posted, credits_posted, debits_pending,
                        credits_pending, balance, available, floor FROM balances",
                &[],
            )
            .map_err(e)?
        {
            let kind: String = r.get(2);
            views.balances.push(BalanceRow {
                account: r.get(0),
                name: r.get(1),
                kind: match kind.as_str() {
                    "funding" => "funding",
                    "pot" => "pot",
                    "spending" => "spending",
                    _ => "unknown",
                },
                debits_posted: r.get(3),
                credits_posted: r.get(4),
                debits_pending: r.get(5),
                credits_pending: r.get(6),
                balance: r.get(7),
                available: r.get(8),
                floor: r.get(9),
            });
        }
        for r in self
            .client
            .query(
                "SELECT referral, patient, pathway, state, detail, events, updated_at
                 FROM referral_states",
                &[],
            )
            .map_err(e)?
        {
            views.referrals.push(ReferralRow {
                referral: r.get(0),
                patient: r.get(1),
                pathway: r.get(2),
                state: r.get(3),
                detail: r.get(4),
                events: r.get(5),
                updated_at: r.get(6),
            });
        }
        Ok(views)
    }
}

fn catch_up(
    client: &mut impl GenericClient,
    name: &str,
    state: &mut State,
) -> Result<(), StoreError> {
    let damaged = |sequence, problem| StoreError::Damaged {
        store: name.to_owned(),
        sequence,
        problem,
    };
    for row in rows_after(client, name, state.sequence)? {
        state.replay_row(row).map_err(|(s, p)| damaged(s, p))?;
    }
    Ok(())
}

fn rows_after(
    client: &mut impl GenericClient,
    name: &str,
    after: u64,
) -> Result<Vec<Row>, StoreError> {
    let rows = client
        .query(
            "SELECT sequence, kind, recorded_at, items, body, hash FROM journal
             WHERE sequence > $1 ORDER BY sequence",
            &[&i64_of(after)],
        )
        .map_err(|e| db_error(name, &e))?;
    Ok(rows
        .into_iter()
        .map(|r| Row {
            sequence: u64_of(r.get(0)),
            kind: r.get(1),
            recorded_at: r.get(2),
            items: u64_of(r.get(3)),
            body: r.get(4),
            hash: r.get(5),
        })
        .collect())
}

fn write_views(tx: &mut impl GenericClient, views: &Views) -> Result<(), postgres::Error> {
    if !views.balances.is_empty() {
        let balance = tx.prepare(
            "INSERT INTO balances (account, name, kind, debits_posted, credits_posted,
                 debits_pending, credits_pending, balance, available, floor, as_of_sequence)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             ON CONFLICT (account) DO UPDATE SET name = excluded.name, kind = excluded.kind,
                 debits_posted = excluded.debits_posted, credits_posted = excluded.credits_posted,
                 debits_pending = excluded.debits_pending, credits_pending = excluded.credits_pending,
                 balance = excluded.balance, available = excluded.available,
                 floor = excluded.floor, as_of_sequence = excluded.as_of_sequence",
        )?;
        for b in &views.balances {
            tx.execute(
                &balance,
                &[
                    &b.account,
                    &b.name,
                    &b.kind,
                    &b.debits_posted,
                    &b.credits_posted,
                    &b.debits_pending,
                    &b.credits_pending,
                    &b.balance,
                    &b.available,
                    &b.floor,
                    &views.sequence,
                ],
            )?;
        }
    }
    if !views.referrals.is_empty() {
        let referral = tx.prepare(
            "INSERT INTO referral_states (referral, patient, pathway, state, detail, events,
                 updated_at, as_of_sequence)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (referral) DO UPDATE SET state = excluded.state,
                 detail = excluded.detail, events = excluded.events,
                 updated_at = excluded.updated_at, as_of_sequence = excluded.as_of_sequence",
        )?;
        for r in &views.referrals {
            tx.execute(
                &referral,
                &[
                    &r.referral,
                    &r.patient,
                    &r.pathway,
                    &r.state,
                    &r.detail,
                    &r.events,
                    &r.updated_at,
                    &views.sequence,
                ],
            )?;
        }
    }
    Ok(())
}

impl Source for Postgres {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn latest_snapshot(&mut self) -> Result<Option<SnapshotRow>, StoreError> {
        let row = self
            .client
            .query_opt(
                "SELECT sequence, head, digest, body FROM snapshots ORDER BY sequence DESC LIMIT 1",
                &[],
            )
            .map_err(|e| db_error(&self.name, &e))?;
        Ok(row.map(|r| SnapshotRow {
            sequence: u64_of(r.get(0)),
            head: r.get(1),
            digest: r.get(2),
            body: r.get(3),
        }))
    }

    fn row_hash(&mut self, sequence: u64) -> Result<Option<Vec<u8>>, StoreError> {
        let row = self
            .client
            .query_opt(
                "SELECT hash FROM journal WHERE sequence = $1",
                &[&i64_of(sequence)],
            )
            .map_err(|e| db_error(&self.name, &e))?;
        Ok(row.map(|r| r.get(0)))
    }

    fn rows_after(
        &mut self,
        after: u64,
        f: &mut dyn FnMut(Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let name = self.name.clone();
        for row in rows_after(&mut self.client, &name, after)? {
            f(row)?;
        }
        Ok(())
    }

    fn snapshot_chunks(
        &mut self,
        sequence: u64,
        f: &mut crate::store::ChunkSink<'_>,
    ) -> Result<(), StoreError> {
        use postgres::fallible_iterator::FallibleIterator;
        let name = self.name.clone();
        let e = |e: postgres::Error| db_error(&name, &e);
        // Streamed row by row: a large snapshot is never held whole.
        let mut rows = self
            .client
            .query_raw(
                "SELECT chunk, body FROM snapshot_chunks WHERE sequence = $1 ORDER BY chunk",
                [i64_of(sequence)],
            )
            .map_err(e)?;
        while let Some(r) = rows.next().map_err(e)? {
            let chunk: i64 = r.try_get(0).map_err(e)?;
            let body: &[u8] = r.try_get(1).map_err(e)?;
            f(u64_of(chunk), body)?;
        }
        Ok(())
    }
}
