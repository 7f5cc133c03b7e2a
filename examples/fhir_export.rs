//! Export one Primary Care Network as a FHIR R4 `collection` bundle: its practices
//! and memberships from the shipped NHS ODS extract, a population generated to its
//! registered list, and a synthetic workforce; then read the file back and check
//! that the model is unchanged.
//!
//! ```sh
//! cargo run --release --example fhir_export                       # first PCN in data/
//! cargo run --release --example fhir_export -- U00001 out.json    # a PCN code, a file
//! ```

use std::error::Error;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDate;
use pcn::core::PracticeId;
use pcn::fhir::{NetworkData, import_network, network_to_bundle, to_json_bytes};
use pcn::network::{NetworkIndex, Registry};
use pcn::ods::{Import, Input, ReadOptions};
use pcn::population::PopulationGenerator;
use pcn::team::synthetic::{NetworkSpec, SyntheticNetwork};

fn run() -> Result<(), Box<dyn Error>> {
    if std::env::args().skip(1).any(|a| a == "--help" || a == "-h") {
        println!(
            "usage: fhir_export [PCN_CODE (default: the first network with members in the shipped extract)]: one PCN with its patients and staff as a FHIR R4 Bundle"
        );
        return Ok(());
    }
    if let Some(flag) = std::env::args().skip(1).find(|a| a.starts_with("--")) {
        eprintln!(
            "unknown option {flag:?}\nusage: fhir_export [PCN_CODE (default: the first network with members in the shipped extract)]: one PCN with its patients and staff as a FHIR R4 Bundle"
        );
        std::process::exit(2);
    }
    let mut args = std::env::args().skip(1);
    let code = args.next();
    let national = shipped_registry()?;
    let on = NaiveDate::from_ymd_opt(2023, 1, 1).ok_or("bad date")?;

    let network = match &code {
        Some(code) => national
            .network_index_by_code(&code.parse()?)
            .ok_or_else(|| format!("no network {code} in the extract"))?,
        None => national
            .networks()
            .map(|(index, _)| index)
            .find(|index| national.members_on(*index, on).count() > 0)
            .ok_or("no network with members in the extract")?,
    };
    let registry = one_network(&national, network)?;
    let label = registry
        .networks()
        .next()
        .map(|(_, n)| n.label())
        .unwrap_or_default();
    let list = registry
        .networks()
        .next()
        .map_or(0, |(index, _)| registry.population_on(index, on));

    let practices: Vec<PracticeId> = registry.practices().map(|(_, p)| p.id()).collect();
    let patients = u32::try_from(list.min(900_000))?;
    let patients = PopulationGenerator::england(2023).patients(0..patients, &practices, on)?;
    let synthetic = SyntheticNetwork::generate(2023, 0, &NetworkSpec::fifty_thousand())?;
    let staff: Vec<_> = synthetic.workforce.staff_members().cloned().collect();
    let teams: Vec<_> = synthetic.workforce.teams().cloned().collect();

    let data = NetworkData {
        registry,
        patients,
        staff,
        teams,
        care_plans: Vec::new(),
    };
    let started = Instant::now();
    let json = to_json_bytes(&network_to_bundle(&data))?;
    let exported_in = started.elapsed();
    let file = args.next().map_or_else(
        || {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/target/fhir")).join(format!(
                "{}-bundle.json",
                code.as_deref().unwrap_or("network")
            ))
        },
        PathBuf::from,
    );
    if let Some(folder) = file.parent() {
        std::fs::create_dir_all(folder)?;
    }
    std::fs::write(&file, &json)?;
    println!(
        "{label}: {} practices, {} patients on {on}, {} staff in {} teams",
        data.registry.practice_count(),
        data.patients.len(),
        data.staff.len(),
        data.teams.len()
    );
    println!(
        "wrote {} ({:.1} MB) in {:.0} ms",
        file.display(),
        json.len() as f64 / 1e6,
        exported_in.as_secs_f64() * 1e3
    );

    let started = Instant::now();
    let text = std::fs::read(&file)?;
    let imported = import_network(&text)?;
    println!(
        "read it back in {:.0} ms: {} ignored elements; model unchanged: {}",
        started.elapsed().as_secs_f64() * 1e3,
        imported.ignored.len(),
        imported.resource == data
    );
    Ok(())
}

/// The registry of the shipped ODS extract (practices, PCNs, memberships, list sizes
/// and London locations).
fn shipped_registry() -> Result<Registry, Box<dyn Error>> {
    let folder = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data"));
    let file = |name: &str| Input::open(folder.join(name));
    let mut import = Import::new(ReadOptions::collecting());
    import
        .practices(file("epraccur-2023-12-extract.csv")?)?
        .pcns(file("epcn-2023-01-pcn-details-extract.csv")?)?
        .memberships(file("epcn-2023-01-core-partner-details-extract.csv")?)?
        .list_sizes(file("gp-reg-pat-prac-all-2021-01-extract.csv")?)?
        .locations(file("london-practices-2022-extract.csv")?)?;
    Ok(import.finish().0)
}

/// A registry holding one network, its member practices and their memberships of it.
fn one_network(national: &Registry, network: NetworkIndex) -> Result<Registry, Box<dyn Error>> {
    let mut registry = Registry::new();
    let source = national.network(network).ok_or("no such network")?;
    let index = registry.add_network(source.clone())?;
    let memberships: Vec<_> = national
        .memberships()
        .filter(|m| m.network == network)
        .copied()
        .collect();
    for membership in memberships {
        let practice = national
            .practice(membership.practice)
            .ok_or("membership of an unknown practice")?;
        let local = match registry.practice_index(&practice.code()) {
            Some(local) => local,
            None => registry.add_practice(practice.clone())?,
        };
        registry.join(local, index, membership.during)?;
    }
    Ok(registry)
}

fn main() {
    if let Err(error) = run() {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}
