// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for kunit_average; the cases are Rust functions in average.rs.
 */
#include <kunit/test.h>

void kunit_average_small(struct kunit *test);
void kunit_average_large(struct kunit *test);

static struct kunit_case kunit_average_cases[] = {
	KUNIT_CASE(kunit_average_small),
	KUNIT_CASE(kunit_average_large),
	{}
};

static struct kunit_suite kunit_average_suite = {
	.name = "kunit_average",
	.test_cases = kunit_average_cases,
};

kunit_test_suite(kunit_average_suite);
