//! Practices, networks and partners as `Organization`s; memberships and partner
//! agreements as `OrganizationAffiliation`s.
//!
//! | model | FHIR |
//! |---|---|
//! | practice code, network code, partner code | `Organization.identifier` (ODS code system) |
//! | name | `Organization.name` |
//! | practice postcode | `Organization.address.postalCode` |
//! | practice status | `Organization.active` (active or not) and the `practice-status` extension |
//! | operating dates (practice), open dates (network) | `operating-period` extension |
//! | practice commissioner over time, list size over time | `commissioner` and `list-size` extensions, one per change |
//! | network commissioner | `Organization.partOf`, by ODS code |
//! | network kind, partner | `Organization.type`, this crate's `organisation-kind` codes |
//! | clinical directors, nominated payee, network agreement | extensions of the network's `Organization` |
//! | membership | `OrganizationAffiliation`: `organization` the network, `participatingOrganization` the practice, `period` |
//! | partner | its own `Organization`, and an `OrganizationAffiliation` with the partner role as `code` |
//!
//! | practice location | `location` extension (latitude and longitude in millionths of a degree) |
//!
//! Not carried: a network's rule exceptions and the
//! registry's record of mergers (a merger's effects, the closed practice's dates and
//! memberships, are carried).

use std::borrow::Cow;

use chrono::NaiveDate;
use pcn_core::{DateRange, NetworkId, OdsCode, OrganisationId, PracticeId, StaffId};
use pcn_network::{
    ClinicalDirector, Network, NetworkAgreement, NetworkKind, NominatedPayee, Partner, PartnerRole,
    Practice, PracticeStatus,
};
use uuid::Uuid;

use super::{
    AFFILIATION_KIND, CLINICAL_DIRECTOR, COMMISSIONER, LIST_SIZE, LOCATION, NETWORK_AGREEMENT,
    NOMINATED_PAYEE, OPERATING_PERIOD, ORGANISATION_KIND, PARTNER_ROLE, PRACTICE_STATUS,
    code_extension, complex, day_of, extensions, missing_part, part, period_of, range_of,
    reference_to, referenced_uuid,
};
use crate::path::JsonPath;
use crate::{
    Address, CodeableConcept, Coding, Extension, FhirDate, FhirError, Identifier, Organization,
    OrganizationAffiliation, Reference, ResourceId, system,
};

/// What an `Organization` is in the model, by this crate's `organisation-kind` code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OrganisationKind {
    Practice,
    Network(NetworkKind),
    Partner,
}

const KIND_CODES: &str =
    "practice, primary-care-network, primary-care-home, neighbourhood, partner";

impl OrganisationKind {
    fn code(self) -> &'static str {
        match self {
            Self::Practice => "practice",
            Self::Network(NetworkKind::PrimaryCareHome) => "primary-care-home",
            Self::Network(NetworkKind::Neighbourhood) => "neighbourhood",
            Self::Network(_) => "primary-care-network",
            Self::Partner => "partner",
        }
    }

    fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "practice" => Self::Practice,
            "primary-care-network" => Self::Network(NetworkKind::PrimaryCareNetwork),
            "primary-care-home" => Self::Network(NetworkKind::PrimaryCareHome),
            "neighbourhood" => Self::Network(NetworkKind::Neighbourhood),
            "partner" => Self::Partner,
            _ => return None,
        })
    }

    fn concept(self) -> CodeableConcept<'static> {
        CodeableConcept::from_coding(Coding::new(ORGANISATION_KIND, self.code(), None))
    }

    /// The kind an organisation declares, or the kind its ODS code's shape shows.
    pub(crate) fn of(
        organization: &Organization<'_>,
        at: &JsonPath,
    ) -> Result<Option<Self>, FhirError> {
        for (i, concept) in organization.r#type.iter().enumerate() {
            for (j, coding) in concept.coding.iter().enumerate() {
                if coding.system.as_deref() == Some(ORGANISATION_KIND) {
                    let code = coding.code.as_deref().unwrap_or_default();
                    return Self::from_code(code)
                        .map(Some)
                        .ok_or_else(|| FhirError::InvalidCode {
                            path: format!("{}.type[{i}].coding[{j}].code", at.as_str()),
                            value: code.to_owned(),
                            expected: KIND_CODES,
                        });
                }
            }
        }
        Ok(ods_code(organization).and_then(|code| match code.kind() {
            Some(pcn_core::OrganisationKind::GpPractice) => Some(Self::Practice),
            Some(pcn_core::OrganisationKind::PrimaryCareNetwork) => {
                Some(Self::Network(NetworkKind::PrimaryCareNetwork))
            }
            _ => None,
        }))
    }
}

