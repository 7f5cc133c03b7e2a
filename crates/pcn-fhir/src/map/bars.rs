//! Referral messages of the NHS Booking and Referral Standard (BaRS), in and out.
//!
//! A BaRS referral travels as a FHIR `Bundle` of type `message`: a `MessageHeader`
//! first, whose `eventCoding` is `servicerequest-request` (code system
//! `https://fhir.nhs.uk/CodeSystem/message-events-bars`), whose `reason` says whether
//! it is `new`, an `update` or a `delete` (`.../message-reason-bars`), whose
//! `sender` and `destination.receiver` are the two organisations and whose `focus`
//! is the referral's `ServiceRequest`. The request (status `active`, intent `plan`,
//! category `referral` from `https://fhir.nhs.uk/CodeSystem/message-category-servicerequest`
//! and a BaRS use case from `.../usecases-categories-bars`) points at the `Patient`
//! (`subject`), the referrer (`requester`, a `PractitionerRole` or `Practitioner`) and
//! the service referred to (`performer`, a `HealthcareService` with its
//! `providedBy` organisation, or an `Organization`). `Encounter`, `CarePlan`,
//! `Flag`, `Consent`, `Observation` and others come as the sender has them.
//! Sources: NHS England, "NHS Booking and Referral Standard" implementation guide
//! (simplifier.net, `nhsbookingandreferralstandard`, guide 1.5 to 1.8: "Message
//! Headers", the referral payload definitions and the BaRS code systems), and the
//! UK Core profiles it builds on (`UKCore-Patient`, `UKCore-Organization`,
//! `UKCore-HealthcareService`, `UKCore-PractitionerRole`).
//!
//! [`read_bars_referral`] reads such a message as a validator does: every defect is
//! reported with its place, and what is sound is kept ([`BarsReferral`]). A patient
//! whose NHS number fails its check digit is an error on that patient and the
//! referral comes without one; an organisation without an ODS code is read as an
//! organisation outside the NHS, with a warning; a service without a type gets a
//! warning. [`bars_referral_to_fhir`] writes a referral back out as a message, which
//! reads back to the same [`BarsReferral`].
//!
//! | model ([`BarsReferral`]) | BaRS message |
//! |---|---|
//! | `id`, `original_id` | `ServiceRequest.id` (or its entry's `urn:uuid:` `fullUrl`) |
//! | `reason` | `MessageHeader.reason` |
//! | `status`, `authored_on` | `ServiceRequest.status`, `.authoredOn` |
//! | `priority` | `ServiceRequest.priority` (`routine`; `urgent`, `asap` and `stat` read as urgent); a two-week wait also as this crate's `referral-priority` category |
//! | `use_case` | `ServiceRequest.category`, BaRS use-case code |
//! | `reasons` | `ServiceRequest.reasonCode` (SNOMED CT and text) |
//! | `patient` | the `Patient` of `subject`: NHS number, name, birth date, gender |
//! | `referrer` | the `PractitionerRole` (or `Practitioner`) of `requester`: name, role, organisation |
//! | `service` | the `HealthcareService` of `performer`: name, DoS id, type, `providedBy` |
//! | `sender`, `receiver` | `MessageHeader.sender`, `.destination[0].receiver` |
//! | `source_endpoint`, `destination_endpoint` | `MessageHeader.source.endpoint`, `.destination[0].endpoint` |
//! | `progress` | the `Task`s whose `focus` is the request (see [`referral_progress_from_fhir`]) |

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;

use chrono::NaiveDate;
use pcn_core::{NhsNumber, OdsCode, PatientId, ReferralId, SnomedCode};
use pcn_population::Sex;
use pcn_referral::{ErsReferralState, Priority, StateKind, TaskStatus};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{REFERRAL_PRIORITY, REFERRAL_STATE, urn};
use crate::system::{
    DOS_SERVICE_ID, MESSAGE_EVENTS, MESSAGE_REASONS, REFERRAL_DEFINITION, REFERRAL_REQUEST_EVENT,
    SERVICE_REQUEST_CATEGORY, USE_CASES,
};
use crate::validate::ValidationReport;
use crate::{
    AdministrativeGender, Bundle, BundleEntry, BundleType, CodeableConcept, Coding, FhirDate,
    FhirDateTime, HealthcareService, HumanName, Identifier, Instant, IssueType, MessageDestination,
    MessageHeader, Organization, Patient, Practitioner, PractitionerRole, Reference, RequestIntent,
    RequestPriority, RequestStatus, Resource, ResourceId, ServiceRequest, Task, Validated, system,
    validate_resource,
};

/// Why a message was sent (`MessageHeader.reason`, BaRS message reasons).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageReason {
    /// A new referral.
    New,
    /// An update to a referral the receiver has.
    Update,
    /// The referral is withdrawn.
    Delete,
}

impl MessageReason {
    /// The BaRS code.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Update => "update",
            Self::Delete => "delete",
        }
    }

    fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "new" => Self::New,
            "update" => Self::Update,
            "delete" => Self::Delete,
            _ => return None,
        })
    }
}

/// An organisation in a referral: an NHS organisation with its ODS code, or an
/// organisation outside the NHS (a charity, a council service) known by its name.
///
/// Serde: `{"kind": "nhs", "code": "A81001", "name": "..."}` or
/// `{"kind": "non_nhs", "name": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Organisation {
    /// An organisation with an ODS code.
    Nhs {
        /// Its ODS code.
        code: OdsCode,
        /// Its name, if given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// An organisation without an ODS code.
    NonNhs {
        /// Its name.
        name: String,
    },
}

impl Organisation {
    /// Its name, if known.
    #[must_use]
    pub fn name(&self) -> Option<&str> {
        match self {
            Self::Nhs { name, .. } => name.as_deref(),
            Self::NonNhs { name } => Some(name),
        }
    }

    /// Its ODS code, for an NHS organisation.
    #[must_use]
    pub const fn ods_code(&self) -> Option<OdsCode> {
        match self {
            Self::Nhs { code, .. } => Some(*code),
            Self::NonNhs { .. } => None,
        }
    }
}

