//! A whole network as one FHIR `Bundle` of type `collection`, both ways.

use std::collections::HashMap;

use pcn_network::{NetworkIndex, PracticeIndex, Registry};
use pcn_population::{CarePlan as ModelCarePlan, Patient as ModelPatient};
use pcn_team::{StaffMember, Team};
use serde::Serialize;
use uuid::Uuid;

use super::care_plan::{care_plan_at, care_plan_to_fhir};
use super::network::{
    AffiliationKind, OrganisationKind, affiliation_kind_of, membership_to_fhir, network_at,
    network_to_fhir, partner_at, partner_to_fhir, practice_at, practice_to_fhir,
};
use super::patient::{patient_at, patient_to_fhir};
use super::staff::{staff_at, staff_to_fhir};
use super::team::{team_at, team_to_fhir};
use super::{range_of, referenced_uuid, urn};
use crate::path::{IgnoredElements, JsonPath};
use crate::{
    Bundle, BundleEntry, BundleType, FhirError, FhirResource, Imported, Organization,
    OrganizationAffiliation, Practitioner, Resource, import,
};

/// A network's data as it travels in a bundle: the registry (practices, networks
/// with their partners, memberships), the registered patients, the staff and the
/// patients' care and support plans.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NetworkData {
    /// Practices, networks, partners and memberships.
    pub registry: Registry,
    /// The registered patients.
    pub patients: Vec<ModelPatient>,
    /// The staff.
    pub staff: Vec<StaffMember>,
    /// The teams.
    pub teams: Vec<Team>,
    /// Personalised care and support plans.
    pub care_plans: Vec<ModelCarePlan>,
}

fn entry<'a>(uuid: Uuid, resource: impl FhirResource<'a>) -> BundleEntry<'a> {
    BundleEntry {
        full_url: Some(urn(uuid).into()),
        resource: Some(resource.into_resource()),
    }
}

/// A network's data as a `collection` bundle: practices, networks, partner
/// organisations and their affiliations, memberships, patients, each member of
/// staff's `Practitioner` and `PractitionerRole`, teams, then care plans. Every
/// entry's `fullUrl` is the `urn:uuid:` of its resource's id, and references between
/// entries use those URNs. Names and other text are borrowed from the model.
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_core::DateRange;
/// use pcn_network::{Network, Practice, PracticeStatus, Registry};
/// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
/// let mut registry = Registry::new();
/// let practice = registry.add_practice(Practice::new(
///     "A81001".parse()?, "The Densham Surgery", DateRange::starting(d(1974, 4, 1)), PracticeStatus::Active)?)?;
/// let pcn = registry.add_network(Network::pcn("U89141".parse()?, "Stockton PCN", DateRange::starting(d(2019, 7, 1)))?)?;
/// registry.join(practice, pcn, DateRange::starting(d(2019, 7, 1)))?;
///
/// let data = pcn_fhir::NetworkData { registry, ..Default::default() };
/// let json = pcn_fhir::to_json(&pcn_fhir::network_to_bundle(&data))?;
/// let imported = pcn_fhir::import_network(json.as_bytes())?;
/// assert_eq!(imported.resource, data);
/// assert!(imported.ignored.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn network_to_bundle(data: &NetworkData) -> Bundle<'_> {
    let NetworkData {
        registry,
        patients,
        staff,
        teams,
        care_plans,
    } = data;
    let mut bundle = Bundle::new(BundleType::Collection);
    let partner_count: usize = registry.networks().map(|(_, n)| n.partners().len()).sum();
    bundle.entry.reserve(
        registry.practice_count()
            + registry.network_count()
            + 2 * partner_count
            + registry.membership_count()
            + patients.len()
            + 2 * staff.len()
            + teams.len()
            + care_plans.len(),
    );
    for (_, practice) in registry.practices() {
        bundle
            .entry
            .push(entry(practice.id().as_uuid(), practice_to_fhir(practice)));
    }
    for (_, network) in registry.networks() {
        bundle
            .entry
            .push(entry(network.id().as_uuid(), network_to_fhir(network)));
    }
    for (_, network) in registry.networks() {
        for (index, partner) in network.partners().iter().enumerate() {
            let (organization, affiliation) = partner_to_fhir(network, index, partner);
            let organization_uuid = uuid_of(organization.id.as_ref());
            let affiliation_uuid = uuid_of(affiliation.id.as_ref());
            bundle.entry.push(entry(organization_uuid, organization));
            bundle.entry.push(entry(affiliation_uuid, affiliation));
        }
    }
    for membership in registry.memberships() {
        let (Some(practice), Some(network)) = (
            registry.practice(membership.practice),
            registry.network(membership.network),
        ) else {
            continue;
        };
        let affiliation = membership_to_fhir(practice.id(), network.id(), membership.during);
        bundle
            .entry
            .push(entry(uuid_of(affiliation.id.as_ref()), affiliation));
    }
    for patient in patients {
        bundle
            .entry
            .push(entry(patient.id().as_uuid(), patient_to_fhir(patient)));
    }
    for member in staff {
        let (practitioner, role) = staff_to_fhir(member);
        let role_uuid = uuid_of(role.id.as_ref());
        bundle
            .entry
            .push(entry(member.id().as_uuid(), practitioner));
        bundle.entry.push(entry(role_uuid, role));
    }
    for team in teams {
        bundle
            .entry
            .push(entry(team.id().as_uuid(), team_to_fhir(team)));
    }
    for plan in care_plans {
        bundle
            .entry
            .push(entry(plan.id().as_uuid(), care_plan_to_fhir(plan)));
    }
    bundle
}

