//! Who sends a request: `Authorization: Bearer TOKEN` names a token of the tokens file (its
//! role and name) or the local token of `serve.json` (a CLI beside the server, whose
//! `X-Waybill-Role` header says the role it runs as, as `--as` does). An `Idempotency-Key`
//! header is the command's key, with the CLI's semantics.

use crate::problem::Problem;
use crate::state::AppState;
use aide::generate::GenContext;
use aide::openapi::{Operation, Parameter, ParameterData, ParameterSchemaOrContent, ReferenceOr};
use aide::OperationInput;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use std::sync::Arc;
use waybill_engine::command::{Command, Request};
use waybill_engine::SYSTEM_ROLE;

/// The name the history gives commands sent by a CLI beside the server.
pub const LOCAL_NAME: &str = "cli";

/// The caller of a request and its idempotency key.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The role to run as (`None`: the rules' default role, for a local CLI that named none).
    pub role: Option<String>,
    /// The token's name, recorded in the history.
    pub name: String,
    /// The `Idempotency-Key` header.
    pub key: Option<String>,
}

impl Caller {
    /// A request for `command` from this caller.
    pub fn request(&self, command: Command) -> Request {
        Request {
            command,
            role: self.role.clone(),
            acting_as: None,
            key: self.key.clone(),
            caller: Some(self.name.clone()),
        }
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Result<Option<&'a str>, Problem> {
    match headers.get(name) {
        None => Ok(None),
        Some(value) => value
            .to_str()
            .map(Some)
            .map_err(|_| Problem::bad_request(format!("the {name} header is not visible ASCII"))),
    }
}

/// The `token=` of a carrier webhook's URL (`/v1/carriers/ID/webhook?token=TOKEN`), for
/// carriers whose dashboards take a URL but no header.
/// The route must be that one exactly: `/v1/orders/webhook` names an order, not a carrier.
fn webhook_token(parts: &Parts) -> Option<&str> {
    let segments: Vec<&str> = parts.uri.path().split('/').collect();
    if !matches!(segments.as_slice(), ["", "v1", "carriers", id, "webhook"] if !id.is_empty()) {
        return None;
    }
    parts
        .uri
        .query()?
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
}

impl FromRequestParts<Arc<AppState>> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Caller, Problem> {
        let headers = &parts.headers;
        let token = match header(headers, "authorization")? {
            Some(auth) => auth.strip_prefix("Bearer ").map(str::trim).ok_or_else(|| {
                Problem::unauthorized("the Authorization header must be `Bearer TOKEN`")
            })?,
            // A carrier can be given a URL but rarely a header of ours.
            None => webhook_token(parts).ok_or_else(|| {
                Problem::unauthorized(
                    "no token: send `Authorization: Bearer TOKEN` (`waybill token add NAME --role ROLE` makes one)",
                )
            })?,
        };
        let key = header(headers, "idempotency-key")?.map(String::from);
        if state.is_local(token) {
            let role = header(headers, "x-waybill-role")?.map(String::from);
            // Reads do not check the role, so `system` is refused here, for every route.
            if role.as_deref() == Some(SYSTEM_ROLE) {
                return Err(Problem::bad_request(format!(
                    "`{SYSTEM_ROLE}` is waybill's own role for automatic transitions; no user can act as it"
                )));
            }
            return Ok(Caller {
                role,
                name: LOCAL_NAME.to_string(),
                key,
            });
        }
        match state.find_token(token) {
            Some(entry) => Ok(Caller {
                role: Some(entry.role),
                name: entry.name,
                key,
            }),
            None => Err(Problem::unauthorized(
                "the token is not one this server knows (revoked, or never made)",
            )),
        }
    }
}

impl OperationInput for Caller {
    fn operation_input(ctx: &mut GenContext, operation: &mut Operation) {
        let schema = ctx.schema.subschema_for::<String>();
        operation
            .parameters
            .push(ReferenceOr::Item(Parameter::Header {
                parameter_data: ParameterData {
                    name: "Idempotency-Key".into(),
                    description: Some(
                        "A repeat with the same key returns the first reply and changes nothing; \
                     the same key on a different request is bad input."
                            .into(),
                    ),
                    required: false,
                    format: ParameterSchemaOrContent::Schema(aide::openapi::SchemaObject {
                        json_schema: schema,
                        external_docs: None,
                        example: None,
                    }),
                    extensions: Default::default(),
                    deprecated: None,
                    example: None,
                    examples: Default::default(),
                    explode: None,
                },
                style: Default::default(),
            }));
        operation
            .security
            .push([("bearer".to_string(), Vec::new())].into_iter().collect());
    }
}