/// The patient referred.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferredPatient {
    /// The patient's id in the model (the resource's UUID, or derived from its id).
    pub id: PatientId,
    /// The NHS number (UK Core allows a patient without one, with a warning here).
    pub nhs_number: Option<NhsNumber>,
    /// The name, as text.
    pub name: Option<String>,
    /// The date of birth.
    pub birth_date: Option<NaiveDate>,
    /// The administrative sex.
    pub sex: Option<Sex>,
}

/// Who made the referral.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referrer {
    /// The professional's name, as text.
    pub name: Option<String>,
    /// The role they referred in (`PractitionerRole.code`), as text.
    pub role: Option<String>,
    /// The organisation they referred for.
    pub organisation: Option<Organisation>,
}

/// The service referred to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferredService {
    /// Its name.
    pub name: Option<String>,
    /// Its Directory of Services id.
    pub dos_id: Option<String>,
    /// The kind of service (`HealthcareService.type`), as text.
    pub service_type: Option<String>,
    /// The organisation providing it.
    pub provided_by: Option<Organisation>,
}

/// A reason for the referral.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralReason {
    /// The SNOMED CT concept, if coded.
    pub code: Option<SnomedCode>,
    /// The reason in words.
    pub text: Option<String>,
}

/// A referral as a BaRS message carries it: who referred whom, to which service,
/// how urgently and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BarsReferral {
    /// The referral's id in the model.
    pub id: ReferralId,
    /// The request's own id, when it is not a UUID (written back as it came).
    pub original_id: Option<String>,
    /// When the message was assembled (`Bundle.timestamp`).
    pub timestamp: Option<Instant>,
    /// Whether the message is new, an update or a withdrawal.
    pub reason: MessageReason,
    /// The request's status.
    pub status: RequestStatus,
    /// The priority.
    pub priority: Priority,
    /// When the referral was made.
    pub authored_on: Option<FhirDateTime>,
    /// The BaRS use case code (such as `a5t3`).
    pub use_case: Option<String>,
    /// Why the patient is referred.
    pub reasons: Vec<ReferralReason>,
    /// The patient, if the message carries a sound one.
    pub patient: Option<ReferredPatient>,
    /// Who referred.
    pub referrer: Option<Referrer>,
    /// The service referred to.
    pub service: Option<ReferredService>,
    /// The sending organisation.
    pub sender: Option<Organisation>,
    /// The receiving organisation.
    pub receiver: Option<Organisation>,
    /// Where replies go.
    pub source_endpoint: String,
    /// The endpoint the message was sent to.
    pub destination_endpoint: Option<String>,
    /// The referral's state and history, from the message's tasks.
    pub progress: Option<ReferralProgress>,
}

/// One recorded state of a referral's task, as another system wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskChange {
    /// When: the task's `lastModified`, else its `authoredOn`.
    pub at: Option<FhirDateTime>,
    /// The FHIR task status.
    pub status: TaskStatus,
    /// The business status, as a code (`BOOKED`, `triaged`) or text.
    pub business_status: Option<String>,
    /// The referral state this shows, where it says one (see
    /// [`referral_progress_from_fhir`]).
    pub state: Option<StateKind>,
    /// Who holds the task (`owner`), as its reference or display.
    pub owner: Option<String>,
}

/// A referral's state and history read from its tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralProgress {
    /// The changes, oldest first.
    pub history: Vec<TaskChange>,
}

impl ReferralProgress {
    /// The latest change.
    #[must_use]
    pub fn latest(&self) -> Option<&TaskChange> {
        self.history.last()
    }

    /// The current state, where the latest change says one.
    #[must_use]
    pub fn state(&self) -> Option<StateKind> {
        self.latest().and_then(|c| c.state)
    }
}

fn state_of_status(status: TaskStatus) -> Option<StateKind> {
    Some(match status {
        TaskStatus::Draft => StateKind::Draft,
        TaskStatus::Requested => StateKind::Submitted,
        TaskStatus::Received => StateKind::Triaged,
        TaskStatus::Accepted => StateKind::Accepted,
        TaskStatus::Rejected => StateKind::Rejected,
        TaskStatus::Ready => StateKind::Booked,
        TaskStatus::InProgress => StateKind::Attended,
        TaskStatus::Cancelled => StateKind::Cancelled,
        TaskStatus::Completed => StateKind::Completed,
        _ => return None,
    })
}

fn state_of_ers(code: &str) -> Option<StateKind> {
    [
        (ErsReferralState::AwaitingTriage, StateKind::Submitted),
        (ErsReferralState::NotBooked, StateKind::Accepted),
        (ErsReferralState::Booked, StateKind::Booked),
        (
            ErsReferralState::AppointmentCancelledByPatient,
            StateKind::Accepted,
        ),
        (
            ErsReferralState::AppointmentCancelledByProvider,
            StateKind::Accepted,
        ),
        (ErsReferralState::Rejected, StateKind::Rejected),
        (ErsReferralState::TriageResponse, StateKind::Rejected),
    ]
    .into_iter()
    .find(|(ers, _)| ers.code() == code)
    .map(|(_, kind)| kind)
}

fn task_change(task: &Task<'_>) -> TaskChange {
    let business = task.business_status.as_ref();
    let ours = business
        .and_then(|b| b.coding_in(REFERRAL_STATE))
        .and_then(|c| c.code.as_deref());
    let ers = business
        .and_then(|b| b.coding_in(ErsReferralState::SYSTEM))
        .and_then(|c| c.code.as_deref());
    let state = ours
        .and_then(|code| StateKind::ALL.into_iter().find(|k| k.name() == code))
        .or_else(|| ers.and_then(state_of_ers))
        .or_else(|| state_of_status(task.status));
    let business_status = business.and_then(|b| {
        ours.or(ers)
            .or_else(|| b.coding.iter().find_map(|c| c.code.as_deref()))
            .or(b.text.as_deref())
            .map(str::to_owned)
    });
    TaskChange {
        at: task.last_modified.or(task.authored_on),
        status: task.status,
        business_status,
        state,
        owner: task.owner.as_ref().and_then(|o| {
            o.reference
                .as_deref()
                .or(o.display.as_deref())
                .map(str::to_owned)
        }),
    }
}

