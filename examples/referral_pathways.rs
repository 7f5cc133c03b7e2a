//! Referral pathways for one network: load its catalogue, route a day's requests
//! (MSK direct access, a red flag, social prescribing, pharmacist medication review,
//! a suspected-cancer referral, one that fits nothing), walk them through their
//! lifecycles, and print the waiting list.
//!
//! Run with `cargo run --release --example referral_pathways [catalogue.json]`; with no
//! argument it loads the illustrative Riverside PCN catalogue shipped in
//! `crates/pcn-referral/data/`.

use std::collections::BTreeMap;
use std::error::Error;

use chrono::{NaiveDate, NaiveDateTime};
use pcn::core::{PatientId, ReferralId, Role, ServiceId, SnomedCode, StaffId};
use pcn::referral::{
    Actor, CommunityReferral, CompletionOutcome, DischargeOutcome, EntryRoute, EventRecord,
    LinkWorkerCaseload, OutcomeMeasure, PathwayCatalogue, PatientAge, PatientFacts, PersonalGoal,
    Priority, RedFlag, Referral, ReferralDetails, ReferralError, ReferralEvent, ReferralRequest,
    Routed, RttPathway, Slot, SocialPrescribingEpisode, SupportArea, WaitingListEntry,
    WaitingListReport, WhatMattersConversation,
};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

const USAGE: &str = "usage: referral_pathways [CATALOGUE.json (default crates/pcn-referral/data/riverside-pcn-catalogue.json)]: a pathway catalogue, referrals through their lifecycles, the waiting list";

const LOW_BACK_PAIN: SnomedCode = SnomedCode::constant(279_039_007);
const KNEE_PAIN: SnomedCode = SnomedCode::constant(30_989_003);
const MEDICATION_REVIEW: SnomedCode = SnomedCode::constant(182_836_005);
const ADVERSE_DRUG_REACTION: SnomedCode = SnomedCode::constant(62_014_003);
const SOCIAL_ISOLATION: SnomedCode = SnomedCode::constant(422_650_009);
const RECTAL_BLEEDING: SnomedCode = SnomedCode::constant(12_063_002);
const DIABETES: SnomedCode = SnomedCode::constant(73_211_009);

/// A time in 2024.
fn at(month: u32, day: u32, hour: u32) -> Result<NaiveDateTime> {
    NaiveDate::from_ymd_opt(2024, month, day)
        .and_then(|d| d.and_hms_opt(hour, 0, 0))
        .ok_or_else(|| format!("no such time 2024-{month}-{day} {hour}:00").into())
}

/// A date in 2024.
fn day(month: u32, day: u32) -> Result<NaiveDate> {
    NaiveDate::from_ymd_opt(2024, month, day)
        .ok_or_else(|| format!("no such date 2024-{month}-{day}").into())
}

fn staff(n: u128, role: Role) -> Actor {
    Actor::Staff {
        id: StaffId::from_u128(n),
        role,
    }
}

/// Who makes, takes and sees the referrals: the network's staff and services.
struct Staff {
    gp: Actor,
    physio: Actor,
    nurse: Actor,
    pharmacist: Actor,
    link_worker_id: StaffId,
    link_worker: Actor,
    msk_service: Actor,
    hospital: Actor,
}

impl Staff {
    /// A GP, a physiotherapist, a practice nurse, a pharmacist, a link worker, the
    /// MSK interface service and a hospital consultant.
    fn of_the_network() -> Self {
        let link_worker_id = StaffId::from_u128(5);
        Self {
            gp: staff(1, Role::Gp),
            physio: staff(2, Role::FirstContactPhysiotherapist),
            nurse: staff(3, Role::PracticeNurse),
            pharmacist: staff(4, Role::ClinicalPharmacist),
            link_worker_id,
            link_worker: Actor::Staff {
                id: link_worker_id,
                role: Role::SocialPrescribingLinkWorker,
            },
            msk_service: Actor::Service {
                id: ServiceId::from_u128(6),
            },
            hospital: staff(7, Role::HospitalConsultant),
        }
    }
}

/// The network's catalogue and the referrals made so far.
struct Network {
    catalogue: PathwayCatalogue,
    referrals: Vec<Referral>,
    /// Who each referral is for, in words, by referral.
    people: BTreeMap<ReferralId, String>,
    next_id: u128,
}

