//! One command's run: fires a transition with its effects and cascades on a working copy of
//! the aggregate, then runs automatic transitions until nothing more fires.

use super::outcome::{Applied, Blocker, Refusal, Step};
use super::views::{OrderFacts, ShipmentFacts, Views};
use super::{Actor, Input, SYSTEM_ROLE};
use crate::compiled::{EventMatch, Guard, Machine, Transition, Workflow};
use crate::error::{Error, Result};
use crate::model::{EntityRef, OrderAggregate};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Arc;

mod effects;
mod refund;
mod settle;
mod undo;

/// How many automatic steps one command may trigger before it is a cycle.
pub const MAX_AUTO_STEPS: usize = 64;
/// How deep cascades may nest.
const MAX_CASCADE_DEPTH: usize = 8;

/// A command in progress on a working copy of an aggregate.
pub struct Run<'a> {
    /// The workflow.
    pub workflow: &'a Workflow,
    /// The working copy; the caller keeps it only if the run succeeds.
    pub agg: OrderAggregate,
    /// What has been done so far.
    pub applied: Applied,
    /// Facts guards read, taken once per step and dropped when the aggregate changes.
    facts: RefCell<Option<Arc<OrderFacts>>>,
    shipment_facts: RefCell<Vec<Arc<ShipmentFacts>>>,
    /// The order facts when the run started, if the aggregate was settled then (it was made
    /// under these rules, and every command ends settled). An automatic transition of an
    /// order machine whose inputs still equal these cannot fire, so it is not evaluated again.
    settled_facts: Option<Arc<OrderFacts>>,
    /// Per condition (see [`Guard::id`]), whether every field its native tree reads still has
    /// its value of [`Run::settled_facts`]; forgotten with the facts.
    unchanged: RefCell<Vec<Option<bool>>>,
    /// How to put the aggregate back, for a run [`Run::in_place`].
    undo: Option<undo::Undo>,
}

