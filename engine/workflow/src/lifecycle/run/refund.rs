//! The `refund_payment` effect (seed 002): a refund is the amount for the items, plus a
//! shipping refund and an adjustment refund, less an adjustment fee; what goes back is above
//! zero and never more than was captured and not yet refunded.

use super::effects::EffectFailure;
use super::Run;
use crate::lifecycle::Input;
use crate::model::{Money, Refund};

impl Run<'_> {
    /// Records a refund of the parts named in `input`, each optional but at least one given.
    pub(super) fn refund(&mut self, input: &Input) -> Result<(), EffectFailure> {
        if !crate::rules::format::REFUND_INPUTS
            .iter()
            .any(|name| input.contains_key(*name))
        {
            return Err(EffectFailure::Invalid(
                "give the amount as input, e.g. --input amount=12.50 (and, if any, shipping_refund, adjustment_refund, adjustment_fee)".into(),
            ));
        }
        let amount = match input.get("amount") {
            Some(_) => super::effects::positive_amount(input)?,
            None => Money::ZERO,
        };
        let shipping_refund = part(input, "shipping_refund")?;
        let adjustment_refund = part(input, "adjustment_refund")?;
        let adjustment_fee = part(input, "adjustment_fee")?;
        let total = [amount, shipping_refund, adjustment_refund]
            .iter()
            .try_fold(0_i64, |sum, m| sum.checked_add(m.0))
            .and_then(|sum| sum.checked_sub(adjustment_fee.0))
            .map(Money)
            .ok_or_else(|| EffectFailure::Invalid("the refund's parts are too large".into()))?;
        if total <= Money::ZERO {
            return Err(EffectFailure::Blocked(format!(
                "the refund comes to {total} ({amount} + shipping {shipping_refund} + adjustment {adjustment_refund} - fee {adjustment_fee}); it must be above 0"
            )));
        }
        let order = &mut self.agg.order;
        let after = order.refunded.0.checked_add(total.0).map(Money);
        match after {
            Some(after) if after <= order.captured => {
                order.refunded = after;
                order.refunds.push(Refund {
                    amount,
                    shipping_refund,
                    adjustment_refund,
                    adjustment_fee,
                    total,
                });
                Ok(())
            }
            _ => Err(EffectFailure::Blocked(format!(
                "refunding {total} would bring refunds to {}, above the {} captured",
                Money(order.refunded.0.saturating_add(total.0)),
                order.captured
            ))),
        }
    }
}

/// An optional part of a refund: an amount of at least zero, zero when not given.
fn part(input: &Input, name: &str) -> Result<Money, EffectFailure> {
    let Some(value) = input.get(name) else {
        return Ok(Money::ZERO);
    };
    let amount =
        Money::from_json(value).map_err(|e| EffectFailure::Invalid(format!("{name}: {e}")))?;
    if amount < Money::ZERO {
        return Err(EffectFailure::Invalid(format!(
            "{name} must be at least 0, not {amount}"
        )));
    }
    Ok(amount)
}
