// SPDX-License-Identifier: GPL-2.0

//! A null block device: it accepts every request and completes it at once
//! without touching any data, like the kernel's rnull driver.

use kernel::block::mq::{
    self,
    gen_disk::{GenDisk, GenDiskBuilder},
    Operations, TagSet,
};
use kernel::prelude::*;
use kernel::sync::{Arc, Mutex};
use kernel::types::ARef;
use kernel::new_mutex;

module! {
    type: BlkDemo,
    name: "blk_demo",
    author: "rfl-tutor",
    description: "A blk-mq block device that completes every request",
    license: "GPL",
}

// ANCHOR: ops
/// The driver's request handling: one type implementing `mq::Operations`.
struct NullQueue;

#[vtable]
impl Operations for NullQueue {
    /// Called by blk-mq for every request; `is_last` says whether more follow.
    fn queue_rq(rq: ARef<mq::Request<Self>>, _is_last: bool) -> Result {
        // Nothing to transfer: complete the request successfully right away.
        // `end_ok` hands the request back if someone else still holds it.
        mq::Request::end_ok(rq).map_err(|_still_referenced| EIO)
    }

    /// Called when blk-mq ends a batch before a request marked `is_last`, so
    /// that the driver can start what it queued; nothing is queued here.
    fn commit_rqs() {}
}
// ANCHOR_END: ops

// ANCHOR: module
struct BlkDemo {
    _disk: Pin<KBox<Mutex<GenDisk<NullQueue>>>>,
}

impl kernel::Module for BlkDemo {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        // One hardware queue, 128 tags (requests in flight at once), one queue
        // map; the tag set is shared with the disk through an Arc.
        let tagset = Arc::pin_init(TagSet::new(1, 128, 1), GFP_KERNEL)?;

        // 64 MiB = 131072 sectors of 512 bytes, 4 KiB blocks.
        let disk = GenDiskBuilder::new()
            .capacity_sectors(64 << 11)
            .logical_block_size(4096)?
            .physical_block_size(4096)?
            .rotational(false)
            .build(format_args!("rfldemo{}", 0), tagset)?;

        pr_info!("registered /dev/rfldemo0\n");
        Ok(BlkDemo {
            _disk: KBox::pin_init(new_mutex!(disk, "blk_demo:disk"), GFP_KERNEL)?,
        })
    }
}
// ANCHOR_END: module
