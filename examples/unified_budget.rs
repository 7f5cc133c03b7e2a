//! A year's unified budget for one Primary Care Network, 2024/25.
//!
//! Builds the pooled budget from the network's published entitlements (core PCN
//! funding, enhanced access, the capacity and access payments, the participation
//! payment to each practice, the additional roles maximum) and its partners' contributions (a community trust, the
//! local authority, the Better Care Fund, the commissioner), spends it month by
//! month on the team (two-phase commitments for pay, role reimbursement claims, a
//! correction by reversal after a month is closed), and prints the views: by funding
//! stream, purpose, provider, role and month, planned against actual, and the
//! year-end risk and gain share.
//!
//! Run with `cargo run --release --example unified_budget`.

use chrono::{Days, NaiveDate};
use pcn::budget::{
    Account, Actor, Batch, BudgetError, ClaimBook, EntitlementRules, FundingStream, Ledger,
    NetworkPopulation, Party, PayArea, Plan, PopulationCount, PracticePopulation, Provenance,
    Purpose, Reason, ReimbursementClaim, RiskShare, Share, Transfer, ViewRow,
};
use pcn::core::{
    AccountId, FinancialYear, Money, NetworkId, OdsCode, OrganisationId, PracticeId, Role,
    ServiceId, StaffId, TransferId, Wte, YearMonth,
};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// A member of the team: role, employer, WTE and monthly pay and on-costs.
struct Post {
    staff: StaffId,
    role: Role,
    /// The first month in post.
    from: YearMonth,
    wte: Wte,
    pay: Money,
    on_costs: Money,
}

/// Ids handed out in order, so that transfer ids are time-ordered like UUIDv7.
struct Ids(u128);

impl Ids {
    fn next(&mut self) -> TransferId {
        self.0 += 1;
        TransferId::from_u128(self.0)
    }
}

fn money(text: &str) -> Result<Money> {
    Ok(text.parse()?)
}

fn row<K>(label: &str, r: &ViewRow<K>) {
    let t = r.totals;
    println!(
        "  {:<34} {:>15} {:>15} {:>13} {:>15}",
        label,
        t.funded.to_string(),
        t.held.to_string(),
        t.committed.to_string(),
        t.spent.to_string()
    );
}

fn header(title: &str) {
    println!("\n{title}");
    println!(
        "  {:<34} {:>15} {:>15} {:>13} {:>15}",
        "", "funded", "held", "committed", "spent"
    );
}

