//! Cohort selection: who is put on the case-management register, and why.

use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::fmt;

use pcn_core::{PatientId, Rate};
use rayon::prelude::*;
use serde::{Deserialize, Serialize, Serializer};

use crate::{
    AgeBand, ConditionSet, FrailtyBand, FrailtyIndex, PopulationError, RiskProfile,
    StratificationRules, Stratifier,
};

/// The points each risk factor adds to a person's risk score.
///
/// No published weighting combines frailty, multimorbidity, age and living
/// circumstances into one score, so every weight is a documented parameter. The
/// defaults put frailty first, with points for the eFI bands taken from the
/// one-year mortality hazard ratios against fit (1.92 mild, 3.10 moderate, 4.52
/// severe; Clegg et al. 2016) as ten times the excess hazard: 9, 21 and 35. The
/// other defaults (3 a long-term condition, 5 for multimorbidity, 5 from 75 and 10
/// from 85, 10 for a care home, 5 for housebound) are parameters with no source:
/// set them to local policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskWeights {
    /// Points for mild, moderate and severe frailty (people of the frailty age).
    pub frailty_band: [u32; 3],
    /// Points for each curated long-term condition.
    pub per_long_term_condition: u32,
    /// Points for multimorbidity (three or more long-term conditions).
    pub multimorbidity: u32,
    /// Points for age 75 to 84.
    pub age_75_to_84: u32,
    /// Points for age 85 and over.
    pub age_85_and_over: u32,
    /// Points for living in a care home.
    pub care_home_resident: u32,
    /// Points for being housebound.
    pub housebound: u32,
}

impl Default for RiskWeights {
    fn default() -> Self {
        Self {
            frailty_band: [9, 21, 35],
            per_long_term_condition: 3,
            multimorbidity: 5,
            age_75_to_84: 5,
            age_85_and_over: 10,
            care_home_resident: 10,
            housebound: 5,
        }
    }
}

/// A factor that added to a person's risk score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "factor")]
#[non_exhaustive]
pub enum RiskFactor {
    /// Frailty, by eFI band.
    Frailty {
        /// The band.
        band: FrailtyBand,
        /// The index.
        frailty_index: FrailtyIndex,
    },
    /// Long-term conditions, each adding points.
    LongTermConditions {
        /// The conditions.
        conditions: ConditionSet,
    },
    /// Multimorbidity: three or more long-term conditions.
    Multimorbidity {
        /// How many.
        count: u8,
    },
    /// Age.
    Age {
        /// The age band.
        band: AgeBand,
    },
    /// Lives in a care home.
    CareHomeResident,
    /// Housebound.
    Housebound,
}

impl fmt::Display for RiskFactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Frailty {
                band,
                frailty_index,
            } => write!(
                f,
                "{band} (eFI {}, {} of 36 deficits)",
                frailty_index.score(),
                frailty_index.deficit_count()
            ),
            Self::LongTermConditions { conditions } => {
                write!(f, "{} long-term condition(s): ", conditions.len())?;
                let names: Vec<&str> = conditions.iter().map(|c| c.label()).collect();
                f.write_str(&names.join(", "))
            }
            Self::Multimorbidity { count } => write!(f, "multimorbidity ({count} conditions)"),
            Self::Age { band } => write!(f, "aged {band}"),
            Self::CareHomeResident => f.write_str("lives in a care home"),
            Self::Housebound => f.write_str("housebound"),
        }
    }
}

/// One factor and the points it added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contribution {
    /// The factor.
    #[serde(flatten)]
    pub factor: RiskFactor,
    /// The points it added.
    pub points: u32,
}

/// Why a person scored what they did: every factor that added points, largest
/// first. Fixed size (no allocation), so that a national cohort carries its
/// explanations cheaply; serde writes the list of [`Contribution`]s.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Explanation {
    profile: RiskProfile,
    frailty_band: Option<FrailtyBand>,
    /// Points for frailty, conditions, multimorbidity, age, care home, housebound.
    points: [u32; 6],
}

impl Explanation {
    /// The total score.
    #[must_use]
    pub fn score(&self) -> u32 {
        self.points.iter().fold(0u32, |a, b| a.saturating_add(*b))
    }

