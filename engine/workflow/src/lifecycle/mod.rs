//! The engine: commands in, outcomes out. Every command works on a copy of the order aggregate
//! and returns either what it applied or a refusal; the caller keeps the copy only on success,
//! so a refused or failed command changes nothing.

pub mod edit;
mod notes;
pub mod outcome;
mod placement;
pub mod run;
mod target;
pub mod views;

pub use edit::{LabelInfo, ShipmentEdit};
pub use outcome::{
    Applied, Blocker, EventCheck, Notification, Refusal, Skipped, Step, StockAction, StockMove,
};

use crate::compiled::Workflow;
use crate::error::{Error, Result};
use crate::model::{
    limits::check_id, EntityRef, NewPayment, Order, OrderAggregate, OrderSpec, Payment, Shipment,
    ShipmentItem, Tracking,
};
use crate::rules::Scope;
use chrono::{DateTime, NaiveDate, Utc};
use run::Run;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Checks that no tracking code is blank.
pub fn check_tracking(tracking: &[Tracking]) -> Result<()> {
    if tracking.iter().any(|t| t.code.trim().is_empty()) {
        return Err(Error::bad_input("a tracking code is empty"));
    }
    Ok(())
}

pub use crate::rules::format::SYSTEM_ROLE;

/// The tag that marks shipment states which no longer hold their items.
pub const RELEASED_TAG: &str = "released";

/// Who acts: a role from the rules, and optionally a name for the history.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Actor {
    /// The role (`--as ROLE`).
    pub role: String,
    /// A person or system name, for the history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl Actor {
    /// An actor with this role and no name.
    pub fn role(role: &str) -> Actor {
        Actor {
            role: role.to_string(),
            name: None,
        }
    }
}

/// A command's input values (`--input k=v`), readable in guards as `input.k`.
pub type Input = BTreeMap<String, serde_json::Value>;

/// A new shipment, as a user describes it.
#[derive(
    Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct NewShipment {
    /// The stock location it ships from.
    #[serde(default)]
    pub location: Option<String>,
    /// What it carries.
    pub items: Vec<ShipmentItem>,
    /// Tracking codes.
    #[serde(default)]
    pub tracking: Vec<Tracking>,
    /// Carrier id.
    #[serde(default)]
    pub carrier: Option<String>,
    /// Expected delivery date.
    #[serde(default)]
    pub expected_delivery: Option<NaiveDate>,
}

/// The rules engine over one workflow.
#[derive(Debug, Clone)]
pub struct Lifecycle {
    workflow: Arc<Workflow>,
}

impl Lifecycle {
    /// An engine running `workflow`.
    pub fn new(workflow: Arc<Workflow>) -> Lifecycle {
        Lifecycle { workflow }
    }

    /// The workflow it runs.
    pub fn workflow(&self) -> &Workflow {
        &self.workflow
    }

    /// Checks that `actor`'s role is declared in the rules.
    pub fn check_actor(&self, actor: &Actor) -> Result<()> {
        if actor.role == SYSTEM_ROLE || self.workflow.has_role(&actor.role) {
            return Ok(());
        }
        let roles = self.workflow.rules.roles.iter().map(String::as_str);
        Err(Error::bad_input_with(
            format!("unknown role `{}`", actor.role),
            waybill_script::suggest::help(&actor.role, roles),
        ))
    }

    /// Checks a role that a user asks to act as: a role of the rules, and never `system`,
    /// which is the engine's own.
    pub fn check_user_role(&self, role: &str) -> Result<()> {
        if role == SYSTEM_ROLE {
            return Err(Error::bad_input(format!(
                "`{SYSTEM_ROLE}` is waybill's own role for automatic transitions; no user can act as it"
            )));
        }
        self.check_actor(&Actor::role(role))
    }

