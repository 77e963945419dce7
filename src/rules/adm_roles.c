/*
 * check-admins rules on who holds privileged roles (fiche 1.a): how many
 * global administrators, whether each holder is known, new, protected by
 * MFA, synchronised from on-premises AD, a guest, an application or a
 * group, dormant or disabled.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "baseline/baseline.h"
#include "model/model.h"
#include "rules/rules.h"


/* Roles of who as text, for a detail line; "" on OOM (err stays set and
 * the emit that follows fails on its own). */
static const char *roles(const struct mdl_admins *m, size_t who, struct buf *b)
{
	buf_reset(b);
	if (mdl_roles_text(m, who, b) < 0 || !b->p)
		return "";
	return b->p;
}

static const char *nm(const struct mdl_principal *p)
{
	return p->name ? p->name : "";
}

/* Eligible assignments are complete when read, and also when the tenant
 * lacks Entra ID P2: without it there is no PIM, so no eligibility. */
static int eligible_complete(const struct rule_ctx *c)
{
	return c->src[ADM_SRC_ELIGIBLE].ok || ADM_M(c)->src[ADM_SRC_ELIGIBLE].st == MDL_ST_LICENCE;
}

/* ADM-001: fewer than two global administrators. The fiche asks for at
 * least two, for resilience and to recover the tenant. Counted: enabled
 * (or not known to be disabled) users holding Global Administrator over
 * the whole tenant, active or eligible. */
int adm_r_ga_count(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_admins *m = ADM_M(c);
	size_t n = 0, groups_unknown = 0;
	struct buf names = { 0 };
	for (size_t k = 0; k < m->n_pr; k++) {
		const struct mdl_principal *p = &m->pr[k];
		if (p->type == PT_GROUP && mdl_is_ga(m, k, NULL) && !p->members_known)
			groups_unknown++;
		if (p->type != PT_USER || !mdl_is_ga(m, k, NULL) || p->enabled == 0)
			continue;
		n++;
		if ((names.len && buf_puts(&names, ", ") < 0) || buf_puts(&names, mdl_label(p)) < 0) {
			buf_free(&names);
			return -1;
		}
	}
	int rc = 0;
	if (n < 2) {
		/* Missing eligibility or group members could hide holders:
		 * then the count is a suspicion, not a fact. */
		int partial = !eligible_complete(c) || groups_unknown;
		struct finding *f = rule_emit(out, r, r->sev, partial ? ST_SUSPECT : ST_CONFIRMED,
					      n ? M_ADM001_ONE : M_ADM001_NONE,
					      names.p ? names.p : "");
		if (!f)
			rc = -1;
		for (size_t k = 0; f && k < m->n_pr && rc == 0; k++)
			if (m->pr[k].type == PT_USER && mdl_is_ga(m, k, NULL) && m->pr[k].enabled != 0)
				rc = finding_obj(f, mdl_label(&m->pr[k]));
		/* The pages the role holders were read from. */
		for (size_t i = 0; f && i < m->n_grants && rc == 0; i++)
			if (m->roles[m->grants[i].role].is_ga)
				rc = finding_ev(f, m->grants[i].ev);
		if (f && rc == 0 && !f->nev)
			rc = finding_ev(f, m->src[ADM_SRC_ASSIGN].rel);
	}
	buf_free(&names);
	return rc;
}

/* ADM-003: a user or group holding a privileged role that the baseline
 * does not list. */
