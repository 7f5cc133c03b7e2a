//! Appointment supply: how many appointments a week a team can offer, by role, from
//! its WTE and documented session assumptions.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pcn_core::{FULL_TIME_MINUTES_PER_WEEK, NetworkId, Role, StaffId, TeamId, Wte};
use serde::{Deserialize, Serialize};

use crate::{StaffMember, TeamError, Workforce};

pub use pcn_core::Basis;

/// How a role's working week turns into appointments: sessions of a given length, part
/// of each spent with patients, in appointments of a given length.
///
/// Appointments a week from `w` WTE are
/// `floor(w × 37.5 h × patient_facing / (session × appointment))`, computed exactly in
/// minutes: the weekly hours of a whole-time post are the NHS's 37.5
/// ([`FULL_TIME_MINUTES_PER_WEEK`]).
///
/// ```
/// use pcn_core::Wte;
/// use pcn_team::{Basis, SessionPattern};
/// let pattern = SessionPattern::new(250, 180, 15, Basis::Assumption { note: "example".into() })?;
/// assert_eq!(pattern.appointments_per_session(), 12);
/// assert_eq!(pattern.appointments_per_week(Wte::FULL_TIME), 108);
/// assert_eq!(pattern.appointments_per_week("0.5".parse()?), 54);
/// assert!(SessionPattern::new(250, 300, 15, Basis::Assumption { note: "x".into() }).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "PatternRecord", into = "PatternRecord")]
pub struct SessionPattern {
    session_minutes: u32,
    patient_facing_minutes: u32,
    appointment_minutes: u32,
    basis: Basis,
}

/// The serde form of [`SessionPattern`].
#[derive(Serialize, Deserialize)]
struct PatternRecord {
    session_minutes: u32,
    patient_facing_minutes: u32,
    appointment_minutes: u32,
    #[serde(flatten)]
    basis: Basis,
}

impl TryFrom<PatternRecord> for SessionPattern {
    type Error = TeamError;

    fn try_from(r: PatternRecord) -> Result<Self, Self::Error> {
        Self::new(
            r.session_minutes,
            r.patient_facing_minutes,
            r.appointment_minutes,
            r.basis,
        )
    }
}

impl From<SessionPattern> for PatternRecord {
    fn from(p: SessionPattern) -> Self {
        Self {
            session_minutes: p.session_minutes,
            patient_facing_minutes: p.patient_facing_minutes,
            appointment_minutes: p.appointment_minutes,
            basis: p.basis,
        }
    }
}

impl SessionPattern {
    /// A session pattern.
    ///
    /// # Errors
    /// [`TeamError::InvalidParameter`] unless
    /// `0 < appointment_minutes <= patient_facing_minutes <= session_minutes <= 720`.
    pub fn new(
        session_minutes: u32,
        patient_facing_minutes: u32,
        appointment_minutes: u32,
        basis: Basis,
    ) -> Result<Self, TeamError> {
        let invalid = |reason| TeamError::InvalidParameter {
            parameter: "session pattern",
            value: format!(
                "{session_minutes} min sessions, {patient_facing_minutes} min with patients, {appointment_minutes} min appointments"
            ),
            reason,
        };
        if appointment_minutes == 0 {
            return Err(invalid("an appointment lasts at least a minute"));
        }
        if appointment_minutes > patient_facing_minutes {
            return Err(invalid(
                "an appointment cannot be longer than the patient-facing time of a session",
            ));
        }
        if patient_facing_minutes > session_minutes {
            return Err(invalid(
                "the patient-facing time cannot be longer than the session",
            ));
        }
        if session_minutes > 720 {
            return Err(invalid("a session is at most 12 hours"));
        }
        Ok(Self {
            session_minutes,
            patient_facing_minutes,
            appointment_minutes,
            basis,
        })
    }

    /// The length of a session, in minutes.
    #[must_use]
    pub const fn session_minutes(&self) -> u32 {
        self.session_minutes
    }

    /// The minutes of each session spent with patients.
    #[must_use]
    pub const fn patient_facing_minutes(&self) -> u32 {
        self.patient_facing_minutes
    }

    /// The length of an appointment, in minutes.
    #[must_use]
    pub const fn appointment_minutes(&self) -> u32 {
        self.appointment_minutes
    }

