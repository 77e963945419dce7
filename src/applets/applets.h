/*
 * applets/ — one file per applet, each opening with its help text in both
 * languages and its options. Thin: parse options, then collect → rules →
 * render. Prefix: applet_ for entry points, common_ for shared options.
 */
#ifndef REFLEXE_APPLETS_H
#define REFLEXE_APPLETS_H

#include "core/core.h"
#include "report/report.h"

/* The common options of DESIGN.md, parsed once per run. */
struct common {
	const char *case_dir;   /* --case DIR */
	const char *tenant;     /* --tenant ID|domain */
	const char *since;      /* --since 30d */
	const char *baseline;   /* --baseline FILE */
	const char *format;     /* --format text|json|csv|md|html */
	const char *lang;       /* --lang fr|en */
	const char *who;        /* --who NAME */
	const char *proxy;      /* --proxy URL */
	int parallel;           /* --parallel N: connections per service, 0 = default */
	int offline;            /* --offline */
	int quiet;              /* -q */
	int verbose;            /* -v (repeatable) */
	int help;               /* -h, --help */
};

enum {
	COMMON_CASE = 1000, COMMON_TENANT, COMMON_SINCE, COMMON_BASELINE,
	COMMON_FORMAT, COMMON_LANG, COMMON_WHO, COMMON_PROXY, COMMON_OFFLINE,
	COMMON_QUIET, COMMON_VERBOSE, COMMON_HELP, COMMON_PARALLEL,
};
extern const struct opt_spec common_opts[];

/* Help text of an applet: usage and options, both languages. */
struct applet_help {
	const char *text[2];    /* [LANG_FR], [LANG_EN] */
};

/* Parses argv with the applet's own table first, then the common one.
 * on_opt is called for the applet's own options (may be NULL); positional
 * arguments end in pos[0..*npos). Returns 0, or EXIT_USAGE with the error
 * message set. --help prints the help and sets c->help. */
typedef int (*applet_opt_fn)(void *ctx, int id, const char *arg);
int common_parse(int argc, char **argv, const struct opt_spec *own,
		 applet_opt_fn on_opt, void *ctx, struct common *c,
		 char **pos, int *npos, const struct applet_help *help);
void common_print_help(const struct applet_help *h);

/* Entry points: argv[0] is the applet name. Return an exit status. */
typedef int (*applet_fn)(int argc, char **argv);
int applet_courante(int argc, char **argv);
int applet_login(int argc, char **argv);
int applet_logout(int argc, char **argv);
int applet_check_admins(int argc, char **argv);
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
int q_case_dir(struct qctx *x);
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
