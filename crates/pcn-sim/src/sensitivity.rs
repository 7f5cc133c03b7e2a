//! How much the headline differences of a scenario rest on its assumptions.
//!
//! Every assumed figure of the parameter file that carries a range (`"range": [low,
//! high]`) is set to each end of its range in turn, the comparison is run again with
//! the same seeds, and the headline differences between scenario and baseline are
//! reported beside those at the assumed value. A difference that changes sign across
//! an assumption's range rests on that assumption.

use serde::Serialize;

use crate::{Comparison, NetworkInput, Parameters, Scenario, SimError};

/// The headline differences the sensitivity table reports, by metric key.
pub const HEADLINES: [&str; 4] = [
    "gp_appointments_freed",
    "unmet",
    "emergency_admissions",
    "emergency_bed_days",
];

/// One assumption at the ends of its range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SensitivityRow {
    /// Where the figure is in the parameter file, as a JSON pointer
    /// (`/care_plans/admission_reduction`).
    pub parameter: String,
    /// The figure in words: the pointer with each list position replaced by the
    /// name of what it holds (`roles/clinical_pharmacist/appointments_per_fte_year`).
    pub label: String,
    /// The assumption's note.
    pub note: String,
    /// The assumed value.
    pub value: f64,
    /// The low end of its range.
    pub low: f64,
    /// The high end of its range.
    pub high: f64,
    /// For each headline metric: `(key, difference at low, difference at high)`;
    /// `None` where the parameters at that end do not pass their checks (a share in
    /// a table that must add up to 1 cannot move alone).
    pub effects: Vec<(String, Option<f64>, Option<f64>)>,
}

/// The sensitivity table of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sensitivity {
    /// The headline differences at the assumed values: `(key, difference)`.
    pub central: Vec<(String, Option<f64>)>,
    /// One row per ranged assumption.
    pub rows: Vec<SensitivityRow>,
}

/// Every ranged assumption of a parameter file: its JSON pointer, the key of its
/// value (`value` or `share`), the value, its range and its note.
fn ranged(
    value: &serde_json::Value,
    path: &str,
    out: &mut Vec<(String, String, f64, f64, f64, String)>,
) {
    match value {
        serde_json::Value::Object(map) => {
            let assumed = map.get("basis").and_then(|b| b.as_str()) == Some("assumption");
            let range = map.get("range").and_then(|r| r.as_array());
            if let (true, Some(range)) = (assumed, range) {
                let key = if map.contains_key("share") {
                    "share"
                } else {
                    "value"
                };
                let v = map.get(key).and_then(serde_json::Value::as_f64);
                let lo = range.first().and_then(serde_json::Value::as_f64);
                let hi = range.get(1).and_then(serde_json::Value::as_f64);
                if let (Some(v), Some(lo), Some(hi)) = (v, lo, hi) {
                    let note = map
                        .get("note")
                        .and_then(|n| n.as_str())
                        .unwrap_or_default()
                        .to_owned();
                    out.push((path.to_owned(), key.to_owned(), v, lo, hi, note));
                }
            }
            for (k, v) in map {
                ranged(v, &format!("{path}/{k}"), out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                ranged(v, &format!("{path}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// A JSON pointer with each array index replaced by the element's role, need,
/// destination or age band where it has one.
fn readable(json: &serde_json::Value, pointer: &str) -> String {
    let mut at = json;
    let mut parts = Vec::new();
    for part in pointer.split('/').filter(|p| !p.is_empty()) {
        let next = match at {
            serde_json::Value::Array(items) => {
                part.parse::<usize>().ok().and_then(|i| items.get(i))
            }
            serde_json::Value::Object(map) => map.get(part),
            _ => None,
        };
        let Some(next) = next else {
            parts.push(part.to_owned());
            continue;
        };
        let name = if at.is_array() {
            ["role", "need", "destination", "age_band"]
                .iter()
                .find_map(|k| next.get(*k).and_then(|v| v.as_str()))
                .map(str::to_owned)
        } else {
            None
        };
        parts.push(name.unwrap_or_else(|| part.to_owned()));
        at = next;
    }
    parts.join("/")
}

fn headline(comparison: &Comparison) -> Vec<(String, Option<f64>)> {
    HEADLINES
        .iter()
        .map(|k| {
            (
                (*k).to_owned(),
                comparison
                    .metric(k)
                    .and_then(|m| m.difference)
                    .map(|d| d.mean),
            )
        })
        .collect()
}

/// Runs the comparison at the assumed values and at each end of every ranged
/// assumption, with `replications` each and the same seed.
///
/// ```
/// use pcn_sim::{sensitivity, NetworkInput, Parameters, Scenario};
/// let parameters = Parameters::published()?;
/// let network = NetworkInput::synthetic("Riverside PCN", 5_000, 1, &parameters)?;
/// let table = sensitivity(&network, &Scenario::baseline(), &Scenario::primary_care_home(&parameters), &parameters, 2, 7)?;
/// let plans = table.rows.iter().find(|r| r.parameter == "/care_plans/admission_reduction").expect("ranged");
/// assert!(plans.low < plans.high);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`SimError`] if the central comparison fails.
pub fn sensitivity(
    network: &NetworkInput,
    baseline: &Scenario,
    scenario: &Scenario,
    parameters: &Parameters,
    replications: u32,
    seed: u64,
) -> Result<Sensitivity, SimError> {
    let central = Comparison::run(network, baseline, scenario, parameters, replications, seed)?;
    let json = serde_json::to_value(parameters).map_err(|e| SimError::ParametersUnreadable {
        reason: e.to_string(),
    })?;
    let mut found = Vec::new();
    ranged(&json, "", &mut found);
    let mut rows = Vec::new();
    for (path, key, value, low, high, note) in found {
        let label = readable(&json, &path);
        let at = |v: f64| -> Option<Vec<(String, Option<f64>)>> {
            let mut edited = json.clone();
            let slot = edited.pointer_mut(&format!("{path}/{key}"))?;
            // Whole-number figures (days) stay whole numbers.
            *slot = if slot.is_u64() {
                serde_json::Value::from(crate::population::to_u64(v.round()))
            } else {
                serde_json::Value::from(v)
            };
            let p = Parameters::from_json(&edited.to_string()).ok()?;
            let c = Comparison::run(network, baseline, scenario, &p, replications, seed).ok()?;
            Some(headline(&c))
        };
        let (lo, hi) = (at(low), at(high));
        let effects = HEADLINES
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let pick = |r: &Option<Vec<(String, Option<f64>)>>| {
                    r.as_ref().and_then(|v| v.get(i)).and_then(|(_, d)| *d)
                };
                ((*k).to_owned(), pick(&lo), pick(&hi))
            })
            .collect();
        rows.push(SensitivityRow {
            parameter: path,
            label,
            note,
            value,
            low,
            high,
            effects,
        });
    }
    Ok(Sensitivity {
        central: headline(&central),
        rows,
    })
}
