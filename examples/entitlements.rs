//! What a real Primary Care Network is entitled to under the Network Contract DES,
//! month by month, for one contract year or every year from 2019/20 to 2025/26.
//!
//! ```sh
//! cargo run --release --example entitlements -- --pcn U02795 --year 2024/25
//! cargo run --release --example entitlements -- --pcn U02795 --year all
//! cargo run --release --example entitlements -- --pcn U02795 --year 2025/26 --csv
//! cargo run --release --example entitlements -- --pcn U00070 --year 2023/24 --data ../shared/data --beds 64
//! ```
//!
//! Options:
//! - `--pcn CODE`: the network's ODS code (default U02795, North 2 Islington PCN);
//! - `--year YEAR`: a contract year such as `2024/25`, or `all` (default 2024/25);
//! - `--csv`: write every payment line as CSV instead of the tables;
//! - `--data DIR`: a folder holding the ODS and list-size files, found by their
//!   published names as `pcn-ods`'s `DataFolder` knows them (e.g. `../shared/data`);
//!   without it, the two-area extract shipped in `data/`;
//! - `--lists FILE`: a JSON list of `{"practice": "F83004", "date": "2024-01-01",
//!   "registered": 9000, "weighted": 9400, "adjusted": 9150}` giving practices' lists
//!   at a date (the weighted and adjusted populations are published by NHS England
//!   per practice but are not in the ODS files);
//! - `--beds N`: beds in the network's aligned care homes each month, for the care
//!   home premium (from the CQC register; not in the ODS files);
//! - `--national-weighted N`: the national weighted list, for the years (2020/21 to
//!   2022/23) whose additional roles sum is a share of a national pot;
//! - `--help`.
//!
//! Every payment is paid on a list taken on 1 January before the year. Where the
//! files hold no list of that date, the nearest list they hold stands in for it,
//! and where no weighted or adjusted population is given the registered list
//! stands in for it: the tables say so on every line it touches (`*`), so that no
//! stand-in passes for a published count. The rates are the published rules of
//! `pcn-budget`, each with its source; a payment whose rate was not found is listed
//! as a gap, never filled with a guess.

use std::collections::BTreeMap;
use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use pcn::budget::{
    BudgetError, EntitlementRules, FundingStream, NetworkPopulation, Party, PayArea,
    PopulationBasis, PracticeLists, ScheduleLine,
};
use pcn::core::{FinancialYear, Money, OdsCode, PracticeId, Role, YearMonth};
use pcn::network::{NetworkIndex, Registry};
use pcn::ods::{DataFolder, ReadOptions};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

const HELP: &str = "entitlements: a Primary Care Network's Network Contract DES entitlements by month

usage: entitlements [--pcn CODE] [--year 2024/25|all] [--csv] [--data DIR] [--lists FILE] [--beds N] [--national-weighted N]

  --pcn CODE    the network's ODS code (default U02795)
  --year YEAR   a contract year 2019/20 to 2025/26, or all (default 2024/25)
  --csv         write the payment lines as CSV
  --data DIR    the folder of ODS and list-size files (default: the extract in data/)
  --lists FILE  practices' registered, weighted and adjusted lists at a date (JSON)
  --beds N      beds in the network's aligned care homes, for the care home premium
  --national-weighted N  the national weighted list (for the 2020/21 to 2022/23 roles sums)
  --help        this text";

/// The command line.
struct Options {
    pcn: OdsCode,
    years: Vec<FinancialYear>,
    csv: bool,
    data: PathBuf,
    lists: Option<PathBuf>,
    beds: Option<u32>,
    national_weighted: Option<u64>,
}

fn options() -> Result<Option<Options>> {
    let mut options = Options {
        pcn: "U02795".parse()?,
        years: vec![FinancialYear::constant(2024)],
        csv: false,
        data: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/data")),
        lists: None,
        beds: None,
        national_weighted: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .ok_or_else(|| format!("{name} needs a value; see --help"))
        };
        match arg.as_str() {
            "--help" | "-h" => return Ok(None),
            "--pcn" => {
                let text = value("--pcn")?;
                options.pcn = text
                    .parse()
                    .map_err(|e| format!("--pcn {text:?} is not an ODS code: {e}"))?;
            }
            "--year" => {
                let text = value("--year")?;
                options.years = if text == "all" {
                    (2019..=2025).map(FinancialYear::constant).collect()
                } else {
                    vec![text.parse().map_err(|e| {
                        format!("--year {text:?} is not a contract year such as 2024/25: {e}")
                    })?]
                };
            }
            "--csv" => options.csv = true,
            "--data" => options.data = PathBuf::from(value("--data")?),
            "--lists" => options.lists = Some(PathBuf::from(value("--lists")?)),
            "--beds" => {
                let text = value("--beds")?;
                options.beds = Some(
                    text.parse()
                        .map_err(|_| format!("--beds {text:?} is not a whole number of beds"))?,
                );
            }
            "--national-weighted" => {
                let text = value("--national-weighted")?;
                options.national_weighted = Some(text.parse().map_err(|_| {
                    format!("--national-weighted {text:?} is not a count of patients")
                })?);
            }
            other => return Err(format!("unknown argument {other:?}; see --help").into()),
        }
    }
    Ok(Some(options))
}

