// SPDX-License-Identifier: GPL-2.0

//! Probes the future.

use kernel::prelude::*;

module! {
    type: Future,
    name: "future_drv",
}

struct Future;

impl kernel::Module for Future {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(Future)
    }
}
