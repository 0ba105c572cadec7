//! A reader that goes away (`waybill ... | head -1`) ends the output quietly: no panic, and
//! above all no crash reported for a change that was committed.

use crate::util::Store;
use std::process::Command;

/// Runs `waybill ARGS` on `s` with its stdout a pipe whose reader has already exited, and
/// returns the exit code (the shell prints it on stderr).
fn into_closed_pipe(s: &Store, args: &[&str]) -> i32 {
    let bin = assert_cmd::cargo::cargo_bin("waybill");
    let mut command = format!(
        "sleep 0.3; '{}' --data '{}'",
        bin.display(),
        s.data().display()
    );
    for a in args {
        command += &format!(" '{a}'");
    }
    let script = format!("{{ {command}; echo \"rc=$?\" >&2; }} | true");
    let out = Command::new("sh")
        .arg("-c")
        .arg(&script)
        .current_dir(s.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    err.lines()
        .find_map(|l| l.strip_prefix("rc="))
        .and_then(|rc| rc.parse().ok())
        .unwrap_or_else(|| panic!("{args:?}: no exit code in {err}"))
}

#[test]
fn a_closed_pipe_ends_reads_and_changes_quietly() {
    let s = Store::new();
    s.ok(&["location", "add", "ams"]);
    let order = r#"{"id": "ORD-1", "lines": [{"id": "l1", "sku": "MUG", "qty": 1, "price": "1.00"}], "shipping": {"address": {"country": "NL"}}}"#;
    let file = s.file("order.json", order);
    s.ok(&["order", "create", &file]);
    for args in [
        &["store", "dump"][..],
        &["outbox", "list"],
        &["order", "show", "ORD-1"],
        &["stock", "show"],
        &["location", "list"],
        &["rules", "graph"],
        &["rules", "schema"],
        &["order", "can", "ORD-1"],
        &[
            "bench",
            "split",
            "--orders",
            "200",
            "--locations",
            "3",
            "--skus",
            "5",
        ],
    ] {
        assert_eq!(into_closed_pipe(&s, args), 0, "{args:?}");
    }
    // A change is committed before its reply is printed: it must not report a crash.
    assert_eq!(
        into_closed_pipe(&s, &["order", "note", "ORD-1", "piped"]),
        0
    );
    let history = s.ok(&["order", "history", "ORD-1"]);
    assert!(history.contains("piped"), "{history}");
}
