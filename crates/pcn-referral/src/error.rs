//! The one error type of `pcn-referral`.

use chrono::{NaiveDate, NaiveDateTime};
use pcn_core::{PathwayId, ReferralId, SnomedCode, StaffId};
use thiserror::Error;

use crate::{
    EntryRoute, EventKind, NoRoute, PathwayCode, Priority, RedFlag, RttEvent, StateKind, TargetWait,
};

/// Everything that can go wrong in the referral crate.
///
/// Each variant names the values involved, and its message says what to do.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ReferralError {
    // ----- values -----
    /// A pathway code was malformed.
    #[error("invalid pathway code {value:?}: {reason}")]
    InvalidPathwayCode {
        /// The text given.
        value: String,
        /// What was wrong.
        reason: &'static str,
    },
    /// A treatment function code was not three digits from 100 to 999.
    #[error("invalid treatment function code {value:?}: must be three digits from 100 to 999")]
    InvalidTreatmentFunction {
        /// The text or number given.
        value: String,
    },
    /// An appointment slot had no length or was longer than a working day.
    #[error("invalid appointment slot of {minutes} minutes: a slot must be 1 to 480 minutes long")]
    InvalidSlot {
        /// The length given.
        minutes: u16,
    },

    // ----- catalogue -----
    /// The catalogue file could not be read.
    #[error("cannot read pathway catalogue {path}: {message}")]
    CatalogueFile {
        /// The path.
        path: String,
        /// The reason from the operating system.
        message: String,
    },
    /// The catalogue JSON did not parse.
    #[error("the pathway catalogue is not valid: {message}")]
    CatalogueJson {
        /// The parser's message, with line and column.
        message: String,
    },
    /// The catalogue has more pathways than an index can hold.
    #[error(
        "the catalogue has {pathways} pathways, more than the 4,294,967,295 an index can hold: split it"
    )]
    CatalogueTooLarge {
        /// The number of pathways.
        pathways: usize,
    },
    /// Two pathways share a code.
    #[error("pathway code `{code}` is used twice in the catalogue: give each pathway its own code")]
    DuplicatePathwayCode {
        /// The code.
        code: PathwayCode,
    },
    /// Two pathways share an id.
    #[error(
        "pathway id {id} of `{code}` is already used by another pathway: remove the explicit id or make it unique"
    )]
    DuplicatePathwayId {
        /// The id.
        id: PathwayId,
        /// The second pathway with it.
        code: PathwayCode,
    },
    /// A pathway has a blank name.
    #[error("pathway `{code}` has no name: give it a name for people")]
    MissingPathwayName {
        /// The pathway.
        code: PathwayCode,
    },
    /// A pathway lists no reasons for referral.
    #[error(
        "pathway `{code}` accepts no reason for referral: list at least one SNOMED CT code in `eligibility.reasons`"
    )]
    NoReasons {
        /// The pathway.
        code: PathwayCode,
    },
    /// A pathway's age range runs backwards.
    #[error("pathway `{code}` has min_age {min_age} above max_age {max_age}: swap or correct them")]
    InvalidAgeRange {
        /// The pathway.
        code: PathwayCode,
        /// The lower bound.
        min_age: u32,
        /// The upper bound.
        max_age: u32,
    },
    /// A code is both accepted (as reason or required condition) and excluded.
    #[error("pathway `{code}` both accepts and excludes {condition}: remove it from one list")]
    ContradictoryEligibility {
        /// The pathway.
        code: PathwayCode,
        /// The code in both lists.
        condition: SnomedCode,
    },
    /// A route rule is malformed.
    #[error("pathway `{code}` has an invalid route rule: {reason}")]
    InvalidRouteRule {
        /// The pathway.
        code: PathwayCode,
        /// What is wrong.
        reason: &'static str,
    },
    /// A target wait contradicts the priority or the destination.
    #[error(
        "pathway `{code}` has target {target:?} with priority {priority} and a destination that is {}consultant-led: a two_week_wait pathway uses the suspected_cancer target, a consultant-led or interface destination the referral_to_treatment target, any other a first_contact target",
        if *consultant_led { "" } else { "not " }
    )]
    InconsistentTarget {
        /// The pathway.
        code: PathwayCode,
        /// Its priority.
        priority: Priority,
        /// Its target.
        target: TargetWait,
        /// Whether its destination starts an RTT clock.
        consultant_led: bool,
    },
    /// A reference to a pathway code that is not in the catalogue.
    #[error(
        "unknown pathway `{code}` named by {}: add that pathway or correct the code",
        owner_text(referenced_by.as_ref())
    )]
    UnknownPathway {
        /// The unknown code.
        code: PathwayCode,
        /// The pathway that names it (`None`: the catalogue's red-flag policy).
        referenced_by: Option<PathwayCode>,
    },
    /// A red flag is listed twice in one rule list.
    #[error("red flag {flag} is listed twice in {}: keep one rule per flag", owner_text(owner.as_ref()))]
    DuplicateRedFlag {
        /// The flag.
        flag: RedFlag,
        /// Whose list (`None`: the catalogue's).
        owner: Option<PathwayCode>,
    },
    /// A red flag leads back to the pathway that lists it.
    #[error(
        "pathway `{code}` sends red flag {flag} to itself: a red flag must lead to another, urgent pathway"
    )]
    RedFlagToItself {
        /// The flag.
        flag: RedFlag,
        /// The pathway.
        code: PathwayCode,
    },
    /// A red flag leads to a routine pathway.
    #[error(
        "{} leads to pathway `{target}`, whose priority is {priority}: a red flag must lead to an urgent or two_week_wait pathway",
        match flag { Some(flag) => format!("red flag {flag}"), None => "the default red-flag pathway".to_owned() }
    )]
    RedFlagTargetNotExpedited {
        /// The flag (`None`: the catalogue's default).
        flag: Option<RedFlag>,
        /// The target pathway.
        target: PathwayCode,
        /// Its priority.
        priority: Priority,
    },
    /// A pathway has no route and no red flag leads to it.
    #[error(
        "pathway `{code}` has no route and no red flag leads to it, so nothing can reach it: give it a route or make it a red-flag target"
    )]
    UnreachablePathway {
        /// The pathway.
        code: PathwayCode,
    },
    /// A pathway declares precedence over itself.
    #[error("pathway `{code}` lists itself in takes_precedence_over: remove it")]
    SelfPrecedence {
        /// The pathway.
        code: PathwayCode,
    },
    /// The declared precedence goes round in a circle.
    #[error(
        "the takes_precedence_over declarations of pathway `{code}` and others ({involved:?}) form a cycle: make the order one way"
    )]
    PrecedenceCycle {
        /// A pathway in the cycle.
        code: PathwayCode,
        /// Every pathway left unordered.
        involved: Vec<PathwayCode>,
    },
    /// Two pathways fit the same request and no precedence is declared.
    #[error(
        "pathways `{first}` and `{second}` both fit a {route} for reason {reason} at ages {min_age} to {}: narrow one of them or declare which takes precedence with `takes_precedence_over`",
        if *max_age == u32::MAX { "any".to_owned() } else { max_age.to_string() }
    )]
    OverlappingPathways {
        /// The first pathway.
        first: PathwayCode,
        /// The second pathway.
        second: PathwayCode,
        /// A route both accept.
        route: EntryRoute,
        /// A reason both accept.
        reason: SnomedCode,
        /// The youngest age both accept.
        min_age: u32,
        /// The oldest age both accept (`u32::MAX`: no limit).
        max_age: u32,
    },

    // ----- routing -----
    /// No pathway fits the request (and it carries no red flag).
    #[error("{0}")]
    NoPathway(Box<NoRoute>),
    /// A date of birth after the request date.
    #[error(
        "date of birth {date_of_birth} is after the referral date {referral_date}: check both dates"
    )]
    BornAfterReferral {
        /// The date of birth.
        date_of_birth: NaiveDate,
        /// The request date.
        referral_date: NaiveDate,
    },

    // ----- lifecycle -----
    /// The state machine does not allow the event from the current state.
    #[error("referral {referral} is {from}: the event `{event}` is not allowed from that state")]
    TransitionNotAllowed {
        /// The referral.
        referral: ReferralId,
        /// Its state.
        from: StateKind,
        /// The event refused.
        event: EventKind,
    },
    /// An event dated before the last one.
    #[error(
        "event `{event}` on referral {referral} is dated {at}, before its last event at {last}: record events in time order"
    )]
    EventOutOfOrder {
        /// The referral.
        referral: ReferralId,
        /// The event refused.
        event: EventKind,
        /// Its time.
        at: NaiveDateTime,
        /// The time of the last event (or of the draft).
        last: NaiveDateTime,
    },
    /// A booking whose slot starts before the booking was made.
    #[error(
        "referral {referral}: a slot starting {starts_at} cannot be booked at {booked_at}, after it started"
    )]
    SlotInPast {
        /// The referral.
        referral: ReferralId,
        /// The slot start.
        starts_at: NaiveDateTime,
        /// When the booking was recorded.
        booked_at: NaiveDateTime,
    },
    /// A did-not-attend recorded before the slot started.
    #[error(
        "referral {referral}: a did-not-attend recorded at {recorded_at} is before the slot starts at {starts_at}; cancel the appointment instead"
    )]
    DidNotAttendBeforeSlot {
        /// The referral.
        referral: ReferralId,
        /// The slot start.
        starts_at: NaiveDateTime,
        /// When the DNA was recorded.
        recorded_at: NaiveDateTime,
    },
    /// A discharge "after did not attend" without a did-not-attend.
    #[error(
        "referral {referral} is {from}: a discharge after did-not-attend needs a did-not-attend first; choose another outcome"
    )]
    DischargeAfterDnaWithoutDna {
        /// The referral.
        referral: ReferralId,
        /// Its state.
        from: StateKind,
    },
    /// A recorded history did not replay.
    #[error("referral {referral}: event {position} of its history does not replay: {source}")]
    ReplayFailed {
        /// The referral.
        referral: ReferralId,
        /// The position of the event (from 0).
        position: usize,
        /// Why it failed.
        source: Box<ReferralError>,
    },
    /// A recorded history names different states from those it replays to.
    #[error(
        "referral {referral}: event {position} is recorded as {recorded:?} but replays as {replayed:?}; the stored history has been altered"
    )]
    ReplayMismatch {
        /// The referral.
        referral: ReferralId,
        /// The position of the event (from 0).
        position: usize,
        /// The (from, to) states recorded.
        recorded: (StateKind, StateKind),
        /// The (from, to) states replayed.
        replayed: (StateKind, StateKind),
    },

    // ----- RTT -----
    /// An RTT event dated before the one before it.
    #[error(
        "RTT event {position} is dated {date}, before the previous event on {previous}: give events in date order"
    )]
    RttEventOutOfOrder {
        /// Its position (from 0).
        position: usize,
        /// Its date.
        date: NaiveDate,
        /// The previous event's date.
        previous: NaiveDate,
    },
    /// An RTT event the clock rules do not allow where it is.
    #[error("RTT event {position} ({event:?}) is not allowed: {why}")]
    RttEventNotAllowed {
        /// Its position (from 0).
        position: usize,
        /// The event.
        event: RttEvent,
        /// Which rule it breaks.
        why: &'static str,
    },
    /// A patient pause the rules do not allow.
    #[error("a patient pause from {from} to {until} is not allowed: {why}")]
    RttPauseNotAllowed {
        /// The first paused day.
        from: NaiveDate,
        /// The first day after.
        until: NaiveDate,
        /// Why.
        why: &'static str,
    },

    // ----- social prescribing -----
    /// An outcome measure's scale is malformed.
    #[error("invalid outcome measure {name:?}: {reason}")]
    InvalidOutcomeMeasure {
        /// The name given.
        name: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A score off its measure's scale.
    #[error(
        "score {score} is off the {measure} scale of {min} to {max}: check the score and the measure"
    )]
    ScoreOffScale {
        /// The measure.
        measure: String,
        /// The score.
        score: i32,
        /// The lowest score.
        min: i32,
        /// The highest score.
        max: i32,
    },
    /// A "what matters to you" conversation with nothing recorded.
    #[error("the conversation of {held_on} is incomplete: {reason}")]
    EmptyConversation {
        /// Its date.
        held_on: NaiveDate,
        /// What is missing.
        reason: &'static str,
    },
    /// A second conversation for the same episode.
    #[error(
        "referral {referral} already had its what-matters conversation on {held_on}: record further talks as contacts"
    )]
    ConversationAlreadyHeld {
        /// The referral.
        referral: ReferralId,
        /// When it was held.
        held_on: NaiveDate,
    },
    /// A record that needs the conversation first.
    #[error(
        "referral {referral}: {what} comes after the what-matters conversation; hold and record it first"
    )]
    NoConversationYet {
        /// The referral.
        referral: ReferralId,
        /// What was being recorded.
        what: &'static str,
    },
    /// A follow-up score with no baseline.
    #[error("referral {referral} has no baseline score: record the score before support first")]
    NoBaselineScore {
        /// The referral.
        referral: ReferralId,
    },
    /// Scores dated the wrong way round.
    #[error(
        "referral {referral}: the baseline score of {baseline} must not be after the follow-up of {follow_up}"
    )]
    ScoresOutOfOrder {
        /// The referral.
        referral: ReferralId,
        /// The baseline date.
        baseline: NaiveDate,
        /// The follow-up date.
        follow_up: NaiveDate,
    },
    /// A record on a closed episode.
    #[error(
        "referral {referral}: the episode closed on {closed_on}, so {what} cannot be recorded; open a new episode"
    )]
    EpisodeClosed {
        /// The referral.
        referral: ReferralId,
        /// When it closed.
        closed_on: NaiveDate,
        /// What was being recorded.
        what: &'static str,
    },
    /// A record dated before the episode opened.
    #[error("referral {referral}: {what} on {date} is before the episode opened on {opened_on}")]
    BeforeEpisodeOpened {
        /// The referral.
        referral: ReferralId,
        /// When it opened.
        opened_on: NaiveDate,
        /// The date given.
        date: NaiveDate,
        /// What was being recorded.
        what: &'static str,
    },
    /// A close dated before something recorded on the episode.
    #[error("referral {referral}: cannot close on {close}, before the last record on {last}")]
    CloseBeforeLastRecord {
        /// The referral.
        referral: ReferralId,
        /// The close date given.
        close: NaiveDate,
        /// The last record's date.
        last: NaiveDate,
    },
    /// A caseload with no capacity.
    #[error("link worker {link_worker}'s annual capacity must be at least 1")]
    InvalidCapacity {
        /// The link worker.
        link_worker: StaffId,
    },
    /// An episode of another link worker.
    #[error(
        "the episode belongs to link worker {episode}, not {caseload}: add it to that link worker's caseload"
    )]
    WrongLinkWorker {
        /// The episode's link worker.
        episode: StaffId,
        /// The caseload's link worker.
        caseload: StaffId,
    },
    /// A person or referral already on the caseload.
    #[error(
        "referral {referral} is already on the caseload, or the person has an open episode there: close it first"
    )]
    AlreadyOnCaseload {
        /// The referral.
        referral: ReferralId,
    },
}

fn owner_text(owner: Option<&PathwayCode>) -> String {
    owner.map_or_else(
        || "the catalogue's red-flag policy".to_owned(),
        |code| format!("pathway `{code}`"),
    )
}