/// The sortable instant of a change (its first moment), for ordering.
fn sort_key(at: Option<FhirDateTime>) -> Option<chrono::NaiveDateTime> {
    at.map(|t| match t {
        FhirDateTime::Time(time) => time.naive_utc(),
        other => other.first_day().and_time(chrono::NaiveTime::MIN),
    })
}

fn progress_of<'t>(tasks: impl Iterator<Item = &'t Task<'t>>) -> Option<ReferralProgress> {
    let mut history: Vec<TaskChange> = tasks.map(task_change).collect();
    if history.is_empty() {
        return None;
    }
    // Stable: changes at the same time keep the order given.
    history.sort_by_key(|c| sort_key(c.at));
    Some(ReferralProgress { history })
}

/// Whether a reference points at the request with the given id or full URL.
fn refers_to(reference: Option<&Reference<'_>>, id: Option<&str>, full_url: Option<&str>) -> bool {
    let Some(text) = reference.and_then(|r| r.reference.as_deref()) else {
        return false;
    };
    full_url == Some(text)
        || id.is_some_and(|id| {
            text.strip_suffix(id)
                .is_some_and(|rest| rest.ends_with("ServiceRequest/") || rest == "urn:uuid:")
        })
}

/// A referral's state and history from its `ServiceRequest` and the `Task`s another
/// system (or this crate) wrote about it: the tasks whose `focus` (or `basedOn`) is
/// the request, one change per task, ordered by `lastModified` (else `authoredOn`).
///
/// Each change's state is read from, in order: this crate's `referral-state`
/// `businessStatus` code; an e-RS referral state `businessStatus`
/// (`AWAITING_TRIAGE` submitted, `NOT_BOOKED` and the appointment-cancelled states
/// accepted, `BOOKED` booked, `REJECTED` and `TRIAGE_RESPONSE` rejected); else the
/// task status, where it names one state of the model (draft, requested = submitted,
/// received = triaged, accepted, rejected, ready = booked, in-progress = attended,
/// cancelled, completed). `on-hold`, `failed`, `entered-in-error` and e-RS's
/// `DEFER_TO_PROVIDER` name no state of the model, and give none.
///
/// ```
/// use pcn_fhir::{Reference, RequestIntent, RequestStatus, ServiceRequest, Task, TaskIntent, TaskStatus};
/// let mut request = ServiceRequest::new(RequestStatus::Active, RequestIntent::Plan, Reference::to("Patient/p1"));
/// request.id = Some("ref-77".parse()?);
/// let mut received = Task::new(TaskStatus::Received, TaskIntent::Order);
/// received.focus = Some(Reference::to("ServiceRequest/ref-77"));
/// received.last_modified = Some("2024-05-02T10:00:00+01:00".parse()?);
/// let mut booked = received.clone();
/// booked.status = TaskStatus::Ready;
/// booked.last_modified = Some("2024-05-03T09:00:00+01:00".parse()?);
/// let progress = pcn_fhir::referral_progress_from_fhir(&request, &[booked, received]).unwrap();
/// assert_eq!(progress.history.len(), 2);
/// assert_eq!(progress.state(), Some(pcn_referral::StateKind::Booked));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn referral_progress_from_fhir(
    request: &ServiceRequest<'_>,
    tasks: &[Task<'_>],
) -> Option<ReferralProgress> {
    let id = request.id.as_ref().map(ResourceId::as_str);
    let mut history: Vec<TaskChange> = tasks
        .iter()
        .filter(|t| {
            refers_to(t.focus.as_ref(), id, None)
                || t.based_on.iter().any(|b| refers_to(Some(b), id, None))
        })
        .map(task_change)
        .collect();
    if history.is_empty() {
        return None;
    }
    history.sort_by_key(|c| sort_key(c.at));
    Some(ReferralProgress { history })
}

/// The entries of a message bundle, found by `fullUrl` and by `Type/id`.
struct Entries<'b, 'a> {
    bundle: &'b Bundle<'a>,
    by_url: HashMap<&'b str, usize>,
    /// The organisations read so far, by entry, so that one referred to twice is
    /// reported once.
    organisations: RefCell<HashMap<usize, Option<Organisation>>>,
}

impl<'b, 'a> Entries<'b, 'a> {
    fn new(bundle: &'b Bundle<'a>) -> Self {
        let mut by_url = HashMap::new();
        for (i, entry) in bundle.entry.iter().enumerate() {
            if let Some(url) = entry.full_url.as_deref() {
                by_url.entry(url).or_insert(i);
            }
        }
        Self {
            bundle,
            by_url,
            organisations: RefCell::new(HashMap::new()),
        }
    }

    /// The organisation of entry `i` (an `Organization`), read once.
    fn organisation(
        &self,
        i: usize,
        organization: &Organization<'_>,
        report: &mut ValidationReport,
    ) -> Option<Organisation> {
        if let Some(known) = self.organisations.borrow().get(&i) {
            return known.clone();
        }
        let read = organisation(organization, &entry_path(i), report);
        self.organisations.borrow_mut().insert(i, read.clone());
        read
    }

    /// The entry a reference points at: by `fullUrl`, else by `Type/id`.
    fn find(&self, reference: Option<&Reference<'_>>) -> Option<usize> {
        let text = reference?.reference.as_deref()?;
        if let Some(&i) = self.by_url.get(text) {
            return Some(i);
        }
        let (before, id) = text.rsplit_once('/')?;
        let resource_type = before.rsplit('/').next().unwrap_or(before);
        self.bundle.entry.iter().position(|e| {
            e.resource.as_ref().is_some_and(|r| {
                r.resource_type() == resource_type && r.id().is_some_and(|rid| rid.as_str() == id)
            }) || e
                .full_url
                .as_deref()
                .is_some_and(|url| url.ends_with(&format!("/{resource_type}/{id}")))
        })
    }

