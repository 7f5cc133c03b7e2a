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

fn run() -> Result<(), Box<dyn std::error::Error>> {
    if std::env::args().skip(1).any(|a| a == "--help" || a == "-h") {
        println!(
            "usage: build_team (no options): a Primary Care Home team from the roles of the domain reference, and its capacity by role"
        );
        return Ok(());
    }
    if let Some(other) = std::env::args().nth(1) {
        eprintln!(
            "unknown option {other:?}\nusage: build_team (no options): a Primary Care Home team from the roles of the domain reference, and its capacity by role"
        );
        std::process::exit(2);
    }
    let day = NaiveDate::from_ymd_opt(2024, 10, 1).ok_or("bad date")?;
    let site = NetworkId::from_u128(0x0100);
    let (north, south) = (PracticeId::from_u128(0x0201), PracticeId::from_u128(0x0202));
    let community_trust = Party::Trust(OrganisationId::from_u128(0x0301));
    let mental_health_trust = Party::Trust(OrganisationId::from_u128(0x0302));
    let acute_trust = Party::Trust(OrganisationId::from_u128(0x0303));
    let council = Party::LocalAuthority(OrganisationId::from_u128(0x0304));
    let charity = Party::VoluntaryOrganisation(OrganisationId::from_u128(0x0305));
    let network = Party::Network(site);

    use Skill::*;
    let members = [
        Member {
            name: "Dr Amara Osei",
            role: Role::Gp,
            registration: Some("4512873"),
            employer: Party::Practice(north),
            contracted: "1.0",
            share: "0.2",
            skills: &[IndependentPrescribing, MedicationReview, EndOfLifeCare],
        },
        Member {
            name: "Dr Tom Reid",
            role: Role::Gp,
            registration: Some("6120934"),
            employer: Party::Practice(south),
            contracted: "0.8",
            share: "0.2",
            skills: &[IndependentPrescribing, FrailtyAssessment],
        },
        Member {
            name: "Priya Shah",
            role: Role::PracticeNurse,
            registration: Some("03I4417E"),
            employer: Party::Practice(north),
            contracted: "0.8",
            share: "0.4",
            skills: &[WoundCare, DiabetesMonitoring],
        },
        Member {
            name: "Grace Lee",
            role: Role::SpecialistNurse,
            registration: Some("09F2231E"),
            employer: community_trust,
            contracted: "1.0",
            share: "0.5",
            skills: &[DiabetesMonitoring, IndependentPrescribing, HomeVisits],
        },
        Member {
            name: "Dan Price",
            role: Role::Paramedic,
            registration: Some("PA34567"),
            employer: network,
            contracted: "1.0",
            share: "1.0",
            skills: &[HomeVisits, FrailtyAssessment],
        },
        Member {
            name: "Sofia Costa",
            role: Role::MentalHealthNurse,
            registration: Some("11C7788E"),
            employer: mental_health_trust,
            contracted: "1.0",
            share: "0.6",
            skills: &[MentalHealthAssessment, HomeVisits],
        },
        Member {
            name: "Helen Ward",
            role: Role::CommunityMatron,
            registration: Some("98B7654W"),
            employer: community_trust,
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
            employer: community_trust,
            contracted: "1.0",
            share: "1.0",
            skills: &[WoundCare, HomeVisits, EndOfLifeCare, IvInfusion],
        },
        Member {
            name: "Ben Hughes",
            role: Role::DistrictNurse,
            registration: Some("15D9012S"),
            employer: community_trust,
            contracted: "0.6",
            share: "0.6",
            skills: &[WoundCare, HomeVisits, DiabetesMonitoring],
        },
        Member {
            name: "Dr Ruth Adler",
            role: Role::HospitalConsultant,
            registration: Some("3345120"),
            employer: acute_trust,
            contracted: "1.0",
            share: "0.1",
            skills: &[FrailtyAssessment],
        },
        Member {
            name: "Kwame Mensah",
            role: Role::SocialWorker,
            registration: Some("SW48211"),
            employer: council,
            contracted: "1.0",
            share: "0.5",
            skills: &[SocialNeedsAssessment, HomeVisits, CareCoordination],
        },
        Member {
            name: "Lucy Evans",
            role: Role::SocialPrescribingLinkWorker,
            registration: None,
            employer: network,
            contracted: "1.0",
            share: "1.0",
            skills: &[SocialPrescribing, SocialNeedsAssessment],
        },
        Member {
            name: "Sam Patel",
            role: Role::ClinicalPharmacist,
            registration: Some("2087341"),
            employer: network,
            contracted: "1.0",
            share: "1.0",
            skills: &[MedicationReview, IndependentPrescribing],
        },
        Member {
            name: "Mo Rahman",
            role: Role::FirstContactPhysiotherapist,
            registration: Some("PH112233"),
            employer: network,
            contracted: "0.8",
            share: "0.8",
            skills: &[MskAssessment],
        },
        Member {
            name: "Ella Clarke",
            role: Role::PhysicianAssociate,
            registration: Some("A1004567"),
            employer: Party::Practice(south),
            contracted: "1.0",
            share: "0.5",
            skills: &[],
        },
        Member {
            name: "Joy Adeyemi",
            role: Role::HealthAndWellbeingCoach,
            registration: None,
            employer: charity,
            contracted: "0.6",
            share: "0.6",
            skills: &[HealthCoaching],
        },
        Member {
            name: "Peter Walsh",
            role: Role::Volunteer,
            registration: None,
            employer: charity,
            contracted: "0.2",
            share: "0.2",
            skills: &[SocialPrescribing],
        },
    ];

    let mut workforce = Workforce::new();
    let team = TeamId::from_u128(0x0400);
    workforce.add_team(Team::new(
        team,
        "Riverside Primary Care Home team",
        TeamHost::PrimaryCareHomeSite(site),
        TeamKind::Multidisciplinary,
    )?)?;
    for (n, m) in members.iter().enumerate() {
        let id = StaffId::from_u128(0x1000 + u128::try_from(n)?);
        workforce.add_staff(StaffMember::new(StaffRecord {
            id,
            name: m.name.into(),
            role: m.role,
            registration: m
                .registration
                .map(|text| RegistrationNumber::for_role(m.role, text))
                .transpose()?,
            employer: m.employer,
            contracted_wte: Timeline::starting(day, m.contracted.parse::<Wte>()?),
            skills: m.skills.iter().copied().collect::<SkillSet>(),
        })?)?;
        workforce.join(team, Membership::starting(id, m.share.parse()?, day))?;
    }

    // The district nurses also form a self-managing neighbourhood team (Buurtzorg
    // style); a share beyond someone's contract is refused, with the figures.
    let neighbourhood = TeamId::from_u128(0x0401);
    workforce.add_team(Team::new(
        neighbourhood,
        "Riverside neighbourhood nursing",
        TeamHost::PrimaryCareHomeSite(site),
        TeamKind::SelfManagingNeighbourhood {
            policy: NeighbourhoodTeamPolicy::default(),
        },
    )?)?;
    let ada = StaffId::from_u128(0x1007);
    if let Err(err) = workforce.join(
        neighbourhood,
        Membership::starting(ada, "0.3".parse()?, day),
    ) {
        // The error names people and teams by id: say them by name.
        let mut text = err.to_string();
        for (n, m) in (0u128..).zip(&members) {
            text = text.replace(
                &format!("staff member {}", StaffId::from_u128(0x1000 + n)),
                m.name,
            );
        }
        text = text.replace(
            &format!("team {neighbourhood}"),
            "the team Riverside neighbourhood nursing",
        );
        println!("Refused: {text}\n");
    }

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
    let assumptions = SessionAssumptions::published()
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
        );

    let capacity = Capacity::of_team(&workforce, team, day, &assumptions)?;
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

fn main() {
    if let Err(error) = run() {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}
