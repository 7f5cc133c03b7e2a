//! Snapshots: the state at a sequence number, in a form that reopens quickly.
//!
//! A snapshot is a header and chunks. The header holds everything but the ledger's
//! transfers (the accounts, month closes, referrals, their events and the access
//! log, as JSON) and, for each chunk, how many transfers it holds and its SHA-256;
//! the store keeps the SHA-256 of the header beside it, so that one digest covers
//! the whole snapshot. A chunk holds up to [`CHUNK_TRANSFERS`] transfers in the
//! order the ledger applied them, compactly: accounts by their position in the
//! header's list, each distinct provenance (date, who, why, note) written once per
//! chunk, about 23 bytes a transfer where a journal record takes about 75.
//!
//! Reopening reads the chunks in order on one thread, checks their digests and
//! decodes them on a second, and applies them through the ledger's own checked
//! `apply` on a third, so that reading, hashing, decoding and applying overlap on
//! two cores. What it rebuilds is what a full replay of the journal gives: the
//! same ledger, transfer by transfer, with every invariant checked again.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc;

use chrono::NaiveDate;
use pcn_budget::{Account, Actor, Batch, Entry, Phase, Reason, Transfer};
use pcn_core::{AccountId, Money, ReferralId, TransferId};
use pcn_population::{AccessLog, AccessLogEntry};
use pcn_referral::Referral;
use serde::{Deserialize, Serialize};

use crate::chain::{self, Hash};
use crate::record::{Close, WireProvenance, bytes, uuid};
use crate::sqlite::SnapshotRow;
use crate::state::State;
use crate::store::Source;
use crate::{EventId, StoreError};

/// Transfers in a full chunk: about 6 MB, so that a chunk is hashed and decoded
/// while the one before it is applied.
pub(crate) const CHUNK_TRANSFERS: usize = 1 << 18;

/// How many chunks may wait between reading and decoding.
const IN_FLIGHT: usize = 2;

/// Transfers handed from decoding to applying at a time: small enough that the
/// allocator reuses their memory rather than asking the system for fresh pages.
const PIECE: usize = 1_024;

/// A snapshot's header. Field order is the format.
#[derive(Serialize, Deserialize)]
struct Header {
    sequence: u64,
    head: Hash,
    /// The ledger's accounts in the order opened (JSON).
    accounts: String,
    /// Month closes with the number of transfers before each (JSON).
    closes: String,
    /// Each chunk's number of transfers and SHA-256, in order.
    chunks: Vec<(u64, Hash)>,
    referrals: String,
    events: String,
    access: String,
}

/// A snapshot as written: its header and its chunks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Snapshot {
    pub(crate) header: Vec<u8>,
    pub(crate) chunks: Vec<Vec<u8>>,
}

/// A chunk of transfers, written by hand for speed (it is the one part of
/// reopening that grows with the ledger):
///
/// - the chunk's distinct provenances, as a postcard sequence of the journal's
///   compact provenance (date, who, why, note);
/// - the number of transfers, a LEB128 varint;
/// - each transfer: its id (16 bytes), a tag byte, then by tag: 0 posted and 1
///   pending: debit and credit account (varint positions in the header's list)
///   and the amount in pence (zigzag varint); 2 post pending with an amount: the
///   pending transfer's id (16 bytes) and the amount; 3 post pending in full: the
///   pending transfer's id; 4 void: its id; 5 reversal: the original's id; last,
///   the provenance (varint position in the chunk's list).
mod tag {
    pub(super) const POSTED: u8 = 0;
    pub(super) const PENDING: u8 = 1;
    pub(super) const POST_AMOUNT: u8 = 2;
    pub(super) const POST_IN_FULL: u8 = 3;
    pub(super) const VOID: u8 = 4;
    pub(super) const REVERSAL: u8 = 5;
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        // Seven bits at a time, low first: the cast keeps the low byte.
        #[allow(clippy::cast_possible_truncation)]
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    #[allow(clippy::cast_possible_truncation)]
    out.push(v as u8);
}

#[allow(clippy::cast_sign_loss)] // Zigzag maps signed to unsigned by design.
const fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

#[allow(clippy::cast_possible_wrap)] // The inverse of `zigzag`.
const fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// Reads a chunk's bytes in order.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if self.bytes.len() < n {
            return Err("ends part way through a transfer".to_owned());
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    fn byte(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }

    fn id(&mut self) -> Result<[u8; 16], String> {
        self.take(16)?
            .try_into()
            .map_err(|_| "ends part way through an id".to_owned())
    }

    fn varint(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err("has a number longer than 64 bits".to_owned())
    }

    fn position(&mut self) -> Result<usize, String> {
        usize::try_from(self.varint()?).map_err(|e| e.to_string())
    }
}

