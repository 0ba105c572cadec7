//! The command format: one JSON object per command, `{"op": "order.fire", ...}`, as read by
//! `waybill apply` and built by every state-changing CLI command.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use waybill_workflow::model::limits::MAX_INPUT_BYTES;
use waybill_workflow::model::{Customer, EntityRef, NewPayment, OrderSpec};
use waybill_workflow::BadInput;
use waybill_workflow::{Applied, Input, NewShipment, Refusal, ShipmentEdit, Step};

/// A state-changing command, tagged by `op` (named after the CLI command).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "op", deny_unknown_fields)]
pub enum Command {
    /// Create an order from an order file's content.
    #[serde(rename = "order.create")]
    OrderCreate {
        /// The order.
        order: Box<OrderSpec>,
    },
    /// Fire an event on an order machine.
    #[serde(rename = "order.fire")]
    OrderFire {
        /// The order id.
        id: String,
        /// The event.
        event: String,
        /// Input values for guards and effects.
        #[serde(default)]
        input: Input,
    },
    /// Add a note to an order.
    #[serde(rename = "order.note")]
    OrderNote {
        /// The order id.
        id: String,
        /// The note.
        text: String,
    },
    /// Change an order's customer.
    #[serde(rename = "order.edit")]
    OrderEdit {
        /// The order id.
        id: String,
        /// The new customer.
        customer: Customer,
        /// Queue an `order_updated` notification to the customer (seed 002).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        notify_customer: bool,
    },
    /// Create a shipment for some of an order's items.
    #[serde(rename = "shipment.create")]
    ShipmentCreate {
        /// The order id.
        order: String,
        /// The shipment.
        shipment: NewShipment,
    },
    /// Fire an event on a shipment.
    #[serde(rename = "shipment.fire")]
    ShipmentFire {
        /// The shipment id.
        id: String,
        /// The event.
        event: String,
        /// Input values for guards and effects.
        #[serde(default)]
        input: Input,
    },
    /// Add a payment to an order, in the initial state of every payment machine.
    #[serde(rename = "payment.create")]
    PaymentCreate {
        /// The order id.
        order: String,
        /// The payment.
        payment: NewPayment,
    },
    /// Fire an event on a payment.
    #[serde(rename = "payment.fire")]
    PaymentFire {
        /// The payment id.
        id: String,
        /// The event (`EVENT`, or `MACHINE.EVENT`).
        event: String,
        /// Input values for guards and effects.
        #[serde(default)]
        input: Input,
    },
    /// Edit a shipment.
    #[serde(rename = "shipment.edit")]
    ShipmentEdit {
        /// The shipment id.
        id: String,
        /// The changes.
        changes: ShipmentEdit,
        /// Queue a `shipment_updated` notification to the customer (seed 002).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        notify_customer: bool,
    },
    /// Delete a shipment that has not left.
    #[serde(rename = "shipment.delete")]
    ShipmentDelete {
        /// The shipment id.
        id: String,
    },
    /// Split an order's unshipped units into shipments with a strategy, reserving their stock.
    #[serde(rename = "shipment.split")]
    ShipmentSplit {
        /// The order id.
        order: String,
        /// Strategy chain: a splitter, then post-splitters (default: the inventory model's, else
        /// `split_shipments`).
        #[serde(default)]
        strategy: Vec<String>,
        /// Options for post-splitters, e.g. `max_weight_g`.
        #[serde(default)]
        config: std::collections::BTreeMap<String, serde_json::Value>,
        /// Only propose; write nothing.
        #[serde(default)]
        dry_run: bool,
    },
    /// Add or update a stock location.
    #[serde(rename = "location.add")]
    LocationAdd {
        /// The location.
        location: waybill_workflow::model::Location,
    },
    /// Set the units on hand of a SKU at a location.
    #[serde(rename = "stock.set")]
    StockSet {
        /// The location id.
        location: String,
        /// The SKU.
        sku: String,
        /// Units on hand.
        qty: u32,
    },
    /// Buy a label through a carrier; the carrier then handles the shipment.
    #[serde(rename = "shipment.label")]
    ShipmentLabel {
        /// The shipment id.
        id: String,
        /// The carrier (default: the shipment's, else the order's).
        #[serde(default)]
        carrier: Option<String>,
        /// The service.
        #[serde(default)]
        service: Option<String>,
    },
    /// Cancel a carrier-handled shipment through its carrier.
    #[serde(rename = "shipment.void")]
    ShipmentVoid {
        /// The shipment id.
        id: String,
    },
    /// Ingest one webhook request from a carrier.
    #[serde(rename = "carrier.webhook")]
    CarrierWebhook {
        /// The carrier id.
        carrier: String,
        /// Request headers.
        #[serde(default)]
        headers: std::collections::BTreeMap<String, String>,
        /// Request body.
        body: String,
    },
    /// Ask the carriers that send no webhooks (or one of them) where their parcels are, and
    /// take the events they answer as a webhook's (see `executor/carrier_poll.rs`).
    #[serde(rename = "carrier.poll")]
    CarrierPoll {
        /// Only this carrier (it must send no webhooks and have `track`).
        #[serde(default)]
        carrier: Option<String>,
    },
    /// Remove a delivered notification from the outbox.
    #[serde(rename = "outbox.ack")]
    OutboxAck {
        /// The outbox entry id.
        id: u64,
    },
    /// Fire the transition that takes an order into a state (see
    /// [`waybill_workflow::Lifecycle::event_to`]).
    #[serde(rename = "order.fire_to")]
    OrderFireTo {
        /// The order id.
        id: String,
        /// The state, or MACHINE=STATE.
        to: String,
        /// Input values for guards and effects.
        #[serde(default)]
        input: Input,
    },
    /// Fire the transition that takes a shipment into a state.
    #[serde(rename = "shipment.fire_to")]
    ShipmentFireTo {
        /// The shipment id.
        id: String,
        /// The state, or MACHINE=STATE.
        to: String,
        /// Input values for guards and effects.
        #[serde(default)]
        input: Input,
    },
    /// Replace the text of an order's note.
    #[serde(rename = "order.note_edit")]
    OrderNoteEdit {
        /// The order id.
        id: String,
        /// The note's number, counted from 1 (as `order show` numbers them).
        note: u32,
        /// The new text.
        text: String,
    },
    /// Delete an order's note.
    #[serde(rename = "order.note_delete")]
    OrderNoteDelete {
        /// The order id.
        id: String,
        /// The note's number, counted from 1; the notes after it move up.
        note: u32,
    },
}

