//! Builds a Primary Care Home team from the roles the domain reference lists and
//! prints its weekly appointment capacity by role.
//!
//! Primary Care Home teams "may involve GPs, practice nurses, specialist nurses,
//! paramedics, mental health nurses, community matrons, district nurses, hospital
//! consultants, social workers, social prescribers, voluntary staff and volunteers",
//! and networks recruit pharmacists, physiotherapists and physician associates
//! (`workforce.md`). GP and first contact physiotherapist session figures are the
//! published ones shipped with `pcn-team`; the other roles' figures below are this
//! example's own assumptions and are labelled so in the output.
//!
//! Run with `cargo run --release --example build_team`.

use chrono::NaiveDate;
use pcn::core::{
    NetworkId, OrganisationId, Party, PracticeId, Role, StaffId, TeamId, Timeline, Wte,
};
use pcn::team::{
    Basis, Capacity, Membership, NeighbourhoodTeamPolicy, RegistrationNumber, SessionAssumptions,
    SessionPattern, Skill, SkillSet, StaffMember, StaffRecord, Team, TeamHost, TeamKind, Workforce,
};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

const USAGE: &str = "usage: build_team (no options): a Primary Care Home team from the roles of the domain reference, and its capacity by role";

/// The Primary Care Home site: its network, its two practices, and the day the
/// team is counted on.
struct Site {
    network: NetworkId,
    north: PracticeId,
    south: PracticeId,
    day: NaiveDate,
}

/// The organisations that lend the team its staff, besides the two practices.
struct Employers {
    community_trust: Party,
    mental_health_trust: Party,
    acute_trust: Party,
    council: Party,
    charity: Party,
    network: Party,
}

/// One member of the example team.
struct Member {
    name: &'static str,
    role: Role,
    registration: Option<&'static str>,
    employer: Party,
    contracted: &'static str,
    share: &'static str,
    skills: &'static [Skill],
}

/// The staff id of the `n`th member of the roster.
fn staff_id(n: usize) -> Result<StaffId> {
    Ok(StaffId::from_u128(0x1000 + u128::try_from(n)?))
}

/// Who employs the team's staff: three trusts, the council, a charity and the network.
fn employers(site: &Site) -> Employers {
    Employers {
        community_trust: Party::Trust(OrganisationId::from_u128(0x0301)),
        mental_health_trust: Party::Trust(OrganisationId::from_u128(0x0302)),
        acute_trust: Party::Trust(OrganisationId::from_u128(0x0303)),
        council: Party::LocalAuthority(OrganisationId::from_u128(0x0304)),
        charity: Party::VoluntaryOrganisation(OrganisationId::from_u128(0x0305)),
        network: Party::Network(site.network),
    }
}

