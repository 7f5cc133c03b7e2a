//! Risk and gain share: splitting an under- or over-spend between partners.

use pcn_core::Money;
use serde::{Deserialize, Serialize};

use crate::{BudgetError, Party};

/// A partner's agreed share, as a ratio (shares 2:1:1 are ratios 2, 1 and 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    /// The partner.
    pub party: Party,
    /// Its ratio.
    pub ratio: u64,
}

/// What one partner gains (above zero) or bears (below zero) at settlement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settlement {
    /// The partner.
    pub party: Party,
    /// Its part of the under-spend (above zero) or over-spend (below zero).
    pub amount: Money,
}

/// A risk and gain share agreement between the partners of a pooled budget: an
/// under-spend is shared by the gain ratios, an over-spend by the risk ratios, to the
/// penny ([`Money::allocate`], largest remainder), so that the parts add up exactly.
///
/// The ratios are the partners' agreement (a Section 75 or alliance agreement); no
/// national rule sets them.
///
/// ```
/// use pcn_budget::{Party, RiskShare, Share};
/// use pcn_core::{Money, NetworkId, OrganisationId};
/// let network = Party::Network(NetworkId::from_u128(1));
/// let trust = Party::Organisation(OrganisationId::from_u128(2));
/// let council = Party::Organisation(OrganisationId::from_u128(3));
/// let agreement = RiskShare::new(
///     vec![Share { party: network, ratio: 50 }, Share { party: trust, ratio: 30 }, Share { party: council, ratio: 20 }],
///     vec![Share { party: network, ratio: 1 }, Share { party: trust, ratio: 1 }, Share { party: council, ratio: 1 }],
/// )?;
/// let under = agreement.split(Money::from_pence(1_000_001))?; // £10,000.01 under-spent
/// assert_eq!(under[0].amount, Money::from_pence(500_001));
/// let over = agreement.split(Money::from_pence(-100))?; // £1 over-spent, borne equally
/// assert_eq!(over.iter().map(|s| s.amount.pence()).collect::<Vec<_>>(), [-34, -33, -33]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RiskShareFields")]
pub struct RiskShare {
    gain: Vec<Share>,
    risk: Vec<Share>,
}

#[derive(Deserialize)]
struct RiskShareFields {
    gain: Vec<Share>,
    risk: Vec<Share>,
}

impl TryFrom<RiskShareFields> for RiskShare {
    type Error = BudgetError;

    fn try_from(fields: RiskShareFields) -> Result<Self, Self::Error> {
        Self::new(fields.gain, fields.risk)
    }
}

fn check(shares: &[Share]) -> Result<(), BudgetError> {
    if shares.is_empty() || shares.iter().all(|s| s.ratio == 0) {
        return Err(BudgetError::InvalidRiskShare {
            reason: "each side needs at least one partner with a ratio above zero",
        });
    }
    for (i, share) in shares.iter().enumerate() {
        if shares[..i].iter().any(|s| s.party == share.party) {
            return Err(BudgetError::InvalidRiskShare {
                reason: "a partner is named twice on one side",
            });
        }
    }
    if shares
        .iter()
        .try_fold(0u64, |acc, s| acc.checked_add(s.ratio))
        .is_none()
    {
        return Err(BudgetError::InvalidRiskShare {
            reason: "the ratios add up to more than 64 bits",
        });
    }
    Ok(())
}

impl RiskShare {
    /// An agreement with separate gain and risk ratios.
    ///
    /// # Errors
    /// [`BudgetError::InvalidRiskShare`] if a side is empty, all its ratios are zero,
    /// or it names a partner twice.
    pub fn new(gain: Vec<Share>, risk: Vec<Share>) -> Result<Self, BudgetError> {
        check(&gain)?;
        check(&risk)?;
        Ok(Self { gain, risk })
    }

    /// An agreement sharing gains and risks by the same ratios.
    ///
    /// # Errors
    /// As [`RiskShare::new`].
    pub fn symmetric(shares: Vec<Share>) -> Result<Self, BudgetError> {
        Self::new(shares.clone(), shares)
    }

    /// The gain ratios.
    #[must_use]
    pub fn gain(&self) -> &[Share] {
        &self.gain
    }

    /// The risk ratios.
    #[must_use]
    pub fn risk(&self) -> &[Share] {
        &self.risk
    }

    /// Splits `variance` (planned minus actual: above zero an under-spend, below zero
    /// an over-spend) between the partners; the parts add up exactly to it.
    ///
    /// # Errors
    /// [`BudgetError::Core`] if the allocation fails (it cannot for a valid
    /// agreement).
    pub fn split(&self, variance: Money) -> Result<Vec<Settlement>, BudgetError> {
        let shares = if variance.is_negative() {
            &self.risk
        } else {
            &self.gain
        };
        let ratios: Vec<u64> = shares.iter().map(|s| s.ratio).collect();
        let parts = variance.allocate(&ratios)?;
        Ok(shares
            .iter()
            .zip(parts)
            .map(|(s, amount)| Settlement {
                party: s.party,
                amount,
            })
            .collect())
    }
}
