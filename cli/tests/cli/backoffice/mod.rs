//! The back office of seed 002: editing and deleting notes, partial customer changes.

use crate::util::{stderr, Store};
use serde_json::Value;

mod customer;
mod notes;

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
