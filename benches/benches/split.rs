//! Split strategies: orders of 5 lines over 10 locations through the Rhai `split_shipments`
//! (the whole `propose` path: marshalling, script, parsing, checks) against the same greedy
//! algorithm in Rust (plus the same checks), and one order of 1000 lines over 50 locations.
//! Targets: Rhai within 3x of native and at least 50k orders/s; 1000 x 50 under 50 ms.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};
use waybill_benches::native_split::{split_shipments, strategies_dir, workload};
use waybill_engine::split::{check, propose, SplitInput, Strategy};

const ORDERS: usize = 1_000;

/// One way to split an order, timed against the others.
type Contender<'a> = dyn Fn(&Arc<SplitInput>) + 'a;

/// Orders per second of each of `runs` over `orders`: the best of seven passes of at least
/// 100 ms each, taking turns so that a busy or throttled moment slows every contender alike.
fn rates<const N: usize>(orders: &[Arc<SplitInput>], runs: [&Contender; N]) -> [f64; N] {
    let mut best = [f64::MAX; N];
    for _ in 0..7 {
        for (run, best) in runs.iter().zip(&mut best) {
            let start = Instant::now();
            let mut done = 0usize;
            while start.elapsed() < Duration::from_millis(100) {
                for input in orders {
                    run(input);
                }
                done += orders.len();
            }
            *best = best.min(start.elapsed().as_secs_f64() / done as f64);
        }
    }
    best.map(|secs| 1.0 / secs)
}

fn bench(c: &mut Criterion) {
    let strategy =
        Strategy::load("split_shipments", &Strategy::library(&[strategies_dir()])).expect("loads");
    let chain = [strategy];
    // Shared, as the engine hands them to strategies: no copy per call.
    let small: Vec<Arc<SplitInput>> = workload(ORDERS, 5, 10, 7)
        .into_iter()
        .map(Arc::new)
        .collect();
    let big: Vec<Arc<SplitInput>> = workload(1, 1000, 50, 11)
        .into_iter()
        .map(Arc::new)
        .collect();

    // The script and the native version must agree before either is timed, also with a cutoff
    // and without partial delivery.
    let variants = small.iter().take(100).flat_map(|input| {
        let mut capped = SplitInput::clone(input);
        capped.cutoff = Some(2);
        let mut whole = SplitInput::clone(input);
        whole.partial_delivery = false;
        whole.lines.truncate(2);
        [capped, whole]
    });
    for input in small
        .iter()
        .chain(&big)
        .map(|i| SplitInput::clone(i))
        .chain(variants)
    {
        let rhai = propose(&chain, &input).expect("rhai split");
        assert_eq!(rhai, split_shipments(&input), "order {}", input.order);
    }

    // Plain timed passes first, so the figures print even when criterion is filtered.
    let [rhai, native, bare] = rates(
        &small,
        [
            &|i| {
                black_box(propose(&chain, i.clone()).unwrap());
            },
            &|i| {
                let p = split_shipments(i);
                check("native", i, &p).unwrap();
                black_box(p);
            },
            &|i| {
                black_box(split_shipments(i));
            },
        ],
    );
    println!(
        "split_shipments 5 lines x 10 locations: rhai {rhai:.0} orders/s, native (split + check) {native:.0} orders/s, ratio {:.1}x (native split alone {bare:.0} orders/s, {:.1}x)",
        native / rhai,
        bare / rhai
    );
    let mut times: Vec<f64> = (0..11)
        .map(|_| {
            let start = Instant::now();
            black_box(propose(&chain, big[0].clone()).unwrap());
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let native_big = (0..11)
        .map(|_| {
            let start = Instant::now();
            let p = split_shipments(&big[0]);
            check("native", &big[0], &p).unwrap();
            black_box(p);
            start.elapsed().as_secs_f64() * 1e3
        })
        .fold(f64::MAX, f64::min);
    println!(
        "split_shipments 1000 lines x 50 locations: rhai {:.1} ms (median of 11, best {:.1} ms), native (split + check) {native_big:.2} ms",
        times[5], times[0]
    );

    let mut group = c.benchmark_group("split");
    group.throughput(Throughput::Elements(ORDERS as u64));
    group.sample_size(20);
    group.bench_function("rhai_5x10_1000_orders", |b| {
        b.iter(|| {
            for input in &small {
                black_box(propose(&chain, input.clone()).unwrap());
            }
        })
    });
    group.bench_function("native_5x10_1000_orders", |b| {
        b.iter(|| {
            for input in &small {
                let p = split_shipments(input);
                check("native", input, &p).unwrap();
                black_box(p);
            }
        })
    });
    group.finish();

    let mut group = c.benchmark_group("split_big");
    group.throughput(Throughput::Elements(1));
    group.sample_size(10);
    group.bench_function("rhai_1000x50", |b| {
        b.iter(|| black_box(propose(&chain, big[0].clone()).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
