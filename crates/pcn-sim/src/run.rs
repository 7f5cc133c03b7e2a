//! Seeds: every replication and network draws from its own random stream.

use rand_pcg::Pcg64;
use serde::{Deserialize, Serialize};

/// Which run of the simulation a result belongs to: the user's seed, the replication
/// and the network's index.
///
/// Each run draws from its own [`Pcg64`] streams derived from these three numbers
/// alone, never from a generator shared between threads, so a result is the same
/// whatever the number of threads and whatever order the runs are done in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RunId {
    /// The user's seed.
    pub seed: u64,
    /// The replication, from 0.
    pub replication: u32,
    /// The network's index in a multi-network run, from 0.
    pub network: u32,
}

/// What a stream is used for: separate streams keep a scenario's extra draws (care
/// plan reviews, routing) from shifting the draws of demand and admissions, so that
/// baseline and scenario see the same people falling ill (common random numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    Demand = 2,
    Admissions = 3,
    Routing = 4,
    CarePlans = 5,
    Booking = 6,
}

impl RunId {
    /// A run.
    #[must_use]
    pub const fn new(seed: u64, replication: u32, network: u32) -> Self {
        Self {
            seed,
            replication,
            network,
        }
    }

    /// The generator for one purpose of this run.
    pub(crate) fn stream(&self, purpose: Purpose) -> Pcg64 {
        let a = pcn_core::mix_seed(self.seed);
        let b = pcn_core::mix_seed(a ^ u64::from(self.replication));
        let c = pcn_core::mix_seed(b ^ (u64::from(self.network) << 32));
        let state = (u128::from(b) << 64) | u128::from(c);
        Pcg64::new(state, purpose as u128)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn streams_differ_by_run_and_purpose_and_repeat_by_run() {
        let draw = |run: RunId, p| run.stream(p).random::<u64>();
        let a = RunId::new(7, 0, 0);
        assert_eq!(draw(a, Purpose::Demand), draw(a, Purpose::Demand));
        assert_ne!(draw(a, Purpose::Demand), draw(a, Purpose::Admissions));
        assert_ne!(
            draw(a, Purpose::Demand),
            draw(RunId::new(7, 1, 0), Purpose::Demand)
        );
        assert_ne!(
            draw(a, Purpose::Demand),
            draw(RunId::new(7, 0, 1), Purpose::Demand)
        );
        assert_ne!(
            draw(a, Purpose::Demand),
            draw(RunId::new(8, 0, 0), Purpose::Demand)
        );
    }
}
