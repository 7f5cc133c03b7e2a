//! Networks, their kinds, leadership, agreement and partners.

use std::fmt;

use chrono::NaiveDate;
use pcn_core::{
    DateRange, NetworkId, OdsCode, OrganisationId, OrganisationKind, Party, PartyKind, StaffId,
};
use serde::{Deserialize, Serialize};

use crate::{NetworkError, RuleException};

/// What kind of network a group of practices forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum NetworkKind {
    /// A Primary Care Network under the Network Contract Directed Enhanced Service
    /// (from 1 July 2019), with an ODS code (`U` and five digits). A practice is a
    /// core member of one PCN at a time.
    PrimaryCareNetwork,
    /// A Primary Care Home site (National Association of Primary Care, from 2015):
    /// an integrated team around a population of 30,000 to 50,000.
    PrimaryCareHome,
    /// Another neighbourhood network, such as a self-managing neighbourhood team or a
    /// locally commissioned integrated care partnership.
    Neighbourhood,
}

impl NetworkKind {
    /// Whether the kind is a Primary Care Network, to which the "one PCN at a time"
    /// rule and the Network Contract DES formation rules apply.
    #[must_use]
    pub const fn is_pcn(self) -> bool {
        matches!(self, Self::PrimaryCareNetwork)
    }
}

impl fmt::Display for NetworkKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::PrimaryCareNetwork => "primary care network",
            Self::PrimaryCareHome => "primary care home site",
            Self::Neighbourhood => "neighbourhood network",
        })
    }
}

/// A network of practices: a Primary Care Network, a Primary Care Home site or another
/// neighbourhood network, with its leadership, agreement and partners.
///
/// Under the Network Contract DES each PCN registers its member practices, a signed
/// Network Agreement, a named accountable Clinical Director and a nominated payee
/// through whose account network funding flows (BMA Law, "Primary Care Networks:
/// registration"). Partners from community services, mental health, acute care,
/// social care, the voluntary sector, police and fire work with it.
///
/// Membership is not held here but in the [`Registry`](crate::Registry), which checks
/// it against every other network. The identity, kind and open dates of a network are
/// fixed at construction; the rest can change.
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_core::DateRange;
/// use pcn_network::{ClinicalDirector, Network, NetworkAgreement, NetworkKind, Partner, PartnerRole};
/// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
/// let mut pcn = Network::pcn("U89141".parse()?, "Stockton PCN", DateRange::starting(d(2019, 7, 1)))?;
/// pcn.add_clinical_director(ClinicalDirector::new("Dr A Example", DateRange::starting(d(2019, 7, 1)))?);
/// pcn.set_agreement(Some(NetworkAgreement::new(d(2019, 5, 10), DateRange::starting(d(2019, 7, 1)))));
/// pcn.add_partner(Partner::new("North Tees and Hartlepool NHS FT", PartnerRole::CommunityServices, DateRange::starting(d(2020, 4, 1)))?);
/// assert_eq!(pcn.kind(), NetworkKind::PrimaryCareNetwork);
/// assert_eq!(pcn.clinical_directors_on(d(2020, 1, 1)).count(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "NetworkRecord", into = "NetworkRecord")]
pub struct Network {
    id: NetworkId,
    code: Option<OdsCode>,
    name: String,
    kind: NetworkKind,
    open: DateRange,
    commissioner: Option<OdsCode>,
    clinical_directors: Vec<ClinicalDirector>,
    nominated_payee: Option<NominatedPayee>,
    agreement: Option<NetworkAgreement>,
    partners: Vec<Partner>,
    exceptions: Vec<RuleException>,
}

/// The serde form of [`Network`], checked on the way in.
#[derive(Serialize, Deserialize)]
struct NetworkRecord {
    id: NetworkId,
    code: Option<OdsCode>,
    name: String,
    kind: NetworkKind,
    open: DateRange,
    commissioner: Option<OdsCode>,
    clinical_directors: Vec<ClinicalDirector>,
    nominated_payee: Option<NominatedPayee>,
    agreement: Option<NetworkAgreement>,
    partners: Vec<Partner>,
    exceptions: Vec<RuleException>,
}

