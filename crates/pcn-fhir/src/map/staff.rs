//! A member of staff as a `Practitioner` and a `PractitionerRole`.
//!
//! | model | FHIR |
//! |---|---|
//! | id | `Practitioner.id` (the UUID) |
//! | name | `Practitioner.name.text` |
//! | registration number | `Practitioner.identifier`, in the register's UK Core naming system |
//! | role | `PractitionerRole.code`, this crate's `role` codes (the `snake_case` role names) |
//! | employer | `PractitionerRole.organization`, with the `employer-kind` extension |
//! | contracted WTE over time | `contracted-wte` extensions on the role, one per change (hundredths) |
//! | skills | `skill` extensions on the role |

use std::borrow::Cow;

use pcn_core::{Party, PartyKind, ProfessionalRegister, Role, StaffId, Timeline, Wte};
use pcn_team::{RegistrationNumber, Skill, SkillSet, StaffMember, StaffRecord};
use uuid::Uuid;

use super::{
    CONTRACTED_WTE, EMPLOYER_KIND, ROLE, SKILL, code_extension, complex, day_of, extension,
    extensions, missing_part, part, reference_to, referenced_uuid,
};
use crate::path::JsonPath;
use crate::{
    CodeableConcept, Coding, Extension, FhirDate, FhirError, HumanName, Identifier, Practitioner,
    PractitionerRole, ResourceId, system,
};

fn register_system(register: ProfessionalRegister) -> &'static str {
    match register {
        ProfessionalRegister::Gmc => system::GMC_NUMBER,
        ProfessionalRegister::Nmc => system::NMC_NUMBER,
        ProfessionalRegister::Hcpc => system::HCPC_NUMBER,
        ProfessionalRegister::Gphc => system::GPHC_NUMBER,
        _ => system::SOCIAL_WORK_ENGLAND_NUMBER,
    }
}

const REGISTERS: [ProfessionalRegister; 5] = [
    ProfessionalRegister::Gmc,
    ProfessionalRegister::Nmc,
    ProfessionalRegister::Hcpc,
    ProfessionalRegister::Gphc,
    ProfessionalRegister::SocialWorkEngland,
];

/// The `employer-kind` code of each kind of employer.
const EMPLOYER_KINDS: [(PartyKind, &str); 6] = [
    (PartyKind::Practice, "practice"),
    (PartyKind::Network, "network"),
    (PartyKind::Trust, "trust"),
    (PartyKind::LocalAuthority, "local-authority"),
    (PartyKind::VoluntaryOrganisation, "voluntary-organisation"),
    (PartyKind::Organisation, "organisation"),
];

const EMPLOYER_KIND_CODES: &str =
    "practice, network, trust, local-authority, voluntary-organisation, organisation";

fn employer_kind_code(kind: PartyKind) -> &'static str {
    EMPLOYER_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("organisation", |(_, code)| code)
}

/// The id of a staff member's `PractitionerRole`: derived in the staff namespace.
fn role_uuid(staff: StaffId) -> Uuid {
    StaffId::derived(&format!("{staff}:role")).as_uuid()
}

/// A member of staff as a `Practitioner` (who they are) and a `PractitionerRole`
/// (their role for their employer).
///
/// ```
/// use pcn_core::{Party, Role, StaffId, PracticeId, Timeline, Wte};
/// use pcn_team::{SkillSet, StaffMember, StaffRecord};
/// let member = StaffMember::new(StaffRecord {
///     id: StaffId::from_u128(3),
///     name: "Sam Okafor".into(),
///     role: Role::SocialPrescribingLinkWorker,
///     registration: None,
///     employer: Party::Practice(PracticeId::from_u128(1)),
///     contracted_wte: Timeline::new(),
///     skills: SkillSet::default(),
/// })?;
/// let (practitioner, role) = pcn_fhir::staff_to_fhir(&member);
/// assert_eq!(pcn_fhir::staff_from_fhir(&practitioner, &role)?, member);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn staff_to_fhir(member: &StaffMember) -> (Practitioner<'_>, PractitionerRole<'_>) {
    let practitioner = Practitioner {
        id: Some(ResourceId::from_uuid(member.id().as_uuid())),
        identifier: member
            .registration()
            .map(|number| {
                Identifier::new(
                    register_system(number.register()),
                    number.as_str().to_owned(),
                )
            })
            .into_iter()
            .collect(),
        active: Some(true),
        name: vec![HumanName {
            text: Some(Cow::Borrowed(member.name())),
            ..HumanName::default()
        }],
        ..Practitioner::default()
    };
    let employer = member.employer().uuid();
    let mut extension = vec![code_extension(
        EMPLOYER_KIND,
        employer_kind_code(member.employer().kind()),
    )];
    for change in member.contracted_wte().changes() {
        let mut parts = vec![Extension {
            value_date: Some(FhirDate::Day(change.from)),
            ..Extension::new("from")
        }];
        if let Some(wte) = change.value {
            parts.push(Extension {
                value_unsigned_int: Some(wte.hundredths()),
                ..Extension::new("hundredths")
            });
        }
        extension.push(complex(CONTRACTED_WTE, parts));
    }
    for skill in member.skills().iter() {
        extension.push(code_extension(SKILL, skill.name()));
    }
    let role = member.role();
    let practitioner_role = PractitionerRole {
        id: Some(ResourceId::from_uuid(role_uuid(member.id()))),
        extension,
        active: Some(true),
        practitioner: Some(reference_to(member.id().as_uuid())),
        organization: Some(reference_to(employer)),
        code: vec![CodeableConcept::from_coding(Coding::new(
            ROLE,
            role.name(),
            Some(Cow::Borrowed(role.label())),
        ))],
        ..PractitionerRole::default()
    };
    (practitioner, practitioner_role)
}

