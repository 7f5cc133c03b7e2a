//! A team as a `CareTeam`.
//!
//! | model | FHIR |
//! |---|---|
//! | id, name | `CareTeam.id`, `.name` |
//! | host network | `CareTeam.managingOrganization`, with the `team-host` extension (PCN or Primary Care Home site) |
//! | kind (multidisciplinary, self-managing neighbourhood) | `CareTeam.category`, this crate's `team-kind` codes; a neighbourhood team's policy in the `neighbourhood-policy` extension |
//! | membership: member, dates | `CareTeam.participant`: `member` (the `Practitioner`), `period` |
//! | membership: share of the member's hours, localities covered | participant extensions `share` (hundredths of a WTE) and `locality` |
//! | manager | `team-manager` extension |
//! | rota (coach, planner) | `rota-turn` extensions (complex: role, holder, period) |
//!
//! The team is rebuilt through the team model's own checks (members' dates, the
//! manager and rota holders being members), so a `CareTeam` that breaks them is
//! refused with its path.

use std::borrow::Cow;

use pcn_core::{NetworkId, StaffId, Wte};
use pcn_team::{
    Coverage, Locality, Membership, NeighbourhoodTeamPolicy, RotaTurn, RotatingRole, Team,
    TeamHost, TeamKind,
};
use serde_json::json;

use super::{
    NEIGHBOURHOOD_POLICY, ROTA_TURN, TEAM_HOST, TEAM_KIND, TEAM_MANAGER, code_extension, complex,
    extension, extensions, missing_part, part, period_of, range_of, reference_to, referenced_uuid,
};
use crate::path::JsonPath;
use crate::{
    CareTeam, CareTeamParticipant, CareTeamStatus, CodeableConcept, Coding, Extension, FhirError,
    ResourceId,
};

/// The `share` and `locality` extensions of a participant.
const SHARE: &str = "share";
const LOCALITY: &str = "locality";

/// A team as a `CareTeam`.
#[must_use]
pub fn team_to_fhir(team: &Team) -> CareTeam<'_> {
    let (host_kind, network) = match team.host() {
        TeamHost::PrimaryCareHomeSite(id) => ("primary-care-home", id),
        TeamHost::PrimaryCareNetwork(id) => ("primary-care-network", id),
        other => ("primary-care-network", other.network()),
    };
    let (kind, policy) = match team.kind() {
        TeamKind::SelfManagingNeighbourhood { policy } => {
            ("self-managing-neighbourhood", Some(*policy))
        }
        _ => ("multidisciplinary", None),
    };
    let mut extension = vec![code_extension(TEAM_HOST, host_kind)];
    if let Some(policy) = policy {
        let mut parts = vec![
            Extension {
                value_unsigned_int: Some(u32::from(policy.max_nurses())),
                ..Extension::new("max-nurses")
            },
            Extension {
                value_boolean: Some(policy.manager_allowed()),
                ..Extension::new("manager-allowed")
            },
        ];
        parts.extend(policy.max_turn_days().map(|days| Extension {
            value_unsigned_int: Some(days),
            ..Extension::new("max-turn-days")
        }));
        extension.push(complex(NEIGHBOURHOOD_POLICY, parts));
    }
    if let Some(manager) = team.manager() {
        extension.push(Extension {
            value_reference: Some(reference_to(manager.as_uuid())),
            ..Extension::new(TEAM_MANAGER)
        });
    }
    for turn in team.rota() {
        let role = match turn.role {
            RotatingRole::Planner => "planner",
            _ => "coach",
        };
        extension.push(complex(
            ROTA_TURN,
            vec![
                code_extension("role", role),
                Extension {
                    value_reference: Some(reference_to(turn.holder.as_uuid())),
                    ..Extension::new("holder")
                },
                Extension {
                    value_period: Some(period_of(turn.period)),
                    ..Extension::new("period")
                },
            ],
        ));
    }
    let participant = team
        .memberships()
        .iter()
        .map(|membership| {
            let mut extension = vec![Extension {
                value_unsigned_int: Some(membership.share.hundredths()),
                ..Extension::new(SHARE)
            }];
            if let Coverage::Localities(localities) = &membership.coverage {
                extension.extend(localities.iter().map(|locality| Extension {
                    value_unsigned_int: Some(locality.number()),
                    ..Extension::new(LOCALITY)
                }));
            }
            CareTeamParticipant {
                extension,
                member: Some(reference_to(membership.staff.as_uuid())),
                period: Some(period_of(membership.period)),
                ..CareTeamParticipant::default()
            }
        })
        .collect();
    CareTeam {
        id: Some(ResourceId::from_uuid(team.id().as_uuid())),
        extension,
        status: Some(CareTeamStatus::Active),
        category: vec![CodeableConcept::from_coding(Coding::new(
            TEAM_KIND, kind, None,
        ))],
        name: Some(Cow::Borrowed(team.name())),
        participant,
        managing_organization: vec![reference_to(network.as_uuid())],
        ..CareTeam::default()
    }
}

