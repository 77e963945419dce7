/*
 * qualify's questions: the blocks of the fiche (prerequisites, Mesure 1's
 * conclusions, Mesures 2, 3, 4), the gravity, the declarations and the
 * actions, each prompt with the clock and the evidence's proposal; the
 * answers saved into the case after every block (a crash loses one block
 * at most) and a logbook line per block. Prompts and the clock go to
 * stderr: stdout carries only the report.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "applets/applets.h"
#include "case/case.h"
#include "courante/courante.h"

/* ---- the clock and the screen ------------------------------------------------------- */

static int64_t elapsed(const struct qctx *x)
{
	int64_t e = tm_now() - x->origin;
	return e < 0 ? 0 : e;
}

/* "[T+23:10 / 60:00 · Mesure 2 · perimetre.ad]", and the CNIL clock
 * when it runs. */
static void prefix(struct qctx *x, const char *where, const struct rep *r)
{
	int64_t e = elapsed(x);
	fprintf(stderr, "[T+%02lld:%02lld / %02d:00 · %s]", (long long)(e / 60), (long long)(e % 60), x->box,
		where);
	if (r && r->clock.applies && r->clock.t0) {
		int64_t left = r->clock.deadline - tm_now();
		if (left >= 0)
			tr_fprintf(stderr, M_Q_CNIL_LEFT, (long long)(left / 3600), (long long)(left % 3600 / 60));
		else
			tr_fprintf(stderr, M_Q_CNIL_OVER, (long long)(-left / 3600));
	}
	fputc('\n', stderr);
}

void q_say(struct qctx *x, enum msg_id id, ...)
{
	(void)x;
	struct buf t = { 0 };
	va_list ap;
	va_start(ap, id);
	if (buf_vtrf(&t, id, ap) == 0)
		fprintf(stderr, "%s\n", t.p);
	va_end(ap);
	buf_free(&t);
}

void q_step(struct qctx *x, enum msg_id id)
{
	fputc('\n', stderr);
	prefix(x, tr(id), NULL);
}

/* At 100 % of the time box, once: a logbook line; at 80 %, then 100 %,
 * interactively: finish with « nsp » (the fiche accepts it)? */
static void watch(struct qctx *x)
{
	int64_t e = elapsed(x), box = (int64_t)x->box * 60;
	if (e >= box && !x->over_logged) {
		q_logf(x, M_Q_LOG_OVER, x->box);
		x->over_logged = 1;
		x->warned80 = 0;
	}
	if (!x->interactive || x->jump || x->warned80 || e * 5 < box * 4)
		return;
	x->warned80 = 1;
	tr_fprintf(stderr, e >= box ? M_Q_OVER_JUMP : M_Q_80_JUMP);
	fputc(' ', stderr);
	char line[64];
	if (fgets(line, sizeof line, x->in) && (line[0] == 'o' || line[0] == 'O' || line[0] == 'y' || line[0] == 'Y'))
		x->jump = 1;
}

/* ---- the case ------------------------------------------------------------------------------- */

int q_listed(struct qctx *x, const char *rel)
{
	char ini[4200];
	snprintf(ini, sizeof ini, "%s/case.ini", x->case_dir);
	if (!file_exists(ini))
		return 0;
	struct case_dir *cs;
	if (case_open(&cs, x->case_dir, NULL, NULL, 1) < 0)
		return -1;
	int l = case_listed(cs, rel);
	case_close(cs);
	return l;
}

/* A collection already in the case: reused without asking when the run
 * asks nothing, else the responder says (yes by default under 2 h). */
int q_reuse(struct qctx *x, const char *check)
{
	char path[4200];
	struct stat st;
	snprintf(path, sizeof path, "%s/findings/%s.json", x->case_dir, check);
	if (!x->interactive || stat(path, &st) < 0)
		return 1;
	int64_t age = tm_now() - (int64_t)st.st_mtime;
	char when[32];
	tm_utc_iso((int64_t)st.st_mtime, when, sizeof when);
	tr_fprintf(stderr, M_Q_REUSE, check, when + 11, age < 7200 ? tr(M_Q_YN_YES) : tr(M_Q_YN_NO));
	char line[64];
	if (!fgets(line, sizeof line, x->in) || line[0] == '\n')
		return age < 7200;
	return line[0] == 'o' || line[0] == 'O' || line[0] == 'y' || line[0] == 'Y';
}

