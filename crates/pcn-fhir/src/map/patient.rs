//! A registered patient as a `Patient`.
//!
//! | model | FHIR |
//! |---|---|
//! | id | `Patient.id` (the UUID) |
//! | NHS number | `Patient.identifier`, system `https://fhir.nhs.uk/Id/nhs-number` |
//! | date of birth | `Patient.birthDate` |
//! | sex | `Patient.gender` (the same four codes) |
//! | practice registered with now | `Patient.generalPractitioner` |
//! | registration history | `registration` extensions, one per change |
//! | long-term conditions | `long-term-condition` extensions (SNOMED CT codings) |
//! | recorded frailty deficits | `frailty-deficit` extensions |
//! | care home resident, housebound, carer | boolean extensions, written when true |
//!
//! Not carried: the patient's home area (small-area codes are not patient data that
//! FHIR `Patient` holds).

use pcn_core::{PatientId, PracticeId, SnomedCode};
use pcn_population::{DeficitSet, Patient as ModelPatient, Sex};

use super::{
    CARE_HOME_RESIDENT, CARER, FRAILTY_DEFICIT, HOUSEBOUND, LONG_TERM_CONDITION, REGISTRATION,
    code_extension, complex, day_of, extension, extensions, missing_part, part, reference_to,
    referenced_uuid,
};
use crate::path::JsonPath;
use crate::{
    AdministrativeGender, Coding, Extension, FhirDate, FhirError, Identifier, Patient, ResourceId,
    system,
};

fn gender(sex: Sex) -> AdministrativeGender {
    match sex {
        Sex::Female => AdministrativeGender::Female,
        Sex::Male => AdministrativeGender::Male,
        Sex::Other => AdministrativeGender::Other,
        Sex::Unknown => AdministrativeGender::Unknown,
    }
}

fn sex(gender: AdministrativeGender) -> Sex {
    match gender {
        AdministrativeGender::Female => Sex::Female,
        AdministrativeGender::Male => Sex::Male,
        AdministrativeGender::Other => Sex::Other,
        AdministrativeGender::Unknown => Sex::Unknown,
    }
}

fn flag(url: &'static str) -> Extension<'static> {
    Extension {
        value_boolean: Some(true),
        ..Extension::new(url)
    }
}

/// A registered patient as a `Patient`.
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_core::{NhsNumber, PatientId, PracticeId};
/// use pcn_population::{Patient, Sex};
/// let born = NaiveDate::from_ymd_opt(1950, 3, 1).unwrap();
/// let mut patient = Patient::new(PatientId::from_u128(7), NhsNumber::test_number(7).unwrap(), born, Sex::Female);
/// patient.register(PracticeId::from_u128(1), NaiveDate::from_ymd_opt(2001, 5, 6).unwrap())?;
/// let fhir = pcn_fhir::patient_to_fhir(&patient);
/// assert_eq!(fhir.nhs_number(), Some(patient.nhs_number()));
/// assert_eq!(pcn_fhir::patient_from_fhir(&fhir)?, patient);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn patient_to_fhir(patient: &ModelPatient) -> Patient<'static> {
    let mut extension = Vec::new();
    for change in patient.registration().changes() {
        let mut parts = vec![Extension {
            value_date: Some(FhirDate::Day(change.from)),
            ..Extension::new("from")
        }];
        if let Some(practice) = change.value {
            parts.push(Extension {
                value_reference: Some(reference_to(practice.as_uuid())),
                ..Extension::new("practice")
            });
        }
        extension.push(complex(REGISTRATION, parts));
    }
    for code in patient.long_term_conditions() {
        extension.push(Extension {
            value_coding: Some(Coding::snomed(code, None)),
            ..Extension::new(LONG_TERM_CONDITION)
        });
    }
    for deficit in patient.recorded_deficits().iter() {
        extension.push(code_extension(FRAILTY_DEFICIT, deficit.name()));
    }
    for (set, url) in [
        (patient.is_care_home_resident(), CARE_HOME_RESIDENT),
        (patient.is_housebound(), HOUSEBOUND),
        (patient.is_carer(), CARER),
    ] {
        if set {
            extension.push(flag(url));
        }
    }
    Patient {
        id: Some(ResourceId::from_uuid(patient.id().as_uuid())),
        extension,
        identifier: vec![Identifier::nhs_number(patient.nhs_number())],
        gender: Some(gender(patient.sex())),
        birth_date: Some(FhirDate::Day(patient.date_of_birth())),
        general_practitioner: patient
            .registration()
            .latest()
            .map(|practice| reference_to(practice.as_uuid()))
            .into_iter()
            .collect(),
        ..Patient::default()
    }
}

