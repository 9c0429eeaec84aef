//! Reading and fitting a large hall's year of visit records: a million rows
//! of the municipal hall's simulated trace (`run --trace` format), read from
//! memory and fitted with the hall file as base, as `hallsim fit` does.

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hallsim::engine::{Model, simulate_traced};
use hallsim::fit::{hall, records};
use hallsim::scenario;

const ROWS: usize = 1_000_000;

fn fit(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/municipal.toml");
    let base = scenario::load(&path).expect("the municipal hall is valid").scenario;
    let model = Model::new(base.clone());
    let mut traces = Vec::new();
    let mut rows = 0;
    while rows < ROWS {
        let records = simulate_traced(&model, 1, traces.len() as u64).1;
        rows += records.len();
        traces.push((traces.len() as u64, records));
    }
    let csv = hallsim::report::files::csv_of(records::rows(&base, &traces));
    let mut group = c.benchmark_group("fit");
    group.throughput(Throughput::Elements(rows as u64));
    group.sample_size(10);
    group.bench_function(format!("{rows} rows, {} days", traces.len()), |b| {
        b.iter(|| {
            let read = records::read(&csv, &records::ColumnMap::default()).expect("the trace reads");
            hall::fit(&read, Some(&base))
        })
    });
    group.finish();
}

criterion_group!(benches, fit);
criterion_main!(benches);