int adm_r_unknown_admin(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_admins *m = ADM_M(c);
	struct buf b = { 0 };
	int rc = 0;
	if (!eligible_complete(c))
		rc = rule_unknown(out, r->id, c->src[ADM_SRC_ELIGIBLE].needs, M_ADM_ELIGIBLE_UNKNOWN);
	for (size_t k = 0; k < m->n_pr && rc == 0; k++) {
		const struct mdl_principal *p = &m->pr[k];
		if (!p->ng || (p->type != PT_USER && p->type != PT_GROUP))
			continue;
		/* Members of a known group are still judged one by one:
		 * adding oneself to a known admin group is the attack. */
		if (bl_known_admin(ADM_BL(c), p->id, p->upn))
			continue;
		if (!adm_emit_pr(out, r, r->sev, ST_SUSPECT, m, k, M_ADM003_D, mdl_label(p), nm(p),
				 roles(m, k, &b)))
			rc = -1;
	}
	buf_free(&b);
	return rc;
}

/* ADM-004: a privileged role granted within the window — from the audit
 * log (role grants, see model/audit.c for the exact activity names) and
 * from eligibilities that started within it. */
int adm_r_granted(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_admins *m = ADM_M(c);
	char when[32];
	int rc = adm_log_partial(c, r, out, ADM_SRC_AUDITS) < 0 ? -1 : 0;
	for (size_t i = 0; i < m->n_au && rc == 0; i++) {
		const struct mdl_audit *a = &m->au[i];
		if (a->kind != AUD_ROLE_ADD || a->t < c->since ||
		    (a->result && strcasecmp(a->result, "success")))
			continue;
		const char *who = NULL, *who_id = NULL, *role = NULL;
		for (int t = 0; t < a->ntgt; t++) {
			const char *ty = a->tgt[t].type ? a->tgt[t].type : "";
			if (!strcasecmp(ty, "Role"))
				role = a->tgt[t].name;
			else if (!who && (!strcasecmp(ty, "User") || !strcasecmp(ty, "ServicePrincipal") ||
					  !strcasecmp(ty, "Group"))) {
				who = a->tgt[t].upn ? a->tgt[t].upn : a->tgt[t].name;
				who_id = a->tgt[t].id;
			}
		}
		for (int p = 0; p < a->nprop && !role; p++)
			if (!strcasecmp(a->prop[p].name, "Role.DisplayName"))
				role = a->prop[p].newv;
		/* Only privileged roles: by name when the audit names one we
		 * know, else kept (an unknown role is worth a look). */
		int priv = 1;
		for (size_t k = 0; role && k < m->n_roles; k++)
			if (m->roles[k].name && !strcasecmp(m->roles[k].name, role))
				priv = m->roles[k].privileged;
		if (!priv)
			continue;
		adm_time(a->t, when);
		const char *by = a->by_upn ? a->by_upn : a->by_app ? a->by_app : "?";
		struct finding *f = rule_emit(out, r, r->sev, ST_SUSPECT, M_ADM004_AUDIT,
					      who ? who : "?", role ? role : "?", when, by,
					      a->activity);
		if (!f || finding_obj(f, who) < 0 || finding_obj(f, who_id) < 0 ||
		    finding_obj(f, a->by_upn) < 0 || finding_obj(f, a->by_ip) < 0 ||
		    finding_ev(f, a->ev) < 0)
			rc = -1;
		else
			f->at = a->t;
	}
	for (size_t i = 0; i < m->n_grants && rc == 0; i++) {
		const struct mdl_grant *g = &m->grants[i];
		if (!g->eligible || g->via != MDL_NONE || !g->start || g->start < c->since)
			continue;
		const struct mdl_principal *p = &m->pr[g->who];
		const struct mdl_role *ro = &m->roles[g->role];
		adm_time(g->start, when);
		struct finding *f = adm_emit_pr(out, r, r->sev, ST_SUSPECT, m, g->who, M_ADM004_ELIGIBLE,
						mdl_label(p), ro->name ? ro->name : ro->id, when);
		if (!f || finding_ev_first(f, g->ev) < 0)
			rc = -1;
		else
			f->at = g->start;
	}
	return rc;
}

