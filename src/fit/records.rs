//! The visit-record format: one CSV row per call at a window or back-office
//! step (or per wait that ended without a call), as queue-management systems
//! export their ticket logs. `run --trace` writes it; `fit` reads it, or a
//! hall's own export through a column map.
//!
//! Columns, in the order written (`COLUMNS`):
//! `ticket`, `date` (YYYY-MM-DD of the ticket), `ticket_time`, `case_type`,
//! `stage`, `queued`, `called` (empty when never called), `finished`,
//! `window` (the pool), `outcome` (`served`, `absent`, `left`, `sent_home`),
//! `trip` (1 for a first visit), `replication`. Times are
//! `YYYY-MM-DD HH:MM:SS`; a time written `HH:MM:SS` in a user's export is
//! taken on the row's `date`. Simulated day n is the n-th working day
//! (Monday to Friday) from Monday 5 January 2026; replication r begins on
//! the Monday after replication r − 1's last week.

use std::collections::{BTreeMap, HashSet};

use jiff::civil::{Date, DateTime, Time};
use serde::{Deserialize, Serialize};

use crate::engine::trace::{Outcome, VisitRecord};
use crate::scenario::Scenario;

/// The columns of the format, in the order written.
pub const COLUMNS: [&str; 12] = [
    "ticket",
    "date",
    "ticket_time",
    "case_type",
    "stage",
    "queued",
    "called",
    "finished",
    "window",
    "outcome",
    "trip",
    "replication",
];

/// The date of simulated day 0.
fn epoch() -> Date {
    Date::constant(2026, 1, 5)
}

/// Working days a replication spans, rounded up to whole weeks of five.
fn weeks(s: &Scenario) -> i64 {
    i64::from(s.days().div_ceil(5).max(1))
}

/// The date and time of `minutes` since the start of replication `rep`.
pub fn datetime(s: &Scenario, rep: u64, minutes: f64) -> DateTime {
    let seconds = (minutes * 60.0).round() as i64;
    let day = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400);
    let working = rep as i64 * weeks(s) * 5 + day;
    let date = epoch().checked_add(jiff::Span::new().days(working / 5 * 7 + working % 5)).unwrap_or(epoch());
    let time = Time::new((of_day / 3600) as i8, (of_day / 60 % 60) as i8, (of_day % 60) as i8, 0).unwrap_or(Time::MIN);
    date.to_datetime(time)
}

/// One row of the format, as written.
#[derive(Serialize)]
pub struct Row<'a> {
    ticket: u64,
    date: String,
    ticket_time: String,
    case_type: &'a str,
    stage: &'a str,
    queued: String,
    called: String,
    finished: String,
    window: &'a str,
    outcome: &'static str,
    trip: u8,
    replication: u64,
}

fn stamp(t: DateTime) -> String {
    t.strftime("%Y-%m-%d %H:%M:%S").to_string()
}

