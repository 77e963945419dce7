/* The logbook library: line format and chain, store (append, torn tail,
 * repair, file unchanged on a failed write), views, the API for other
 * applets, time and case helpers. CSV has its own file. */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "case/case.h"
#include "courante/courante.h"
#include "t.h"

static char root[256];
static int ncase;

/* A fresh case folder name (not created). */
static const char *new_case(void)
{
	static char p[300];
	snprintf(p, sizeof p, "%s/case-%d", root, ++ncase);
	return p;
}

static void rd(const char *dir, struct buf *b)
{
	char p[400];
	snprintf(p, sizeof p, "%s/" COUR_FILE, dir);
	buf_reset(b);
	if (file_read(p, b, 1 << 26) < 0)
		buf_reset(b);
}

static void wr(const char *dir, const struct buf *b)
{
	char p[400];
	snprintf(p, sizeof p, "%s/" COUR_FILE, dir);
	int fd = open(p, O_WRONLY | O_TRUNC);
	if (fd >= 0) {
		if (write(fd, b->p, b->len) != (ssize_t)b->len)
			t_failed_now = 1;
		close(fd);
	}
}

static long long add(const char *dir, const char *who, const char *what, enum cour_status st)
{
	struct cour_entry e = { .kind = COUR_NOTE, .who = (char *)who, .what = (char *)what,
				.status = st, .recorded = 1795340400, .event = 1795340400 };
	long long seq = -1;
	if (cour_append(dir, &e, 1, COUR_APPEND_CREATE, &seq) < 0) {
		printf("  append: %s\n", err_msg());
		return -1;
	}
	return seq;
}

static void format_and_parse(void)
{
	char *targets[] = { "bob@contoso.fr", "PC-042" };
	struct cour_entry e = {
		.seq = 3, .kind = COUR_NOTE, .recorded = 1795340467, .event = 1795340400,
		.offset_min = 60, .who = "Zoé", .what = "ligne 1\nligne 2 \"q\" \\ \x01 😀",
		.targets = targets, .ntargets = 2, .status = COUR_ST_DOING,
		.source = "alerte EDR", .corrects = 1,
	};
	struct buf b = { 0 };
	memset(e.prev, 'a', 64);
	e.prev[64] = 0;
	CHECK_INT(cour_entry_format(&e, &b), 0);
	CHECK(b.len > 0 && b.p[b.len - 1] == '\n');
	CHECK(strstr(b.p, "{\"seq\":3,\"kind\":\"note\",\"recorded\":\"2026-11-22T09:41:07Z\","
		      "\"event\":\"2026-11-22T09:40:00Z\",\"offset\":\"+01:00\",\"who\":\"Zoé\"") == b.p);
	CHECK(strstr(b.p, "\"status\":\"doing\",\"source\":\"alerte EDR\",\"corrects\":1,\"status_of\":null,") != NULL);
	/* hash = SHA-256 of the bytes before ,"hash": */
	char *hp = strstr(b.p, ",\"hash\":\"");
	char h[65];
	CHECK(hp != NULL);
	if (!hp)
		return;
	hash_sha256_hex(b.p, (size_t)(hp - b.p), h);
	CHECK_STR(h, e.hash);
	CHECK(!strncmp(hp + 9, e.hash, 64));

	struct cour_entry p;
	int ok;
	CHECK_INT(cour_entry_parse(&p, b.p, b.len - 1, &ok), 0);
	CHECK_INT(ok, 1);
	CHECK_INT(p.seq, 3);
	CHECK_INT(p.kind, COUR_NOTE);
	CHECK_INT(p.recorded, 1795340467);
	CHECK_INT(p.event, 1795340400);
	CHECK_INT(p.offset_min, 60);
	CHECK_STR(p.who, "Zoé");
	CHECK_STR(p.what, e.what);
	CHECK_INT(p.ntargets, 2);
	if (p.ntargets == 2)
		CHECK_STR(p.targets[1], "PC-042");
	CHECK_INT(p.status, COUR_ST_DOING);
	CHECK_STR(p.source, "alerte EDR");
	CHECK_INT(p.corrects, 1);
	CHECK_INT(p.status_of, 0);
	CHECK_STR(p.prev, e.prev);
	cour_entry_free(&p);

	/* one byte changed in the text: still parses, hash no longer matches */
	char *w = strstr(b.p, "ligne 2");
	w[6] = '3';
	CHECK_INT(cour_entry_parse(&p, b.p, b.len - 1, &ok), 0);
	CHECK_INT(ok, 0);
	cour_entry_free(&p);
	/* a field after the hash, a truncated line, bad kinds: unreadable */
	const char *bad[] = {
		"{\"seq\":1}",
		"not json",
		"{\"seq\":1,\"kind\":\"note\",\"recorded\":\"2026-11-22T09:41:07Z\",\"event\":\"2026-11-22T09:40:00Z\","
		"\"offset\":\"+01:00\",\"who\":\"a\",\"what\":\"b\",\"targets\":[],\"status\":null,\"source\":null,"
		"\"corrects\":null,\"status_of\":null,\"prev\":\"0000000000000000000000000000000000000000000000000000000000000000\","
		"\"hash\":\"0000000000000000000000000000000000000000000000000000000000000000\",\"x\":1}",
		"{\"seq\":1,\"kind\":\"bogus\",\"recorded\":\"2026-11-22T09:41:07Z\",\"event\":\"2026-11-22T09:40:00Z\","
		"\"offset\":\"+01:00\",\"who\":\"a\",\"what\":\"b\",\"targets\":[],\"status\":null,\"source\":null,"
		"\"corrects\":null,\"status_of\":null,\"prev\":\"0000000000000000000000000000000000000000000000000000000000000000\","
		"\"hash\":\"0000000000000000000000000000000000000000000000000000000000000000\"}",
		"{\"seq\":1,\"kind\":\"note\",\"recorded\":\"2026-11-22T09:41:07+01:00\",\"event\":\"2026-11-22T09:40:00Z\","
		"\"offset\":\"+01:00\",\"who\":\"a\",\"what\":\"b\",\"targets\":[],\"status\":null,\"source\":null,"
		"\"corrects\":null,\"status_of\":null,\"prev\":\"0000000000000000000000000000000000000000000000000000000000000000\","
		"\"hash\":\"0000000000000000000000000000000000000000000000000000000000000000\"}",
		"{\"seq\":1,\"kind\":\"note\",\"recorded\":\"2026-11-22T09:41:07Z\",\"event\":\"2026-11-22T09:40:00Z\","
		"\"offset\":\"+01:00\",\"who\":\"a\",\"what\":\"b\",\"targets\":[],\"status\":\"fait\",\"source\":null,"
		"\"corrects\":null,\"status_of\":null,\"prev\":\"0000000000000000000000000000000000000000000000000000000000000000\","
		"\"hash\":\"0000000000000000000000000000000000000000000000000000000000000000\"}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (cour_entry_parse(&p, bad[i], strlen(bad[i]), &ok) != -1) {
			printf("  accepted bad line %zu\n", i);
			t_failed_now = 1;
			cour_entry_free(&p);
		}
	buf_free(&b);
}

