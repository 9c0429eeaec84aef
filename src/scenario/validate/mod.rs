//! From the raw mirror to the trusted model. Every check runs, and every
//! failure becomes a [`Diagnostic`] with the span of the value at fault, so a
//! user sees all mistakes of a file at once. One module per part of the file.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use super::diagnostic::Diagnostic;
use super::model::*;
use super::raw::{self, S};
use super::schema;
use crate::dist::Dist;

/// The raw sections of one file, each already deserialized (or absent).
#[derive(Debug, Default)]
pub struct RawScenario {
    pub name: Option<S<String>>,
    pub description: Option<S<String>>,
    pub simulation: Option<S<raw::Simulation>>,
    pub hall: Option<S<raw::Hall>>,
    pub targets: Option<S<raw::Targets>>,
    pub arrivals: Option<S<raw::Arrivals>>,
    pub returns: Option<S<raw::Returns>>,
    pub appointments: Option<S<raw::Appointments>>,
    pub calling: Option<S<raw::Calling>>,
    pub documents: Option<S<raw::Documents>>,
    pub pre_review: Option<S<raw::PreReview>>,
    pub sites: Vec<S<raw::Site>>,
    pub city: Option<S<raw::City>>,
    pub stages: Vec<S<raw::Stage>>,
    pub pools: Vec<S<raw::Pool>>,
    pub case_types: Vec<S<raw::CaseType>>,
    pub planning: Option<S<raw::Planning>>,
    pub shifts: Vec<S<raw::Shift>>,
    /// Span of the whole file, for problems that belong to no key.
    pub file_span: Range<usize>,
    /// Top-level keys with an entry that could not be read; checks that
    /// need all their entries are skipped, so no false problem is reported.
    pub unreadable: BTreeSet<String>,
}

/// Tolerance on shares that must sum to 1.
const SHARE_TOLERANCE: f64 = 1e-6;
/// Default stage budget, minutes.
pub const DEFAULT_BUDGET: f64 = 20.0;
/// Default completion target, minutes.
pub const DEFAULT_COMPLETION_TARGET: f64 = 60.0;
/// Most characters in a `label`.
pub const MAX_LABEL_LEN: usize = 40;
/// Longest duration or duration target, minutes: the bound distributions keep.
pub const MAX_DURATION_MINUTES: f64 = crate::dist::MAX_MINUTES;
/// Most entries of `targets.wait_minutes`.
pub const MAX_WAIT_TARGETS: usize = 10;
/// Default replications.
pub const DEFAULT_REPLICATIONS: u32 = 100;
/// Default master seed.
pub const DEFAULT_SEED: u64 = 1;

/// The key reference's line of `key`.
///
/// # Panics
/// If the reference has no such key: the validator checking a key the
/// reference does not document is a bug, and the tests meet every path.
fn reference(key: &str) -> &'static schema::Key {
    schema::lookup(key).unwrap_or_else(|| panic!("{key} is not in the key reference"))
}

struct Checker {
    diags: Vec<Diagnostic>,
}

impl Checker {
    fn err<T>(&mut self, span: Range<usize>, path: impl Into<String>, msg: impl Into<String>) -> Option<T> {
        self.diags.push(Diagnostic::new(Some(span), path, msg));
        None
    }

    /// A number within the limit the key reference gives `path`.
    fn num(&mut self, v: &S<f64>, path: &str) -> Option<f64> {
        self.num_as(v, path, path)
    }

    /// A number at `path` within the limit of the reference's key `key`.
    fn num_as(&mut self, v: &S<f64>, path: &str, key: &str) -> Option<f64> {
        let x = *v.get_ref();
        let k = reference(key);
        if k.limit.allows(x) {
            Some(x)
        } else {
            self.err(v.span(), path, format!("must be {}, got {}", k.allowed_with_unit(), short(x)))
        }
    }

    /// An integer within the limit the key reference gives `path`.
    fn int(&mut self, v: &S<i64>, path: &str) -> Option<i64> {
        self.int_as(v, path, path)
    }

