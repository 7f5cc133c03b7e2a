//! The population counts entitlements are paid on.

use chrono::NaiveDate;
use pcn_core::{NetworkId, PracticeId};
use serde::{Deserialize, Serialize};

use crate::{BudgetError, Party};

/// A count of patients on the date it was taken.
///
/// Each payment names the list it is paid on and the date of that list (for most,
/// 1 January before the financial year, `payments.md` of the domain reference): a
/// count taken on another date is refused rather than silently used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PopulationCount {
    /// The number of patients.
    pub count: u64,
    /// The date of the list.
    pub as_at: NaiveDate,
}

impl PopulationCount {
    /// `count` patients on the list of `as_at`.
    #[must_use]
    pub const fn new(count: u64, as_at: NaiveDate) -> Self {
        Self { count, as_at }
    }
}

/// Which population a payment is counted on.
///
/// - the **registered list**: patients registered with the practice;
/// - the **weighted list**: the registered list weighted by the Carr-Hill formula
///   ("global sum" or "contractor-weighted" population), published per practice;
/// - the **adjusted population**: the registered list adjusted by NHS England for
///   the Enhanced Access and merged core payments.
///
/// The weights are not computed here: the Carr-Hill coefficients are not in the
/// domain reference, so the weighted list is an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PopulationBasis {
    /// Registered patients.
    RegisteredList,
    /// Carr-Hill weighted patients.
    WeightedList,
    /// NHS England's adjusted population.
    AdjustedPopulation,
    /// Beds in the network's aligned care homes (the care home premium), counted
    /// each month from the CQC register rather than on a January list.
    CareHomeBeds,
}

impl PopulationBasis {
    /// The basis in words.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::RegisteredList => "registered list",
            Self::WeightedList => "weighted list",
            Self::AdjustedPopulation => "adjusted population",
            Self::CareHomeBeds => "aligned care home beds",
        }
    }
}

/// One member practice's population counts; a count a payment needs but the
/// practice did not give is an error when that payment is computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticePopulation {
    /// The practice (paid the Network Participation Payment directly).
    pub practice: PracticeId,
    /// Its registered list.
    pub registered: Option<PopulationCount>,
    /// Its weighted (Carr-Hill) list.
    pub weighted: Option<PopulationCount>,
    /// Its adjusted population.
    pub adjusted: Option<PopulationCount>,
}

impl PracticePopulation {
    /// The count on `basis`, if given.
    #[must_use]
    pub const fn count(&self, basis: PopulationBasis) -> Option<PopulationCount> {
        match basis {
            PopulationBasis::RegisteredList => self.registered,
            PopulationBasis::WeightedList => self.weighted,
            PopulationBasis::AdjustedPopulation => self.adjusted,
            PopulationBasis::CareHomeBeds => None,
        }
    }
}

/// A network's entitlement inputs: its member practices' counts and its nominated
/// payee (the practice or provider whose account receives network payments).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkPopulation {
    /// The network.
    pub network: NetworkId,
    /// Its nominated payee.
    pub payee: Party,
    /// Its member practices, each counted once.
    pub practices: Vec<PracticePopulation>,
}

/// One member practice's lists on its network's list date, as counts of patients;
/// a list the caller does not have is `None` (and a payment counted on it is then
/// an error naming the practice, never a payment on zero).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PracticeLists {
    /// The practice.
    pub practice: PracticeId,
    /// Its registered list.
    pub registered: Option<u64>,
    /// Its weighted (Carr-Hill) list.
    pub weighted: Option<u64>,
    /// Its adjusted population.
    pub adjusted: Option<u64>,
}

