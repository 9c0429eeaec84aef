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

/// A CSV number: shortest round-trip form, NaN and infinities as empty.
pub fn fin(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// A CSV file from serde rows (the header from the row type's fields, so
/// the two cannot drift apart), quoted as needed.
pub fn csv_of<T: Serialize>(rows: impl IntoIterator<Item = T>) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.serialize(row).expect("a row of plain fields serializes");
    }
    w.into_inner().expect("writing to memory cannot fail")
}

/// A row of `summary.csv` (one per KPI) or of `hourly.csv` (one per series
/// and hour, `hour` set).
#[derive(Serialize)]
struct EstimateRow<'a> {
    scenario: &'a str,
    content_hash: &'a str,
    seed: u64,
    replications: u32,
    key: &'a str,
    unit: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    hour: Option<usize>,
    mean: Option<f64>,
    ci95_low: Option<f64>,
    ci95_high: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sd: Option<Option<f64>>,
    p10: Option<f64>,
    p90: Option<f64>,
    n: u32,
}

impl<'a> EstimateRow<'a> {
    fn new(id: &RunId<'a>, (key, unit): (&'a str, &'a str), hour: Option<usize>, e: &Estimate) -> Self {
        EstimateRow {
            scenario: id.scenario,
            content_hash: id.content_hash,
            seed: id.seed,
            replications: id.replications,
            key,
            unit,
            hour,
            mean: fin(e.mean),
            ci95_low: fin(e.low()),
            ci95_high: fin(e.high()),
            // The spread across replications is in summary.csv only.
            sd: hour.is_none().then(|| fin(e.sd)),
            p10: fin(e.p10),
            p90: fin(e.p90),
            n: e.n,
        }
    }
}

/// `summary.csv`: one row per KPI.
pub fn summary_csv(s: &LoadedScenario, r: &RunResult) -> Vec<u8> {
    let id = RunId::new(s, r);
    csv_of(r.kpi_defs.iter().zip(&r.estimates).map(|(d, e)| EstimateRow::new(&id, (&d.key, d.unit), None, e)))
}

/// `hourly.csv`: one row per series and hour of day (long format, for charts).
pub fn hourly_csv(s: &LoadedScenario, r: &RunResult) -> Vec<u8> {
    let id = &RunId::new(s, r);
    let hours = &reported_hours(s, r);
    csv_of(r.hourly_defs.iter().zip(&r.hourly).flat_map(|(d, series)| {
        hours.iter().map(move |&h| EstimateRow::new(id, (&d.key, d.unit), Some(h), &series[h]))
    }))
}

/// `replications.csv`: one row per replication, one column per KPI (the
/// header and each row built from the same list of KPIs).
pub fn replications_csv(s: &LoadedScenario, r: &RunResult) -> Vec<u8> {
    let id = RunId::new(s, r);
    let mut w = csv::Writer::from_writer(Vec::new());
    let head = ["scenario", "content_hash", "seed", "replication"].into_iter().map(String::from);
    let mut record: Vec<String> = head.chain(r.kpi_defs.iter().map(|d| d.key.clone())).collect();
    w.write_record(&record).expect("writing to memory cannot fail");
    for (i, values) in r.values.iter().enumerate() {
        record.clear();
        record.extend([id.scenario.to_string(), id.content_hash.to_string(), id.seed.to_string(), i.to_string()]);
        record.extend(values.iter().map(|&v| fin(v).map_or(String::new(), |v| v.to_string())));
        w.write_record(&record).expect("writing to memory cannot fail");
    }
    w.into_inner().expect("writing to memory cannot fail")
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
