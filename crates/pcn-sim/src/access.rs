//! How requests reach an appointment: on the day or booked ahead, and where the
//! requests go that the practice cannot book.
//!
//! General practice books a large share of its appointments on the day the patient
//! asks (44.3 % in England, July 2021 to June 2022; 45 % in April 2024) and most of
//! the rest within a week; a few are booked more than four weeks ahead (3.3 %):
//! NHS Digital, Appointments in General Practice (`activity.md`). The time from
//! booking to appointment is what patients and clinicians choose (a review in three
//! weeks, a blood test before it) as well as what the diary allows. So each request
//! here either wants to be seen **on the day** (the duty or triage list) or has a
//! **preferred lead time**, and is booked into the first free slot of its role's
//! diary from that day on, up to the role's **booking horizon**. A request that finds
//! no slot **goes elsewhere** (community pharmacy, NHS 111, an urgent treatment
//! centre, A&E, another service) or is **withdrawn** (the person gives up, or tries
//! again another time), in the shares patients report in the GP Patient Survey.
//! Booking further ahead raises the share of appointments not attended (DNA).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::AgeValue;
use crate::parameters::Sourced;
use pcn_core::Basis;

/// Where a request goes when the practice cannot book it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Elsewhere {
    /// A community pharmacy.
    Pharmacy,
    /// NHS 111, by telephone or online.
    #[serde(rename = "nhs_111")]
    Nhs111,
    /// An urgent treatment centre or walk-in centre.
    UrgentTreatmentCentre,
    /// A hospital emergency department (A&E).
    EmergencyDepartment,
    /// Another NHS service or private care.
    OtherService,
    /// Withdrawn: the person did not see or speak to anyone, or will try another time.
    Withdrawn,
}

impl Elsewhere {
    /// Every destination, in the order of the parameter file and reports.
    pub const ALL: [Elsewhere; 6] = [
        Elsewhere::Pharmacy,
        Elsewhere::Nhs111,
        Elsewhere::UrgentTreatmentCentre,
        Elsewhere::EmergencyDepartment,
        Elsewhere::OtherService,
        Elsewhere::Withdrawn,
    ];

    /// The destination's position in [`Elsewhere::ALL`].
    #[must_use]
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The destination in words.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Elsewhere::Pharmacy => "community pharmacy",
            Elsewhere::Nhs111 => "NHS 111",
            Elsewhere::UrgentTreatmentCentre => "urgent treatment centre",
            Elsewhere::EmergencyDepartment => "A&E",
            Elsewhere::OtherService => "another service",
            Elsewhere::Withdrawn => "withdrawn (gave up or will try later)",
        }
    }
}

impl fmt::Display for Elsewhere {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Requests that went elsewhere, by destination. Serde: one field per destination
/// (`pharmacy`, `nhs_111`, `urgent_treatment_centre`, `emergency_department`,
/// `other_service`, `withdrawn`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ElsewhereCounts {
    /// To a community pharmacy.
    pub pharmacy: u64,
    /// To NHS 111.
    pub nhs_111: u64,
    /// To an urgent treatment centre or walk-in centre.
    pub urgent_treatment_centre: u64,
    /// To A&E.
    pub emergency_department: u64,
    /// To another service.
    pub other_service: u64,
    /// Withdrawn.
    pub withdrawn: u64,
}

impl ElsewhereCounts {
    /// The count for one destination.
    #[must_use]
    pub const fn get(&self, to: Elsewhere) -> u64 {
        match to {
            Elsewhere::Pharmacy => self.pharmacy,
            Elsewhere::Nhs111 => self.nhs_111,
            Elsewhere::UrgentTreatmentCentre => self.urgent_treatment_centre,
            Elsewhere::EmergencyDepartment => self.emergency_department,
            Elsewhere::OtherService => self.other_service,
            Elsewhere::Withdrawn => self.withdrawn,
        }
    }

    /// Adds `n` requests to one destination.
    pub fn add(&mut self, to: Elsewhere, n: u64) {
        let slot = match to {
            Elsewhere::Pharmacy => &mut self.pharmacy,
            Elsewhere::Nhs111 => &mut self.nhs_111,
            Elsewhere::UrgentTreatmentCentre => &mut self.urgent_treatment_centre,
            Elsewhere::EmergencyDepartment => &mut self.emergency_department,
            Elsewhere::OtherService => &mut self.other_service,
            Elsewhere::Withdrawn => &mut self.withdrawn,
        };
        *slot += n;
    }

