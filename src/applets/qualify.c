/*
 * qualify — the fiche in its order, within the time box: prerequisites,
 * the Mesure 1 checks, Mesures 2, 3 and 4 as questions with the evidence's
 * proposal, the gravity, the declarations, then the report. Every step and
 * every block of answers is a logbook line; the case folder is the state,
 * so an interrupted qualification resumes where it stopped, on the same
 * clock. Interactive on a terminal; with --answers, --non-interactive or
 * stdin not a terminal, it asks nothing. The questions themselves are in
 * qualify_ask.c; the qualification (report/) is the report's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "applets/applets.h"
#include "case/case.h"
#include "collect/collect.h"
#include "courante/courante.h"
#include "model/model.h"
#include "report/report.h"

enum { O_TIMEBOX = 1, O_ANSWERS, O_NONINT, O_REVIEW, O_AT, O_OUT };

static const struct opt_spec own[] = {
	{ "timebox", 0, OPT_ARG, O_TIMEBOX },
	{ "answers", 0, OPT_ARG, O_ANSWERS },
	{ "non-interactive", 0, OPT_NOARG, O_NONINT },
	{ "review", 0, OPT_NOARG, O_REVIEW },
	{ "at", 0, OPT_ARG, O_AT },
	{ "output", 'o', OPT_ARG, O_OUT },
	{ NULL, 0, 0, 0 },
};

static const struct applet_help help = { M_HELP_QUALIFY };

/* "30m", "45m", "1h": minutes; more than an hour is refused (the fiche:
 * « 1 heure au maximum »). */
static int timebox(const char *s, int *min)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (end == s || errno || v <= 0)
		return err_set(E_Q_TIMEBOX, s);
	if (*end == 'h' && !end[1])
		v *= 60;
	else if (!(*end == 'm' && !end[1]) && !(!*end))
		return err_set(E_Q_TIMEBOX, s);
	if (v > 60)
		return err_set(E_Q_TIMEBOX, s);
	*min = (int)v;
	return 0;
}

static int on_opt(void *p, int id, const char *arg)
{
	struct qctx *x = p;
	switch (id) {
	case O_TIMEBOX: x->box_given = 1; return timebox(arg, &x->box);
	case O_ANSWERS: x->answers = arg; break;
	case O_NONINT: x->nonint = 1; break;
	case O_REVIEW: x->review = 1; break;
	case O_AT: x->at = arg; break;
	case O_OUT: x->out = arg; break;
	}
	return 0;
}

/* ---- the logbook ----------------------------------------------------------------------- */

int q_log(struct qctx *x, int64_t at, const char *text, const char *const *targets, size_t n,
	  int st)
{
	char src[COUR_MAX_FIELD], w[COUR_MAX_FIELD + 1];
	const char *who = x->who[0] ? x->who : NULL;
	if (!who) {
		if (cour_who_known(x->case_dir, w, sizeof w) != 0)
			snprintf(w, sizeof w, "reflexe");
		who = w;
	}
	snprintf(src, sizeof src, "reflexe qualify %s", REFLEXE_VERSION);
	struct cour_entry e = {
		.kind = COUR_TOOL, .who = (char *)who, .what = (char *)text, .targets = (char **)targets,
		.ntargets = n, .source = src, .status = (enum cour_status)st,
	};
	e.recorded = tm_now();
	e.event = at ? at : e.recorded;
	e.offset_min = tm_local_offset(e.event);
	if (cour_check_text("what", text, COUR_MAX_WHAT) < 0 ||
	    cour_append(x->case_dir, &e, 1, COUR_APPEND_CREATE, NULL) < 0) {
		/* a logbook that cannot take the line is said, never fatal */
		fprintf(stderr, "reflexe: %s: %s\n", tr(M_Q_LOG_FAILED), err_msg());
		err_clear();
		return -1;
	}
	return 0;
}

