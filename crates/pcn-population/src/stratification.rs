//! Risk stratification: frailty, multimorbidity and age, at national scale.

use std::fmt;

use pcn_core::PatientId;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{ConditionSet, DeficitSet, FrailtyBand, FrailtyCutPoints, FrailtyIndex, Sex};

/// The compact record that stratification and cohort selection work on: 32 bytes a
/// person, so that England's registered population (about 60 million) fits in under
/// 2 GB and streams through both cores quickly.
///
/// It holds what the rules need and nothing personal: the pseudonymous
/// [`PatientId`] (the stable key that orders ties), age in years, sex, the eFI
/// deficits as a 64-bit set, the curated conditions as a 32-bit set, and three
/// flags. No NHS number: a population of any size can be stratified, including
/// synthetic ones far larger than the 900,000 NHS numbers of the test range.
///
/// Build one from a [`crate::Patient`] with [`crate::Patient::risk_profile`], or
/// directly (for data that arrives already extracted, and for synthetic data).
///
/// ```
/// use pcn_core::PatientId;
/// use pcn_population::{Condition, ConditionSet, DeficitSet, RiskProfile, Sex};
/// let conditions: ConditionSet = [Condition::HeartFailure, Condition::Copd].into_iter().collect();
/// let profile = RiskProfile::new(PatientId::from_u128(1), 82, Sex::Female, DeficitSet::new(), conditions)
///     .with_housebound(true);
/// assert_eq!(std::mem::size_of::<RiskProfile>(), 32);
/// assert!(profile.is_housebound());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "RiskProfileRecord", into = "RiskProfileRecord")]
pub struct RiskProfile {
    patient: PatientId,
    deficits: DeficitSet,
    conditions: ConditionSet,
    age: u8,
    sex: Sex,
    /// Care home resident, housebound, carer: bits 0, 1, 2.
    flags: u8,
}

/// The serde form of a [`RiskProfile`]: the flags as named booleans.
#[derive(Serialize, Deserialize)]
struct RiskProfileRecord {
    /// The pseudonymous key.
    patient: PatientId,
    /// Age in completed years.
    age: u8,
    /// Administrative sex.
    sex: Sex,
    /// eFI deficits present.
    deficits: DeficitSet,
    /// Curated long-term conditions present.
    conditions: ConditionSet,
    /// Lives in a care home.
    #[serde(default)]
    care_home_resident: bool,
    /// Housebound (implies the housebound deficit).
    #[serde(default)]
    housebound: bool,
    /// Is an unpaid carer.
    #[serde(default)]
    carer: bool,
}

impl From<RiskProfileRecord> for RiskProfile {
    fn from(r: RiskProfileRecord) -> Self {
        Self::new(r.patient, r.age, r.sex, r.deficits, r.conditions)
            .with_care_home_resident(r.care_home_resident)
            .with_housebound(r.housebound)
            .with_carer(r.carer)
    }
}

impl From<RiskProfile> for RiskProfileRecord {
    fn from(p: RiskProfile) -> Self {
        Self {
            patient: p.patient,
            age: p.age,
            sex: p.sex,
            deficits: p.deficits,
            conditions: p.conditions,
            care_home_resident: p.is_care_home_resident(),
            housebound: p.is_housebound(),
            carer: p.is_carer(),
        }
    }
}

const CARE_HOME: u8 = 1;
const HOUSEBOUND: u8 = 2;
const CARER: u8 = 4;

impl RiskProfile {
    /// A profile with no flags set. If the person is housebound, say so with
    /// [`RiskProfile::with_housebound`], which also adds the "housebound" deficit.
    #[must_use]
    pub const fn new(
        patient: PatientId,
        age: u8,
        sex: Sex,
        deficits: DeficitSet,
        conditions: ConditionSet,
    ) -> Self {
        Self {
            patient,
            deficits,
            conditions,
            age,
            sex,
            flags: 0,
        }
    }

