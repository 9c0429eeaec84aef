//! The verdict at the top of a report: each target met or not with its
//! interval, where and when it falls short, and why where the figures show
//! it, in words generated from the results.

use super::comparison::{Facts, HeadlineFigure};
use super::labels::{Labels, VerdictWords};
use super::roster::Change;
use crate::experiment::RunResult;
use crate::experiment::plan::{Op, Target};
use crate::experiment::sweep::PointResult;
use crate::scenario::model::{Scenario, clock};
use crate::stats::estimate::Estimate;
use crate::stats::kpi::within_target_key;

/// Whether a target is met, judged by its 95% interval.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// The whole interval is at or above the required share.
    Met,
    /// The whole interval is below it.
    Missed,
    /// The interval straddles it (or there is none): more replications tell.
    Unsure,
    /// A finding that is not a target.
    Note,
}

impl Status {
    pub fn of(e: &Estimate, required: f64) -> Status {
        if e.low() >= required {
            Status::Met
        } else if e.high() < required {
            Status::Missed
        } else {
            Status::Unsure
        }
    }

    fn word(self, w: &VerdictWords) -> &'static str {
        match self {
            Status::Met => w.met,
            Status::Missed => w.missed,
            Status::Unsure => w.unsure,
            Status::Note => "",
        }
    }

    /// The CSS class of its line.
    pub fn class(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Missed => "missed",
            Status::Unsure => "unsure",
            Status::Note => "note",
        }
    }
}

/// One sentence of the verdict.
#[derive(Clone, Debug)]
pub struct Line {
    pub status: Status,
    pub text: String,
}

/// `template` with each `{name}` replaced by its value.
pub fn fill(template: &str, values: &[(&str, String)]) -> String {
    values.iter().fold(template.to_string(), |t, (k, v)| t.replace(&format!("{{{k}}}"), v))
}

/// A share as a percentage with one decimal.
pub fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn interval(e: &Estimate) -> (String, String) {
    if e.half_width.is_finite() { (pct(e.low().max(0.0)), pct(e.high().min(1.0))) } else { ("-".into(), "-".into()) }
}

/// The hours (of the hourly series `key`) whose mean is below `required`,
/// the worst `most` of them in time order, as "09:00-10:00 82.1%".
fn short_hours(r: &RunResult, key: &str, required: f64, most: usize) -> Vec<String> {
    let Some(j) = r.hourly_defs.iter().position(|d| d.key == key) else { return Vec::new() };
    let arrivals = r.hourly_defs.iter().position(|d| d.key == "arrivals");
    let mut short: Vec<(usize, f64)> = r.hourly[j]
        .iter()
        .enumerate()
        .filter(|&(h, e)| e.mean.is_finite() && e.mean < required && arrivals.is_none_or(|a| r.hourly[a][h].mean > 0.0))
        .map(|(h, e)| (h, e.mean))
        .collect();
    short.sort_by(|a, b| a.1.total_cmp(&b.1));
    short.truncate(most);
    short.sort_by_key(|&(h, _)| h);
    short
        .into_iter()
        .map(|(h, m)| format!("{}–{} {}", clock(h as f64 * 60.0), clock((h + 1) as f64 * 60.0), pct(m)))
        .collect()
}

/// The keys `key(name)` over (name, label) pairs whose mean is below
/// `required`, the worst `most`, worst first, as "label 82.1%".
fn short_names<'a>(
    r: &RunResult,
    names: impl Iterator<Item = (&'a str, &'a str)>,
    key: impl Fn(&str) -> String,
    required: f64,
    most: usize,
) -> Vec<String> {
    let mut short: Vec<(&str, f64)> = names
        .filter_map(|(n, label)| r.estimate(&key(n)).map(|e| (label, e.mean)))
        .filter(|&(_, m)| m.is_finite() && m < required)
        .collect();
    short.sort_by(|a, b| a.1.total_cmp(&b.1));
    short.into_iter().take(most).map(|(n, m)| format!("{n} {}", pct(m))).collect()
}

