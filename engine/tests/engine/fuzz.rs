//! The fuzz targets' properties (`engine/fuzz/src/lib.rs`, included as `util::props`) on
//! generated inputs, at a small budget (`PROPTEST_CASES` overrides it): mutated and random rule
//! files, mutated order files, random `apply` lines in sequence, random webhooks to every
//! built-in adapter. The properties themselves are in the fuzz crate's documentation.

use crate::util::{cases, mutate, props, repo, Mutation};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use waybill_engine::rules::Severity;
use waybill_engine::Workflow;

fn read(path: &str) -> Vec<u8> {
    std::fs::read(repo().join(path)).unwrap()
}

fn config(default: u32) -> ProptestConfig {
    ProptestConfig {
        cases: cases(default),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Mutation::Flip(p, b)),
        (any::<usize>(), 1..40usize).prop_map(|(p, n)| Mutation::Delete(p, n)),
        (any::<usize>(), prop::collection::vec(yaml_byte(), 1..12))
            .prop_map(|(p, b)| Mutation::Insert(p, b)),
        (any::<usize>(), prop::sample::select(LINE_ENDS_AND_SPACES))
            .prop_map(|(p, s)| Mutation::Insert(p, s.as_bytes().to_vec())),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<usize>()).prop_map(|(f, t)| Mutation::SpliceLine(f, t)),
        (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Mutation::NotUtf8(p, b)),
    ]
}

/// What may or may not end a line or be a space, depending on who reads it (YAML 1.1 took NEL,
/// LS and PS for line ends, YAML 1.2 does not).
const LINE_ENDS_AND_SPACES: &[&str] = &[
    "\r", "\r\n", "\n", "\u{85}", "\u{2028}", "\u{2029}", "\u{feff}", "\t", "\u{a0}", "\u{0}",
];

/// Bytes that mean something to YAML, and a few that don't.
fn yaml_byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        prop::sample::select(b"[]{}:,-#&*!|>'\"%@`? \n\t\r\\".to_vec()),
        b'a'..=b'z',
        any::<u8>(),
    ]
}

/// Words of the rule format, so random documents get past the first unknown key now and then.
const RULE_WORDS: &[&str] = &[
    "version",
    "roles",
    "default_role",
    "commands",
    "machines",
    "scope",
    "initial",
    "states",
    "transitions",
    "from",
    "to",
    "guards",
    "if",
    "message",
    "effects",
    "auto",
    "final",
    "tags",
    "description",
    "notify",
    "cascade",
    "machine",
    "event",
    "order",
    "shipment",
    "staff",
    "decrement_stock",
    "reserve_stock",
    "release_stock",
    "created",
    "shipped",
    "1",
    "true",
];

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(RULE_WORDS).prop_map(|w| json!(w)),
        "[a-z_\\.\\[\\]]{0,8}".prop_map(Value::String),
        any::<i64>().prop_map(|n| json!(n)),
        any::<bool>().prop_map(|b| json!(b)),
        Just(Value::Null),
    ]
}

fn yaml_value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(4, 40, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(prop::sample::select(RULE_WORDS), inner, 0..5).prop_map(
                |m| Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            ),
        ]
    })
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn mutated_rule_files_load_or_fail_located(
        file in prop::sample::select(vec!["rules/default.yaml", "rules/examples/sylius.yaml", "rules/examples/warehouse.yaml"]),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        props::rules(&mutate(&read(file), &mutations));
    }

    #[test]
    fn random_rule_documents_load_or_fail_located(doc in yaml_value(), text in "[\\[\\]{}:,\\-#&*!|>'\"%@ \na-z0-9]{0,120}") {
        props::rules(serde_yaml::to_string(&doc).unwrap().as_bytes());
        props::rules(text.as_bytes());
    }

    #[test]
    fn a_rule_file_that_is_not_utf8_is_an_error_at_its_first_bad_byte(line in any::<usize>(), col in any::<usize>(), byte in 0xf8..=0xffu8) {
        let text = String::from_utf8(read("rules/default.yaml")).unwrap();
        let lines: Vec<&str> = text.split('\n').collect();
        let line = line % lines.len();
        let col = col % (lines[line].chars().count() + 1);
        let offset: usize = lines[..line].iter().map(|l| l.len() + 1).sum::<usize>()
            + lines[line].char_indices().nth(col).map_or(lines[line].len(), |(i, _)| i);
        let mut bytes = text.into_bytes();
        bytes.insert(offset, byte);
        props::rules(&bytes);
        let errors = Workflow::load_bytes(&bytes, props::RULES_FILE).unwrap_err();
        prop_assert_eq!(errors.len(), 1);
        prop_assert_eq!(errors[0].severity, Severity::Error);
        prop_assert_eq!((errors[0].position.line, errors[0].position.col), (line + 1, col + 1), "{}", errors[0]);
    }
}

