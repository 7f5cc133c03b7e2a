//! England's year: every Primary Care Network simulated day by day in parallel, and
//! the national baseline checked against the published figures.
//!
//! Run with `cargo run --release --example england_year`; measure peak memory with
//! `/usr/bin/time -v target/release/examples/england_year`. Options:
//!
//! ```text
//! --data DIR     the real PCNs of the published lists in DIR (../shared/data for
//!                every PCN in England: practice map, lists by age and sex, PCN
//!                workforce, July 2026); without it, synthetic networks
//! --networks N   synthetic networks (default 1250)
//! --patients N   registered patients in all, synthetic (default 60000000)
//! --seed S       seed (default 2024)
//! --scenario X   primary-care-home (default) or baseline
//! --validate     run the baseline, print it beside England's published figures and
//!                exit with status 1 if any is outside its tolerance (±10 %)
//! ```
//!
//! Each network's people are built on the thread that simulates it and dropped once
//! its year is summed, so memory does not grow with the number of patients.

use std::path::PathBuf;
use std::time::Instant;

use pcn::core::NetworkId;
use pcn::ods::{
    AgeSexLists, DataFile, DataFolder, PracticeMapRecord, ReadOptions, read_deprivation,
    read_practice_map, read_workforce, workforce_by_pcn,
};
use pcn::sim::{
    NetworkInput, Parameters, PracticeScores, Scenario, UnifiedBudget, Validation, metrics,
    real_network, simulate_networks,
};

const USAGE: &str = "usage: england_year [--data DIR] [--networks N (1250)] [--patients N (60000000)] [--seed S (2024)] [--scenario primary-care-home|baseline] [--validate]";

fn main() {
    // Errors are shown as the sentence they carry, not their debug form.
    match run() {
        Ok(true) => {}
        Ok(false) => std::process::exit(1),
        Err(error) => {
            eprintln!("error: {error}");
            std::process::exit(2);
        }
    }
}

/// Where the networks come from.
enum Networks {
    Synthetic {
        sizes: Vec<u64>,
    },
    Real {
        codes: Vec<pcn::core::OdsCode>,
        map: Vec<PracticeMapRecord>,
        map_file: String,
        lists: Box<AgeSexLists>,
        workforce: Vec<pcn::ods::PcnWorkforce>,
        workforce_file: String,
        scores: PracticeScores,
    },
}

