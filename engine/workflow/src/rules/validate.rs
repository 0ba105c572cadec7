//! Checks that the names in a rule file refer to each other: states, roles, machines, events,
//! effects in the right scope, commands. Guards are checked when they compile
//! ([`crate::compiled`]).

use super::diagnostic::Diagnostic;
use super::format::{EffectDef, Scope, COMMAND_OPS, SYSTEM_ROLE};
use super::load::ParsedRules;
use waybill_script::suggest;

/// Every error in the names of `parsed`, each with its position and a suggestion.
pub fn validate(parsed: &ParsedRules) -> Vec<Diagnostic> {
    let rules = &parsed.rules;
    let mut errors = Vec::new();
    let roles: Vec<&str> = rules.roles.iter().map(String::as_str).collect();
    let role_error = |path: String, role: &str| {
        parsed.error(
            &path,
            format!("unknown role `{role}`"),
            Some(suggest::help(role, roles.iter().copied())),
        )
    };

    if rules.version != 1 {
        errors.push(parsed.error(
            "version",
            format!("unsupported rules version {}", rules.version),
            Some("this waybill reads version 1".into()),
        ));
    }
    if rules.roles.is_empty() {
        errors.push(parsed.error("roles", "at least one role is needed".into(), None));
    }
    for (i, role) in rules.roles.iter().enumerate() {
        if rules.roles[..i].contains(role) {
            errors.push(parsed.error(
                &format!("roles[{i}]"),
                format!("duplicate role `{role}`"),
                None,
            ));
        }
    }
    if let Some(role) = &rules.default_role {
        if !rules.roles.contains(role) {
            errors.push(role_error("default_role".into(), role));
        } else if role == SYSTEM_ROLE {
            errors.push(parsed.error("default_role", system_taken(), None));
        }
    }
    for (caller, roles) in &rules.act_as {
        let path = format!("act_as.{caller}");
        if !rules.roles.contains(caller) {
            errors.push(role_error(path.clone(), caller));
        } else if caller == SYSTEM_ROLE {
            errors.push(parsed.error(&path, system_taken(), None));
        }
        for (i, role) in roles.iter().enumerate() {
            let path = format!("{path}[{i}]");
            if !rules.roles.contains(role) {
                errors.push(role_error(path, role));
            } else if role == SYSTEM_ROLE {
                errors.push(parsed.error(&path, system_taken(), None));
            }
        }
    }
    for (op, allowed) in &rules.commands {
        if !COMMAND_OPS.contains(&op.as_str()) {
            errors.push(parsed.error(
                &format!("commands.{op}"),
                format!("unknown command `{op}`"),
                Some(suggest::help(op, COMMAND_OPS.iter().copied())),
            ));
        }
        for (i, role) in allowed.iter().enumerate() {
            if !rules.roles.contains(role) {
                errors.push(role_error(format!("commands.{op}[{i}]"), role));
            }
        }
    }
    if rules.machines.is_empty() {
        errors.push(parsed.error("machines", "no machines are declared".into(), None));
    }
    let order_machines: Vec<&str> = rules
        .machines
        .iter()
        .filter(|(_, m)| m.scope == Scope::Order)
        .map(|(name, _)| name.as_str())
        .collect();
    for (kind, when) in [
        ("shipments.create_in", &rules.shipments.create_in),
        ("shipments.change_in", &rules.shipments.change_in),
        ("payments.create_in", &rules.payments.create_in),
        ("payments.change_in", &rules.payments.change_in),
    ] {
        for (machine, states) in when {
            let path = format!("{kind}.{machine}");
            let Some(def) = rules
                .machines
                .get(machine)
                .filter(|m| m.scope == Scope::Order)
            else {
                errors.push(parsed.error(
                    &path,
                    format!("`{machine}` is not a machine of the order"),
                    Some(suggest::help(machine, order_machines.iter().copied())),
                ));
                continue;
            };
            for (i, state) in states.iter().enumerate() {
                if !def.states.contains_key(state) {
                    errors.push(parsed.error(
                        &format!("{path}[{i}]"),
                        format!("unknown state `{state}` in machine `{machine}`"),
                        Some(suggest::help(state, def.states.keys().map(String::as_str))),
                    ));
                }
            }
        }
    }

    for (name, machine) in &rules.machines {
        let base = format!("machines.{name}");
        let states: Vec<&str> = machine.states.keys().map(String::as_str).collect();
        let state_error = |path: String, state: &str| {
            parsed.error(
                &path,
                format!("unknown state `{state}` in machine `{name}`"),
                Some(suggest::help(state, states.iter().copied())),
            )
        };
        if machine.states.is_empty() {
            errors.push(parsed.error(
                &format!("{base}.states"),
                format!("machine `{name}` has no states"),
                None,
            ));
        } else if !machine.states.contains_key(&machine.initial) {
            errors.push(state_error(format!("{base}.initial"), &machine.initial));
        }
        for (i, role) in machine.roles.iter().flatten().enumerate() {
            if !rules.roles.contains(role) {
                errors.push(role_error(format!("{base}.roles[{i}]"), role));
            }
        }
        for (state, def) in &machine.states {
            for (i, effect) in def.enter.iter().enumerate() {
                let epath = format!("{base}.states.{state}.enter[{i}]");
                check_effect(parsed, &epath, name, machine.scope, effect, &mut errors);
            }
        }
        for (event, t) in &machine.transitions {
            let tpath = format!("{base}.transitions.{event}");
            if t.from.is_empty() {
                errors.push(parsed.error(
                    &format!("{tpath}.from"),
                    "a transition needs at least one source state".into(),
                    None,
                ));
            }
            for (i, from) in t.from.iter().enumerate() {
                if !machine.states.contains_key(from) {
                    errors.push(state_error(format!("{tpath}.from[{i}]"), from));
                }
            }
            if let Some(to) = &t.to {
                if !machine.states.contains_key(to) {
                    errors.push(state_error(format!("{tpath}.to"), to));
                }
            }
            if t.auto {
                check_auto_leaves(parsed, &tpath, event, t, &mut errors);
            }
            for (i, input) in t.inputs.iter().enumerate() {
                let path = format!("{tpath}.inputs[{i}]");
                if let Err(message) = crate::model::limits::check_id("an input name", input) {
                    errors.push(parsed.error(&path, message, None));
                } else if t.inputs[..i].contains(input) {
                    errors.push(parsed.error(&path, format!("duplicate input `{input}`"), None));
                }
            }
            for (i, role) in t.roles.iter().flatten().enumerate() {
                if !rules.roles.contains(role) {
                    errors.push(role_error(format!("{tpath}.roles[{i}]"), role));
                }
            }
            for (i, effect) in t.effects.iter().enumerate() {
                let epath = format!("{tpath}.effects[{i}]");
                check_effect(parsed, &epath, name, machine.scope, effect, &mut errors);
            }
        }
    }
    for (status, events) in &rules.carrier_events {
        let path = format!("carrier_events.{status}");
        if crate::model::Normalized::parse(status).is_none() {
            errors.push(parsed.error(
                &path,
                format!("`{status}` is not a normalized carrier status"),
                Some(suggest::help(
                    status,
                    crate::model::Normalized::ALL.iter().map(|n| n.as_str()),
                )),
            ));
        }
        for (i, event) in events.iter().enumerate() {
            let shipment_machines = || {
                rules
                    .machines
                    .iter()
                    .filter(|(_, m)| m.scope == Scope::Shipment)
            };
            let having: Vec<&str> = shipment_machines()
                .filter(|(_, m)| m.transitions.contains_key(event))
                .map(|(name, _)| name.as_str())
                .collect();
            let qualified = event.rsplit_once('.').is_some_and(|(machine, event)| {
                shipment_machines().any(|(n, m)| n == machine && m.transitions.contains_key(event))
            });
            if having.len() > 1 {
                let choices: Vec<String> = having.iter().map(|m| format!("{m}.{event}")).collect();
                errors.push(parsed.error(
                    &format!("{path}[{i}]"),
                    format!(
                        "shipment machines {} all have a transition `{event}`",
                        having.join(", ")
                    ),
                    Some(format!("name the machine: {}", choices.join(", "))),
                ));
            } else if having.is_empty() && !qualified {
                let all: Vec<&str> = shipment_machines()
                    .flat_map(|(_, m)| m.transitions.keys().map(String::as_str))
                    .collect();
                errors.push(parsed.error(
                    &format!("{path}[{i}]"),
                    format!("no shipment machine has a transition `{event}`"),
                    Some(suggest::help(event, all.iter().copied())),
                ));
            }
        }
    }
    for (status, via) in &rules.carrier_paths {
        let path = format!("carrier_paths.{status}");
        if !rules.carrier_events.contains_key(status) {
            errors.push(parsed.error(
                &path,
                format!("`{status}` has no `carrier_events:` entry, so it has no path to take"),
                Some(suggest::help(
                    status,
                    rules.carrier_events.keys().map(String::as_str),
                )),
            ));
        }
        for (i, step) in via.iter().enumerate() {
            if !rules.carrier_events.contains_key(step) || step == status {
                errors.push(parsed.error(
                    &format!("{path}[{i}]"),
                    format!("`{step}` is not another status of `carrier_events:`"),
                    Some(suggest::help(
                        step,
                        rules.carrier_events.keys().map(String::as_str),
                    )),
                ));
            }
        }
    }
    for (model, def) in &rules.inventory_models {
        if def.locations.is_empty() {
            errors.push(parsed.error(
                &format!("inventory_models.{model}.locations"),
                format!("inventory model `{model}` has no locations"),
                None,
            ));
        }
        if def.cutoff == Some(0) {
            errors.push(parsed.error(
                &format!("inventory_models.{model}.cutoff"),
                "a cutoff of 0 would ship nothing; leave it out for no limit".into(),
                None,
            ));
        }
        for (i, market) in def.markets.iter().enumerate() {
            let other = rules
                .inventory_models
                .iter()
                .find(|(m, d)| *m != model && d.markets.contains(market));
            if let Some((other, _)) = other.filter(|(m, _)| m.as_str() < model.as_str()) {
                errors.push(parsed.error(
                    &format!("inventory_models.{model}.markets[{i}]"),
                    format!(
                        "market `{market}` is served by inventory models `{other}` and `{model}`"
                    ),
                    Some("each market picks one inventory model".into()),
                ));
            }
        }
    }
    errors
}

