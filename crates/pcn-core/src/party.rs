//! Who an organisation is: a network, a practice, or another organisation of a
//! named kind.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{NetworkId, OdsCode, OrganisationId, PracticeId};

/// An organisation, by kind and id: the one way the crates name who owns money, who
/// is paid, who employs a member of staff.
///
/// A network and a practice carry their own id types; every other organisation is
/// an [`OrganisationId`] together with its kind (a trust, a local authority, a
/// voluntary organisation, or any other organisation, such as a commissioner or a
/// federation).
///
/// Serde gives `{"kind": "practice", "id": "<uuid>"}`, the kind in `snake_case`
/// (`network`, `practice`, `trust`, `local_authority`, `voluntary_organisation`,
/// `organisation`); `Display` gives the kind once and the id (`practice
/// 14eded46-...`, `local authority 0190b2a4-...`).
///
/// ```
/// use pcn_core::{OdsCode, Party, PartyKind, PracticeId};
/// let code: OdsCode = "A81001".parse()?;
/// let practice = Party::Practice(PracticeId::from_ods(&code));
/// assert_eq!(practice, Party::from_ods(PartyKind::Practice, &code));
/// assert_eq!(practice.kind(), PartyKind::Practice);
/// assert_eq!(practice.practice(), Some(PracticeId::from_ods(&code)));
/// assert_eq!(
///     serde_json::to_string(&practice)?,
///     format!("{{\"kind\":\"practice\",\"id\":\"{}\"}}", practice.uuid())
/// );
/// assert_eq!(practice.to_string(), format!("practice {}", practice.uuid()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Party {
    /// A network: a Primary Care Network, a Primary Care Home site or another
    /// neighbourhood network.
    Network(NetworkId),
    /// A GP practice.
    Practice(PracticeId),
    /// An NHS trust (community, mental health, acute, ambulance).
    Trust(OrganisationId),
    /// A local authority (social care, public health).
    LocalAuthority(OrganisationId),
    /// A voluntary, community or social enterprise organisation.
    VoluntaryOrganisation(OrganisationId),
    /// Any other organisation: a commissioner, a GP federation, another provider.
    Organisation(OrganisationId),
}

/// The kind of a [`Party`], without its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    /// A network.
    Network,
    /// A GP practice.
    Practice,
    /// An NHS trust.
    Trust,
    /// A local authority.
    LocalAuthority,
    /// A voluntary, community or social enterprise organisation.
    VoluntaryOrganisation,
    /// Any other organisation.
    Organisation,
}

impl PartyKind {
    /// Every kind, in declared order.
    pub const ALL: [Self; 6] = [
        Self::Network,
        Self::Practice,
        Self::Trust,
        Self::LocalAuthority,
        Self::VoluntaryOrganisation,
        Self::Organisation,
    ];

    /// The kind in words, as `Display` writes it (`local authority`).
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Network => "network",
            Self::Practice => "practice",
            Self::Trust => "trust",
            Self::LocalAuthority => "local authority",
            Self::VoluntaryOrganisation => "voluntary organisation",
            Self::Organisation => "organisation",
        }
    }
}

impl fmt::Display for PartyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl Party {
    /// The party of kind `kind` whose id is the UUID `uuid`.
    #[must_use]
    pub const fn new(kind: PartyKind, uuid: Uuid) -> Self {
        match kind {
            PartyKind::Network => Self::Network(NetworkId::from_uuid(uuid)),
            PartyKind::Practice => Self::Practice(PracticeId::from_uuid(uuid)),
            PartyKind::Trust => Self::Trust(OrganisationId::from_uuid(uuid)),
            PartyKind::LocalAuthority => Self::LocalAuthority(OrganisationId::from_uuid(uuid)),
            PartyKind::VoluntaryOrganisation => {
                Self::VoluntaryOrganisation(OrganisationId::from_uuid(uuid))
            }
            PartyKind::Organisation => Self::Organisation(OrganisationId::from_uuid(uuid)),
        }
    }

    /// The party of kind `kind` known by an ODS code, with the id derived from the code
    /// ([`PracticeId::from_ods`], [`NetworkId::from_ods`], [`OrganisationId::from_ods`]).
    #[must_use]
    pub fn from_ods(kind: PartyKind, code: &OdsCode) -> Self {
        match kind {
            PartyKind::Network => Self::Network(NetworkId::from_ods(code)),
            PartyKind::Practice => Self::Practice(PracticeId::from_ods(code)),
            other => Self::new(other, OrganisationId::from_ods(code).as_uuid()),
        }
    }

    /// The kind of party.
    #[must_use]
    pub const fn kind(&self) -> PartyKind {
        match self {
            Self::Network(_) => PartyKind::Network,
            Self::Practice(_) => PartyKind::Practice,
            Self::Trust(_) => PartyKind::Trust,
            Self::LocalAuthority(_) => PartyKind::LocalAuthority,
            Self::VoluntaryOrganisation(_) => PartyKind::VoluntaryOrganisation,
            Self::Organisation(_) => PartyKind::Organisation,
        }
    }

