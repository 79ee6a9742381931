// SPDX-License-Identifier: GPL-2.0
// ANCHOR: init
fn init() {}
// ANCHOR_END: init
