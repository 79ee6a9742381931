// SPDX-License-Identifier: GPL-2.0

//! Traffic counters behind a spinlock, and a text report of them made without sleeping under it.

use kernel::fmt;
use kernel::new_spinlock;
use kernel::prelude::*;
use kernel::str::CString;
use kernel::sync::SpinLock;

module! {
    type: LockAtomic,
    name: "lock_atomic",
    author: "rfl-tutor",
    description: "Nothing that sleeps under a spinlock",
    license: "GPL",
}

struct Stats {
    packets: u64,
    bytes: u64,
}

/// The counters are updated where sleeping is not allowed (a real driver counts in its
/// interrupt handler), so they are behind a spinlock.
#[pin_data]
struct Meter {
    #[pin]
    stats: SpinLock<Stats>,
}

// ANCHOR: report
impl Meter {
    fn count(&self, bytes: u64) {
        let mut stats = self.stats.lock();
        stats.packets += 1;
        stats.bytes += bytes;
    }

    /// A text report of the counters. Formatting into a `CString` allocates with GFP_KERNEL,
    /// which may sleep: copy the numbers out under the lock, and allocate after releasing it.
    fn report(&self) -> Result<CString> {
        let (packets, bytes) = {
            let stats = self.stats.lock();
            (stats.packets, stats.bytes)
        };
        CString::try_from_fmt(fmt!("{} packets, {} bytes", packets, bytes))
    }
}
// ANCHOR_END: report

struct LockAtomic {
    meter: Pin<KBox<Meter>>,
}

impl kernel::Module for LockAtomic {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let meter = KBox::pin_init(
            pin_init!(Meter { stats <- new_spinlock!(Stats { packets: 0, bytes: 0 }) }),
            GFP_KERNEL,
        )?;
        for bytes in [60, 1500, 40] {
            meter.count(bytes);
        }
        pr_info!("report: {}\n", meter.report()?.to_str()?);
        Ok(LockAtomic { meter })
    }
}

impl Drop for LockAtomic {
    fn drop(&mut self) {
        self.meter.count(1000);
        if let Ok(report) = self.meter.report() {
            pr_info!("final: {}\n", report.to_str().unwrap_or("?"));
        }
    }
}
