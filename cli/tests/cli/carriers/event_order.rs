//! Carrier events in any order: shuffled and duplicated, a shipment ends where its events in
//! time order take it; ties follow the progress rank, then the event id; an event that fires
//! nothing hides nothing; a status the shipment can't reach in one step follows the rules'
//! `carrier_paths:`.

use super::*;

/// National Post journeys (codes in time order) and the shipment state their time order
/// reaches under the default rules.
const JOURNEYS: [(&[&str], &str); 7] = [
    (&["EMA", "EMC", "EDG", "EMI"], "delivered"),
    (&["EMA", "EMC", "NPDLY"], "in_transit"),
    (&["EMC", "EME", "EMF", "EDG"], "out_for_delivery"),
    (&["EMA", "EMC", "EDG", "EMH", "NPX17"], "failed_delivery"),
    (&["NPLBL", "EMA"], "shipped"),
    (&["EMC", "EDG", "EMH", "EDG", "EMI"], "delivered"),
    (&["EMA", "EMC", "EDG", "EMH", "NPRTS"], "returned_to_sender"),
];

/// A small seeded generator (a 64-bit LCG), so a failing seed can be run again.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

#[test]
fn shuffled_events_with_duplicates_end_where_time_order_does() {
    const N: u32 = 20;
    for seed in [1_u64, 7, 2026] {
        let s = Store::np_shipments(N);
        let mut rng = Lcg(seed);
        // (event id, number, code, minute), every event once, and about a third twice.
        let mut events = Vec::new();
        for i in 1..=N {
            let (codes, _) = JOURNEYS[(i as usize - 1) % JOURNEYS.len()];
            for (k, code) in codes.iter().enumerate() {
                let event = (
                    format!("E{i}-{k}"),
                    np_number(100 + i),
                    code.to_string(),
                    10 * k as u32 + i,
                );
                if rng.below(3) == 0 {
                    events.push(event.clone());
                }
                events.push(event);
            }
        }
        for i in (1..events.len()).rev() {
            events.swap(i, rng.below(i + 1));
        }
        // One to three events per webhook.
        let mut lines = Vec::new();
        let mut rest = events.as_slice();
        while !rest.is_empty() {
            let take = (1 + rng.below(3)).min(rest.len());
            let batch: Vec<(&str, &str, &str, u32)> = rest[..take]
                .iter()
                .map(|(id, n, c, m)| (id.as_str(), n.as_str(), c.as_str(), *m))
                .collect();
            lines.push(
                serde_json::json!({"op": "carrier.webhook", "carrier": "nationalpost",
                    "body": np_body(&batch)})
                .to_string(),
            );
            rest = &rest[take..];
        }
        let file = s.file("hooks.jsonl", &(lines.join("\n") + "\n"));
        s.ok(&["apply", &file]);

        let order = s.order("ORD-1");
        for i in 1..=N {
            let (_, expected) = JOURNEYS[(i as usize - 1) % JOURNEYS.len()];
            let shipment = order["shipments"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["id"] == format!("SHP-{i}"))
                .unwrap_or_else(|| panic!("{order}"));
            assert_eq!(
                shipment["states"]["shipment"],
                expected,
                "seed {seed}: SHP-{i} after {:?}",
                events
                    .iter()
                    .filter(|e| e.1 == np_number(100 + i))
                    .collect::<Vec<_>>()
            );
        }
        // The history keeps every distinct event once, with its raw code.
        let history = s.history();
        let mut distinct: Vec<&(String, String, String, u32)> = events.iter().collect();
        distinct.sort();
        distinct.dedup();
        for (id, _, code, _) in distinct {
            let records: Vec<&str> = history
                .iter()
                .filter(|h| h["event"] == "carrier.webhook")
                .filter_map(|h| h["reason"].as_str())
                .filter(|r| {
                    r.contains(&format!("event {id} ")) || r.contains(&format!("event {id}:"))
                })
                .collect();
            assert_eq!(records.len(), 1, "seed {seed}: {id}: {records:?}");
            assert!(records[0].contains(code.as_str()), "{id}: {records:?}");
        }
    }
}

