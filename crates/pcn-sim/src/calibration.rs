//! Fitting the access parameters to England's published appointment figures.
//!
//! Thirteen figures of the parameter file are not published anywhere: they are chosen
//! so that a network with England's age structure and England's staff per patient
//! reproduces what England's practices recorded. Each is fitted to one published
//! figure, and says which:
//!
//! | parameter | fitted to |
//! |---|---|
//! | `access.demand_scale` | the share of people who tried and got no appointment, 12 % (GP Patient Survey 2017) |
//! | GP `appointments_per_fte_year` | appointments with GPs per registered patient (5.26 x 52.0 %) |
//! | practice nurse and healthcare assistant `appointments_per_fte_year` | appointments with other staff per registered patient (5.26 x 48.0 %, less the additional roles' assumed capacity) |
//! | `access.same_day_share` | appointments on the day of booking, 44.4 % |
//! | `access.lead_time_shares` (6) | appointments 1 day, 2-7, 8-14, 15-21, 22-28 and over 28 days after booking |
//! | `access.dna_scale` | appointments not attended, 4.5 % |
//! | `access.navigation_scale` | the share of appointments with GPs, 52.0 % |
//!
//! [`calibrate`] runs the fit: fixed-point updates, each parameter moved by the ratio
//! of its target to the model's figure, over seeded replications of a synthetic
//! England-like network, until every figure is within a tolerance or the iterations
//! run out. A figure the model cannot reach stays outside and is reported as such by
//! [`crate::Validation`]; nothing widens a tolerance to pass.

use serde::Serialize;

use crate::validation::appointments_by_interval;
use crate::{
    NetworkInput, Parameters, PublishedActivity, RunId, Scenario, SimError, YearOutcome,
    simulate_year,
};

/// The published share of people who tried to get an appointment and got none: 12 %
/// (GP Patient Survey 2017, NHS England / Ipsos MORI; Nuffield Trust QualityWatch,
/// "Access to GP services", updated January 2019).
pub const NOT_BOOKED_SHARE: f64 = 0.12;

/// The fitted figures, in the order of the parameter file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fit {
    /// `access.demand_scale`.
    pub demand_scale: f64,
    /// `access.same_day_share`.
    pub same_day_share: f64,
    /// `access.lead_time_shares`, in interval order.
    pub lead_shares: Vec<f64>,
    /// `access.dna_scale`.
    pub dna_scale: f64,
    /// `access.navigation_scale`.
    pub navigation_scale: f64,
    /// GP `appointments_per_fte_year`.
    pub gp_per_fte: f64,
    /// The fitted `appointments_per_fte_year` of the other roles.
    pub other_per_fte: f64,
}

impl Fit {
    /// The fitted figures of a parameter set.
    #[must_use]
    pub fn of(parameters: &Parameters) -> Self {
        let a = parameters.access();
        let fitted = |gp: bool| {
            parameters
                .roles()
                .find(|r| {
                    r.appointments_per_fte_year.basis.is_fitted()
                        && (r.role == pcn_core::Role::Gp) == gp
                })
                .map_or(0.0, |r| r.appointments_per_fte_year.value)
        };
        Self {
            demand_scale: a.demand_scale.value,
            same_day_share: a.same_day_share.value,
            lead_shares: a.lead_time_shares.iter().map(|l| l.value).collect(),
            dna_scale: a.dna_scale.value,
            navigation_scale: a.navigation_scale.value,
            gp_per_fte: fitted(true),
            other_per_fte: fitted(false),
        }
    }
}

/// The model's figures that the fit aims at, and their published targets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FitFigures {
    /// Appointments per registered patient a year.
    pub appointments_per_person: f64,
    /// Share with GPs.
    pub gp_share: f64,
    /// Share of requests not booked.
    pub not_booked_share: f64,
    /// Shares by published interval of time from booking.
    pub interval_shares: [f64; 7],
    /// Share not attended.
    pub dna_share: f64,
    /// Share of the GPs' slots used.
    pub gp_utilisation: f64,
    /// Share of the slots of the other roles with fitted capacity used.
    pub other_utilisation: f64,
}