/// The organisation's ODS code, if it has one (import has checked its form).
pub(crate) fn ods_code(organization: &Organization<'_>) -> Option<OdsCode> {
    organization
        .identifier
        .iter()
        .filter(|id| id.is_in(system::ODS_ORGANIZATION_CODE))
        .find_map(|id| id.value.as_deref()?.parse().ok())
}

fn required_name<'o>(
    organization: &'o Organization<'_>,
    at: &JsonPath,
) -> Result<&'o str, FhirError> {
    organization
        .name
        .as_deref()
        .ok_or_else(|| FhirError::MissingElement {
            path: at.with_member("name"),
            element: "name",
        })
}

fn required_ods(organization: &Organization<'_>, at: &JsonPath) -> Result<OdsCode, FhirError> {
    ods_code(organization).ok_or_else(|| FhirError::MissingElement {
        path: at.with_member("identifier"),
        element: "ODS code identifier",
    })
}

fn operating(organization: &Organization<'_>, at: &JsonPath) -> Result<DateRange, FhirError> {
    let found = extensions(&organization.extension, OPERATING_PERIOD).next();
    let (index, ext) = found.ok_or_else(|| FhirError::MissingElement {
        path: at.with_member("extension"),
        element: "operating-period extension",
    })?;
    let mut ext_at = JsonPath::new(&format!("{}.extension[{index}]", at.as_str()));
    ext_at.member("valuePeriod", |_| ());
    range_of(ext.value_period.as_ref(), &ext_at, "valuePeriod")
}

/// A date-keyed change of a timeline as a complex extension.
fn change_extension(
    url: &'static str,
    from: NaiveDate,
    value: Option<Extension<'static>>,
) -> Extension<'static> {
    let mut parts = vec![Extension {
        value_date: Some(FhirDate::Day(from)),
        ..Extension::new("from")
    }];
    parts.extend(value);
    complex(url, parts)
}

fn change_from(ext: &Extension<'_>, at: &JsonPath, index: usize) -> Result<NaiveDate, FhirError> {
    let from = part(ext, "from").ok_or_else(|| missing_part(at, index, "from"))?;
    day_of(from.value_date, || {
        format!("{}.extension[{index}].extension", at.as_str())
    })
}

fn ods_part(code: OdsCode) -> Extension<'static> {
    Extension {
        value_identifier: Some(Identifier::ods_code(code)),
        ..Extension::new("code")
    }
}

fn ods_of_part(ext: &Extension<'_>, url: &str) -> Option<OdsCode> {
    part(ext, url)?
        .value_identifier
        .as_ref()?
        .value
        .as_deref()?
        .parse()
        .ok()
}

/// A GP practice as an `Organization`.
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_core::DateRange;
/// use pcn_network::{Practice, PracticeStatus};
/// let opened = DateRange::starting(NaiveDate::from_ymd_opt(1974, 4, 1).unwrap());
/// let practice = Practice::new("A81001".parse()?, "The Densham Surgery", opened, PracticeStatus::Active)?;
/// let organization = pcn_fhir::practice_to_fhir(&practice);
/// assert_eq!(organization.name.as_deref(), Some("The Densham Surgery"));
/// assert_eq!(pcn_fhir::practice_from_fhir(&organization)?, practice);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn practice_to_fhir(practice: &Practice) -> Organization<'_> {
    let mut extension = vec![
        Extension {
            value_period: Some(period_of(practice.operating())),
            ..Extension::new(OPERATING_PERIOD)
        },
        code_extension(PRACTICE_STATUS, status_code(practice.status())),
    ];
    for change in practice.commissioners().changes() {
        extension.push(change_extension(
            COMMISSIONER,
            change.from,
            change.value.map(ods_part),
        ));
    }
    for change in practice.list_sizes().changes() {
        let count = change.value.map(|n| Extension {
            value_unsigned_int: Some(n),
            ..Extension::new("count")
        });
        extension.push(change_extension(LIST_SIZE, change.from, count));
    }
    if let Some(location) = practice.location() {
        extension.push(complex(
            LOCATION,
            vec![
                micro_part("latitude", location.latitude()),
                micro_part("longitude", location.longitude()),
            ],
        ));
    }
    Organization {
        id: Some(ResourceId::from_uuid(practice.id().as_uuid())),
        extension,
        identifier: vec![Identifier::ods_code(practice.code())],
        active: Some(practice.status() == PracticeStatus::Active),
        r#type: vec![OrganisationKind::Practice.concept()],
        name: Some(Cow::Borrowed(practice.name())),
        address: practice
            .postcode()
            .map(|p| Address {
                postal_code: Some(Cow::Owned(p.to_string())),
                ..Address::default()
            })
            .into_iter()
            .collect(),
        ..Organization::default()
    }
}

