// SPDX-License-Identifier: GPL-2.0

//! Does not compile, on purpose: it reads through a raw pointer without an
//! `unsafe` block, which safe Rust never allows.

use kernel::prelude::*;

module! {
    type: RawRead,
    name: "fails_missing_unsafe",
    authors: ["rfl-tutor"],
    description: "Shows the compiler demanding unsafe for a raw pointer read",
    license: "GPL",
}

struct RawRead;

// ANCHOR: raw
/// Reads the first element through a raw pointer, as C code would.
fn first(values: &[u32]) -> u32 {
    let p: *const u32 = values.as_ptr();
    // The compiler cannot know that `p` is valid (what if `values` is
    // empty?), so this dereference is only allowed inside `unsafe`.
    *p
}
// ANCHOR_END: raw

impl kernel::Module for RawRead {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("first = {}\n", first(&[7, 8, 9]));
        Ok(RawRead)
    }
}
