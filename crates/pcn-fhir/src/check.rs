//! The strict checks an import makes on what we model: NHS numbers, ODS codes and
//! SNOMED CT concept ids, wherever they appear in a modelled element.
//!
//! JSON shape, required elements and required value sets are checked while reading;
//! these checks need the whole identifier or coding (its `system` decides what its
//! `value` or `code` must be), so they run over the typed resource afterwards, with
//! the JSON path of each value at hand for the error.

use pcn_core::{CoreError, NhsNumber, OdsCode, SnomedCode};

use crate::path::JsonPath;
use crate::{
    Annotation, Bundle, CarePlan, CarePlanActivity, CareTeam, CodeableConcept, Coding, FhirError,
    HealthcareService, Identifier, Organization, OrganizationAffiliation, Patient, Practitioner,
    PractitionerRole, Reference, Resource, ServiceRequest, Task, system,
};

/// A part of a resource whose modelled identifiers and codes can be checked.
pub(crate) trait Check {
    /// Checks the value, with `at` the JSON path of the value itself, adding every
    /// error found to `found` in walk order.
    fn check(&self, at: &mut JsonPath, found: &mut Vec<FhirError>);
}

/// The first error the check of `value` finds.
#[cfg(test)]
pub(crate) fn first_error(value: &impl Check, at: &mut JsonPath) -> Result<(), FhirError> {
    let mut found = Vec::new();
    value.check(at, &mut found);
    match found.into_iter().next() {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

impl<T: Check> Check for Option<T> {
    fn check(&self, at: &mut JsonPath, found: &mut Vec<FhirError>) {
        if let Some(v) = self {
            v.check(at, found);
        }
    }
}

impl<T: Check> Check for Box<T> {
    fn check(&self, at: &mut JsonPath, found: &mut Vec<FhirError>) {
        (**self).check(at, found);
    }
}

impl<T: Check> Check for Vec<T> {
    fn check(&self, at: &mut JsonPath, found: &mut Vec<FhirError>) {
        for (i, v) in self.iter().enumerate() {
            at.index(i, |at| v.check(at, found));
        }
    }
}

/// Checks each named member of a value.
macro_rules! check_members {
    ($at:expr, $found:expr, $($name:literal => $value:expr),* $(,)?) => {{
        $( $at.member($name, |at| $value.check(at, $found)); )*
    }};
}

fn invalid(at: &JsonPath, member: &str, value: &str, source: CoreError) -> FhirError {
    FhirError::InvalidValue {
        path: at.with_member(member),
        value: value.to_owned(),
        source,
    }
}

impl Check for Identifier<'_> {
    fn check(&self, at: &mut JsonPath, found: &mut Vec<FhirError>) {
        if let (Some(system), Some(value)) = (self.system.as_deref(), self.value.as_deref()) {
            let result = match system {
                system::NHS_NUMBER => NhsNumber::new(value).map(drop),
                system::ODS_ORGANIZATION_CODE | system::ODS_SITE_CODE => {
                    OdsCode::new(value).map(drop)
                }
                _ => Ok(()),
            };
            if let Err(source) = result {
                found.push(invalid(at, "value", value, source));
            }
        }
        check_members!(at, found, "type" => self.r#type, "assigner" => self.assigner)
    }
}

impl Check for Coding<'_> {
    fn check(&self, at: &mut JsonPath, found: &mut Vec<FhirError>) {
        // SNOMED CT codings may also hold post-coordinated expressions, which are not
        // concept ids; only a plain number is held to the concept id rules.
        if let (Some(system::SNOMED_CT), Some(code)) =
            (self.system.as_deref(), self.code.as_deref())
            && !code.is_empty()
            && code.bytes().all(|b| b.is_ascii_digit())
        {
            let checked = code
                .parse::<u64>()
                .map_err(|_| CoreError::InvalidSnomedCode {
                    value: code.to_owned(),
                    reason: "must have 6 to 18 digits",
                })
                .and_then(SnomedCode::new);
            if let Err(source) = checked {
                found.push(invalid(at, "code", code, source));
            }
        }
    }
}

impl Check for CodeableConcept<'_> {
    fn check(&self, at: &mut JsonPath, found: &mut Vec<FhirError>) {
        check_members!(at, found, "coding" => self.coding)
    }
}

impl Check for Reference<'_> {
    fn check(&self, at: &mut JsonPath, found: &mut Vec<FhirError>) {
        check_members!(at, found, "identifier" => self.identifier)
    }
}

impl Check for Annotation<'_> {
    fn check(&self, at: &mut JsonPath, found: &mut Vec<FhirError>) {
        check_members!(at, found, "authorReference" => self.author_reference)
    }
}

impl Check for crate::Extension<'_> {
    fn check(&self, at: &mut JsonPath, found: &mut Vec<FhirError>) {
        check_members!(at, found,
            "extension" => self.extension,
            "valueReference" => self.value_reference,
            "valueIdentifier" => self.value_identifier,
            "valueCoding" => self.value_coding,
        )
    }
}

