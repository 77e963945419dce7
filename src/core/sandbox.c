/*
 * Narrowing the process (STYLE.md, after signify's pledge): once the
 * options are parsed and the case folder is known, an applet gives up
 * what it will not need before it reads a byte a tenant or a customer
 * wrote, so that a parser bug cannot become a write outside the case,
 * the reading of the responder's files, or a program run on the clean
 * laptop.
 *
 * Landlock (Linux >= 5.13, Documentation/userspace-api/landlock.rst) is
 * used through its three system calls directly: a static musl binary
 * needs no library, and the kernel headers of the build machine may
 * predate the rights used here, so the ABI is written out below. Each
 * right is asked only when the running kernel's ABI knows it (a newer
 * right on an older kernel is EINVAL); what an older kernel cannot
 * refuse is then simply not refused.
 *
 *   ABI 1 (5.13)  files: exec, read, write, list, make and remove entries
 *   ABI 2 (5.19)  REFER: rename or link into another folder (the case's
 *                 superseded/ moves); under ABI 1 that is always EXDEV
 *   ABI 3 (6.2)   TRUNCATE (the logbook's ftruncate after a failed write)
 *   ABI 4 (6.7)   TCP bind and connect, by port
 *   ABI 5 (6.10)  ioctl on devices
 *   ABI 6 (6.12)  scopes: no signal to, no abstract UNIX socket of, a
 *                 process outside the sandbox
 *
 * PR_SET_NO_NEW_PRIVS is set in every case (landlock_restrict_self needs
 * it from an unprivileged process, and a set-uid program run from here
 * must never gain rights).
 *
 * Landlock restricts the calling thread and the threads and processes it
 * starts afterwards: call sbx_narrow before any thread is started (the
 * $batch workers of ms/ start later, in collect).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"

/* ---- the kernel ABI (include/uapi/linux/landlock.h, Linux 6.12) ---------- */
#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444  /* same number on every architecture */
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif

struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;    /* ABI 4 */
	uint64_t scoped;                /* ABI 6 */
};
struct ll_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));
struct ll_net_port_attr {
	uint64_t allowed_access;
	uint64_t port;
};
enum { LL_RULE_PATH_BENEATH = 1, LL_RULE_NET_PORT = 2 };
#define LL_CREATE_RULESET_VERSION (1u << 0)

#define LL_FS_EXECUTE     (1ull << 0)
#define LL_FS_WRITE_FILE  (1ull << 1)
#define LL_FS_READ_FILE   (1ull << 2)
#define LL_FS_READ_DIR    (1ull << 3)
#define LL_FS_REMOVE_DIR  (1ull << 4)
#define LL_FS_REMOVE_FILE (1ull << 5)
#define LL_FS_MAKE_CHAR   (1ull << 6)
#define LL_FS_MAKE_DIR    (1ull << 7)
#define LL_FS_MAKE_REG    (1ull << 8)
#define LL_FS_MAKE_SOCK   (1ull << 9)
#define LL_FS_MAKE_FIFO   (1ull << 10)
#define LL_FS_MAKE_BLOCK  (1ull << 11)
#define LL_FS_MAKE_SYM    (1ull << 12)
#define LL_FS_REFER       (1ull << 13)  /* ABI 2 */
#define LL_FS_TRUNCATE    (1ull << 14)  /* ABI 3 */
#define LL_FS_IOCTL_DEV   (1ull << 15)  /* ABI 5 */
#define LL_NET_BIND_TCP    (1ull << 0)  /* ABI 4 */
#define LL_NET_CONNECT_TCP (1ull << 1)
#define LL_SCOPE_ABSTRACT_UNIX (1ull << 0) /* ABI 6 */
#define LL_SCOPE_SIGNAL        (1ull << 1)

/* Every file right the kernel knows at an ABI: all are handled, so all
 * are refused but where a rule below allows them. */
static uint64_t fs_handled(int abi)
{
	uint64_t r = (LL_FS_MAKE_SYM << 1) - 1;
	if (abi >= 2)
		r |= LL_FS_REFER;
	if (abi >= 3)
		r |= LL_FS_TRUNCATE;
	if (abi >= 5)
		r |= LL_FS_IOCTL_DEV;
	return r;
}

/* The case folder: read, write, make files and folders, rename within
 * it; never a link, socket, pipe or device, never run anything. */
#define RIGHTS_DIR_WRITE (LL_FS_READ_FILE | LL_FS_READ_DIR | LL_FS_WRITE_FILE | \
			  LL_FS_REMOVE_FILE | LL_FS_MAKE_DIR | LL_FS_MAKE_REG | \
			  LL_FS_REFER | LL_FS_TRUNCATE)
