//! Independent replications in parallel. Replication `r` always uses the
//! streams of (seed, r), and results are put back in replication order before
//! any arithmetic, so the outcome is the same bytes for any thread count.

use rayon::prelude::*;

use crate::engine::{Model, simulate};
use crate::stats::estimate::Estimate;
use crate::stats::histogram::LogHistogram;
use crate::stats::kpi::{self, KpiDef};
use crate::stats::recorder::HOURS;

/// What a scenario's replications gave.
#[derive(Clone, Debug)]
pub struct RunResult {
    pub seed: u64,
    pub replications: u32,
    pub kpi_defs: Vec<KpiDef>,
    /// Per replication, KPI values in the order of `kpi_defs`.
    pub values: Vec<Vec<f64>>,
    /// Per KPI, the estimate across replications.
    pub estimates: Vec<Estimate>,
    pub hourly_defs: Vec<KpiDef>,
    /// Per hourly series, per hour, the estimate across replications.
    pub hourly: Vec<[Estimate; HOURS]>,
    /// Waits before first call of everyone in every replication, minutes.
    pub pooled_wait: LogHistogram,
    /// Times from ticket to completion of everyone in every replication, minutes.
    pub pooled_time_in_system: LogHistogram,
    /// Events handled, all replications together.
    pub events: u64,
}

struct RepOut {
    index: u64,
    kpis: Vec<f64>,
    hourly: Vec<[f64; HOURS]>,
}

struct Acc {
    outs: Vec<RepOut>,
    wait: LogHistogram,
    tis: LogHistogram,
    events: u64,
    defs: Option<(Vec<KpiDef>, Vec<KpiDef>)>,
}

impl Acc {
    fn new() -> Self {
        Acc { outs: Vec::new(), wait: LogHistogram::new(), tis: LogHistogram::new(), events: 0, defs: None }
    }

    fn join(mut self, other: Acc) -> Acc {
        self.outs.extend(other.outs);
        self.wait.merge(&other.wait);
        self.tis.merge(&other.tis);
        self.events += other.events;
        self.defs = self.defs.or(other.defs);
        self
    }
}

/// Runs `replications` replications of `model` under `seed` on the current
/// rayon pool (wrap the call in `ThreadPool::install` to choose the threads).
pub fn run_replications(model: &Model, seed: u64, replications: u32) -> RunResult {
    run_replications_observed(model, seed, replications, &|| {})
}

/// As [`run_replications`], calling `done` after each replication (for progress).
pub fn run_replications_observed(model: &Model, seed: u64, replications: u32, done: &(dyn Fn() + Sync)) -> RunResult {
    let acc = (0..u64::from(replications))
        .into_par_iter()
        .fold(Acc::new, |mut acc, r| {
            let rep = simulate(model, seed, r);
            let rec = &rep.record;
            let k = kpi::kpis(model, rec);
            let series = kpi::hourly(model, rec);
            acc.wait.merge(&rec.first_wait_hist);
            acc.tis.merge(&rec.time_in_system_hist);
            acc.events += rec.events;
            if acc.defs.is_none() {
                acc.defs = Some((k.defs, series.iter().map(|s| s.def.clone()).collect()));
            }
            acc.outs.push(RepOut { index: r, kpis: k.values, hourly: series.iter().map(|s| s.values).collect() });
            done();
            acc
        })
        .reduce(Acc::new, Acc::join);
    let mut outs = acc.outs;
    outs.sort_by_key(|o| o.index);
    let (kpi_defs, hourly_defs) = acc.defs.unwrap_or_default();
    let estimates = (0..kpi_defs.len()).map(|i| Estimate::from_values(outs.iter().map(|o| o.kpis[i]))).collect();
    let hourly = (0..hourly_defs.len())
        .map(|s| std::array::from_fn(|h| Estimate::from_values(outs.iter().map(|o| o.hourly[s][h]))))
        .collect();
    RunResult {
        seed,
        replications,
        kpi_defs,
        values: outs.into_iter().map(|o| o.kpis).collect(),
        estimates,
        hourly_defs,
        hourly,
        pooled_wait: acc.wait,
        pooled_time_in_system: acc.tis,
        events: acc.events,
    }
}

impl RunResult {
    /// The estimate of the KPI with this key.
    pub fn estimate(&self, key: &str) -> Option<&Estimate> {
        self.kpi_defs.iter().position(|d| d.key == key).map(|i| &self.estimates[i])
    }
}
