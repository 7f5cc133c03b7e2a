//! Patients: who they are, where they are registered, what they live with.

use std::collections::BTreeSet;
use std::fmt;

use chrono::NaiveDate;
use pcn_core::{NhsNumber, PatientId, PracticeId, SnomedCode, Timeline};
use serde::{Deserialize, Serialize};

use crate::{
    Condition, ConditionSet, DeficitSet, FrailtyDeficit, FrailtyIndex, HomeArea, PopulationError,
    RiskProfile,
};

/// A patient's administrative sex, as FHIR's `AdministrativeGender` codes it
/// (`male`, `female`, `other`, `unknown`), so that records map both ways.
///
/// NHS Digital's list-size publications count `Male` and `Female`; the other two
/// codes exist in records and are kept rather than guessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum Sex {
    /// Female.
    Female,
    /// Male.
    Male,
    /// Other.
    Other,
    /// Not known.
    Unknown,
}

impl Sex {
    /// The four codes, in a fixed order.
    pub const ALL: [Sex; 4] = [Self::Female, Self::Male, Self::Other, Self::Unknown];

    /// The FHIR code.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Female => "female",
            Self::Male => "male",
            Self::Other => "other",
            Self::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Sex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A registered patient, as the network's population-health work sees them.
///
/// - **Identity**: a [`PatientId`] (the pseudonymous key other crates use) and the
///   [`NhsNumber`] (personal data, kept on the record, never a key).
/// - **Registration** with a GP practice over time, a [`Timeline`] of [`PracticeId`]s:
///   a patient who moves practice has one registration ending the day the next
///   begins. No registration may start before the date of birth.
/// - **Long-term conditions** as SNOMED CT concept ids. Those on the curated list
///   ([`Condition`]) count for multimorbidity and, where they are eFI deficits, for
///   the frailty index; other codes are kept for the record.
/// - **Frailty deficits** recorded directly (falls, polypharmacy, ...); a patient's
///   full deficit set adds those their conditions stand for, and "housebound" when
///   the housebound flag is set ([`Patient::frailty_deficits`]).
/// - Care home resident, housebound and carer flags, and an optional [`HomeArea`].
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_core::{NhsNumber, PatientId, PracticeId, SnomedCode};
/// use pcn_population::{Condition, FrailtyDeficit, Patient, Sex};
///
/// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
/// let nhs = NhsNumber::test_number(0).unwrap();
/// let mut patient = Patient::new(PatientId::from_u128(1), nhs, d(1940, 5, 17), Sex::Female);
/// patient.register(PracticeId::from_u128(10), d(1990, 1, 1))?;
/// patient.register(PracticeId::from_u128(11), d(2021, 3, 1))?; // moved practice
/// patient.record_condition(Condition::HeartFailure.snomed());
/// patient.record_condition(SnomedCode::constant(73211009)); // diabetes, by code
/// patient.record_deficit(FrailtyDeficit::Falls);
/// patient.set_housebound(true);
///
/// assert_eq!(patient.registered_practice_on(d(2021, 2, 28)), Some(PracticeId::from_u128(10)));
/// assert_eq!(patient.age_on(d(2024, 5, 16)), Some(83));
/// assert_eq!(patient.conditions().len(), 2);
/// // heart failure + diabetes + falls + housebound
/// assert_eq!(patient.frailty_index().deficit_count(), 4);
/// assert!(patient.register(PracticeId::from_u128(12), d(1939, 1, 1)).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "PatientRecord", into = "PatientRecord")]
pub struct Patient {
    id: PatientId,
    nhs_number: NhsNumber,
    date_of_birth: NaiveDate,
    sex: Sex,
    registration: Timeline<PracticeId>,
    home_area: Option<HomeArea>,
    long_term_conditions: BTreeSet<SnomedCode>,
    recorded_deficits: DeficitSet,
    care_home_resident: bool,
    housebound: bool,
    carer: bool,
}

/// The serde form of a [`Patient`], checked on the way in.
#[derive(Serialize, Deserialize)]
struct PatientRecord {
    /// The pseudonymous key.
    id: PatientId,
    /// The NHS number (ten digits, no spaces).
    nhs_number: NhsNumber,
    /// Date of birth.
    date_of_birth: NaiveDate,
    /// Administrative sex.
    sex: Sex,
    /// Registration with practices over time.
    registration: Timeline<PracticeId>,
    /// Postcode or small area, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    home_area: Option<HomeArea>,
    /// Long-term conditions as SNOMED CT concept ids.
    #[serde(default)]
    long_term_conditions: BTreeSet<SnomedCode>,
    /// eFI deficits recorded directly.
    #[serde(default)]
    recorded_deficits: DeficitSet,
    /// Lives in a care home.
    #[serde(default)]
    care_home_resident: bool,
    /// Housebound.
    #[serde(default)]
    housebound: bool,
    /// Is an unpaid carer.
    #[serde(default)]
    carer: bool,
}

impl TryFrom<PatientRecord> for Patient {
    type Error = PopulationError;

