//! Editing and deleting an order's notes (seed 002: "to delete or edit a note, select the
//! note"). A note is named by its number, counted from 1 in the order written, as `order show`
//! prints them; deleting one renumbers the notes after it. Adding a note is
//! [`Lifecycle::add_note`].

use super::{Actor, Lifecycle};
use crate::error::{Error, Result};
use crate::model::{EntityRef, Note, OrderAggregate};
use chrono::{DateTime, Utc};

impl Lifecycle {
    /// Replaces the text of note `number`; returns the old text.
    pub fn edit_note(
        &self,
        agg: &mut OrderAggregate,
        number: u32,
        text: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<String> {
        self.authorize("order.note_edit", &order_of(agg), actor)?;
        if text.trim().is_empty() {
            return Err(Error::bad_input("the note is empty"));
        }
        let i = index(agg, number)?;
        let note = &mut agg.order.notes[i];
        note.edited_at = Some(now);
        Ok(std::mem::replace(&mut note.text, text.to_string()))
    }

    /// Deletes note `number`; returns it.
    pub fn delete_note(
        &self,
        agg: &mut OrderAggregate,
        number: u32,
        actor: &Actor,
    ) -> Result<Note> {
        self.authorize("order.note_delete", &order_of(agg), actor)?;
        let i = index(agg, number)?;
        Ok(agg.order.notes.remove(i))
    }
}

fn order_of(agg: &OrderAggregate) -> EntityRef {
    EntityRef::Order(agg.order.spec.id.clone())
}

/// Where note `number` is in the order's notes, or bad input.
fn index(agg: &OrderAggregate, number: u32) -> Result<usize> {
    let count = agg.order.notes.len();
    let i = usize::try_from(number).unwrap_or(usize::MAX);
    if i == 0 {
        return Err(Error::bad_input("notes are counted from 1"));
    }
    if i > count {
        return Err(Error::bad_input_with(
            format!("order `{}` has no note {number}", agg.order.spec.id),
            format!(
                "it has {count} note{}; `waybill order show {}` numbers them",
                if count == 1 { "" } else { "s" },
                agg.order.spec.id
            ),
        ));
    }
    Ok(i - 1)
}
