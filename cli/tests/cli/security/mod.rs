//! What an untrusted caller or input must not get past (issue 13, docs/SECURITY.md): script
//! names that are paths, raised roles, ids and text outside their bounds, input that is not
//! text. Every refusal says what and where, exits non-zero and leaves the store as it was.

use crate::util::{stderr, stdout, Store};
use serde_json::Value;

mod names;
mod roles;
mod values;

/// A store with locations `ams` and `rtm` holding `MUG` and `TEE`, and order `ORD-1` placed.
fn shop() -> Store {
    let s = Store::new();
    for location in ["ams", "rtm"] {
        s.ok(&["location", "add", location]);
        for sku in ["MUG", "TEE"] {
            s.ok(&["stock", "set", location, sku, "10"]);
        }
    }
    s.create("ORD-1.json", &order("ORD-1", "MUG"));
    s.ok(&["order", "fire", "ORD-1", "place"]);
    s
}

/// An order of 2 x `sku` at 10.00, as JSON.
fn order(id: &str, sku: &str) -> String {
    serde_json::json!({
        "id": id,
        "lines": [{"id": "l1", "sku": sku, "qty": 2, "price": "10.00"}],
        "shipping": {"address": {"country": "NL"}}
    })
    .to_string()
}

/// Runs `apply` on `lines` (with `args` before it), returning the exit code and one result per
/// line.
fn apply(s: &Store, args: &[&str], lines: &str) -> (i32, Vec<Value>) {
    let file = s.file("lines.jsonl", lines);
    let mut all = args.to_vec();
    all.extend(["apply", file.as_str()]);
    let out = s.run(&all);
    let results = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    (out.status.code().unwrap_or(-1), results)
}

/// Asserts that `args` fails with exit `code`, says `expected` on stderr, and writes nothing.
fn refused_unchanged(s: &Store, code: i32, args: &[&str], expected: &str) {
    let before = s.dump_text();
    let out = s.expect(args, code);
    assert!(
        stderr(&out).contains(expected),
        "{args:?}: expected {expected:?} in: {}",
        stderr(&out)
    );
    assert_eq!(before, s.dump_text(), "{args:?} changed the store");
}
