//! The referral lifecycle as a typed state machine, with its full history.

use std::fmt;

use chrono::{NaiveDate, NaiveDateTime};
use pcn_core::{PathwayId, PatientId, ReferralId, Role, ServiceId, StaffId};
use serde::{Deserialize, Serialize};

use crate::{Destination, EntryRoute, Priority, RedFlag, ReferralError, Routed, WaitTarget};

/// Who recorded an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Actor {
    /// The patient (a self-referral, a cancellation online).
    Patient,
    /// A member of staff, in a role.
    Staff {
        /// The member of staff.
        id: StaffId,
        /// The role they acted in.
        role: Role,
    },
    /// A service, acting as an organisation (a booking office, a triage team).
    Service {
        /// The service.
        id: ServiceId,
    },
    /// An automated process (an e-RS interface, a batch import).
    System,
}

impl Actor {
    /// Whether the actor is a care professional or a service: the people who may
    /// ratify a self-referral (RTT rules suite, Rule 2).
    #[must_use]
    pub const fn is_professional(self) -> bool {
        matches!(self, Self::Staff { .. } | Self::Service { .. })
    }
}

/// On whose behalf a referral was cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CancelledBy {
    /// The patient.
    Patient,
    /// The referrer.
    Referrer,
    /// The provider.
    Provider,
}

/// Who cancelled a booked appointment (the referral stays open, to be rebooked).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentCancelledBy {
    /// The patient.
    Patient,
    /// The provider.
    Provider,
}

/// Why a service rejected a referral.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectionReason {
    /// The patient does not meet the service's criteria.
    NotEligible,
    /// The referral lacks information needed to triage it.
    InsufficientInformation,
    /// The service is not clinically appropriate for the problem.
    ClinicallyInappropriate,
    /// The service is not commissioned for this patient or problem.
    ServiceNotCommissioned,
    /// The patient is already referred for this problem.
    Duplicate,
    /// Returned to the referrer with advice, no appointment needed (e-RS triage
    /// response).
    AdviceGiven,
}

/// Why a service sent a referral on to another destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RedirectionReason {
    /// Another service is the right one for the problem.
    WrongService,
    /// The problem is more urgent than this service can respond to.
    ClinicalUrgency,
    /// The patient chose another provider.
    PatientChoice,
}

/// Why a referral was cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CancellationReason {
    /// The referral is no longer needed (the problem resolved).
    NoLongerRequired,
    /// The patient no longer wants it.
    PatientChoice,
    /// It was raised in error.
    RaisedInError,
    /// The patient has died.
    PatientDied,
    /// The patient is being treated elsewhere.
    TreatedElsewhere,
}

/// The outcome of a discharge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DischargeOutcome {
    /// Returned to primary care for care there (RTT Rule 5a).
    ReturnedToPrimaryCare,
    /// A clinical decision not to treat (RTT Rule 5d).
    DecisionNotToTreat,
    /// The patient declined the treatment offered (RTT Rule 5c).
    DeclinedTreatment,
    /// Discharged after not attending, under a published local policy (RTT Rule 5f);
    /// only after a did-not-attend.
    AfterDidNotAttend,
}

/// The outcome of a completed referral.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompletionOutcome {
    /// First definitive treatment started (RTT Rule 4a).
    TreatmentStarted,
    /// A period of active monitoring started (RTT Rule 5b).
    ActiveMonitoring,
    /// The episode of care finished (community and direct-access services; counts as
    /// treatment given, Rule 4a, where a clock runs).
    CareCompleted,
    /// The person's goals were met (social prescribing).
    GoalsAchieved,
}

/// An appointment slot.
///
/// Serde: `{"starts_at": "2024-05-07T09:30:00", "minutes": 30, "with": null}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawSlot", into = "RawSlot")]
pub struct Slot {
    starts_at: NaiveDateTime,
    minutes: u16,
    with: Option<StaffId>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSlot {
    starts_at: NaiveDateTime,
    minutes: u16,
    #[serde(default)]
    with: Option<StaffId>,
}

impl TryFrom<RawSlot> for Slot {
    type Error = ReferralError;

    fn try_from(raw: RawSlot) -> Result<Self, Self::Error> {
        Self::new(raw.starts_at, raw.minutes, raw.with)
    }
}

impl From<Slot> for RawSlot {
    fn from(slot: Slot) -> Self {
        Self {
            starts_at: slot.starts_at,
            minutes: slot.minutes,
            with: slot.with,
        }
    }
}

impl Slot {
    /// The longest slot accepted, in minutes (a working day).
    pub const MAX_MINUTES: u16 = 480;

