// SPDX-License-Identifier: GPL-2.0

//! Keeps the largest of a few numbers, using only `core` and the `kernel`
//! crate.

use core::cmp::max;
use kernel::prelude::*;

module! {
    type: NoStd,
    name: "toolchain_no_std",
    authors: ["rfl-tutor"],
    description: "Uses core instead of std",
    license: "GPL",
}

struct NoStd;

impl kernel::Module for NoStd {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let samples = [17u32, 4, 42, 8];
        let largest = samples.iter().copied().fold(0, max);
        pr_info!("largest sample: {}\n", largest);
        Ok(NoStd)
    }
}
