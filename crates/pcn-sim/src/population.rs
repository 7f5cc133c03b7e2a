//! A network's registered population counted by stratum.
//!
//! The simulation needs only how many people are in each stratum (age band, frailty
//! band, care plan): everyone in a stratum has the same rates, and independent
//! Poisson counts add up to a Poisson count, so simulating the counts is exact. The
//! people themselves are `pcn-population`'s compact [`RiskProfile`]s, stratified by
//! its [`Stratifier`] and, for care plans, ranked by its [`CohortPipeline`].

use std::collections::HashSet;

use pcn_core::PatientId;
use pcn_population::{RiskProfile, Stratifier};
use rand::Rng;
use rand_distr::{Binomial, Distribution};
use serde::{Deserialize, Serialize};

use crate::{AgeBand, SimError, Stratum};

/// The largest network the per-network counters support.
pub const MAX_NETWORK_SIZE: u64 = 10_000_000;

/// The people of one network, counted by [`Stratum`].
///
/// ```
/// use pcn_core::PatientId;
/// use pcn_population::{DeficitSet, ConditionSet, FrailtyDeficit, RiskProfile, Sex, Stratifier};
/// use pcn_sim::{AgeBand, PopulationCounts, Stratum};
/// let frail: DeficitSet = FrailtyDeficit::ALL[..14].iter().copied().collect();
/// let people = [
///     RiskProfile::new(PatientId::from_u128(1), 30, Sex::Female, DeficitSet::new(), ConditionSet::new()),
///     RiskProfile::new(PatientId::from_u128(2), 88, Sex::Male, frail, ConditionSet::new()),
/// ];
/// let planned = [PatientId::from_u128(2)].into_iter().collect();
/// let counts = PopulationCounts::from_profiles(&people, &planned, &Stratifier::default());
/// assert_eq!(counts.total(), 2);
/// assert_eq!(counts.care_plans(), 1);
/// let severe = pcn_population::FrailtyBand::Severe;
/// assert_eq!(counts.count(Stratum::new(AgeBand::Age85Plus, Sex::Male, Some(severe), true)), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<StratumCount>", into = "Vec<StratumCount>")]
pub struct PopulationCounts {
    counts: Vec<u32>,
}

/// The number of people in one stratum: the serde form of [`PopulationCounts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StratumCount {
    /// The stratum.
    pub stratum: Stratum,
    /// How many people are in it.
    pub count: u32,
}

impl Default for PopulationCounts {
    fn default() -> Self {
        Self::new()
    }
}

impl PopulationCounts {
    /// No one.
    #[must_use]
    pub fn new() -> Self {
        Self {
            counts: vec![0; Stratum::COUNT],
        }
    }

    /// Counts people by stratum: the rate tables' age band of their age, their eFI
    /// band from `stratifier` (65 and over), and whether they are in `care_plans`.
    /// At most [`MAX_NETWORK_SIZE`] people are counted (callers check the size).
    #[must_use]
    pub fn from_profiles(
        profiles: &[RiskProfile],
        care_plans: &HashSet<PatientId>,
        stratifier: &Stratifier,
    ) -> Self {
        let mut out = Self::new();
        for profile in profiles {
            let band = AgeBand::of(u32::from(profile.age()));
            let frailty = stratifier.stratum(profile).frailty_band;
            let planned = care_plans.contains(&profile.patient());
            let i = Stratum::new(band, profile.sex(), frailty, planned).index();
            out.counts[i] = out.counts[i].saturating_add(1);
        }
        out
    }

    /// Adds `count` people to a stratum.
    ///
    /// # Errors
    /// [`SimError::PopulationTooLarge`] if the network would exceed
    /// [`MAX_NETWORK_SIZE`]; nothing is added then.
    pub fn add(&mut self, stratum: Stratum, count: u32) -> Result<(), SimError> {
        let total = self.total() + u64::from(count);
        if total > MAX_NETWORK_SIZE {
            return Err(SimError::PopulationTooLarge {
                size: total,
                max: MAX_NETWORK_SIZE,
            });
        }
        self.counts[stratum.index()] += count;
        Ok(())
    }

    /// The number of people in a stratum.
    #[must_use]
    pub fn count(&self, stratum: Stratum) -> u32 {
        self.counts[stratum.index()]
    }

    /// Everyone.
    #[must_use]
    pub fn total(&self) -> u64 {
        self.counts.iter().map(|c| u64::from(*c)).sum()
    }

