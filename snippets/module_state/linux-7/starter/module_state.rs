// SPDX-License-Identifier: GPL-2.0

//! Keeps a little state for as long as it is loaded and reports it when it
//! is removed.

use kernel::prelude::*;

module! {
    type: Greeter,
    name: "module_state",
    authors: ["rfl-tutor"],
    description: "Returns its state from init and prints it from Drop",
    license: "GPL",
}

/// Everything the module remembers between loading and unloading.
struct Greeter {
    audience: &'static str,
    greetings: u32,
}

impl kernel::Module for Greeter {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let audience = "kernel hackers";
        let greetings = 2;
        for _ in 0..greetings {
            pr_info!("hello, {}!\n", audience);
        }
        // TODO: init must say whether it succeeded.
        Greeter {
            audience,
            greetings,
        }
    }
}

impl Drop for Greeter {
    fn drop(&mut self) {
        pr_info!("said hello {} times to {}\n", self.greetings, self.audience);
    }
}