int q_logf(struct qctx *x, enum msg_id id, ...)
{
	struct buf t = { 0 };
	va_list ap;
	va_start(ap, id);
	int r = buf_vtrf(&t, id, ap);
	va_end(ap);
	if (r == 0)
		r = q_log(x, 0, t.p, NULL, 0, COUR_ST_NONE);
	buf_free(&t);
	return r;
}

/* ---- the clock ----------------------------------------------------------------------------- */

/* The start line: found (resume, same origin, same box), else written now
 * (or at --at). */
static int clock_start(struct qctx *x)
{
	struct cour_log log = { 0 };
	int exists;
	long long line;
	if (cour_load(x->case_dir, &log, &exists) < 0)
		return -1;
	int found = rep_timebox(&log, &x->origin, &x->box_found, &line);
	/* a « dépassé » line already written is not written again */
	for (size_t i = 0; i < log.n; i++)
		if (log.e[i].kind == COUR_TOOL && rep_line_is(log.e[i].what, M_Q_LOG_OVER))
			x->over_logged = 1;
	cour_log_free(&log);
	if (found) {
		x->resumed = 1;
		x->box = x->box_found;
		q_logf(x, M_Q_LOG_RESUME, (long long)line, x->box);
		return 0;
	}
	int64_t at = 0;
	int off;
	if (x->at && tm_parse_local(x->at, &at, &off) < 0)
		return -1;
	if (at > tm_now() + 60)
		return err_set(E_Q_AT_FUTURE, x->at);
	x->origin = at ? at : tm_now();
	struct buf t = { 0 };
	int r = buf_trf(&t, M_Q_LOG_START, x->box) < 0 ? -1 : q_log(x, x->origin, t.p, NULL, 0, COUR_ST_NONE);
	buf_free(&t);
	return r;
}

/* ---- the checks ---------------------------------------------------------------------------------- */

/* The checks of Mesure 1, in the fiche's order, each a declaration the
 * check runner executes (issue 9).
 * exports: reads only the exports the customer sent (reflexe import),
 * always offline, run when the case holds some (issue 12). */
static const struct {
	const char *name;
	const struct check_def *def;
	int exports;
} all[] = {
	{ "check-admins", &check_admins_def, 0 },
	{ "check-mail", &check_mail_def, 0 },
	{ "check-apps", &check_apps_def, 0 },
	{ "check-events", &check_events_def, 1 },
};

/* The sandbox (core/sandbox.c): the case folder, the -o file, and live
 * the cloud's endpoints only. Narrowed again once the session has made
 * the case folder (each narrowing only takes rights away). */
static int q_narrow(struct qctx *x, const struct ms_cloud *cloud)
{
	struct narrow n = { .case_dir = x->case_dir, .out = { x->out }, .cloud = cloud, .proxy = x->c.proxy };
	x->narrowed = 1;
	return common_narrow(&n);
}

/* The case holds imported exports (their evidence is checked by the
 * check that reads them). */