fn run() -> Result<bool, Box<dyn std::error::Error>> {
    let mut networks: u32 = 1_250;
    let mut patients: u64 = 60_000_000;
    let mut seed: u64 = 2024;
    let mut scenario_name = "primary-care-home".to_owned();
    let mut data: Option<PathBuf> = None;
    let mut validate = false;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            println!("{USAGE}");
            return Ok(true);
        }
        if flag == "--validate" {
            validate = true;
            continue;
        }
        if !["--networks", "--patients", "--seed", "--scenario", "--data"].contains(&flag.as_str())
        {
            return Err(format!("unknown option {flag:?}\n{USAGE}").into());
        }
        let value = args
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        match flag.as_str() {
            "--networks" => networks = value.replace('_', "").parse()?,
            "--patients" => patients = value.replace('_', "").parse()?,
            "--seed" => seed = value.parse()?,
            "--scenario" => scenario_name = value,
            "--data" => data = Some(PathBuf::from(value)),
            other => return Err(format!("unknown option {other:?}\n{USAGE}").into()),
        }
    }
    let parameters = Parameters::published()?;
    let scenario = match (validate, scenario_name.as_str()) {
        (true, _) | (false, "baseline") => Scenario::baseline(),
        (false, "primary-care-home" | "pch") => Scenario::primary_care_home(&parameters),
        (false, other) => {
            return Err(format!("unknown scenario {other:?}\n{USAGE}").into());
        }
    };

    let source = match &data {
        Some(dir) => {
            let folder = DataFolder::find(dir)?;
            let map_input = folder.open(DataFile::PracticeMap)?;
            let map_file = map_input.name().to_owned();
            let map = read_practice_map(map_input, &ReadOptions::default())?.records;
            let lists = Box::new(AgeSexLists::read(folder.open(DataFile::QuinaryAge)?)?);
            let wf_input = folder.open(DataFile::Workforce)?;
            let workforce_file = wf_input.name().to_owned();
            let workforce =
                workforce_by_pcn(&read_workforce(wf_input, &ReadOptions::default())?.records);
            let scores_input = folder.open(DataFile::Deprivation)?;
            let scores_file = scores_input.name().to_owned();
            let scores = PracticeScores::from_records(
                &read_deprivation(scores_input, &ReadOptions::default())?.records,
                &scores_file,
            );
            let mut codes: Vec<_> = map.iter().filter_map(|r| r.pcn).collect();
            codes.sort();
            codes.dedup();
            Networks::Real {
                codes,
                map,
                map_file,
                lists,
                workforce,
                workforce_file,
                scores,
            }
        }
        None => {
            if networks == 0 || patients < u64::from(networks) {
                return Err(
                    "there must be at least one network and one patient per network".into(),
                );
            }
            Networks::Synthetic {
                sizes: synthetic_sizes(networks, patients, seed),
            }
        }
    };
    let count = match &source {
        Networks::Synthetic { sizes } => u32::try_from(sizes.len())?,
        Networks::Real { codes, .. } => u32::try_from(codes.len())?,
    };
    println!(
        "England, {}: {count} {} networks, scenario {}, seed {seed}, {} threads",
        parameters.financial_year(),
        if data.is_some() { "real" } else { "synthetic" },
        scenario.name(),
        rayon::current_num_threads()
    );
    let started = Instant::now();
    let year = simulate_networks(
        count,
        |i| match &source {
            Networks::Synthetic { sizes } => NetworkInput::synthetic(
                format!("PCN {i:04}"),
                sizes[i as usize],
                seed ^ u64::from(i),
                &parameters,
            ),
            Networks::Real {
                codes,
                map,
                map_file,
                lists,
                workforce,
                workforce_file,
                scores,
            } => real_network(
                &codes[i as usize],
                map,
                map_file,
                lists,
                Some((workforce, workforce_file)),
                &parameters,
                seed ^ u64::from(i),
            )
            .map(|r| r.with_deprivation(scores, &parameters).input),
        },
        &scenario,
        &parameters,
        seed,
        0,
    )?;
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "{} registered patients simulated in {elapsed:.2} s",
        year.population()
    );

    if validate {
        let validation = Validation::national(&year)?;
        println!("\n{validation}");
        let outside: Vec<&str> = validation.failures().map(|r| r.figure.as_str()).collect();
        if outside.is_empty() {
            println!("every figure is within its tolerance");
            return Ok(true);
        }
        println!("outside tolerance: {}", outside.join("; "));
        return Ok(false);
    }

    for m in metrics(&year, &parameters)? {
        let Some(v) = m.value else { continue };
        if m.key.starts_with("mean_wait_days.need") || m.key.starts_with("within_target") {
            continue;
        }
        println!("  {:<62} {v:>18.1}", m.label);
    }
    // The national sum posted into one unified-budget ledger (pcn-budget), with role
    // reimbursement for the added staff from the published rules.
    let rules = pcn::budget::EntitlementRules::published()?;
    let budget = UnifiedBudget::post(&year, NetworkId::derived("England"), rules)?;
    let plan = budget.plan().total()?;
    let spent = budget.spent()?;
    println!(
        "  unified budget (ledger): plan {plan}, spent {spent}, variance {}; role reimbursement {}",
        plan.checked_sub(spent)?,
        budget.reimbursed()?,
    );
    Ok(true)
}

/// Seeded network sizes around the mean, scaled to the national total: weights
/// spread evenly over 400 to 1,599 (stepping by a prime, shifted by the seed).
fn synthetic_sizes(networks: u32, patients: u64, seed: u64) -> Vec<u64> {
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
    sizes
}
