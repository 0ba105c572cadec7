//! A strategy's answer, read from the Rhai value it returned, with type errors that say where.

use rhai::{Array, Dynamic, Map};
use serde::{Deserialize, Serialize};
use waybill_workflow::model::ShipmentItem;

/// Units to ship together from one location: one shipment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Package {
    /// The location.
    pub location: String,
    /// What goes in it.
    pub items: Vec<ShipmentItem>,
}

/// How an order's unshipped units are divided.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Proposal {
    /// The packages (shipments to create).
    pub packages: Vec<Package>,
    /// Units that wait for stock.
    pub backorder: Vec<ShipmentItem>,
}

impl Proposal {
    /// Reads a proposal from a script's return value.
    pub fn from_dynamic(value: Dynamic) -> Result<Proposal, String> {
        if value.is::<super::Plan>() {
            return Ok(value.cast::<super::Plan>().into_proposal());
        }
        let map = value
            .try_cast::<Map>()
            .ok_or("it must return a map #{ packages: [...], backorder: [...] }")?;
        let list = |name: &str| -> Result<Array, String> {
            match map.get(name) {
                None => Ok(Array::new()),
                Some(v) if v.is_unit() => Ok(Array::new()),
                Some(v) => v
                    .clone()
                    .try_cast::<Array>()
                    .ok_or_else(|| format!("`{name}` must be an array, not {}", v.type_name())),
            }
        };
        if let Some(key) = map
            .keys()
            .find(|k| !matches!(k.as_str(), "packages" | "backorder"))
        {
            return Err(format!(
                "unknown key `{key}` in the result (expected packages, backorder)"
            ));
        }
        let mut packages = Vec::new();
        for (i, p) in list("packages")?.into_iter().enumerate() {
            let where_ = format!("packages[{i}]");
            let p = p
                .try_cast::<Map>()
                .ok_or_else(|| format!("{where_} must be a map #{{ location, items }}"))?;
            let location = string(&p, "location", &where_)?;
            let items_value = p
                .get("items")
                .cloned()
                .ok_or_else(|| format!("{where_} has no `items`"))?;
            let items = items_value
                .try_cast::<Array>()
                .ok_or_else(|| format!("{where_}.items must be an array"))?;
            let items = items
                .into_iter()
                .enumerate()
                .map(|(j, it)| item(it, &format!("{where_}.items[{j}]")))
                .collect::<Result<Vec<_>, _>>()?;
            packages.push(Package { location, items });
        }
        let backorder = list("backorder")?
            .into_iter()
            .enumerate()
            .map(|(j, it)| item(it, &format!("backorder[{j}]")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Proposal {
            packages,
            backorder,
        })
    }

    /// The proposal as a Rhai value, for post-splitters.
    pub fn to_dynamic(&self) -> Dynamic {
        let items = |items: &[ShipmentItem]| -> Array {
            items
                .iter()
                .map(|i| {
                    let mut m = Map::new();
                    m.insert("line".into(), i.line.clone().into());
                    m.insert("qty".into(), Dynamic::from_int(i64::from(i.qty)));
                    Dynamic::from_map(m)
                })
                .collect()
        };
        let packages: Array = self
            .packages
            .iter()
            .map(|p| {
                let mut m = Map::new();
                m.insert("location".into(), p.location.clone().into());
                m.insert("items".into(), items(&p.items).into());
                Dynamic::from_map(m)
            })
            .collect();
        let mut m = Map::new();
        m.insert("packages".into(), packages.into());
        m.insert("backorder".into(), items(&self.backorder).into());
        Dynamic::from_map(m)
    }
}

fn string(map: &Map, key: &str, where_: &str) -> Result<String, String> {
    let v = map
        .get(key)
        .ok_or_else(|| format!("{where_} has no `{key}`"))?;
    v.clone()
        .into_string()
        .map_err(|t| format!("{where_}.{key} must be a string, not {t}"))
}

fn item(value: Dynamic, where_: &str) -> Result<ShipmentItem, String> {
    let map = value
        .try_cast::<Map>()
        .ok_or_else(|| format!("{where_} must be a map #{{ line, qty }}"))?;
    let line = string(&map, "line", where_)?;
    let qty = map
        .get("qty")
        .ok_or_else(|| format!("{where_} has no `qty`"))?;
    let qty = qty
        .as_int()
        .map_err(|t| format!("{where_}.qty must be a whole number, not {t}"))?;
    if qty <= 0 || qty > i64::from(u32::MAX) {
        return Err(format!("{where_}.qty must be above 0, not {qty}"));
    }
    Ok(ShipmentItem {
        line,
        qty: qty as u32,
    })
}
