//! Population health for one network: generate its 50,000 registered patients,
//! stratify them, find the top 2 % of adults by risk, make each a personal care and
//! support plan with a named accountable GP and a care coordinator, and check who may
//! open those plans.
//!
//! Run with `cargo run --release --example population_health`.
//!
//! Staff are a small fixed list with roles here; real caseload assignment belongs to
//! the team crate.

use std::collections::BTreeMap;
use std::error::Error;

use chrono::{Months, NaiveDate};
use pcn::core::{
    AgreementId, CarePlanId, DateRange, NetworkId, PatientId, PracticeId, Role, StaffId,
};
use pcn::population::{
    AccessControl, AccessKind, AccessPolicy, AccessReason, AgeBand, AgreementScope, CareAction,
    CarePlan, Cohort, CohortPipeline, Consent, DataSharingAgreement, FrailtyBand, FrailtyDeficit,
    Goal, NewCarePlan, Patient, PopulationGenerator, RiskProfile, StratificationRules, Stratifier,
    Workplace,
};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

const USAGE: &str = "usage: population_health (no options): a 50,000 population's frailty, multimorbidity, top 2 %, care plans and access control";

const POPULATION: u32 = 50_000;

/// A member of the network's staff, for this example.
struct Staff {
    id: StaffId,
    name: String,
    role: Role,
    workplace: Workplace,
}

/// A member practice, by id and name.
struct Practice {
    id: PracticeId,
    name: &'static str,
}

/// The network on the day of the example: its practices and its staff.
struct Network {
    id: NetworkId,
    on: NaiveDate,
    practices: Vec<Practice>,
    staff: Vec<Staff>,
}

impl Network {
    /// The ids of the GPs of a practice, in the order they were listed.
    fn gps_at(&self, practice: PracticeId) -> Vec<StaffId> {
        self.staff
            .iter()
            .filter(|s| s.role == Role::Gp && s.workplace == Workplace::Practice(practice))
            .map(|s| s.id)
            .collect()
    }

    /// The staff in a role, in the order they were listed.
    fn with_role(&self, role: Role) -> impl Iterator<Item = &Staff> {
        self.staff.iter().filter(move |s| s.role == role)
    }

    /// A practice's name, for a reader.
    fn practice_name(&self, id: PracticeId) -> &'static str {
        self.practices
            .iter()
            .find(|p| p.id == id)
            .map_or("another practice", |p| p.name)
    }
}

/// The patients of the network and their risk profiles, in the same order.
struct Population {
    patients: Vec<Patient>,
    profiles: Vec<RiskProfile>,
    index: BTreeMap<PatientId, usize>,
}

impl Population {
    /// The patient with this id.
    fn patient(&self, id: PatientId) -> Result<&Patient> {
        let i = self.index.get(&id).ok_or("unknown patient")?;
        Ok(&self.patients[*i])
    }
}

/// Who gives a cohort member's care plan its actions, besides the named GP.
struct CarePlanStaff {
    coordinators: Vec<StaffId>,
    pharmacist: StaffId,
    physio: StaffId,
}

/// Named accountable GPs: taken in turn from the GPs of each patient's practice.
struct NamedGps {
    /// Each patient's named GP.
    of_patient: BTreeMap<PatientId, StaffId>,
    /// How many patients each GP is named for.
    list: BTreeMap<StaffId, u32>,
    /// Whose turn it is next, by practice.
    next: BTreeMap<PracticeId, usize>,
}

impl NamedGps {
    /// The patient's named GP, naming one now if they have none yet.
    fn of(&mut self, network: &Network, patient: &Patient) -> Result<StaffId> {
        if let Some(gp) = self.of_patient.get(&patient.id()) {
            return Ok(*gp);
        }
        let practice = patient.registered_practice_on(network.on).ok_or("no GP")?;
        let gps = network.gps_at(practice);
        let turn = self.next.entry(practice).or_default();
        let gp = *gps.get(*turn % gps.len().max(1)).ok_or("no GP")?;
        *turn += 1;
        *self.list.entry(gp).or_default() += 1;
        self.of_patient.insert(patient.id(), gp);
        Ok(gp)
    }
}

