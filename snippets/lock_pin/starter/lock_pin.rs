// SPDX-License-Identifier: GPL-2.0

//! Keeps a small inventory behind a mutex embedded in a pinned struct.

use kernel::new_mutex;
use kernel::prelude::*;
use kernel::sync::Mutex;

module! {
    type: Store,
    name: "lock_pin",
    author: "rfl-tutor",
    description: "Initialises a struct with a Mutex field in place",
    license: "GPL",
}

/// An inventory with a fixed name and a mutable stock level.
// TODO: a Mutex must not move once initialised; this struct is built by
// value and then moved into a box.
struct Inventory {
    name: &'static str,
    stock: Mutex<u32>,
}

impl Inventory {
    /// Takes `n` items out, failing with `ENOSPC` if there are not enough.
    fn take(&self, n: u32) -> Result {
        let mut stock = self.stock.lock();
        *stock = stock.checked_sub(n).ok_or(ENOSPC)?;
        Ok(())
    }
}

struct Store {
    inventory: KBox<Inventory>,
}

impl kernel::Module for Store {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let inventory = KBox::new(
            Inventory {
                name: "widgets",
                stock: new_mutex!(10),
            },
            GFP_KERNEL,
        )?;
        inventory.take(4)?;
        if inventory.take(7).is_err() {
            pr_info!("not enough {} left\n", inventory.name);
        }
        Ok(Store { inventory })
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        pr_info!("{} {} left\n", *self.inventory.stock.lock(), self.inventory.name);
    }
}
