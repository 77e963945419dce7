/*
 * The rule engine: findings and unknowns, running a table of rules, the
 * exit status and the verdict. Generic over applets.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "baseline/baseline.h"
#include "model/model.h"
#include "rules/rules.h"

static const char *const sev_names[] = { "info", "low", "medium", "high", "critical" };
static const char *const st_names[] = { "clear", "suspect", "confirmed" };
static const enum msg_id sev_labels[] = { M_SEV_INFO, M_SEV_LOW, M_SEV_MEDIUM, M_SEV_HIGH,
					   M_SEV_CRITICAL };
static const enum msg_id st_labels[] = { M_ST_CLEAR, M_ST_SUSPECT, M_ST_CONFIRMED };

const char *rule_sev_name(enum rule_sev s) { return (unsigned)s <= SEV_CRITICAL ? sev_names[s] : "?"; }
const char *rule_status_name(enum rule_status s) { return (unsigned)s <= ST_CONFIRMED ? st_names[s] : "?"; }
const char *rule_sev_label(enum rule_sev s) { return (unsigned)s <= SEV_CRITICAL ? tr(sev_labels[s]) : "?"; }
const char *rule_status_label(enum rule_status s) { return (unsigned)s <= ST_CONFIRMED ? tr(st_labels[s]) : "?"; }

const char *rule_verdict_name(enum verdict v)
{
	static const char *const n[] = { "not_detected", "suspected", "confirmed", "undetermined" };
	return (unsigned)v <= VERDICT_UNDETERMINED ? n[v] : "?";
}

int rule_fmt2(char *out[2], enum msg_id id, ...)
{
	va_list ap;
	va_start(ap, id);
	int r = tr_vfmt2(out, id, ap);
	va_end(ap);
	return r;
}

void rule_time(int64_t t, char out[32])
{
	char iso[32];
	tm_utc_iso(t, iso, sizeof iso);
	/* "2026-03-01T10:00:00Z" -> "2026-03-01 10:00 UTC" */
	snprintf(out, 32, "%.10s %.5s UTC", iso, iso + 11);
}

int rule_text(struct buf b[2], enum msg_id id, ...)
{
	int rc = 0;
	for (int l = LANG_FR; l <= LANG_EN; l++) {
		va_list ap;
		va_start(ap, id);
		rc |= buf_vtrf_lang(&b[l], (enum lang)l, id, ap);
		va_end(ap);
	}
	return rc ? -1 : 0;
}

struct finding *rule_emit_text(struct findings *out, const struct rule *r, enum rule_sev sev,
			       enum rule_status st, const struct buf b[2])
{
	struct finding *f = rule_emit(out, r, sev, st, M_RULE_TEXT, b[0].p ? b[0].p : "");
	if (!f)
		return NULL;
	char *en = strdup(b[1].p ? b[1].p : "");
	if (!en) {
		err_set(E_NOMEM);
		return NULL;
	}
	free(f->detail[LANG_EN]);
	f->detail[LANG_EN] = en;
	return f;
}

int64_t rule_log_partial(const struct rule_ctx *c, const struct rule *r, struct findings *out, int s,
			 const char *live)
{
	const struct mdl_head *h = c->model;
	int64_t from = h->src[s].since;
	if (from <= c->since)
		return c->since;
	char a[32], b[32];
	rule_time(c->since, a);
	rule_time(from, b);
	int days = (int)((c->now - from + 43200) / 86400);
	if (h->src[s].since_collected) {
		if (rule_unknown(out, r->id, live, M_ADM_LOG_UNCOLLECTED, c->src[s].name, b, a, b) < 0)
			return -1;
	} else if (rule_unknown(out, r->id, c->src[s].needs, M_ADM_LOG_PARTIAL, c->src[s].name, days, a, b) < 0)
		return -1;
	return from;
}

struct finding *rule_emit(struct findings *out, const struct rule *r,
			  enum rule_sev sev, enum rule_status st, enum msg_id detail, ...)
{
	va_list ap;
	va_start(ap, detail);
	struct finding *f = rule_vemit(out, r, sev, st, detail, ap);
	va_end(ap);
	return f;
}

struct finding *rule_vemit(struct findings *out, const struct rule *r,
			   enum rule_sev sev, enum rule_status st, enum msg_id detail,
			   va_list ap)
{
	if (VEC_GROW(out->f, out->n, out->cap) < 0)
		return NULL;
	struct finding *f = &out->f[out->n];
	memset(f, 0, sizeof *f);
	if (tr_vfmt2(f->detail, detail, ap) < 0)
		return NULL;
	f->rule = r;
	f->sev = sev;
	f->status = st;
	f->compromise = (r->flags & RULE_COMPROMISE) != 0;
	out->n++;
	return f;
}

