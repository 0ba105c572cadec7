//! `waybill demo`: one order walked through the built-in workflow, printed as a timeline.

use crate::args::Cli;
use crate::{load, print};
use chrono::Utc;
use waybill_engine::engine::Applied;
use waybill_engine::model::{ShipmentItem, Tracking};
use waybill_engine::{
    Actor, EntityRef, Error, Input, NewShipment, OrderAggregate, OrderSpec, Result,
};

const ORDER: &str = r#"{
  "id": "ORD-1001", "customer": { "name": "Ada", "email": "ada@example.com" },
  "currency": "EUR", "market": "eu",
  "lines": [ { "id": "l1", "sku": "MUG-RED", "qty": 2, "price": "12.50", "weight_g": 400, "category": "fragile" },
             { "id": "l2", "sku": "TEE-M", "qty": 1, "price": "20.00", "weight_g": 200 } ],
  "shipping": { "method": "standard", "partial_delivery": true, "carrier": "postnl",
                "address": { "country": "NL", "postcode": "1011AB", "city": "Amsterdam" } } }"#;

/// Runs the demo.
pub fn run(cli: &Cli) -> Result<()> {
    let engine = load::engine(cli)?;
    let staff = Actor::role("backoffice");
    let portal = Actor::role("sales_portal");
    let carrier = Actor::role("carrier");
    let spec: OrderSpec = serde_json::from_str(ORDER).expect("the demo order parses");
    let order = EntityRef::Order(spec.id.clone());
    println!("waybill demo: one order through the built-in workflow (in memory)\n");

    let (mut agg, applied) = engine.create_order(spec, &staff, Utc::now())?;
    show(
        "create order ORD-1001 (2 x MUG-RED, 1 x TEE-M, total 45.00)",
        &Ok(applied),
    );
    let fire = |agg: &mut OrderAggregate,
                title: &str,
                target: &EntityRef,
                event: &str,
                actor: &Actor,
                input: &[(&str, &str)]| {
        let input: Input = input
            .iter()
            .map(|(k, v)| (k.to_string(), serde_json::json!(v)))
            .collect();
        let result = engine.fire(agg, target, event, actor, &input);
        show(title, &result);
    };
    fire(&mut agg, "place the order", &order, "place", &staff, &[]);
    fire(&mut agg, "approve it", &order, "approve", &staff, &[]);
    fire(
        &mut agg,
        "capture 20.00",
        &order,
        "capture",
        &staff,
        &[("amount", "20.00")],
    );
    fire(
        &mut agg,
        "capture the remaining 25.00",
        &order,
        "capture",
        &staff,
        &[("amount", "25.00")],
    );

    let shipments = [
        ("SHP-1", "l1", 2, "00340434161094042557"),
        ("SHP-2", "l2", 1, "00340434161094042558"),
    ];
    for (id, line, qty, _) in shipments {
        let new = NewShipment {
            location: Some("amsterdam".into()),
            items: vec![ShipmentItem {
                line: line.into(),
                qty,
            }],
            ..NewShipment::default()
        };
        let result = engine.add_shipment(&mut agg, id, new, &staff, Utc::now());
        show(
            &format!("create shipment {id} with {qty} x {line}"),
            &result,
        );
    }
    let shp1 = EntityRef::Shipment("SHP-1".into());
    let shp2 = EntityRef::Shipment("SHP-2".into());
    fire(
        &mut agg,
        "the sales portal tries to process SHP-1",
        &shp1,
        "process",
        &portal,
        &[],
    );
    fire(&mut agg, "process SHP-1", &shp1, "process", &staff, &[]);
    fire(
        &mut agg,
        "ship SHP-1 without a tracking code",
        &shp1,
        "ship",
        &staff,
        &[],
    );
    for (id, _, _, code) in shipments {
        if let Some(s) = agg.shipment_mut(id) {
            s.tracking.push(Tracking {
                code: code.into(),
                carrier: Some("postnl".into()),
                url: None,
            });
        }
    }
    println!("-> add tracking codes to SHP-1 and SHP-2\n");
    fire(&mut agg, "ship SHP-1", &shp1, "ship", &staff, &[]);
    fire(&mut agg, "ship SHP-2", &shp2, "ship", &carrier, &[]);
    fire(
        &mut agg,
        "SHP-1 is out for delivery",
        &shp1,
        "start_delivery",
        &carrier,
        &[],
    );
    fire(&mut agg, "SHP-1 delivered", &shp1, "deliver", &carrier, &[]);
    fire(&mut agg, "SHP-2 delivered", &shp2, "deliver", &carrier, &[]);
    fire(
        &mut agg,
        "cancel SHP-2 after delivery",
        &shp2,
        "cancel",
        &staff,
        &[],
    );
    fire(
        &mut agg,
        "return one mug",
        &order,
        "return_items",
        &staff,
        &[("l1", "1")],
    );
    fire(
        &mut agg,
        "refund 12.50 for it",
        &order,
        "refund",
        &staff,
        &[("amount", "12.50")],
    );
    fire(
        &mut agg,
        "refund 40.00 more than was paid",
        &order,
        "refund",
        &staff,
        &[("amount", "40.00")],
    );

    println!("final statuses:");
    for (machine, state) in &agg.order.states {
        println!("  order ORD-1001 {machine}: {state}");
    }
    for s in &agg.shipments {
        for (machine, state) in &s.states {
            println!("  shipment {} {machine}: {state}", s.id);
        }
    }
    println!(
        "  money: captured {}, refunded {}; returned units: {}",
        agg.order.captured,
        agg.order.refunded,
        agg.order.returned_qty()
    );
    Ok(())
}

fn show(title: &str, result: &Result<Applied>) {
    println!("-> {title}");
    match result {
        Ok(applied) if applied.steps.is_empty() => println!("   (no transition)"),
        Ok(applied) => print!("{}", print::applied(applied, "   ")),
        Err(Error::Refused(refusal)) => {
            for line in refusal.to_string().lines() {
                println!("   {line}");
            }
        }
        Err(other) => println!("   error: {other}"),
    }
    println!();
}
