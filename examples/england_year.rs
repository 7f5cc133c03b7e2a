//! England's year: 1,250 Primary Care Networks serving 60 million registered
//! patients (about 1,250 PCNs, mean 48,020 patients: pcn.bma.org.uk statistics; 60-63
//! million registered patients: NHS Digital), simulated day by day in parallel.
//!
//! Run with `cargo run --release --example england_year`; measure peak memory with
//! `/usr/bin/time -v target/release/examples/england_year`. Options:
//!
//! ```text
//! --networks N   networks (default 1250)
//! --patients N   registered patients in all (default 60000000)
//! --seed S       seed (default 2024)
//! --scenario X   primary-care-home (default) or baseline
//! --ods DIR      take the networks and their populations from the NHS files in DIR
//!                and its subfolders (epraccur, ePCN details and core partners,
//!                patients registered at a GP practice; for example ../shared/data),
//!                on the list-size file's date (1 January 2021 for the shared files)
//! ```
//!
//! Network sizes are spread between about 0.4 and 1.6 times the mean and scaled to the total;
//! each network's population is built on the thread that simulates it and dropped
//! once its year is summed, so memory does not grow with the number of patients.

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDate;
use pcn::ods::{Import, Input, ReadOptions};

use pcn::core::NetworkId;
use pcn::sim::{NetworkInput, Parameters, Scenario, UnifiedBudget, metrics, simulate_networks};

fn main() {
    // Errors are shown as the sentence they carry, not their debug form.
    if let Err(error) = run() {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut networks: u32 = 1_250;
    let mut patients: u64 = 60_000_000;
    let mut seed: u64 = 2024;
    let mut scenario_name = "primary-care-home".to_owned();
    let mut ods: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--networks" => networks = value.replace('_', "").parse()?,
            "--patients" => patients = value.replace('_', "").parse()?,
            "--seed" => seed = value.parse()?,
            "--scenario" => scenario_name = value,
            "--ods" => ods = Some(PathBuf::from(value)),
            other => return Err(format!("unknown option {other:?}").into()),
        }
    }
    if networks == 0 || patients < u64::from(networks) {
        return Err("there must be at least one network and one patient per network".into());
    }
    let parameters = Parameters::published()?;
    let scenario = match scenario_name.as_str() {
        "baseline" => Scenario::baseline(),
        "primary-care-home" | "pch" => Scenario::primary_care_home(&parameters),
        other => {
            return Err(
                format!("unknown scenario {other:?}: primary-care-home or baseline").into(),
            );
        }
    };

    let (names, sizes) = match &ods {
        Some(folder) => real_networks(folder)?,
        None => synthetic_networks(networks, patients, seed),
    };
    let networks = u32::try_from(sizes.len())?;
    let patients: u64 = sizes.iter().sum();
    println!(
        "England, {}: {networks} networks, {patients} registered patients, scenario {}, seed {seed}, {} threads",
        parameters.financial_year(),
        scenario.name(),
        rayon::current_num_threads()
    );
    let started = Instant::now();
    let year = simulate_networks(
        networks,
        |i| {
            let size = sizes[i as usize];
            NetworkInput::synthetic(
                names[i as usize].clone(),
                size,
                seed ^ u64::from(i),
                &parameters,
            )
        },
        &scenario,
        &parameters,
        seed,
        0,
    )?;
    let elapsed = started.elapsed().as_secs_f64();

    for m in metrics(&year, &parameters)? {
        let Some(v) = m.value else { continue };
        if m.key.starts_with("mean_wait_days.need") {
            continue;
        }
        println!("  {:<62} {v:>18.1}", m.label);
    }
    // The national sum posted into one unified-budget ledger (pcn-budget), with role
    // reimbursement for the added staff from the published rules.
    let posting = Instant::now();
    let rules = pcn::budget::EntitlementRules::published()?;
    let budget = UnifiedBudget::post(&year, NetworkId::from_u128(0), rules)?;
    let plan = budget.plan().total()?;
    let spent = budget.spent()?;
    println!(
        "  unified budget (ledger): plan {plan}, spent {spent}, variance {}; role reimbursement {}; left in the pots {} ({:.3} s to post)",
        plan.checked_sub(spent)?,
        budget.reimbursed()?,
        budget.pot_balance(),
        posting.elapsed().as_secs_f64()
    );
    let events = year.events();
    println!(
        "\n{} events (requests and admissions) in {elapsed:.2} s: {:.1} million events a second; {:.0} patients a second",
        events,
        events as f64 / elapsed / 1e6,
        patients as f64 / elapsed
    );
    Ok(())
}

/// Seeded network sizes around the mean, scaled to the national total.
fn synthetic_networks(networks: u32, patients: u64, seed: u64) -> (Vec<String>, Vec<u64>) {
    // Network sizes: weights spread evenly over 400 to 1,599 (stepping by a prime,
    // shifted by the seed), scaled to the national total in integers.
    let weights: Vec<u64> = (0..u64::from(networks))
        .map(|i| 400 + (i * 743 + seed % 1_200) % 1_200)
        .collect();
    let total_weight: u64 = weights.iter().sum();
    let mut sizes: Vec<u64> = weights
        .iter()
        .map(|w| {
            let share = u128::from(patients) * u128::from(*w) / u128::from(total_weight);
            u64::try_from(share).unwrap_or(u64::MAX).max(1)
        })
        .collect();
    let assigned: u64 = sizes.iter().sum();
    if let Some(last) = sizes.last_mut() {
        *last += patients.saturating_sub(assigned);
    }

    let names = (0..networks).map(|i| format!("PCN {i:04}")).collect();
    (names, sizes)
}

/// Every network open on the list-size date with its registered population, from the
/// NHS ODS and list-size files.
fn real_networks(folder: &Path) -> Result<(Vec<String>, Vec<u64>), Box<dyn std::error::Error>> {
    let find = |stem: &str| -> Result<PathBuf, String> {
        let mut dirs = vec![folder.to_path_buf()];
        if let Ok(entries) = std::fs::read_dir(folder) {
            let mut sub: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_dir())
                .collect();
            sub.sort();
            dirs.extend(sub);
        }
        dirs.iter()
            .filter_map(|d| std::fs::read_dir(d).ok())
            .flat_map(|entries| {
                let mut files: Vec<PathBuf> =
                    entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
                files.sort();
                files
            })
            .find(|p| {
                p.extension().is_some_and(|e| e == "csv")
                    && p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.contains(stem))
            })
            .ok_or_else(|| format!("no *{stem}*.csv in {} or its subfolders", folder.display()))
    };
    let mut import = Import::new(ReadOptions::collecting());
    import
        .practices(Input::open(find("epraccur")?)?)?
        .pcns(Input::open(find("pcn-details")?)?)?
        .memberships(Input::open(find("core-partner")?)?)?
        .list_sizes(Input::open(find("gp-reg-pat-prac")?)?)?;
    let (registry, _report) = import.finish();
    let on = NaiveDate::from_ymd_opt(2021, 1, 1).ok_or("bad date")?;
    let mut names = Vec::new();
    let mut sizes = Vec::new();
    for (index, network) in registry.networks() {
        let size = registry.population_on(index, on);
        if size > 0 {
            names.push(network.label());
            sizes.push(size);
        }
    }
    if sizes.is_empty() {
        return Err(format!("no network in {} had patients on {on}", folder.display()).into());
    }
    Ok((names, sizes))
}
