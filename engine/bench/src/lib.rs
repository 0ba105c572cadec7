//! waybill-bench: benchmarks a user runs on their own rules and data. The split bench, the
//! evidence for choosing a strategy: [`workload`] makes or reads the day's orders and stock,
//! [`run`] replays them through each strategy from the same starting stock, [`report`] draws
//! the comparison. The [`lifecycle`] bench: the engine's events per second on any rule file.

#![deny(missing_docs)]

mod error;
pub mod lifecycle;
pub mod report;
pub mod run;
pub mod workload;

pub use error::{Error, Result};
pub use lifecycle::{run_lifecycle, LifecycleReport, LifecycleShape};
pub use run::{run_strategy, StrategyReport};
pub use workload::{from_files, generate, BenchOrder, Shape, Workload};
