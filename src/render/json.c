/*
 * The JSON document of DESIGN.md's command-line contract:
 *   {"tool","version","applet","tenant","case","generated",
 *    "findings":[{"id","severity","status","fiche","title","detail",
 *                 "objects":[…],"evidence":[…],"compromise","at"?,"step",
 *                 "lang":{"fr":{…},"en":{…}}}],
 *    "unknown":[{"check","reason","needs","lang"}]}
 * plus, for a check that answers a question of the fiche, "window" and
 * "verdict" {question, subject, answer, text, why, reasons, its extra
 * lines by key, fiche, lang}. Texts are in the user's language; ids,
 * codes and the answer keyword are not. "lang" carries the texts in both
 * languages, so that the report (report/) can be written in the other
 * language than the run's: it reads this document, not the rules.
 */
#include <stdlib.h>
#include <string.h>

#include "render/render.h"

#ifndef REFLEXE_VERSION
#define REFLEXE_VERSION "?"
#endif

/* A trace of the attacker only where the finding counts (suspect or
 * confirmed, above info): a rule's flag on a clear or info line would
 * read as an accusation to whoever parses the document. */
static int trace(const struct finding *f)
{
	return f->compromise && f->status >= ST_SUSPECT && f->sev > SEV_INFO;
}

static const char *L(char *const v[2]) { return v[i18n_lang()] ? v[i18n_lang()] : ""; }

static int kv(struct buf *b, const char *k, const char *v, int comma)
{
	if ((comma && buf_puts(b, ",") < 0) || json_put_str(b, k) < 0 || buf_puts(b, ":") < 0)
		return -1;
	return v ? json_put_str(b, v) : buf_puts(b, "null");
}

