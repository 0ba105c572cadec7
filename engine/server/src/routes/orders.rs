//! `/v1/orders`: orders, their events, notes, history and `can`, and what is made under one
//! order (shipments, payments, splits).

use super::{read, run, Answer, Body, Fire, FireBody, Path, Query, Shared};
use crate::auth::Caller;
use crate::problem::Problem;
use aide::axum::routing::{get_with, post_with, put_with};
use aide::axum::ApiRouter;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;
use waybill_engine::command::{Command, OrderQuery, OrderSort, Reply};
use waybill_engine::model::{Customer, NewPayment, OrderKind};
use waybill_engine::store::HistoryRecord;
use waybill_engine::{Actor, EntityRef, Error, EventCheck, NewShipment, OrderAggregate, OrderSpec};

/// The routes under `/v1/orders`.
pub fn routes() -> ApiRouter<Arc<crate::state::AppState>> {
    ApiRouter::new()
        .api_route(
            "/v1/orders",
            post_with(create, |op| op.summary("Create an order").tag("orders")).get_with(
                list,
                |op| {
                    op.summary("Search the orders, a page at a time")
                        .tag("orders")
                },
            ),
        )
        .api_route(
            "/v1/orders/{id}",
            get_with(show, |op| {
                op.summary("An order with its shipments and payments")
                    .tag("orders")
            })
            .patch_with(edit, |op| {
                op.summary("Edit the order's customer").tag("orders")
            }),
        )
        .api_route(
            "/v1/orders/{id}/events/{event}",
            post_with(fire, |op| {
                op.summary("Fire an event on the order").tag("orders")
            }),
        )
        .api_route(
            "/v1/orders/{id}/to/{state}",
            post_with(fire_to, |op| {
                op.summary("Fire the transition that takes the order into a state")
                    .tag("orders")
            }),
        )
        .api_route(
            "/v1/orders/{id}/can",
            get_with(can, |op| {
                op.summary("Which events can fire now, and why not")
                    .tag("orders")
            }),
        )
        .api_route(
            "/v1/orders/{id}/history",
            get_with(history, |op| {
                op.summary("The order's history").tag("orders")
            }),
        )
        .api_route(
            "/v1/orders/{id}/notes",
            post_with(note, |op| op.summary("Add a note").tag("orders")),
        )
        .api_route(
            "/v1/orders/{id}/notes/{note}",
            put_with(note_edit, |op| op.summary("Change a note").tag("orders"))
                .delete_with(note_delete, |op| op.summary("Delete a note").tag("orders")),
        )
        .api_route(
            "/v1/orders/{id}/shipments",
            post_with(add_shipment, |op| {
                op.summary("Add a shipment by hand").tag("shipments")
            }),
        )
        .api_route(
            "/v1/orders/{id}/split",
            post_with(split, |op| {
                op.summary("Split the order into shipments with a strategy")
                    .tag("shipments")
            }),
        )
        .api_route(
            "/v1/orders/{id}/payments",
            post_with(add_payment, |op| {
                op.summary("Add a payment").tag("payments")
            }),
        )
}

async fn create(
    state: Shared,
    caller: Caller,
    Body(order): Body<OrderSpec>,
) -> Result<Answer<Reply>, Problem> {
    let command = Command::OrderCreate {
        order: Box::new(order),
    };
    run(&state, &caller, command, true).await
}

/// The query of `GET /v1/orders`, as `waybill order list` takes it.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// `MACHINE=STATE`, several separated by commas: orders in all of them.
    pub state: Option<String>,
    /// `standard`, `test`, ...: orders of this kind.
    pub kind: Option<String>,
    /// Only test orders (`true`) or none (`false`).
    pub test: Option<bool>,
    /// Orders whose customer's name or e-mail contains this.
    pub customer: Option<String>,
    /// Orders created after this time (RFC 3339).
    pub created_after: Option<chrono::DateTime<chrono::Utc>>,
    /// `id` (default), `created`, `total`, or a machine's name.
    pub sort: Option<String>,
    /// Largest first.
    #[serde(default)]
    pub desc: bool,
    /// At most this many (default 100, at most 1000).
    pub limit: Option<usize>,
    /// The `next` cursor of the page before.
    pub after: Option<String>,
}

/// A page of orders.
#[derive(Debug, Serialize, JsonSchema)]
pub struct OrderPage {
    /// The orders.
    pub orders: Vec<OrderAggregate>,
    /// The cursor of the next page (as `after`), if more follow.
    pub next: Option<String>,
}

const MAX_PAGE: usize = 1000;

async fn list(
    state: Shared,
    caller: Caller,
    Query(params): Query<ListParams>,
) -> Result<Answer<OrderPage>, Problem> {
    let query = order_query(params)?;
    let page = read(&state, &caller, "order.read", move |exec| {
        let mut orders = Vec::new();
        let next = exec.list_orders(&query, |agg| {
            orders.push(agg);
            Ok::<(), Error>(())
        })?;
        Ok(OrderPage { orders, next })
    })
    .await?;
    Ok(Answer::ok(page))
}

