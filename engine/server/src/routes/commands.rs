//! `POST /v1/commands`: the JSON lines `waybill apply` reads, run in one group, each answered
//! with its reply and line number, as `apply` prints them. A line's `as` is checked against the
//! caller's role by the rules' `act_as:`, as `apply` checks it against `--as`.

use super::{Answer, RawBody, Shared};
use crate::auth::Caller;
use crate::problem::Problem;
use aide::axum::routing::post_with;
use aide::axum::ApiRouter;
use schemars::JsonSchema;
use serde::Serialize;
use std::sync::Arc;
use waybill_engine::command::{Reply, Request};
use waybill_engine::model::limits::MAX_INPUT_BYTES;

/// The most lines one request may carry.
pub const MAX_LINES: usize = 10_000;

/// The route.
pub fn routes() -> ApiRouter<Arc<crate::state::AppState>> {
    ApiRouter::new().api_route(
        "/v1/commands",
        post_with(commands, |op| {
            op.summary("Run apply lines (one JSON command per line) in one group")
                .tag("commands")
        }),
    )
}

/// One line's reply.
#[derive(Debug, Serialize, JsonSchema)]
pub struct LineReply {
    /// The line number, from 1.
    pub line: usize,
    /// What the command did.
    #[serde(flatten)]
    pub reply: Reply,
}

async fn commands(
    state: Shared,
    caller: Caller,
    RawBody(body): RawBody,
) -> Result<Answer<Vec<LineReply>>, Problem> {
    // Silently dropped, it would let a retry run every line again.
    if let Some(key) = &caller.key {
        return Err(Problem::bad_request(format!(
            "an Idempotency-Key header (`{}`) is not taken by /v1/commands, whose lines are \
             commands of their own: give each line its own `\"key\"`",
            waybill_engine::model::limits::escape_hidden(&key.chars().take(40).collect::<String>())
        )));
    }
    if body.len() > MAX_INPUT_BYTES {
        return Err(Problem::bad_request(format!(
            "the body is {} bytes; at most {MAX_INPUT_BYTES} are read",
            body.len()
        )));
    }
    let text = String::from_utf8(body.to_vec())
        .map_err(|e| Problem::bad_request(format!("the body is not UTF-8 text: {e}")))?;
    let lines: Vec<(usize, String)> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, l.to_string()))
        .collect();
    if lines.len() > MAX_LINES {
        return Err(Problem::bad_request(format!(
            "{} commands in one request; at most {MAX_LINES}",
            lines.len()
        )));
    }
    let replies = state
        .owner
        .call(move |exec| {
            let mut replies = Vec::with_capacity(lines.len());
            for (line, text) in lines {
                let reply = match Request::from_json(&text) {
                    Ok(request) => {
                        let request = Request {
                            role: caller.role.clone(),
                            caller: Some(caller.name.clone()),
                            ..request
                        };
                        let op = request.command.op();
                        match exec.execute(request) {
                            Ok(reply) => reply,
                            Err(e) if e.kind() == waybill_engine::Kind::Storage => {
                                return Err(e.into())
                            }
                            Err(e) => Reply::error(op, &e),
                        }
                    }
                    Err(e) => Reply::error("?", &e),
                };
                replies.push(LineReply { line, reply });
            }
            Ok(replies)
        })
        .await?;
    Ok(Answer::ok(replies))
}
