//! A seeded synthetic population with a realistic age and sex structure and
//! condition prevalence.

use std::ops::Range;

use chrono::{Days, Months, NaiveDate};
use pcn_core::{NhsNumber, PatientId, PracticeId, Rate};
use rand::{Rng, RngCore};
use rand_pcg::Pcg64Mcg;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    Condition, ConditionSet, FrailtyBand, FrailtyCutPoints, FrailtyDeficit, Patient,
    PopulationError, RiskProfile, Sex,
};

/// One millionth-based share: 1,000,000 is everyone.
const MILLION: u128 = 1_000_000;
/// Probabilities are compared with 32-bit draws: 2^32 is certainty.
const CERTAIN: u128 = 1 << 32;
/// Certainty as a threshold.
const CERTAIN_U64: u64 = 1 << 32;

/// People of one sex in a band of ages (inclusive), as the list-size files publish
/// them (`gp-reg-pat-prac-quin-age`: five-year bands to 95+).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListBand {
    /// Their sex.
    pub sex: Sex,
    /// First age of the band.
    pub from_age: u8,
    /// Last age of the band (inclusive).
    pub to_age: u8,
    /// How many people.
    pub people: u32,
}

/// A band of ages (inclusive) and its share of the population.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgeGroup {
    /// First age in the group.
    pub from: u8,
    /// Last age in the group (inclusive).
    pub to: u8,
    /// The group's share of the population, spread evenly over its ages.
    pub share: Rate,
}

/// How a condition's prevalence rises with age: relative multipliers (in percent)
/// for the ages 0-17, 18-44, 45-64, 65-74, 75-84 and 85 and over.
///
/// The shapes are documented parameters, not published figures: the generator only
/// calibrates each condition's overall prevalence to its published figure, and
/// spreads it over ages with one of these shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeGradient {
    /// The same at every eligible age: 100 throughout.
    Flat,
    /// Rising through adult life: 0, 30, 100, 200, 250, 250.
    Rising,
    /// Concentrated in old age: 0, 5, 100, 400, 800, 1200.
    Steep,
}

impl AgeGradient {
    const fn multiplier(self, age: u8) -> u128 {
        let band = match age {
            0..=17 => 0,
            18..=44 => 1,
            45..=64 => 2,
            65..=74 => 3,
            75..=84 => 4,
            _ => 5,
        };
        let table: [u128; 6] = match self {
            Self::Flat => [100; 6],
            Self::Rising => [0, 30, 100, 200, 250, 250],
            Self::Steep => [0, 5, 100, 400, 800, 1200],
        };
        table[band]
    }
}

/// A condition's prevalence: its share of the people of `from_age` and over, and how
/// it spreads over ages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConditionPrevalence {
    /// The condition.
    pub condition: Condition,
    /// The share of people aged `from_age` and over who have it.
    pub prevalence: Rate,
    /// The least age at which it is generated (the register's age floor).
    pub from_age: u8,
    /// How it rises with age.
    pub gradient: AgeGradient,
}

/// The figures the generator draws from. [`GeneratorConfig::england`] holds the
/// defaults, each with its source; every field can be changed (and is checked when
/// the generator is built).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeneratorConfig {
    /// The age structure: contiguous groups from age 0, shares summing to 1.
    pub age_groups: Vec<AgeGroup>,
    /// The share of people who are female (the rest male), at every age.
    pub female_share: Rate,
    /// Prevalence of each curated condition generated (each condition at most once).
    pub conditions: Vec<ConditionPrevalence>,
    /// Shares of people aged 65 and over in each eFI band, fittest first (sum 1).
    pub frailty_band_shares_65_and_over: [Rate; 4],
    /// The eFI cut points that define the bands drawn.
    pub cut_points: FrailtyCutPoints,
    /// The most deficits generated for anyone (severe frailty is drawn from its
    /// least count up to this).
    pub most_deficits: u8,
    /// Share of people aged 65 and over living in a care home.
    pub care_home_share_65_and_over: Rate,
    /// Share of people aged 65 and over who are unpaid carers.
    pub carer_share_65_and_over: Rate,
    /// Share of people aged 16 to 64 who are unpaid carers.
    pub carer_share_16_to_64: Rate,
}

