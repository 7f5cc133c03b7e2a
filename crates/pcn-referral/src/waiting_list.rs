//! The waiting list: who is waiting, how long, and how many within target.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use pcn_core::{PathwayId, Rate, ReferralId};
use serde::{Deserialize, Serialize};

use crate::lifecycle::days_between;
use crate::{Referral, ReferralError, RttPathway, StateKind, WaitMeasure, WaitTarget};

/// One person waiting: a referral, what its wait runs to, and since when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WaitingListEntry {
    /// The referral.
    pub referral: ReferralId,
    /// Its pathway.
    pub pathway: PathwayId,
    /// Its target.
    pub target: WaitTarget,
    /// When its clock started.
    pub clock_start: NaiveDate,
    /// Days already waited on the census date (after any pause).
    pub days_waited: u32,
}

impl WaitingListEntry {
    /// The referral's place on the waiting list on `census`, or `None` if it was not
    /// waiting then.
    ///
    /// For a consultant-led or interface destination, the 18-week clock running on the
    /// census date ([`RttPathway::of_referral`]); a clock later nullified (Rule 5e) or
    /// withdrawn is never counted. For other destinations the wait runs from
    /// submission to first contact (the first attendance) or to the referral's end if
    /// it ends unseen; for a suspected-cancer referral measured by the Faster Diagnosis
    /// Standard, from submission until the referral is discharged, completed or
    /// otherwise closed (the lifecycle records the diagnosis or ruling out as the
    /// referral's outcome).
    ///
    /// # Errors
    /// As [`RttPathway::of_referral`].
    pub fn of_referral(
        referral: &Referral,
        census: NaiveDate,
    ) -> Result<Option<Self>, ReferralError> {
        let details = referral.details();
        let entry = |clock_start: NaiveDate, days_waited: u32| Self {
            referral: details.id,
            pathway: details.pathway,
            target: details.target,
            clock_start,
            days_waited,
        };
        if details.destination.starts_rtt_clock()
            && details.target.measure == WaitMeasure::ReferralToTreatment
        {
            let pathway = RttPathway::of_referral(referral)?;
            return Ok(pathway
                .periods()
                .iter()
                .find(|clock| clock.is_reportable() && clock.is_running_on(census))
                .and_then(|clock| {
                    clock
                        .days_waited(census)
                        .map(|days| entry(clock.start(), days))
                }));
        }
        let Some(sent) = referral.submitted_at().map(|at| at.date()) else {
            return Ok(None);
        };
        if sent > census {
            return Ok(None);
        }
        let measure = details.target.measure;
        let wait_ended = referral
            .history()
            .iter()
            .find(|t| {
                t.to.is_final()
                    || (measure != WaitMeasure::FasterDiagnosis && t.to == StateKind::Attended)
            })
            .map(|t| t.record.at.date());
        if wait_ended.is_some_and(|end| end <= census) {
            return Ok(None);
        }
        Ok(days_between(sent, census).map(|days| entry(sent, days)))
    }

    /// Whether the wait is within target.
    #[must_use]
    pub const fn within_target(&self) -> bool {
        self.target.is_met_by(self.days_waited)
    }

    /// The weeks band of the wait: band `k` holds waits of more than `k - 1` and at
    /// most `k` weeks, as in NHS England's RTT statistics (`>0-1`, `>1-2`, ...); a
    /// wait of 0 days is in band 1.
    #[must_use]
    pub const fn weeks_band(&self) -> u32 {
        let weeks = self.days_waited.div_ceil(7);
        if weeks == 0 { 1 } else { weeks }
    }
}

/// How many wait in one weeks band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeksBand {
    /// The band: waits of more than `weeks - 1` and at most `weeks` weeks.
    pub weeks: u32,
    /// How many.
    pub waiting: u32,
}

/// Waits by what they run to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasureSummary {
    /// The measure.
    pub measure: WaitMeasure,
    /// How many wait.
    pub waiting: u32,
    /// How many of them within target.
    pub within_target: u32,
    /// The share within target.
    pub share_within_target: Rate,
}

/// Waits on one pathway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathwaySummary {
    /// The pathway.
    pub pathway: PathwayId,
    /// How many wait.
    pub waiting: u32,
    /// How many of them within target.
    pub within_target: u32,
    /// The longest wait, in days.
    pub longest_days: u32,
}

