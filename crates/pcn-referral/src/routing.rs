//! Routing: from a request (patient facts, reason, route, date) to a pathway and a
//! destination, or an explanation, criterion by criterion, of why none fits.

use std::fmt;

use chrono::NaiveDate;
use pcn_core::{NetworkId, PathwayId, PracticeId, SnomedCode};
use serde::{Deserialize, Serialize};

use crate::catalogue::CompiledPathway;
use crate::{
    Destination, EntryRoute, PathwayCatalogue, PathwayCode, Priority, RedFlag, ReferralError,
    WaitTarget,
};

/// A patient's age as the request knows it: in completed years, or as a date of
/// birth from which the age on the referral date is worked out.
///
/// Serde: `{"years": 42}` or `{"date_of_birth": "1982-03-14"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PatientAge {
    /// Age in completed years.
    Years(u8),
    /// Date of birth.
    DateOfBirth(NaiveDate),
}

impl PatientAge {
    /// Age in completed years on `date`.
    ///
    /// # Errors
    /// [`ReferralError::BornAfterReferral`] if the date of birth is after `date`.
    pub fn years_on(self, date: NaiveDate) -> Result<u32, ReferralError> {
        match self {
            Self::Years(years) => Ok(u32::from(years)),
            Self::DateOfBirth(born) => {
                date.years_since(born)
                    .ok_or(ReferralError::BornAfterReferral {
                        date_of_birth: born,
                        referral_date: date,
                    })
            }
        }
    }
}

/// The facts about a patient that routing needs.
///
/// Kept to what eligibility criteria read, so that callers fill it from whatever
/// record they hold (the population crate's patient, a FHIR `Patient`, a form).
/// Registration is judged by `registered_network`; `registered_practice` is carried
/// for the caller (to tell the practice, to report by practice).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientFacts {
    /// Age, or date of birth.
    pub age: PatientAge,
    /// The practice the patient is registered with, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registered_practice: Option<PracticeId>,
    /// The network of that practice, if the patient is registered in one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registered_network: Option<NetworkId>,
    /// The patient's recorded conditions (SNOMED CT).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<SnomedCode>,
}

/// A request to route: who, why, by which route, when, and any red flags.
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_core::SnomedCode;
/// use pcn_referral::{EntryRoute, PatientAge, PatientFacts, ReferralRequest};
/// let request = ReferralRequest {
///     patient: PatientFacts {
///         age: PatientAge::Years(52),
///         registered_practice: None,
///         registered_network: None,
///         conditions: vec![],
///     },
///     reason: SnomedCode::constant(279_039_007), // low back pain
///     route: EntryRoute::SelfReferral,
///     date: NaiveDate::from_ymd_opt(2024, 5, 1).unwrap(),
///     red_flags: vec![],
/// };
/// assert!(request.route.is_self_referral());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralRequest {
    /// The patient.
    pub patient: PatientFacts,
    /// The reason for referral (SNOMED CT).
    pub reason: SnomedCode,
    /// How the request arrives.
    pub route: EntryRoute,
    /// The date of the request.
    pub date: NaiveDate,
    /// Red flags found, if any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub red_flags: Vec<RedFlag>,
}

/// A red flag that changed where a request went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RedFlagOverride {
    /// The red flag that decided it.
    pub flag: RedFlag,
    /// The pathway the request would otherwise have gone to, if any fitted.
    pub instead_of: Option<PathwayId>,
}

/// Where a request goes: the outcome of [`PathwayCatalogue::route`].
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_core::{Role, SnomedCode};
/// use pcn_referral::*;
/// let catalogue = PathwayCatalogue::from_json(EXAMPLE_CATALOGUE)?;
/// let mut request = ReferralRequest {
///     patient: PatientFacts {
///         age: PatientAge::Years(52),
///         registered_practice: None,
///         registered_network: Some(catalogue.network()),
///         conditions: vec![],
///     },
///     reason: SnomedCode::constant(279_039_007), // low back pain
///     route: EntryRoute::SelfReferral,
///     date: NaiveDate::from_ymd_opt(2024, 5, 1).unwrap(),
///     red_flags: vec![],
/// };
/// let routed = catalogue.route(&request)?;
/// assert_eq!(routed.destination(), Destination::TeamRole { role: Role::FirstContactPhysiotherapist });
/// assert_eq!(routed.priority(), Priority::Routine);
///
/// // The same self-referral with suspected cauda equina goes to urgent GP review.
/// request.red_flags.push(RedFlag::SuspectedCaudaEquina);
/// let routed = catalogue.route(&request)?;
/// assert_eq!(routed.destination(), Destination::TeamRole { role: Role::Gp });
/// assert_eq!(routed.priority(), Priority::Urgent);
/// assert_eq!(routed.red_flag().map(|o| o.flag), Some(RedFlag::SuspectedCaudaEquina));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Routed {
    pathway: PathwayId,
    destination: Destination,
    priority: Priority,
    target: WaitTarget,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    red_flag: Option<RedFlagOverride>,
}