const fn r(millionths: i64) -> Rate {
    Rate::from_millionths(millionths)
}

const fn prevalence(
    condition: Condition,
    millionths: i64,
    from_age: u8,
    gradient: AgeGradient,
) -> ConditionPrevalence {
    ConditionPrevalence {
        condition,
        prevalence: r(millionths),
        from_age,
        gradient,
    }
}

impl GeneratorConfig {
    /// England's population, as far as published figures go.
    ///
    /// - **Age**: Census 2021, England and Wales (ONS, first results, 28 June 2022):
    ///   17.4 % under 15, 64.1 % aged 15 to 64, 18.6 % aged 65 and over, 527,900 of
    ///   59,597,300 (0.9 %) aged 90 and over. The split of 65 to 89 into 65-74
    ///   (10.0 %) and 75-89 (7.6 %) is a **parameter** (the domain reference does
    ///   not give it); it puts 8.5 % at 75 and over, close to the 4.4 million over 75
    ///   of Transforming Primary Care (2014). Ages 90 and over are spread over 90 to
    ///   99 (a parameter). 65+ comes to 18.5 % after rounding the published shares.
    /// - **Sex**: 51.0 % female (Census 2021), applied at every age (a
    ///   simplification: older groups are more female).
    /// - **Conditions**: register prevalence from the Quality and Outcomes Framework
    ///   2022-23 (NHS Digital), as a share of the register's age group: hypertension
    ///   14.4 %, diabetes 7.5 % (17+), asthma 6.5 % (6+), COPD 1.9 %, coronary heart
    ///   disease 3.0 %, atrial fibrillation 2.1 %, heart failure 1.0 %, stroke and TIA
    ///   1.8 %, peripheral arterial disease 0.6 %, chronic kidney disease 4.0 % (18+),
    ///   dementia 0.7 %, depression 13.2 % (18+), epilepsy 0.8 % (18+), cancer 3.5 %,
    ///   osteoporosis 0.9 % (50+), rheumatoid arthritis 0.8 % (16+), learning
    ///   disability 0.6 %. These QOF figures are not yet in the domain reference:
    ///   check them against the published QOF 2022-23 prevalence tables. Parkinson's
    ///   disease 0.3 %, osteoarthritis 10 % (18+) and thyroid disease 3.5 % have no
    ///   QOF register and are **parameters**.
    /// - **Frailty** (65 and over): 50 % fit, 35 % mild, 12 % moderate, 3 % severe
    ///   (frailtytoolkit.org, the eFI's population shares). A person's deficits are
    ///   those their conditions stand for, topped up with other deficits to a count
    ///   drawn evenly within the band drawn; conditions may push a person into a
    ///   higher band, so the generated shares lean slightly frailer. Under 65, only
    ///   conditions give deficits.
    /// - **Care homes**: 2.5 % of people aged 65 and over (Census 2021: 2.7 % lived in
    ///   communal establishments, 93.0 % of them care homes; ONS, "Profile of the
    ///   older population living in England and Wales in 2021", 3 April 2023).
    /// - **Carers**: 10.8 % of people aged 65 and over (same ONS profile: almost
    ///   1.2 million unpaid carers among 11.1 million). 8 % of people aged 16 to 64
    ///   is a **parameter**.
    #[must_use]
    pub fn england() -> Self {
        use AgeGradient::{Flat, Rising, Steep};
        use Condition as C;
        Self {
            age_groups: vec![
                AgeGroup {
                    from: 0,
                    to: 14,
                    share: r(174_000),
                },
                AgeGroup {
                    from: 15,
                    to: 64,
                    share: r(641_000),
                },
                AgeGroup {
                    from: 65,
                    to: 74,
                    share: r(100_000),
                },
                AgeGroup {
                    from: 75,
                    to: 89,
                    share: r(76_000),
                },
                AgeGroup {
                    from: 90,
                    to: 99,
                    share: r(9_000),
                },
            ],
            female_share: r(510_000),
            conditions: vec![
                prevalence(C::Hypertension, 144_000, 0, Rising),
                prevalence(C::Diabetes, 75_000, 17, Rising),
                prevalence(C::Asthma, 65_000, 6, Flat),
                prevalence(C::Copd, 19_000, 0, Steep),
                prevalence(C::CoronaryHeartDisease, 30_000, 0, Steep),
                prevalence(C::AtrialFibrillation, 21_000, 0, Steep),
                prevalence(C::HeartFailure, 10_000, 0, Steep),
                prevalence(C::StrokeOrTia, 18_000, 0, Steep),
                prevalence(C::PeripheralArterialDisease, 6_000, 0, Steep),
                prevalence(C::ChronicKidneyDisease, 40_000, 18, Steep),
                prevalence(C::Dementia, 7_000, 0, Steep),
                prevalence(C::Depression, 132_000, 18, Flat),
                prevalence(C::Epilepsy, 8_000, 18, Flat),
                prevalence(C::Cancer, 35_000, 0, Rising),
                prevalence(C::Osteoporosis, 9_000, 50, Steep),
                prevalence(C::RheumatoidArthritis, 8_000, 16, Rising),
                prevalence(C::LearningDisability, 6_000, 0, Flat),
                prevalence(C::ParkinsonsDisease, 3_000, 0, Steep),
                prevalence(C::Osteoarthritis, 100_000, 18, Rising),
                prevalence(C::ThyroidDisease, 35_000, 0, Rising),
            ],
            frailty_band_shares_65_and_over: [r(500_000), r(350_000), r(120_000), r(30_000)],
            cut_points: FrailtyCutPoints::CLEGG_2016,
            most_deficits: 20,
            care_home_share_65_and_over: r(25_000),
            carer_share_65_and_over: r(108_000),
            carer_share_16_to_64: r(80_000),
        }
    }
}

