// SPDX-License-Identifier: GPL-2.0

//! Shares state between module init and a work item running on another
//! kernel thread, with the locks the compiler insists on.

use kernel::prelude::*;
use kernel::sync::{Arc, CondVar, Mutex, SpinLock};
use kernel::{new_condvar, new_mutex, new_spinlock, workqueue};

module! {
    type: LockDemo,
    name: "lock_demo",
    authors: ["rfl-tutor"],
    description: "Mutex, SpinLock and CondVar in practice",
    license: "GPL",
}

// ANCHOR: shared
/// Progress of the background job, protected by `Shared::job`.
struct Job {
    steps_done: u32,
    finished: bool,
}

/// State shared by the module and the work item.
#[pin_data]
struct Shared {
    /// Sleeping lock: its holder may block (allocate with GFP_KERNEL, wait).
    #[pin]
    job: Mutex<Job>,
    /// Signalled whenever `job` changes.
    #[pin]
    changed: CondVar,
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
                changed <- new_condvar!(),
                events <- new_spinlock!(0),
            }),
            GFP_KERNEL,
        )?;
        // ANCHOR_END: init

        // ANCHOR: spawn
        let worker = shared.clone();
        workqueue::system().try_spawn(GFP_KERNEL, move || {
            for _ in 0..3 {
                let mut job = worker.job.lock();
                job.steps_done += 1;
                *worker.events.lock() += 1;
                // The guard is dropped at the end of each iteration: unlock.
            }
            worker.job.lock().finished = true;
            worker.changed.notify_all();
        })?;
        // ANCHOR_END: spawn

        // ANCHOR: wait
        let mut job = shared.job.lock();
        while !job.finished {
            // Atomically releases the mutex and sleeps; holds it again on wake-up.
            shared.changed.wait(&mut job);
        }
        pr_info!("job finished after {} steps\n", job.steps_done);
        drop(job);
        // ANCHOR_END: wait

        Ok(LockDemo { shared })
    }
}

impl Drop for LockDemo {
    fn drop(&mut self) {
        pr_info!("{} events counted\n", *self.shared.events.lock());
    }
}
