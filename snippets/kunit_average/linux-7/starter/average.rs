// SPDX-License-Identifier: GPL-2.0

//! An overflow-free average of two `u32` values, with KUnit tests.

use kernel::bindings;
use kernel::prelude::*;

module! {
    type: Average,
    name: "kunit_average",
    authors: ["rfl-tutor"],
    description: "Averages two numbers without overflowing, tested with KUnit",
    license: "GPL",
}

struct Average;

impl kernel::Module for Average {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("average(7, 10) = {}\n", average(7, 10));
        Ok(Average)
    }
}

// TODO: write `average`, the function the tests below exercise.

/// KUnit case: small values, rounding down.
#[no_mangle]
pub extern "C" fn kunit_average_small(_test: *mut bindings::kunit) {
    kernel::kunit_assert_eq!("kunit_average_small", c"average.rs", 0, average(2, 4), 3);
    kernel::kunit_assert_eq!("kunit_average_small", c"average.rs", 0, average(7, 10), 8);
    kernel::kunit_assert_eq!("kunit_average_small", c"average.rs", 0, average(0, 1), 0);
}

/// KUnit case: values whose sum does not fit in a `u32`.
#[no_mangle]
pub extern "C" fn kunit_average_large(_test: *mut bindings::kunit) {
    kernel::kunit_assert_eq!("kunit_average_large", c"average.rs", 0, average(u32::MAX, u32::MAX), u32::MAX);
    kernel::kunit_assert_eq!("kunit_average_large", c"average.rs", 0, average(u32::MAX, u32::MAX - 2), u32::MAX - 1);
}
