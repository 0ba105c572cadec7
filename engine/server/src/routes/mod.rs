//! The routes, by area, and what they share: JSON bodies and query strings whose rejections are
//! problems too, and [`run`], which sends a command to the store's owner and answers with its
//! reply (2xx) or its problem.
//!
//! - [`orders`]: orders, their events, notes, history, `can`, shipments, payments and splits;
//! - [`shipments`], [`payments`]: one shipment or payment, its events, edits and labels;
//! - [`stock`]: locations and stock levels;
//! - [`outbox`]: the long poll of notifications and their acks;
//! - [`carriers`]: carrier webhooks and rates;
//! - [`commands`]: `apply` lines over HTTP;
//! - [`docs`]: the OpenAPI document.

pub mod carriers;
pub mod commands;
pub mod docs;
pub mod orders;
pub mod outbox;
pub mod payments;
pub mod shipments;
pub mod stock;

use crate::auth::Caller;
use crate::problem::Problem;
use crate::state::AppState;
use aide::generate::GenContext;
use aide::openapi::{Operation, Response as ApiResponse, StatusCode as ApiStatus};
use aide::{OperationInput, OperationOutput};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::sync::Arc;
use waybill_engine::command::{Command, Reply, Status};
use waybill_engine::model::limits::MAX_INPUT_BYTES;

/// The state every handler gets.
pub type Shared = axum::extract::State<Arc<AppState>>;

/// Runs `command` for `caller` in the next group: its reply once durable, `201 Created` when
/// `created`, or the problem of a refusal or an error.
pub async fn run(
    state: &AppState,
    caller: &Caller,
    command: Command,
    created: bool,
) -> Result<Answer<Reply>, Problem> {
    let request = caller.request(command);
    let reply = state
        .owner
        .call(move |exec| exec.execute(request).map_err(Into::into))
        .await?;
    match reply.status {
        Status::Ok => Ok(Answer {
            created: created && !reply.replayed,
            body: reply,
        }),
        Status::Refused | Status::Error => Err(Problem::of_reply(reply)),
    }
}

/// What an event route fires: an event, or the transition into a state.
pub enum Fire {
    /// `POST .../events/{event}`.
    Event(String),
    /// `POST .../to/{state}`.
    To(String),
}

/// What an event route takes.
#[derive(Debug, Default, serde::Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FireBody {
    /// The transition's inputs, by name.
    #[serde(default)]
    pub input: waybill_engine::Input,
}

/// Fires `fire` on `entity` for `caller`: the event routes of orders, shipments and payments.
pub async fn fire(
    state: &AppState,
    caller: &Caller,
    entity: waybill_engine::EntityRef,
    fire: Fire,
    input: waybill_engine::Input,
) -> Result<Answer<Reply>, Problem> {
    use waybill_engine::EntityRef;
    let command = match (entity, fire) {
        (EntityRef::Order(id), Fire::Event(event)) => Command::OrderFire { id, event, input },
        (EntityRef::Order(id), Fire::To(to)) => Command::OrderFireTo { id, to, input },
        (EntityRef::Shipment(id), Fire::Event(event)) => Command::ShipmentFire { id, event, input },
        (EntityRef::Shipment(id), Fire::To(to)) => Command::ShipmentFireTo { id, to, input },
        (EntityRef::Payment(id), Fire::Event(event)) => Command::PaymentFire { id, event, input },
        (entity, _) => {
            return Err(Problem::bad_request(format!(
                "{entity} has no route that fires into a state"
            )))
        }
    };
    run(state, caller, command, false).await
}

/// Runs a read on the store's owner, once the rules let `caller`'s role read what `op` names
/// (`order.read`, `stock.read`, `outbox.read`; see [`waybill_engine::Lifecycle::authorize_read`]).
pub async fn read<T: Send + 'static>(
    state: &AppState,
    caller: &Caller,
    op: &'static str,
    work: impl FnOnce(&mut waybill_engine::command::Executor) -> waybill_engine::Result<T>
        + Send
        + 'static,
) -> Result<T, Problem> {
    let role = caller.role.clone();
    Ok(state
        .owner
        .call(move |exec| {
            let lifecycle = exec.lifecycle();
            let role = role.unwrap_or_else(|| lifecycle.workflow().default_role().to_string());
            lifecycle.authorize_read(op, &role)?;
            work(exec)
        })
        .await?)
}

/// A JSON answer: `200 OK`, or `201 Created` for what a command made.
pub struct Answer<T> {
    /// Whether it made something.
    pub created: bool,
    /// The body.
    pub body: T,
}

impl<T> Answer<T> {
    /// A `200 OK` answer.
    pub fn ok(body: T) -> Answer<T> {
        Answer {
            created: false,
            body,
        }
    }
}

