//! Views of the same money: by funding stream, purpose, provider, role and month;
//! planned against actual.

use std::collections::BTreeMap;

use pcn_core::{CoreError, FinancialYear, Money, Role, YearMonth};
use serde::{Deserialize, Serialize};

use crate::{Account, AccountKind, Balance, BudgetError, FundingStream, Ledger, Party, Purpose};

/// Money in a group of accounts, by what it is doing.
///
/// - `funded`: paid in by funding accounts (minus their balance);
/// - `held`: held in pots (their balance);
/// - `committed`: reserved in pots by pending transfers;
/// - `spent`: paid out to providers (the balance of spending accounts).
///
/// Over a whole ledger, `funded = held + spent`, because balances sum to zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Totals {
    /// Paid in by funding accounts.
    pub funded: Money,
    /// Held in pots.
    pub held: Money,
    /// Reserved in pots by pending transfers.
    pub committed: Money,
    /// Paid out to providers.
    pub spent: Money,
}

/// Running sums, wide enough never to overflow while adding.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    funded: i128,
    held: i128,
    committed: i128,
    spent: i128,
}

impl Sums {
    fn add_posted(&mut self, kind: AccountKind, credit_minus_debit: i128) {
        match kind {
            AccountKind::Funding { .. } => self.funded -= credit_minus_debit,
            AccountKind::Pot => self.held += credit_minus_debit,
            AccountKind::Spending => self.spent += credit_minus_debit,
        }
    }

    fn add_balance(&mut self, kind: AccountKind, balance: &Balance) {
        let net =
            i128::from(balance.credits_posted.pence()) - i128::from(balance.debits_posted.pence());
        self.add_posted(kind, net);
        if kind == AccountKind::Pot {
            self.committed += i128::from(balance.debits_pending.pence());
        }
    }

    fn totals(self) -> Result<Totals, BudgetError> {
        let money = |value: i128, what: &str| {
            i64::try_from(value).map(Money::from_pence).map_err(|_| {
                BudgetError::Core(CoreError::MoneyOverflow {
                    operation: format!("the sum of {what}"),
                })
            })
        };
        Ok(Totals {
            funded: money(self.funded, "funding")?,
            held: money(self.held, "pots")?,
            committed: money(self.committed, "commitments")?,
            spent: money(self.spent, "spending")?,
        })
    }
}

/// One line of a view: a key (a funding stream, a purpose, a provider, a role, a
/// month) and the money under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewRow<K> {
    /// What the line is about.
    pub key: K,
    /// The money under it.
    pub totals: Totals,
}

fn rows<K: Ord>(sums: BTreeMap<K, Sums>) -> Result<Vec<ViewRow<K>>, BudgetError> {
    sums.into_iter()
        .map(|(key, s)| {
            Ok(ViewRow {
                key,
                totals: s.totals()?,
            })
        })
        .collect()
}

impl Ledger {
    /// The money now, grouped by a key of each account; accounts whose key is `None`
    /// are left out. Rows come in key order.
    ///
    /// # Errors
    /// [`BudgetError::Core`] if a group's sum does not fit in 64-bit pence.
    pub fn totals_by<K: Ord>(
        &self,
        key: impl Fn(&Account) -> Option<K>,
    ) -> Result<Vec<ViewRow<K>>, BudgetError> {
        let mut sums: BTreeMap<K, Sums> = BTreeMap::new();
        for (index, account) in self.accounts().iter().enumerate() {
            if let Some(k) = key(account) {
                sums.entry(k)
                    .or_default()
                    .add_balance(account.kind(), &self.balance_at(index));
            }
        }
        rows(sums)
    }

    /// The money paid in, by funding stream (funding accounts only).
    ///
    /// # Errors
    /// As [`Ledger::totals_by`].
    pub fn by_funding_stream(&self) -> Result<Vec<ViewRow<FundingStream>>, BudgetError> {
        self.totals_by(|a| a.kind().stream())
    }

    /// The money by purpose, across funding, pots and spending.
    ///
    /// # Errors
    /// As [`Ledger::totals_by`].
    pub fn by_purpose(&self) -> Result<Vec<ViewRow<Purpose>>, BudgetError> {
        self.totals_by(|a| Some(a.purpose()))
    }

    /// The money by owner organisation: what each partner paid in, holds and was
    /// paid as a provider.
    ///
    /// # Errors
    /// As [`Ledger::totals_by`].
    pub fn by_owner(&self) -> Result<Vec<ViewRow<Party>>, BudgetError> {
        self.totals_by(|a| Some(a.owner()))
    }

    /// The money for staff, by role (accounts whose purpose is a role).
    ///
    /// # Errors
    /// As [`Ledger::totals_by`].
    pub fn by_role(&self) -> Result<Vec<ViewRow<Role>>, BudgetError> {
        self.totals_by(|a| match a.purpose() {
            Purpose::Role(role) => Some(role),
            _ => None,
        })
    }

