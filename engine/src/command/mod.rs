//! Commands against the store: what the CLI and `waybill apply` send, and the [`Executor`] that
//! runs them. One command is one atomic write; a group of commands is one flush.

mod executor;
mod request;

pub use executor::{Executor, OrderFilter};
pub use request::{Command, Reply, Request, Status};
