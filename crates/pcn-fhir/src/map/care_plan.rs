//! A personalised care and support plan as a `CarePlan`.
//!
//! | model | FHIR |
//! |---|---|
//! | id, patient | `CarePlan.id`, `CarePlan.subject` |
//! | created on | `CarePlan.created` |
//! | named accountable GP | `CarePlan.author` |
//! | care team members added by name | `CarePlan.contributor`, one reference per member of staff |
//! | actions | `CarePlan.activity.detail`: description, performer (the owner), `scheduledPeriod.end` (the due date), status `not-started` |
//! | what matters to the person | `what-matters` extensions (text) |
//! | goals | `goal` extensions (complex: description, target date) |
//! | review date, consent, care coordinator, same-day telephone access | extensions |
//!
//! The plan travels with status `active` and intent `plan` (FHIR R4 CarePlan: both
//! required).

use std::borrow::Cow;
use std::collections::BTreeSet;

use pcn_core::{CarePlanId, PatientId, StaffId};
use pcn_population::{CareAction, CarePlan as ModelCarePlan, Consent, Goal, NewCarePlan};

use super::{
    CARE_COORDINATOR, CONSENT, GOAL, REVIEW_DATE, SAME_DAY_TELEPHONE_ACCESS, WHAT_MATTERS,
    code_extension, complex, day_of, extension, extensions, missing_part, model_uuid, part,
    reference_to, referenced_uuid,
};
use crate::path::JsonPath;
use crate::{
    CarePlan, CarePlanActivity, CarePlanActivityDetail, CarePlanActivityStatus, CarePlanIntent,
    Extension, FhirDate, FhirDateTime, FhirError, Period, RequestStatus, ResourceId,
};

fn date_extension(url: &'static str, date: chrono::NaiveDate) -> Extension<'static> {
    Extension {
        value_date: Some(FhirDate::Day(date)),
        ..Extension::new(url)
    }
}

/// A care and support plan as a `CarePlan`.
#[must_use]
pub fn care_plan_to_fhir(plan: &ModelCarePlan) -> CarePlan<'_> {
    let mut fhir = CarePlan::new(
        RequestStatus::Active,
        CarePlanIntent::Plan,
        reference_to(plan.patient().as_uuid()),
    );
    fhir.id = Some(ResourceId::from_uuid(plan.id().as_uuid()));
    fhir.created = Some(FhirDateTime::Day(plan.created_on()));
    fhir.author = Some(reference_to(plan.named_accountable_gp().as_uuid()));
    // The members added to the team by name; the GP, coordinator and action owners
    // are in the team by their other elements.
    fhir.contributor = NewCarePlan::from(plan.clone())
        .care_team
        .into_iter()
        .map(|staff| reference_to(staff.as_uuid()))
        .collect();
    fhir.activity = plan
        .actions()
        .iter()
        .map(|action| {
            let mut detail = CarePlanActivityDetail::new(CarePlanActivityStatus::NotStarted);
            detail.description = Some(Cow::Borrowed(action.description.as_str()));
            detail.performer = vec![reference_to(action.owner.as_uuid())];
            detail.scheduled_period = action.due.map(|due| Period {
                start: None,
                end: Some(FhirDateTime::Day(due)),
            });
            CarePlanActivity {
                reference: None,
                detail: Some(detail),
            }
        })
        .collect();
    let mut extension: Vec<Extension<'_>> = plan
        .what_matters()
        .iter()
        .map(|text| Extension {
            value_string: Some(Cow::Borrowed(text.as_str())),
            ..Extension::new(WHAT_MATTERS)
        })
        .collect();
    for goal in plan.goals() {
        let mut parts = vec![Extension {
            value_string: Some(Cow::Borrowed(goal.description.as_str())),
            ..Extension::new("description")
        }];
        parts.extend(goal.target_date.map(|d| date_extension("target", d)));
        extension.push(Extension {
            extension: parts,
            ..Extension::new(GOAL)
        });
    }
    extension.push(date_extension(REVIEW_DATE, plan.review_on()));
    extension.push(Extension {
        value_reference: Some(reference_to(plan.care_coordinator().as_uuid())),
        ..Extension::new(CARE_COORDINATOR)
    });
    extension.push(Extension {
        value_boolean: Some(plan.same_day_telephone_access()),
        ..Extension::new(SAME_DAY_TELEPHONE_ACCESS)
    });
    extension.push(match plan.consent() {
        Consent::NotRecorded => complex(CONSENT, vec![code_extension("status", "not-recorded")]),
        Consent::Given {
            on,
            enriched_summary_care_record,
        } => complex(
            CONSENT,
            vec![
                code_extension("status", "given"),
                date_extension("on", on),
                Extension {
                    value_boolean: Some(enriched_summary_care_record),
                    ..Extension::new("enriched-summary-care-record")
                },
            ],
        ),
        Consent::Declined { on } => complex(
            CONSENT,
            vec![
                code_extension("status", "declined"),
                date_extension("on", on),
            ],
        ),
    });
    fhir.extension = extension;
    fhir
}

