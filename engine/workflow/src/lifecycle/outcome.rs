//! What a command produces: the transitions applied and the effects requested, or a refusal
//! listing every reason as data (Symfony's TransitionBlocker, all of them at once).

use crate::model::EntityRef;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One transition that was applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Step {
    /// The entity whose machine moved.
    pub entity: EntityRef,
    /// The machine.
    pub machine: String,
    /// The event.
    pub event: String,
    /// The state before.
    pub from: String,
    /// The state after (the same for a transition without `to`).
    pub to: String,
    /// Whether the engine fired it automatically.
    pub auto: bool,
    /// The role it was fired as (`system` for automatic and cascaded steps).
    pub role: String,
    /// Names of the effects it applied.
    pub effects: Vec<String>,
    /// Targets of its optional cascades that could not take their event, and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<Skipped>,
}

/// A target of an optional cascade that was skipped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Skipped {
    /// The entity the event would have fired on.
    pub entity: EntityRef,
    /// Its machine.
    pub machine: String,
    /// The event.
    pub event: String,
    /// Why it could not fire.
    pub blockers: Vec<Blocker>,
}

/// A notification queued by a `notify` effect, kept in the outbox until drained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Notification {
    /// The topic named in the rules, e.g. `shipment_shipped`.
    pub topic: String,
    /// What it is about.
    pub entity: EntityRef,
    /// The machine and event that raised it.
    pub machine: String,
    /// The event that raised it.
    pub event: String,
    /// The state the machine moved to.
    pub state: String,
    /// The channel the rules named for it (none: the customer's e-mail, else their phone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<crate::model::Channel>,
}

/// The four stock operations of seed 004.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StockAction {
    /// Hold stock for a shipment.
    Reserve,
    /// Take reserved stock off the shelf.
    Decrement,
    /// Give a reservation back.
    Release,
    /// Put decremented stock back.
    Restore,
    /// Put returned units back on the shelf (a customer return; no reservation changes).
    Restock,
    /// Re-book what an edited shipment holds: each line's reservation becomes the line's new
    /// quantity (0 for a line taken out) at the move's location, wherever it was held before.
    /// Only a shipment that holds a reservation is re-booked.
    Adjust,
}

/// A stock effect requested for one shipment's items; the inventory applies it in the same write.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StockMove {
    /// What to do.
    pub action: StockAction,
    /// The shipment whose lines move.
    pub shipment: String,
    /// The location it ships from.
    pub location: Option<String>,
    /// `(line id, sku, qty)` for each shipment item.
    pub items: Vec<(String, String, u32)>,
}

/// Everything an accepted command did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Applied {
    /// Transitions applied, the requested one first, then cascaded and automatic ones.
    pub steps: Vec<Step>,
    /// Notifications to queue.
    pub notifications: Vec<Notification>,
    /// Stock effects to apply.
    pub stock: Vec<StockMove>,
}

/// Why a transition or command may not happen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Blocker {
    /// The machine is not in a state the transition fires from.
    State {
        /// The machine.
        machine: String,
        /// Its current state.
        current: String,
        /// The states the transition fires from.
        allowed: Vec<String>,
    },
    /// The actor's role may not do this.
    Role {
        /// The actor's role.
        role: String,
        /// The roles that may.
        allowed: Vec<String>,
    },
    /// A guard is false.
    Guard {
        /// The condition.
        condition: String,
        /// Its message.
        message: String,
    },
    /// A guard could not be evaluated (error, loop, time-out).
    GuardError {
        /// The condition.
        condition: String,
        /// Its message.
        message: String,
        /// What went wrong.
        error: String,
    },
    /// The transition fires only automatically.
    Automatic,
    /// An effect cannot be applied (e.g. a refund larger than what was captured).
    Effect {
        /// The effect.
        effect: String,
        /// Why.
        message: String,
    },
    /// A cascaded transition was refused.
    Cascade {
        /// The entity it was fired on.
        entity: EntityRef,
        /// The event.
        event: String,
        /// Why it was refused.
        blockers: Vec<Blocker>,
    },
    /// The command itself is not possible (e.g. a shipment for a quote).
    Command {
        /// Why.
        message: String,
    },
    /// One of several transitions that could have done it (`fire --to`) may not fire.
    Transition {
        /// Its event.
        event: String,
        /// Why it may not fire.
        blockers: Vec<Blocker>,
    },
}

impl fmt::Display for Blocker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Blocker::State {
                machine,
                current,
                allowed,
            } => write!(
                f,
                "{machine} is `{current}`; this fires only from {}",
                list(allowed)
            ),
            Blocker::Role { role, allowed } => {
                write!(
                    f,
                    "role `{role}` may not do this; allowed: {}",
                    list(allowed)
                )
            }
            Blocker::Guard { message, condition } => write!(f, "{message} (guard `{condition}`)"),
            Blocker::GuardError {
                message,
                condition,
                error,
            } => {
                write!(f, "{message}: guard `{condition}` failed to run: {error}")
            }
            Blocker::Automatic => write!(f, "this transition fires automatically, not by hand"),
            Blocker::Effect { effect, message } => write!(f, "{effect}: {message}"),
            Blocker::Cascade {
                entity,
                event,
                blockers,
            } => {
                write!(f, "cascaded `{event}` on {entity} refused: ")?;
                let inner: Vec<String> = blockers.iter().map(ToString::to_string).collect();
                write!(f, "{}", inner.join("; "))
            }
            Blocker::Command { message } => write!(f, "{message}"),
            Blocker::Transition { event, blockers } => {
                let inner: Vec<String> = blockers.iter().map(ToString::to_string).collect();
                write!(f, "`{event}`: {}", inner.join("; "))
            }
        }
    }
}

fn list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A refused command: what was attempted and every reason it may not happen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Refusal {
    /// The entity.
    pub entity: EntityRef,
    /// The event or command (`shipment.create`...).
    pub event: String,
    /// Every reason, as data.
    pub blockers: Vec<Blocker>,
}

impl Refusal {
    /// A refused command (not a transition) with one reason, as an error.
    pub fn command(
        entity: &EntityRef,
        op: &str,
        message: impl Into<String>,
    ) -> crate::error::Error {
        Refusal {
            entity: entity.clone(),
            event: op.to_string(),
            blockers: vec![Blocker::Command {
                message: message.into(),
            }],
        }
        .into()
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "refused: `{}` on {}", self.event, self.entity)?;
        for b in &self.blockers {
            write!(f, "\n  - {b}")?;
        }
        Ok(())
    }
}

/// Whether an event can fire now, and if not, why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EventCheck {
    /// The machine.
    pub machine: String,
    /// The event.
    pub event: String,
    /// Whether it would be accepted now (with no input).
    pub allowed: bool,
    /// Why not.
    pub blockers: Vec<Blocker>,
}
