//! GP practices: their codes, addresses, operating dates, commissioners and lists.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use pcn_core::{DateRange, OdsCode, PracticeId, Timeline};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

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

/// A UK postcode, normalised to upper case with one space before the inward code
/// (`TS18 1HU`).
///
/// Parsing accepts any spacing and case, and checks the shape: an outward code of two
/// to four characters starting with a letter and holding a digit, then an inward code
/// of a digit and two letters (Royal Mail, "Postcode Address File" format). Whether
/// the postcode exists is not checked.
///
/// ```
/// use pcn_network::Postcode;
/// let postcode: Postcode = "sw170rt".parse()?;
/// assert_eq!(postcode.to_string(), "SW17 0RT");
/// assert_eq!(postcode.outward(), "SW17");
/// assert!("SW17".parse::<Postcode>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Postcode {
    /// The characters without the space, upper case, padded with zero bytes.
    bytes: [u8; 7],
    len: u8,
}

impl Postcode {
    /// Parses a postcode.
    ///
    /// # Errors
    /// [`NetworkError::InvalidPostcode`] if the text is not shaped like a UK postcode.
    pub fn new(text: &str) -> Result<Self, NetworkError> {
        let invalid = || NetworkError::InvalidPostcode {
            value: text.to_owned(),
        };
        let mut bytes = [0u8; 7];
        let mut len = 0usize;
        for byte in text.bytes().filter(|b| !b.is_ascii_whitespace()) {
            let slot = bytes.get_mut(len).ok_or_else(invalid)?;
            if !byte.is_ascii_alphanumeric() {
                return Err(invalid());
            }
            *slot = byte.to_ascii_uppercase();
            len += 1;
        }
        if len < 5 {
            return Err(invalid());
        }
        let (outward, inward) = bytes[..len].split_at(len - 3);
        let inward_ok = inward[0].is_ascii_digit()
            && inward[1].is_ascii_alphabetic()
            && inward[2].is_ascii_alphabetic();
        let outward_ok = outward[0].is_ascii_alphabetic()
            && outward.iter().take(3).skip(1).any(u8::is_ascii_digit);
        if !(inward_ok && outward_ok) {
            return Err(invalid());
        }
        Ok(Self {
            bytes,
            len: u8::try_from(len).map_err(|_| invalid())?,
        })
    }

    fn chars(&self) -> &str {
        // Only ASCII letters and digits are ever stored.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }

    /// The outward code (the part before the space): the postcode district.
    #[must_use]
    pub fn outward(&self) -> &str {
        let chars = self.chars();
        &chars[..chars.len() - 3]
    }

    /// The inward code (the part after the space).
    #[must_use]
    pub fn inward(&self) -> &str {
        let chars = self.chars();
        &chars[chars.len() - 3..]
    }
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.outward(), self.inward())
    }
}

impl fmt::Debug for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Postcode({self})")
    }
}

impl FromStr for Postcode {
    type Err = NetworkError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl Serialize for Postcode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Postcode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Self::new(&text).map_err(serde::de::Error::custom)
    }
}

/// A point on the earth (WGS84 latitude and longitude), held exactly in millionths of
/// a degree (about 0.1 m), so that locations compare and hash exactly.
///
/// ```
/// use pcn_network::Location;
/// let stockton = Location::new(54.5646, -1.3174)?;
/// let hartlepool = Location::new(54.6863, -1.2129)?;
/// let km = stockton.distance_m(hartlepool) / 1000;
/// assert!((14..=16).contains(&km));
/// assert!(Location::new(91.0, 0.0).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "LocationRecord", into = "LocationRecord")]
pub struct Location {
    latitude_micro: i32,
    longitude_micro: i32,
}

/// The serde form of [`Location`]: degrees.
#[derive(Serialize, Deserialize)]
struct LocationRecord {
    latitude: f64,
    longitude: f64,
}

impl TryFrom<LocationRecord> for Location {
    type Error = NetworkError;

