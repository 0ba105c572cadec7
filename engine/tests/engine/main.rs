//! The engine's integration tests, in one test binary, with the helpers in `tests/util`.

#[path = "../util/mod.rs"]
mod util;

mod carrier_events;
mod carrier_poll;
mod carriers;
mod executor;
mod fire;
mod fuzz;
mod hostile_strategies;
mod migration;
mod model;
mod order_list;
mod payments;
mod properties;
mod rules_load;
mod stock_properties;
mod strategies;
