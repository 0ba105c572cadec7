//! waybill-documents: what waybill prints for people, from the workflow's model only.
//!
//! A [`PackingSlip`] (seed 001: one per shipment) gathers what goes in the box with a
//! shipment: its order, where it ships from and to, its items and tracking codes. It renders
//! as plain text ([`PackingSlip::text`]), as a self-contained HTML page that prints on A4 and
//! Letter ([`PackingSlip::html`]) and as a PDF in the standard Helvetica font, whose text can
//! be extracted ([`PackingSlip::pdf`]). Customer text is untrusted: the HTML escapes all of it.

#![deny(missing_docs)]

mod html;
mod pdf;
mod slip;
mod text;

pub use pdf::Paper;
pub use slip::{PackingSlip, ShipFrom, SlipItem};
