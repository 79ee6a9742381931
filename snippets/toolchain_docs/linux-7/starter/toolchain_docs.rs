// SPDX-License-Identifier: GPL-2.0

use kernel::prelude::*;

module! {
    type: ToolchainDocs,
    name: "toolchain_docs",
    authors: ["rfl-tutor"],
    description: "A module whose documentation keeps rustc quiet",
    license: "GPL",
}

/// The module's state; it has nothing to remember.
struct ToolchainDocs;

impl kernel::Module for ToolchainDocs {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("built as a module: {}\n", cfg!(MODULE));
        Ok(ToolchainDocs)
    }
}
