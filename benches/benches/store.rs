//! Durable throughput and latency: what a user waits for when driving the store.
//!
//! - `apply`: commands per second through the executor on sled, committed in groups of 1000
//!   (one flush per group), in process; and the same through the real `waybill apply` binary.
//! - `cold fire`: one `waybill order fire` as a fresh process (open store, load rules, fire,
//!   flush), median of 40 runs.
//!
//! The binary parts need `cargo build --release -p waybill` first.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{criterion_group, criterion_main, Criterion};
use std::process::Command;
use std::time::{Duration, Instant};
use waybill_benches::{apply_workload, default_engine, release_binary};
use waybill_engine::command::{Executor, Request};
use waybill_engine::store::SledStore;

const ORDERS: usize = 5_000;
const GROUP: usize = 1_000;

fn apply_in_process() -> (usize, Duration) {
    let dir = tempfile::tempdir().unwrap();
    let store = SledStore::open(dir.path(), Duration::from_secs(1)).unwrap();
    let mut exec = Executor::new(default_engine(), Box::new(store)).unwrap();
    let requests: Vec<Request> = apply_workload(ORDERS)
        .lines()
        .map(|l| Request::from_json(l).unwrap())
        .collect();
    let start = Instant::now();
    for chunk in requests.chunks(GROUP) {
        for r in chunk {
            exec.execute(r.clone()).unwrap();
        }
        exec.commit().unwrap();
    }
    (requests.len(), start.elapsed())
}

fn apply_binary(bin: &std::path::Path) -> (usize, Duration) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("commands.jsonl");
    std::fs::write(&file, apply_workload(ORDERS)).unwrap();
    let start = Instant::now();
    let out = Command::new(bin)
        .arg("--data")
        .arg(dir.path().join("data"))
        .arg("apply")
        .arg(&file)
        .output()
        .unwrap();
    let took = start.elapsed();
    assert_eq!(
        out.status.code(),
        Some(1),
        "the workload has refused refunds: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (ORDERS * 6, took)
}

fn cold_fire(bin: &std::path::Path) -> Duration {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("commands.jsonl");
    std::fs::write(&file, apply_workload(200)).unwrap();
    let data = dir.path().join("data");
    Command::new(bin)
        .arg("--data")
        .arg(&data)
        .arg("apply")
        .arg(&file)
        .output()
        .unwrap();
    let mut times: Vec<Duration> = (0..40)
        .map(|i| {
            let start = Instant::now();
            let out = Command::new(bin)
                .arg("--data")
                .arg(&data)
                .args(["order", "note", &format!("ORD-{i}"), "called the customer"])
                .output()
                .unwrap();
            let took = start.elapsed();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let start = Instant::now();
            let out = Command::new(bin)
                .arg("--data")
                .arg(&data)
                .args(["order", "fire", &format!("ORD-{i}"), "approve"])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            (took + start.elapsed()) / 2
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn bench(c: &mut Criterion) {
    let (n, took) = apply_in_process();
    println!("apply (in process, sled, groups of {GROUP}): {n} commands in {:.0} ms = {:.0} durable commands/s", took.as_secs_f64() * 1e3, n as f64 / took.as_secs_f64());
    match release_binary() {
        Some(bin) => {
            let (n, took) = apply_binary(&bin);
            println!("waybill apply (binary): {n} commands in {:.0} ms = {:.0} durable commands/s", took.as_secs_f64() * 1e3, n as f64 / took.as_secs_f64());
            println!("waybill order fire (cold process): median {:.1} ms", cold_fire(&bin).as_secs_f64() * 1e3);
        }
        None => println!("build the binary first (`cargo build --release -p waybill`) to measure `waybill apply` and a cold `waybill order fire`"),
    }
    let mut group = c.benchmark_group("store");
    group.sample_size(10);
    group.bench_function("apply_30000_commands", |b| b.iter(apply_in_process));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
