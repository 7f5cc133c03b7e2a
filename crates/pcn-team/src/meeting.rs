//! Multidisciplinary team meetings: who is reviewed, who attends, what is decided and
//! who does what by when.

use std::collections::HashSet;

use chrono::NaiveDate;
use pcn_core::{MeetingId, PatientId, StaffId, TeamId};
use serde::{Deserialize, Serialize};

use crate::{TeamError, Workforce};

/// A patient on a meeting's case review list, with why they are there.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CaseReview {
    /// The patient.
    pub patient: PatientId,
    /// Why they are reviewed (for example "severe frailty, eFI 0.41").
    pub reason: String,
}

/// A patient the caller's criterion picked for review, with how urgently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewCandidate<K> {
    /// The patient.
    pub patient: PatientId,
    /// How urgently they should be reviewed: higher comes first.
    pub priority: K,
    /// Why they are picked, in words.
    pub reason: String,
}

/// Builds a case review list: the patients `criterion` picks, most urgent first, at
/// most `limit` of them.
///
/// The criterion is the caller's (a risk score, a frailty category, a recent
/// admission, a care plan due for review): it returns a [`ReviewCandidate`] for each
/// patient to consider and `None` for the rest. Ties in priority are broken by patient
/// id so the list is the same on every run; a patient picked twice is listed once, at
/// their highest priority.
///
/// ```
/// use pcn_core::PatientId;
/// use pcn_team::{case_review_list, ReviewCandidate};
///
/// // (patient, electronic Frailty Index score in hundredths)
/// let register = [(1u128, 41u32), (2, 12), (3, 37), (4, 55)];
/// let list = case_review_list(register, 2, |&(id, efi)| {
///     (efi > 36).then(|| ReviewCandidate {
///         patient: PatientId::from_u128(id),
///         priority: efi,
///         reason: format!("severe frailty, eFI 0.{efi}"),
///     })
/// });
/// let ids: Vec<_> = list.iter().map(|c| c.patient).collect();
/// assert_eq!(ids, [PatientId::from_u128(4), PatientId::from_u128(1)]);
/// ```
pub fn case_review_list<T, K: Ord>(
    candidates: impl IntoIterator<Item = T>,
    limit: usize,
    mut criterion: impl FnMut(&T) -> Option<ReviewCandidate<K>>,
) -> Vec<CaseReview> {
    let mut picked: Vec<ReviewCandidate<K>> = candidates
        .into_iter()
        .filter_map(|c| criterion(&c))
        .collect();
    picked.sort_by(|a, b| b.priority.cmp(&a.priority).then(a.patient.cmp(&b.patient)));
    let mut seen = HashSet::new();
    picked
        .into_iter()
        .filter(|c| seen.insert(c.patient))
        .take(limit)
        .map(|c| CaseReview {
            patient: c.patient,
            reason: c.reason,
        })
        .collect()
}

/// A decision the meeting took, about one patient or about the team's work.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Decision {
    /// The patient it is about, if any (they are on the review list).
    pub patient: Option<PatientId>,
    /// What was decided.
    pub text: String,
}

/// An action agreed at the meeting: what, who, by when.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Action {
    /// The action's number within the meeting, from 1.
    pub number: u32,
    /// The patient it is about, if any (they are on the review list).
    pub patient: Option<PatientId>,
    /// What is to be done.
    pub description: String,
    /// Who does it.
    pub owner: StaffId,
    /// By when (on or after the meeting).
    pub due: NaiveDate,
    /// When it was done, once done.
    pub completed_on: Option<NaiveDate>,
}

impl Action {
    /// Whether the action is still open after `date` although due by then.
    #[must_use]
    pub fn is_overdue_on(&self, date: NaiveDate) -> bool {
        self.due < date && self.completed_on.is_none_or(|done| done > date)
    }
}

