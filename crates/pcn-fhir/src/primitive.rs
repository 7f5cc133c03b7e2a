//! The FHIR primitive types whose form we check: `id`, `date`, `dateTime` and
//! `instant`.
//!
//! FHIR writes dates with a precision: `2002`, `2002-05` and `2002-05-06` are all valid
//! `date`s and mean the whole year, month or day; a `dateTime` may add a time, which
//! must then have seconds and a time zone. These types keep the precision, so an
//! imported value exports exactly as it came, and they say which days a value covers
//! ([`FhirDateTime::first_day`], [`FhirDateTime::last_day`]) for the mapping to
//! [`DateRange`](pcn_core::DateRange).
//!
//! Source: FHIR R4 Data Types, "Primitive Types"
//! (<http://hl7.org/fhir/R4/datatypes.html#primitive>), with the regular expressions
//! given there for `id`, `date`, `dateTime` and `instant`.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use pcn_core::YearMonth;
use serde::{Deserialize, Deserializer, Serialize};

use crate::FhirError;

/// The logical id of a resource (`Resource.id`): 1 to 64 characters from `A-Z`,
/// `a-z`, `0-9`, `-` and `.`.
///
/// Our own entities export with their UUID as id, so an exported id is always
/// the hyphenated UUID. An id read from JSON borrows from it.
///
/// ```
/// use pcn_fhir::ResourceId;
/// let id: ResourceId = "example".parse()?;
/// assert_eq!(id.as_str(), "example");
/// assert!("has space".parse::<ResourceId>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct ResourceId<'a>(Cow<'a, str>);

impl<'a> ResourceId<'a> {
    /// Checks and wraps a logical id.
    ///
    /// # Errors
    /// [`FhirError::InvalidPrimitive`] if the text is empty, longer than 64 characters
    /// or holds a character other than letters, digits, `-` and `.`.
    pub fn new(text: impl Into<Cow<'a, str>>) -> Result<Self, FhirError> {
        let text = text.into();
        let valid = (1..=64).contains(&text.len())
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
        if valid {
            Ok(Self(text))
        } else {
            Err(FhirError::InvalidPrimitive {
                kind: "id",
                value: text.into_owned(),
                expected: "1 to 64 characters from A-Z, a-z, 0-9, '-' and '.'",
            })
        }
    }

    /// The id as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id that is the hyphenated form of a UUID, as our entities export.
    #[must_use]
    pub fn from_uuid(uuid: uuid::Uuid) -> ResourceId<'static> {
        ResourceId(Cow::Owned(uuid.to_string()))
    }
}

impl fmt::Display for ResourceId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for ResourceId<'static> {
    type Err = FhirError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s.to_owned())
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for ResourceId<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Not `serde_via_text!`: the id keeps the borrowed text, where `FromStr`
        // would copy it.
        let text = pcn_core::text::borrowed(deserializer)?;
        Self::new(text).map_err(serde::de::Error::custom)
    }
}

/// Field readers that borrow optional and repeated strings from the input; serde's
/// `borrow` attribute reaches only a `Cow` that is the field's whole type.
pub(crate) mod text {
    use std::borrow::Cow;

    use serde::{Deserialize, Deserializer};

    /// A string borrowed from the input where it can be.
    struct Text<'a>(Cow<'a, str>);

    impl<'de> Deserialize<'de> for Text<'de> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            pcn_core::text::borrowed(deserializer).map(Text)
        }
    }

    /// Reads an optional string.
    pub(crate) fn option<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Cow<'de, str>>, D::Error> {
        Ok(Option::<Text<'de>>::deserialize(deserializer)?.map(|t| t.0))
    }

    /// Reads an array of strings.
    pub(crate) fn vec<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<Cow<'de, str>>, D::Error> {
        Ok(Vec::<Text<'de>>::deserialize(deserializer)?
            .into_iter()
            .map(|t| t.0)
            .collect())
    }
}

/// A FHIR `date`: a year, a month or a day, without a time.
///
/// ```
/// use pcn_fhir::FhirDate;
/// let year: FhirDate = "2002".parse()?;
/// assert_eq!(year.to_string(), "2002");
/// assert_eq!(year.last_day().to_string(), "2002-12-31");
/// let day: FhirDate = "1974-12-25".parse()?;
/// assert_eq!(day.first_day(), day.last_day());
/// assert!("1974-13-01".parse::<FhirDate>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FhirDate {
    /// A whole year, such as `2002`.
    Year(i32),
    /// A whole month, such as `2002-05`.
    Month(YearMonth),
    /// A day, such as `2002-05-06`.
    Day(NaiveDate),
}

