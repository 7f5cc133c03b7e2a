//! A Primary Care Network's year, simulated: a 50,000-patient network as it is
//! (GPs and practice nurses, booked appointments) against the Primary Care Home model
//! (pharmacists, first contact physiotherapists, link workers, care coordinators and
//! a mental health practitioner added; direct access and social prescribing open;
//! care plans for the 2 % at highest risk), over seeded replications.
//!
//! Run with `cargo run --release --example network_year`. Options:
//!
//! ```text
//! --size N           registered patients (default 50000)
//! --seed S           seed (default 2024)
//! --replications R   replications of each arm, at least 2 (default 20)
//! --scenario NAME    primary-care-home (default), baseline, or a scenario JSON file
//! --out PATH         the HTML report (default target/network_year.html)
//! ```

use std::path::PathBuf;
use std::time::Instant;

use pcn::budget::Purpose;
use pcn::core::NetworkId;
use pcn::sim::{
    Comparison, Estimate, MetricComparison, NetworkInput, Parameters, Scenario, UnifiedBudget,
    Unit, write_html,
};

struct Options {
    size: u64,
    seed: u64,
    replications: u32,
    scenario: String,
    out: PathBuf,
}

fn parse_options() -> Result<Options, String> {
    let mut options = Options {
        size: 50_000,
        seed: 2024,
        replications: 20,
        scenario: "primary-care-home".into(),
        out: PathBuf::from("target/network_year.html"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            return Err(String::new());
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = |v: &str| {
            v.replace('_', "")
                .parse::<u64>()
                .map_err(|_| format!("{flag} needs a whole number, got {v:?}"))
        };
        match flag.as_str() {
            "--size" => options.size = number(&value)?,
            "--seed" => options.seed = number(&value)?,
            "--replications" => {
                options.replications = u32::try_from(number(&value)?)
                    .map_err(|_| format!("--replications {value} is too large"))?;
            }
            "--scenario" => options.scenario = value,
            "--out" => options.out = PathBuf::from(value),
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    Ok(options)
}

fn scenario(name: &str, parameters: &Parameters) -> Result<Scenario, Box<dyn std::error::Error>> {
    Ok(match name {
        "primary-care-home" | "pch" => Scenario::primary_care_home(parameters),
        "baseline" => Scenario::baseline(),
        path => serde_json::from_str(&std::fs::read_to_string(path)?)?,
    })
}

fn show(unit: Unit, v: f64) -> String {
    match unit {
        Unit::Count => format!("{v:>10.0}"),
        Unit::Days => format!("{v:>8.1} d"),
        Unit::Percent => format!("{v:>8.1} %"),
        Unit::Pounds => {
            // Means of whole-pound totals over replications: shown to the pound.
            #[allow(clippy::cast_possible_truncation)]
            let pounds = v.round() as i64;
            let money = pcn::core::Money::from_pounds(pounds).unwrap_or(pcn::core::Money::ZERO);
            let text = money.to_string();
            format!("{:>14}", text.trim_end_matches(".00"))
        }
    }
}

fn line(m: Option<&MetricComparison>) -> String {
    let Some(m) = m else { return "n/a".into() };
    let est = |e: Option<Estimate>| e.map_or("       n/a".into(), |e| show(m.unit, e.mean));
    let diff = m.difference.map_or("n/a".into(), |d| {
        format!(
            "{} (95 % CI {} to {})",
            show(m.unit, d.mean).trim(),
            show(m.unit, d.low).trim(),
            show(m.unit, d.high).trim()
        )
    });
    format!(
        "{:<48} {}  {}   change {}",
        m.label,
        est(m.baseline),
        est(m.scenario),
        diff
    )
}

fn main() {
    // Errors are shown as the sentence they carry, not their debug form.
    if let Err(error) = run() {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let options = match parse_options() {
        Ok(o) => o,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("{message}");
            }
            eprintln!(
                "usage: network_year [--size N] [--seed S] [--replications R] [--scenario primary-care-home|baseline|FILE.json] [--out PATH]"
            );
            std::process::exit(2);
        }
    };
    let started = Instant::now();
    let parameters = Parameters::published()?;
    let network =
        NetworkInput::synthetic("Riverside PCN", options.size, options.seed, &parameters)?;
    let baseline = Scenario::baseline();
    let scenario = scenario(&options.scenario, &parameters)?;
    let comparison = Comparison::run(
        &network,
        &baseline,
        &scenario,
        &parameters,
        options.replications,
        options.seed,
    )?;
    let base = comparison.baseline_year();
    let scen = comparison.scenario_year();

    println!(
        "{}, {}: {} registered patients; {} against {}; {} replications from seed {}",
        network.name(),
        base.financial_year(),
        base.population(),
        comparison.scenario_name(),
        comparison.baseline_name(),
        comparison.replications(),
        comparison.seed()
    );
    println!("\nCapacity by role (first replication): WTE and appointments offered a year");
    for rp in parameters.roles() {
        let cell = |y: &pcn::sim::YearOutcome| {
            y.role(rp.role).map_or("        -".to_owned(), |r| {
                format!("{:>6} WTE {:>7}", r.wte, r.offered)
            })
        };
        if base.role(rp.role).is_some() || scen.role(rp.role).is_some() {
            println!(
                "  {:<32} {:>20}  ->  {:>20}",
                rp.role.label(),
                cell(base),
                cell(scen)
            );
        }
    }
    println!(
        "\n{:<48} {:>10}  {:>10}   (means of {} replications)",
        "",
        comparison.baseline_name(),
        comparison.scenario_name(),
        comparison.replications()
    );
    for key in [
        "first_contacts",
        "referrals_within",
        "referrals_out",
        "demand",
        "met",
        "met_share",
        "unmet",
        "appointments_used.gp",
        "gp_appointments_freed",
        "mean_wait_days.gp",
        "mean_wait_days.need.musculoskeletal",
        "mean_wait_days.need.social_wellbeing",
        "care_plans",
        "emergency_admissions",
        "emergency_bed_days",
        "spend.staff",
        "spend.hospital",
        "spend.total",
        "spend.against_plan",
    ] {
        println!("{}", line(comparison.metric(key)));
    }
    println!(
        "\nWaits by pathway ({}, first replication): met, unmet, mean and 90th centile wait;\nfor referral routes, the pcn-referral catalogue pathway and the share seen within its target",
        scen.scenario()
    );
    for p in scen.pathways().iter().filter(|p| p.arisen > 0) {
        let target = match (&p.catalogue_pathway, p.target_days, p.met_within_target()) {
            (Some(code), Some(days), Some(within)) => format!(
                "  {code}: {:.0} % within {days} d",
                100.0 * within as f64 / p.arisen as f64
            ),
            _ => String::new(),
        };
        println!(
            "  {:<64} {:>6} met {:>6} unmet {:>5} d {:>3} d{target}",
            p.pathway.to_string(),
            p.met,
            p.unmet(),
            p.waits.mean().map_or("-".into(), |m| format!("{m:.1}")),
            p.waits.centile(0.9).map_or("-".into(), |c| c.to_string())
        );
    }
    // The scenario's year posted into the network's unified budget (pcn-budget's
    // ledger), with role reimbursement from the published rules.
    let rules = pcn::budget::EntitlementRules::published()?;
    let budget = UnifiedBudget::post(scen, NetworkId::from_u128(1), rules)?;
    println!(
        "\nUnified budget ({}, first replication), from the ledger: planned against spent",
        scen.scenario()
    );
    for v in budget.against_plan()? {
        let label = match v.key {
            Purpose::Role(role) => role.label().to_owned(),
            _ => "emergency hospital care".to_owned(),
        };
        println!(
            "  {label:<34} plan {:>15}  spent {:>15}  variance {:>14}",
            v.planned.to_string(),
            v.actual.to_string(),
            v.variance.to_string()
        );
    }
    println!(
        "  funded by: role reimbursement {} (network maximum {}), practices {}, pooled emergency care {}",
        budget.reimbursed()?,
        budget
            .arrs_maximum()
            .map_or("not published".to_owned(), |m| m.to_string()),
        budget.contributed()?,
        budget.pooled_emergency_care()?
    );
    if !budget.without_reimbursement().is_empty() {
        let roles: Vec<&str> = budget
            .without_reimbursement()
            .iter()
            .map(|r| r.label())
            .collect();
        println!(
            "  no published reimbursement maximum for some months of the year (paid by the practices instead): {}",
            roles.join(", ")
        );
    }
    println!(
        "  left in the pot at year end, to share between partners: {}",
        budget.pot_balance()
    );
    write_html(&options.out, &comparison, &parameters)?;
    println!(
        "\nReport written to {} ({:.2} s)",
        options.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