    /// A slot starting at `starts_at`, `minutes` long, optionally with a named member
    /// of staff.
    ///
    /// # Errors
    /// [`ReferralError::InvalidSlot`] if `minutes` is 0 or more than
    /// [`MAX_MINUTES`](Self::MAX_MINUTES).
    pub fn new(
        starts_at: NaiveDateTime,
        minutes: u16,
        with: Option<StaffId>,
    ) -> Result<Self, ReferralError> {
        if minutes == 0 || minutes > Self::MAX_MINUTES {
            return Err(ReferralError::InvalidSlot { minutes });
        }
        Ok(Self {
            starts_at,
            minutes,
            with,
        })
    }

    /// When the slot starts.
    #[must_use]
    pub const fn starts_at(&self) -> NaiveDateTime {
        self.starts_at
    }

    /// Its length in minutes.
    #[must_use]
    pub const fn minutes(&self) -> u16 {
        self.minutes
    }

    /// The member of staff it is with, if named.
    #[must_use]
    pub const fn with(&self) -> Option<StaffId> {
        self.with
    }
}

/// The state of a referral.
///
/// A referral moves from draft to one of five final states (rejected, redirected,
/// cancelled, discharged, completed).
///
/// The allowed moves, in full ([`StateKind::allows`]):
///
/// | from | events allowed |
/// |---|---|
/// | draft | submit, cancel |
/// | submitted | triage, accept, book, reject, redirect, cancel |
/// | triaged | accept, book, reject, redirect, cancel |
/// | accepted | book, discharge, cancel |
/// | booked | attend, did not attend, book (move the slot), cancel appointment, cancel |
/// | attended | book (follow-up), discharge, complete |
/// | did not attend | book (rebook), discharge, cancel |
/// | rejected, redirected, cancelled, discharged, completed | none (final) |
///
/// Serde uses a `state` tag: `{"state": "booked", "slot": {...}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ReferralState {
    /// Being written; not yet sent.
    Draft,
    /// Sent to the destination, awaiting triage.
    Submitted,
    /// Clinically triaged (priority confirmed or changed), awaiting a decision.
    Triaged {
        /// The priority set at triage.
        priority: Priority,
    },
    /// Accepted by the service, awaiting an appointment.
    Accepted {
        /// Who cancelled the last booked appointment, if it was cancelled.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        appointment_cancelled_by: Option<AppointmentCancelledBy>,
    },
    /// Rejected by the service (final).
    Rejected {
        /// Why.
        reason: RejectionReason,
    },
    /// Sent on to another destination (final for this referral).
    Redirected {
        /// Where to.
        to: Destination,
        /// Why.
        reason: RedirectionReason,
    },
    /// An appointment is booked.
    Booked {
        /// The slot.
        slot: Slot,
    },
    /// The patient attended (the first contact, or a follow-up).
    Attended {
        /// When.
        at: NaiveDateTime,
    },
    /// The patient did not attend a booked appointment.
    DidNotAttend {
        /// The missed slot.
        slot: Slot,
        /// Whether it was the first appointment after the referral.
        first_appointment: bool,
        /// Whether the provider can show the appointment was clearly communicated to
        /// the patient (RTT Rule 5e/5f).
        clearly_communicated: bool,
    },
    /// Cancelled (final).
    Cancelled {
        /// On whose behalf.
        by: CancelledBy,
        /// Why.
        reason: CancellationReason,
    },
    /// Discharged (final).
    Discharged {
        /// With what outcome.
        outcome: DischargeOutcome,
    },
    /// Completed (final).
    Completed {
        /// With what outcome.
        outcome: CompletionOutcome,
    },
}

/// The kind of a [`ReferralState`], without its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StateKind {
    /// [`ReferralState::Draft`].
    Draft,
    /// [`ReferralState::Submitted`].
    Submitted,
    /// [`ReferralState::Triaged`].
    Triaged,
    /// [`ReferralState::Accepted`].
    Accepted,
    /// [`ReferralState::Rejected`].
    Rejected,
    /// [`ReferralState::Redirected`].
    Redirected,
    /// [`ReferralState::Booked`].
    Booked,
    /// [`ReferralState::Attended`].
    Attended,
    /// [`ReferralState::DidNotAttend`].
    DidNotAttend,
    /// [`ReferralState::Cancelled`].
    Cancelled,
    /// [`ReferralState::Discharged`].
    Discharged,
    /// [`ReferralState::Completed`].
    Completed,
}