    fn try_from(r: PatientRecord) -> Result<Self, Self::Error> {
        if let Some(first) = r.registration.changes().first()
            && first.from < r.date_of_birth
        {
            return Err(PopulationError::RegisteredBeforeBirth {
                patient: r.id,
                from: first.from,
                date_of_birth: r.date_of_birth,
            });
        }
        Ok(Self {
            id: r.id,
            nhs_number: r.nhs_number,
            date_of_birth: r.date_of_birth,
            sex: r.sex,
            registration: r.registration,
            home_area: r.home_area,
            long_term_conditions: r.long_term_conditions,
            recorded_deficits: r.recorded_deficits,
            care_home_resident: r.care_home_resident,
            housebound: r.housebound,
            carer: r.carer,
        })
    }
}

impl From<Patient> for PatientRecord {
    fn from(p: Patient) -> Self {
        Self {
            id: p.id,
            nhs_number: p.nhs_number,
            date_of_birth: p.date_of_birth,
            sex: p.sex,
            registration: p.registration,
            home_area: p.home_area,
            long_term_conditions: p.long_term_conditions,
            recorded_deficits: p.recorded_deficits,
            care_home_resident: p.care_home_resident,
            housebound: p.housebound,
            carer: p.carer,
        }
    }
}

impl Patient {
    /// A patient with no registration, conditions or flags yet.
    #[must_use]
    pub const fn new(
        id: PatientId,
        nhs_number: NhsNumber,
        date_of_birth: NaiveDate,
        sex: Sex,
    ) -> Self {
        Self {
            id,
            nhs_number,
            date_of_birth,
            sex,
            registration: Timeline::new(),
            home_area: None,
            long_term_conditions: BTreeSet::new(),
            recorded_deficits: DeficitSet::new(),
            care_home_resident: false,
            housebound: false,
            carer: false,
        }
    }

    /// The pseudonymous key.
    #[must_use]
    pub const fn id(&self) -> PatientId {
        self.id
    }

    /// The NHS number.
    #[must_use]
    pub const fn nhs_number(&self) -> NhsNumber {
        self.nhs_number
    }

    /// The date of birth.
    #[must_use]
    pub const fn date_of_birth(&self) -> NaiveDate {
        self.date_of_birth
    }

    /// The administrative sex.
    #[must_use]
    pub const fn sex(&self) -> Sex {
        self.sex
    }

    /// Age in completed years on `date`, or `None` before birth. Ages over 255
    /// read as 255.
    #[must_use]
    pub fn age_on(&self, date: NaiveDate) -> Option<u8> {
        pcn_core::age_on(self.date_of_birth, date)
    }

    /// Registers the patient with `practice` from `from` on (ending any earlier
    /// registration that day).
    ///
    /// # Errors
    /// [`PopulationError::RegisteredBeforeBirth`] if `from` is before the date of
    /// birth; the registration is then unchanged.
    pub fn register(
        &mut self,
        practice: PracticeId,
        from: NaiveDate,
    ) -> Result<(), PopulationError> {
        self.check_after_birth(from)?;
        self.registration.set(from, practice);
        Ok(())
    }

