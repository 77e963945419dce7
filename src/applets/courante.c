/*
 * courante — the incident logbook (main courante), fiche réflexe: opened
 * at the very start, kept off the compromised system, every action and
 * event in order with date and time, who, what, and the accounts or
 * machines concerned. Logic lives in src/courante/; this file parses
 * options and prints.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "applets/applets.h"
#include "case/case.h"
#include "courante/courante.h"

enum { O_TITLE = 1, O_TARGETS, O_SOURCE, O_STATUS, O_AT, O_DRY, O_OUTPUT, O_TARGET };

static const struct opt_spec own[] = {
	{ "title", 0, OPT_ARG, O_TITLE },
	{ "targets", 't', OPT_ARG, O_TARGETS },
	{ "source", 0, OPT_ARG, O_SOURCE },
	{ "status", 0, OPT_ARG, O_STATUS },
	{ "at", 0, OPT_ARG, O_AT },
	{ "dry-run", 'n', OPT_NOARG, O_DRY },
	{ "output", 'o', OPT_ARG, O_OUTPUT },
	{ "target", 0, OPT_ARG, O_TARGET },
	{ NULL, 0, 0, 0 },
};

static const struct applet_help help = { M_HELP_COURANTE };

struct ctx {
	const char *title, *targets, *source, *status, *at, *output, *target;
	int dry;
	struct common c;
	char **arg;              /* positionals after the subcommand */
	int narg;
	char case_dir[4096];
	char case_name[256];
};

static int on_opt(void *p, int id, const char *arg)
{
	struct ctx *x = p;
	switch (id) {
	case O_TITLE: x->title = arg; break;
	case O_TARGETS: x->targets = arg; break;
	case O_SOURCE: x->source = arg; break;
	case O_STATUS: x->status = arg; break;
	case O_AT: x->at = arg; break;
	case O_DRY: x->dry = 1; break;
	case O_OUTPUT: x->output = arg; break;
	case O_TARGET: x->target = arg; break;
	}
	return 0;
}

static void say(FILE *f, enum msg_id id, ...)
{
	va_list ap;
	va_start(ap, id);
	tr_vfprintf(f, id, ap);
	va_end(ap);
	fputc('\n', f);
}

/* Results go to stdout; a closed or full stdout is a failure too. */
static int emit(const struct buf *b)
{
	if ((b->len && fwrite(b->p, 1, b->len, stdout) != b->len) || fflush(stdout) != 0) {
		err_set(E_FILE_WRITE, "stdout", file_strerror(EIO));
		return EXIT_FAIL;
	}
	return EXIT_CLEAN;
}

/* Settles the case folder; must_exist: the folder (not the logbook). */
static int case_of(struct ctx *x, int must_exist)
{
	/* The fiche opens the main courante first, before any sign-in:
	 * given the tenant, the logbook starts the folder that login and
	 * the checks will then find (the only ./case-* here). */
	if (common_case_dir(&x->c, !must_exist, x->case_dir, sizeof x->case_dir) < 0)
		return EXIT_USAGE;
	if (must_exist && !file_exists(x->case_dir)) {
		err_set(E_COUR_CASE_MISSING, x->case_dir, x->case_dir);
		return EXIT_USAGE;
	}
	/* the folder's own name, for titles: "cases/case-x/" -> "case-x" */
	size_t n = strlen(x->case_dir);
	while (n > 1 && x->case_dir[n - 1] == '/')
		n--;
	size_t s0 = n;
	while (s0 > 0 && x->case_dir[s0 - 1] != '/')
		s0--;
	size_t k = n - s0 < sizeof x->case_name - 1 ? n - s0 : sizeof x->case_name - 1;
	memcpy(x->case_name, x->case_dir + s0, k);
	x->case_name[k] = 0;
	return 0;
}

static int who_of(struct ctx *x, char *who, size_t sz)
{
	int tty = isatty(0) && isatty(2);
	return cour_who(x->case_dir, x->c.who, tty, who, sz) < 0 ? -1 : 0;
}

static void free_targets(char **t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(t[i]);
	free(t);
}