impl StateKind {
    /// Every state, in lifecycle order.
    pub const ALL: [Self; 12] = [
        Self::Draft,
        Self::Submitted,
        Self::Triaged,
        Self::Accepted,
        Self::Rejected,
        Self::Redirected,
        Self::Booked,
        Self::Attended,
        Self::DidNotAttend,
        Self::Cancelled,
        Self::Discharged,
        Self::Completed,
    ];

    /// Whether no event is allowed from this state.
    #[must_use]
    pub const fn is_final(self) -> bool {
        matches!(
            self,
            Self::Rejected
                | Self::Redirected
                | Self::Cancelled
                | Self::Discharged
                | Self::Completed
        )
    }

    /// The state an event of this kind moves to from here, or `None` if the machine
    /// does not allow it (the table on [`ReferralState`]).
    #[must_use]
    pub const fn allows(self, event: EventKind) -> Option<StateKind> {
        use EventKind as E;
        use StateKind as S;
        let to = match (self, event) {
            (S::Draft, E::Submit) => S::Submitted,
            (S::Submitted, E::Triage) => S::Triaged,
            (S::Submitted | S::Triaged, E::Accept) => S::Accepted,
            (S::Submitted | S::Triaged, E::Reject) => S::Rejected,
            (S::Submitted | S::Triaged, E::Redirect) => S::Redirected,
            (
                S::Submitted | S::Triaged | S::Accepted | S::Booked | S::Attended | S::DidNotAttend,
                E::Book,
            ) => S::Booked,
            (S::Booked, E::CancelAppointment) => S::Accepted,
            (S::Booked, E::Attend) => S::Attended,
            (S::Booked, E::DidNotAttend) => S::DidNotAttend,
            (
                S::Draft | S::Submitted | S::Triaged | S::Accepted | S::Booked | S::DidNotAttend,
                E::Cancel,
            ) => S::Cancelled,
            (S::Accepted | S::Attended | S::DidNotAttend, E::Discharge) => S::Discharged,
            (S::Attended, E::Complete) => S::Completed,
            _ => return None,
        };
        Some(to)
    }

    /// The `snake_case` name.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Triaged => "triaged",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
            Self::Redirected => "redirected",
            Self::Booked => "booked",
            Self::Attended => "attended",
            Self::DidNotAttend => "did_not_attend",
            Self::Cancelled => "cancelled",
            Self::Discharged => "discharged",
            Self::Completed => "completed",
        }
    }
}

impl fmt::Display for StateKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

impl ReferralState {
    /// The kind of state.
    #[must_use]
    pub const fn kind(&self) -> StateKind {
        match self {
            Self::Draft => StateKind::Draft,
            Self::Submitted => StateKind::Submitted,
            Self::Triaged { .. } => StateKind::Triaged,
            Self::Accepted { .. } => StateKind::Accepted,
            Self::Rejected { .. } => StateKind::Rejected,
            Self::Redirected { .. } => StateKind::Redirected,
            Self::Booked { .. } => StateKind::Booked,
            Self::Attended { .. } => StateKind::Attended,
            Self::DidNotAttend { .. } => StateKind::DidNotAttend,
            Self::Cancelled { .. } => StateKind::Cancelled,
            Self::Discharged { .. } => StateKind::Discharged,
            Self::Completed { .. } => StateKind::Completed,
        }
    }
}

/// Something that happens to a referral.
///
/// Serde uses an `event` tag: `{"event": "reject", "reason": "not_eligible"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ReferralEvent {
    /// Send the referral.
    Submit,
    /// Triage it, setting its priority.
    Triage {
        /// The priority decided at triage.
        priority: Priority,
    },
    /// Accept it.
    Accept,
    /// Reject it.
    Reject {
        /// Why.
        reason: RejectionReason,
    },
    /// Send it on to another destination.
    Redirect {
        /// Where to.
        to: Destination,
        /// Why.
        reason: RedirectionReason,
    },
    /// Book (or move, or rebook) an appointment.
    Book {
        /// The slot.
        slot: Slot,
    },
    /// Cancel the booked appointment, keeping the referral open.
    CancelAppointment {
        /// Who cancelled it.
        by: AppointmentCancelledBy,
    },
    /// The patient attended the booked appointment.
    Attend,
    /// The patient did not attend the booked appointment.
    DidNotAttend {
        /// Whether the provider can show the appointment was clearly communicated.
        clearly_communicated: bool,
    },
    /// Cancel the referral.
    Cancel {
        /// On whose behalf.
        by: CancelledBy,
        /// Why.
        reason: CancellationReason,
    },
    /// Discharge the patient.
    Discharge {
        /// With what outcome.
        outcome: DischargeOutcome,
    },
    /// Complete the referral.
    Complete {
        /// With what outcome.
        outcome: CompletionOutcome,
    },
}

