//! Independent replications in parallel. Replication `r` always uses the
//! streams of (seed, r), and results are put back in replication order before
//! any arithmetic, so the outcome is the same bytes for any thread count, and
//! for any split of the replications into shards run apart and merged.

use std::ops::Range;

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
    /// Times from entering the hall to completion of everyone in every replication, minutes.
    pub pooled_time_in_system: LogHistogram,
    /// Events handled, all replications together.
    pub events: u64,
}

/// What one replication contributes to the estimates.
#[derive(Clone, Debug)]
pub struct RepOut {
    pub index: u64,
    pub kpis: Vec<f64>,
    pub hourly: Vec<[f64; HOURS]>,
}

/// The outcome of a contiguous range of replications: a whole run, or a shard.
#[derive(Clone, Debug)]
pub struct Partial {
    /// In replication order.
    pub outs: Vec<RepOut>,
    pub wait: LogHistogram,
    pub time_in_system: LogHistogram,
    pub events: u64,
}

impl Partial {
    fn new() -> Self {
        Partial { outs: Vec::new(), wait: LogHistogram::new(), time_in_system: LogHistogram::new(), events: 0 }
    }

    fn join(mut self, other: Partial) -> Partial {
        self.outs.extend(other.outs);
        self.wait.merge(&other.wait);
        self.time_in_system.merge(&other.time_in_system);
        self.events += other.events;
        self
    }
}

/// Runs replications `range` of `model` under `seed` on the current rayon
/// pool, calling `done` after each one (for progress).
pub fn run_range(model: &Model, seed: u64, range: Range<u64>, done: &(dyn Fn() + Sync)) -> Partial {
    let mut part = range
        .into_par_iter()
        .fold(Partial::new, |mut acc, r| {
            let rep = simulate(model, seed, r);
            let rec = &rep.record;
            acc.wait.merge(&rec.first_wait_hist);
            acc.time_in_system.merge(&rec.time_in_system_hist);
            acc.events += rec.events;
            let hourly = kpi::hourly(model.scenario(), rec).iter().map(|s| s.values).collect();
            acc.outs.push(RepOut { index: r, kpis: kpi::kpis(model.scenario(), rec).values, hourly });
            done();
            acc
        })
        .reduce(Partial::new, Partial::join);
    part.outs.sort_by_key(|o| o.index);
    part
}

/// Estimates from parts covering replications 0..n in order.
pub fn finish(model: &Model, seed: u64, parts: Vec<Partial>) -> RunResult {
    let all = parts.into_iter().fold(Partial::new(), Partial::join);
    let (kpi_defs, hourly_defs) = kpi::definitions(model.scenario());
    let outs = all.outs;
    let estimates = (0..kpi_defs.len()).map(|i| Estimate::from_values(outs.iter().map(|o| o.kpis[i]))).collect();
    let hourly = (0..hourly_defs.len())
        .map(|s| std::array::from_fn(|h| Estimate::from_values(outs.iter().map(|o| o.hourly[s][h]))))
        .collect();
    RunResult {
        seed,
        replications: outs.len() as u32,
        kpi_defs,
        values: outs.into_iter().map(|o| o.kpis).collect(),
        estimates,
        hourly_defs,
        hourly,
        pooled_wait: all.wait,
        pooled_time_in_system: all.time_in_system,
        events: all.events,
    }
}

/// Runs `replications` replications of `model` under `seed` on the current
/// rayon pool (wrap the call in `ThreadPool::install` to choose the threads).
pub fn run_replications(model: &Model, seed: u64, replications: u32) -> RunResult {
    run_replications_observed(model, seed, replications, &|| {})
}

/// As [`run_replications`], calling `done` after each replication (for progress).
pub fn run_replications_observed(model: &Model, seed: u64, replications: u32, done: &(dyn Fn() + Sync)) -> RunResult {
    finish(model, seed, vec![run_range(model, seed, 0..u64::from(replications), done)])
}

impl RunResult {
    /// The estimate of the KPI with this key.
    pub fn estimate(&self, key: &str) -> Option<&Estimate> {
        self.kpi_defs.iter().position(|d| d.key == key).map(|i| &self.estimates[i])
    }
}
