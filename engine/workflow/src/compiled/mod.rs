//! Compiled workflows: the machines of a rule file with their guards compiled once, ready to
//! fire. This is what Symfony Workflow calls the Definition.

mod derived;
pub mod graph;
pub mod guard_check;
pub mod inputs;
pub mod migrate;
pub mod native;

use crate::rules::{self, validate, Diagnostic, EffectDef, RuleSet, Scope};
use indexmap::IndexMap;
use std::sync::Arc;
use waybill_script::ScriptHost;

/// The variables a guard may read.
pub const GUARD_VARIABLES: [&str; 5] = ["order", "payment", "shipment", "actor", "input"];

/// A guard compiled for the script host.
#[derive(Debug, Clone)]
pub struct Guard {
    /// The condition as written.
    pub condition: String,
    /// What a refusal says when it fails.
    pub message: String,
    /// The compiled script.
    pub ast: rhai::AST,
    /// Which of [`GUARD_VARIABLES`] it reads, so only those views are built.
    pub reads: [bool; 5],
    /// The inputs it reads (`input.NAME`).
    pub inputs: guard_check::InputReads,
    /// The guard as a native tree, when it is within the native subset (see [`native`]).
    pub native: Option<native::Node>,
    /// The condition's number among the workflow's distinct conditions (the same text has the
    /// same number), so settling remembers answers by number.
    pub id: usize,
}

impl Guard {
    /// Compiles `condition` for a machine of `scope`; `message` is what a refusal says (by
    /// default, that the condition is false). Also gives what reading it against the `known`
    /// names of the rules found wrong (unknown fields, a value that is never a boolean).
    pub(crate) fn compile(
        host: &ScriptHost,
        scope: Scope,
        condition: &str,
        message: Option<String>,
        known: &guard_check::Known,
    ) -> Result<(Guard, Vec<guard_check::Problem>), String> {
        let ast = compile_guard(host, scope, condition)?;
        let (inputs, problems) = guard_check::check(&ast, known);
        let guard = Guard {
            reads: GUARD_VARIABLES.map(|v| mentions(condition, v)),
            inputs,
            native: native::compile(&ast, known),
            id: 0,
            message: message.unwrap_or_else(|| format!("`{condition}` is false")),
            condition: condition.to_string(),
            ast,
        };
        Ok((guard, problems))
    }
}

/// One transition of a compiled machine.
#[derive(Debug, Clone)]
pub struct Transition {
    /// The event that fires it.
    pub event: String,
    /// States it fires from.
    pub from: Vec<String>,
    /// State it leads to; `None` keeps the current state.
    pub to: Option<String>,
    /// Roles that may fire it; `None` means every role.
    pub roles: Option<Vec<String>>,
    /// Conditions, all of which must hold.
    pub guards: Vec<Guard>,
    /// What it does, in order.
    pub effects: Vec<EffectDef>,
    /// Fired by the engine whenever its guards hold.
    pub auto: bool,
    /// The inputs it accepts (see [`inputs`]).
    pub accepts: inputs::Accepts,
}

impl Transition {
    /// Whether it may fire from `state`.
    pub fn fires_from(&self, state: &str) -> bool {
        self.from.iter().any(|f| f == state)
    }

    /// Whether `role` may fire it.
    pub fn allows(&self, role: &str) -> bool {
        self.roles
            .as_ref()
            .is_none_or(|roles| roles.iter().any(|r| r == role))
    }
}

/// One compiled state machine.
#[derive(Debug, Clone)]
pub struct Machine {
    /// Its name.
    pub name: String,
    /// What it is attached to.
    pub scope: Scope,
    /// The state new entities start in.
    pub initial: String,
    /// States and their definitions.
    pub states: IndexMap<String, rules::format::StateDef>,
    /// Transitions, in the order written (automatic ones are tried in this order).
    pub transitions: Vec<Transition>,
    /// For each state (by its index in `states`), the automatic transitions that fire from it,
    /// as indexes into `transitions`, in order.
    pub automatic: Vec<Vec<usize>>,
}

