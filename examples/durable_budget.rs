//! A Primary Care Network's year of spending, kept in a durable store that survives
//! the process stopping.
//!
//! The example runs twice over the same SQLite file: first as a child process that
//! opens the store, posts the network's accounts and a year of monthly funding,
//! pay and purchases (each month's pay and purchases from three threads at once,
//! sharing commits through a `SharedStore`; closing each month), and exits; then
//! the parent, as an application would after a restart, reopens the store,
//! verifies its hash chain and prints each account's balance by name. The amounts
//! are illustrative, not published rates (see the `unified_budget` example for the
//! published entitlements).
//!
//! Run with `cargo run --release --example durable_budget`
//! (`-- --store PATH` to keep the store, `-- --help` for the options).

use std::path::{Path, PathBuf};
use std::process::Command;

use pcn::budget::{
    Account, Actor, Batch, FundingStream, Party, Provenance, Purpose, Reason, Transfer,
};
use pcn::core::{AccountId, FinancialYear, Money, NetworkId, OrganisationId, Role, TransferId};
use pcn::store::{SharedStore, Store};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

const HELP: &str = "durable_budget: a PCN's year of spending in a durable SQLite store

Posts a year of a network's funding and spending into a store in a child process,
lets that process end, then reopens the store, verifies it and prints the balances.

Options:
  --store PATH   the store file (default: a new file in the temporary folder, removed after)
  --help         this text";

const NETWORK: Party = Party::Network(NetworkId::from_u128(1));
const COUNCIL: Party = Party::Organisation(OrganisationId::from_u128(2));
const TRUST: Party = Party::Organisation(OrganisationId::from_u128(3));

const CORE: AccountId = AccountId::from_u128(1);
const ARRS: AccountId = AccountId::from_u128(2);
const SOCIAL_CARE: AccountId = AccountId::from_u128(3);
const POOL: AccountId = AccountId::from_u128(4);
const ROLES: AccountId = AccountId::from_u128(5);
const PHARMACISTS: AccountId = AccountId::from_u128(6);
const LINK_WORKERS: AccountId = AccountId::from_u128(7);
const SERVICES: AccountId = AccountId::from_u128(8);

fn accounts() -> Vec<Account> {
    let pharmacist = Purpose::Role(Role::ClinicalPharmacist);
    let link_worker = Purpose::Role(Role::SocialPrescribingLinkWorker);
    vec![
        Account::funding(
            CORE,
            "Core PCN funding",
            FundingStream::CoreNetworkFunding,
            NETWORK,
        ),
        Account::funding(
            ARRS,
            "Additional roles reimbursement",
            FundingStream::RoleReimbursement,
            NETWORK,
        )
        .ring_fenced_to([pharmacist, link_worker]),
        Account::funding(
            SOCIAL_CARE,
            "Council social care contribution",
            FundingStream::SocialCareContribution,
            COUNCIL,
        )
        .with_floor(Money::from_pence(-6_000_000)),
        Account::pot(POOL, "Pooled budget", NETWORK, Purpose::General),
        Account::pot(ROLES, "Additional roles pot", NETWORK, pharmacist)
            .ring_fenced_to([pharmacist, link_worker]),
        Account::spending(PHARMACISTS, "Clinical pharmacists' pay", TRUST, pharmacist),
        Account::spending(LINK_WORKERS, "Link workers' pay", COUNCIL, link_worker),
        Account::spending(
            SERVICES,
            "Community services bought",
            TRUST,
            Purpose::General,
        ),
    ]
}