    fn try_from(record: LocationRecord) -> Result<Self, Self::Error> {
        Self::new(record.latitude, record.longitude)
    }
}

impl From<Location> for LocationRecord {
    fn from(location: Location) -> Self {
        Self {
            latitude: location.latitude(),
            longitude: location.longitude(),
        }
    }
}

/// The mean radius of the earth in metres (IUGG), used by the haversine distance.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

impl Location {
    /// A location from degrees of latitude (-90 to 90) and longitude (-180 to 180),
    /// rounded to the nearest millionth of a degree.
    ///
    /// # Errors
    /// [`NetworkError::InvalidLocation`] if either is out of range or not a number.
    pub fn new(latitude: f64, longitude: f64) -> Result<Self, NetworkError> {
        let invalid = || NetworkError::InvalidLocation {
            latitude: latitude.to_string(),
            longitude: longitude.to_string(),
        };
        if !(-90.0..=90.0).contains(&latitude) || !(-180.0..=180.0).contains(&longitude) {
            return Err(invalid());
        }
        Ok(Self {
            latitude_micro: micro_degrees(latitude).ok_or_else(invalid)?,
            longitude_micro: micro_degrees(longitude).ok_or_else(invalid)?,
        })
    }

    /// The latitude in degrees.
    #[must_use]
    pub fn latitude(&self) -> f64 {
        f64::from(self.latitude_micro) / 1e6
    }

    /// The longitude in degrees.
    #[must_use]
    pub fn longitude(&self) -> f64 {
        f64::from(self.longitude_micro) / 1e6
    }

    /// The great-circle (haversine) distance to `other`, in whole metres.
    #[must_use]
    pub fn distance_m(&self, other: Self) -> u32 {
        let (lat1, lat2) = (self.latitude().to_radians(), other.latitude().to_radians());
        let dlat = lat2 - lat1;
        let dlon = (other.longitude() - self.longitude()).to_radians();
        let a = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
        let metres = 2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin();
        // At most half the earth's circumference (about 20,000 km), which fits a u32.
        let rounded = metres.round();
        if rounded >= f64::from(u32::MAX) {
            u32::MAX
        } else if rounded > 0.0 {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let whole = rounded as u32;
            whole
        } else {
            0
        }
    }
}

/// Degrees to the nearest millionth, for values already checked to be within
/// -180 to 180.
fn micro_degrees(degrees: f64) -> Option<i32> {
    let micro = (degrees * 1e6).round();
    if micro.is_finite() && micro.abs() <= 180e6 {
        #[allow(clippy::cast_possible_truncation)]
        let whole = micro as i32;
        Some(whole)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
    fn postcodes_normalise_and_reject_bad_shapes() {
        for (text, normal) in [
            ("TS18 1HU", "TS18 1HU"),
            ("n20 0dh", "N20 0DH"),
            ("EC1A1BB", "EC1A 1BB"),
            (" W1A  0AX ", "W1A 0AX"),
            ("M1 1AE", "M1 1AE"),
        ] {
            assert_eq!(text.parse::<Postcode>().unwrap().to_string(), normal);
        }
        for bad in ["", "TS18", "1S18 1HU", "TS18 HU1", "TS18-1HU", "ABCDE 1HU"] {
            assert!(bad.parse::<Postcode>().is_err(), "{bad}");
        }
        let json = serde_json::to_string(&"ts181hu".parse::<Postcode>().unwrap()).unwrap();
        assert_eq!(json, "\"TS18 1HU\"");
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

    proptest! {
        #[test]
        fn distance_is_symmetric_and_zero_to_itself(
            a in (-90.0f64..90.0, -180.0f64..180.0),
            b in (-90.0f64..90.0, -180.0f64..180.0),
        ) {
            let a = Location::new(a.0, a.1).unwrap();
            let b = Location::new(b.0, b.1).unwrap();
            prop_assert_eq!(a.distance_m(b), b.distance_m(a));
            prop_assert_eq!(a.distance_m(a), 0);
            prop_assert!(a.distance_m(b) <= 20_040_000);
        }
    }
}