/// The kind of a [`ReferralEvent`], without its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// [`ReferralEvent::Submit`].
    Submit,
    /// [`ReferralEvent::Triage`].
    Triage,
    /// [`ReferralEvent::Accept`].
    Accept,
    /// [`ReferralEvent::Reject`].
    Reject,
    /// [`ReferralEvent::Redirect`].
    Redirect,
    /// [`ReferralEvent::Book`].
    Book,
    /// [`ReferralEvent::CancelAppointment`].
    CancelAppointment,
    /// [`ReferralEvent::Attend`].
    Attend,
    /// [`ReferralEvent::DidNotAttend`].
    DidNotAttend,
    /// [`ReferralEvent::Cancel`].
    Cancel,
    /// [`ReferralEvent::Discharge`].
    Discharge,
    /// [`ReferralEvent::Complete`].
    Complete,
}

impl EventKind {
    /// Every event kind.
    pub const ALL: [Self; 12] = [
        Self::Submit,
        Self::Triage,
        Self::Accept,
        Self::Reject,
        Self::Redirect,
        Self::Book,
        Self::CancelAppointment,
        Self::Attend,
        Self::DidNotAttend,
        Self::Cancel,
        Self::Discharge,
        Self::Complete,
    ];

    /// The `snake_case` name.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::Triage => "triage",
            Self::Accept => "accept",
            Self::Reject => "reject",
            Self::Redirect => "redirect",
            Self::Book => "book",
            Self::CancelAppointment => "cancel_appointment",
            Self::Attend => "attend",
            Self::DidNotAttend => "did_not_attend",
            Self::Cancel => "cancel",
            Self::Discharge => "discharge",
            Self::Complete => "complete",
        }
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

impl ReferralEvent {
    /// The kind of event.
    #[must_use]
    pub const fn kind(&self) -> EventKind {
        match self {
            Self::Submit => EventKind::Submit,
            Self::Triage { .. } => EventKind::Triage,
            Self::Accept => EventKind::Accept,
            Self::Reject { .. } => EventKind::Reject,
            Self::Redirect { .. } => EventKind::Redirect,
            Self::Book { .. } => EventKind::Book,
            Self::CancelAppointment { .. } => EventKind::CancelAppointment,
            Self::Attend => EventKind::Attend,
            Self::DidNotAttend { .. } => EventKind::DidNotAttend,
            Self::Cancel { .. } => EventKind::Cancel,
            Self::Discharge { .. } => EventKind::Discharge,
            Self::Complete { .. } => EventKind::Complete,
        }
    }
}

/// An event with who recorded it, when, and an optional free-text note.
///
/// The event itself carries the typed reason where one is due (a rejection, a
/// redirection, a cancellation, an outcome); the note is for anything more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRecord {
    /// What happened.
    pub event: ReferralEvent,
    /// Who recorded it.
    pub actor: Actor,
    /// When it happened.
    pub at: NaiveDateTime,
    /// A note, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl EventRecord {
    /// An event recorded by `actor` at `at`, without a note.
    #[must_use]
    pub const fn new(event: ReferralEvent, actor: Actor, at: NaiveDateTime) -> Self {
        Self {
            event,
            actor,
            at,
            note: None,
        }
    }

    /// The same record with a note.
    #[must_use]
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }
}

/// One entry of a referral's history: the event and the move it made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    /// The event as recorded.
    #[serde(flatten)]
    pub record: EventRecord,
    /// The state before.
    pub from: StateKind,
    /// The state after.
    pub to: StateKind,
}

/// What a referral is: fixed when it is drafted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ReferralDetails {
    /// The referral's id.
    pub id: ReferralId,
    /// The patient.
    pub patient: PatientId,
    /// The pathway it follows.
    pub pathway: PathwayId,
    /// How it arrived.
    pub route: EntryRoute,
    /// Where it goes.
    pub destination: Destination,
    /// Its priority when referred (triage may change it).
    pub priority: Priority,
    /// Its target wait.
    pub target: WaitTarget,
    /// The red flag that routed it, if one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub red_flag: Option<RedFlag>,
}

