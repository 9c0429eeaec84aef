//! `report.html`: one self-contained page per run (charts inline, font
//! embedded, no script, no network) with the key figures, the charts and the
//! scenario's parameters, laid out for a laptop or a phone.

use super::charts::{Chart, FONT, FONT_BYTES, base64};
use super::comparison::{Facts, HeadlineFigure};
use super::labels::Labels;
use super::table;
use crate::experiment::RunResult;
use crate::experiment::compare::Comparison;
use crate::scenario::LoadedScenario;
use crate::scenario::model::{ArrivalProcess, Closing, Horizon, Scenario, clock};
use crate::stats::estimate::Estimate;
use crate::stats::kpi::{first_trip_key, within_target_key};

pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn card(value: &str, pm: &str, label: &str) -> String {
    format!(
        "<div class=\"card\"><div class=\"v\">{value}<span class=\"pm\">{pm}</span></div><div class=\"k\">{}</div></div>",
        esc(label)
    )
}

fn pct(e: &Estimate) -> (String, String) {
    let hw = if e.half_width.is_finite() { format!(" ± {:.1}", e.half_width * 100.0) } else { String::new() };
    (format!("{:.1}%", e.mean * 100.0), hw)
}

fn mins(e: &Estimate, unit: &str) -> (String, String) {
    let hw = if e.half_width.is_finite() { format!(" ± {:.1}", e.half_width) } else { String::new() };
    (format!("{:.1} {unit}", e.mean), hw)
}

/// Overtime summed over pools, estimated from per-replication sums.
pub fn total_overtime(r: &RunResult) -> Option<Estimate> {
    let cols: Vec<usize> =
        r.kpi_defs.iter().enumerate().filter(|(_, d)| d.key.ends_with(".overtime")).map(|(i, _)| i).collect();
    (!cols.is_empty()).then(|| Estimate::from_values(r.values.iter().map(|v| cols.iter().map(|&i| v[i]).sum())))
}

/// A chart as an inline `<figure>`, without its own copy of the font (the
/// page embeds it once); the SVG's viewBox lets the page's CSS scale it.
pub(crate) fn figure(c: &Chart) -> String {
    let svg = &c.svg;
    let body = match (svg.find('>'), svg.find("<defs><style>@font-face"), svg.find("</style></defs>")) {
        (Some(open), Some(_), Some(end)) => format!("{}{}", &svg[..=open], &svg[end + "</style></defs>".len()..]),
        _ => svg.clone(),
    };
    format!("<figure id=\"{}\">{body}</figure>\n", c.name)
}

/// A difference in its unit (a share's in percentage points), with enough
/// decimals to tell it from its interval's ends.
pub fn signed(x: f64, share: bool, l: &Labels) -> String {
    signed_within(x, x, share, l)
}

fn signed_within(x: f64, reach: f64, share: bool, l: &Labels) -> String {
    use super::charts::study::{decimals, signed_decimals};
    if !x.is_finite() {
        return "-".into();
    }
    let scale = if share { 100.0 } else { 1.0 };
    let text = signed_decimals(x * scale, decimals(reach.abs() * scale * 4.0).max(1));
    if share { format!("{text} {}", l.points) } else { text }
}

/// A paired difference with its 95% interval, marked when the interval excludes 0.
fn difference_cell(d: &Estimate, share: bool, l: &Labels) -> String {
    if d.is_zero() {
        return l.identical.to_string();
    }
    use super::charts::study::{decimals, signed_decimals};
    let scale = if share { 100.0 } else { 1.0 };
    let reach = d.low().abs().max(d.high().abs()) * scale;
    let f = |x: f64| if x.is_finite() { signed_decimals(x, decimals(reach * 4.0).max(1)) } else { "-".into() };
    let unit = if share { format!(" {}", l.points) } else { String::new() };
    let star = if d.excludes_zero() { " *" } else { "" };
    if d.half_width.is_finite() {
        format!("{}{unit} ({} {} {}){star}", f(d.mean * scale), f(d.low() * scale), l.to, f(d.high() * scale))
    } else {
        format!("{}{unit}", f(d.mean * scale))
    }
}

