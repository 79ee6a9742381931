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
 *   rfl-io session PATH OPS       one program with several open files of PATH, running the
 *                                 operations in OPS, one per line, on the named file:
 *                                   open F | close F | write F DATAFILE | read F COUNT |
 *                                   ioctl F CMD [ARG|@N]
 *                                 (F is a letter); each prints one line starting "F: " — "F: open",
 *                                 "F: wrote N", "F: read TEXT" (or "F: end of file"),
 *                                 "F: ioctl returned R[, value V]",
 *                                 "F: closed", or "F: errno N" — and the session goes on after a
 *                                 failed call, so a step can expect the error.
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
	fputs("usage: rfl-io read PATH [COUNT] | write PATH FILE | ioctl PATH CMD [ARG|@N] | session PATH OPS\n", stderr);
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

static int ioctl_call(int fd, const char *cmd, const char *arg, long *r, int *value, int *by_pointer);

static int do_ioctl(const char *path, const char *cmd, const char *arg)
{
	int value = 0, by_pointer, fd, rc;
	long r = 0;

	fd = open(path, O_RDWR);
	if (fd < 0)
		return fail();
	rc = ioctl_call(fd, cmd, arg, &r, &value, &by_pointer);
	if (rc == -2)
		return usage();
	if (rc < 0)
		return fail();
	if (by_pointer)
		printf("ioctl returned %ld, value %d\n", r, value);
	else
		printf("ioctl returned %ld\n", r);
	return 0;
}

static int ioctl_call(int fd, const char *cmd, const char *arg, long *r, int *value, int *by_pointer)
{
	unsigned long c, a = 0;

	*by_pointer = 0;
	if (!number(cmd, &c))
		return -2;
	if (arg && arg[0] == '@') {
		char *end;

		errno = 0;
		*value = (int)strtol(arg + 1, &end, 0);
		if (errno || arg[1] == '\0' || *end != '\0')
			return -2;
		*by_pointer = 1;
	} else if (arg && !number(arg, &a)) {
		return -2;
	}
	*r = *by_pointer ? ioctl(fd, c, value) : ioctl(fd, c, a);
	return *r < 0 ? -1 : 0;
}

static int do_session(const char *path, const char *ops)
{
	int fds[26];
	char line[512];
	FILE *f = fopen(ops, "r");
	int i;

	if (!f)
		return fail();
	for (i = 0; i < 26; i++)
		fds[i] = -1;
	while (fgets(line, sizeof(line), f)) {
		char *op = strtok(line, " \n"), *name = strtok(NULL, " \n");
		char *x = strtok(NULL, " \n"), *y = strtok(NULL, " \n");
		int k;

		if (!op || !name || name[0] < 'a' || name[0] > 'z' || name[1] != '\0')
			return usage();
		k = name[0] - 'a';
		if (strcmp(op, "open") == 0) {
			fds[k] = open(path, O_RDWR);
			if (fds[k] < 0)
				printf("%s: errno %d\n", name, errno);
			else
				printf("%s: open\n", name);
		} else if (strcmp(op, "close") == 0) {
			if (fds[k] >= 0 && close(fds[k]) != 0)
				printf("%s: errno %d\n", name, errno);
			else
				printf("%s: closed\n", name);
			fds[k] = -1;
		} else if (strcmp(op, "write") == 0 && x) {
			int df = open(x, O_RDONLY);
			ssize_t len = df < 0 ? -1 : read(df, buf, MAX_BYTES), n;

			if (df >= 0)
				close(df);
			if (len < 0)
				return fail();
			n = write(fds[k], buf, (size_t)len);
			if (n < 0)
				printf("%s: errno %d\n", name, errno);
			else
				printf("%s: wrote %zd\n", name, n);
		} else if (strcmp(op, "read") == 0 && x) {
			unsigned long want;
			ssize_t n;

			if (!number(x, &want) || want == 0 || want > MAX_BYTES)
				return usage();
			n = read(fds[k], buf, want);
			if (n < 0) {
				printf("%s: errno %d\n", name, errno);
			} else if (n == 0) {
				printf("%s: end of file\n", name);
			} else {
				printf("%s: read ", name);
				fwrite(buf, 1, (size_t)n, stdout);
				printf("\n");
			}
		} else if (strcmp(op, "ioctl") == 0 && x) {
			long r = 0;
			int value = 0, by_pointer, rc = ioctl_call(fds[k], x, y, &r, &value, &by_pointer);

			if (rc == -2)
				return usage();
			if (rc < 0)
				printf("%s: errno %d\n", name, errno);
			else if (by_pointer)
				printf("%s: ioctl returned %ld, value %d\n", name, r, value);
			else
				printf("%s: ioctl returned %ld\n", name, r);
		} else {
			return usage();
		}
		fflush(stdout);
	}
	fclose(f);
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
	if (argc == 4 && strcmp(argv[1], "session") == 0)
		return do_session(argv[2], argv[3]);
	return usage();
}
