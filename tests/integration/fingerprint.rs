//! The engine's exact results on every shipped scenario: a fingerprint of
//! all that two replications record (every float to the bit, through its
//! `Debug` form) and of their visit records. A change to the engine meant to
//! change no result (a split into modules, a speed-up) leaves
//! `tests/golden/engine_fingerprints.txt` as it is; a change of results on
//! purpose rewrites it in the same commit (`UPDATE_GOLDEN=1`).
//!
//! The fingerprint is taken with visit records, which always run the general
//! loop; each replication is run again without them, which runs a plain
//! scenario in the plain loop, and must record the same to the bit.

use hallsim::engine::{Model, simulate, simulate_traced};
use hallsim::scenario;

use crate::common::{check_golden, shipped_scenarios};

/// The benchmark files run a million arrivals; a fingerprint needs far fewer.
const BENCHMARK_ARRIVALS: f64 = 5_000.0;

#[test]
fn every_shipped_scenario_gives_the_recorded_results() {
    let (mut lines, mut plain) = (String::new(), Vec::new());
    for path in shipped_scenarios() {
        let mut source = std::fs::read_to_string(&path).unwrap();
        if path.parent().unwrap().ends_with("benchmark") {
            source = scenario::edit::set(&source, "simulation.max_arrivals", BENCHMARK_ARRIVALS).unwrap();
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let model = Model::new(scenario::parse(&source, &name, "fingerprint").unwrap());
        let mut text = String::new();
        for replication in 0..2 {
            let (result, visits) = simulate_traced(&model, 7, replication);
            let record = format!("{:?}", result.record);
            let untraced = format!("{:?}", simulate(&model, 7, replication).record);
            assert!(record == untraced, "{name}, replication {replication}: the run without visit records differs");
            text += &format!("{record}\n{visits:?}\n");
        }
        if model.is_plain() {
            plain.push(name.clone());
        }
        lines += &format!("{name} {}\n", scenario::content_hash(text.as_bytes()));
    }
    // The two benchmark models at least take the plain loop, and the hall
    // of practices does not.
    for name in ["mmc.toml", "hall.toml"] {
        assert!(plain.iter().any(|p| p == name), "{name} runs plain; plain: {plain:?}");
    }
    assert!(!plain.iter().any(|p| p == "municipal.toml"), "municipal.toml uses practices");
    let golden = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/engine_fingerprints.txt");
    check_golden(&[(golden, lines)]);
}