/// A multidisciplinary team meeting: its case review list, attendees, decisions and
/// actions.
///
/// Planned with [`MdtMeeting::new`] (the team and attendees must be in the
/// workforce), then filled in: decisions and actions about a patient need that
/// patient on the review list, and every action has an owner from the workforce and
/// a due date no earlier than the meeting.
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_core::{MeetingId, NetworkId, Party, PatientId, PracticeId, Role, StaffId, TeamId, Timeline, Wte};
/// use pcn_team::*;
///
/// let day = NaiveDate::from_ymd_opt(2024, 6, 4).ok_or("date")?;
/// let gp = StaffId::from_u128(1);
/// let mut workforce = Workforce::new();
/// workforce.add_staff(StaffMember::new(StaffRecord {
///     id: gp,
///     name: "Dr Rao".into(),
///     role: Role::Gp,
///     registration: Some(RegistrationNumber::for_role(Role::Gp, "7654321")?),
///     employer: Party::Practice(PracticeId::from_u128(3)),
///     contracted_wte: Timeline::starting(day, Wte::FULL_TIME),
///     skills: SkillSet::EMPTY,
/// })?)?;
/// let team = TeamId::from_u128(2);
/// workforce.add_team(Team::new(team, "MDT", TeamHost::PrimaryCareNetwork(NetworkId::from_u128(9)), TeamKind::Multidisciplinary)?)?;
///
/// let patient = PatientId::from_u128(50);
/// let review = vec![CaseReview { patient, reason: "two admissions in 90 days".into() }];
/// let mut meeting = MdtMeeting::new(&workforce, MeetingId::from_u128(7), team, day, vec![gp], review)?;
/// meeting.record_decision(Some(patient), "Start a personalised care and support plan")?;
/// let number = meeting.add_action(&workforce, Some(patient), "Book a home visit", gp, day + chrono::Days::new(7))?;
/// assert!(meeting.actions()[0].is_overdue_on(day + chrono::Days::new(8)));
/// meeting.complete_action(number, day + chrono::Days::new(5))?;
/// assert_eq!(meeting.open_actions().count(), 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "UncheckedMeeting")]
pub struct MdtMeeting {
    id: MeetingId,
    team: TeamId,
    date: NaiveDate,
    attendees: Vec<StaffId>,
    case_review: Vec<CaseReview>,
    decisions: Vec<Decision>,
    actions: Vec<Action>,
}

/// The serde form of a meeting before its checks.
#[derive(Deserialize)]
struct UncheckedMeeting {
    id: MeetingId,
    team: TeamId,
    date: NaiveDate,
    attendees: Vec<StaffId>,
    case_review: Vec<CaseReview>,
    decisions: Vec<Decision>,
    actions: Vec<Action>,
}

impl TryFrom<UncheckedMeeting> for MdtMeeting {
    type Error = TeamError;

    fn try_from(u: UncheckedMeeting) -> Result<Self, Self::Error> {
        let mut meeting = Self::planned(u.id, u.team, u.date, u.attendees, u.case_review)?;
        for decision in u.decisions {
            meeting.record_decision(decision.patient, decision.text)?;
        }
        for action in u.actions {
            meeting.check_action(action.patient, &action.description, action.due)?;
            if meeting.actions.iter().any(|a| a.number == action.number) || action.number == 0 {
                return Err(TeamError::InvalidParameter {
                    parameter: "action number",
                    value: action.number.to_string(),
                    reason: "action numbers start at 1 and are unique within a meeting",
                });
            }
            if let Some(done) = action.completed_on
                && done < meeting.date
            {
                return Err(TeamError::CompletedBeforeAgreed {
                    number: action.number,
                    meeting: meeting.date,
                    on: done,
                });
            }
            meeting.actions.push(action);
        }
        Ok(meeting)
    }
}

impl MdtMeeting {
    /// Plans a meeting of `team` on `date`.
    ///
    /// # Errors
    /// [`TeamError::UnknownTeam`] or [`TeamError::UnknownStaff`] for ids not in the
    /// workforce; [`TeamError::NoAttendees`], [`TeamError::DuplicateAttendee`],
    /// [`TeamError::DuplicateReview`] or [`TeamError::EmptyText`] for a blank reason.
    pub fn new(
        workforce: &Workforce,
        id: MeetingId,
        team: TeamId,
        date: NaiveDate,
        attendees: Vec<StaffId>,
        case_review: Vec<CaseReview>,
    ) -> Result<Self, TeamError> {
        if workforce.team(team).is_none() {
            return Err(TeamError::UnknownTeam { team });
        }
        if let Some(&staff) = attendees.iter().find(|s| workforce.staff(**s).is_none()) {
            return Err(TeamError::UnknownStaff { staff });
        }
        Self::planned(id, team, date, attendees, case_review)
    }

