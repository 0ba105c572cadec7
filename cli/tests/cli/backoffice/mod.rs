//! The back office of seeds 000 and 002: firing a shipment or order into a state
//! (`fire --to`), the shipments overview across orders, editing and deleting notes, partial
//! customer changes, and searching, sorting and paging the order list.

use crate::util::{stderr, stdout, Store};
use serde_json::Value;

mod customer;
mod fire_to;
mod notes;
mod order_list;
mod shipment_list;

/// Locations `ams` and `rtm` with plenty of the test SKUs.
fn stock_up(s: &Store) {
    for location in ["ams", "rtm"] {
        s.ok(&["location", "add", location]);
        for sku in ["MUG", "TEE"] {
            s.ok(&["stock", "set", location, sku, "1000"]);
        }
    }
}

/// An order of `qty` x l1 (MUG) at `price` and 1 x l2 (TEE) at 5.00.
fn order_json(id: &str, kind: &str, name: &str, email: &str, qty: u32, price: &str) -> String {
    format!(
        r#"{{"id":"{id}","kind":"{kind}","customer":{{"name":"{name}","email":"{email}"}},
 "lines":[{{"id":"l1","sku":"MUG","qty":{qty},"price":"{price}"}},
          {{"id":"l2","sku":"TEE","qty":1,"price":"5.00"}}],
 "shipping":{{"method":"standard","address":{{"country":"NL","city":"Amsterdam"}}}}}}"#
    )
}

/// Creates order `id` (Ada, 2 x 10.00 + 5.00) and places it.
fn placed(s: &Store, id: &str) {
    s.create(
        &format!("{id}.json"),
        &order_json(id, "order", "Ada Lovelace", "ada@example.com", 2, "10.00"),
    );
    s.ok(&["order", "fire", id, "place"]);
}

/// Creates a shipment of one l1 and returns its id.
fn shipment(s: &Store, order: &str, extra: &[&str]) -> String {
    let mut args = vec!["shipment", "create", order, "--item", "l1:1"];
    args.extend_from_slice(extra);
    let reply = s.json(&args);
    reply["entity"]["id"].as_str().unwrap().to_string()
}

/// The ids of a JSON array of rows.
fn ids(rows: &Value) -> Vec<String> {
    rows.as_array()
        .unwrap_or_else(|| panic!("not an array: {rows}"))
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}
