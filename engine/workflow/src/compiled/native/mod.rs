//! Native guards: the common subset of guard syntax (field reads on the views, comparisons,
//! integer arithmetic, `&&`, `||`, `!`, `.len()`, `contains` and `in [...]`, literals), compiled
//! from the guard's Rhai AST when the rules load into a small tree over interned fields, and
//! evaluated without the script engine.
//!
//! The native evaluator answers only when it is sure Rhai would give the same answer: wherever
//! Rhai could fail or would convert (a value of another type, a missing field, an overflow, a
//! division by zero, a float), it gives up with [`Unsure`] and the guard runs on Rhai, which then
//! gives the answer or the error. A guard outside the subset compiles to no tree and always runs
//! on Rhai. The property test in `lifecycle/views/agree.rs` holds the two to the same answers.

mod compile;
mod eval;

pub use compile::compile;
pub use eval::{eval, Source, Unsure, Val};

use rhai::{ImmutableString, INT};

/// A literal in a guard.
#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    /// An integer.
    Int(INT),
    /// `true` or `false`.
    Bool(bool),
    /// Text.
    Str(ImmutableString),
    /// `()`.
    Unit,
}

/// A binary operator on two values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Rem,
}

/// A field a guard reads, interned when the rules load: fixed fields by name, state tags by
/// their index in the workflow's sorted tag list, machines, attributes and inputs by name.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    /// `order.id`
    OrderId,
    /// `order.kind`
    OrderKind,
    /// `order.test`
    OrderTest,
    /// `order.currency`
    Currency,
    /// `order.market`
    Market,
    /// `order.total`
    OrderTotal,
    /// `order.lines`
    Lines,
    /// `order.ordered_qty`
    OrderedQty,
    /// `order.returned_qty`
    ReturnedQty,
    /// `order.shipments`
    Shipments,
    /// `order.partial_delivery`
    PartialDelivery,
    /// `order.shipping_method`
    ShippingMethod,
    /// `order.qty.TAG` (index into the shipment tags)
    Qty(usize),
    /// `order.count.TAG` (index into the shipment tags)
    Count(usize),
    /// `order.payments.TAG` (index into the payment tags)
    Paid(usize),
    /// `order.states.MACHINE`
    OrderState(ImmutableString),
    /// `order.attrs.NAME`
    OrderAttr(ImmutableString),
    /// `payment.total`
    PaymentTotal,
    /// `payment.captured`
    Captured,
    /// `payment.refunded`
    Refunded,
    /// `payment.balance`
    Balance,
    /// `payment.refundable`
    Refundable,
    /// `shipment.id`
    ShipmentId,
    /// `shipment.states.MACHINE`
    ShipmentState(ImmutableString),
    /// `shipment.items`
    Items,
    /// `shipment.qty`
    ShipmentQty,
    /// `shipment.tracking`
    Tracking,
    /// `shipment.carrier`
    Carrier,
    /// `shipment.service`
    Service,
    /// `shipment.location`
    Location,
    /// `shipment.carrier_handled`
    CarrierHandled,
    /// `shipment.has_label`
    HasLabel,
    /// `shipment.attrs.NAME`
    ShipmentAttr(ImmutableString),
    /// `actor.role`
    ActorRole,
    /// `actor.name`
    ActorName,
    /// `input.NAME`
    Input(ImmutableString),
}

/// A guard compiled to native code: a tree of these.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A literal.
    Lit(Lit),
    /// A literal list (only as what `in` / `contains` looks in).
    List(Vec<Lit>),
    /// A field of a view.
    Read(Field),
    /// `x.len()`
    Len(Box<Node>),
    /// `needle in haystack`, `haystack.contains(needle)`: (haystack, needle).
    Contains(Box<(Node, Node)>),
    /// `!x`
    Not(Box<Node>),
    /// `-x`
    Neg(Box<Node>),
    /// `a && b && ...`
    And(Vec<Node>),
    /// `a || b || ...`
    Or(Vec<Node>),
    /// `a OP b`
    Bin(Op, Box<(Node, Node)>),
}

impl Node {
    /// Whether `check` holds for every field this tree reads (it stops at the first that does
    /// not).
    pub fn visit(&self, check: &mut dyn FnMut(&Field) -> bool) -> bool {
        match self {
            Node::Lit(_) | Node::List(_) => true,
            Node::Read(f) => check(f),
            Node::Len(x) | Node::Not(x) | Node::Neg(x) => x.visit(check),
            Node::Contains(b) | Node::Bin(_, b) => b.0.visit(check) && b.1.visit(check),
            Node::And(xs) | Node::Or(xs) => xs.iter().all(|x| x.visit(check)),
        }
    }
}
