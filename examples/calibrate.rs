//! Fits the network year's access parameters to England's published appointment
//! figures and prints each step beside the targets, then the fitted values to copy
//! into `crates/pcn-sim/data/parameters.json`.
//!
//! ```sh
//! cargo run --release --example calibrate            # 200,000 people, 2 replications a step
//! cargo run --release --example calibrate -- --people 500000 --replications 4
//! ```

use pcn_sim::Parameters;
use pcn_sim::calibration::{FitFigures, calibrate};

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut people = 200_000u64;
    let mut replications = 2u32;
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
            "--help" | "-h" => {
                println!(
                    "usage: calibrate [--people N (default 200000)] [--replications R (default 2)]"
                );
                return Ok(());
            }
            other => return Err(format!("unknown option {other}; try --help").into()),
        }
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
