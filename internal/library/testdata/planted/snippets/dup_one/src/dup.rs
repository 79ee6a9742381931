// SPDX-License-Identifier: GPL-2.0

//! dup: a module for the planted pack.

use kernel::prelude::*;

module! {
    type: Dup,
    name: "dup",
    author: "rfl-tutor",
    description: "A planted snippet",
    license: "GPL",
}

struct Dup;

impl kernel::Module for Dup {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("dup one\n");
        Ok(Dup)
    }
}
