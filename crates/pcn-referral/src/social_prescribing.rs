//! Social prescribing: a link worker's caseload, the "what matters to you"
//! conversation, onward referral to community activities, and outcomes scored before
//! and after.
//!
//! Any member of the primary care team or a local agency can refer to a social
//! prescribing link worker (people may also refer themselves). The link worker holds
//! a "what matters to you" conversation, agrees a personalised plan and connects the
//! person to community groups, activities and advice (exercise, arts, debt, housing).
//! Support is typically 6 to 12 contacts, and a full-time link worker's caseload
//! typically 200 to 250 people a year (surreytraininghub.co.uk, as summarised in
//! `referrals.md`); no national rule fixes either, so the caseload's capacity is a
//! parameter. Outcomes are often scored before and after with a wellbeing measure
//! such as WEMWBS or the ONS4 questions.

use std::fmt;

use chrono::NaiveDate;
use pcn_core::{DateRange, PatientId, Rate, ReferralId, ServiceId, StaffId};
use serde::{Deserialize, Serialize};

use crate::ReferralError;

/// The kind of need a community activity or a personal goal addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SupportArea {
    /// Exercise and physical activity (walking groups, gardening).
    PhysicalActivity,
    /// Arts, music and culture.
    ArtsAndCulture,
    /// Debt and money advice, benefits.
    DebtAndMoney,
    /// Housing.
    Housing,
    /// Loneliness and social connection (befriending, groups).
    SocialConnection,
    /// Employment, volunteering and learning.
    EmploymentAndLearning,
    /// Anything else.
    Other,
}

impl SupportArea {
    /// The area in words.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::PhysicalActivity => "physical activity",
            Self::ArtsAndCulture => "arts and culture",
            Self::DebtAndMoney => "debt and money",
            Self::Housing => "housing",
            Self::SocialConnection => "social connection",
            Self::EmploymentAndLearning => "employment and learning",
            Self::Other => "other",
        }
    }
}

impl fmt::Display for SupportArea {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.label())
    }
}

/// A scored outcome measure: its name, its scale and which way is better.
///
/// Construction checks the scale (a name, `min < max`), and every score is checked
/// against it, so that a score off the scale is refused rather than averaged in.
///
/// ```
/// use pcn_referral::OutcomeMeasure;
/// let wemwbs = OutcomeMeasure::wemwbs();
/// assert_eq!((wemwbs.min(), wemwbs.max()), (14, 70));
/// assert!(wemwbs.check(71).is_err());
/// assert!(OutcomeMeasure::new("Made-up scale", 10, 10, true).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawMeasure", into = "RawMeasure")]
pub struct OutcomeMeasure {
    name: String,
    min: i32,
    max: i32,
    higher_is_better: bool,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeasure {
    name: String,
    min: i32,
    max: i32,
    higher_is_better: bool,
}

impl TryFrom<RawMeasure> for OutcomeMeasure {
    type Error = ReferralError;

    fn try_from(raw: RawMeasure) -> Result<Self, Self::Error> {
        Self::new(raw.name, raw.min, raw.max, raw.higher_is_better)
    }
}

impl From<OutcomeMeasure> for RawMeasure {
    fn from(measure: OutcomeMeasure) -> Self {
        Self {
            name: measure.name,
            min: measure.min,
            max: measure.max,
            higher_is_better: measure.higher_is_better,
        }
    }
}

impl OutcomeMeasure {
    /// A measure scored from `min` to `max` inclusive.
    ///
    /// # Errors
    /// [`ReferralError::InvalidOutcomeMeasure`] if the name is blank or `min >= max`.
    pub fn new(
        name: impl Into<String>,
        min: i32,
        max: i32,
        higher_is_better: bool,
    ) -> Result<Self, ReferralError> {
        let name = name.into();
        if name.trim().is_empty() {
            return Err(ReferralError::InvalidOutcomeMeasure {
                name,
                reason: "the measure needs a name",
            });
        }
        if min >= max {
            return Err(ReferralError::InvalidOutcomeMeasure {
                name,
                reason: "the lowest score must be below the highest",
            });
        }
        Ok(Self {
            name,
            min,
            max,
            higher_is_better,
        })
    }

