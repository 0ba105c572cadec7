//! `waybill demo`: a day in the life of two orders, on a fresh store in a temporary folder,
//! with the built-in rules, strategies and carriers. Prints a timeline and the final statuses.

use crate::args::Cli;
use crate::{load, print};
use chrono::{Duration, Utc};
use waybill_engine::command::{Command, Executor, Request, Status};
use waybill_engine::model::{Location, Tracking};
use waybill_engine::store::SledStore;
use waybill_engine::BadInput;
use waybill_engine::{Applied, ShipmentEdit};
use waybill_engine::{Error, OrderSpec, Result};

const ORDER_A: &str = r#"{ "id": "ORD-1001", "customer": { "name": "Ada", "email": "ada@example.com" },
  "currency": "EUR", "market": "eu",
  "lines": [ { "id": "l1", "sku": "MUG-RED", "qty": 3, "price": "12.50", "weight_g": 400, "category": "fragile" },
             { "id": "l2", "sku": "TEE-M", "qty": 2, "price": "20.00", "weight_g": 200 } ],
  "shipping": { "method": "standard", "partial_delivery": true, "carrier": "nationalpost",
                "address": { "country": "NL", "postcode": "1011AB", "city": "Amsterdam", "lat": 52.37, "lng": 4.89 } } }"#;

const ORDER_B: &str = r#"{ "id": "ORD-1002", "customer": { "name": "Grace" }, "currency": "EUR",
  "lines": [ { "id": "l1", "sku": "POSTER", "qty": 1, "price": "30.00", "weight_g": 300 } ],
  "shipping": { "carrier": "parcelline", "address": { "country": "DE", "city": "Köln", "lat": 50.94, "lng": 6.96 } } }"#;

/// The demo's running state: the executor and where the store is.
struct Demo {
    exec: Executor,
    step: usize,
}

impl Demo {
    /// Runs a command as `role` and prints what happened under `title`: applied steps, a
    /// refusal's reasons, or a rejected input's message (the demo goes on either way).
    fn run(&mut self, title: &str, role: &str, command: Command) -> Result<()> {
        self.step += 1;
        outln!("{:>2}. {title}", self.step);
        let reply = self.exec.run(Request {
            command,
            role: Some(role.into()),
            acting_as: None,
            key: None,
            caller: None,
        });
        match reply {
            Ok(r) if r.status == Status::Refused => {
                let refusal = r.refusal.as_ref().expect("a refusal");
                for line in refusal.to_string().lines() {
                    outln!("    {line}");
                }
            }
            Ok(r) => {
                let applied = Applied {
                    steps: r.steps.clone(),
                    ..Applied::default()
                };
                out!("{}", print::applied(&applied, "    "));
                for topic in &r.notified {
                    outln!("    notify {topic}");
                }
                for e in &r.events {
                    outln!("    {e}");
                }
                if let Some(p) = &r.proposal {
                    out!("{}", print::proposal(p, "    "));
                }
            }
            Err(e) if e.kind() == waybill_engine::Kind::Storage => return Err(e.into()),
            Err(e) => outln!("    rejected: {e}"),
        }
        outln!();
        Ok(())
    }

    fn tracking(&self, shipment: &str) -> Result<String> {
        let (_, s) = self.exec.shipment(shipment)?;
        s.tracking
            .last()
            .map(|t| t.code.clone())
            .ok_or_else(|| Error::bad_input(format!("{shipment} has no tracking code")))
    }
}

fn nationalpost(event_id: &str, number: &str, code: &str, minutes: i64) -> String {
    let at = (Utc::now() + Duration::minutes(minutes)).to_rfc3339();
    serde_json::json!({"notification_id": format!("N-{event_id}"), "events": [
        {"event_id": event_id, "item_id": number, "event_code": code, "event_time": at}]})
    .to_string()
}

fn parcelline(number: &str, code: &str, minutes: i64) -> String {
    let at = Utc::now() + Duration::minutes(minutes);
    serde_json::json!({"trackingNumber": number, "gmtActivityDate": at.format("%Y%m%d").to_string(),
        "gmtActivityTime": at.format("%H%M%S").to_string(), "activityStatus": {"type": "I", "code": code}})
    .to_string()
}

fn webhook(carrier: &str, body: String) -> Command {
    Command::CarrierWebhook {
        carrier: carrier.into(),
        headers: Default::default(),
        body,
    }
}

