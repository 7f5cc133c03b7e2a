//! The 18-week referral-to-treatment (RTT) clock, by the national clock rules.
//!
//! Source: NHS England, "Referral to treatment consultant-led waiting times: rules
//! suite" (gov.uk, October 2022 edition; the national clock rules are those of the
//! October 2015 edition). The rules in force:
//!
//! - **Rule 1** (clock start): a care professional or service permitted by an English
//!   NHS commissioner refers to (a) a consultant-led service, or (b) an interface,
//!   referral-management or assessment service that may onward refer to one. The
//!   clock starts when the provider receives the referral.
//! - **Rule 2** (clock start): a self-referral to those services, where agreed
//!   locally, once a permitted care professional ratifies it.
//! - **Rule 3** (new clock, only): (a) fit and ready for the second side of a
//!   bilateral procedure; (b) a substantively new or different treatment not in the
//!   agreed care plan; (c) a re-referral as a new referral; (d) a decision to treat
//!   after a period of active monitoring; (e) rebooking after a first-appointment DNA
//!   that stopped and nullified the earlier clock.
//! - **Rule 4** (clock stop for treatment): (a) first definitive treatment starts;
//!   (b) the patient is added to a transplant list.
//! - **Rule 5** (clock stop for non-treatment), once communicated to the patient and
//!   the referrer: (a) return to primary care for non-consultant-led care; (b) a
//!   period of active monitoring starts; (c) the patient declines the treatment
//!   offered; (d) a clinical decision not to treat; (e) the patient does not attend
//!   (DNA) the first appointment after the referral that started the clock, provided
//!   the appointment was clearly communicated: the clock is **nullified**, removed
//!   from measurement as if it never ran; (f) the patient DNAs any other appointment
//!   and is discharged to their GP under a published local policy, the appointment
//!   having been clearly communicated.
//! - **No pauses**: the patient pause was removed by the NHS Commissioning Board and
//!   Clinical Commissioning Groups (Responsibilities and Standing Rules) (Amendment)
//!   (No. 2) Regulations 2015 with effect from 1 October 2015 (gov.uk, "Consultant-led
//!   treatment: right to start within 18 weeks"). Before that, the June 2010 rules
//!   (rule 4) allowed a pause only after a decision to admit, once the patient had
//!   declined at least two reasonable offers of admission; this module accepts such a
//!   pause only if it ended by 30 September 2015.
//!
//! A clock's wait is counted in days from its start to its stop (or to the census
//! date, for a clock still running), less any pause; 18 weeks is 126 days.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::lifecycle::days_between;
use crate::{
    Actor, CancellationReason, CancelledBy, CompletionOutcome, Destination, DischargeOutcome,
    EntryRoute, RTT_MAXIMUM_DAYS, Referral, ReferralError, ReferralEvent,
};

/// A clock rule of the RTT rules suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RttRule {
    /// Rule 1(a): referral to a consultant-led service.
    Rule1a,
    /// Rule 1(b): referral to an interface, referral-management or assessment service.
    Rule1b,
    /// Rule 2: self-referral, once ratified by a care professional.
    Rule2,
    /// Rule 3(a): second side of a bilateral procedure.
    Rule3a,
    /// Rule 3(b): a substantively new or different treatment.
    Rule3b,
    /// Rule 3(c): re-referral as a new referral.
    Rule3c,
    /// Rule 3(d): decision to treat after active monitoring.
    Rule3d,
    /// Rule 3(e): rebooking after a first-appointment DNA that nullified the clock.
    Rule3e,
    /// Rule 4(a): first definitive treatment.
    Rule4a,
    /// Rule 4(b): added to a transplant list.
    Rule4b,
    /// Rule 5(a): returned to primary care.
    Rule5a,
    /// Rule 5(b): active monitoring starts.
    Rule5b,
    /// Rule 5(c): the patient declines treatment.
    Rule5c,
    /// Rule 5(d): a clinical decision not to treat.
    Rule5d,
    /// Rule 5(e): first-appointment DNA, clearly communicated: the clock is nullified.
    Rule5e,
    /// Rule 5(f): DNA of another appointment and discharge to the GP.
    Rule5f,
}