/// Strings that ids, SKUs and names should not be, or that collide with what is stored.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(vec![
            "", " ", ".", "..", "a/b", "/", "a\nb", "a\0b", "\u{202e}evil", "ORD-1", "ORD-2", "SHP-1",
            "l1", "o/ORD-1", "ams", "MUG", "x\u{7f}", "ä", "\u{feff}",
        ])
        .prop_map(String::from),
        1 => (1..5usize).prop_map(|k| "x".repeat(k * 4000)),
        3 => "[ -~]{0,12}",
        2 => any::<String>(),
    ]
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        2 => (0..4u32).prop_map(|n| json!(n)),
        2 => prop::sample::select(vec![
            json!(-1),
            json!(0),
            json!(1),
            json!(2),
            json!(u32::MAX),
            json!(u64::from(u32::MAX) + 1),
            json!(i64::MAX),
            json!(i64::MIN),
            json!(1e30),
            json!(2.5),
            json!("3"),
            json!(null),
        ]),
        1 => any::<i64>().prop_map(|n| json!(n)),
    ]
}

fn price() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(vec![
            json!("12.50"),
            json!("-1.00"),
            json!("0.001"),
            json!("1e400"),
            json!("99999999999999999999"),
            json!("92233720368547758.07"),
            json!("abc"),
            json!(12.5),
            json!(-3),
            json!(i64::MAX),
            json!(f64::MAX),
        ]),
        number(),
    ]
}

fn valid_order() -> Value {
    json!({ "id": "ORD-9", "kind": "order", "customer": { "name": "Ada", "email": "ada@example.com" },
      "currency": "EUR", "market": "eu",
      "lines": [ { "id": "l1", "sku": "MUG", "qty": 2, "price": "12.50", "weight_g": 400, "category": "fragile" },
                 { "id": "l2", "sku": "TEE", "qty": 1 } ],
      "shipping": { "method": "standard", "partial_delivery": true, "carrier": "nationalpost",
                    "preferred_delivery_date": "2026-12-01",
                    "address": { "country": "NL", "postcode": "1011AB", "city": "Amsterdam", "lat": 52.37, "lng": 4.89 } } })
}

#[derive(Debug, Clone)]
enum OrderChange {
    Text(&'static str, String),
    Number(&'static str, Value),
    DuplicateLine(usize),
    Remove(&'static str),
    Unknown(String),
}

const TEXT_FIELDS: &[&str] = &[
    "/id",
    "/kind",
    "/currency",
    "/market",
    "/customer/name",
    "/customer/email",
    "/lines/0/id",
    "/lines/1/id",
    "/lines/0/sku",
    "/lines/1/sku",
    "/lines/0/category",
    "/shipping/method",
    "/shipping/carrier",
    "/shipping/pickup_location",
    "/shipping/preferred_delivery_date",
    "/shipping/address/country",
    "/shipping/address/city",
    "/shipping/address/street",
];
const NUMBER_FIELDS: &[&str] = &[
    "/lines/0/qty",
    "/lines/1/qty",
    "/lines/0/price",
    "/lines/1/price",
    "/lines/0/weight_g",
    "/shipping/address/lat",
    "/shipping/address/lng",
    "/shipping/partial_delivery",
];

fn order_change() -> impl Strategy<Value = OrderChange> {
    prop_oneof![
        4 => (prop::sample::select(TEXT_FIELDS), hostile()).prop_map(|(f, s)| OrderChange::Text(f, s)),
        3 => (prop::sample::select(NUMBER_FIELDS), price()).prop_map(|(f, v)| OrderChange::Number(f, v)),
        1 => (0..2usize).prop_map(OrderChange::DuplicateLine),
        1 => prop::sample::select([TEXT_FIELDS, NUMBER_FIELDS, &["/lines", "/shipping", "/shipping/address"]].concat()).prop_map(OrderChange::Remove),
        1 => "[a-z]{1,8}".prop_map(OrderChange::Unknown),
    ]
}

fn set(doc: &mut Value, pointer: &str, value: Value) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.insert(key.to_string(), value);
        }
        Some(Value::Array(items)) => {
            if let Some(item) = key.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                *item = value;
            }
        }
        _ => {}
    }
}

