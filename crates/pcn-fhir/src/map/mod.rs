//! Mapping between the `pcn` model and FHIR resources: the pieces every mapping
//! shares (references by UUID, periods, this crate's own extensions and codes).
//!
//! Model facts with a FHIR element travel in that element. Facts FHIR has no element
//! for (a practice's list size over time, a PCN's clinical directors, a patient's
//! frailty deficits) travel in extensions and codes this crate defines under
//! [`PCN_BASE`]; a system that does not know them reads the standard elements and
//! can ignore the rest, as FHIR intends.

pub(crate) mod bars;
pub(crate) mod care_plan;
pub(crate) mod destination;
pub(crate) mod exchange;
pub(crate) mod ids;
pub(crate) mod network;
pub(crate) mod patient;
pub(crate) mod referral;
pub(crate) mod staff;
pub(crate) mod team;

use std::borrow::Cow;

use chrono::NaiveDate;
use pcn_core::DateRange;
use uuid::Uuid;

use crate::path::JsonPath;
use crate::primitive::FhirDate;
use crate::{Extension, FhirDateTime, FhirError, Period, Reference};

/// The base of the canonical URLs of this crate's own extensions and code systems.
pub const PCN_BASE: &str = "https://github.com/pcn-rs/pcn/fhir/";

/// Defines the URL constants of this crate's extensions and code systems.
macro_rules! pcn_urls {
    ($($(#[$doc:meta])* $name:ident = $path:literal;)*) => {
        $( $(#[$doc])* pub(crate) const $name: &str = concat!("https://github.com/pcn-rs/pcn/fhir/", $path); )*
    };
}

pcn_urls! {
    /// Code system: the kind of organisation in the `pcn` model.
    ORGANISATION_KIND = "CodeSystem/organisation-kind";
    /// Code system: a network partner's role.
    PARTNER_ROLE = "CodeSystem/partner-role";
    /// Code system: the kind of relationship between organisations.
    AFFILIATION_KIND = "CodeSystem/affiliation-kind";
    /// Extension: the dates an organisation operates or is open (valuePeriod).
    OPERATING_PERIOD = "StructureDefinition/operating-period";
    /// Extension: a practice's status in ODS (valueCode).
    PRACTICE_STATUS = "StructureDefinition/practice-status";
    /// Extension: a commissioner from a date (complex: from, code).
    COMMISSIONER = "StructureDefinition/commissioner";
    /// Extension: a registered list size from a date (complex: from, count).
    LIST_SIZE = "StructureDefinition/list-size";
    /// Extension: a location (complex: latitude, longitude, each in millionths of a degree).
    LOCATION = "StructureDefinition/location";
    /// Extension: a network's clinical director (complex: name, period, staff).
    CLINICAL_DIRECTOR = "StructureDefinition/clinical-director";
    /// Extension: a network's nominated payee (complex: kind, code).
    NOMINATED_PAYEE = "StructureDefinition/nominated-payee";
    /// Extension: a network agreement (complex: signed, period).
    NETWORK_AGREEMENT = "StructureDefinition/network-agreement";
    /// Extension: a patient's registration with a practice from a date (complex: from, practice).
    REGISTRATION = "StructureDefinition/registration";
    /// Extension: a long-term condition, as a SNOMED CT coding.
    LONG_TERM_CONDITION = "StructureDefinition/long-term-condition";
    /// Extension: a recorded frailty deficit (valueCode, the deficit's name).
    FRAILTY_DEFICIT = "StructureDefinition/frailty-deficit";
    /// Code system: a role of the multidisciplinary team (the `snake_case` role names).
    ROLE = "CodeSystem/role";
    /// Extension: the kind of a staff member's employer (valueCode).
    EMPLOYER_KIND = "StructureDefinition/employer-kind";
    /// Extension: contracted whole-time equivalent from a date (complex: from, hundredths).
    CONTRACTED_WTE = "StructureDefinition/contracted-wte";
    /// Extension: a skill (valueCode, the skill's name).
    SKILL = "StructureDefinition/skill";
    /// Extension: what matters to the person, in their words (valueString).
    WHAT_MATTERS = "StructureDefinition/what-matters";
    /// Extension: a goal of a care plan (complex: description, target).
    GOAL = "StructureDefinition/goal";
    /// Extension: when a care plan is next reviewed (valueDate).
    REVIEW_DATE = "StructureDefinition/review-date";
    /// Extension: the care plan's care coordinator (valueReference).
    CARE_COORDINATOR = "StructureDefinition/care-coordinator";
    /// Extension: whether the person has same-day telephone access (valueBoolean).
    SAME_DAY_TELEPHONE_ACCESS = "StructureDefinition/same-day-telephone-access";
    /// Extension: the person's consent to the plan (complex: status, on, enriched-summary-care-record).
    CONSENT = "StructureDefinition/consent";
    /// Code system: the kind of a pathway's destination.
    DESTINATION_KIND = "CodeSystem/destination-kind";
    /// Code system: NHS Data Dictionary treatment function codes (three digits).
    TREATMENT_FUNCTION = "CodeSystem/treatment-function";
    /// Code system: social prescribing support areas.
    SUPPORT_AREA = "CodeSystem/support-area";
    /// Extension: whether a hospital destination is consultant-led (valueBoolean).
    CONSULTANT_LED = "StructureDefinition/consultant-led";
    /// Code system: a referral's priority in the model (routine, urgent, two_week_wait).
    REFERRAL_PRIORITY = "CodeSystem/referral-priority";
    /// Code system: a referral's pathway, by the pathway's UUID.
    PATHWAY = "CodeSystem/pathway";
    /// Code system: a referral's state in the model (the `businessStatus` of its task).
    REFERRAL_STATE = "CodeSystem/referral-state";
    /// Code system: red flags other than a SNOMED CT finding.
    RED_FLAG = "CodeSystem/red-flag";
    /// Code system: the kind of team (multidisciplinary, self-managing-neighbourhood).
    TEAM_KIND = "CodeSystem/team-kind";
    /// Extension: the kind of network hosting a team (valueCode).
    TEAM_HOST = "StructureDefinition/team-host";
    /// Extension: a neighbourhood team's policy (complex: max-nurses, manager-allowed, max-turn-days).
    NEIGHBOURHOOD_POLICY = "StructureDefinition/neighbourhood-policy";
    /// Extension: a team's manager (valueReference).
    TEAM_MANAGER = "StructureDefinition/team-manager";
    /// Extension: a turn in a team's rota (complex: role, holder, period).
    ROTA_TURN = "StructureDefinition/rota-turn";
    /// Extension: how a referral entered (complex: route, role).
    ENTRY_ROUTE = "StructureDefinition/entry-route";
    /// Extension: a referral's waiting-time target (complex: measure, days).
    WAIT_TARGET = "StructureDefinition/wait-target";
    /// Extension: lives in a care home (valueBoolean).
    CARE_HOME_RESIDENT = "StructureDefinition/care-home-resident";
    /// Extension: housebound (valueBoolean).
    HOUSEBOUND = "StructureDefinition/housebound";
    /// Extension: is a carer (valueBoolean).
    CARER = "StructureDefinition/carer";
}

/// The `urn:uuid:` form of a UUID, used for `fullUrl`s and references in a bundle.
pub(crate) fn urn(uuid: Uuid) -> String {
    format!("urn:uuid:{uuid}")
}

/// A reference to the resource with this UUID.
pub(crate) fn reference_to(uuid: Uuid) -> Reference<'static> {
    Reference::to(urn(uuid))
}

/// Reads an id the model holds as a UUID: a resource's id, or the UUID of a
/// `urn:uuid:` URL (without its prefix). `path` names the element the text came
/// from, for the error.
///
/// # Errors
/// [`FhirError::InvalidId`] with the element's path and the text, if the text is not
/// a UUID.
pub(crate) fn read_uuid(text: &str, path: impl FnOnce() -> String) -> Result<Uuid, FhirError> {
    Uuid::parse_str(text).map_err(|_| FhirError::InvalidId {
        path: path(),
        value: text.to_owned(),
    })
}

/// The UUID of a resource's id that the model needs: [`FhirError::MissingElement`]
/// without one, [`FhirError::InvalidId`] if it is not a UUID.
pub(crate) fn required_uuid(
    id: Option<&crate::ResourceId<'_>>,
    at: &JsonPath,
) -> Result<Uuid, FhirError> {
    let id = id.ok_or_else(|| FhirError::MissingElement {
        path: at.with_member("id"),
        element: "UUID id",
    })?;
    read_uuid(id.as_str(), || at.with_member("id"))
}

/// The UUID a reference points at: `urn:uuid:<uuid>`, `<Type>/<uuid>`, or
/// `<Type>/<id>` for an id that is not a UUID (the UUID derived from it, see
/// [`ForeignIds`](ids::ForeignIds)).
pub(crate) fn referenced_uuid(
    reference: Option<&Reference<'_>>,
    at: &JsonPath,
    member: &str,
) -> Result<Uuid, FhirError> {
    let text = reference
        .and_then(|r| r.reference.as_deref())
        .ok_or_else(|| FhirError::MissingElement {
            path: at.with_member(member),
            element: "reference",
        })?;
    let unresolved = || FhirError::UnresolvedReference {
        path: at.with_member(member),
        reference: text.to_owned(),
    };
    if let Some(id) = text.strip_prefix(crate::system::URN_UUID_PREFIX) {
        return read_uuid(id, String::new).map_err(|_| unresolved());
    }
    match text.rsplit_once('/') {
        // `Type/id` (or a URL ending so): a UUID id, or the UUID derived from it.
        Some((before, id)) => {
            let resource_type = before.rsplit('/').next().unwrap_or(before);
            let is_type = resource_type.starts_with(|c: char| c.is_ascii_uppercase())
                && resource_type.bytes().all(|b| b.is_ascii_alphabetic());
            match read_uuid(id, String::new) {
                Ok(uuid) => Ok(uuid),
                Err(_) if is_type && crate::ResourceId::new(id).is_ok() => {
                    Ok(ids::ForeignIds::uuid_of(resource_type, id))
                }
                Err(_) => Err(unresolved()),
            }
        }
        None => read_uuid(text, String::new).map_err(|_| unresolved()),
    }
}

/// The FHIR period of a half-open date range: FHIR's end is the last day, inclusive.
pub(crate) fn period_of(range: DateRange) -> Period {
    Period {
        start: Some(FhirDateTime::Day(range.from())),
        end: range.last_day().map(FhirDateTime::Day),
    }
}

/// The half-open date range of a FHIR period with a start; an end means the whole
/// of its last day (or month, or year).
pub(crate) fn range_of(
    period: Option<&Period>,
    at: &JsonPath,
    member: &str,
) -> Result<DateRange, FhirError> {
    let path = || at.with_member(member);
    let period = period.ok_or_else(|| FhirError::MissingElement {
        path: path(),
        element: "period",
    })?;
    let from = period
        .start
        .ok_or_else(|| FhirError::MissingElement {
            path: format!("{}.start", path()),
            element: "start",
        })?
        .first_day();
    let to = period
        .end
        .map(|end| end.last_day().succ_opt().unwrap_or(NaiveDate::MAX));
    DateRange::new(from, to).map_err(|source| FhirError::InvalidValue {
        path: path(),
        value: format!("{:?} to {:?}", period.start, period.end),
        source,
    })
}

/// The UUID the model holds a resource under: its id if a UUID, else the UUID
/// derived from it ([`ForeignIds`](ids::ForeignIds)); `None` without an id.
pub(crate) fn model_uuid(resource_type: &str, id: Option<&crate::ResourceId<'_>>) -> Option<Uuid> {
    id.map(|id| ids::ForeignIds::uuid_of(resource_type, id.as_str()))
}

/// A date from a FHIR date, which must be a whole day.
pub(crate) fn day_of(
    date: Option<FhirDate>,
    path: impl FnOnce() -> String,
) -> Result<NaiveDate, FhirError> {
    match date {
        Some(FhirDate::Day(day)) => Ok(day),
        Some(other) => Err(FhirError::ImpreciseDate {
            path: path(),
            value: other.to_string(),
        }),
        None => Err(FhirError::MissingElement {
            path: path(),
            element: "date",
        }),
    }
}

/// The first extension with `url`.
pub(crate) fn extension<'e, 'a>(
    extensions: &'e [Extension<'a>],
    url: &str,
) -> Option<&'e Extension<'a>> {
    extensions.iter().find(|e| e.url == url)
}

/// The extensions with `url`, with their index.
pub(crate) fn extensions<'e, 'a>(
    extensions: &'e [Extension<'a>],
    url: &'e str,
) -> impl Iterator<Item = (usize, &'e Extension<'a>)> {
    extensions
        .iter()
        .enumerate()
        .filter(move |(_, e)| e.url == url)
}

/// A simple extension with a code.
pub(crate) fn code_extension(
    url: &'static str,
    code: impl Into<Cow<'static, str>>,
) -> Extension<'static> {
    Extension {
        value_code: Some(code.into()),
        ..Extension::new(url)
    }
}

