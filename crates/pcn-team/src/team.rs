//! Teams: multidisciplinary teams and self-managing neighbourhood teams, their members
//! and their rotating roles.

use std::fmt;

use chrono::NaiveDate;
use pcn_core::{DateRange, NetworkId, StaffId, TeamId, Wte};
use serde::{Deserialize, Serialize};

use crate::TeamError;

/// A neighbourhood within the area a network serves, numbered by the caller (for
/// example the index of a neighbourhood in the network's own list, or of a Primary
/// Care Home site's locality).
///
/// Team members cover localities and patients live in one; caseload assignment only
/// gives a patient to a worker who covers the patient's locality. Serde uses the
/// number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Locality(u32);

impl Locality {
    /// The locality numbered `number`.
    #[must_use]
    pub const fn new(number: u32) -> Self {
        Self(number)
    }

    /// Its number.
    #[must_use]
    pub const fn number(self) -> u32 {
        self.0
    }
}

impl fmt::Display for Locality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "locality {}", self.0)
    }
}

/// The localities a team member works in. Serde uses `"whole_area"` or
/// `{"localities": [1, 2]}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// Every locality of the team's area.
    WholeArea,
    /// Only these localities (never empty: the workforce rejects an empty list).
    Localities(Vec<Locality>),
}

impl Coverage {
    /// Whether a worker with this coverage works in `locality`.
    #[must_use]
    pub fn covers(&self, locality: Locality) -> bool {
        match self {
            Self::WholeArea => true,
            Self::Localities(list) => list.contains(&locality),
        }
    }
}

/// Where a team belongs: the network, or the Primary Care Home site, whose population
/// it serves. Both are identified by a [`NetworkId`] (a Primary Care Home site is a
/// network in `pcn-core`'s terms). Serde uses `{"kind": "primary_care_network", "id": "..."}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TeamHost {
    /// A Primary Care Network.
    PrimaryCareNetwork(NetworkId),
    /// A Primary Care Home site (National Association of Primary Care model, from
    /// 2015).
    PrimaryCareHomeSite(NetworkId),
}

impl TeamHost {
    /// The network's id, whichever kind of host it is.
    #[must_use]
    pub const fn network(&self) -> NetworkId {
        match self {
            Self::PrimaryCareNetwork(id) | Self::PrimaryCareHomeSite(id) => *id,
        }
    }
}

/// The rules a self-managing neighbourhood team keeps, after the Buurtzorg model.
///
/// Buurtzorg nurses work in small self-governing teams of 10 to 12 that plan and
/// coordinate their own work without a manager (Commonwealth Fund case study, via
/// `workforce.md`); no source fixes the exact limits for English teams, so they are
/// policy, with these defaults:
///
/// | parameter | default | source |
/// |---|---|---|
/// | [`max_nurses`](Self::max_nurses) | 12 | Buurtzorg teams of 10-12 nurses (`workforce.md`) |
/// | [`manager_allowed`](Self::manager_allowed) | `false` | Buurtzorg teams self-manage (`workforce.md`) |
/// | [`max_turn_days`](Self::max_turn_days) | none | no published length of a turn as coach or planner was found; set one to make the roles rotate |
///
/// A nurse is a member on the NMC register by role ([`StaffMember::is_nurse`](crate::StaffMember::is_nurse)).
///
/// ```
/// use pcn_team::NeighbourhoodTeamPolicy;
/// let policy = NeighbourhoodTeamPolicy::default();
/// assert_eq!(policy.max_nurses(), 12);
/// assert!(!policy.manager_allowed());
/// let strict = policy.with_max_turn_days(Some(90))?.with_max_nurses(10)?;
/// assert_eq!(strict.max_turn_days(), Some(90));
/// assert!(policy.with_max_nurses(0).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "PolicyRecord", into = "PolicyRecord")]
pub struct NeighbourhoodTeamPolicy {
    max_nurses: u16,
    manager_allowed: bool,
    max_turn_days: Option<u32>,
}

/// The serde form of [`NeighbourhoodTeamPolicy`].
#[derive(Serialize, Deserialize)]
struct PolicyRecord {
    max_nurses: u16,
    manager_allowed: bool,
    max_turn_days: Option<u32>,
}

impl TryFrom<PolicyRecord> for NeighbourhoodTeamPolicy {
    type Error = TeamError;