fn changed_order(changes: &[OrderChange]) -> Value {
    let mut doc = valid_order();
    for change in changes {
        match change {
            OrderChange::Text(f, s) => set(&mut doc, f, json!(s)),
            OrderChange::Number(f, v) => set(&mut doc, f, v.clone()),
            OrderChange::DuplicateLine(i) => {
                if let Some(Value::Array(lines)) = doc.pointer_mut("/lines") {
                    if let Some(line) = lines.get(*i).cloned() {
                        lines.push(line);
                    }
                }
            }
            OrderChange::Remove(f) => {
                let (parent, key) = f.rsplit_once('/').unwrap();
                if let Some(Value::Object(map)) = doc.pointer_mut(parent) {
                    map.remove(key);
                }
            }
            OrderChange::Unknown(k) => set(&mut doc, &format!("/{k}"), json!(1)),
        }
    }
    doc
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn order_files_are_created_or_change_nothing(
        changes in prop::collection::vec(order_change(), 0..4),
        yaml in any::<bool>(),
        mutations in prop::collection::vec(mutation(), 0..2),
    ) {
        let doc = changed_order(&changes);
        let text = if yaml { serde_yaml::to_string(&doc).unwrap() } else { doc.to_string() };
        props::order_file(&mutate(text.as_bytes(), &mutations));
    }
}

/// The ops of the `Command` enum, and a few that are not.
const OPS: &[&str] = &[
    "order.create",
    "order.fire",
    "order.note",
    "order.edit",
    "shipment.create",
    "shipment.fire",
    "shipment.edit",
    "shipment.delete",
    "shipment.split",
    "location.add",
    "stock.set",
    "shipment.label",
    "shipment.void",
    "carrier.webhook",
    "outbox.ack",
    "order.delete",
    "",
];

const EVENTS: &[&str] = &[
    "place",
    "approve",
    "cancel",
    "complete",
    "authorize",
    "capture",
    "refund",
    "void",
    "mark_paid",
    "return_items",
    "cancel_fulfillment",
    "mark_fulfilled",
    "process",
    "hand_over",
    "ship",
    "depart",
    "start_delivery",
    "deliver",
    "deliver_partially",
    "fail_delivery",
    "flag_exception",
    "resume",
    "return_to_sender",
    "carrier_cancel",
    "nope",
];

fn id() -> impl Strategy<Value = Value> {
    prop_oneof![
        8 => prop::sample::select(vec!["ORD-1", "ORD-2", "SHP-1", "SHP-2", "ams", "rtm", "MUG", "TEE", "l1", "l2"]).prop_map(|s| json!(s)),
        1 => hostile().prop_map(|s| json!(s)),
        1 => number(),
    ]
}

fn input() -> impl Strategy<Value = Value> {
    prop::collection::btree_map(
        prop::sample::select(vec!["amount", "l1", "l2", "reason", "x"]),
        prop_oneof![price(), hostile().prop_map(|s| json!(s))],
        0..3,
    )
    .prop_map(|m| json!(m))
}

/// The sample webhooks of every carrier (`*.json`), by carrier id, with their headers.
fn samples() -> Vec<(String, String, BTreeMap<String, String>)> {
    let mut out = Vec::new();
    for carrier in std::fs::read_dir(repo().join("carriers/samples")).unwrap() {
        let carrier = carrier.unwrap();
        for file in std::fs::read_dir(carrier.path()).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_none_or(|x| x != "json") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let headers = waybill_engine::carriers::check::sample_headers(&path).unwrap();
            out.push((
                carrier.file_name().to_string_lossy().into_owned(),
                text,
                headers,
            ));
        }
    }
    out.sort();
    out
}

