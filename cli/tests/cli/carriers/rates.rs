//! Rates, and the HTTP carrier buying and voiding labels through its API.

use super::*;

fn cents(price: &Value) -> i64 {
    let text = price.as_str().unwrap_or_else(|| panic!("{price}"));
    let (euros, cents) = text.split_once('.').unwrap_or((text, "0"));
    euros.parse::<i64>().unwrap() * 100 + cents.parse::<i64>().unwrap()
}

#[test]
fn rates_are_listed_cheapest_first() {
    let s = Store::shipped_from_ams();
    let rates = s.json(&["shipment", "rates", "SHP-1"]);
    let rates = rates.as_array().unwrap();
    let prices: Vec<i64> = rates.iter().map(|r| cents(&r["price"])).collect();
    assert!(prices.windows(2).all(|w| w[0] <= w[1]), "{rates:?}");
    let mut carriers: Vec<&str> = rates
        .iter()
        .map(|r| r["carrier"].as_str().unwrap())
        .collect();
    carriers.sort();
    carriers.dedup();
    assert_eq!(carriers, ["citycourier", "nationalpost", "parcelline"]);
    assert_eq!(rates.len(), 6, "{rates:?}");
    assert_eq!(
        (
            rates[0]["carrier"].as_str(),
            rates[0]["service"].as_str(),
            rates[0]["price"].as_str()
        ),
        (Some("parcelline"), Some("standard"), Some("5.65"))
    );
    let np = rates
        .iter()
        .find(|r| r["carrier"] == "nationalpost" && r["service"] == "standard")
        .unwrap();
    assert_eq!(
        (np["price"].as_str(), np["days"].as_i64()),
        (Some("6.95"), Some(1))
    );

    let text = s.ok(&["shipment", "rates", "SHP-1"]);
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with("parcelline") && first.contains("5.65") && first.contains("2 day(s)"),
        "{text}"
    );
    let one = s.json(&["shipment", "rates", "SHP-1", "--carrier", "citycourier"]);
    let services: Vec<&str> = one
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["service"].as_str().unwrap())
        .collect();
    assert_eq!(services, ["next_day", "same_day"]);
    let err = s.fails(2, &["shipment", "rates", "SHP-1", "--carrier", "manual"]);
    assert!(
        err.contains("`rates` is not supported by carrier `manual`"),
        "{err}"
    );
    let err = s.fails(2, &["shipment", "rates", "SHP-9"]);
    assert!(err.contains("SHP-9"), "{err}");
}

#[test]
fn apiship_rates_come_from_its_api() {
    let api = Api::start();
    let mut s = Store::shipped_from_ams();
    s.carrier_config = Some(api.config(&s));
    let rates = s.json(&["shipment", "rates", "SHP-1", "--carrier", "apiship"]);
    let got: Vec<(&str, &str, i64)> = rates
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["service"].as_str().unwrap(),
                r["price"].as_str().unwrap(),
                r["days"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, [("standard", "7.40", 2), ("express", "11.20", 1)]);
    let all = s.json(&["shipment", "rates", "SHP-1"]);
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .any(|r| r["carrier"] == "apiship"),
        "{all}"
    );
    assert_eq!(api.finish(), ["/v1/rates", "/v1/rates"]);
}

#[test]
fn a_bad_allowed_host_is_named_before_anything_runs() {
    let mut s = Store::shipped_from_ams();
    s.carrier_config = Some(PathBuf::from(s.file(
        "carriers.yaml",
        "apiship:\n  allowed_hosts: [\"http://127.0.0.1:5555\"]\n",
    )));
    let err = s.fails(2, &["shipment", "rates", "SHP-1", "--carrier", "apiship"]);
    assert!(
        err.contains("carrier `apiship`: allowed_hosts entry `http://127.0.0.1:5555` is not host[:port]: give host[:port], without a scheme"),
        "{err}"
    );
}

/// ApiShip from the working folder's `carriers/` (a user's own copy of the adapter).
fn with_own_apiship(api: &Api) -> Store {
    let mut s = Store::shipped_from_ams();
    let source = std::fs::read_to_string(adapter("apiship")).unwrap();
    s.file("carriers/apiship.rhai", &source);
    s.carrier_config = Some(api.config(&s));
    s
}

#[test]
fn apiship_buys_and_voids_labels_through_its_api() {
    let api = Api::start();
    let s = with_own_apiship(&api);
    let out = s.ok(&[
        "shipment",
        "label",
        "SHP-1",
        "--carrier",
        "apiship",
        "--service",
        "standard",
    ]);
    assert!(out.contains("tracking AS0000000001"), "{out}");
    let label = std::fs::read_to_string(s.data().join("labels/SHP-1.label")).unwrap();
    assert!(
        label.starts_with("^XA") && label.contains("AS0000000001"),
        "{label}"
    );
    let shipment = s.shipment("SHP-1");
    assert_eq!(shipment["cost"], "7.40");
    assert_eq!(shipment["carrier"], "apiship");
    s.ok(&["shipment", "void", "SHP-1"]);
    assert_eq!(s.shipment_state("SHP-1"), "canceled");
    assert_eq!(s.level("ams", "MUG"), (5, 0));
    assert_eq!(api.finish(), ["/v1/labels", "/v1/labels/cancel"]);
}

#[test]
fn void_of_a_parcel_that_left_does_not_ask_the_carrier() {
    let api = Api::start();
    let s = with_own_apiship(&api);
    s.ok(&["shipment", "label", "SHP-1", "--carrier", "apiship"]);
    let out = s.webhook("apiship", "in_transit");
    assert!(out.contains("fired ship"), "{out}");
    let err = s.fails(1, &["shipment", "void", "SHP-1"]);
    assert!(err.contains("carrier_cancel"), "{err}");
    assert_eq!(s.shipment_state("SHP-1"), "in_transit");
    // The parcel is on its way: the carrier must not have been told to cancel it.
    assert_eq!(api.finish(), ["/v1/labels"]);
}
