//! The electronic Frailty Index (eFI).

use std::fmt;

use pcn_core::{EnumSet, Rate, SetMember};
use serde::{Deserialize, Serialize};

use crate::PopulationError;

macro_rules! deficits {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $label:literal; )*) => {
        /// One of the 36 deficits of the electronic Frailty Index.
        ///
        /// Source: Clegg A. et al., "Development and validation of an electronic frailty
        /// index using routine primary care electronic health record data", Age and
        /// Ageing 2016;45(3):353-360, doi 10.1093/ageing/afw039. The 36 deficits are
        /// equally weighted and were built from 2,171 Read (CTV3) codes; which codes
        /// make up each deficit is the published code list's business, not this
        /// crate's: a record system maps its codes to these deficits.
        ///
        /// Serde, `Display` and [`FrailtyDeficit::name`] use the `snake_case` name;
        /// [`FrailtyDeficit::label`] gives the published words.
        ///
        /// ```
        /// use pcn_population::FrailtyDeficit;
        /// assert_eq!(FrailtyDeficit::ALL.len(), 36);
        /// assert_eq!(FrailtyDeficit::Falls.label(), "falls");
        /// assert_eq!(serde_json::to_string(&FrailtyDeficit::HeartFailure)?, "\"heart_failure\"");
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[repr(u8)]
        pub enum FrailtyDeficit {
            $( $(#[$doc])* $variant, )*
        }

        impl FrailtyDeficit {
            /// The 36 deficits, in the published (alphabetical) order; a deficit's
            /// position here is its bit in a [`DeficitSet`], and the order of its
            /// iteration.
            pub const ALL: [FrailtyDeficit; 36] = [$(FrailtyDeficit::$variant),*];

            /// The `snake_case` name used by serde and `Display`.
            #[must_use]
            pub const fn name(self) -> &'static str {
                match self { $(FrailtyDeficit::$variant => $name,)* }
            }

            /// The deficit in the published words.
            #[must_use]
            pub const fn label(self) -> &'static str {
                match self { $(FrailtyDeficit::$variant => $label,)* }
            }
        }
    };
}

deficits! {
    /// Activity limitation.
    ActivityLimitation = "activity_limitation", "activity limitation";
    /// Anaemia and haematinic deficiency.
    Anaemia = "anaemia", "anaemia and haematinic deficiency";
    /// Arthritis.
    Arthritis = "arthritis", "arthritis";
    /// Atrial fibrillation.
    AtrialFibrillation = "atrial_fibrillation", "atrial fibrillation";
    /// Cerebrovascular disease.
    CerebrovascularDisease = "cerebrovascular_disease", "cerebrovascular disease";
    /// Chronic kidney disease.
    ChronicKidneyDisease = "chronic_kidney_disease", "chronic kidney disease";
    /// Diabetes.
    Diabetes = "diabetes", "diabetes";
    /// Dizziness.
    Dizziness = "dizziness", "dizziness";
    /// Dyspnoea.
    Dyspnoea = "dyspnoea", "dyspnoea";
    /// Falls.
    Falls = "falls", "falls";
    /// Foot problems.
    FootProblems = "foot_problems", "foot problems";
    /// Fragility fracture.
    FragilityFracture = "fragility_fracture", "fragility fracture";
    /// Hearing impairment.
    HearingImpairment = "hearing_impairment", "hearing impairment";
    /// Heart failure.
    HeartFailure = "heart_failure", "heart failure";
    /// Heart valve disease.
    HeartValveDisease = "heart_valve_disease", "heart valve disease";
    /// Housebound.
    Housebound = "housebound", "housebound";
    /// Hypertension.
    Hypertension = "hypertension", "hypertension";
    /// Hypotension or syncope.
    HypotensionOrSyncope = "hypotension_or_syncope", "hypotension or syncope";
    /// Ischaemic heart disease.
    IschaemicHeartDisease = "ischaemic_heart_disease", "ischaemic heart disease";
    /// Memory and cognitive problems.
    MemoryAndCognitiveProblems = "memory_and_cognitive_problems", "memory and cognitive problems";
    /// Mobility and transfer problems.
    MobilityAndTransferProblems = "mobility_and_transfer_problems", "mobility and transfer problems";
    /// Osteoporosis.
    Osteoporosis = "osteoporosis", "osteoporosis";
    /// Parkinsonism and tremor.
    ParkinsonismAndTremor = "parkinsonism_and_tremor", "parkinsonism and tremor";
    /// Peptic ulcer.
    PepticUlcer = "peptic_ulcer", "peptic ulcer";
    /// Peripheral vascular disease.
    PeripheralVascularDisease = "peripheral_vascular_disease", "peripheral vascular disease";
    /// Polypharmacy. Definitions differ (one implementation counts five or more
    /// distinct drugs on one day lasting 42 days), so the crate takes it as an input
    /// flag: whoever records it applies their definition.
    Polypharmacy = "polypharmacy", "polypharmacy";
    /// Requirement for care.
    RequirementForCare = "requirement_for_care", "requirement for care";
    /// Respiratory disease.
    RespiratoryDisease = "respiratory_disease", "respiratory disease";
    /// Skin ulcer.
    SkinUlcer = "skin_ulcer", "skin ulcer";
    /// Sleep disturbance.
    SleepDisturbance = "sleep_disturbance", "sleep disturbance";
    /// Social vulnerability.
    SocialVulnerability = "social_vulnerability", "social vulnerability";
    /// Thyroid disease.
    ThyroidDisease = "thyroid_disease", "thyroid disease";
    /// Urinary incontinence.
    UrinaryIncontinence = "urinary_incontinence", "urinary incontinence";
    /// Urinary system disease.
    UrinarySystemDisease = "urinary_system_disease", "urinary system disease";
    /// Visual impairment.
    VisualImpairment = "visual_impairment", "visual impairment";
    /// Weight loss and anorexia.
    WeightLossAndAnorexia = "weight_loss_and_anorexia", "weight loss and anorexia";
}

