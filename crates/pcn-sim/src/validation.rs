//! The baseline beside the published figures: every run says how far its year is
//! from what general practice and hospitals in England actually recorded.
//!
//! A model figure is worth only what its comparison with the published one shows.
//! [`Validation`] puts each figure of a year beside its published counterpart, with
//! the source, the tolerance and the relative difference: appointments per
//! registered patient, the share with GPs, the time from booking to appointment
//! (same day, within 7 days, over 28 days), the share not attended, emergency
//! admissions per 1,000 and the mean length of stay. Nationally the published figures
//! are England's (Appointments in General Practice, July 2021 to June 2022; Hospital
//! Admitted Patient Care 2022-23); for one network they are its ICB's appointment
//! figures over the same months, figures the national fit never saw.

use std::fmt;

use pcn_core::Role;
use serde::{Deserialize, Serialize};

use crate::{SimError, YearOutcome};

const SUMMARY: &str = include_str!("../data/gpad-2021-07-to-2022-06-summary.csv");
const TARGETS: &str = include_str!("../data/targets.json");
const SUB_ICB_TO_ICB: &str = include_str!("../data/subicb-icb-2022-06.csv");

/// The ICB (ONS code, 2022 boundaries) of a sub-ICB location (`93C`), as the
/// appointment coverage file of June 2022 gives it: sub-ICB codes outlive the ICB
/// mergers of 2026, so a practice's sub-ICB location finds the ICB whose published
/// figures cover it.
///
/// ```
/// assert_eq!(pcn_sim::icb_of_sub_icb("93C"), Some("E54000028"));
/// assert_eq!(pcn_sim::icb_of_sub_icb("XXX"), None);
/// ```
#[must_use]
pub fn icb_of_sub_icb(sub_icb: &str) -> Option<&'static str> {
    SUB_ICB_TO_ICB.lines().skip(1).find_map(|line| {
        let (code, icb) = line.trim_end().split_once(',')?;
        (code == sub_icb.trim()).then_some(icb)
    })
}

/// The published appointment figures of one area over twelve months: England or an
/// integrated care board (by its ONS code, `E54000028`).
///
/// ```
/// use pcn_sim::PublishedActivity;
/// let england = PublishedActivity::england()?;
/// assert_eq!(england.appointments, 321_785_989);
/// assert!((england.appointments_per_person() - 5.26).abs() < 0.005);
/// assert!((england.same_day_share() - 0.444).abs() < 0.0005);
/// let ncl = PublishedActivity::area("E54000028")?;
/// assert!((ncl.appointments_per_person() - 4.25).abs() < 0.005);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedActivity {
    /// `ENGLAND` or the ICB's ONS code.
    pub area: String,
    /// Appointments in the twelve months (attended, not attended and unknown).
    pub appointments: u64,
    /// Mean patients registered at the practices included in the counts.
    pub patients: u64,
    /// Appointments with GPs.
    pub gp: u64,
    /// Appointments with other practice staff.
    pub other_staff: u64,
    /// Appointments not attended.
    pub did_not_attend: u64,
    /// Appointments by days from booking: same day, 1 day, 2-7, 8-14, 15-21, 22-28,
    /// more than 28 (unknown intervals left out).
    pub by_interval: [u64; 7],
}

impl PublishedActivity {
    /// Every area of the shipped summary, England first.
    ///
    /// # Errors
    /// [`SimError::ParametersUnreadable`] if the shipped file were broken (the
    /// crate's tests rule it out).
    pub fn all() -> Result<Vec<Self>, SimError> {
        let mut reader = csv::Reader::from_reader(SUMMARY.as_bytes());
        let mut out = Vec::new();
        for row in reader.records() {
            let row = row.map_err(|e| unreadable(&e.to_string()))?;
            let n = |i: usize| -> Result<u64, SimError> {
                row.get(i)
                    .and_then(|v| v.parse().ok())
                    .ok_or_else(|| unreadable(&format!("column {i} of {row:?}")))
            };
            out.push(Self {
                area: row.get(0).unwrap_or_default().to_owned(),
                appointments: n(1)?,
                patients: n(2)?,
                gp: n(3)?,
                other_staff: n(4)?,
                did_not_attend: n(6)?,
                by_interval: [n(7)?, n(8)?, n(9)?, n(10)?, n(11)?, n(12)?, n(13)?],
            });
        }
        Ok(out)
    }

    /// England's figures.
    ///
    /// # Errors
    /// As [`PublishedActivity::all`].
    pub fn england() -> Result<Self, SimError> {
        Self::area("ENGLAND")
    }

    /// One ICB's figures by its ONS code (`E54000028`).
    ///
    /// # Errors
    /// [`SimError::UnknownArea`] if the summary has no such area.
    pub fn area(code: &str) -> Result<Self, SimError> {
        Self::all()?
            .into_iter()
            .find(|a| a.area == code)
            .ok_or_else(|| SimError::UnknownArea {
                code: code.to_owned(),
            })
    }

    /// Appointments per registered patient a year.
    #[must_use]
    pub fn appointments_per_person(&self) -> f64 {
        ratio(self.appointments, self.patients)
    }

