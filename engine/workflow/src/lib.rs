//! waybill-workflow: the domain and its workflows.
//!
//! - [`model`]: orders, lines, money, shipments, stock records.
//! - [`rules`]: the YAML rule format, loading with positions, validation and lint.
//! - [`Workflow`]: a rule file compiled once, its guards in a host that sees only the views
//!   (Symfony's Definition); [`graph`] draws it, [`migrate`] finds entities new rules strand.
//! - [`Lifecycle`]: commands on an order aggregate (create, fire, can, edit), each applied to
//!   a copy and settled through the automatic transitions, returning what it [`Applied`] or a
//!   [`Refusal`] whose [`Blocker`]s say why.

#![deny(missing_docs)]

mod compiled;
mod error;
mod lifecycle;
pub mod model;
pub mod rules;

pub use compiled::GUARD_VARIABLES;
pub use compiled::{
    graph, migrate, version_of, EventMatch, Guard, Loaded, Machine, Transition, Workflow,
};
pub use error::{BadInput, Error, Kind, Result};
pub use lifecycle::views::{guard_host, shipment_tags};
pub use lifecycle::{
    check_tracking, Actor, Applied, Blocker, EventCheck, Input, LabelInfo, Lifecycle, NewShipment,
    Notification, Refusal, ShipmentEdit, Skipped, Step, StockAction, StockMove, RELEASED_TAG,
    SYSTEM_ROLE,
};
pub use model::{EntityRef, Money, OrderAggregate, OrderSpec};
