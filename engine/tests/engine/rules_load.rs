//! Every kind of load error and lint warning, each with its position, path and suggestion.

use waybill_engine::rules::{Diagnostic, Severity};
use waybill_engine::Loaded;
use waybill_engine::{EventMatch, Workflow};

const BASE: &str = "\
version: 1
roles: [staff, system]
machines:
  shipment:
    scope: shipment
    initial: created
    states:
      created: {}
      in_transit: {}
      delivered: { final: true }
    transitions:
      ship:
        from: [created]
        to: in_transit
        roles: [staff]
        guards:
          - if: \"shipment.tracking.len() > 0\"
            message: \"add a tracking code\"
      deliver:
        from: [in_transit]
        to: delivered
";

fn load(src: &str) -> Result<Loaded, Vec<Diagnostic>> {
    Workflow::load(src, "test.yaml")
}

fn one_error(src: &str) -> Diagnostic {
    let errors = load(src).expect_err("rules should be rejected");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = errors.into_iter().next().unwrap();
    assert_eq!(e.severity, Severity::Error);
    assert_eq!(e.file, "test.yaml");
    e
}

fn warnings(src: &str) -> Vec<Diagnostic> {
    load(src).expect("rules should load").warnings
}

#[test]
fn base_rules_load_clean() {
    assert!(warnings(BASE).is_empty());
}

#[test]
fn yaml_syntax_error_has_line_and_column() {
    let e = one_error(&BASE.replace("from: [created]", "from: [created"));
    assert!(e.position.line >= 13, "{e}");
    assert!(e.position.col > 0);
}

#[test]
fn unknown_key_is_an_error_with_suggestion() {
    let e = one_error(&BASE.replace("        to: delivered", "        too: delivered"));
    assert_eq!(e.position.line, 21, "{e}");
    assert!(e.message.contains("unknown field `too`"), "{e}");
    assert_eq!(e.help.as_deref(), Some("did you mean `to`?"));
}

#[test]
fn unknown_to_state_names_line_column_path_and_suggestion() {
    let e = one_error(&BASE.replace("to: in_transit", "to: in_transt"));
    assert_eq!((e.position.line, e.position.col), (14, 13), "{e}");
    assert_eq!(e.path, "machines.shipment.transitions.ship.to");
    assert!(e.message.contains("unknown state `in_transt`"), "{e}");
    assert_eq!(e.help.as_deref(), Some("did you mean `in_transit`?"));
    assert!(e.to_string().starts_with("error: test.yaml:14:13: "), "{e}");
}

#[test]
fn unknown_from_state_is_an_error() {
    let e = one_error(&BASE.replace("from: [in_transit]", "from: [intransit]"));
    assert_eq!(e.path, "machines.shipment.transitions.deliver.from[0]");
    assert_eq!(e.position.line, 20);
    assert_eq!(e.help.as_deref(), Some("did you mean `in_transit`?"));
}

#[test]
fn unknown_role_is_an_error() {
    let e = one_error(&BASE.replace("roles: [staff]", "roles: [staf]"));
    assert_eq!(e.path, "machines.shipment.transitions.ship.roles[0]");
    assert_eq!(e.help.as_deref(), Some("did you mean `staff`?"));
}

#[test]
fn a_carrier_path_through_an_unmapped_status_is_an_error() {
    let mapped = format!("{BASE}carrier_events:\n  in_transit: [ship]\n  delivered: [deliver]\n");
    assert!(load(&format!(
        "{mapped}carrier_paths:\n  delivered: [in_transit]\n"
    ))
    .is_ok());
    let e = one_error(&format!(
        "{mapped}carrier_paths:\n  delivered: [in_transt]\n"
    ));
    assert_eq!(e.path, "carrier_paths.delivered[0]", "{e}");
    assert_eq!(e.help.as_deref(), Some("did you mean `in_transit`?"));
    let e = one_error(&format!(
        "{mapped}carrier_paths:\n  picked_up: [in_transit]\n"
    ));
    assert!(e.message.contains("no `carrier_events:` entry"), "{e}");
}

#[test]
fn unknown_effect_is_an_error() {
    let e = one_error(&BASE.replace(
        "        to: delivered",
        "        to: delivered\n        effects: [relase_stock]",
    ));
    assert_eq!(e.position.line, 22, "{e}");
    assert_eq!(e.help.as_deref(), Some("did you mean `release_stock`?"));
}

