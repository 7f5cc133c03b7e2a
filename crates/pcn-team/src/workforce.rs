//! The workforce: every member of staff and every team, and the rules that tie them
//! together (nobody over their contracted WTE, team policies).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pcn_core::{DateRange, NetworkId, StaffId, TeamId, Timeline, Wte};
use serde::{Deserialize, Serialize};

use crate::team::{Membership, RotaTurn, Team, TeamKind};
use crate::{NeighbourhoodTeamPolicy, SkillSet, StaffMember, TeamError};

/// Every member of staff and every team of one or more networks, kept consistent.
///
/// The workforce is where the rules that span teams are kept, and every change goes
/// through it:
///
/// - a member of staff may split their time across teams, but on no day may the
///   shares of their teams add up to more than their contracted WTE on that day
///   ([`join`](Self::join) rejects it with the figures, [`change_contract`](Self::change_contract)
///   refuses to cut a contract below what is allocated);
/// - a self-managing neighbourhood team never has more nurses on a day than its
///   policy allows, and has a manager only if its policy allows one;
/// - a rotating role has one holder at a time, a member of the team for the whole
///   turn, and no turn longer than the policy's limit.
///
/// A rejected change leaves the workforce exactly as it was. Serde writes the staff
/// and the teams and checks every rule again on the way in.
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_core::{NetworkId, Party, PracticeId, Role, StaffId, TeamId, Timeline, Wte};
/// use pcn_team::{
///     Membership, RegistrationNumber, SkillSet, StaffMember, StaffRecord, Team,
///     TeamError, TeamHost, TeamKind, Workforce,
/// };
///
/// let day = NaiveDate::from_ymd_opt(2024, 4, 1).ok_or("date")?;
/// let nurse = StaffId::from_u128(1);
/// let mut workforce = Workforce::new();
/// workforce.add_staff(StaffMember::new(StaffRecord {
///     id: nurse,
///     name: "Ada Okafor".into(),
///     role: Role::DistrictNurse,
///     registration: Some(RegistrationNumber::for_role(Role::DistrictNurse, "12A3456E")?),
///     employer: Party::Practice(PracticeId::from_u128(5)),
///     contracted_wte: Timeline::starting(day, "0.8".parse::<Wte>()?),
///     skills: SkillSet::EMPTY,
/// })?)?;
/// let network = TeamHost::PrimaryCareNetwork(NetworkId::from_u128(9));
/// let (north, south) = (TeamId::from_u128(10), TeamId::from_u128(11));
/// workforce.add_team(Team::new(north, "North", network, TeamKind::Multidisciplinary)?)?;
/// workforce.add_team(Team::new(south, "South", network, TeamKind::Multidisciplinary)?)?;
///
/// workforce.join(north, Membership::starting(nurse, "0.5".parse()?, day))?;
/// // 0.5 + 0.4 would be 0.9 WTE of a 0.8 WTE contract: rejected, with the figures.
/// let err = workforce.join(south, Membership::starting(nurse, "0.4".parse()?, day)).unwrap_err();
/// assert!(matches!(err, TeamError::OverAllocated { .. }));
/// assert!(err.to_string().contains("contracted for 0.80 WTE and already allocated 0.50 WTE"));
/// workforce.join(south, Membership::starting(nurse, "0.3".parse()?, day))?;
/// assert_eq!(workforce.allocated_on(nurse, day), Wte::from_hundredths(80));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "WorkforceRecord", into = "WorkforceRecord")]
pub struct Workforce {
    staff: BTreeMap<StaffId, StaffMember>,
    teams: BTreeMap<TeamId, Team>,
}

/// The serde form of a [`Workforce`].
#[derive(Serialize, Deserialize)]
struct WorkforceRecord {
    staff: Vec<StaffMember>,
    teams: Vec<Team>,
}

impl TryFrom<WorkforceRecord> for Workforce {
    type Error = TeamError;

    fn try_from(record: WorkforceRecord) -> Result<Self, Self::Error> {
        let mut workforce = Self::new();
        for member in record.staff {
            workforce.add_staff(member)?;
        }
        for team in record.teams {
            workforce.add_team(team)?;
        }
        Ok(workforce)
    }
}

