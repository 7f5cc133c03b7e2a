//! From a registered patient to the needs a caseload must cover.

use chrono::NaiveDate;
use pcn_population::{Condition, FrailtyBand, Patient, StratificationRules};
use serde::{Deserialize, Serialize};

use crate::{CaseloadPatient, ExistingCare, Locality, Skill, SkillSet, TeamError};

/// How a patient's recorded conditions and circumstances become the skills their key
/// worker must have.
///
/// No published mapping from conditions to community skills was found, so this is a
/// policy the caller owns. [`NeedsPolicy::default`] is this crate's documented
/// starting point, drawn from the skills the domain reference gives Buurtzorg nurses
/// (diabetes monitoring, wound care, end-of-life care; `workforce.md`) and from the
/// roles the network contract adds for long-term conditions (structured medication
/// review by clinical pharmacists for people with multiple conditions; frailty
/// assessment for moderate and severe frailty, as the GMS contract asks from 2017):
///
/// | circumstance | skills needed |
/// |---|---|
/// | diabetes | diabetes monitoring |
/// | dementia | frailty assessment |
/// | depression | mental health assessment |
/// | cancer | end-of-life care is *not* assumed; none |
/// | multimorbidity (three or more curated conditions) | medication review |
/// | moderate or severe frailty (Clegg 2016 cut points) | frailty assessment |
/// | housebound or care home resident | home visits |
/// | carer | social needs assessment |
///
/// Multimorbidity and the frailty bands are decided by the population's
/// [`StratificationRules`] (their defaults in the table), so that the team and the
/// stratification count the same people.
///
/// Serde uses the fields below; `by_condition` is a list of `[condition, skills]` pairs.
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_core::{NhsNumber, PatientId, PracticeId, SnomedCode};
/// use pcn_population::{Condition, Patient, Sex};
/// use pcn_team::{CaseloadPatient, ExistingCare, Locality, NeedsPolicy, Skill};
///
/// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
/// let practice = PracticeId::from_u128(1);
/// let mut patient = Patient::new(PatientId::from_u128(7), NhsNumber::test_number(7).unwrap(), d(1940, 5, 1), Sex::Female);
/// patient.register(practice, d(1990, 1, 1))?;
/// patient.record_condition(Condition::Diabetes.snomed());
/// patient.set_housebound(true);
///
/// let policy = NeedsPolicy::default();
/// let entry = CaseloadPatient::from_patient(&patient, d(2024, 4, 1), &policy, true, Locality::new(1), ExistingCare::default())?;
/// assert_eq!(entry.practice, practice);
/// assert!(entry.needs.contains(Skill::DiabetesMonitoring));
/// assert!(entry.needs.contains(Skill::HomeVisits));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedsPolicy {
    /// Skills needed because of a recorded condition.
    pub by_condition: Vec<(Condition, SkillSet)>,
    /// Skills needed by anyone with multimorbidity under `rules`.
    pub multimorbidity: SkillSet,
    /// Skills needed with moderate or severe frailty under `rules`.
    pub frailty: SkillSet,
    /// The rules that decide multimorbidity and the frailty bands (their
    /// `multimorbidity_from` and `cut_points`).
    pub rules: StratificationRules,
    /// Skills needed by people who are housebound or live in a care home.
    pub housebound: SkillSet,
    /// Skills needed by carers.
    pub carer: SkillSet,
}

impl Default for NeedsPolicy {
    fn default() -> Self {
        Self {
            by_condition: vec![
                (Condition::Diabetes, SkillSet::of(Skill::DiabetesMonitoring)),
                (Condition::Dementia, SkillSet::of(Skill::FrailtyAssessment)),
                (
                    Condition::Depression,
                    SkillSet::of(Skill::MentalHealthAssessment),
                ),
            ],
            multimorbidity: SkillSet::of(Skill::MedicationReview),
            frailty: SkillSet::of(Skill::FrailtyAssessment),
            rules: StratificationRules::default(),
            housebound: SkillSet::of(Skill::HomeVisits),
            carer: SkillSet::of(Skill::SocialNeedsAssessment),
        }
    }
}

