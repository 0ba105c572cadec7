//! `order list`: filters, sorts and pages (seed 002's orders page).

use super::*;

/// Five orders, created in id order:
///
/// | id | kind | customer | total | states |
/// |---|---|---|---|---|
/// | ORD-1 | order | Ada Lovelace, ada@example.com | 25.00 | placed, paid |
/// | ORD-2 | test | Grace Hopper, grace@navy.mil | 55.00 | draft |
/// | ORD-3 | order | Alan Turing, alan@bletchley.uk | 8.00 | placed |
/// | ORD-4 | quote | Ada Byron, byron@example.com | 105.00 | draft |
/// | ORD-5 | order | Edsger Dijkstra, ed@tue.nl | 7.00 | placed |
fn five_orders() -> Store {
    let s = Store::new();
    for (id, kind, name, email, qty, price) in [
        (
            "ORD-1",
            "order",
            "Ada Lovelace",
            "ada@example.com",
            2,
            "10.00",
        ),
        (
            "ORD-2",
            "test",
            "Grace Hopper",
            "grace@navy.mil",
            1,
            "50.00",
        ),
        (
            "ORD-3",
            "order",
            "Alan Turing",
            "alan@bletchley.uk",
            3,
            "1.00",
        ),
        (
            "ORD-4",
            "quote",
            "Ada Byron",
            "byron@example.com",
            1,
            "100.00",
        ),
        ("ORD-5", "order", "Edsger Dijkstra", "ed@tue.nl", 1, "2.00"),
    ] {
        s.create(
            &format!("{id}.json"),
            &order_json(id, kind, name, email, qty, price),
        );
    }
    for id in ["ORD-1", "ORD-3", "ORD-5"] {
        s.ok(&["order", "fire", id, "place"]);
    }
    s.ok(&[
        "order",
        "fire",
        "ORD-1",
        "capture",
        "--input",
        "amount=25.00",
    ]);
    s
}

fn listed(s: &Store, args: &[&str]) -> Vec<String> {
    let mut all = vec!["order", "list"];
    all.extend_from_slice(args);
    ids(&s.json(&all))
}

/// Every page of `args` with `--limit 2`, following the cursors; the ids of each page.
fn pages(s: &Store, args: &[&str]) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut all = vec!["order", "list", "--limit", "2"];
        all.extend_from_slice(args);
        if let Some(c) = &cursor {
            all.extend_from_slice(&["--after", c]);
        }
        let page = s.json(&all);
        pages.push(ids(&page["orders"]));
        match page["next"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
        assert!(pages.len() < 10, "the cursors go round: {pages:?}");
    }
    pages
}

#[test]
fn order_list_filters() {
    let s = five_orders();
    assert_eq!(
        listed(&s, &["--state", "order=placed"]),
        ["ORD-1", "ORD-3", "ORD-5"]
    );
    assert_eq!(
        listed(&s, &["--state", "order=placed", "--state", "payment=paid"]),
        ["ORD-1"]
    );
    assert_eq!(listed(&s, &["--kind", "quote"]), ["ORD-4"]);
    assert_eq!(
        listed(&s, &["--kind", "order"]),
        ["ORD-1", "ORD-3", "ORD-5"]
    );
    assert_eq!(listed(&s, &["--test"]), ["ORD-2"]);
    assert_eq!(
        listed(&s, &["--no-test"]),
        ["ORD-1", "ORD-3", "ORD-4", "ORD-5"]
    );
    // The customer's name or e-mail, any case.
    assert_eq!(listed(&s, &["--customer", "ada"]), ["ORD-1", "ORD-4"]);
    assert_eq!(
        listed(&s, &["--customer", "EXAMPLE.com"]),
        ["ORD-1", "ORD-4"]
    );
    assert_eq!(listed(&s, &["--customer", "navy"]), ["ORD-2"]);
    assert!(listed(&s, &["--customer", "nobody"]).is_empty());
    // Created at or after a time; a date is its midnight (UTC).
    let third = s.order("ORD-3")["order"]["created_at"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        listed(&s, &["--created-after", &third]),
        ["ORD-3", "ORD-4", "ORD-5"]
    );
    let today = chrono::Utc::now().date_naive();
    let tomorrow = (today + chrono::Days::new(1)).to_string();
    let yesterday = (today - chrono::Days::new(1)).to_string();
    assert!(listed(&s, &["--created-after", &tomorrow]).is_empty());
    assert_eq!(listed(&s, &["--created-after", &yesterday]).len(), 5);
    // Filters combine.
    assert_eq!(
        listed(
            &s,
            &["--no-test", "--customer", "ada", "--state", "order=draft"]
        ),
        ["ORD-4"]
    );
    // Text output, as before.
    let out = s.expect(&["order", "list", "--state", "order=placed"], 0);
    assert_eq!(stdout(&out).lines().count(), 3, "{}", stdout(&out));
    assert!(
        stdout(&out).starts_with("ORD-1  order  "),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).contains("3 orders"), "{}", stderr(&out));
}