/// Degrees as an integer count of millionths, as the model holds them.
fn micro_part(url: &'static str, degrees: f64) -> Extension<'static> {
    Extension {
        value_integer: format!("{:.0}", degrees * 1_000_000.0).parse().ok(),
        ..Extension::new(url)
    }
}

fn status_code(status: PracticeStatus) -> &'static str {
    match status {
        PracticeStatus::Closed => "closed",
        PracticeStatus::Dormant => "dormant",
        PracticeStatus::Proposed => "proposed",
        _ => "active",
    }
}

/// A GP practice from an `Organization` with an ODS code, a name and the
/// `operating-period` extension.
///
/// # Errors
/// [`FhirError::MissingElement`] for a missing ODS code, name or operating period;
/// [`FhirError::InvalidValue`] or [`FhirError::InvalidCode`] for a malformed
/// postcode, status or change; [`FhirError::Network`] if the model refuses the
/// practice (a closed practice with no close date, a list size outside its dates).
pub fn practice_from_fhir(organization: &Organization<'_>) -> Result<Practice, FhirError> {
    practice_at(organization, &JsonPath::new("Organization"))
}

pub(crate) fn practice_at(
    organization: &Organization<'_>,
    at: &JsonPath,
) -> Result<Practice, FhirError> {
    let code = required_ods(organization, at)?;
    let name = required_name(organization, at)?;
    let operating = operating(organization, at)?;
    let status = match extensions(&organization.extension, PRACTICE_STATUS).next() {
        Some((i, ext)) => match ext.value_code.as_deref().unwrap_or_default() {
            "active" => PracticeStatus::Active,
            "closed" => PracticeStatus::Closed,
            "dormant" => PracticeStatus::Dormant,
            "proposed" => PracticeStatus::Proposed,
            other => {
                return Err(FhirError::InvalidCode {
                    path: format!("{}.extension[{i}].valueCode", at.as_str()),
                    value: other.to_owned(),
                    expected: "active, closed, dormant, proposed",
                });
            }
        },
        None if organization.active == Some(false) => PracticeStatus::Closed,
        None => PracticeStatus::Active,
    };
    let network_error = |source| FhirError::Network {
        path: at.as_str().to_owned(),
        source,
    };
    let mut practice = Practice::new(code, name, operating, status).map_err(network_error)?;
    if let Some((i, postcode)) = organization
        .address
        .iter()
        .enumerate()
        .find_map(|(i, a)| a.postal_code.as_deref().map(|p| (i, p)))
    {
        let postcode = postcode.parse().map_err(|source| FhirError::InvalidValue {
            path: format!("{}.address[{i}].postalCode", at.as_str()),
            value: postcode.to_owned(),
            source,
        })?;
        practice.set_postcode(Some(postcode));
    }
    for (i, ext) in extensions(&organization.extension, COMMISSIONER) {
        let from = change_from(ext, at, i)?;
        match ods_of_part(ext, "code") {
            Some(code) => practice.set_commissioner(from, code),
            None => practice.end_commissioner(from),
        }
    }
    for (i, ext) in extensions(&organization.extension, LIST_SIZE) {
        let from = change_from(ext, at, i)?;
        let count = part(ext, "count")
            .and_then(|c| c.value_unsigned_int)
            .ok_or_else(|| missing_part(at, i, "count"))?;
        practice
            .record_list_size(from, count)
            .map_err(network_error)?;
    }
    if let Some((i, ext)) = extensions(&organization.extension, LOCATION).next() {
        let micro = |url| {
            part(ext, url)
                .and_then(|p| p.value_integer)
                .map(|m| f64::from(m) / 1_000_000.0)
                .ok_or_else(|| missing_part(at, i, "latitude and longitude"))
        };
        let (latitude, longitude) = (micro("latitude")?, micro("longitude")?);
        let location = pcn_core::Location::new(latitude, longitude).map_err(|source| {
            FhirError::InvalidValue {
                path: format!("{}.extension[{i}]", at.as_str()),
                value: format!("{latitude}, {longitude}"),
                source,
            }
        })?;
        practice.set_location(Some(location));
    }
    Ok(practice)
}

