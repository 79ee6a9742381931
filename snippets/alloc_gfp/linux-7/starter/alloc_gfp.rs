// SPDX-License-Identifier: GPL-2.0

//! Collects the first few square numbers in a kernel vector.

use kernel::prelude::*;

module! {
    type: Squares,
    name: "alloc_gfp",
    authors: ["rfl-tutor"],
    description: "Pushes into a KVec with explicit GFP flags",
    license: "GPL",
}

struct Squares {
    values: KVec<u64>,
}

impl kernel::Module for Squares {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let mut values = KVec::new();
        for n in 1..=8u64 {
            values.push(n * n)?;
        }
        pr_info!("squares: {:?}\n", values);
        Ok(Squares { values })
    }
}

impl Drop for Squares {
    fn drop(&mut self) {
        pr_info!("dropping {} squares\n", self.values.len());
    }
}
