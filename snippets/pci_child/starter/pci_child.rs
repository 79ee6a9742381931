// SPDX-License-Identifier: GPL-2.0

//! A PCI driver that gives each device it binds a child device, for as long as it is bound.

use core::sync::atomic::{AtomicU32, Ordering};
use kernel::{device::Core, driver, faux, pci, prelude::*, InPlaceModule};

/// How many times `probe` has bound a device, since the module was loaded.
static BINDINGS: AtomicU32 = AtomicU32::new(0);

struct ChildDriver;

kernel::pci_device_table!(
    PCI_TABLE,
    <ChildDriver as pci::Driver>::IdInfo,
    [(pci::DeviceId::from_id(pci::Vendor::REDHAT, 0x0005), ())]
);

/// Everything that belongs to one binding of the driver to a device.
struct Binding<'bound> {
    pdev: &'bound pci::Device,
    number: u32,
}

// ANCHOR: probe
impl pci::Driver for ChildDriver {
    type IdInfo = ();
    type Data<'bound> = Binding<'bound>;

    const ID_TABLE: pci::IdTable<Self::IdInfo> = &PCI_TABLE;

    fn probe<'bound>(
        pdev: &'bound pci::Device<Core<'_>>,
        _info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        let number = BINDINGS.fetch_add(1, Ordering::Relaxed) + 1;
        dev_info!(pdev, "binding {number}\n");

        Ok(Binding { pdev, number })
    }
}
// ANCHOR_END: probe

impl Drop for Binding<'_> {
    fn drop(&mut self) {
        dev_info!(
            self.pdev,
            "unbinding {}: removing {}\n",
            self.number,
            self.child.as_ref().as_ref().name()
        );
    }
}

// ANCHOR: module
/// The module: the driver's registration, and a child device made once, at load.
#[pin_data]
struct ChildModule {
    #[pin]
    _driver: driver::Registration<pci::Adapter<ChildDriver>>,
    _child: faux::Registration,
}

impl InPlaceModule for ChildModule {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            _driver <- driver::Registration::new(c"pci_child", module),
            _child: faux::Registration::new(c"rfl-child", None)?,
        })
    }
}
// ANCHOR_END: module

module! {
    type: ChildModule,
    name: "pci_child",
    authors: ["rfl-tutor"],
    description: "A child device per bound pci-testdev",
    license: "GPL",
}