/// `report.html` of a comparison: the verdict, the paired differences of
/// the headline figures (chart and table), the hourly completion curves
/// overlaid, staff-hours per scenario, and what each file changes.
pub fn comparison_html(
    c: &Comparison,
    headline: &[HeadlineFigure],
    (results, facts): (&[&RunResult], &[Facts]),
    charts: &[Chart],
    base: &Scenario,
    l: &Labels,
) -> String {
    let names = &c.names;
    let verdict = super::verdict::compare_verdict(names, headline, results, facts, base, l);
    let mut rows = format!("<tr><th>{}</th><th>{}</th>", l.figure_column, esc(&names[0]));
    for n in &names[1..] {
        rows += &format!("<th>{} − {}</th>", esc(n), esc(&names[0]));
    }
    rows += "</tr>";
    for f in headline {
        let level = f.estimate(results[0]).filter(|e| e.mean.is_finite()).map_or("-".into(), |e| {
            if f.share {
                format!("{:.1}%", e.mean * 100.0)
            } else {
                format!("{:.1} {}", e.mean, f.unit).trim_end().to_string()
            }
        });
        rows += &format!("<tr><td>{}</td><td>{level}</td>", esc(f.label));
        for r in &results[1..] {
            let cell = f
                .paired_difference(results[0], r)
                .filter(|d| d.mean.is_finite())
                .map_or("-".into(), |d| difference_cell(&d, f.share, l));
            rows += &format!("<td>{cell}</td>");
        }
        rows += "</tr>";
    }
    let mut staff =
        format!("<tr><th>{}</th><th>{}</th><th>{}</th></tr>", l.scenario_column, l.staff_hours_per_day, l.cost_per_day);
    for (n, f) in names.iter().zip(facts) {
        staff += &format!("<tr><td>{}</td><td>{:.1}</td><td>{:.1}</td></tr>", esc(n), f.staff_hours, f.cost);
    }
    let mut changes = String::new();
    for (n, f) in names.iter().zip(facts).skip(1) {
        changes += &format!("<h3>{}</h3>", esc(&l.what_changed.replace("{name}", n).replace("{base}", &names[0])));
        if f.changes.is_empty() {
            changes += &format!("<p>{}</p>", l.nothing_changed);
            continue;
        }
        changes += &format!(
            "<div class=\"scroll\"><table><tr><th>{}</th><th>{}</th><th>{}</th></tr>",
            l.key_column,
            esc(&names[0]),
            esc(n)
        );
        for k in &f.changes {
            let v = |x: &Option<String>| x.as_deref().map_or("-".to_string(), esc);
            changes += &format!("<tr><td>{}</td><td>{}</td><td>{}</td></tr>", esc(&k.key), v(&k.base), v(&k.other));
        }
        changes += "</table></div>";
    }
    let figures: String = charts.iter().map(figure).collect();
    let body = format!(
        "<h1>{}: {}</h1>\n{}<h2>{}</h2>\n{figures}<div class=\"scroll\"><table>{rows}</table></div>\n<p class=\"meta\">* {}</p>\n<h2>{}</h2>\n<table>{staff}</table>\n{changes}\n",
        l.comparison_title,
        esc(&names.join(", ")),
        super::verdict::html(&verdict, l),
        l.differences_title.replace("{base}", &esc(&names[0])),
        l.real_note,
        l.staff_hours_per_day,
    );
    page(l, l.comparison_title, &body)
}

