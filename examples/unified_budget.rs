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
    Account, AccountKind, Actor, Batch, BudgetError, ClaimBook, EntitlementRules, FundingStream,
    Ledger, NetworkPopulation, Party, PayArea, Plan, PopulationCount, PracticePopulation,
    Provenance, Purpose, Reason, ReimbursementClaim, RiskShare, Schedule, Share, Transfer, ViewRow,
};
use pcn::core::{
    AccountId, FinancialYear, Money, NetworkId, OdsCode, OrganisationId, PracticeId, Role,
    ServiceId, StaffId, TransferId, Wte, YearMonth,
};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

const USAGE: &str = "usage: unified_budget (no options): a network's pooled budget for 2024/25, its spending and views";

/// The roles the network claims reimbursement for, each with a pot and a pay account.
const ARRS_ROLES: [Role; 3] = [
    Role::ClinicalPharmacist,
    Role::PharmacyTechnician,
    Role::AdvancedPractitioner,
];

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

/// The network: its ODS code, its member practices' codes, and their lists.
struct Network {
    code: OdsCode,
    members: Vec<OdsCode>,
    population: NetworkPopulation,
}

impl Network {
    fn id(&self) -> NetworkId {
        self.population.network
    }

    /// The member practice's ODS code, as the schedule's reader knows it.
    fn member_code(&self, party: Party) -> Option<&OdsCode> {
        self.members
            .iter()
            .find(|code| Party::Practice(PracticeId::from_ods(code)) == party)
    }
}

/// The organisations of the budget: the network, its partners, and the practice
/// that is its nominated payee.
struct Partners {
    network_code: OdsCode,
    /// The nominated payee's ODS code, when it is a member practice.
    payee_code: Option<OdsCode>,
    pcn: Party,
    trust: Party,
    council: Party,
    icb: Party,
    voluntary: Party,
    payee: Party,
}

impl Partners {
    fn of(network: &Network) -> Self {
        Self {
            network_code: network.code,
            payee_code: network.member_code(network.population.payee).copied(),
            pcn: Party::Network(network.id()),
            trust: Party::Organisation(OrganisationId::from_u128(0x7255)),
            council: Party::Organisation(OrganisationId::from_u128(0xC0C1)),
            icb: Party::Organisation(OrganisationId::from_u128(0x1CB)),
            voluntary: Party::Organisation(OrganisationId::from_u128(0xF01)),
            payee: network.population.payee,
        }
    }

    /// An organisation as a reader knows it, never by id.
    fn name(&self, party: Party) -> String {
        match party {
            p if p == self.pcn => format!("network {}", self.network_code),
            p if p == self.trust => "community trust".to_owned(),
            p if p == self.council => "local authority".to_owned(),
            p if p == self.icb => "integrated care board".to_owned(),
            p if p == self.voluntary => "voluntary organisation".to_owned(),
            p if p == self.payee => match self.payee_code {
                Some(code) => format!("payee practice {code}"),
                None => "payee practice".to_owned(),
            },
            other => other.to_string(),
        }
    }
}

/// A partner's contribution to the pool: the account it pays from, and how much it
/// agreed to pay in the year.
struct Contribution {
    account: AccountId,
    agreed: Money,
}

/// The ledger's accounts: funding coming in, the pots it is held in, and where it
/// is spent.
struct Accounts {
    core_in: AccountId,
    access_in: AccountId,
    capacity_in: AccountId,
    improvement_in: AccountId,
    arrs_in: AccountId,
    contributions: Vec<Contribution>,
    pool: AccountId,
    access_pot: AccountId,
    access_sessions: AccountId,
    link_service: AccountId,
    premises: AccountId,
    /// The social prescribing service the link service account pays for.
    link_service_id: ServiceId,
}

impl Accounts {
    /// The pot that holds the money for the `i`th of [`ARRS_ROLES`].
    fn role_pot(i: usize) -> AccountId {
        AccountId::from_u128(30 + i as u128)
    }

