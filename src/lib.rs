pub mod cli;
pub mod dist;
pub mod engine;
pub mod error;
pub mod experiment;
pub mod report;
pub mod scenario;
pub mod stats;
