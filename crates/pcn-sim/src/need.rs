//! What people come to the practice for, and the routes by which they reach a clinician.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The need behind a request for care: it decides which roles can meet it.
///
/// The presenting needs share out a person's consultations by the published or
/// assumed shares of the parameters (`need_shares`: MSK about 30 % of GP
/// appointments, england.nhs.uk; a social problem about 20 %, NHS England social
/// prescribing); [`Need::CarePlanReview`] is proactive work that arises from
/// personal care and support plans, not from consultations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Need {
    /// A new illness or injury that is not musculoskeletal.
    AcuteIllness,
    /// Review or management of a long-term condition.
    LongTermCondition,
    /// A musculoskeletal problem (back, joint, muscle pain).
    Musculoskeletal,
    /// A medication query or review.
    Medication,
    /// A mental health problem.
    MentalHealth,
    /// A problem that is primarily social (loneliness, debt, housing, inactivity).
    SocialWellbeing,
    /// A planned review of a personal care and support plan.
    CarePlanReview,
}

impl Need {
    /// Every need, in a fixed order (the order of reports).
    pub const ALL: [Need; 7] = [
        Need::AcuteIllness,
        Need::LongTermCondition,
        Need::Musculoskeletal,
        Need::Medication,
        Need::MentalHealth,
        Need::SocialWellbeing,
        Need::CarePlanReview,
    ];

    /// The needs that arise from consultations, shared out by `need_shares`.
    pub const PRESENTING: [Need; 6] = [
        Need::AcuteIllness,
        Need::LongTermCondition,
        Need::Musculoskeletal,
        Need::Medication,
        Need::MentalHealth,
        Need::SocialWellbeing,
    ];

    /// The need's position in [`Need::ALL`].
    #[must_use]
    pub const fn index(self) -> usize {
        match self {
            Need::AcuteIllness => 0,
            Need::LongTermCondition => 1,
            Need::Musculoskeletal => 2,
            Need::Medication => 3,
            Need::MentalHealth => 4,
            Need::SocialWellbeing => 5,
            Need::CarePlanReview => 6,
        }
    }

    /// The need in words, for reports.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Need::AcuteIllness => "acute illness",
            Need::LongTermCondition => "long-term condition",
            Need::Musculoskeletal => "musculoskeletal",
            Need::Medication => "medication",
            Need::MentalHealth => "mental health",
            Need::SocialWellbeing => "social and wellbeing",
            Need::CarePlanReview => "care plan review",
        }
    }
}

impl fmt::Display for Need {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// How a request reaches a clinician in the simulation: booked with the usual
/// clinician, or by one of the referral routes of `referrals.md`, or as planned care.
///
/// [`Access::Booked`] (reception books the practice's usual clinician) and
/// [`Access::TeamReferral`] are always open; a scenario opens the others. The routes
/// that are referrals ([`Access::DirectAccess`], [`Access::SocialPrescribing`],
/// [`Access::TeamReferral`]) are routed through `pcn-referral`'s pathway catalogue
/// as its entry routes ([`Access::referral_route`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Access {
    /// Reception books an appointment with the usual clinician.
    Booked,
    /// Direct access or self-referral without seeing a GP first (for example MSK
    /// first contact physiotherapy: england.nhs.uk first contact physiotherapists).
    DirectAccess,
    /// Referral to a social prescribing link worker by any member of the team, a
    /// local agency or the person themselves.
    SocialPrescribing,
    /// Referral on by the clinician who saw the person.
    TeamReferral,
    /// Proactive work planned in a personal care and support plan.
    CarePlan,
}

impl Access {
    /// The `pcn-referral` entry route of a request reaching a clinician this way, or
    /// `None` where it is not a referral (booked appointments and planned care):
    /// direct access is a self-referral; a social prescribing referral by
    /// reception, a care coordinator or the person is routed as a self-referral
    /// (the link worker pathway takes every route); a referral on is the GP's.
    #[must_use]
    pub const fn referral_route(self) -> Option<pcn_referral::EntryRoute> {
        match self {
            Access::DirectAccess | Access::SocialPrescribing => {
                Some(pcn_referral::EntryRoute::SelfReferral)
            }
            Access::TeamReferral => Some(pcn_referral::EntryRoute::GpReferral),
            Access::Booked | Access::CarePlan => None,
        }
    }

    /// The `snake_case` name serde uses.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Access::Booked => "booked",
            Access::DirectAccess => "direct_access",
            Access::SocialPrescribing => "social_prescribing",
            Access::TeamReferral => "team_referral",
            Access::CarePlan => "care_plan",
        }
    }

    /// The route in words, for reports.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Access::Booked => "booked",
            Access::DirectAccess => "direct access",
            Access::SocialPrescribing => "social prescribing",
            Access::TeamReferral => "team referral",
            Access::CarePlan => "care plan",
        }
    }
}

impl fmt::Display for Access {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}
