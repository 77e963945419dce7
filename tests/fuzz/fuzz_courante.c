/* libFuzzer harness for the logbook's hostile inputs: a logbook line
 * (cour_entry_parse), a CSV to import (cour_csv_import), and a whole
 * logbook file read back (the scanner: torn tails, over-long lines)
 * then viewed and rendered in every format. Not part of make test:
 * `make fuzz` builds it (clang, ASan+UBSan, build/fuzz/) and runs it,
 * with the other harnesses, for FUZZ_SECONDS each, from the seeds in
 * tests/fuzz/seeds/fuzz_courante.
 *
 * The first byte picks the path, so each run stays on one parser. */
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "courante/courante.h"

static void line(const char *p, size_t n)
{
	struct cour_entry e;
	int ok;
	if (cour_entry_parse(&e, p, n, &ok) == 0)
		cour_entry_free(&e);
}

static void csv(const char *p, size_t n, int with_who)
{
	struct cour_entry e;
	int ok;
	struct cour_import im;
	struct buf errs = { 0 };
	if (cour_csv_import(p, n, with_who ? "fuzz" : NULL, &im, &errs) == 0) {
		/* what was accepted must format into a line that parses back */
		struct buf l = { 0 };
		for (size_t i = 0; i < im.n; i++) {
			im.e[i].seq = 1;
			memset(im.e[i].prev, '0', 64);
			im.e[i].prev[64] = 0;
			buf_reset(&l);
			if (cour_entry_format(&im.e[i], &l) == 0) {
				if (cour_entry_parse(&e, l.p, l.len - 1, &ok) != 0 || !ok)
					abort();
				cour_entry_free(&e);
			}
		}
		buf_free(&l);
		cour_import_free(&im);
	}
	buf_free(&errs);
}

/* The bytes as courante.jsonl, loaded, checked, viewed, rendered. */
static char dir[64], path[128];

/* The replay (make test) runs once and exits: leave no folder behind. */
static void cleanup(void)
{
	unlink(path);
	rmdir(dir);
}

static void file(const char *p, size_t n)
{
	if (!*dir) {
		snprintf(dir, sizeof dir, "/tmp/fuzz-courante-%ld", (long)getpid());
		mkdir(dir, 0700);
		snprintf(path, sizeof path, "%s/" COUR_FILE, dir);
		atexit(cleanup);
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, p, n) != (ssize_t)n)
		abort();
	close(fd);
	struct cour_log log;
	int exists;
	if (cour_check(dir, &log, &exists) == 0)
		cour_log_free(&log);
	if (cour_load(dir, &log, &exists) != 0)
		return;
	struct cour_filter f = { .actions_only = n & 1, .target = n & 2 ? "a" : NULL };
	struct cour_view v;
	if (cour_view(&log, n & 4 ? &f : NULL, &v) == 0) {
		struct cour_doc d = { .case_name = "fuzz", .log = &log, .generated = 0 };
		for (int fmt = COUR_FMT_TEXT; fmt <= COUR_FMT_HTML; fmt++) {
			struct buf out = { 0 };
			cour_render((enum cour_fmt)fmt, &d, &v, &out);
			buf_free(&out);
		}
		cour_view_free(&v);
	}
	cour_log_free(&log);
}

/* the libFuzzer entry point (it declares it nowhere we can include) */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	const char *p = (const char *)data + 1;
	size_t n = size - 1;
	switch (data[0] % 4) {
	case 0: line(p, n); break;
	case 1: csv(p, n, 0); break;
	case 2: csv(p, n, 1); break;
	default: file(p, n); break;
	}
	return 0;
}