#[test]
fn effect_in_the_wrong_scope_is_an_error() {
    let e = one_error(&BASE.replace(
        "        to: delivered",
        "        to: delivered\n        effects: [capture_payment]",
    ));
    assert!(e.message.contains("needs a order machine"), "{e}");
    assert_eq!(e.path, "machines.shipment.transitions.deliver.effects[0]");
}

#[test]
fn unknown_cascade_machine_is_an_error() {
    let src = BASE.replace(
        "        to: delivered",
        "        to: delivered\n        effects: [{ cascade: { machine: shipmnt, event: ship } }]",
    );
    let e = one_error(&src);
    assert_eq!(
        e.path,
        "machines.shipment.transitions.deliver.effects[0].cascade.machine"
    );
    assert_eq!(e.help.as_deref(), Some("did you mean `shipment`?"));
}

#[test]
fn missing_initial_state_is_an_error() {
    let e = one_error(&BASE.replace("    initial: created\n", ""));
    assert!(e.message.contains("missing field `initial`"), "{e}");
}

#[test]
fn unknown_initial_state_is_an_error() {
    let e = one_error(&BASE.replace("initial: created", "initial: creatd"));
    assert_eq!(e.path, "machines.shipment.initial");
    assert_eq!((e.position.line, e.position.col), (6, 14));
    assert_eq!(e.help.as_deref(), Some("did you mean `created`?"));
}

#[test]
fn machines_of_one_scope_may_share_an_event_name() {
    let src = format!(
        "{BASE}  parcel:\n    scope: shipment\n    initial: a\n    states: {{ a: {{}}, b: {{ final: true }} }}\n    transitions:\n      ship: {{ from: [a], to: b }}\n"
    );
    let loaded = Workflow::load(&src, "rules.yaml").expect("loads");
    let workflow = loaded.workflow;
    let scope = waybill_engine::rules::Scope::Shipment;
    match workflow.find_event(scope, "ship") {
        EventMatch::Ambiguous(choices) => assert_eq!(choices, ["shipment.ship", "parcel.ship"]),
        other => panic!("{other:?}"),
    }
    match workflow.find_event(scope, "parcel.ship") {
        EventMatch::Found(machine, t) => assert_eq!(
            (machine.name.as_str(), t.event.as_str()),
            ("parcel", "ship")
        ),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        workflow.find_event(scope, "parcel.deliver"),
        EventMatch::Unknown
    ));
}

#[test]
fn duplicate_keys_are_an_error() {
    let src = BASE.replace("      deliver:\n", "      ship:\n");
    let e = one_error(&src);
    assert!(e.message.contains("duplicate key `ship`"), "{e}");
    assert_eq!(e.path, "machines.shipment.transitions.ship");
    assert_eq!(e.position.line, 19);
}

#[test]
fn guard_that_does_not_compile_is_an_error() {
    let e = one_error(&BASE.replace("shipment.tracking.len() > 0", "shipment.tracking.len( > 0"));
    assert_eq!(e.path, "machines.shipment.transitions.ship.guards[0].if");
    assert_eq!(e.position.line, 17);
    assert!(e.message.starts_with("guard does not compile"), "{e}");
}

#[test]
fn guard_reading_an_unknown_variable_is_an_error() {
    let e = one_error(&BASE.replace("shipment.tracking.len() > 0", "shipmnt.tracking.len() > 0"));
    assert!(e.message.contains("shipmnt"), "{e}");
}

#[test]
fn several_errors_are_all_reported() {
    let src = BASE
        .replace("to: in_transit", "to: nowhere")
        .replace("roles: [staff]", "roles: [nobody]");
    assert_eq!(load(&src).unwrap_err().len(), 2);
}

#[test]
fn lint_warns_about_unreachable_states() {
    let w = warnings(&BASE.replace(
        "      delivered: { final: true }",
        "      delivered: { final: true }\n      lost: { final: true }",
    ));
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(
        w[0].message
            .contains("`lost` of machine `shipment` is unreachable"),
        "{}",
        w[0]
    );
    assert_eq!(w[0].path, "machines.shipment.states.lost");
    assert_eq!(w[0].position.line, 11);
    assert_eq!(w[0].severity, Severity::Warning);
}

