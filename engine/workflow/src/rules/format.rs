//! The rule file format: the serde types a `rules.yaml` deserializes into.
//!
//! These types say what may be written, nothing more; [`crate::rules::validate`] checks that the
//! names refer to each other, and [`crate::compiled`] compiles them into machines.

use super::notify::{notify_channel_schema, NotifyDef, NotifyWithChannel};
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The role automatic and cascaded transitions run as: the engine's own, which no user acts as.
pub const SYSTEM_ROLE: &str = "system";

/// A whole rule file: the roles, the commands they may run, and the state machines.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    /// Format version; only `1` exists.
    pub version: u32,
    /// Every role an actor may act as (`--as ROLE`).
    pub roles: Vec<String>,
    /// The role used when a command names none. Defaults to the first role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_role: Option<String>,
    /// Which roles may run each state-changing command that is not a transition
    /// (e.g. `shipment.create: [backoffice, order_manager]`). A command not listed is open to every role.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub commands: IndexMap<String, Vec<String>>,
    /// Which roles a caller's role may act as, for lines of `waybill apply` that name another
    /// role with `"as"` (e.g. `backoffice: [sales_portal, carrier]`). A line names its caller's
    /// own role or one listed here; `system` can't be listed.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub act_as: IndexMap<String, Vec<String>>,
    /// In which states of the order shipments may be made and changed (seed 000).
    #[serde(default, skip_serializing_if = "ShipmentRules::is_empty")]
    pub shipments: ShipmentRules,
    /// In which states of the order payments may be made (`create_in`, for `payment.create`)
    /// and fired (`change_in`, for `payment.fire`), in the same form as `shipments:`.
    #[serde(default, skip_serializing_if = "ShipmentRules::is_empty")]
    pub payments: ShipmentRules,
    /// The state machines, by name (e.g. `order`, `payment`, `fulfillment`, `shipment`).
    pub machines: IndexMap<String, MachineDef>,
    /// Inventory models (seed 004): which locations serve which markets, with which split
    /// strategy and cutoff. With none, every location serves every order.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub inventory_models: IndexMap<String, InventoryModelDef>,
    /// What a carrier's normalized status does to a shipment: the shipment events to try, in
    /// order; the first that can fire from the shipment's state fires (as role `carrier`).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub carrier_events: IndexMap<String, Vec<String>>,
    /// How a carrier status reaches the shipment when none of its `carrier_events` can fire
    /// from the shipment's state: the statuses to pass through first, in order (e.g.
    /// `delivered: [picked_up]` while `created`: `hand_over`, then `deliver`). Each one fires
    /// its first event that can fire, or is skipped; the whole path is taken only if the status's
    /// own event then fires.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub carrier_paths: IndexMap<String, Vec<String>>,
}

/// Where shipments belong: for each kind of shipment command, the order machines and the
/// states they must be in (every machine listed, in one of its states). Left out, always.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipmentRules {
    /// For `shipment.create` and `shipment.split`, e.g. `order: [placed, approved]`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub create_in: IndexMap<String, Vec<String>>,
    /// For `shipment.edit`, `shipment.delete` and `shipment.label`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub change_in: IndexMap<String, Vec<String>>,
}

impl ShipmentRules {
    /// Whether nothing is declared.
    pub fn is_empty(&self) -> bool {
        self.create_in.is_empty() && self.change_in.is_empty()
    }
}

/// A named set of locations serving some markets.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InventoryModelDef {
    /// The markets whose orders it serves (an order's `market`).
    pub markets: Vec<String>,
    /// Its locations; a shipment of such an order must ship from one of them.
    pub locations: Vec<String>,
    /// The split strategy used when `shipment split` names none (default `split_shipments`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<String>,
    /// Most locations one order may ship from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cutoff: Option<usize>,
}

/// What a machine is attached to: the order itself, each of its shipments, or each of its
/// payments.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// One instance per order.
    #[default]
    Order,
    /// One instance per shipment.
    Shipment,
    /// One instance per payment.
    Payment,
}

/// One state machine.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MachineDef {
    /// What the machine is attached to (default `order`).
    #[serde(default)]
    pub scope: Scope,
    /// The state a new entity starts in.
    pub initial: String,
    /// Roles allowed to fire this machine's transitions unless a transition names its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<String>>,
    /// The states, by name.
    pub states: IndexMap<String, StateDef>,
    /// The transitions, by event name. Machines of one scope may share an event name; a command
    /// then names the one it means as `MACHINE.EVENT`.
    #[serde(default)]
    pub transitions: IndexMap<String, TransitionDef>,
}