impl FrailtyDeficit {
    /// The number of deficits in the index: the denominator of the score.
    pub const COUNT: u8 = 36;
}

impl SetMember for FrailtyDeficit {
    type Bits = u64;
    const ALL: &'static [Self] = &Self::ALL;

    fn index(self) -> usize {
        self as usize
    }

    fn name(self) -> &'static str {
        self.name()
    }
}

impl fmt::Display for FrailtyDeficit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of eFI deficits, one bit a deficit in a 64-bit word (36 used), so that a
/// national population's deficits fit in 8 bytes a person and counting them is one
/// instruction. Its index is [`FrailtyIndex::of`].
///
/// Serde uses the list of deficit names, in the published order.
///
/// ```
/// use pcn_population::{DeficitSet, FrailtyDeficit};
/// let mut deficits = DeficitSet::new();
/// deficits.insert(FrailtyDeficit::Falls);
/// deficits.insert(FrailtyDeficit::Falls);
/// deficits.insert(FrailtyDeficit::Polypharmacy);
/// assert_eq!(deficits.len(), 2);
/// assert!(deficits.contains(FrailtyDeficit::Falls));
/// assert_eq!(serde_json::to_string(&deficits)?, r#"["falls","polypharmacy"]"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type DeficitSet = EnumSet<FrailtyDeficit>;

/// An electronic Frailty Index: the number of deficits present out of 36.
///
/// The score is deficits present / 36, from 0 to 1 (Clegg et al. 2016). The crate
/// keeps the integer count and compares counts with the cut points in integers, so
/// that no band boundary depends on floating-point rounding; [`FrailtyIndex::score`]
/// gives the score as an exact [`Rate`] (rounded to the millionth) for display.
///
/// ```
/// use pcn_population::{DeficitSet, FrailtyBand, FrailtyCutPoints, FrailtyDeficit, FrailtyIndex};
/// use FrailtyDeficit::*;
/// let deficits: DeficitSet = [Falls, Hypertension, Polypharmacy, HearingImpairment, Diabetes]
///     .into_iter()
///     .collect();
/// let efi = FrailtyIndex::of(deficits);
/// assert_eq!(efi.deficit_count(), 5);
/// assert_eq!(efi.score().to_string(), "0.138889"); // 5 / 36
/// assert_eq!(efi.band(&FrailtyCutPoints::CLEGG_2016), FrailtyBand::Mild);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FrailtyIndex {
    /// The number of deficits present, 0 to 36.
    deficits: u8,
}

