//! Entitlement inputs read from the network registry.

use chrono::NaiveDate;
use pcn_network::{NetworkIndex, Registry};

use crate::{BudgetError, NetworkPopulation, PopulationCount, PracticePopulation};

impl NetworkPopulation {
    /// A network's entitlement inputs from the registry: its member practices on
    /// `list_date` (for most payments, 1 January before the financial year) with the
    /// registered list in force on that day, and its nominated payee (the network
    /// itself where none is recorded).
    ///
    /// The registry holds registered lists only: the weighted (Carr-Hill) and adjusted
    /// populations are published separately and are left empty for the caller to fill
    /// in before computing payments counted on them. A member practice with no list
    /// size on or before `list_date` is left without a registered count, so that a
    /// payment counted on it reports the gap rather than paying on zero.
    ///
    /// # Errors
    /// [`BudgetError::UnknownNetwork`] if `network` is not in the registry.
    pub fn from_registry(
        registry: &Registry,
        network: NetworkIndex,
        list_date: NaiveDate,
    ) -> Result<Self, BudgetError> {
        let record = registry
            .network(network)
            .ok_or_else(|| BudgetError::UnknownNetwork {
                network: format!("{network:?}"),
            })?;
        let payee = record.payee();
        let practices = registry
            .members_on(network, list_date)
            .filter_map(|index| registry.practice(index))
            .map(|practice| PracticePopulation {
                practice: practice.id(),
                registered: practice
                    .list_size_on(list_date)
                    .map(|count| PopulationCount::new(u64::from(count), list_date)),
                weighted: None,
                adjusted: None,
            })
            .collect();
        Ok(Self {
            network: record.id(),
            payee,
            practices,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Party;
    use pcn_core::{DateRange, OdsCode};
    use pcn_network::{Network, Practice, PracticeStatus};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn members_and_their_lists_on_the_day_are_read() {
        let mut registry = Registry::new();
        let code = |s: &str| s.parse::<OdsCode>().unwrap();
        let a = registry
            .add_practice(
                Practice::new(
                    code("A81001"),
                    "A",
                    DateRange::starting(d(1974, 4, 1)),
                    PracticeStatus::Active,
                )
                .unwrap(),
            )
            .unwrap();
        let b = registry
            .add_practice(
                Practice::new(
                    code("A81002"),
                    "B",
                    DateRange::starting(d(1974, 4, 1)),
                    PracticeStatus::Active,
                )
                .unwrap(),
            )
            .unwrap();
        let pcn = registry
            .add_network(
                Network::pcn(
                    code("U12345"),
                    "Riverside PCN",
                    DateRange::starting(d(2019, 7, 1)),
                )
                .unwrap(),
            )
            .unwrap();
        registry
            .join(a, pcn, DateRange::starting(d(2019, 7, 1)))
            .unwrap();
        registry
            .join(b, pcn, DateRange::starting(d(2024, 2, 1)))
            .unwrap();
        registry
            .record_list_size(a, d(2023, 10, 1), 12_000)
            .unwrap();
        registry.record_list_size(a, d(2024, 4, 1), 12_500).unwrap();

        let lists = NetworkPopulation::from_registry(&registry, pcn, d(2024, 1, 1)).unwrap();
        assert_eq!(lists.payee, Party::Network(lists.network));
        assert_eq!(lists.practices.len(), 1, "B joined after the list date");
        assert_eq!(
            lists.practices[0].registered,
            Some(PopulationCount::new(12_000, d(2024, 1, 1)))
        );
        assert_eq!(lists.practices[0].weighted, None);
    }
}
