//! Every route, once, the way an integration drives an order: create, place, pay, ship by
//! hand and by carrier, notes, edits, stock, outbox.

use super::*;

#[test]
fn an_order_goes_from_checkout_to_delivery_over_http() {
    let (s, server, t) = shop();
    let t = t.as_str();

    let a = server.post(t, "/v1/orders", order("ORD-1"));
    assert_eq!(a.status, 201, "{a:?}");
    assert_eq!(a.body["status"], "ok");
    let a = server.post(t, "/v1/orders/ORD-1/events/place", json!({}));
    assert_eq!(a.status, 200, "{a:?}");
    let a = server.get(Some(t), "/v1/orders/ORD-1");
    assert_eq!(a.body["order"]["states"]["order"], "placed", "{a:?}");

    let a = server.get(Some(t), "/v1/orders?state=order=placed");
    assert_eq!(a.body["orders"].as_array().unwrap().len(), 1, "{a:?}");
    let a = server.get(Some(t), "/v1/orders?state=order=canceled");
    assert_eq!(a.body["orders"].as_array().unwrap().len(), 0, "{a:?}");

    let a = server.get(Some(t), "/v1/orders/ORD-1/can");
    let events: Vec<&str> = a
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["event"].as_str().unwrap())
        .collect();
    assert!(events.contains(&"cancel"), "{a:?}");

    // Notes: add, change, delete.
    let a = server.post(t, "/v1/orders/ORD-1/notes", json!({"text": "gift wrap"}));
    assert_eq!(a.status, 201, "{a:?}");
    let a = server.send(
        "PUT",
        Some(t),
        "/v1/orders/ORD-1/notes/1",
        r#"{"text": "gift wrap, blue"}"#,
        &[],
    );
    assert_eq!(a.status, 200, "{a:?}");
    let a = server.send("DELETE", Some(t), "/v1/orders/ORD-1/notes/1", "", &[]);
    assert_eq!(a.status, 200, "{a:?}");

    // The customer.
    let a = server.send(
        "PATCH",
        Some(t),
        "/v1/orders/ORD-1",
        r#"{"customer": {"name": "Ada", "email": "ada@example.com"}}"#,
        &[],
    );
    assert_eq!(a.status, 200, "{a:?}");

    // A split proposed, then a shipment by hand, edited and deleted, then the split made.
    let a = server.post(t, "/v1/orders/ORD-1/split", json!({"dry_run": true}));
    assert_eq!(a.status, 200, "{a:?}");
    assert!(a.body["proposal"].is_object(), "{a:?}");
    let a = server.post(
        t,
        "/v1/orders/ORD-1/shipments",
        json!({"location": "ams", "items": [{"line": "l1", "qty": 1}]}),
    );
    assert_eq!(a.status, 201, "{a:?}");
    let shp = a.body["entity"]["id"].as_str().unwrap().to_string();
    let a = server.send(
        "PATCH",
        Some(t),
        &format!("/v1/shipments/{shp}"),
        r#"{"changes": {"items": [{"line": "l1", "qty": 2}]}}"#,
        &[],
    );
    assert_eq!(a.status, 200, "{a:?}");
    let a = server.get(Some(t), &format!("/v1/shipments/{shp}"));
    assert_eq!(a.body["order"], "ORD-1", "{a:?}");
    assert_eq!(a.body["shipment"]["items"][0]["qty"], 2, "{a:?}");
    let a = server.get(Some(t), "/v1/stock");
    assert_eq!(a.body["levels"][0]["reserved"], 2, "{a:?}");
    let a = server.send("DELETE", Some(t), &format!("/v1/shipments/{shp}"), "", &[]);
    assert_eq!(a.status, 200, "{a:?}");
    let a = server.post(t, "/v1/orders/ORD-1/split", json!({}));
    assert_eq!(a.status, 201, "{a:?}");
    let shp = a.body["created"][0].as_str().unwrap().to_string();

    // A payment.
    let a = server.post(
        t,
        "/v1/orders/ORD-1/payments",
        json!({"amount": "10.00", "method": "card"}),
    );
    assert_eq!(a.status, 201, "{a:?}");
    let pay = a.body["created"][0].as_str().unwrap().to_string();
    let a = server.get(Some(t), &format!("/v1/payments/{pay}"));
    assert_eq!(a.body["order"], "ORD-1", "{a:?}");
    let machine_events = server.get(Some(t), &format!("/v1/payments/{pay}"));
    assert!(
        machine_events.body["payment"]["states"].is_object(),
        "{machine_events:?}"
    );

    // The shipment by carrier: rates, a label, the carrier's webhook.
    let a = server.get(
        Some(t),
        &format!("/v1/shipments/{shp}/rates?carrier=nationalpost"),
    );
    assert_eq!(a.status, 200, "{a:?}");
    assert!(!a.body["rates"].as_array().unwrap().is_empty(), "{a:?}");
    let a = server.post(
        t,
        &format!("/v1/shipments/{shp}/label"),
        json!({"carrier": "nationalpost"}),
    );
    assert_eq!(a.status, 200, "{a:?}");
    let carrier = s.token("nationalpost", "carrier");
    let a = server.get(Some(t), &format!("/v1/shipments/{shp}"));
    let code = a.body["shipment"]["tracking"][0]["code"]
        .as_str()
        .unwrap()
        .to_string();
    let sample = std::fs::read_to_string(
        crate::util::repo().join("carriers/samples/nationalpost/in_transit.json"),
    )
    .unwrap()
    .replace("RR000000014NL", &code);
    let a = server.send(
        "POST",
        None,
        &format!("/v1/carriers/nationalpost/webhook?token={carrier}"),
        &sample,
        &[],
    );
    assert_eq!(a.status, 200, "{a:?}");
    let a = server.get(Some(t), &format!("/v1/shipments/{shp}"));
    assert_eq!(
        a.body["shipment"]["states"]["shipment"], "in_transit",
        "{a:?}"
    );
    let a = server.get(Some(t), "/v1/shipments?order=ORD-1&state=in_transit");
    assert_eq!(a.body["shipments"].as_array().unwrap().len(), 1, "{a:?}");
    let a = server.get(Some(t), &format!("/v1/shipments/{shp}/can"));
    assert!(a.body.as_array().is_some(), "{a:?}");
    let a = server.post(t, &format!("/v1/shipments/{shp}/events/deliver"), json!({}));
    assert_eq!(a.status, 200, "{a:?}");
    let a = server.get(Some(t), "/v1/orders/ORD-1/history");
    let events: Vec<&str> = a
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["event"].as_str().unwrap())
        .collect();
    assert!(
        events.contains(&"deliver") && events.contains(&"ship"),
        "{events:?}"
    );
    let webhook_actor = a
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["event"] == "ship")
        .unwrap();
    assert_eq!(webhook_actor["actor"]["role"], "carrier", "{webhook_actor}");

    // Locations and stock.
    let a = server.post(t, "/v1/locations", json!({"id": "rtm", "country": "NL"}));
    assert_eq!(a.status, 201, "{a:?}");
    let a = server.send("PUT", Some(t), "/v1/stock/rtm/MUG", r#"{"qty": 7}"#, &[]);
    assert_eq!(a.status, 200, "{a:?}");
    let a = server.get(Some(t), "/v1/locations");
    assert_eq!(a.body.as_array().unwrap().len(), 2, "{a:?}");

    // The outbox, drained: what is there at once, then acked.
    let a = server.get(Some(t), "/v1/outbox?after=0&limit=1000");
    let entries = a.body["entries"].as_array().unwrap().clone();
    assert!(!entries.is_empty(), "{a:?}");
    for e in &entries {
        let a = server.post(t, &format!("/v1/outbox/{}/ack", e["id"]), json!({}));
        assert_eq!(a.status, 200, "{a:?}");
    }
    let a = server.get(Some(t), "/v1/outbox?after=0");
    assert!(a.body["entries"].as_array().unwrap().is_empty(), "{a:?}");
    let a = server.post(t, "/v1/outbox/99999/ack", json!({}));
    problem(&a, 404, "outbox entry 99999 not found");

    // A fire into a state and an order cancel, refused once delivered.
    let a = server.post(t, "/v1/orders/ORD-1/to/canceled", json!({}));
    problem(&a, 400, "order=canceled");
    drop(server);
    assert_eq!(s.state("ORD-1", "fulfillment"), "delivered");
}

