//! `/v1/carriers/{id}/webhook`: a carrier's push. The adapter gets the request's headers and
//! raw body, checks the signature with the carrier's configured secret, and says which events
//! it carries; a webhook the adapter rejects writes nothing.

use super::{run, Answer, Path, RawBody, Shared};
use crate::auth::Caller;
use crate::problem::Problem;
use aide::axum::routing::post_with;
use aide::axum::ApiRouter;
use axum::http::HeaderMap;
use std::collections::BTreeMap;
use std::sync::Arc;
use waybill_engine::command::{Command, Reply};

/// The routes under `/v1/carriers`.
pub fn routes() -> ApiRouter<Arc<crate::state::AppState>> {
    ApiRouter::new().api_route(
        "/v1/carriers/{id}/webhook",
        post_with(webhook, |op| {
            op.summary("Receive a carrier's webhook (its raw body and headers)")
                .tag("carriers")
        }),
    )
}

async fn webhook(
    state: Shared,
    caller: Caller,
    Path(carrier): Path<String>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> Result<Answer<Reply>, Problem> {
    let body = String::from_utf8(body.to_vec())
        .map_err(|e| Problem::bad_request(format!("the webhook body is not UTF-8 text: {e}")))?;
    let mut kept = BTreeMap::new();
    for (name, value) in &headers {
        // Credentials of the hop to waybill are not the carrier's to see.
        if name == "authorization" {
            continue;
        }
        let value = value
            .to_str()
            .map_err(|_| Problem::bad_request(format!("the {name} header is not visible ASCII")))?;
        // A header sent twice is one value, as HTTP reads it.
        kept.entry(name.as_str().to_string())
            .and_modify(|v: &mut String| {
                v.push_str(", ");
                v.push_str(value);
            })
            .or_insert_with(|| value.to_string());
    }
    let command = Command::CarrierWebhook {
        carrier,
        headers: kept,
        body,
    };
    run(&state, &caller, command, false).await
}
