//! The command line: `hallsim run`, `hallsim check`, `hallsim schema`.
//! Parses arguments, loads every scenario before any simulation starts, and
//! hands the work to the library; all printing happens here.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use clap::{Parser, Subcommand};

use crate::engine::Model;
use crate::error::Error;
use crate::experiment::run_replications;
use crate::report::charts::{ChartData, render_all};
use crate::report::labels::Lang;
use crate::report::{files, html, table, write};
use crate::scenario::{self, LoadedScenario};

#[derive(Parser, Debug)]
#[command(name = "hallsim", version, about = "Discrete-event simulation of public service halls", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run scenarios and write their KPIs with 95% confidence intervals.
    Run {
        /// Scenario files (TOML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Replications per scenario [default: the file's `simulation.replications`].
        #[arg(short, long)]
        replications: Option<u32>,
        /// Master seed [default: the file's `simulation.seed`].
        #[arg(short, long)]
        seed: Option<u64>,
        /// Worker threads [default: all cores].
        #[arg(short = 'j', long)]
        threads: Option<usize>,
        /// Output folder; each scenario writes to DIR/<scenario name>/.
        #[arg(short, long, default_value = "outputs")]
        out: PathBuf,
        /// Language of charts and report.
        #[arg(long, value_enum, default_value_t = Lang::En)]
        lang: Lang,
        /// Write only the tables: no charts, no report.
        #[arg(long)]
        no_charts: bool,
        /// Print nothing but errors.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Check scenario files and report every problem at once.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print the reference of every scenario key (Markdown).
    Schema,
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

/// Writes the charts and the report; every failure is a warning on stderr,
/// never an error, since the tables are already on disk. Returns what was written.
fn write_charts(
    s: &LoadedScenario,
    result: &crate::experiment::RunResult,
    lang: Lang,
    target: &std::path::Path,
) -> Vec<String> {
    let labels = lang.labels();
    let data = ChartData::new(&s.scenario, result, &files::reported_hours(s, result));
    let mut charts = Vec::new();
    let mut drawn = 0;
    let mut written = Vec::new();
    for outcome in render_all(&data, labels) {
        match outcome {
            Ok(c) => {
                let mut ok = true;
                for (ext, bytes) in [("svg", c.svg.as_bytes()), ("png", c.png.as_slice())] {
                    let path = target.join("charts").join(format!("{}.{ext}", c.name));
                    if let Err(e) = write::write_atomic(&path, bytes) {
                        eprintln!("warning: chart {} not written: {e}", c.name);
                        ok = false;
                    }
                }
                drawn += usize::from(ok);
                charts.push(c);
            }
            Err(e) => eprintln!("warning: chart {} failed: {}; the tables are complete", e.name, e.message),
        }
    }
    if drawn > 0 {
        written.push(format!("{drawn} charts in charts/ (SVG and PNG)"));
    }
    let page = html::report_html(s, result, &charts, labels);
    match write::write_atomic(&target.join("report.html"), page.as_bytes()) {
        Ok(()) => written.push("report.html".into()),
        Err(e) => eprintln!("warning: report not written: {e}"),
    }
    written
}

pub fn run(cli: Cli) -> Result<(), Error> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match cli.command {
        Command::Check { files } => {
            let loaded = load_all(&files)?;
            for s in loaded {
                let _ = writeln!(
                    out,
                    "{}: ok ({} stages, {} pools, {} case types)",
                    s.file,
                    s.scenario.stages.len(),
                    s.scenario.pools.len(),
                    s.scenario.case_types.len()
                );
            }
            Ok(())
        }
        Command::Schema => {
            let _ = out.write_all(scenario::schema::markdown().as_bytes());
            Ok(())
        }
        Command::Run { files, replications, seed, threads, out: dir, lang, no_charts, quiet } => {
            let loaded = load_all(&files)?;
            let mut names = std::collections::BTreeSet::new();
            for s in &loaded {
                if !names.insert(s.scenario.name.clone()) {
                    return Err(Error::Usage(format!(
                        "two scenarios are named {:?}; their outputs would collide in {}: give each file a distinct `name`",
                        s.scenario.name,
                        dir.display()
                    )));
                }
            }
            if replications == Some(0) {
                return Err(Error::Usage("--replications must be at least 1".into()));
            }
            write::check_writable(&dir)?;
            let mut builder = rayon::ThreadPoolBuilder::new();
            if let Some(n) = threads {
                if n == 0 {
                    return Err(Error::Usage("--threads must be at least 1".into()));
                }
                builder = builder.num_threads(n);
            }
            let pool = builder.build().map_err(|e| Error::Usage(format!("cannot start worker threads: {e}")))?;
            for s in loaded {
                let reps = replications.unwrap_or(s.scenario.replications);
                let seed = seed.unwrap_or(s.scenario.seed);
                let started = Instant::now();
                let model = Model::new(s.scenario.clone());
                let result = pool.install(|| run_replications(&model, seed, reps));
                let elapsed = started.elapsed().as_secs_f64();
                let target = dir.join(&s.scenario.name);
                let mut written = Vec::new();
                for (name, bytes) in files::all(&s, &result) {
                    write::write_atomic(&target.join(name), &bytes)?;
                    written.push(name.to_string());
                }
                if !no_charts {
                    written.extend(write_charts(&s, &result, lang, &target));
                }
                if !quiet {
                    let title = format!(
                        "{} — {} replications, seed {}, {:.3} s on {} threads, {:.1} M events/s",
                        s.scenario.name,
                        reps,
                        seed,
                        elapsed,
                        pool.current_num_threads(),
                        result.events as f64 / elapsed / 1e6
                    );
                    let _ = write!(out, "{}", table::render(&title, &result));
                    let _ = writeln!(out, "  wrote {}/: {}\n", target.display(), written.join(", "));
                }
            }
            Ok(())
        }
    }
}
