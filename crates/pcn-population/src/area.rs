//! Where a patient lives: a postcode or a small statistical area.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use pcn_core::Postcode;

use crate::PopulationError;

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

pcn_core::serde_via_text!(SmallArea);

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
    fn small_areas_round_trip() {
        for code in ["E00000001", "E01011229", "W02000123"] {
            let area: SmallArea = code.parse().unwrap();
            assert_eq!(area.to_string(), code);
            let json = serde_json::to_string(&HomeArea::SmallArea(area)).unwrap();
            assert_eq!(json, format!("{{\"small_area\":\"{code}\"}}"));
            assert_eq!(
                serde_json::from_str::<HomeArea>(&json).unwrap(),
                HomeArea::SmallArea(area)
            );
        }
        assert!(serde_json::from_str::<SmallArea>("\"E03011229\"").is_err());
        for bad in ["E0101122", "S01011229", "E03011229", "E01O11229"] {
            assert!(bad.parse::<SmallArea>().is_err(), "{bad}");
        }
    }
}