/* answers.ini into the case (listed in the manifest), when it changed */
static int save_answers(struct qctx *x, const struct rep_answers *an)
{
	struct buf b = { 0 }, old = { 0 };
	char path[4200];
	int rc = rep_answers_format(an, &b);
	snprintf(path, sizeof path, "%s/answers.ini", x->case_dir);
	if (rc == 0 && file_exists(path) && file_read(path, &old, 256 * 1024) == 0 && old.len == b.len &&
	    !memcmp(old.p, b.p, b.len) && q_listed(x, "answers.ini") == 1)
		goto out;
	err_clear();
	struct case_dir *cs;
	if (rc == 0 && (rc = case_open(&cs, x->case_dir, NULL, NULL, 0)) == 0) {
		rc = case_save(cs, "answers.ini", b.p, b.len, NULL);
		if (case_close(cs) < 0)
			rc = -1;
	}
out:
	buf_free(&b);
	buf_free(&old);
	return rc;
}

/* ---- one question ------------------------------------------------------------------------------ */

static int is_lowering(struct rep *r)
{
	struct rep_qual q;
	int rc = rep_qualify(&r->fs, &r->an, &q);
	int low = rc < 0 && (err_id() == E_REP_LOWER);
	err_clear();
	return low;
}

static const char *default_of(const struct rep *r, enum rep_q q)
{
	const struct rep_ans *a = &r->an.a[q];
	const struct rep_item *it = &r->q.it[q];
	if (a->set)
		return a->text ? a->text : rep_value_key(q, a->v);
	if (it->has_auto && it->auto_v != NSP)
		return rep_value_key(q, it->auto_v);
	return rep_qdefs[q].vt == VT_TEXT || rep_qdefs[q].vt == VT_TIME ? "" : "nsp";
}

enum { ASK_NEXT, ASK_BACK, ASK_QUIT };

/* Reads one line; EOF is « q ». The trailing newline is cut. */
static int readline(struct qctx *x, char *line, size_t n)
{
	fflush(stderr);
	if (!fgets(line, (int)n, x->in))
		return -1;
	line[strcspn(line, "\r\n")] = 0;
	return 0;
}

static int ask(struct qctx *x, struct rep *r, enum rep_q q, const char *block)
{
	const struct rep_qdef *d = &rep_qdefs[q];
	char where[96], line[2048];
	snprintf(where, sizeof where, "%s · %s.%s", block, d->sect, d->key);
	for (;;) {
		watch(x);
		if (x->jump)
			return ASK_NEXT;
		const struct rep_item *it = &r->q.it[q];
		prefix(x, where, r);
		fprintf(stderr, "%s\n", tr(d->q));
		if (it->has_auto && it->auto_v != NSP)
			tr_fprintf(stderr, it->presumed ? M_Q_PROPOSED_PRESUMED : M_Q_PROPOSED,
				   rep_value_word(q, it->auto_v), it->why);
		const char *dflt = default_of(r, q);
		tr_fprintf(stderr, M_Q_PROMPT, tr(M_Q_KEYS), dflt);
		if (readline(x, line, sizeof line) < 0 || !strcmp(line, "q"))
			return ASK_QUIT;
		if (!strcmp(line, "?")) {
			tr_fprintf(stderr, M_Q_HELP_ITEM, d->fiche, tr(d->q), rep_qdefs[q].sect, rep_qdefs[q].key);
			fputc('\n', stderr);
			continue;
		}
		if (!strcmp(line, "p"))
			return ASK_BACK;
		const char *v = line[0] ? line : dflt;
		if (!*v && (d->vt == VT_TEXT || d->vt == VT_TIME))
			return ASK_NEXT;          /* nothing to say: left unanswered */
		if (rep_answer_set(&r->an, q, v) < 0) {
			fprintf(stderr, "  %s\n", err_msg());
			err_clear();
			continue;
		}
		/* below what the findings propose: the fiche wants the reason */
		while (is_lowering(r) && !r->an.a[q].note) {
			fprintf(stderr, "%s ", tr(M_Q_NOTE));
			if (readline(x, line, sizeof line) < 0)
				return ASK_QUIT;
			if (line[0] && rep_answer_note(&r->an, q, line) < 0) {
				fprintf(stderr, "  %s\n", err_msg());
				err_clear();
			}
		}
		if (rep_requalify(r) != 0) {
			fprintf(stderr, "  %s\n", err_msg());
			err_clear();
		}
		return ASK_NEXT;
	}
}

