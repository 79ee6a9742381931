// SPDX-License-Identifier: GPL-2.0
#ifndef MIXED_SUM_H
#define MIXED_SUM_H

#include <linux/types.h>

/* Fletcher-16 checksum of len bytes at data. */
u16 mixed_fletcher16(const u8 *data, size_t len);

#endif
