//! The fitted scenario file: the base file's text with each fitted value put
//! in place (comments, order and every other key kept), each commented with
//! its sample size and interval.

use super::estimate::Family;
use super::hall::HallFit;
use crate::scenario::edit;
use crate::scenario::model::{ArrivalProcess, clock};
use crate::scenario::{LoadedScenario, Scenario};

/// Shares rounded to 6 decimals that still sum to 1 (the largest takes the rest).
pub(crate) fn rounded_shares(xs: &[f64]) -> Vec<f64> {
    let total: f64 = xs.iter().sum();
    let mut out: Vec<f64> = xs.iter().map(|x| (x / total * 1e6).round() / 1e6).collect();
    if let Some(i) = (0..out.len()).max_by(|&a, &b| out[a].total_cmp(&out[b])) {
        let rest: f64 = out.iter().enumerate().filter(|&(j, _)| j != i).map(|(_, x)| x).sum();
        out[i] = ((1.0 - rest) * 1e6).round() / 1e6;
    }
    out
}

/// Fewest people seen leaving for a fitted patience to go in the file.
const MIN_DEPARTURES: usize = 10;

fn r4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

/// The base's text with the fitted values, or why a value cannot be put in.
/// Also returns what was left as in the base, in words.
pub fn write(base: &LoadedScenario, fit: &HallFit) -> Result<(String, Vec<String>), String> {
    let s: &Scenario = &base.scenario;
    let mut text = edit::set_name(&base.source, &format!("{}_fit", s.name))?;
    let mut kept = Vec::new();
    let set = |text: &mut String, key: &str, value: String, note: String| -> Result<(), String> {
        *text = edit::set_toml(text, key, &format!("{value}  # fitted: {note}"))?;
        Ok(())
    };
    // Demand the hall never sees (handled outside, Cixi's banks) is kept from
    // the base, so the tickets seen are scaled up by it.
    let seen_share: f64 = s.case_types.iter().map(|t| t.share * (1.0 - t.outside_share)).sum();
    let has_per_day = edit::get(&base.source, "arrivals.per_day").ok().flatten().is_some();
    if has_per_day && fit.days > 0 {
        let scale = 1.0 / seen_share.max(1e-9);
        let p = &fit.per_day;
        let note = format!("{} days, {:.1} tickets a day (95% {:.1} to {:.1})", fit.days, p.value, p.low, p.high);
        set(&mut text, "arrivals.per_day", format!("{}", r4(p.value * scale)), note)?;
    } else {
        kept.push("arrivals (the base does not give per_day)".to_string());
    }
    if let (ArrivalProcess::Poisson { segments }, Some(_)) = (&s.arrivals.process, s.hours())
        && segments.len() > 1
        && fit.profile.iter().map(|p| p.tickets).sum::<usize>() > 0
    {
        let shares = rounded_shares(&fit.profile.iter().map(|p| p.tickets as f64).collect::<Vec<_>>());
        let entries: Vec<String> = fit
            .profile
            .iter()
            .zip(&shares)
            .map(|(p, share)| format!("{{ from = \"{}\", to = \"{}\", share = {share} }}", clock(p.from), clock(p.to)))
            .collect();
        let note = format!("{} first-visit tickets", fit.first_visits);
        set(&mut text, "arrivals.profile", format!("[\n  {},\n]", entries.join(",\n  ")), note)?;
    }
    if s.hours().is_some() && fit.weekdays.len() == 5 && fit.weekdays.iter().all(|w| w.days > 0) {
        let factors: Vec<String> = fit.weekdays.iter().map(|w| format!("{}", r4(w.factor))).collect();
        let note = match &fit.weekday_test {
            Some(t) => {
                format!("Monday to Friday; weekdays differ: chi-square {:.1}, p = {:.3}", t.chi_square, t.p_value)
            }
            None => "Monday to Friday".into(),
        };
        set(&mut text, "arrivals.day_factors", format!("[{}]", factors.join(", ")), note)?;
    }
    // The mix, over the case types the records hold; others keep their share.
    let seen: Vec<(usize, f64, usize)> = s
        .case_types
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            let m = fit.mix.iter().find(|m| m.case_type == t.name)?;
            Some((i, m.visits as f64 / (1.0 - t.outside_share).max(1e-9), m.visits))
        })
        .collect();
    let unseen: f64 =
        s.case_types.iter().filter(|t| !fit.mix.iter().any(|m| m.case_type == t.name)).map(|t| t.share).sum();
    for t in s.case_types.iter().filter(|t| !fit.mix.iter().any(|m| m.case_type == t.name)) {
        kept.push(format!("case type {}: no records, its share and times as in the base", t.name));
    }
    if !seen.is_empty() && unseen < 1.0 {
        let shares = rounded_shares(&seen.iter().map(|x| x.1).collect::<Vec<_>>());
        for ((i, _, visits), share) in seen.iter().zip(shares) {
            let name = &s.case_types[*i].name;
            let share = ((share * (1.0 - unseen)) * 1e6).round() / 1e6;
            set(&mut text, &format!("case_type.{name}.share"), format!("{share}"), format!("{visits} visits"))?;
        }
    }
    for t in &s.case_types {
        for step in &t.route {
            let stage = &s.stages[step.stage].name;
            match fit.service.iter().find(|f| f.case_type == t.name && &f.stage == stage) {
                Some(f) => {
                    let note = format!(
                        "{} calls, {} by AIC, mean {:.2} min (95% {:.2} to {:.2}), KS {:.3}",
                        f.fit.n,
                        f.fit.chosen.name(),
                        f.fit.mean.value,
                        f.fit.mean.low,
                        f.fit.mean.high,
                        f.fit.ks_distance
                    );
                    set(&mut text, &format!("case_type.{}.service.{stage}", t.name), f.fit.chosen.toml(), note)?;
                }
                None => kept.push(format!("{} at {stage}: no calls, the base's service time", t.name)),
            }
        }
        if let Some(p) = fit.patience.iter().find(|p| p.case_type == t.name && p.left >= MIN_DEPARTURES) {
            let note = format!(
                "{} left, {} called (censored), mean {:.1} min (95% {:.1} to {:.1})",
                p.left, p.called, p.mean.value, p.mean.low, p.mean.high
            );
            let value = Family::Exponential { mean: p.mean.value }.toml();
            set(&mut text, &format!("case_type.{}.patience", t.name), value, note)?;
        }
    }
    for f in &fit.service {
        let on_route = s
            .case_types
            .iter()
            .any(|t| t.name == f.case_type && t.route.iter().any(|step| s.stages[step.stage].name == f.stage));
        if !on_route {
            kept.push(format!(
                "{} at {}: fitted from {} calls (fit.json) but not written: not a step of the type's route in the base (a practice's time, or a type or stage the base lacks)",
                f.case_type, f.stage, f.fit.n
            ));
        }
    }
    for p in fit.patience.iter().filter(|p| p.left < MIN_DEPARTURES) {
        kept.push(format!(
            "patience of {}: only {} left, fewer than {MIN_DEPARTURES}: not written",
            p.case_type, p.left
        ));
    }
    if fit.absent > 0 || edit::get(&base.source, "calling.absent_share").ok().flatten().is_some() {
        let a = &fit.absent_share;
        let note = format!("{} absent of the first calls (95% {:.4} to {:.4})", fit.absent, a.low, a.high);
        let value = format!("{}  # fitted: {note}", r4(a.value));
        text = match edit::set_toml(&text, "calling.absent_share", &value) {
            Ok(t) => t,
            // The base has no [calling] table.
            Err(_) => format!("{}\n[calling]\nabsent_share = {value}\n", text.trim_end()),
        };
    }
    Ok((without_stale_comments(&text), kept))
}

/// A fitted value's line keeps only its own comment: the base's comment on
/// that line described the value replaced.
fn without_stale_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        match line.find("# fitted:") {
            Some(at) => match line[at + 1..].find('#') {
                Some(stale) => {
                    out += line[..at + 1 + stale].trim_end();
                    if line.ends_with('\n') {
                        out.push('\n');
                    }
                }
                None => out += line,
            },
            None => out += line,
        }
    }
    out
}