static void status_words(void)
{
	enum cour_status s;
	const struct { const char *w; enum cour_status s; } ok[] = {
		{ "todo", COUR_ST_TODO }, { "À faire", COUR_ST_TODO }, { "a-faire", COUR_ST_TODO },
		{ "en cours", COUR_ST_DOING }, { "EN_COURS", COUR_ST_DOING }, { "doing", COUR_ST_DOING },
		{ "fait", COUR_ST_DONE }, { "Done", COUR_ST_DONE },
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		CHECK_INT(cour_status_parse(ok[i].w, &s), 0);
		CHECK_INT(s, ok[i].s);
	}
	CHECK_INT(cour_status_parse("finished", &s), -1);
	i18n_init("fr");
	CHECK_STR(cour_status_label(COUR_ST_TODO), "à faire");
	i18n_init("en");
	CHECK_STR(cour_status_label(COUR_ST_DOING), "doing");
}

static void append_and_verify(void)
{
	char dir[300];
	snprintf(dir, sizeof dir, "%s", new_case());
	struct cour_log log;
	int exists;
	CHECK_INT(cour_load(dir, &log, &exists), 0);
	CHECK_INT(exists, 0);
	CHECK_INT(add(dir, "Alice", "un", 0), 1);
	CHECK_INT(add(dir, "Bob", "deux", COUR_ST_TODO), 2);
	/* a run of three in one write */
	struct cour_entry run[3];
	for (int i = 0; i < 3; i++)
		run[i] = (struct cour_entry){ .kind = COUR_IMPORT, .who = "C", .what = "x",
					     .recorded = 1, .event = 1 };
	long long first;
	CHECK_INT(cour_append(dir, run, 3, 0, &first), 0);
	CHECK_INT(first, 3);
	CHECK_STR(run[1].prev, run[0].hash);
	CHECK_INT(cour_load(dir, &log, &exists), 0);
	CHECK_INT(exists, 1);
	CHECK_INT(log.n, 5);
	CHECK_INT(log.bad_line, 0);
	CHECK_INT(log.torn.line, 0);
	CHECK_STR(log.e[0].prev, "0000000000000000000000000000000000000000000000000000000000000000");
	CHECK_STR(log.e[1].prev, log.e[0].hash);
	CHECK_STR(log.e[4].hash, run[2].hash);
	cour_log_free(&log);
	/* init into a non-empty logbook is refused */
	struct cour_entry o = { .kind = COUR_OPEN, .who = "A", .what = "t" };
	CHECK_INT(cour_append(dir, &o, 1, COUR_APPEND_NEW, NULL), -1);
	CHECK_INT(err_id(), E_COUR_EXISTS);
	/* without CREATE, a missing logbook is an error, not a new file */
	CHECK_INT(cour_append(new_case(), &o, 1, 0, NULL), -1);
	CHECK_INT(err_id(), E_COUR_NO_LOG);
	/* the file is 0600: a logbook is evidence */
	struct stat st;
	char p[400];
	snprintf(p, sizeof p, "%s/" COUR_FILE, dir);
	CHECK_INT(stat(p, &st), 0);
	CHECK_INT(st.st_mode & 0777, 0600);
}

