// SPDX-License-Identifier: GPL-2.0

//! Computes a buffer size from a record count, refusing sizes that would
//! overflow.

use kernel::prelude::*;

module! {
    type: ErrorsQuestion,
    name: "errors_question",
    authors: ["rfl-tutor"],
    description: "Propagates errors with the question mark operator",
    license: "GPL",
}

/// Size in bytes of one record.
const RECORD_SIZE: u32 = 48;

/// Returns the bytes needed for `records` records plus a 16-byte header.
fn buffer_size(records: u32) -> u32 {
    let payload = records.checked_mul(RECORD_SIZE).ok_or(ERANGE)?;
    let total = payload.checked_add(16).ok_or(ERANGE)?;
    total
}

struct ErrorsQuestion;

impl kernel::Module for ErrorsQuestion {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("100 records need {} bytes\n", buffer_size(100));
        // TODO: once buffer_size can fail, report the failure for this call
        // instead of stopping the module from loading.
        pr_info!("a huge buffer needs {} bytes\n", buffer_size(u32::MAX));
        Ok(ErrorsQuestion)
    }
}
