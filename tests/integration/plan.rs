//! The staffing planner.

use crate::cli::{hallsim, temp_dir};

const MUNICIPAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/municipal.toml");

fn kpi(summary: &serde_json::Value, key: &str) -> f64 {
    summary["kpis"].as_array().unwrap().iter().find(|k| k["key"] == key).unwrap()["mean"].as_f64().unwrap()
}

#[test]
fn a_plan_meets_its_targets_and_still_does_on_a_fresh_seed() {
    let dir = temp_dir("plan");
    let o = dir.to_str().unwrap();
    let out = hallsim(&[
        "plan",
        MUNICIPAL,
        "--target",
        "within_60_min >= 0.95",
        "--target",
        "wait_p90 <= 15",
        "-r",
        "60",
        "-o",
        o,
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let plan: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("municipal-plan/plan.json")).unwrap()).unwrap();
    assert_eq!(plan["feasible"], true);
    assert_eq!(plan["confirmed"], true);
    let confirmation_seed = plan["confirmation_seed"].as_u64().unwrap();
    assert_ne!(confirmation_seed, plan["seed"].as_u64().unwrap(), "confirmed on the search seed");
    assert!(confirmation_seed <= i64::MAX as u64, "the claim can be rerun with --seed");
    for f in ["charts/plan.svg", "charts/plan.png"] {
        assert!(dir.join("municipal-plan").join(f).metadata().unwrap().len() > 1000, "{f}");
    }
    for t in plan["targets_on_confirmation_seed"].as_array().unwrap() {
        let text = t["target"].as_str().unwrap();
        if text.contains(">=") {
            assert!(t["ci95_low"].as_f64().unwrap() >= 0.95, "{t}");
        } else {
            assert!(t["ci95_high"].as_f64().unwrap() <= 15.0, "{t}");
        }
    }
    // The plan is a scenario file: rerun it on another seed.
    let file = dir.join("municipal-plan/municipal-plan.toml");
    let out = hallsim(&["run", file.to_str().unwrap(), "--seed", "4242", "-r", "200", "-o", o, "--no-charts", "-q"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("municipal-plan/summary.json")).unwrap()).unwrap();
    assert!(kpi(&summary, "within_60_min") >= 0.95);
    assert!(kpi(&summary, "wait_p90") <= 15.0);
}

#[test]
fn bad_targets_are_explained() {
    let dir = temp_dir("plan-bad");
    let o = dir.to_str().unwrap();
    let out = hallsim(&["plan", MUNICIPAL, "--target", "wait_p99 <= 3", "-o", o]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown KPI `wait_p99`; did you mean"));
    let out = hallsim(&["plan", MUNICIPAL, "--target", "wait_p90 = 3", "-o", o]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("write KPI >= VALUE or KPI <= VALUE"));
    // Service alone takes longer than 5 minutes on average: no staffing helps.
    let out = hallsim(&["plan", MUNICIPAL, "--target", "time_in_system_mean <= 5", "-r", "10", "-o", o]);
    assert_eq!(out.status.code(), Some(4));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no staffing the planner tried meets every target") && err.contains("Best found"), "{err}");
}

#[test]
fn the_estimate_never_proposes_a_count_check_refuses() {
    let text = std::fs::read_to_string(MUNICIPAL).unwrap().replace("per_day = 2000", "per_day = 50000000");
    assert!(text.contains("per_day = 50000000"));
    let s = hallsim::scenario::parse(&text, "huge.toml", "huge").unwrap();
    let estimate = hallsim::experiment::plan::initial_estimate(&s);
    assert!(estimate.iter().all(|&c| c <= hallsim::experiment::plan::MAX_COUNT), "{estimate:?}");
}
