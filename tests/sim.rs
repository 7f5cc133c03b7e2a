//! The network year across crates: determinism whatever the threads, conservation of
//! demand and money, and scenario effects in the direction the parameters say.

// The helpers below run only inside tests, where a failed setup should fail the test.
#![allow(clippy::expect_used)]

use pcn::budget::{EntitlementRules, Purpose};
use pcn::core::{Money, NetworkId, Role};
use pcn::sim::{
    Comparison, CostLine, NetworkInput, Parameters, RunId, Scenario, UnifiedBudget, purpose_of,
    simulate_networks, simulate_year,
};
use proptest::prelude::*;

fn parameters() -> Parameters {
    Parameters::published().expect("the shipped parameters load")
}

fn in_pool<T: Send>(threads: usize, work: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a local thread pool")
        .install(work)
}

#[test]
fn the_same_seed_gives_the_same_comparison_on_one_and_two_threads() {
    let p = parameters();
    let network = NetworkInput::synthetic("Riverside PCN", 8_000, 3, &p).unwrap();
    let pch = Scenario::primary_care_home(&p);
    let run = || Comparison::run(&network, &Scenario::baseline(), &pch, &p, 6, 11).unwrap();
    let one = in_pool(1, run);
    let two = in_pool(2, run);
    assert_eq!(one, two);
    let other_seed = in_pool(2, || {
        Comparison::run(&network, &Scenario::baseline(), &pch, &p, 6, 12).unwrap()
    });
    assert_ne!(one, other_seed, "a different seed draws a different year");
}

#[test]
fn the_same_seed_gives_the_same_national_sum_on_one_and_two_threads() {
    let p = parameters();
    let pch = Scenario::primary_care_home(&p);
    let run = || {
        simulate_networks(
            12,
            |i| {
                NetworkInput::synthetic(
                    format!("PCN {i}"),
                    3_000 + 500 * u64::from(i),
                    u64::from(i),
                    &p,
                )
            },
            &pch,
            &p,
            5,
            0,
        )
        .unwrap()
    };
    let one = in_pool(1, run);
    let two = in_pool(2, run);
    assert_eq!(one, two);
    assert_eq!(one.networks(), 12);
    one.check_conservation().unwrap();
}

#[test]
fn money_spent_is_the_sum_of_its_lines_and_months() {
    let p = parameters();
    let network = NetworkInput::synthetic("Riverside PCN", 10_000, 1, &p).unwrap();
    let year = simulate_year(
        &network,
        &Scenario::primary_care_home(&p),
        &p,
        RunId::new(1, 0, 0),
    )
    .unwrap();
    let budget = year.budget();
    let by_month: i64 = (0..12)
        .map(|m| budget.spent_in_month(m).unwrap().pence())
        .sum();
    assert_eq!(by_month, budget.total_spent().unwrap().pence());
    for line in budget.lines() {
        match line.line {
            CostLine::Staff { role } => {
                // Each post is paid in full for the year, to the penny.
                let rp = p.role(role).unwrap();
                let wte = year.role(role).unwrap().wte;
                let expected = rp
                    .cost_per_wte_year
                    .value
                    .checked_mul_ratio(i64::from(wte.hundredths()), 100)
                    .unwrap();
                assert_eq!(line.spent().unwrap(), expected, "{role}");
            }
            CostLine::EmergencyHospitalCare => {
                assert_eq!(
                    line.spent().unwrap().pence(),
                    p.bed_day_cost().pence() * i64::try_from(year.bed_days()).unwrap()
                );
            }
        }
    }
}