impl FrailtyIndex {
    /// The index of the deficits present.
    #[must_use]
    pub fn of(deficits: DeficitSet) -> Self {
        // A deficit set holds at most the 36 deficits.
        let count = u8::try_from(deficits.len()).unwrap_or(FrailtyDeficit::COUNT);
        Self { deficits: count }
    }

    /// The index for `deficits` deficits present.
    ///
    /// # Errors
    /// [`PopulationError::TooManyDeficits`] if `deficits` is over 36.
    pub const fn from_count(deficits: u8) -> Result<Self, PopulationError> {
        if deficits > FrailtyDeficit::COUNT {
            return Err(PopulationError::TooManyDeficits { count: deficits });
        }
        Ok(Self { deficits })
    }

    /// The number of deficits present, 0 to 36.
    #[must_use]
    pub const fn deficit_count(self) -> u8 {
        self.deficits
    }

    /// The score, deficits present / 36, rounded to the nearest millionth.
    #[must_use]
    pub fn score(self) -> Rate {
        Rate::from_ratio(i64::from(self.deficits), i64::from(FrailtyDeficit::COUNT))
            .unwrap_or(Rate::ONE)
    }

    /// The band of the index under the given cut points.
    #[must_use]
    pub const fn band(self, cut_points: &FrailtyCutPoints) -> FrailtyBand {
        cut_points.band_of(self.deficits)
    }
}

/// The eFI categories: fit, mild, moderate and severe frailty.
///
/// The categories were set from population quartiles (Clegg et al. 2016); one-year
/// mortality hazard ratios against fit were 1.92 (mild), 3.10 (moderate) and 4.52
/// (severe). Since the 2017 GMS contract, practices identify patients aged 65 and over
/// with moderate or severe frailty (frailtytoolkit.org, GP contract page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FrailtyBand {
    /// Fit: eFI 0 to 0.12.
    Fit,
    /// Mild frailty: eFI over 0.12 to 0.24.
    Mild,
    /// Moderate frailty: eFI over 0.24 to 0.36.
    Moderate,
    /// Severe frailty: eFI over 0.36.
    Severe,
}

impl FrailtyBand {
    /// The four bands, fittest first.
    pub const ALL: [FrailtyBand; 4] = [Self::Fit, Self::Mild, Self::Moderate, Self::Severe];

    /// The band in words.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Fit => "fit",
            Self::Mild => "mild frailty",
            Self::Moderate => "moderate frailty",
            Self::Severe => "severe frailty",
        }
    }
}

impl fmt::Display for FrailtyBand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The cut points between the eFI bands, held as the least number of deficits that
/// puts a person in each band.
///
/// # The convention, and why
/// Clegg et al. (2016) define the bands by score: fit 0-0.12, mild over 0.12-0.24,
/// moderate over 0.24-0.36, severe over 0.36. In counts out of 36 that is fit 0-4,
/// mild 5-8, moderate 9-12 and severe 13 or more (13/36 = 0.361 is over 0.36). One
/// published implementation's `< 0.12, < 0.24, < 0.36, >= 0.36` gives exactly the
/// same counts, because no count out of 36 lands on a cut point. The frailty
/// toolkit's table (frailtytoolkit.org) instead lists moderate as 9-13 deficits and
/// severe as over 13, which disagrees with its own score column at 13 deficits.
///
/// The default, [`FrailtyCutPoints::CLEGG_2016`], follows the paper's scores;
/// [`FrailtyCutPoints::FRAILTY_TOOLKIT_COUNTS`] gives the toolkit's count column for
/// those who must match it, and [`FrailtyCutPoints::from_score_hundredths`] and
/// [`FrailtyCutPoints::from_deficit_counts`] make any other.
///
/// ```
/// use pcn_population::{FrailtyBand, FrailtyCutPoints, FrailtyIndex};
/// let thirteen = FrailtyIndex::from_count(13)?;
/// assert_eq!(thirteen.band(&FrailtyCutPoints::CLEGG_2016), FrailtyBand::Severe);
/// assert_eq!(thirteen.band(&FrailtyCutPoints::FRAILTY_TOOLKIT_COUNTS), FrailtyBand::Moderate);
/// let same = FrailtyCutPoints::from_score_hundredths(12, 24, 36)?;
/// assert_eq!(same, FrailtyCutPoints::CLEGG_2016);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawCutPoints", into = "RawCutPoints")]
pub struct FrailtyCutPoints {
    mild_from: u8,
    moderate_from: u8,
    severe_from: u8,
}

