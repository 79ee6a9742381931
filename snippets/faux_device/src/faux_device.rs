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

// ANCHOR: state
struct FauxDevice {
    // Fields are dropped in the order they are declared: first the device, then the farewell.
    reg: faux::Registration,
    greetings: u32,
    _farewell: Farewell,
}
// ANCHOR_END: state

// ANCHOR: init
impl kernel::Module for FauxDevice {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("creating rfl-faux\n");
        let reg = faux::Registration::new(c"rfl-faux", None)?;

        // `reg.as_ref()` is the faux device, bound to the bus's driver: dev_info! prints
        // that driver's name and the device's name before the message.
        dev_info!(reg.as_ref(), "hello from {}\n", reg.as_ref().as_ref().name());

        let farewell = Farewell(reg.as_ref().as_ref().into());
        Ok(Self {
            reg,
            greetings: 1,
            _farewell: farewell,
        })
    }
}
// ANCHOR_END: init

// ANCHOR: drop
impl Drop for FauxDevice {
    fn drop(&mut self) {
        // Runs before any field is dropped: the device is still there to print through.
        self.greetings += 1;
        dev_info!(self.reg.as_ref(), "goodbye, greeting {}\n", self.greetings);
    }
}
// ANCHOR_END: drop
