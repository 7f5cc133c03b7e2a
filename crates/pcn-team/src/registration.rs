//! Professional registration numbers, checked by register and by role.

use std::fmt;

use pcn_core::{ProfessionalRegister, Role};
use serde::{Deserialize, Serialize};

use crate::TeamError;

/// The longest registration number accepted: an HCPC practitioner psychologist's
/// `PYL` and six digits is nine characters.
const MAX_LEN: usize = 9;

/// A profession on the register of the Health and Care Professions Council, named by
/// the letters that start its members' registration numbers.
///
/// Source: HCPC, "Registrant snapshot" (the profession codes `AS` to `SL`) and "How to
/// check the Register" ("up to six numbers, and starts with the letters of the
/// profession code. For example: PH123456 or PYL123456").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum HcpcProfession {
    /// Arts therapists (`AS`).
    ArtsTherapist,
    /// Biomedical scientists (`BS`).
    BiomedicalScientist,
    /// Chiropodists and podiatrists (`CH`).
    ChiropodistPodiatrist,
    /// Clinical scientists (`CS`).
    ClinicalScientist,
    /// Dietitians (`DT`).
    Dietitian,
    /// Hearing aid dispensers (`HAD`).
    HearingAidDispenser,
    /// Operating department practitioners (`ODP`).
    OperatingDepartmentPractitioner,
    /// Orthoptists (`OR`).
    Orthoptist,
    /// Occupational therapists (`OT`).
    OccupationalTherapist,
    /// Paramedics (`PA`).
    Paramedic,
    /// Physiotherapists (`PH`).
    Physiotherapist,
    /// Prosthetists and orthotists (`PO`).
    ProsthetistOrthotist,
    /// Practitioner psychologists (`PYL`).
    PractitionerPsychologist,
    /// Radiographers (`RA`).
    Radiographer,
    /// Speech and language therapists (`SL`).
    SpeechAndLanguageTherapist,
}

impl HcpcProfession {
    /// Every profession, in the order of the HCPC's codes.
    pub const ALL: &'static [Self] = &[
        Self::ArtsTherapist,
        Self::BiomedicalScientist,
        Self::ChiropodistPodiatrist,
        Self::ClinicalScientist,
        Self::Dietitian,
        Self::HearingAidDispenser,
        Self::OperatingDepartmentPractitioner,
        Self::Orthoptist,
        Self::OccupationalTherapist,
        Self::Paramedic,
        Self::Physiotherapist,
        Self::ProsthetistOrthotist,
        Self::PractitionerPsychologist,
        Self::Radiographer,
        Self::SpeechAndLanguageTherapist,
    ];

    /// The letters that start the profession's registration numbers.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::ArtsTherapist => "AS",
            Self::BiomedicalScientist => "BS",
            Self::ChiropodistPodiatrist => "CH",
            Self::ClinicalScientist => "CS",
            Self::Dietitian => "DT",
            Self::HearingAidDispenser => "HAD",
            Self::OperatingDepartmentPractitioner => "ODP",
            Self::Orthoptist => "OR",
            Self::OccupationalTherapist => "OT",
            Self::Paramedic => "PA",
            Self::Physiotherapist => "PH",
            Self::ProsthetistOrthotist => "PO",
            Self::PractitionerPsychologist => "PYL",
            Self::Radiographer => "RA",
            Self::SpeechAndLanguageTherapist => "SL",
        }
    }

    /// The profession whose numbers start with `code`.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|p| p.code() == code)
    }

    /// The profession a role's members are registered in, for the roles on the HCPC
    /// register (`workforce.md`: physiotherapist `PH`, paramedic `PA`, occupational
    /// therapist `OT`, dietitian `DT`, podiatrist `CH`).
    #[must_use]
    pub const fn of_role(role: Role) -> Option<Self> {
        match role {
            Role::FirstContactPhysiotherapist => Some(Self::Physiotherapist),
            Role::Paramedic => Some(Self::Paramedic),
            Role::OccupationalTherapist => Some(Self::OccupationalTherapist),
            Role::Dietitian => Some(Self::Dietitian),
            Role::Podiatrist => Some(Self::ChiropodistPodiatrist),
            _ => None,
        }
    }
}

