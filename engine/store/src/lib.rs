//! waybill-store: storage and commands.
//!
//! - [`Store`]: an ordered key-value store with atomic batches; [`SledStore`] (the embedded
//!   default) and [`MemoryStore`] (tests) implement it.
//! - [`Command`] and [`Request`]: what the CLI and `waybill apply` send; [`Reply`]: what
//!   comes back.
//! - [`Executor`]: runs commands against a store, one atomic write per command and one flush
//!   per group, with history, outbox and idempotency records written in the same batch.

#![deny(missing_docs)]

mod backend;
mod bounds;
pub mod codec;
mod command;
mod error;
mod executor;
pub mod keys;
mod memory;
mod pages;
mod records;
pub mod schema;
mod sled_backend;

pub use backend::{Store, Write};
pub use command::{Command, Reply, Request, Status};
pub use error::{Error, Result};
pub use executor::{Durability, Executor, OrderFilter, OrderQuery, OrderSort, ShipmentQuery};
pub use memory::MemoryStore;
pub use records::{Fingerprint, HistoryRecord, OutboxEntry};
pub use sled_backend::SledStore;