impl FitFigures {
    /// The figures of a simulated year.
    #[must_use]
    #[allow(clippy::cast_precision_loss)]
    pub fn of(year: &YearOutcome) -> Self {
        let appointments: u64 = year.roles().iter().map(|r| r.used).sum();
        let gp = year.appointments_used(pcn_core::Role::Gp);
        let by = appointments_by_interval(year);
        let known: u64 = by.iter().sum::<u64>().max(1);
        let dna: u64 = year.pathways().iter().map(|p| p.did_not_attend).sum();
        let first = year.first_contacts().max(1);
        let not_booked: u64 = year.pathways().iter().map(|p| p.elsewhere.total()).sum();
        let (mut gp_offered, mut gp_used, mut o_offered, mut o_used) = (0, 0, 0, 0);
        for r in year.roles() {
            match r.role {
                pcn_core::Role::Gp => {
                    gp_offered += r.offered;
                    gp_used += r.used;
                }
                pcn_core::Role::PracticeNurse | pcn_core::Role::HealthcareAssistant => {
                    o_offered += r.offered;
                    o_used += r.used;
                }
                _ => {}
            }
        }
        Self {
            gp_utilisation: gp_used as f64 / gp_offered.max(1) as f64,
            other_utilisation: o_used as f64 / o_offered.max(1) as f64,
            appointments_per_person: appointments as f64 / year.population().max(1) as f64,
            gp_share: gp as f64 / appointments.max(1) as f64,
            not_booked_share: not_booked as f64 / first as f64,
            interval_shares: by.map(|n| n as f64 / known as f64),
            dna_share: dna as f64 / year.met().max(1) as f64,
        }
    }

    /// England's published figures.
    ///
    /// # Errors
    /// Only if the shipped figures were broken.
    pub fn published() -> Result<Self, SimError> {
        let e = PublishedActivity::england()?;
        Ok(Self {
            appointments_per_person: e.appointments_per_person(),
            gp_share: e.gp_share(),
            not_booked_share: NOT_BOOKED_SHARE,
            interval_shares: e.interval_shares(),
            dna_share: e.dna_share(),
            gp_utilisation: 1.0,
            other_utilisation: 1.0,
        })
    }

    /// The largest relative difference from `target` over every figure.
    #[must_use]
    pub fn worst_difference(&self, target: &FitFigures) -> f64 {
        let rel = |m: f64, t: f64| if t == 0.0 { 0.0 } else { ((m - t) / t).abs() };
        let mut worst = rel(self.appointments_per_person, target.appointments_per_person)
            .max(rel(self.gp_share, target.gp_share))
            .max(rel(self.not_booked_share, target.not_booked_share))
            .max(rel(self.dna_share, target.dna_share));
        for (m, t) in self.interval_shares.iter().zip(&target.interval_shares) {
            worst = worst.max(rel(*m, *t));
        }
        worst
    }
}

/// One step of the fit: the parameters tried and the figures they gave.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalibrationStep {
    /// The fitted figures tried.
    pub fit: Fit,
    /// The model's figures with them (mean over the replications).
    pub figures: FitFigures,
}

/// The calibration network: `people` synthetic patients with England's age and sex
/// structure and England's staff per patient ([`NetworkInput::synthetic`]).
///
/// # Errors
/// As [`NetworkInput::synthetic`].
pub fn calibration_network(people: u64, parameters: &Parameters) -> Result<NetworkInput, SimError> {
    NetworkInput::synthetic("England-like calibration network", people, 2026, parameters)
}

