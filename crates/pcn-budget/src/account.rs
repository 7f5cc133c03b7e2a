//! Accounts of a unified budget: funding streams in, pots spent from, spending out.

use std::fmt;

use pcn_core::{AccountId, Money, Role, ServiceId, TeamId};
use serde::{Deserialize, Serialize};

use crate::{FundingStream, Party};

/// What an account is in the budget's flow of money.
///
/// Money flows from **funding** accounts (a funder's contribution; their balance goes
/// below zero by what they have put in) into **pots** (money held for a purpose,
/// spent from) and out to **spending** accounts (what was paid to a provider for
/// staff, services or goods; their balance grows above zero). Every transfer moves
/// money between two accounts, so the balances of all accounts always sum to zero.
///
/// Serde gives `{"kind": "funding", "stream": "core_network_funding"}`,
/// `{"kind": "pot"}` or `{"kind": "spending"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AccountKind {
    /// Money coming in from a funder, by stream.
    Funding {
        /// The funding stream.
        stream: FundingStream,
    },
    /// Money held for a purpose and spent from.
    Pot,
    /// Money spent: paid out to a provider.
    Spending,
}

impl AccountKind {
    /// The funding stream, for a funding account.
    #[must_use]
    pub const fn stream(self) -> Option<FundingStream> {
        match self {
            Self::Funding { stream } => Some(stream),
            Self::Pot | Self::Spending => None,
        }
    }
}

/// What the money in an account is for.
///
/// Ring-fenced accounts ([`Account::ring_fenced_to`]) may pay only into accounts
/// whose purpose is one of those they allow, so for example role reimbursement money
/// reaches only the pay of staff in reimbursable roles.
///
/// Serde gives `{"kind": "role", "id": "clinical_pharmacist"}`, `{"kind": "general"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Purpose {
    /// The pooled pot, spendable on anything the budget's partners agree.
    General,
    /// The pay and on-costs of staff in a role.
    Role(Role),
    /// A team's costs (a multidisciplinary or neighbourhood team).
    Team(TeamId),
    /// A service's costs (a clinic, a community service, a voluntary-sector activity).
    Service(ServiceId),
    /// Extended hours or enhanced access appointments.
    Access,
    /// Clinical and managerial leadership of the network (the Clinical Director).
    Leadership,
}

impl fmt::Display for Purpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::General => f.write_str("general"),
            Self::Role(role) => write!(f, "role {role}"),
            Self::Team(id) => write!(f, "team {id}"),
            Self::Service(id) => write!(f, "service {id}"),
            Self::Access => f.write_str("access"),
            Self::Leadership => f.write_str("leadership"),
        }
    }
}

/// The limits an account enforces on every transfer, in the manner of a ledger's
/// account flags.
///
/// - `floor`: the lowest its *available* balance (balance minus pending debits) may
///   go. A pot has a floor of zero (it cannot spend beyond what it holds); a funding
///   account may have a floor of minus its agreed contribution (it cannot pay in more
///   than agreed); `None` is no limit.
/// - `ring_fence`: if set, the account may pay only into accounts whose purpose is
///   in the list.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Limits {
    /// The lowest the available balance may go, or `None` for no limit.
    pub floor: Option<Money>,
    /// The purposes the account may pay into, or `None` if it is not ring-fenced.
    pub ring_fence: Option<Vec<Purpose>>,
}

/// An account of a unified budget: a funding stream coming in, a pot spent from or a
/// spending line going out, with its owner organisation, its purpose and its limits.
///
/// Build one with [`Account::funding`], [`Account::pot`] (which cannot overspend) or
/// [`Account::spending`], then add limits.
///
/// ```
/// use pcn_budget::{Account, FundingStream, Party, Purpose};
/// use pcn_core::{AccountId, Money, NetworkId, Role};
/// let network = Party::Network(NetworkId::from_u128(1));
/// let arrs = Account::funding(AccountId::from_u128(1), "ARRS 2024/25", FundingStream::RoleReimbursement, network)
///     .with_floor(Money::from_pounds(-250_000).ok_or("overflow")?)
///     .ring_fenced_to([Purpose::Role(Role::ClinicalPharmacist), Purpose::Role(Role::Paramedic)]);
/// let pot = Account::pot(AccountId::from_u128(2), "Pharmacists", network, Purpose::Role(Role::ClinicalPharmacist));
/// assert_eq!(pot.limits().floor, Some(Money::ZERO));
/// assert_eq!(arrs.kind().stream(), Some(FundingStream::RoleReimbursement));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    id: AccountId,
    name: String,
    kind: AccountKind,
    owner: Party,
    purpose: Purpose,
    limits: Limits,
}

