//! The errors a command can end with, each mapped to an exit code.

use std::fmt;

use crate::report::write::WriteError;
use crate::scenario::ScenarioError;

#[derive(Debug)]
pub enum Error {
    /// One or more scenario files are invalid.
    Scenarios(Vec<ScenarioError>),
    /// An output could not be written.
    Write(WriteError),
    /// An output could not be serialized (nothing was written for it).
    Serialize(String),
    /// The command line asks for something impossible.
    Usage(String),
    /// No staffing the planner tried meets every target.
    Infeasible(String),
    /// A valid scenario asks for more people or memory than the limits allow.
    TooLarge(String),
    /// A file of visit records has bad rows (each line as `file:line: what`).
    Records(Vec<String>),
}

impl Error {
    /// Exit code: 1 invalid scenario or records (or a scenario too large to run), 2 bad command
    /// line, 3 cannot write, 4 targets no staffing meets.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Scenarios(_) | Error::TooLarge(_) | Error::Records(_) => 1,
            Error::Usage(_) => 2,
            Error::Write(_) | Error::Serialize(_) => 3,
            Error::Infeasible(_) => 4,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Scenarios(list) => {
                for (i, e) in list.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{e}")?;
                }
                Ok(())
            }
            Error::Records(lines) => write!(f, "{}", lines.join("\n")),
            Error::Write(e) => write!(f, "{e}"),
            Error::Usage(m) | Error::Infeasible(m) | Error::Serialize(m) | Error::TooLarge(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Serialize(format!("cannot serialize the results as JSON: {e}"))
    }
}

impl From<WriteError> for Error {
    fn from(e: WriteError) -> Self {
        Error::Write(e)
    }
}