/// A network (a PCN, a Primary Care Home site, a neighbourhood network) as an
/// `Organization`. Its partners are separate resources: see
/// [`partner_to_fhir`].
#[must_use]
pub fn network_to_fhir(network: &Network) -> Organization<'_> {
    let mut extension = vec![Extension {
        value_period: Some(period_of(network.open())),
        ..Extension::new(OPERATING_PERIOD)
    }];
    for director in network.clinical_directors() {
        let mut parts = vec![
            Extension {
                value_string: Some(Cow::Borrowed(director.name())),
                ..Extension::new("name")
            },
            Extension {
                value_period: Some(period_of(director.during())),
                ..Extension::new("period")
            },
        ];
        if let Some(staff) = director.staff() {
            parts.push(Extension {
                value_reference: Some(reference_to(staff.as_uuid())),
                ..Extension::new("staff")
            });
        }
        extension.push(Extension {
            extension: parts,
            ..Extension::new(CLINICAL_DIRECTOR)
        });
    }
    if let Some(payee) = network.nominated_payee() {
        let kind = match payee {
            NominatedPayee::Practice(_) => "practice",
            NominatedPayee::Provider(_) => "provider",
        };
        extension.push(complex(
            NOMINATED_PAYEE,
            vec![code_extension("kind", kind), ods_part(payee.code())],
        ));
    }
    if let Some(agreement) = network.agreement() {
        extension.push(complex(
            NETWORK_AGREEMENT,
            vec![
                Extension {
                    value_date: Some(FhirDate::Day(agreement.signed_on)),
                    ..Extension::new("signed")
                },
                Extension {
                    value_period: Some(period_of(agreement.in_force)),
                    ..Extension::new("period")
                },
            ],
        ));
    }
    Organization {
        id: Some(ResourceId::from_uuid(network.id().as_uuid())),
        extension,
        identifier: network
            .code()
            .map(Identifier::ods_code)
            .into_iter()
            .collect(),
        active: Some(true),
        r#type: vec![OrganisationKind::Network(network.kind()).concept()],
        name: Some(Cow::Borrowed(network.name())),
        part_of: network
            .commissioner()
            .map(|c| Reference::by_identifier("Organization", Identifier::ods_code(c))),
        ..Organization::default()
    }
}

/// A network from an `Organization`: a PCN needs its ODS code; every network needs a
/// name and the `operating-period` extension. Partners are added from their
/// affiliations.
///
/// # Errors
/// [`FhirError::MissingElement`] for a missing code (PCN), name or open period, or
/// a clinical director, payee or agreement missing a part; [`FhirError::Network`] if
/// the model refuses the network.
pub fn network_from_fhir(organization: &Organization<'_>) -> Result<Network, FhirError> {
    let at = JsonPath::new("Organization");
    let kind = match OrganisationKind::of(organization, &at)? {
        Some(OrganisationKind::Network(kind)) => kind,
        _ => NetworkKind::PrimaryCareNetwork,
    };
    network_at(organization, kind, &at)
}