/// A member of staff from their `Practitioner` and `PractitionerRole`.
///
/// # Errors
/// [`FhirError::MissingElement`] for a missing name, role code, employer or
/// extension part; [`FhirError::InvalidCode`] for an unknown role, employer kind or
/// skill; [`FhirError::Team`] if the team model refuses the record (a registration
/// number of the wrong form, or missing where the role needs one).
pub fn staff_from_fhir(
    practitioner: &Practitioner<'_>,
    role: &PractitionerRole<'_>,
) -> Result<StaffMember, FhirError> {
    staff_at(
        practitioner,
        role,
        &JsonPath::new("Practitioner"),
        &JsonPath::new("PractitionerRole"),
    )
}

pub(crate) fn staff_at(
    practitioner: &Practitioner<'_>,
    practitioner_role: &PractitionerRole<'_>,
    at: &JsonPath,
    role_at: &JsonPath,
) -> Result<StaffMember, FhirError> {
    let id = super::required_uuid(practitioner.id.as_ref(), at)?;
    let name = practitioner
        .name
        .iter()
        .find_map(|n| n.text.as_deref())
        .ok_or_else(|| FhirError::MissingElement {
            path: at.with_member("name"),
            element: "name text",
        })?;
    let (i, coding) = practitioner_role
        .code
        .iter()
        .enumerate()
        .find_map(|(i, c)| c.coding_in(ROLE).map(|coding| (i, coding)))
        .ok_or_else(|| FhirError::MissingElement {
            path: role_at.with_member("code"),
            element: "role code",
        })?;
    let code = coding.code.as_deref().unwrap_or_default();
    let role: Role = code.parse().map_err(|_| FhirError::InvalidCode {
        path: format!("{}.code[{i}].coding", role_at.as_str()),
        value: code.to_owned(),
        expected: "a role name such as `gp` or `clinical_pharmacist`",
    })?;
    let team_error = |source| FhirError::Team {
        path: at.as_str().to_owned(),
        source,
    };
    let registration = practitioner
        .identifier
        .iter()
        .find_map(|id| {
            let register = REGISTERS.iter().find(|r| id.is_in(register_system(**r)))?;
            Some((*register, id.value.as_deref()?))
        })
        .map(|(register, text)| RegistrationNumber::new(register, text))
        .transpose()
        .map_err(team_error)?;
    let employer_uuid = referenced_uuid(
        practitioner_role.organization.as_ref(),
        role_at,
        "organization",
    )?;
    let kind = extension(&practitioner_role.extension, EMPLOYER_KIND)
        .and_then(|e| e.value_code.as_deref())
        .unwrap_or("practice");
    let employer = EMPLOYER_KINDS
        .iter()
        .find(|(_, code)| *code == kind)
        .map(|(kind, _)| Party::new(*kind, employer_uuid))
        .ok_or_else(|| FhirError::InvalidCode {
            path: role_at.with_member("extension"),
            value: kind.to_owned(),
            expected: EMPLOYER_KIND_CODES,
        })?;
    let mut contracted_wte = Timeline::new();
    for (i, ext) in extensions(&practitioner_role.extension, CONTRACTED_WTE) {
        let from = part(ext, "from").ok_or_else(|| missing_part(role_at, i, "from"))?;
        let from = day_of(from.value_date, || {
            format!("{}.extension[{i}].extension", role_at.as_str())
        })?;
        match part(ext, "hundredths").and_then(|h| h.value_unsigned_int) {
            Some(hundredths) => contracted_wte.set(from, Wte::from_hundredths(hundredths)),
            None => contracted_wte.end(from),
        }
    }
    let mut skills = SkillSet::default();
    for (i, ext) in extensions(&practitioner_role.extension, SKILL) {
        let code = ext.value_code.as_deref().unwrap_or_default();
        let skill = Skill::ALL
            .iter()
            .find(|s| s.name() == code)
            .ok_or_else(|| FhirError::InvalidCode {
                path: format!("{}.extension[{i}].valueCode", role_at.as_str()),
                value: code.to_owned(),
                expected: "a skill name",
            })?;
        skills = skills.with(*skill);
    }
    StaffMember::new(StaffRecord {
        id: StaffId::from_uuid(id),
        name: name.to_owned(),
        role,
        registration,
        employer,
        contracted_wte,
        skills,
    })
    .map_err(team_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_employer_round_trips() {
        for kind in PartyKind::ALL {
            let member = StaffMember::new(StaffRecord {
                id: StaffId::from_u128(3),
                name: "Sam Okafor".into(),
                role: Role::SocialPrescribingLinkWorker,
                registration: None,
                employer: Party::new(kind, Uuid::from_u128(0x0301)),
                contracted_wte: Timeline::new(),
                skills: SkillSet::default(),
            })
            .unwrap();
            let (practitioner, role) = staff_to_fhir(&member);
            assert_eq!(staff_from_fhir(&practitioner, &role).unwrap(), member);
        }
    }
}
