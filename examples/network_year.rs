//! A real Primary Care Network's year, simulated: its practices' registered
//! patients by sex and age band and its staff, as it is, against the Primary Care
//! Home model (pharmacists, first contact physiotherapists, link workers, care
//! coordinators and a mental health practitioner added; direct access open; care
//! plans for the 2 % at highest risk), over seeded replications. The output opens
//! with the baseline beside the published appointment figures of the network's ICB,
//! and closes with the unified budget the comparison posted and, for a real PCN, its
//! entitlements for the year under the Network Contract DES on its members' lists.
//!
//! Run with `cargo run --release --example network_year`. Options:
//!
//! ```text
//! --pcn CODE         a PCN by ODS code (default U02795, North 2 Islington)
//! --data DIR         the folder of published files (default: the shipped data/;
//!                    ../shared/data for the national files)
//! --size N           a synthetic network of N patients instead of a real PCN
//! --seed S           seed (default 2024)
//! --replications R   replications of each arm, at least 2 (default 20)
//! --scenario NAME    primary-care-home (default), baseline, or a scenario JSON file
//! --out PATH         the HTML report (default target/network_year.html)
//! --json PATH        the whole run as JSON
//! --sensitivity R    replications for the sensitivity table (default 4; 0 for none)
//! ```

use std::path::PathBuf;
use std::time::Instant;

use pcn::budget::Purpose;
use pcn::ods::{
    AgeSexLists, DataFile, DataFolder, ReadOptions, read_deprivation, read_practice_map,
    read_workforce, workforce_by_pcn,
};
use pcn::sim::{
    Comparison, Estimate, INTERVALS, MetricComparison, NetworkInput, Parameters, PracticeScores,
    RealNetwork, ReportSections, Scenario, Unit, Validation, appointments_by_interval,
    real_network, sensitivity, write_html_with,
};

/// The PCN of `options` from the published files in its data folder.
fn load_pcn(
    options: &Options,
    parameters: &Parameters,
) -> Result<RealNetwork, Box<dyn std::error::Error>> {
    let code: pcn::core::OdsCode = options
        .pcn
        .parse()
        .map_err(|e| format!("--pcn {:?}: {e}", options.pcn))?;
    let folder = DataFolder::find(&options.data)?;
    let map_input = folder.open(DataFile::PracticeMap)?;
    let map_file = map_input.name().to_owned();
    let map = read_practice_map(map_input, &ReadOptions::default())?.records;
    let lists = AgeSexLists::read(folder.open(DataFile::QuinaryAge)?)?;
    let workforce_input = folder.open(DataFile::Workforce)?;
    let workforce_file = workforce_input.name().to_owned();
    let workforce =
        workforce_by_pcn(&read_workforce(workforce_input, &ReadOptions::default())?.records);
    let scores_input = folder.open(DataFile::Deprivation)?;
    let scores_file = scores_input.name().to_owned();
    let scores = PracticeScores::from_records(
        &read_deprivation(scores_input, &ReadOptions::default())?.records,
        &scores_file,
    );
    Ok(real_network(
        &code,
        &map,
        &map_file,
        &lists,
        Some((&workforce, &workforce_file)),
        parameters,
        options.seed,
    )?
    .with_deprivation(&scores, parameters))
}

/// What the network was built from: members and lists on the list date, and staff
/// with where each figure comes from.
fn describe(real: &RealNetwork, parameters: &Parameters) {
    println!(
        "{} ({}), Sub-ICB location {}: {} practices, lists and membership as on {} ({})",
        real.name,
        real.pcn,
        real.sub_icb,
        real.members.len(),
        real.list_date,
        real.list_file
    );
    for m in &real.members {
        println!("  {} {:<44} {:>7} patients", m.practice, m.name, m.patients);
    }
    if let Some(d) = &real.deprivation {
        println!("Deprivation: {d}");
        println!(
            "  emergency admissions x {:.3} of England's rate at the same ages (HES 2022-23 admissions by IMD decile, age-adjusted)",
            d.admission_ratio(parameters)
        );
    }
    println!("Staff in post (WTE):");
    for s in &real.staff {
        println!(
            "  {:<32} {:>7}  {}",
            s.role.label(),
            s.wte.to_string(),
            s.source
        );
    }
    if let Some(roles) = real.not_simulated_text() {
        println!("  not simulated (no capacity in the model): {roles}");
    }
}