/// The serde form of [`FrailtyCutPoints`], checked on the way in.
#[derive(Serialize, Deserialize)]
struct RawCutPoints {
    /// Least number of deficits for mild frailty.
    mild_from: u8,
    /// Least number of deficits for moderate frailty.
    moderate_from: u8,
    /// Least number of deficits for severe frailty.
    severe_from: u8,
}

impl TryFrom<RawCutPoints> for FrailtyCutPoints {
    type Error = PopulationError;

    fn try_from(raw: RawCutPoints) -> Result<Self, Self::Error> {
        Self::from_deficit_counts(raw.mild_from, raw.moderate_from, raw.severe_from)
    }
}

impl From<FrailtyCutPoints> for RawCutPoints {
    fn from(cut: FrailtyCutPoints) -> Self {
        Self {
            mild_from: cut.mild_from,
            moderate_from: cut.moderate_from,
            severe_from: cut.severe_from,
        }
    }
}

impl FrailtyCutPoints {
    /// Clegg et al. 2016 by score: mild over 0.12, moderate over 0.24, severe over
    /// 0.36; that is mild from 5, moderate from 9, severe from 13 deficits.
    pub const CLEGG_2016: Self = Self {
        mild_from: 5,
        moderate_from: 9,
        severe_from: 13,
    };

    /// The frailty toolkit's deficit-count column: mild 5-8, moderate 9-13, severe
    /// over 13 (from 14).
    pub const FRAILTY_TOOLKIT_COUNTS: Self = Self {
        mild_from: 5,
        moderate_from: 9,
        severe_from: 14,
    };

    /// Cut points given as the least deficit count of each band.
    ///
    /// # Errors
    /// [`PopulationError::InvalidCutPoints`] unless `1 <= mild_from < moderate_from <
    /// severe_from <= 36`.
    pub const fn from_deficit_counts(
        mild_from: u8,
        moderate_from: u8,
        severe_from: u8,
    ) -> Result<Self, PopulationError> {
        if mild_from == 0
            || mild_from >= moderate_from
            || moderate_from >= severe_from
            || severe_from > FrailtyDeficit::COUNT
        {
            return Err(PopulationError::InvalidCutPoints {
                mild_from,
                moderate_from,
                severe_from,
            });
        }
        Ok(Self {
            mild_from,
            moderate_from,
            severe_from,
        })
    }

    /// Cut points given as published, by score in hundredths: a person is in a band
    /// when their score is *over* its cut point (Clegg et al.: 12, 24, 36).
    ///
    /// # Errors
    /// [`PopulationError::InvalidCutPoints`] unless the cut points rise strictly and
    /// leave every band at least one possible count (0 to 36).
    pub const fn from_score_hundredths(
        mild_above: u8,
        moderate_above: u8,
        severe_above: u8,
    ) -> Result<Self, PopulationError> {
        Self::from_deficit_counts(
            Self::least_count_over(mild_above),
            Self::least_count_over(moderate_above),
            Self::least_count_over(severe_above),
        )
    }

    /// The least count k with k / 36 > hundredths / 100, i.e. 100 k > 36 hundredths.
    const fn least_count_over(hundredths: u8) -> u8 {
        let threshold = 36 * hundredths as u32;
        let k = threshold / 100 + 1;
        // Scores above 1 have no count over them: 37 then fails validation.
        #[allow(clippy::cast_possible_truncation)]
        let k = if k > 37 { 37 } else { k as u8 };
        k
    }

    /// The least number of deficits for mild frailty.
    #[must_use]
    pub const fn mild_from(&self) -> u8 {
        self.mild_from
    }

    /// The least number of deficits for moderate frailty.
    #[must_use]
    pub const fn moderate_from(&self) -> u8 {
        self.moderate_from
    }

