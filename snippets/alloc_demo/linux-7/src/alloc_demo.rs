// SPDX-License-Identifier: GPL-2.0

//! Allocates memory the kernel way: every allocation names its GFP flags and
//! can fail.

use kernel::prelude::*;

module! {
    type: AllocDemo,
    name: "alloc_demo",
    authors: ["rfl-tutor"],
    description: "Fallible allocation with KBox, KVec and VVec",
    license: "GPL",
}

// ANCHOR: types
/// A sample with a name, kept on the heap.
struct Sample {
    label: &'static str,
    value: u32,
}

struct AllocDemo {
    /// One heap object, allocated with kmalloc.
    newest: KBox<Sample>,
    /// A growable array, kmalloc-backed.
    history: KVec<u32>,
    /// A large buffer: vmalloc-backed, not physically contiguous.
    scratch: VVec<u8>,
}
// ANCHOR_END: types

impl kernel::Module for AllocDemo {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        // ANCHOR: kbox
        // `new` returns `Result<KBox<Sample>, AllocError>`; `?` turns an
        // `AllocError` into `ENOMEM` and makes the module fail to load.
        let newest = KBox::new(
            Sample {
                label: "boot",
                value: 7,
            },
            GFP_KERNEL,
        )?;
        // ANCHOR_END: kbox

        // ANCHOR: kvec
        let mut history = KVec::with_capacity(4, GFP_KERNEL)?;
        for v in [3, 5, 7] {
            // Within the reserved capacity: no allocation happens here.
            history.push(v, GFP_KERNEL)?;
        }
        // Growing past the capacity reallocates, and can fail.
        history.extend_from_slice(&[11, 13], GFP_KERNEL)?;
        // ANCHOR_END: kvec

        // ANCHOR: vvec
        // 256 KiB of zeroes: a job for vmalloc.
        let scratch = VVec::from_elem(0u8, 256 * 1024, GFP_KERNEL)?;
        // ANCHOR_END: vvec

        pr_info!(
            "{} = {}, history {:?} (capacity {}), scratch {} bytes\n",
            newest.label,
            newest.value,
            history,
            history.capacity(),
            scratch.len()
        );
        Ok(AllocDemo {
            newest,
            history,
            scratch,
        })
    }
}

// ANCHOR: drop
impl Drop for AllocDemo {
    fn drop(&mut self) {
        // The fields are freed after this returns, each by its own allocator.
        pr_info!(
            "freeing {} samples, {} bytes of scratch, and {:?}\n",
            self.history.len(),
            self.scratch.len(),
            self.newest.label
        );
    }
}
// ANCHOR_END: drop