impl Network {
    /// A request for a patient of the network of this age, with no long-term
    /// conditions and no red flags until the caller adds them.
    fn request(
        &self,
        age: u8,
        reason: SnomedCode,
        route: EntryRoute,
        date: NaiveDateTime,
    ) -> ReferralRequest {
        ReferralRequest {
            patient: PatientFacts {
                age: PatientAge::Years(age),
                registered_practice: None,
                registered_network: Some(self.catalogue.network()),
                conditions: vec![],
            },
            reason,
            route,
            date: date.date(),
            red_flags: vec![],
        }
    }

    /// Routes a request and drafts the referral; prints where it went.
    fn refer(
        &mut self,
        who: &str,
        request: &ReferralRequest,
        by: Actor,
        when: NaiveDateTime,
    ) -> Result<usize> {
        let routed: Routed = self.catalogue.route(request)?;
        let pathway = self
            .catalogue
            .pathway(routed.pathway())
            .ok_or("routed to a pathway the catalogue does not hold")?;
        // A service is named by the pathway that leads to it; a team role by its role.
        let destination = match routed.destination().service() {
            Some(_) => pathway.name.clone(),
            None => routed.destination().to_string(),
        };
        println!(
            "\n{who}: {} for {} -> `{}` ({destination}), {} priority, target {} days to {}",
            request.route,
            request.reason,
            pathway.code,
            routed.priority(),
            routed.target().days,
            routed.target().measure,
        );
        if let Some(flag) = routed.red_flag() {
            println!("  red flag {} overrode the route", flag.flag);
        }
        self.next_id += 1;
        let id = ReferralId::from_u128(self.next_id);
        self.people.insert(id, who.to_owned());
        let details = ReferralDetails::from_routed(
            id,
            PatientId::from_u128(self.next_id),
            request.route,
            &routed,
        );
        self.referrals.push(Referral::draft(details, by, when));
        Ok(self.referrals.len() - 1)
    }

    /// Applies events to a referral, printing each move with its FHIR and e-RS status.
    fn walk(
        &mut self,
        index: usize,
        events: Vec<(ReferralEvent, Actor, NaiveDateTime)>,
    ) -> Result<()> {
        let referral = self.referrals.get_mut(index).ok_or("no such referral")?;
        for (event, actor, when) in events {
            let from = referral.state().kind();
            let state = *referral.apply(EventRecord::new(event, actor, when))?;
            println!(
                "  {when}  {from:<14} --{:<18}--> {:<14} Task.status {:<12} e-RS {}",
                event.kind(),
                state.kind(),
                state.task_status(),
                state
                    .ers_state()
                    .map_or_else(|| "-".to_owned(), |s| s.to_string()),
            );
        }
        Ok(())
    }
}

/// The catalogue at `path`, checked for overlapping pathways as it loads; prints
/// its pathways with their priorities and target waits.
fn load_catalogue(path: &str) -> Result<PathwayCatalogue> {
    let catalogue = PathwayCatalogue::load(path)?;
    println!(
        "{}: {} pathways, checked for overlaps at load",
        catalogue.definition().name,
        catalogue.len()
    );
    for (_, pathway) in catalogue.pathways() {
        println!(
            "  {:<30} {:<14} {}",
            pathway.code.as_str(),
            pathway.priority,
            pathway.target_wait
        );
    }
    Ok(catalogue)
}

/// 1. MSK direct access: a self-referral for low back pain, seen in 9 days.
fn msk_self_referral(network: &mut Network, staff: &Staff) -> Result<()> {
    let request = network.request(52, LOW_BACK_PAIN, EntryRoute::SelfReferral, at(5, 1, 9)?);
    let msk = network.refer(
        "Self-referral, age 52",
        &request,
        Actor::Patient,
        at(5, 1, 9)?,
    )?;
    network.walk(
        msk,
        vec![
            (ReferralEvent::Submit, Actor::Patient, at(5, 1, 9)?),
            (
                ReferralEvent::Book {
                    slot: Slot::new(at(5, 10, 14)?, 30, None)?,
                },
                staff.physio,
                at(5, 2, 10)?,
            ),
            (ReferralEvent::Attend, staff.physio, at(5, 10, 14)?),
            (
                ReferralEvent::Complete {
                    outcome: CompletionOutcome::CareCompleted,
                },
                staff.physio,
                at(5, 10, 15)?,
            ),
        ],
    )
}