/// One state.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StateDef {
    /// A final state has no way out; lint warns if it has one.
    #[serde(default, rename = "final")]
    pub is_final: bool,
    /// Labels guards can count by: `order.qty.shipped` sums the quantities of shipments in states
    /// tagged `shipped`. The engine itself reads one tag: `released` (the shipment no longer holds
    /// its items, so they can be shipped again).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Effects applied whenever the state is entered, including by a new entity starting in it
    /// (e.g. a new shipment reserving its stock).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enter: Vec<EffectDef>,
    /// Makes the state derived: a Rhai condition (like a guard's) that says when the entity is
    /// in this state. After every change, a machine that is not in a final state moves to the
    /// first state, in the order written, whose `when` holds, unless the `when` of its own state
    /// holds too. So a status computed from shipments or payments follows them both ways. The
    /// move is an automatic step named `mark_STATE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// Free text for people and diagrams.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// One transition, named by the event that fires it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionDef {
    /// The states it may fire from.
    pub from: Vec<String>,
    /// The state it leads to. Left out, the state does not change (e.g. a partial capture).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Roles allowed to fire it (default: the machine's roles, else every role).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<String>>,
    /// Conditions that must all hold; each failing one is reported with its message.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guards: Vec<GuardDef>,
    /// What happens, in order, in the same atomic write as the state change.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub effects: Vec<EffectDef>,
    /// Inputs it accepts besides those its effects, its guards and its cascades read (e.g. a
    /// `reason` kept in the history). Any other input is refused as bad input.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<String>,
    /// Fired by the engine (as role `system`) whenever its guards hold, never by a user.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub auto: bool,
    /// Free text for people and diagrams.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A guard: a Rhai expression over `order`, `payment`, `shipment`, `actor` and `input`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GuardDef {
    /// The condition, e.g. `shipment.tracking.len() > 0`.
    #[serde(rename = "if")]
    pub condition: String,
    /// What a refusal says when the condition is false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The closed set of effects a transition may request. Written as a plain name
/// (`decrement_stock`) or a one-key map (`{ notify: shipment_shipped }`); `notify` may also
/// name its channel (`{ notify: shipment_shipped, channel: sms }`).
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(transform = notify_channel_schema)]
pub enum EffectDef {
    /// Reserve stock for each shipment line (shipment scope).
    ReserveStock,
    /// Take the reserved stock off the shelf (shipment scope).
    DecrementStock,
    /// Give a reservation back (shipment scope).
    ReleaseStock,
    /// Put decremented stock back on the shelf, e.g. after a return to sender (shipment scope).
    RestoreStock,
    /// Record a captured payment of `input.amount` (order scope).
    CapturePayment,
    /// Record a refund of `input.amount` + `input.shipping_refund` + `input.adjustment_refund`
    /// - `input.adjustment_fee`, each part optional, within what was captured (order scope).
    RefundPayment,
    /// Record returned quantities, `input.LINE = QTY` (order scope).
    ReturnItems,
    /// Queue a notification with this topic in the outbox, to the customer by its channel.
    Notify(#[schemars(with = "String")] NotifyDef),
    /// Fire an event on another machine: the order's, or every shipment whose state allows it.
    /// A required cascade that its target refuses refuses the whole command; an optional one
    /// (`optional: true`) skips that target.
    Cascade(CascadeDef),
    /// Set attributes on the entity (readable in guards as `order.attrs.NAME` / `shipment.attrs.NAME`).
    Set(IndexMap<String, serde_json::Value>),
}

/// The target of a [`EffectDef::Cascade`].
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CascadeDef {
    /// The machine to fire on.
    pub machine: String,
    /// The event to fire.
    pub event: String,
    /// Whether a target that can't take the event (its state, or a guard, says no) is skipped
    /// instead of refusing the whole command. Skipped targets are listed in the step.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
}

impl EffectDef {
    /// The effect's name as written in YAML.
    pub fn name(&self) -> &'static str {
        match self {
            EffectDef::ReserveStock => "reserve_stock",
            EffectDef::DecrementStock => "decrement_stock",
            EffectDef::ReleaseStock => "release_stock",
            EffectDef::RestoreStock => "restore_stock",
            EffectDef::CapturePayment => "capture_payment",
            EffectDef::RefundPayment => "refund_payment",
            EffectDef::ReturnItems => "return_items",
            EffectDef::Notify(_) => "notify",
            EffectDef::Cascade(_) => "cascade",
            EffectDef::Set(_) => "set",
        }
    }

