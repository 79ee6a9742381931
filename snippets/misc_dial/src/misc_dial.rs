// SPDX-License-Identifier: GPL-2.0

//! `/dev/rfl-dial`: a dial from 0 to 100 that user space sets and reads with ioctls.

use core::sync::atomic::{AtomicI32, Ordering};
use kernel::{
    fs::{File, Kiocb},
    ioctl::{_IO, _IOC_SIZE, _IOR, _IOW},
    iov::IovIterDest,
    miscdevice::{MiscDevice, MiscDeviceOptions, MiscDeviceRegistration},
    prelude::*,
    str::CString,
    uaccess::UserSlice,
};

module! {
    type: DialModule,
    name: "misc_dial",
    authors: ["rfl-tutor"],
    description: "A misc device with ioctls",
    license: "GPL",
}

// ANCHOR: numbers
/// The ioctl numbers user space uses: type 'r', numbers 1 to 3, and the size of what the
/// argument points to. `_IOW` means user space writes (the kernel reads), `_IOR` the opposite.
const DIAL_SET: u32 = _IOW::<i32>('r' as u32, 1);
const DIAL_GET: u32 = _IOR::<i32>('r' as u32, 2);
const DIAL_RESET: u32 = _IO('r' as u32, 3);
// ANCHOR_END: numbers

const DEFAULT: i32 = 50;

/// The dial, shared by every open file.
static DIAL: AtomicI32 = AtomicI32::new(DEFAULT);

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

// ANCHOR: ioctl
#[vtable]
impl MiscDevice for DialFile {
    type Ptr = KBox<Self>;

    fn open(_file: &File, _misc: &MiscDeviceRegistration<Self>) -> Result<KBox<Self>> {
        Ok(KBox::new(DialFile, GFP_KERNEL)?)
    }

    fn ioctl(_me: &DialFile, _file: &File, cmd: u32, arg: usize) -> Result<isize> {
        // The argument is an address in the calling process: only UserSlice may touch it, and
        // a bad address gives EFAULT, never an oops.
        let user = UserSlice::new(UserPtr::from_addr(arg), _IOC_SIZE(cmd));
        match cmd {
            DIAL_SET => {
                let value = user.reader().read::<i32>()?;
                if !(0..=100).contains(&value) {
                    return Err(EINVAL);
                }
                DIAL.store(value, Ordering::Relaxed);
            }
            DIAL_GET => user.writer().write(&DIAL.load(Ordering::Relaxed))?,
            DIAL_RESET => DIAL.store(DEFAULT, Ordering::Relaxed),
            // Not ours: ENOTTY is what the kernel's own drivers answer.
            _ => return Err(ENOTTY),
        }
        Ok(0)
    }

    fn read_iter(mut kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterDest<'_>) -> Result<usize> {
        let text = CString::try_from_fmt(fmt!("dial: {}\n", DIAL.load(Ordering::Relaxed)))?;
        iov.simple_read_from_buffer(kiocb.ki_pos_mut(), text.to_bytes())
    }
}
// ANCHOR_END: ioctl
