/* The sandbox (core/sandbox.c): each case narrows a child process (a
 * narrowing cannot be undone) and reports what it could do as a string
 * of letters through a pipe; the parent checks the string and what is
 * on disk. On a kernel without Landlock, each case checks instead that
 * the narrowing says so and lets the work go on. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "case/case.h"
#include "net/net.h"
#include "t.h"

static char top[4096];
static int abi, abi_cap;

/* core/sandbox.c acts as this Landlock ABI (when below the kernel's):
 * each case runs once per ABI, 1 (Linux 5.13) to this kernel's. */
int sbx_test_abi(void)
{
	return abi_cap;
}

static void path_of(char *out, size_t n, const char *rel)
{
	snprintf(out, n, "%s/%s", top, rel);
}

/* Runs "cd DIR && cmd" in a shell. */
static int sh_in(const char *dir, const char *cmd)
{
	char line[8400];
	snprintf(line, sizeof line, "cd '%s' && %s", dir, cmd);
	return system(line);
}

/* Runs fn in a child; returns what it wrote (at most 255 letters). */
static void in_child(void (*fn)(int fd), char *out, size_t n)
{
	int p[2];
	out[0] = 0;
	if (pipe(p) < 0)
		return;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		fn(p[1]);
		_exit(0);
	}
	close(p[1]);
	size_t got = 0;
	ssize_t r;
	while (got + 1 < n && (r = read(p[0], out + got, n - 1 - got)) > 0)
		got += (size_t)r;
	out[got] = 0;
	close(p[0]);
	int st;
	waitpid(pid, &st, 0);
}

static void say(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) < 0)
		_exit(1);
}

/* 'w' when the file could be made and written, 'x' when refused with
 * EACCES, '?' for anything else. */
static char try_write(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0) {
		close(fd);
		return 'w';
	}
	return errno == EACCES ? 'x' : '?';
}

static char try_read(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		return 'r';
	}
	return errno == EACCES ? 'x' : '?';
}

/* 'e' ran, 'x' refused (EACCES), '?' other. */
static char try_exec(const char *path)
{
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { (char *)path, NULL }, *envp[] = { NULL };
		execve(path, argv, envp);
		_exit(errno == EACCES ? 100 : 101);
	}
	int st;
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return '?';
	return WEXITSTATUS(st) == 0 ? 'e' : WEXITSTATUS(st) == 100 ? 'x' : '?';
}

/* A listening socket on 127.0.0.1, made before narrowing; its port. */
static int listener(uint16_t *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t l = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 4) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &l) < 0)
		return -1;
	*port = ntohs(a.sin_port);
	return fd;
}

/* 'c' connected, 'x' refused by the sandbox (EACCES), '?' other. */
static char try_connect(uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int r = connect(fd, (struct sockaddr *)&a, sizeof a);
	int e = errno;
	close(fd);
	return r == 0 ? 'c' : e == EACCES ? 'x' : '?';
}

static char try_bind(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int r = bind(fd, (struct sockaddr *)&a, sizeof a);
	int e = errno;
	close(fd);
	return r == 0 ? 'b' : e == EACCES ? 'x' : '?';
}

static char rc_letter(int rc)
{
	return rc == 0 ? 'N' : rc == 1 ? 'U' : 'E';   /* narrowed, unsandboxed, error */
}

/* ---- the case folder only ------------------------------------------------ */

static void case_only_child(int fd)
{
	char c[4200], out[4200], secret[4200], sub[4300], ln[4300], fifo[4300];
	path_of(c, sizeof c, "case1");
	path_of(out, sizeof out, "outside.txt");
	path_of(secret, sizeof secret, "secret.txt");
	struct sbx s = { .write_dirs = { c } };
	char r[16] = { rc_letter(sbx_narrow(&s)) };
	snprintf(sub, sizeof sub, "%s/graph/v1.0", c);
	snprintf(ln, sizeof ln, "%s/link", c);
	snprintf(fifo, sizeof fifo, "%s/fifo", c);
	r[1] = file_mkdirs(sub) == 0 ? 'd' : 'x';                       /* folders in the case */
	snprintf(sub, sizeof sub, "%s/graph/v1.0/x.json", c);
	r[2] = try_write(sub);                                          /* a file in it */
	r[3] = try_write(out);                                          /* beside the case */
	r[4] = try_read(secret);                                        /* the responder's file */
	r[5] = try_exec("/bin/true");
	r[6] = symlink("/etc/passwd", ln) == 0 ? 'l' : errno == EACCES ? 'x' : '?';
	r[7] = mkfifo(fifo, 0600) == 0 ? 'f' : errno == EACCES ? 'x' : '?';
	r[8] = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? 'p' : '-';
	say(fd, r);
}

