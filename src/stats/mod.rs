//! Statistics: what a replication records, the KPIs derived from it, and
//! estimates across replications. Pure computation, no I/O.

pub mod estimate;
pub mod histogram;
pub mod kpi;
pub mod queueing;
pub mod recorder;
