//! `/v1/payments`: one payment and its events.

use super::{read, Answer, Body, Fire, FireBody, Path, Shared};
use crate::auth::Caller;
use crate::problem::Problem;
use aide::axum::routing::{get_with, post_with};
use aide::axum::ApiRouter;
use schemars::JsonSchema;
use serde::Serialize;
use std::sync::Arc;
use waybill_engine::command::Reply;
use waybill_engine::model::Payment;
use waybill_engine::EntityRef;

/// The routes under `/v1/payments`.
pub fn routes() -> ApiRouter<Arc<crate::state::AppState>> {
    ApiRouter::new()
        .api_route(
            "/v1/payments/{id}",
            get_with(show, |op| {
                op.summary("A payment and its order's id").tag("payments")
            }),
        )
        .api_route(
            "/v1/payments/{id}/events/{event}",
            post_with(fire, |op| {
                op.summary("Fire an event on the payment").tag("payments")
            }),
        )
}

/// A payment with the id of its order.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PaymentView {
    /// The order it belongs to.
    pub order: String,
    /// The payment.
    pub payment: Payment,
}

async fn show(
    state: Shared,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Answer<PaymentView>, Problem> {
    let (agg, payment) = read(&state, &caller, "order.read", move |exec| {
        Ok(exec.payment(&id)?)
    })
    .await?;
    Ok(Answer::ok(PaymentView {
        order: agg.order.spec.id,
        payment,
    }))
}

async fn fire(
    state: Shared,
    caller: Caller,
    Path((id, event)): Path<(String, String)>,
    Body(body): Body<FireBody>,
) -> Result<Answer<Reply>, Problem> {
    let entity = EntityRef::Payment(id);
    super::fire(&state, &caller, entity, Fire::Event(event), body.input).await
}
