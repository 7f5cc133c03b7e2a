//! Deprivation and emergency admissions.
//!
//! People in more deprived areas are admitted to hospital as an emergency more
//! often: 139.6 emergency admissions per 1,000 in England's most deprived tenth of
//! areas against 85.5 in the least deprived (NHS England, Hospital Admitted Patient
//! Care Activity 2022-23, summary table 4: finished admission episodes by IMD
//! decile, over the ONS population of each decile). Those are crude rates: the most
//! deprived areas are also younger, so part of the gradient is hidden by age.
//!
//! The model takes the effect as a ratio for each **tenth of England's registered
//! patients** ranked by their practice's deprivation score (OHID Fingertips
//! indicator 94240, the IMD 2025 score of the practice's registered population):
//! the tenth's published admissions over those its own age structure gives at
//! England's rates by age band ([`fit_deprivation`]). A network's emergency
//! admissions are its age and frailty rates times the ratio of its patients' tenths
//! ([`NetworkDeprivation::admission_ratio`]); a network whose practices have no
//! score, or a synthetic one, takes England's average (a ratio of 1).
//!
//! A practice's population is not an area's: ranking practices stands in for ranking
//! areas, and a practice is placed whole in one tenth. No published effect of
//! deprivation on GP consultations was found, so consultations follow age, sex and
//! frailty alone.

use pcn_core::OdsCode;
use serde::{Deserialize, Serialize};

use crate::parameters::Sourced;
use crate::{AgeBand, Parameters, SimError};

/// Tenths of England's registered patients by their practice's deprivation.
pub const TENTHS: usize = 10;

/// The deprivation parameters of emergency admissions, most deprived tenth first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeprivationParameters {
    /// Emergency admissions per person a year in each tenth of England's areas by
    /// IMD decile, most deprived first (published).
    pub observed_admissions: Sourced<[f64; TENTHS]>,
    /// The practice deprivation scores that divide England's registered patients
    /// into tenths, most deprived first: a practice scoring at or above the first
    /// cut is in the first tenth, and so on (fitted, [`fit_deprivation`]).
    pub score_cuts: Sourced<[f64; TENTHS - 1]>,
    /// Each tenth's admissions over those its age structure gives at England's
    /// rates by age band (fitted, [`fit_deprivation`]).
    pub admission_ratios: Sourced<[f64; TENTHS]>,
}

impl DeprivationParameters {
    /// The tenth (0, most deprived, to 9) of a practice with deprivation score
    /// `score`.
    #[must_use]
    pub fn tenth(&self, score: f64) -> usize {
        self.score_cuts
            .value
            .iter()
            .take_while(|cut| score < **cut)
            .count()
    }
}

/// A network's patients by the deprivation tenth of their practice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkDeprivation {
    /// Patients by tenth, most deprived first.
    pub patients_by_tenth: [u64; TENTHS],
    /// Patients of practices with no published score, taken at England's average.
    pub unscored_patients: u64,
    /// The practices with no published score.
    pub unscored_practices: Vec<OdsCode>,
    /// The patient-weighted mean deprivation score of the scored practices.
    pub mean_score: Option<f64>,
    /// The file the scores came from.
    pub file: String,
}

impl NetworkDeprivation {
    /// Places each practice `(code, patients, score)` in its tenth.
    #[must_use]
    pub fn of_practices(
        practices: &[(OdsCode, u64, Option<f64>)],
        parameters: &Parameters,
        file: &str,
    ) -> Self {
        let mut patients_by_tenth = [0u64; TENTHS];
        let mut unscored_patients = 0;
        let mut unscored_practices = Vec::new();
        let (mut weighted, mut scored) = (0.0, 0u64);
        for (code, patients, score) in practices {
            match score {
                Some(s) if s.is_finite() => {
                    patients_by_tenth[parameters.deprivation().tenth(*s)] += patients;
                    weighted += s * *patients as f64;
                    scored += patients;
                }
                _ => {
                    unscored_patients += patients;
                    unscored_practices.push(*code);
                }
            }
        }
        Self {
            patients_by_tenth,
            unscored_patients,
            unscored_practices,
            mean_score: (scored > 0).then(|| weighted / scored as f64),
            file: file.to_owned(),
        }
    }