impl Routed {
    /// The pathway chosen.
    #[must_use]
    pub const fn pathway(&self) -> PathwayId {
        self.pathway
    }

    /// Where the referral goes.
    #[must_use]
    pub const fn destination(&self) -> Destination {
        self.destination
    }

    /// Its priority.
    #[must_use]
    pub const fn priority(&self) -> Priority {
        self.priority
    }

    /// Its target wait, for a referral made on the request date.
    #[must_use]
    pub const fn target(&self) -> WaitTarget {
        self.target
    }

    /// The red flag that overrode the route, if one did.
    #[must_use]
    pub const fn red_flag(&self) -> Option<RedFlagOverride> {
        self.red_flag
    }
}

/// One criterion a pathway's eligibility did not meet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "criterion", rename_all = "snake_case")]
#[non_exhaustive]
pub enum CriterionFailure {
    /// The pathway does not take this route.
    Route {
        /// The route of the request.
        route: EntryRoute,
    },
    /// The pathway is not open on the referral date.
    NotInForce {
        /// The referral date.
        date: NaiveDate,
    },
    /// The patient is younger than the pathway accepts.
    TooYoung {
        /// The patient's age.
        age: u32,
        /// The youngest accepted.
        min_age: u32,
    },
    /// The patient is older than the pathway accepts.
    TooOld {
        /// The patient's age.
        age: u32,
        /// The oldest accepted.
        max_age: u32,
    },
    /// The patient is not registered with a practice of the network.
    NotRegisteredInNetwork {
        /// The catalogue's network.
        network: NetworkId,
    },
    /// The patient has none of the conditions the pathway requires.
    MissingCondition {
        /// The conditions of which one is needed.
        requires_any_of: Vec<SnomedCode>,
    },
    /// The patient has a condition the pathway excludes.
    Excluded {
        /// The excluding condition.
        condition: SnomedCode,
    },
}

impl fmt::Display for CriterionFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Route { route } => write!(f, "does not take a {route}"),
            Self::NotInForce { date } => write!(f, "is not open on {date}"),
            Self::TooYoung { age, min_age } => {
                write!(f, "is for ages {min_age} and over (patient is {age})")
            }
            Self::TooOld { age, max_age } => {
                write!(f, "is for ages up to {max_age} (patient is {age})")
            }
            Self::NotRegisteredInNetwork { network } => {
                write!(f, "needs registration with a practice of network {network}")
            }
            Self::MissingCondition { requires_any_of } => {
                write!(f, "needs one of the conditions ")?;
                write_codes(f, requires_any_of)
            }
            Self::Excluded { condition } => write!(f, "excludes condition {condition}"),
        }
    }
}

fn write_codes(f: &mut fmt::Formatter<'_>, codes: &[SnomedCode]) -> fmt::Result {
    for (i, code) in codes.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{code}")?;
    }
    Ok(())
}

/// Why one pathway that accepts the reason does not fit the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathwayMismatch {
    /// The pathway.
    pub pathway: PathwayCode,
    /// Every criterion it failed, in the order they are checked.
    pub failures: Vec<CriterionFailure>,
}

/// Why no pathway fits a request: for each pathway that accepts the reason for
/// referral, every criterion it failed. No candidates means that no pathway in the
/// catalogue accepts that reason at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoRoute {
    /// The reason for referral.
    pub reason: SnomedCode,
    /// The route of the request.
    pub route: EntryRoute,
    /// The date of the request.
    pub date: NaiveDate,
    /// The pathways that accept the reason, and why each does not fit.
    pub candidates: Vec<PathwayMismatch>,
}

