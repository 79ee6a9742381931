// SPDX-License-Identifier: GPL-2.0

//! A PCI driver for QEMU's pci-testdev: rings each MMIO test's doorbell once.

use kernel::{device::Core, io::Io, pci, prelude::*};

// ANCHOR: regs
/// The header every test shows at the start of BAR 0, once selected.
mod regs {
    /// Write a test's number here to select it (u8).
    pub(crate) const TEST: usize = 0x0;
    /// Where the selected test's doorbell is, from the start of BAR 0 (u32).
    pub(crate) const OFFSET: usize = 0x4;
    /// The byte to write to the doorbell (u8).
    pub(crate) const DATA: usize = 0x8;
    /// How many matching doorbell writes the device counted (u32).
    pub(crate) const COUNT: usize = 0xc;
    /// The test's name, NUL-terminated.
    pub(crate) const NAME: usize = 0x10;
    /// The header's size: BAR 0 must be at least this big.
    pub(crate) const END: usize = 0x10;
}

/// The MMIO tests (the port I/O ones, 3 to 5, are in BAR 1).
const MMIO_TESTS: u8 = 3;
// ANCHOR_END: regs

// ANCHOR: data
type Bar0<'bound> = pci::Bar<'bound, { regs::END }>;

/// What the driver keeps per bound device.
struct TestdevData<'bound> {
    pdev: &'bound pci::Device,
    bar: Bar0<'bound>,
    rung: u32,
}
// ANCHOR_END: data

// ANCHOR: table
struct TestdevDriver;

kernel::pci_device_table!(
    PCI_TABLE,
    <TestdevDriver as pci::Driver>::IdInfo,
    [(pci::DeviceId::from_id(pci::Vendor::REDHAT, 0x0005), ())]
);
// ANCHOR_END: table

/// Reads the selected test's name (at most 31 bytes) into `buf`; returns its length.
fn test_name(bar: &Bar0<'_>, buf: &mut [u8; 32]) -> Result<usize> {
    let mut len = 0;
    while len < buf.len() - 1 {
        // The offset is only known at run time, so the access is checked at run time.
        let byte = bar.try_read8(regs::NAME + len)?;
        if byte == 0 {
            break;
        }
        buf[len] = byte;
        len += 1;
    }
    Ok(len)
}

// TODO: a function that selects test `index`, rings its doorbell once (writes the test's
// DATA byte at the test's OFFSET) and prints the test's number, name, doorbell and count.

impl pci::Driver for TestdevDriver {
    type IdInfo = ();
    type Data<'bound> = TestdevData<'bound>;

    const ID_TABLE: pci::IdTable<Self::IdInfo> = &PCI_TABLE;

    // TODO: probe: enable the device's memory, map BAR 0, ring each MMIO test's doorbell.
}

// TODO: say "releasing BAR 0 after N doorbells" when the driver data goes.

kernel::module_pci_driver! {
    type: TestdevDriver,
    name: "pci_testdev",
    authors: ["rfl-tutor"],
    description: "Drives QEMU's pci-testdev",
    license: "GPL",
}
