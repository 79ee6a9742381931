// SPDX-License-Identifier: GPL-2.0

//! `/dev/rfl-dial`: a dial from 0 to 100 that user space sets and reads with ioctls.

use core::sync::atomic::{AtomicI32, Ordering};
use kernel::{
    fs::{File, Kiocb},
    iov::IovIterDest,
    miscdevice::{MiscDevice, MiscDeviceOptions, MiscDeviceRegistration},
    prelude::*,
    str::CString,
};

module! {
    type: DialModule,
    name: "misc_dial",
    authors: ["rfl-tutor"],
    description: "A misc device with ioctls",
    license: "GPL",
}

// TODO: the three ioctl numbers (kernel::ioctl has _IO, _IOR and _IOW).

/// The dial, shared by every open file.
static DIAL: AtomicI32 = AtomicI32::new(50);

#[pin_data]
struct DialModule {
    #[pin]
    _dev: MiscDeviceRegistration<DialFile>,
}

impl kernel::InPlaceModule for DialModule {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        pr_info!("/dev/rfl-dial at {}\n", DIAL.load(Ordering::Relaxed));
        try_pin_init!(Self {
            _dev <- MiscDeviceRegistration::register(MiscDeviceOptions { name: c"rfl-dial" }),
        })
    }
}

struct DialFile;

#[vtable]
impl MiscDevice for DialFile {
    type Ptr = KBox<Self>;

    fn open(_file: &File, _misc: &MiscDeviceRegistration<Self>) -> Result<KBox<Self>> {
        Ok(KBox::new(DialFile, GFP_KERNEL)?)
    }

    // TODO: ioctl.

    fn read_iter(mut kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterDest<'_>) -> Result<usize> {
        let text = CString::try_from_fmt(fmt!("dial: {}\n", DIAL.load(Ordering::Relaxed)))?;
        iov.simple_read_from_buffer(kiocb.ki_pos_mut(), text.to_bytes())
    }
}