impl Machine {
    /// The automatic transitions that may fire from `state`, in the order they are tried.
    pub fn automatic_from<'m, 's>(
        &'m self,
        state: &'s str,
    ) -> impl Iterator<Item = &'m Transition> + 's
    where
        'm: 's,
    {
        let table = self.states.get_index_of(state).map(|i| &self.automatic[i]);
        // A state these rules don't declare: look at every transition (none can name it).
        let scan = table.is_none().then(|| {
            self.transitions
                .iter()
                .filter(move |t| t.auto && t.fires_from(state))
        });
        table
            .into_iter()
            .flatten()
            .map(|&i| &self.transitions[i])
            .chain(scan.into_iter().flatten())
    }

    /// The transition fired by `event`.
    pub fn transition(&self, event: &str) -> Option<&Transition> {
        self.transitions.iter().find(|t| t.event == event)
    }
}

/// What an event name given to `fire` names (see [`Workflow::find_event`]).
#[derive(Debug)]
pub enum EventMatch<'a> {
    /// One transition of one machine.
    Found(&'a Machine, &'a Transition),
    /// No machine of the scope has it.
    Unknown,
    /// Several machines of the scope have it: the `MACHINE.EVENT` names to choose from.
    Ambiguous(Vec<String>),
}

/// A loaded, validated and compiled rule file.
#[derive(Debug)]
pub struct Workflow {
    /// The rules as written.
    pub rules: RuleSet,
    /// The machines.
    pub machines: Vec<Machine>,
    /// The rules' version: a hash of the file's text, recorded on every entity.
    pub version: String,
    /// The name the file was loaded from.
    pub file: String,
    /// Tags declared on shipment-scoped states, for `order.qty.TAG` views.
    pub shipment_tags: Vec<String>,
    /// Tags declared on payment-scoped states, for `order.payments.TAG` views.
    pub payment_tags: Vec<String>,
    /// [`Workflow::shipment_tags`] as script strings, shared by every view that names them.
    pub shipment_tag_names: Arc<[rhai::ImmutableString]>,
    /// [`Workflow::payment_tags`] as script strings.
    pub payment_tag_names: Arc<[rhai::ImmutableString]>,
    /// The host the guards were compiled for and run in: it knows only the guard views.
    pub host: Arc<ScriptHost>,
    /// How many distinct guard conditions the machines have (see [`Guard::id`]).
    pub conditions: usize,
    /// Whether an order-scoped machine has an automatic transition.
    pub order_automatic: bool,
}

/// A workflow and the lint warnings its rules drew.
#[derive(Debug)]
pub struct Loaded {
    /// The compiled workflow.
    pub workflow: Workflow,
    /// Lint warnings (the rules work, but look wrong).
    pub warnings: Vec<Diagnostic>,
}

