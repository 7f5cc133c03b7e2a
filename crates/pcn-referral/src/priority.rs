//! Referral priorities and the waiting-time targets that go with them.

use std::fmt;

use chrono::NaiveDate;
use pcn_core::Rate;
use serde::{Deserialize, Serialize};

/// How soon a referral must be acted on.
///
/// The three priorities a referrer chooses in the NHS e-Referral Service: routine,
/// urgent, and the urgent suspected-cancer referral still called "two-week wait"
/// (2WW) in the e-RS and the Cancer Waiting Times data set. Since 1 October 2023 a
/// suspected-cancer referral is no longer measured against the two-week standard but
/// against the 28-day Faster Diagnosis Standard; GPs refer in the same way (see
/// [`SuspectedCancerStandard`]).
///
/// The derived order `Routine < Urgent < TwoWeekWait` is a stable order for sorting
/// and reports, not a clinical ranking of urgent against suspected cancer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Routine.
    Routine,
    /// Urgent.
    Urgent,
    /// Urgent referral for suspected cancer ("two-week wait", urgent suspected cancer).
    TwoWeekWait,
}

impl Priority {
    /// The `snake_case` name used by serde and `Display`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Routine => "routine",
            Self::Urgent => "urgent",
            Self::TwoWeekWait => "two_week_wait",
        }
    }

    /// Whether this priority is above routine (urgent or suspected cancer): the
    /// priorities a red flag may route to.
    #[must_use]
    pub const fn is_expedited(self) -> bool {
        !matches!(self, Self::Routine)
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// The national waiting-time standard for urgent suspected-cancer referrals, which
/// changed on 1 October 2023.
///
/// Until 30 September 2023 the "two-week wait" standard applied: a patient urgently
/// referred by their GP for suspected cancer was to be seen by a specialist within
/// 14 days, with an operational target of 93 %. From 1 October 2023 NHS England
/// replaced ten cancer waiting-time standards by three and removed the two-week wait:
/// the **28-day Faster Diagnosis Standard** (cancer diagnosed or ruled out within 28
/// days of the urgent referral, set at 75 %), the 62-day referral-to-treatment
/// standard (85 %) and the 31-day decision-to-treat standard (96 %). GPs still refer
/// in the same way; only the measure changed.
///
/// Sources: NHS England, "Clinically-led review of NHS access standards: cancer"
/// (england.nhs.uk/clinically-led-review-nhs-access-standards/cancer/), consultation
/// response of August 2023; Office for Statistics Regulation, "Statistics about
/// cancer waiting times in England" (2024), paragraph 1.4; the 93 % two-week-wait
/// target as described by Yorkshire Cancer Research, "Why we need to replace the
/// Two-Week Wait".
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_referral::SuspectedCancerStandard;
/// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
/// assert_eq!(SuspectedCancerStandard::in_force_on(d(2023, 9, 30)), SuspectedCancerStandard::TwoWeekWait);
/// let fds = SuspectedCancerStandard::in_force_on(d(2023, 10, 1));
/// assert_eq!(fds, SuspectedCancerStandard::FasterDiagnosis);
/// assert_eq!(fds.days(), 28);
/// assert_eq!(fds.operational_target().to_string(), "0.75");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuspectedCancerStandard {
    /// Seen by a specialist within 14 days of the urgent referral (to 30 September 2023).
    TwoWeekWait,
    /// Cancer diagnosed or ruled out within 28 days of the urgent referral (from
    /// 1 October 2023).
    FasterDiagnosis,
}

impl SuspectedCancerStandard {
    /// The first day on which the Faster Diagnosis Standard replaced the two-week wait.
    pub const FASTER_DIAGNOSIS_FROM: NaiveDate = match NaiveDate::from_ymd_opt(2023, 10, 1) {
        Some(date) => date,
        None => NaiveDate::MIN,
    };

    /// The standard that applies to an urgent suspected-cancer referral made on `date`.
    #[must_use]
    pub fn in_force_on(date: NaiveDate) -> Self {
        if date >= Self::FASTER_DIAGNOSIS_FROM {
            Self::FasterDiagnosis
        } else {
            Self::TwoWeekWait
        }
    }

    /// The maximum wait in days the standard sets.
    #[must_use]
    pub const fn days(self) -> u16 {
        match self {
            Self::TwoWeekWait => 14,
            Self::FasterDiagnosis => 28,
        }
    }

    /// The share of patients the standard expects to be within [`days`](Self::days)
    /// (93 % for the two-week wait, 75 % for the Faster Diagnosis Standard).
    #[must_use]
    pub const fn operational_target(self) -> Rate {
        match self {
            Self::TwoWeekWait => Rate::from_millionths(930_000),
            Self::FasterDiagnosis => Rate::from_millionths(750_000),
        }
    }

    /// The wait measure this standard uses.
    #[must_use]
    pub const fn measure(self) -> WaitMeasure {
        match self {
            Self::TwoWeekWait => WaitMeasure::FirstSeen,
            Self::FasterDiagnosis => WaitMeasure::FasterDiagnosis,
        }
    }
}

/// The 18-week referral-to-treatment maximum wait, in weeks.
///
/// Source: NHS Constitution right to start consultant-led treatment within a maximum
/// of 18 weeks from referral (gov.uk, "Consultant-led treatment: right to start
/// within 18 weeks").
pub const RTT_MAXIMUM_WEEKS: u16 = 18;

