// SPDX-License-Identifier: GPL-2.0

//! Prints a greeting when loaded and a farewell when unloaded.

use kernel::prelude::*;

// ANCHOR: module
module! {
    type: HelloModule,
    name: "hello_module",
    authors: ["rfl-tutor"],
    description: "Says hello from Rust",
    license: "GPL",
}
// ANCHOR_END: module

struct HelloModule;

impl kernel::Module for HelloModule {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("Hello from Rust!\n");
        Ok(HelloModule)
    }
}

impl Drop for HelloModule {
    fn drop(&mut self) {
        pr_info!("Goodbye from Rust!\n");
    }
}