static int add_str(char ***v, size_t *n, size_t *cap, const char *s)
{
	if (!s || !*s)
		return 0;
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i], s))
			return 0;
	if (VEC_GROW(*v, *n, *cap) < 0)
		return -1;
	if (!((*v)[*n] = strdup(s)))
		return err_set(E_NOMEM);
	(*n)++;
	return 0;
}

int finding_obj(struct finding *f, const char *obj)
{
	return add_str(&f->obj, &f->nobj, &f->objcap, obj);
}

void finding_at(struct finding *f, int64_t t)
{
	if (t > 0 && (!f->at || t < f->at))
		f->at = t;
}

int finding_ev(struct finding *f, const char *path)
{
	return add_str(&f->ev, &f->nev, &f->evcap, path);
}

int finding_ev_first(struct finding *f, const char *path)
{
	size_t n = f->nev;
	if (add_str(&f->ev, &f->nev, &f->evcap, path) < 0)
		return -1;
	if (f->nev > n) {             /* added at the end: rotate it first */
		char *x = f->ev[n];
		memmove(f->ev + 1, f->ev, n * sizeof *f->ev);
		f->ev[0] = x;
	}
	return 0;
}

int rule_unknown(struct findings *out, const char *check, const char *needs,
		 enum msg_id reason, ...)
{
	if (VEC_GROW(out->u, out->nu, out->ucap) < 0)
		return -1;
	struct unknown *u = &out->u[out->nu];
	memset(u, 0, sizeof *u);
	va_list ap;
	va_start(ap, reason);
	int rc = tr_vfmt2(u->reason, reason, ap);
	va_end(ap);
	if (rc < 0)
		return -1;
	u->check = strdup(check);
	u->needs = strdup(needs ? needs : "");
	if (!u->check || !u->needs) {
		free(u->check);
		free(u->needs);
		free(u->reason[0]);
		free(u->reason[1]);
		return err_set(E_NOMEM);
	}
	out->nu++;
	return 0;
}

void findings_free(struct findings *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		struct finding *f = &fs->f[i];
		free(f->detail[0]);
		free(f->detail[1]);
		for (size_t k = 0; k < f->nobj; k++)
			free(f->obj[k]);
		for (size_t k = 0; k < f->nev; k++)
			free(f->ev[k]);
		free(f->obj);
		free(f->ev);
	}
	for (size_t i = 0; i < fs->nu; i++) {
		free(fs->u[i].check);
		free(fs->u[i].needs);
		free(fs->u[i].reason[0]);
		free(fs->u[i].reason[1]);
	}
	free(fs->f);
	free(fs->u);
	memset(fs, 0, sizeof *fs);
}

void rule_sources_from(const struct mdl_src *src, size_t n, struct rule_source *out)
{
	static const enum msg_id reason[] = {
		[MDL_ST_ABSENT] = M_SRC_ABSENT, [MDL_ST_OK] = M_SRC_ABSENT,
		[MDL_ST_LICENCE] = M_SRC_LICENCE, [MDL_ST_DENIED] = M_SRC_DENIED,
		[MDL_ST_FAILED] = M_SRC_FAILED, [MDL_ST_SKIPPED] = M_SRC_SKIPPED,
		[MDL_ST_BAD] = M_SRC_BAD,
	};
	for (size_t i = 0; i < n; i++) {
		const struct mdl_src *s = &src[i];
		out[i].name = s->name;
		out[i].ok = s->st == MDL_ST_OK;
		out[i].reason = (unsigned)s->st < sizeof reason / sizeof reason[0] ? reason[s->st] : M_SRC_FAILED;
		out[i].detail = s->detail;
		out[i].needs = s->needs_rec[0] ? s->needs_rec : s->needs;
	}
}

int rule_has_baseline(const struct rule_ctx *c)
{
	const struct bl *b = c->bl;
	return b && b->present;
}

int rule_run(const struct rule *table, size_t n, const struct rule_ctx *c,
	     struct findings *out)
{
	for (size_t i = 0; i < n; i++) {
		const struct rule *r = &table[i];
		int missing = 0;
		if ((r->flags & RULE_BASELINE) && !rule_has_baseline(c)) {
			if (rule_unknown(out, r->id, "--baseline", M_UNK_NO_BASELINE) < 0)
				return -1;
			missing = 1;
		}
		for (size_t s = 0; s < c->nsrc && s < 32; s++) {
			if (!(r->needs & (1u << s)) || c->src[s].ok)
				continue;
			if (rule_unknown(out, r->id, c->src[s].needs, c->src[s].reason,
					 c->src[s].name, c->src[s].detail ? c->src[s].detail : "") < 0)
				return -1;
			missing = 1;
		}
		if (missing)
			continue;
		size_t n0 = out->n, u0 = out->nu;
		if (r->fn(c, r, out) < 0)
			return -1;
		if (out->n == n0 && out->nu == u0 &&
		    !rule_emit(out, r, SEV_INFO, ST_CLEAR, r->clear))
			return -1;
	}
	return 0;
}

