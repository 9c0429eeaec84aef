//! The engine's speed as a share of the hand-tight reference loop's, taken by
//! turns: each round times one replication of the engine and then the
//! reference on the same system, so a change in the machine's load falls on
//! both alike. The figure is the median over the rounds of the reference's
//! time over the engine's (`cargo bench --bench engine` measures each with
//! criterion, one after the other, which a shared machine's load can skew).
//!
//! Usage: `cargo bench --bench ratio [-- mmc|hall3]`.

mod reference;

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use hallsim::engine::{Model, simulate};
use hallsim::scenario;

const ROUNDS: usize = 21;

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The median of `v`, sorting it.
fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let only = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    for system in reference::systems().iter().filter(|s| only.as_deref().is_none_or(|n| n == s.name)) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(system.file);
        let model = Model::new(scenario::load(&path).expect("benchmark scenario is valid").scenario);
        // A first run of each, untimed; they handle the same events.
        let record = simulate(&model, 1, 0).record;
        let events = record.events;
        let reference = || reference::tandem(system.rate, black_box(&system.stations), record.arrived, 1);
        assert_eq!(reference().0, events, "the reference handles the same events");
        let (mut engine, mut floor, mut share) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..ROUNDS {
            let start = Instant::now();
            black_box(simulate(black_box(&model), 1, 0));
            let e = millis(start.elapsed());
            let start = Instant::now();
            black_box(reference());
            let r = millis(start.elapsed());
            engine.push(e);
            floor.push(r);
            share.push(r / e);
        }
        let (engine_ms, floor_ms) = (median(&mut engine), median(&mut floor));
        let s = median(&mut share);
        let (q1, q3) = (share[ROUNDS / 4], share[ROUNDS - 1 - ROUNDS / 4]);
        println!(
            "{}: {events} events, {ROUNDS} rounds: engine {engine_ms:.1} ms ({:.1} M events/s), reference \
             {floor_ms:.1} ms (medians); the engine at {s:.2}x the reference's speed (quartiles {q1:.2}-{q3:.2})",
            system.name,
            events as f64 / engine_ms / 1e3,
        );
    }
}
