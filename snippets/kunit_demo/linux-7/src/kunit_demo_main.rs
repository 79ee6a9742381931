// SPDX-License-Identifier: GPL-2.0

//! Code under test and its KUnit test cases. When the module is loaded on a
//! kernel with `CONFIG_KUNIT`, KUnit runs the suite declared in
//! `kunit_demo_suite.c`, which calls the test functions below.

use kernel::bindings;
use kernel::prelude::*;

module! {
    type: KunitDemo,
    name: "kunit_demo",
    authors: ["rfl-tutor"],
    description: "KUnit tests written in Rust",
    license: "GPL",
}

struct KunitDemo;

impl kernel::Module for KunitDemo {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(KunitDemo)
    }
}

// ANCHOR: code
/// Clamps a signed reading into the range 0..=100 of a percentage.
///
/// In the `kernel` crate, an example like this one becomes a KUnit test
/// (a "doctest"); in a module crate like this one it is documentation only.
///
/// ```
/// assert_eq!(clamp_percent(150), 100);
/// assert_eq!(clamp_percent(-3), 0);
/// ```
fn clamp_percent(value: i32) -> u8 {
    value.clamp(0, 100) as u8
}
// ANCHOR_END: code

// ANCHOR: tests
/// KUnit case: values inside the range are kept.
#[no_mangle]
pub extern "C" fn kunit_demo_in_range(_test: *mut bindings::kunit) {
    kernel::kunit_assert_eq!("kunit_demo_in_range", c"kunit_demo_main.rs", 0, clamp_percent(0), 0);
    kernel::kunit_assert_eq!("kunit_demo_in_range", c"kunit_demo_main.rs", 0, clamp_percent(42), 42);
}

/// KUnit case: values outside the range are clamped to its ends.
#[no_mangle]
pub extern "C" fn kunit_demo_out_of_range(_test: *mut bindings::kunit) {
    kernel::kunit_assert!("kunit_demo_out_of_range", c"kunit_demo_main.rs", 0, clamp_percent(-5) == 0);
    kernel::kunit_assert!("kunit_demo_out_of_range", c"kunit_demo_main.rs", 0, clamp_percent(i32::MAX) == 100);
}
// ANCHOR_END: tests