/// The rows of `visits.csv` for the given replications' records
/// (replications numbered from 1), in ticket order.
pub fn rows<'a>(s: &'a Scenario, replications: &'a [(u64, Vec<VisitRecord>)]) -> impl Iterator<Item = Row<'a>> {
    replications.iter().flat_map(move |(rep, records)| {
        // In ticket order, as a queue-management system exports its log.
        let mut records: Vec<&VisitRecord> = records.iter().collect();
        records.sort_by(|a, b| {
            (a.ticket_time, a.ticket, a.queued, a.finished)
                .partial_cmp(&(b.ticket_time, b.ticket, b.queued, b.finished))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        records.into_iter().map(move |r| {
            let at = |m: f64| datetime(s, *rep, m);
            Row {
                ticket: r.ticket + 1,
                date: at(r.ticket_time).date().to_string(),
                ticket_time: stamp(at(r.ticket_time)),
                case_type: &s.case_types[r.case_type as usize].name,
                stage: &s.stages[r.stage as usize].name,
                queued: stamp(at(r.queued)),
                called: r.called.map_or(String::new(), |c| stamp(at(c))),
                finished: stamp(at(r.finished)),
                window: r.pool.map_or("", |p| s.pools[p as usize].name.as_str()),
                outcome: r.outcome.word(),
                trip: r.trip,
                replication: rep + 1,
            }
        })
    })
}

/// How a user's export names the columns and outcomes: a small TOML file,
/// every key optional (the defaults are the format's own names).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ColumnMap {
    /// Format's column name → the export's header.
    pub columns: BTreeMap<String, String>,
    /// Outcome word of the format → the export's words for it.
    pub outcomes: BTreeMap<String, Vec<String>>,
    /// strftime-style format of a full date and time.
    pub datetime_format: String,
    /// Format of a date alone.
    pub date_format: String,
}

impl Default for ColumnMap {
    fn default() -> Self {
        ColumnMap {
            columns: BTreeMap::new(),
            outcomes: BTreeMap::new(),
            datetime_format: "%Y-%m-%d %H:%M:%S".into(),
            date_format: "%Y-%m-%d".into(),
        }
    }
}

/// Columns a file must have; the rest may be left out.
const REQUIRED: [&str; 6] = ["ticket", "ticket_time", "case_type", "called", "finished", "outcome"];

impl ColumnMap {
    /// Reads a column map, naming what is wrong with it.
    pub fn parse(text: &str, file: &str) -> Result<Self, String> {
        let map: ColumnMap = toml::from_str(text).map_err(|e| format!("{file}: {}", e.message()))?;
        for key in map.columns.keys() {
            if !COLUMNS.contains(&key.as_str()) {
                return Err(format!(
                    "{file}: unknown column `{key}` in [columns]; the format's columns are {}",
                    COLUMNS.join(", ")
                ));
            }
        }
        for key in map.outcomes.keys() {
            if !["served", "absent", "left", "sent_home"].contains(&key.as_str()) {
                return Err(format!(
                    "{file}: unknown outcome `{key}` in [outcomes]; they are served, absent, left, sent_home"
                ));
            }
        }
        Ok(map)
    }

    fn header(&self, column: &str) -> String {
        self.columns.get(column).cloned().unwrap_or_else(|| column.to_string())
    }

    fn outcome(&self, word: &str) -> Option<Outcome> {
        let word = word.trim();
        let own = [
            ("served", Outcome::Served),
            ("absent", Outcome::Absent),
            ("left", Outcome::Left),
            ("sent_home", Outcome::SentHome),
        ];
        for (name, o) in own {
            match self.outcomes.get(name) {
                Some(words) if words.iter().any(|w| w.eq_ignore_ascii_case(word)) => return Some(o),
                None if word.eq_ignore_ascii_case(name) => return Some(o),
                _ => {}
            }
        }
        None
    }
}

/// One row as read.
#[derive(Clone, Debug)]
pub struct Visit {
    /// The file's line.
    pub line: u64,
    pub ticket: String,
    pub ticket_time: DateTime,
    pub case_type: String,
    /// The stage ("" when the file has no stage column).
    pub stage: String,
    pub queued: Option<DateTime>,
    pub called: Option<DateTime>,
    pub finished: DateTime,
    pub window: String,
    pub outcome: Outcome,
    pub trip: Option<u32>,
    /// The replication (of a simulated trace), else 0.
    pub replication: u64,
}

/// A row that could not be read, or a problem between rows.
#[derive(Clone, Debug, PartialEq)]
pub struct BadRecord {
    pub line: u64,
    pub message: String,
}

/// What a file held: its good rows and the bad ones.
#[derive(Debug, Default)]
pub struct Records {
    pub visits: Vec<Visit>,
    pub bad: Vec<BadRecord>,
}

/// Minutes from `a` to `b`.
pub fn minutes_between(a: DateTime, b: DateTime) -> f64 {
    b.duration_since(a).as_secs_f64() / 60.0
}

/// Minutes of `t` after its midnight.
pub fn minute_of_day(t: DateTime) -> f64 {
    f64::from(t.hour()) * 60.0 + f64::from(t.minute()) + f64::from(t.second()) / 60.0
}

/// Reads the records of `text`. Every bad row is listed with its line: a
/// missing column is one error for the file; an unreadable field, a finish
/// before its call, a row out of time order or a ticket seen twice at one
/// stage on one day are errors of their rows.
pub fn read(text: &[u8], map: &ColumnMap) -> Result<Records, String> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text);
    let headers = reader.headers().map_err(|e| format!("the header cannot be read: {e}"))?.clone();
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err("1: no header: the file is empty".into());
    }
    let index = |column: &str| headers.iter().position(|h| h.trim() == map.header(column));
    let missing: Vec<String> =
        REQUIRED.iter().filter(|c| index(c).is_none()).map(|c| format!("`{}`", map.header(c))).collect();
    if !missing.is_empty() {
        return Err(format!(
            "1: no column {} (the header has {}); name your columns in a map with --columns",
            missing.join(", "),
            headers.iter().map(|h| format!("`{h}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    let col: BTreeMap<&str, Option<usize>> = COLUMNS.iter().map(|&c| (c, index(c))).collect();
    let mut out = Records::default();
    let mut seen: HashSet<(u64, Date, String, String, String, i64)> = HashSet::new();
    let mut last: Option<DateTime> = None;
    for row in reader.records() {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                out.bad.push(BadRecord { line, message: format!("unreadable row: {e}") });
                continue;
            }
        };
        let line = row.position().map_or(0, |p| p.line());
        let field = |c: &str| col[c].and_then(|i| row.get(i)).map(str::trim).unwrap_or("");
        let mut problems: Vec<String> = Vec::new();
        let date = match col["date"] {
            Some(_) if !field("date").is_empty() => match Date::strptime(&map.date_format, field("date")) {
                Ok(d) => Some(d),
                Err(_) => {
                    problems.push(format!("date {:?} is not a date ({})", field("date"), map.date_format));
                    None
                }
            },
            _ => None,
        };
        let mut time = |c: &str, required: bool| -> Option<DateTime> {
            let v = field(c);
            if v.is_empty() {
                if required {
                    problems.push(format!("`{}` is empty", map.header(c)));
                }
                return None;
            }
            if let Ok(t) = DateTime::strptime(&map.datetime_format, v) {
                return Some(t);
            }
            let clock = Time::strptime("%H:%M:%S", v).or_else(|_| Time::strptime("%H:%M", v));
            match (clock, date) {
                (Ok(t), Some(d)) => Some(d.to_datetime(t)),
                (Ok(_), None) => {
                    problems.push(format!("`{}` {v:?} is a time of day without a date column", map.header(c)));
                    None
                }
                (Err(_), _) => {
                    problems.push(format!(
                        "`{}` {v:?} is not a time ({} or HH:MM:SS)",
                        map.header(c),
                        map.datetime_format
                    ));
                    None
                }
            }
        };
        let ticket_time = time("ticket_time", true);
        let queued = time("queued", false);
        let called = time("called", false);
        let finished = time("finished", true);
        let outcome = map.outcome(field("outcome"));
        if outcome.is_none() {
            problems.push(format!(
                "outcome {:?} is not served, absent, left or sent_home (map other words in [outcomes])",
                field("outcome")
            ));
        }
        if field("ticket").is_empty() {
            problems.push(format!("`{}` is empty", map.header("ticket")));
        }
        if field("case_type").is_empty() {
            problems.push(format!("`{}` is empty", map.header("case_type")));
        }
        let trip = match field("trip") {
            "" => None,
            v => match v.parse::<u32>() {
                Ok(n) if n >= 1 => Some(n),
                _ => {
                    problems.push(format!("trip {v:?} is not a whole number from 1"));
                    None
                }
            },
        };
        let replication = field("replication").parse::<u64>().unwrap_or(0);
        if let (Some(c), Some(f)) = (called, finished)
            && f < c
        {
            problems.push(format!("finished {} before it was called {}", stamp(f), stamp(c)));
        }
        if let (Some(t), Some(c)) = (ticket_time, called)
            && c < t
        {
            problems.push(format!("called {} before the ticket {}", stamp(c), stamp(t)));
        }
        if outcome == Some(Outcome::Served) && called.is_none() && problems.is_empty() {
            problems.push(format!("served but `{}` is empty", map.header("called")));
        }
        if let (Some(t), Some(prev)) = (ticket_time, last)
            && t.date() < prev.date()
        {
            problems.push(format!("out of order: a ticket of {} after one of {}", t.date(), prev.date()));
        }
        if problems.is_empty() {
            let (ticket_time, finished, outcome) = (ticket_time.unwrap(), finished.unwrap(), outcome.unwrap());
            let key = (
                replication,
                ticket_time.date(),
                field("ticket").to_string(),
                field("stage").to_string(),
                field("window").to_string(),
                called.map_or(0, |c| c.duration_since(ticket_time.date().to_datetime(Time::MIN)).as_secs()),
            );
            if !seen.insert(key) {
                out.bad.push(BadRecord {
                    line,
                    message: format!("ticket {} repeats a row at the same stage and call", field("ticket")),
                });
                continue;
            }
            last = Some(last.map_or(ticket_time, |l| l.max(ticket_time)));
            out.visits.push(Visit {
                line,
                ticket: field("ticket").to_string(),
                ticket_time,
                case_type: field("case_type").to_string(),
                stage: field("stage").to_string(),
                queued,
                called,
                finished,
                window: field("window").to_string(),
                outcome,
                trip,
                replication,
            });
        } else {
            out.bad.push(BadRecord { line, message: problems.join("; ") });
        }
    }
    Ok(out)
}
