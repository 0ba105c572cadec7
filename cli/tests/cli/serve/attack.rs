//! What an outside tester found: a query token taken on a route that only ends in `webhook`,
//! path segments that do not parse answered as plain text, the local token reading as
//! `system`, and a `serve.json` left by a dead server whose port is now another server's.

use super::*;

#[test]
fn a_query_token_is_taken_on_the_carrier_webhook_route_only_not_on_paths_ending_in_webhook() {
    let (s, server, t) = shop();
    let a = server.post(&t, "/v1/orders", order("webhook"));
    assert_eq!(a.status, 201, "{a:?}");
    drop(server);
    let before = s.dump_text();
    let server = s.serve();
    for path in ["/v1/orders/webhook", "/v1/shipments/webhook"] {
        let a = server.get(None, &format!("{path}?token={t}"));
        problem(&a, 401, "no token");
    }
    let edit = json!({"customer": {"name": "Mallory"}}).to_string();
    let a = server.send(
        "PATCH",
        None,
        &format!("/v1/orders/webhook?token={t}"),
        &edit,
        &[],
    );
    problem(&a, 401, "no token");
    let (code, _) = server.stop();
    assert_eq!(code, Some(0));
    assert_eq!(before, s.dump_text(), "a refused request wrote something");
}

#[test]
fn the_local_token_can_not_read_as_system_nor_can_the_cli_beside_the_server() {
    let (s, server, t) = shop();
    let a = server.post(&t, "/v1/orders", order("ORD-1"));
    assert_eq!(a.status, 201, "{a:?}");
    let file = std::fs::read_to_string(s.data().join("serve.json")).unwrap();
    let local: Value = serde_json::from_str(&file).unwrap();
    let local = local["token"].as_str().unwrap();
    let role = [("x-waybill-role", "system")];
    for path in ["/v1/orders/ORD-1", "/v1/orders/ORD-1/history", "/v1/stock"] {
        let a = server.send("GET", Some(local), path, "", &role);
        problem(&a, 400, "no user can act as it");
    }
    // An API token's role is its own: the header is ignored.
    let a = server.send("GET", Some(&t), "/v1/orders/ORD-1", "", &role);
    assert_eq!(a.status, 200, "{a:?}");
    // The CLI says what it says without a server.
    for args in [
        ["--as", "system", "order", "show", "ORD-1"].as_slice(),
        &["--as", "system", "stock", "show"],
    ] {
        let err = s.fails(2, args);
        assert!(err.contains("no user can act as it"), "{err}");
    }
    drop(server);
    let err = s.fails(2, &["--as", "system", "order", "show", "ORD-1"]);
    assert!(err.contains("no user can act as it"), "{err}");
}

#[test]
fn a_path_segment_that_does_not_parse_or_a_method_not_taken_is_a_problem_document() {
    let (s, server, t) = shop();
    let a = server.post(&t, "/v1/orders", order("ORD-1"));
    assert_eq!(a.status, 201, "{a:?}");
    drop(server);
    let before = s.dump_text();
    let server = s.serve();
    let t = Some(t.as_str());
    let note = json!({"text": "x"}).to_string();
    let cases = [
        ("POST", "/v1/outbox/abc/ack", "", "`abc`"),
        ("POST", "/v1/outbox/-1/ack", "", "`-1`"),
        ("GET", "/v1/orders/%FF", "", "UTF-8"),
        (
            "PUT",
            "/v1/orders/ORD-1/notes/99999999999",
            note.as_str(),
            "`99999999999`",
        ),
    ];
    for (method, path, body, detail) in cases {
        let a = server.send(method, t, path, body, &[]);
        problem(&a, 400, detail);
    }
    // A method a route does not take is a problem too.
    let a = server.send("DELETE", t, "/v1/outbox", "", &[]);
    problem(&a, 405, "DELETE is not a method of /v1/outbox");
    let (code, _) = server.stop();
    assert_eq!(code, Some(0));
    assert_eq!(before, s.dump_text(), "a refused request wrote something");
}

#[test]
fn a_json_body_is_known_by_its_media_type_not_by_a_prefix() {
    let (_s, server, t) = shop();
    let t = Some(t.as_str());
    let body = order("ORD-1").to_string();
    let a = server.send(
        "POST",
        t,
        "/v1/orders",
        &body,
        &[("content-type", "application/jsonx")],
    );
    problem(&a, 400, "application/jsonx");
    let a = server.send(
        "POST",
        t,
        "/v1/orders",
        &body,
        &[("content-type", "Application/JSON; charset=utf-8")],
    );
    assert_eq!(a.status, 201, "{a:?}");
}

