//! Every network in the NHS files, with its registered population and its compliance
//! with the PCN formation rules.
//!
//! ```sh
//! cargo run --release --example network_report                   # the extract in data/
//! cargo run --release --example network_report -- ../shared/data # the national files
//! cargo run --release --example network_report -- data 2021-01-01 3000
//! ```
//!
//! Arguments, all optional: a folder holding the files, found by their published
//! names as `pcn-ods`'s `DataFolder` knows them (the extracts in `data/`, or the
//! national files laid out as in `../shared/data`: epraccur, the ePCN sheets, the
//! list sizes and, if present, the geocoded practice list); the date
//! to report on (default 1 January 2023, the ePCN file's edition; a closed network is reported on
//! the last day it had members); and the contiguity
//! distance in metres (default 5,000: no figure is published, so this is a choice for
//! a city; use tens of kilometres in the country).

use std::error::Error;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use pcn::network::{ComplianceOptions, NetworkIndex, Outcome, Registry, Rule};
use pcn::ods::{DataFolder, ImportReport, ReadOptions};

fn run() -> Result<(), Box<dyn Error>> {
    if std::env::args().skip(1).any(|a| a == "--help" || a == "-h") {
        println!(
            "usage: network_report [DATA_DIR (default data/)] [DATE yyyy-mm-dd (default 2023-01-01)] [CONTIGUITY_METRES (default 5000)]: every network with its population and formation-rule compliance"
        );
        return Ok(());
    }
    if let Some(flag) = std::env::args().skip(1).find(|a| a.starts_with("--")) {
        eprintln!(
            "unknown option {flag:?}\nusage: network_report [DATA_DIR (default data/)] [DATE yyyy-mm-dd (default 2023-01-01)] [CONTIGUITY_METRES (default 5000)]: every network with its population and formation-rule compliance"
        );
        std::process::exit(2);
    }
    let mut args = std::env::args().skip(1);
    let folder = args.next().map_or_else(
        || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/data")),
        PathBuf::from,
    );
    let date = match args.next() {
        Some(text) => text.parse::<NaiveDate>()?,
        None => NaiveDate::from_ymd_opt(2023, 1, 1).ok_or("bad default date")?,
    };
    let contiguity_m = match args.next() {
        Some(text) => text.parse::<u32>()?,
        None => 5_000,
    };

    let (registry, report) = import(&folder)?;
    print_import(&report);

    let options = ComplianceOptions::with_contiguity_distance_m(contiguity_m);
    println!(
        "\nNetworks on {date} (closed networks on their last day), contiguity within {} m:",
        thousands(u64::from(contiguity_m))
    );
    println!(
        "The ODS files do not record clinical directors, agreements or payees: those rules fail until recorded."
    );
    let mut tally = [[0usize; 4]; Rule::ALL.len()];
    for (index, network) in registry.networks() {
        let day = if network.is_open_on(date) {
            date
        } else {
            match last_day_with_members(&registry, index) {
                Some(last) if last < date => last,
                _ => {
                    println!("\n{}: not open on {date}", network.label());
                    continue;
                }
            }
        };
        let compliance = registry.compliance(index, day, &options)?;
        let closed = if day == date {
            String::new()
        } else {
            format!(", closed after {day}")
        };
        println!(
            "\n{} ({}{closed}): {} practices, {} patients on {day}",
            network.label(),
            network.kind(),
            compliance.members.len(),
            thousands(registry.population_on(index, day)),
        );
        for (rule_index, check) in compliance.checks.iter().enumerate() {
            let note = check.note.as_deref().unwrap_or("");
            println!(
                "    {:<20} {:<18} {note}",
                check.rule().to_string(),
                check.outcome.to_string()
            );
            let outcome = match check.outcome {
                Outcome::Pass => 0,
                Outcome::Fail => 1,
                Outcome::ExceptionGranted => 2,
                Outcome::NotAssessed => 3,
            };
            tally[rule_index][outcome] += 1;
        }
    }

    println!("\nRule outcomes over all networks (pass / fail / exception granted / not assessed):");
    for (rule, counts) in Rule::ALL.iter().zip(tally) {
        println!(
            "    {:<20} {} / {} / {} / {}",
            rule.to_string(),
            counts[0],
            counts[1],
            counts[2],
            counts[3]
        );
    }
    print_coverage(&registry, date);
    Ok(())
}

/// The last day a closed network had members (some close a day after their last
/// member leaves), within its open dates.
fn last_day_with_members(registry: &Registry, network: NetworkIndex) -> Option<NaiveDate> {
    let open = registry.network(network)?.open();
    registry
        .memberships()
        .filter(|m| m.network == network)
        .filter_map(|m| m.during.intersection(&open)?.last_day())
        .max()
}

/// Imports the files found in `folder`.
fn import(folder: &Path) -> Result<(Registry, ImportReport), Box<dyn Error>> {
    Ok(DataFolder::find(folder)?.import_registry(ReadOptions::collecting())?)
}

fn print_import(report: &ImportReport) {
    println!(
        "Imported {} practices ({} other cost centres with a list or a PCN), {} PCNs, {} memberships, {} list sizes, {} locations",
        report.practices,
        report.practices_promoted,
        report.networks,
        report.memberships,
        report.list_sizes,
        report.locations
    );
    if let Some(layout) = report.epraccur_layout {
        println!(
            "Practice file: {layout}; end dates read as {:?}",
            report.end_dates
        );
    }
    println!(
        "{} bad rows, {} rows refused, {} memberships ended at their practice's closure, {} list sizes for unknown practices",
        report.errors.len(),
        report.rejected.len(),
        report.clipped.len(),
        report.unmatched_list_sizes.len()
    );
    for error in &report.errors {
        println!("    error: {error}");
    }
    for rejected in &report.rejected {
        println!(
            "    refused: {}, line {}: {}",
            rejected.file, rejected.line, rejected.error
        );
    }
}

fn print_coverage(registry: &Registry, date: NaiveDate) {
    let mut commissioners: Vec<_> = registry
        .networks()
        .filter_map(|(_, n)| n.commissioner())
        .collect();
    commissioners.sort_unstable();
    commissioners.dedup();
    println!("\nPCN coverage of each commissioner's registered population on {date}:");
    for commissioner in commissioners {
        let coverage = registry.coverage(commissioner, date);
        let share = coverage.share_of_patients_in_pcn().map_or_else(
            || "n/a".to_owned(),
            |rate| format!("{:.2}%", percent(rate.millionths())),
        );
        println!(
            "    {:<6} {} of {} practices, {} of {} patients ({share})",
            commissioner.to_string(),
            coverage.practices_in_pcn,
            coverage.practices,
            thousands(coverage.registered_in_pcn),
            thousands(coverage.registered)
        );
    }
}

/// Millionths as a percentage, for display only.
fn percent(millionths: i64) -> f64 {
    // Display only: a share in millionths is at most 1,000,000, exact in an f64.
    #[allow(clippy::cast_precision_loss)]
    let share = millionths as f64;
    share / 10_000.0
}

/// 1234567 as "1,234,567".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn main() {
    if let Err(error) = run() {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}
