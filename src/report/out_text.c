/*
 * The screen: the synthesis only, under 60 lines — the gravity first,
 * the fiche's five answers, Mesure 1 per action, the sound global
 * administrator, the 72-hour clock, the first actions, what was not
 * evaluated, and the seal. The full report is in the case (report.html,
 * report.md) or another --format. Tenant texts reach a terminal: control
 * and bidi characters are shown as '?' (a name must not move the cursor
 * or reverse the line).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "courante/courante.h"
#include "report/report.h"

#define MAX_LINES 60

static int put(struct buf *b, const char *s)
{
	int r = 0;
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p && !r; p++) {
		if (*p < 0x20 || *p == 0x7f)
			r |= buf_puts(b, *p == '\n' ? " " : "?");
		else if (utf8_invisible(p, NULL)) {
			r |= buf_puts(b, "?");
			p += 2;
		} else
			r |= buf_append(b, p, 1);
	}
	return r;
}

/* One line: a message of the catalogue, formatted, then made safe. */
static int line(struct buf *b, int *n, enum msg_id id, ...)
{
	if (*n >= MAX_LINES - 1)
		return 0;
	struct buf t = { 0 };
	va_list ap;
	va_start(ap, id);
	int r = buf_vtrf(&t, id, ap);
	va_end(ap);
	r |= put(b, t.p) | buf_puts(b, "\n");
	buf_free(&t);
	(*n)++;
	return r;
}

int rep_text(const struct rep *r, struct buf *b)
{
	const struct rep_qual *q = &r->q;
	int n = 0, rc = 0;
	rc |= line(b, &n, M_REP_TXT_HEAD, tr(M_REP_TITLE), r->tenant[0] ? r->tenant : "?", r->case_name);
	if (r->demo)
		rc |= line(b, &n, M_REP_TXT_DEMO);
	long long bad = r->log->bad_line ? r->log->bad_line : r->log->torn.line;
	if (bad)
		rc |= line(b, &n, M_REP_BANNER_LOG, bad);
	rc |= line(b, &n, q->presumed ? M_REP_GRAV_PRESUMED : M_REP_GRAV_LINE, rep_grav_word(q->retained),
		   q->computed_rule);
	if (q->ceil.g > q->floor.g && q->floor.g != G_INDET)
		rc |= line(b, &n, M_REP_UP_TO, rep_grav_word(q->ceil.g), q->ceil.rule);
	if (q->override)
		rc |= line(b, &n, M_REP_TXT_OVERRIDE, rep_grav_word(q->computed));
	if (q->decide_crisis)
		rc |= line(b, &n, M_REP_DECIDE_CRISIS);
	rc |= line(b, &n, M_REP_TXT_TYPE, rep_value_word(Q_Q_TYPE, q->it[Q_Q_TYPE].v));
	rc |= line(b, &n, M_REP_TXT_AXES, rep_axis_word(0, q->shown.perim), rep_axis_word(1, q->shown.impact), rep_axis_word(2, q->shown.urg),
		   rep_axis_word(3, q->shown.menace));
	rc |= line(b, &n, M_REP_TXT_M1, rep_verdict_word(q->act[0]), rep_verdict_word(q->act[1]), rep_verdict_word(q->act[2]), rep_verdict_word(q->act[3]), rep_verdict_word(q->act[4]));
	rc |= line(b, &n, M_REP_TXT_GA, rep_value_word(Q_I_GA_SAIN, q->it[Q_I_GA_SAIN].v));
	const struct rep_clock *c = &r->clock;
	if (!c->applies)
		rc |= line(b, &n, M_REP_TXT_CLOCK_NA);
	else if (!c->t0)
		rc |= line(b, &n, M_REP_TXT_CLOCK_NO_T0);
	else {
		char dl[32];
		tm_utc_iso(c->deadline, dl, sizeof dl);
		if (c->left < 0)
			rc |= line(b, &n, M_REP_TXT_CLOCK_OVER, dl, (long long)(-c->left / 3600),
				   c->t0_presumed ? tr(M_REP_PRESUMEE) : "");
		else
			rc |= line(b, &n, M_REP_TXT_CLOCK_LEFT, dl, (long long)(c->left / 3600),
				   (long long)(c->left % 3600 / 60), c->t0_presumed ? tr(M_REP_PRESUMEE) : "");
		if (c->prenotify)
			rc |= line(b, &n, M_REP_PRENOTIFY);
	}
	for (int k = 0; k < CHK__N; k++)
		if (!q->chk_run[k])
			rc |= line(b, &n, M_REP_TXT_NOT_RUN, rep_chks[k].applet);
	if (r->fs.nu)
		rc |= line(b, &n, M_REP_TXT_UNKNOWN, r->fs.nu);
	for (size_t i = 0; i < r->plan.n && i < 5; i++)
		rc |= line(b, &n, M_REP_TXT_ACTION, tr(rep_plan_title(r->plan.s[i].kind)),
			   r->plan.s[i].obj ? r->plan.s[i].obj : "—", r->plan.s[i].id);
	if (r->plan.n > 5)
		rc |= line(b, &n, M_REP_TXT_MORE_ACTIONS, r->plan.n - 5);
	rc |= line(b, &n, M_REP_TXT_SEAL, r->seal.manifest_sha[0] ? r->seal.manifest_sha : "—",
		   r->seal.head[0] ? r->seal.head : "—", r->seal.lines);
	rc |= line(b, &n, M_REP_TXT_FULL);
	return rc ? -1 : 0;
}
