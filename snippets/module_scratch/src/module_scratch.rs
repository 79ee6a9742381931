// SPDX-License-Identifier: GPL-2.0

//! A module written from nothing: it keeps the first five squares while it is loaded.

use kernel::prelude::*;

module! {
    type: Squares,
    name: "module_scratch",
    author: "rfl-tutor",
    description: "Keeps the first five squares while loaded",
    license: "GPL",
}

/// The module's state: what `init` computed, kept until the module is removed.
struct Squares {
    values: KVec<u32>,
}

impl kernel::Module for Squares {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let mut values = KVec::with_capacity(5, GFP_KERNEL)?;
        for n in 1..=5u32 {
            values.push(n * n, GFP_KERNEL)?;
        }
        pr_info!("squares: {:?}\n", &values[..]);
        Ok(Squares { values })
    }
}

impl Drop for Squares {
    fn drop(&mut self) {
        let sum: u32 = self.values.iter().sum();
        pr_info!("sum of {} squares: {}\n", self.values.len(), sum);
    }
}