static void case_folder_only(void)
{
	char c[4200], out[4200], secret[4200], got[256];
	path_of(c, sizeof c, "case1");
	path_of(out, sizeof out, "outside.txt");
	path_of(secret, sizeof secret, "secret.txt");
	CHECK_INT(file_mkdirs(c), 0);
	CHECK_INT(file_write_atomic(secret, "s", 1), 0);
	in_child(case_only_child, got, sizeof got);
	if (abi > 0) {
		/* narrowed; folder and file in the case; nothing beside it,
		 * no read outside, no exec, no link, no fifo; no_new_privs */
		CHECK_STR(got, "Ndwxxxxxp");
		CHECK(!file_exists(out));
	} else {
		CHECK_STR(got, "Udwwrelfp");   /* no Landlock (qemu-user): said, not narrowed */
	}
}

/* ---- a rerun in a narrowed process: earlier evidence moved aside --------- */

static void rerun(const char *d, int *ok)
{
	struct case_dir *c;
	*ok = 0;
	for (int run = 1; run <= 2; run++) {
		if (case_open(&c, d, "contoso.com", NULL, 0) < 0)
			return;
		if (run == 2 && case_begin_pages(c, "graph/v1.0/users") < 0)
			return;
		char body[32];
		snprintf(body, sizeof body, "{\"run\":%d}", run);
		if (case_save(c, "graph/v1.0/users/page-0001.json", body, strlen(body), NULL) < 0 ||
		    case_close(c) < 0)
			return;
	}
	*ok = 1;
}

static void rerun_child(int fd)
{
	char d[4200];
	int ok;
	path_of(d, sizeof d, "case2");
	struct sbx s = { .write_dirs = { d } };
	char r[4] = { rc_letter(sbx_narrow(&s)) };
	rerun(d, &ok);
	r[1] = ok ? 'o' : 'x';
	if (!ok)
		printf("  %s\n", err_msg());
	fflush(stdout);
	say(fd, r);
}

static void rerun_moves_aside(void)
{
	char d[4200], got[64];
	path_of(d, sizeof d, "case2");
	in_child(rerun_child, got, sizeof got);
	CHECK_STR(got, abi > 0 ? "No" : "Uo");
	CHECK_INT(sh_in(d, "sha256sum -c --quiet --strict manifest.sha256 >/dev/null 2>&1"), 0);
	CHECK_INT(sh_in(d, "grep -q run.:1 superseded/*/graph/v1.0/users/page-0001.json"), 0);
}

/* Linux 5.13-5.18 (Landlock ABI 1) cannot let a file change folders:
 * rename(2) says EXDEV. The move aside is then a copy, then a removal.
 * Reproduced here with a ruleset that does not handle REFER, which is
 * what ABI 1 is. */
static void abi1_child(int fd)
{
	char d[4200], a[4300], b[4300];
	int ok;
	path_of(d, sizeof d, "case3");
	uint64_t fs = (1ull << 13) - 1;        /* ABI 1 rights: exec .. make_sym */
	uint64_t attr[1] = { fs };
	int rs = (int)syscall(SYS_landlock_create_ruleset, attr, sizeof attr, 0);
	int dfd = open(d, O_PATH | O_CLOEXEC);
	struct { uint64_t allowed; int32_t fd; } __attribute__((packed)) pb = { fs & ~1ull, dfd };
	char r[4] = { 'N' };
	if (rs < 0 || dfd < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_landlock_add_rule, rs, 1, &pb, 0) < 0 ||
	    syscall(SYS_landlock_restrict_self, rs, 0) < 0)
		r[0] = 'E';
	/* the kernel indeed refuses the plain rename */
	snprintf(a, sizeof a, "%s/a.txt", d);
	snprintf(b, sizeof b, "%s/sub", d);
	if (file_write_atomic(a, "a", 1) < 0 || mkdir(b, 0700) < 0)
		r[0] = 'E';
	snprintf(b, sizeof b, "%s/sub/a.txt", d);
	r[1] = rename(a, b) == 0 ? 'm' : errno == EXDEV ? 'X' : '?';
	rerun(d, &ok);
	r[2] = ok ? 'o' : 'x';
	if (!ok)
		printf("  %s\n", err_msg());
	fflush(stdout);
	say(fd, r);
}

