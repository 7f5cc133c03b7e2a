//! The curated list of long-term conditions the stratification rules use.

use std::fmt;

use pcn_core::SnomedCode;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{FrailtyDeficit, PopulationError};

/// Where the condition's definition comes from.
///
/// Most are the disease registers of the Quality and Outcomes Framework (QOF), the
/// registers every English practice keeps (NHS Digital, "Quality and Outcomes
/// Framework, 2022-23", register list); the others are eFI deficits that are
/// long-term conditions but have no QOF register (Clegg et al. 2016).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConditionSource {
    /// A QOF disease register (NHS Digital, QOF 2022-23).
    QofRegister,
    /// An electronic Frailty Index deficit (Clegg et al. 2016) without a QOF register.
    FrailtyIndexDeficit,
}

macro_rules! conditions {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $label:literal, $code:literal, $source:ident, $deficit:expr; )*) => {
        /// A long-term condition the stratification rules count, with its SNOMED CT
        /// concept.
        ///
        /// The list is curated: the QOF disease registers that are long-term conditions
        /// (hypertension, diabetes, asthma, COPD, coronary heart disease, atrial
        /// fibrillation, heart failure, stroke and TIA, peripheral arterial disease,
        /// chronic kidney disease, dementia, depression, epilepsy, cancer,
        /// osteoporosis, rheumatoid arthritis, learning disability) and the long-term
        /// conditions among the eFI deficits that have no register (Parkinson's
        /// disease, osteoarthritis, thyroid disease). Multimorbidity is counted over
        /// this list ([`crate::ConditionSet::len`]).
        ///
        /// Each condition is one SNOMED CT concept ([`Condition::snomed`]). A record
        /// system that codes a more specific concept (a subtype such as "type 2
        /// diabetes mellitus") maps it to its ancestor here with its terminology
        /// server: the crate does not ship the SNOMED CT hierarchy, and
        /// [`Condition::from_snomed`] recognises exactly the concepts listed.
        ///
        /// ```
        /// use pcn_core::SnomedCode;
        /// use pcn_population::{Condition, FrailtyDeficit};
        /// let diabetes = Condition::from_snomed(SnomedCode::constant(73211009)).unwrap();
        /// assert_eq!(diabetes, Condition::Diabetes);
        /// assert_eq!(diabetes.frailty_deficit(), Some(FrailtyDeficit::Diabetes));
        /// assert_eq!(Condition::Depression.frailty_deficit(), None);
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[repr(u8)]
        pub enum Condition {
            $( $(#[$doc])* $variant, )*
        }

        impl Condition {
            /// Every condition, in a fixed order; a condition's position here is its
            /// bit in a [`ConditionSet`].
            pub const ALL: [Condition; CONDITION_COUNT] = [$(Condition::$variant),*];

            /// The `snake_case` name used by serde and `Display`.
            #[must_use]
            pub const fn name(self) -> &'static str {
                match self { $(Condition::$variant => $name,)* }
            }

            /// The condition in words.
            #[must_use]
            pub const fn label(self) -> &'static str {
                match self { $(Condition::$variant => $label,)* }
            }

            /// The SNOMED CT concept that stands for the condition (checked at compile
            /// time for length, partition and check digit).
            #[must_use]
            pub const fn snomed(self) -> SnomedCode {
                match self { $(Condition::$variant => SnomedCode::constant($code),)* }
            }

            /// Where the condition's definition comes from.
            #[must_use]
            pub const fn source(self) -> ConditionSource {
                match self { $(Condition::$variant => ConditionSource::$source,)* }
            }

            /// The eFI deficit the condition counts as, if any.
            #[must_use]
            pub const fn frailty_deficit(self) -> Option<FrailtyDeficit> {
                match self { $(Condition::$variant => $deficit,)* }
            }
        }
    };
}

/// The number of curated conditions.
const CONDITION_COUNT: usize = 20;

use FrailtyDeficit as D;