fn uuid_of(id: Option<&crate::ResourceId<'_>>) -> Uuid {
    id.and_then(|id| super::read_uuid(id.as_str(), String::new).ok())
        .unwrap_or_default()
}

/// Reads a network bundle's JSON into the model.
///
/// # Errors
/// As [`import`](crate::import) for the JSON, and as [`network_from_bundle`] for the
/// mapping.
pub fn import_network(json: &[u8]) -> Result<Imported<NetworkData>, FhirError> {
    let Imported {
        resource: bundle,
        mut ignored,
    } = import::<Bundle<'_>>(json)?;
    let data = network_from_bundle(&bundle, &mut ignored)?;
    Ok(Imported {
        resource: data,
        ignored,
    })
}

/// Reads a network bundle's JSON into the model as a validator does: every resource
/// that is sound is kept, and every issue is reported (see
/// [`validate_resource`](crate::validate_resource)). A resource the model refuses (a
/// practice without an ODS code, a membership overlapping another) is an error at
/// its entry and is left out, and so is what depends on it (a membership of a
/// practice left out); the rest is read again without it, so each refused resource
/// costs one more mapping of the bundle (a well-formed bundle is mapped once).
///
/// On a bundle [`import_network`] accepts, this gives the same network with no
/// error in the report.
///
/// ```
/// let json = br#"{"resourceType": "Bundle", "type": "collection", "entry": [
///   {"fullUrl": "urn:uuid:0190b2a4-1c9e-7d42-8f00-5a4f2c1e9b01", "resource": {
///     "resourceType": "Patient", "id": "0190b2a4-1c9e-7d42-8f00-5a4f2c1e9b01", "birthDate": "1950-03-01",
///     "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765919"}]}},
///   {"resource": {"resourceType": "Patient", "birthDate": "1961",
///     "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9990000018"}]}}]}"#;
/// let validated = pcn_fhir::validate_network(json);
/// assert_eq!(validated.value.unwrap().patients.len(), 1);
/// let error = validated.report.errors().next().unwrap();
/// assert_eq!(error.location, "Bundle.entry[1].resource.birthDate");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn validate_network(json: &[u8]) -> crate::Validated<NetworkData> {
    let crate::Validated { value, mut report } = crate::validate_resource(json);
    let mut bundle = match value {
        Some(Resource::Bundle(bundle)) => bundle,
        Some(other) => {
            report.push_error(&FhirError::UnexpectedResourceType {
                path: other.resource_type().to_owned(),
                expected: "Bundle",
                found: other.resource_type().to_owned(),
            });
            return crate::Validated {
                value: None,
                report,
            };
        }
        None => {
            return crate::Validated {
                value: None,
                report,
            };
        }
    };
    loop {
        let mut ignored = IgnoredElements::new();
        match network_from_bundle(&bundle, &mut ignored) {
            Ok(data) => {
                // The model's own additions: resources and elements it does not hold.
                crate::validate::report_ignored(&ignored, &mut report);
                return crate::Validated {
                    value: Some(data),
                    report,
                };
            }
            Err(error) => {
                report.push_error(&error);
                let entry = error
                    .path()
                    .and_then(|p| p.strip_prefix("Bundle.entry["))
                    .and_then(|p| p.split_once(']'))
                    .and_then(|(i, _)| i.parse::<usize>().ok())
                    .and_then(|i| bundle.entry.get_mut(i))
                    .filter(|e| e.resource.is_some());
                match entry {
                    Some(entry) => entry.resource = None,
                    None => {
                        return crate::Validated {
                            value: None,
                            report,
                        };
                    }
                }
            }
        }
    }
}

