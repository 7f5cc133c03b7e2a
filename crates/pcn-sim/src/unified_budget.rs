//! The network's year posted into its unified budget: `pcn-budget`'s double-entry
//! ledger, with the Additional Roles Reimbursement Scheme applied from its published
//! rules.

use pcn_budget::{
    Account, Actor, Batch, EntitlementRules, FundingStream, Ledger, Party, PayArea, Plan,
    Provenance, Purpose, Reason, Transfer, Variance,
};
use pcn_core::{AccountId, Money, NetworkId, Role, ServiceId, TransferId, Wte};

use serde::{Deserialize, Serialize};

use crate::{CostLine, SimError, YearOutcome};

/// A network's simulated year posted into a unified budget.
///
/// Every pound the year spends is posted, month by month, from a pooled pot to a
/// spending account per line (each role's staff, emergency hospital care), and the
/// pot is funded from the streams that pay for it:
///
/// - staff the scenario added in roles of the Additional Roles Reimbursement Scheme
///   in that month (staff must be additional to the network's baseline:
///   `payments.md`) are reimbursed their pay and on-costs at the published rate up
///   to the published monthly maximum for their WTE (`pcn-budget`'s [`EntitlementRules`]; no
///   maximum is ever guessed: where none is published nothing is reimbursed); the
///   rest, and the pay of other staff (GPs, practice nurses), is the member
///   practices' contribution;
/// - emergency hospital care is funded by the commissioner into the pooled budget at
///   its plan (the expected bed days at the year's rates, before care plans), so
///   that what care plans save stays in the pot, to share between partners, the
///   Primary Care Home's unified budget "to avoid perverse incentives" (NAPC, 2015).
///
/// Account and transfer ids are derived from the network id, so posting the same
/// year twice gives the same ledger and a transfer can never be applied twice.
///
/// ```
/// use pcn_core::NetworkId;
/// use pcn_sim::{NetworkInput, Parameters, RunId, Scenario, UnifiedBudget, simulate_year};
/// let parameters = Parameters::published()?;
/// let network = NetworkInput::synthetic("Riverside PCN", 10_000, 1, &parameters)?;
/// let year = simulate_year(&network, &Scenario::primary_care_home(&parameters), &parameters, RunId::new(1, 0, 0))?;
/// let budget = UnifiedBudget::post(&year, NetworkId::from_u128(7), pcn_budget::EntitlementRules::published()?)?;
/// // Every pound spent is in the ledger, and the ledger balances.
/// assert_eq!(budget.spent()?, year.budget().total_spent()?);
/// assert_eq!(budget.ledger().sum_of_balances(), 0);
/// assert!(budget.reimbursed()?.pence() > 0); // pharmacists, physiotherapists, link workers...
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct UnifiedBudget {
    network: NetworkId,
    ledger: Ledger,
    plan: Plan<Purpose>,
    pot: AccountId,
    arrs: AccountId,
    practices: AccountId,
    commissioner: AccountId,
    arrs_maximum: Option<Money>,
    without_reimbursement: Vec<Role>,
}

/// A posted unified budget's figures: what the report shows and what a
/// [`UnifiedBudget`] serialises as (the ledger itself is kept by `pcn-store`).
///
/// Field names are stable: `network`, `reimbursed`, `contributed`,
/// `pooled_emergency_care`, `spent`, `pot_balance`, `arrs_maximum`,
/// `without_reimbursement`, `plan`, `transfers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetSummary {
    /// The network.
    pub network: NetworkId,
    /// Role reimbursement received in the year.
    pub reimbursed: Money,
    /// The member practices' contribution.
    pub contributed: Money,
    /// The commissioner's emergency care funding pooled.
    pub pooled_emergency_care: Money,
    /// Everything paid out of the pot.
    pub spent: Money,
    /// Left in the pot at the end of the year (below zero: overspent).
    pub pot_balance: Money,
    /// The network's maximum reimbursement sum, where published.
    pub arrs_maximum: Option<Money>,
    /// Roles with added staff paid by the practices for want of a published
    /// reimbursement in some month.
    pub without_reimbursement: Vec<Role>,
    /// The year's plan by purpose.
    pub plan: Plan<Purpose>,
    /// Transfers posted.
    pub transfers: usize,
}