conditions! {
    /// Hypertension (QOF register; SNOMED CT 38341003 hypertensive disorder).
    Hypertension = "hypertension", "hypertension", 38341003, QofRegister, Some(D::Hypertension);
    /// Diabetes mellitus (QOF register, ages 17 and over; 73211009).
    Diabetes = "diabetes", "diabetes mellitus", 73211009, QofRegister, Some(D::Diabetes);
    /// Asthma (QOF register, ages 6 and over; 195967001).
    Asthma = "asthma", "asthma", 195967001, QofRegister, Some(D::RespiratoryDisease);
    /// Chronic obstructive pulmonary disease (QOF register; 13645005).
    Copd = "copd", "chronic obstructive pulmonary disease", 13645005, QofRegister, Some(D::RespiratoryDisease);
    /// Coronary heart disease (QOF register; 414545008 ischaemic heart disease).
    CoronaryHeartDisease = "coronary_heart_disease", "coronary heart disease", 414545008, QofRegister, Some(D::IschaemicHeartDisease);
    /// Atrial fibrillation (QOF register; 49436004).
    AtrialFibrillation = "atrial_fibrillation", "atrial fibrillation", 49436004, QofRegister, Some(D::AtrialFibrillation);
    /// Heart failure (QOF register; 84114007).
    HeartFailure = "heart_failure", "heart failure", 84114007, QofRegister, Some(D::HeartFailure);
    /// Stroke and transient ischaemic attack (QOF register; 62914000 cerebrovascular
    /// disease).
    StrokeOrTia = "stroke_or_tia", "stroke or transient ischaemic attack", 62914000, QofRegister, Some(D::CerebrovascularDisease);
    /// Peripheral arterial disease (QOF register; 399957001).
    PeripheralArterialDisease = "peripheral_arterial_disease", "peripheral arterial disease", 399957001, QofRegister, Some(D::PeripheralVascularDisease);
    /// Chronic kidney disease stages 3 to 5 (QOF register, ages 18 and over;
    /// 709044004).
    ChronicKidneyDisease = "chronic_kidney_disease", "chronic kidney disease", 709044004, QofRegister, Some(D::ChronicKidneyDisease);
    /// Dementia (QOF register; 52448006).
    Dementia = "dementia", "dementia", 52448006, QofRegister, Some(D::MemoryAndCognitiveProblems);
    /// Depression (QOF register, ages 18 and over; 35489007 depressive disorder).
    Depression = "depression", "depression", 35489007, QofRegister, None;
    /// Epilepsy (QOF register, ages 18 and over; 84757009).
    Epilepsy = "epilepsy", "epilepsy", 84757009, QofRegister, None;
    /// Cancer (QOF register; 363346000 malignant neoplastic disease).
    Cancer = "cancer", "cancer", 363346000, QofRegister, None;
    /// Osteoporosis (QOF register, ages 50 and over; 64859006).
    Osteoporosis = "osteoporosis", "osteoporosis", 64859006, QofRegister, Some(D::Osteoporosis);
    /// Rheumatoid arthritis (QOF register, ages 16 and over; 69896004).
    RheumatoidArthritis = "rheumatoid_arthritis", "rheumatoid arthritis", 69896004, QofRegister, Some(D::Arthritis);
    /// Learning disability (QOF register; 110359009 intellectual disability).
    LearningDisability = "learning_disability", "learning disability", 110359009, QofRegister, None;
    /// Parkinson's disease (eFI deficit "parkinsonism and tremor"; 49049000).
    ParkinsonsDisease = "parkinsons_disease", "Parkinson's disease", 49049000, FrailtyIndexDeficit, Some(D::ParkinsonismAndTremor);
    /// Osteoarthritis (eFI deficit "arthritis"; 396275006).
    Osteoarthritis = "osteoarthritis", "osteoarthritis", 396275006, FrailtyIndexDeficit, Some(D::Arthritis);
    /// Thyroid disease (eFI deficit; 14304000 disorder of thyroid gland).
    ThyroidDisease = "thyroid_disease", "thyroid disease", 14304000, FrailtyIndexDeficit, Some(D::ThyroidDisease);
}

