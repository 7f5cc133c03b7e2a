//! Sets over a closed list of named things: long-term conditions, frailty deficits,
//! skills.
//!
//! Each such list is a Rust enum whose variants are fixed in the code and have a
//! `snake_case` name. A set of them is one bit a variant in a machine word, so that
//! counting a person's conditions, or asking whether a worker's skills cover a
//! patient's needs, is one or two instructions, and a national population's sets fit
//! in a few bytes a person.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::iter::FusedIterator;
use std::marker::PhantomData;
use std::ops::{BitAnd, BitOr, Not};

use serde::de::{SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::CoreError;

/// A member of a closed list that an [`EnumSet`] can hold: a fieldless enum whose
/// variants are listed in declared order, each with its name.
///
/// The contract, checked by [`EnumSet`] in debug builds: `Self::ALL[m.index()] == m`
/// for every member `m`, and `ALL` has no more members than [`SetMember::Bits`] has
/// bits (checked at compile time). Serde on the member should write its
/// [`name`](SetMember::name), so that a set serialises as the list of names.
///
/// ```
/// use pcn_core::{EnumSet, SetMember};
///
/// #[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// enum Visit { Home, Clinic, Phone }
///
/// impl SetMember for Visit {
///     type Bits = u8;
///     const ALL: &'static [Self] = &[Visit::Home, Visit::Clinic, Visit::Phone];
///     fn index(self) -> usize { self as usize }
///     fn name(self) -> &'static str {
///         match self { Visit::Home => "home", Visit::Clinic => "clinic", Visit::Phone => "phone" }
///     }
/// }
///
/// let offered: EnumSet<Visit> = [Visit::Phone, Visit::Home].into_iter().collect();
/// assert_eq!(offered.to_string(), "home, phone"); // declared order
/// assert!(offered.is_superset(EnumSet::of(Visit::Home)));
/// ```
pub trait SetMember: Copy + Eq + fmt::Debug + 'static {
    /// The word that holds a set: `u8`, `u16`, `u32`, `u64` or `u128`, with at least
    /// one bit a member. A smaller word keeps records that hold sets small.
    type Bits: Bits;

    /// Every member, in declared order; a member's position here is its bit.
    const ALL: &'static [Self];

    /// The member's position in [`SetMember::ALL`].
    fn index(self) -> usize;

    /// The member's `snake_case` name, as `Display` writes it.
    fn name(self) -> &'static str;
}

mod sealed {
    pub trait Sealed {}
}

/// An unsigned word used as a bit set (`u8` to `u128`). Sealed: the set's operations
/// are written once for these words.
pub trait Bits:
    Copy
    + Eq
    + Ord
    + Hash
    + fmt::Debug
    + BitOr<Output = Self>
    + BitAnd<Output = Self>
    + Not<Output = Self>
    + sealed::Sealed
{
    /// No bit set.
    const ZERO: Self;
    /// The number of bits in the word.
    const CAPACITY: usize;
    /// Only bit `index` set (`index` below [`Bits::CAPACITY`]).
    fn bit(index: usize) -> Self;
    /// The lowest `count` bits set (`count` up to [`Bits::CAPACITY`]).
    fn low(count: usize) -> Self;
    /// The number of bits set.
    fn count(self) -> u32;
    /// The position of the lowest bit set ([`Bits::CAPACITY`] if none).
    fn lowest(self) -> u32;
    /// The word with its lowest set bit cleared.
    fn without_lowest(self) -> Self;
}

macro_rules! bits {
    ($($word:ty),*) => {$(
        impl sealed::Sealed for $word {}

        impl Bits for $word {
            const ZERO: Self = 0;
            const CAPACITY: usize = <$word>::BITS as usize;

            fn bit(index: usize) -> Self {
                1 << index
            }

            fn low(count: usize) -> Self {
                if count >= Self::CAPACITY { !0 } else { (1 << count) - 1 }
            }

            fn count(self) -> u32 {
                self.count_ones()
            }

            fn lowest(self) -> u32 {
                self.trailing_zeros()
            }

            fn without_lowest(self) -> Self {
                self & self.wrapping_sub(1)
            }
        }
    )*};
}