fn main() {
    // Errors are shown as the sentence they carry, not their debug form.
    if let Err(error) = run() {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let Some(options) = options()? else {
        println!("{HELP}");
        return Ok(());
    };
    let rules = EntitlementRules::published()?;
    let registry = import(&options.data)?;
    let network = registry
        .network_index_by_code(&options.pcn)
        .ok_or_else(|| BudgetError::UnknownNetwork {
            network: format!(
                "{} (not among the {} networks read from {})",
                options.pcn,
                registry.network_count(),
                options.data.display()
            ),
        })?;
    let supplied = match &options.lists {
        Some(path) => read_lists(path)?,
        None => BTreeMap::new(),
    };
    let mut statements = Vec::new();
    for year in &options.years {
        statements.push(statement(
            rules,
            &registry,
            network,
            *year,
            &supplied,
            options.beds,
            options.national_weighted,
        )?);
    }
    if options.csv {
        print_csv(&statements);
    } else if statements.len() == 1 {
        print_year(rules, &registry, network, &statements[0])?;
    } else {
        print_years(&registry, network, &statements);
    }
    Ok(())
}

/// Reads the ODS files and the list sizes found in `folder`.
fn import(folder: &Path) -> Result<Registry> {
    Ok(DataFolder::find(folder)?
        .import_registry(ReadOptions::collecting())?
        .0)
}

/// A practice's lists at a date, from `--lists`.
#[derive(Clone, Copy)]
struct Supplied {
    registered: u64,
    weighted: u64,
    adjusted: u64,
}

fn read_lists(path: &Path) -> Result<BTreeMap<(PracticeId, NaiveDate), Supplied>> {
    let text =
        fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let rows: Vec<serde_json::Value> = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{} is not a JSON list of practices' lists: {e}",
            path.display()
        )
    })?;
    let mut lists = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        let field = |name: &str| {
            row.get(name)
                .ok_or_else(|| format!("{}, entry {}: no \"{name}\"", path.display(), i + 1))
        };
        let text = |name: &str| -> Result<String> {
            Ok(field(name)?
                .as_str()
                .ok_or_else(|| {
                    format!(
                        "{}, entry {}: \"{name}\" is not text",
                        path.display(),
                        i + 1
                    )
                })?
                .to_owned())
        };
        let count = |name: &str| -> Result<u64> {
            Ok(field(name)?.as_u64().ok_or_else(|| {
                format!(
                    "{}, entry {}: \"{name}\" is not a count of patients (a whole number, not below zero)",
                    path.display(),
                    i + 1
                )
            })?)
        };
        let code: OdsCode = text("practice")?.parse()?;
        let date: NaiveDate = text("date")?.parse()?;
        lists.insert(
            (PracticeId::from_ods(&code), date),
            Supplied {
                registered: count("registered")?,
                weighted: count("weighted")?,
                adjusted: count("adjusted")?,
            },
        );
    }
    Ok(lists)
}

/// One member practice with the list used for it and where that list came from.
struct Member {
    code: OdsCode,
    name: String,
    registered: u64,
    /// The date of the published list used, where it is not the list date.
    stand_in: Option<NaiveDate>,
    /// Whether the weighted and adjusted populations were supplied.
    supplied: bool,
}

/// A year's entitlements of the network, or why there are none.
struct Statement {
    year: FinancialYear,
    list_date: NaiveDate,
    members: Vec<Member>,
    lines: Vec<ScheduleLine>,
    arrs_maximum: Option<Money>,
    gp_sum: Option<Money>,
    gaps: Vec<String>,
    closed: Option<String>,
}

impl Statement {
    fn stand_in_registered(&self) -> bool {
        self.members.iter().any(|m| m.stand_in.is_some())
    }