    /// Where the figures come from.
    #[must_use]
    pub const fn basis(&self) -> &Basis {
        &self.basis
    }

    /// Whole appointments in one session.
    #[must_use]
    pub const fn appointments_per_session(&self) -> u32 {
        self.patient_facing_minutes / self.appointment_minutes
    }

    /// Whole appointments a week from `wte`, rounded down.
    #[must_use]
    pub fn appointments_per_week(&self, wte: Wte) -> u32 {
        let numerator = u64::from(wte.hundredths())
            * u64::from(FULL_TIME_MINUTES_PER_WEEK)
            * u64::from(self.patient_facing_minutes);
        let denominator =
            100 * u64::from(self.session_minutes) * u64::from(self.appointment_minutes);
        u32::try_from(numerator / denominator).unwrap_or(u32::MAX)
    }

    /// Sessions a week from `wte`, in hundredths of a session, rounded down (a
    /// full-time GP's 9 sessions are 900).
    #[must_use]
    pub fn session_hundredths_per_week(&self, wte: Wte) -> u32 {
        let numerator = u64::from(wte.hundredths()) * u64::from(FULL_TIME_MINUTES_PER_WEEK);
        u32::try_from(numerator / u64::from(self.session_minutes)).unwrap_or(u32::MAX)
    }
}

/// The session pattern of each role whose appointments are counted.
///
/// [`SessionAssumptions::published`] holds the roles for which a published figure was
/// found:
///
/// | role | session | with patients | appointment | per full-time week | source |
/// |---|---|---|---|---|---|
/// | GP | 4 h 10 min | 3 h | 15 min | 108 | BMA, "Salaried GP model contract: minimum terms and conditions" (full time is 37.5 hours, "nine notional sessions of 4 hours and 10 minutes"); BMA, "Safe working in general practice" (2024: "no more than 3 hours out of each 4 hour 10 min session should be spent consulting", appointments of 15 minutes) |
/// | first contact physiotherapist | 3 h 45 min | 2 h 40 min | 20 min | 80 | Chartered Society of Physiotherapy, "Two year evaluation of first contact physiotherapy roles" (Taunton, 2015-2017: "eight 20 minute appointments per session", 5 sessions at 0.5 WTE) |
///
/// Every other role needs a pattern from the caller, marked [`Basis::Assumption`]
/// where no source is known; a role without one has its WTE counted and its
/// appointments reported as unknown, never guessed.
///
/// ```
/// use pcn_core::{Role, Wte};
/// use pcn_team::{Basis, SessionAssumptions, SessionPattern};
/// let assumptions = SessionAssumptions::published().with(
///     Role::PracticeNurse,
///     SessionPattern::new(225, 180, 15, Basis::Assumption { note: "local rota".into() })?,
/// );
/// let gp = assumptions.pattern(Role::Gp).ok_or("no GP pattern")?;
/// assert_eq!(gp.appointments_per_week(Wte::FULL_TIME), 108);
/// assert!(assumptions.pattern(Role::Dietitian).is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionAssumptions {
    patterns: BTreeMap<Role, SessionPattern>,
}

impl SessionAssumptions {
    /// No patterns at all.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The patterns with a published source (see the table on the type).
    #[must_use]
    pub fn published() -> Self {
        let mut patterns = BTreeMap::new();
        patterns.insert(
            Role::Gp,
            SessionPattern {
                session_minutes: 250,
                patient_facing_minutes: 180,
                appointment_minutes: 15,
                basis: Basis::Published {
                    source: "BMA, Salaried GP model contract: minimum terms and conditions (9 sessions of 4 h 10 min = 37.5 h); BMA, Safe working in general practice, 2024 (at most 3 h of each session consulting; 15-minute appointments)".into(),
                },
            },
        );
        patterns.insert(
            Role::FirstContactPhysiotherapist,
            SessionPattern {
                session_minutes: 225,
                patient_facing_minutes: 160,
                appointment_minutes: 20,
                basis: Basis::Published {
                    source: "Chartered Society of Physiotherapy, Two year evaluation of first contact physiotherapy roles (eight 20-minute appointments per session; 5 sessions per 0.5 WTE)".into(),
                },
            },
        );
        Self { patterns }
    }

    /// These assumptions with `role`'s pattern set (replacing any before).
    #[must_use]
    pub fn with(mut self, role: Role, pattern: SessionPattern) -> Self {
        self.patterns.insert(role, pattern);
        self
    }