pub(crate) fn network_at(
    organization: &Organization<'_>,
    kind: NetworkKind,
    at: &JsonPath,
) -> Result<Network, FhirError> {
    let name = required_name(organization, at)?;
    let open = operating(organization, at)?;
    let network_error = |source| FhirError::Network {
        path: at.as_str().to_owned(),
        source,
    };
    let mut network = if kind.is_pcn() {
        Network::pcn(required_ods(organization, at)?, name, open).map_err(network_error)?
    } else {
        let id = super::model_uuid("Organization", organization.id.as_ref())
            .map_or_else(|| NetworkId::derived(name), NetworkId::from_uuid);
        Network::neighbourhood(id, ods_code(organization), kind, name, open)
            .map_err(network_error)?
    };
    if let Some(commissioner) = organization
        .part_of
        .as_ref()
        .and_then(|r| r.identifier.as_ref())
        .filter(|id| id.is_in(system::ODS_ORGANIZATION_CODE))
        .and_then(|id| id.value.as_deref()?.parse().ok())
    {
        network.set_commissioner(Some(commissioner));
    }
    for (i, ext) in extensions(&organization.extension, CLINICAL_DIRECTOR) {
        let name = part(ext, "name")
            .and_then(|p| p.value_string.as_deref())
            .ok_or_else(|| missing_part(at, i, "name"))?;
        let ext_at = JsonPath::new(&format!("{}.extension[{i}]", at.as_str()));
        let during = range_of(
            part(ext, "period").and_then(|p| p.value_period.as_ref()),
            &ext_at,
            "extension",
        )?;
        let mut director = ClinicalDirector::new(name, during).map_err(network_error)?;
        if let Some(staff) = part(ext, "staff") {
            let uuid = referenced_uuid(staff.value_reference.as_ref(), &ext_at, "extension")?;
            director = director.with_staff(StaffId::from_uuid(uuid));
        }
        network.add_clinical_director(director);
    }
    if let Some((i, ext)) = extensions(&organization.extension, NOMINATED_PAYEE).next() {
        let code = ods_of_part(ext, "code").ok_or_else(|| missing_part(at, i, "code"))?;
        let payee = match part(ext, "kind").and_then(|k| k.value_code.as_deref()) {
            Some("practice") => NominatedPayee::Practice(code),
            Some("provider") => NominatedPayee::Provider(code),
            _ => return Err(missing_part(at, i, "kind (practice or provider)")),
        };
        network.set_nominated_payee(Some(payee));
    }
    if let Some((i, ext)) = extensions(&organization.extension, NETWORK_AGREEMENT).next() {
        let signed = day_of(part(ext, "signed").and_then(|s| s.value_date), || {
            format!("{}.extension[{i}].extension", at.as_str())
        })?;
        let ext_at = JsonPath::new(&format!("{}.extension[{i}]", at.as_str()));
        let in_force = range_of(
            part(ext, "period").and_then(|p| p.value_period.as_ref()),
            &ext_at,
            "extension",
        )?;
        network.set_agreement(Some(NetworkAgreement::new(signed, in_force)));
    }
    Ok(network)
}

const PARTNER_ROLES: [(PartnerRole, &str); 8] = [
    (PartnerRole::CommunityServices, "community-services"),
    (PartnerRole::MentalHealth, "mental-health"),
    (PartnerRole::AcuteHospital, "acute-hospital"),
    (
        PartnerRole::LocalAuthoritySocialCare,
        "local-authority-social-care",
    ),
    (PartnerRole::VoluntarySector, "voluntary-sector"),
    (PartnerRole::Police, "police"),
    (PartnerRole::Fire, "fire"),
    (PartnerRole::CommunityPharmacy, "community-pharmacy"),
];

fn affiliation_kind(code: &'static str) -> CodeableConcept<'static> {
    CodeableConcept::from_coding(Coding::new(AFFILIATION_KIND, code, None))
}

/// The id of a network's `index`-th partner's `Organization`, where the partner has
/// none of its own.
fn partner_uuid(network: NetworkId, index: usize) -> Uuid {
    OrganisationId::derived(&format!("partner:{network}:{index}")).as_uuid()
}

/// The id of the `OrganizationAffiliation` tying a network's `index`-th partner to
/// it: derived in the network's namespace.
fn partner_agreement_uuid(network: NetworkId, index: usize) -> Uuid {
    NetworkId::derived(&format!("agreement:{network}:{index}")).as_uuid()
}

/// A network's `index`-th partner as its own `Organization` and the
/// `OrganizationAffiliation` that ties it to the network.
#[must_use]
pub fn partner_to_fhir<'p>(
    network: &Network,
    index: usize,
    partner: &'p Partner,
) -> (Organization<'p>, OrganizationAffiliation<'p>) {
    let organization_uuid = partner
        .organisation_id()
        .map_or_else(|| partner_uuid(network.id(), index), |id| id.as_uuid());
    let role = PARTNER_ROLES
        .iter()
        .find(|(r, _)| *r == partner.role())
        .map_or("community-services", |(_, code)| code);
    let organization = Organization {
        id: Some(ResourceId::from_uuid(organization_uuid)),
        identifier: partner
            .organisation()
            .map(Identifier::ods_code)
            .into_iter()
            .collect(),
        active: Some(true),
        r#type: vec![OrganisationKind::Partner.concept()],
        name: Some(Cow::Borrowed(partner.name())),
        ..Organization::default()
    };
    let affiliation = OrganizationAffiliation {
        id: Some(ResourceId::from_uuid(partner_agreement_uuid(
            network.id(),
            index,
        ))),
        period: Some(period_of(partner.during())),
        organization: Some(reference_to(network.id().as_uuid())),
        participating_organization: Some(reference_to(organization_uuid)),
        code: vec![
            affiliation_kind("partner"),
            CodeableConcept::from_coding(Coding::new(PARTNER_ROLE, role, None)),
        ],
        ..OrganizationAffiliation::default()
    };
    (organization, affiliation)
}

