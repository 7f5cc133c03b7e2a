//! Personal care and support plans.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use pcn_core::{CarePlanId, PatientId, StaffId};
use serde::{Deserialize, Serialize};

use crate::PopulationError;

/// A goal the person has set, in their words, with an optional target date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    /// The goal ("walk to the shops again").
    pub description: String,
    /// When the person hopes to reach it, if they set a date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_date: Option<NaiveDate>,
}

/// Something a member of the team (or the person) will do, with its owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CareAction {
    /// What will be done ("medication review with the clinical pharmacist").
    pub description: String,
    /// The member of staff who owns it.
    pub owner: StaffId,
    /// When it is due, if it has a date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
}

/// The person's consent, as recorded.
///
/// The 2017 GMS contract asks that people with severe frailty be offered the
/// enriched Summary Care Record, which needs their consent (frailtytoolkit.org GP
/// contract page); consent to share the plan with the wider team is recorded the
/// same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Consent {
    /// Not yet asked.
    NotRecorded,
    /// Given on a date.
    Given {
        /// The day consent was recorded.
        on: NaiveDate,
        /// Whether the person also consented to the enriched Summary Care Record.
        enriched_summary_care_record: bool,
    },
    /// Declined on a date.
    Declined {
        /// The day the decision was recorded.
        on: NaiveDate,
    },
}

/// Everything needed to create a plan; [`CarePlan::new`] checks it.
///
/// The contents follow Transforming Primary Care (2014) for the people with the most
/// complex needs: a personal care and support plan, a named accountable GP, a care
/// coordinator, and same-day telephone consultations when needed; and the "avoiding
/// unplanned admissions" enhanced service (2014): a care plan reviewed regularly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCarePlan {
    /// The plan's id (an idempotency key: the same id is the same plan).
    pub id: CarePlanId,
    /// The person the plan is for.
    pub patient: PatientId,
    /// The day the plan was agreed.
    pub created_on: NaiveDate,
    /// What matters to the person, in their words: at least one entry.
    pub what_matters: Vec<String>,
    /// Their goals.
    pub goals: Vec<Goal>,
    /// Actions with owners.
    pub actions: Vec<CareAction>,
    /// The next review date: not before the day of creation.
    pub review_on: NaiveDate,
    /// Consent as recorded.
    pub consent: Consent,
    /// The named accountable GP.
    pub named_accountable_gp: StaffId,
    /// The care coordinator.
    pub care_coordinator: StaffId,
    /// Other members of the person's care team (the GP, coordinator and action
    /// owners are members already).
    #[serde(default)]
    pub care_team: BTreeSet<StaffId>,
    /// Whether the person may have a same-day telephone consultation when needed.
    pub same_day_telephone_access: bool,
}

/// A personal care and support plan, valid for its whole life: what matters to the
/// person is recorded, goals and actions are described, no date in it falls before
/// the day it was created, and each change is checked before it applies (a rejected
/// change leaves the plan as it was).
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_core::{CarePlanId, PatientId, StaffId};
/// use pcn_population::{CareAction, CarePlan, Consent, NewCarePlan};
/// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
/// let gp = StaffId::from_u128(1);
/// let coordinator = StaffId::from_u128(2);
/// let pharmacist = StaffId::from_u128(3);
/// let mut plan = CarePlan::new(NewCarePlan {
///     id: CarePlanId::from_u128(9),
///     patient: PatientId::from_u128(5),
///     created_on: d(2024, 3, 1),
///     what_matters: vec!["Staying in my own home".into()],
///     goals: vec![],
///     actions: vec![CareAction {
///         description: "Structured medication review".into(),
///         owner: pharmacist,
///         due: Some(d(2024, 4, 1)),
///     }],
///     review_on: d(2024, 6, 1),
///     consent: Consent::Given { on: d(2024, 3, 1), enriched_summary_care_record: true },
///     named_accountable_gp: gp,
///     care_coordinator: coordinator,
///     care_team: Default::default(),
///     same_day_telephone_access: true,
/// })?;
/// assert!(plan.is_in_care_team(pharmacist));
/// assert!(plan.record_review(d(2024, 6, 3), d(2024, 5, 1)).is_err()); // next review in the past
/// plan.record_review(d(2024, 6, 3), d(2024, 9, 3))?;
/// assert_eq!(plan.review_on(), d(2024, 9, 3));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "NewCarePlan", into = "NewCarePlan")]
pub struct CarePlan {
    plan: NewCarePlan,
}

impl TryFrom<NewCarePlan> for CarePlan {
    type Error = PopulationError;

    fn try_from(plan: NewCarePlan) -> Result<Self, Self::Error> {
        Self::new(plan)
    }
}

impl From<CarePlan> for NewCarePlan {
    fn from(plan: CarePlan) -> Self {
        plan.plan
    }
}