    /// The Warwick-Edinburgh Mental Wellbeing Scale: 14 items scored 1 to 5, total 14
    /// to 70, higher is better (Warwick Medical School, WEMWBS user guide).
    #[must_use]
    pub fn wemwbs() -> Self {
        Self {
            name: "WEMWBS".to_owned(),
            min: 14,
            max: 70,
            higher_is_better: true,
        }
    }

    /// The short WEMWBS: 7 items scored 1 to 5, raw total 7 to 35, higher is better
    /// (Warwick Medical School, WEMWBS user guide).
    #[must_use]
    pub fn swemwbs() -> Self {
        Self {
            name: "SWEMWBS".to_owned(),
            min: 7,
            max: 35,
            higher_is_better: true,
        }
    }

    /// The ONS personal well-being question "how satisfied are you with your life
    /// nowadays?", 0 to 10, higher is better (Office for National Statistics, ONS4).
    #[must_use]
    pub fn ons_life_satisfaction() -> Self {
        Self {
            name: "ONS4 life satisfaction".to_owned(),
            min: 0,
            max: 10,
            higher_is_better: true,
        }
    }

    /// The ONS personal well-being question "how anxious did you feel yesterday?", 0
    /// to 10, **lower** is better (Office for National Statistics, ONS4).
    #[must_use]
    pub fn ons_anxiety() -> Self {
        Self {
            name: "ONS4 anxiety".to_owned(),
            min: 0,
            max: 10,
            higher_is_better: false,
        }
    }

    /// The name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The lowest score.
    #[must_use]
    pub const fn min(&self) -> i32 {
        self.min
    }

    /// The highest score.
    #[must_use]
    pub const fn max(&self) -> i32 {
        self.max
    }

    /// Whether a higher score is better.
    #[must_use]
    pub const fn higher_is_better(&self) -> bool {
        self.higher_is_better
    }

    /// Checks a score against the scale.
    ///
    /// # Errors
    /// [`ReferralError::ScoreOffScale`] if the score is outside `min..=max`.
    pub fn check(&self, score: i32) -> Result<i32, ReferralError> {
        if (self.min..=self.max).contains(&score) {
            Ok(score)
        } else {
            Err(ReferralError::ScoreOffScale {
                measure: self.name.clone(),
                score,
                min: self.min,
                max: self.max,
            })
        }
    }

    /// The change from `before` to `after`, signed so that a positive change is an
    /// improvement whichever way the scale runs.
    #[must_use]
    pub const fn improvement(&self, before: i32, after: i32) -> i32 {
        if self.higher_is_better {
            after - before
        } else {
            before - after
        }
    }
}

/// A score on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Score {
    /// The date scored.
    pub on: NaiveDate,
    /// The score.
    pub value: i32,
}

/// A personal goal agreed in the "what matters to you" conversation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PersonalGoal {
    /// The goal in the person's words.
    pub description: String,
    /// The area it belongs to.
    pub area: SupportArea,
}

/// The "what matters to you" conversation: what the person said matters, and the
/// goals of their personalised plan.
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_referral::{PersonalGoal, SupportArea, WhatMattersConversation};
/// let conversation = WhatMattersConversation::new(
///     NaiveDate::from_ymd_opt(2024, 5, 2).unwrap(),
///     vec!["getting out of the house".into()],
///     vec![PersonalGoal { description: "join a walking group".into(), area: SupportArea::PhysicalActivity }],
/// )?;
/// assert_eq!(conversation.goals().len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawConversation", into = "RawConversation")]
pub struct WhatMattersConversation {
    held_on: NaiveDate,
    what_matters: Vec<String>,
    goals: Vec<PersonalGoal>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConversation {
    held_on: NaiveDate,
    what_matters: Vec<String>,
    #[serde(default)]
    goals: Vec<PersonalGoal>,
}

impl TryFrom<RawConversation> for WhatMattersConversation {
    type Error = ReferralError;

