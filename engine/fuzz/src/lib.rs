//! The properties the fuzz targets check, one function per target, each taking arbitrary bytes
//! and panicking when a property does not hold. The cargo-fuzz targets (`fuzz_targets/`) call
//! them; the engine's proptest twins (`engine/tests/engine/fuzz.rs`) include this file and call
//! the same functions, so both check exactly the same things.
//!
//! - [`rules`]: loading never panics; every diagnostic, error or warning, names the file, has a
//!   message, and a line and column inside the file (1-based; lines end at `\r\n`, `\r` or `\n`
//!   as in YAML; the line at most one past the last, the column at most one past the end of its
//!   line), a file of invalid UTF-8 included; a refused file has at least one error.
//! - [`order_file`]: `waybill order create FILE`'s parse, then `order.create` on a memory store
//!   with the default rules; a spec that parses but that the file check rejects is also sent as
//!   `apply` would send it. Every command goes through [`run_checked`].
//! - [`apply_lines`]: each line through `Request::from_json`, then [`run_checked`], in sequence
//!   on one store; and the same lines in one group (`waybill apply --group`) on another end the
//!   same way, one by one, and leave the same keys.
//! - [`webhook`]: every built-in adapter's `parse_webhook` answers events or an error that names
//!   the carrier, with the kind `BadInput` or `Script`.
//!
//! [`run_checked`]: a command that fails (with any kind but `Storage`, and a message), or is
//! answered with an error or a replayed reply, leaves the store's full dump byte for byte as it
//! was; a refused one adds only the record of
//! the attempt (see [`check_refusal`]); after an accepted one, `store check` finds nothing.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};
use waybill_engine::carriers::{Adapter, Carriers};
use waybill_engine::command::{Command, Executor, Reply, Request, Status};
use waybill_engine::rules::{Diagnostic, Severity};
use waybill_engine::store::{codec, keys, HistoryRecord, MemoryStore, Store, Write};
use waybill_engine::{Kind, Lifecycle, OrderSpec, Workflow};

/// The name rule files are loaded under.
pub const RULES_FILE: &str = "fuzz.yaml";

/// A store dump: every key and value.
pub type Dump = Vec<(Vec<u8>, Vec<u8>)>;

/// Checks that `d` is located in `source`: the file's name, a line from 1 to one past the last,
/// a column from 1 to one past the end of that line (in characters). Lines end as YAML says:
/// at `\r\n`, `\r` or `\n`.
pub fn assert_located(d: &Diagnostic, source: &[u8]) {
    let text = String::from_utf8_lossy(source).replace("\r\n", "\n");
    let lines: Vec<&str> = text.split(['\r', '\n']).collect();
    assert_eq!(d.file, RULES_FILE, "diagnostic without its file: {d}");
    assert!(
        d.position.line >= 1 && d.position.line <= lines.len() + 1,
        "diagnostic outside the file's {} lines: {d}",
        lines.len()
    );
    let width = lines
        .get(d.position.line - 1)
        .map_or(0, |l| l.chars().count());
    assert!(
        d.position.col >= 1 && d.position.col <= width + 1,
        "diagnostic outside its line of {width} characters: {d}"
    );
    assert!(!d.message.is_empty(), "diagnostic without a message: {d:?}");
}

/// Rule loading: see the crate documentation.
pub fn rules(bytes: &[u8]) {
    match Workflow::load_bytes(bytes, RULES_FILE) {
        Ok(loaded) => {
            for w in &loaded.warnings {
                assert_located(w, bytes);
            }
        }
        Err(diagnostics) => {
            assert!(
                diagnostics.iter().any(|d| d.severity == Severity::Error),
                "refused without an error: {diagnostics:?}"
            );
            for d in &diagnostics {
                assert_located(d, bytes);
            }
        }
    }
}

/// The default rules, compiled once.
pub fn default_workflow() -> Arc<Workflow> {
    static WORKFLOW: OnceLock<Arc<Workflow>> = OnceLock::new();
    WORKFLOW
        .get_or_init(|| Arc::new(Workflow::builtin()))
        .clone()
}

fn request(command: serde_json::Value) -> Request {
    Request::from_json(&command.to_string()).expect("a fixture command")
}

