// SPDX-License-Identifier: GPL-2.0

//! Parses unsigned numbers in several bases with the kernel's C `kstrtouint`.

use kernel::bindings;
use kernel::error::to_result;
use kernel::ffi::c_uint;
use kernel::prelude::*;

module! {
    type: Bases,
    name: "ffi_cstr",
    authors: ["rfl-tutor"],
    description: "Passes C strings to a kernel C function",
    license: "GPL",
}

/// Parses `text` as an unsigned number in `base` (0 means: guess from a
/// `0x` or `0` prefix, like C's strtoul).
fn parse_uint(text: &str, base: c_uint) -> Result<u32> {
    let mut value: c_uint = 0;
    // TODO: C expects a pointer to a NUL-terminated string here.
    // SAFETY: `value` is a valid place for the result. (What about `text`?)
    let ret = unsafe { bindings::kstrtouint(text, base, &mut value) };
    to_result(ret)?;
    Ok(value)
}

struct Bases;

impl kernel::Module for Bases {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let hex = parse_uint("0x1f", 0)?;
        let octal = parse_uint("0755", 0)?;
        let binary = parse_uint("101010", 2)?;
        pr_info!("0x1f={} 0755={} 0b101010={}\n", hex, octal, binary);
        match parse_uint("12abc", 10) {
            Ok(v) => pr_err!("12abc parsed as {}?\n", v),
            Err(e) => pr_info!("12abc refused: {:?}\n", e),
        }
        Ok(Bases)
    }
}