bits!(u8, u16, u32, u64, u128);

/// A set of members of a closed list ([`SetMember`]), one bit a member.
///
/// Iteration, `Debug`, `Display` and serde go in declared order ([`SetMember::ALL`]).
/// `Display` writes the names separated by `, ` (`none` for the empty set); serde
/// writes the list of members as each member serialises (its name), and reads any
/// order and repeats. `Ord` compares the bits as a number: a fixed order for map keys,
/// not an order by size or inclusion.
///
/// ```
/// use pcn_core::{EnumSet, SetMember};
/// # #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
/// # #[serde(rename_all = "snake_case")]
/// # enum Visit { Home, Clinic, Phone }
/// # impl SetMember for Visit {
/// #     type Bits = u8;
/// #     const ALL: &'static [Self] = &[Visit::Home, Visit::Clinic, Visit::Phone];
/// #     fn index(self) -> usize { self as usize }
/// #     fn name(self) -> &'static str {
/// #         match self { Visit::Home => "home", Visit::Clinic => "clinic", Visit::Phone => "phone" }
/// #     }
/// # }
///
/// let mut offered: EnumSet<Visit> = [Visit::Phone, Visit::Clinic].into_iter().collect();
/// offered.insert(Visit::Home);
/// assert_eq!(offered.len(), 3);
/// let in_person = EnumSet::of(Visit::Home).with(Visit::Clinic);
/// assert!(offered.is_superset(in_person));
/// assert_eq!(offered.difference(in_person), EnumSet::of(Visit::Phone));
/// assert_eq!(serde_json::to_string(&in_person)?, r#"["home","clinic"]"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[repr(transparent)]
pub struct EnumSet<T: SetMember> {
    bits: T::Bits,
    member: PhantomData<T>,
}

impl<T: SetMember> EnumSet<T> {
    /// Stops a list longer than its word at compile time.
    const FITS: () = assert!(
        T::ALL.len() <= <T::Bits as Bits>::CAPACITY,
        "more members than the set's word has bits"
    );

    /// The empty set.
    pub const EMPTY: Self = Self::from_bits_unchecked(<T::Bits as Bits>::ZERO);

    /// The empty set.
    #[must_use]
    pub const fn new() -> Self {
        Self::EMPTY
    }

    const fn from_bits_unchecked(bits: T::Bits) -> Self {
        Self {
            bits,
            member: PhantomData,
        }
    }

    fn bit(member: T) -> T::Bits {
        let () = Self::FITS;
        let index = member.index();
        debug_assert!(
            T::ALL.get(index) == Some(&member),
            "{member:?} is not at its index {index} in ALL"
        );
        <T::Bits as Bits>::bit(index)
    }

    fn mask() -> T::Bits {
        let () = Self::FITS;
        <T::Bits as Bits>::low(T::ALL.len())
    }

    /// The set of every member.
    #[must_use]
    pub fn all() -> Self {
        Self::from_bits_unchecked(Self::mask())
    }

    /// The set holding only `member`.
    #[must_use]
    pub fn of(member: T) -> Self {
        Self::from_bits_unchecked(Self::bit(member))
    }

    /// The set whose bits are `bits` (bit `i` for `T::ALL[i]`), as [`EnumSet::bits`]
    /// gives them.
    ///
    /// # Errors
    /// [`CoreError::InvalidSetBits`] if a bit past the last member is set.
    pub fn from_bits(bits: T::Bits) -> Result<Self, CoreError> {
        let stray = bits & !Self::mask();
        if stray == <T::Bits as Bits>::ZERO {
            Ok(Self::from_bits_unchecked(bits))
        } else {
            Err(CoreError::InvalidSetBits {
                bit: stray.lowest(),
                members: T::ALL.len(),
            })
        }
    }

    /// The set as bits (bit `i` for `T::ALL[i]`).
    #[must_use]
    pub const fn bits(self) -> T::Bits {
        self.bits
    }

