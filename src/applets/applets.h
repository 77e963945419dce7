/*
 * applets/ — one file per applet, each opening with its help text in both
 * languages and its options. Thin: an applet is its help, its options and,
 * for a check, a declaration the shared check runner executes.
 * Prefix: applet_ for entry points, common_ for the common options and
 * what every applet does the same way, check_ for the runner.
 *
 *   common.c        the common options, stdout, the case folder, logbook lines
 *   check.c         the check runner: sign-in → case → collect → load →
 *                   rules → verdict → render → findings → logbook line
 *   check_admins.c  check-admins (fiche 1.a, 1.b guests, 2.a)
 *   check_events.c  check-events (Mesure 1 from imported exports)
 *   import.c        import: exports a customer sends, into the case
 *   check_mail.c    check-mail (fiche 1.b mailboxes, 1.c, 1.e)
 *   check_apps.c    check-apps (fiche 1.d)
 *   courante.c      the logbook (main courante)
 *   login.c         login, logout
 */
#ifndef REFLEXE_APPLETS_H
#define REFLEXE_APPLETS_H

#include <stddef.h>

#include "core/core.h"
#include "report/report.h"

struct bl;
struct case_dir;
struct collect_session;
struct check_run;
struct findings;
struct rule;
struct rule_ctx;
struct rule_table;
struct rule_verdict;

enum {
	COMMON_CASE = 1000, COMMON_TENANT, COMMON_SINCE, COMMON_BASELINE,
	COMMON_FORMAT, COMMON_LANG, COMMON_WHO, COMMON_PROXY, COMMON_OFFLINE,
	COMMON_QUIET, COMMON_VERBOSE, COMMON_HELP, COMMON_PARALLEL,
};
extern const struct opt_spec common_opts[];

/* Help text of an applet: usage and options (applets/help.def). */
struct applet_help {
	enum msg_id text;
};

/* Parses argv with the applet's own table first, then the common one
 * (struct common, core.h; --since parsed into c->window). on_opt is
 * called for the applet's own options (may be NULL). Positional
 * arguments land in c->pos; more than maxpos of them (-1: any number) is
 * a usage error naming the first one too many. Returns 0, or EXIT_USAGE
 * with the error message set. --help prints the help and sets c->help.
 * common_free releases c->pos. */
typedef int (*applet_opt_fn)(void *ctx, int id, const char *arg);
int common_parse(int argc, char **argv, const struct opt_spec *own,
		 applet_opt_fn on_opt, void *ctx, struct common *c, int maxpos,
		 const struct applet_help *help);
void common_free(struct common *c);
void common_print_help(const struct applet_help *h);
/* Writes b to stdout and flushes: -1 (err set) when stdout is closed or full. */
int common_emit(const struct buf *b);
/* The run's case folder into out (case_find_dir): may_start lets a live
 * run name ./case-<tenant>-<date> after --tenant or AZURE_TENANT_ID.
 * 0, or -1 with err set. */
int common_case_dir(const struct common *c, int may_start, char *out, size_t sz);
/* One line in the case's logbook, by applet; a logbook that cannot take
 * it (read-only copy of a case…) is said on stderr, never a failure. */
void common_log(const char *case_dir, const struct common *c, const char *applet,
		const char *text, const char *const *targets, size_t ntargets);

/* ---- the check runner (check.c) -------------------------------------------------
 * A check of the fiche is this declaration; check_run does the rest, the
 * same way for every check, live and --offline. */
struct check_def {
	const char *name;                 /* "check-admins": the applet, the
	                                     record collect/<name>.json, the
	                                     document findings/<name>.json */
	const char *fiche;                /* the actions it answers: "1.a 1.b 2.a" */
	const struct applet_help *help;
	const struct opt_spec *opts;      /* its own options, or NULL */
	applet_opt_fn on_opt;             /* called with own (below) */
	size_t own_size;                  /* bytes of its options' storage */
	const char *const *formats;       /* --format values it writes */

	int64_t window;                   /* seconds of logs without --since (0: 30 days) */

	/* The evidence: a model of model_size bytes, whose first member is
	 * a struct mdl_head (model/): the runner reads the case's names,
	 * times and sources there. */
	size_t model_size;
	/* An empty model with its sources named (--list-rules). */
	void (*init)(void *model);
	/* Live: fetches into the case through the open session; sources that
	 * cannot be read are recorded, not errors. -1 (err set) when the run
	 * cannot go on. NULL: the check only reads what is in the case. */
	int (*collect)(struct collect_session *s, const struct check_run *r);
	/* Loads the model from the case folder, every file checked against
	 * its manifest first (model/). -1 only when the run must stop. */
	int (*load)(struct case_dir *cs, const struct check_run *r, void *model);
	void (*free)(void *model);