/// A waiting-list report on a census date: by weeks waited, share within target,
/// longest waits.
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_core::{PathwayId, ReferralId};
/// use pcn_referral::*;
/// let census = NaiveDate::from_ymd_opt(2024, 6, 1).unwrap();
/// let target = TargetWait::ReferralToTreatment.on(census);
/// let entry = |n: u128, days: u32| WaitingListEntry {
///     referral: ReferralId::from_u128(n),
///     pathway: PathwayId::from_u128(1),
///     target,
///     clock_start: census - chrono::Duration::days(days.into()),
///     days_waited: days,
/// };
/// let report = WaitingListReport::new(census, &[entry(1, 10), entry(2, 126), entry(3, 127)], 2);
/// assert_eq!(report.waiting, 3);
/// assert_eq!(report.within_target, 2);
/// assert_eq!(report.longest[0].days_waited, 127);
/// assert_eq!(report.share_within_target.map(|r| r.millionths()), Some(666_667));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingListReport {
    /// The census date.
    pub census: NaiveDate,
    /// How many wait.
    pub waiting: u32,
    /// How many within their target.
    pub within_target: u32,
    /// The share within target (`None` when nobody waits).
    pub share_within_target: Option<Rate>,
    /// Counts by weeks band, every band from 1 to the longest (empty bands included).
    pub by_weeks: Vec<WeeksBand>,
    /// By measure.
    pub by_measure: Vec<MeasureSummary>,
    /// By pathway.
    pub by_pathway: Vec<PathwaySummary>,
    /// The longest waits, longest first (ties by referral id).
    pub longest: Vec<WaitingListEntry>,
}

impl WaitingListReport {
    /// The report on `entries`, listing the `longest` longest waits.
    #[must_use]
    pub fn new(census: NaiveDate, entries: &[WaitingListEntry], longest: usize) -> Self {
        let mut bands: BTreeMap<u32, u32> = BTreeMap::new();
        let mut measures: BTreeMap<WaitMeasure, (u32, u32)> = BTreeMap::new();
        let mut pathways: BTreeMap<PathwayId, PathwaySummary> = BTreeMap::new();
        let mut within_target = 0u32;
        for entry in entries {
            let met = u32::from(entry.within_target());
            within_target += met;
            *bands.entry(entry.weeks_band()).or_default() += 1;
            let measure = measures.entry(entry.target.measure).or_default();
            measure.0 += 1;
            measure.1 += met;
            let summary = pathways.entry(entry.pathway).or_insert(PathwaySummary {
                pathway: entry.pathway,
                waiting: 0,
                within_target: 0,
                longest_days: 0,
            });
            summary.waiting += 1;
            summary.within_target += met;
            summary.longest_days = summary.longest_days.max(entry.days_waited);
        }
        let waiting = u32::try_from(entries.len()).unwrap_or(u32::MAX);
        let top_band = bands.keys().next_back().copied().unwrap_or(0);
        let by_weeks = (1..=top_band)
            .map(|weeks| WeeksBand {
                weeks,
                waiting: bands.get(&weeks).copied().unwrap_or(0),
            })
            .collect();
        let by_measure = measures
            .into_iter()
            .map(|(measure, (waiting, within_target))| MeasureSummary {
                measure,
                waiting,
                within_target,
                share_within_target: share(within_target, waiting).unwrap_or(Rate::ZERO),
            })
            .collect();
        let mut sorted: Vec<WaitingListEntry> = entries.to_vec();
        sorted.sort_by(|a, b| {
            b.days_waited
                .cmp(&a.days_waited)
                .then(a.referral.cmp(&b.referral))
        });
        sorted.truncate(longest);
        Self {
            census,
            waiting,
            within_target,
            share_within_target: share(within_target, waiting),
            by_weeks,
            by_measure,
            by_pathway: pathways.into_values().collect(),
            longest: sorted,
        }
    }
}

fn share(part: u32, whole: u32) -> Option<Rate> {
    Rate::from_ratio(i64::from(part), i64::from(whole))
}

impl WaitingListReport {
    /// The report with each of the longest waits named by `name` (a reader's
    /// "Mrs Jones, hip" rather than the referral's id), for printing.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use pcn_referral::WaitingListReport;
    /// let census = NaiveDate::from_ymd_opt(2024, 6, 3).unwrap();
    /// let report = WaitingListReport::new(census, &[], 5);
    /// let text = report.named(|_| "someone".to_owned()).to_string();
    /// assert!(text.starts_with("Waiting list on 2024-06-03: 0 waiting"));
    /// ```
    pub fn named<F: Fn(ReferralId) -> String>(&self, name: F) -> NamedReport<'_, F> {
        NamedReport { report: self, name }
    }
}

