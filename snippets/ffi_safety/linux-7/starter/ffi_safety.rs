// SPDX-License-Identifier: GPL-2.0

//! Decodes hexadecimal text with the kernel's C `hex_to_bin`.

use kernel::prelude::*;

module! {
    type: Hex,
    name: "ffi_safety",
    authors: ["rfl-tutor"],
    description: "Documents why each unsafe block is sound",
    license: "GPL",
}

// Linux 7.3's generated bindings leave `<linux/hex.h>` out, so the module
// declares the exported C function itself.
// SAFETY: the signature is the one in include/linux/hex.h,
// `int hex_to_bin(unsigned char ch)`, and the symbol is exported to modules.
unsafe extern "C" {
    fn hex_to_bin(ch: u8) -> core::ffi::c_int;
}

/// Value of one hexadecimal digit, or `None` for any other character.
fn hex_digit(c: u8) -> Option<u8> {
    // TODO: explain why this call is sound.
    let v = unsafe { hex_to_bin(c) };
    u8::try_from(v).ok()
}

/// Decodes an even-length hexadecimal string into `out`, returning the number
/// of bytes written.
fn decode(text: &str, out: &mut [u8]) -> Result<usize> {
    let digits = text.as_bytes();
    if digits.len() % 2 != 0 || digits.len() / 2 > out.len() {
        return Err(EINVAL);
    }
    for (i, pair) in digits.chunks(2).enumerate() {
        let high = hex_digit(pair[0]).ok_or(EINVAL)?;
        let low = hex_digit(pair[1]).ok_or(EINVAL)?;
        out[i] = (high << 4) | low;
    }
    Ok(digits.len() / 2)
}

struct Hex;

impl kernel::Module for Hex {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let mut buf = [0u8; 8];
        let n = decode("c0ffee", &mut buf)?;
        pr_info!("decoded {:02x?}\n", &buf[..n]);
        pr_info!("\"zz\" decodes: {}\n", decode("zz", &mut buf).is_ok());
        Ok(Hex)
    }
}
