//! The engine's work per event as a count of instructions, which unlike time
//! does not change with what else the machine is doing. This binary runs one
//! replication of one model; `benches/instructions.py` runs it under
//! callgrind, counting only inside [`measured`], and compares the count per
//! event with the one recorded in `benches/instructions.toml`.
//!
//! Usage: `instructions MODEL` with MODEL one of `mmc`, `hall3`, `municipal`,
//! or `reference-mmc`, `reference-hall3` for the hand-tight loop of
//! `reference/` on the same two models (the floor the engine is held to).

mod reference;

use std::hint::black_box;
use std::path::Path;

use hallsim::engine::{Model, simulate};
use hallsim::scenario;

/// Arrivals in the two benchmark models: enough for the stores to have grown
/// and the count to be that of the steady state, few enough for callgrind to
/// take a second or two.
const ARRIVALS: u64 = 20_000;

/// The replication the count is taken over; nothing else is counted.
/// Returns the events handled.
#[inline(never)]
fn measured(work: &dyn Fn() -> u64) -> u64 {
    work()
}

fn model(name: &str) -> Model {
    let (file, arrivals) = match reference::systems().iter().find(|s| s.name == name) {
        Some(system) => (system.file, Some(ARRIVALS)),
        None if name == "municipal" => ("scenarios/municipal.toml", None),
        None => panic!("unknown model {name}: mmc, hall3 or municipal"),
    };
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let mut source = std::fs::read_to_string(&path).expect("benchmark scenario is readable");
    if let Some(n) = arrivals {
        source = scenario::edit::set(&source, "simulation.max_arrivals", n as f64).expect("key exists");
    }
    Model::new(scenario::parse(&source, file, name).expect("benchmark scenario is valid"))
}

fn main() {
    // `cargo bench` runs every bench target with `--bench`: nothing to do then.
    let Some(name) = std::env::args().skip(1).find(|a| !a.starts_with("--")) else { return };
    let events = match name.strip_prefix("reference-") {
        Some(system) => {
            let systems = reference::systems();
            let Some(s) = systems.iter().find(|s| s.name == system) else {
                panic!("no reference for {system}: mmc or hall3")
            };
            measured(&|| reference::tandem(s.rate, black_box(&s.stations), ARRIVALS, 1).0)
        }
        None => {
            let model = model(&name);
            measured(&|| simulate(black_box(&model), 1, 0).record.events)
        }
    };
    println!("{name} events={events}");
}
