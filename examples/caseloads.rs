//! Places a network's caseloads optimally and explains who waits.
//!
//! The network is the caseload bench's: 2,000 patients with complex needs and 1,000
//! others, 60 staff in three teams over four localities, generated from a fixed seed
//! by `pcn_team::synthetic` (synthetic staff and caseload figures, not guidance).
//! Its localities are centred on real practices, read from the shipped extract of
//! the geocoded London practice list (`data/london-practices-2022-extract.csv`);
//! each team starts its rounds from one of them and patients live within 1.5 km of
//! their locality's practice. Travel time is the straight-line distance times a
//! road factor at an average speed, both stated assumptions
//! (`pcn_team::TravelAssumptions`).
//!
//! It prints the greedy planner's count, the optimal count with the bound ("no
//! placement can place more than N"), the travel with its own bound ("least
//! possible", or how far above the least possible it may be), each worker's
//! caseload and travel, and what would place those who wait.
//!
//! Run with `cargo run --release --example caseloads`; `-- --help` for options.

use std::error::Error;
use std::path::Path;
use std::time::Instant;

use pcn::core::{Location, StaffId, TeamId};
use pcn::ods::{Input, ReadOptions, read_locations};
use pcn::team::synthetic::{NetworkSpec, SyntheticNetwork};
use pcn::team::{CaseloadPlanner, Objective, PlacementOptions, UnassignedReason};

const HELP: &str = "\
Places a network's caseloads optimally: the most patients placed, then the least
disruption of existing care, then the least travel, then the most even load; with
the bound on how many any placement could place, and what would place those waiting.

Usage: cargo run --release --example caseloads -- [OPTIONS]

Options:
  --patients N     patients to place (two in three with complex needs) [3000]
  --staff N        staff, GPs included [60]
  --teams N        teams [3]
  --localities N   localities, each around one practice of the extract [4]
  --practices N    GP practices [6]
  --large          a large PCN: 50,000 patients, 400 staff, 24 teams, 8 localities, 10 practices
  --seed S         the generator's seed [20190701]
  --workers N      workers to list, busiest rounds first [all]
  --travel-ms N    time for each search for least travel (and the most even load)
                   over every coordination, in milliseconds [2000]; about 600
                   proves both here
  --choose-who-waits
                   let that search also choose who waits, among placements as good
                   in the count and in existing care kept (slower; a little less travel)
  --bound-ms N     time for the bound on travel where that search does not finish,
                   in milliseconds [500]; more time, a closer bound
  -h, --help       this help
";

/// The options of a run.
#[derive(Debug)]
struct Options {
    spec: NetworkSpec,
    seed: u64,
    workers: Option<usize>,
    placement: PlacementOptions,
}

fn parse(args: impl Iterator<Item = String>) -> Result<Option<Options>, Box<dyn Error>> {
    let mut spec = NetworkSpec::fifty_thousand();
    let mut seed = 20_190_701;
    let mut workers = None;
    let mut patients: Option<u32> = None;
    let mut placement = PlacementOptions::default();
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| -> Result<String, Box<dyn Error>> {
            args.next()
                .ok_or_else(|| format!("{name} needs a value; see --help").into())
        };
        let number = |text: String, name: &str| -> Result<u32, Box<dyn Error>> {
            text.parse::<u32>()
                .map_err(|_| format!("{name} takes a whole number, not {text:?}").into())
        };
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--patients" => patients = Some(number(value(&arg)?, &arg)?),
            "--staff" => spec.staff = number(value(&arg)?, &arg)?,
            "--teams" => spec.teams = number(value(&arg)?, &arg)?,
            "--localities" => spec.localities = number(value(&arg)?, &arg)?,
            "--practices" => spec.practices = number(value(&arg)?, &arg)?,
            "--workers" => workers = Some(number(value(&arg)?, &arg)? as usize),
            "--choose-who-waits" => placement.travel_chooses_who_waits = true,
            "--travel-ms" => {
                placement.travel_time_limit_ms = u64::from(number(value(&arg)?, &arg)?);
            }
            "--bound-ms" => {
                placement.bound_time_limit_ms = u64::from(number(value(&arg)?, &arg)?);
            }
            "--seed" => {
                let text = value(&arg)?;
                seed = text
                    .parse()
                    .map_err(|_| format!("--seed takes a whole number, not {text:?}"))?;
            }
            "--large" => {
                spec = NetworkSpec {
                    complex_patients: 20_000,
                    other_patients: 30_000,
                    staff: 400,
                    practices: 10,
                    localities: 8,
                    teams: 24,
                };
            }
            other => return Err(format!("unknown option {other:?}; see --help").into()),
        }
    }
    if let Some(n) = patients {
        spec.complex_patients = n / 3 * 2;
        spec.other_patients = n - spec.complex_patients;
    }
    Ok(Some(Options {
        spec,
        seed,
        workers,
        placement,
    }))
}

fn minutes(seconds: Option<u32>) -> String {
    seconds.map_or_else(|| "-".to_owned(), |s| format!("{:.0}", f64::from(s) / 60.0))
}