    fn try_from(raw: RawConversation) -> Result<Self, Self::Error> {
        Self::new(raw.held_on, raw.what_matters, raw.goals)
    }
}

impl From<WhatMattersConversation> for RawConversation {
    fn from(c: WhatMattersConversation) -> Self {
        Self {
            held_on: c.held_on,
            what_matters: c.what_matters,
            goals: c.goals,
        }
    }
}

impl WhatMattersConversation {
    /// The conversation held on `held_on`.
    ///
    /// # Errors
    /// [`ReferralError::EmptyConversation`] if nothing was recorded as mattering (or
    /// only blank lines), or a goal has a blank description.
    pub fn new(
        held_on: NaiveDate,
        what_matters: Vec<String>,
        goals: Vec<PersonalGoal>,
    ) -> Result<Self, ReferralError> {
        if what_matters.iter().all(|m| m.trim().is_empty()) {
            return Err(ReferralError::EmptyConversation {
                held_on,
                reason: "record at least one thing that matters to the person",
            });
        }
        if goals.iter().any(|g| g.description.trim().is_empty()) {
            return Err(ReferralError::EmptyConversation {
                held_on,
                reason: "every goal needs a description",
            });
        }
        Ok(Self {
            held_on,
            what_matters,
            goals,
        })
    }

    /// When it was held.
    #[must_use]
    pub const fn held_on(&self) -> NaiveDate {
        self.held_on
    }

    /// What the person said matters.
    #[must_use]
    pub fn what_matters(&self) -> &[String] {
        &self.what_matters
    }

    /// The goals agreed.
    #[must_use]
    pub fn goals(&self) -> &[PersonalGoal] {
        &self.goals
    }
}

/// An onward referral from the link worker to a community activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CommunityReferral {
    /// The activity.
    pub activity: ServiceId,
    /// What need it meets.
    pub area: SupportArea,
    /// When referred.
    pub on: NaiveDate,
}

/// The change in a person's score over their support.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeChange {
    /// The score at the start.
    pub before: Score,
    /// The score at follow-up.
    pub after: Score,
    /// The change, positive when better (whichever way the scale runs).
    pub improvement: i32,
}

/// One person's social prescribing support with a link worker, from referral to
/// close.
///
/// Its rules: the conversation comes first (on or after the episode opened), onward
/// referrals and the follow-up score after it; the baseline score is taken on or
/// before the follow-up; nothing is recorded after the episode closes. A refused
/// record changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "StoredEpisode")]
pub struct SocialPrescribingEpisode {
    referral: ReferralId,
    patient: PatientId,
    link_worker: StaffId,
    opened_on: NaiveDate,
    measure: OutcomeMeasure,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    conversation: Option<WhatMattersConversation>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    contacts: Vec<NaiveDate>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    onward: Vec<CommunityReferral>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    baseline: Option<Score>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    follow_up: Option<Score>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    closed_on: Option<NaiveDate>,
}

/// The stored form of an episode, checked by replaying it through the episode's
/// own rules.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredEpisode {
    referral: ReferralId,
    patient: PatientId,
    link_worker: StaffId,
    opened_on: NaiveDate,
    measure: OutcomeMeasure,
    #[serde(default)]
    conversation: Option<WhatMattersConversation>,
    #[serde(default)]
    contacts: Vec<NaiveDate>,
    #[serde(default)]
    onward: Vec<CommunityReferral>,
    #[serde(default)]
    baseline: Option<Score>,
    #[serde(default)]
    follow_up: Option<Score>,
    #[serde(default)]
    closed_on: Option<NaiveDate>,
}

impl TryFrom<StoredEpisode> for SocialPrescribingEpisode {
    type Error = ReferralError;

    fn try_from(stored: StoredEpisode) -> Result<Self, Self::Error> {
        let mut episode = Self::open(
            stored.referral,
            stored.patient,
            stored.link_worker,
            stored.opened_on,
            stored.measure,
        );
        if let Some(conversation) = stored.conversation {
            episode.hold_conversation(conversation)?;
        }
        for on in stored.contacts {
            episode.record_contact(on)?;
        }
        if let Some(score) = stored.baseline {
            episode.record_baseline(score.on, score.value)?;
        }
        for referral in stored.onward {
            episode.refer_on(referral)?;
        }
        if let Some(score) = stored.follow_up {
            episode.record_follow_up(score.on, score.value)?;
        }
        if let Some(on) = stored.closed_on {
            episode.close(on)?;
        }
        Ok(episode)
    }
}

