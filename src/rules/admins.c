/*
 * check-admins: the rows of its table (adm_rules.def), the helpers its
 * rules share, the "sound global administrator" question (ADM-002) and
 * the verdict.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "baseline/baseline.h"
#include "model/model.h"
#include "rules/rules.h"

#define B(s) ADM_BIT(ADM_SRC_##s)
#define ROLES (B(ASSIGN))

const struct rule adm_rules[ADM_NRULES] = {
#define RULE(id, fiche, step, sev, n, needs, flags, fn) \
	{ id, fiche, step, sev, M_ADM##n##_T, M_ADM##n##_W, M_ADM##n##_C, needs, flags, fn },
#include "rules/adm_rules.def"
#undef RULE
};
const size_t adm_nrules = sizeof adm_rules / sizeof adm_rules[0];

/* ---- helpers shared by the adm_*.c rules ------------------------------------------- */

void adm_time(int64_t t, char out[32])
{
	rule_time(t, out);
}

struct finding *adm_emit_pr(struct findings *out, const struct rule *r, enum rule_sev sev,
			    enum rule_status st, const struct mdl_admins *m, size_t who,
			    enum msg_id detail, ...)
{
	va_list ap;
	va_start(ap, detail);
	struct finding *f = rule_vemit(out, r, sev, st, detail, ap);
	va_end(ap);
	if (!f)
		return NULL;
	const struct mdl_principal *p = &m->pr[who];
	if (finding_obj(f, mdl_label(p)) < 0 || finding_obj(f, p->id) < 0 || finding_ev(f, p->ev) < 0)
		return NULL;
	for (size_t i = p->g0; i < p->g0 + p->ng; i++)
		if (finding_ev(f, m->grants[i].ev) < 0)
			return NULL;
	return f;
}

int64_t adm_log_partial(const struct rule_ctx *c, const struct rule *r, struct findings *out, int s)
{
	return rule_log_partial(c, r, out, s, "check-admins --since (live)");
}

int adm_suspected(const struct mdl_admins *m, size_t who, const struct findings *fs)
{
	const struct mdl_principal *p = &m->pr[who];
	for (size_t i = 0; i < fs->n; i++) {
		const struct finding *f = &fs->f[i];
		if (!f->compromise || f->status < ST_SUSPECT || f->sev == SEV_INFO)
			continue;
		for (size_t o = 0; o < f->nobj; o++)
			if ((p->id && !strcasecmp(f->obj[o], p->id)) || (p->upn && !strcasecmp(f->obj[o], p->upn)))
				return 1;
	}
	return 0;
}

/* ---- ADM-002: is a sound global administrator left? ----------------------------------
 * Sound: a user (not a guest) holding Global Administrator over the whole
 * tenant (active, or eligible and so able to activate it), enabled, with
 * MFA registered, and named by no compromise finding. The fiche's case:
 * the attacker took the admin rights for himself and the victim no
 * longer administers its own tenant. */
enum sound { SOUND_YES, SOUND_NO, SOUND_UNKNOWN };

static enum sound sound_gas(const struct rule_ctx *c, const struct findings *fs, struct buf *names,
			    size_t *nga, size_t *nsuspected)
{
	const struct mdl_admins *m = ADM_M(c);
	size_t sound = 0, unsure = 0;
	*nga = *nsuspected = 0;
	for (size_t k = 0; k < m->n_pr; k++) {
		const struct mdl_principal *p = &m->pr[k];
		if (p->type != PT_USER || !mdl_is_ga(m, k, NULL))
			continue;
		(*nga)++;
		if (p->enabled == 0 || p->mfa == 0 || (p->user_type && !strcasecmp(p->user_type, "Guest")))
			continue;
		if (adm_suspected(m, k, fs)) {
			(*nsuspected)++;
			continue;
		}
		if (p->enabled < 0 || p->mfa < 0) {
			unsure++;
			continue;
		}
		sound++;
		if (names && ((names->len && buf_puts(names, ", ") < 0) || buf_puts(names, mdl_label(p)) < 0))
			return SOUND_UNKNOWN;
	}
	/* Holders hidden in groups whose members could not be read. */
	for (size_t k = 0; k < m->n_pr; k++)
		if (m->pr[k].type == PT_GROUP && !m->pr[k].members_known && mdl_is_ga(m, k, NULL))
			unsure++;
	if (sound)
		return SOUND_YES;
	return unsure ? SOUND_UNKNOWN : SOUND_NO;
}

int adm_r_sound_ga(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_admins *m = ADM_M(c);
	size_t nga, nsus;
	enum sound s = sound_gas(c, out, NULL, &nga, &nsus);
	if (s == SOUND_YES)
		return 0;
	if (s == SOUND_UNKNOWN)
		return rule_unknown(out, r->id, m->src[ADM_SRC_MFA].needs, M_ADM002_UNKNOWN);
	/* Holders all disabled, without MFA or guests: a fact. Holders set
	 * aside because other findings suspect them: a suspicion, and one
	 * that says the attacker may hold the tenant. */
	struct finding *f = rule_emit(out, r, r->sev, nsus ? ST_SUSPECT : ST_CONFIRMED,
				      M_ADM002_D, (int)nga);
	if (!f)
		return -1;
	f->compromise = nsus > 0;
	for (size_t k = 0; k < m->n_pr; k++)
		if (m->pr[k].type == PT_USER && mdl_is_ga(m, k, NULL) &&
		    (finding_obj(f, mdl_label(&m->pr[k])) < 0 || finding_ev(f, m->pr[k].ev) < 0))
			return -1;
	for (size_t i = 0; i < m->n_grants; i++)
		if (m->roles[m->grants[i].role].is_ga && finding_ev(f, m->grants[i].ev) < 0)
			return -1;
	return 0;
}

