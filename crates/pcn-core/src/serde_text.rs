//! Serde through a value's text form: `Display` out, `FromStr` (with its validation)
//! in, so that JSON carries exactly what a person would type and a value read from
//! JSON is checked as one typed in.
//!
//! Three ways in, one implementation:
//! - a value type of one's own: [`serde_via_text!`](crate::serde_via_text);
//! - a field whose type has other serde (money is pence in the ledger, text in the
//!   published rules): `#[serde(with = "pcn_core::text")]`;
//! - the same for an optional field: `#[serde(with = "pcn_core::text_option")]`.
//!
//! Text is borrowed from the input where the format allows (JSON strings without
//! escapes), so reading a value makes no copy of its text.

/// Implements `Serialize` (through `Display`) and `Deserialize` (through `FromStr`)
/// for one or more value types, so that they are written and read as their text form.
///
/// ```
/// use std::fmt;
/// use std::str::FromStr;
///
/// /// A ward number, written `W7`.
/// #[derive(Debug, PartialEq)]
/// struct Ward(u8);
///
/// impl fmt::Display for Ward {
///     fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
///         write!(f, "W{}", self.0)
///     }
/// }
///
/// impl FromStr for Ward {
///     type Err = String;
///     fn from_str(s: &str) -> Result<Self, String> {
///         let n = s.strip_prefix('W').and_then(|n| n.parse().ok());
///         n.map(Ward).ok_or_else(|| format!("invalid ward {s:?}: expected W and a number"))
///     }
/// }
///
/// pcn_core::serde_via_text!(Ward);
///
/// assert_eq!(serde_json::to_string(&Ward(7))?, r#""W7""#);
/// assert_eq!(serde_json::from_str::<Ward>(r#""W7""#)?, Ward(7));
/// assert!(serde_json::from_str::<Ward>(r#""7""#).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[macro_export]
macro_rules! serde_via_text {
    ($($type:ty),+ $(,)?) => {$(
        impl $crate::__serde::Serialize for $type {
            fn serialize<S: $crate::__serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::text::serialize(self, serializer)
            }
        }

        impl<'de> $crate::__serde::Deserialize<'de> for $type {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::text::deserialize(deserializer)
            }
        }
    )+};
}

/// A field written and read as its text form: `#[serde(with = "pcn_core::text")]`.
///
/// ```
/// use pcn_core::Money;
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Serialize, Deserialize)]
/// struct Line {
///     #[serde(with = "pcn_core::text")]
///     amount: Money,
/// }
///
/// let line: Line = serde_json::from_str(r#"{"amount":"£1,234.50"}"#)?;
/// assert_eq!(line.amount.pence(), 123_450);
/// assert_eq!(serde_json::to_string(&line)?, r#"{"amount":"£1,234.50"}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub mod text {
    use std::borrow::Cow;
    use std::fmt;
    use std::str::FromStr;

    use serde::de::{Error as _, Visitor};
    use serde::{Deserializer, Serializer};

    /// Writes `value` as its `Display` text.
    ///
    /// # Errors
    /// Whatever the serializer refuses.
    pub fn serialize<T: fmt::Display + ?Sized, S: Serializer>(
        value: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    /// Reads text and parses it with `FromStr`; a parse error becomes the
    /// deserializer's error with the parse error's message.
    ///
    /// # Errors
    /// If the input is not a string or the text does not parse.
    pub fn deserialize<'de, T, D>(deserializer: D) -> Result<T, D::Error>
    where
        T: FromStr,
        T::Err: fmt::Display,
        D: Deserializer<'de>,
    {
        borrowed(deserializer)?.parse().map_err(D::Error::custom)
    }

    /// Reads a string, borrowing it from the input when the format can (a JSON string
    /// without escapes); serde's own `Cow<str>` always copies.
    ///
    /// # Errors
    /// If the input is not a string.
    pub fn borrowed<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Cow<'de, str>, D::Error> {
        struct TextVisitor;

        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Cow<'de, str>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Cow::Borrowed(v))
            }

            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Cow::Owned(v.to_owned()))
            }

            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Cow::Owned(v))
            }
        }

        deserializer.deserialize_str(TextVisitor)
    }
}

