//! What an adversary sends: malformed bodies and queries, the wrong content type, too much,
//! unknown routes, hostile ids. Each is a problem saying what and where, and the store is
//! exactly as it was.

use super::*;

/// A method, a path, a body, headers, the status and what the detail says.
type Case<'a> = (
    &'a str,
    String,
    String,
    Vec<(&'a str, &'a str)>,
    u16,
    &'a str,
);

#[test]
fn bad_requests_are_problems_and_leave_the_store_as_it_was() {
    let (s, server, t) = shop();
    let a = server.post(&t, "/v1/orders", order("ORD-1"));
    assert_eq!(a.status, 201);
    let t = Some(t.as_str());
    let cases: Vec<Case> = vec![
        (
            "POST",
            "/v1/orders".into(),
            "{not json".into(),
            vec![],
            400,
            "the body",
        ),
        (
            "POST",
            "/v1/orders".into(),
            r#"{"id": "X", "lines": [], "bogus": 1}"#.into(),
            vec![],
            400,
            "bogus",
        ),
        (
            "POST",
            "/v1/orders".into(),
            order("ORD-9").to_string(),
            vec![("content-type", "text/plain")],
            400,
            "application/json",
        ),
        (
            "POST",
            "/v1/orders".into(),
            json!({"id": "../../etc", "lines": []}).to_string(),
            vec![],
            400,
            "",
        ),
        (
            "POST",
            "/v1/orders/ORD-1/events/place".into(),
            r#"{"input": {"x": 1}, "extra": true}"#.into(),
            vec![],
            400,
            "extra",
        ),
        (
            "POST",
            "/v1/orders/ORD-1/events/nope".into(),
            "{}".into(),
            vec![],
            400,
            "nope",
        ),
        (
            "POST",
            "/v1/orders/ORD-404/events/place".into(),
            "{}".into(),
            vec![],
            404,
            "ORD-404",
        ),
        (
            "GET",
            "/v1/orders?limit=abc".into(),
            String::new(),
            vec![],
            400,
            "limit",
        ),
        (
            "GET",
            "/v1/orders?limit=5000".into(),
            String::new(),
            vec![],
            400,
            "more than 1000",
        ),
        (
            "GET",
            "/v1/orders?state=placed".into(),
            String::new(),
            vec![],
            400,
            "MACHINE=STATE",
        ),
        (
            "GET",
            "/v1/orders?surprise=1".into(),
            String::new(),
            vec![],
            400,
            "surprise",
        ),
        (
            "GET",
            "/v1/outbox?wait=3600".into(),
            String::new(),
            vec![],
            400,
            "more than 60",
        ),
        (
            "GET",
            "/v1/nowhere".into(),
            String::new(),
            vec![],
            404,
            "no route /v1/nowhere",
        ),
        (
            "GET",
            format!("/v1/orders/{}", "A".repeat(5000)),
            String::new(),
            vec![],
            404,
            "not found",
        ),
        (
            "PUT",
            "/v1/stock/ams/MUG".into(),
            r#"{"qty": -3}"#.into(),
            vec![],
            400,
            "-3",
        ),
        (
            "POST",
            "/v1/commands".into(),
            "\u{0}\u{1}".into(),
            vec![("content-type", "application/x-ndjson")],
            200,
            "",
        ),
        (
            "POST",
            "/v1/carriers/nosuch/webhook".into(),
            "{}".into(),
            vec![],
            400,
            "nosuch",
        ),
    ];
    drop(server);
    let before = s.dump_text();
    let server = s.serve();
    for (method, path, body, headers, status, detail) in &cases {
        let a = server.send(method, t, path, body, headers);
        if *status == 200 {
            assert_eq!(a.status, 200, "{method} {path}: {a:?}");
            assert_eq!(a.body[0]["status"], "error", "{method} {path}: {a:?}");
        } else {
            problem(&a, *status, detail);
        }
    }
    // Too much: more than 16 MiB is refused before it is read whole.
    let huge = format!(
        r#"{{"id": "ORD-2", "lines": [], "pad": "{}"}}"#,
        "x".repeat(17 << 20)
    );
    let a = server.send("POST", t, "/v1/orders", &huge, &[]);
    problem(&a, 413, "at most 16777216 bytes are read");
    let (code, _) = server.stop();
    assert_eq!(code, Some(0));
    let after = s.dump_text();
    // Refusals are history; nothing here is one, so nothing at all was written.
    assert_eq!(before, after, "a bad request wrote something");
}

#[test]
fn a_client_that_sends_slowly_is_cut_off_and_others_are_served() {
    use std::io::{Read, Write};
    use std::time::{Duration, Instant};
    let s = Store::new();
    let t = s.token("shop", "backoffice");
    let server = s.serve_with(&["--read-timeout", "0.5"]);
    let addr = server.url.strip_prefix("http://").unwrap().to_string();
    // Headers that never end (slowloris): the connection is closed after the timeout.
    let mut slow = std::net::TcpStream::connect(&addr).unwrap();
    slow.write_all(b"POST /v1/orders HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n")
        .unwrap();
    // A body that never comes: 408.
    let mut trickle = std::net::TcpStream::connect(&addr).unwrap();
    let head = format!(
        "POST /v1/orders HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {t}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{"
    );
    trickle.write_all(head.as_bytes()).unwrap();
    // Meanwhile the server answers others.
    let a = server.get(Some(&t), "/v1/locations");
    assert_eq!(a.status, 200, "{a:?}");
    let started = Instant::now();
    slow.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut answer = Vec::new();
    let _ = slow.read_to_end(&mut answer);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the slow client was not cut off"
    );
    trickle
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut answer = String::new();
    let _ = trickle.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("the body took more than 0.5 s"), "{answer}");
    let err = s.fails(2, &["serve", "--read-timeout", "0"]);
    assert!(err.contains("--read-timeout 0"), "{err}");
}
