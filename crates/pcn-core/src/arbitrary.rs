//! proptest strategies for the value types, for property tests in users' own code.
//!
//! ```
//! use proptest::prelude::*;
//! use pcn_core::arbitrary;
//!
//! proptest!(|(n in arbitrary::nhs_number(), m in arbitrary::money(-1_000_00..1_000_00))| {
//!     prop_assert_eq!(n.to_string().parse::<pcn_core::NhsNumber>().unwrap(), n);
//!     prop_assert!(m.pence().abs() < 1_000_00);
//! });
//! ```

use std::ops::Range;

use chrono::NaiveDate;
use proptest::prelude::*;

use crate::{
    DateRange, EnumSet, FinancialYear, Money, NhsNumber, OdsCode, Party, PartyKind, SetMember, Wte,
};

/// Any valid NHS number.
pub fn nhs_number() -> impl Strategy<Value = NhsNumber> {
    (0u32..=999_999_999).prop_filter_map("no check digit for this prefix", NhsNumber::from_prefix)
}

/// A GP practice code: a letter and five digits.
pub fn practice_code() -> impl Strategy<Value = OdsCode> {
    "[A-HJ-NPW][0-9]{5}".prop_filter_map("valid code", |s| s.parse().ok())
}

/// An amount of money in the given range of pence.
pub fn money(pence: Range<i64>) -> impl Strategy<Value = Money> {
    pence.prop_map(Money::from_pence)
}

/// A WTE from 0.01 to 1.00.
pub fn wte() -> impl Strategy<Value = Wte> {
    (1u32..=100).prop_map(Wte::from_hundredths)
}

/// A financial year from 2015/16 to 2030/31.
pub fn financial_year() -> impl Strategy<Value = FinancialYear> {
    (2015i32..=2030).prop_filter_map("in range", |y| FinancialYear::new(y).ok())
}

/// A date from 2015 to 2034.
pub fn date() -> impl Strategy<Value = NaiveDate> {
    (0i64..7300).prop_filter_map("in range", |days| {
        NaiveDate::from_ymd_opt(2015, 1, 1).map(|d| d + chrono::Duration::days(days))
    })
}

/// A date range from 2015 on, open-ended one time in four.
pub fn date_range() -> impl Strategy<Value = DateRange> {
    (date(), prop::option::weighted(0.75, 1i64..2000))
        .prop_filter_map("non-empty", |(from, len)| {
            DateRange::new(from, len.map(|l| from + chrono::Duration::days(l))).ok()
        })
}

/// Any set of members of `T`, from empty to full, shrinking towards fewer members.
///
/// ```
/// use proptest::prelude::*;
/// use pcn_core::{EnumSet, SetMember, arbitrary};
/// # #[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// # enum Visit { Home, Clinic, Phone }
/// # impl SetMember for Visit {
/// #     type Bits = u8;
/// #     const ALL: &'static [Self] = &[Visit::Home, Visit::Clinic, Visit::Phone];
/// #     fn index(self) -> usize { self as usize }
/// #     fn name(self) -> &'static str { "visit" }
/// # }
///
/// proptest!(|(a in arbitrary::enum_set::<Visit>(), b in any::<EnumSet<Visit>>())| {
///     prop_assert!(a.union(b).is_superset(a));
/// });
/// ```
pub fn enum_set<T: SetMember>() -> impl Strategy<Value = EnumSet<T>> {
    prop::sample::subsequence(T::ALL, 0..=T::ALL.len()).prop_map(EnumSet::from_iter)
}

impl<T: SetMember> Arbitrary for EnumSet<T> {
    type Parameters = ();
    type Strategy = BoxedStrategy<Self>;

    fn arbitrary_with((): ()) -> Self::Strategy {
        enum_set().boxed()
    }
}

/// Any organisation: a [`Party`] of any kind with any id, shrinking towards a
/// network (the first kind) and the nil UUID.
///
/// ```
/// use proptest::prelude::*;
/// use pcn_core::{Party, arbitrary};
///
/// proptest!(|(a in arbitrary::party(), b in any::<Party>())| {
///     prop_assert_eq!(Party::new(a.kind(), a.uuid()), a);
///     prop_assert_eq!(a == b, a.kind() == b.kind() && a.uuid() == b.uuid());
/// });
/// ```
pub fn party() -> impl Strategy<Value = Party> {
    (prop::sample::select(&PartyKind::ALL[..]), any::<u128>())
        .prop_map(|(kind, id)| Party::new(kind, uuid::Uuid::from_u128(id)))
}

impl Arbitrary for Party {
    type Parameters = ();
    type Strategy = BoxedStrategy<Self>;

    fn arbitrary_with((): ()) -> Self::Strategy {
        party().boxed()
    }
}
