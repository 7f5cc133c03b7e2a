//! The SHA-256 hash chain over the journal.

use sha2::{Digest, Sha256};

/// A SHA-256 hash.
pub(crate) type Hash = [u8; 32];

/// The hash before the first record.
pub(crate) const GENESIS: Hash = [0; 32];

/// One journal row as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Row {
    pub(crate) sequence: u64,
    pub(crate) kind: String,
    pub(crate) recorded_at: String,
    pub(crate) items: u64,
    pub(crate) body: Vec<u8>,
    pub(crate) hash: Vec<u8>,
}

/// The hash of a record: SHA-256 over the previous record's hash, the sequence
/// number (8 bytes, big-endian), the kind, the time recorded and the body, each
/// text field ended by a zero byte.
pub(crate) fn link(
    previous: &Hash,
    sequence: u64,
    kind: &str,
    recorded_at: &str,
    items: u64,
    body: &[u8],
) -> Hash {
    let mut h = Sha256::new();
    h.update(previous);
    h.update(sequence.to_be_bytes());
    h.update(kind.as_bytes());
    h.update([0]);
    h.update(recorded_at.as_bytes());
    h.update([0]);
    h.update(items.to_be_bytes());
    h.update(body);
    h.finalize().into()
}

/// SHA-256 of a snapshot body.
pub(crate) fn digest(body: &[u8]) -> Hash {
    Sha256::digest(body).into()
}

/// Lower-case hex, for messages and the `hash` view.
pub(crate) fn hex(hash: &[u8]) -> String {
    use std::fmt::Write;
    hash.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

impl Row {
    /// Checks this row against the hash before it, returning its own hash.
    pub(crate) fn check(&self, previous: &Hash) -> Result<Hash, String> {
        let expected = link(
            previous,
            self.sequence,
            &self.kind,
            &self.recorded_at,
            self.items,
            &self.body,
        );
        if self.hash.as_slice() == expected {
            Ok(expected)
        } else {
            Err(format!(
                "its hash {} does not chain from the record before (expected {})",
                hex(&self.hash),
                hex(&expected)
            ))
        }
    }
}
