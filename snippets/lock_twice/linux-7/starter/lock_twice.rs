// SPDX-License-Identifier: GPL-2.0

//! An account whose deposits earn a bonus above a threshold, all under one lock.

use kernel::new_mutex;
use kernel::prelude::*;
use kernel::sync::Mutex;

module! {
    type: LockTwice,
    name: "lock_twice",
    authors: ["rfl-tutor"],
    description: "Taking a lock twice, and how lockdep names it",
    license: "GPL",
}

#[pin_data]
struct Account {
    #[pin]
    balance: Mutex<i64>,
}

impl Account {
    /// Adds `amount`, plus a tenth of it as a bonus when the balance is above 100 already.
    fn deposit(&self, amount: i64) {
        let mut balance = self.balance.lock();
        *balance += amount;
        self.add_bonus(amount);
    }

    /// Adds the bonus `amount` earns.
    fn add_bonus(&self, amount: i64) {
        let mut balance = self.balance.lock();
        if *balance - amount > 100 {
            *balance += amount / 10;
        }
    }
}

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