/// A registered patient from a `Patient` with an NHS number and a whole date of
/// birth. The patient keeps the resource's id when it is a UUID; another id is
/// turned into a UUID, the same one on every import ([`ForeignIds`](crate::ForeignIds)).
///
/// # Errors
/// [`FhirError::MissingElement`] for a missing NHS number or date of birth;
/// [`FhirError::ImpreciseDate`] for a birth date without a day;
/// [`FhirError::InvalidCode`], [`FhirError::InvalidValue`] or
/// [`FhirError::UnresolvedReference`] for a malformed extension;
/// [`FhirError::Population`] if the model refuses the registration history.
pub fn patient_from_fhir(patient: &Patient<'_>) -> Result<ModelPatient, FhirError> {
    patient_at(patient, &JsonPath::new("Patient"))
}

pub(crate) fn patient_at(patient: &Patient<'_>, at: &JsonPath) -> Result<ModelPatient, FhirError> {
    let nhs_number = patient
        .nhs_number()
        .ok_or_else(|| FhirError::MissingElement {
            path: at.with_member("identifier"),
            element: "NHS number identifier",
        })?;
    let born = day_of(patient.birth_date, || at.with_member("birthDate"))?;
    // An id that is not a UUID is another system's: held under the UUID derived from it.
    let id = match &patient.id {
        Some(id) => super::ids::ForeignIds::uuid_of("Patient", id.as_str()),
        None => PatientId::derived(&nhs_number.to_string()).as_uuid(),
    };
    let sex = patient.gender.map_or(Sex::Unknown, sex);
    let mut model = ModelPatient::new(PatientId::from_uuid(id), nhs_number, born, sex);
    let refused = |source| FhirError::Population {
        path: at.as_str().to_owned(),
        source,
    };
    for (i, ext) in extensions(&patient.extension, REGISTRATION) {
        let from = part(ext, "from").ok_or_else(|| missing_part(at, i, "from"))?;
        let from = day_of(from.value_date, || {
            format!("{}.extension[{i}].extension", at.as_str())
        })?;
        match part(ext, "practice") {
            Some(practice) => {
                let ext_at = JsonPath::new(&format!("{}.extension[{i}]", at.as_str()));
                let uuid =
                    referenced_uuid(practice.value_reference.as_ref(), &ext_at, "extension")?;
                model
                    .register(PracticeId::from_uuid(uuid), from)
                    .map_err(refused)?;
            }
            None => model.deregister(from).map_err(refused)?,
        }
    }
    for (i, ext) in extensions(&patient.extension, LONG_TERM_CONDITION) {
        let code = ext
            .value_coding
            .as_ref()
            .filter(|c| c.system.as_deref() == Some(system::SNOMED_CT))
            .and_then(|c| c.code.as_deref())
            .ok_or_else(|| missing_part(at, i, "SNOMED CT valueCoding"))?;
        let snomed = code
            .parse::<u64>()
            .map_err(|_| pcn_core::CoreError::InvalidSnomedCode {
                value: code.to_owned(),
                reason: "must be a concept id",
            })
            .and_then(SnomedCode::new)
            .map_err(|source| FhirError::InvalidValue {
                path: format!("{}.extension[{i}].valueCoding.code", at.as_str()),
                value: code.to_owned(),
                source,
            })?;
        model.record_condition(snomed);
    }
    for (i, ext) in extensions(&patient.extension, FRAILTY_DEFICIT) {
        let code = ext.value_code.as_deref().unwrap_or_default();
        let deficit = DeficitSet::all()
            .iter()
            .find(|d| d.name() == code)
            .ok_or_else(|| FhirError::InvalidCode {
                path: format!("{}.extension[{i}].valueCode", at.as_str()),
                value: code.to_owned(),
                expected: "the name of an electronic Frailty Index deficit, such as `falls`",
            })?;
        model.record_deficit(deficit);
    }
    let is_set =
        |url| extension(&patient.extension, url).and_then(|e| e.value_boolean) == Some(true);
    model.set_care_home_resident(is_set(CARE_HOME_RESIDENT));
    model.set_housebound(is_set(HOUSEBOUND));
    model.set_carer(is_set(CARER));
    Ok(model)
}
