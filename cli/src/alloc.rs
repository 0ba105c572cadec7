//! The allocator: mimalloc for everything but large blocks, which go to the C library's.
//!
//! mimalloc makes `waybill apply` about 1.7 times faster than the system allocator: the
//! store and the rules engine allocate a great many small values. But it zeroes a large zeroed
//! block by writing it, and sled asks for 26 MiB of them at every open (41 metrics histograms
//! of 512 KiB, a 6 MiB page table), of which a command touches a few pages. The C library
//! maps a large block fresh from the kernel, whose pages are zero until touched, so nothing
//! is written and only what is used is ever faulted in.
//!
//! Which allocator owns a block follows from its size alone (at least [`LARGE`] bytes: the C
//! library's), and Rust passes the size back on every free and resize, so a block always goes
//! back where it came from; a resize across the boundary copies.

use std::alloc::{GlobalAlloc, Layout};

/// The smallest block the C library's allocator serves.
const LARGE: usize = 256 * 1024;

/// The C library's allocator guarantees this alignment for `malloc` and `calloc`.
const C_ALIGN: usize = 16;

/// mimalloc, with large blocks from the C library's allocator (see the module's comment).
pub struct Allocator;

impl Allocator {
    fn is_large(layout: &Layout) -> bool {
        layout.size() >= LARGE && layout.align() <= C_ALIGN
    }
}

static MIMALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

// SAFETY: every block is freed and resized by the allocator that made it, which is decided by
// its layout's size and alignment, both of which Rust passes unchanged to `dealloc` and
// `realloc`; the C library's blocks are aligned to 16, and only layouts that ask for at most
// that go there.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if Self::is_large(&layout) {
            libc::malloc(layout.size()).cast()
        } else {
            MIMALLOC.alloc(layout)
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if Self::is_large(&layout) {
            libc::calloc(1, layout.size()).cast()
        } else {
            MIMALLOC.alloc_zeroed(layout)
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if Self::is_large(&layout) {
            libc::free(ptr.cast())
        } else {
            MIMALLOC.dealloc(ptr, layout)
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = Layout::from_size_align_unchecked(new_size, layout.align());
        match (Self::is_large(&layout), Self::is_large(&new)) {
            (true, true) => libc::realloc(ptr.cast(), new_size).cast(),
            (false, false) => MIMALLOC.realloc(ptr, layout, new_size),
            _ => {
                let moved = self.alloc(new);
                if !moved.is_null() {
                    std::ptr::copy_nonoverlapping(ptr, moved, layout.size().min(new_size));
                    self.dealloc(ptr, layout);
                }
                moved
            }
        }
    }
}
