//! The staff a network has in post, in WTE by role.

use std::collections::BTreeMap;

use pcn_core::{Role, Wte};
use serde::{Deserialize, Serialize};

use crate::{Parameters, SimError};

/// The WTE in post by role for a year: the input of the simulation's capacity, which
/// turns each role's WTE into appointments at the role's appointments per WTE a year. Take
/// it from `pcn-team`'s count of a real workforce ([`Establishment::from_capacity`])
/// or from typical staffing per 10,000 patients ([`Establishment::typical`]).
///
/// ```
/// use pcn_core::{Role, Wte};
/// use pcn_sim::{Establishment, Parameters};
/// let parameters = Parameters::published()?;
/// let typical = Establishment::typical(50_000, &parameters)?;
/// assert_eq!(typical.wte(Role::Gp), "22.50".parse::<Wte>()?); // 0.45 per 1,000 patients
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Establishment {
    wte: BTreeMap<Role, Wte>,
}

impl Establishment {
    /// No staff.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The typical staffing of a network of `population` patients, from the
    /// parameters' WTE per 10,000 patients (`staffing_per_10000`).
    ///
    /// # Errors
    /// [`SimError::EmptyPopulation`] for a population of 0.
    pub fn typical(population: u64, parameters: &Parameters) -> Result<Self, SimError> {
        if population == 0 {
            return Err(SimError::EmptyPopulation { size: population });
        }
        let mut out = Self::new();
        for staffing in parameters.staffing_per_10000() {
            out.add(staffing.role, wte_for(staffing.value, population))?;
        }
        Ok(out)
    }

    /// The practices' own direct patient care staff for `population` patients at
    /// England's staff per patient: GPs, practice nurses and healthcare assistants
    /// from the typical staffing table (BMJ Open 2024 workforce trends, September
    /// 2022). A network's additional roles come from its own workforce file and are
    /// added to this.
    ///
    /// ```
    /// use pcn_core::Role;
    /// use pcn_sim::{Establishment, Parameters};
    /// let p = Parameters::published()?;
    /// let practices = Establishment::practice_staff(10_000, &p)?;
    /// assert_eq!(practices.wte(Role::Gp).to_string(), "4.50");
    /// assert!(practices.wte(Role::ClinicalPharmacist).is_zero());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`SimError::EmptyPopulation`] for no patients.
    pub fn practice_staff(population: u64, parameters: &Parameters) -> Result<Self, SimError> {
        if population == 0 {
            return Err(SimError::EmptyPopulation { size: population });
        }
        let mut out = Self::new();
        for staffing in parameters.staffing_per_10000() {
            if PRACTICE_ROLES.contains(&staffing.role) {
                out.add(staffing.role, wte_for(staffing.value, population))?;
            }
        }
        Ok(out)
    }

    /// The WTE by role that `pcn-team` counted for a team, a network's teams or a
    /// list of staff on a day ([`pcn_team::Capacity`]).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use pcn_core::{Party, PracticeId, Role, StaffId, Timeline, Wte};
    /// use pcn_team::{Capacity, RegistrationNumber, SessionAssumptions, SkillSet, StaffMember, StaffRecord};
    /// let day = NaiveDate::from_ymd_opt(2024, 4, 1).ok_or("date")?;
    /// let gp = StaffMember::new(StaffRecord {
    ///     id: StaffId::from_u128(1),
    ///     name: "Dr A".into(),
    ///     role: Role::Gp,
    ///     registration: Some(RegistrationNumber::for_role(Role::Gp, "1234567")?),
    ///     employer: Party::Practice(PracticeId::from_u128(1)),
    ///     contracted_wte: Timeline::starting(day, "0.8".parse::<Wte>()?),
    ///     skills: SkillSet::EMPTY,
    /// })?;
    /// let capacity = Capacity::of_staff([&gp], day, &SessionAssumptions::published());
    /// let establishment = pcn_sim::Establishment::from_capacity(&capacity)?;
    /// assert_eq!(establishment.wte(Role::Gp), "0.80".parse()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`SimError::Core`] if a WTE sum overflows.
    pub fn from_capacity(capacity: &pcn_team::Capacity) -> Result<Self, SimError> {
        let mut out = Self::new();
        for role in capacity.roles() {
            out.add(role.role, role.wte)?;
        }
        Ok(out)
    }

    /// Adds `wte` to a role.
    ///
    /// # Errors
    /// [`SimError::Core`] if the sum does not fit; nothing changes then.
    pub fn add(&mut self, role: Role, wte: Wte) -> Result<(), SimError> {
        let current = self.wte(role);
        let sum = current.checked_add(wte)?;
        if !sum.is_zero() {
            self.wte.insert(role, sum);
        }
        Ok(())
    }

    /// The WTE in post in a role.
    #[must_use]
    pub fn wte(&self, role: Role) -> Wte {
        self.wte.get(&role).copied().unwrap_or(Wte::ZERO)
    }

    /// Every role with staff, in role order.
    pub fn iter(&self) -> impl Iterator<Item = (Role, Wte)> + '_ {
        self.wte.iter().map(|(r, w)| (*r, *w))
    }
}

/// `per_10000` WTE per 10,000 patients for `population` patients, to the hundredth.
/// The roles practices employ themselves in the typical staffing table.
pub const PRACTICE_ROLES: [Role; 3] = [Role::Gp, Role::PracticeNurse, Role::HealthcareAssistant];

pub(crate) fn wte_for(per_10000: f64, population: u64) -> Wte {
    let hundredths = (per_10000 * population as f64 / 100.0).round();
    Wte::from_hundredths(crate::population::to_u32(crate::population::to_u64(
        hundredths,
    )))
}