    /// The inputs the effect reads by name.
    pub fn inputs(&self) -> &'static [&'static str] {
        match self {
            EffectDef::CapturePayment => &["amount"],
            EffectDef::RefundPayment => REFUND_INPUTS,
            _ => &[],
        }
    }

    /// Whether the effect reads inputs named after the order's lines (`return_items`: `l1=2`).
    pub fn reads_lines(&self) -> bool {
        matches!(self, EffectDef::ReturnItems)
    }

    /// The scope the effect needs, if it needs one.
    pub fn required_scope(&self) -> Option<Scope> {
        match self {
            EffectDef::ReserveStock
            | EffectDef::DecrementStock
            | EffectDef::ReleaseStock
            | EffectDef::RestoreStock => Some(Scope::Shipment),
            EffectDef::CapturePayment | EffectDef::RefundPayment | EffectDef::ReturnItems => {
                Some(Scope::Order)
            }
            _ => None,
        }
    }
}

/// The parts of a refund, as `refund_payment` reads them from the input.
pub const REFUND_INPUTS: &[&str] = &[
    "amount",
    "shipping_refund",
    "adjustment_refund",
    "adjustment_fee",
];

/// Every effect name, for "did you mean" suggestions.
pub const EFFECT_NAMES: &[&str] = &[
    "reserve_stock",
    "decrement_stock",
    "release_stock",
    "restore_stock",
    "capture_payment",
    "refund_payment",
    "return_items",
    "notify",
    "cascade",
    "set",
];

/// The commands (besides transitions) whose roles a rule file may restrict under `commands:`,
/// reads included: `order.read` (orders, shipments, payments, their history and `can`),
/// `stock.read` (locations and stock levels) and `outbox.read` (the outbox).
pub const COMMAND_OPS: &[&str] = &[
    "order.create",
    "order.note",
    "order.note_edit",
    "order.note_delete",
    "order.edit",
    "shipment.create",
    "payment.create",
    "shipment.edit",
    "shipment.delete",
    "shipment.split",
    "shipment.label",
    "location.add",
    "stock.set",
    "carrier.webhook",
    "carrier.poll",
    "shipment.void",
    "outbox.ack",
    "order.read",
    "stock.read",
    "outbox.read",
];

impl<'de> Deserialize<'de> for EffectDef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let unknown = |name: &str| D::Error::unknown_variant(name, EFFECT_NAMES);
        let value = serde_yaml::Value::deserialize(d)?;
        let (name, arg) = match value {
            serde_yaml::Value::String(name) => (name, None),
            serde_yaml::Value::Mapping(map) if map.len() == 2 && map.contains_key("notify") => {
                let n: NotifyWithChannel = serde_yaml::from_value(serde_yaml::Value::Mapping(map))
                    .map_err(|e| D::Error::custom(format!("notify: {e}")))?;
                return Ok(EffectDef::Notify(NotifyDef {
                    topic: n.notify,
                    channel: Some(n.channel),
                }));
            }
            serde_yaml::Value::Mapping(map) if map.len() == 1 => {
                let (k, v) = map.into_iter().next().expect("one entry");
                match k {
                    serde_yaml::Value::String(name) => (name, Some(v)),
                    _ => return Err(D::Error::custom("an effect's name must be a string")),
                }
            }
            _ => return Err(D::Error::custom(
                "an effect is a name (`decrement_stock`) or a one-key map (`{ notify: topic }`, or `{ notify: topic, channel: sms }`)",
            )),
        };
        let arg = |what: &str| {
            arg.clone().ok_or_else(|| {
                D::Error::custom(format!(
                    "effect `{name}` needs a value: `{{ {name}: {what} }}`"
                ))
            })
        };
        let plain = |effect: EffectDef| Ok(effect);
        match name.as_str() {
            "reserve_stock" => plain(EffectDef::ReserveStock),
            "decrement_stock" => plain(EffectDef::DecrementStock),
            "release_stock" => plain(EffectDef::ReleaseStock),
            "restore_stock" => plain(EffectDef::RestoreStock),
            "capture_payment" => plain(EffectDef::CapturePayment),
            "refund_payment" => plain(EffectDef::RefundPayment),
            "return_items" => plain(EffectDef::ReturnItems),
            "notify" => serde_yaml::from_value(arg("topic")?)
                .map(|topic| {
                    EffectDef::Notify(NotifyDef {
                        topic,
                        channel: None,
                    })
                })
                .map_err(|e| D::Error::custom(format!("notify: {e}"))),
            "cascade" => serde_yaml::from_value(arg("{ machine: M, event: E, optional: false }")?)
                .map(EffectDef::Cascade)
                .map_err(|e| D::Error::custom(format!("cascade: {e}"))),
            "set" => serde_yaml::from_value(arg("{ name: value }")?)
                .map(EffectDef::Set)
                .map_err(|e| D::Error::custom(format!("set: {e}"))),
            other => Err(unknown(other)),
        }
    }
}