struct Options {
    pcn: String,
    data: PathBuf,
    size: Option<u64>,
    json: Option<PathBuf>,
    sensitivity: u32,
    seed: u64,
    replications: u32,
    scenario: String,
    out: PathBuf,
}

/// What the network is entitled to for the year under the Network Contract DES
/// (`pcn-budget`'s published rules) on its members' real lists, by stream.
fn print_entitlements(
    real: &RealNetwork,
    year: pcn::core::FinancialYear,
) -> Result<(), Box<dyn std::error::Error>> {
    let rules = pcn::budget::EntitlementRules::published()?;
    // Every payment is made on the lists of 1 January before the year; the files
    // hold the lists of their own date, which stand in for it (said below).
    let january = chrono::NaiveDate::from_ymd_opt(year.start_year(), 1, 1).ok_or("bad year")?;
    let population = pcn::budget::NetworkPopulation::from_lists(
        real.input.id(),
        pcn::budget::Party::Network(real.input.id()),
        january,
        real.members.iter().map(|m| pcn::budget::PracticeLists {
            practice: pcn::core::PracticeId::from_ods(&m.practice),
            registered: Some(m.patients),
            weighted: Some(m.patients),
            adjusted: Some(m.patients),
        }),
    )?;
    let people: u64 = real.members.iter().map(|m| m.patients).sum();
    let schedule = rules.schedule(year, std::slice::from_ref(&population), Some(people.max(1)))?;
    println!(
        "\nEntitlements for {year} under the Network Contract DES (pcn-budget's published rules), on the members' {people} registered patients of {} standing in for the lists of {january}; \
the files give no weighted or adjusted list, so the registered list stands in for both",
        real.list_date
    );
    let mut total = pcn::core::Money::ZERO;
    for line in &schedule.lines {
        // The participation payment is each practice's own.
        let who = match line.payee {
            pcn::budget::Party::Practice(id) => real
                .members
                .iter()
                .find(|m| pcn::core::PracticeId::from_ods(&m.practice) == id)
                .map_or(String::new(), |m| format!(", {}", m.name)),
            _ => String::new(),
        };
        println!(
            "  {:<66} {:>9} {:<22} {:>15}  [{}]",
            format!("{}{who}", line.stream.label()),
            line.population,
            line.basis.label(),
            line.annual.to_string(),
            line.source
        );
        total = total.checked_add(line.annual)?;
    }
    println!(
        "  {:<58} {:>9} {:<22} {:>15}",
        "total",
        "",
        "",
        total.to_string()
    );
    for allowance in &schedule.allowances {
        println!(
            "  additional roles: maximum reimbursement {} for the year{}",
            allowance
                .arrs_maximum
                .map_or("not published".to_owned(), |m| m.to_string()),
            allowance.gp_sum.map_or(String::new(), |g| format!(
                " (of which ring-fenced for GPs {g})"
            ))
        );
    }
    for gap in &schedule.unpublished {
        println!(
            "  not paid here, no published rate: {}: {}",
            gap.stream.label(),
            gap.note
        );
    }
    println!(
        "  every line by month, with a real weighted list: cargo run --release --example entitlements -- --pcn {} --year {year}",
        real.pcn
    );
    Ok(())
}