/* ---- verdict ----------------------------------------------------------------------------------- */

int adm_verdict(const struct rule_ctx *c, const struct findings *fs, struct rule_verdict *v)
{
	const struct mdl_admins *m = ADM_M(c);
	/* Without the role holders there is nothing to judge; without both
	 * the sign-ins and the audit log, nothing about what they did. */
	int undetermined = !c->src[ADM_SRC_ASSIGN].ok ||
			   (!c->src[ADM_SRC_SIGNINS].ok && !c->src[ADM_SRC_AUDITS].ok);
	v->question = M_ADM_QUESTION;
	v->subject = M_ADM_SUBJECT;
	if (rule_verdict(fs, undetermined, v) < 0)
		return -1;
	if (v->v == VERDICT_UNDETERMINED &&
	    rule_fmt2(v->why, !c->src[ADM_SRC_ASSIGN].ok ? M_ADM_WHY_NOROLES : M_ADM_WHY_NOLOGS) < 0)
		return -1;
	if (v->v == VERDICT_NOT_DETECTED &&
	    (fs->nu ? rule_fmt2(v->why, M_ADM_WHY_PARTIAL, (int)fs->nu) : rule_fmt2(v->why, M_ADM_WHY_CLEAN)) < 0)
		return -1;
	/* The line the fiche asks for: does the victim still hold its own
	 * tenant? */
	struct buf names = { 0 };
	size_t nga = 0, nsus = 0;
	enum sound s = c->src[ADM_SRC_ASSIGN].ok && c->src[ADM_SRC_USERS].ok ?
		sound_gas(c, fs, &names, &nga, &nsus) : SOUND_UNKNOWN;
	struct verdict_line *l = &v->extra[v->nextra++];
	l->label = M_ADM_SOUND_GA;
	l->key = "sound_global_admin";
	l->code = s == SOUND_YES ? "yes" : s == SOUND_NO ? "no" : "unknown";
	int rc = s == SOUND_YES ? rule_fmt2(l->value, M_ADM_SOUND_YES, names.p ? names.p : "") :
		 s == SOUND_NO ? rule_fmt2(l->value, M_ADM_SOUND_NO, (int)nga) :
		 rule_fmt2(l->value, M_ADM_SOUND_UNKNOWN);
	buf_free(&names);
	(void)m;
	return rc;
}

/* ---- --make-baseline ------------------------------------------------------------------- */

/* The tenant as it is now, added to b (the runner writes [tenant],
 * merges into the file already there and writes it): the holders of
 * privileged roles with their roles as notes, the countries admins signed
 * in from, the guests' domains, the federated domains with their issuer. */
int adm_make_baseline(const void *model, struct bl *b)
{
	const struct mdl_admins *m = model;
	struct buf roles = { 0 };
	int rc = 0;
	for (size_t k = 0; k < m->n_pr && rc == 0; k++) {
		const struct mdl_principal *p = &m->pr[k];
		if (!p->ng)
			continue;
		buf_reset(&roles);
		if (p->name && buf_printf(&roles, "%s — ", p->name) < 0)
			rc = -1;
		if (rc == 0 && mdl_roles_text(m, k, &roles) < 0)
			rc = -1;
		if (rc == 0)
			rc = p->type == PT_SP ? bl_add(&b->sps, p->app_id ? p->app_id : p->id, roles.p) :
			     p->type == PT_GROUP ? bl_add(&b->admins, p->id, roles.p) :
			     p->type == PT_USER ? bl_add(&b->admins, p->upn ? p->upn : p->id, roles.p) : 0;
	}
	/* Countries admins signed in from successfully within the window. */
	for (size_t i = 0; i < m->n_si && rc == 0; i++) {
		const struct mdl_signin *s = &m->si[i];
		if (s->error || !s->country || s->who == MDL_NONE || !m->pr[s->who].ng ||
		    !bl_country_code(s->country))
			continue;
		rc = bl_add(&b->countries, s->country, NULL);
	}
	for (size_t k = 0; k < m->n_pr && rc == 0; k++) {
		const struct mdl_principal *p = &m->pr[k];
		const char *at = p->listed_guest && p->mail ? strrchr(p->mail, '@') : NULL;
		if (at && at[1])
			rc = bl_add(&b->guest_domains, at + 1, NULL);
	}
	for (size_t k = 0; k < m->n_dom && rc == 0; k++)
		if (m->dom[k].federated)
			rc = bl_add(&b->fed_domains, m->dom[k].id, m->dom[k].issuer);
	buf_free(&roles);
	return rc;
}
