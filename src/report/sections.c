/*
 * The qualification report's sections, in the order: the
 * fiche's five answers, the gravity (its rule, what could raise it), the
 * 72-hour clock and the declarations, what was found per action of the
 * fiche, what could not be answered and what it needs, the attack
 * timeline, the containment plan, the notification draft for the DPO,
 * the post-incident review draft, the logbook, the evidence seal.
 * Written once as blocks of plain text (report.h); out_html.c and
 * out_md.c lay them out and escape them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "courante/courante.h"
#include "report/report.h"

#define TRY(x) do { if ((x) < 0) return -1; } while (0)

/* "2026-11-22 08:40 UTC (09:40 +01:00)": UTC for the record, the local
 * time beside it when the host is not on UTC. */
static const char *when(struct rep_out *o, int64_t t)
{
	char iso[32], loc[48], out[96];
	if (!t)
		return tr(M_REP_UNKNOWN_TIME);
	tm_utc_iso(t, iso, sizeof iso);
	int off = tm_local_offset(t);
	snprintf(out, sizeof out, "%.10s %.5s UTC", iso, iso + 11);
	if (off) {
		cour_local_str(t, off, loc, sizeof loc);
		snprintf(out + strlen(out), sizeof out - strlen(out), " (%.16s %s)", loc + 11,
			 loc + strlen(loc) - 6);
	}
	return rep_str(o, out);
}

static const char *sev_word(int s)
{
	static const enum msg_id w[] = { M_SEV_INFO, M_SEV_LOW, M_SEV_MEDIUM, M_SEV_HIGH, M_SEV_CRITICAL };
	return tr(w[s]);
}

static const char *st_word(int s)
{
	static const enum msg_id w[] = { M_ST_CLEAR, M_ST_SUSPECT, M_ST_CONFIRMED };
	return tr(w[s]);
}

static const char *L2(const char *const v[2])
{
	const char *s = v[i18n_lang()];
	return s ? s : v[!i18n_lang()] ? v[!i18n_lang()] : "";
}

static const char *join(struct rep_out *o, const char *const *v, size_t n, size_t max)
{
	struct buf b = { 0 };
	int r = 0;
	for (size_t i = 0; i < n && i < max; i++)
		r |= buf_printf(&b, "%s%s", i ? ", " : "", v[i]);
	if (n > max)
		r |= buf_trf(&b, M_REP_AND_MORE, n - max);
	const char *s = r ? NULL : rep_str(o, b.p ? b.p : "");
	buf_free(&b);
	return s;
}

/* The value of item q as the report shows it, with where it came from. */
static const char *item_value(const struct rep *r, enum rep_q q)
{
	const struct rep_item *it = &r->q.it[q];
	const struct rep_ans *a = &r->an.a[q];
	enum rep_vt vt = rep_qdefs[q].vt;
	if (it->src == SRC_ANSWER && a->text && (vt == VT_TEXT || vt == VT_TIME || vt == VT_DECL ||
						 (vt == VT_LIST && a->v == 1)))
		return a->text;
	return rep_value_word(q, it->v);
}

static const char *item_source(struct rep_out *o, const struct rep *r, enum rep_q q)
{
	const struct rep_item *it = &r->q.it[q];
	if (it->src == SRC_ANSWER && it->has_auto && it->auto_v != it->v)
		return rep_fmt(o, M_REP_SRC_OVER, rep_value_word(q, it->auto_v), it->why);
	if (it->src == SRC_ANSWER && it->has_auto && it->why[0])
		return rep_fmt(o, M_REP_SRC_AGREED, it->why);
	if (it->src == SRC_ANSWER)
		return tr(M_REP_SRC_ANSWER);
	if (it->src == SRC_AUTO)
		return rep_fmt(o, it->presumed ? M_REP_SRC_PRESUMED : M_REP_SRC_AUTO, it->why);
	return tr(M_REP_SRC_NONE);
}

/* ---- 1. cover ------------------------------------------------------------------------ */

static int cover(const struct rep *r, struct rep_out *o)
{
	char sp[17];
	snprintf(sp, sizeof sp, "%.16s", r->seal.manifest_sha);
	o->title = tr(M_REP_TITLE);
	o->subtitle = rep_fmt(o, M_REP_SUBTITLE, r->tenant[0] ? r->tenant : "?", r->case_name);
	o->stamp = r->demo ? rep_fmt(o, M_REP_STAMP_DEMO, r->final ? "" : tr(M_REP_PROVISOIRE))
			   : r->final ? NULL : tr(M_REP_PROVISOIRE);
	o->footer = rep_fmt(o, M_REP_FOOTER, r->case_name, sp);
	long long bad = r->log->bad_line ? r->log->bad_line : r->log->torn.line;
	if (bad)
		o->banner = rep_fmt(o, M_REP_BANNER_LOG, bad);
	TRY(rep_sec_new(o, "couverture", tr(M_REP_S_COVER)));
	if (o->banner)
		TRY(rep_alert(o, o->banner));
	TRY(rep_alert(o, rep_fmt(o, M_REP_COVER_GRAVITY, rep_grav_word(r->q.retained))));
	TRY(rep_kv(o, tr(M_REP_K_TENANT), r->tenant[0] ? r->tenant : "?"));
	TRY(rep_kv(o, tr(M_REP_K_CASE), r->case_dir));
	TRY(rep_kv(o, tr(M_REP_K_CASE_ID), r->case_id[0] ? r->case_id : "?"));
	TRY(rep_kv(o, tr(M_REP_K_GENERATED), when(o, r->now)));
	TRY(rep_kv(o, tr(M_REP_K_TOOL), "reflexe " REFLEXE_VERSION));
	TRY(rep_kv(o, tr(M_REP_K_SEAL), r->seal.manifest_sha[0] ? r->seal.manifest_sha : "—"));
	TRY(rep_kv(o, tr(M_REP_K_HEAD), r->seal.head[0] ? rep_fmt(o, M_REP_HEAD_LINES, r->seal.head,
								    r->seal.lines) : "—"));
	if (!r->final)
		TRY(rep_p(o, tr(M_REP_PROVISOIRE_WHY)));
	return 0;
}

