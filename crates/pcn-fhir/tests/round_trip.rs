//! Model -> FHIR -> model is the identity, for whole networks with their partners,
//! memberships and patients; and errors in a bundle name their JSON path.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{Duration, NaiveDate};
use pcn_core::{
    DateRange, NetworkId, NhsNumber, OdsCode, OrganisationId, Party, PatientId, Role, SnomedCode,
    StaffId, Timeline, Wte,
};
use pcn_fhir::{FhirError, NetworkData, import_network, network_to_bundle, to_json};
use pcn_network::{
    ClinicalDirector, Network, NetworkAgreement, NetworkKind, NominatedPayee, Partner, PartnerRole,
    Practice, PracticeStatus, Registry,
};
use pcn_population::{CareAction, CarePlan, Consent, DeficitSet, Goal, NewCarePlan, Patient, Sex};
use pcn_team::{RegistrationNumber, Skill, SkillSet, StaffMember, StaffRecord};
use proptest::prelude::*;

fn day(offset: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2015, 1, 1).unwrap() + Duration::days(offset)
}

fn range(from: i64, length: Option<i64>) -> DateRange {
    DateRange::new(day(from), length.map(|l| day(from + l.max(1)))).unwrap()
}

const POSTCODES: [&str; 3] = ["LS1 4AB", "TS18 1AB", "SW1A 1AA"];
const CONDITIONS: [u64; 3] = [73_211_009, 38_341_003, 195_967_001];
const ROLES: [PartnerRole; 4] = [
    PartnerRole::CommunityServices,
    PartnerRole::MentalHealth,
    PartnerRole::VoluntarySector,
    PartnerRole::Police,
];

/// Sex, days after 1960, registrations, conditions, deficit bits, flags.
type PatientSpec = (
    u8,
    i64,
    Vec<(i64, Option<usize>)>,
    Vec<usize>,
    u64,
    [bool; 3],
);
/// Role, employer, contracted hours, skill bits.
type StaffSpec = (usize, u8, Vec<(i64, Option<u32>)>, u32);

#[derive(Debug, Clone)]
struct PracticeSpec {
    closed_after: Option<i64>,
    status: u8,
    postcode: Option<usize>,
    commissioners: Vec<(i64, Option<u8>)>,
    list_sizes: Vec<(i64, u32)>,
}

#[derive(Debug, Clone)]
struct NetworkSpec {
    pcn: bool,
    open_from: i64,
    directors: Vec<(i64, bool)>,
    payee: Option<bool>,
    agreement: Option<i64>,
    commissioner: bool,
    partners: Vec<(usize, bool, i64, Option<i64>)>,
}

fn practice_spec() -> impl Strategy<Value = PracticeSpec> {
    (
        prop::option::weighted(0.3, 400i64..3000),
        0u8..3,
        prop::option::of(0usize..3),
        prop::collection::vec((0i64..3000, prop::option::weighted(0.8, 0u8..3)), 0..3),
        prop::collection::vec((0i64..3000, 1u32..40_000), 0..3),
    )
        .prop_map(
            |(closed_after, status, postcode, commissioners, list_sizes)| PracticeSpec {
                closed_after,
                status,
                postcode,
                commissioners,
                list_sizes,
            },
        )
}

fn network_spec() -> impl Strategy<Value = NetworkSpec> {
    (
        any::<bool>(),
        0i64..500,
        prop::collection::vec((0i64..2000, any::<bool>()), 0..2),
        prop::option::of(any::<bool>()),
        prop::option::of(0i64..500),
        any::<bool>(),
        prop::collection::vec(
            (
                0usize..4,
                any::<bool>(),
                0i64..2000,
                prop::option::of(1i64..900),
            ),
            0..3,
        ),
    )
        .prop_map(
            |(pcn, open_from, directors, payee, agreement, commissioner, partners)| NetworkSpec {
                pcn,
                open_from,
                directors,
                payee,
                agreement,
                commissioner,
                partners,
            },
        )
}

