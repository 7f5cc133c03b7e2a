//! Where things are: postcodes and points on the map.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::CoreError;

/// A UK postcode, normalised to upper case with one space before the inward code
/// (`TS18 1HU`).
///
/// The shape (Royal Mail, "Postcode Address File" programmer's guide; ONS Postcode
/// Directory): an outward code of an area (one or two letters) and a district (a
/// digit, two digits, or a digit and a letter), then an inward code of a sector digit
/// and two unit letters: `A9 9AA`, `A99 9AA`, `AA9 9AA`, `AA99 9AA`, `A9A 9AA`,
/// `AA9A 9AA`. Parsing accepts any case and spacing. Only the shape is checked:
/// whether the postcode exists is the postcode directory's business.
///
/// A patient's postcode is personal data, so `Debug` shows the outward code only;
/// `Display`, `FromStr` and serde use the full normalised text. The value is `Copy`.
///
/// ```
/// use pcn_core::Postcode;
/// let postcode: Postcode = "sw170rt".parse()?;
/// assert_eq!(postcode.to_string(), "SW17 0RT");
/// assert_eq!(postcode.outward(), "SW17");
/// assert_eq!(format!("{postcode:?}"), "Postcode(SW17 ***)");
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
    /// Parses and normalises a postcode.
    ///
    /// # Errors
    /// [`CoreError::InvalidPostcode`] if the text does not have a postcode's shape.
    pub fn new(text: &str) -> Result<Self, CoreError> {
        let invalid = || CoreError::InvalidPostcode {
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
        let mut shape = [0u8; 4];
        for (slot, byte) in shape.iter_mut().zip(outward) {
            *slot = if byte.is_ascii_digit() { b'9' } else { b'A' };
        }
        let outward_ok = matches!(
            &shape[..outward.len()],
            b"A9" | b"A99" | b"AA9" | b"AA99" | b"A9A" | b"AA9A"
        );
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

    /// The outward code (area and district, the part before the space), such as `SW17`.
    #[must_use]
    pub fn outward(&self) -> &str {
        let chars = self.chars();
        &chars[..chars.len() - 3]
    }

    /// The inward code (sector and unit, the part after the space), such as `0RT`.
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
        write!(f, "Postcode({} ***)", self.outward())
    }
}

impl FromStr for Postcode {
    type Err = CoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

crate::serde_via_text!(Postcode);

/// A point on the earth (WGS84 latitude and longitude), held exactly in millionths of
/// a degree (about 0.1 m), so that locations compare and hash exactly.
///
/// Serde uses the fields `latitude` and `longitude` in degrees, checked on the way in.
///
/// ```
/// use pcn_core::Location;
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
    type Error = CoreError;

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
    /// [`CoreError::InvalidLocation`] if either is out of range or not a number.
    pub fn new(latitude: f64, longitude: f64) -> Result<Self, CoreError> {
        let invalid = || CoreError::InvalidLocation {
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

    #[test]
    fn postcodes_normalise_and_reject_bad_shapes() {
        for (text, normal) in [
            ("TS18 1HU", "TS18 1HU"),
            ("n20 0dh", "N20 0DH"),
            ("EC1A1BB", "EC1A 1BB"),
            (" W1A  0AX ", "W1A 0AX"),
            ("M1 1AE", "M1 1AE"),
            ("ls14ap", "LS1 4AP"),
        ] {
            assert_eq!(text.parse::<Postcode>().unwrap().to_string(), normal);
        }
        for bad in [
            "",
            "TS18",
            "1S18 1HU",
            "TS18 HU1",
            "TS18-1HU",
            "ABCDE 1HU",
            "LS1 4A",
            "A1AA 1AA",
            "MMM1 1AE",
            "ÉC1 1BB",
            "M1 1A1",
        ] {
            assert!(bad.parse::<Postcode>().is_err(), "{bad}");
        }
        let json = serde_json::to_string(&"ts181hu".parse::<Postcode>().unwrap()).unwrap();
        assert_eq!(json, "\"TS18 1HU\"");
        assert_eq!(
            "x".parse::<Postcode>().unwrap_err().to_string(),
            "invalid postcode \"x\": expected an outward and an inward code such as \"TS18 1HU\""
        );
    }

    #[test]
    fn locations_round_trip_through_json() {
        let l = Location::new(54.5646, -1.3174).unwrap();
        let json = serde_json::to_string(&l).unwrap();
        assert_eq!(json, r#"{"latitude":54.5646,"longitude":-1.3174}"#);
        assert_eq!(serde_json::from_str::<Location>(&json).unwrap(), l);
        assert!(serde_json::from_str::<Location>(r#"{"latitude":95.0,"longitude":0.0}"#).is_err());
        assert!(Location::new(f64::NAN, 0.0).is_err());
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

        #[test]
        fn postcode_text_round_trips(
            area in "[A-Z]{1,2}", district in "[0-9]{1,2}", sector in "[0-9]", unit in "[A-Z]{2}",
        ) {
            let text = format!("{area}{district} {sector}{unit}");
            let postcode: Postcode = text.parse().unwrap();
            prop_assert_eq!(postcode.to_string(), text);
        }
    }
}
