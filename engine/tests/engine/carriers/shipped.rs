//! The shipped adapters: built in, metadata, tracking numbers, rates, webhook samples.

use super::*;

#[test]
fn every_shipped_adapter_is_built_in_and_named_after_its_file() {
    let ids = Carriers::default().ids();
    assert_eq!(ids, SHIPPED.map(String::from).to_vec());
    for id in SHIPPED {
        let file = repo().join("carriers/adapters").join(format!("{id}.rhai"));
        let source = std::fs::read_to_string(&file).unwrap();
        let a = Adapter::compile(&source, file.clone(), &CarrierConfig::default()).unwrap();
        assert_eq!(
            a.meta.id,
            id,
            "{}: metadata().id must equal the file stem",
            file.display()
        );
        assert!(!a.meta.name.is_empty());
    }
}

#[test]
fn metadata_maps_raw_codes_only_to_real_statuses() {
    for id in SHIPPED {
        let a = load(id);
        for (raw, status) in &a.meta.statuses {
            assert!(Normalized::ALL.contains(status), "{id}: {raw}");
            assert_ne!(
                *status,
                Normalized::Unknown,
                "{id}: mapping {raw} to unknown says nothing"
            );
            assert_eq!(a.normalize(raw), *status);
        }
        assert_eq!(a.normalize("NO-SUCH-CODE"), Normalized::Unknown);
        if a.supports("parse_webhook", 1) {
            assert!(
                a.meta.statuses.len() >= 8,
                "{id} maps only {} raw codes",
                a.meta.statuses.len()
            );
        }
    }
    // Every shipment-moving status has a raw code at the carriers that report statuses.
    for id in [
        "nationalpost",
        "parcelline",
        "citycourier",
        "apiship",
        "sendcloud",
    ] {
        let mapped: Vec<Normalized> = load(id).meta.statuses.values().copied().collect();
        for needed in [
            Normalized::InTransit,
            Normalized::OutForDelivery,
            Normalized::Delivered,
            Normalized::DeliveryAttempted,
        ] {
            assert!(
                mapped.contains(&needed),
                "{id} maps nothing to {}",
                needed.as_str()
            );
        }
    }
    // A status outside the normalized set is refused when the adapter loads.
    let err = Adapter::compile(
        r#"fn metadata() { #{ id: "typo", statuses: #{ "X1": "deliverd" } } }"#,
        PathBuf::from("typo.rhai"),
        &CarrierConfig::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("metadata.statuses.X1: `deliverd` is not a normalized status"),
        "{err}"
    );
    assert!(err.contains("delivered"), "{err}");
}