static int arr(struct buf *b, const char *k, char **v, size_t n)
{
	if (buf_puts(b, ",") < 0 || json_put_str(b, k) < 0 || buf_puts(b, ":[") < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if ((i && buf_puts(b, ",") < 0) || json_put_str(b, v[i]) < 0)
			return -1;
	return buf_puts(b, "]");
}

/* "lang":{"fr":{k0:v0[FR],…},"en":{…}}: n texts, each in both languages. */
static int both(struct buf *b, size_t n, const char *const *keys, const char *const (*v)[2])
{
	static const char *const tag[2] = { "fr", "en" };
	int rc = buf_puts(b, ",\"lang\":{");
	for (int l = LANG_FR; l <= LANG_EN && rc == 0; l++) {
		rc = buf_printf(b, "%s\"%s\":{", l ? "," : "", tag[l]);
		for (size_t i = 0; i < n && rc == 0; i++)
			rc = kv(b, keys[i], v[i][l], i > 0);
		rc |= buf_puts(b, "}");
	}
	return rc | buf_puts(b, "}");
}

static int verdict(struct buf *b, const struct rule_verdict *v, const char *fiche)
{
	struct buf t = { 0 };
	if (buf_printf(&t, "%s%s%s", tr(v->subject), tr(M_R_COLON), render_verdict_word(v->v)) < 0)
		return -1;
	int rc = buf_puts(b, ",\"verdict\":{") | kv(b, "question", tr(v->question), 0) |
		 kv(b, "subject", tr(v->subject), 1) | kv(b, "answer", rule_verdict_name(v->v), 1) |
		 kv(b, "text", t.p, 1) | kv(b, "why", v->why[0] ? L(v->why) : NULL, 1) |
		 buf_puts(b, ",\"reasons\":[");
	buf_free(&t);
	for (size_t i = 0; i < v->nreasons && rc == 0; i++) {
		const struct finding *f = v->reasons[i];
		rc = buf_puts(b, i ? ",{" : "{") | kv(b, "id", f->rule->id, 0) |
		     kv(b, "severity", rule_sev_name(f->sev), 1) | kv(b, "status", rule_status_name(f->status), 1) |
		     kv(b, "detail", L(f->detail), 1) | buf_puts(b, "}");
	}
	rc |= buf_puts(b, "]");
	for (size_t i = 0; i < v->nextra && rc == 0; i++) {
		const struct verdict_line *l = &v->extra[i];
		rc = buf_puts(b, ",") | json_put_str(b, l->key) | buf_puts(b, ":{") |
		     kv(b, "answer", l->code, 0) | kv(b, "text", L(l->value), 1) | buf_puts(b, "}");
	}
	if (fiche)
		rc |= kv(b, "fiche", fiche, 1);
	/* One answer per action of the fiche (check-mail), each with the
	 * keys above and its own "fiche". */
	if (v->npart) {
		rc |= buf_puts(b, ",\"actions\":[");
		for (size_t i = 0; i < v->npart && rc == 0; i++) {
			rc = buf_puts(b, i ? ",{" : "{");
			struct buf part = { 0 };
			/* verdict() writes ",\"verdict\":{…}": keep what follows the key */
			if (rc == 0 && verdict(&part, &v->part[i], v->part[i].fiche) == 0 && part.p)
				rc = buf_puts(b, strchr(part.p, '{') + 1);
			else
				rc = -1;
			buf_free(&part);
		}
		rc |= buf_puts(b, "]");
	}
	/* The answer's sentence in both languages. */
	struct buf t2[2] = { { 0 }, { 0 } };
	for (int l = LANG_FR; l <= LANG_EN && rc == 0; l++)
		rc = buf_printf(&t2[l], "%s%s%s", tr_lang(v->subject, (enum lang)l),
				tr_lang(M_R_COLON, (enum lang)l), tr_lang(render_verdict_msg(v->v), (enum lang)l));
	static const char *const keys[] = { "text", "why" };
	const char *const vals[2][2] = { { t2[0].p, t2[1].p }, { v->why[0], v->why[1] } };
	if (rc == 0)
		rc = both(b, v->why[0] ? 2 : 1, keys, vals);
	buf_free(&t2[0]);
	buf_free(&t2[1]);
	return rc | buf_puts(b, "}");
}

int render_json(const struct render_doc *d, struct buf *b)
{
	char gen[32], s[32], u[32];
	tm_utc_iso(d->generated, gen, sizeof gen);
	int rc = buf_puts(b, "{") | kv(b, "tool", "reflexe", 0) | kv(b, "version", REFLEXE_VERSION, 1) |
		 kv(b, "applet", d->applet, 1) | kv(b, "tenant", d->tenant && *d->tenant ? d->tenant : NULL, 1) |
		 kv(b, "case", d->case_dir, 1) | kv(b, "generated", gen, 1);
	if (rc == 0 && d->since && d->until) {
		tm_utc_iso(d->since, s, sizeof s);
		tm_utc_iso(d->until, u, sizeof u);
		rc = buf_puts(b, ",\"window\":{") | kv(b, "since", s, 0) | kv(b, "until", u, 1) | buf_puts(b, "}");
	}
	if (rc == 0 && d->verdict)
		rc = verdict(b, d->verdict, d->fiche);
	const struct finding **o = render_order(d->fs);
	if (!o)
		return -1;
	rc |= buf_puts(b, ",\"findings\":[");
	for (size_t i = 0; i < d->fs->n && rc == 0; i++) {
		const struct finding *f = o[i];
		rc = buf_puts(b, i ? ",\n{" : "\n{") | kv(b, "id", f->rule->id, 0) |
		     kv(b, "severity", rule_sev_name(f->sev), 1) | kv(b, "status", rule_status_name(f->status), 1) |
		     kv(b, "fiche", f->rule->fiche, 1) | kv(b, "title", tr(f->rule->title), 1) |
		     kv(b, "detail", L(f->detail), 1) | arr(b, "objects", f->obj, f->nobj) |
		     arr(b, "evidence", f->ev, f->nev) |
		     buf_printf(b, ",\"compromise\":%s", trace(f) ? "true" : "false");
		if (rc == 0 && f->at) {
			char at[32];
			tm_utc_iso(f->at, at, sizeof at);
			rc = kv(b, "at", at, 1);
		}
		if (rc == 0)
			rc = kv(b, "step", tr(f->rule->step), 1);
		static const char *const keys[] = { "title", "step", "detail" };
		const char *const vals[3][2] = {
			{ tr_lang(f->rule->title, LANG_FR), tr_lang(f->rule->title, LANG_EN) },
			{ tr_lang(f->rule->step, LANG_FR), tr_lang(f->rule->step, LANG_EN) },
			{ f->detail[0], f->detail[1] },
		};
		if (rc == 0)
			rc = both(b, 3, keys, vals) | buf_puts(b, "}");
	}
	free(o);
	rc |= buf_puts(b, "],\"unknown\":[");
	for (size_t i = 0; i < d->fs->nu && rc == 0; i++) {
		const struct unknown *x = &d->fs->u[i];
		static const char *const keys[] = { "reason" };
		const char *const vals[1][2] = { { x->reason[0], x->reason[1] } };
		rc = buf_puts(b, i ? ",\n{" : "\n{") | kv(b, "check", x->check, 0) |
		     kv(b, "reason", L(x->reason), 1) | kv(b, "needs", x->needs, 1) |
		     both(b, 1, keys, vals) | buf_puts(b, "}");
	}
	rc |= buf_puts(b, "]}\n");
	return rc ? -1 : 0;
}