/// The team as the domain reference lists its roles: who, in what role, employed by
/// whom, on what contract, giving what share to the team, with what skills.
fn roster(site: &Site, employers: &Employers) -> [Member; 17] {
    use Skill::*;
    [
        Member {
            name: "Dr Amara Osei",
            role: Role::Gp,
            registration: Some("4512873"),
            employer: Party::Practice(site.north),
            contracted: "1.0",
            share: "0.2",
            skills: &[IndependentPrescribing, MedicationReview, EndOfLifeCare],
        },
        Member {
            name: "Dr Tom Reid",
            role: Role::Gp,
            registration: Some("6120934"),
            employer: Party::Practice(site.south),
            contracted: "0.8",
            share: "0.2",
            skills: &[IndependentPrescribing, FrailtyAssessment],
        },
        Member {
            name: "Priya Shah",
            role: Role::PracticeNurse,
            registration: Some("03I4417E"),
            employer: Party::Practice(site.north),
            contracted: "0.8",
            share: "0.4",
            skills: &[WoundCare, DiabetesMonitoring],
        },
        Member {
            name: "Grace Lee",
            role: Role::SpecialistNurse,
            registration: Some("09F2231E"),
            employer: employers.community_trust,
            contracted: "1.0",
            share: "0.5",
            skills: &[DiabetesMonitoring, IndependentPrescribing, HomeVisits],
        },
        Member {
            name: "Dan Price",
            role: Role::Paramedic,
            registration: Some("PA34567"),
            employer: employers.network,
            contracted: "1.0",
            share: "1.0",
            skills: &[HomeVisits, FrailtyAssessment],
        },
        Member {
            name: "Sofia Costa",
            role: Role::MentalHealthNurse,
            registration: Some("11C7788E"),
            employer: employers.mental_health_trust,
            contracted: "1.0",
            share: "0.6",
            skills: &[MentalHealthAssessment, HomeVisits],
        },
        Member {
            name: "Helen Ward",
            role: Role::CommunityMatron,
            registration: Some("98B7654W"),
            employer: employers.community_trust,
            contracted: "1.0",
            share: "1.0",
            skills: &[
                HomeVisits,
                FrailtyAssessment,
                CareCoordination,
                MedicationReview,
                EndOfLifeCare,
            ],
        },
        Member {
            name: "Ada Okafor",
            role: Role::DistrictNurse,
            registration: Some("12A3456E"),
            employer: employers.community_trust,
            contracted: "1.0",
            share: "1.0",
            skills: &[WoundCare, HomeVisits, EndOfLifeCare, IvInfusion],
        },
        Member {
            name: "Ben Hughes",
            role: Role::DistrictNurse,
            registration: Some("15D9012S"),
            employer: employers.community_trust,
            contracted: "0.6",
            share: "0.6",
            skills: &[WoundCare, HomeVisits, DiabetesMonitoring],
        },
        Member {
            name: "Dr Ruth Adler",
            role: Role::HospitalConsultant,
            registration: Some("3345120"),
            employer: employers.acute_trust,
            contracted: "1.0",
            share: "0.1",
            skills: &[FrailtyAssessment],
        },
        Member {
            name: "Kwame Mensah",
            role: Role::SocialWorker,
            registration: Some("SW48211"),
            employer: employers.council,
            contracted: "1.0",
            share: "0.5",
            skills: &[SocialNeedsAssessment, HomeVisits, CareCoordination],
        },
        Member {
            name: "Lucy Evans",
            role: Role::SocialPrescribingLinkWorker,
            registration: None,
            employer: employers.network,
            contracted: "1.0",
            share: "1.0",
            skills: &[SocialPrescribing, SocialNeedsAssessment],
        },
        Member {
            name: "Sam Patel",
            role: Role::ClinicalPharmacist,
            registration: Some("2087341"),
            employer: employers.network,
            contracted: "1.0",
            share: "1.0",
            skills: &[MedicationReview, IndependentPrescribing],
        },
        Member {
            name: "Mo Rahman",
            role: Role::FirstContactPhysiotherapist,
            registration: Some("PH112233"),
            employer: employers.network,
            contracted: "0.8",
            share: "0.8",
            skills: &[MskAssessment],
        },
        Member {
            name: "Ella Clarke",
            role: Role::PhysicianAssociate,
            registration: Some("A1004567"),
            employer: Party::Practice(site.south),
            contracted: "1.0",
            share: "0.5",
            skills: &[],
        },
        Member {
            name: "Joy Adeyemi",
            role: Role::HealthAndWellbeingCoach,
            registration: None,
            employer: employers.charity,
            contracted: "0.6",
            share: "0.6",
            skills: &[HealthCoaching],
        },
        Member {
            name: "Peter Walsh",
            role: Role::Volunteer,
            registration: None,
            employer: employers.charity,
            contracted: "0.2",
            share: "0.2",
            skills: &[SocialPrescribing],
        },
    ]
}

/// The Primary Care Home team and its staff, each joining with their share.
fn build_team(site: &Site, members: &[Member]) -> Result<(Workforce, TeamId)> {
    let mut workforce = Workforce::new();
    let team = TeamId::from_u128(0x0400);
    workforce.add_team(Team::new(
        team,
        "Riverside Primary Care Home team",
        TeamHost::PrimaryCareHomeSite(site.network),
        TeamKind::Multidisciplinary,
    )?)?;
    for (n, m) in members.iter().enumerate() {
        let id = staff_id(n)?;
        workforce.add_staff(StaffMember::new(StaffRecord {
            id,
            name: m.name.into(),
            role: m.role,
            registration: m
                .registration
                .map(|text| RegistrationNumber::for_role(m.role, text))
                .transpose()?,
            employer: m.employer,
            contracted_wte: Timeline::starting(site.day, m.contracted.parse::<Wte>()?),
            skills: m.skills.iter().copied().collect::<SkillSet>(),
        })?)?;
        workforce.join(team, Membership::starting(id, m.share.parse()?, site.day))?;
    }
    Ok((workforce, team))
}