    /// The factors that added points, largest first (ties in a fixed factor order).
    #[must_use]
    pub fn contributions(&self) -> Vec<Contribution> {
        let p = &self.profile;
        let factors = [
            self.frailty_band.map(|band| RiskFactor::Frailty {
                band,
                frailty_index: p.frailty_index(),
            }),
            Some(RiskFactor::LongTermConditions {
                conditions: p.conditions(),
            }),
            Some(RiskFactor::Multimorbidity {
                // At most the 20 curated conditions.
                count: u8::try_from(p.conditions().len()).unwrap_or(u8::MAX),
            }),
            Some(RiskFactor::Age {
                band: AgeBand::of(p.age()),
            }),
            Some(RiskFactor::CareHomeResident),
            Some(RiskFactor::Housebound),
        ];
        let mut out: Vec<Contribution> = factors
            .into_iter()
            .zip(self.points)
            .filter_map(|(factor, points)| {
                factor
                    .filter(|_| points > 0)
                    .map(|factor| Contribution { factor, points })
            })
            .collect();
        out.sort_by_key(|c| Reverse(c.points));
        out
    }
}

impl fmt::Debug for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.contributions()).finish()
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .contributions()
            .iter()
            .map(|c| format!("{} (+{})", c.factor, c.points))
            .collect();
        f.write_str(&parts.join("; "))
    }
}

impl Serialize for Explanation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.contributions())
    }
}

/// How many people a cohort takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CohortSize {
    /// At least this share of the eligible population, rounded up ("at least 2 % of
    /// adults", avoiding unplanned admissions enhanced service, 2014).
    TopShare(Rate),
    /// Exactly this many (or everyone with a qualifying score, if fewer).
    TopCount(u64),
    /// Everyone scoring at least this many points.
    ScoreAtLeast(u32),
}

/// A configurable selection: score everyone eligible, rank, take the top.
///
/// The ranking is a total order: score (highest first), then [`PatientId`], then the
/// rest of the record; so the cohort is the same whatever order the population comes
/// in, and two runs on the same data always agree. Selection runs in linear time on
/// all cores (a histogram of scores finds the cut-off score; only the ties at the
/// cut-off are sorted), so that a national population can be ranked.
///
/// The default is the "avoiding unplanned admissions" enhanced service (2014):
/// adults aged 18 and over, at least 2 % of them, each with a score above zero.
///
/// ```
/// use pcn_core::PatientId;
/// use pcn_population::{Condition, CohortPipeline, ConditionSet, DeficitSet, RiskProfile, Sex};
/// let people: Vec<RiskProfile> = (0..100u8)
///     .map(|i| {
///         let conditions: ConditionSet = Condition::ALL[..usize::from(i % 4)].iter().copied().collect();
///         RiskProfile::new(PatientId::from_u128(u128::from(i)), 20 + i % 70, Sex::Female,
///             DeficitSet::new(), conditions)
///     })
///     .collect();
/// let cohort = CohortPipeline::default().select(&people)?;
/// assert_eq!(cohort.eligible(), 100);
/// assert_eq!(cohort.members().len(), 2); // 2 % of 100
/// let top = &cohort.members()[0];
/// assert_eq!(top.rank, 1);
/// println!("{}: {}", top.patient, top.explanation);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortPipeline {
    /// Stratification rules (eFI cut points, ages).
    pub rules: StratificationRules,
    /// Points per factor.
    pub weights: RiskWeights,
    /// Least age to be eligible (default 18).
    pub eligible_from_age: u8,
    /// Least score to be selected at all (default 1: nobody is selected for no
    /// reason).
    pub minimum_score: u32,
    /// How many to take.
    pub size: CohortSize,
}

impl Default for CohortPipeline {
    fn default() -> Self {
        Self {
            rules: StratificationRules::default(),
            weights: RiskWeights::default(),
            eligible_from_age: 18,
            minimum_score: 1,
            size: CohortSize::TopShare(Rate::from_millionths(20_000)),
        }
    }
}

/// One person selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CohortMember {
    /// 1 for the highest risk.
    pub rank: u64,
    /// The person.
    pub patient: PatientId,
    /// Their risk score.
    pub score: u32,
    /// The factors that put them there.
    pub explanation: Explanation,
}

/// The people selected, highest risk first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cohort {
    eligible: u64,
    target: u64,
    cut_off_score: Option<u32>,
    members: Vec<CohortMember>,
}