/// A nested member of a complex extension.
pub(crate) fn part<'e, 'a>(extension: &'e Extension<'a>, url: &str) -> Option<&'e Extension<'a>> {
    extension.extension.iter().find(|e| e.url == url)
}

/// A complex extension `url` made of `parts`.
pub(crate) fn complex(url: &'static str, parts: Vec<Extension<'static>>) -> Extension<'static> {
    Extension {
        extension: parts,
        ..Extension::new(url)
    }
}

/// A missing part of one of this crate's extensions.
pub(crate) fn missing_part(at: &JsonPath, index: usize, part: &'static str) -> FhirError {
    FhirError::MissingElement {
        path: format!("{}.extension[{index}]", at.as_str()),
        element: part,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CareTeam, ResourceId};

    #[test]
    fn an_id_that_is_not_a_uuid_is_named_with_its_element_and_value() {
        let err = read_uuid("f201", || "CareTeam.id".to_owned()).unwrap_err();
        assert_eq!(
            err,
            FhirError::InvalidId {
                path: "CareTeam.id".to_owned(),
                value: "f201".to_owned()
            }
        );
        assert_eq!(
            err.to_string(),
            "CareTeam.id holds \"f201\", which is not a UUID: the model knows this resource by UUID"
        );
        let uuid = "0190b2a4-1c9e-7d42-8f00-5a4f2c1e9b01";
        assert_eq!(read_uuid(uuid, String::new).unwrap().to_string(), uuid);
    }

    #[test]
    fn a_team_needs_a_uuid_id() {
        let mut team = CareTeam::default();
        let err = crate::team_from_fhir(&team).unwrap_err();
        assert!(
            matches!(&err, FhirError::MissingElement { path, .. } if path == "CareTeam.id"),
            "{err:?}"
        );
        team.id = Some(ResourceId::new("f201").unwrap());
        let err = crate::team_from_fhir(&team).unwrap_err();
        assert!(
            matches!(&err, FhirError::InvalidId { path, value } if path == "CareTeam.id" && value == "f201"),
            "{err:?}"
        );
    }
}
