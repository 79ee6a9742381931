// SPDX-License-Identifier: GPL-2.0
/*
 * The C half of the kbuild_mixed module: a small checksum routine that the
 * Rust half calls through an extern "C" declaration.
 */
#include "mixed_sum.h"

u16 mixed_fletcher16(const u8 *data, size_t len)
{
	u16 low = 0, high = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		low = (low + data[i]) % 255;
		high = (high + low) % 255;
	}
	return (high << 8) | low;
}