#[test]
fn commands_take_apply_lines_and_answer_each() {
    let (_s, server, t) = shop();
    let lines = [
        json!({"op": "order.create", "order": order("ORD-7"), "key": "c7"}).to_string(),
        json!({"op": "order.fire", "id": "ORD-7", "event": "place"}).to_string(),
        "not json".to_string(),
        json!({"op": "order.fire", "id": "ORD-7", "event": "deliver_all"}).to_string(),
    ]
    .join("\n");
    let a = server.send(
        "POST",
        Some(&t),
        "/v1/commands",
        &lines,
        &[("content-type", "application/x-ndjson")],
    );
    assert_eq!(a.status, 200, "{a:?}");
    let replies = a.body.as_array().unwrap();
    let statuses: Vec<&str> = replies
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["ok", "ok", "error", "error"], "{a:?}");
    assert_eq!(replies[2]["line"], 3);
    assert!(
        replies[3]["error"]
            .as_str()
            .unwrap()
            .contains("deliver_all"),
        "{a:?}"
    );
}

#[test]
fn the_outbox_long_poll_wakes_when_an_entry_arrives() {
    let (_s, server, t) = shop();
    let a = server.post(&t, "/v1/orders", order("ORD-1"));
    assert_eq!(a.status, 201);
    let start = server.get(Some(&t), "/v1/outbox");
    let after = start.body["last"].as_u64().unwrap();
    let url = server.url.clone();
    let token = t.clone();
    let poll = std::thread::spawn(move || {
        let started = std::time::Instant::now();
        let mut r = crate::util::server::agent()
            .get(format!("{url}/v1/outbox?after={after}&wait=30"))
            .header("authorization", format!("Bearer {token}"))
            .call()
            .unwrap();
        let body: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
        (started.elapsed(), body)
    });
    std::thread::sleep(std::time::Duration::from_millis(500));
    let a = server.post(&t, "/v1/orders/ORD-1/events/place", json!({}));
    assert_eq!(a.status, 200, "{a:?}");
    let (waited, body) = poll.join().unwrap();
    let entries = body["entries"].as_array().unwrap();
    assert!(!entries.is_empty(), "{body}");
    assert!(
        entries.iter().all(|e| e["id"].as_u64().unwrap() > after),
        "{body}"
    );
    assert!(
        waited.as_secs() < 30,
        "the poll waited for its time-out, not for the entry"
    );
    assert_eq!(body["last"], entries.last().unwrap()["id"]);
}