/// The network's five practices, two GPs at each, and its network-employed care
/// coordinators, clinical pharmacist and first contact physiotherapist.
fn the_network() -> Result<Network> {
    let id = NetworkId::from_u128(0x5000);
    let practice_names = [
        "Riverside Surgery",
        "Mill Lane Medical Centre",
        "Church Street Practice",
        "Park View Health Centre",
        "Station Road Surgery",
    ];
    let practices: Vec<Practice> = (0x1001..)
        .zip(practice_names)
        .map(|(n, name)| Practice {
            id: PracticeId::from_u128(n),
            name,
        })
        .collect();
    let gp_names = [
        "Dr Amara Okafor",
        "Dr Tom Fletcher",
        "Dr Priya Shah",
        "Dr Ewan Campbell",
        "Dr Hannah Lewis",
        "Dr Kwame Mensah",
        "Dr Sofia Rossi",
        "Dr James Whitaker",
        "Dr Aisha Rahman",
        "Dr Owen Price",
    ];
    let mut staff = Vec::new();
    for (i, practice) in (0u128..).zip(&practices) {
        for j in 0..2 {
            let gp = gp_names[usize::try_from(i * 2 + j)?];
            staff.push(Staff {
                id: StaffId::from_u128(0x100 + i * 2 + j),
                name: format!("{gp}, {}", practice.name),
                role: Role::Gp,
                workplace: Workplace::Practice(practice.id),
            });
        }
    }
    for (k, (name, role)) in (0u128..).zip([
        ("Grace Adeyemi", Role::CareCoordinator),
        ("Liam O'Neill", Role::CareCoordinator),
        ("Mei Chen", Role::CareCoordinator),
        ("Daniel Novak", Role::ClinicalPharmacist),
        ("Ruth Ellis", Role::FirstContactPhysiotherapist),
    ]) {
        staff.push(Staff {
            id: StaffId::from_u128(0x200 + k),
            name: name.to_owned(),
            role,
            workplace: Workplace::Network(id),
        });
    }
    Ok(Network {
        id,
        on: NaiveDate::from_ymd_opt(2024, 4, 1).ok_or("bad date")?,
        practices,
        staff,
    })
}

/// The care coordinators, the pharmacist and the physiotherapist of the network.
fn care_plan_staff(network: &Network) -> Result<CarePlanStaff> {
    Ok(CarePlanStaff {
        coordinators: network
            .with_role(Role::CareCoordinator)
            .map(|s| s.id)
            .collect(),
        pharmacist: network
            .with_role(Role::ClinicalPharmacist)
            .next()
            .ok_or("no pharmacist")?
            .id,
        physio: network
            .with_role(Role::FirstContactPhysiotherapist)
            .next()
            .ok_or("no physio")?
            .id,
    })
}

/// The network's registered patients, as England's lists would give them, with
/// each one's risk profile on the day.
fn generate_population(network: &Network) -> Result<Population> {
    let practices: Vec<PracticeId> = network.practices.iter().map(|p| p.id).collect();
    let patients =
        PopulationGenerator::england(2024).patients(0..POPULATION, &practices, network.on)?;
    let profiles = patients
        .iter()
        .map(|p| p.risk_profile(network.on))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let index = patients
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id(), i))
        .collect();
    Ok(Population {
        patients,
        profiles,
        index,
    })
}

/// The population by age band, frailty, multimorbidity and circumstances.
fn print_stratification(on: NaiveDate, profiles: &[RiskProfile]) {
    let summary = Stratifier::default().summarise(profiles);
    println!(
        "Network population on {on}: {} registered patients",
        summary.people
    );
    for (band, count) in AgeBand::ALL.iter().zip(summary.by_age_band) {
        println!("  {:<12} {count:>6}", band.label());
    }
    let old = summary.frailty_age_people();
    println!("Frailty (eFI, Clegg et al. 2016) among the {old} aged 65 and over:");
    for (band, count) in FrailtyBand::ALL.iter().zip(summary.by_frailty_band) {
        println!(
            "  {:<17} {count:>6} ({:.1} %)",
            band.label(),
            100.0 * count as f64 / old as f64
        );
    }
    println!(
        "Multimorbidity (3+ long-term conditions): {} ({:.1} %)",
        summary.multimorbid,
        100.0 * summary.multimorbid as f64 / summary.people as f64
    );
    println!(
        "Care home residents: {}, housebound: {}, unpaid carers: {}",
        summary.care_home_residents, summary.housebound, summary.carers
    );
}

