//! The command line: `hallsim run`, `compare`, `sweep`, `plan`, `merge`, `check`, `schema`.
//! Parses arguments, loads every scenario before any simulation starts, and
//! hands the work to the library; all printing happens here.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, Parser, Subcommand};

pub mod error;
mod fit;

use crate::cli::error::Error;
use crate::engine::Model;
use crate::experiment::{
    RunResult, compare, plan, replicate, roster, run_replications, run_replications_observed, shard, sweep, workload,
};
use crate::report::charts::{Chart, ChartData, ChartError, render_all, render_compare, render_xy, study};
use crate::report::labels::Lang;
use crate::report::write::{self, OutputDir};
use crate::report::{comparison, files, html, table, verdict};
use crate::scenario::{self, LoadedScenario, edit};
use crate::stats::kpi::within_target_key;

#[derive(Parser, Debug)]
#[command(name = "hallsim", version, about = "Discrete-event simulation of public service halls", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// How `plan --shifts` finds the staff needed per interval.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum RequirementArg {
    Simulated,
    ErlangC,
}

/// Options shared by the commands that simulate.
#[derive(Args, Debug, Clone)]
pub struct RunOptions {
    /// Replications per scenario, 1 to 1000000 [default: the (first) file's `simulation.replications`].
    #[arg(short, long, value_parser = clap::value_parser!(u32).range(1..=crate::scenario::schema::MAX_REPLICATIONS))]
    pub replications: Option<u32>,
    /// Master seed, 0 to 9223372036854775807 [default: the (first) file's `simulation.seed`].
    #[arg(short, long, value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    pub seed: Option<u64>,
    /// Worker threads [default: all cores].
    #[arg(short = 'j', long)]
    pub threads: Option<usize>,
    /// Output folder.
    #[arg(short, long, default_value = "outputs")]
    pub out: PathBuf,
    /// Language of charts and report.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    /// Write only the tables: no charts, no report.
    #[arg(long)]
    pub no_charts: bool,
    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
    /// Most people one replication may simulate; a scenario asking for more is refused before it runs.
    #[arg(long, default_value_t = 1e8)]
    pub max_people: f64,
    /// Most memory, in MB, for the people one replication holds at once; beyond it the run is refused.
    #[arg(long, default_value_t = 4096.0)]
    pub max_memory_mb: f64,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run scenarios and write their KPIs with 95% confidence intervals to OUT/<name>/.
    Run {
        /// Scenario files (TOML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Run only shard I of N of the replications and write OUT/<name>-shards/shard-I-of-N.json
        /// (combine the shards with `hallsim merge`).
        #[arg(long, value_name = "I/N")]
        shard: Option<String>,
        /// Also write visits.csv: every call and every wait that ended without one, of the
        /// replications listed (from 1: `1`, `1,3`, `2-4`), in the visit-record format that `fit` reads.
        #[arg(long, value_name = "REPS", conflicts_with = "shard")]
        trace: Option<String>,
        #[command(flatten)]
        options: RunOptions,
    },
    /// Fit a hall's arrivals, mix, service times, patience and absent share from its visit records
    /// (CSV), write the fitted scenario, and check a simulation of it against the records by hour.
    Fit {
        /// Visit records: `hallsim run --trace` output, or a queue-management export with --columns.
        records: PathBuf,
        /// The scenario whose hall, stages, staff and practices the fitted values go into;
        /// without it only fit.json and the report are written.
        #[arg(long, value_name = "FILE")]
        base: Option<PathBuf>,
        /// A TOML column map naming the export's columns and outcome words.
        #[arg(long, value_name = "MAP")]
        columns: Option<PathBuf>,
        /// Skip bad rows (counted in fit.json) instead of stopping at them.
        #[arg(long)]
        skip_bad: bool,
        #[command(flatten)]
        options: RunOptions,
    },
    /// Combine the shard files of a run into exactly what one run would have written.
    Merge {
        /// The scenario file the shards ran.
        file: PathBuf,
        /// The shard files, all N of them, in any order.
        #[arg(required = true)]
        shards: Vec<PathBuf>,
        #[command(flatten)]
        options: RunOptions,
    },
    /// Run scenarios with the same people (common random numbers) and compare each with the first.
    Compare {
        /// Scenario files; the first is the baseline.
        #[arg(required = true, num_args = 2..)]
        files: Vec<PathBuf>,
        /// Name of the comparison: its outputs go to OUT/<name>/.
        #[arg(long, default_value = "comparison")]
        name: String,
        #[command(flatten)]
        options: RunOptions,
    },
    /// Run a scenario over a grid of one or two numeric keys (all points with the same people).
    Sweep {
        /// The base scenario file.
        file: PathBuf,
        /// KEY=RANGE: `pool.accept_windows.count=30..40`, `arrivals.per_day=1800..2400:200`,
        /// `stage.accept.budget_minutes=15,20,25`. One or two keys.
        #[arg(long = "set", required = true)]
        set: Vec<String>,
        /// Run only shard I of N of the points and write OUT/<name>-sweep-shards/sweep-shard-I-of-N.json
        /// (combine the shards with `hallsim merge`).
        #[arg(long, value_name = "I/N")]
        shard: Option<String>,
        #[command(flatten)]
        options: RunOptions,
    },
    /// Find the staffing with the fewest staff-hours that meets every target with 95% confidence.
    Plan {
        /// The scenario file; its pools' counts are what the plan changes.
        file: PathBuf,
        /// KPI >= VALUE or KPI <= VALUE, as in "within_60_min >= 0.95" or "wait_p90 <= 15". Repeatable.
        #[arg(long = "target", required = true)]
        targets: Vec<String>,
        /// Plan staff on duty by the planning interval and the shifts that cover it, with the
        /// file's [[shift]] templates; writes OUT/<name>-roster/.
        #[arg(long)]
        shifts: bool,
        /// With --shifts, how the staff needed per interval is found: by simulation, or by
        /// Erlang C on each interval's offered load (the contact-centre method, for comparison): the
        /// highest `>=` target on a share (0.8 when none) waiting at most each stage's budget less its service.
        #[arg(long, value_enum, default_value = "simulated", requires = "shifts")]
        requirement: RequirementArg,
        #[command(flatten)]
        options: RunOptions,
    },
    /// Check scenario files and report every problem at once.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print the reference of every scenario key (Markdown).
    Schema,
}

