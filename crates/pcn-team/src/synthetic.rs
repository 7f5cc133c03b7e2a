//! Seeded synthetic networks: a workforce, its teams and a caseload to assign, for
//! benchmarks, property tests and demonstrations.
//!
//! Everything here is made up, reproducibly from a seed: names, registration numbers
//! (valid in shape, not real people), the mix of roles and skills, and in particular
//! the caseload figures per WTE of [`SyntheticNetwork::policy`], which are chosen so
//! that a generated network is mostly, not entirely, assignable. They are not
//! guidance.

use chrono::NaiveDate;
use pcn_core::{
    Location, NetworkId, Party, PatientId, PracticeId, Role, StaffId, TeamId, Timeline, Wte,
};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

use crate::team::Coverage;
use crate::{
    CaseloadPatient, CaseloadPolicy, ExistingCare, Locality, Membership, Places,
    RegistrationNumber, Skill, SkillSet, StaffMember, StaffRecord, Team, TeamError, TeamHost,
    TeamKind, Workforce,
};

/// The size of a synthetic network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NetworkSpec {
    /// Patients with complex needs (they get an accountable GP and a care coordinator).
    pub complex_patients: u32,
    /// Other patients on team caseloads (housebound, wound care and the like).
    pub other_patients: u32,
    /// Staff in all, GPs included.
    pub staff: u32,
    /// GP practices.
    pub practices: u32,
    /// Localities of the network's area.
    pub localities: u32,
    /// Teams.
    pub teams: u32,
}

impl NetworkSpec {
    /// The network of the performance target: a population of about 50,000 with 2,000
    /// patients with complex needs and 60 staff (six practices of three GPs each and
    /// 42 team members in three teams over four localities), plus 1,000 other patients
    /// on team caseloads.
    #[must_use]
    pub const fn fifty_thousand() -> Self {
        Self {
            complex_patients: 2_000,
            other_patients: 1_000,
            staff: 60,
            practices: 6,
            localities: 4,
            teams: 3,
        }
    }
}

/// A generated network: its workforce and teams, a caseload policy, and the patients
/// to assign on [`on`](Self::on).
#[derive(Debug, Clone)]
pub struct SyntheticNetwork {
    /// The network.
    pub network: NetworkId,
    /// The day to assign caseloads on.
    pub on: NaiveDate,
    /// Staff and teams.
    pub workforce: Workforce,
    /// Synthetic caseload figures per WTE (not guidance).
    pub policy: CaseloadPolicy,
    /// The patients, none with existing care.
    pub patients: Vec<CaseloadPatient>,
}

/// The team roles in the order they are handed out, and the synthetic caseload per
/// WTE of each.
const TEAM_ROLES: &[(Role, u32)] = &[
    (Role::DistrictNurse, 90),
    (Role::PracticeNurse, 110),
    (Role::CareCoordinator, 260),
    (Role::CommunityMatron, 80),
    (Role::DistrictNurse, 90),
    (Role::ClinicalPharmacist, 140),
    (Role::PracticeNurse, 110),
    (Role::SpecialistNurse, 110),
    (Role::DistrictNurse, 90),
    (Role::CareCoordinator, 260),
    (Role::FirstContactPhysiotherapist, 140),
    (Role::MentalHealthPractitioner, 80),
    (Role::Paramedic, 80),
    (Role::SocialPrescribingLinkWorker, 140),
    (Role::SocialWorker, 60),
    (Role::OccupationalTherapist, 70),
    (Role::NursingAssociate, 90),
    (Role::HealthAndWellbeingCoach, 140),
];

/// The skills every member of a role has, and those some have.
fn role_skills(role: Role) -> (&'static [Skill], &'static [Skill]) {
    use Skill::*;
    match role {
        Role::DistrictNurse => (
            &[WoundCare, HomeVisits, EndOfLifeCare, DiabetesMonitoring],
            &[IvInfusion, CareCoordination, FrailtyAssessment],
        ),
        Role::CommunityMatron => (
            &[
                HomeVisits,
                FrailtyAssessment,
                CareCoordination,
                MedicationReview,
                EndOfLifeCare,
                WoundCare,
            ],
            &[IndependentPrescribing],
        ),
        Role::PracticeNurse => (&[WoundCare, DiabetesMonitoring], &[HealthCoaching]),
        Role::SpecialistNurse => (
            &[DiabetesMonitoring, HomeVisits],
            &[IndependentPrescribing, CareCoordination],
        ),
        Role::CareCoordinator => (&[CareCoordination, SocialNeedsAssessment], &[HomeVisits]),
        Role::ClinicalPharmacist => (&[MedicationReview], &[IndependentPrescribing, HomeVisits]),
        Role::FirstContactPhysiotherapist => (&[MskAssessment], &[HomeVisits]),
        Role::MentalHealthPractitioner => {
            (&[MentalHealthAssessment, HomeVisits], &[CareCoordination])
        }
        Role::Paramedic => (&[HomeVisits, FrailtyAssessment], &[WoundCare]),
        Role::SocialPrescribingLinkWorker => (&[SocialPrescribing, SocialNeedsAssessment], &[]),
        Role::SocialWorker => (&[SocialNeedsAssessment, HomeVisits, CareCoordination], &[]),
        Role::OccupationalTherapist => (&[FrailtyAssessment, HomeVisits], &[MskAssessment]),
        Role::NursingAssociate => (&[WoundCare, HomeVisits], &[DiabetesMonitoring]),
        Role::HealthAndWellbeingCoach => (&[HealthCoaching], &[SocialPrescribing]),
        _ => (&[], &[]),
    }
}

