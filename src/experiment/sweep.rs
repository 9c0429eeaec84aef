//! Sweeps: one or two numeric scenario keys over ranges, every point a
//! scenario of its own, all run with the same seed (common random numbers),
//! so neighbouring points differ by the change of the key and not by chance.

use serde::{Deserialize, Serialize};

use super::shard::{parse_shard, shard_range};
use crate::scenario::{self, Scenario, edit};
use crate::stats::estimate::Estimate;
use crate::stats::kpi::KpiDef;

/// One swept key with its values.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    pub key: String,
    pub values: Vec<f64>,
}

/// Most points a sweep may have.
pub const MAX_POINTS: usize = 10_000;

/// Parses `KEY=RANGE`, where RANGE is `a..b` (step 1), `a..b:step`, or a list `v1,v2,...`.
pub fn parse_axis(spec: &str) -> Result<Axis, String> {
    let (key, range) = spec.split_once('=').ok_or_else(|| {
        format!(
            "`{spec}`: write KEY=RANGE, as in `pool.accept_windows.count=30..40` or `arrivals.per_day=1800,2000,2200`"
        )
    })?;
    let key = key.trim().to_string();
    if matches!(key.as_str(), "simulation.seed" | "simulation.replications") {
        return Err(format!(
            "`{spec}`: {key} is not a property of the hall: every point runs with the same seed and replications (set them with --seed and -r)"
        ));
    }
    let num = |s: &str| match s.trim().parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        _ => Err(format!("`{spec}`: {s:?} is not a finite number")),
    };
    let values = if let Some((a, rest)) = range.split_once("..") {
        let (b, step) = match rest.split_once(':') {
            Some((b, s)) => (num(b)?, num(s)?),
            None => (num(rest)?, 1.0),
        };
        let a = num(a)?;
        if !(step > 0.0 && step.is_finite()) {
            return Err(format!("`{spec}`: the step must be > 0, got {step}"));
        }
        if b < a {
            return Err(format!("`{spec}`: the range {a}..{b} is empty; write the smaller value first"));
        }
        let n = ((b - a) / step + 1e-9).floor() as usize + 1;
        if n > MAX_POINTS {
            return Err(format!("`{spec}`: {n} values; at most {MAX_POINTS}"));
        }
        // Rounded so that 0.1 steps give 0.3, not 0.30000000000000004.
        (0..n).map(|i| round12(a + step * i as f64)).collect()
    } else {
        range.split(',').map(num).collect::<Result<Vec<_>, _>>()?
    };
    if values.is_empty() {
        return Err(format!("`{spec}`: no values"));
    }
    Ok(Axis { key, values })
}

fn round12(x: f64) -> f64 {
    (x * 1e12).round() / 1e12
}

/// One point of a sweep: its key values and its scenario.
#[derive(Clone, Debug)]
pub struct Point {
    pub values: Vec<f64>,
    pub scenario: Scenario,
}