    /// The pattern of `role`, if known.
    #[must_use]
    pub fn pattern(&self, role: Role) -> Option<&SessionPattern> {
        self.patterns.get(&role)
    }
}

/// One role's appointment supply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleCapacity {
    /// The role.
    pub role: Role,
    /// How many people in the role.
    pub headcount: u32,
    /// Their WTE together.
    pub wte: Wte,
    /// Appointments a week, or `None` where no session pattern is known for the role.
    pub appointments_per_week: Option<u32>,
    /// Where the session figures come from, if known.
    pub basis: Option<Basis>,
}

/// Appointment supply per week by role, on one day, for later demand and capacity
/// work.
///
/// Counted from the WTE of a team (members' shares), of a network's teams, or of any
/// list of staff (their contracted WTE), through [`SessionAssumptions`]. A role's
/// appointments are computed from its total WTE, so part-time staff are not each
/// rounded down.
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_core::{Party, PracticeId, Role, StaffId, Timeline, Wte};
/// use pcn_team::*;
///
/// let day = NaiveDate::from_ymd_opt(2024, 4, 1).ok_or("date")?;
/// let gp = |id: u128, number: &str, wte: &str| -> Result<StaffMember, Box<dyn std::error::Error>> {
///     Ok(StaffMember::new(StaffRecord {
///         id: StaffId::from_u128(id),
///         name: format!("Dr {id}"),
///         role: Role::Gp,
///         registration: Some(RegistrationNumber::for_role(Role::Gp, number)?),
///         employer: Party::Practice(PracticeId::from_u128(1)),
///         contracted_wte: Timeline::starting(day, wte.parse::<Wte>()?),
///         skills: SkillSet::EMPTY,
///     })?)
/// };
/// let staff = [gp(1, "1234567", "1.0")?, gp(2, "2345678", "0.5")?];
/// let capacity = Capacity::of_staff(&staff, day, &SessionAssumptions::published());
/// let gps = capacity.role(Role::Gp).ok_or("no GPs")?;
/// assert_eq!(gps.wte, "1.50".parse()?);
/// assert_eq!(gps.appointments_per_week, Some(162));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capacity {
    on: NaiveDate,
    roles: Vec<RoleCapacity>,
}

impl Capacity {
    fn from_wte(
        on: NaiveDate,
        entries: impl Iterator<Item = (StaffId, Role, Wte)>,
        assumptions: &SessionAssumptions,
    ) -> Self {
        let mut by_role: BTreeMap<Role, (std::collections::BTreeSet<StaffId>, u32)> =
            BTreeMap::new();
        for (staff, role, wte) in entries {
            if wte.is_zero() {
                continue;
            }
            let entry = by_role.entry(role).or_default();
            entry.0.insert(staff);
            entry.1 = entry.1.saturating_add(wte.hundredths());
        }
        let roles = by_role
            .into_iter()
            .map(|(role, (people, hundredths))| {
                let wte = Wte::from_hundredths(hundredths);
                let pattern = assumptions.pattern(role);
                RoleCapacity {
                    role,
                    headcount: u32::try_from(people.len()).unwrap_or(u32::MAX),
                    wte,
                    appointments_per_week: pattern.map(|p| p.appointments_per_week(wte)),
                    basis: pattern.map(|p| p.basis().clone()),
                }
            })
            .collect();
        Self { on, roles }
    }