    const fn with_flag(mut self, flag: u8, value: bool) -> Self {
        if value {
            self.flags |= flag;
        } else {
            self.flags &= !flag;
        }
        self
    }

    /// The profile with the care home flag set or cleared.
    #[must_use]
    pub const fn with_care_home_resident(self, value: bool) -> Self {
        self.with_flag(CARE_HOME, value)
    }

    /// The profile with the housebound flag set or cleared; setting it adds the
    /// eFI's "housebound" deficit (clearing it leaves the deficits alone).
    #[must_use]
    pub fn with_housebound(mut self, value: bool) -> Self {
        if value {
            self.deficits = self.deficits.with(crate::FrailtyDeficit::Housebound);
        }
        self.with_flag(HOUSEBOUND, value)
    }

    /// The profile with the carer flag set or cleared.
    #[must_use]
    pub const fn with_carer(self, value: bool) -> Self {
        self.with_flag(CARER, value)
    }

    /// The pseudonymous key.
    #[must_use]
    pub const fn patient(&self) -> PatientId {
        self.patient
    }

    /// Age in completed years.
    #[must_use]
    pub const fn age(&self) -> u8 {
        self.age
    }

    /// Administrative sex.
    #[must_use]
    pub const fn sex(&self) -> Sex {
        self.sex
    }

    /// eFI deficits present.
    #[must_use]
    pub const fn deficits(&self) -> DeficitSet {
        self.deficits
    }

    /// Curated long-term conditions present.
    #[must_use]
    pub const fn conditions(&self) -> ConditionSet {
        self.conditions
    }

    /// The electronic Frailty Index.
    #[must_use]
    pub fn frailty_index(&self) -> FrailtyIndex {
        FrailtyIndex::of(self.deficits)
    }

    /// Whether the person lives in a care home.
    #[must_use]
    pub const fn is_care_home_resident(&self) -> bool {
        self.flags & CARE_HOME != 0
    }

    /// Whether the person is housebound.
    #[must_use]
    pub const fn is_housebound(&self) -> bool {
        self.flags & HOUSEBOUND != 0
    }

    /// Whether the person is an unpaid carer.
    #[must_use]
    pub const fn is_carer(&self) -> bool {
        self.flags & CARER != 0
    }

    /// Every field but the key, packed: the last tie-break, so that ordering is
    /// total even over two different records that share a key.
    pub(crate) const fn packed(&self) -> u128 {
        ((self.deficits.bits() as u128) << 48)
            | ((self.conditions.bits() as u128) << 16)
            | ((self.age as u128) << 8)
            | ((self.sex as u128) << 4)
            | self.flags as u128
    }
}

/// Age bands the rules name.
///
/// - 18 and over: adults, the population of the "avoiding unplanned admissions"
///   enhanced service (2014): at least 2 % of adults on a case-management register.
/// - 65 and over: the eFI's population (validated 65 to 95; Clegg et al. 2016), and
///   the GMS contract's frailty identification from 2017.
/// - 75 and over: everyone has a named accountable GP (Transforming Primary Care,
///   2014).
/// - 85 and over: kept apart because frailty and need rise steeply there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeBand {
    /// Under 18.
    Child,
    /// 18 to 64.
    Adult,
    /// 65 to 74.
    From65To74,
    /// 75 to 84.
    From75To84,
    /// 85 and over.
    From85,
}

impl AgeBand {
    /// The bands, youngest first.
    pub const ALL: [AgeBand; 5] = [
        Self::Child,
        Self::Adult,
        Self::From65To74,
        Self::From75To84,
        Self::From85,
    ];

    /// The band of an age in years.
    #[must_use]
    pub const fn of(age: u8) -> Self {
        match age {
            0..=17 => Self::Child,
            18..=64 => Self::Adult,
            65..=74 => Self::From65To74,
            75..=84 => Self::From75To84,
            _ => Self::From85,
        }
    }