impl ReferralDetails {
    /// The details of a referral along a routing decision.
    #[must_use]
    pub const fn from_routed(
        id: ReferralId,
        patient: PatientId,
        route: EntryRoute,
        routed: &Routed,
    ) -> Self {
        Self {
            id,
            patient,
            pathway: routed.pathway(),
            route,
            destination: routed.destination(),
            priority: routed.priority(),
            target: routed.target(),
            red_flag: match routed.red_flag() {
                Some(o) => Some(o.flag),
                None => None,
            },
        }
    }
}

/// A referral: its details, its current state and its full history.
///
/// Every change goes through [`apply`](Self::apply), which checks the event against
/// the state machine ([`ReferralState`]) and the clock (events are recorded in time
/// order) and either records it or returns an error leaving the referral exactly as
/// it was. The history replays to the same referral ([`replay`](Self::replay));
/// serde stores the details and the history, and deserialising replays it, so a
/// stored referral cannot hold a state the machine would not reach.
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_core::{PathwayId, PatientId, ReferralId, Role, StaffId};
/// use pcn_referral::*;
///
/// let at = |d: u32, h: u32| NaiveDate::from_ymd_opt(2024, 5, d).unwrap().and_hms_opt(h, 0, 0).unwrap();
/// let details = ReferralDetails {
///     id: ReferralId::from_u128(1),
///     patient: PatientId::from_u128(2),
///     pathway: PathwayId::from_u128(3),
///     route: EntryRoute::SelfReferral,
///     destination: Destination::TeamRole { role: Role::FirstContactPhysiotherapist },
///     priority: Priority::Routine,
///     target: TargetWait::FirstContact { days: 14 }.on(at(1, 9).date()),
///     red_flag: None,
/// };
/// let physio = Actor::Staff { id: StaffId::from_u128(4), role: Role::FirstContactPhysiotherapist };
/// let mut referral = Referral::draft(details, Actor::Patient, at(1, 9));
/// referral.apply(EventRecord::new(ReferralEvent::Submit, Actor::Patient, at(1, 9)))?;
/// let slot = Slot::new(at(8, 10), 30, None)?;
/// referral.apply(EventRecord::new(ReferralEvent::Book { slot }, physio, at(2, 11)))?;
///
/// // Completing before attending is not allowed, and changes nothing.
/// let complete = ReferralEvent::Complete { outcome: CompletionOutcome::CareCompleted };
/// assert!(referral.apply(EventRecord::new(complete, physio, at(3, 9))).is_err());
/// assert_eq!(referral.state().kind(), StateKind::Booked);
///
/// referral.apply(EventRecord::new(ReferralEvent::Attend, physio, at(8, 10)))?;
/// assert_eq!(referral.days_to_first_contact(), Some(7));
/// referral.apply(EventRecord::new(complete, physio, at(8, 11)))?;
/// assert_eq!(referral.history().len(), 4);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referral {
    details: ReferralDetails,
    created_at: NaiveDateTime,
    created_by: Actor,
    priority: Priority,
    state: ReferralState,
    history: Vec<Transition>,
    attendances: u32,
    submitted_at: Option<NaiveDateTime>,
    first_contact_at: Option<NaiveDateTime>,
}

impl Referral {
    /// A new referral in draft.
    #[must_use]
    pub fn draft(details: ReferralDetails, created_by: Actor, created_at: NaiveDateTime) -> Self {
        Self {
            details,
            created_at,
            created_by,
            priority: details.priority,
            state: ReferralState::Draft,
            history: Vec::new(),
            attendances: 0,
            submitted_at: None,
            first_contact_at: None,
        }
    }

    /// The same as [`draft`](Self::draft), with room for `events` history entries.
    #[must_use]
    pub fn draft_with_capacity(
        details: ReferralDetails,
        created_by: Actor,
        created_at: NaiveDateTime,
        events: usize,
    ) -> Self {
        let mut referral = Self::draft(details, created_by, created_at);
        referral.history.reserve_exact(events);
        referral
    }

    /// Rebuilds a referral by applying its recorded events in order.
    ///
    /// # Errors
    /// The first error [`apply`](Self::apply) returns, naming the position of the
    /// event that failed ([`ReferralError::ReplayFailed`]).
    pub fn replay(
        details: ReferralDetails,
        created_by: Actor,
        created_at: NaiveDateTime,
        events: impl IntoIterator<Item = EventRecord>,
    ) -> Result<Self, ReferralError> {
        let mut referral = Self::draft(details, created_by, created_at);
        for (position, record) in events.into_iter().enumerate() {
            referral
                .apply(record)
                .map_err(|err| ReferralError::ReplayFailed {
                    referral: details.id,
                    position,
                    source: Box::new(err),
                })?;
        }
        Ok(referral)
    }

