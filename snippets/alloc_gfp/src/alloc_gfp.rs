// SPDX-License-Identifier: GPL-2.0

//! Collects square numbers, and a cache of them if kmalloc can spare the memory.

use kernel::alloc::{AllocError, Flags};
use kernel::prelude::*;

module! {
    type: Squares,
    name: "alloc_gfp",
    author: "rfl-tutor",
    description: "Says how every allocation may allocate",
    license: "GPL",
}

/// The cache the module would like: 1M squares of 8 bytes, 8 MiB. That is more than kmalloc can
/// hand out here (`KMALLOC_MAX_SIZE` is 4 MiB with 4 KiB pages), so asking for it always fails.
const BIG_CACHE: usize = 1 << 20;

/// The cache the module settles for: 8192 squares, 64 KiB.
const SMALL_CACHE: usize = 8192;

struct Squares {
    values: KVec<u64>,
    cache: KVec<u64>,
}

/// Returns the squares of 1 to `n`, allocating as the caller's `flags` allow.
fn squares(n: usize, flags: Flags) -> Result<KVec<u64>, AllocError> {
    let mut values = KVec::with_capacity(n, flags)?;
    for i in 1..=n as u64 {
        values.push(i * i, flags)?;
    }
    Ok(values)
}

impl kernel::Module for Squares {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let values = squares(8, GFP_KERNEL)?;
        pr_info!("squares: {:?}\n", values);

        // The big cache is worth a try but optional: when kmalloc says no, settle for the small
        // one, without a warning in the log about a failure the module expects.
        let cache = match squares(BIG_CACHE, GFP_KERNEL | __GFP_NOWARN) {
            Ok(cache) => cache,
            Err(AllocError) => squares(SMALL_CACHE, GFP_KERNEL)?,
        };
        pr_info!("cached {} squares\n", cache.len());
        Ok(Squares { values, cache })
    }
}

impl Drop for Squares {
    fn drop(&mut self) {
        pr_info!(
            "dropping {} squares and a cache of {}\n",
            self.values.len(),
            self.cache.len()
        );
    }
}