impl From<Workforce> for WorkforceRecord {
    fn from(workforce: Workforce) -> Self {
        Self {
            staff: workforce.staff.into_values().collect(),
            teams: workforce.teams.into_values().collect(),
        }
    }
}

/// What [`Workforce::leave`] changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Departure {
    /// The team left.
    pub team: TeamId,
    /// The staff member who left.
    pub staff: StaffId,
    /// The first day they are no longer a member.
    pub on: NaiveDate,
    /// How many memberships were ended or (if they had not yet started) removed.
    pub memberships_ended: usize,
    /// Their turns in rotating roles that were cut short or removed, as they were.
    pub turns_ended: Vec<RotaTurn>,
    /// Whether they were the team's manager (the team now has none).
    pub was_manager: bool,
}

/// The dates on which a piecewise-constant total may change inside `period`: its start
/// and every boundary in `boundaries` that falls inside it. Sorted and deduplicated.
fn checkpoints(period: DateRange, boundaries: impl Iterator<Item = NaiveDate>) -> Vec<NaiveDate> {
    let mut dates: Vec<NaiveDate> = std::iter::once(period.from())
        .chain(boundaries.filter(|d| period.contains(*d)))
        .collect();
    dates.sort_unstable();
    dates.dedup();
    dates
}

/// The sum of `shares`, saturating (a workforce never holds shares that overflow, but
/// a total is never worth a panic).
fn total(shares: impl Iterator<Item = Wte>) -> Wte {
    Wte::from_hundredths(shares.fold(0u32, |acc, share| acc.saturating_add(share.hundredths())))
}

impl Workforce {
    /// An empty workforce.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a member of staff.
    ///
    /// # Errors
    /// [`TeamError::DuplicateStaff`] if their id is already here.
    pub fn add_staff(&mut self, member: StaffMember) -> Result<(), TeamError> {
        let id = member.id();
        if self.staff.contains_key(&id) {
            return Err(TeamError::DuplicateStaff { staff: id });
        }
        self.staff.insert(id, member);
        Ok(())
    }

    /// A member of staff.
    #[must_use]
    pub fn staff(&self, id: StaffId) -> Option<&StaffMember> {
        self.staff.get(&id)
    }

    /// Every member of staff, by id.
    pub fn staff_members(&self) -> impl Iterator<Item = &StaffMember> {
        self.staff.values()
    }

    /// Adds a team. A team that already has members, a manager or turns (one read
    /// from a file) is checked in full, as if each had been added in turn.
    ///
    /// # Errors
    /// [`TeamError::DuplicateTeam`] if its id is already here; any error of
    /// [`join`](Self::join), [`appoint_manager`](Self::appoint_manager) or
    /// [`assign_turn`](Self::assign_turn) for what it holds.
    pub fn add_team(&mut self, team: Team) -> Result<(), TeamError> {
        let id = team.id();
        if self.teams.contains_key(&id) {
            return Err(TeamError::DuplicateTeam { team: id });
        }
        self.teams.insert(id, team.emptied());
        let replay = (|| {
            for membership in team.memberships() {
                self.join(id, membership.clone())?;
            }
            if let Some(manager) = team.manager() {
                self.appoint_manager(id, manager)?;
            }
            for turn in team.rota() {
                self.assign_turn(id, *turn)?;
            }
            Ok(())
        })();
        if replay.is_err() {
            self.teams.remove(&id);
        }
        replay
    }

    /// A team.
    #[must_use]
    pub fn team(&self, id: TeamId) -> Option<&Team> {
        self.teams.get(&id)
    }

    /// Every team, by id.
    pub fn teams(&self) -> impl Iterator<Item = &Team> {
        self.teams.values()
    }

    /// The teams that belong to `network` (as a PCN or a Primary Care Home site).
    pub fn teams_of_network(&self, network: NetworkId) -> impl Iterator<Item = &Team> {
        self.teams
            .values()
            .filter(move |t| t.host().network() == network)
    }

    fn team_or_error(&self, id: TeamId) -> Result<&Team, TeamError> {
        self.teams
            .get(&id)
            .ok_or(TeamError::UnknownTeam { team: id })
    }

    fn staff_or_error(&self, id: StaffId) -> Result<&StaffMember, TeamError> {
        self.staff
            .get(&id)
            .ok_or(TeamError::UnknownStaff { staff: id })
    }