#[test]
fn events_at_the_same_time_follow_the_progress_rank_then_the_event_id() {
    let s = Store::np_shipments(4);
    let (n1, n2, n3, n4) = (
        np_number(101),
        np_number(102),
        np_number(103),
        np_number(104),
    );
    // Out for delivery and delivered at the same minute: delivered is later, either way.
    s.np_webhook(&[("A1", &n1, "EMC", 1), ("A2", &n1, "EMI", 5)]);
    s.np_webhook(&[("A3", &n1, "EDG", 5)]);
    s.np_webhook(&[("B1", &n2, "EMC", 1), ("B2", &n2, "EDG", 5)]);
    s.np_webhook(&[("B3", &n2, "EMI", 5)]);
    assert_eq!(s.shipment_state("SHP-1"), "delivered");
    assert_eq!(s.shipment_state("SHP-2"), "delivered");
    // A delivery attempt ranks after out for delivery.
    s.np_webhook(&[
        ("C1", &n3, "EMC", 1),
        ("C2", &n3, "EMH", 5),
        ("C3", &n3, "EDG", 5),
    ]);
    assert_eq!(s.shipment_state("SHP-3"), "failed_delivery");
    // The same rank at the same time: the greater event id is the later one.
    s.np_webhook(&[("D2", &n4, "EMC", 5)]);
    s.np_webhook(&[("D1", &n4, "EMB", 5)]);
    let shipment = s.shipment("SHP-4");
    assert_eq!(shipment["states"]["shipment"], "in_transit");
    assert_eq!(shipment["attrs"]["carrier_status_raw"], "EMC");
    assert_eq!(shipment["attrs"]["carrier_event_id"], "D2");
}

#[test]
fn an_event_that_fires_nothing_does_not_hide_older_ones() {
    let s = Store::np_shipments(1);
    let number = np_number(101);
    // A delay (no shipment event) at 10:30, then the departure of 10:20 it came after.
    let out = s.np_webhook(&[("E1", &number, "NPDLY", 30)]);
    assert!(out.contains("no transition"), "{out}");
    let out = s.np_webhook(&[("E2", &number, "EMC", 20)]);
    assert!(out.contains("fired ship"), "{out}");
    assert_eq!(s.shipment_state("SHP-1"), "in_transit");
    let shipment = s.shipment("SHP-1");
    assert_eq!(shipment["attrs"]["carrier_status_raw"], "EMC");
    // An unmapped code later still hides nothing.
    s.np_webhook(&[("E3", &number, "NPX17", 40)]);
    let out = s.np_webhook(&[("E4", &number, "EDG", 35)]);
    assert!(out.contains("fired start_delivery"), "{out}");
    assert_eq!(s.shipment_state("SHP-1"), "out_for_delivery");
    let text = s.ok(&["order", "history", "ORD-1"]);
    assert!(text.contains("NPDLY") && text.contains("NPX17"), "{text}");
}

#[test]
fn delivered_while_created_follows_the_declared_path() {
    let s = Store::np_shipments(1);
    let out = s.np_webhook(&[("P1", &np_number(101), "EMI", 30)]);
    assert!(out.contains("fired hand_over, deliver"), "{out}");
    assert_eq!(s.shipment_state("SHP-1"), "delivered");
    assert_eq!(s.steps_of("SHP-1"), ["hand_over", "deliver"]);
    assert_eq!(
        s.level("ams", "MUG"),
        (99, 0),
        "handing over took the stock"
    );
    // The older events arriving afterwards are history only.
    let out = s.np_webhook(&[("P0", &np_number(101), "EMC", 10)]);
    assert!(
        out.contains("older than the shipment's latest event"),
        "{out}"
    );
    assert_eq!(s.steps_of("SHP-1"), ["hand_over", "deliver"]);
}