impl<'a> Run<'a> {
    /// Starts a run on a copy of a stored (hence settled) aggregate. Change the aggregate only
    /// through the run, after this, so the run knows what changed.
    pub fn new(workflow: &'a Workflow, agg: OrderAggregate) -> Run<'a> {
        let settled = agg.order.rules_version == workflow.version;
        let mut run = Run::fresh(workflow, agg);
        // Only order machines' automatic transitions use them.
        if settled && workflow.order_automatic {
            run.settled_facts = Some(run.order_facts());
        }
        run
    }

    /// Starts a run on an aggregate that may not be settled (a new order): every automatic
    /// transition is evaluated.
    pub fn fresh(workflow: &'a Workflow, agg: OrderAggregate) -> Run<'a> {
        Run {
            workflow,
            agg,
            applied: Applied::default(),
            facts: RefCell::new(None),
            shipment_facts: RefCell::new(Vec::new()),
            settled_facts: None,
            unchanged: RefCell::new(vec![None; workflow.conditions]),
            undo: None,
        }
    }

    /// Forgets the facts taken so far; call it after every change to the aggregate.
    pub fn changed(&self) {
        self.facts.borrow_mut().take();
        self.shipment_facts.borrow_mut().clear();
        self.unchanged.borrow_mut().fill(None);
    }

    fn order_facts(&self) -> Arc<OrderFacts> {
        self.facts
            .borrow_mut()
            .get_or_insert_with(|| Arc::new(OrderFacts::of(self.workflow, &self.agg)))
            .clone()
    }

    fn facts_of(&self, id: &str) -> Result<Arc<ShipmentFacts>> {
        let shipment = self.shipment(id)?;
        let mut cache = self.shipment_facts.borrow_mut();
        if let Some(facts) = cache.iter().find(|f| f.id() == id) {
            return Ok(facts.clone());
        }
        let facts = Arc::new(ShipmentFacts::of(shipment));
        cache.push(facts.clone());
        Ok(facts)
    }

    /// Whether `transition` of an order machine is known not to fire: the aggregate was settled
    /// at the start and nothing its guards read has changed since.
    fn known_idle(&self, machine: &Machine, transition: &Transition) -> bool {
        let Some(start) = &self.settled_facts else {
            return false;
        };
        let now = self.order_facts();
        let reads_only_payment = transition
            .guards
            .iter()
            .all(|g| g.reads == [false, true, false, false, false]);
        let same_state = now.state_of(&machine.name) == start.state_of(&machine.name);
        let native = transition.guards.iter().all(|g| g.native.is_some());
        if native {
            // Native guards answer from the fields they read alone; each condition is looked at
            // once per taking of the facts, however many transitions share it.
            same_state
                && transition.guards.iter().all(|g| {
                    let mut unchanged = self.unchanged.borrow_mut();
                    *unchanged[g.id].get_or_insert_with(|| {
                        g.native
                            .as_ref()
                            .is_some_and(|n| n.visit(&mut |f| now.same_field(start, f)))
                    })
                })
        } else if reads_only_payment && !transition.guards.is_empty() {
            same_state && now.same_payment(start)
        } else {
            *now == **start
        }
    }

    /// The current state of `entity` in `machine`.
    pub fn state_of(&self, entity: &EntityRef, machine: &Machine) -> Result<String> {
        self.current(entity, machine).map(str::to_string)
    }

    /// [`Run::state_of`], borrowed.
    fn current<'s>(&'s self, entity: &EntityRef, machine: &'s Machine) -> Result<&'s str> {
        let states = match entity {
            EntityRef::Shipment(id) => &self.shipment(id)?.states,
            EntityRef::Payment(id) => &self.payment(id)?.states,
            EntityRef::Order(_) | EntityRef::System(_) => &self.agg.order.states,
        };
        Ok(state_in(states, machine))
    }

    fn shipment(&self, id: &str) -> Result<&crate::model::Shipment> {
        self.agg
            .shipment(id)
            .ok_or_else(|| Error::bad_input(format!("shipment `{id}` not found")))
    }

    fn payment(&self, id: &str) -> Result<&crate::model::Payment> {
        self.agg
            .payment(id)
            .ok_or_else(|| Error::bad_input(format!("payment `{id}` not found")))
    }

    /// Finds the machine and transition `event` names for `entity` (`EVENT`, or `MACHINE.EVENT`
    /// when several machines of its scope have `EVENT`), or says it has none.
    pub fn resolve(
        &self,
        entity: &EntityRef,
        event: &str,
    ) -> Result<(&'a Machine, &'a Transition)> {
        let scope = entity.scope();
        let workflow = self.workflow;
        match workflow.find_event(scope, event) {
            EventMatch::Found(machine, transition) => Ok((machine, transition)),
            EventMatch::Ambiguous(choices) => Err(Error::bad_input_with(
                format!(
                    "event `{event}` is ambiguous for {entity}: {} machines have it",
                    choices.len()
                ),
                format!("name the machine: {}", choices.join(", ")),
            )),
            EventMatch::Unknown => {
                let events: Vec<String> = workflow
                    .machines_of(scope)
                    .flat_map(|m| m.transitions.iter().filter(|t| !t.auto))
                    .map(|t| t.event.clone())
                    .collect();
                Err(Error::bad_input_with(
                    format!("unknown event `{event}` for {entity}"),
                    waybill_script::suggest::help(event, events.iter().map(String::as_str)),
                ))
            }
        }
    }

    /// Fires `transition` of `machine` on `entity` (as found by [`Run::resolve`]). `by_hand` is
    /// false for cascades and automatic steps, which run as `system` and skip the role check.
    #[allow(clippy::too_many_arguments)]
    pub fn fire_transition(
        &mut self,
        entity: &EntityRef,
        (machine, transition): (&Machine, &Transition),
        actor: &Actor,
        input: &Input,
        by_hand: bool,
        depth: usize,
    ) -> Result<()> {
        let blockers = self.blockers(entity, machine, transition, actor, by_hand, input)?;
        if !blockers.is_empty() {
            return Err(Refusal {
                entity: entity.clone(),
                event: transition.event.clone(),
                blockers,
            }
            .into());
        }
        self.apply(entity, machine, transition, actor, input, by_hand, depth)
    }

    /// Every reason `transition` may not fire on `entity` now, as `actor` (`None`: as the engine).
    pub fn blockers(
        &self,
        entity: &EntityRef,
        machine: &Machine,
        transition: &Transition,
        actor: &Actor,
        by_hand: bool,
        input: &Input,
    ) -> Result<Vec<Blocker>> {
        let mut blockers = Vec::new();
        let current = self.current(entity, machine)?;
        if by_hand && transition.auto {
            blockers.push(Blocker::Automatic);
        }
        if !transition.fires_from(current) {
            blockers.push(Blocker::State {
                machine: machine.name.clone(),
                current: current.to_string(),
                allowed: transition.from.clone(),
            });
        }
        if by_hand && !transition.allows(&actor.role) {
            blockers.push(Blocker::Role {
                role: actor.role.clone(),
                allowed: transition.roles.clone().unwrap_or_default(),
            });
        }
        if transition.guards.is_empty() {
            return Ok(blockers);
        }
        let reads_order = transition.guards.iter().any(|g| g.reads[0] || g.reads[1]);
        let views = self.views(entity, actor, input, reads_order)?;
        for guard in &transition.guards {
            match self.eval_guard(&views, guard) {
                Ok(true) => {}
                Ok(false) => blockers.push(Blocker::Guard {
                    condition: guard.condition.clone(),
                    message: guard.message.clone(),
                }),
                Err(error) => blockers.push(Blocker::GuardError {
                    condition: guard.condition.clone(),
                    message: guard.message.clone(),
                    error,
                }),
            }
        }
        Ok(blockers)
    }

    /// The views guards on `entity` read; the order facts only if `reads_order`.
    fn views<'v>(
        &self,
        entity: &EntityRef,
        actor: &'v Actor,
        input: &'v Input,
        reads_order: bool,
    ) -> Result<Views<'v>> {
        Ok(Views {
            order: reads_order.then(|| self.order_facts()),
            shipment: match entity {
                EntityRef::Shipment(id) => Some(self.facts_of(id)?),
                EntityRef::Order(_) | EntityRef::Payment(_) | EntityRef::System(_) => None,
            },
            actor,
            input,
        })
    }

