//! The fit's report: what was fitted from how many records, how well each
//! service-time family fits, and where a simulation of the fitted scenario
//! agrees with the records by hour. Terminal table and `report.html`.

use super::charts::Chart;
use super::html::{esc, figure, page};
use super::labels::EN;
use crate::fit::check::{HourCheck, StageCheck};
use crate::fit::estimate::Interval;
use crate::fit::hall::HallFit;
use crate::scenario::model::clock;

fn iv(i: &Interval, d: usize) -> String {
    if i.low.is_finite() {
        format!("{:.d$} ({:.d$} to {:.d$})", i.value, i.low, i.high)
    } else {
        format!("{:.d$}", i.value)
    }
}

fn pct(i: &Interval) -> String {
    let p = |x: f64| x * 100.0;
    format!("{:.1}% ({:.1} to {:.1})", p(i.value), p(i.low), p(i.high))
}

/// How many hourly figures and stages differ, of how many.
fn differ_counts(validation: &[HourCheck], stages: &[StageCheck]) -> String {
    format!(
        "{} of {} hourly figures and {} of {} stages differ",
        validation.iter().filter(|c| c.differs).count(),
        validation.len(),
        stages.iter().filter(|c| c.differs).count(),
        stages.len()
    )
}

/// The hours and stages where the records and the simulation differ, in words.
fn disagreements(validation: &[HourCheck], stages: &[StageCheck]) -> Vec<String> {
    let hours = validation.iter().filter(|c| c.differs).map(|c| {
        let shown = |x: f64| match c.figure {
            "wait_mean" => format!("{x:.1} min"),
            "queue_mean" => format!("{x:.1} people"),
            _ => format!("{:.1}%", x * 100.0),
        };
        let (o, s) = (shown(c.observed.value), shown(c.simulated.value));
        format!("{:02}:00-{:02}:00 {}: records {o}, simulation {s}", c.hour, c.hour + 1, c.figure)
    });
    hours.chain(stages.iter().filter(|c| c.differs).map(stage_words)).collect()
}

/// The terminal's summary.
pub fn table(file: &str, f: &HallFit, validation: &[HourCheck], stages: &[StageCheck]) -> String {
    let mut out = format!(
        "{file}: {} rows ({} skipped), {} visits ({} first visits) on {} days\n",
        f.rows, f.rows_skipped, f.visits, f.first_visits, f.days
    );
    out += &format!("  tickets a day            {}\n", iv(&f.per_day, 1));
    if let Some(t) = &f.weekday_test {
        out += &format!(
            "  weekdays                 {} (chi-square {:.1}, {} df, p = {:.3})\n",
            if t.differ { "differ" } else { "do not differ at 5%" },
            t.chi_square,
            t.degrees_of_freedom,
            t.p_value
        );
    }
    out += &format!("  absent at the first call {}\n", pct(&f.absent_share));
    out += &format!("  {:<24} {:>7}  {}\n", "case type", "visits", "share (95%)");
    for m in &f.mix {
        out += &format!("  {:<24} {:>7}  {}\n", m.case_type, m.visits, pct(&m.share));
    }
    out += &format!(
        "  {:<24} {:<12} {:>6}  {:<13} {:>24}  {:>5}\n",
        "service", "stage", "n", "family", "mean min (95%)", "KS"
    );
    for s in &f.service {
        out += &format!(
            "  {:<24} {:<12} {:>6}  {:<13} {:>24}  {:.3}\n",
            s.case_type,
            s.stage,
            s.fit.n,
            s.fit.chosen.name(),
            iv(&s.fit.mean, 2),
            s.fit.ks_distance
        );
    }
    for p in &f.patience {
        out += &format!(
            "  patience {:<15} {} left, {} called: mean {} min\n",
            p.case_type,
            p.left,
            p.called,
            iv(&p.mean, 1)
        );
    }
    if !validation.is_empty() || !stages.is_empty() {
        out += &format!("  the fitted scenario against the records: {}\n", differ_counts(validation, stages));
        for d in disagreements(validation, stages) {
            out += &format!("    {d}\n");
        }
    }
    out
}

/// A stage whose share within budget differs, in words.
fn stage_words(c: &StageCheck) -> String {
    format!(
        "stage {} within its budget: records {:.1}%, simulation {:.1}%",
        c.stage,
        c.observed.value * 100.0,
        c.simulated.value * 100.0
    )
}