/// The verdict of one run: the completion target, each stage's budget, then
/// what was lost on the way (gave up, absent, sent home, turned away) and
/// the peak in the hall.
pub fn run_verdict(s: &Scenario, r: &RunResult, l: &Labels) -> Vec<Line> {
    let zh = l.lang == "zh";
    let w = l.verdict;
    let req = *s.required();
    let list = |v: Vec<String>| v.join(w.separator);
    let mut lines = Vec::new();
    let target_key = within_target_key(*s.completion_target());
    if let Some(e) = r.estimate(&target_key) {
        let status = Status::of(e, req.completion);
        let (low, high) = interval(e);
        let mut text = fill(
            w.completion,
            &[
                ("share", pct(e.mean)),
                ("target", format!("{}", s.completion_target())),
                ("low", low),
                ("high", high),
                ("required", pct(req.completion)),
                ("status", status.word(w).to_string()),
            ],
        );
        let hours = short_hours(r, &target_key, req.completion, 4);
        if !hours.is_empty() {
            text += &fill(w.short_hours, &[("list", list(hours))]);
        }
        let types = short_names(
            r,
            s.case_types().iter().filter(|t| t.counts_toward_target).map(|t| (t.name.as_str(), t.shown(zh))),
            |n| format!("type.{n}.{target_key}"),
            req.completion,
            3,
        );
        if !types.is_empty() {
            text += &fill(w.short_types, &[("list", list(types))]);
        }
        lines.push(Line { status, text });
    }
    for st in s.stages() {
        let p = format!("stage.{}", st.name);
        let Some(e) = r.estimate(&format!("{p}.within_budget")).filter(|e| e.mean.is_finite()) else { continue };
        let status = Status::of(e, req.stage_budget);
        let (low, high) = interval(e);
        let budget = format!("{}", st.budget);
        let mut text = fill(
            w.stage,
            &[
                ("stage", st.shown(zh).to_string()),
                ("share", pct(e.mean)),
                ("budget", budget.clone()),
                ("low", low),
                ("high", high),
                ("required", pct(req.stage_budget)),
                ("status", status.word(w).to_string()),
            ],
        );
        if status != Status::Met {
            let mean = |k: &str| r.estimate(&format!("{p}.{k}")).map_or(f64::NAN, |e| e.mean);
            let (by_service, by_wait) = (mean("missed_by_service"), mean("missed_by_wait"));
            // One cause is named when it makes at least half as many misses again as the other.
            let (template, minutes) = if by_service >= 1.5 * by_wait {
                (w.cause_service, mean("service_mean"))
            } else if by_wait >= 1.5 * by_service {
                (w.cause_wait, mean("wait_mean"))
            } else {
                (w.cause_both, mean("service_mean"))
            };
            text += &fill(
                template,
                &[
                    ("service", pct(by_service)),
                    ("wait", pct(by_wait)),
                    ("budget", budget),
                    ("mean", format!("{minutes:.1}")),
                ],
            );
            let hours = short_hours(r, &format!("{p}.within_budget"), req.stage_budget, 4);
            if !hours.is_empty() {
                text += &fill(w.short_hours, &[("list", list(hours))]);
            }
            let types = short_names(
                r,
                s.case_types().iter().map(|t| (t.name.as_str(), t.shown(zh))),
                |n| format!("type.{n}.{p}.within_budget"),
                req.stage_budget,
                3,
            );
            if !types.is_empty() {
                text += &fill(w.short_types, &[("list", list(types))]);
            }
        }
        lines.push(Line { status, text });
    }
    if s.sites().len() > 1 {
        let worst = s
            .sites()
            .iter()
            .filter_map(|h| r.estimate(&format!("site.{}.wait_mean", h.name)).map(|e| (h.shown(zh), e.mean)))
            .filter(|(_, m)| m.is_finite())
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((hall, wait)) = worst {
            lines.push(Line {
                status: Status::Note,
                text: fill(w.worst_hall, &[("hall", hall.to_string()), ("wait", format!("{wait:.1}"))]),
            });
        }
    }
    // Only the ways of leaving that the scenario has (the keys it reports).
    let share = |keys: &[&str]| {
        let found: Vec<f64> = keys.iter().filter_map(|k| r.estimate(k)).map(|e| e.mean).collect();
        (!found.is_empty()).then(|| pct(found.iter().sum()))
    };
    let lost: Vec<String> = [
        (&["abandoned"][..], w.gave_up),
        (&["absent"], w.absent),
        (&["sent_home"], w.sent_home),
        (&["turned_away", "balked"], w.turned_away),
    ]
    .into_iter()
    .filter_map(|(keys, words)| share(keys).map(|v| fill(words, &[("v", v)])))
    .collect();
    let mut text = if lost.is_empty() { String::new() } else { fill(w.lost, &[("list", list(lost))]) };
    if let Some(peak) = r.estimate("present_max") {
        text += &fill(w.peak, &[("peak", format!("{:.0}", peak.mean))]);
    }
    lines.push(Line { status: Status::Note, text: text.trim_end().to_string() });
    let judged: Vec<Status> = lines.iter().map(|l| l.status).filter(|&s| s != Status::Note).collect();
    let met = judged.iter().filter(|&&s| s == Status::Met).count();
    let mut head = fill(w.summary, &[("met", met.to_string()), ("of", judged.len().to_string())]);
    if judged.contains(&Status::Unsure) {
        head += w.unsure_hint;
    }
    let status = if met == judged.len() { Status::Met } else { Status::Missed };
    lines.insert(0, Line { status, text: head });
    lines
}

