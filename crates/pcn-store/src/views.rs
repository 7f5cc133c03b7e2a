//! The tables kept in step with the journal for people to read: current balances
//! and referral states.

use pcn_budget::AccountKind;

use crate::state::{Change, State};

/// One row of the `balances` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BalanceRow {
    pub(crate) account: String,
    pub(crate) name: String,
    pub(crate) kind: &'static str,
    pub(crate) debits_posted: i64,
    pub(crate) credits_posted: i64,
    pub(crate) debits_pending: i64,
    pub(crate) credits_pending: i64,
    pub(crate) balance: i64,
    pub(crate) available: i64,
    pub(crate) floor: Option<i64>,
}

/// One row of the `referral_states` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReferralRow {
    pub(crate) referral: String,
    pub(crate) patient: String,
    pub(crate) pathway: String,
    pub(crate) state: String,
    pub(crate) detail: String,
    pub(crate) events: i64,
    pub(crate) updated_at: String,
}

/// The view rows a change touched, as of a sequence number.
#[derive(Debug, Default)]
pub(crate) struct Views {
    pub(crate) sequence: i64,
    pub(crate) balances: Vec<BalanceRow>,
    pub(crate) referrals: Vec<ReferralRow>,
}

const fn kind_name(kind: AccountKind) -> &'static str {
    match kind {
        AccountKind::Funding { .. } => "funding",
        AccountKind::Pot => "pot",
        AccountKind::Spending => "spending",
    }
}

impl Views {
    /// The rows `change` touched, from the state after it.
    pub(crate) fn of(state: &State, change: &Change) -> Self {
        let mut views = Self {
            sequence: i64::try_from(state.sequence).unwrap_or(i64::MAX),
            ..Self::default()
        };
        for id in &change.accounts {
            if let Some(row) = balance_row(state, *id) {
                views.balances.push(row);
            }
        }
        for id in &change.referrals {
            if let Some(row) = referral_row(state, *id) {
                views.referrals.push(row);
            }
        }
        views
    }

    /// Every row, as a full replay gives them.
    pub(crate) fn all(state: &State) -> Self {
        let change = Change {
            accounts: state.ledger.accounts().iter().map(|a| a.id()).collect(),
            referrals: state.referrals.keys().copied().collect(),
            ..Change::default()
        };
        Self::of(state, &change)
    }
}

pub(crate) fn balance_row(state: &State, id: pcn_core::AccountId) -> Option<BalanceRow> {
    let account = state.ledger.account(id)?;
    let b = state.ledger.balance(id)?;
    Some(BalanceRow {
        account: id.to_string(),
        name: account.name().to_owned(),
        kind: kind_name(account.kind()),
        debits_posted: b.debits_posted.pence(),
        credits_posted: b.credits_posted.pence(),
        debits_pending: b.debits_pending.pence(),
        credits_pending: b.credits_pending.pence(),
        balance: b.balance().pence(),
        available: b.available().pence(),
        floor: account.limits().floor.map(pcn_core::Money::pence),
    })
}

pub(crate) fn referral_row(state: &State, id: pcn_core::ReferralId) -> Option<ReferralRow> {
    let r = state.referrals.get(&id)?;
    let updated = r.history().last().map_or(r.created_at(), |t| t.record.at);
    Some(ReferralRow {
        referral: id.to_string(),
        patient: r.details().patient.to_string(),
        pathway: r.details().pathway.to_string(),
        state: r.state().kind().name().to_owned(),
        detail: serde_json::to_string(r.state()).unwrap_or_default(),
        events: i64::try_from(r.history().len()).unwrap_or(i64::MAX),
        updated_at: updated.format("%Y-%m-%dT%H:%M:%S").to_string(),
    })
}
