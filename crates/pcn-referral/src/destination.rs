//! Where a referral goes: a role or clinic in the network, a community service, a
//! voluntary-sector activity, an interface service or a hospital specialty.

use std::fmt;
use std::str::FromStr;

use pcn_core::{Role, ServiceId};
use serde::{Deserialize, Serialize};

use crate::{ReferralError, SupportArea};

/// An NHS treatment function code: the three-digit code by which hospital activity
/// is grouped into specialties (for example `110` trauma and orthopaedics, `103`
/// breast surgery, `104` colorectal surgery).
///
/// Source: NHS Data Dictionary, "Treatment Function Code" (three numeric characters,
/// 100 to 999). Construction checks the range only; whether a code is in the current
/// national list is for the caller's reference data.
///
/// ```
/// use pcn_referral::TreatmentFunction;
/// let orthopaedics: TreatmentFunction = "110".parse()?;
/// assert_eq!(orthopaedics, TreatmentFunction::TRAUMA_AND_ORTHOPAEDICS);
/// assert!("99".parse::<TreatmentFunction>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct TreatmentFunction(u16);

impl TreatmentFunction {
    /// 103 Breast surgery.
    pub const BREAST_SURGERY: Self = Self(103);
    /// 104 Colorectal surgery.
    pub const COLORECTAL_SURGERY: Self = Self(104);
    /// 110 Trauma and orthopaedics.
    pub const TRAUMA_AND_ORTHOPAEDICS: Self = Self(110);
    /// 300 General internal medicine.
    pub const GENERAL_INTERNAL_MEDICINE: Self = Self(300);
    /// 320 Cardiology.
    pub const CARDIOLOGY: Self = Self(320);
    /// 410 Rheumatology.
    pub const RHEUMATOLOGY: Self = Self(410);

    /// Checks and wraps a treatment function code.
    ///
    /// # Errors
    /// [`ReferralError::InvalidTreatmentFunction`] if the code is not 100 to 999.
    pub fn new(code: u16) -> Result<Self, ReferralError> {
        if (100..=999).contains(&code) {
            Ok(Self(code))
        } else {
            Err(ReferralError::InvalidTreatmentFunction {
                value: code.to_string(),
            })
        }
    }

    /// The code as a number.
    #[must_use]
    pub const fn code(self) -> u16 {
        self.0
    }
}

impl TryFrom<u16> for TreatmentFunction {
    type Error = ReferralError;

    fn try_from(code: u16) -> Result<Self, Self::Error> {
        Self::new(code)
    }
}

impl From<TreatmentFunction> for u16 {
    fn from(code: TreatmentFunction) -> Self {
        code.0
    }
}

impl FromStr for TreatmentFunction {
    type Err = ReferralError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        if trimmed.len() != 3 || !trimmed.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ReferralError::InvalidTreatmentFunction {
                value: s.to_owned(),
            });
        }
        let code = trimmed
            .parse::<u16>()
            .map_err(|_| ReferralError::InvalidTreatmentFunction {
                value: s.to_owned(),
            })?;
        Self::new(code)
    }
}

impl fmt::Display for TreatmentFunction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:03}", self.0)
    }
}

/// Where a pathway sends a referral.
///
/// Serde uses a `kind` tag: `{"kind": "team_role", "role": "first_contact_physiotherapist"}`,
/// `{"kind": "voluntary_activity", "service": "...", "area": "physical_activity"}`.
///
/// ```
/// use pcn_core::Role;
/// use pcn_referral::{Destination, TreatmentFunction};
/// let fcp = Destination::TeamRole { role: Role::FirstContactPhysiotherapist };
/// assert!(!fcp.starts_rtt_clock()); // not consultant-led
/// let orthopaedics = Destination::HospitalSpecialty {
///     treatment_function: TreatmentFunction::TRAUMA_AND_ORTHOPAEDICS,
///     consultant_led: true,
/// };
/// assert!(orthopaedics.starts_rtt_clock());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Destination {
    /// Whoever holds a role in the network's team (for example the first contact
    /// physiotherapist, the clinical pharmacist, a GP, the link worker).
    TeamRole {
        /// The role that receives the referral.
        role: Role,
    },
    /// A named clinic run in the network, staffed by a role.
    Clinic {
        /// The clinic.
        service: ServiceId,
        /// The role that runs it.
        role: Role,
    },
    /// A community health service (district nursing, community therapy and the like).
    CommunityService {
        /// The service.
        service: ServiceId,
    },
    /// A voluntary-sector or community activity (a walking group, debt advice, an arts
    /// group), usually reached through social prescribing.
    VoluntaryActivity {
        /// The activity's service record.
        service: ServiceId,
        /// What kind of need it meets.
        area: SupportArea,
    },
    /// An interface, referral-management or assessment service that may onward refer
    /// to a consultant-led service: starts an 18-week clock (RTT rules suite, Rule 1b).
    InterfaceService {
        /// The service.
        service: ServiceId,
        /// The specialty it assesses for.
        treatment_function: TreatmentFunction,
    },
    /// A hospital specialty.
    HospitalSpecialty {
        /// The specialty.
        treatment_function: TreatmentFunction,
        /// Whether the service is consultant-led: only then does the referral start an
        /// 18-week clock (RTT rules suite, Rule 1a).
        consultant_led: bool,
    },
}