/// `report.html` of a sweep, a plan or a roster: the verdict, the charts,
/// the terminal's summary as text, and (for a plan or roster) every headline
/// figure before and after, those worse beyond the stated margin marked.
pub fn study_html(
    (heading, name): (&str, &str),
    verdict: &[super::verdict::Line],
    summary: &str,
    charts: &[Chart],
    changes: &[super::roster::Change],
    l: &Labels,
) -> String {
    let mut table = String::new();
    if !changes.is_empty() {
        table = format!(
            "<div class=\"scroll\"><table><tr><th>{}</th><th>{}</th><th>{}</th><th></th></tr>",
            l.figure_column, l.before_column, l.after_column
        );
        for c in changes {
            let v = |e: &Estimate| cell(Some(e), c.share);
            table += &format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&c.key),
                v(&c.before),
                v(&c.after),
                if c.worse { "▼" } else { "" }
            );
        }
        table += "</table></div>\n";
    }
    let figures: String = charts.iter().map(figure).collect();
    let body = format!(
        "<h1>{}: {}</h1>\n{}{figures}{table}<div class=\"scroll\"><pre>{}</pre></div>\n",
        heading,
        esc(name),
        super::verdict::html(verdict, l),
        esc(summary)
    );
    page(l, name, &body)
}

/// A cell: the estimate's mean as a percentage, or minutes; "-" where there is none.
fn cell(e: Option<&Estimate>, share: bool) -> String {
    match e.filter(|e| e.mean.is_finite()) {
        Some(e) if share => format!("{:.1}%", e.mean * 100.0),
        Some(e) => format!("{:.2}", e.mean),
        None => "-".into(),
    }
}

/// One row per case type (where there are several): the completion target,
/// the wait, the time to completion, and each stage on its route within budget.
fn by_case_type(sc: &Scenario, r: &RunResult, l: &Labels) -> String {
    let zh = l.lang == "zh";
    if sc.case_types.len() < 2 {
        return String::new();
    }
    let target = within_target_key(sc.completion_target);
    let mut head = format!(
        "<tr><th>{}</th><th>{}</th><th>{} ({})</th><th>{} ({})</th>",
        l.case_type, l.within_target_card, l.wait_mean_card, l.minutes, l.time_to_completion, l.minutes
    );
    for st in &sc.stages {
        head += &format!("<th>{} ≤ {:.0} {}</th>", esc(st.shown(zh)), st.budget, l.minutes);
    }
    let mut rows = head + "</tr>";
    for t in &sc.case_types {
        let p = format!("type.{}", t.name);
        rows += &format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
            esc(t.shown(zh)),
            cell(r.estimate(&format!("{p}.{target}")), true),
            cell(r.estimate(&format!("{p}.wait_mean")), false),
            cell(r.estimate(&format!("{p}.time_in_system_mean")), false)
        );
        for st in &sc.stages {
            rows += &format!("<td>{}</td>", cell(r.estimate(&format!("{p}.stage.{}.within_budget", st.name)), true));
        }
        rows += "</tr>";
    }
    format!("<h2>{}</h2>\n<div class=\"scroll\"><table>{rows}</table></div>\n", l.by_case_type)
}

/// One row per hall of a city (where there are several): arrivals, the wait,
/// and the most people in it at once.
fn by_hall(sc: &Scenario, r: &RunResult, l: &Labels) -> String {
    let zh = l.lang == "zh";
    if sc.sites.len() < 2 {
        return String::new();
    }
    let mut rows = format!(
        "<tr><th>{}</th><th>{}</th><th>{} ({})</th><th>{}</th></tr>",
        l.hall, l.arrivals_per_day, l.wait_mean_card, l.minutes, l.peak_present
    );
    for h in &sc.sites {
        let p = format!("site.{}", h.name);
        rows += &format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(h.shown(zh)),
            cell(r.estimate(&format!("{p}.arrived")), false),
            cell(r.estimate(&format!("{p}.wait_mean")), false),
            cell(r.estimate(&format!("{p}.present_max")), false)
        );
    }
    format!("<h2>{}</h2>\n<div class=\"scroll\"><table>{rows}</table></div>\n", l.by_hall)
}

