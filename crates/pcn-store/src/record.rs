//! Journal records and how they are encoded.
//!
//! A record's body is JSON for every kind but ledger transfers, so that an analyst
//! can read it with `CAST(body AS TEXT)` and SQLite's JSON functions. A batch of
//! transfers is the hot path (hundreds of thousands a second), so its body is a
//! compact binary form (postcard, a documented serde format): each transfer's id,
//! phase, accounts, amount in pence, value date, who and why, about 75 bytes.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};
use pcn_budget::{Account, Actor, Phase, Provenance, Reason, Transfer};
use pcn_core::{AccountId, Money, Party, PartyKind, ReferralId, StaffId, TransferId, YearMonth};
use pcn_population::AccessLogEntry;
use pcn_referral::{Actor as ReferralActor, EventRecord, ReferralDetails};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The id of a referral event: its idempotency key in the store.
///
/// Make one with [`EventId::new`] (a time-ordered UUID version 7) when the event is
/// first recorded, and send the same id on a retry: the store applies the event
/// once and reports the retry as already stored. Serialised as the hyphenated UUID.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[repr(transparent)]
#[serde(transparent)]
pub struct EventId(Uuid);

impl EventId {
    /// A new, time-ordered id (UUID version 7).
    #[must_use]
    pub fn new() -> Self {
        Self(Uuid::now_v7())
    }

    /// The id whose UUID has this 128-bit value; for seeded generators and tests.
    #[must_use]
    pub const fn from_u128(value: u128) -> Self {
        Self(Uuid::from_u128(value))
    }

    /// The UUID inside.
    #[must_use]
    pub const fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl Default for EventId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EventId({})", self.0)
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl FromStr for EventId {
    type Err = uuid::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s).map(Self)
    }
}

/// A referral event to store: its id (the idempotency key), the referral and the
/// event as the referral crate records it.
///
/// Serde gives `{"id": "<uuid>", "referral": "<uuid>", "record": {...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralEventEntry {
    /// The event's id.
    pub id: EventId,
    /// The referral it happens to.
    pub referral: ReferralId,
    /// What happened, who recorded it and when.
    pub record: EventRecord,
}

/// A referral as drafted: what the journal keeps to replay it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Draft {
    pub(crate) details: ReferralDetails,
    pub(crate) created_by: ReferralActor,
    pub(crate) created_at: NaiveDateTime,
}

/// A month close as journalled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Close {
    pub(crate) month: YearMonth,
    pub(crate) closed_by: Actor,
}

/// One record of the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Record {
    Accounts(Vec<Account>),
    Transfers(Vec<Transfer>),
    Close(Close),
    Draft(Box<Draft>),
    Events(Vec<ReferralEventEntry>),
    Access(Vec<AccessLogEntry>),
}

/// The `kind` column of each record.
pub(crate) const KIND_ACCOUNTS: &str = "accounts";
pub(crate) const KIND_TRANSFERS: &str = "transfers";
pub(crate) const KIND_CLOSE: &str = "month_close";
pub(crate) const KIND_DRAFT: &str = "referral";
pub(crate) const KIND_EVENTS: &str = "referral_events";
pub(crate) const KIND_ACCESS: &str = "access";

impl Record {
    pub(crate) const fn kind(&self) -> &'static str {
        match self {
            Self::Accounts(_) => KIND_ACCOUNTS,
            Self::Transfers(_) => KIND_TRANSFERS,
            Self::Close(_) => KIND_CLOSE,
            Self::Draft(_) => KIND_DRAFT,
            Self::Events(_) => KIND_EVENTS,
            Self::Access(_) => KIND_ACCESS,
        }
    }

    /// How many items the record holds, for the `items` column.
    pub(crate) fn items(&self) -> usize {
        match self {
            Self::Accounts(a) => a.len(),
            Self::Transfers(t) => t.len(),
            Self::Close(_) | Self::Draft(_) => 1,
            Self::Events(e) => e.len(),
            Self::Access(a) => a.len(),
        }
    }

    pub(crate) fn encode(&self) -> Result<Vec<u8>, String> {
        let json = match self {
            Self::Transfers(transfers) => return encode_transfers(transfers),
            Self::Accounts(a) => serde_json::to_vec(a),
            Self::Close(c) => serde_json::to_vec(c),
            Self::Draft(d) => serde_json::to_vec(d),
            Self::Events(e) => serde_json::to_vec(e),
            Self::Access(a) => serde_json::to_vec(a),
        };
        json.map_err(|e| e.to_string())
    }

    pub(crate) fn decode(kind: &str, body: &[u8]) -> Result<Self, String> {
        let e = |e: serde_json::Error| format!("its {kind} body does not decode: {e}");
        Ok(match kind {
            KIND_TRANSFERS => Self::Transfers(decode_transfers(body)?),
            KIND_ACCOUNTS => Self::Accounts(serde_json::from_slice(body).map_err(e)?),
            KIND_CLOSE => Self::Close(serde_json::from_slice(body).map_err(e)?),
            KIND_DRAFT => Self::Draft(serde_json::from_slice(body).map_err(e)?),
            KIND_EVENTS => Self::Events(serde_json::from_slice(body).map_err(e)?),
            KIND_ACCESS => Self::Access(serde_json::from_slice(body).map_err(e)?),
            other => return Err(format!("unknown record kind {other:?}")),
        })
    }
}

