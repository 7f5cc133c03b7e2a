//! How other systems show a referral's state: FHIR R4 `Task.status` and the NHS
//! e-Referral Service (e-RS) referral states.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{AppointmentCancelledBy, ReferralState, RejectionReason};

/// The FHIR R4 task status code system (`http://hl7.org/fhir/task-status`, 12 codes).
///
/// A referral is a FHIR `ServiceRequest`; its workflow is a `Task` whose `focus` is
/// the request, with `status` from this code system and our own state name as
/// `businessStatus` (`fhir.md` of the domain reference; HL7 FHIR R4, Task resource).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TaskStatus {
    /// `draft`: not yet ready to be acted on.
    Draft,
    /// `requested`: ready to be acted on, not yet acknowledged.
    Requested,
    /// `received`: acknowledged and being reviewed.
    Received,
    /// `accepted`: the performer has agreed to act.
    Accepted,
    /// `rejected`: the performer has decided not to act.
    Rejected,
    /// `ready`: ready to be performed, no action yet taken.
    Ready,
    /// `cancelled`: not completed.
    Cancelled,
    /// `in-progress`: started.
    InProgress,
    /// `on-hold`: started, but paused.
    OnHold,
    /// `failed`: attempted, but failed.
    Failed,
    /// `completed`: done.
    Completed,
    /// `entered-in-error`: should never have existed.
    EnteredInError,
}

impl TaskStatus {
    /// The code system URL.
    pub const SYSTEM: &'static str = "http://hl7.org/fhir/task-status";

    /// The code.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Requested => "requested",
            Self::Received => "received",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
            Self::Ready => "ready",
            Self::Cancelled => "cancelled",
            Self::InProgress => "in-progress",
            Self::OnHold => "on-hold",
            Self::Failed => "failed",
            Self::Completed => "completed",
            Self::EnteredInError => "entered-in-error",
        }
    }
}

impl fmt::Display for TaskStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.code())
    }
}

/// The e-RS referral states our machine maps to, from the code system
/// `https://fhir.nhs.uk/CodeSystem/eRS-ReferralState` (which has others).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErsReferralState {
    /// `AWAITING_TRIAGE`: with the provider, not yet triaged.
    AwaitingTriage,
    /// `NOT_BOOKED`: accepted, no appointment yet.
    NotBooked,
    /// `BOOKED`: an appointment is booked.
    Booked,
    /// `APPOINTMENT_CANCELLED_BY_PATIENT`: the patient cancelled the appointment.
    AppointmentCancelledByPatient,
    /// `APPOINTMENT_CANCELLED_BY_PROVIDER`: the provider cancelled the appointment.
    AppointmentCancelledByProvider,
    /// `REJECTED`: rejected by the provider, returned to the referrer.
    Rejected,
    /// `TRIAGE_RESPONSE`: returned to the referrer with advice.
    TriageResponse,
    /// `DEFER_TO_PROVIDER`: booking deferred to the provider.
    DeferToProvider,
}

impl ErsReferralState {
    /// The code system URL.
    pub const SYSTEM: &'static str = "https://fhir.nhs.uk/CodeSystem/eRS-ReferralState";

    /// The code.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::AwaitingTriage => "AWAITING_TRIAGE",
            Self::NotBooked => "NOT_BOOKED",
            Self::Booked => "BOOKED",
            Self::AppointmentCancelledByPatient => "APPOINTMENT_CANCELLED_BY_PATIENT",
            Self::AppointmentCancelledByProvider => "APPOINTMENT_CANCELLED_BY_PROVIDER",
            Self::Rejected => "REJECTED",
            Self::TriageResponse => "TRIAGE_RESPONSE",
            Self::DeferToProvider => "DEFER_TO_PROVIDER",
        }
    }
}

impl fmt::Display for ErsReferralState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.code())
    }
}

/// The top-level e-RS referral status: only active, completed or cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErsStatus {
    /// Open.
    Active,
    /// Done.
    Completed,
    /// Cancelled.
    Cancelled,
}

impl ReferralState {
    /// The FHIR R4 `Task.status` for this state.
    ///
    /// | state | Task.status |
    /// |---|---|
    /// | draft | draft |
    /// | submitted | requested |
    /// | triaged | received |
    /// | accepted (also after a cancelled appointment) | accepted |
    /// | rejected | rejected |
    /// | redirected | rejected (this performer declines; `businessStatus` says redirected) |
    /// | booked | ready |
    /// | attended | in-progress |
    /// | did not attend | on-hold (the provider decides: rebook or discharge) |
    /// | cancelled | cancelled |
    /// | discharged, completed | completed |
    ///
    /// `failed` and `entered-in-error` are not reached: a discharge after a missed
    /// appointment is a completed task with that outcome, and a referral raised in
    /// error is cancelled with [`CancellationReason::RaisedInError`](crate::CancellationReason).
    #[must_use]
    pub const fn task_status(&self) -> TaskStatus {
        match self {
            Self::Draft => TaskStatus::Draft,
            Self::Submitted => TaskStatus::Requested,
            Self::Triaged { .. } => TaskStatus::Received,
            Self::Accepted { .. } => TaskStatus::Accepted,
            Self::Rejected { .. } | Self::Redirected { .. } => TaskStatus::Rejected,
            Self::Booked { .. } => TaskStatus::Ready,
            Self::Attended { .. } => TaskStatus::InProgress,
            Self::DidNotAttend { .. } => TaskStatus::OnHold,
            Self::Cancelled { .. } => TaskStatus::Cancelled,
            Self::Discharged { .. } | Self::Completed { .. } => TaskStatus::Completed,
        }
    }

