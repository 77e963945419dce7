/*
 * Test tool for tests/it/sandbox.sh: runs an applet as reflexe does
 * (sbxrun courante|login|logout|import|check-admins|check-events ARGS…) with the test hook of
 * core/sandbox.c defined, so that the applet, once narrowed, tries what
 * the sandbox must refuse. The hook exists in this tool only: reflexe
 * itself has no definition of sbx_test_hook, so nothing is tried there.
 *
 * What the hook tries, each printed on stderr as
 * "sbx-hook N: WHAT TARGET: ok|EACCES|…" (N counts the narrowings):
 *   SBX_TRY_WRITE=a:b     create and write files
 *   SBX_TRY_READ=a:b      open files for reading
 *   SBX_TRY_EXEC=path     run a program (in a child)
 *   SBX_TRY_CONNECT=port  a TCP connection to 127.0.0.1:port
 * SBX_NO_LANDLOCK=1 first installs a seccomp filter under which the
 * Landlock system calls fail with ENOSYS: a kernel without Landlock.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "applets/applets.h"

static const char *code(int ok, int e)
{
	static char b[32];
	if (ok)
		return "ok";
	if (e == EACCES)
		return "EACCES";
	if (e == ENOENT)
		return "ENOENT";
	if (e == ECONNREFUSED)
		return "ECONNREFUSED";
	snprintf(b, sizeof b, "errno %d", e);
	return b;
}

static void try_write(int n, const char *p)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int e = errno;
	if (fd >= 0 && write(fd, "escaped\n", 8) != 8)
		e = errno;
	fprintf(stderr, "sbx-hook %d: write %s: %s\n", n, p, code(fd >= 0, e));
	if (fd >= 0)
		close(fd);
}

static void try_read(int n, const char *p)
{
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	fprintf(stderr, "sbx-hook %d: read %s: %s\n", n, p, code(fd >= 0, errno));
	if (fd >= 0)
		close(fd);
}

static void try_exec(int n, const char *p)
{
	int pfd[2];
	if (pipe(pfd) < 0)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { (char *)p, NULL }, *envp[] = { NULL };
		close(pfd[0]);
		execve(p, argv, envp);
		int e = errno;
		if (write(pfd[1], &e, sizeof e) < 0)
			_exit(2);
		_exit(1);
	}
	close(pfd[1]);
	int e = 0, st;
	ssize_t r = read(pfd[0], &e, sizeof e);
	close(pfd[0]);
	waitpid(pid, &st, 0);
	/* nothing came through the pipe (closed on exec): it ran */
	fprintf(stderr, "sbx-hook %d: exec %s: %s\n", n, p, code(r != (ssize_t)sizeof e, e));
}

static void try_connect(int n, const char *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(port)),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int r = connect(fd, (struct sockaddr *)&a, sizeof a);
	fprintf(stderr, "sbx-hook %d: connect %s: %s\n", n, port, code(r == 0, errno));
	close(fd);
}

void sbx_test_hook(const struct sbx *s, int narrowed)
{
	static int n;
	const char *v;
	(void)s;
	n++;
	fprintf(stderr, "sbx-hook %d: narrowed %s\n", n, narrowed ? "yes" : "no");
	for (int w = 0; w < 2; w++) {
		char list[4096];
		v = getenv(w ? "SBX_TRY_READ" : "SBX_TRY_WRITE");
		snprintf(list, sizeof list, "%s", v ? v : "");
		for (char *save = NULL, *p = strtok_r(list, ":", &save); p; p = strtok_r(NULL, ":", &save))
			(w ? try_read : try_write)(n, p);
	}
	if ((v = getenv("SBX_TRY_EXEC")) && *v)
		try_exec(n, v);
	if ((v = getenv("SBX_TRY_CONNECT")) && *v)
		try_connect(n, v);
}

/* The Landlock calls (444-446 on every architecture) fail with ENOSYS.
 * Classic BPF written out (linux/filter.h, linux/seccomp.h): musl-gcc
 * has no kernel headers. The syscall number is the first word of
 * struct seccomp_data. */
struct bpf_insn { uint16_t code; uint8_t jt, jf; uint32_t k; };
struct bpf_prog { unsigned short len; struct bpf_insn *filter; };
#define LD_NR      0x20    /* BPF_LD | BPF_W | BPF_ABS */
#define JGE        0x35    /* BPF_JMP | BPF_JGE | BPF_K */
#define JGT        0x25    /* BPF_JMP | BPF_JGT | BPF_K */
#define RET        0x06    /* BPF_RET | BPF_K */
#define RET_ERRNO  0x00050000u
#define RET_ALLOW  0x7fff0000u

static int no_landlock(void)
{
	struct bpf_insn f[] = {
		{ LD_NR, 0, 0, 0 },
		{ JGE, 0, 2, 444 },
		{ JGT, 1, 0, 446 },
		{ RET, 0, 0, RET_ERRNO | ENOSYS },
		{ RET, 0, 0, RET_ALLOW },
	};
	struct bpf_prog prog = { sizeof f / sizeof f[0], f };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, 2 /* SECCOMP_MODE_FILTER */, &prog) < 0) {
		perror("sbxrun: seccomp");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct { const char *name; applet_fn fn; } t[] = {
		{ "courante", applet_courante }, { "login", applet_login },
		{ "logout", applet_logout }, { "import", applet_import },
		{ "check-admins", applet_check_admins }, { "check-events", applet_check_events },
	};
	i18n_init(NULL);
	if (argc < 2) {
		fprintf(stderr, "usage: sbxrun courante|login|logout|import|check-admins|check-events ARGS...\n");
		return 2;
	}
	if (getenv("SBX_NO_LANDLOCK") && no_landlock() < 0)
		return 2;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (!strcmp(argv[1], t[i].name)) {
			int rc = t[i].fn(argc - 1, argv + 1);
			if ((rc == EXIT_FAIL || rc == EXIT_USAGE) && err_msg()[0])
				fprintf(stderr, "reflexe: %s\n", err_msg());
			return rc;
		}
	fprintf(stderr, "sbxrun: unknown applet %s\n", argv[1]);
	return 2;
}
