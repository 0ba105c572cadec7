//! The key space. Prefixes are one letter and a slash; numbers are big-endian so they sort.
//!
//! | key | value |
//! |---|---|
//! | `o/ORDER` | the order with its shipments ([`waybill_workflow::model::OrderAggregate`]) |
//! | `s/SHIPMENT` | the id of the order the shipment belongs to |
//! | `p/PAYMENT` | the id of the order the payment belongs to |
//! | `h/ORDER/SEQ` | the history records of the commands of one committed group on that order or its shipments, in order (SEQ is the first record's) |
//! | `x/SEQ` | an outbox entry |
//! | `k/KEY` | the fingerprint of the command with idempotency key KEY, and its reply |
//! | `m/NAME` | a counter (`seq`, `shipment`, `payment`), or the schema marker (`m/schema`) |
//! | `l/LOCATION` | a stock location |
//! | `q/LOCATION/SKU` | the stock level of a SKU at a location |
//! | `r/SHIPMENT/LINE` | the reservation of a shipment line |
//! | `t/CARRIER/NUMBER` | the shipment a carrier's tracking number (normalized) belongs to |
//! | `t/NUMBER` | the same, in a store written before numbers were indexed by carrier (read only) |
//! | `e/CARRIER/EVENT` | a carrier event already applied (duplicates are dropped) |

/// The key of an order aggregate.
pub fn order(id: &str) -> Vec<u8> {
    [b"o/", id.as_bytes()].concat()
}

/// The prefix of every order aggregate.
pub const ORDERS: &[u8] = b"o/";

/// The key of a shipment's index entry.
pub fn shipment(id: &str) -> Vec<u8> {
    [b"s/", id.as_bytes()].concat()
}

/// The key of a payment's index entry.
pub fn payment(id: &str) -> Vec<u8> {
    [b"p/", id.as_bytes()].concat()
}

/// The prefix of every payment's index entry.
pub const PAYMENTS: &[u8] = b"p/";

/// The prefix of every order's history.
pub const HISTORY: &[u8] = b"h/";

/// The prefix of an order's history.
pub fn history_of(order: &str) -> Vec<u8> {
    [HISTORY, order.as_bytes(), b"/"].concat()
}

/// The key of one history record.
pub fn history(order: &str, seq: u64) -> Vec<u8> {
    [history_of(order).as_slice(), &seq.to_be_bytes()].concat()
}

/// The prefix of the outbox.
pub const OUTBOX: &[u8] = b"x/";

/// The key of one outbox entry.
pub fn outbox(seq: u64) -> Vec<u8> {
    [OUTBOX, &seq.to_be_bytes()].concat()
}

/// The prefix of every idempotency record.
pub const IDEMPOTENCY: &[u8] = b"k/";

/// The key of an idempotency record.
pub fn idempotency(key: &str) -> Vec<u8> {
    [IDEMPOTENCY, key.as_bytes()].concat()
}

/// The key of a counter.
pub fn counter(name: &str) -> Vec<u8> {
    [b"m/", name.as_bytes()].concat()
}

/// The prefix of every location.
pub const LOCATIONS: &[u8] = b"l/";

/// The key of a location.
pub fn location(id: &str) -> Vec<u8> {
    [LOCATIONS, id.as_bytes()].concat()
}

/// The prefix of every stock level.
pub const LEVELS: &[u8] = b"q/";

/// The key of a stock level.
pub fn level(location: &str, sku: &str) -> Vec<u8> {
    [LEVELS, location.as_bytes(), b"/", sku.as_bytes()].concat()
}

/// The prefix of every reservation.
pub const RESERVATIONS: &[u8] = b"r/";

/// The key of a reservation.
pub fn reservation(shipment: &str, line: &str) -> Vec<u8> {
    [RESERVATIONS, shipment.as_bytes(), b"/", line.as_bytes()].concat()
}

/// The key of a carrier's tracking number's index entry (its shipment); the number is
/// normalized ([`waybill_carriers::tracking::normalize`]).
pub fn tracking(carrier: &str, number: &str) -> Vec<u8> {
    [b"t/", carrier.as_bytes(), b"/", number.as_bytes()].concat()
}

/// The key of a tracking number's index entry in a store written before numbers were indexed
/// by carrier; read, never written.
pub fn legacy_tracking(number: &str) -> Vec<u8> {
    [b"t/", number.as_bytes()].concat()
}

/// The key marking a carrier event as seen (duplicates are dropped).
pub fn carrier_event(carrier: &str, event_id: &str) -> Vec<u8> {
    [b"e/", carrier.as_bytes(), b"/", event_id.as_bytes()].concat()
}
