//! A store shared between threads, whose batches share commits (group commit).

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use pcn_budget::Batch;
use pcn_core::TransferId;

use crate::{Store, StoreError, Stored};

/// A batch's answer.
type Answer = Result<Stored<TransferId>, StoreError>;

/// The batches waiting to be committed and the answers not yet collected.
#[derive(Default)]
struct Queue {
    /// Each batch with the number its poster waits on.
    waiting: Vec<(u64, Batch)>,
    answers: HashMap<u64, Answer>,
    /// Whether a thread is committing a group now.
    committing: bool,
    next: u64,
}

struct Shared {
    store: Mutex<Store>,
    queue: Mutex<Queue>,
    /// Signalled when a group's answers are in.
    answered: Condvar,
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
/// arrived while the one before was being written (waiting threads sleep on a
/// condition variable, not on the store, so that they are answered as soon as
/// their commit is done).
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

/// The group a thread is committing: when it is dropped, its answers are handed
/// out and the next thread may commit. Were the commit to panic, every batch of
/// the group is answered with an error rather than left waiting.
struct Committing<'a> {
    shared: &'a Shared,
    tickets: Vec<u64>,
    results: Option<Result<Vec<Answer>, StoreError>>,
}

impl Drop for Committing<'_> {
    fn drop(&mut self) {
        let mut queue = lock(&self.shared.queue);
        let tickets = std::mem::take(&mut self.tickets);
        match self.results.take() {
            Some(Ok(results)) => queue.answers.extend(tickets.into_iter().zip(results)),
            Some(Err(e)) => {
                for t in tickets {
                    queue.answers.insert(t, Err(e.clone()));
                }
            }
            None => {
                let e = StoreError::NeedsReopen {
                    store: String::from("the shared store"),
                    detail: String::from("a group commit stopped part way"),
                };
                for t in tickets {
                    queue.answers.insert(t, Err(e.clone()));
                }
            }
        }
        queue.committing = false;
        self.shared.answered.notify_all();
    }
}

/// A lock whose holder panicked still guards a consistent value here: the
/// store's own write path leaves its state as the journal has it, or marks it
/// for reopening, and the queue is changed only in whole steps.
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
                queue: Mutex::new(Queue::default()),
                answered: Condvar::new(),
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
        let shared = &*self.inner;
        let mut queue = lock(&shared.queue);
        let ticket = queue.next;
        queue.next += 1;
        queue.waiting.push((ticket, batch));
        loop {
            if let Some(answer) = queue.answers.remove(&ticket) {
                return answer;
            }
            if queue.committing {
                // Wait, off the queue's lock, while the group before is written:
                // batches posted meanwhile make up the next group.
                queue = shared
                    .answered
                    .wait(queue)
                    .unwrap_or_else(PoisonError::into_inner);
                continue;
            }
            queue.committing = true;
            let group = std::mem::take(&mut queue.waiting);
            drop(queue);
            let (tickets, batches): (Vec<u64>, Vec<Batch>) = group.into_iter().unzip();
            let mut committing = Committing {
                shared,
                tickets,
                results: None,
            };
            committing.results = Some(lock(&shared.store).post_all(&batches));
            drop(committing);
            queue = lock(&shared.queue);
        }
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
