// SPDX-License-Identifier: GPL-2.0

//! A counter that user space reads, sets and adds to through debugfs.

use kernel::debugfs::{Dir, Scope};
use kernel::prelude::*;
use kernel::sync::atomic::{Atomic, Relaxed};
use kernel::uaccess::UserSliceReader;

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

// ANCHOR: add
/// Handles a write to `add`: the text must be one decimal number, which is added to the count.
fn add_write(counter: &Counter, reader: &mut UserSliceReader) -> Result {
    let mut buf = [0u8; 24];
    let len = reader.len();
    if len > buf.len() {
        return Err(EINVAL);
    }
    reader.read_slice(&mut buf[..len])?;
    let text = core::str::from_utf8(&buf[..len]).map_err(|_| EINVAL)?;
    let amount: u64 = text.trim().parse().map_err(|_| EINVAL)?;
    counter.count.fetch_add(amount, Relaxed);
    counter.adds.fetch_add(1, Relaxed);
    Ok(())
}
// ANCHOR_END: add

// ANCHOR: module
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
        let stats = KBox::pin_init(
            root.scope(counter, c"stats", |counter, dir| {
                dir.read_write_file(c"count", &counter.count);
                dir.write_only_callback_file(c"add", counter, &add_write);
                dir.read_only_file(c"adds", &counter.adds);
            }),
            GFP_KERNEL,
        )?;
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
// ANCHOR_END: module