int rule_exit_status(const struct findings *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		if (fs->f[i].status >= ST_SUSPECT && fs->f[i].sev > SEV_INFO)
			return EXIT_FINDINGS;
	return EXIT_CLEAN;
}

int rule_finding_cmp(const void *a, const void *b)
{
	const struct finding *x = *(const struct finding *const *)a;
	const struct finding *y = *(const struct finding *const *)b;
	if (x->status != y->status)
		return (int)y->status - (int)x->status;
	if (x->sev != y->sev)
		return (int)y->sev - (int)x->sev;
	int d = strcmp(x->rule->id, y->rule->id);
	if (d)
		return d;
	/* Stable among equals: keep the rules' own order (qsort is not). */
	return x < y ? -1 : x > y;
}

/* 1 when id is a word of the space-separated list (NULL: none). */
static int in_list(const char *list, const char *id)
{
	size_t n = strlen(id);
	for (const char *p = list; p && (p = strstr(p, id)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return 1;
	return 0;
}

static int is_reason(const struct finding *f, const struct rule_verdict *v)
{
	return f->compromise && f->status >= ST_SUSPECT && f->sev > SEV_INFO &&
	       (!v->fiche || !strcmp(f->rule->fiche, v->fiche) || in_list(v->also, f->rule->id));
}

int rule_verdict(const struct findings *fs, int undetermined, struct rule_verdict *v)
{
	struct rule_verdict keep = *v;
	memset(v, 0, sizeof *v);
	v->question = keep.question;
	v->subject = keep.subject;
	v->fiche = keep.fiche;
	v->also = keep.also;
	v->part = keep.part;
	v->npart = keep.npart;
	size_t k = 0;
	for (size_t i = 0; i < fs->n; i++)
		k += is_reason(&fs->f[i], v);
	if (k) {
		v->reasons = malloc(k * sizeof *v->reasons);
		if (!v->reasons)
			return err_set(E_NOMEM);
	}
	for (size_t i = 0; i < fs->n; i++) {
		const struct finding *f = &fs->f[i];
		if (is_reason(f, v))
			v->reasons[v->nreasons++] = f;
	}
	if (v->nreasons)
		qsort(v->reasons, v->nreasons, sizeof *v->reasons, rule_finding_cmp);
	if (v->nreasons && v->reasons[0]->status == ST_CONFIRMED)
		v->v = VERDICT_CONFIRMED;
	else if (v->nreasons)
		v->v = VERDICT_SUSPECTED;
	else if (undetermined)
		v->v = VERDICT_UNDETERMINED;
	else
		v->v = VERDICT_NOT_DETECTED;
	return 0;
}

void rule_verdict_free(struct rule_verdict *v)
{
	for (size_t i = 0; i < v->npart; i++)
		rule_verdict_free(&v->part[i]);
	free(v->part);
	v->part = NULL;
	v->npart = 0;
	free(v->reasons);
	free(v->why[0]);
	free(v->why[1]);
	for (size_t i = 0; i < v->nextra; i++) {
		free(v->extra[i].value[0]);
		free(v->extra[i].value[1]);
	}
	v->reasons = NULL;
	v->nreasons = 0;
	v->nextra = 0;
	v->why[0] = v->why[1] = NULL;
}

int rule_table_row(struct rule_table *t, const char *const *cells)
{
	/* one element = one row of ncol cells */
	if (vec_grow(&t->cell, t->nrow, &t->cap, t->ncol * sizeof *t->cell) < 0)
		return -1;
	char **row = t->cell + t->nrow * t->ncol;
	for (size_t i = 0; i < t->ncol; i++) {
		row[i] = strdup(cells[i] ? cells[i] : "");
		if (!row[i]) {
			while (i--)
				free(row[i]);
			return err_set(E_NOMEM);
		}
	}
	t->nrow++;
	return 0;
}

void rule_table_free(struct rule_table *t)
{
	for (size_t i = 0; i < t->nrow * t->ncol; i++)
		free(t->cell[i]);
	free(t->cell);
	t->cell = NULL;
	t->nrow = t->cap = 0;
}
