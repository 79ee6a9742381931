// SPDX-License-Identifier: GPL-2.0

//! A tour of a Rust kernel module: metadata, state, loading and unloading.

use kernel::{pr_cont, prelude::*};

// ANCHOR: module
module! {
    type: Tour,
    name: "module_tour",
    authors: ["rfl-tutor"],
    description: "Shows the parts every Rust module has",
    license: "GPL",
}
// ANCHOR_END: module

// ANCHOR: state
/// The module's state: created by `init`, dropped when the module is removed.
struct Tour {
    loaded_as_module: bool,
    greeting_count: u32,
}
// ANCHOR_END: state

// ANCHOR: init
impl kernel::Module for Tour {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let loaded_as_module = cfg!(MODULE);
        pr_info!("loading (as a module: {})\n", loaded_as_module);
        pr_notice!("notice: normal but significant\n");
        pr_warn!("warn: something looks odd\n");
        pr_debug!("debug: only printed with debug assertions\n");
        pr_info!("counting:");
        for i in 1..=3 {
            pr_cont!(" {}", i);
        }
        pr_cont!("\n");
        Ok(Tour {
            loaded_as_module,
            greeting_count: 3,
        })
    }
}
// ANCHOR_END: init

// ANCHOR: drop
impl Drop for Tour {
    fn drop(&mut self) {
        pr_info!(
            "unloading after {} greetings (module: {})\n",
            self.greeting_count,
            self.loaded_as_module
        );
    }
}
// ANCHOR_END: drop
