//! Crash test: `waybill apply` on thousands of commands is killed with SIGKILL at random
//! moments, several rounds. After every kill the store must open, every printed result must be
//! in the store exactly once, and no command may be half-applied (each order's states are what
//! its history says). A final run completes the file; the store then matches a clean run's.

use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ORDERS: usize = 600;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_waybill")
}

/// Six commands per order, every one with an idempotency key; the refund is refused.
fn workload() -> String {
    let mut lines = Vec::new();
    for i in 0..ORDERS {
        let order = format!("ORD-{i}");
        let lines_json = serde_json::json!([
            {"id": "l1", "sku": "MUG", "qty": 2, "price": "12.50"},
            {"id": "l2", "sku": "TEE", "qty": 1, "price": "20.00"}]);
        lines.push(serde_json::json!({"op": "order.create", "key": format!("c-{i}"),
            "order": {"id": order, "lines": lines_json, "shipping": {"address": {"country": "NL"}}}}));
        lines.push(serde_json::json!({"op": "order.fire", "id": order, "event": "place", "key": format!("p-{i}")}));
        lines.push(serde_json::json!({"op": "order.fire", "id": order, "event": "capture", "input": {"amount": "20.00"}, "key": format!("pay-{i}")}));
        lines.push(serde_json::json!({"op": "shipment.create", "order": order, "key": format!("s-{i}"),
            "shipment": {"items": [{"line": "l1", "qty": 2}], "tracking": [{"code": format!("T{i}")}]}}));
        lines.push(serde_json::json!({"op": "shipment.fire", "id": format!("SHP-{}", i + 1), "event": "ship", "key": format!("ship-{i}")}));
        lines.push(serde_json::json!({"op": "order.fire", "id": order, "event": "refund", "input": {"amount": "50.00"}, "key": format!("r-{i}")}));
    }
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// Every key and decoded value of the store, via `waybill store dump` (which must succeed).
fn dump(data: &Path) -> Vec<(String, Value)> {
    let out = Command::new(bin())
        .arg("--data")
        .arg(data)
        .args(["store", "dump"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the store does not open: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (
                v["key"].as_str().unwrap().to_string(),
                v["value"]["value"].clone(),
            )
        })
        .collect()
}

/// History records per idempotency key (accepted and refused), and the order aggregates.
struct Snapshot {
    per_key: HashMap<String, usize>,
    replies: HashMap<String, Value>,
    orders: BTreeMap<String, Value>,
    history: BTreeMap<String, Vec<Value>>,
}

fn snapshot(data: &Path) -> Snapshot {
    let mut snap = Snapshot {
        per_key: HashMap::new(),
        replies: HashMap::new(),
        orders: BTreeMap::new(),
        history: BTreeMap::new(),
    };
    for (key, value) in dump(data) {
        if let Some(id) = key.strip_prefix("o/") {
            snap.orders.insert(id.to_string(), value);
        } else if let Some(rest) = key.strip_prefix("h/") {
            // One key per command: the records of that command, in order.
            let order = rest.split('/').next().unwrap().to_string();
            for record in value
                .as_array()
                .expect("a command's history records")
                .iter()
                .cloned()
            {
                if let Some(k) = record["key"].as_str() {
                    *snap.per_key.entry(k.to_string()).or_default() += 1;
                }
                snap.history.entry(order.clone()).or_default().push(record);
            }
        } else if let Some(k) = key.strip_prefix("k/") {
            snap.replies.insert(k.to_string(), value);
        }
    }
    snap
}

/// No command is half-applied: every history record's command has its stored reply, and
/// replaying each order's accepted steps from the initial states gives its stored states.
fn check_consistent(snap: &Snapshot) {
    for (order, records) in &snap.history {
        let agg = snap
            .orders
            .get(order)
            .unwrap_or_else(|| panic!("history of {order} but no order"));
        let mut states: HashMap<(String, String), String> = HashMap::new();
        for r in records {
            let key = r["key"].as_str().expect("every command here has a key");
            assert!(
                snap.replies.contains_key(key),
                "history of `{key}` without its reply: half-applied"
            );
            if r["accepted"] == true && r["machine"] != "command" {
                let entity = r["entity"]["id"].as_str().unwrap().to_string();
                let slot = (entity, r["machine"].as_str().unwrap().to_string());
                if let Some(current) = states.get(&slot) {
                    assert_eq!(
                        current,
                        r["from"].as_str().unwrap(),
                        "history of {order} jumps: {r}"
                    );
                }
                states.insert(slot, r["to"].as_str().unwrap().to_string());
            }
        }
        for ((entity, machine), state) in &states {
            let stored = if entity == order {
                &agg["order"]["states"][machine]
            } else {
                let shipment = agg["shipments"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|s| s["id"] == entity.as_str())
                    .unwrap();
                &shipment["states"][machine]
            };
            assert_eq!(
                stored,
                state.as_str(),
                "{entity} {machine}: stored state differs from its history"
            );
        }
        let captured = agg["order"]["captured"].as_str().unwrap();
        assert!(
            captured == "0.00" || captured == "20.00",
            "{order} captured {captured}"
        );
    }
}

/// Runs apply, kills it after `after` (or lets it finish), and returns the complete lines it printed.
fn run_apply(data: &Path, file: &Path, after: Option<Duration>) -> Vec<Value> {
    let mut child = Command::new(bin())
        .arg("--data")
        .arg(data)
        .args(["apply", "--group", "64"])
        .arg(file)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut printed = Vec::new();
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap_or(0) > 0 {
            if line.ends_with('\n') {
                printed.push(serde_json::from_str::<Value>(&line).unwrap());
            }
            line.clear();
        }
        printed
    });
    if let Some(after) = after {
        std::thread::sleep(after);
        let _ = child.kill(); // SIGKILL
    }
    let _ = child.wait();
    reader.join().unwrap()
}

