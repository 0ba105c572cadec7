//! The executor: runs commands against a store, one atomic write per command, one flush per
//! group. Commands in a group see the writes of the commands before them.
//!
//! - [`overlay`]: the group's pending writes, read through before the store, and the commit;
//! - [`journal`]: history, outbox and idempotency records, and saving a command's outcome;
//! - [`notifications`]: outbox entries, addressed to the customer, with their template data;
//! - [`orders`], [`shipments`], [`payments`], [`stock`], [`carriers`]: the handlers, by area;
//! - [`firing`]: events on orders, shipments and payments, and firing into a state;
//! - [`notes`]: editing and deleting notes;
//! - [`queries`]: the read side; [`order_list`], [`shipment_list`]: searching every order;
//! - [`invariants`]: `store check`.

mod carrier_events;
mod carrier_poll;
mod carriers;
mod context;
mod firing;
mod invariants;
mod journal;
mod notes;
mod notifications;
mod order_list;
mod orders;
mod overlay;
mod payments;
mod queries;
mod shipment_list;
mod shipments;
mod stock;

pub use order_list::{OrderQuery, OrderSort};
pub use overlay::Durability;
pub use queries::OrderFilter;
pub use shipment_list::ShipmentQuery;

use crate::backend::Store;
use crate::command::{Command, Reply, Request};
use crate::error::{Error, Result};
use chrono::Utc;
use context::Ctx;
use overlay::{Counters, Group};
use std::collections::HashMap;
use std::path::PathBuf;
use waybill_carriers::Carriers;
use waybill_script::Library;
use waybill_workflow::model::limits::check_line;
use waybill_workflow::model::EntityRef;
use waybill_workflow::BadInput;
use waybill_workflow::{Actor, Lifecycle, OrderAggregate};

/// The longest idempotency key, in bytes.
const MAX_KEY_LEN: usize = 255;

/// Runs commands for one owner of a store. Being the store's only writer, it keeps the
/// aggregates it has committed in memory, so a command on a recently used order reads nothing.
pub struct Executor {
    lifecycle: Lifecycle,
    store: std::sync::Arc<dyn Store>,
    counters: Counters,
    /// The counters as the store holds them (as of the last commit).
    committed: Counters,
    /// Writes of the group's earlier commands, not yet committed.
    group: Group,
    /// Writes of the running command, joined to the group when it ends well.
    command: Group,
    cache: HashMap<String, OrderAggregate>,
    strategies: Library,
    carriers: Carriers,
    label_dir: Option<PathBuf>,
}

impl Executor {
    /// An executor over `store` with `lifecycle`'s rules.
    /// A store written with an older schema is migrated first ([`crate::schema`]).
    pub fn new(lifecycle: Lifecycle, store: Box<dyn Store>) -> Result<Executor> {
        crate::schema::open(store.as_ref())?;
        let counters = Counters::read(store.as_ref())?;
        Ok(Executor {
            lifecycle,
            store: store.into(),
            counters,
            committed: counters,
            group: Group::default(),
            command: Group::default(),
            cache: HashMap::new(),
            strategies: waybill_split::Strategy::library(&[]),
            carriers: Default::default(),
            label_dir: None,
        })
    }

    /// Where split strategies are found (see [`waybill_split::Strategy::library`]).
    pub fn with_strategies(mut self, strategies: Library) -> Executor {
        self.strategies = strategies;
        self
    }

    /// Where carrier adapters come from, and where bought labels are kept.
    pub fn with_carriers(mut self, carriers: Carriers, label_dir: Option<PathBuf>) -> Executor {
        self.carriers = carriers;
        self.label_dir = label_dir;
        self
    }

    /// The rules it runs commands with.
    pub fn lifecycle(&self) -> &Lifecycle {
        &self.lifecycle
    }

    /// Runs one command and makes it durable before returning. A refusal is recorded in the
    /// history and returned as a reply; bad input is an error and writes nothing.
    pub fn run(&mut self, request: Request) -> Result<Reply> {
        let reply = self.execute(request);
        self.commit()?;
        reply
    }

    /// Runs one command into the current group; it is durable after [`Executor::commit`].
    pub fn execute(&mut self, request: Request) -> Result<Reply> {
        let counters = self.counters;
        let result = self.execute_command(request, counters);
        match result {
            Ok(_) => self.keep_command(),
            Err(_) => self.discard_command(counters),
        }
        result
    }

