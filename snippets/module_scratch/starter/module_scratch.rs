// SPDX-License-Identifier: GPL-2.0

//! A module written from nothing. What it must do is in the task.