/// A team from a `CareTeam` written by [`team_to_fhir`] or to the same pattern.
///
/// # Errors
/// [`FhirError::MissingElement`] for a missing id, name, host network, member or
/// extension part; [`FhirError::InvalidCode`] for an unknown kind or rota role;
/// [`FhirError::Team`] if the team model refuses the team (a manager or rota holder
/// who is not a member, a member's dates or share out of bounds).
pub fn team_from_fhir(team: &CareTeam<'_>) -> Result<Team, FhirError> {
    team_at(team, &JsonPath::new("CareTeam"))
}

pub(crate) fn team_at(team: &CareTeam<'_>, at: &JsonPath) -> Result<Team, FhirError> {
    let id = super::required_uuid(team.id.as_ref(), at)?;
    let name = team
        .name
        .as_deref()
        .ok_or_else(|| FhirError::MissingElement {
            path: at.with_member("name"),
            element: "name",
        })?;
    let network = NetworkId::from_uuid(referenced_uuid(
        team.managing_organization.first(),
        at,
        "managingOrganization",
    )?);
    let host = match extension(&team.extension, TEAM_HOST).and_then(|e| e.value_code.as_deref()) {
        Some("primary-care-home") => TeamHost::PrimaryCareHomeSite(network),
        _ => TeamHost::PrimaryCareNetwork(network),
    };
    let team_error = |source| FhirError::Team {
        path: at.as_str().to_owned(),
        source,
    };
    let kind_code = team
        .category
        .iter()
        .find_map(|c| c.coding_in(TEAM_KIND).and_then(|c| c.code.as_deref()));
    let kind = match kind_code {
        Some("self-managing-neighbourhood") => {
            let mut policy = NeighbourhoodTeamPolicy::default();
            if let Some(ext) = extension(&team.extension, NEIGHBOURHOOD_POLICY) {
                let value = |url| part(ext, url).and_then(|p| p.value_unsigned_int);
                if let Some(max) = value("max-nurses") {
                    let max = u16::try_from(max).unwrap_or(u16::MAX);
                    policy = policy.with_max_nurses(max).map_err(team_error)?;
                }
                let allowed = part(ext, "manager-allowed").and_then(|p| p.value_boolean);
                policy = policy
                    .with_manager_allowed(allowed.unwrap_or(false))
                    .with_max_turn_days(value("max-turn-days"))
                    .map_err(team_error)?;
            }
            TeamKind::SelfManagingNeighbourhood { policy }
        }
        Some("multidisciplinary") | None => TeamKind::Multidisciplinary,
        Some(other) => {
            return Err(FhirError::InvalidCode {
                path: at.with_member("category"),
                value: other.to_owned(),
                expected: "multidisciplinary, self-managing-neighbourhood",
            });
        }
    };
    let mut memberships = Vec::with_capacity(team.participant.len());
    for (i, participant) in team.participant.iter().enumerate() {
        let participant_at = JsonPath::new(&format!("{}.participant[{i}]", at.as_str()));
        let staff = referenced_uuid(participant.member.as_ref(), &participant_at, "member")?;
        let period = range_of(participant.period.as_ref(), &participant_at, "period")?;
        let share = extension(&participant.extension, SHARE)
            .and_then(|e| e.value_unsigned_int)
            .ok_or_else(|| missing_part(&participant_at, 0, "share"))?;
        let localities: Vec<Locality> = extensions(&participant.extension, LOCALITY)
            .filter_map(|(_, e)| e.value_unsigned_int.map(Locality::new))
            .collect();
        memberships.push(Membership {
            staff: StaffId::from_uuid(staff),
            share: Wte::from_hundredths(share),
            period,
            coverage: if localities.is_empty() {
                Coverage::WholeArea
            } else {
                Coverage::Localities(localities)
            },
        });
    }
    let manager = match extensions(&team.extension, TEAM_MANAGER).next() {
        Some((i, ext)) => {
            let ext_at = JsonPath::new(&format!("{}.extension[{i}]", at.as_str()));
            Some(StaffId::from_uuid(referenced_uuid(
                ext.value_reference.as_ref(),
                &ext_at,
                "valueReference",
            )?))
        }
        None => None,
    };
    let mut rota = Vec::new();
    for (i, ext) in extensions(&team.extension, ROTA_TURN) {
        let ext_at = JsonPath::new(&format!("{}.extension[{i}]", at.as_str()));
        let role = match part(ext, "role").and_then(|r| r.value_code.as_deref()) {
            Some("coach") => RotatingRole::Coach,
            Some("planner") => RotatingRole::Planner,
            _ => return Err(missing_part(at, i, "role (coach or planner)")),
        };
        let holder = referenced_uuid(
            part(ext, "holder").and_then(|h| h.value_reference.as_ref()),
            &ext_at,
            "extension",
        )?;
        let period = range_of(
            part(ext, "period").and_then(|p| p.value_period.as_ref()),
            &ext_at,
            "extension",
        )?;
        rota.push(RotaTurn {
            role,
            holder: StaffId::from_uuid(holder),
            period,
        });
    }
    // The team model checks a whole team when it is read: build it that way, so
    // its rules apply to what the resource says.
    let record = json!({
        "id": id,
        "name": name,
        "host": host,
        "kind": kind,
        "manager": manager,
        "memberships": memberships,
        "rota": rota,
    });
    serde_json::from_value(record).map_err(|error| FhirError::InvalidTeam {
        path: at.as_str().to_owned(),
        message: error.to_string(),
    })
}