#[test]
fn every_pound_spent_is_in_the_ledger() {
    let p = parameters();
    let rules = EntitlementRules::published().expect("the published entitlement rules");
    let network = NetworkInput::synthetic("Riverside PCN", 12_000, 2, &p).unwrap();
    let id = NetworkId::from_u128(42);
    for scenario in [Scenario::baseline(), Scenario::primary_care_home(&p)] {
        let year = simulate_year(&network, &scenario, &p, RunId::new(3, 0, 0)).unwrap();
        let budget = UnifiedBudget::post(&year, id, rules).unwrap();
        let ledger = budget.ledger();
        assert_eq!(ledger.sum_of_balances(), 0, "double entry");
        assert_eq!(
            budget.spent().unwrap(),
            year.budget().total_spent().unwrap()
        );
        // Line by line, through the ledger's view by purpose.
        let by_purpose = ledger.by_purpose().unwrap();
        for line in year.budget().lines() {
            let purpose = purpose_of(line.line, id);
            let row = by_purpose
                .iter()
                .find(|r| r.key == purpose)
                .expect("a spending account per line");
            assert_eq!(row.totals.spent, line.spent().unwrap(), "{purpose}");
        }
        // Month by month.
        let by_month = ledger.by_month(year.financial_year()).unwrap();
        for (m, month) in year.budget().months().iter().enumerate() {
            let spent = by_month
                .iter()
                .find(|r| r.key == *month)
                .map_or(Money::ZERO, |r| r.totals.spent);
            assert_eq!(spent, year.budget().spent_in_month(m).unwrap(), "{month}");
        }
        // Funding in equals spending plus what the pot holds.
        let funded = budget
            .reimbursed()
            .unwrap()
            .checked_add(budget.contributed().unwrap())
            .unwrap()
            .checked_add(budget.pooled_emergency_care().unwrap())
            .unwrap();
        assert_eq!(
            funded,
            budget
                .spent()
                .unwrap()
                .checked_add(budget.pot_balance())
                .unwrap()
        );
        // Only additional staff are reimbursed, never above their pay.
        if scenario.added_staff().is_empty() {
            assert_eq!(budget.reimbursed().unwrap(), Money::ZERO);
        } else {
            assert!(budget.reimbursed().unwrap() > Money::ZERO);
            let additional_pay: i64 = year
                .budget()
                .lines()
                .iter()
                .filter_map(|l| match l.line {
                    CostLine::Staff { role }
                        if year.role(role).is_some_and(|r| !r.added.is_zero()) =>
                    {
                        Some(l.spent().unwrap().pence())
                    }
                    _ => None,
                })
                .sum();
            assert!(budget.reimbursed().unwrap().pence() <= additional_pay);
        }
        // Plan against actual, from the ledger.
        let variance = budget.against_plan().unwrap();
        let gp = variance
            .iter()
            .find(|v| v.key == Purpose::Role(Role::Gp))
            .unwrap();
        assert_eq!(gp.variance, Money::ZERO, "posts are paid as planned");
    }
}

#[test]
fn the_primary_care_home_moves_outcomes_the_way_its_parameters_say() {
    let p = parameters();
    let network = NetworkInput::synthetic("Riverside PCN", 60_000, 7, &p).unwrap();
    let pch = Scenario::primary_care_home(&p);
    let c = Comparison::run(&network, &Scenario::baseline(), &pch, &p, 8, 2024).unwrap();
    let diff = |key: &str| {
        c.metric(key)
            .and_then(|m| m.difference)
            .unwrap_or_else(|| panic!("{key}"))
    };
    // Direct access and social prescribing take requests away from GPs.
    assert!(diff("gp_appointments_freed").low > 0.0);
    // Added capacity meets more requests and leaves fewer unmet.
    assert!(diff("met").low > 0.0);
    assert!(diff("unmet").high < 0.0);
    // Care plans cut emergency admissions of the planned by the parameter's share.
    assert!(diff("emergency_admissions").high < 0.0);
    assert!(diff("emergency_bed_days").high < 0.0);
    // The added team costs what its posts cost.
    assert!(diff("spend.staff").low > 0.0);
}