fn field(name: &'static str) -> BoxedStrategy<Value> {
    match name {
        "id" | "order" | "location" | "sku" => id().boxed(),
        "order_id" => prop_oneof![
            4 => prop::sample::select(vec!["ORD-1", "ORD-2", "ORD-9", "ORD-1001"]).prop_map(|s| json!(s)),
            1 => id(),
        ].boxed(),
        "shipment_id" => prop_oneof![
            4 => prop::sample::select(vec!["SHP-1", "SHP-2", "SHP-3"]).prop_map(|s| json!(s)),
            1 => id(),
        ].boxed(),
        "event" => prop::sample::select(EVENTS).prop_map(|e| json!(e)).boxed(),
        "input" | "config" => input().boxed(),
        "text" | "service" => hostile().prop_map(|s| json!(s)).boxed(),
        "qty" => number().boxed(),
        "customer" => (hostile(), hostile()).prop_map(|(n, e)| json!({"name": n, "email": e})).boxed(),
        "shipment" => (id(), id(), number(), hostile()).prop_map(|(loc, line, qty, code)| {
            json!({"location": loc, "items": [{"line": line, "qty": qty}], "tracking": [{"code": code}]})
        }).boxed(),
        "changes" => (id(), number(), hostile(), id()).prop_map(|(line, qty, code, carrier)| {
            json!({"items": [{"line": line, "qty": qty}], "add_tracking": [{"code": code}], "carrier": carrier})
        }).boxed(),
        "new_location" => (id(), hostile(), number()).prop_map(|(id, name, priority)| {
            json!({"id": id, "name": name, "priority": priority, "country": "NL"})
        }).boxed(),
        "strategy" => prop::collection::vec(prop::sample::select(vec!["split_shipments", "no_split", "by_weight", "nope", ""]), 0..3)
            .prop_map(|s| json!(s)).boxed(),
        "dry_run" => any::<bool>().prop_map(|b| json!(b)).boxed(),
        "carrier" => prop::sample::select(vec!["nationalpost", "apiship", "parcelline", "citycourier", "manual", "nope", "../x"])
            .prop_map(|c| json!(c)).boxed(),
        "headers" => prop::collection::btree_map("[a-z-]{1,12}", "[ -~]{0,16}", 0..3).prop_map(|m| json!(m)).boxed(),
        "body" => {
            let samples = samples();
            prop_oneof![
                3 => (prop::sample::select(samples), prop::collection::vec(mutation(), 0..2))
                    .prop_map(|((_, body, _), m)| json!(String::from_utf8_lossy(&mutate(body.as_bytes(), &m)))),
                1 => hostile().prop_map(|s| json!(s)),
            ].boxed()
        }
        "order_spec" => prop::collection::vec(order_change(), 0..3).prop_map(|c| changed_order(&c)).boxed(),
        _ => unreachable!("{name}"),
    }
}

/// The fields of each op, as the generator fills them (`location.add` and `order.create` take an
/// object under a field name that is also a plain id elsewhere).
fn fields(op: &str) -> &'static [(&'static str, &'static str)] {
    match op {
        "order.create" => &[("order", "order_spec")],
        "order.fire" => &[("id", "order_id"), ("event", "event"), ("input", "input")],
        "shipment.fire" => &[
            ("id", "shipment_id"),
            ("event", "event"),
            ("input", "input"),
        ],
        "order.note" => &[("id", "order_id"), ("text", "text")],
        "order.edit" => &[("id", "order_id"), ("customer", "customer")],
        "shipment.create" => &[("order", "order_id"), ("shipment", "shipment")],
        "shipment.edit" => &[("id", "shipment_id"), ("changes", "changes")],
        "shipment.delete" | "shipment.void" => &[("id", "shipment_id")],
        "outbox.ack" => &[("id", "qty")],
        "shipment.split" => &[
            ("order", "order_id"),
            ("strategy", "strategy"),
            ("config", "config"),
            ("dry_run", "dry_run"),
        ],
        "location.add" => &[("location", "new_location")],
        "stock.set" => &[("location", "location"), ("sku", "sku"), ("qty", "qty")],
        "shipment.label" => &[
            ("id", "shipment_id"),
            ("carrier", "carrier"),
            ("service", "service"),
        ],
        "carrier.webhook" => &[
            ("carrier", "carrier"),
            ("headers", "headers"),
            ("body", "body"),
        ],
        _ => &[("id", "id")],
    }
}

