//! The discrete-event engine: a pure function from (scenario, seed,
//! replication) to what that replication observed. No I/O, no clock, no globals.

pub mod calendar;
pub mod rng;
pub mod sim;
pub mod trace;

pub use sim::{Model, Replication, simulate, simulate_traced};
