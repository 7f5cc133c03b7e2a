//! Fits the network year's access parameters to England's published appointment
//! figures and prints each step beside the targets, then the fitted values to copy
//! into `crates/pcn-sim/data/parameters.json`.
//!
//! ```sh
//! cargo run --release --example calibrate            # 200,000 people, 2 replications a step
//! cargo run --release --example calibrate -- --people 500000 --replications 4
//! ```
//!
//! With `--deprivation DIR` it fits instead the deprivation tenths of emergency
//! admissions (`pcn_sim::deprivation`) from the national files in `DIR` (the
//! quinary-age lists and the practice deprivation scores, as the shared data folder
//! holds them) and prints each tenth beside its published rate:
//!
//! ```sh
//! cargo run --release --example calibrate -- --deprivation ../shared/data
//! ```

use pcn_ods::{AgeSexLists, DataFile, DataFolder, ReadOptions, read_deprivation};
use pcn_sim::calibration::{FitFigures, calibrate};
use pcn_sim::{Parameters, PracticeScores, fit_deprivation, scored_practices};

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut people = 200_000u64;
    let mut replications = 2u32;
    let mut deprivation = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--people" => people = args.next().ok_or("--people needs a number")?.parse()?,
            "--replications" => {
                replications = args
                    .next()
                    .ok_or("--replications needs a number")?
                    .parse()?;
            }
            "--deprivation" => {
                deprivation = Some(args.next().ok_or("--deprivation needs a folder")?);
            }
            "--help" | "-h" => {
                println!(
                    "usage: calibrate [--people N (default 200000)] [--replications R (default 2)]\n       calibrate --deprivation DIR   (the national lists and deprivation scores)"
                );
                return Ok(());
            }
            other => return Err(format!("unknown option {other}; try --help").into()),
        }
    }
    if let Some(dir) = deprivation {
        return fit_tenths(&dir);
    }
    let target = FitFigures::published()?;
    println!("targets: {}", serde_json::to_string(&target)?);
    let (fitted, steps) = calibrate(&Parameters::published()?, people, replications, 40, 0.01)?;
    for (i, step) in steps.iter().enumerate() {
        println!(
            "step {i:>2}: worst difference {:>5.1} %  {}",
            100.0 * step.figures.worst_difference(&target),
            serde_json::to_string(&step.figures)?
        );
    }
    println!(
        "fitted: {}",
        serde_json::to_string_pretty(&pcn_sim::calibration::Fit::of(&fitted))?
    );
    Ok(())
}

/// Fits the deprivation tenths from the national files in `dir` and prints them.
fn fit_tenths(dir: &str) -> Result<(), Box<dyn std::error::Error>> {
    let folder = DataFolder::find(dir)?;
    let lists = AgeSexLists::read(folder.open(DataFile::QuinaryAge)?)?;
    let input = folder.open(DataFile::Deprivation)?;
    let file = input.name().to_owned();
    let scores = PracticeScores::from_records(
        &read_deprivation(input, &ReadOptions::default())?.records,
        &file,
    );
    let (practices, unscored) = scored_practices(&lists, &scores);
    let parameters = Parameters::published()?;
    let fit = fit_deprivation(&practices, &parameters)?;
    println!(
        "{} practices with a score ({} without), lists of {}",
        practices.len(),
        unscored,
        lists
            .date()
            .map_or_else(|| "an unstated date".to_owned(), |d| d.to_string())
    );
    println!("tenth  lowest score  patients    expected  published  ratio");
    for t in 0..fit.ratios.len() {
        let cut = fit
            .score_cuts
            .get(t)
            .map_or_else(|| "-".to_owned(), |c| format!("{c:.3}"));
        println!(
            "{:>5}  {cut:>12}  {:>10}  {:>8.4}  {:>9.4}  {:.4}",
            t + 1,
            fit.patients[t],
            fit.expected[t],
            fit.observed[t],
            fit.ratios[t]
        );
    }
    let patients: u64 = fit.patients.iter().sum();
    let expected: f64 = fit
        .patients
        .iter()
        .zip(fit.expected)
        .map(|(p, e)| *p as f64 * e)
        .sum();
    let fitted: f64 = fit
        .patients
        .iter()
        .zip(fit.observed)
        .map(|(p, o)| *p as f64 * o)
        .sum();
    println!(
        "England: {:.1} emergency admissions per 1,000 from ages alone, {:.1} with the tenths' ratios",
        1000.0 * expected / patients.max(1) as f64,
        1000.0 * fitted / patients.max(1) as f64
    );
    println!("fitted: {}", serde_json::to_string(&fit)?);
    Ok(())
}
