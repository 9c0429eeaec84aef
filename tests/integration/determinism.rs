//! Same seed, same bytes: across thread counts, and against a golden copy.

use std::path::Path;

use crate::cli::{hallsim, temp_dir};
use crate::common::check_golden;

const FILES: [&str; 4] = ["summary.json", "summary.csv", "hourly.csv", "replications.csv"];

fn run_into(dir: &Path, scenario: &str, threads: &str, reps: &str) {
    let out = hallsim(&["run", scenario, "-r", reps, "-j", threads, "-o", dir.to_str().unwrap(), "-q"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn one_and_two_threads_write_identical_files() {
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/municipal.toml");
    let (a, b) = (temp_dir("threads1"), temp_dir("threads2"));
    run_into(&a, scenario, "1", "30");
    run_into(&b, scenario, "2", "30");
    for f in FILES.iter().chain(&["report.html", "charts/queue_by_hour.svg", "charts/queue_by_hour.png"]) {
        let x = std::fs::read(a.join("municipal").join(f)).unwrap();
        let y = std::fs::read(b.join("municipal").join(f)).unwrap();
        assert!(x == y, "{f} differs between 1 and 2 threads");
    }
}

/// The tiny scenario's outputs, checked byte for byte. After an intended
/// change of output, regenerate with `UPDATE_GOLDEN=1 cargo test --release`.
#[test]
fn golden_outputs_of_a_tiny_scenario() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let dir = temp_dir("golden");
    // Run from the repository root with a relative path, so the file name in
    // the outputs does not depend on where the clone lives.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hallsim"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "tests/golden/tiny.toml", "-o", dir.to_str().unwrap(), "-q"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let files: Vec<_> = FILES
        .iter()
        .chain(&["charts/within_target_by_hour.svg", "charts/stage_budgets.svg"])
        .map(|f| (root.join("tiny").join(f), std::fs::read_to_string(dir.join("tiny").join(f)).unwrap()))
        .collect();
    check_golden(&files);
}
