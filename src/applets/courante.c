/*
 * courante — the incident logbook (main courante), fiche réflexe: opened
 * at the very start, kept off the compromised system, every action and
 * event in order with date and time, who, what, and the accounts or
 * machines concerned. Logic lives in src/courante/; this file parses
 * options and prints.
 */
static const char help_fr[] =
"usage : reflexe courante SOUS-COMMANDE [options]\n"
"\n"
"Main courante de l'incident : <cas>/courante.jsonl, une ligne par\n"
"événement, horodatée (UTC et heure locale), chaînée par SHA-256.\n"
"\n"
"  init [--title TITRE]              ouvrir la main courante (crée le dossier du cas)\n"
"  add TEXTE…                        consigner un événement ou une action (« - » : lire\n"
"                                    le texte sur l'entrée standard)\n"
"      --targets a@x.fr,PC-042       comptes ou machines concernés\n"
"      --source \"alerte EDR\"         qui ou quoi l'a signalé\n"
"      --status todo|doing|done      action à faire, en cours, faite\n"
"      --at \"2026-11-22 09:40 +01:00\" heure de l'événement s'il date d'avant\n"
"                                    (sans décalage : heure locale)\n"
"  list                              dans l'ordre des événements ; filtres --who,\n"
"                                    --status, --target, --since (30d, 12h, date)\n"
"  actions                           ce qui reste à faire ou en cours\n"
"  status N done|doing|todo [TEXTE]  faire avancer l'action N (ajout, jamais modification)\n"
"  correct N TEXTE                   corriger la ligne N (nouvelle ligne qui la désigne)\n"
"  verify [EMPREINTE]                vérifier la chaîne ; code 1 et ligne fautive sinon ;\n"
"                                    avec une empreinte de tête notée plus tôt (12\n"
"                                    chiffres hexa. au moins) : rien n'a été retiré à la fin\n"
"  repair                            mettre en quarantaine une dernière ligne incomplète\n"
"  export --format csv|md|html [-o FICHIER]\n"
"                                    CSV pour Excel (BOM, « ; »), Markdown, frise HTML\n"
"                                    imprimable et autonome\n"
"  import FICHIER.csv [--dry-run]    reprendre un tableur : colonnes date, heure,\n"
"                                    qui, quoi, cibles, statut, source ; tout ou rien\n"
"\n"
"Dossier du cas : --case DOSSIER, sinon REFLEXE_CASE, sinon l'unique ./case-* ;\n"
"à défaut, init et add créent ./case-<tenant>-<date> (--tenant ou AZURE_TENANT_ID).\n"
"Auteur : --who, sinon REFLEXE_WHO, sinon le nom retenu dans le cas, sinon demandé.\n"
"Codes de sortie : 0 bon, 1 chaîne rompue (verify), 2 usage, 3 écriture impossible.";

static const char help_en[] =
"usage: reflexe courante SUBCOMMAND [options]\n"
"\n"
"The incident logbook (main courante): <case>/courante.jsonl, one line per\n"
"event, timestamped (UTC and local time), chained with SHA-256.\n"
"\n"
"  init [--title TITLE]              open the logbook (creates the case folder)\n"
"  add TEXT…                         record an event or an action ('-': read the\n"
"                                    text from standard input)\n"
"      --targets a@x.fr,PC-042       accounts or machines concerned\n"
"      --source \"EDR alert\"          who or what reported it\n"
"      --status todo|doing|done      an action to do, in progress, done\n"
"      --at \"2026-11-22 09:40 +01:00\" when it happened, if before now\n"
"                                    (no offset: local time)\n"
"  list                              in event order; filters --who, --status,\n"
"                                    --target, --since (30d, 12h, a date)\n"
"  actions                           what is still to do or in progress\n"
"  status N done|doing|todo [TEXT]   move action N on (appended, never edited)\n"
"  correct N TEXT                    correct line N (a new line pointing at it)\n"
"  verify [HASH]                     check the chain; exit 1 naming the bad line;\n"
"                                    given a head hash noted earlier (12 hex digits\n"
"                                    or more): also that nothing was cut off the end\n"
"  repair                            quarantine an incomplete last line\n"
"  export --format csv|md|html [-o FILE]\n"
"                                    CSV for Excel (BOM, ';'), Markdown, printable\n"
"                                    self-contained HTML timeline\n"
"  import FILE.csv [--dry-run]       take in a spreadsheet: columns date, time, who,\n"
"                                    what, targets, status, source; all or nothing\n"
"\n"
"Case folder: --case DIR, else REFLEXE_CASE, else the only ./case-*; failing\n"
"that, init and add create ./case-<tenant>-<date> (--tenant or AZURE_TENANT_ID).\n"
"Author: --who, else REFLEXE_WHO, else the name remembered in the case, else asked.\n"
"Exit: 0 fine, 1 chain broken (verify), 2 usage, 3 could not write.";

#include <errno.h>
#include <signal.h>
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

static const struct applet_help help = { { help_fr, help_en } };

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

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void say(FILE *f, enum msg_id id, ...)
{
	va_list ap;
	va_start(ap, id);
	vfprintf(f, tr(id), ap);
	va_end(ap);
	fputc('\n', f);
}
#pragma GCC diagnostic pop

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
			if (file_write_atomic(x->output, out.p, out.len) < 0)
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
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(text, sizeof text, tr(M_COUR_OPEN_TEXT), title);
#pragma GCC diagnostic pop
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
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		if (buf_printf(&b, tr(M_COUR_STATUS_TEXT), n, cour_status_label(st)) == 0)
			text = b.p;
#pragma GCC diagnostic pop
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
		if (errs.len)
			fputs(errs.p, stderr);
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
	if ((rc = case_of(&x, !creates)))
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