impl Condition {
    /// The condition whose concept is `code`, or `None` if `code` is not one of the
    /// curated concepts.
    #[must_use]
    pub fn from_snomed(code: SnomedCode) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.snomed() == code)
    }

    /// The condition's bit in a [`ConditionSet`].
    const fn bit(self) -> u32 {
        1 << (self as u8)
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of curated long-term conditions, stored as a 32-bit set (one bit per
/// condition), so that counting a person's conditions is one instruction.
///
/// Serde uses the list of condition names, in [`Condition::ALL`] order.
///
/// ```
/// use pcn_population::{Condition, ConditionSet};
/// let set: ConditionSet = [Condition::Diabetes, Condition::Hypertension, Condition::Copd]
///     .into_iter()
///     .collect();
/// assert_eq!(set.len(), 3);
/// assert!(set.is_multimorbid());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ConditionSet(u32);

impl ConditionSet {
    /// The bits that stand for a condition.
    const MASK: u32 = (1 << CONDITION_COUNT) - 1;

    /// Three or more long-term conditions is multimorbidity (the measure behind
    /// "three million people with three or more long-term conditions by 2018",
    /// Transforming Primary Care, 2014).
    pub const MULTIMORBIDITY_THRESHOLD: u8 = 3;

    /// The empty set.
    #[must_use]
    pub const fn new() -> Self {
        Self(0)
    }

    /// The set whose bits are `bits` (bit `i` for `Condition::ALL[i]`).
    ///
    /// # Errors
    /// [`PopulationError::InvalidConditionBits`] if a bit past the last condition is set.
    pub const fn from_bits(bits: u32) -> Result<Self, PopulationError> {
        if bits & !Self::MASK != 0 {
            return Err(PopulationError::InvalidConditionBits { bits });
        }
        Ok(Self(bits))
    }

    /// The set as bits.
    #[must_use]
    pub const fn bits(self) -> u32 {
        self.0
    }

    /// Adds a condition (no change if present).
    pub fn insert(&mut self, condition: Condition) {
        self.0 |= condition.bit();
    }

    /// The set with `condition` added.
    #[must_use]
    pub const fn with(self, condition: Condition) -> Self {
        Self(self.0 | condition.bit())
    }

    /// Whether the condition is present.
    #[must_use]
    pub const fn contains(self, condition: Condition) -> bool {
        self.0 & condition.bit() != 0
    }

    /// The number of conditions present.
    #[must_use]
    pub const fn len(self) -> u8 {
        // At most 20 bits are ever set (the mask), so the count fits in a u8.
        #[allow(clippy::cast_possible_truncation)]
        let count = self.0.count_ones() as u8;
        count
    }

    /// Whether no condition is present.
    #[must_use]
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether the person has three or more long-term conditions.
    #[must_use]
    pub const fn is_multimorbid(self) -> bool {
        self.len() >= Self::MULTIMORBIDITY_THRESHOLD
    }

    /// The conditions present, in [`Condition::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Condition> {
        Condition::ALL
            .into_iter()
            .filter(move |c| self.contains(*c))
    }

    /// The eFI deficits these conditions count as.
    #[must_use]
    pub fn frailty_deficits(self) -> crate::DeficitSet {
        self.iter().filter_map(Condition::frailty_deficit).collect()
    }
}

impl FromIterator<Condition> for ConditionSet {
    fn from_iter<I: IntoIterator<Item = Condition>>(iter: I) -> Self {
        iter.into_iter().fold(Self::new(), Self::with)
    }
}

impl fmt::Debug for ConditionSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl Serialize for ConditionSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for ConditionSet {
    fn deserialize<D2: Deserializer<'de>>(deserializer: D2) -> Result<Self, D2::Error> {
        Ok(Vec::<Condition>::deserialize(deserializer)?
            .into_iter()
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_condition_round_trips_through_its_code_and_name() {
        let mut codes = std::collections::BTreeSet::new();
        for (i, c) in Condition::ALL.iter().enumerate() {
            assert_eq!(*c as usize, i);
            assert_eq!(Condition::from_snomed(c.snomed()), Some(*c));
            assert!(codes.insert(c.snomed()), "{c} shares its code");
            assert_eq!(
                serde_json::to_string(c).unwrap(),
                format!("\"{}\"", c.name())
            );
            // The code passes the runtime check as well as the compile-time one.
            assert_eq!(SnomedCode::new(c.snomed().id()).unwrap(), c.snomed());
        }
        assert_eq!(
            Condition::from_snomed(SnomedCode::constant(160734000)),
            None
        );
    }

    #[test]
    fn multimorbidity_starts_at_three() {
        let two: ConditionSet = [Condition::Asthma, Condition::Depression]
            .into_iter()
            .collect();
        assert!(!two.is_multimorbid());
        assert!(two.with(Condition::Epilepsy).is_multimorbid());
        assert!(ConditionSet::from_bits(1 << 20).is_err());
    }

    #[test]
    fn conditions_map_to_their_deficits_once() {
        let set: ConditionSet = [Condition::Asthma, Condition::Copd, Condition::Depression]
            .into_iter()
            .collect();
        let deficits = set.frailty_deficits();
        assert_eq!(deficits.len(), 1);
        assert!(deficits.contains(FrailtyDeficit::RespiratoryDisease));
    }
}