impl TryFrom<NetworkRecord> for Network {
    type Error = NetworkError;

    fn try_from(record: NetworkRecord) -> Result<Self, Self::Error> {
        let mut network = match (record.kind, record.code) {
            (NetworkKind::PrimaryCareNetwork, Some(code)) => {
                let pcn = Self::pcn(code, &record.name, record.open)?;
                if pcn.id != record.id {
                    return Err(NetworkError::PcnIdMismatch {
                        code,
                        id: record.id,
                    });
                }
                pcn
            }
            (NetworkKind::PrimaryCareNetwork, None) => {
                return Err(NetworkError::WrongConstructor {
                    kind: "primary care network",
                    constructor: "an ODS code",
                });
            }
            (kind, code) => Self::neighbourhood(record.id, code, kind, &record.name, record.open)?,
        };
        network.commissioner = record.commissioner;
        network.clinical_directors = record.clinical_directors;
        network.nominated_payee = record.nominated_payee;
        network.agreement = record.agreement;
        network.partners = record.partners;
        for exception in record.exceptions {
            network.record_exception(exception)?;
        }
        Ok(network)
    }
}

impl From<Network> for NetworkRecord {
    fn from(network: Network) -> Self {
        Self {
            id: network.id,
            code: network.code,
            name: network.name,
            kind: network.kind,
            open: network.open,
            commissioner: network.commissioner,
            clinical_directors: network.clinical_directors,
            nominated_payee: network.nominated_payee,
            agreement: network.agreement,
            partners: network.partners,
            exceptions: network.exceptions,
        }
    }
}

fn checked_name(name: &str, what: &'static str) -> Result<String, NetworkError> {
    let name = name.trim();
    if name.is_empty() {
        Err(NetworkError::EmptyName { what })
    } else {
        Ok(name.to_owned())
    }
}

impl Network {
    /// A Primary Care Network with its ODS code, name and open dates (from its
    /// opening day; closed-ended once it has closed). Its id is derived from the code.
    ///
    /// # Errors
    /// [`NetworkError::NotAPcnCode`] if the code is not `U` and five digits;
    /// [`NetworkError::EmptyName`] for a blank name.
    pub fn pcn(code: OdsCode, name: &str, open: DateRange) -> Result<Self, NetworkError> {
        if code.kind() != Some(OrganisationKind::PrimaryCareNetwork) {
            return Err(NetworkError::NotAPcnCode { code });
        }
        Ok(Self::unchecked(
            NetworkId::from_ods(&code),
            Some(code),
            checked_name(name, "network")?,
            NetworkKind::PrimaryCareNetwork,
            open,
        ))
    }

    /// A network that is not a PCN (a Primary Care Home site or another neighbourhood
    /// network), with its id, optional ODS code, name and open dates.
    ///
    /// # Errors
    /// [`NetworkError::WrongConstructor`] if `kind` is a PCN (use [`Network::pcn`]);
    /// [`NetworkError::EmptyName`] for a blank name.
    pub fn neighbourhood(
        id: NetworkId,
        code: Option<OdsCode>,
        kind: NetworkKind,
        name: &str,
        open: DateRange,
    ) -> Result<Self, NetworkError> {
        if kind.is_pcn() {
            return Err(NetworkError::WrongConstructor {
                kind: "primary care network",
                constructor: "Network::pcn and its ODS code",
            });
        }
        Ok(Self::unchecked(
            id,
            code,
            checked_name(name, "network")?,
            kind,
            open,
        ))
    }

    fn unchecked(
        id: NetworkId,
        code: Option<OdsCode>,
        name: String,
        kind: NetworkKind,
        open: DateRange,
    ) -> Self {
        Self {
            id,
            code,
            name,
            kind,
            open,
            commissioner: None,
            clinical_directors: Vec::new(),
            nominated_payee: None,
            agreement: None,
            partners: Vec::new(),
            exceptions: Vec::new(),
        }
    }

    /// The network's id (derived from the ODS code for a PCN).
    #[must_use]
    pub const fn id(&self) -> NetworkId {
        self.id
    }