impl SocialPrescribingEpisode {
    /// Opens an episode for a referral accepted by a link worker, scored with
    /// `measure`.
    #[must_use]
    pub const fn open(
        referral: ReferralId,
        patient: PatientId,
        link_worker: StaffId,
        opened_on: NaiveDate,
        measure: OutcomeMeasure,
    ) -> Self {
        Self {
            referral,
            patient,
            link_worker,
            opened_on,
            measure,
            conversation: None,
            contacts: Vec::new(),
            onward: Vec::new(),
            baseline: None,
            follow_up: None,
            closed_on: None,
        }
    }

    fn check_open_on(&self, date: NaiveDate, what: &'static str) -> Result<(), ReferralError> {
        if let Some(closed_on) = self.closed_on {
            return Err(ReferralError::EpisodeClosed {
                referral: self.referral,
                closed_on,
                what,
            });
        }
        if date < self.opened_on {
            return Err(ReferralError::BeforeEpisodeOpened {
                referral: self.referral,
                opened_on: self.opened_on,
                date,
                what,
            });
        }
        Ok(())
    }

    /// Records the "what matters to you" conversation (once).
    ///
    /// # Errors
    /// [`ReferralError::ConversationAlreadyHeld`] if one is recorded; the errors of a
    /// closed episode or a date before it opened.
    pub fn hold_conversation(
        &mut self,
        conversation: WhatMattersConversation,
    ) -> Result<(), ReferralError> {
        self.check_open_on(conversation.held_on, "the conversation")?;
        if let Some(held) = &self.conversation {
            return Err(ReferralError::ConversationAlreadyHeld {
                referral: self.referral,
                held_on: held.held_on,
            });
        }
        self.conversation = Some(conversation);
        Ok(())
    }

    /// Records a contact with the person.
    ///
    /// # Errors
    /// The errors of a closed episode or a date before it opened.
    pub fn record_contact(&mut self, on: NaiveDate) -> Result<(), ReferralError> {
        self.check_open_on(on, "a contact")?;
        self.contacts.push(on);
        Ok(())
    }

    /// Refers the person on to a community activity, after the conversation.
    ///
    /// # Errors
    /// [`ReferralError::NoConversationYet`] before the conversation (or dated before
    /// it); the errors of a closed episode or a date before it opened.
    pub fn refer_on(&mut self, referral: CommunityReferral) -> Result<(), ReferralError> {
        self.check_open_on(referral.on, "an onward referral")?;
        self.after_conversation(referral.on, "an onward referral")?;
        self.onward.push(referral);
        Ok(())
    }

    /// Records the baseline score (replacing an earlier one).
    ///
    /// # Errors
    /// [`ReferralError::ScoreOffScale`] for a score off the measure's scale;
    /// [`ReferralError::ScoresOutOfOrder`] if a follow-up is already recorded before
    /// `on`; the errors of a closed episode or a date before it opened.
    pub fn record_baseline(&mut self, on: NaiveDate, value: i32) -> Result<(), ReferralError> {
        self.check_open_on(on, "a baseline score")?;
        let value = self.measure.check(value)?;
        if let Some(after) = self.follow_up
            && after.on < on
        {
            return Err(ReferralError::ScoresOutOfOrder {
                referral: self.referral,
                baseline: on,
                follow_up: after.on,
            });
        }
        self.baseline = Some(Score { on, value });
        Ok(())
    }