    /// The supply of a list of staff from their contracted WTE on `on`.
    #[must_use]
    pub fn of_staff<'a>(
        staff: impl IntoIterator<Item = &'a StaffMember>,
        on: NaiveDate,
        assumptions: &SessionAssumptions,
    ) -> Self {
        Self::from_wte(
            on,
            staff
                .into_iter()
                .map(|s| (s.id(), s.role(), s.contracted_on(on))),
            assumptions,
        )
    }

    /// The supply of a team from its members' shares on `on`.
    ///
    /// # Errors
    /// [`TeamError::UnknownTeam`].
    pub fn of_team(
        workforce: &Workforce,
        team: TeamId,
        on: NaiveDate,
        assumptions: &SessionAssumptions,
    ) -> Result<Self, TeamError> {
        if workforce.team(team).is_none() {
            return Err(TeamError::UnknownTeam { team });
        }
        Ok(Self::from_wte(
            on,
            workforce
                .members_on(team, on)
                .map(|(s, m)| (s.id(), s.role(), m.share)),
            assumptions,
        ))
    }

    /// The supply of all of a network's teams from their members' shares on `on`.
    #[must_use]
    pub fn of_network(
        workforce: &Workforce,
        network: NetworkId,
        on: NaiveDate,
        assumptions: &SessionAssumptions,
    ) -> Self {
        Self::from_wte(
            on,
            workforce
                .teams_of_network(network)
                .flat_map(|t| workforce.members_on(t.id(), on))
                .map(|(s, m)| (s.id(), s.role(), m.share)),
            assumptions,
        )
    }

    /// The day counted.
    #[must_use]
    pub const fn on(&self) -> NaiveDate {
        self.on
    }

    /// The roles present, in role order.
    #[must_use]
    pub fn roles(&self) -> &[RoleCapacity] {
        &self.roles
    }

    /// One role's supply, if the role is present.
    #[must_use]
    pub fn role(&self, role: Role) -> Option<&RoleCapacity> {
        self.roles.iter().find(|r| r.role == role)
    }

    /// The appointments a week of every role with a known pattern.
    #[must_use]
    pub fn known_appointments_per_week(&self) -> u64 {
        self.roles
            .iter()
            .filter_map(|r| r.appointments_per_week)
            .map(u64::from)
            .sum()
    }

    /// The roles present whose appointments are unknown (no session pattern).
    pub fn roles_without_pattern(&self) -> impl Iterator<Item = Role> + '_ {
        self.roles
            .iter()
            .filter(|r| r.appointments_per_week.is_none())
            .map(|r| r.role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn published_figures_give_the_sourced_weekly_numbers() {
        let published = SessionAssumptions::published();
        let gp = published.pattern(Role::Gp).unwrap();
        assert_eq!(gp.appointments_per_session(), 12);
        assert_eq!(gp.session_hundredths_per_week(Wte::FULL_TIME), 900);
        assert_eq!(gp.appointments_per_week(Wte::FULL_TIME), 108);
        let fcp = published
            .pattern(Role::FirstContactPhysiotherapist)
            .unwrap();
        assert_eq!(fcp.appointments_per_session(), 8);
        assert_eq!(
            fcp.session_hundredths_per_week(Wte::from_hundredths(50)),
            500
        );
        assert_eq!(fcp.appointments_per_week(Wte::FULL_TIME), 80);
        assert!(matches!(gp.basis(), Basis::Published { .. }));
    }

    #[test]
    fn pattern_serde_is_flat_and_checked() {
        let pattern = SessionPattern::new(
            225,
            180,
            20,
            Basis::Assumption {
                note: "local".into(),
            },
        )
        .unwrap();
        let json = serde_json::to_string(&pattern).unwrap();
        assert_eq!(
            json,
            r#"{"session_minutes":225,"patient_facing_minutes":180,"appointment_minutes":20,"basis":"assumption","note":"local"}"#
        );
        assert_eq!(
            serde_json::from_str::<SessionPattern>(&json).unwrap(),
            pattern
        );
        let bad = json.replace(r#""appointment_minutes":20"#, r#""appointment_minutes":0"#);
        assert!(serde_json::from_str::<SessionPattern>(&bad).is_err());
    }

    proptest! {
        #[test]
        fn supply_grows_with_wte_and_matches_sessions(
            a in 0u32..300, b in 0u32..300,
            session in 60u32..=300, facing_pct in 1u32..=100, appointment in 5u32..=60,
        ) {
            let facing = (session * facing_pct / 100).max(appointment);
            prop_assume!(facing <= session);
            let p = SessionPattern::new(session, facing, appointment,
                Basis::Assumption { note: "test".into() }).unwrap();
            let (lo, hi) = (a.min(b), a.max(b));
            prop_assert!(p.appointments_per_week(Wte::from_hundredths(lo))
                <= p.appointments_per_week(Wte::from_hundredths(hi)));
            // Never more appointments than whole sessions would hold, rounding aside.
            let per_week = u64::from(p.appointments_per_week(Wte::from_hundredths(hi)));
            let minutes = u64::from(hi) * u64::from(FULL_TIME_MINUTES_PER_WEEK) / 100;
            prop_assert!(per_week * u64::from(appointment) <= minutes);
        }
    }
}
