// SPDX-License-Identifier: GPL-2.0

//! Finds the largest and smallest of a few samples. Written for user space:
//! port it to the kernel.

use std::cmp::{max, min};
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
        let samples = vec![17u32, 4, 42, 8];
        let largest = samples.iter().copied().fold(0, max);
        let smallest = samples.iter().copied().fold(u32::MAX, min);
        println!("largest sample: {}, smallest: {}", largest, smallest);
        Ok(NoStd)
    }
}