/* "a, b,,c" -> {"a","b","c"}; each checked. */
static int split_targets(const char *s, char ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!s)
		return 0;
	char **t = calloc(COUR_MAX_TARGETS, sizeof *t);
	if (!t)
		return err_set(E_NOMEM);
	for (const char *p = s; *p; ) {
		size_t k = strcspn(p, ",");
		const char *a = p, *e = p + k;
		while (a < e && (*a == ' ' || *a == '\t'))
			a++;
		while (e > a && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e > a) {
			if (*n >= COUR_MAX_TARGETS) {
				free_targets(t, *n);
				return err_set(E_COUR_TOO_MANY_TARGETS, COUR_MAX_TARGETS);
			}
			if (!(t[*n] = strndup(a, (size_t)(e - a)))) {
				free_targets(t, *n);
				return err_set(E_NOMEM);
			}
			(*n)++;
			if (cour_check_text("--targets", t[*n - 1], COUR_MAX_FIELD) < 0) {
				free_targets(t, *n);
				return -1;
			}
		}
		p += k;
		if (*p)
			p++;
	}
	*out = t;
	return 0;
}

/* Positionals joined by spaces ("add Mot de passe changé" needs no
 * quotes), or standard input for "-". */
static char *text_of(char **arg, int n)
{
	struct buf b = { .max = COUR_MAX_WHAT + 1 };
	if (n == 1 && !strcmp(arg[0], "-")) {
		char chunk[4096];
		size_t r;
		while ((r = fread(chunk, 1, sizeof chunk, stdin)) > 0)
			if (buf_append(&b, chunk, r) < 0) {
				buf_free(&b);
				err_set(E_COUR_TEXT_LONG, "what", (size_t)COUR_MAX_WHAT);
				return NULL;
			}
		while (b.len && (b.p[b.len - 1] == '\n' || b.p[b.len - 1] == '\r'))
			b.p[--b.len] = 0;
		/* the text is a C string from here: a NUL would end it early */
		if (b.len && memchr(b.p, 0, b.len)) {
			buf_free(&b);
			err_set(E_COUR_TEXT_NUL, "what");
			return NULL;
		}
	} else {
		for (int i = 0; i < n; i++)
			if ((i && buf_puts(&b, " ") < 0) || buf_puts(&b, arg[i]) < 0) {
				buf_free(&b);
				err_set(E_COUR_TEXT_LONG, "what", (size_t)COUR_MAX_WHAT);
				return NULL;
			}
	}
	if (!b.p || !b.p[strspn(b.p, " \t\r\n")]) {
		buf_free(&b);
		err_set(E_CA_NO_TEXT);
		return NULL;
	}
	if (cour_check_text("what", b.p, COUR_MAX_WHAT) < 0) {
		buf_free(&b);
		return NULL;
	}
	return b.p;
}

static int parse_seq(const char *s, long long *n)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (*s == '#')
		v = strtoll(s + 1, &end, 10);
	if (!*s || *end || v < 1)
		return err_set(E_COUR_BAD_SEQ, s);
	*n = v;
	return 0;
}

static void print_added(long long seq, const struct cour_entry *e)
{
	char loc[48];
	cour_local_str(e->event, e->offset_min, loc, sizeof loc);
	say(stdout, M_CA_ADDED, seq, loc);
}

/* add, correct: one entry from the options. base: the line corrected. */
static int cmd_add(struct ctx *x, const struct cour_entry *base, enum cour_status base_st)
{
	char who[COUR_MAX_FIELD + 1];
	struct cour_entry e = { .kind = base ? COUR_CORRECT : COUR_NOTE };
	int rc = EXIT_USAGE;
	char **targets = NULL;
	size_t nt = 0;

	e.recorded = tm_now();
	e.event = e.recorded;
	e.offset_min = tm_local_offset(e.event);
	if (base) {
		e.corrects = base->seq;
		e.event = base->event;
		e.offset_min = base->offset_min;
		e.status = base_st;
		e.source = base->source;
	}
	if (x->at && tm_parse_local(x->at, &e.event, &e.offset_min) < 0)
		return EXIT_USAGE;
	if (x->status && (cour_status_parse(x->status, &e.status) < 0)) {
		err_set(E_COUR_STATUS, x->status);
		return EXIT_USAGE;
	}
	if (x->source) {
		if (cour_check_text("--source", x->source, COUR_MAX_FIELD) < 0)
			return EXIT_USAGE;
		e.source = (char *)x->source;
	}
	if (split_targets(x->targets, &targets, &nt) < 0)
		return EXIT_USAGE;
	if (x->targets) {
		e.targets = targets;
		e.ntargets = nt;
	} else if (base) {
		e.targets = base->targets;
		e.ntargets = base->ntargets;
	}
	char *what = text_of(x->arg, x->narg);
	if (!what)
		goto out;
	e.what = what;
	if (who_of(x, who, sizeof who) < 0)
		goto out;
	e.who = who;
	long long seq;
	if (cour_append(x->case_dir, &e, 1, COUR_APPEND_CREATE, &seq) < 0) {
		rc = EXIT_FAIL;
		goto out;
	}
	print_added(seq, &e);
	rc = EXIT_CLEAN;
out:
	free(what);
	free_targets(targets, nt);
	return rc;
}

