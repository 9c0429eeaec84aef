//! Engine throughput on the peer benchmark systems (see `../shared/peers`):
//! one replication of each scenario on one core, reported as events per
//! second (an arrival and a service end are one event each, as SimPy counts).

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hallsim::engine::{Model, simulate};
use hallsim::scenario;

fn bench_scenario(c: &mut Criterion, file: &str, arrivals: u64) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let loaded = scenario::load(&path).expect("benchmark scenario is valid");
    let model = Model::new(loaded.scenario);
    let events = simulate(&model, 1, 0).record.events;
    let mut group = c.benchmark_group(model.scenario().name().clone());
    group.throughput(Throughput::Elements(events));
    group.sample_size(10);
    group.bench_function(format!("{arrivals} arrivals"), |b| b.iter(|| simulate(&model, 1, 0)));
    group.finish();
}

fn engine(c: &mut Criterion) {
    bench_scenario(c, "scenarios/benchmark/mmc.toml", 1_000_000);
    bench_scenario(c, "scenarios/benchmark/hall.toml", 500_000);
}

criterion_group!(benches, engine);
criterion_main!(benches);
