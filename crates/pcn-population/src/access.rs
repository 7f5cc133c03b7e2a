//! Who may read or change a patient's care plan, and the log of every access.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::NaiveDateTime;
use pcn_core::{AgreementId, CarePlanId, DateRange, NetworkId, PatientId, PracticeId, StaffId};
use serde::{Deserialize, Serialize};

use crate::{CarePlan, Patient, PopulationError};

/// Reading a plan or changing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessKind {
    /// Read the plan.
    Read,
    /// Change the plan.
    Change,
}

impl fmt::Display for AccessKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Read => "read",
            Self::Change => "change",
        })
    }
}

/// Where a member of staff works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Workplace {
    /// A GP practice.
    Practice(PracticeId),
    /// A network, across its practices (the network's own staff: additional roles,
    /// care coordinators, the clinical director).
    Network(NetworkId),
}

/// What a data sharing agreement lets network staff do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgreementScope {
    /// Read plans only.
    Read,
    /// Read and change plans.
    ReadAndChange,
}

/// A recorded data sharing agreement between a network and some of its practices:
/// while it is in force, the network's staff may use the plans of the practices'
/// registered patients, within its scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataSharingAgreement {
    /// The agreement's id.
    pub id: AgreementId,
    /// The network whose staff it covers.
    pub network: NetworkId,
    /// The practices whose registered patients it covers: at least one.
    pub practices: BTreeSet<PracticeId>,
    /// When it is in force (half-open; open-ended while in force).
    pub in_force: DateRange,
    /// What it allows.
    pub scope: AgreementScope,
}

/// Why access was allowed or denied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
#[non_exhaustive]
pub enum AccessReason {
    /// Allowed: the member of staff is in the patient's care team (named GP, care
    /// coordinator, an action owner or a recorded member).
    CareTeam,
    /// Allowed: the member of staff works at the practice the patient is registered
    /// with on the day.
    RegisteredPractice {
        /// The practice.
        practice: PracticeId,
    },
    /// Allowed: network staff under a data sharing agreement in force on the day that
    /// covers the patient's practice.
    DataSharingAgreement {
        /// The agreement.
        agreement: AgreementId,
        /// The network.
        network: NetworkId,
        /// The patient's practice.
        practice: PracticeId,
    },
    /// Denied: the agreement that covers the patient allows reading only.
    AgreementIsReadOnly {
        /// The agreement.
        agreement: AgreementId,
    },
    /// Denied: not in the care team, not staff of the patient's registered practice
    /// on the day, and no data sharing agreement in force covers them.
    NoRelationship,
}

impl fmt::Display for AccessReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CareTeam => f.write_str("member of the patient's care team"),
            Self::RegisteredPractice { practice } => {
                write!(f, "staff of the patient's registered practice {practice}")
            }
            Self::DataSharingAgreement {
                agreement,
                network,
                practice,
            } => write!(
                f,
                "staff of network {network} under data sharing agreement {agreement} covering practice {practice}"
            ),
            Self::AgreementIsReadOnly { agreement } => write!(
                f,
                "data sharing agreement {agreement} allows reading only, not changing"
            ),
            Self::NoRelationship => f.write_str(
                "not in the care team, not staff of the registered practice, and no data sharing agreement in force covers this patient",
            ),
        }
    }
}

/// The answer to an access check: allowed or denied, always with the reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessDecision {
    /// Whether access is allowed.
    pub allowed: bool,
    /// Why.
    pub reason: AccessReason,
}

impl AccessDecision {
    const fn allow(reason: AccessReason) -> Self {
        Self {
            allowed: true,
            reason,
        }
    }

    const fn deny(reason: AccessReason) -> Self {
        Self {
            allowed: false,
            reason,
        }
    }
}

impl fmt::Display for AccessDecision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verdict = if self.allowed { "allowed" } else { "denied" };
        write!(f, "{verdict}: {}", self.reason)
    }
}