fn run() -> Result<(), Box<dyn Error>> {
    let Some(options) = parse(std::env::args().skip(1))? else {
        print!("{HELP}");
        return Ok(());
    };
    let spec = options.spec;
    let net = SyntheticNetwork::generate(options.seed, 0, &spec)?;

    // Real practice locations, as published, for the localities' centres.
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/london-practices-2022-extract.csv");
    let parsed = read_locations(Input::open(&file)?, &ReadOptions::collecting())?;
    let centres: Vec<(String, Location)> = parsed
        .records
        .iter()
        .take(spec.localities.max(1) as usize)
        .map(|r| (r.practice.to_string(), r.location))
        .collect();
    let locations: Vec<Location> = centres.iter().map(|(_, l)| *l).collect();
    let places = net.places(options.seed, &locations, 1_500);

    println!(
        "A network of {} patients ({} with complex needs) and {} staff in {} teams over {} localities.",
        net.patients.len(),
        spec.complex_patients,
        spec.staff,
        spec.teams,
        spec.localities
    );
    for (n, (code, location)) in centres.iter().enumerate() {
        println!(
            "  locality {n}: around practice {code} ({:.4}, {:.4})",
            location.latitude(),
            location.longitude()
        );
    }

    let planner = CaseloadPlanner::new(&net.workforce, net.network, &net.policy, net.on);
    let started = Instant::now();
    let greedy = planner.assign(&net.patients);
    println!(
        "\nGreedy planner: {} placed in {:.1} ms.",
        greedy.assignments().len(),
        started.elapsed().as_secs_f64() * 1e3
    );

    let started = Instant::now();
    let placement = planner.place(&net.patients, &places, &options.placement)?;
    println!(
        "Optimal placement: {} (in {:.2} s).",
        placement.bound,
        started.elapsed().as_secs_f64()
    );
    for stage in &placement.stages {
        let status = match (stage.proven_optimal, stage.objective, stage.gap) {
            (true, _, _) => "proven".to_owned(),
            (false, Objective::LeastTravel, Some(g)) => {
                format!("{:.1} % above the relaxation's bound", g * 100.0)
            }
            (false, _, Some(g)) => format!("stopped within {:.1} % of the proven best", g * 100.0),
            (false, _, None) => "not proven".to_owned(),
        };
        println!(
            "  {:<16} {:>12.2}  {status}, {} ms",
            stage.objective.to_string(),
            stage.value,
            stage.elapsed_ms
        );
    }

    let team_name = |id: TeamId| {
        net.workforce
            .team(id)
            .map_or_else(|| id.to_string(), |t| t.name().to_owned())
    };
    let staff_name = |id: StaffId| {
        net.workforce
            .staff(id)
            .map_or_else(|| id.to_string(), |s| s.name().to_owned())
    };
    let known: Vec<u32> = placement.travel.iter().filter_map(|t| t.seconds).collect();
    if !known.is_empty() {
        let mean = known.iter().map(|&s| u64::from(s)).sum::<u64>() / known.len() as u64;
        println!(
            "\nTravel: {} placed patients a mean {} min from their key worker's base (one way; road factor {:.2}, {} km/h, both assumptions).",
            known.len(),
            minutes(u32::try_from(mean).ok()),
            f64::from(options.placement.travel.road_factor_hundredths()) / 100.0,
            options.placement.travel.speed_kmh()
        );
    }
    if let Some(stage) = placement
        .stages
        .iter()
        .find(|s| s.objective == Objective::LeastTravel)
    {
        match (stage.proven_optimal, stage.bound) {
            (true, _) if options.placement.travel_chooses_who_waits => println!(
                "Travel: least possible: no placement as good in the count and in existing care kept, with whoever waits in a class the last given, travels less than {:.0} min in all.",
                stage.value
            ),
            (true, _) => println!(
                "Travel: least possible: no placement of these patients, keeping as much existing care, travels less than {:.0} min in all.",
                stage.value
            ),
            (false, Some(bound)) => println!(
                "Travel: {:.0} min in all, the least with the care coordinators as chosen; no placement of these patients, keeping the key workers kept, travels less than {:.0} min, so it is at most {:.0} min ({:.1} %) above the least possible.",
                stage.value,
                bound,
                stage.value - bound,
                stage.gap.unwrap_or(0.0) * 100.0
            ),
            (false, None) => println!("Travel: {:.0} min in all, not proven least.", stage.value),
        }
        if !stage.proven_optimal {
            println!(
                "        (the search over every coordination had {} ms and did not finish, the bound {} ms; more time with --travel-ms or --bound-ms may close the gap)",
                options.placement.travel_time_limit_ms, options.placement.bound_time_limit_ms
            );
        }
    }
    let mut rounds: Vec<_> = placement.rounds.iter().filter(|r| r.patients > 0).collect();
    rounds.sort_by_key(|r| std::cmp::Reverse(r.round_seconds.unwrap_or(0)));
    let shown = options.workers.unwrap_or(rounds.len()).min(rounds.len());
    println!(
        "\n{:<12} {:<34} {:>9} {:>9} {:>10}",
        "team", "worker", "patients", "one way", "day's round (upper estimate)"
    );
    for round in &rounds[..shown] {
        println!(
            "{:<12} {:<34} {:>4}/{:<4} {:>5} min {:>6} min",
            team_name(round.team),
            staff_name(round.staff),
            round.patients,
            round.capacity,
            minutes(round.mean_seconds),
            minutes(round.round_seconds)
        );
    }
    if shown < rounds.len() {
        println!("... and {} more workers", rounds.len() - shown);
    }

    let unplaced = placement.caseloads.unassigned();
    println!("\n{} waiting. What would place them:", unplaced.len());
    for shortfall in &placement.shortfalls {
        println!("  {shortfall}");
    }
    let coordinators = unplaced
        .iter()
        .filter(|u| matches!(u.reasons[..], [UnassignedReason::NoCareCoordinator { .. }]))
        .count();
    if coordinators > 0 {
        println!(
            "  ({coordinators} of them have a key worker with room but no care coordinator with room in that team.)"
        );
    }
    println!(
        "\nContinuity: {} named people kept, {} changed (this run starts with no existing care).",
        placement.continuity.kept, placement.continuity.changed
    );
    Ok(())
}

fn main() {
    if let Err(error) = run() {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}