/// The key a bundle entry is referred to by: the UUID of its `urn:uuid:` full URL,
/// or of its id.
fn entry_uuid(entry: &BundleEntry<'_>) -> Option<Uuid> {
    let from_url = entry
        .full_url
        .as_deref()
        .and_then(|url| url.strip_prefix(crate::system::URN_UUID_PREFIX))
        .and_then(|id| super::read_uuid(id, String::new).ok());
    from_url.or_else(|| {
        entry
            .resource
            .as_ref()
            .and_then(Resource::id)
            .and_then(|id| super::read_uuid(id.as_str(), String::new).ok())
    })
}

/// A network bundle's resources as the model: practices, networks, partners and
/// memberships into a [`Registry`], patients into [`ModelPatient`]s. Resources the
/// network model does not hold (a care plan, an observation) are added to `ignored`
/// by their entry's path.
///
/// # Errors
/// The mapping errors of [`practice_from_fhir`](crate::practice_from_fhir),
/// [`network_from_fhir`](crate::network_from_fhir) and
/// [`patient_from_fhir`](crate::patient_from_fhir), naming the entry's path;
/// [`FhirError::UnresolvedReference`] for an affiliation pointing outside the bundle;
/// [`FhirError::Network`] when the registry refuses a membership (overlapping PCNs,
/// dates outside a practice's operation).
pub fn network_from_bundle(
    bundle: &Bundle<'_>,
    ignored: &mut IgnoredElements,
) -> Result<NetworkData, FhirError> {
    let mut registry = Registry::new();
    let mut practices: HashMap<Uuid, PracticeIndex> = HashMap::new();
    let mut networks: HashMap<Uuid, NetworkIndex> = HashMap::new();
    let mut partners: HashMap<Uuid, (usize, &Organization<'_>)> = HashMap::new();
    let mut affiliations: Vec<(usize, &OrganizationAffiliation<'_>)> = Vec::new();
    let mut patients = Vec::new();
    let mut practitioners: HashMap<Uuid, (usize, &Practitioner<'_>)> = HashMap::new();
    let mut roles = Vec::new();
    let mut care_plans = Vec::new();
    let mut teams = Vec::new();
    let path = |i: usize| JsonPath::new(&format!("Bundle.entry[{i}].resource"));
    let registry_error = |i: usize, source| FhirError::Network {
        path: format!("Bundle.entry[{i}].resource"),
        source,
    };
    for (i, bundle_entry) in bundle.entry.iter().enumerate() {
        let Some(resource) = &bundle_entry.resource else {
            continue;
        };
        let key = entry_uuid(bundle_entry);
        report_unused(resource, &path(i), ignored)?;
        match resource {
            Resource::Organization(organization) => {
                let at = path(i);
                match OrganisationKind::of(organization, &at)? {
                    Some(OrganisationKind::Practice) => {
                        let practice = practice_at(organization, &at)?;
                        let id = practice.id().as_uuid();
                        let index = registry
                            .add_practice(practice)
                            .map_err(|e| registry_error(i, e))?;
                        practices.insert(key.unwrap_or(id), index);
                    }
                    Some(OrganisationKind::Network(kind)) => {
                        let network = network_at(organization, kind, &at)?;
                        let id = network.id().as_uuid();
                        let index = registry
                            .add_network(network)
                            .map_err(|e| registry_error(i, e))?;
                        networks.insert(key.unwrap_or(id), index);
                    }
                    Some(OrganisationKind::Partner) => {
                        if let Some(key) = key {
                            partners.insert(key, (i, organization));
                        }
                    }
                    None => ignored.push(at.as_str()),
                }
            }
            Resource::OrganizationAffiliation(affiliation) => affiliations.push((i, affiliation)),
            Resource::Patient(patient) => patients.push(patient_at(patient, &path(i))?),
            Resource::Practitioner(practitioner) => match key {
                Some(key) => {
                    practitioners.insert(key, (i, practitioner));
                }
                None => ignored.push(path(i).as_str()),
            },
            Resource::PractitionerRole(role) => roles.push((i, role)),
            Resource::CarePlan(plan) => care_plans.push(care_plan_at(plan, &path(i))?),
            Resource::CareTeam(team) => teams.push(team_at(team, &path(i))?),
            _ => ignored.push(path(i).as_str()),
        }
    }
    for (i, affiliation) in affiliations {
        let at = path(i);
        let Some(kind) = affiliation_kind_of(affiliation, &at)? else {
            ignored.push(at.as_str());
            continue;
        };
        let network_uuid = referenced_uuid(affiliation.organization.as_ref(), &at, "organization")?;
        let network = *networks
            .get(&network_uuid)
            .ok_or_else(|| unresolved(&at, "organization", network_uuid))?;
        let target = referenced_uuid(
            affiliation.participating_organization.as_ref(),
            &at,
            "participatingOrganization",
        )?;
        match kind {
            AffiliationKind::Member => {
                let practice = *practices
                    .get(&target)
                    .ok_or_else(|| unresolved(&at, "participatingOrganization", target))?;
                let during = range_of(affiliation.period.as_ref(), &at, "period")?;
                registry
                    .join(practice, network, during)
                    .map_err(|e| registry_error(i, e))?;
            }
            AffiliationKind::Partner(role) => {
                let (j, organization) = *partners
                    .get(&target)
                    .ok_or_else(|| unresolved(&at, "participatingOrganization", target))?;
                let partner = partner_at(organization, role, affiliation, &path(j), &at)?;
                if let Some(network) = registry.network_mut(network) {
                    network.add_partner(partner);
                }
            }
        }
    }
    let mut staff = Vec::with_capacity(roles.len());
    for (i, role) in roles {
        let at = path(i);
        let uuid = referenced_uuid(role.practitioner.as_ref(), &at, "practitioner")?;
        let (j, practitioner) = *practitioners
            .get(&uuid)
            .ok_or_else(|| unresolved(&at, "practitioner", uuid))?;
        staff.push(staff_at(practitioner, role, &path(j), &at)?);
    }
    Ok(NetworkData {
        registry,
        patients,
        staff,
        teams,
        care_plans,
    })
}

/// Adds to `ignored` the elements of a mapped resource that the model does not take
/// in: standard elements the mapping does not read, and extensions other than this
/// crate's own.
fn report_unused(
    resource: &Resource<'_>,
    at: &JsonPath,
    ignored: &mut IgnoredElements,
) -> Result<(), FhirError> {
    let mut note = |name: &str, present: bool| {
        if present {
            ignored.push(&at.with_member(name));
        }
    };
    let extensions: &[crate::Extension<'_>] = match resource {
        Resource::Organization(o) => {
            let network = matches!(
                OrganisationKind::of(o, at)?,
                Some(OrganisationKind::Network(_))
            );
            let practice = matches!(
                OrganisationKind::of(o, at)?,
                Some(OrganisationKind::Practice)
            );
            note("alias", !o.alias.is_empty());
            note("telecom", !o.telecom.is_empty());
            note("partOf", !network && o.part_of.is_some());
            note("address", !practice && !o.address.is_empty());
            &o.extension
        }
        Resource::OrganizationAffiliation(a) => {
            note("network", !a.network.is_empty());
            note("specialty", !a.specialty.is_empty());
            note("location", !a.location.is_empty());
            note("healthcareService", !a.healthcare_service.is_empty());
            note("telecom", !a.telecom.is_empty());
            &a.extension
        }
        Resource::Patient(p) => {
            note("name", !p.name.is_empty());
            note("telecom", !p.telecom.is_empty());
            note("address", !p.address.is_empty());
            note("deceasedBoolean", p.deceased_boolean.is_some());
            note("deceasedDateTime", p.deceased_date_time.is_some());
            note("managingOrganization", p.managing_organization.is_some());
            &p.extension
        }
        Resource::Practitioner(p) => {
            note("telecom", !p.telecom.is_empty());
            note("address", !p.address.is_empty());
            note("gender", p.gender.is_some());
            note("birthDate", p.birth_date.is_some());
            &p.extension
        }
        Resource::PractitionerRole(r) => {
            note("period", r.period.is_some());
            note("specialty", !r.specialty.is_empty());
            note("location", !r.location.is_empty());
            note("healthcareService", !r.healthcare_service.is_empty());
            note("telecom", !r.telecom.is_empty());
            &r.extension
        }
        Resource::CarePlan(c) => {
            note("identifier", !c.identifier.is_empty());
            note("basedOn", !c.based_on.is_empty());
            note("replaces", !c.replaces.is_empty());
            note("partOf", !c.part_of.is_empty());
            note("category", !c.category.is_empty());
            note("title", c.title.is_some());
            note("description", c.description.is_some());
            note("period", c.period.is_some());
            note("careTeam", !c.care_team.is_empty());
            note("addresses", !c.addresses.is_empty());
            note("goal", !c.goal.is_empty());
            note("note", !c.note.is_empty());
            &c.extension
        }
        Resource::CareTeam(t) => {
            note("identifier", !t.identifier.is_empty());
            note("subject", t.subject.is_some());
            note("period", t.period.is_some());
            note("telecom", !t.telecom.is_empty());
            note("note", !t.note.is_empty());
            &t.extension
        }
        _ => &[],
    };
    for (i, extension) in extensions.iter().enumerate() {
        if !extension.url.starts_with(super::PCN_BASE) {
            ignored.push(&format!("{}.extension[{i}]", at.as_str()));
        }
    }
    Ok(())
}

fn unresolved(at: &JsonPath, member: &str, uuid: Uuid) -> FhirError {
    FhirError::UnresolvedReference {
        path: at.with_member(member),
        reference: urn(uuid),
    }
}
