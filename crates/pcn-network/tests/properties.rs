//! Invariants of the registry under random sequences of operations.

// Test helpers outside `#[test]` functions build fixtures from literals.
#![allow(clippy::unwrap_used)]

use chrono::{Duration, NaiveDate};
use pcn_core::{DateRange, NetworkId};
use pcn_network::{
    Network, NetworkIndex, NetworkKind, Practice, PracticeIndex, PracticeStatus, Registry,
};
use proptest::prelude::*;

const PRACTICES: usize = 6;
const NETWORKS: usize = 4;

fn day(offset: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2019, 7, 1).unwrap() + Duration::days(offset)
}

/// Six practices; three PCNs (one closing in 2023) and a Primary Care Home site.
fn registry() -> Registry {
    let mut r = Registry::new();
    for i in 0..PRACTICES {
        let code = format!("A8100{i}").parse().unwrap();
        let operating = DateRange::starting(NaiveDate::from_ymd_opt(2015, 1, 1).unwrap());
        r.add_practice(Practice::new(code, "Surgery", operating, PracticeStatus::Active).unwrap())
            .unwrap();
    }
    let open = DateRange::starting(day(0));
    r.add_network(Network::pcn("U00001".parse().unwrap(), "North PCN", open).unwrap())
        .unwrap();
    r.add_network(Network::pcn("U00002".parse().unwrap(), "South PCN", open).unwrap())
        .unwrap();
    let closing = DateRange::new(day(0), Some(day(1400))).unwrap();
    r.add_network(Network::pcn("U00003".parse().unwrap(), "East PCN", closing).unwrap())
        .unwrap();
    r.add_network(
        Network::neighbourhood(
            NetworkId::from_u128(9),
            None,
            NetworkKind::PrimaryCareHome,
            "Home site",
            open,
        )
        .unwrap(),
    )
    .unwrap();
    r
}