fn parse_options() -> Result<Options, String> {
    let mut options = Options {
        pcn: "U02795".into(),
        data: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/data")),
        size: None,
        json: None,
        sensitivity: 4,
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
        const FLAGS: [&str; 9] = [
            "--size",
            "--pcn",
            "--data",
            "--json",
            "--sensitivity",
            "--seed",
            "--replications",
            "--scenario",
            "--out",
        ];
        if !FLAGS.contains(&flag.as_str()) {
            return Err(format!("unknown option {flag:?}"));
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = |v: &str| {
            v.replace('_', "")
                .parse::<u64>()
                .map_err(|_| format!("{flag} needs a whole number, got {v:?}"))
        };
        match flag.as_str() {
            "--size" => options.size = Some(number(&value)?),
            "--pcn" => options.pcn = value,
            "--data" => options.data = PathBuf::from(value),
            "--json" => options.json = Some(PathBuf::from(value)),
            "--sensitivity" => {
                options.sensitivity = u32::try_from(number(&value)?)
                    .map_err(|_| format!("--sensitivity {value} is too large"))?;
            }
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

const USAGE: &str = "usage: network_year [--pcn CODE (default U02795)] [--data DIR (default data/)] [--size N (synthetic instead)] [--seed S (2024)] [--replications R (20)] [--scenario primary-care-home|baseline|FILE.json] [--out PATH (target/network_year.html)] [--json PATH] [--sensitivity R (4; 0 for none)]";

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
        Err(message) if message.is_empty() => {
            println!("{USAGE}");
            return Ok(());
        }
        Err(message) => {
            eprintln!("{message}");
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    };
    let started = Instant::now();
    let parameters = Parameters::published()?;
    let (network, real) = match options.size {
        Some(size) => (
            NetworkInput::synthetic("Synthetic network", size, options.seed, &parameters)?,
            None,
        ),
        None => {
            let real = load_pcn(&options, &parameters)?;
            describe(&real, &parameters);
            (real.input.clone(), Some(real))
        }
    };
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
    // The baseline beside published figures: the network's ICB (not used in the
    // fit) for a real PCN, England for a synthetic one.
    let icb = real
        .as_ref()
        .and_then(|r| pcn::sim::icb_of_sub_icb(&r.sub_icb.to_string()));
    let validation = match icb {
        Some(icb) => Validation::local(base, icb)?,
        None => Validation::national(base)?,
    };
    println!("\n{validation}");
    println!("Time from booking to appointment (first replication):");
    let (bi, si) = (
        appointments_by_interval(base),
        appointments_by_interval(scen),
    );
    let (bt, st) = (bi.iter().sum::<u64>().max(1), si.iter().sum::<u64>().max(1));
    for (k, label) in INTERVALS.iter().enumerate() {
        println!(
            "  {label:<14} {:>6.1} %  ->  {:>6.1} %",
            100.0 * bi[k] as f64 / bt as f64,
            100.0 * si[k] as f64 / st as f64
        );
    }

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
        "elsewhere.pharmacy",
        "elsewhere.nhs_111",
        "elsewhere.urgent_treatment_centre",
        "elsewhere.emergency_department",
        "elsewhere.other_service",
        "elsewhere.withdrawn",
        "appointments",
        "did_not_attend",
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
    // The scenario's year as the comparison posted it into the network's unified
    // budget (pcn-budget's ledger), with role reimbursement from the published rules.
    let budget = comparison.scenario_budget();
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
    if let Some(real) = &real {
        print_entitlements(real, base.financial_year())?;
    }
    let table = if options.sensitivity >= 2 {
        println!(
            "\nSensitivity ({} replications each): headline differences at each end of every assumption's range",
            options.sensitivity
        );
        let t = sensitivity(
            &network,
            &baseline,
            &scenario,
            &parameters,
            options.sensitivity,
            options.seed,
        )?;
        println!(
            "  {:<58} {}",
            "at the assumed values",
            t.central
                .iter()
                .map(|(k, d)| format!("{k} {}", d.map_or("n/a".into(), |d| format!("{d:.0}"))))
                .collect::<Vec<_>>()
                .join(", ")
        );
        for r in &t.rows {
            let cells: Vec<String> = r
                .effects
                .iter()
                .map(|(_, lo, hi)| {
                    let f = |x: &Option<f64>| x.map_or("n/a".into(), |x| format!("{x:.0}"));
                    format!("{} to {}", f(lo), f(hi))
                })
                .collect();
            println!(
                "  {:<58} {} [{} to {}]: {}",
                r.label,
                r.value,
                r.low,
                r.high,
                cells.join(" | ")
            );
        }
        Some(t)
    } else {
        None
    };
    let sections = ReportSections {
        network: real.as_ref(),
        validation: Some(&validation),
        sensitivity: table.as_ref(),
    };
    write_html_with(&options.out, &comparison, &parameters, &sections)?;
    if let Some(path) = &options.json {
        let run = serde_json::json!({
            "network": real.as_ref().map(serde_json::to_value).transpose()?,
            "population": base.population(),
            "financial_year": base.financial_year().to_string(),
            "baseline": comparison.baseline_name(),
            "scenario": comparison.scenario_name(),
            "replications": comparison.replications(),
            "seed": comparison.seed(),
            "validation": validation,
            "metrics": comparison.metrics(),
            "waits_by_interval": {
                "intervals": INTERVALS,
                "baseline": bi,
                "scenario": si,
            },
            "sensitivity": table,
        });
        std::fs::write(path, serde_json::to_string_pretty(&run)?)?;
        println!("The whole run written as JSON to {}", path.display());
    }
    println!(
        "\nReport written to {} ({:.2} s)",
        options.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