fn check_effect(
    parsed: &ParsedRules,
    epath: &str,
    machine_name: &str,
    machine_scope: Scope,
    effect: &EffectDef,
    errors: &mut Vec<Diagnostic>,
) {
    if let Some(scope) = effect.required_scope() {
        if scope != machine_scope {
            errors.push(parsed.error(
                epath,
                format!(
                    "effect `{}` needs a {} machine, but `{machine_name}` is a {} machine",
                    effect.name(),
                    scope_name(scope),
                    scope_name(machine_scope)
                ),
                None,
            ));
        }
    }
    if let EffectDef::Cascade(c) = effect {
        check_cascade(parsed, epath, c, errors);
    }
}

/// An automatic transition fires whenever its guards hold; one that stays where it is (its
/// `to` is one of its `from`s, or it has no `to`) would fire again at once, forever.
fn check_auto_leaves(
    parsed: &ParsedRules,
    tpath: &str,
    event: &str,
    t: &super::format::TransitionDef,
    errors: &mut Vec<Diagnostic>,
) {
    let help = Some(
        "give it a `to` other than the states it fires from, or make it manual (no `auto`)".into(),
    );
    match &t.to {
        None => errors.push(parsed.error(
            &format!("{tpath}.auto"),
            format!(
                "automatic transition `{event}` has no `to`: it would stay where it is and fire again forever"
            ),
            help,
        )),
        Some(to) if t.from.contains(to) => errors.push(parsed.error(
            &format!("{tpath}.to"),
            format!(
                "automatic transition `{event}` leads from `{to}` back to `{to}`: it would fire again forever"
            ),
            help,
        )),
        Some(_) => {}
    }
}

