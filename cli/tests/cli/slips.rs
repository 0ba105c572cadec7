//! Packing slips (seed 001: one per shipment): `shipment slip SHP-1` as text, HTML and PDF,
//! with the order, the ship-from location, the ship-to address, the items and the tracking
//! codes; customer text is untrusted and the HTML shows it as text.

use crate::util::{pdftotext, stdout, Store};

/// The customer's name: markup that must never become markup.
const HOSTILE: &str = r#"<script>alert("x")</script> & Bob"#;

/// A store with location `ams` (Amsterdam DC, NL), order ORD-1 for [`HOSTILE`] placed, and
/// shipment SHP-1 of 2 x l1 from `ams` with a ParcelLine tracking code.
fn shipped() -> Store {
    let s = Store::new();
    s.ok(&[
        "location",
        "add",
        "ams",
        "--name",
        "Amsterdam DC",
        "--country",
        "NL",
    ]);
    s.ok(&["stock", "set", "ams", "MUG-RED", "10"]);
    s.ok(&["stock", "set", "ams", "TEE-M", "10"]);
    let order = serde_json::json!({
        "id": "ORD-1",
        "customer": {"name": HOSTILE, "email": "bob@example.com"},
        "lines": [{"id": "l1", "sku": "MUG-RED", "qty": 2, "price": "12.50"},
                  {"id": "l2", "sku": "TEE-M", "qty": 1, "price": "20.00"}],
        "shipping": {"address": {"country": "BE", "postcode": "1000", "city": "Brussels",
                                 "street": "Rue Neuve 1"}}
    });
    s.create("order.json", &order.to_string());
    s.ok(&["order", "fire", "ORD-1", "place"]);
    s.ok(&[
        "shipment",
        "create",
        "ORD-1",
        "--location",
        "ams",
        "--item",
        "l1:2",
        "--tracking",
        "1ZPL7X4A0300000015@parcelline",
    ]);
    s
}

/// What every format shows, in words a reader of the PDF's text finds too.
fn assert_contents(what: &str, text: &str) {
    for needle in [
        "SHP-1",
        "ORD-1",
        "Amsterdam DC",
        "NL",
        "Rue Neuve 1",
        "1000 Brussels",
        "BE",
        "l1",
        "MUG-RED",
        "1ZPL7X4A0300000015",
    ] {
        assert!(text.contains(needle), "{what} lacks {needle:?}:\n{text}");
    }
    // Only the shipped line is listed.
    assert!(
        !text.contains("TEE-M"),
        "{what} lists a line not in the shipment:\n{text}"
    );
}

#[test]
fn a_text_slip_lists_order_addresses_items_and_tracking() {
    let s = shipped();
    let text = s.ok(&["shipment", "slip", "SHP-1"]);
    assert_contents("text", &text);
    assert!(text.contains(HOSTILE), "{text}");
    let item = text
        .lines()
        .find(|l| l.contains("MUG-RED"))
        .expect("an item line");
    let words: Vec<&str> = item.split_whitespace().collect();
    assert_eq!(words, ["l1", "MUG-RED", "2"], "{item}");
    assert!(text.contains("Total units: 2"), "{text}");
}

#[test]
fn an_html_slip_escapes_customer_text_and_loads_nothing() {
    let s = shipped();
    let html = s.ok(&["shipment", "slip", "SHP-1", "--format", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert_contents("html", &html);
    assert!(
        html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Bob"),
        "{html}"
    );
    assert!(
        !html.contains("<script"),
        "customer text became markup:\n{html}"
    );
    assert!(html.contains("@page"), "{html}");
    for external in ["<link", "src=", "url(", "@import"] {
        assert!(!html.contains(external), "{external} in:\n{html}");
    } // A name that reorders text is shown with the override escaped, not obeyed.
    s.ok(&["order", "edit", "ORD-1", "--name", "Eve\u{202e}nimda"]);
    let html = s.ok(&["shipment", "slip", "SHP-1", "--format", "html"]);
    assert!(!html.contains('\u{202e}'), "a raw override in:\n{html}");
    assert!(html.contains("Eve\\u{202e}nimda"), "{html}");
}

#[test]
fn a_pdf_slip_holds_the_same_text() {
    let s = shipped();
    let pdf = s.path().join("slip.pdf");
    let out = s.ok(&[
        "shipment",
        "slip",
        "SHP-1",
        "--format",
        "pdf",
        "--out",
        pdf.to_str().unwrap(),
    ]);
    assert!(!out.contains("%PDF"), "the PDF went to stdout too");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    let text = pdftotext(&pdf);
    assert_contents("pdf", &text);
    assert!(text.contains(HOSTILE), "{text}");
    // Not to a terminal, a PDF without --out goes to stdout.
    let piped = s.expect(&["shipment", "slip", "SHP-1", "--format", "pdf"], 0);
    assert!(piped.stdout.starts_with(b"%PDF-"), "{}", stdout(&piped));
}

#[test]
fn out_writes_the_file_and_an_unknown_shipment_is_bad_input() {
    let s = shipped();
    let file = s.path().join("slip.html");
    let out = s.ok(&[
        "shipment",
        "slip",
        "SHP-1",
        "--format",
        "html",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert!(!out.contains("<html"), "{out}");
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.contains("MUG-RED"), "{html}");
    let err = s.fails(2, &["shipment", "slip", "SHP-9"]);
    assert!(err.contains("SHP-9"), "{err}");
    let err = s.fails(2, &["shipment", "slip", "SHP-1", "--format", "docx"]);
    assert!(err.contains("docx"), "{err}");
}

/// `--out` into the store's folder is refused and writes nothing: it would overwrite the store.
#[test]
fn a_slip_is_not_written_into_the_store() {
    let s = shipped();
    let before = s.dump_text();
    let conf = s.data().join("conf");
    let kept = std::fs::read(&conf).unwrap();
    let err = s.fails(
        2,
        &["shipment", "slip", "SHP-1", "--out", conf.to_str().unwrap()],
    );
    assert!(err.contains("is inside the store's folder"), "{err}");
    assert_eq!(std::fs::read(&conf).unwrap(), kept);
    assert_eq!(before, s.dump_text());
    let inner = s.data().join("labels").join("slip.txt");
    std::fs::create_dir_all(inner.parent().unwrap()).unwrap();
    s.fails(
        2,
        &[
            "shipment",
            "slip",
            "SHP-1",
            "--out",
            inner.to_str().unwrap(),
        ],
    );
    assert!(!inner.exists());
}