impl Default for GeneratorConfig {
    fn default() -> Self {
        Self::england()
    }
}

/// A probability as a threshold for a 32-bit draw.
fn threshold(share: Rate) -> u64 {
    let millionths = u128::try_from(share.millionths()).unwrap_or(0);
    u64::try_from(millionths * CERTAIN / MILLION).unwrap_or(u64::MAX)
}

/// A seeded generator of synthetic people.
///
/// The same seed and configuration always give the same people, whatever the number
/// of threads: person `serial` is drawn from its own random stream (a PCG seeded from
/// the seed and the serial). [`PopulationGenerator::profile`] gives the compact
/// record directly (for national-scale benches: no NHS number needed, any number of
/// people); [`PopulationGenerator::patients`] gives full [`Patient`]s with NHS numbers
/// from the test range (`999...`), which never belong to a real person, and so at
/// most 900,000 of them. Patient `serial` and profile `serial` are the same person.
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_core::PracticeId;
/// use pcn_population::PopulationGenerator;
/// let generator = PopulationGenerator::england(42);
/// let on = NaiveDate::from_ymd_opt(2024, 4, 1).unwrap();
/// let patients = generator.patients(0..1_000, &[PracticeId::from_u128(1)], on)?;
/// assert_eq!(patients.len(), 1_000);
/// assert!(patients.iter().all(|p| p.nhs_number().is_test_number()));
/// assert_eq!(patients[7].risk_profile(on)?, generator.profile(7));
/// let profiles = generator.profiles(10_000);
/// assert_eq!(profiles[7], generator.profile(7));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct PopulationGenerator {
    seed: u64,
    config: GeneratorConfig,
    /// Cumulative age thresholds: age `a` when a draw is below `age_cdf[a]` and not
    /// below `age_cdf[a - 1]`.
    age_cdf: Vec<u64>,
    /// Per age, per configured condition: the draw threshold.
    condition_thresholds: Vec<Vec<u64>>,
    /// Cumulative frailty band thresholds.
    band_cdf: [u64; 4],
    /// The deficits no configured condition gives: drawn to top people up.
    top_up_deficits: Vec<FrailtyDeficit>,
    female: u64,
    care_home: u64,
    carer_old: u64,
    carer_adult: u64,
}

