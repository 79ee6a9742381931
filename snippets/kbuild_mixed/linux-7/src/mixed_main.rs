// SPDX-License-Identifier: GPL-2.0

//! The Rust half of the kbuild_mixed module: module entry points, calling a
//! checksum routine written in C and linked into the same `.ko`.

use kernel::prelude::*;

module! {
    type: Mixed,
    name: "kbuild_mixed",
    authors: ["rfl-tutor"],
    description: "A module linked from a Rust object and a C object",
    license: "GPL",
}

// ANCHOR: extern
extern "C" {
    /// Defined in `mixed_sum.c`; reads exactly `len` bytes from `data`.
    fn mixed_fletcher16(data: *const u8, len: usize) -> u16;
}

/// Safe wrapper: a slice always points to `len()` readable bytes.
fn fletcher16(data: &[u8]) -> u16 {
    // SAFETY: `data.as_ptr()` is valid for reads of `data.len()` bytes for the
    // duration of the call, and the C function reads no more than that.
    unsafe { mixed_fletcher16(data.as_ptr(), data.len()) }
}
// ANCHOR_END: extern

struct Mixed;

impl kernel::Module for Mixed {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("checksum of \"abcde\": {:#06x}\n", fletcher16(b"abcde"));
        Ok(Mixed)
    }
}