    fn planned(
        id: MeetingId,
        team: TeamId,
        date: NaiveDate,
        attendees: Vec<StaffId>,
        case_review: Vec<CaseReview>,
    ) -> Result<Self, TeamError> {
        if attendees.is_empty() {
            return Err(TeamError::NoAttendees);
        }
        let mut seen = HashSet::new();
        if let Some(&staff) = attendees.iter().find(|s| !seen.insert(**s)) {
            return Err(TeamError::DuplicateAttendee { staff });
        }
        let mut reviewed = HashSet::new();
        for review in &case_review {
            if !reviewed.insert(review.patient) {
                return Err(TeamError::DuplicateReview {
                    patient: review.patient,
                });
            }
            if review.reason.trim().is_empty() {
                return Err(TeamError::EmptyText {
                    what: "reason for case review",
                });
            }
        }
        Ok(Self {
            id,
            team,
            date,
            attendees,
            case_review,
            decisions: Vec::new(),
            actions: Vec::new(),
        })
    }

    /// The meeting's id.
    #[must_use]
    pub const fn id(&self) -> MeetingId {
        self.id
    }

    /// The team meeting.
    #[must_use]
    pub const fn team(&self) -> TeamId {
        self.team
    }

    /// The day of the meeting.
    #[must_use]
    pub const fn date(&self) -> NaiveDate {
        self.date
    }

    /// Who attends.
    #[must_use]
    pub fn attendees(&self) -> &[StaffId] {
        &self.attendees
    }

    /// The case review list, in order.
    #[must_use]
    pub fn case_review(&self) -> &[CaseReview] {
        &self.case_review
    }

    /// The decisions, in the order taken.
    #[must_use]
    pub fn decisions(&self) -> &[Decision] {
        &self.decisions
    }

    /// The actions, in the order agreed.
    #[must_use]
    pub fn actions(&self) -> &[Action] {
        &self.actions
    }

    /// The actions not yet done.
    pub fn open_actions(&self) -> impl Iterator<Item = &Action> {
        self.actions.iter().filter(|a| a.completed_on.is_none())
    }

    fn check_patient(&self, patient: Option<PatientId>) -> Result<(), TeamError> {
        match patient {
            Some(p) if !self.case_review.iter().any(|r| r.patient == p) => {
                Err(TeamError::NotOnReviewList { patient: p })
            }
            _ => Ok(()),
        }
    }

    fn check_action(
        &self,
        patient: Option<PatientId>,
        description: &str,
        due: NaiveDate,
    ) -> Result<(), TeamError> {
        self.check_patient(patient)?;
        if description.trim().is_empty() {
            return Err(TeamError::EmptyText {
                what: "action description",
            });
        }
        if due < self.date {
            return Err(TeamError::DueBeforeMeeting {
                meeting: self.date,
                due,
            });
        }
        Ok(())
    }

    /// Records a decision, about a patient on the review list or (with `None`) about
    /// the team's work.
    ///
    /// # Errors
    /// [`TeamError::NotOnReviewList`]; [`TeamError::EmptyText`] for a blank decision.
    pub fn record_decision(
        &mut self,
        patient: Option<PatientId>,
        text: impl Into<String>,
    ) -> Result<(), TeamError> {
        self.check_patient(patient)?;
        let text = text.into();
        if text.trim().is_empty() {
            return Err(TeamError::EmptyText { what: "decision" });
        }
        self.decisions.push(Decision { patient, text });
        Ok(())
    }

    /// Records an action and returns its number.
    ///
    /// # Errors
    /// [`TeamError::UnknownStaff`] if the owner is not in the workforce;
    /// [`TeamError::NotOnReviewList`]; [`TeamError::EmptyText`];
    /// [`TeamError::DueBeforeMeeting`].
    pub fn add_action(
        &mut self,
        workforce: &Workforce,
        patient: Option<PatientId>,
        description: impl Into<String>,
        owner: StaffId,
        due: NaiveDate,
    ) -> Result<u32, TeamError> {
        if workforce.staff(owner).is_none() {
            return Err(TeamError::UnknownStaff { staff: owner });
        }
        let description = description.into();
        self.check_action(patient, &description, due)?;
        let number = self
            .actions
            .iter()
            .map(|a| a.number)
            .max()
            .unwrap_or(0)
            .saturating_add(1);
        self.actions.push(Action {
            number,
            patient,
            description,
            owner,
            due,
            completed_on: None,
        });
        Ok(number)
    }

