//! Script names are names: data names a strategy or a carrier, never a file; a path is taken
//! only when the operator types it on the command line.

use super::*;

/// A strategy that ships everything from `rtm`, and a carrier adapter `evil`, in a folder
/// outside every configured one: `outside/`, reached from `st/mine` and `ad/mine` by `../../`.
fn outside(s: &Store) {
    s.file(
        "outside/evil.rhai",
        "fn split(order, locations, stock) { #{ packages: [#{ location: \"rtm\", items: order.lines.map(|l| #{ line: l.id, qty: l.qty }) }], backorder: [] } }\nfn metadata() { #{ id: \"evil\", name: \"Evil\", services: [\"x\"] } }\nfn create_label(req) { #{ tracking_number: \"EVIL1\", label: \"pwned\", cost: \"0.00\" } }",
    );
    for dir in ["st/mine", "ad/mine"] {
        std::fs::create_dir_all(s.path().join(dir)).unwrap();
    }
}

fn dirs(s: &Store) -> [String; 4] {
    [
        "--strategies-dir".into(),
        s.path().join("st/mine").display().to_string(),
        "--carriers-dir".into(),
        s.path().join("ad/mine").display().to_string(),
    ]
}

#[test]
fn a_name_in_data_never_loads_a_file_outside_the_folders() {
    let s = shop();
    outside(&s);
    let dirs = dirs(&s);
    let d: Vec<&str> = dirs.iter().map(String::as_str).collect();

    // An apply line (an integration's data) naming a strategy by a path.
    let before = s.dump_text();
    let (code, results) = apply(
        &s,
        &d,
        r#"{"op":"shipment.split","order":"ORD-1","strategy":["../../outside/evil"]}"#,
    );
    assert_eq!(code, 2, "{results:?}");
    let error = results[0]["error"].as_str().unwrap();
    assert!(
        error.contains("strategy `../../outside/evil` is not an id"),
        "{error}"
    );
    assert_eq!(before, s.dump_text(), "the split ran");

    // An order of an integration naming its carrier by a path is refused when created.
    let file = s.file(
        "evil-order.json",
        &serde_json::json!({"id": "ORD-2", "lines": [{"id": "l1", "sku": "MUG", "qty": 1}],
            "shipping": {"carrier": "../../outside/evil", "address": {"country": "NL"}}})
        .to_string(),
    );
    let mut args = d.clone();
    args.extend(["--as", "sales_portal", "order", "create", &file]);
    refused_unchanged(
        &s,
        2,
        &args,
        "shipping.carrier `../../outside/evil` is not an id",
    );

    // So is an unknown carrier, with the known ones listed.
    let file = s.file(
        "unknown.json",
        &order("ORD-3", "MUG").replace(r#""shipping":{"#, r#""shipping":{"carrier":"nosuch","#),
    );
    let mut args = d.clone();
    args.extend(["order", "create", &file]);
    refused_unchanged(&s, 2, &args, "no carrier `nosuch`");

    // And a carrier typed as a path, on a shipment.
    s.ok(&[
        "shipment",
        "create",
        "ORD-1",
        "--location",
        "ams",
        "--item",
        "l1:2",
    ]);
    let mut args = d.clone();
    args.extend([
        "shipment",
        "label",
        "SHP-1",
        "--carrier",
        "../../outside/evil",
    ]);
    refused_unchanged(&s, 2, &args, "carrier `../../outside/evil` is not an id");
    assert!(
        !s.data().join("labels").exists(),
        "no label may have been written"
    );
}

#[test]
fn a_path_the_operator_types_is_taken() {
    let s = shop();
    outside(&s);
    let path = s.path().join("outside/evil.rhai").display().to_string();
    let out = s.ok(&[
        "shipment",
        "split",
        "ORD-1",
        "--strategy",
        &path,
        "--dry-run",
    ]);
    assert!(out.contains("rtm"), "the typed strategy ran: {out}");
}

#[test]
fn a_carrier_script_declares_its_own_id() {
    let s = shop();
    s.file(
        "ad/apiship.rhai",
        "fn metadata() { #{ id: \"impostor\", name: \"I\", services: [\"x\"] } }",
    );
    let dir = s.path().join("ad").display().to_string();
    let err = s.fails(2, &["--carriers-dir", &dir, "carrier", "list"]);
    assert!(
        err.contains(
            "declares id `impostor`; the file of carrier `apiship` must declare `apiship`"
        ),
        "{err}"
    );
}
