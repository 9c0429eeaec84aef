//! Outputs of `hallsim sweep`: `sweep.csv` (one row per point and KPI, long
//! format for charts) and `sweep.json`, and the terminal table.

use serde::Serialize;

use crate::experiment::sweep::{Axis, PointResult};

/// `sweep.csv` (the header and each row built from the same axes).
pub fn csv(name: &str, hash: &str, seed: u64, reps: u32, axes: &[Axis], points: &[PointResult]) -> Vec<u8> {
    let num = |x: f64| super::files::fin(x).map_or(String::new(), |x| x.to_string());
    let mut w = csv::Writer::from_writer(Vec::new());
    let head = ["scenario", "content_hash", "seed", "replications", "point"].map(String::from);
    let tail = ["key", "unit", "mean", "ci95_low", "ci95_high", "n"].map(String::from);
    let header: Vec<String> = head.into_iter().chain(axes.iter().map(|a| a.key.clone())).chain(tail).collect();
    w.write_record(&header).expect("writing to memory cannot fail");
    for (i, r) in points.iter().enumerate() {
        for (d, e) in r.kpi_defs.iter().zip(&r.estimates) {
            let mut record =
                vec![name.to_string(), hash.to_string(), seed.to_string(), reps.to_string(), i.to_string()];
            record.extend(r.values.iter().map(|&v| num(v)));
            record.extend([
                d.key.clone(),
                d.unit.to_string(),
                num(e.mean),
                num(e.low()),
                num(e.high()),
                e.n.to_string(),
            ]);
            debug_assert_eq!(record.len(), header.len());
            w.write_record(&record).expect("writing to memory cannot fail");
        }
    }
    w.into_inner().expect("writing to memory cannot fail")
}

#[derive(Serialize)]
struct Json<'a> {
    hallsim_version: &'static str,
    scenario: &'a str,
    content_hash: &'a str,
    seed: u64,
    replications: u32,
    keys: Vec<&'a str>,
    points: Vec<JsonPoint<'a>>,
}

#[derive(Serialize)]
struct JsonPoint<'a> {
    values: &'a [f64],
    kpis: Vec<JsonKpi<'a>>,
}

#[derive(Serialize)]
struct JsonKpi<'a> {
    key: &'a str,
    unit: &'a str,
    mean: f64,
    ci95_low: f64,
    ci95_high: f64,
    n: u32,
}

/// `sweep.json`.
pub fn json(
    name: &str,
    hash: &str,
    seed: u64,
    reps: u32,
    axes: &[Axis],
    points: &[PointResult],
) -> Result<Vec<u8>, serde_json::Error> {
    let doc = Json {
        hallsim_version: env!("CARGO_PKG_VERSION"),
        scenario: name,
        content_hash: hash,
        seed,
        replications: reps,
        keys: axes.iter().map(|a| a.key.as_str()).collect(),
        points: points
            .iter()
            .map(|r| JsonPoint {
                values: &r.values,
                kpis: r
                    .kpi_defs
                    .iter()
                    .zip(&r.estimates)
                    .map(|(d, e)| JsonKpi {
                        key: &d.key,
                        unit: d.unit,
                        mean: e.mean,
                        ci95_low: e.low(),
                        ci95_high: e.high(),
                        n: e.n,
                    })
                    .collect(),
            })
            .collect(),
    };
    super::files::pretty_json(&doc)
}

/// The terminal table: one line per point with the headline KPIs.
pub fn table(axes: &[Axis], points: &[PointResult], target_key: &str) -> String {
    let first_trip = format!("first_trip_{target_key}");
    let cols = [target_key, &first_trip, "one_trip", "wait_mean", "wait_p90", "overrun"];
    let mut rows =
        vec![axes.iter().map(|a| a.key.clone()).chain(cols.iter().map(|c| c.to_string())).collect::<Vec<_>>()];
    for r in points {
        let mut row: Vec<String> = r.values.iter().map(|v| format!("{v}")).collect();
        for c in cols {
            row.push(match r.estimate(c) {
                Some(e) if e.mean.is_finite() => {
                    let share = c == target_key || c == first_trip || c == "one_trip";
                    let (m, h) = if share { (e.mean * 100.0, e.half_width * 100.0) } else { (e.mean, e.half_width) };
                    let unit = if share { "%" } else { "" };
                    if h.is_finite() { format!("{m:.1}{unit} ± {h:.1}") } else { format!("{m:.1}{unit}") }
                }
                _ => "-".into(),
            });
        }
        rows.push(row);
    }
    let widths: Vec<usize> =
        (0..rows[0].len()).map(|j| rows.iter().map(|r| r[j].chars().count()).max().unwrap_or(0)).collect();
    rows.iter()
        .map(|r| {
            let cells: Vec<String> = r.iter().zip(&widths).map(|(c, w)| format!("{c:>w$}")).collect();
            format!("  {}\n", cells.join("  "))
        })
        .collect()
}