/// Warns where a stage's offered load meets its staff: every stage and hour
/// (`check`), or the worst with a count (`run` and the others; not `quiet`).
fn warn_overloads(s: &scenario::Scenario, quiet: bool, every: bool) {
    let list = workload::overloads(s);
    if quiet || list.is_empty() {
        return;
    }
    let why = |o: &workload::Overload| match o.hour {
        None => "the queue grows without end",
        Some(_) if o.load >= o.staff => "the queue builds up in that hour",
        Some(_) => "close to capacity",
    };
    if every {
        for o in &list {
            eprintln!("warning: {}: {o}; {}", s.name, why(o));
        }
    } else if let Some(worst) = list.iter().max_by(|a, b| (a.load / a.staff).total_cmp(&(b.load / b.staff))) {
        let more = match list.len() - 1 {
            0 => String::new(),
            n => format!(" ({n} more stage-hours at 0.95 or above: `hallsim check` lists them)"),
        };
        eprintln!("warning: {}: {worst}; {}{more}", s.name, why(worst));
    }
}

/// Refuses, before any replication, a scenario that asks for more people or
/// memory than `o` allows; warns where its offered load meets its staff.
fn admit(s: &scenario::Scenario, o: &RunOptions) -> Result<(), Error> {
    warn_overloads(s, o.quiet, false);
    let limits = workload::Limits { arrivals: o.max_people, memory: o.max_memory_mb * 1e6 };
    workload::check(s, limits).map_err(Error::TooLarge)
}

/// Loads every file; all problems of all files are reported together.
fn load_all(paths: &[PathBuf]) -> Result<Vec<LoadedScenario>, Error> {
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    for p in paths {
        match scenario::load(p) {
            Ok(s) => ok.push(s),
            Err(e) => bad.push(e),
        }
    }
    if bad.is_empty() { Ok(ok) } else { Err(Error::Scenarios(bad)) }
}

fn unique_names(loaded: &[LoadedScenario], dir: &Path) -> Result<(), Error> {
    let mut names = std::collections::BTreeSet::new();
    for s in loaded {
        if !names.insert(s.scenario.name.clone()) {
            return Err(Error::Usage(format!(
                "two scenarios are named {:?}; their outputs would collide in {}: give each file a distinct `name`",
                s.scenario.name,
                dir.display()
            )));
        }
    }
    Ok(())
}

fn thread_pool(o: &RunOptions) -> Result<rayon::ThreadPool, Error> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = o.threads {
        if n == 0 {
            return Err(Error::Usage("--threads must be at least 1".into()));
        }
        builder = builder.num_threads(n);
    }
    builder.build().map_err(|e| Error::Usage(format!("cannot start worker threads: {e}")))
}