    /// The network's ODS code (always present for a PCN).
    #[must_use]
    pub const fn code(&self) -> Option<OdsCode> {
        self.code
    }

    /// The network's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The code and name together, as used in messages: `U89141 Stockton PCN`.
    #[must_use]
    pub fn label(&self) -> String {
        match self.code {
            Some(code) => format!("{code} {}", self.name),
            None => self.name.clone(),
        }
    }

    /// The kind of network.
    #[must_use]
    pub const fn kind(&self) -> NetworkKind {
        self.kind
    }

    /// The dates the network is open.
    #[must_use]
    pub const fn open(&self) -> DateRange {
        self.open
    }

    /// Whether the network is open on `date`.
    #[must_use]
    pub fn is_open_on(&self, date: NaiveDate) -> bool {
        self.open.contains(date)
    }

    /// The commissioner the network is registered with (its Sub-ICB location).
    #[must_use]
    pub const fn commissioner(&self) -> Option<OdsCode> {
        self.commissioner
    }

    /// Sets the commissioner the network is registered with.
    pub fn set_commissioner(&mut self, commissioner: Option<OdsCode>) {
        self.commissioner = commissioner;
    }

    /// Every clinical director on record, past and present.
    #[must_use]
    pub fn clinical_directors(&self) -> &[ClinicalDirector] {
        &self.clinical_directors
    }

    /// The clinical directors in post on `date`.
    pub fn clinical_directors_on(
        &self,
        date: NaiveDate,
    ) -> impl Iterator<Item = &ClinicalDirector> {
        self.clinical_directors
            .iter()
            .filter(move |cd| cd.during.contains(date))
    }

    /// Records a clinical director's appointment.
    pub fn add_clinical_director(&mut self, director: ClinicalDirector) {
        self.clinical_directors.push(director);
    }

    /// The nominated payee, through whose account the network's funding flows.
    #[must_use]
    pub const fn nominated_payee(&self) -> Option<NominatedPayee> {
        self.nominated_payee
    }

    /// Who the network's funding is paid to: its nominated payee, or the network
    /// itself where none is recorded.
    #[must_use]
    pub fn payee(&self) -> Party {
        self.nominated_payee
            .map_or(Party::Network(self.id), NominatedPayee::party)
    }

    /// Sets the nominated payee.
    pub fn set_nominated_payee(&mut self, payee: Option<NominatedPayee>) {
        self.nominated_payee = payee;
    }

    /// The signed Network Agreement, if recorded.
    #[must_use]
    pub const fn agreement(&self) -> Option<NetworkAgreement> {
        self.agreement
    }

    /// Records the Network Agreement (or clears it).
    pub fn set_agreement(&mut self, agreement: Option<NetworkAgreement>) {
        self.agreement = agreement;
    }

    /// Every partner on record, past and present.
    #[must_use]
    pub fn partners(&self) -> &[Partner] {
        &self.partners
    }

    /// The partners working with the network on `date`.
    pub fn partners_on(&self, date: NaiveDate) -> impl Iterator<Item = &Partner> {
        self.partners
            .iter()
            .filter(move |p| p.during.contains(date))
    }

    /// Records a partner organisation.
    pub fn add_partner(&mut self, partner: Partner) {
        self.partners.push(partner);
    }

    /// The exceptions to the formation rules recorded for the network.
    #[must_use]
    pub fn exceptions(&self) -> &[RuleException] {
        &self.exceptions
    }

    /// Records an exception to a formation rule granted by the commissioner.
    ///
    /// # Errors
    /// [`NetworkError::RuleNotWaivable`] if the published rules allow no exception to
    /// that rule.
    pub fn record_exception(&mut self, exception: RuleException) -> Result<(), NetworkError> {
        if !exception.rule().is_waivable() {
            return Err(NetworkError::RuleNotWaivable {
                rule: exception.rule(),
            });
        }
        self.exceptions.push(exception);
        Ok(())
    }
}

/// A clinical director: the named accountable clinician who leads a PCN (Network
/// Contract DES), with the dates in post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClinicalDirector {
    /// The director's name.
    name: String,
    /// The director's staff record, where the team crate knows them.
    staff: Option<StaffId>,
    /// The dates in post.
    during: DateRange,
}

