// SPDX-License-Identifier: GPL-2.0

//! Says hello.

use kernel::prelude::*;

// ANCHOR: module
module! {
    type: Hello,
    name: "hello",
    author: "rfl-tutor",
    description: "Says hello",
    license: "GPL",
}
// ANCHOR_END: module

struct Hello;

impl kernel::Module for Hello {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("Hello\n");
        Ok(Hello)
    }
}

impl Drop for Hello {
    // ANCHOR: drop
    fn drop(&mut self) {
        pr_info!("Goodbye\n");
    }
    // ANCHOR_END: drop
}