    /// The ratio of the network's emergency admissions to those of people of the
    /// same age and frailty in England as a whole: its patients' tenths' ratios,
    /// weighted by patients (unscored patients at 1).
    #[must_use]
    pub fn admission_ratio(&self, parameters: &Parameters) -> f64 {
        let ratios = parameters.deprivation().admission_ratios.value;
        let total: u64 = self.patients_by_tenth.iter().sum::<u64>() + self.unscored_patients;
        if total == 0 {
            return 1.0;
        }
        let weighted: f64 = self
            .patients_by_tenth
            .iter()
            .zip(ratios)
            .map(|(p, r)| *p as f64 * r)
            .sum::<f64>()
            + self.unscored_patients as f64;
        weighted / total as f64
    }
}

impl std::fmt::Display for NetworkDeprivation {
    /// "mean IMD 2025 score 26.9 (FILE); patients by England's tenths, most
    /// deprived first: tenth 2 14572, tenth 3 19699", and the practices with no
    /// score, if any.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.mean_score {
            Some(score) => write!(f, "mean IMD 2025 score {score:.1}")?,
            None => write!(f, "no IMD score")?,
        }
        write!(
            f,
            " ({}); patients by England's tenths, most deprived first:",
            self.file
        )?;
        let mut first = true;
        for (t, p) in self
            .patients_by_tenth
            .iter()
            .enumerate()
            .filter(|(_, p)| **p > 0)
        {
            write!(f, "{} tenth {} {p}", if first { "" } else { "," }, t + 1)?;
            first = false;
        }
        if !self.unscored_practices.is_empty() {
            write!(f, "; no score for")?;
            for (i, code) in self.unscored_practices.iter().enumerate() {
                write!(f, "{} {code}", if i == 0 { "" } else { "," })?;
            }
            write!(f, " (England's average taken)")?;
        }
        Ok(())
    }
}

/// One practice as the deprivation fit takes it: its score and its patients by the
/// model's age bands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoredPractice {
    /// The practice's deprivation score.
    pub score: f64,
    /// Its registered patients by age band, in [`AgeBand::ALL`] order.
    pub patients_by_band: [u64; 8],
}

/// The fitted tenths: where they are cut, each tenth's patients, admissions
/// expected from its ages and published, and the ratio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeprivationFit {
    /// The scores that cut the tenths, most deprived first.
    pub score_cuts: [f64; TENTHS - 1],
    /// Patients by tenth.
    pub patients: [u64; TENTHS],
    /// Emergency admissions per person a year each tenth's age structure gives at
    /// England's rates by age band.
    pub expected: [f64; TENTHS],
    /// The published admissions per person a year of each tenth.
    pub observed: [f64; TENTHS],
    /// `observed / expected`.
    pub ratios: [f64; TENTHS],
}

/// Fits the deprivation tenths: practices ranked by score, most deprived first, and
/// cut into tenths of the patients (each practice whole, in the tenth where its
/// first patient falls); each tenth's ratio is its published admissions per person
/// over those its age structure gives at `parameters`' rates by age band.
///
/// ```
/// use pcn_sim::{Parameters, ScoredPractice, fit_deprivation};
/// let parameters = Parameters::published()?;
/// // Ten practices of equal size and ages, one a tenth: each ratio is the
/// // tenth's published rate over England's age-band rates.
/// let practices: Vec<ScoredPractice> = (0..10)
///     .map(|i| ScoredPractice { score: 50.0 - f64::from(i), patients_by_band: [100; 8] })
///     .collect();
/// let fit = fit_deprivation(&practices, &parameters)?;
/// assert_eq!(fit.patients, [800; 10]);
/// assert!(fit.ratios[0] > fit.ratios[9]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`SimError::ParameterOutOfRange`] if a score is not finite or a tenth has no
/// patients (fewer practices than tenths, or one practice holding more than a
/// tenth of all patients next to an empty tenth).
pub fn fit_deprivation(
    practices: &[ScoredPractice],
    parameters: &Parameters,
) -> Result<DeprivationFit, SimError> {
    if let Some(p) = practices.iter().find(|p| !p.score.is_finite()) {
        return Err(SimError::ParameterOutOfRange {
            name: "practice deprivation score".into(),
            value: p.score,
            expected: "a finite score",
        });
    }
    let mut ranked: Vec<&ScoredPractice> = practices.iter().collect();
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score));
    let total: u64 = ranked
        .iter()
        .map(|p| p.patients_by_band.iter().sum::<u64>())
        .sum();
    let mut score_cuts = [f64::NEG_INFINITY; TENTHS - 1];
    let mut patients = [0u64; TENTHS];
    let mut expected_admissions = [0.0; TENTHS];
    let mut before = 0u64;
    for practice in ranked {
        // The tenth of the practice's first patient.
        let tenth = usize::try_from(before.saturating_mul(TENTHS as u64) / total.max(1))
            .unwrap_or(TENTHS - 1)
            .min(TENTHS - 1);
        let size: u64 = practice.patients_by_band.iter().sum();
        patients[tenth] += size;
        for (band, n) in AgeBand::ALL.iter().zip(practice.patients_by_band) {
            expected_admissions[tenth] += n as f64 * parameters.admission_rate(*band);
        }
        // A tenth's cut is the lowest score in it.
        if tenth < TENTHS - 1 {
            score_cuts[tenth] = practice.score;
        }
        before += size;
    }
    let observed = parameters.deprivation().observed_admissions.value;
    let mut expected = [0.0; TENTHS];
    let mut ratios = [0.0; TENTHS];
    for t in 0..TENTHS {
        if patients[t] == 0 {
            return Err(SimError::ParameterOutOfRange {
                name: format!("patients of deprivation tenth {}", t + 1),
                value: 0.0,
                expected: "patients in every tenth",
            });
        }
        expected[t] = expected_admissions[t] / patients[t] as f64;
        ratios[t] = observed[t] / expected[t];
    }
    Ok(DeprivationFit {
        score_cuts,
        patients,
        expected,
        observed,
        ratios,
    })
}