    /// The share with GPs of the appointments whose professional is known.
    #[must_use]
    pub fn gp_share(&self) -> f64 {
        ratio(self.gp, self.gp + self.other_staff)
    }

    fn known_intervals(&self) -> u64 {
        self.by_interval.iter().sum()
    }

    /// The share booked and held on the same day.
    #[must_use]
    pub fn same_day_share(&self) -> f64 {
        ratio(self.by_interval[0], self.known_intervals())
    }

    /// The share held within 7 days of booking.
    #[must_use]
    pub fn within_7_days_share(&self) -> f64 {
        ratio(self.by_interval[..3].iter().sum(), self.known_intervals())
    }

    /// The share held more than 28 days after booking.
    #[must_use]
    pub fn over_28_days_share(&self) -> f64 {
        ratio(self.by_interval[6], self.known_intervals())
    }

    /// The share of each published interval.
    #[must_use]
    pub fn interval_shares(&self) -> [f64; 7] {
        let known = self.known_intervals();
        self.by_interval.map(|n| ratio(n, known))
    }

    /// The share not attended.
    #[must_use]
    pub fn dna_share(&self) -> f64 {
        ratio(self.did_not_attend, self.appointments)
    }
}

fn unreadable(reason: &str) -> SimError {
    SimError::ParametersUnreadable {
        reason: format!("validation data: {reason}"),
    }
}

#[allow(clippy::cast_precision_loss)]
fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// The published intervals of time from booking to appointment, as reports label
/// them.
pub const INTERVALS: [&str; 7] = [
    "same day",
    "1 day",
    "2-7 days",
    "8-14 days",
    "15-21 days",
    "22-28 days",
    "over 28 days",
];

/// The published intervals' first and last days (the last is open-ended).
const INTERVAL_DAYS: [(usize, usize); 7] = [
    (0, 0),
    (1, 1),
    (2, 7),
    (8, 14),
    (15, 21),
    (22, 28),
    (29, usize::MAX),
];

/// A year's appointments by the published intervals of time from booking (counts).
#[must_use]
pub fn appointments_by_interval(year: &YearOutcome) -> [u64; 7] {
    let mut out = [0u64; 7];
    for p in year.pathways() {
        for (slot, (from, to)) in out.iter_mut().zip(INTERVAL_DAYS) {
            *slot += p.waits.between(from, to);
        }
    }
    out
}

/// One figure beside its published counterpart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidationRow {
    /// A stable key (`appointments_per_person`, `gp_share`, ...).
    pub key: String,
    /// The figure in words.
    pub figure: String,
    /// The model's value (shares as fractions, 0 to 1).
    pub model: f64,
    /// The published value.
    pub published: f64,
    /// Where the published value comes from.
    pub source: String,
    /// The tolerance, as a relative difference (0.1 is ±10 %).
    pub tolerance: f64,
    /// `(model - published) / published`.
    pub relative_difference: f64,
    /// Whether the difference is within the tolerance.
    pub within: bool,
    /// Whether the figure is a share (printed as a percentage).
    pub share: bool,
}

/// A year's figures beside the published ones: the opening table of every run.
///
/// ```
/// use pcn_sim::{simulate_year, NetworkInput, Parameters, RunId, Scenario, Validation};
/// let parameters = Parameters::published()?;
/// let network = NetworkInput::synthetic("England-like", 30_000, 3, &parameters)?;
/// let year = simulate_year(&network, &Scenario::baseline(), &parameters, RunId::new(1, 0, 0))?;
/// let validation = Validation::national(&year)?;
/// let row = validation.row("appointments_per_person").expect("always reported");
/// assert!(row.published > 5.0);
/// println!("{validation}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Validation {
    /// What the published figures are for (`England`, or an ICB).
    pub against: String,
    /// The figures.
    pub rows: Vec<ValidationRow>,
}

#[derive(Deserialize)]
struct Targets {
    appointments: AppointmentsSource,
    national_tolerance: f64,
    local_tolerance: f64,
    hospital: Hospital,
}

#[derive(Deserialize)]
struct AppointmentsSource {
    period: String,
    source: String,
}

#[derive(Deserialize)]
struct Hospital {
    emergency_admissions_per_1000: Figure,
    mean_length_of_stay: Figure,
}

#[derive(Deserialize)]
struct Figure {
    value: f64,
    source: String,
}

fn targets() -> Result<Targets, SimError> {
    serde_json::from_str(TARGETS).map_err(|e| unreadable(&e.to_string()))
}

