//! GP practices: their codes, addresses, operating dates, commissioners and lists.

use std::fmt;

use chrono::NaiveDate;
use pcn_core::{DateRange, Location, OdsCode, Postcode, PracticeId, Timeline};
use serde::{Deserialize, Serialize};

use crate::NetworkError;

/// A GP practice: the unit that registers patients and joins a network.
///
/// A practice is identified by its ODS code (from which its [`PracticeId`] is derived),
/// operates between an opening date and, once closed, a closing date, is commissioned
/// by an Integrated Care Board's Sub-ICB location (a Clinical Commissioning Group
/// before July 2022) and has a registered list whose size NHS Digital publishes
/// monthly ("Patients Registered at a GP Practice"). The commissioner and the list
/// size are dated ([`Timeline`]s): a practice moves commissioner when commissioners
/// merge, and its list changes every month.
///
/// Fields are private so that the operating dates, status and list always agree:
/// a closed practice always has a closing date, and list sizes fall within the
/// operating dates. Once a practice is in a [`Registry`](crate::Registry), change it
/// through the registry.
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_core::DateRange;
/// use pcn_network::{Practice, PracticeStatus};
/// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
/// let mut practice = Practice::new(
///     "A81001".parse()?,
///     "The Densham Surgery",
///     DateRange::starting(d(1974, 4, 1)),
///     PracticeStatus::Active,
/// )?;
/// practice.set_postcode(Some("ts18 1hu".parse()?));
/// practice.set_commissioner(d(2020, 4, 1), "16C".parse()?);
/// practice.record_list_size(d(2021, 1, 1), 4_166)?;
/// assert_eq!(practice.postcode().map(|p| p.to_string()), Some("TS18 1HU".to_owned()));
/// assert_eq!(practice.list_size_on(d(2021, 6, 1)), Some(4_166));
/// assert_eq!(practice.commissioner_on(d(2019, 1, 1)), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "PracticeRecord", into = "PracticeRecord")]
pub struct Practice {
    id: PracticeId,
    code: OdsCode,
    name: String,
    postcode: Option<Postcode>,
    status: PracticeStatus,
    operating: DateRange,
    commissioner: Timeline<OdsCode>,
    location: Option<Location>,
    list_size: Timeline<u32>,
}

/// The serde form of [`Practice`], checked on the way in.
#[derive(Serialize, Deserialize)]
struct PracticeRecord {
    code: OdsCode,
    name: String,
    postcode: Option<Postcode>,
    status: PracticeStatus,
    operating: DateRange,
    commissioner: Timeline<OdsCode>,
    location: Option<Location>,
    list_size: Timeline<u32>,
}

impl TryFrom<PracticeRecord> for Practice {
    type Error = NetworkError;

    fn try_from(record: PracticeRecord) -> Result<Self, Self::Error> {
        let mut practice = Self::new(record.code, &record.name, record.operating, record.status)?;
        practice.postcode = record.postcode;
        practice.commissioner = record.commissioner;
        practice.location = record.location;
        for change in record.list_size.changes() {
            if let Some(size) = change.value {
                practice.check_list_date(change.from)?;
                practice.list_size.set(change.from, size);
            } else {
                practice.list_size.end(change.from);
            }
        }
        Ok(practice)
    }
}

impl From<Practice> for PracticeRecord {
    fn from(practice: Practice) -> Self {
        Self {
            code: practice.code,
            name: practice.name,
            postcode: practice.postcode,
            status: practice.status,
            operating: practice.operating,
            commissioner: practice.commissioner,
            location: practice.location,
            list_size: practice.list_size,
        }
    }
}