impl fmt::Display for NoRoute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "no pathway fits this {} for reason {} on {}",
            self.route, self.reason, self.date
        )?;
        if self.candidates.is_empty() {
            return write!(
                f,
                ": no pathway in the catalogue accepts that reason; add one or refer by another reason"
            );
        }
        f.write_str(": ")?;
        for (i, mismatch) in self.candidates.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "pathway `{}` ", mismatch.pathway)?;
            for (j, failure) in mismatch.failures.iter().enumerate() {
                if j > 0 {
                    f.write_str(" and ")?;
                }
                write!(f, "{failure}")?;
            }
        }
        Ok(())
    }
}

impl PathwayCatalogue {
    /// Routes a request: picks the pathway and destination, applying red flags.
    ///
    /// The pathway is the one that accepts the request's route and reason and whose
    /// every eligibility criterion holds; the catalogue has been checked so that at
    /// most one such pathway wins (overlaps were refused or given an order when it
    /// was compiled). Then red flags: if the request carries any and came by
    /// self-referral, or no pathway fits, or the pathway that fits is routine, the
    /// first red-flag rule that names one of its flags decides (the pathway's own
    /// rules, then the catalogue's, then the catalogue's default pathway), whatever
    /// the eligibility of the pathway it leads to. A professional referral already on
    /// an urgent or suspected-cancer pathway keeps it. A red flag therefore always
    /// overrides a self-referral.
    ///
    /// # Errors
    /// [`ReferralError::NoPathway`] with a [`NoRoute`] explanation when no pathway
    /// fits and there is no red flag; [`ReferralError::BornAfterReferral`] for a date
    /// of birth after the request date.
    pub fn route(&self, request: &ReferralRequest) -> Result<Routed, ReferralError> {
        let age = request.patient.age.years_on(request.date)?;
        let route = request.route.canonical();
        let base = self
            .index
            .get(&(route, request.reason))
            .and_then(|candidates| {
                candidates
                    .iter()
                    .copied()
                    .find(|c| self.fits(&self.compiled[*c as usize], age, request))
            });
        if let Some(&first_flag) = request.red_flags.first() {
            let overrides = match base {
                None => true,
                Some(index) => {
                    route.is_self_referral()
                        || !self.compiled[index as usize].priority.is_expedited()
                }
            };
            if overrides {
                let (flag, target) = self.red_flag_target(base, first_flag, &request.red_flags);
                let pathway = &self.compiled[target as usize];
                return Ok(Routed {
                    pathway: pathway.id,
                    destination: pathway.destination,
                    priority: pathway.priority,
                    target: pathway.target_wait.on(request.date),
                    red_flag: Some(RedFlagOverride {
                        flag,
                        instead_of: base.map(|b| self.compiled[b as usize].id),
                    }),
                });
            }
        }
        match base {
            Some(index) => {
                let pathway = &self.compiled[index as usize];
                Ok(Routed {
                    pathway: pathway.id,
                    destination: pathway.destination,
                    priority: pathway.priority,
                    target: pathway.target_wait.on(request.date),
                    red_flag: None,
                })
            }
            None => Err(ReferralError::NoPathway(Box::new(
                self.explain_with_age(request, age),
            ))),
        }
    }

    /// Explains, criterion by criterion, why each pathway accepting the request's
    /// reason does or does not fit (red flags aside). A pathway that fits appears with
    /// no failures.
    ///
    /// # Errors
    /// [`ReferralError::BornAfterReferral`] for a date of birth after the request date.
    pub fn explain(&self, request: &ReferralRequest) -> Result<NoRoute, ReferralError> {
        let age = request.patient.age.years_on(request.date)?;
        Ok(self.explain_with_age(request, age))
    }