    /// Every membership of `staff`, in every team.
    fn memberships_of(&self, staff: StaffId) -> impl Iterator<Item = (TeamId, &Membership)> {
        self.teams
            .values()
            .flat_map(move |t| t.memberships_of(staff).map(move |m| (t.id(), m)))
    }

    /// The WTE of `staff` allocated to teams on `date`.
    #[must_use]
    pub fn allocated_on(&self, staff: StaffId, date: NaiveDate) -> Wte {
        total(
            self.memberships_of(staff)
                .filter(|(_, m)| m.is_active_on(date))
                .map(|(_, m)| m.share),
        )
    }

    /// The WTE of `staff` not yet allocated to any team on `date`.
    #[must_use]
    pub fn available_on(&self, staff: StaffId, date: NaiveDate) -> Wte {
        let contracted = self
            .staff
            .get(&staff)
            .map_or(Wte::ZERO, |m| m.contracted_on(date));
        contracted
            .checked_sub(self.allocated_on(staff, date))
            .unwrap_or(Wte::ZERO)
    }

    /// Adds a member to a team with a share of their time.
    ///
    /// # Errors
    /// - [`TeamError::UnknownTeam`], [`TeamError::UnknownStaff`];
    /// - [`TeamError::ZeroShare`], or [`TeamError::InvalidParameter`] for an empty list
    ///   of localities;
    /// - [`TeamError::OverlappingMembership`] if they are already a member on some of
    ///   the days;
    /// - [`TeamError::OverAllocated`] if on some day the shares of all their teams
    ///   would exceed their contracted WTE (the first such day, with the figures);
    /// - [`TeamError::TooManyNurses`] if a self-managing team would pass its limit.
    pub fn join(&mut self, team_id: TeamId, membership: Membership) -> Result<(), TeamError> {
        let team = self.team_or_error(team_id)?;
        let member = self.staff_or_error(membership.staff)?;
        team.check_membership(&membership)?;

        let others: Vec<&Membership> = self
            .memberships_of(membership.staff)
            .map(|(_, m)| m)
            .collect();
        let boundaries = others
            .iter()
            .flat_map(|m| [Some(m.period.from()), m.period.to()])
            .flatten()
            .chain(member.contracted_wte().changes().iter().map(|c| c.from));
        for date in checkpoints(membership.period, boundaries) {
            let contracted = member.contracted_on(date);
            let already_allocated = total(
                others
                    .iter()
                    .filter(|m| m.is_active_on(date))
                    .map(|m| m.share),
            );
            let fits = already_allocated
                .checked_add(membership.share)
                .is_ok_and(|sum| sum <= contracted);
            if !fits {
                return Err(TeamError::OverAllocated {
                    staff: membership.staff,
                    team: team_id,
                    date,
                    contracted,
                    already_allocated,
                    requested: membership.share,
                });
            }
        }

        if let Some(policy) = team.kind().neighbourhood_policy()
            && member.is_nurse()
        {
            self.check_nurse_limit(team, policy, Some(&membership))?;
        }

        if let Some(team) = self.teams.get_mut(&team_id) {
            team.memberships_mut().push(membership);
        }
        Ok(())
    }

    /// Checks that `team` (with `extra` added, if given) never has more nurses on a
    /// day than `policy` allows.
    fn check_nurse_limit(
        &self,
        team: &Team,
        policy: &NeighbourhoodTeamPolicy,
        extra: Option<&Membership>,
    ) -> Result<(), TeamError> {
        let nurses: Vec<&Membership> = team
            .memberships()
            .iter()
            .chain(extra)
            .filter(|m| self.staff.get(&m.staff).is_some_and(StaffMember::is_nurse))
            .collect();
        let window = extra.map_or_else(
            || {
                nurses
                    .iter()
                    .map(|m| m.period.from())
                    .min()
                    .map(DateRange::starting)
            },
            |m| Some(m.period),
        );
        let Some(window) = window else {
            return Ok(());
        };
        let boundaries = nurses
            .iter()
            .flat_map(|m| [Some(m.period.from()), m.period.to()])
            .flatten();
        for date in checkpoints(window, boundaries) {
            let count = nurses.iter().filter(|m| m.is_active_on(date)).count();
            if count > usize::from(policy.max_nurses()) {
                return Err(TeamError::TooManyNurses {
                    team: team.id(),
                    date,
                    count,
                    max: policy.max_nurses(),
                });
            }
        }
        Ok(())
    }