/// A professional registration number: the number by which a regulator's register
/// identifies a clinician, checked against the shape that register publishes.
///
/// | register | shape | example | source |
/// |---|---|---|---|
/// | GMC, doctors | 7 digits | `1234567` | NHS Data Dictionary, "General Medical Council Reference Number"; UK Core Practitioner identifier guidance ("7 digits") |
/// | GMC, physician associates | `A` and 7 digits | `A1234567` | GMC, "GMC reference numbers for PAs and AAs" (prefix "a capital letter A"); Pulse, "a seven-digit GMC reference number with a short alphabetical prefix" |
/// | NMC | 2 digits, a letter, 4 digits, a letter | `12A3456E` | UK Core Practitioner identifier guidance ("8 character alphanumeric pin", `NNANNNNA`); NHS Prescription Services nurse prescriber example `71A2998E` |
/// | HCPC | profession code and 1 to 6 digits | `PH123456` | HCPC, "How to check the Register" ("up to six numbers, and starts with the letters of the profession code") |
/// | GPhC | 7 digits, pharmacists from `2`, pharmacy technicians from `5` | `2033467` | UK Core Practitioner identifier guidance ("7 digit number starting with the number 2"); NHS Data Dictionary, "Pharmacy Technician" ("a 7 digit number starting with the number 5") |
/// | Social Work England | `SW` and digits, no leading zeros | `SW12345` | Social Work England, transition FAQs ("If you currently have zeros at the start of your number (e.g. SW000***), these will now be removed") |
///
/// Parsing trims surrounding white space and upper-cases letters; a Social Work England
/// number written in the old padded HCPC form (`SW000123`) is read as the same number
/// without the zeros (`SW123`), as the regulator says. An HCPC number keeps its digits
/// as written (the NHS prescription systems pad them with zeros to eight characters,
/// which is a different, display-only form). A GMC limited-registration number (`L`
/// and 6 digits, a category closed in 2009) is not accepted.
///
/// A registration number is `Copy` and compares by register and text. Serde uses
/// `{"register": "nmc", "number": "12A3456E"}`.
///
/// ```
/// use pcn_core::{ProfessionalRegister, Role};
/// use pcn_team::{HcpcProfession, RegistrationNumber};
///
/// let pin = RegistrationNumber::new(ProfessionalRegister::Nmc, "12a3456e")?;
/// assert_eq!(pin.as_str(), "12A3456E");
///
/// let physio = RegistrationNumber::for_role(Role::FirstContactPhysiotherapist, "PH123456")?;
/// assert_eq!(physio.hcpc_profession(), Some(HcpcProfession::Physiotherapist));
///
/// // A paramedic's number is not a physiotherapist's.
/// assert!(RegistrationNumber::for_role(Role::FirstContactPhysiotherapist, "PA123456").is_err());
/// // A pharmacy technician's GPhC number starts with 5.
/// assert!(RegistrationNumber::for_role(Role::ClinicalPharmacist, "5012345").is_err());
///
/// let social_worker = RegistrationNumber::for_role(Role::SocialWorker, "SW000123")?;
/// assert_eq!(social_worker.to_string(), "SW123");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "RegistrationRecord", into = "RegistrationRecord")]
pub struct RegistrationNumber {
    register: ProfessionalRegister,
    len: u8,
    text: [u8; MAX_LEN],
}

/// The serde form of a [`RegistrationNumber`].
#[derive(Serialize, Deserialize)]
struct RegistrationRecord {
    register: ProfessionalRegister,
    number: String,
}

impl TryFrom<RegistrationRecord> for RegistrationNumber {
    type Error = TeamError;

    fn try_from(record: RegistrationRecord) -> Result<Self, Self::Error> {
        Self::new(record.register, &record.number)
    }
}

impl From<RegistrationNumber> for RegistrationRecord {
    fn from(number: RegistrationNumber) -> Self {
        Self {
            register: number.register,
            number: number.as_str().to_owned(),
        }
    }
}