/* ---- 2. the five answers ------------------------------------------------------------ */

static const char *types_found(struct rep_out *o, const struct rep *r)
{
	static const enum msg_id t[ACT__N] = { M_REP_T_1A, M_REP_T_1B, M_REP_T_1C, M_REP_T_1D, M_REP_T_1E };
	const char *v[ACT__N];
	size_t n = 0;
	for (int a = 0; a < ACT__N; a++)
		if (r->q.act[a] == V_CONFIRMED || r->q.act[a] == V_SUSPECTED)
			v[n++] = rep_fmt(o, M_REP_TYPE_IS, tr(t[a]), rep_verdict_word(r->q.act[a]));
	return n ? join(o, v, n, ACT__N) : tr(M_REP_NO_TYPE);
}

static const char *range(struct rep_out *o, const struct rep_qual *q, int axis, int fl, int ce)
{
	if (fl == ce)
		return rep_axis_word(axis, q ? fl : fl);
	return rep_fmt(o, M_REP_RANGE, rep_axis_word(axis, fl), rep_axis_word(axis, ce));
}

static int synthese(const struct rep *r, struct rep_out *o)
{
	const struct rep_qual *q = &r->q;
	TRY(rep_sec_new(o, "synthese", tr(M_REP_S_SYNTH)));
	TRY(rep_alert(o, rep_fmt(o, q->presumed ? M_REP_GRAV_PRESUMED : M_REP_GRAV_LINE,
				 rep_grav_word(q->retained), q->computed_rule)));
	if (q->ceil.g > q->floor.g && q->floor.g != G_INDET)
		TRY(rep_p(o, rep_fmt(o, M_REP_UP_TO, rep_grav_word(q->ceil.g), q->ceil.rule)));
	const char *head[] = { tr(M_REP_C_QUESTION), tr(M_REP_C_ANSWER), tr(M_REP_C_BASIS) };
	TRY(rep_table(o, 3, head));
	const char *row1[] = { tr(M_REP_Q5_TYPE), rep_value_word(Q_Q_TYPE, q->it[Q_Q_TYPE].v), types_found(o, r) };
	const char *row2[] = { tr(M_REP_Q5_PERIM), rep_axis_word(0, q->shown.perim),
			       rep_fmt(o, M_REP_FLOOR_CEIL, range(o, q, 0, q->floor.perim, q->ceil.perim)) };
	const char *row3[] = { tr(M_REP_Q5_IMPACT), rep_axis_word(1, q->shown.impact),
			       rep_fmt(o, M_REP_FLOOR_CEIL, range(o, q, 1, q->floor.impact, q->ceil.impact)) };
	const char *row4[] = { tr(M_REP_Q5_URG), rep_axis_word(2, q->shown.urg),
			       rep_fmt(o, M_REP_FLOOR_CEIL, range(o, q, 2, q->floor.urg, q->ceil.urg)) };
	const char *row5[] = { tr(M_REP_Q5_GRAV), rep_grav_word(q->retained),
			       rep_fmt(o, M_REP_MENACE_IS, rep_axis_word(3, q->shown.menace)) };
	TRY(rep_row(o, row1));
	TRY(rep_row(o, row2));
	TRY(rep_row(o, row3));
	TRY(rep_row(o, row4));
	TRY(rep_row(o, row5));
	TRY(rep_kv(o, tr(M_REP_K_GA), rep_fmt(o, M_REP_VAL_SRC, item_value(r, Q_I_GA_SAIN),
					     item_source(o, r, Q_I_GA_SAIN))));
	const char *ck;
	if (!r->clock.applies)
		ck = tr(M_REP_CLOCK_NA);
	else if (!r->clock.t0)
		ck = tr(M_REP_CLOCK_NO_T0);
	else if (r->clock.left < 0)
		ck = rep_fmt(o, M_REP_CLOCK_OVER, when(o, r->clock.deadline), (long long)(-r->clock.left / 3600));
	else
		ck = rep_fmt(o, M_REP_CLOCK_LEFT, when(o, r->clock.deadline), (long long)(r->clock.left / 3600),
			     (long long)(r->clock.left % 3600 / 60));
	TRY(rep_kv(o, tr(M_REP_K_CLOCK), ck));
	if (r->box_min)
		TRY(rep_kv(o, tr(M_REP_K_TIMEBOX), rep_fmt(o, M_REP_TIMEBOX, r->box_min, when(o, r->box_origin),
							  (long long)((r->now - r->box_origin) / 60))));
	const char *nr[CHK__N];
	size_t nn = 0;
	for (int c = 0; c < CHK__N; c++)
		if (!q->chk_run[c])
			nr[nn++] = rep_chks[c].applet;
	if (nn)
		TRY(rep_kv(o, tr(M_REP_K_NOT_RUN), join(o, nr, nn, CHK__N)));
	if (r->plan.n)
		TRY(rep_p(o, tr(M_REP_TOP_HEAD)));
	for (size_t i = 0; i < r->plan.n && i < 5; i++) {
		const struct rep_step *s = &r->plan.s[i];
		TRY(rep_li(o, rep_fmt(o, M_REP_TOP_ACTION, tr(rep_plan_title(s->kind)),
				      s->obj ? s->obj : "—", s->id)));
	}
	return 0;
}

