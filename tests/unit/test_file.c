/* Files: atomic write (and that a failed one leaves the old file and no
 * temp behind), bounded read, mkdir -p. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core.h"
#include "t.h"

static char dir[256];

static int count_entries(const char *d)
{
	DIR *dd = opendir(d);
	int n = 0;
	struct dirent *e;
	if (!dd)
		return -1;
	while ((e = readdir(dd)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(dd);
	return n;
}

static void atomic_write(void)
{
	char p[300];
	struct buf b = { 0 };
	struct stat st;
	snprintf(p, sizeof p, "%s/a.json", dir);
	CHECK_INT(file_write_atomic(p, "first", 5), 0);
	CHECK_INT(file_read(p, &b, 100), 0);
	CHECK_STR(b.p, "first");
	CHECK_INT(stat(p, &st), 0);
	CHECK_INT(st.st_mode & 0777, 0600);
	CHECK_INT(file_write_atomic(p, "second!", 7), 0);
	CHECK_INT(file_read(p, &b, 100), 0);
	CHECK_STR(b.p, "second!");
	CHECK_INT(b.len, 7);
	CHECK_INT(count_entries(dir), 1);       /* no temp left behind */
	CHECK_INT(file_write_atomic(p, "", 0), 0);
	CHECK_INT(file_read(p, &b, 100), 0);
	CHECK_INT(b.len, 0);
	CHECK_STR(b.p, "");
	buf_free(&b);
	unlink(p);
}

/* RLIMIT_FSIZE with SIGXFSZ ignored makes write(2) fail with EFBIG — a
 * real failure path of the kernel, like a full stick, even as root. */
static void atomic_write_fails_cleanly(void)
{
	char p[300];
	struct buf b = { 0 };
	struct rlimit old, lim;
	snprintf(p, sizeof p, "%s/keep.txt", dir);
	CHECK_INT(file_write_atomic(p, "old content", 11), 0);

	static char big[65536];
	memset(big, 'x', sizeof big);
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = 4096;
	CHECK_INT(setrlimit(RLIMIT_FSIZE, &lim), 0);
	int r = file_write_atomic(p, big, sizeof big);
	setrlimit(RLIMIT_FSIZE, &old);
	CHECK_INT(r, -1);
	CHECK_INT(err_id(), E_FILE_WRITE);
	CHECK(strstr(err_msg(), "keep.txt") != NULL);
	CHECK_INT(file_read(p, &b, 100), 0);
	CHECK_STR(b.p, "old content");
	CHECK_INT(count_entries(dir), 1);

	/* rename onto a folder fails: temp removed, folder untouched */
	char d2[300];
	snprintf(d2, sizeof d2, "%s/sub", dir);
	CHECK_INT(mkdir(d2, 0700), 0);
	CHECK_INT(file_write_atomic(d2, "x", 1), -1);
	CHECK_INT(count_entries(dir), 2);
	rmdir(d2);
	/* missing folder */
	snprintf(d2, sizeof d2, "%s/nope/x", dir);
	CHECK_INT(file_write_atomic(d2, "x", 1), -1);
	CHECK(strstr(err_msg(), tr(M_ERRNO_NOENT)) != NULL);
	buf_free(&b);
	unlink(p);
}

static void bounded_read(void)
{
	char p[300];
	struct buf b = { 0 };
	snprintf(p, sizeof p, "%s/r.bin", dir);
	CHECK_INT(file_write_atomic(p, "0123456789", 10), 0);
	CHECK_INT(file_read(p, &b, 10), 0);
	CHECK_INT(b.len, 10);
	CHECK_INT(file_read(p, &b, 9), -1);
	CHECK_INT(err_id(), E_FILE_TOO_LARGE);
	snprintf(p, sizeof p, "%s/missing", dir);
	CHECK_INT(file_read(p, &b, 9), -1);
	CHECK_INT(err_id(), E_FILE_OPEN);
	CHECK_INT(file_exists(p), 0);
	/* not a regular file: the bound still holds while reading */
	CHECK_INT(file_read("/dev/zero", &b, 100000), -1);
	CHECK_INT(err_id(), E_FILE_TOO_LARGE);
	snprintf(p, sizeof p, "%s/r.bin", dir);
	CHECK_INT(file_exists(p), 1);
	unlink(p);
	buf_free(&b);
}

static void mkdirs(void)
{
	char p[300];
	struct stat st;
	snprintf(p, sizeof p, "%s/x/y/z/", dir);
	CHECK_INT(file_mkdirs(p), 0);
	CHECK_INT(stat(p, &st), 0);
	CHECK(S_ISDIR(st.st_mode));
	CHECK_INT(st.st_mode & 0777, 0700);
	CHECK_INT(file_mkdirs(p), 0);                /* idempotent */
	CHECK_INT(file_fsync_dir(p), 0);
	snprintf(p, sizeof p, "%s/x/f", dir);
	CHECK_INT(file_write_atomic(p, "f", 1), 0);
	snprintf(p, sizeof p, "%s/x/f/g", dir);
	CHECK_INT(file_mkdirs(p), -1);
	snprintf(p, sizeof p, "%s/x/f", dir);
	CHECK_INT(file_fsync_dir(p), -1);
	unlink(p);
	snprintf(p, sizeof p, "%s/x/y/z", dir); rmdir(p);
	snprintf(p, sizeof p, "%s/x/y", dir); rmdir(p);
	snprintf(p, sizeof p, "%s/x", dir); rmdir(p);
}

static void errno_texts(void)
{
	i18n_init("fr");
	CHECK_STR(file_strerror(ENOSPC), "plus de place sur le support");
	i18n_init("en");
	CHECK_STR(file_strerror(ENOSPC), "no space left on the device");
	CHECK_STR(file_strerror(EROFS), "read-only medium");
	CHECK(strstr(file_strerror(ETXTBSY), "26") != NULL);
}

int main(void)
{
	i18n_init("en");
	snprintf(dir, sizeof dir, "%s/reflexe-test-file-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir)) {
		printf("FAIL mkdtemp\n");
		return 1;
	}
	RUN(atomic_write);
	RUN(atomic_write_fails_cleanly);
	RUN(bounded_read);
	RUN(mkdirs);
	RUN(errno_texts);
	rmdir(dir);
	T_DONE();
}