    /// The e-RS referral state this state shows as, or `None` where e-RS has no state
    /// for it (a draft not yet in e-RS; attendance, discharge and completion, which
    /// e-RS does not track).
    ///
    /// | state | e-RS state |
    /// |---|---|
    /// | submitted, triaged | `AWAITING_TRIAGE` (triage not yet actioned in e-RS) |
    /// | accepted | `NOT_BOOKED`, or `APPOINTMENT_CANCELLED_BY_PATIENT` / `_BY_PROVIDER` after a cancelled appointment |
    /// | rejected | `REJECTED`, or `TRIAGE_RESPONSE` when returned with advice |
    /// | redirected | `AWAITING_TRIAGE` (e-RS moves the referral to the new service) |
    /// | booked | `BOOKED` |
    ///
    /// `DEFER_TO_PROVIDER` is a booking arrangement, not a state of our machine, and
    /// is not produced. Source: `referrals.md` of the domain reference (e-RS states).
    #[must_use]
    pub const fn ers_state(&self) -> Option<ErsReferralState> {
        match self {
            Self::Submitted | Self::Triaged { .. } | Self::Redirected { .. } => {
                Some(ErsReferralState::AwaitingTriage)
            }
            Self::Accepted {
                appointment_cancelled_by,
            } => Some(match appointment_cancelled_by {
                None => ErsReferralState::NotBooked,
                Some(AppointmentCancelledBy::Patient) => {
                    ErsReferralState::AppointmentCancelledByPatient
                }
                Some(AppointmentCancelledBy::Provider) => {
                    ErsReferralState::AppointmentCancelledByProvider
                }
            }),
            Self::Rejected {
                reason: RejectionReason::AdviceGiven,
            } => Some(ErsReferralState::TriageResponse),
            Self::Rejected { .. } => Some(ErsReferralState::Rejected),
            Self::Booked { .. } => Some(ErsReferralState::Booked),
            Self::Draft
            | Self::Attended { .. }
            | Self::DidNotAttend { .. }
            | Self::Cancelled { .. }
            | Self::Discharged { .. }
            | Self::Completed { .. } => None,
        }
    }

    /// The top-level e-RS status, or `None` for a draft (not yet in e-RS).
    ///
    /// A rejected referral stays active in e-RS, on the referrer's worklist, until the
    /// referrer acts on it; attendance and what follows count as completed.
    #[must_use]
    pub const fn ers_status(&self) -> Option<ErsStatus> {
        match self {
            Self::Draft => None,
            Self::Submitted
            | Self::Triaged { .. }
            | Self::Accepted { .. }
            | Self::Rejected { .. }
            | Self::Redirected { .. }
            | Self::Booked { .. }
            | Self::DidNotAttend { .. } => Some(ErsStatus::Active),
            Self::Attended { .. } | Self::Discharged { .. } | Self::Completed { .. } => {
                Some(ErsStatus::Completed)
            }
            Self::Cancelled { .. } => Some(ErsStatus::Cancelled),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CancellationReason, CancelledBy};

    #[test]
    fn codes_match_their_serde_names() {
        for status in [
            TaskStatus::InProgress,
            TaskStatus::EnteredInError,
            TaskStatus::OnHold,
        ] {
            assert_eq!(
                serde_json::to_string(&status).unwrap(),
                format!("\"{}\"", status.code())
            );
        }
        let state = ErsReferralState::AppointmentCancelledByPatient;
        assert_eq!(
            serde_json::to_string(&state).unwrap(),
            format!("\"{}\"", state.code())
        );
    }

    #[test]
    fn states_map_to_fhir_and_ers() {
        assert_eq!(ReferralState::Draft.task_status(), TaskStatus::Draft);
        assert_eq!(ReferralState::Draft.ers_state(), None);
        assert_eq!(
            ReferralState::Submitted.ers_state(),
            Some(ErsReferralState::AwaitingTriage)
        );
        let cancelled_appointment = ReferralState::Accepted {
            appointment_cancelled_by: Some(AppointmentCancelledBy::Provider),
        };
        assert_eq!(
            cancelled_appointment.ers_state(),
            Some(ErsReferralState::AppointmentCancelledByProvider)
        );
        assert_eq!(cancelled_appointment.task_status(), TaskStatus::Accepted);
        let advice = ReferralState::Rejected {
            reason: RejectionReason::AdviceGiven,
        };
        assert_eq!(advice.ers_state(), Some(ErsReferralState::TriageResponse));
        let cancelled = ReferralState::Cancelled {
            by: CancelledBy::Patient,
            reason: CancellationReason::PatientChoice,
        };
        assert_eq!(cancelled.ers_status(), Some(ErsStatus::Cancelled));
        assert_eq!(cancelled.task_status(), TaskStatus::Cancelled);
    }
}
