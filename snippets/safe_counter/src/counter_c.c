// SPDX-License-Identifier: GPL-2.0
/*
 * A reference-counted C object, as the C side of the kernel has many: created with one
 * reference, freed when the last one is put. The Rust abstraction in counter_main.rs wraps it.
 */
#include <linux/atomic.h>
#include <linux/printk.h>
#include <linux/refcount.h>
#include <linux/slab.h>

/* Every operation on it is atomic, so it may be used from any thread. */
struct rfl_counter {
	refcount_t refs;
	atomic_t value;
};

/* What counter_main.rs declares; no header, since only this module uses them. */
struct rfl_counter *rfl_counter_new(int value);
void rfl_counter_get(struct rfl_counter *c);
void rfl_counter_put(struct rfl_counter *c);
int rfl_counter_add(struct rfl_counter *c, int n);

struct rfl_counter *rfl_counter_new(int value)
{
	struct rfl_counter *c = kzalloc(sizeof(*c), GFP_KERNEL);

	if (!c)
		return NULL;
	refcount_set(&c->refs, 1);
	atomic_set(&c->value, value);
	return c;
}

void rfl_counter_get(struct rfl_counter *c)
{
	refcount_inc(&c->refs);
}

void rfl_counter_put(struct rfl_counter *c)
{
	if (refcount_dec_and_test(&c->refs)) {
		pr_info("safe_counter: freeing the counter at %d\n", atomic_read(&c->value));
		kfree(c);
	}
}

int rfl_counter_add(struct rfl_counter *c, int n)
{
	return atomic_add_return(n, &c->value);
}