impl Account {
    /// A funding account for `stream`, owned by the funder or the party receiving the
    /// stream, with no limit (add one with [`Account::with_floor`]). Its purpose is
    /// [`Purpose::General`]; set another with [`Account::for_purpose`].
    #[must_use]
    pub fn funding(
        id: AccountId,
        name: impl Into<String>,
        stream: FundingStream,
        owner: Party,
    ) -> Self {
        Self {
            id,
            name: name.into(),
            kind: AccountKind::Funding { stream },
            owner,
            purpose: Purpose::General,
            limits: Limits::default(),
        }
    }

    /// A pot held for `purpose` by `owner`, which cannot spend beyond what it holds
    /// (floor zero).
    #[must_use]
    pub fn pot(id: AccountId, name: impl Into<String>, owner: Party, purpose: Purpose) -> Self {
        Self {
            id,
            name: name.into(),
            kind: AccountKind::Pot,
            owner,
            purpose,
            limits: Limits {
                floor: Some(Money::ZERO),
                ring_fence: None,
            },
        }
    }

    /// A spending account: money paid to the provider `owner` for `purpose`.
    #[must_use]
    pub fn spending(
        id: AccountId,
        name: impl Into<String>,
        owner: Party,
        purpose: Purpose,
    ) -> Self {
        Self {
            id,
            name: name.into(),
            kind: AccountKind::Spending,
            owner,
            purpose,
            limits: Limits::default(),
        }
    }

    /// The same account with another purpose.
    #[must_use]
    pub fn for_purpose(mut self, purpose: Purpose) -> Self {
        self.purpose = purpose;
        self
    }

    /// The same account with the lowest available balance it may reach: zero for "no
    /// overspend", minus an agreed contribution for a capped funding stream.
    #[must_use]
    pub fn with_floor(mut self, floor: Money) -> Self {
        self.limits.floor = Some(floor);
        self
    }

    /// The same account with no floor: it may go below zero.
    #[must_use]
    pub fn without_floor(mut self) -> Self {
        self.limits.floor = None;
        self
    }

    /// The same account, ring-fenced: it may pay only into accounts whose purpose is
    /// one of `purposes`.
    #[must_use]
    pub fn ring_fenced_to(mut self, purposes: impl IntoIterator<Item = Purpose>) -> Self {
        let mut list: Vec<Purpose> = purposes.into_iter().collect();
        list.sort_unstable();
        list.dedup();
        self.limits.ring_fence = Some(list);
        self
    }

    /// The account's id.
    #[must_use]
    pub const fn id(&self) -> AccountId {
        self.id
    }

    /// The account's name, for people.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Funding, pot or spending.
    #[must_use]
    pub const fn kind(&self) -> AccountKind {
        self.kind
    }

    /// The organisation that owns the account (for spending accounts, the provider
    /// paid).
    #[must_use]
    pub const fn owner(&self) -> Party {
        self.owner
    }

    /// What the money is for.
    #[must_use]
    pub const fn purpose(&self) -> Purpose {
        self.purpose
    }

    /// The limits enforced on every transfer.
    #[must_use]
    pub const fn limits(&self) -> &Limits {
        &self.limits
    }
}

/// An account's money at a moment: posted debits and credits and pending
/// (reserved, not yet posted) debits and credits, in the manner of a double-entry
/// ledger.
///
/// The balance is credits minus debits: positive for what a pot holds or a spending
/// line has received, negative for what a funding account has paid in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Balance {
    /// Posted debits (money out).
    pub debits_posted: Money,
    /// Posted credits (money in).
    pub credits_posted: Money,
    /// Debits reserved by pending transfers.
    pub debits_pending: Money,
    /// Credits promised by pending transfers.
    pub credits_pending: Money,
}

impl Balance {
    /// Posted credits minus posted debits.
    #[must_use]
    pub const fn balance(&self) -> Money {
        Money::from_pence(
            self.credits_posted
                .pence()
                .saturating_sub(self.debits_posted.pence()),
        )
    }

    /// The balance minus pending debits: what can still be spent or reserved.
    #[must_use]
    pub const fn available(&self) -> Money {
        Money::from_pence(
            self.credits_posted
                .pence()
                .saturating_sub(self.debits_posted.pence())
                .saturating_sub(self.debits_pending.pence()),
        )
    }
}