static void abi1_moves_by_copy(void)
{
	char d[4200], got[64];
	if (abi <= 0)
		return;
	path_of(d, sizeof d, "case3");
	CHECK_INT(file_mkdirs(d), 0);
	in_child(abi1_child, got, sizeof got);
	CHECK_STR(got, "NXo");
	CHECK_INT(sh_in(d, "sha256sum -c --quiet --strict manifest.sha256 >/dev/null 2>&1"), 0);
	CHECK_INT(sh_in(d, "grep -q run.:1 superseded/*/graph/v1.0/users/page-0001.json"), 0);
	CHECK_INT(sh_in(d, "grep -q run.:2 graph/v1.0/users/page-0001.json"), 0);
}

/* ---- one file outside the case (-o) ---------------------------------------- */

static void out_file_child(int fd)
{
	char c[4200], o[4200], sib[4200];
	path_of(c, sizeof c, "case4");
	path_of(o, sizeof o, "export/out.html");
	path_of(sib, sizeof sib, "export/other.html");
	struct sbx s = { .write_dirs = { c }, .write_files = { o } };
	char r[8] = { rc_letter(sbx_narrow(&s)) };
	r[1] = file_write_over(o, "<html>new</html>", 16) == 0 ? 'w' : 'x';
	r[2] = try_write(sib);                  /* the file beside it: an old export */
	say(fd, r);
}

static void out_file_only(void)
{
	char d[4200], sib[4200], got[64];
	path_of(d, sizeof d, "case4");
	CHECK_INT(file_mkdirs(d), 0);
	path_of(d, sizeof d, "export");
	path_of(sib, sizeof sib, "export/other.html");
	CHECK_INT(file_mkdirs(d), 0);
	CHECK_INT(file_write_atomic(sib, "keep", 4), 0);
	in_child(out_file_child, got, sizeof got);
	CHECK_STR(got, abi > 0 ? "Nwx" : "Uww");
	CHECK_INT(sh_in(top, "grep -qx '<html>new</html>' export/out.html"), 0);
	if (abi > 0)
		CHECK_INT(sh_in(top, "test \"$(cat export/other.html)\" = keep"), 0);
}

/* ---- a case folder not made yet: its parent, until narrowed again -------- */

static void later_child(int fd)
{
	char c[4200], beside[4200], in[4300];
	path_of(c, sizeof c, "cases/case-x");
	path_of(beside, sizeof beside, "cases/beside.txt");
	snprintf(in, sizeof in, "%s/in.txt", c);
	struct sbx s = { .write_dirs = { c } };
	char r[8] = { rc_letter(sbx_narrow(&s)) };
	r[1] = file_mkdirs(c) == 0 ? 'd' : 'x';
	r[2] = rc_letter(sbx_narrow(&s));
	r[3] = try_write(in);
	r[4] = try_write(beside);               /* the parent: no longer */
	say(fd, r);
}

static void case_made_later(void)
{
	char d[4200], got[64];
	path_of(d, sizeof d, "cases");
	CHECK_INT(file_mkdirs(d), 0);
	in_child(later_child, got, sizeof got);
	CHECK_STR(got, abi > 0 ? "NdNwx" : "UdUww");
}

/* ---- read only ---------------------------------------------------------------- */

static void read_only_child(int fd)
{
	char c[4200], f[4300];
	path_of(c, sizeof c, "case1");
	snprintf(f, sizeof f, "%s/graph/v1.0/x.json", c);
	struct sbx s = { .read = { c } };
	char r[8] = { rc_letter(sbx_narrow(&s)) };
	r[1] = try_read(f);
	r[2] = try_write(f);
	say(fd, r);
}

static void case_read_only(void)
{
	char got[64];
	in_child(read_only_child, got, sizeof got);
	CHECK_STR(got, abi > 0 ? "Nrx" : "Urw");
}

/* ---- network ------------------------------------------------------------------- */

static uint16_t port_a, port_b;

static void net_none_child(int fd)
{
	struct sbx s = { 0 };
	char r[8] = { rc_letter(sbx_narrow(&s)) };
	r[1] = try_connect(port_a);
	r[2] = try_bind();
	say(fd, r);
}