/// Everyone 75 and over has a named accountable GP: one of their practice's GPs.
fn name_gps_for_the_over_75s(network: &Network, population: &Population) -> Result<NamedGps> {
    let mut named = NamedGps {
        of_patient: BTreeMap::new(),
        list: BTreeMap::new(),
        next: BTreeMap::new(),
    };
    for patient in &population.patients {
        if patient.age_on(network.on).is_some_and(|age| age >= 75) {
            named.of(network, patient)?;
        }
    }
    println!(
        "Named accountable GPs assigned to the {} patients aged 75 and over",
        named.of_patient.len()
    );
    Ok(named)
}

/// The case-management cohort: at least 2 % of adults, highest risk first.
fn select_cohort(population: &Population) -> Result<Cohort> {
    let cohort = CohortPipeline::default().select(&population.profiles)?;
    println!(
        "Case-management cohort: {} of {} adults (target {}, cut-off score {})",
        cohort.members().len(),
        cohort.eligible(),
        cohort.target(),
        cohort.cut_off_score().unwrap_or(0)
    );
    for member in cohort.members().iter().take(5) {
        println!(
            "  #{} score {}: {}",
            member.rank, member.score, member.explanation
        );
    }
    Ok(cohort)
}

/// The care plans of the cohort, and how many each care coordinator coordinates.
struct CarePlans {
    plans: Vec<CarePlan>,
    coordinator_caseload: BTreeMap<StaffId, u32>,
}

/// A care plan for each member of the cohort, with a named GP, a care coordinator,
/// and the actions their frailty and conditions call for.
fn make_care_plans(
    network: &Network,
    population: &Population,
    cohort: &Cohort,
    named_gps: &mut NamedGps,
    staff: &CarePlanStaff,
) -> Result<CarePlans> {
    let on = network.on;
    let what_matters = [
        "Staying in my own home",
        "Getting out to see friends",
        "Not going back into hospital",
        "Looking after my garden",
        "Being able to care for my partner",
    ];
    let mut plans = Vec::new();
    let mut coordinator_caseload: BTreeMap<StaffId, u32> = BTreeMap::new();
    for (i, member) in cohort.members().iter().enumerate() {
        let patient = population.patient(member.patient)?;
        let gp = named_gps.of(network, patient)?;
        let coordinator = staff.coordinators[i % staff.coordinators.len()];
        *coordinator_caseload.entry(coordinator).or_default() += 1;
        let actions = actions_for(patient, coordinator, staff, on);
        plans.push(CarePlan::new(NewCarePlan {
            id: CarePlanId::from_u128(0x9000 + i as u128),
            patient: patient.id(),
            created_on: on,
            what_matters: vec![what_matters[i % what_matters.len()].into()],
            goals: vec![Goal {
                description: "Fewer unplanned visits to hospital this year".into(),
                target_date: on.checked_add_months(Months::new(12)),
            }],
            actions,
            review_on: on.checked_add_months(Months::new(3)).ok_or("bad date")?,
            consent: Consent::NotRecorded,
            named_accountable_gp: gp,
            care_coordinator: coordinator,
            care_team: Default::default(),
            same_day_telephone_access: true,
        })?);
    }
    println!("Care plans created: {}", plans.len());
    Ok(CarePlans {
        plans,
        coordinator_caseload,
    })
}

/// What a care plan sets out to do: agree the plan; review the medicines of someone
/// on many or with several conditions; assess someone who falls.
fn actions_for(
    patient: &Patient,
    coordinator: StaffId,
    staff: &CarePlanStaff,
    on: NaiveDate,
) -> Vec<CareAction> {
    let deficits = patient.frailty_deficits();
    let mut actions = vec![CareAction {
        description: "Agree the plan with the person and their carer".into(),
        owner: coordinator,
        due: on.checked_add_days(chrono::Days::new(14)),
    }];
    if deficits.contains(FrailtyDeficit::Polypharmacy)
        || StratificationRules::default().is_multimorbid(patient.conditions())
    {
        actions.push(CareAction {
            description: "Structured medication review".into(),
            owner: staff.pharmacist,
            due: on.checked_add_months(Months::new(1)),
        });
    }
    if deficits.contains(FrailtyDeficit::Falls) {
        actions.push(CareAction {
            description: "Falls and strength assessment".into(),
            owner: staff.physio,
            due: on.checked_add_months(Months::new(1)),
        });
    }
    actions
}