/// A year of monthly transfers. Each month the funding arrives in one batch; then
/// the trust's payroll, the council's payroll and the pool's purchases are posted
/// at once, each from a thread of its own, through a [`SharedStore`] (as a server
/// hands one to each request: their batches share commits); then the month is
/// closed.
fn post_year(path: &Path) -> Result<()> {
    let mut store = Store::open(path)?;
    store.open_accounts(&accounts())?;
    let shared: SharedStore = store.share();
    let year = FinancialYear::constant(2024);
    let by = Actor::System(NETWORK);
    let mut next = 0u128;
    let mut id = || {
        next += 1;
        TransferId::from_u128(next)
    };
    for month in year.months() {
        let day = month
            .first_day()
            .checked_add_days(chrono::Days::new(27))
            .ok_or("date")?;
        let why = |reason| Provenance::new(day, by, reason);
        let pence = Money::from_pence;
        let funding = Batch::from(vec![
            Transfer::posted(id(), CORE, POOL, pence(9_500_000), why(Reason::Funding))?,
            Transfer::posted(
                id(),
                SOCIAL_CARE,
                POOL,
                pence(500_000),
                why(Reason::Contribution),
            )?,
            Transfer::posted(
                id(),
                ARRS,
                ROLES,
                pence(1_150_000),
                why(Reason::Reimbursement),
            )?,
        ]);
        shared.post(funding)?;
        let spending = [
            Transfer::posted(id(), ROLES, PHARMACISTS, pence(820_000), why(Reason::Pay))?,
            Transfer::posted(id(), ROLES, LINK_WORKERS, pence(310_000), why(Reason::Pay))?,
            Transfer::posted(
                id(),
                POOL,
                SERVICES,
                pence(8_900_000),
                why(Reason::Purchase),
            )?,
        ];
        std::thread::scope(|scope| -> Result<()> {
            let posting: Vec<_> = spending
                .into_iter()
                .map(|transfer| {
                    let shared = shared.clone();
                    scope.spawn(move || shared.post(Batch::from(vec![transfer])))
                })
                .collect();
            for thread in posting {
                thread.join().map_err(|_| "a posting thread failed")??;
            }
            Ok(())
        })?;
        shared.with(|store| store.close_month(month, by))?;
    }
    shared.with(Store::snapshot)?;
    Ok(())
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{HELP}");
        return Ok(());
    }
    let mut store: Option<PathBuf> = None;
    let mut child = false;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--store" => {
                store = Some(args.get(i + 1).ok_or("--store needs a path")?.into());
                i += 1;
            }
            "--post-year" => child = true,
            other => return Err(format!("unknown option {other:?}; see --help").into()),
        }
        i += 1;
    }
    let temporary = store.is_none();
    let path = store.unwrap_or_else(|| {
        std::env::temp_dir().join(format!("durable_budget-{}.db", std::process::id()))
    });
    if child {
        return post_year(&path);
    }

    // The first run of the application: a process of its own, which then ends.
    println!(
        "Posting a year of the network's budget into {} (each month's pay and purchases from three threads at once)",
        path.display()
    );
    let status = Command::new(std::env::current_exe()?)
        .args(["--post-year", "--store"])
        .arg(&path)
        .status()?;
    if !status.success() {
        return Err(format!("the posting process failed: {status}").into());
    }

    // After the restart: reopen, verify, read.
    let mut store = Store::open(&path)?;
    let report = store.verify()?;
    println!(
        "Reopened after the process ended: {} journal records, {} transfers; hash chain {}",
        report.records,
        store.ledger().transfer_count(),
        if report.is_ok() {
            "verified"
        } else {
            "DAMAGED"
        }
    );
    for problem in &report.problems {
        println!("  problem: {}", problem.problem);
    }
    println!(
        "Months closed through {}\n",
        store
            .ledger()
            .closed_through()
            .map_or_else(|| "none".to_owned(), |m| m.to_string())
    );
    println!("{:<34} {:>16}", "account", "balance");
    for account in store.ledger().accounts() {
        let balance = store
            .ledger()
            .balance(account.id())
            .map_or(Money::ZERO, |b| b.balance());
        println!("{:<34} {:>16}", account.name(), balance.to_string());
    }
    println!(
        "\nSum of all balances: {} pence (double entry)",
        store.ledger().sum_of_balances()
    );
    drop(store);
    if temporary {
        for suffix in ["", "-wal", "-shm", "-lock"] {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(name));
        }
    }
    Ok(())
}

fn main() {
    if let Err(error) = run() {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}
