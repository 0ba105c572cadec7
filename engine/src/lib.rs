//! waybill-engine: a rules engine for the life of an order after checkout, as one dependency
//! for the CLI and for any Rust program that embeds it.
//!
//! It is a façade over crates with one job each, which depend one way (a cycle can't build):
//!
//! ```text
//! waybill-script  <-  waybill-workflow  <-  { waybill-split, waybill-carriers }  <-  waybill-store
//!                                                                                <-  waybill-bench
//!                     waybill-workflow  <-  waybill-documents
//! ```
//!
//! - [`script`]: the sandboxed Rhai host, its limits and the one loader for named scripts.
//! - [`model`], [`rules`], [`Workflow`], [`Lifecycle`]: the domain, the YAML rule format, the
//!   compiled workflow and the commands that fire it (from `waybill-workflow`).
//! - [`split`]: stock effects, split strategies and the coordinator.
//! - [`carriers`]: carrier adapters, status normalization, tracking checks, HTTP.
//! - [`store`] and [`command`]: storage backends, and the executor that runs commands against
//!   them, one atomic write each.
//! - [`bench`]: the split bench.
//! - [`documents`]: packing slips as text, HTML and PDF.
//!
//! `docs/ARCHITECTURE.md` follows one command through all of them.

#![deny(missing_docs)]

pub use waybill_bench as bench;
pub use waybill_carriers as carriers;
pub use waybill_documents as documents;
pub use waybill_script as script;
pub use waybill_split as split;
/// The domain crate, whose [`workflow::Error`] is what [`Lifecycle`] commands fail with.
pub use waybill_workflow as workflow;
pub use waybill_workflow::{model, rules};

mod error;
pub mod status;

pub use error::{Error, Result};
pub use waybill_workflow::{
    check_tracking, graph, migrate, shipment_tags, Actor, Applied, BadInput, Blocker, EntityRef,
    EventCheck, EventMatch, Input, Kind, LabelInfo, Lifecycle, Loaded, Money, NewShipment,
    Notification, OrderAggregate, OrderSpec, Refusal, ShipmentEdit, Skipped, Step, StockAction,
    StockMove, Workflow, RELEASED_TAG, SYSTEM_ROLE,
};

/// Storage: the [`store::Store`] trait, its backends, and the on-disk layout.
pub mod store {
    pub use waybill_store::{codec, keys, schema, MemoryStore, SledStore, Store, Write};
    pub use waybill_store::{Error, Result};
    pub use waybill_store::{HistoryRecord, OutboxEntry};
}

/// Commands and the executor that runs them.
pub mod command {
    pub use waybill_store::{Command, Durability, Executor, OrderFilter, Reply, Request, Status};
    pub use waybill_store::{OrderQuery, OrderSort, ShipmentQuery};
}