/// Each member of staff's share: named GP for how many, coordinator for how many.
fn print_caseloads(network: &Network, named_gps: &NamedGps, care_plans: &CarePlans) {
    for s in &network.staff {
        let named = named_gps.list.get(&s.id).copied().unwrap_or(0);
        let coordinated = care_plans
            .coordinator_caseload
            .get(&s.id)
            .copied()
            .unwrap_or(0);
        if named + coordinated > 0 {
            println!(
                "  {} ({}): named GP for {named}, coordinates {coordinated}",
                s.name,
                s.role.label()
            );
        }
    }
}

/// Who may open a plan: each member of staff works somewhere, and the network's
/// data sharing agreement covers its practices.
fn access_control(network: &Network) -> Result<AccessControl> {
    let mut policy = AccessPolicy::new();
    let since = DateRange::starting(NaiveDate::from_ymd_opt(2019, 7, 1).ok_or("bad date")?);
    for s in &network.staff {
        policy.add_workplace(s.id, s.workplace, since);
    }
    policy.record_agreement(DataSharingAgreement {
        id: AgreementId::from_u128(0x7000),
        network: network.id,
        practices: network.practices.iter().map(|p| p.id).collect(),
        in_force: since,
        scope: AgreementScope::ReadAndChange,
    })?;
    Ok(AccessControl::new(policy))
}

/// Four people ask to change the plan of the highest-risk patient; each answer is
/// said with its reason.
fn check_access(
    network: &Network,
    population: &Population,
    care_plans: &CarePlans,
    staff: &CarePlanStaff,
) -> Result<()> {
    let mut control = access_control(network)?;
    let on = network.on;
    let at = on.and_hms_opt(9, 0, 0).ok_or("bad time")?;
    let plan = care_plans.plans.first().ok_or("empty cohort")?;
    let patient = population.patient(plan.patient())?;
    let other_practice_gp = network
        .practices
        .iter()
        .find(|p| Some(p.id) != patient.registered_practice_on(on))
        .and_then(|p| network.gps_at(p.id).first().copied())
        .ok_or("one practice only")?;
    let outsider = StaffId::from_u128(0xdead);
    println!("Access to the plan of the highest-risk patient:");
    for (who, staff_id) in [
        ("named accountable GP", plan.named_accountable_gp()),
        (
            "another network care coordinator (data sharing agreement)",
            staff.coordinators[1],
        ),
        ("GP of another practice", other_practice_gp),
        ("someone outside the network", outsider),
    ] {
        let decision = control.request(staff_id, AccessKind::Change, patient, plan, at)?;
        // The decision names practices, networks and agreements by id: say them by name.
        let reason = match decision.reason {
            AccessReason::DataSharingAgreement { practice, .. } => format!(
                "network staff under the network's data sharing agreement, which covers {}",
                network.practice_name(practice)
            ),
            AccessReason::RegisteredPractice { practice } => format!(
                "staff of the patient's registered practice, {}",
                network.practice_name(practice)
            ),
            AccessReason::AgreementIsReadOnly { .. } => {
                "the network's data sharing agreement allows reading only".to_owned()
            }
            other => other.to_string(),
        };
        let verdict = if decision.allowed {
            "allowed"
        } else {
            "denied"
        };
        println!("  {who}: {verdict}: {reason}");
    }
    println!("Access log entries: {}", control.log().len());
    Ok(())
}

fn run() -> Result<()> {
    let network = the_network()?;
    let staff = care_plan_staff(&network)?;
    let population = generate_population(&network)?;
    print_stratification(network.on, &population.profiles);
    let mut named_gps = name_gps_for_the_over_75s(&network, &population)?;
    let cohort = select_cohort(&population)?;
    let care_plans = make_care_plans(&network, &population, &cohort, &mut named_gps, &staff)?;
    print_caseloads(&network, &named_gps, &care_plans);
    check_access(&network, &population, &care_plans, &staff)
}

fn main() {
    if std::env::args().skip(1).any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return;
    }
    if let Some(other) = std::env::args().nth(1) {
        eprintln!("unknown option {other:?}\n{USAGE}");
        std::process::exit(2);
    }
    if let Err(error) = run() {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}