static void net_ports_child(int fd)
{
	struct sbx s = { .net = SBX_NET_PORTS, .ports = { port_a } };
	char r[8] = { rc_letter(sbx_narrow(&s)) };
	r[1] = try_connect(port_a);
	r[2] = try_connect(port_b);
	r[3] = try_bind();
	say(fd, r);
}

static void network(void)
{
	char got[64];
	int a = listener(&port_a), b = listener(&port_b);
	CHECK(a >= 0 && b >= 0);
	in_child(net_none_child, got, sizeof got);
	/* TCP rules came with ABI 4 (Linux 6.7) */
	CHECK_STR(got, abi >= 4 ? "Nxx" : abi > 0 ? "Ncb" : "Ucb");
	in_child(net_ports_child, got, sizeof got);
	CHECK_STR(got, abi >= 4 ? "Ncxx" : abi > 0 ? "Nccb" : "Uccb");
	close(a);
	close(b);
}

/* ---- REFLEXE_SANDBOX=off ------------------------------------------------------ */

static void off_child(int fd)
{
	char out[4200];
	path_of(out, sizeof out, "off.txt");
	setenv("REFLEXE_SANDBOX", "off", 1);
	struct sbx s = { 0 };
	char r[8] = { rc_letter(sbx_narrow(&s)) };
	r[1] = strstr(err_msg(), "REFLEXE_SANDBOX=off") ? 's' : '-';
	r[2] = try_write(out);
	r[3] = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? 'p' : '-';
	say(fd, r);
}

static void turned_off(void)
{
	char got[64];
	in_child(off_child, got, sizeof got);
	/* not sandboxed, says why, the work goes on; no new privileges still */
	CHECK_STR(got, "Uswp");
}

/* ---- ports of the endpoints ------------------------------------------------- */

static void endpoint_ports(void)
{
	const char *urls[] = { "https://login.microsoftonline.com", "https://127.0.0.1:8443",
			       "https://[::1]:9443/x" };
	uint16_t p[SBX_MAX];
	unsetenv("https_proxy");
	unsetenv("HTTPS_PROXY");
	unsetenv("no_proxy");
	unsetenv("NO_PROXY");
	CHECK_INT(proxy_ports(NULL, urls, 3, p, SBX_MAX), 4);
	CHECK_INT(p[0], 53);
	CHECK_INT(p[1], 443);
	CHECK_INT(p[2], 8443);
	CHECK_INT(p[3], 9443);
	/* through a proxy: the proxy's port instead, but for no_proxy hosts */
	setenv("https_proxy", "proxy.corp:3128", 1);
	setenv("no_proxy", "127.0.0.1", 1);
	CHECK_INT(proxy_ports(NULL, urls, 3, p, SBX_MAX), 3);
	CHECK_INT(p[1], 3128);
	CHECK_INT(p[2], 8443);
	CHECK_INT(proxy_ports("http://10.0.0.1:8080", urls, 3, p, SBX_MAX), 3);
	CHECK_INT(p[1], 8080);
	CHECK_INT(p[2], 8443);
	CHECK_INT(proxy_ports(NULL, urls, 3, p, 2), -1);     /* more than room for */
	unsetenv("https_proxy");
	unsetenv("no_proxy");
}

int main(void)
{
	i18n_init("en");
	snprintf(top, sizeof top, "/tmp/reflexe-sbx-XXXXXX");
	if (!mkdtemp(top))
		return 2;
	unsetenv("REFLEXE_SANDBOX");
	int kernel = sbx_abi();
	err_clear();
	printf("  this kernel: Landlock ABI %d\n", kernel);
	/* every ABI up to this kernel's, then (0) the kernel's own */
	for (abi_cap = kernel > 0 ? 1 : 0;; abi_cap = abi_cap >= kernel ? 0 : abi_cap + 1) {
		abi = sbx_abi();
		err_clear();
		printf("  as ABI %d\n", abi);
		sh_in(top, "rm -rf ./*");
		RUN(case_folder_only);
		RUN(rerun_moves_aside);
		RUN(abi1_moves_by_copy);
		RUN(out_file_only);
		RUN(case_made_later);
		RUN(case_read_only);
		RUN(network);
		RUN(turned_off);
		if (!abi_cap)
			break;
	}
	RUN(endpoint_ports);
	char rm[4200];
	snprintf(rm, sizeof rm, "rm -rf '%s'", top);
	CHECK_INT(system(rm), 0);
	T_DONE();
}
