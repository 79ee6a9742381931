// SPDX-License-Identifier: GPL-2.0

//! Calls C functions of the kernel through the generated `bindings` crate and
//! gives each a safe Rust wrapper.

use kernel::bindings;
use kernel::error::to_result;
use kernel::ffi::{c_int, c_void};
use kernel::prelude::*;
use kernel::{c_str, str::CStr};

module! {
    type: FfiDemo,
    name: "ffi_demo",
    authors: ["rfl-tutor"],
    description: "Safe wrappers around kernel C functions",
    license: "GPL",
}

// ANCHOR: isqrt
/// Integer square root, rounded down, computed by the kernel's C `int_sqrt`.
fn isqrt(x: usize) -> usize {
    // SAFETY: `int_sqrt` takes a plain integer, touches no memory and accepts
    // every value, so no precondition can be violated.
    unsafe { bindings::int_sqrt(x) }
}
// ANCHOR_END: isqrt

// ANCHOR: parse
/// Parses a signed decimal integer with the kernel's `kstrtoint`.
///
/// Returns `EINVAL` for text that is not a number and `ERANGE` when it does
/// not fit in an `i32`.
fn parse_int(text: &CStr) -> Result<i32> {
    let mut value: c_int = 0;
    // SAFETY: `text` is a valid NUL-terminated string for the whole call, and
    // `value` is a valid, writable `c_int` that outlives the call.
    let ret = unsafe { bindings::kstrtoint(text.as_char_ptr(), 10, &mut value) };
    to_result(ret)?;
    Ok(value)
}
// ANCHOR_END: parse

// ANCHOR: helper
/// Round-trips an errno through an "error pointer", the C convention for
/// functions that return either a pointer or an error.
fn errno_through_pointer(err: Error) -> Option<i64> {
    // SAFETY: `ERR_PTR` only turns the integer into a pointer value; nothing
    // is dereferenced.
    let ptr: *mut c_void = unsafe { bindings::ERR_PTR(err.to_errno() as _) };
    // SAFETY: `IS_ERR` and `PTR_ERR` only inspect the pointer's value.
    unsafe {
        if bindings::IS_ERR(ptr) {
            Some(bindings::PTR_ERR(ptr) as i64)
        } else {
            None
        }
    }
}
// ANCHOR_END: helper

struct FfiDemo;

impl kernel::Module for FfiDemo {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        // ANCHOR: use
        pr_info!("isqrt(1000) = {}\n", isqrt(1000));
        for text in [c_str!("-42"), c_str!("12abc"), c_str!("99999999999")] {
            match parse_int(text) {
                Ok(v) => pr_info!("{:?} parses to {}\n", text, v),
                Err(e) => pr_info!("{:?} is rejected: {:?}\n", text, e),
            }
        }
        // ANCHOR_END: use
        pr_info!("EBUSY as a pointer: {:?}\n", errno_through_pointer(EBUSY));
        Ok(FfiDemo)
    }
}