impl Destination {
    /// Whether a referral here starts an 18-week referral-to-treatment clock: a
    /// consultant-led service (Rule 1a) or an interface service (Rule 1b) of the NHS
    /// England RTT rules suite (October 2022). First contact practitioners, community
    /// services and voluntary activities are not consultant-led and start no clock.
    #[must_use]
    pub const fn starts_rtt_clock(&self) -> bool {
        matches!(
            self,
            Self::InterfaceService { .. }
                | Self::HospitalSpecialty {
                    consultant_led: true,
                    ..
                }
        )
    }

    /// The service, where the destination names one.
    #[must_use]
    pub const fn service(&self) -> Option<ServiceId> {
        match self {
            Self::Clinic { service, .. }
            | Self::CommunityService { service }
            | Self::VoluntaryActivity { service, .. }
            | Self::InterfaceService { service, .. } => Some(*service),
            Self::TeamRole { .. } | Self::HospitalSpecialty { .. } => None,
        }
    }

    /// The role that receives the referral, where the destination names one.
    #[must_use]
    pub const fn role(&self) -> Option<Role> {
        match self {
            Self::TeamRole { role } | Self::Clinic { role, .. } => Some(*role),
            _ => None,
        }
    }
}

impl fmt::Display for Destination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TeamRole { role } => write!(f, "the network's {}", role.label()),
            Self::Clinic { service, role } => write!(f, "{} clinic {service}", role.label()),
            Self::CommunityService { service } => write!(f, "community service {service}"),
            Self::VoluntaryActivity { service, area } => {
                write!(f, "voluntary-sector activity {service} ({})", area.label())
            }
            Self::InterfaceService {
                service,
                treatment_function,
            } => write!(
                f,
                "interface service {service} (treatment function {treatment_function})"
            ),
            Self::HospitalSpecialty {
                treatment_function,
                consultant_led,
            } => write!(
                f,
                "hospital treatment function {treatment_function}{}",
                if *consultant_led {
                    ", consultant-led"
                } else {
                    ""
                }
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn treatment_functions_are_three_digits() {
        assert_eq!(TreatmentFunction::new(110).unwrap().to_string(), "110");
        assert!(TreatmentFunction::new(99).is_err());
        assert!(TreatmentFunction::new(1000).is_err());
        assert!("11a".parse::<TreatmentFunction>().is_err());
        assert!(serde_json::from_str::<TreatmentFunction>("42").is_err());
        let err = TreatmentFunction::new(7).unwrap_err();
        assert!(err.to_string().contains("\"7\""), "{err}");
    }

    #[test]
    fn destinations_round_trip_through_json() {
        let destination = Destination::VoluntaryActivity {
            service: ServiceId::from_u128(7),
            area: SupportArea::PhysicalActivity,
        };
        let json = serde_json::to_string(&destination).unwrap();
        assert!(json.contains("\"kind\":\"voluntary_activity\""), "{json}");
        assert_eq!(
            serde_json::from_str::<Destination>(&json).unwrap(),
            destination
        );
        assert!(!destination.starts_rtt_clock());
        assert_eq!(destination.service(), Some(ServiceId::from_u128(7)));
    }

    #[test]
    fn only_consultant_led_and_interface_services_start_a_clock() {
        let nurse_led = Destination::HospitalSpecialty {
            treatment_function: TreatmentFunction::RHEUMATOLOGY,
            consultant_led: false,
        };
        assert!(!nurse_led.starts_rtt_clock());
        let interface = Destination::InterfaceService {
            service: ServiceId::from_u128(1),
            treatment_function: TreatmentFunction::TRAUMA_AND_ORTHOPAEDICS,
        };
        assert!(interface.starts_rtt_clock());
    }
}
