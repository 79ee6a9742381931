// SPDX-License-Identifier: GPL-2.0

//! A safe Rust abstraction over a reference-counted C object (counter_c.c).

use core::ptr::NonNull;
use kernel::prelude::*;
use kernel::types::Opaque;
use kernel::types::{ARef, AlwaysRefCounted};

module! {
    type: SafeCounter,
    name: "safe_counter",
    author: "rfl-tutor",
    description: "A safe abstraction over a C object",
    license: "GPL",
}

// ANCHOR: ffi
/// The C side, declared by hand: these functions live in counter_c.c, not in the kernel's
/// headers, so bindgen knows nothing of them.
mod ffi {
    use kernel::ffi::c_int;

    /// `struct rfl_counter`, whose fields Rust never touches: an opaque type.
    #[repr(C)]
    pub(crate) struct RflCounter {
        _private: [u8; 0],
    }

    // SAFETY: each declaration matches its definition in counter_c.c: name, argument and
    // return types. Rust cannot check that; a mismatch would be undefined behaviour at the call.
    extern "C" {
        pub(crate) fn rfl_counter_new(value: c_int) -> *mut RflCounter;
        pub(crate) fn rfl_counter_get(c: *mut RflCounter);
        pub(crate) fn rfl_counter_put(c: *mut RflCounter);
        pub(crate) fn rfl_counter_add(c: *mut RflCounter, n: c_int) -> c_int;
    }
}
// ANCHOR_END: ffi

// ANCHOR: wrapper
/// A counter owned by C code and shared by reference count.
///
/// # Invariants
///
/// A `&Counter` always points into a live `struct rfl_counter` on which the holder of the
/// reference (an [`ARef<Counter>`]) owns one reference.
#[repr(transparent)]
pub struct Counter(Opaque<ffi::RflCounter>);

// SAFETY: `rfl_counter_get` and `rfl_counter_put` change the count atomically (refcount_t), so
// references may be taken and dropped on any thread, and the last put, wherever it happens,
// frees the object.
unsafe impl AlwaysRefCounted for Counter {
    fn inc_ref(&self) {
        // SAFETY: by the type invariant, `self` is a live counter.
        unsafe { ffi::rfl_counter_get(self.0.get()) };
    }

    unsafe fn dec_ref(obj: NonNull<Self>) {
        // SAFETY: the caller gives up one reference it owns on a live counter; `Counter` is
        // `repr(transparent)` over the C struct, so the cast is the same pointer.
        unsafe { ffi::rfl_counter_put(obj.cast::<ffi::RflCounter>().as_ptr()) };
    }
}

// SAFETY: the C object has no thread affinity: it may be used, and its last reference put,
// from any thread.
unsafe impl Send for Counter {}
// SAFETY: all a `&Counter` allows is `inc_ref` and `add`, and both are atomic on the C side
// (refcount_t, atomic_add_return), so several threads may use one counter at once.
unsafe impl Sync for Counter {}

impl Counter {
    /// Makes a counter at `value`; the returned reference owns the one reference it has.
    pub fn new(value: i32) -> Result<ARef<Counter>> {
        // SAFETY: no precondition; the result is NULL or a new counter with one reference.
        let raw = unsafe { ffi::rfl_counter_new(value) };
        let raw = NonNull::new(raw).ok_or(ENOMEM)?;
        // INVARIANT: `raw` is live and this `ARef` takes over its one reference.
        // SAFETY: as just said; the pointer cast is sound because of `repr(transparent)`.
        Ok(unsafe { ARef::from_raw(raw.cast::<Counter>()) })
    }

    /// Adds `n` and returns the new value.
    pub fn add(&self, n: i32) -> i32 {
        // SAFETY: by the type invariant `self` is live; the C function is atomic.
        unsafe { ffi::rfl_counter_add(self.0.get(), n) }
    }
}
// ANCHOR_END: wrapper

struct SafeCounter {
    _kept: ARef<Counter>,
}

impl kernel::Module for SafeCounter {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        // ANCHOR: use
        let counter = Counter::new(40)?;
        let other = counter.clone(); // a second reference: rfl_counter_get
        pr_info!("value {}\n", other.add(2));
        drop(counter); // one put; the object lives on through `other`
        // ANCHOR_END: use
        Ok(SafeCounter { _kept: other })
    }
}
