// SPDX-License-Identifier: GPL-2.0

//! Small statistics helpers, compiled as part of the same crate as the
//! module's root file.

// ANCHOR: summary
/// Minimum, maximum and (integer) mean of a list of samples.
pub(crate) struct Summary {
    pub(crate) min: u32,
    pub(crate) max: u32,
    pub(crate) mean: u32,
}

impl Summary {
    /// Summarises `samples`; an empty list gives all zeroes.
    pub(crate) fn of(samples: &[u32]) -> Summary {
        let Some(&first) = samples.first() else {
            return Summary { min: 0, max: 0, mean: 0 };
        };
        let (mut min, mut max, mut total) = (first, first, 0u64);
        for &s in samples {
            min = min.min(s);
            max = max.max(s);
            total += u64::from(s);
        }
        // The mean of u32 values always fits in a u32.
        let mean = (total / samples.len() as u64) as u32;
        Summary { min, max, mean }
    }
}
// ANCHOR_END: summary
