//! Scenarios across the team crate, through the `pcn` facade: a network's workforce
//! from end to end (assign, a member leaves, the MDT reviews, capacity), and the whole
//! state saved and read back as JSON.

use std::collections::HashSet;

use chrono::Days;
use pcn::core::{MeetingId, PatientId, Role, StaffId, TeamId};
use pcn::team::synthetic::{NetworkSpec, SyntheticNetwork};
use pcn::team::{
    Assignment, CaseloadPatient, CaseloadPlanner, Caseloads, MdtMeeting, ReviewCandidate,
    SessionAssumptions, StaffMember, Workforce, case_review_list,
};

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

fn network() -> Result<SyntheticNetwork> {
    let spec = NetworkSpec {
        complex_patients: 400,
        other_patients: 200,
        staff: 40,
        practices: 4,
        localities: 3,
        teams: 2,
    };
    Ok(SyntheticNetwork::generate(11, 3, &spec)?)
}

#[test]
fn a_network_year_of_team_work() -> Result {
    let mut net = network()?;
    let planner = CaseloadPlanner::new(&net.workforce, net.network, &net.policy, net.on);
    let caseloads = planner.assign(&net.patients);
    assert_eq!(
        caseloads.assignments().len() + caseloads.unassigned().len(),
        net.patients.len()
    );
    assert!(caseloads.assignments().len() > net.patients.len() / 2);

    // The busiest key worker leaves every team they are in.
    let leaver = caseloads
        .assignments()
        .iter()
        .map(|a| a.key_worker)
        .max_by_key(|s| {
            caseloads
                .assignments()
                .iter()
                .filter(|a| a.key_worker == *s)
                .count()
        })
        .ok_or("someone holds a caseload")?;
    let their_patients: HashSet<PatientId> = caseloads
        .assignments()
        .iter()
        .filter(|a| a.involves(leaver))
        .map(|a| a.patient)
        .collect();
    let teams: Vec<TeamId> = net
        .workforce
        .teams()
        .filter(|t| t.memberships_of(leaver).next().is_some())
        .map(|t| t.id())
        .collect();
    let leaving_day = net.on;
    for team in teams {
        net.workforce.leave(team, leaver, leaving_day)?;
    }
    let after = CaseloadPlanner::new(&net.workforce, net.network, &net.policy, net.on)
        .reassign_leaver(&caseloads, leaver, &net.patients);
    let accounted: HashSet<PatientId> = after
        .reassigned
        .iter()
        .copied()
        .chain(after.not_reassigned.iter().map(|u| u.patient))
        .collect();
    assert_eq!(
        accounted, their_patients,
        "every one of their patients is accounted for"
    );
    assert!(
        !after
            .caseloads
            .assignments()
            .iter()
            .any(|a| a.involves(leaver))
    );

    // The MDT of the first team reviews its complex patients with the most needs.
    let team = net.workforce.teams().next().ok_or("a team")?.id();
    let needs_of = |p: PatientId| {
        net.patients
            .iter()
            .find(|c| c.patient == p)
            .map_or(0, |c| c.needs.len())
    };
    let review = case_review_list(after.caseloads.assignments(), 5, |a: &&Assignment| {
        (a.team == team && a.complex_care.is_some()).then(|| ReviewCandidate {
            patient: a.patient,
            priority: needs_of(a.patient),
            reason: format!("{} needs", needs_of(a.patient)),
        })
    });
    assert_eq!(review.len(), 5);
    let attendees: Vec<StaffId> = net
        .workforce
        .members_on(team, net.on)
        .map(|(s, _)| s.id())
        .take(4)
        .collect();
    let mut meeting = MdtMeeting::new(
        &net.workforce,
        MeetingId::from_u128(1),
        team,
        net.on,
        attendees.clone(),
        review.clone(),
    )?;
    let first = review[0].patient;
    let owner = after
        .caseloads
        .assignment_of(first)
        .ok_or("assigned")?
        .key_worker;
    meeting.record_decision(Some(first), "Offer a personalised care and support plan")?;
    let number = meeting.add_action(
        &net.workforce,
        Some(first),
        "Visit and agree the plan",
        owner,
        net.on + Days::new(14),
    )?;
    assert!(meeting.actions()[0].is_overdue_on(net.on + Days::new(15)));
    meeting.complete_action(number, net.on + Days::new(10))?;
    assert_eq!(meeting.open_actions().count(), 0);

    // Capacity of the network's teams: GPs are not team members here, so only roles
    // with a published pattern and a share count.
    let capacity = pcn::team::Capacity::of_network(
        &net.workforce,
        net.network,
        net.on,
        &SessionAssumptions::published(),
    );
    let team_wte: u32 = capacity.roles().iter().map(|r| r.wte.hundredths()).sum();
    let shares: u32 = net
        .workforce
        .teams()
        .flat_map(|t| t.members_on(net.on))
        .map(|m| m.share.hundredths())
        .sum();
    assert_eq!(team_wte, shares);
    if let Some(physios) = capacity.role(Role::FirstContactPhysiotherapist) {
        assert!(physios.appointments_per_week.is_some());
    }
    Ok(())
}