    /// Whether `guard` holds over `views`, or why it could not say.
    fn eval_guard(&self, views: &Views, guard: &Guard) -> std::result::Result<bool, String> {
        views.eval(&self.workflow.host, guard)
    }

    /// Whether the automatic transition `t` of `machine` fires now over `views` (one entity's):
    /// its guards are tried in order, each condition at most once per entity while settling
    /// (`memo`, for the facts do not change until something fires), and a guard that fails to
    /// run is an error.
    fn auto_fires(
        &self,
        machine: &Machine,
        t: &Transition,
        views: &Views,
        memo: &mut [Option<bool>],
    ) -> Result<bool> {
        for guard in &t.guards {
            let holds = match memo[guard.id] {
                Some(holds) => holds,
                None => {
                    let holds = self.eval_guard(views, guard).map_err(|error| {
                        Error::Workflow(format!(
                            "the guard `{}` of automatic transition `{}` (machine `{}`) failed to run: {error}",
                            guard.condition, t.event, machine.name
                        ))
                    })?;
                    memo[guard.id] = Some(holds);
                    holds
                }
            };
            if !holds {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Applies a transition whose blockers were checked: effects, then the state change.
    #[allow(clippy::too_many_arguments)]
    fn apply(
        &mut self,
        entity: &EntityRef,
        machine: &Machine,
        transition: &Transition,
        actor: &Actor,
        input: &Input,
        by_hand: bool,
        depth: usize,
    ) -> Result<()> {
        let from = self.state_of(entity, machine)?;
        let to = transition.to.clone().unwrap_or_else(|| from.clone());
        let states = match entity {
            EntityRef::Order(_) | EntityRef::System(_) => &mut self.agg.order.states,
            EntityRef::Shipment(id) => {
                &mut self
                    .agg
                    .shipment_mut(id)
                    .ok_or_else(|| Error::bad_input(format!("shipment `{id}` not found")))?
                    .states
            }
            EntityRef::Payment(id) => {
                &mut self
                    .agg
                    .payment_mut(id)
                    .ok_or_else(|| Error::bad_input(format!("payment `{id}` not found")))?
                    .states
            }
        };
        let before = match states.get_mut(&machine.name) {
            Some(state) => Some(std::mem::replace(state, to.clone())),
            None => states.insert(machine.name.clone(), to.clone()),
        };
        self.log_state(entity, &machine.name, before);
        self.changed();
        match entity {
            EntityRef::Shipment(_) => self.check_returns(entity, &transition.event)?,
            EntityRef::Payment(_) => self.check_captured(entity, &transition.event)?,
            EntityRef::Order(_) | EntityRef::System(_) => {}
        }
        let role = if by_hand {
            actor.role.clone()
        } else {
            SYSTEM_ROLE.to_string()
        };
        self.applied.steps.push(Step {
            entity: entity.clone(),
            machine: machine.name.clone(),
            event: transition.event.clone(),
            from,
            to: to.clone(),
            auto: transition.auto,
            role,
            effects: transition
                .effects
                .iter()
                .map(|e| e.name().to_string())
                .collect(),
            skipped: Vec::new(),
        });
        let moved = self.applied.steps.last().is_some_and(|s| s.from != s.to);
        let entered = moved.then(|| machine.states.get(&to)).flatten();
        let enter_effects = entered.map(|s| s.enter.as_slice()).unwrap_or_default();
        for effect in transition.effects.iter().chain(enter_effects) {
            self.run_effect(
                entity,
                machine,
                &transition.event,
                &to,
                effect,
                actor,
                input,
                depth,
            )?;
        }
        Ok(())
    }

    /// Applies the `enter` effects of the initial states of a new entity.
    pub fn enter_initial(&mut self, entity: &EntityRef, actor: &Actor, event: &str) -> Result<()> {
        let input = Input::new();
        for machine in self.workflow.machines_of(entity.scope()) {
            let Some(state) = machine.states.get(&machine.initial) else {
                continue;
            };
            for effect in &state.enter {
                self.run_effect(
                    entity,
                    machine,
                    event,
                    &machine.initial,
                    effect,
                    actor,
                    &input,
                    0,
                )?;
            }
        }
        Ok(())
    }
}

/// The state of `machine` in an entity's `states` (its initial state if it has none yet).
fn state_in<'s>(states: &'s BTreeMap<String, String>, machine: &'s Machine) -> &'s str {
    states
        .get(&machine.name)
        .map_or(machine.initial.as_str(), String::as_str)
}
