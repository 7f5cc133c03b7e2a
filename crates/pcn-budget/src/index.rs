//! A fast, seeded hash index from 128-bit ids (account and transfer UUIDs) to dense
//! positions.
//!
//! The ledger looks up three ids per transfer (its idempotency id and two accounts),
//! so the general-purpose SipHash of the standard library would be most of the cost.
//! UUIDs are already well spread, so one folded 64x64->128 multiply of the two
//! halves, each mixed with a per-index random key, spreads them over the table; the
//! random keys (taken from the standard library's per-process randomness) keep ids
//! chosen by an adversary from colliding on purpose.

use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

/// The hasher's random keys.
#[derive(Debug, Clone, Copy)]
pub(crate) struct IdHashState {
    k0: u64,
    k1: u64,
}

impl Default for IdHashState {
    fn default() -> Self {
        let random = RandomState::new();
        Self {
            k0: random.hash_one(0x243f_6a88_85a3_08d3_u64) | 1,
            k1: random.hash_one(0x1319_8a2e_0370_7344_u64) | 1,
        }
    }
}

impl BuildHasher for IdHashState {
    type Hasher = IdHasher;

    fn build_hasher(&self) -> IdHasher {
        IdHasher {
            k0: self.k0,
            k1: self.k1,
            hash: 0,
        }
    }
}

/// Hashes one 128-bit id by a folded multiply.
#[derive(Debug)]
pub(crate) struct IdHasher {
    k0: u64,
    k1: u64,
    hash: u64,
}

/// The low and high 64 bits of a 128-bit value.
#[allow(clippy::cast_possible_truncation)] // Splitting into halves is the intent.
const fn halves(value: u128) -> (u64, u64) {
    (value as u64, (value >> 64) as u64)
}

impl IdHasher {
    const fn mix(&mut self, value: u128) {
        let (lo, hi) = halves(value);
        let product = (((lo ^ self.k0) as u128) * ((hi ^ self.k1) as u128)) ^ (self.hash as u128);
        let (plo, phi) = halves(product);
        self.hash = plo ^ phi;
    }
}

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u128` is used by the ledger; other keys fold in 16 bytes at a time.
        for chunk in bytes.chunks(16) {
            let mut buffer = [0u8; 16];
            buffer[..chunk.len()].copy_from_slice(chunk);
            self.mix(u128::from_le_bytes(buffer));
        }
    }

    fn write_u128(&mut self, value: u128) {
        self.mix(value);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// A map from a 128-bit id to a dense position.
pub(crate) type IdMap = HashMap<u128, u32, IdHashState>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearby_ids_spread_over_the_table() {
        let state = IdHashState::default();
        let mut buckets = [0u32; 64];
        for id in 0..64_000u128 {
            let slot = state.hash_one(id) >> 58;
            buckets[usize::try_from(slot).unwrap()] += 1;
        }
        // 1,000 expected per bucket: a bad mix piles sequential ids into a few.
        assert!(
            buckets.iter().all(|&n| (700..1300).contains(&n)),
            "{buckets:?}"
        );
    }

    #[test]
    fn the_map_finds_what_it_holds() {
        let mut map = IdMap::default();
        for id in 0..10_000u128 {
            map.insert((id << 64) | (id * 7919), u32::try_from(id).unwrap());
        }
        for id in 0..10_000u128 {
            assert_eq!(
                map.get(&((id << 64) | (id * 7919))),
                Some(&u32::try_from(id).unwrap())
            );
        }
    }
}

/// The idempotency index of transfer ids.
///
/// Transfer ids are time-ordered UUIDs (version 7), so almost every new id is above
/// every id seen before. Such ids are appended to a sorted run: a new transfer costs
/// one comparison and one append, with no hashing and no random memory access, which
/// is what lets the ledger apply millions of transfers a second. Ids that arrive out
/// of order go to a hash map. Every id in the map is below the last id of the run
/// (true when inserted, and kept because the run only shrinks by undoing the newest
/// entries first), so an id above the run's last is known to be new at once.
#[derive(Debug, Clone, Default)]
pub(crate) struct TransferIndex {
    run_keys: Vec<u128>,
    run_positions: Vec<u32>,
    others: IdMap,
}

impl TransferIndex {
    /// The position of the transfer with this id, if held.
    pub(crate) fn get(&self, key: u128) -> Option<u32> {
        let last = *self.run_keys.last()?;
        if key > last {
            return None;
        }
        if let Some(p) = self.others.get(&key) {
            return Some(*p);
        }
        self.run_keys
            .binary_search(&key)
            .ok()
            .map(|i| self.run_positions[i])
    }

    /// Records a new id (not already held) at `position`.
    pub(crate) fn insert(&mut self, key: u128, position: u32) {
        if self.run_keys.last().is_none_or(|last| key > *last) {
            self.run_keys.push(key);
            self.run_positions.push(position);
        } else {
            self.others.insert(key, position);
        }
    }

    /// Forgets the newest id, `key`, when its transfer is undone.
    pub(crate) fn remove_newest(&mut self, key: u128) {
        if self.run_keys.last() == Some(&key) {
            self.run_keys.pop();
            self.run_positions.pop();
        } else {
            self.others.remove(&key);
        }
    }

    /// Makes room for `additional` ids.
    pub(crate) fn reserve(&mut self, additional: usize) {
        self.run_keys.reserve(additional);
        self.run_positions.reserve(additional);
    }
}

#[cfg(test)]
mod transfer_index_tests {
    use super::*;

    #[test]
    fn ids_in_and_out_of_order_are_all_found_and_undone() {
        let mut index = TransferIndex::default();
        let keys = [5u128, 9, 7, 12, 1, 30, 29];
        for (p, k) in keys.iter().enumerate() {
            assert_eq!(index.get(*k), None);
            index.insert(*k, u32::try_from(p).unwrap());
        }
        for (p, k) in keys.iter().enumerate() {
            assert_eq!(index.get(*k), Some(u32::try_from(p).unwrap()));
        }
        assert_eq!(index.get(31), None);
        assert_eq!(index.get(6), None);
        for k in keys.iter().rev().take(4) {
            index.remove_newest(*k);
            assert_eq!(index.get(*k), None);
        }
        for (p, k) in keys.iter().enumerate().take(3) {
            assert_eq!(index.get(*k), Some(u32::try_from(p).unwrap()));
        }
    }
}
