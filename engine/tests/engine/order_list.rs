//! `Executor::list_orders` over a few thousand orders: it reads the store a page at a time,
//! never the whole order prefix at once, and a page by id stops reading once it is full. Sorted
//! by anything else it reads every order, one page at a time, keeping only the best so far.

use chrono::Utc;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use waybill_engine::command::{Executor, OrderQuery, OrderSort};
use waybill_engine::model::Money;
use waybill_engine::store::{codec, keys, MemoryStore, Result, Store, Write};
use waybill_engine::{Actor, Lifecycle, OrderSpec, Workflow};

const ORDERS: usize = 3000;

/// What the executor asked the store for, under the order prefix.
#[derive(Default)]
struct Reads {
    /// `scan` calls: each reads every order at once.
    whole: AtomicUsize,
    /// Orders read through `scan_page`.
    orders: AtomicUsize,
    /// The largest page.
    largest: AtomicUsize,
}

/// A memory store that counts its reads of orders.
struct Counting {
    inner: MemoryStore,
    reads: Arc<Reads>,
}

impl Store for Counting {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.inner.get(key)
    }

    fn scan(&self, prefix: &[u8]) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        if keys::ORDERS.starts_with(prefix) {
            self.reads.whole.fetch_add(1, Ordering::SeqCst);
        }
        self.inner.scan(prefix)
    }

    fn last(&self, prefix: &[u8]) -> Result<Option<(Vec<u8>, Vec<u8>)>> {
        self.inner.last(prefix)
    }

    fn write(&self, writes: Vec<Write>) -> Result<()> {
        self.inner.write(writes)
    }

    fn flush(&self) -> Result<()> {
        self.inner.flush()
    }

    fn scan_page(
        &self,
        prefix: &[u8],
        after: Option<&[u8]>,
        limit: usize,
    ) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        let page = self.inner.scan_page(prefix, after, limit)?;
        if prefix.starts_with(keys::ORDERS) {
            self.reads.orders.fetch_add(page.len(), Ordering::SeqCst);
            self.reads.largest.fetch_max(page.len(), Ordering::SeqCst);
        }
        Ok(page)
    }
}

/// The total of order `i`: all different, not in id order.
fn total(i: usize) -> i64 {
    i64::try_from((i * 7919) % ORDERS + 1).unwrap() * 100
}

/// An executor over `ORDERS` orders ORD-0000... (one line of one unit at [`total`]), written
/// straight into the store, and what it reads.
fn shop() -> (Executor, Arc<Reads>) {
    let lifecycle = Lifecycle::new(Arc::new(Workflow::builtin()));
    let spec: OrderSpec = serde_json::from_value(serde_json::json!({
        "id": "ORD-0000",
        "lines": [ { "id": "l1", "sku": "MUG", "qty": 1, "price": "1.00" } ],
        "shipping": { "address": { "country": "NL" } }
    }))
    .unwrap();
    let (agg, _) = lifecycle
        .create_order(spec, &Actor::role("backoffice"), Utc::now())
        .unwrap();
    let inner = MemoryStore::default();
    let writes = (0..ORDERS)
        .map(|i| {
            let mut order = agg.clone();
            order.order.spec.id = format!("ORD-{i:04}");
            order.order.spec.lines[0].price = Money(total(i));
            Write::Put(keys::order(&order.order.spec.id), codec::encode(&order))
        })
        .collect();
    inner.write(writes).unwrap();
    let reads = Arc::new(Reads::default());
    let store = Counting {
        inner,
        reads: reads.clone(),
    };
    (Executor::new(lifecycle, Box::new(store)).unwrap(), reads)
}

/// One page of `query`: the ids and the next cursor.
fn page(exec: &Executor, query: &OrderQuery) -> (Vec<String>, Option<String>) {
    let mut ids = Vec::new();
    let next = exec
        .list_orders(query, |agg| {
            ids.push(agg.order.spec.id);
            Ok::<(), waybill_engine::store::Error>(())
        })
        .unwrap();
    (ids, next)
}

#[test]
fn a_page_by_id_reads_about_as_many_orders_as_it_lists() {
    let (exec, reads) = shop();
    let query = OrderQuery {
        limit: Some(10),
        ..Default::default()
    };
    let (ids, next) = page(&exec, &query);
    let wanted: Vec<String> = (0..10).map(|i| format!("ORD-{i:04}")).collect();
    assert_eq!(ids, wanted);
    assert_eq!(next.as_deref(), Some("ORD-0009"));
    assert_eq!(reads.whole.load(Ordering::SeqCst), 0);
    let read = reads.orders.load(Ordering::SeqCst);
    assert!(read <= 11, "read {read} orders for a page of 10");

    let (ids, _) = page(
        &exec,
        &OrderQuery {
            after: next,
            ..query
        },
    );
    assert_eq!(ids.first().map(String::as_str), Some("ORD-0010"));
    assert!(reads.orders.load(Ordering::SeqCst) <= 22);
}

#[test]
fn a_sorted_page_reads_every_order_a_page_at_a_time() {
    let (exec, reads) = shop();
    let query = OrderQuery {
        sort: OrderSort::Total,
        descending: true,
        limit: Some(10),
        ..Default::default()
    };
    let (ids, next) = page(&exec, &query);
    let mut by_total: Vec<usize> = (0..ORDERS).collect();
    by_total.sort_by_key(|&i| std::cmp::Reverse(total(i)));
    let wanted: Vec<String> = by_total[..10]
        .iter()
        .map(|i| format!("ORD-{i:04}"))
        .collect();
    assert_eq!(ids, wanted);
    assert!(next.is_some());
    assert_eq!(reads.whole.load(Ordering::SeqCst), 0);
    assert_eq!(reads.orders.load(Ordering::SeqCst), ORDERS);
    let largest = reads.largest.load(Ordering::SeqCst);
    assert!(largest <= ORDERS / 10, "a page of {largest} orders");
}

#[test]
fn sorted_pages_list_every_order_exactly_once() {
    let (exec, _) = shop();
    let mut query = OrderQuery {
        sort: OrderSort::Total,
        limit: Some(700),
        ..Default::default()
    };
    let mut seen = Vec::new();
    loop {
        let (ids, next) = page(&exec, &query);
        assert!(ids.len() <= 700);
        seen.extend(ids);
        match next {
            Some(cursor) => query.after = Some(cursor),
            None => break,
        }
    }
    assert_eq!(seen.len(), ORDERS);
    assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), ORDERS);
    let totals: Vec<i64> = seen
        .iter()
        .map(|id| total(id[4..].parse().unwrap()))
        .collect();
    assert!(totals.windows(2).all(|w| w[0] < w[1]));
}
