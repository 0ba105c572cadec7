//! Commands that change an order or shipment without a transition: notes, customer changes,
//! shipment edits and deletions. Each is checked against the rules' `commands:` roles, then runs
//! the automatic transitions like any other change.

use super::run::Run;
use super::{Actor, Applied, Lifecycle, Refusal, StockAction, StockMove};
use crate::error::{Error, Result};
use crate::model::{
    CarrierReport, Customer, EntityRef, Note, OrderAggregate, ShipmentItem, Tracking,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Changes to a shipment; fields left out stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipmentEdit {
    /// New items (replacing the old ones).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<ShipmentItem>>,
    /// New expected delivery date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_delivery: Option<NaiveDate>,
    /// Tracking codes to add.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub add_tracking: Vec<Tracking>,
    /// Tracking codes to take off (each must be on the shipment).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove_tracking: Vec<String>,
    /// New carrier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carrier: Option<String>,
    /// New location to ship from; what the shipment holds moves with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

impl Lifecycle {
    /// Adds a note to the order (seed 002).
    pub fn add_note(
        &self,
        agg: &mut OrderAggregate,
        text: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.authorize(
            "order.note",
            &EntityRef::Order(agg.order.spec.id.clone()),
            actor,
        )?;
        if text.trim().is_empty() {
            return Err(Error::bad_input("the note is empty"));
        }
        agg.order.notes.push(Note {
            at: now,
            by: actor.role.clone(),
            text: text.to_string(),
            edited_at: None,
        });
        Ok(())
    }

    /// Changes the order's customer (seed 002 "changing customers"): the fields `customer`
    /// gives replace the old ones, the others stay.
    pub fn change_customer(
        &self,
        agg: &mut OrderAggregate,
        customer: Customer,
        actor: &Actor,
    ) -> Result<Applied> {
        self.authorize(
            "order.edit",
            &EntityRef::Order(agg.order.spec.id.clone()),
            actor,
        )?;
        let mut run = Run::new(self.workflow(), agg.clone());
        run.agg.order.spec.customer = run.agg.order.spec.customer.updated(&customer);
        run.changed();
        run.settle(actor)?;
        *agg = run.agg;
        Ok(run.applied)
    }

    /// Edits a shipment: refused when a carrier handles it (seed 002), and item changes are
    /// refused once it has left (state tagged `shipped` or `released`).
    pub fn edit_shipment(
        &self,
        agg: &mut OrderAggregate,
        id: &str,
        edit: ShipmentEdit,
        actor: &Actor,
    ) -> Result<Applied> {
        let entity = EntityRef::Shipment(id.to_string());
        self.authorize("shipment.edit", &entity, actor)?;
        let shipment = agg
            .shipment(id)
            .ok_or_else(|| Error::bad_input(format!("shipment `{id}` not found")))?;
        self.check_placement(agg, "shipment.edit", &entity)?;
        let refuse =
            |message: String| -> Error { Refusal::command(&entity, "shipment.edit", message) };
        if shipment.carrier_handled {
            return Err(refuse(
                "the carrier handles this shipment; it can't be edited by hand".into(),
            ));
        }
        let rebooks = edit.items.is_some() || edit.location.is_some();
        if rebooks && (self.has_left(shipment) || self.is_released(shipment)) {
            return Err(refuse(
                "the shipment has left or was canceled; its items and location can't change".into(),
            ));
        }
        if let Some(items) = &edit.items {
            self.check_items(agg, items, Some(id), ("shipment.edit", &entity))?;
        }
        let before = shipment.items.clone();
        let mut run = Run::new(self.workflow(), agg.clone());
        let shipment = run.agg.shipment_mut(id).expect("checked above");
        if let Some(items) = edit.items {
            shipment.items = items;
        }
        if let Some(location) = edit.location {
            shipment.location = Some(location);
        }
        if rebooks {
            // What it holds follows its items and location: lines taken out give theirs back.
            let shipment = shipment.clone();
            let spec = &run.agg.order.spec;
            let sku = |line: &str| spec.line(line).map(|l| l.sku.clone()).unwrap_or_default();
            let mut items: Vec<(String, String, u32)> = Vec::new();
            for item in &shipment.items {
                if !items.iter().any(|(line, _, _)| *line == item.line) {
                    let qty = u32::try_from(shipment.qty_of(&item.line)).unwrap_or(u32::MAX);
                    items.push((item.line.clone(), sku(&item.line), qty));
                }
            }
            for old in &before {
                if !items.iter().any(|(line, _, _)| *line == old.line) {
                    items.push((old.line.clone(), sku(&old.line), 0));
                }
            }
            run.applied.stock.push(StockMove {
                action: StockAction::Adjust,
                shipment: id.to_string(),
                location: shipment.location.clone(),
                items,
            });
        }
        let shipment = run.agg.shipment_mut(id).expect("checked above");
        if let Some(date) = edit.expected_delivery {
            shipment.expected_delivery = Some(date);
        }
        if let Some(carrier) = edit.carrier {
            shipment.carrier = Some(carrier);
        }
        super::check_tracking(&edit.add_tracking)?;
        for code in &edit.remove_tracking {
            if !shipment.tracking.iter().any(|t| t.code == *code) {
                let have: Vec<&str> = shipment.tracking.iter().map(|t| t.code.as_str()).collect();
                return Err(Error::bad_input(format!(
                    "shipment {id} has no tracking code {code} (it has: {})",
                    if have.is_empty() {
                        "none".to_string()
                    } else {
                        have.join(", ")
                    }
                )));
            }
        }
        shipment
            .tracking
            .retain(|t| !edit.remove_tracking.contains(&t.code));
        for t in edit.add_tracking {
            if !shipment.tracking.iter().any(|have| have.code == t.code) {
                shipment.tracking.push(t);
            }
        }
        run.changed();
        run.settle(actor)?;
        *agg = run.agg;
        Ok(run.applied)
    }

    /// Deletes a shipment that has not left; its reservation is released (seed 004).
    pub fn delete_shipment(
        &self,
        agg: &mut OrderAggregate,
        id: &str,
        actor: &Actor,
    ) -> Result<Applied> {
        let entity = EntityRef::Shipment(id.to_string());
        self.authorize("shipment.delete", &entity, actor)?;
        let shipment = agg
            .shipment(id)
            .ok_or_else(|| Error::bad_input(format!("shipment `{id}` not found")))?;
        self.check_placement(agg, "shipment.delete", &entity)?;
        let refuse =
            |message: &str| -> Error { Refusal::command(&entity, "shipment.delete", message) };
        if shipment.carrier_handled {
            return Err(refuse(
                "the carrier handles this shipment; cancel it through the carrier",
            ));
        }
        if self.has_left(shipment) {
            return Err(refuse("the shipment has left; it can't be deleted"));
        }
        let released = !self.is_released(shipment);
        let items = shipment
            .items
            .iter()
            .map(|i| {
                let sku = agg
                    .order
                    .spec
                    .line(&i.line)
                    .map(|l| l.sku.clone())
                    .unwrap_or_default();
                (i.line.clone(), sku, i.qty)
            })
            .collect();
        let location = shipment.location.clone();
        let mut run = Run::new(self.workflow(), agg.clone());
        run.agg.shipments.retain(|s| s.id != id);
        run.changed();
        if released {
            run.applied.stock.push(StockMove {
                action: StockAction::Release,
                shipment: id.to_string(),
                location,
                items,
            });
        }
        run.settle(actor)?;
        *agg = run.agg;
        Ok(run.applied)
    }

    /// Whether a shipment has left the warehouse (a state tagged `shipped`).
    pub fn has_left(&self, shipment: &crate::model::Shipment) -> bool {
        super::views::shipment_tags(self.workflow(), shipment).any(|t| t == "shipped")
    }

    /// Checks that every state of the aggregate is known to these rules; an entity made under
    /// other rules may sit in a state these rules dropped, and that must be said, not guessed.
    pub fn check_states(&self, agg: &OrderAggregate) -> Result<()> {
        let workflow = self.workflow();
        let order = std::iter::once((
            &agg.order.spec.id,
            &agg.order.states,
            &agg.order.rules_version,
            EntityRef::Order as fn(String) -> EntityRef,
        ));
        let shipments = agg.shipments.iter().map(|s| {
            (
                &s.id,
                &s.states,
                &s.rules_version,
                EntityRef::Shipment as fn(String) -> EntityRef,
            )
        });
        let payments = agg.payments.iter().map(|p| {
            (
                &p.id,
                &p.states,
                &p.rules_version,
                EntityRef::Payment as fn(String) -> EntityRef,
            )
        });
        for (id, states, version, entity) in order.chain(shipments).chain(payments) {
            for (machine, state) in states {
                let known = workflow
                    .machine(machine)
                    .is_some_and(|m| m.states.contains_key(state));
                if !known {
                    return Err(Error::bad_input_with(
                        format!(
                            "{} is in state `{state}` of machine `{machine}`, which these rules (version {}) don't know; it was created under rules version {version}",
                            entity(id.clone()),
                            workflow.version
                        ),
                        "run `waybill rules migrate --check FILE` to list such entities, and add the state back or move them first",
                    ));
                }
            }
        }
        Ok(())
    }
}

/// A label bought from a carrier for a shipment.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelInfo {
    /// The carrier id.
    pub carrier: String,
    /// The service.
    pub service: Option<String>,
    /// The tracking code, with the carrier's tracking URL.
    pub tracking: Tracking,
    /// Where the label file is.
    pub label_path: String,
    /// What it cost.
    pub cost: crate::model::Money,
}

impl Lifecycle {
    /// Attaches a bought label: from now on the carrier handles the shipment (seed 002), so it
    /// can't be edited or canceled by hand.
    pub fn attach_label(
        &self,
        agg: &mut OrderAggregate,
        id: &str,
        label: LabelInfo,
        actor: &Actor,
    ) -> Result<Applied> {
        self.check_label(agg, id, actor)?;
        let mut run = Run::new(self.workflow(), agg.clone());
        let s = run.agg.shipment_mut(id).expect("checked above");
        s.carrier = Some(label.carrier);
        s.service = label.service;
        s.tracking.push(label.tracking);
        s.label = Some(label.label_path);
        s.cost = Some(label.cost);
        s.carrier_handled = true;
        run.changed();
        run.settle(actor)?;
        *agg = run.agg;
        Ok(run.applied)
    }

    /// Refuses a label for shipment `id` that [`Lifecycle::attach_label`] would refuse, so it
    /// is asked before a label is bought: the role, where shipments may change, a label it
    /// already has, a shipment that left or was canceled.
    pub fn check_label(&self, agg: &OrderAggregate, id: &str, actor: &Actor) -> Result<()> {
        let entity = EntityRef::Shipment(id.to_string());
        self.authorize("shipment.label", &entity, actor)?;
        let shipment = agg
            .shipment(id)
            .ok_or_else(|| Error::bad_input(format!("shipment `{id}` not found")))?;
        self.check_placement(agg, "shipment.label", &entity)?;
        let refuse =
            |message: String| -> Error { Refusal::command(&entity, "shipment.label", message) };
        if shipment.carrier_handled {
            return Err(refuse(format!(
                "shipment {id} already has a label from {}",
                shipment.carrier.clone().unwrap_or_default()
            )));
        }
        if self.has_left(shipment) || self.is_released(shipment) {
            return Err(refuse(format!(
                "shipment {id} has left or was canceled; a label is no use"
            )));
        }
        Ok(())
    }

    /// Records the carrier event a shipment follows now, its latest meaningful one (attributes
    /// `carrier_status`, `carrier_status_raw`, `carrier_event_at`, `carrier_event_id`, readable
    /// by guards).
    pub fn note_carrier_status(
        &self,
        agg: &mut OrderAggregate,
        id: &str,
        report: &CarrierReport,
        actor: &Actor,
    ) -> Result<Applied> {
        let mut run = Run::new(self.workflow(), agg.clone());
        let s = run
            .agg
            .shipment_mut(id)
            .ok_or_else(|| Error::bad_input(format!("shipment `{id}` not found")))?;
        s.attrs
            .insert("carrier_status".into(), report.status.as_str().into());
        s.attrs
            .insert("carrier_status_raw".into(), report.raw.clone().into());
        s.attrs
            .insert("carrier_event_at".into(), report.at.to_rfc3339().into());
        s.attrs
            .insert("carrier_event_id".into(), report.event_id.clone().into());
        run.changed();
        run.settle(actor)?;
        *agg = run.agg;
        Ok(run.applied)
    }
}