    /// Ends a staff member's membership of a team on `on` (the first day they are no
    /// longer a member): a membership running on that day is cut short, one starting
    /// later is removed. Their turns in rotating roles are ended the same way and, if
    /// they managed the team, it no longer has a manager.
    ///
    /// Their patients are not touched here: reassign them with
    /// [`CaseloadPlanner::reassign_leaver`](crate::CaseloadPlanner::reassign_leaver).
    ///
    /// # Errors
    /// [`TeamError::UnknownTeam`]; [`TeamError::NotAMember`] if they have no
    /// membership of the team on or after `on`.
    pub fn leave(
        &mut self,
        team_id: TeamId,
        staff: StaffId,
        on: NaiveDate,
    ) -> Result<Departure, TeamError> {
        let team = self
            .teams
            .get_mut(&team_id)
            .ok_or(TeamError::UnknownTeam { team: team_id })?;
        let affected = |period: &DateRange| period.to().is_none_or(|to| to > on);
        let memberships_ended = team
            .memberships()
            .iter()
            .filter(|m| m.staff == staff && affected(&m.period))
            .count();
        if memberships_ended == 0 {
            return Err(TeamError::NotAMember {
                staff,
                team: team_id,
                when: format!("on or after {on}"),
            });
        }
        team.memberships_mut().retain_mut(|m| {
            if m.staff != staff || !affected(&m.period) {
                return true;
            }
            match m.period.ending(on) {
                Some(shorter) => {
                    m.period = shorter;
                    true
                }
                None => false,
            }
        });
        let mut turns_ended = Vec::new();
        team.rota_mut().retain_mut(|t| {
            if t.holder != staff || !affected(&t.period) {
                return true;
            }
            turns_ended.push(*t);
            match t.period.ending(on) {
                Some(shorter) => {
                    t.period = shorter;
                    true
                }
                None => false,
            }
        });
        let was_manager = team.manager() == Some(staff);
        if was_manager {
            team.set_manager(None);
        }
        Ok(Departure {
            team: team_id,
            staff,
            on,
            memberships_ended,
            turns_ended,
            was_manager,
        })
    }

    /// Replaces a staff member's contracted WTE timeline.
    ///
    /// # Errors
    /// [`TeamError::UnknownStaff`]; [`TeamError::ContractBelowAllocation`] if on some
    /// day their team shares would exceed the new contract (the first such day).
    pub fn set_contract(
        &mut self,
        staff: StaffId,
        contracted: Timeline<Wte>,
    ) -> Result<(), TeamError> {
        self.staff_or_error(staff)?;
        let memberships: Vec<&Membership> = self.memberships_of(staff).map(|(_, m)| m).collect();
        let boundaries: Vec<NaiveDate> = memberships
            .iter()
            .flat_map(|m| [Some(m.period.from()), m.period.to()])
            .flatten()
            .chain(contracted.changes().iter().map(|c| c.from))
            .collect();
        for membership in &memberships {
            for date in checkpoints(membership.period, boundaries.iter().copied()) {
                let allocated = total(
                    memberships
                        .iter()
                        .filter(|m| m.is_active_on(date))
                        .map(|m| m.share),
                );
                let contract = contracted.value_on(date).copied().unwrap_or(Wte::ZERO);
                if allocated > contract {
                    return Err(TeamError::ContractBelowAllocation {
                        staff,
                        date,
                        contracted: contract,
                        allocated,
                    });
                }
            }
        }
        if let Some(member) = self.staff.get_mut(&staff) {
            member.set_contracted_wte(contracted);
        }
        Ok(())
    }

    /// Changes a staff member's contracted WTE from `from` on (until the next change
    /// already recorded).
    ///
    /// # Errors
    /// As [`set_contract`](Self::set_contract).
    pub fn change_contract(
        &mut self,
        staff: StaffId,
        from: NaiveDate,
        wte: Wte,
    ) -> Result<(), TeamError> {
        let mut contracted = self.staff_or_error(staff)?.contracted_wte().clone();
        contracted.set(from, wte);
        self.set_contract(staff, contracted)
    }