/// Why a snapshot could not be restored.
pub(crate) enum Failure {
    /// The store could not be read.
    Source(StoreError),
    /// The snapshot is damaged: what is wrong with it.
    Damaged(String),
}

type ProvenanceKey = (NaiveDate, Actor, Reason, Option<Arc<str>>);

fn encode_chunk(
    entries: &[Entry<'_>],
    accounts: &HashMap<AccountId, u32>,
) -> Result<Vec<u8>, String> {
    let mut keys: HashMap<ProvenanceKey, u64> = HashMap::new();
    let mut provenances = Vec::new();
    let mut body = Vec::with_capacity(entries.len() * 24);
    let position = |id: AccountId| {
        accounts
            .get(&id)
            .map(|p| u64::from(*p))
            .ok_or_else(|| format!("account {id} is not in the ledger"))
    };
    for e in entries {
        let t = e.transfer();
        let p = t.provenance();
        let key = (p.date, p.recorded_by, p.reason, p.note.clone());
        let next = provenances.len() as u64;
        let provenance = *keys.entry(key).or_insert_with(|| {
            provenances.push(WireProvenance::from(p));
            next
        });
        body.extend_from_slice(&bytes(t.id().as_uuid()));
        match *t.phase() {
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
                let posted = matches!(t.phase(), Phase::Posted { .. });
                body.push(if posted { tag::POSTED } else { tag::PENDING });
                put_varint(&mut body, position(debit)?);
                put_varint(&mut body, position(credit)?);
                put_varint(&mut body, zigzag(amount.pence()));
            }
            Phase::PostPending {
                pending,
                amount: Some(amount),
            } => {
                body.push(tag::POST_AMOUNT);
                body.extend_from_slice(&bytes(pending.as_uuid()));
                put_varint(&mut body, zigzag(amount.pence()));
            }
            Phase::PostPending {
                pending,
                amount: None,
            } => {
                body.push(tag::POST_IN_FULL);
                body.extend_from_slice(&bytes(pending.as_uuid()));
            }
            Phase::VoidPending { pending } => {
                body.push(tag::VOID);
                body.extend_from_slice(&bytes(pending.as_uuid()));
            }
            Phase::Reversal { original } => {
                body.push(tag::REVERSAL);
                body.extend_from_slice(&bytes(original.as_uuid()));
            }
        }
        put_varint(&mut body, provenance);
    }
    let mut out = postcard::to_allocvec(&provenances).map_err(|e| e.to_string())?;
    put_varint(&mut out, entries.len() as u64);
    out.extend_from_slice(&body);
    Ok(out)
}

/// Decodes a chunk whose digest has been checked, handing its transfers on in
/// pieces of [`PIECE`] as they are decoded. Stops early, with `Ok`, if `emit`
/// says the receiver has gone.
fn decode_chunk(
    raw: &[u8],
    expected: u64,
    accounts: &[AccountId],
    emit: &mut dyn FnMut(Vec<Transfer>) -> bool,
) -> Result<(), String> {
    let (provenances, rest): (Vec<WireProvenance>, &[u8]) =
        postcard::take_from_bytes(raw).map_err(|e| format!("does not decode: {e}"))?;
    let provenances = provenances
        .into_iter()
        .map(WireProvenance::into_provenance)
        .collect::<Result<Vec<_>, _>>()?;
    let mut r = Reader { bytes: rest };
    let count = r.varint()?;
    if count != expected {
        return Err(format!(
            "holds {count} transfers where its header says {expected}"
        ));
    }
    let account = |r: &mut Reader<'_>| {
        let i = r.position()?;
        accounts
            .get(i)
            .copied()
            .ok_or_else(|| format!("names account {i} of the {} it lists", accounts.len()))
    };
    let tr = |b| TransferId::from_uuid(uuid(b));
    let amount = |r: &mut Reader<'_>| r.varint().map(|v| Money::from_pence(unzigzag(v)));
    let mut transfers = Vec::with_capacity(PIECE);
    for _ in 0..count {
        let id = tr(r.id()?);
        let phase = match r.byte()? {
            tag::POSTED => Phase::Posted {
                debit: account(&mut r)?,
                credit: account(&mut r)?,
                amount: amount(&mut r)?,
            },
            tag::PENDING => Phase::Pending {
                debit: account(&mut r)?,
                credit: account(&mut r)?,
                amount: amount(&mut r)?,
            },
            tag::POST_AMOUNT => Phase::PostPending {
                pending: tr(r.id()?),
                amount: Some(amount(&mut r)?),
            },
            tag::POST_IN_FULL => Phase::PostPending {
                pending: tr(r.id()?),
                amount: None,
            },
            tag::VOID => Phase::VoidPending {
                pending: tr(r.id()?),
            },
            tag::REVERSAL => Phase::Reversal {
                original: tr(r.id()?),
            },
            other => return Err(format!("has a transfer of unknown kind {other}")),
        };
        let p = r.position()?;
        let provenance = provenances
            .get(p)
            .cloned()
            .ok_or_else(|| format!("names provenance {p} of {}", provenances.len()))?;
        transfers.push(Transfer::new(id, phase, provenance).map_err(|e| e.to_string())?);
        if transfers.len() == PIECE
            && !emit(std::mem::replace(&mut transfers, Vec::with_capacity(PIECE)))
        {
            return Ok(());
        }
    }
    if !r.bytes.is_empty() {
        return Err(format!(
            "has {} bytes after its last transfer",
            r.bytes.len()
        ));
    }
    if !transfers.is_empty() {
        emit(transfers);
    }
    Ok(())
}