/* ---- 3. gravity ---------------------------------------------------------------------------- */

static int gravite(const struct rep *r, struct rep_out *o)
{
	const struct rep_qual *q = &r->q;
	TRY(rep_sec_new(o, "gravite", tr(M_REP_S_GRAVITY)));
	TRY(rep_alert(o, rep_fmt(o, M_REP_GRAV_LINE, rep_grav_word(q->retained), q->computed_rule)));
	const char *head[] = { tr(M_REP_C_AXIS), tr(M_REP_C_NOW), tr(M_REP_C_FLOOR), tr(M_REP_C_CEIL) };
	TRY(rep_table(o, 4, head));
	static const enum msg_id ax[] = { M_REP_AXIS_PERIM, M_REP_AXIS_IMPACT, M_REP_AXIS_URG, M_REP_AXIS_MENACE };
	const int now[] = { q->shown.perim, q->shown.impact, q->shown.urg, q->shown.menace };
	const int fl[] = { q->floor.perim, q->floor.impact, q->floor.urg, q->floor.menace };
	const int ce[] = { q->ceil.perim, q->ceil.impact, q->ceil.urg, q->ceil.menace };
	for (int i = 0; i < 4; i++) {
		const char *row[] = { tr(ax[i]), rep_axis_word(i, now[i]), rep_axis_word(i, fl[i]), rep_axis_word(i, ce[i]) };
		TRY(rep_row(o, row));
	}
	const char *g[] = { tr(M_REP_C_GRAVITY), rep_grav_word(q->retained),
			    rep_fmt(o, M_REP_G_RULE, rep_grav_word(q->floor.g), q->floor.rule),
			    rep_fmt(o, M_REP_G_RULE, rep_grav_word(q->ceil.g), q->ceil.rule) };
	TRY(rep_row(o, g));
	TRY(rep_p(o, tr(M_REP_TABLE_EXPLAIN)));
	static const enum msg_id rules[] = { M_REP_G1, M_REP_G2, M_REP_G3, M_REP_G4, M_REP_G5, M_REP_G6 };
	for (int i = 0; i < 6; i++)
		TRY(rep_li(o, rep_fmt(o, M_REP_RULE_ROW, i + 1, tr(rules[i]),
				      q->floor.rule == i + 1 ? tr(M_REP_AT_FLOOR) : "",
				      q->ceil.rule == i + 1 ? tr(M_REP_AT_CEIL) : "")));
	if (q->computed == G_INDET && q->floor.g == G_ANOMALIE)
		TRY(rep_alert(o, tr(M_REP_INDET_WHY)));
	if (q->ndeciding) {
		TRY(rep_p(o, rep_fmt(o, M_REP_DECIDING, rep_grav_word(q->ceil.g))));
		for (size_t i = 0; i < q->ndeciding; i++) {
			const struct rep_qdef *d = &rep_qdefs[q->deciding[i]];
			TRY(rep_li(o, rep_fmt(o, M_REP_DECIDING_ITEM, tr(d->q), d->sect, d->key)));
		}
	}
	if (q->presumed)
		TRY(rep_p(o, tr(M_REP_PRESUMED_WHY)));
	if (q->override) {
		const struct rep_ans *j = &r->an.a[Q_Q_JUSTIF];
		TRY(rep_alert(o, rep_fmt(o, M_REP_OVERRIDE, rep_grav_word(q->computed), rep_grav_word(q->retained),
					 j->set ? j->text : "—")));
	}
	if (q->decide_crisis)
		TRY(rep_alert(o, tr(M_REP_DECIDE_CRISIS)));
	/* The fiche's « Suite des actions » */
	TRY(rep_p(o, tr(M_REP_NEXT_HEAD)));
	if (q->act[ACT_1A] == V_CONFIRMED || q->it[Q_Q_TYPE].v == 1 || q->retained >= G_MINEUR)
		TRY(rep_li(o, tr(M_REP_NEXT_ENDIGUEMENT)));
	TRY(rep_li(o, tr(M_REP_NEXT_GESTION)));
	if (q->retained == G_CRISE || q->decide_crisis)
		TRY(rep_li(o, tr(M_REP_NEXT_CRISE)));
	if (q->help_needed || q->it[Q_P_AIDE].v == 1)
		TRY(rep_li(o, tr(M_REP_NEXT_AIDE)));
	if (q->it[Q_P_ADMIN].v == 1 || q->it[Q_P_APP].v == 1)
		TRY(rep_quote(o, tr(M_REP_NOTE_2A)));
	if (q->it[Q_P_PERIPH].v == 1)
		TRY(rep_li(o, tr(M_REP_NEXT_SYSTEME)));
	TRY(rep_p(o, tr(M_REP_DEGREES)));
	static const enum msg_id deg[] = { M_REP_DEG_ANOMALIE, M_REP_DEG_MINEUR, M_REP_DEG_MAJEUR, M_REP_DEG_CRISE };
	for (int i = 0; i < 4; i++)
		TRY(rep_li(o, tr(deg[i])));
	return 0;
}

/* ---- 4. the clock and the declarations --------------------------------------------------------- */

static const char *tsrc(struct rep_out *o, enum rep_tsrc s, long long line)
{
	return s == TS_ANSWER ? tr(M_REP_TS_ANSWER) : s == TS_COURANTE ? rep_fmt(o, M_REP_TS_LINE, line) : "—";
}

