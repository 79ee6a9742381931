// SPDX-License-Identifier: GPL-2.0

//! An account whose deposits earn a bonus above a threshold, all under one lock.

use kernel::new_mutex;
use kernel::prelude::*;
use kernel::sync::Mutex;

module! {
    type: LockTwice,
    name: "lock_twice",
    author: "rfl-tutor",
    description: "Taking a lock twice, and how lockdep names it",
    license: "GPL",
}

#[pin_data]
struct Account {
    #[pin]
    balance: Mutex<i64>,
}

// ANCHOR: account
impl Account {
    /// Adds `amount`, plus a tenth of it as a bonus when the balance is above 100 already.
    fn deposit(&self, amount: i64) {
        let mut balance = self.balance.lock();
        *balance += amount + bonus(*balance, amount);
    }
}

/// The bonus a deposit earns on a balance: computed from values, so it needs no lock of its own.
fn bonus(balance: i64, amount: i64) -> i64 {
    if balance > 100 {
        amount / 10
    } else {
        0
    }
}
// ANCHOR_END: account

struct LockTwice {
    account: Pin<KBox<Account>>,
}

impl kernel::Module for LockTwice {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let account = KBox::pin_init(pin_init!(Account { balance <- new_mutex!(0) }), GFP_KERNEL)?;
        for amount in [50, 80, 300, 500] {
            account.deposit(amount);
        }
        pr_info!("balance: {}\n", *account.balance.lock());
        Ok(LockTwice { account })
    }
}

impl Drop for LockTwice {
    fn drop(&mut self) {
        pr_info!("closing with {}\n", *self.account.balance.lock());
    }
}