/* Every tampering the issue lists: verify names the line. */
static void tampering(void)
{
	char dir[300];
	snprintf(dir, sizeof dir, "%s", new_case());
	struct buf orig = { 0 }, b = { 0 };
	struct cour_log log;
	int exists;
	for (int i = 0; i < 6; i++)
		add(dir, "A", "entrée", 0);
	rd(dir, &orig);

	/* line offsets */
	size_t off[7], k = 0;
	off[k++] = 0;
	for (size_t i = 0; i < orig.len; i++)
		if (orig.p[i] == '\n')
			off[k++] = i + 1;
	CHECK_INT(k, 7);

	/* 1. one byte changed in line 3's text */
	buf_reset(&b);
	buf_append(&b, orig.p, orig.len);
	char *t = strstr(b.p + off[2], "entr");
	t[0] = 'E';
	wr(dir, &b);
	CHECK_INT(cour_load(dir, &log, &exists), 0);
	CHECK_INT(log.bad_line, 3);
	CHECK(strstr(log.bad_why, "modified") != NULL);
	cour_log_free(&log);
	/* every rendering marks that line, and says the torn tail too */
	buf_append(&b, "{\"seq\":7,", 9);
	wr(dir, &b);
	{
		struct cour_view v;
		struct buf out = { 0 };
		CHECK_INT(cour_load(dir, &log, &exists), 0);
		CHECK_INT(log.bad_entry, 3);
		CHECK_INT(cour_view(&log, NULL, &v), 0);
		struct cour_doc d = { .case_name = "x", .log = &log };
		CHECK_INT(cour_render_text(&d, &v, &out), 0);
		const char *m = strstr(out.p, "\n#3 ");
		CHECK(m && strstr(m, "!! chain broken here: hash mismatch") &&
		      strstr(m, "!! chain broken here") < strstr(m, "\n#4 "));
		CHECK(strstr(out.p, "WARNING: chain broken at line 3") != NULL &&
		      strstr(out.p, "WARNING: last line (no. 7) incomplete") != NULL);
		buf_reset(&out);
		CHECK_INT(cour_render_html(&d, &v, &out), 0);
		CHECK(strstr(out.p, "<li id=\"e3\" class=\"broken\">") != NULL);
		const char *first = strstr(out.p, "class=\"broken\"");
		CHECK(first && !strstr(first + 1, "class=\"broken\""));   /* that line only */
		buf_reset(&out);
		CHECK_INT(cour_render_md(&d, &v, &out), 0);
		CHECK(strstr(out.p, "chain broken here") != NULL);
		buf_free(&out);
		cour_view_free(&v);
		cour_log_free(&log);
	}

	/* 2. line 4 deleted */
	buf_reset(&b);
	buf_append(&b, orig.p, off[3]);
	buf_append(&b, orig.p + off[4], orig.len - off[4]);
	wr(dir, &b);
	CHECK_INT(cour_load(dir, &log, &exists), 0);
	CHECK_INT(log.bad_line, 4);
	cour_log_free(&log);

	/* 3. lines 2 and 3 swapped */
	buf_reset(&b);
	buf_append(&b, orig.p, off[1]);
	buf_append(&b, orig.p + off[2], off[3] - off[2]);
	buf_append(&b, orig.p + off[1], off[2] - off[1]);
	buf_append(&b, orig.p + off[3], orig.len - off[3]);
	wr(dir, &b);
	CHECK_INT(cour_load(dir, &log, &exists), 0);
	CHECK_INT(log.bad_line, 2);
	cour_log_free(&log);

	/* 4. a forged line appended with a well-formed hash of its own
	 *    content but prev copied from line 5, not 6 */
	buf_reset(&b);
	buf_append(&b, orig.p, orig.len);
	struct cour_entry f = { .seq = 7, .kind = COUR_NOTE, .who = "Mallory", .what = "rien",
				.recorded = 1, .event = 1 };
	wr(dir, &orig);
	CHECK_INT(cour_load(dir, &log, &exists), 0);
	memcpy(f.prev, log.e[4].hash, 65);
	cour_log_free(&log);
	cour_entry_format(&f, &b);
	wr(dir, &b);
	CHECK_INT(cour_load(dir, &log, &exists), 0);
	CHECK_INT(log.bad_line, 7);
	CHECK(strstr(log.bad_why, "prev") != NULL);
	cour_log_free(&log);

	/* 5. a line inserted (a copy of line 2 after line 2) */
	buf_reset(&b);
	buf_append(&b, orig.p, off[2]);
	buf_append(&b, orig.p + off[1], off[2] - off[1]);
	buf_append(&b, orig.p + off[2], orig.len - off[2]);
	wr(dir, &b);
	CHECK_INT(cour_load(dir, &log, &exists), 0);
	CHECK_INT(log.bad_line, 3);
	cour_log_free(&log);

	/* 6. the hash field itself edited */
	buf_reset(&b);
	buf_append(&b, orig.p, orig.len);
	b.p[off[2] - 4] = b.p[off[2] - 4] == 'a' ? 'b' : 'a';
	wr(dir, &b);
	CHECK_INT(cour_load(dir, &log, &exists), 0);
	CHECK_INT(log.bad_line, 2);
	cour_log_free(&log);

	/* untouched: clean */
	wr(dir, &orig);
	CHECK_INT(cour_load(dir, &log, &exists), 0);
	CHECK_INT(log.bad_line, 0);
	CHECK_INT(log.n, 6);
	cour_log_free(&log);
	buf_free(&orig);
	buf_free(&b);
}

static void torn_tail_and_repair(void)
{
	char dir[300];
	snprintf(dir, sizeof dir, "%s", new_case());
	struct buf orig = { 0 }, b = { 0 };
	struct cour_log log;
	int exists, done;
	char q[512];
	long long seq;
	for (int i = 0; i < 3; i++)
		add(dir, "A", "entrée", 0);
	rd(dir, &orig);

	/* half a line, no newline: the stick was pulled mid-write */
	buf_append(&b, orig.p, orig.len);
	buf_puts(&b, "{\"seq\":4,\"kind\":\"no");
	wr(dir, &b);
	CHECK_INT(cour_load(dir, &log, &exists), 0);
	CHECK_INT(log.n, 3);
	CHECK_INT(log.bad_line, 0);
	CHECK_INT(log.torn.line, 4);
	CHECK_INT(log.torn.len, 19);
	cour_log_free(&log);
	/* add refuses to chain onto it, and says to repair */
	CHECK_INT(add(dir, "A", "x", 0), -1);
	CHECK_INT(err_id(), E_COUR_TORN);
	CHECK(strstr(err_msg(), "repair") != NULL);
	CHECK(strstr(err_msg(), "4") != NULL);
	rd(dir, &b);
	CHECK_INT(b.len, orig.len + 19);      /* refused: file untouched */

	CHECK_INT(cour_repair(dir, "Alice", &done, q, sizeof q, &seq), 0);
	CHECK_INT(done, 1);
	CHECK_INT(seq, 4);
	rd(dir, &b);
	struct buf qb = { 0 };
	CHECK_INT(file_read(q, &qb, 1000), 0);
	CHECK_STR(qb.p, "{\"seq\":4,\"kind\":\"no");
	CHECK(strstr(q, "courante.quarantine-") != NULL);
	CHECK_INT(cour_load(dir, &log, &exists), 0);
	CHECK_INT(log.n, 4);
	CHECK_INT(log.torn.line, 0);
	CHECK_INT(log.bad_line, 0);
	CHECK_INT(log.e[3].kind, COUR_REPAIR);
	CHECK(strstr(log.e[3].what, strrchr(q, '/') + 1) != NULL);
	cour_log_free(&log);
	CHECK_INT(add(dir, "A", "après", 0), 5);
	/* nothing to repair now */
	CHECK_INT(cour_repair(dir, "Alice", &done, q, sizeof q, &seq), 0);
	CHECK_INT(done, 0);

	/* an unreadable last line that does end in '\n' (zeros after a
	 * power cut) is a torn tail too */
	rd(dir, &b);
	buf_append(&b, "\0\0\0\0\n", 5);
	wr(dir, &b);
	CHECK_INT(cour_load(dir, &log, &exists), 0);
	CHECK_INT(log.torn.line, 6);
	cour_log_free(&log);
	CHECK_INT(add(dir, "A", "x", 0), -1);
	CHECK_INT(err_id(), E_COUR_TORN);
	CHECK_INT(cour_repair(dir, "Alice", &done, q, sizeof q, &seq), 0);
	CHECK_INT(done, 1);
	CHECK_INT(seq, 6);

	/* a torn FIRST line */
	char d2[300];
	snprintf(d2, sizeof d2, "%s", new_case());
	add(d2, "A", "x", 0);
	buf_reset(&b);
	buf_puts(&b, "{\"seq\":1,");
	wr(d2, &b);
	CHECK_INT(add(d2, "A", "x", 0), -1);
	CHECK_INT(err_id(), E_COUR_TORN);
	CHECK_INT(cour_repair(d2, "Alice", &done, q, sizeof q, &seq), 0);
	CHECK_INT(seq, 1);

	/* an unreadable line in the MIDDLE is not a torn tail: repair
	 * leaves it to verify */
	char d3[300];
	snprintf(d3, sizeof d3, "%s", new_case());
	add(d3, "A", "x", 0);
	add(d3, "A", "y", 0);
	rd(d3, &b);
	buf_reset(&qb);
	buf_puts(&qb, "garbage\n");
	buf_append(&qb, b.p, b.len);
	wr(d3, &qb);
	CHECK_INT(cour_load(d3, &log, &exists), 0);
	CHECK_INT(log.bad_line, 1);
	CHECK_INT(log.torn.line, 0);
	cour_log_free(&log);
	CHECK_INT(cour_repair(d3, "Alice", &done, q, sizeof q, &seq), 0);
	CHECK_INT(done, 0);
	buf_free(&qb);
	buf_free(&orig);
	buf_free(&b);
}