/// A progress bar on stderr for `total` replications; hidden with `--quiet`,
/// and (by indicatif) when stderr is not a terminal.
fn progress(o: &RunOptions, total: u64, what: &str) -> indicatif::ProgressBar {
    if o.quiet {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    let template = format!("{what} {{bar:40}} {{pos}}/{{len}} replications, {{eta}} left");
    if let Ok(style) = indicatif::ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar
}

/// A finished run of one scenario, with its wall time.
struct Finished {
    result: RunResult,
    seconds: f64,
}

fn simulate(pool: &rayon::ThreadPool, s: &LoadedScenario, seed: u64, reps: u32, o: &RunOptions) -> Finished {
    let started = Instant::now();
    let model = Model::new(s.scenario.clone());
    let bar = progress(o, u64::from(reps), &s.scenario.name);
    let result = pool.install(|| run_replications_observed(&model, seed, reps, &|| bar.inc(1)));
    bar.finish_and_clear();
    Finished { result, seconds: started.elapsed().as_secs_f64() }
}

impl RunOptions {
    fn seed_for(&self, s: &scenario::Scenario) -> u64 {
        self.seed.unwrap_or(s.seed)
    }

    fn replications_for(&self, s: &scenario::Scenario) -> u32 {
        self.replications.unwrap_or(s.replications)
    }
}

/// The set-up every simulating command shares, all before the first
/// replication: load the files (every problem of every file at once), refuse
/// what is too large or would collide, and start the worker threads.
fn prepare(files: &[PathBuf], o: &RunOptions) -> Result<(Vec<LoadedScenario>, rayon::ThreadPool), Error> {
    let loaded = load_all(files)?;
    loaded.iter().try_for_each(|s| admit(&s.scenario, o))?;
    unique_names(&loaded, &o.out)?;
    Ok((loaded, thread_pool(o)?))
}

/// The folder of one run's outputs.
fn run_dir(o: &RunOptions, s: &LoadedScenario) -> PathBuf {
    o.out.join(&s.scenario.name)
}

/// The folder of a command's shard files, beside its output folder (a merge
/// replaces the output folder whole, so the shards live apart from it).
fn shard_dir(o: &RunOptions, folder: &str) -> PathBuf {
    o.out.join(format!("{folder}-shards"))
}

/// Writes the tables of a run, then its charts and report, into `dir`.
fn write_run(dir: &OutputDir, s: &LoadedScenario, result: &RunResult, o: &RunOptions) -> Result<Vec<String>, Error> {
    let mut written = Vec::new();
    for (name, bytes) in files::all(s, result)? {
        dir.write(name, &bytes)?;
        written.push(name.to_string());
    }
    if !o.no_charts {
        written.extend(write_charts(dir, s, result, o.lang)?);
    }
    Ok(written)
}

/// Draws the charts and the report. A chart that cannot be drawn is a
/// warning (the tables are complete without it); a file that cannot be
/// written is an error. Returns what was written.
fn write_charts(dir: &OutputDir, s: &LoadedScenario, result: &RunResult, lang: Lang) -> Result<Vec<String>, Error> {
    let labels = lang.labels();
    let data = ChartData::new(&s.scenario, result, &files::reported_hours(s, result), lang == Lang::Zh);
    let mut charts = Vec::new();
    for chart in render_all(&data, labels) {
        charts.extend(write_chart(chart, dir)?);
    }
    let mut written = Vec::new();
    if !charts.is_empty() {
        written.push(format!("{} charts in charts/ (SVG and PNG)", charts.len()));
    }
    dir.write("report.html", html::report_html(s, result, &charts, labels).as_bytes())?;
    written.push("report.html".into());
    Ok(written)
}

/// Writes a value as one line of JSON.
fn write_json(path: &Path, value: &impl serde::Serialize) -> Result<(), Error> {
    let mut bytes = serde_json::to_vec(value)?;
    bytes.push(b'\n');
    Ok(write::write_atomic(path, &bytes)?)
}

/// Writes one chart as SVG and PNG into `charts/` of `dir`; a chart that
/// could not be drawn is a warning.
fn write_chart(chart: Result<Chart, ChartError>, dir: &OutputDir) -> Result<Option<Chart>, Error> {
    match chart {
        Ok(c) => {
            dir.write(&format!("charts/{}.svg", c.name), c.svg.as_bytes())?;
            dir.write(&format!("charts/{}.png", c.name), &c.png)?;
            Ok(Some(c))
        }
        Err(e) => {
            eprintln!("warning: chart {} failed: {}; the tables are complete", e.name, e.message);
            Ok(None)
        }
    }
}

/// The sweep chart: the target rate and the 90th-percentile wait against the first key.
fn sweep_chart(
    dir: &OutputDir,
    base: &LoadedScenario,
    axes: &[sweep::Axis],
    results: &[sweep::PointResult],
    lang: Lang,
) -> Result<(), Error> {
    let l = lang.labels();
    let target_key = within_target_key(base.scenario.completion_target);
    let panel = |key: &str, title: &str, share: bool, line: Option<(f64, String)>| {
        let mut curves: Vec<study::Curve> = Vec::new();
        for r in results {
            let label = if axes.len() > 1 { format!("{} = {}", axes[1].key, r.values[1]) } else { String::new() };
            let point = r.estimate(key).copied().map(|e| (r.values[0], e));
            match curves.iter_mut().find(|c| c.0 == label) {
                Some(c) => c.1.extend(point),
                None => curves.push((label, point.into_iter().collect())),
            }
        }
        study::XyPanel {
            title: title.to_string(),
            x_desc: axes[0].key.clone(),
            y_desc: if share { String::new() } else { l.unit("minutes").to_string() },
            hours: false,
            share,
            curves,
            line,
            scatter: false,
            mark: None,
        }
    };
    let keys: Vec<String> = axes.iter().map(|a| a.key.clone()).collect();
    let (verdict, marks) = verdict::sweep_verdict(&base.scenario, &keys, results, l);
    let required = base.scenario.required.completion;
    let mut within = panel(&target_key, l.within_target_card, true, Some((required, l.target.to_string())));
    within.mark = (marks.len() == 1).then(|| marks[0].clone());
    let panels = [within, panel("wait_p90", l.wait_p90_card, false, None)];
    let charts: Vec<Chart> = write_chart(render_xy("sweep", &panels, l), dir)?.into_iter().collect();
    let name = sweep_folder(base);
    let summary = crate::report::sweep::table(axes, results, &target_key);
    dir.write("report.html", html::study_html((l.sweep, &name), &verdict, &summary, &charts, &[], l).as_bytes())?;
    Ok(())
}

/// Writes a whole sweep folder: `sweep.csv`, `sweep.json` and its chart.
fn write_sweep(
    dir: OutputDir,
    base: &LoadedScenario,
    axes: &[sweep::Axis],
    (seed, reps): (u64, u32),
    results: &[sweep::PointResult],
    o: &RunOptions,
) -> Result<(), Error> {
    let (name, hash) = (&base.scenario.name, &base.content_hash);
    dir.write("sweep.csv", &crate::report::sweep::csv(name, hash, seed, reps, axes, results))?;
    dir.write("sweep.json", &crate::report::sweep::json(name, hash, seed, reps, axes, results)?)?;
    if !o.no_charts {
        sweep_chart(&dir, base, axes, results, o.lang)?;
    }
    Ok(dir.commit()?)
}

fn sweep_folder(base: &LoadedScenario) -> String {
    format!("{}-sweep", base.scenario.name)
}

/// Merges sweep shard files into `sweep.csv` and `sweep.json`.
fn merge_sweep(
    base: &LoadedScenario,
    named: Vec<(&Path, sweep::SweepShardFile)>,
    o: &RunOptions,
) -> Result<String, Error> {
    for (path, f) in &named {
        shard::check_version(&f.hallsim_version).map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
    }
    let first = &named[0].1;
    let (n, seed, reps, spec) = (first.shards, first.seed, first.replications, first.sweep.clone());
    let files: Vec<&sweep::SweepShardFile> = named.iter().map(|(_, f)| f).collect();
    if files.iter().any(|f| (f.shards, f.seed, f.replications, &f.sweep) != (n, seed, reps, &spec)) {
        return Err(Error::Usage(
            "the sweep shards come from different sweeps (keys, shard count, replications or seed differ)".into(),
        ));
    }
    let have: Vec<u32> = files.iter().map(|f| f.shard).collect();
    if have != (0..n).collect::<Vec<_>>() {
        return Err(Error::Usage(format!("expected sweep shards 0 to {} of {n} once each, got {have:?}", n - 1)));
    }
    let axes = spec.iter().map(|s| sweep::parse_axis(s)).collect::<Result<Vec<_>, _>>().map_err(Error::Usage)?;
    let points = sweep::points(&base.source, &base.file, &base.scenario.name, &axes)
        .map_err(|e| Error::Usage(format!("the sweep cannot be built:\n  {}", e.join("\n  "))))?;
    let stored: Vec<(&Path, &Vec<[Option<f64>; 6]>)> =
        named.iter().flat_map(|(path, f)| f.points.iter().map(move |p| (*path, p))).collect();
    if stored.len() != points.len() {
        return Err(Error::Usage(format!("the shards hold {} points; the sweep has {}", stored.len(), points.len())));
    }
    let mut results = Vec::new();
    for (p, (path, s)) in points.iter().zip(stored) {
        let kpi_defs = crate::stats::kpi::definitions(&p.scenario).0;
        if s.len() != kpi_defs.len() {
            return Err(Error::Usage(format!(
                "{}: the point {:?} holds {} KPIs; the scenario has {}",
                path.display(),
                p.values,
                s.len(),
                kpi_defs.len()
            )));
        }
        results.push(sweep::PointResult { values: p.values.clone(), kpi_defs, estimates: sweep::restore(s) });
    }
    let dir = OutputDir::create(&o.out.join(sweep_folder(base)))?;
    let shown = dir.path().display().to_string();
    write_sweep(dir, base, &axes, (seed, reps), &results, o)?;
    Ok(format!(
        "{}: merged {n} sweep shards, {} points; wrote {shown}/: sweep.csv, sweep.json",
        base.scenario.name,
        results.len(),
    ))
}

fn r_is_share(r: &RunResult, key: &str) -> bool {
    r.kpi_defs.iter().any(|d| d.key == key && d.unit == "share")
}

/// The unit of a KPI as an axis reads it (none for a share).
fn unit_of(r: &RunResult, key: &str, l: &crate::report::labels::Labels) -> String {
    r.kpi_defs.iter().find(|d| d.key == key).map_or("", |d| l.unit(d.unit)).to_string()
}

/// One panel per target: every staffing tried (staff-hours a day against the
/// target's figure), the target as a line and the plan marked.
fn frontier_panels(
    targets: &[plan::Target],
    tried: &[(f64, Vec<Option<crate::stats::estimate::Estimate>>)],
    chosen: f64,
    result: &RunResult,
    l: &crate::report::labels::Labels,
) -> Vec<study::XyPanel> {
    targets
        .iter()
        .enumerate()
        .map(|(i, t)| study::XyPanel {
            title: t.to_string(),
            x_desc: l.staff_hours_per_day.to_string(),
            y_desc: unit_of(result, &t.key, l),
            hours: false,
            share: r_is_share(result, &t.key),
            curves: vec![(String::new(), tried.iter().filter_map(|(h, e)| e[i].map(|e| (*h, e))).collect())],
            line: Some((t.value, l.target.to_string())),
            scatter: true,
            mark: Some((chosen, l.plan.to_string())),
        })
        .collect()
}

/// The plan as a table: pools before and after, then each target's estimate.
fn plan_table(s: &scenario::Scenario, targets: &[plan::Target], p: &plan::Plan) -> String {
    let r = &p.best.result;
    let mut out = format!("  {:<24} {:>8} {:>10} {:>8} {:>12}\n", "pool", "in file", "estimate", "plan", "utilization");
    for (i, pool) in s.pools.iter().enumerate() {
        let u = r.estimate(&format!("pool.{}.utilization", pool.name)).map_or(f64::NAN, |e| e.mean);
        out += &format!(
            "  {:<24} {:>8} {:>10} {:>8} {:>11.1}%\n",
            pool.name,
            pool.count,
            p.start[i],
            p.best.counts[i],
            u * 100.0
        );
    }
    let before: Vec<u32> = s.pools.iter().map(|p| p.count).collect();
    out += &format!(
        "  staff-hours a day: {:.1} in the file, {:.1} in the plan\n",
        plan::staff_hours(s, &before),
        p.best.staff_hours
    );
    let (claimed, heading) = match &p.confirmation {
        Some((conf_seed, conf)) => (
            &conf.result,
            format!(
                "on an independent seed ({conf_seed}; the search used another), {}",
                if p.confirmed { "every target met with 95% confidence" } else { "NOT every target met" }
            ),
        ),
        None => (r, "on the search seed (no staffing met every target, so nothing was confirmed)".to_string()),
    };
    out += &format!("  {heading}:\n");
    for t in targets {
        if let Some(e) = claimed.estimate(&t.key) {
            out += &format!("    {t}: {:.4} (95% interval {:.4} to {:.4})\n", e.mean, e.low(), e.high());
        }
    }
    out
}

fn plan_summary(
    s: &scenario::Scenario,
    targets: &[plan::Target],
    p: &plan::Plan,
    seed: u64,
    reps: u32,
) -> Result<String, serde_json::Error> {
    let estimates = |r: &RunResult| {
        targets
            .iter()
            .map(|t| {
                let e = r.estimate(&t.key);
                serde_json::json!({
                    "target": t.to_string(),
                    "mean": e.map(|e| e.mean),
                    "ci95_low": e.map(|e| e.low()),
                    "ci95_high": e.map(|e| e.high()),
                })
            })
            .collect::<Vec<_>>()
    };
    let doc = serde_json::json!({
        "hallsim_version": env!("CARGO_PKG_VERSION"),
        "scenario": s.name,
        "seed": seed,
        "replications": reps,
        "feasible": p.feasible,
        "confirmed": p.confirmed,
        "confirmation_seed": p.confirmation.as_ref().map(|c| c.0),
        "targets_on_confirmation_seed": p.confirmation.as_ref().map(|c| estimates(&c.1.result)),
        "targets_on_search_seed": estimates(&p.best.result),
        "staffings_tried": p.evaluations,
        "staff_hours_per_day": p.best.staff_hours,
        "pools": s.pools.iter().enumerate().map(|(i, pool)| serde_json::json!({
            "name": pool.name, "in_file": pool.count, "estimate": p.start[i], "plan": p.best.counts[i],
        })).collect::<Vec<_>>(),
    });
    Ok(format!("{}\n", serde_json::to_string_pretty(&doc)?))
}

/// Runs the command. An interrupt (Ctrl-C) removes every output folder still
/// being written and exits with 130; outputs already in place stay whole.
pub fn run(cli: Cli) -> Result<(), Error> {
    // Fails only if a handler is already set (the library called twice in one process).
    let _ = ctrlc::set_handler(|| write::abandon(130));
    match cli.command {
        Command::Check { files } => check(&files),
        Command::Schema => {
            let _ = std::io::stdout().write_all(scenario::schema::markdown().as_bytes());
            Ok(())
        }
        Command::Run { files, shard: Some(spec), options, .. } => run_shard(&files, &spec, &options),
        Command::Run { files, shard: None, trace, options } => run_files(&files, trace.as_deref(), &options),
        Command::Merge { file, shards, options } => merge(&file, &shards, &options),
        Command::Fit { records, base, columns, skip_bad, options } => {
            fit::run(&records, base.as_deref(), columns.as_deref(), skip_bad, &options)
        }
        Command::Sweep { file, set, shard, options } => run_sweep(&file, &set, shard.as_deref(), &options),
        Command::Plan { file, targets, shifts: true, requirement, options } => {
            run_roster(&file, &targets, requirement, &options)
        }
        Command::Plan { file, targets, shifts: false, options, .. } => run_plan(&file, &targets, &options),
        Command::Compare { files, name, options } => run_compare(&files, &name, &options),
    }
}

fn check(files: &[PathBuf]) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    for s in load_all(files)? {
        let sc = &s.scenario;
        warn_overloads(sc, false, true);
        let _ = writeln!(
            out,
            "{}: ok ({} stages, {} pools, {} case types)",
            s.file,
            sc.stages.len(),
            sc.pools.len(),
            sc.case_types.len()
        );
    }
    Ok(())
}