/// The facts access is decided on: where staff work (over time) and the data
/// sharing agreements recorded. The care team comes from the plan, the registered
/// practice from the patient.
///
/// The rule: a patient's plan may be read or changed by their care team, by staff
/// of the practice they are registered with on the day, and by network staff under
/// a recorded data sharing agreement in force on the day that covers their practice
/// (within its scope); by nobody else.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessPolicy {
    workplaces: BTreeMap<StaffId, Vec<(Workplace, DateRange)>>,
    agreements: BTreeMap<AgreementId, DataSharingAgreement>,
}

impl AccessPolicy {
    /// An empty policy: only care teams have access.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Records that `staff` works at `workplace` during `period`.
    pub fn add_workplace(&mut self, staff: StaffId, workplace: Workplace, period: DateRange) {
        let places = self.workplaces.entry(staff).or_default();
        if !places.contains(&(workplace, period)) {
            places.push((workplace, period));
        }
    }

    /// Records a data sharing agreement. Recording the same agreement again changes
    /// nothing.
    ///
    /// # Errors
    /// [`PopulationError::InvalidAgreement`] if it covers no practice, or another
    /// agreement with the same id and different terms is recorded; nothing is then
    /// recorded.
    pub fn record_agreement(
        &mut self,
        agreement: DataSharingAgreement,
    ) -> Result<(), PopulationError> {
        if agreement.practices.is_empty() {
            return Err(PopulationError::InvalidAgreement {
                agreement: agreement.id,
                reason: "it covers no practice",
            });
        }
        match self.agreements.get(&agreement.id) {
            Some(existing) if *existing == agreement => Ok(()),
            Some(_) => Err(PopulationError::InvalidAgreement {
                agreement: agreement.id,
                reason: "another agreement with this id and different terms is recorded",
            }),
            None => {
                self.agreements.insert(agreement.id, agreement);
                Ok(())
            }
        }
    }

    /// The agreements recorded.
    pub fn agreements(&self) -> impl Iterator<Item = &DataSharingAgreement> {
        self.agreements.values()
    }

    fn works_at(&self, staff: StaffId, workplace: Workplace, on: chrono::NaiveDate) -> bool {
        self.workplaces.get(&staff).is_some_and(|places| {
            places
                .iter()
                .any(|(w, p)| *w == workplace && p.contains(on))
        })
    }

    /// Decides whether `staff` may `kind` the `plan` of `patient` at `at`.
    ///
    /// # Errors
    /// [`PopulationError::PlanForAnotherPatient`] if the plan is not the patient's.
    pub fn check(
        &self,
        staff: StaffId,
        kind: AccessKind,
        patient: &Patient,
        plan: &CarePlan,
        at: NaiveDateTime,
    ) -> Result<AccessDecision, PopulationError> {
        if plan.patient() != patient.id() {
            return Err(PopulationError::PlanForAnotherPatient {
                plan: plan.id(),
                plan_patient: plan.patient(),
                patient: patient.id(),
            });
        }
        if plan.is_in_care_team(staff) {
            return Ok(AccessDecision::allow(AccessReason::CareTeam));
        }
        let day = at.date();
        let Some(practice) = patient.registered_practice_on(day) else {
            return Ok(AccessDecision::deny(AccessReason::NoRelationship));
        };
        if self.works_at(staff, Workplace::Practice(practice), day) {
            return Ok(AccessDecision::allow(AccessReason::RegisteredPractice {
                practice,
            }));
        }
        let mut read_only = None;
        for agreement in self.agreements.values() {
            if agreement.in_force.contains(day)
                && agreement.practices.contains(&practice)
                && self.works_at(staff, Workplace::Network(agreement.network), day)
            {
                if kind == AccessKind::Read || agreement.scope == AgreementScope::ReadAndChange {
                    return Ok(AccessDecision::allow(AccessReason::DataSharingAgreement {
                        agreement: agreement.id,
                        network: agreement.network,
                        practice,
                    }));
                }
                read_only.get_or_insert(agreement.id);
            }
        }
        Ok(AccessDecision::deny(
            read_only.map_or(AccessReason::NoRelationship, |agreement| {
                AccessReason::AgreementIsReadOnly { agreement }
            }),
        ))
    }
}