/// An optional field written and read as its text form (`null` for `None`):
/// `#[serde(with = "pcn_core::text_option")]`, usually with `default` and
/// `skip_serializing_if = "Option::is_none"`.
///
/// ```
/// use pcn_core::Money;
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Serialize, Deserialize)]
/// struct Cap {
///     #[serde(default, with = "pcn_core::text_option", skip_serializing_if = "Option::is_none")]
///     london: Option<Money>,
/// }
///
/// let cap: Cap = serde_json::from_str(r#"{"london":"£10.00"}"#)?;
/// assert_eq!(cap.london.map(|m| m.pence()), Some(1_000));
/// assert_eq!(serde_json::to_string(&Cap { london: None })?, "{}");
/// assert!(serde_json::from_str::<Cap>("{}")?.london.is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub mod text_option {
    use std::borrow::Cow;
    use std::fmt;
    use std::str::FromStr;

    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// A value written through `Display`, for `serialize_some`.
    struct AsText<'a, T: ?Sized>(&'a T);

    impl<T: fmt::Display + ?Sized> Serialize for AsText<'_, T> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_str(self.0)
        }
    }

    /// Text borrowed from the input where it can be.
    struct Text<'de>(Cow<'de, str>);

    impl<'de> Deserialize<'de> for Text<'de> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            super::text::borrowed(deserializer).map(Text)
        }
    }

    /// Writes `Some(value)` as its `Display` text and `None` as none.
    ///
    /// # Errors
    /// Whatever the serializer refuses.
    #[allow(clippy::ref_option)] // The signature serde's `with` calls.
    pub fn serialize<T: fmt::Display, S: Serializer>(
        value: &Option<T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => serializer.serialize_some(&AsText(v)),
            None => serializer.serialize_none(),
        }
    }

    /// Reads none, or text parsed with `FromStr`.
    ///
    /// # Errors
    /// If the input is neither none nor a string, or the text does not parse.
    pub fn deserialize<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
    where
        T: FromStr,
        T::Err: fmt::Display,
        D: Deserializer<'de>,
    {
        Option::<Text<'de>>::deserialize(deserializer)?
            .map(|text| text.0.parse().map_err(D::Error::custom))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    use crate::{FinancialYear, Money};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Fields {
        #[serde(with = "crate::text")]
        amount: Money,
        #[serde(default, with = "crate::text_option")]
        cap: Option<Money>,
        year: FinancialYear,
    }

    #[test]
    fn fields_and_values_round_trip_through_their_text() {
        let fields = Fields {
            amount: Money::from_pence(-12_345),
            cap: Some(Money::from_pence(100)),
            year: FinancialYear::new(2024).unwrap(),
        };
        let json = serde_json::to_string(&fields).unwrap();
        assert_eq!(
            json,
            r#"{"amount":"-£123.45","cap":"£1.00","year":"2024/25"}"#
        );
        assert_eq!(serde_json::from_str::<Fields>(&json).unwrap(), fields);
        let none = r#"{"amount":"£0.00","cap":null,"year":"2024/25"}"#;
        let read: Fields = serde_json::from_str(none).unwrap();
        assert_eq!(read.cap, None);
        assert_eq!(serde_json::to_string(&read).unwrap(), none);
        let missing: Fields =
            serde_json::from_str(r#"{"amount":"£0.00","year":"2024/25"}"#).unwrap();
        assert_eq!(missing.cap, None);
    }

    #[test]
    fn parse_errors_name_the_value() {
        let err = serde_json::from_str::<Fields>(r#"{"amount":"ten pounds","year":"2024/25"}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("ten pounds"), "{err}");
        let err = serde_json::from_str::<FinancialYear>(r#""2024/26""#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("2024/26"), "{err}");
        assert!(serde_json::from_str::<FinancialYear>("2024").is_err());
    }

    #[test]
    fn text_is_borrowed_when_it_has_no_escapes() {
        let mut de = serde_json::Deserializer::from_str(r#""plain""#);
        let text = crate::text::borrowed(&mut de).unwrap();
        assert!(matches!(text, std::borrow::Cow::Borrowed("plain")));
        let mut de = serde_json::Deserializer::from_str(r#""esc\"aped""#);
        let text = crate::text::borrowed(&mut de).unwrap();
        assert!(matches!(text, std::borrow::Cow::Owned(_)));
    }
}