    /// The band in words.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Child => "under 18",
            Self::Adult => "18 to 64",
            Self::From65To74 => "65 to 74",
            Self::From75To84 => "75 to 84",
            Self::From85 => "85 and over",
        }
    }
}

impl fmt::Display for AgeBand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The rules of stratification, with the published values as defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StratificationRules {
    /// eFI band cut points (default: Clegg et al. 2016).
    pub cut_points: FrailtyCutPoints,
    /// Least age at which the eFI band is reported (default 65: the eFI was
    /// developed and validated on people aged 65 to 95).
    pub frailty_from_age: u8,
    /// Least age at which a named accountable GP is required (default 75:
    /// Transforming Primary Care, 2014).
    pub named_gp_from_age: u8,
    /// Least number of curated long-term conditions that is multimorbidity
    /// (default 3: the measure behind "three million people with three or more
    /// long-term conditions by 2018", Transforming Primary Care, 2014).
    pub multimorbidity_from: u8,
}

impl StratificationRules {
    /// Whether `conditions` are multimorbidity under these rules: at least
    /// [`multimorbidity_from`](Self::multimorbidity_from) of them.
    ///
    /// ```
    /// use pcn_population::{Condition, ConditionSet, StratificationRules};
    /// let rules = StratificationRules::default();
    /// let two = ConditionSet::of(Condition::Asthma).with(Condition::Depression);
    /// assert!(!rules.is_multimorbid(two));
    /// assert!(rules.is_multimorbid(two.with(Condition::Epilepsy)));
    /// ```
    #[must_use]
    pub fn is_multimorbid(&self, conditions: ConditionSet) -> bool {
        conditions.len() >= usize::from(self.multimorbidity_from)
    }
}

impl Default for StratificationRules {
    fn default() -> Self {
        Self {
            cut_points: FrailtyCutPoints::CLEGG_2016,
            frailty_from_age: 65,
            named_gp_from_age: 75,
            multimorbidity_from: 3,
        }
    }
}

/// Where one person falls: 6 bytes a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Stratum {
    /// Age band.
    pub age_band: AgeBand,
    /// The eFI band, for people of the frailty age (65 and over by default); `None`
    /// for younger people, for whom the eFI is not validated.
    pub frailty_band: Option<FrailtyBand>,
    /// The eFI (reported at every age; its band only from the frailty age).
    pub frailty_index: FrailtyIndex,
    /// Number of curated long-term conditions.
    pub long_term_conditions: u8,
    /// Three or more long-term conditions (by default).
    pub multimorbid: bool,
    /// Old enough to need a named accountable GP (75 and over by default).
    pub named_gp_required: bool,
}

/// Counts over a stratified population.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StratificationSummary {
    /// People stratified.
    pub people: u64,
    /// People in each [`AgeBand`], in [`AgeBand::ALL`] order.
    pub by_age_band: [u64; 5],
    /// People of the frailty age in each [`FrailtyBand`], fittest first.
    pub by_frailty_band: [u64; 4],
    /// People with three or more long-term conditions (by default).
    pub multimorbid: u64,
    /// People needing a named accountable GP (75 and over by default).
    pub named_gp_required: u64,
    /// Care home residents.
    pub care_home_residents: u64,
    /// Housebound people.
    pub housebound: u64,
    /// Unpaid carers.
    pub carers: u64,
}

impl StratificationSummary {
    fn add(&mut self, profile: &RiskProfile, stratum: &Stratum) {
        self.people += 1;
        self.by_age_band[stratum.age_band as usize] += 1;
        if let Some(band) = stratum.frailty_band {
            self.by_frailty_band[band as usize] += 1;
        }
        self.multimorbid += u64::from(stratum.multimorbid);
        self.named_gp_required += u64::from(stratum.named_gp_required);
        self.care_home_residents += u64::from(profile.is_care_home_resident());
        self.housebound += u64::from(profile.is_housebound());
        self.carers += u64::from(profile.is_carer());
    }