#[test]
fn killed_apply_loses_nothing_it_printed_and_half_applies_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("commands.jsonl");
    std::fs::write(&file, workload()).unwrap();

    // A clean run, to know what the finished store looks like.
    let clean = dir.path().join("clean");
    let start = Instant::now();
    let printed = run_apply(&clean, &file, None);
    let full_run = start.elapsed();
    assert_eq!(printed.len(), ORDERS * 6);
    let expected = snapshot(&clean);

    let data = dir.path().join("crashed");
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    let mut kills = 0;
    for round in 0..6 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        // Early enough that a run is cut before it reaches the end of the file.
        let after = Duration::from_millis(20 + seed % (full_run.as_millis() as u64 / 3).max(30));
        let printed = run_apply(&data, &file, Some(after));
        let snap = snapshot(&data);
        check_consistent(&snap);
        for reply in &printed {
            let line = reply["line"].as_u64().unwrap() as usize;
            let key = expected_key(line);
            assert!(
                snap.replies.contains_key(&key),
                "round {round}: line {line} was printed but `{key}` is not in the store"
            );
            if reply["replayed"] != true {
                assert_eq!(
                    snap.per_key.get(&key),
                    expected.per_key.get(&key),
                    "round {round}: `{key}` is not in the history exactly once"
                );
            }
        }
        if printed.len() < ORDERS * 6 {
            kills += 1;
        }
    }
    assert!(kills >= 2, "only {kills} runs were actually interrupted");

    // Finish the file; the result matches the clean run, every command exactly once.
    let printed = run_apply(&data, &file, None);
    assert_eq!(printed.len(), ORDERS * 6);
    let done = snapshot(&data);
    check_consistent(&done);
    assert_eq!(done.per_key, expected.per_key);
    assert_eq!(done.replies.len(), expected.replies.len());
    for (id, agg) in &expected.orders {
        let got = &done.orders[id];
        assert_eq!(got["order"]["states"], agg["order"]["states"], "{id}");
        assert_eq!(
            got["shipments"][0]["states"], agg["shipments"][0]["states"],
            "{id}"
        );
        assert_eq!(got["shipments"][0]["id"], agg["shipments"][0]["id"], "{id}");
    }
}

/// The idempotency key of a workload line (1-based).
fn expected_key(line: usize) -> String {
    let (i, step) = ((line - 1) / 6, (line - 1) % 6);
    let prefix = ["c", "p", "pay", "s", "ship", "r"][step];
    format!("{prefix}-{i}")
}

/// A first process holding the store at `data`, as `apply -` does while it reads stdin: the
/// store is open when this returns; it lets go when its stdin closes.
fn hold_store(data: &std::path::Path) -> (std::process::Child, std::process::ChildStdin) {
    let mut first = Command::new(bin())
        .arg("--data")
        .arg(data)
        .args(["apply", "--group", "1", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = first.stdin.take().unwrap();
    use std::io::Write;
    writeln!(
        stdin,
        r#"{{"op":"location.add","location":{{"id":"ams","name":"Amsterdam"}}}}"#
    )
    .unwrap();
    let mut lines = BufReader::new(first.stdout.take().unwrap()).lines();
    let answer = lines.next().unwrap().unwrap();
    assert!(answer.contains(r#""status":"ok""#), "{answer}");
    (first, stdin)
}

/// `--wait SECONDS` bounds the wait for a store another process holds, and then says so.
#[test]
fn the_wait_for_a_held_store_is_bounded_by_wait() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (mut first, stdin) = hold_store(&data);
    let out = Command::new(bin())
        .arg("--data")
        .arg(&data)
        .args(["--wait", "0.2", "location", "add", "rtm"])
        .output()
        .unwrap();
    drop(stdin);
    assert!(first.wait().unwrap().success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("another waybill process holds the store")
            && err.contains("gave up after waiting 0.2 s"),
        "{err}"
    );
    let bad = Command::new(bin())
        .args(["--wait", "-1", "location", "list"])
        .arg("--data")
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

/// A second process on a store in use waits for the first to let go (up to its bound), and
/// then runs; it used to fail at once, as sled words the lock error differently from the
/// `WouldBlock` the wait looked for.
#[test]
fn a_second_process_waits_for_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (mut first, stdin) = hold_store(&data);
    let second = Command::new(bin())
        .arg("--data")
        .arg(&data)
        .args(["location", "add", "rtm"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    drop(stdin);
    assert!(first.wait().unwrap().success());
    let out = second.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = Command::new(bin())
        .arg("--data")
        .arg(&data)
        .args(["location", "list"])
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&listed.stdout).into_owned();
    assert!(listed.contains("ams") && listed.contains("rtm"), "{listed}");
}
