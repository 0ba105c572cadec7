//! What transitions do: the closed set of effects (stock, money, returns, notifications,
//! cascades, fields), each turned into a refusal, bad input or an error when it can't apply.

use super::Run;
use super::MAX_CASCADE_DEPTH;
use crate::compiled::Machine;
use crate::error::{Error, Result};
use crate::lifecycle::outcome::{Blocker, Notification, Refusal, Skipped, StockAction, StockMove};
use crate::lifecycle::{Actor, Input};
use crate::model::{EntityRef, Money};
use crate::rules::format::CascadeDef;
use crate::rules::{EffectDef, Scope};

impl Run<'_> {
    /// Customer returns never exceed the units still out in shipments tagged `shipped`: a
    /// shipment whose units the customer already returned can't also come back to the sender.
    pub(super) fn check_returns(&self, entity: &EntityRef, event: &str) -> Result<()> {
        for line in &self.agg.order.spec.lines {
            let returned = u64::from(self.agg.order.returned.get(&line.id).copied().unwrap_or(0));
            if returned == 0 {
                continue;
            }
            let out: u64 = self
                .agg
                .shipments
                .iter()
                .filter(|s| {
                    crate::lifecycle::views::shipment_tags(self.workflow, s).any(|t| t == "shipped")
                })
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

    /// What the order's payments keep: those in states tagged `captured` and not `refunded`.
    pub(super) fn captured_by_payments(&self) -> i64 {
        use crate::lifecycle::views::{payment_tags, CAPTURED_TAG, REFUNDED_TAG};
        self.agg
            .payments
            .iter()
            .filter(|p| {
                let tags: Vec<&str> = payment_tags(self.workflow, p).collect();
                tags.contains(&CAPTURED_TAG) && !tags.contains(&REFUNDED_TAG)
            })
            .map(|p| p.amount.0)
            .sum()
    }

    /// What is kept (captured by `capture_payment` and by payments in `captured` states, less
    /// what went back) never exceeds the order total: a payment whose capture would go above it
    /// is refused. A refunded payment keeps nothing, so the order can be paid again.
    pub(super) fn check_captured(&self, entity: &EntityRef, event: &str) -> Result<()> {
        let total = self.agg.order.spec.total().unwrap_or_default();
        let order = &self.agg.order;
        let captured = Money(order.captured.0 - order.refunded.0 + self.captured_by_payments());
        if captured <= total {
            return Ok(());
        }
        Err(Refusal {
            entity: entity.clone(),
            event: event.to_string(),
            blockers: vec![Blocker::Effect {
                effect: "capture".into(),
                message: format!(
                    "{entity} would bring the captured amount to {captured}, above the order total {total}"
                ),
            }],
        }
        .into())
    }

    /// Applies one effect, turning its failure into a refusal or an error.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn run_effect(
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
        let changes = changes_aggregate(effect);
        if changes {
            self.before_effect();
        }
        let result = self.effect(entity, machine, event, state, effect, actor, input, depth);
        if changes {
            self.changed();
        }
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

    /// Applies one effect of a transition into `state`.
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
        let total = self.agg.order.spec.total().unwrap_or_default();
        match effect {
            EffectDef::CapturePayment => {
                let amount = positive_amount(input)?;
                let payments = self.captured_by_payments();
                let order = &mut self.agg.order;
                let after = order.captured.0 + payments + amount.0;
                if after > total.0 {
                    return Err(EffectFailure::Blocked(format!(
                        "capturing {amount} would bring the captured amount to {}, above the order total {total}",
                        Money(after)
                    )));
                }
                order.captured = Money(after - payments);
            }
            EffectDef::RefundPayment => self.refund(input)?,
            EffectDef::ReturnItems => self.return_items(input)?,
            EffectDef::Notify(notify) => self.applied.notifications.push(Notification {
                topic: notify.topic.clone(),
                channel: notify.channel,
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
                    EntityRef::Payment(id) => match self.agg.payment_mut(id) {
                        Some(p) => &mut p.attrs,
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
                self.cascade(entity, event, cascade, actor, input, depth)?;
            }
            EffectDef::ReserveStock => self.stock(entity, StockAction::Reserve),
            EffectDef::DecrementStock => self.stock(entity, StockAction::Decrement),
            EffectDef::ReleaseStock => self.stock(entity, StockAction::Release),
            EffectDef::RestoreStock => self.stock(entity, StockAction::Restore),
        }
        Ok(())
    }

    /// Fires a cascade's event on its targets: the order, the shipment or payment itself, or
    /// every shipment or payment of the order (for a required cascade, those whose state allows the event). An
    /// optional cascade skips a target that can't take the event and lists it in the step of
    /// `event` on `entity` (an `enter` effect of a new entity's initial state has no step, so
    /// what it skips is not listed); a guard that fails to run is never skipped.
    fn cascade(
        &mut self,
        entity: &EntityRef,
        event: &str,
        cascade: &CascadeDef,
        actor: &Actor,
        input: &Input,
        depth: usize,
    ) -> std::result::Result<(), EffectFailure> {
        let workflow = self.workflow;
        let machine = workflow.machine(&cascade.machine).expect("validated");
        let t = machine.transition(&cascade.event).expect("validated");
        let fires = |states: &std::collections::BTreeMap<String, String>| {
            states.get(&machine.name).is_some_and(|st| t.fires_from(st))
        };
        let targets: Vec<EntityRef> = match (machine.scope, entity) {
            (Scope::Order, _) => vec![EntityRef::Order(self.agg.order.spec.id.clone())],
            (Scope::Shipment, EntityRef::Shipment(id)) => vec![EntityRef::Shipment(id.clone())],
            (Scope::Payment, EntityRef::Payment(id)) => vec![EntityRef::Payment(id.clone())],
            (Scope::Shipment, _) => self
                .agg
                .shipments
                .iter()
                .filter(|s| cascade.optional || fires(&s.states))
                .map(|s| EntityRef::Shipment(s.id.clone()))
                .collect(),
            (Scope::Payment, _) => self
                .agg
                .payments
                .iter()
                .filter(|p| cascade.optional || fires(&p.states))
                .map(|p| EntityRef::Payment(p.id.clone()))
                .collect(),
        };
        for target in targets {
            if cascade.optional {
                let blockers = self
                    .blockers(&target, machine, t, actor, false, input)
                    .map_err(EffectFailure::Error)?;
                let broken = blockers
                    .iter()
                    .any(|b| matches!(b, Blocker::GuardError { .. }));
                if !blockers.is_empty() && !broken {
                    let step = self
                        .applied
                        .steps
                        .iter_mut()
                        .rev()
                        .find(|s| &s.entity == entity && s.event == event);
                    if let Some(step) = step {
                        step.skipped.push(Skipped {
                            entity: target,
                            machine: machine.name.clone(),
                            event: cascade.event.clone(),
                            blockers,
                        });
                    }
                    continue;
                }
            }
            match self.fire_transition(&target, (machine, t), actor, input, false, depth + 1) {
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
                .filter(|s| {
                    crate::lifecycle::views::shipment_tags(self.workflow, s).any(|t| t == "shipped")
                })
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
}

/// Why an effect could not be applied.
pub(super) enum EffectFailure {
    /// The rules' data forbid it: a refusal.
    Blocked(String),
    /// A cascaded transition was refused.
    Cascade(Blocker),
    /// The input is malformed (not a refusal: nothing is recorded).
    Invalid(String),
    /// Something broke.
    Error(Error),
}

pub(super) fn positive_amount(input: &Input) -> std::result::Result<Money, EffectFailure> {
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

/// Whether `effect` may change the aggregate: stock moves and notifications only add to what
/// the command applied (the caller books the stock and sends the messages), so the facts guards
/// read stay as they were, and an in-place run needs no copy for them.
fn changes_aggregate(effect: &EffectDef) -> bool {
    !matches!(
        effect,
        EffectDef::Notify(_)
            | EffectDef::ReserveStock
            | EffectDef::DecrementStock
            | EffectDef::ReleaseStock
            | EffectDef::RestoreStock
    )
}