    fn resource(&self, i: usize) -> Option<&'b Resource<'a>> {
        self.bundle.entry.get(i)?.resource.as_ref()
    }
}

fn entry_path(i: usize) -> String {
    format!("Bundle.entry[{i}].resource")
}

/// The UUID an entry's resource is held under: its id, else its `urn:uuid:` URL.
fn entry_uuid(bundle: &Bundle<'_>, i: usize, resource_type: &str) -> Option<Uuid> {
    let entry = bundle.entry.get(i)?;
    super::model_uuid(
        resource_type,
        entry.resource.as_ref().and_then(Resource::id),
    )
    .or_else(|| {
        entry
            .full_url
            .as_deref()
            .and_then(|u| u.strip_prefix(system::URN_UUID_PREFIX))
            .and_then(|u| super::read_uuid(u, String::new).ok())
    })
}

fn human_name(names: &[HumanName<'_>]) -> Option<String> {
    let name = names.first()?;
    if let Some(text) = name.text.as_deref() {
        return Some(text.to_owned());
    }
    let parts: Vec<&str> = name
        .given
        .iter()
        .map(AsRef::as_ref)
        .chain(name.family.as_deref())
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

fn concept_text(concept: &CodeableConcept<'_>) -> Option<String> {
    concept
        .text
        .as_deref()
        .or_else(|| concept.coding.iter().find_map(|c| c.display.as_deref()))
        .or_else(|| concept.coding.iter().find_map(|c| c.code.as_deref()))
        .map(str::to_owned)
}

/// Reads an organisation, with the warnings the profile calls for.
fn organisation(
    organization: &Organization<'_>,
    at: &str,
    report: &mut ValidationReport,
) -> Option<Organisation> {
    let name = organization.name.as_deref().map(str::to_owned);
    let mut code = None;
    for (j, identifier) in organization.identifier.iter().enumerate() {
        let Some(system) = identifier.system.as_deref() else {
            continue;
        };
        let value = identifier.value.as_deref().unwrap_or_default();
        if system == system::ODS_ORGANIZATION_CODE {
            // The import has checked its form.
            code = value.parse().ok();
        } else if system.eq_ignore_ascii_case(system::ODS_ORGANIZATION_CODE) {
            let place = format!("{at}.identifier[{j}].system");
            match value.parse::<OdsCode>() {
                Ok(ods) => {
                    report.warn(
                        IssueType::Value,
                        place,
                        format!(
                            "the ODS code system is written {system:?}; UK Core writes it {:?} (identifier systems are case-sensitive): read as ODS code {ods}",
                            system::ODS_ORGANIZATION_CODE
                        ),
                    );
                    code = Some(ods);
                }
                Err(source) => report.warn(
                    IssueType::Value,
                    format!("{at}.identifier[{j}].value"),
                    format!("{value:?} is not an ODS code ({source}): ignored"),
                ),
            }
        }
        if code.is_some() {
            break;
        }
    }
    match (code, name) {
        (Some(code), name) => Some(Organisation::Nhs { code, name }),
        (None, Some(name)) => {
            report.warn(
                IssueType::Required,
                format!("{at}.identifier"),
                format!(
                    "the organisation {name:?} has no ODS code ({}): read as an organisation outside the NHS",
                    system::ODS_ORGANIZATION_CODE
                ),
            );
            Some(Organisation::NonNhs { name })
        }
        (None, None) => {
            report.warn(
                IssueType::Required,
                at,
                "the organisation has neither an ODS code nor a name (FHIR org-1): left out",
            );
            None
        }
    }
}

/// Resolves a reference to an `Organization` entry.
fn organisation_at(
    entries: &Entries<'_, '_>,
    reference: Option<&Reference<'_>>,
    at: &str,
    report: &mut ValidationReport,
) -> Option<Organisation> {
    reference?;
    let Some(i) = entries.find(reference) else {
        unresolved(reference, at, report);
        return None;
    };
    match entries.resource(i) {
        Some(Resource::Organization(o)) => entries.organisation(i, o, report),
        Some(other) => {
            wrong_type(other, "Organization", at, report);
            None
        }
        None => None,
    }
}

fn unresolved(reference: Option<&Reference<'_>>, at: &str, report: &mut ValidationReport) {
    let text = reference
        .and_then(|r| r.reference.as_deref())
        .unwrap_or_default();
    report.warn(
        IssueType::NotFound,
        at,
        format!("{text:?} is not an entry of the message: left out"),
    );
}

fn wrong_type(found: &Resource<'_>, expected: &str, at: &str, report: &mut ValidationReport) {
    report.warn(
        IssueType::Invalid,
        at,
        format!(
            "refers to a {} where a {expected} was expected: left out",
            found.resource_type()
        ),
    );
}

fn patient_of(
    entries: &Entries<'_, '_>,
    reference: &Reference<'_>,
    at: &str,
    report: &mut ValidationReport,
) -> Option<ReferredPatient> {
    let Some(i) = entries.find(Some(reference)) else {
        unresolved(Some(reference), at, report);
        return None;
    };
    let patient: &Patient<'_> = match entries.resource(i) {
        Some(Resource::Patient(p)) => p,
        Some(other) => {
            wrong_type(other, "Patient", at, report);
            return None;
        }
        // Left out for its errors, already reported.
        None => return None,
    };
    let path = entry_path(i);
    let nhs_number = patient.nhs_number();
    if nhs_number.is_none() {
        report.warn(
            IssueType::Required,
            format!("{path}.identifier"),
            format!("the patient has no NHS number ({})", system::NHS_NUMBER),
        );
    }
    let id = entry_uuid(entries.bundle, i, "Patient")
        .or_else(|| nhs_number.map(|n| PatientId::derived(&n.to_string()).as_uuid()))
        .unwrap_or_else(|| PatientId::derived(&path).as_uuid());
    let birth_date = match patient.birth_date {
        Some(FhirDate::Day(day)) => Some(day),
        Some(other) => {
            report.warn(
                IssueType::Value,
                format!("{path}.birthDate"),
                format!("the birth date {other} is not a whole date: left out"),
            );
            None
        }
        None => None,
    };
    Some(ReferredPatient {
        id: PatientId::from_uuid(id),
        nhs_number,
        name: human_name(&patient.name),
        birth_date,
        sex: patient.gender.map(|g| match g {
            AdministrativeGender::Female => Sex::Female,
            AdministrativeGender::Male => Sex::Male,
            AdministrativeGender::Other => Sex::Other,
            AdministrativeGender::Unknown => Sex::Unknown,
        }),
    })
}

fn referrer_of(
    entries: &Entries<'_, '_>,
    reference: &Reference<'_>,
    at: &str,
    report: &mut ValidationReport,
) -> Option<Referrer> {
    let Some(i) = entries.find(Some(reference)) else {
        unresolved(Some(reference), at, report);
        return None;
    };
    let practitioner_name = |reference: Option<&Reference<'_>>| {
        entries
            .find(reference)
            .and_then(|j| match entries.resource(j) {
                Some(Resource::Practitioner(p)) => human_name(&p.name),
                _ => None,
            })
            .or_else(|| reference.and_then(|r| r.display.as_deref().map(str::to_owned)))
    };
    match entries.resource(i) {
        Some(Resource::PractitionerRole(role)) => {
            let path = entry_path(i);
            Some(Referrer {
                name: practitioner_name(role.practitioner.as_ref()),
                role: role.code.first().and_then(concept_text),
                organisation: organisation_at(
                    entries,
                    role.organization.as_ref(),
                    &format!("{path}.organization"),
                    report,
                ),
            })
        }
        Some(Resource::Practitioner(p)) => Some(Referrer {
            name: human_name(&p.name),
            role: None,
            organisation: None,
        }),
        Some(Resource::Organization(o)) => Some(Referrer {
            name: None,
            role: None,
            organisation: entries.organisation(i, o, report),
        }),
        Some(other) => {
            wrong_type(other, "PractitionerRole", at, report);
            None
        }
        None => None,
    }
}

