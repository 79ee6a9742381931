// SPDX-License-Identifier: GPL-2.0

//! Stores a greeting as bytes in a kmalloc-backed vector.

use kernel::prelude::*;

module! {
    type: Bytes,
    name: "alloc_kvec",
    authors: ["rfl-tutor"],
    description: "Uses KVec, the kmalloc-backed vector",
    license: "GPL",
}

struct Bytes {
    text: KVec<u8>,
}

impl kernel::Module for Bytes {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let mut text = KVec::new();
        text.extend_from_slice(b"hello, allocator", GFP_KERNEL)?;
        let shown = core::str::from_utf8(&text)?;
        pr_info!("{} bytes: {}\n", text.len(), shown);
        Ok(Bytes { text })
    }
}

impl Drop for Bytes {
    fn drop(&mut self) {
        pr_info!("releasing {} bytes\n", self.text.len());
    }
}
