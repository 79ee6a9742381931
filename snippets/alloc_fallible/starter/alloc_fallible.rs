// SPDX-License-Identifier: GPL-2.0

//! Keeps a table of cubes on the heap and hands out buffers on request, refusing the requests it
//! cannot allocate for.

use kernel::prelude::*;

module! {
    type: Table,
    name: "alloc_fallible",
    author: "rfl-tutor",
    description: "Handles every allocation failure: propagates or refuses",
    license: "GPL",
}

/// Number of entries in the table.
const ENTRIES: usize = 64;

/// Entries asked for by three requests. The last count is garbage, as counts that come from a
/// device or from user space can be: at 4 bytes an entry, it is more than the address space.
const REQUESTS: [usize; 3] = [16, 1000, usize::MAX / 2];

struct Table {
    cubes: KBox<[u32; ENTRIES]>,
    buffers: KVec<KVec<u32>>,
}

impl kernel::Module for Table {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let mut cubes: KBox<[u32; ENTRIES]> = KBox::new([0; ENTRIES], GFP_KERNEL);
        for (i, slot) in cubes.iter_mut().enumerate() {
            let i = i as u32;
            *slot = i.wrapping_mul(i).wrapping_mul(i);
        }
        pr_info!("10 cubed is {}\n", cubes[10]);

        let mut buffers = KVec::new();
        for &entries in &REQUESTS {
            let buffer: KVec<u32> = KVec::with_capacity(entries, GFP_KERNEL);
            buffers.push(buffer, GFP_KERNEL);
        }
        pr_info!("granted {} of {} buffers\n", buffers.len(), REQUESTS.len());
        Ok(Table { cubes, buffers })
    }
}

impl Drop for Table {
    fn drop(&mut self) {
        pr_info!(
            "freeing a table of {} cubes and {} buffers\n",
            self.cubes.len(),
            self.buffers.len()
        );
    }
}