static int horloge(const struct rep *r, struct rep_out *o)
{
	const struct rep_clock *c = &r->clock;
	TRY(rep_sec_new(o, "horloge", tr(M_REP_S_CLOCK)));
	if (!c->applies)
		TRY(rep_p(o, tr(M_REP_CLOCK_NA_LONG)));
	else {
		TRY(rep_kv(o, tr(M_REP_K_DISCOVERED), rep_fmt(o, M_REP_VAL_SRC, when(o, c->discovered),
								tsrc(o, c->disc_src, c->disc_line))));
		TRY(rep_kv(o, tr(M_REP_K_T0), c->t0_presumed ? rep_fmt(o, M_REP_T0_PRESUMED, when(o, c->t0))
							   : when(o, c->t0)));
		TRY(rep_kv(o, tr(M_REP_K_DEADLINE), c->t0 ? when(o, c->deadline) : tr(M_REP_CLOCK_NO_T0)));
		if (c->t0)
			TRY(rep_kv(o, tr(M_REP_K_LEFT), c->left < 0 ?
				   rep_fmt(o, M_REP_OVERDUE, (long long)(-c->left / 3600)) :
				   rep_fmt(o, M_REP_LEFT, (long long)(c->left / 3600), (long long)(c->left % 3600 / 60))));
		TRY(rep_kv(o, tr(M_REP_K_DECLARED), c->declared ? when(o, c->declared) : "—"));
		if (c->has_skew && (c->skew > 60 || c->skew < -60))
			TRY(rep_kv(o, tr(M_REP_K_SKEW), rep_fmt(o, M_REP_SKEW, (long long)c->skew)));
		if (c->prenotify)
			TRY(rep_alert(o, tr(M_REP_PRENOTIFY)));
		TRY(rep_p(o, tr(M_REP_CLOCK_WHY)));
	}
	const char *head[] = { tr(M_REP_C_WHO), tr(M_REP_C_STATE), tr(M_REP_C_WHY) };
	TRY(rep_table(o, 3, head));
	static const struct { enum rep_q q; enum msg_id who, why; } d[] = {
		{ Q_D_ASSUREUR, M_REP_D_ASSUREUR, M_REP_D_ASSUREUR_W },
		{ Q_D_ANSSI, M_REP_D_ANSSI, M_REP_D_ANSSI_W },
		{ Q_D_PLAINTE, M_REP_D_PLAINTE, M_REP_D_PLAINTE_W },
		{ Q_D_CNIL, M_REP_D_CNIL, M_REP_D_CNIL_W },
		{ Q_D_AUTRES, M_REP_D_AUTRES, M_REP_D_AUTRES_W },
		{ Q_D_MICROSOFT, M_REP_D_MICROSOFT, M_REP_D_MICROSOFT_W },
	};
	int org = r->q.it[Q_CTX_ORG].v;
	for (size_t i = 0; i < sizeof d / sizeof d[0]; i++) {
		const struct rep_ans *a = &r->an.a[d[i].q];
		const char *st = a->set ? a->text : tr(M_REP_TO_DECIDE);
		if (!a->set && d[i].q == Q_D_ANSSI && org >= 1 && org <= 4)
			st = tr(M_REP_REQUIRED);
		if (!a->set && d[i].q == Q_D_CNIL && c->applies)
			st = tr(c->prenotify ? M_REP_PREDECL : M_REP_REQUIRED);
		const char *row[] = { tr(d[i].who), st, tr(d[i].why) };
		TRY(rep_row(o, row));
	}
	return 0;
}

/* ---- 5. Mesure 1, per action ----------------------------------------------------------------------- */

static int findings_table(const struct rep *r, struct rep_out *o, const char *fiche, int *nclear)
{
	const char *head[] = { tr(M_REP_C_ID), tr(M_REP_C_SEV), tr(M_REP_C_FINDING), tr(M_REP_C_OBJECTS) };
	int started = 0;
	for (size_t i = 0; i < r->fs.nf; i++) {
		const struct rep_finding *f = &r->fs.f[i];
		if (!f->fiche || strncmp(f->fiche, fiche, 3))
			continue;
		if (!rep_finding_counts(f)) {
			(*nclear)++;
			continue;
		}
		if (!started++)
			TRY(rep_table(o, 4, head));
		const char *t = rep_fmt(o, M_REP_FINDING_TEXT, L2(f->title), L2(f->detail));
		const char *row[] = { f->id, rep_fmt(o, M_REP_SEV_ST, sev_word(f->sev), st_word(f->st)), t,
				      join(o, f->obj, f->nobj, 12) };
		TRY(rep_row(o, row));
	}
	return 0;
}

static int mesure1(const struct rep *r, struct rep_out *o)
{
	static const enum msg_id t[ACT__N] = { M_REP_T_1A, M_REP_T_1B, M_REP_T_1C, M_REP_T_1D, M_REP_T_1E };
	static const enum rep_q m1[ACT__N] = { Q_M1_A, Q_M1_B, Q_M1_C, Q_M1_D, Q_M1_E };
	TRY(rep_sec_new(o, "mesure1", tr(M_REP_S_M1)));
	const char *head[] = { tr(M_REP_C_ACTION), tr(M_REP_C_EVIDENCE), tr(M_REP_C_CONCLUSION), tr(M_REP_C_BY) };
	TRY(rep_table(o, 4, head));
	for (int a = 0; a < ACT__N; a++) {
		const char *by = r->an.a[m1[a]].set ? tr(M_REP_SRC_ANSWER) : tr(M_REP_BY_CHECKS);
		const char *row[] = { rep_fmt(o, M_REP_ACT_LABEL, rep_act_code(a), tr(t[a])),
				      rep_verdict_word(r->q.act_ev[a]), rep_verdict_word(r->q.act[a]), by };
		TRY(rep_row(o, row));
	}
	for (size_t d = 0; d < r->fs.nd; d++) {
		const struct rep_doc *doc = &r->fs.d[d];
		TRY(rep_li(o, rep_fmt(o, M_REP_DOC_LINE, doc->applet, rep_verdict_word(doc->verdict),
				      when(o, doc->generated), L2(doc->vtext)[0] ? L2(doc->vtext) : "")));
	}
	static const char *const fiches[] = { "1.a", "1.b", "1.c", "1.d", "1.e", "2.a" };
	for (size_t i = 0; i < sizeof fiches / sizeof fiches[0]; i++) {
		int nclear = 0;
		TRY(rep_p(o, rep_fmt(o, M_REP_FOUND_FOR, fiches[i])));
		size_t before = o->s[o->ns - 1].nb;
		TRY(findings_table(r, o, fiches[i], &nclear));
		if (o->s[o->ns - 1].nb == before)
			TRY(rep_p(o, tr(M_REP_NOTHING_FOUND)));
		if (nclear)
			TRY(rep_p(o, rep_fmt(o, M_REP_N_CLEAR, nclear)));
	}
	return 0;
}