    /// The UUID of the party's id, whatever its kind.
    #[must_use]
    pub const fn uuid(&self) -> Uuid {
        match self {
            Self::Network(id) => id.as_uuid(),
            Self::Practice(id) => id.as_uuid(),
            Self::Trust(id)
            | Self::LocalAuthority(id)
            | Self::VoluntaryOrganisation(id)
            | Self::Organisation(id) => id.as_uuid(),
        }
    }

    /// The network, when the party is a network.
    #[must_use]
    pub const fn network(&self) -> Option<NetworkId> {
        match self {
            Self::Network(id) => Some(*id),
            _ => None,
        }
    }

    /// The practice, when the party is a practice.
    #[must_use]
    pub const fn practice(&self) -> Option<PracticeId> {
        match self {
            Self::Practice(id) => Some(*id),
            _ => None,
        }
    }

    /// The organisation's id, when the party is neither a network nor a practice.
    #[must_use]
    pub const fn organisation(&self) -> Option<OrganisationId> {
        match self {
            Self::Trust(id)
            | Self::LocalAuthority(id)
            | Self::VoluntaryOrganisation(id)
            | Self::Organisation(id) => Some(*id),
            Self::Network(_) | Self::Practice(_) => None,
        }
    }
}

impl fmt::Display for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind(), self.uuid())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_its_uuid_and_serde() {
        let uuid = Uuid::from_u128(0x14ed);
        for kind in PartyKind::ALL {
            let party = Party::new(kind, uuid);
            assert_eq!(party.kind(), kind);
            assert_eq!(party.uuid(), uuid);
            let json = serde_json::to_string(&party).unwrap();
            let kind_json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("{{\"kind\":{kind_json},\"id\":\"{uuid}\"}}"));
            assert_eq!(serde_json::from_str::<Party>(&json).unwrap(), party);
        }
    }

    #[test]
    fn the_serde_form_is_the_one_budgets_and_staff_records_were_written_in() {
        let uuid = "0190b2a4-1c9e-7d42-8f00-5a4f2c1e9b01";
        let council: Party = serde_json::from_str(&format!(
            "{{\"kind\":\"local_authority\",\"id\":\"{uuid}\"}}"
        ))
        .unwrap();
        assert_eq!(council.kind(), PartyKind::LocalAuthority);
        let icb: Party =
            serde_json::from_str(&format!("{{\"kind\":\"organisation\",\"id\":\"{uuid}\"}}"))
                .unwrap();
        assert_eq!(icb.organisation().unwrap().to_string(), uuid);
    }

    #[test]
    fn display_names_the_kind_once() {
        let uuid = Uuid::from_u128(1);
        assert_eq!(
            Party::new(PartyKind::LocalAuthority, uuid).to_string(),
            format!("local authority {uuid}")
        );
        assert_eq!(
            Party::new(PartyKind::Practice, uuid).to_string(),
            format!("practice {uuid}")
        );
    }

    #[test]
    fn ods_codes_give_the_ids_of_their_kind() {
        let code: OdsCode = "RXX".parse().unwrap();
        assert_eq!(
            Party::from_ods(PartyKind::Trust, &code),
            Party::Trust(OrganisationId::from_ods(&code))
        );
        assert_eq!(
            Party::from_ods(PartyKind::Network, &code).network(),
            Some(NetworkId::from_ods(&code))
        );
    }

    // The strategy lives behind the `proptest` feature, which the workspace's tests
    // turn on (`cargo test -p pcn-core --features proptest` alone).
    #[cfg(feature = "proptest")]
    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn serde_round_trips_and_names_the_kind(party in any::<Party>()) {
                let json = serde_json::to_string(&party).unwrap();
                let kind = serde_json::to_string(&party.kind()).unwrap();
                prop_assert_eq!(
                    &json,
                    &format!("{{\"kind\":{kind},\"id\":\"{}\"}}", party.uuid())
                );
                prop_assert_eq!(serde_json::from_str::<Party>(&json).unwrap(), party);
            }

            #[test]
            fn kind_and_uuid_say_the_whole_party(party in crate::arbitrary::party()) {
                prop_assert_eq!(Party::new(party.kind(), party.uuid()), party);
                prop_assert_eq!(
                    party.to_string(),
                    format!("{} {}", party.kind().label(), party.uuid())
                );
                let ids = [
                    party.network().map(|id| id.as_uuid()),
                    party.practice().map(|id| id.as_uuid()),
                    party.organisation().map(|id| id.as_uuid()),
                ];
                let found: Vec<Uuid> = ids.into_iter().flatten().collect();
                prop_assert_eq!(found, vec![party.uuid()]);
            }
        }
    }
}