impl State {
    /// The state as a snapshot, in chunks of [`CHUNK_TRANSFERS`].
    pub(crate) fn snapshot(&self) -> Result<Snapshot, String> {
        self.snapshot_in_chunks(CHUNK_TRANSFERS)
    }

    /// The state as a snapshot, in chunks of `size` transfers.
    pub(crate) fn snapshot_in_chunks(&self, size: usize) -> Result<Snapshot, String> {
        let json = |r: Result<String, serde_json::Error>| r.map_err(|e| e.to_string());
        let accounts: HashMap<AccountId, u32> = self
            .ledger
            .accounts()
            .iter()
            .enumerate()
            .map(|(i, a)| u32::try_from(i).map(|i| (a.id(), i)))
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?;
        let mut chunks = Vec::new();
        let mut listed = Vec::new();
        let mut history = self.ledger.history();
        loop {
            let part: Vec<Entry<'_>> = history.by_ref().take(size.max(1)).collect();
            if part.is_empty() {
                break;
            }
            let chunk = encode_chunk(&part, &accounts)?;
            listed.push((part.len() as u64, chain::digest(&chunk)));
            chunks.push(chunk);
        }
        let closes: Vec<(usize, Close)> = self
            .ledger
            .closes()
            .iter()
            .map(|c| {
                (
                    c.after_transfers,
                    Close {
                        month: c.month,
                        closed_by: c.closed_by,
                    },
                )
            })
            .collect();
        let referrals: Vec<&Referral> = self.referrals.values().collect();
        let mut events: Vec<(EventId, ReferralId, usize)> =
            self.events.iter().map(|(e, (r, p))| (*e, *r, *p)).collect();
        events.sort_unstable();
        let header = Header {
            sequence: self.sequence,
            head: self.head,
            accounts: json(serde_json::to_string(self.ledger.accounts()))?,
            closes: json(serde_json::to_string(&closes))?,
            chunks: listed,
            referrals: json(serde_json::to_string(&referrals))?,
            events: json(serde_json::to_string(&events))?,
            access: json(serde_json::to_string(self.access.entries()))?,
        };
        Ok(Snapshot {
            header: postcard::to_allocvec(&header).map_err(|e| e.to_string())?,
            chunks,
        })
    }
}

/// Where restoring starts: the state before any transfer, the month closes
/// still to make (each after its number of transfers) and the accounts by
/// position.
struct Start {
    state: State,
    closes: Vec<(usize, Close)>,
    ids: Vec<AccountId>,
}

