//! Referral benches, with the targets of the referral issue (one core):
//!
//! - `route/200_pathways`: route at least **1 million referrals per second** against a
//!   catalogue of 200 pathways (a seeded mix of self-, GP and team referrals, 5 % with
//!   a red flag, every request fitting some pathway).
//! - `lifecycle/apply`: apply at least **10 million lifecycle events per second**
//!   (seeded referral walks: submit, triage, accept, book, attend or miss and rebook,
//!   complete or discharge).
//!
//! Also measured, without a target: routing requests that fit no pathway (each builds
//! its criterion-by-criterion explanation) and the catalogue's load-time compile.
//!
//! Run with `cargo bench --bench referral -- --warm-up-time 1 --measurement-time 3`.

// Bench set-up panics on a broken fixture: that is a broken bench, not bad input.
#![allow(clippy::expect_used)]

use std::hint::black_box;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pcn::core::{NetworkId, PathwayId, PatientId, ReferralId, Role, SnomedCode, StaffId};
use pcn::referral::{
    Actor, CatalogueDefinition, CompletionOutcome, Destination, DischargeOutcome, Eligibility,
    EntryRoute, EventRecord, PathwayCatalogue, PathwayDefinition, PatientAge, PatientFacts,
    Priority, RedFlag, RedFlagPolicy, Referral, ReferralDetails, ReferralEvent, ReferralRequest,
    RouteRule, Slot, TargetWait,
};

