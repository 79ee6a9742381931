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
    /// Orders the accounts' locks: the lower id is always locked first.
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

// ANCHOR: transfer
impl Bank {
    /// Moves `amount` from one account to the other, holding both locks so no one sees the money
    /// in neither or in both. Every transfer takes the locks in the same order, by account id,
    /// whichever way the money goes: two transfers in opposite directions can never each hold
    /// one lock and wait for the other.
    fn transfer(from: &Account, to: &Account, amount: i64) {
        let (first, second) = if from.id < to.id { (from, to) } else { (to, from) };
        let mut a = first.balance.lock();
        let mut b = second.balance.lock();
        let (from_balance, to_balance) = if from.id < to.id { (&mut *a, &mut *b) } else { (&mut *b, &mut *a) };
        *from_balance -= amount;
        *to_balance += amount;
    }
}
// ANCHOR_END: transfer

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
