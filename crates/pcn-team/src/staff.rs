//! Members of staff: who they are, what they do, who employs them, their hours.

use chrono::NaiveDate;
use pcn_core::{Party, Role, StaffId, Timeline, Wte};
use serde::{Deserialize, Serialize};

use crate::{RegistrationNumber, SkillSet, TeamError};

/// The details of a member of staff, as given: the input to [`StaffMember::new`] and
/// the serde form of a [`StaffMember`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRecord {
    /// The staff member's id.
    pub id: StaffId,
    /// Their name, as it should appear on rotas and care plans.
    pub name: String,
    /// Their role.
    pub role: Role,
    /// Their professional registration number; required for a regulated role (see
    /// [`StaffMember::new`]).
    pub registration: Option<RegistrationNumber>,
    /// Who employs them: a member practice, the network's nominated employer, or a
    /// partner organisation that lends them (a community or mental health trust, a
    /// local authority, a voluntary organisation), as network staff in England are
    /// employed. Serde writes the [`Party`] as `{"kind": "practice", "id": "..."}`.
    pub employer: Party,
    /// Their contracted whole-time equivalent, dated (a change of hours is a new entry;
    /// the end of the contract is an entry with no value).
    pub contracted_wte: Timeline<Wte>,
    /// What they can do for patients.
    pub skills: SkillSet,
}

/// A member of staff of the team around a population: a GP, a nurse, a pharmacist, a
/// link worker, a volunteer.
///
/// Built from a [`StaffRecord`] and checked once: the name is not empty and the
/// registration number fits the role. A regulated role needs a number on its
/// register ([`Role::register`]), checked by [`RegistrationNumber::check_role`]; an
/// unregulated role has none. The one exception is the physician associate: the GMC
/// has regulated physician associates since 13 December 2024, with a transition period
/// to December 2026 before registration is compulsory (GMC, "Regulating physician
/// associates and anaesthesia associates: registration"), so a physician associate
/// may be recorded without a number; one given must be an `A`-prefixed GMC number.
///
/// The contracted WTE is a [`Timeline`], so that a change of hours keeps its history;
/// the [`Workforce`](crate::Workforce) checks that team shares never exceed it.
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_core::{OdsCode, Party, PracticeId, Role, StaffId, Timeline, Wte};
/// use pcn_team::{RegistrationNumber, Skill, SkillSet, StaffMember, StaffRecord};
///
/// let practice = PracticeId::from_ods(&"A81001".parse::<OdsCode>()?);
/// let start = NaiveDate::from_ymd_opt(2024, 4, 1).ok_or("date")?;
/// let nurse = StaffMember::new(StaffRecord {
///     id: StaffId::from_u128(1),
///     name: "Ada Okafor".into(),
///     role: Role::DistrictNurse,
///     registration: Some(RegistrationNumber::for_role(Role::DistrictNurse, "12A3456E")?),
///     employer: Party::Practice(practice),
///     contracted_wte: Timeline::starting(start, "0.8".parse::<Wte>()?),
///     skills: SkillSet::from_iter([Skill::WoundCare, Skill::HomeVisits]),
/// })?;
/// assert_eq!(nurse.contracted_on(start), "0.80".parse()?);
/// assert_eq!(nurse.contracted_on(start.pred_opt().ok_or("date")?), Wte::ZERO);
///
/// // A GP needs a GMC number.
/// let mut record = nurse.record().clone();
/// record.role = Role::Gp;
/// assert!(StaffMember::new(record).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "StaffRecord", into = "StaffRecord")]
pub struct StaffMember {
    record: StaffRecord,
}

impl TryFrom<StaffRecord> for StaffMember {
    type Error = TeamError;

    fn try_from(record: StaffRecord) -> Result<Self, Self::Error> {
        Self::new(record)
    }
}

impl From<StaffMember> for StaffRecord {
    fn from(member: StaffMember) -> Self {
        member.record
    }
}

/// Checks that `registration` is what a member of staff in `role` must have.
fn check_registration(
    role: Role,
    registration: Option<&RegistrationNumber>,
) -> Result<(), TeamError> {
    match (role.register(), registration) {
        (_, Some(number)) => number.check_role(role),
        (Some(_), None) if role == Role::PhysicianAssociate => Ok(()),
        (Some(register), None) => Err(TeamError::RegistrationRequired { role, register }),
        (None, None) => Ok(()),
    }
}

impl StaffMember {
    /// Checks a staff record and makes the staff member.
    ///
    /// # Errors
    /// [`TeamError::EmptyName`] for a blank name; [`TeamError::RegistrationRequired`],
    /// [`TeamError::RegistrationNotExpected`] or
    /// [`TeamError::RegistrationDoesNotFitRole`] when the registration number does not
    /// match the role.
    pub fn new(mut record: StaffRecord) -> Result<Self, TeamError> {
        let name = record.name.trim();
        if name.is_empty() {
            return Err(TeamError::EmptyName {
                what: "staff member",
            });
        }
        if name.len() != record.name.len() {
            record.name = name.to_owned();
        }
        check_registration(record.role, record.registration.as_ref())?;
        Ok(Self { record })
    }

    /// The staff member's id.
    #[must_use]
    pub const fn id(&self) -> StaffId {
        self.record.id
    }

