//! The files and table of a roster (`plan --shifts`): who starts which
//! shift, staff on duty against the requirement per interval, and every
//! headline figure before and after.

use serde::Serialize;
use serde_json::json;

use super::charts::study;
use super::files::{csv_of, fin};
use super::labels::Labels;
use crate::experiment::RunResult;
use crate::experiment::plan::{self, Target};
use crate::experiment::roster::{Requirement, Roster, hour_utilization};
use crate::scenario::model::{Scenario, clock};
use crate::stats::estimate::Estimate;
use crate::stats::kpi::{first_trip_key, within_target_key};

pub use crate::stats::estimate::{ABSOLUTE_MARGIN, RELATIVE_MARGIN, SHARE_MARGIN};

#[derive(Serialize)]
struct RosterRow<'a> {
    shift: &'a str,
    pool: &'a str,
    start: String,
    end: String,
    lunch_start: Option<String>,
    lunch_end: Option<String>,
    count: u32,
    paid_hours: f64,
    cost: f64,
}

/// `roster.csv`: one row per shift, pool, start and lunch taken by anyone.
pub fn roster_csv(r: &Roster, s: &Scenario) -> Vec<u8> {
    let planning = s.planning().as_ref().expect("a roster has shift templates");
    csv_of(r.options.iter().zip(&r.counts).filter(|(_, n)| **n > 0).map(|(o, &n)| {
        let t = &planning.shifts[o.shift];
        RosterRow {
            shift: &t.name,
            pool: &s.pools[o.pool].name,
            start: clock(o.start),
            end: clock(o.end),
            lunch_start: o.lunch.map(clock),
            lunch_end: o.lunch.map(|l| clock(l + t.lunch)),
            count: n,
            paid_hours: o.hours * f64::from(n),
            cost: o.cost * f64::from(n),
        }
    }))
}

#[derive(Serialize)]
struct StaffingRow<'a> {
    pool: &'a str,
    from: String,
    to: String,
    in_file: u32,
    required: u32,
    on_duty: u32,
    utilization: Option<f64>,
}

/// `staffing_by_hour.csv`: per planned pool and interval, the file's staff,
/// the requirement, staff on duty under the roster and its utilization (of
/// the interval's hour, on the run given).
pub fn staffing_csv(r: &Roster, s: &Scenario, run: &RunResult) -> Vec<u8> {
    csv_of(r.planned.iter().flat_map(|&p| {
        (0..r.grid.len()).map(move |i| {
            let (a, b) = r.grid.bounds(i);
            StaffingRow {
                pool: &s.pools[p].name,
                from: clock(a),
                to: clock(b),
                in_file: s.pools[p].on_duty((a + b) / 2.0),
                required: r.required[p][i],
                on_duty: r.best.duty[p][i],
                utilization: fin(hour_utilization(s, &r.grid, run, p, i)),
            }
        })
    }))
}

/// One headline figure before and after, and whether it got worse by more than the margin.
pub struct Change {
    pub key: String,
    pub before: Estimate,
    pub after: Estimate,
    pub worse: bool,
    /// Whether the figure is a share.
    pub share: bool,
}

/// The headline figures, with the direction that is better.
fn headline_keys(s: &Scenario) -> Vec<(String, bool)> {
    let mut keys = vec![
        (within_target_key(s.completion_target), true),
        (first_trip_key(s.completion_target), true),
        ("one_trip".to_string(), true),
        ("completed".to_string(), true),
        ("abandoned".to_string(), false),
        ("sent_home".to_string(), false),
        ("wait_mean".to_string(), false),
        ("wait_p90".to_string(), false),
        ("queue_mean".to_string(), false),
        ("present_max".to_string(), false),
        ("time_in_system_mean".to_string(), false),
    ];
    for st in &s.stages {
        keys.push((format!("stage.{}.within_budget", st.name), true));
        keys.push((format!("stage.{}.wait_mean", st.name), false));
    }
    keys
}

pub fn headline_changes(s: &Scenario, before: &RunResult, after: &RunResult) -> Vec<Change> {
    headline_keys(s)
        .into_iter()
        .filter_map(|(key, higher_better)| {
            let (b, a) = (*before.estimate(&key)?, *after.estimate(&key)?);
            let share = before.kpi_defs.iter().any(|d| d.key == key && d.unit == "share");
            let loss = if higher_better { b.mean - a.mean } else { a.mean - b.mean };
            let margin = crate::stats::estimate::margin(b.mean, share);
            Some(Change { key, before: b, after: a, worse: loss.is_finite() && loss > margin, share })
        })
        .collect()
}