fn check_cascade(
    parsed: &ParsedRules,
    path: &str,
    cascade: &super::format::CascadeDef,
    errors: &mut Vec<Diagnostic>,
) {
    let machines = &parsed.rules.machines;
    match machines.get(&cascade.machine) {
        None => errors.push(parsed.error(
            &format!("{path}.cascade.machine"),
            format!("unknown machine `{}`", cascade.machine),
            Some(suggest::help(
                &cascade.machine,
                machines.keys().map(String::as_str),
            )),
        )),
        Some(target) if !target.transitions.contains_key(&cascade.event) => {
            errors.push(parsed.error(
                &format!("{path}.cascade.event"),
                format!(
                    "machine `{}` has no transition `{}`",
                    cascade.machine, cascade.event
                ),
                Some(suggest::help(
                    &cascade.event,
                    target.transitions.keys().map(String::as_str),
                )),
            ))
        }
        Some(_) => {}
    }
}

/// `order` or `shipment`, for messages.
pub fn scope_name(scope: Scope) -> &'static str {
    match scope {
        Scope::Order => "order",
        Scope::Shipment => "shipment",
        Scope::Payment => "payment",
    }
}

/// Why no user may act as `system`.
fn system_taken() -> String {
    format!("`{SYSTEM_ROLE}` is waybill's own role for automatic transitions; no user acts as it")
}
