// SPDX-License-Identifier: GPL-2.0

//! `/dev/rfl-ring`: a byte ring buffer shared by every open file, sized by a module parameter.
//! Writes append and overwrite the oldest bytes once the ring is full; reads take the oldest
//! bytes out; two ioctls clear the ring and tell how much it holds.

use kernel::{
    fs::{File, Kiocb},
    ioctl::{_IO, _IOC_SIZE, _IOR},
    iov::{IovIterDest, IovIterSource},
    miscdevice::{MiscDevice, MiscDeviceOptions, MiscDeviceRegistration},
    prelude::*,
    uaccess::UserSlice,
};

module! {
    type: RingModule,
    name: "misc_ring",
    authors: ["rfl-tutor"],
    description: "A ring buffer behind a misc device",
    license: "GPL",
    params: {
        size: usize {
            default: 16,
            description: "Bytes the ring holds (4 to 4096)",
        },
    },
}

const RING_CLEAR: u32 = _IO('R' as u32, 1);
const RING_LEN: u32 = _IOR::<u32>('R' as u32, 2);

/// The ring: `len` bytes starting at `head`, wrapping around the end of `buf`.
struct Ring {
    buf: KVec<u8>,
    head: usize,
    len: usize,
}

impl Ring {
    fn push(&mut self, byte: u8) {
        let cap = self.buf.len();
        let tail = (self.head + self.len) % cap;
        self.buf[tail] = byte;
        if self.len == cap {
            // Full: the oldest byte goes.
            self.head = (self.head + 1) % cap;
        } else {
            self.len += 1;
        }
    }

    fn pop(&mut self) -> Option<u8> {
        if self.len == 0 {
            return None;
        }
        let byte = self.buf[self.head];
        self.head = (self.head + 1) % self.buf.len();
        self.len -= 1;
        Some(byte)
    }
}

kernel::sync::global_lock! {
    // SAFETY: `RingModule::init` initialises the lock before the device is registered.
    unsafe(uninit) static RING: Mutex<Ring> = Ring { buf: KVec::new(), head: 0, len: 0 };
}

struct RingModule {
    /// `None` only while the module is unloaded: see `drop`.
    dev: Option<Pin<KBox<MiscDeviceRegistration<RingFile>>>>,
}

impl kernel::Module for RingModule {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let size = module_parameters::size.value();
        if !(4..=4096).contains(&size) {
            pr_err!("size={} is outside 4 to 4096\n", size);
            return Err(EINVAL);
        }
        // SAFETY: called once, before the registration below makes the device reachable.
        unsafe { RING.init() };
        RING.lock().buf = KVec::from_elem(0u8, size, GFP_KERNEL)?;
        let options = MiscDeviceOptions { name: c"rfl-ring" };
        let dev = KBox::pin_init(MiscDeviceRegistration::register(options), GFP_KERNEL)?;
        pr_info!("/dev/rfl-ring holds {} bytes\n", size);
        Ok(RingModule { dev: Some(dev) })
    }
}

impl Drop for RingModule {
    fn drop(&mut self) {
        // Unregister first: once the device is gone no file operation can run, and only then
        // may the buffer they use be freed.
        drop(self.dev.take());
        let mut ring = RING.lock();
        pr_info!("freeing the ring with {} bytes left\n", ring.len);
        ring.buf = KVec::new();
    }
}

struct RingFile;

#[vtable]
impl MiscDevice for RingFile {
    type Ptr = KBox<Self>;

    fn open(_file: &File, _misc: &MiscDeviceRegistration<Self>) -> Result<KBox<Self>> {
        Ok(KBox::new(RingFile, GFP_KERNEL)?)
    }

    fn write_iter(_kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterSource<'_>) -> Result<usize> {
        let mut chunk = [0u8; 64];
        let mut total = 0;
        // Copy from user memory outside the lock, a chunk at a time: a copy may fault and sleep.
        while !iov.is_empty() {
            let n = iov.copy_from_iter(&mut chunk);
            if n == 0 {
                return if total == 0 { Err(EFAULT) } else { Ok(total) };
            }
            let mut ring = RING.lock();
            for &byte in &chunk[..n] {
                ring.push(byte);
            }
            total += n;
        }
        Ok(total)
    }

    fn read_iter(_kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterDest<'_>) -> Result<usize> {
        let mut chunk = [0u8; 64];
        let mut n = 0;
        {
            let mut ring = RING.lock();
            while n < chunk.len() && n < iov.len() {
                match ring.pop() {
                    Some(byte) => chunk[n] = byte,
                    None => break,
                }
                n += 1;
            }
        }
        // An empty ring reads as end of file, so `cat` stops.
        Ok(iov.copy_to_iter(&chunk[..n]))
    }

    fn ioctl(_me: &RingFile, _file: &File, cmd: u32, arg: usize) -> Result<isize> {
        match cmd {
            RING_CLEAR => {
                let mut ring = RING.lock();
                ring.head = 0;
                ring.len = 0;
            }
            RING_LEN => {
                let len = RING.lock().len as u32;
                UserSlice::new(UserPtr::from_addr(arg), _IOC_SIZE(cmd)).writer().write(&len)?;
            }
            _ => return Err(ENOTTY),
        }
        Ok(0)
    }
}