impl Check for Organization<'_> {
    fn check(&self, at: &mut JsonPath, found: &mut Vec<FhirError>) {
        check_members!(at, found,
            "extension" => self.extension,
            "identifier" => self.identifier,
            "type" => self.r#type,
            "partOf" => self.part_of,
        )
    }
}

impl Check for OrganizationAffiliation<'_> {
    fn check(&self, at: &mut JsonPath, found: &mut Vec<FhirError>) {
        check_members!(at, found,
            "extension" => self.extension,
            "identifier" => self.identifier,
            "organization" => self.organization,
            "participatingOrganization" => self.participating_organization,
            "network" => self.network,
            "code" => self.code,
            "specialty" => self.specialty,
            "location" => self.location,
            "healthcareService" => self.healthcare_service,
        )
    }
}

impl Check for Practitioner<'_> {
    fn check(&self, at: &mut JsonPath, found: &mut Vec<FhirError>) {
        check_members!(at, found,
            "extension" => self.extension, "identifier" => self.identifier)
    }
}

impl Check for PractitionerRole<'_> {
    fn check(&self, at: &mut JsonPath, found: &mut Vec<FhirError>) {
        check_members!(at, found,
            "extension" => self.extension,
            "identifier" => self.identifier,
            "practitioner" => self.practitioner,
            "organization" => self.organization,
            "code" => self.code,
            "specialty" => self.specialty,
            "location" => self.location,
            "healthcareService" => self.healthcare_service,
        )
    }
}

impl Check for crate::CareTeamParticipant<'_> {
    fn check(&self, at: &mut JsonPath, found: &mut Vec<FhirError>) {
        check_members!(at, found,
            "extension" => self.extension,
            "role" => self.role,
            "member" => self.member,
            "onBehalfOf" => self.on_behalf_of,
        )
    }
}

impl Check for CareTeam<'_> {
    fn check(&self, at: &mut JsonPath, found: &mut Vec<FhirError>) {
        check_members!(at, found,
            "extension" => self.extension,
            "identifier" => self.identifier,
            "category" => self.category,
            "subject" => self.subject,
            "participant" => self.participant,
            "managingOrganization" => self.managing_organization,
            "note" => self.note,
        )
    }
}

impl Check for Patient<'_> {
    fn check(&self, at: &mut JsonPath, found: &mut Vec<FhirError>) {
        check_members!(at, found,
            "extension" => self.extension,
            "identifier" => self.identifier,
            "generalPractitioner" => self.general_practitioner,
            "managingOrganization" => self.managing_organization,
        )
    }
}

impl Check for crate::CarePlanActivityDetail<'_> {
    fn check(&self, at: &mut JsonPath, found: &mut Vec<FhirError>) {
        check_members!(at, found,
            "code" => self.code,
            "reasonCode" => self.reason_code,
            "goal" => self.goal,
            "statusReason" => self.status_reason,
            "location" => self.location,
            "performer" => self.performer,
        )
    }
}

impl Check for CarePlanActivity<'_> {
    fn check(&self, at: &mut JsonPath, found: &mut Vec<FhirError>) {
        check_members!(at, found, "reference" => self.reference, "detail" => self.detail)
    }
}

impl Check for CarePlan<'_> {
    fn check(&self, at: &mut JsonPath, found: &mut Vec<FhirError>) {
        check_members!(at, found,
            "extension" => self.extension,
            "identifier" => self.identifier,
            "basedOn" => self.based_on,
            "replaces" => self.replaces,
            "partOf" => self.part_of,
            "category" => self.category,
            "subject" => self.subject,
            "author" => self.author,
            "contributor" => self.contributor,
            "careTeam" => self.care_team,
            "addresses" => self.addresses,
            "goal" => self.goal,
            "activity" => self.activity,
            "note" => self.note,
        )
    }
}

impl Check for ServiceRequest<'_> {
    fn check(&self, at: &mut JsonPath, found: &mut Vec<FhirError>) {
        check_members!(at, found,
            "extension" => self.extension,
            "identifier" => self.identifier,
            "basedOn" => self.based_on,
            "replaces" => self.replaces,
            "requisition" => self.requisition,
            "category" => self.category,
            "code" => self.code,
            "subject" => self.subject,
            "requester" => self.requester,
            "performerType" => self.performer_type,
            "performer" => self.performer,
            "reasonCode" => self.reason_code,
            "reasonReference" => self.reason_reference,
            "note" => self.note,
        )
    }
}

impl Check for Task<'_> {
    fn check(&self, at: &mut JsonPath, found: &mut Vec<FhirError>) {
        check_members!(at, found,
            "identifier" => self.identifier,
            "basedOn" => self.based_on,
            "groupIdentifier" => self.group_identifier,
            "partOf" => self.part_of,
            "statusReason" => self.status_reason,
            "businessStatus" => self.business_status,
            "code" => self.code,
            "focus" => self.focus,
            "for" => self.r#for,
            "requester" => self.requester,
            "performerType" => self.performer_type,
            "owner" => self.owner,
            "reasonCode" => self.reason_code,
            "note" => self.note,
        )
    }
}