    /// People with a personal care and support plan.
    #[must_use]
    pub fn care_plans(&self) -> u64 {
        self.iter()
            .filter(|(s, _)| s.care_plan())
            .map(|(_, c)| u64::from(c))
            .sum()
    }

    /// The non-empty strata and their counts, in stratum order.
    pub fn iter(&self) -> impl Iterator<Item = (Stratum, u32)> + '_ {
        Stratum::all()
            .map(|s| (s, self.counts[s.index()]))
            .filter(|(_, c)| *c > 0)
    }
}

/// A stratum's emergency admission rate per person per year, before any care plan.
#[must_use]
pub(crate) fn admission_risk(stratum: Stratum, parameters: &crate::Parameters) -> f64 {
    let factor = stratum
        .frailty()
        .map_or(1.0, |f| parameters.frailty_admission_factor(f));
    parameters.admission_rate(stratum.age_band()) * factor
}

/// Below this mean (`n` times the smaller of `p` and `1 - p`), a binomial draw is
/// made by inversion; above it by counting trials or by `rand_distr`'s BTPE sampler.
/// 10 is the threshold Kachitvichyanukul and Schmeiser (1988) suggest, as
/// `rand_distr` uses.
const INVERSION_BELOW_MEAN: f64 = 10.0;

/// Up to this many trials, a draw of mean [`INVERSION_BELOW_MEAN`] or more counts
/// its trials one by one: measured on the real PCN's year, faster than BTPE up to
/// about 100 trials, and no different from 40 to 100.
const COUNTED_TRIALS: u64 = 64;

