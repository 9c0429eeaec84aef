//! A simulation of the fitted scenario against the records it came from,
//! hour of ticket by hour: the first-call wait and the completion-target
//! share, each difference judged by both intervals.

use serde::Serialize;

use super::estimate::Interval;
use super::hall::HallFit;
use crate::experiment::RunResult;
use crate::stats::estimate::Estimate;

/// One hour's observed figure against the fitted scenario's simulation.
#[derive(Clone, Debug, Serialize)]
pub struct HourCheck {
    pub hour: usize,
    pub figure: &'static str,
    pub observed: Interval,
    pub simulated: Interval,
    /// Whether the difference's 95% interval excludes 0.
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
            let half = |i: &Interval| if i.high.is_finite() { (i.high - i.low) / 2.0 } else { 0.0 };
            let s = interval(&simulated);
            let reach = (half(&observed).powi(2) + half(&s).powi(2)).sqrt();
            out.push(HourCheck {
                hour: h.hour,
                figure,
                observed,
                simulated: s,
                differs: (observed.value - s.value).abs() > reach,
            });
        }
    }
    out
}
