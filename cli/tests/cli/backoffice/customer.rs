//! Changing an order's customer (seed 002): only the fields given change, and an e-mail must
//! look like one.

use super::*;

fn customer(s: &Store) -> Value {
    s.order("ORD-1")["order"]["spec"]["customer"].clone()
}

#[test]
fn customer_edits_change_only_the_fields_given() {
    let s = Store::new();
    placed(&s, "ORD-1");
    s.ok(&["order", "edit", "ORD-1", "--email", "ada@lovelace.org"]);
    let c = customer(&s);
    assert_eq!(c["name"], "Ada Lovelace", "{c}");
    assert_eq!(c["email"], "ada@lovelace.org", "{c}");
    s.ok(&["order", "customer", "ORD-1", "--name", "Ada King"]);
    let c = customer(&s);
    assert_eq!(c["name"], "Ada King", "{c}");
    assert_eq!(c["email"], "ada@lovelace.org", "{c}");
    // The apply op takes the same partial customer.
    let out = s.run_stdin(
        &["apply", "-"],
        "{\"op\":\"order.edit\",\"id\":\"ORD-1\",\"customer\":{\"email\":\"ada@king.org\"}}\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let c = customer(&s);
    assert_eq!(c["name"], "Ada King", "{c}");
    assert_eq!(c["email"], "ada@king.org", "{c}");
    let history = s.ok(&["order", "history", "ORD-1"]);
    assert!(
        history.contains("order.edit (backoffice): customer changed to ada@lovelace.org"),
        "{history}"
    );
}

#[test]
fn a_bad_email_is_bad_input_and_changes_nothing() {
    let s = Store::new();
    placed(&s, "ORD-1");
    let before = s.dump_text();
    for email in [
        "ada",
        "ada@example",
        "ada@@example.com",
        "ada@ex@ample.com",
        "ada lovelace@example.com",
        "ada@example.com ",
        "@example.com",
        "ada@.com",
        "ada@example.",
    ] {
        let err = s.fails(2, &["order", "edit", "ORD-1", "--email", email]);
        assert!(err.contains("e-mail"), "{email}: {err}");
    }
    assert_eq!(s.dump_text(), before);
    assert_eq!(customer(&s)["email"], "ada@example.com");
    // An order file with a bad e-mail is refused the same way.
    let path = s.file(
        "bad.json",
        &order_json("ORD-2", "order", "Bob", "bob-at-example.com", 1, "1.00"),
    );
    let err = s.fails(2, &["order", "create", &path]);
    assert!(err.contains("e-mail"), "{err}");
    assert_eq!(s.dump_text(), before);
}