impl PopulationGenerator {
    /// A generator for England's population ([`GeneratorConfig::england`]).
    #[must_use]
    pub fn england(seed: u64) -> Self {
        // The built-in configuration is valid (a unit test checks it); were it not,
        // an empty population structure would be the least harmful outcome.
        Self::new(GeneratorConfig::england(), seed).unwrap_or_else(|_| Self {
            seed,
            config: GeneratorConfig::england(),
            age_cdf: vec![CERTAIN_U64],
            condition_thresholds: vec![Vec::new()],
            band_cdf: [CERTAIN_U64; 4],
            top_up_deficits: Vec::new(),
            female: 0,
            care_home: 0,
            carer_old: 0,
            carer_adult: 0,
        })
    }

    /// A generator with `config`.
    ///
    /// # Errors
    /// [`PopulationError::InvalidGeneratorConfig`] naming the setting: age groups that
    /// do not run contiguously from 0 or whose shares do not sum to 1, a share outside
    /// 0 to 1, a condition listed twice, band shares not summing to 1, or
    /// `most_deficits` below the severe band or over 36.
    pub fn new(config: GeneratorConfig, seed: u64) -> Result<Self, PopulationError> {
        let invalid = |setting: &str, reason: String| PopulationError::InvalidGeneratorConfig {
            setting: setting.to_owned(),
            reason,
        };
        let in_unit = |setting: &str, share: Rate| {
            if share < Rate::ZERO || share > Rate::ONE {
                Err(invalid(
                    setting,
                    format!("share {share} is not between 0 and 1"),
                ))
            } else {
                Ok(())
            }
        };

        // Ages.
        let mut next = 0u16;
        let mut total = 0i64;
        for group in &config.age_groups {
            in_unit("age_groups", group.share)?;
            if u16::from(group.from) != next || group.to < group.from {
                return Err(invalid(
                    "age_groups",
                    format!(
                        "group {}-{} does not start at age {next} or ends before it starts",
                        group.from, group.to
                    ),
                ));
            }
            next = u16::from(group.to) + 1;
            total += group.share.millionths();
        }
        if config.age_groups.is_empty() || total != 1_000_000 {
            return Err(invalid(
                "age_groups",
                format!("shares sum to {}, not 1", Rate::from_millionths(total)),
            ));
        }
        let mut weights = Vec::new();
        for group in &config.age_groups {
            let years = u128::from(group.to - group.from) + 1;
            let per_year =
                u128::try_from(group.share.millionths()).unwrap_or(0) * CERTAIN / MILLION / years;
            weights.extend(std::iter::repeat_n(
                per_year,
                usize::try_from(years).unwrap_or(0),
            ));
        }
        let mut age_cdf = Vec::with_capacity(weights.len());
        let mut running = 0u128;
        for w in &weights {
            running += w;
            age_cdf.push(u64::try_from(running).unwrap_or(u64::MAX));
        }
        // Rounding leaves the last threshold a little short of certainty.
        if let Some(last) = age_cdf.last_mut() {
            *last = CERTAIN_U64;
        }

        // Conditions.
        let mut seen = ConditionSet::new();
        for c in &config.conditions {
            in_unit("conditions", c.prevalence)?;
            if seen.contains(c.condition) {
                return Err(invalid(
                    "conditions",
                    format!("{} is listed more than once", c.condition),
                ));
            }
            seen.insert(c.condition);
        }
        let condition_thresholds = (0..weights.len())
            .map(|age| {
                let age = u8::try_from(age).unwrap_or(u8::MAX);
                config
                    .conditions
                    .iter()
                    .map(|c| condition_threshold(c, &weights, age))
                    .collect()
            })
            .collect();

        // Frailty.
        let mut band_cdf = [0u64; 4];
        let mut band_total = 0i64;
        for (slot, share) in band_cdf
            .iter_mut()
            .zip(config.frailty_band_shares_65_and_over)
        {
            in_unit("frailty_band_shares_65_and_over", share)?;
            band_total += share.millionths();
            *slot = threshold(Rate::from_millionths(band_total));
        }
        if band_total != 1_000_000 {
            return Err(invalid(
                "frailty_band_shares_65_and_over",
                format!("shares sum to {}, not 1", Rate::from_millionths(band_total)),
            ));
        }
        band_cdf[3] = CERTAIN_U64;
        if config.most_deficits < config.cut_points.severe_from()
            || config.most_deficits > FrailtyDeficit::COUNT
        {
            return Err(invalid(
                "most_deficits",
                format!(
                    "{} must be from the severe band's least count {} to 36",
                    config.most_deficits,
                    config.cut_points.severe_from()
                ),
            ));
        }
        let from_conditions = Condition::frailty_deficits(seen);
        let top_up_deficits: Vec<FrailtyDeficit> = FrailtyDeficit::ALL
            .into_iter()
            .filter(|d| !from_conditions.contains(*d))
            .collect();
        if usize::from(config.most_deficits) > top_up_deficits.len() + from_conditions.len() {
            return Err(invalid(
                "most_deficits",
                "exceeds the deficits available".into(),
            ));
        }

        for (setting, share) in [
            ("female_share", config.female_share),
            (
                "care_home_share_65_and_over",
                config.care_home_share_65_and_over,
            ),
            ("carer_share_65_and_over", config.carer_share_65_and_over),
            ("carer_share_16_to_64", config.carer_share_16_to_64),
        ] {
            in_unit(setting, share)?;
        }

        Ok(Self {
            seed,
            female: threshold(config.female_share),
            care_home: threshold(config.care_home_share_65_and_over),
            carer_old: threshold(config.carer_share_65_and_over),
            carer_adult: threshold(config.carer_share_16_to_64),
            config,
            age_cdf,
            condition_thresholds,
            band_cdf,
            top_up_deficits,
        })
    }