    /// The least number of deficits for severe frailty.
    #[must_use]
    pub const fn severe_from(&self) -> u8 {
        self.severe_from
    }

    /// The band of a deficit count.
    #[must_use]
    pub const fn band_of(&self, deficits: u8) -> FrailtyBand {
        if deficits >= self.severe_from {
            FrailtyBand::Severe
        } else if deficits >= self.moderate_from {
            FrailtyBand::Moderate
        } else if deficits >= self.mild_from {
            FrailtyBand::Mild
        } else {
            FrailtyBand::Fit
        }
    }

    /// The inclusive range of deficit counts in `band`.
    #[must_use]
    pub const fn counts_in(&self, band: FrailtyBand) -> (u8, u8) {
        match band {
            FrailtyBand::Fit => (0, self.mild_from - 1),
            FrailtyBand::Mild => (self.mild_from, self.moderate_from - 1),
            FrailtyBand::Moderate => (self.moderate_from, self.severe_from - 1),
            FrailtyBand::Severe => (self.severe_from, FrailtyDeficit::COUNT),
        }
    }
}

impl Default for FrailtyCutPoints {
    fn default() -> Self {
        Self::CLEGG_2016
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use FrailtyDeficit::*;
    use proptest::prelude::*;

    #[test]
    fn the_index_has_the_36_published_deficits_in_order() {
        assert_eq!(FrailtyDeficit::ALL.len(), 36);
        for (i, d) in FrailtyDeficit::ALL.iter().enumerate() {
            assert_eq!(*d as usize, i);
            assert_eq!(
                serde_json::to_string(d).unwrap(),
                format!("\"{}\"", d.name())
            );
        }
        let mut labels: Vec<_> = FrailtyDeficit::ALL.iter().map(|d| d.label()).collect();
        let published = labels.clone();
        labels.sort_unstable();
        assert_eq!(labels, published, "published list is alphabetical");
    }

    /// Hand-worked cases from the published definition: score = present / 36, bands
    /// by Clegg et al.'s score cut points.
    #[test]
    fn hand_worked_cases() {
        let cut = FrailtyCutPoints::CLEGG_2016;
        let none = FrailtyIndex::of(DeficitSet::new());
        assert_eq!(none.score(), Rate::ZERO);
        assert_eq!(none.band(&cut), FrailtyBand::Fit);

        // Four deficits: 4/36 = 0.111, fit (at most 0.12).
        let four: DeficitSet = [Hypertension, Falls, HearingImpairment, Arthritis]
            .into_iter()
            .collect();
        assert_eq!(FrailtyIndex::of(four).score().to_string(), "0.111111");
        assert_eq!(FrailtyIndex::of(four).band(&cut), FrailtyBand::Fit);

        // Adding a fifth: 5/36 = 0.139, over 0.12: mild.
        let five = four.with(Polypharmacy);
        assert_eq!(FrailtyIndex::of(five).band(&cut), FrailtyBand::Mild);

        // Nine: 9/36 = 0.25, over 0.24: moderate. Eight: 0.222, mild.
        let nine: DeficitSet = FrailtyDeficit::ALL[..9].iter().copied().collect();
        assert_eq!(FrailtyIndex::of(nine).score().to_string(), "0.25");
        assert_eq!(FrailtyIndex::of(nine).band(&cut), FrailtyBand::Moderate);
        let eight: DeficitSet = FrailtyDeficit::ALL[..8].iter().copied().collect();
        assert_eq!(FrailtyIndex::of(eight).band(&cut), FrailtyBand::Mild);

        // Twelve: 0.333, moderate; thirteen: 0.361, over 0.36: severe.
        let twelve = FrailtyIndex::from_count(12).unwrap();
        assert_eq!(twelve.band(&cut), FrailtyBand::Moderate);
        let thirteen = FrailtyIndex::from_count(13).unwrap();
        assert_eq!(thirteen.score().to_string(), "0.361111");
        assert_eq!(thirteen.band(&cut), FrailtyBand::Severe);

        // All 36: score 1, severe.
        let all = FrailtyIndex::of(DeficitSet::all());
        assert_eq!(all.deficit_count(), 36);
        assert_eq!(all.score(), Rate::ONE);
        assert_eq!(all.band(&cut), FrailtyBand::Severe);
    }

    #[test]
    fn published_score_cut_points_give_the_published_counts() {
        let cut = FrailtyCutPoints::from_score_hundredths(12, 24, 36).unwrap();
        assert_eq!(cut.counts_in(FrailtyBand::Fit), (0, 4));
        assert_eq!(cut.counts_in(FrailtyBand::Mild), (5, 8));
        assert_eq!(cut.counts_in(FrailtyBand::Moderate), (9, 12));
        assert_eq!(cut.counts_in(FrailtyBand::Severe), (13, 36));
        let toolkit = FrailtyCutPoints::FRAILTY_TOOLKIT_COUNTS;
        assert_eq!(toolkit.counts_in(FrailtyBand::Moderate), (9, 13));
        // Every count agrees with the rational comparison score > cut.
        for k in 0u8..=36 {
            let expected = if u32::from(k) * 100 > 36 * 36 {
                FrailtyBand::Severe
            } else if u32::from(k) * 100 > 24 * 36 {
                FrailtyBand::Moderate
            } else if u32::from(k) * 100 > 12 * 36 {
                FrailtyBand::Mild
            } else {
                FrailtyBand::Fit
            };
            assert_eq!(cut.band_of(k), expected, "{k} deficits");
        }
    }

    #[test]
    fn bad_cut_points_and_counts_are_rejected() {
        assert!(FrailtyCutPoints::from_deficit_counts(5, 5, 13).is_err());
        assert!(FrailtyCutPoints::from_deficit_counts(0, 5, 13).is_err());
        assert!(FrailtyCutPoints::from_deficit_counts(5, 9, 37).is_err());
        assert!(FrailtyCutPoints::from_score_hundredths(12, 24, 100).is_err());
        assert!(FrailtyIndex::from_count(37).is_err());
        assert!(DeficitSet::from_bits(1 << 36).is_err());
        let err = FrailtyCutPoints::from_deficit_counts(9, 5, 13).unwrap_err();
        assert!(err.to_string().contains("mild from 9"), "{err}");
        let json = r#"{"mild_from":9,"moderate_from":5,"severe_from":13}"#;
        assert!(serde_json::from_str::<FrailtyCutPoints>(json).is_err());
    }

    #[test]
    fn deficit_sets_round_trip_through_json() {
        let set: DeficitSet = [WeightLossAndAnorexia, ActivityLimitation]
            .into_iter()
            .collect();
        let json = serde_json::to_string(&set).unwrap();
        assert_eq!(
            json,
            r#"["activity_limitation","weight_loss_and_anorexia"]"#
        );
        assert_eq!(serde_json::from_str::<DeficitSet>(&json).unwrap(), set);
    }

    fn deficit() -> impl Strategy<Value = FrailtyDeficit> {
        (0usize..36).prop_map(|i| FrailtyDeficit::ALL[i])
    }

    proptest! {
        #[test]
        fn adding_a_deficit_never_lowers_the_score_or_band(
            before in any::<DeficitSet>(),
            added in deficit(),
            mild in 1u8..12, gap1 in 1u8..12, gap2 in 1u8..12,
        ) {
            let after = before.with(added);
            let (b, a) = (FrailtyIndex::of(before), FrailtyIndex::of(after));
            prop_assert!(a.score() >= b.score());
            prop_assert!(a.deficit_count() >= b.deficit_count());
            prop_assert_eq!(
                a.deficit_count() - b.deficit_count(),
                u8::from(!before.contains(added))
            );
            let cut = FrailtyCutPoints::from_deficit_counts(mild, mild + gap1, mild + gap1 + gap2).unwrap();
            prop_assert!(a.band(&cut) >= b.band(&cut));
        }

        #[test]
        fn the_score_is_the_count_over_36(set in any::<DeficitSet>()) {
            let efi = FrailtyIndex::of(set);
            prop_assert_eq!(efi.deficit_count(), u8::try_from(set.iter().count()).unwrap());
            let expected = Rate::from_ratio(i64::from(efi.deficit_count()), 36).unwrap();
            prop_assert_eq!(efi.score(), expected);
        }
    }
}
