// SPDX-License-Identifier: GPL-2.0

//! Keeps a lookup table on the heap for as long as the module is loaded.

use kernel::prelude::*;

module! {
    type: Table,
    name: "alloc_fallible",
    authors: ["rfl-tutor"],
    description: "Boxes a large table and handles allocation failure",
    license: "GPL",
}

/// Number of entries in the table.
const ENTRIES: usize = 64;

struct Table {
    cubes: KBox<[u32; ENTRIES]>,
}

impl kernel::Module for Table {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let mut cubes: KBox<[u32; ENTRIES]> = KBox::new([0; ENTRIES], GFP_KERNEL);
        for (i, slot) in cubes.iter_mut().enumerate() {
            let i = i as u32;
            *slot = i.wrapping_mul(i).wrapping_mul(i);
        }
        pr_info!("10 cubed is {}\n", cubes[10]);
        Ok(Table { cubes })
    }
}

impl Drop for Table {
    fn drop(&mut self) {
        pr_info!("freeing a table of {} cubes\n", self.cubes.len());
    }
}