#[test]
fn generated_tracking_numbers_pass_their_checks_and_a_changed_digit_fails() {
    for id in ["nationalpost", "parcelline"] {
        let a = load(id);
        for shipment in ["SHP-1", "SHP-12", "SHP-2048", "SHP-98765432", "SHP-31"] {
            for service in a.meta.services.clone() {
                let label = a
                    .create_label(parcel(shipment, "NL", "1011AB", 1200, Some(&service)))
                    .unwrap();
                let number = &label.tracking_number;
                assert_eq!(
                    a.check_tracking(number),
                    Ok(()),
                    "{id} {shipment} {service}"
                );
                // Deterministic: the same shipment gets the same number.
                let again = a
                    .create_label(parcel(shipment, "NL", "1011AB", 1200, Some(&service)))
                    .unwrap();
                assert_eq!(&again.tracking_number, number);
                for (i, c) in number.char_indices() {
                    if i < 2 || !c.is_ascii_digit() {
                        continue;
                    }
                    let changed = bump(number, i);
                    let err = a.check_tracking(&changed).unwrap_err();
                    assert!(err.contains("wrong check digit"), "{id} {changed}: {err}");
                }
            }
        }
    }
    // The numbers the webhook samples use are the ones `shipment label SHP-1` makes.
    let np = load("nationalpost")
        .create_label(parcel("SHP-1", "NL", "1011AB", 900, None))
        .unwrap();
    assert_eq!(np.tracking_number, "RR000000014NL");
    let pl = load("parcelline")
        .create_label(parcel("SHP-1", "NL", "1011AB", 900, None))
        .unwrap();
    assert_eq!(pl.tracking_number, "1ZPL7X4A0300000015");
    let cc = load("citycourier")
        .create_label(parcel("SHP-1", "NL", "1011AB", 900, None))
        .unwrap();
    assert_eq!(cc.tracking_number, "CC-AMS-00000001");

    // S10 maps a remainder of 0 and of 6 both to check digit 5, so not every one-digit change
    // of every serial is caught (SHP-CHECK's 00000000 and 01000000 share it): that is the UPU
    // algorithm, not an adapter fault. Changing the check digit itself always fails.
    let np = load("nationalpost");
    assert_eq!(np.check_tracking("RR000000005NL"), Ok(()));
    assert_eq!(np.check_tracking("RR010000005NL"), Ok(()));
    for d in 0..=9 {
        let number = format!("RR00000000{d}NL");
        assert_eq!(np.check_tracking(&number).is_ok(), d == 5, "{number}");
    }

    // Known numbers: the S10 and UPS examples, and a number of the wrong shape.
    let np = load("nationalpost");
    assert_eq!(np.check_tracking("RR123456785NL"), Ok(()));
    assert!(np
        .check_tracking("RR000000013NL")
        .unwrap_err()
        .contains("wrong check digit"));
    assert!(np
        .check_tracking("RR00000001NL")
        .unwrap_err()
        .contains("does not look like a National Post number"));
    let pl = load("parcelline");
    assert_eq!(pl.check_tracking("1Z999AA10123456784"), Ok(()));
    assert!(pl
        .check_tracking("1Z999AA10123456785")
        .unwrap_err()
        .contains("wrong check digit"));
}

#[test]
fn citycourier_numbers_follow_its_pattern_and_zones_price_it() {
    let a = load("citycourier");
    for (postcode, hub) in [
        ("1011AB", "AMS"),
        ("3011 BD", "RTM"),
        ("3511", "UTR"),
        ("2511CV", "DHG"),
    ] {
        let label = a
            .create_label(parcel("SHP-12", "NL", postcode, 3000, None))
            .unwrap();
        assert_eq!(label.tracking_number, format!("CC-{hub}-00000012"));
        assert_eq!(a.check_tracking(&label.tracking_number), Ok(()));
    }
    // Without a check digit only the pattern catches a mistyped number.
    assert!(a.check_tracking("CC-AMS-0000001").is_err());
    assert!(a.check_tracking("CC-AM5-00000001").is_err());
    assert!(a.check_tracking("cc-ams-00000001").is_err());
    // City zone costs less than the region, heavier costs more, same day more than next day.
    let price = |postcode: &str, grams: i64, service: &str| {
        let rates = a
            .rates(parcel("SHP-1", "NL", postcode, grams, Some(service)))
            .unwrap();
        assert_eq!(rates.len(), 1, "{rates:?}");
        rates[0].price.to_string()
    };
    assert_eq!(price("1011AB", 1000, "next_day"), "5.95");
    assert_eq!(price("1315AB", 1000, "next_day"), "7.95");
    assert_eq!(price("1011AB", 7000, "next_day"), "8.95");
    assert_eq!(price("1011AB", 1000, "same_day"), "7.95");
    // Not served: other countries, unknown postcodes, over 20 kg.
    assert!(a
        .rates(parcel("SHP-1", "BE", "1000", 1000, None))
        .unwrap()
        .is_empty());
    assert!(a
        .rates(parcel("SHP-1", "NL", "9711AB", 1000, None))
        .unwrap()
        .is_empty());
    assert!(a
        .rates(parcel("SHP-1", "NL", "1011AB", 25000, None))
        .unwrap()
        .is_empty());
    let err = a
        .create_label(parcel("SHP-1", "NL", "9711AB", 1000, None))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("CityCourier does not deliver") && err.contains("9711AB"),
        "{err}"
    );
}