impl Header {
    /// The state the header holds, before any transfer: accounts opened,
    /// referrals, events and access log; with the month closes still to make and
    /// the accounts by position.
    fn start(&self) -> Result<Start, String> {
        let json = |e: serde_json::Error| format!("does not decode: {e}");
        let mut state = State {
            sequence: self.sequence,
            head: self.head,
            ..State::default()
        };
        let accounts: Vec<Account> = serde_json::from_str(&self.accounts).map_err(json)?;
        let ids = accounts.iter().map(Account::id).collect();
        for a in accounts {
            state.ledger.open(a).map_err(|e| e.to_string())?;
        }
        let closes: Vec<(usize, Close)> = serde_json::from_str(&self.closes).map_err(json)?;
        let referrals: Vec<Referral> = serde_json::from_str(&self.referrals).map_err(json)?;
        state.referrals = referrals.into_iter().map(|r| (r.id(), r)).collect();
        let events: Vec<(EventId, ReferralId, usize)> =
            serde_json::from_str(&self.events).map_err(json)?;
        for (e, r, p) in events {
            if state
                .referrals
                .get(&r)
                .is_none_or(|x| x.history().len() <= p)
            {
                return Err(format!(
                    "names event {e}, which is no stored referral event"
                ));
            }
            state.events.insert(e, (r, p));
        }
        let access: Vec<AccessLogEntry> = serde_json::from_str(&self.access).map_err(json)?;
        let mut log = AccessLog::default();
        for e in access {
            log.resume(e)
                .map_err(|e| format!("has access log entry {} out of sequence", e.sequence))?;
        }
        state.access = log;
        Ok(Start { state, closes, ids })
    }
}

/// Applies decoded chunks in order through the ledger, making each month close
/// after the number of transfers it was made after.
fn apply_chunks(
    mut state: State,
    closes: Vec<(usize, Close)>,
    chunks: &mpsc::Receiver<Result<Vec<Transfer>, String>>,
    total: u64,
) -> Result<State, String> {
    let mut closes = closes.into_iter().peekable();
    let mut applied = 0usize;
    for chunk in chunks {
        let mut transfers = chunk?;
        while !transfers.is_empty() {
            while let Some((_, close)) = closes.next_if(|(after, _)| *after == applied) {
                state
                    .ledger
                    .close_month(close.month, close.closed_by)
                    .map_err(|e| e.to_string())?;
            }
            let room = closes
                .peek()
                .map_or(transfers.len(), |(after, _)| after.saturating_sub(applied))
                .min(transfers.len());
            if room == 0 {
                return Err(format!(
                    "has a month close out of order, before transfer {applied}"
                ));
            }
            let rest = transfers.split_off(room);
            let done = state
                .ledger
                .apply(&Batch::from(transfers))
                .map_err(|e| format!("does not replay: {e}"))?;
            if done.applied != room {
                return Err("repeats a transfer".to_owned());
            }
            applied += room;
            transfers = rest;
        }
    }
    if applied as u64 != total {
        return Err(format!(
            "holds {applied} transfers where its header lists {total}"
        ));
    }
    for (after, close) in closes {
        if after != applied {
            return Err(format!(
                "has a month close after transfer {after} of {applied}"
            ));
        }
        state
            .ledger
            .close_month(close.month, close.closed_by)
            .map_err(|e| e.to_string())?;
    }
    Ok(state)
}