fn service_of(
    entries: &Entries<'_, '_>,
    reference: &Reference<'_>,
    at: &str,
    report: &mut ValidationReport,
) -> Option<ReferredService> {
    let Some(i) = entries.find(Some(reference)) else {
        unresolved(Some(reference), at, report);
        return None;
    };
    let path = entry_path(i);
    match entries.resource(i) {
        Some(Resource::HealthcareService(service)) => {
            if service.r#type.is_empty() {
                report.warn(
                    IssueType::Required,
                    format!("{path}.type"),
                    "the service has no type: receivers route and report referrals by it",
                );
            }
            Some(ReferredService {
                name: service.name.as_deref().map(str::to_owned),
                dos_id: service
                    .identifier
                    .iter()
                    .find(|id| {
                        id.system.as_deref().is_some_and(|s| {
                            s.eq_ignore_ascii_case(DOS_SERVICE_ID)
                                || s.ends_with("/Id/dos-service-id")
                        })
                    })
                    .and_then(|id| id.value.as_deref().map(str::to_owned)),
                service_type: service.r#type.first().and_then(concept_text),
                provided_by: organisation_at(
                    entries,
                    service.provided_by.as_ref(),
                    &format!("{path}.providedBy"),
                    report,
                ),
            })
        }
        Some(Resource::Organization(o)) => Some(ReferredService {
            name: None,
            dos_id: None,
            service_type: None,
            provided_by: entries.organisation(i, o, report),
        }),
        Some(other) => {
            wrong_type(other, "HealthcareService", at, report);
            None
        }
        None => None,
    }
}

/// Reads a BaRS referral message: a `message` bundle with a `MessageHeader` first,
/// focused on a `ServiceRequest`. Every defect is reported (see the module table
/// for where each fact is read); what is sound is kept. Never fails and never
/// panics, whatever the bytes.
///
/// The referral is `None` only when there is no sound referral request to read: the
/// document is not a bundle, the message is not a referral request, or its
/// `ServiceRequest` is missing or has an error.
///
/// ```
/// use pcn_fhir::{IssueSeverity, bars_referral_to_fhir, read_bars_referral, to_json};
/// # let referral = pcn_fhir::BarsReferral {
/// #     id: pcn_core::ReferralId::from_u128(1), original_id: None, timestamp: Some("2024-09-16T10:42:00+01:00".parse()?),
/// #     reason: pcn_fhir::MessageReason::New, status: pcn_fhir::RequestStatus::Active,
/// #     priority: pcn_referral::Priority::Urgent, authored_on: None, use_case: None,
/// #     reasons: Vec::new(), patient: None, referrer: None, service: None, sender: None,
/// #     receiver: None, source_endpoint: "https://sender.example/bars".into(),
/// #     destination_endpoint: None, progress: None,
/// # };
/// let json = to_json(&bars_referral_to_fhir(&referral))?;
/// let read = read_bars_referral(json.as_bytes());
/// assert!(!read.report.has_errors());
/// assert_eq!(read.value, Some(referral));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn read_bars_referral(json: &[u8]) -> Validated<BarsReferral> {
    let Validated { value, mut report } = validate_resource(json);
    let value = match value {
        Some(Resource::Bundle(bundle)) => bars_referral_from_bundle(&bundle, &mut report),
        Some(other) => {
            report.push(crate::Issue::new(
                crate::IssueSeverity::Error,
                IssueType::Invalid,
                other.resource_type(),
                format!(
                    "a BaRS message is a Bundle of type message, not a {}",
                    other.resource_type()
                ),
            ));
            None
        }
        None => None,
    };
    Validated { value, report }
}

