//! `/v1/outbox`: notifications drained at least once. A consumer asks for what follows the
//! last entry it handled, waiting up to `wait` seconds for something to arrive (a long poll),
//! sends each, then acks it; an entry not acked is given again.

use super::{read, run, Answer, Path, Query, Shared};
use crate::auth::Caller;
use crate::problem::Problem;
use aide::axum::routing::{get_with, post_with};
use aide::axum::ApiRouter;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;
use waybill_engine::command::{Command, Reply};
use waybill_engine::store::OutboxEntry;

/// The longest long poll, in seconds.
pub const MAX_WAIT: u64 = 60;

/// The routes under `/v1/outbox`.
pub fn routes() -> ApiRouter<Arc<crate::state::AppState>> {
    ApiRouter::new()
        .api_route(
            "/v1/outbox",
            get_with(poll, |op| {
                op.summary("Entries after a position, waiting for some to arrive")
                    .tag("outbox")
            }),
        )
        .api_route(
            "/v1/outbox/{seq}/ack",
            post_with(ack, |op| {
                op.summary("Mark an entry delivered").tag("outbox")
            }),
        )
}

/// The query of a poll.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PollParams {
    /// Give entries with an id above this (default 0: from the first).
    #[serde(default)]
    pub after: u64,
    /// Seconds to wait when none is there yet (default 0, at most 60).
    #[serde(default)]
    pub wait: u64,
    /// At most this many (default 100, at most 1000).
    pub limit: Option<usize>,
}

/// What a poll found.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Polled {
    /// The entries, oldest first.
    pub entries: Vec<OutboxEntry>,
    /// The id to poll after next: the last entry's, or `after` when none came.
    pub last: u64,
}

async fn poll(
    state: Shared,
    caller: Caller,
    Query(p): Query<PollParams>,
) -> Result<Answer<Polled>, Problem> {
    if p.wait > MAX_WAIT {
        return Err(Problem::bad_request(format!(
            "wait={} is more than {MAX_WAIT} seconds",
            p.wait
        )));
    }
    let limit = p.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(Problem::bad_request(format!(
            "limit {limit} must be 1 to 1000"
        )));
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(p.wait);
    let mut commits = state.owner.commits();
    let mut stopping = state.stopping.clone();
    loop {
        // Seen before reading, so a commit between the read and the wait wakes the wait.
        commits.borrow_and_update();
        let after = p.after;
        let entries = read(&state, &caller, "outbox.read", move |exec| {
            Ok(exec.outbox_after(after, limit)?)
        })
        .await?;
        if !entries.is_empty() || tokio::time::Instant::now() >= deadline || *stopping.borrow() {
            let last = entries.last().map_or(p.after, |e| e.id);
            return Ok(Answer::ok(Polled { entries, last }));
        }
        tokio::select! {
            changed = commits.changed() => if changed.is_err() {
                return Err(Problem::from(waybill_engine::Error::storage("the server is stopping")));
            },
            _ = stopping.changed() => {}
            _ = tokio::time::sleep_until(deadline) => {}
        }
    }
}

async fn ack(
    state: Shared,
    caller: Caller,
    Path(seq): Path<u64>,
) -> Result<Answer<Reply>, Problem> {
    run(&state, &caller, Command::OutboxAck { id: seq }, false).await
}