/// The district nurses also form a self-managing neighbourhood team (Buurtzorg
/// style); a share beyond someone's contract is refused, with the figures.
fn form_neighbourhood_team(
    workforce: &mut Workforce,
    site: &Site,
    members: &[Member],
) -> Result<()> {
    let neighbourhood = TeamId::from_u128(0x0401);
    workforce.add_team(Team::new(
        neighbourhood,
        "Riverside neighbourhood nursing",
        TeamHost::PrimaryCareHomeSite(site.network),
        TeamKind::SelfManagingNeighbourhood {
            policy: NeighbourhoodTeamPolicy::default(),
        },
    )?)?;
    let ada = members
        .iter()
        .position(|m| m.name == "Ada Okafor")
        .ok_or("Ada Okafor is not on the roster")?;
    if let Err(err) = workforce.join(
        neighbourhood,
        Membership::starting(staff_id(ada)?, "0.3".parse()?, site.day),
    ) {
        let text = in_names(&err.to_string(), workforce, neighbourhood);
        println!("Refused: {text}\n");
    }
    Ok(())
}

/// An error as a reader would say it: people and a team by name, never by id.
fn in_names(text: &str, workforce: &Workforce, team: TeamId) -> String {
    let mut text = text.to_owned();
    for member in workforce.staff_members() {
        text = text.replace(&format!("staff member {}", member.id()), member.name());
    }
    match workforce.team(team) {
        Some(named) => text.replace(
            &format!("team {team}"),
            &format!("the team {}", named.name()),
        ),
        None => text,
    }
}

/// Appointments per session for each role: the published figures shipped with
/// `pcn-team` for GPs and first contact physiotherapists, this example's own
/// assumptions (labelled as such) for the others.
fn session_assumptions() -> Result<SessionAssumptions> {
    let assumed = |session, facing, appointment, why: &str| {
        SessionPattern::new(
            session,
            facing,
            appointment,
            Basis::Assumption {
                note: format!("example figure: {why}"),
            },
        )
    };
    Ok(SessionAssumptions::published()
        .with(
            Role::PracticeNurse,
            assumed(225, 180, 15, "15-minute clinics")?,
        )
        .with(
            Role::SpecialistNurse,
            assumed(225, 180, 30, "30-minute reviews")?,
        )
        .with(Role::Paramedic, assumed(225, 150, 30, "home visits")?)
        .with(
            Role::MentalHealthNurse,
            assumed(225, 180, 45, "assessments")?,
        )
        .with(Role::CommunityMatron, assumed(225, 135, 45, "home visits")?)
        .with(Role::DistrictNurse, assumed(225, 150, 30, "home visits")?)
        .with(Role::SocialWorker, assumed(225, 120, 60, "assessments")?)
        .with(
            Role::SocialPrescribingLinkWorker,
            assumed(225, 180, 60, "first conversations")?,
        )
        .with(
            Role::ClinicalPharmacist,
            assumed(225, 180, 30, "structured medication reviews")?,
        )
        .with(
            Role::PhysicianAssociate,
            assumed(250, 180, 15, "as the GP pattern")?,
        )
        .with(
            Role::HealthAndWellbeingCoach,
            assumed(225, 180, 45, "coaching sessions")?,
        ))
}

/// The team's appointments a week by role, each with the basis of its figure.
fn print_capacity(
    workforce: &Workforce,
    team: TeamId,
    day: NaiveDate,
    assumptions: &SessionAssumptions,
) -> Result<()> {
    let capacity = Capacity::of_team(workforce, team, day, assumptions)?;
    let name = workforce.team(team).map_or("team", Team::name);
    println!("{name}: appointment capacity per week on {day}\n");
    println!(
        "{:<32} {:>5} {:>6} {:>8}  basis",
        "role", "staff", "WTE", "per week"
    );
    for role in capacity.roles() {
        let per_week = role
            .appointments_per_week
            .map_or_else(|| "unknown".to_owned(), |n| n.to_string());
        let basis = match &role.basis {
            Some(basis) => format!("{}: {}", basis.kind(), basis.describe()),
            None => "no session pattern".to_owned(),
        };
        println!(
            "{:<32} {:>5} {:>6} {:>8}  {basis}",
            role.role.label(),
            role.headcount,
            role.wte.to_string(),
            per_week
        );
    }
    println!(
        "\n{} appointments a week from roles with a session pattern; no pattern for: {}",
        capacity.known_appointments_per_week(),
        capacity
            .roles_without_pattern()
            .map(Role::label)
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}

fn run() -> Result<()> {
    let site = Site {
        network: NetworkId::from_u128(0x0100),
        north: PracticeId::from_u128(0x0201),
        south: PracticeId::from_u128(0x0202),
        day: NaiveDate::from_ymd_opt(2024, 10, 1).ok_or("bad date")?,
    };
    let members = roster(&site, &employers(&site));
    let (mut workforce, team) = build_team(&site, &members)?;
    form_neighbourhood_team(&mut workforce, &site, &members)?;
    print_capacity(&workforce, team, site.day, &session_assumptions()?)
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
