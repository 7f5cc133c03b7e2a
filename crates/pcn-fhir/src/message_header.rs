//! `MessageHeader`: the first resource of a message bundle, saying what the message
//! is, who sent it, where it goes and which resource to start reading from.
//!
//! Source: FHIR R4 MessageHeader (<http://hl7.org/fhir/R4/messageheader.html>):
//! `event[x]` and `source` are required (1..1), `source.endpoint` and
//! `destination.endpoint` are required within them. The NHS Booking and Referral
//! Standard (BaRS) codes the event from `https://fhir.nhs.uk/CodeSystem/message-events-bars`
//! (`servicerequest-request` for a referral), the reason from
//! `https://fhir.nhs.uk/CodeSystem/message-reason-bars` (`new`, `update`, `delete`),
//! and points `focus` at the referral's `ServiceRequest`.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::datatype::{
    CodeableConcept, Coding, ContactPoint, Extension, Meta, Narrative, Reference,
};
use crate::primitive::ResourceId;
use crate::resource::ResourceTypeTag;

/// A message header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageHeader<'a> {
    /// Always `"MessageHeader"`.
    #[serde(default)]
    pub resource_type: ResourceTypeTag<MessageHeader<'a>>,
    /// The logical id.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub id: Option<ResourceId<'a>>,
    /// Metadata.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta<'a>>,
    /// The human-readable summary.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub text: Option<Narrative<'a>>,
    /// Extensions.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension<'a>>,
    /// What the message is, as a code (the coded form of `event[x]`, required).
    #[serde(borrow)]
    pub event_coding: Coding<'a>,
    /// Where the message goes.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub destination: Vec<MessageDestination<'a>>,
    /// Who sent it (an organisation).
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub sender: Option<Reference<'a>>,
    /// Where it came from (required).
    #[serde(borrow)]
    pub source: MessageSource<'a>,
    /// Why it was sent (for BaRS: new, update or delete).
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub reason: Option<CodeableConcept<'a>>,
    /// The resources to start reading from (for a referral, its `ServiceRequest`).
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub focus: Vec<Reference<'a>>,
    /// The canonical URL of the message's definition.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub definition: Option<Cow<'a, str>>,
}

impl<'a> MessageHeader<'a> {
    /// A header with its required elements and nothing else.
    #[must_use]
    pub fn new(event: Coding<'a>, source_endpoint: impl Into<Cow<'a, str>>) -> Self {
        Self {
            resource_type: ResourceTypeTag::default(),
            id: None,
            meta: None,
            text: None,
            extension: Vec::new(),
            event_coding: event,
            destination: Vec::new(),
            sender: None,
            source: MessageSource {
                endpoint: source_endpoint.into(),
                ..MessageSource::default()
            },
            reason: None,
            focus: Vec::new(),
            definition: None,
        }
    }
}

/// A destination of a message.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageDestination<'a> {
    /// The destination's name.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<Cow<'a, str>>,
    /// Where to send it (required).
    #[serde(borrow)]
    pub endpoint: Cow<'a, str>,
    /// Who the message is for (an organisation).
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub receiver: Option<Reference<'a>>,
}

/// The source of a message.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageSource<'a> {
    /// The source's name.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<Cow<'a, str>>,
    /// The sending software.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub software: Option<Cow<'a, str>>,
    /// The software's version.
    #[serde(
        borrow,
        deserialize_with = "crate::primitive::text::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub version: Option<Cow<'a, str>>,
    /// Who to contact about the message.
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub contact: Option<ContactPoint<'a>>,
    /// Where replies go (required).
    #[serde(borrow)]
    pub endpoint: Cow<'a, str>,
}