/* ---- 6. Mesures 2, 3, 4 ---------------------------------------------------------------------------- */

static int mesures(const struct rep *r, struct rep_out *o)
{
	static const struct { enum rep_blkid b; enum msg_id title; int axis; } blocks[] = {
		{ BLK_PERIMETRE, M_REP_M2, 0 }, { BLK_IMPACT, M_REP_M3, 1 }, { BLK_URGENCE, M_REP_M4, 2 },
		{ BLK_QUALIF, M_REP_MQ, -1 }, { BLK_CONTEXTE, M_REP_MCTX, -1 }, { BLK_MESURE1, M_REP_MM1, -1 },
	};
	TRY(rep_sec_new(o, "mesures", tr(M_REP_S_M234)));
	const char *head[] = { tr(M_REP_C_QUESTION), tr(M_REP_C_ANSWER), tr(M_REP_C_SOURCE), tr(M_REP_C_NOTE) };
	const int shown[] = { r->q.shown.perim, r->q.shown.impact, r->q.shown.urg };
	for (size_t b = 0; b < sizeof blocks / sizeof blocks[0]; b++) {
		TRY(rep_p(o, tr(blocks[b].title)));
		TRY(rep_table(o, 4, head));
		for (int q = 0; q < Q__N; q++) {
			if (rep_qdefs[q].blk != blocks[b].b)
				continue;
			const char *row[] = { rep_fmt(o, M_REP_Q_KEY, tr(rep_qdefs[q].q), rep_qdefs[q].sect, rep_qdefs[q].key),
					      item_value(r, (enum rep_q)q), item_source(o, r, (enum rep_q)q),
					      r->an.a[q].note ? r->an.a[q].note : "" };
			TRY(rep_row(o, row));
		}
		if (blocks[b].axis >= 0)
			TRY(rep_alert(o, rep_fmt(o, M_REP_AXIS_CONCL, rep_axis_word(blocks[b].axis, shown[blocks[b].axis]))));
	}
	/* hints the evidence gives where it cannot answer */
	if (r->q.sig & SIG_BIT(SIG_SYNCED_ADMIN))
		TRY(rep_li(o, rep_fmt(o, M_REP_HINT_AD, r->q.sig_ids[SIG_SYNCED_ADMIN])));
	if (r->q.sig & SIG_BIT(SIG_EXFIL))
		TRY(rep_li(o, rep_fmt(o, M_REP_HINT_DONNEES, r->q.sig_ids[SIG_EXFIL])));
	if (r->q.sig & SIG_BIT(SIG_MAILBOX))
		TRY(rep_li(o, rep_fmt(o, M_REP_HINT_MAILBOX, r->q.sig_ids[SIG_MAILBOX])));
	return 0;
}

/* ---- 7. what could not be answered ----------------------------------------------------------------- */

static int sans_reponse(const struct rep *r, struct rep_out *o)
{
	TRY(rep_sec_new(o, "sans-reponse", tr(M_REP_S_UNKNOWN)));
	for (int c = 0; c < CHK__N; c++)
		if (!r->q.chk_run[c])
			TRY(rep_li(o, rep_fmt(o, M_REP_NOT_RUN, rep_chks[c].applet, rep_chks[c].applet)));
	if (r->fs.nu) {
		const char *head[] = { tr(M_REP_C_CHECK), tr(M_REP_C_REASON), tr(M_REP_C_NEEDS) };
		TRY(rep_table(o, 3, head));
		for (size_t i = 0; i < r->fs.nu; i++) {
			const struct rep_unknown *u = &r->fs.u[i];
			const char *row[] = { rep_fmt(o, M_REP_CHECK_OF, u->check, u->applet), L2(u->reason),
					      u->needs ? u->needs : "" };
			TRY(rep_row(o, row));
		}
	}
	size_t nsp = 0;
	for (int q = 0; q < Q__N; q++)
		if (r->q.it[q].v == NSP && rep_qdefs[q].blk >= BLK_PERIMETRE && rep_qdefs[q].blk <= BLK_URGENCE)
			nsp++;
	TRY(rep_p(o, rep_fmt(o, M_REP_NSP_COUNT, nsp)));
	for (int q = 0; q < Q__N; q++)
		if (r->q.it[q].v == NSP && rep_qdefs[q].blk >= BLK_PERIMETRE && rep_qdefs[q].blk <= BLK_URGENCE)
			TRY(rep_li(o, rep_fmt(o, M_REP_Q_KEY, tr(rep_qdefs[q].q), rep_qdefs[q].sect, rep_qdefs[q].key)));
	if (!r->fs.nu && !nsp && r->q.chk_run[CHK_ADMINS] && r->q.chk_run[CHK_MAIL] && r->q.chk_run[CHK_APPS])
		TRY(rep_p(o, tr(M_REP_ALL_ANSWERED)));
	return 0;
}