    /// Records the follow-up score (replacing an earlier one), after the baseline
    /// and the conversation.
    ///
    /// # Errors
    /// [`ReferralError::ScoreOffScale`]; [`ReferralError::NoBaselineScore`] before a
    /// baseline; [`ReferralError::ScoresOutOfOrder`] if dated before the baseline;
    /// [`ReferralError::NoConversationYet`]; the errors of a closed episode or a date
    /// before it opened.
    pub fn record_follow_up(&mut self, on: NaiveDate, value: i32) -> Result<(), ReferralError> {
        self.check_open_on(on, "a follow-up score")?;
        let value = self.measure.check(value)?;
        let Some(before) = self.baseline else {
            return Err(ReferralError::NoBaselineScore {
                referral: self.referral,
            });
        };
        if on < before.on {
            return Err(ReferralError::ScoresOutOfOrder {
                referral: self.referral,
                baseline: before.on,
                follow_up: on,
            });
        }
        self.after_conversation(on, "a follow-up score")?;
        self.follow_up = Some(Score { on, value });
        Ok(())
    }

    /// Closes the episode.
    ///
    /// # Errors
    /// The errors of a closed episode or a date before it opened;
    /// [`ReferralError::CloseBeforeLastRecord`] if something is recorded after `on`.
    pub fn close(&mut self, on: NaiveDate) -> Result<(), ReferralError> {
        self.check_open_on(on, "the close")?;
        let last = self
            .contacts
            .iter()
            .copied()
            .chain(self.onward.iter().map(|r| r.on))
            .chain(self.conversation.as_ref().map(|c| c.held_on))
            .chain(self.baseline.map(|s| s.on))
            .chain(self.follow_up.map(|s| s.on))
            .max();
        if let Some(last) = last.filter(|last| *last > on) {
            return Err(ReferralError::CloseBeforeLastRecord {
                referral: self.referral,
                close: on,
                last,
            });
        }
        self.closed_on = Some(on);
        Ok(())
    }

    fn after_conversation(&self, on: NaiveDate, what: &'static str) -> Result<(), ReferralError> {
        match &self.conversation {
            Some(c) if c.held_on <= on => Ok(()),
            _ => Err(ReferralError::NoConversationYet {
                referral: self.referral,
                what,
            }),
        }
    }

    /// The referral to the link worker.
    #[must_use]
    pub const fn referral(&self) -> ReferralId {
        self.referral
    }

    /// The person.
    #[must_use]
    pub const fn patient(&self) -> PatientId {
        self.patient
    }

    /// The link worker.
    #[must_use]
    pub const fn link_worker(&self) -> StaffId {
        self.link_worker
    }

    /// When the episode opened.
    #[must_use]
    pub const fn opened_on(&self) -> NaiveDate {
        self.opened_on
    }

    /// When it closed, if it has.
    #[must_use]
    pub const fn closed_on(&self) -> Option<NaiveDate> {
        self.closed_on
    }

    /// The outcome measure.
    #[must_use]
    pub const fn measure(&self) -> &OutcomeMeasure {
        &self.measure
    }

    /// The conversation, once held.
    #[must_use]
    pub const fn conversation(&self) -> Option<&WhatMattersConversation> {
        self.conversation.as_ref()
    }

    /// The contacts recorded.
    #[must_use]
    pub fn contacts(&self) -> &[NaiveDate] {
        &self.contacts
    }

    /// The onward referrals.
    #[must_use]
    pub fn onward_referrals(&self) -> &[CommunityReferral] {
        &self.onward
    }

    /// The change in score, once both are recorded.
    #[must_use]
    pub fn outcome(&self) -> Option<OutcomeChange> {
        let (before, after) = (self.baseline?, self.follow_up?);
        Some(OutcomeChange {
            before,
            after,
            improvement: self.measure.improvement(before.value, after.value),
        })
    }
}

/// Outcomes across a caseload, for one measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeSummary {
    /// People with both scores.
    pub measured: u32,
    /// Of whom improved.
    pub improved: u32,
    /// Of whom unchanged.
    pub unchanged: u32,
    /// Of whom worse.
    pub worsened: u32,
    /// The mean improvement in scale points (`None` when nobody was measured).
    pub mean_improvement: Option<Rate>,
}