#[test]
fn a_signed_webhook_over_http_moves_the_shipment_and_a_bad_signature_is_401_writing_nothing() {
    use crate::carriers::signatures::sample_signature;
    let s = Store::sendcloud();
    let carrier = s.token("sendcloud", "carrier");
    let body = std::fs::read_to_string(
        crate::util::repo().join("carriers/samples/sendcloud/en_route.json"),
    )
    .unwrap();
    let signed = sample_signature("sendcloud", "en_route", "Sendcloud-Signature");
    let (name, value) = signed.split_once(':').unwrap();
    let server = s.serve();
    let path = format!("/v1/carriers/sendcloud/webhook?token={carrier}");
    // A wrong signature: 401, and nothing at all is written.
    let a = server.send("POST", None, &path, &body, &[(name, "00ff")]);
    problem(&a, 401, "unauthorized");
    let a = server.send("POST", None, &path, &body, &[]);
    problem(&a, 401, "");
    drop(server);
    let before = s.dump_text();
    let server = s.serve();
    let a = server.send(
        "POST",
        None,
        &path,
        &body.replace("3SYZ", "3SYA"),
        &[(name, value.trim())],
    );
    problem(&a, 401, "");
    drop(server);
    assert_eq!(before, s.dump_text(), "a refused webhook wrote something");
    // A CLI beside the server is refused the same way, with the CLI's exit code.
    let server = s.serve();
    let file = s.file("hook.json", &body);
    let out = s.expect(
        &[
            "--wait",
            "0",
            "carrier",
            "webhook",
            "sendcloud",
            &file,
            "--header",
            &format!("{name}: 00ff"),
        ],
        4,
    );
    assert!(
        crate::util::stderr(&out).contains("unauthorized"),
        "{out:?}"
    );
    drop(server);
    assert_eq!(before, s.dump_text(), "a refused webhook wrote something");
    // The right one moves the shipment.
    let server = s.serve();
    let a = server.send("POST", None, &path, &body, &[(name, value.trim())]);
    assert_eq!(a.status, 200, "{a:?}");
    assert!(
        a.body["events"][0].as_str().unwrap().contains("fired"),
        "{a:?}"
    );
    drop(server);
    assert_eq!(s.shipment_state("SHP-1"), "in_transit");
}
