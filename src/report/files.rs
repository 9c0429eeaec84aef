//! The machine-readable outputs of a run, as bytes. Units are fixed (minutes,
//! shares in [0, 1], people), rows and columns come in a stable order, every
//! file names the scenario, its content hash and the seed, and ends with a
//! newline. What every column means is documented in the README ("Outputs").

use serde::Serialize;

use crate::experiment::RunResult;
use crate::scenario::LoadedScenario;
use crate::scenario::model::Horizon;
use crate::stats::estimate::Estimate;
use crate::stats::recorder::HOURS;

/// Confidence level of every interval in the outputs.
pub const CONFIDENCE: f64 = 0.95;

/// Identifies a run in every file.
#[derive(Clone, Debug, Serialize)]
pub struct RunId<'a> {
    pub scenario: &'a str,
    pub file: &'a str,
    pub content_hash: &'a str,
    pub seed: u64,
    pub replications: u32,
}

impl<'a> RunId<'a> {
    pub fn new(s: &'a LoadedScenario, r: &RunResult) -> Self {
        RunId {
            scenario: &s.scenario.name,
            file: &s.file,
            content_hash: &s.content_hash,
            seed: r.seed,
            replications: r.replications,
        }
    }
}

#[derive(Serialize)]
struct KpiRow<'a> {
    key: &'a str,
    unit: &'a str,
    description: &'a str,
    mean: f64,
    ci95_low: f64,
    ci95_high: f64,
    half_width: f64,
    sd: f64,
    p10: f64,
    p90: f64,
    n: u32,
}

impl<'a> KpiRow<'a> {
    fn new(key: &'a str, unit: &'a str, description: &'a str, e: &Estimate) -> Self {
        KpiRow {
            key,
            unit,
            description,
            mean: e.mean,
            ci95_low: e.low(),
            ci95_high: e.high(),
            half_width: e.half_width,
            sd: e.sd,
            p10: e.p10,
            p90: e.p90,
            n: e.n,
        }
    }
}

#[derive(Serialize)]
struct HourRow {
    hour: usize,
    mean: f64,
    ci95_low: f64,
    ci95_high: f64,
    p10: f64,
    p90: f64,
    n: u32,
}

#[derive(Serialize)]
struct SeriesOut<'a> {
    key: &'a str,
    unit: &'a str,
    description: &'a str,
    hours: Vec<HourRow>,
}

#[derive(Serialize)]
struct Pooled {
    people: u64,
    wait_p50: f64,
    wait_p90: f64,
    wait_p95: f64,
    time_in_system_p50: f64,
    time_in_system_p90: f64,
    time_in_system_p95: f64,
}

#[derive(Serialize)]
struct Summary<'a> {
    hallsim_version: &'static str,
    #[serde(flatten)]
    id: &'a RunId<'a>,
    mode: &'static str,
    days: Option<u32>,
    horizon_minutes: Option<f64>,
    warmup_minutes: Option<f64>,
    confidence: f64,
    events: u64,
    kpis: Vec<KpiRow<'a>>,
    pooled: Pooled,
    hourly: Vec<SeriesOut<'a>>,
}

/// Hours of day worth reporting: the opening hours, and any other hour in which
/// some series is non-zero (overtime).
pub fn reported_hours(s: &LoadedScenario, r: &RunResult) -> Vec<usize> {
    let Some(h) = s.scenario.hours() else {
        return Vec::new();
    };
    let first = (h.opens / 60.0).floor() as usize;
    let last = (h.staff_until / 60.0).ceil() as usize;
    (0..HOURS)
        .filter(|&i| (first..last).contains(&i) || r.hourly.iter().any(|s| s[i].mean.is_finite() && s[i].mean != 0.0))
        .collect()
}

/// A value as pretty JSON with a trailing newline. A value that cannot be
/// written is an error, never an empty file.
pub fn pretty_json(value: &impl Serialize) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = serde_json::to_vec_pretty(value)?;
    out.push(b'\n');
    Ok(out)
}

