//! The FHIR R4 general-purpose data types the modelled resources use.
//!
//! Source: FHIR R4 Data Types (<http://hl7.org/fhir/R4/datatypes.html>) and, for
//! [`Narrative`], [`Meta`] and [`Reference`], the Resource and References pages
//! (<http://hl7.org/fhir/R4/narrative.html>, <http://hl7.org/fhir/R4/resource.html#Meta>,
//! <http://hl7.org/fhir/R4/references.html>). Every element here is optional in R4
//! except `Narrative.status`, `Narrative.div` and `Annotation.text`; elements we do
//! not model (`extension`, `Identifier.type`'s siblings in other releases, ...) are
//! reported by the import as ignored.
//!
//! Field names are FHIR's own JSON names, in camelCase, because they are the wire
//! format.

use pcn_core::{NhsNumber, OdsCode, SnomedCode};
use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::primitive::{FhirDate, FhirDateTime, Instant};
use crate::system;
use crate::value_set::{
    AddressType, AddressUse, ContactPointSystem, ContactPointUse, IdentifierUse, NameUse,
    NarrativeStatus,
};

/// An identifier of a thing in a namespace (`system`), such as an NHS number or an
/// ODS code.
///
/// ```
/// use pcn_core::NhsNumber;
/// use pcn_fhir::Identifier;
/// let n: NhsNumber = "9434765919".parse()?;
/// let id = Identifier::nhs_number(n);
/// assert_eq!(id.system.as_deref(), Some("https://fhir.nhs.uk/Id/nhs-number"));
/// assert_eq!(id.value.as_deref(), Some("9434765919"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Identifier<'a> {
    /// The purpose of the identifier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#use: Option<IdentifierUse>,
    /// A coded kind of identifier (for example a medical record number).
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<CodeableConcept<'a>>,
    /// The namespace of the value: a URI.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub system: Option<Cow<'a, str>>,
    /// The value, unique within the system.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub value: Option<Cow<'a, str>>,
    /// When the identifier was or is valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// The organisation that issued the identifier.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub assigner: Option<Box<Reference<'a>>>,
}

impl<'a> Identifier<'a> {
    /// An identifier with a system and a value, nothing else.
    #[must_use]
    pub fn new(system: impl Into<Cow<'a, str>>, value: impl Into<Cow<'a, str>>) -> Self {
        Self {
            system: Some(system.into()),
            value: Some(value.into()),
            ..Self::default()
        }
    }

    /// A patient's NHS number, with the system `https://fhir.nhs.uk/Id/nhs-number`.
    #[must_use]
    pub fn nhs_number(number: NhsNumber) -> Self {
        Self::new(system::NHS_NUMBER, format!("{:010}", number.as_u64()))
    }

    /// An organisation's ODS code, with the system
    /// `https://fhir.nhs.uk/Id/ods-organization-code`.
    #[must_use]
    pub fn ods_code(code: OdsCode) -> Self {
        Self::new(system::ODS_ORGANIZATION_CODE, code.as_str().to_owned())
    }

    /// Whether the identifier is in the given system.
    #[must_use]
    pub fn is_in(&self, system: &str) -> bool {
        self.system.as_deref() == Some(system)
    }
}

/// A concept given by codes from terminologies and/or text.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeableConcept<'a> {
    /// Codes for the concept, from one or more code systems.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub coding: Vec<Coding<'a>>,
    /// The concept in words.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub text: Option<Cow<'a, str>>,
}

impl<'a> CodeableConcept<'a> {
    /// A concept given by one coding.
    #[must_use]
    pub fn from_coding(coding: Coding<'a>) -> Self {
        Self {
            coding: vec![coding],
            text: None,
        }
    }

    /// A concept given by text alone.
    #[must_use]
    pub fn from_text(text: impl Into<Cow<'a, str>>) -> Self {
        Self {
            coding: Vec::new(),
            text: Some(text.into()),
        }
    }

    /// The first coding in the given system.
    #[must_use]
    pub fn coding_in(&self, system: &str) -> Option<&Coding<'a>> {
        self.coding
            .iter()
            .find(|c| c.system.as_deref() == Some(system))
    }
}

