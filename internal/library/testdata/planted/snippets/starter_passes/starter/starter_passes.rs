// SPDX-License-Identifier: GPL-2.0

//! starter_passes: a module for the planted pack.

use kernel::prelude::*;

module! {
    type: StarterPasses,
    name: "starter_passes",
    author: "rfl-tutor",
    description: "A planted snippet",
    license: "GPL",
}

struct StarterPasses;

impl kernel::Module for StarterPasses {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("done already\n");
        Ok(StarterPasses)
    }
}