/// The commands that make the fixture store: two locations, stock, order ORD-1 placed with a
/// shipment of nationalpost tracked as RR000000014NL (the tracking number of
/// `carriers/samples/nationalpost/`), order ORD-2 still a draft, and a notification.
pub fn fixture_commands() -> Vec<serde_json::Value> {
    use serde_json::json;
    let location = |id: &str, priority: i64| json!({"op": "location.add", "location": {"id": id, "name": id, "priority": priority, "country": "NL"}});
    let order = |id: &str| {
        json!({"op": "order.create", "order": {"id": id, "lines": [
            {"id": "l1", "sku": "MUG", "qty": 2, "price": "12.50", "weight_g": 400},
            {"id": "l2", "sku": "TEE", "qty": 1, "price": "20.00"}
        ], "shipping": {"carrier": "nationalpost", "address": {"country": "NL"}}}})
    };
    vec![
        location("ams", 1),
        location("rtm", 2),
        json!({"op": "stock.set", "location": "ams", "sku": "MUG", "qty": 5}),
        json!({"op": "stock.set", "location": "rtm", "sku": "TEE", "qty": 3}),
        order("ORD-1"),
        order("ORD-2"),
        json!({"op": "order.fire", "id": "ORD-1", "event": "place"}),
        json!({"op": "shipment.create", "order": "ORD-1", "shipment": {"location": "ams",
            "items": [{"line": "l1", "qty": 2}], "carrier": "nationalpost",
            "tracking": [{"code": "RR000000014NL", "carrier": "nationalpost"}]}}),
    ]
}

/// The fixture store's content, made once.
pub fn fixture() -> &'static Dump {
    static DUMP: OnceLock<Dump> = OnceLock::new();
    DUMP.get_or_init(|| {
        let mut exec = Executor::new(
            Lifecycle::new(default_workflow()),
            Box::new(MemoryStore::default()),
        )
        .expect("an executor");
        for command in fixture_commands() {
            let reply = exec.run(request(command.clone()));
            assert!(
                matches!(&reply, Ok(r) if r.status == Status::Ok),
                "fixture {command}: {reply:?}"
            );
        }
        exec.dump().expect("a dump")
    })
}

/// An executor with the default rules over a memory store holding [`fixture`].
pub fn executor() -> Executor {
    let store = MemoryStore::default();
    let writes = fixture()
        .iter()
        .map(|(k, v)| Write::Put(k.clone(), v.clone()))
        .collect();
    store.write(writes).expect("a memory store");
    Executor::new(Lifecycle::new(default_workflow()), Box::new(store)).expect("an executor")
}

/// Runs `request` and checks what it left in the store (see the crate documentation).
pub fn run_checked(exec: &mut Executor, request: Request) -> Result<Reply, Kind> {
    let before = exec.dump().expect("a dump");
    let result = exec.run(request.clone());
    let after = exec.dump().expect("a dump");
    match result {
        Err(e) => {
            assert_ne!(e.kind(), Kind::Storage, "{request:?}: {e}");
            assert!(!e.to_string().is_empty(), "{request:?}: an empty error");
            assert!(
                after == before,
                "{request:?} failed ({e}) but changed the store:\n{}",
                diff(&before, &after)
            );
            Err(e.kind())
        }
        Ok(reply) if reply.replayed || reply.status == Status::Error => {
            assert!(
                after == before,
                "{request:?} answered {reply:?} but changed the store:\n{}",
                diff(&before, &after)
            );
            Ok(reply)
        }
        Ok(reply) if reply.status == Status::Refused => {
            check_refusal(&request, &before, &after);
            Ok(reply)
        }
        Ok(reply) => {
            let problems = exec.check_invariants().expect("store check");
            assert!(
                problems.is_empty(),
                "{request:?} was applied and broke the store: {problems:?}"
            );
            Ok(reply)
        }
    }
}