#[test]
fn rates_follow_the_tables() {
    let np = load("nationalpost");
    let prices = |country: &str, grams: i64| -> Vec<(String, String, Option<i64>)> {
        np.rates(parcel("SHP-1", country, "1011AB", grams, None))
            .unwrap()
            .into_iter()
            .map(|r| (r.service, r.price.to_string(), r.days))
            .collect()
    };
    assert_eq!(
        prices("NL", 1200),
        vec![
            ("standard".into(), "6.95".into(), Some(1)),
            ("express".into(), "12.45".into(), Some(1))
        ]
    );
    assert_eq!(
        prices("DE", 1200)[0],
        ("standard".into(), "13.00".into(), Some(4))
    );
    assert_eq!(
        prices("US", 1200)[0],
        ("standard".into(), "24.30".into(), Some(8))
    );
    assert_eq!(prices("NL", 2001)[0].1, "9.25");
    assert_eq!(prices("NL", 23000)[0].1, "20.45");
    assert!(prices("DE", 20001).is_empty(), "over 20 kg abroad");
    let err = np
        .create_label(parcel("SHP-1", "DE", "10115", 25000, None))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("does not take standard parcels of 25000 g to DE"),
        "{err}"
    );
    // The label costs what the rate said.
    assert_eq!(
        np.create_label(parcel("SHP-1", "DE", "10115", 1200, Some("express")))
            .unwrap()
            .cost
            .to_string(),
        "25.00"
    );

    let pl = load("parcelline");
    let rates = pl
        .rates(parcel("SHP-1", "NL", "1011AB", 1200, None))
        .unwrap();
    let got: Vec<(String, String)> = rates
        .iter()
        .map(|r| (r.service.clone(), r.price.to_string()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("standard".to_string(), "6.10".to_string()),
            ("express".to_string(), "10.68".to_string())
        ]
    );
    let one = pl
        .rates(parcel("SHP-1", "FR", "75001", 500, Some("express")))
        .unwrap();
    assert_eq!(
        (one.len(), one[0].price.to_string()),
        (1, "19.25".to_string())
    );
    assert!(pl
        .rates(parcel("SHP-1", "NL", "1011AB", 70001, None))
        .unwrap()
        .is_empty());
}

#[test]
fn cancel_and_track_answer_in_shape() {
    for id in ["nationalpost", "parcelline", "citycourier"] {
        let a = load(id);
        let number = a
            .create_label(parcel("SHP-3", "NL", "1011AB", 500, None))
            .unwrap()
            .tracking_number;
        let mut reference = Map::new();
        reference.insert("tracking_number".into(), number.clone().into());
        reference.insert("shipment".into(), "SHP-3".into());
        assert_eq!(a.cancel(reference).unwrap(), None, "{id} cancels");
        assert!(a.track(vec![number]).unwrap().is_empty());
    }
    let mut reference = Map::new();
    reference.insert("tracking_number".into(), "1Z999AA10123456784".into());
    reference.insert("shipment".into(), "SHP-3".into());
    let reason = load("parcelline").cancel(reference).unwrap();
    assert!(reason.unwrap().contains("no ParcelLine shipment"));
}

#[test]
fn manual_has_metadata_only_and_a_loose_pattern() {
    let a = load("manual");
    for f in ["rates", "create_label", "cancel", "track", "parse_webhook"] {
        assert!(!a.supports(f, 1), "manual defines {f}");
    }
    let err = a
        .rates(parcel("SHP-1", "NL", "1011AB", 100, None))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("`rates` is not supported by carrier `manual`"),
        "{err}"
    );
    for ok in ["RR000000013NL", "JJD0001234567", "tnt/42-ab", "ABC"] {
        assert_eq!(a.check_tracking(ok), Ok(()), "{ok}");
    }
    for bad in ["", "ab", "has space", "-lead"] {
        assert!(a.check_tracking(bad).is_err(), "{bad:?}");
    }
    assert_eq!(a.tracking_url("X"), None);
}

