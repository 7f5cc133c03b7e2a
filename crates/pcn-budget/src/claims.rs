//! Monthly additional roles reimbursement claims, checked against the caps and the
//! network's maximum sum.

use std::collections::HashSet;

use pcn_core::{FinancialYear, Money, NetworkId, Role, StaffId, Wte, YearMonth};
use serde::{Deserialize, Serialize};

use crate::{BudgetError, EntitlementRules, PayArea};

/// A network's claim for one month of one member of staff in a reimbursable role:
/// their WTE and the actual pay and employer on-costs of the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReimbursementClaim {
    /// The member of staff.
    pub staff: StaffId,
    /// Their role.
    pub role: Role,
    /// The month claimed for.
    pub month: YearMonth,
    /// Their whole-time equivalent that month.
    pub wte: Wte,
    /// Actual pay for the month.
    pub pay: Money,
    /// Employer on-costs for the month (pension and National Insurance).
    pub on_costs: Money,
    /// Where they work, for London weighting.
    pub area: PayArea,
}

/// What a claim is worth: the share of actual costs the scheme pays, the month's
/// pro-rated cap, and the lower of the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reimbursement {
    /// The claim.
    pub claim: ReimbursementClaim,
    /// The reimbursement rate applied to actual costs (70% in 2019/20, then 100%).
    pub eligible_costs: Money,
    /// The month's part of the yearly maximum, pro-rated by WTE.
    pub cap: Money,
    /// What is reimbursed: the lower of eligible costs and the cap.
    pub reimbursable: Money,
}

impl Reimbursement {
    /// Whether the cap, not the actual costs, set the amount.
    #[must_use]
    pub fn is_capped(&self) -> bool {
        self.cap < self.eligible_costs
    }
}

/// A network's claims for one financial year, kept within its maximum sum.
///
/// Each month of each member of staff is claimed once. A claim is worth the lower
/// of its actual pay and on-costs (at the year's reimbursement rate) and the month's
/// pro-rated cap ([`EntitlementRules::monthly_cap`]); a claim that would take the
/// year's reimbursements beyond the network's maximum sum is refused whole, with the
/// figures ([`BudgetError::OverClaim`]), and changes nothing.
///
/// ```
/// use pcn_budget::{ClaimBook, EntitlementRules, PayArea, ReimbursementClaim};
/// use pcn_core::{FinancialYear, Money, NetworkId, Role, StaffId, Wte};
/// let rules = EntitlementRules::published()?;
/// let mut book = ClaimBook::new(NetworkId::from_u128(1), FinancialYear::constant(2020), "£10,000".parse()?);
/// let claim = ReimbursementClaim {
///     staff: StaffId::from_u128(1),
///     role: Role::ClinicalPharmacist,
///     month: "2020-10".parse()?,
///     wte: "0.5".parse()?,
///     pay: "£2,600".parse()?,
///     on_costs: "£650".parse()?,
///     area: PayArea::England,
/// };
/// let paid = book.submit(rules, claim)?;
/// // Half of a twelfth of £55,670 is £2,319.58: the cap, not the £3,250 of costs.
/// assert_eq!(paid.reimbursable, "£2,319.58".parse()?);
/// assert!(paid.is_capped());
/// // Claiming the same month again is refused.
/// assert!(book.submit(rules, claim).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ClaimBookFields")]
pub struct ClaimBook {
    network: NetworkId,
    year: FinancialYear,
    maximum: Money,
    reimbursed: Money,
    claims: Vec<Reimbursement>,
    #[serde(skip)]
    claimed: HashSet<(StaffId, YearMonth)>,
}

/// The serde form of a claim book, checked on the way in.
#[derive(Deserialize)]
struct ClaimBookFields {
    network: NetworkId,
    year: FinancialYear,
    maximum: Money,
    reimbursed: Money,
    claims: Vec<Reimbursement>,
}

