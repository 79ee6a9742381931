// SPDX-License-Identifier: GPL-2.0

//! A counter that user space reads, sets and adds to through debugfs.

use kernel::prelude::*;
use kernel::sync::atomic::{Atomic, Relaxed};

module! {
    type: DebugfsCounter,
    name: "debugfs_counter",
    authors: ["rfl-tutor"],
    description: "A counter in /sys/kernel/debug",
    license: "GPL",
}

/// The state the debugfs files show and change.
struct Counter {
    /// The running total.
    count: Atomic<u64>,
    /// How many writes to `add` were accepted.
    adds: Atomic<u64>,
}

// TODO: a write handler for `add`: parse one decimal number, add it to the count.

struct DebugfsCounter {
    // TODO: the debugfs files must live as long as the module, and go away with it.
    counter: KBox<Counter>,
}

impl kernel::Module for DebugfsCounter {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let counter = KBox::new(
            Counter {
                count: Atomic::new(0),
                adds: Atomic::new(0),
            },
            GFP_KERNEL,
        )?;
        // TODO: create /sys/kernel/debug/debugfs_counter/stats/ with the files count, add, adds.
        pr_info!("counter ready in debugfs\n");
        Ok(DebugfsCounter { counter })
    }
}

impl Drop for DebugfsCounter {
    fn drop(&mut self) {
        pr_info!(
            "final count {} after {} add(s)\n",
            self.counter.count.load(Relaxed),
            self.counter.adds.load(Relaxed)
        );
    }
}