/// `plan.json`.
pub fn plan_json(
    s: &Scenario,
    targets: &[Target],
    r: &Roster,
    (seed, reps): (u64, u32),
    (hours_before, hours_after): (f64, f64),
    changes: &[Change],
) -> Result<Vec<u8>, serde_json::Error> {
    let claimed = r.confirmation.as_ref().map_or(&r.best.result, |c| &c.1.result);
    let doc = json!({
        "hallsim_version": env!("CARGO_PKG_VERSION"),
        "scenario": s.name,
        "seed": seed,
        "replications": reps,
        "interval_minutes": r.grid.interval,
        "requirement": match r.requirement {
            Requirement::Simulated => json!({ "method": "simulated" }),
            Requirement::ErlangC { share } => json!({ "method": "erlang_c", "service_level": share, "wait_minutes": "each stage's budget less its mean service, at least 0" }),
        },
        "confirmed": r.confirmed,
        "confirmation_seed": r.confirmation.as_ref().map(|c| c.0),
        "candidates_simulated": r.evaluations,
        "rosters_left_off_the_frontier_for_completing_fewer_cases": r.serving_fewer,
        "cost": r.cost,
        "paid_hours": r.paid_hours,
        "staff_hours_per_day": { "in_file": hours_before, "roster": hours_after },
        "targets_on_confirmation_seed": targets.iter().map(|t| {
            let e = claimed.estimate(&t.key);
            json!({ "target": t.to_string(), "mean": e.map(|e| e.mean), "ci95_low": e.map(|e| e.low()), "ci95_high": e.map(|e| e.high()) })
        }).collect::<Vec<_>>(),
        "headline_before_after": changes.iter().map(|c| json!({
            "key": c.key, "before": c.before.mean, "after": c.after.mean, "worse_beyond_margin": c.worse,
        })).collect::<Vec<_>>(),
        "margin": { "share_points": SHARE_MARGIN, "relative": RELATIVE_MARGIN, "absolute_at_least": ABSOLUTE_MARGIN },
    });
    super::files::pretty_json(&doc)
}

fn flat(y: f64) -> Estimate {
    Estimate { n: 1, mean: y, sd: 0.0, half_width: 0.0, p10: y, p90: y }
}

/// One panel per planned pool: staff required and on duty per interval.
pub fn duty_panels(r: &Roster, s: &Scenario, l: &Labels) -> Vec<study::XyPanel> {
    r.planned
        .iter()
        .map(|&p| {
            let x = |i: usize| r.grid.bounds(i).0 / 60.0;
            let curve = |label: &str, duty: &[u32]| -> study::Curve {
                (label.to_string(), (0..r.grid.len()).map(|i| (x(i), flat(f64::from(duty[i])))).collect())
            };
            study::XyPanel {
                title: s.pools[p].shown(l.lang == "zh").to_string(),
                x_desc: l.hour_of_day.to_string(),
                y_desc: l.count.to_string(),
                hours: true,
                share: false,
                curves: vec![curve(l.required_staff, &r.required[p]), curve(l.on_duty, &r.best.duty[p])],
                line: None,
                scatter: false,
                mark: None,
            }
        })
        .collect()
}

/// The roster for the terminal: staff on duty per pool and interval, the
/// cost, the targets on the confirmation seed, and figures that got worse.
pub fn table(
    s: &Scenario,
    targets: &[Target],
    r: &Roster,
    claimed: &RunResult,
    (hours_before, hours_after): (f64, f64),
    changes: &[Change],
) -> String {
    let mut out = format!("  {:<18}", "on duty (required)");
    for i in 0..r.grid.len() {
        out += &format!(" {:>7}", clock(r.grid.bounds(i).0));
    }
    out.push('\n');
    for &p in &r.planned {
        out += &format!("  {:<18}", s.pools[p].name);
        for i in 0..r.grid.len() {
            out += &format!(" {:>7}", format!("{}({})", r.best.duty[p][i], r.required[p][i]));
        }
        out.push('\n');
    }
    out += &format!(
        "  staff-hours a day: {hours_before:.1} in the file, {hours_after:.1} on duty in the roster ({:.1} paid, cost {:.1})\n",
        r.paid_hours, r.cost
    );
    out += "  targets on the independent seed:\n";
    for t in targets {
        if let Some(e) = claimed.estimate(&t.key) {
            let met = plan::shortfall(claimed, t) == 0.0;
            out += &format!(
                "    {t}: {:.4} (95% interval {:.4} to {:.4}){}\n",
                e.mean,
                e.low(),
                e.high(),
                if met { "" } else { "  NOT MET" }
            );
        }
    }
    let worse: Vec<&Change> = changes.iter().filter(|c| c.worse).collect();
    if worse.is_empty() {
        out += &format!(
            "  no headline figure is worse than in the file by more than {:.0} points of a share or {:.0}% (and {ABSOLUTE_MARGIN}) of another\n",
            SHARE_MARGIN * 100.0,
            RELATIVE_MARGIN * 100.0
        );
    }
    for c in worse {
        out += &format!("  warning: {} worse than in the file: {:.3} -> {:.3}\n", c.key, c.before.mean, c.after.mean);
    }
    out
}
