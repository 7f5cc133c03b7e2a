//! FHIR import and export throughput (issue 9: "parse and map FHIR JSON at 100 MB/s or
//! more on one core").
//!
//! The input is built by a seeded generator: a collection bundle of practices,
//! patients with NHS numbers and addresses, care plans, referrals and their tasks,
//! much like a network's export, plus the official R4 example resources one at a time.
//!
//! Run with `cargo bench --bench fhir -- --warm-up-time 1 --measurement-time 3`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pcn::core::{NhsNumber, OdsCode, SnomedCode};
use pcn::fhir::{
    Address, AddressUse, AdministrativeGender, Bundle, BundleEntry, BundleType, CarePlan,
    CarePlanActivity, CarePlanActivityDetail, CarePlanActivityStatus, CarePlanIntent,
    CodeableConcept, Coding, FhirDate, FhirDateTime, FhirResource, HumanName, Identifier,
    Narrative, NarrativeStatus, Organization, Patient, Period, Reference, RequestIntent,
    RequestPriority, RequestStatus, Resource, ResourceId, ServiceRequest, Task, TaskIntent,
    TaskStatus, import_resource, to_json_bytes,
};

/// SplitMix64: a small seeded generator, so the input is the same on every run.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const FAMILY: [&str; 8] = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
];
const GIVEN: [&str; 8] = [
    "Olivia", "Amelia", "Isla", "Ava", "Oliver", "George", "Noah", "Arthur",
];
const TOWNS: [&str; 4] = ["Leeds", "Bradford", "Wakefield", "Halifax"];

fn uuid_text(rng: &mut SplitMix) -> String {
    let (a, b) = (rng.next(), rng.next());
    format!(
        "{:08x}-{:04x}-7{:03x}-8{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        (b >> 48) & 0xfff,
        b & 0xffff_ffff_ffff
    )
}

fn entry<'a>(rng: &mut SplitMix, resource: impl FhirResource<'a>) -> (String, BundleEntry<'a>) {
    let id = uuid_text(rng);
    let full_url = format!("urn:uuid:{id}");
    let mut resource = resource.into_resource();
    set_id(&mut resource, &id);
    (
        full_url.clone(),
        BundleEntry {
            full_url: Some(full_url.into()),
            resource: Some(resource),
        },
    )
}

fn set_id(resource: &mut Resource<'_>, id: &str) {
    let id = ResourceId::new(id.to_owned()).ok();
    match resource {
        Resource::Organization(r) => r.id = id,
        Resource::Patient(r) => r.id = id,
        Resource::CarePlan(r) => r.id = id,
        Resource::ServiceRequest(r) => r.id = id,
        Resource::Task(r) => r.id = id,
        _ => {}
    }
}

fn day(rng: &mut SplitMix, from_year: i32, years: u64) -> FhirDate {
    let base = chrono::NaiveDate::from_ymd_opt(from_year, 1, 1).unwrap_or_default();
    let days = i64::try_from(rng.below(years * 365)).unwrap_or(0);
    FhirDate::Day(base + chrono::Duration::days(days))
}