    /// Applies an event: checks it, records it and moves the state.
    ///
    /// # Errors
    /// Leaving the referral unchanged:
    /// [`ReferralError::TransitionNotAllowed`] if the machine does not allow the event
    /// from the current state; [`ReferralError::EventOutOfOrder`] if it is dated before
    /// the last event (or the draft); [`ReferralError::SlotInPast`] for a booking whose
    /// slot starts before the booking is made;
    /// [`ReferralError::DidNotAttendBeforeSlot`] for a did-not-attend recorded before
    /// the slot starts; [`ReferralError::DischargeAfterDnaWithoutDna`] for a discharge
    /// "after did not attend" from any state other than did-not-attend.
    pub fn apply(&mut self, record: EventRecord) -> Result<&ReferralState, ReferralError> {
        let from = self.state.kind();
        let event = record.event;
        let not_allowed = || ReferralError::TransitionNotAllowed {
            referral: self.details.id,
            from,
            event: event.kind(),
        };
        let Some(to_kind) = from.allows(event.kind()) else {
            return Err(not_allowed());
        };
        let last = self.history.last().map_or(self.created_at, |t| t.record.at);
        if record.at < last {
            return Err(ReferralError::EventOutOfOrder {
                referral: self.details.id,
                event: event.kind(),
                at: record.at,
                last,
            });
        }
        let to = match event {
            ReferralEvent::Submit => ReferralState::Submitted,
            ReferralEvent::Triage { priority } => ReferralState::Triaged { priority },
            ReferralEvent::Accept => ReferralState::Accepted {
                appointment_cancelled_by: None,
            },
            ReferralEvent::Reject { reason } => ReferralState::Rejected { reason },
            ReferralEvent::Redirect { to, reason } => ReferralState::Redirected { to, reason },
            ReferralEvent::Book { slot } => {
                if slot.starts_at < record.at {
                    return Err(ReferralError::SlotInPast {
                        referral: self.details.id,
                        starts_at: slot.starts_at,
                        booked_at: record.at,
                    });
                }
                ReferralState::Booked { slot }
            }
            ReferralEvent::CancelAppointment { by } => ReferralState::Accepted {
                appointment_cancelled_by: Some(by),
            },
            ReferralEvent::Attend => ReferralState::Attended { at: record.at },
            ReferralEvent::DidNotAttend {
                clearly_communicated,
            } => {
                let ReferralState::Booked { slot } = self.state else {
                    return Err(not_allowed());
                };
                if record.at < slot.starts_at {
                    return Err(ReferralError::DidNotAttendBeforeSlot {
                        referral: self.details.id,
                        starts_at: slot.starts_at,
                        recorded_at: record.at,
                    });
                }
                ReferralState::DidNotAttend {
                    slot,
                    first_appointment: self.attendances == 0,
                    clearly_communicated,
                }
            }
            ReferralEvent::Cancel { by, reason } => ReferralState::Cancelled { by, reason },
            ReferralEvent::Discharge { outcome } => {
                if outcome == DischargeOutcome::AfterDidNotAttend && from != StateKind::DidNotAttend
                {
                    return Err(ReferralError::DischargeAfterDnaWithoutDna {
                        referral: self.details.id,
                        from,
                    });
                }
                ReferralState::Discharged { outcome }
            }
            ReferralEvent::Complete { outcome } => ReferralState::Completed { outcome },
        };
        debug_assert_eq!(to.kind(), to_kind);

        // Checks done: from here on nothing fails.
        match event {
            ReferralEvent::Submit => self.submitted_at = Some(record.at),
            ReferralEvent::Triage { priority } => self.priority = priority,
            ReferralEvent::Attend => {
                self.attendances += 1;
                if self.first_contact_at.is_none() {
                    self.first_contact_at = Some(record.at);
                }
            }
            _ => {}
        }
        self.state = to;
        self.history.push(Transition {
            record,
            from,
            to: to_kind,
        });
        Ok(&self.state)
    }

    /// The referral's details.
    #[must_use]
    pub const fn details(&self) -> &ReferralDetails {
        &self.details
    }

    /// The referral's id.
    #[must_use]
    pub const fn id(&self) -> ReferralId {
        self.details.id
    }

    /// The current state.
    #[must_use]
    pub const fn state(&self) -> &ReferralState {
        &self.state
    }

    /// The current priority (as referred, or as set at triage).
    #[must_use]
    pub const fn priority(&self) -> Priority {
        self.priority
    }

