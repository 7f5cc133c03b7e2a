//! Travel: where patients live and where workers start from, and how long the road
//! between them takes.

use std::collections::HashMap;

use pcn_core::{Basis, Location, PatientId, StaffId, TeamId};
use serde::{Deserialize, Serialize};

use crate::TeamError;

/// How travel time is estimated from two points: the straight-line (great-circle)
/// distance, times a road factor for the detours of the road network, at an average
/// speed; and how many visits make a typical day's round.
///
/// | parameter | default | basis |
/// |---|---|---|
/// | [`road_factor_hundredths`](Self::road_factor_hundredths) | 140 (road distance 1.40 times the straight line) | assumption, plausible range 1.20 to 1.60. Boscoe, Henry and Zdeb, "A nationwide comparison of driving distance versus straight-line distance to hospitals", *The Professional Geographer* 64(2), 2012, found road and straight-line distance very highly correlated (r² > 0.9), which is what makes a single factor usable; no English community-nursing figure was found |
/// | [`speed_kmh`](Self::speed_kmh) | 20 km/h door to door | assumption for urban home visiting by car, parking included, plausible range 15 to 40 km/h (lower in inner London, higher in rural areas); no published figure for community staff was found |
/// | [`visits_per_day`](Self::visits_per_day) | 6 | assumption, plausible range 4 to 10; no national figure for home visits a day per community nurse was found |
///
/// Each is a parameter: set the figures of the area when they are known.
///
/// ```
/// use pcn_core::Location;
/// use pcn_team::TravelAssumptions;
/// let travel = TravelAssumptions::default();
/// let whetstone = Location::new(51.6243, -0.1591)?;
/// let finchley = Location::new(51.5996, -0.1932)?;
/// // About 3.6 km apart in a straight line: 5 km by road at 20 km/h is 15 minutes.
/// let minutes = travel.seconds(whetstone, finchley) / 60;
/// assert!((14..=16).contains(&minutes));
/// assert!(travel.basis().iter().all(|(_, basis)| basis.is_assumption()));
/// assert!(TravelAssumptions::default().with_speed_kmh(0).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TravelAssumptions {
    road_factor_hundredths: u32,
    speed_kmh: u32,
    visits_per_day: u32,
}

impl Default for TravelAssumptions {
    fn default() -> Self {
        Self {
            road_factor_hundredths: 140,
            speed_kmh: 20,
            visits_per_day: 6,
        }
    }
}

impl TravelAssumptions {
    /// The road distance per straight-line distance, in hundredths (140 is 1.40).
    #[must_use]
    pub const fn road_factor_hundredths(&self) -> u32 {
        self.road_factor_hundredths
    }

    /// The average speed door to door, in km/h.
    #[must_use]
    pub const fn speed_kmh(&self) -> u32 {
        self.speed_kmh
    }

    /// The home visits of a typical day's round.
    #[must_use]
    pub const fn visits_per_day(&self) -> u32 {
        self.visits_per_day
    }

    /// The assumptions with another road factor, in hundredths.
    ///
    /// # Errors
    /// [`TeamError::InvalidParameter`] unless it is from 100 (a straight road) to 400.
    pub fn with_road_factor_hundredths(self, hundredths: u32) -> Result<Self, TeamError> {
        if !(100..=400).contains(&hundredths) {
            return Err(TeamError::InvalidParameter {
                parameter: "road factor",
                value: format!("{hundredths} hundredths"),
                reason: "must be from 100 (a straight road) to 400 hundredths of the straight-line distance",
            });
        }
        Ok(Self {
            road_factor_hundredths: hundredths,
            ..self
        })
    }

    /// The assumptions with another average speed.
    ///
    /// # Errors
    /// [`TeamError::InvalidParameter`] unless it is from 1 to 130 km/h.
    pub fn with_speed_kmh(self, speed_kmh: u32) -> Result<Self, TeamError> {
        if !(1..=130).contains(&speed_kmh) {
            return Err(TeamError::InvalidParameter {
                parameter: "travel speed",
                value: format!("{speed_kmh} km/h"),
                reason: "must be from 1 to 130 km/h",
            });
        }
        Ok(Self { speed_kmh, ..self })
    }

    /// The assumptions with another number of visits in a day's round.
    ///
    /// # Errors
    /// [`TeamError::InvalidParameter`] unless it is from 1 to 30.
    pub fn with_visits_per_day(self, visits: u32) -> Result<Self, TeamError> {
        if !(1..=30).contains(&visits) {
            return Err(TeamError::InvalidParameter {
                parameter: "visits per day",
                value: visits.to_string(),
                reason: "must be from 1 to 30 visits in a day's round",
            });
        }
        Ok(Self {
            visits_per_day: visits,
            ..self
        })
    }

    /// The estimated travel time from `from` to `to`, in whole seconds.
    #[must_use]
    pub fn seconds(&self, from: Location, to: Location) -> u32 {
        // metres x factor/100 at speed km/h: seconds = metres x factor x 3.6 / (100 x speed).
        let metres = u64::from(from.distance_m(to));
        let seconds = metres * u64::from(self.road_factor_hundredths) * 36
            / (1_000 * u64::from(self.speed_kmh));
        u32::try_from(seconds).unwrap_or(u32::MAX)
    }