/// A social prescribing link worker's caseload.
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_core::{PatientId, ReferralId, StaffId};
/// use pcn_referral::*;
/// let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
/// let worker = StaffId::from_u128(1);
/// let mut caseload = LinkWorkerCaseload::new(worker, 250)?;
/// let mut episode = SocialPrescribingEpisode::open(
///     ReferralId::from_u128(10), PatientId::from_u128(20), worker, d(4, 1), OutcomeMeasure::wemwbs());
/// episode.record_baseline(d(4, 2), 38)?;
/// episode.hold_conversation(WhatMattersConversation::new(d(4, 2), vec!["company".into()], vec![])?)?;
/// episode.record_follow_up(d(7, 1), 47)?;
/// caseload.take_on(episode)?;
/// let summary = caseload.outcomes(&OutcomeMeasure::wemwbs());
/// assert_eq!((summary.measured, summary.improved), (1, 1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "StoredCaseload")]
pub struct LinkWorkerCaseload {
    link_worker: StaffId,
    annual_capacity: u32,
    episodes: Vec<SocialPrescribingEpisode>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredCaseload {
    link_worker: StaffId,
    annual_capacity: u32,
    #[serde(default)]
    episodes: Vec<SocialPrescribingEpisode>,
}

impl TryFrom<StoredCaseload> for LinkWorkerCaseload {
    type Error = ReferralError;

    fn try_from(stored: StoredCaseload) -> Result<Self, Self::Error> {
        let mut caseload = Self::new(stored.link_worker, stored.annual_capacity)?;
        for episode in stored.episodes {
            caseload.take_on(episode)?;
        }
        Ok(caseload)
    }
}

impl LinkWorkerCaseload {
    /// An empty caseload for a link worker who can take on `annual_capacity` people a
    /// year (a local parameter; 200 to 250 is typical for a full-time post).
    ///
    /// # Errors
    /// [`ReferralError::InvalidCapacity`] if the capacity is 0.
    pub fn new(link_worker: StaffId, annual_capacity: u32) -> Result<Self, ReferralError> {
        if annual_capacity == 0 {
            return Err(ReferralError::InvalidCapacity { link_worker });
        }
        Ok(Self {
            link_worker,
            annual_capacity,
            episodes: Vec::new(),
        })
    }

    /// Takes on an episode.
    ///
    /// # Errors
    /// [`ReferralError::WrongLinkWorker`] if the episode is another link worker's;
    /// [`ReferralError::AlreadyOnCaseload`] if the person already has an open episode
    /// here, or the referral is already on the caseload.
    pub fn take_on(&mut self, episode: SocialPrescribingEpisode) -> Result<(), ReferralError> {
        if episode.link_worker != self.link_worker {
            return Err(ReferralError::WrongLinkWorker {
                episode: episode.link_worker,
                caseload: self.link_worker,
            });
        }
        if self.episodes.iter().any(|e| {
            e.referral == episode.referral
                || (e.patient == episode.patient && e.closed_on.is_none())
        }) {
            return Err(ReferralError::AlreadyOnCaseload {
                referral: episode.referral,
            });
        }
        self.episodes.push(episode);
        Ok(())
    }

    /// The episode for a referral, to record on it.
    pub fn episode_mut(&mut self, referral: ReferralId) -> Option<&mut SocialPrescribingEpisode> {
        self.episodes.iter_mut().find(|e| e.referral == referral)
    }

    /// Every episode.
    #[must_use]
    pub fn episodes(&self) -> &[SocialPrescribingEpisode] {
        &self.episodes
    }

    /// The link worker.
    #[must_use]
    pub const fn link_worker(&self) -> StaffId {
        self.link_worker
    }

    /// The number of people the link worker can take on in a year.
    #[must_use]
    pub const fn annual_capacity(&self) -> u32 {
        self.annual_capacity
    }

    /// How many episodes are open.
    #[must_use]
    pub fn open_episodes(&self) -> usize {
        self.episodes
            .iter()
            .filter(|e| e.closed_on.is_none())
            .count()
    }

    /// How many episodes opened within `period`.
    #[must_use]
    pub fn taken_on_in(&self, period: DateRange) -> usize {
        self.episodes
            .iter()
            .filter(|e| period.contains(e.opened_on))
            .count()
    }