    /// Their name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.record.name
    }

    /// Their role.
    #[must_use]
    pub const fn role(&self) -> Role {
        self.record.role
    }

    /// Their registration number, if they have one.
    #[must_use]
    pub const fn registration(&self) -> Option<&RegistrationNumber> {
        self.record.registration.as_ref()
    }

    /// Who employs them.
    #[must_use]
    pub const fn employer(&self) -> Party {
        self.record.employer
    }

    /// Their contracted WTE over time.
    #[must_use]
    pub const fn contracted_wte(&self) -> &Timeline<Wte> {
        &self.record.contracted_wte
    }

    /// Their contracted WTE on `date` (zero where they have no contract that day).
    #[must_use]
    pub fn contracted_on(&self, date: NaiveDate) -> Wte {
        self.record
            .contracted_wte
            .value_on(date)
            .copied()
            .unwrap_or(Wte::ZERO)
    }

    /// What they can do for patients.
    #[must_use]
    pub const fn skills(&self) -> SkillSet {
        self.record.skills
    }

    /// Whether they are a nurse for the purposes of team size rules: on the NMC
    /// register by role (nurses, community matrons, advanced practitioners, mental
    /// health practitioners and nursing associates).
    #[must_use]
    pub fn is_nurse(&self) -> bool {
        self.record.role.register() == Some(pcn_core::ProfessionalRegister::Nmc)
    }

    /// The checked record.
    #[must_use]
    pub const fn record(&self) -> &StaffRecord {
        &self.record
    }

    /// Replaces the contract; the workforce checks it against team shares first.
    pub(crate) fn set_contracted_wte(&mut self, contracted: Timeline<Wte>) {
        self.record.contracted_wte = contracted;
    }

    /// Replaces the skills (no invariant depends on them).
    pub(crate) fn set_skills(&mut self, skills: SkillSet) {
        self.record.skills = skills;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Skill;
    use pcn_core::NetworkId;

    fn record(role: Role, registration: Option<&str>) -> StaffRecord {
        StaffRecord {
            id: StaffId::from_u128(7),
            name: "  Sam Patel ".into(),
            role,
            registration: registration
                .map(|text| RegistrationNumber::new(role.register().unwrap(), text).unwrap()),
            employer: Party::Network(NetworkId::from_u128(1)),
            contracted_wte: Timeline::starting(
                NaiveDate::from_ymd_opt(2024, 4, 1).unwrap(),
                Wte::FULL_TIME,
            ),
            skills: SkillSet::of(Skill::MedicationReview),
        }
    }

    #[test]
    fn names_are_trimmed_and_must_not_be_empty() {
        let member = StaffMember::new(record(Role::ClinicalPharmacist, Some("2012345"))).unwrap();
        assert_eq!(member.name(), "Sam Patel");
        let mut blank = record(Role::ClinicalPharmacist, Some("2012345"));
        blank.name = "   ".into();
        assert_eq!(
            StaffMember::new(blank),
            Err(TeamError::EmptyName {
                what: "staff member"
            })
        );
    }

    #[test]
    fn regulated_roles_need_a_fitting_number() {
        assert_eq!(
            StaffMember::new(record(Role::ClinicalPharmacist, None))
                .unwrap_err()
                .to_string(),
            "a clinical pharmacist must be on the GPhC register: give their registration number"
        );
        assert_eq!(
            StaffMember::new(record(Role::ClinicalPharmacist, Some("5012345")))
                .unwrap_err()
                .to_string(),
            "registration number 5012345 does not fit the role clinical pharmacist: a clinical pharmacist's GPhC number starts with 2"
        );
        assert!(StaffMember::new(record(Role::PhysicianAssociate, None)).is_ok());
        assert!(StaffMember::new(record(Role::PhysicianAssociate, Some("A1234567"))).is_ok());
        assert!(StaffMember::new(record(Role::CareCoordinator, None)).is_ok());
        let mut unregulated = record(Role::ClinicalPharmacist, Some("2012345"));
        unregulated.role = Role::Volunteer;
        assert!(matches!(
            StaffMember::new(unregulated),
            Err(TeamError::RegistrationNotExpected { .. })
        ));
    }

    #[test]
    fn serde_round_trips_and_checks() {
        let member = StaffMember::new(record(Role::Paramedic, Some("PA12345"))).unwrap();
        let json = serde_json::to_string(&member).unwrap();
        assert!(json.contains(r#""role":"paramedic""#), "{json}");
        assert!(json.contains(r#""employer":{"kind":"network""#), "{json}");
        assert_eq!(serde_json::from_str::<StaffMember>(&json).unwrap(), member);
        let bad = json.replace("PA12345", "PH12345");
        assert!(serde_json::from_str::<StaffMember>(&bad).is_err());
    }

    #[test]
    fn nurses_are_the_nmc_roles() {
        let nurse = StaffMember::new(record(Role::CommunityMatron, Some("12A3456E"))).unwrap();
        assert!(nurse.is_nurse());
        let pharmacist =
            StaffMember::new(record(Role::ClinicalPharmacist, Some("2012345"))).unwrap();
        assert!(!pharmacist.is_nurse());
    }
}