impl RttRule {
    /// The rule as the rules suite numbers it, for example `Rule 5(e)`.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Rule1a => "Rule 1(a)",
            Self::Rule1b => "Rule 1(b)",
            Self::Rule2 => "Rule 2",
            Self::Rule3a => "Rule 3(a)",
            Self::Rule3b => "Rule 3(b)",
            Self::Rule3c => "Rule 3(c)",
            Self::Rule3d => "Rule 3(d)",
            Self::Rule3e => "Rule 3(e)",
            Self::Rule4a => "Rule 4(a)",
            Self::Rule4b => "Rule 4(b)",
            Self::Rule5a => "Rule 5(a)",
            Self::Rule5b => "Rule 5(b)",
            Self::Rule5c => "Rule 5(c)",
            Self::Rule5d => "Rule 5(d)",
            Self::Rule5e => "Rule 5(e)",
            Self::Rule5f => "Rule 5(f)",
        }
    }
}

impl fmt::Display for RttRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.label())
    }
}

/// The kind of service a referral starts a clock at (Rule 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockService {
    /// A consultant-led service (Rule 1a).
    ConsultantLed,
    /// An interface, referral-management or assessment service (Rule 1b).
    Interface,
}

/// Why a new clock starts after an earlier one ended (Rule 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NewClockReason {
    /// Rule 3(a): fit and ready for the second side of a bilateral procedure (after
    /// the first was treated).
    BilateralSecondProcedure,
    /// Rule 3(b): a substantively new or different treatment.
    NewTreatment,
    /// Rule 3(c): re-referred as a new referral.
    ReReferral,
    /// Rule 3(d): a decision to treat after active monitoring.
    DecisionToTreatAfterActiveMonitoring,
    /// Rule 3(e): rebooked after a first-appointment DNA that nullified the clock.
    RebookedAfterNullifiedDna,
}

impl NewClockReason {
    /// The rule.
    #[must_use]
    pub const fn rule(self) -> RttRule {
        match self {
            Self::BilateralSecondProcedure => RttRule::Rule3a,
            Self::NewTreatment => RttRule::Rule3b,
            Self::ReReferral => RttRule::Rule3c,
            Self::DecisionToTreatAfterActiveMonitoring => RttRule::Rule3d,
            Self::RebookedAfterNullifiedDna => RttRule::Rule3e,
        }
    }
}

/// A decision that stops the clock without treatment (Rule 5a to 5d).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NonTreatmentDecision {
    /// Rule 5(a): returned to primary care.
    ReturnedToPrimaryCare,
    /// Rule 5(b): active monitoring starts.
    ActiveMonitoring,
    /// Rule 5(c): the patient declines treatment.
    DeclinedTreatment,
    /// Rule 5(d): a clinical decision not to treat.
    DecisionNotToTreat,
}

impl NonTreatmentDecision {
    /// The rule.
    #[must_use]
    pub const fn rule(self) -> RttRule {
        match self {
            Self::ReturnedToPrimaryCare => RttRule::Rule5a,
            Self::ActiveMonitoring => RttRule::Rule5b,
            Self::DeclinedTreatment => RttRule::Rule5c,
            Self::DecisionNotToTreat => RttRule::Rule5d,
        }
    }
}

