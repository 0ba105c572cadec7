//! Mocks of real carriers' APIs for the tests of several crates: Sendcloud's (API v2) and
//! EasyPost's (API v2), mounted under `/v1` of a [`crate::http::Server`] started with
//! [`crate::http::Server::handle`], answering as their documentation shows and checking the
//! credentials each sends.

use crate::http::Request;

/// The `Authorization` the mock Sendcloud takes: `Basic` credentials of
/// `sc-public:sc-secret`.
pub const SC_AUTH: &str = "Basic c2MtcHVibGljOnNjLXNlY3JldA==";

/// The `Authorization` the mock EasyPost takes: `Basic` credentials of the key `EZTKtest123`
/// (no password).
pub const EP_AUTH: &str = "Basic RVpUS3Rlc3QxMjM6";

/// Sendcloud, canned: shipping methods to NL (two that take up to 10 kg, one heavier), a
/// parcel with a label for method 1343, the parcel by tracking number, its cancellation (202),
/// its tracking (a local time and one with an offset); else 404, and 401 for other credentials.
pub fn sendcloud_api(r: &Request) -> (u16, String) {
    if r.header("authorization") != Some(SC_AUTH) {
        return (
            401,
            r#"{"error": {"code": 401, "message": "Unauthorized", "request": "api/v2/"}}"#.into(),
        );
    }
    let body: serde_json::Value = serde_json::from_str(&r.body).unwrap_or_default();
    let answer = match (r.method.as_str(), r.path.as_str()) {
        ("GET", "/v1/shipping_methods?to_country=NL&from_country=NL") => serde_json::json!({
        "shipping_methods": [
            {"id": 8, "name": "PostNL Standard 0-23kg", "carrier": "postnl", "min_weight": "0.001",
             "max_weight": "23.001", "countries": [{"id": 1, "iso_2": "NL", "iso_3": "NLD", "price": 4.15}]},
            {"id": 1343, "name": "DHL For You Dropoff", "carrier": "dhl", "min_weight": "0.001",
             "max_weight": "10.001", "countries": [{"id": 1, "iso_2": "NL", "iso_3": "NLD", "price": 3.95},
                                                   {"id": 2, "iso_2": "BE", "iso_3": "BEL", "price": 6.95}]},
            {"id": 9, "name": "PostNL Heavy", "carrier": "postnl", "min_weight": "23.001",
             "max_weight": "31.5", "countries": [{"id": 1, "iso_2": "NL", "iso_3": "NLD", "price": 12.0}]}
        ]}),
        ("POST", "/v1/parcels") => {
            if body["parcel"]["shipment"]["id"] != 1343 || body["parcel"]["request_label"] != true {
                return (
                    400,
                    format!(r#"{{"error": {{"message": "unexpected parcel {body}"}}}}"#),
                );
            }
            serde_json::json!({"parcel": {"id": 3172, "tracking_number": "3SYZXG132912330",
                "status": {"id": 1000, "message": "Ready to send"},
                "label": {"label_printer": "https://panel.sendcloud.sc/api/v2/labels/label_printer/3172",
                          "normal_printer": ["https://panel.sendcloud.sc/api/v2/labels/normal_printer/3172?start_from=0"]}}})
        }
        ("GET", "/v1/parcels?tracking_number=3SYZXG132912330") => {
            serde_json::json!({"parcels": [{"id": 3172, "tracking_number": "3SYZXG132912330"}]})
        }
        ("POST", "/v1/parcels/3172/cancel") => {
            return (
                202,
                r#"{"status": "queued", "message": "Parcel cancellation has been queued"}"#.into(),
            )
        }
        ("GET", "/v1/tracking/3SYZXG132912330") => serde_json::json!({
        "carrier_code": "postnl", "tracking_number": "3SYZXG132912330",
        "statuses": [
            {"parcel_status_history_id": "31415", "carrier_update_timestamp": "2026-03-02 10:12:07",
             "parcel_status": 3, "parent_status": "en-route-to-sorting-center", "carrier_message": "Sorted"},
            {"parcel_status_history_id": "31416", "carrier_update_timestamp": "2026-03-03T12:45:00+01:00",
             "parcel_status": 11, "parent_status": "delivered", "carrier_message": "Delivered"}
        ]}),
        _ => {
            return (
                404,
                r#"{"error": {"code": 404, "message": "Not found"}}"#.into(),
            )
        }
    };
    (200, answer.to_string())
}

/// The mock EasyPost's one tracker, `EZ4000000004`, in transit.
fn easypost_tracker() -> serde_json::Value {
    serde_json::json!({"id": "trk_1", "object": "Tracker", "tracking_code": "EZ4000000004",
        "status": "in_transit", "shipment_id": "shp_1", "carrier": "USPS",
        "updated_at": "2026-03-03T01:12:09Z",
        "tracking_details": [
            {"object": "TrackingDetail", "status": "pre_transit", "datetime": "2026-03-02T09:15:02Z"},
            {"object": "TrackingDetail", "status": "in_transit", "datetime": "2026-03-03T01:12:00Z"}]})
}

/// EasyPost, canned: a shipment with two USPS rates, buying the Priority one, the tracker by
/// tracking code, the refund; else 404, and 401 for other credentials.
pub fn easypost_api(r: &Request) -> (u16, String) {
    if r.header("authorization") != Some(EP_AUTH) {
        return (401, r#"{"error": {"code": "APIKEY.INACTIVE", "message": "This api key is no longer active.", "errors": []}}"#.into());
    }
    let body: serde_json::Value = serde_json::from_str(&r.body).unwrap_or_default();
    let answer = match (r.method.as_str(), r.path.as_str()) {
        ("POST", "/v1/shipments") => {
            if !body["shipment"]["parcel"]["weight"].as_f64().is_some_and(|w| w > 0.0) {
                return (422, format!(r#"{{"error": {{"message": "weight {}"}}}}"#, body["shipment"]["parcel"]));
            }
            serde_json::json!({"id": "shp_1", "object": "Shipment", "rates": [
                {"id": "rate_exp", "carrier": "USPS", "service": "Express", "rate": "29.25", "currency": "USD", "delivery_days": 1},
                {"id": "rate_pri", "carrier": "USPS", "service": "Priority", "rate": "7.58", "currency": "USD", "delivery_days": 2}]})
        }
        ("POST", "/v1/shipments/shp_1/buy") => {
            if body["rate"]["id"] != "rate_pri" {
                return (422, format!(r#"{{"error": {{"message": "rate {body}"}}}}"#));
            }
            serde_json::json!({"id": "shp_1", "tracking_code": "EZ4000000004",
                "postage_label": {"label_url": "https://easypost-files.example/postage_label/label.png"},
                "selected_rate": {"id": "rate_pri", "rate": "7.58"}, "tracker": {"id": "trk_1"}})
        }
        ("GET", "/v1/trackers?tracking_code=EZ4000000004") => {
            serde_json::json!({"trackers": [easypost_tracker()], "has_more": false})
        }
        ("POST", "/v1/shipments/shp_1/refund") => {
            serde_json::json!({"id": "shp_1", "refund_status": "submitted"})
        }
        _ => return (404, r#"{"error": {"code": "NOT_FOUND", "message": "The requested resource could not be found."}}"#.into()),
    };
    (200, answer.to_string())
}