impl Check for crate::HealthcareServiceEligibility<'_> {
    fn check(&self, at: &mut JsonPath, found: &mut Vec<FhirError>) {
        check_members!(at, found, "code" => self.code)
    }
}

impl Check for HealthcareService<'_> {
    fn check(&self, at: &mut JsonPath, found: &mut Vec<FhirError>) {
        check_members!(at, found,
            "extension" => self.extension,
            "identifier" => self.identifier,
            "providedBy" => self.provided_by,
            "category" => self.category,
            "type" => self.r#type,
            "specialty" => self.specialty,
            "location" => self.location,
            "coverageArea" => self.coverage_area,
            "serviceProvisionCode" => self.service_provision_code,
            "eligibility" => self.eligibility,
            "program" => self.program,
            "characteristic" => self.characteristic,
            "referralMethod" => self.referral_method,
        )
    }
}

impl Check for crate::MessageHeader<'_> {
    fn check(&self, at: &mut JsonPath, found: &mut Vec<FhirError>) {
        check_members!(at, found,
            "extension" => self.extension,
            "sender" => self.sender,
            "focus" => self.focus,
        );
        at.member("destination", |at| {
            for (i, destination) in self.destination.iter().enumerate() {
                at.index(i, |at| {
                    at.member("receiver", |at| destination.receiver.check(at, found));
                });
            }
        });
    }
}

impl Check for Bundle<'_> {
    fn check(&self, at: &mut JsonPath, found: &mut Vec<FhirError>) {
        at.member("identifier", |at| self.identifier.check(at, found));
        at.member("entry", |at| {
            for (i, entry) in self.entry.iter().enumerate() {
                at.index(i, |at| {
                    at.member("resource", |at| entry.resource.check(at, found));
                });
            }
        });
    }
}

impl Check for Resource<'_> {
    fn check(&self, at: &mut JsonPath, found: &mut Vec<FhirError>) {
        match self {
            Self::Organization(r) => r.check(at, found),
            Self::OrganizationAffiliation(r) => r.check(at, found),
            Self::Practitioner(r) => r.check(at, found),
            Self::PractitionerRole(r) => r.check(at, found),
            Self::CareTeam(r) => r.check(at, found),
            Self::Patient(r) => r.check(at, found),
            Self::CarePlan(r) => r.check(at, found),
            Self::ServiceRequest(r) => r.check(at, found),
            Self::Task(r) => r.check(at, found),
            Self::HealthcareService(r) => r.check(at, found),
            Self::Bundle(r) => r.check(at, found),
            Self::MessageHeader(r) => r.check(at, found),
            Self::OperationOutcome(_) | Self::Other(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(resource: &Resource) -> Result<(), FhirError> {
        first_error(resource, &mut JsonPath::new(resource.resource_type()))
    }

    #[test]
    fn a_bad_nhs_number_names_its_path_and_value() {
        let mut patient = Patient::default();
        patient.identifier.push(Identifier::new("urn:other", "x"));
        patient
            .identifier
            .push(Identifier::new(system::NHS_NUMBER, "9434765918"));
        let err = check(&patient.into()).unwrap_err();
        let FhirError::InvalidValue { path, value, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(path, "Patient.identifier[1].value");
        assert_eq!(value, "9434765918");
        assert!(err.to_string().contains("Modulus 11"), "{err}");
    }

    #[test]
    fn ods_codes_are_checked_in_references_too() {
        let role = PractitionerRole {
            organization: Some(Reference::by_identifier(
                "Organization",
                Identifier::new(system::ODS_ORGANIZATION_CODE, "a81001"),
            )),
            ..PractitionerRole::default()
        };
        let err = check(&role.into()).unwrap_err();
        assert!(
            matches!(&err, FhirError::InvalidValue { path, .. } if path == "PractitionerRole.organization.identifier.value"),
            "{err:?}"
        );
    }

    #[test]
    fn snomed_concept_ids_are_checked_but_expressions_pass() {
        let concept = |code: &'static str| {
            CodeableConcept::from_coding(Coding::new(system::SNOMED_CT, code, None))
        };
        let mut service = HealthcareService {
            r#type: vec![concept("394913002")],
            ..HealthcareService::default()
        };
        assert!(check(&service.clone().into()).is_ok());
        service.r#type.push(concept("394913003"));
        let err = check(&service.clone().into()).unwrap_err();
        assert!(
            matches!(&err, FhirError::InvalidValue { path, .. } if path == "HealthcareService.type[1].coding[0].code"),
            "{err:?}"
        );
        service.r#type[1] = concept("394913002:246112005=24484000");
        assert!(check(&service.into()).is_ok());
    }
}