    fn merge(mut self, other: &Self) -> Self {
        self.people += other.people;
        for (a, b) in self.by_age_band.iter_mut().zip(other.by_age_band) {
            *a += b;
        }
        for (a, b) in self.by_frailty_band.iter_mut().zip(other.by_frailty_band) {
            *a += b;
        }
        self.multimorbid += other.multimorbid;
        self.named_gp_required += other.named_gp_required;
        self.care_home_residents += other.care_home_residents;
        self.housebound += other.housebound;
        self.carers += other.carers;
        self
    }

    /// People of the frailty age (the sum of [`Self::by_frailty_band`]).
    #[must_use]
    pub fn frailty_age_people(&self) -> u64 {
        self.by_frailty_band.iter().sum()
    }
}

/// Stratifies people by frailty, multimorbidity and age, in parallel.
///
/// ```
/// use pcn_core::PatientId;
/// use pcn_population::{AgeBand, Condition, DeficitSet, FrailtyBand, FrailtyDeficit, RiskProfile,
///     Sex, StratificationRules, Stratifier};
/// let deficits: DeficitSet = FrailtyDeficit::ALL[..10].iter().copied().collect();
/// let conditions = [Condition::Hypertension, Condition::Diabetes, Condition::Copd].into_iter().collect();
/// let profile = RiskProfile::new(PatientId::from_u128(1), 79, Sex::Male, deficits, conditions);
/// let stratifier = Stratifier::new(StratificationRules::default());
/// let stratum = stratifier.stratum(&profile);
/// assert_eq!(stratum.age_band, AgeBand::From75To84);
/// assert_eq!(stratum.frailty_band, Some(FrailtyBand::Moderate));
/// assert!(stratum.multimorbid && stratum.named_gp_required);
/// let summary = stratifier.summarise(&[profile]);
/// assert_eq!(summary.by_frailty_band, [0, 0, 1, 0]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stratifier {
    rules: StratificationRules,
    /// The band of each deficit count, 0 to 36, looked up rather than compared.
    bands: [FrailtyBand; 37],
}

impl Stratifier {
    /// A stratifier applying `rules`.
    #[must_use]
    pub fn new(rules: StratificationRules) -> Self {
        let mut bands = [FrailtyBand::Fit; 37];
        for (count, band) in (0u8..).zip(bands.iter_mut()) {
            *band = rules.cut_points.band_of(count);
        }
        Self { rules, bands }
    }

    /// The rules applied.
    #[must_use]
    pub const fn rules(&self) -> &StratificationRules {
        &self.rules
    }

    /// Where one person falls.
    #[must_use]
    pub fn stratum(&self, profile: &RiskProfile) -> Stratum {
        let efi = profile.frailty_index();
        let age = profile.age();
        let conditions = profile.conditions();
        Stratum {
            age_band: AgeBand::of(age),
            frailty_band: (age >= self.rules.frailty_from_age)
                .then(|| self.bands[usize::from(efi.deficit_count())]),
            frailty_index: efi,
            // At most the 20 curated conditions.
            long_term_conditions: u8::try_from(conditions.len()).unwrap_or(u8::MAX),
            multimorbid: self.rules.is_multimorbid(conditions),
            named_gp_required: age >= self.rules.named_gp_from_age,
        }
    }

    /// Every person's stratum, in input order, computed on all cores.
    #[must_use]
    pub fn stratify(&self, profiles: &[RiskProfile]) -> Vec<Stratum> {
        profiles.par_iter().map(|p| self.stratum(p)).collect()
    }

    /// Counts over the population, computed on all cores.
    #[must_use]
    pub fn summarise(&self, profiles: &[RiskProfile]) -> StratificationSummary {
        // Chunks with a plain loop inside: one accumulator per chunk, not per item.
        profiles
            .par_chunks(1 << 16)
            .map(|chunk| {
                let mut summary = StratificationSummary::default();
                for p in chunk {
                    summary.add(p, &self.stratum(p));
                }
                summary
            })
            .reduce(StratificationSummary::default, |a, b| a.merge(&b))
    }
}