    fn try_from(record: PolicyRecord) -> Result<Self, Self::Error> {
        Self::default()
            .with_max_nurses(record.max_nurses)?
            .with_manager_allowed(record.manager_allowed)
            .with_max_turn_days(record.max_turn_days)
    }
}

impl From<NeighbourhoodTeamPolicy> for PolicyRecord {
    fn from(policy: NeighbourhoodTeamPolicy) -> Self {
        Self {
            max_nurses: policy.max_nurses,
            manager_allowed: policy.manager_allowed,
            max_turn_days: policy.max_turn_days,
        }
    }
}

impl Default for NeighbourhoodTeamPolicy {
    fn default() -> Self {
        Self {
            max_nurses: 12,
            manager_allowed: false,
            max_turn_days: None,
        }
    }
}

impl NeighbourhoodTeamPolicy {
    /// The most nurses the team may have on any day.
    #[must_use]
    pub const fn max_nurses(&self) -> u16 {
        self.max_nurses
    }

    /// Whether the team may have a manager.
    #[must_use]
    pub const fn manager_allowed(&self) -> bool {
        self.manager_allowed
    }

    /// The longest continuous turn one member may hold a rotating role, in days, if
    /// limited.
    #[must_use]
    pub const fn max_turn_days(&self) -> Option<u32> {
        self.max_turn_days
    }

    /// The policy with another limit on nurses.
    ///
    /// # Errors
    /// [`TeamError::InvalidParameter`] if `max` is 0.
    pub fn with_max_nurses(self, max: u16) -> Result<Self, TeamError> {
        if max == 0 {
            return Err(TeamError::InvalidParameter {
                parameter: "maximum number of nurses",
                value: max.to_string(),
                reason: "a neighbourhood team needs room for at least one nurse",
            });
        }
        Ok(Self {
            max_nurses: max,
            ..self
        })
    }

    /// The policy allowing or forbidding a manager.
    #[must_use]
    pub const fn with_manager_allowed(self, allowed: bool) -> Self {
        Self {
            manager_allowed: allowed,
            ..self
        }
    }

    /// The policy with another limit on turns in rotating roles (`None` for no limit).
    ///
    /// # Errors
    /// [`TeamError::InvalidParameter`] if the limit is 0 days.
    pub fn with_max_turn_days(self, max: Option<u32>) -> Result<Self, TeamError> {
        if max == Some(0) {
            return Err(TeamError::InvalidParameter {
                parameter: "maximum turn in a rotating role",
                value: "0 days".into(),
                reason: "a turn lasts at least one day",
            });
        }
        Ok(Self {
            max_turn_days: max,
            ..self
        })
    }
}

/// The kind of a team. Serde uses `{"kind": "multidisciplinary"}` or
/// `{"kind": "self_managing_neighbourhood", "policy": {...}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TeamKind {
    /// A multidisciplinary team: practice, community, mental health, social care and
    /// voluntary sector staff around one population (Primary Care Home principle 1,
    /// `networks.md`).
    Multidisciplinary,
    /// A self-managing neighbourhood team of nurses, Buurtzorg style: no manager,
    /// roles such as coach and planner rotate among the members, size limited by its
    /// policy.
    SelfManagingNeighbourhood {
        /// The team's rules.
        policy: NeighbourhoodTeamPolicy,
    },
}

impl TeamKind {
    /// The neighbourhood team policy, for a self-managing team.
    #[must_use]
    pub const fn neighbourhood_policy(&self) -> Option<&NeighbourhoodTeamPolicy> {
        match self {
            Self::SelfManagingNeighbourhood { policy } => Some(policy),
            Self::Multidisciplinary => None,
        }
    }
}

/// A role that members of a self-managing team take in turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RotatingRole {
    /// The member who is the team's point of contact with its coach and leads its
    /// reflection on how it works.
    Coach,
    /// The member who plans the team's visits and rota.
    Planner,
}

impl fmt::Display for RotatingRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Coach => "coach",
            Self::Planner => "planner",
        })
    }
}

/// One member's turn in a rotating role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RotaTurn {
    /// The role.
    pub role: RotatingRole,
    /// Who holds it.
    pub holder: StaffId,
    /// The days they hold it.
    pub period: DateRange,
}