impl TryFrom<ClaimBookFields> for ClaimBook {
    type Error = BudgetError;

    fn try_from(fields: ClaimBookFields) -> Result<Self, Self::Error> {
        let mut book = Self::new(fields.network, fields.year, fields.maximum);
        for r in fields.claims {
            let (staff, month) = (r.claim.staff, r.claim.month);
            if month.financial_year() != book.year {
                return Err(BudgetError::ClaimOutsideYear {
                    staff,
                    month,
                    year: book.year,
                });
            }
            if !book.claimed.insert((staff, month)) {
                return Err(BudgetError::DuplicateClaim { staff, month });
            }
            book.reimbursed = book.reimbursed.checked_add(r.reimbursable)?;
            book.claims.push(r);
        }
        if book.reimbursed != fields.reimbursed || book.reimbursed > book.maximum {
            return Err(BudgetError::InvalidSnapshot {
                reason: format!(
                    "the claim book records {} reimbursed, its claims add up to {} and its maximum is {}",
                    fields.reimbursed, book.reimbursed, book.maximum
                ),
            });
        }
        Ok(book)
    }
}

impl ClaimBook {
    /// An empty book for `network` in `year`, with its maximum sum.
    #[must_use]
    pub fn new(network: NetworkId, year: FinancialYear, maximum: Money) -> Self {
        Self {
            network,
            year,
            maximum,
            reimbursed: Money::ZERO,
            claims: Vec::new(),
            claimed: HashSet::new(),
        }
    }

    /// The network.
    #[must_use]
    pub const fn network(&self) -> NetworkId {
        self.network
    }

    /// The year.
    #[must_use]
    pub const fn year(&self) -> FinancialYear {
        self.year
    }

    /// The network's maximum sum.
    #[must_use]
    pub const fn maximum(&self) -> Money {
        self.maximum
    }

    /// Reimbursed so far this year.
    #[must_use]
    pub const fn reimbursed(&self) -> Money {
        self.reimbursed
    }

    /// What is left of the maximum sum (lost at year end if not claimed).
    #[must_use]
    pub const fn remaining(&self) -> Money {
        Money::from_pence(self.maximum.pence().saturating_sub(self.reimbursed.pence()))
    }

    /// The accepted claims, in order.
    #[must_use]
    pub fn claims(&self) -> &[Reimbursement] {
        &self.claims
    }

    /// What `claim` would be worth, without recording it.
    ///
    /// # Errors
    /// [`BudgetError::ClaimOutsideYear`], [`BudgetError::DuplicateClaim`],
    /// [`BudgetError::InvalidClaim`] (negative costs),
    /// [`BudgetError::RoleNotReimbursable`], [`BudgetError::NoPublishedCap`], or
    /// [`BudgetError::OverClaim`] if it would exceed the maximum sum.
    pub fn assess(
        &self,
        rules: &EntitlementRules,
        claim: ReimbursementClaim,
    ) -> Result<Reimbursement, BudgetError> {
        let (staff, month) = (claim.staff, claim.month);
        if month.financial_year() != self.year {
            return Err(BudgetError::ClaimOutsideYear {
                staff,
                month,
                year: self.year,
            });
        }
        if self.claimed.contains(&(staff, month)) {
            return Err(BudgetError::DuplicateClaim { staff, month });
        }
        if claim.pay.is_negative() || claim.on_costs.is_negative() {
            return Err(BudgetError::InvalidClaim {
                staff,
                month,
                reason: "pay and on-costs cannot be below zero",
            });
        }
        let rate = rules.reimbursement_rate(claim.role, month)?;
        let eligible_costs = claim
            .pay
            .checked_add(claim.on_costs)?
            .checked_mul_rate(rate)?;
        let cap = rules.monthly_cap(claim.role, month, claim.wte, claim.area)?;
        let reimbursable = eligible_costs.min(cap);
        let after = self.reimbursed.checked_add(reimbursable)?;
        if after > self.maximum {
            return Err(BudgetError::OverClaim {
                staff,
                month,
                reimbursable,
                reimbursed: self.reimbursed,
                maximum: self.maximum,
                remaining: self.remaining(),
            });
        }
        Ok(Reimbursement {
            claim,
            eligible_costs,
            cap,
            reimbursable,
        })
    }