/// Builds every point from the base file's text; all problems are reported together.
pub fn points(source: &str, file: &str, name: &str, axes: &[Axis]) -> Result<Vec<Point>, Vec<String>> {
    let mut grid: Vec<Vec<f64>> = vec![Vec::new()];
    for axis in axes {
        grid = grid.into_iter().flat_map(|p| axis.values.iter().map(move |&v| [p.clone(), vec![v]].concat())).collect();
    }
    if grid.len() > MAX_POINTS {
        return Err(vec![format!("{} points; at most {MAX_POINTS}", grid.len())]);
    }
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for values in grid {
        let label: Vec<String> = axes.iter().zip(&values).map(|(a, v)| format!("{}={v}", a.key)).collect();
        let mut text = source.to_string();
        let mut failed = false;
        for (axis, &v) in axes.iter().zip(&values) {
            match edit::set(&text, &axis.key, v) {
                Ok(t) => text = t,
                Err(e) => {
                    if !errors.contains(&e) {
                        errors.push(e);
                    }
                    failed = true;
                }
            }
        }
        if failed {
            continue;
        }
        match scenario::parse(&text, file, name) {
            Ok(scenario) => out.push(Point { values, scenario }),
            Err(e) => {
                let msgs: Vec<String> = e.diagnostics.iter().map(|d| format!("{}: {}", d.path, d.message)).collect();
                errors.push(format!("at {}: {}", label.join(", "), msgs.join("; ")));
            }
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// The estimates of one point of a sweep.
#[derive(Clone, Debug)]
pub struct PointResult {
    /// The swept keys' values at this point.
    pub values: Vec<f64>,
    pub kpi_defs: Vec<KpiDef>,
    pub estimates: Vec<Estimate>,
}

impl PointResult {
    pub fn estimate(&self, key: &str) -> Option<&Estimate> {
        self.kpi_defs.iter().position(|d| d.key == key).map(|i| &self.estimates[i])
    }
}

/// Which points shard `spec` ("I/N") of a sweep of `points` points runs.
pub fn shard_points(spec: &str, points: usize) -> Result<((u32, u32), std::ops::Range<usize>), String> {
    let (i, n) = parse_shard(spec)?;
    let r = shard_range(i, n, points as u32);
    Ok(((i, n), r.start as usize..r.end as usize))
}

/// A sweep shard file (`sweep-shard-I-of-N.json`).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepShardFile {
    pub hallsim_version: String,
    pub scenario: String,
    pub content_hash: String,
    pub seed: u64,
    pub replications: u32,
    /// Each axis as `KEY=RANGE`, as given.
    pub sweep: Vec<String>,
    pub shard: u32,
    pub shards: u32,
    pub first_point: usize,
    /// Per point, per KPI: [mean, sd, half_width, p10, p90, n], `null` for a missing value.
    pub points: Vec<Vec<[Option<f64>; 6]>>,
}

fn opt(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// Estimates as stored in a sweep shard file.
pub fn store(estimates: &[Estimate]) -> Vec<[Option<f64>; 6]> {
    estimates
        .iter()
        .map(|e| [opt(e.mean), opt(e.sd), opt(e.half_width), opt(e.p10), opt(e.p90), Some(f64::from(e.n))])
        .collect()
}

/// Estimates read back from a sweep shard file.
pub fn restore(stored: &[[Option<f64>; 6]]) -> Vec<Estimate> {
    let v = |x: Option<f64>| x.unwrap_or(f64::NAN);
    stored
        .iter()
        .map(|s| Estimate {
            mean: v(s[0]),
            sd: v(s[1]),
            half_width: v(s[2]),
            p10: v(s[3]),
            p90: v(s[4]),
            n: s[5].unwrap_or(0.0) as u32,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_lists() {
        assert_eq!(parse_axis("pool.a.count=3..6").unwrap().values, vec![3.0, 4.0, 5.0, 6.0]);
        assert_eq!(parse_axis("x=0.5..1.0:0.1").unwrap().values, vec![0.5, 0.6, 0.7, 0.8, 0.9, 1.0]);
        assert_eq!(parse_axis("x=1800,2000, 2200").unwrap().values, vec![1800.0, 2000.0, 2200.0]);
        assert_eq!(parse_axis("x=7").unwrap().values, vec![7.0]);
    }

    #[test]
    fn bad_ranges_are_explained() {
        assert!(parse_axis("x").unwrap_err().contains("KEY=RANGE"));
        assert!(parse_axis("x=5..3").unwrap_err().contains("is empty"));
        assert!(parse_axis("x=1..3:0").unwrap_err().contains("step must be > 0"));
        assert!(parse_axis("x=1,two").unwrap_err().contains("\"two\" is not a finite number"));
        assert!(parse_axis("x=1,nan").unwrap_err().contains("\"nan\" is not a finite number"));
        assert!(parse_axis("x=0..1e9").unwrap_err().contains("at most"));
    }
}
