//! Errors as `application/problem+json` (RFC 9457), with the reasons the CLI prints. The status
//! of each kind of failure comes from [`waybill_engine::status`], the one place that also
//! chooses the CLI's exit codes.

use aide::OperationOutput;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use schemars::JsonSchema;
use serde::Serialize;
use waybill_engine::command::{Reply, Status};
use waybill_engine::workflow::Error as Domain;
use waybill_engine::{status, Blocker, Error, Refusal};

/// A problem document.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Problem {
    /// What kind of problem: `urn:waybill:refused`, `urn:waybill:bad-input`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong and where, as the CLI says it.
    pub detail: String,
    /// Why the rules refused, as data, when they did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refusal: Option<Box<Refusal>>,
    /// The command's reply, when the command ran and was refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply: Option<Box<Reply>>,
    /// Each problem of an invalid file, located.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
}

impl Problem {
    fn new(status: u16, name: &str, title: &str, detail: String) -> Problem {
        Problem {
            kind: format!("urn:waybill:{name}"),
            title: title.to_string(),
            status,
            detail,
            refusal: None,
            reply: None,
            errors: Vec::new(),
        }
    }

    /// 401: no token, or not one the server knows.
    pub fn unauthorized(detail: impl Into<String>) -> Problem {
        Problem::new(401, "unauthorized", "not authorized", detail.into())
    }

    /// 400: the request itself is malformed (a header, the body's JSON, a query parameter).
    pub fn bad_request(detail: impl Into<String>) -> Problem {
        Problem::new(400, "bad-input", "bad input", detail.into())
    }

    /// The problem of a reply that is not ok: a refusal is 409, or 403 when only the caller's
    /// role stood in the way; an error reply keeps the error's words.
    pub fn of_reply(reply: Reply) -> Problem {
        let mut problem = match (&reply.status, &reply.refusal) {
            (Status::Refused, Some(refusal)) => {
                let mut p = if by_role(refusal) {
                    Problem::new(
                        403,
                        "forbidden",
                        "not allowed for this role",
                        refusal.to_string(),
                    )
                } else {
                    Problem::new(409, "refused", "refused by the rules", refusal.to_string())
                };
                p.refusal = Some(Box::new(refusal.clone()));
                p
            }
            _ => Problem::new(
                400,
                "bad-input",
                "bad input",
                reply.error.clone().unwrap_or_default(),
            ),
        };
        problem.reply = Some(Box::new(reply));
        problem
    }
}

/// Whether only the caller's role stood in the way: 403, not 409.
fn by_role(refusal: &Refusal) -> bool {
    !refusal.blockers.is_empty()
        && refusal
            .blockers
            .iter()
            .all(|b| matches!(b, Blocker::Role { .. }))
}

impl From<Error> for Problem {
    fn from(err: Error) -> Problem {
        let kind = err.kind();
        let title = match kind {
            waybill_engine::Kind::Refused => "refused by the rules",
            waybill_engine::Kind::BadInput => "bad input",
            waybill_engine::Kind::NotFound => "not found",
            waybill_engine::Kind::Script => "a script failed",
            waybill_engine::Kind::Workflow => "the workflow did not settle",
            waybill_engine::Kind::Storage => "the store is unavailable",
            waybill_engine::Kind::Unauthorized => "not believed",
        };
        let mut problem = Problem::new(
            status::http_status(kind),
            status::name(kind),
            title,
            err.to_string(),
        );
        match err.domain() {
            Some(Domain::Refused(refusal)) => {
                if by_role(refusal) {
                    problem.status = 403;
                    problem.kind = "urn:waybill:forbidden".into();
                    problem.title = "not allowed for this role".into();
                }
                problem.refusal = Some(refusal.clone())
            }
            Some(Domain::Rules(diagnostics)) => {
                problem.errors = diagnostics.iter().map(ToString::to_string).collect()
            }
            _ => {}
        }
        problem
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).expect("a problem is JSON");
        let mut response = (status, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        response
    }
}

impl OperationOutput for Problem {
    type Inner = Problem;

    fn operation_response(
        ctx: &mut aide::generate::GenContext,
        _operation: &mut aide::openapi::Operation,
    ) -> Option<aide::openapi::Response> {
        let json_schema = ctx.schema.subschema_for::<Problem>();
        Some(aide::openapi::Response {
            description: "A problem (RFC 9457): 400 bad input, 401 no or bad token, 403 role, \
                          404 not found, 409 refused by the rules, 422 a script failed, \
                          503 storage"
                .into(),
            content: [(
                "application/problem+json".to_string(),
                aide::openapi::MediaType {
                    schema: Some(aide::openapi::SchemaObject {
                        json_schema,
                        example: None,
                        external_docs: None,
                    }),
                    ..Default::default()
                },
            )]
            .into_iter()
            .collect(),
            ..Default::default()
        })
    }

    fn inferred_responses(
        ctx: &mut aide::generate::GenContext,
        operation: &mut aide::openapi::Operation,
    ) -> Vec<(Option<aide::openapi::StatusCode>, aide::openapi::Response)> {
        Self::operation_response(ctx, operation)
            .map(|r| vec![(None, r)])
            .unwrap_or_default()
    }
}
