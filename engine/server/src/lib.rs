//! waybill-server: `waybill serve`, the HTTP API over one owner of the store.
//!
//! - [`serve`](serve()): bind, serve until SIGTERM, stop cleanly;
//! - `owner`: the thread that owns the [`Executor`](waybill_engine::command::Executor) and
//!   commits concurrent requests in groups, one flush each, answering only once durable;
//! - `routes`: the REST routes, `POST /v1/commands`, the outbox long poll, carrier webhooks
//!   and the OpenAPI document (aide, from the types' JSON schemas);
//! - `auth`: bearer tokens ([`tokens`]) and the local token of [`discovery`];
//! - `problem`: errors as `application/problem+json`, with the statuses of
//!   [`waybill_engine::status`];
//! - [`client`]: how a CLI sends its command to the server that owns its data folder.

#![deny(missing_docs)]

mod auth;
pub mod client;
pub mod discovery;
mod error;
mod owner;
mod problem;
mod routes;
mod serve;
mod state;
pub mod tokens;

pub use error::{Error, Result};
pub use serve::{serve, Config};
