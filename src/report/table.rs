//! The short table `hallsim run` prints: the KPIs a planner reads first, each
//! with its 95% confidence interval.

use crate::experiment::RunResult;
use crate::stats::estimate::Estimate;
use crate::stats::kpi::KpiDef;

/// The KPIs every table shows (a run's, a comparison's): the one-trip rate,
/// waits, the two target rates, stage budgets, utilization and overtime.
pub fn headline(key: &str) -> bool {
    matches!(
        key,
        "one_trip"
            | "trips_per_case"
            | "wait_mean"
            | "wait_p90"
            | "time_in_system_mean"
            | "time_in_system_p90"
            | "queue_mean"
            | "overrun"
    ) || ((key.starts_with("within_") || key.starts_with("first_trip_within_")) && key.ends_with("_min"))
        || (key.ends_with(".within_budget") && !key.starts_with("type."))
        || key.ends_with(".utilization")
        || key.ends_with(".overtime")
}

/// A run's table adds the counts of people.
fn wanted(d: &KpiDef) -> bool {
    let k = d.key.as_str();
    headline(k)
        || matches!(
            k,
            "arrived"
                | "completed"
                | "completed_later"
                | "sent_home"
                | "abandoned"
                | "absent"
                | "balked"
                | "turned_away"
                | "diverted"
        )
}

/// A value and its half-width as text: shares in %, "-" when undefined.
pub fn value(unit: &str, e: &Estimate) -> (String, String) {
    let (scale, digits, suffix) = if unit == "share" { (100.0, 1, "%") } else { (1.0, 1, "") };
    let mean = if e.mean.is_finite() { format!("{:.digits$}{suffix}", e.mean * scale) } else { "-".into() };
    let hw = if e.half_width.is_finite() { format!("± {:.digits$}", e.half_width * scale) } else { String::new() };
    (mean, hw)
}

/// The table as text, one KPI per line.
pub fn render(title: &str, r: &RunResult) -> String {
    let rows: Vec<(String, String, String)> = r
        .kpi_defs
        .iter()
        .zip(&r.estimates)
        .filter(|(d, _)| wanted(d))
        .map(|(d, e)| {
            let unit = if d.unit == "share" { String::new() } else { format!(" ({})", d.unit) };
            let (m, hw) = value(d.unit, e);
            (format!("{}{unit}", d.key), m, hw)
        })
        .collect();
    let w0 = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    let w1 = rows.iter().map(|r| r.1.len()).max().unwrap_or(0);
    let mut out = format!("{title}\n");
    for (k, m, hw) in rows {
        out += format!("  {k:<w0$}  {m:>w1$}  {hw}").trim_end();
        out.push('\n');
    }
    out
}
