//! The statuses the default rules must show, recomputed from an aggregate from scratch.

use waybill_engine::model::{Money, OrderAggregate};

/// What the default rules' fulfillment status must be, recomputed from the shipments (the
/// states tagged `open`, `ready`, `shipped`, `delivered`, `partially_delivered`).
pub(super) fn expected_fulfillment(agg: &OrderAggregate) -> &'static str {
    let in_states = |states: &[&str]| -> (u64, u64) {
        agg.shipments
            .iter()
            .filter(|s| states.contains(&s.states["shipment"].as_str()))
            .fold((0, 0), |(n, q), s| {
                (
                    n + 1,
                    q + s.items.iter().map(|i| u64::from(i.qty)).sum::<u64>(),
                )
            })
    };
    const SHIPPED: [&str; 7] = [
        "shipped",
        "in_transit",
        "out_for_delivery",
        "partially_delivered",
        "delivered",
        "failed_delivery",
        "exception",
    ];
    let (open, _) = in_states(&["created", "processing"]);
    let (_, ready) = in_states(&["processing"]);
    let (_, shipped) = in_states(&SHIPPED);
    let (_, delivered) = in_states(&["delivered"]);
    let (partly, _) = in_states(&["partially_delivered"]);
    let ordered: u64 = agg.order.spec.lines.iter().map(|l| u64::from(l.qty)).sum();
    let returned = agg.order.returned_qty();
    match () {
        _ if returned >= ordered => "returned",
        _ if returned > 0 => "partially_returned",
        _ if delivered >= ordered => "delivered",
        _ if delivered > 0 || partly > 0 => "partially_delivered",
        _ if shipped >= ordered => "fulfilled",
        _ if shipped > 0 => "partially_fulfilled",
        _ if ready >= ordered => "dispatched",
        _ if open > 0 => "in_progress",
        _ => "unfulfilled",
    }
}

/// The amounts of the payments of `agg` whose `transaction` is in one of `states`.
pub(super) fn paid_in(agg: &OrderAggregate, states: &[&str]) -> Money {
    Money(
        agg.payments
            .iter()
            .filter(|p| states.contains(&p.states["transaction"].as_str()))
            .map(|p| p.amount.0)
            .sum(),
    )
}

/// What the default rules' payment status must be, from the money alone: what `capture` and
/// `refund` recorded on the order, plus the completed and refunded payments.
pub(super) fn expected_payment(agg: &OrderAggregate) -> &'static str {
    let (total, captured, refunded) = (
        agg.order.spec.total().unwrap(),
        Money(agg.order.captured.0 + paid_in(agg, &["completed", "refunded"]).0),
        Money(agg.order.refunded.0 + paid_in(agg, &["refunded"]).0),
    );
    match () {
        _ if refunded > Money::ZERO && refunded >= captured => "refunded",
        // What is kept counts: an order refunded and paid again is paid.
        _ if captured > Money::ZERO && captured.0 - refunded.0 >= total.0 => "paid",
        _ if refunded > Money::ZERO => "partially_refunded",
        _ if captured > Money::ZERO => "partially_paid",
        _ => "unpaid",
    }
}
