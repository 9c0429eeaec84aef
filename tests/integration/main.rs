//! All integration tests, in one binary (one link, one run).

mod cli;
mod common;
mod compare;
mod determinism;
mod deterministic;
mod fingerprint;
mod fit;
mod fuzz;
mod invariance;
mod layers;
mod outputs;
mod plan;
mod practices;
mod report;
mod robustness;
mod roster;
mod shard;
mod sweep;
mod theory;
mod trips;
