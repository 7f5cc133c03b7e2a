//! Crash tests: a child process posts batches as fast as it can and reports each
//! acknowledged batch on a pipe; the parent kills it with SIGKILL at random moments,
//! reopens the store and checks that every acknowledged transfer is there exactly
//! once, that no batch is there in part, that the balances sum to zero, that every
//! limit held and that the hash chain verifies.
//!
//! The child is this test binary run again with `PCN_STORE_CRASH_CHILD` naming the
//! store.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::*;
use pcn_budget::Batch;
use pcn_core::TransferId;
use pcn_store::{Store, StoreError};
use rand::Rng;

const CHILD: &str = "PCN_STORE_CRASH_CHILD";

/// Transfers per batch number: the parent knows every batch's size.
fn size_of(k: u128) -> u128 {
    1 + (k * 7_919) % 64
}

fn id(k: u128, i: u128) -> u128 {
    k * 1_000 + i
}

fn batch_k(k: u128) -> Batch {
    let mut rng = rng(u64::try_from(k).unwrap());
    (0..size_of(k))
        .map(|i| {
            let amount = rng.random_range(1..=2_000);
            let (d, c) = match rng.random_range(0..5) {
                0 => (FUNDER, POT_A),
                1 => (CAPPED, POT_B),
                2 => (POT_A, POT_B),
                3 => (POT_A, PAY),
                _ => (POT_B, PAY),
            };
            posted(id(k, i), d, c, amount)
        })
        .collect()
}

fn open_retrying(path: &std::path::Path) -> Store {
    let start = Instant::now();
    loop {
        match Store::open(path) {
            Ok(s) => return s,
            Err(StoreError::Locked { .. }) if start.elapsed() < Duration::from_secs(10) => {
                std::thread::sleep(Duration::from_millis(1));
            }
            Err(e) => panic!("{e}"),
        }
    }
}

/// The child: post batches until killed, printing `ack K` after each commit.
#[test]
fn crash_child() {
    let Ok(path) = std::env::var(CHILD) else {
        return;
    };
    let mut store = open_retrying(std::path::Path::new(&path));
    if store.ledger().account(FUNDER).is_none() {
        store.open_accounts(&accounts()).unwrap();
    }
    let mut k = store
        .ledger()
        .history()
        .last()
        .map_or(1, |e| e.transfer().id().as_uuid().as_u128() / 1_000 + 1);
    println!("ready");
    let mut rng = rng(u64::try_from(k).unwrap());
    loop {
        match rng.random_range(0..400) {
            // A retry of the last batch: stored once.
            0 if k > 1 => {
                let again = store.post(&batch_k(k - 1));
                if let Ok(s) = again {
                    assert_eq!(s.stored, 0, "a retry is never stored twice");
                }
            }
            // Group commit of three batches.
            1..=40 => {
                let batches: Vec<Batch> = (k..k + 3).map(batch_k).collect();
                let results = store.post_all(&batches).unwrap();
                for (i, r) in results.iter().enumerate() {
                    if r.is_ok() {
                        println!("ack {}", k + i as u128);
                    }
                }
                k += 3;
            }
            41 => {
                store.snapshot().unwrap();
            }
            _ => {
                match store.post(&batch_k(k)) {
                    Ok(_) => println!("ack {k}"),
                    Err(StoreError::Budget(_)) => {}
                    Err(e) => panic!("{e}"),
                }
                k += 1;
            }
        }
    }
}

fn check(path: &std::path::Path, acknowledged: &HashSet<u128>, full: bool) {
    let mut store = Store::open(path).unwrap();
    let ledger = store.ledger();
    let mut ids = HashSet::new();
    let mut batches = HashSet::new();
    for e in ledger.history() {
        let v = e.transfer().id().as_uuid().as_u128();
        assert!(ids.insert(v), "transfer {v} is stored twice");
        batches.insert(v / 1_000);
    }
    for k in acknowledged {
        assert!(batches.contains(k), "acknowledged batch {k} is missing");
    }
    for k in &batches {
        for i in 0..size_of(*k) {
            assert!(
                ledger.transfer(TransferId::from_u128(id(*k, i))).is_some(),
                "batch {k} is stored in part"
            );
        }
    }
    assert_eq!(ledger.sum_of_balances(), 0);
    assert!(ledger.accounts_below_floor().is_empty());
    if full {
        let report = store.verify().unwrap();
        assert!(report.is_ok(), "{report}");
    }
}

fn crash_many(kills: usize, name: &str) {
    let dir = TempDir::new(name);
    let path = dir.db();
    let exe = std::env::current_exe().unwrap();
    let mut rng = rng(99);
    let mut acknowledged = HashSet::new();
    let started = Instant::now();
    for round in 0..kills {
        let mut child = Command::new(&exe)
            .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
            .env(CHILD, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Most kills land while batches are being posted; some while opening.
        if rng.random_range(0..8) != 0 {
            let deadline = Instant::now() + Duration::from_secs(20);
            while Instant::now() < deadline {
                match rx.recv_timeout(Duration::from_millis(50)) {
                    // libtest may print the test's name before it on the same line.
                    Ok(line) if line.ends_with("ready") => break,
                    Ok(line) => {
                        if let Some(k) = line.strip_prefix("ack ") {
                            acknowledged.insert(k.parse::<u128>().unwrap());
                        }
                    }
                    Err(_) => {}
                }
            }
        }
        std::thread::sleep(Duration::from_micros(rng.random_range(0..60_000)));
        child.kill().unwrap();
        let status = child.wait().unwrap();
        assert!(!status.success(), "the child ended by itself: {status}");
        reader.join().unwrap();
        for line in rx.try_iter() {
            if let Some(k) = line.strip_prefix("ack ") {
                acknowledged.insert(k.parse::<u128>().unwrap());
            }
        }
        let t = Instant::now();
        check(&path, &acknowledged, round % 25 == 0 || round + 1 == kills);
        if std::env::var("PCN_STORE_CRASH_TRACE").is_ok() {
            eprintln!(
                "round {round}: {} acknowledged, {:?} since start, check {:?}",
                acknowledged.len(),
                started.elapsed(),
                t.elapsed()
            );
        }
    }
    assert!(
        acknowledged.len() > kills,
        "the child made progress: {} batches acknowledged in {kills} runs",
        acknowledged.len()
    );
    eprintln!(
        "{kills} kills, {} batches acknowledged, in {:.1} s",
        acknowledged.len(),
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn every_acknowledged_batch_survives_400_kills() {
    if std::env::var(CHILD).is_ok() {
        return;
    }
    crash_many(400, "crash");
}

#[test]
#[ignore = "long: about 3,000 kills; run with --ignored"]
fn every_acknowledged_batch_survives_3000_kills() {
    if std::env::var(CHILD).is_ok() {
        return;
    }
    crash_many(3_000, "crash-long");
}
