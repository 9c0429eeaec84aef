//! Outputs of `hallsim compare`: `comparison.csv`, `comparison.json` and the
//! terminal table, as bytes and text.

use serde::Serialize;

use super::labels::Labels;
use super::table::headline;
use crate::experiment::RunResult;
use crate::experiment::compare::Comparison;
use crate::scenario::model::Scenario;
use crate::stats::estimate::Estimate;
use crate::stats::kpi::{first_trip_key, within_target_key};

/// Identifies one compared scenario in the outputs.
#[derive(Clone, Debug, Serialize)]
pub struct Member {
    pub name: String,
    pub file: String,
    pub content_hash: String,
    /// Staff-hours a day as written in the file.
    pub staff_hours_per_day: f64,
    /// Those staff-hours at each pool's `cost_per_hour`.
    pub cost_per_day: f64,
}

#[derive(Serialize)]
struct CsvRow<'a> {
    key: &'a str,
    unit: &'a str,
    scenario: &'a str,
    content_hash: &'a str,
    seed: u64,
    replications: u32,
    baseline: &'a str,
    mean: Option<f64>,
    ci95_low: Option<f64>,
    ci95_high: Option<f64>,
    diff_mean: Option<f64>,
    diff_ci95_low: Option<f64>,
    diff_ci95_high: Option<f64>,
    significant: Option<bool>,
    unpaired_diff_half_width: Option<f64>,
}

/// `comparison.csv`: one row per KPI and scenario.
pub fn csv(c: &Comparison, members: &[Member], seed: u64, replications: u32) -> Vec<u8> {
    let f = |x: Option<f64>| x.and_then(super::files::fin);
    super::files::csv_of(c.rows.iter().flat_map(|row| {
        members.iter().enumerate().map(move |(i, m)| {
            let (e, d) = (row.estimates[i], row.differences[i]);
            CsvRow {
                key: &row.key,
                unit: row.unit,
                scenario: &m.name,
                content_hash: &m.content_hash,
                seed,
                replications,
                baseline: &members[0].name,
                mean: f(e.map(|e| e.mean)),
                ci95_low: f(e.map(|e| e.low())),
                ci95_high: f(e.map(|e| e.high())),
                diff_mean: f(d.map(|d| d.mean)),
                diff_ci95_low: f(d.map(|d| d.low())),
                diff_ci95_high: f(d.map(|d| d.high())),
                significant: (i > 0).then(|| row.significant(i)),
                unpaired_diff_half_width: f(row.unpaired_half_widths[i]),
            }
        })
    }))
}

#[derive(Serialize)]
struct Json<'a> {
    hallsim_version: &'static str,
    seed: u64,
    replications: u32,
    confidence: f64,
    baseline: &'a str,
    scenarios: &'a [Member],
    kpis: Vec<JsonRow<'a>>,
}

#[derive(Serialize)]
struct JsonRow<'a> {
    key: &'a str,
    unit: &'a str,
    scenarios: Vec<JsonCell>,
}

#[derive(Serialize)]
struct JsonCell {
    mean: Option<f64>,
    ci95_low: Option<f64>,
    ci95_high: Option<f64>,
    diff_mean: Option<f64>,
    diff_ci95_low: Option<f64>,
    diff_ci95_high: Option<f64>,
    significant: Option<bool>,
    unpaired_diff_half_width: Option<f64>,
}