    /// The money that moved in each month of `year`, by the transfers' dates: paid
    /// in, net change held in pots, change in commitments and paid out. Every month
    /// of the year has a row, April first.
    ///
    /// # Errors
    /// As [`Ledger::totals_by`].
    pub fn by_month(&self, year: FinancialYear) -> Result<Vec<ViewRow<YearMonth>>, BudgetError> {
        let mut sums: BTreeMap<YearMonth, Sums> = year
            .months()
            .into_iter()
            .map(|m| (m, Sums::default()))
            .collect();
        let accounts = self.accounts();
        for record in self.records() {
            let Some(s) = sums.get_mut(&YearMonth::containing(record.date())) else {
                continue;
            };
            let posted = i128::from(record.posted().pence());
            let debit = accounts[record.debit_index()].kind();
            let credit = accounts[record.credit_index()].kind();
            s.add_posted(debit, -posted);
            s.add_posted(credit, posted);
            if debit == AccountKind::Pot {
                s.committed += i128::from(record.pending_change().pence());
            }
        }
        rows(sums)
    }
}

/// A planned amount for each key (a purpose, a role, a funding stream), to compare
/// with what happened.
///
/// ```
/// use pcn_budget::Plan;
/// use pcn_core::{Money, Role};
/// let mut plan = Plan::new();
/// plan.set(Role::ClinicalPharmacist, Money::from_pence(5_000_000));
/// plan.set(Role::Paramedic, Money::from_pence(4_000_000));
/// let actual = [(Role::ClinicalPharmacist, Money::from_pence(5_200_000))];
/// let lines = plan.compare(actual)?;
/// assert_eq!(lines[0].variance, Money::from_pence(-200_000)); // over-spent
/// assert_eq!(lines[1].variance, Money::from_pence(4_000_000)); // nothing spent
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Plan<K: Ord> {
    lines: Vec<PlanLine<K>>,
}

/// One planned amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanLine<K> {
    /// What is planned for.
    pub key: K,
    /// How much.
    pub planned: Money,
}

/// Planned against actual for one key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variance<K> {
    /// What the line is about.
    pub key: K,
    /// The planned amount (zero if unplanned).
    pub planned: Money,
    /// The actual amount (zero if none).
    pub actual: Money,
    /// Planned minus actual: above zero an under-spend, below zero an over-spend.
    pub variance: Money,
}

impl<K: Ord + Clone> Default for Plan<K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: Ord + Clone> Plan<K> {
    /// An empty plan.
    #[must_use]
    pub const fn new() -> Self {
        Self { lines: Vec::new() }
    }

    /// Plans `planned` for `key`, replacing any earlier figure.
    pub fn set(&mut self, key: K, planned: Money) {
        match self.lines.binary_search_by(|l| l.key.cmp(&key)) {
            Ok(i) => self.lines[i].planned = planned,
            Err(i) => self.lines.insert(i, PlanLine { key, planned }),
        }
    }

    /// The planned amount for `key`.
    #[must_use]
    pub fn planned(&self, key: &K) -> Option<Money> {
        self.lines
            .binary_search_by(|l| l.key.cmp(key))
            .ok()
            .map(|i| self.lines[i].planned)
    }

    /// The planned lines, in key order.
    #[must_use]
    pub fn lines(&self) -> &[PlanLine<K>] {
        &self.lines
    }

    /// The total planned.
    ///
    /// # Errors
    /// [`BudgetError::Core`] if the total does not fit.
    pub fn total(&self) -> Result<Money, BudgetError> {
        let mut total = Money::ZERO;
        for line in &self.lines {
            total = total.checked_add(line.planned)?;
        }
        Ok(total)
    }

    /// Planned against actual for every key in either, in key order; actual figures
    /// under the same key are added together.
    ///
    /// # Errors
    /// [`BudgetError::Core`] if a sum or difference does not fit.
    pub fn compare(
        &self,
        actual: impl IntoIterator<Item = (K, Money)>,
    ) -> Result<Vec<Variance<K>>, BudgetError> {
        let mut merged: BTreeMap<K, (Money, Money)> = self
            .lines
            .iter()
            .map(|l| (l.key.clone(), (l.planned, Money::ZERO)))
            .collect();
        for (key, amount) in actual {
            let entry = merged.entry(key).or_insert((Money::ZERO, Money::ZERO));
            entry.1 = entry.1.checked_add(amount)?;
        }
        merged
            .into_iter()
            .map(|(key, (planned, actual))| {
                Ok(Variance {
                    key,
                    planned,
                    actual,
                    variance: planned.checked_sub(actual)?,
                })
            })
            .collect()
    }
}
