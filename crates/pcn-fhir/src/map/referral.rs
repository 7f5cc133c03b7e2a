//! A referral as a `ServiceRequest`, with its workflow state as a `Task`.
//!
//! | model | FHIR |
//! |---|---|
//! | id, patient | `ServiceRequest.id`, `.subject`; `Task.for` |
//! | priority (routine, urgent, two-week wait) | `ServiceRequest.priority` (`routine`, `urgent`, `urgent`) and `.category` with this crate's `referral-priority` code, which keeps the two-week wait |
//! | destination | `ServiceRequest.performer`: the destination's `HealthcareService` (see [`destination_to_fhir`](crate::destination_to_fhir)) |
//! | pathway | `ServiceRequest.category`, this crate's `pathway` code (the pathway's UUID) |
//! | red flag | `ServiceRequest.reasonCode`: the SNOMED CT finding, or this crate's `red-flag` code |
//! | created by, created at | `ServiceRequest.requester`, `.authoredOn`; `Task.authoredOn` |
//! | state | `Task.status` ([`ReferralState::task_status`]) and `Task.businessStatus` (the state's own name) |
//! | last change | `Task.lastModified` |
//!
//! The request's own `status` follows the task's: draft while the referral is a
//! draft; revoked once rejected, redirected or cancelled; completed once discharged or
//! completed; active otherwise.
//!
//! This direction only: a referral is rebuilt from its events, which FHIR's two
//! resources do not carry. The model's times have no time zone; they are written as
//! UTC.

use chrono::{DateTime, FixedOffset, NaiveDateTime, Offset, Utc};
use pcn_referral::{
    Actor, Priority, RedFlag, Referral, ReferralState, TaskStatus as ModelTaskStatus,
};
use uuid::Uuid;

use super::{PATHWAY, RED_FLAG, REFERRAL_PRIORITY, REFERRAL_STATE, reference_to};
use crate::{
    CodeableConcept, Coding, FhirDateTime, Reference, RequestIntent, RequestPriority,
    RequestStatus, ResourceId, ServiceRequest, Task, TaskIntent, TaskStatus, destination_to_fhir,
    system,
};

/// The UUID namespace of referral task ids.
const TASK_NAMESPACE: Uuid = Uuid::from_u128(0x6a0f_3d92_c4e1_4b58_87a3_1f6e_5d20_c9b4);

fn utc(at: NaiveDateTime) -> FhirDateTime {
    FhirDateTime::Time(DateTime::<FixedOffset>::from_naive_utc_and_offset(
        at,
        Utc.fix(),
    ))
}

fn task_status(status: ModelTaskStatus) -> TaskStatus {
    status.code().parse().unwrap_or(TaskStatus::Requested)
}

fn request_status(state: &ReferralState) -> RequestStatus {
    match state.task_status() {
        ModelTaskStatus::Draft => RequestStatus::Draft,
        ModelTaskStatus::Rejected | ModelTaskStatus::Cancelled => RequestStatus::Revoked,
        ModelTaskStatus::Completed => RequestStatus::Completed,
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

    let state = referral.state();
    let mut task = Task::new(task_status(state.task_status()), TaskIntent::Order);
    task.id = Some(ResourceId::from_uuid(Uuid::new_v5(
        &TASK_NAMESPACE,
        referral.id().as_uuid().as_bytes(),
    )));
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