/// The practices' deprivation scores of one file, by practice code: read once,
/// looked up for every network.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PracticeScores {
    /// The file the scores came from.
    pub file: String,
    /// Each practice's score.
    pub by_practice: std::collections::HashMap<OdsCode, f64>,
}

impl PracticeScores {
    /// The scores of `records`, read from `file` (a practice listed twice keeps its
    /// last score).
    #[must_use]
    pub fn from_records(records: &[pcn_ods::DeprivationRecord], file: &str) -> Self {
        Self {
            file: file.to_owned(),
            by_practice: records.iter().map(|r| (r.practice, r.score)).collect(),
        }
    }

    /// The score of `practice`, if the file gives one.
    #[must_use]
    pub fn score(&self, practice: &OdsCode) -> Option<f64> {
        self.by_practice.get(practice).copied()
    }
}

/// Every practice of `lists` with a score in `scores`, as the fit takes it; the
/// practices without a score are counted in the second value.
///
/// ```
/// use pcn_ods::{AgeSexLists, DataFile, DataFolder, ReadOptions, read_deprivation};
/// use pcn_sim::PracticeScores;
/// let folder = DataFolder::find(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"))?;
/// let lists = AgeSexLists::read(folder.open(DataFile::QuinaryAge)?)?;
/// let scores = read_deprivation(folder.open(DataFile::Deprivation)?, &ReadOptions::default())?;
/// let scores = PracticeScores::from_records(&scores.records, "imd.csv");
/// let (scored, unscored) = pcn_sim::scored_practices(&lists, &scores);
/// assert!(scored.len() > 150);
/// assert!(unscored < 10);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn scored_practices(
    lists: &pcn_ods::AgeSexLists,
    scores: &PracticeScores,
) -> (Vec<ScoredPractice>, usize) {
    let mut scored = Vec::new();
    let mut unscored = 0;
    for org in lists.of_type(pcn_ods::OrgType::Practice) {
        match org.org.and_then(|code| scores.score(&code)) {
            Some(score) => scored.push(ScoredPractice {
                score,
                patients_by_band: by_model_band(&org.structure),
            }),
            None => unscored += 1,
        }
    }
    (scored, unscored)
}