/// The register's short name, as the regulators write it.
pub(crate) const fn register_name(register: ProfessionalRegister) -> &'static str {
    match register {
        ProfessionalRegister::Gmc => "GMC",
        ProfessionalRegister::Nmc => "NMC",
        ProfessionalRegister::Hcpc => "HCPC",
        ProfessionalRegister::Gphc => "GPhC",
        ProfessionalRegister::SocialWorkEngland => "Social Work England",
        _ => "professional",
    }
}

fn all_digits(bytes: &[u8]) -> bool {
    !bytes.is_empty() && bytes.iter().all(u8::is_ascii_digit)
}

impl RegistrationNumber {
    /// Reads a registration number on `register`, checking its shape (see the table on
    /// the type).
    ///
    /// # Errors
    /// [`TeamError::InvalidRegistration`] naming the register, the text and the shape
    /// expected.
    pub fn new(register: ProfessionalRegister, text: &str) -> Result<Self, TeamError> {
        let invalid = |reason| TeamError::InvalidRegistration {
            register,
            value: text.to_owned(),
            reason,
        };
        let upper = text.trim().to_ascii_uppercase();
        let bytes = upper.as_bytes();
        if !bytes.iter().all(u8::is_ascii_alphanumeric) {
            return Err(invalid("may hold only letters and digits"));
        }
        let canonical: &[u8] = match register {
            ProfessionalRegister::Gmc => {
                let digits = bytes.strip_prefix(b"A").unwrap_or(bytes);
                if digits.len() != 7 || !all_digits(digits) {
                    return Err(invalid(
                        "a GMC reference number is 7 digits, with an A in front for a physician associate",
                    ));
                }
                bytes
            }
            ProfessionalRegister::Nmc => {
                let shape_ok = bytes.len() == 8
                    && all_digits(&bytes[..2])
                    && bytes[2].is_ascii_alphabetic()
                    && all_digits(&bytes[3..7])
                    && bytes[7].is_ascii_alphabetic();
                if !shape_ok {
                    return Err(invalid(
                        "an NMC PIN is 2 digits, a letter, 4 digits and a letter, such as 12A3456E",
                    ));
                }
                bytes
            }
            ProfessionalRegister::Hcpc => {
                let split = bytes
                    .iter()
                    .position(u8::is_ascii_digit)
                    .unwrap_or(bytes.len());
                let (code, digits) = bytes.split_at(split);
                let known = std::str::from_utf8(code)
                    .ok()
                    .and_then(HcpcProfession::from_code)
                    .is_some();
                if !known {
                    return Err(invalid(
                        "an HCPC number starts with a profession code such as PH, PA, OT, DT or CH",
                    ));
                }
                if digits.len() > 6 || !all_digits(digits) {
                    return Err(invalid(
                        "an HCPC number has 1 to 6 digits after its profession code, such as PH123456",
                    ));
                }
                bytes
            }
            ProfessionalRegister::Gphc => {
                if bytes.len() != 7 || !all_digits(bytes) {
                    return Err(invalid("a GPhC registration number is 7 digits"));
                }
                bytes
            }
            ProfessionalRegister::SocialWorkEngland => {
                let digits = bytes
                    .strip_prefix(b"SW")
                    .ok_or(invalid("a Social Work England number starts with SW"))?;
                if !all_digits(digits) {
                    return Err(invalid(
                        "a Social Work England number is SW followed by digits, such as SW12345",
                    ));
                }
                let first = digits
                    .iter()
                    .position(|&b| b != b'0')
                    .ok_or(invalid("a Social Work England number cannot be all zeros"))?;
                let significant = &digits[first..];
                if significant.len() > 6 {
                    return Err(invalid(
                        "a Social Work England number has at most 6 digits after SW",
                    ));
                }
                let mut out = [0u8; MAX_LEN];
                out[..2].copy_from_slice(b"SW");
                out[2..2 + significant.len()].copy_from_slice(significant);
                return Ok(Self::from_parts(register, &out[..2 + significant.len()]));
            }
            // A register added to pcn-core later has no published shape here yet.
            _ => {
                return Err(invalid(
                    "no published number format is known for this register",
                ));
            }
        };
        Ok(Self::from_parts(register, canonical))
    }