/// A transfer in its compact form. Field order is the format: append only.
/// Postcard writes a nested struct as its fields one after another, so the
/// provenance's fields follow the phase exactly as if they were written here.
#[derive(Serialize, Deserialize)]
pub(crate) struct WireTransfer {
    id: [u8; 16],
    phase: WirePhase,
    provenance: WireProvenance,
}

/// Who recorded a transfer, when and why, in its compact form.
#[derive(Serialize, Deserialize)]
pub(crate) struct WireProvenance {
    /// Days from 0001-01-01 (the common era's first day).
    date: i32,
    by: WireActor,
    reason: Reason,
    note: Option<String>,
}

#[derive(Serialize, Deserialize)]
enum WirePhase {
    Posted([u8; 16], [u8; 16], i64),
    Pending([u8; 16], [u8; 16], i64),
    PostPending([u8; 16], Option<i64>),
    VoidPending([u8; 16]),
    Reversal([u8; 16]),
}

/// Postcard writes a variant by its position: new kinds go at the end, so that the
/// records already written read the same.
#[derive(Serialize, Deserialize)]
enum WireActor {
    Staff([u8; 16]),
    Network([u8; 16]),
    Practice([u8; 16]),
    Organisation([u8; 16]),
    Trust([u8; 16]),
    LocalAuthority([u8; 16]),
    VoluntaryOrganisation([u8; 16]),
}

pub(crate) const fn bytes(uuid: Uuid) -> [u8; 16] {
    *uuid.as_bytes()
}

pub(crate) const fn uuid(bytes: [u8; 16]) -> Uuid {
    Uuid::from_bytes(bytes)
}

impl From<&Transfer> for WireTransfer {
    fn from(t: &Transfer) -> Self {
        let acc = |a: AccountId| bytes(a.as_uuid());
        let tr = |t: TransferId| bytes(t.as_uuid());
        let phase = match *t.phase() {
            Phase::Posted {
                debit,
                credit,
                amount,
            } => WirePhase::Posted(acc(debit), acc(credit), amount.pence()),
            Phase::Pending {
                debit,
                credit,
                amount,
            } => WirePhase::Pending(acc(debit), acc(credit), amount.pence()),
            Phase::PostPending { pending, amount } => {
                WirePhase::PostPending(tr(pending), amount.map(Money::pence))
            }
            Phase::VoidPending { pending } => WirePhase::VoidPending(tr(pending)),
            Phase::Reversal { original } => WirePhase::Reversal(tr(original)),
        };
        Self {
            id: tr(t.id()),
            phase,
            provenance: WireProvenance::from(t.provenance()),
        }
    }
}

impl From<&Provenance> for WireProvenance {
    fn from(p: &Provenance) -> Self {
        let by = match p.recorded_by {
            Actor::Staff(s) => WireActor::Staff(bytes(s.as_uuid())),
            Actor::System(party) => {
                let b = bytes(party.uuid());
                match party.kind() {
                    PartyKind::Network => WireActor::Network(b),
                    PartyKind::Practice => WireActor::Practice(b),
                    PartyKind::Organisation => WireActor::Organisation(b),
                    PartyKind::Trust => WireActor::Trust(b),
                    PartyKind::LocalAuthority => WireActor::LocalAuthority(b),
                    PartyKind::VoluntaryOrganisation => WireActor::VoluntaryOrganisation(b),
                }
            }
        };
        Self {
            date: chrono::Datelike::num_days_from_ce(&p.date),
            by,
            reason: p.reason,
            note: p.note.as_deref().map(str::to_owned),
        }
    }
}

impl WireTransfer {
    pub(crate) fn into_transfer(self) -> Result<Transfer, String> {
        let acc = |b| AccountId::from_uuid(uuid(b));
        let tr = |b| TransferId::from_uuid(uuid(b));
        let phase = match self.phase {
            WirePhase::Posted(d, c, a) => Phase::Posted {
                debit: acc(d),
                credit: acc(c),
                amount: Money::from_pence(a),
            },
            WirePhase::Pending(d, c, a) => Phase::Pending {
                debit: acc(d),
                credit: acc(c),
                amount: Money::from_pence(a),
            },
            WirePhase::PostPending(p, a) => Phase::PostPending {
                pending: tr(p),
                amount: a.map(Money::from_pence),
            },
            WirePhase::VoidPending(p) => Phase::VoidPending { pending: tr(p) },
            WirePhase::Reversal(o) => Phase::Reversal { original: tr(o) },
        };
        Transfer::new(tr(self.id), phase, self.provenance.into_provenance()?)
            .map_err(|e| e.to_string())
    }
}

