//! The sled backend: one tree, atomic batches, explicit flushes.
//!
//! What sled 0.34.7 lets a caller tune, and what waybill chooses (its source says the rest is
//! fixed, `snapshot_after_ops` among it: it does nothing, and sled writes its snapshot, the
//! page table, at the end of each recovery, so an open replays only what was written since
//! the last open):
//! - no background flusher (`flush_every_ms(None)`): every group is flushed explicitly before
//!   its results are printed, so the thread sled starts for a flush every 500 ms only costs a
//!   one-shot command its start;
//! - `Mode::HighThroughput`;
//! - its metrics histograms are allocated zeroed (the `miri_optimizations` feature, see the
//!   workspace's Cargo.toml): sled allocates 41 of 512 KiB each at the first open of a process,
//!   and without it writes every byte of them.

use crate::backend::{Store, Write};
use crate::error::{Error, Result};
use std::path::Path;
use std::time::{Duration, Instant};

/// A store in a sled database folder. sled allows one process per database; opening waits up
/// to `wait` for another waybill process to finish before it gives up.
#[derive(Debug)]
pub struct SledStore {
    db: sled::Db,
}

fn storage(err: sled::Error) -> Error {
    Error::Storage(err.to_string())
}

/// Whether opening failed because another process holds the store's lock. sled 0.34 reports
/// that as `ErrorKind::Other` with the lock's own error in its words, so both are looked at.
fn held_by_another(err: &std::io::Error) -> bool {
    err.kind() == std::io::ErrorKind::WouldBlock
        || err.to_string().starts_with("could not acquire lock on")
}

impl SledStore {
    /// Opens (or creates) the store in `dir`.
    pub fn open(dir: &Path, wait: Duration) -> Result<SledStore> {
        let start = Instant::now();
        loop {
            match sled::Config::new()
                .path(dir)
                .mode(sled::Mode::HighThroughput)
                .flush_every_ms(None)
                .open()
            {
                Ok(db) => return Ok(SledStore { db }),
                Err(sled::Error::Io(e)) if held_by_another(&e) => {
                    if start.elapsed() >= wait {
                        return Err(Error::Storage(format!(
                            "another waybill process holds the store {}; gave up after waiting {:.1} s",
                            dir.display(),
                            wait.as_secs_f64()
                        )));
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => {
                    return Err(Error::Storage(format!(
                        "cannot open the store {}: {e}",
                        dir.display()
                    )))
                }
            }
        }
    }
}

impl Store for SledStore {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        Ok(self.db.get(key).map_err(storage)?.map(|v| v.to_vec()))
    }

    fn scan(&self, prefix: &[u8]) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        self.db
            .scan_prefix(prefix)
            .map(|kv| kv.map(|(k, v)| (k.to_vec(), v.to_vec())).map_err(storage))
            .collect()
    }

    fn last(&self, prefix: &[u8]) -> Result<Option<(Vec<u8>, Vec<u8>)>> {
        self.db
            .scan_prefix(prefix)
            .next_back()
            .transpose()
            .map(|kv| kv.map(|(k, v)| (k.to_vec(), v.to_vec())))
            .map_err(storage)
    }

    fn write(&self, writes: Vec<Write>) -> Result<()> {
        let mut batch = sled::Batch::default();
        for w in writes {
            match w {
                Write::Put(k, v) => batch.insert(k, v),
                Write::Delete(k) => batch.remove(k),
            }
        }
        self.db.apply_batch(batch).map_err(storage)
    }

    fn flush(&self) -> Result<()> {
        self.db.flush().map(drop).map_err(storage)
    }

    fn scan_page(
        &self,
        prefix: &[u8],
        after: Option<&[u8]>,
        limit: usize,
    ) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        use std::ops::Bound;
        let start = match after {
            Some(after) => Bound::Excluded(after),
            None => Bound::Included(prefix),
        };
        self.db
            .range::<&[u8], _>((start, Bound::Unbounded))
            .map(|kv| kv.map_err(storage))
            .take_while(|kv| kv.as_ref().map_or(true, |(k, _)| k.starts_with(prefix)))
            .take(limit)
            .map(|kv| kv.map(|(k, v)| (k.to_vec(), v.to_vec())))
            .collect()
    }
}
