//! `waybill payment ...`

use crate::args::{Cli, PaymentCommand};
use crate::open;
use waybill_engine::command::Command;
use waybill_engine::model::NewPayment;
use waybill_engine::{BadInput, Error, Money, Result};

/// Runs a `payment` subcommand.
pub fn run(cli: &Cli, cmd: &PaymentCommand) -> Result<()> {
    match cmd {
        PaymentCommand::Create {
            order,
            amount,
            method,
            reference,
            change,
        } => {
            let amount =
                Money::parse(amount).map_err(|e| Error::bad_input(format!("--amount: {e}")))?;
            let payment = NewPayment {
                amount,
                method: method.clone(),
                reference: reference.clone(),
            };
            let command = Command::PaymentCreate {
                order: order.clone(),
                payment,
            };
            open::change(cli, change, command)
        }
        PaymentCommand::Fire {
            id,
            event,
            input,
            change,
        } => {
            let command = Command::PaymentFire {
                id: id.clone(),
                event: event.clone(),
                input: open::input(input)?,
            };
            open::change(cli, change, command)
        }
        PaymentCommand::Show { id } => {
            let payment = crate::reader::open(cli)?.payment(id)?;
            if cli.json {
                outln!("{}", serde_json::to_string(&payment).expect("JSON"));
            } else {
                outln!("{}", crate::print::payment(&payment));
            }
            Ok(())
        }
        PaymentCommand::List { order } => {
            let agg = crate::reader::open(cli)?.order(order)?;
            if cli.json {
                outln!("{}", serde_json::to_string(&agg.payments).expect("JSON"));
            } else {
                for p in &agg.payments {
                    outln!("{}", crate::print::payment(p));
                }
            }
            Ok(())
        }
    }
}
