//! What every handler of a command passes along: the operation, who runs it, under which
//! idempotency key, and when.

use chrono::{DateTime, Utc};
use waybill_workflow::Actor;

/// The context of the command being run.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ctx<'a> {
    /// The operation, as in `apply` lines (`shipment.create`).
    pub op: &'a str,
    /// Who runs it.
    pub actor: &'a Actor,
    /// Its idempotency key, if any.
    pub key: Option<&'a str>,
    /// When it runs: the time of every record it writes.
    pub now: DateTime<Utc>,
}

impl<'a> Ctx<'a> {
    /// The same command, acting as `actor` under operation `op` (a carrier event, say).
    pub fn acting_as<'b>(&self, op: &'b str, actor: &'b Actor) -> Ctx<'b>
    where
        'a: 'b,
    {
        Ctx {
            op,
            actor,
            key: self.key,
            now: self.now,
        }
    }
}
