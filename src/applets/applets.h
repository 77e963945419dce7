/*
 * applets/ — one file per applet, each opening with its help text in both
 * languages and its options. Thin: parse options, then collect → rules →
 * render. Prefix: applet_ for entry points, common_ for shared options.
 */
#ifndef REFLEXE_APPLETS_H
#define REFLEXE_APPLETS_H

#include "core/core.h"

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
int applet_import(int argc, char **argv);

#endif
