//! The FHIR R4 value sets with a *required* binding that the modelled resources use.
//!
//! A required binding means that a conformant resource carries one of the listed codes
//! and no other, so each value set is a closed Rust enum: importing a resource with a
//! code outside the set is an error naming the element, and an export can only ever
//! write a listed code. Each enum cites the value set page of the R4 (4.0.1)
//! specification it comes from.

/// Defines a closed code enum with its FHIR codes, serde, `Display` and `FromStr`.
macro_rules! value_set {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$doc:meta])* $variant:ident = $code:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $( $(#[$doc])* #[serde(rename = $code)] $variant, )*
        }

        impl $name {
            /// Every code of the value set, in the order the specification lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The FHIR code, as written in JSON.
            #[must_use]
            pub const fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)* }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl std::str::FromStr for $name {
            type Err = crate::FhirError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($code => Ok($name::$variant),)*
                    _ => Err(crate::FhirError::UnknownCode {
                        value_set: stringify!($name),
                        value: s.to_owned(),
                    }),
                }
            }
        }
    };
}

value_set! {
    /// The status of a resource's narrative (`Narrative.status`).
    ///
    /// Source: <http://hl7.org/fhir/R4/valueset-narrative-status.html>.
    NarrativeStatus {
        /// Generated wholly from the structured data.
        Generated = "generated",
        /// Generated from the structured data and extensions.
        Extensions = "extensions",
        /// Contains information beyond the structured data.
        Additional = "additional",
        /// No human-readable narrative was available.
        Empty = "empty",
    }
}

value_set! {
    /// The purpose of an identifier (`Identifier.use`).
    ///
    /// Source: <http://hl7.org/fhir/R4/valueset-identifier-use.html>.
    IdentifierUse {
        /// The identifier recommended for display and use in real-world interactions.
        Usual = "usual",
        /// The identifier considered most trusted for identification.
        Official = "official",
        /// A temporary identifier.
        Temp = "temp",
        /// An identifier assigned in a secondary use case.
        Secondary = "secondary",
        /// An identifier no longer in use.
        Old = "old",
    }
}

value_set! {
    /// The use of a person's name (`HumanName.use`).
    ///
    /// Source: <http://hl7.org/fhir/R4/valueset-name-use.html>.
    NameUse {
        /// Known as, or conventional name.
        Usual = "usual",
        /// The formal name as registered.
        Official = "official",
        /// A temporary name.
        Temp = "temp",
        /// A name used informally (a nickname).
        Nickname = "nickname",
        /// An anonymous name.
        Anonymous = "anonymous",
        /// A name no longer in use.
        Old = "old",
        /// A name used before marriage.
        Maiden = "maiden",
    }
}

value_set! {
    /// The kind of a contact point (`ContactPoint.system`).
    ///
    /// Source: <http://hl7.org/fhir/R4/valueset-contact-point-system.html>.
    ContactPointSystem {
        /// A telephone number.
        Phone = "phone",
        /// A fax number.
        Fax = "fax",
        /// An email address.
        Email = "email",
        /// A pager number.
        Pager = "pager",
        /// A URL.
        Url = "url",
        /// A number for text messages.
        Sms = "sms",
        /// Another kind of contact point.
        Other = "other",
    }
}

value_set! {
    /// The purpose of a contact point (`ContactPoint.use`).
    ///
    /// Source: <http://hl7.org/fhir/R4/valueset-contact-point-use.html>.
    ContactPointUse {
        /// A home contact.
        Home = "home",
        /// A work contact.
        Work = "work",
        /// A temporary contact.
        Temp = "temp",
        /// A contact no longer in use.
        Old = "old",
        /// A mobile contact.
        Mobile = "mobile",
    }
}

value_set! {
    /// The purpose of an address (`Address.use`).
    ///
    /// Source: <http://hl7.org/fhir/R4/valueset-address-use.html>.
    AddressUse {
        /// A home address.
        Home = "home",
        /// A work address.
        Work = "work",
        /// A temporary address.
        Temp = "temp",
        /// An address no longer in use.
        Old = "old",
        /// A billing address.
        Billing = "billing",
    }
}

value_set! {
    /// Whether an address is postal, physical or both (`Address.type`).
    ///
    /// Source: <http://hl7.org/fhir/R4/valueset-address-type.html>.
    AddressType {
        /// A mailing address.
        Postal = "postal",
        /// A physical address that can be visited.
        Physical = "physical",
        /// Both postal and physical.
        Both = "both",
    }
}

value_set! {
    /// A person's administrative gender (`Patient.gender`, `Practitioner.gender`).
    ///
    /// Source: <http://hl7.org/fhir/R4/valueset-administrative-gender.html>.
    AdministrativeGender {
        /// Male.
        Male = "male",
        /// Female.
        Female = "female",
        /// Other.
        Other = "other",
        /// Unknown.
        Unknown = "unknown",
    }
}

