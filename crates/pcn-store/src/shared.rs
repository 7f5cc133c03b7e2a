//! A store shared between threads, whose batches share commits (group commit).

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use pcn_budget::Batch;
use pcn_core::TransferId;

use crate::{Store, StoreError, Stored};

/// What a posting thread waits for: its batch's answer, written by whichever
/// thread commits the group that holds it.
type Answer = Arc<Mutex<Option<Result<Stored<TransferId>, StoreError>>>>;

/// A batch waiting to be committed.
struct Waiting {
    batch: Batch,
    answer: Answer,
}

struct Shared {
    /// The store; its holder is the thread committing a group.
    store: Mutex<Store>,
    /// Batches posted while a group was being committed: the next group.
    queue: Mutex<Vec<Waiting>>,
}

/// A [`Store`] shared between threads: a handle that is `Clone`, `Send` and
/// `Sync`, as a server hands one to each request.
///
/// Batches posted from many threads at once share commits: a thread that finds
/// no commit under way commits every batch waiting (its own and those posted
/// while the last commit was being written) in one transaction, with
/// [`Store::post_all`], and hands each thread its own answer. Each batch is
/// still applied all or nothing on its own, checked by the ledger against the
/// state left by the batches before it, and each thread's `post` returns only
/// after the commit that holds its batch. With one thread this is
/// [`Store::post`]; with many, a commit's cost is shared by as many batches as
/// arrived while the one before was being written.
///
/// ```
/// use chrono::NaiveDate;
/// use pcn_budget::{Account, Actor, Batch, FundingStream, Party, Provenance, Purpose, Reason, Transfer};
/// use pcn_core::{AccountId, Money, NetworkId, TransferId};
/// use pcn_store::Store;
///
/// let dir = std::env::temp_dir().join(format!("pcn-store-shared-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let path = dir.join("budget.db");
/// # let _ = std::fs::remove_file(&path);
/// let network = Party::Network(NetworkId::from_u128(1));
/// let (icb, pot) = (AccountId::from_u128(1), AccountId::from_u128(2));
/// let mut store = Store::open(&path)?;
/// store.open_accounts(&[
///     Account::funding(icb, "Core funding", FundingStream::CoreNetworkFunding, network),
///     Account::pot(pot, "Pooled pot", network, Purpose::General),
/// ])?;
/// let shared = store.share();
/// let day = NaiveDate::from_ymd_opt(2024, 4, 30).ok_or("bad date")?;
/// let threads: Vec<_> = (0..4u128)
///     .map(|t| {
///         let shared = shared.clone();
///         std::thread::spawn(move || {
///             let by = Provenance::new(day, Actor::System(network), Reason::Funding);
///             let batch: Batch = (0..10u128)
///                 .map(|i| Transfer::posted(TransferId::from_u128(1 + t * 10 + i), icb, pot,
///                     Money::from_pence(100), by.clone()))
///                 .collect::<Result<_, _>>()?;
///             shared.post(batch)
///         })
///     })
///     .collect();
/// for t in threads {
///     assert_eq!(t.join().map_err(|_| "a thread failed")??.stored, 10);
/// }
/// let balance = shared.with(|s| s.ledger().balance(pot).map(|b| b.balance()));
/// assert_eq!(balance, Some(Money::from_pence(4_000)));
/// # drop(shared); std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct SharedStore {
    inner: Arc<Shared>,
}

impl std::fmt::Debug for SharedStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedStore").finish_non_exhaustive()
    }
}

/// A lock whose holder panicked still guards a consistent value here: the
/// store's own write path leaves its state as the journal has it, or marks it
/// for reopening.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Store {
    /// This store as a [`SharedStore`], to post from many threads at once.
    #[must_use]
    pub fn share(self) -> SharedStore {
        SharedStore::new(self)
    }
}

impl SharedStore {
    /// Shares `store` between threads.
    #[must_use]
    pub fn new(store: Store) -> Self {
        Self {
            inner: Arc::new(Shared {
                store: Mutex::new(store),
                queue: Mutex::new(Vec::new()),
            }),
        }
    }

    /// Posts a batch of transfers, all or nothing, and returns once the commit
    /// that holds it is on disk; the commit may hold other threads' batches too.
    /// Transfers already stored (a retry, or the same transfer posted by another
    /// thread first) are reported in [`Stored::already_stored`].
    ///
    /// # Errors
    /// [`StoreError::Budget`] with the ledger's refusal of this batch (nothing of
    /// it written; the other batches of the commit are not affected); a database
    /// error when the commit failed, for every batch it held (none of them
    /// acknowledged).
    pub fn post(&self, batch: Batch) -> Result<Stored<TransferId>, StoreError> {
        let answer: Answer = Arc::new(Mutex::new(None));
        lock(&self.inner.queue).push(Waiting {
            batch,
            answer: Arc::clone(&answer),
        });
        let mut store = lock(&self.inner.store);
        // A thread that held the store before us may have committed our batch.
        if let Some(done) = lock(&answer).take() {
            return done;
        }
        let group = std::mem::take(&mut *lock(&self.inner.queue));
        let (batches, answers): (Vec<Batch>, Vec<Answer>) =
            group.into_iter().map(|w| (w.batch, w.answer)).unzip();
        match store.post_all(&batches) {
            Ok(results) => {
                for (result, a) in results.into_iter().zip(&answers) {
                    *lock(a) = Some(result);
                }
            }
            Err(e) => {
                for a in &answers {
                    *lock(a) = Some(Err(e.clone()));
                }
            }
        }
        drop(store);
        lock(&answer).take().unwrap_or_else(|| {
            // Our batch was in the group we committed, so its answer is there.
            Err(StoreError::NeedsReopen {
                store: String::from("the shared store"),
                detail: String::from("a posted batch was not answered"),
            })
        })
    }

    /// Runs `f` with the store to itself: reading balances, taking a snapshot,
    /// logging access, or any other write (each its own commit).
    pub fn with<T>(&self, f: impl FnOnce(&mut Store) -> T) -> T {
        f(&mut lock(&self.inner.store))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_store_can_be_sent_and_shared_between_threads() {
        const fn shareable<T: Send + Sync + Clone>() {}
        shareable::<SharedStore>();
    }
}