fn error(
    report: &mut ValidationReport,
    code: IssueType,
    at: impl Into<String>,
    message: impl Into<String>,
) {
    report.push(crate::Issue::new(
        crate::IssueSeverity::Error,
        code,
        at,
        message,
    ));
}

/// Reads a BaRS referral from a message bundle already read, adding what it finds to
/// `report` (see [`read_bars_referral`]).
pub fn bars_referral_from_bundle(
    bundle: &Bundle<'_>,
    report: &mut ValidationReport,
) -> Option<BarsReferral> {
    if bundle.r#type != BundleType::Message {
        report.warn(
            IssueType::Value,
            "Bundle.type",
            format!(
                "a BaRS message is a bundle of type message, not {}",
                bundle.r#type
            ),
        );
    }
    if bundle.timestamp.is_none() {
        report.warn(
            IssueType::Required,
            "Bundle.timestamp",
            "a BaRS message carries the time it was assembled",
        );
    }
    let entries = Entries::new(bundle);
    let header_at = bundle
        .entry
        .iter()
        .position(|e| matches!(e.resource, Some(Resource::MessageHeader(_))));
    let header = header_at.and_then(|i| match entries.resource(i) {
        Some(Resource::MessageHeader(h)) => Some((i, &**h)),
        _ => None,
    });
    match header_at {
        Some(0) => {}
        Some(i) => report.warn(
            IssueType::Structure,
            entry_path(i),
            "the MessageHeader is not the first entry of the message (FHIR R4 Bundle: the first resource of a message is its MessageHeader)",
        ),
        None => error(
            report,
            IssueType::Required,
            "Bundle.entry[0].resource",
            "the message has no sound MessageHeader: read without sender, receiver and reason",
        ),
    }
    let mut reason = MessageReason::New;
    if let Some((i, header)) = header {
        let at = entry_path(i);
        let event = &header.event_coding;
        if event.system.as_deref() != Some(MESSAGE_EVENTS)
            || event.code.as_deref() != Some(REFERRAL_REQUEST_EVENT)
        {
            error(
                report,
                IssueType::NotSupported,
                format!("{at}.eventCoding"),
                format!(
                    "the message event is {:?} in {:?}: only BaRS referral requests ({REFERRAL_REQUEST_EVENT} in {MESSAGE_EVENTS}) are read",
                    event.code.as_deref().unwrap_or_default(),
                    event.system.as_deref().unwrap_or_default()
                ),
            );
            return None;
        }
        match header
            .reason
            .as_ref()
            .and_then(|r| r.coding_in(MESSAGE_REASONS))
            .and_then(|c| c.code.as_deref())
        {
            Some(code) => match MessageReason::from_code(code) {
                Some(r) => reason = r,
                None => report.warn(
                    IssueType::CodeInvalid,
                    format!("{at}.reason"),
                    format!(
                        "{code:?} is not a BaRS message reason (new, update, delete): read as new"
                    ),
                ),
            },
            None => report.warn(
                IssueType::Required,
                format!("{at}.reason"),
                "the message has no BaRS reason (new, update, delete): read as new",
            ),
        }
    }
    // The request: the header's focus, else the bundle's one ServiceRequest.
    let requests: Vec<usize> = bundle
        .entry
        .iter()
        .enumerate()
        .filter(|(_, e)| matches!(e.resource, Some(Resource::ServiceRequest(_))))
        .map(|(i, _)| i)
        .collect();
    let focus = header.and_then(|(i, h)| {
        let reference = h.focus.first()?;
        let found = entries.find(Some(reference));
        if found.is_none() {
            error(
                report,
                IssueType::NotFound,
                format!("{}.focus[0]", entry_path(i)),
                format!(
                    "the focus {:?} is not an entry of the message",
                    reference.reference.as_deref().unwrap_or_default()
                ),
            );
        }
        found
    });
    let request_at = match (focus, header) {
        (Some(i), _) => Some(i),
        (None, Some((h, header))) if header.focus.is_empty() => {
            let at = format!("{}.focus", entry_path(h));
            if let [only] = requests[..] {
                report.warn(
                    IssueType::Required,
                    at,
                    format!(
                        "the message has no focus: read its one ServiceRequest, at {}",
                        entry_path(only)
                    ),
                );
                Some(only)
            } else {
                error(
                    report,
                    IssueType::Required,
                    at,
                    format!(
                        "the message has no focus, and {} ServiceRequests to choose from",
                        requests.len()
                    ),
                );
                None
            }
        }
        (None, None) => requests.first().copied(),
        (None, Some(_)) => None,
    }?;
    let request: &ServiceRequest<'_> = match entries.resource(request_at) {
        Some(Resource::ServiceRequest(r)) => r,
        Some(other) => {
            error(
                report,
                IssueType::Invalid,
                entry_path(request_at),
                format!(
                    "the message's focus is a {}, not a ServiceRequest",
                    other.resource_type()
                ),
            );
            return None;
        }
        None => {
            error(
                report,
                IssueType::Invalid,
                entry_path(request_at),
                "the referral's ServiceRequest has errors (above): no referral read",
            );
            return None;
        }
    };
    let at = entry_path(request_at);
    let Some(id) = entry_uuid(bundle, request_at, "ServiceRequest") else {
        error(
            report,
            IssueType::Required,
            format!("{at}.id"),
            "the ServiceRequest has neither an id nor a urn:uuid fullUrl to know it by",
        );
        return None;
    };
    let original_id = request
        .id
        .as_ref()
        .filter(|id| super::read_uuid(id.as_str(), String::new).is_err())
        .map(|id| id.as_str().to_owned());
    if !request.category.iter().any(|c| {
        c.coding
            .iter()
            .any(|c| c.is(SERVICE_REQUEST_CATEGORY, "referral"))
    }) {
        report.warn(
            IssueType::Required,
            format!("{at}.category"),
            format!("the request is not categorised as a referral ({SERVICE_REQUEST_CATEGORY})"),
        );
    }
    let priority = match request
        .category
        .iter()
        .find_map(|c| c.coding_in(REFERRAL_PRIORITY))
        .and_then(|c| c.code.as_deref())
    {
        Some("two_week_wait") => Priority::TwoWeekWait,
        _ => match request.priority {
            Some(RequestPriority::Routine) => Priority::Routine,
            Some(_) => Priority::Urgent,
            None => {
                report.warn(
                    IssueType::Required,
                    format!("{at}.priority"),
                    "the request has no priority: read as routine",
                );
                Priority::Routine
            }
        },
    };
    if request.authored_on.is_none() {
        report.warn(
            IssueType::Required,
            format!("{at}.authoredOn"),
            "the request does not say when it was made",
        );
    }
    let reasons = request
        .reason_code
        .iter()
        .map(|c| ReferralReason {
            code: c
                .coding_in(system::SNOMED_CT)
                .and_then(|c| c.code.as_deref()?.parse::<u64>().ok())
                .and_then(|n| SnomedCode::new(n).ok()),
            text: c
                .text
                .as_deref()
                .or_else(|| c.coding.iter().find_map(|c| c.display.as_deref()))
                .map(str::to_owned),
        })
        .collect();
    let patient = patient_of(&entries, &request.subject, &format!("{at}.subject"), report);
    let referrer = request
        .requester
        .as_ref()
        .and_then(|r| referrer_of(&entries, r, &format!("{at}.requester"), report));
    let service = match request.performer.first() {
        Some(performer) => service_of(&entries, performer, &format!("{at}.performer[0]"), report),
        None => {
            report.warn(
                IssueType::Required,
                format!("{at}.performer"),
                "the request does not say which service it is for",
            );
            None
        }
    };
    let (sender, receiver, source_endpoint, destination_endpoint) = match header {
        Some((h, header)) => {
            let hat = entry_path(h);
            let destination = header.destination.first();
            (
                organisation_at(
                    &entries,
                    header.sender.as_ref(),
                    &format!("{hat}.sender"),
                    report,
                ),
                organisation_at(
                    &entries,
                    destination.and_then(|d| d.receiver.as_ref()),
                    &format!("{hat}.destination[0].receiver"),
                    report,
                ),
                header.source.endpoint.to_string(),
                destination.map(|d| d.endpoint.to_string()),
            )
        }
        None => (None, None, String::new(), None),
    };
    let request_id = request.id.as_ref().map(ResourceId::as_str);
    let full_url = bundle.entry[request_at].full_url.as_deref();
    let progress = progress_of(bundle.resources().filter_map(|r| {
        match r {
            Resource::Task(t)
                if refers_to(t.focus.as_ref(), request_id, full_url)
                    || t.based_on
                        .iter()
                        .any(|b| refers_to(Some(b), request_id, full_url)) =>
            {
                Some(&**t)
            }
            _ => None,
        }
    }));
    Some(BarsReferral {
        id: ReferralId::from_uuid(id),
        original_id,
        timestamp: bundle.timestamp,
        reason,
        status: request.status,
        priority,
        authored_on: request.authored_on,
        use_case: request
            .category
            .iter()
            .find_map(|c| c.coding_in(USE_CASES))
            .and_then(|c| c.code.as_deref().map(str::to_owned)),
        reasons,
        patient,
        referrer,
        service,
        sender,
        receiver,
        source_endpoint,
        destination_endpoint,
        progress,
    })
}