/// `summary.json`: every KPI with its interval, pooled quantiles and hourly series.
pub fn summary_json(s: &LoadedScenario, r: &RunResult) -> Result<Vec<u8>, serde_json::Error> {
    let id = RunId::new(s, r);
    let (mode, days, horizon, warmup) = match s.scenario.horizon {
        Horizon::Days { days, .. } => ("days", Some(days), None, None),
        Horizon::Continuous { minutes, warmup } => ("continuous", None, Some(minutes), Some(warmup)),
    };
    let hours = reported_hours(s, r);
    let summary = Summary {
        hallsim_version: env!("CARGO_PKG_VERSION"),
        id: &id,
        mode,
        days,
        horizon_minutes: horizon,
        warmup_minutes: warmup,
        confidence: CONFIDENCE,
        events: r.events,
        kpis: r
            .kpi_defs
            .iter()
            .zip(&r.estimates)
            .map(|(d, e)| KpiRow::new(&d.key, d.unit, &d.description, e))
            .collect(),
        pooled: Pooled {
            people: r.pooled_wait.count(),
            wait_p50: r.pooled_wait.quantile(0.5),
            wait_p90: r.pooled_wait.quantile(0.9),
            wait_p95: r.pooled_wait.quantile(0.95),
            time_in_system_p50: r.pooled_time_in_system.quantile(0.5),
            time_in_system_p90: r.pooled_time_in_system.quantile(0.9),
            time_in_system_p95: r.pooled_time_in_system.quantile(0.95),
        },
        hourly: r
            .hourly_defs
            .iter()
            .zip(&r.hourly)
            .map(|(d, series)| SeriesOut {
                key: &d.key,
                unit: d.unit,
                description: &d.description,
                hours: hours
                    .iter()
                    .map(|&h| {
                        let e = &series[h];
                        HourRow {
                            hour: h,
                            mean: e.mean,
                            ci95_low: e.low(),
                            ci95_high: e.high(),
                            p10: e.p10,
                            p90: e.p90,
                            n: e.n,
                        }
                    })
                    .collect(),
            })
            .collect(),
    };
    pretty_json(&summary)
}

/// A CSV field: numbers in shortest round-trip form, NaN as empty, text quoted when needed.
fn num(x: f64) -> String {
    if x.is_finite() { format!("{x}") } else { String::new() }
}

fn text(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

fn id_fields(id: &RunId) -> String {
    format!("{},{},{}", text(id.scenario), id.content_hash, id.seed)
}

/// `summary.csv`: one row per KPI.
pub fn summary_csv(s: &LoadedScenario, r: &RunResult) -> Vec<u8> {
    let id = RunId::new(s, r);
    let mut out =
        String::from("scenario,content_hash,seed,replications,key,unit,mean,ci95_low,ci95_high,sd,p10,p90,n\n");
    for (d, e) in r.kpi_defs.iter().zip(&r.estimates) {
        out += &format!(
            "{},{},{},{},{},{},{},{},{},{},{}\n",
            id_fields(&id),
            r.replications,
            text(&d.key),
            d.unit,
            num(e.mean),
            num(e.low()),
            num(e.high()),
            num(e.sd),
            num(e.p10),
            num(e.p90),
            e.n
        );
    }
    out.into_bytes()
}

/// `hourly.csv`: one row per series and hour of day (long format, for charts).
pub fn hourly_csv(s: &LoadedScenario, r: &RunResult) -> Vec<u8> {
    let id = RunId::new(s, r);
    let hours = reported_hours(s, r);
    let mut out =
        String::from("scenario,content_hash,seed,replications,key,unit,hour,mean,ci95_low,ci95_high,p10,p90,n\n");
    for (d, series) in r.hourly_defs.iter().zip(&r.hourly) {
        for &h in &hours {
            let e = &series[h];
            out += &format!(
                "{},{},{},{},{h},{},{},{},{},{},{}\n",
                id_fields(&id),
                r.replications,
                text(&d.key),
                d.unit,
                num(e.mean),
                num(e.low()),
                num(e.high()),
                num(e.p10),
                num(e.p90),
                e.n
            );
        }
    }
    out.into_bytes()
}

/// `replications.csv`: one row per replication, one column per KPI.
pub fn replications_csv(s: &LoadedScenario, r: &RunResult) -> Vec<u8> {
    let id = RunId::new(s, r);
    let mut out = String::from("scenario,content_hash,seed,replication");
    for d in &r.kpi_defs {
        out.push(',');
        out += &text(&d.key);
    }
    out.push('\n');
    for (i, values) in r.values.iter().enumerate() {
        out += &format!("{},{i}", id_fields(&id));
        for &v in values {
            out.push(',');
            out += &num(v);
        }
        out.push('\n');
    }
    out.into_bytes()
}

/// Every output file of a run: (file name, bytes).
pub fn all(s: &LoadedScenario, r: &RunResult) -> Result<Vec<(&'static str, Vec<u8>)>, serde_json::Error> {
    Ok(vec![
        ("summary.json", summary_json(s, r)?),
        ("summary.csv", summary_csv(s, r)),
        ("hourly.csv", hourly_csv(s, r)),
        ("replications.csv", replications_csv(s, r)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_json_cannot_hold_is_an_error_not_an_empty_file() {
        // JSON object keys must be strings.
        let map: std::collections::BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into();
        assert!(pretty_json(&map).is_err());
        assert_eq!(pretty_json(&[1, 2]).unwrap(), b"[\n  1,\n  2\n]\n");
    }
}