/* keep: the entries (to show them), or only the check (verify) */
static int load(struct ctx *x, struct cour_log *log, int keep)
{
	int exists;
	if ((keep ? cour_load(x->case_dir, log, &exists) : cour_check(x->case_dir, log, &exists)) < 0)
		return EXIT_FAIL;
	if (!exists) {
		err_set(E_COUR_NO_LOG, x->case_dir);
		return EXIT_FAIL;
	}
	return 0;
}

static void warn_integrity(const struct cour_log *log)
{
	if (log->bad_line)
		say(stderr, M_CA_WARN_BAD, log->bad_line);
	if (log->torn.line)
		say(stderr, M_CA_WARN_TORN, log->torn.line);
}

static enum cour_fmt fmt_of(const char *f)
{
	return !strcmp(f, "csv") ? COUR_FMT_CSV : !strcmp(f, "md") ? COUR_FMT_MD
		: !strcmp(f, "html") ? COUR_FMT_HTML : COUR_FMT_TEXT;
}

/* list, actions, export */
static int cmd_show(struct ctx *x, int actions, int export)
{
	struct cour_log log;
	struct cour_filter f = { .who = x->c.who, .target = x->target, .actions_only = actions };
	struct cour_view v;
	struct buf out = { 0 };
	int rc;

	if (x->narg) {
		err_set(E_CA_ARGS, export ? "export" : actions ? "actions" : "list");
		return EXIT_USAGE;
	}
	enum cour_fmt fmt = fmt_of(x->c.format);
	if (export && fmt == COUR_FMT_TEXT) {
		if (strcmp(x->c.format, "text")) {
			err_set(E_CA_FORMAT, x->c.format);
			return EXIT_USAGE;
		}
		fmt = COUR_FMT_CSV;
	}
	if (!strcmp(x->c.format, "json")) {
		err_set(E_CA_FORMAT, x->c.format);
		return EXIT_USAGE;
	}
	if (x->status) {
		enum cour_status s;
		if (cour_status_parse(x->status, &s) < 0 || s == COUR_ST_NONE) {
			err_set(E_COUR_STATUS, x->status);
			return EXIT_USAGE;
		}
		f.status = (int)s;
	}
	if (x->c.since)
		f.since = tm_window_start(&x->c.window, tm_now(), 0);
	if ((rc = load(x, &log, 1)))
		return rc;
	warn_integrity(&log);
	if (cour_view(&log, &f, &v) < 0) {
		cour_log_free(&log);
		return EXIT_FAIL;
	}
	struct cour_doc d = { .case_name = x->case_name, .log = &log, .generated = tm_now() };
	rc = cour_render(fmt, &d, &v, &out) < 0 ? EXIT_FAIL : EXIT_CLEAN;
	if (rc == EXIT_CLEAN) {
		if (x->output) {
			/* In place: the sandbox lets this file be written,
			 * not its folder (common_narrow). */
			if (file_write_over(x->output, out.p, out.len) < 0)
				rc = EXIT_FAIL;
			else
				say(stderr, M_CA_WRITTEN, x->output);
		} else {
			rc = emit(&out);
		}
	}
	buf_free(&out);
	cour_view_free(&v);
	cour_log_free(&log);
	return rc;
}

