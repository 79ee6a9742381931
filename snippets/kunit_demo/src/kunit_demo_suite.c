// SPDX-License-Identifier: GPL-2.0
/*
 * The KUnit suite of the kunit_demo module. The test cases themselves are
 * written in Rust (kunit_demo_main.rs) and exported with C linkage.
 */
#include <kunit/test.h>

void kunit_demo_in_range(struct kunit *test);
void kunit_demo_out_of_range(struct kunit *test);

static struct kunit_case kunit_demo_cases[] = {
	KUNIT_CASE(kunit_demo_in_range),
	KUNIT_CASE(kunit_demo_out_of_range),
	{}
};

static struct kunit_suite kunit_demo_suite = {
	.name = "kunit_demo",
	.test_cases = kunit_demo_cases,
};

kunit_test_suite(kunit_demo_suite);
