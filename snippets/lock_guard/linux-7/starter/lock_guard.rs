// SPDX-License-Identifier: GPL-2.0

//! Records the highest temperature seen, under a spinlock.

use kernel::new_spinlock;
use kernel::prelude::*;
use kernel::sync::SpinLock;

module! {
    type: Thermal,
    name: "lock_guard",
    authors: ["rfl-tutor"],
    description: "Locks before touching protected data",
    license: "GPL",
}

/// The highest reading so far, in millidegrees Celsius.
#[pin_data]
struct Peak {
    #[pin]
    millicelsius: SpinLock<i32>,
}

impl Peak {
    /// Remembers `reading` if it is the highest one yet.
    fn update(&self, reading: i32) {
        // TODO: the value lives inside the lock.
        if reading > *self.millicelsius {
            *self.millicelsius = reading;
        }
    }
}

struct Thermal {
    peak: Pin<KBox<Peak>>,
}

impl kernel::Module for Thermal {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let peak = KBox::pin_init(
            pin_init!(Peak {
                millicelsius <- new_spinlock!(i32::MIN),
            }),
            GFP_KERNEL,
        )?;
        for reading in [41_500, 47_250, 39_000] {
            peak.update(reading);
        }
        pr_info!("peak: {} mC\n", *peak.millicelsius.lock());
        Ok(Thermal { peak })
    }
}

impl Drop for Thermal {
    fn drop(&mut self) {
        pr_info!("final peak: {} mC\n", *self.peak.millicelsius.lock());
    }
}
