// SPDX-License-Identifier: GPL-2.0

//! A skeleton driver for an imaginary Ethernet PHY, built on the kernel's
//! generic PHY helpers. The PHY ID is made up for this example.

use kernel::c_str;
use kernel::net::phy::{self, reg::C22, DeviceId};
use kernel::prelude::*;

// ANCHOR: module
kernel::module_phy_driver! {
    drivers: [DemoPhy],
    device_table: [
        DeviceId::new_with_driver::<DemoPhy>(),
    ],
    name: "phy_demo",
    authors: ["rfl-tutor"],
    description: "Skeleton PHY driver written in Rust",
    license: "GPL",
}
// ANCHOR_END: module

/// The driver: all state lives in the C `struct phy_device`.
struct DemoPhy;

// ANCHOR: driver
#[vtable]
impl phy::Driver for DemoPhy {
    const NAME: &'static CStr = c_str!("rfl-tutor demo PHY");
    // Matches any revision of model 0x0012345x.
    const PHY_DEVICE_ID: DeviceId = DeviceId::new_with_model_mask(0x0012_3450);

    fn soft_reset(dev: &mut phy::Device) -> Result {
        dev.genphy_soft_reset()
    }

    fn read_status(dev: &mut phy::Device) -> Result<u16> {
        // Let phylib read link, speed and duplex from the standard registers.
        dev.genphy_read_status::<C22>()
    }

    fn suspend(dev: &mut phy::Device) -> Result {
        dev.genphy_suspend()
    }

    fn resume(dev: &mut phy::Device) -> Result {
        dev.genphy_resume()
    }

    fn link_change_notify(dev: &mut phy::Device) {
        pr_info!("link is {}\n", if dev.is_link_up() { "up" } else { "down" });
    }
}
// ANCHOR_END: driver