/// A staff member's place in a team: the share of their contracted time the team gets,
/// over which days, and where they work.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Membership {
    /// The staff member.
    pub staff: StaffId,
    /// The share of their time the team gets (more than zero; the shares of all their
    /// teams never exceed their contracted WTE on any day).
    pub share: Wte,
    /// The days of the membership.
    pub period: DateRange,
    /// The localities they work in for this team.
    pub coverage: Coverage,
}

impl Membership {
    /// A membership of `share` WTE from `from` on, covering the whole area.
    #[must_use]
    pub const fn starting(staff: StaffId, share: Wte, from: NaiveDate) -> Self {
        Self {
            staff,
            share,
            period: DateRange::starting(from),
            coverage: Coverage::WholeArea,
        }
    }

    /// Whether the membership holds on `date`.
    #[must_use]
    pub fn is_active_on(&self, date: NaiveDate) -> bool {
        self.period.contains(date)
    }
}

/// A team around a population: its kind, the network or Primary Care Home site it
/// belongs to, its members (each with a share of their time), its manager if it may
/// have one, and the turns of its rotating roles.
///
/// A team is made empty with [`Team::new`]; members join, leave and take turns
/// through the [`Workforce`](crate::Workforce), which checks every change against all
/// the teams at once (nobody over their contracted WTE) and against the team's policy.
/// Serde writes every field. A team read back is checked for what it can check on its
/// own (shares above zero, no overlapping memberships or turns, a manager only where
/// allowed), and in full when it is added to a workforce.
///
/// ```
/// use pcn_core::{NetworkId, TeamId};
/// use pcn_team::{NeighbourhoodTeamPolicy, Team, TeamHost, TeamKind};
/// let team = Team::new(
///     TeamId::from_u128(1),
///     "Riverside neighbourhood nursing",
///     TeamHost::PrimaryCareNetwork(NetworkId::from_u128(9)),
///     TeamKind::SelfManagingNeighbourhood { policy: NeighbourhoodTeamPolicy::default() },
/// )?;
/// assert_eq!(team.name(), "Riverside neighbourhood nursing");
/// assert!(team.memberships().is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "UncheckedTeam")]
pub struct Team {
    id: TeamId,
    name: String,
    host: TeamHost,
    kind: TeamKind,
    manager: Option<StaffId>,
    memberships: Vec<Membership>,
    rota: Vec<RotaTurn>,
}

/// The serde form of a [`Team`] before its checks.
#[derive(Deserialize)]
struct UncheckedTeam {
    id: TeamId,
    name: String,
    host: TeamHost,
    kind: TeamKind,
    manager: Option<StaffId>,
    memberships: Vec<Membership>,
    rota: Vec<RotaTurn>,
}

impl TryFrom<UncheckedTeam> for Team {
    type Error = TeamError;

    fn try_from(unchecked: UncheckedTeam) -> Result<Self, Self::Error> {
        let mut team = Self::new(unchecked.id, unchecked.name, unchecked.host, unchecked.kind)?;
        team.manager = unchecked.manager;
        team.memberships = unchecked.memberships;
        team.rota = unchecked.rota;
        team.replayed()
    }
}

impl Team {
    /// An empty team.
    ///
    /// # Errors
    /// [`TeamError::EmptyName`] if the name is blank.
    pub fn new(
        id: TeamId,
        name: impl Into<String>,
        host: TeamHost,
        kind: TeamKind,
    ) -> Result<Self, TeamError> {
        let name = name.into();
        let trimmed = name.trim();
        if trimmed.is_empty() {
            return Err(TeamError::EmptyName { what: "team" });
        }
        Ok(Self {
            id,
            name: trimmed.to_owned(),
            host,
            kind,
            manager: None,
            memberships: Vec::new(),
            rota: Vec::new(),
        })
    }

    /// The team's id.
    #[must_use]
    pub const fn id(&self) -> TeamId {
        self.id
    }

    /// Its name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Where it belongs.
    #[must_use]
    pub const fn host(&self) -> TeamHost {
        self.host
    }

    /// Its kind.
    #[must_use]
    pub const fn kind(&self) -> &TeamKind {
        &self.kind
    }

    /// Its manager, if it has one.
    #[must_use]
    pub const fn manager(&self) -> Option<StaffId> {
        self.manager
    }