    /// The account the `i`th of [`ARRS_ROLES`] is paid from.
    fn role_pay(i: usize) -> AccountId {
        AccountId::from_u128(40 + i as u128)
    }

    /// Where a role stands in [`ARRS_ROLES`].
    fn role_index(role: Role) -> Result<usize> {
        Ok(ARRS_ROLES
            .iter()
            .position(|r| *r == role)
            .ok_or("role without a pot")?)
    }

    /// A purpose as a reader knows it.
    fn purpose_name(&self, purpose: Purpose) -> String {
        match purpose {
            Purpose::Service(s) if s == self.link_service_id => {
                "social prescribing service".to_owned()
            }
            other => other.to_string(),
        }
    }
}

/// What every month of the year works from.
struct Year<'a> {
    year: FinancialYear,
    rules: &'a EntitlementRules,
    schedule: &'a Schedule,
    accounts: &'a Accounts,
    posts: &'a [Post],
    /// Who posts the routine transfers: the network's system.
    by: Actor,
}

/// What the year's spending carries from month to month.
struct Books {
    ledger: Ledger,
    claims: ClaimBook,
    ids: Ids,
    /// Claims refused, in words.
    refusals: Vec<String>,
    /// The June premises invoice paid a second time, to be reversed.
    duplicate_invoice: Option<TransferId>,
}

/// A month of the year, with the days its transfers are dated.
struct Month {
    /// The month's place in the year, April first.
    index: usize,
    month: YearMonth,
    /// The 1st, when funding arrives and commitments are reserved.
    first: NaiveDate,
    /// The 25th, when pay and invoices go out.
    payday: NaiveDate,
}

impl Month {
    fn new(index: usize, month: YearMonth) -> Result<Self> {
        let first = month.first_day();
        Ok(Self {
            index,
            month,
            first,
            payday: first.checked_add_days(Days::new(24)).ok_or("bad date")?,
        })
    }
}

impl Year<'_> {
    /// A routine transfer's provenance: dated `day`, posted by the network's system.
    fn on(&self, day: NaiveDate, reason: Reason) -> Provenance {
        Provenance::new(day, self.by, reason)
    }
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

/// The network and its five member practices, lists at 1 January 2024; the first
/// practice is the nominated payee.
fn the_network(january: NaiveDate) -> Result<Network> {
    let code: OdsCode = "U12345".parse()?;
    let lists = [
        ("A81001", 11_250, 11_930, 11_400),
        ("A81002", 9_870, 10_120, 9_990),
        ("A81003", 12_400, 11_780, 12_520),
        ("A81004", 7_560, 8_210, 7_700),
        ("A81005", 8_920, 9_040, 9_010),
    ];
    let mut members = Vec::new();
    let mut practices = Vec::new();
    for (member, registered, weighted, adjusted) in lists {
        let member: OdsCode = member.parse()?;
        practices.push(PracticePopulation {
            practice: PracticeId::from_ods(&member),
            registered: Some(PopulationCount::new(registered, january)),
            weighted: Some(PopulationCount::new(weighted, january)),
            adjusted: Some(PopulationCount::new(adjusted, january)),
        });
        members.push(member);
    }
    let payee = Party::Practice(practices[0].practice);
    Ok(Network {
        population: NetworkPopulation {
            network: NetworkId::from_ods(&code),
            payee,
            practices,
        },
        code,
        members,
    })
}

/// The network's entitlements for the year under the published rules, line by
/// line, with the additional roles maximum, the payments not made for want of a
/// published rate, and what each practice is paid; returns the schedule and the
/// maximum.
fn entitlements(
    rules: &EntitlementRules,
    year: FinancialYear,
    network: &Network,
) -> Result<(Schedule, Money)> {
    let schedule = rules.schedule(year, std::slice::from_ref(&network.population), None)?;
    println!(
        "Entitlements of network {} in {year} (published rules)",
        network.code
    );
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
        let role = if payee_total.key == network.population.payee {
            "nominated payee"
        } else {
            "member"
        };
        let code = network.member_code(payee_total.key).map_or_else(
            || payee_total.key.to_string(),
            |code| format!("practice {code}"),
        );
        println!("  {role} {code}: {} a year", payee_total.annual);
    }
    Ok((schedule, arrs_maximum))
}