impl ClinicalDirector {
    /// A clinical director in post during `during`.
    ///
    /// # Errors
    /// [`NetworkError::EmptyName`] for a blank name.
    pub fn new(name: &str, during: DateRange) -> Result<Self, NetworkError> {
        Ok(Self {
            name: checked_name(name, "clinical director")?,
            staff: None,
            during,
        })
    }

    /// The same director, linked to their staff record.
    #[must_use]
    pub fn with_staff(mut self, staff: StaffId) -> Self {
        self.staff = Some(staff);
        self
    }

    /// The director's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The director's staff record, if linked.
    #[must_use]
    pub const fn staff(&self) -> Option<StaffId> {
        self.staff
    }

    /// The dates in post.
    #[must_use]
    pub const fn during(&self) -> DateRange {
        self.during
    }
}

/// The organisation a PCN nominates to receive its funding: one of its practices or
/// another provider (Network Contract DES registration requirements).
///
/// Recorded by ODS code, as the registration names it; [`party`](Self::party) is
/// who that is, as every crate names an organisation.
///
/// ```
/// use pcn_core::{OdsCode, Party, PracticeId};
/// use pcn_network::NominatedPayee;
/// let code: OdsCode = "A81001".parse()?;
/// let payee = NominatedPayee::Practice(code);
/// assert_eq!(payee.party(), Party::Practice(PracticeId::from_ods(&code)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "code")]
pub enum NominatedPayee {
    /// A member practice, by ODS code.
    Practice(OdsCode),
    /// Another provider (a federation, a community trust), by ODS code.
    Provider(OdsCode),
}

impl NominatedPayee {
    /// The payee's ODS code.
    #[must_use]
    pub const fn code(self) -> OdsCode {
        match self {
            Self::Practice(code) | Self::Provider(code) => code,
        }
    }

    /// Who the payee is: the practice, or another provider as an organisation, each
    /// with the id derived from its ODS code.
    #[must_use]
    pub fn party(self) -> Party {
        match self {
            Self::Practice(code) => Party::from_ods(PartyKind::Practice, &code),
            Self::Provider(code) => Party::from_ods(PartyKind::Organisation, &code),
        }
    }
}

/// The Network Agreement the member practices signed, and the dates it is in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NetworkAgreement {
    /// The day the last member signed.
    pub signed_on: NaiveDate,
    /// The dates the agreement is in force.
    pub in_force: DateRange,
}

impl NetworkAgreement {
    /// An agreement signed on `signed_on`, in force during `in_force`.
    #[must_use]
    pub const fn new(signed_on: NaiveDate, in_force: DateRange) -> Self {
        Self {
            signed_on,
            in_force,
        }
    }

    /// Whether the agreement is signed and in force on `date`.
    #[must_use]
    pub fn is_in_force_on(&self, date: NaiveDate) -> bool {
        self.signed_on <= date && self.in_force.contains(date)
    }
}

/// The part a partner organisation plays in a network's integrated team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PartnerRole {
    /// Community health services: district nursing, community matrons, therapies.
    CommunityServices,
    /// Mental health services.
    MentalHealth,
    /// An acute hospital trust (consultants working with the network).
    AcuteHospital,
    /// Local authority adult social care.
    LocalAuthoritySocialCare,
    /// Voluntary, community and social enterprise organisations.
    VoluntarySector,
    /// The police service.
    Police,
    /// The fire and rescue service.
    Fire,
    /// Community pharmacies.
    CommunityPharmacy,
}

impl fmt::Display for PartnerRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::CommunityServices => "community services",
            Self::MentalHealth => "mental health",
            Self::AcuteHospital => "acute hospital",
            Self::LocalAuthoritySocialCare => "local authority social care",
            Self::VoluntarySector => "voluntary sector",
            Self::Police => "police",
            Self::Fire => "fire",
            Self::CommunityPharmacy => "community pharmacy",
        })
    }
}