/// One entry of the access log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessLogEntry {
    /// Position in the log, from 0.
    pub sequence: u64,
    /// When access was asked for.
    pub at: NaiveDateTime,
    /// Who asked.
    pub staff: StaffId,
    /// Whose plan.
    pub patient: PatientId,
    /// Which plan.
    pub plan: CarePlanId,
    /// Read or change.
    pub kind: AccessKind,
    /// The decision, with its reason.
    pub decision: AccessDecision,
}

/// The append-only log of every access asked for, allowed or denied.
///
/// Each entry's `sequence` is its position in the log, from 0: the log numbers the
/// entries [`AccessControl::request`] appends, and a log rebuilt from storage
/// ([`AccessLog::resume`], or serde) takes an entry only at its own position, so
/// that an entry removed, repeated or moved is refused rather than renumbered.
/// Serde gives `{"entries": [...]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AccessLog {
    entries: Vec<AccessLogEntry>,
}

impl<'de> Deserialize<'de> for AccessLog {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Fields {
            entries: Vec<AccessLogEntry>,
        }
        let fields = Fields::deserialize(deserializer)?;
        let mut log = Self::default();
        for entry in fields.entries {
            log.resume(entry).map_err(|refused| {
                serde::de::Error::custom(format!(
                    "access log entry {} is at position {}: entries must be numbered from 0 in order",
                    refused.sequence,
                    log.len()
                ))
            })?;
        }
        Ok(log)
    }
}

impl AccessLog {
    /// Appends an entry recorded earlier, as a stored log is read back (a
    /// journal's replay): it is taken only if its `sequence` is the next position,
    /// [`AccessLog::len`].
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use pcn_core::{CarePlanId, PatientId, StaffId};
    /// use pcn_population::{AccessDecision, AccessKind, AccessLog, AccessLogEntry, AccessReason};
    /// let at = NaiveDate::from_ymd_opt(2024, 2, 1).ok_or("bad date")?.and_hms_opt(9, 30, 0).ok_or("bad time")?;
    /// let entry = |sequence| AccessLogEntry {
    ///     sequence, at, staff: StaffId::from_u128(1), patient: PatientId::from_u128(2),
    ///     plan: CarePlanId::from_u128(3), kind: AccessKind::Read,
    ///     decision: AccessDecision { allowed: true, reason: AccessReason::CareTeam },
    /// };
    /// let mut log = AccessLog::default();
    /// log.resume(entry(0)).map_err(|_| "refused")?;
    /// // Entry 2 does not follow entry 0: it is given back and the log is unchanged.
    /// assert_eq!(log.resume(entry(2)), Err(entry(2)));
    /// assert_eq!(log.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// Gives the entry back, not appended, if its sequence number is not the
    /// next position (the caller knows where it came from, to say so).
    #[allow(clippy::result_large_err)] // The refused entry itself is the answer.
    pub fn resume(&mut self, entry: AccessLogEntry) -> Result<(), AccessLogEntry> {
        if entry.sequence != self.entries.len() as u64 {
            return Err(entry);
        }
        self.entries.push(entry);
        Ok(())
    }

    /// The entries from position `sequence` on: what was appended since a log
    /// held `sequence` entries (empty if it holds no more).
    #[must_use]
    pub fn since(&self, sequence: u64) -> &[AccessLogEntry] {
        let start =
            usize::try_from(sequence).map_or(self.entries.len(), |s| s.min(self.entries.len()));
        &self.entries[start..]
    }

    /// The entries, oldest first.
    #[must_use]
    pub fn entries(&self) -> &[AccessLogEntry] {
        &self.entries
    }

    /// The entries about one patient.
    pub fn for_patient(&self, patient: PatientId) -> impl Iterator<Item = &AccessLogEntry> {
        self.entries.iter().filter(move |e| e.patient == patient)
    }