fn build(
    practices: &[PracticeSpec],
    networks: &[NetworkSpec],
    joins: &[(usize, usize, i64, Option<i64>)],
    patients: &[PatientSpec],
) -> (Registry, Vec<Patient>) {
    let mut registry = Registry::new();
    let commissioner = |n: u8| OdsCode::new(["16C", "00L", "15F"][usize::from(n)]).unwrap();
    let mut practice_ids = Vec::new();
    for (i, spec) in practices.iter().enumerate() {
        let code = OdsCode::new(&format!("B8{:04}", 1000 + i)).unwrap();
        let (operating, status) = match spec.closed_after {
            Some(length) => (range(0, Some(length)), PracticeStatus::Closed),
            None => (
                range(0, None),
                [
                    PracticeStatus::Active,
                    PracticeStatus::Dormant,
                    PracticeStatus::Proposed,
                ][usize::from(spec.status)],
            ),
        };
        let mut practice =
            Practice::new(code, &format!("Practice {i}"), operating, status).unwrap();
        practice.set_postcode(spec.postcode.map(|p| POSTCODES[p].parse().unwrap()));
        practice.set_location(spec.postcode.map(|p| {
            pcn_core::Location::new(51.5 + p as f64 * 0.123_457, -0.127_758 * p as f64).unwrap()
        }));
        for (from, value) in &spec.commissioners {
            match value {
                Some(n) => practice.set_commissioner(day(*from), commissioner(*n)),
                None => practice.end_commissioner(day(*from)),
            }
        }
        for (from, size) in &spec.list_sizes {
            // The model refuses a list size outside the practice's dates; skip those.
            let _ = practice.record_list_size(day(*from), *size);
        }
        practice_ids.push(practice.id());
        registry.add_practice(practice).unwrap();
    }
    for (i, spec) in networks.iter().enumerate() {
        let open = range(spec.open_from, None);
        let mut network = if spec.pcn {
            Network::pcn(
                OdsCode::new(&format!("U8{:04}", 1000 + i)).unwrap(),
                &format!("PCN {i}"),
                open,
            )
            .unwrap()
        } else {
            Network::neighbourhood(
                NetworkId::from_u128(1000 + i as u128),
                None,
                NetworkKind::PrimaryCareHome,
                &format!("Care home site {i}"),
                open,
            )
            .unwrap()
        };
        for (j, (from, with_staff)) in spec.directors.iter().enumerate() {
            let mut director =
                ClinicalDirector::new(&format!("Dr Director {j}"), range(*from, Some(365)))
                    .unwrap();
            if *with_staff {
                director = director.with_staff(StaffId::from_u128(77 + j as u128));
            }
            network.add_clinical_director(director);
        }
        network.set_nominated_payee(spec.payee.map(|practice| {
            if practice {
                NominatedPayee::Practice("B81000".parse().unwrap())
            } else {
                NominatedPayee::Provider("RXX".parse().unwrap())
            }
        }));
        network.set_agreement(
            spec.agreement
                .map(|signed| NetworkAgreement::new(day(signed), range(signed + 30, None))),
        );
        if spec.commissioner {
            network.set_commissioner(Some("16C".parse().unwrap()));
        }
        for (j, (role, with_code, from, length)) in spec.partners.iter().enumerate() {
            let mut partner =
                Partner::new(&format!("Partner {j}"), ROLES[*role], range(*from, *length)).unwrap();
            if *with_code {
                partner = partner.with_code(OdsCode::new(&format!("RX{j}")).unwrap());
            }
            network.add_partner(partner);
        }
        registry.add_network(network).unwrap();
    }
    let practice_indices: Vec<_> = registry.practices().map(|(i, _)| i).collect();
    let network_indices: Vec<_> = registry.networks().map(|(i, _)| i).collect();
    for (p, n, from, length) in joins {
        if practice_indices.is_empty() || network_indices.is_empty() {
            break;
        }
        let practice = practice_indices[p % practice_indices.len()];
        let network = network_indices[n % network_indices.len()];
        // The registry refuses an overlapping or out-of-dates membership, changing
        // nothing: what it accepts is what must travel.
        let _ = registry.join(practice, network, range(*from, *length));
    }
    let mut people = Vec::new();
    for (serial, (sex, born, registrations, conditions, deficits, flags)) in
        patients.iter().enumerate()
    {
        let serial = u32::try_from(serial).unwrap();
        let mut patient = Patient::new(
            PatientId::from_u128(5000 + u128::from(serial)),
            NhsNumber::test_number(serial).unwrap(),
            day(-20_000 + born),
            Sex::ALL[usize::from(*sex % 4)],
        );
        for (from, practice) in registrations {
            match practice {
                Some(p) if !practice_ids.is_empty() => {
                    let _ = patient.register(practice_ids[p % practice_ids.len()], day(*from));
                }
                _ => {
                    let _ = patient.deregister(day(*from));
                }
            }
        }
        for c in conditions {
            patient.record_condition(SnomedCode::new(CONDITIONS[c % 3]).unwrap());
        }
        for deficit in DeficitSet::all()
            .iter()
            .filter(|d| deficits & (1 << (*d as u64 % 64)) != 0)
        {
            patient.record_deficit(deficit);
        }
        patient.set_care_home_resident(flags[0]);
        patient.set_housebound(flags[1]);
        patient.set_carer(flags[2]);
        people.push(patient);
    }
    (registry, people)
}