    /// Adds `member`; whether it was absent.
    pub fn insert(&mut self, member: T) -> bool {
        let absent = !self.contains(member);
        self.bits = self.bits | Self::bit(member);
        absent
    }

    /// Removes `member`; whether it was present.
    pub fn remove(&mut self, member: T) -> bool {
        let present = self.contains(member);
        self.bits = self.bits & !Self::bit(member);
        present
    }

    /// The set with `member` added.
    #[must_use]
    pub fn with(self, member: T) -> Self {
        Self::from_bits_unchecked(self.bits | Self::bit(member))
    }

    /// The set with `member` taken out.
    #[must_use]
    pub fn without(self, member: T) -> Self {
        Self::from_bits_unchecked(self.bits & !Self::bit(member))
    }

    /// Whether `member` is in the set.
    #[must_use]
    pub fn contains(self, member: T) -> bool {
        self.bits & Self::bit(member) != <T::Bits as Bits>::ZERO
    }

    /// The number of members in the set.
    #[must_use]
    pub fn len(self) -> usize {
        // At most 128 bits, so the count fits in any usize.
        self.bits.count() as usize
    }

    /// Whether the set is empty.
    #[must_use]
    pub fn is_empty(self) -> bool {
        self.bits == <T::Bits as Bits>::ZERO
    }

    /// The members in either set.
    #[must_use]
    pub fn union(self, other: Self) -> Self {
        Self::from_bits_unchecked(self.bits | other.bits)
    }

    /// The members in both sets.
    #[must_use]
    pub fn intersection(self, other: Self) -> Self {
        Self::from_bits_unchecked(self.bits & other.bits)
    }

    /// The members of this set that are not in `other`: what `other` lacks.
    #[must_use]
    pub fn difference(self, other: Self) -> Self {
        Self::from_bits_unchecked(self.bits & !other.bits)
    }

    /// Whether every member of `other` is in this set (a worker with these skills
    /// covers a patient with those needs).
    #[must_use]
    pub fn is_superset(self, other: Self) -> bool {
        other.bits & !self.bits == <T::Bits as Bits>::ZERO
    }

    /// Whether every member of this set is in `other`.
    #[must_use]
    pub fn is_subset(self, other: Self) -> bool {
        other.is_superset(self)
    }

    /// The members, in declared order.
    #[must_use]
    pub fn iter(self) -> Iter<T> {
        Iter {
            bits: self.bits,
            member: PhantomData,
        }
    }
}

/// The members of an [`EnumSet`], in declared order.
#[derive(Debug, Clone)]
pub struct Iter<T: SetMember> {
    bits: T::Bits,
    member: PhantomData<T>,
}

impl<T: SetMember> Iterator for Iter<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        if self.bits == <T::Bits as Bits>::ZERO {
            return None;
        }
        let index = self.bits.lowest() as usize;
        self.bits = self.bits.without_lowest();
        T::ALL.get(index).copied()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let len = self.bits.count() as usize;
        (len, Some(len))
    }
}

impl<T: SetMember> ExactSizeIterator for Iter<T> {}

impl<T: SetMember> FusedIterator for Iter<T> {}

impl<T: SetMember> IntoIterator for EnumSet<T> {
    type Item = T;
    type IntoIter = Iter<T>;

    fn into_iter(self) -> Iter<T> {
        self.iter()
    }
}

impl<T: SetMember> FromIterator<T> for EnumSet<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut set = Self::EMPTY;
        set.extend(iter);
        set
    }
}

impl<T: SetMember> Extend<T> for EnumSet<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for member in iter {
            self.insert(member);
        }
    }
}

// The traits below are written out rather than derived: a derive would ask the member
// type for them too, and the set needs them only of its bits.

impl<T: SetMember> Clone for EnumSet<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: SetMember> Copy for EnumSet<T> {}

impl<T: SetMember> Default for EnumSet<T> {
    fn default() -> Self {
        Self::EMPTY
    }
}

