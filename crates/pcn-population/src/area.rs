//! Where a patient lives: a postcode or a small statistical area.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::PopulationError;

/// A UK postcode, normalised to upper case with one space before the inward code
/// (`LS1 4AP`).
///
/// The shape (Royal Mail / ONS postcode directory): an outward code of an area (one
/// or two letters), a district (a digit, two digits, or a digit and a letter) and an
/// inward code of a sector digit and two unit letters: `A9 9AA`, `A99 9AA`,
/// `AA9 9AA`, `AA99 9AA`, `A9A 9AA`, `AA9A 9AA`. Only the shape is checked: whether
/// the postcode exists is the postcode directory's business.
///
/// ```
/// use pcn_population::Postcode;
/// let p: Postcode = "ls14ap".parse()?;
/// assert_eq!(p.to_string(), "LS1 4AP");
/// assert_eq!(p.outward(), "LS1");
/// assert!("LS1 4A".parse::<Postcode>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Postcode(String);

impl Postcode {
    /// Parses and normalises a postcode.
    ///
    /// # Errors
    /// [`PopulationError::InvalidPostcode`] if the text does not have a postcode's
    /// shape.
    pub fn new(text: &str) -> Result<Self, PopulationError> {
        let compact: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let invalid = || PopulationError::InvalidPostcode {
            value: text.to_owned(),
        };
        if !(5..=7).contains(&compact.len()) || !compact.is_ascii() {
            return Err(invalid());
        }
        let (outward, inward) = compact.split_at(compact.len() - 3);
        let inward_ok = {
            let b = inward.as_bytes();
            b[0].is_ascii_digit() && b[1].is_ascii_alphabetic() && b[2].is_ascii_alphabetic()
        };
        let shape: String = outward
            .bytes()
            .map(|b| {
                if b.is_ascii_digit() {
                    '9'
                } else if b.is_ascii_alphabetic() {
                    'A'
                } else {
                    '?'
                }
            })
            .collect();
        let outward_ok = matches!(
            shape.as_str(),
            "A9" | "A99" | "AA9" | "AA99" | "A9A" | "AA9A"
        );
        if !(inward_ok && outward_ok) {
            return Err(invalid());
        }
        Ok(Self(format!("{outward} {inward}")))
    }

    /// The outward code (area and district), such as `LS1`.
    #[must_use]
    pub fn outward(&self) -> &str {
        self.0.split(' ').next().unwrap_or(&self.0)
    }

    /// The normalised text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A postcode is personal data when tied to a patient: `Debug` shows the outward code
/// only.
impl fmt::Debug for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Postcode({} ***)", self.outward())
    }
}

impl FromStr for Postcode {
    type Err = PopulationError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl Serialize for Postcode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Postcode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Self::new(&text).map_err(serde::de::Error::custom)
    }
}

/// The kind of a small statistical area, from its code's entity prefix (ONS Register
/// of Geographic Codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmallAreaKind {
    /// Output area (`E00`, `W00`).
    OutputArea,
    /// Lower layer super output area (`E01`, `W01`), the usual unit for deprivation
    /// and population-health data.
    LowerLayerSuperOutputArea,
    /// Middle layer super output area (`E02`, `W02`).
    MiddleLayerSuperOutputArea,
}

/// An ONS small-area code for England or Wales: a country letter (`E`, `W`), a
/// two-digit entity code (`00` output area, `01` LSOA, `02` MSOA) and six digits, for
/// example `E01011229`.
///
/// ```
/// use pcn_population::{SmallArea, SmallAreaKind};
/// let lsoa: SmallArea = "E01011229".parse()?;
/// assert_eq!(lsoa.kind(), SmallAreaKind::LowerLayerSuperOutputArea);
/// assert!("E05011229".parse::<SmallArea>().is_err()); // a ward, not a small area
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SmallArea {
    country: u8,
    kind: SmallAreaKind,
    number: u32,
}

