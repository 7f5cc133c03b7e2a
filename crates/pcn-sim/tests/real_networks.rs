//! The network year on every real PCN of the shipped extracts (North Central London
//! 93C and Southport and Formby 01V), beside the published appointment figures of
//! each PCN's ICB: figures the national fit did not use.
//!
//! Stated tolerances, per figure, ±25 %: the share on the day and within 7 days.
//! The share not attended is below both ICBs' published share in every PCN (17 % to
//! 26 % below, two PCNs beyond the tolerance): the model's DNA rates are England's,
//! and both ICBs miss more appointments than England. Three local figures of North
//! Central London the model does not reach
//! are checked for what they are: London books far fewer appointments over 28 days
//! ahead than England (1.2 % against 3.3 %), records fewer appointments per patient
//! (4.25 against 5.26) and more of them with GPs (62 % against 52 %); the model,
//! fitted to England and driven by age, sex and each PCN's own additional roles,
//! gives these PCNs England's booking pattern, more appointments and a smaller GP
//! share (up to 25 % below, where a PCN employs many other staff). The test holds
//! that finding so that a change which explains it shows.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use pcn_ods::{
    AgeSexLists, DataFile, DataFolder, ReadOptions, read_deprivation, read_practice_map,
    read_workforce, workforce_by_pcn,
};
use pcn_sim::{
    Parameters, RunId, Scenario, Validation, icb_of_sub_icb, real_network, simulate_year,
};

const REACHED: [&str; 2] = ["same_day_share", "within_7_days_share"];

#[test]
fn every_shipped_pcn_beside_its_icb() {
    let folder = DataFolder::find(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data")).unwrap();
    let map = read_practice_map(
        folder.open(DataFile::PracticeMap).unwrap(),
        &ReadOptions::default(),
    )
    .unwrap()
    .records;
    let lists = AgeSexLists::read(folder.open(DataFile::QuinaryAge).unwrap()).unwrap();
    let wf = workforce_by_pcn(
        &read_workforce(
            folder.open(DataFile::Workforce).unwrap(),
            &ReadOptions::default(),
        )
        .unwrap()
        .records,
    );
    let p = Parameters::published().unwrap();
    let mut codes: Vec<_> = map.iter().filter_map(|r| r.pcn).collect();
    codes.sort();
    codes.dedup();
    assert!(codes.len() >= 30, "{} PCNs", codes.len());
    for code in codes {
        let real = real_network(&code, &map, "map", &lists, Some((&wf, "wf")), &p, 1).unwrap();
        assert_eq!(real.input.id(), pcn_core::NetworkId::from_ods(&code));
        let year =
            simulate_year(&real.input, &Scenario::baseline(), &p, RunId::new(1, 0, 0)).unwrap();
        let icb = icb_of_sub_icb(&real.sub_icb.to_string()).unwrap();
        let v = Validation::local(&year, icb).unwrap();
        for key in REACHED {
            let row = v.row(key).unwrap();
            assert!(row.within, "{code}: {row:?}");
        }
        // A finding the model does not reach, in both shipped ICBs: fewer missed
        // appointments than they record (17 % to 26 % fewer; 2 of 34 networks
        // beyond the 25 % tolerance), as the DNA rates are England's and these
        // ICBs miss more (5.6 % and 5.5 % against England's 4.5 %).
        assert!(v.row("dna_share").unwrap().relative_difference < 0.0);
        // The finding the model does not reach: more appointments than London records.
        if icb == "E54000028" {
            assert!(
                v.row("appointments_per_person")
                    .unwrap()
                    .relative_difference
                    > 0.0
            );
            assert!(!v.row("over_28_days_share").unwrap().within);
            assert!(v.row("gp_share").unwrap().relative_difference < 0.0);
        }
    }
}

#[test]
fn an_unknown_pcn_and_a_practice_without_a_list_are_named() {
    let folder = DataFolder::find(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data")).unwrap();
    let mut map = read_practice_map(
        folder.open(DataFile::PracticeMap).unwrap(),
        &ReadOptions::default(),
    )
    .unwrap()
    .records;
    let lists = AgeSexLists::read(folder.open(DataFile::QuinaryAge).unwrap()).unwrap();
    let p = Parameters::published().unwrap();
    let err = real_network(
        &"U99999".parse().unwrap(),
        &map,
        "the map",
        &lists,
        None,
        &p,
        1,
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("U99999") && err.to_string().contains("the map"),
        "{err}"
    );
    // A member practice the lists do not hold.
    let mut ghost = map[0].clone();
    ghost.practice = "Y99999".parse().unwrap();
    let pcn = ghost.pcn.unwrap();
    map.push(ghost);
    let err = real_network(&pcn, &map, "the map", &lists, None, &p, 1).unwrap_err();
    assert!(err.to_string().contains("Y99999"), "{err}");
    assert!(err.to_string().contains(lists.file()), "{err}");
}

#[test]
fn a_real_network_is_admitted_at_its_deprivation_tenths_ratio() {
    let folder = DataFolder::find(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data")).unwrap();
    let options = ReadOptions::default();
    let map = read_practice_map(folder.open(DataFile::PracticeMap).unwrap(), &options)
        .unwrap()
        .records;
    let lists = AgeSexLists::read(folder.open(DataFile::QuinaryAge).unwrap()).unwrap();
    let scores = read_deprivation(folder.open(DataFile::Deprivation).unwrap(), &options)
        .unwrap()
        .records;
    let p = Parameters::published().unwrap();
    let code = "U02795".parse().unwrap();
    let plain = real_network(&code, &map, "map", &lists, None, &p, 1).unwrap();
    let scores = pcn_sim::PracticeScores::from_records(&scores, "scores");
    let scored = plain.clone().with_deprivation(&scores, &p);
    let d = scored.deprivation.as_ref().unwrap();
    // North 2 Islington: every practice scored, in England's second to fourth tenths.
    assert!(d.unscored_practices.is_empty());
    assert_eq!(d.patients_by_tenth.iter().sum::<u64>(), 111_192);
    let ratio = scored.input.admission_ratio(&p);
    assert!(ratio > 1.0 && ratio < 1.2, "{ratio}");
    assert!((plain.input.admission_ratio(&p) - 1.0).abs() < f64::EPSILON);
    // Admissions over ten replications follow the ratio (about 12,000 a year: a
    // standard error of about 0.3 %).
    let admissions = |input: &pcn_sim::NetworkInput| -> u64 {
        (0..10)
            .map(|r| {
                simulate_year(input, &Scenario::baseline(), &p, RunId::new(3, r, 0))
                    .unwrap()
                    .admissions()
            })
            .sum()
    };
    let observed = admissions(&scored.input) as f64 / admissions(&plain.input) as f64;
    assert!(
        (observed / ratio - 1.0).abs() < 0.02,
        "{observed} against {ratio}"
    );
}
