//! The roles of the multidisciplinary team and their professional registers.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::CoreError;

/// The professional regulator whose register a role's members must be on.
///
/// Source: `workforce.md` of the domain reference (GMC, NMC, HCPC, GPhC and Social
/// Work England registers; physician associates regulated by the GMC from
/// 13 December 2024, General Medical Council).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ProfessionalRegister {
    /// General Medical Council: doctors and, from December 2024, physician associates.
    Gmc,
    /// Nursing and Midwifery Council: nurses, midwives and nursing associates.
    Nmc,
    /// Health and Care Professions Council: allied health professionals.
    Hcpc,
    /// General Pharmaceutical Council: pharmacists and pharmacy technicians.
    Gphc,
    /// Social Work England: social workers in England.
    SocialWorkEngland,
}

macro_rules! roles {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $label:literal, $register:expr; )*) => {
        /// A role in the multidisciplinary team around a population: the words of the
        /// Primary Care Home model and the Network Contract DES.
        ///
        /// The role says which professional register its members are on
        /// ([`Role::register`]); registration numbers are checked by the team crate.
        /// Serde and `FromStr`/`Display` use the `snake_case` name (`clinical_pharmacist`);
        /// [`Role::label`] gives the words for people.
        ///
        /// Sources: `workforce.md` and `payments.md` of the domain reference (roles of
        /// the Additional Roles Reimbursement Scheme by year; Primary Care Home
        /// teams).
        ///
        /// ```
        /// use pcn_core::{ProfessionalRegister, Role};
        /// let role: Role = "clinical_pharmacist".parse()?;
        /// assert_eq!(role.register(), Some(ProfessionalRegister::Gphc));
        /// assert_eq!(role.label(), "clinical pharmacist");
        /// assert_eq!(Role::SocialPrescribingLinkWorker.register(), None);
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[non_exhaustive]
        pub enum Role {
            $( $(#[$doc])* $variant, )*
        }

        impl Role {
            /// Every role, in a fixed order.
            pub const ALL: &'static [Role] = &[$(Role::$variant),*];

            /// The `snake_case` name used by serde and `Display`.
            #[must_use]
            pub const fn name(self) -> &'static str {
                match self { $(Role::$variant => $name,)* }
            }

            /// The role in words, for reports.
            #[must_use]
            pub const fn label(self) -> &'static str {
                match self { $(Role::$variant => $label,)* }
            }

            /// The register its members must be on, or `None` for unregulated roles.
            #[must_use]
            pub const fn register(self) -> Option<ProfessionalRegister> {
                match self { $(Role::$variant => $register,)* }
            }
        }

        impl FromStr for Role {
            type Err = CoreError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.trim() {
                    $($name => Ok(Role::$variant),)*
                    _ => Err(CoreError::UnknownRole { value: s.to_owned() }),
                }
            }
        }
    };
}

use ProfessionalRegister::{Gmc, Gphc, Hcpc, Nmc, SocialWorkEngland};

roles! {
    /// General practitioner.
    Gp = "gp", "GP", Some(Gmc);
    /// Practice nurse.
    PracticeNurse = "practice_nurse", "practice nurse", Some(Nmc);
    /// Specialist nurse (for example diabetes).
    SpecialistNurse = "specialist_nurse", "specialist nurse", Some(Nmc);
    /// District nurse.
    DistrictNurse = "district_nurse", "district nurse", Some(Nmc);
    /// Community matron.
    CommunityMatron = "community_matron", "community matron", Some(Nmc);
    /// Advanced practitioner (advanced clinical practitioner nurse; ARRS from 2023/24).
    AdvancedPractitioner = "advanced_practitioner", "advanced practitioner", Some(Nmc);
    /// Mental health nurse.
    MentalHealthNurse = "mental_health_nurse", "mental health nurse", Some(Nmc);
    /// Mental health practitioner (ARRS from April 2021; registered as a nurse in the
    /// common case, other registrations exist).
    MentalHealthPractitioner = "mental_health_practitioner", "mental health practitioner", Some(Nmc);
    /// Nursing associate.
    NursingAssociate = "nursing_associate", "nursing associate", Some(Nmc);
    /// Trainee nursing associate (not yet registered).
    TraineeNursingAssociate = "trainee_nursing_associate", "trainee nursing associate", None;
    /// Clinical pharmacist.
    ClinicalPharmacist = "clinical_pharmacist", "clinical pharmacist", Some(Gphc);
    /// Pharmacy technician.
    PharmacyTechnician = "pharmacy_technician", "pharmacy technician", Some(Gphc);
    /// First contact physiotherapist.
    FirstContactPhysiotherapist = "first_contact_physiotherapist", "first contact physiotherapist", Some(Hcpc);
    /// Paramedic.
    Paramedic = "paramedic", "paramedic", Some(Hcpc);
    /// Occupational therapist.
    OccupationalTherapist = "occupational_therapist", "occupational therapist", Some(Hcpc);
    /// Dietitian.
    Dietitian = "dietitian", "dietitian", Some(Hcpc);
    /// Podiatrist.
    Podiatrist = "podiatrist", "podiatrist", Some(Hcpc);
    /// Physician associate (GMC-regulated from December 2024).
    PhysicianAssociate = "physician_associate", "physician associate", Some(Gmc);
    /// Social worker.
    SocialWorker = "social_worker", "social worker", Some(SocialWorkEngland);
    /// Social prescribing link worker.
    SocialPrescribingLinkWorker = "social_prescribing_link_worker", "social prescribing link worker", None;
    /// Care coordinator.
    CareCoordinator = "care_coordinator", "care coordinator", None;
    /// Health and wellbeing coach.
    HealthAndWellbeingCoach = "health_and_wellbeing_coach", "health and wellbeing coach", None;
    /// Hospital consultant working with the network.
    HospitalConsultant = "hospital_consultant", "hospital consultant", Some(Gmc);
    /// Healthcare assistant (healthcare support worker) or phlebotomist: the practice's
    /// direct patient care staff who are not nurses (blood tests, blood pressure,
    /// dressings, health checks). Not an additional role until 2025/26, when the
    /// Additional Roles Reimbursement Scheme takes healthcare support workers at
    /// band 3.
    HealthcareAssistant = "healthcare_assistant", "healthcare assistant", None;
    /// General practice assistant or other administrative support.
    GeneralPracticeAssistant = "general_practice_assistant", "general practice assistant", None;
    /// Volunteer from a voluntary organisation.
    Volunteer = "volunteer", "volunteer", None;
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_serde() {
        for role in Role::ALL {
            assert_eq!(role.name().parse::<Role>().unwrap(), *role);
            assert_eq!(
                serde_json::to_string(role).unwrap(),
                format!("\"{}\"", role.name())
            );
        }
        assert!("surgeon".parse::<Role>().is_err());
    }
}