fn run() -> Result<()> {
    if std::env::args().skip(1).any(|a| a == "--help" || a == "-h") {
        println!(
            "usage: unified_budget (no options): a network's pooled budget for 2024/25, its spending and views"
        );
        return Ok(());
    }
    if let Some(other) = std::env::args().nth(1) {
        eprintln!(
            "unknown option {other:?}\nusage: unified_budget (no options): a network's pooled budget for 2024/25, its spending and views"
        );
        std::process::exit(2);
    }
    let rules = EntitlementRules::published()?;
    let year = FinancialYear::constant(2024);
    let january = NaiveDate::from_ymd_opt(2024, 1, 1).ok_or("bad date")?;

    // The network and its five member practices, lists at 1 January 2024.
    let network_code: OdsCode = "U12345".parse()?;
    let network_id = NetworkId::from_ods(&network_code);
    let lists = [
        ("A81001", 11_250, 11_930, 11_400),
        ("A81002", 9_870, 10_120, 9_990),
        ("A81003", 12_400, 11_780, 12_520),
        ("A81004", 7_560, 8_210, 7_700),
        ("A81005", 8_920, 9_040, 9_010),
    ];
    let mut practices = Vec::new();
    for (code, registered, weighted, adjusted) in lists {
        practices.push(PracticePopulation {
            practice: PracticeId::from_ods(&code.parse()?),
            registered: Some(PopulationCount::new(registered, january)),
            weighted: Some(PopulationCount::new(weighted, january)),
            adjusted: Some(PopulationCount::new(adjusted, january)),
        });
    }
    let payee = Party::Practice(practices[0].practice);
    let population = NetworkPopulation {
        network: network_id,
        payee,
        practices,
    };
    let schedule = rules.schedule(year, std::slice::from_ref(&population), None)?;

    println!("Entitlements of network {network_code} in {year} (published rules)");
    for line in &schedule.lines {
        println!(
            "  {:<40} {:<20} {:>7} x {:>7}/{:<6} = {:>13} a year, {:>11} in April  [{}]",
            line.stream.label(),
            line.basis.label(),
            line.population,
            line.rate.to_string(),
            format!("{:?}", line.per).to_lowercase(),
            line.annual.to_string(),
            line.months[0].to_string(),
            line.source
        );
    }
    let arrs_maximum = schedule.allowances[0]
        .arrs_maximum
        .ok_or("no additional roles maximum for the year")?;
    println!("  additional roles maximum sum: {arrs_maximum}");
    for gap in &schedule.unpublished {
        println!(
            "  not paid (rate unpublished): {} - {}",
            gap.stream.label(),
            gap.note
        );
    }
    for payee_total in schedule.by_payee()? {
        let role = if payee_total.key == payee {
            "nominated payee"
        } else {
            "member"
        };
        // Practices by their ODS codes, as the schedule's reader knows them.
        let code = lists
            .iter()
            .find(|(code, ..)| {
                code.parse()
                    .is_ok_and(|c| Party::Practice(PracticeId::from_ods(&c)) == payee_total.key)
            })
            .map_or_else(
                || payee_total.key.to_string(),
                |(code, ..)| format!("practice {code}"),
            );
        println!("  {role} {code}: {} a year", payee_total.annual);
    }

    // The partners.
    let pcn = Party::Network(network_id);
    let trust = Party::Organisation(OrganisationId::from_u128(0x7255));
    let council = Party::Organisation(OrganisationId::from_u128(0xC0C1));
    let icb = Party::Organisation(OrganisationId::from_u128(0x1CB));
    let voluntary = Party::Organisation(OrganisationId::from_u128(0xF01));

    // The accounts.
    let id = AccountId::from_u128;
    let (core_in, access_in, capacity_in, arrs_in) = (id(1), id(2), id(3), id(4));
    let improvement_in = id(9);
    let (trust_in, council_in, bcf_in, icb_in) = (id(5), id(6), id(7), id(8));
    let (pool, access_pot) = (id(10), id(11));
    let (access_sessions, link_service, premises) = (id(20), id(21), id(22));
    let arrs_roles = [
        Role::ClinicalPharmacist,
        Role::PharmacyTechnician,
        Role::AdvancedPractitioner,
    ];
    let role_purposes: Vec<Purpose> = arrs_roles.iter().map(|r| Purpose::Role(*r)).collect();
    let role_pot = |i: usize| id(30 + i as u128);
    let role_pay = |i: usize| id(40 + i as u128);

    let mut ledger = Ledger::new();
    ledger.open(Account::funding(
        core_in,
        "Core PCN funding",
        FundingStream::CoreNetworkFunding,
        icb,
    ))?;
    ledger.open(
        Account::funding(
            access_in,
            "Enhanced access",
            FundingStream::EnhancedAccess,
            icb,
        )
        .ring_fenced_to([Purpose::Access]),
    )?;
    ledger.open(Account::funding(
        capacity_in,
        "Capacity and access support",
        FundingStream::CapacityAndAccessSupport,
        icb,
    ))?;
    ledger.open(Account::funding(
        improvement_in,
        "Capacity and access improvement",
        FundingStream::CapacityAndAccessImprovement,
        icb,
    ))?;
    ledger.open(
        Account::funding(
            arrs_in,
            "Additional roles",
            FundingStream::RoleReimbursement,
            icb,
        )
        .with_floor(Money::ZERO.checked_sub(arrs_maximum)?)
        .ring_fenced_to(role_purposes.clone()),
    )?;
    let contributions = [
        (
            trust_in,
            "Community trust",
            FundingStream::PartnerContribution,
            trust,
            "£240,000",
        ),
        (
            council_in,
            "Local authority social care",
            FundingStream::SocialCareContribution,
            council,
            "£120,000",
        ),
        (
            bcf_in,
            "Better Care Fund",
            FundingStream::PooledFund,
            council,
            "£84,000",
        ),
        (
            icb_in,
            "ICB investment",
            FundingStream::CommissionerInvestment,
            icb,
            "£60,000",
        ),
    ];
    for (account, name, stream, owner, agreed) in contributions {
        // A partner cannot pay in more than it agreed.
        let floor = Money::ZERO.checked_sub(money(agreed)?)?;
        ledger.open(Account::funding(account, name, stream, owner).with_floor(floor))?;
    }
    ledger.open(Account::pot(pool, "Pooled budget", pcn, Purpose::General))?;
    ledger.open(
        Account::pot(access_pot, "Enhanced access pot", pcn, Purpose::Access)
            .ring_fenced_to([Purpose::Access]),
    )?;
    let link_service_id = ServiceId::from_u128(0x5E);
    ledger.open(Account::spending(
        access_sessions,
        "Enhanced access sessions",
        payee,
        Purpose::Access,
    ))?;
    ledger.open(Account::spending(
        link_service,
        "Social prescribing service",
        voluntary,
        Purpose::Service(link_service_id),
    ))?;
    ledger.open(Account::spending(
        premises,
        "Premises and IT",
        pcn,
        Purpose::General,
    ))?;
    for (i, role) in arrs_roles.iter().enumerate() {
        let purpose = Purpose::Role(*role);
        ledger.open(
            Account::pot(role_pot(i), format!("{} pot", role.label()), pcn, purpose)
                .ring_fenced_to([purpose]),
        )?;
        ledger.open(Account::spending(
            role_pay(i),
            format!("{} pay", role.label()),
            trust,
            purpose,
        ))?;
    }

    // The team, employed by the community trust.
    let april = year.months()[0];
    let october = year.months()[6];
    let posts = [
        Post {
            staff: StaffId::from_u128(1),
            role: Role::ClinicalPharmacist,
            from: april,
            wte: Wte::FULL_TIME,
            pay: money("£4,420")?,
            on_costs: money("£1,150")?,
        },
        Post {
            staff: StaffId::from_u128(2),
            role: Role::ClinicalPharmacist,
            from: april,
            wte: "0.6".parse()?,
            pay: money("£2,652")?,
            on_costs: money("£690")?,
        },
        Post {
            staff: StaffId::from_u128(3),
            role: Role::PharmacyTechnician,
            from: april,
            wte: Wte::FULL_TIME,
            pay: money("£2,830")?,
            on_costs: money("£720")?,
        },
        Post {
            staff: StaffId::from_u128(4),
            role: Role::AdvancedPractitioner,
            // Joins in October 2024, the month the published maximum for advanced
            // practitioners starts (the-pharmacist-2024-10): no figure for April to
            // September 2024 was found, and a claim without one is refused.
            from: october,
            wte: "0.8".parse()?,
            pay: money("£3,950")?,
            on_costs: money("£1,030")?,
        },
        Post {
            staff: StaffId::from_u128(5),
            role: Role::PharmacyTechnician,
            from: april,
            wte: "0.6".parse()?,
            pay: money("£1,698")?,
            on_costs: money("£432")?,
        },
    ];
    let role_index = |role: Role| {
        arrs_roles
            .iter()
            .position(|r| *r == role)
            .ok_or("role without a pot")
    };

    // The plan for the year's spending, by purpose.
    let mut plan = Plan::new();
    for post in &posts {
        let months_in_post = i64::from(13 - post.from.financial_month_number());
        let year_cost = post
            .pay
            .checked_add(post.on_costs)?
            .checked_mul(months_in_post)?;
        let purpose = Purpose::Role(post.role);
        let planned = plan.planned(&purpose).unwrap_or(Money::ZERO);
        plan.set(purpose, planned.checked_add(year_cost)?);
    }
    // A further pharmacy technician was planned from October but not recruited.
    let second = money("£3,550")?.checked_mul(6)?;
    let technicians = plan
        .planned(&Purpose::Role(Role::PharmacyTechnician))
        .unwrap_or(Money::ZERO);
    plan.set(
        Purpose::Role(Role::PharmacyTechnician),
        technicians.checked_add(second)?,
    );
    plan.set(Purpose::Access, money("£380,000")?);
    plan.set(Purpose::Service(link_service_id), money("£54,000")?);
    plan.set(Purpose::General, money("£36,000")?);

    let mut claims = ClaimBook::new(network_id, year, arrs_maximum);
    let mut ids = Ids(0);
    let by = Actor::System(pcn);
    let mut refusals: Vec<String> = Vec::new();
    let mut duplicate_invoice = None;

    for (m, month) in year.months().into_iter().enumerate() {
        let first = month.first_day();
        let payday = first.checked_add_days(Days::new(24)).ok_or("bad date")?;
        let on = |day: NaiveDate, reason| Provenance::new(day, by, reason);
        let mut batch = Batch::new();
        // 1. Entitlements for the month, from the schedule. The participation
        //    payment is paid to each practice, not to the network's budget.
        for line in &schedule.lines {
            let amount = line.months[m];
            if amount.is_zero() {
                continue;
            }
            let (from, to) = match line.stream {
                FundingStream::CoreNetworkFunding => (core_in, pool),
                FundingStream::EnhancedAccess => (access_in, access_pot),
                FundingStream::CapacityAndAccessSupport => (capacity_in, pool),
                FundingStream::CapacityAndAccessImprovement => (improvement_in, pool),
                FundingStream::NetworkParticipation => continue,
                other => return Err(format!("no account for {other}").into()),
            };
            batch.push(Transfer::posted(
                ids.next(),
                from,
                to,
                amount,
                on(first, Reason::Funding),
            )?);
        }
        // 2. Partners' contributions, in twelfths.
        for (account, _, _, _, agreed) in contributions {
            let part = money(agreed)?.allocate(&[1; 12])?[m];
            batch.push(Transfer::posted(
                ids.next(),
                account,
                pool,
                part,
                on(first, Reason::Contribution),
            )?);
        }
        ledger.apply(&batch)?;

        // 3. Pay: reimbursement claims into each role's pot, the pool tops up the
        //    rest; a commitment is reserved on the 1st and posted on payday.
        let mut pay = Batch::new();
        for post in posts.iter().filter(|p| p.from <= month) {
            let i = role_index(post.role)?;
            let cost = post.pay.checked_add(post.on_costs)?;
            let claim = ReimbursementClaim {
                staff: post.staff,
                role: post.role,
                month,
                wte: post.wte,
                pay: post.pay,
                on_costs: post.on_costs,
                area: PayArea::England,
            };
            let reimbursed = match claims.submit(rules, claim) {
                Ok(r) => r.reimbursable,
                Err(
                    refused @ (BudgetError::NoPublishedCap { .. }
                    | BudgetError::RoleNotReimbursable { .. }),
                ) => {
                    refusals.push(format!("{month} {}: {refused}", post.role));
                    Money::ZERO
                }
                Err(other) => return Err(other.into()),
            };
            if !reimbursed.is_zero() {
                pay.push(Transfer::posted(
                    ids.next(),
                    arrs_in,
                    role_pot(i),
                    reimbursed,
                    on(payday, Reason::Reimbursement),
                )?);
            }
            let top_up = cost.checked_sub(reimbursed)?;
            if !top_up.is_zero() {
                pay.push(Transfer::posted(
                    ids.next(),
                    pool,
                    role_pot(i),
                    top_up,
                    on(first, Reason::Allocation),
                )?);
            }
            let commitment = ids.next();
            pay.push(Transfer::pending(
                commitment,
                role_pot(i),
                role_pay(i),
                cost,
                on(first, Reason::Commitment),
            )?);
            pay.push(Transfer::post_pending(
                ids.next(),
                commitment,
                None,
                on(payday, Reason::Pay),
            )?);
        }
        // 4. Services and running costs.
        let sessions = money("£31,500")?;
        pay.push(Transfer::posted(
            ids.next(),
            access_pot,
            access_sessions,
            sessions,
            on(payday, Reason::Purchase),
        )?);
        pay.push(Transfer::posted(
            ids.next(),
            pool,
            link_service,
            money("£4,500")?,
            on(payday, Reason::Purchase),
        )?);
        let invoice = ids.next();
        pay.push(Transfer::posted(
            invoice,
            pool,
            premises,
            money("£3,000")?,
            on(payday, Reason::Purchase),
        )?);
        if month == "2024-06".parse::<YearMonth>()? {
            // The June premises invoice is paid twice by mistake.
            let twice = ids.next();
            pay.push(Transfer::posted(
                twice,
                pool,
                premises,
                money("£3,000")?,
                on(payday, Reason::Purchase).with_note("premises invoice 4471 (paid twice)"),
            )?);
            duplicate_invoice = Some(twice);
        }
        ledger.apply(&pay)?;

        // 5. The mistake is found after June is closed: corrected by a reversal in July.
        if month == "2024-07".parse::<YearMonth>()?
            && let Some(twice) = duplicate_invoice
        {
            let fix = Provenance::new(
                first.checked_add_days(Days::new(2)).ok_or("bad date")?,
                Actor::Staff(StaffId::from_u128(99)),
                Reason::Correction,
            )
            .with_note("reverses the duplicate June premises payment");
            ledger.apply_transfer(&Transfer::reversal(ids.next(), twice, fix))?;
        }
        if month == "2025-03".parse::<YearMonth>()? {
            // Locum sessions booked in March and not yet invoiced: reserved, not spent.
            let locum = Provenance::new(payday, by, Reason::Commitment)
                .with_note("locum sessions, invoice awaited");
            ledger.apply_transfer(&Transfer::pending(
                ids.next(),
                pool,
                premises,
                money("£8,000")?,
                locum,
            )?)?;
        }
        ledger.close_month(month, by)?;
    }

    // Ring-fenced role reimbursement cannot pay for premises.
    let april = year.next().first_day();
    let misuse = Transfer::posted(
        ids.next(),
        arrs_in,
        premises,
        money("£500")?,
        Provenance::new(april, by, Reason::Purchase),
    )?;
    if let Err(refused) = ledger.apply_transfer(&misuse) {
        println!(
            "\nRefused: {}",
            in_names(&refused.to_string(), &ledger, &misuse)
        );
    }
    // A transfer dated in a closed month is refused.
    let late = Transfer::posted(
        ids.next(),
        pool,
        premises,
        money("£1")?,
        Provenance::new(january, by, Reason::Purchase),
    )?;
    if let Err(refused) = ledger.apply_transfer(&late) {
        println!(
            "\nRefused: {}",
            in_names(&refused.to_string(), &ledger, &late)
        );
    }

    println!(
        "\nClaims: {} accepted, {} reimbursed of a maximum of {} ({} unclaimed, lost at year end)",
        claims.claims().len(),
        claims.reimbursed(),
        claims.maximum(),
        claims.remaining()
    );
    refusals.dedup_by(|a, b| a.split(':').nth(1) == b.split(':').nth(1));
    for refusal in refusals.iter().take(4) {
        println!("  refused {refusal}");
    }

    let party_name = |party: Party| -> String {
        match party {
            p if p == pcn => format!("network {network_code}"),
            p if p == trust => "community trust".to_owned(),
            p if p == council => "local authority".to_owned(),
            p if p == icb => "integrated care board".to_owned(),
            p if p == voluntary => "voluntary organisation".to_owned(),
            p if p == payee => "payee practice A81001".to_owned(),
            other => other.to_string(),
        }
    };
    let purpose_name = |purpose: Purpose| -> String {
        match purpose {
            Purpose::Service(s) if s == link_service_id => "social prescribing service".to_owned(),
            other => other.to_string(),
        }
    };
    header("By funding stream");
    for r in ledger.by_funding_stream()? {
        row(r.key.name(), &r);
    }
    header("By purpose");
    for r in ledger.by_purpose()? {
        row(&purpose_name(r.key), &r);
    }
    header("By owner organisation");
    for r in ledger.by_owner()? {
        row(&party_name(r.key), &r);
    }
    header("By role");
    for r in ledger.by_role()? {
        row(r.key.label(), &r);
    }
    header("By month");
    for r in ledger.by_month(year)? {
        row(&r.key.to_string(), &r);
    }

    println!("\nPlanned against actual spending, by purpose");
    let actual: Vec<(Purpose, Money)> = ledger
        .totals_by(|a| (a.kind() == pcn::budget::AccountKind::Spending).then_some(a.purpose()))?
        .into_iter()
        .map(|r| (r.key, r.totals.spent))
        .collect();
    for line in plan.compare(actual)? {
        println!(
            "  {:<34} planned {:>13} actual {:>13} variance {:>12}",
            purpose_name(line.key),
            line.planned.to_string(),
            line.actual.to_string(),
            line.variance.to_string()
        );
    }

    let left = ledger.balance(pool).ok_or("no pool")?.available();
    let agreement = RiskShare::new(
        vec![
            Share {
                party: pcn,
                ratio: 50,
            },
            Share {
                party: trust,
                ratio: 30,
            },
            Share {
                party: council,
                ratio: 20,
            },
        ],
        vec![
            Share {
                party: pcn,
                ratio: 1,
            },
            Share {
                party: trust,
                ratio: 1,
            },
            Share {
                party: council,
                ratio: 1,
            },
        ],
    )?;
    println!("\nYear end: {left} left uncommitted in the pooled budget, shared 50:30:20");
    for share in agreement.split(left)? {
        println!("  {}: {}", party_name(share.party), share.amount);
    }
    println!(
        "\n{} transfers; balances sum to {} pence; months closed to {}",
        ledger.transfer_count(),
        ledger.sum_of_balances(),
        ledger.closed_through().ok_or("none closed")?
    );
    Ok(())
}

fn main() {
    if let Err(error) = run() {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}

/// A refusal as a reader would say it: "the transfer", and each account by its
/// name, never by id.
fn in_names(text: &str, ledger: &Ledger, transfer: &Transfer) -> String {
    let mut out = text.replace(&format!("transfer {}", transfer.id()), "the transfer");
    for account in ledger.accounts() {
        let id = account.id().to_string();
        out = out
            .replace(&format!("{id} ({})", account.name()), account.name())
            .replace(&id, account.name());
    }
    out
}
