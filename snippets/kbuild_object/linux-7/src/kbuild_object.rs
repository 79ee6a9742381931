// SPDX-License-Identifier: GPL-2.0

//! A module whose only job is to be built by a correct Kbuild file.

use kernel::prelude::*;

module! {
    type: KbuildObject,
    name: "kbuild_object",
    authors: ["rfl-tutor"],
    description: "Built from kbuild_object.rs through obj-m",
    license: "GPL",
}

struct KbuildObject;

impl kernel::Module for KbuildObject {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("built from the object Kbuild asked for\n");
        Ok(KbuildObject)
    }
}
