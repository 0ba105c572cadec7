//! The fields of each guard view and what each holds, so guards can be checked when the
//! rules load (`compiled::guard_check`).

/// What a field of a guard view holds, so guards can be checked when the rules load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// `true` or `false`.
    Bool,
    /// An integer (money in cents, quantities, counts).
    Number,
    /// Text, or `()` when unset.
    Text,
    /// A list of text.
    List,
    /// Attributes set by `set` effects: any name may be read.
    Attrs,
    /// A number per shipment state tag: `order.qty.TAG`, `order.count.TAG`.
    Tags,
    /// The state per machine of the view's scope: `order.states.MACHINE`.
    States,
    /// An amount per payment state tag: `order.payments.TAG`.
    PaymentTags,
}

use FieldKind::{Attrs, Bool, List, Number, PaymentTags, States, Tags, Text};

/// The fields of `order` (the getters the guard host gives `Order`).
pub const ORDER_FIELDS: &[(&str, FieldKind)] = &[
    ("id", Text),
    ("kind", Text),
    ("test", Bool),
    ("currency", Text),
    ("market", Text),
    ("total", Number),
    ("lines", Number),
    ("ordered_qty", Number),
    ("returned_qty", Number),
    ("shipments", Number),
    ("qty", Tags),
    ("count", Tags),
    ("payments", PaymentTags),
    ("states", States),
    ("partial_delivery", Bool),
    ("shipping_method", Text),
    ("attrs", Attrs),
];

/// The fields of `payment`.
pub const PAYMENT_FIELDS: &[(&str, FieldKind)] = &[
    ("total", Number),
    ("captured", Number),
    ("refunded", Number),
    ("balance", Number),
    ("refundable", Number),
];

/// The fields of `shipment`.
pub const SHIPMENT_FIELDS: &[(&str, FieldKind)] = &[
    ("id", Text),
    ("states", States),
    ("items", Number),
    ("qty", Number),
    ("tracking", List),
    ("carrier", Text),
    ("service", Text),
    ("location", Text),
    ("carrier_handled", Bool),
    ("has_label", Bool),
    ("attrs", Attrs),
];

/// The fields of `actor`.
pub const ACTOR_FIELDS: &[(&str, FieldKind)] = &[("role", Text), ("name", Text)];

/// The fields of the view `name` (`input` has none fixed: it holds the command's input).
pub fn fields_of(name: &str) -> Option<&'static [(&'static str, FieldKind)]> {
    match name {
        "order" => Some(ORDER_FIELDS),
        "payment" => Some(PAYMENT_FIELDS),
        "shipment" => Some(SHIPMENT_FIELDS),
        "actor" => Some(ACTOR_FIELDS),
        _ => None,
    }
}
