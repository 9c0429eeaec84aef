//! Helpers shared by the integration tests.

use hallsim::engine::Model;
use hallsim::experiment::{RunResult, run_replications};
use hallsim::scenario;
use hallsim::stats::estimate::Estimate;

/// Parses a scenario given as TOML text; panics with the rendered problems.
pub fn model(toml: &str) -> Model {
    match scenario::parse(toml, "test.toml", "test") {
        Ok(s) => Model::new(s),
        Err(e) => panic!("test scenario is invalid:\n{e}"),
    }
}

pub fn run(toml: &str, seed: u64, replications: u32) -> RunResult {
    run_replications(&model(toml), seed, replications)
}

/// Per-replication values of one KPI.
pub fn column(r: &RunResult, key: &str) -> Vec<f64> {
    let i = r.kpi_defs.iter().position(|d| d.key == key).unwrap_or_else(|| panic!("no KPI {key}"));
    r.values.iter().map(|v| v[i]).collect()
}

/// The mean of one KPI over a run's replications.
pub fn value(r: &RunResult, key: &str) -> f64 {
    r.estimate(key).unwrap_or_else(|| panic!("no KPI {key}")).mean
}

/// Asserts a hand-computed value, to rounding.
pub fn assert_exact(r: &RunResult, key: &str, exact: f64) {
    let got = value(r, key);
    assert!((got - exact).abs() < 1e-9, "{key}: got {got}, expected {exact}");
}

/// Confidence level of the theory checks: 99%, so that the dozen checks of
/// this suite together have a small chance of a false alarm.
pub const LEVEL: f64 = 0.99;

/// Asserts that the exact value lies in the run's confidence interval for `key`.
pub fn assert_covers(r: &RunResult, key: &str, exact: f64) {
    let e = Estimate::with_level(column(r, key), LEVEL);
    assert!(
        e.covers(exact),
        "{key}: exact {exact:.5} outside the {:.0}% interval {:.5} ± {:.5} (n = {})",
        LEVEL * 100.0,
        e.mean,
        e.half_width,
        e.n
    );
}

pub use hallsim::stats::queueing::erlang_c;

/// Mean wait in queue of M/M/c, minutes.
pub fn mmc_wq(c: u32, lambda: f64, mean_service: f64) -> f64 {
    let mu = 1.0 / mean_service;
    erlang_c(c, lambda / mu) / (f64::from(c) * mu - lambda)
}

/// A single-stage continuous scenario: `rate` arrivals a minute, `servers`
/// servers, the given service distribution (TOML inline table).
pub fn single_stage(rate: f64, servers: u32, service: &str, horizon: f64, warmup: f64) -> String {
    format!(
        r#"
[simulation]
horizon_minutes = {horizon}
warmup_minutes = {warmup}
[arrivals]
rate_per_minute = {rate}
[[stage]]
name = "serve"
[[pool]]
name = "servers"
count = {servers}
stages = ["serve"]
[[case_type]]
name = "customer"
share = 1.0
route = ["serve"]
service.serve = {service}
"#
    )
}

/// Checks files against their golden copies (path, content). With
/// `UPDATE_GOLDEN=1` (and no other value) the copies that differ are rewritten
/// and the test fails all the same, so a rewriting run can never pass.
pub fn check_golden(files: &[(std::path::PathBuf, String)]) {
    let update = match std::env::var("UPDATE_GOLDEN") {
        Ok(v) if v == "1" => true,
        Ok(v) => panic!("UPDATE_GOLDEN={v:?}: only UPDATE_GOLDEN=1 rewrites golden files"),
        Err(_) => false,
    };
    let stale: Vec<&std::path::Path> = files
        .iter()
        .filter(|(path, got)| std::fs::read_to_string(path).ok().as_ref() != Some(got))
        .map(|(path, _)| path.as_path())
        .collect();
    if update {
        for (path, got) in files.iter().filter(|(p, _)| stale.contains(&p.as_path())) {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, got).unwrap();
        }
    }
    assert!(
        stale.is_empty(),
        "{} golden file(s) {}: {stale:?}; {}",
        stale.len(),
        if update { "rewritten" } else { "differ" },
        if update {
            "review the diff and rerun without UPDATE_GOLDEN"
        } else {
            "diff them, and if the change is intended rerun with UPDATE_GOLDEN=1"
        }
    );
}

/// Every shipped scenario file: `scenarios/`, `benchmark/` and `pairs/`, sorted.
pub fn shipped_scenarios() -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files = Vec::new();
    for dir in [root.clone(), root.join("benchmark"), root.join("pairs")] {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "toml") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}