static int cmd_init(struct ctx *x)
{
	char who[COUR_MAX_FIELD + 1], text[COUR_MAX_FIELD * 2];
	if (x->narg) {
		err_set(E_CA_ARGS, "init");
		return EXIT_USAGE;
	}
	const char *title = x->title ? x->title : tr(M_COUR_OPEN_DEFAULT);
	if (cour_check_text("--title", title, COUR_MAX_FIELD) < 0)
		return EXIT_USAGE;
	if (file_mkdirs(x->case_dir) < 0)
		return EXIT_FAIL;
	if (who_of(x, who, sizeof who) < 0)
		return EXIT_USAGE;
	tr_snprintf(text, sizeof text, M_COUR_OPEN_TEXT, title);
	struct cour_entry e = { .kind = COUR_OPEN, .who = who, .what = text,
				.source = (char *)"reflexe courante " REFLEXE_VERSION };
	e.recorded = e.event = tm_now();
	e.offset_min = tm_local_offset(e.event);
	long long seq;
	if (cour_append(x->case_dir, &e, 1, COUR_APPEND_CREATE | COUR_APPEND_NEW, &seq) < 0)
		return EXIT_FAIL;
	char path[4200];
	cour_path(x->case_dir, path, sizeof path);
	say(stdout, M_CA_OPENED, path, seq);
	return EXIT_CLEAN;
}

static int cmd_correct_or_status(struct ctx *x, int is_status)
{
	struct cour_log log;
	long long n = 0;
	int rc;

	if (x->narg < 2 || (is_status && x->narg > 3)) {
		err_set(E_CA_ARGS, is_status ? "status" : "correct");
		return EXIT_USAGE;
	}
	if (parse_seq(x->arg[0], &n) < 0)
		return EXIT_USAGE;
	enum cour_status st = COUR_ST_NONE;
	if (is_status && (cour_status_parse(x->arg[1], &st) < 0 || st == COUR_ST_NONE)) {
		err_set(E_COUR_STATUS, x->arg[1]);
		return EXIT_USAGE;
	}
	if ((rc = load(x, &log, 1)))
		return rc;
	const struct cour_entry *base = cour_find(&log, n);
	if (!base) {
		cour_log_free(&log);
		err_set(E_COUR_NO_SEQ, n);
		return EXIT_USAGE;
	}
	if (base->kind == COUR_STATUS) {
		cour_log_free(&log);
		err_set(E_CA_STATUS_OF, n);
		return EXIT_USAGE;
	}
	/* the effective status of n, for a correction to carry on */
	struct cour_view v;
	enum cour_status eff = base->status;
	if (cour_view(&log, NULL, &v) == 0) {
		for (size_t i = 0; i < v.n; i++)
			if (v.r[i].e == base)
				eff = v.r[i].eff;
		cour_view_free(&v);
	}
	if (!is_status) {
		x->arg++;
		x->narg--;
		rc = cmd_add(x, base, eff);
		cour_log_free(&log);
		return rc;
	}
	char who[COUR_MAX_FIELD + 1];
	char *text = NULL;
	if (x->narg == 3) {
		x->arg += 2;
		x->narg = 1;
		text = text_of(x->arg, x->narg);
	} else {
		struct buf b = { 0 };
		if (buf_trf(&b, M_COUR_STATUS_TEXT, n, cour_status_label(st)) == 0)
			text = b.p;
	}
	rc = EXIT_USAGE;
	if (!text || who_of(x, who, sizeof who) < 0)
		goto out;
	struct cour_entry e = { .kind = COUR_STATUS, .who = who, .what = text, .status = st,
				.status_of = n, .targets = base->targets, .ntargets = base->ntargets };
	e.recorded = e.event = tm_now();
	e.offset_min = tm_local_offset(e.event);
	long long seq;
	if (cour_append(x->case_dir, &e, 1, 0, &seq) < 0) {
		rc = EXIT_FAIL;
		goto out;
	}
	print_added(seq, &e);
	rc = EXIT_CLEAN;
out:
	free(text);
	cour_log_free(&log);
	return rc;
}

/* "verify HASH": a head hash noted earlier (on paper, by mail), whole or
 * its first characters — at least 12 hex digits, 48 bits, so that a
 * rewritten logbook cannot match it by chance. */
#define ANCHOR_MIN 12

static int anchor_ok(char *a)
{
	size_t n = strlen(a);
	if (n < ANCHOR_MIN || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (a[i] >= 'A' && a[i] <= 'F')
			a[i] = (char)(a[i] + 32);
		if (!((a[i] >= '0' && a[i] <= '9') || (a[i] >= 'a' && a[i] <= 'f')))
			return 0;
	}
	return 1;
}

