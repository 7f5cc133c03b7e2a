//! A referral as a `ServiceRequest`, with its workflow state as a `Task`.
//!
//! | model | FHIR |
//! |---|---|
//! | id, patient | `ServiceRequest.id`, `.subject`; `Task.for` |
//! | priority (routine, urgent, two-week wait) | `ServiceRequest.priority` (`routine`, `urgent`, `urgent`) and `.category` with this crate's `referral-priority` code, which keeps the two-week wait |
//! | destination | `ServiceRequest.performer`: the destination's `HealthcareService` (see [`destination_to_fhir`](crate::destination_to_fhir)) |
//! | pathway | `ServiceRequest.category`, this crate's `pathway` code (the pathway's UUID) |
//! | red flag | `ServiceRequest.reasonCode`: the SNOMED CT finding, or this crate's `red-flag` code |
//! | entry route, waiting-time target | `entry-route` and `wait-target` extensions |
//! | created by, created at | `ServiceRequest.requester`, `.authoredOn`; `Task.authoredOn` |
//! | state | `Task.status` ([`ReferralState::task_status`]) and `Task.businessStatus` (the state's own name) |
//! | last change | `Task.lastModified` |
//!
//! The request's own `status` follows the task's: draft while the referral is a
//! draft; revoked once rejected, redirected or cancelled; completed once discharged or
//! completed; active otherwise.
//!
//! A referral is rebuilt from its events, which FHIR's two resources do not carry,
//! so the way back gives the referral's details ([`ReferralDetails`]), from which a
//! receiving service starts its own referral. The model's times have no time zone;
//! they are written as UTC.

use chrono::{DateTime, FixedOffset, NaiveDateTime, Offset, Utc};
use pcn_core::{PathwayId, PatientId, ReferralId, SnomedCode};
use pcn_referral::{
    Actor, EntryRoute, Priority, RedFlag, Referral, ReferralDetails, ReferralState, TaskStatus,
    WaitTarget,
};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{
    ENTRY_ROUTE, PATHWAY, RED_FLAG, REFERRAL_PRIORITY, REFERRAL_STATE, WAIT_TARGET, code_extension,
    complex, extension, part, reference_to, referenced_uuid,
};
use crate::path::JsonPath;
use crate::{
    CodeableConcept, Coding, Extension, FhirDateTime, FhirError, HealthcareService, Reference,
    RequestIntent, RequestPriority, RequestStatus, ResourceId, ServiceRequest, Task, TaskIntent,
    destination_to_fhir, system,
};

fn utc(at: NaiveDateTime) -> FhirDateTime {
    FhirDateTime::Time(DateTime::<FixedOffset>::from_naive_utc_and_offset(
        at,
        Utc.fix(),
    ))
}

fn request_status(state: &ReferralState) -> RequestStatus {
    match state.task_status() {
        TaskStatus::Draft => RequestStatus::Draft,
        TaskStatus::Rejected | TaskStatus::Cancelled => RequestStatus::Revoked,
        TaskStatus::Completed => RequestStatus::Completed,
        _ => RequestStatus::Active,
    }
}

fn priority(priority: Priority) -> RequestPriority {
    match priority {
        Priority::Routine => RequestPriority::Routine,
        _ => RequestPriority::Urgent,
    }
}

fn requester(actor: Actor, patient: Uuid) -> Option<Reference<'static>> {
    match actor {
        Actor::Patient => Some(reference_to(patient)),
        Actor::Staff { id, .. } => Some(reference_to(id.as_uuid())),
        Actor::Service { id } => Some(reference_to(id.as_uuid())),
        _ => None,
    }
}

fn red_flag(flag: RedFlag) -> CodeableConcept<'static> {
    let coding = match flag {
        RedFlag::Finding(code) => Coding::snomed(code, None),
        RedFlag::SuspectedCancer => Coding::new(RED_FLAG, "suspected_cancer", None),
        RedFlag::SuspectedCaudaEquina => Coding::new(RED_FLAG, "suspected_cauda_equina", None),
        RedFlag::SuspectedFracture => Coding::new(RED_FLAG, "suspected_fracture", None),
        RedFlag::SuspectedInfection => Coding::new(RED_FLAG, "suspected_infection", None),
    };
    CodeableConcept::from_coding(coding)
}

/// The member `name` of a value's serde form (or the value itself, for an empty
/// `name`), as text: the model's own stable names.
fn serde_member(value: &impl serde::Serialize, name: &str) -> Option<String> {
    match serde_json::to_value(value).ok()? {
        Value::String(text) if name.is_empty() => Some(text),
        Value::Object(members) => members.get(name)?.as_str().map(str::to_owned),
        _ => None,
    }
}