    /// When the draft was created.
    #[must_use]
    pub const fn created_at(&self) -> NaiveDateTime {
        self.created_at
    }

    /// Who created the draft.
    #[must_use]
    pub const fn created_by(&self) -> Actor {
        self.created_by
    }

    /// Every recorded event, oldest first.
    #[must_use]
    pub fn history(&self) -> &[Transition] {
        &self.history
    }

    /// When the referral was sent (received by the service), if it has been.
    #[must_use]
    pub const fn submitted_at(&self) -> Option<NaiveDateTime> {
        self.submitted_at
    }

    /// When the patient was first seen: the first attendance.
    #[must_use]
    pub const fn first_contact_at(&self) -> Option<NaiveDateTime> {
        self.first_contact_at
    }

    /// The number of appointments attended.
    #[must_use]
    pub const fn attendances(&self) -> u32 {
        self.attendances
    }

    /// Whether the referral has been sent and is not yet in a final state.
    #[must_use]
    pub const fn is_open(&self) -> bool {
        let kind = self.state.kind();
        !kind.is_final() && !matches!(kind, StateKind::Draft)
    }

    /// Days from sending to first contact, once the patient has been seen.
    #[must_use]
    pub fn days_to_first_contact(&self) -> Option<u32> {
        let (Some(sent), Some(seen)) = (self.submitted_at, self.first_contact_at) else {
            return None;
        };
        days_between(sent.date(), seen.date())
    }

    /// Whether first contact happened within the target (`None` until it happens).
    #[must_use]
    pub fn first_contact_within_target(&self) -> Option<bool> {
        self.days_to_first_contact()
            .map(|days| self.details.target.is_met_by(days))
    }
}

/// Whole days from `from` to `to`, or `None` if `to` is before `from`.
pub(crate) fn days_between(from: NaiveDate, to: NaiveDate) -> Option<u32> {
    u32::try_from((to - from).num_days()).ok()
}

/// The stored form of a referral.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredReferral {
    details: ReferralDetails,
    created_by: Actor,
    created_at: NaiveDateTime,
    history: Vec<Transition>,
}

