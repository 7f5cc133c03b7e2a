//! Skills, and sets of them, so that a patient's needs can be matched to a worker.

use std::fmt;
use std::str::FromStr;

use pcn_core::{EnumSet, SetMember};

use crate::TeamError;

macro_rules! skills {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $label:literal; )*) => {
        /// Something a member of staff can do for a patient, and so something a patient
        /// can need.
        ///
        /// The list starts from the skills the domain reference names for Buurtzorg
        /// nurses (wound care, diabetes monitoring, IV infusion, end-of-life care;
        /// `workforce.md`) and the work of the Primary Care Home and network roles
        /// (medication review, independent prescribing, MSK assessment, mental health
        /// assessment, home visits, social needs assessment, care coordination). Serde,
        /// `FromStr` and `Display` use the `snake_case` name.
        ///
        /// ```
        /// use pcn_team::Skill;
        /// let skill: Skill = "wound_care".parse()?;
        /// assert_eq!(skill, Skill::WoundCare);
        /// assert_eq!(skill.label(), "wound care");
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        #[repr(u8)]
        pub enum Skill {
            $( $(#[$doc])* $variant, )*
        }

        impl Skill {
            /// Every skill, in a fixed order (the order of [`SkillSet`] iteration).
            pub const ALL: &'static [Skill] = &[$(Skill::$variant),*];

            /// The `snake_case` name used by serde and `Display`.
            #[must_use]
            pub const fn name(self) -> &'static str {
                match self { $(Skill::$variant => $name,)* }
            }

            /// The skill in words, for reports.
            #[must_use]
            pub const fn label(self) -> &'static str {
                match self { $(Skill::$variant => $label,)* }
            }
        }

        impl FromStr for Skill {
            type Err = TeamError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.trim() {
                    $($name => Ok(Skill::$variant),)*
                    _ => Err(TeamError::UnknownSkill { value: s.to_owned() }),
                }
            }
        }
    };
}

skills! {
    /// Assessing and dressing wounds, leg ulcers and pressure sores.
    WoundCare = "wound_care", "wound care";
    /// Monitoring diabetes: blood glucose, insulin, foot checks.
    DiabetesMonitoring = "diabetes_monitoring", "diabetes monitoring";
    /// Giving intravenous infusions at home.
    IvInfusion = "iv_infusion", "IV infusion";
    /// Palliative and end-of-life care.
    EndOfLifeCare = "end_of_life_care", "end-of-life care";
    /// Structured medication review.
    MedicationReview = "medication_review", "medication review";
    /// Prescribing as an independent prescriber.
    IndependentPrescribing = "independent_prescribing", "independent prescribing";
    /// Assessing musculoskeletal problems.
    MskAssessment = "msk_assessment", "MSK assessment";
    /// Assessing mental health.
    MentalHealthAssessment = "mental_health_assessment", "mental health assessment";
    /// Visiting housebound patients at home.
    HomeVisits = "home_visits", "home visits";
    /// Assessing social needs: housing, money, loneliness, care.
    SocialNeedsAssessment = "social_needs_assessment", "social needs assessment";
    /// Coordinating a patient's care across services: what a named care coordinator does.
    CareCoordination = "care_coordination", "care coordination";
    /// Assessing frailty (comprehensive geriatric assessment, falls risk).
    FrailtyAssessment = "frailty_assessment", "frailty assessment";
    /// Health coaching for self-management.
    HealthCoaching = "health_coaching", "health coaching";
    /// Connecting people to community and voluntary support.
    SocialPrescribing = "social_prescribing", "social prescribing";
}

impl SetMember for Skill {
    type Bits = u32;
    const ALL: &'static [Self] = Self::ALL;

    fn index(self) -> usize {
        self as usize
    }

    fn name(self) -> &'static str {
        self.name()
    }
}

impl fmt::Display for Skill {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

pcn_core::serde_via_text!(Skill);

/// A set of [`Skill`]s: what a member of staff can do, or what a patient needs.
///
/// One bit a skill in a 32-bit word, so that "does this worker cover this patient's
/// needs" ([`is_superset`](EnumSet::is_superset)) is one AND and one compare, fast
/// enough to match thousands of patients to a team. Serde and `Display` use the list
/// of skill names (`["wound_care", "home_visits"]`), in the fixed order of
/// [`Skill::ALL`]; deserialising accepts any order and repeats.
///
/// ```
/// use pcn_team::{Skill, SkillSet};
/// let nurse: SkillSet = [Skill::WoundCare, Skill::DiabetesMonitoring, Skill::HomeVisits]
///     .into_iter()
///     .collect();
/// let needs = SkillSet::from_iter([Skill::WoundCare, Skill::HomeVisits]);
/// assert!(nurse.is_superset(needs));
/// let more = needs.with(Skill::IvInfusion);
/// assert!(!nurse.is_superset(more));
/// assert_eq!(more.difference(nurse), SkillSet::of(Skill::IvInfusion));
/// assert_eq!(serde_json::to_string(&needs)?, r#"["wound_care","home_visits"]"#);
/// assert_eq!(needs.to_string(), "wound_care, home_visits");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type SkillSet = EnumSet<Skill>;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_skill_has_its_own_bit_and_round_trips() {
        let all: SkillSet = Skill::ALL.iter().copied().collect();
        assert_eq!(all.len(), Skill::ALL.len());
        assert_eq!(all, SkillSet::all());
        for (i, skill) in Skill::ALL.iter().enumerate() {
            assert_eq!(*skill as usize, i);
            assert_eq!(skill.name().parse::<Skill>().unwrap(), *skill);
            assert_eq!(
                serde_json::from_str::<Skill>(&format!("\"{}\"", skill.name())).unwrap(),
                *skill
            );
            assert_eq!(
                serde_json::to_string(skill).unwrap(),
                format!("\"{}\"", skill.name())
            );
        }
        assert!("surgery".parse::<Skill>().is_err());
    }

    #[test]
    fn display_lists_names() {
        assert_eq!(SkillSet::EMPTY.to_string(), "none");
        let set = SkillSet::of(Skill::HomeVisits).with(Skill::WoundCare);
        assert_eq!(set.to_string(), "wound_care, home_visits");
    }

    #[test]
    fn deserialising_rejects_unknown_names() {
        assert!(serde_json::from_str::<SkillSet>(r#"["wound_care","juggling"]"#).is_err());
        let set: SkillSet =
            serde_json::from_str(r#"["home_visits","wound_care","home_visits"]"#).unwrap();
        assert_eq!(set.len(), 2);
    }

    proptest! {
        #[test]
        fn covering_agrees_with_the_definition(a in any::<SkillSet>(), b in any::<SkillSet>()) {
            let by_definition = b.iter().all(|s| a.contains(s));
            prop_assert_eq!(a.is_superset(b), by_definition);
            prop_assert_eq!(b.difference(a).is_empty(), a.is_superset(b));
            prop_assert!(a.union(b.difference(a)).is_superset(b));
        }

        #[test]
        fn serde_round_trips(a in any::<SkillSet>()) {
            let json = serde_json::to_string(&a).unwrap();
            prop_assert_eq!(serde_json::from_str::<SkillSet>(&json).unwrap(), a);
        }
    }
}