impl Practice {
    /// A practice with its code, name, operating dates (`[opened, closed)`, open-ended
    /// while it operates) and published status.
    ///
    /// # Errors
    /// [`NetworkError::EmptyName`] for a blank name;
    /// [`NetworkError::ClosedWithoutCloseDate`] for a closed practice whose operating
    /// dates are open-ended.
    pub fn new(
        code: OdsCode,
        name: &str,
        operating: DateRange,
        status: PracticeStatus,
    ) -> Result<Self, NetworkError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(NetworkError::EmptyName { what: "practice" });
        }
        if status == PracticeStatus::Closed && operating.is_open_ended() {
            return Err(NetworkError::ClosedWithoutCloseDate {
                practice: code,
                operating,
            });
        }
        Ok(Self {
            id: PracticeId::from_ods(&code),
            code,
            name: name.to_owned(),
            postcode: None,
            status,
            operating,
            commissioner: Timeline::new(),
            location: None,
            list_size: Timeline::new(),
        })
    }

    /// The practice's id, derived from its ODS code.
    #[must_use]
    pub const fn id(&self) -> PracticeId {
        self.id
    }

    /// The practice's ODS code.
    #[must_use]
    pub const fn code(&self) -> OdsCode {
        self.code
    }

    /// The practice's name as published.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The practice's postcode, where known.
    #[must_use]
    pub const fn postcode(&self) -> Option<Postcode> {
        self.postcode
    }

    /// Sets or clears the postcode.
    pub fn set_postcode(&mut self, postcode: Option<Postcode>) {
        self.postcode = postcode;
    }

    /// The status as published (active, closed, dormant, proposed).
    #[must_use]
    pub const fn status(&self) -> PracticeStatus {
        self.status
    }

    /// The dates the practice operates: from its opening day to the day after it
    /// closed (half-open), open-ended while it operates.
    #[must_use]
    pub const fn operating(&self) -> DateRange {
        self.operating
    }

    /// Whether the practice operates on `date`.
    #[must_use]
    pub fn is_operating_on(&self, date: NaiveDate) -> bool {
        self.operating.contains(date)
    }

    /// The practice's commissioner (Sub-ICB location, formerly CCG) over time.
    #[must_use]
    pub const fn commissioners(&self) -> &Timeline<OdsCode> {
        &self.commissioner
    }

    /// The commissioner on `date`, if known.
    #[must_use]
    pub fn commissioner_on(&self, date: NaiveDate) -> Option<OdsCode> {
        self.commissioner.value_on(date).copied()
    }

    /// Records that `commissioner` commissions the practice from `from` on.
    pub fn set_commissioner(&mut self, from: NaiveDate, commissioner: OdsCode) {
        self.commissioner.set(from, commissioner);
    }

    /// Records that the practice has no known commissioner from `from` on (it left
    /// its commissioner on the day before).
    pub fn end_commissioner(&mut self, from: NaiveDate) {
        self.commissioner.end(from);
    }

    /// The practice's location, where known.
    #[must_use]
    pub const fn location(&self) -> Option<Location> {
        self.location
    }

    /// Sets or clears the location.
    pub fn set_location(&mut self, location: Option<Location>) {
        self.location = location;
    }

    /// The registered list size over time: each change is a published count, in
    /// force until the next.
    #[must_use]
    pub const fn list_sizes(&self) -> &Timeline<u32> {
        &self.list_size
    }

    /// The registered list on `date`: the latest published count on or before it.
    #[must_use]
    pub fn list_size_on(&self, date: NaiveDate) -> Option<u32> {
        self.list_size.value_on(date).copied()
    }

    /// Records a published list size, in force from `date` until the next one.
    ///
    /// # Errors
    /// [`NetworkError::ListSizeOutsideOperation`] if the practice does not operate on
    /// `date`.
    pub fn record_list_size(&mut self, date: NaiveDate, patients: u32) -> Result<(), NetworkError> {
        self.check_list_date(date)?;
        self.list_size.set(date, patients);
        Ok(())
    }

    pub(crate) fn check_list_date(&self, date: NaiveDate) -> Result<(), NetworkError> {
        if self.operating.contains(date) {
            Ok(())
        } else {
            Err(NetworkError::ListSizeOutsideOperation {
                practice: self.code,
                date,
                operating: self.operating,
            })
        }
    }

    /// Closes the practice on `on` (its last day is the day before). The caller has
    /// checked that `on` falls inside the operating dates, after the opening day.
    pub(crate) fn close_on(&mut self, on: NaiveDate) {
        if let Some(operating) = self.operating.ending(on) {
            self.operating = operating;
            self.status = PracticeStatus::Closed;
            self.list_size.end(on);
        }
    }

    pub(crate) fn list_size_mut(&mut self) -> &mut Timeline<u32> {
        &mut self.list_size
    }
}

/// A practice's status, as the ODS practice file publishes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PracticeStatus {
    /// Open and operating (`A`, or `ACTIVE` in the export layout).
    Active,
    /// Closed (`C`, or `INACTIVE` in the export layout); the practice has a close
    /// date.
    Closed,
    /// Dormant (`D`): open but not currently providing services.
    Dormant,
    /// Proposed (`P`): announced but not yet open.
    Proposed,
}

impl fmt::Display for PracticeStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Active => "active",
            Self::Closed => "closed",
            Self::Dormant => "dormant",
            Self::Proposed => "proposed",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_closed_practice_needs_a_close_date() {
        let err = Practice::new(
            "A81003".parse().unwrap(),
            "Victoria Medical Practice",
            DateRange::starting(d(1974, 4, 1)),
            PracticeStatus::Closed,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "practice A81003 is recorded as closed but its operating dates [1974-04-01, ..) have no end: give the close date"
        );
    }

    #[test]
    fn list_sizes_must_fall_within_operating_dates() {
        let mut practice = Practice::new(
            "A81003".parse().unwrap(),
            "Victoria Medical Practice",
            DateRange::new(d(1974, 4, 1), Some(d(2017, 11, 1))).unwrap(),
            PracticeStatus::Closed,
        )
        .unwrap();
        practice.record_list_size(d(2017, 10, 1), 3_000).unwrap();
        let err = practice
            .record_list_size(d(2017, 11, 1), 3_000)
            .unwrap_err();
        assert!(matches!(err, NetworkError::ListSizeOutsideOperation { .. }));
        assert_eq!(practice.list_size_on(d(2018, 1, 1)), Some(3_000));
    }

    #[test]
    fn practices_round_trip_through_json() {
        let mut practice = Practice::new(
            "A81001".parse().unwrap(),
            "The Densham Surgery",
            DateRange::starting(d(1974, 4, 1)),
            PracticeStatus::Active,
        )
        .unwrap();
        practice.set_location(Some(Location::new(54.5646, -1.3174).unwrap()));
        practice.set_commissioner(d(2020, 4, 1), "16C".parse().unwrap());
        practice.record_list_size(d(2021, 1, 1), 4_166).unwrap();
        let json = serde_json::to_string(&practice).unwrap();
        assert!(json.contains(r#""code":"A81001""#));
        assert_eq!(serde_json::from_str::<Practice>(&json).unwrap(), practice);
    }
}