    /// Ends the patient's registration on `on` (the first day not registered).
    ///
    /// # Errors
    /// [`PopulationError::NotRegistered`] if the patient is not registered on the day
    /// before `on`; the registration is then unchanged.
    pub fn deregister(&mut self, on: NaiveDate) -> Result<(), PopulationError> {
        let before = on.pred_opt().unwrap_or(on);
        if self.registration.value_on(before).is_none() || on <= self.date_of_birth {
            return Err(PopulationError::NotRegistered {
                patient: self.id,
                on: before,
            });
        }
        self.registration.end(on);
        Ok(())
    }

    fn check_after_birth(&self, from: NaiveDate) -> Result<(), PopulationError> {
        if from < self.date_of_birth {
            return Err(PopulationError::RegisteredBeforeBirth {
                patient: self.id,
                from,
                date_of_birth: self.date_of_birth,
            });
        }
        Ok(())
    }

    /// The registration history.
    #[must_use]
    pub const fn registration(&self) -> &Timeline<PracticeId> {
        &self.registration
    }

    /// The practice the patient is registered with on `date`, if any.
    #[must_use]
    pub fn registered_practice_on(&self, date: NaiveDate) -> Option<PracticeId> {
        self.registration.value_on(date).copied()
    }

    /// Where the patient lives, if recorded.
    #[must_use]
    pub const fn home_area(&self) -> Option<&HomeArea> {
        self.home_area.as_ref()
    }

    /// Records where the patient lives (or clears it with `None`).
    pub fn set_home_area(&mut self, area: Option<HomeArea>) {
        self.home_area = area;
    }

    /// Records a long-term condition by its SNOMED CT concept (no change if already
    /// recorded).
    pub fn record_condition(&mut self, code: SnomedCode) {
        self.long_term_conditions.insert(code);
    }

    /// Removes a long-term condition (a coding error corrected); returns whether it
    /// was recorded.
    pub fn remove_condition(&mut self, code: SnomedCode) -> bool {
        self.long_term_conditions.remove(&code)
    }

    /// Every long-term condition recorded, curated or not, in code order.
    pub fn long_term_conditions(&self) -> impl Iterator<Item = SnomedCode> + '_ {
        self.long_term_conditions.iter().copied()
    }

    /// The curated conditions among those recorded: the ones multimorbidity counts.
    #[must_use]
    pub fn conditions(&self) -> ConditionSet {
        self.long_term_conditions
            .iter()
            .filter_map(|c| Condition::from_snomed(*c))
            .collect()
    }

    /// Records an eFI deficit directly (no change if already recorded).
    pub fn record_deficit(&mut self, deficit: FrailtyDeficit) {
        self.recorded_deficits.insert(deficit);
    }

    /// Removes a directly recorded deficit.
    pub fn remove_deficit(&mut self, deficit: FrailtyDeficit) {
        self.recorded_deficits.remove(deficit);
    }

    /// The deficits recorded directly.
    #[must_use]
    pub const fn recorded_deficits(&self) -> DeficitSet {
        self.recorded_deficits
    }

    /// Every eFI deficit present: those recorded directly, those the curated
    /// conditions stand for, and "housebound" when the patient is housebound.
    #[must_use]
    pub fn frailty_deficits(&self) -> DeficitSet {
        let mut deficits = self
            .recorded_deficits
            .union(Condition::frailty_deficits(self.conditions()));
        if self.housebound {
            deficits.insert(FrailtyDeficit::Housebound);
        }
        deficits
    }

    /// The electronic Frailty Index of the patient's deficits.
    #[must_use]
    pub fn frailty_index(&self) -> FrailtyIndex {
        FrailtyIndex::of(self.frailty_deficits())
    }

    /// Whether the patient lives in a care home.
    #[must_use]
    pub const fn is_care_home_resident(&self) -> bool {
        self.care_home_resident
    }

    /// Records whether the patient lives in a care home.
    pub fn set_care_home_resident(&mut self, value: bool) {
        self.care_home_resident = value;
    }

    /// Whether the patient is housebound.
    #[must_use]
    pub const fn is_housebound(&self) -> bool {
        self.housebound
    }

    /// Records whether the patient is housebound.
    pub fn set_housebound(&mut self, value: bool) {
        self.housebound = value;
    }

