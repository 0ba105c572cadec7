//! One owner of the store: CLIs beside the server send it their commands, SIGTERM stops it
//! cleanly, and SIGKILL under load loses no acknowledged request and invents none.

use super::*;
use crate::util::server::agent;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[test]
fn sixteen_clis_at_once_beside_a_server_all_succeed() {
    let (s, server, t) = shop();
    let a = server.post(&t, "/v1/orders", order("ORD-1"));
    assert_eq!(a.status, 201);
    let children: Vec<_> = (0..16)
        .map(|i| {
            let mut cmd = s.process();
            cmd.args(["order", "note", "ORD-1", &format!("note {i}")])
                .arg("--idempotency-key")
                .arg(format!("n-{i}"))
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut failures = Vec::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        if !out.status.success() {
            failures.push(String::from_utf8_lossy(&out.stderr).into_owned());
        }
    }
    assert!(
        failures.is_empty(),
        "{} failed: {failures:?}",
        failures.len()
    );
    // What a CLI beside the server reads and refuses comes from the server too.
    let out = s.run(&["order", "note", "ORD-404", "x"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(crate::util::stderr(&out).contains("ORD-404"), "{out:?}");
    let (code, err) = server.stop();
    assert_eq!(code, Some(0), "{err}");
    assert!(
        !s.data().join("serve.json").exists(),
        "serve.json left behind"
    );
    let agg = s.order("ORD-1");
    assert_eq!(agg["order"]["notes"].as_array().unwrap().len(), 16, "{agg}");
    // The history names the CLI beside the server.
    let history = s.json(&["order", "history", "ORD-1"]);
    assert!(
        history
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["actor"]["name"] == "cli"),
        "{history}"
    );
}

#[test]
fn a_server_killed_under_load_keeps_every_acknowledged_request_exactly_once() {
    under_load_then(|server| server.kill());
}

#[test]
fn sigterm_under_load_answers_what_it_took_and_exits_0() {
    under_load_then(|server| {
        let (code, err) = server.stop();
        assert_eq!(code, Some(0), "{err}");
        assert!(err.contains("stopped"), "{err}");
    });
}

/// Eight clients add notes as fast as they can; `end` stops the server 1.5 s in. Then every
/// acknowledged note is in the store exactly once, and no note that was never sent.
fn under_load_then(end: impl FnOnce(Server)) {
    let (s, server, t) = shop();
    let a = server.post(&t, "/v1/orders", order("ORD-1"));
    assert_eq!(a.status, 201);
    let acked: Arc<Mutex<BTreeMap<String, u16>>> = Default::default();
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..8)
        .map(|w| {
            let (url, token, acked, stop) =
                (server.url.clone(), t.clone(), acked.clone(), stop.clone());
            std::thread::spawn(move || {
                let agent = agent();
                let mut i = 0;
                while !stop.load(Ordering::SeqCst) {
                    let text = format!("w{w}-{i}");
                    let sent = agent
                        .post(format!("{url}/v1/orders/ORD-1/notes"))
                        .header("authorization", format!("Bearer {token}"))
                        .header("idempotency-key", &text)
                        .header("content-type", "application/json")
                        .send(json!({"text": text}).to_string());
                    match sent {
                        Ok(r) if r.status().is_success() => {
                            acked.lock().unwrap().insert(text, r.status().as_u16());
                        }
                        Ok(_) => {}
                        Err(_) => break,
                    }
                    i += 1;
                }
                i
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    end(server);
    stop.store(true, Ordering::SeqCst);
    let sent: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() > 10,
        "only {} of {sent} acknowledged before the kill",
        acked.len()
    );

    // The store opens (the dead server's serve.json is ignored) and holds each acknowledged
    // note exactly once, and no note that was never sent.
    let agg = s.order("ORD-1");
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for note in agg["order"]["notes"].as_array().unwrap() {
        *counts
            .entry(note["text"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    for text in acked.keys() {
        assert_eq!(
            counts.get(text),
            Some(&1),
            "acknowledged `{text}` is there {:?} times",
            counts.get(text)
        );
    }
    for (text, n) in &counts {
        assert_eq!(*n, 1, "`{text}` is there {n} times");
        let (w, i) = text[1..].split_once('-').unwrap();
        assert!(
            w.parse::<usize>().unwrap() < 8 && i.parse::<usize>().is_ok(),
            "`{text}` was never sent"
        );
    }
    let out = s.run(&["store", "check"]);
    assert!(out.status.success(), "{out:?}");
}

#[test]
fn the_openapi_document_is_3_1_and_lists_every_route_the_server_answers() {
    let (_s, server, t) = shop();
    let a = server.get(None, "/v1/openapi.json");
    assert_eq!(a.status, 200);
    let doc = a.body;
    assert_eq!(doc["openapi"], "3.1.0", "{doc}");
    let paths = doc["paths"].as_object().unwrap();
    let expected = [
        ("post", "/v1/orders"),
        ("get", "/v1/orders"),
        ("get", "/v1/orders/{id}"),
        ("patch", "/v1/orders/{id}"),
        ("post", "/v1/orders/{id}/events/{event}"),
        ("post", "/v1/orders/{id}/to/{state}"),
        ("get", "/v1/orders/{id}/can"),
        ("get", "/v1/orders/{id}/history"),
        ("post", "/v1/orders/{id}/notes"),
        ("put", "/v1/orders/{id}/notes/{note}"),
        ("delete", "/v1/orders/{id}/notes/{note}"),
        ("post", "/v1/orders/{id}/shipments"),
        ("post", "/v1/orders/{id}/split"),
        ("post", "/v1/orders/{id}/payments"),
        ("get", "/v1/shipments"),
        ("get", "/v1/shipments/{id}"),
        ("patch", "/v1/shipments/{id}"),
        ("delete", "/v1/shipments/{id}"),
        ("post", "/v1/shipments/{id}/events/{event}"),
        ("post", "/v1/shipments/{id}/to/{state}"),
        ("get", "/v1/shipments/{id}/can"),
        ("get", "/v1/shipments/{id}/rates"),
        ("post", "/v1/shipments/{id}/label"),
        ("post", "/v1/shipments/{id}/void"),
        ("get", "/v1/payments/{id}"),
        ("post", "/v1/payments/{id}/events/{event}"),
        ("get", "/v1/locations"),
        ("post", "/v1/locations"),
        ("get", "/v1/stock"),
        ("put", "/v1/stock/{location}/{sku}"),
        ("get", "/v1/outbox"),
        ("post", "/v1/outbox/{seq}/ack"),
        ("post", "/v1/carriers/{id}/webhook"),
        ("post", "/v1/commands"),
    ];
    let mut documented = 0;
    for (path, item) in paths {
        for method in item.as_object().unwrap().keys() {
            documented += 1;
            assert!(
                expected.contains(&(method.as_str(), path.as_str())),
                "undocumented in this test: {method} {path}"
            );
            // Every documented route is one the server has (no fallback "no route").
            let concrete = path
                .replace("{note}", "1")
                .replace("{seq}", "1")
                .replace('{', "X")
                .replace('}', "");
            let body = if method == "get" || method == "delete" {
                ""
            } else {
                "{}"
            };
            let a = server.send(&method.to_uppercase(), Some(&t), &concrete, body, &[]);
            let fallback = a.body["detail"]
                .as_str()
                .is_some_and(|d| d.starts_with("no route"));
            assert!(
                !fallback && a.status != 405,
                "{method} {path} is documented but not served: {a:?}"
            );
            // Its answers are documented, and its schemas resolve.
            let op = &item[method];
            assert!(
                op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                "{method} {path}: {op}"
            );
        }
    }
    assert_eq!(documented, expected.len(), "{paths:?}");
    let text = doc.to_string();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in ["Reply", "OrderAggregate", "Problem", "OrderSpec", "Refusal"] {
        assert!(schemas.contains_key(name), "no schema {name}");
    }
    for r in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = &r[..r.find('"').unwrap()];
        assert!(
            schemas.contains_key(name),
            "a $ref to a missing schema {name}"
        );
    }
}

#[test]
fn reads_and_apply_beside_a_server_go_through_it() {
    let (s, server, t) = shop();
    let lines = [
        json!({"op": "order.create", "order": order("ORD-1")}).to_string(),
        json!({"op": "order.fire", "id": "ORD-1", "event": "place"}).to_string(),
        json!({"op": "order.fire", "id": "ORD-1", "event": "complete"}).to_string(),
        "{".to_string(),
    ];
    let file = s.file("lines.jsonl", &(lines.join("\n") + "\n"));
    let out = s.expect(&["--wait", "0", "apply", &file], 2);
    let results: Vec<Value> = crate::util::stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let got: Vec<(u64, &str)> = results
        .iter()
        .map(|r| (r["line"].as_u64().unwrap(), r["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        [(1, "ok"), (2, "ok"), (3, "refused"), (4, "error")],
        "{out:?}"
    );
    // `--wait 0`: had these opened the store, the server's lock would have failed them.
    let shown = s.json(&["--wait", "0", "order", "show", "ORD-1"]);
    assert_eq!(shown["order"]["states"]["order"], "placed", "{shown}");
    let history = s.json(&["--wait", "0", "order", "history", "ORD-1"]);
    assert!(history.as_array().unwrap().len() >= 2, "{history}");
    let stock = s.ok(&["--wait", "0", "stock", "show"]);
    assert!(stock.contains("MUG"), "{stock}");
    let locations = s.json(&["--wait", "0", "location", "list"]);
    assert_eq!(locations[0]["id"], "ams", "{locations}");
    let outbox = s.json(&["--wait", "0", "outbox", "list"]);
    assert!(outbox.as_array().is_some(), "{outbox}");
    let err = s.fails(2, &["--wait", "0", "order", "show", "ORD-404"]);
    assert!(err.contains("ORD-404"), "{err}");
    let a = server.post(
        &t,
        "/v1/orders/ORD-1/payments",
        json!({"amount": "10.00", "method": "card"}),
    );
    let pay = a.body["entity"]["id"].as_str().unwrap().to_string();
    let payment = s.json(&["--wait", "0", "payment", "show", &pay]);
    assert_eq!(payment["id"], pay, "{payment}");
}

#[test]
fn order_list_and_can_beside_a_server_and_a_clear_word_for_what_needs_the_store() {
    let (s, server, t) = shop();
    for i in 0..5 {
        let a = server.post(&t, "/v1/orders", order(&format!("ORD-{i}")));
        assert_eq!(a.status, 201);
    }
    let a = server.post(&t, "/v1/orders/ORD-3/events/place", json!({}));
    assert_eq!(a.status, 200);
    let all = s.json(&["--wait", "0", "order", "list"]);
    assert_eq!(all.as_array().unwrap().len(), 5, "{all}");
    let page = s.json(&["--wait", "0", "order", "list", "--limit", "2"]);
    assert_eq!(page["orders"].as_array().unwrap().len(), 2, "{page}");
    let next = page["next"].as_str().unwrap().to_string();
    let rest = s.json(&[
        "--wait", "0", "order", "list", "--limit", "10", "--after", &next,
    ]);
    assert_eq!(rest["orders"].as_array().unwrap().len(), 3, "{rest}");
    let placed = s.json(&["--wait", "0", "order", "list", "--state", "order=placed"]);
    assert_eq!(placed[0]["id"], "ORD-3", "{placed}");
    let can = s.json(&["--wait", "0", "order", "can", "ORD-3"]);
    assert!(
        can.as_array()
            .unwrap()
            .iter()
            .any(|c| c["event"] == "cancel" && c["allowed"] == true),
        "{can}"
    );
    // A role the rules don't let read is refused, as it is without a server.
    let err = s.fails(
        1,
        &["--wait", "0", "--as", "carrier", "order", "can", "ORD-3"],
    );
    assert!(err.contains("role `carrier` may not do this"), "{err}");
    // What reads the store itself says who holds it, at once.
    let started = std::time::Instant::now();
    let err = s.fails(3, &["store", "dump"]);
    assert!(
        err.contains("`waybill serve` at http://127.0.0.1:") && err.contains("stop it"),
        "{err}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "it waited for the lock"
    );
}

#[test]
fn serve_polls_the_carriers_without_webhooks_when_asked() {
    use crate::carriers::poll::{api, POLLED};
    let tracking = crate::util::http::Server::handle(api);
    let mut s = Store::shipped_from_ams();
    s.file("carriers/polled.rhai", POLLED);
    let host = tracking
        .base
        .strip_prefix("http://")
        .and_then(|r| r.split('/').next())
        .unwrap()
        .to_string();
    s.carrier_config = Some(std::path::PathBuf::from(s.file(
        "carriers.yaml",
        &format!(
            "polled:\n  allowed_hosts: [\"{host}\"]\n  values: {{ url: \"{}/track\" }}\n",
            tracking.base
        ),
    )));
    s.ok(&["shipment", "edit", "SHP-1", "--tracking", "T-1@polled"]);
    let t = s.token("ops", "backoffice");
    let server = s.serve_with(&["--poll-every", "1"]);
    let mut state = String::new();
    for _ in 0..50 {
        let a = server.get(Some(&t), "/v1/shipments/SHP-1");
        state = a.body["shipment"]["states"]["shipment"]
            .as_str()
            .unwrap_or("")
            .to_string();
        if state == "in_transit" {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(state, "in_transit", "the poll did not move the shipment");
    let err = s.fails(2, &["serve", "--poll-every", "0.1"]);
    assert!(err.contains("--poll-every 0.1"), "{err}");
}
