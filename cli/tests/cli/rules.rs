//! `waybill rules check | graph | schema` and `waybill demo`, driven as a user would.

use crate::util::{stderr, stdout, waybill};
use std::path::PathBuf;

fn default_rules() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../rules/default.yaml"
    ))
    .unwrap()
}

fn write_rules(dir: &tempfile::TempDir, text: &str) -> PathBuf {
    let path = dir.path().join("default.yaml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn default_rules_check_clean() {
    let out = waybill()
        .args([
            "rules",
            "check",
            concat!(env!("CARGO_MANIFEST_DIR"), "/../rules/default.yaml"),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("ok: "), "{}", stdout(&out));
    assert!(
        stderr(&out).is_empty(),
        "no warnings expected: {}",
        stderr(&out)
    );
}

/// Every `to:` of the default rules, misspelt in turn, is reported at its line and column with
/// its YAML path and the right name.
#[test]
fn every_misspelt_to_state_is_located_and_corrected() {
    let original = default_rules();
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for (index, line) in original.lines().enumerate() {
        // `to:` as a key, not the end of `auto:`.
        let Some(at) = line
            .match_indices("to: ")
            .map(|(at, _)| at)
            .find(|&at| at == 0 || !line.as_bytes()[at - 1].is_ascii_alphanumeric())
        else {
            continue;
        };
        let state = line[at + 4..].trim();
        if line.trim_start().starts_with('#')
            || state.is_empty()
            || !state.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        {
            continue;
        }
        let typo = format!(
            "{}x{}",
            &state[..state.len() - 1],
            &state[state.len() - 1..]
        );
        let mut lines: Vec<String> = original.lines().map(String::from).collect();
        lines[index] = line.replacen(&format!("to: {state}"), &format!("to: {typo}"), 1);
        let path = write_rules(&dir, &lines.join("\n"));
        let out = waybill()
            .args(["rules", "check"])
            .arg(&path)
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "line {}: {err}", index + 1);
        let place = format!("default.yaml:{}:{}:", index + 1, at + 5);
        assert!(err.contains(&place), "expected {place} in {err}");
        assert!(err.contains(&format!("unknown state `{typo}`")), "{err}");
        let at = err
            .lines()
            .find_map(|l| l.trim().strip_prefix("at: "))
            .expect("a YAML path line");
        assert!(
            at.starts_with("machines.") && at.contains(".transitions.") && at.ends_with(".to"),
            "YAML path {at} in {err}"
        );
        assert!(err.contains(&format!("did you mean `{state}`?")), "{err}");
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} `to:` lines were checked");
}

#[test]
fn a_yaml_syntax_error_exits_2_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let broken = default_rules().replacen("from: [draft]", "from: [draft", 1);
    let path = write_rules(&dir, &broken);
    let out = waybill()
        .args(["rules", "check"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("default.yaml:"), "{err}");
    let line_of_fault = default_rules()
        .lines()
        .position(|l| l.contains("from: [draft]"))
        .unwrap()
        + 1;
    let reported: usize = err.split(':').nth(2).unwrap().parse().unwrap();
    assert!(reported >= line_of_fault, "{err}");
}

#[test]
fn check_reports_json_with_errors_as_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_rules(
        &dir,
        &default_rules().replacen("to: placed", "to: plaecd", 1),
    );
    let out = waybill()
        .args(["--json", "rules", "check"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["status"], "error");
    let e = &report["errors"][0];
    assert_eq!(e["path"], "machines.order.transitions.place.to");
    assert_eq!(e["help"], "did you mean `placed`?");
    assert!(e["line"].as_u64().unwrap() > 0);
}

#[test]
fn check_prints_lint_warnings_and_still_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let text = default_rules().replacen(
        "      draft: { description",
        "      limbo: {}\n      draft: { description",
        1,
    );
    let path = write_rules(&dir, &text);
    let out = waybill()
        .args(["rules", "check"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = stderr(&out);
    assert!(
        err.contains("warning: ") && err.contains("`limbo` of machine `order` is unreachable"),
        "{err}"
    );
    assert!(err.contains("has no way out"), "{err}");
}

#[test]
fn a_rule_file_that_is_not_utf8_is_located_at_its_first_bad_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("default.yaml");
    let mut bytes = default_rules().into_bytes();
    let line = default_rules()
        .lines()
        .position(|l| l.starts_with("roles:"))
        .unwrap();
    let offset: usize = default_rules()
        .lines()
        .take(line)
        .map(|l| l.len() + 1)
        .sum();
    bytes.insert(offset + "roles: [".len(), 0xff);
    std::fs::write(&path, bytes).unwrap();
    let out = waybill()
        .args(["rules", "check"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    let place = format!("default.yaml:{}:9: the file is not UTF-8", line + 1);
    assert!(err.contains(&place), "expected {place} in {err}");
}

#[test]
fn a_missing_rule_file_is_bad_input() {
    let out = waybill()
        .args(["rules", "check", "no/such/file.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot read no/such/file.yaml"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn graph_draws_mermaid_and_dot() {
    let out = waybill()
        .args(["rules", "graph", "--machine", "shipment"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains("stateDiagram-v2"), "{text}");
    assert!(
        text.contains("processing --> in_transit: ship [guarded]"),
        "{text}"
    );
    let out = waybill()
        .args(["rules", "graph", "--format", "dot"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(text.contains("digraph \"payment\""), "{text}");
    assert!(
        text.contains("style=dashed"),
        "automatic transitions are dashed: {text}"
    );
    let out = waybill()
        .args(["rules", "graph", "--machine", "shipmnt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did you mean `shipment`?"));
}

#[test]
fn schema_is_json_schema_of_the_format() {
    let out = waybill().args(["rules", "schema"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(schema["$schema"]
        .as_str()
        .unwrap()
        .contains("json-schema.org"));
    assert!(schema["properties"]["machines"].is_object());
}