/// The ledger's accounts: a funding account for each stream and partner, the
/// pooled budget and the ring-fenced pots, and the spending accounts.
fn open_accounts(partners: &Partners, arrs_maximum: Money) -> Result<(Ledger, Accounts)> {
    let id = AccountId::from_u128;
    let mut accounts = Accounts {
        core_in: id(1),
        access_in: id(2),
        capacity_in: id(3),
        arrs_in: id(4),
        improvement_in: id(9),
        contributions: Vec::new(),
        pool: id(10),
        access_pot: id(11),
        access_sessions: id(20),
        link_service: id(21),
        premises: id(22),
        link_service_id: ServiceId::from_u128(0x5E),
    };
    let mut ledger = Ledger::new();
    open_entitlement_accounts(&mut ledger, &accounts, partners.icb, arrs_maximum)?;
    accounts.contributions = open_contribution_accounts(&mut ledger, partners)?;
    open_pots_and_spending_accounts(&mut ledger, &accounts, partners)?;
    Ok((ledger, accounts))
}

/// The commissioner's funding accounts, one a stream: enhanced access ring-fenced
/// to access, role reimbursement to the roles and down to the year's maximum.
fn open_entitlement_accounts(
    ledger: &mut Ledger,
    accounts: &Accounts,
    icb: Party,
    arrs_maximum: Money,
) -> Result<()> {
    let role_purposes: Vec<Purpose> = ARRS_ROLES.iter().map(|r| Purpose::Role(*r)).collect();
    ledger.open(Account::funding(
        accounts.core_in,
        "Core PCN funding",
        FundingStream::CoreNetworkFunding,
        icb,
    ))?;
    ledger.open(
        Account::funding(
            accounts.access_in,
            "Enhanced access",
            FundingStream::EnhancedAccess,
            icb,
        )
        .ring_fenced_to([Purpose::Access]),
    )?;
    ledger.open(Account::funding(
        accounts.capacity_in,
        "Capacity and access support",
        FundingStream::CapacityAndAccessSupport,
        icb,
    ))?;
    ledger.open(Account::funding(
        accounts.improvement_in,
        "Capacity and access improvement",
        FundingStream::CapacityAndAccessImprovement,
        icb,
    ))?;
    ledger.open(
        Account::funding(
            accounts.arrs_in,
            "Additional roles",
            FundingStream::RoleReimbursement,
            icb,
        )
        .with_floor(Money::ZERO.checked_sub(arrs_maximum)?)
        .ring_fenced_to(role_purposes),
    )?;
    Ok(())
}

/// The partners' funding accounts, each down to what the partner agreed to pay in.
fn open_contribution_accounts(
    ledger: &mut Ledger,
    partners: &Partners,
) -> Result<Vec<Contribution>> {
    let id = AccountId::from_u128;
    let mut contributions = Vec::new();
    for (account, name, stream, owner, agreed) in [
        (
            id(5),
            "Community trust",
            FundingStream::PartnerContribution,
            partners.trust,
            "£240,000",
        ),
        (
            id(6),
            "Local authority social care",
            FundingStream::SocialCareContribution,
            partners.council,
            "£120,000",
        ),
        (
            id(7),
            "Better Care Fund",
            FundingStream::PooledFund,
            partners.council,
            "£84,000",
        ),
        (
            id(8),
            "ICB investment",
            FundingStream::CommissionerInvestment,
            partners.icb,
            "£60,000",
        ),
    ] {
        // A partner cannot pay in more than it agreed.
        let agreed = money(agreed)?;
        let floor = Money::ZERO.checked_sub(agreed)?;
        ledger.open(Account::funding(account, name, stream, owner).with_floor(floor))?;
        contributions.push(Contribution { account, agreed });
    }
    Ok(contributions)
}

