// SPDX-License-Identifier: GPL-2.0

//! A planted module for the boot stage tests: hello_module, flooding the log from init.

use kernel::prelude::*;

module! {
    type: HelloModule,
    name: "hello_module",
    author: "rfl-tutor",
    description: "Says hello from Rust",
    license: "GPL",
}

struct HelloModule;

impl kernel::Module for HelloModule {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("Hello from Rust!\n");
        for i in 0..25000 {
            pr_info!("flood line {}\n", i);
        }
        Ok(HelloModule)
    }
}

impl Drop for HelloModule {
    fn drop(&mut self) {
        pr_info!("Goodbye from Rust!\n");
    }
}
