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

fn bench_scenario(c: &mut Criterion, file: &str, arrivals: u64, rate: f64, stations: &[reference::Station]) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let loaded = scenario::load(&path).expect("benchmark scenario is valid");
    let model = Model::new(loaded.scenario);
    let events = simulate(&model, 1, 0).record.events;
    let mut group = c.benchmark_group(model.scenario().name().clone());
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
    use reference::Station;
    bench_scenario(c, "scenarios/benchmark/mmc.toml", 1_000_000, 9.0, &[Station { servers: 10, mean: 1.0 }]);
    let hall =
        [Station { servers: 8, mean: 3.5 }, Station { servers: 9, mean: 4.0 }, Station { servers: 3, mean: 1.2 }];
    bench_scenario(c, "scenarios/benchmark/hall.toml", 500_000, 2.0, &hall);
}

criterion_group!(benches, engine);
criterion_main!(benches);