/// `report.html` of a fit.
pub fn html(
    file: &str,
    f: &HallFit,
    kept: &[String],
    (validation, stages): (&[HourCheck], &[StageCheck]),
    run: Option<(u64, u32)>,
    charts: &[Chart],
) -> String {
    let mut body = format!(
        "<h1>Fit of {}</h1>\n<p class=\"meta\">{} rows ({} skipped), {} visits ({} first visits) on {} days</p>\n",
        esc(file),
        f.rows,
        f.rows_skipped,
        f.visits,
        f.first_visits,
        f.days
    );
    body += "<section id=\"verdict\"><ul>";
    match run {
        Some((seed, reps)) => {
            body += &format!(
                "<li>The fitted scenario, simulated ({reps} replications, seed {seed}), against the records: {} beyond both 95% intervals and by more than 2 points of a share (10%, and at least 1, of another figure).</li>",
                differ_counts(validation, stages)
            );
            for d in disagreements(validation, stages) {
                body += &format!("<li class=\"missed\">{}</li>", esc(&d));
            }
        }
        None => body += "<li>No base scenario (--base): the fit is not simulated.</li>",
    }
    body += "</ul></section>\n";
    body += &format!("<h2>Arrivals</h2>\n<p>First-visit tickets a day: {}.", iv(&f.per_day, 1));
    if let Some(t) = &f.weekday_test {
        body += &format!(
            " Weekdays {} (chi-square {:.1}, {} degrees of freedom, p = {:.3}).",
            if t.differ { "differ" } else { "do not differ at the 5% level" },
            t.chi_square,
            t.degrees_of_freedom,
            t.p_value
        );
    }
    body += "</p>\n<div class=\"scroll\"><table><tr><th>weekday</th><th>days</th><th>tickets a day</th><th>factor</th></tr>";
    for w in &f.weekdays {
        body += &format!(
            "<tr><td>{}</td><td>{}</td><td>{:.1}</td><td>{:.3}</td></tr>",
            w.weekday, w.days, w.mean, w.factor
        );
    }
    body +=
        "</table></div>\n<div class=\"scroll\"><table><tr><th>interval</th><th>tickets</th><th>share (95%)</th></tr>";
    for p in &f.profile {
        body += &format!(
            "<tr><td>{}-{}</td><td>{}</td><td>{}</td></tr>",
            clock(p.from),
            clock(p.to),
            p.tickets,
            pct(&p.share)
        );
    }
    body += "</table></div>\n<h2>Case types</h2>\n<div class=\"scroll\"><table><tr><th>case type</th><th>visits</th><th>share (95%)</th></tr>";
    for m in &f.mix {
        body += &format!("<tr><td>{}</td><td>{}</td><td>{}</td></tr>", esc(&m.case_type), m.visits, pct(&m.share));
    }
    body += &format!(
        "</table></div>\n<p>Absent at the first call: {} ({} tickets).</p>\n<h2>Service times</h2>\n<p>Each family fitted by maximum likelihood; the lowest AIC is chosen. KS: the Kolmogorov-Smirnov distance of the chosen family from the sample (its p-value is conservative, the parameters coming from the same sample).</p>\n<div class=\"scroll\"><table><tr><th>case type</th><th>stage</th><th>calls</th><th>mean min (95%)</th><th>chosen</th><th>AIC of each family</th><th>KS</th><th>KS p</th></tr>",
        pct(&f.absent_share),
        f.absent
    );
    for s in &f.service {
        let aic: Vec<String> = s.fit.candidates.iter().map(|c| format!("{} {:.0}", c.family.name(), c.aic)).collect();
        body += &format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.3}</td><td>{:.3}</td></tr>",
            esc(&s.case_type),
            esc(&s.stage),
            s.fit.n,
            iv(&s.fit.mean, 2),
            esc(&s.fit.chosen.toml()),
            esc(&aic.join(", ")),
            s.fit.ks_distance,
            s.fit.ks_p_value
        );
    }
    body += "</table></div>\n";
    body += &charts.iter().map(figure).collect::<String>();
    if !f.patience.is_empty() {
        body += "<h2>Patience</h2>\n<div class=\"scroll\"><table><tr><th>case type</th><th>left</th><th>called (censored)</th><th>mean min (95%)</th></tr>";
        for p in &f.patience {
            body += &format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&p.case_type),
                p.left,
                p.called,
                iv(&p.mean, 1)
            );
        }
        body += "</table></div>\n";
    }
    body += "<h2>Staff busy by hour</h2>\n<p>Mean staff serving at each window (pool) per hour of the day, over the days seen; the most at once bounds the staff on duty from below.</p>\n<div class=\"scroll\"><table><tr><th>window</th><th>most at once</th>";
    let hours: Vec<usize> = (0..24).filter(|&h| f.windows.iter().any(|w| w.busy[h] > 0.0)).collect();
    for h in &hours {
        body += &format!("<th>{h:02}</th>");
    }
    body += "</tr>";
    for w in &f.windows {
        body += &format!("<tr><td>{}</td><td>{}</td>", esc(&w.window), w.most_at_once);
        for &h in &hours {
            body += &format!("<td>{:.1}</td>", w.busy[h]);
        }
        body += "</tr>";
    }
    body += "</table></div>\n";
    if !validation.is_empty() {
        body += "<h2>Records against the fitted scenario, by hour of ticket</h2>\n<div class=\"scroll\"><table><tr><th>hour</th><th>figure</th><th>records (95%)</th><th>simulation (95%)</th><th>differ</th></tr>";
        for c in validation {
            let (o, s) = if c.figure == "within_target" {
                (pct(&c.observed), pct(&c.simulated))
            } else {
                (iv(&c.observed, 1), iv(&c.simulated, 1))
            };
            body += &format!(
                "<tr><td>{:02}:00</td><td>{}</td><td>{o}</td><td>{s}</td><td>{}</td></tr>",
                c.hour,
                c.figure,
                if c.differs { "yes" } else { "" }
            );
        }
        body += "</table></div>\n";
    }
    if !stages.is_empty() {
        body += "<h2>Records against the fitted scenario, by stage</h2>\n<div class=\"scroll\"><table><tr><th>stage</th><th>calls</th><th>within budget, records (95%)</th><th>simulation (95%)</th><th>differ</th></tr>";
        for c in stages {
            body += &format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&c.stage),
                c.calls,
                pct(&c.observed),
                pct(&c.simulated),
                if c.differs { "yes" } else { "" }
            );
        }
        body += "</table></div>\n";
    }
    if !kept.is_empty() {
        body += "<h2>Kept from the base</h2>\n<ul>";
        for k in kept {
            body += &format!("<li>{}</li>", esc(k));
        }
        body += "</ul>\n";
    }
    page(&EN, "hallsim fit", &body)
}
