//! The CLI's integration tests, in one test binary: each module drives `waybill` as a user
//! would, through the helpers in `tests/util`.

#[path = "../util/mod.rs"]
mod util;

mod bench;
mod carriers;
mod crash;
mod demo;
mod examples;
mod inventory;
mod lint;
mod payments;
mod pipes;
mod rules;
mod security;
mod store;
mod sylius;
