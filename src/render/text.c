/*
 * The text document: what the responder reads on screen. The fiche's
 * question and its answer come first, then what drives it, then every
 * finding, then what could not be answered and what was checked clean.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"

#define GROUP_MAX 10      /* findings shown per rule before "… N more" */
#define EV_MAX 3          /* evidence paths shown per finding */

static const char *L(const char *const v[2]) { return v[i18n_lang()] ? v[i18n_lang()] : ""; }

static int auto_clear(const struct finding *f)
{
	return f->status == ST_CLEAR && !f->nobj;
}

static int list(struct buf *b, const char *label, char **v, size_t n, size_t max)
{
	if (!n)
		return 0;
	if (buf_printf(b, "      %s ", label) < 0)
		return -1;
	for (size_t i = 0; i < n && i < max; i++)
		if (buf_printf(b, "%s%s", i ? ", " : "", v[i]) < 0)
			return -1;
	if (n > max && buf_trf(b, M_R_MORE, n - max) < 0)
		return -1;
	return buf_puts(b, "\n");
}

static int finding(struct buf *b, const struct finding *f)
{
	if (buf_printf(b, "  [%s] %s %s (%s %s, %s)\n      %s\n", rule_sev_label(f->sev), f->rule->id,
		       tr(f->rule->title), tr(M_R_FICHE), f->rule->fiche, rule_status_label(f->status),
		       L((const char *const *)f->detail)) < 0)
		return -1;
	if (list(b, tr(M_R_OBJECTS), f->obj, f->nobj, 12) < 0 || list(b, tr(M_R_EVIDENCE), f->ev, f->nev, EV_MAX) < 0)
		return -1;
	return 0;
}

static int section(struct buf *b, const struct finding **v, size_t n, int want_clear, enum msg_id head)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += want_clear ? (v[i]->status == ST_CLEAR && !auto_clear(v[i])) : v[i]->status != ST_CLEAR;
	if (!total)
		return 0;
	if (buf_printf(b, "\n%s (%zu)\n", tr(head), total) < 0)
		return -1;
	for (size_t i = 0; i < n;) {
		/* A run of findings of the same rule: GROUP_MAX shown. */
		size_t j = i, shown = 0, hidden = 0;
		for (; j < n && v[j]->rule == v[i]->rule && v[j]->status == v[i]->status &&
		       v[j]->sev == v[i]->sev; j++) {
			int in = want_clear ? (v[j]->status == ST_CLEAR && !auto_clear(v[j])) :
					      v[j]->status != ST_CLEAR;
			if (!in)
				continue;
			if (shown < GROUP_MAX) {
				if (finding(b, v[j]) < 0)
					return -1;
				shown++;
			} else {
				hidden++;
			}
		}
		if (hidden && (buf_puts(b, "  … ") < 0 || buf_trf(b, M_R_HIDDEN, hidden) < 0 ||
			       buf_puts(b, "\n") < 0))
			return -1;
		i = j > i ? j : i + 1;
	}
	return 0;
}

