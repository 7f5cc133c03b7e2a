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
use pcn::core::{AgreementId, CarePlanId, DateRange, NetworkId, PracticeId, Role, StaffId};
use pcn::population::{
    AccessControl, AccessKind, AccessPolicy, AccessReason, AgeBand, AgreementScope, CareAction,
    CarePlan, CohortPipeline, Consent, DataSharingAgreement, FrailtyBand, FrailtyDeficit, Goal,
    NewCarePlan, Patient, PopulationGenerator, StratificationRules, Stratifier, Workplace,
};

const POPULATION: u32 = 50_000;

/// A member of the network's staff, for this example.
struct Staff {
    id: StaffId,
    name: String,
    role: Role,
    workplace: Workplace,
}

fn run() -> Result<(), Box<dyn Error>> {
    if std::env::args().skip(1).any(|a| a == "--help" || a == "-h") {
        println!(
            "usage: population_health (no options): a 50,000 population's frailty, multimorbidity, top 2 %, care plans and access control"
        );
        return Ok(());
    }
    if let Some(other) = std::env::args().nth(1) {
        eprintln!(
            "unknown option {other:?}\nusage: population_health (no options): a 50,000 population's frailty, multimorbidity, top 2 %, care plans and access control"
        );
        std::process::exit(2);
    }
    let on = NaiveDate::from_ymd_opt(2024, 4, 1).ok_or("bad date")?;
    let network = NetworkId::from_u128(0x5000);
    let practices: Vec<PracticeId> = (1..=5).map(|i| PracticeId::from_u128(0x1000 + i)).collect();
    let practice_names = [
        "Riverside Surgery",
        "Mill Lane Medical Centre",
        "Church Street Practice",
        "Park View Health Centre",
        "Station Road Surgery",
    ];
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

    // Two GPs per practice; network-employed care coordinators, a clinical
    // pharmacist and a first contact physiotherapist.
    let mut staff = Vec::new();
    for (i, (practice, practice_name)) in (0u128..).zip(practices.iter().zip(practice_names)) {
        for j in 0..2 {
            let gp = gp_names[usize::try_from(i * 2 + j)?];
            staff.push(Staff {
                id: StaffId::from_u128(0x100 + i * 2 + j),
                name: format!("{gp}, {practice_name}"),
                role: Role::Gp,
                workplace: Workplace::Practice(*practice),
            });
        }
    }
    for (k, (name, role)) in [
        ("Grace Adeyemi", Role::CareCoordinator),
        ("Liam O'Neill", Role::CareCoordinator),
        ("Mei Chen", Role::CareCoordinator),
        ("Daniel Novak", Role::ClinicalPharmacist),
        ("Ruth Ellis", Role::FirstContactPhysiotherapist),
    ]
    .into_iter()
    .enumerate()
    {
        staff.push(Staff {
            id: StaffId::from_u128(0x200 + k as u128),
            name: name.to_owned(),
            role,
            workplace: Workplace::Network(network),
        });
    }
    let with_role = |role: Role| staff.iter().filter(move |s| s.role == role);
    let gps_at = |practice: PracticeId| {
        staff
            .iter()
            .filter(move |s| s.role == Role::Gp && s.workplace == Workplace::Practice(practice))
            .map(|s| s.id)
            .collect::<Vec<_>>()
    };
    let coordinators: Vec<StaffId> = with_role(Role::CareCoordinator).map(|s| s.id).collect();
    let pharmacist = with_role(Role::ClinicalPharmacist)
        .next()
        .ok_or("no pharmacist")?
        .id;
    let physio = with_role(Role::FirstContactPhysiotherapist)
        .next()
        .ok_or("no physio")?
        .id;

    // The population.
    let patients = PopulationGenerator::england(2024).patients(0..POPULATION, &practices, on)?;
    let by_id: BTreeMap<_, &Patient> = patients.iter().map(|p| (p.id(), p)).collect();
    let profiles = patients
        .iter()
        .map(|p| p.risk_profile(on))
        .collect::<Result<Vec<_>, _>>()?;

    // Stratification.
    let summary = Stratifier::default().summarise(&profiles);
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

    // Everyone 75 and over has a named accountable GP: one of their practice's GPs.
    let mut named_gp_list: BTreeMap<StaffId, u32> = BTreeMap::new();
    let mut next_gp: BTreeMap<PracticeId, usize> = BTreeMap::new();
    let mut named_gp_of = |patient: &Patient| -> Option<StaffId> {
        let practice = patient.registered_practice_on(on)?;
        let gps = gps_at(practice);
        let turn = next_gp.entry(practice).or_default();
        let gp = *gps.get(*turn % gps.len().max(1))?;
        *turn += 1;
        *named_gp_list.entry(gp).or_default() += 1;
        Some(gp)
    };
    let mut named_gp = BTreeMap::new();
    for patient in &patients {
        if patient.age_on(on).is_some_and(|age| age >= 75) {
            named_gp.insert(patient.id(), named_gp_of(patient).ok_or("no GP")?);
        }
    }
    println!(
        "Named accountable GPs assigned to the {} patients aged 75 and over",
        named_gp.len()
    );

    // The cohort: at least 2 % of adults, highest risk first.
    let cohort = CohortPipeline::default().select(&profiles)?;
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

    // A care plan for each member, with a named GP and a care coordinator.
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
        let patient = by_id.get(&member.patient).ok_or("unknown patient")?;
        let gp = match named_gp.get(&patient.id()) {
            Some(gp) => *gp,
            None => named_gp_of(patient).ok_or("no GP")?,
        };
        let coordinator = coordinators[i % coordinators.len()];
        *coordinator_caseload.entry(coordinator).or_default() += 1;
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
                owner: pharmacist,
                due: on.checked_add_months(Months::new(1)),
            });
        }
        if deficits.contains(FrailtyDeficit::Falls) {
            actions.push(CareAction {
                description: "Falls and strength assessment".into(),
                owner: physio,
                due: on.checked_add_months(Months::new(1)),
            });
        }
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
    for s in &staff {
        let named = named_gp_list.get(&s.id).copied().unwrap_or(0);
        let coordinated = coordinator_caseload.get(&s.id).copied().unwrap_or(0);
        if named + coordinated > 0 {
            println!(
                "  {} ({}): named GP for {named}, coordinates {coordinated}",
                s.name,
                s.role.label()
            );
        }
    }

    // Who may open a plan.
    let mut policy = AccessPolicy::new();
    let since = DateRange::starting(NaiveDate::from_ymd_opt(2019, 7, 1).ok_or("bad date")?);
    for s in &staff {
        policy.add_workplace(s.id, s.workplace, since);
    }
    policy.record_agreement(DataSharingAgreement {
        id: AgreementId::from_u128(0x7000),
        network,
        practices: practices.iter().copied().collect(),
        in_force: since,
        scope: AgreementScope::ReadAndChange,
    })?;
    let mut control = AccessControl::new(policy);
    let at = on.and_hms_opt(9, 0, 0).ok_or("bad time")?;
    let plan = plans.first().ok_or("empty cohort")?;
    let patient = by_id.get(&plan.patient()).ok_or("unknown patient")?;
    let other_practice_gp = practices
        .iter()
        .find(|p| Some(**p) != patient.registered_practice_on(on))
        .map(|p| gps_at(*p)[0])
        .ok_or("one practice only")?;
    let outsider = StaffId::from_u128(0xdead);
    println!("Access to the plan of the highest-risk patient:");
    for (who, staff_id) in [
        ("named accountable GP", plan.named_accountable_gp()),
        (
            "another network care coordinator (data sharing agreement)",
            coordinators[1],
        ),
        ("GP of another practice", other_practice_gp),
        ("someone outside the network", outsider),
    ] {
        let decision = control.request(staff_id, AccessKind::Change, patient, plan, at)?;
        // The decision names practices, networks and agreements by id: say them by name.
        let practice_name = |id: PracticeId| {
            practices
                .iter()
                .position(|p| *p == id)
                .map_or("another practice", |i| practice_names[i])
        };
        let reason = match decision.reason {
            AccessReason::DataSharingAgreement { practice, .. } => format!(
                "network staff under the network's data sharing agreement, which covers {}",
                practice_name(practice)
            ),
            AccessReason::RegisteredPractice { practice } => format!(
                "staff of the patient's registered practice, {}",
                practice_name(practice)
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

fn main() {
    if let Err(error) = run() {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}