/// What a refusal may write, and nothing else: at most one new history key `h/ORDER/SEQ` whose
/// records are all refused attempts, the `seq` counter moved by as many records, the `shipment`
/// counter rewritten with its own value, and the reply under the request's idempotency key.
/// Every other key is byte for byte as it was, and none is gone.
pub fn check_refusal(request: &Request, before: &Dump, after: &Dump) {
    let before_map: BTreeMap<&[u8], &[u8]> = before
        .iter()
        .map(|(k, v)| (k.as_slice(), v.as_slice()))
        .collect();
    let after_map: BTreeMap<&[u8], &[u8]> = after
        .iter()
        .map(|(k, v)| (k.as_slice(), v.as_slice()))
        .collect();
    let counter = |map: &BTreeMap<&[u8], &[u8]>, name: &str| -> u64 {
        map.get(keys::counter(name).as_slice())
            .map(|v| codec::decode(v, name).expect("a counter"))
            .unwrap_or(0)
    };
    let idempotency = request.key.as_deref().map(keys::idempotency);
    let mut records = 0;
    let mut history_keys = 0;
    for (k, v) in &before_map {
        assert!(
            after_map.contains_key(k),
            "{request:?} was refused but removed {}",
            show(k)
        );
        let counter_key = k.starts_with(b"m/");
        assert!(
            counter_key || after_map[k] == *v,
            "{request:?} was refused but changed {}",
            show(k)
        );
    }
    for (k, v) in &after_map {
        if before_map.contains_key(k) || k.starts_with(b"m/") {
            continue;
        }
        if Some(*k) == idempotency.as_deref() {
            continue;
        }
        assert!(
            k.starts_with(b"h/"),
            "{request:?} was refused but wrote {}",
            show(k)
        );
        history_keys += 1;
        let written: Vec<HistoryRecord> =
            codec::history::decode_records(v, "history").expect("history records");
        assert!(
            written.iter().all(|r| !r.accepted),
            "{request:?} was refused but recorded an accepted step: {written:?}"
        );
        records += written.len() as u64;
    }
    assert!(
        history_keys <= 1,
        "{request:?} was refused but wrote {history_keys} history keys"
    );
    assert_eq!(
        counter(&after_map, "seq"),
        counter(&before_map, "seq") + records,
        "{request:?} was refused: the seq counter moved by other than its records"
    );
    // The other counters are rewritten with the group, each with its own value.
    const OTHERS: [&str; 2] = ["shipment", "payment"];
    for name in OTHERS {
        assert_eq!(
            counter(&after_map, name),
            counter(&before_map, name),
            "{request:?} was refused but moved the {name} counter"
        );
    }
    for k in after_map.keys() {
        let counted = *k == keys::counter("seq") || OTHERS.iter().any(|n| *k == keys::counter(n));
        // The schema marker (`m/schema`) is written when a store is opened, not by commands.
        let unchanged = before_map.get(k) == after_map.get(k);
        assert!(
            !k.starts_with(b"m/") || counted || unchanged,
            "{request:?} was refused but wrote {}",
            show(k)
        );
    }
}

fn show(key: &[u8]) -> String {
    format!("{:?}", String::from_utf8_lossy(key))
}

/// The keys that differ between two dumps, for messages.
pub fn diff(before: &Dump, after: &Dump) -> String {
    let b: BTreeMap<_, _> = before.iter().cloned().collect();
    let a: BTreeMap<_, _> = after.iter().cloned().collect();
    let mut out = String::new();
    for (k, v) in &b {
        match a.get(k) {
            None => out += &format!("  removed {}\n", show(k)),
            Some(w) if w != v => out += &format!("  changed {}\n", show(k)),
            _ => {}
        }
    }
    for k in a.keys().filter(|k| !b.contains_key(*k)) {
        out += &format!("  added {}\n", show(k));
    }
    out
}

/// The name an order file is parsed under.
pub const ORDER_FILE: &str = "order.json";

/// An order file: see the crate documentation.
pub fn order_file(bytes: &[u8]) {
    // `waybill order create FILE` reads the file as text: bytes that are not UTF-8 stop there.
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let mut exec = executor();
    match OrderSpec::parse(text, ORDER_FILE) {
        Ok(spec) => {
            let request = Request::new(
                Command::OrderCreate {
                    order: Box::new(spec),
                },
                None,
            );
            let _ = run_checked(&mut exec, request);
        }
        Err(e) => {
            assert_eq!(e.kind(), Kind::BadInput, "{e}");
            assert!(e.to_string().contains(ORDER_FILE), "{e}");
            // What `apply` sends has no file check: the executor alone decides.
            let raw: Result<OrderSpec, String> = if text.trim_start().starts_with('{') {
                serde_json::from_str(text).map_err(|e| e.to_string())
            } else {
                serde_yaml::from_str(text).map_err(|e| e.to_string())
            };
            if let Ok(spec) = raw {
                let request = Request::new(
                    Command::OrderCreate {
                        order: Box::new(spec),
                    },
                    None,
                );
                let _ = run_checked(&mut exec, request);
            }
        }
    }
}