fn run_files(files: &[PathBuf], trace: Option<&str>, o: &RunOptions) -> Result<(), Error> {
    let (loaded, pool) = prepare(files, o)?;
    let traced: Vec<Vec<u64>> = loaded
        .iter()
        .map(|s| trace.map_or(Ok(Vec::new()), |t| parse_replications(t, o.replications_for(&s.scenario))))
        .collect::<Result<_, _>>()
        .map_err(Error::Usage)?;
    let dirs = loaded.iter().map(|s| OutputDir::create(&run_dir(o, s))).collect::<Result<Vec<_>, _>>()?;
    let mut out = std::io::stdout().lock();
    for ((s, dir), traced) in loaded.iter().zip(dirs).zip(traced) {
        let (seed, reps) = (o.seed_for(&s.scenario), o.replications_for(&s.scenario));
        let f = simulate(&pool, s, seed, reps, o);
        let mut written = write_run(&dir, s, &f.result, o)?;
        if !traced.is_empty() {
            let model = Model::new(s.scenario.clone());
            let records: Vec<(u64, Vec<_>)> = pool.install(|| {
                use rayon::prelude::*;
                traced.par_iter().map(|&r| (r, crate::engine::simulate_traced(&model, seed, r).1)).collect()
            });
            dir.write("visits.csv", &files::csv_of(crate::fit::records::rows(&s.scenario, &records)))?;
            written.push("visits.csv".into());
        }
        dir.commit()?;
        if !o.quiet {
            let title = format!(
                "{} — {} replications, seed {}, {:.3} s on {} threads, {:.1} M events/s",
                s.scenario.name,
                reps,
                seed,
                f.seconds,
                pool.current_num_threads(),
                f.result.events as f64 / f.seconds / 1e6
            );
            let _ = write!(out, "{}", table::render(&title, &f.result));
            let _ = writeln!(out, "  wrote {}/: {}\n", run_dir(o, s).display(), written.join(", "));
        }
    }
    Ok(())
}