    /// The configuration.
    #[must_use]
    pub const fn config(&self) -> &GeneratorConfig {
        &self.config
    }

    /// The random stream of person `serial`.
    fn rng(&self, serial: u64) -> Pcg64Mcg {
        // The seed and the serial mixed twice, for a well-mixed 128-bit state.
        let mix = pcn_core::mix_seed;
        let a = mix(self.seed ^ mix(serial));
        let b = mix(a ^ serial);
        Pcg64Mcg::new((u128::from(a) << 64) | u128::from(b) | 1)
    }

    /// The pseudonymous id of person `serial`.
    #[must_use]
    pub fn patient_id(&self, serial: u64) -> PatientId {
        PatientId::from_u128((u128::from(self.seed) << 64) | u128::from(serial))
    }

    /// Person `serial`'s compact record (the NHS number is not needed, so any serial
    /// works).
    #[must_use]
    pub fn profile(&self, serial: u64) -> RiskProfile {
        self.draw(serial).0
    }

    /// The compact records of persons `0..count`, drawn on all cores.
    #[must_use]
    pub fn profiles(&self, count: usize) -> Vec<RiskProfile> {
        (0..count as u64)
            .into_par_iter()
            .map(|serial| self.profile(serial))
            .collect()
    }

    /// The compact records of people of known sex and age band, as the list-size
    /// files publish a practice's patients: for each [`ListBand`], its `people` with
    /// ages drawn evenly within the band and conditions, frailty and the rest drawn
    /// for each person's age as [`PopulationGenerator::profile`] draws them. Serials
    /// run on from 0 in the order given, so the same bands give the same people.
    ///
    /// ```
    /// use pcn_population::{ListBand, PopulationGenerator, Sex};
    /// let bands = [
    ///     ListBand { sex: Sex::Female, from_age: 80, to_age: 84, people: 300 },
    ///     ListBand { sex: Sex::Male, from_age: 20, to_age: 24, people: 200 },
    /// ];
    /// let people = PopulationGenerator::england(1).profiles_for(&bands);
    /// assert_eq!(people.len(), 500);
    /// assert!(people[..300].iter().all(|p| p.sex() == Sex::Female && (80..=84).contains(&p.age())));
    /// assert!(people[300..].iter().all(|p| p.sex() == Sex::Male && (20..=24).contains(&p.age())));
    /// ```
    #[must_use]
    pub fn profiles_for(&self, bands: &[ListBand]) -> Vec<RiskProfile> {
        let mut work = Vec::with_capacity(bands.iter().map(|b| b.people as usize).sum());
        let mut serial = 0u64;
        for band in bands {
            let (from, to) = (
                band.from_age.min(band.to_age),
                band.to_age.max(band.from_age),
            );
            for _ in 0..band.people {
                work.push((serial, band.sex, from, to));
                serial += 1;
            }
        }
        work.into_par_iter()
            .map(|(serial, sex, from, to)| self.draw_with(serial, Some((sex, from, to))).0)
            .collect()
    }

