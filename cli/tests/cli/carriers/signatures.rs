//! Signed webhooks through the CLI: `carrier webhook --header`, a wrong signature refused with
//! exit 4 and nothing written, a replay dropped, and `carrier check` sending each sample's
//! `*.headers`.

use super::*;
use crate::util::{stderr, stdout};

/// The secret key the Sendcloud samples are signed with.
const SENDCLOUD_SECRET: &str = "sendcloud-sample-secret";

/// The Sendcloud sample parcel's tracking number.
const SC_NUMBER: &str = "3SYZXG132912330";

/// The `Sendcloud-Signature` line of a sample's `.headers` file.
pub(crate) fn sample_signature(carrier: &str, name: &str, header: &str) -> String {
    let path = repo()
        .join("carriers/samples")
        .join(carrier)
        .join(format!("{name}.headers"));
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .find(|l| {
            l.to_ascii_lowercase()
                .starts_with(&header.to_ascii_lowercase())
        })
        .unwrap_or_else(|| panic!("{carrier}/{name}: no {header}"))
        .to_string()
}

impl Store {
    /// [`Store::shipped_from_ams`] with SHP-1 carrying the Sendcloud sample's number, and a
    /// carrier configuration giving Sendcloud the samples' secret key.
    pub(crate) fn sendcloud() -> Store {
        let mut s = Store::shipped_from_ams();
        s.carrier_config = Some(PathBuf::from(s.file(
            "carriers.yaml",
            &format!("sendcloud:\n  values: {{ secret_key: \"{SENDCLOUD_SECRET}\" }}\n"),
        )));
        s.ok(&[
            "shipment",
            "edit",
            "SHP-1",
            "--tracking",
            &format!("{SC_NUMBER}@sendcloud"),
        ]);
        s
    }

    fn sendcloud_hook(&self, name: &str, header: &str) -> std::process::Output {
        self.run(&[
            "carrier",
            "webhook",
            "sendcloud",
            &sample("sendcloud", name),
            "--header",
            header,
        ])
    }
}

#[test]
fn a_signed_sendcloud_webhook_moves_the_shipment_and_a_replay_is_dropped() {
    let s = Store::sendcloud();
    let signed = sample_signature("sendcloud", "en_route", "Sendcloud-Signature");
    let out = s.sendcloud_hook("en_route", &signed);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("`3` is in_transit → fired"),
        "{}",
        stdout(&out)
    );
    assert_eq!(s.shipment_state("SHP-1"), "in_transit");
    // The same request again: its event is a duplicate, and nothing is written.
    let before = s.dump_text();
    let out = s.sendcloud_hook("en_route", &signed);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("a duplicate; ignored"),
        "{}",
        stdout(&out)
    );
    assert_eq!(before, s.dump_text());
    let signed = sample_signature("sendcloud", "delivered", "sendcloud-signature");
    let out = s.sendcloud_hook("delivered", &signed);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(s.shipment_state("SHP-1"), "delivered");
}

#[test]
fn a_wrong_or_missing_signature_exits_4_and_writes_nothing() {
    let s = Store::sendcloud();
    let before = s.dump_text();
    let history = s.history();
    // Another sample's signature, a bad header, and none at all.
    let other = sample_signature("sendcloud", "delivered", "Sendcloud-Signature");
    for args in [
        vec!["--header", other.as_str()],
        vec!["--header", "Sendcloud-Signature: 00"],
        vec![],
    ] {
        let mut all = vec!["carrier", "webhook", "sendcloud"];
        let file = sample("sendcloud", "en_route");
        all.push(&file);
        all.extend(args.iter());
        let err = s.fails(4, &all);
        assert!(
            err.starts_with("error: carrier `sendcloud`: unauthorized: "),
            "{args:?}: {err}"
        );
        let json = s.expect(&[&["--json"], all.as_slice()].concat(), 4);
        let reply: Value = serde_json::from_slice(&json.stdout).unwrap();
        assert_eq!(reply["status"], "unauthorized", "{reply}");
    }
    assert_eq!(before, s.dump_text(), "a refused webhook changed the store");
    assert_eq!(history, s.history(), "a refused webhook wrote history");
    assert_eq!(s.shipment_state("SHP-1"), "created");
}

#[test]
fn a_header_that_is_not_name_value_is_bad_input() {
    let s = Store::sendcloud();
    let before = s.dump_text();
    let file = sample("sendcloud", "en_route");
    let err = s.fails(
        2,
        &[
            "carrier",
            "webhook",
            "sendcloud",
            &file,
            "--header",
            "no colon",
        ],
    );
    assert!(err.contains("`no colon`"), "{err}");
    assert_eq!(before, s.dump_text());
}