fn order_query(params: ListParams) -> Result<OrderQuery, Problem> {
    let states = params
        .state
        .iter()
        .flat_map(|s| s.split(','))
        .map(|s| {
            s.split_once('=')
                .map(|(m, st)| (m.to_string(), st.to_string()))
                .ok_or_else(|| Problem::bad_request(format!("state `{s}` must be MACHINE=STATE")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let kind = match params.kind.as_deref() {
        None => None,
        Some(name) => Some(OrderKind::from_name(name).ok_or_else(|| {
            Problem::bad_request(format!("kind `{name}` is not a kind of order"))
        })?),
    };
    let limit = params.limit.unwrap_or(100);
    if limit > MAX_PAGE {
        return Err(Problem::bad_request(format!(
            "limit {limit} is more than {MAX_PAGE}; page with `after`"
        )));
    }
    Ok(OrderQuery {
        states,
        kind,
        test: params.test,
        customer: params.customer,
        created_after: params.created_after,
        sort: params
            .sort
            .as_deref()
            .map(OrderSort::parse)
            .unwrap_or_default(),
        descending: params.desc,
        limit: Some(limit),
        after: params.after,
    })
}

async fn show(
    state: Shared,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Answer<OrderAggregate>, Problem> {
    Ok(Answer::ok(
        read(&state, &caller, "order.read", move |exec| {
            Ok(exec.order(&id)?)
        })
        .await?,
    ))
}

/// A customer edit.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EditBody {
    /// The customer's new details.
    pub customer: Customer,
    /// Queue an `order_updated` notification for the customer.
    #[serde(default)]
    pub notify_customer: bool,
}

async fn edit(
    state: Shared,
    caller: Caller,
    Path(id): Path<String>,
    Body(body): Body<EditBody>,
) -> Result<Answer<Reply>, Problem> {
    let command = Command::OrderEdit {
        id,
        customer: body.customer,
        notify_customer: body.notify_customer,
    };
    run(&state, &caller, command, false).await
}

async fn fire(
    state: Shared,
    caller: Caller,
    Path((id, event)): Path<(String, String)>,
    Body(body): Body<FireBody>,
) -> Result<Answer<Reply>, Problem> {
    let entity = EntityRef::Order(id);
    super::fire(&state, &caller, entity, Fire::Event(event), body.input).await
}

async fn fire_to(
    state: Shared,
    caller: Caller,
    Path((id, to)): Path<(String, String)>,
    Body(body): Body<FireBody>,
) -> Result<Answer<Reply>, Problem> {
    let entity = EntityRef::Order(id);
    super::fire(&state, &caller, entity, Fire::To(to), body.input).await
}

async fn can(
    state: Shared,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Answer<Vec<EventCheck>>, Problem> {
    Ok(Answer::ok(
        checks(&state, caller, EntityRef::Order(id)).await?,
    ))
}

/// Which events of `entity`'s machines can fire now for `caller`, and why not.
pub async fn checks(
    state: &crate::state::AppState,
    caller: Caller,
    entity: EntityRef,
) -> Result<Vec<EventCheck>, Problem> {
    read(state, &caller.clone(), "order.read", move |exec| {
        let lifecycle = exec.lifecycle();
        let role = caller
            .role
            .clone()
            .unwrap_or_else(|| lifecycle.workflow().default_role().to_string());
        lifecycle.check_user_role(&role)?;
        let actor = Actor {
            name: Some(caller.name),
            ..Actor::role(&role)
        };
        Ok(exec.can(&entity, &actor)?)
    })
    .await
}

async fn history(
    state: Shared,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Answer<Vec<HistoryRecord>>, Problem> {
    Ok(Answer::ok(
        read(&state, &caller, "order.read", move |exec| {
            Ok(exec.history(&id)?)
        })
        .await?,
    ))
}

/// A note's text.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    /// The note (at most 16 KiB; tabs and newlines allowed).
    pub text: String,
}

async fn note(
    state: Shared,
    caller: Caller,
    Path(id): Path<String>,
    Body(body): Body<NoteBody>,
) -> Result<Answer<Reply>, Problem> {
    run(
        &state,
        &caller,
        Command::OrderNote {
            id,
            text: body.text,
        },
        true,
    )
    .await
}

async fn note_edit(
    state: Shared,
    caller: Caller,
    Path((id, note)): Path<(String, u32)>,
    Body(body): Body<NoteBody>,
) -> Result<Answer<Reply>, Problem> {
    let command = Command::OrderNoteEdit {
        id,
        note,
        text: body.text,
    };
    run(&state, &caller, command, false).await
}

async fn note_delete(
    state: Shared,
    caller: Caller,
    Path((id, note)): Path<(String, u32)>,
) -> Result<Answer<Reply>, Problem> {
    run(
        &state,
        &caller,
        Command::OrderNoteDelete { id, note },
        false,
    )
    .await
}

async fn add_shipment(
    state: Shared,
    caller: Caller,
    Path(order): Path<String>,
    Body(shipment): Body<NewShipment>,
) -> Result<Answer<Reply>, Problem> {
    run(
        &state,
        &caller,
        Command::ShipmentCreate { order, shipment },
        true,
    )
    .await
}

/// How to split an order.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SplitBody {
    /// Strategy names, tried in turn (default: the rules' default strategy).
    #[serde(default)]
    pub strategy: Vec<String>,
    /// Values the strategy reads.
    #[serde(default)]
    pub config: BTreeMap<String, serde_json::Value>,
    /// Propose only: reserve nothing, make nothing.
    #[serde(default)]
    pub dry_run: bool,
}

async fn split(
    state: Shared,
    caller: Caller,
    Path(order): Path<String>,
    Body(body): Body<SplitBody>,
) -> Result<Answer<Reply>, Problem> {
    let dry_run = body.dry_run;
    let command = Command::ShipmentSplit {
        order,
        strategy: body.strategy,
        config: body.config,
        dry_run,
    };
    run(&state, &caller, command, !dry_run).await
}

async fn add_payment(
    state: Shared,
    caller: Caller,
    Path(order): Path<String>,
    Body(payment): Body<NewPayment>,
) -> Result<Answer<Reply>, Problem> {
    run(
        &state,
        &caller,
        Command::PaymentCreate { order, payment },
        true,
    )
    .await
}
