// SPDX-License-Identifier: GPL-2.0

//! `/dev/rfl-echo`: a misc device that keeps the last text written to it and gives it back.

use kernel::{
    fs::{File, Kiocb},
    iov::{IovIterDest, IovIterSource},
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

/// How much text the device keeps.
const CAPACITY: usize = 64;

// ANCHOR: state
/// The text, shared by every open file: one device, one text.
struct Echo {
    text: [u8; CAPACITY],
    len: usize,
}

kernel::sync::global_lock! {
    // SAFETY: `EchoModule::init` initialises the lock before the device is registered, so
    // before any file can be opened and before anything else touches it.
    unsafe(uninit) static ECHO: Mutex<Echo> = Echo { text: [0; CAPACITY], len: 0 };
}
// ANCHOR_END: state

#[pin_data(PinnedDrop)]
struct EchoModule {
    #[pin]
    _dev: MiscDeviceRegistration<EchoFile>,
}

impl kernel::InPlaceModule for EchoModule {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        // SAFETY: called once, before the registration below makes the device reachable.
        unsafe { ECHO.init() };
        pr_info!("/dev/rfl-echo ready\n");
        try_pin_init!(Self {
            _dev <- MiscDeviceRegistration::register(MiscDeviceOptions { name: c"rfl-echo" }),
        })
    }
}

/// One open file. It holds nothing: the text belongs to the device.
struct EchoFile;

// ANCHOR: fops
#[vtable]
impl MiscDevice for EchoFile {
    type Ptr = KBox<Self>;

    fn open(_file: &File, _misc: &MiscDeviceRegistration<Self>) -> Result<KBox<Self>> {
        Ok(KBox::new(EchoFile, GFP_KERNEL)?)
    }

    fn read_iter(mut kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterDest<'_>) -> Result<usize> {
        let echo = ECHO.lock();
        // From the file position on, so a second read after the whole text returns 0 (the end).
        iov.simple_read_from_buffer(kiocb.ki_pos_mut(), &echo.text[..echo.len])
    }

    fn write_iter(mut kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterSource<'_>) -> Result<usize> {
        let len = iov.len();
        if len > CAPACITY {
            // Refused whole: the old text stays.
            return Err(EINVAL);
        }
        let mut echo = ECHO.lock();
        let copied = iov.copy_from_iter(&mut echo.text[..len]);
        echo.len = copied;
        *kiocb.ki_pos_mut() = 0;
        Ok(copied)
    }
}
// ANCHOR_END: fops

#[pinned_drop]
impl PinnedDrop for EchoModule {
    fn drop(self: Pin<&mut Self>) {
        pr_info!("gone, last text {} bytes\n", ECHO.lock().len);
    }
}
