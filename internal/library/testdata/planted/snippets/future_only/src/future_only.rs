// SPDX-License-Identifier: GPL-2.0

//! future_only: a module for the planted pack.

use kernel::prelude::*;

module! {
    type: FutureOnly,
    name: "future_only",
    author: "rfl-tutor",
    description: "A planted snippet",
    license: "GPL",
}

struct FutureOnly;

impl kernel::Module for FutureOnly {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("from the future\n");
        Ok(FutureOnly)
    }
}