/// Plan spec: patient, days after 2020, what matters, goals, actions, consent, phone.
type PlanSpec = (usize, i64, usize, usize, usize, u8, bool);

/// Care plans for some of the patients, by some of the staff.
fn care_plans(patients: &[Patient], staff: &[StaffMember], specs: &[PlanSpec]) -> Vec<CarePlan> {
    if patients.is_empty() || staff.is_empty() {
        return Vec::new();
    }
    specs
        .iter()
        .enumerate()
        .map(
            |(i, (patient, created, matters, goals, actions, consent, phone))| {
                let created_on = day(1800 + created);
                let member = |k: usize| staff[k % staff.len()].id();
                let plan = NewCarePlan {
                    id: pcn_core::CarePlanId::from_u128(800 + i as u128),
                    patient: patients[patient % patients.len()].id(),
                    created_on,
                    what_matters: (0..*matters)
                        .map(|k| format!("Walking the dog {k}"))
                        .collect(),
                    goals: (0..*goals)
                        .map(|k| Goal {
                            description: format!("Goal {k}"),
                            target_date: (k % 2 == 0).then(|| created_on + Duration::days(90)),
                        })
                        .collect(),
                    actions: (0..*actions)
                        .map(|k| CareAction {
                            description: format!("Action {k}"),
                            owner: member(k),
                            due: (k % 2 == 1).then(|| created_on + Duration::days(30)),
                        })
                        .collect(),
                    review_on: created_on + Duration::days(180),
                    consent: match consent {
                        0 => Consent::NotRecorded,
                        1 => Consent::Given {
                            on: created_on,
                            enriched_summary_care_record: *phone,
                        },
                        _ => Consent::Declined { on: created_on },
                    },
                    named_accountable_gp: member(0),
                    care_coordinator: member(1),
                    care_team: (0..*goals).map(member).collect(),
                    same_day_telephone_access: *phone,
                };
                CarePlan::new(plan).unwrap()
            },
        )
        .collect()
}

