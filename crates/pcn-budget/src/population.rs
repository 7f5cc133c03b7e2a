//! The population counts entitlements are paid on.

use chrono::NaiveDate;
use pcn_core::{NetworkId, PracticeId};
use serde::{Deserialize, Serialize};

use crate::Party;

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
