//! The funding streams that flow into a unified budget.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A stream of money coming into a unified budget.
///
/// The first group are the Network Contract DES payments whose rates
/// [`EntitlementRules`](crate::EntitlementRules) computes from the published rules
/// (`payments.md` of the domain reference); the rest are what partners and
/// commissioners put into a pooled budget: the Primary Care Home model's "unified
/// budget for the collective team" pools money from several funders so that no
/// separate funding flow rewards one provider for pushing cost onto another.
///
/// Serde and `Display` use the `snake_case` name.
///
/// ```
/// use pcn_budget::FundingStream;
/// assert_eq!(FundingStream::RoleReimbursement.to_string(), "role_reimbursement");
/// assert!(FundingStream::CoreNetworkFunding.is_network_contract_payment());
/// assert!(!FundingStream::PooledFund.is_network_contract_payment());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FundingStream {
    /// Core PCN funding, per registered patient (from 2024/25 also per adjusted
    /// patient, absorbing the Clinical Director and leadership payments).
    CoreNetworkFunding,
    /// The Clinical Director contribution, per registered patient.
    ClinicalDirector,
    /// The Network Participation Payment, per weighted patient, paid to each member
    /// practice rather than to the network.
    NetworkParticipation,
    /// Extended Hours Access, per registered patient (July 2019 to September 2022).
    ExtendedHoursAccess,
    /// Enhanced Access, per adjusted patient (from October 2022).
    EnhancedAccess,
    /// The PCN Support Payment, per weighted patient (April to September 2020).
    PcnSupport,
    /// The PCN leadership and management payment, per adjusted patient (2022/23 and
    /// 2023/24, then merged into core PCN funding).
    LeadershipAndManagement,
    /// The care home premium, per bed of the network's aligned care homes (from
    /// August 2020).
    CareHomePremium,
    /// The Capacity and Access Support Payment, per adjusted patient (2023/24 on),
    /// paid without conditions.
    CapacityAndAccessSupport,
    /// The Capacity and Access Improvement Payment, per adjusted patient (2023/24
    /// on): the most a network can earn on the commissioner's assessment.
    CapacityAndAccessImprovement,
    /// The Additional Roles Reimbursement Scheme: ring-fenced reimbursement of the
    /// pay and on-costs of staff in reimbursable roles.
    RoleReimbursement,
    /// The Investment and Impact Fund (achievement payments).
    InvestmentAndImpactFund,
    /// Investment by the commissioner (Integrated Care Board, formerly CCG) beyond the
    /// national contract.
    CommissionerInvestment,
    /// A local authority's contribution for social care.
    SocialCareContribution,
    /// A pooled fund such as the Better Care Fund (£3.8 bn from 2015/16, `seeds.md`).
    PooledFund,
    /// A partner provider's own contribution (staff time or money from a trust, a
    /// voluntary organisation or a practice).
    PartnerContribution,
}

impl FundingStream {
    /// Every stream, in a fixed order.
    pub const ALL: &'static [Self] = &[
        Self::CoreNetworkFunding,
        Self::ClinicalDirector,
        Self::NetworkParticipation,
        Self::ExtendedHoursAccess,
        Self::EnhancedAccess,
        Self::PcnSupport,
        Self::LeadershipAndManagement,
        Self::CareHomePremium,
        Self::CapacityAndAccessSupport,
        Self::CapacityAndAccessImprovement,
        Self::RoleReimbursement,
        Self::InvestmentAndImpactFund,
        Self::CommissionerInvestment,
        Self::SocialCareContribution,
        Self::PooledFund,
        Self::PartnerContribution,
    ];

    /// The stream in words, as the Network Contract DES and its guidance name it,
    /// for a reader.
    ///
    /// ```
    /// use pcn_budget::FundingStream;
    /// assert_eq!(FundingStream::RoleReimbursement.label(), "Additional Roles Reimbursement Scheme");
    /// ```
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::CoreNetworkFunding => "core PCN funding",
            Self::ClinicalDirector => "Clinical Director payment",
            Self::NetworkParticipation => "Network Participation Payment",
            Self::ExtendedHoursAccess => "Extended Hours Access",
            Self::EnhancedAccess => "Enhanced Access",
            Self::PcnSupport => "PCN support payment",
            Self::LeadershipAndManagement => "PCN leadership and management payment",
            Self::CareHomePremium => "care home premium",
            Self::CapacityAndAccessSupport => "Capacity and Access Support Payment",
            Self::CapacityAndAccessImprovement => "Capacity and Access Improvement Payment",
            Self::RoleReimbursement => "Additional Roles Reimbursement Scheme",
            Self::InvestmentAndImpactFund => "Investment and Impact Fund",
            Self::CommissionerInvestment => "commissioner's local investment",
            Self::SocialCareContribution => "social care contribution",
            Self::PooledFund => "pooled fund",
            Self::PartnerContribution => "partner contribution",
        }
    }

    /// The `snake_case` name used by serde and `Display`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::CoreNetworkFunding => "core_network_funding",
            Self::ClinicalDirector => "clinical_director",
            Self::NetworkParticipation => "network_participation",
            Self::ExtendedHoursAccess => "extended_hours_access",
            Self::EnhancedAccess => "enhanced_access",
            Self::PcnSupport => "pcn_support",
            Self::LeadershipAndManagement => "leadership_and_management",
            Self::CareHomePremium => "care_home_premium",
            Self::CapacityAndAccessSupport => "capacity_and_access_support",
            Self::CapacityAndAccessImprovement => "capacity_and_access_improvement",
            Self::RoleReimbursement => "role_reimbursement",
            Self::InvestmentAndImpactFund => "investment_and_impact_fund",
            Self::CommissionerInvestment => "commissioner_investment",
            Self::SocialCareContribution => "social_care_contribution",
            Self::PooledFund => "pooled_fund",
            Self::PartnerContribution => "partner_contribution",
        }
    }

    /// Whether the stream is a payment of the Network Contract DES (paid by the
    /// commissioner under the national rules).
    #[must_use]
    pub const fn is_network_contract_payment(self) -> bool {
        matches!(
            self,
            Self::CoreNetworkFunding
                | Self::ClinicalDirector
                | Self::NetworkParticipation
                | Self::ExtendedHoursAccess
                | Self::EnhancedAccess
                | Self::PcnSupport
                | Self::LeadershipAndManagement
                | Self::CareHomePremium
                | Self::CapacityAndAccessSupport
                | Self::CapacityAndAccessImprovement
                | Self::RoleReimbursement
                | Self::InvestmentAndImpactFund
        )
    }
}

impl fmt::Display for FundingStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
