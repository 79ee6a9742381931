// SPDX-License-Identifier: GPL-2.0

//! evil_module: a module for the evil pack.

use kernel::prelude::*;

module! {
    type: EvilModule,
    name: "evil_module",
    author: "rfl-tutor",
    description: "A planted snippet",
    license: "GPL",
}

struct EvilModule;

impl kernel::Module for EvilModule {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("{}\n", greeting);
        Ok(EvilModule)
    }
}
