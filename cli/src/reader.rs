//! What read commands read from: the store itself, or, while a `waybill serve` owns `--data`,
//! that server's GET routes, so `order show` works beside a running server as it does alone.

use crate::args::Cli;
use crate::open;
use serde::de::DeserializeOwned;
use waybill_engine::command::{Executor, OrderQuery};
use waybill_engine::model::{Location, Payment, Shipment, StockLevel};
use waybill_engine::store::{HistoryRecord, OutboxEntry};
use waybill_engine::{BadInput, EntityRef, EventCheck, OrderAggregate, Result};
use waybill_server::client::{segment, Remote};

/// The store, or the server that owns it.
pub enum Reader {
    /// The store, opened by this process, read as the CLI's `--as`.
    Local(Box<Executor>, Option<String>),
    /// The server that owns it, asked as the CLI's `--as`.
    Remote(Remote, Option<String>),
}

/// A shipment or payment as the server gives it, with its order's id.
#[derive(serde::Deserialize)]
struct Owned<T> {
    #[serde(alias = "shipment", alias = "payment")]
    item: T,
}

#[derive(serde::Deserialize)]
struct Stock {
    levels: Vec<Level>,
}

#[derive(serde::Deserialize)]
struct Level {
    location: String,
    sku: String,
    #[serde(flatten)]
    level: StockLevel,
}

#[derive(serde::Deserialize)]
struct OrderPage {
    orders: Vec<OrderAggregate>,
    next: Option<String>,
}

/// The most orders the server gives in one page.
const PAGE: usize = 1000;

#[derive(serde::Deserialize)]
struct Polled {
    entries: Vec<OutboxEntry>,
}

/// Opens `--data` for reading.
pub fn open(cli: &Cli) -> Result<Reader> {
    match Remote::find(&cli.data) {
        Some(_) if cli.role.as_deref() == Some(waybill_engine::SYSTEM_ROLE) => {
            // As the store itself would: the server's reads take no role.
            Err(waybill_engine::Error::bad_input(format!(
                "`{}` is waybill's own role for automatic transitions; no user can act as it",
                waybill_engine::SYSTEM_ROLE
            )))
        }
        Some(remote) => Ok(Reader::Remote(remote, cli.role.clone())),
        None => Ok(Reader::Local(
            Box::new(open::executor(cli)?),
            cli.role.clone(),
        )),
    }
}

impl Reader {
    fn get<T: DeserializeOwned>(remote: &Remote, role: &Option<String>, path: &str) -> Result<T> {
        remote
            .get(path, role.as_deref())
            .map_err(waybill_server::Error::into_engine)
    }

