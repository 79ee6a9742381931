// SPDX-License-Identifier: GPL-2.0

//! Says hello, once you finish it.

use kernel::prelude::*;

module! {
    type: Hello,
    name: "hello",
}

struct Hello;

impl kernel::Module for Hello {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("Hello\n");
        Ok(Helo)
    }
}