impl<T: Serialize> IntoResponse for Answer<T> {
    fn into_response(self) -> Response {
        let status = if self.created {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        };
        (status, Json(self.body)).into_response()
    }
}

impl<T: JsonSchema> OperationOutput for Answer<T> {
    type Inner = T;

    fn operation_response(ctx: &mut GenContext, operation: &mut Operation) -> Option<ApiResponse> {
        Json::<T>::operation_response(ctx, operation)
    }

    fn inferred_responses(
        ctx: &mut GenContext,
        operation: &mut Operation,
    ) -> Vec<(Option<ApiStatus>, ApiResponse)> {
        Json::<T>::operation_response(ctx, operation)
            .map(|r| vec![(Some(ApiStatus::Code(200)), r)])
            .unwrap_or_default()
    }
}

/// A JSON request body. An empty body reads as `{}`, so bodies whose fields are all optional
/// may be left out; anything that is not JSON of the right shape is a 400 problem saying why.
pub struct Body<T>(pub T);

impl<T: DeserializeOwned> FromRequest<Arc<AppState>> for Body<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &Arc<AppState>) -> Result<Body<T>, Problem> {
        if let Some(kind) = req.headers().get(header::CONTENT_TYPE) {
            let kind = kind.to_str().unwrap_or("");
            // A media type's name is case-insensitive and may be followed by parameters.
            let essence = kind.split(';').next().unwrap_or("").trim();
            if !essence.eq_ignore_ascii_case("application/json") {
                return Err(Problem::bad_request(format!(
                    "the body must be application/json, not `{kind}`"
                )));
            }
        }
        let RawBody(bytes) = RawBody::from_request(req, state).await?;
        if bytes.len() > MAX_INPUT_BYTES {
            return Err(Problem::bad_request(format!(
                "the body is {} bytes; at most {MAX_INPUT_BYTES} are read",
                bytes.len()
            )));
        }
        let text: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
            b"{}"
        } else {
            &bytes
        };
        serde_json::from_slice(text)
            .map(Body)
            .map_err(|e| Problem::bad_request(format!("the body: {e}")))
    }
}

impl<T: JsonSchema> OperationInput for Body<T> {
    fn operation_input(ctx: &mut GenContext, operation: &mut Operation) {
        Json::<T>::operation_input(ctx, operation)
    }
}

/// A request's body as bytes, read within the server's read timeout (a body that trickles in
/// is a 408 problem) and the 16 MiB limit.
pub struct RawBody(pub axum::body::Bytes);

impl FromRequest<Arc<AppState>> for RawBody {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &Arc<AppState>) -> Result<RawBody, Problem> {
        let timeout = state.read_timeout;
        let read = axum::body::Bytes::from_request(req, state);
        match tokio::time::timeout(timeout, read).await {
            Ok(Ok(bytes)) => Ok(RawBody(bytes)),
            Ok(Err(e)) => {
                // 413 for a body over the limit, 400 for one that breaks off.
                let mut problem = Problem::bad_request(format!(
                    "cannot read the body: {e} (at most {MAX_INPUT_BYTES} bytes are read)"
                ));
                problem.status = e.status().as_u16();
                Err(problem)
            }
            Err(_) => {
                let mut problem = Problem::bad_request(format!(
                    "the body took more than {} s to arrive",
                    timeout.as_secs_f64()
                ));
                problem.status = 408;
                Err(problem)
            }
        }
    }
}

impl OperationInput for RawBody {
    fn operation_input(ctx: &mut GenContext, operation: &mut Operation) {
        axum::body::Bytes::operation_input(ctx, operation)
    }
}

/// Query parameters; a malformed query string is a 400 problem.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned> FromRequestParts<Arc<AppState>> for Query<T> {
    type Rejection = Problem;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Query<T>, Problem> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Query(q.0))
            .map_err(|e| Problem::bad_request(e.body_text()))
    }
}

impl<T: JsonSchema> OperationInput for Query<T> {
    fn operation_input(ctx: &mut GenContext, operation: &mut Operation) {
        axum::extract::Query::<T>::operation_input(ctx, operation)
    }
}

/// Path parameters; one that does not parse (not UTF-8 once decoded, not a number of the
/// route's range) is a 400 problem, as a malformed query string is.
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<Arc<AppState>> for Path<T> {
    type Rejection = Problem;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Path<T>, Problem> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| Path(p.0))
            .map_err(|e| {
                Problem::bad_request(format!("the path {}: {}", parts.uri.path(), e.body_text()))
            })
    }
}

impl<T: JsonSchema> OperationInput for Path<T> {
    fn operation_input(ctx: &mut GenContext, operation: &mut Operation) {
        axum::extract::Path::<T>::operation_input(ctx, operation)
    }
}