/// A binomial draw, `n` trials of probability `p` (`p` above one half by symmetry).
///
/// A year makes tens of thousands of draws, most of them small (a day's requests of
/// one pathway split between options, the appointments of one day), and a profile
/// of the real PCN's year found `rand_distr`'s [`Binomial`] set-up (which raises
/// `1 - p` to the power `n` with `powf`, rebuilt for every new `n`) taking two
/// thirds of the time. So, all exact draws from the binomial distribution:
/// - a mean below [`INVERSION_BELOW_MEAN`]: inversion of the cumulative distribution
///   (BINV, Kachitvichyanukul and Schmeiser 1988), `(1 - p)^n` as `exp(n ln(1 - p))`;
/// - else up to [`COUNTED_TRIALS`] trials: each trial one uniform 64-bit draw below
///   `p` scaled to 2^64 (exact to 2^-64);
/// - else `rand_distr`'s [`Binomial`] (BTPE).
pub(crate) fn binomial<R: Rng + ?Sized>(n: u64, p: f64, rng: &mut R) -> u64 {
    if n == 0 || p <= 0.0 || p.is_nan() {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    if p > 0.5 {
        return n - binomial(n, 1.0 - p, rng);
    }
    let trials = n as f64;
    if n <= COUNTED_TRIALS && trials * p >= INVERSION_BELOW_MEAN {
        // `p` is in (0, 1/2]: the product is below 2^64.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let threshold = (p * 18_446_744_073_709_551_616.0) as u64;
        return (0..n).filter(|_| rng.random::<u64>() < threshold).count() as u64;
    }
    if trials * p < INVERSION_BELOW_MEAN {
        let s = p / (1.0 - p);
        let a = (trials + 1.0) * s;
        let mut mass = (trials * (-p).ln_1p()).exp();
        let mut u: f64 = rng.random();
        let mut x = 0u64;
        // The masses sum to 1 but for rounding: past `n` the draw is `n`.
        while u > mass && x < n {
            u -= mass;
            x += 1;
            mass *= a / x as f64 - s;
        }
        return x;
    }
    match Binomial::new(n, p) {
        Ok(d) => d.sample(rng),
        Err(_) => 0,
    }
}

impl TryFrom<Vec<StratumCount>> for PopulationCounts {
    type Error = SimError;

    fn try_from(list: Vec<StratumCount>) -> Result<Self, SimError> {
        let mut population = Self::new();
        for entry in list {
            // Rebuild the stratum so that its frailty agrees with its age band.
            let s = entry.stratum;
            let stratum = Stratum::new(s.age_band(), s.sex(), s.frailty(), s.care_plan());
            population.add(stratum, entry.count)?;
        }
        Ok(population)
    }
}

impl From<PopulationCounts> for Vec<StratumCount> {
    fn from(population: PopulationCounts) -> Self {
        population
            .iter()
            .map(|(stratum, count)| StratumCount { stratum, count })
            .collect()
    }
}

/// `n` as `u32`, saturating; callers keep counts within [`MAX_NETWORK_SIZE`].
pub(crate) fn to_u32(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A non-negative finite float, already rounded, as `u64` (saturating).
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
pub(crate) fn to_u64(x: f64) -> u64 {
    if x.is_nan() || x <= 0.0 {
        0
    } else if x >= u64::MAX as f64 {
        u64::MAX
    } else {
        x as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pcn_population::{FrailtyBand, PopulationGenerator};
    use rand::SeedableRng;

    /// The mean and variance of many draws of `binomial(n, p)` against `np` and
    /// `np(1 - p)`, within 5 standard errors.
    fn check_binomial(n: u64, p: f64) {
        let mut rng = rand_pcg::Pcg64::seed_from_u64(n ^ p.to_bits());
        let draws = 40_000;
        let xs: Vec<f64> = (0..draws)
            .map(|_| binomial(n, p, &mut rng) as f64)
            .collect();
        assert!(xs.iter().all(|x| *x <= n as f64));
        let mean = xs.iter().sum::<f64>() / f64::from(draws);
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / f64::from(draws - 1);
        let (m, v) = (n as f64 * p, n as f64 * p * (1.0 - p));
        let se_mean = (v / f64::from(draws)).sqrt();
        assert!(
            (mean - m).abs() <= 5.0 * se_mean + 1e-12,
            "n {n} p {p}: mean {mean} against {m}"
        );
        // The variance of a sample variance is about 2 v^2 / draws for these sizes.
        let se_var = (2.0 * v * v / f64::from(draws)).sqrt() + v * 0.02;
        assert!(
            (var - v).abs() <= 5.0 * se_var + 1e-12,
            "n {n} p {p}: variance {var} against {v}"
        );
    }

    #[test]
    fn binomial_draws_have_the_binomial_mean_and_variance_in_every_regime() {
        // Counted trials, inversion, BTPE, and p above one half (by symmetry).
        for (n, p) in [
            (1, 0.3),
            (10, 0.05),
            (40, 0.4),
            (64, 0.5),
            (65, 0.1),
            (300, 0.02),
            (1_000, 0.3),
            (5_000, 0.9),
            (30, 0.97),
        ] {
            check_binomial(n, p);
        }
    }

    #[test]
    fn binomial_draws_at_the_edges_are_exact() {
        let mut rng = rand_pcg::Pcg64::seed_from_u64(1);
        assert_eq!(binomial(0, 0.5, &mut rng), 0);
        assert_eq!(binomial(10, 0.0, &mut rng), 0);
        assert_eq!(binomial(10, f64::NAN, &mut rng), 0);
        assert_eq!(binomial(10, 1.0, &mut rng), 10);
        assert_eq!(binomial(u64::MAX / 2, 1e-300, &mut rng), 0);
    }

    #[test]
    fn generated_people_are_counted_by_band_and_frailty() {
        let profiles = PopulationGenerator::england(1).profiles(20_000);
        let counts =
            PopulationCounts::from_profiles(&profiles, &HashSet::new(), &Stratifier::default());
        assert_eq!(counts.total(), 20_000);
        assert_eq!(counts.care_plans(), 0);
        let old: u64 = counts
            .iter()
            .filter(|(s, _)| s.age_band().is_65_or_over())
            .map(|(_, c)| u64::from(c))
            .sum();
        assert!((2_500..5_000).contains(&old), "{old} aged 65+");
        let severe: u64 = counts
            .iter()
            .filter(|(s, _)| s.frailty() == Some(FrailtyBand::Severe))
            .map(|(_, c)| u64::from(c))
            .sum();
        assert!(severe > 0);
    }

    #[test]
    fn serde_round_trips() {
        let profiles = PopulationGenerator::england(3).profiles(1_000);
        let planned: HashSet<PatientId> = profiles.iter().take(20).map(|p| p.patient()).collect();
        let counts = PopulationCounts::from_profiles(&profiles, &planned, &Stratifier::default());
        assert_eq!(counts.care_plans(), 20);
        let json = serde_json::to_string(&counts).unwrap();
        let back: PopulationCounts = serde_json::from_str(&json).unwrap();
        assert_eq!(back, counts);
    }
}