impl<T: SetMember> PartialEq for EnumSet<T> {
    fn eq(&self, other: &Self) -> bool {
        self.bits == other.bits
    }
}

impl<T: SetMember> Eq for EnumSet<T> {}

impl<T: SetMember> PartialOrd for EnumSet<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<T: SetMember> Ord for EnumSet<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.bits.cmp(&other.bits)
    }
}

impl<T: SetMember> Hash for EnumSet<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.bits.hash(state);
    }
}

impl<T: SetMember> fmt::Debug for EnumSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl<T: SetMember> fmt::Display for EnumSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("none");
        }
        for (i, member) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(member.name())?;
        }
        Ok(())
    }
}

impl<T: SetMember + Serialize> Serialize for EnumSet<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de, T: SetMember + Deserialize<'de>> Deserialize<'de> for EnumSet<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members<T: SetMember>(PhantomData<T>);

        impl<'de, T: SetMember + Deserialize<'de>> Visitor<'de> for Members<T> {
            type Value = EnumSet<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of names")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut set = EnumSet::EMPTY;
                while let Some(member) = seq.next_element()? {
                    set.insert(member);
                }
                Ok(set)
            }
        }

        deserializer.deserialize_seq(Members(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A list that fills its word exactly, to test the edge of the mask.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Note {
        Do,
        Re,
        Mi,
        Fa,
        Sol,
        La,
        Ti,
        HighDo,
    }

    impl SetMember for Note {
        type Bits = u8;
        const ALL: &'static [Self] = &[
            Note::Do,
            Note::Re,
            Note::Mi,
            Note::Fa,
            Note::Sol,
            Note::La,
            Note::Ti,
            Note::HighDo,
        ];

        fn index(self) -> usize {
            self as usize
        }

        fn name(self) -> &'static str {
            match self {
                Note::Do => "do",
                Note::Re => "re",
                Note::Mi => "mi",
                Note::Fa => "fa",
                Note::Sol => "sol",
                Note::La => "la",
                Note::Ti => "ti",
                Note::HighDo => "high_do",
            }
        }
    }

    /// A list shorter than its word.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Suit {
        Clubs,
        Diamonds,
        Hearts,
    }

    impl SetMember for Suit {
        type Bits = u64;
        const ALL: &'static [Self] = &[Suit::Clubs, Suit::Diamonds, Suit::Hearts];

        fn index(self) -> usize {
            self as usize
        }

        fn name(self) -> &'static str {
            match self {
                Suit::Clubs => "clubs",
                Suit::Diamonds => "diamonds",
                Suit::Hearts => "hearts",
            }
        }
    }

    fn notes() -> impl Strategy<Value = EnumSet<Note>> {
        prop::collection::vec(prop::sample::select(Note::ALL), 0..12).prop_map(EnumSet::from_iter)
    }

    #[test]
    fn all_and_bits_respect_the_list() {
        assert_eq!(EnumSet::<Note>::all().len(), 8);
        assert_eq!(EnumSet::<Note>::all().bits(), u8::MAX);
        assert_eq!(EnumSet::<Suit>::all().bits(), 0b111);
        assert_eq!(EnumSet::<Suit>::from_bits(0b101).map(|s| s.len()), Ok(2));
        let err = EnumSet::<Suit>::from_bits(0b11000).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid set bits: bit 3 is set, but only bits below 3 stand for a member"
        );
        assert_eq!(EnumSet::<Suit>::new(), EnumSet::default());
        assert!(EnumSet::<Suit>::EMPTY.is_empty());
    }

    #[test]
    fn insert_and_remove_say_whether_they_changed_the_set() {
        let mut set = EnumSet::new();
        assert!(set.insert(Suit::Hearts));
        assert!(!set.insert(Suit::Hearts));
        assert_eq!(set, EnumSet::of(Suit::Hearts));
        assert!(set.remove(Suit::Hearts));
        assert!(!set.remove(Suit::Hearts));
        assert!(set.is_empty());
        assert_eq!(
            EnumSet::of(Suit::Clubs)
                .with(Suit::Hearts)
                .without(Suit::Clubs),
            EnumSet::of(Suit::Hearts)
        );
    }

    #[test]
    fn text_forms() {
        let set: EnumSet<Suit> = [Suit::Hearts, Suit::Clubs].into_iter().collect();
        assert_eq!(set.to_string(), "clubs, hearts");
        assert_eq!(EnumSet::<Suit>::EMPTY.to_string(), "none");
        assert_eq!(format!("{set:?}"), "{Clubs, Hearts}");
        assert_eq!(
            serde_json::to_string(&set).unwrap(),
            r#"["clubs","hearts"]"#
        );
        let read: EnumSet<Suit> = serde_json::from_str(r#"["hearts","clubs","hearts"]"#).unwrap();
        assert_eq!(read, set);
        assert!(serde_json::from_str::<EnumSet<Suit>>(r#"["spades"]"#).is_err());
        assert!(serde_json::from_str::<EnumSet<Suit>>(r#""clubs""#).is_err());
    }

    proptest! {
        #[test]
        fn set_operations_agree_with_membership(a in notes(), b in notes(), n in prop::sample::select(Note::ALL)) {
            prop_assert_eq!(a.union(b).contains(n), a.contains(n) || b.contains(n));
            prop_assert_eq!(a.intersection(b).contains(n), a.contains(n) && b.contains(n));
            prop_assert_eq!(a.difference(b).contains(n), a.contains(n) && !b.contains(n));
            prop_assert_eq!(a.is_superset(b), b.iter().all(|m| a.contains(m)));
            prop_assert_eq!(a.is_subset(b), b.is_superset(a));
            prop_assert_eq!(a.with(n).contains(n), true);
            prop_assert_eq!(a.without(n).contains(n), false);
        }

        #[test]
        fn set_laws(a in notes(), b in notes(), c in notes()) {
            prop_assert_eq!(a.union(b), b.union(a));
            prop_assert_eq!(a.intersection(b), b.intersection(a));
            prop_assert_eq!(a.union(b.intersection(c)), a.union(b).intersection(a.union(c)));
            prop_assert_eq!(a.intersection(b.union(c)), a.intersection(b).union(a.intersection(c)));
            prop_assert_eq!(a.len() + b.len(), a.union(b).len() + a.intersection(b).len());
            prop_assert!(a.union(b).is_superset(a));
            prop_assert!(a.intersection(b).is_subset(a));
            prop_assert!(a.difference(b).intersection(b).is_empty());
            prop_assert_eq!(a.difference(b).union(b), a.union(b));
            prop_assert!(a.union(b.difference(a)).is_superset(b));
        }

        #[test]
        fn iteration_is_in_declared_order_and_counts_len(a in notes()) {
            let members: Vec<Note> = a.iter().collect();
            prop_assert_eq!(members.len(), a.len());
            prop_assert_eq!(a.iter().len(), a.len());
            prop_assert!(members.windows(2).all(|w| w[0] < w[1]));
            prop_assert_eq!(members.iter().copied().collect::<EnumSet<Note>>(), a);
            let mut extended = EnumSet::EMPTY;
            extended.extend(members);
            prop_assert_eq!(extended, a);
        }

        #[test]
        fn serde_round_trips(a in notes()) {
            let json = serde_json::to_string(&a).unwrap();
            let names: Vec<&str> = a.iter().map(SetMember::name).collect();
            prop_assert_eq!(&json, &serde_json::to_string(&names).unwrap());
            prop_assert_eq!(serde_json::from_str::<EnumSet<Note>>(&json).unwrap(), a);
            prop_assert_eq!(EnumSet::<Note>::from_bits(a.bits()), Ok(a));
        }

        #[test]
        fn order_and_equality_follow_the_bits(a in notes(), b in notes()) {
            prop_assert_eq!(a.cmp(&b), a.bits().cmp(&b.bits()));
            prop_assert_eq!(a == b, a.bits() == b.bits());
        }
    }
}