    fn stand_in_weighted(&self) -> bool {
        self.members.iter().any(|m| !m.supplied)
    }

    /// Whether a line rests on a stand-in list.
    fn marked(&self, line: &ScheduleLine) -> bool {
        match line.basis {
            PopulationBasis::RegisteredList => self.stand_in_registered(),
            PopulationBasis::WeightedList | PopulationBasis::AdjustedPopulation => {
                self.stand_in_registered() || self.stand_in_weighted()
            }
            _ => false,
        }
    }
}

/// The list on `date` in the files, or the nearest list they hold (and its date).
fn nearest_list(
    registry: &Registry,
    practice: pcn::network::PracticeIndex,
    date: NaiveDate,
) -> Option<(u64, Option<NaiveDate>)> {
    let p = registry.practice(practice)?;
    let periods: Vec<_> = p.list_sizes().periods().collect();
    if let Some((range, count)) = periods.iter().find(|(range, _)| range.contains(date)) {
        let from = range.from();
        return Some((u64::from(**count), (from != date).then_some(from)));
    }
    periods
        .iter()
        .min_by_key(|(range, _)| (range.from() - date).num_days().abs())
        .map(|(range, count)| (u64::from(**count), Some(range.from())))
}

fn statement(
    rules: &EntitlementRules,
    registry: &Registry,
    index: NetworkIndex,
    year: FinancialYear,
    supplied: &BTreeMap<(PracticeId, NaiveDate), Supplied>,
    beds: Option<u32>,
    national_weighted: Option<u64>,
) -> Result<Statement> {
    let list_date = NaiveDate::from_ymd_opt(year.start_year(), 1, 1).ok_or("bad list date")?;
    let network = registry
        .network(index)
        .ok_or("network index out of range")?;
    let mut statement = Statement {
        year,
        list_date,
        members: Vec::new(),
        lines: Vec::new(),
        arrs_maximum: None,
        gp_sum: None,
        gaps: Vec::new(),
        closed: None,
    };
    // Members on the first day of the year the network was open.
    let open = network.open();
    let Some(day) = year.date_range().intersection(&open).map(|r| r.from()) else {
        statement.closed = Some(format!("{} was not open in {year}", network.label()));
        return Ok(statement);
    };
    let mut practices = Vec::new();
    for practice in registry.members_on(index, day) {
        let Some(p) = registry.practice(practice) else {
            continue;
        };
        let given = supplied.get(&(p.id(), list_date)).copied();
        let (registered, stand_in) = match given {
            Some(s) => (Some(s.registered), None),
            None => match nearest_list(registry, practice, list_date) {
                Some((count, stand_in)) => (Some(count), stand_in),
                None => (None, None),
            },
        };
        practices.push(PracticeLists {
            practice: p.id(),
            registered,
            weighted: given.map(|s| s.weighted).or(registered),
            adjusted: given.map(|s| s.adjusted).or(registered),
        });
        statement.members.push(Member {
            code: p.code(),
            name: p.name().to_owned(),
            registered: registered.unwrap_or(0),
            stand_in,
            supplied: given.is_some(),
        });
    }
    let population =
        NetworkPopulation::from_lists(network.id(), network.payee(), list_date, practices)?;
    // A share of a national pot (2020/21 to 2022/23) needs the national weighted list,
    // which the ODS files do not hold: without --national-weighted the payment lines
    // are computed (the network's own list stands in as the national one, which
    // only the roles sum uses) and the sum is reported as a gap.
    let share_of_pot = matches!(
        rules.year(year)?.arrs.network_maximum,
        Some(pcn::budget::NetworkMaximum::ShareOfNationalPot { .. })
    );
    let own: u64 = population
        .practices
        .iter()
        .filter_map(|p| p.weighted.map(|c| c.count))
        .sum();
    let national = national_weighted.or(Some(own.max(1)));
    let schedule = rules.schedule(year, std::slice::from_ref(&population), national)?;
    statement.lines = schedule.lines;
    // Months the network was not open are paid to its practices' other networks.
    let mut closed_months = Vec::new();
    for (i, month) in year.months().into_iter().enumerate() {
        if month.date_range().intersection(&open).is_none() {
            closed_months.push(month);
            for line in &mut statement.lines {
                line.annual = line.annual.checked_sub(line.months[i])?;
                line.months[i] = Money::ZERO;
            }
        }
    }
    if let (Some(first), Some(last)) = (closed_months.first(), closed_months.last()) {
        let months = if first == last {
            format!("in {first}")
        } else {
            format!("from {first} to {last}")
        };
        statement.gaps.push(format!(
            "every payment: {} was not open {months}; those months are its practices' other networks'",
            network.label()
        ));
    }
    if let Some(allowance) = schedule.allowances.first() {
        statement.arrs_maximum = allowance.arrs_maximum;
        statement.gp_sum = allowance.gp_sum;
    }
    if share_of_pot && national_weighted.is_none() {
        statement.arrs_maximum = None;
        statement.gaps.push(
            format!("{}: the network's sum is its share of the national pot by weighted list; give the national weighted list (--national-weighted)", FundingStream::RoleReimbursement.label()),
        );
    }
    for gap in schedule.unpublished {
        statement
            .gaps
            .push(format!("{}: {}", gap.stream.label(), gap.note));
    }
    match beds {
        Some(beds) => statement.lines.extend(rules.care_home_premium(
            year,
            network.id(),
            population.payee,
            &[beds; 12],
        )?),
        None if !rules.year(year)?.care_home_premium.is_empty() => statement.gaps.push(
            format!("{}: paid per bed of the aligned care homes, which are not in the ODS files; give --beds", FundingStream::CareHomePremium.label()),
        ),
        None => {}
    }
    Ok(statement)
}

