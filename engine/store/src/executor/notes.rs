//! Note commands beyond adding one: edit and delete (seed 002), each kept in the history with
//! the text it replaced or removed.

use super::{Ctx, Executor};
use crate::command::Reply;
use crate::error::Result;
use waybill_workflow::model::EntityRef;
use waybill_workflow::Applied;

impl Executor {
    /// `order.note_edit`: new text for note `number` (counted from 1).
    pub(super) fn edit_note(
        &mut self,
        id: &str,
        number: u32,
        text: &str,
        ctx: Ctx,
    ) -> Result<Reply> {
        let mut agg = self.order(id)?;
        let old = self
            .lifecycle
            .edit_note(&mut agg, number, text, ctx.actor, ctx.now)?;
        let reason = format!("note {number}: {text} (was: {old})");
        self.save_note_change(agg, reason, ctx)
    }

    /// `order.note_delete`: note `number` (counted from 1) removed.
    pub(super) fn delete_note(&mut self, id: &str, number: u32, ctx: Ctx) -> Result<Reply> {
        let mut agg = self.order(id)?;
        let note = self.lifecycle.delete_note(&mut agg, number, ctx.actor)?;
        let reason = format!("note {number} deleted: {}", note.text);
        self.save_note_change(agg, reason, ctx)
    }

    fn save_note_change(
        &mut self,
        agg: waybill_workflow::OrderAggregate,
        reason: String,
        ctx: Ctx,
    ) -> Result<Reply> {
        let entity = EntityRef::Order(agg.order.spec.id.clone());
        self.record_command(&agg, &entity, Some(reason), ctx);
        self.save(agg, &Applied::default(), &entity, ctx)?;
        Ok(Reply::ok(ctx.op, entity, &Applied::default()))
    }
}
