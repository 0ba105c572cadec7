//! Where shipments and payments belong: the rules' `shipments:` and `payments:` say in which
//! states of the order's machines they may be made (`create_in`) and changed or fired
//! (`change_in`), so no shipment is made for a draft order, and neither a shipment nor a payment
//! for a canceled one.

use super::{Lifecycle, Refusal};
use crate::error::Result;
use crate::model::{EntityRef, OrderAggregate};

impl Lifecycle {
    /// Refuses the command `op` (`shipment.create`, `shipment.split`, `shipment.edit`,
    /// `shipment.delete`, `shipment.label`, `payment.create`, `payment.fire`) on `entity` unless
    /// every order machine the rules' `shipments:` or `payments:` lists for it is in one of the
    /// states listed.
    pub fn check_placement(
        &self,
        agg: &OrderAggregate,
        op: &str,
        entity: &EntityRef,
    ) -> Result<()> {
        let rules = &self.workflow().rules;
        let (what, kind, allowed, done) = match op {
            "shipment.create" | "shipment.split" => {
                ("shipments", "create_in", &rules.shipments.create_in, "made")
            }
            "payment.create" => ("payments", "create_in", &rules.payments.create_in, "made"),
            "payment.fire" => ("payments", "change_in", &rules.payments.change_in, "fired"),
            _ => (
                "shipments",
                "change_in",
                &rules.shipments.change_in,
                "changed",
            ),
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
                        "{what} can't be {done} while {machine} is `{state}`; the rules' `{what}.{kind}` allow {machine}: {}",
                        states.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }
}
