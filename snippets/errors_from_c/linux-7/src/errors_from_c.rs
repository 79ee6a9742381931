// SPDX-License-Identifier: GPL-2.0

//! Wraps a C-style function (0 or a negative errno) in a Rust `Result`.

use kernel::error::to_result;
use kernel::ffi::c_int;
use kernel::prelude::*;

module! {
    type: ErrorsFromC,
    name: "errors_from_c",
    authors: ["rfl-tutor"],
    description: "Converts errno return values to Result",
    license: "GPL",
}

/// Written the way a C API reports status: 0 for success, `-EBUSY` when the
/// channel is taken, `-ENODEV` when there is no such channel.
fn legacy_claim_channel(channel: c_int) -> c_int {
    match channel {
        0 | 1 => 0,
        2 => EBUSY.to_errno(),
        _ => ENODEV.to_errno(),
    }
}

/// Claims `channel`, reporting failure as an `Error`.
fn claim_channel(channel: c_int) -> Result {
    to_result(legacy_claim_channel(channel))
}

struct ErrorsFromC;

impl kernel::Module for ErrorsFromC {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        claim_channel(1)?;
        for channel in [2, 5] {
            if let Err(e) = claim_channel(channel) {
                pr_info!("channel {} unavailable: {:?}\n", channel, e);
            }
        }
        Ok(ErrorsFromC)
    }
}