value_set! {
    /// The status of a request such as a care plan or a service request
    /// (`CarePlan.status`, `ServiceRequest.status`).
    ///
    /// Source: <http://hl7.org/fhir/R4/valueset-request-status.html>.
    RequestStatus {
        /// Not yet actionable.
        Draft = "draft",
        /// In force and ready to be acted upon.
        Active = "active",
        /// Temporarily withdrawn.
        OnHold = "on-hold",
        /// Withdrawn before completion.
        Revoked = "revoked",
        /// Fully carried out.
        Completed = "completed",
        /// Should never have existed.
        EnteredInError = "entered-in-error",
        /// The status is not known.
        Unknown = "unknown",
    }
}

value_set! {
    /// The intent of a care plan (`CarePlan.intent`).
    ///
    /// Source: <http://hl7.org/fhir/R4/valueset-care-plan-intent.html>.
    CarePlanIntent {
        /// A suggestion.
        Proposal = "proposal",
        /// An intention to act, without authorisation.
        Plan = "plan",
        /// A request or demand with authorisation.
        Order = "order",
        /// An option among several.
        Option = "option",
    }
}

value_set! {
    /// The intent of a request (`ServiceRequest.intent`).
    ///
    /// Source: <http://hl7.org/fhir/R4/valueset-request-intent.html>.
    RequestIntent {
        /// A suggestion.
        Proposal = "proposal",
        /// An intention to act, without authorisation.
        Plan = "plan",
        /// A directive from a policy or protocol.
        Directive = "directive",
        /// A request or demand with authorisation.
        Order = "order",
        /// The original order.
        OriginalOrder = "original-order",
        /// An order made in reaction to a result.
        ReflexOrder = "reflex-order",
        /// The filler's view of an order.
        FillerOrder = "filler-order",
        /// An instance of a repeating order.
        InstanceOrder = "instance-order",
        /// An option among several.
        Option = "option",
    }
}

value_set! {
    /// How urgent a request is (`ServiceRequest.priority`, `Task.priority`).
    ///
    /// Source: <http://hl7.org/fhir/R4/valueset-request-priority.html>.
    RequestPriority {
        /// Normal priority.
        Routine = "routine",
        /// Sooner than routine.
        Urgent = "urgent",
        /// As soon as possible; higher than urgent.
        Asap = "asap",
        /// Immediately; the highest priority.
        Stat = "stat",
    }
}

value_set! {
    /// The status of a care team (`CareTeam.status`).
    ///
    /// Source: <http://hl7.org/fhir/R4/valueset-care-team-status.html>.
    CareTeamStatus {
        /// Proposed, not yet in force.
        Proposed = "proposed",
        /// Active.
        Active = "active",
        /// Temporarily not active.
        Suspended = "suspended",
        /// No longer active.
        Inactive = "inactive",
        /// Should never have existed.
        EnteredInError = "entered-in-error",
    }
}

value_set! {
    /// The kind of resource a care plan activity describes (`CarePlan.activity.detail.kind`).
    ///
    /// Source: <http://hl7.org/fhir/R4/valueset-care-plan-activity-kind.html>.
    CarePlanActivityKind {
        /// An appointment.
        Appointment = "Appointment",
        /// A communication request.
        CommunicationRequest = "CommunicationRequest",
        /// A device request.
        DeviceRequest = "DeviceRequest",
        /// A medication request.
        MedicationRequest = "MedicationRequest",
        /// A nutrition order.
        NutritionOrder = "NutritionOrder",
        /// A task.
        Task = "Task",
        /// A service request.
        ServiceRequest = "ServiceRequest",
        /// A vision prescription.
        VisionPrescription = "VisionPrescription",
    }
}

value_set! {
    /// The status of a care plan activity (`CarePlan.activity.detail.status`).
    ///
    /// Source: <http://hl7.org/fhir/R4/valueset-care-plan-activity-status.html>.
    CarePlanActivityStatus {
        /// Planned, not started.
        NotStarted = "not-started",
        /// Scheduled.
        Scheduled = "scheduled",
        /// Under way.
        InProgress = "in-progress",
        /// Paused.
        OnHold = "on-hold",
        /// Done.
        Completed = "completed",
        /// Cancelled before it started.
        Cancelled = "cancelled",
        /// Stopped after it started.
        Stopped = "stopped",
        /// The status is not known.
        Unknown = "unknown",
        /// Should never have existed.
        EnteredInError = "entered-in-error",
    }
}

/// The status of a task (`Task.status`): the referral crate's mapping of a
/// referral's state, used here as it is so that there is one type for the code system.
///
/// Source: <http://hl7.org/fhir/R4/valueset-task-status.html>.
pub use pcn_referral::TaskStatus;

