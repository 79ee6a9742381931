// SPDX-License-Identifier: GPL-2.0

//! fails_ok: a module for the planted pack.

use kernel::prelude::*;

module! {
    type: FailsOk,
    name: "fails_ok",
    author: "rfl-tutor",
    description: "A planted snippet",
    license: "GPL",
}

struct FailsOk;

impl kernel::Module for FailsOk {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let first = KBox::new(1u32, GFP_KERNEL)?;
        let second = first;
        pr_info!("{} {}\n", *first, *second);
        Ok(FailsOk)
    }
}