impl Serialize for UnifiedBudget {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.summary()
            .map_err(serde::ser::Error::custom)?
            .serialize(serializer)
    }
}

/// Two budgets are equal when they hold the same transfers: the same network, the
/// same count of transfers and the same balances of every account.
impl PartialEq for UnifiedBudget {
    fn eq(&self, other: &Self) -> bool {
        self.network == other.network
            && self.plan == other.plan
            && self.ledger.transfer_count() == other.ledger.transfer_count()
            && self.ledger.accounts().len() == other.ledger.accounts().len()
            && self.ledger.accounts().iter().all(|a| {
                self.ledger.balance(a.id()).map(|b| b.balance())
                    == other.ledger.balance(a.id()).map(|b| b.balance())
            })
    }
}

impl UnifiedBudget {
    /// Posts a network's year into a new ledger: the accounts opened, then each
    /// month's transfers in one batch.
    ///
    /// # Errors
    /// [`SimError::Budget`] if the ledger refuses a transfer (a defect: the pot may be
    /// overdrawn up to a year's plan, which no year reaches) or a published rule
    /// cannot be read; [`SimError::Core`] if a sum of money overflows.
    pub fn post(
        year: &YearOutcome,
        network: NetworkId,
        rules: &EntitlementRules,
    ) -> Result<Self, SimError> {
        let (mut budget, spending) = Self::open(year, network, rules)?;
        let months = year.budget().months();
        for m in 0..months.len() {
            let batch = budget.month_batch(year, rules, m, &spending)?;
            budget.ledger.apply(&batch)?;
        }
        Ok(budget)
    }

    /// A new ledger with the pot, the three funding accounts and a spending account
    /// for each cost line of the year (returned in the year's line order), and the
    /// year's plan by purpose.
    fn open(
        year: &YearOutcome,
        network: NetworkId,
        rules: &EntitlementRules,
    ) -> Result<(Self, Vec<AccountId>), SimError> {
        let account = |name: &str| AccountId::derived(&format!("{network}:{name}"));
        let owner = Party::Network(network);
        let budget = year.budget();
        let mut ledger = Ledger::new();
        let pot = account("pot:unified-budget");
        let arrs = account("funding:role-reimbursement");
        let practices = account("funding:practice-contribution");
        let commissioner = account("funding:emergency-care");
        ledger.open(
            Account::pot(pot, "Unified budget", owner, Purpose::General)
                .with_floor(budget.total_plan()?.checked_neg()?),
        )?;
        for (id, name, stream) in [
            (
                arrs,
                "Additional Roles Reimbursement Scheme",
                FundingStream::RoleReimbursement,
            ),
            (
                practices,
                "Member practices' staff contribution",
                FundingStream::PartnerContribution,
            ),
            (
                commissioner,
                "Commissioner's emergency care budget, pooled",
                FundingStream::PooledFund,
            ),
        ] {
            ledger.open(Account::funding(id, name, stream, owner))?;
        }
        let mut plan = Plan::new();
        let mut spending = Vec::new();
        for line in budget.lines() {
            let purpose = purpose_of(line.line, network);
            let id = account(&format!("spending:{purpose}"));
            ledger.open(Account::spending(id, line.line.label(), owner, purpose))?;
            plan.set(purpose, line.plan);
            spending.push(id);
        }
        let arrs_maximum = rules
            .network_maximum(budget.financial_year(), year.population(), None)
            .ok();
        Ok((
            Self {
                network,
                ledger,
                plan,
                pot,
                arrs,
                practices,
                commissioner,
                arrs_maximum,
                without_reimbursement: Vec::new(),
            },
            spending,
        ))
    }