/// A code from a code system.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Coding<'a> {
    /// The code system: a URI.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub system: Option<Cow<'a, str>>,
    /// The version of the code system.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub version: Option<Cow<'a, str>>,
    /// The code.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub code: Option<Cow<'a, str>>,
    /// The code's meaning in words.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub display: Option<Cow<'a, str>>,
    /// Whether a user chose this coding directly.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_selected: Option<bool>,
}

impl<'a> Coding<'a> {
    /// A coding with a system, a code and optionally a display.
    #[must_use]
    pub fn new(
        system: impl Into<Cow<'a, str>>,
        code: impl Into<Cow<'a, str>>,
        display: Option<Cow<'a, str>>,
    ) -> Self {
        Self {
            system: Some(system.into()),
            code: Some(code.into()),
            display,
            ..Self::default()
        }
    }

    /// A SNOMED CT coding (system `http://snomed.info/sct`).
    #[must_use]
    pub fn snomed(code: SnomedCode, display: Option<Cow<'a, str>>) -> Self {
        Self::new(system::SNOMED_CT, code.to_string(), display)
    }

    /// Whether the coding is the given code in the given system.
    #[must_use]
    pub fn is(&self, system: &str, code: &str) -> bool {
        self.system.as_deref() == Some(system) && self.code.as_deref() == Some(code)
    }
}

/// A reference from one resource to another: by literal reference (`Patient/123`,
/// `urn:uuid:...`, `#contained`), by logical identifier, or by display text alone.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reference<'a> {
    /// The literal reference: a relative or absolute URL, or a URN.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub reference: Option<Cow<'a, str>>,
    /// The type of the target resource, as a URI (`Patient` for a core type).
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub r#type: Option<Cow<'a, str>>,
    /// A logical reference, by the target's business identifier.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<Identifier<'a>>,
    /// Text for the target.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub display: Option<Cow<'a, str>>,
}

impl<'a> Reference<'a> {
    /// A literal reference.
    #[must_use]
    pub fn to(reference: impl Into<Cow<'a, str>>) -> Self {
        Self {
            reference: Some(reference.into()),
            ..Self::default()
        }
    }

    /// A literal reference with display text.
    #[must_use]
    pub fn to_with_display(
        reference: impl Into<Cow<'a, str>>,
        display: Option<Cow<'a, str>>,
    ) -> Self {
        Self {
            reference: Some(reference.into()),
            display,
            ..Self::default()
        }
    }

    /// A logical reference by business identifier (for example an organisation by
    /// its ODS code), with the target's resource type.
    #[must_use]
    pub fn by_identifier(resource_type: &'a str, identifier: Identifier<'a>) -> Self {
        Self {
            r#type: Some(Cow::Borrowed(resource_type)),
            identifier: Some(identifier),
            ..Self::default()
        }
    }
}

/// A span of time. In FHIR both ends are inclusive: a period ending `2012-03-31`
/// includes the whole of 31 March.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Period {
    /// The start, inclusive; absent when not known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<FhirDateTime>,
    /// The end, inclusive; absent when ongoing or not known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<FhirDateTime>,
}

/// A person's name.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HumanName<'a> {
    /// The purpose of the name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#use: Option<NameUse>,
    /// The full name as text.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub text: Option<Cow<'a, str>>,
    /// The family name (surname).
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub family: Option<Cow<'a, str>>,
    /// Given names, in order.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::vec",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub given: Vec<Cow<'a, str>>,
    /// Parts before the name (titles such as `Dr`).
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::vec",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub prefix: Vec<Cow<'a, str>>,
    /// Parts after the name.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::vec",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub suffix: Vec<Cow<'a, str>>,
    /// When the name was or is in use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
}

/// A telephone number, email address or other way to reach someone.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactPoint<'a> {
    /// The kind of contact point; required by FHIR (`cpt-2`) when a value is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<ContactPointSystem>,
    /// The number or address.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub value: Option<Cow<'a, str>>,
    /// The purpose of the contact point.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#use: Option<ContactPointUse>,
    /// The order of preference (1 is the highest).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<u32>,
    /// When the contact point was or is in use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
}