/// A registration number of the right shape for `role`, made from `serial`.
fn registration(role: Role, serial: u32) -> Result<Option<RegistrationNumber>, TeamError> {
    let letters = b"ABCDEFGHJKLMNPRSTUVWXYZ";
    let letter = char::from(letters[(serial as usize) % letters.len()]);
    let text = match role {
        Role::Gp | Role::HospitalConsultant => format!("{:07}", 1_000_000 + serial % 9_000_000),
        Role::PhysicianAssociate => format!("A{:07}", serial % 10_000_000),
        Role::ClinicalPharmacist => format!("2{:06}", serial % 1_000_000),
        Role::PharmacyTechnician => format!("5{:06}", serial % 1_000_000),
        Role::SocialWorker => format!("SW{}", 1 + serial % 999_999),
        role => match (role.register(), crate::HcpcProfession::of_role(role)) {
            (Some(pcn_core::ProfessionalRegister::Nmc), _) => {
                format!("{:02}{letter}{:04}E", serial % 100, serial % 10_000)
            }
            (_, Some(profession)) => format!("{}{:06}", profession.code(), serial % 1_000_000),
            _ => return Ok(None),
        },
    };
    RegistrationNumber::for_role(role, &text).map(Some)
}

impl SyntheticNetwork {
    /// Generates network number `index` (ids are distinct across indices) from `seed`.
    ///
    /// # Errors
    /// A [`TeamError`] only if the spec cannot be built (no practices, no teams, no
    /// localities, or fewer staff than GPs and teams need).
    pub fn generate(seed: u64, index: u32, spec: &NetworkSpec) -> Result<Self, TeamError> {
        if spec.practices == 0 || spec.teams == 0 || spec.localities == 0 {
            return Err(TeamError::InvalidParameter {
                parameter: "synthetic network",
                value: format!("{spec:?}"),
                reason: "needs at least one practice, team and locality",
            });
        }
        let mut rng = Pcg64Mcg::seed_from_u64(seed ^ (u64::from(index) << 32));
        let base = u128::from(index) << 64;
        let network = NetworkId::from_u128(base | 1);
        let start = NaiveDate::from_ymd_opt(2024, 4, 1).unwrap_or_default();
        let on = NaiveDate::from_ymd_opt(2024, 10, 1).unwrap_or_default();
        let practices: Vec<PracticeId> = (0..spec.practices)
            .map(|p| PracticeId::from_u128(base | 0x1000 | u128::from(p)))
            .collect();
        let gps = (spec.practices * 3).min(spec.staff.saturating_sub(spec.teams));
        if spec.staff < gps + spec.teams {
            return Err(TeamError::InvalidParameter {
                parameter: "synthetic network",
                value: format!("{spec:?}"),
                reason: "needs at least one staff member per team besides the GPs",
            });
        }

        let mut workforce = Workforce::new();
        let teams: Vec<TeamId> = (0..spec.teams)
            .map(|t| TeamId::from_u128(base | 0x2000 | u128::from(t)))
            .collect();
        for (t, id) in teams.iter().enumerate() {
            workforce.add_team(Team::new(
                *id,
                format!("Team {}", t + 1),
                TeamHost::PrimaryCareNetwork(network),
                TeamKind::Multidisciplinary,
            )?)?;
        }

        let mut policy = CaseloadPolicy::new();
        for &(role, per_wte) in TEAM_ROLES {
            policy = policy.with_capacity(role, per_wte)?;
        }

        let mut skill_pool: Vec<SkillSet> = Vec::new();
        for n in 0..spec.staff {
            let id = StaffId::from_u128(base | 0x3000 | u128::from(n));
            let serial = index.wrapping_mul(1_000).wrapping_add(n);
            let is_gp = n < gps;
            let role = if is_gp {
                Role::Gp
            } else {
                TEAM_ROLES[((n - gps) as usize) % TEAM_ROLES.len()].0
            };
            let employer = if is_gp {
                Party::Practice(practices[(n as usize) % practices.len()])
            } else {
                Party::Network(network)
            };
            let contracted = Wte::from_hundredths([60, 80, 100, 100][rng.random_range(0..4)]);
            let (always, sometimes) = role_skills(role);
            let mut skills: SkillSet = always.iter().copied().collect();
            for &skill in sometimes {
                if rng.random_bool(0.4) {
                    skills = skills.with(skill);
                }
            }
            workforce.add_staff(StaffMember::new(StaffRecord {
                id,
                name: format!("{} {}", role.label(), n + 1),
                role,
                registration: registration(role, serial)?,
                employer,
                contracted_wte: Timeline::starting(start, contracted),
                skills,
            })?)?;
            if is_gp {
                continue;
            }
            skill_pool.push(skills.without(Skill::CareCoordination));
            let team_index = ((n - gps) as usize) % teams.len();
            let coverage = if rng.random_bool(0.5) || spec.localities == 1 {
                Coverage::WholeArea
            } else {
                let first = rng.random_range(0..spec.localities);
                let second = (first + 1) % spec.localities;
                Coverage::Localities(vec![Locality::new(first), Locality::new(second)])
            };
            let split = teams.len() > 1 && rng.random_bool(0.2);
            let share = if split {
                Wte::from_hundredths(contracted.hundredths() / 2)
            } else {
                contracted
            };
            workforce.join(
                teams[team_index],
                Membership {
                    coverage: coverage.clone(),
                    ..Membership::starting(id, share, start)
                },
            )?;
            if split {
                let rest = contracted.checked_sub(share).unwrap_or(Wte::ZERO);
                workforce.join(
                    teams[(team_index + 1) % teams.len()],
                    Membership {
                        coverage,
                        ..Membership::starting(id, rest, start)
                    },
                )?;
            }
        }

        let total = spec.complex_patients + spec.other_patients;
        let mut patients = Vec::with_capacity(total as usize);
        for p in 0..total {
            let pool_skills = if skill_pool.is_empty() {
                SkillSet::EMPTY
            } else {
                skill_pool[rng.random_range(0..skill_pool.len())]
            };
            let wanted = rng.random_range(1..=3usize);
            let mut needs = SkillSet::EMPTY;
            let available: Vec<Skill> = pool_skills.iter().collect();
            if !available.is_empty() {
                for _ in 0..wanted {
                    needs = needs.with(available[rng.random_range(0..available.len())]);
                }
            }
            patients.push(CaseloadPatient {
                patient: PatientId::from_u128(base | 0x10_0000 | u128::from(p)),
                practice: practices[rng.random_range(0..practices.len())],
                needs,
                complex: p < spec.complex_patients,
                locality: Locality::new(rng.random_range(0..spec.localities)),
                existing: ExistingCare::default(),
            });
        }

        Ok(Self {
            network,
            on,
            workforce,
            policy,
            patients,
        })
    }
}

