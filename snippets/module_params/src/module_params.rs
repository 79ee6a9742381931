// SPDX-License-Identifier: GPL-2.0

//! A ring of slots whose size and spacing are chosen when the module is loaded.

use kernel::prelude::*;

// ANCHOR: module
module! {
    type: Slots,
    name: "module_params",
    authors: ["rfl-tutor"],
    description: "Sizes a table from module parameters",
    license: "GPL",
    params: {
        slots: u32 {
            default: 2,
            description: "How many slots to allocate (1 to 64)",
        },
        step: i64 {
            default: 1,
            description: "The value slot n holds is step times n",
        },
    },
}
// ANCHOR_END: module

/// The most slots the module agrees to allocate.
const MAX_SLOTS: u32 = 64;

struct Slots {
    values: KVec<i64>,
}

impl kernel::Module for Slots {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        // ANCHOR: read
        let slots = module_parameters::slots.value();
        let step = module_parameters::step.value();
        if slots == 0 || slots > MAX_SLOTS {
            pr_err!("slots={} is outside 1..={}\n", slots, MAX_SLOTS);
            return Err(EINVAL);
        }
        // ANCHOR_END: read

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