/// The network's pooled budget and enhanced access pot, a ring-fenced pot and a pay
/// account for each role, and the spending accounts of services and running costs.
fn open_pots_and_spending_accounts(
    ledger: &mut Ledger,
    accounts: &Accounts,
    partners: &Partners,
) -> Result<()> {
    let Partners {
        pcn,
        trust,
        voluntary,
        payee,
        ..
    } = *partners;
    ledger.open(Account::pot(
        accounts.pool,
        "Pooled budget",
        pcn,
        Purpose::General,
    ))?;
    ledger.open(
        Account::pot(
            accounts.access_pot,
            "Enhanced access pot",
            pcn,
            Purpose::Access,
        )
        .ring_fenced_to([Purpose::Access]),
    )?;
    ledger.open(Account::spending(
        accounts.access_sessions,
        "Enhanced access sessions",
        payee,
        Purpose::Access,
    ))?;
    ledger.open(Account::spending(
        accounts.link_service,
        "Social prescribing service",
        voluntary,
        Purpose::Service(accounts.link_service_id),
    ))?;
    ledger.open(Account::spending(
        accounts.premises,
        "Premises and IT",
        pcn,
        Purpose::General,
    ))?;
    for (i, role) in ARRS_ROLES.iter().enumerate() {
        let purpose = Purpose::Role(*role);
        ledger.open(
            Account::pot(
                Accounts::role_pot(i),
                format!("{} pot", role.label()),
                pcn,
                purpose,
            )
            .ring_fenced_to([purpose]),
        )?;
        ledger.open(Account::spending(
            Accounts::role_pay(i),
            format!("{} pay", role.label()),
            trust,
            purpose,
        ))?;
    }
    Ok(())
}

/// The team, employed by the community trust.
fn the_team(year: FinancialYear) -> Result<Vec<Post>> {
    let april = year.months()[0];
    let october = year.months()[6];
    Ok(vec![
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
    ])
}

