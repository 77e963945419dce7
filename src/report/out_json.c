/*
 * The report as one JSON document: DESIGN.md's header fields, then the
 * seal, the checks read, Mesure 1 per action, the signals, the axes, the
 * gravity (floor, ceiling, computed, retained, rule, override), the
 * 72-hour clock, every item of the questionnaire (value, proposal,
 * source, note), the containment plan and what could not be answered.
 * Codes are language-free (ids, "majeur", "etendu"…); free texts are in
 * the user's language.
 */
#include <stdio.h>
#include <string.h>

#include "courante/courante.h"
#include "report/report.h"

static int kv(struct buf *b, const char *k, const char *v, int comma)
{
	if ((comma && buf_puts(b, ",") < 0) || json_put_str(b, k) < 0 || buf_puts(b, ":") < 0)
		return -1;
	return v ? json_put_str(b, v) : buf_puts(b, "null");
}

static int kt(struct buf *b, const char *k, int64_t t, int comma)
{
	char iso[32];
	if (!t)
		return kv(b, k, NULL, comma);
	tm_utc_iso(t, iso, sizeof iso);
	return kv(b, k, iso, comma);
}

static int kb(struct buf *b, const char *k, int v, int comma)
{
	return (comma ? buf_puts(b, ",") : 0) | json_put_str(b, k) | buf_puts(b, v ? ":true" : ":false");
}

static const char *axis_key(int axis, int v)
{
	static const char *const k[4][4] = {
		{ "indetermine", "circonscrit", "etendu", "" },
		{ "indetermine", "faible", "modere", "fort" },
		{ "indeterminee", "non_urgente", "urgente", "" },
		{ "inconnue", "nulle", "limitee", "serieuse" },
	};
	return k[axis][v + 1];
}

static int world(struct buf *b, const char *k, const struct rep_world *w)
{
	char rule[8];
	snprintf(rule, sizeof rule, "G%d", w->rule);
	return buf_puts(b, ",") | json_put_str(b, k) | buf_puts(b, ":{") | kv(b, "value", rep_grav_key(w->g), 0) |
	       kv(b, "rule", rule, 1) | buf_puts(b, "}");
}

static const char *tsrc(enum rep_tsrc s)
{
	return s == TS_ANSWER ? "answer" : s == TS_COURANTE ? "courante" : NULL;
}

static int value(struct buf *b, const struct rep *r, enum rep_q q, int v, int comma, const char *k)
{
	const struct rep_ans *a = &r->an.a[q];
	enum rep_vt vt = rep_qdefs[q].vt;
	if (a->set && a->v == v && a->text && (vt == VT_TEXT || vt == VT_TIME || vt == VT_DECL ||
					       (vt == VT_LIST && v == 1)))
		return kv(b, k, a->text, comma);
	return kv(b, k, rep_value_key(q, v), comma);
}

