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