/// A FHIR `dateTime`: a year, a month, a day, or a time to the second with a time
/// zone.
///
/// ```
/// use pcn_fhir::FhirDateTime;
/// let t: FhirDateTime = "2016-10-31T08:25:05+10:00".parse()?;
/// assert_eq!(t.first_day().to_string(), "2016-10-31");
/// assert_eq!(t.to_string(), "2016-10-31T08:25:05+10:00");
/// assert!("2016-10-31T08:25".parse::<FhirDateTime>().is_err()); // no seconds, no zone
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FhirDateTime {
    /// A whole year.
    Year(i32),
    /// A whole month.
    Month(YearMonth),
    /// A whole day.
    Day(NaiveDate),
    /// An instant, with the time zone it was written in.
    Time(DateTime<FixedOffset>),
}

/// A FHIR `instant`: a time to the second (or finer) with a time zone, as used for
/// `Meta.lastUpdated` and `Task.lastModified`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Instant(pub DateTime<FixedOffset>);

const DATE_EXPECTED: &str = "a date written YYYY, YYYY-MM or YYYY-MM-DD";
const DATE_TIME_EXPECTED: &str = "a date written YYYY, YYYY-MM or YYYY-MM-DD, or a time written YYYY-MM-DDThh:mm:ss with optional fraction and a time zone (Z or +hh:mm)";
const INSTANT_EXPECTED: &str =
    "a time written YYYY-MM-DDThh:mm:ss with optional fraction and a time zone (Z or +hh:mm)";

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// Parses the date part shared by `date` and `dateTime`, or `None` if malformed.
fn parse_date(text: &str) -> Option<FhirDate> {
    let year_text = text.get(..4)?;
    if !all_digits(year_text) {
        return None;
    }
    let year: i32 = year_text.parse().ok()?;
    if year == 0 {
        return None;
    }
    match text.len() {
        4 => Some(FhirDate::Year(year)),
        7 if text.as_bytes()[4] == b'-' && all_digits(&text[5..7]) => {
            YearMonth::new(year, text[5..7].parse().ok()?)
                .ok()
                .map(FhirDate::Month)
        }
        10 if text.as_bytes()[4] == b'-'
            && text.as_bytes()[7] == b'-'
            && all_digits(&text[5..7])
            && all_digits(&text[8..10]) =>
        {
            NaiveDate::from_ymd_opt(year, text[5..7].parse().ok()?, text[8..10].parse().ok()?)
                .map(FhirDate::Day)
        }
        _ => None,
    }
}

/// Parses a full date-time with seconds and a time zone, or `None` if malformed.
fn parse_time(text: &str) -> Option<DateTime<FixedOffset>> {
    // Shape: YYYY-MM-DDThh:mm:ss[.f+](Z|+hh:mm|-hh:mm); chrono checks the values.
    let bytes = text.as_bytes();
    if bytes.len() < 20 || bytes[10] != b'T' || bytes[13] != b':' || bytes[16] != b':' {
        return None;
    }
    let zone_ok = text.ends_with('Z') || {
        let zone = &bytes[bytes.len() - 6..];
        (zone[0] == b'+' || zone[0] == b'-') && zone[3] == b':'
    };
    if !zone_ok {
        return None;
    }
    parse_date(&text[..10]).filter(|d| matches!(d, FhirDate::Day(_)))?;
    DateTime::parse_from_rfc3339(text).ok()
}

/// Writes a time as FHIR does: seconds always, a fraction only when there is one.
fn write_time(f: &mut fmt::Formatter<'_>, time: &DateTime<FixedOffset>) -> fmt::Result {
    if time.offset().local_minus_utc() == 0 {
        write!(f, "{}", time.format("%Y-%m-%dT%H:%M:%S%.fZ"))
    } else {
        write!(f, "{}", time.format("%Y-%m-%dT%H:%M:%S%.f%:z"))
    }
}

impl FhirDate {
    /// The first day the value covers.
    #[must_use]
    pub fn first_day(&self) -> NaiveDate {
        match self {
            Self::Year(year) => NaiveDate::from_ymd_opt(*year, 1, 1).unwrap_or(NaiveDate::MIN),
            Self::Month(month) => month.first_day(),
            Self::Day(day) => *day,
        }
    }

