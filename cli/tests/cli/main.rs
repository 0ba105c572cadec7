//! The CLI's integration tests, in one test binary: each module drives `waybill` as a user
//! would, through the helpers in `tests/util`.

#[path = "../util/mod.rs"]
mod util;

mod backoffice;
mod bench;
mod carriers;
mod crash;
mod demo;
mod examples;
mod inventory;
mod lint;
mod notifications;
mod payments;
mod pipes;
mod rules;
mod security;
mod serve;
mod slips;
mod store;
mod sylius;