/// The verdict of a comparison: each scenario's completion target, then for
/// each scenario against the baseline the headline figures whose paired
/// difference is real (its 95% interval excludes 0; an exact 0 never is).
pub fn compare_verdict(
    names: &[String],
    headline: &[HeadlineFigure],
    results: &[&RunResult],
    facts: &[Facts],
    base: &Scenario,
    l: &Labels,
) -> Vec<Line> {
    let w = l.verdict;
    let required = base.required().completion;
    let mut lines = Vec::new();
    for (name, f) in names.iter().zip(facts) {
        let Some(e) = f.within.filter(|e| e.mean.is_finite()) else { continue };
        let status = Status::of(&e, required);
        let (low, high) = interval(&e);
        lines.push(Line {
            status,
            text: fill(
                w.scenario_target,
                &[
                    ("name", name.clone()),
                    ("share", pct(e.mean)),
                    ("target", format!("{}", base.completion_target())),
                    ("low", low),
                    ("high", high),
                    ("required", pct(required)),
                    ("status", status.word(w).to_string()),
                ],
            ),
        });
    }
    for (name, r) in names.iter().zip(results).skip(1) {
        let real: Vec<String> = headline
            .iter()
            .filter_map(|f| {
                let d = f.paired_difference(results[0], r)?;
                d.excludes_zero().then(|| format!("{} {}", f.label, super::html::signed(d.mean, f.share, l)))
            })
            .collect();
        let real_count = real.len();
        let list = if real.is_empty() { "-".to_string() } else { real.join(w.separator) };
        lines.push(Line {
            status: Status::Note,
            text: fill(
                w.real_differences,
                &[
                    ("name", name.clone()),
                    ("base", names[0].clone()),
                    ("list", list),
                    (
                        "none",
                        if real_count < headline.len() { w.no_real_difference.to_string() } else { String::new() },
                    ),
                ],
            ),
        });
    }
    lines
}

/// A figure as the verdict writes it: a share in percent, else two decimals.
fn value(x: f64, share: bool) -> String {
    if share { pct(x) } else { format!("{x:.2}") }
}

/// The verdict of a plan or roster: each target on the independent
/// confirmation seed, the staff-hours against the file's, and the headline
/// figures that got worse than the file's beyond the stated margin.
pub fn plan_verdict(
    targets: &[Target],
    claimed: &RunResult,
    confirmed: bool,
    (hours_before, hours_after): (f64, f64),
    changes: &[Change],
    l: &Labels,
) -> Vec<Line> {
    let w = l.verdict;
    let mut lines = vec![Line {
        status: if confirmed { Status::Met } else { Status::Missed },
        text: fill(w.plan_staff, &[("before", format!("{hours_before:.1}")), ("after", format!("{hours_after:.1}"))])
            + if confirmed { w.plan_confirmed } else { w.plan_unconfirmed },
    }];
    for t in targets {
        let Some(e) = claimed.estimate(&t.key) else { continue };
        let share = claimed.kpi_defs.iter().any(|d| d.key == t.key && d.unit == "share");
        let status = match t.op {
            Op::AtLeast => Status::of(e, t.value),
            Op::AtMost if e.high() <= t.value => Status::Met,
            Op::AtMost if e.low() > t.value => Status::Missed,
            Op::AtMost => Status::Unsure,
        };
        let (low, high) = if e.half_width.is_finite() {
            (value(e.low(), share), value(e.high(), share))
        } else {
            ("-".into(), "-".into())
        };
        lines.push(Line {
            status,
            text: fill(
                w.plan_target,
                &[
                    ("target", t.to_string()),
                    ("value", value(e.mean, share)),
                    ("low", low),
                    ("high", high),
                    ("status", status.word(w).to_string()),
                ],
            ),
        });
    }
    let worse: Vec<String> = changes
        .iter()
        .filter(|c| c.worse)
        .map(|c| format!("{} {} → {}", c.key, value(c.before.mean, c.share), value(c.after.mean, c.share)))
        .collect();
    lines.push(if worse.is_empty() {
        Line { status: Status::Note, text: w.none_worse.to_string() }
    } else {
        Line { status: Status::Missed, text: fill(w.worse, &[("list", worse.join(w.separator))]) }
    });
    lines
}

