//! waybill-bench: benchmarking split strategies on realistic or real data: the evidence for choosing one.
//! [`workload`] makes or reads the day's orders and stock, [`run`] replays them through each
//! strategy from the same starting stock, [`report`] draws the comparison.

#![deny(missing_docs)]

mod error;
pub mod report;
pub mod run;
pub mod workload;

pub use error::{Error, Result};
pub use run::{run_strategy, StrategyReport};
pub use workload::{from_files, generate, BenchOrder, Shape, Workload};