#[test]
fn an_idempotency_key_header_on_commands_is_refused_not_dropped() {
    let (s, server, t) = shop();
    let a = server.post(&t, "/v1/orders", order("ORD-1"));
    assert_eq!(a.status, 201, "{a:?}");
    drop(server);
    let before = s.dump_text();
    let server = s.serve();
    let line = json!({"op": "order.note", "id": "ORD-1", "text": "hello"}).to_string();
    let headers = [
        ("content-type", "application/x-ndjson"),
        ("idempotency-key", "batch-1"),
    ];
    for _ in 0..2 {
        let a = server.send("POST", Some(&t), "/v1/commands", &line, &headers);
        problem(&a, 400, "batch-1");
    }
    let (code, _) = server.stop();
    assert_eq!(code, Some(0));
    assert_eq!(before, s.dump_text(), "a refused request wrote something");
}

#[test]
fn a_serve_json_of_a_dead_server_whose_port_another_server_took_is_ignored() {
    // Another store's server now listens where the dead server did.
    let (_other, server, _) = shop();
    let s = Store::new();
    s.ok(&[
        "location",
        "add",
        "ams",
        "--country",
        "NL",
        "--priority",
        "1",
    ]);
    let mut gone = std::process::Command::new("true").spawn().unwrap();
    let pid = gone.id();
    gone.wait().unwrap();
    let stale = json!({"url": server.url, "pid": pid, "token": "wb_stale"});
    std::fs::write(s.data().join("serve.json"), stale.to_string()).unwrap();
    s.ok(&["stock", "set", "ams", "MUG", "6"]);
    assert_eq!(s.level("ams", "MUG").0, 6);
    // And a server can start on it.
    let mine = s.serve();
    let (code, err) = mine.stop();
    assert_eq!(code, Some(0), "{err}");
    // The other store was not touched.
    let a = server.get(Some("wb_stale"), "/v1/locations");
    problem(&a, 401, "not one this server knows");
}

#[test]
fn apply_beside_a_server_into_a_closed_pipe_applies_every_line_and_exits_0() {
    let (s, server, _) = shop();
    let lines: String = (1..=50)
        .map(|i| {
            format!("{{\"op\":\"stock.set\",\"location\":\"ams\",\"sku\":\"MUG\",\"qty\":{i}}}\n")
        })
        .collect();
    let file = s.file("lines.jsonl", &lines);
    let mut child = s
        .process()
        .args(["apply", &file, "--group", "10"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The reader stops before the first result (`| head -c 0`).
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("applied 50 commands"), "{err}");
    drop(server);
    assert_eq!(s.level("ams", "MUG").0, 50);
}

#[test]
fn sigterm_as_soon_as_the_server_says_it_is_ready_stops_it_cleanly() {
    let s = Store::new();
    for _ in 0..5 {
        let server = s.serve();
        let (code, err) = server.stop();
        assert_eq!(code, Some(0), "killed by the signal, not stopped: {err}");
        assert!(!s.data().join("serve.json").exists(), "serve.json left");
    }
}

/// A carrier token (the one a webhook URL carries, so the one access logs show) reads no
/// customer's order, history, stock or outbox: reads are `order.read`, `stock.read` and
/// `outbox.read` under the rules' `commands:`, which the default rules don't give `carrier`.
#[test]
fn a_carrier_token_reads_no_orders_history_stock_or_outbox() {
    let (s, server, t) = shop();
    let a = server.post(&t, "/v1/orders", order("ORD-1"));
    assert_eq!(a.status, 201, "{a:?}");
    let carrier = s.token("relay-bot", "carrier");
    for path in [
        "/v1/orders",
        "/v1/orders/ORD-1",
        "/v1/orders/ORD-1/history",
        "/v1/stock",
        "/v1/outbox",
    ] {
        let a = server.get(Some(&carrier), path);
        problem(&a, 403, "carrier");
    }
    // The roles that read still do.
    let a = server.get(Some(&t), "/v1/orders/ORD-1");
    assert_eq!(a.status, 200, "{a:?}");
    // And the CLI alone refuses the same read, with the same exit code as through the server.
    drop(server);
    let err = s.fails(1, &["--as", "carrier", "order", "show", "ORD-1"]);
    assert!(err.contains("role `carrier` may not do this"), "{err}");
    assert!(s
        .run(&["--as", "sales_portal", "order", "show", "ORD-1"])
        .status
        .success());
}
