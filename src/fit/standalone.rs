//! A scenario file from the records alone (no base): the hall's hours from
//! its tickets, one stage per stage seen, one pool per window with as many
//! staff as it ever served at once, and each case type with its most
//! common route. Names that are not identifiers (a Chinese service name,
//! say) become `stage_1`, `type_1`, `pool_1` with the original as `label`.

use std::collections::BTreeMap;

use super::estimate::Family;
use super::hall::HallFit;
use super::records::{Records, minute_of_day};

/// A time of day for the file, kept inside the day.
fn clock(m: f64) -> String {
    crate::scenario::model::clock(m.clamp(0.0, 1439.0))
}

fn is_name(s: &str) -> bool {
    (1..=100).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The file's name for a value of the records, and the label it needs, if any.
fn named(raw: &str, kind: &str, index: usize) -> (String, Option<String>) {
    if is_name(raw) {
        (raw.to_string(), None)
    } else {
        let label: String = raw.chars().filter(|c| !c.is_control()).take(40).collect();
        (format!("{kind}_{}", index + 1), (!label.trim().is_empty()).then_some(label))
    }
}

fn label_line(label: &Option<String>) -> String {
    label.as_ref().map_or(String::new(), |l| format!("label = {l:?}\n"))
}

/// The scenario text, named `name`.
pub fn write(name: &str, records: &Records, fit: &HallFit) -> String {
    // Each first visit's stages in order; the most common route per type.
    let mut routes: BTreeMap<&str, BTreeMap<Vec<&str>, usize>> = BTreeMap::new();
    let mut stage_order: BTreeMap<&str, (f64, usize)> = BTreeMap::new();
    for trip in super::hall::trips(records).iter().filter(|t| t.first()) {
        let rows = &trip.rows;
        let mut route: Vec<&str> = Vec::new();
        for r in rows.iter().filter(|r| r.called.is_some()) {
            if !route.contains(&r.stage.as_str()) {
                route.push(&r.stage);
            }
        }
        for (i, s) in route.iter().enumerate() {
            let e = stage_order.entry(s).or_default();
            e.0 += i as f64;
            e.1 += 1;
        }
        *routes.entry(rows[0].case_type.as_str()).or_default().entry(route).or_default() += 1;
    }
    let mut stages: Vec<&str> = stage_order.keys().copied().collect();
    stages.sort_by(|a, b| {
        let pos = |s: &str| stage_order[s].0 / stage_order[s].1 as f64;
        pos(a).total_cmp(&pos(b))
    });
    let stage_names: BTreeMap<&str, (String, Option<String>)> = stages
        .iter()
        .enumerate()
        .map(|(i, s)| (*s, named(if s.is_empty() { "serve" } else { s }, "stage", i)))
        .collect();

    let first = fit.profile.first().map_or(480.0, |p| p.from);
    let last = fit.profile.last().map_or(1020.0, |p| p.to);
    let end = records.visits.iter().map(|v| minute_of_day(v.finished)).fold(last, f64::max);
    let mut out = format!(
        "# Fitted by `hallsim fit` from {} rows ({} visits on {} days), without a base scenario:\n\
         # every stage is at a window with the person present, and every window serves every case type.\n\
         name = {name:?}\n\n[simulation]\ndays = {}\n\n[hall]\nopens = \"{}\"\nlast_ticket = \"{}\"\nstaff_until = \"{}\"  # the last call's end seen\n\n",
        fit.rows,
        fit.visits,
        fit.days,
        fit.days.clamp(1, 5),
        clock(first),
        clock(last),
        clock(((end / 30.0).ceil() * 30.0).max(last)),
    );
    let p = &fit.per_day;
    out += &format!(
        "[arrivals]\nper_day = {:.4}  # fitted: {} days (95% {:.1} to {:.1})\n",
        p.value, fit.days, p.low, p.high
    );
    let total: usize = fit.profile.iter().map(|p| p.tickets).sum();
    if fit.profile.len() > 1 && total > 0 {
        let shares: Vec<f64> = fit.profile.iter().map(|p| p.tickets as f64 / total as f64).collect();
        let shares = super::scenario_file::rounded_shares(&shares);
        out += "profile = [  # fitted: the day's first-visit tickets\n";
        for (p, s) in fit.profile.iter().zip(shares) {
            out += &format!("  {{ from = \"{}\", to = \"{}\", share = {s} }},\n", clock(p.from), clock(p.to));
        }
        out += "]\n";
    }
    if fit.weekdays.len() == 5 {
        let f: Vec<String> = fit.weekdays.iter().map(|w| format!("{:.4}", w.factor)).collect();
        out += &format!("day_factors = [{}]  # fitted: Monday to Friday\n", f.join(", "));
    }
    out += &format!("\n[calling]\nabsent_share = {:.4}  # fitted: {} absent\n", fit.absent_share.value, fit.absent);
    for s in &stages {
        let (n, label) = &stage_names[s];
        out += &format!("\n[[stage]]\nname = {n:?}\n{}", label_line(label));
    }
    for (i, w) in fit.windows.iter().enumerate() {
        let (n, label) = named(&w.window, "pool", i);
        let served: Vec<String> = stages
            .iter()
            .filter(|s| records.visits.iter().any(|v| v.window == w.window && v.stage == **s))
            .map(|s| format!("{:?}", stage_names[s].0))
            .collect();
        out += &format!(
            "\n[[pool]]\nname = {n:?}\n{}count = {}  # fitted: most calls at once\nstages = [{}]\n",
            label_line(&label),
            w.most_at_once.max(1),
            served.join(", ")
        );
    }
    // Types never called have no route: left out, the others share the mix.
    let typed: Vec<(&super::hall::TypeShare, Vec<&str>)> = fit
        .mix
        .iter()
        .filter_map(|m| {
            let routes = routes.get(m.case_type.as_str())?;
            let (route, _) = routes.iter().max_by_key(|(_, k)| **k)?;
            (!route.is_empty()).then(|| (m, route.iter().take(8).copied().collect()))
        })
        .collect();
    let shares = super::scenario_file::rounded_shares(&typed.iter().map(|(m, _)| m.visits as f64).collect::<Vec<_>>());
    for (i, ((m, route), share)) in typed.into_iter().zip(shares).enumerate() {
        let (n, label) = named(&m.case_type, "type", i);
        let names: Vec<String> = route.iter().map(|s| format!("{:?}", stage_names[s].0)).collect();
        out += &format!(
            "\n[[case_type]]\nname = {n:?}\n{}share = {share}  # fitted: {} visits\nroute = [{}]\n",
            label_line(&label),
            m.visits,
            names.join(", ")
        );
        for s in &route {
            let family = fit
                .service
                .iter()
                .find(|f| f.case_type == m.case_type && f.stage == *s)
                .map_or(Family::Exponential { mean: 1.0 }, |f| f.fit.chosen);
            out += &format!("service.{} = {}\n", stage_names[s].0, family.toml());
        }
        if let Some(p) = fit.patience.iter().find(|p| p.case_type == m.case_type && p.left >= 10) {
            out += &format!(
                "patience = {}  # fitted: {} left\n",
                Family::Exponential { mean: p.mean.value }.toml(),
                p.left
            );
        }
    }
    out
}
