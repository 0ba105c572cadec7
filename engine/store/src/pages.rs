//! Walking a prefix of the store a page at a time ([`Store::scan_page`]), so a reader of every
//! order holds one page of them, not the whole store.

use crate::backend::Store;
use crate::error::Result;
use std::collections::VecDeque;

/// The largest page read at once.
pub const PAGE: usize = 256;

/// Every pair under a prefix, in key order, read a page at a time: the first page is as large
/// as the reader says it needs, and each next one twice the last, up to [`PAGE`].
pub struct Pages<'a> {
    store: &'a dyn Store,
    prefix: Vec<u8>,
    /// The last key read.
    after: Option<Vec<u8>>,
    page: VecDeque<(Vec<u8>, Vec<u8>)>,
    size: usize,
    done: bool,
}

impl<'a> Pages<'a> {
    /// The pairs under `prefix` after the key `after` (from the start with `None`), reading
    /// `first` of them first.
    pub fn new(store: &'a dyn Store, prefix: &[u8], after: Option<Vec<u8>>, first: usize) -> Self {
        Pages {
            store,
            prefix: prefix.to_vec(),
            after,
            page: VecDeque::new(),
            size: first.clamp(1, PAGE),
            done: false,
        }
    }
}

impl Iterator for Pages<'_> {
    type Item = Result<(Vec<u8>, Vec<u8>)>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.page.is_empty() && !self.done {
            match self
                .store
                .scan_page(&self.prefix, self.after.as_deref(), self.size)
            {
                Ok(page) => {
                    self.done = page.len() < self.size;
                    self.after = page.last().map(|(k, _)| k.clone());
                    self.page = page.into();
                    self.size = (self.size * 2).min(PAGE);
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
        self.page.pop_front().map(Ok)
    }
}