impl Workflow {
    /// Parses, validates, compiles and lints `source`. On failure, every error found.
    pub fn load(source: &str, file: &str) -> Result<Loaded, Vec<Diagnostic>> {
        let host = Arc::new(crate::lifecycle::views::guard_host());
        let parsed = rules::parse(source, file).map_err(|d| vec![d])?;
        let mut errors = validate::validate(&parsed);
        if !errors.is_empty() {
            return Err(errors);
        }
        let known = known_names(&parsed.rules);
        let mut machines = Vec::new();
        for (name, def) in &parsed.rules.machines {
            let mut transitions = Vec::new();
            for (event, t) in &def.transitions {
                let mut guards = Vec::new();
                for (i, g) in t.guards.iter().enumerate() {
                    let path = format!("machines.{name}.transitions.{event}.guards[{i}].if");
                    match Guard::compile(&host, def.scope, &g.condition, g.message.clone(), &known) {
                        Ok((guard, problems)) => {
                            errors.extend(
                                problems
                                    .into_iter()
                                    .map(|p| parsed.error(&path, p.message, p.help)),
                            );
                            guards.push(guard);
                        }
                        Err(message) => errors.push(parsed.error(
                            &path,
                            format!("guard does not compile: {message}"),
                            (def.scope == Scope::Order && mentions(&g.condition, "shipment"))
                                .then(|| format!("`shipment` is not available in the order-scoped machine `{name}`")),
                        )),
                    }
                }
                transitions.push(Transition {
                    event: event.clone(),
                    from: t.from.clone(),
                    to: t.to.clone(),
                    roles: t.roles.clone().or_else(|| def.roles.clone()),
                    guards,
                    effects: t.effects.clone(),
                    auto: t.auto,
                    accepts: inputs::Accepts::default(),
                });
            }
            transitions.extend(derived::transitions(
                &host,
                name,
                def,
                (&parsed, &known),
                &mut errors,
            ));
            machines.push(Machine {
                name: name.clone(),
                scope: def.scope,
                initial: def.initial.clone(),
                automatic: def
                    .states
                    .keys()
                    .map(|state| {
                        (0..transitions.len())
                            .filter(|&i| transitions[i].auto && transitions[i].fires_from(state))
                            .collect()
                    })
                    .collect(),
                states: def.states.clone(),
                transitions,
            });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        inputs::resolve(&parsed.rules, &mut machines);
        let conditions = number_conditions(&mut machines);
        let order_automatic = machines
            .iter()
            .any(|m| m.scope == Scope::Order && m.transitions.iter().any(|t| t.auto));
        let warnings = rules::lint::lint(&parsed);
        let tags_of = |scope: Scope| {
            let mut tags: Vec<String> = machines
                .iter()
                .filter(|m| m.scope == scope)
                .flat_map(|m| m.states.values().flat_map(|s| s.tags.iter().cloned()))
                .collect();
            tags.sort();
            tags.dedup();
            tags
        };
        let (shipment_tags, payment_tags) = (tags_of(Scope::Shipment), tags_of(Scope::Payment));
        let names = |tags: &[String]| tags.iter().map(|t| t.as_str().into()).collect();
        Ok(Loaded {
            workflow: Workflow {
                rules: parsed.rules,
                machines,
                version: version_of(source),
                file: file.to_string(),
                shipment_tag_names: names(&shipment_tags),
                payment_tag_names: names(&payment_tags),
                shipment_tags,
                payment_tags,
                host,
                conditions,
                order_automatic,
            },
            warnings,
        })
    }

    /// [`Workflow::load`] of a file's bytes: bytes that are not UTF-8 are one error, at the line
    /// and column of the first byte that is not.
    pub fn load_bytes(source: &[u8], file: &str) -> Result<Loaded, Vec<Diagnostic>> {
        let source = rules::load::decode(source, file).map_err(|d| vec![d])?;
        Workflow::load(source, file)
    }

    /// The built-in default rules.
    pub fn builtin() -> Workflow {
        Workflow::load(rules::DEFAULT_RULES, rules::DEFAULT_RULES_NAME)
            .expect("the built-in rules are valid")
            .workflow
    }

    /// The machine with this name.
    pub fn machine(&self, name: &str) -> Option<&Machine> {
        self.machines.iter().find(|m| m.name == name)
    }

    /// The machines of one scope.
    pub fn machines_of(&self, scope: Scope) -> impl Iterator<Item = &Machine> {
        self.machines.iter().filter(move |m| m.scope == scope)
    }

    /// The machine and transition `event` names among the machines of `scope`: a plain event
    /// name that one machine of the scope has, or `MACHINE.EVENT` (needed when several have it).
    pub fn find_event(&self, scope: Scope, event: &str) -> EventMatch<'_> {
        let having: Vec<&Machine> = self
            .machines_of(scope)
            .filter(|m| m.transition(event).is_some())
            .collect();
        match having.as_slice() {
            [machine] => {
                return EventMatch::Found(machine, machine.transition(event).expect("has it"))
            }
            [] => {}
            many => {
                return EventMatch::Ambiguous(
                    many.iter().map(|m| format!("{}.{event}", m.name)).collect(),
                )
            }
        }
        let qualified = event.rsplit_once('.').and_then(|(machine, event)| {
            let machine = self.machines_of(scope).find(|m| m.name == machine)?;
            Some((machine, machine.transition(event)?))
        });
        match qualified {
            Some((machine, transition)) => EventMatch::Found(machine, transition),
            None => EventMatch::Unknown,
        }
    }