    /// Checks that a caller of role `caller` may send a command as `role`: its own role, or
    /// one the rules' `act_as:` lists for it.
    pub fn check_acting_as(&self, caller: &str, role: &str) -> Result<()> {
        self.check_user_role(role)?;
        if self.workflow.may_act_as(caller, role) {
            return Ok(());
        }
        Err(Error::bad_input_with(
            format!("role `{caller}` may not act as `{role}`"),
            format!("the rules' `act_as:` would have to list `{role}` under `{caller}`"),
        ))
    }

    /// Checks that a caller of `role` may read what `op` names (`order.read`, `stock.read`,
    /// `outbox.read`): a role of the rules, never `system`, and one the rules' `commands:` lists
    /// for it (a read not listed is open to every role).
    pub fn authorize_read(&self, op: &str, role: &str) -> Result<()> {
        self.check_user_role(role)?;
        self.authorize(op, &EntityRef::System(op.to_string()), &Actor::role(role))
    }

    /// Checks that `actor` may run the command `op` (e.g. `shipment.create`) on `entity`.
    pub fn authorize(&self, op: &str, entity: &EntityRef, actor: &Actor) -> Result<()> {
        self.check_actor(actor)?;
        match self.workflow.command_roles(op) {
            Some(allowed) if !allowed.contains(&actor.role) => Err(Refusal {
                entity: entity.clone(),
                event: op.to_string(),
                blockers: vec![Blocker::Role {
                    role: actor.role.clone(),
                    allowed: allowed.to_vec(),
                }],
            }
            .into()),
            _ => Ok(()),
        }
    }

