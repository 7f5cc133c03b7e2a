//! Scenarios: what a network changes against its baseline.

use std::collections::BTreeSet;

use pcn_core::Role;
use serde::{Deserialize, Serialize};

use crate::{Access, Parameters, SimError};

/// Staff a scenario adds, in WTE per 10,000 registered patients, so that one
/// scenario fits networks of every size.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AddedStaff {
    /// The role.
    pub role: Role,
    /// WTE added per 10,000 patients.
    pub wte_per_10000: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ScenarioFile {
    name: String,
    open_routes: BTreeSet<Access>,
    added_staff: Vec<AddedStaff>,
    care_plan_share: f64,
}

/// A way of running a network for a year: which entry routes are open, which staff
/// are added to its establishment, and what share of its population, highest risk
/// first, has a personal care and support plan.
///
/// [`Access::Booked`] and [`Access::TeamReferral`] are always open.
///
/// ```
/// use pcn_sim::{Access, Parameters, Scenario};
/// let parameters = Parameters::published()?;
/// let pch = Scenario::primary_care_home(&parameters);
/// assert!(pch.is_open(Access::DirectAccess));
/// assert!(!Scenario::baseline().is_open(Access::DirectAccess));
/// assert_eq!(pch.care_plan_share(), 0.02);
///
/// // A scenario of your own, as JSON (`network_year --scenario FILE.json` reads this).
/// let pharmacists_only: Scenario = serde_json::from_str(r#"{
///     "name": "pharmacists with direct access",
///     "open_routes": ["direct_access"],
///     "added_staff": [{ "role": "clinical_pharmacist", "wte_per_10000": 1.0 }],
///     "care_plan_share": 0.0
/// }"#)?;
/// assert!(pharmacists_only.is_open(Access::Booked));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ScenarioFile", into = "ScenarioFile")]
pub struct Scenario {
    file: ScenarioFile,
}

impl Scenario {
    /// A scenario.
    ///
    /// # Errors
    /// [`SimError::ScenarioOutOfRange`] if the care plan share is not between 0 and 1
    /// or an added WTE per 10,000 is negative, not finite or over 1,000.
    pub fn new(
        name: impl Into<String>,
        open_routes: impl IntoIterator<Item = Access>,
        added_staff: Vec<AddedStaff>,
        care_plan_share: f64,
    ) -> Result<Self, SimError> {
        let mut routes: BTreeSet<Access> = open_routes.into_iter().collect();
        routes.insert(Access::Booked);
        routes.insert(Access::TeamReferral);
        Self::try_from(ScenarioFile {
            name: name.into(),
            open_routes: routes,
            added_staff,
            care_plan_share,
        })
    }

    /// The network as it is: booked appointments (reception's care navigation books
    /// with whichever role fits), referrals on, and social prescribing (part of the
    /// Network Contract DES since 2019/20, `payments.md`); no self-referral or direct
    /// access, no staff added, no care plans.
    #[must_use]
    pub fn baseline() -> Self {
        Self {
            file: ScenarioFile {
                name: "baseline".into(),
                open_routes: [
                    Access::Booked,
                    Access::TeamReferral,
                    Access::SocialPrescribing,
                ]
                .into(),
                added_staff: Vec::new(),
                care_plan_share: 0.0,
            },
        }
    }

    /// The Primary Care Home model (National Association of Primary Care, 2015;
    /// `networks.md`): an integrated team around the population with direct access
    /// and social prescribing open and care plans for the parameters' care plan
    /// cohort (2 % of the population, highest risk first: Avoiding unplanned
    /// admissions enhanced service, 2014).
    ///
    /// The staff added per 10,000 patients are an assumption, a team of the roles
    /// PCNs recruited under the Additional Roles Reimbursement Scheme (`payments.md`):
    /// 0.6 WTE clinical pharmacist, 0.6 first contact physiotherapist, 0.4 social
    /// prescribing link worker, 0.4 care coordinator and 0.2 mental health
    /// practitioner (for 50,000 patients: 3, 3, 2, 2 and 1 WTE).
    #[must_use]
    pub fn primary_care_home(parameters: &Parameters) -> Self {
        let added = |role, wte_per_10000| AddedStaff {
            role,
            wte_per_10000,
        };
        Self {
            file: ScenarioFile {
                name: "primary care home".into(),
                open_routes: [
                    Access::Booked,
                    Access::TeamReferral,
                    Access::DirectAccess,
                    Access::SocialPrescribing,
                    Access::CarePlan,
                ]
                .into(),
                added_staff: vec![
                    added(Role::ClinicalPharmacist, 0.6),
                    added(Role::FirstContactPhysiotherapist, 0.6),
                    added(Role::SocialPrescribingLinkWorker, 0.4),
                    added(Role::CareCoordinator, 0.4),
                    added(Role::MentalHealthPractitioner, 0.2),
                ],
                care_plan_share: parameters.care_plans().cohort_share.value,
            },
        }
    }

    /// The scenario's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.file.name
    }

    /// Whether an entry route is open.
    #[must_use]
    pub fn is_open(&self, route: Access) -> bool {
        self.file.open_routes.contains(&route)
    }

    /// The open entry routes.
    pub fn open_routes(&self) -> impl Iterator<Item = Access> + '_ {
        self.file.open_routes.iter().copied()
    }

    /// The staff added per 10,000 patients.
    #[must_use]
    pub fn added_staff(&self) -> &[AddedStaff] {
        &self.file.added_staff
    }

    /// The share of the population given a care plan, highest risk first.
    #[must_use]
    pub fn care_plan_share(&self) -> f64 {
        self.file.care_plan_share
    }
}

impl TryFrom<ScenarioFile> for Scenario {
    type Error = SimError;

    fn try_from(mut file: ScenarioFile) -> Result<Self, SimError> {
        let share = file.care_plan_share;
        if !(share.is_finite() && (0.0..=1.0).contains(&share)) {
            return Err(SimError::ScenarioOutOfRange {
                name: "care_plan_share",
                value: share,
                expected: "between 0 and 1",
            });
        }
        for added in &file.added_staff {
            let v = added.wte_per_10000;
            if !(v.is_finite() && (0.0..=1000.0).contains(&v)) {
                return Err(SimError::ScenarioOutOfRange {
                    name: "added_staff.wte_per_10000",
                    value: v,
                    expected: "between 0 and 1000",
                });
            }
        }
        file.open_routes.insert(Access::Booked);
        file.open_routes.insert(Access::TeamReferral);
        Ok(Self { file })
    }
}

impl From<Scenario> for ScenarioFile {
    fn from(scenario: Scenario) -> Self {
        scenario.file
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_range_settings_are_rejected() {
        assert!(Scenario::new("x", [], vec![], 1.5).is_err());
        let bad = AddedStaff {
            role: Role::Gp,
            wte_per_10000: -1.0,
        };
        assert!(Scenario::new("x", [], vec![bad], 0.0).is_err());
        let ok = Scenario::new("x", [Access::DirectAccess], vec![], 0.0).unwrap();
        assert!(ok.is_open(Access::Booked));
    }
}