    /// The last day the value covers (a year's 31 December, a month's last day).
    #[must_use]
    pub fn last_day(&self) -> NaiveDate {
        match self {
            Self::Year(year) => NaiveDate::from_ymd_opt(*year, 12, 31).unwrap_or(NaiveDate::MAX),
            Self::Month(month) => month
                .next()
                .first_day()
                .pred_opt()
                .unwrap_or(NaiveDate::MAX),
            Self::Day(day) => *day,
        }
    }
}

impl FhirDateTime {
    /// The first day the value covers, in the time zone it was written in.
    #[must_use]
    pub fn first_day(&self) -> NaiveDate {
        match self {
            Self::Year(y) => FhirDate::Year(*y).first_day(),
            Self::Month(m) => m.first_day(),
            Self::Day(d) => *d,
            Self::Time(t) => t.date_naive(),
        }
    }

    /// The last day the value covers, in the time zone it was written in.
    #[must_use]
    pub fn last_day(&self) -> NaiveDate {
        match self {
            Self::Year(y) => FhirDate::Year(*y).last_day(),
            Self::Month(m) => FhirDate::Month(*m).last_day(),
            Self::Day(d) => *d,
            Self::Time(t) => t.date_naive(),
        }
    }
}

impl From<FhirDate> for FhirDateTime {
    fn from(date: FhirDate) -> Self {
        match date {
            FhirDate::Year(y) => Self::Year(y),
            FhirDate::Month(m) => Self::Month(m),
            FhirDate::Day(d) => Self::Day(d),
        }
    }
}

impl From<NaiveDate> for FhirDate {
    fn from(day: NaiveDate) -> Self {
        Self::Day(day)
    }
}

impl From<NaiveDate> for FhirDateTime {
    fn from(day: NaiveDate) -> Self {
        Self::Day(day)
    }
}

impl fmt::Display for FhirDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Year(y) => write!(f, "{y:04}"),
            Self::Month(m) => write!(f, "{:04}-{:02}", m.year(), m.month()),
            Self::Day(d) => write!(f, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
        }
    }
}

impl fmt::Display for FhirDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Year(y) => FhirDate::Year(*y).fmt(f),
            Self::Month(m) => FhirDate::Month(*m).fmt(f),
            Self::Day(d) => FhirDate::Day(*d).fmt(f),
            Self::Time(t) => write_time(f, t),
        }
    }
}

impl fmt::Display for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_time(f, &self.0)
    }
}

impl FromStr for FhirDate {
    type Err = FhirError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_date(s).ok_or_else(|| FhirError::InvalidPrimitive {
            kind: "date",
            value: s.to_owned(),
            expected: DATE_EXPECTED,
        })
    }
}

impl FromStr for FhirDateTime {
    type Err = FhirError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parsed = if s.len() > 10 {
            parse_time(s).map(Self::Time)
        } else {
            parse_date(s).map(Self::from)
        };
        parsed.ok_or_else(|| FhirError::InvalidPrimitive {
            kind: "dateTime",
            value: s.to_owned(),
            expected: DATE_TIME_EXPECTED,
        })
    }
}

impl FromStr for Instant {
    type Err = FhirError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_time(s)
            .map(Self)
            .ok_or_else(|| FhirError::InvalidPrimitive {
                kind: "instant",
                value: s.to_owned(),
                expected: INSTANT_EXPECTED,
            })
    }
}