#define RIGHTS_FILE_WRITE (LL_FS_WRITE_FILE | LL_FS_TRUNCATE)
#define RIGHTS_FILE_READ  LL_FS_READ_FILE
#define RIGHTS_DIR_READ   (LL_FS_READ_FILE | LL_FS_READ_DIR)

/* What the C library reads on its own. The resolver: musl reads
 * resolv.conf and hosts on every lookup; glibc (the sanitizer builds)
 * also nsswitch.conf, host.conf and gai.conf. Local time: musl and
 * glibc load the zone once (tzset below, before narrowing), but TZ may
 * name a zone file, read again if TZ changes. */
static const char *const dns_files[] = {
	"/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf", "/etc/host.conf",
	"/etc/gai.conf", NULL,
};
static const char *const tz_files[] = {
	"/etc/localtime", "/usr/share/zoneinfo", "/share/zoneinfo", "/etc/zoneinfo", NULL,
};

static long ll_abi(void)
{
	return syscall(SYS_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);
}

/* Test builds only (tests/unit/test_sandbox.c): an ABI to act as, below
 * the kernel's, so that the rights and fallbacks of older kernels (5.13:
 * no REFER, no TRUNCATE, no TCP rules, no scopes) are tried here too. */
__attribute__((weak)) int sbx_test_abi(void);

int sbx_abi(void)
{
	long v = ll_abi();
	if (v > 0 && sbx_test_abi && sbx_test_abi() > 0 && sbx_test_abi() < v)
		v = sbx_test_abi();
	if (v > 0)
		return (int)v;
	int e = errno;
	if (e == ENOSYS)
		return err_set(E_SBX_NO_LANDLOCK), 0;
	if (e == EOPNOTSUPP)
		return err_set(E_SBX_LANDLOCK_OFF), 0;
	return err_set(E_SBX_LANDLOCK_ERR, file_strerror(e)), 0;
}

static int off_by_env(void)
{
	const char *v = getenv("REFLEXE_SANDBOX");
	return v && !strcmp(v, "off");
}

/* Adds a path rule; missing paths are skipped (what is not there cannot
 * be read; the open that follows fails as it would have). */
static int add_path(int rs, const char *path, uint64_t want, uint64_t handled, int must)
{
	int fd = open(path, O_PATH | O_CLOEXEC);
	struct stat st;
	if (fd < 0) {
		if (!must && (errno == ENOENT || errno == ENOTDIR || errno == EACCES))
			return 0;
		return err_set(E_SBX_PATH, path, file_strerror(errno));
	}
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		return err_set(E_SBX_PATH, path, file_strerror(e));
	}
	/* A file takes file rights only (EINVAL otherwise). */
	if (!S_ISDIR(st.st_mode))
		want &= LL_FS_EXECUTE | LL_FS_WRITE_FILE | LL_FS_READ_FILE | LL_FS_TRUNCATE | LL_FS_IOCTL_DEV;
	struct ll_path_beneath_attr a = { .allowed_access = want & handled, .parent_fd = fd };
	long r = a.allowed_access ? syscall(SYS_landlock_add_rule, rs, LL_RULE_PATH_BENEATH, &a, 0) : 0;
	int e = errno;
	close(fd);
	if (r < 0)
		return err_set(E_SBX_PATH, path, file_strerror(e));
	return 0;
}

/* A folder to write that is not there yet: its nearest existing parent
 * gets the rights, so that it can be made; the caller narrows again
 * once it exists (rights only ever shrink: the second set is the one
 * that holds). */
static int add_write_dir(int rs, const char *dir, uint64_t handled)
{
	char p[4096];
	size_t n = strlen(dir);
	if (!n || n >= sizeof p)
		return err_set(E_SBX_PATH, dir, file_strerror(ENAMETOOLONG));
	memcpy(p, dir, n + 1);
	for (;;) {
		struct stat st;
		if (stat(p, &st) == 0)
			return add_path(rs, p, RIGHTS_DIR_WRITE, handled, 1);
		if (errno != ENOENT)
			return err_set(E_SBX_PATH, p, file_strerror(errno));
		while (n > 1 && p[n - 1] == '/')
			p[--n] = 0;
		char *slash = strrchr(p, '/');
		if (!slash) {
			snprintf(p, sizeof p, ".");
			n = 1;
		} else if (slash == p) {
			p[1] = 0;
			n = 1;
		} else {
			*slash = 0;
			n = (size_t)(slash - p);
		}
	}
}

/* A file written in place (-o): created empty when absent, so that the
 * rule can name that one file and not its folder. */
