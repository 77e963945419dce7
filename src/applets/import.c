/*
 * import — the exports a customer sends when no live access is possible
 * (unified audit log, Entra sign-in and audit logs), stored in the case
 * as evidence and normalised for the event rules. Reading the formats:
 * export/; writing into the case: collect/import.c. This file parses
 * options and reports.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "applets/applets.h"
#include "case/case.h"
#include "collect/collect.h"
#include "courante/courante.h"

enum { O_TZ = 1 };

static const struct opt_spec own[] = {
	{ "tz", 0, OPT_ARG, O_TZ },
	{ NULL, 0, 0, 0 },
};

static const struct applet_help help = { M_HELP_IMPORT };

struct ctx {
	const char *tz;
};

static int on_opt(void *p, int id, const char *arg)
{
	struct ctx *x = p;
	if (id == O_TZ)
		x->tz = arg;
	return 0;
}

static void span(const struct exp_stats *st, struct buf *b)
{
	char a[32], z[32];
	if (st->first == EXP_NO_TIME)
		return;
	tm_utc_iso(st->first, a, sizeof a);
	tm_utc_iso(st->last, z, sizeof z);
	buf_trf(b, M_IMP_SPAN, a, z);
}

/* How the file's times became UTC, in words. */
static void zone_words(const struct exp_stats *st, struct buf *b)
{
	if (st->tz_basis & EXP_TZ_GIVEN)
		buf_trf(b, M_IMP_TZ_GIVEN, st->tz_name);
	else if (st->tz_basis)
		buf_puts(b, tr(M_IMP_TZ_STATED));
	if (st->no_time)
		buf_trf(b, M_IMP_NO_TIME, (unsigned long long)st->no_time);
	if (st->encoding[0])
		buf_puts(b, tr(M_IMP_CP1252));
}

/* The sandbox (core/sandbox.c) before a byte of a customer's file is
 * read: the case folder written, the files named read (their folders when
 * more than the sandbox's slots), nothing else, no network. */
static int narrow(const char *case_dir, const struct common *c)
{
	enum { N = sizeof ((struct narrow *)0)->read / sizeof (const char *) };
	struct narrow n = { .case_dir = case_dir };
	char dirs[N][4096];
	size_t k = 0;
	int fits = c->npos <= (int)N;
	for (int i = 0; i < c->npos; i++) {
		if (fits) {
			n.read[k++] = c->pos[i];
			continue;
		}
		const char *slash = strrchr(c->pos[i], '/');
		char d[4096];
		snprintf(d, sizeof d, "%.*s", slash ? (int)(slash - c->pos[i] + (slash == c->pos[i])) : 1,
			 slash ? c->pos[i] : ".");
		size_t j = 0;
		while (j < k && strcmp(dirs[j], d))
			j++;
		if (j < k)
			continue;
		if (k == N) {
			/* files from more folders than slots: said, not narrowed */
			fputs("reflexe: ", stderr);
			tr_fprintf(stderr, M_SBX_NOT, tr(M_IMP_SBX_FOLDERS));
			fputc('\n', stderr);
			return 0;
		}
		memcpy(dirs[k], d, sizeof d);
		n.read[k] = dirs[k];
		k++;
	}
	return common_narrow(&n);
}

int applet_import(int argc, char **argv)
{
	struct ctx x = { 0 };
	struct common c;
	int rc = common_parse(argc, argv, own, on_opt, &x, &c, -1, &help);
	if (rc || c.help) {
		common_free(&c);
		return rc ? rc : EXIT_CLEAN;
	}
	if (c.npos < 1) {
		common_free(&c);
		err_set(E_IMP_ARGS);
		return EXIT_USAGE;
	}
	struct tm_zone tz;
	char case_dir[4096];
	if (x.tz && tm_zone_parse(x.tz, &tz) < 0) {
		common_free(&c);
		return EXIT_USAGE;
	}
	/* --case, REFLEXE_CASE, the only ./case-* here, else a new one named
	 * after --tenant or AZURE_TENANT_ID */
	if (common_case_dir(&c, 1, case_dir, sizeof case_dir) < 0) {
		err_clear();
		common_free(&c);
		err_set(E_IMP_NO_CASE);
		return EXIT_USAGE;
	}
	char who[256];
	const char *responder = c.who;
	if (!responder && cour_who_known(case_dir, who, sizeof who) == 0)
		responder = who;
	err_clear();
	struct case_dir *cs;
	if (case_open(&cs, case_dir, c.tenant, responder, 0) < 0) {
		common_free(&c);
		return EXIT_FAIL;
	}
	if (narrow(case_dir, &c) < 0) {
		case_close(cs);
		common_free(&c);
		return EXIT_FAIL;
	}
	struct collect_import_opts o = { x.tz ? &tz : NULL, responder };
	size_t nok = 0, ndup = 0, nbad = 0, ntz = 0, nevents = 0;
	struct buf line = { 0 }, names = { 0 };
	for (int i = 0; i < c.npos; i++) {
		const char *file = c.pos[i];
		struct collect_import_result res;
		buf_reset(&line);
		if (collect_import(cs, file, &o, &res) < 0) {
			nbad++;
			ntz += err_id() == E_EXP_NEED_TZ;
			fprintf(stderr, "reflexe: import: ");
			tr_fprintf(stderr, M_IMP_FAILED, file, err_msg());
			fputc('\n', stderr);
			err_clear();
			continue;
		}
		if (res.duplicate) {
			ndup++;
			if (!c.quiet) {
				buf_trf(&line, M_IMP_DUP, file, res.folder);
				buf_puts(&line, "\n");
			}
		} else {
			nok++;
			nevents += res.st.events;
			buf_printf(&names, "%s%s", names.len ? ", " : "", strrchr(file, '/') ? strrchr(file, '/') + 1 : file);
			if (!c.quiet) {
				buf_trf(&line, M_IMP_DONE, file, exp_layout_name(res.st.layout),
					(unsigned long long)res.st.rows, (unsigned long long)res.st.events);
				span(&res.st, &line);
				zone_words(&res.st, &line);
				buf_printf(&line, "\n  -> %s/\n", res.folder);
			}
		}
		if (line.len && common_emit(&line) < 0) {
			nbad++;
			break;
		}
	}
	if (case_close(cs) < 0) {
		fprintf(stderr, "reflexe: %s\n", err_msg());
		err_clear();
		nbad++;
	}
	buf_reset(&line);
	buf_trf(&line, M_IMP_LOG, nok, nevents, ndup, nbad, names.len ? names.p : "-");
	c.who = responder;
	common_log(case_dir, &c, "import", line.p, NULL, 0);
	buf_free(&line);
	buf_free(&names);
	common_free(&c);
	if (nbad)
		return ntz == nbad ? EXIT_USAGE : EXIT_FAIL;
	return EXIT_CLEAN;
}