/// SplitMix64: a small seeded generator, so that the bench input is the same on every run.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        let n = u64::try_from(n).unwrap_or(u64::MAX);
        usize::try_from(self.next() % n).unwrap_or(0)
    }

    /// An item of `items`.
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// A number in `0..n`, as a small integer type.
    fn small<T: TryFrom<usize> + Default>(&mut self, n: usize) -> T {
        T::try_from(self.below(n)).unwrap_or_default()
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// A valid SNOMED CT concept id (partition 00) from a seed: the item id with the
/// check digit that passes.
fn snomed(rng: &mut SplitMix) -> SnomedCode {
    let item = 100_000 + rng.next() % 900_000_000;
    (0..10)
        .find_map(|check| SnomedCode::new(item * 1000 + check).ok())
        .expect("one check digit passes")
}

const GROUPS: usize = 50;
/// Age bands [min, max] of the four pathways that share a group's reasons.
const BANDS: [(u8, u8); 4] = [(0, 17), (18, 39), (40, 64), (65, 120)];
const TEAM: [Role; 5] = [
    Role::PracticeNurse,
    Role::Paramedic,
    Role::ClinicalPharmacist,
    Role::AdvancedPractitioner,
    Role::FirstContactPhysiotherapist,
];

struct Fixture {
    catalogue: PathwayCatalogue,
    reasons: Vec<Vec<SnomedCode>>,
    conditions: Vec<SnomedCode>,
}

/// 200 pathways: 50 groups of reasons, each shared by four pathways in disjoint age
/// bands, with varied routes, registration rules, required and excluded conditions.
fn fixture() -> Fixture {
    let mut rng = SplitMix(0x5EED_0007);
    let network = NetworkId::from_u128(7);
    let conditions: Vec<SnomedCode> = (0..12).map(|_| snomed(&mut rng)).collect();
    let reasons: Vec<Vec<SnomedCode>> = (0..GROUPS)
        .map(|_| (0..3 + rng.below(4)).map(|_| snomed(&mut rng)).collect())
        .collect();
    let mut pathways = vec![PathwayDefinition {
        code: "urgent-review".parse().expect("code"),
        id: None,
        name: "Urgent GP review".into(),
        routes: Vec::new(),
        eligibility: Eligibility::for_reasons(Vec::new()),
        red_flags: Vec::new(),
        destination: Destination::TeamRole { role: Role::Gp },
        priority: Priority::Urgent,
        target_wait: TargetWait::FirstContact { days: 1 },
        in_force: None,
        takes_precedence_over: Vec::new(),
    }];
    for (group, group_reasons) in reasons.iter().enumerate() {
        for (band, (min_age, max_age)) in BANDS.iter().enumerate() {
            let mut routes = vec![RouteRule::GpReferral];
            if rng.chance(50) {
                routes.push(RouteRule::SelfReferral);
            }
            let from: Vec<Role> = TEAM.iter().copied().filter(|_| rng.chance(40)).collect();
            if !from.is_empty() {
                routes.push(RouteRule::TeamReferral { from });
            }
            let requires_any_condition = if rng.chance(25) {
                vec![conditions[rng.below(6)], conditions[6 + rng.below(3)]]
            } else {
                Vec::new()
            };
            let exclusions = if rng.chance(25) {
                vec![conditions[9 + rng.below(3)]]
            } else {
                Vec::new()
            };
            pathways.push(PathwayDefinition {
                code: format!("g{group}-b{band}").parse().expect("code"),
                id: None,
                name: format!("Group {group}, ages {min_age} to {max_age}"),
                routes,
                eligibility: Eligibility {
                    min_age: Some(*min_age),
                    max_age: Some(*max_age),
                    registered_in_network: rng.chance(70),
                    reasons: group_reasons.clone(),
                    requires_any_condition,
                    exclusions,
                },
                red_flags: Vec::new(),
                destination: Destination::TeamRole {
                    role: rng.pick(&TEAM),
                },
                priority: Priority::Routine,
                target_wait: TargetWait::FirstContact {
                    days: 7 + rng.small::<u16>(50),
                },
                in_force: None,
                takes_precedence_over: Vec::new(),
            });
        }
    }
    let definition = CatalogueDefinition {
        network,
        name: "bench network".into(),
        red_flags: RedFlagPolicy {
            default_pathway: "urgent-review".parse().expect("code"),
            rules: Vec::new(),
        },
        pathways,
    };
    let catalogue = PathwayCatalogue::compile(definition).expect("the bench catalogue compiles");
    assert_eq!(catalogue.len(), 201);
    Fixture {
        catalogue,
        reasons,
        conditions,
    }
}

fn random_request(fixture: &Fixture, rng: &mut SplitMix) -> ReferralRequest {
    let group = rng.below(GROUPS);
    let reasons = &fixture.reasons[group];
    let route = match rng.below(4) {
        0 => EntryRoute::SelfReferral,
        1 => EntryRoute::TeamReferral {
            role: rng.pick(&TEAM),
        },
        _ => EntryRoute::GpReferral,
    };
    let conditions = (0..rng.below(4))
        .map(|_| rng.pick(&fixture.conditions))
        .collect();
    ReferralRequest {
        patient: PatientFacts {
            age: if rng.chance(50) {
                PatientAge::Years(rng.small(100))
            } else {
                PatientAge::DateOfBirth(
                    NaiveDate::from_ymd_opt(1925, 1, 1).expect("date")
                        + Duration::days(rng.small(36_000)),
                )
            },
            registered_practice: None,
            registered_network: rng.chance(90).then(|| fixture.catalogue.network()),
            conditions,
        },
        reason: rng.pick(reasons),
        route,
        date: NaiveDate::from_ymd_opt(2024, 1, 1).expect("date") + Duration::days(rng.small(365)),
        red_flags: if rng.chance(5) {
            vec![RedFlag::SuspectedFracture]
        } else {
            Vec::new()
        },
    }
}

fn bench_routing(c: &mut Criterion) {
    let fixture = fixture();
    let mut rng = SplitMix(0xC0FF_EE01);
    let mut routable = Vec::with_capacity(10_000);
    let mut unroutable = Vec::with_capacity(1_000);
    while routable.len() < 10_000 || unroutable.len() < 1_000 {
        let request = random_request(&fixture, &mut rng);
        match fixture.catalogue.route(&request) {
            Ok(_) if routable.len() < 10_000 => routable.push(request),
            Err(_) if unroutable.len() < 1_000 => unroutable.push(request),
            _ => {}
        }
    }

    let mut group = c.benchmark_group("route");
    group.throughput(Throughput::Elements(routable.len() as u64));
    // Target: 1 million or more referrals per second on one core, 200 pathways.
    group.bench_function("200_pathways", |b| {
        b.iter(|| {
            for request in &routable {
                black_box(fixture.catalogue.route(black_box(request)).ok());
            }
        });
    });
    group.throughput(Throughput::Elements(unroutable.len() as u64));
    group.bench_function("200_pathways_no_fit_with_explanation", |b| {
        b.iter(|| {
            for request in &unroutable {
                black_box(fixture.catalogue.route(black_box(request)).err());
            }
        });
    });
    group.finish();

    let definition = fixture.catalogue.definition().clone();
    let mut group = c.benchmark_group("catalogue");
    group.sample_size(20);
    group.bench_function("compile_200_pathways", |b| {
        b.iter(|| PathwayCatalogue::compile(black_box(definition.clone())).expect("compiles"));
    });
    group.finish();
}

/// A referral walk: details and the events that take it to its end.
fn walk(n: u128, rng: &mut SplitMix) -> (ReferralDetails, NaiveDateTime, Vec<EventRecord>) {
    let start = NaiveDate::from_ymd_opt(2024, 1, 1)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .expect("date")
        + Duration::hours(rng.small(24 * 300));
    let details = ReferralDetails {
        id: ReferralId::from_u128(n),
        patient: PatientId::from_u128(n),
        pathway: PathwayId::from_u128(1 + rng.small::<u128>(200)),
        route: EntryRoute::GpReferral,
        destination: Destination::TeamRole {
            role: Role::FirstContactPhysiotherapist,
        },
        priority: Priority::Routine,
        target: TargetWait::FirstContact { days: 14 }.on(start.date()),
        red_flag: None,
    };
    let staff = Actor::Staff {
        id: StaffId::from_u128(9),
        role: Role::FirstContactPhysiotherapist,
    };
    let mut events = Vec::with_capacity(10);
    let mut record = |event, at| events.push(EventRecord::new(event, staff, at));
    let accepted = start + Duration::hours(24);
    record(ReferralEvent::Submit, start);
    record(
        ReferralEvent::Triage {
            priority: Priority::Routine,
        },
        start + Duration::hours(4),
    );
    record(ReferralEvent::Accept, accepted);
    let mut slot = Slot::new(accepted + Duration::days(7), 30, None).expect("slot");
    record(ReferralEvent::Book { slot }, accepted + Duration::hours(1));
    if rng.chance(15) {
        let missed = slot.starts_at() + Duration::hours(1);
        record(
            ReferralEvent::DidNotAttend {
                clearly_communicated: true,
            },
            missed,
        );
        slot = Slot::new(missed + Duration::days(7), 30, None).expect("slot");
        record(ReferralEvent::Book { slot }, missed + Duration::hours(2));
    }
    let seen = slot.starts_at();
    record(ReferralEvent::Attend, seen);
    let outcome = if rng.chance(70) {
        ReferralEvent::Complete {
            outcome: CompletionOutcome::CareCompleted,
        }
    } else {
        ReferralEvent::Discharge {
            outcome: DischargeOutcome::ReturnedToPrimaryCare,
        }
    };
    record(outcome, seen + Duration::hours(1));
    (details, start, events)
}

fn bench_lifecycle(c: &mut Criterion) {
    let mut rng = SplitMix(0x11FE_C7C1);
    let walks: Vec<_> = (0..10_000u128).map(|n| walk(n, &mut rng)).collect();
    let events: usize = walks.iter().map(|(_, _, e)| e.len()).sum();
    // Check once that every walk is allowed, so the bench measures accepted events.
    for (details, start, records) in &walks {
        let mut referral = Referral::draft(*details, Actor::System, *start);
        for record in records {
            referral.apply(record.clone()).expect("a valid walk");
        }
    }

    let mut group = c.benchmark_group("lifecycle");
    group.throughput(Throughput::Elements(events as u64));
    // Target: 10 million or more lifecycle events per second on one core.
    group.bench_function("apply", |b| {
        b.iter(|| {
            for (details, start, records) in &walks {
                let mut referral =
                    Referral::draft_with_capacity(*details, Actor::System, *start, records.len());
                for record in records {
                    black_box(referral.apply(record.clone()).is_ok());
                }
                black_box(&referral);
            }
        });
    });
    group.finish();
}

criterion_group!(benches, bench_routing, bench_lifecycle);
criterion_main!(benches);