    /// Person `serial` and the generator's stream positioned after the profile.
    fn draw(&self, serial: u64) -> (RiskProfile, Pcg64Mcg) {
        self.draw_with(serial, None)
    }

    /// Person `serial`, of the given sex and within the given ages if known.
    fn draw_with(&self, serial: u64, known: Option<(Sex, u8, u8)>) -> (RiskProfile, Pcg64Mcg) {
        let mut rng = self.rng(serial);
        let x = u64::from(rng.next_u32());
        let drawn_sex = if u64::from(rng.next_u32()) < self.female {
            Sex::Female
        } else {
            Sex::Male
        };
        let (age_index, sex) = match known {
            Some((sex, from, to)) => {
                let span = u64::from(to - from) + 1;
                (
                    usize::from(from) + usize::try_from(x % span).unwrap_or(0),
                    sex,
                )
            }
            None => (
                self.age_cdf
                    .partition_point(|c| *c <= x)
                    .min(self.age_cdf.len() - 1),
                drawn_sex,
            ),
        };
        let age_index = age_index.min(self.condition_thresholds.len().saturating_sub(1));
        let age = u8::try_from(age_index).unwrap_or(u8::MAX);

        let mut conditions = ConditionSet::new();
        for (c, t) in self
            .config
            .conditions
            .iter()
            .zip(&self.condition_thresholds[age_index])
        {
            if u64::from(rng.next_u32()) < *t {
                conditions.insert(c.condition);
            }
        }
        let mut deficits = Condition::frailty_deficits(conditions);
        let (mut care_home, mut carer) = (false, false);
        if age >= 65 {
            let x = u64::from(rng.next_u32());
            let band = FrailtyBand::ALL[self.band_cdf.partition_point(|c| *c <= x).min(3)];
            let (low, high) = self.config.cut_points.counts_in(band);
            let high = high.min(self.config.most_deficits).max(low);
            let target = rng.random_range(low..=high);
            let mut pool = self.top_up_deficits.clone();
            let mut available = pool.len();
            while deficits.len() < usize::from(target) && available > 0 {
                let pick = rng.random_range(0..available);
                deficits.insert(pool[pick]);
                available -= 1;
                pool.swap(pick, available);
            }
            care_home = u64::from(rng.next_u32()) < self.care_home;
            carer = !care_home && u64::from(rng.next_u32()) < self.carer_old;
        } else if age >= 16 {
            carer = u64::from(rng.next_u32()) < self.carer_adult;
        }
        let housebound = deficits.contains(FrailtyDeficit::Housebound);
        let profile = RiskProfile::new(self.patient_id(serial), age, sex, deficits, conditions)
            .with_care_home_resident(care_home)
            .with_housebound(housebound)
            .with_carer(carer);
        (profile, rng)
    }