    /// The number of entries.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the log is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Access control for care plans: checks every request against the
/// [`AccessPolicy`] and appends it, with the decision, to the [`AccessLog`].
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_core::{CarePlanId, DateRange, NhsNumber, PatientId, PracticeId, StaffId};
/// use pcn_population::{AccessControl, AccessKind, AccessPolicy, CarePlan, Consent, NewCarePlan,
///     Patient, Sex, Workplace};
/// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
/// let practice = PracticeId::from_u128(1);
/// let mut patient = Patient::new(PatientId::from_u128(2), NhsNumber::test_number(2).unwrap(),
///     d(1938, 1, 1), Sex::Male);
/// patient.register(practice, d(2000, 1, 1))?;
/// let plan = CarePlan::new(NewCarePlan {
///     id: CarePlanId::from_u128(3), patient: patient.id(), created_on: d(2024, 1, 1),
///     what_matters: vec!["My garden".into()], goals: vec![], actions: vec![],
///     review_on: d(2024, 4, 1), consent: Consent::NotRecorded,
///     named_accountable_gp: StaffId::from_u128(10), care_coordinator: StaffId::from_u128(11),
///     care_team: Default::default(), same_day_telephone_access: true,
/// })?;
/// let receptionist = StaffId::from_u128(20);
/// let stranger = StaffId::from_u128(99);
/// let mut policy = AccessPolicy::new();
/// policy.add_workplace(receptionist, Workplace::Practice(practice), DateRange::starting(d(2020, 1, 1)));
/// let mut control = AccessControl::new(policy);
/// let at = d(2024, 2, 1).and_hms_opt(9, 30, 0).unwrap();
/// assert!(control.request(receptionist, AccessKind::Read, &patient, &plan, at)?.allowed);
/// let denied = control.request(stranger, AccessKind::Read, &patient, &plan, at)?;
/// assert!(!denied.allowed);
/// println!("{denied}");
/// assert_eq!(control.log().len(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessControl {
    policy: AccessPolicy,
    log: AccessLog,
}

impl AccessControl {
    /// Access control under `policy`, with an empty log.
    #[must_use]
    pub fn new(policy: AccessPolicy) -> Self {
        Self {
            policy,
            log: AccessLog::default(),
        }
    }