static int text(const struct render_doc *d, struct buf *b)
{
	char gen[32], s[32], u[32];
	tm_utc_short(d->generated, gen, sizeof gen);
	if (buf_printf(b, "reflexe %s — %s %s — %s %s — %s\n", d->applet, tr(M_R_TENANT),
		       d->tenant && *d->tenant ? d->tenant : "?", tr(M_R_CASE), d->case_dir, gen) < 0)
		return -1;
	if (d->since && d->until) {
		tm_utc_short(d->since, s, sizeof s);
		tm_utc_short(d->until, u, sizeof u);
		if (buf_printf(b, "%s %s → %s\n", tr(M_R_WINDOW), s, u) < 0)
			return -1;
	}
	/* One answer, or one per action of the fiche the check answers. */
	const struct rule_verdict *v0 = d->verdict;
	for (size_t p = 0; v0 && p < (v0->npart ? v0->npart : 1); p++) {
		const struct rule_verdict *v = v0->npart ? &v0->part[p] : v0;
		if (buf_printf(b, "\n%s\n%s%s%s\n", tr(v->question), tr(v->subject), tr(M_R_COLON),
			       render_verdict_word(v->v)) < 0)
			return -1;
		if (v->why[0] && buf_printf(b, "  %s\n", L((const char *const *)v->why)) < 0)
			return -1;
		if (v->nreasons && buf_printf(b, "  %s\n", tr(M_R_REASONS)) < 0)
			return -1;
		for (size_t i = 0; i < v->nreasons && i < 15; i++) {
			const struct finding *f = v->reasons[i];
			if (buf_printf(b, "    - %s [%s, %s] %s\n", f->rule->id, rule_sev_label(f->sev),
				       rule_status_label(f->status), L((const char *const *)f->detail)) < 0)
				return -1;
		}
		if (v->nreasons > 15 && buf_printf(b, "    - … (%zu)\n", v->nreasons - 15) < 0)
			return -1;
		for (size_t i = 0; i < v->nextra; i++)
			if (buf_printf(b, "  %s%s%s\n", tr(v->extra[i].label), tr(M_R_COLON),
				       L((const char *const *)v->extra[i].value)) < 0)
				return -1;
	}
	const struct finding **o = render_order(d->fs);
	if (!o)
		return -1;
	int rc = section(b, o, d->fs->n, 0, M_R_FINDINGS);
	if (rc == 0)
		rc = section(b, o, d->fs->n, 1, M_R_INFO);
	if (rc == 0 && d->fs->nu) {
		/* Checks left unanswered for the same reason are one line:
		 * "ADM-012, ADM-013…: signIns: the tenant lacks the licence". */
		rc = buf_printf(b, "\n%s (%zu)\n", tr(M_R_UNKNOWN), d->fs->nu);
		char *done = calloc(d->fs->nu, 1);
		if (!done)
			rc = err_set(E_NOMEM);
		for (size_t i = 0; i < d->fs->nu && rc == 0; i++) {
			const struct unknown *x = &d->fs->u[i];
			if (done[i])
				continue;
			rc = buf_printf(b, "  %s", x->check);
			for (size_t j = i + 1; j < d->fs->nu && rc == 0; j++) {
				const struct unknown *y = &d->fs->u[j];
				if (!done[j] && !strcmp(L((const char *const *)x->reason), L((const char *const *)y->reason)) &&
				    !strcmp(x->needs, y->needs)) {
					done[j] = 1;
					rc = buf_printf(b, ", %s", y->check);
				}
			}
			if (rc == 0)
				rc = buf_printf(b, "%s%s\n      %s %s\n", tr(M_R_COLON),
						L((const char *const *)x->reason), tr(M_R_NEEDS), x->needs);
		}
		free(done);
	}
	size_t nclear = 0;
	for (size_t i = 0; i < d->fs->n; i++)
		nclear += auto_clear(&d->fs->f[i]);
	if (rc == 0 && nclear) {
		rc = buf_printf(b, "\n%s (%zu)\n", tr(M_R_CLEAR), nclear);
		for (size_t i = 0; i < d->fs->n && rc == 0; i++)
			if (auto_clear(o[i]))
				rc = buf_printf(b, "  %s %s\n", o[i]->rule->id, L((const char *const *)o[i]->detail));
	}
	free(o);
	return rc;
}

void render_tame(struct buf *b, size_t from)
{
	/* Names come from the tenant, some from outside it (a third party's
	 * application is named by its publisher): a terminal must not run
	 * what they carry. Control characters but newlines, DEL, and the C1
	 * controls (U+0080-U+009F, which some terminals obey) become '?'. */
	for (size_t i = from; i < b->len; i++) {
		unsigned char c = (unsigned char)b->p[i];
		if ((c < 0x20 && c != '\n') || c == 0x7f)
			b->p[i] = '?';
		else if (c == 0xc2 && i + 1 < b->len && (unsigned char)b->p[i + 1] >= 0x80 &&
			 (unsigned char)b->p[i + 1] <= 0x9f)
			b->p[i] = b->p[i + 1] = '?';
	}
}

int render_text(const struct render_doc *d, struct buf *b)
{
	size_t from = b->len;
	int rc = text(d, b);
	if (rc == 0)
		render_tame(b, from);
	return rc;
}
