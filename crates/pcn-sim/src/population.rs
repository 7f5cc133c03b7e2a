//! A network's registered population counted by stratum.
//!
//! The simulation needs only how many people are in each stratum (age band, frailty,
//! care plan): everyone in a stratum has the same rates, and independent Poisson
//! counts add up to a Poisson count, so simulating the counts is exact.

use rand::Rng;
use rand_distr::{Binomial, Distribution};
use serde::{Deserialize, Serialize};

use crate::{AgeBand, Frailty, Parameters, SimError, Stratum};

/// The largest network the per-network counters support.
pub const MAX_NETWORK_SIZE: u64 = 10_000_000;

/// The people of one network, counted by [`Stratum`].
///
/// ```
/// use pcn_sim::{AgeBand, Frailty, PopulationCounts, Stratum};
/// let mut population = PopulationCounts::new();
/// population.add(Stratum::new(AgeBand::Age25To44, None, false), 900)?;
/// population.add(Stratum::new(AgeBand::Age85Plus, Some(Frailty::Severe), false), 100)?;
/// assert_eq!(population.total(), 1_000);
/// let with_plans = population.with_care_plans(0.02, &pcn_sim::Parameters::published()?);
/// assert_eq!(with_plans.care_plans(), 20);
/// # Ok::<(), Box<dyn std::error::Error>>(())
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

    /// A synthetic population of `size` people with the parameters' age structure and,
    /// from 65, the published frailty shares: for examples and benches where no real
    /// population is at hand.
    ///
    /// # Errors
    /// [`SimError::EmptyPopulation`] for a size of 0, [`SimError::PopulationTooLarge`]
    /// above [`MAX_NETWORK_SIZE`].
    pub fn synthetic<R: Rng + ?Sized>(
        size: u64,
        parameters: &Parameters,
        rng: &mut R,
    ) -> Result<Self, SimError> {
        if size == 0 {
            return Err(SimError::EmptyPopulation { size });
        }
        if size > MAX_NETWORK_SIZE {
            return Err(SimError::PopulationTooLarge {
                size,
                max: MAX_NETWORK_SIZE,
            });
        }
        let bands: Vec<f64> = AgeBand::ALL.iter().map(|b| parameters.age_share(*b)).collect();
        let by_band = multinomial(size, &bands, rng);
        let shares = parameters.frailty_shares();
        let frailty: Vec<f64> = Frailty::ALL.iter().map(|f| shares.get(*f)).collect();
        let mut population = Self::new();
        for (band, n) in AgeBand::ALL.into_iter().zip(by_band) {
            if band.is_65_or_over() {
                for (f, m) in Frailty::ALL.into_iter().zip(multinomial(n, &frailty, rng)) {
                    population.add(Stratum::new(band, Some(f), false), to_u32(m))?;
                }
            } else {
                population.add(Stratum::new(band, None, false), to_u32(n))?;
            }
        }
        Ok(population)
    }

    /// The same population with personal care and support plans for the `share` of
    /// people at highest risk of an emergency admission (risk = the stratum's
    /// admission rate from the parameters: age band and frailty), highest first; the
    /// number of plans is `share` of the population, rounded half up. Plans already
    /// given are kept and counted.
    #[must_use]
    pub fn with_care_plans(&self, share: f64, parameters: &Parameters) -> Self {
        let total = self.total();
        let target = (share.clamp(0.0, 1.0) * total as f64 + 0.5).floor();
        let mut remaining = to_u64(target).saturating_sub(self.care_plans());
        let mut strata: Vec<(Stratum, f64)> = Stratum::all()
            .filter(|s| !s.care_plan())
            .map(|s| (s, admission_risk(s, parameters)))
            .collect();
        // Highest risk first; ties by stratum order, so the choice is reproducible.
        strata.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut out = self.clone();
        for (stratum, _) in strata {
            if remaining == 0 {
                break;
            }
            let available = out.counts[stratum.index()];
            let take = to_u32(remaining.min(u64::from(available)));
            out.counts[stratum.index()] -= take;
            out.counts[stratum.with_care_plan(true).index()] += take;
            remaining -= u64::from(take);
        }
        out
    }
}

/// A stratum's emergency admission rate per person per year, before any care plan.
#[must_use]
pub(crate) fn admission_risk(stratum: Stratum, parameters: &Parameters) -> f64 {
    let factor = stratum
        .frailty()
        .map_or(1.0, |f| parameters.frailty_admission_factor(f));
    parameters.admission_rate(stratum.age_band()) * factor
}

/// Splits `n` into parts by `shares` (which add up to 1) by successive binomial draws.
fn multinomial<R: Rng + ?Sized>(n: u64, shares: &[f64], rng: &mut R) -> Vec<u64> {
    let mut out = Vec::with_capacity(shares.len());
    let mut remaining = n;
    let mut mass = 1.0;
    for (i, share) in shares.iter().enumerate() {
        if i + 1 == shares.len() {
            out.push(remaining);
            break;
        }
        let p = if mass > 0.0 { (share / mass).clamp(0.0, 1.0) } else { 0.0 };
        let k = binomial(remaining, p, rng);
        out.push(k);
        remaining -= k;
        mass -= share;
    }
    out
}

/// A binomial draw, `n` trials of probability `p`.
pub(crate) fn binomial<R: Rng + ?Sized>(n: u64, p: f64, rng: &mut R) -> u64 {
    if n == 0 || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
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
            let stratum = Stratum::new(s.age_band(), s.frailty(), s.care_plan());
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

/// `n` as `u32`; callers keep counts within [`MAX_NETWORK_SIZE`].
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
    use rand::SeedableRng;
    use rand_pcg::Pcg64;

    #[test]
    fn synthetic_population_has_the_size_asked_for() {
        let p = Parameters::published().unwrap();
        let mut rng = Pcg64::seed_from_u64(1);
        let pop = PopulationCounts::synthetic(50_000, &p, &mut rng).unwrap();
        assert_eq!(pop.total(), 50_000);
        let old: u64 = pop
            .iter()
            .filter(|(s, _)| s.age_band().is_65_or_over())
            .map(|(_, c)| u64::from(c))
            .sum();
        assert!((8_500..10_500).contains(&old), "{old} aged 65+");
        assert!(PopulationCounts::synthetic(0, &p, &mut rng).is_err());
    }

    #[test]
    fn care_plans_go_to_the_highest_risk_first() {
        let p = Parameters::published().unwrap();
        let mut rng = Pcg64::seed_from_u64(2);
        let pop = PopulationCounts::synthetic(50_000, &p, &mut rng).unwrap();
        let planned = pop.with_care_plans(0.02, &p);
        assert_eq!(planned.care_plans(), 1_000);
        assert_eq!(planned.total(), pop.total());
        let severe_85 = Stratum::new(AgeBand::Age85Plus, Some(Frailty::Severe), false);
        assert_eq!(planned.count(severe_85), 0, "the highest-risk stratum is planned first");
        let young = Stratum::new(AgeBand::Age25To44, None, true);
        assert_eq!(planned.count(young), 0);
    }

    #[test]
    fn serde_round_trips() {
        let p = Parameters::published().unwrap();
        let mut rng = Pcg64::seed_from_u64(3);
        let pop = PopulationCounts::synthetic(1_000, &p, &mut rng).unwrap().with_care_plans(0.02, &p);
        let json = serde_json::to_string(&pop).unwrap();
        let back: PopulationCounts = serde_json::from_str(&json).unwrap();
        assert_eq!(back, pop);
    }
}