fn short(money: Money) -> String {
    let text = money.to_string();
    text.strip_suffix(".00").map_or(text.clone(), str::to_owned)
}

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

fn print_year(
    rules: &EntitlementRules,
    registry: &Registry,
    index: NetworkIndex,
    s: &Statement,
) -> Result<()> {
    let network = registry
        .network(index)
        .ok_or("network index out of range")?;
    println!(
        "{} - Network Contract DES entitlements {}, lists at {}",
        network.label(),
        s.year,
        s.list_date
    );
    if let Some(closed) = &s.closed {
        println!("  {closed}: no entitlements.");
        return Ok(());
    }
    println!("\nMember practices (as recorded in the ePCN file) and their registered lists:");
    for m in &s.members {
        let note = match m.stand_in {
            Some(date) => format!("  * the list of {date} stands in for {}", s.list_date),
            None => String::new(),
        };
        println!(
            "  {}  {:<44} {:>8}{note}",
            m.code,
            m.name,
            thousands(m.registered)
        );
    }
    let total: u64 = s.members.iter().map(|m| m.registered).sum();
    println!("  {:<52} {:>8}", "total", thousands(total));
    if s.stand_in_weighted() {
        println!(
            "  * the weighted and adjusted populations are not in the ODS files: the registered list stands in (give --lists)"
        );
    }

    let months = s.year.months();
    let payee = s.lines.first().map_or_else(String::new, |l| match l.payee {
        Party::Network(_) => {
            "the network (no nominated payee is recorded in the ODS files)".to_owned()
        }
        other => other.to_string(),
    });
    println!(
        "\nPayment lines (* on a stand-in list); network payments to {payee}, the participation payment to each practice:"
    );
    print!(
        "  {:<44} {:<22} {:>9} {:>9} ",
        "stream", "basis", "count", "rate"
    );
    for m in months {
        print!("{:>10}", month_name(m));
    }
    println!("{:>12}  source", "year");
    let mut by_month = [Money::ZERO; 12];
    let mut year_total = Money::ZERO;
    for line in &s.lines {
        let mark = if s.marked(line) { "*" } else { " " };
        let name = match line.payee {
            Party::Practice(id) if line.stream == FundingStream::NetworkParticipation => s
                .members
                .iter()
                .find(|m| PracticeId::from_ods(&m.code) == id)
                .map_or_else(
                    || line.stream.label().to_owned(),
                    |m| format!("{} {}", line.stream.label(), m.code),
                ),
            _ => line.stream.label().to_owned(),
        };
        print!(
            "  {:<44} {:<22} {:>8}{mark} {:>9} ",
            name,
            line.basis.label(),
            thousands(line.population),
            format!("{}/{}", line.rate, per(line)),
        );
        for (i, m) in line.months.iter().enumerate() {
            print!("{:>10}", short_money(*m));
            by_month[i] = by_month[i].checked_add(*m)?;
        }
        year_total = year_total.checked_add(line.annual)?;
        println!("{:>12}  {}", short(line.annual), line.source);
    }
    print!("  {:<44} {:<22} {:>9} {:>9} ", "total", "", "", "");
    for m in by_month {
        print!("{:>10}", short_money(m));
    }
    println!("{:>12}", short(year_total));

    let rules_year = rules.year(s.year)?;
    for p in &rules_year.payments {
        if let Some(r) = &p.revised {
            println!(
                "  {} revised from {} ({}) to {}, announced {}, backdated to {} ({})",
                p.stream.label(),
                r.previous_rate,
                r.previous_source,
                p.rate,
                r.announced,
                p.from,
                r.source
            );
        }
        if let Some(note) = &p.note {
            println!("  {} on the {}: {note}", p.stream.label(), p.basis.label());
        }
    }
    for gap in &s.gaps {
        println!("  not paid: {gap}");
    }

    println!("\nAdditional Roles Reimbursement Scheme:");
    match s.arrs_maximum {
        Some(sum) => println!(
            "  the network's maximum sum for the year: {sum}{}",
            if s.stand_in_weighted() {
                " * (on the registered list standing in for the weighted list)"
            } else {
                ""
            }
        ),
        None => println!(
            "  the network's maximum sum: {}",
            rules_year
                .arrs
                .note
                .as_deref()
                .unwrap_or("no combined sum this year")
        ),
    }
    if let Some(gp) = s.gp_sum {
        println!("  the ring-fenced GP sum (October to March): {gp}");
    }
    println!(
        "  reimbursed: {}% of actual pay and on-costs, up to each role's maximum per WTE a year:",
        rules_year.arrs.reimbursement_rate.millionths() / 10_000
    );
    for eligible in &rules_year.arrs.roles {
        let role = eligible.role;
        let first = eligible.from.unwrap_or(months[0]);
        // Each month the maximum changed (July 2023, October 2022 and 2024).
        let mut changes: Vec<(YearMonth, String)> = Vec::new();
        for month in months.iter().copied().filter(|m| *m >= first) {
            let text = cap_text(rules, role, month);
            if changes.last().is_none_or(|(_, last)| *last != text) {
                changes.push((month, text));
            }
        }
        let caps: Vec<String> = changes
            .iter()
            .map(|(month, text)| format!("from {month}: {text}"))
            .collect();
        let limit = match rules.headcount_limit(s.year, role, None, total) {
            Ok(Some(n)) => format!("; at most {n} for this list"),
            Ok(None) => String::new(),
            Err(_) => "; headcount limit not found".to_owned(),
        };
        println!("    {:<32} {}{limit}", role.label(), caps.join("; "));
    }
    if let Some(note) = &rules_year.arrs.note {
        println!("  {note}");
    }

    println!("\nInvestment and Impact Fund:");
    match rules.iif(s.year) {
        Err(e) => println!("  {e}"),
        Ok(iif) => {
            let value = iif
                .point_value
                .map_or("not found".to_owned(), |v| v.to_string());
            let points = iif.points.map_or("not found".to_owned(), |p| p.to_string());
            println!(
                "  point value {value}, points available {points}, {} to {} ({})",
                iif.from, iif.to, iif.source
            );
            for i in &iif.indicators {
                println!(
                    "    {} ({} points, lower threshold {}, upper {}): {}",
                    i.code, i.points, i.lower, i.upper, i.description
                );
            }
            if let Some(note) = &iif.note {
                println!("  {note}");
            }
            println!(
                "  (achievement payments need the network's numerators and denominators: see pcn_budget::Achievement)"
            );
        }
    }
    println!("\nSources:");
    let mut cited: Vec<&str> = s.lines.iter().map(|l| &*l.source).collect();
    cited.sort_unstable();
    cited.dedup();
    for id in cited {
        println!(
            "  {id}: {}",
            rules.citation(id).unwrap_or("(unknown source)")
        );
    }
    Ok(())
}

