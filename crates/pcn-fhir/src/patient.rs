//! `Patient`: a person receiving care, identified in England by the NHS number.
//!
//! Source: FHIR R4 Patient (<http://hl7.org/fhir/R4/patient.html>); every element is
//! optional in R4. UK Core Patient carries the NHS number as an identifier with the
//! system `https://fhir.nhs.uk/Id/nhs-number` and the registered GP practice in
//! `generalPractitioner`.

use pcn_core::NhsNumber;
use serde::{Deserialize, Serialize};

use crate::datatype::{
    Address, ContactPoint, Extension, HumanName, Identifier, Meta, Narrative, Reference,
};
use crate::primitive::{FhirDate, FhirDateTime, ResourceId};
use crate::resource::ResourceTypeTag;
use crate::system;
use crate::value_set::AdministrativeGender;

/// A patient.
///
/// ```
/// use pcn_core::NhsNumber;
/// use pcn_fhir::{Identifier, Patient};
/// let n: NhsNumber = "9434765919".parse()?;
/// let patient = Patient { identifier: vec![Identifier::nhs_number(n)], ..Patient::default() };
/// assert_eq!(patient.nhs_number(), Some(n));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Patient<'a> {
    /// Always `"Patient"`.
    #[serde(default)]
    pub resource_type: ResourceTypeTag<Patient<'a>>,
    /// The logical id.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub id: Option<ResourceId<'a>>,
    /// Metadata.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta<'a>>,
    /// The human-readable summary.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub text: Option<Narrative<'a>>,
    /// Extensions, such as this crate's own for model facts FHIR has no element for.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension<'a>>,
    /// Business identifiers, such as the NHS number.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub identifier: Vec<Identifier<'a>>,
    /// Whether the record is in active use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// Names.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub name: Vec<HumanName<'a>>,
    /// Contact details.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub telecom: Vec<ContactPoint<'a>>,
    /// Administrative gender.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<AdministrativeGender>,
    /// Date of birth.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<FhirDate>,
    /// Whether the patient has died (the boolean form of `deceased[x]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deceased_boolean: Option<bool>,
    /// When the patient died (the dateTime form of `deceased[x]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deceased_date_time: Option<FhirDateTime>,
    /// Addresses.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub address: Vec<Address<'a>>,
    /// The patient's nominated GP practice or GP.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub general_practitioner: Vec<Reference<'a>>,
    /// The organisation that holds the record.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub managing_organization: Option<Reference<'a>>,
}

impl<'a> Patient<'a> {
    /// The patient's NHS number, if an identifier in the NHS number system holds a valid
    /// one (import rejects an invalid one, naming its path).
    #[must_use]
    pub fn nhs_number(&self) -> Option<NhsNumber> {
        self.identifier
            .iter()
            .filter(|id| id.is_in(system::NHS_NUMBER))
            .find_map(|id| id.value.as_deref()?.parse().ok())
    }
}
