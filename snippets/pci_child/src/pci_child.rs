// SPDX-License-Identifier: GPL-2.0

//! A PCI driver that gives each device it binds a child device, for as long as it is bound.

use core::sync::atomic::{AtomicU32, Ordering};
use kernel::{device::Core, faux, pci, prelude::*};

/// How many times `probe` has bound a device, since the module was loaded.
static BINDINGS: AtomicU32 = AtomicU32::new(0);

struct ChildDriver;

kernel::pci_device_table!(
    PCI_TABLE,
    <ChildDriver as pci::Driver>::IdInfo,
    [(pci::DeviceId::from_id(pci::Vendor::REDHAT, 0x0005), ())]
);

// ANCHOR: binding
/// Everything that belongs to one binding of the driver to a device.
struct Binding<'bound> {
    pdev: &'bound pci::Device,
    number: u32,
    // Dropped with the binding: the child device goes when the parent is unbound.
    child: faux::Registration,
}
// ANCHOR_END: binding

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

        // The PCI device is the parent: the child appears in sysfs below it.
        let child = faux::Registration::new(c"rfl-child", Some(pdev.as_ref()))?;
        dev_info!(
            child.as_ref(),
            "child of {}, binding {number}\n",
            pdev.as_ref().name()
        );

        Ok(Binding { pdev, number, child })
    }
}
// ANCHOR_END: probe

// ANCHOR: drop
impl Drop for Binding<'_> {
    fn drop(&mut self) {
        // `child` is dropped right after this function: the faux device is destroyed.
        dev_info!(
            self.pdev,
            "unbinding {}: removing {}\n",
            self.number,
            self.child.as_ref().as_ref().name()
        );
    }
}
// ANCHOR_END: drop

kernel::module_pci_driver! {
    type: ChildDriver,
    name: "pci_child",
    authors: ["rfl-tutor"],
    description: "A child device per bound pci-testdev",
    license: "GPL",
}
