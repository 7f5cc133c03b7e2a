//! The shared vocabulary of integrated primary care.
//!
//! Every crate of the `pcn` workspace speaks of the same few things: organisations
//! identified by their NHS **ODS codes**, patients identified by their **NHS numbers**,
//! money counted in **pence**, rules that change by **financial year** (1 April to
//! 31 March), facts that hold over **date ranges** and change on dates (a practice's
//! list size, its network, a member of staff's hours), staff time in **whole-time
//! equivalents**, and the **roles** of the multidisciplinary team. This crate defines
//! them once, as small validated value types, together with the typed **ids** by which
//! the other crates refer to each other's entities (so that a staff id can never be
//! passed where a referral id is wanted, and so that crates depend on one another in
//! one direction only).
//!
//! Each value is checked when it is made ("parse, don't validate"): an [`OdsCode`]
//! is always 3 to 10 upper-case letters and digits, an [`NhsNumber`] always passes
//! the Modulus 11 check, a [`DateRange`] is never empty. Money never touches floating
//! point: [`Money`] is integer pence with checked arithmetic, and every rounding goes
//! through [`round_half_away_from_zero`].
//!
//! # Example
//!
//! ```
//! use chrono::NaiveDate;
//! use pcn_core::{FinancialYear, Money, NhsNumber, OdsCode, Timeline, UnitPrice, Wte};
//!
//! let practice: OdsCode = "A81001".parse()?;
//! let patient: NhsNumber = "943 476 5919".parse()?;
//! assert_eq!(patient.to_string(), "943 476 5919");
//!
//! // A practice's registered list, as published quarterly.
//! let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
//! let mut list_size = Timeline::new();
//! list_size.set(d(2023, 1, 1), 10_250u64);
//! list_size.set(d(2023, 4, 1), 10_400u64);
//!
//! // Core network funding: £1.50 per patient on the 1 January list.
//! let year: FinancialYear = "2023/24".parse()?;
//! let list = *list_size.value_on(d(2023, 1, 1)).unwrap();
//! let funding = "£1.50".parse::<UnitPrice>()?.times(list)?;
//! assert_eq!(funding, "£15,375.00".parse::<Money>()?);
//!
//! // Split it between three partners in the ratio 2:1:1, to the penny.
//! let shares = funding.allocate(&[2, 1, 1])?;
//! assert_eq!(shares.iter().map(|m| m.pence()).sum::<i64>(), funding.pence());
//!
//! let part_time: Wte = "0.6".parse()?;
//! println!("{practice}: {funding} in {year}; {part_time} WTE");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! | type | what it is | text form |
//! |---|---|---|
//! | [`OdsCode`] | an NHS organisation code, with the [`OrganisationKind`] its shape shows | `A81001` |
//! | [`NhsNumber`] | a patient's NHS number, Modulus 11 checked, hidden in `Debug` | `943 476 5919` |
//! | [`Money`] | exact pence, checked arithmetic, largest-remainder allocation | `£1,234.56` |
//! | [`Rate`] | an exact share or multiplier | `0.7`, `70%` |
//! | [`UnitPrice`] | a price per patient, to a thousandth of a penny | `£1.761` |
//! | [`FinancialYear`] | 1 April to 31 March | `2019/20` |
//! | [`YearMonth`] | a calendar month | `2019-04` |
//! | [`DateRange`] | half-open `[from, to)`, possibly open-ended | `[2019-07-01, ..)` |
//! | [`Timeline`] | a value that changes on dates | |
//! | [`Postcode`], [`Location`] | a UK postcode (outward code only in `Debug`), a point with its haversine distance | `TS18 1HU` |
//! | [`age_on`] | age in completed years | |
//! | [`Basis`] | where a figure comes from: a published source or a stated assumption | |
//! | [`Wte`] | whole-time equivalent in hundredths (1.00 = 37.5 hours a week) | `0.60` |
//! | [`SnomedCode`] | a SNOMED CT concept id, Verhoeff checked | `73211009` |
//! | [`Role`] | a role of the multidisciplinary team, with its [`ProfessionalRegister`] | `clinical_pharmacist` |
//! | ids | [`PatientId`], [`StaffId`], [`TeamId`], [`NetworkId`], [`PracticeId`], ..., each also derived from a name in its own fixed namespace | UUID |
//! | [`Party`] | an organisation by kind and id: a network, a practice, a trust, a local authority, ... ([`PartyKind`]) | `practice 14eded46-...` |
//! | [`EnumSet`] | a set over a closed list ([`SetMember`]) such as conditions or skills, one bit a member | `["diabetes", "copd"]` |
//!
//! Value types are written by serde as their text form ([`serde_via_text!`], and
//! [`text`] and [`text_option`] for fields).
//!
//! # Crate features
//!
//! - `proptest`: proptest strategies for the value types (the `arbitrary` module, and
//!   `Arbitrary` for every [`EnumSet`] and for [`Party`]), so that users can
//!   property-test their own code with valid values.

#[doc(hidden)]
pub use serde as __serde;

mod serde_text;

mod age;
mod basis;
mod date_range;
mod enum_set;
mod error;
mod financial_year;
mod ids;
mod money;
mod nhs_number;
mod ods;
mod party;
mod place;
mod role;
mod seed;
mod snomed;
mod timeline;
mod wte;

#[cfg(feature = "proptest")]
pub mod arbitrary;

pub use age::age_on;
pub use basis::Basis;
pub use date_range::DateRange;
pub use enum_set::{Bits, EnumSet, Iter as EnumSetIter, SetMember};
pub use error::CoreError;
pub use financial_year::{FinancialYear, YearMonth};
pub use ids::{
    AccountId, AgreementId, BudgetId, CarePlanId, FOREIGN_RECORD_NAMESPACE, MeetingId, NetworkId,
    OrganisationId, PathwayId, PatientId, PracticeId, ReferralId, ServiceId, StaffId, TeamId,
    TransferId, foreign_record_uuid,
};
pub use money::{Money, Rate, UnitPrice, round_half_away_from_zero};
pub use nhs_number::NhsNumber;
pub use ods::{OdsCode, OrganisationKind};
pub use party::{Party, PartyKind};
pub use place::{Location, Postcode};
pub use role::{ProfessionalRegister, Role};
pub use seed::mix_seed;
pub use serde_text::{text, text_option};
pub use snomed::SnomedCode;
pub use timeline::{Change, Timeline};
pub use wte::{FULL_TIME_MINUTES_PER_WEEK, Wte};
