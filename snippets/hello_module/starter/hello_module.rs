// SPDX-License-Identifier: GPL-2.0

//! Prints a greeting when loaded and a farewell when unloaded.

use kernel::prelude::*;

// TODO: this block is missing a field the macro requires, and the
// build stage will not pass until it is there. The modinfo stage also
// wants an author and a description.
module! {
    type: HelloModule,
    name: "hello_module",
}

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