    /// Adds every destination of `other`.
    pub fn absorb(&mut self, other: &ElsewhereCounts) {
        for to in Elsewhere::ALL {
            self.add(to, other.get(to));
        }
    }

    /// Every request that went elsewhere or was withdrawn.
    #[must_use]
    pub fn total(&self) -> u64 {
        Elsewhere::ALL.iter().map(|to| self.get(*to)).sum()
    }

    /// Requests that went to another service (withdrawn ones excluded).
    #[must_use]
    pub fn redirected(&self) -> u64 {
        self.total() - self.withdrawn
    }
}

/// A destination's share of the requests the practice could not book, with its basis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DestinationShare {
    /// The destination.
    pub destination: Elsewhere,
    /// Its share, 0 to 1 (the shares add up to 1).
    pub value: f64,
    /// Where it comes from.
    #[serde(flatten)]
    pub basis: Basis,
}

/// A value for an interval of days from booking to appointment, with its basis:
/// `from_days` to `to_days` inclusive (`to_days` absent: and over).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntervalValue {
    /// The first day of the interval (0 is the day of booking).
    pub from_days: u16,
    /// The last day of the interval, inclusive; absent for "and over".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_days: Option<u16>,
    /// The value.
    pub value: f64,
    /// Where it comes from.
    #[serde(flatten)]
    pub basis: Basis,
}

impl IntervalValue {
    /// Whether `days` falls in the interval.
    #[must_use]
    pub fn contains(&self, days: u16) -> bool {
        days >= self.from_days && self.to_days.is_none_or(|to| days <= to)
    }
}

/// The parameters of access: demand's level and shape by sex, on the day against
/// booked ahead, booking horizons, where unbooked requests go, and DNAs by booking
/// interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessParameters {
    /// Requests per person a year are `consultation_rates` (the age shape) times
    /// this scale: fitted so that the national baseline delivers the published
    /// appointments per registered patient.
    pub demand_scale: Sourced<f64>,
    /// Women's request rate relative to men's, by age band.
    pub female_consultation_ratios: Vec<AgeValue>,
    /// The share of presenting requests that want to be seen on the day (the duty or
    /// triage list): fitted to the published share of appointments on the day of
    /// booking.
    pub same_day_share: Sourced<f64>,
    /// The preferred lead time of the other requests, by interval of days (shares add
    /// up to 1; a request's day is drawn evenly within its interval): fitted to the
    /// published distribution of time from booking to appointment.
    pub lead_time_shares: Vec<IntervalValue>,
    /// The shares of booked routes to roles other than GPs (care navigation by
    /// reception) are the route options' shares times this scale: fitted to the
    /// published share of appointments with GPs.
    pub navigation_scale: Sourced<f64>,
    /// How many days after the preferred day a person still takes an appointment;
    /// offered only later ones, they go elsewhere.
    pub acceptable_delay_days: Sourced<u16>,
    /// The share of on-the-day requests the practice cannot meet that accept an
    /// appointment on a later day instead of going elsewhere.
    pub later_booking_share: Sourced<f64>,
    /// Where requests go that find no slot within the booking horizon (shares add up
    /// to 1).
    pub when_not_booked: Vec<DestinationShare>,
    /// The share of appointments not attended, by interval from booking (the shape).
    pub dna_rates: Vec<IntervalValue>,
    /// The DNA rates are `dna_rates` times this scale: fitted to the published share
    /// of appointments not attended in the period the model is fitted to.
    pub dna_scale: Sourced<f64>,
}

/// The checked form of [`AccessParameters`], as the simulation reads it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AccessTables {
    pub(crate) female_ratio: [f64; 8],
    /// `(from, to, share)` of the preferred lead times.
    pub(crate) lead: Vec<(u16, u16, f64)>,
    /// Shares by [`Elsewhere::index`].
    pub(crate) elsewhere: [f64; 6],
    /// DNA rate by days from booking, 0 to `dna_last`; the last applies beyond.
    pub(crate) dna_by_day: Vec<f64>,
}

impl AccessTables {
    /// The DNA rate of an appointment `days` after booking.
    pub(crate) fn dna_rate(&self, days: usize) -> f64 {
        match self.dna_by_day.get(days) {
            Some(rate) => *rate,
            None => self.dna_by_day.last().copied().unwrap_or(0.0),
        }
    }
}

/// The longest preferred lead time the tables may give, in days: a planned review a
/// year ahead is the most any practice books.
pub(crate) const MAX_LEAD_DAYS: u16 = 365;
