//! Fitting a hall from its ticket-machine records: the record format
//! ([`records`]), the estimates of every input the scenario needs
//! ([`estimate`]), and the fitted scenario file written from them.

pub mod check;
pub mod estimate;
pub mod hall;
pub mod records;
pub mod scenario_file;
pub mod standalone;
