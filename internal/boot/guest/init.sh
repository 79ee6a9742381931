#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of rfl-tutor's boot-stage initramfs. It runs the plan the host put in /rfl (a second
# cpio archive appended to this one) and reports every step through /dev/kmsg, so the host sees
# one ordered stream on the serial console: the kernel's own messages, and ours framed as
# "rfl:<nonce>:<event>". Writing through the kernel log, rather than to the console directly,
# keeps our lines whole and in order with what the module prints.
#
# Plan lines (/rfl/plan), one action each:
#   begin ID            start a unit (one exercise's modules and steps)
#   insmod FILE NAME    load /rfl/mod/FILE, whose module name is NAME (with rfl-insmod, which
#                       loads once and prints the errno, when the initramfs has it)
#   read PATH           print the first 64 KiB of PATH
#   write DATA PATH     copy /rfl/data/DATA into PATH
#   rmmod NAME          unload NAME (only if it loaded)
#   end ID              report taint and the modules still loaded, then end the unit
# After a failed insmod the unit's remaining actions are skipped, and so are its rmmods.

/bin/busybox mkdir -p /bin /proc /sys /dev /tmp
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null

nonce=$(cat /rfl/nonce)
say() { echo "rfl:$nonce:$*" >/dev/kmsg; }
# frame prints a file's lines as step output; a last line without a newline counts too.
frame() { while IFS= read -r l || [ -n "$l" ]; do say "out:$l"; done <"$1"; }

say ready
ok=1
loaded=""
while IFS= read -r line; do
	op=${line%% *}
	rest=${line#* }
	a=${rest%% *} # first argument
	b=${rest#* }  # everything after it
	case "$op" in
	begin)
		ok=1
		loaded=""
		say "begin:$rest"
		say "taint:$(cat /proc/sys/kernel/tainted)"
		;;
	insmod)
		[ "$ok" = 1 ] || continue
		say "insmod:$b"
		if [ -x /bin/rfl-insmod ]; then
			rfl-insmod "/rfl/mod/$a" >/tmp/out 2>&1
		else
			insmod "/rfl/mod/$a" >/tmp/out 2>&1
		fi
		rc=$?
		frame /tmp/out
		say "insmod-rc:$rc"
		if [ "$rc" = 0 ]; then loaded="$loaded $b"; else ok=0; fi
		;;
	read)
		[ "$ok" = 1 ] || continue
		say "read:$rest"
		head -c 65536 "$rest" >/tmp/out 2>&1
		rc=$?
		frame /tmp/out
		say "step-rc:$rc"
		;;
	write)
		[ "$ok" = 1 ] || continue
		say "write:$b"
		cat "/rfl/data/$a" >"$b" 2>/tmp/out
		rc=$?
		frame /tmp/out
		say "step-rc:$rc"
		;;
	rmmod)
		case " $loaded " in *" $rest "*) ;; *) continue ;; esac
		say "rmmod:$rest"
		rmmod "$rest" >/tmp/out 2>&1
		rc=$?
		frame /tmp/out
		say "rmmod-rc:$rc"
		;;
	end)
		say "taint:$(cat /proc/sys/kernel/tainted)"
		while read -r name _; do say "loaded:$name"; done </proc/modules
		say "end:$rest"
		;;
	esac
done </rfl/plan
say done
sync
reboot -f