/* ADM-005: a privileged account created within the window. */
int adm_r_created(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_admins *m = ADM_M(c);
	struct buf b = { 0 };
	char when[32];
	int rc = 0;
	for (size_t k = 0; k < m->n_pr && rc == 0; k++) {
		const struct mdl_principal *p = &m->pr[k];
		if (!p->ng || p->type != PT_USER || !p->created || p->created < c->since)
			continue;
		adm_time(p->created, when);
		struct finding *f = adm_emit_pr(out, r, r->sev, ST_SUSPECT, m, k, M_ADM005_D, mdl_label(p), when,
						roles(m, k, &b));
		if (!f)
			rc = -1;
		else
			f->at = p->created;
	}
	buf_free(&b);
	return rc;
}

/* ADM-006: a privileged user without any MFA method registered. */
int adm_r_no_mfa(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_admins *m = ADM_M(c);
	struct buf b = { 0 };
	size_t unknown = 0;
	int rc = 0;
	for (size_t k = 0; k < m->n_pr && rc == 0; k++) {
		const struct mdl_principal *p = &m->pr[k];
		if (!p->ng || p->type != PT_USER || p->enabled == 0)
			continue;
		if (p->mfa < 0) {
			unknown++;
			continue;
		}
		if (p->mfa)
			continue;
		int ga = mdl_is_ga(m, k, NULL);
		if (!adm_emit_pr(out, r, ga ? SEV_CRITICAL : r->sev, ST_CONFIRMED, m, k, M_ADM006_D,
				 mdl_label(p), roles(m, k, &b)))
			rc = -1;
	}
	buf_free(&b);
	/* Users the registration report does not list (created after the
	 * report's last refresh, or filtered out): say so, never "clear". */
	if (rc == 0 && unknown &&
	    rule_unknown(out, r->id, m->src[ADM_SRC_MFA].needs, M_ADM006_UNKNOWN, unknown) < 0)
		rc = -1;
	return rc;
}

/* ADM-007: a privileged account synchronised from on-premises AD: a
 * compromise of the AD is then a compromise of the tenant (fiche 1.a). */
int adm_r_synced(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_admins *m = ADM_M(c);
	struct buf b = { 0 };
	int rc = 0;
	for (size_t k = 0; k < m->n_pr && rc == 0; k++) {
		const struct mdl_principal *p = &m->pr[k];
		if (!p->ng || p->type != PT_USER || p->synced != 1)
			continue;
		if (!adm_emit_pr(out, r, r->sev, ST_CONFIRMED, m, k, M_ADM007_D, mdl_label(p),
				 roles(m, k, &b)))
			rc = -1;
	}
	buf_free(&b);
	return rc;
}

static int is_guest(const struct mdl_principal *p)
{
	if (p->user_type)
		return !strcasecmp(p->user_type, "Guest");
	/* B2B guests' UPNs carry #EXT# (user resource, userPrincipalName). */
	return p->upn && strstr(p->upn, "#EXT#") != NULL;
}

/* ADM-008: a guest holding a privileged role. */
int adm_r_priv_guest(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_admins *m = ADM_M(c);
	struct buf b = { 0 };
	int rc = 0;
	for (size_t k = 0; k < m->n_pr && rc == 0; k++) {
		const struct mdl_principal *p = &m->pr[k];
		if (!p->ng || p->type != PT_USER || !is_guest(p))
			continue;
		int known = rule_has_baseline(c) && bl_known_admin(ADM_BL(c), p->id, p->upn);
		struct finding *f = adm_emit_pr(out, r, known ? SEV_MEDIUM : r->sev, ST_SUSPECT, m, k,
						known ? M_ADM008_KNOWN : M_ADM008_D, mdl_label(p),
						roles(m, k, &b));
		if (!f)
			rc = -1;
		else
			f->compromise = !known;
	}
	buf_free(&b);
	return rc;
}

/* ADM-009: an application (service principal) holding a privileged role
 * that the baseline does not list: whoever holds its credentials holds the
 * role, with no MFA and no sign-in prompt. */