/// A practice's patients by the model's age bands.
fn by_model_band(structure: &pcn_ods::AgeSexStructure) -> [u64; 8] {
    let mut out = [0u64; 8];
    for band in pcn_ods::AgeBand::all() {
        out[AgeBand::of(u32::from(band.lower())).index()] += structure.band(band);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parameters() -> Parameters {
        Parameters::published().unwrap()
    }

    #[test]
    fn a_score_falls_in_the_tenth_its_cuts_give() {
        let p = parameters();
        let d = p.deprivation();
        let cuts = d.score_cuts.value;
        assert_eq!(d.tenth(cuts[0] + 10.0), 0);
        assert_eq!(d.tenth(cuts[0]), 0);
        assert_eq!(d.tenth(cuts[0] - 0.001), 1);
        assert_eq!(d.tenth(cuts[8]), 8);
        assert_eq!(d.tenth(0.0), 9);
    }

    #[test]
    fn a_network_ratio_weights_its_tenths_by_patients_and_unscored_at_one() {
        let p = parameters();
        let ratios = p.deprivation().admission_ratios.value;
        let code = |s: &str| s.parse::<OdsCode>().unwrap();
        let most = p.deprivation().score_cuts.value[0] + 1.0;
        let d = NetworkDeprivation::of_practices(
            &[
                (code("F83004"), 3_000, Some(most)),
                (code("F83008"), 1_000, Some(0.5)),
                (code("F83010"), 1_000, None),
            ],
            &p,
            "scores.csv",
        );
        assert_eq!(d.patients_by_tenth[0], 3_000);
        assert_eq!(d.patients_by_tenth[9], 1_000);
        assert_eq!(d.unscored_patients, 1_000);
        assert_eq!(d.unscored_practices, vec![code("F83010")]);
        let expected = (3_000.0 * ratios[0] + 1_000.0 * ratios[9] + 1_000.0) / 5_000.0;
        assert!((d.admission_ratio(&p) - expected).abs() < 1e-12);
        assert!((d.mean_score.unwrap() - (3_000.0 * most + 500.0) / 4_000.0).abs() < 1e-9);
    }

    #[test]
    fn the_fit_divides_published_by_expected_tenth_by_tenth() {
        let p = parameters();
        // Twenty practices, two a tenth; the younger practices are the deprived.
        let practices: Vec<ScoredPractice> = (0..20u32)
            .map(|i| {
                // Equal sizes, older as the score falls.
                let mut bands = [100u64; 8];
                bands[7] = u64::from(i) * 10;
                bands[0] = 200 - u64::from(i) * 10;
                ScoredPractice {
                    score: 60.0 - f64::from(i),
                    patients_by_band: bands,
                }
            })
            .collect();
        let fit = fit_deprivation(&practices, &p).unwrap();
        for t in 0..TENTHS {
            let (a, b) = (&practices[2 * t], &practices[2 * t + 1]);
            let patients: u64 = a.patients_by_band.iter().chain(&b.patients_by_band).sum();
            assert_eq!(fit.patients[t], patients);
            let admissions: f64 = AgeBand::ALL
                .iter()
                .enumerate()
                .map(|(i, band)| {
                    (a.patients_by_band[i] + b.patients_by_band[i]) as f64 * p.admission_rate(*band)
                })
                .sum();
            let expected = admissions / patients as f64;
            assert!((fit.expected[t] - expected).abs() < 1e-12);
            let published = p.deprivation().observed_admissions.value[t];
            assert!((fit.ratios[t] - published / expected).abs() < 1e-12);
        }
        // Each cut is the lowest score in its tenth.
        assert_eq!(fit.score_cuts[0], 59.0);
        assert_eq!(fit.score_cuts[8], 43.0);
    }

    #[test]
    fn a_fit_with_an_empty_tenth_or_a_score_that_is_not_a_number_is_refused() {
        let p = parameters();
        let one = |score| ScoredPractice {
            score,
            patients_by_band: [10; 8],
        };
        let err = fit_deprivation(&[one(10.0), one(20.0)], &p).unwrap_err();
        assert!(err.to_string().contains("tenth"), "{err}");
        let err = fit_deprivation(&[one(f64::NAN)], &p).unwrap_err();
        assert!(err.to_string().contains("deprivation score"), "{err}");
    }

    #[test]
    fn the_published_ratios_keep_england_near_its_published_rate() {
        // Tenths of equal patients give the mean of the published rates: 104.9 per
        // 1,000 against England's 107.1, which weights the deciles by their ONS
        // populations (5.44 to 5.83 million) and counts residents, not patients.
        let p = parameters();
        let observed = p.deprivation().observed_admissions.value;
        let mean = observed.iter().sum::<f64>() / TENTHS as f64;
        assert!((mean / 0.1071 - 1.0).abs() < 0.025, "{mean}");
        let ratios = p.deprivation().admission_ratios.value;
        assert!(ratios.windows(2).all(|w| w[0] > w[1]), "{ratios:?}");
    }
}