/// An event on a patient's RTT pathway.
///
/// Serde uses an `event` tag: `{"event": "first_definitive_treatment", "on": "2024-05-07"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum RttEvent {
    /// The provider received a referral (Rule 1): the first clock of the pathway.
    ReferralReceived {
        /// The date received.
        on: NaiveDate,
        /// The kind of service.
        service: ClockService,
    },
    /// A care professional ratified a self-referral (Rule 2): the first clock.
    SelfReferralRatified {
        /// The date ratified.
        on: NaiveDate,
    },
    /// A new clock after an earlier one ended (Rule 3).
    NewClock {
        /// The date.
        on: NaiveDate,
        /// Why.
        reason: NewClockReason,
    },
    /// First definitive treatment started (Rule 4a).
    FirstDefinitiveTreatment {
        /// The date.
        on: NaiveDate,
    },
    /// Added to a transplant list (Rule 4b).
    AddedToTransplantList {
        /// The date.
        on: NaiveDate,
    },
    /// A non-treatment decision, communicated (Rule 5a to 5d).
    NonTreatment {
        /// The date communicated.
        on: NaiveDate,
        /// The decision.
        decision: NonTreatmentDecision,
    },
    /// The patient did not attend an appointment. A first appointment that was clearly
    /// communicated nullifies the clock (Rule 5e); any other DNA leaves it running
    /// unless the patient is then discharged (Rule 5f).
    DidNotAttend {
        /// The date of the missed appointment.
        on: NaiveDate,
        /// Whether it was the first appointment after the referral that started the
        /// clock.
        first_appointment: bool,
        /// Whether the provider can show it was clearly communicated to the patient.
        clearly_communicated: bool,
    },
    /// Discharged to the GP after a DNA, under a published local policy (Rule 5f).
    DischargedAfterDidNotAttend {
        /// The date communicated.
        on: NaiveDate,
    },
    /// A decision to admit for treatment (needed before a pre-October-2015 pause).
    DecisionToAdmit {
        /// The date.
        on: NaiveDate,
    },
    /// A patient pause under the June 2010 rules (rule 4): only before 1 October 2015.
    PatientPause {
        /// The first paused day.
        from: NaiveDate,
        /// The first day after the pause.
        until: NaiveDate,
        /// How many reasonable offers of admission the patient declined (at least 2).
        declined_offers: u8,
    },
    /// The referral was withdrawn from this provider (rejected, redirected, cancelled
    /// by the referrer or provider): not a clock rule; the clock is removed from this
    /// provider's measurement, as a validated record would be.
    Withdrawn {
        /// The date.
        on: NaiveDate,
    },
}

impl RttEvent {
    /// The date the event takes effect.
    #[must_use]
    pub const fn date(&self) -> NaiveDate {
        match self {
            Self::ReferralReceived { on, .. }
            | Self::SelfReferralRatified { on }
            | Self::NewClock { on, .. }
            | Self::FirstDefinitiveTreatment { on }
            | Self::AddedToTransplantList { on }
            | Self::NonTreatment { on, .. }
            | Self::DidNotAttend { on, .. }
            | Self::DischargedAfterDidNotAttend { on }
            | Self::DecisionToAdmit { on }
            | Self::Withdrawn { on } => *on,
            Self::PatientPause { from, .. } => *from,
        }
    }
}

/// How a clock ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "end", rename_all = "snake_case")]
pub enum ClockEnd {
    /// Stopped by a rule (4a, 4b, 5a to 5d, 5f): a completed pathway.
    Stopped {
        /// The stop date.
        on: NaiveDate,
        /// The rule.
        rule: RttRule,
    },
    /// Nullified by a first-appointment DNA (Rule 5e): never counted.
    Nullified {
        /// The date of the missed appointment.
        on: NaiveDate,
    },
    /// Withdrawn from this provider: never counted here.
    Withdrawn {
        /// The date.
        on: NaiveDate,
    },
}

impl ClockEnd {
    /// The end date.
    #[must_use]
    pub const fn date(&self) -> NaiveDate {
        match self {
            Self::Stopped { on, .. } | Self::Nullified { on } | Self::Withdrawn { on } => *on,
        }
    }
}

/// A pause, `[from, until)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Pause {
    /// The first paused day.
    pub from: NaiveDate,
    /// The first day after the pause.
    pub until: NaiveDate,
}

/// One clock: from its start to its end, with any pauses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockPeriod {
    start: NaiveDate,
    start_rule: RttRule,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pauses: Vec<Pause>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    end: Option<ClockEnd>,
}

impl ClockPeriod {
    /// The clock start date.
    #[must_use]
    pub const fn start(&self) -> NaiveDate {
        self.start
    }

    /// The rule that started it.
    #[must_use]
    pub const fn start_rule(&self) -> RttRule {
        self.start_rule
    }

    /// How it ended, if it has.
    #[must_use]
    pub const fn end(&self) -> Option<ClockEnd> {
        self.end
    }

    /// Pauses (only before 1 October 2015).
    #[must_use]
    pub fn pauses(&self) -> &[Pause] {
        &self.pauses
    }

    /// Whether the clock counts in RTT measurement: not nullified or withdrawn.
    #[must_use]
    pub const fn is_reportable(&self) -> bool {
        matches!(self.end, None | Some(ClockEnd::Stopped { .. }))
    }