/// The verdict of a sweep: how many points meet the completion target, and
/// along the first axis the lowest value that does (for each value of the
/// second axis, if any).
pub fn sweep_verdict(
    s: &Scenario,
    axes: &[String],
    points: &[PointResult],
    l: &Labels,
) -> (Vec<Line>, Vec<(f64, String)>) {
    let w = l.verdict;
    let required = s.required().completion;
    let key = within_target_key(*s.completion_target());
    let meets = |p: &PointResult| p.estimate(&key).is_some_and(|e| Status::of(e, required) == Status::Met);
    let met = points.iter().filter(|p| meets(p)).count();
    let mut lines = vec![Line {
        status: if met > 0 { Status::Met } else { Status::Missed },
        text: fill(
            w.sweep_points,
            &[
                ("met", met.to_string()),
                ("of", points.len().to_string()),
                ("required", pct(required)),
                ("target", format!("{}", s.completion_target())),
            ],
        ),
    }];
    let mut marks = Vec::new();
    let groups: Vec<Option<f64>> = if axes.len() > 1 {
        let mut g: Vec<f64> = points.iter().map(|p| p.values[1]).collect();
        g.sort_by(f64::total_cmp);
        g.dedup();
        g.into_iter().map(Some).collect()
    } else {
        vec![None]
    };
    for g in groups {
        let lowest = points
            .iter()
            .filter(|p| g.is_none_or(|g| p.values[1] == g) && meets(p))
            .min_by(|a, b| a.values[0].total_cmp(&b.values[0]));
        let within = g.map_or(String::new(), |g| format!(" ({} = {g})", axes[1]));
        match lowest.and_then(|p| p.estimate(&key).map(|e| (p, e))) {
            Some((p, e)) => {
                let (low, high) = interval(e);
                lines.push(Line {
                    status: Status::Note,
                    text: fill(
                        w.sweep_lowest,
                        &[
                            ("axis", axes[0].clone()),
                            ("value", format!("{}{within}", p.values[0])),
                            ("share", pct(e.mean)),
                            ("low", low),
                            ("high", high),
                        ],
                    ),
                });
                marks.push((p.values[0], format!("{}{within}", p.values[0])));
            }
            None => lines.push(Line { status: Status::Missed, text: fill(w.sweep_none, &[("within", within)]) }),
        }
    }
    (lines, marks)
}

/// The verdict as an HTML block with id `verdict`.
pub fn html(lines: &[Line], l: &Labels) -> String {
    let items: String = lines
        .iter()
        .map(|line| format!("<li class=\"{}\">{}</li>", line.status.class(), super::html::esc(&line.text)))
        .collect();
    format!("<section id=\"verdict\"><h2>{}</h2><ul>{items}</ul></section>\n", l.verdict.title)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn est(mean: f64, half_width: f64) -> Estimate {
        Estimate { n: 10, mean, sd: 0.0, half_width, p10: mean, p90: mean }
    }

    #[test]
    fn a_target_is_met_only_when_its_whole_interval_is() {
        assert_eq!(Status::of(&est(0.97, 0.01), 0.95), Status::Met);
        assert_eq!(Status::of(&est(0.96, 0.02), 0.95), Status::Unsure);
        assert_eq!(Status::of(&est(0.90, 0.02), 0.95), Status::Missed);
        assert_eq!(Status::of(&est(0.99, f64::NAN), 0.95), Status::Unsure);
    }

    #[test]
    fn templates_are_filled() {
        assert_eq!(fill("{a} of {b}, {a}", &[("a", "1".into()), ("b", "2".into())]), "1 of 2, 1");
    }
}
