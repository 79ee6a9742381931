// SPDX-License-Identifier: GPL-2.0

//! A faux device that exists exactly as long as the module is loaded.

use kernel::{device, faux, prelude::*, sync::aref::ARef};

module! {
    type: FauxDevice,
    name: "faux_device",
    authors: ["rfl-tutor"],
    description: "Registers a faux device and keeps data beside it",
    license: "GPL",
}

// ANCHOR: farewell
/// A counted reference to the device's `struct device`: it keeps the memory alive, not the
/// device registered or bound.
struct Farewell(ARef<device::Device>);

impl Drop for Farewell {
    fn drop(&mut self) {
        // Once unregistered the device has no driver, and dev_info! names its bus instead.
        dev_info!(self.0, "is gone\n");
    }
}
// ANCHOR_END: farewell

struct FauxDevice {
    _farewell: Farewell,
    reg: faux::Registration,
    greetings: u32,
}

impl kernel::Module for FauxDevice {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("creating rfl-faux\n");
        // TODO: register the faux device "rfl-faux", greet through it, and keep it.

        Ok(Self { greetings: 0 })
    }
}