/* A failed write leaves the file exactly as it was: RLIMIT_FSIZE makes
 * the kernel refuse the write (EFBIG), as a full disk would (ENOSPC). */
/* Past the 1 MiB read slice, and lines longer than the maximum in the
 * middle and at the end. */
static void big_files(void)
{
	char dir[300];
	snprintf(dir, sizeof dir, "%s", new_case());
	/* (on the heap: the aarch64 build's tiny code model keeps a
	 * program's code and static data within 1 MB) */
	struct cour_entry *run = calloc(3000, sizeof *run);
	if (!run) {
		CHECK(run != NULL);
		return;
	}
	for (int i = 0; i < 3000; i++)
		run[i] = (struct cour_entry){ .kind = COUR_NOTE, .who = "A",
			.what = "une ligne assez longue pour que trois mille lignes dépassent un mébioctet de fichier, "
				"avec des accents et encore un peu de texte pour faire bonne mesure",
			.recorded = 1, .event = 1 };
	CHECK_INT(cour_append(dir, run, 3000, COUR_APPEND_CREATE, NULL), 0);
	struct cour_log log;
	int exists, done;
	CHECK_INT(cour_check(dir, &log, &exists), 0);
	CHECK_INT(log.n, 3000);
	CHECK(log.e == NULL);
	CHECK_INT(log.bad_line, 0);
	CHECK_STR(log.head, run[2999].hash);
	cour_log_free(&log);
	CHECK_INT(cour_load(dir, &log, &exists), 0);
	CHECK_INT(log.n, 3000);
	CHECK_INT(log.e[2999].seq, 3000);
	cour_log_free(&log);

	struct buf b = { 0 }, t = { 0 };
	rd(dir, &b);
	size_t size = b.len;
	static char junk[70001];
	memset(junk, 'x', 70000);
	/* over-long last line without '\n': a torn tail, all of it */
	buf_append(&b, junk, 70000);
	wr(dir, &b);
	CHECK_INT(cour_check(dir, &log, &exists), 0);
	CHECK_INT(log.bad_line, 0);
	CHECK_INT(log.torn.line, 3001);
	CHECK_INT(log.torn.offset, size);
	CHECK_INT(log.torn.len, 70000);
	cour_log_free(&log);
	char q[512];
	long long seq;
	CHECK_INT(cour_repair(dir, "A", &done, q, sizeof q, &seq), 0);
	CHECK_INT(seq, 3001);
	CHECK_INT(file_read(q, &t, 100000), 0);
	CHECK_INT(t.len, 70000);
	CHECK_INT(cour_check(dir, &log, &exists), 0);
	CHECK_INT(log.bad_line, 0);
	CHECK_INT(log.torn.line, 0);
	CHECK_INT(log.n, 3001);
	cour_log_free(&log);
	/* over-long line in the middle (with its '\n'): named by verify */
	rd(dir, &b);
	char *l2 = strchr(b.p, '\n') + 1;
	buf_reset(&t);
	buf_append(&t, b.p, (size_t)(l2 - b.p));
	buf_append(&t, junk, 70000);
	buf_append(&t, "\n", 1);
	buf_append(&t, l2, b.len - (size_t)(l2 - b.p));
	wr(dir, &t);
	CHECK_INT(cour_check(dir, &log, &exists), 0);
	CHECK_INT(log.bad_line, 2);
	CHECK_INT(log.torn.line, 0);
	CHECK_INT(log.n, 3001);
	cour_log_free(&log);
	buf_free(&b);
	buf_free(&t);
	free(run);
}