#[test]
fn the_whole_state_round_trips_through_json() -> Result {
    let net = network()?;
    let planner = CaseloadPlanner::new(&net.workforce, net.network, &net.policy, net.on);
    let caseloads = planner.assign(&net.patients);

    let workforce_json = serde_json::to_string(&net.workforce)?;
    let workforce: Workforce = serde_json::from_str(&workforce_json)?;
    assert_eq!(workforce, net.workforce);

    let patients_json = serde_json::to_string(&net.patients)?;
    let patients: Vec<CaseloadPatient> = serde_json::from_str(&patients_json)?;
    assert_eq!(patients, net.patients);

    let caseloads_json = serde_json::to_string(&caseloads)?;
    let read: Caseloads = serde_json::from_str(&caseloads_json)?;
    assert_eq!(read, caseloads);

    // Assigning again from what was read back gives the same answer.
    let again =
        CaseloadPlanner::new(&workforce, net.network, &net.policy, net.on).assign(&patients);
    assert_eq!(again, caseloads);

    // A staff member edited into an invalid state is refused on the way in.
    let member = workforce
        .staff_members()
        .find(|s| s.role() == Role::Gp)
        .ok_or("a GP")?;
    let json = serde_json::to_string(member)?;
    let tampered = json.replace(r#""register":"gmc""#, r#""register":"nmc""#);
    assert!(serde_json::from_str::<StaffMember>(&tampered).is_err());
    Ok(())
}

/// A network's caseloads placed around real practices, read from the shipped
/// extract of the geocoded London practice list: the least travel and the most
/// even load are proven over every coordination, each placed patient's travel is
/// the road time from their key worker's base, and the stage adds them up.
#[test]
fn caseloads_around_real_practices_are_placed_for_proven_least_travel() -> Result {
    use pcn::ods::{Input, ReadOptions, read_locations};
    use pcn::team::{Objective, PlacementOptions};

    let net = network()?;
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/london-practices-2022-extract.csv");
    let parsed = read_locations(Input::open(&file)?, &ReadOptions::collecting())?;
    let centres: Vec<_> = parsed.records.iter().take(3).map(|r| r.location).collect();
    assert_eq!(centres.len(), 3);
    let places = net.places(11, &centres, 1_500);
    let planner = CaseloadPlanner::new(&net.workforce, net.network, &net.policy, net.on);
    let options = PlacementOptions::default();
    let placement = planner.place(&net.patients, &places, &options)?;

    let stage = |objective| {
        placement
            .stages
            .iter()
            .find(|s| s.objective == objective)
            .ok_or("a stage is missing")
    };
    let travel = stage(Objective::LeastTravel)?;
    let even = stage(Objective::MostEvenLoad)?;
    assert!(travel.proven_optimal, "{travel:?}");
    assert!(even.proven_optimal, "{even:?}");
    assert_eq!(travel.gap, Some(0.0));

    let mut seconds = 0u64;
    for t in &placement.travel {
        let base = places.base(t.team, t.key_worker).ok_or("no base")?;
        let home = places.home(t.patient).ok_or("no home")?;
        assert_eq!(t.seconds, Some(options.travel.seconds(base, home)));
        seconds += u64::from(t.seconds.unwrap_or(0));
    }
    #[allow(clippy::cast_precision_loss)]
    let minutes = seconds as f64 / 60.0;
    assert!((travel.value - minutes).abs() < 1e-6);
    assert_eq!(
        placement.travel.len(),
        placement.caseloads.assignments().len()
    );
    assert!(placement.bound.is_proven_most());
    Ok(())
}