impl NetworkPopulation {
    /// A network's entitlement inputs from its member practices' lists, every
    /// count taken on `list_date` (for most payments 1 January before the
    /// financial year, which the schedule checks against each payment's rule).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use pcn_budget::{NetworkPopulation, Party, PopulationCount, PracticeLists};
    /// use pcn_core::{NetworkId, PracticeId};
    /// let january = NaiveDate::from_ymd_opt(2024, 1, 1).ok_or("bad date")?;
    /// let network = NetworkId::from_u128(1);
    /// let lists = [(11, 12_000, 12_400, 12_100), (12, 9_500, 9_300, 9_600)].map(
    ///     |(n, registered, weighted, adjusted)| PracticeLists {
    ///         practice: PracticeId::from_u128(n),
    ///         registered: Some(registered),
    ///         weighted: Some(weighted),
    ///         adjusted: Some(adjusted),
    ///     },
    /// );
    /// let population = NetworkPopulation::from_lists(network, Party::Network(network), january, lists)?;
    /// assert_eq!(population.practices[1].weighted, Some(PopulationCount::new(9_300, january)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`BudgetError::PracticeCountedTwice`] if a practice is listed twice: each
    /// member is counted once.
    pub fn from_lists(
        network: NetworkId,
        payee: Party,
        list_date: NaiveDate,
        members: impl IntoIterator<Item = PracticeLists>,
    ) -> Result<Self, BudgetError> {
        let count = |n: Option<u64>| n.map(|n| PopulationCount::new(n, list_date));
        let mut practices: Vec<PracticePopulation> = Vec::new();
        for lists in members {
            if practices.iter().any(|p| p.practice == lists.practice) {
                return Err(BudgetError::PracticeCountedTwice {
                    practice: lists.practice,
                    network,
                });
            }
            practices.push(PracticePopulation {
                practice: lists.practice,
                registered: count(lists.registered),
                weighted: count(lists.weighted),
                adjusted: count(lists.adjusted),
            });
        }
        Ok(Self {
            network,
            payee,
            practices,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn january() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()
    }

    fn lists(n: u128, registered: Option<u64>) -> PracticeLists {
        PracticeLists {
            practice: PracticeId::from_u128(n),
            registered,
            weighted: registered.map(|r| r + 100),
            adjusted: None,
        }
    }

    #[test]
    fn each_list_is_dated_and_a_missing_one_stays_missing() {
        let network = NetworkId::from_u128(7);
        let payee = Party::Practice(PracticeId::from_u128(1));
        let population = NetworkPopulation::from_lists(
            network,
            payee,
            january(),
            [lists(1, Some(10_000)), lists(2, None)],
        )
        .unwrap();
        assert_eq!((population.network, population.payee), (network, payee));
        let first = &population.practices[0];
        assert_eq!(
            first.registered,
            Some(PopulationCount::new(10_000, january()))
        );
        assert_eq!(
            first.weighted,
            Some(PopulationCount::new(10_100, january()))
        );
        assert_eq!(first.adjusted, None);
        assert_eq!(population.practices[1].registered, None);
    }

    #[test]
    fn a_practice_listed_twice_is_refused() {
        let err = NetworkPopulation::from_lists(
            NetworkId::from_u128(7),
            Party::Network(NetworkId::from_u128(7)),
            january(),
            [lists(1, Some(10)), lists(2, Some(20)), lists(1, Some(30))],
        )
        .unwrap_err();
        assert!(matches!(err, BudgetError::PracticeCountedTwice { .. }));
        assert!(err.to_string().contains("listed twice"), "{err}");
    }

    proptest::proptest! {
        /// Every member given once is kept once, in order, with its counts on the
        /// list date.
        #[test]
        fn members_are_kept_in_order_with_their_counts(
            sizes in proptest::collection::vec(proptest::option::of(0u64..200_000), 0..12),
        ) {
            let members: Vec<PracticeLists> = sizes
                .iter()
                .enumerate()
                .map(|(i, size)| lists(i as u128, *size))
                .collect();
            let population = NetworkPopulation::from_lists(
                NetworkId::from_u128(1),
                Party::Network(NetworkId::from_u128(1)),
                january(),
                members.clone(),
            )
            .unwrap();
            proptest::prop_assert_eq!(population.practices.len(), members.len());
            for (p, m) in population.practices.iter().zip(&members) {
                proptest::prop_assert_eq!(p.practice, m.practice);
                proptest::prop_assert_eq!(p.registered.map(|c| c.count), m.registered);
                proptest::prop_assert!(p.registered.is_none_or(|c| c.as_at == january()));
            }
        }
    }
}