impl CarePlan {
    /// Checks and creates a plan.
    ///
    /// # Errors
    /// [`PopulationError::InvalidCarePlan`] naming the plan and what was wrong: no
    /// "what matters" entry, an empty text, or a review, target or due date before
    /// the day of creation.
    pub fn new(plan: NewCarePlan) -> Result<Self, PopulationError> {
        let invalid = |reason: String| PopulationError::InvalidCarePlan {
            plan: plan.id,
            reason,
        };
        if plan.what_matters.is_empty() {
            return Err(invalid(
                "record at least one thing that matters to the person".into(),
            ));
        }
        if plan.what_matters.iter().any(|w| w.trim().is_empty()) {
            return Err(invalid("a \"what matters\" entry is empty".into()));
        }
        if plan.review_on < plan.created_on {
            return Err(invalid(format!(
                "the review date {} is before the plan was created on {}",
                plan.review_on, plan.created_on
            )));
        }
        for goal in &plan.goals {
            check_goal(plan.created_on, goal).map_err(&invalid)?;
        }
        for action in &plan.actions {
            check_action(plan.created_on, action).map_err(&invalid)?;
        }
        Ok(Self { plan })
    }

    fn invalid(&self, reason: String) -> PopulationError {
        PopulationError::InvalidCarePlan {
            plan: self.plan.id,
            reason,
        }
    }

    /// The plan's id.
    #[must_use]
    pub const fn id(&self) -> CarePlanId {
        self.plan.id
    }

    /// The person the plan is for.
    #[must_use]
    pub const fn patient(&self) -> PatientId {
        self.plan.patient
    }

    /// The day the plan was agreed.
    #[must_use]
    pub const fn created_on(&self) -> NaiveDate {
        self.plan.created_on
    }

    /// What matters to the person.
    #[must_use]
    pub fn what_matters(&self) -> &[String] {
        &self.plan.what_matters
    }

    /// The person's goals.
    #[must_use]
    pub fn goals(&self) -> &[Goal] {
        &self.plan.goals
    }

    /// The actions, with their owners.
    #[must_use]
    pub fn actions(&self) -> &[CareAction] {
        &self.plan.actions
    }

    /// The next review date.
    #[must_use]
    pub const fn review_on(&self) -> NaiveDate {
        self.plan.review_on
    }

    /// Consent as recorded.
    #[must_use]
    pub const fn consent(&self) -> Consent {
        self.plan.consent
    }

    /// The named accountable GP.
    #[must_use]
    pub const fn named_accountable_gp(&self) -> StaffId {
        self.plan.named_accountable_gp
    }

    /// The care coordinator.
    #[must_use]
    pub const fn care_coordinator(&self) -> StaffId {
        self.plan.care_coordinator
    }

    /// Whether the person may have a same-day telephone consultation when needed.
    #[must_use]
    pub const fn same_day_telephone_access(&self) -> bool {
        self.plan.same_day_telephone_access
    }

    /// The whole care team: the named GP, the care coordinator, every action owner
    /// and the other members recorded.
    #[must_use]
    pub fn care_team(&self) -> BTreeSet<StaffId> {
        let mut team = self.plan.care_team.clone();
        team.insert(self.plan.named_accountable_gp);
        team.insert(self.plan.care_coordinator);
        team.extend(self.plan.actions.iter().map(|a| a.owner));
        team
    }

    /// Whether `staff` is in the care team.
    #[must_use]
    pub fn is_in_care_team(&self, staff: StaffId) -> bool {
        staff == self.plan.named_accountable_gp
            || staff == self.plan.care_coordinator
            || self.plan.care_team.contains(&staff)
            || self.plan.actions.iter().any(|a| a.owner == staff)
    }

    /// Adds a goal.
    ///
    /// # Errors
    /// [`PopulationError::InvalidCarePlan`] if the description is empty or the target
    /// date is before the plan was created; the plan is then unchanged.
    pub fn add_goal(&mut self, goal: Goal) -> Result<(), PopulationError> {
        check_goal(self.plan.created_on, &goal).map_err(|r| self.invalid(r))?;
        self.plan.goals.push(goal);
        Ok(())
    }

    /// Adds an action.
    ///
    /// # Errors
    /// [`PopulationError::InvalidCarePlan`] if the description is empty or the due
    /// date is before the plan was created; the plan is then unchanged.
    pub fn add_action(&mut self, action: CareAction) -> Result<(), PopulationError> {
        check_action(self.plan.created_on, &action).map_err(|r| self.invalid(r))?;
        self.plan.actions.push(action);
        Ok(())
    }

    /// Adds a member to the care team.
    pub fn add_to_care_team(&mut self, staff: StaffId) {
        self.plan.care_team.insert(staff);
    }

    /// Records a review held on `held_on` and sets the next one.
    ///
    /// # Errors
    /// [`PopulationError::InvalidCarePlan`] if the review was held before the plan was
    /// created, or the next review is not after the one held; the plan is then
    /// unchanged.
    pub fn record_review(
        &mut self,
        held_on: NaiveDate,
        next_review_on: NaiveDate,
    ) -> Result<(), PopulationError> {
        if held_on < self.plan.created_on {
            return Err(self.invalid(format!(
                "a review on {held_on} is before the plan was created on {}",
                self.plan.created_on
            )));
        }
        if next_review_on <= held_on {
            return Err(self.invalid(format!(
                "the next review on {next_review_on} must be after the review held on {held_on}"
            )));
        }
        self.plan.review_on = next_review_on;
        Ok(())
    }

