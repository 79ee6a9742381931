// SPDX-License-Identifier: GPL-2.0

//! Says hello.

use kernel::prelude::*;

// ANCHOR: module
module! {
    type: Hello,
    name: "hello",
    authors: ["A Learner"],
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