fn mean_figures(
    network: &NetworkInput,
    parameters: &Parameters,
    replications: u32,
) -> Result<FitFigures, SimError> {
    let mut sum: Option<FitFigures> = None;
    for r in 0..replications.max(1) {
        let year = simulate_year(
            network,
            &Scenario::baseline(),
            parameters,
            RunId::new(7, r, 0),
        )?;
        let f = FitFigures::of(&year);
        sum = Some(match sum {
            None => f,
            Some(mut s) => {
                s.appointments_per_person += f.appointments_per_person;
                s.gp_share += f.gp_share;
                s.not_booked_share += f.not_booked_share;
                s.dna_share += f.dna_share;
                s.gp_utilisation += f.gp_utilisation;
                s.other_utilisation += f.other_utilisation;
                for (a, b) in s.interval_shares.iter_mut().zip(f.interval_shares) {
                    *a += b;
                }
                s
            }
        });
    }
    let n = f64::from(replications.max(1));
    let mut s = sum.ok_or(SimError::EmptyPopulation { size: 0 })?;
    s.appointments_per_person /= n;
    s.gp_share /= n;
    s.not_booked_share /= n;
    s.dna_share /= n;
    s.gp_utilisation /= n;
    s.other_utilisation /= n;
    for a in &mut s.interval_shares {
        *a /= n;
    }
    Ok(s)
}

/// Fits the parameters to England's published figures from `start`, on a synthetic
/// England-like network of `people`, averaging `replications` years a step, for at
/// most `iterations` steps or until every figure is within `tolerance` (relative).
/// Returns the fitted parameters and every step.
///
/// # Errors
/// [`SimError`] if a step's parameters fail their checks or a year fails.
#[allow(clippy::cast_precision_loss)]
pub fn calibrate(
    start: &Parameters,
    people: u64,
    replications: u32,
    iterations: u32,
    tolerance: f64,
) -> Result<(Parameters, Vec<CalibrationStep>), SimError> {
    let target = FitFigures::published()?;
    let mut parameters = start.clone();
    let mut steps = Vec::new();
    for _ in 0..iterations {
        let network = calibration_network(people, &parameters)?;
        let figures = mean_figures(&network, &parameters, replications)?;
        let fit = Fit::of(&parameters);
        let done = figures.worst_difference(&target) <= tolerance;
        steps.push(CalibrationStep {
            fit: fit.clone(),
            figures: figures.clone(),
        });
        if done {
            break;
        }
        let ratio = |t: f64, m: f64| {
            if m > 0.0 {
                (t / m).clamp(0.5, 2.0)
            } else {
                1.0
            }
        };
        let mut next = fit.clone();
        // Capacity is the published activity over the model's utilisation: a role
        // whose slots go unused gains no capacity for it, so the fit cannot run away.
        let gp_target = target.appointments_per_person * target.gp_share;
        let gp_model = figures.appointments_per_person * figures.gp_share;
        let capacity_step = |t: f64, m: f64, used: f64| {
            if used >= 0.9 { ratio(t, m) } else { used / 0.9 }
        };
        next.gp_per_fte *= capacity_step(gp_target, gp_model, figures.gp_utilisation);
        let other_target = target.appointments_per_person * (1.0 - target.gp_share);
        let other_model = figures.appointments_per_person * (1.0 - figures.gp_share);
        next.other_per_fte *= capacity_step(other_target, other_model, figures.other_utilisation);
        // Care navigation moves demand between GPs and the rest of the team: the
        // scale moves with the odds of an appointment being with someone else.
        let odds = |p: f64| p / (1.0 - p).max(1e-9);
        next.navigation_scale *=
            ratio(odds(1.0 - target.gp_share), odds(1.0 - figures.gp_share)).sqrt();
        // More demand, more requests turned away: the scale moves with the ratio of
        // the odds of not being booked.
        next.demand_scale *= ratio(
            odds(target.not_booked_share),
            odds(figures.not_booked_share),
        )
        .powf(0.15);
        next.same_day_share = (fit.same_day_share
            * ratio(target.interval_shares[0], figures.interval_shares[0]))
        .clamp(0.0, 0.95);
        for (i, share) in next.lead_shares.iter_mut().enumerate() {
            let k = i + 1;
            *share *= ratio(target.interval_shares[k], figures.interval_shares[k]).sqrt();
        }
        let total: f64 = next.lead_shares.iter().sum();
        for share in &mut next.lead_shares {
            *share /= total;
        }
        next.dna_scale *= ratio(target.dna_share, figures.dna_share);
        parameters = parameters.with_fit(&next)?;
    }
    Ok((parameters, steps))
}