/* ---- 8. timeline --------------------------------------------------------------------------------------- */

struct ev { int64_t t; const char *src, *what; };

static int ev_cmp(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;
	return x->t < y->t ? -1 : x->t > y->t;
}

static int chronologie(const struct rep *r, struct rep_out *o)
{
	TRY(rep_sec_new(o, "chronologie", tr(M_REP_S_TIMELINE)));
	size_t n = 0, cap = r->fs.nf + r->log->n + 1;
	struct ev *v = calloc(cap, sizeof *v);
	if (!v)
		return err_set(E_NOMEM);
	for (size_t i = 0; i < r->fs.nf; i++) {
		const struct rep_finding *f = &r->fs.f[i];
		if (f->at && rep_finding_counts(f))
			v[n++] = (struct ev){ f->at, rep_fmt(o, M_REP_EV_FINDING, f->id),
					      rep_fmt(o, M_REP_FINDING_TEXT, L2(f->title), join(o, f->obj, f->nobj, 6)) };
	}
	size_t nattack = n;
	for (size_t i = 0; i < r->log->n; i++) {
		const struct cour_entry *e = &r->log->e[i];
		if (e->kind == COUR_STATUS || e->kind == COUR_CORRECT)
			continue;
		v[n++] = (struct ev){ e->event, rep_fmt(o, e->kind == COUR_TOOL ? M_REP_EV_TOOL : M_REP_EV_LINE, e->seq,
							e->who ? e->who : ""), e->what ? e->what : "" };
	}
	qsort(v, n, sizeof *v, ev_cmp);
	int rc = 0;
	if (!nattack)
		rc |= rep_p(o, tr(M_REP_NO_AT));
	const char *head[] = { tr(M_REP_C_WHEN), tr(M_REP_C_SOURCE), tr(M_REP_C_WHAT) };
	if (n)
		rc |= rep_table(o, 3, head);
	for (size_t i = 0; i < n && !rc; i++) {
		const char *row[] = { when(o, v[i].t), v[i].src, v[i].what };
		rc |= rep_row(o, row);
	}
	free(v);
	return rc ? -1 : 0;
}

/* ---- 9. containment plan --------------------------------------------------------------------------------- */

static int actions(const struct rep *r, struct rep_out *o)
{
	TRY(rep_sec_new(o, "actions", tr(M_REP_S_ACTIONS)));
	const struct rep_doc *adm = rep_doc_of(&r->fs, "check-admins");
	TRY(rep_alert(o, rep_fmt(o, M_REP_PLAN_HEAD, adm && adm->sound_text ? adm->sound_text : "?")));
	if (r->q.it[Q_P_ADMIN].v == 1 || r->q.it[Q_P_APP].v == 1)
		TRY(rep_quote(o, tr(M_REP_NOTE_2A)));
	TRY(rep_p(o, tr(M_REP_PLAN_ISO)));
	if (!r->plan.n) {
		TRY(rep_p(o, tr(M_REP_PLAN_NONE)));
		return 0;
	}
	struct buf b = { 0 };
	if (rep_plan_connect(&r->plan, &b) < 0 || (b.len && rep_code(o, b.p) < 0)) {
		buf_free(&b);
		return -1;
	}
	buf_free(&b);
	for (size_t i = 0; i < r->plan.n; i++) {
		const struct rep_step *s = &r->plan.s[i];
		TRY(rep_p(o, rep_fmt(o, M_REP_STEP, (int)(i + 1), tr(rep_plan_title(s->kind)),
				     s->obj ? s->obj : tr(M_REP_TO_IDENTIFY), s->id)));
		TRY(rep_code(o, s->cmd));
	}
	TRY(rep_p(o, tr(M_REP_PLAN_LOG)));
	return 0;
}

/* ---- 10. notification draft --------------------------------------------------------------------------------- */