#[test]
fn lint_warns_about_dead_ends_that_are_not_final() {
    let w = warnings(&BASE.replace("delivered: { final: true }", "delivered: {}"));
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(
        w[0].message
            .contains("`delivered` of machine `shipment` has no way out"),
        "{}",
        w[0]
    );
}

#[test]
fn lint_warns_about_final_states_with_a_way_out() {
    let w = warnings(&BASE.replace("in_transit: {}", "in_transit: { final: true }"));
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(
        w[0].message.contains("final state `in_transit`"),
        "{}",
        w[0]
    );
    assert!(w[0].message.contains("deliver"), "{}", w[0]);
}

#[test]
fn lint_warns_about_automatic_cycles() {
    let src = BASE.replace(
        "        to: delivered\n",
        "        to: delivered\n      bounce: { from: [in_transit], to: created, auto: true }\n      again: { from: [created], to: in_transit, auto: true }\n",
    );
    let w = warnings(&src);
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(
        w[0].message
            .contains("can cycle: created -> in_transit -> created"),
        "{}",
        w[0]
    );
}

#[test]
fn default_rules_load_without_warnings() {
    let loaded = Workflow::load(waybill_engine::rules::DEFAULT_RULES, "default.yaml")
        .expect("default rules load");
    assert!(loaded.warnings.is_empty(), "{:#?}", loaded.warnings);
}

#[test]
fn default_rules_validate_against_the_json_schema() {
    let schema = waybill_engine::rules::json_schema();
    let validator = jsonschema::validator_for(&schema).expect("the schema is valid");
    let rules: serde_json::Value =
        serde_yaml::from_str(waybill_engine::rules::DEFAULT_RULES).expect("YAML");
    let errors: Vec<String> = validator
        .iter_errors(&rules)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // And the schema rejects what the loader rejects: an unknown key.
    let mut bad = rules.clone();
    bad["machines"]["order"]["intial"] = serde_json::json!("draft");
    assert!(!validator.is_valid(&bad));
}

#[test]
fn a_file_that_is_not_utf8_is_one_error_at_its_first_bad_byte() {
    // Line 2 gets a UTF-8 `ä` (one column), then a Latin-1 `é` (0xe9), which UTF-8 never is alone.
    let mut bytes = Vec::new();
    for (i, line) in BASE.split_inclusive('\n').enumerate() {
        if i == 1 {
            bytes.extend_from_slice("roles: [stäff".as_bytes());
            bytes.push(0xe9);
            bytes.extend_from_slice(b", system]\n");
        } else {
            bytes.extend_from_slice(line.as_bytes());
        }
    }
    let errors = Workflow::load_bytes(&bytes, "test.yaml").expect_err("not UTF-8");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = &errors[0];
    assert_eq!(e.severity, Severity::Error);
    assert_eq!((e.position.line, e.position.col), (2, 14), "{e}");
    assert!(
        e.to_string()
            .starts_with("error: test.yaml:2:14: the file is not UTF-8: byte 0xe9"),
        "{e}"
    );
    assert_eq!(e.help.as_deref(), Some("save the rule file as UTF-8"));
    // Bytes that are UTF-8 load as the text would.
    assert!(Workflow::load_bytes(BASE.as_bytes(), "test.yaml").is_ok());
}

#[test]
fn a_carrier_event_two_shipment_machines_have_must_name_its_machine() {
    let parcel = "  parcel:\n    scope: shipment\n    initial: a\n    states: { a: {}, b: { final: true } }\n    transitions:\n      ship: { from: [a], to: b }\n";
    let src = format!("{BASE}{parcel}carrier_events:\n  in_transit: [ship]\n");
    let e = one_error(&src);
    assert_eq!(e.path, "carrier_events.in_transit[0]");
    assert!(
        e.message
            .contains("shipment, parcel all have a transition `ship`"),
        "{e}"
    );
    assert_eq!(
        e.help.as_deref(),
        Some("name the machine: shipment.ship, parcel.ship")
    );
    let src = format!("{BASE}{parcel}carrier_events:\n  in_transit: [parcel.ship]\n");
    assert!(load(&src).is_ok());
}
