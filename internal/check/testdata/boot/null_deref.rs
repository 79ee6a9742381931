// SPDX-License-Identifier: GPL-2.0

//! A planted module for the boot stage tests: hello_module with one fault.

use kernel::prelude::*;

module! {
    type: HelloModule,
    name: "hello_module",
    author: "rfl-tutor",
    description: "Says hello from Rust",
    license: "GPL",
}

struct HelloModule;

impl kernel::Module for HelloModule {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("Hello from Rust!\n");
        // black_box keeps the compiler from seeing (and rejecting) the null pointer.
        let p: *const u32 = core::hint::black_box(core::ptr::null());
        // SAFETY: none: this read is the planted fault.
        let v = unsafe { core::ptr::read_volatile(p) };
        pr_info!("read {}\n", v);
        Ok(HelloModule)
    }
}

impl Drop for HelloModule {
    fn drop(&mut self) {
        pr_info!("Goodbye from Rust!\n");
    }
}
