//! The domain: orders, their lines and money, and shipments.

pub mod aggregate;
pub mod carrier_status;
pub mod contact;
pub mod limits;
pub mod money;
pub mod order;
pub mod payment;
pub mod shipment;
pub mod stock;

pub use aggregate::{EntityRef, OrderAggregate};
pub use carrier_status::{CarrierReport, Normalized};
pub use contact::Channel;
pub use money::Money;
pub use order::{Customer, Line, Note, Order, OrderKind, OrderSpec, Refund, Shipping};
pub use payment::{NewPayment, Payment};
pub use shipment::{Shipment, ShipmentItem, Tracking};
pub use stock::{Location, Reservation, ReservationStatus, StockLevel};