fn apply_line() -> impl Strategy<Value = String> {
    let role = prop::option::weighted(
        0.3,
        prop_oneof![
            4 => prop::sample::select(vec!["backoffice", "order_manager", "sales_portal", "carrier", "system"]).prop_map(|r| json!(r)),
            1 => hostile().prop_map(|s| json!(s)),
            1 => number(),
        ],
    );
    let key = prop::option::weighted(
        0.3,
        prop_oneof![
            prop::sample::select(vec!["k1", "k2"]).prop_map(|k| json!(k)),
            hostile().prop_map(|s| json!(s)),
        ],
    );
    (
        prop::sample::select(OPS),
        role,
        key,
        any::<u64>(),
        prop::option::of("[a-z_]{1,8}"),
    )
        .prop_flat_map(|(op, role, key, keep, unknown)| {
            let values: Vec<BoxedStrategy<Value>> =
                fields(op).iter().map(|(_, kind)| field(kind)).collect();
            (Just((op, role, key, keep, unknown)), values)
        })
        .prop_map(|((op, role, key, keep, unknown), values)| {
            let mut line = serde_json::Map::new();
            line.insert("op".into(), json!(op));
            for (i, ((name, _), value)) in fields(op).iter().zip(values).enumerate() {
                // Most lines have every field; some lack one.
                if keep % 13 != 0 || (keep >> 8) as usize % fields(op).len() != i {
                    line.insert(name.to_string(), value);
                }
            }
            if let Some(role) = role {
                line.insert("as".into(), role);
            }
            if let Some(key) = key {
                line.insert("key".into(), key);
            }
            if let Some(unknown) = unknown.filter(|_| keep % 11 == 0) {
                line.insert(unknown, json!(1));
            }
            Value::Object(line).to_string()
        })
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn apply_lines_apply_or_change_nothing_but_the_refusal_record(
        lines in prop::collection::vec(apply_line(), 1..12),
        garbage in prop::option::of(prop::collection::vec(any::<u8>(), 0..40)),
    ) {
        let mut text = lines.join("\n");
        if let Some(garbage) = garbage {
            text.push('\n');
            text.push_str(&String::from_utf8_lossy(&garbage));
        }
        props::apply_lines(text.as_bytes());
    }
}

fn json_body() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        prop::sample::select(vec![
            "RR000000014NL",
            "AS0000000001",
            "delivered",
            "EMI",
            "tracking.updated",
            "2025-03-04T12:15:22Z",
            "not a time"
        ])
        .prop_map(|s| json!(s)),
        hostile().prop_map(|s| json!(s)),
        number(),
        any::<bool>().prop_map(|b| json!(b)),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "id",
                    "type",
                    "data",
                    "events",
                    "event_id",
                    "item_id",
                    "event_code",
                    "event_time",
                    "tracking_number",
                    "code",
                    "occurred_at",
                    "status",
                    "at",
                    "timestamp",
                    "barcode",
                    "created_at"
                ]),
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn webhooks_parse_or_fail_clearly(
        sample in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 0..3),
        random in json_body(),
        text in any::<String>(),
        headers in prop::collection::btree_map("[A-Za-z-]{1,16}", any::<String>(), 0..4),
        raw in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let samples = samples();
        let (_, body, _) = sample.get(&samples);
        let mutated = String::from_utf8_lossy(&mutate(body.as_bytes(), &mutations)).into_owned();
        for adapter in props::adapters() {
            for body in [mutated.clone(), random.to_string(), text.clone()] {
                props::webhook_to(adapter, headers.clone(), body);
            }
        }
        props::webhook(&raw);
    }
}

#[test]
fn every_sample_webhook_parses_in_its_adapter() {
    let samples = samples();
    for (carrier, body, headers) in &samples {
        // Signed samples verify with their sample secrets.
        let signed = crate::util::sample_carriers().load(carrier).unwrap();
        let events = signed.parse_webhook(headers, body);
        assert!(events.is_ok(), "{carrier}: {events:?}");
        let adapter = props::adapters()
            .iter()
            .find(|a| &a.meta.id == carrier)
            .unwrap();
        props::webhook_to(adapter, headers.clone(), body.clone());
    }
}

#[test]
fn the_fixture_store_is_sound() {
    let exec = props::executor();
    assert!(exec.check_invariants().unwrap().is_empty());
    assert_eq!(exec.orders(&Default::default()).unwrap().len(), 2);
}

/// `- - - ...` a thousand deep overflowed the stack while the source map was built
/// (`rules/source_map.rs`); deep flow collections did the same further down.
#[test]
fn deeply_nested_rule_files_are_located_errors() {
    for depth in [1_000, 20_000] {
        for (open, close) in [("[", "]"), ("{a: ", "}"), ("- ", ""), ("a:\n ", "")] {
            let text = format!("{}{}", open.repeat(depth), close.repeat(depth));
            props::rules(text.as_bytes());
        }
    }
}
