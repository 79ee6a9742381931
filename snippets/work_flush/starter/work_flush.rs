// SPDX-License-Identifier: GPL-2.0

//! A worker on a workqueue that serves jobs until the module stops it, and waits for it.

use kernel::prelude::*;
use kernel::sync::{Arc, CondVar, Mutex};
use kernel::time::{delay::fsleep, Delta};
use kernel::workqueue::{self, impl_has_work, new_work, Work, WorkItem};
use kernel::{new_condvar, new_mutex};

module! {
    type: WorkFlush,
    name: "work_flush",
    authors: ["rfl-tutor"],
    description: "Stops and waits for its work item before it unloads",
    license: "GPL",
}

/// What the worker and the module share, under the lock.
struct State {
    /// Jobs handed to the worker and not yet done: each is a number to square.
    pending: KVec<u64>,
    /// How many jobs the worker has done, and the sum of their results.
    done: u32,
    total: u64,
}

#[pin_data]
struct Worker {
    #[pin]
    state: Mutex<State>,
    /// Wakes the worker when there is a job.
    #[pin]
    wake: CondVar,
    #[pin]
    work: Work<Worker>,
}

impl_has_work! {
    impl HasWork<Self> for Worker { self.work }
}

impl WorkItem for Worker {
    type Pointer = Arc<Worker>;

    fn run(this: Arc<Worker>) {
        let mut state = this.state.lock();
        // TODO: this loop never ends, so the worker outlives the module.
        loop {
            if let Some(n) = state.pending.pop() {
                // A job is slow (think of a device that needs half a second): do it unlocked.
                drop(state);
                fsleep(Delta::from_millis(500));
                state = this.state.lock();
                state.done += 1;
                state.total += n * n;
                continue;
            }
            this.wake.wait(&mut state);
        }
    }
}

struct WorkFlush {
    worker: Arc<Worker>,
}

impl kernel::Module for WorkFlush {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let mut jobs = KVec::new();
        for n in [2, 3, 5] {
            jobs.push(n, GFP_KERNEL)?;
        }
        let worker = Arc::pin_init(
            pin_init!(Worker {
                state <- new_mutex!(State { pending: jobs, done: 0, total: 0 }),
                wake <- new_condvar!(),
                work <- new_work!("Worker::work"),
            }),
            GFP_KERNEL,
        )?;
        // A work item that runs until it is stopped belongs on the queue for long work.
        workqueue::system_long()
            .enqueue(worker.clone())
            .map_err(|_| EBUSY)?;
        pr_info!("worker queued with 3 jobs\n");
        Ok(WorkFlush { worker })
    }
}

impl Drop for WorkFlush {
    fn drop(&mut self) {
        self.worker.state.lock().stop = true;
        self.worker.wake.notify_all();
        // TODO: the worker may still be running code of this module.
        pr_info!("goodbye\n");
    }
}