static void failed_write_leaves_file(void)
{
	char dir[300];
	snprintf(dir, sizeof dir, "%s", new_case());
	struct buf before = { 0 }, after = { 0 };
	struct rlimit old, lim;
	add(dir, "A", "un", 0);
	add(dir, "A", "deux", 0);
	rd(dir, &before);

	static char big[8000];
	memset(big, 'x', sizeof big - 1);
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = before.len + 100;      /* room for part of the line */
	CHECK_INT(setrlimit(RLIMIT_FSIZE, &lim), 0);
	long long r = add(dir, "A", big, 0);
	setrlimit(RLIMIT_FSIZE, &old);
	CHECK_INT(r, -1);
	CHECK_INT(err_id(), E_COUR_WRITE);
	CHECK(strstr(err_msg(), "unchanged") != NULL);
	rd(dir, &after);
	CHECK_INT(after.len, before.len);
	CHECK(after.len == before.len && !memcmp(after.p, before.p, before.len));
	/* and the next add works and chains */
	CHECK_INT(add(dir, "A", "trois", 0), 3);
	struct cour_log log;
	int exists;
	CHECK_INT(cour_load(dir, &log, &exists), 0);
	CHECK_INT(log.bad_line, 0);
	CHECK_INT(log.n, 3);
	cour_log_free(&log);
	buf_free(&before);
	buf_free(&after);
}

/* A repair that cannot record itself (the medium fills up between the
 * cut and the record) puts the tail back: the logbook unchanged, as the
 * error says, and no stray quarantine copy. */
static void failed_repair_restores(void)
{
	char dir[300];
	snprintf(dir, sizeof dir, "%s", new_case());
	struct buf before = { 0 }, after = { 0 };
	struct rlimit old, lim;
	int done;
	char q[512];
	long long seq;
	add(dir, "A", "un", 0);
	add(dir, "A", "deux", 0);
	rd(dir, &before);
	buf_puts(&before, "{\"seq\":3,\"kind\":\"no");
	wr(dir, &before);
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = before.len;      /* the tail fits, the record does not */
	CHECK_INT(setrlimit(RLIMIT_FSIZE, &lim), 0);
	int r = cour_repair(dir, "A", &done, q, sizeof q, &seq);
	setrlimit(RLIMIT_FSIZE, &old);
	CHECK_INT(r, -1);
	CHECK_INT(done, 0);
	CHECK_INT(err_id(), E_COUR_WRITE);
	rd(dir, &after);
	CHECK(after.len == before.len && !memcmp(after.p, before.p, before.len));
	CHECK(!file_exists(q));
	/* with room again, the repair goes through */
	CHECK_INT(cour_repair(dir, "A", &done, q, sizeof q, &seq), 0);
	CHECK_INT(done, 1);
	CHECK_INT(seq, 3);
	CHECK(file_exists(q));
	buf_free(&before);
	buf_free(&after);
}

static void views(void)
{
	char dir[300];
	snprintf(dir, sizeof dir, "%s", new_case());
	struct cour_log log;
	struct cour_view v;
	int exists;
	char *tg[] = { "bob@contoso.fr" };
	struct cour_entry e[] = {
		{ .kind = COUR_NOTE, .who = "Alice", .what = "a", .event = 300, .status = COUR_ST_TODO,
		  .targets = tg, .ntargets = 1 },
		{ .kind = COUR_NOTE, .who = "Bob", .what = "b", .event = 100 },
		{ .kind = COUR_NOTE, .who = "Alice", .what = "c", .event = 100, .status = COUR_ST_DOING },
		{ .kind = COUR_STATUS, .who = "Bob", .what = "s", .event = 400, .status = COUR_ST_DONE,
		  .status_of = 1 },
		{ .kind = COUR_CORRECT, .who = "Bob", .what = "c2", .event = 100, .status = COUR_ST_DOING,
		  .corrects = 3 },
		{ .kind = COUR_NOTE, .who = "Carole", .what = "d", .event = 50, .status = COUR_ST_TODO },
	};
	CHECK_INT(cour_append(dir, e, 6, COUR_APPEND_CREATE, NULL), 0);
	CHECK_INT(cour_load(dir, &log, &exists), 0);

	CHECK_INT(cour_view(&log, NULL, &v), 0);
	CHECK_INT(v.n, 6);
	/* event order, ties by seq: 6(50) 2(100) 3(100) 5(100) 1(300) 4(400) */
	long long want[] = { 6, 2, 3, 5, 1, 4 };
	for (size_t i = 0; i < 6 && i < v.n; i++)
		CHECK_INT(v.r[i].e->seq, want[i]);
	CHECK_INT(v.r[4].eff, COUR_ST_DONE);        /* #1 moved on by #4 */
	CHECK_INT(v.r[4].status_seq, 4);
	CHECK_INT(v.r[2].corrected_by, 5);          /* #3 corrected by #5 */
	cour_view_free(&v);

	struct cour_filter f = { .actions_only = 1 };
	CHECK_INT(cour_view(&log, &f, &v), 0);
	/* open actions: #6 (todo), #5 (doing); not #1 (done), not #3
	 * (corrected), not the status line */
	CHECK_INT(v.n, 2);
	if (v.n == 2) {
		CHECK_INT(v.r[0].e->seq, 6);
		CHECK_INT(v.r[1].e->seq, 5);
	}
	cour_view_free(&v);
	f = (struct cour_filter){ .who = "ALI" };
	CHECK_INT(cour_view(&log, &f, &v), 0);
	CHECK_INT(v.n, 2);
	cour_view_free(&v);
	f = (struct cour_filter){ .target = "BOB@" };
	CHECK_INT(cour_view(&log, &f, &v), 0);
	CHECK_INT(v.n, 1);
	cour_view_free(&v);
	f = (struct cour_filter){ .status = COUR_ST_DONE };
	CHECK_INT(cour_view(&log, &f, &v), 0);
	CHECK_INT(v.n, 1);
	if (v.n)
		CHECK_INT(v.r[0].e->seq, 1);
	cour_view_free(&v);
	f = (struct cour_filter){ .since = 300 };
	CHECK_INT(cour_view(&log, &f, &v), 0);
	CHECK_INT(v.n, 2);
	cour_view_free(&v);
	cour_log_free(&log);

	/* "status 3 done" after #5 corrected #3: the action is closed, so
	 * its current version #5 leaves the open actions too */
	struct cour_entry s3 = { .kind = COUR_STATUS, .who = "Bob", .what = "s", .event = 500,
				 .status = COUR_ST_DONE, .status_of = 3 };
	CHECK_INT(cour_append(dir, &s3, 1, 0, NULL), 0);
	CHECK_INT(cour_load(dir, &log, &exists), 0);
	f = (struct cour_filter){ .actions_only = 1 };
	CHECK_INT(cour_view(&log, &f, &v), 0);
	CHECK_INT(v.n, 1);
	if (v.n == 1)
		CHECK_INT(v.r[0].e->seq, 6);
	cour_view_free(&v);
	CHECK_INT(cour_view(&log, NULL, &v), 0);
	for (size_t i = 0; i < v.n; i++)
		if (v.r[i].e->seq == 5) {
			CHECK_INT(v.r[i].eff, COUR_ST_DONE);
			CHECK_INT(v.r[i].status_seq, 7);
		}
	cour_view_free(&v);
	/* a later correction carries its own status and wins again */
	struct cour_entry c5 = { .kind = COUR_CORRECT, .who = "Bob", .what = "c3", .event = 100,
				 .status = COUR_ST_TODO, .corrects = 5 };
	CHECK_INT(cour_append(dir, &c5, 1, 0, NULL), 0);
	cour_log_free(&log);
	CHECK_INT(cour_load(dir, &log, &exists), 0);
	CHECK_INT(cour_view(&log, &f, &v), 0);
	CHECK_INT(v.n, 2);
	if (v.n == 2)
		CHECK_INT(v.r[1].e->seq, 8);
	cour_view_free(&v);
	cour_log_free(&log);
}

