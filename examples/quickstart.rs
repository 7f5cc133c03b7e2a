//! A first look at the shared vocabulary: a practice, a patient, a year's core network
//! funding and its split between partners.
//!
//! Run with `cargo run --release --example quickstart`.

use chrono::NaiveDate;
use pcn::core::{FinancialYear, Money, NhsNumber, OdsCode, Timeline, UnitPrice, Wte};

fn run() -> Result<(), Box<dyn std::error::Error>> {
    if std::env::args().skip(1).any(|a| a == "--help" || a == "-h") {
        println!("usage: quickstart (no options): the shared vocabulary in a few lines");
        return Ok(());
    }
    if let Some(other) = std::env::args().nth(1) {
        eprintln!(
            "unknown option {other:?}\nusage: quickstart (no options): the shared vocabulary in a few lines"
        );
        std::process::exit(2);
    }
    let practice: OdsCode = "A81001".parse()?;
    let patient = NhsNumber::test_number(0).ok_or("no test NHS number")?;
    println!(
        "practice {practice} ({:?}), patient {patient}",
        practice.kind()
    );

    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).ok_or("bad date");
    let mut list_size = Timeline::new();
    list_size.set(date(2023, 1, 1)?, 10_250u64);
    list_size.set(date(2023, 4, 1)?, 10_400u64);

    let year: FinancialYear = "2023/24".parse()?;
    let january = date(year.start_year(), 1, 1)?;
    let list = *list_size
        .value_on(january)
        .ok_or("no list size on 1 January")?;
    let funding = "£1.50".parse::<UnitPrice>()?.times(list)?;
    println!("{year}: list of {list} on {january} gives core funding of {funding}");

    let shares = funding.allocate(&[2, 1, 1])?;
    for (partner, share) in ["practice", "community trust", "local authority"]
        .iter()
        .zip(&shares)
    {
        println!("  {partner:>16}: {share}");
    }
    let total = shares.iter().sum::<Option<Money>>().ok_or("overflow")?;
    println!("  {:>16}: {total}", "total");

    let pharmacist: Wte = "0.6".parse()?;
    println!(
        "a {pharmacist} WTE pharmacist works {} minutes a week",
        pharmacist.weekly_minutes()
    );
    Ok(())
}

fn main() {
    if let Err(error) = run() {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}