	/* The analysis. */
	const struct rule *rules;
	size_t nrules;
	int (*verdict)(const struct rule_ctx *c, const struct findings *fs, struct rule_verdict *v);
	/* --format csv: its table (NULL: no CSV). */
	int (*csv)(const struct rule_ctx *c, struct rule_table *t);
	/* --make-baseline: adds what the tenant holds now to b (NULL: none). */
	int (*make_baseline)(const void *model, struct bl *b);
};

/* The applet: parses argv (common options, --list-rules, --make-baseline
 * when the check has one, its own options), then runs. Exit status. */
int check_main(const struct check_def *d, int argc, char **argv);
/* One run with options already parsed: qualify calls it for each check,
 * with one session (sign-in, probe, case) open for all of them; s NULL:
 * the runner opens and closes its own (live), or none (--offline). own:
 * the check's options (NULL: defaults). Exit status, as check_main. */
int check_run_with(const struct check_def *d, const struct common *c, const void *own,
		   struct collect_session *s);

/* The checks' declarations, for qualify. */
extern const struct check_def check_admins_def;
extern const struct check_def check_events_def;

/* The sandbox of an applet run (core/sandbox.c): what it may write and
 * read, and whether it talks to Microsoft. Called once the options are
 * parsed and the case folder is known, before any thread starts and
 * before a byte from the network or a customer's file is read. */
struct ms_cloud;
struct narrow {
	const char *case_dir;          /* the one folder written (while absent:
					  its nearest parent, until narrowed
					  again once made); NULL: none */
	int case_read_only;            /* the case is only read (list, verify) */
	const char *out[2];            /* files written outside the case, in
					  place (file_write_over): -o,
					  --make-baseline */
	const char *read[4];           /* other files read: --baseline, a file
					  to import */
	const struct ms_cloud *cloud;  /* live: connections to its endpoints
					  only (or their proxy), REFLEXE_CA_FILE
					  and AZURE_CLIENT_CERTIFICATE_PATH
					  readable; NULL: no network at all */
	const char *proxy;             /* --proxy */
};
/* 0 when narrowed, or when the kernel cannot (one line on stderr says
 * why, once per run); -1 with the error set (EXIT_FAIL). */
int common_narrow(const struct narrow *n);
extern const struct check_def check_mail_def;
extern const struct check_def check_apps_def;

/* Entry points: argv[0] is the applet name. Return an exit status. */
typedef int (*applet_fn)(int argc, char **argv);
int applet_courante(int argc, char **argv);
int applet_login(int argc, char **argv);
int applet_logout(int argc, char **argv);
int applet_check_admins(int argc, char **argv);
int applet_import(int argc, char **argv);
int applet_check_events(int argc, char **argv);
int applet_check_mail(int argc, char **argv);
int applet_check_apps(int argc, char **argv);
int applet_report(int argc, char **argv);
int applet_qualify(int argc, char **argv);

/* Shared by report and qualify (report.c): --format, output to stdout or
 * -o FILE, and one report of a case, sealed unless nosave. */
int report_format(const char *f, enum rep_fmt *out);
int report_emit(const struct buf *b, const char *path);
int report_run(const char *case_dir, const char *answers, const char *who, enum rep_fmt f,
	       const char *out, int final, int nosave, int quiet);

/* ---- qualify (qualify.c, qualify_ask.c), between these two files ---- */
struct qctx {
	struct common c;
	const char *answers, *at, *out;
	int nonint, review, interactive;
	int narrowed;                    /* the sandbox is on (q_narrow) */
	int box, box_given, box_found;   /* minutes */
	enum rep_fmt fmt;
	char case_dir[4096];
	char who[512];
	int64_t origin;                  /* the clock's origin: the start line */
	int resumed, warned80, over_logged, jump;
	int an_gravity_set;              /* the gravity was given already */
	struct rep_answers *file_an;     /* --answers, parsed */
	void *in;                        /* FILE *: the answers typed */
};
int q_listed(struct qctx *x, const char *rel);
int q_reuse(struct qctx *x, const char *check);
void q_step(struct qctx *x, enum msg_id id);
void q_say(struct qctx *x, enum msg_id id, ...);
int q_qualify(struct qctx *x);
/* one logbook line by qualify (at 0: now; st: an action's state) */
int q_log(struct qctx *x, int64_t at, const char *text, const char *const *targets, size_t n,
	  int st);
int q_logf(struct qctx *x, enum msg_id id, ...);

#endif
