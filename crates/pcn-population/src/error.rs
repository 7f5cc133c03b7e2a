//! The one error type of `pcn-population`.

use chrono::NaiveDate;
use pcn_core::{AgreementId, CarePlanId, PatientId, Rate};
use thiserror::Error;

/// Everything that can go wrong in this crate. Each variant names the value that was
/// rejected; a rejected operation changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum PopulationError {
    /// A deficit count over 36.
    #[error("{count} deficits is more than the 36 the electronic Frailty Index has")]
    TooManyDeficits {
        /// The count given.
        count: u8,
    },
    /// eFI cut points that do not rise strictly within 1 to 36.
    #[error(
        "invalid eFI cut points (mild from {mild_from}, moderate from {moderate_from}, severe from {severe_from} deficits): they must rise strictly from at least 1 to at most 36"
    )]
    InvalidCutPoints {
        /// Least count for mild frailty.
        mild_from: u8,
        /// Least count for moderate frailty.
        moderate_from: u8,
        /// Least count for severe frailty.
        severe_from: u8,
    },
    /// Text that is not an ONS small-area code.
    #[error(
        "invalid small-area code {value:?}: expected E or W, 00, 01 or 02, and six digits, such as \"E01011229\""
    )]
    InvalidSmallArea {
        /// The text given.
        value: String,
    },
    /// A registration starting before the patient was born.
    #[error(
        "patient {patient} cannot be registered from {from}: that is before their date of birth {date_of_birth}"
    )]
    RegisteredBeforeBirth {
        /// The patient.
        patient: PatientId,
        /// The start asked for.
        from: NaiveDate,
        /// The date of birth.
        date_of_birth: NaiveDate,
    },
    /// Ending a registration that is not in force.
    #[error(
        "patient {patient} is not registered with any practice on {on}, so there is no registration to end"
    )]
    NotRegistered {
        /// The patient.
        patient: PatientId,
        /// The day checked.
        on: NaiveDate,
    },
    /// A profile asked for before the patient was born.
    #[error(
        "patient {patient} was not yet born on {on} (born {date_of_birth}): choose a later date"
    )]
    NotBornOn {
        /// The patient.
        patient: PatientId,
        /// The day asked for.
        on: NaiveDate,
        /// The date of birth.
        date_of_birth: NaiveDate,
    },
    /// A cohort share outside (0, 1].
    #[error(
        "cohort share {share} must be above 0 and at most 1 (for example 0.02 for the top 2 %)"
    )]
    InvalidCohortShare {
        /// The share given.
        share: Rate,
    },
    /// Risk weights that could overflow a score.
    #[error(
        "risk weights can add up to {bound} points: keep the largest possible score below 4,294,967,294"
    )]
    RiskWeightsTooLarge {
        /// The largest possible score (saturated).
        bound: u32,
    },
    /// A care plan that breaks a rule.
    #[error("care plan {plan} is invalid: {reason}")]
    InvalidCarePlan {
        /// The plan.
        plan: CarePlanId,
        /// What was wrong.
        reason: String,
    },
    /// An access check on a plan that belongs to someone else.
    #[error(
        "care plan {plan} belongs to patient {plan_patient}, not to patient {patient}: check the plan and patient match"
    )]
    PlanForAnotherPatient {
        /// The plan.
        plan: CarePlanId,
        /// The plan's patient.
        plan_patient: PatientId,
        /// The patient given.
        patient: PatientId,
    },
    /// A data sharing agreement that cannot be recorded.
    #[error("data sharing agreement {agreement} cannot be recorded: {reason}")]
    InvalidAgreement {
        /// The agreement.
        agreement: AgreementId,
        /// What was wrong.
        reason: &'static str,
    },
    /// A generator setting that is out of range.
    #[error("invalid population generator setting {setting}: {reason}")]
    InvalidGeneratorConfig {
        /// The setting.
        setting: String,
        /// What was wrong.
        reason: String,
    },
    /// More synthetic patients asked for than there are test NHS numbers.
    #[error(
        "cannot generate patients with serials up to {last_serial}: the NHS test range has 900,000 numbers (serials 0 to 899,999); use risk profiles for larger populations"
    )]
    TooManyPatients {
        /// The last serial asked for.
        last_serial: u64,
    },
    /// Synthetic patients asked for with no practice to register them with.
    #[error("cannot generate registered patients without at least one practice")]
    NoPractices,
}