#[test]
fn order_list_sorts() {
    let s = five_orders();
    assert_eq!(
        listed(&s, &["--sort", "total"]),
        ["ORD-5", "ORD-3", "ORD-1", "ORD-2", "ORD-4"]
    );
    assert_eq!(
        listed(&s, &["--sort", "total", "--desc"]),
        ["ORD-4", "ORD-2", "ORD-1", "ORD-3", "ORD-5"]
    );
    assert_eq!(
        listed(&s, &["--sort", "created"]),
        ["ORD-1", "ORD-2", "ORD-3", "ORD-4", "ORD-5"]
    );
    assert_eq!(
        listed(&s, &["--sort", "created", "--desc"]),
        ["ORD-5", "ORD-4", "ORD-3", "ORD-2", "ORD-1"]
    );
    // A machine's name sorts by its state, in the order the rules declare the states.
    assert_eq!(
        listed(&s, &["--sort", "payment"]),
        ["ORD-2", "ORD-3", "ORD-4", "ORD-5", "ORD-1"]
    );
    assert_eq!(
        listed(&s, &["--sort", "order"]),
        ["ORD-2", "ORD-4", "ORD-1", "ORD-3", "ORD-5"]
    );
    assert_eq!(
        listed(&s, &["--sort", "id", "--desc"]),
        ["ORD-5", "ORD-4", "ORD-3", "ORD-2", "ORD-1"]
    );
    let page = s.json(&[
        "order",
        "list",
        "--no-test",
        "--sort",
        "total",
        "--desc",
        "--limit",
        "2",
    ]);
    assert_eq!(ids(&page["orders"]), ["ORD-4", "ORD-1"]);
    let err = s.fails(2, &["order", "list", "--sort", "paymnet"]);
    assert!(err.contains("payment"), "{err}");
}

#[test]
fn order_list_pages_through_every_order_exactly_once() {
    let s = five_orders();
    let all = ["ORD-1", "ORD-2", "ORD-3", "ORD-4", "ORD-5"];
    for (args, wanted) in [
        (vec![], all.to_vec()),
        (
            vec!["--sort", "total"],
            vec!["ORD-5", "ORD-3", "ORD-1", "ORD-2", "ORD-4"],
        ),
        (
            vec!["--sort", "created", "--desc"],
            vec!["ORD-5", "ORD-4", "ORD-3", "ORD-2", "ORD-1"],
        ),
        (
            vec!["--sort", "payment"],
            vec!["ORD-2", "ORD-3", "ORD-4", "ORD-5", "ORD-1"],
        ),
        (vec!["--no-test"], vec!["ORD-1", "ORD-3", "ORD-4", "ORD-5"]),
    ] {
        let pages = pages(&s, &args);
        assert!(pages.iter().all(|p| p.len() <= 2), "{args:?}: {pages:?}");
        let seen: Vec<String> = pages.into_iter().flatten().collect();
        assert_eq!(seen, wanted, "{args:?}");
    }
    // Text output ends with the cursor, on stderr beside the count.
    let out = s.expect(&["order", "list", "--limit", "2"], 0);
    assert_eq!(stdout(&out).lines().count(), 2, "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("2 orders"), "{err}");
    let cursor = err
        .split("--after ")
        .nth(1)
        .unwrap_or_else(|| panic!("no cursor: {err}"))
        .trim();
    let out = s.expect(&["order", "list", "--limit", "2", "--after", cursor], 0);
    assert!(stdout(&out).starts_with("ORD-3  "), "{}", stdout(&out));
    // The last page has no cursor.
    let out = s.expect(&["order", "list", "--limit", "5"], 0);
    assert!(!stderr(&out).contains("--after"), "{}", stderr(&out));
    // A cursor of another sort is bad input.
    let page = s.json(&["order", "list", "--limit", "2", "--sort", "total"]);
    let cursor = page["next"].as_str().unwrap();
    let err = s.fails(
        2,
        &[
            "order", "list", "--limit", "2", "--sort", "created", "--after", cursor,
        ],
    );
    assert!(err.contains("cursor"), "{err}");
    s.fails(2, &["order", "list", "--limit", "0"]);
}