/// A partner organisation working with a network, its role and the dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partner {
    name: String,
    organisation: Option<OdsCode>,
    role: PartnerRole,
    during: DateRange,
}

impl Partner {
    /// A partner by name, in a role, during the dates.
    ///
    /// # Errors
    /// [`NetworkError::EmptyName`] for a blank name.
    pub fn new(name: &str, role: PartnerRole, during: DateRange) -> Result<Self, NetworkError> {
        Ok(Self {
            name: checked_name(name, "partner")?,
            organisation: None,
            role,
            during,
        })
    }

    /// The same partner with its ODS code.
    #[must_use]
    pub fn with_code(mut self, code: OdsCode) -> Self {
        self.organisation = Some(code);
        self
    }

    /// The partner's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The partner's ODS code, if it has one.
    #[must_use]
    pub const fn organisation(&self) -> Option<OdsCode> {
        self.organisation
    }

    /// The partner's id, derived from its ODS code.
    #[must_use]
    pub fn organisation_id(&self) -> Option<OrganisationId> {
        self.organisation.as_ref().map(OrganisationId::from_ods)
    }

    /// The partner's role.
    #[must_use]
    pub const fn role(&self) -> PartnerRole {
        self.role
    }

    /// The dates of the partnership.
    #[must_use]
    pub const fn during(&self) -> DateRange {
        self.during
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ExceptionGround, Rule};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_pcn_needs_a_pcn_code() {
        let err = Network::pcn(
            "A81001".parse().unwrap(),
            "Not a PCN",
            DateRange::starting(d(2019, 7, 1)),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "A81001 is not a Primary Care Network code: PCN codes are U followed by five digits, such as U89141"
        );
        let err = Network::neighbourhood(
            NetworkId::from_u128(1),
            None,
            NetworkKind::PrimaryCareNetwork,
            "x",
            DateRange::starting(d(2019, 7, 1)),
        )
        .unwrap_err();
        assert!(matches!(err, NetworkError::WrongConstructor { .. }));
    }

    #[test]
    fn only_waivable_rules_take_exceptions() {
        let mut pcn = Network::pcn(
            "U82880".parse().unwrap(),
            "Formby PCN",
            DateRange::starting(d(2019, 7, 1)),
        )
        .unwrap();
        let rural = RuleException::new(
            Rule::Population,
            ExceptionGround::RuralLowPopulationDensity,
            DateRange::starting(d(2019, 7, 1)),
            "agreed at registration",
        );
        pcn.record_exception(rural).unwrap();
        let cd = RuleException::new(
            Rule::ClinicalDirector,
            ExceptionGround::AgreedByCommissioner,
            DateRange::starting(d(2019, 7, 1)),
            "",
        );
        assert_eq!(
            pcn.record_exception(cd).unwrap_err(),
            NetworkError::RuleNotWaivable {
                rule: Rule::ClinicalDirector
            }
        );
        assert_eq!(pcn.exceptions().len(), 1);
    }

    #[test]
    fn networks_round_trip_through_json() {
        let mut pcn = Network::pcn(
            "U89141".parse().unwrap(),
            "Stockton PCN",
            DateRange::starting(d(2019, 7, 1)),
        )
        .unwrap();
        pcn.set_nominated_payee(Some(NominatedPayee::Practice("A81001".parse().unwrap())));
        pcn.add_partner(
            Partner::new(
                "Stockton Borough Council",
                PartnerRole::LocalAuthoritySocialCare,
                DateRange::starting(d(2020, 1, 1)),
            )
            .unwrap(),
        );
        let json = serde_json::to_string(&pcn).unwrap();
        assert!(json.contains(r#""kind":"primary_care_network""#));
        assert!(json.contains(r#""nominated_payee":{"kind":"practice","code":"A81001"}"#));
        assert_eq!(serde_json::from_str::<Network>(&json).unwrap(), pcn);
        let other_id = json.replace(&pcn.id().to_string(), &NetworkId::from_u128(1).to_string());
        let err = serde_json::from_str::<Network>(&other_id).unwrap_err();
        assert!(
            err.to_string().contains("derived from its ODS code"),
            "{err}"
        );
    }
}
