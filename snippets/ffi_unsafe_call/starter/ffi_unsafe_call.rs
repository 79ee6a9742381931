// SPDX-License-Identifier: GPL-2.0

//! Wraps the kernel's C `int_sqrt` in a safe function and uses it to find
//! perfect squares.

use kernel::bindings;
use kernel::prelude::*;

module! {
    type: Squares,
    name: "ffi_unsafe_call",
    author: "rfl-tutor",
    description: "A safe wrapper around a C function",
    license: "GPL",
}

/// Integer square root, rounded down.
fn isqrt(x: usize) -> usize {
    bindings::int_sqrt(x)
}

struct Squares;

impl kernel::Module for Squares {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        for n in [15usize, 16, 17, 144] {
            let root = isqrt(n);
            let square = root * root == n;
            pr_info!("{} is a perfect square: {}\n", n, square);
        }
        Ok(Squares)
    }
}
