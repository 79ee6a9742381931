// SPDX-License-Identifier: GPL-2.0

//! A sampler that runs on a workqueue until the module tells it to stop, and waits for it.

use kernel::prelude::*;
use kernel::sync::{Arc, CondVar, Completion, Mutex};
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
    /// Set by the module when the sampler must finish.
    stop: bool,
    /// How many times the sampler woke up.
    rounds: u32,
}

// ANCHOR: sampler
#[pin_data]
struct Sampler {
    #[pin]
    state: Mutex<State>,
    /// Wakes the sampler early, when `stop` is set.
    #[pin]
    wake: CondVar,
    /// Completed by the sampler as the last thing it does.
    #[pin]
    done: Completion,
    #[pin]
    work: Work<Sampler>,
}

impl_has_work! {
    impl HasWork<Self> for Sampler { self.work }
}
// ANCHOR_END: sampler

// ANCHOR: run
impl WorkItem for Sampler {
    type Pointer = Arc<Sampler>;

    fn run(this: Arc<Sampler>) {
        pr_info!("sampler running\n");
        let mut state = this.state.lock();
        while !state.stop {
            // One round every 10 ms, or at once when the module sets `stop` and wakes us.
            let _ = this
                .wake
                .wait_interruptible_timeout(&mut state, msecs_to_jiffies(10));
            state.rounds += 1;
        }
        let rounds = state.rounds;
        drop(state);
        pr_info!("sampler stopped after {} round(s)\n", rounds);
        this.done.complete_all();
    }
}
// ANCHOR_END: run

struct WorkFlush {
    sampler: Arc<Sampler>,
}

impl kernel::Module for WorkFlush {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let sampler = Arc::pin_init(
            pin_init!(Sampler {
                state <- new_mutex!(State { stop: false, rounds: 0 }),
                wake <- new_condvar!(),
                done <- Completion::new(),
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

// ANCHOR: drop
impl Drop for WorkFlush {
    fn drop(&mut self) {
        self.sampler.state.lock().stop = true;
        self.sampler.wake.notify_all();
        // The sampler runs module code: the module may not go before it has finished.
        self.sampler.done.wait_for_completion();
        pr_info!("sampler joined\n");
        pr_info!("goodbye\n");
    }
}
// ANCHOR_END: drop