    /// Full patients for `serials`, as on `on`: the same people as the profiles of
    /// those serials, with NHS numbers from the test range, dates of birth that give
    /// the profile's age on `on`, and a registration with one of `practices` (chosen
    /// evenly) that started on a day up to 20 years before `on` (not before birth).
    ///
    /// # Errors
    /// [`PopulationError::TooManyPatients`] if a serial is past the 900,000 test NHS
    /// numbers; [`PopulationError::NoPractices`] if `practices` is empty.
    pub fn patients(
        &self,
        serials: Range<u32>,
        practices: &[PracticeId],
        on: NaiveDate,
    ) -> Result<Vec<Patient>, PopulationError> {
        if practices.is_empty() {
            return Err(PopulationError::NoPractices);
        }
        if !serials.is_empty() && NhsNumber::test_number(serials.end - 1).is_none() {
            return Err(PopulationError::TooManyPatients {
                last_serial: u64::from(serials.end) - 1,
            });
        }
        serials
            .into_par_iter()
            .map(|serial| self.patient(serial, practices, on))
            .collect()
    }

    fn patient(
        &self,
        serial: u32,
        practices: &[PracticeId],
        on: NaiveDate,
    ) -> Result<Patient, PopulationError> {
        let nhs_number =
            NhsNumber::test_number(serial).ok_or(PopulationError::TooManyPatients {
                last_serial: u64::from(serial),
            })?;
        let (profile, mut rng) = self.draw(u64::from(serial));
        let anniversary = on
            .checked_sub_months(Months::new(12 * u32::from(profile.age())))
            .unwrap_or(on);
        let date_of_birth = anniversary
            .checked_sub_days(Days::new(rng.random_range(0..365)))
            .filter(|dob| pcn_core::age_on(*dob, on) == Some(profile.age()))
            .unwrap_or(anniversary);
        let mut patient = Patient::new(profile.patient(), nhs_number, date_of_birth, profile.sex());
        let practice = practices[rng.random_range(0..practices.len())];
        let since = on
            .checked_sub_days(Days::new(rng.random_range(0..20 * 365)))
            .unwrap_or(on)
            .max(date_of_birth);
        patient.register(practice, since)?;
        for condition in profile.conditions().iter() {
            patient.record_condition(condition.snomed());
        }
        let implied = Condition::frailty_deficits(profile.conditions());
        for deficit in profile.deficits().iter() {
            if !implied.contains(deficit) && deficit != FrailtyDeficit::Housebound {
                patient.record_deficit(deficit);
            }
        }
        patient.set_housebound(profile.is_housebound());
        patient.set_care_home_resident(profile.is_care_home_resident());
        patient.set_carer(profile.is_carer());
        Ok(patient)
    }
}

