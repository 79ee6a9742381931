// SPDX-License-Identifier: GPL-2.0

//! should_build: a module for the planted pack.

use kernel::prelude::*;

module! {
    type: ShouldBuild,
    name: "should_build",
    author: "rfl-tutor",
    description: "A planted snippet",
    license: "GPL",
}

struct ShouldBuild;

impl kernel::Module for ShouldBuild {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let answer: u32 = "forty-two";
        pr_info!("{}\n", answer);
        Ok(ShouldBuild)
    }
}