    /// The transfers of month `m` of the year, dated its last day: for each staff
    /// line the reimbursement and the practices' contribution into the pot and the
    /// pay out of it; for emergency care the commissioner's funding at plan and the
    /// bed days bought. Roles found without a reimbursement are noted.
    fn month_batch(
        &mut self,
        year: &YearOutcome,
        rules: &EntitlementRules,
        m: usize,
        spending: &[AccountId],
    ) -> Result<Batch, SimError> {
        let network = self.network;
        let owner = Party::Network(network);
        let budget = year.budget();
        let months = budget.months();
        let month = months[m];
        let date = month
            .first_day()
            .checked_add_days(chrono::Days::new(u64::from(month.days()) - 1))
            .unwrap_or_else(|| month.first_day());
        let mut batch = Batch::new();
        let mut push = |kind: &str, debit: AccountId, credit: AccountId, amount: Money, reason| {
            if amount.pence() > 0 {
                let id = TransferId::derived(&format!("{network}:{month}:{kind}"));
                let provenance = Provenance::new(date, Actor::System(owner), reason);
                batch.push(Transfer::posted(id, debit, credit, amount, provenance)?);
            }
            Ok::<(), SimError>(())
        };
        for (line, spend_account) in budget.lines().iter().zip(spending) {
            let actual = line.spent_by_month[m];
            let key = line.line.label();
            match line.line {
                CostLine::Staff { role } => {
                    let (wte, added) = year
                        .role(role)
                        .map_or((Wte::ZERO, Wte::ZERO), |r| (r.wte, r.added));
                    // Only the additional staff's share of the pay is claimed.
                    let additional_pay = if wte.is_zero() {
                        Money::ZERO
                    } else {
                        actual.checked_mul_ratio(
                            i64::from(added.hundredths()),
                            i64::from(wte.hundredths()),
                        )?
                    };
                    let reimbursed = match reimbursement(rules, role, month, added, additional_pay)?
                    {
                        Some(amount) => amount,
                        None => {
                            if !added.is_zero() && !self.without_reimbursement.contains(&role) {
                                self.without_reimbursement.push(role);
                            }
                            Money::ZERO
                        }
                    };
                    push(
                        &format!("{key}:reimbursed"),
                        self.arrs,
                        self.pot,
                        reimbursed,
                        Reason::Reimbursement,
                    )?;
                    push(
                        &format!("{key}:contributed"),
                        self.practices,
                        self.pot,
                        actual.checked_sub(reimbursed)?,
                        Reason::Contribution,
                    )?;
                    push(
                        &format!("{key}:pay"),
                        self.pot,
                        *spend_account,
                        actual,
                        Reason::Pay,
                    )?;
                }
                CostLine::EmergencyHospitalCare => {
                    let days: Vec<u64> = months.iter().map(|m| u64::from(m.days())).collect();
                    let funded = line.plan.allocate(&days)?;
                    push(
                        &format!("{key}:funded"),
                        self.commissioner,
                        self.pot,
                        funded[m],
                        Reason::Funding,
                    )?;
                    push(
                        &format!("{key}:bed-days"),
                        self.pot,
                        *spend_account,
                        actual,
                        Reason::Purchase,
                    )?;
                }
            }
        }
        Ok(batch)
    }

    /// The figures a reader of the budget looks at, in one serialisable record.
    ///
    /// # Errors
    /// [`SimError::Budget`] or [`SimError::Core`] if a sum overflows.
    pub fn summary(&self) -> Result<BudgetSummary, SimError> {
        Ok(BudgetSummary {
            network: self.network,
            reimbursed: self.reimbursed()?,
            contributed: self.contributed()?,
            pooled_emergency_care: self.pooled_emergency_care()?,
            spent: self.spent()?,
            pot_balance: self.pot_balance(),
            arrs_maximum: self.arrs_maximum,
            without_reimbursement: self.without_reimbursement.clone(),
            plan: self.plan.clone(),
            transfers: self.ledger.transfer_count(),
        })
    }

    /// The network.
    #[must_use]
    pub fn network(&self) -> NetworkId {
        self.network
    }

    /// The ledger, with every transfer of the year.
    #[must_use]
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// The year's plan by purpose (each role's staff, emergency care).
    #[must_use]
    pub fn plan(&self) -> &Plan<Purpose> {
        &self.plan
    }