    /// Marks an action done on `on`.
    ///
    /// # Errors
    /// [`TeamError::UnknownAction`]; [`TeamError::CompletedBeforeAgreed`] if `on` is
    /// before the meeting.
    pub fn complete_action(&mut self, number: u32, on: NaiveDate) -> Result<(), TeamError> {
        let meeting = self.date;
        let action = self
            .actions
            .iter_mut()
            .find(|a| a.number == number)
            .ok_or(TeamError::UnknownAction { number })?;
        if on < meeting {
            return Err(TeamError::CompletedBeforeAgreed {
                number,
                meeting,
                on,
            });
        }
        action.completed_on = Some(on);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 6, day).unwrap()
    }

    fn meeting() -> MdtMeeting {
        MdtMeeting::planned(
            MeetingId::from_u128(1),
            TeamId::from_u128(2),
            d(10),
            vec![StaffId::from_u128(3), StaffId::from_u128(4)],
            vec![CaseReview {
                patient: PatientId::from_u128(5),
                reason: "high risk".into(),
            }],
        )
        .unwrap()
    }

    #[test]
    fn planning_rejects_bad_lists() {
        let planned = |attendees: Vec<u128>, reviews: Vec<(u128, &str)>| {
            MdtMeeting::planned(
                MeetingId::from_u128(1),
                TeamId::from_u128(2),
                d(10),
                attendees.into_iter().map(StaffId::from_u128).collect(),
                reviews
                    .into_iter()
                    .map(|(p, r)| CaseReview {
                        patient: PatientId::from_u128(p),
                        reason: r.into(),
                    })
                    .collect(),
            )
        };
        assert_eq!(planned(vec![], vec![]), Err(TeamError::NoAttendees));
        assert!(matches!(
            planned(vec![1, 1], vec![]),
            Err(TeamError::DuplicateAttendee { .. })
        ));
        assert!(matches!(
            planned(vec![1], vec![(5, "a"), (5, "b")]),
            Err(TeamError::DuplicateReview { .. })
        ));
        assert!(matches!(
            planned(vec![1], vec![(5, " ")]),
            Err(TeamError::EmptyText { .. })
        ));
    }

    #[test]
    fn decisions_and_actions_are_checked() {
        let mut m = meeting();
        assert!(matches!(
            m.record_decision(Some(PatientId::from_u128(6)), "x"),
            Err(TeamError::NotOnReviewList { .. })
        ));
        m.record_decision(None, "Review the team's wound care training")
            .unwrap();
        assert!(matches!(
            m.check_action(None, "Call the family", d(9)),
            Err(TeamError::DueBeforeMeeting { .. })
        ));
        assert!(matches!(
            m.complete_action(1, d(11)),
            Err(TeamError::UnknownAction { number: 1 })
        ));
    }

    #[test]
    fn serde_round_trips_and_checks() {
        let mut m = meeting();
        m.record_decision(Some(PatientId::from_u128(5)), "Refer to frailty clinic")
            .unwrap();
        m.actions.push(Action {
            number: 1,
            patient: Some(PatientId::from_u128(5)),
            description: "Refer".into(),
            owner: StaffId::from_u128(3),
            due: d(12),
            completed_on: None,
        });
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(serde_json::from_str::<MdtMeeting>(&json).unwrap(), m);
        let early = json.replace("2024-06-12", "2024-06-01");
        assert!(serde_json::from_str::<MdtMeeting>(&early).is_err());
    }

    #[test]
    fn overdue_means_due_before_the_day_and_not_done_by_it() {
        let action = Action {
            number: 1,
            patient: None,
            description: "x".into(),
            owner: StaffId::from_u128(3),
            due: d(12),
            completed_on: Some(d(14)),
        };
        assert!(!action.is_overdue_on(d(12)));
        assert!(action.is_overdue_on(d(13)));
        assert!(!action.is_overdue_on(d(14)));
    }

    #[test]
    fn review_list_is_ordered_limited_and_deduplicated() {
        let list = case_review_list(
            [(1u128, 5), (2, 9), (1, 7), (3, 9), (4, 1)],
            3,
            |&(p, k)| {
                Some(ReviewCandidate {
                    patient: PatientId::from_u128(p),
                    priority: k,
                    reason: format!("score {k}"),
                })
            },
        );
        let got: Vec<_> = list
            .iter()
            .map(|c| (c.patient, c.reason.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (PatientId::from_u128(2), "score 9"),
                (PatientId::from_u128(3), "score 9"),
                (PatientId::from_u128(1), "score 7"),
            ]
        );
    }
}