impl NeedsPolicy {
    /// The skills a patient's key worker must have.
    #[must_use]
    pub fn needs_of(&self, patient: &Patient) -> SkillSet {
        let conditions = patient.conditions();
        let mut needs = self
            .by_condition
            .iter()
            .filter(|(condition, _)| conditions.contains(*condition))
            .fold(SkillSet::EMPTY, |acc, (_, skills)| acc.union(*skills));
        if self.rules.is_multimorbid(conditions) {
            needs = needs.union(self.multimorbidity);
        }
        if matches!(
            patient.frailty_index().band(&self.rules.cut_points),
            FrailtyBand::Moderate | FrailtyBand::Severe
        ) {
            needs = needs.union(self.frailty);
        }
        if patient.is_housebound() || patient.is_care_home_resident() {
            needs = needs.union(self.housebound);
        }
        if patient.is_carer() {
            needs = needs.union(self.carer);
        }
        needs
    }
}

impl CaseloadPatient {
    /// The caseload entry for a registered patient on `date`: their practice on that
    /// day, the needs `policy` gives them, and what the caller knows of their
    /// complexity, locality and current care.
    ///
    /// # Errors
    /// [`TeamError::PatientNotRegistered`] if the patient is not registered with a
    /// practice on `date`.
    pub fn from_patient(
        patient: &Patient,
        date: NaiveDate,
        policy: &NeedsPolicy,
        complex: bool,
        locality: Locality,
        existing: ExistingCare,
    ) -> Result<Self, TeamError> {
        let practice =
            patient
                .registered_practice_on(date)
                .ok_or(TeamError::PatientNotRegistered {
                    patient: patient.id(),
                    date,
                })?;
        Ok(Self {
            patient: patient.id(),
            practice,
            needs: policy.needs_of(patient),
            complex,
            locality,
            existing,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pcn_core::{NhsNumber, PatientId, PracticeId};
    use pcn_population::{FrailtyDeficit, Sex};
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn patient() -> Patient {
        let mut p = Patient::new(
            PatientId::from_u128(1),
            NhsNumber::test_number(1).unwrap(),
            d(1935, 1, 1),
            Sex::Male,
        );
        p.register(PracticeId::from_u128(9), d(2000, 1, 1)).unwrap();
        p
    }

    #[test]
    fn an_unregistered_patient_is_refused_with_the_date() {
        let p = patient();
        let err = CaseloadPatient::from_patient(
            &p,
            d(1999, 1, 1),
            &NeedsPolicy::default(),
            false,
            Locality::new(0),
            ExistingCare::default(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("1999-01-01"), "{err}");
    }

    #[test]
    fn multimorbidity_and_frailty_add_their_skills() {
        let mut p = patient();
        let policy = NeedsPolicy::default();
        assert!(policy.needs_of(&p).is_empty());
        for condition in [
            Condition::Diabetes,
            Condition::Dementia,
            Condition::Depression,
        ] {
            p.record_condition(condition.snomed());
        }
        let needs = policy.needs_of(&p);
        assert!(needs.contains(Skill::MedicationReview));
        assert!(needs.contains(Skill::MentalHealthAssessment));
        let mut frail = patient();
        for deficit in FrailtyDeficit::ALL.iter().take(10) {
            frail.record_deficit(*deficit);
        }
        assert!(policy.needs_of(&frail).contains(Skill::FrailtyAssessment));
    }

    #[test]
    fn multimorbidity_is_the_population_rules_call() {
        let mut p = patient();
        p.record_condition(Condition::Asthma.snomed());
        p.record_condition(Condition::Epilepsy.snomed());
        let mut policy = NeedsPolicy::default();
        assert!(!policy.needs_of(&p).contains(Skill::MedicationReview));
        policy.rules.multimorbidity_from = 2;
        assert!(policy.needs_of(&p).contains(Skill::MedicationReview));
    }

    proptest! {
        #[test]
        fn more_circumstances_never_need_fewer_skills(
            flags in prop::collection::vec(any::<bool>(), 3),
            conditions in prop::sample::subsequence(Condition::ALL.to_vec(), 0..6),
            extra in prop::sample::select(Condition::ALL.to_vec()),
        ) {
            let policy = NeedsPolicy::default();
            let mut p = patient();
            p.set_housebound(flags[0]);
            p.set_carer(flags[1]);
            p.set_care_home_resident(flags[2]);
            for c in &conditions {
                p.record_condition(c.snomed());
            }
            let before = policy.needs_of(&p);
            p.record_condition(extra.snomed());
            prop_assert!(policy.needs_of(&p).is_superset(before));
        }
    }
}
