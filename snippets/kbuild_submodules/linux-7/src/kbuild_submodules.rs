// SPDX-License-Identifier: GPL-2.0

//! The crate root of a module whose code lives in more than one `.rs` file.

use kernel::prelude::*;

// ANCHOR: mod
// rustc looks for this module in `stats.rs` next to this file.
mod stats;

use stats::Summary;
// ANCHOR_END: mod

module! {
    type: Submodules,
    name: "kbuild_submodules",
    authors: ["rfl-tutor"],
    description: "A single Rust crate split over two files",
    license: "GPL",
}

struct Submodules;

impl kernel::Module for Submodules {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let s = Summary::of(&[3, 9, 4, 12]);
        pr_info!("min {} max {} mean {}\n", s.min, s.max, s.mean);
        Ok(Submodules)
    }
}