/// The 18-week referral-to-treatment maximum wait, in days (18 × 7 = 126): a wait of
/// 126 days is within 18 weeks, 127 days is not.
pub const RTT_MAXIMUM_DAYS: u16 = RTT_MAXIMUM_WEEKS * 7;

/// The operational standard for incomplete RTT pathways: 92 % of patients still
/// waiting should have waited no more than 18 weeks.
///
/// Source: the RTT incomplete-pathway standard of the NHS Commissioning Board and
/// Clinical Commissioning Groups (Responsibilities and Standing Rules) Regulations
/// 2012, as reported monthly by NHS England (`referrals.md` of the domain reference).
pub const RTT_INCOMPLETE_STANDARD: Rate = Rate::from_millionths(920_000);

/// What a waiting time runs to: the event that stops the wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaitMeasure {
    /// Referral to first definitive treatment (or another clock stop) under the
    /// 18-week rules: consultant-led and interface services.
    ReferralToTreatment,
    /// Referral to first seen by a specialist (the two-week wait, to 30 September 2023).
    FirstSeen,
    /// Referral to cancer diagnosed or ruled out (the Faster Diagnosis Standard, from
    /// 1 October 2023).
    FasterDiagnosis,
    /// Referral to first contact with the service: community services, direct access
    /// and social prescribing, which have no national clock.
    FirstContact,
}

impl WaitMeasure {
    /// The measure in words.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::ReferralToTreatment => "referral to treatment",
            Self::FirstSeen => "first seen (two-week wait)",
            Self::FasterDiagnosis => "faster diagnosis",
            Self::FirstContact => "first contact",
        }
    }
}

impl fmt::Display for WaitMeasure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.label())
    }
}

/// A pathway's target wait, as written in a catalogue.
///
/// National standards are named, not typed in as numbers, so that a catalogue cannot
/// disagree with them: [`TargetWait::ReferralToTreatment`] is always 18 weeks and
/// [`TargetWait::SuspectedCancer`] is whichever suspected-cancer standard was in force
/// on the referral date. Community, direct-access and social-prescribing services
/// have no national waiting standard for first contact (none was found in the
/// sources of `referrals.md`), so their target is a local parameter in days.
///
/// Serde: `{"measure": "referral_to_treatment"}`, `{"measure": "suspected_cancer"}`,
/// `{"measure": "first_contact", "days": 14}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "measure", rename_all = "snake_case")]
pub enum TargetWait {
    /// The 18-week referral-to-treatment standard ([`RTT_MAXIMUM_DAYS`]).
    ReferralToTreatment,
    /// The suspected-cancer standard in force on the referral date
    /// ([`SuspectedCancerStandard::in_force_on`]).
    SuspectedCancer,
    /// A locally set target for first contact, in days (0 means the same day).
    FirstContact {
        /// The target in days.
        days: u16,
    },
}

impl TargetWait {
    /// The concrete target for a referral made on `date`.
    #[must_use]
    pub fn on(self, date: NaiveDate) -> WaitTarget {
        match self {
            Self::ReferralToTreatment => WaitTarget {
                measure: WaitMeasure::ReferralToTreatment,
                days: RTT_MAXIMUM_DAYS,
            },
            Self::SuspectedCancer => {
                let standard = SuspectedCancerStandard::in_force_on(date);
                WaitTarget {
                    measure: standard.measure(),
                    days: standard.days(),
                }
            }
            Self::FirstContact { days } => WaitTarget {
                measure: WaitMeasure::FirstContact,
                days,
            },
        }
    }
}

impl fmt::Display for TargetWait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ReferralToTreatment => f.write_str("18 weeks referral to treatment"),
            Self::SuspectedCancer => f.write_str("suspected-cancer standard of the referral date"),
            Self::FirstContact { days } => write!(f, "first contact within {days} days"),
        }
    }
}

/// A concrete waiting-time target: what the wait runs to and how many days it may
/// take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WaitTarget {
    /// The event that ends the wait.
    pub measure: WaitMeasure,
    /// The longest wait within target, in days.
    pub days: u16,
}

impl WaitTarget {
    /// Whether a wait of `days` days is within this target.
    #[must_use]
    pub const fn is_met_by(self, days: u32) -> bool {
        days <= self.days as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_suspected_cancer_standard_changes_on_1_october_2023() {
        let before = TargetWait::SuspectedCancer.on(d(2023, 9, 30));
        assert_eq!(before.measure, WaitMeasure::FirstSeen);
        assert_eq!(before.days, 14);
        let after = TargetWait::SuspectedCancer.on(d(2023, 10, 1));
        assert_eq!(after.measure, WaitMeasure::FasterDiagnosis);
        assert_eq!(after.days, 28);
    }

    #[test]
    fn eighteen_weeks_is_126_days_inclusive() {
        let rtt = TargetWait::ReferralToTreatment.on(d(2024, 1, 1));
        assert!(rtt.is_met_by(126));
        assert!(!rtt.is_met_by(127));
        assert_eq!(RTT_INCOMPLETE_STANDARD.to_string(), "0.92");
    }

    #[test]
    fn targets_round_trip_through_json() {
        let target = TargetWait::FirstContact { days: 14 };
        let json = serde_json::to_string(&target).unwrap();
        assert_eq!(json, r#"{"measure":"first_contact","days":14}"#);
        assert_eq!(serde_json::from_str::<TargetWait>(&json).unwrap(), target);
        assert_eq!(
            serde_json::from_str::<TargetWait>(r#"{"measure":"suspected_cancer"}"#).unwrap(),
            TargetWait::SuspectedCancer
        );
    }
}