/// Replications named from 1 (`1`, `1,3`, `2-4`) as 0-based indices, each
/// at most `reps`.
fn parse_replications(spec: &str, reps: u32) -> Result<Vec<u64>, String> {
    let mut out = Vec::new();
    for part in spec.split(',') {
        let bad = || format!("--trace {spec:?}: name replications from 1 to {reps}, as 1 or 1,3 or 2-4");
        let (a, b) = match part.trim().split_once('-') {
            Some((a, b)) => (a.trim().parse::<u32>().map_err(|_| bad())?, b.trim().parse::<u32>().map_err(|_| bad())?),
            None => {
                let a = part.trim().parse::<u32>().map_err(|_| bad())?;
                (a, a)
            }
        };
        if a < 1 || b < a || b > reps {
            return Err(bad());
        }
        out.extend((a..=b).map(|r| u64::from(r - 1)));
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

fn run_shard(files: &[PathBuf], spec: &str, o: &RunOptions) -> Result<(), Error> {
    let (i, n) = shard::parse_shard(spec).map_err(Error::Usage)?;
    let (loaded, pool) = prepare(files, o)?;
    for s in &loaded {
        write::check_writable(&shard_dir(o, &s.scenario.name))?;
    }
    let mut out = std::io::stdout().lock();
    for s in &loaded {
        let (seed, reps) = (o.seed_for(&s.scenario), o.replications_for(&s.scenario));
        let model = Model::new(s.scenario.clone());
        let range = shard::shard_range(i, n, reps);
        let bar = progress(o, range.end - range.start, &s.scenario.name);
        let part = pool.install(|| replicate::run_range(&model, seed, range.clone(), &|| bar.inc(1)));
        bar.finish_and_clear();
        let file = shard::ShardFile::new(&s.scenario.name, &s.content_hash, seed, reps, (i, n), &part);
        let path = shard_dir(o, &s.scenario.name).join(format!("shard-{i}-of-{n}.json"));
        write_json(&path, &file)?;
        if !o.quiet {
            let _ = writeln!(
                out,
                "{}: replications {range:?} of {reps} (seed {seed}); wrote {}",
                s.scenario.name,
                path.display()
            );
        }
    }
    Ok(())
}

fn merge(file: &Path, shards: &[PathBuf], o: &RunOptions) -> Result<(), Error> {
    let base = load_all(std::slice::from_ref(&file.to_path_buf()))?.remove(0);
    let mut texts = Vec::new();
    for path in shards {
        let text =
            std::fs::read(path).map_err(|e| Error::Usage(format!("cannot read shard {}: {e}", path.display())))?;
        let hash = serde_json::from_slice::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v.get("content_hash").and_then(|h| h.as_str().map(String::from)));
        if let Some(h) = hash.filter(|h| *h != base.content_hash) {
            return Err(Error::Usage(format!(
                "{} ran a scenario with content hash {h}, but {} has {}: merge shards with the file they ran",
                path.display(),
                base.file,
                base.content_hash
            )));
        }
        texts.push((path, text));
    }
    let mut out = std::io::stdout().lock();
    let sweeps: Vec<(&Path, sweep::SweepShardFile)> =
        texts.iter().filter_map(|(path, t)| serde_json::from_slice(t).ok().map(|f| (path.as_path(), f))).collect();
    if sweeps.len() == texts.len() {
        let mut files = sweeps;
        files.sort_by_key(|(_, f)| f.shard);
        let message = merge_sweep(&base, files, o)?;
        if !o.quiet {
            let _ = writeln!(out, "{message}");
        }
        return Ok(());
    }
    let (kpi_defs, hourly_defs) = crate::stats::kpi::definitions(&base.scenario);
    let mut parts: Vec<(u32, u32, u32, u64, replicate::Partial)> = Vec::new();
    for (path, text) in &texts {
        let f: shard::ShardFile = serde_json::from_slice(text)
            .map_err(|e| Error::Usage(format!("{}: not a shard file: {e}", path.display())))?;
        let (i, n, reps, seed) = (f.shard, f.shards, f.replications, f.seed);
        let part = f
            .into_partial(kpi_defs.len(), hourly_defs.len())
            .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
        parts.push((i, n, reps, seed, part));
    }
    parts.sort_by_key(|p| p.0);
    let (n, reps, seed) = (parts[0].1, parts[0].2, parts[0].3);
    if parts.iter().any(|p| (p.1, p.2, p.3) != (n, reps, seed)) {
        return Err(Error::Usage(
            "the shards come from different runs (shard count, replications or seed differ)".into(),
        ));
    }
    let have: Vec<u32> = parts.iter().map(|p| p.0).collect();
    if have != (0..n).collect::<Vec<_>>() {
        return Err(Error::Usage(format!("expected shards 0 to {} of {n} once each, got {have:?}", n - 1)));
    }
    let dir = OutputDir::create(&run_dir(o, &base))?;
    let model = Model::new(base.scenario.clone());
    let result = replicate::finish(&model, seed, parts.into_iter().map(|p| p.4).collect());
    let written = write_run(&dir, &base, &result, o)?;
    dir.commit()?;
    if !o.quiet {
        let _ = writeln!(out, "{}: merged {n} shards, {reps} replications (seed {seed})", base.scenario.name);
        let _ = writeln!(out, "  wrote {}/: {}", run_dir(o, &base).display(), written.join(", "));
    }
    Ok(())
}

fn run_sweep(file: &Path, set: &[String], shard: Option<&str>, o: &RunOptions) -> Result<(), Error> {
    if set.len() > 2 {
        return Err(Error::Usage(format!("sweep one or two keys at a time, got {}", set.len())));
    }
    let axes = set.iter().map(|s| sweep::parse_axis(s)).collect::<Result<Vec<_>, _>>().map_err(Error::Usage)?;
    if axes.len() == 2 && axes[0].key == axes[1].key {
        return Err(Error::Usage(format!("--set {} is given twice; sweep two different keys", axes[0].key)));
    }
    let base = load_all(std::slice::from_ref(&file.to_path_buf()))?.remove(0);
    let points = sweep::points(&base.source, &base.file, &base.scenario.name, &axes)
        .map_err(|e| Error::Usage(format!("the sweep cannot be built:\n  {}", e.join("\n  "))))?;
    let quiet = RunOptions { quiet: true, ..o.clone() };
    points.iter().try_for_each(|p| admit(&p.scenario, &quiet))?;
    let (shard_id, range) = match shard {
        Some(spec) => {
            let (id, r) = sweep::shard_points(spec, points.len()).map_err(Error::Usage)?;
            (Some(id), r)
        }
        None => (None, 0..points.len()),
    };
    let pool = thread_pool(o)?;
    let folder = sweep_folder(&base);
    let dir = match shard_id {
        Some(_) => {
            write::check_writable(&shard_dir(o, &folder))?;
            None
        }
        None => Some(OutputDir::create(&o.out.join(&folder))?),
    };
    let (seed, reps) = (o.seed_for(&base.scenario), o.replications_for(&base.scenario));
    let started = Instant::now();
    let models: Vec<Model> = points[range.clone()].iter().map(|p| Model::new(p.scenario.clone())).collect();
    let bar = progress(o, models.len() as u64 * u64::from(reps), &format!("{} points", models.len()));
    let results: Vec<RunResult> = pool.install(|| {
        use rayon::prelude::*;
        models.par_iter().map(|m| run_replications_observed(m, seed, reps, &|| bar.inc(1))).collect()
    });
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    let results: Vec<sweep::PointResult> = points[range.clone()]
        .iter()
        .zip(results)
        .map(|(p, r)| sweep::PointResult { values: p.values.clone(), kpi_defs: r.kpi_defs, estimates: r.estimates })
        .collect();
    let mut out = std::io::stdout().lock();
    let Some(dir) = dir else {
        let (i, n) = shard_id.expect("a sweep without an output folder is a shard");
        let f = sweep::SweepShardFile {
            hallsim_version: env!("CARGO_PKG_VERSION").into(),
            scenario: base.scenario.name.clone(),
            content_hash: base.content_hash.clone(),
            seed,
            replications: reps,
            sweep: set.to_vec(),
            shard: i,
            shards: n,
            first_point: range.start,
            points: results.iter().map(|p| sweep::store(&p.estimates)).collect(),
        };
        let path = shard_dir(o, &folder).join(format!("sweep-shard-{i}-of-{n}.json"));
        write_json(&path, &f)?;
        if !o.quiet {
            let _ =
                writeln!(out, "{}: points {range:?} of {}; wrote {}", base.scenario.name, points.len(), path.display());
        }
        return Ok(());
    };
    let shown = dir.path().display().to_string();
    write_sweep(dir, &base, &axes, (seed, reps), &results, o)?;
    if !o.quiet {
        let name = &base.scenario.name;
        let _ = writeln!(out, "{name}: {} points × {reps} replications (seed {seed}), {seconds:.2} s", points.len());
        let key = within_target_key(base.scenario.completion_target);
        let _ = write!(out, "{}", crate::report::sweep::table(&axes, &results, &key));
        let _ = writeln!(out, "  wrote {shown}/: sweep.csv, sweep.json");
    }
    Ok(())
}

fn run_plan(file: &Path, targets: &[String], o: &RunOptions) -> Result<(), Error> {
    let (loaded, pool) = prepare(std::slice::from_ref(&file.to_path_buf()), o)?;
    let base = &loaded[0];
    let sc = &base.scenario;
    let (seed, reps) = (o.seed_for(sc), o.replications_for(sc));
    let targets = parse_targets(sc, seed, targets)?;
    let name = format!("{}-plan", sc.name);
    let dir = OutputDir::create(&o.out.join(&name))?;
    let started = Instant::now();
    let spinner = if o.quiet { indicatif::ProgressBar::hidden() } else { indicatif::ProgressBar::new_spinner() };
    let tried = std::sync::atomic::AtomicUsize::new(0);
    let p = pool.install(|| {
        plan::plan(sc, &targets, seed, reps, &|counts| {
            let n = tried.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            spinner.set_message(format!("staffing {n} tried: {counts:?}"));
            spinner.tick();
        })
    });
    spinner.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    let mut text = edit::set_name(&base.source, &name).map_err(Error::Usage)?;
    for (pool_def, &c) in sc.pools.iter().zip(&p.best.counts) {
        text = edit::set(&text, &format!("pool.{}.count", pool_def.name), f64::from(c)).map_err(Error::Usage)?;
    }
    let plan_file = dir.path().join(format!("{name}.toml"));
    dir.write(&format!("{name}.toml"), text.as_bytes())?;
    dir.write("plan.json", plan_summary(sc, &targets, &p, seed, reps)?.as_bytes())?;
    let report = plan_table(sc, &targets, &p);
    if !o.no_charts {
        let l = o.lang.labels();
        let panels = frontier_panels(&targets, &p.tried, p.best.staff_hours, &p.best.result, l);
        let charts: Vec<Chart> = write_chart(render_xy("plan", &panels, l), &dir)?.into_iter().collect();
        // The file's staffing on the seed the plan is claimed on, for before and after.
        let (claim_seed, claimed) = p.confirmation.as_ref().map_or((seed, &p.best.result), |c| (c.0, &c.1.result));
        let before = pool.install(|| run_replications(&Model::new(sc.clone()), claim_seed, reps));
        let changes = crate::report::roster::headline_changes(sc, &before, claimed);
        let hours = (plan::staff_hours(sc, &sc.pools.iter().map(|p| p.count).collect::<Vec<_>>()), p.best.staff_hours);
        let verdict = verdict::plan_verdict(&targets, claimed, p.confirmed, hours, &changes, l);
        dir.write(
            "report.html",
            html::study_html((l.plan, &name), &verdict, &report, &charts, &changes, l).as_bytes(),
        )?;
    }
    dir.commit()?;
    if p.feasible && !p.confirmed {
        return Err(Error::Infeasible(format!(
            "the staffing chosen on seed {seed} missed a target on {} independent seeds; more replications (-r) \
             make the search's intervals narrower. Last staffing tried, written to {}:\n{report}",
            plan::CONFIRMATIONS,
            plan_file.display()
        )));
    }
    if !p.feasible {
        return Err(Error::Infeasible(format!(
            "no staffing the planner tried meets every target with 95% confidence ({} staffings, {seconds:.1} s).\n\
             Best found (smallest shortfall), written to {}:\n{report}",
            p.evaluations,
            plan_file.display()
        )));
    }
    if !o.quiet {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(
            out,
            "{}: plan meeting {} with 95% confidence on an independent seed; {} staffings tried, {reps} replications each (search seed {seed}), {seconds:.1} s",
            sc.name,
            targets.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(" and "),
            p.evaluations
        );
        let _ = write!(out, "{report}");
        let _ = writeln!(out, "  wrote {} and plan.json", plan_file.display());
    }
    Ok(())
}

fn run_compare(files: &[PathBuf], name: &str, o: &RunOptions) -> Result<(), Error> {
    if !scenario::validate::is_name(name) || name.starts_with('-') {
        return Err(Error::Usage(format!(
            "--name {name:?}: a comparison's name is a folder inside the output folder: 1 to {} letters, digits, '_' and '-', not starting with '-'",
            scenario::validate::MAX_NAME_LEN
        )));
    }
    let (loaded, pool) = prepare(files, o)?;
    let dir = OutputDir::create(&o.out.join(name))?;
    let (seed, reps) = (o.seed_for(&loaded[0].scenario), o.replications_for(&loaded[0].scenario));
    let runs: Vec<Finished> = loaded.iter().map(|s| simulate(&pool, s, seed, reps, o)).collect();
    let named: Vec<(String, &RunResult)> =
        loaded.iter().zip(&runs).map(|(s, f)| (s.scenario.name.clone(), &f.result)).collect();
    let c = compare::compare(&named).map_err(Error::Usage)?;
    let members: Vec<comparison::Member> = loaded
        .iter()
        .map(|s| {
            let counts: Vec<u32> = s.scenario.pools.iter().map(|p| p.count).collect();
            comparison::Member {
                name: s.scenario.name.clone(),
                file: s.file.clone(),
                content_hash: s.content_hash.clone(),
                staff_hours_per_day: plan::staff_hours(&s.scenario, &counts),
                cost_per_day: plan::staff_cost(&s.scenario, &counts),
            }
        })
        .collect();
    dir.write("comparison.csv", &comparison::csv(&c, &members, seed, reps))?;
    dir.write("comparison.json", &comparison::json(&c, &members, seed, reps)?)?;
    if !o.no_charts {
        let l = o.lang.labels();
        let base = &loaded[0].scenario;
        let headline = comparison::headline_figures(base, l);
        let panels = headline
            .iter()
            .map(|f| study::ComparePanel {
                title: match (f.share, f.unit) {
                    (true, _) => format!("{} ({})", f.label, l.points),
                    (false, "") => f.label.to_string(),
                    (false, unit) => format!("{} ({unit})", f.label),
                },
                share: f.share,
                differences: runs.iter().skip(1).map(|r| f.paired_difference(&runs[0].result, &r.result)).collect(),
            })
            .collect();
        let data = study::CompareData { names: c.names.clone(), panels };
        let mut charts = Vec::new();
        charts.extend(write_chart(render_compare(&data, l), &dir)?);
        let key = within_target_key(base.completion_target);
        let hours = files::reported_hours(&loaded[0], &runs[0].result);
        let curves = loaded
            .iter()
            .zip(&runs)
            .map(|(s, r)| {
                let j = r.result.hourly_defs.iter().position(|d| d.key == key);
                let points = j.map_or(Vec::new(), |j| {
                    hours
                        .iter()
                        .map(|&h| (h as f64 + 0.5, r.result.hourly[j][h]))
                        .filter(|(_, e)| e.mean.is_finite())
                        .collect()
                });
                (s.scenario.name.clone(), points)
            })
            .collect();
        let overlay = study::XyPanel {
            title: l.within_by_hour_title.to_string(),
            x_desc: l.hour_of_ticket.to_string(),
            y_desc: String::new(),
            hours: true,
            share: true,
            curves,
            line: Some((base.required.completion, l.target.to_string())),
            scatter: false,
            mark: None,
        };
        charts.extend(write_chart(render_xy("within_target_by_hour", &[overlay], l), &dir)?);
        let facts: Vec<comparison::Facts> = loaded
            .iter()
            .zip(&runs)
            .zip(&members)
            .map(|((s, r), m)| comparison::Facts {
                staff_hours: m.staff_hours_per_day,
                cost: m.cost_per_day,
                changes: comparison::changed_keys(&loaded[0].source, &s.source),
                within: r.result.estimate(&key).copied(),
            })
            .collect();
        let page = html::comparison_html(
            &c,
            &headline,
            (&runs.iter().map(|r| &r.result).collect::<Vec<_>>(), &facts),
            &charts,
            base,
            l,
        );
        dir.write("report.html", page.as_bytes())?;
    }
    let shown = dir.path().display().to_string();
    dir.commit()?;
    if !o.quiet {
        let seconds: f64 = runs.iter().map(|f| f.seconds).sum();
        let _ = writeln!(
            std::io::stdout(),
            "{} scenarios, the same {} replications each (seed {}), {:.2} s; paired differences from {}:",
            loaded.len(),
            reps,
            seed,
            seconds,
            loaded[0].scenario.name
        );
        let _ = write!(std::io::stdout(), "{}", comparison::table(&c));
        let width = members.iter().map(|m| m.name.len()).max().unwrap_or(0).max(8);
        let mut staff = format!("  {:<width$}  {:>17}  {:>10}\n", "scenario", "staff-hours a day", "cost a day");
        for m in &members {
            staff += &format!("  {:<width$}  {:>17.1}  {:>10.1}\n", m.name, m.staff_hours_per_day, m.cost_per_day);
        }
        let _ = write!(std::io::stdout(), "{staff}");
        let _ = writeln!(std::io::stdout(), "  wrote {shown}/: comparison.csv, comparison.json");
    }
    Ok(())
}

/// The targets of `plan`, checked against the KPIs the scenario has.
fn parse_targets(sc: &scenario::Scenario, seed: u64, targets: &[String]) -> Result<Vec<plan::Target>, Error> {
    let known: Vec<String> =
        run_replications(&Model::new(sc.clone()), seed, 1).kpi_defs.into_iter().map(|d| d.key).collect();
    targets.iter().map(|t| plan::parse_target(t, &known)).collect::<Result<Vec<_>, _>>().map_err(Error::Usage)
}

fn run_roster(file: &Path, targets: &[String], how: RequirementArg, o: &RunOptions) -> Result<(), Error> {
    let (loaded, pool) = prepare(std::slice::from_ref(&file.to_path_buf()), o)?;
    let base = &loaded[0];
    let sc = &base.scenario;
    if sc.planning.is_none() || sc.hours().is_none() {
        return Err(Error::Usage(format!(
            "{}: plan --shifts needs operating days and [[shift]] templates (see `hallsim schema`, [[shift]])",
            base.file
        )));
    }
    let (seed, reps) = (o.seed_for(sc), o.replications_for(sc));
    let targets = parse_targets(sc, seed, targets)?;
    let how = match how {
        RequirementArg::Simulated => roster::Requirement::Simulated,
        RequirementArg::ErlangC => roster::Requirement::ErlangC { share: roster::erlang_c_share(&targets) },
    };
    let name = format!("{}-roster", sc.name);
    let dir = OutputDir::create(&o.out.join(&name))?;
    let started = Instant::now();
    let spinner = if o.quiet { indicatif::ProgressBar::hidden() } else { indicatif::ProgressBar::new_spinner() };
    let found = pool.install(|| {
        roster::plan_roster(sc, &targets, seed, reps, how, &|n| {
            spinner.set_message(format!("{n} rosters and requirements simulated"));
            spinner.tick();
        })
    });
    spinner.finish_and_clear();
    let r = found.map_err(Error::Infeasible)?;
    let seconds = started.elapsed().as_secs_f64();
    // Today's staffing on the seed the roster is claimed on, for before and after.
    let claim_seed = r.confirmation.as_ref().map_or(seed, |c| c.0);
    let before = pool.install(|| run_replications(&Model::new(sc.clone()), claim_seed, reps));
    let after = r.confirmation.as_ref().map_or(&r.best.result, |c| &c.1.result);
    let before_hours = plan::staff_hours(sc, &sc.pools.iter().map(|p| p.count).collect::<Vec<_>>());
    let after_hours = plan::staff_hours(&r.scenario, &r.scenario.pools.iter().map(|p| p.count).collect::<Vec<_>>());
    let text = roster_toml(base, &r, &name)?;
    dir.write(&format!("{name}.toml"), text.as_bytes())?;
    dir.write("roster.csv", &crate::report::roster::roster_csv(&r, sc))?;
    dir.write("staffing_by_hour.csv", &crate::report::roster::staffing_csv(&r, sc, after))?;
    let changes = crate::report::roster::headline_changes(sc, &before, after);
    let json = crate::report::roster::plan_json(sc, &targets, &r, (seed, reps), (before_hours, after_hours), &changes)?;
    dir.write("plan.json", &json)?;
    let table = crate::report::roster::table(sc, &targets, &r, after, (before_hours, after_hours), &changes);
    if !o.no_charts {
        let l = o.lang.labels();
        let charts = [
            write_chart(render_xy("staffing_by_interval", &crate::report::roster::duty_panels(&r, sc, l), l), &dir)?,
            write_chart(render_xy("frontier", &frontier_panels(&targets, &r.tried, r.paid_hours, after, l), l), &dir)?,
        ];
        let charts: Vec<Chart> = charts.into_iter().flatten().collect();
        let verdict = verdict::plan_verdict(&targets, after, r.confirmed, (before_hours, after_hours), &changes, l);
        let page = html::study_html((l.plan, &name), &verdict, &table, &charts, &changes, l);
        dir.write("report.html", page.as_bytes())?;
    }
    dir.commit()?;
    let plan_file = o.out.join(&name).join(format!("{name}.toml"));
    if !r.confirmed {
        return Err(Error::Infeasible(format!(
            "the roster misses a target on its independent confirmation seed{}. Roster, written to {}:\n{table}",
            if how == roster::Requirement::Simulated {
                format!(
                    " (after {} tries; more replications, -r, make the search's intervals narrower)",
                    plan::CONFIRMATIONS
                )
            } else {
                " (the Erlang C requirement is not adjusted by simulation)".to_string()
            },
            plan_file.display()
        )));
    }
    if !o.quiet {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(
            out,
            "{}: roster by {}-minute interval meeting {} with 95% confidence on an independent seed; {} candidate{} simulated, {reps} replications each (search seed {seed}), {seconds:.1} s",
            sc.name,
            r.grid.interval,
            targets.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(" and "),
            r.evaluations,
            if r.evaluations == 1 { "" } else { "s" }
        );
        let _ = write!(out, "{table}");
        let _ = writeln!(
            out,
            "  wrote {}/: {name}.toml, roster.csv, staffing_by_hour.csv, plan.json{}",
            o.out.join(&name).display(),
            if o.no_charts { "" } else { ", 2 charts in charts/ (SVG and PNG), report.html" }
        );
    }
    Ok(())
}

/// The scenario file of a roster: the name, and each planned pool's count
/// and schedule (intervals of equal duty merged).
fn roster_toml(base: &LoadedScenario, r: &roster::Roster, name: &str) -> Result<String, Error> {
    let mut text = edit::set_name(&base.source, name).map_err(Error::Usage)?;
    for &p in &r.planned {
        let pool = &r.scenario.pools[p];
        let mut entries: Vec<(f64, f64, u32)> = Vec::new();
        for &(a, b, n) in &pool.schedule {
            match entries.last_mut() {
                Some(last) if last.2 == n && last.1 == a => last.1 = b,
                _ => entries.push((a, b, n)),
            }
        }
        let list: Vec<String> = entries
            .iter()
            .map(|&(a, b, n)| {
                format!(
                    "{{ from = \"{}\", to = \"{}\", count = {n} }}",
                    scenario::model::clock(a),
                    scenario::model::clock(b)
                )
            })
            .collect();
        let key = format!("pool.{}", pool.name);
        text = edit::set(&text, &format!("{key}.count"), f64::from(pool.count)).map_err(Error::Usage)?;
        text = edit::set_toml(&text, &format!("{key}.schedule"), &format!("[\n  {},\n]", list.join(",\n  ")))
            .map_err(Error::Usage)?;
    }
    Ok(text)
}