/// The plan for the year's spending, by purpose: each post's pay and on-costs for
/// its months in post, a pharmacy technician planned but not recruited, and the
/// services and running costs.
fn plan_the_year(posts: &[Post], accounts: &Accounts) -> Result<Plan<Purpose>> {
    let mut plan = Plan::new();
    for post in posts {
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
    plan.set(
        Purpose::Service(accounts.link_service_id),
        money("£54,000")?,
    );
    plan.set(Purpose::General, money("£36,000")?);
    Ok(plan)
}

/// The year month by month: funding in, pay and purchases out, a correction and a
/// reservation where they fall, and each month closed.
fn spend_the_year(books: &mut Books, year: &Year<'_>) -> Result<()> {
    for (index, month) in year.year.months().into_iter().enumerate() {
        let month = Month::new(index, month)?;
        fund_the_month(books, year, &month)?;
        pay_the_month(books, year, &month)?;
        if month.month == "2024-07".parse::<YearMonth>()? {
            reverse_the_duplicate_invoice(books, &month)?;
        }
        if month.month == "2025-03".parse::<YearMonth>()? {
            reserve_the_locum_sessions(books, year, &month)?;
        }
        books.ledger.close_month(month.month, year.by)?;
    }
    Ok(())
}

/// The month's entitlements, from the schedule, and the partners'
/// contributions, in twelfths. The participation payment is paid to each practice,
/// not to the network's budget.
fn fund_the_month(books: &mut Books, year: &Year<'_>, month: &Month) -> Result<()> {
    let accounts = year.accounts;
    let mut batch = Batch::new();
    for line in &year.schedule.lines {
        let amount = line.months[month.index];
        if amount.is_zero() {
            continue;
        }
        let (from, to) = match line.stream {
            FundingStream::CoreNetworkFunding => (accounts.core_in, accounts.pool),
            FundingStream::EnhancedAccess => (accounts.access_in, accounts.access_pot),
            FundingStream::CapacityAndAccessSupport => (accounts.capacity_in, accounts.pool),
            FundingStream::CapacityAndAccessImprovement => (accounts.improvement_in, accounts.pool),
            FundingStream::NetworkParticipation => continue,
            other => return Err(format!("no account for {other}").into()),
        };
        batch.push(Transfer::posted(
            books.ids.next(),
            from,
            to,
            amount,
            year.on(month.first, Reason::Funding),
        )?);
    }
    for contribution in &accounts.contributions {
        let part = contribution.agreed.allocate(&[1; 12])?[month.index];
        batch.push(Transfer::posted(
            books.ids.next(),
            contribution.account,
            accounts.pool,
            part,
            year.on(month.first, Reason::Contribution),
        )?);
    }
    books.ledger.apply(&batch)?;
    Ok(())
}

/// A month's pay and purchases, in one batch.
fn pay_the_month(books: &mut Books, year: &Year<'_>, month: &Month) -> Result<()> {
    let mut pay = Batch::new();
    pay_the_team(books, year, month, &mut pay)?;
    buy_services(books, year, month, &mut pay)?;
    books.ledger.apply(&pay)?;
    Ok(())
}

/// Pay: reimbursement claims into each role's pot, the pool tops up the rest; a
/// commitment is reserved on the 1st and posted on payday.
fn pay_the_team(books: &mut Books, year: &Year<'_>, month: &Month, pay: &mut Batch) -> Result<()> {
    let accounts = year.accounts;
    for post in year.posts.iter().filter(|p| p.from <= month.month) {
        let i = Accounts::role_index(post.role)?;
        let cost = post.pay.checked_add(post.on_costs)?;
        let reimbursed = claim_reimbursement(books, year, post, month.month)?;
        let top_up = cost.checked_sub(reimbursed)?;
        for (from, amount, provenance) in [
            (
                accounts.arrs_in,
                reimbursed,
                year.on(month.payday, Reason::Reimbursement),
            ),
            (
                accounts.pool,
                top_up,
                year.on(month.first, Reason::Allocation),
            ),
        ] {
            if !amount.is_zero() {
                pay.push(Transfer::posted(
                    books.ids.next(),
                    from,
                    Accounts::role_pot(i),
                    amount,
                    provenance,
                )?);
            }
        }
        let commitment = books.ids.next();
        pay.push(Transfer::pending(
            commitment,
            Accounts::role_pot(i),
            Accounts::role_pay(i),
            cost,
            year.on(month.first, Reason::Commitment),
        )?);
        pay.push(Transfer::post_pending(
            books.ids.next(),
            commitment,
            None,
            year.on(month.payday, Reason::Pay),
        )?);
    }
    Ok(())
}

/// A post's reimbursement claim for the month, and what it reimburses: nothing
/// when the claim is refused for want of a published maximum or as a role the
/// scheme does not reimburse (the refusal is kept to be reported).
fn claim_reimbursement(
    books: &mut Books,
    year: &Year<'_>,
    post: &Post,
    month: YearMonth,
) -> Result<Money> {
    let claim = ReimbursementClaim {
        staff: post.staff,
        role: post.role,
        month,
        wte: post.wte,
        pay: post.pay,
        on_costs: post.on_costs,
        area: PayArea::England,
    };
    match books.claims.submit(year.rules, claim) {
        Ok(r) => Ok(r.reimbursable),
        Err(
            refused
            @ (BudgetError::NoPublishedCap { .. } | BudgetError::RoleNotReimbursable { .. }),
        ) => {
            books
                .refusals
                .push(format!("{month} {}: {refused}", post.role));
            Ok(Money::ZERO)
        }
        Err(other) => Err(other.into()),
    }
}

/// Services and running costs, with June's premises invoice paid twice by mistake.
fn buy_services(books: &mut Books, year: &Year<'_>, month: &Month, pay: &mut Batch) -> Result<()> {
    let accounts = year.accounts;
    for (from, to, amount) in [
        (accounts.access_pot, accounts.access_sessions, "£31,500"),
        (accounts.pool, accounts.link_service, "£4,500"),
        (accounts.pool, accounts.premises, "£3,000"),
    ] {
        pay.push(Transfer::posted(
            books.ids.next(),
            from,
            to,
            money(amount)?,
            year.on(month.payday, Reason::Purchase),
        )?);
    }
    if month.month == "2024-06".parse::<YearMonth>()? {
        let twice = books.ids.next();
        pay.push(Transfer::posted(
            twice,
            accounts.pool,
            accounts.premises,
            money("£3,000")?,
            year.on(month.payday, Reason::Purchase)
                .with_note("premises invoice 4471 (paid twice)"),
        )?);
        books.duplicate_invoice = Some(twice);
    }
    Ok(())
}

/// The mistake is found after June is closed: corrected by a reversal in `month`.
fn reverse_the_duplicate_invoice(books: &mut Books, month: &Month) -> Result<()> {
    let Some(twice) = books.duplicate_invoice else {
        return Ok(());
    };
    let fix = Provenance::new(
        month
            .first
            .checked_add_days(Days::new(2))
            .ok_or("bad date")?,
        Actor::Staff(StaffId::from_u128(99)),
        Reason::Correction,
    )
    .with_note("reverses the duplicate June premises payment");
    books
        .ledger
        .apply_transfer(&Transfer::reversal(books.ids.next(), twice, fix))?;
    Ok(())
}

/// Locum sessions booked in the year's last month and not yet invoiced: reserved,
/// not spent.
fn reserve_the_locum_sessions(books: &mut Books, year: &Year<'_>, month: &Month) -> Result<()> {
    let locum = year
        .on(month.payday, Reason::Commitment)
        .with_note("locum sessions, invoice awaited");
    books.ledger.apply_transfer(&Transfer::pending(
        books.ids.next(),
        year.accounts.pool,
        year.accounts.premises,
        money("£8,000")?,
        locum,
    )?)?;
    Ok(())
}

/// Two transfers the ledger refuses, each refusal said in names: ring-fenced role
/// reimbursement spent on premises, and a transfer dated in a closed month.
fn try_to_misspend(books: &mut Books, year: &Year<'_>, january: NaiveDate) -> Result<()> {
    let accounts = year.accounts;
    let misuse = Transfer::posted(
        books.ids.next(),
        accounts.arrs_in,
        accounts.premises,
        money("£500")?,
        year.on(year.year.next().first_day(), Reason::Purchase),
    )?;
    if let Err(refused) = books.ledger.apply_transfer(&misuse) {
        println!(
            "\nRefused: {}",
            in_names(&refused.to_string(), &books.ledger, &misuse)
        );
    }
    let late = Transfer::posted(
        books.ids.next(),
        accounts.pool,
        accounts.premises,
        money("£1")?,
        year.on(january, Reason::Purchase),
    )?;
    if let Err(refused) = books.ledger.apply_transfer(&late) {
        println!(
            "\nRefused: {}",
            in_names(&refused.to_string(), &books.ledger, &late)
        );
    }
    Ok(())
}

/// The year's role reimbursement claims, and the first refusal of each kind.
fn print_claims(books: &Books) {
    let claims = &books.claims;
    println!(
        "\nClaims: {} accepted, {} reimbursed of a maximum of {} ({} unclaimed, lost at year end)",
        claims.claims().len(),
        claims.reimbursed(),
        claims.maximum(),
        claims.remaining()
    );
    let mut refusals = books.refusals.clone();
    refusals.dedup_by(|a, b| a.split(':').nth(1) == b.split(':').nth(1));
    for refusal in refusals.iter().take(4) {
        println!("  refused {refusal}");
    }
}

/// The ledger by funding stream, purpose, owner, role and month.
fn print_views(
    ledger: &Ledger,
    year: FinancialYear,
    partners: &Partners,
    accounts: &Accounts,
) -> Result<()> {
    header("By funding stream");
    for r in ledger.by_funding_stream()? {
        row(r.key.name(), &r);
    }
    header("By purpose");
    for r in ledger.by_purpose()? {
        row(&accounts.purpose_name(r.key), &r);
    }
    header("By owner organisation");
    for r in ledger.by_owner()? {
        row(&partners.name(r.key), &r);
    }
    header("By role");
    for r in ledger.by_role()? {
        row(r.key.label(), &r);
    }
    header("By month");
    for r in ledger.by_month(year)? {
        row(&r.key.to_string(), &r);
    }
    Ok(())
}

/// What the spending accounts spent, by purpose, against the plan.
fn print_plan_against_actual(
    ledger: &Ledger,
    plan: &Plan<Purpose>,
    accounts: &Accounts,
) -> Result<()> {
    println!("\nPlanned against actual spending, by purpose");
    let actual: Vec<(Purpose, Money)> = ledger
        .totals_by(|a| (a.kind() == AccountKind::Spending).then_some(a.purpose()))?
        .into_iter()
        .map(|r| (r.key, r.totals.spent))
        .collect();
    for line in plan.compare(actual)? {
        println!(
            "  {:<34} planned {:>13} actual {:>13} variance {:>12}",
            accounts.purpose_name(line.key),
            line.planned.to_string(),
            line.actual.to_string(),
            line.variance.to_string()
        );
    }
    Ok(())
}

/// What is left uncommitted in the pool at year end, shared between the network,
/// the trust and the council under their risk and gain share.
fn share_what_is_left(ledger: &Ledger, accounts: &Accounts, partners: &Partners) -> Result<()> {
    let left = ledger.balance(accounts.pool).ok_or("no pool")?.available();
    let share = |party, ratio| Share { party, ratio };
    let agreement = RiskShare::new(
        vec![
            share(partners.pcn, 50),
            share(partners.trust, 30),
            share(partners.council, 20),
        ],
        vec![
            share(partners.pcn, 1),
            share(partners.trust, 1),
            share(partners.council, 1),
        ],
    )?;
    println!("\nYear end: {left} left uncommitted in the pooled budget, shared 50:30:20");
    for share in agreement.split(left)? {
        println!("  {}: {}", partners.name(share.party), share.amount);
    }
    Ok(())
}

fn run() -> Result<()> {
    let rules = EntitlementRules::published()?;
    let year = FinancialYear::constant(2024);
    let january = NaiveDate::from_ymd_opt(2024, 1, 1).ok_or("bad date")?;
    let network = the_network(january)?;
    let (schedule, arrs_maximum) = entitlements(rules, year, &network)?;
    let partners = Partners::of(&network);
    let (ledger, accounts) = open_accounts(&partners, arrs_maximum)?;
    let posts = the_team(year)?;
    let plan = plan_the_year(&posts, &accounts)?;

    let the_year = Year {
        year,
        rules,
        schedule: &schedule,
        accounts: &accounts,
        posts: &posts,
        by: Actor::System(partners.pcn),
    };
    let mut books = Books {
        ledger,
        claims: ClaimBook::new(network.id(), year, arrs_maximum),
        ids: Ids(0),
        refusals: Vec::new(),
        duplicate_invoice: None,
    };
    spend_the_year(&mut books, &the_year)?;
    try_to_misspend(&mut books, &the_year, january)?;

    print_claims(&books);
    print_views(&books.ledger, year, &partners, &accounts)?;
    print_plan_against_actual(&books.ledger, &plan, &accounts)?;
    share_what_is_left(&books.ledger, &accounts, &partners)?;
    let ledger = &books.ledger;
    println!(
        "\n{} transfers; balances sum to {} pence; months closed to {}",
        ledger.transfer_count(),
        ledger.sum_of_balances(),
        ledger.closed_through().ok_or("none closed")?
    );
    Ok(())
}

fn main() {
    if std::env::args().skip(1).any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return;
    }
    if let Some(other) = std::env::args().nth(1) {
        eprintln!("unknown option {other:?}\n{USAGE}");
        std::process::exit(2);
    }
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