    /// Creates an order from its spec: checks it, sets every order machine to its initial
    /// state, and runs automatic transitions.
    pub fn create_order(
        &self,
        spec: OrderSpec,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(OrderAggregate, Applied)> {
        let entity = EntityRef::Order(spec.id.clone());
        self.authorize("order.create", &entity, actor)?;
        let problems = spec.problems();
        if !problems.is_empty() {
            return Err(Error::bad_input(format!(
                "order `{}` is not valid:\n  - {}",
                spec.id,
                problems.join("\n  - ")
            )));
        }
        if spec.total().is_none() {
            return Err(Error::bad_input(format!(
                "order `{}`: the total is too large",
                spec.id
            )));
        }
        let order = Order {
            states: self.workflow.initial_states(Scope::Order),
            spec,
            captured: Default::default(),
            refunded: Default::default(),
            refunds: Vec::new(),
            returned: BTreeMap::new(),
            notes: Vec::new(),
            attrs: BTreeMap::new(),
            rules_version: self.workflow.version.clone(),
            created_at: now,
        };
        let mut run = Run::fresh(
            &self.workflow,
            OrderAggregate {
                order,
                shipments: Vec::new(),
                payments: Vec::new(),
            },
        );
        run.settle(actor)?;
        Ok((run.agg, run.applied))
    }

    /// Adds a shipment with id `id` to the order: refused for quotes and requests, with no
    /// items, or with more of a line than is still unallocated.
    pub fn add_shipment(
        &self,
        agg: &mut OrderAggregate,
        id: &str,
        new: NewShipment,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Applied> {
        let order_ref = EntityRef::Order(agg.order.spec.id.clone());
        self.authorize("shipment.create", &order_ref, actor)?;
        check_id("shipment id", id).map_err(Error::bad_input)?;
        let refuse =
            |message: String| -> Error { Refusal::command(&order_ref, "shipment.create", message) };
        if !agg.order.spec.kind.ships() {
            return Err(refuse(format!(
                "order `{}` is a {}; quotes and requests get no shipments",
                agg.order.spec.id,
                agg.order.spec.kind.as_str()
            )));
        }
        self.check_placement(agg, "shipment.create", &order_ref)?;
        self.check_items(agg, &new.items, None, ("shipment.create", &order_ref))?;
        check_tracking(&new.tracking)?;
        let shipment = Shipment {
            id: id.to_string(),
            order_id: agg.order.spec.id.clone(),
            location: new.location,
            items: new.items,
            tracking: new.tracking,
            carrier: new.carrier,
            service: None,
            expected_delivery: new.expected_delivery,
            label: None,
            cost: None,
            carrier_handled: false,
            states: self.workflow.initial_states(Scope::Shipment),
            attrs: BTreeMap::new(),
            rules_version: self.workflow.version.clone(),
            created_at: now,
        };
        let mut run = Run::in_place(&self.workflow, std::mem::take(agg));
        run.agg.shipments.push(shipment);
        run.added(EntityRef::Shipment(id.to_string()));
        run.changed();
        let entity = EntityRef::Shipment(id.to_string());
        let done = run
            .enter_initial(&entity, actor, "shipment.create")
            .and_then(|()| run.settle(actor));
        run.finish(agg, done)
    }

    /// Adds a payment with id `id` to the order, in the initial state of every payment machine:
    /// bad input when the rules have no payment machine or the amount is above the order total.
    pub fn add_payment(
        &self,
        agg: &mut OrderAggregate,
        id: &str,
        new: NewPayment,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Applied> {
        let order_ref = EntityRef::Order(agg.order.spec.id.clone());
        self.authorize("payment.create", &order_ref, actor)?;
        check_id("payment id", id).map_err(Error::bad_input)?;
        self.check_placement(agg, "payment.create", &order_ref)?;
        new.check().map_err(Error::bad_input)?;
        if self.workflow.machines_of(Scope::Payment).next().is_none() {
            return Err(Error::bad_input_with(
                "these rules have no payment machine, so orders take no payments",
                "add a machine with `scope: payment` (see the rule reference)",
            ));
        }
        let total = agg.order.spec.total().unwrap_or_default();
        if new.amount > total {
            return Err(Error::bad_input(format!(
                "a payment of {} is above the total {total} of order `{}`",
                new.amount, agg.order.spec.id
            )));
        }
        let payment = Payment {
            id: id.to_string(),
            order_id: agg.order.spec.id.clone(),
            amount: new.amount,
            method: new.method,
            reference: new.reference,
            states: self.workflow.initial_states(Scope::Payment),
            attrs: BTreeMap::new(),
            rules_version: self.workflow.version.clone(),
            created_at: now,
        };
        let mut run = Run::in_place(&self.workflow, std::mem::take(agg));
        run.agg.payments.push(payment);
        run.added(EntityRef::Payment(id.to_string()));
        run.changed();
        let entity = EntityRef::Payment(id.to_string());
        let done = run
            .enter_initial(&entity, actor, "payment.create")
            .and_then(|()| run.settle(actor));
        run.finish(agg, done)
    }

    /// Checks shipment items: at least one, known lines, quantities above zero and within what
    /// is still unallocated (`replacing` is a shipment whose items are being replaced). A
    /// failure refuses the command `command` (its op and entity).
    pub fn check_items(
        &self,
        agg: &OrderAggregate,
        items: &[ShipmentItem],
        replacing: Option<&str>,
        command: (&str, &EntityRef),
    ) -> Result<()> {
        let mut problems = Vec::new();
        if items.is_empty() {
            problems.push("a shipment needs at least one item".to_string());
        }
        for (i, item) in items.iter().enumerate() {
            let Some(line) = agg.order.spec.line(&item.line) else {
                let ids = agg.order.spec.lines.iter().map(|l| l.id.as_str());
                problems.push(format!(
                    "item {}: order `{}` has no line `{}` ({})",
                    i + 1,
                    agg.order.spec.id,
                    item.line,
                    waybill_script::suggest::help(&item.line, ids)
                ));
                continue;
            };
            if item.qty == 0 {
                problems.push(format!(
                    "item {}: the quantity of line `{}` must be at least 1",
                    i + 1,
                    line.id
                ));
                continue;
            }
            let asked: u64 = items
                .iter()
                .filter(|it| it.line == line.id)
                .map(|it| u64::from(it.qty))
                .sum();
            let allocated = self.allocated(agg, &line.id, replacing);
            let free = u64::from(line.qty).saturating_sub(allocated);
            if asked > free && items.iter().position(|it| it.line == line.id) == Some(i) {
                problems.push(format!(
                    "line `{}`: {asked} asked but only {free} of {} are not yet in a shipment",
                    line.id, line.qty
                ));
            }
        }
        if problems.is_empty() {
            return Ok(());
        }
        Err(Refusal {
            entity: command.1.clone(),
            event: command.0.into(),
            blockers: problems
                .into_iter()
                .map(|message| Blocker::Command { message })
                .collect(),
        }
        .into())
    }

    /// Units of `line` held by live shipments (not in a `released` state), except `skip`.
    pub fn allocated(&self, agg: &OrderAggregate, line: &str, skip: Option<&str>) -> u64 {
        agg.shipments
            .iter()
            .filter(|s| Some(s.id.as_str()) != skip)
            .filter(|s| !self.is_released(s))
            .map(|s| s.qty_of(line))
            .sum()
    }

    /// Whether a shipment is in a state tagged `released` (its items are free again).
    pub fn is_released(&self, shipment: &Shipment) -> bool {
        views::shipment_tags(&self.workflow, shipment).any(|t| t == RELEASED_TAG)
    }

    /// Whether a shipment is live: not in a `released` state, and not final in every one of its
    /// machines. A tracking number belongs to one live shipment of its carrier at most.
    pub fn is_live(&self, shipment: &Shipment) -> bool {
        let finished = self.workflow.machines_of(Scope::Shipment).all(|m| {
            shipment
                .states
                .get(&m.name)
                .and_then(|state| m.states.get(state))
                .is_some_and(|def| def.is_final)
        });
        !finished && !self.is_released(shipment)
    }

    /// Fires `event` on `target` as `actor` with `input`; an input the transition does not take
    /// is bad input, naming the ones it does. On success the aggregate holds the
    /// new states and the result lists every step; on refusal or error it is unchanged.
    pub fn fire(
        &self,
        agg: &mut OrderAggregate,
        target: &EntityRef,
        event: &str,
        actor: &Actor,
        input: &Input,
    ) -> Result<Applied> {
        self.check_actor(actor)?;
        self.check_states(agg)?;
        // In place: a command that runs no effect is undone by its states, never copied.
        let mut run = Run::in_place(&self.workflow, std::mem::take(agg));
        let mut fire = || -> Result<()> {
            let found = run.resolve(target, event)?;
            let lines: Vec<&str> = run
                .agg
                .order
                .spec
                .lines
                .iter()
                .map(|l| l.id.as_str())
                .collect();
            found.1.accepts.check(event, input, &lines)?;
            run.fire_transition(target, found, actor, input, true, 0)?;
            run.settle(actor)
        };
        let done = fire();
        run.finish(agg, done)
    }

    /// Whether no automatic transition would fire on `agg`, every guard evaluated afresh.
    /// Every stored aggregate must be settled; property tests check it after each command.
    pub fn is_settled(&self, agg: &OrderAggregate) -> Result<bool> {
        let mut run = Run::fresh(&self.workflow, agg.clone());
        run.settle(&Actor::role(SYSTEM_ROLE))?;
        Ok(run.applied.steps.is_empty())
    }

    /// Every event `actor` could fire on `target` by hand, each with its blockers now.
    pub fn can(
        &self,
        agg: &OrderAggregate,
        target: &EntityRef,
        actor: &Actor,
    ) -> Result<Vec<EventCheck>> {
        self.check_actor(actor)?;
        let scope = target.scope();
        let run = Run::new(&self.workflow, agg.clone());
        let input = Input::new();
        let mut checks = Vec::new();
        for machine in self.workflow.machines_of(scope) {
            for t in machine.transitions.iter().filter(|t| !t.auto) {
                let blockers = run.blockers(target, machine, t, actor, true, &input)?;
                checks.push(EventCheck {
                    machine: machine.name.clone(),
                    event: t.event.clone(),
                    allowed: blockers.is_empty(),
                    blockers,
                });
            }
        }
        Ok(checks)
    }
}