impl WireProvenance {
    pub(crate) fn into_provenance(self) -> Result<Provenance, String> {
        let system = |kind, b| Actor::System(Party::new(kind, uuid(b)));
        let by = match self.by {
            WireActor::Staff(b) => Actor::Staff(StaffId::from_uuid(uuid(b))),
            WireActor::Network(b) => system(PartyKind::Network, b),
            WireActor::Practice(b) => system(PartyKind::Practice, b),
            WireActor::Organisation(b) => system(PartyKind::Organisation, b),
            WireActor::Trust(b) => system(PartyKind::Trust, b),
            WireActor::LocalAuthority(b) => system(PartyKind::LocalAuthority, b),
            WireActor::VoluntaryOrganisation(b) => system(PartyKind::VoluntaryOrganisation, b),
        };
        let date = NaiveDate::from_num_days_from_ce_opt(self.date)
            .ok_or_else(|| format!("day {} is out of range", self.date))?;
        let mut provenance = Provenance::new(date, by, self.reason);
        if let Some(note) = self.note {
            provenance.note = Some(Arc::from(note));
        }
        Ok(provenance)
    }
}

pub(crate) fn encode_transfers(transfers: &[Transfer]) -> Result<Vec<u8>, String> {
    let wire: Vec<WireTransfer> = transfers.iter().map(WireTransfer::from).collect();
    postcard::to_allocvec(&wire).map_err(|e| e.to_string())
}

pub(crate) fn decode_transfers(body: &[u8]) -> Result<Vec<Transfer>, String> {
    let wire: Vec<WireTransfer> = postcard::from_bytes(body)
        .map_err(|e| format!("its transfers body does not decode: {e}"))?;
    wire.into_iter().map(WireTransfer::into_transfer).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn every_kind_of_party_is_kept_as_who_recorded_a_transfer() {
        let date = NaiveDate::from_ymd_opt(2025, 4, 30).unwrap();
        let uuid = Uuid::from_u128(0x7255);
        let transfers: Vec<Transfer> = PartyKind::ALL
            .iter()
            .zip(1u128..)
            .map(|(kind, n)| {
                let by = Actor::System(Party::new(*kind, uuid));
                Transfer::posted(
                    TransferId::from_u128(n),
                    AccountId::from_u128(1),
                    AccountId::from_u128(2),
                    Money::from_pence(100),
                    Provenance::new(date, by, Reason::Funding),
                )
                .unwrap()
            })
            .collect();
        let decoded = decode_transfers(&encode_transfers(&transfers).unwrap()).unwrap();
        assert_eq!(decoded, transfers);
    }

    #[test]
    fn a_transfer_encodes_as_the_journal_always_wrote_it() {
        // The layout records were first written in: the provenance's fields
        // straight after the phase.
        #[derive(Serialize)]
        struct Flat {
            id: [u8; 16],
            phase: WirePhase,
            date: i32,
            by: WireActor,
            reason: Reason,
            note: Option<String>,
        }
        let date = NaiveDate::from_ymd_opt(2025, 4, 30).unwrap();
        let by = Actor::Staff(StaffId::from_u128(9));
        let t = Transfer::posted(
            TransferId::from_u128(7),
            AccountId::from_u128(1),
            AccountId::from_u128(2),
            Money::from_pence(1_250),
            Provenance::new(date, by, Reason::Pay).with_note("invoice 4471"),
        )
        .unwrap();
        let flat = Flat {
            id: bytes(Uuid::from_u128(7)),
            phase: WirePhase::Posted(bytes(Uuid::from_u128(1)), bytes(Uuid::from_u128(2)), 1_250),
            date: chrono::Datelike::num_days_from_ce(&date),
            by: WireActor::Staff(bytes(Uuid::from_u128(9))),
            reason: Reason::Pay,
            note: Some("invoice 4471".to_owned()),
        };
        let expected = postcard::to_allocvec(&vec![flat]).unwrap();
        assert_eq!(
            encode_transfers(std::slice::from_ref(&t)).unwrap(),
            expected
        );
        assert_eq!(decode_transfers(&expected).unwrap(), vec![t]);
    }

    #[test]
    fn the_kinds_written_before_trusts_and_councils_read_as_they_were() {
        // Postcard writes a variant as its position: network 1, practice 2,
        // organisation 3, as records were written before other kinds were added.
        let b = [7u8; 16];
        let encoded = |actor: &WireActor| postcard::to_allocvec(actor).unwrap()[0];
        assert_eq!(encoded(&WireActor::Staff(b)), 0);
        assert_eq!(encoded(&WireActor::Network(b)), 1);
        assert_eq!(encoded(&WireActor::Practice(b)), 2);
        assert_eq!(encoded(&WireActor::Organisation(b)), 3);
    }
}
