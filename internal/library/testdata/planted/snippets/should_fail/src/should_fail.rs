// SPDX-License-Identifier: GPL-2.0

//! should_fail: a module for the planted pack.

use kernel::prelude::*;

module! {
    type: ShouldFail,
    name: "should_fail",
    author: "rfl-tutor",
    description: "A planted snippet",
    license: "GPL",
}

struct ShouldFail;

impl kernel::Module for ShouldFail {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let first = KBox::new(1u32, GFP_KERNEL)?;
        pr_info!("{}\n", *first);
        Ok(ShouldFail)
    }
}