    /// Whether the clock was still running on `date`: started on or before it and not
    /// ended on or before it.
    #[must_use]
    pub fn is_running_on(&self, date: NaiveDate) -> bool {
        self.start <= date && self.end.is_none_or(|end| end.date() > date)
    }

    /// The days waited by `date`: from the start to `date` (or to the stop, if
    /// earlier), less paused days. `None` for a clock that is not reportable or that
    /// starts after `date`.
    #[must_use]
    pub fn days_waited(&self, date: NaiveDate) -> Option<u32> {
        if !self.is_reportable() {
            return None;
        }
        let until = match self.end {
            Some(end) => end.date().min(date),
            None => date,
        };
        let total = days_between(self.start, until)?;
        let paused: u32 = self
            .pauses
            .iter()
            .filter_map(|p| days_between(p.from, p.until.min(until)))
            .sum();
        Some(total.saturating_sub(paused))
    }

    /// The days from start to stop, for a clock stopped by a rule.
    #[must_use]
    pub fn completed_days(&self) -> Option<u32> {
        match self.end {
            Some(ClockEnd::Stopped { on, .. }) => self.days_waited(on),
            _ => None,
        }
    }

    /// Whether the wait by `date` is within 18 weeks (126 days).
    #[must_use]
    pub fn within_18_weeks(&self, date: NaiveDate) -> Option<bool> {
        self.days_waited(date)
            .map(|days| days <= u32::from(RTT_MAXIMUM_DAYS))
    }
}

/// A patient's RTT pathway: its clocks, built from its events by the rules.
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_referral::*;
/// let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
/// // Rule 1(a): the clock starts when the provider receives the referral; Rule 4(a):
/// // it stops when first definitive treatment starts, here 126 days (18 weeks) later.
/// let pathway = RttPathway::from_events(&[
///     RttEvent::ReferralReceived { on: d(1, 2), service: ClockService::ConsultantLed },
///     RttEvent::FirstDefinitiveTreatment { on: d(5, 7) },
/// ])?;
/// let clock = &pathway.periods()[0];
/// assert_eq!(clock.completed_days(), Some(126));
/// assert_eq!(clock.within_18_weeks(d(6, 1)), Some(true));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RttPathway {
    periods: Vec<ClockPeriod>,
}