#[test]
fn carrier_check_sends_the_samples_headers() {
    let mut s = Store::new();
    s.carrier_config = Some(PathBuf::from(s.file(
        "carriers.yaml",
        &format!("sendcloud:\n  values: {{ secret_key: \"{SENDCLOUD_SECRET}\" }}\n"),
    )));
    // Without an API to call, rates and labels are problems; the webhooks are not.
    let out = s.expect(&["--json", "carrier", "check", &adapter("sendcloud")], 2);
    let report: Value = serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    let hooks: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["function"] == "parse_webhook")
        .collect();
    assert_eq!(hooks.len(), 4, "{report}");
    for f in &hooks {
        assert_eq!(f["verdict"], "ok", "{f}");
    }
    // With another secret, every sample is refused as unauthorized.
    s.carrier_config = Some(PathBuf::from(s.file(
        "carriers.yaml",
        "sendcloud:\n  values: { secret_key: \"another\" }\n",
    )));
    let out = s.run(&["carrier", "check", &adapter("sendcloud")]);
    let text = stdout(&out);
    assert_eq!(
        text.matches("unauthorized: the Sendcloud-Signature does not match the body")
            .count(),
        4,
        "{text}"
    );
    // A sample's headers file that is not `Name: value` is named with its line.
    let dir = s.path().join("samples/sendcloud");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("one.json"), "{}").unwrap();
    std::fs::write(dir.join("one.headers"), "# fine\nbroken line\n").unwrap();
    let out = s.run(&[
        "carrier",
        "check",
        &adapter("sendcloud"),
        "--samples",
        &dir.display().to_string(),
    ]);
    assert!(
        stdout(&out).contains("one.headers:2: header `broken line` must be NAME: VALUE"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_body_over_the_carriers_limit_is_bad_input_and_writes_nothing() {
    let mut s = Store::sendcloud();
    s.carrier_config = Some(PathBuf::from(s.file(
        "carriers.yaml",
        &format!(
            "sendcloud:\n  max_webhook_bytes: 100\n  values: {{ secret_key: \"{SENDCLOUD_SECRET}\" }}\n"
        ),
    )));
    let before = s.dump_text();
    let signed = sample_signature("sendcloud", "en_route", "Sendcloud-Signature");
    let file = sample("sendcloud", "en_route");
    let err = s.fails(
        2,
        &[
            "carrier",
            "webhook",
            "sendcloud",
            &file,
            "--header",
            &signed,
        ],
    );
    assert!(
        err.contains("carrier `sendcloud`: the webhook body is")
            && err.contains("at most 100 are taken"),
        "{err}"
    );
    assert_eq!(before, s.dump_text());
    // A limit the input cap can't honour is named when the configuration is read.
    s.carrier_config = Some(PathBuf::from(
        s.file("carriers.yaml", "sendcloud:\n  max_webhook_bytes: 0\n"),
    ));
    let err = s.fails(
        2,
        &[
            "carrier",
            "webhook",
            "sendcloud",
            &file,
            "--header",
            &signed,
        ],
    );
    assert!(
        err.contains("carrier `sendcloud`: max_webhook_bytes 0 is not between 1 and 16777216"),
        "{err}"
    );
    // (Every command reads the configuration: dump the store without it.)
    s.carrier_config = None;
    assert_eq!(before, s.dump_text());
}

/// `127.0.0.1:PORT` of a test server's base URL.
fn host_of(base: &str) -> String {
    base.strip_prefix("http://")
        .and_then(|rest| rest.split('/').next())
        .expect("a base URL")
        .to_string()
}

#[test]
fn sendcloud_and_easypost_pass_their_checks_against_mocks_of_their_apis() {
    use waybill_testkit::mocks::{easypost_api, sendcloud_api};
    let sendcloud = Server::handle(sendcloud_api);
    let easypost = Server::handle(easypost_api);
    let mut s = Store::new();
    s.carrier_config = Some(PathBuf::from(s.file(
        "carriers.yaml",
        &format!(
            "sendcloud:\n  allowed_hosts: [\"{}\"]\n  values: {{ base_url: \"{}\", public_key: sc-public, secret_key: sc-secret, webhook_secret: \"{SENDCLOUD_SECRET}\" }}\n\
             easypost:\n  allowed_hosts: [\"{}\"]\n  values: {{ base_url: \"{}\", api_key: EZTKtest123, webhook_secret: \"easypost-sample-\u{fb01}-secret\" }}\n",
            host_of(&sendcloud.base),
            sendcloud.base,
            host_of(&easypost.base),
            easypost.base
        ),
    )));
    for (id, number) in [
        ("sendcloud", "3SYZXG132912330"),
        ("easypost", "EZ4000000004"),
    ] {
        let out = s.ok(&["carrier", "check", &adapter(id)]);
        assert!(!out.contains("problem"), "{id}: {out}");
        assert!(
            out.contains(&format!("tracking number {number} passes its checks")),
            "{id}: {out}"
        );
        assert_eq!(out.matches("parse_webhook  ").count(), 4, "{id}: {out}");
    }
    assert_eq!(
        sendcloud.finish(),
        [
            "/v1/shipping_methods?to_country=NL&from_country=NL",
            "/v1/shipping_methods?to_country=NL&from_country=NL",
            "/v1/parcels",
            "/v1/parcels?tracking_number=3SYZXG132912330",
            "/v1/parcels/3172/cancel",
            "/v1/tracking/3SYZXG132912330"
        ]
    );
    assert_eq!(easypost.finish().len(), 6);
}
