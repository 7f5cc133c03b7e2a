//! Unified budgets: a pooled double-entry ledger, and the Network Contract DES
//! entitlement rules by year.
//!
//! A **unified budget** is one pot for the collective team around a population: the
//! second principle of the Primary Care Home model (NAPC, 2015) is "a unified budget
//! for the collective team, to avoid perverse incentives created by different funding
//! flows", so that no separate flow rewards one provider for pushing cost onto
//! another. Money comes in from several **funding streams** (the network's contract
//! payments, the Additional Roles Reimbursement Scheme, commissioner investment, a
//! local authority's social care contribution, pooled funds such as the Better Care
//! Fund) and is spent from **pots** (by service, team, role or provider). The
//! [`Ledger`] keeps that money trustworthy in the manner of a financial ledger such
//! as TigerBeetle: double entry (balances always sum to zero), batches applied all or
//! nothing, idempotent transfer ids, two-phase commitments, limits as account flags
//! (a pot cannot overspend; ring-fenced money pays only for its purposes), closed
//! months, corrections by reversal only, and who, when and why on every transfer.
//! [Views](Ledger::by_funding_stream) show the same money by stream, purpose,
//! provider, role and month; a [`Plan`] compares planned with actual, and a
//! [`RiskShare`] splits an under- or over-spend between partners to the penny.
//!
//! What a Primary Care Network is **entitled** to comes from the Network Contract
//! Directed Enhanced Service (DES), whose rates change by financial year, from
//! 2019/20 to 2025/26: per-registered-patient payments (core PCN funding, extended
//! hours access), the per-weighted-patient Network Participation Payment paid to
//! each member practice, the Clinical Director payment, enhanced access and the
//! capacity and access payments on the adjusted population, the care home premium
//! per bed of the network's aligned care homes, the Investment and Impact Fund
//! (points earned on a sliding scale between thresholds, adjusted for list size and
//! prevalence), and the Additional Roles Reimbursement Scheme (ARRS), which
//! reimburses the actual pay and on-costs of staff in listed roles up to a maximum
//! per WTE per year (by grade for the nursing posts of 2024/25 on, with London
//! weightings and headcount limits by list size), within the network's maximum sum
//! (its weighted-population share of a national pot, or a figure per
//! contractor-weighted patient) and, for GPs from October 2024, a ring-fenced GP sum.
//! Rates that changed during a year carry their months, and rates revised with
//! effect from April (the uplifts of September 2024) the rate they replaced.
//! [`EntitlementRules`] holds those rules as data keyed by
//! [`FinancialYear`](pcn_core::FinancialYear), each figure with its source
//! (`data/entitlements.json`: NHS England, the BMA, parliamentary answers, LMC
//! guidance and the trade press reporting the DES specifications), and computes
//! monthly [`Schedule`]s per network and payee; a [`ClaimBook`] turns monthly claims
//! into reimbursements, refusing an over-claim with its figures;
//! [`EntitlementRules::iif_payment`] pays an IIF indicator with its working shown. A
//! figure not found in a published source is never guessed: asking for it is an
//! error naming the figure and the year ("no published cap for role R in year Y").
//!
//! # Example
//!
//! ```
//! use chrono::NaiveDate;
//! use pcn_budget::{
//!     Account, Actor, Batch, EntitlementRules, FundingStream, Ledger, NetworkPopulation, Party,
//!     PopulationCount, PracticePopulation, Provenance, Purpose, Reason, RiskShare, Share, Transfer,
//! };
//! use pcn_core::{AccountId, FinancialYear, Money, NetworkId, OrganisationId, PracticeId, Role, TransferId};
//!
//! // What the network is entitled to in 2024/25, from the published rules.
//! let rules = EntitlementRules::published()?;
//! let year = FinancialYear::constant(2024);
//! let january = NaiveDate::from_ymd_opt(2024, 1, 1).ok_or("bad date")?;
//! let practice = PracticeId::from_u128(1);
//! let network = NetworkPopulation {
//!     network: NetworkId::from_u128(1),
//!     payee: Party::Practice(practice),
//!     practices: vec![PracticePopulation {
//!         practice,
//!         registered: Some(PopulationCount::new(40_000, january)),
//!         weighted: Some(PopulationCount::new(41_000, january)),
//!         adjusted: Some(PopulationCount::new(40_500, january)),
//!     }],
//! };
//! let schedule = rules.schedule(year, &[network], None)?;
//! let core: i64 = schedule.lines.iter()
//!     .filter(|l| l.stream == FundingStream::CoreNetworkFunding)
//!     .map(|l| l.annual.pence())
//!     .sum();
//! // £2.218 x 40,000 + £0.698 x 40,500 = £88,720 + £28,269.
//! assert_eq!(Money::from_pence(core), "£116,989".parse()?);
//!
//! // A pooled budget: core funding and a council contribution in, pay out.
//! let pcn = Party::Network(NetworkId::from_u128(1));
//! let council = Party::Organisation(OrganisationId::from_u128(2));
//! let [core_in, council_in, pot, pay] = [1, 2, 3, 4].map(AccountId::from_u128);
//! let mut ledger = Ledger::new();
//! ledger.open(Account::funding(core_in, "Core PCN funding", FundingStream::CoreNetworkFunding, pcn))?;
//! ledger.open(Account::funding(council_in, "Social care", FundingStream::SocialCareContribution, council))?;
//! ledger.open(Account::pot(pot, "Pooled budget", pcn, Purpose::General))?;
//! ledger.open(Account::spending(pay, "Care coordinators", pcn, Purpose::Role(Role::CareCoordinator)))?;
//! let day = NaiveDate::from_ymd_opt(2024, 4, 30).ok_or("bad date")?;
//! let by = Actor::System(pcn);
//! let mut batch = Batch::new();
//! batch.push(Transfer::posted(TransferId::from_u128(1), core_in, pot, "£9,749.08".parse()?, Provenance::new(day, by, Reason::Funding))?);
//! batch.push(Transfer::posted(TransferId::from_u128(2), council_in, pot, "£5,000".parse()?, Provenance::new(day, by, Reason::Contribution))?);
//! batch.push(Transfer::posted(TransferId::from_u128(3), pot, pay, "£12,000".parse()?, Provenance::new(day, by, Reason::Pay))?);
//! ledger.apply(&batch)?;
//! assert_eq!(ledger.sum_of_balances(), 0);
//! let by_stream = ledger.by_funding_stream()?;
//! assert_eq!(by_stream.len(), 2);
//!
//! // £2,749.08 unspent: shared 60:40 between the network and the council.
//! let left = ledger.balance(pot).ok_or("no pot")?.balance();
//! let agreement = RiskShare::symmetric(vec![Share { party: pcn, ratio: 60 }, Share { party: council, ratio: 40 }])?;
//! let shares = agreement.split(left)?;
//! assert_eq!(shares[0].amount.checked_add(shares[1].amount)?, left);
//! assert_eq!(shares[0].amount, "£1,649.45".parse()?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! | item | what it is |
//! |---|---|
//! | [`Ledger`], [`Account`], [`Transfer`], [`Batch`] | the double-entry ledger and its parts |
//! | [`AccountKind`], [`Limits`], [`Purpose`], [`Party`] | what an account is, its flags, purpose and owner |
//! | [`Phase`] | posted, pending, post or void a pending transfer, reversal |
//! | [`Provenance`], [`Actor`], [`Reason`] | who, when and why, on every transfer |
//! | [`ViewRow`], [`Totals`], [`Plan`], [`Variance`], [`RiskShare`] | views, planned against actual, risk and gain share |
//! | [`EntitlementRules`], [`YearRules`], [`PaymentRule`], [`ArrsRules`] | the published rules by year |
//! | [`Revision`], [`CareHomePremiumRule`], [`Grade`], [`GpSum`], [`HeadcountRules`] | mid-year revisions, the care home premium, grades of post, the GP sum, headcount limits |
//! | [`IifRules`], [`IifIndicator`], [`Achievement`], [`IndicatorPayment`] | the Investment and Impact Fund and its payments with the working |
//! | [`NetworkPopulation`], [`PracticeLists`], [`PopulationCount`] | the entitlement inputs, each list at its date |
//! | [`Schedule`], [`ScheduleLine`] | annual and monthly entitlements per network and payee |
//! | [`ClaimBook`], [`ReimbursementClaim`], [`Reimbursement`] | monthly role reimbursement claims |
//! | [`BudgetError`] | everything that can be refused, with the figures |