impl RttPathway {
    /// Builds the pathway's clocks from its events, in date order.
    ///
    /// # Errors
    /// [`ReferralError::RttEventOutOfOrder`] if an event is dated before the one
    /// before it; [`ReferralError::RttEventNotAllowed`] for an event the rules do not
    /// allow in the clock's state (a stop with no clock running, a second first clock,
    /// a Rule 3 new clock whose condition does not hold, a Rule 5f discharge without a
    /// clearly communicated DNA); [`ReferralError::RttPauseNotAllowed`] for a pause
    /// after 30 September 2015, without a decision to admit, with fewer than two
    /// declined offers, or of no length.
    pub fn from_events(events: &[RttEvent]) -> Result<Self, ReferralError> {
        let mut periods: Vec<ClockPeriod> = Vec::new();
        let mut decision_to_admit = false;
        let mut qualifying_dna = false;
        let mut previous: Option<NaiveDate> = None;
        for (position, event) in events.iter().enumerate() {
            let date = event.date();
            if let Some(previous) = previous
                && date < previous
            {
                return Err(ReferralError::RttEventOutOfOrder {
                    position,
                    date,
                    previous,
                });
            }
            previous = Some(date);
            let not_allowed = |why: &'static str| ReferralError::RttEventNotAllowed {
                position,
                event: *event,
                why,
            };
            let has_clock = !periods.is_empty();
            let running = periods.last_mut().filter(|p| p.end.is_none());
            match (*event, running) {
                (RttEvent::ReferralReceived { .. } | RttEvent::SelfReferralRatified { .. }, _)
                    if has_clock =>
                {
                    return Err(not_allowed(
                        "the pathway already has a clock: a later clock starts by a Rule 3 new clock",
                    ));
                }
                (RttEvent::ReferralReceived { on, service }, _) => {
                    let start_rule = match service {
                        ClockService::ConsultantLed => RttRule::Rule1a,
                        ClockService::Interface => RttRule::Rule1b,
                    };
                    periods.push(ClockPeriod::starting(on, start_rule));
                }
                (RttEvent::SelfReferralRatified { on }, _) => {
                    periods.push(ClockPeriod::starting(on, RttRule::Rule2));
                }
                (RttEvent::NewClock { .. }, Some(_)) => {
                    return Err(not_allowed("a clock is already running"));
                }
                (RttEvent::NewClock { on, reason }, None) => {
                    let last = periods.last().and_then(|p| p.end);
                    let condition_holds = match (reason, last) {
                        (_, None) => false,
                        (NewClockReason::RebookedAfterNullifiedDna, Some(end)) => {
                            matches!(end, ClockEnd::Nullified { .. })
                        }
                        (NewClockReason::DecisionToTreatAfterActiveMonitoring, Some(end)) => {
                            matches!(
                                end,
                                ClockEnd::Stopped {
                                    rule: RttRule::Rule5b,
                                    ..
                                }
                            )
                        }
                        (NewClockReason::BilateralSecondProcedure, Some(end)) => {
                            matches!(
                                end,
                                ClockEnd::Stopped {
                                    rule: RttRule::Rule4a,
                                    ..
                                }
                            )
                        }
                        (NewClockReason::NewTreatment, Some(end)) => {
                            matches!(end, ClockEnd::Stopped { .. })
                        }
                        (NewClockReason::ReReferral, Some(_)) => true,
                    };
                    if !condition_holds {
                        return Err(not_allowed(
                            "the condition of that Rule 3 new clock does not hold after how the last clock ended",
                        ));
                    }
                    periods.push(ClockPeriod::starting(on, reason.rule()));
                    decision_to_admit = false;
                    qualifying_dna = false;
                }
                (
                    RttEvent::FirstDefinitiveTreatment { .. }
                    | RttEvent::AddedToTransplantList { .. }
                    | RttEvent::NonTreatment { .. }
                    | RttEvent::DidNotAttend { .. }
                    | RttEvent::DischargedAfterDidNotAttend { .. }
                    | RttEvent::DecisionToAdmit { .. }
                    | RttEvent::PatientPause { .. }
                    | RttEvent::Withdrawn { .. },
                    None,
                ) => return Err(not_allowed("no clock is running")),
                (RttEvent::FirstDefinitiveTreatment { on }, Some(clock)) => {
                    clock.stop(on, RttRule::Rule4a);
                }
                (RttEvent::AddedToTransplantList { on }, Some(clock)) => {
                    clock.stop(on, RttRule::Rule4b);
                }
                (RttEvent::NonTreatment { on, decision }, Some(clock)) => {
                    clock.stop(on, decision.rule());
                }
                (
                    RttEvent::DidNotAttend {
                        on,
                        first_appointment,
                        clearly_communicated,
                    },
                    Some(clock),
                ) => {
                    if first_appointment && clearly_communicated {
                        clock.end = Some(ClockEnd::Nullified { on });
                    } else {
                        qualifying_dna = clearly_communicated;
                    }
                }
                (RttEvent::DischargedAfterDidNotAttend { on }, Some(clock)) => {
                    if !qualifying_dna {
                        return Err(not_allowed(
                            "Rule 5(f) needs a DNA of a clearly communicated appointment before the discharge",
                        ));
                    }
                    clock.stop(on, RttRule::Rule5f);
                }
                (RttEvent::DecisionToAdmit { .. }, Some(_)) => decision_to_admit = true,
                (
                    RttEvent::PatientPause {
                        from,
                        until,
                        declined_offers,
                    },
                    Some(clock),
                ) => {
                    let why = if until <= from {
                        Some("the pause must end after it starts")
                    } else if until > PAUSES_REMOVED_FROM {
                        Some(
                            "patient pauses were removed from 1 October 2015 (Standing Rules Amendment No. 2 Regulations 2015)",
                        )
                    } else if !decision_to_admit {
                        Some("a pause needs a decision to admit first")
                    } else if declined_offers < 2 {
                        Some("a pause needs at least two declined reasonable offers of admission")
                    } else if clock.pauses.last().is_some_and(|p| p.until > from) {
                        Some("pauses may not overlap")
                    } else {
                        None
                    };
                    if let Some(why) = why {
                        return Err(ReferralError::RttPauseNotAllowed { from, until, why });
                    }
                    clock.pauses.push(Pause { from, until });
                }
                (RttEvent::Withdrawn { on }, Some(clock)) => {
                    clock.end = Some(ClockEnd::Withdrawn { on });
                }
            }
            if periods.last().is_some_and(|p| p.end.is_some()) {
                decision_to_admit = false;
                qualifying_dna = false;
            }
        }
        Ok(Self { periods })
    }

    /// The clocks, oldest first.
    #[must_use]
    pub fn periods(&self) -> &[ClockPeriod] {
        &self.periods
    }

    /// The clock still running, if any.
    #[must_use]
    pub fn running(&self) -> Option<&ClockPeriod> {
        self.periods.last().filter(|p| p.end.is_none())
    }

    /// The RTT events a referral's lifecycle implies, for a destination that starts a
    /// clock (consultant-led or interface service); none for other destinations.
    ///
    /// - submitting a professional referral: Rule 1 (received on submission);
    /// - for a self-referral, the first triage, acceptance or booking by a care
    ///   professional or service: Rule 2 (ratified);
    /// - a DNA: Rule 5(e) nullification if it was the first appointment and clearly
    ///   communicated, and a later booking then starts a Rule 3(e) clock;
    /// - discharge: returned to primary care 5(a), decision not to treat 5(d), declined
    ///   5(c), after DNA 5(f) (recorded as 5(a) when the DNA was not clearly
    ///   communicated, since 5(f) does not then apply);
    /// - completion: treatment started or care completed 4(a), active monitoring 5(b);
    /// - cancellation by or for the patient's choice: declined 5(c); rejection,
    ///   redirection and other cancellations: withdrawn.
    #[must_use]
    pub fn events_of(referral: &Referral) -> Vec<RttEvent> {
        let destination = referral.details().destination;
        if !destination.starts_rtt_clock() {
            return Vec::new();
        }
        let service = match destination {
            Destination::InterfaceService { .. } => ClockService::Interface,
            _ => ClockService::ConsultantLed,
        };
        let self_referral = referral.details().route.canonical() == EntryRoute::SelfReferral;
        let mut events = Vec::new();
        let mut started = false;
        let mut running = false;
        let mut nullified = false;
        let mut last_dna_communicated = false;
        let mut attended = 0u32;
        for transition in referral.history() {
            let on = transition.record.at.date();
            match transition.record.event {
                ReferralEvent::Submit if !self_referral => {
                    events.push(RttEvent::ReferralReceived { on, service });
                    started = true;
                    running = true;
                }
                ReferralEvent::Triage { .. }
                | ReferralEvent::Accept
                | ReferralEvent::Book { .. }
                    if self_referral && !started && is_ratifier(transition.record.actor) =>
                {
                    events.push(RttEvent::SelfReferralRatified { on });
                    started = true;
                    running = true;
                }
                ReferralEvent::Book { .. } if nullified => {
                    events.push(RttEvent::NewClock {
                        on,
                        reason: NewClockReason::RebookedAfterNullifiedDna,
                    });
                    nullified = false;
                    running = true;
                }
                ReferralEvent::DidNotAttend {
                    clearly_communicated,
                } if running => {
                    let first_appointment = attended == 0;
                    events.push(RttEvent::DidNotAttend {
                        on,
                        first_appointment,
                        clearly_communicated,
                    });
                    if first_appointment && clearly_communicated {
                        nullified = true;
                        running = false;
                    }
                    last_dna_communicated = clearly_communicated;
                }
                ReferralEvent::Discharge { outcome } if running => {
                    events.push(match outcome {
                        DischargeOutcome::AfterDidNotAttend if last_dna_communicated => {
                            RttEvent::DischargedAfterDidNotAttend { on }
                        }
                        DischargeOutcome::AfterDidNotAttend
                        | DischargeOutcome::ReturnedToPrimaryCare => RttEvent::NonTreatment {
                            on,
                            decision: NonTreatmentDecision::ReturnedToPrimaryCare,
                        },
                        DischargeOutcome::DecisionNotToTreat => RttEvent::NonTreatment {
                            on,
                            decision: NonTreatmentDecision::DecisionNotToTreat,
                        },
                        DischargeOutcome::DeclinedTreatment => RttEvent::NonTreatment {
                            on,
                            decision: NonTreatmentDecision::DeclinedTreatment,
                        },
                    });
                    running = false;
                }
                ReferralEvent::Complete { outcome } if running => {
                    events.push(match outcome {
                        CompletionOutcome::ActiveMonitoring => RttEvent::NonTreatment {
                            on,
                            decision: NonTreatmentDecision::ActiveMonitoring,
                        },
                        CompletionOutcome::TreatmentStarted
                        | CompletionOutcome::CareCompleted
                        | CompletionOutcome::GoalsAchieved => {
                            RttEvent::FirstDefinitiveTreatment { on }
                        }
                    });
                    running = false;
                }
                ReferralEvent::Cancel { by, reason } if running => {
                    let declined =
                        by == CancelledBy::Patient || reason == CancellationReason::PatientChoice;
                    events.push(if declined {
                        RttEvent::NonTreatment {
                            on,
                            decision: NonTreatmentDecision::DeclinedTreatment,
                        }
                    } else {
                        RttEvent::Withdrawn { on }
                    });
                    running = false;
                }
                ReferralEvent::Reject { .. } | ReferralEvent::Redirect { .. } if running => {
                    events.push(RttEvent::Withdrawn { on });
                    running = false;
                }
                ReferralEvent::Attend => attended += 1,
                _ => {}
            }
        }
        events
    }

    /// The RTT pathway of a referral ([`events_of`](Self::events_of) then
    /// [`from_events`](Self::from_events)); empty for a destination that starts no
    /// clock.
    ///
    /// # Errors
    /// As [`from_events`](Self::from_events); the events a lifecycle implies are
    /// always in order and allowed, so an error here means a defect, reported rather
    /// than hidden.
    pub fn of_referral(referral: &Referral) -> Result<Self, ReferralError> {
        Self::from_events(&Self::events_of(referral))
    }
}