fn fire(id: &str, event: &str, input: &[(&str, &str)]) -> Command {
    Command::OrderFire {
        id: id.into(),
        event: event.into(),
        input: input
            .iter()
            .map(|(k, v)| (k.to_string(), serde_json::json!(v)))
            .collect(),
    }
}

/// Runs the demo.
pub fn run(cli: &Cli) -> Result<()> {
    let dir = std::env::temp_dir().join(format!(
        "waybill-demo-{}",
        Utc::now().format("%Y%m%d-%H%M%S-%f")
    ));
    let engine = load::engine(cli)?;
    let store = SledStore::open(&dir, std::time::Duration::from_secs(5))?;
    let exec = Executor::new(engine, Box::new(store))?
        .with_strategies(crate::open::strategies(cli))
        .with_carriers(crate::open::carriers(cli)?, Some(dir.join("labels")));
    let mut d = Demo { exec, step: 0 };
    outln!("waybill demo: two orders from checkout to doorstep, on a fresh store\n");

    for (id, priority, country, lat, lng) in [
        ("ams", 1, "NL", 52.35, 4.90),
        ("rtm", 2, "NL", 51.92, 4.48),
        ("cgn", 3, "DE", 50.94, 6.96),
    ] {
        let location = Location {
            id: id.into(),
            name: id.to_uppercase(),
            priority,
            country: Some(country.into()),
            lat: Some(lat),
            lng: Some(lng),
            on_hold: false,
        };
        d.exec.run(Request {
            command: Command::LocationAdd { location },
            role: None,
            acting_as: None,
            key: None,
            caller: None,
        })?;
    }
    for (location, sku, qty) in [
        ("ams", "MUG-RED", 2),
        ("rtm", "MUG-RED", 5),
        ("ams", "TEE-M", 4),
        ("cgn", "POSTER", 3),
        ("rtm", "POSTER", 1),
    ] {
        d.exec.run(Request::new(
            Command::StockSet {
                location: location.into(),
                sku: sku.into(),
                qty,
            },
            None,
        ))?;
    }
    outln!("set up: locations ams (priority 1), rtm (2), cgn (3); MUG-RED 2 at ams and 5 at rtm, TEE-M 4 at ams, POSTER 3 at cgn and 1 at rtm\n");

    let a: OrderSpec = OrderSpec::parse(ORDER_A, "demo order A")?;
    let b: OrderSpec = OrderSpec::parse(ORDER_B, "demo order B")?;
    d.run(
        "create ORD-1001 for Ada: 3 x MUG-RED, 2 x TEE-M (77.50)",
        "sales_portal",
        Command::OrderCreate { order: Box::new(a) },
    )?;
    d.run(
        "create ORD-1002 for Grace: 1 x POSTER (30.00)",
        "sales_portal",
        Command::OrderCreate { order: Box::new(b) },
    )?;
    for id in ["ORD-1001", "ORD-1002"] {
        d.run(
            &format!("place {id}"),
            "sales_portal",
            fire(id, "place", &[]),
        )?;
    }
    d.run(
        "the sales portal tries to approve ORD-1001",
        "sales_portal",
        fire("ORD-1001", "approve", &[]),
    )?;
    d.run(
        "the back office approves ORD-1001",
        "backoffice",
        fire("ORD-1001", "approve", &[]),
    )?;
    d.run(
        "capture ORD-1001's 77.50",
        "backoffice",
        fire("ORD-1001", "capture", &[("amount", "77.50")]),
    )?;
    d.run(
        "capture 10.00 of ORD-1002 (a deposit)",
        "backoffice",
        fire("ORD-1002", "capture", &[("amount", "10.00")]),
    )?;

    let split = |order: &str, strategy: &str| Command::ShipmentSplit {
        order: order.into(),
        strategy: vec![strategy.into()],
        config: Default::default(),
        dry_run: false,
    };
    d.run(
        "split ORD-1001 with split_shipments (greedy by location priority)",
        "backoffice",
        split("ORD-1001", "split_shipments"),
    )?;
    d.run(
        "split ORD-1002 with closest_location",
        "backoffice",
        split("ORD-1002", "closest_location"),
    )?;

    let label = |id: &str| Command::ShipmentLabel {
        id: id.into(),
        carrier: None,
        service: None,
    };
    d.run(
        "buy a National Post label for SHP-1",
        "backoffice",
        label("SHP-1"),
    )?;
    d.run(
        "buy a National Post label for SHP-2",
        "backoffice",
        label("SHP-2"),
    )?;
    d.run(
        "buy a ParcelLine label for SHP-3",
        "backoffice",
        label("SHP-3"),
    )?;
    d.run(
        "the back office tries to cancel SHP-1 by hand",
        "backoffice",
        Command::ShipmentFire {
            id: "SHP-1".into(),
            event: "cancel".into(),
            input: Default::default(),
        },
    )?;
    let edit = ShipmentEdit {
        add_tracking: vec![Tracking {
            code: "RR000000013NL".into(),
            carrier: Some("nationalpost".into()),
            url: None,
        }],
        ..Default::default()
    };
    d.run(
        "add a mistyped National Post tracking code to SHP-1",
        "backoffice",
        Command::ShipmentEdit {
            id: "SHP-1".into(),
            changes: edit,
            notify_customer: false,
        },
    )?;

    let (n1, n2, n3) = (
        d.tracking("SHP-1")?,
        d.tracking("SHP-2")?,
        d.tracking("SHP-3")?,
    );
    d.run(
        "National Post: SHP-1 left the sorting centre",
        "carrier",
        webhook("nationalpost", nationalpost("E1", &n1, "EMC", 10)),
    )?;
    d.run(
        "National Post: SHP-1 is out for delivery",
        "carrier",
        webhook("nationalpost", nationalpost("E2", &n1, "EDG", 20)),
    )?;
    d.run(
        "National Post: SHP-1 delivered",
        "carrier",
        webhook("nationalpost", nationalpost("E3", &n1, "EMI", 30)),
    )?;
    d.run(
        "National Post: SHP-2 in transit",
        "carrier",
        webhook("nationalpost", nationalpost("E4", &n2, "EMC", 12)),
    )?;
    d.run(
        "National Post: SHP-2 delivery attempt failed",
        "carrier",
        webhook("nationalpost", nationalpost("E5", &n2, "EMH", 25)),
    )?;
    d.run(
        "National Post: a late copy of an older SHP-2 event arrives",
        "carrier",
        webhook("nationalpost", nationalpost("E6", &n2, "EMC", 15)),
    )?;
    d.run(
        "National Post: SHP-2 out for delivery again",
        "carrier",
        webhook("nationalpost", nationalpost("E7", &n2, "EDG", 40)),
    )?;
    d.run(
        "National Post: SHP-2 delivered",
        "carrier",
        webhook("nationalpost", nationalpost("E8", &n2, "EMI", 50)),
    )?;
    d.run(
        "National Post sends the SHP-2 delivery again (a duplicate)",
        "carrier",
        webhook("nationalpost", nationalpost("E8", &n2, "EMI", 50)),
    )?;
    d.run(
        "ParcelLine: SHP-3 origin scan",
        "carrier",
        webhook("parcelline", parcelline(&n3, "OR", 5)),
    )?;

    d.run(
        "Ada returns one mug",
        "backoffice",
        fire("ORD-1001", "return_items", &[("l1", "1")]),
    )?;
    d.run(
        "refund Ada 12.50 for it",
        "backoffice",
        fire("ORD-1001", "refund", &[("amount", "12.50")]),
    )?;
    d.run(
        "try to refund 80.00 more",
        "backoffice",
        fire("ORD-1001", "refund", &[("amount", "80.00")]),
    )?;

    outln!("final statuses:");
    for id in ["ORD-1001", "ORD-1002"] {
        let agg = d.exec.order(id)?;
        let states: Vec<String> = agg
            .order
            .states
            .iter()
            .map(|(m, s)| format!("{m}={s}"))
            .collect();
        outln!(
            "  {id}: {}  (captured {}, refunded {}, returned {} unit(s))",
            states.join(" "),
            agg.order.captured,
            agg.order.refunded,
            agg.order.returned_qty()
        );
        for s in &agg.shipments {
            outln!("    {}", crate::print::summary(s));
        }
    }
    outln!("\nstock:");
    for (location, sku, level) in d.exec.levels()? {
        outln!(
            "  {location:<4} {sku:<8} on hand {:>2}, reserved {:>2}, available {:>2}",
            level.on_hand,
            level.reserved,
            level.available()
        );
    }
    outln!("\nstore: {}", dir.display());
    outln!("keep exploring it, e.g.:\n  waybill --data {} order history ORD-1001\n  waybill --data {} outbox list", dir.display(), dir.display());
    Ok(())
}