    /// Runs one command into the command layer of the pending writes; `execute` keeps or drops it.
    fn execute_command(&mut self, request: Request, counters: Counters) -> Result<Reply> {
        // Who asks comes first: a replayed key, too, answers only a caller who may send it.
        let caller = request
            .role
            .as_deref()
            .unwrap_or_else(|| self.lifecycle.workflow().default_role());
        self.lifecycle.check_user_role(caller)?;
        let role = match &request.acting_as {
            Some(role) => {
                self.lifecycle.check_acting_as(caller, role)?;
                role.clone()
            }
            None => caller.to_string(),
        };
        request.command.check(&self.carriers)?;
        if let Some(key) = &request.key {
            check_line("the idempotency key", key, MAX_KEY_LEN).map_err(Error::bad_input)?;
        }
        let fingerprint = request
            .key
            .as_ref()
            .map(|_| request.fingerprint_bits(&role));
        if let (Some(key), Some(fingerprint)) = (&request.key, fingerprint) {
            if let Some(mut reply) = self.stored_reply(key, fingerprint)? {
                reply.replayed = true;
                return Ok(reply);
            }
        }
        let actor = Actor {
            name: request.caller.clone(),
            ..Actor::role(&role)
        };
        let ctx = Ctx {
            op: request.command.op(),
            actor: &actor,
            key: request.key.as_deref(),
            now: Utc::now(),
        };
        let reply = match self.dispatch(&request.command, ctx) {
            Ok(reply) => reply,
            Err(err) => {
                // Nothing of a refused command is kept but the record of the attempt.
                let refusal = err.into_refusal()?;
                self.discard_command(counters);
                if let Some(order) = self.order_of(&refusal.entity)? {
                    self.record_refusal(&order, &refusal, ctx);
                }
                Reply::refused(ctx.op, refusal)
            }
        };
        self.write_history();
        let dry_run = matches!(
            request.command,
            Command::ShipmentSplit { dry_run: true, .. }
        );
        if let (Some(key), Some(fingerprint), false) = (&request.key, fingerprint, dry_run) {
            self.remember_reply(key, fingerprint, &reply);
        }
        Ok(reply)
    }

    /// Sends a command to its handler.
    fn dispatch(&mut self, command: &Command, ctx: Ctx) -> Result<Reply> {
        match command {
            Command::OrderCreate { order } => self.create_order(order, ctx),
            Command::OrderFire { id, event, input } => {
                self.fire(EntityRef::Order(id.clone()), event, input, ctx)
            }
            Command::OrderNote { id, text } => self.note_order(id, text, ctx),
            Command::OrderEdit {
                id,
                customer,
                notify_customer,
            } => self.edit_order(id, customer, *notify_customer, ctx),
            Command::ShipmentCreate { order, shipment } => {
                self.create_shipment(order, shipment, ctx)
            }
            Command::ShipmentFire { id, event, input } => {
                self.fire(EntityRef::Shipment(id.clone()), event, input, ctx)
            }
            Command::PaymentCreate { order, payment } => self.create_payment(order, payment, ctx),
            Command::PaymentFire { id, event, input } => {
                self.fire(EntityRef::Payment(id.clone()), event, input, ctx)
            }
            Command::ShipmentEdit {
                id,
                changes,
                notify_customer,
            } => self.edit_shipment(id, changes, *notify_customer, ctx),
            Command::ShipmentDelete { id } => self.delete_shipment(id, ctx),
            Command::ShipmentSplit {
                order,
                strategy,
                config,
                dry_run,
            } => self.split(order, strategy, config, *dry_run, ctx),
            Command::LocationAdd { location } => self.add_location(location, ctx),
            Command::StockSet { location, sku, qty } => self.set_stock(location, sku, *qty, ctx),
            Command::ShipmentLabel {
                id,
                carrier,
                service,
            } => self.label(id, carrier.as_deref(), service.as_deref(), ctx),
            Command::ShipmentVoid { id } => self.void(id, ctx),
            Command::CarrierWebhook {
                carrier,
                headers,
                body,
            } => self.webhook(carrier, headers, body, ctx),
            Command::CarrierPoll { carrier } => self.poll(carrier.as_deref(), ctx),
            Command::OutboxAck { id } => self.ack_outbox(*id, ctx),
            Command::OrderFireTo { id, to, input } => {
                self.fire_to(EntityRef::Order(id.clone()), to, input, ctx)
            }
            Command::ShipmentFireTo { id, to, input } => {
                self.fire_to(EntityRef::Shipment(id.clone()), to, input, ctx)
            }
            Command::OrderNoteEdit { id, note, text } => self.edit_note(id, *note, text, ctx),
            Command::OrderNoteDelete { id, note } => self.delete_note(id, *note, ctx),
        }
    }
}