int rep_json(const struct rep *r, struct buf *b)
{
	const struct rep_qual *q = &r->q;
	char gen[32];
	tm_utc_iso(r->now, gen, sizeof gen);
	int rc = buf_puts(b, "{") | kv(b, "tool", "reflexe", 0) | kv(b, "version", REFLEXE_VERSION, 1) |
		 kv(b, "applet", "report", 1) | kv(b, "tenant", r->tenant[0] ? r->tenant : NULL, 1) |
		 kv(b, "case", r->case_dir, 1) | kv(b, "generated", gen, 1) | kb(b, "final", r->final, 1) |
		 kb(b, "demo", r->demo, 1);
	rc |= buf_puts(b, ",\"seal\":{") | kv(b, "manifest_sha256", r->seal.manifest_sha[0] ? r->seal.manifest_sha : NULL, 0) |
	      kv(b, "file", r->seal.seal_rel[0] ? r->seal.seal_rel : NULL, 1) |
	      kv(b, "answers_sha256", r->seal.answers_sha[0] ? r->seal.answers_sha : NULL, 1) |
	      kv(b, "courante_head", r->seal.head[0] ? r->seal.head : NULL, 1) |
	      buf_printf(b, ",\"courante_lines\":%lld}", r->seal.lines);
	long long bad = r->log->bad_line ? r->log->bad_line : r->log->torn.line;
	rc |= buf_puts(b, ",\"courante\":{") | kb(b, "intact", !bad, 0);
	rc |= bad ? buf_printf(b, ",\"altered_from_line\":%lld}", bad) : buf_puts(b, ",\"altered_from_line\":null}");
	rc |= buf_puts(b, ",\"checks\":{");
	for (int c = 0; c < CHK__N; c++) {
		const struct rep_doc *d = rep_doc_of(&r->fs, rep_chks[c].applet);
		rc |= buf_puts(b, c ? "," : "") | json_put_str(b, rep_chks[c].applet) | buf_puts(b, ":{") |
		      kb(b, "run", d != NULL, 0) | kv(b, "verdict", rep_verdict_name(d ? d->verdict : V_NOT_RUN), 1) |
		      kt(b, "generated", d ? d->generated : 0, 1) | kv(b, "sha256", d ? d->sha : NULL, 1) |
		      buf_puts(b, "}");
	}
	rc |= buf_puts(b, "},\"mesure1\":{");
	for (int a = 0; a < ACT__N; a++) {
		rc |= buf_puts(b, a ? "," : "") | json_put_str(b, rep_act_code(a)) | buf_puts(b, ":{") |
		      kv(b, "evidence", rep_verdict_name(q->act_ev[a]), 0) |
		      kv(b, "retained", rep_verdict_name(q->act[a]), 1) | buf_puts(b, ",\"findings\":[");
		struct mdl_map seen = { 0 };
		int first = 1;
		for (size_t i = 0; i < r->fs.nf && !rc; i++) {
			const struct rep_finding *f = &r->fs.f[i];
			if (!rep_finding_counts(f) || !f->fiche || strncmp(f->fiche, rep_act_code(a), 3) ||
			    mdl_map_get(&seen, f->id) != MDL_NONE)
				continue;
			rc |= mdl_map_put(&seen, f->id, i) | buf_puts(b, first ? "" : ",") | json_put_str(b, f->id);
			first = 0;
		}
		mdl_map_free(&seen);
		rc |= buf_puts(b, "]}");
	}
	rc |= buf_puts(b, "},\"signals\":{");
	int first = 1;
	for (int s = 0; s < SIG__N; s++) {
		if (!(q->sig & SIG_BIT(s)))
			continue;
		rc |= kv(b, rep_sig_name(s), q->sig_ids[s], !first);
		first = 0;
	}
	rc |= buf_puts(b, "},\"axes\":{");
	static const char *const axn[] = { "perimetre", "impact", "urgence", "menace" };
	const int sv[] = { q->shown.perim, q->shown.impact, q->shown.urg, q->shown.menace };
	const int fv[] = { q->floor.perim, q->floor.impact, q->floor.urg, q->floor.menace };
	const int cv[] = { q->ceil.perim, q->ceil.impact, q->ceil.urg, q->ceil.menace };
	for (int i = 0; i < 4; i++)
		rc |= buf_puts(b, i ? "," : "") | json_put_str(b, axn[i]) | buf_puts(b, ":{") |
		      kv(b, "value", axis_key(i, sv[i]), 0) | kv(b, "floor", axis_key(i, fv[i]), 1) |
		      kv(b, "ceiling", axis_key(i, cv[i]), 1) | buf_puts(b, "}");
	char rule[8];
	snprintf(rule, sizeof rule, "G%d", q->computed_rule);
	rc |= buf_puts(b, "},\"gravity\":{") | kv(b, "retained", rep_grav_key(q->retained), 0) |
	      kv(b, "computed", rep_grav_key(q->computed), 1) | kv(b, "rule", rule, 1) |
	      world(b, "floor", &q->floor) | world(b, "ceiling", &q->ceil) | kb(b, "override", q->override, 1) |
	      kv(b, "justification", r->an.a[Q_Q_JUSTIF].set ? r->an.a[Q_Q_JUSTIF].text : NULL, 1) |
	      kb(b, "presumed", q->presumed, 1) | kb(b, "decide_crisis", q->decide_crisis, 1) |
	      kb(b, "help_needed", q->help_needed, 1) | buf_puts(b, ",\"deciding\":[");
	for (size_t i = 0; i < q->ndeciding; i++)
		rc |= buf_printf(b, "%s\"%s.%s\"", i ? "," : "", rep_qdefs[q->deciding[i]].sect,
				 rep_qdefs[q->deciding[i]].key);
	const struct rep_clock *c = &r->clock;
	rc |= buf_puts(b, "]},\"clock\":{") | kb(b, "applies", c->applies, 0) | kb(b, "prenotify", c->prenotify, 1) |
	      kt(b, "discovered", c->discovered, 1) | kv(b, "discovered_source", tsrc(c->disc_src), 1) |
	      kt(b, "awareness", c->t0, 1) | kv(b, "awareness_source", tsrc(c->t0_src), 1) |
	      kb(b, "presumed", c->t0_presumed, 1) | kt(b, "deadline", c->deadline, 1) |
	      kb(b, "overdue", c->t0 && c->left < 0, 1) | kt(b, "declared", c->declared, 1);
	rc |= c->t0 ? buf_printf(b, ",\"left_hours\":%lld", (long long)(c->left >= 0 ? c->left / 3600 : -((-c->left) / 3600)))
		    : buf_puts(b, ",\"left_hours\":null");
	rc |= buf_puts(b, "},\"answers\":{");
	for (int k = 0; k < Q__N; k++) {
		const struct rep_item *it = &q->it[k];
		const struct rep_qdef *d = &rep_qdefs[k];
		char key[80];
		snprintf(key, sizeof key, "%s.%s", d->sect, d->key);
		rc |= buf_puts(b, k ? ",\n" : "\n") | json_put_str(b, key) | buf_puts(b, ":{") |
		      value(b, r, (enum rep_q)k, it->v, 0, "value");
		rc |= it->has_auto ? value(b, r, (enum rep_q)k, it->auto_v, 1, "auto") : kv(b, "auto", NULL, 1);
		rc |= kv(b, "source", it->src == SRC_ANSWER ? "answer" : it->src == SRC_AUTO ? "auto" : "none", 1) |
		      kv(b, "why", it->why[0] ? it->why : NULL, 1) | kb(b, "presumed", it->presumed, 1) |
		      kv(b, "note", r->an.a[k].note, 1) | buf_puts(b, "}");
	}
	rc |= buf_puts(b, "},\"actions\":[");
	for (size_t i = 0; i < r->plan.n; i++) {
		const struct rep_step *s = &r->plan.s[i];
		rc |= buf_puts(b, i ? ",\n{" : "\n{") | kv(b, "title", tr(rep_plan_title(s->kind)), 0) |
		      kv(b, "findings", s->id, 1) | kv(b, "object", s->obj, 1) | kv(b, "commands", s->cmd, 1) |
		      buf_puts(b, "}");
	}
	rc |= buf_puts(b, "],\"unknown\":[");
	for (size_t i = 0; i < r->fs.nu; i++) {
		const struct rep_unknown *u = &r->fs.u[i];
		const char *reason = u->reason[i18n_lang()] ? u->reason[i18n_lang()] : u->reason[!i18n_lang()];
		rc |= buf_puts(b, i ? ",\n{" : "\n{") | kv(b, "applet", u->applet, 0) | kv(b, "check", u->check, 1) |
		      kv(b, "reason", reason, 1) | kv(b, "needs", u->needs, 1) | buf_puts(b, "}");
	}
	rc |= buf_puts(b, "]}\n");
	return rc ? -1 : 0;
}