impl SmallArea {
    /// Parses a small-area code.
    ///
    /// # Errors
    /// [`PopulationError::InvalidSmallArea`] if the text is not `E` or `W`, `00`, `01`
    /// or `02`, and six digits.
    pub fn new(text: &str) -> Result<Self, PopulationError> {
        let invalid = || PopulationError::InvalidSmallArea {
            value: text.to_owned(),
        };
        let code = text.trim();
        let bytes = code.as_bytes();
        if bytes.len() != 9 || !bytes[1..].iter().all(u8::is_ascii_digit) {
            return Err(invalid());
        }
        let country = bytes[0].to_ascii_uppercase();
        if country != b'E' && country != b'W' {
            return Err(invalid());
        }
        let kind = match &code[1..3] {
            "00" => SmallAreaKind::OutputArea,
            "01" => SmallAreaKind::LowerLayerSuperOutputArea,
            "02" => SmallAreaKind::MiddleLayerSuperOutputArea,
            _ => return Err(invalid()),
        };
        let number = code[3..].parse().map_err(|_| invalid())?;
        Ok(Self {
            country,
            kind,
            number,
        })
    }

    /// The kind of area.
    #[must_use]
    pub const fn kind(&self) -> SmallAreaKind {
        self.kind
    }
}

impl fmt::Display for SmallArea {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let entity = match self.kind {
            SmallAreaKind::OutputArea => "00",
            SmallAreaKind::LowerLayerSuperOutputArea => "01",
            SmallAreaKind::MiddleLayerSuperOutputArea => "02",
        };
        write!(f, "{}{entity}{:06}", char::from(self.country), self.number)
    }
}

impl FromStr for SmallArea {
    type Err = PopulationError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl Serialize for SmallArea {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SmallArea {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Self::new(&text).map_err(serde::de::Error::custom)
    }
}

/// Where a patient lives, as far as the record says: a postcode or a small area.
///
/// Serde: `{"postcode": "LS1 4AP"}` or `{"small_area": "E01011229"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HomeArea {
    /// A full postcode.
    Postcode(Postcode),
    /// An ONS small-area code (for pseudonymised data, where the postcode is withheld).
    SmallArea(SmallArea),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_of_every_shape_parse_and_normalise() {
        for (input, normal) in [
            ("M1 1AE", "M1 1AE"),
            ("b338th", "B33 8TH"),
            ("CR2 6XH", "CR2 6XH"),
            ("DN551PT", "DN55 1PT"),
            ("W1A 0AX", "W1A 0AX"),
            ("ec1a 1bb", "EC1A 1BB"),
        ] {
            let p: Postcode = input.parse().unwrap();
            assert_eq!(p.as_str(), normal);
            assert_eq!(normal.parse::<Postcode>().unwrap(), p);
        }
        for bad in [
            "", "M1", "M11AEE1", "1M1 1AE", "M1 AAE", "M1 1A1", "MMM1 1AE", "M1-1AE", "ÉC1 1BB",
        ] {
            let err = bad.parse::<Postcode>().unwrap_err();
            assert!(err.to_string().contains(&format!("{bad:?}")), "{err}");
        }
    }

    #[test]
    fn postcode_debug_hides_the_inward_code() {
        let p: Postcode = "LS1 4AP".parse().unwrap();
        assert_eq!(format!("{p:?}"), "Postcode(LS1 ***)");
    }

    #[test]
    fn small_areas_round_trip() {
        for code in ["E00000001", "E01011229", "W02000123"] {
            let area: SmallArea = code.parse().unwrap();
            assert_eq!(area.to_string(), code);
            let json = serde_json::to_string(&HomeArea::SmallArea(area)).unwrap();
            assert_eq!(json, format!("{{\"small_area\":\"{code}\"}}"));
        }
        for bad in ["E0101122", "S01011229", "E03011229", "E01O11229"] {
            assert!(bad.parse::<SmallArea>().is_err(), "{bad}");
        }
    }
}