impl Command {
    /// The `op` name.
    pub fn op(&self) -> &'static str {
        match self {
            Command::OrderCreate { .. } => "order.create",
            Command::OrderFire { .. } => "order.fire",
            Command::OrderNote { .. } => "order.note",
            Command::OrderEdit { .. } => "order.edit",
            Command::ShipmentCreate { .. } => "shipment.create",
            Command::ShipmentFire { .. } => "shipment.fire",
            Command::PaymentCreate { .. } => "payment.create",
            Command::PaymentFire { .. } => "payment.fire",
            Command::ShipmentEdit { .. } => "shipment.edit",
            Command::ShipmentDelete { .. } => "shipment.delete",
            Command::ShipmentSplit { .. } => "shipment.split",
            Command::LocationAdd { .. } => "location.add",
            Command::StockSet { .. } => "stock.set",
            Command::ShipmentLabel { .. } => "shipment.label",
            Command::ShipmentVoid { .. } => "shipment.void",
            Command::CarrierWebhook { .. } => "carrier.webhook",
            Command::CarrierPoll { .. } => "carrier.poll",
            Command::OutboxAck { .. } => "outbox.ack",
            Command::OrderFireTo { .. } => "order.fire_to",
            Command::ShipmentFireTo { .. } => "shipment.fire_to",
            Command::OrderNoteEdit { .. } => "order.note_edit",
            Command::OrderNoteDelete { .. } => "order.note_delete",
        }
    }
}

/// A command with who sends it and its idempotency key.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The command.
    pub command: Command,
    /// The caller's role (default: the rules' default role). Never `system`.
    pub role: Option<String>,
    /// The role the command asks to run as (an apply line's `as`): the caller's own, or one the
    /// rules' `act_as:` lets the caller's role act as.
    pub acting_as: Option<String>,
    /// A repeat with the same key returns the first reply and changes nothing.
    pub key: Option<String>,
    /// Who sends it, for the history (an HTTP token's name); never read from an apply line.
    pub caller: Option<String>,
}

impl Request {
    /// A request for `command` from a caller of `role` (`None`: the rules' default role).
    pub fn new(command: Command, role: Option<String>) -> Request {
        Request {
            command,
            role,
            acting_as: None,
            key: None,
            caller: None,
        }
    }

    /// What makes two requests the same request, for idempotency keys (Stripe's rule: a key
    /// names one request): the SHA-256 of the command as JSON (object keys sorted, so it doesn't
    /// depend on field order) with the role it runs as. It depends on the command's content
    /// only, so it stays the same across upgrades that keep the command format.
    pub fn fingerprint(&self, role: &str) -> String {
        hex::encode(self.digest(role))
    }

