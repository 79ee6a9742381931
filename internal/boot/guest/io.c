// SPDX-License-Identifier: GPL-2.0
/*
 * rfl-io: the boot stage's user-space side of a device, one system call per step, so a step
 * can expect a given errno and a learner's driver is driven the way a C program would drive it.
 *
 *   rfl-io read PATH [COUNT]      COUNT given: one read(2) of COUNT bytes, printed as is.
 *                                 Else read(2) until end of file (at most 64 KiB).
 *   rfl-io write PATH FILE        one write(2) of FILE's contents (at most 64 KiB) to PATH,
 *                                 opened as the shell's > opens it (created, truncated);
 *                                 a short write prints "rfl-io: wrote N of M" and fails.
 *   rfl-io ioctl PATH CMD [ARG]   ioctl(2) with CMD (decimal or 0x hex) and ARG: a number passed
 *                                 as is, or @N for a pointer to an int holding N, whose value after
 *                                 the call is printed too. Prints "ioctl returned R[, value V]".
 *
 * A failing call prints "rfl-io: errno N" and exits 1; bad usage exits 2.
 * Built statically by the host's C compiler when the initramfs is made.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define MAX_BYTES 65536

static char buf[MAX_BYTES];

static int fail(void)
{
	printf("rfl-io: errno %d\n", errno);
	return 1;
}

static int usage(void)
{
	fputs("usage: rfl-io read PATH [COUNT] | write PATH FILE | ioctl PATH CMD [ARG|@N]\n", stderr);
	return 2;
}

static int number(const char *s, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 0);
	return errno == 0 && *s != '\0' && *end == '\0';
}

static int do_read(const char *path, const char *count)
{
	unsigned long want = 0;
	ssize_t n;
	size_t total = 0;
	int fd;

	if (count && (!number(count, &want) || want == 0 || want > MAX_BYTES))
		return usage();
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return fail();
	if (count) {
		n = read(fd, buf, want);
		if (n < 0)
			return fail();
		total = (size_t)n;
	} else {
		while (total < MAX_BYTES) {
			n = read(fd, buf + total, MAX_BYTES - total);
			if (n < 0)
				return fail();
			if (n == 0)
				break;
			total += (size_t)n;
		}
	}
	fwrite(buf, 1, total, stdout);
	return 0;
}

static int do_write(const char *path, const char *file)
{
	ssize_t n, len;
	int fd = open(file, O_RDONLY);

	if (fd < 0)
		return fail();
	len = read(fd, buf, MAX_BYTES);
	if (len < 0)
		return fail();
	close(fd);
	/* As the shell's > does: a file that does not exist yet is created. */
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return fail();
	n = write(fd, buf, (size_t)len);
	if (n < 0)
		return fail();
	if (n != len) {
		printf("rfl-io: wrote %zd of %zd\n", n, len);
		return 1;
	}
	return 0;
}

static int do_ioctl(const char *path, const char *cmd, const char *arg)
{
	unsigned long c, a = 0;
	int value = 0, by_pointer = 0, fd;
	long r;

	if (!number(cmd, &c))
		return usage();
	if (arg && arg[0] == '@') {
		char *end;

		errno = 0;
		value = (int)strtol(arg + 1, &end, 0);
		if (errno || arg[1] == '\0' || *end != '\0')
			return usage();
		by_pointer = 1;
	} else if (arg && !number(arg, &a)) {
		return usage();
	}
	fd = open(path, O_RDWR);
	if (fd < 0)
		return fail();
	r = by_pointer ? ioctl(fd, c, &value) : ioctl(fd, c, a);
	if (r < 0)
		return fail();
	if (by_pointer)
		printf("ioctl returned %ld, value %d\n", r, value);
	else
		printf("ioctl returned %ld\n", r);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && argc <= 4 && strcmp(argv[1], "read") == 0)
		return do_read(argv[2], argc == 4 ? argv[3] : NULL);
	if (argc == 4 && strcmp(argv[1], "write") == 0)
		return do_write(argv[2], argv[3]);
	if (argc >= 4 && argc <= 5 && strcmp(argv[1], "ioctl") == 0)
		return do_ioctl(argv[2], argv[3], argc == 5 ? argv[4] : NULL);
	return usage();
}
