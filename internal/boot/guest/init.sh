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
#   insmod FILE NAME [PARAMS]
#                       load /rfl/mod/FILE, whose module name is NAME, with module parameters
#                       PARAMS (with rfl-insmod, which loads once and prints the errno, when the
#                       initramfs has it)
#   read COUNT PATH     print PATH: one read of COUNT bytes, or (COUNT 0) the first 64 KiB
#   write DATA PATH     write /rfl/data/DATA to PATH (with rfl-io: in one write call)
#   ioctl CMD ARG PATH  ioctl(PATH, CMD, ARG) with rfl-io (ARG "-": none; "@N": pointer to N)
#   session OPS PATH    one rfl-io program holding several open files of PATH, running the calls
#                       listed in /rfl/data/OPS
# read, write and ioctl go through rfl-io when the initramfs has it, so a failure prints
# "rfl-io: errno N"; without it busybox's head and cat do reads and writes.
#   rmmod NAME          unload NAME (only if it loaded)
#   end ID              report taint and the modules still loaded, then end the unit
# After a failed insmod the unit's remaining actions are skipped, and so are its rmmods.

/bin/busybox mkdir -p /bin /proc /sys /dev /tmp
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
# debugfs, for modules that offer files there (a kernel without CONFIG_DEBUG_FS has no such dir)
[ -d /sys/kernel/debug ] && mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null

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
		name=${b%% *}
		params=
		[ "$name" = "$b" ] || params=${b#* }
		say "insmod:$name"
		if [ -x /bin/rfl-insmod ]; then
			rfl-insmod "/rfl/mod/$a" "$params" >/tmp/out 2>&1
		else
			# shellcheck disable=SC2086 # busybox insmod takes each parameter as a word
			insmod "/rfl/mod/$a" $params >/tmp/out 2>&1
		fi
		rc=$?
		frame /tmp/out
		say "insmod-rc:$rc"
		if [ "$rc" = 0 ]; then loaded="$loaded $name"; else ok=0; fi
		;;
	read)
		[ "$ok" = 1 ] || continue
		say "read:$b"
		if [ -x /bin/rfl-io ]; then
			if [ "$a" = 0 ]; then rfl-io read "$b"; else rfl-io read "$b" "$a"; fi >/tmp/out 2>&1
		elif [ "$a" = 0 ]; then
			head -c 65536 "$b" >/tmp/out 2>&1
		else
			dd if="$b" bs="$a" count=1 2>/dev/null >/tmp/out
		fi
		rc=$?
		frame /tmp/out
		say "step-rc:$rc"
		;;
	write)
		[ "$ok" = 1 ] || continue
		say "write:$b"
		if [ -x /bin/rfl-io ]; then
			rfl-io write "$b" "/rfl/data/$a" >/tmp/out 2>&1
		else
			cat "/rfl/data/$a" >"$b" 2>/tmp/out
		fi
		rc=$?
		frame /tmp/out
		say "step-rc:$rc"
		;;
	ioctl)
		[ "$ok" = 1 ] || continue
		arg=${b%% *}
		path=${b#* }
		say "ioctl:$path"
		if [ "$arg" = - ]; then
			rfl-io ioctl "$path" "$a" >/tmp/out 2>&1
		else
			rfl-io ioctl "$path" "$a" "$arg" >/tmp/out 2>&1
		fi
		rc=$?
		frame /tmp/out
		say "step-rc:$rc"
		;;
	session)
		[ "$ok" = 1 ] || continue
		say "session:$b"
		rfl-io session "$b" "/rfl/data/$a" >/tmp/out 2>&1
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
