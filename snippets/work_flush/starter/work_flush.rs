// SPDX-License-Identifier: GPL-2.0

//! A sampler that runs on a workqueue until the module tells it to stop, and waits for it.

use kernel::prelude::*;
use kernel::sync::{Arc, CondVar, Mutex};
use kernel::time::msecs_to_jiffies;
use kernel::workqueue::{self, impl_has_work, new_work, Work, WorkItem};
use kernel::{new_condvar, new_mutex};

module! {
    type: WorkFlush,
    name: "work_flush",
    authors: ["rfl-tutor"],
    description: "Stops and waits for its work item before it unloads",
    license: "GPL",
}

/// What the sampler and the module share, under the lock.
struct State {
    /// How many times the sampler woke up.
    rounds: u32,
}

#[pin_data]
struct Sampler {
    #[pin]
    state: Mutex<State>,
    #[pin]
    wake: CondVar,
    #[pin]
    work: Work<Sampler>,
}

impl_has_work! {
    impl HasWork<Self> for Sampler { self.work }
}

impl WorkItem for Sampler {
    type Pointer = Arc<Sampler>;

    fn run(this: Arc<Sampler>) {
        pr_info!("sampler running\n");
        let mut state = this.state.lock();
        // TODO: this loop never ends, so this code runs even after the module is gone.
        loop {
            let _ = this
                .wake
                .wait_interruptible_timeout(&mut state, msecs_to_jiffies(10));
            state.rounds += 1;
        }
    }
}

struct WorkFlush {
    sampler: Arc<Sampler>,
}

impl kernel::Module for WorkFlush {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let sampler = Arc::pin_init(
            pin_init!(Sampler {
                state <- new_mutex!(State { rounds: 0 }),
                wake <- new_condvar!(),
                work <- new_work!("Sampler::work"),
            }),
            GFP_KERNEL,
        )?;
        // A work item that runs until it is stopped belongs on the queue for long work.
        workqueue::system_long()
            .enqueue(sampler.clone())
            .map_err(|_| EBUSY)?;
        pr_info!("sampler queued\n");
        Ok(WorkFlush { sampler })
    }
}

impl Drop for WorkFlush {
    fn drop(&mut self) {
        // TODO: stop the sampler and wait until it has finished.
        self.sampler.wake.notify_all();
        pr_info!("goodbye\n");
    }
}
