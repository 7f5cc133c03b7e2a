//! Patient facts for routing, read from a registered patient and the network registry.

use chrono::NaiveDate;
use pcn_network::Registry;
use pcn_population::Patient;

use crate::{PatientAge, PatientFacts};

impl PatientFacts {
    /// What routing needs to know of `patient` on `date`: their date of birth, the
    /// practice they are registered with that day, that practice's Primary Care
    /// Network that day (from `registry`; none if the practice is unknown to it or in
    /// no PCN), and their recorded conditions.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use pcn_core::{NhsNumber, PatientId, PracticeId};
    /// use pcn_network::Registry;
    /// use pcn_population::{Condition, Patient, Sex};
    /// use pcn_referral::{PatientAge, PatientFacts};
    ///
    /// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    /// let mut patient = Patient::new(PatientId::from_u128(3), NhsNumber::test_number(3).unwrap(), d(1960, 6, 1), Sex::Male);
    /// patient.register(PracticeId::from_u128(1), d(2000, 1, 1))?;
    /// patient.record_condition(Condition::Diabetes.snomed());
    ///
    /// let facts = PatientFacts::from_patient(&patient, d(2024, 5, 1), &Registry::new());
    /// assert_eq!(facts.age, PatientAge::DateOfBirth(d(1960, 6, 1)));
    /// assert_eq!(facts.registered_practice, Some(PracticeId::from_u128(1)));
    /// assert_eq!(facts.registered_network, None); // the practice is not in this registry
    /// assert_eq!(facts.conditions, [Condition::Diabetes.snomed()]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn from_patient(patient: &Patient, date: NaiveDate, registry: &Registry) -> Self {
        let registered_practice = patient.registered_practice_on(date);
        let registered_network = registered_practice
            .and_then(|practice| registry.practice_index_by_id(practice))
            .and_then(|index| registry.pcn_of(index, date))
            .and_then(|index| registry.network(index))
            .map(pcn_network::Network::id);
        Self {
            age: PatientAge::DateOfBirth(patient.date_of_birth()),
            registered_practice,
            registered_network,
            conditions: patient.long_term_conditions().collect(),
        }
    }
}
