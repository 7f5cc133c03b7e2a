//! The network year: a demand-and-capacity simulation with scenario comparison.

mod budget;
mod comparison;
mod engine;
mod error;
mod establishment;
mod need;
mod outcome;
mod parameters;
mod population;
mod report;
mod run;
mod scenario;
mod stratum;

pub use budget::{Budget, BudgetLine, CostLine};
pub use comparison::{
    Comparison, Estimate, Metric, MetricComparison, Unit, metrics, simulate_networks,
};
pub use engine::{NetworkInput, simulate_year};
pub use error::SimError;
pub use establishment::Establishment;
pub use need::{EntryRoute, Need};
pub use outcome::{Pathway, PathwayYear, RoleYear, WaitHistogram, YearOutcome};
pub use parameters::{
    AgeValue, Basis, CarePlanParameters, NeedRoutes, NeedShare, Onward, Parameters,
    RoleParameters, RoleValue, RouteOption, Sourced,
};
pub use report::{escape_html, render_html, write_html};
pub use population::{MAX_NETWORK_SIZE, PopulationCounts, StratumCount};
pub use run::RunId;
pub use scenario::{AddedStaff, Scenario};
pub use stratum::{AgeBand, ByFrailty, Stratum};