static int cmd_verify(struct ctx *x)
{
	struct cour_log log;
	int rc, exists;
	char *anchor = x->narg == 1 ? x->arg[0] : NULL;
	if (x->narg > 1) {
		err_set(E_CA_ARGS, "verify");
		return EXIT_USAGE;
	}
	if (anchor && !anchor_ok(anchor)) {
		err_set(E_CA_ANCHOR, anchor, ANCHOR_MIN);
		return EXIT_USAGE;
	}
	if (cour_check_anchor(x->case_dir, anchor, &log, &exists) < 0)
		return EXIT_FAIL;
	if (!exists) {
		err_set(E_COUR_NO_LOG, x->case_dir);
		return EXIT_FAIL;
	}
	rc = EXIT_CLEAN;
	if (log.bad_line) {
		say(stdout, M_CA_VERIFY_BAD, log.path, log.bad_line, log.bad_why);
		rc = EXIT_FINDINGS;
	} else if (log.torn.line) {
		say(stdout, M_CA_VERIFY_TORN, log.path, log.torn.line, log.torn.len);
		rc = EXIT_FINDINGS;
	} else if (anchor && !log.anchor_line) {
		say(stdout, M_CA_VERIFY_NO_ANCHOR, log.path, anchor);
		rc = EXIT_FINDINGS;
	} else if (!log.n) {
		say(stdout, M_CA_VERIFY_EMPTY, log.path);
	} else {
		say(stdout, M_CA_VERIFY_OK, log.path, log.n, log.head);
		if (anchor)
			say(stdout, M_CA_VERIFY_ANCHOR, anchor, log.anchor_line);
	}
	cour_log_free(&log);
	return rc;
}

static int cmd_repair(struct ctx *x)
{
	char who[COUR_MAX_FIELD + 1], q[4200];
	int done;
	long long seq;
	if (x->narg) {
		err_set(E_CA_ARGS, "repair");
		return EXIT_USAGE;
	}
	/* A repair must not wait for a name: fall back to the tool's. */
	if (cour_who(x->case_dir, x->c.who, 0, who, sizeof who) < 0)
		snprintf(who, sizeof who, "reflexe");
	err_clear();
	if (cour_repair(x->case_dir, who, &done, q, sizeof q, &seq) < 0)
		return EXIT_FAIL;
	if (!done) {
		char path[4200];
		cour_path(x->case_dir, path, sizeof path);
		say(stdout, M_CA_REPAIR_NONE, path);
	} else {
		say(stdout, M_CA_REPAIRED, q, seq);
	}
	return EXIT_CLEAN;
}

static int cmd_import(struct ctx *x)
{
	struct buf data = { 0 }, errs = { 0 };
	struct cour_import im;
	char who[COUR_MAX_FIELD + 1];
	const char *dwho = NULL;
	int rc = EXIT_FAIL;

	if (x->narg != 1) {
		err_set(E_CA_ARGS, "import");
		return EXIT_USAGE;
	}
	if (x->c.who) {
		if (cour_who(x->case_dir, x->c.who, 0, who, sizeof who) < 0)
			return EXIT_USAGE;
		dwho = who;
	} else if (cour_who_known(x->case_dir, who, sizeof who) == 0) {
		dwho = who;
	}
	if (file_read(x->arg[0], &data, 16 * 1024 * 1024) < 0)
		return EXIT_FAIL;
	if (cour_csv_import(data.p, data.len, dwho, &im, &errs) < 0) {
		/* each bad row, named with the file it is in */
		for (char *l = errs.p; l && *l;) {
			char *nl = strchr(l, '\n');
			fprintf(stderr, "%s: %.*s\n", x->arg[0], (int)(nl ? nl - l : (ptrdiff_t)strlen(l)), l);
			l = nl ? nl + 1 : NULL;
		}
		goto out;
	}
	if (x->dry) {
		struct cour_log log = { .e = im.e, .n = im.n }, cur;
		struct cour_view v;
		struct buf out = { 0 };
		int ex;
		/* numbered as they would be now, after the logbook's last line
		 * (a preview: a writer in between would push them on) */
		long long base = 0;
		if (cour_check(x->case_dir, &cur, &ex) == 0 && ex) {
			base = (long long)cur.n;
			warn_integrity(&cur);
			cour_log_free(&cur);
		}
		err_clear();
		for (size_t i = 0; i < im.n; i++)
			im.e[i].seq = base + (long long)i + 1;
		if (cour_view(&log, NULL, &v) == 0) {
			struct cour_doc d = { .case_name = x->arg[0], .log = &log,
					      .generated = tm_now(), .no_integrity = 1 };
			if (cour_render_text(&d, &v, &out) == 0 && emit(&out) == 0) {
				say(stdout, M_CA_IMPORT_DRY, im.n);
				rc = EXIT_CLEAN;
			}
			cour_view_free(&v);
		}
		buf_free(&out);
		log.e = NULL;
	} else {
		long long first;
		if (cour_append(x->case_dir, im.e, im.n, COUR_APPEND_CREATE, &first) == 0) {
			say(stdout, M_CA_IMPORTED, im.n, first, first + (long long)im.n - 1);
			rc = EXIT_CLEAN;
		}
	}
	cour_import_free(&im);
out:
	buf_free(&data);
	buf_free(&errs);
	return rc;
}