    /// Builds the value from text already checked to be at most [`MAX_LEN`] ASCII
    /// letters and digits.
    fn from_parts(register: ProfessionalRegister, canonical: &[u8]) -> Self {
        let mut text = [0u8; MAX_LEN];
        let len = canonical.len().min(MAX_LEN);
        text[..len].copy_from_slice(&canonical[..len]);
        Self {
            register,
            len: u8::try_from(len).unwrap_or(0),
            text,
        }
    }

    /// Reads the registration number of a member of staff in `role`: the register is
    /// the role's ([`Role::register`]) and the number must fit the role (see
    /// [`check_role`](Self::check_role)).
    ///
    /// # Errors
    /// [`TeamError::RegistrationNotExpected`] if the role is not regulated;
    /// [`TeamError::InvalidRegistration`] if the shape is wrong;
    /// [`TeamError::RegistrationDoesNotFitRole`] if it is another profession's number.
    pub fn for_role(role: Role, text: &str) -> Result<Self, TeamError> {
        let register = role
            .register()
            .ok_or_else(|| TeamError::RegistrationNotExpected {
                role,
                value: text.trim().to_owned(),
            })?;
        let number = Self::new(register, text)?;
        number.check_role(role)?;
        Ok(number)
    }

    /// The shape of the registration number a member of staff in `role` holds, in
    /// words, for forms and messages; `None` for an unregulated role.
    ///
    /// ```
    /// use pcn_core::Role;
    /// use pcn_team::RegistrationNumber;
    /// assert_eq!(
    ///     RegistrationNumber::format_for(Role::Paramedic),
    ///     Some("HCPC registration number: PA and up to 6 digits, such as PA123456")
    /// );
    /// assert_eq!(RegistrationNumber::format_for(Role::CareCoordinator), None);
    /// ```
    #[must_use]
    pub fn format_for(role: Role) -> Option<&'static str> {
        Some(match role {
            Role::PhysicianAssociate => "GMC reference number: A and 7 digits, such as A1234567",
            Role::ClinicalPharmacist => {
                "GPhC registration number: 7 digits starting with 2, such as 2033467"
            }
            Role::PharmacyTechnician => {
                "GPhC registration number: 7 digits starting with 5, such as 5012345"
            }
            Role::FirstContactPhysiotherapist => {
                "HCPC registration number: PH and up to 6 digits, such as PH123456"
            }
            Role::Paramedic => "HCPC registration number: PA and up to 6 digits, such as PA123456",
            Role::OccupationalTherapist => {
                "HCPC registration number: OT and up to 6 digits, such as OT123456"
            }
            Role::Dietitian => "HCPC registration number: DT and up to 6 digits, such as DT123456",
            Role::Podiatrist => "HCPC registration number: CH and up to 6 digits, such as CH123456",
            role => match role.register()? {
                ProfessionalRegister::Gmc => "GMC reference number: 7 digits, such as 1234567",
                ProfessionalRegister::Nmc => {
                    "NMC PIN: 2 digits, a letter, 4 digits and a letter, such as 12A3456E"
                }
                ProfessionalRegister::Hcpc => {
                    "HCPC registration number: profession code and up to 6 digits, such as PH123456"
                }
                ProfessionalRegister::Gphc => "GPhC registration number: 7 digits",
                ProfessionalRegister::SocialWorkEngland => {
                    "Social Work England registration number: SW and digits, such as SW12345"
                }
                _ => return None,
            },
        })
    }

    /// Checks that the number is one a member of staff in `role` could hold: on the
    /// role's register, and within it the right profession (an `A` prefix on the GMC
    /// register for a physician associate and none for a doctor; the HCPC profession
    /// code of the role; a GPhC number starting `2` for a pharmacist and `5` for a
    /// pharmacy technician).
    ///
    /// # Errors
    /// [`TeamError::RegistrationNotExpected`] for an unregulated role,
    /// [`TeamError::RegistrationDoesNotFitRole`] otherwise.
    pub fn check_role(&self, role: Role) -> Result<(), TeamError> {
        let value = self.as_str().to_owned();
        let Some(register) = role.register() else {
            return Err(TeamError::RegistrationNotExpected { role, value });
        };
        let mismatch = |reason: String| {
            Err(TeamError::RegistrationDoesNotFitRole {
                role,
                value: value.clone(),
                reason,
            })
        };
        if register != self.register {
            return mismatch(format!(
                "it is a {} number but the role is registered with the {}",
                register_name(self.register),
                register_name(register)
            ));
        }
        match register {
            ProfessionalRegister::Gmc => {
                let associate = self.is_gmc_associate();
                if role == Role::PhysicianAssociate && !associate {
                    return mismatch(
                        "a physician associate's GMC number starts with A; a number without it is a doctor's"
                            .to_owned(),
                    );
                }
                if role != Role::PhysicianAssociate && associate {
                    return mismatch(
                        "a GMC number starting with A belongs to a physician or anaesthesia associate, not a doctor"
                            .to_owned(),
                    );
                }
            }
            ProfessionalRegister::Hcpc => {
                let found = self.hcpc_profession();
                if let Some(expected) = HcpcProfession::of_role(role)
                    && found != Some(expected)
                {
                    return mismatch(format!(
                        "a {}'s HCPC number starts with {}",
                        role.label(),
                        expected.code()
                    ));
                }
            }
            ProfessionalRegister::Gphc => {
                let expected = match role {
                    Role::ClinicalPharmacist => Some(b'2'),
                    Role::PharmacyTechnician => Some(b'5'),
                    _ => None,
                };
                if let Some(first) = expected
                    && self.text[0] != first
                {
                    return mismatch(format!(
                        "a {}'s GPhC number starts with {}",
                        role.label(),
                        char::from(first)
                    ));
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The register the number is on.
    #[must_use]
    pub const fn register(&self) -> ProfessionalRegister {
        self.register
    }

    /// The number as text, in its canonical form.
    #[must_use]
    pub fn as_str(&self) -> &str {
        // Only ASCII letters and digits are ever stored.
        std::str::from_utf8(&self.text[..usize::from(self.len)]).unwrap_or("")
    }

    /// The HCPC profession, for a number on the HCPC register.
    #[must_use]
    pub fn hcpc_profession(&self) -> Option<HcpcProfession> {
        if self.register != ProfessionalRegister::Hcpc {
            return None;
        }
        let text = self.as_str();
        let split = text
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(text.len());
        HcpcProfession::from_code(&text[..split])
    }

    /// Whether this is a GMC number of a physician or anaesthesia associate (`A`
    /// prefix) rather than a doctor's.
    #[must_use]
    pub fn is_gmc_associate(&self) -> bool {
        self.register == ProfessionalRegister::Gmc && self.text[0] == b'A'
    }
}

impl fmt::Display for RegistrationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for RegistrationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "RegistrationNumber({:?} {})",
            self.register,
            self.as_str()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ProfessionalRegister::{Gmc, Gphc, Hcpc, Nmc, SocialWorkEngland};
    use proptest::prelude::*;

    #[test]
    fn published_examples_are_accepted() {
        for (register, text) in [
            (Gmc, "1234567"),
            (Gmc, "A1234567"),
            (Nmc, "12A3456E"),
            (Nmc, "71A2998E"),
            (Hcpc, "PH123456"),
            (Hcpc, "PYL123456"),
            (Hcpc, "CH029821"),
            (Gphc, "2033467"),
            (Gphc, "5012345"),
            (SocialWorkEngland, "SW12345"),
        ] {
            let number = RegistrationNumber::new(register, text).unwrap();
            assert_eq!(number.as_str(), text);
            assert_eq!(number.register(), register);
        }
    }

    #[test]
    fn malformed_numbers_are_rejected_with_the_register_and_value() {
        for (register, text) in [
            (Gmc, "123456"),
            (Gmc, "12345678"),
            (Gmc, "L123456"),
            (Gmc, "B1234567"),
            (Nmc, "12A3456"),
            (Nmc, "123A456E"),
            (Nmc, "12A34567"),
            (Hcpc, "XX123456"),
            (Hcpc, "PH1234567"),
            (Hcpc, "PH"),
            (Gphc, "203346"),
            (Gphc, "20334A7"),
            (SocialWorkEngland, "12345"),
            (SocialWorkEngland, "SW"),
            (SocialWorkEngland, "SW0000"),
            (SocialWorkEngland, "SW1234567"),
            (Nmc, "12-A3456E"),
        ] {
            let err = RegistrationNumber::new(register, text).unwrap_err();
            let message = err.to_string();
            assert!(message.contains(text), "{message}");
            assert!(message.contains(register_name(register)), "{message}");
        }
    }

    #[test]
    fn social_work_numbers_lose_the_old_leading_zeros() {
        let number = RegistrationNumber::new(SocialWorkEngland, " sw000123 ").unwrap();
        assert_eq!(number.as_str(), "SW123");
        assert_eq!(
            number,
            RegistrationNumber::new(SocialWorkEngland, "SW123").unwrap()
        );
    }

    #[test]
    fn every_regulated_role_has_a_format_whose_example_fits() {
        for &role in Role::ALL {
            match (role.register(), RegistrationNumber::format_for(role)) {
                (None, None) => {}
                (Some(_), Some(format)) => {
                    if let Some(example) = format.split("such as ").nth(1) {
                        assert!(
                            RegistrationNumber::for_role(role, example).is_ok(),
                            "{role}: {example}"
                        );
                    }
                }
                (register, format) => panic!("{role}: {register:?} but {format:?}"),
            }
        }
    }

    #[test]
    fn numbers_must_fit_the_role() {
        assert!(RegistrationNumber::for_role(Role::Gp, "1234567").is_ok());
        assert!(RegistrationNumber::for_role(Role::Gp, "A1234567").is_err());
        assert!(RegistrationNumber::for_role(Role::PhysicianAssociate, "A1234567").is_ok());
        assert!(RegistrationNumber::for_role(Role::PhysicianAssociate, "1234567").is_err());
        assert!(RegistrationNumber::for_role(Role::Paramedic, "PA12345").is_ok());
        assert!(RegistrationNumber::for_role(Role::Podiatrist, "CH12345").is_ok());
        assert!(RegistrationNumber::for_role(Role::Dietitian, "PH12345").is_err());
        assert!(RegistrationNumber::for_role(Role::PharmacyTechnician, "5012345").is_ok());
        assert!(RegistrationNumber::for_role(Role::ClinicalPharmacist, "2012345").is_ok());
        assert!(matches!(
            RegistrationNumber::for_role(Role::CareCoordinator, "12A3456E"),
            Err(TeamError::RegistrationNotExpected { .. })
        ));
        let nmc = RegistrationNumber::new(Nmc, "12A3456E").unwrap();
        let err = nmc.check_role(Role::Gp).unwrap_err();
        assert!(err.to_string().contains("12A3456E"), "{err}");
    }

    #[test]
    fn serde_uses_register_and_number_and_checks_on_the_way_in() {
        let pin = RegistrationNumber::new(Nmc, "12A3456E").unwrap();
        let json = serde_json::to_string(&pin).unwrap();
        assert_eq!(json, r#"{"register":"nmc","number":"12A3456E"}"#);
        assert_eq!(
            serde_json::from_str::<RegistrationNumber>(&json).unwrap(),
            pin
        );
        assert!(
            serde_json::from_str::<RegistrationNumber>(r#"{"register":"gmc","number":"12"}"#)
                .is_err()
        );
    }

    proptest! {
        #[test]
        fn canonical_text_round_trips(
            register in prop::sample::select(vec![Gmc, Nmc, Hcpc, Gphc, SocialWorkEngland]),
            text in "[A-Z0-9]{1,9}",
        ) {
            if let Ok(number) = RegistrationNumber::new(register, &text) {
                let again = RegistrationNumber::new(register, number.as_str()).unwrap();
                prop_assert_eq!(again, number);
            }
        }

        #[test]
        fn nmc_shape_is_exactly_the_published_one(
            a in 0u8..100, letter in "[A-Z]", b in 0u16..10_000, last in "[A-Z]",
        ) {
            let text = format!("{a:02}{letter}{b:04}{last}");
            prop_assert!(RegistrationNumber::new(Nmc, &text).is_ok());
        }
    }
}
