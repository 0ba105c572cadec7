//! waybill-engine: a rules engine for the life of an order after checkout.
//!
//! Workflows are declared in YAML ([`rules`]), compiled once ([`workflow`]) with guards in the
//! one sandboxed Rhai host ([`script`]), and driven by commands ([`engine`]) over the domain
//! ([`model`]). The [`command`] executor runs commands against a [`store`] (sled, or memory),
//! one atomic write each, applying their stock effects ([`inventory`]). Split strategies
//! ([`split`]) and carrier adapters ([`carriers`]) are Rhai scripts in the same host, and
//! [`bench`] compares strategies on a day of orders. The CLI is a thin layer over this crate.

pub mod bench;
pub mod carriers;
pub mod command;
pub mod engine;
pub mod error;
pub mod inventory;
pub mod model;
pub mod rules;
pub mod script;
pub mod split;
pub mod store;
pub mod workflow;

pub use engine::{Actor, Applied, Engine, Input, NewShipment, Refusal};
pub use error::{Error, Result};
pub use model::{EntityRef, Money, OrderAggregate, OrderSpec};
pub use workflow::Workflow;