fn cap_text(rules: &EntitlementRules, role: Role, month: YearMonth) -> String {
    match rules.role_cap(role, month, PayArea::England) {
        Ok(cap) => {
            let source = rules
                .cap_record(role, None, month)
                .map_or(String::new(), |c| format!(" ({})", c.source));
            format!("{}{source}", short(cap))
        }
        Err(BudgetError::GradeRequired { grades, .. }) => {
            let parts: Vec<String> = grades
                .iter()
                .filter_map(|g| {
                    rules
                        .grade_cap(role, Some(*g), month, PayArea::England)
                        .ok()
                        .map(|c| format!("{g} {}", short(c)))
                })
                .collect();
            parts.join(", ")
        }
        Err(BudgetError::NoPublishedCap { .. }) => "maximum not found".to_owned(),
        Err(BudgetError::RoleNotReimbursable { .. }) => "not yet reimbursable".to_owned(),
        Err(other) => other.to_string(),
    }
}

fn month_name(m: YearMonth) -> String {
    const NAMES: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let name = NAMES[usize::try_from(m.month().saturating_sub(1)).unwrap_or(0) % 12];
    format!("{name} {}", m.year() % 100)
}

/// Whole pounds where the pennies are zero, else pounds and pence, without the sign.
fn short_money(m: Money) -> String {
    if m.is_zero() {
        "-".to_owned()
    } else {
        short(m).trim_start_matches('£').to_owned()
    }
}

