//! Sweeps over scenario keys.

use crate::cli::{hallsim, temp_dir};

const MUNICIPAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/municipal.toml");

#[test]
fn two_keys_make_a_grid_and_more_windows_shorten_waits() {
    let dir = temp_dir("sweep");
    let out = hallsim(&[
        "sweep",
        MUNICIPAL,
        "--set",
        "pool.accept_windows.count=33..35",
        "--set",
        "arrivals.per_day=1900,2100",
        "-r",
        "20",
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("municipal-sweep/sweep.json")).unwrap()).unwrap();
    let points = json["points"].as_array().unwrap();
    assert_eq!(points.len(), 6);
    let wait = |p: &serde_json::Value| {
        p["kpis"].as_array().unwrap().iter().find(|k| k["key"] == "wait_mean").unwrap()["mean"].as_f64().unwrap()
    };
    // Points run in key order: (33, 1900), (33, 2100), (34, 1900), ...
    assert!(wait(&points[0]) > wait(&points[4]), "35 windows wait less than 33 at the same demand");
    assert!(wait(&points[1]) > wait(&points[0]), "more demand waits longer");
    let csv = std::fs::read_to_string(dir.join("municipal-sweep/sweep.csv")).unwrap();
    assert!(
        csv.starts_with(
            "scenario,content_hash,seed,replications,point,pool.accept_windows.count,arrivals.per_day,key,"
        )
    );
}

#[test]
fn bad_sweeps_are_explained() {
    let dir = temp_dir("sweep-bad");
    let o = dir.to_str().unwrap();
    for (set, expected) in [
        ("pool.nobody.count=1..3", "no pool named `nobody`; the pool names are `guides`, `accept_windows`"),
        ("pool.accept_windows.count=40..30", "is empty"),
        ("arrivals.per_day=-5", "arrivals.per_day: must be > 0"),
        ("pool.accept_windows.name=3", "is a string, not a number"),
    ] {
        let out = hallsim(&["sweep", MUNICIPAL, "--set", set, "-r", "2", "-o", o]);
        assert_eq!(out.status.code(), Some(2), "{set}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expected), "{set}: {err}");
    }
}