    /// The first 16 bytes of [`Request::fingerprint`], as the idempotency record keeps them.
    pub fn fingerprint_bits(&self, role: &str) -> crate::Fingerprint {
        let d = self.digest(role);
        let half = |i: usize| u64::from_be_bytes(d[i..i + 8].try_into().expect("8 bytes"));
        crate::Fingerprint([half(0), half(8)])
    }

    /// The SHA-256 digest [`Request::fingerprint`] shows in hex.
    fn digest(&self, role: &str) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        let value = serde_json::json!({ "as": role, "command": self.command });
        Sha256::digest(value.to_string().as_bytes()).into()
    }

    /// Parses one JSON line: the command's fields plus optional `key` and `as` (which becomes
    /// [`Request::acting_as`]; the caller's role is the reader's to set), at most
    /// [`MAX_INPUT_BYTES`] long.
    pub fn from_json(line: &str) -> Result<Request> {
        if line.len() > MAX_INPUT_BYTES {
            return Err(Error::bad_input(format!(
                "the line is {} bytes long; at most {MAX_INPUT_BYTES} are read",
                line.len()
            )));
        }
        let mut value: serde_json::Value =
            serde_json::from_str(line).map_err(|e| Error::bad_input(format!("not JSON: {e}")))?;
        let object = value
            .as_object_mut()
            .ok_or_else(|| Error::bad_input("a command is a JSON object with an `op`"))?;
        let text = |v: serde_json::Value, name: &str| match v {
            serde_json::Value::String(s) => Ok(s),
            other => Err(Error::bad_input(format!(
                "`{name}` must be a string, not {other}"
            ))),
        };
        let key = object.remove("key").map(|v| text(v, "key")).transpose()?;
        let acting_as = object.remove("as").map(|v| text(v, "as")).transpose()?;
        let command = serde_json::from_value(value).map_err(|e| Error::bad_input(e.to_string()))?;
        Ok(Request {
            command,
            role: None,
            acting_as,
            key,
            caller: None,
        })
    }
}

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Applied.
    Ok,
    /// Refused by the rules (recorded in the history).
    Refused,
    /// Bad input or a failure; nothing was written.
    Error,
}

/// What a command did, as printed and as kept for idempotent repeats.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Reply {
    /// How it ended.
    pub status: Status,
    /// The command's op.
    pub op: String,
    /// The entity it was about (for a new shipment, the new shipment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<EntityRef>,
    /// Transitions applied.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
    /// Notifications queued (topics).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notified: Vec<String>,
    /// Why it was refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<Refusal>,
    /// What went wrong, for errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// What kind of failure an error was (`bad_input`, `not_found`, `storage`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<waybill_workflow::Kind>,
    /// For `shipment.split`: the proposal (with `dry_run`, nothing else happened).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposal: Option<waybill_split::Proposal>,
    /// Shipments (or the payment) the command created.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub created: Vec<String>,
    /// For `carrier.webhook`: what became of each event.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<String>,
    /// True when this is the stored reply of an earlier command with the same key.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub replayed: bool,
}

impl Reply {
    /// The reply of an applied command.
    pub fn ok(op: &str, entity: EntityRef, applied: &Applied) -> Reply {
        Reply {
            status: Status::Ok,
            op: op.to_string(),
            entity: Some(entity),
            steps: applied.steps.clone(),
            notified: applied
                .notifications
                .iter()
                .map(|n| n.topic.clone())
                .collect(),
            refusal: None,
            error: None,
            kind: None,
            proposal: None,
            created: Vec::new(),
            events: Vec::new(),
            replayed: false,
        }
    }

    /// The reply of a refused command.
    pub fn refused(op: &str, refusal: Refusal) -> Reply {
        Reply {
            status: Status::Refused,
            op: op.to_string(),
            entity: Some(refusal.entity.clone()),
            steps: Vec::new(),
            notified: Vec::new(),
            refusal: Some(refusal),
            error: None,
            kind: None,
            proposal: None,
            created: Vec::new(),
            events: Vec::new(),
            replayed: false,
        }
    }

    /// The reply of a command that failed (bad input, storage).
    pub fn error(op: &str, err: &Error) -> Reply {
        Reply {
            status: Status::Error,
            op: op.to_string(),
            entity: None,
            steps: Vec::new(),
            notified: Vec::new(),
            refusal: None,
            error: Some(err.to_string()),
            kind: Some(err.kind()),
            proposal: None,
            created: Vec::new(),
            events: Vec::new(),
            replayed: false,
        }
    }
}
