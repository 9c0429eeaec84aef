//! A simulation of the fitted scenario against the records it came from:
//! hour of ticket by hour (the first-call wait, people waiting, the
//! completion-target share) and stage by stage (the share within its
//! budget), each difference judged by both intervals.

use serde::Serialize;

use super::estimate::Interval;
use super::estimate::share_interval;
use super::hall::HallFit;
use super::records::{Records, minutes_between};
use crate::engine::trace::Outcome;
use crate::experiment::RunResult;
use crate::scenario::Scenario;
use crate::stats::estimate::{Estimate, margin};

/// One hour's observed figure against the fitted scenario's simulation.
#[derive(Clone, Debug, Serialize)]
pub struct HourCheck {
    pub hour: usize,
    pub figure: &'static str,
    pub observed: Interval,
    pub simulated: Interval,
    /// Whether the difference's 95% interval excludes 0 and it exceeds the
    /// margin that matters (2 points of a share; 10% and at least 1 of others).
    pub differs: bool,
}

fn interval(e: &Estimate) -> Interval {
    Interval { value: e.mean, low: e.low(), high: e.high() }
}

/// Observed against simulated, per hour of ticket, for the first-call wait
/// and the completion-target share.
pub fn check_by_hour(fit: &HallFit, r: &RunResult, target_key: &str) -> Vec<HourCheck> {
    let series = |key: &str| r.hourly_defs.iter().position(|d| d.key == key).map(|i| &r.hourly[i]);
    let mut out = Vec::new();
    for (figure, key) in [("wait_mean", "wait_mean"), ("queue_mean", "queue_mean"), ("within_target", target_key)] {
        let Some(sim) = series(key) else { continue };
        for h in &fit.observed_by_hour {
            let observed = match figure {
                "wait_mean" => h.wait_mean,
                "queue_mean" => h.queue_mean,
                _ => h.within_target,
            };
            let simulated = sim[h.hour];
            if !observed.value.is_finite() || !simulated.mean.is_finite() {
                continue;
            }
            let s = interval(&simulated);
            out.push(HourCheck {
                hour: h.hour,
                figure,
                observed,
                simulated: s,
                differs: material(&observed, &s, figure == "within_target"),
            });
        }
    }
    out
}

/// Whether records and simulation differ: beyond both intervals combined
/// and beyond the margin that matters ([`margin`]).
fn material(observed: &Interval, simulated: &Interval, share: bool) -> bool {
    let half = |i: &Interval| if i.high.is_finite() { (i.high - i.low) / 2.0 } else { 0.0 };
    let reach = (half(observed).powi(2) + half(simulated).powi(2)).sqrt();
    let gap = (observed.value - simulated.value).abs();
    gap > reach && gap > margin(simulated.value, share)
}

/// One stage's share within its budget, in the records and simulated.
#[derive(Clone, Debug, Serialize)]
pub struct StageCheck {
    pub stage: String,
    /// Rows served at the stage in the records.
    pub calls: usize,
    pub observed: Interval,
    pub simulated: Interval,
    pub differs: bool,
}

/// Per stage of the scenario: of the records' calls served there, the share
/// from joining the queue to the end of service within the stage's budget,
/// against the simulation's `stage.<s>.within_budget`.
pub fn check_stages(records: &Records, s: &Scenario, r: &RunResult) -> Vec<StageCheck> {
    s.stages
        .iter()
        .filter_map(|st| {
            let times: Vec<f64> = records
                .visits
                .iter()
                .filter(|v| v.stage == st.name && v.outcome == Outcome::Served)
                .filter_map(|v| v.queued.or(v.called).map(|q| minutes_between(q, v.finished)))
                .collect();
            let simulated = interval(r.estimate(&format!("stage.{}.within_budget", st.name))?);
            if times.is_empty() || !simulated.value.is_finite() {
                return None;
            }
            let within = times.iter().filter(|&&t| t <= st.budget).count();
            let observed = share_interval(within, times.len());
            Some(StageCheck {
                stage: st.name.clone(),
                calls: times.len(),
                observed,
                simulated,
                differs: material(&observed, &simulated, true),
            })
        })
        .collect()
}