mod account;
mod actor;
mod claims;
mod error;
mod funding;
mod iif;
mod index;
mod ledger;
mod population;
mod registry_lists;
mod risk_share;
mod rules;
mod schedule;
mod transfer;
mod views;

pub use account::{Account, AccountKind, Balance, Limits, Purpose};
pub use actor::Actor;
pub use claims::{ClaimBook, Reimbursement, ReimbursementClaim};
pub use error::BudgetError;
pub use funding::FundingStream;
pub use iif::{Achievement, IifIndicator, IifRules, IndicatorPayment, Prevalence};
pub use ledger::{Applied, Entry, Ledger, MonthClose, PendingState};
/// An organisation that owns money, contributes it or is paid (defined in `pcn-core`).
pub use pcn_core::Party;
pub use population::{
    NetworkPopulation, PopulationBasis, PopulationCount, PracticeLists, PracticePopulation,
};
pub use risk_share::{RiskShare, Settlement, Share};
pub use rules::{
    ArrsRules, CareHomePremiumRule, EligibleRole, EntitlementRules, GpSum, Grade, HeadcountLimit,
    HeadcountRules, NetworkMaximum, PayArea, Payee, PaymentRule, RatePeriod, Revision, RoleCap,
    RoleRate, Source, UnconfirmedLimit, UnlimitedRole, UnpublishedPayment, YearRules,
};
pub use schedule::{MonthlyTotals, NetworkAllowance, Schedule, ScheduleLine};
pub use transfer::{Batch, Phase, Provenance, Reason, Transfer};
pub use views::{Plan, PlanLine, Totals, Variance, ViewRow};