impl Cohort {
    /// People eligible (by age).
    #[must_use]
    pub const fn eligible(&self) -> u64 {
        self.eligible
    }

    /// How many the rule asked for.
    #[must_use]
    pub const fn target(&self) -> u64 {
        self.target
    }

    /// The lowest score selected, if anyone was.
    #[must_use]
    pub const fn cut_off_score(&self) -> Option<u32> {
        self.cut_off_score
    }

    /// The members, highest risk first.
    #[must_use]
    pub fn members(&self) -> &[CohortMember] {
        &self.members
    }

    /// Whether the rule asked for more people than had a qualifying score.
    #[must_use]
    pub fn is_short(&self) -> bool {
        (self.members.len() as u64) < self.target
    }
}

/// The sort key of the total order: highest score first, then the key, then the
/// rest of the record.
type RankKey = (Reverse<u32>, PatientId, u128);

/// Ranked candidates with their position in the input.
type Ranked = Vec<(RankKey, usize)>;

impl CohortPipeline {
    /// Checks the pipeline's settings.
    ///
    /// # Errors
    /// [`PopulationError::InvalidCohortShare`] if a share is not above 0 and at most
    /// 1; [`PopulationError::RiskWeightsTooLarge`] if the weights can add up to
    /// 2^32 - 2 points or more.
    pub fn validate(&self) -> Result<(), PopulationError> {
        if let CohortSize::TopShare(share) = self.size
            && (share <= Rate::ZERO || share > Rate::ONE)
        {
            return Err(PopulationError::InvalidCohortShare { share });
        }
        if self.score_bound() >= u32::MAX - 1 {
            return Err(PopulationError::RiskWeightsTooLarge {
                bound: self.score_bound(),
            });
        }
        Ok(())
    }

    /// The score and its explanation for one person (whatever their age).
    #[must_use]
    pub fn explain(&self, profile: &RiskProfile) -> Explanation {
        let stratum = Stratifier::new(self.rules).stratum(profile);
        self.explain_with(profile, stratum.frailty_band)
    }

    fn explain_with(
        &self,
        profile: &RiskProfile,
        frailty_band: Option<FrailtyBand>,
    ) -> Explanation {
        let w = &self.weights;
        let conditions = profile.conditions();
        let frailty = match frailty_band {
            None | Some(FrailtyBand::Fit) => 0,
            Some(FrailtyBand::Mild) => w.frailty_band[0],
            Some(FrailtyBand::Moderate) => w.frailty_band[1],
            Some(FrailtyBand::Severe) => w.frailty_band[2],
        };
        let age = match AgeBand::of(profile.age()) {
            AgeBand::From75To84 => w.age_75_to_84,
            AgeBand::From85 => w.age_85_and_over,
            _ => 0,
        };
        let points = [
            frailty,
            w.per_long_term_condition
                .saturating_mul(u32::try_from(conditions.len()).unwrap_or(u32::MAX)),
            if self.rules.is_multimorbid(conditions) {
                w.multimorbidity
            } else {
                0
            },
            age,
            if profile.is_care_home_resident() {
                w.care_home_resident
            } else {
                0
            },
            if profile.is_housebound() {
                w.housebound
            } else {
                0
            },
        ];
        Explanation {
            profile: *profile,
            frailty_band,
            points,
        }
    }

    /// The highest score the weights can give.
    fn score_bound(&self) -> u32 {
        let w = &self.weights;
        let conditions = u32::try_from(crate::Condition::ALL.len()).unwrap_or(u32::MAX);
        [
            w.frailty_band.iter().copied().max().unwrap_or(0),
            w.per_long_term_condition.saturating_mul(conditions),
            w.multimorbidity,
            w.age_75_to_84.max(w.age_85_and_over),
            w.care_home_resident,
            w.housebound,
        ]
        .iter()
        .fold(0u32, |a, b| a.saturating_add(*b))
    }