/// The id of a resource this writer makes for a referral, the same on every export:
/// derived in the referral's namespace.
fn part_uuid(referral: ReferralId, part: &str) -> Uuid {
    ReferralId::derived(&format!("{referral}:{part}")).as_uuid()
}

fn entry<'a>(uuid: Uuid, resource: impl Into<Resource<'a>>) -> BundleEntry<'a> {
    BundleEntry {
        full_url: Some(urn(uuid).into()),
        resource: Some(resource.into()),
    }
}

fn organization(organisation: &Organisation, uuid: Uuid) -> Organization<'static> {
    Organization {
        id: Some(ResourceId::from_uuid(uuid)),
        identifier: organisation
            .ods_code()
            .map(Identifier::ods_code)
            .into_iter()
            .collect(),
        name: organisation.name().map(|n| Cow::Owned(n.to_owned())),
        ..Organization::default()
    }
}

fn text_name(name: Option<&String>) -> Vec<HumanName<'static>> {
    name.map(|n| HumanName {
        text: Some(Cow::Owned(n.clone())),
        ..HumanName::default()
    })
    .into_iter()
    .collect()
}

/// A referral as a BaRS referral request message: a `message` bundle with its
/// `MessageHeader` first (event `servicerequest-request`, reason, sender, receiver,
/// endpoints, focus on the request), the `ServiceRequest`, and the `Patient`,
/// `PractitionerRole` with its `Practitioner`, `HealthcareService` and
/// `Organization`s it refers to. Every entry's `fullUrl` is a `urn:uuid:`, and
/// references between entries use them. [`read_bars_referral`] reads it back to an
/// equal referral.
#[must_use]
pub fn bars_referral_to_fhir(referral: &BarsReferral) -> Bundle<'static> {
    let id = referral.id;
    let request_uuid = id.as_uuid();
    let mut bundle = Bundle::new(BundleType::Message);
    bundle.id = Some(ResourceId::from_uuid(part_uuid(id, "message")));
    bundle.timestamp = referral.timestamp;
    let mut header = MessageHeader::new(
        Coding::new(MESSAGE_EVENTS, REFERRAL_REQUEST_EVENT, None),
        referral.source_endpoint.clone(),
    );
    header.id = Some(ResourceId::from_uuid(part_uuid(id, "header")));
    header.reason = Some(CodeableConcept::from_coding(Coding::new(
        MESSAGE_REASONS,
        referral.reason.code(),
        None,
    )));
    header.focus = vec![Reference::to(urn(request_uuid))];
    header.definition = Some(Cow::Borrowed(REFERRAL_DEFINITION));
    let mut entries = Vec::new();
    let add_org =
        |organisation: &Organisation, part: &str, entries: &mut Vec<BundleEntry<'static>>| {
            let uuid = part_uuid(id, part);
            entries.push(entry(uuid, organization(organisation, uuid)));
            Reference::to(urn(uuid))
        };
    header.sender = referral
        .sender
        .as_ref()
        .map(|o| add_org(o, "sender", &mut entries));
    let receiver = referral
        .receiver
        .as_ref()
        .map(|o| add_org(o, "receiver", &mut entries));
    if referral.destination_endpoint.is_some() || receiver.is_some() {
        header.destination = vec![MessageDestination {
            name: None,
            endpoint: Cow::Owned(referral.destination_endpoint.clone().unwrap_or_default()),
            receiver,
        }];
    }
    let subject = match &referral.patient {
        Some(patient) => {
            let uuid = patient.id.as_uuid();
            let fhir = Patient {
                id: Some(ResourceId::from_uuid(uuid)),
                identifier: patient
                    .nhs_number
                    .map(Identifier::nhs_number)
                    .into_iter()
                    .collect(),
                name: text_name(patient.name.as_ref()),
                gender: patient.sex.map(|s| match s {
                    Sex::Female => AdministrativeGender::Female,
                    Sex::Male => AdministrativeGender::Male,
                    Sex::Other => AdministrativeGender::Other,
                    _ => AdministrativeGender::Unknown,
                }),
                birth_date: patient.birth_date.map(FhirDate::Day),
                ..Patient::default()
            };
            entries.push(entry(uuid, fhir));
            Reference::to(urn(uuid))
        }
        // Subject is required; a referral read without a sound patient keeps no
        // reference to one.
        None => Reference {
            display: Some(Cow::Borrowed("patient not known")),
            ..Reference::default()
        },
    };
    let mut request = ServiceRequest::new(referral.status, RequestIntent::Plan, subject);
    request.id = Some(match &referral.original_id {
        Some(original) => ResourceId::new(original.clone())
            .unwrap_or_else(|_| ResourceId::from_uuid(request_uuid)),
        None => ResourceId::from_uuid(request_uuid),
    });
    request
        .category
        .push(CodeableConcept::from_coding(Coding::new(
            SERVICE_REQUEST_CATEGORY,
            "referral",
            None,
        )));
    if let Some(use_case) = &referral.use_case {
        request
            .category
            .push(CodeableConcept::from_coding(Coding::new(
                USE_CASES,
                use_case.clone(),
                None,
            )));
    }
    if referral.priority == Priority::TwoWeekWait {
        request
            .category
            .push(CodeableConcept::from_coding(Coding::new(
                REFERRAL_PRIORITY,
                Priority::TwoWeekWait.name(),
                None,
            )));
    }
    request.priority = Some(match referral.priority {
        Priority::Routine => RequestPriority::Routine,
        _ => RequestPriority::Urgent,
    });
    request.authored_on = referral.authored_on;
    request.reason_code = referral
        .reasons
        .iter()
        .map(|r| CodeableConcept {
            coding: r
                .code
                .map(|c| Coding::snomed(c, None))
                .into_iter()
                .collect(),
            text: r.text.clone().map(Cow::Owned),
        })
        .collect();
    if let Some(referrer) = &referral.referrer {
        let role_uuid = part_uuid(id, "referrer-role");
        let mut role = PractitionerRole {
            id: Some(ResourceId::from_uuid(role_uuid)),
            code: referrer
                .role
                .clone()
                .map(CodeableConcept::from_text)
                .into_iter()
                .collect(),
            ..PractitionerRole::default()
        };
        if referrer.name.is_some() {
            let uuid = part_uuid(id, "referrer");
            entries.push(entry(
                uuid,
                Practitioner {
                    id: Some(ResourceId::from_uuid(uuid)),
                    name: text_name(referrer.name.as_ref()),
                    ..Practitioner::default()
                },
            ));
            role.practitioner = Some(Reference::to(urn(uuid)));
        }
        role.organization = referrer
            .organisation
            .as_ref()
            .map(|o| add_org(o, "referrer-organisation", &mut entries));
        entries.push(entry(role_uuid, role));
        request.requester = Some(Reference::to(urn(role_uuid)));
    }
    if let Some(service) = &referral.service {
        let uuid = part_uuid(id, "service");
        let fhir = HealthcareService {
            id: Some(ResourceId::from_uuid(uuid)),
            identifier: service
                .dos_id
                .clone()
                .map(|d| Identifier::new(DOS_SERVICE_ID, d))
                .into_iter()
                .collect(),
            active: Some(true),
            provided_by: service
                .provided_by
                .as_ref()
                .map(|o| add_org(o, "provider", &mut entries)),
            r#type: service
                .service_type
                .clone()
                .map(CodeableConcept::from_text)
                .into_iter()
                .collect(),
            name: service.name.clone().map(Cow::Owned),
            ..HealthcareService::default()
        };
        entries.push(entry(uuid, fhir));
        request.performer = vec![Reference::to(urn(uuid))];
    }
    if let Some(progress) = &referral.progress {
        for (k, change) in progress.history.iter().enumerate() {
            let uuid = part_uuid(id, &format!("task-{k}"));
            let mut task = Task::new(change.status, crate::TaskIntent::Order);
            task.id = Some(ResourceId::from_uuid(uuid));
            task.focus = Some(Reference::to(urn(request_uuid)));
            task.last_modified = change.at;
            task.business_status = change.business_status.as_ref().map(|b| {
                match change.state.filter(|s| s.name() == b) {
                    Some(state) => CodeableConcept::from_coding(Coding::new(
                        REFERRAL_STATE,
                        state.name(),
                        None,
                    )),
                    None => CodeableConcept::from_text(b.clone()),
                }
            });
            task.owner = change.owner.clone().map(Reference::to);
            entries.push(entry(uuid, task));
        }
    }
    bundle.entry.push(entry(part_uuid(id, "header"), header));
    bundle.entry.push(entry(request_uuid, request));
    bundle.entry.extend(entries);
    bundle
}
