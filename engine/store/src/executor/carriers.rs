//! Carrier commands of the executor: labels, voids, rates and tracking-number checks (webhooks
//! are in `carrier_events.rs`).

use super::{Ctx, Executor};
use crate::command::Reply;
use crate::error::{Error, Result};
use rhai::{Dynamic, Map};
use waybill_carriers::{tracking, Adapter, Rate};
use waybill_workflow::model::{EntityRef, OrderAggregate, Shipment, Tracking};
use waybill_workflow::BadInput;
use waybill_workflow::{Actor, LabelInfo, Refusal, SYSTEM_ROLE};

impl Executor {
    /// The adapter for `carrier`, or the shipment's, or the order's.
    fn adapter_for(
        &self,
        agg: &OrderAggregate,
        shipment: &Shipment,
        carrier: Option<&str>,
    ) -> Result<Adapter> {
        let id = carrier
            .map(String::from)
            .or_else(|| shipment.carrier.clone())
            .or_else(|| agg.order.spec.shipping.carrier.clone())
            .ok_or_else(|| {
                Error::bad_input_with(
                    format!("shipment {} has no carrier", shipment.id),
                    "name one with --carrier (`waybill carrier list` shows them)",
                )
            })?;
        Ok(self.carriers.load(&id)?)
    }

    /// What an adapter is told about a parcel.
    fn parcel(
        &self,
        agg: &OrderAggregate,
        shipment: &Shipment,
        service: Option<&str>,
    ) -> Result<Map> {
        let spec = &agg.order.spec;
        let weight: i64 = shipment
            .items
            .iter()
            .map(|i| {
                i64::from(i.qty)
                    * i64::from(spec.line(&i.line).and_then(|l| l.weight_g).unwrap_or(0))
            })
            .sum();
        let from_country = match &shipment.location {
            Some(l) => self.location(l).ok().and_then(|l| l.country),
            None => None,
        };
        let address = &spec.shipping.address;
        let text = |v: &Option<String>| v.clone().map(Dynamic::from).unwrap_or(Dynamic::UNIT);
        let mut m = Map::new();
        m.insert("shipment".into(), shipment.id.clone().into());
        m.insert("order".into(), spec.id.clone().into());
        m.insert(
            "service".into(),
            service
                .map(|s| Dynamic::from(s.to_string()))
                .unwrap_or(Dynamic::UNIT),
        );
        m.insert("weight_g".into(), Dynamic::from_int(weight));
        m.insert("items".into(), Dynamic::from_int(shipment.qty() as i64));
        m.insert(
            "from_country".into(),
            text(&from_country.or(Some(address.country.clone()))),
        );
        m.insert("to_country".into(), address.country.clone().into());
        m.insert("to_postcode".into(), text(&address.postcode));
        m.insert("to_city".into(), text(&address.city));
        // What a real carrier's label needs too: who and where exactly.
        m.insert("to_street".into(), text(&address.street));
        m.insert("to_name".into(), text(&spec.customer.name));
        m.insert("to_email".into(), text(&spec.customer.email));
        m.insert("to_phone".into(), text(&spec.customer.phone));
        Ok(m)
    }

    /// Prices of every carrier (or one) for a shipment, cheapest first. Asking every carrier,
    /// one that fails is skipped and named in the second list.
    pub fn rates(
        &self,
        shipment_id: &str,
        carrier: Option<&str>,
    ) -> Result<(Vec<Rate>, Vec<String>)> {
        let (agg, shipment) = self.shipment(shipment_id)?;
        let ids = match carrier {
            Some(c) => vec![c.to_string()],
            None => self.carriers.ids(),
        };
        let mut rates = Vec::new();
        let mut skipped = Vec::new();
        for id in ids {
            let answer = self
                .carriers
                .load(&id)
                .map_err(Error::from)
                .and_then(|adapter| {
                    if carrier.is_none() && !adapter.supports("rates", 1) {
                        return Ok(Vec::new());
                    }
                    Ok(adapter.rates(self.parcel(&agg, &shipment, None)?)?)
                });
            match answer {
                Ok(r) => rates.extend(r),
                Err(e) if carrier.is_none() => skipped.push(format!("{id}: {e}")),
                Err(e) => return Err(e),
            }
        }
        rates.sort_by_key(|r| r.price);
        Ok((rates, skipped))
    }

