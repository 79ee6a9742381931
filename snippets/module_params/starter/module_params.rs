// SPDX-License-Identifier: GPL-2.0

//! A ring of slots whose size and spacing are chosen when the module is loaded.

use kernel::prelude::*;

module! {
    type: Slots,
    name: "module_params",
    authors: ["rfl-tutor"],
    description: "Sizes a table from module parameters",
    license: "GPL",
    // TODO: declare the parameters `slots` and `step` here.
}

// TODO: these two must come from the command line that loads the module.
const SLOTS: u32 = 2;
const STEP: i64 = 1;

struct Slots {
    values: KVec<i64>,
}

impl kernel::Module for Slots {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let slots = SLOTS;
        let step = STEP;

        let mut values = KVec::with_capacity(slots as usize, GFP_KERNEL)?;
        let mut sum: i64 = 0;
        for n in 1..=i64::from(slots) {
            let value = step.checked_mul(n).ok_or(EOVERFLOW)?;
            sum = sum.checked_add(value).ok_or(EOVERFLOW)?;
            values.push(value, GFP_KERNEL)?;
            pr_info!("slot {} holds {}\n", n, value);
        }
        pr_info!("{} slots of step {}, sum {}\n", values.len(), step, sum);
        Ok(Slots { values })
    }
}

impl Drop for Slots {
    fn drop(&mut self) {
        pr_info!("freeing {} slots\n", self.values.len());
    }
}