fn route_extension(route: EntryRoute) -> Extension<'static> {
    let mut parts = vec![code_extension(
        "route",
        serde_member(&route, "route").unwrap_or_default(),
    )];
    parts.extend(serde_member(&route, "role").map(|role| code_extension("role", role)));
    complex(ENTRY_ROUTE, parts)
}

fn target_extension(target: WaitTarget) -> Extension<'static> {
    complex(
        WAIT_TARGET,
        vec![
            code_extension(
                "measure",
                serde_member(&target.measure, "").unwrap_or_default(),
            ),
            Extension {
                value_unsigned_int: Some(u32::from(target.days)),
                ..Extension::new("days")
            },
        ],
    )
}

/// A referral as a `ServiceRequest` and the `Task` that carries its workflow state.
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_core::{PathwayId, PatientId, ReferralId, Role};
/// use pcn_referral::{
///     Actor, Destination, EntryRoute, EventRecord, Priority, Referral, ReferralDetails,
///     ReferralEvent, WaitMeasure, WaitTarget,
/// };
/// let at = NaiveDate::from_ymd_opt(2024, 3, 4).unwrap().and_hms_opt(9, 30, 0).unwrap();
/// let details = ReferralDetails {
///     id: ReferralId::from_u128(1),
///     patient: PatientId::from_u128(2),
///     pathway: PathwayId::from_u128(3),
///     route: EntryRoute::SelfReferral,
///     destination: Destination::TeamRole { role: Role::FirstContactPhysiotherapist },
///     priority: Priority::Routine,
///     target: WaitTarget { measure: WaitMeasure::FirstContact, days: 14 },
///     red_flag: None,
/// };
/// let mut referral = Referral::draft(details, Actor::Patient, at);
/// referral.apply(EventRecord::new(ReferralEvent::Submit, Actor::Patient, at))?;
/// let (request, task) = pcn_fhir::referral_to_fhir(&referral);
/// assert_eq!(request.status, pcn_fhir::RequestStatus::Active);
/// assert_eq!(task.status, pcn_fhir::TaskStatus::Requested);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn referral_to_fhir(referral: &Referral) -> (ServiceRequest<'static>, Task<'static>) {
    let details = referral.details();
    let patient = details.patient.as_uuid();
    let mut request = ServiceRequest::new(
        request_status(referral.state()),
        RequestIntent::Order,
        reference_to(patient),
    );
    request.id = Some(ResourceId::from_uuid(referral.id().as_uuid()));
    request.priority = Some(priority(referral.priority()));
    request.category = vec![
        CodeableConcept::from_coding(Coding::new(
            REFERRAL_PRIORITY,
            referral.priority().name(),
            None,
        )),
        CodeableConcept::from_coding(Coding::new(PATHWAY, details.pathway.to_string(), None)),
    ];
    request.authored_on = Some(utc(referral.created_at()));
    request.requester = requester(referral.created_by(), patient);
    if let Some(service) = destination_to_fhir(&details.destination, None).id {
        request.performer = vec![Reference::to(format!(
            "{}{}",
            system::URN_UUID_PREFIX,
            service.as_str()
        ))];
    }
    request.reason_code = details.red_flag.map(red_flag).into_iter().collect();
    request.extension = vec![
        route_extension(details.route),
        target_extension(details.target),
    ];

    let state = referral.state();
    let mut task = Task::new(state.task_status(), TaskIntent::Order);
    // The task has no id of its own in the model: derived in the referral's namespace.
    task.id = Some(ResourceId::from_uuid(
        ReferralId::derived(&format!("{}:task", referral.id())).as_uuid(),
    ));
    task.priority = request.priority;
    task.business_status = Some(CodeableConcept {
        coding: vec![Coding::new(REFERRAL_STATE, state.kind().name(), None)],
        text: Some(state.kind().name().replace('_', " ").into()),
    });
    task.focus = Some(reference_to(referral.id().as_uuid()));
    task.r#for = Some(reference_to(patient));
    task.authored_on = Some(utc(referral.created_at()));
    task.last_modified = Some(utc(referral
        .history()
        .last()
        .map_or(referral.created_at(), |t| t.record.at)));
    (request, task)
}

