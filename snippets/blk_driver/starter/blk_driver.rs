// SPDX-License-Identifier: GPL-2.0

//! A small null block device that counts its requests and the times blk-mq
//! asks it to commit requests it has queued.

use core::sync::atomic::{AtomicU64, Ordering};
use kernel::block::mq::{
    self,
    gen_disk::{GenDisk, GenDiskBuilder},
    Operations, TagSet,
};
use kernel::new_mutex;
use kernel::prelude::*;
use kernel::sync::{Arc, Mutex};
use kernel::types::ARef;

module! {
    type: CountingBlk,
    name: "blk_driver",
    author: "rfl-tutor",
    description: "A null block device that counts requests and commits",
    license: "GPL",
}

/// Requests completed so far.
static COMPLETED: AtomicU64 = AtomicU64::new(0);
/// Calls to `commit_rqs` so far: blk-mq stopped a batch before a request
/// marked `is_last`, and the driver must push out what it already queued.
static COMMITS: AtomicU64 = AtomicU64::new(0);

struct CountingQueue;

#[vtable]
impl Operations for CountingQueue {
    fn queue_rq(rq: ARef<mq::Request<Self>>, _is_last: bool) -> Result {
        mq::Request::end_ok(rq).map_err(|_| EIO)?;
        COMPLETED.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    // TODO: blk-mq also asks the driver to commit the requests it has queued
    // so far; count those calls in COMMITS.
}

struct CountingBlk {
    _disk: Pin<KBox<Mutex<GenDisk<CountingQueue>>>>,
}

impl kernel::Module for CountingBlk {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let tagset = Arc::pin_init(TagSet::new(2, 64, 1), GFP_KERNEL)?;
        // 16 MiB of 512-byte sectors.
        let disk = GenDiskBuilder::new()
            .capacity_sectors(16 << 11)
            .logical_block_size(512)?
            .physical_block_size(512)?
            .build(format_args!("rflcount{}", 0), tagset)?;
        Ok(CountingBlk {
            _disk: KBox::pin_init(new_mutex!(disk), GFP_KERNEL)?,
        })
    }
}

impl Drop for CountingBlk {
    fn drop(&mut self) {
        pr_info!(
            "{} requests completed, {} commit calls\n",
            COMPLETED.load(Ordering::Relaxed),
            COMMITS.load(Ordering::Relaxed)
        );
    }
}
