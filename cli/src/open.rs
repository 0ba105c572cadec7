//! Opening the store with the rules, and turning arguments into command values.

use crate::args::{Change, Cli};
use crate::load;
use std::time::Duration;
use waybill_engine::command::{Command, Executor, Request};
use waybill_engine::model::{ShipmentItem, Tracking};
use waybill_engine::store::SledStore;
use waybill_engine::BadInput;
use waybill_engine::{Error, Input, Result};

/// The executor over `--data` with `--rules`. The store opens on a second thread while the
/// rules compile, since both take a few milliseconds of a one-shot command's time.
pub fn executor(cli: &Cli) -> Result<Executor> {
    if let Some(remote) = waybill_server::client::Remote::find(&cli.data) {
        // Waiting for the lock would wait for the server to stop.
        return Err(Error::storage(format!(
            "`waybill serve` at {url} owns {}; this command does not go through a server: stop it \
             (SIGTERM) first, or ask its HTTP API ({url}/v1/openapi.json lists the routes)",
            cli.data.display(),
            url = remote.url()
        )));
    }
    let data = cli.data.clone();
    let wait = wait(cli)?;
    let opening = std::thread::spawn(move || SledStore::open(&data, wait));
    let engine = load::engine(cli);
    let store = opening
        .join()
        .map_err(|_| Error::storage("opening the store panicked"))??;
    let engine = engine?;
    if let Some(role) = &cli.role {
        engine.check_user_role(role)?;
    }
    Ok(Executor::new(engine, Box::new(store))?
        .with_strategies(strategies(cli))
        .with_carriers(carriers(cli)?, Some(cli.data.join("labels"))))
}

/// `--wait SECONDS` as a duration.
fn wait(cli: &Cli) -> Result<Duration> {
    Duration::try_from_secs_f64(cli.wait).map_err(|_| {
        Error::bad_input(format!(
            "--wait {} must be a number of seconds from 0",
            cli.wait
        ))
    })
}

/// The carrier adapters: `--carriers`, then `carriers/` of the working folder, then the
/// built-in ones; with `--carrier-config`.
pub fn carriers(cli: &Cli) -> Result<waybill_engine::carriers::Carriers> {
    let config = match &cli.carrier_config {
        Some(path) => {
            let text = crate::load::read_text(path)?;
            waybill_engine::carriers::Carriers::parse_config(&text, &path.display().to_string())?
        }
        None => Default::default(),
    };
    Ok(waybill_engine::carriers::Carriers {
        dirs: cli
            .carriers_dir
            .iter()
            .cloned()
            .chain([std::path::PathBuf::from("carriers")])
            .collect(),
        config,
    })
}

/// Where strategies are looked up: `--strategies`, then `rules/strategies` of the working
/// folder, then the built-in ones. A file typed on the command line joins it with
/// [`Library::typed`](waybill_engine::script::Library::typed).
pub fn strategies(cli: &Cli) -> waybill_engine::script::Library {
    let dirs: Vec<std::path::PathBuf> = cli
        .strategies_dir
        .iter()
        .cloned()
        .chain([std::path::PathBuf::from("rules/strategies")])
        .collect();
    waybill_engine::split::Strategy::library(&dirs)
}

/// A request for `command` from the command line's role and key.
pub fn request(cli: &Cli, change: &Change, command: Command) -> Request {
    Request {
        command,
        role: cli.role.clone(),
        acting_as: None,
        key: change.idempotency_key.clone(),
        caller: None,
    }
}

/// Runs one state-changing command from the command line and prints its reply. While a
/// `waybill serve` owns `--data`, the command is sent to it instead.
pub fn change(cli: &Cli, change: &Change, command: Command) -> Result<()> {
    let reply = run(cli, request(cli, change, command))?;
    crate::reply::finish(cli, reply)
}

/// Runs `request` on the server that owns `--data`, else on the store itself.
///
/// Once the command is on disk (`run` flushes it), a local executor is left for the process's
/// end to take away rather than dropped: dropping it frees the rules and the store's page
/// table and cache piece by piece and has sled flush again, a millisecond or more of a
/// one-shot command for nothing. The store is then as a crash after the flush would leave it,
/// which sled recovers from by design (the crash tests kill `apply` mid-group).
pub fn run(cli: &Cli, request: Request) -> Result<waybill_engine::command::Reply> {
    match waybill_server::client::Remote::find(&cli.data) {
        Some(remote) => remote
            .run(&request)
            .map_err(waybill_server::Error::into_engine),
        None => {
            let mut exec = executor(cli)?;
            let reply = exec.run(request)?;
            std::mem::forget(exec);
            Ok(reply)
        }
    }
}

/// `KEY=VALUE` pairs; values that look like numbers or booleans become them.
pub fn input(pairs: &[String]) -> Result<Input> {
    let mut input = Input::new();
    for pair in pairs {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| Error::bad_input(format!("--input `{pair}` must be KEY=VALUE")))?;
        if key.is_empty() {
            return Err(Error::bad_input(format!("--input `{pair}` has no key")));
        }
        let value = if let Ok(n) = value.parse::<i64>() {
            serde_json::json!(n)
        } else if let Some(n) = value.parse::<f64>().ok().filter(|n| n.is_finite()) {
            serde_json::json!(n)
        } else if let Ok(b) = value.parse::<bool>() {
            serde_json::json!(b)
        } else {
            serde_json::json!(value)
        };
        input.insert(key.to_string(), value);
    }
    Ok(input)
}

/// `LINE:QTY` items.
pub fn items(items: &[String]) -> Result<Vec<ShipmentItem>> {
    items
        .iter()
        .map(|item| {
            let bad = || {
                Error::bad_input(format!(
                    "--item `{item}` must be LINE:QTY with QTY a whole number from 1"
                ))
            };
            let (line, qty) = item.rsplit_once(':').ok_or_else(bad)?;
            let qty: u32 = qty.parse().map_err(|_| bad())?;
            if line.is_empty() || qty == 0 {
                return Err(bad());
            }
            Ok(ShipmentItem {
                line: line.to_string(),
                qty,
            })
        })
        .collect()
}

/// `CODE` or `CODE@CARRIER` tracking codes.
pub fn tracking(codes: &[String]) -> Vec<Tracking> {
    codes
        .iter()
        .map(|code| match code.split_once('@') {
            Some((code, carrier)) => Tracking {
                code: code.into(),
                carrier: Some(carrier.into()),
                url: None,
            },
            None => Tracking {
                code: code.clone(),
                carrier: None,
                url: None,
            },
        })
        .collect()
}

/// A `YYYY-MM-DD` date.
pub fn date(text: Option<&str>) -> Result<Option<chrono::NaiveDate>> {
    text.map(|t| {
        chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map_err(|_| Error::bad_input(format!("`{t}` is not a date; write YYYY-MM-DD")))
    })
    .transpose()
}
