//! Outputs of `hallsim compare`: `comparison.csv`, `comparison.json` and the
//! terminal table, as bytes and text.

use serde::Serialize;

use super::table::headline;
use crate::experiment::compare::Comparison;

/// Identifies one compared scenario in the outputs.
#[derive(Clone, Debug, Serialize)]
pub struct Member {
    pub name: String,
    pub file: String,
    pub content_hash: String,
}

fn num(x: f64) -> String {
    if x.is_finite() { format!("{x}") } else { String::new() }
}

/// `comparison.csv`: one row per KPI and scenario.
pub fn csv(c: &Comparison, members: &[Member], seed: u64, replications: u32) -> Vec<u8> {
    let mut out = String::from(
        "key,unit,scenario,content_hash,seed,replications,baseline,mean,ci95_low,ci95_high,\
         diff_mean,diff_ci95_low,diff_ci95_high,significant,unpaired_diff_half_width\n",
    );
    for row in &c.rows {
        for (i, m) in members.iter().enumerate() {
            let e = row.estimates[i];
            let d = row.differences[i];
            let f = |x: Option<f64>| x.map_or(String::new(), num);
            out += &format!(
                "{},{},{},{},{seed},{replications},{},{},{},{},{},{},{},{},{}\n",
                row.key,
                row.unit,
                m.name,
                m.content_hash,
                members[0].name,
                f(e.map(|e| e.mean)),
                f(e.map(|e| e.low())),
                f(e.map(|e| e.high())),
                f(d.map(|d| d.mean)),
                f(d.map(|d| d.low())),
                f(d.map(|d| d.high())),
                if i == 0 { String::new() } else { row.significant(i).to_string() },
                f(row.unpaired_half_widths[i]),
            );
        }
    }
    out.into_bytes()
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
        for i in 1..c.names.len() {
            cells.push(match row.differences[i] {
                Some(d) => {
                    let star = if row.significant(i) { " *" } else { "" };
                    let hw = if d.half_width.is_finite() {
                        format!(" ± {}", fmt(row.unit, d.half_width))
                    } else {
                        String::new()
                    };
                    let sign = if d.mean > 0.0 { "+" } else { "" };
                    format!("{sign}{}{hw}{star}", fmt(row.unit, d.mean))
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
    out += "  * the 95% interval of the paired difference excludes 0\n";
    out
}