/// Apply lines: see the crate documentation. Each line of `bytes` is one command.
pub fn apply_lines(bytes: &[u8]) {
    let mut exec = executor();
    let lines: Vec<&str> = bytes
        .split(|b| *b == b'\n')
        .filter_map(|line| std::str::from_utf8(line).ok())
        .filter(|line| !line.trim().is_empty())
        .collect();
    let one_by_one: Vec<String> = lines.iter().map(|l| apply_line(&mut exec, l)).collect();
    // The same lines in one group, as `waybill apply --group N` runs them: the same outcomes,
    // and the same keys in the store (values hold times).
    let mut grouped = executor();
    let outcomes: Vec<String> = lines
        .iter()
        .map(|line| match Request::from_json(line) {
            Ok(request) => outcome(&grouped.execute(request).map_err(|e| e.kind())),
            Err(_) => "not a command".into(),
        })
        .collect();
    grouped.commit().expect("a memory store");
    assert_eq!(
        one_by_one, outcomes,
        "one by one and in one group, {lines:#?} ended differently"
    );
    // A group writes each order's history records under one key, so the history is compared
    // as each order's sequence of records, and every other key as it is.
    let keys = |exec: &Executor| -> (Vec<String>, BTreeMap<Vec<u8>, Vec<u64>>) {
        let mut others = Vec::new();
        let mut history: BTreeMap<Vec<u8>, Vec<u64>> = BTreeMap::new();
        for (k, v) in exec.dump().expect("a dump") {
            if k.starts_with(keys::HISTORY) {
                let order = k[keys::HISTORY.len()..k.len() - 9].to_vec();
                let records = codec::history::decode_records(&v, "history").expect("records");
                history
                    .entry(order)
                    .or_default()
                    .extend(records.iter().map(|r| r.seq));
            } else {
                others.push(show(&k));
            }
        }
        (others, history)
    };
    assert_eq!(
        keys(&exec),
        keys(&grouped),
        "one by one and in one group, {lines:#?} wrote different keys"
    );
}

/// How a command ended, to compare runs: its status, or the kind of its error.
fn outcome(result: &Result<Reply, Kind>) -> String {
    match result {
        Ok(reply) => format!(
            "{:?}{}",
            reply.status,
            if reply.replayed { " replayed" } else { "" }
        ),
        Err(kind) => format!("error {kind:?}"),
    }
}

/// One apply line on `exec`; how it ended.
pub fn apply_line(exec: &mut Executor, line: &str) -> String {
    match Request::from_json(line) {
        Ok(request) => outcome(&run_checked(exec, request)),
        Err(e) => {
            assert_eq!(e.kind(), Kind::BadInput, "{line}: {e}");
            "not a command".into()
        }
    }
}

/// The built-in carrier adapters, loaded once.
pub fn adapters() -> &'static [Adapter] {
    static ADAPTERS: OnceLock<Vec<Adapter>> = OnceLock::new();
    ADAPTERS.get_or_init(|| {
        let carriers = Carriers::default();
        carriers
            .ids()
            .iter()
            .map(|id| carriers.load(id).expect("a built-in adapter"))
            .collect()
    })
}

/// A webhook to `adapter`: headers and a body. See the crate documentation.
pub fn webhook_to(adapter: &Adapter, headers: BTreeMap<String, String>, body: String) {
    match adapter.parse_webhook(&headers, &body) {
        Ok(events) => {
            for e in events {
                let _ = adapter.normalize(&e.status);
                let _ = adapter.check_tracking(&e.tracking_number);
                let _ = adapter.tracking_url(&e.tracking_number);
            }
        }
        Err(e) => {
            let id = &adapter.meta.id;
            assert!(
                matches!(e.kind(), Kind::BadInput | Kind::Script | Kind::Unauthorized),
                "{id}: {:?} {e}",
                e.kind()
            );
            assert!(e.to_string().contains(id.as_str()), "{id}: unclear {e}");
        }
    }
}

/// A webhook from bytes: the first byte picks the adapter; the rest, up to an empty line, holds
/// `name: value` header lines, then the body (invalid UTF-8 replaced: a body is a string).
pub fn webhook(bytes: &[u8]) {
    let all = adapters();
    let Some((pick, rest)) = bytes.split_first() else {
        return;
    };
    let adapter = &all[usize::from(*pick) % all.len()];
    let text = String::from_utf8_lossy(rest);
    let (head, body) = text.split_once("\n\n").unwrap_or(("", &text));
    let headers = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    webhook_to(adapter, headers, body.to_string());
}
