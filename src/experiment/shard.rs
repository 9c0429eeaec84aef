//! Shards: a deterministic slice of a run's replications, run on its own
//! machine, saved whole, and merged into exactly what one run would give.
//!
//! Shard I of N holds replications [I·R/N, (I+1)·R/N). A shard file keeps
//! every per-replication value at full precision and the pooled histograms,
//! so merging repeats the same arithmetic in the same order as a single run.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::replicate::{Partial, RepOut};
use crate::stats::histogram::LogHistogram;
use crate::stats::recorder::HOURS;

/// Parses `I/N` (0 <= I < N).
pub fn parse_shard(s: &str) -> Result<(u32, u32), String> {
    let bad = || format!("--shard {s:?}: write I/N with 0 <= I < N, as in 0/4");
    let (i, n) = s.split_once('/').ok_or_else(bad)?;
    let (i, n): (u32, u32) = (i.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
    if n == 0 || i >= n { Err(bad()) } else { Ok((i, n)) }
}

/// The replications of shard `i` of `n` out of `total`.
pub fn shard_range(i: u32, n: u32, total: u32) -> Range<u64> {
    let bound = |k: u32| u64::from(total) * u64::from(k) / u64::from(n);
    bound(i)..bound(i + 1)
}

/// Checks that a shard file was written by this hallsim: another version may
/// define other KPIs or draw other people, so its values cannot be merged.
pub fn check_version(written_by: &str) -> Result<(), String> {
    let ours = env!("CARGO_PKG_VERSION");
    if written_by == ours {
        Ok(())
    } else {
        Err(format!("written by hallsim {written_by}, this is hallsim {ours}: run every shard with one version"))
    }
}

/// A shard file (`shard-I-of-N.json`).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShardFile {
    pub hallsim_version: String,
    pub scenario: String,
    pub content_hash: String,
    pub seed: u64,
    /// Replications of the whole run.
    pub replications: u32,
    pub shard: u32,
    pub shards: u32,
    pub events: u64,
    pub wait_histogram: (u64, Vec<(u32, u64)>),
    pub time_in_system_histogram: (u64, Vec<(u32, u64)>),
    pub runs: Vec<ShardRep>,
}

/// One replication in a shard file; `null` stands for a value the replication has not.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShardRep {
    pub index: u64,
    pub kpis: Vec<Option<f64>>,
    pub hourly: Vec<Vec<Option<f64>>>,
}

fn opt(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

impl ShardFile {
    pub fn new(
        scenario: &str,
        content_hash: &str,
        seed: u64,
        replications: u32,
        (shard, shards): (u32, u32),
        p: &Partial,
    ) -> Self {
        ShardFile {
            hallsim_version: env!("CARGO_PKG_VERSION").into(),
            scenario: scenario.into(),
            content_hash: content_hash.into(),
            seed,
            replications,
            shard,
            shards,
            events: p.events,
            wait_histogram: p.wait.to_sparse(),
            time_in_system_histogram: p.time_in_system.to_sparse(),
            runs: p
                .outs
                .iter()
                .map(|o| ShardRep {
                    index: o.index,
                    kpis: o.kpis.iter().map(|&v| opt(v)).collect(),
                    hourly: o.hourly.iter().map(|s| s.iter().map(|&v| opt(v)).collect()).collect(),
                })
                .collect(),
        }
    }

    /// The shard's part of the run, checked against its own header and
    /// against the scenario's `kpis` KPIs and `series` hourly series.
    pub fn into_partial(self, kpis: usize, series: usize) -> Result<Partial, String> {
        check_version(&self.hallsim_version)?;
        if self.shards == 0 || self.shard >= self.shards {
            return Err(format!("shard {} of {} is not a shard", self.shard, self.shards));
        }
        let expected = shard_range(self.shard, self.shards, self.replications);
        let indices: Vec<u64> = self.runs.iter().map(|r| r.index).collect();
        if indices != expected.clone().collect::<Vec<_>>() {
            return Err(format!("shard {}/{} should hold replications {expected:?}", self.shard, self.shards));
        }
        for r in &self.runs {
            if r.kpis.len() != kpis || r.hourly.len() != series {
                return Err(format!(
                    "replication {} holds {} KPIs and {} hourly series; the scenario has {kpis} and {series}",
                    r.index,
                    r.kpis.len(),
                    r.hourly.len()
                ));
            }
        }
        let hist = |(z, b): &(u64, Vec<(u32, u64)>)| {
            LogHistogram::from_sparse(*z, b).ok_or("a histogram bucket is out of range")
        };
        let wait = hist(&self.wait_histogram)?;
        let time_in_system = hist(&self.time_in_system_histogram)?;
        let outs = self
            .runs
            .into_iter()
            .map(|r| {
                let hourly = r
                    .hourly
                    .iter()
                    .map(|s| {
                        let v: Vec<f64> = s.iter().map(|x| x.unwrap_or(f64::NAN)).collect();
                        <[f64; HOURS]>::try_from(v).map_err(|_| "an hourly series must have 24 values".to_string())
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(RepOut { index: r.index, kpis: r.kpis.iter().map(|x| x.unwrap_or(f64::NAN)).collect(), hourly })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Partial { outs, wait, time_in_system, events: self.events })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_every_replication_once() {
        for (total, n) in [(10, 3), (7, 7), (5, 8), (1000, 16)] {
            let all: Vec<u64> = (0..n).flat_map(|i| shard_range(i, n, total)).collect();
            assert_eq!(all, (0..u64::from(total)).collect::<Vec<_>>());
        }
        assert_eq!(parse_shard("2/5"), Ok((2, 5)));
        assert!(parse_shard("5/5").is_err() && parse_shard("1").is_err() && parse_shard("0/0").is_err());
    }
}