    /// Records the person's consent (or its refusal).
    pub fn set_consent(&mut self, consent: Consent) {
        self.plan.consent = consent;
    }

    /// Hands the named accountable GP role to another GP.
    pub fn set_named_accountable_gp(&mut self, gp: StaffId) {
        self.plan.named_accountable_gp = gp;
    }

    /// Hands care coordination to another member of staff.
    pub fn set_care_coordinator(&mut self, coordinator: StaffId) {
        self.plan.care_coordinator = coordinator;
    }

    /// Grants or withdraws same-day telephone access.
    pub fn set_same_day_telephone_access(&mut self, value: bool) {
        self.plan.same_day_telephone_access = value;
    }
}

fn check_goal(created_on: NaiveDate, goal: &Goal) -> Result<(), String> {
    if goal.description.trim().is_empty() {
        return Err("a goal has no description".into());
    }
    match goal.target_date {
        Some(date) if date < created_on => Err(format!(
            "goal {:?} has a target date {date} before the plan was created on {created_on}",
            goal.description
        )),
        _ => Ok(()),
    }
}

fn check_action(created_on: NaiveDate, action: &CareAction) -> Result<(), String> {
    if action.description.trim().is_empty() {
        return Err("an action has no description".into());
    }
    match action.due {
        Some(date) if date < created_on => Err(format!(
            "action {:?} is due on {date}, before the plan was created on {created_on}",
            action.description
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn draft() -> NewCarePlan {
        NewCarePlan {
            id: CarePlanId::from_u128(1),
            patient: PatientId::from_u128(2),
            created_on: d(2024, 1, 10),
            what_matters: vec!["Seeing my grandchildren".into()],
            goals: vec![Goal {
                description: "Walk to the park".into(),
                target_date: Some(d(2024, 5, 1)),
            }],
            actions: vec![],
            review_on: d(2024, 4, 10),
            consent: Consent::NotRecorded,
            named_accountable_gp: StaffId::from_u128(10),
            care_coordinator: StaffId::from_u128(11),
            care_team: BTreeSet::new(),
            same_day_telephone_access: true,
        }
    }

    #[test]
    fn a_review_date_before_creation_is_rejected() {
        let mut bad = draft();
        bad.review_on = d(2024, 1, 9);
        let err = CarePlan::new(bad).unwrap_err();
        assert!(err.to_string().contains("2024-01-09"), "{err}");
        let mut same_day = draft();
        same_day.review_on = d(2024, 1, 10);
        assert!(CarePlan::new(same_day).is_ok());
    }

    #[test]
    fn empty_or_misdated_contents_are_rejected() {
        let mut no_matters = draft();
        no_matters.what_matters.clear();
        assert!(CarePlan::new(no_matters).is_err());
        let mut blank = draft();
        blank.what_matters.push("  ".into());
        assert!(CarePlan::new(blank).is_err());
        let mut early_goal = draft();
        early_goal.goals[0].target_date = Some(d(2023, 1, 1));
        assert!(CarePlan::new(early_goal).is_err());
    }

    #[test]
    fn rejected_changes_leave_the_plan_as_it_was() {
        let mut plan = CarePlan::new(draft()).unwrap();
        let before = plan.clone();
        assert!(
            plan.add_action(CareAction {
                description: "Falls assessment".into(),
                owner: StaffId::from_u128(12),
                due: Some(d(2023, 12, 1)),
            })
            .is_err()
        );
        assert!(
            plan.add_goal(Goal {
                description: String::new(),
                target_date: None
            })
            .is_err()
        );
        assert!(plan.record_review(d(2024, 1, 1), d(2024, 6, 1)).is_err());
        assert!(plan.record_review(d(2024, 4, 10), d(2024, 4, 10)).is_err());
        assert_eq!(plan, before);
    }

    #[test]
    fn the_care_team_includes_gp_coordinator_and_owners() {
        let mut plan = CarePlan::new(draft()).unwrap();
        let owner = StaffId::from_u128(12);
        assert!(!plan.is_in_care_team(owner));
        plan.add_action(CareAction {
            description: "Falls assessment".into(),
            owner,
            due: None,
        })
        .unwrap();
        assert!(plan.is_in_care_team(owner));
        assert_eq!(plan.care_team().len(), 3);
    }

    #[test]
    fn serde_round_trips_and_checks() {
        let plan = CarePlan::new(draft()).unwrap();
        let json = serde_json::to_string(&plan).unwrap();
        assert_eq!(serde_json::from_str::<CarePlan>(&json).unwrap(), plan);
        let bad = json.replace(
            "\"review_on\":\"2024-04-10\"",
            "\"review_on\":\"2020-01-01\"",
        );
        assert!(serde_json::from_str::<CarePlan>(&bad).is_err());
    }
}
