//! What read commands read from: the store itself, or, while a `waybill serve` owns `--data`,
//! that server's GET routes, so `order show` works beside a running server as it does alone.

use crate::args::Cli;
use crate::open;
use serde::de::DeserializeOwned;
use waybill_engine::command::Executor;
use waybill_engine::model::{Location, Payment, Shipment, StockLevel};
use waybill_engine::store::{HistoryRecord, OutboxEntry};
use waybill_engine::{OrderAggregate, Result};
use waybill_server::client::{segment, Remote};

/// The store, or the server that owns it.
pub enum Reader {
    /// The store, opened by this process.
    Local(Box<Executor>),
    /// The server that owns it.
    Remote(Remote),
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
struct Polled {
    entries: Vec<OutboxEntry>,
}

/// Opens `--data` for reading.
pub fn open(cli: &Cli) -> Result<Reader> {
    match Remote::find(&cli.data) {
        Some(remote) => Ok(Reader::Remote(remote)),
        None => Ok(Reader::Local(Box::new(open::executor(cli)?))),
    }
}

impl Reader {
    fn get<T: DeserializeOwned>(remote: &Remote, path: &str) -> Result<T> {
        remote.get(path).map_err(waybill_server::Error::into_engine)
    }

    /// An order with its shipments and payments.
    pub fn order(&self, id: &str) -> Result<OrderAggregate> {
        match self {
            Reader::Local(exec) => Ok(exec.order(id)?),
            Reader::Remote(r) => Self::get(r, &format!("/v1/orders/{}", segment(id))),
        }
    }

    /// An order's history.
    pub fn history(&self, id: &str) -> Result<Vec<HistoryRecord>> {
        match self {
            Reader::Local(exec) => Ok(exec.history(id)?),
            Reader::Remote(r) => Self::get(r, &format!("/v1/orders/{}/history", segment(id))),
        }
    }

    /// A shipment.
    pub fn shipment(&self, id: &str) -> Result<Shipment> {
        match self {
            Reader::Local(exec) => Ok(exec.shipment(id)?.1),
            Reader::Remote(r) => {
                let owned: Owned<Shipment> =
                    Self::get(r, &format!("/v1/shipments/{}", segment(id)))?;
                Ok(owned.item)
            }
        }
    }

    /// A payment.
    pub fn payment(&self, id: &str) -> Result<Payment> {
        match self {
            Reader::Local(exec) => Ok(exec.payment(id)?.1),
            Reader::Remote(r) => {
                let owned: Owned<Payment> = Self::get(r, &format!("/v1/payments/{}", segment(id)))?;
                Ok(owned.item)
            }
        }
    }

    /// Every stock location.
    pub fn locations(&self) -> Result<Vec<Location>> {
        match self {
            Reader::Local(exec) => Ok(exec.locations()?),
            Reader::Remote(r) => Self::get(r, "/v1/locations"),
        }
    }

    /// Every stock level as (location, sku, level).
    pub fn levels(&self) -> Result<Vec<(String, String, StockLevel)>> {
        match self {
            Reader::Local(exec) => Ok(exec.levels()?),
            Reader::Remote(r) => {
                let stock: Stock = Self::get(r, "/v1/stock")?;
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
            Reader::Local(exec) => Ok(exec.location(id)?),
            Reader::Remote(_) => self
                .locations()?
                .into_iter()
                .find(|l| l.id == id)
                .ok_or_else(|| {
                    waybill_engine::workflow::Error::NotFound {
                        message: format!("location `{id}` not found"),
                        help: None,
                    }
                    .into()
                }),
        }
    }

    /// Every outbox entry waiting.
    pub fn outbox(&self) -> Result<Vec<OutboxEntry>> {
        match self {
            Reader::Local(exec) => Ok(exec.outbox()?),
            Reader::Remote(r) => {
                let mut all = Vec::new();
                let mut after = 0;
                loop {
                    let page: Polled =
                        Self::get(r, &format!("/v1/outbox?after={after}&limit=1000"))?;
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