    /// Buys a label and stores it; the carrier then handles the shipment.
    pub(super) fn label(
        &mut self,
        id: &str,
        carrier: Option<&str>,
        service: Option<&str>,
        ctx: Ctx,
    ) -> Result<Reply> {
        let entity = EntityRef::Shipment(id.to_string());
        self.lifecycle.authorize(ctx.op, &entity, ctx.actor)?;
        let (mut agg, shipment) = self.shipment(id)?;
        // Nothing is bought for a label the rules would refuse.
        self.lifecycle.check_label(&agg, id, ctx.actor)?;
        let adapter = self.adapter_for(&agg, &shipment, carrier)?;
        if let Some(s) = service {
            if !adapter.meta.services.is_empty() && !adapter.meta.services.iter().any(|x| x == s) {
                return Err(Error::bad_input_with(
                    format!("carrier `{}` has no service `{s}`", adapter.meta.id),
                    waybill_script::suggest::help(
                        s,
                        adapter.meta.services.iter().map(String::as_str),
                    ),
                ));
            }
        }
        let label = adapter.create_label(self.parcel(&agg, &shipment, service)?)?;
        let label_file = self
            .label_dir
            .as_ref()
            .map(|dir| dir.join(format!("{id}.label")));
        let label_path = match &label_file {
            Some(path) => path.display().to_string(),
            None => format!("(not kept) {id}.label"),
        };
        let info = LabelInfo {
            carrier: adapter.meta.id.clone(),
            service: service.map(String::from),
            tracking: Tracking {
                code: label.tracking_number.clone(),
                carrier: Some(adapter.meta.id.clone()),
                url: adapter.tracking_url(&label.tracking_number),
            },
            label_path: label_path.clone(),
            cost: label.cost,
        };
        let applied = self.lifecycle.attach_label(&mut agg, id, info, ctx.actor)?;
        if let Some(path) = &label_file {
            write_label(path, &label.label)?;
        }
        let reason = format!(
            "{} label {} for {} at {label_path}",
            adapter.meta.id, label.tracking_number, label.cost
        );
        self.record_command(&agg, &entity, Some(reason), ctx);
        self.save(agg, &applied, &entity, ctx)?;
        let number = tracking::normalize(&label.tracking_number);
        self.index_tracking(&adapter.meta.id, &number, id);
        Ok(Reply {
            events: vec![format!("tracking {} ({label_path})", label.tracking_number)],
            ..Reply::ok(ctx.op, entity, &applied)
        })
    }