    /// Whether `role` is declared.
    pub fn has_role(&self, role: &str) -> bool {
        self.rules.roles.iter().any(|r| r == role)
    }

    /// Whether a caller of role `caller` may act as `role`: its own, or one the rules'
    /// `act_as:` lists for it.
    pub fn may_act_as(&self, caller: &str, role: &str) -> bool {
        caller == role
            || self
                .rules
                .act_as
                .get(caller)
                .is_some_and(|roles| roles.iter().any(|r| r == role))
    }

    /// The role used when none is given.
    pub fn default_role(&self) -> &str {
        self.rules
            .default_role
            .as_deref()
            .unwrap_or(&self.rules.roles[0])
    }

    /// The roles allowed to run a non-transition command (`shipment.create`...), `None` if all.
    pub fn command_roles(&self, op: &str) -> Option<&[String]> {
        self.rules.commands.get(op).map(Vec::as_slice)
    }

    /// Initial states of the machines of `scope`, by machine name.
    pub fn initial_states(&self, scope: Scope) -> std::collections::BTreeMap<String, String> {
        self.machines_of(scope)
            .map(|m| (m.name.clone(), m.initial.clone()))
            .collect()
    }
}

/// Numbers every guard by its condition's text (see [`Guard::id`]); the count of distinct ones.
fn number_conditions(machines: &mut [Machine]) -> usize {
    let mut ids = std::collections::HashMap::new();
    for guard in machines
        .iter_mut()
        .flat_map(|m| m.transitions.iter_mut())
        .flat_map(|t| t.guards.iter_mut())
    {
        let next = ids.len();
        guard.id = *ids.entry(guard.condition.clone()).or_insert(next);
    }
    ids.len()
}

/// The machines and state tags guards may name.
fn known_names(rules: &RuleSet) -> guard_check::Known<'_> {
    let of = |scope: Scope| {
        rules
            .machines
            .iter()
            .filter(move |(_, m)| m.scope == scope)
            .map(|(name, _)| name.as_str())
            .collect()
    };
    let tags = |scope: Scope| {
        let mut tags: Vec<&str> = rules
            .machines
            .values()
            .filter(|m| m.scope == scope)
            .flat_map(|m| {
                m.states
                    .values()
                    .flat_map(|s| s.tags.iter().map(String::as_str))
            })
            .collect();
        tags.sort_unstable();
        tags.dedup();
        tags
    };
    guard_check::Known {
        order_machines: of(Scope::Order),
        shipment_machines: of(Scope::Shipment),
        tags: tags(Scope::Shipment),
        payment_tags: tags(Scope::Payment),
    }
}

fn compile_guard(host: &ScriptHost, scope: Scope, condition: &str) -> Result<rhai::AST, String> {
    let variables: Vec<&str> = GUARD_VARIABLES
        .into_iter()
        .filter(|v| scope == Scope::Shipment || *v != "shipment")
        .collect();
    host.compile(condition, &variables)
        .map_err(|e| e.to_string())
}

/// Whether `source` mentions the identifier `name` (as a whole word).
fn mentions(source: &str, name: &str) -> bool {
    source.match_indices(name).any(|(at, _)| {
        let before = source[..at].chars().next_back();
        let after = source[at + name.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !word(before) && !word(after)
    })
}

/// A short stable hash of the rules' text (FNV-1a, 64 bits, hex).
pub fn version_of(source: &str) -> String {
    let hash = source.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}")
}