    /// Every membership, past, present and future.
    #[must_use]
    pub fn memberships(&self) -> &[Membership] {
        &self.memberships
    }

    /// The memberships in force on `date`.
    pub fn members_on(&self, date: NaiveDate) -> impl Iterator<Item = &Membership> {
        self.memberships
            .iter()
            .filter(move |m| m.is_active_on(date))
    }

    /// The memberships of one staff member.
    pub fn memberships_of(&self, staff: StaffId) -> impl Iterator<Item = &Membership> {
        self.memberships.iter().filter(move |m| m.staff == staff)
    }

    /// Every turn in a rotating role.
    #[must_use]
    pub fn rota(&self) -> &[RotaTurn] {
        &self.rota
    }

    /// Who holds `role` on `date`, if anyone.
    #[must_use]
    pub fn holder_on(&self, role: RotatingRole, date: NaiveDate) -> Option<StaffId> {
        self.rota
            .iter()
            .find(|t| t.role == role && t.period.contains(date))
            .map(|t| t.holder)
    }

    /// Checks a new membership against the team alone: positive share, non-empty
    /// coverage, no overlap with the staff member's other memberships of the team.
    pub(crate) fn check_membership(&self, membership: &Membership) -> Result<(), TeamError> {
        if membership.share.is_zero() {
            return Err(TeamError::ZeroShare {
                staff: membership.staff,
                team: self.id(),
            });
        }
        if matches!(&membership.coverage, Coverage::Localities(list) if list.is_empty()) {
            return Err(TeamError::InvalidParameter {
                parameter: "coverage",
                value: "an empty list of localities".into(),
                reason: "give at least one locality, or the whole area",
            });
        }
        if let Some(existing) = self
            .memberships_of(membership.staff)
            .find(|m| m.period.overlaps(&membership.period))
        {
            return Err(TeamError::OverlappingMembership {
                staff: membership.staff,
                team: self.id(),
                existing: existing.period,
            });
        }
        Ok(())
    }

    /// Checks that `staff` may manage the team: the kind allows a manager and they are
    /// a member at some time.
    pub(crate) fn check_manager(&self, staff: StaffId) -> Result<(), TeamError> {
        if let Some(policy) = self.kind().neighbourhood_policy()
            && !policy.manager_allowed()
        {
            return Err(TeamError::ManagerNotAllowed { team: self.id() });
        }
        if self.memberships_of(staff).next().is_none() {
            return Err(TeamError::NotAMember {
                staff,
                team: self.id(),
                when: "at any time, so cannot manage it".into(),
            });
        }
        Ok(())
    }

    /// The continuous turn made by `turn` joined with its holder's adjacent turns in the
    /// same role.
    fn continuous_turn(&self, turn: &RotaTurn) -> DateRange {
        let mut from = turn.period.from();
        let mut to = turn.period.to();
        let same = |t: &&RotaTurn| t.role == turn.role && t.holder == turn.holder;
        loop {
            let before = self
                .rota()
                .iter()
                .filter(same)
                .find(|t| t.period.to() == Some(from));
            match before {
                Some(t) => from = t.period.from(),
                None => break,
            }
        }
        while let Some(end) = to {
            match self
                .rota()
                .iter()
                .filter(same)
                .find(|t| t.period.from() == end)
            {
                Some(t) => to = t.period.to(),
                None => break,
            }
        }
        DateRange::new(from, to).unwrap_or(turn.period)
    }

    /// Checks a new turn against the team alone.
    pub(crate) fn check_turn(&self, turn: &RotaTurn) -> Result<(), TeamError> {
        let periods: Vec<DateRange> = self.memberships_of(turn.holder).map(|m| m.period).collect();
        if !covered(turn.period, &periods) {
            return Err(TeamError::NotAMember {
                staff: turn.holder,
                team: self.id(),
                when: format!("for the whole of {}, so cannot take that turn", turn.period),
            });
        }
        if let Some(existing) = self
            .rota()
            .iter()
            .find(|t| t.role == turn.role && t.period.overlaps(&turn.period))
        {
            return Err(TeamError::RotaOverlap {
                team: self.id(),
                role: turn.role,
                existing: existing.period,
            });
        }
        if let Some(max_days) = self
            .kind()
            .neighbourhood_policy()
            .and_then(NeighbourhoodTeamPolicy::max_turn_days)
        {
            let whole = self.continuous_turn(turn);
            if whole.days().is_none_or(|days| days > i64::from(max_days)) {
                return Err(TeamError::TermTooLong {
                    team: self.id(),
                    role: turn.role,
                    staff: turn.holder,
                    turn: whole,
                    max_days,
                });
            }
        }
        Ok(())
    }