/* A tampered file in memory: seqs off by one after a deletion, pointers
 * forward, onto a status line, into nothing. The view must neither crash
 * nor follow them. */
static void view_of_a_damaged_log(void)
{
	struct cour_entry e[] = {
		{ .seq = 1, .kind = COUR_NOTE, .who = "A", .what = "a", .status = COUR_ST_TODO },
		{ .seq = 3, .kind = COUR_STATUS, .who = "A", .what = "s", .status = COUR_ST_DONE,
		  .status_of = 4 },                                   /* forward */
		{ .seq = 4, .kind = COUR_NOTE, .who = "A", .what = "b", .status = COUR_ST_TODO },
		{ .seq = 5, .kind = COUR_CORRECT, .who = "A", .what = "c", .corrects = 3 },  /* status line */
		{ .seq = 6, .kind = COUR_STATUS, .who = "A", .what = "s", .status = COUR_ST_DOING,
		  .status_of = 1 },
		{ .seq = 7, .kind = COUR_STATUS, .who = "A", .what = "s", .status = COUR_ST_DONE,
		  .status_of = 99 },                                  /* nothing */
	};
	struct cour_log log = { .e = e, .n = sizeof e / sizeof e[0] };
	struct cour_view v;
	CHECK_INT(cour_view(&log, NULL, &v), 0);
	CHECK_INT(v.n, 6);
	for (size_t i = 0; i < v.n; i++) {
		if (v.r[i].e == &e[0]) {
			CHECK_INT(v.r[i].eff, COUR_ST_DOING);    /* by #6, found past the gap */
		}
		if (v.r[i].e == &e[2])
			CHECK_INT(v.r[i].eff, COUR_ST_TODO);     /* the forward status ignored */
	}
	cour_view_free(&v);
}

