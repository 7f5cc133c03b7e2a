//! What a network's year costs: spending by line and month against its plan.

use pcn_core::{FinancialYear, Money, Role, YearMonth};
use serde::Serialize;

use crate::SimError;

/// A line of the network's unified budget that the simulation spends from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CostLine {
    /// Pay and employer on-costs of the staff in one role.
    Staff {
        /// The role.
        role: Role,
    },
    /// Emergency hospital bed days of the network's population.
    EmergencyHospitalCare,
}

impl CostLine {
    /// The line in words, for reports.
    #[must_use]
    pub fn label(&self) -> String {
        match self {
            CostLine::Staff { role } => format!("staff: {}", role.label()),
            CostLine::EmergencyHospitalCare => "emergency hospital care".to_owned(),
        }
    }
}

/// One budget line: its plan for the year and what was spent in each month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BudgetLine {
    /// The line.
    pub line: CostLine,
    /// The year's plan.
    pub plan: Money,
    /// Spending in each month of the financial year, April first.
    pub spent_by_month: [Money; 12],
}

impl BudgetLine {
    /// The year's spending on the line.
    ///
    /// # Errors
    /// [`SimError::Core`] if the sum overflows.
    pub fn spent(&self) -> Result<Money, SimError> {
        sum(self.spent_by_month.iter().copied())
    }
}

/// A network's year of spending against plan, by line and month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Budget {
    financial_year: FinancialYear,
    lines: Vec<BudgetLine>,
}

impl Budget {
    pub(crate) fn new(financial_year: FinancialYear, lines: Vec<BudgetLine>) -> Self {
        Self {
            financial_year,
            lines,
        }
    }

    /// The financial year.
    #[must_use]
    pub fn financial_year(&self) -> FinancialYear {
        self.financial_year
    }

    /// The lines, staff by role first, then hospital care.
    #[must_use]
    pub fn lines(&self) -> &[BudgetLine] {
        &self.lines
    }

    /// The months of the year, April first.
    #[must_use]
    pub fn months(&self) -> [YearMonth; 12] {
        self.financial_year.months()
    }

    /// The year's plan over every line.
    ///
    /// # Errors
    /// [`SimError::Core`] if the sum overflows.
    pub fn total_plan(&self) -> Result<Money, SimError> {
        sum(self.lines.iter().map(|l| l.plan))
    }

    /// The year's spending over every line.
    ///
    /// # Errors
    /// [`SimError::Core`] if the sum overflows.
    pub fn total_spent(&self) -> Result<Money, SimError> {
        let mut total = Money::ZERO;
        for line in &self.lines {
            total = total.checked_add(line.spent()?)?;
        }
        Ok(total)
    }

    /// Spending in month `index` (0 is April) over every line.
    ///
    /// # Errors
    /// [`SimError::Core`] if the sum overflows.
    pub fn spent_in_month(&self, index: usize) -> Result<Money, SimError> {
        sum(self.lines.iter().map(|l| l.spent_by_month[index % 12]))
    }

    /// Adds another network's budget into this one, line by line.
    pub(crate) fn absorb(&mut self, other: &Budget) -> Result<(), SimError> {
        for line in &other.lines {
            match self.lines.iter_mut().find(|l| l.line == line.line) {
                Some(mine) => {
                    mine.plan = mine.plan.checked_add(line.plan)?;
                    for (m, o) in mine.spent_by_month.iter_mut().zip(line.spent_by_month) {
                        *m = m.checked_add(o)?;
                    }
                }
                None => self.lines.push(line.clone()),
            }
        }
        self.lines.sort_by_key(|l| l.line);
        Ok(())
    }
}

fn sum(values: impl Iterator<Item = Money>) -> Result<Money, SimError> {
    let mut total = Money::ZERO;
    for v in values {
        total = total.checked_add(v)?;
    }
    Ok(total)
}