/// 2. The same route with a red flag: suspected cauda equina goes to urgent GP review.
fn red_flag_self_referral(network: &mut Network, staff: &Staff) -> Result<()> {
    let mut request = network.request(38, LOW_BACK_PAIN, EntryRoute::SelfReferral, at(5, 3, 8)?);
    request.red_flags.push(RedFlag::SuspectedCaudaEquina);
    let urgent = network.refer(
        "Self-referral with a red flag",
        &request,
        Actor::Patient,
        at(5, 3, 8)?,
    )?;
    let gp = staff.gp;
    network.walk(
        urgent,
        vec![
            (ReferralEvent::Submit, Actor::Patient, at(5, 3, 8)?),
            (
                ReferralEvent::Book {
                    slot: Slot::new(at(5, 3, 11)?, 15, None)?,
                },
                gp,
                at(5, 3, 9)?,
            ),
            (ReferralEvent::Attend, gp, at(5, 3, 11)?),
            (
                ReferralEvent::Discharge {
                    outcome: DischargeOutcome::ReturnedToPrimaryCare,
                },
                gp,
                at(5, 3, 12)?,
            ),
        ],
    )
}

/// 3. A GP referral for knee pain to the MSK interface service: an 18-week clock.
///    The first appointment is missed (clearly communicated): the clock is
///    nullified (Rule 5e) and restarts on rebooking (Rule 3e).
fn knee_referral_with_a_missed_appointment(network: &mut Network, staff: &Staff) -> Result<()> {
    let (gp, msk_service) = (staff.gp, staff.msk_service);
    let request = network.request(67, KNEE_PAIN, EntryRoute::GpReferral, at(3, 4, 10)?);
    let knee = network.refer("GP referral, age 67", &request, gp, at(3, 4, 10)?)?;
    network.walk(
        knee,
        vec![
            (ReferralEvent::Submit, gp, at(3, 4, 10)?),
            (ReferralEvent::Accept, msk_service, at(3, 6, 9)?),
            (
                ReferralEvent::Book {
                    slot: Slot::new(at(4, 2, 9)?, 20, None)?,
                },
                msk_service,
                at(3, 6, 10)?,
            ),
            (
                ReferralEvent::DidNotAttend {
                    clearly_communicated: true,
                },
                msk_service,
                at(4, 2, 10)?,
            ),
            (
                ReferralEvent::Book {
                    slot: Slot::new(at(6, 20, 9)?, 20, None)?,
                },
                msk_service,
                at(4, 4, 9)?,
            ),
        ],
    )?;
    let clock = RttPathway::of_referral(&network.referrals[knee])?;
    for period in clock.periods() {
        println!(
            "  RTT clock from {} ({}) ended {:?}",
            period.start(),
            period.start_rule(),
            period.end()
        );
    }
    Ok(())
}

/// 4. A GP referral from January still waiting for its interface-service treatment.
fn back_referral_still_waiting(network: &mut Network, staff: &Staff) -> Result<()> {
    let (gp, msk_service) = (staff.gp, staff.msk_service);
    let request = network.request(59, LOW_BACK_PAIN, EntryRoute::GpReferral, at(1, 15, 10)?);
    let back = network.refer("GP referral, age 59", &request, gp, at(1, 15, 10)?)?;
    network.walk(
        back,
        vec![
            (ReferralEvent::Submit, gp, at(1, 15, 10)?),
            (ReferralEvent::Accept, msk_service, at(1, 17, 9)?),
            (
                ReferralEvent::Book {
                    slot: Slot::new(at(2, 20, 9)?, 20, None)?,
                },
                msk_service,
                at(1, 17, 10)?,
            ),
            (ReferralEvent::Attend, staff.hospital, at(2, 20, 9)?),
        ],
    )
}

/// 5. Pharmacist medication review: a nurse refers a patient with diabetes.
fn medication_review(network: &mut Network, staff: &Staff) -> Result<()> {
    let (nurse, pharmacist) = (staff.nurse, staff.pharmacist);
    let mut request = network.request(
        71,
        MEDICATION_REVIEW,
        EntryRoute::TeamReferral {
            role: Role::PracticeNurse,
        },
        at(5, 20, 11)?,
    );
    request.patient.conditions.push(DIABETES);
    let review = network.refer(
        "Practice nurse referral, age 71",
        &request,
        nurse,
        at(5, 20, 11)?,
    )?;
    network.walk(
        review,
        vec![
            (ReferralEvent::Submit, nurse, at(5, 20, 11)?),
            (
                ReferralEvent::Triage {
                    priority: Priority::Routine,
                },
                pharmacist,
                at(5, 21, 9)?,
            ),
            (ReferralEvent::Accept, pharmacist, at(5, 21, 9)?),
        ],
    )
}