/* ---- the blocks ------------------------------------------------------------------------------------- */

static const struct { enum rep_blkid b; enum msg_id name; } blocks[] = {
	{ BLK_CONTEXTE, M_Q_BLK_CTX }, { BLK_MESURE1, M_Q_BLK_M1 }, { BLK_PERIMETRE, M_Q_BLK_M2 },
	{ BLK_IMPACT, M_Q_BLK_M3 }, { BLK_URGENCE, M_Q_BLK_M4 },
};

static int block_done(const struct rep *r, enum rep_blkid b)
{
	for (int q = 0; q < Q__N; q++)
		if (rep_qdefs[q].blk == b && (rep_qdefs[q].flags & QF_ASK) && !r->an.a[q].set &&
		    rep_qdefs[q].vt != VT_TEXT && rep_qdefs[q].vt != VT_TIME)
			return 0;
	return 1;
}

/* « Mesure 2 : admin=oui (ADM-004, ADM-015), ad=nsp… »: every item of the
 * block, its value and where it came from. */
static int log_block(struct qctx *x, const struct rep *r, enum rep_blkid b, enum msg_id name)
{
	struct buf t = { 0 };
	int rc = buf_printf(&t, "%s%s", tr(name), tr(M_Q_LOG_BLOCK_SEP));
	int first = 1;
	for (int q = 0; q < Q__N && !rc; q++) {
		const struct rep_item *it = &r->q.it[q];
		if (rep_qdefs[q].blk != b || (it->src == SRC_NONE && it->v == NSP && rep_qdefs[q].vt == VT_TEXT))
			continue;
		const struct rep_ans *a = &r->an.a[q];
		const char *v = a->set && a->text && (rep_qdefs[q].vt == VT_LIST || rep_qdefs[q].vt == VT_TEXT ||
						      rep_qdefs[q].vt == VT_DECL || rep_qdefs[q].vt == VT_TIME) ?
			a->text : rep_value_key((enum rep_q)q, it->v);
		rc |= buf_printf(&t, "%s%s=%s", first ? "" : ", ", rep_qdefs[q].key, v);
		if (it->src == SRC_AUTO)
			rc |= buf_printf(&t, " (%s)", it->why);
		else if (a->note)
			rc |= buf_printf(&t, " (%s)", a->note);
		first = 0;
	}
	if (rc == 0)
		rc = q_log(x, 0, t.p, NULL, 0, COUR_ST_NONE);
	buf_free(&t);
	return rc;
}

static int blocks_walk(struct qctx *x, struct rep *r)
{
	for (size_t b = 0; b < sizeof blocks / sizeof blocks[0]; b++) {
		int done = block_done(r, blocks[b].b);
		if (x->interactive && (!done || x->review) && !x->jump) {
			q_step(x, blocks[b].name);
			if (blocks[b].b == BLK_MESURE1)
				for (int a = 0; a < ACT__N; a++)
					q_say(x, M_Q_ACT_LINE, rep_act_code(a), rep_verdict_name(r->q.act_ev[a]));
			int list[Q__N], n = 0;
			for (int q = 0; q < Q__N; q++)
				if (rep_qdefs[q].blk == blocks[b].b && (rep_qdefs[q].flags & QF_ASK) &&
				    (x->review || !r->an.a[q].set))
					list[n++] = q;
			for (int i = 0; i < n;) {
				int k = ask(x, r, (enum rep_q)list[i], tr(blocks[b].name));
				if (k == ASK_QUIT) {
					save_answers(x, &r->an);
					q_logf(x, M_Q_LOG_QUIT);
					err_set(E_Q_INTERRUPTED);
					return EXIT_FAIL;
				}
				i = k == ASK_BACK ? (i ? i - 1 : 0) : i + 1;
			}
		} else if (done && !x->review && x->resumed) {
			continue;   /* answered before the interruption */
		}
		if (save_answers(x, &r->an) < 0)
			return EXIT_FAIL;
		log_block(x, r, blocks[b].b, blocks[b].name);
	}
	return 0;
}