/// A network-sized collection bundle: `practices` practices and `patients` patients,
/// one in four with a care plan and one in eight with a referral and its task.
fn network_bundle(seed: u64, practices: u32, patients: u32) -> Bundle<'static> {
    let mut rng = SplitMix(seed);
    let mut bundle = Bundle::new(BundleType::Collection);
    let mut practice_urls = Vec::new();
    for p in 0..practices {
        let code = OdsCode::new(&format!("B8{:04}", 1000 + p)).unwrap_or_else(|_| unreachable!());
        let (url, e) = entry(
            &mut rng,
            Organization {
                identifier: vec![Identifier::ods_code(code)],
                active: Some(true),
                name: Some(format!("{} Medical Practice", TOWNS[p as usize % 4]).into()),
                ..Organization::default()
            },
        );
        practice_urls.push(url);
        bundle.entry.push(e);
    }
    let snomed = SnomedCode::constant(34_431_008);
    for serial in 0..patients {
        let Some(nhs) = NhsNumber::test_number(serial) else {
            break;
        };
        let practice = practice_urls[rng.below(u64::from(practices)) as usize].clone();
        let patient = Patient {
            identifier: vec![Identifier::nhs_number(nhs)],
            active: Some(true),
            name: vec![HumanName {
                family: Some(FAMILY[rng.below(8) as usize].into()),
                given: vec![GIVEN[rng.below(8) as usize].into()],
                ..HumanName::default()
            }],
            gender: Some(if rng.below(2) == 0 {
                AdministrativeGender::Female
            } else {
                AdministrativeGender::Male
            }),
            birth_date: Some(day(&mut rng, 1930, 90)),
            address: vec![Address {
                r#use: Some(AddressUse::Home),
                line: vec![format!("{} High Street", 1 + rng.below(200)).into()],
                city: Some(TOWNS[rng.below(4) as usize].into()),
                postal_code: Some(format!("LS{} {}AB", 1 + rng.below(28), rng.below(10)).into()),
                ..Address::default()
            }],
            general_practitioner: vec![Reference::to(practice.clone())],
            ..Patient::default()
        };
        let (patient_url, e) = entry(&mut rng, patient);
        bundle.entry.push(e);
        if serial % 4 == 0 {
            let mut plan = CarePlan::new(
                RequestStatus::Active,
                CarePlanIntent::Plan,
                Reference::to(patient_url.clone()),
            );
            plan.text = Some(Narrative {
                status: NarrativeStatus::Generated,
                div: "<div xmlns=\"http://www.w3.org/1999/xhtml\">Personalised care and support plan</div>".into(),
            });
            plan.title = Some("Personalised care and support plan".into());
            plan.period = Some(Period {
                start: Some(FhirDateTime::from(day(&mut rng, 2022, 2))),
                end: None,
            });
            let mut detail = CarePlanActivityDetail::new(CarePlanActivityStatus::InProgress);
            detail.description = Some("Weekly walking group with the link worker".into());
            plan.activity.push(CarePlanActivity {
                reference: None,
                detail: Some(detail),
            });
            bundle.entry.push(entry(&mut rng, plan).1);
        }
        if serial % 8 == 0 {
            let mut request = ServiceRequest::new(
                RequestStatus::Active,
                RequestIntent::Order,
                Reference::to(patient_url.clone()),
            );
            request.priority = Some(RequestPriority::Routine);
            request.code = Some(CodeableConcept::from_coding(Coding::snomed(
                snomed,
                Some("Physiotherapy of chest".into()),
            )));
            request.requester = Some(Reference::to(practice));
            request.authored_on = Some(FhirDateTime::from(day(&mut rng, 2023, 1)));
            let (request_url, e) = entry(&mut rng, request);
            bundle.entry.push(e);
            let mut task = Task::new(TaskStatus::Requested, TaskIntent::Order);
            task.focus = Some(Reference::to(request_url));
            task.r#for = Some(Reference::to(patient_url));
            task.business_status = Some(CodeableConcept::from_text("awaiting triage"));
            bundle.entry.push(entry(&mut rng, task).1);
        }
    }
    bundle
}

fn examples() -> Vec<Vec<u8>> {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/crates/pcn-fhir/tests/data/r4-examples"
    );
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

/// Target: parse and map FHIR JSON at 100 MB/s or more on one core.
fn import_throughput(c: &mut Criterion) {
    let bundle = network_bundle(9, 8, 20_000);
    let json = to_json_bytes(&bundle).unwrap_or_default();
    let mut group = c.benchmark_group("fhir_import_target_100MB_per_s");
    group.throughput(Throughput::Bytes(json.len() as u64));
    group.bench_function("network_bundle", |b| {
        b.iter(|| import_resource(black_box(&json)).map(|i| i.ignored.len()))
    });
    let examples = examples();
    let total: usize = examples.iter().map(Vec::len).sum();
    group.throughput(Throughput::Bytes(total as u64));
    group.bench_function("r4_examples_one_by_one", |b| {
        b.iter(|| {
            examples
                .iter()
                .filter_map(|json| import_resource(black_box(json)).ok())
                .map(|i| i.ignored.len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, import_throughput);
criterion_main!(benches);