#[derive(Debug, Clone)]
enum Op {
    Join {
        practice: usize,
        network: usize,
        from: i64,
        days: Option<i64>,
    },
    Leave {
        practice: usize,
        network: usize,
        on: i64,
    },
    Merge {
        closed: usize,
        successor: usize,
        on: i64,
    },
    Close {
        practice: usize,
        on: i64,
    },
    ListSize {
        practice: usize,
        on: i64,
        patients: u32,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let p = 0..PRACTICES;
    let n = 0..NETWORKS;
    let t = -100i64..1800;
    prop_oneof![
        4 => (p.clone(), n.clone(), t.clone(), prop::option::of(1i64..900))
            .prop_map(|(practice, network, from, days)| Op::Join { practice, network, from, days }),
        2 => (p.clone(), n, t.clone()).prop_map(|(practice, network, on)| Op::Leave { practice, network, on }),
        1 => (p.clone(), p.clone(), t.clone()).prop_map(|(closed, successor, on)| Op::Merge { closed, successor, on }),
        1 => (p.clone(), t.clone()).prop_map(|(practice, on)| Op::Close { practice, on }),
        4 => (p, t, 0u32..20_000).prop_map(|(practice, on, patients)| Op::ListSize { practice, on, patients }),
    ]
}

fn practice(r: &Registry, i: usize) -> PracticeIndex {
    r.practice_index(&format!("A8100{i}").parse().unwrap())
        .unwrap()
}

fn network(r: &Registry, i: usize) -> NetworkIndex {
    r.networks().nth(i).unwrap().0
}

fn apply(r: &mut Registry, op: &Op) -> Result<(), pcn_network::NetworkError> {
    match *op {
        Op::Join {
            practice: p,
            network: n,
            from,
            days,
        } => {
            let during = DateRange::new(day(from), days.map(|d| day(from + d)))?;
            r.join(practice(r, p), network(r, n), during)
        }
        Op::Leave {
            practice: p,
            network: n,
            on,
        } => r.leave(practice(r, p), network(r, n), day(on)),
        Op::Merge {
            closed,
            successor,
            on,
        } => r
            .merge(practice(r, closed), practice(r, successor), day(on))
            .map(|_| ()),
        Op::Close { practice: p, on } => r.close_practice(practice(r, p), day(on)),
        Op::ListSize {
            practice: p,
            on,
            patients,
        } => r.record_list_size(practice(r, p), day(on), patients),
    }
}

/// The population of a network by scanning every practice: the definition the index
/// must agree with.
fn naive_population(r: &Registry, n: NetworkIndex, date: NaiveDate) -> u64 {
    r.practices()
        .filter(|(i, _)| {
            r.memberships_of(*i)
                .iter()
                .any(|m| m.network == n && m.during.contains(date))
        })
        .map(|(_, p)| u64::from(p.list_size_on(date).unwrap_or(0)))
        .sum()
}

fn check_invariants(r: &Registry, probes: &[i64]) -> Result<(), TestCaseError> {
    for (p, _) in r.practices() {
        let pcn_memberships: Vec<_> = r
            .memberships_of(p)
            .iter()
            .filter(|m| r.network(m.network).unwrap().kind().is_pcn())
            .collect();
        for (i, a) in pcn_memberships.iter().enumerate() {
            for b in &pcn_memberships[i + 1..] {
                prop_assert!(
                    !a.during.overlaps(&b.during),
                    "two PCNs at once: {:?} and {:?}",
                    a,
                    b
                );
            }
        }
        for &offset in probes {
            let date = day(offset);
            let naive: Vec<_> = pcn_memberships
                .iter()
                .filter(|m| m.during.contains(date))
                .map(|m| m.network)
                .collect();
            prop_assert!(naive.len() <= 1);
            prop_assert_eq!(r.pcn_of(p, date), naive.first().copied());
        }
    }
    for (n, _) in r.networks() {
        for &offset in probes {
            let date = day(offset);
            prop_assert_eq!(r.population_on(n, date), naive_population(r, n, date));
            let members: Vec<_> = r.members_on(n, date).collect();
            let naive: Vec<_> = r
                .practices()
                .map(|(i, _)| i)
                .filter(|&i| {
                    r.memberships_of(i)
                        .iter()
                        .any(|m| m.network == n && m.during.contains(date))
                })
                .collect();
            prop_assert_eq!(members, naive);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_operations_keep_one_pcn_at_a_time_and_rejections_change_nothing(
        ops in prop::collection::vec(op(), 1..40),
        probes in prop::collection::vec(-120i64..1900, 8),
    ) {
        let mut r = registry();
        let mut accepted = 0;
        for op in &ops {
            let before = r.clone();
            match apply(&mut r, op) {
                Ok(()) => accepted += 1,
                Err(_) => prop_assert_eq!(&r, &before, "a rejected {:?} changed the registry", op),
            }
            check_invariants(&r, &probes)?;
        }
        // The serde form rebuilds the same registry, indices and all.
        let json = serde_json::to_string(&r).unwrap();
        let back: Registry = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, r);
        prop_assert!(accepted <= ops.len());
    }

    #[test]
    fn bulk_list_sizes_match_one_at_a_time(
        joins in prop::collection::vec((0..PRACTICES, 0..NETWORKS, -50i64..1500, prop::option::of(1i64..900)), 0..12),
        sizes in prop::collection::vec((0..PRACTICES, 0i64..1800, 0u32..20_000), 0..40),
        probes in prop::collection::vec(-120i64..1900, 8),
    ) {
        let mut one = registry();
        for (p, n, from, days) in joins {
            let _ = apply(&mut one, &Op::Join { practice: p, network: n, from, days });
        }
        let mut bulk = one.clone();
        for &(p, on, patients) in &sizes {
            apply(&mut one, &Op::ListSize { practice: p, on, patients }).unwrap();
        }
        let batch: Vec<_> = sizes.iter().map(|&(p, on, patients)| (practice(&bulk, p), day(on), patients)).collect();
        prop_assert_eq!(bulk.record_list_sizes(batch).unwrap(), sizes.len());
        prop_assert_eq!(&bulk, &one);
        check_invariants(&bulk, &probes)?;
    }
}