    /// An integer at `path` within the limit of the reference's key `key`.
    fn int_as(&mut self, v: &S<i64>, path: &str, key: &str) -> Option<i64> {
        let x = *v.get_ref();
        let k = reference(key);
        if k.limit.allows_int(x) {
            Some(x)
        } else {
            self.err(v.span(), path, format!("must be {}, got {x}", k.allowed_with_unit()))
        }
    }

    fn clock(&mut self, v: &S<String>, path: &str) -> Option<f64> {
        match parse_clock(v.get_ref()) {
            Some(m) => Some(m),
            None => self.err(
                v.span(),
                path,
                format!("must be a time of day \"HH:MM\" from \"00:00\" to \"24:00\", got {:?}", v.get_ref()),
            ),
        }
    }

    fn ident(&mut self, v: &S<String>, path: &str) -> Option<String> {
        let s = v.get_ref();
        if is_name(s) {
            Some(s.clone())
        } else {
            self.err(
                v.span(),
                path,
                format!(
                    "must be a name of 1 to {MAX_NAME_LEN} letters, digits, '_' and '-' (it names output columns and folders), got {s:?}"
                ),
            )
        }
    }

    /// The name people read for `name`: its `label` (any text, 1 to
    /// [`MAX_LABEL_LEN`] characters, no control characters), or the name itself.
    fn label(&mut self, v: &Option<S<String>>, path: &str, name: &str) -> Option<String> {
        let Some(v) = v else { return Some(name.to_string()) };
        let s = v.get_ref();
        if !s.trim().is_empty() && s.chars().count() <= MAX_LABEL_LEN && !s.chars().any(char::is_control) {
            Some(s.clone())
        } else {
            self.err(
                v.span(),
                path,
                format!("must be a text of 1 to {MAX_LABEL_LEN} characters, no line breaks or tabs, got {s:?}"),
            )
        }
    }

    fn dist(&mut self, v: &S<raw::RawDist>, path: &str) -> Option<Dist> {
        let built = match v.get_ref() {
            raw::RawDist::Exponential { mean } => Dist::exponential(*mean),
            raw::RawDist::Deterministic { value } => Dist::deterministic(*value),
            raw::RawDist::Uniform { min, max } => Dist::uniform(*min, *max),
            raw::RawDist::Triangular { min, mode, max } => Dist::triangular(*min, *mode, *max),
            raw::RawDist::Lognormal { mean, cv } => Dist::lognormal(*mean, *cv),
            raw::RawDist::Gamma { mean, cv } => Dist::gamma(*mean, *cv),
            raw::RawDist::Empirical { values } => Dist::empirical(values.clone()),
        };
        match built {
            Ok(d) => Some(d),
            Err(m) => self.err(v.span(), path, m),
        }
    }

    fn unique_names<'a>(
        &mut self,
        kind: &str,
        names: impl Iterator<Item = (usize, &'a S<String>)>,
    ) -> BTreeMap<String, usize> {
        let mut seen = BTreeMap::new();
        for (i, n) in names {
            if seen.insert(n.get_ref().clone(), i).is_some() {
                self.err::<()>(
                    n.span(),
                    format!("{kind}[{i}].name"),
                    format!("{kind} name {:?} is used twice; names must be unique", n.get_ref()),
                );
            }
        }
        seen
    }
}

/// Longest name of a scenario, stage, pool, case type or hall: names become
/// folder and file names, which file systems limit to 255 bytes.
pub const MAX_NAME_LEN: usize = 100;