    /// Access control under `policy` that carries on from a stored `log`: new
    /// requests are numbered after its last entry. A store that journals the log
    /// gives it back on reopening, so that a restart neither loses nor renumbers
    /// an access.
    ///
    /// ```
    /// use pcn_population::{AccessControl, AccessLog, AccessPolicy};
    /// let stored: AccessLog = serde_json::from_str(r#"{"entries": []}"#)?;
    /// let control = AccessControl::resume(AccessPolicy::new(), stored);
    /// assert!(control.log().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn resume(policy: AccessPolicy, log: AccessLog) -> Self {
        Self { policy, log }
    }

    /// The policy.
    #[must_use]
    pub const fn policy(&self) -> &AccessPolicy {
        &self.policy
    }

    /// The policy, to record workplaces and agreements.
    pub fn policy_mut(&mut self) -> &mut AccessPolicy {
        &mut self.policy
    }

    /// The log.
    #[must_use]
    pub const fn log(&self) -> &AccessLog {
        &self.log
    }

    /// Decides a request and logs it, whatever the decision.
    ///
    /// # Errors
    /// [`PopulationError::PlanForAnotherPatient`] if the plan is not the patient's;
    /// nothing is then logged, as no access to a record was asked for.
    pub fn request(
        &mut self,
        staff: StaffId,
        kind: AccessKind,
        patient: &Patient,
        plan: &CarePlan,
        at: NaiveDateTime,
    ) -> Result<AccessDecision, PopulationError> {
        let decision = self.policy.check(staff, kind, patient, plan, at)?;
        self.log.entries.push(AccessLogEntry {
            sequence: self.log.entries.len() as u64,
            at,
            staff,
            patient: patient.id(),
            plan: plan.id(),
            kind,
            decision,
        });
        Ok(decision)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Consent, NewCarePlan, Sex};
    use chrono::NaiveDate;
    use pcn_core::NhsNumber;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    const PRACTICE: PracticeId = PracticeId::from_u128(100);
    const OTHER_PRACTICE: PracticeId = PracticeId::from_u128(101);
    const NETWORK: NetworkId = NetworkId::from_u128(200);
    const GP: StaffId = StaffId::from_u128(1);
    const COORDINATOR: StaffId = StaffId::from_u128(2);
    const PRACTICE_NURSE: StaffId = StaffId::from_u128(3);
    const NETWORK_PHARMACIST: StaffId = StaffId::from_u128(4);
    const OTHER_PRACTICE_GP: StaffId = StaffId::from_u128(5);
    const READ_ONLY_NETWORK_STAFF: StaffId = StaffId::from_u128(6);

    fn setup() -> (Patient, CarePlan, AccessPolicy) {
        let mut patient = Patient::new(
            PatientId::from_u128(9),
            NhsNumber::test_number(9).unwrap(),
            d(1940, 1, 1),
            Sex::Female,
        );
        patient.register(OTHER_PRACTICE, d(1990, 1, 1)).unwrap();
        patient.register(PRACTICE, d(2020, 1, 1)).unwrap();
        let plan = CarePlan::new(NewCarePlan {
            id: CarePlanId::from_u128(50),
            patient: patient.id(),
            created_on: d(2024, 1, 1),
            what_matters: vec!["Independence".into()],
            goals: vec![],
            actions: vec![],
            review_on: d(2024, 7, 1),
            consent: Consent::NotRecorded,
            named_accountable_gp: GP,
            care_coordinator: COORDINATOR,
            care_team: BTreeSet::new(),
            same_day_telephone_access: true,
        })
        .unwrap();
        let mut policy = AccessPolicy::new();
        policy.add_workplace(
            PRACTICE_NURSE,
            Workplace::Practice(PRACTICE),
            DateRange::new(d(2015, 1, 1), Some(d(2025, 1, 1))).unwrap(),
        );
        policy.add_workplace(
            OTHER_PRACTICE_GP,
            Workplace::Practice(OTHER_PRACTICE),
            DateRange::starting(d(2000, 1, 1)),
        );
        policy.add_workplace(
            NETWORK_PHARMACIST,
            Workplace::Network(NETWORK),
            DateRange::starting(d(2019, 7, 1)),
        );
        policy.add_workplace(
            READ_ONLY_NETWORK_STAFF,
            Workplace::Network(NetworkId::from_u128(201)),
            DateRange::starting(d(2019, 7, 1)),
        );
        policy
            .record_agreement(DataSharingAgreement {
                id: AgreementId::from_u128(300),
                network: NETWORK,
                practices: [PRACTICE].into(),
                in_force: DateRange::new(d(2023, 4, 1), Some(d(2025, 4, 1))).unwrap(),
                scope: AgreementScope::ReadAndChange,
            })
            .unwrap();
        policy
            .record_agreement(DataSharingAgreement {
                id: AgreementId::from_u128(301),
                network: NetworkId::from_u128(201),
                practices: [PRACTICE].into(),
                in_force: DateRange::starting(d(2023, 4, 1)),
                scope: AgreementScope::Read,
            })
            .unwrap();
        (patient, plan, policy)
    }

    fn at(y: i32, m: u32, day: u32) -> NaiveDateTime {
        d(y, m, day).and_hms_opt(10, 0, 0).unwrap()
    }

    #[test]
    fn each_rule_allows_with_its_reason() {
        let (patient, plan, policy) = setup();
        let now = at(2024, 3, 1);
        let check = |s| {
            policy
                .check(s, AccessKind::Change, &patient, &plan, now)
                .unwrap()
        };
        assert_eq!(check(GP).reason, AccessReason::CareTeam);
        assert_eq!(check(COORDINATOR).reason, AccessReason::CareTeam);
        assert_eq!(
            check(PRACTICE_NURSE).reason,
            AccessReason::RegisteredPractice { practice: PRACTICE }
        );
        assert!(matches!(
            check(NETWORK_PHARMACIST).reason,
            AccessReason::DataSharingAgreement { .. }
        ));
        assert!(check(NETWORK_PHARMACIST).allowed);
    }

    #[test]
    fn dates_and_scopes_are_respected() {
        let (patient, plan, policy) = setup();
        // The previous practice's GP no longer has access.
        let d1 = policy
            .check(
                OTHER_PRACTICE_GP,
                AccessKind::Read,
                &patient,
                &plan,
                at(2024, 3, 1),
            )
            .unwrap();
        assert_eq!(d1, AccessDecision::deny(AccessReason::NoRelationship));
        // ... but had it while the patient was registered there.
        let d2 = policy
            .check(
                OTHER_PRACTICE_GP,
                AccessKind::Read,
                &patient,
                &plan,
                at(2019, 3, 1),
            )
            .unwrap();
        assert!(d2.allowed);
        // The nurse's employment ended; the agreement expired.
        assert!(
            !policy
                .check(
                    PRACTICE_NURSE,
                    AccessKind::Read,
                    &patient,
                    &plan,
                    at(2025, 2, 1)
                )
                .unwrap()
                .allowed
        );
        assert!(
            !policy
                .check(
                    NETWORK_PHARMACIST,
                    AccessKind::Read,
                    &patient,
                    &plan,
                    at(2025, 4, 1)
                )
                .unwrap()
                .allowed
        );
        // A read-only agreement lets its network read, not change.
        assert!(
            policy
                .check(
                    READ_ONLY_NETWORK_STAFF,
                    AccessKind::Read,
                    &patient,
                    &plan,
                    at(2024, 3, 1)
                )
                .unwrap()
                .allowed
        );
        let change = policy
            .check(
                READ_ONLY_NETWORK_STAFF,
                AccessKind::Change,
                &patient,
                &plan,
                at(2024, 3, 1),
            )
            .unwrap();
        assert_eq!(
            change,
            AccessDecision::deny(AccessReason::AgreementIsReadOnly {
                agreement: AgreementId::from_u128(301)
            })
        );
        assert!(
            change
                .to_string()
                .starts_with("denied: data sharing agreement")
        );
    }

    #[test]
    fn agreements_are_checked_and_idempotent() {
        let (_, _, mut policy) = setup();
        let again = policy.agreements().next().unwrap().clone();
        assert!(policy.record_agreement(again.clone()).is_ok());
        let mut changed = again.clone();
        changed.scope = AgreementScope::Read;
        assert!(policy.record_agreement(changed).is_err());
        let mut empty = again;
        empty.id = AgreementId::from_u128(999);
        empty.practices.clear();
        let before = policy.clone();
        assert!(policy.record_agreement(empty).is_err());
        assert_eq!(policy, before);
    }

    #[test]
    fn every_request_is_logged_and_a_wrong_plan_is_an_error() {
        let (patient, plan, policy) = setup();
        let mut control = AccessControl::new(policy);
        control
            .request(GP, AccessKind::Read, &patient, &plan, at(2024, 3, 1))
            .unwrap();
        control
            .request(
                StaffId::from_u128(77),
                AccessKind::Change,
                &patient,
                &plan,
                at(2024, 3, 2),
            )
            .unwrap();
        let log = control.log().entries();
        assert_eq!(log.len(), 2);
        assert!(log[0].decision.allowed && !log[1].decision.allowed);
        assert_eq!(log[1].sequence, 1);
        let other = Patient::new(
            PatientId::from_u128(10),
            NhsNumber::test_number(10).unwrap(),
            d(1950, 1, 1),
            Sex::Male,
        );
        assert!(
            control
                .request(GP, AccessKind::Read, &other, &plan, at(2024, 3, 1))
                .is_err()
        );
        assert_eq!(control.log().len(), 2);
    }

    #[test]
    fn a_resumed_control_numbers_new_requests_after_the_stored_log() {
        let (patient, plan, policy) = setup();
        let mut control = AccessControl::new(policy.clone());
        control
            .request(GP, AccessKind::Read, &patient, &plan, at(2024, 3, 1))
            .unwrap();
        control
            .request(
                PRACTICE_NURSE,
                AccessKind::Change,
                &patient,
                &plan,
                at(2024, 3, 2),
            )
            .unwrap();
        let mut stored = AccessLog::default();
        for e in control.log().entries() {
            stored.resume(*e).unwrap();
        }
        let mut resumed = AccessControl::resume(policy, stored);
        assert_eq!(resumed.log(), control.log());
        resumed
            .request(
                COORDINATOR,
                AccessKind::Read,
                &patient,
                &plan,
                at(2024, 3, 3),
            )
            .unwrap();
        assert_eq!(resumed.log().len(), 3);
        assert_eq!(resumed.log().entries()[2].sequence, 2);
        assert_eq!(resumed.log().since(2), &resumed.log().entries()[2..]);
        assert!(resumed.log().since(7).is_empty());
    }

    #[test]
    fn a_stored_log_out_of_sequence_is_refused_not_renumbered() {
        let (patient, plan, policy) = setup();
        let mut control = AccessControl::new(policy);
        for day in 1..=3 {
            control
                .request(GP, AccessKind::Read, &patient, &plan, at(2024, 3, day))
                .unwrap();
        }
        let entries = control.log().entries();
        let mut log = AccessLog::default();
        log.resume(entries[0]).unwrap();
        assert_eq!(log.resume(entries[2]), Err(entries[2]));
        assert_eq!(log.resume(entries[0]), Err(entries[0]));
        assert_eq!(log.len(), 1);
        // Serde reads a log back only in sequence.
        let json = serde_json::to_string(control.log()).unwrap();
        let back: AccessLog = serde_json::from_str(&json).unwrap();
        assert_eq!(&back, control.log());
        let mut gap = serde_json::to_value(control.log()).unwrap();
        gap["entries"].as_array_mut().unwrap().remove(1);
        let error = serde_json::from_value::<AccessLog>(gap).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("access log entry 2 is at position 1"),
            "{error}"
        );
    }

    proptest! {
        /// A log read back entry by entry is the log written, whatever the
        /// requests; dropping any one entry makes it unreadable.
        #[test]
        fn a_log_resumes_exactly_and_refuses_a_gap(
            requests in proptest::collection::vec((0u128..8, any::<bool>(), 0i64..400), 1..30),
            drop_at in any::<proptest::sample::Index>(),
        ) {
            let (patient, plan, policy) = setup();
            let mut control = AccessControl::new(policy.clone());
            for (staff, change, days) in &requests {
                let kind = if *change { AccessKind::Change } else { AccessKind::Read };
                let when = (d(2023, 1, 1) + chrono::Duration::days(*days)).and_hms_opt(8, 0, 0).unwrap();
                control.request(StaffId::from_u128(*staff), kind, &patient, &plan, when).unwrap();
            }
            let mut log = AccessLog::default();
            for e in control.log().entries() {
                prop_assert!(log.resume(*e).is_ok());
            }
            prop_assert_eq!(AccessControl::resume(policy, log), control.clone());
            let mut entries = control.log().entries().to_vec();
            let gone = drop_at.index(entries.len());
            entries.remove(gone);
            let mut damaged = AccessLog::default();
            let refused = entries.into_iter().find_map(|e| damaged.resume(e).err());
            prop_assert_eq!(refused.is_some(), gone + 1 < requests.len());
        }

        /// Anyone outside the rules is denied, whatever they ask and whenever.
        #[test]
        fn outsiders_are_always_denied(
            staff in 1000u128..u128::MAX,
            change in any::<bool>(),
            days in 0i64..20_000,
            workplace_practice in 1000u128..10_000,
        ) {
            let (patient, plan, mut policy) = setup();
            let outsider = StaffId::from_u128(staff);
            // Even working somewhere else in the meantime does not help.
            policy.add_workplace(outsider, Workplace::Practice(PracticeId::from_u128(workplace_practice)), DateRange::starting(d(1990, 1, 1)));
            policy.add_workplace(outsider, Workplace::Network(NetworkId::from_u128(workplace_practice)), DateRange::starting(d(1990, 1, 1)));
            let kind = if change { AccessKind::Change } else { AccessKind::Read };
            let when = (d(1980, 1, 1) + chrono::Duration::days(days)).and_hms_opt(0, 0, 0).unwrap();
            let decision = policy.check(outsider, kind, &patient, &plan, when).unwrap();
            prop_assert!(!decision.allowed);
            prop_assert_eq!(decision.reason, AccessReason::NoRelationship);
        }
    }
}