/// A [`WaitingListReport`] with its referrals named, from
/// [`WaitingListReport::named`].
pub struct NamedReport<'a, F> {
    report: &'a WaitingListReport,
    name: F,
}

impl<F> fmt::Debug for NamedReport<'_, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NamedReport")
            .field("report", self.report)
            .finish_non_exhaustive()
    }
}

/// Serialises as the report itself: names are for printing.
impl<F> Serialize for NamedReport<'_, F> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.report.serialize(serializer)
    }
}

impl fmt::Display for WaitingListReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.named(|id| format!("referral {id}")).fmt(f)
    }
}

impl<F: Fn(ReferralId) -> String> fmt::Display for NamedReport<'_, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let this = self.report;
        writeln!(
            f,
            "Waiting list on {}: {} waiting, {} within target ({})",
            this.census,
            this.waiting,
            this.within_target,
            this.share_within_target
                .map_or_else(|| "n/a".to_owned(), percent)
        )?;
        for measure in &this.by_measure {
            writeln!(
                f,
                "  {:<26} {:>5} waiting, {:>5} within target ({})",
                measure.measure,
                measure.waiting,
                measure.within_target,
                percent(measure.share_within_target)
            )?;
        }
        writeln!(f, "  weeks waited:")?;
        for band in this.by_weeks.iter().filter(|b| b.waiting > 0) {
            let label = format!(">{}-{} weeks", band.weeks - 1, band.weeks);
            writeln!(f, "    {label:<14} {:>5}", band.waiting)?;
        }
        writeln!(f, "  longest waits:")?;
        for entry in &this.longest {
            writeln!(
                f,
                "    {} waiting {} days since {} (target {} days{})",
                (self.name)(entry.referral),
                entry.days_waited,
                entry.clock_start,
                entry.target.days,
                if entry.within_target() {
                    ""
                } else {
                    ", breached"
                }
            )?;
        }
        Ok(())
    }
}

fn percent(rate: Rate) -> String {
    let tenths = pcn_core::round_half_away_from_zero(i128::from(rate.millionths()), 1_000);
    format!("{}.{}%", tenths / 10, (tenths % 10).abs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TargetWait;

    fn entry(n: u128, days: u32, target: WaitTarget) -> WaitingListEntry {
        WaitingListEntry {
            referral: ReferralId::from_u128(n),
            pathway: PathwayId::from_u128(n % 2),
            target,
            clock_start: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            days_waited: days,
        }
    }

    #[test]
    fn bands_follow_the_rtt_statistics() {
        let target = TargetWait::ReferralToTreatment.on(NaiveDate::MIN);
        assert_eq!(entry(1, 0, target).weeks_band(), 1);
        assert_eq!(entry(1, 7, target).weeks_band(), 1);
        assert_eq!(entry(1, 8, target).weeks_band(), 2);
        assert_eq!(entry(1, 126, target).weeks_band(), 18);
        assert_eq!(entry(1, 127, target).weeks_band(), 19);
    }

    #[test]
    fn an_empty_list_has_no_share() {
        let report = WaitingListReport::new(NaiveDate::MIN, &[], 5);
        assert_eq!(report.share_within_target, None);
        assert!(report.by_weeks.is_empty());
    }

    #[test]
    fn the_report_counts_by_measure_and_pathway() {
        let rtt = TargetWait::ReferralToTreatment.on(NaiveDate::MIN);
        let contact = TargetWait::FirstContact { days: 14 }.on(NaiveDate::MIN);
        let entries = [
            entry(1, 3, contact),
            entry(2, 20, contact),
            entry(3, 100, rtt),
            entry(4, 130, rtt),
        ];
        let report = WaitingListReport::new(NaiveDate::MIN, &entries, 10);
        assert_eq!(report.within_target, 2);
        assert_eq!(report.by_weeks.len(), 19);
        assert_eq!(report.by_weeks.iter().map(|b| b.waiting).sum::<u32>(), 4);
        let first_contact = report
            .by_measure
            .iter()
            .find(|m| m.measure == WaitMeasure::FirstContact)
            .unwrap();
        assert_eq!(first_contact.within_target, 1);
        assert_eq!(report.by_pathway.len(), 2);
        assert_eq!(report.longest[0].days_waited, 130);
        assert!(report.to_string().contains("breached"));
    }
}