/// The first day on which no patient pause may run.
const PAUSES_REMOVED_FROM: NaiveDate = match NaiveDate::from_ymd_opt(2015, 10, 1) {
    Some(date) => date,
    None => NaiveDate::MIN,
};

fn is_ratifier(actor: Actor) -> bool {
    actor.is_professional()
}

impl ClockPeriod {
    fn starting(start: NaiveDate, start_rule: RttRule) -> Self {
        Self {
            start,
            start_rule,
            pauses: Vec::new(),
            end: None,
        }
    }

    fn stop(&mut self, on: NaiveDate, rule: RttRule) {
        self.end = Some(ClockEnd::Stopped { on, rule });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn received(on: NaiveDate) -> RttEvent {
        RttEvent::ReferralReceived {
            on,
            service: ClockService::ConsultantLed,
        }
    }

    #[test]
    fn stops_need_a_running_clock() {
        let err =
            RttPathway::from_events(&[RttEvent::FirstDefinitiveTreatment { on: d(2024, 1, 1) }])
                .unwrap_err();
        assert!(err.to_string().contains("no clock is running"), "{err}");
    }

    #[test]
    fn events_must_be_in_date_order() {
        let err = RttPathway::from_events(&[
            received(d(2024, 2, 1)),
            RttEvent::FirstDefinitiveTreatment { on: d(2024, 1, 1) },
        ])
        .unwrap_err();
        assert!(
            matches!(err, ReferralError::RttEventOutOfOrder { .. }),
            "{err}"
        );
    }

    #[test]
    fn a_second_first_clock_is_refused() {
        let err = RttPathway::from_events(&[
            received(d(2024, 1, 1)),
            RttEvent::FirstDefinitiveTreatment { on: d(2024, 2, 1) },
            received(d(2024, 3, 1)),
        ])
        .unwrap_err();
        assert!(err.to_string().contains("Rule 3"), "{err}");
    }

    #[test]
    fn a_later_dna_alone_leaves_the_clock_running() {
        let pathway = RttPathway::from_events(&[
            received(d(2024, 1, 1)),
            RttEvent::DidNotAttend {
                on: d(2024, 2, 1),
                first_appointment: false,
                clearly_communicated: true,
            },
        ])
        .unwrap();
        assert_eq!(
            pathway.running().unwrap().days_waited(d(2024, 3, 1)),
            Some(60)
        );
    }
}
