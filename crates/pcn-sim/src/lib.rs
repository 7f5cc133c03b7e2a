//! The network year: a demand-and-capacity simulation with scenario comparison.