/* The sandbox (core/sandbox.c): the case folder, only read by the
 * commands that only read it; the CSV to import; the -o file; no
 * network. The commands that make the case make its folder first, so
 * that its parent is never writable. */
static int narrow(struct ctx *x, const char *sub, int creates)
{
	int reads = !strcmp(sub, "list") || !strcmp(sub, "actions") || !strcmp(sub, "export") ||
		    !strcmp(sub, "verify");
	int import = !strcmp(sub, "import");
	if (creates && !(import && x->dry) && file_mkdirs(x->case_dir) < 0)
		return EXIT_FAIL;
	struct narrow n = {
		.case_dir = x->case_dir,
		.case_read_only = reads || (import && x->dry),
		.out = { reads ? x->output : NULL },
		.read = { import && x->narg == 1 ? x->arg[0] : NULL },
	};
	return common_narrow(&n) < 0 ? EXIT_FAIL : 0;
}

int applet_courante(int argc, char **argv)
{
	struct ctx x = { 0 };
	int rc;

	/* With `ulimit -f` the kernel sends SIGXFSZ, whose default is to
	 * kill: ignored, write(2) fails with EFBIG and we say so. */
	signal(SIGXFSZ, SIG_IGN);
	rc = common_parse(argc, argv, own, on_opt, &x, &x.c, -1, &help);
	if (rc || x.c.help)
		goto out;
	rc = EXIT_USAGE;
	char **pos = x.c.pos;
	int npos = x.c.npos;
	if (npos < 1) {
		err_set(E_CA_SUBCMD);
		goto out;
	}
	const char *sub = pos[0];
	x.arg = pos + 1;
	x.narg = npos - 1;
	int creates = !strcmp(sub, "init") || !strcmp(sub, "add") || !strcmp(sub, "import");
	if (strcmp(sub, "init") && strcmp(sub, "add") && strcmp(sub, "list") &&
	    strcmp(sub, "actions") && strcmp(sub, "status") && strcmp(sub, "correct") &&
	    strcmp(sub, "verify") && strcmp(sub, "repair") && strcmp(sub, "export") &&
	    strcmp(sub, "import")) {
		err_set(E_CA_SUBCMD_UNKNOWN, sub);
		goto out;
	}
	if ((rc = case_of(&x, !creates)) || (rc = narrow(&x, sub, creates)))
		goto out;
	if (!strcmp(sub, "init"))
		rc = cmd_init(&x);
	else if (!strcmp(sub, "add"))
		rc = cmd_add(&x, NULL, COUR_ST_NONE);
	else if (!strcmp(sub, "list"))
		rc = cmd_show(&x, 0, 0);
	else if (!strcmp(sub, "actions"))
		rc = cmd_show(&x, 1, 0);
	else if (!strcmp(sub, "export"))
		rc = cmd_show(&x, 0, 1);
	else if (!strcmp(sub, "status"))
		rc = cmd_correct_or_status(&x, 1);
	else if (!strcmp(sub, "correct"))
		rc = cmd_correct_or_status(&x, 0);
	else if (!strcmp(sub, "verify"))
		rc = cmd_verify(&x);
	else if (!strcmp(sub, "repair"))
		rc = cmd_repair(&x);
	else
		rc = cmd_import(&x);
out:
	common_free(&x.c);
	return rc;
}
