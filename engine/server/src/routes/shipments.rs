//! `/v1/shipments`: one shipment, its events, edits, rates and labels, and the shipment list.

use super::orders::checks;
use super::{read, run, Answer, Body, Fire, FireBody, Path, Query, Shared};
use crate::auth::Caller;
use crate::problem::Problem;
use aide::axum::routing::{get_with, post_with};
use aide::axum::ApiRouter;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use waybill_engine::carriers::Rate;
use waybill_engine::command::{Command, Reply, ShipmentQuery};
use waybill_engine::model::Shipment;
use waybill_engine::{EntityRef, Error, EventCheck, ShipmentEdit};

/// The routes under `/v1/shipments`.
pub fn routes() -> ApiRouter<Arc<crate::state::AppState>> {
    let tag = "shipments";
    ApiRouter::new()
        .api_route(
            "/v1/shipments",
            get_with(list, |op| op.summary("Search the shipments").tag(tag)),
        )
        .api_route(
            "/v1/shipments/{id}",
            get_with(show, |op| {
                op.summary("A shipment and its order's id").tag(tag)
            })
            .patch_with(edit, |op| {
                op.summary("Edit a shipment's items, location or carrier")
                    .tag(tag)
            })
            .delete_with(delete, |op| {
                op.summary("Delete an unshipped shipment").tag(tag)
            }),
        )
        .api_route(
            "/v1/shipments/{id}/events/{event}",
            post_with(fire, |op| {
                op.summary("Fire an event on the shipment").tag(tag)
            }),
        )
        .api_route(
            "/v1/shipments/{id}/to/{state}",
            post_with(fire_to, |op| {
                op.summary("Fire the transition that takes the shipment into a state")
                    .tag(tag)
            }),
        )
        .api_route(
            "/v1/shipments/{id}/can",
            get_with(can, |op| {
                op.summary("Which events can fire now, and why not")
                    .tag(tag)
            }),
        )
        .api_route(
            "/v1/shipments/{id}/rates",
            get_with(rates, |op| {
                op.summary("Carrier prices for the shipment, cheapest first")
                    .tag(tag)
            }),
        )
        .api_route(
            "/v1/shipments/{id}/label",
            post_with(label, |op| {
                op.summary("Buy a label from a carrier").tag(tag)
            }),
        )
        .api_route(
            "/v1/shipments/{id}/void",
            post_with(void, |op| {
                op.summary("Cancel a carrier-handled shipment").tag(tag)
            }),
        )
}

/// A shipment with the id of its order.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ShipmentView {
    /// The order it belongs to.
    pub order: String,
    /// The shipment.
    pub shipment: Shipment,
}

/// The query of `GET /v1/shipments`, as `waybill shipment list` takes it.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// Only this order's.
    pub order: Option<String>,
    /// `STATE` or `MACHINE=STATE`.
    pub state: Option<String>,
    /// Shipped with this carrier.
    pub carrier: Option<String>,
    /// Shipped from this location.
    pub location: Option<String>,
    /// At most this many (default 100, at most 1000).
    pub limit: Option<usize>,
}

/// Shipments found.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ShipmentPage {
    /// The shipments, by order.
    pub shipments: Vec<ShipmentView>,
    /// Whether more matched than `limit`.
    pub more: bool,
}

enum Stop {
    Full,
    Failed(Error),
}

impl From<waybill_engine::store::Error> for Stop {
    fn from(e: waybill_engine::store::Error) -> Stop {
        Stop::Failed(e.into())
    }
}

