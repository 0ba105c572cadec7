//! The in-memory lifecycle workload: N shipments, each created -> processing -> in_transit ->
//! out_for_delivery -> delivered (two guarded steps), then one refused cancel, through the
//! engine's public API. This is the workload to compare against XState and Python transitions.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::time::Instant;
use waybill_benches::{default_engine, lifecycle, orders, EVENTS_PER_SHIPMENT};

const SHIPMENTS: usize = 1_000;

fn bench(c: &mut Criterion) {
    let engine = default_engine();
    // One plain timed pass first, so the figure is printed even with `--quick` filters.
    let mut batch = orders(&engine, SHIPMENTS);
    let start = Instant::now();
    let events = lifecycle(&engine, &mut batch);
    let secs = start.elapsed().as_secs_f64();
    println!(
        "lifecycle: {events} events in {:.1} ms = {:.0} events/s",
        secs * 1e3,
        events as f64 / secs
    );

    let mut group = c.benchmark_group("lifecycle");
    group.throughput(Throughput::Elements(SHIPMENTS as u64 * EVENTS_PER_SHIPMENT));
    group.sample_size(20);
    group.bench_function("1000_shipments", |b| {
        b.iter_batched(
            || orders(&engine, SHIPMENTS),
            |mut batch| lifecycle(&engine, &mut batch),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