    /// Replaces a staff member's skills.
    ///
    /// # Errors
    /// [`TeamError::UnknownStaff`].
    pub fn update_skills(&mut self, staff: StaffId, skills: SkillSet) -> Result<(), TeamError> {
        self.staff
            .get_mut(&staff)
            .ok_or(TeamError::UnknownStaff { staff })?
            .set_skills(skills);
        Ok(())
    }

    /// Makes `staff` the team's manager.
    ///
    /// # Errors
    /// [`TeamError::UnknownTeam`], [`TeamError::UnknownStaff`];
    /// [`TeamError::ManagerNotAllowed`] for a self-managing team whose policy forbids
    /// it; [`TeamError::NotAMember`] if they have never been a member.
    pub fn appoint_manager(&mut self, team_id: TeamId, staff: StaffId) -> Result<(), TeamError> {
        self.staff_or_error(staff)?;
        self.team_or_error(team_id)?.check_manager(staff)?;
        if let Some(team) = self.teams.get_mut(&team_id) {
            team.set_manager(Some(staff));
        }
        Ok(())
    }

    /// Records a turn in a rotating role.
    ///
    /// # Errors
    /// [`TeamError::UnknownTeam`], [`TeamError::UnknownStaff`];
    /// [`TeamError::NotAMember`] if the holder is not a member for the whole turn;
    /// [`TeamError::RotaOverlap`] if someone holds the role on one of the days;
    /// [`TeamError::TermTooLong`] if the holder's continuous turn would pass the
    /// policy's limit.
    pub fn assign_turn(&mut self, team_id: TeamId, turn: RotaTurn) -> Result<(), TeamError> {
        self.staff_or_error(turn.holder)?;
        self.team_or_error(team_id)?.check_turn(&turn)?;
        if let Some(team) = self.teams.get_mut(&team_id) {
            team.rota_mut().push(turn);
        }
        Ok(())
    }

    /// Replaces a self-managing team's policy, checking the team against it.
    ///
    /// # Errors
    /// [`TeamError::UnknownTeam`]; [`TeamError::InvalidParameter`] if the team is not
    /// self-managing; [`TeamError::TooManyNurses`], [`TeamError::ManagerNotAllowed`] or
    /// [`TeamError::TermTooLong`] if the team breaks the new policy.
    pub fn set_neighbourhood_policy(
        &mut self,
        team_id: TeamId,
        policy: NeighbourhoodTeamPolicy,
    ) -> Result<(), TeamError> {
        let team = self.team_or_error(team_id)?;
        if team.kind().neighbourhood_policy().is_none() {
            return Err(TeamError::InvalidParameter {
                parameter: "team kind",
                value: format!("{:?}", team.kind()),
                reason: "only a self-managing neighbourhood team has a neighbourhood policy",
            });
        }
        let mut candidate = team.clone();
        *candidate.kind_mut() = TeamKind::SelfManagingNeighbourhood { policy };
        self.check_nurse_limit(&candidate, &policy, None)?;
        let rebuilt = candidate.replayed()?;
        self.teams.insert(team_id, rebuilt);
        Ok(())
    }