int adm_r_priv_sp(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_admins *m = ADM_M(c);
	struct buf b = { 0 };
	int rc = 0;
	for (size_t k = 0; k < m->n_pr && rc == 0; k++) {
		const struct mdl_principal *p = &m->pr[k];
		if (!p->ng || p->type != PT_SP || bl_known_sp(ADM_BL(c), p->id, p->app_id))
			continue;
		int ga = mdl_is_ga(m, k, NULL);
		struct finding *f = adm_emit_pr(out, r, ga ? SEV_CRITICAL : r->sev, ST_SUSPECT, m, k,
						M_ADM009_D, nm(p), p->app_id ? p->app_id : "?",
						roles(m, k, &b));
		if (!f || finding_obj(f, p->app_id) < 0)
			rc = -1;
	}
	buf_free(&b);
	return rc;
}

/* ADM-010: a group holding a privileged role that the baseline does not
 * list: whoever can change its members grants the role. Its members are
 * judged one by one by the other rules. */
int adm_r_priv_group(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_admins *m = ADM_M(c);
	struct buf b = { 0 };
	int rc = 0;
	for (size_t k = 0; k < m->n_pr && rc == 0; k++) {
		const struct mdl_principal *p = &m->pr[k];
		if (!p->ng || p->type != PT_GROUP || bl_known_admin(ADM_BL(c), p->id, p->name))
			continue;
		if (!adm_emit_pr(out, r, r->sev, ST_SUSPECT, m, k, M_ADM010_D, nm(p), p->id,
				 roles(m, k, &b)))
			rc = -1;
	}
	/* Members that could not be listed: the rules above could not judge
	 * them. */
	for (size_t k = 0; k < m->n_pr && rc == 0; k++) {
		const struct mdl_principal *p = &m->pr[k];
		if (p->ng && p->type == PT_GROUP && !p->members_known &&
		    rule_unknown(out, r->id, m->src[ADM_SRC_MEMBERS].needs, M_ADM010_MEMBERS,
				 nm(p), p->id) < 0)
			rc = -1;
	}
	buf_free(&b);
	return rc;
}

/* ADM-011: a disabled account, or one unused for more than 90 days, still
 * holding a role: a dormant door (information). */
int adm_r_dormant(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_admins *m = ADM_M(c);
	struct buf b = { 0 };
	char when[32];
	int rc = 0;
	/* Disabled accounts need only the users; dormancy needs their
	 * signInActivity (Entra ID P1). */
	int activity = c->src[ADM_SRC_ACTIVITY].ok;
	if (!activity)
		rc = rule_unknown(out, r->id, c->src[ADM_SRC_ACTIVITY].needs, c->src[ADM_SRC_ACTIVITY].reason,
				  c->src[ADM_SRC_ACTIVITY].name, c->src[ADM_SRC_ACTIVITY].detail);
	for (size_t k = 0; k < m->n_pr && rc == 0; k++) {
		const struct mdl_principal *p = &m->pr[k];
		if (!p->ng || p->type != PT_USER)
			continue;
		struct finding *f = NULL;
		if (p->enabled == 0) {
			f = adm_emit_pr(out, r, r->sev, ST_SUSPECT, m, k, M_ADM011_DISABLED, mdl_label(p),
					roles(m, k, &b));
		} else if (activity && p->activity == 1 && (!p->last_signin || p->last_signin < c->now - 90 * 86400) &&
			   (!p->created || p->created < c->now - 90 * 86400)) {
			if (p->last_signin)
				adm_time(p->last_signin, when);
			else
				snprintf(when, sizeof when, "%s", tr(M_ADM_NEVER));
			f = adm_emit_pr(out, r, r->sev, ST_SUSPECT, m, k, M_ADM011_DORMANT, mdl_label(p), when,
					roles(m, k, &b));
		} else {
			continue;
		}
		if (!f)
			rc = -1;
	}
	buf_free(&b);
	return rc;
}
