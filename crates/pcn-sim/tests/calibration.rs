//! The shipped parameters reproduce the published figures they were fitted to: a
//! test that fails when a fitted parameter drifts from its target.

#![allow(clippy::unwrap_used)]

use pcn_sim::calibration::{FitFigures, calibration_network};
use pcn_sim::{Parameters, RunId, Scenario, simulate_year};

#[test]
fn the_fitted_parameters_reproduce_england_within_three_percent() {
    let p = Parameters::published().unwrap();
    let network = calibration_network(200_000, &p).unwrap();
    let year = simulate_year(&network, &Scenario::baseline(), &p, RunId::new(7, 0, 0)).unwrap();
    let model = FitFigures::of(&year);
    let target = FitFigures::published().unwrap();
    let worst = model.worst_difference(&target);
    assert!(
        worst < 0.03,
        "worst relative difference {worst}: {model:?} against {target:?}"
    );
}

#[test]
fn a_drifted_parameter_is_caught() {
    let p = Parameters::published().unwrap();
    let mut v: serde_json::Value = serde_json::to_value(&p).unwrap();
    v["access"]["same_day_share"]["value"] = 0.30.into();
    let drifted = Parameters::from_json(&v.to_string()).unwrap();
    let network = calibration_network(100_000, &drifted).unwrap();
    let year = simulate_year(
        &network,
        &Scenario::baseline(),
        &drifted,
        RunId::new(7, 0, 0),
    )
    .unwrap();
    let worst = FitFigures::of(&year).worst_difference(&FitFigures::published().unwrap());
    assert!(worst > 0.05, "{worst}");
}