    /// The staff members of a team on `date`, each with their membership.
    pub fn members_on(
        &self,
        team_id: TeamId,
        date: NaiveDate,
    ) -> impl Iterator<Item = (&StaffMember, &Membership)> {
        self.teams
            .get(&team_id)
            .into_iter()
            .flat_map(move |t| t.members_on(date))
            .filter_map(|m| self.staff.get(&m.staff).map(|s| (s, m)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{RegistrationNumber, RotatingRole, StaffRecord, TeamHost};
    use pcn_core::{Party, PracticeId, Role};
    use proptest::prelude::*;

    fn d(day: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 4, 1).unwrap() + chrono::Duration::days(day)
    }

    fn wte(h: u32) -> Wte {
        Wte::from_hundredths(h)
    }

    fn nurse(n: u128, contracted: u32) -> StaffMember {
        StaffMember::new(StaffRecord {
            id: StaffId::from_u128(n),
            name: format!("Nurse {n}"),
            role: Role::DistrictNurse,
            registration: Some(
                RegistrationNumber::for_role(
                    Role::DistrictNurse,
                    &format!("12A{:04}E", n % 10_000),
                )
                .unwrap(),
            ),
            employer: Party::Practice(PracticeId::from_u128(1)),
            contracted_wte: Timeline::starting(d(0), wte(contracted)),
            skills: SkillSet::EMPTY,
        })
        .unwrap()
    }

    fn team(id: u128, kind: TeamKind) -> Team {
        Team::new(
            TeamId::from_u128(id),
            format!("Team {id}"),
            TeamHost::PrimaryCareNetwork(NetworkId::from_u128(1)),
            kind,
        )
        .unwrap()
    }

    fn neighbourhood(policy: NeighbourhoodTeamPolicy) -> TeamKind {
        TeamKind::SelfManagingNeighbourhood { policy }
    }

    fn range(from: i64, to: Option<i64>) -> DateRange {
        DateRange::new(d(from), to.map(d)).unwrap()
    }

    #[test]
    fn over_allocation_names_the_first_day_and_changes_nothing() {
        let mut w = Workforce::new();
        let mut member = nurse(1, 100).record().clone();
        member.contracted_wte.set(d(30), wte(50));
        w.add_staff(StaffMember::new(member).unwrap()).unwrap();
        w.add_team(team(1, TeamKind::Multidisciplinary)).unwrap();
        w.add_team(team(2, TeamKind::Multidisciplinary)).unwrap();
        let staff = StaffId::from_u128(1);
        w.join(
            TeamId::from_u128(1),
            Membership {
                period: range(0, None),
                ..Membership::starting(staff, wte(40), d(0))
            },
        )
        .unwrap();
        let before = w.clone();
        let err = w
            .join(
                TeamId::from_u128(2),
                Membership::starting(staff, wte(20), d(10)),
            )
            .unwrap_err();
        assert_eq!(
            err,
            TeamError::OverAllocated {
                staff,
                team: TeamId::from_u128(2),
                date: d(30),
                contracted: wte(50),
                already_allocated: wte(40),
                requested: wte(20),
            }
        );
        assert_eq!(w, before);
        // Up to the cut in hours it fits.
        w.join(
            TeamId::from_u128(2),
            Membership {
                period: range(10, Some(30)),
                ..Membership::starting(staff, wte(60), d(10))
            },
        )
        .unwrap();
        assert_eq!(w.allocated_on(staff, d(29)), wte(100));
        assert_eq!(w.available_on(staff, d(30)), wte(10));
    }

    #[test]
    fn no_contract_means_no_time() {
        let mut w = Workforce::new();
        w.add_staff(nurse(1, 100)).unwrap();
        w.add_team(team(1, TeamKind::Multidisciplinary)).unwrap();
        let err = w
            .join(
                TeamId::from_u128(1),
                Membership::starting(StaffId::from_u128(1), wte(10), d(-5)),
            )
            .unwrap_err();
        assert!(
            matches!(err, TeamError::OverAllocated { contracted, date, .. } if contracted == Wte::ZERO && date == d(-5))
        );
    }

    #[test]
    fn contract_cuts_below_allocation_are_refused() {
        let mut w = Workforce::new();
        w.add_staff(nurse(1, 100)).unwrap();
        w.add_team(team(1, TeamKind::Multidisciplinary)).unwrap();
        let staff = StaffId::from_u128(1);
        w.join(
            TeamId::from_u128(1),
            Membership::starting(staff, wte(80), d(0)),
        )
        .unwrap();
        let before = w.clone();
        let err = w.change_contract(staff, d(60), wte(60)).unwrap_err();
        assert_eq!(
            err,
            TeamError::ContractBelowAllocation {
                staff,
                date: d(60),
                contracted: wte(60),
                allocated: wte(80),
            }
        );
        assert_eq!(w, before);
        w.change_contract(staff, d(60), wte(80)).unwrap();
        w.leave(TeamId::from_u128(1), staff, d(90)).unwrap();
        w.change_contract(staff, d(90), wte(20)).unwrap();
    }

    #[test]
    fn neighbourhood_teams_keep_their_nurse_limit_and_have_no_manager() {
        let mut w = Workforce::new();
        let policy = NeighbourhoodTeamPolicy::default()
            .with_max_nurses(2)
            .unwrap();
        w.add_team(team(1, neighbourhood(policy))).unwrap();
        for n in 1..=3 {
            w.add_staff(nurse(n, 100)).unwrap();
        }
        let t = TeamId::from_u128(1);
        w.join(
            t,
            Membership::starting(StaffId::from_u128(1), wte(50), d(0)),
        )
        .unwrap();
        w.join(
            t,
            Membership {
                period: range(0, Some(20)),
                ..Membership::starting(StaffId::from_u128(2), wte(50), d(0))
            },
        )
        .unwrap();
        let err = w
            .join(
                t,
                Membership::starting(StaffId::from_u128(3), wte(50), d(10)),
            )
            .unwrap_err();
        assert_eq!(
            err,
            TeamError::TooManyNurses {
                team: t,
                date: d(10),
                count: 3,
                max: 2
            }
        );
        w.join(
            t,
            Membership::starting(StaffId::from_u128(3), wte(50), d(20)),
        )
        .unwrap();
        assert_eq!(
            w.appoint_manager(t, StaffId::from_u128(1)),
            Err(TeamError::ManagerNotAllowed { team: t })
        );
        // Lowering the limit below the team's size is refused.
        let one = NeighbourhoodTeamPolicy::default()
            .with_max_nurses(1)
            .unwrap();
        assert!(matches!(
            w.set_neighbourhood_policy(t, one),
            Err(TeamError::TooManyNurses { .. })
        ));
    }

    #[test]
    fn rotating_roles_have_one_holder_and_limited_turns() {
        let mut w = Workforce::new();
        let policy = NeighbourhoodTeamPolicy::default()
            .with_max_turn_days(Some(90))
            .unwrap();
        w.add_team(team(1, neighbourhood(policy))).unwrap();
        w.add_staff(nurse(1, 100)).unwrap();
        w.add_staff(nurse(2, 100)).unwrap();
        let t = TeamId::from_u128(1);
        let (a, b) = (StaffId::from_u128(1), StaffId::from_u128(2));
        w.join(t, Membership::starting(a, wte(100), d(0))).unwrap();
        w.join(
            t,
            Membership {
                period: range(0, Some(100)),
                ..Membership::starting(b, wte(100), d(0))
            },
        )
        .unwrap();
        let turn = |holder, from, to| RotaTurn {
            role: RotatingRole::Planner,
            holder,
            period: range(from, to),
        };
        w.assign_turn(t, turn(a, 0, Some(60))).unwrap();
        assert!(matches!(
            w.assign_turn(t, turn(b, 30, Some(90))),
            Err(TeamError::RotaOverlap { .. })
        ));
        // a's second turn straight after the first makes one 120-day turn.
        assert!(matches!(
            w.assign_turn(t, turn(a, 60, Some(120))),
            Err(TeamError::TermTooLong { max_days: 90, .. })
        ));
        assert!(matches!(
            w.assign_turn(t, turn(a, 60, None)),
            Err(TeamError::TermTooLong { .. })
        ));
        // b leaves the team on day 100, so cannot plan beyond it.
        assert!(matches!(
            w.assign_turn(t, turn(b, 60, Some(120))),
            Err(TeamError::NotAMember { .. })
        ));
        w.assign_turn(t, turn(b, 60, Some(100))).unwrap();
        assert_eq!(
            w.team(t).unwrap().holder_on(RotatingRole::Planner, d(70)),
            Some(b)
        );
    }

    #[test]
    fn leaving_ends_memberships_turns_and_management() {
        let mut w = Workforce::new();
        w.add_team(team(1, TeamKind::Multidisciplinary)).unwrap();
        w.add_staff(nurse(1, 100)).unwrap();
        let t = TeamId::from_u128(1);
        let a = StaffId::from_u128(1);
        w.join(t, Membership::starting(a, wte(100), d(0))).unwrap();
        w.appoint_manager(t, a).unwrap();
        w.assign_turn(
            t,
            RotaTurn {
                role: RotatingRole::Coach,
                holder: a,
                period: range(0, None),
            },
        )
        .unwrap();
        let departure = w.leave(t, a, d(50)).unwrap();
        assert_eq!(departure.memberships_ended, 1);
        assert!(departure.was_manager);
        assert_eq!(departure.turns_ended.len(), 1);
        let team = w.team(t).unwrap();
        assert_eq!(team.manager(), None);
        assert_eq!(team.memberships()[0].period, range(0, Some(50)));
        assert_eq!(team.rota()[0].period, range(0, Some(50)));
        assert!(matches!(
            w.leave(t, a, d(60)),
            Err(TeamError::NotAMember { .. })
        ));
    }

    #[test]
    fn serde_round_trips_and_rechecks_every_rule() {
        let mut w = Workforce::new();
        w.add_team(team(1, TeamKind::Multidisciplinary)).unwrap();
        w.add_staff(nurse(1, 50)).unwrap();
        let t = TeamId::from_u128(1);
        w.join(
            t,
            Membership::starting(StaffId::from_u128(1), wte(50), d(0)),
        )
        .unwrap();
        let json = serde_json::to_string(&w).unwrap();
        assert_eq!(serde_json::from_str::<Workforce>(&json).unwrap(), w);
        let over = json.replace(r#""share":"0.50""#, r#""share":"0.60""#);
        let err = serde_json::from_str::<Workforce>(&over).unwrap_err();
        assert!(err.to_string().contains("contracted for 0.50 WTE"), "{err}");
    }

    /// One operation of the property test: join or leave, on one of three teams.
    #[derive(Debug, Clone)]
    enum Op {
        Join {
            team: u128,
            staff: u128,
            share: u32,
            from: i64,
            len: Option<i64>,
        },
        Leave {
            team: u128,
            staff: u128,
            on: i64,
        },
        Contract {
            staff: u128,
            from: i64,
            wte: u32,
        },
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (1u128..=3, 1u128..=4, 1u32..=100, 0i64..200, prop::option::of(1i64..150))
                .prop_map(|(team, staff, share, from, len)| Op::Join { team, staff, share, from, len }),
            1 => (1u128..=3, 1u128..=4, 0i64..300)
                .prop_map(|(team, staff, on)| Op::Leave { team, staff, on }),
            1 => (1u128..=4, 0i64..300, 0u32..=100)
                .prop_map(|(staff, from, wte)| Op::Contract { staff, from, wte }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// Nobody is ever allocated over their contracted WTE, on any day, whatever
        /// sequence of joins, leaves and contract changes is tried; a neighbourhood
        /// team keeps its nurse limit; and a rejected operation changes nothing.
        #[test]
        fn nobody_is_allocated_over_their_wte(ops in prop::collection::vec(op(), 1..40)) {
            let mut w = Workforce::new();
            for n in 1..=2 {
                w.add_team(team(n, TeamKind::Multidisciplinary)).unwrap();
            }
            let small = NeighbourhoodTeamPolicy::default().with_max_nurses(2).unwrap();
            w.add_team(team(3, neighbourhood(small))).unwrap();
            for n in 1..=4 {
                w.add_staff(nurse(n, 100)).unwrap();
            }
            for op in ops {
                let before = w.clone();
                let result = match op {
                    Op::Join { team, staff, share, from, len } => w.join(
                        TeamId::from_u128(team),
                        Membership {
                            period: range(from, len.map(|l| from + l)),
                            ..Membership::starting(StaffId::from_u128(staff), wte(share), d(from))
                        },
                    ),
                    Op::Leave { team, staff, on } => {
                        w.leave(TeamId::from_u128(team), StaffId::from_u128(staff), d(on)).map(|_| ())
                    }
                    Op::Contract { staff, from, wte: h } => {
                        w.change_contract(StaffId::from_u128(staff), d(from), wte(h))
                    }
                };
                if result.is_err() {
                    prop_assert_eq!(&w, &before);
                }
            }
            for member in w.staff_members() {
                for day in 0..400 {
                    let allocated = w.allocated_on(member.id(), d(day));
                    prop_assert!(allocated <= member.contracted_on(d(day)),
                        "{} allocated {} of {} on day {}", member.name(), allocated,
                        member.contracted_on(d(day)), day);
                }
            }
            // The neighbourhood team never has more nurses than its policy allows.
            for day in 0..400 {
                let nurses = w.members_on(TeamId::from_u128(3), d(day)).count();
                prop_assert!(nurses <= 2, "{} nurses on day {}", nurses, day);
            }
            let json = serde_json::to_string(&w).unwrap();
            prop_assert_eq!(serde_json::from_str::<Workforce>(&json).unwrap(), w);
        }
    }
}