value_set! {
    /// The intent of a task (`Task.intent`).
    ///
    /// Source: <http://hl7.org/fhir/R4/valueset-task-intent.html>.
    TaskIntent {
        /// The intent is not known.
        Unknown = "unknown",
        /// A suggestion.
        Proposal = "proposal",
        /// An intention to act.
        Plan = "plan",
        /// A request or demand with authorisation.
        Order = "order",
        /// The original order.
        OriginalOrder = "original-order",
        /// An order made in reaction to a result.
        ReflexOrder = "reflex-order",
        /// The filler's view of an order.
        FillerOrder = "filler-order",
        /// An instance of a repeating order.
        InstanceOrder = "instance-order",
        /// An option among several.
        Option = "option",
    }
}

value_set! {
    /// The purpose of a bundle (`Bundle.type`).
    ///
    /// Source: <http://hl7.org/fhir/R4/valueset-bundle-type.html>.
    BundleType {
        /// A document, with a Composition first.
        Document = "document",
        /// A message, with a MessageHeader first.
        Message = "message",
        /// A transaction to process as a whole.
        Transaction = "transaction",
        /// The response to a transaction.
        TransactionResponse = "transaction-response",
        /// A batch of independent actions.
        Batch = "batch",
        /// The response to a batch.
        BatchResponse = "batch-response",
        /// A version history.
        History = "history",
        /// Search results.
        Searchset = "searchset",
        /// A set of resources collected into one package.
        Collection = "collection",
    }
}

value_set! {
    /// How severe an issue is (`OperationOutcome.issue.severity`).
    ///
    /// Source: <http://hl7.org/fhir/R4/valueset-issue-severity.html>.
    IssueSeverity {
        /// The action failed because of the issue.
        Fatal = "fatal",
        /// The issue is an error: what it is about was not taken in.
        Error = "error",
        /// The issue may be a problem; what it is about was taken in.
        Warning = "warning",
        /// Information only.
        Information = "information",
    }
}

value_set! {
    /// The kind of an issue (`OperationOutcome.issue.code`).
    ///
    /// Source: <http://hl7.org/fhir/R4/valueset-issue-type.html>.
    IssueType {
        /// Content invalid against the specification or a profile.
        Invalid = "invalid",
        /// A structural issue in the content.
        Structure = "structure",
        /// A required element is missing.
        Required = "required",
        /// An element's value is invalid.
        Value = "value",
        /// A content validation rule failed.
        Invariant = "invariant",
        /// A security problem.
        Security = "security",
        /// A login problem.
        Login = "login",
        /// The user or system was not able to be authenticated.
        Unknown = "unknown",
        /// The session has expired.
        Expired = "expired",
        /// The user does not have the rights.
        Forbidden = "forbidden",
        /// Some information was not or might not have been returned.
        Suppressed = "suppressed",
        /// Processing issues.
        Processing = "processing",
        /// The content or operation is not supported.
        NotSupported = "not-supported",
        /// An attempt was made to create a duplicate record.
        Duplicate = "duplicate",
        /// Multiple matching records were found.
        MultipleMatches = "multiple-matches",
        /// A reference could not be resolved.
        NotFound = "not-found",
        /// The resource has been deleted.
        Deleted = "deleted",
        /// The provided content was too long.
        TooLong = "too-long",
        /// The code or system could not be understood.
        CodeInvalid = "code-invalid",
        /// An extension was unrecognised or could not be supported.
        Extension = "extension",
        /// The operation was stopped to protect server resources.
        TooCostly = "too-costly",
        /// The content or operation failed a business rule.
        BusinessRule = "business-rule",
        /// Content could not be accepted because of an edit conflict.
        Conflict = "conflict",
        /// Transient processing issues.
        Transient = "transient",
        /// A resource or record lock failed.
        LockError = "lock-error",
        /// Persistent storage is not available.
        NoStore = "no-store",
        /// An unexpected internal error occurred.
        Exception = "exception",
        /// An internal timeout occurred.
        Timeout = "timeout",
        /// Not all data sources responded.
        Incomplete = "incomplete",
        /// The system is not prepared to handle this request.
        Throttled = "throttled",
        /// A message with information only.
        Informational = "informational",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_text_and_serde() {
        for status in [
            TaskStatus::Draft,
            TaskStatus::InProgress,
            TaskStatus::EnteredInError,
        ] {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.code()));
            assert_eq!(serde_json::from_str::<TaskStatus>(&json).unwrap(), status);
        }
        assert_eq!(RequestStatus::OnHold.to_string(), "on-hold");
    }

    #[test]
    fn codes_outside_the_value_set_are_rejected() {
        assert!(serde_json::from_str::<TaskStatus>("\"done\"").is_err());
        assert!(serde_json::from_str::<TaskStatus>("\"In-Progress\"").is_err());
        let err = "In-Progress".parse::<RequestStatus>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "\"In-Progress\" is not a code of the FHIR value set RequestStatus: codes are case-sensitive and must be one of the listed codes"
        );
    }
}