    fn explain_with_age(&self, request: &ReferralRequest, age: u32) -> NoRoute {
        let route = request.route.canonical();
        let candidates = self
            .by_reason
            .get(&request.reason)
            .map(|list| {
                list.iter()
                    .map(|index| {
                        let definition = self.definition_at(*index);
                        let compiled = &self.compiled[*index as usize];
                        let mut failures = Vec::new();
                        if !definition.routes.iter().any(|rule| rule.accepts(route)) {
                            failures.push(CriterionFailure::Route { route });
                        }
                        failures.extend(self.failures(compiled, age, request));
                        PathwayMismatch {
                            pathway: definition.code.clone(),
                            failures,
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        NoRoute {
            reason: request.reason,
            route,
            date: request.date,
            candidates,
        }
    }

    /// Whether a pathway's criteria (other than route and reason) all hold.
    #[inline]
    fn fits(&self, pathway: &CompiledPathway, age: u32, request: &ReferralRequest) -> bool {
        let patient = &request.patient;
        pathway.in_force_on(request.date)
            && age >= pathway.min_age
            && age <= pathway.max_age
            && (!pathway.registered_in_network
                || patient.registered_network == Some(self.network()))
            && (pathway.requires.is_empty()
                || patient
                    .conditions
                    .iter()
                    .any(|c| pathway.requires.binary_search(c).is_ok()))
            && !patient
                .conditions
                .iter()
                .any(|c| pathway.excludes.binary_search(c).is_ok())
    }

    /// Every criterion (other than route and reason) that fails, in checking order.
    fn failures(
        &self,
        pathway: &CompiledPathway,
        age: u32,
        request: &ReferralRequest,
    ) -> Vec<CriterionFailure> {
        let patient = &request.patient;
        let mut failures = Vec::new();
        if !pathway.in_force_on(request.date) {
            failures.push(CriterionFailure::NotInForce { date: request.date });
        }
        if age < pathway.min_age {
            failures.push(CriterionFailure::TooYoung {
                age,
                min_age: pathway.min_age,
            });
        }
        if age > pathway.max_age {
            failures.push(CriterionFailure::TooOld {
                age,
                max_age: pathway.max_age,
            });
        }
        if pathway.registered_in_network && patient.registered_network != Some(self.network()) {
            failures.push(CriterionFailure::NotRegisteredInNetwork {
                network: self.network(),
            });
        }
        if !pathway.requires.is_empty()
            && !patient
                .conditions
                .iter()
                .any(|c| pathway.requires.binary_search(c).is_ok())
        {
            failures.push(CriterionFailure::MissingCondition {
                requires_any_of: pathway.requires.to_vec(),
            });
        }
        if let Some(condition) = patient
            .conditions
            .iter()
            .find(|c| pathway.excludes.binary_search(c).is_ok())
        {
            failures.push(CriterionFailure::Excluded {
                condition: *condition,
            });
        }
        failures
    }

    /// The red flag that decides, and the pathway it leads to: the first rule naming
    /// one of `flags`, else the first flag and the catalogue's default pathway.
    fn red_flag_target(
        &self,
        base: Option<u32>,
        first_flag: RedFlag,
        flags: &[RedFlag],
    ) -> (RedFlag, u32) {
        let own: &[(RedFlag, u32)] = base.map_or(&[], |b| &self.compiled[b as usize].red_flags);
        own.iter()
            .chain(self.catalogue_red_flags.iter())
            .find(|(flag, _)| flags.contains(flag))
            .copied()
            .unwrap_or((first_flag, self.default_red_flag))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EXAMPLE_CATALOGUE, TargetWait, WaitMeasure};
    use pcn_core::Role;

    const BACK_PAIN: SnomedCode = SnomedCode::constant(279_039_007);
    const RHEUMATOID_ARTHRITIS: SnomedCode = SnomedCode::constant(69_896_004);
    const MEDICATION_REVIEW: SnomedCode = SnomedCode::constant(182_836_005);
    const DIABETES: SnomedCode = SnomedCode::constant(73_211_009);
    const RECTAL_BLEEDING: SnomedCode = SnomedCode::constant(12_063_002);
    const SOCIAL_ISOLATION: SnomedCode = SnomedCode::constant(422_650_009);
    const DEPRESSION: SnomedCode = SnomedCode::constant(35_489_007);
    const BREAST_LUMP: SnomedCode = SnomedCode::constant(89_164_003);

    fn catalogue() -> PathwayCatalogue {
        PathwayCatalogue::from_json(EXAMPLE_CATALOGUE).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn request(
        catalogue: &PathwayCatalogue,
        reason: SnomedCode,
        route: EntryRoute,
    ) -> ReferralRequest {
        ReferralRequest {
            patient: PatientFacts {
                age: PatientAge::Years(47),
                registered_practice: None,
                registered_network: Some(catalogue.network()),
                conditions: Vec::new(),
            },
            reason,
            route,
            date: date(2024, 5, 1),
            red_flags: Vec::new(),
        }
    }

    fn code_of(catalogue: &PathwayCatalogue, routed: &Routed) -> String {
        catalogue
            .pathway(routed.pathway())
            .unwrap()
            .code
            .to_string()
    }

    #[test]
    fn each_entry_route_finds_its_pathway() {
        let c = catalogue();
        let cases = [
            (BACK_PAIN, EntryRoute::SelfReferral, "msk-fcp-direct-access"),
            (BACK_PAIN, EntryRoute::GpReferral, "msk-interface-service"),
            (
                BACK_PAIN,
                EntryRoute::TeamReferral {
                    role: Role::FirstContactPhysiotherapist,
                },
                "msk-interface-service",
            ),
            (
                MEDICATION_REVIEW,
                EntryRoute::TeamReferral {
                    role: Role::ClinicalPharmacist,
                },
                "pharmacist-to-gp",
            ),
            (
                SOCIAL_ISOLATION,
                EntryRoute::AgencyReferral,
                "social-prescribing",
            ),
            (
                SOCIAL_ISOLATION,
                EntryRoute::SocialPrescribing,
                "community-walking-group",
            ),
            (BREAST_LUMP, EntryRoute::GpReferral, "usc-breast"),
            (
                BACK_PAIN,
                EntryRoute::TeamReferral { role: Role::Gp },
                "msk-interface-service",
            ),
        ];
        for (reason, route, expected) in cases {
            let routed = c.route(&request(&c, reason, route)).unwrap();
            assert_eq!(code_of(&c, &routed), expected, "{route} {reason}");
            assert_eq!(routed.red_flag(), None);
        }
    }

    #[test]
    fn targets_follow_the_pathway_and_the_date() {
        let c = catalogue();
        let mut req = request(&c, RECTAL_BLEEDING, EntryRoute::GpReferral);
        let routed = c.route(&req).unwrap();
        assert_eq!(routed.priority(), Priority::TwoWeekWait);
        assert_eq!(routed.target().measure, WaitMeasure::FasterDiagnosis);
        assert_eq!(routed.target().days, 28);
        req.date = date(2023, 9, 30);
        assert_eq!(c.route(&req).unwrap().target().days, 14);
        let msk = c
            .route(&request(&c, BACK_PAIN, EntryRoute::GpReferral))
            .unwrap();
        assert_eq!(msk.target(), TargetWait::ReferralToTreatment.on(req.date));
    }

    #[test]
    fn medication_review_needs_a_long_term_condition() {
        let c = catalogue();
        let mut req = request(&c, MEDICATION_REVIEW, EntryRoute::GpReferral);
        let err = c.route(&req).unwrap_err();
        let ReferralError::NoPathway(no_route) = &err else {
            panic!("{err}");
        };
        let review = no_route
            .candidates
            .iter()
            .find(|m| m.pathway.as_str() == "pharmacist-medication-review")
            .unwrap();
        assert!(matches!(
            review.failures.as_slice(),
            [CriterionFailure::MissingCondition { .. }]
        ));
        let to_gp = no_route
            .candidates
            .iter()
            .find(|m| m.pathway.as_str() == "pharmacist-to-gp")
            .unwrap();
        assert!(matches!(
            to_gp.failures.as_slice(),
            [CriterionFailure::Route { .. }]
        ));
        assert!(
            err.to_string().contains("needs one of the conditions"),
            "{err}"
        );

        req.patient.conditions.push(DIABETES);
        let routed = c.route(&req).unwrap();
        assert_eq!(
            routed.destination(),
            Destination::TeamRole {
                role: Role::ClinicalPharmacist
            }
        );
    }

    #[test]
    fn every_failed_criterion_is_listed() {
        let c = catalogue();
        let mut req = request(&c, BACK_PAIN, EntryRoute::SelfReferral);
        req.patient.age = PatientAge::DateOfBirth(date(2010, 6, 1));
        req.patient.registered_network = None;
        req.patient.conditions = vec![RHEUMATOID_ARTHRITIS];
        let err = c.route(&req).unwrap_err();
        let ReferralError::NoPathway(no_route) = err else {
            panic!("expected no pathway");
        };
        let fcp = &no_route.candidates[0];
        assert_eq!(fcp.pathway.as_str(), "msk-fcp-direct-access");
        assert_eq!(
            fcp.failures,
            vec![
                CriterionFailure::TooYoung {
                    age: 13,
                    min_age: 18
                },
                CriterionFailure::NotRegisteredInNetwork {
                    network: c.network()
                },
                CriterionFailure::Excluded {
                    condition: RHEUMATOID_ARTHRITIS
                },
            ]
        );
        // The interface service takes no self-referrals either.
        assert!(matches!(
            no_route.candidates[1].failures[0],
            CriterionFailure::Route { .. }
        ));
    }

    #[test]
    fn an_unknown_reason_says_so() {
        let c = catalogue();
        let unknown = SnomedCode::constant(84_114_007);
        let err = c
            .route(&request(&c, unknown, EntryRoute::GpReferral))
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("no pathway in the catalogue accepts"),
            "{err}"
        );
    }

    #[test]
    fn pathways_out_of_force_do_not_fit() {
        let c = catalogue();
        let mut req = request(&c, DEPRESSION, EntryRoute::SocialPrescribing);
        assert!(c.route(&req).is_ok());
        req.date = date(2025, 4, 1);
        let err = c.route(&req).unwrap_err();
        assert!(
            err.to_string().contains("is not open on 2025-04-01"),
            "{err}"
        );
    }

    #[test]
    fn red_flags_override_self_referral_and_routine_pathways() {
        let c = catalogue();
        let mut req = request(&c, BACK_PAIN, EntryRoute::SelfReferral);
        req.red_flags = vec![RedFlag::SuspectedCancer];
        let routed = c.route(&req).unwrap();
        assert_eq!(routed.priority(), Priority::Urgent);
        assert_eq!(code_of(&c, &routed), "urgent-gp-review");
        let fcp = c.id_of(&"msk-fcp-direct-access".parse().unwrap());
        assert_eq!(routed.red_flag().unwrap().instead_of, fcp);

        // A coded finding the catalogue sends straight to a suspected-cancer referral.
        req.red_flags = vec![
            RedFlag::SuspectedInfection,
            RedFlag::Finding(RECTAL_BLEEDING),
        ];
        let routed = c.route(&req).unwrap();
        // The pathway's own rules come first: infection -> urgent GP review.
        assert_eq!(code_of(&c, &routed), "urgent-gp-review");
        assert_eq!(routed.red_flag().unwrap().flag, RedFlag::SuspectedInfection);
        req.red_flags = vec![RedFlag::Finding(RECTAL_BLEEDING)];
        let routed = c.route(&req).unwrap();
        assert_eq!(code_of(&c, &routed), "usc-lower-gi");

        // No pathway fits, but the red flag still finds one.
        let mut lost = request(
            &c,
            SnomedCode::constant(84_114_007),
            EntryRoute::SelfReferral,
        );
        lost.red_flags = vec![RedFlag::SuspectedFracture];
        let routed = c.route(&lost).unwrap();
        assert_eq!(code_of(&c, &routed), "urgent-gp-review");
        assert_eq!(routed.red_flag().unwrap().instead_of, None);
    }

    #[test]
    fn a_professional_referral_already_expedited_keeps_its_pathway() {
        let c = catalogue();
        let mut req = request(&c, BREAST_LUMP, EntryRoute::GpReferral);
        req.red_flags = vec![RedFlag::SuspectedCancer];
        let routed = c.route(&req).unwrap();
        assert_eq!(code_of(&c, &routed), "usc-breast");
        assert_eq!(routed.red_flag(), None);
    }

    #[test]
    fn a_birth_date_after_the_referral_is_an_error() {
        let c = catalogue();
        let mut req = request(&c, BACK_PAIN, EntryRoute::SelfReferral);
        req.patient.age = PatientAge::DateOfBirth(date(2024, 6, 1));
        assert!(matches!(
            c.route(&req).unwrap_err(),
            ReferralError::BornAfterReferral { .. }
        ));
    }

    #[test]
    fn requests_round_trip_through_json() {
        let c = catalogue();
        let mut req = request(&c, BACK_PAIN, EntryRoute::SelfReferral);
        req.red_flags = vec![RedFlag::SuspectedCaudaEquina];
        let json = serde_json::to_string(&req).unwrap();
        assert_eq!(serde_json::from_str::<ReferralRequest>(&json).unwrap(), req);
        let routed = c.route(&req).unwrap();
        let json = serde_json::to_string(&routed).unwrap();
        assert_eq!(serde_json::from_str::<Routed>(&json).unwrap(), routed);
    }
}
