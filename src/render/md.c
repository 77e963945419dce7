/*
 * Markdown: the same document as the text one, to paste into a report, a
 * ticket or the logbook's export. Table cells come from the tenant
 * (display names…): '|' and line breaks are escaped so that a hostile
 * name cannot break the table.
 */
#include <stdlib.h>

#include "render/render.h"

static const char *L(char *const v[2]) { return v[i18n_lang()] ? v[i18n_lang()] : ""; }

static int cell(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		int r;
		if (*s == '|')
			r = buf_puts(b, "\\|");
		else if (*s == '\n' || *s == '\r')
			r = buf_puts(b, " ");
		else if (*s == '<')
			r = buf_puts(b, "&lt;");
		else if (*s == '`' || *s == '*' || *s == '_' || *s == '[' || *s == ']')
			r = buf_printf(b, "\\%c", *s);
		else
			r = buf_append(b, s, 1);
		if (r < 0)
			return -1;
	}
	return 0;
}

static int joined(struct buf *b, char **v, size_t n, size_t max)
{
	for (size_t i = 0; i < n && i < max; i++)
		if ((i && buf_puts(b, ", ") < 0) || buf_puts(b, "`") < 0 || cell(b, v[i]) < 0 || buf_puts(b, "`") < 0)
			return -1;
	if (n > max && buf_trf(b, M_R_MORE, n - max) < 0)
		return -1;
	return 0;
}

static int md(const struct render_doc *d, struct buf *b)
{
	char gen[32];
	tm_utc_iso(d->generated, gen, sizeof gen);
	int rc = buf_printf(b, "# reflexe %s\n\n- %s ", d->applet, tr(M_R_TENANT)) |
		 cell(b, d->tenant && *d->tenant ? d->tenant : "?") |
		 buf_printf(b, "\n- %s ", tr(M_R_CASE)) | cell(b, d->case_dir) |
		 buf_printf(b, "\n- %s\n", gen);
	if (d->since && d->until) {
		char s[32], u[32];
		tm_utc_iso(d->since, s, sizeof s);
		tm_utc_iso(d->until, u, sizeof u);
		rc |= buf_printf(b, "- %s %s → %s\n", tr(M_R_WINDOW), s, u);
	}
	const struct rule_verdict *v0 = d->verdict;
	for (size_t p = 0; v0 && p < (v0->npart ? v0->npart : 1); p++) {
		const struct rule_verdict *v = v0->npart ? &v0->part[p] : v0;
		rc |= buf_printf(b, "\n## %s\n\n**%s%s%s**\n\n", tr(v->question), tr(v->subject), tr(M_R_COLON),
				 render_verdict_word(v->v));
		if (v->why[0])
			rc |= cell(b, L(v->why)) | buf_puts(b, "\n\n");
		for (size_t i = 0; i < v->nreasons; i++)
			rc |= buf_printf(b, "- %s (%s, %s)%s", v->reasons[i]->rule->id,
					 rule_sev_label(v->reasons[i]->sev), rule_status_label(v->reasons[i]->status),
					 tr(M_R_COLON)) |
			      cell(b, L(v->reasons[i]->detail)) | buf_puts(b, "\n");
		for (size_t i = 0; i < v->nextra; i++)
			rc |= buf_printf(b, "\n%s%s", tr(v->extra[i].label), tr(M_R_COLON)) | cell(b, L(v->extra[i].value)) |
			      buf_puts(b, "\n");
	}
	const struct finding **o = render_order(d->fs);
	if (!o)
		return -1;
	rc |= buf_printf(b, "\n## %s\n\n| %s | %s | %s | %s | %s | %s |\n|---|---|---|---|---|---|\n",
			 tr(M_R_FINDINGS), tr(M_R_COL_ID), tr(M_R_COL_SEV), tr(M_R_COL_STATUS), tr(M_R_COL_FICHE),
			 tr(M_R_COL_DETAIL), tr(M_R_OBJECTS));
	for (size_t i = 0; i < d->fs->n && rc == 0; i++) {
		const struct finding *f = o[i];
		rc = buf_printf(b, "| %s | %s | %s | %s | ", f->rule->id, rule_sev_label(f->sev),
				rule_status_label(f->status), f->rule->fiche) |
		     cell(b, tr(f->rule->title)) | buf_puts(b, " — ") | cell(b, L(f->detail)) | buf_puts(b, " | ") |
		     joined(b, f->obj, f->nobj, 12) | buf_puts(b, " |\n");
	}
	free(o);
	if (d->fs->nu) {
		rc |= buf_printf(b, "\n## %s\n\n| %s | %s | %s |\n|---|---|---|\n", tr(M_R_UNKNOWN), tr(M_R_COL_ID),
				 tr(M_R_COL_DETAIL), tr(M_R_NEEDS));
		for (size_t i = 0; i < d->fs->nu && rc == 0; i++)
			rc = buf_puts(b, "| ") | cell(b, d->fs->u[i].check) | buf_puts(b, " | ") |
			     cell(b, L(d->fs->u[i].reason)) | buf_puts(b, " | ") | cell(b, d->fs->u[i].needs) |
			     buf_puts(b, " |\n");
	}
	return rc ? -1 : 0;
}

int render_md(const struct render_doc *d, struct buf *b)
{
	size_t from = b->len;
	int rc = md(d, b);
	if (rc == 0)
		render_tame(b, from);
	return rc;
}