    /// Spending against plan by purpose, from the ledger's spending accounts.
    ///
    /// # Errors
    /// [`SimError::Budget`] if a sum overflows.
    pub fn against_plan(&self) -> Result<Vec<Variance<Purpose>>, SimError> {
        let actual = self
            .ledger
            .by_purpose()?
            .into_iter()
            .filter(|row| row.key != Purpose::General)
            .map(|row| (row.key, row.totals.spent));
        Ok(self.plan.compare(actual)?)
    }

    /// Everything paid out of the unified budget in the year.
    ///
    /// # Errors
    /// [`SimError::Budget`] if a sum overflows.
    pub fn spent(&self) -> Result<Money, SimError> {
        let all = self.ledger.totals_by(|_| Some(()))?;
        Ok(all.first().map_or(Money::ZERO, |row| row.totals.spent))
    }

    /// The role reimbursement received in the year.
    ///
    /// # Errors
    /// [`SimError::Budget`] if a sum overflows.
    pub fn reimbursed(&self) -> Result<Money, SimError> {
        self.paid_in(self.arrs)
    }

    /// The member practices' contribution in the year.
    ///
    /// # Errors
    /// [`SimError::Budget`] if a sum overflows.
    pub fn contributed(&self) -> Result<Money, SimError> {
        self.paid_in(self.practices)
    }

    /// The commissioner's emergency care funding pooled in the year.
    ///
    /// # Errors
    /// [`SimError::Budget`] if a sum overflows.
    pub fn pooled_emergency_care(&self) -> Result<Money, SimError> {
        self.paid_in(self.commissioner)
    }

    /// What is left in the pot at the end of the year (below zero: overspent): the
    /// under- or over-spend for the partners' risk and gain share.
    #[must_use]
    pub fn pot_balance(&self) -> Money {
        self.ledger
            .balance(self.pot)
            .map_or(Money::ZERO, |b| b.balance())
    }

    /// The network's maximum reimbursement sum for the year from the published rules,
    /// taking its registered list as its weighted list (the weighted list is not
    /// simulated), or `None` where no rule was published.
    #[must_use]
    pub fn arrs_maximum(&self) -> Option<Money> {
        self.arrs_maximum
    }

    /// Roles with added staff for whom the published rules give no reimbursement in
    /// some month of the year (not reimbursable then, or no published maximum): their
    /// pay falls to the practices' contribution, never to a guessed figure.
    #[must_use]
    pub fn without_reimbursement(&self) -> &[Role] {
        &self.without_reimbursement
    }

    fn paid_in(&self, account: AccountId) -> Result<Money, SimError> {
        let balance = self
            .ledger
            .balance(account)
            .map_or(Money::ZERO, |b| b.balance());
        Ok(balance.checked_neg()?)
    }
}

/// The budget purpose of a cost line: the role for staff, a service for emergency care.
#[must_use]
pub fn purpose_of(line: CostLine, network: NetworkId) -> Purpose {
    match line {
        CostLine::Staff { role } => Purpose::Role(role),
        CostLine::EmergencyHospitalCare => Purpose::Service(emergency_care_service(network)),
    }
}

/// The id under which a network's emergency hospital care is a service of its budget.
#[must_use]
pub fn emergency_care_service(network: NetworkId) -> ServiceId {
    ServiceId::derived(&format!("{network}:emergency-hospital-care"))
}

/// The month's reimbursement of `actual` pay for staff in `role` at `wte`: the
/// published rate of the actual, up to the published monthly maximum; `None` where
/// the role is not reimbursable that month or no maximum was published.
fn reimbursement(
    rules: &EntitlementRules,
    role: Role,
    month: pcn_core::YearMonth,
    wte: Wte,
    actual: Money,
) -> Result<Option<Money>, SimError> {
    let Ok(rate) = rules.reimbursement_rate(role, month) else {
        return Ok(None);
    };
    let Ok(cap) = rules.monthly_cap(role, month, wte, PayArea::England) else {
        return Ok(None);
    };
    let claimed = actual.checked_mul_rate(rate)?;
    Ok(Some(claimed.min(cap)))
}