static void renderings(void)
{
	char dir[300];
	snprintf(dir, sizeof dir, "%s", new_case());
	struct cour_log log;
	struct cour_view v;
	struct buf b = { 0 };
	int exists;
	char *tg[] = { "<script>alert(1)</script>" };
	struct cour_entry e = { .kind = COUR_NOTE, .who = "Eve & \"Co\" \xE2\x80\xAE" "evil",
				.what = "a|b\n<img src=x>\x1b[31m",
				.event = 1795340400, .offset_min = 60, .targets = tg, .ntargets = 1,
				.source = "=cmd|' /C calc'!A0" };
	for (int i = 0; i < 31; i++)
		CHECK_INT(cour_append(dir, &e, 1, COUR_APPEND_CREATE, NULL), 0);
	CHECK_INT(cour_load(dir, &log, &exists), 0);
	CHECK_INT(cour_view(&log, NULL, &v), 0);
	struct cour_doc d = { .case_name = "case-<x>", .log = &log, .generated = 1795340400 };

	CHECK_INT(cour_render_html(&d, &v, &b), 0);
	CHECK(strstr(b.p, "<script>") == NULL);
	CHECK(strstr(b.p, "<img") == NULL);
	CHECK(strstr(b.p, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
	CHECK(strstr(b.p, "Eve &amp; &quot;Co&quot;") != NULL);
	CHECK(strstr(b.p, "case-&lt;x&gt;") != NULL);
	CHECK(strstr(b.p, "\x1b") == NULL);
	CHECK(strstr(b.p, "\xE2\x80\xAE") == NULL);      /* no bidi override */
	CHECK(strstr(b.p, "Eve &amp; &quot;Co&quot; <span class=\"ctl\">\\u202E</span>evil") != NULL);
	CHECK(strstr(b.p, "@media print") != NULL);
	CHECK(strstr(b.p, "default-src 'none'") != NULL);
	/* no external resource of any kind */
	CHECK(strstr(b.p, "http://") == NULL && strstr(b.p, "https://") == NULL &&
	      strstr(b.p, "<link") == NULL && strstr(b.p, "<iframe") == NULL &&
	      strstr(b.p, "@import") == NULL && strstr(b.p, "url(") == NULL);
	/* 31 entries: two page sections */
	int sections = 0;
	for (const char *p = b.p; (p = strstr(p, "<section class=\"page\">")); p++)
		sections++;
	CHECK_INT(sections, 2);
	CHECK(strstr(b.p, "2026-11-22 10:40:00 +01:00") != NULL);
	/* sections follow each other: "1 to k", then "k+1 to 31" */
	{
		const char *h1 = strstr(b.p, ">Entries 1 to "), *h2 = h1 ? strstr(h1 + 1, ">Entries ") : NULL;
		int k = h1 ? atoi(h1 + 14) : 0;
		CHECK(k >= 10 && k <= 30);
		char want[64];
		snprintf(want, sizeof want, ">Entries %d to 31 of 31</h2>", k + 1);
		CHECK(h2 && !strncmp(h2, want, strlen(want)));
	}
	CHECK(strstr(b.p, "counter(pages)") != NULL);     /* sheets numbered */
	/* recorded a long time after the event: both times shown */
	CHECK(strstr(b.p, "written 1970-01-01 00:00:00 UTC") != NULL);
	cour_view_free(&v);
	cour_log_free(&log);

	/* Long entries: fewer to a printed sheet, so that a section never
	 * spills onto a sheet of its own; kinds in the reader's language. */
	char d2[300];
	snprintf(d2, sizeof d2, "%s", new_case());
	static char longtext[701];
	memset(longtext, 'm', 700);
	for (int i = 0; i < 700; i += 10)
		longtext[i] = ' ';
	struct cour_entry le = { .kind = COUR_TOOL, .who = "reflexe", .what = longtext,
				 .event = 1795340400, .recorded = 1795340400 };
	for (int i = 0; i < 31; i++)
		CHECK_INT(cour_append(d2, &le, 1, COUR_APPEND_CREATE, NULL), 0);
	struct cour_entry ce = { .kind = COUR_CORRECT, .who = "A", .what = "c", .corrects = 1,
				 .event = 1795340400, .recorded = 1795340400 };
	CHECK_INT(cour_append(d2, &ce, 1, 0, NULL), 0);
	struct cour_log l2;
	CHECK_INT(cour_load(d2, &l2, &exists), 0);
	CHECK_INT(cour_view(&l2, NULL, &v), 0);
	d.log = &l2;
	i18n_init("fr");
	buf_reset(&b);
	CHECK_INT(cour_render_html(&d, &v, &b), 0);
	sections = 0;
	for (const char *p = b.p; (p = strstr(p, "<section class=\"page\">")); p++)
		sections++;
	CHECK(sections >= 4);                      /* 700 characters: 8 lines each */
	CHECK(strstr(b.p, ">Entrées 1 à 30 sur 32<") == NULL);
	CHECK(strstr(b.p, "<span class=\"kind\">outil</span>") != NULL);
	CHECK(strstr(b.p, ">tool<") == NULL && strstr(b.p, ">correct<") == NULL);
	CHECK(strstr(b.p, "written") == NULL && strstr(b.p, "écrite le") == NULL);
	i18n_init("en");
	cour_view_free(&v);
	cour_log_free(&l2);
	d.log = &log;
	CHECK_INT(cour_load(dir, &log, &exists), 0);
	CHECK_INT(cour_view(&log, NULL, &v), 0);

	buf_reset(&b);
	CHECK_INT(cour_render_md(&d, &v, &b), 0);
	CHECK(strstr(b.p, "a\\|b<br>\\<img src=x\\>") != NULL);
	CHECK(strstr(b.p, "\x1b") == NULL);
	CHECK(strstr(b.p, "\xE2\x80\xAE") == NULL);

	buf_reset(&b);
	CHECK_INT(cour_render_text(&d, &v, &b), 0);
	CHECK(strstr(b.p, "\x1b") == NULL);     /* no escape reaches a terminal */
	CHECK(strstr(b.p, "?[31m") != NULL);

	buf_reset(&b);
	CHECK_INT(cour_render_csv(&d, &v, &b), 0);
	CHECK(!memcmp(b.p, "\xEF\xBB\xBF", 3));
	CHECK(strstr(b.p, "\r\n1;\"2026-11-22\";\"10:40:00\";\"UTC+01:00\"") != NULL);
	CHECK(strstr(b.p, "\"'=cmd|' /C calc'!A0\"") != NULL);   /* formula guarded */
	/* CSV is data: the text exactly, the override included */
	CHECK(strstr(b.p, "\"Eve & \"\"Co\"\" \xE2\x80\xAE" "evil\"") != NULL);
	cour_view_free(&v);
	cour_log_free(&log);
	buf_free(&b);
}

static void tool_api(void)
{
	char dir[300];
	snprintf(dir, sizeof dir, "%s", new_case());
	const char *tg[] = { "admin@contoso.fr", "evil-app" };
	struct cour_log log;
	int exists;
	unsetenv("REFLEXE_WHO");
	CHECK_INT(cour_log_tool(dir, "Alice", "check-admins",
				"check-admins : 4 administrateurs globaux, 1 hors référentiel", tg, 2), 0);
	CHECK_INT(cour_log_tool(dir, NULL, "check-apps", "rien", NULL, 0), 0);
	setenv("REFLEXE_WHO", "Bob", 1);
	CHECK_INT(cour_log_tool(dir, NULL, "report", "rapport écrit", NULL, 0), 0);
	unsetenv("REFLEXE_WHO");
	CHECK_INT(cour_log_tool(dir, "Alice", "x", "bad \xff utf8", NULL, 0), -1);
	CHECK_INT(cour_load(dir, &log, &exists), 0);
	CHECK_INT(log.n, 3);
	CHECK_INT(log.bad_line, 0);
	if (log.n == 3) {
		CHECK_INT(log.e[0].kind, COUR_TOOL);
		CHECK_STR(log.e[0].who, "Alice");
		CHECK_STR(log.e[0].source, "reflexe check-admins " REFLEXE_VERSION);
		CHECK_INT(log.e[0].ntargets, 2);
		CHECK_STR(log.e[1].who, "reflexe");
		CHECK_STR(log.e[2].who, "Bob");
	}
	cour_log_free(&log);
}

static void case_and_who(void)
{
	char out[512], cwd[512];
	char d[300];
	snprintf(d, sizeof d, "%s", new_case());
	if (!getcwd(cwd, sizeof cwd))
		t_failed_now = 1;
	unsetenv("REFLEXE_CASE");
	CHECK_INT(case_find_dir("given", NULL, 0, out, sizeof out), 0);
	CHECK_STR(out, "given");
	setenv("REFLEXE_CASE", "fromenv", 1);
	CHECK_INT(case_find_dir(NULL, NULL, 0, out, sizeof out), 0);
	CHECK_STR(out, "fromenv");
	unsetenv("REFLEXE_CASE");
	/* in a folder with no case-*: usage error; one: found; two: error */
	char w[400];
	snprintf(w, sizeof w, "%s/work", root);
	file_mkdirs(w);
	if (chdir(w) < 0)
		t_failed_now = 1;
	CHECK_INT(case_find_dir(NULL, NULL, 0, out, sizeof out), -1);
	CHECK_INT(err_id(), E_CASE_NONE);
	/* none here, a tenant given: the folder to start, not made yet */
	CHECK_INT(case_find_dir(NULL, "contoso.com", 1795340400, out, sizeof out), 1);
	CHECK_STR(out, "case-contoso.com-20261122");
	CHECK(!file_exists(out));
	file_mkdirs("case-contoso-2026-11-22");
	file_write_atomic("case-file", "x", 1);     /* a file, not a folder */
	CHECK_INT(case_find_dir(NULL, NULL, 0, out, sizeof out), 0);
	CHECK_STR(out, "case-contoso-2026-11-22");
	file_mkdirs("case-fabrikam-2026-11-22");
	CHECK_INT(case_find_dir(NULL, NULL, 0, out, sizeof out), -1);
	CHECK_INT(err_id(), E_CASE_MANY);
	CHECK(strstr(err_msg(), "case-contoso") != NULL && strstr(err_msg(), "case-fabrikam") != NULL);
	if (chdir(cwd) < 0)
		t_failed_now = 1;

	/* who: option, env, case.ini, courante.who, else error */
	file_mkdirs(d);
	unsetenv("REFLEXE_WHO");
	CHECK_INT(cour_who(d, NULL, 0, out, sizeof out), -1);
	CHECK_INT(err_id(), E_COUR_NO_WHO);
	char p[400];
	snprintf(p, sizeof p, "%s/" COUR_WHO_FILE, d);
	file_write_atomic(p, "  Zoé Dupont \n", 14);
	CHECK_INT(cour_who(d, NULL, 0, out, sizeof out), 0);
	CHECK_STR(out, "Zoé Dupont");
	snprintf(p, sizeof p, "%s/case.ini", d);
	file_write_atomic(p, "[case]\ntenant=x\nwho = Yann\n", 27);
	CHECK_INT(cour_who(d, NULL, 0, out, sizeof out), 0);
	CHECK_STR(out, "Yann");
	setenv("REFLEXE_WHO", "Xavier", 1);
	CHECK_INT(cour_who(d, NULL, 0, out, sizeof out), 0);
	CHECK_STR(out, "Xavier");
	CHECK_INT(cour_who(d, "Wanda", 0, out, sizeof out), 0);
	CHECK_STR(out, "Wanda");
	CHECK_INT(cour_who(d, "bad\nname", 0, out, sizeof out), -1);
	unsetenv("REFLEXE_WHO");
}

static void times(void)
{
	int64_t t;
	int off;
	setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
	tzset();
	CHECK_INT(tm_parse_local("2026-11-22 09:40 +01:00", &t, &off), 0);
	CHECK_INT(t, 1795336800);       /* 08:40Z */
	CHECK_INT(off, 60);
	/* no offset: local time, winter then summer */
	CHECK_INT(tm_parse_local("2026-11-22 10:40", &t, &off), 0);
	CHECK_INT(t, 1795340400);
	CHECK_INT(off, 60);
	CHECK_INT(tm_parse_local("2026-07-01 12:00", &t, &off), 0);
	CHECK_INT(off, 120);
	CHECK_INT(t, 1782900000);
	CHECK_INT(tm_parse_local("2026-02-30 12:00", &t, &off), -1);
	/* --since: one grammar for every applet (core/time.c) */
	struct tm_window w;
	CHECK_INT(tm_parse_since("2d", &w), 0);
	CHECK_INT(tm_window_start(&w, 1000000, 0), 1000000 - 2 * 86400);
	CHECK_INT(tm_parse_since("2j", &w), 0);
	CHECK_INT(tm_window_start(&w, 1000000, 0), 1000000 - 2 * 86400);
	CHECK_INT(tm_parse_since("90m", &w), 0);
	CHECK_INT(tm_window_start(&w, 1000000, 0), 1000000 - 5400);
	CHECK_INT(tm_parse_since("12h", &w), 0);
	CHECK_INT(w.dur, 12 * 3600);
	CHECK_INT(tm_parse_since("2026-11-22T09:40:00Z", &w), 0);
	CHECK_INT(tm_window_start(&w, 0, 0), 1795340400);
	CHECK_INT(tm_parse_since("2026-11-22 10:40", &w), 0);      /* local: CET */
	CHECK_INT(w.abs, 1795340400);
	CHECK_INT(tm_parse_since(NULL, &w), 0);
	CHECK_INT(tm_window_start(&w, 1000000, 3600), 1000000 - 3600);
	CHECK_INT(tm_parse_since("2x", &w), -1);
	CHECK_INT(err_id(), E_SINCE);
	CHECK_INT(tm_parse_since("-2d", &w), -1);
	CHECK_INT(tm_parse_since("0d", &w), -1);
	CHECK_INT(tm_parse_since("30dd", &w), -1);
	CHECK_INT(tm_parse_since("36600d", &w), 0);
	CHECK_INT(tm_parse_since("36601d", &w), -1);
	CHECK_INT(tm_parse_since("99999999999999999999d", &w), -1);
	char s[48];
	cour_local_str(1795340400, -330, s, sizeof s);
	CHECK_STR(s, "2026-11-22 04:10:00 -05:30");
	unsetenv("TZ");
	tzset();
}

int main(void)
{
	i18n_init("en");
	snprintf(root, sizeof root, "%s/reflexe-test-courante-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(root)) {
		printf("FAIL mkdtemp\n");
		return 1;
	}
	RUN(format_and_parse);
	RUN(status_words);
	RUN(append_and_verify);
	RUN(tampering);
	RUN(torn_tail_and_repair);
	RUN(big_files);
	RUN(failed_write_leaves_file);
	RUN(failed_repair_restores);
	RUN(views);
	RUN(view_of_a_damaged_log);
	RUN(renderings);
	RUN(tool_api);
	RUN(case_and_who);
	RUN(times);
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	if (system(cmd) != 0)
		printf("  could not remove %s\n", root);
	T_DONE();
}
