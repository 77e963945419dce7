/*
 * check-events: the table of rules over the events of imported exports,
 * the helpers the evt_*.c files share, the inventory of the imports
 * (EVT-001) and the verdict.
 *
 * Why one check of its own rather than events fed to check-admins,
 * check-mail and check-apps --offline: without live access those checks
 * have nothing of what their rules start from (who holds a role, the
 * mailboxes, the applications) and every rule would be "unknown"; the
 * events answer other questions (who did what, when, from where), which
 * is also what the fiche sends the responder to the unified audit log
 * for. One table, EVT-nnn, each row with its fiche action and sub-step,
 * through the same engine and findings document as the live checks; the
 * live checks may read the same model (model/events.c) when events sit
 * beside their evidence, and check-mail judges inbox rules with the same
 * classifier (rules/bec.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/model.h"
#include "rules/rules.h"

#define B(s) EVT_BIT(EVT_SRC_##s)
#define RULE(id, fiche, step, sev, n, needs, flags, fn) \
	{ id, fiche, step, sev, M_EVT##n##_T, M_EVT##n##_W, M_EVT##n##_C, needs, flags, fn },
const struct rule evt_rules[EVT_NRULES] = {
#include "rules/evt_rules.def"
};
#undef RULE
const size_t evt_nrules = EVT_NRULES;

/* ---- helpers ------------------------------------------------------------------------------ */

static int append(char **dst, const char *more)
{
	size_t a = strlen(*dst), b = strlen(more);
	char *p = realloc(*dst, a + b + 1);
	if (!p)
		return err_set(E_NOMEM);
	memcpy(p + a, more, b + 1);
	*dst = p;
	return 0;
}

int evt_evidence(struct finding *f, const struct mdl_events *m, uint32_t imp)
{
	if (imp >= m->n_imp)
		return 0;
	const struct mdl_import *im = &m->imp[imp];
	if (finding_ev(f, im->ev) < 0 || (im->orig && finding_ev(f, im->orig) < 0))
		return -1;
	return 0;
}

/* The end of evt_emit and evt_emit_si: the files of import imp (-1: no
 * event) as evidence, the event's time, and no compromise below
 * medium: such findings point at nothing in the attacker's hands yet,
 * they are to confirm. */
static struct finding *settle(struct finding *f, const struct mdl_events *m, long imp, int64_t t,
			      enum rule_sev sev)
{
	if (imp >= 0 && evt_evidence(f, m, (uint32_t)imp) < 0)
		return NULL;
	if (t != EXP_NO_TIME)
		finding_at(f, t);
	if (sev < SEV_MEDIUM)
		f->compromise = 0;
	return f;
}

struct finding *evt_emit(struct findings *out, const struct rule *r, enum rule_sev sev,
			 const struct mdl_events *m, const struct mdl_evt *e, const char *extra[2],
			 enum msg_id detail, ...)
{
	va_list ap;
	va_start(ap, detail);
	struct finding *f = rule_vemit(out, r, sev, ST_SUSPECT, detail, ap);
	va_end(ap);
	if (!f)
		return NULL;
	if (extra && (append(&f->detail[LANG_FR], extra[LANG_FR]) < 0 ||
		      append(&f->detail[LANG_EN], extra[LANG_EN]) < 0))
		return NULL;
	if (e && (finding_obj(f, evt_subject(e)) < 0 || finding_obj(f, e->actor) < 0 ||
		  finding_obj(f, e->ip) < 0))
		return NULL;
	return e ? settle(f, m, (long)e->imp, e->t, sev) : settle(f, m, -1, EXP_NO_TIME, sev);
}

struct finding *evt_emit_si(struct findings *out, const struct rule *r, enum rule_sev sev,
			    const struct mdl_events *m, const struct mdl_esi *s, enum msg_id detail, ...)
{
	va_list ap;
	va_start(ap, detail);
	struct finding *f = rule_vemit(out, r, sev, ST_SUSPECT, detail, ap);
	va_end(ap);
	if (!f)
		return NULL;
	if (s && (finding_obj(f, s->user) < 0 || finding_obj(f, s->ip) < 0))
		return NULL;
	return s ? settle(f, m, s->imp, s->t, sev) : settle(f, m, -1, EXP_NO_TIME, sev);
}

static const struct mdl_kv *kv(const struct mdl_kv *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].name && !strcasecmp(v[i].name, name))
			return &v[i];
	return NULL;
}

const char *evt_param(const struct mdl_evt *e, const char *name)
{
	const struct mdl_kv *p = kv(e->p, e->np, name);
	return p ? p->value : NULL;
}

const char *evt_param_old(const struct mdl_evt *e, const char *name)
{
	const struct mdl_kv *p = kv(e->p, e->np, name);
	return p ? p->old : NULL;
}

