//! A pathway's destination as a `HealthcareService`.
//!
//! | model | FHIR |
//! |---|---|
//! | the service (clinic, community service, voluntary activity, interface service) | `HealthcareService.id` (the service's UUID) |
//! | the kind of destination | `HealthcareService.type`, this crate's `destination-kind` codes |
//! | the role that sees the patient | `HealthcareService.category`, this crate's `role` codes |
//! | treatment function (NHS Data Dictionary) | `HealthcareService.specialty`, this crate's `treatment-function` codes (the three digits) |
//! | social prescribing support area | `HealthcareService.characteristic`, this crate's `support-area` codes |
//! | consultant-led | `consultant-led` extension |
//!
//! A destination without a service of its own (a role in the network's team, a
//! hospital specialty) gets an id derived from what it is, the same on every export.

use std::borrow::Cow;

use pcn_core::{Role, ServiceId};
use pcn_referral::{Destination, SupportArea, TreatmentFunction};

use super::{CONSULTANT_LED, DESTINATION_KIND, ROLE, SUPPORT_AREA, TREATMENT_FUNCTION, extension};
use crate::path::JsonPath;
use crate::{CodeableConcept, Coding, Extension, FhirError, HealthcareService, ResourceId};

fn concept(system: &'static str, code: impl Into<Cow<'static, str>>) -> CodeableConcept<'static> {
    CodeableConcept::from_coding(Coding::new(system, code, None))
}

fn area_code(area: SupportArea) -> String {
    serde_json::to_value(area)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// A destination as a `HealthcareService`, named `name` if given.
///
/// ```
/// use pcn_core::{Role, ServiceId};
/// use pcn_referral::Destination;
/// let clinic = Destination::Clinic { service: ServiceId::from_u128(4), role: Role::FirstContactPhysiotherapist };
/// let service = pcn_fhir::destination_to_fhir(&clinic, Some("MSK clinic"));
/// assert_eq!(pcn_fhir::destination_from_fhir(&service)?, clinic);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn destination_to_fhir<'a>(
    destination: &Destination,
    name: Option<&'a str>,
) -> HealthcareService<'a> {
    let (kind, service, role, function, area, consultant_led) = match *destination {
        Destination::TeamRole { role } => ("team-role", None, Some(role), None, None, None),
        Destination::Clinic { service, role } => {
            ("clinic", Some(service), Some(role), None, None, None)
        }
        Destination::CommunityService { service } => {
            ("community-service", Some(service), None, None, None, None)
        }
        Destination::VoluntaryActivity { service, area } => (
            "voluntary-activity",
            Some(service),
            None,
            None,
            Some(area),
            None,
        ),
        Destination::InterfaceService {
            service,
            treatment_function,
        } => (
            "interface-service",
            Some(service),
            None,
            Some(treatment_function),
            None,
            None,
        ),
        Destination::HospitalSpecialty {
            treatment_function,
            consultant_led,
        } => (
            "hospital-specialty",
            None,
            None,
            Some(treatment_function),
            None,
            Some(consultant_led),
        ),
    };
    let uuid = service.map_or_else(
        || {
            let what = format!(
                "{kind}:{}:{}",
                role.map(Role::name).unwrap_or_default(),
                function.map(|f| f.to_string()).unwrap_or_default()
            );
            ServiceId::derived(&what).as_uuid()
        },
        |s| s.as_uuid(),
    );
    HealthcareService {
        id: Some(ResourceId::from_uuid(uuid)),
        active: Some(true),
        r#type: vec![concept(DESTINATION_KIND, kind)],
        category: role.map(|r| concept(ROLE, r.name())).into_iter().collect(),
        specialty: function
            .map(|f| concept(TREATMENT_FUNCTION, f.to_string()))
            .into_iter()
            .collect(),
        characteristic: area
            .map(|a| concept(SUPPORT_AREA, area_code(a)))
            .into_iter()
            .collect(),
        name: name.map(Cow::Borrowed),
        extension: consultant_led
            .map(|led| Extension {
                value_boolean: Some(led),
                ..Extension::new(CONSULTANT_LED)
            })
            .into_iter()
            .collect(),
        ..HealthcareService::default()
    }
}

/// A destination from a `HealthcareService` written by [`destination_to_fhir`] or
/// to the same pattern.
///
/// # Errors
/// [`FhirError::MissingElement`] for a missing kind, service id, role, treatment
/// function or support area; [`FhirError::InvalidCode`] for a code outside this
/// crate's code systems.
pub fn destination_from_fhir(service: &HealthcareService<'_>) -> Result<Destination, FhirError> {
    let at = JsonPath::new("HealthcareService");
    let code = |concepts: &[CodeableConcept<'_>], system: &str, member: &'static str| {
        concepts
            .iter()
            .find_map(|c| {
                c.coding_in(system)
                    .and_then(|c| c.code.as_deref())
                    .map(str::to_owned)
            })
            .ok_or_else(|| FhirError::MissingElement {
                path: at.with_member(member),
                element: member,
            })
    };
    let invalid = |member: &str, value: String, expected: &'static str| FhirError::InvalidCode {
        path: at.with_member(member),
        value,
        expected,
    };
    let service_id = || {
        super::model_uuid("HealthcareService", service.id.as_ref())
            .map(ServiceId::from_uuid)
            .ok_or_else(|| FhirError::MissingElement {
                path: at.with_member("id"),
                element: "id",
            })
    };
    let role = || -> Result<Role, FhirError> {
        let text = code(&service.category, ROLE, "category")?;
        text.parse()
            .map_err(|_| invalid("category", text, "a role name such as `gp`"))
    };
    let function = || -> Result<TreatmentFunction, FhirError> {
        let text = code(&service.specialty, TREATMENT_FUNCTION, "specialty")?;
        text.parse::<u16>()
            .ok()
            .and_then(|n| TreatmentFunction::new(n).ok())
            .ok_or_else(|| invalid("specialty", text, "a three-digit treatment function code"))
    };
    let kind = code(&service.r#type, DESTINATION_KIND, "type")?;
    Ok(match kind.as_str() {
        "team-role" => Destination::TeamRole { role: role()? },
        "clinic" => Destination::Clinic {
            service: service_id()?,
            role: role()?,
        },
        "community-service" => Destination::CommunityService {
            service: service_id()?,
        },
        "voluntary-activity" => {
            let text = code(&service.characteristic, SUPPORT_AREA, "characteristic")?;
            let area =
                serde_json::from_value(serde_json::Value::String(text.clone())).map_err(|_| {
                    invalid("characteristic", text, "a social prescribing support area")
                })?;
            Destination::VoluntaryActivity {
                service: service_id()?,
                area,
            }
        }
        "interface-service" => Destination::InterfaceService {
            service: service_id()?,
            treatment_function: function()?,
        },
        "hospital-specialty" => Destination::HospitalSpecialty {
            treatment_function: function()?,
            consultant_led: extension(&service.extension, CONSULTANT_LED)
                .and_then(|e| e.value_boolean)
                .unwrap_or(false),
        },
        _ => {
            return Err(invalid(
                "type",
                kind,
                "team-role, clinic, community-service, voluntary-activity, interface-service, hospital-specialty",
            ));
        }
    })
}
