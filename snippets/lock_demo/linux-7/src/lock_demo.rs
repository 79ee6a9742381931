// SPDX-License-Identifier: GPL-2.0

//! Shares state behind two kinds of lock, built in place inside an `Arc`, with the locks the
//! compiler insists on.

use kernel::prelude::*;
use kernel::sync::{Arc, Mutex, SpinLock};
use kernel::{new_mutex, new_spinlock};

module! {
    type: LockDemo,
    name: "lock_demo",
    authors: ["rfl-tutor"],
    description: "Mutex and SpinLock in practice",
    license: "GPL",
}

// ANCHOR: shared
/// Progress of a job, protected by `Shared::job`.
struct Job {
    steps_done: u32,
    finished: bool,
}

/// State shared by everyone holding the `Arc`.
#[pin_data]
struct Shared {
    /// Sleeping lock: its holder may block (allocate with GFP_KERNEL, wait).
    #[pin]
    job: Mutex<Job>,
    /// Spinning lock for a tiny critical section that never sleeps.
    #[pin]
    events: SpinLock<u64>,
}
// ANCHOR_END: shared

struct LockDemo {
    shared: Arc<Shared>,
}

impl kernel::Module for LockDemo {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        // ANCHOR: init
        // Locks must not move once initialised, so they are built in place,
        // directly inside the Arc's allocation.
        let shared = Arc::pin_init(
            pin_init!(Shared {
                job <- new_mutex!(Job { steps_done: 0, finished: false }),
                events <- new_spinlock!(0),
            }),
            GFP_KERNEL,
        )?;
        // ANCHOR_END: init

        // ANCHOR: steps
        for _ in 0..3 {
            let mut job = shared.job.lock();
            job.steps_done += 1;
            // A spinlock inside a mutex is fine; the other way round would sleep while spinning.
            *shared.events.lock() += 1;
            // `job` is dropped at the end of each iteration: unlock.
        }
        let mut job = shared.job.lock();
        job.finished = true;
        pr_info!("job finished after {} steps\n", job.steps_done);
        drop(job);
        // ANCHOR_END: steps

        Ok(LockDemo { shared })
    }
}

impl Drop for LockDemo {
    fn drop(&mut self) {
        pr_info!("{} events counted\n", *self.shared.events.lock());
    }
}
