// SPDX-License-Identifier: GPL-2.0

//! good_module: a module for the planted pack.

use kernel::prelude::*;

module! {
    type: GoodModule,
    name: "good_module",
    author: "rfl-tutor",
    description: "A planted snippet",
    license: "GPL",
}

struct GoodModule;

impl kernel::Module for GoodModule {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("good\n");
        Ok(GoodModule)
    }
}
