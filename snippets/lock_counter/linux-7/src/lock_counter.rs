// SPDX-License-Identifier: GPL-2.0

//! Two owners share one counter; each may add to it.

use kernel::prelude::*;
use kernel::sync::{Arc, Mutex};
use kernel::new_mutex;

module! {
    type: Counters,
    name: "lock_counter",
    authors: ["rfl-tutor"],
    description: "A counter shared through Arc and protected by a Mutex",
    license: "GPL",
}

/// One of the parties that counts packets into the shared total.
struct Port {
    name: &'static str,
    total: Arc<Mutex<u64>>,
}

impl Port {
    /// Adds `packets` to the shared total.
    fn receive(&self, packets: u64) {
        *self.total.lock() += packets;
        pr_info!("{} received {}\n", self.name, packets);
    }
}

struct Counters {
    total: Arc<Mutex<u64>>,
    _ports: [Port; 2],
}

impl kernel::Module for Counters {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let total = Arc::pin_init(new_mutex!(0), GFP_KERNEL)?;
        let ports = [
            Port { name: "eth0", total: total.clone() },
            Port { name: "eth1", total: total.clone() },
        ];
        ports[0].receive(3);
        ports[1].receive(5);
        ports[0].receive(1);
        pr_info!("total so far: {}\n", *total.lock());
        Ok(Counters { total, _ports: ports })
    }
}

impl Drop for Counters {
    fn drop(&mut self) {
        pr_info!("final total: {}\n", *self.total.lock());
    }
}
