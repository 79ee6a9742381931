// SPDX-License-Identifier: GPL-2.0

//! `/dev/rfl-ring`: a byte ring buffer behind a misc device. What it must do is in the task.