static int notification(const struct rep *r, struct rep_out *o)
{
	const struct rep_answers *an = &r->an;
	TRY(rep_sec_new(o, "notification", tr(M_REP_S_NOTIF)));
	TRY(rep_alert(o, tr(M_REP_NOTIF_STAMP)));
	if (!r->clock.applies)
		TRY(rep_p(o, tr(M_REP_CLOCK_NA_LONG)));
	/* prefills the evidence gives */
	/* accounts: each compromise finding's subject (its first account),
	 * counted once */
	size_t accounts = 0, mailboxes = 0;
	struct mdl_map seen = { 0 };
	for (size_t i = 0; i < r->fs.nf; i++) {
		const struct rep_finding *f = &r->fs.f[i];
		const char *who = NULL;
		for (size_t k = 0; rep_finding_counts(f) && f->compromise && k < f->nobj && !who; k++)
			if (strchr(f->obj[k], '@'))
				who = f->obj[k];
		if (!who || mdl_map_get(&seen, who) != MDL_NONE)
			continue;
		if (mdl_map_put(&seen, who, i) < 0) {
			mdl_map_free(&seen);
			return -1;
		}
		accounts++;
		mailboxes += f->map && (f->map->sig & SIG_BIT(SIG_MAILBOX));
	}
	mdl_map_free(&seen);
	const char *nature = an->a[Q_N_NATURE].set ? an->a[Q_N_NATURE].text :
		rep_fmt(o, M_REP_NATURE_AUTO, types_found(o, r),
			tr(r->q.it[Q_I_FUITE].v > 0 || r->q.it[Q_I_EXFIL].v == 1 ? M_REP_CIA_C : M_REP_CIA_NONE),
			tr(r->q.it[Q_I_ALTEREES].v == 1 || r->q.it[Q_I_INTEGRITE].v == 1 ? M_REP_CIA_I : M_REP_CIA_NONE),
			tr(r->q.it[Q_I_RANCON].v == 1 ? M_REP_CIA_A : M_REP_CIA_NONE));
	static const struct { enum rep_q q; enum msg_id k; } rows[] = {
		{ Q_N_CAT_PERS, M_REP_N_CAT_PERS }, { Q_N_NB_PERS, M_REP_N_NB_PERS },
		{ Q_N_CAT_DON, M_REP_N_CAT_DON }, { Q_N_NB_ENR, M_REP_N_NB_ENR }, { Q_N_DUREE, M_REP_N_DUREE },
		{ Q_N_DPO, M_REP_N_DPO }, { Q_N_CONSEQ, M_REP_N_CONSEQ }, { Q_N_MESURES, M_REP_N_MESURES },
		{ Q_N_SUITE, M_REP_N_SUITE },
	};
	TRY(rep_kv(o, tr(M_REP_N_NATURE), nature));
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct rep_ans *a = &an->a[rows[i].q];
		const char *v = a->set ? a->text : tr(M_REP_TO_FILL);
		if (!a->set && rows[i].q == Q_N_NB_PERS && accounts)
			v = rep_fmt(o, M_REP_NB_HINT, accounts, mailboxes);
		if (!a->set && rows[i].q == Q_N_MESURES && r->plan.n)
			v = rep_fmt(o, M_REP_MESURES_HINT, r->plan.n);
		if (!a->set && rows[i].q == Q_N_SUITE)
			v = tr(M_REP_SUITE_HINT);
		TRY(rep_kv(o, tr(rows[i].k), v));
	}
	TRY(rep_kv(o, tr(M_REP_N_SERVICE), rep_fmt(o, M_REP_SERVICE_AUTO, r->tenant[0] ? r->tenant : "?")));
	TRY(rep_kv(o, tr(M_REP_N_DATES), r->clock.t0 ? rep_fmt(o, M_REP_DATES, when(o, r->clock.t0),
								  when(o, r->clock.deadline)) : tr(M_REP_CLOCK_NO_T0)));
	TRY(rep_kv(o, tr(M_REP_N_DECISION), !r->clock.applies ? tr(M_REP_DECISION_NONE) :
		   r->clock.prenotify ? tr(M_REP_PREDECL) : tr(M_REP_DECISION_NOTIFY)));
	if (r->clock.t0 && r->clock.left < 0)
		TRY(rep_kv(o, tr(M_REP_N_RETARD), an->a[Q_N_RETARD].set ? an->a[Q_N_RETARD].text : tr(M_REP_TO_FILL)));
	return 0;
}

/* ---- 11. post-incident review draft ------------------------------------------------------------------------------ */

static int retex(const struct rep *r, struct rep_out *o)
{
	TRY(rep_sec_new(o, "retex", tr(M_REP_S_RETEX)));
	TRY(rep_alert(o, tr(r->q.retained >= G_MAJEUR || (r->clock.applies && !r->clock.prenotify) ?
			    M_REP_RETEX_RECOMMENDED : M_REP_RETEX_DRAFT)));
	TRY(rep_p(o, tr(M_REP_RETEX_SUMMARY)));
	size_t n = 0;
	for (size_t i = 0; i < r->fs.nf; i++) {
		const struct rep_finding *f = &r->fs.f[i];
		if (!rep_finding_counts(f) || !f->compromise)
			continue;
		n++;
		TRY(rep_li(o, rep_fmt(o, M_REP_RETEX_FACT, f->id, L2(f->title), join(o, f->obj, f->nobj, 6),
				      f->nev ? f->ev[0] : "—")));
	}
	if (!n)
		TRY(rep_li(o, tr(M_REP_RETEX_NO_FACT)));
	/* enabling weaknesses: the « échecs techniques » the evidence shows */
	const char *ids[64];
	size_t ni = 0;
	for (size_t i = 0; i < r->fs.nf && ni < 64; i++) {
		const struct rep_finding *f = &r->fs.f[i];
		int seen = 0;
		for (size_t k = 0; k < ni; k++)
			seen |= !strcmp(ids[k], f->id);
		if (!seen && rep_finding_counts(f) && f->map && (f->map->flags & MAP_POSTURE))
			ids[ni++] = f->id;
	}
	TRY(rep_p(o, tr(M_REP_RETEX_RESPONSE)));
	TRY(rep_li(o, rep_fmt(o, M_REP_RETEX_TIMES, when(o, r->clock.discovered), r->clock.declared ?
			      when(o, r->clock.declared) : "—", (long long)(r->log->n))));
	const char *head[] = { tr(M_REP_C_HEADING), tr(M_REP_C_ANSWER) };
	TRY(rep_table(o, 2, head));
	static const enum rep_q heads[] = { Q_R_CAUSE, Q_R_TECH, Q_R_PROC, Q_R_ERREURS, Q_R_PROCESS, Q_R_COMM, Q_R_VECTEURS };
	for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
		const struct rep_ans *a = &r->an.a[heads[i]];
		const char *v = a->set ? a->text : tr(M_REP_TO_FILL);
		if (!a->set && heads[i] == Q_R_TECH && ni)
			v = rep_fmt(o, M_REP_TECH_HINT, join(o, ids, ni, 64));
		const char *row[] = { tr(rep_qdefs[heads[i]].q), v };
		TRY(rep_row(o, row));
	}
	size_t nsp = 0;
	for (int q = 0; q < Q__N; q++)
		nsp += r->q.it[q].v == NSP && rep_qdefs[q].blk >= BLK_PERIMETRE && rep_qdefs[q].blk <= BLK_URGENCE;
	TRY(rep_p(o, rep_fmt(o, M_REP_RETEX_SUFFICIENCY, nsp, r->fs.nu)));
	TRY(rep_p(o, tr(M_REP_RETEX_OWNERS)));
	return 0;
}