    /// Where each figure comes from, by parameter name.
    #[must_use]
    pub fn basis(&self) -> Vec<(&'static str, Basis)> {
        vec![
            (
                "road_factor",
                Basis::Assumption {
                    note: "road distance 1.40 times the straight line (plausible 1.20 to 1.60); \
                           Boscoe, Henry and Zdeb, Professional Geographer 64(2), 2012, show the two \
                           very highly correlated"
                        .to_owned(),
                },
            ),
            (
                "speed_kmh",
                Basis::Assumption {
                    note: "20 km/h door to door for urban home visits (plausible 15 to 40); no \
                           published figure for community staff found"
                        .to_owned(),
                },
            ),
            (
                "visits_per_day",
                Basis::Assumption {
                    note: "6 home visits in a day's round (plausible 4 to 10); no national figure \
                           found"
                        .to_owned(),
                },
            ),
        ]
    }
}

/// Where patients live and where workers start their rounds: a patient's home, and a
/// worker's base given for the worker or, failing that, for their team (a practice's
/// published location, such as those of `london-practices-2022.csv` read by
/// `pcn_ods::read_locations`, or any point the caller gives).
///
/// Anyone without a place simply has no travel estimate: placement then ignores
/// travel for them. Serde uses `homes`, `staff_bases` and `team_bases`, each a map
/// from id to `{"latitude": .., "longitude": ..}`.
///
/// ```
/// use pcn_core::{Location, PatientId, StaffId, TeamId};
/// use pcn_team::Places;
/// let team = TeamId::from_u128(1);
/// let places = Places::new()
///     .with_home(PatientId::from_u128(2), Location::new(51.60, -0.19)?)
///     .with_team_base(team, Location::new(51.62, -0.16)?);
/// assert!(places.base(team, StaffId::from_u128(3)).is_some());
/// assert!(places.home(PatientId::from_u128(4)).is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Places {
    #[serde(default)]
    homes: HashMap<PatientId, Location>,
    #[serde(default)]
    staff_bases: HashMap<StaffId, Location>,
    #[serde(default)]
    team_bases: HashMap<TeamId, Location>,
}

impl Places {
    /// No places known.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// With `patient` living at `home`.
    #[must_use]
    pub fn with_home(mut self, patient: PatientId, home: Location) -> Self {
        self.homes.insert(patient, home);
        self
    }

    /// With `staff` starting their rounds from `base`, in every team.
    #[must_use]
    pub fn with_staff_base(mut self, staff: StaffId, base: Location) -> Self {
        self.staff_bases.insert(staff, base);
        self
    }

    /// With the members of `team` starting their rounds from `base`, unless they have
    /// a base of their own.
    #[must_use]
    pub fn with_team_base(mut self, team: TeamId, base: Location) -> Self {
        self.team_bases.insert(team, base);
        self
    }

    /// Where `patient` lives, if known.
    #[must_use]
    pub fn home(&self, patient: PatientId) -> Option<Location> {
        self.homes.get(&patient).copied()
    }

    /// Where `staff` starts from when working for `team`, if known.
    #[must_use]
    pub fn base(&self, team: TeamId, staff: StaffId) -> Option<Location> {
        self.staff_bases
            .get(&staff)
            .or_else(|| self.team_bases.get(&team))
            .copied()
    }

    /// Whether no place at all is known (placement then ignores travel).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.homes.is_empty() && self.staff_bases.is_empty() && self.team_bases.is_empty()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn travel_grows_with_distance_factor_and_slowness() {
        let a = Location::new(51.60, -0.19).unwrap();
        let b = Location::new(51.62, -0.16).unwrap();
        let base = TravelAssumptions::default();
        assert_eq!(base.seconds(a, a), 0);
        let slow = base.with_speed_kmh(10).unwrap();
        assert!(slow.seconds(a, b) >= 2 * base.seconds(a, b) - 1);
        let winding = base.with_road_factor_hundredths(280).unwrap();
        assert!(winding.seconds(a, b) >= 2 * base.seconds(a, b) - 1);
        assert!(base.with_road_factor_hundredths(99).is_err());
        assert!(base.with_visits_per_day(0).is_err());
        let json = serde_json::to_string(&base).unwrap();
        assert_eq!(
            json,
            r#"{"road_factor_hundredths":140,"speed_kmh":20,"visits_per_day":6}"#
        );
    }

    #[test]
    fn a_staff_base_wins_over_the_team_base() {
        let (team, staff) = (TeamId::from_u128(1), StaffId::from_u128(2));
        let a = Location::new(51.60, -0.19).unwrap();
        let b = Location::new(51.62, -0.16).unwrap();
        let places = Places::new().with_team_base(team, a);
        assert_eq!(places.base(team, staff), Some(a));
        let places = places.with_staff_base(staff, b);
        assert_eq!(places.base(team, staff), Some(b));
        let json = serde_json::to_string(&places).unwrap();
        assert_eq!(serde_json::from_str::<Places>(&json).unwrap(), places);
    }
}