#[test]
fn webhook_samples_parse_and_map() {
    let signed = crate::util::sample_carriers();
    for id in [
        "nationalpost",
        "parcelline",
        "citycourier",
        "apiship",
        "sendcloud",
        "easypost",
    ] {
        let a = signed.load(id).unwrap();
        let dir = repo().join("carriers/samples").join(id);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        assert!(files.len() >= 2, "{id}: {files:?}");
        for file in files {
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            let body = std::fs::read_to_string(&file).unwrap();
            let headers = waybill_engine::carriers::check::sample_headers(&file).unwrap();
            let events = a
                .parse_webhook(&headers, &body)
                .unwrap_or_else(|e| panic!("{id}/{name}: {e}"));
            for e in &events {
                assert_eq!(a.check_tracking(&e.tracking_number), Ok(()), "{id}/{name}");
                let unmapped = a.normalize(&e.status) == Normalized::Unknown;
                assert_eq!(
                    unmapped,
                    name == "unmapped.json",
                    "{id}/{name}: {}",
                    e.status
                );
            }
            let expected = match (id, name.as_str()) {
                ("apiship", "label_printed.json") => 0,
                _ => 1,
            };
            assert_eq!(events.len(), expected, "{id}/{name}");
        }
    }
    // The nationalpost samples, in order of time: the late acceptance scan is the oldest.
    let a = load("nationalpost");
    let event = |name: &str| {
        let body = std::fs::read_to_string(repo().join("carriers/samples/nationalpost").join(name))
            .unwrap();
        a.parse_webhook(&BTreeMap::new(), &body).unwrap().remove(0)
    };
    let older = event("older.json");
    let sequence = ["in_transit.json", "out_for_delivery.json", "delivered.json"].map(event);
    assert_eq!(
        sequence
            .iter()
            .map(|e| a.normalize(&e.status))
            .collect::<Vec<_>>(),
        [
            Normalized::InTransit,
            Normalized::OutForDelivery,
            Normalized::Delivered
        ]
    );
    assert!(sequence.windows(2).all(|w| w[0].at < w[1].at));
    assert!(older.at < sequence[0].at);
    assert!(sequence
        .iter()
        .all(|e| e.tracking_number == "RR000000014NL" && e.event_id != older.event_id));
    assert_eq!(event("unmapped.json").status, "NPX17");
    // The parcelline alert's time and id come from its GMT activity date and time.
    let pl = load("parcelline");
    let body =
        std::fs::read_to_string(repo().join("carriers/samples/parcelline/out_for_delivery.json"))
            .unwrap();
    let e = pl.parse_webhook(&BTreeMap::new(), &body).unwrap().remove(0);
    assert_eq!(e.at.to_rfc3339(), "2025-03-04T06:30:15+00:00");
    assert_eq!(e.event_id, "1ZPL7X4A0300000015-20250304063015-OT");
}

#[test]
fn malformed_webhooks_are_clear_errors() {
    let cases = [
        ("nationalpost", "not json", "not JSON"),
        (
            "nationalpost",
            r#"{"notification_id": "n1"}"#,
            "no `events` array",
        ),
        (
            "nationalpost",
            r#"{"events": [{"event_id": "e", "item_id": "RR000000014NL", "event_code": "EMI"}]}"#,
            "no \"event_time\"",
        ),
        (
            "nationalpost",
            r#"{"events": [{"event_id": "e", "item_id": "RR000000014NL", "event_code": "EMI", "event_time": "yesterday"}]}"#,
            "events[0].at `yesterday` is not a time",
        ),
        (
            "parcelline",
            r#"{"trackingNumber": "1ZPL7X4A0300000015"}"#,
            "no \"gmtActivityDate\"",
        ),
        (
            "citycourier",
            r#"{"id": "evt", "type": "job.status_changed"}"#,
            "no \"data\"",
        ),
        ("apiship", "[1, 2]", "not a JSON object"),
    ];
    for (id, body, expected) in cases {
        let err = load(id)
            .parse_webhook(&BTreeMap::new(), body)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("parse_webhook()") && err.contains(expected),
            "{id} {body}: {err}"
        );
    }
}