/* ---- 12. the logbook ------------------------------------------------------------------------------------------------- */

static int courante(const struct rep *r, struct rep_out *o)
{
	TRY(rep_sec_new(o, "courante", tr(M_REP_S_COURANTE)));
	if (o->banner)
		TRY(rep_alert(o, o->banner));
	struct buf il = { 0 };
	if (cour_integrity_line(r->log, &il) < 0 || rep_p(o, il.p ? il.p : "") < 0) {
		buf_free(&il);
		return -1;
	}
	buf_free(&il);
	if (!r->log->n)
		return rep_p(o, tr(M_REP_NO_LOG));
	struct cour_filter f = { 0 };
	struct cour_view v = { 0 };
	TRY(cour_view(r->log, &f, &v));
	const char *head[] = { tr(M_COUR_COL_NO), tr(M_REP_C_WHEN), tr(M_COUR_COL_WHO), tr(M_COUR_COL_WHAT),
			       tr(M_COUR_COL_TARGETS), tr(M_COUR_COL_STATUS) };
	int rc = rep_table(o, 6, head);
	for (size_t i = 0; i < v.n && !rc; i++) {
		const struct cour_row *row = &v.r[i];
		const struct cour_entry *e = row->e;
		struct buf w = { 0 };
		char no[32];
		snprintf(no, sizeof no, "%lld", e->seq);
		const char *kind = cour_kind_label(e->kind);
		if (kind)
			rc |= buf_printf(&w, "[%s] ", kind);
		rc |= buf_puts(&w, e->what ? e->what : "");
		if (row->corrected_by)
			rc |= buf_printf(&w, " — %s", rep_fmt(o, M_REP_CORRECTED_BY, row->corrected_by));
		if (e->corrects)
			rc |= buf_printf(&w, " — %s", rep_fmt(o, M_REP_CORRECTS, e->corrects));
		if (cour_written_late(e))
			rc |= buf_printf(&w, " — %s", rep_fmt(o, M_REP_WRITTEN_AT, when(o, e->recorded)));
		if (cour_is_bad_line(r->log, e))
			rc |= buf_printf(&w, " — %s", rep_fmt(o, M_REP_BROKEN_HERE, r->log->bad_why));
		const char *cells[] = { rep_str(o, no), when(o, e->event), e->who ? e->who : "",
					w.p ? rep_str(o, w.p) : "", join(o, (const char *const *)e->targets, e->ntargets, 64),
					cour_status_label(row->eff) ? cour_status_label(row->eff) : "" };
		rc |= rep_row(o, cells);
		buf_free(&w);
	}
	cour_view_free(&v);
	return rc ? -1 : 0;
}

/* ---- 13. seal ----------------------------------------------------------------------------------------------------------- */

static int sceau(const struct rep *r, struct rep_out *o)
{
	const struct rep_seal *s = &r->seal;
	TRY(rep_sec_new(o, "sceau", tr(M_REP_S_SEAL)));
	if (!s->seal_rel[0])
		TRY(rep_alert(o, tr(M_REP_NOT_SEALED)));
	TRY(rep_kv(o, tr(M_REP_K_SEAL), s->manifest_sha[0] ? s->manifest_sha : "—"));
	if (s->seal_rel[0])
		TRY(rep_kv(o, tr(M_REP_K_SEAL_FILE), s->seal_rel));
	TRY(rep_kv(o, tr(M_REP_K_HEAD), s->head[0] ? rep_fmt(o, M_REP_HEAD_LINES, s->head, s->lines) : "—"));
	TRY(rep_kv(o, tr(M_REP_K_ANSWERS), s->answers_sha[0] ? s->answers_sha : tr(M_REP_NO_ANSWERS)));
	if (r->has_skew)
		TRY(rep_kv(o, tr(M_REP_K_SKEW), rep_fmt(o, M_REP_SKEW, (long long)r->skew)));
	for (size_t d = 0; d < r->fs.nd; d++)
		TRY(rep_kv(o, r->fs.d[d].rel, r->fs.d[d].sha));
	struct buf b = { 0 };
	int rc = buf_printf(&b, "cd '%s'\n", r->case_dir);
	if (s->seal_rel[0])
		rc |= buf_printf(&b, "sha256sum %s\nsha256sum -c %s\n", s->seal_rel, s->seal_rel);
	else
		rc |= buf_puts(&b, "sha256sum manifest.sha256\nsha256sum -c manifest.sha256\n");
	rc |= buf_printf(&b, "reflexe courante verify %.16s --case .\n", s->head[0] ? s->head : "<tete>");
	if (!rc)
		rc = rep_p(o, tr(M_REP_VERIFY_HOW)) < 0 || rep_code(o, b.p) < 0;
	buf_free(&b);
	return rc ? -1 : 0;
}

int rep_sections(const struct rep *r, struct rep_out *o)
{
	memset(o, 0, sizeof *o);
	int (*const parts[])(const struct rep *, struct rep_out *) = {
		cover, synthese, gravite, horloge, mesure1, mesures, sans_reponse, chronologie,
		actions, notification, retex, courante, sceau,
	};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		if (parts[i](r, o) < 0)
			return -1;
	return 0;
}