/// The draw threshold of a condition at `age`: the condition's gradient scaled so
/// that its prevalence over everyone of `from_age` and over is the configured one.
fn condition_threshold(c: &ConditionPrevalence, weights: &[u128], age: u8) -> u64 {
    if age < c.from_age {
        return 0;
    }
    let eligible = || weights.iter().enumerate().skip(usize::from(c.from_age));
    let population: u128 = eligible().map(|(_, w)| *w).sum();
    let weighted: u128 = eligible()
        .map(|(a, w)| w * c.gradient.multiplier(u8::try_from(a).unwrap_or(u8::MAX)))
        .sum();
    if weighted == 0 {
        return 0;
    }
    let prevalence = u128::try_from(c.prevalence.millionths()).unwrap_or(0);
    let t = prevalence * CERTAIN / MILLION * c.gradient.multiplier(age) * population / weighted;
    u64::try_from(t.min(CERTAIN)).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{StratificationRules, Stratifier};

    #[test]
    fn the_built_in_configuration_is_valid() {
        assert!(PopulationGenerator::new(GeneratorConfig::england(), 1).is_ok());
    }

    #[test]
    fn the_same_seed_gives_the_same_people() {
        let a = PopulationGenerator::england(7).profiles(2_000);
        let b = PopulationGenerator::england(7).profiles(2_000);
        let c = PopulationGenerator::england(8).profiles(2_000);
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    /// Large enough to check the structure to a percentage point, small enough to
    /// run quickly.
    #[test]
    fn the_population_has_the_published_structure() {
        let n = 200_000u64;
        let generator = PopulationGenerator::england(2024);
        let people = generator.profiles(usize::try_from(n).unwrap());
        let share = |count: usize| count as f64 / n as f64;
        let of = |f: &dyn Fn(&RiskProfile) -> bool| share(people.iter().filter(|p| f(p)).count());
        assert!((of(&|p| p.age() < 15) - 0.174).abs() < 0.005);
        assert!((of(&|p| p.age() >= 65) - 0.185).abs() < 0.005);
        assert!((of(&|p| p.age() >= 90) - 0.009).abs() < 0.002);
        assert!((of(&|p| p.sex() == Sex::Female) - 0.51).abs() < 0.005);
        // Each condition's prevalence among its register's ages.
        for c in &generator.config().conditions {
            let eligible: Vec<_> = people.iter().filter(|p| p.age() >= c.from_age).collect();
            let with = eligible
                .iter()
                .filter(|p| p.conditions().contains(c.condition))
                .count();
            let observed = with as f64 / eligible.len() as f64;
            let expected = c.prevalence.millionths() as f64 / 1e6;
            assert!(
                (observed - expected).abs() < expected * 0.1 + 0.001,
                "{}: {observed} against {expected}",
                c.condition
            );
            assert!(
                people
                    .iter()
                    .all(|p| p.age() >= c.from_age || !p.conditions().contains(c.condition))
            );
        }
        // Frailty bands of people 65 and over: close to 50/35/12/3.
        let summary = Stratifier::new(StratificationRules::default()).summarise(&people);
        let old = summary.frailty_age_people() as f64;
        let bands: Vec<f64> = summary
            .by_frailty_band
            .iter()
            .map(|c| *c as f64 / old)
            .collect();
        for (band, published) in bands.iter().zip([0.50, 0.35, 0.12, 0.03]) {
            assert!((band - published).abs() < 0.02, "{bands:?}");
        }
        // Care homes only from 65; about 2.5 % of them.
        assert!(
            people
                .iter()
                .all(|p| !p.is_care_home_resident() || p.age() >= 65)
        );
        assert!((summary.care_home_residents as f64 / old - 0.025).abs() < 0.005);
    }

    #[test]
    fn patients_match_their_profiles_and_use_test_numbers() {
        let generator = PopulationGenerator::england(3);
        let on = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        let practices = [PracticeId::from_u128(1), PracticeId::from_u128(2)];
        let patients = generator.patients(100..600, &practices, on).unwrap();
        for (serial, p) in (100u64..).zip(&patients) {
            assert!(p.nhs_number().is_test_number());
            assert_eq!(p.risk_profile(on).unwrap(), generator.profile(serial));
            assert!(practices.contains(&p.registered_practice_on(on).unwrap()));
        }
        assert!(matches!(
            generator.patients(899_999..900_001, &practices, on),
            Err(PopulationError::TooManyPatients {
                last_serial: 900_000
            })
        ));
        assert!(matches!(
            generator.patients(0..1, &[], on),
            Err(PopulationError::NoPractices)
        ));
    }

    #[test]
    fn bad_configurations_are_rejected_with_the_setting() {
        let mut c = GeneratorConfig::england();
        c.age_groups[1].share = r(640_000);
        let err = PopulationGenerator::new(c, 1).unwrap_err();
        assert!(err.to_string().contains("age_groups"), "{err}");
        let mut c = GeneratorConfig::england();
        c.age_groups[2].from = 66;
        assert!(PopulationGenerator::new(c, 1).is_err());
        let mut c = GeneratorConfig::england();
        c.conditions.push(c.conditions[0]);
        assert!(PopulationGenerator::new(c, 1).is_err());
        let mut c = GeneratorConfig::england();
        c.frailty_band_shares_65_and_over[0] = r(400_000);
        assert!(PopulationGenerator::new(c, 1).is_err());
        let mut c = GeneratorConfig::england();
        c.most_deficits = 12;
        assert!(PopulationGenerator::new(c, 1).is_err());
        let mut c = GeneratorConfig::england();
        c.female_share = r(1_500_000);
        assert!(PopulationGenerator::new(c, 1).is_err());
    }
}