static int has_exports(const struct qctx *x)
{
	char path[4200];
	struct stat st;
	snprintf(path, sizeof path, "%s/imports", x->case_dir);
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Runs one check through the runner, its text on the terminal (stderr):
 * stdout carries only the report. Live, with the session open for all
 * of them (one sign-in, one probe, one case). */
static int run_check(struct qctx *x, const struct check_def *d, int offline, struct collect_session *s)
{
	struct common c = x->c;
	c.format = "text";
	c.offline = offline;
	c.case_dir = x->case_dir;
	c.who = x->who[0] ? x->who : NULL;
	fflush(stdout);
	int saved = dup(1);
	if (saved < 0 || dup2(2, 1) < 0)
		return err_set(E_FILE_WRITE, "stdout", file_strerror(errno));
	int rc = check_run_with(d, &c, NULL, offline ? NULL : s);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	return rc;
}

/* One whose findings the case already holds is reused (a resumed
 * qualification; qualify --offline), run again offline to show its
 * answer. A case of exports only (no access to the tenant: qualify
 * --offline after reflexe import) goes on when a live check has nothing
 * to analyse: its actions stay « non évalué ». */
static int checks(struct qctx *x)
{
	struct collect_session s;
	int open = 0, rc = 0;
	int exports = has_exports(x);
	q_step(x, M_Q_STEP_CHECKS);
	for (size_t i = 0; i < sizeof all / sizeof all[0] && rc == 0; i++) {
		if (all[i].exports && !exports)
			continue;
		char rel[64];
		snprintf(rel, sizeof rel, "findings/%s.json", all[i].name);
		int have = q_listed(x, rel);
		if (have < 0)
			return EXIT_FAIL;
		int offline = all[i].exports || x->c.offline || (have && q_reuse(x, all[i].name));
		if (!offline && !open) {
			struct common c = x->c;
			c.case_dir = x->case_dir;
			if (collect_config(&s, &c) < 0 || q_narrow(x, &s.a.cloud) < 0 ||
			    collect_start(&s, x->case_dir, &c) < 0 || q_narrow(x, &s.a.cloud) < 0) {
				fprintf(stderr, "reflexe: %s\n", err_msg());
				if (s.a_init)
					collect_close(&s);
				return EXIT_FAIL;
			}
			open = 1;
		}
		int r = run_check(x, all[i].def, offline, &s);
		/* Exit 3 with no error: the check ran, and what it could not
		 * read leaves its actions undetermined (said above, and in the
		 * report): the qualification goes on. */
		if (r == EXIT_USAGE || (r == EXIT_FAIL && *err_msg())) {
			fprintf(stderr, "reflexe: %s: %s\n", all[i].name, err_msg());
			if (!have && !(offline && exports && !all[i].exports))
				rc = r;
			err_clear();   /* else its earlier findings stand */
		}
	}
	if (open && collect_close(&s) < 0 && rc == 0)
		rc = EXIT_FAIL;
	return rc;
}

/* ---- the whole ---------------------------------------------------------------------------------------- */

int applet_qualify(int argc, char **argv)
{
	struct qctx x;
	struct rep_answers file;
	memset(&x, 0, sizeof x);
	memset(&file, 0, sizeof file);
	x.box = 60;
	int rc = common_parse(argc, argv, own, on_opt, &x, &x.c, 0, &help);
	if (rc == 0 && !x.c.help && report_format(x.c.format, &x.fmt) < 0)
		rc = EXIT_USAGE;
	if (rc || x.c.help) {
		common_free(&x.c);
		return rc;
	}
	x.interactive = !x.nonint && !x.answers && isatty(0);
	x.in = stdin;
	if (x.c.who)
		snprintf(x.who, sizeof x.who, "%s", x.c.who);
	else if (getenv("REFLEXE_WHO"))
		snprintf(x.who, sizeof x.who, "%s", getenv("REFLEXE_WHO"));
	/* The answers file first: a typo is a usage error before anything
	 * is written. */
	if (x.answers) {
		if (rep_answers_load(&file, x.answers) < 0) {
			rc = err_id() == E_FILE_OPEN || err_id() == E_FILE_READ ? EXIT_FAIL : EXIT_USAGE;
			rep_answers_free(&file);
			common_free(&x.c);
			return rc;
		}
		x.file_an = &file;
	}
	if (common_case_dir(&x.c, !x.c.offline, x.case_dir, sizeof x.case_dir) < 0) {
		rep_answers_free(&file);
		common_free(&x.c);
		return EXIT_USAGE;
	}
	/* Offline: narrowed before any evidence is read; live, once the
	 * session knows its cloud (checks), or before the report when no
	 * check needed the network. */
	if (x.c.offline && q_narrow(&x, NULL) < 0)
		rc = EXIT_FAIL;
	else
		rc = clock_start(&x) < 0 ? EXIT_FAIL : 0;
	if (rc == 0)
		rc = checks(&x);
	if (rc == 0 && !x.narrowed && q_narrow(&x, NULL) < 0)
		rc = EXIT_FAIL;
	if (rc == 0)
		rc = q_qualify(&x);
	rep_answers_free(&file);
	common_free(&x.c);
	return rc;
}