/// A whole page: the shared head (font, styles) around `body`; well-formed
/// XML too (void elements closed), so XML tools can read it.
pub(crate) fn page(l: &Labels, title: &str, body: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{title}</title>
<style>
@font-face {{ font-family: "{FONT}"; src: url(data:font/otf;base64,{font}); }}
body {{ font-family: "{FONT}", sans-serif; margin: 0 auto; max-width: 1100px; padding: 16px; color: #222; background: #fafafa; }}
h1 {{ font-size: 1.6em; margin: 0.2em 0; }}
h2 {{ font-size: 1.2em; margin: 1.2em 0 0.4em; }}
.meta {{ color: #666; font-size: 0.9em; }}
.cards {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 12px; }}
.card {{ background: #fff; border: 1px solid #ddd; border-radius: 8px; padding: 12px; }}
.card .v {{ font-size: 1.7em; font-weight: bold; color: #1f67aa; }}
.card .pm {{ font-size: 0.55em; color: #666; font-weight: normal; }}
.card .k {{ color: #444; }}
figure {{ margin: 12px 0; background: #fff; border: 1px solid #ddd; border-radius: 8px; padding: 4px; }}
figure svg {{ width: 100%; height: auto; display: block; }}
table {{ border-collapse: collapse; margin: 8px 0; background: #fff; width: 100%; }}
th, td {{ border: 1px solid #ddd; padding: 4px 8px; text-align: left; }}
.scroll {{ overflow-x: auto; }}
#verdict ul {{ list-style: none; padding: 0; margin: 0; }}
#verdict li {{ background: #fff; border: 1px solid #ddd; border-left: 6px solid #999; border-radius: 4px; padding: 6px 10px; margin: 6px 0; line-height: 1.45; }}
#verdict li.met {{ border-left-color: #2e8540; }}
#verdict li.missed {{ border-left-color: #c0392b; }}
#verdict li.unsure {{ border-left-color: #e0a100; }}
#verdict li:first-child {{ font-weight: bold; }}
</style>
</head>
<body>
{body}</body>
</html>
"#,
        lang = if l.lang == "zh" { "zh-CN" } else { "en" },
        title = esc(title),
        font = base64(FONT_BYTES),
    )
}

pub fn report_html(s: &LoadedScenario, r: &RunResult, charts: &[Chart], l: &Labels) -> String {
    let zh = l.lang == "zh";
    let sc = &s.scenario;
    let mut cards = String::new();
    if let Some(e) = r.estimate(&within_target_key(sc.completion_target)) {
        let (v, pm) = pct(e);
        cards += &card(&v, &pm, &format!("{} ({:.0} {})", l.within_target_card, sc.completion_target, l.minutes));
    }
    if let Some(e) = r.estimate(&first_trip_key(sc.completion_target)) {
        let (v, pm) = pct(e);
        cards += &card(&v, &pm, &format!("{} ({:.0} {})", l.first_trip_card, sc.completion_target, l.minutes));
    }
    for (key, label) in [("wait_mean", l.wait_mean_card), ("wait_p90", l.wait_p90_card)] {
        if let Some(e) = r.estimate(key) {
            let (v, pm) = mins(e, l.minutes);
            cards += &card(&v, &pm, label);
        }
    }
    if let Some(e) = r.estimate("one_trip") {
        let (v, pm) = pct(e);
        cards += &card(&v, &pm, l.one_trip_card);
    }
    if let Some(e) = total_overtime(r) {
        let (v, pm) = mins(&e, "");
        cards += &card(v.trim(), &pm, l.overtime_card);
    }

    let figures: String = charts.iter().map(figure).collect();
    let every = every_figure(sc, r, l);
    let sections = by_case_type(sc, r, l) + &by_hall(sc, r, l);

    let mut params = String::new();
    if let Horizon::Days { days, hours } = sc.horizon {
        params += &format!(
            "<p>{}: {}–{} · {} {} · {} {}</p>",
            l.hall_hours,
            clock(hours.opens),
            clock(hours.last_ticket),
            l.staff_until,
            clock(hours.staff_until),
            days,
            l.days
        );
    }
    if let ArrivalProcess::Poisson { segments } = &sc.arrivals.process
        && sc.hours().is_some()
    {
        let per_day: f64 = segments.iter().map(|g| g.rate * (g.end - g.start)).sum();
        params += &format!("<p>{}: {:.0}</p>", l.arrivals_per_day, per_day);
    }
    let practices = practices(sc, l);
    if !practices.is_empty() {
        params += &format!("<p>{}: {}</p>", l.practices, esc(&practices.join(" · ")));
    }
    params += &format!("<table><tr><th>{}</th><th>{}</th></tr>", l.stage, l.budget);
    for st in &sc.stages {
        params += &format!("<tr><td>{}</td><td>{:.0} {}</td></tr>", esc(st.shown(zh)), st.budget, l.minutes);
    }
    params += &format!("</table><table><tr><th>{}</th><th>{}</th><th>{}</th></tr>", l.pool, l.count, l.serves);
    for p in &sc.pools {
        let serves: Vec<&str> = p.stages.iter().map(|&i| sc.stages[i].shown(zh)).collect();
        params +=
            &format!("<tr><td>{}</td><td>{}</td><td>{}</td></tr>", esc(p.shown(zh)), p.count, esc(&serves.join(", ")));
    }
    params += &format!(
        "</table><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        l.case_type, l.share, l.route, l.counts_toward_target
    );
    for t in &sc.case_types {
        let route: Vec<String> =
            t.route.iter().map(|st| format!("{} {:.1}", sc.stages[st.stage].shown(zh), st.service.mean())).collect();
        params += &format!(
            "<tr><td>{}</td><td>{:.0}%</td><td>{}</td><td>{}</td></tr>",
            esc(t.shown(zh)),
            t.share * 100.0,
            esc(&route.join(" → ")),
            if t.counts_toward_target { l.yes } else { l.no }
        );
    }
    params += "</table>";
    // Each table scrolls on its own on a narrow screen.
    let params = params.replace("<table>", "<div class=\"scroll\"><table>").replace("</table>", "</table></div>");

    let body = format!(
        r#"<h1>{title}: {name}</h1>
<p>{description}</p>
<p class="meta">{replications_label} {reps} · {seed_label} {seed} · {hash} · hallsim {version}</p>
{verdict}<h2>{key_figures}</h2>
<div class="cards">{cards}</div>
<p class="meta">{note}</p>
<h2>{charts_label}</h2>
{figures}{sections}<h2>{every_label}</h2>
{every}<h2>{parameters}</h2>
{params}
"#,
        title = l.report_title,
        verdict = super::verdict::html(&super::verdict::run_verdict(sc, r, l), l),
        name = esc(&sc.name),
        description = esc(&sc.description),
        replications_label = l.replications,
        reps = r.replications,
        seed_label = l.seed,
        seed = r.seed,
        hash = s.content_hash,
        version = env!("CARGO_PKG_VERSION"),
        key_figures = l.key_figures,
        note = l.interval_note,
        charts_label = l.charts,
        parameters = l.parameters,
        every_label = l.every_figure,
    );
    page(l, &format!("{} · {}", l.report_title, sc.name), &body)
}

/// Every scalar figure of the run with its interval, unit and meaning.
/// The Chinese name of a KPI key: its figure's name after the stage, pool,
/// case type or hall it belongs to (by their `label_zh`); None when unknown.
fn zh_name(sc: &Scenario, key: &str) -> Option<String> {
    let figure = |rest: &str| -> Option<String> {
        let number = rest.split(['_', '.']).find_map(|w| w.parse::<f64>().ok().map(|_| w.to_string()));
        let pattern = number.as_ref().map_or(rest.to_string(), |n| {
            rest.replacen(&format!("_{n}_"), "_{N}_", 1).replacen(&format!(".{n}."), ".{N}.", 1)
        });
        super::labels::ZH_FIGURES
            .iter()
            .find(|(k, _)| *k == pattern)
            .map(|(_, zh)| zh.replace("{N}", number.as_deref().unwrap_or("")))
    };
    let parts: Vec<&str> = key.splitn(3, '.').collect();
    let entity = |kind: &str, name: &str| -> Option<String> {
        match kind {
            "stage" => sc.stages.iter().find(|x| x.name == name).map(|x| x.label_zh.clone()),
            "pool" => sc.pools.iter().find(|x| x.name == name).map(|x| x.label_zh.clone()),
            "type" => sc.case_types.iter().find(|x| x.name == name).map(|x| x.label_zh.clone()),
            "site" => sc.sites.iter().find(|x| x.name == name).map(|x| x.label_zh.clone()),
            _ => None,
        }
    };
    match parts.as_slice() {
        [kind, name, rest] if *kind == "type" && rest.starts_with("stage.") => {
            let (_, stage_rest) = rest.split_once('.')?;
            let (stage, m) = stage_rest.split_once('.')?;
            Some(format!("{}·{}{}", entity("type", name)?, entity("stage", stage)?, figure(m)?))
        }
        [kind, name, rest] if ["stage", "pool", "type", "site"].contains(kind) => {
            Some(format!("{}{}", entity(kind, name)?, figure(rest)?))
        }
        _ => figure(key),
    }
}

fn every_figure(sc: &Scenario, r: &RunResult, l: &Labels) -> String {
    let mut out = format!(
        "<div class=\"scroll\"><table><tr><th>{}</th><th>{}</th><th>{}</th></tr>",
        l.figure_column, l.value_column, l.meaning_column
    );
    for (d, e) in r.kpi_defs.iter().zip(&r.estimates) {
        let (mean, hw) = table::value(d.unit, e);
        let unit = match l.unit(d.unit) {
            "" => String::new(),
            u => format!(" {u}"),
        };
        let name = match zh_name(sc, &d.key).filter(|_| l.lang == "zh") {
            Some(zh) => format!("{}<br /><span class=\"meta\">{}</span>", esc(&zh), esc(&d.key)),
            None => esc(&d.key),
        };
        out += &format!(
            "<tr><td>{}</td><td>{} {}{}</td><td>{}</td></tr>",
            name,
            mean,
            hw,
            esc(&unit),
            esc(&d.description)
        );
    }
    out + "</table></div>\n"
}

/// The practices the scenario switches on, each with its main figure.
fn practices(sc: &Scenario, l: &Labels) -> Vec<String> {
    let pct = |x: f64| format!("{:.0}%", x * 100.0);
    let mut out = Vec::new();
    if sc.hours().is_some() {
        out.push(if sc.closing == Closing::Hard { l.hard_close } else { l.extended_hours }.to_string());
    }
    if let Some(pr) = &sc.pre_review {
        out.push(format!("{} {}", l.pre_review, pct(pr.share)));
    }
    if let Some(d) = &sc.documents {
        let most = sc.case_types.iter().map(|t| t.problem_share).fold(0.0, f64::max);
        out.push(format!("{} {}", l.document_problems, pct(most)));
        if d.accept_missing {
            out.push(format!("{} {}", l.accept_missing, pct(d.accept_missing_share)));
        }
    }
    if sc.arrivals.green_channel_share > 0.0 {
        out.push(format!("{} {}", l.green_channel, pct(sc.arrivals.green_channel_share)));
    }
    if sc.appointments.is_some() {
        out.push(l.appointments.to_string());
    }
    if sc.case_types.iter().any(|t| t.outside_share > 0.0) {
        out.push(l.outside_hall.to_string());
    }
    if sc.case_types.iter().any(|t| t.route.iter().any(|s| s.parallel)) {
        out.push(l.parallel_steps.to_string());
    }
    if sc.case_types.iter().any(|t| t.route.iter().any(|s| s.later)) {
        out.push(l.later_day.to_string());
    }
    if !sc.sites.is_empty() {
        out.push(format!("{} {}", l.city_halls, sc.sites.len()));
    }
    out
}
