// SPDX-License-Identifier: GPL-2.0

//! A counter that user space reads, sets and adds to through debugfs.

use kernel::debugfs::{Dir, Scope};
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
    /// The directory and every file in it; dropping it removes them, then the data.
    stats: Pin<KBox<Scope<Counter>>>,
}

impl kernel::Module for DebugfsCounter {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let root = Dir::new(c"debugfs_counter");
        let counter = Counter {
            count: Atomic::new(0),
            adds: Atomic::new(0),
        };
        // TODO: `stats` is the directory /sys/kernel/debug/debugfs_counter/stats/, which owns
        // `counter` and holds the files count, add and adds.
        let stats = counter;
        pr_info!("counter ready in debugfs\n");
        Ok(DebugfsCounter { stats })
    }
}

impl Drop for DebugfsCounter {
    fn drop(&mut self) {
        pr_info!(
            "final count {} after {} add(s)\n",
            self.stats.count.load(Relaxed),
            self.stats.adds.load(Relaxed)
        );
    }
}