    /// The team rebuilt through the team-only checks; used when a team is read on its
    /// own and when its policy changes.
    pub(crate) fn replayed(&self) -> Result<Self, TeamError> {
        let mut rebuilt = self.emptied();
        for membership in &self.memberships {
            rebuilt.check_membership(membership)?;
            rebuilt.memberships.push(membership.clone());
        }
        if let Some(manager) = self.manager {
            rebuilt.check_manager(manager)?;
            rebuilt.manager = Some(manager);
        }
        for turn in &self.rota {
            rebuilt.check_turn(turn)?;
            rebuilt.rota.push(*turn);
        }
        Ok(rebuilt)
    }

    /// The same team with no members, manager or turns: the start of a replay.
    pub(crate) fn emptied(&self) -> Self {
        Self {
            manager: None,
            memberships: Vec::new(),
            rota: Vec::new(),
            ..self.clone()
        }
    }

    pub(crate) fn kind_mut(&mut self) -> &mut TeamKind {
        &mut self.kind
    }

    pub(crate) fn set_manager(&mut self, manager: Option<StaffId>) {
        self.manager = manager;
    }

    pub(crate) fn memberships_mut(&mut self) -> &mut Vec<Membership> {
        &mut self.memberships
    }

    pub(crate) fn rota_mut(&mut self) -> &mut Vec<RotaTurn> {
        &mut self.rota
    }
}

/// Whether the union of `periods` covers every day of `period`.
fn covered(period: DateRange, periods: &[DateRange]) -> bool {
    let mut sorted: Vec<DateRange> = periods.to_vec();
    sorted.sort_unstable_by_key(DateRange::from);
    let mut reached = period.from();
    for p in sorted {
        if p.from() > reached {
            continue;
        }
        match p.to() {
            None => return true,
            Some(to) if p.contains(reached) => reached = to,
            Some(_) => {}
        }
        if period.to().is_some_and(|end| reached >= end) {
            return true;
        }
    }
    period.to().is_some_and(|end| reached >= end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn team_serde_names_its_kind_and_host() {
        let team = Team::new(
            TeamId::from_u128(1),
            "North",
            TeamHost::PrimaryCareHomeSite(NetworkId::from_u128(2)),
            TeamKind::SelfManagingNeighbourhood {
                policy: NeighbourhoodTeamPolicy::default(),
            },
        )
        .unwrap();
        let json = serde_json::to_string(&team).unwrap();
        assert!(
            json.contains(r#""host":{"kind":"primary_care_home_site""#),
            "{json}"
        );
        assert!(
            json.contains(
                r#""kind":{"kind":"self_managing_neighbourhood","policy":{"max_nurses":12"#
            ),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Team>(&json).unwrap(), team);
        let bad = json.replace(r#""max_nurses":12"#, r#""max_nurses":0"#);
        assert!(serde_json::from_str::<Team>(&bad).is_err());
    }

    #[test]
    fn blank_team_names_are_rejected() {
        let err = Team::new(
            TeamId::from_u128(1),
            " ",
            TeamHost::PrimaryCareNetwork(NetworkId::from_u128(2)),
            TeamKind::Multidisciplinary,
        )
        .unwrap_err();
        assert_eq!(err, TeamError::EmptyName { what: "team" });
    }

    #[test]
    fn coverage_serde_and_matching() {
        let coverage = Coverage::Localities(vec![Locality::new(1), Locality::new(3)]);
        assert!(coverage.covers(Locality::new(3)));
        assert!(!coverage.covers(Locality::new(2)));
        assert!(Coverage::WholeArea.covers(Locality::new(2)));
        assert_eq!(
            serde_json::to_string(&coverage).unwrap(),
            r#"{"localities":[1,3]}"#
        );
        assert_eq!(
            serde_json::to_string(&Coverage::WholeArea).unwrap(),
            r#""whole_area""#
        );
    }
}