/* ---- gravity, declarations, actions --------------------------------------------------------------- */

static int gravity(struct qctx *x, struct rep *r)
{
	q_step(x, M_Q_STEP_GRAVITY);
	const struct rep_qual *q = &r->q;
	q_say(x, M_Q_GRAV_COMPUTED, rep_grav_word(q->computed), q->computed_rule, rep_axis_word(0, q->shown.perim),
	      rep_axis_word(1, q->shown.impact), rep_axis_word(2, q->shown.urg));
	if (q->ceil.g > q->floor.g && q->floor.g != G_INDET)
		q_say(x, M_REP_UP_TO, rep_grav_word(q->ceil.g), q->ceil.rule);
	if (x->interactive && !x->an_gravity_set) {
		char line[1024];
		for (;;) {
			tr_fprintf(stderr, M_Q_GRAV_ASK, rep_grav_key(q->computed));
			if (readline(x, line, sizeof line) < 0 || !line[0])
				break;
			if (rep_answer_set(&r->an, Q_Q_GRAVITE, line) < 0) {
				fprintf(stderr, "  %s\n", err_msg());
				err_clear();
				continue;
			}
			while (r->an.a[Q_Q_GRAVITE].set && r->an.a[Q_Q_GRAVITE].v < q->computed &&
			       q->computed != G_INDET && !r->an.a[Q_Q_JUSTIF].set) {
				fprintf(stderr, "%s ", tr(M_Q_JUSTIFY));
				if (readline(x, line, sizeof line) < 0)
					return EXIT_FAIL;
				if (line[0] && rep_answer_set(&r->an, Q_Q_JUSTIF, line) < 0) {
					fprintf(stderr, "  %s\n", err_msg());
					err_clear();
				}
			}
			break;
		}
	}
	int rc = rep_requalify(r);
	if (rc)
		return rc;
	if (save_answers(x, &r->an) < 0)
		return EXIT_FAIL;
	if (q->override)
		q_logf(x, M_Q_LOG_GRAVITY_OVER, rep_grav_word(q->retained), rep_grav_word(q->computed),
		       q->computed_rule, r->an.a[Q_Q_JUSTIF].text ? r->an.a[Q_Q_JUSTIF].text : "—");
	else
		q_logf(x, M_Q_LOG_GRAVITY, rep_grav_word(q->retained), q->computed_rule, rep_axis_word(0, q->shown.perim),
		       rep_axis_word(1, q->shown.impact), rep_axis_word(2, q->shown.urg));
	return 0;
}

static int declarations(struct qctx *x, struct rep *r)
{
	if (!r->clock.applies)
		return 0;
	q_step(x, M_Q_STEP_DECL);
	if (r->clock.prenotify)
		q_say(x, M_REP_PRENOTIFY);
	int had = r->an.a[Q_N_CONNAISSANCE].set;
	if (x->interactive && !x->jump) {
		for (int q = 0; q < Q__N; q++) {
			if ((rep_qdefs[q].blk != BLK_NOTIF && rep_qdefs[q].blk != BLK_DECL) ||
			    !(rep_qdefs[q].flags & QF_ASK) || (r->an.a[q].set && !x->review))
				continue;
			if (q == Q_N_CONNAISSANCE && r->clock.t0)
				q_say(x, M_Q_T0_PRESUMED, r->clock.t0_presumed ? tr(M_REP_PRESUMEE) : "");
			if (ask(x, r, (enum rep_q)q, tr(M_Q_STEP_DECL)) == ASK_QUIT) {
				save_answers(x, &r->an);
				q_logf(x, M_Q_LOG_QUIT);
				err_set(E_Q_INTERRUPTED);
				return EXIT_FAIL;
			}
		}
	}
	int rc = rep_requalify(r);
	if (rc)
		return rc;
	if (save_answers(x, &r->an) < 0)
		return EXIT_FAIL;
	/* T0 set: a line of its own, the clock the DPO works from */
	if (r->an.a[Q_N_CONNAISSANCE].set && (!had || x->interactive)) {
		char iso[32];
		tm_utc_iso(r->clock.t0, iso, sizeof iso);
		q_logf(x, M_Q_LOG_T0, iso);
	}
	log_block(x, r, BLK_DECL, M_Q_STEP_DECL);
	return 0;
}

