// SPDX-License-Identifier: GPL-2.0

//! Two accounts and transfers between them: each transfer holds both locks, always taken in
//! the same order.

use kernel::new_mutex;
use kernel::prelude::*;
use kernel::sync::Mutex;

module! {
    type: LockOrder,
    name: "lock_order",
    author: "rfl-tutor",
    description: "Lock ordering, and how lockdep sees an inversion",
    license: "GPL",
}

#[pin_data]
struct Account {
    /// Tells the accounts apart.
    id: u32,
    #[pin]
    balance: Mutex<i64>,
}

#[pin_data]
struct Bank {
    #[pin]
    checking: Account,
    #[pin]
    savings: Account,
}

impl Bank {
    /// Moves `amount` from one account to the other, holding both locks so no one sees the money
    /// in neither or in both.
    fn transfer(from: &Account, to: &Account, amount: i64) {
        let mut from_balance = from.balance.lock();
        let mut to_balance = to.balance.lock();
        *from_balance -= amount;
        *to_balance += amount;
    }
}

struct LockOrder {
    bank: Pin<KBox<Bank>>,
}

impl kernel::Module for LockOrder {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let bank = KBox::pin_init(
            pin_init!(Bank {
                checking <- pin_init!(Account { id: 1, balance <- new_mutex!(100) }),
                savings <- pin_init!(Account { id: 2, balance <- new_mutex!(500) }),
            }),
            GFP_KERNEL,
        )?;
        Bank::transfer(&bank.checking, &bank.savings, 30);
        Bank::transfer(&bank.savings, &bank.checking, 200);
        pr_info!(
            "checking {} savings {}\n",
            *bank.checking.balance.lock(),
            *bank.savings.balance.lock()
        );
        Ok(LockOrder { bank })
    }
}

impl Drop for LockOrder {
    fn drop(&mut self) {
        let total = *self.bank.checking.balance.lock() + *self.bank.savings.balance.lock();
        pr_info!("total {}\n", total);
    }
}