impl Validation {
    /// The year beside England's published figures, each within ±10 %.
    ///
    /// # Errors
    /// [`SimError::ParametersUnreadable`] only if the shipped figures were broken.
    pub fn national(year: &YearOutcome) -> Result<Self, SimError> {
        let t = targets()?;
        let mut v = Self::against_area(
            year,
            &PublishedActivity::england()?,
            "England",
            t.national_tolerance,
        )?;
        let people = year.population().max(1) as f64;
        let admissions = year.admissions() as f64;
        v.push(
            "emergency_admissions_per_1000",
            "emergency admissions per 1,000 people a year",
            1000.0 * admissions / people,
            t.hospital.emergency_admissions_per_1000.value,
            &t.hospital.emergency_admissions_per_1000.source,
            t.national_tolerance,
            false,
        );
        let los = if admissions > 0.0 {
            year.bed_days() as f64 / admissions
        } else {
            0.0
        };
        v.push(
            "mean_length_of_stay",
            "mean length of stay of an emergency admission (days)",
            los,
            t.hospital.mean_length_of_stay.value,
            &t.hospital.mean_length_of_stay.source,
            t.national_tolerance,
            false,
        );
        Ok(v)
    }

    /// The year beside one ICB's published appointment figures (figures the national
    /// fit did not use), each within the local tolerance (±25 %).
    ///
    /// # Errors
    /// [`SimError::UnknownArea`] if the ICB is not in the summary.
    pub fn local(year: &YearOutcome, icb: &str) -> Result<Self, SimError> {
        let t = targets()?;
        Self::against_area(
            year,
            &PublishedActivity::area(icb)?,
            &format!("ICB {icb}"),
            t.local_tolerance,
        )
    }

    fn against_area(
        year: &YearOutcome,
        area: &PublishedActivity,
        name: &str,
        tolerance: f64,
    ) -> Result<Self, SimError> {
        let t = targets()?;
        let source = format!(
            "{} ({}; {})",
            t.appointments.source, name, t.appointments.period
        );
        let mut v = Self {
            against: name.to_owned(),
            rows: Vec::new(),
        };
        let appointments: u64 = year.roles().iter().map(|r| r.used).sum();
        let gp = year.appointments_used(Role::Gp);
        let by_interval = appointments_by_interval(year);
        let known: u64 = by_interval.iter().sum();
        let dna: u64 = year.pathways().iter().map(|p| p.did_not_attend).sum();
        let met: u64 = year.met();
        v.push(
            "appointments_per_person",
            "appointments per registered patient a year",
            ratio(appointments, year.population()),
            area.appointments_per_person(),
            &source,
            tolerance,
            false,
        );
        v.push(
            "gp_share",
            "share of appointments with GPs",
            ratio(gp, appointments),
            area.gp_share(),
            &source,
            tolerance,
            true,
        );
        v.push(
            "same_day_share",
            "share on the day of booking",
            ratio(by_interval[0], known),
            area.same_day_share(),
            &source,
            tolerance,
            true,
        );
        v.push(
            "within_7_days_share",
            "share within 7 days of booking",
            ratio(by_interval[..3].iter().sum(), known),
            area.within_7_days_share(),
            &source,
            tolerance,
            true,
        );
        v.push(
            "over_28_days_share",
            "share more than 28 days after booking",
            ratio(by_interval[6], known),
            area.over_28_days_share(),
            &source,
            tolerance,
            true,
        );
        v.push(
            "dna_share",
            "share of appointments not attended",
            ratio(dna, met),
            area.dna_share(),
            &source,
            tolerance,
            true,
        );
        Ok(v)
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        key: &str,
        figure: &str,
        model: f64,
        published: f64,
        source: &str,
        tolerance: f64,
        share: bool,
    ) {
        let relative_difference = if published == 0.0 {
            0.0
        } else {
            (model - published) / published
        };
        self.rows.push(ValidationRow {
            key: key.to_owned(),
            figure: figure.to_owned(),
            model,
            published,
            source: source.to_owned(),
            tolerance,
            relative_difference,
            within: relative_difference.abs() <= tolerance,
            share,
        });
    }

    /// One figure by key.
    #[must_use]
    pub fn row(&self, key: &str) -> Option<&ValidationRow> {
        self.rows.iter().find(|r| r.key == key)
    }

    /// The figures outside their tolerance.
    pub fn failures(&self) -> impl Iterator<Item = &ValidationRow> {
        self.rows.iter().filter(|r| !r.within)
    }

    /// Whether every figure is within its tolerance.
    #[must_use]
    pub fn passed(&self) -> bool {
        self.failures().next().is_none()
    }
}

impl ValidationRow {
    fn value(&self, v: f64) -> String {
        if self.share {
            format!("{:.1} %", 100.0 * v)
        } else {
            format!("{v:.2}")
        }
    }
}

impl fmt::Display for Validation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<52} {:>9} {:>10} {:>9} {:>10}",
            format!("baseline against {}", self.against),
            "model",
            "published",
            "diff",
            "tolerance"
        )?;
        for r in &self.rows {
            writeln!(
                f,
                "{:<52} {:>9} {:>10} {:>+8.1}% {:>8.0}%{}",
                r.figure,
                r.value(r.model),
                r.value(r.published),
                100.0 * r.relative_difference,
                100.0 * r.tolerance,
                if r.within { "" } else { "  OUTSIDE" }
            )?;
        }
        let mut sources: Vec<&str> = self.rows.iter().map(|r| r.source.as_str()).collect();
        sources.dedup();
        for s in sources {
            writeln!(f, "  source: {s}")?;
        }
        Ok(())
    }
}
