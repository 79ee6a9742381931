// SPDX-License-Identifier: GPL-2.0

//! A faux device that exists exactly as long as the module is loaded.

use kernel::{faux, prelude::*};

module! {
    type: FauxDevice,
    name: "faux_device",
    authors: ["rfl-tutor"],
    description: "Registers a faux device and keeps data beside it",
    license: "GPL",
}

/// Says when the device is gone.
struct Farewell;

impl Drop for Farewell {
    fn drop(&mut self) {
        pr_info!("rfl-faux is gone\n");
    }
}

struct FauxDevice {
    _farewell: Farewell,
    reg: faux::Registration,
    greetings: u32,
}

impl kernel::Module for FauxDevice {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("creating rfl-faux\n");
        // TODO: register the faux device "rfl-faux", greet through it, and keep it.

        Ok(Self {
            _farewell: Farewell,
            greetings: 0,
        })
    }
}