/// 6. The pharmacist then refers a suspected adverse drug reaction to a GP.
fn pharmacist_refers_to_the_gp(network: &mut Network, staff: &Staff) -> Result<()> {
    let pharmacist = staff.pharmacist;
    let mut request = network.request(
        71,
        ADVERSE_DRUG_REACTION,
        EntryRoute::TeamReferral {
            role: Role::ClinicalPharmacist,
        },
        at(5, 28, 10)?,
    );
    request.patient.conditions.push(DIABETES);
    let to_gp = network.refer("Pharmacist referral", &request, pharmacist, at(5, 28, 10)?)?;
    network.walk(
        to_gp,
        vec![(ReferralEvent::Submit, pharmacist, at(5, 28, 10)?)],
    )
}

/// 7. Urgent suspected cancer: measured by the 28-day Faster Diagnosis Standard.
fn suspected_cancer(network: &mut Network, staff: &Staff) -> Result<()> {
    let (gp, hospital) = (staff.gp, staff.hospital);
    let request = network.request(64, RECTAL_BLEEDING, EntryRoute::GpReferral, at(5, 22, 16)?);
    let usc = network.refer(
        "GP referral, suspected cancer",
        &request,
        gp,
        at(5, 22, 16)?,
    )?;
    network.walk(
        usc,
        vec![
            (ReferralEvent::Submit, gp, at(5, 22, 16)?),
            (
                ReferralEvent::Book {
                    slot: Slot::new(at(5, 29, 9)?, 30, None)?,
                },
                hospital,
                at(5, 23, 9)?,
            ),
            (ReferralEvent::Attend, hospital, at(5, 29, 9)?),
        ],
    )
}

/// 8. Social prescribing: referral, "what matters to you", a walking group, and
///    wellbeing scored before and after.
fn social_prescribing(network: &mut Network, staff: &Staff) -> Result<()> {
    let social = refer_to_the_link_worker(network, staff)?;
    let activity = walking_group(network)?;
    let caseload = support_with_the_link_worker(&network.referrals[social], staff, activity)?;
    network.walk(
        social,
        vec![(
            ReferralEvent::Complete {
                outcome: CompletionOutcome::GoalsAchieved,
            },
            staff.link_worker,
            at(5, 13, 15)?,
        )],
    )?;
    let outcomes = caseload.outcomes(&OutcomeMeasure::wemwbs());
    println!(
        "  link worker caseload: {} episode(s), WEMWBS measured {}, improved {}, mean change {} points",
        caseload.episodes().len(),
        outcomes.measured,
        outcomes.improved,
        outcomes
            .mean_improvement
            .map_or_else(|| "n/a".to_owned(), |r| r.to_string())
    );
    Ok(())
}

/// A GP refers a lonely 80-year-old to the link worker, who sees them; returns the
/// referral's place in the network's list.
fn refer_to_the_link_worker(network: &mut Network, staff: &Staff) -> Result<usize> {
    let (gp, link_worker) = (staff.gp, staff.link_worker);
    let request = network.request(80, SOCIAL_ISOLATION, EntryRoute::GpReferral, at(2, 5, 10)?);
    let social = network.refer("GP referral, age 80", &request, gp, at(2, 5, 10)?)?;
    network.walk(
        social,
        vec![
            (ReferralEvent::Submit, gp, at(2, 5, 10)?),
            (ReferralEvent::Accept, link_worker, at(2, 6, 9)?),
            (
                ReferralEvent::Book {
                    slot: Slot::new(at(2, 12, 10)?, 60, Some(staff.link_worker_id))?,
                },
                link_worker,
                at(2, 6, 9)?,
            ),
            (ReferralEvent::Attend, link_worker, at(2, 12, 10)?),
        ],
    )?;
    Ok(social)
}

/// The link worker's onward referral, routed like any other: the walking group.
fn walking_group(network: &Network) -> Result<ServiceId> {
    let onward = network.request(
        80,
        SOCIAL_ISOLATION,
        EntryRoute::SocialPrescribing,
        at(2, 12, 12)?,
    );
    let walking = network.catalogue.route(&onward)?;
    let activity = walking
        .destination()
        .service()
        .ok_or("the walking group has a service record")?;
    let walking_group = network
        .catalogue
        .pathway(walking.pathway())
        .map_or("a voluntary-sector activity", |p| p.name.as_str());
    println!("  onward referral to {walking_group}");
    Ok(activity)
}

