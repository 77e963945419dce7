/*
 * report — the qualification report of a case folder: Mesures 2, 3 and
 * 4, the gravity, the 72-hour clock, the containment plan, the drafts
 * for the DPO and the post-incident review, the logbook and the seal.
 * Offline only, never prompts. Logic: report/; this file parses options
 * and glues them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "applets/applets.h"
#include "report/report.h"

enum { O_ANSWERS = 1, O_OUT, O_FINAL, O_NOSAVE, O_QUESTIONS };

static const struct opt_spec own[] = {
	{ "answers", 0, OPT_ARG, O_ANSWERS },
	{ "output", 'o', OPT_ARG, O_OUT },
	{ "final", 0, OPT_NOARG, O_FINAL },
	{ "no-save", 0, OPT_NOARG, O_NOSAVE },
	{ "questions", 0, OPT_NOARG, O_QUESTIONS },
	{ NULL, 0, 0, 0 },
};

static const struct applet_help help = { M_HELP_REPORT };

struct ctx {
	const char *answers, *out;
	int final, nosave, questions;
};

static int on_opt(void *p, int id, const char *arg)
{
	struct ctx *x = p;
	switch (id) {
	case O_ANSWERS: x->answers = arg; break;
	case O_OUT: x->out = arg; break;
	case O_FINAL: x->final = 1; break;
	case O_NOSAVE: x->nosave = 1; break;
	case O_QUESTIONS: x->questions = 1; break;
	}
	return 0;
}

int report_format(const char *f, enum rep_fmt *out)
{
	static const struct { const char *n; enum rep_fmt f; } fm[] = {
		{ "text", RF_TEXT }, { "md", RF_MD }, { "html", RF_HTML }, { "json", RF_JSON } };
	for (size_t i = 0; i < sizeof fm / sizeof fm[0]; i++)
		if (!strcmp(f, fm[i].n)) {
			*out = fm[i].f;
			return 0;
		}
	return err_set(E_REP_FORMAT, f);
}

int report_emit(const struct buf *b, const char *path)
{
	/* In place: the sandbox allows this file, not its folder. */
	return path ? file_write_over(path, b->p ? b->p : "", b->len) : common_emit(b);
}

int report_run(const char *case_dir, const char *answers, const char *who, enum rep_fmt f,
	       const char *out, int final, int nosave, int quiet)
{
	struct rep r;
	int rc = rep_build(case_dir, answers, tm_now(), &r);
	if (rc) {
		rep_free(&r);
		return rc;
	}
	r.final = final;
	if (!nosave && (rep_seal_save(&r, who) < 0 || rep_save_outputs(&r) < 0)) {
		/* A read-only copy of a case still gets its report, said
		 * unsealed; the responder is told why. */
		if (!quiet)
			fprintf(stderr, "reflexe: %s: %s\n", tr(M_REP_SEAL_FAILED), err_msg());
		err_clear();
		r.seal.seal_rel[0] = 0;
	}
	struct buf b = { 0 };
	rc = rep_render(&r, f, &b) < 0 || report_emit(&b, out) < 0 ? EXIT_FAIL : rep_exit_status(&r);
	buf_free(&b);
	rep_free(&r);
	return rc;
}

/* The sandbox (core/sandbox.c): the case folder (the sealed report goes
 * into it), the answers file read, the -o file, no network. */
static int narrow(const char *case_dir, const struct ctx *x)
{
	struct narrow n = { .case_dir = case_dir, .out = { x->out }, .read = { x->answers } };
	return common_narrow(&n);
}

int applet_report(int argc, char **argv)
{
	struct ctx x = { 0 };
	struct common c;
	int rc = common_parse(argc, argv, own, on_opt, &x, &c, 0, &help);
	if (rc || c.help) {
		common_free(&c);
		return rc;
	}
	enum rep_fmt f;
	char case_dir[4096];
	if (report_format(c.format, &f) < 0) {
		rc = EXIT_USAGE;
	} else if (x.questions) {
		struct buf b = { 0 };
		rc = rep_questions(&b) < 0 || report_emit(&b, x.out) < 0 ? EXIT_FAIL : EXIT_CLEAN;
		buf_free(&b);
	} else if (common_case_dir(&c, 0, case_dir, sizeof case_dir) < 0) {
		rc = EXIT_USAGE;
	} else if (narrow(case_dir, &x) < 0) {
		rc = EXIT_FAIL;
	} else {
		rc = report_run(case_dir, x.answers, c.who, f, x.out, x.final, x.nosave, c.quiet);
	}
	common_free(&c);
	return rc;
}