    /// Records `claim` and returns what it is worth.
    ///
    /// # Errors
    /// As [`ClaimBook::assess`]; a refused claim changes nothing.
    pub fn submit(
        &mut self,
        rules: &EntitlementRules,
        claim: ReimbursementClaim,
    ) -> Result<Reimbursement, BudgetError> {
        let reimbursement = self.assess(rules, claim)?;
        self.reimbursed = self.reimbursed.checked_add(reimbursement.reimbursable)?;
        self.claimed.insert((claim.staff, claim.month));
        self.claims.push(reimbursement);
        Ok(reimbursement)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str) -> Money {
        text.parse().unwrap()
    }

    fn claim(
        staff: u128,
        role: Role,
        month: &str,
        pay: &str,
        on_costs: &str,
    ) -> ReimbursementClaim {
        ReimbursementClaim {
            staff: StaffId::from_u128(staff),
            role,
            month: month.parse().unwrap(),
            wte: Wte::FULL_TIME,
            pay: m(pay),
            on_costs: m(on_costs),
            area: PayArea::England,
        }
    }

    fn rules() -> &'static EntitlementRules {
        EntitlementRules::published().unwrap()
    }

    #[test]
    fn in_2019_claims_are_seventy_percent_of_costs_up_to_the_cap() {
        let mut book = ClaimBook::new(
            NetworkId::from_u128(1),
            FinancialYear::constant(2019),
            m("£100,000"),
        );
        // £3,000 pay and £600 on-costs at 70% is £2,520.00, under the £3,150.84
        // monthly part of £37,810.
        let pharmacist = book
            .submit(
                rules(),
                claim(1, Role::ClinicalPharmacist, "2019-08", "£3,000", "£600"),
            )
            .unwrap();
        assert_eq!(pharmacist.eligible_costs, m("£2,520.00"));
        assert_eq!(pharmacist.cap, m("£3,150.84"));
        assert_eq!(pharmacist.reimbursable, m("£2,520.00"));
        assert!(!pharmacist.is_capped());
        // A link worker is reimbursed in full, up to £34,113 a year (£2,842.75 a month).
        let link = book
            .submit(
                rules(),
                claim(
                    2,
                    Role::SocialPrescribingLinkWorker,
                    "2019-08",
                    "£2,500",
                    "£500",
                ),
            )
            .unwrap();
        assert_eq!(link.reimbursable, m("£2,842.75"));
        assert!(link.is_capped());
        assert_eq!(book.reimbursed(), m("£5,362.75"));
    }

    #[test]
    fn an_over_claim_is_refused_with_its_figures_and_changes_nothing() {
        let mut book = ClaimBook::new(
            NetworkId::from_u128(1),
            FinancialYear::constant(2020),
            m("£5,000"),
        );
        book.submit(
            rules(),
            claim(1, Role::ClinicalPharmacist, "2020-04", "£3,000", "£700"),
        )
        .unwrap();
        let before = book.clone();
        let err = book
            .submit(
                rules(),
                claim(2, Role::ClinicalPharmacist, "2020-04", "£3,000", "£700"),
            )
            .unwrap_err();
        assert_eq!(
            err,
            BudgetError::OverClaim {
                staff: StaffId::from_u128(2),
                month: "2020-04".parse().unwrap(),
                reimbursable: m("£3,700"),
                reimbursed: m("£3,700"),
                maximum: m("£5,000"),
                remaining: m("£1,300"),
            }
        );
        assert!(err.to_string().contains("leaving £1,300.00"), "{err}");
        assert_eq!(book, before);
        // A smaller claim that fits is accepted.
        book.submit(
            rules(),
            claim(2, Role::ClinicalPharmacist, "2020-04", "£1,000", "£300"),
        )
        .unwrap();
        assert_eq!(book.remaining(), Money::ZERO);
    }

    #[test]
    fn claims_are_checked_before_they_count() {
        let mut book = ClaimBook::new(
            NetworkId::from_u128(1),
            FinancialYear::constant(2021),
            m("£500,000"),
        );
        let outside = claim(1, Role::CareCoordinator, "2022-04", "£2,000", "£400");
        assert!(matches!(
            book.submit(rules(), outside).unwrap_err(),
            BudgetError::ClaimOutsideYear { .. }
        ));
        let negative = claim(1, Role::CareCoordinator, "2021-05", "-£2,000", "£400");
        assert!(matches!(
            book.submit(rules(), negative).unwrap_err(),
            BudgetError::InvalidClaim { .. }
        ));
        let paramedic = claim(1, Role::Paramedic, "2021-05", "£3,000", "£600");
        assert!(
            book.submit(rules(), paramedic)
                .unwrap_err()
                .to_string()
                .contains("no published cap for role paramedic in year 2021/22")
        );
        let gp = claim(1, Role::Gp, "2021-05", "£8,000", "£1,600");
        assert!(matches!(
            book.submit(rules(), gp).unwrap_err(),
            BudgetError::RoleNotReimbursable { .. }
        ));
        // bma-funding-2021-05: care coordinator £29,726 a year; 0.6 WTE in May:
        // £29,726 x 0.6 x (2/12 - 1/12) = £1,486.30.
        let mut part_time = claim(1, Role::CareCoordinator, "2021-05", "£1,800", "£360");
        part_time.wte = "0.6".parse().unwrap();
        assert_eq!(
            book.submit(rules(), part_time).unwrap().reimbursable,
            m("£1,486.30")
        );
        assert!(matches!(
            book.submit(rules(), part_time).unwrap_err(),
            BudgetError::DuplicateClaim { .. }
        ));
        assert!(book.claims().len() == 1 && book.reimbursed() == m("£1,486.30"));
        let json = serde_json::to_string(&book).unwrap();
        let back: ClaimBook = serde_json::from_str(&json).unwrap();
        assert!(matches!(
            back.assess(rules(), part_time).unwrap_err(),
            BudgetError::DuplicateClaim { .. }
        ));
    }

    proptest::proptest! {
        #[test]
        fn a_book_never_reimburses_beyond_its_maximum_and_a_refusal_changes_nothing(
            maximum in 0i64..5_000_000,
            claims in proptest::collection::vec((0u128..4, 0usize..12, 1u32..=100, 0i64..800_000), 1..40),
        ) {
            let year = FinancialYear::constant(2020);
            let mut book = ClaimBook::new(NetworkId::from_u128(1), year, Money::from_pence(maximum));
            for (staff, m, wte, pay) in claims {
                let claim = ReimbursementClaim {
                    staff: StaffId::from_u128(staff),
                    role: Role::ClinicalPharmacist,
                    month: year.months()[m],
                    wte: Wte::from_hundredths(wte),
                    pay: Money::from_pence(pay),
                    on_costs: Money::from_pence(pay / 4),
                    area: PayArea::England,
                };
                let before = book.clone();
                match book.submit(rules(), claim) {
                    Ok(r) => {
                        proptest::prop_assert!(r.reimbursable <= r.cap && r.reimbursable <= r.eligible_costs);
                    }
                    Err(_) => proptest::prop_assert_eq!(&book, &before),
                }
                proptest::prop_assert!(book.reimbursed() <= book.maximum());
                let sum: i64 = book.claims().iter().map(|c| c.reimbursable.pence()).sum();
                proptest::prop_assert_eq!(sum, book.reimbursed().pence());
            }
        }
    }
}
