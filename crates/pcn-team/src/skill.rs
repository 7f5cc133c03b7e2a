//! Skills, and sets of them, so that a patient's needs can be matched to a worker.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

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

impl Skill {
    const fn bit(self) -> u32 {
        1 << (self as u8)
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
/// A bit set in one `u32`, so that "does this worker cover this patient's needs" is one
/// AND and one compare, fast enough to match thousands of patients to a team. Serde and
/// `Display` use the list of skill names (`["wound_care", "home_visits"]`), in the
/// fixed order of [`Skill::ALL`]; deserialising accepts any order and repeats.
///
/// ```
/// use pcn_team::{Skill, SkillSet};
/// let nurse: SkillSet = [Skill::WoundCare, Skill::DiabetesMonitoring, Skill::HomeVisits]
///     .into_iter()
///     .collect();
/// let needs = SkillSet::from_iter([Skill::WoundCare, Skill::HomeVisits]);
/// assert!(nurse.covers(needs));
/// let more = needs.with(Skill::IvInfusion);
/// assert!(!nurse.covers(more));
/// assert_eq!(more.missing_from(nurse), SkillSet::from_iter([Skill::IvInfusion]));
/// assert_eq!(serde_json::to_string(&needs)?, r#"["wound_care","home_visits"]"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SkillSet(u32);

impl SkillSet {
    /// The empty set.
    pub const EMPTY: Self = Self(0);

    /// The set holding only `skill`.
    #[must_use]
    pub const fn of(skill: Skill) -> Self {
        Self(skill.bit())
    }

    /// This set with `skill` added.
    #[must_use]
    pub const fn with(self, skill: Skill) -> Self {
        Self(self.0 | skill.bit())
    }

    /// This set without `skill`.
    #[must_use]
    pub const fn without(self, skill: Skill) -> Self {
        Self(self.0 & !skill.bit())
    }

    /// Whether `skill` is in the set.
    #[must_use]
    pub const fn contains(self, skill: Skill) -> bool {
        self.0 & skill.bit() != 0
    }

    /// Whether every skill in `needs` is in this set (a worker with these skills
    /// covers a patient with those needs).
    #[must_use]
    pub const fn covers(self, needs: Self) -> bool {
        needs.0 & !self.0 == 0
    }

    /// The skills of this set that `skills` lacks: what a worker would still need.
    #[must_use]
    pub const fn missing_from(self, skills: Self) -> Self {
        Self(self.0 & !skills.0)
    }

    /// Both sets together.
    #[must_use]
    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// The skills in both sets.
    #[must_use]
    pub const fn intersection(self, other: Self) -> Self {
        Self(self.0 & other.0)
    }

    /// Whether the set is empty.
    #[must_use]
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The number of skills in the set.
    #[must_use]
    pub const fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The skills, in the order of [`Skill::ALL`].
    pub fn iter(self) -> impl Iterator<Item = Skill> {
        Skill::ALL
            .iter()
            .copied()
            .filter(move |s| self.contains(*s))
    }
}

impl FromIterator<Skill> for SkillSet {
    fn from_iter<I: IntoIterator<Item = Skill>>(iter: I) -> Self {
        iter.into_iter().fold(Self::EMPTY, Self::with)
    }
}

impl Extend<Skill> for SkillSet {
    fn extend<I: IntoIterator<Item = Skill>>(&mut self, iter: I) {
        for skill in iter {
            *self = self.with(skill);
        }
    }
}

impl fmt::Display for SkillSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for skill in self.iter() {
            if !first {
                f.write_str(", ")?;
            }
            first = false;
            f.write_str(skill.name())?;
        }
        if first {
            f.write_str("none")?;
        }
        Ok(())
    }
}

impl fmt::Debug for SkillSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl Serialize for SkillSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for SkillSet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Vec::<Skill>::deserialize(deserializer)?
            .into_iter()
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_skill_has_its_own_bit_and_round_trips() {
        assert!(Skill::ALL.len() <= 32);
        let all: SkillSet = Skill::ALL.iter().copied().collect();
        assert_eq!(all.len(), Skill::ALL.len());
        for skill in Skill::ALL {
            assert_eq!(skill.name().parse::<Skill>().unwrap(), *skill);
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

    fn skill_set() -> impl Strategy<Value = SkillSet> {
        prop::collection::vec(prop::sample::select(Skill::ALL.to_vec()), 0..8)
            .prop_map(SkillSet::from_iter)
    }

    proptest! {
        #[test]
        fn covers_agrees_with_the_definition(a in skill_set(), b in skill_set()) {
            let by_definition = b.iter().all(|s| a.contains(s));
            prop_assert_eq!(a.covers(b), by_definition);
            prop_assert_eq!(b.missing_from(a).is_empty(), a.covers(b));
            prop_assert!(a.union(b.missing_from(a)).covers(b));
        }

        #[test]
        fn serde_round_trips(a in skill_set()) {
            let json = serde_json::to_string(&a).unwrap();
            prop_assert_eq!(serde_json::from_str::<SkillSet>(&json).unwrap(), a);
        }
    }
}
