//! Engine throughput on the peer benchmark systems (see `../shared/peers`):
//! one replication of each scenario on one core, reported as events per
//! second (an arrival and a service end are one event each, as SimPy counts),
//! beside the hand-tight reference loop on the same model and length
//! (`reference/`): the ratio of the two times is the figure quoted.

mod reference;

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hallsim::engine::{Model, simulate};
use hallsim::scenario;

fn bench_system(c: &mut Criterion, system: &reference::System) {
    let reference::System { name, file, rate, ref stations } = *system;
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let loaded = scenario::load(&path).expect("benchmark scenario is valid");
    let model = Model::new(loaded.scenario);
    let record = simulate(&model, 1, 0).record;
    let (events, arrivals) = (record.events, record.arrived);
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Elements(events));
    group.sample_size(10);
    group.bench_function(format!("{arrivals} arrivals"), |b| b.iter(|| simulate(&model, 1, 0)));
    let (reference_events, _) = reference::tandem(rate, stations, arrivals, 1);
    assert_eq!(reference_events, events, "the reference handles the same events");
    group.bench_function(format!("{arrivals} arrivals, reference loop"), |b| {
        b.iter(|| reference::tandem(rate, stations, arrivals, 1))
    });
    group.finish();
}

fn engine(c: &mut Criterion) {
    for system in &reference::systems() {
        bench_system(c, system);
    }
}

criterion_group!(benches, engine);
criterion_main!(benches);
