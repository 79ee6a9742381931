// SPDX-License-Identifier: GPL-2.0

//! `/dev/rfl-echo`: a misc device that keeps the last text written to it and gives it back.

use kernel::{
    fs::File,
    miscdevice::{MiscDevice, MiscDeviceOptions, MiscDeviceRegistration},
    prelude::*,
};

module! {
    type: EchoModule,
    name: "misc_echo",
    authors: ["rfl-tutor"],
    description: "A misc device that echoes the last write",
    license: "GPL",
}

// TODO: the text (at most 64 bytes), shared by every open file, behind a lock.

#[pin_data(PinnedDrop)]
struct EchoModule {
    #[pin]
    _dev: MiscDeviceRegistration<EchoFile>,
}

impl kernel::InPlaceModule for EchoModule {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        pr_info!("/dev/rfl-echo ready\n");
        try_pin_init!(Self {
            _dev <- MiscDeviceRegistration::register(MiscDeviceOptions { name: c"rfl-echo" }),
        })
    }
}

/// One open file.
struct EchoFile;

#[vtable]
impl MiscDevice for EchoFile {
    type Ptr = KBox<Self>;

    fn open(_file: &File, _misc: &MiscDeviceRegistration<Self>) -> Result<KBox<Self>> {
        Ok(KBox::new(EchoFile, GFP_KERNEL)?)
    }

    // TODO: read_iter and write_iter.
}

#[pinned_drop]
impl PinnedDrop for EchoModule {
    fn drop(self: Pin<&mut Self>) {
        // TODO: say how long the last text was: "misc_echo: gone, last text N bytes".
        pr_info!("gone\n");
    }
}
