// SPDX-License-Identifier: GPL-2.0

//! Summarises packet sizes, for every batch including an empty one, without a panic.

use kernel::prelude::*;

module! {
    type: OopsFix,
    name: "oops_fix",
    author: "rfl-tutor",
    description: "A module that no longer oopses",
    license: "GPL",
}

// ANCHOR: summary
/// The total and the largest of a batch of packet sizes; `None` for an empty batch, which has
/// no largest packet. The total of many `u16` sizes needs more than 16 bits.
fn summary(sizes: &[u16]) -> Option<(u32, u16)> {
    let largest = *sizes.iter().max()?;
    let total = sizes.iter().map(|&size| u32::from(size)).sum();
    Some((total, largest))
}
// ANCHOR_END: summary

fn report(sizes: &[u16]) {
    match summary(sizes) {
        Some((total, largest)) => pr_info!(
            "{} packets: total {} bytes, largest {}\n",
            sizes.len(),
            total,
            largest
        ),
        None => pr_info!("{} packets: nothing to sum\n", sizes.len()),
    }
}

struct OopsFix;

impl kernel::Module for OopsFix {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        report(&[1500, 40, 576]);
        report(&[30000, 20000, 20000]);
        report(&[]);
        Ok(OopsFix)
    }
}