async fn list(
    state: Shared,
    caller: Caller,
    Query(p): Query<ListParams>,
) -> Result<Answer<ShipmentPage>, Problem> {
    let limit = p.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(Problem::bad_request(format!(
            "limit {limit} must be 1 to 1000"
        )));
    }
    let query = ShipmentQuery {
        order: p.order,
        state: p.state,
        carrier: p.carrier,
        location: p.location,
    };
    let page = read(&state, &caller, "order.read", move |exec| {
        let mut shipments = Vec::new();
        let ended = exec.list_shipments(&query, |agg, s| {
            if shipments.len() == limit {
                return Err(Stop::Full);
            }
            shipments.push(ShipmentView {
                order: agg.order.spec.id.clone(),
                shipment: s.clone(),
            });
            Ok(())
        });
        let more = match ended {
            Ok(()) => false,
            Err(Stop::Full) => true,
            Err(Stop::Failed(e)) => return Err(e),
        };
        Ok(ShipmentPage { shipments, more })
    })
    .await?;
    Ok(Answer::ok(page))
}

async fn show(
    state: Shared,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Answer<ShipmentView>, Problem> {
    let (agg, shipment) = read(&state, &caller, "order.read", move |exec| {
        Ok(exec.shipment(&id)?)
    })
    .await?;
    Ok(Answer::ok(ShipmentView {
        order: agg.order.spec.id,
        shipment,
    }))
}

/// A shipment edit.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EditBody {
    /// What changes.
    pub changes: ShipmentEdit,
    /// Queue a `shipment_updated` notification for the customer.
    #[serde(default)]
    pub notify_customer: bool,
}

async fn edit(
    state: Shared,
    caller: Caller,
    Path(id): Path<String>,
    Body(body): Body<EditBody>,
) -> Result<Answer<Reply>, Problem> {
    let command = Command::ShipmentEdit {
        id,
        changes: body.changes,
        notify_customer: body.notify_customer,
    };
    run(&state, &caller, command, false).await
}

async fn delete(
    state: Shared,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Answer<Reply>, Problem> {
    run(&state, &caller, Command::ShipmentDelete { id }, false).await
}

async fn fire(
    state: Shared,
    caller: Caller,
    Path((id, event)): Path<(String, String)>,
    Body(body): Body<FireBody>,
) -> Result<Answer<Reply>, Problem> {
    let entity = EntityRef::Shipment(id);
    super::fire(&state, &caller, entity, Fire::Event(event), body.input).await
}

async fn fire_to(
    state: Shared,
    caller: Caller,
    Path((id, to)): Path<(String, String)>,
    Body(body): Body<FireBody>,
) -> Result<Answer<Reply>, Problem> {
    let entity = EntityRef::Shipment(id);
    super::fire(&state, &caller, entity, Fire::To(to), body.input).await
}

async fn can(
    state: Shared,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Answer<Vec<EventCheck>>, Problem> {
    Ok(Answer::ok(
        checks(&state, caller, EntityRef::Shipment(id)).await?,
    ))
}

/// Which carrier to ask for rates.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RatesParams {
    /// Only this carrier (default: every carrier that quotes).
    pub carrier: Option<String>,
}

/// Carrier prices.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Rates {
    /// Cheapest first.
    pub rates: Vec<Rate>,
    /// Carriers that failed to answer, with why.
    pub skipped: Vec<String>,
}

async fn rates(
    state: Shared,
    caller: Caller,
    Path(id): Path<String>,
    Query(p): Query<RatesParams>,
) -> Result<Answer<Rates>, Problem> {
    let (rates, skipped) = read(&state, &caller, "order.read", move |exec| {
        Ok(exec.rates(&id, p.carrier.as_deref())?)
    })
    .await?;
    Ok(Answer::ok(Rates { rates, skipped }))
}

/// Which label to buy.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LabelBody {
    /// The carrier (default: the shipment's).
    pub carrier: Option<String>,
    /// The carrier's service.
    pub service: Option<String>,
}

async fn label(
    state: Shared,
    caller: Caller,
    Path(id): Path<String>,
    Body(body): Body<LabelBody>,
) -> Result<Answer<Reply>, Problem> {
    let command = Command::ShipmentLabel {
        id,
        carrier: body.carrier,
        service: body.service,
    };
    run(&state, &caller, command, false).await
}

async fn void(
    state: Shared,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Answer<Reply>, Problem> {
    run(&state, &caller, Command::ShipmentVoid { id }, false).await
}
