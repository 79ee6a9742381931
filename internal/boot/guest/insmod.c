// SPDX-License-Identifier: GPL-2.0
/*
 * rfl-insmod FILE [PARAMS]: load a kernel module (with module parameters such as "count=3 name=x")
 * once with finit_module(2) and, when that fails, print
 * "rfl-insmod: errno N" and exit 1. The boot stage's initramfs uses it instead of busybox's
 * insmod, which retries a failed finit_module with init_module and so runs a failing module's
 * init a second time (its log lines twice), and which reports the error only as text.
 * Built statically by the host's C compiler when the initramfs is made.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

static void say_errno(int e)
{
	char buf[48] = "rfl-insmod: errno ";
	char digits[12];
	int n = 0, len = 18;

	do {
		digits[n++] = (char)('0' + e % 10);
		e /= 10;
	} while (e > 0 && n < 11);
	while (n > 0)
		buf[len++] = digits[--n];
	buf[len++] = '\n';
	(void)!write(1, buf, len);
}

int main(int argc, char **argv)
{
	int fd;

	if (argc != 2 && argc != 3) {
		(void)!write(2, "usage: rfl-insmod FILE [PARAMS]\n", 32);
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || syscall(SYS_finit_module, fd, argc == 3 ? argv[2] : "", 0) != 0) {
		say_errno(errno);
		return 1;
	}
	return 0;
}
