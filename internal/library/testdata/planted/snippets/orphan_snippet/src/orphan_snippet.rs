// SPDX-License-Identifier: GPL-2.0

//! orphan_snippet: a module for the planted pack.

use kernel::prelude::*;

module! {
    type: OrphanSnippet,
    name: "orphan_snippet",
    author: "rfl-tutor",
    description: "A planted snippet",
    license: "GPL",
}

struct OrphanSnippet;

impl kernel::Module for OrphanSnippet {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("alone\n");
        Ok(OrphanSnippet)
    }
}
