//! Where shipments belong: the rules' `shipments:` says in which states of the order's
//! machines shipments may be made (`create_in`) and changed (`change_in`), so no shipment is
//! made for a draft or a canceled order.

use super::{Lifecycle, Refusal};
use crate::error::Result;
use crate::model::{EntityRef, OrderAggregate};

impl Lifecycle {
    /// Refuses the shipment command `op` (`shipment.create`, `shipment.split`, `shipment.edit`,
    /// `shipment.delete`, `shipment.label`) on `entity` unless every order machine the rules'
    /// `shipments:` lists for it is in one of the states listed.
    pub fn check_placement(
        &self,
        agg: &OrderAggregate,
        op: &str,
        entity: &EntityRef,
    ) -> Result<()> {
        let rules = &self.workflow().rules.shipments;
        let (kind, allowed, done) = match op {
            "shipment.create" | "shipment.split" => ("create_in", &rules.create_in, "made"),
            _ => ("change_in", &rules.change_in, "changed"),
        };
        for (machine, states) in allowed {
            let state = agg
                .order
                .states
                .get(machine)
                .map(String::as_str)
                .unwrap_or("");
            if !states.iter().any(|s| s == state) {
                return Err(Refusal::command(
                    entity,
                    op,
                    format!(
                        "shipments can't be {done} while {machine} is `{state}`; the rules' `shipments.{kind}` allow {machine}: {}",
                        states.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }
}