static int actions(struct qctx *x, struct rep *r)
{
	if (!x->interactive || !r->plan.n)
		return 0;
	q_step(x, M_Q_STEP_ACTIONS);
	for (size_t i = 0; i < r->plan.n; i++)
		fprintf(stderr, "  %zu. %s — %s (%s)\n", i + 1, tr(rep_plan_title(r->plan.s[i].kind)),
			r->plan.s[i].obj ? r->plan.s[i].obj : "—", r->plan.s[i].id);
	tr_fprintf(stderr, M_Q_ACTIONS_ASK, r->plan.n);
	char line[64];
	if (readline(x, line, sizeof line) < 0 || (line[0] && line[0] != 'o' && line[0] != 'O' &&
						  line[0] != 'y' && line[0] != 'Y'))
		return 0;
	for (size_t i = 0; i < r->plan.n; i++) {
		const struct rep_step *s = &r->plan.s[i];
		struct buf t = { 0 };
		const char *tg[1] = { s->obj };
		if (buf_trf(&t, M_Q_LOG_ACTION, tr(rep_plan_title(s->kind)), s->obj ? s->obj : "—", s->id) == 0)
			q_log(x, 0, t.p, tg, s->obj && strlen(s->obj) < COUR_MAX_FIELD ? 1 : 0, COUR_ST_TODO);
		buf_free(&t);
	}
	return 0;
}

/* ---- after the checks ------------------------------------------------------------------------------- */

/* The file's answers over the case's: the file is what the responder
 * gives now. */
static int merge(struct rep *r, const struct rep_answers *f)
{
	for (int q = 0; f && q < Q__N; q++) {
		const struct rep_ans *a = &f->a[q];
		if (a->set && rep_answer_set(&r->an, (enum rep_q)q, a->text ? a->text : rep_value_key(q, a->v)) < 0)
			return -1;
		if (a->note && rep_answer_note(&r->an, (enum rep_q)q, a->note) < 0)
			return -1;
	}
	return 0;
}

int q_qualify(struct qctx *x)
{
	struct rep r;
	int rc = rep_build(x->case_dir, NULL, tm_now(), &r);
	if (rc == 0 && merge(&r, x->file_an) < 0)
		rc = EXIT_USAGE;
	if (rc == 0)
		rc = rep_requalify(&r);
	x->an_gravity_set = r.an.a[Q_Q_GRAVITE].set;
	if (rc == 0)
		rc = blocks_walk(x, &r);
	if (rc == 0)
		rc = gravity(x, &r);
	if (rc == 0)
		rc = declarations(x, &r);
	if (rc == 0)
		rc = actions(x, &r);
	rep_free(&r);
	if (rc) {
		if (rc == EXIT_USAGE)
			q_logf(x, M_Q_LOG_REFUSED, err_msg());
		return rc;
	}
	watch(x);
	q_step(x, M_Q_STEP_REPORT);
	rc = report_run(x->case_dir, NULL, x->who[0] ? x->who : NULL, x->fmt, x->out, 0, 0, x->c.quiet);
	if (rc == EXIT_FAIL || rc == EXIT_USAGE)
		return rc;
	q_logf(x, M_Q_LOG_END, (long long)(elapsed(x) / 60), x->box);
	struct cour_log log = { 0 };
	int exists;
	if (cour_check(x->case_dir, &log, &exists) == 0)
		q_say(x, M_Q_HEAD, log.head, (long long)log.n);
	cour_log_free(&log);
	err_clear();
	return rc;
}
