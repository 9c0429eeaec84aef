//! Experiments built from replications: running a scenario's replications in
//! parallel and estimating its KPIs.

pub mod compare;
pub mod plan;
pub mod replicate;
pub mod roster;
pub mod shard;
pub mod sweep;
pub mod workload;

pub use replicate::{RunResult, run_replications, run_replications_observed};