/// `comparison.json`.
pub fn json(c: &Comparison, members: &[Member], seed: u64, replications: u32) -> Result<Vec<u8>, serde_json::Error> {
    let fin = |x: f64| x.is_finite().then_some(x);
    let doc = Json {
        hallsim_version: env!("CARGO_PKG_VERSION"),
        seed,
        replications,
        confidence: 0.95,
        baseline: &members[0].name,
        scenarios: members,
        kpis: c
            .rows
            .iter()
            .map(|row| JsonRow {
                key: &row.key,
                unit: row.unit,
                scenarios: (0..members.len())
                    .map(|i| {
                        let (e, d) = (row.estimates[i], row.differences[i]);
                        JsonCell {
                            mean: e.and_then(|e| fin(e.mean)),
                            ci95_low: e.and_then(|e| fin(e.low())),
                            ci95_high: e.and_then(|e| fin(e.high())),
                            diff_mean: d.and_then(|d| fin(d.mean)),
                            diff_ci95_low: d.and_then(|d| fin(d.low())),
                            diff_ci95_high: d.and_then(|d| fin(d.high())),
                            significant: (i > 0).then(|| row.significant(i)),
                            unpaired_diff_half_width: row.unpaired_half_widths[i].and_then(fin),
                        }
                    })
                    .collect(),
            })
            .collect(),
    };
    super::files::pretty_json(&doc)
}

