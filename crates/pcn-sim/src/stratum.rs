//! The strata a population is counted in: age band, frailty and care plan.

use std::fmt;

use pcn_population::{FrailtyBand, Sex};
use serde::{Deserialize, Serialize};

/// An age band as the demand and admission rate tables are laid out: finer than the
/// stratification bands of `pcn-population` (whose [`pcn_population::AgeBand`] names
/// the ages the rules use), because consultation and admission rates change within
/// them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum AgeBand {
    /// Aged 0 to 4.
    #[serde(rename = "0-4")]
    Age0To4,
    /// Aged 5 to 14.
    #[serde(rename = "5-14")]
    Age5To14,
    /// Aged 15 to 24.
    #[serde(rename = "15-24")]
    Age15To24,
    /// Aged 25 to 44.
    #[serde(rename = "25-44")]
    Age25To44,
    /// Aged 45 to 64.
    #[serde(rename = "45-64")]
    Age45To64,
    /// Aged 65 to 74.
    #[serde(rename = "65-74")]
    Age65To74,
    /// Aged 75 to 84.
    #[serde(rename = "75-84")]
    Age75To84,
    /// Aged 85 and over.
    #[serde(rename = "85+")]
    Age85Plus,
}

impl AgeBand {
    /// Every band, youngest first.
    pub const ALL: [AgeBand; 8] = [
        AgeBand::Age0To4,
        AgeBand::Age5To14,
        AgeBand::Age15To24,
        AgeBand::Age25To44,
        AgeBand::Age45To64,
        AgeBand::Age65To74,
        AgeBand::Age75To84,
        AgeBand::Age85Plus,
    ];

    /// The band of a person aged `years`.
    ///
    /// ```
    /// use pcn_sim::AgeBand;
    /// assert_eq!(AgeBand::of(64), AgeBand::Age45To64);
    /// assert_eq!(AgeBand::of(65), AgeBand::Age65To74);
    /// assert_eq!(AgeBand::of(101), AgeBand::Age85Plus);
    /// ```
    #[must_use]
    pub const fn of(years: u32) -> Self {
        match years {
            0..=4 => AgeBand::Age0To4,
            5..=14 => AgeBand::Age5To14,
            15..=24 => AgeBand::Age15To24,
            25..=44 => AgeBand::Age25To44,
            45..=64 => AgeBand::Age45To64,
            65..=74 => AgeBand::Age65To74,
            75..=84 => AgeBand::Age75To84,
            _ => AgeBand::Age85Plus,
        }
    }

    /// The band's position in [`AgeBand::ALL`].
    #[must_use]
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Whether the electronic Frailty Index applies: people aged 65 and over
    /// (`frailty.md`: validated for ages 65-95).
    #[must_use]
    pub const fn is_65_or_over(self) -> bool {
        matches!(
            self,
            AgeBand::Age65To74 | AgeBand::Age75To84 | AgeBand::Age85Plus
        )
    }

    /// The band as written in the parameter file (`85+`).
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            AgeBand::Age0To4 => "0-4",
            AgeBand::Age5To14 => "5-14",
            AgeBand::Age15To24 => "15-24",
            AgeBand::Age25To44 => "25-44",
            AgeBand::Age45To64 => "45-64",
            AgeBand::Age65To74 => "65-74",
            AgeBand::Age75To84 => "75-84",
            AgeBand::Age85Plus => "85+",
        }
    }
}

impl fmt::Display for AgeBand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One value per frailty category, as the parameter file writes them
/// (`{"fit": 1.0, "mild": 1.93, "moderate": 3.04, "severe": 4.73}`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ByFrailty<T> {
    /// For fit people.
    pub fit: T,
    /// For people with mild frailty.
    pub mild: T,
    /// For people with moderate frailty.
    pub moderate: T,
    /// For people with severe frailty.
    pub severe: T,
}

impl<T: Copy> ByFrailty<T> {
    /// The value for a frailty band.
    #[must_use]
    pub const fn get(&self, band: FrailtyBand) -> T {
        match band {
            FrailtyBand::Fit => self.fit,
            FrailtyBand::Mild => self.mild,
            FrailtyBand::Moderate => self.moderate,
            FrailtyBand::Severe => self.severe,
        }
    }
}