    /// Whether the year starting on `from` has taken on more people than the annual
    /// capacity.
    #[must_use]
    pub fn over_capacity_in_year_from(&self, from: NaiveDate) -> bool {
        let to = from.checked_add_months(chrono::Months::new(12));
        let year = to.map_or(DateRange::starting(from), |to| {
            DateRange::new(from, Some(to)).unwrap_or(DateRange::starting(from))
        });
        self.taken_on_in(year) > self.annual_capacity as usize
    }

    /// Outcomes of every episode scored with `measure` (both scores recorded).
    #[must_use]
    pub fn outcomes(&self, measure: &OutcomeMeasure) -> OutcomeSummary {
        let mut summary = OutcomeSummary {
            measured: 0,
            improved: 0,
            unchanged: 0,
            worsened: 0,
            mean_improvement: None,
        };
        let mut total = 0i64;
        for change in self
            .episodes
            .iter()
            .filter(|e| &e.measure == measure)
            .filter_map(SocialPrescribingEpisode::outcome)
        {
            summary.measured += 1;
            total += i64::from(change.improvement);
            match change.improvement.signum() {
                1 => summary.improved += 1,
                0 => summary.unchanged += 1,
                _ => summary.worsened += 1,
            }
        }
        summary.mean_improvement = Rate::from_ratio(total, i64::from(summary.measured));
        summary
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, m, day).unwrap()
    }

    fn episode(n: u128, measure: OutcomeMeasure) -> SocialPrescribingEpisode {
        SocialPrescribingEpisode::open(
            ReferralId::from_u128(n),
            PatientId::from_u128(n),
            StaffId::from_u128(1),
            d(1, 10),
            measure,
        )
    }

    fn conversation(on: NaiveDate) -> WhatMattersConversation {
        WhatMattersConversation::new(on, vec!["my garden".into()], vec![]).unwrap()
    }

    #[test]
    fn onward_referrals_come_after_the_conversation() {
        let mut e = episode(1, OutcomeMeasure::wemwbs());
        let walk = CommunityReferral {
            activity: ServiceId::from_u128(5),
            area: SupportArea::PhysicalActivity,
            on: d(1, 12),
        };
        assert!(matches!(
            e.refer_on(walk).unwrap_err(),
            ReferralError::NoConversationYet { .. }
        ));
        e.hold_conversation(conversation(d(1, 11))).unwrap();
        e.refer_on(walk).unwrap();
        assert!(e.hold_conversation(conversation(d(1, 13))).is_err());
        assert_eq!(e.onward_referrals().len(), 1);
    }

    #[test]
    fn scores_are_checked_against_the_scale_and_order() {
        let mut e = episode(1, OutcomeMeasure::wemwbs());
        assert!(matches!(
            e.record_baseline(d(1, 10), 13).unwrap_err(),
            ReferralError::ScoreOffScale { .. }
        ));
        assert!(matches!(
            e.record_follow_up(d(2, 1), 50).unwrap_err(),
            ReferralError::NoBaselineScore { .. }
        ));
        e.record_baseline(d(1, 15), 40).unwrap();
        e.hold_conversation(conversation(d(1, 15))).unwrap();
        let before = e.clone();
        assert!(e.record_follow_up(d(1, 14), 50).is_err());
        assert_eq!(e, before);
        e.record_follow_up(d(3, 1), 35).unwrap();
        assert_eq!(e.outcome().unwrap().improvement, -5);
    }

    #[test]
    fn a_lower_is_better_scale_counts_a_fall_as_improvement() {
        let mut e = episode(1, OutcomeMeasure::ons_anxiety());
        e.record_baseline(d(1, 10), 8).unwrap();
        e.hold_conversation(conversation(d(1, 10))).unwrap();
        e.record_follow_up(d(3, 1), 5).unwrap();
        assert_eq!(e.outcome().unwrap().improvement, 3);
    }