fn per(line: &ScheduleLine) -> &'static str {
    match line.per {
        pcn::budget::RatePeriod::Year => "yr",
        pcn::budget::RatePeriod::Month => "mo",
        pcn::budget::RatePeriod::Period => "period",
    }
}

fn print_years(registry: &Registry, index: NetworkIndex, statements: &[Statement]) {
    let label = registry
        .network(index)
        .map_or_else(|| "network".to_owned(), pcn::network::Network::label);
    println!("{label} - Network Contract DES entitlements by year (* on a stand-in list)");
    print!("  {:<38}", "");
    for s in statements {
        print!("{:>17}", s.year.to_string());
    }
    println!();
    print!("  {:<38}", "registered list (1 January)");
    for s in statements {
        let total: u64 = s.members.iter().map(|m| m.registered).sum();
        let text = if s.closed.is_some() {
            "not open".to_owned()
        } else {
            format!(
                "{}{}",
                thousands(total),
                if s.stand_in_registered() { "*" } else { "" }
            )
        };
        print!("{text:>17}");
    }
    println!();
    let mut streams: Vec<FundingStream> = statements
        .iter()
        .flat_map(|s| s.lines.iter().map(|l| l.stream))
        .collect();
    streams.sort_unstable();
    streams.dedup();
    let mut totals = vec![Money::ZERO; statements.len()];
    for stream in streams {
        print!("  {:<38}", stream.label());
        for (i, s) in statements.iter().enumerate() {
            let lines: Vec<&ScheduleLine> = s.lines.iter().filter(|l| l.stream == stream).collect();
            let sum = lines
                .iter()
                .try_fold(Money::ZERO, |acc, l| acc.checked_add(l.annual))
                .unwrap_or(Money::ZERO);
            let gap = s.gaps.iter().any(|g| g.starts_with(stream.label()));
            totals[i] = totals[i].checked_add(sum).unwrap_or(totals[i]);
            let mark = if lines.iter().any(|l| s.marked(l)) {
                "*"
            } else {
                ""
            };
            let text = if lines.is_empty() {
                if gap {
                    "gap".to_owned()
                } else {
                    "-".to_owned()
                }
            } else {
                format!("{}{mark}{}", short(sum), if gap { " gap" } else { "" })
            };
            print!("{text:>17}");
        }
        println!();
    }
    print!("  {:<38}", "total paid");
    for t in &totals {
        print!("{:>17}", short(*t));
    }
    println!();
    print!("  {:<38}", "additional roles maximum sum");
    for s in statements {
        let text = s.arrs_maximum.map_or("-".to_owned(), |m| {
            format!(
                "{}{}",
                short(m),
                if s.stand_in_weighted() { "*" } else { "" }
            )
        });
        print!("{text:>17}");
    }
    println!();
    println!("\nGaps (rates not found in a published source, or inputs not in the files):");
    for s in statements {
        for gap in &s.gaps {
            println!("  {}: {gap}", s.year);
        }
    }
}

fn print_csv(statements: &[Statement]) {
    println!(
        "year,stream,basis,payee,population,stand_in,rate,per,apr,may,jun,jul,aug,sep,oct,nov,dec,jan,feb,mar,annual,source"
    );
    for s in statements {
        for line in &s.lines {
            let months: Vec<String> = line.months.iter().map(|m| pence(*m)).collect();
            println!(
                "{},{},{},{},{},{},{},{},{},{},{}",
                s.year,
                line.stream,
                line.basis.label(),
                line.payee,
                line.population,
                s.marked(line),
                line.rate.to_string().trim_start_matches('£'),
                per(line),
                months.join(","),
                pence(line.annual),
                line.source
            );
        }
    }
}

/// Money as plain pounds and pence for CSV ("1234.56").
fn pence(m: Money) -> String {
    let p = m.pence();
    let sign = if p < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", (p / 100).abs(), (p % 100).abs())
}
