//! `waybill apply`: mixed files, keyed lines replayed, exit codes, stdin, any group size.

use super::*;

const APPLY: &str = r#"{"op":"order.create","order":{"id":"ORD-9","lines":[{"id":"l1","sku":"MUG","qty":2,"price":"10.00"}],"shipping":{"address":{"country":"NL"}}}}
{"op":"order.fire","id":"ORD-9","event":"place","key":"a-place"}
{"op":"shipment.create","order":"ORD-9","shipment":{"location":"ams","items":[{"line":"l1","qty":1}]}}
{"op":"shipment.fire","id":"SHP-1","event":"process","key":"a-process"}
{"op":"order.fire","id":"ORD-9","event":"capture","input":{"amount":"50.00"},"key":"a-capture"}
{"op":"order.fire","id":"ORD-9","event":"approve"
{"op":"shipment.create","order":"ORD-9","as":"sales_portal","shipment":{"items":[{"line":"l1","qty":1}]}}
{"op":"order.fire","id":"ORD-9","event":"aprove","key":"a-typo"}
{"op":"order.fire","id":"ORD-9","event":"capture","input":{"amount":"5.00"},"key":"a-capture-5"}
"#;

fn results(out: &Output) -> Vec<Value> {
    stdout(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

#[test]
fn apply_runs_a_mixed_file_and_replays_keyed_lines() {
    let s = Store::new();
    stock_up(&s);
    let file = s.file("batch.jsonl", APPLY);
    let out = s.run(&["apply", &file]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "an error line makes it exit 2: {}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("applied 9 commands")
            && stderr(&out).contains("5 ok, 2 refused, 2 errors"),
        "{}",
        stderr(&out)
    );
    let r = results(&out);
    assert_eq!(r.len(), 9, "one result per line: {}", stdout(&out));
    let lines: Vec<u64> = r.iter().map(|x| x["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    let statuses: Vec<&str> = r.iter().map(|x| x["status"].as_str().unwrap()).collect();
    assert_eq!(
        statuses,
        ["ok", "ok", "ok", "ok", "refused", "error", "refused", "error", "ok"]
    );
    assert_eq!(r[0]["op"], "order.create");
    assert_eq!(r[1]["notified"][0], "order_placed");
    assert_eq!(
        r[2]["entity"],
        serde_json::json!({"kind": "shipment", "id": "SHP-1"})
    );
    assert_eq!(r[3]["steps"][0]["to"], "processing");
    assert!(
        r[4]["refusal"]["blockers"][0]["message"]
            .as_str()
            .unwrap()
            .contains("above the order total 20.00"),
        "{}",
        r[4]
    );
    assert!(
        r[5]["error"].as_str().unwrap().starts_with("not JSON"),
        "{}",
        r[5]
    );
    assert_eq!(r[6]["refusal"]["blockers"][0]["role"], "sales_portal");
    assert!(
        r[7]["error"]
            .as_str()
            .unwrap()
            .contains("did you mean `approve`?"),
        "{}",
        r[7]
    );

    // The ok lines changed state; the refused and erroring ones did not.
    let o = s.order("ORD-9");
    assert_eq!(
        o["order"]["states"]["order"], "placed",
        "line 6 (bad JSON) did not approve"
    );
    assert_eq!(
        o["order"]["captured"], "5.00",
        "line 5 (refused) captured nothing"
    );
    assert_eq!(o["order"]["states"]["payment"], "partially_paid");
    let shipments = o["shipments"].as_array().unwrap();
    assert_eq!(shipments.len(), 1, "line 7 (refused) made no shipment");
    assert_eq!(shipments[0]["states"]["shipment"], "processing");
    let history = s.json(&["order", "history", "ORD-9"]);
    let refused: Vec<(&str, &str)> = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["accepted"] == false)
        .map(|h| {
            (
                h["event"].as_str().unwrap(),
                h["actor"]["role"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        refused,
        [
            ("capture", "backoffice"),
            ("shipment.create", "sales_portal")
        ]
    );
    let dump = s.dump();
    assert!(
        !dump.contains_key("k/a-typo"),
        "an erroring line keeps no reply"
    );
    assert!(
        dump.contains_key("k/a-capture"),
        "a refused keyed line keeps its reply"
    );

    // Again: keyed lines replay their first outcome.
    let out = s.run(&["apply", &file]);
    assert_eq!(out.status.code(), Some(2));
    let again = results(&out);
    assert_eq!(again.len(), 9);
    for i in [1, 3, 4, 8] {
        assert_eq!(again[i]["replayed"], true, "line {}: {}", i + 1, again[i]);
        assert_eq!(again[i]["status"], r[i]["status"], "line {}", i + 1);
        assert_eq!(again[i]["steps"], r[i]["steps"], "line {}", i + 1);
    }
    assert_eq!(again[0]["status"], "error");
    assert!(again[0]["error"]
        .as_str()
        .unwrap()
        .contains("already exists"));
    assert_eq!(
        again[7]["status"], "error",
        "errors are not kept under their key"
    );
    assert!(again[7].get("replayed").is_none());
    let o = s.order("ORD-9");
    assert_eq!(
        o["order"]["captured"], "5.00",
        "the keyed capture was not run twice"
    );
    assert_eq!(o["order"]["states"]["order"], "placed");
}

#[test]
fn apply_exit_codes_and_stdin() {
    let s = Store::new();
    // All ok, from stdin: exit 0.
    let text = format!(
        "{}\n{}\n\n{}\n",
        r#"{"op":"order.create","order":{"id":"ORD-1","lines":[{"id":"l1","sku":"MUG","qty":1,"price":"10.00"}],"shipping":{"address":{"country":"NL"}}}}"#,
        r#"{"op":"order.fire","id":"ORD-1","event":"place","key":"p"}"#,
        r#"{"op":"order.note","id":"ORD-1","text":"from stdin"}"#,
    );
    let out = s.run_stdin(&["apply", "-"], &text);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let r = results(&out);
    let lines: Vec<u64> = r.iter().map(|x| x["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [1, 2, 4], "blank lines are skipped but counted");
    assert!(r.iter().all(|x| x["status"] == "ok"), "{}", stdout(&out));
    assert_eq!(s.state("ORD-1", "order"), "placed");
    assert_eq!(s.order("ORD-1")["order"]["notes"][0]["text"], "from stdin");

    // Only refusals: exit 1, and the refusal is recorded, nothing else.
    let before = s.dump();
    let file = s.file(
        "refused.jsonl",
        "{\"op\":\"order.fire\",\"id\":\"ORD-1\",\"event\":\"place\"}\n",
    );
    let out = s.run(&["apply", &file]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(results(&out)[0]["status"], "refused");
    assert_only_refusal_recorded("apply refusal", &before, &s.dump(), "ORD-1");

    // An error line: exit 2, nothing written.
    let before = s.dump();
    let out = s.run_stdin(
        &["apply", "-"],
        "{\"op\":\"order.explode\",\"id\":\"ORD-1\"}\n",
    );
    assert_eq!(out.status.code(), Some(2));
    let r = results(&out);
    assert_eq!(r[0]["status"], "error");
    assert_eq!(r[0]["line"], 1);
    assert!(
        r[0]["error"].as_str().unwrap().contains("order.explode"),
        "{}",
        r[0]
    );
    assert_unchanged("apply error", &before, &s.dump());

    // A missing file is bad input.
    let out = s.run(&["apply", "no/such.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot read no/such.jsonl"),
        "{}",
        stderr(&out)
    );
}

/// Results and the store do not depend on how commands are grouped.
#[test]
fn apply_gives_the_same_results_in_any_group_size() {
    let one = Store::new();
    let out = one.run(&["apply", "--group", "1", &one.file("b.jsonl", APPLY)]);
    assert_eq!(out.status.code(), Some(2));
    let by_one = results(&out);
    let three = Store::new();
    let out = three.run(&["apply", "--group", "3", &three.file("b.jsonl", APPLY)]);
    assert_eq!(out.status.code(), Some(2));
    let by_three = results(&out);
    let strip = |rows: &[Value]| -> Vec<(Value, Value, Value)> {
        rows.iter()
            .map(|r| (r["line"].clone(), r["status"].clone(), r["steps"].clone()))
            .collect()
    };
    assert_eq!(strip(&by_one), strip(&by_three));
    // A group writes each order's history under one key: the keys are the same but for the
    // history's, and the history is the same sequence of records.
    let keys = |s: &Store| -> (Vec<String>, Vec<(Value, Value, Value)>) {
        let mut others = Vec::new();
        let mut history = Vec::new();
        for (key, line) in s.dump() {
            if key.starts_with("h/") {
                let v: Value = serde_json::from_str(&line).unwrap();
                for r in v["value"]["value"].as_array().unwrap() {
                    history.push((r["seq"].clone(), r["event"].clone(), r["accepted"].clone()));
                }
            } else {
                others.push(key);
            }
        }
        (others, history)
    };
    assert_eq!(keys(&one), keys(&three));
    assert_eq!(
        one.order("ORD-9")["order"]["states"],
        three.order("ORD-9")["order"]["states"]
    );
}

/// An outbox entry written by one line can be acknowledged by a later line of the same group
/// (it used to be "not found" until the group was committed, so the result hung on `--group`).
#[test]
fn an_outbox_entry_is_acknowledged_within_its_own_group() {
    let first = Store::new();
    placed(&first, "ORD-1");
    let before: Vec<u64> = first.outbox_topics().iter().map(|(id, _)| *id).collect();
    first.ok(&["order", "fire", "ORD-1", "approve"]);
    let made: Vec<u64> = first
        .outbox_topics()
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| !before.contains(id))
        .collect();
    assert!(!made.is_empty(), "approving notified nobody");
    // The same commands on a fresh store give the same ids; now in one group, with the acks.
    let again = Store::new();
    placed(&again, "ORD-1");
    let mut lines = vec![r#"{"op":"order.fire","id":"ORD-1","event":"approve"}"#.to_string()];
    lines.extend(
        made.iter()
            .map(|id| format!(r#"{{"op":"outbox.ack","id":{id}}}"#)),
    );
    let file = again.file("acks.jsonl", &(lines.join("\n") + "\n"));
    let out = again.run(&["apply", &file]);
    let rows = results(&out);
    assert_eq!(out.status.code(), Some(0), "{rows:?}");
    assert!(rows.iter().all(|r| r["status"] == "ok"), "{rows:?}");
    let left: Vec<u64> = again.outbox_topics().iter().map(|(id, _)| *id).collect();
    assert_eq!(
        left, before,
        "the acknowledged entries are still in the outbox"
    );
}