/// A postal or physical address.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Address<'a> {
    /// The purpose of the address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#use: Option<AddressUse>,
    /// Postal, physical or both.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<AddressType>,
    /// The whole address as text.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub text: Option<Cow<'a, str>>,
    /// Street lines.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::vec",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub line: Vec<Cow<'a, str>>,
    /// Town or city.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub city: Option<Cow<'a, str>>,
    /// District or county.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub district: Option<Cow<'a, str>>,
    /// State or region.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub state: Option<Cow<'a, str>>,
    /// Postal code.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub postal_code: Option<Cow<'a, str>>,
    /// Country.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub country: Option<Cow<'a, str>>,
    /// When the address was or is in use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
}

/// Metadata about a resource: its version, when it last changed, the profiles it
/// claims (such as a UK Core profile) and its tags.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Meta<'a> {
    /// The version of the resource, as assigned by a server.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub version_id: Option<Cow<'a, str>>,
    /// When the resource last changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_updated: Option<Instant>,
    /// The system that produced the resource: a URI.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub source: Option<Cow<'a, str>>,
    /// The canonical URLs of the profiles the resource claims to conform to.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::vec",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub profile: Vec<Cow<'a, str>>,
    /// Security labels.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub security: Vec<Coding<'a>>,
    /// Tags.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub tag: Vec<Coding<'a>>,
}

/// The human-readable summary of a resource: XHTML, with a status saying how it
/// relates to the structured data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Narrative<'a> {
    /// How the narrative was made (required).
    pub status: NarrativeStatus,
    /// The XHTML `div` (required), kept as text.
    #[serde(borrow)]
    pub div: Cow<'a, str>,
}

/// An extension: an element defined outside the base resource, named by its `url`,
/// with one value or with nested extensions (FHIR R4 "Extensibility",
/// <http://hl7.org/fhir/R4/extensibility.html>; `ext-1`: a value or nested
/// extensions, not both). Only the value types this crate writes are modelled; an
/// extension with another value type is read as ignored.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Extension<'a> {
    /// What the extension means: the canonical URL of its definition (required).
    #[serde(borrow)]
    pub url: Cow<'a, str>,
    /// Nested extensions, for a complex extension.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension<'a>>,
    /// A boolean value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_boolean: Option<bool>,
    /// A code value.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub value_code: Option<Cow<'a, str>>,
    /// A string value.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub value_string: Option<Cow<'a, str>>,
    /// A date value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_date: Option<FhirDate>,
    /// A period value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_period: Option<Period>,
    /// A non-negative integer value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_unsigned_int: Option<u32>,
    /// An integer value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_integer: Option<i32>,
    /// A reference value.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub value_reference: Option<Reference<'a>>,
    /// An identifier value.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub value_identifier: Option<Identifier<'a>>,
    /// A coding value.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub value_coding: Option<Coding<'a>>,
}

impl<'a> Extension<'a> {
    /// An extension with no value yet.
    #[must_use]
    pub fn new(url: impl Into<Cow<'a, str>>) -> Self {
        Self {
            url: url.into(),
            ..Self::default()
        }
    }
}

/// A note, with who wrote it and when.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Annotation<'a> {
    /// Who wrote the note, as a reference.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub author_reference: Option<Reference<'a>>,
    /// Who wrote the note, as text.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub author_string: Option<Cow<'a, str>>,
    /// When the note was written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<FhirDateTime>,
    /// The note (required; markdown).
    #[serde(borrow)]
    pub text: Cow<'a, str>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_elements_are_left_out_of_the_json() {
        let id = Identifier::new("urn:x", "1");
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            r#"{"system":"urn:x","value":"1"}"#
        );
        let name = HumanName {
            family: Some("Careful".into()),
            given: vec!["Adam".into()],
            ..HumanName::default()
        };
        assert_eq!(
            serde_json::to_string(&name).unwrap(),
            r#"{"family":"Careful","given":["Adam"]}"#
        );
    }

    #[test]
    fn keyword_fields_use_the_fhir_names() {
        let json = r#"{"use":"official","type":{"text":"MRN"},"system":"urn:x","value":"7"}"#;
        let id: Identifier = serde_json::from_str(json).unwrap();
        assert_eq!(id.r#use, Some(IdentifierUse::Official));
        assert_eq!(serde_json::to_string(&id).unwrap(), json);
    }

    #[test]
    fn a_narrative_needs_status_and_div() {
        assert!(serde_json::from_str::<Narrative>(r#"{"div":"<div/>"}"#).is_err());
        assert!(serde_json::from_str::<Narrative>(r#"{"status":"generated"}"#).is_err());
    }
}