/// Staff of several roles, employers, hours and skills.
fn staff_members(registry: &Registry, specs: &[StaffSpec]) -> Vec<StaffMember> {
    let roles: [(Role, Option<&str>); 5] = [
        (Role::Gp, Some("1234567")),
        (Role::ClinicalPharmacist, Some("2033467")),
        (Role::SocialPrescribingLinkWorker, None),
        (Role::CareCoordinator, None),
        (Role::HealthAndWellbeingCoach, None),
    ];
    specs
        .iter()
        .enumerate()
        .filter_map(|(i, (role, employer, hours, skills))| {
            let (role, number) = roles[*role];
            let employer = match (
                employer,
                registry.practices().next(),
                registry.networks().next(),
            ) {
                (0, Some((_, p)), _) => Party::Practice(p.id()),
                (1, _, Some((_, n))) => Party::Network(n.id()),
                _ => Party::Trust(OrganisationId::from_u128(900)),
            };
            let mut contracted_wte = Timeline::new();
            for (from, hundredths) in hours {
                match hundredths {
                    Some(h) => contracted_wte.set(day(*from), Wte::from_hundredths(*h)),
                    None => contracted_wte.end(day(*from)),
                }
            }
            let skills: SkillSet = Skill::ALL
                .iter()
                .enumerate()
                .filter(|(k, _)| skills & (1 << (k % 32)) != 0)
                .map(|(_, s)| *s)
                .collect();
            StaffMember::new(StaffRecord {
                id: StaffId::from_u128(300 + i as u128),
                name: format!("Staff Member {i}"),
                role,
                registration: number.map(|n| RegistrationNumber::for_role(role, n).unwrap()),
                employer,
                contracted_wte,
                skills,
            })
            .ok()
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn a_network_travels_through_fhir_unchanged(
        practices in prop::collection::vec(practice_spec(), 0..5),
        networks in prop::collection::vec(network_spec(), 0..3),
        joins in prop::collection::vec((0usize..8, 0usize..4, 0i64..2500, prop::option::of(1i64..1500)), 0..8),
        patients in prop::collection::vec(
            (0u8..4, 0i64..10_000, prop::collection::vec((0i64..3000, prop::option::weighted(0.8, 0usize..8)), 0..3),
             prop::collection::vec(0usize..3, 0..3), any::<u64>(), any::<[bool; 3]>()),
            0..5),
        staff in prop::collection::vec((0usize..5, 0u8..3, prop::collection::vec((0i64..3000, prop::option::of(1u32..=100)), 0..3), any::<u32>()), 0..4),
        plans in prop::collection::vec((0usize..5, 0i64..400, 1usize..3, 0usize..3, 0usize..3, 0u8..3, any::<bool>()), 0..3),
    ) {
        let (registry, patients) = build(&practices, &networks, &joins, &patients);
        let staff = staff_members(&registry, &staff);
        let care_plans = care_plans(&patients, &staff, &plans);
        let data = NetworkData { registry, patients, staff, teams: Vec::new(), care_plans };
        let json = to_json(&network_to_bundle(&data)).unwrap();
        let imported = import_network(json.as_bytes()).unwrap();
        prop_assert!(imported.ignored.is_empty(), "{:?}", imported.ignored);
        prop_assert_eq!(&imported.resource.staff, &data.staff);
        prop_assert_eq!(&imported.resource.registry, &data.registry);
        prop_assert_eq!(&imported.resource.patients, &data.patients);
        prop_assert_eq!(&imported.resource.care_plans, &data.care_plans);

        // What was imported exports to the same JSON again.
        let again = to_json(&network_to_bundle(&imported.resource)).unwrap();
        prop_assert_eq!(&again, &json);

        // The validating import agrees with the strict one on every generated bundle.
        let strict = pcn_fhir::import_resource(json.as_bytes()).unwrap();
        let validated = pcn_fhir::validate_resource(json.as_bytes());
        prop_assert!(validated.report.is_empty(), "{}", validated.report);
        prop_assert_eq!(validated.value, Some(strict.resource));
        let network = pcn_fhir::validate_network(json.as_bytes());
        prop_assert!(!network.report.has_errors(), "{}", network.report);
        prop_assert_eq!(network.value.as_ref(), Some(&imported.resource));
    }
}

#[test]
fn bad_identifiers_in_a_network_bundle_name_their_path() {
    let (registry, patients) = build(
        &[PracticeSpec {
            closed_after: None,
            status: 0,
            postcode: None,
            commissioners: vec![],
            list_sizes: vec![],
        }],
        &[],
        &[],
        &[(0, 5000, vec![(14_000, Some(0))], vec![], 0, [false; 3])],
    );
    let data = NetworkData {
        registry,
        patients,
        ..NetworkData::default()
    };
    let json = to_json(&network_to_bundle(&data)).unwrap();
    let patients = data.patients;

    let bad_nhs = json.replace(
        &format!("{:010}", patients[0].nhs_number().as_u64()),
        "9999999990",
    );
    let err = import_network(bad_nhs.as_bytes()).unwrap_err();
    assert!(
        matches!(&err, FhirError::InvalidValue { path, value, .. }
            if path == "Bundle.entry[1].resource.identifier[0].value" && value == "9999999990"),
        "{err}"
    );

    let bad_ods = json.replace("B81000", "b81000");
    let err = import_network(bad_ods.as_bytes()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Bundle.entry[0].resource.identifier[0].value holds \"b81000\", which is not valid: invalid ODS code \"b81000\": must be upper case"
    );
}

#[test]
fn an_overlapping_pcn_membership_is_refused_with_the_entry_path() {
    let pcn = |_: usize| NetworkSpec {
        pcn: true,
        open_from: 0,
        directors: vec![],
        payee: None,
        agreement: None,
        commissioner: false,
        partners: vec![],
    };
    let practice = PracticeSpec {
        closed_after: None,
        status: 0,
        postcode: None,
        commissioners: vec![],
        list_sizes: vec![],
    };
    let _ = pcn(0);
    let (registry, _) = build(&[practice], &[pcn(0), pcn(1)], &[(0, 0, 10, None)], &[]);
    let data = NetworkData {
        registry,
        ..NetworkData::default()
    };
    let json = to_json(&network_to_bundle(&data)).unwrap();
    // Point the membership at the second PCN as well, starting a year later.
    let bundle: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut entries = bundle["entry"].as_array().unwrap().clone();
    let mut second = entries.last().unwrap().clone();
    let network_url = entries[2]["fullUrl"].clone();
    second["resource"]["organization"]["reference"] = network_url;
    second["resource"]["period"]["start"] = serde_json::json!("2016-01-01");
    second["resource"]["id"] = serde_json::json!("second");
    second["fullUrl"] = serde_json::json!("urn:uuid:00000000-0000-0000-0000-000000000099");
    entries.push(second);
    let mut bundle = bundle;
    bundle["entry"] = serde_json::Value::Array(entries);
    let err = import_network(bundle.to_string().as_bytes()).unwrap_err();
    assert!(
        matches!(&err, FhirError::Network { path, .. } if path == "Bundle.entry[4].resource"),
        "{err}"
    );
}

fn destination() -> impl Strategy<Value = pcn_referral::Destination> {
    use pcn_referral::{Destination, SupportArea, TreatmentFunction};
    let areas = [
        SupportArea::PhysicalActivity,
        SupportArea::ArtsAndCulture,
        SupportArea::DebtAndMoney,
        SupportArea::Housing,
        SupportArea::SocialConnection,
        SupportArea::EmploymentAndLearning,
    ];
    (
        0u8..6,
        0usize..Role::ALL.len(),
        100u16..=999,
        any::<u128>(),
        0usize..6,
        any::<bool>(),
    )
        .prop_map(move |(kind, role, function, service, area, led)| {
            let role = Role::ALL[role];
            let treatment_function = TreatmentFunction::new(function).unwrap();
            let service = pcn_core::ServiceId::from_u128(service);
            match kind {
                0 => Destination::TeamRole { role },
                1 => Destination::Clinic { service, role },
                2 => Destination::CommunityService { service },
                3 => Destination::VoluntaryActivity {
                    service,
                    area: areas[area],
                },
                4 => Destination::InterfaceService {
                    service,
                    treatment_function,
                },
                _ => Destination::HospitalSpecialty {
                    treatment_function,
                    consultant_led: led,
                },
            }
        })
}

proptest! {
    #[test]
    fn a_pathway_destination_travels_as_a_healthcare_service(destination in destination()) {
        let json = to_json(&pcn_fhir::destination_to_fhir(&destination, Some("Service"))).unwrap();
        let service = pcn_fhir::import::<pcn_fhir::HealthcareService<'_>>(json.as_bytes()).unwrap();
        prop_assert!(service.ignored.is_empty());
        prop_assert_eq!(pcn_fhir::destination_from_fhir(&service.resource).unwrap(), destination);
    }
}

#[test]
fn a_referral_exports_its_state_as_a_task() {
    use pcn_core::{PathwayId, ReferralId};
    use pcn_referral::{
        Actor, Destination, EntryRoute, EventRecord, Priority, RedFlag, Referral, ReferralDetails,
        ReferralEvent, WaitMeasure, WaitTarget,
    };
    let at = NaiveDate::from_ymd_opt(2024, 3, 4)
        .unwrap()
        .and_hms_opt(9, 30, 0)
        .unwrap();
    let details = ReferralDetails {
        id: ReferralId::from_u128(1),
        patient: PatientId::from_u128(2),
        pathway: PathwayId::from_u128(3),
        route: EntryRoute::GpReferral,
        destination: Destination::TeamRole {
            role: Role::FirstContactPhysiotherapist,
        },
        priority: Priority::TwoWeekWait,
        target: WaitTarget {
            measure: WaitMeasure::FirstContact,
            days: 14,
        },
        red_flag: Some(RedFlag::SuspectedCancer),
    };
    let gp = Actor::Staff {
        id: StaffId::from_u128(9),
        role: Role::Gp,
    };
    let mut referral = Referral::draft(details, gp, at);
    let events = [
        ReferralEvent::Submit,
        ReferralEvent::Triage {
            priority: Priority::Urgent,
        },
        ReferralEvent::Accept,
    ];
    for (minutes, event) in events.into_iter().enumerate() {
        let when = at + Duration::minutes(i64::try_from(minutes).unwrap() + 1);
        referral.apply(EventRecord::new(event, gp, when)).unwrap();
        let (request, task) = pcn_fhir::referral_to_fhir(&referral);
        assert_eq!(task.status.code(), referral.state().task_status().code());
        assert_eq!(request.status, pcn_fhir::RequestStatus::Active);
        assert_eq!(
            task.last_modified.unwrap().to_string(),
            format!("{}Z", when.format("%Y-%m-%dT%H:%M:%S"))
        );
        // Both resources are valid FHIR that reads back to the same values.
        for json in [to_json(&request).unwrap(), to_json(&task).unwrap()] {
            let again = pcn_fhir::import_resource(json.as_bytes()).unwrap();
            assert!(again.ignored.is_empty());
            assert_eq!(to_json(&again.resource).unwrap(), json);
        }
    }
    let (request, task) = pcn_fhir::referral_to_fhir(&referral);
    assert_eq!(request.priority, Some(pcn_fhir::RequestPriority::Urgent));
    assert_eq!(
        task.business_status.unwrap().coding[0].code.as_deref(),
        Some("accepted")
    );
    assert_eq!(
        task.focus.unwrap().reference,
        request.id.map(|id| format!("urn:uuid:{id}").into())
    );
}

#[test]
fn a_team_whose_manager_is_not_a_member_is_refused_with_its_path() {
    let synthetic = pcn_team::synthetic::SyntheticNetwork::generate(
        3,
        0,
        &pcn_team::synthetic::NetworkSpec::fifty_thousand(),
    )
    .unwrap();
    for team in synthetic.workforce.teams() {
        let mut care_team = pcn_fhir::team_to_fhir(team);
        assert_eq!(pcn_fhir::team_from_fhir(&care_team).unwrap(), *team);
        care_team.extension.push(pcn_fhir::Extension {
            value_reference: Some(pcn_fhir::Reference::to(
                "urn:uuid:00000000-0000-0000-0000-0000000000ff",
            )),
            ..pcn_fhir::Extension::new(
                "https://github.com/pcn-rs/pcn/fhir/StructureDefinition/team-manager",
            )
        });
        care_team.extension.retain(|e| {
            !e.url.ends_with("team-manager")
                || e.value_reference
                    .as_ref()
                    .is_some_and(|r| r.reference.as_deref().is_some_and(|r| r.ends_with("ff")))
        });
        let err = pcn_fhir::team_from_fhir(&care_team).unwrap_err();
        assert!(
            matches!(&err, FhirError::InvalidTeam { path, .. } if path == "CareTeam"),
            "{err}"
        );
    }
}

fn referral_details() -> impl Strategy<Value = pcn_referral::ReferralDetails> {
    use pcn_core::{PathwayId, ReferralId};
    use pcn_referral::{EntryRoute, Priority, RedFlag, ReferralDetails, WaitMeasure, WaitTarget};
    (
        any::<u128>(),
        any::<u128>(),
        0u8..4,
        0usize..Role::ALL.len(),
        destination(),
        0u8..3,
        0u8..4,
        1u16..400,
        0u8..6,
    )
        .prop_map(
            |(id, pathway, route, role, destination, priority, measure, days, flag)| {
                ReferralDetails {
                    id: ReferralId::from_u128(id),
                    patient: PatientId::from_u128(id ^ 1),
                    pathway: PathwayId::from_u128(pathway),
                    route: match route {
                        0 => EntryRoute::GpReferral,
                        1 => EntryRoute::SelfReferral,
                        2 => EntryRoute::TeamReferral {
                            role: Role::ALL[role],
                        },
                        _ => EntryRoute::SocialPrescribing,
                    },
                    destination,
                    priority: [Priority::Routine, Priority::Urgent, Priority::TwoWeekWait]
                        [usize::from(priority)],
                    target: WaitTarget {
                        measure: [
                            WaitMeasure::ReferralToTreatment,
                            WaitMeasure::FirstSeen,
                            WaitMeasure::FasterDiagnosis,
                            WaitMeasure::FirstContact,
                        ][usize::from(measure)],
                        days,
                    },
                    red_flag: match flag {
                        0 => None,
                        1 => Some(RedFlag::SuspectedCancer),
                        2 => Some(RedFlag::SuspectedCaudaEquina),
                        3 => Some(RedFlag::SuspectedFracture),
                        4 => Some(RedFlag::SuspectedInfection),
                        _ => Some(RedFlag::Finding(SnomedCode::new(CONDITIONS[0]).unwrap())),
                    },
                }
            },
        )
}

proptest! {
    #[test]
    fn a_referral_s_details_travel_through_fhir_unchanged(details in referral_details()) {
        let at = NaiveDate::from_ymd_opt(2024, 3, 4).unwrap().and_hms_opt(9, 30, 0).unwrap();
        let referral = pcn_referral::Referral::draft(details, pcn_referral::Actor::Patient, at);
        let (request, _) = pcn_fhir::referral_to_fhir(&referral);
        let service = pcn_fhir::destination_to_fhir(&details.destination, None);
        let (request_json, service_json) = (to_json(&request).unwrap(), to_json(&service).unwrap());
        let request = pcn_fhir::import::<pcn_fhir::ServiceRequest<'_>>(request_json.as_bytes()).unwrap();
        let service = pcn_fhir::import::<pcn_fhir::HealthcareService<'_>>(service_json.as_bytes()).unwrap();
        prop_assert!(request.ignored.is_empty() && service.ignored.is_empty());
        let back = pcn_fhir::referral_details_from_fhir(&request.resource, &service.resource).unwrap();
        prop_assert_eq!(back, details);
    }
}

#[test]
fn what_the_model_does_not_take_in_is_reported_by_path() {
    let (registry, patients) = build(
        &[PracticeSpec {
            closed_after: None,
            status: 0,
            postcode: None,
            commissioners: vec![],
            list_sizes: vec![],
        }],
        &[],
        &[],
        &[(0, 5000, vec![(14_000, Some(0))], vec![], 0, [false; 3])],
    );
    let data = NetworkData {
        registry,
        patients,
        ..NetworkData::default()
    };
    let json = to_json(&network_to_bundle(&data)).unwrap();
    // Another system adds a name, a phone number and an extension of its own.
    let json = json.replacen(
        r#""resourceType":"Patient","#,
        r#""resourceType":"Patient","name":[{"family":"Chalmers"}],"telecom":[{"system":"phone","value":"0113 496 0000"}],"#,
        1,
    );
    let json = json.replacen(
        r#""extension":[{"url":"https://github.com/pcn-rs/pcn/fhir/StructureDefinition/registration""#,
        r#""extension":[{"url":"https://example.org/ethnicity","valueCode":"A"},{"url":"https://github.com/pcn-rs/pcn/fhir/StructureDefinition/registration""#,
        1,
    );
    let imported = import_network(json.as_bytes()).unwrap();
    assert_eq!(imported.resource, data);
    assert_eq!(
        imported.ignored.iter().collect::<Vec<_>>(),
        [
            "Bundle.entry[1].resource.name",
            "Bundle.entry[1].resource.telecom",
            "Bundle.entry[1].resource.extension[0]",
        ]
    );
}
