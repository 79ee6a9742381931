// SPDX-License-Identifier: GPL-2.0
fn consume(v: KVec<u8>) {}

fn twice(v: KVec<u8>) {
    consume(v);
    consume(v); // error[E0382]: use of moved value: `v`
}