/// The terminal table: baseline value, then each scenario's difference.
pub fn table(c: &Comparison) -> String {
    let fmt = |unit: &str, x: f64| {
        if !x.is_finite() {
            "-".to_string()
        } else if unit == "share" {
            format!("{:.1}%", x * 100.0)
        } else {
            format!("{x:.1}")
        }
    };
    let mut rows = vec![{
        let mut h = vec!["KPI".to_string(), c.names[0].clone()];
        h.extend(c.names[1..].iter().map(|n| format!("{n} − {}", c.names[0])));
        h
    }];
    for row in c.rows.iter().filter(|r| headline(&r.key)) {
        let mut cells = vec![row.key.clone(), row.estimates[0].map_or("-".into(), |e| fmt(row.unit, e.mean))];
        // A difference of shares is in percentage points.
        let diff = |x: f64| match (x.is_finite(), row.unit == "share") {
            (false, _) => "-".to_string(),
            (true, true) => format!("{:.1}", x * 100.0),
            (true, false) => format!("{x:.1}"),
        };
        let points = if row.unit == "share" { " pts" } else { "" };
        for i in 1..c.names.len() {
            cells.push(match row.differences[i] {
                Some(d) if d.is_zero() => "0".into(),
                Some(d) if !d.mean.is_finite() => "-".into(),
                Some(d) => {
                    let star = if row.significant(i) { " *" } else { "" };
                    let hw =
                        if d.half_width.is_finite() { format!(" ± {}", diff(d.half_width)) } else { String::new() };
                    let sign = if d.mean > 0.0 { "+" } else { "" };
                    format!("{sign}{}{points}{hw}{star}", diff(d.mean))
                }
                None => "-".into(),
            });
        }
        rows.push(cells);
    }
    let widths: Vec<usize> =
        (0..rows[0].len()).map(|j| rows.iter().map(|r| r[j].chars().count()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for r in rows {
        let line: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(j, c)| {
                let pad = widths[j] - c.chars().count();
                if j == 0 { format!("{c}{}", " ".repeat(pad)) } else { format!("{}{c}", " ".repeat(pad)) }
            })
            .collect();
        out += &format!("  {}\n", line.join("  "));
    }
    out += "  pts: percentage points; * the 95% interval of the paired difference excludes 0\n";
    out
}

/// A headline figure of a comparison report.
pub struct HeadlineFigure {
    pub label: &'static str,
    /// The unit of a figure that is not a share.
    pub unit: &'static str,
    pub share: bool,
    /// The KPI keys summed per replication (one, or every pool's overtime).
    keys: Vec<String>,
}

impl HeadlineFigure {
    /// The figure in each replication of `r` (None where a key is missing).
    fn per_replication(&self, r: &RunResult) -> Option<Vec<f64>> {
        let cols: Vec<usize> =
            self.keys.iter().map(|k| r.kpi_defs.iter().position(|d| &d.key == k)).collect::<Option<_>>()?;
        (!cols.is_empty()).then(|| r.values.iter().map(|v| cols.iter().map(|&c| v[c]).sum()).collect())
    }

    /// `other` minus `base`, replication by replication (the same seeds).
    pub fn paired_difference(&self, base: &RunResult, other: &RunResult) -> Option<Estimate> {
        let (a, b) = (self.per_replication(base)?, self.per_replication(other)?);
        Some(Estimate::from_values(a.iter().zip(&b).map(|(x, y)| y - x)))
    }

    pub fn estimate(&self, r: &RunResult) -> Option<Estimate> {
        self.per_replication(r).map(Estimate::from_values)
    }
}

/// The figures a comparison report leads with.
pub fn headline_figures(s: &Scenario, l: &Labels) -> Vec<HeadlineFigure> {
    let one = |label, unit, share, key: String| HeadlineFigure { label, unit, share, keys: vec![key] };
    vec![
        one(l.within_target_card, "", true, within_target_key(*s.completion_target())),
        one(l.first_trip_card, "", true, first_trip_key(*s.completion_target())),
        one(l.one_trip_card, "", true, "one_trip".into()),
        one(l.wait_mean_card, l.minutes, false, "wait_mean".into()),
        one(l.wait_p90_card, l.minutes, false, "wait_p90".into()),
        HeadlineFigure {
            label: l.overtime_card,
            unit: "",
            share: false,
            keys: s.pools().iter().map(|p| format!("pool.{}.overtime", p.name)).collect(),
        },
    ]
}

/// What a comparison report shows of each scenario beside its figures.
pub struct Facts {
    /// Staff-hours a day as written in the file.
    pub staff_hours: f64,
    /// Those staff-hours at each pool's `cost_per_hour`.
    pub cost: f64,
    /// What its file changes against the baseline's.
    pub changes: Vec<KeyChange>,
    /// The completion target's estimate.
    pub within: Option<Estimate>,
}

/// A key whose value differs between two scenario files: the key path and
/// its value in each (None where the file does not set it).
#[derive(Clone, Debug, PartialEq)]
pub struct KeyChange {
    pub key: String,
    pub base: Option<String>,
    pub other: Option<String>,
}

/// Every key path with its value, flattened: tables by dots, arrays of tables
/// by index (`pool[2].count`), other arrays whole.
fn flatten(value: &toml::Value, path: &str, out: &mut std::collections::BTreeMap<String, String>) {
    let child = |k: &str| if path.is_empty() { k.to_string() } else { format!("{path}.{k}") };
    match value {
        toml::Value::Table(t) => t.iter().for_each(|(k, v)| flatten(v, &child(k), out)),
        toml::Value::Array(items) if !items.is_empty() && items.iter().all(toml::Value::is_table) => {
            for (i, v) in items.iter().enumerate() {
                flatten(v, &format!("{path}[{i}]"), out);
            }
        }
        other => {
            out.insert(path.to_string(), other.to_string());
        }
    }
}

/// What a scenario file changes against the baseline's, key by key (the
/// scenario's own name and description left out).
pub fn changed_keys(base: &str, other: &str) -> Vec<KeyChange> {
    let read = |text: &str| {
        let mut out = std::collections::BTreeMap::new();
        if let Ok(v) = text.parse::<toml::Table>() {
            flatten(&toml::Value::Table(v), "", &mut out);
        }
        out.remove("name");
        out.remove("description");
        out
    };
    let (a, b) = (read(base), read(other));
    let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .map(|k| KeyChange { key: k.clone(), base: a.get(k).cloned(), other: b.get(k).cloned() })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_keys_name_every_difference_by_its_path() {
        let base = "name = \"a\"\n[hall]\nopens = \"08:30\"\n[[pool]]\nname = \"w\"\ncount = 3\n";
        let other = "name = \"b\"\n[hall]\nopens = \"08:30\"\nclosing = \"hard\"\n[[pool]]\nname = \"w\"\ncount = 4\n";
        let c = changed_keys(base, other);
        let s = |x: &str| Some(x.to_string());
        assert_eq!(
            c,
            [
                KeyChange { key: "hall.closing".into(), base: None, other: s("\"hard\"") },
                KeyChange { key: "pool[0].count".into(), base: s("3"), other: s("4") },
            ]
        );
        assert!(changed_keys(base, base).is_empty());
    }
}