    /// Whether the patient is an unpaid carer.
    #[must_use]
    pub const fn is_carer(&self) -> bool {
        self.carer
    }

    /// Records whether the patient is an unpaid carer.
    pub fn set_carer(&mut self, value: bool) {
        self.carer = value;
    }

    /// The compact record the stratification works on, as on `date`.
    ///
    /// # Errors
    /// [`PopulationError::NotBornOn`] if `date` is before the date of birth.
    pub fn risk_profile(&self, date: NaiveDate) -> Result<RiskProfile, PopulationError> {
        let age = self.age_on(date).ok_or(PopulationError::NotBornOn {
            patient: self.id,
            on: date,
            date_of_birth: self.date_of_birth,
        })?;
        Ok(RiskProfile::new(
            self.id,
            age,
            self.sex,
            self.frailty_deficits(),
            self.conditions(),
        )
        .with_care_home_resident(self.care_home_resident)
        .with_housebound(self.housebound)
        .with_carer(self.carer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn patient() -> Patient {
        Patient::new(
            PatientId::from_u128(7),
            NhsNumber::test_number(7).unwrap(),
            d(1948, 2, 29),
            Sex::Male,
        )
    }

    #[test]
    fn age_counts_completed_years_including_leap_birthdays() {
        let p = patient();
        assert_eq!(p.age_on(d(1948, 2, 28)), None);
        assert_eq!(p.age_on(d(1948, 2, 29)), Some(0));
        assert_eq!(p.age_on(d(2023, 2, 28)), Some(74));
        assert_eq!(p.age_on(d(2023, 3, 1)), Some(75));
        assert_eq!(p.age_on(d(2024, 2, 29)), Some(76));
    }

    #[test]
    fn a_failed_registration_changes_nothing() {
        let mut p = patient();
        p.register(PracticeId::from_u128(1), d(2000, 1, 1)).unwrap();
        let before = p.clone();
        let err = p
            .register(PracticeId::from_u128(2), d(1900, 1, 1))
            .unwrap_err();
        assert!(err.to_string().contains("1900-01-01"), "{err}");
        assert_eq!(p, before);
        assert!(p.deregister(d(1999, 1, 1)).is_err());
        assert_eq!(p, before);
        p.deregister(d(2010, 1, 1)).unwrap();
        assert_eq!(p.registered_practice_on(d(2010, 1, 1)), None);
        assert_eq!(
            p.registered_practice_on(d(2009, 12, 31)),
            Some(PracticeId::from_u128(1))
        );
    }

    #[test]
    fn uncurated_codes_are_kept_but_not_counted() {
        let mut p = patient();
        p.record_condition(SnomedCode::constant(160734000));
        p.record_condition(Condition::Asthma.snomed());
        assert_eq!(p.long_term_conditions().count(), 2);
        assert_eq!(p.conditions().len(), 1);
        assert!(p.remove_condition(Condition::Asthma.snomed()));
        assert!(p.conditions().is_empty());
    }

    #[test]
    fn serde_round_trips_and_rejects_registration_before_birth() {
        let mut p = patient();
        p.register(PracticeId::from_u128(1), d(2000, 1, 1)).unwrap();
        p.record_condition(Condition::Dementia.snomed());
        p.record_deficit(FrailtyDeficit::Falls);
        p.set_home_area(Some(HomeArea::Postcode("LS1 4AP".parse().unwrap())));
        p.set_carer(true);
        let json = serde_json::to_string(&p).unwrap();
        assert!(json.contains("\"nhs_number\":\"999"), "{json}");
        let back: Patient = serde_json::from_str(&json).unwrap();
        assert_eq!(back, p);
        let bad = json.replace("2000-01-01", "1900-01-01");
        assert!(serde_json::from_str::<Patient>(&bad).is_err());
    }

    #[test]
    fn risk_profile_needs_the_patient_born() {
        let p = patient();
        assert!(p.risk_profile(d(1940, 1, 1)).is_err());
        let profile = p.risk_profile(d(2024, 6, 1)).unwrap();
        assert_eq!(profile.age(), 76);
        assert_eq!(profile.patient(), p.id());
    }
}
