//! A load generator for `waybill serve`: CLIENTS threads, each a real HTTP client with its own
//! connection, send commands one after another for SECONDS (each client creates an order and
//! places it, again and again) and count what was acknowledged (2xx: durable, since the server
//! answers only once the command's group is on disk). Prints durable commands per second and
//! the latency percentiles.
//!
//!   serve_load URL TOKEN [CLIENTS=64] [SECONDS=10] [--json]
//!
//! `benches/serve.sh` starts a server on a fresh store and runs this against it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let args: Vec<&String> = args.iter().filter(|a| *a != "--json").collect();
    if args.len() < 2 {
        eprintln!("usage: serve_load URL TOKEN [CLIENTS=64] [SECONDS=10] [--json]");
        std::process::exit(2);
    }
    let (url, token) = (args[0].clone(), args[1].clone());
    let clients: usize = args
        .get(2)
        .map_or(64, |a| a.parse().expect("CLIENTS is a number"));
    let seconds: f64 = args
        .get(3)
        .map_or(10.0, |a| a.parse().expect("SECONDS is a number"));
    let stop = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|c| {
            let (url, token, stop) = (url.clone(), token.clone(), stop.clone());
            std::thread::spawn(move || client(c, &url, &token, &stop))
        })
        .collect();
    std::thread::sleep(Duration::from_secs_f64(seconds));
    stop.store(true, Ordering::SeqCst);
    let mut latencies = Vec::new();
    let mut failed = 0;
    for w in workers {
        let (l, f) = w.join().expect("a client");
        latencies.extend(l);
        failed += f;
    }
    let elapsed = start.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .map_or(0.0, |d: &Duration| d.as_secs_f64() * 1000.0)
    };
    let rate = latencies.len() as f64 / elapsed;
    if json {
        println!(
            "{}",
            serde_json::json!({"clients": clients, "seconds": elapsed, "durable": latencies.len(),
                "failed": failed, "per_second": rate, "p50_ms": pct(0.50), "p99_ms": pct(0.99)})
        );
    } else {
        println!(
            "{clients} clients, {elapsed:.1} s: {} durable commands ({rate:.0}/s), {failed} failed; latency p50 {:.2} ms, p99 {:.2} ms",
            latencies.len(),
            pct(0.50),
            pct(0.99)
        );
    }
}

/// One client: order.create then order.fire place, over and over; the latency of each
/// acknowledged command, and how many failed.
fn client(c: usize, url: &str, token: &str, stop: &AtomicBool) -> (Vec<Duration>, usize) {
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent();
    let auth = format!("Bearer {token}");
    let mut latencies = Vec::new();
    let mut failed = 0;
    let mut i = 0u64;
    while !stop.load(Ordering::Relaxed) {
        let id = format!("L-{c}-{i}");
        let order = serde_json::json!({"id": id, "lines": [{"id": "l1", "sku": "SKU", "qty": 1, "price": "10.00"}],
            "shipping": {"address": {"country": "NL"}}});
        let requests = [
            (format!("{url}/v1/orders"), order.to_string()),
            (
                format!("{url}/v1/orders/{id}/events/place"),
                "{}".to_string(),
            ),
        ];
        for (to, body) in requests {
            let sent = Instant::now();
            let ok = agent
                .post(&to)
                .header("authorization", &auth)
                .header("content-type", "application/json")
                .send(body)
                .map(|mut r| {
                    let _ = r.body_mut().read_to_string();
                    r.status().is_success()
                })
                .unwrap_or(false);
            if ok {
                latencies.push(sent.elapsed());
            } else {
                failed += 1;
            }
        }
        i += 1;
    }
    (latencies, failed)
}