    /// Counts of each qualifying score (stored as score + 1, 0 for the ineligible),
    /// by dense counting per chunk where the weights keep scores small.
    fn histogram(&self, scores: &[u32]) -> BTreeMap<u32, u64> {
        const CHUNK: usize = 1 << 20;
        let bound = self.score_bound();
        let counts: Vec<Vec<(u32, u64)>> = if bound < 1 << 16 {
            let size = usize::try_from(bound).unwrap_or(0) + 2;
            scores
                .par_chunks(CHUNK)
                .map(|chunk| {
                    let mut dense = vec![0u64; size];
                    for s in chunk {
                        // A stored score is at most bound + 1: the index is in range.
                        if let Some(slot) = dense.get_mut(*s as usize) {
                            *slot += 1;
                        }
                    }
                    (0u32..)
                        .zip(dense)
                        .filter(|(s, c)| *s > 0 && *c > 0)
                        .collect()
                })
                .collect()
        } else {
            scores
                .par_chunks(CHUNK)
                .map(|chunk| {
                    let mut sorted: Vec<u32> = chunk.iter().copied().filter(|s| *s > 0).collect();
                    sorted.sort_unstable();
                    let mut runs: Vec<(u32, u64)> = Vec::new();
                    for s in sorted {
                        match runs.last_mut() {
                            Some((last, count)) if *last == s => *count += 1,
                            _ => runs.push((s, 1)),
                        }
                    }
                    runs
                })
                .collect()
        };
        let mut histogram = BTreeMap::new();
        for (stored, count) in counts.into_iter().flatten() {
            let score = stored - 1;
            if score >= self.minimum_score {
                *histogram.entry(score).or_default() += count;
            }
        }
        histogram
    }

