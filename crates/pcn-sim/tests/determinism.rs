//! Conservation on random scenarios, and the same answer on one thread or two.

#![allow(clippy::unwrap_used)]

use pcn_core::Role;
use pcn_sim::{
    Access, AddedStaff, Comparison, NetworkInput, Parameters, RunId, Scenario, simulate_networks,
    simulate_year,
};
use proptest::prelude::*;

fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(f)
}

#[test]
fn one_thread_or_two_give_the_same_years() {
    let p = Parameters::published().unwrap();
    let run = || {
        let n = NetworkInput::synthetic("x", 8_000, 3, &p).unwrap();
        let c = Comparison::run(
            &n,
            &Scenario::baseline(),
            &Scenario::primary_care_home(&p),
            &p,
            4,
            11,
        )
        .unwrap();
        let national = simulate_networks(
            6,
            |i| NetworkInput::synthetic(format!("n{i}"), 3_000, u64::from(i), &p),
            &Scenario::baseline(),
            &p,
            5,
            0,
        )
        .unwrap();
        (c, national)
    };
    let one = in_pool(1, run);
    let two = in_pool(2, run);
    assert_eq!(one.0.metrics(), two.0.metrics());
    assert_eq!(one.1, two.1);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]
    #[test]
    fn every_request_is_met_redirected_withdrawn_or_waiting(
        size in 500u64..6_000,
        seed in any::<u64>(),
        direct in any::<bool>(),
        plans in any::<bool>(),
        added in 0.0f64..2.0,
    ) {
        let p = Parameters::published().unwrap();
        let n = NetworkInput::synthetic("p", size, seed, &p).unwrap();
        let mut routes = vec![Access::SocialPrescribing];
        if direct { routes.push(Access::DirectAccess); }
        if plans { routes.push(Access::CarePlan); }
        let staff = vec![AddedStaff { role: Role::FirstContactPhysiotherapist, wte_per_10000: added }];
        let s = Scenario::new("random", routes, staff, if plans { 0.02 } else { 0.0 }).unwrap();
        let y = simulate_year(&n, &s, &p, RunId::new(seed, 0, 0)).unwrap();
        y.check_conservation().unwrap();
        for pw in y.pathways() {
            prop_assert_eq!(pw.arisen, pw.met + pw.elsewhere.total() + pw.unmet_no_service + pw.queued_at_year_end);
            prop_assert!(pw.did_not_attend <= pw.met);
        }
        for r in y.roles() {
            prop_assert!(r.used <= r.offered);
        }
    }
}
