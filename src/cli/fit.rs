//! `hallsim fit`: a hall's inputs from its visit records, the fitted
//! scenario, and a simulation of it checked against the records by hour.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use super::{RunOptions, admit, simulate, thread_pool, write_chart};
use crate::cli::error::Error;
use crate::fit::check::{HourCheck, StageCheck, check_by_hour, check_stages};
use crate::fit::hall::{self, HallFit};
use crate::fit::records::{self, ColumnMap};
use crate::fit::{scenario_file, standalone};
use crate::report::charts::fit_quality::{FitChart, FitPanel};
use crate::report::charts::{Chart, render_fit};
use crate::report::files::pretty_json;
use crate::report::labels::EN;
use crate::report::write::OutputDir;
use crate::scenario::{self, LoadedScenario};
use crate::stats::kpi::within_target_key;

#[derive(Serialize)]
struct FitJson<'a> {
    hallsim_version: &'static str,
    records: String,
    base: Option<&'a str>,
    seed: Option<u64>,
    replications: Option<u32>,
    #[serde(flatten)]
    fit: &'a HallFit,
    kept_from_base: &'a [String],
    bad_rows: Vec<String>,
    validation: &'a [HourCheck],
    validation_by_stage: &'a [StageCheck],
}

/// One chart per case type: each stage's histogram against its fitted
/// density, and its Q-Q plot.
fn service_charts(fit: &HallFit, dir: &OutputDir) -> Result<Vec<Chart>, Error> {
    let mut types: Vec<&str> = fit.service.iter().map(|s| s.case_type.as_str()).collect();
    types.dedup();
    let mut charts = Vec::new();
    for t in types {
        let panels = fit
            .service
            .iter()
            .filter(|s| s.case_type == t)
            .map(|s| FitPanel { stage: s.stage.clone(), family: s.fit.chosen, sample: s.sample.clone() })
            .collect();
        let data = FitChart { title: format!("{t}: service times, records against the fitted family"), panels };
        charts.extend(write_chart(render_fit(&format!("service_{t}"), &data, &EN), dir)?);
    }
    Ok(charts)
}

pub fn run(
    path: &Path,
    base: Option<&Path>,
    columns: Option<&Path>,
    skip_bad: bool,
    o: &RunOptions,
) -> Result<(), Error> {
    let shown = path.display().to_string();
    let map = match columns {
        Some(c) => {
            let text = std::fs::read_to_string(c).map_err(|e| Error::Records(vec![format!("{}: {e}", c.display())]))?;
            ColumnMap::parse(&text, &c.display().to_string()).map_err(|m| Error::Records(vec![m]))?
        }
        None => ColumnMap::default(),
    };
    let bytes = std::fs::read(path).map_err(|e| Error::Records(vec![format!("{shown}: {e}")]))?;
    let records = records::read(&bytes, &map).map_err(|m| Error::Records(vec![format!("{shown}:{m}")]))?;
    let bad: Vec<String> = records.bad.iter().map(|b| format!("{shown}:{}: {}", b.line, b.message)).collect();
    if !bad.is_empty() && !skip_bad {
        let mut lines = bad;
        lines.push(format!(
            "{} bad rows of {}; --skip-bad fits the rest",
            records.bad.len(),
            records.bad.len() + records.visits.len()
        ));
        return Err(Error::Records(lines));
    }
    if records.visits.is_empty() {
        return Err(Error::Records(vec![format!("{shown}: no rows to fit")]));
    }
    let base: Option<LoadedScenario> = match base {
        Some(b) => Some(scenario::load(b).map_err(|e| Error::Scenarios(vec![e]))?),
        None => None,
    };
    let fit = hall::fit(&records, base.as_ref().map(|b| &b.scenario));
    // The records file's stem as a scenario name (letters, digits, `_`, `-`).
    let stem: String = path
        .file_stem()
        .map_or("records".into(), |s| s.to_string_lossy().to_string())
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
        .take(90)
        .collect();
    let name = base.as_ref().map_or(stem, |b| b.scenario.name.clone());
    let out_dir = o.out.join(format!("{name}-fit"));
    let dir = OutputDir::create(&out_dir)?;
    let mut written = vec!["fit.json".to_string(), "report.html".to_string()];
    let mut kept = Vec::new();
    let mut validation = Vec::new();
    let mut by_stage = Vec::new();
    let mut run_facts = None;
    let file = format!("{name}_fit.toml");
    let (text, fitted) = match &base {
        Some(b) => {
            let (text, left) = scenario_file::write(b, &fit).map_err(Error::Usage)?;
            kept = left;
            let fitted =
                scenario::parse(&text, &file, &format!("{name}_fit")).map_err(|e| Error::Scenarios(vec![e]))?;
            (text, Some(fitted))
        }
        None => {
            let text = standalone::write(&format!("{name}_fit"), &records, &fit);
            let fitted = match scenario::parse(&text, &file, &format!("{name}_fit")) {
                Ok(s) => Some(s),
                Err(e) => {
                    eprintln!("warning: the scenario from the records alone is written but does not check:\n{e}");
                    None
                }
            };
            (text, fitted)
        }
    };
    dir.write(&file, text.as_bytes())?;
    written.push(file.clone());
    if let Some(fitted) = fitted {
        admit(&fitted, o)?;
        let loaded = LoadedScenario {
            content_hash: scenario::content_hash(text.as_bytes()),
            file: out_dir.join(&file).display().to_string(),
            source: text,
            scenario: fitted,
        };
        let (seed, reps) = (o.seed_for(&loaded.scenario), o.replications_for(&loaded.scenario));
        let pool = thread_pool(o)?;
        let f = simulate(&pool, &loaded, seed, reps, o);
        validation = check_by_hour(&fit, &f.result, &within_target_key(loaded.scenario.completion_target));
        by_stage = check_stages(&records, &loaded.scenario, &f.result);
        run_facts = Some((seed, reps));
    }
    let doc = FitJson {
        hallsim_version: env!("CARGO_PKG_VERSION"),
        records: shown.clone(),
        base: base.as_ref().map(|b| b.file.as_str()),
        seed: run_facts.map(|r| r.0),
        replications: run_facts.map(|r| r.1),
        fit: &fit,
        kept_from_base: &kept,
        bad_rows: records.bad.iter().map(|b| format!("{shown}:{}: {}", b.line, b.message)).collect(),
        validation: &validation,
        validation_by_stage: &by_stage,
    };
    dir.write("fit.json", &pretty_json(&doc)?)?;
    let mut charts = Vec::new();
    if !o.no_charts {
        charts = service_charts(&fit, &dir)?;
        if !charts.is_empty() {
            written.push(format!("{} charts in charts/ (SVG and PNG)", charts.len()));
        }
    }
    let page = crate::report::fit::html(&shown, &fit, &kept, (&validation, &by_stage), run_facts, &charts);
    dir.write("report.html", page.as_bytes())?;
    dir.commit()?;
    if !o.quiet {
        let mut out = std::io::stdout().lock();
        let _ = write!(out, "{}", crate::report::fit::table(&shown, &fit, &validation, &by_stage));
        let _ = writeln!(out, "  wrote {}/: {}", out_dir.display(), written.join(", "));
    }
    Ok(())
}
