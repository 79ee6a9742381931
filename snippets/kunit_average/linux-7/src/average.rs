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

/// The mean of `a` and `b`, rounded down, for every pair of `u32` values.
fn average(a: u32, b: u32) -> u32 {
    // Halve first so the sum cannot overflow; add back the carry of the two
    // dropped low bits.
    a / 2 + b / 2 + (a & b & 1)
}

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
