// SPDX-License-Identifier: GPL-2.0

//! A worker on a workqueue that serves jobs until the module stops it, and waits for it.

use kernel::prelude::*;
use kernel::sync::{Arc, CondVar, Completion, Mutex};
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
    /// Set by the module when the worker must finish.
    stop: bool,
    /// Jobs handed to the worker and not yet done: each is a number to square.
    pending: KVec<u64>,
    /// How many jobs the worker has done, and the sum of their results.
    done: u32,
    total: u64,
}

// ANCHOR: worker
#[pin_data]
struct Worker {
    #[pin]
    state: Mutex<State>,
    /// Wakes the worker when there is a job, or when `stop` is set.
    #[pin]
    wake: CondVar,
    /// Completed by the worker as the last thing it does.
    #[pin]
    finished: Completion,
    #[pin]
    work: Work<Worker>,
}

impl_has_work! {
    impl HasWork<Self> for Worker { self.work }
}
// ANCHOR_END: worker

// ANCHOR: run
impl WorkItem for Worker {
    type Pointer = Arc<Worker>;

    fn run(this: Arc<Worker>) {
        let mut state = this.state.lock();
        loop {
            // Every job handed over is done, even those still pending when `stop` is set.
            if let Some(n) = state.pending.pop() {
                // A job is slow (think of a device that needs half a second): do it unlocked.
                drop(state);
                fsleep(Delta::from_millis(500));
                state = this.state.lock();
                state.done += 1;
                state.total += n * n;
                continue;
            }
            if state.stop {
                break;
            }
            this.wake.wait(&mut state);
        }
        let (done, total) = (state.done, state.total);
        drop(state);
        pr_info!("worker finished {} job(s), total {}\n", done, total);
        this.finished.complete_all();
    }
}
// ANCHOR_END: run

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
                state <- new_mutex!(State { stop: false, pending: jobs, done: 0, total: 0 }),
                wake <- new_condvar!(),
                finished <- Completion::new(),
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

// ANCHOR: drop
impl Drop for WorkFlush {
    fn drop(&mut self) {
        self.worker.state.lock().stop = true;
        self.worker.wake.notify_all();
        // The worker runs module code: the module may not go before it has finished.
        self.worker.finished.wait_for_completion();
        pr_info!("worker joined\n");
        pr_info!("goodbye\n");
    }
}
// ANCHOR_END: drop