/// The stratum a person is counted in: age band of the rate tables, sex (female, or
/// male: the list-size files publish these two, so a person recorded with another or
/// an unknown sex is counted with the male rates), eFI frailty band (65 and over
/// only; [`FrailtyBand`] from `pcn-population`) and whether they have a personal care
/// and support plan.
///
/// Everyone in a stratum has the same rates of demand and admission, so that a
/// population can be simulated from its counts by stratum: the sum of independent
/// Poisson counts is Poisson, so the aggregation is exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Stratum {
    age_band: AgeBand,
    female: bool,
    frailty: Option<FrailtyBand>,
    care_plan: bool,
}

impl Stratum {
    /// The number of strata: (5 under-65 bands plus 3 bands 65+ x 4 frailty
    /// categories) x 2 sexes x 2, laid out as 8 bands x 2 sexes x 5 frailty slots x 2.
    pub const COUNT: usize = 8 * 2 * 5 * 2;

    /// A stratum; the frailty category is dropped under 65, where the eFI does not
    /// apply, and required (fit by default) from 65.
    #[must_use]
    pub const fn new(
        age_band: AgeBand,
        sex: Sex,
        frailty: Option<FrailtyBand>,
        care_plan: bool,
    ) -> Self {
        let frailty = if age_band.is_65_or_over() {
            match frailty {
                Some(f) => Some(f),
                None => Some(FrailtyBand::Fit),
            }
        } else {
            None
        };
        Self {
            age_band,
            female: matches!(sex, Sex::Female),
            frailty,
            care_plan,
        }
    }

    /// The age band.
    #[must_use]
    pub const fn age_band(&self) -> AgeBand {
        self.age_band
    }

    /// The sex whose rates apply: [`Sex::Female`] or [`Sex::Male`].
    #[must_use]
    pub const fn sex(&self) -> Sex {
        if self.female { Sex::Female } else { Sex::Male }
    }

    /// Whether the stratum counts women.
    #[must_use]
    pub const fn is_female(&self) -> bool {
        self.female
    }

    /// The frailty category, for people aged 65 and over.
    #[must_use]
    pub const fn frailty(&self) -> Option<FrailtyBand> {
        self.frailty
    }

    /// Whether people in the stratum have a personal care and support plan.
    #[must_use]
    pub const fn care_plan(&self) -> bool {
        self.care_plan
    }

    /// The stratum's position in a dense table of [`Stratum::COUNT`] slots.
    #[must_use]
    pub const fn index(&self) -> usize {
        let frailty = match self.frailty {
            None => 0,
            Some(f) => f as usize + 1,
        };
        ((self.age_band.index() * 2 + self.female as usize) * 5 + frailty) * 2
            + self.care_plan as usize
    }

    /// Every valid stratum, in index order.
    pub fn all() -> impl Iterator<Item = Stratum> {
        AgeBand::ALL.into_iter().flat_map(|band| {
            let frailties: &'static [Option<FrailtyBand>] = if band.is_65_or_over() {
                &[
                    Some(FrailtyBand::Fit),
                    Some(FrailtyBand::Mild),
                    Some(FrailtyBand::Moderate),
                    Some(FrailtyBand::Severe),
                ]
            } else {
                &[None]
            };
            [Sex::Male, Sex::Female].into_iter().flat_map(move |sex| {
                frailties.iter().flat_map(move |f| {
                    [false, true]
                        .into_iter()
                        .map(move |plan| Stratum::new(band, sex, *f, plan))
                })
            })
        })
    }

    /// The same stratum with or without a care plan.
    #[must_use]
    pub const fn with_care_plan(self, care_plan: bool) -> Self {
        Self { care_plan, ..self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strata_indices_are_distinct_and_in_range() {
        let mut seen = [false; Stratum::COUNT];
        for stratum in Stratum::all() {
            let i = stratum.index();
            assert!(!seen[i], "{stratum:?} repeats index {i}");
            seen[i] = true;
        }
        assert_eq!(seen.iter().filter(|s| **s).count(), (5 + 3 * 4) * 2 * 2);
    }

    #[test]
    fn frailty_applies_only_from_65() {
        let young = Stratum::new(
            AgeBand::Age45To64,
            Sex::Male,
            Some(FrailtyBand::Severe),
            false,
        );
        assert_eq!(young.frailty(), None);
        let old = Stratum::new(AgeBand::Age85Plus, Sex::Female, None, false);
        assert_eq!(old.sex(), Sex::Female);
        assert_eq!(old.frailty(), Some(FrailtyBand::Fit));
    }
}