const char *evt_detail(const struct mdl_evt *e, const char *name)
{
	const struct mdl_kv *p = kv(e->d, e->nd, name);
	return p ? p->value : NULL;
}

const char *evt_when(int64_t t, char out[32])
{
	snprintf(out, 32, "?");
	if (t != EXP_NO_TIME)
		adm_time(t, out);
	return out;
}

int evt_has(const char *s, const char *sub)
{
	size_t n = strlen(sub);
	for (; s && *s; s++)
		if (!strncasecmp(s, sub, n))
			return 1;
	return 0;
}

int evt_bool(const char *v)
{
	if (!v)
		return -1;
	if (*v == '$')
		v++;
	if (!strcasecmp(v, "true") || !strcmp(v, "1"))
		return 1;
	if (!strcasecmp(v, "false") || !strcmp(v, "0"))
		return 0;
	return -1;
}

const char *evt_subject(const struct mdl_evt *e)
{
	const char *s = evt_param(e, "Mailbox");
	if (!s)
		s = evt_param(e, "Identity");
	if (!s && e->ntgt)
		s = e->tgt[0].upn ? e->tgt[0].upn : e->tgt[0].name;
	return s ? s : "?";
}

struct bec_ctx evt_bec_ctx(const struct mdl_events *m)
{
	return (struct bec_ctx){ (const char *const *)m->dom, m->n_dom };
}

/* ---- EVT-001: the imports ----------------------------------------------------------------- */

int evt_r_inventory(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_events *m = EVT_M(c);
	if (!m->n_imp)
		return rule_unknown(out, r->id, "reflexe import FILE", M_EVT001_NONE);
	for (size_t i = 0; i < m->n_imp; i++) {
		const struct mdl_import *im = &m->imp[i];
		char a[32] = "-", z[32] = "-";
		if (im->first != EXP_NO_TIME)
			adm_time(im->first, a);
		if (im->last != EXP_NO_TIME)
			adm_time(im->last, z);
		enum msg_id zone = im->tz_basis & EXP_TZ_GIVEN ? M_EVT001_TZ_GIVEN :
				   im->tz_basis ? M_EVT001_TZ_STATED : M_EVT001_TZ_NONE;
		/* times read in a zone the export does not state, or events
		 * without time: information to check, not a clear line */
		int check = (im->tz_basis & EXP_TZ_GIVEN) || im->no_time;
		struct finding *f = rule_emit(out, r, SEV_INFO, check ? ST_SUSPECT : ST_CLEAR, M_EVT001_D,
					      im->file, im->layout, (unsigned long long)im->events, a, z);
		if (!f)
			return -1;
		char *zt[2];
		if (rule_fmt2(zt, zone, im->tz_given ? im->tz_given : "") < 0)
			return -1;
		int rc = append(&f->detail[0], zt[0]) | append(&f->detail[1], zt[1]);
		free(zt[0]);
		free(zt[1]);
		if (rc)
			return -1;
		if (im->no_time) {
			if (rule_fmt2(zt, M_EVT001_NO_TIME, (unsigned long long)im->no_time) < 0)
				return -1;
			rc = append(&f->detail[0], zt[0]) | append(&f->detail[1], zt[1]);
			free(zt[0]);
			free(zt[1]);
			if (rc)
				return -1;
		}
		if (finding_obj(f, im->file) < 0 || evt_evidence(f, m, (uint32_t)i) < 0)
			return -1;
	}
	if (m->dups) {
		struct finding *f = rule_emit(out, r, SEV_INFO, ST_CLEAR, M_EVT001_DUPS, (unsigned long long)m->dups);
		if (!f)
			return -1;
	}
	return 0;
}

/* ---- the verdict -------------------------------------------------------------------------------- */

int evt_verdict(const struct rule_ctx *c, const struct findings *fs, struct rule_verdict *v)
{
	const struct mdl_events *m = EVT_M(c);
	int none = 1;
	for (size_t s = 0; s < c->nsrc; s++)
		none &= !c->src[s].ok;
	v->question = M_EVT_QUESTION;
	v->subject = M_EVT_SUBJECT;
	if (rule_verdict(fs, none, v) < 0)
		return -1;
	if (v->v == VERDICT_NOT_DETECTED && rule_fmt2(v->why, fs->nu ? M_EVT_WHY_PARTIAL : M_EVT_WHY_CLEAN,
						       (unsigned long long)m->total, (int)fs->nu) < 0)
		return -1;
	if (v->v == VERDICT_UNDETERMINED && rule_fmt2(v->why, M_EVT_WHY_NONE) < 0)
		return -1;
	return 0;
}

