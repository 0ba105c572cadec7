//! One command's run: fires a transition with its effects and cascades on a working copy of
//! the aggregate, then runs automatic transitions until nothing more fires.

use super::outcome::{Applied, Blocker, Notification, Refusal, Step, StockAction, StockMove};
use super::views::{OrderFacts, ShipmentFacts, Views};
use super::{Actor, Input, SYSTEM_ROLE};
use crate::compiled::{Machine, Transition, Workflow};
use crate::error::{Error, Result};
use crate::model::{EntityRef, Money, OrderAggregate};
use crate::rules::{EffectDef, Scope};
use std::cell::RefCell;
use std::sync::Arc;

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
}

impl<'a> Run<'a> {
    /// Starts a run on a copy of a stored (hence settled) aggregate. Change the aggregate only
    /// through the run, after this, so the run knows what changed.
    pub fn new(workflow: &'a Workflow, agg: OrderAggregate) -> Run<'a> {
        let settled = agg.order.rules_version == workflow.version;
        let mut run = Run::fresh(workflow, agg);
        if settled {
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
        }
    }

    /// Forgets the facts taken so far; call it after every change to the aggregate.
    pub fn changed(&self) {
        self.facts.borrow_mut().take();
        self.shipment_facts.borrow_mut().clear();
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
        if reads_only_payment && !transition.guards.is_empty() {
            same_state && now.same_payment(start)
        } else {
            *now == **start
        }
    }

    /// The current state of `entity` in `machine`.
    pub fn state_of(&self, entity: &EntityRef, machine: &Machine) -> Result<String> {
        let states = match entity {
            EntityRef::Shipment(id) => &self.shipment(id)?.states,
            EntityRef::Order(_) | EntityRef::System(_) => &self.agg.order.states,
        };
        Ok(states
            .get(&machine.name)
            .cloned()
            .unwrap_or_else(|| machine.initial.clone()))
    }

    fn shipment(&self, id: &str) -> Result<&crate::model::Shipment> {
        self.agg
            .shipment(id)
            .ok_or_else(|| Error::bad_input(format!("shipment `{id}` not found")))
    }

    /// Finds the machine and transition `event` names for `entity`, or says it has none.
    pub fn resolve(
        &self,
        entity: &EntityRef,
        event: &str,
    ) -> Result<(&'a Machine, &'a Transition)> {
        let scope = entity.scope();
        let workflow = self.workflow;
        let machine = workflow.machine_for_event(scope, event).ok_or_else(|| {
            let events: Vec<&str> = workflow
                .machines_of(scope)
                .flat_map(|m| m.transitions.iter().filter(|t| !t.auto))
                .map(|t| t.event.as_str())
                .collect();
            Error::bad_input_with(
                format!("unknown event `{event}` for {entity}"),
                waybill_script::suggest::help(event, events.iter().copied()),
            )
        })?;
        let transition = machine
            .transition(event)
            .expect("machine_for_event found it");
        Ok((machine, transition))
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
        let current = self.state_of(entity, machine)?;
        if by_hand && transition.auto {
            blockers.push(Blocker::Automatic);
        }
        if !transition.fires_from(&current) {
            blockers.push(Blocker::State {
                machine: machine.name.clone(),
                current,
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
        let views = Views {
            order: self.order_facts(),
            shipment: match entity {
                EntityRef::Shipment(id) => Some(self.facts_of(id)?),
                EntityRef::Order(_) | EntityRef::System(_) => None,
            },
            actor,
            input,
        };
        for guard in &transition.guards {
            let mut scope = views.scope_for(guard);
            match self.workflow.host.eval(&guard.ast, &mut scope) {
                Ok(v) if v.as_bool() == Ok(true) => {}
                Ok(v) if v.is_bool() => blockers.push(Blocker::Guard {
                    condition: guard.condition.clone(),
                    message: guard.message.clone(),
                }),
                Ok(v) => blockers.push(Blocker::GuardError {
                    condition: guard.condition.clone(),
                    message: guard.message.clone(),
                    error: format!("it gave {} `{v}`, not true or false", v.type_name()),
                }),
                Err(e) => blockers.push(Blocker::GuardError {
                    condition: guard.condition.clone(),
                    message: guard.message.clone(),
                    error: e.to_string(),
                }),
            }
        }
        Ok(blockers)
    }

    /// Fires `event` on `entity`. `by_hand` is false for cascades and automatic steps, which
    /// run as `system` and skip the role check.
    pub fn fire(
        &mut self,
        entity: &EntityRef,
        event: &str,
        actor: &Actor,
        input: &Input,
        by_hand: bool,
        depth: usize,
    ) -> Result<()> {
        let (machine, transition) = self.resolve(entity, event)?;
        let blockers = self.blockers(entity, machine, transition, actor, by_hand, input)?;
        if !blockers.is_empty() {
            return Err(Refusal {
                entity: entity.clone(),
                event: event.to_string(),
                blockers,
            }
            .into());
        }
        self.apply(entity, machine, transition, actor, input, by_hand, depth)
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
        };
        states.insert(machine.name.clone(), to.clone());
        self.changed();
        if matches!(entity, EntityRef::Shipment(_)) {
            self.check_returns(entity, &transition.event)?;
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

    /// Customer returns never exceed the units still out in shipments tagged `shipped`: a
    /// shipment whose units the customer already returned can't also come back to the sender.
    fn check_returns(&self, entity: &EntityRef, event: &str) -> Result<()> {
        for line in &self.agg.order.spec.lines {
            let returned = u64::from(self.agg.order.returned.get(&line.id).copied().unwrap_or(0));
            if returned == 0 {
                continue;
            }
            let out: u64 = self
                .agg
                .shipments
                .iter()
                .filter(|s| super::views::shipment_tags(self.workflow, s).any(|t| t == "shipped"))
                .map(|s| s.qty_of(&line.id))
                .sum();
            if returned > out {
                return Err(Refusal {
                    entity: entity.clone(),
                    event: event.to_string(),
                    blockers: vec![Blocker::Effect {
                        effect: "return_items".into(),
                        message: format!(
                            "line `{}`: the customer returned {returned} unit(s), and the shipments still out would carry only {out}",
                            line.id
                        ),
                    }],
                }
                .into());
            }
        }
        Ok(())
    }

    /// Applies one effect, turning its failure into a refusal or an error.
    #[allow(clippy::too_many_arguments)]
    fn run_effect(
        &mut self,
        entity: &EntityRef,
        machine: &Machine,
        event: &str,
        state: &str,
        effect: &EffectDef,
        actor: &Actor,
        input: &Input,
        depth: usize,
    ) -> Result<()> {
        let result = self.effect(entity, machine, event, state, effect, actor, input, depth);
        self.changed();
        result.map_err(|e| match e {
            EffectFailure::Blocked(message) => Refusal {
                entity: entity.clone(),
                event: event.to_string(),
                blockers: vec![Blocker::Effect {
                    effect: effect.name().to_string(),
                    message,
                }],
            }
            .into(),
            EffectFailure::Cascade(blocker) => Refusal {
                entity: entity.clone(),
                event: event.to_string(),
                blockers: vec![blocker],
            }
            .into(),
            EffectFailure::Invalid(message) => {
                Error::bad_input(format!("{}: {message}", effect.name()))
            }
            EffectFailure::Error(e) => e,
        })
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

    #[allow(clippy::too_many_arguments)]
    fn effect(
        &mut self,
        entity: &EntityRef,
        machine: &Machine,
        event: &str,
        state: &str,
        effect: &EffectDef,
        actor: &Actor,
        input: &Input,
        depth: usize,
    ) -> std::result::Result<(), EffectFailure> {
        let order = &mut self.agg.order;
        let total = order.spec.total().unwrap_or_default();
        match effect {
            EffectDef::CapturePayment => {
                let amount = positive_amount(input)?;
                let after = order.captured.0 + amount.0;
                if after > total.0 {
                    return Err(EffectFailure::Blocked(format!(
                        "capturing {amount} would bring the captured amount to {}, above the order total {total}",
                        Money(after)
                    )));
                }
                order.captured = Money(after);
            }
            EffectDef::RefundPayment => {
                let amount = positive_amount(input)?;
                let after = order.refunded.0 + amount.0;
                if after > order.captured.0 {
                    return Err(EffectFailure::Blocked(format!(
                        "refunding {amount} would bring refunds to {}, above the {} captured",
                        Money(after),
                        order.captured
                    )));
                }
                order.refunded = Money(after);
            }
            EffectDef::ReturnItems => self.return_items(input)?,
            EffectDef::Notify(topic) => self.applied.notifications.push(Notification {
                topic: topic.clone(),
                entity: entity.clone(),
                machine: machine.name.clone(),
                event: event.to_string(),
                state: state.to_string(),
            }),
            EffectDef::Set(values) => {
                let attrs = match entity {
                    EntityRef::Order(_) | EntityRef::System(_) => &mut self.agg.order.attrs,
                    EntityRef::Shipment(id) => match self.agg.shipment_mut(id) {
                        Some(s) => &mut s.attrs,
                        None => return Ok(()),
                    },
                };
                for (k, v) in values {
                    attrs.insert(k.clone(), v.clone());
                }
            }
            EffectDef::Cascade(cascade) => {
                if depth >= MAX_CASCADE_DEPTH {
                    return Err(EffectFailure::Error(Error::Workflow(format!(
                        "cascades nested deeper than {MAX_CASCADE_DEPTH} at `{}` on machine `{}`",
                        cascade.event, cascade.machine
                    ))));
                }
                let target_scope = self
                    .workflow
                    .machine(&cascade.machine)
                    .map(|m| m.scope)
                    .unwrap_or(Scope::Order);
                let targets: Vec<EntityRef> = match (target_scope, entity) {
                    (Scope::Order, _) => vec![EntityRef::Order(self.agg.order.spec.id.clone())],
                    (Scope::Shipment, EntityRef::Shipment(id)) => {
                        vec![EntityRef::Shipment(id.clone())]
                    }
                    (Scope::Shipment, EntityRef::Order(_) | EntityRef::System(_)) => {
                        let target = self.workflow.machine(&cascade.machine).expect("validated");
                        let t = target.transition(&cascade.event).expect("validated");
                        self.agg
                            .shipments
                            .iter()
                            .filter(|s| {
                                s.states
                                    .get(&target.name)
                                    .is_some_and(|st| t.fires_from(st))
                            })
                            .map(|s| EntityRef::Shipment(s.id.clone()))
                            .collect()
                    }
                };
                for target in targets {
                    match self.fire(&target, &cascade.event, actor, input, false, depth + 1) {
                        Ok(()) => {}
                        Err(Error::Refused(r)) => {
                            return Err(EffectFailure::Cascade(Blocker::Cascade {
                                entity: r.entity,
                                event: r.event,
                                blockers: r.blockers,
                            }))
                        }
                        Err(e) => return Err(EffectFailure::Error(e)),
                    }
                }
            }
            EffectDef::ReserveStock => self.stock(entity, StockAction::Reserve),
            EffectDef::DecrementStock => self.stock(entity, StockAction::Decrement),
            EffectDef::ReleaseStock => self.stock(entity, StockAction::Release),
            EffectDef::RestoreStock => self.stock(entity, StockAction::Restore),
        }
        Ok(())
    }

    /// Records returned quantities (`input.LINE = QTY`) and puts the units back on the shelf
    /// where they shipped from: the n-th returned unit of a line is the n-th shipped unit, in
    /// shipment order, so repeated partial returns never restock a unit twice.
    fn return_items(&mut self, input: &Input) -> std::result::Result<(), EffectFailure> {
        let mut any = false;
        let mut returned = self.agg.order.returned.clone();
        let mut restocks = Vec::new();
        for line in &self.agg.order.spec.lines {
            let Some(value) = input.get(&line.id) else {
                continue;
            };
            let qty = value
                .as_u64()
                .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
                .filter(|q| *q > 0)
                .ok_or_else(|| {
                    EffectFailure::Invalid(format!(
                        "the quantity for line `{}` must be a whole number above 0, not {value}",
                        line.id
                    ))
                })?;
            let shipped: Vec<&crate::model::Shipment> = self
                .agg
                .shipments
                .iter()
                .filter(|s| super::views::shipment_tags(self.workflow, s).any(|t| t == "shipped"))
                .collect();
            let total: u64 = shipped.iter().map(|s| s.qty_of(&line.id)).sum();
            let before = u64::from(returned.get(&line.id).copied().unwrap_or(0));
            if before + qty > total {
                return Err(EffectFailure::Blocked(format!(
                    "line `{}`: returning {qty} would bring returns to {}, but only {total} were shipped",
                    line.id,
                    before + qty
                )));
            }
            // Units before+1 ..= before+qty, walked over the shipments that carried them.
            let mut start = 0;
            for shipment in shipped {
                let carried = shipment.qty_of(&line.id);
                let from = before.max(start);
                let to = (before + qty).min(start + carried);
                if to > from {
                    restocks.push(StockMove {
                        action: StockAction::Restock,
                        shipment: shipment.id.clone(),
                        location: shipment.location.clone(),
                        items: vec![(line.id.clone(), line.sku.clone(), (to - from) as u32)],
                    });
                }
                start += carried;
            }
            returned.insert(line.id.clone(), (before + qty) as u32);
            any = true;
        }
        if !any {
            return Err(EffectFailure::Invalid(
                "name the returned quantities as input LINE=QTY (e.g. --input l1=2)".into(),
            ));
        }
        self.agg.order.returned = returned;
        self.applied.stock.extend(restocks);
        Ok(())
    }

    fn stock(&mut self, entity: &EntityRef, action: StockAction) {
        let EntityRef::Shipment(id) = entity else {
            return;
        };
        let Some(shipment) = self.agg.shipment(id) else {
            return;
        };
        let spec = &self.agg.order.spec;
        let items = shipment
            .items
            .iter()
            .map(|i| {
                let sku = spec
                    .line(&i.line)
                    .map(|l| l.sku.clone())
                    .unwrap_or_default();
                (i.line.clone(), sku, i.qty)
            })
            .collect();
        self.applied.stock.push(StockMove {
            action,
            shipment: id.clone(),
            location: shipment.location.clone(),
            items,
        });
    }

    /// Fires automatic transitions, order machines first, then each shipment's, until none
    /// fires. A guard that fails to run is an error, not a silent "no".
    pub fn settle(&mut self, actor: &Actor) -> Result<()> {
        let empty = Input::new();
        for _ in 0..MAX_AUTO_STEPS {
            let mut entities = vec![EntityRef::Order(self.agg.order.spec.id.clone())];
            entities.extend(
                self.agg
                    .shipments
                    .iter()
                    .map(|s| EntityRef::Shipment(s.id.clone())),
            );
            let mut fired = None;
            'search: for entity in &entities {
                for machine in self.workflow.machines_of(entity.scope()) {
                    let state = self.state_of(entity, machine)?;
                    for t in machine
                        .transitions
                        .iter()
                        .filter(|t| t.auto && t.fires_from(&state))
                    {
                        if machine.scope == Scope::Order && self.known_idle(machine, t) {
                            continue;
                        }
                        let blockers = self.blockers(entity, machine, t, actor, false, &empty)?;
                        if let Some(Blocker::GuardError {
                            condition, error, ..
                        }) = blockers
                            .iter()
                            .find(|b| matches!(b, Blocker::GuardError { .. }))
                        {
                            return Err(Error::Workflow(format!(
                                "the guard `{condition}` of automatic transition `{}` (machine `{}`) failed to run: {error}",
                                t.event, machine.name
                            )));
                        }
                        if blockers.is_empty() {
                            fired = Some((entity.clone(), machine, t));
                            break 'search;
                        }
                    }
                }
            }
            let Some((entity, machine, t)) = fired else {
                return Ok(());
            };
            self.apply(&entity, machine, t, actor, &empty, false, 0)?;
        }
        let trail: Vec<String> = self
            .applied
            .steps
            .iter()
            .rev()
            .take(6)
            .map(|s| format!("{}.{}: {} -> {}", s.entity, s.machine, s.from, s.to))
            .collect();
        Err(Error::Workflow(format!(
            "automatic transitions did not settle after {MAX_AUTO_STEPS} steps; they cycle through: {}",
            trail.join(", ")
        )))
    }
}

/// Why an effect could not be applied.
enum EffectFailure {
    /// The rules' data forbid it: a refusal.
    Blocked(String),
    /// A cascaded transition was refused.
    Cascade(Blocker),
    /// The input is malformed (not a refusal: nothing is recorded).
    Invalid(String),
    /// Something broke.
    Error(Error),
}

fn positive_amount(input: &Input) -> std::result::Result<Money, EffectFailure> {
    let value = input.get("amount").ok_or_else(|| {
        EffectFailure::Invalid("give the amount as input, e.g. --input amount=12.50".into())
    })?;
    let amount = Money::from_json(value).map_err(EffectFailure::Invalid)?;
    if amount <= Money::ZERO {
        return Err(EffectFailure::Invalid(format!(
            "the amount must be above 0, not {amount}"
        )));
    }
    Ok(amount)
}
