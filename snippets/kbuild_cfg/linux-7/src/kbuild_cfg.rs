// SPDX-License-Identifier: GPL-2.0

//! Reports how it was built, using the `cfg`s Kbuild passes to rustc: `MODULE`
//! for objects listed in `obj-m`, and one `CONFIG_*` per enabled option.

use kernel::prelude::*;

module! {
    type: KbuildCfg,
    name: "kbuild_cfg",
    authors: ["rfl-tutor"],
    description: "Looks at the cfgs Kbuild and Kconfig provide",
    license: "GPL",
}

/// How this code ends up in the kernel, decided when it is compiled.
#[cfg(not(MODULE))]
fn built_as() -> &'static str {
    "built into the kernel image (obj-y)"
}

/// How this code ends up in the kernel, decided when it is compiled.
#[cfg(MODULE)]
fn built_as() -> &'static str {
    "a loadable module (obj-m)"
}

// ANCHOR: config
/// Whether log lines carry timestamps: a Kconfig bool seen as a cfg.
fn timestamps() -> bool {
    cfg!(CONFIG_PRINTK_TIME)
}
// ANCHOR_END: config

struct KbuildCfg;

impl kernel::Module for KbuildCfg {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("built as {}\n", built_as());
        pr_info!("printk timestamps configured: {}\n", timestamps());
        Ok(KbuildCfg)
    }
}