/// A practice's membership of a network as an `OrganizationAffiliation`.
#[must_use]
pub fn membership_to_fhir(
    practice: PracticeId,
    network: NetworkId,
    during: DateRange,
) -> OrganizationAffiliation<'static> {
    let name = format!(
        "membership:{}:{}:{}",
        practice.as_uuid(),
        network.as_uuid(),
        during.from()
    );
    OrganizationAffiliation {
        // Derived in the network's namespace: a membership has no id of its own.
        id: Some(ResourceId::from_uuid(NetworkId::derived(&name).as_uuid())),
        active: Some(true),
        period: Some(period_of(during)),
        organization: Some(reference_to(network.as_uuid())),
        participating_organization: Some(reference_to(practice.as_uuid())),
        code: vec![affiliation_kind("member")],
        ..OrganizationAffiliation::default()
    }
}

/// What an affiliation says, read from its codes.
pub(crate) enum AffiliationKind {
    Member,
    Partner(PartnerRole),
}

pub(crate) fn affiliation_kind_of(
    affiliation: &OrganizationAffiliation<'_>,
    at: &JsonPath,
) -> Result<Option<AffiliationKind>, FhirError> {
    let coded = |system: &str| {
        affiliation
            .code
            .iter()
            .enumerate()
            .find_map(|(i, c)| c.coding_in(system).map(|coding| (i, coding)))
    };
    match coded(AFFILIATION_KIND).and_then(|(_, c)| c.code.as_deref()) {
        Some("member") => Ok(Some(AffiliationKind::Member)),
        Some("partner") => {
            let (i, coding) = coded(PARTNER_ROLE).ok_or_else(|| FhirError::MissingElement {
                path: at.with_member("code"),
                element: "partner role code",
            })?;
            let code = coding.code.as_deref().unwrap_or_default();
            PARTNER_ROLES
                .iter()
                .find(|(_, c)| *c == code)
                .map(|(role, _)| Some(AffiliationKind::Partner(*role)))
                .ok_or_else(|| FhirError::InvalidCode {
                    path: format!("{}.code[{i}].coding", at.as_str()),
                    value: code.to_owned(),
                    expected: "community-services, mental-health, acute-hospital, local-authority-social-care, voluntary-sector, police, fire, community-pharmacy",
                })
        }
        Some(other) => Err(FhirError::InvalidCode {
            path: at.with_member("code"),
            value: other.to_owned(),
            expected: "member, partner",
        }),
        None => Ok(None),
    }
}

/// The partner an affiliation and its partner organisation describe.
pub(crate) fn partner_at(
    organization: &Organization<'_>,
    role: PartnerRole,
    affiliation: &OrganizationAffiliation<'_>,
    organization_at: &JsonPath,
    affiliation_at: &JsonPath,
) -> Result<Partner, FhirError> {
    let name = required_name(organization, organization_at)?;
    let during = range_of(affiliation.period.as_ref(), affiliation_at, "period")?;
    let partner = Partner::new(name, role, during).map_err(|source| FhirError::Network {
        path: affiliation_at.as_str().to_owned(),
        source,
    })?;
    Ok(match ods_code(organization) {
        Some(code) => partner.with_code(code),
        None => partner,
    })
}
