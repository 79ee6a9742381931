// SPDX-License-Identifier: GPL-2.0

//! Does not compile, on purpose: a boxed value is used after its ownership
//! moved into a vector, which in C would be a use after free waiting to
//! happen.

use kernel::prelude::*;

module! {
    type: Owner,
    name: "fails_use_after_move",
    authors: ["rfl-tutor"],
    description: "Shows the compiler rejecting a use after move",
    license: "GPL",
}

struct Owner {
    boxes: KVec<KBox<u32>>,
}

impl kernel::Module for Owner {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        // ANCHOR: moved
        let reading = KBox::new(42u32, GFP_KERNEL)?;
        let mut boxes = KVec::new();
        // Ownership of the allocation moves into the vector here...
        boxes.push(reading, GFP_KERNEL)?;
        // ...so `reading` no longer owns anything: rustc rejects this line.
        pr_info!("reading is {}\n", *reading);
        // ANCHOR_END: moved
        Ok(Owner { boxes })
    }
}

impl Drop for Owner {
    fn drop(&mut self) {
        pr_info!("{} boxes freed\n", self.boxes.len());
    }
}