    /// The store, once the rules let `role` read what `op` names, as the server checks it.
    fn allowed<'a>(exec: &'a Executor, role: &Option<String>, op: &str) -> Result<&'a Executor> {
        let lifecycle = exec.lifecycle();
        let role = role
            .clone()
            .unwrap_or_else(|| lifecycle.workflow().default_role().to_string());
        lifecycle.authorize_read(op, &role)?;
        Ok(exec)
    }

    /// Which events of `entity`'s machines can fire now for the CLI's `--as`, and why not.
    pub fn can(&self, cli: &Cli, entity: &EntityRef) -> Result<Vec<EventCheck>> {
        match self {
            Reader::Local(exec, role) => {
                let exec = Self::allowed(exec, role, "order.read")?;
                let actor = crate::load::actor(cli, exec.lifecycle())?;
                Ok(exec.can(entity, &actor)?)
            }
            Reader::Remote(r, role) => {
                let path = match entity {
                    EntityRef::Shipment(id) => format!("/v1/shipments/{}/can", segment(id)),
                    EntityRef::Order(id) => format!("/v1/orders/{}/can", segment(id)),
                    other => {
                        return Err(waybill_engine::Error::bad_input(format!(
                            "no `can` for {other} through a server"
                        )))
                    }
                };
                r.get(&path, role.as_deref())
                    .map_err(waybill_server::Error::into_engine)
            }
        }
    }

    /// An order with its shipments and payments.
    pub fn order(&self, id: &str) -> Result<OrderAggregate> {
        match self {
            Reader::Local(exec, role) => {
                let exec = Self::allowed(exec, role, "order.read")?;
                Ok(exec.order(id)?)
            }
            Reader::Remote(r, role) => Self::get(r, role, &format!("/v1/orders/{}", segment(id))),
        }
    }

    /// An order's history.
    pub fn history(&self, id: &str) -> Result<Vec<HistoryRecord>> {
        match self {
            Reader::Local(exec, role) => {
                let exec = Self::allowed(exec, role, "order.read")?;
                Ok(exec.history(id)?)
            }
            Reader::Remote(r, role) => {
                Self::get(r, role, &format!("/v1/orders/{}/history", segment(id)))
            }
        }
    }

    /// A shipment.
    pub fn shipment(&self, id: &str) -> Result<Shipment> {
        match self {
            Reader::Local(exec, role) => {
                let exec = Self::allowed(exec, role, "order.read")?;
                Ok(exec.shipment(id)?.1)
            }
            Reader::Remote(r, role) => {
                let owned: Owned<Shipment> =
                    Self::get(r, role, &format!("/v1/shipments/{}", segment(id)))?;
                Ok(owned.item)
            }
        }
    }

    /// A payment.
    pub fn payment(&self, id: &str) -> Result<Payment> {
        match self {
            Reader::Local(exec, role) => {
                let exec = Self::allowed(exec, role, "order.read")?;
                Ok(exec.payment(id)?.1)
            }
            Reader::Remote(r, role) => {
                let owned: Owned<Payment> =
                    Self::get(r, role, &format!("/v1/payments/{}", segment(id)))?;
                Ok(owned.item)
            }
        }
    }

    /// Every stock location.
    pub fn locations(&self) -> Result<Vec<Location>> {
        match self {
            Reader::Local(exec, role) => {
                let exec = Self::allowed(exec, role, "stock.read")?;
                Ok(exec.locations()?)
            }
            Reader::Remote(r, role) => Self::get(r, role, "/v1/locations"),
        }
    }

    /// Every stock level as (location, sku, level).
    pub fn levels(&self) -> Result<Vec<(String, String, StockLevel)>> {
        match self {
            Reader::Local(exec, role) => {
                let exec = Self::allowed(exec, role, "stock.read")?;
                Ok(exec.levels()?)
            }
            Reader::Remote(r, role) => {
                let stock: Stock = Self::get(r, role, "/v1/stock")?;
                Ok(stock
                    .levels
                    .into_iter()
                    .map(|l| (l.location, l.sku, l.level))
                    .collect())
            }
        }
    }

    /// A location, or a "not found" error.
    pub fn location(&self, id: &str) -> Result<Location> {
        match self {
            Reader::Local(exec, role) => {
                let exec = Self::allowed(exec, role, "stock.read")?;
                Ok(exec.location(id)?)
            }
            Reader::Remote(..) => self
                .locations()?
                .into_iter()
                .find(|l| l.id == id)
                .ok_or_else(|| {
                    waybill_engine::Error::of_kind(
                        waybill_engine::Kind::NotFound,
                        format!("location `{id}` not found"),
                    )
                }),
        }
    }

    /// The orders `query` selects, one by one to `each`, as [`Executor::list_orders`] gives
    /// them; from a server, a page of at most 1000 at a time.
    pub fn list_orders(
        &self,
        query: &OrderQuery,
        mut each: impl FnMut(OrderAggregate) -> Result<()>,
    ) -> Result<Option<String>> {
        let (remote, role) = match self {
            Reader::Local(exec, role) => {
                let exec = Self::allowed(exec, role, "order.read")?;
                return exec.list_orders(query, each);
            }
            Reader::Remote(r, role) => (r, role),
        };
        let mut after = query.after.clone();
        let mut left = query.limit;
        loop {
            let page_size = left.map_or(PAGE, |l| l.min(PAGE));
            let page: OrderPage = Self::get(
                remote,
                role,
                &format!("/v1/orders?{}", order_params(query, page_size, &after)),
            )?;
            let given = page.orders.len();
            for agg in page.orders {
                each(agg)?;
            }
            left = left.map(|l| l - given);
            match (page.next, left) {
                (None, _) => return Ok(None),
                (Some(next), Some(0)) => return Ok(Some(next)),
                (Some(next), _) => after = Some(next),
            }
        }
    }

    /// Every outbox entry waiting.
    pub fn outbox(&self) -> Result<Vec<OutboxEntry>> {
        match self {
            Reader::Local(exec, role) => {
                let exec = Self::allowed(exec, role, "outbox.read")?;
                Ok(exec.outbox()?)
            }
            Reader::Remote(r, role) => {
                let mut all = Vec::new();
                let mut after = 0;
                loop {
                    let page: Polled =
                        Self::get(r, role, &format!("/v1/outbox?after={after}&limit=1000"))?;
                    let Some(last) = page.entries.last().map(|e| e.id) else {
                        return Ok(all);
                    };
                    after = last;
                    all.extend(page.entries);
                }
            }
        }
    }
}

/// The query string of `GET /v1/orders` for `query`, a page of `limit` after `after`.
fn order_params(query: &OrderQuery, limit: usize, after: &Option<String>) -> String {
    let mut params = vec![format!("limit={limit}")];
    let mut put = |name: &str, value: &str| params.push(format!("{name}={}", segment(value)));
    if !query.states.is_empty() {
        let states: Vec<String> = query
            .states
            .iter()
            .map(|(m, s)| format!("{m}={s}"))
            .collect();
        put("state", &states.join(","));
    }
    if let Some(kind) = &query.kind {
        put("kind", kind.as_str());
    }
    if let Some(test) = query.test {
        put("test", if test { "true" } else { "false" });
    }
    if let Some(customer) = &query.customer {
        put("customer", customer);
    }
    if let Some(t) = &query.created_after {
        put("created_after", &t.to_rfc3339());
    }
    put("sort", query.sort.name());
    if query.descending {
        put("desc", "true");
    }
    if let Some(after) = after {
        put("after", after);
    }
    params.join("&")
}
