//! Storage: a small key-value interface the rest of the engine writes through, and the typed
//! records kept in it. Only the sled backend knows about sled.
//!
//! Everything lives in one ordered key space (keys in `keys`), so one command is one atomic
//! batch: the order aggregate, its history records, outbox entries, the idempotency record and
//! the counters commit together or not at all.

use crate::error::Result;

/// One change in an atomic batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Write {
    /// Set `key` to `value`.
    Put(Vec<u8>, Vec<u8>),
    /// Remove `key`.
    Delete(Vec<u8>),
}

/// An ordered key-value store with atomic batches. A backend implements these five methods, and
/// may implement [`Store::scan_page`] better than its default.
pub trait Store: Send + Sync {
    /// The value under `key`.
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>>;
    /// Every pair whose key starts with `prefix`, in key order.
    fn scan(&self, prefix: &[u8]) -> Result<Vec<(Vec<u8>, Vec<u8>)>>;
    /// The last pair whose key starts with `prefix`.
    fn last(&self, prefix: &[u8]) -> Result<Option<(Vec<u8>, Vec<u8>)>>;
    /// Applies every write, all or none, even across a crash.
    fn write(&self, writes: Vec<Write>) -> Result<()>;
    /// Makes every write so far durable.
    fn flush(&self) -> Result<()>;

    /// At most `limit` of the pairs whose key starts with `prefix` and comes after `after`
    /// (from the first with `None`), in key order: a page of [`Store::scan`], so a reader can
    /// walk a large prefix holding one page at a time. The default reads the whole prefix.
    fn scan_page(
        &self,
        prefix: &[u8],
        after: Option<&[u8]>,
        limit: usize,
    ) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        let mut all = self.scan(prefix)?;
        all.retain(|(k, _)| after.is_none_or(|a| k.as_slice() > a));
        all.truncate(limit);
        Ok(all)
    }
}