#[test]
fn without_a_care_plan_effect_admissions_do_not_move() {
    let mut json: serde_json::Value = serde_json::to_value(parameters()).unwrap();
    json["care_plans"]["admission_reduction"]["value"] = 0.0.into();
    let p = Parameters::from_json(&json.to_string()).unwrap();
    let network = NetworkInput::synthetic("Riverside PCN", 20_000, 7, &p).unwrap();
    let c = Comparison::run(
        &network,
        &Scenario::baseline(),
        &Scenario::primary_care_home(&p),
        &p,
        4,
        1,
    )
    .unwrap();
    let d = c
        .metric("emergency_admissions")
        .and_then(|m| m.difference)
        .unwrap();
    // Same people, same days, no effect: the common random numbers give the same admissions.
    assert_eq!((d.mean, d.low, d.high), (0.0, 0.0, 0.0));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn every_request_is_met_queued_or_unmet(
        size in 200u64..6_000,
        seed in any::<u64>(),
        pch in any::<bool>(),
        extra_gps in 0u32..400,
    ) {
        let p = parameters();
        let mut network = NetworkInput::synthetic("Riverside PCN", size, seed, &p).unwrap();
        let mut establishment = network.establishment().clone();
        establishment.add(Role::Gp, pcn::core::Wte::from_hundredths(extra_gps)).unwrap();
        network = NetworkInput::new("Riverside PCN", network.profiles().to_vec(), establishment).unwrap();
        let scenario = if pch { Scenario::primary_care_home(&p) } else { Scenario::baseline() };
        let year = simulate_year(&network, &scenario, &p, RunId::new(seed, 0, 0)).unwrap();
        prop_assert!(year.check_conservation().is_ok());
        for pathway in year.pathways() {
            prop_assert_eq!(
                pathway.arisen,
                pathway.met + pathway.elsewhere.total() + pathway.unmet_no_service + pathway.queued_at_year_end
            );
            prop_assert_eq!(pathway.waits.count(), pathway.met);
        }
        for role in year.roles() {
            prop_assert!(role.used <= role.offered, "{} used {} of {}", role.role, role.used, role.offered);
        }
        let met: u64 = year.pathways().iter().map(|p| p.met).sum();
        let used: u64 = year.roles().iter().map(|r| r.used).sum();
        // Every met request used one appointment held in the year; the year's diaries
        // also hold appointments booked before it began.
        prop_assert!(met <= used, "{met} met, {used} appointments held");
    }
}

#[test]
fn the_comparison_posts_the_unified_budget_once_under_the_network_id_and_the_report_draws_it() {
    let p = parameters();
    let network = NetworkInput::synthetic("Riverside PCN", 8_000, 3, &p).expect("network");
    assert_eq!(network.id(), NetworkId::derived("Riverside PCN"));
    let pch = Scenario::primary_care_home(&p);
    let c = Comparison::run(&network, &Scenario::baseline(), &pch, &p, 2, 5).expect("comparison");
    assert_eq!(c.network_id(), network.id());
    let rules = EntitlementRules::published().expect("rules");
    for (budget, year) in [
        (c.baseline_budget(), c.baseline_year()),
        (c.scenario_budget(), c.scenario_year()),
    ] {
        assert_eq!(budget.network(), network.id());
        // The comparison's budget is the year posted under the network's id.
        let again = UnifiedBudget::post(year, network.id(), rules).expect("posted");
        assert_eq!(budget, &again);
        assert_eq!(
            budget.spent().expect("spent"),
            year.budget().total_spent().expect("total")
        );
    }
    // The report shows the budget the comparison holds.
    let html = pcn::sim::render_html(&c, &p).expect("report");
    let pot = c.scenario_budget().pot_balance().to_string();
    assert!(html.contains(&pcn::sim::escape_html(&pot)), "{pot}");
    // And the budget serialises as its summary, with its documented field names.
    let json = serde_json::to_value(c.scenario_budget()).expect("json");
    for field in [
        "network",
        "reimbursed",
        "contributed",
        "pooled_emergency_care",
        "spent",
        "pot_balance",
        "arrs_maximum",
        "without_reimbursement",
        "plan",
        "transfers",
    ] {
        assert!(json.get(field).is_some(), "{field}");
    }
}