    /// Cancels a carrier-handled shipment through its carrier, following its answer.
    pub(super) fn void(&mut self, id: &str, ctx: Ctx) -> Result<Reply> {
        let entity = EntityRef::Shipment(id.to_string());
        self.lifecycle.authorize(ctx.op, &entity, ctx.actor)?;
        let (mut agg, shipment) = self.shipment(id)?;
        let refuse =
            |message: String| -> Error { Refusal::command(&entity, ctx.op, message).into() };
        if !shipment.carrier_handled {
            return Err(refuse(format!("shipment {id} is not handled by a carrier; cancel it with `shipment fire {id} cancel`")));
        }
        // Ask the carrier only if the rules would let the shipment be canceled now.
        let system = Actor::role(SYSTEM_ROLE);
        let checks = self.lifecycle.can(&agg, &entity, &system)?;
        if let Some(check) = checks
            .iter()
            .find(|c| c.event == "carrier_cancel" && !c.allowed)
        {
            let why: Vec<String> = check.blockers.iter().map(ToString::to_string).collect();
            return Err(refuse(format!(
                "shipment {id} can't be canceled now (`carrier_cancel`): {}",
                why.join("; ")
            )));
        }
        let adapter = self.adapter_for(&agg, &shipment, None)?;
        let number = shipment
            .tracking
            .iter()
            .rev()
            .find(|t| t.carrier.as_deref() == Some(&adapter.meta.id))
            .map(|t| t.code.clone())
            .unwrap_or_default();
        let mut reference = Map::new();
        reference.insert("tracking_number".into(), number.into());
        reference.insert("shipment".into(), id.into());
        if let Some(reason) = adapter.cancel(reference)? {
            return Err(refuse(format!(
                "carrier `{}` did not cancel: {reason}",
                adapter.meta.id
            )));
        }
        let applied = self.lifecycle.fire(
            &mut agg,
            &entity,
            "carrier_cancel",
            &Actor::role(SYSTEM_ROLE),
            &Default::default(),
        )?;
        self.save(agg, &applied, &entity, ctx)?;
        Ok(Reply::ok(ctx.op, entity, &applied))
    }

    /// Normalizes tracking codes ([`tracking::normalize`]); checks those of a carrier (known:
    /// [`Command::check`](crate::Command::check) refused the others) against its pattern and check digit, filling in their tracking URL; and refuses a
    /// number that another live shipment of the same carrier carries. `shipment` is the shipment
    /// that will carry them, `carrier` the carrier of a code that names none.
    pub(super) fn check_tracking_codes(
        &self,
        codes: &mut [Tracking],
        shipment: &str,
        carrier: Option<&str>,
    ) -> Result<()> {
        for t in codes.iter_mut() {
            t.code = tracking::normalize(&t.code);
            if let Some(c) = &t.carrier {
                let adapter = self.carriers.load(c)?;
                adapter.check_tracking(&t.code).map_err(Error::bad_input)?;
                if t.url.is_none() {
                    t.url = adapter.tracking_url(&t.code);
                }
            }
            let Some(c) = code_carrier(t, carrier) else {
                continue;
            };
            if let Some(owner) = self.live_owner(c, &t.code, shipment)? {
                return Err(Error::bad_input_with(
                    format!(
                        "tracking number {} of {c} is already on shipment {owner}; shipment {shipment} can't carry it too",
                        t.code
                    ),
                    format!("a tracking number belongs to one live shipment of its carrier; check the number, or cancel {owner} first"),
                ));
            }
        }
        Ok(())
    }

    /// The live shipment other than `me` that carries `carrier`'s `number`, if any.
    fn live_owner(&self, carrier: &str, number: &str, me: &str) -> Result<Option<String>> {
        let Some(owner) = self.tracking_owner(carrier, number)?.filter(|o| o != me) else {
            return Ok(None);
        };
        let live = self
            .shipment(&owner)
            .is_ok_and(|(_, s)| self.lifecycle.is_live(&s));
        Ok(live.then_some(owner))
    }
}

/// The carrier a tracking code belongs to: its own, else `fallback` (the shipment's or the
/// order's). A code of no carrier is not indexed: no carrier's events can name it.
pub(super) fn code_carrier<'a>(code: &'a Tracking, fallback: Option<&'a str>) -> Option<&'a str> {
    code.carrier.as_deref().or(fallback)
}

/// Writes a label file whole (through a temporary file beside it), making its folder.
fn write_label(path: &std::path::Path, label: &str) -> Result<()> {
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::Storage(format!("cannot create {}: {e}", dir.display())))?;
    let tmp = dir.join(format!(
        ".{}.tmp",
        path.file_name().unwrap_or_default().to_string_lossy()
    ));
    std::fs::write(&tmp, label)
        .and_then(|_| std::fs::rename(&tmp, path))
        .map_err(|e| Error::Storage(format!("cannot write {}: {e}", path.display())))
}
