//! Native guards and Rhai agree: random guards over random facts give the same answer (or the
//! same error) both ways, and the built-in rules' guards all compile natively.

use super::{Counts, Names, OrderFacts, ShipmentFacts, Views};
use crate::compiled::guard_check::Known;
use crate::compiled::{native, Guard, Workflow};
use crate::lifecycle::Actor;
use crate::rules::Scope;
use proptest::prelude::*;
use std::sync::Arc;

const TAGS: [&str; 3] = ["open", "ready", "shipped"];
const PAYMENT_TAGS: [&str; 2] = ["captured", "paid"];

fn known() -> Known<'static> {
    Known {
        order_machines: vec!["order", "payment"],
        shipment_machines: vec!["shipment"],
        tags: TAGS.to_vec(),
        payment_tags: PAYMENT_TAGS.to_vec(),
    }
}

fn pick(items: &[&'static str]) -> BoxedStrategy<String> {
    proptest::sample::select(items.to_vec())
        .prop_map(String::from)
        .boxed()
}

/// Anything: a field of any kind or a literal of any type, to mix types.
fn atom() -> BoxedStrategy<String> {
    pick(&[
        "order.states.nope",
        "order.market",
        "order.attrs.a",
        "order.attrs[\"b\"]",
        "order.test",
        "shipment.tracking",
        "shipment.carrier",
        "shipment.has_label",
        "shipment.attrs.a",
        "actor.name",
        "input.x",
        "input[\"y\"]",
        "()",
        "1.5",
        "'a'",
        "true",
        "\"a\"",
        "0",
        "order.qty",
        "shipment",
    ])
}

fn int() -> BoxedStrategy<String> {
    let leaf = prop_oneof![
        8 => pick(&[
            "order.total", "order.lines", "order.qty.shipped", "order.count.open",
            "order.qty[\"ready\"]", "order.payments.paid", "payment.balance",
            "payment.captured", "payment.refundable", "shipment.items",
            "shipment.tracking.len()", "order.states.order.len()", "order.id.len()",
            "0", "1", "2", "-1", "10", "1000", "9223372036854775807", "4611686018427387904",
        ]),
        1 => atom(),
    ];
    leaf.prop_recursive(3, 12, 2, |inner| {
        prop_oneof![
            (
                inner.clone(),
                pick(&["+", "-", "*", "/", "%"]),
                inner.clone()
            )
                .prop_map(|(a, op, b)| format!("({a} {op} {b})")),
            inner.prop_map(|a| format!("-({a})")),
        ]
    })
    .boxed()
}

fn text() -> BoxedStrategy<String> {
    prop_oneof![
        8 => pick(&[
            "order.states.order", "order.shipping_method", "order.market", "order.kind",
            "order.id", "shipment.carrier", "shipment.states.shipment", "actor.role",
            "actor.name", "input.x", "order.attrs.a", "\"a\"", "\"paid\"", "\"\"",
            "\"pickup\"", "()",
        ]),
        1 => atom(),
    ]
    .boxed()
}

fn guard() -> impl Strategy<Value = String> {
    let compare = pick(&["==", "!=", "<", "<=", ">", ">="]);
    let leaf = prop_oneof![
        (int(), compare.clone(), int()).prop_map(|(a, op, b)| format!("{a} {op} {b}")),
        (text(), compare.clone(), text()).prop_map(|(a, op, b)| format!("{a} {op} {b}")),
        (atom(), compare, atom()).prop_map(|(a, op, b)| format!("{a} {op} {b}")),
        atom(),
        int(),
        (text(), text(), text()).prop_map(|(a, b, c)| format!("{a} in [{b}, {c}]")),
        (int(), int()).prop_map(|(a, b)| format!("{a} in [{b}, 3]")),
        text().prop_map(|a| format!("{a} in shipment.tracking")),
        (text(), text()).prop_map(|(a, b)| format!("{a}.contains({b})")),
        text().prop_map(|a| format!("shipment.tracking.contains({a})")),
        (text(), text()).prop_map(|(a, b)| format!("{a} in {b}")),
        pick(&[
            "order.test",
            "order.partial_delivery",
            "shipment.has_label",
            "true",
            "false"
        ]),
    ];
    leaf.prop_recursive(3, 16, 3, |inner| {
        prop_oneof![
            (inner.clone(), pick(&["&&", "||"]), inner.clone())
                .prop_map(|(a, op, b)| format!("({a}) {op} ({b})")),
            inner.clone().prop_map(|a| format!("!({a})")),
            (inner.clone(), inner.clone(), inner)
                .prop_map(|(a, b, c)| format!("({a}) && ({b}) || ({c})")),
        ]
    })
}

fn json() -> impl Strategy<Value = Option<serde_json::Value>> {
    use serde_json::json;
    proptest::sample::select(vec![
        None,
        Some(json!(null)),
        Some(json!(true)),
        Some(json!(3)),
        Some(json!(-1)),
        Some(json!(u64::MAX)),
        Some(json!(1.5)),
        Some(json!("a")),
        Some(json!("")),
        Some(json!([1, 2])),
        Some(json!({"k": 1})),
    ])
}

fn number() -> impl Strategy<Value = i64> {
    prop_oneof![-3i64..1100, Just(i64::MAX), Just(i64::MIN + 1)]
}

/// Money: bounded by the order limits, so `balance` and `refundable` never overflow.
fn money() -> impl Strategy<Value = i64> {
    prop_oneof![-3i64..1100, Just(1_000_000_000_000)]
}

fn maybe_text() -> impl Strategy<Value = Option<rhai::ImmutableString>> {
    proptest::sample::select(vec![None, Some("a"), Some("pickup"), Some("")])
        .prop_map(|t| t.map(Into::into))
}

fn attrs(
    a: Option<serde_json::Value>,
    b: Option<serde_json::Value>,
) -> std::collections::BTreeMap<String, serde_json::Value> {
    [("a", a), ("b", b)]
        .into_iter()
        .filter_map(|(k, v)| Some((k.to_string(), v?)))
        .collect()
}

fn names(pairs: &[(&str, &str)]) -> Names {
    Names(Arc::new(
        pairs
            .iter()
            .map(|(m, s)| ((*m).into(), (*s).into()))
            .collect(),
    ))
}

fn counts(tags: &[&str], values: &[i64]) -> Counts {
    let names: Arc<[rhai::ImmutableString]> = tags.iter().map(|t| (*t).into()).collect();
    Counts::new(&names, values.to_vec())
}

prop_compose! {
    fn order()(total in money(), captured in money(), refunded in money(),
               qty in proptest::collection::vec(number(), 3), paid in proptest::collection::vec(number(), 2),
               state in proptest::sample::select(vec!["new", "paid", "a"]),
               method in maybe_text(), market in maybe_text(), a in json(), b in json(),
               test in any::<bool>()) -> OrderFacts {
        OrderFacts {
            id: "O-1".into(),
            kind: if test { "test" } else { "standard" },
            currency: "EUR".into(),
            market,
            total,
            lines: 1,
            ordered_qty: qty[0],
            returned_qty: 0,
            shipments: 1,
            qty: counts(&TAGS, &qty),
            count: counts(&TAGS, &[1, 0, 2]),
            payments: counts(&PAYMENT_TAGS, &paid),
            states: names(&[("order", state), ("payment", "paid")]),
            partial_delivery: false,
            shipping_method: method,
            attrs: attrs(a, b),
            captured,
            refunded,
        }
    }
}

prop_compose! {
    fn shipment()(items in number(), tracking in proptest::collection::vec(
                      proptest::sample::select(vec!["a", "T1", ""]), 0..3),
                  carrier in maybe_text(), state in proptest::sample::select(vec!["ready", "a"]),
                  a in json(), label in any::<bool>()) -> ShipmentFacts {
        ShipmentFacts {
            id: "S-1".into(),
            states: names(&[("shipment", state)]),
            items,
            qty: 1,
            tracking: tracking.into_iter().map(Into::into).collect(),
            carrier,
            service: None,
            location: None,
            carrier_handled: false,
            has_label: label,
            attrs: attrs(a, None),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]
    #[test]
    fn native_guards_answer_as_rhai_does(
        source in guard(), order in order(), shipment in shipment(),
        role in proptest::sample::select(vec!["backoffice", "a"]), name in maybe_text(),
        x in json(), y in json(),
    ) {
        let host = super::guard_host();
        let Ok((guard, _)) = Guard::compile(&host, Scope::Shipment, &source, None, &known()) else {
            return Ok(());
        };
        let actor = Actor { role: role.into(), name: name.map(|n| n.to_string()) };
        let input = attrs(x, None).into_iter().chain(attrs(None, y)).collect();
        let views = Views { order: Some(Arc::new(order)), shipment: Some(Arc::new(shipment)), actor: &actor, input: &input };
        let rhai = views.eval_rhai(&host, &guard);
        if let Some(node) = &guard.native {
            if let Ok(holds) = native::eval(node, &views) {
                prop_assert_eq!(Ok(holds), rhai.clone(), "native answered for `{}`", source);
            }
        }
        prop_assert_eq!(views.eval(&host, &guard), rhai);
    }
}

#[test]
fn the_builtin_guards_are_all_native() {
    let workflow = Workflow::builtin();
    for machine in &workflow.machines {
        for t in &machine.transitions {
            for g in &t.guards {
                assert!(g.native.is_some(), "`{}` is not native", g.condition);
            }
        }
    }
}