/// Rebuilds the state a snapshot holds: its header, then its chunks read from
/// `src`, checked, decoded and applied on three threads at once.
pub(crate) fn restore(src: &mut dyn Source, row: &SnapshotRow) -> Result<State, Failure> {
    let damaged = Failure::Damaged;
    let header: Header =
        postcard::from_bytes(&row.body).map_err(|e| damaged(format!("does not decode: {e}")))?;
    if header.sequence != row.sequence || header.head[..] != row.head[..] {
        return Err(damaged(format!(
            "says it was taken at sequence {}, not at {} where it is filed",
            header.sequence, row.sequence
        )));
    }
    let Start {
        mut state,
        closes,
        ids,
    } = header.start().map_err(damaged)?;
    let total: u64 = header.chunks.iter().map(|c| c.0).sum();
    state
        .ledger
        .reserve(usize::try_from(total).unwrap_or(usize::MAX).min(1 << 32));
    let listed = &header.chunks;
    let ids = &ids;
    std::thread::scope(|scope| {
        let (raw_tx, raw_rx) = mpsc::sync_channel::<(u64, Hash, Vec<u8>)>(IN_FLIGHT);
        // Buffers the decoder has finished with, for the reader to fill again.
        let (spare_tx, spare_rx) = mpsc::channel::<Vec<u8>>();
        let (decoded_tx, decoded_rx) = mpsc::sync_channel(IN_FLIGHT * CHUNK_TRANSFERS / PIECE);
        let decoder = scope.spawn(move || {
            for (expected, (index, digest, raw)) in (0u64..).zip(raw_rx) {
                let listed = usize::try_from(index).ok().and_then(|i| listed.get(i));
                let mut gone = false;
                let decoded = match listed {
                    _ if index != expected => Err(format!("chunk {expected} is missing")),
                    None => Err(format!("has a chunk {index} that its header does not list")),
                    Some(&(_, d)) if d != digest => Err(format!(
                        "chunk {index} does not match its digest in the snapshot's header"
                    )),
                    Some(&(count, _)) => decode_chunk(&raw, count, ids, &mut |piece| {
                        gone = decoded_tx.send(Ok(piece)).is_err();
                        !gone
                    })
                    .map_err(|p| format!("chunk {index} {p}")),
                };
                let _ = spare_tx.send(raw);
                if let Err(p) = decoded {
                    let _ = decoded_tx.send(Err(p));
                    break;
                }
                if gone {
                    break;
                }
            }
        });
        let applier = scope.spawn(move || apply_chunks(state, closes, &decoded_rx, total));
        let mut stopped = false;
        let read = src.snapshot_chunks(row.sequence, &mut |index, raw| {
            // Hashed here, while the decoder works on the chunk before.
            let digest = chain::digest(raw);
            let mut buffer = spare_rx.try_recv().unwrap_or_default();
            buffer.clear();
            buffer.extend_from_slice(raw);
            if raw_tx.send((index, digest, buffer)).is_err() {
                // The decoder or the applier found a problem: stop reading, and
                // report theirs.
                stopped = true;
                return Err(StoreError::Database {
                    store: String::new(),
                    detail: String::new(),
                });
            }
            Ok(())
        });
        drop(raw_tx);
        let decoded = decoder.join();
        let applied = applier.join();
        match (read, decoded, applied) {
            (Err(e), _, _) if !stopped => Err(Failure::Source(e)),
            (_, Err(_), _) | (_, _, Err(_)) => Err(damaged(
                "could not be replayed: a thread replaying it stopped".to_owned(),
            )),
            (_, Ok(()), Ok(applied)) => applied.map_err(damaged),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Record;
    use pcn_budget::{FundingStream, Party, Provenance, Purpose};
    use pcn_core::{NetworkId, StaffId, YearMonth};

    const NETWORK: Party = Party::Network(NetworkId::from_u128(1));

    /// A store's source that holds one snapshot in memory.
    struct Memory(Snapshot);

    impl Source for Memory {
        fn name(&self) -> String {
            "memory".to_owned()
        }
        fn latest_snapshot(&mut self) -> Result<Option<SnapshotRow>, StoreError> {
            Ok(None)
        }
        fn row_hash(&mut self, _: u64) -> Result<Option<Vec<u8>>, StoreError> {
            Ok(None)
        }
        fn rows_after(
            &mut self,
            _: u64,
            _: &mut dyn FnMut(crate::chain::Row) -> Result<(), StoreError>,
        ) -> Result<(), StoreError> {
            Ok(())
        }
        fn snapshot_chunks(
            &mut self,
            _: u64,
            f: &mut crate::store::ChunkSink<'_>,
        ) -> Result<(), StoreError> {
            for (i, c) in (0u64..).zip(&self.0.chunks) {
                f(i, c)?;
            }
            Ok(())
        }
    }

    /// Every kind of transfer, notes, and month closes between and on chunk
    /// boundaries.
    fn state() -> State {
        let (icb, pot, pay) = (
            AccountId::from_u128(1),
            AccountId::from_u128(2),
            AccountId::from_u128(3),
        );
        let mut s = State::default();
        s.replay(Record::Accounts(vec![
            Account::funding(icb, "ICB", FundingStream::CoreNetworkFunding, NETWORK),
            Account::pot(pot, "Pot", NETWORK, Purpose::General),
            Account::pot(pay, "Pay", NETWORK, Purpose::General),
        ]))
        .unwrap();
        let day = |m, d| NaiveDate::from_ymd_opt(2024, m, d).unwrap();
        let why = |m, d| Provenance::new(day(m, d), Actor::System(NETWORK), Reason::Pay);
        let id = TransferId::from_u128;
        let money = Money::from_pence;
        let batches = [
            vec![
                Transfer::posted(id(1), icb, pot, money(100_000), why(4, 1)).unwrap(),
                Transfer::pending(id(2), pot, pay, money(5_000), why(4, 2)).unwrap(),
                Transfer::pending(id(3), pot, pay, money(7_000), why(4, 2)).unwrap(),
            ],
            vec![
                Transfer::post_pending(
                    id(4),
                    id(2),
                    Some(money(4_000)),
                    why(5, 3).with_note("part"),
                )
                .unwrap(),
                Transfer::void_pending(id(5), id(3), why(5, 3)),
                Transfer::posted(
                    id(6),
                    pot,
                    pay,
                    money(1_000),
                    why(5, 4).with_note("invoice 1"),
                )
                .unwrap(),
                Transfer::reversal(
                    id(7),
                    id(6),
                    Provenance::new(
                        day(5, 5),
                        Actor::Staff(StaffId::from_u128(8)),
                        Reason::Correction,
                    ),
                ),
            ],
            vec![Transfer::posted(id(8), icb, pay, money(3), why(6, 1)).unwrap()],
        ];
        for (i, b) in batches.into_iter().enumerate() {
            s.replay(Record::Transfers(b)).unwrap();
            let month = YearMonth::new(2024, 4 + u32::try_from(i).unwrap()).unwrap();
            s.replay(Record::Close(Close {
                month,
                closed_by: Actor::System(NETWORK),
            }))
            .unwrap();
        }
        s
    }

    fn restored(snapshot: Snapshot) -> Result<State, String> {
        let row = SnapshotRow {
            sequence: 0,
            head: crate::chain::GENESIS.to_vec(),
            digest: chain::digest(&snapshot.header).to_vec(),
            body: snapshot.header.clone(),
        };
        restore(&mut Memory(snapshot), &row).map_err(|f| match f {
            Failure::Source(e) => e.to_string(),
            Failure::Damaged(p) => p,
        })
    }

    fn same(a: &State, b: &State) -> bool {
        serde_json::to_string(&a.ledger).unwrap() == serde_json::to_string(&b.ledger).unwrap()
            && a.access == b.access
            && a.referrals == b.referrals
    }

    #[test]
    fn a_snapshot_in_any_chunk_size_restores_the_replayed_state() {
        let s = state();
        for size in [1, 2, 3, 4, 7, 8, 100] {
            let snapshot = s.snapshot_in_chunks(size).unwrap();
            assert_eq!(snapshot.chunks.len(), 8usize.div_ceil(size), "size {size}");
            let back = restored(snapshot).unwrap();
            assert!(same(&back, &s), "size {size}");
            // The restored state writes the same snapshot again.
            assert_eq!(
                back.snapshot_in_chunks(size).unwrap(),
                s.snapshot_in_chunks(size).unwrap()
            );
        }
    }

    #[test]
    fn a_damaged_missing_or_extra_chunk_is_named() {
        let s = state();
        let good = s.snapshot_in_chunks(3).unwrap();
        let mut flipped = good.clone();
        flipped.chunks[1][5] ^= 1;
        assert_eq!(
            restored(flipped).err().unwrap(),
            "chunk 1 does not match its digest in the snapshot's header"
        );
        let mut missing = good.clone();
        missing.chunks.pop();
        assert!(
            restored(missing)
                .err()
                .unwrap()
                .contains("holds 6 transfers where its header lists 8")
        );
        let mut extra = good.clone();
        extra.chunks.push(good.chunks[0].clone());
        assert!(
            restored(extra)
                .err()
                .unwrap()
                .contains("chunk 3 that its header does not list")
        );
        let mut swapped = good;
        swapped.chunks.swap(0, 1);
        assert!(
            restored(swapped)
                .err()
                .unwrap()
                .starts_with("chunk 0 does not match")
        );
    }

    #[test]
    fn varints_and_zigzag_round_trip_at_the_edges() {
        for v in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            let mut out = Vec::new();
            put_varint(&mut out, v);
            assert_eq!(Reader { bytes: &out }.varint().unwrap(), v);
        }
        for v in [0, 1, -1, 12_345, -12_345, i64::MAX, i64::MIN] {
            assert_eq!(unzigzag(zigzag(v)), v);
        }
        let too_long = [0xffu8; 11];
        assert!(Reader { bytes: &too_long }.varint().is_err());
    }

    #[test]
    fn a_chunk_stores_each_provenance_once() {
        let s = state();
        let snapshot = s.snapshot_in_chunks(100).unwrap();
        let (provenances, _): (Vec<WireProvenance>, _) =
            postcard::take_from_bytes(&snapshot.chunks[0]).unwrap();
        // Eight transfers, seven distinct provenances.
        assert_eq!(provenances.len(), 7);
    }
}
