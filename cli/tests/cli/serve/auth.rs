//! Tokens and roles: no token, a wrong or revoked token, a role the rules refuse, `system`,
//! the history naming the token, and idempotency keys with the CLI's semantics.

use super::*;

#[test]
fn a_request_without_a_known_token_is_401_and_changes_nothing() {
    let (s, server, t) = shop();
    let body = order("ORD-1").to_string();
    let a = server.send("POST", None, "/v1/orders", &body, &[]);
    problem(&a, 401, "no token");
    let a = server.send("POST", Some("wb_0000"), "/v1/orders", &body, &[]);
    problem(&a, 401, "not one this server knows");
    let a = server.send(
        "POST",
        None,
        "/v1/orders",
        &body,
        &[("authorization", "Basic YTpi")],
    );
    problem(&a, 401, "Bearer TOKEN");
    // A token revoked while the server runs is refused at its next request.
    let a = server.get(Some(&t), "/v1/locations");
    assert_eq!(a.status, 200);
    s.ok(&["token", "revoke", "shop"]);
    let a = server.get(Some(&t), "/v1/locations");
    problem(&a, 401, "not one this server knows");
    // The query token is for carrier webhooks only.
    let a = server.get(None, &format!("/v1/locations?token={t}"));
    problem(&a, 401, "no token");
    drop(server);
    assert!(s.run(&["order", "show", "ORD-1"]).status.code() == Some(2));
}

#[test]
fn the_tokens_file_keeps_hashes_only_and_no_token_holds_system() {
    let s = Store::new();
    let token = s.token("shop", "backoffice");
    assert!(token.starts_with("wb_") && token.len() == 67, "{token}");
    let file = std::fs::read_to_string(s.data().join("tokens.json")).unwrap();
    assert!(
        !file.contains(&token[3..]),
        "the token itself was kept: {file}"
    );
    assert!(file.contains("\"role\": \"backoffice\""), "{file}");
    let err = s.fails(2, &["token", "add", "robot", "--role", "system"]);
    assert!(err.contains("no user can act as it"), "{err}");
    let err = s.fails(2, &["token", "add", "x", "--role", "cashier"]);
    assert!(err.contains("unknown role `cashier`"), "{err}");
    let err = s.fails(2, &["token", "add", "shop", "--role", "backoffice"]);
    assert!(err.contains("a token named `shop` exists"), "{err}");
    let err = s.fails(2, &["token", "add", "../x", "--role", "backoffice"]);
    assert!(err.contains("token name"), "{err}");
    let err = s.fails(2, &["token", "revoke", "nobody"]);
    assert!(err.contains("no token named `nobody`"), "{err}");
    let now = std::fs::read_to_string(s.data().join("tokens.json")).unwrap();
    assert_eq!(now, file, "a refused token command changed the tokens file");
    let list = s.json(&["token", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["name"], "shop");
}

#[test]
fn a_role_the_rules_refuse_is_403_and_the_history_names_the_token() {
    let (s, server, t) = shop();
    let carrier = s.token("relay-bot", "carrier");
    let a = server.post(&carrier, "/v1/orders", order("ORD-1"));
    problem(&a, 403, "");
    assert_eq!(a.body["refusal"]["blockers"][0]["kind"], "role", "{a:?}");
    let a = server.post(&t, "/v1/orders", order("ORD-1"));
    assert_eq!(a.status, 201, "{a:?}");
    // The rules' own refusal is 409, with its reasons.
    let a = server.post(&t, "/v1/orders/ORD-1/events/ship_all", json!({}));
    problem(&a, 400, "ship_all");
    let a = server.post(&t, "/v1/orders/ORD-1/events/complete", json!({}));
    problem(&a, 409, "");
    assert!(a.body["refusal"]["blockers"].as_array().is_some(), "{a:?}");
    drop(server);
    let history = s.json(&["order", "history", "ORD-1"]);
    let created = history
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["event"] == "order.create" || h["event"] == "create")
        .cloned();
    let named: Vec<&Value> = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["actor"]["name"] == "shop")
        .collect();
    assert!(
        !named.is_empty(),
        "no record names the token: {history} {created:?}"
    );
}

#[test]
fn an_idempotency_key_replays_the_first_reply_and_refuses_another_request() {
    let (s, server, t) = shop();
    let body = order("ORD-1").to_string();
    let key = [("idempotency-key", "create-ORD-1")];
    let first = server.send("POST", Some(&t), "/v1/orders", &body, &key);
    assert_eq!(first.status, 201, "{first:?}");
    let again = server.send("POST", Some(&t), "/v1/orders", &body, &key);
    assert_eq!(again.status, 200, "{again:?}");
    assert_eq!(again.body["replayed"], true, "{again:?}");
    let other = order("ORD-2").to_string();
    let a = server.send("POST", Some(&t), "/v1/orders", &other, &key);
    problem(&a, 400, "create-ORD-1");
    drop(server);
    assert_eq!(s.run(&["order", "show", "ORD-2"]).status.code(), Some(2));
    let history = s.json(&["order", "history", "ORD-1"]);
    let creates = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["event"].as_str().unwrap_or("").contains("create"))
        .count();
    assert!(creates <= 1, "{history}");
}

#[test]
fn a_broken_tokens_file_or_listen_address_is_named_and_nothing_starts() {
    let s = Store::new();
    s.ok(&["location", "add", "ams", "--country", "NL"]);
    let before = s.dump_text();
    std::fs::write(s.data().join("tokens.json"), "{not json").unwrap();
    let err = s.fails(2, &["token", "list"]);
    assert!(err.contains("tokens.json is not a tokens file"), "{err}");
    let err = s.fails(2, &["token", "add", "shop", "--role", "backoffice"]);
    assert!(err.contains("tokens.json is not a tokens file"), "{err}");
    assert_eq!(
        std::fs::read_to_string(s.data().join("tokens.json")).unwrap(),
        "{not json"
    );
    let err = s.fails(2, &["serve", "--listen", "127.0.0.1:0"]);
    assert!(err.contains("tokens.json is not a tokens file"), "{err}");
    std::fs::remove_file(s.data().join("tokens.json")).unwrap();
    let err = s.fails(2, &["serve", "--listen", "nowhere:99999"]);
    assert!(err.contains("cannot listen on nowhere:99999"), "{err}");
    assert!(!s.data().join("serve.json").exists());
    assert_eq!(before, s.dump_text());
}