impl Default for Stratifier {
    fn default() -> Self {
        Self::new(StratificationRules::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Condition, FrailtyDeficit};

    #[test]
    fn the_working_data_fits_the_size_budget() {
        // The national target: 64 bytes a person or less.
        assert_eq!(std::mem::size_of::<RiskProfile>(), 32);
        assert!(std::mem::size_of::<Stratum>() <= 8);
    }

    #[test]
    fn age_bands_have_the_rule_boundaries() {
        assert_eq!(AgeBand::of(17), AgeBand::Child);
        assert_eq!(AgeBand::of(18), AgeBand::Adult);
        assert_eq!(AgeBand::of(64), AgeBand::Adult);
        assert_eq!(AgeBand::of(65), AgeBand::From65To74);
        assert_eq!(AgeBand::of(75), AgeBand::From75To84);
        assert_eq!(AgeBand::of(85), AgeBand::From85);
        assert_eq!(AgeBand::of(255), AgeBand::From85);
    }

    #[test]
    fn frailty_bands_are_reported_from_65_and_named_gps_from_75() {
        let deficits: DeficitSet = FrailtyDeficit::ALL[..13].iter().copied().collect();
        let s = Stratifier::default();
        let young = s.stratum(&RiskProfile::new(
            PatientId::from_u128(1),
            64,
            Sex::Female,
            deficits,
            ConditionSet::new(),
        ));
        assert_eq!(young.frailty_band, None);
        assert_eq!(young.frailty_index.deficit_count(), 13);
        let old = s.stratum(&RiskProfile::new(
            PatientId::from_u128(1),
            65,
            Sex::Female,
            deficits,
            ConditionSet::new(),
        ));
        assert_eq!(old.frailty_band, Some(FrailtyBand::Severe));
        assert!(!old.named_gp_required);
        let older = s.stratum(&RiskProfile::new(
            PatientId::from_u128(1),
            75,
            Sex::Female,
            deficits,
            ConditionSet::new(),
        ));
        assert!(older.named_gp_required);
    }

    #[test]
    fn summary_counts_agree_with_the_strata() {
        let s = Stratifier::default();
        let profiles: Vec<RiskProfile> = (0u8..100)
            .map(|age| {
                let conditions: ConditionSet = Condition::ALL[..usize::from(age % 5)]
                    .iter()
                    .copied()
                    .collect();
                let deficits: DeficitSet = FrailtyDeficit::ALL[..usize::from(age % 20)]
                    .iter()
                    .copied()
                    .collect();
                RiskProfile::new(
                    PatientId::from_u128(u128::from(age)),
                    age,
                    Sex::Male,
                    deficits,
                    conditions,
                )
                .with_carer(age % 7 == 0)
            })
            .collect();
        let strata = s.stratify(&profiles);
        let summary = s.summarise(&profiles);
        assert_eq!(summary.people, 100);
        assert_eq!(
            summary.multimorbid,
            strata.iter().filter(|x| x.multimorbid).count() as u64
        );
        assert_eq!(summary.named_gp_required, 25);
        assert_eq!(summary.frailty_age_people(), 35);
        assert_eq!(summary.carers, 15);
        assert_eq!(summary.by_age_band.iter().sum::<u64>(), 100);
    }

    #[test]
    fn housebound_adds_its_deficit() {
        let p = RiskProfile::new(
            PatientId::from_u128(1),
            80,
            Sex::Male,
            DeficitSet::new(),
            ConditionSet::new(),
        )
        .with_housebound(true);
        assert!(p.deficits().contains(FrailtyDeficit::Housebound));
        assert_eq!(p.frailty_index().deficit_count(), 1);
    }
}