impl SyntheticNetwork {
    /// Places for the network's patients and teams, reproducibly from `seed`:
    /// locality `n` is centred on `centres[n % len]` (a practice's published location,
    /// say), each patient lives at a point up to `radius_m` metres from their
    /// locality's centre, and team `t` (in the network's team order) is based at the
    /// centre of locality `t`. With no centres there are no places.
    #[must_use]
    pub fn places(&self, seed: u64, centres: &[Location], radius_m: u32) -> Places {
        let mut places = Places::new();
        if centres.is_empty() {
            return places;
        }
        let mut rng = Pcg64Mcg::seed_from_u64(seed);
        let centre = |n: usize| centres[n % centres.len()];
        for (t, team) in self.workforce.teams_of_network(self.network).enumerate() {
            places = places.with_team_base(team.id(), centre(t));
        }
        // Metres to degrees near the centre (a degree of latitude is about 111.32 km).
        const METRES_PER_DEGREE: f64 = 111_320.0;
        for patient in &self.patients {
            let at = centre(patient.locality.number() as usize);
            let distance = f64::from(radius_m) * rng.random::<f64>().sqrt();
            let angle = rng.random::<f64>() * std::f64::consts::TAU;
            let latitude = at.latitude() + distance * angle.sin() / METRES_PER_DEGREE;
            let longitude = at.longitude()
                + distance * angle.cos() / (METRES_PER_DEGREE * at.latitude().to_radians().cos());
            if let Ok(home) = Location::new(latitude, longitude) {
                places = places.with_home(patient.patient, home);
            }
        }
        places
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CaseloadPlanner;

    #[test]
    fn generation_is_reproducible_and_mostly_assignable() {
        let spec = NetworkSpec::fifty_thousand();
        let a = SyntheticNetwork::generate(7, 0, &spec).unwrap();
        let b = SyntheticNetwork::generate(7, 0, &spec).unwrap();
        assert_eq!(a.workforce, b.workforce);
        assert_eq!(a.patients, b.patients);
        assert_eq!(a.workforce.staff_members().count(), 60);
        assert_eq!(a.patients.len(), 3_000);
        let caseloads =
            CaseloadPlanner::new(&a.workforce, a.network, &a.policy, a.on).assign(&a.patients);
        let placed = caseloads.assignments().len();
        assert!(placed > 2_400, "only {placed} of 3000 placed");
        let other = SyntheticNetwork::generate(7, 1, &spec).unwrap();
        assert_ne!(other.network, a.network);
    }
}