/// A referral's details from its `ServiceRequest` (written by [`referral_to_fhir`]
/// or to the same pattern) and the `HealthcareService` of its destination.
///
/// # Errors
/// [`FhirError::MissingElement`] for a missing id, pathway, priority, entry route or
/// waiting-time target; [`FhirError::UnresolvedReference`] if the request's
/// performer is not the given service; [`FhirError::InvalidCode`] for a code
/// outside this crate's code systems; and the errors of
/// [`destination_from_fhir`](crate::destination_from_fhir).
pub fn referral_details_from_fhir(
    request: &ServiceRequest<'_>,
    destination: &HealthcareService<'_>,
) -> Result<ReferralDetails, FhirError> {
    let at = JsonPath::new("ServiceRequest");
    let missing = |member: &str, element: &'static str| FhirError::MissingElement {
        path: at.with_member(member),
        element,
    };
    let invalid = |member: &str, value: &str, expected: &'static str| FhirError::InvalidCode {
        path: at.with_member(member),
        value: value.to_owned(),
        expected,
    };
    let id = super::model_uuid("ServiceRequest", request.id.as_ref())
        .ok_or_else(|| missing("id", "id"))?;
    let patient = referenced_uuid(Some(&request.subject), &at, "subject")?;
    let coded = |system: &str| {
        request
            .category
            .iter()
            .find_map(|c| c.coding_in(system).and_then(|c| c.code.as_deref()))
    };
    let pathway_code = coded(PATHWAY).ok_or_else(|| missing("category", "pathway code"))?;
    let pathway: PathwayId = pathway_code
        .parse()
        .map_err(|_| invalid("category", pathway_code, "a pathway's UUID"))?;
    let priority_code =
        coded(REFERRAL_PRIORITY).ok_or_else(|| missing("category", "referral priority code"))?;
    let priority: Priority = serde_json::from_value(json!(priority_code))
        .map_err(|_| invalid("category", priority_code, "routine, urgent, two_week_wait"))?;
    let route_ext = extension(&request.extension, ENTRY_ROUTE)
        .ok_or_else(|| missing("extension", "entry-route extension"))?;
    let mut route_value = serde_json::Map::new();
    for name in ["route", "role"] {
        if let Some(code) = part(route_ext, name).and_then(|p| p.value_code.as_deref()) {
            route_value.insert(name.to_owned(), json!(code));
        }
    }
    let route: EntryRoute = serde_json::from_value(Value::Object(route_value)).map_err(|_| {
        invalid(
            "extension",
            "entry-route",
            "gp_referral, self_referral, team_referral (with a role), social_prescribing",
        )
    })?;
    let target_ext = extension(&request.extension, WAIT_TARGET)
        .ok_or_else(|| missing("extension", "wait-target extension"))?;
    let measure = part(target_ext, "measure")
        .and_then(|p| p.value_code.as_deref())
        .unwrap_or_default();
    let days = part(target_ext, "days")
        .and_then(|p| p.value_unsigned_int)
        .and_then(|d| u16::try_from(d).ok())
        .ok_or_else(|| missing("extension", "wait-target days"))?;
    let target = WaitTarget {
        measure: serde_json::from_value(json!(measure)).map_err(|_| {
            invalid(
                "extension",
                measure,
                "referral_to_treatment, first_seen, faster_diagnosis, first_contact",
            )
        })?,
        days,
    };
    let service = super::model_uuid("HealthcareService", destination.id.as_ref());
    let performer = referenced_uuid(request.performer.first(), &at, "performer")?;
    if Some(performer) != service {
        return Err(FhirError::UnresolvedReference {
            path: at.with_member("performer"),
            reference: format!("{}{performer}", system::URN_UUID_PREFIX),
        });
    }
    let red_flag = match request.reason_code.first().and_then(|c| c.coding.first()) {
        None => None,
        Some(coding) => {
            let code = coding.code.as_deref().unwrap_or_default();
            Some(match (coding.system.as_deref(), code) {
                (Some(system::SNOMED_CT), code) => RedFlag::Finding(
                    code.parse::<u64>()
                        .ok()
                        .and_then(|id| SnomedCode::new(id).ok())
                        .ok_or_else(|| invalid("reasonCode", code, "a SNOMED CT concept id"))?,
                ),
                (_, "suspected_cancer") => RedFlag::SuspectedCancer,
                (_, "suspected_cauda_equina") => RedFlag::SuspectedCaudaEquina,
                (_, "suspected_fracture") => RedFlag::SuspectedFracture,
                (_, "suspected_infection") => RedFlag::SuspectedInfection,
                (_, other) => {
                    return Err(invalid(
                        "reasonCode",
                        other,
                        "suspected_cancer, suspected_cauda_equina, suspected_fracture, suspected_infection or a SNOMED CT finding",
                    ));
                }
            })
        }
    };
    Ok(ReferralDetails {
        id: ReferralId::from_uuid(id),
        patient: PatientId::from_uuid(patient),
        pathway,
        route,
        destination: crate::destination_from_fhir(destination)?,
        priority,
        target,
        red_flag,
    })
}
