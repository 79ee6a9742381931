// SPDX-License-Identifier: GPL-2.0

//! Does not compile, on purpose: a counter without any synchronisation is
//! handed to a work item on another CPU while this thread keeps using it.

use core::cell::Cell;
use kernel::prelude::*;
use kernel::sync::Arc;
use kernel::workqueue;

module! {
    type: Racy,
    name: "fails_data_race",
    authors: ["rfl-tutor"],
    description: "Shows the compiler rejecting a data race",
    license: "GPL",
}

struct Racy;

impl kernel::Module for Racy {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        // ANCHOR: race
        // `Cell` allows mutation through a shared reference, but only on one
        // thread: it is not `Sync`, so `Arc<Cell<u32>>` is not `Send`.
        let hits = Arc::new(Cell::new(0u32), GFP_KERNEL)?;
        let worker = hits.clone();
        workqueue::system().try_spawn(GFP_KERNEL, move || {
            worker.set(worker.get() + 1); // runs on a kworker thread...
        })?;
        hits.set(hits.get() + 1); // ...while this thread writes too
        // ANCHOR_END: race
        Ok(Racy)
    }
}