    #[test]
    fn a_closed_episode_takes_no_more_records() {
        let mut e = episode(1, OutcomeMeasure::wemwbs());
        e.record_contact(d(1, 20)).unwrap();
        assert!(matches!(
            e.close(d(1, 19)).unwrap_err(),
            ReferralError::CloseBeforeLastRecord { .. }
        ));
        e.close(d(1, 21)).unwrap();
        assert!(matches!(
            e.record_contact(d(1, 22)).unwrap_err(),
            ReferralError::EpisodeClosed { .. }
        ));
        assert!(matches!(
            episode(2, OutcomeMeasure::wemwbs())
                .record_contact(d(1, 1))
                .unwrap_err(),
            ReferralError::BeforeEpisodeOpened { .. }
        ));
    }

    #[test]
    fn the_caseload_refuses_duplicates_and_summarises_outcomes() {
        let mut caseload = LinkWorkerCaseload::new(StaffId::from_u128(1), 2).unwrap();
        assert!(LinkWorkerCaseload::new(StaffId::from_u128(1), 0).is_err());
        for (n, before, after) in [(1, 40, 48), (2, 50, 50), (3, 45, 41)] {
            let mut e = episode(n, OutcomeMeasure::wemwbs());
            e.record_baseline(d(1, 10), before).unwrap();
            e.hold_conversation(conversation(d(1, 10))).unwrap();
            e.record_follow_up(d(4, 10), after).unwrap();
            caseload.take_on(e).unwrap();
        }
        assert!(
            caseload
                .take_on(episode(1, OutcomeMeasure::wemwbs()))
                .is_err()
        );
        let other = SocialPrescribingEpisode::open(
            ReferralId::from_u128(9),
            PatientId::from_u128(9),
            StaffId::from_u128(2),
            d(1, 10),
            OutcomeMeasure::wemwbs(),
        );
        assert!(matches!(
            caseload.take_on(other).unwrap_err(),
            ReferralError::WrongLinkWorker { .. }
        ));
        let summary = caseload.outcomes(&OutcomeMeasure::wemwbs());
        assert_eq!(
            (
                summary.measured,
                summary.improved,
                summary.unchanged,
                summary.worsened
            ),
            (3, 1, 1, 1)
        );
        assert_eq!(summary.mean_improvement.unwrap().to_string(), "1.333333");
        assert!(caseload.over_capacity_in_year_from(d(1, 1)));
        assert_eq!(caseload.open_episodes(), 3);
    }

    #[test]
    fn episodes_and_caseloads_round_trip_and_are_checked_on_the_way_in() {
        let mut e = episode(1, OutcomeMeasure::wemwbs());
        e.record_baseline(d(1, 12), 40).unwrap();
        e.hold_conversation(conversation(d(1, 12))).unwrap();
        e.refer_on(CommunityReferral {
            activity: ServiceId::from_u128(5),
            area: SupportArea::ArtsAndCulture,
            on: d(1, 13),
        })
        .unwrap();
        e.record_contact(d(2, 1)).unwrap();
        e.record_follow_up(d(3, 1), 47).unwrap();
        e.close(d(3, 2)).unwrap();
        let mut caseload = LinkWorkerCaseload::new(StaffId::from_u128(1), 200).unwrap();
        caseload.take_on(e).unwrap();
        let json = serde_json::to_string(&caseload).unwrap();
        let back: LinkWorkerCaseload = serde_json::from_str(&json).unwrap();
        assert_eq!(back, caseload);

        // A stored episode whose follow-up precedes its baseline is refused.
        let tampered = json.replace("\"2024-03-01\"", "\"2024-01-11\"");
        assert!(serde_json::from_str::<LinkWorkerCaseload>(&tampered).is_err());
    }

    #[test]
    fn measures_are_checked_on_the_way_in() {
        let json = r#"{"name":"X","min":5,"max":1,"higher_is_better":true}"#;
        assert!(serde_json::from_str::<OutcomeMeasure>(json).is_err());
        let json = serde_json::to_string(&OutcomeMeasure::swemwbs()).unwrap();
        assert_eq!(
            serde_json::from_str::<OutcomeMeasure>(&json).unwrap(),
            OutcomeMeasure::swemwbs()
        );
    }
}