pcn_core::serde_via_text!(FhirDate, FhirDateTime, Instant);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn dates_keep_their_precision() {
        for text in ["2002", "2002-05", "2002-05-06", "0001-01-01", "9999-12-31"] {
            let date: FhirDate = text.parse().unwrap();
            assert_eq!(date.to_string(), text);
            let date_time: FhirDateTime = text.parse().unwrap();
            assert_eq!(date_time.to_string(), text);
        }
        let month: FhirDate = "2024-02".parse().unwrap();
        assert_eq!(month.first_day().to_string(), "2024-02-01");
        assert_eq!(month.last_day().to_string(), "2024-02-29");
    }

    #[test]
    fn malformed_dates_are_rejected() {
        for bad in [
            "",
            "02",
            "20022",
            "2002-5",
            "2002-13",
            "2002-02-30",
            "0000",
            "2002/05/06",
            "2002-05-06T",
            " 2002",
        ] {
            assert!(bad.parse::<FhirDate>().is_err(), "{bad:?}");
            assert!(bad.parse::<FhirDateTime>().is_err(), "{bad:?}");
        }
        let err = "2002-13".parse::<FhirDate>().unwrap_err();
        assert!(err.to_string().contains("\"2002-13\""));
    }

    #[test]
    fn times_need_seconds_and_a_zone() {
        for good in [
            "2017-02-01T17:23:07Z",
            "2016-10-31T08:25:05+10:00",
            "2016-10-31T08:25:05.123-05:00",
        ] {
            let t: FhirDateTime = good.parse().unwrap();
            assert_eq!(t.to_string(), good);
            assert_eq!(good.parse::<Instant>().unwrap().to_string(), good);
        }
        for bad in [
            "2016-10-31T08:25",
            "2016-10-31T08:25:05",
            "2016-10-31 08:25:05Z",
            "2016-10-31T25:25:05Z",
            "2016-10-31T08:25:05+1000",
        ] {
            assert!(bad.parse::<FhirDateTime>().is_err(), "{bad:?}");
            assert!(bad.parse::<Instant>().is_err(), "{bad:?}");
        }
        assert!("2016-10-31".parse::<Instant>().is_err());
        // An offset of zero writes as Z, the same instant.
        let t: FhirDateTime = "2017-02-01T17:23:07+00:00".parse().unwrap();
        assert_eq!(t.to_string(), "2017-02-01T17:23:07Z");
    }

    #[test]
    fn ids_follow_the_fhir_pattern() {
        assert!("f001".parse::<ResourceId>().is_ok());
        assert!(
            "0195f0a4-7b2e-7c1d-9a3e-5b6c7d8e9f00"
                .parse::<ResourceId>()
                .is_ok()
        );
        assert!("".parse::<ResourceId>().is_err());
        assert!("a_b".parse::<ResourceId>().is_err());
        assert!("x".repeat(65).parse::<ResourceId>().is_err());
        assert!(serde_json::from_str::<ResourceId>("\"a/b\"").is_err());
    }

    #[test]
    fn primitives_round_trip_through_json_and_ids_borrow() {
        let date: FhirDate = serde_json::from_str("\"2002-05\"").unwrap();
        assert_eq!(serde_json::to_string(&date).unwrap(), "\"2002-05\"");
        let time: FhirDateTime = serde_json::from_str("\"2016-10-31T08:25:05+10:00\"").unwrap();
        assert_eq!(
            serde_json::to_string(&time).unwrap(),
            "\"2016-10-31T08:25:05+10:00\""
        );
        let instant: Instant = serde_json::from_str("\"2017-02-01T17:23:07Z\"").unwrap();
        assert_eq!(
            serde_json::to_string(&instant).unwrap(),
            "\"2017-02-01T17:23:07Z\""
        );
        let err = serde_json::from_str::<FhirDate>("\"1974-13-01\"").unwrap_err();
        assert!(err.to_string().contains("1974-13-01"), "{err}");
        let json = String::from("\"f001\"");
        let id: ResourceId<'_> = serde_json::from_str(&json).unwrap();
        assert!(matches!(id.0, Cow::Borrowed("f001")));
    }

    proptest! {
        #[test]
        fn every_day_round_trips(days in 0i64..3_000_000) {
            let day = NaiveDate::from_ymd_opt(1, 1, 1).unwrap() + chrono::Duration::days(days);
            prop_assume!(day.year() <= 9999);
            let text = FhirDate::Day(day).to_string();
            prop_assert_eq!(text.parse::<FhirDate>().unwrap(), FhirDate::Day(day));
        }

        #[test]
        fn every_time_round_trips(secs in 0i64..4_000_000_000, nanos in 0u32..1_000_000_000, offset_quarters in -48i32..=56) {
            let offset = FixedOffset::east_opt(offset_quarters * 15 * 60).unwrap();
            let utc = DateTime::from_timestamp(secs, nanos).unwrap();
            let time = utc.with_timezone(&offset);
            let text = FhirDateTime::Time(time).to_string();
            let back: FhirDateTime = text.parse().unwrap();
            prop_assert_eq!(back, FhirDateTime::Time(time));
        }
    }
}