static int add_write_file(int rs, const char *path, uint64_t handled)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
	if (fd < 0)
		return err_set(E_FILE_OPEN, path, file_strerror(errno));
	close(fd);
	return add_path(rs, path, RIGHTS_FILE_WRITE, handled, 1);
}

static int add_port(int rs, unsigned port)
{
	struct ll_net_port_attr a = { .allowed_access = LL_NET_CONNECT_TCP, .port = port };
	if (syscall(SYS_landlock_add_rule, rs, LL_RULE_NET_PORT, &a, 0) < 0)
		return err_set(E_SBX_PORT, port, file_strerror(errno));
	return 0;
}

static int add_rules(int rs, const struct sbx *s, int abi, uint64_t handled)
{
	for (int i = 0; i < SBX_MAX; i++) {
		if (s->write_dirs[i] && add_write_dir(rs, s->write_dirs[i], handled) < 0)
			return -1;
		if (s->write_files[i] && add_write_file(rs, s->write_files[i], handled) < 0)
			return -1;
		if (s->read[i] && add_path(rs, s->read[i], RIGHTS_DIR_READ, handled, 0) < 0)
			return -1;
	}
	for (int i = 0; s->net && dns_files[i]; i++)
		if (add_path(rs, dns_files[i], RIGHTS_FILE_READ, handled, 0) < 0)
			return -1;
	for (int i = 0; tz_files[i]; i++)
		if (add_path(rs, tz_files[i], RIGHTS_DIR_READ, handled, 0) < 0)
			return -1;
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_UNDEFINED__)
	/* Sanitizer builds (make check): LeakSanitizer lists the threads in
	 * /proc/self/task at exit, ASan reads /proc/self/maps for a report.
	 * Never in the release binary. */
	if (add_path(rs, "/proc/self", RIGHTS_DIR_READ, handled, 0) < 0)
		return -1;
#endif
	if (abi >= 4 && s->net == SBX_NET_PORTS)
		for (int i = 0; i < SBX_MAX; i++)
			if (s->ports[i] && add_port(rs, s->ports[i]) < 0)
				return -1;
	return 0;
}

/* Test builds only: tests/tools/sbxrun.c defines it to try, from inside
 * the narrowed applet, what the sandbox must refuse. The release binary
 * has no definition, so the weak reference is NULL and nothing is
 * called. */
__attribute__((weak)) void sbx_test_hook(const struct sbx *s, int narrowed);

static int narrowed(const struct sbx *s, int rc)
{
	if (sbx_test_hook)
		sbx_test_hook(s, rc == 0);
	return rc;
}

int sbx_narrow(const struct sbx *s)
{
	/* The zone is loaded now, while /etc/localtime can be read. */
	tzset();
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return err_set(E_SBX_LANDLOCK_ERR, file_strerror(errno));
	int abi = 0;
	if (off_by_env())
		err_set(E_SBX_ENV_OFF);
	else
		abi = sbx_abi();
	if (abi <= 0)
		return narrowed(s, 1);   /* err_msg() says why */
	uint64_t handled = fs_handled(abi);
	struct ll_ruleset_attr attr = { .handled_access_fs = handled };
	/* No TCP server, ever; connections to the ports named only. */
	if (abi >= 4)
		attr.handled_access_net = LL_NET_BIND_TCP |
			(s->net != SBX_NET_ANY ? LL_NET_CONNECT_TCP : 0);
	if (abi >= 6)
		attr.scoped = LL_SCOPE_ABSTRACT_UNIX | LL_SCOPE_SIGNAL;
	/* The attribute size the kernel knows: older kernels refuse a larger
	 * one with non-zero tail, and ours is zero past what it knows. */
	size_t sz = abi >= 6 ? sizeof attr : abi >= 4 ? 2 * sizeof(uint64_t) : sizeof(uint64_t);
	/* The kernel refusing the ruleset itself (a seccomp filter that
	 * lets only the version query through) is a kernel that cannot:
	 * said, and the run goes on. A rule that cannot be set is ours. */
	int rs = (int)syscall(SYS_landlock_create_ruleset, &attr, sz, 0);
	if (rs < 0)
		return err_set(E_SBX_LANDLOCK_ERR, file_strerror(errno)), narrowed(s, 1);
	if (add_rules(rs, s, abi, handled) < 0) {
		close(rs);
		return -1;
	}
	if (syscall(SYS_landlock_restrict_self, rs, 0) < 0) {
		err_set(E_SBX_LANDLOCK_ERR, file_strerror(errno));
		close(rs);
		return narrowed(s, 1);
	}
	close(rs);
	return narrowed(s, 0);
}
