// SPDX-License-Identifier: GPL-2.0

//! Shows how kernel Rust reports failure: `Result`, `Error`, errno constants,
//! the `?` operator and conversions from C-style return values.

use kernel::error::{to_result, Error};
use kernel::prelude::*;

module! {
    type: ErrorsDemo,
    name: "errors_demo",
    authors: ["rfl-tutor"],
    description: "Result and Error in kernel Rust",
    license: "GPL",
}

// ANCHOR: parse
/// Parses a percentage written as decimal digits, such as `"75"`.
///
/// Fails with `EINVAL` when `text` is empty or not a number, and with
/// `ERANGE` when the number is above 100.
fn parse_percent(text: &str) -> Result<u8> {
    if text.is_empty() {
        return Err(EINVAL);
    }
    let mut value: u32 = 0;
    for c in text.bytes() {
        let digit = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            _ => return Err(EINVAL),
        };
        value = value.checked_mul(10).ok_or(ERANGE)?;
        value = value.checked_add(digit).ok_or(ERANGE)?;
    }
    if value > 100 {
        return Err(ERANGE);
    }
    // `u8::try_from` fails with `TryFromIntError`; `?` turns it into `EINVAL`
    // because `Error` implements `From<TryFromIntError>`.
    Ok(u8::try_from(value)?)
}
// ANCHOR_END: parse

// ANCHOR: question
/// Averages two percentages given as text; the first failure wins.
fn average_percent(a: &str, b: &str) -> Result<u8> {
    let a = parse_percent(a)?;
    let b = parse_percent(b)?;
    Ok(((u16::from(a) + u16::from(b)) / 2) as u8)
}
// ANCHOR_END: question

// ANCHOR: c_style
/// A function written the C way: 0 on success, a negative errno on failure.
fn c_style_reserve(slot: i32) -> i32 {
    if slot < 0 {
        EINVAL.to_errno()
    } else if slot > 7 {
        ENOSPC.to_errno()
    } else {
        0
    }
}

/// The same operation as a Rust `Result`.
fn reserve(slot: i32) -> Result {
    to_result(c_style_reserve(slot))
}
// ANCHOR_END: c_style

struct ErrorsDemo;

impl kernel::Module for ErrorsDemo {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        // ANCHOR: report
        for text in ["75", "250", "7x", ""] {
            match parse_percent(text) {
                Ok(p) => pr_info!("{:?} -> {}%\n", text, p),
                Err(e) => pr_info!("{:?} -> {:?} (errno {})\n", text, e, e.to_errno()),
            }
        }
        // ANCHOR_END: report
        pr_info!("average: {}%\n", average_percent("40", "61")?);

        // ANCHOR: errno
        let busy = Error::from_errno(-16);
        pr_info!("errno -16 is {:?}\n", busy);
        if let Err(e) = reserve(9) {
            pr_info!("reserve(9) failed: {:?}\n", e);
        }
        reserve(3)?;
        // ANCHOR_END: errno
        Ok(ErrorsDemo)
    }
}