/// A care and support plan from a `CarePlan` written by [`care_plan_to_fhir`] or to
/// the same pattern.
///
/// A plan whose id is not a UUID (written by another system) is held under the UUID
/// derived from it ([`ForeignIds`](crate::ForeignIds)).
///
/// # Errors
/// [`FhirError::MissingElement`] for a missing id, creation date, author, review
/// date or care coordinator; [`FhirError::UnresolvedReference`] for a reference
/// that is not to a UUID; [`FhirError::Population`] if the population model refuses
/// the plan (nothing that matters recorded, a review before creation).
pub fn care_plan_from_fhir(plan: &CarePlan<'_>) -> Result<ModelCarePlan, FhirError> {
    care_plan_at(plan, &JsonPath::new("CarePlan"))
}

pub(crate) fn care_plan_at(plan: &CarePlan<'_>, at: &JsonPath) -> Result<ModelCarePlan, FhirError> {
    let id = model_uuid("CarePlan", plan.id.as_ref()).ok_or_else(|| FhirError::MissingElement {
        path: at.with_member("id"),
        element: "id",
    })?;
    let patient = referenced_uuid(Some(&plan.subject), at, "subject")?;
    let created_on = match plan.created {
        Some(FhirDateTime::Day(day)) => day,
        Some(other) => {
            return Err(FhirError::ImpreciseDate {
                path: at.with_member("created"),
                value: other.to_string(),
            });
        }
        None => {
            return Err(FhirError::MissingElement {
                path: at.with_member("created"),
                element: "creation date",
            });
        }
    };
    let gp = referenced_uuid(plan.author.as_ref(), at, "author")?;
    let staff_at = |i: usize| JsonPath::new(&format!("{}.extension[{i}]", at.as_str()));
    let (i, coordinator) = extensions(&plan.extension, CARE_COORDINATOR)
        .next()
        .ok_or_else(|| FhirError::MissingElement {
            path: at.with_member("extension"),
            element: "care-coordinator extension",
        })?;
    let coordinator = referenced_uuid(
        coordinator.value_reference.as_ref(),
        &staff_at(i),
        "valueReference",
    )?;
    let review = extension(&plan.extension, REVIEW_DATE).and_then(|e| e.value_date);
    let review_on = day_of(review, || at.with_member("extension"))?;
    let mut care_team = BTreeSet::new();
    for (i, contributor) in plan.contributor.iter().enumerate() {
        let uuid = referenced_uuid(Some(contributor), at, &format!("contributor[{i}]"))?;
        care_team.insert(StaffId::from_uuid(uuid));
    }
    let mut actions = Vec::new();
    for (i, activity) in plan.activity.iter().enumerate() {
        let activity_at = JsonPath::new(&format!("{}.activity[{i}].detail", at.as_str()));
        let Some(detail) = &activity.detail else {
            continue;
        };
        let owner = referenced_uuid(detail.performer.first(), &activity_at, "performer")?;
        actions.push(CareAction {
            description: detail.description.as_deref().unwrap_or_default().to_owned(),
            owner: StaffId::from_uuid(owner),
            due: detail
                .scheduled_period
                .as_ref()
                .and_then(|p| p.end)
                .map(|end| end.last_day()),
        });
    }
    let mut goals = Vec::new();
    for (i, ext) in extensions(&plan.extension, GOAL) {
        let description = part(ext, "description")
            .and_then(|d| d.value_string.as_deref())
            .ok_or_else(|| missing_part(at, i, "description"))?;
        let target_date = match part(ext, "target") {
            Some(target) => Some(day_of(target.value_date, || {
                staff_at(i).with_member("extension")
            })?),
            None => None,
        };
        goals.push(Goal {
            description: description.to_owned(),
            target_date,
        });
    }
    let consent = match extensions(&plan.extension, CONSENT).next() {
        None => Consent::NotRecorded,
        Some((i, ext)) => {
            let on = || {
                day_of(part(ext, "on").and_then(|p| p.value_date), || {
                    staff_at(i).with_member("extension")
                })
            };
            match part(ext, "status").and_then(|s| s.value_code.as_deref()) {
                Some("given") => Consent::Given {
                    on: on()?,
                    enriched_summary_care_record: part(ext, "enriched-summary-care-record")
                        .and_then(|p| p.value_boolean)
                        .unwrap_or(false),
                },
                Some("declined") => Consent::Declined { on: on()? },
                _ => Consent::NotRecorded,
            }
        }
    };
    let plan_model = NewCarePlan {
        id: CarePlanId::from_uuid(id),
        patient: PatientId::from_uuid(patient),
        created_on,
        what_matters: extensions(&plan.extension, WHAT_MATTERS)
            .filter_map(|(_, e)| e.value_string.as_deref().map(str::to_owned))
            .collect(),
        goals,
        actions,
        review_on,
        consent,
        named_accountable_gp: StaffId::from_uuid(gp),
        care_coordinator: StaffId::from_uuid(coordinator),
        care_team,
        same_day_telephone_access: extension(&plan.extension, SAME_DAY_TELEPHONE_ACCESS)
            .and_then(|e| e.value_boolean)
            .unwrap_or(false),
    };
    ModelCarePlan::new(plan_model).map_err(|source| FhirError::Population {
        path: at.as_str().to_owned(),
        source,
    })
}