    /// Selects the cohort from `profiles`.
    ///
    /// # Errors
    /// [`PopulationError::InvalidCohortShare`] if the pipeline's share is not above 0
    /// and at most 1; [`PopulationError::RiskWeightsTooLarge`] if the weights can add
    /// up to 2^32 - 2 points or more.
    pub fn select(&self, profiles: &[RiskProfile]) -> Result<Cohort, PopulationError> {
        self.validate()?;
        let stratifier = Stratifier::new(self.rules);
        let score_of = |p: &RiskProfile| -> Option<u32> {
            if p.age() < self.eligible_from_age {
                return None;
            }
            let band = stratifier.stratum(p).frailty_band;
            Some(self.explain_with(p, band).score())
        };

        // Pass 1: every score, once (0 for the ineligible, score + 1 otherwise).
        let scores: Vec<u32> = profiles
            .par_iter()
            .map(|p| score_of(p).map_or(0, |s| s.saturating_add(1)))
            .collect();
        let eligible = scores.par_iter().filter(|s| **s > 0).count() as u64;
        let histogram = self.histogram(&scores);

        let qualifying: u64 = histogram.values().sum();
        let target = match self.size {
            CohortSize::TopShare(share) => {
                // Rounded up: "at least" the share. Share is in (0, 1], so this fits.
                let millionths = u128::try_from(share.millionths()).unwrap_or(0);
                let wanted = (millionths * u128::from(eligible)).div_ceil(1_000_000);
                u64::try_from(wanted).unwrap_or(u64::MAX)
            }
            CohortSize::TopCount(count) => count,
            CohortSize::ScoreAtLeast(score) => histogram.range(score..).map(|(_, c)| c).sum(),
        };
        let take = target.min(qualifying);

        // The cut-off: the lowest score of which at least one person is taken.
        let mut above = 0u64;
        let mut cut_off = None;
        for (score, count) in histogram.iter().rev() {
            if above >= take {
                break;
            }
            cut_off = Some(*score);
            if above + count >= take {
                break;
            }
            above += count;
        }
        let Some(cut_off) = cut_off else {
            return Ok(Cohort {
                eligible,
                target,
                cut_off_score: None,
                members: Vec::new(),
            });
        };

        // Pass 2: everyone above the cut-off, and the ties at it.
        let key =
            |p: &RiskProfile, score: u32| -> RankKey { (Reverse(score), p.patient(), p.packed()) };
        // Collected, then split on one core: the candidates are a few per cent of the
        // population, and a parallel partition's folder is slower on the many skipped.
        let candidates: Ranked = profiles
            .par_iter()
            .zip(scores.par_iter())
            .enumerate()
            .filter_map(|(i, (p, stored))| {
                let score = stored.checked_sub(1)?;
                (score >= cut_off && score >= self.minimum_score).then(|| (key(p, score), i))
            })
            .collect();
        let (mut chosen, mut ties): (Ranked, Ranked) = candidates
            .into_iter()
            .partition(|((Reverse(score), _, _), _)| *score > cut_off);
        let from_ties = usize::try_from(take - above)
            .unwrap_or(usize::MAX)
            .min(ties.len());
        if from_ties < ties.len() {
            ties.select_nth_unstable_by(from_ties, |a, b| a.0.cmp(&b.0));
            ties.truncate(from_ties);
        }
        chosen.append(&mut ties);
        chosen.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));

        let members = chosen
            .into_iter()
            .zip(1u64..)
            .map(|(((Reverse(score), patient, _), i), rank)| {
                let p = &profiles[i];
                CohortMember {
                    rank,
                    patient,
                    score,
                    explanation: self.explain_with(p, stratifier.stratum(p).frailty_band),
                }
            })
            .collect();
        Ok(Cohort {
            eligible,
            target,
            cut_off_score: Some(cut_off),
            members,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Condition, DeficitSet, FrailtyDeficit, Sex};
    use proptest::prelude::*;

    fn profile(id: u128, age: u8, conditions: usize, deficits: usize) -> RiskProfile {
        RiskProfile::new(
            PatientId::from_u128(id),
            age,
            Sex::Female,
            FrailtyDeficit::ALL[..deficits]
                .iter()
                .copied()
                .collect::<DeficitSet>(),
            Condition::ALL[..conditions]
                .iter()
                .copied()
                .collect::<ConditionSet>(),
        )
    }

    #[test]
    fn the_explanation_names_each_factor_and_sums_to_the_score() {
        let p = profile(1, 88, 4, 13).with_care_home_resident(true);
        let e = CohortPipeline::default().explain(&p);
        // severe 35 + 4 conditions 12 + multimorbidity 5 + 85+ 10 + care home 10
        assert_eq!(e.score(), 72);
        let c = e.contributions();
        assert_eq!(c.iter().map(|c| c.points).sum::<u32>(), 72);
        assert!(matches!(
            c[0].factor,
            RiskFactor::Frailty {
                band: FrailtyBand::Severe,
                ..
            }
        ));
        let text = e.to_string();
        assert!(text.contains("severe frailty"), "{text}");
        assert!(text.contains("lives in a care home (+10)"), "{text}");
        let json = serde_json::to_string(&e).unwrap();
        assert!(
            json.contains(r#"{"factor":"care_home_resident","points":10}"#),
            "{json}"
        );
    }

    #[test]
    fn children_are_not_eligible_and_zero_scores_are_not_selected() {
        let people = vec![
            profile(1, 10, 5, 0),
            profile(2, 30, 0, 0),
            profile(3, 40, 1, 0),
        ];
        let pipeline = CohortPipeline {
            size: CohortSize::TopCount(10),
            ..CohortPipeline::default()
        };
        let cohort = pipeline.select(&people).unwrap();
        assert_eq!(cohort.eligible(), 2);
        assert_eq!(cohort.members().len(), 1);
        assert_eq!(cohort.members()[0].patient, PatientId::from_u128(3));
        assert!(cohort.is_short());
    }

    #[test]
    fn two_percent_is_rounded_up() {
        let people: Vec<_> = (0..101).map(|i| profile(i, 50, 1, 0)).collect();
        let cohort = CohortPipeline::default().select(&people).unwrap();
        assert_eq!(cohort.target(), 3); // 2.02 rounded up
        // All tie on score: the lowest ids win.
        let ids: Vec<_> = cohort.members().iter().map(|m| m.patient).collect();
        assert_eq!(ids, [0, 1, 2].map(PatientId::from_u128));
    }

    #[test]
    fn score_threshold_takes_everyone_at_or_above_it() {
        let people: Vec<_> = (0..10)
            .map(|i| profile(i, 50, (i % 4) as usize, 0))
            .collect();
        let pipeline = CohortPipeline {
            size: CohortSize::ScoreAtLeast(6),
            ..CohortPipeline::default()
        };
        let cohort = pipeline.select(&people).unwrap();
        assert!(cohort.members().iter().all(|m| m.score >= 6));
        assert_eq!(cohort.members().len(), 4); // i % 4 in {2, 3}: i = 2, 3, 6, 7
    }

    #[test]
    fn weights_that_could_overflow_the_score_are_rejected() {
        let pipeline = CohortPipeline {
            weights: RiskWeights {
                care_home_resident: u32::MAX / 2,
                housebound: u32::MAX / 2,
                ..RiskWeights::default()
            },
            ..CohortPipeline::default()
        };
        assert!(matches!(
            pipeline.select(&[]),
            Err(PopulationError::RiskWeightsTooLarge { .. })
        ));
    }

    #[test]
    fn a_bad_share_is_rejected() {
        for share in [
            Rate::ZERO,
            Rate::from_millionths(1_000_001),
            Rate::from_millionths(-5),
        ] {
            let pipeline = CohortPipeline {
                size: CohortSize::TopShare(share),
                ..CohortPipeline::default()
            };
            let err = pipeline.select(&[]).unwrap_err();
            assert!(matches!(err, PopulationError::InvalidCohortShare { .. }));
        }
    }

    /// The cohort by brute force: sort everyone by the total order.
    fn brute_force(pipeline: &CohortPipeline, people: &[RiskProfile]) -> Vec<(PatientId, u32)> {
        let mut scored: Vec<_> = people
            .iter()
            .filter(|p| p.age() >= pipeline.eligible_from_age)
            .map(|p| (pipeline.explain(p).score(), p))
            .filter(|(s, _)| *s >= pipeline.minimum_score)
            .collect();
        let eligible = people
            .iter()
            .filter(|p| p.age() >= pipeline.eligible_from_age)
            .count() as u64;
        scored.sort_by_key(|(s, p)| (Reverse(*s), p.patient(), p.packed()));
        let take = match pipeline.size {
            CohortSize::TopShare(r) => {
                (u64::try_from(r.millionths()).unwrap() * eligible).div_ceil(1_000_000)
            }
            CohortSize::TopCount(n) => n,
            CohortSize::ScoreAtLeast(s) => scored.iter().filter(|(x, _)| *x >= s).count() as u64,
        };
        scored
            .iter()
            .take(usize::try_from(take).unwrap())
            .map(|(s, p)| (p.patient(), *s))
            .collect()
    }

    fn population() -> impl Strategy<Value = Vec<RiskProfile>> {
        prop::collection::vec(
            (0u128..40, 0u8..100, 0usize..6, 0usize..16, any::<bool>()),
            0..120,
        )
        .prop_map(|rows| {
            rows.into_iter()
                .map(|(id, age, c, d, home)| profile(id, age, c, d).with_care_home_resident(home))
                .collect()
        })
    }

    fn size() -> impl Strategy<Value = CohortSize> {
        prop_oneof![
            (1i64..=1_000_000).prop_map(|m| CohortSize::TopShare(Rate::from_millionths(m))),
            (0u64..50).prop_map(CohortSize::TopCount),
            (0u32..80).prop_map(CohortSize::ScoreAtLeast),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn selection_is_stable_under_reordering(
            people in population(),
            size in size(),
            seed in any::<u64>(),
            scale in prop_oneof![Just(1u32), Just(1_000u32)],
        ) {
            // Scale 1000 takes scores past the dense histogram's range.
            let w = RiskWeights::default();
            let weights = RiskWeights {
                frailty_band: w.frailty_band.map(|p| p * scale),
                per_long_term_condition: w.per_long_term_condition * scale,
                ..w
            };
            let size = match size {
                CohortSize::ScoreAtLeast(s) => CohortSize::ScoreAtLeast(s * scale),
                other => other,
            };
            let pipeline = CohortPipeline { size, weights, ..CohortPipeline::default() };
            let a = pipeline.select(&people).unwrap();
            let mut shuffled = people.clone();
            // A deterministic shuffle driven by the seed.
            let mut state = seed | 1;
            for i in (1..shuffled.len()).rev() {
                state ^= state << 13; state ^= state >> 7; state ^= state << 17;
                shuffled.swap(i, usize::try_from(state % (i as u64 + 1)).unwrap());
            }
            let b = pipeline.select(&shuffled).unwrap();
            prop_assert_eq!(&a, &b);
            let expected = brute_force(&pipeline, &people);
            let got: Vec<_> = a.members().iter().map(|m| (m.patient, m.score)).collect();
            prop_assert_eq!(got, expected);
            for (i, m) in a.members().iter().enumerate() {
                prop_assert_eq!(m.rank, i as u64 + 1);
                prop_assert_eq!(m.explanation.score(), m.score);
            }
        }
    }
}
