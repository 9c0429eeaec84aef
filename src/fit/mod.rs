//! Fitting a hall from its ticket-machine records: the record format
//! ([`records`]), the estimators ([`estimate`]), a hall's inputs from its
//! records ([`hall`]), the fitted scenario file with a base
//! ([`scenario_file`]) or from the records alone ([`standalone`]), and the
//! check of its simulation against the records by hour ([`check`]).

pub mod check;
pub mod estimate;
pub mod hall;
pub mod records;
pub mod scenario_file;
pub mod standalone;
