//! The curated list of long-term conditions the stratification rules use.

use std::fmt;

use pcn_core::{EnumSet, SetMember, SnomedCode};
use serde::{Deserialize, Serialize};

use crate::{DeficitSet, FrailtyDeficit};

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
        /// this list ([`ConditionSet`]).
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
            /// bit in a [`ConditionSet`], and the order of its iteration.
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

    /// The eFI deficits that `conditions` count as (two conditions may count as
    /// one deficit: asthma and COPD are both respiratory disease).
    #[must_use]
    pub fn frailty_deficits(conditions: ConditionSet) -> DeficitSet {
        conditions
            .iter()
            .filter_map(Self::frailty_deficit)
            .collect()
    }
}

impl SetMember for Condition {
    type Bits = u32;
    const ALL: &'static [Self] = &Self::ALL;

    fn index(self) -> usize {
        self as usize
    }

    fn name(self) -> &'static str {
        self.name()
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of curated long-term conditions, one bit a condition in a 32-bit word, so
/// that counting a person's conditions is one instruction and a
/// [`RiskProfile`](crate::RiskProfile) stays 32 bytes.
///
/// Serde uses the list of condition names, in [`Condition::ALL`] order. Whether a set
/// is multimorbidity is the stratification rules' call
/// ([`StratificationRules::is_multimorbid`](crate::StratificationRules::is_multimorbid)).
///
/// ```
/// use pcn_population::{Condition, ConditionSet, StratificationRules};
/// let set: ConditionSet = [Condition::Diabetes, Condition::Hypertension, Condition::Copd]
///     .into_iter()
///     .collect();
/// assert_eq!(set.len(), 3);
/// assert!(StratificationRules::default().is_multimorbid(set));
/// assert_eq!(serde_json::to_string(&set)?, r#"["hypertension","diabetes","copd"]"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type ConditionSet = EnumSet<Condition>;

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
    fn a_set_serialises_as_its_names_in_declared_order() {
        let set: ConditionSet = [Condition::ThyroidDisease, Condition::Asthma]
            .into_iter()
            .collect();
        let json = serde_json::to_string(&set).unwrap();
        assert_eq!(json, r#"["asthma","thyroid_disease"]"#);
        assert_eq!(serde_json::from_str::<ConditionSet>(&json).unwrap(), set);
        assert_eq!(serde_json::to_string(&ConditionSet::new()).unwrap(), "[]");
        assert!(serde_json::from_str::<ConditionSet>(r#"["gout"]"#).is_err());
        assert!(ConditionSet::from_bits(1 << 20).is_err());
        assert_eq!(ConditionSet::all().len(), Condition::ALL.len());
    }

    #[test]
    fn conditions_map_to_their_deficits_once() {
        let set: ConditionSet = [Condition::Asthma, Condition::Copd, Condition::Depression]
            .into_iter()
            .collect();
        let deficits = Condition::frailty_deficits(set);
        assert_eq!(deficits.len(), 1);
        assert!(deficits.contains(FrailtyDeficit::RespiratoryDisease));
    }
}
