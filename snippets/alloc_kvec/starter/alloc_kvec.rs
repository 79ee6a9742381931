// SPDX-License-Identifier: GPL-2.0

//! Keeps a name, a frame of pixels and an index of the frame's rows, each in the vector type that
//! suits it.

use kernel::prelude::*;

module! {
    type: Frame,
    name: "alloc_kvec",
    author: "rfl-tutor",
    description: "Picks KVec, VVec or KVVec for each buffer",
    license: "GPL",
}

/// The display mode: 1920 x 1080 pixels of 4 bytes is 8100 KiB, more than kmalloc can hand out
/// here (4 MiB with 4 KiB pages).
const WIDTH: usize = 1920;
const HEIGHT: usize = 1080;

/// The colour the frame is cleared to.
const BLUE: u32 = 0x0000_00ff;

struct Frame {
    /// A few bytes.
    name: Vec<u8>,
    /// Megabytes only the CPU touches: they need not be physically contiguous.
    pixels: Vec<u32>,
    /// One entry per row, as many as the mode has: small here, but not in every mode.
    rows: Vec<usize>,
}

impl kernel::Module for Frame {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let name = b"hello, allocator".to_vec();
        let pixels = vec![BLUE; WIDTH * HEIGHT];
        let rows: Vec<usize> = (0..HEIGHT).map(|y| y * WIDTH).collect();

        pr_info!("{}: {} bytes\n", core::str::from_utf8(&name)?, name.len());
        pr_info!(
            "frame: {}x{}, {} KiB, last row at pixel {}\n",
            pixels.len() / rows.len(),
            rows.len(),
            pixels.len() * core::mem::size_of::<u32>() / 1024,
            rows[rows.len() - 1]
        );
        Ok(Frame { name, pixels, rows })
    }
}

impl Drop for Frame {
    fn drop(&mut self) {
        pr_info!(
            "releasing {} bytes, {} pixels and {} rows\n",
            self.name.len(),
            self.pixels.len(),
            self.rows.len()
        );
    }
}
