//! `/v1/locations` and `/v1/stock`: where stock is kept, and how much.

use super::{read, run, Answer, Body, Path, Shared};
use crate::auth::Caller;
use crate::problem::Problem;
use aide::axum::routing::{get_with, put_with};
use aide::axum::ApiRouter;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use waybill_engine::command::{Command, Reply};
use waybill_engine::model::{Location, Reservation, StockLevel};

/// The routes of locations and stock.
pub fn routes() -> ApiRouter<Arc<crate::state::AppState>> {
    ApiRouter::new()
        .api_route(
            "/v1/locations",
            get_with(locations, |op| {
                op.summary("Every stock location").tag("stock")
            })
            .post_with(add_location, |op| {
                op.summary("Add a stock location").tag("stock")
            }),
        )
        .api_route(
            "/v1/stock",
            get_with(stock, |op| {
                op.summary("Stock levels and what shipments hold")
                    .tag("stock")
            }),
        )
        .api_route(
            "/v1/stock/{location}/{sku}",
            put_with(set, |op| {
                op.summary("Set the stock of a SKU at a location")
                    .tag("stock")
            }),
        )
}

async fn locations(state: Shared, caller: Caller) -> Result<Answer<Vec<Location>>, Problem> {
    Ok(Answer::ok(
        read(&state, &caller, "stock.read", |exec| Ok(exec.locations()?)).await?,
    ))
}

async fn add_location(
    state: Shared,
    caller: Caller,
    Body(location): Body<Location>,
) -> Result<Answer<Reply>, Problem> {
    run(&state, &caller, Command::LocationAdd { location }, true).await
}

/// The stock of one SKU at one location.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Level {
    /// The location.
    pub location: String,
    /// The SKU.
    pub sku: String,
    /// Its level.
    #[serde(flatten)]
    pub level: StockLevel,
}

/// What one shipment line holds.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Held {
    /// The shipment.
    pub shipment: String,
    /// The line.
    pub line: String,
    /// What it holds.
    #[serde(flatten)]
    pub reservation: Reservation,
}

/// Every stock level and reservation.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Stock {
    /// By location and SKU.
    pub levels: Vec<Level>,
    /// By shipment and line.
    pub reservations: Vec<Held>,
}

async fn stock(state: Shared, caller: Caller) -> Result<Answer<Stock>, Problem> {
    let stock = read(&state, &caller, "stock.read", |exec| {
        let levels = exec
            .levels()?
            .into_iter()
            .map(|(location, sku, level)| Level {
                location,
                sku,
                level,
            })
            .collect();
        let reservations = exec
            .reservations()?
            .into_iter()
            .map(|(shipment, line, reservation)| Held {
                shipment,
                line,
                reservation,
            })
            .collect();
        Ok(Stock {
            levels,
            reservations,
        })
    })
    .await?;
    Ok(Answer::ok(stock))
}

/// A stock level to set.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SetBody {
    /// On hand.
    pub qty: u32,
}

async fn set(
    state: Shared,
    caller: Caller,
    Path((location, sku)): Path<(String, String)>,
    Body(body): Body<SetBody>,
) -> Result<Answer<Reply>, Problem> {
    let command = Command::StockSet {
        location,
        sku,
        qty: body.qty,
    };
    run(&state, &caller, command, false).await
}