/// Whether `s` is a name: 1 to [`MAX_NAME_LEN`] ASCII letters, digits, `_`, `-`.
pub fn is_name(s: &str) -> bool {
    (1..=MAX_NAME_LEN).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A number as a person reads it: exponent notation when very large.
fn short(x: f64) -> String {
    if x.abs() >= 1e7 { format!("{x:e}") } else { format!("{x}") }
}

/// Parses `HH:MM` into minutes after midnight.
pub fn parse_clock(s: &str) -> Option<f64> {
    let (h, m) = s.split_once(':')?;
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if h.is_empty() || h.len() > 2 || m.len() != 2 || !digits(h) || !digits(m) {
        return None;
    }
    let h: u32 = h.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    if m >= 60 || h > 24 || (h == 24 && m > 0) {
        return None;
    }
    Some(f64::from(h * 60 + m))
}

fn names(list: &[&str]) -> String {
    list.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

mod arrivals;
mod case_types;
mod planning;
mod practices;
mod run;
mod staff;

use arrivals::check_arrivals;
use case_types::check_case_types;
use planning::check_planning;
pub use planning::lunch_starts;
use practices::{Practices, check_practices};
use run::{Run, check_run};
use staff::{Stages, check_pools, check_sites, check_staffing, check_stages};

/// Checks everything and builds the model, or returns every problem found.
pub fn validate(r: RawScenario, default_name: &str) -> Result<Scenario, Vec<Diagnostic>> {
    let mut c = Checker { diags: Vec::new() };

    let name = match &r.name {
        Some(n) => c.ident(n, "name"),
        None if is_name(default_name) => Some(default_name.to_string()),
        None => c.err(
            r.file_span.start..r.file_span.start,
            "name",
            format!("the file's name {default_name:?} is too long for an output folder; add a `name` key of at most {MAX_NAME_LEN} letters"),
        ),
    };
    let description = r.description.as_ref().map(|d| d.get_ref().clone()).unwrap_or_default();

    let run = check_run(&mut c, &r);
    let arrivals = check_arrivals(&mut c, &r, run.continuous, run.hours);
    let stages = check_stages(&mut c, &r);
    let Practices { returns, closing, calling, documents, pre_review, appointments } =
        check_practices(&mut c, &r, run.hours, &stages);
    let sites = check_sites(&mut c, &r);
    let pools = check_pools(&mut c, &r, &stages, &sites, &run);
    let case_types = check_case_types(&mut c, &r, &stages, &documents);
    check_staffing(&mut c, &r, &stages, &sites);
    let planning = check_planning(&mut c, &r, &run);

    let Run {
        replications, seed, max_arrivals, horizon, hall_capacity, completion_target, wait_targets, required, ..
    } = run;
    let (stages, sites, shortest_queue_share) = (stages.list, sites.list, sites.shortest_queue_share);
    let out = (name, horizon, replications, seed, max_arrivals, completion_target, arrivals, hall_capacity);
    let practices = (closing, returns, calling, shortest_queue_share, planning, required);
    match (out, practices) {
        (
            (
                Some(name),
                Some(horizon),
                Some(reps),
                Some(seed),
                Some(max_arrivals),
                Some(target),
                Some(arrivals),
                Some(hall_capacity),
            ),
            (Some(closing), Some(returns), Some(calling), Some(shortest_queue_share), Some(planning), Some(required)),
        ) if c.diags.is_empty() => Ok(Scenario {
            name,
            description,
            horizon,
            max_arrivals,
            replications: reps as u32,
            seed: seed as u64,
            completion_target: target,
            wait_targets,
            required,
            hall_capacity,
            closing,
            returns,
            arrivals,
            appointments: appointments.flatten(),
            calling,
            documents: documents.map(|(d, _)| d),
            pre_review: pre_review.flatten(),
            stages,
            pools,
            case_types,
            sites,
            shortest_queue_share,
            planning,
        }),
        // `parse` puts every problem in file order.
        _ => Err(c.diags),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_clock;

    #[test]
    fn clock_times() {
        assert_eq!(parse_clock("08:30"), Some(510.0));
        assert_eq!(parse_clock("8:30"), Some(510.0));
        assert_eq!(parse_clock("24:00"), Some(1440.0));
        assert_eq!(parse_clock("24:01"), None);
        assert_eq!(parse_clock("12:60"), None);
        assert_eq!(parse_clock("1230"), None);
        assert_eq!(parse_clock("-1:30"), None);
        for signed in ["+8:30", "08:+3", " 8:30", "8:3 "] {
            assert_eq!(parse_clock(signed), None, "{signed}");
        }
    }
}
