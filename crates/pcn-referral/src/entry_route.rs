//! How a referral enters a pathway: GP referral, direct access (self-referral),
//! referral by another member of the team, social prescribing, or a local agency.

use std::fmt;

use pcn_core::Role;
use serde::{Deserialize, Serialize};

/// The route by which a request arrives.
///
/// Serde uses a `route` tag: `{"route": "self_referral"}`,
/// `{"route": "team_referral", "role": "clinical_pharmacist"}`.
///
/// A team referral by a GP is a GP referral: routing treats
/// `TeamReferral { role: Role::Gp }` exactly as [`EntryRoute::GpReferral`]
/// ([`EntryRoute::canonical`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "route", rename_all = "snake_case")]
pub enum EntryRoute {
    /// Referred by a GP.
    GpReferral,
    /// Direct access: the patient refers themselves, online or through reception,
    /// without seeing a GP first (for example to a first contact physiotherapist).
    SelfReferral,
    /// Referred by another member of the multidisciplinary team (for example a
    /// clinical pharmacist referring to a GP).
    TeamReferral {
        /// The referrer's role.
        role: Role,
    },
    /// An onward referral by a social prescribing link worker to a community or
    /// voluntary-sector activity.
    SocialPrescribing,
    /// Referred by a local agency outside the practice team (local authority, police,
    /// fire service, a voluntary organisation), as social prescribing allows.
    AgencyReferral,
}

impl EntryRoute {
    /// The route as routing sees it: a team referral by a GP becomes a GP referral.
    #[must_use]
    pub const fn canonical(self) -> Self {
        match self {
            Self::TeamReferral { role: Role::Gp } => Self::GpReferral,
            other => other,
        }
    }

    /// Whether the patient came without a professional referral: the route a red flag
    /// must always override (`referrals.md`: red flags at a first contact
    /// physiotherapist go to urgent medical review).
    #[must_use]
    pub const fn is_self_referral(self) -> bool {
        matches!(self, Self::SelfReferral)
    }
}

impl fmt::Display for EntryRoute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.canonical() {
            Self::GpReferral => f.write_str("GP referral"),
            Self::SelfReferral => f.write_str("self-referral"),
            Self::TeamReferral { role } => write!(f, "referral by a {}", role.label()),
            Self::SocialPrescribing => f.write_str("social prescribing referral"),
            Self::AgencyReferral => f.write_str("referral by a local agency"),
        }
    }
}

/// A route a pathway accepts, as written in a catalogue.
///
/// `{"route": "team_referral", "from": ["practice_nurse", "paramedic"]}` accepts team
/// referrals from those roles only; a GP is never listed there (use
/// `{"route": "gp_referral"}`), which the catalogue checks when it is loaded.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "route", rename_all = "snake_case")]
pub enum RouteRule {
    /// Accepts GP referrals.
    GpReferral,
    /// Accepts direct access (self-referral).
    SelfReferral,
    /// Accepts referrals from team members in these roles.
    TeamReferral {
        /// The roles that may refer (not empty; never `gp`).
        from: Vec<Role>,
    },
    /// Accepts onward referrals from a social prescribing link worker.
    SocialPrescribing,
    /// Accepts referrals from local agencies.
    AgencyReferral,
}

impl RouteRule {
    /// Whether this rule accepts the (canonical) route.
    #[must_use]
    pub fn accepts(&self, route: EntryRoute) -> bool {
        match (self, route.canonical()) {
            (Self::GpReferral, EntryRoute::GpReferral)
            | (Self::SelfReferral, EntryRoute::SelfReferral)
            | (Self::SocialPrescribing, EntryRoute::SocialPrescribing)
            | (Self::AgencyReferral, EntryRoute::AgencyReferral) => true,
            (Self::TeamReferral { from }, EntryRoute::TeamReferral { role }) => {
                from.contains(&role)
            }
            _ => false,
        }
    }

    /// Every concrete route this rule accepts.
    pub(crate) fn routes(&self) -> Vec<EntryRoute> {
        match self {
            Self::GpReferral => vec![EntryRoute::GpReferral],
            Self::SelfReferral => vec![EntryRoute::SelfReferral],
            Self::TeamReferral { from } => from
                .iter()
                .map(|role| EntryRoute::TeamReferral { role: *role })
                .collect(),
            Self::SocialPrescribing => vec![EntryRoute::SocialPrescribing],
            Self::AgencyReferral => vec![EntryRoute::AgencyReferral],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gp_team_referral_is_a_gp_referral() {
        let route = EntryRoute::TeamReferral { role: Role::Gp };
        assert_eq!(route.canonical(), EntryRoute::GpReferral);
        assert!(RouteRule::GpReferral.accepts(route));
        assert_eq!(route.to_string(), "GP referral");
    }

    #[test]
    fn team_rules_accept_only_their_roles() {
        let rule = RouteRule::TeamReferral {
            from: vec![Role::ClinicalPharmacist],
        };
        assert!(rule.accepts(EntryRoute::TeamReferral {
            role: Role::ClinicalPharmacist
        }));
        assert!(!rule.accepts(EntryRoute::TeamReferral {
            role: Role::Paramedic
        }));
        assert!(!rule.accepts(EntryRoute::SelfReferral));
    }

    #[test]
    fn routes_round_trip_through_json() {
        let route = EntryRoute::TeamReferral {
            role: Role::ClinicalPharmacist,
        };
        let json = serde_json::to_string(&route).unwrap();
        assert_eq!(
            json,
            r#"{"route":"team_referral","role":"clinical_pharmacist"}"#
        );
        assert_eq!(serde_json::from_str::<EntryRoute>(&json).unwrap(), route);
        let rule: RouteRule =
            serde_json::from_str(r#"{"route":"team_referral","from":["paramedic"]}"#).unwrap();
        assert!(rule.accepts(EntryRoute::TeamReferral {
            role: Role::Paramedic
        }));
    }
}
