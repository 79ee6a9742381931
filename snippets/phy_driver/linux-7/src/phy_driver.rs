// SPDX-License-Identifier: GPL-2.0

//! Two drivers for an imaginary family of Ethernet PHYs (the IDs are made
//! up): a basic model handled entirely by generic code, and a low-power
//! model with its own suspend.

use kernel::c_str;
use kernel::net::phy::{self, reg::C22, DeviceId};
use kernel::prelude::*;

kernel::module_phy_driver! {
    drivers: [BasicPhy, LowPowerPhy],
    device_table: [
        DeviceId::new_with_driver::<BasicPhy>(),
        DeviceId::new_with_driver::<LowPowerPhy>(),
    ],
    name: "phy_driver",
    authors: ["rfl-tutor"],
    description: "Two PHY drivers in one module",
    license: "GPL",
}

/// The basic model: nothing beyond the generic helpers.
struct BasicPhy;

#[vtable]
impl phy::Driver for BasicPhy {
    const NAME: &'static CStr = c_str!("rfl-tutor basic PHY");
    const PHY_DEVICE_ID: DeviceId = DeviceId::new_with_exact_mask(0x0012_3461);

    fn read_status(dev: &mut phy::Device) -> Result<u16> {
        dev.genphy_read_status::<C22>()
    }
}

/// The low-power model: powers down on suspend and reports when it does.
struct LowPowerPhy;

#[vtable]
impl phy::Driver for LowPowerPhy {
    const NAME: &'static CStr = c_str!("rfl-tutor low-power PHY");
    const PHY_DEVICE_ID: DeviceId = DeviceId::new_with_exact_mask(0x0012_3462);

    fn read_status(dev: &mut phy::Device) -> Result<u16> {
        dev.genphy_read_status::<C22>()
    }

    fn suspend(dev: &mut phy::Device) -> Result {
        pr_info!("low-power PHY {:#x} suspending\n", dev.phy_id());
        dev.genphy_suspend()
    }

    fn resume(dev: &mut phy::Device) -> Result {
        dev.genphy_resume()
    }
}