/// The link worker's episode of support: wellbeing scored at the start, what
/// matters, the walking group, three contacts, wellbeing scored again, closed.
fn support_with_the_link_worker(
    referral: &Referral,
    staff: &Staff,
    activity: ServiceId,
) -> Result<LinkWorkerCaseload> {
    let mut caseload = LinkWorkerCaseload::new(staff.link_worker_id, 250)?;
    let mut episode = SocialPrescribingEpisode::open(
        referral.id(),
        referral.details().patient,
        staff.link_worker_id,
        day(2, 6)?,
        OutcomeMeasure::wemwbs(),
    );
    episode.record_baseline(day(2, 12)?, 37)?;
    episode.hold_conversation(WhatMattersConversation::new(
        day(2, 12)?,
        vec![
            "seeing people again since my wife died".into(),
            "my garden".into(),
        ],
        vec![PersonalGoal {
            description: "go out walking with others once a week".into(),
            area: SupportArea::PhysicalActivity,
        }],
    )?)?;
    episode.refer_on(CommunityReferral {
        activity,
        area: SupportArea::PhysicalActivity,
        on: day(2, 12)?,
    })?;
    for (m, d) in [(3, 4), (3, 25), (4, 22)] {
        episode.record_contact(day(m, d)?)?;
    }
    episode.record_follow_up(day(5, 13)?, 46)?;
    episode.close(day(5, 13)?)?;
    caseload.take_on(episode)?;
    Ok(caseload)
}

/// 9. A request that fits no pathway: the reasons, criterion by criterion.
fn unroutable_request(network: &Network) -> Result<()> {
    let request = network.request(45, MEDICATION_REVIEW, EntryRoute::GpReferral, at(5, 30, 9)?);
    match network.catalogue.route(&request) {
        Err(ReferralError::NoPathway(no_route)) => {
            println!("\nUnroutable: {no_route}");
            Ok(())
        }
        Ok(routed) => {
            let pathway = network
                .catalogue
                .pathway(routed.pathway())
                .map_or("a pathway", |p| p.code.as_str());
            Err(format!(
                "a GP's request for a medication review at 45 was routed to {pathway}, but no pathway of the catalogue should take it"
            )
            .into())
        }
        Err(other) => Err(other.into()),
    }
}

/// The waiting list on a census day, by the people waiting and by pathway.
fn print_waiting_list(network: &Network, census: NaiveDate) -> Result<()> {
    let mut entries = Vec::new();
    for referral in &network.referrals {
        if let Some(entry) = WaitingListEntry::of_referral(referral, census)? {
            entries.push(entry);
        }
    }
    let report = WaitingListReport::new(census, &entries, 5);
    // The report names referrals by id: say whose they are.
    let whose = |id| {
        network
            .people
            .get(&id)
            .map_or_else(|| "a referral".to_owned(), Clone::clone)
    };
    println!("\n{}", report.named(whose));
    for summary in &report.by_pathway {
        let code = network
            .catalogue
            .pathway(summary.pathway)
            .map_or("?", |p| p.code.as_str());
        println!(
            "  {code:<30} {} waiting, {} within target, longest {} days",
            summary.waiting, summary.within_target, summary.longest_days
        );
    }
    Ok(())
}

fn run(catalogue: &str) -> Result<()> {
    let mut network = Network {
        catalogue: load_catalogue(catalogue)?,
        referrals: Vec::new(),
        people: BTreeMap::new(),
        next_id: 0,
    };
    let staff = Staff::of_the_network();
    msk_self_referral(&mut network, &staff)?;
    red_flag_self_referral(&mut network, &staff)?;
    knee_referral_with_a_missed_appointment(&mut network, &staff)?;
    back_referral_still_waiting(&mut network, &staff)?;
    medication_review(&mut network, &staff)?;
    pharmacist_refers_to_the_gp(&mut network, &staff)?;
    suspected_cancer(&mut network, &staff)?;
    social_prescribing(&mut network, &staff)?;
    unroutable_request(&network)?;
    print_waiting_list(&network, day(6, 3)?)
}

fn main() {
    if std::env::args().skip(1).any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return;
    }
    if let Some(flag) = std::env::args().skip(1).find(|a| a.starts_with("--")) {
        eprintln!("unknown option {flag:?}\n{USAGE}");
        std::process::exit(2);
    }
    let catalogue = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/crates/pcn-referral/data/riverside-pcn-catalogue.json"
        )
        .to_owned()
    });
    if let Err(error) = run(&catalogue) {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}
