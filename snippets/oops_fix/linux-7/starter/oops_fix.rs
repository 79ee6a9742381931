// SPDX-License-Identifier: GPL-2.0

//! Summarises packet sizes. It oopses when loaded: find out why from the boot log.

use kernel::prelude::*;

module! {
    type: OopsFix,
    name: "oops_fix",
    authors: ["rfl-tutor"],
    description: "A module that no longer oopses",
    license: "GPL",
}

/// The total and the largest of a batch of packet sizes.
fn summary(sizes: &[u16]) -> Option<(u32, u16)> {
    let mut total: u16 = 0;
    let mut largest = sizes[0];
    for i in 0..=sizes.len() {
        total += sizes[i];
        if sizes[i] > largest {
            largest = sizes[i];
        }
    }
    Some((u32::from(total), largest))
}

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