impl Serialize for Referral {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        StoredReferral {
            details: self.details,
            created_by: self.created_by,
            created_at: self.created_at,
            history: self.history.clone(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Referral {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let stored = StoredReferral::deserialize(deserializer)?;
        let recorded: Vec<(StateKind, StateKind)> =
            stored.history.iter().map(|t| (t.from, t.to)).collect();
        let referral = Self::replay(
            stored.details,
            stored.created_by,
            stored.created_at,
            stored.history.into_iter().map(|t| t.record),
        )
        .map_err(serde::de::Error::custom)?;
        for (position, (transition, (from, to))) in
            referral.history.iter().zip(recorded).enumerate()
        {
            if transition.from != from || transition.to != to {
                return Err(serde::de::Error::custom(ReferralError::ReplayMismatch {
                    referral: referral.details.id,
                    position,
                    recorded: (from, to),
                    replayed: (transition.from, transition.to),
                }));
            }
        }
        Ok(referral)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TargetWait;

    fn at(day: u32, hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2024, 5, day)
            .unwrap()
            .and_hms_opt(hour, 0, 0)
            .unwrap()
    }

    fn details() -> ReferralDetails {
        ReferralDetails {
            id: ReferralId::from_u128(1),
            patient: PatientId::from_u128(2),
            pathway: PathwayId::from_u128(3),
            route: EntryRoute::GpReferral,
            destination: Destination::TeamRole {
                role: Role::ClinicalPharmacist,
            },
            priority: Priority::Routine,
            target: TargetWait::FirstContact { days: 28 }.on(at(1, 9).date()),
            red_flag: None,
        }
    }

    fn staff() -> Actor {
        Actor::Staff {
            id: StaffId::from_u128(9),
            role: Role::ClinicalPharmacist,
        }
    }

    fn record(event: ReferralEvent, when: NaiveDateTime) -> EventRecord {
        EventRecord::new(event, staff(), when)
    }

    #[test]
    fn a_disallowed_event_changes_nothing() {
        let mut referral = Referral::draft(details(), staff(), at(1, 9));
        let before = referral.clone();
        let err = referral
            .apply(record(ReferralEvent::Attend, at(1, 10)))
            .unwrap_err();
        assert!(
            err.to_string().contains("draft") && err.to_string().contains("attend"),
            "{err}"
        );
        assert_eq!(referral, before);
    }

    #[test]
    fn events_must_be_in_time_order() {
        let mut referral = Referral::draft(details(), staff(), at(2, 9));
        let err = referral
            .apply(record(ReferralEvent::Submit, at(1, 9)))
            .unwrap_err();
        assert!(
            matches!(err, ReferralError::EventOutOfOrder { .. }),
            "{err}"
        );
        assert!(referral.history().is_empty());
    }

    #[test]
    fn a_first_appointment_dna_is_marked_and_rebooking_is_allowed() {
        let mut referral = Referral::draft(details(), staff(), at(1, 9));
        referral
            .apply(record(ReferralEvent::Submit, at(1, 9)))
            .unwrap();
        referral
            .apply(record(ReferralEvent::Accept, at(2, 9)))
            .unwrap();
        let slot = Slot::new(at(6, 9), 20, None).unwrap();
        referral
            .apply(record(ReferralEvent::Book { slot }, at(2, 10)))
            .unwrap();
        let early = record(
            ReferralEvent::DidNotAttend {
                clearly_communicated: true,
            },
            at(5, 9),
        );
        assert!(matches!(
            referral.clone().apply(early).unwrap_err(),
            ReferralError::DidNotAttendBeforeSlot { .. }
        ));
        let dna = record(
            ReferralEvent::DidNotAttend {
                clearly_communicated: true,
            },
            at(6, 12),
        );
        let state = *referral.apply(dna).unwrap();
        assert!(matches!(
            state,
            ReferralState::DidNotAttend {
                first_appointment: true,
                ..
            }
        ));
        let slot = Slot::new(at(13, 9), 20, None).unwrap();
        referral
            .apply(record(ReferralEvent::Book { slot }, at(7, 9)))
            .unwrap();
        assert_eq!(referral.state().kind(), StateKind::Booked);
    }

    #[test]
    fn discharge_after_dna_needs_a_dna() {
        let mut referral = Referral::draft(details(), staff(), at(1, 9));
        referral
            .apply(record(ReferralEvent::Submit, at(1, 9)))
            .unwrap();
        referral
            .apply(record(ReferralEvent::Accept, at(1, 10)))
            .unwrap();
        let discharge = ReferralEvent::Discharge {
            outcome: DischargeOutcome::AfterDidNotAttend,
        };
        let err = referral.apply(record(discharge, at(2, 9))).unwrap_err();
        assert!(matches!(
            err,
            ReferralError::DischargeAfterDnaWithoutDna { .. }
        ));
    }

    #[test]
    fn a_booking_cannot_start_before_it_is_made() {
        let mut referral = Referral::draft(details(), staff(), at(1, 9));
        referral
            .apply(record(ReferralEvent::Submit, at(1, 9)))
            .unwrap();
        let slot = Slot::new(at(1, 8), 20, None).unwrap();
        let err = referral
            .apply(record(ReferralEvent::Book { slot }, at(1, 10)))
            .unwrap_err();
        assert!(matches!(err, ReferralError::SlotInPast { .. }));
    }

    #[test]
    fn slots_are_checked() {
        assert!(Slot::new(at(1, 9), 0, None).is_err());
        assert!(Slot::new(at(1, 9), 481, None).is_err());
        let json = r#"{"starts_at":"2024-05-01T09:00:00","minutes":0}"#;
        assert!(serde_json::from_str::<Slot>(json).is_err());
    }

    #[test]
    fn a_stored_referral_replays_to_itself() {
        let mut referral = Referral::draft(details(), staff(), at(1, 9));
        referral
            .apply(record(ReferralEvent::Submit, at(1, 9)))
            .unwrap();
        referral
            .apply(record(
                ReferralEvent::Triage {
                    priority: Priority::Urgent,
                },
                at(1, 11),
            ))
            .unwrap();
        referral
            .apply(record(ReferralEvent::Accept, at(1, 12)).with_note("seen list"))
            .unwrap();
        let json = serde_json::to_string(&referral).unwrap();
        let back: Referral = serde_json::from_str(&json).unwrap();
        assert_eq!(back, referral);
        assert_eq!(back.priority(), Priority::Urgent);

        // A history edited into an impossible order is refused.
        let tampered = json.replace("\"event\":\"submit\"", "\"event\":\"attend\"");
        assert!(serde_json::from_str::<Referral>(&tampered).is_err());
    }

    #[test]
    fn the_transition_table_has_no_exit_from_final_states() {
        for state in StateKind::ALL {
            for event in EventKind::ALL {
                if state.is_final() {
                    assert_eq!(state.allows(event), None, "{state} {event}");
                }
            }
        }
    }
}
