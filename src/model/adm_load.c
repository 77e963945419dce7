/*
 * check-admins: the sources, in the order they depend on each other, and
 * the derived views the rules read.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "case/case.h"
#include "model/model.h"

/* What each source needs, from the Graph permissions reference of each
 * API ("least privileged") and its licence note. */
static const struct mdl_src_def sources[ADM_NSRC] = {
	[ADM_SRC_ROLEDEFS] = { "roleDefinitions", ADM_REL_ROLEDEFS, "RoleManagement.Read.Directory" },
	[ADM_SRC_ASSIGN] = { "roleAssignments", ADM_REL_ASSIGN, "RoleManagement.Read.Directory" },
	[ADM_SRC_ELIGIBLE] = { "roleEligibilityScheduleInstances", ADM_REL_ELIGIBLE,
			       "Entra ID P2 + RoleEligibilitySchedule.Read.Directory" },
	[ADM_SRC_MEMBERS] = { "groupMembers", ADM_REL_GROUPS, "GroupMember.Read.All" },
	[ADM_SRC_USERS] = { "users", ADM_REL_USERS, "User.Read.All" },
	[ADM_SRC_ACTIVITY] = { "signInActivity", ADM_REL_USERS, "Entra ID P1 + AuditLog.Read.All" },
	[ADM_SRC_MFA] = { "mfaRegistration", ADM_REL_REGDETAILS,
			  "Entra ID P1 + AuditLog.Read.All, or UserAuthenticationMethod.Read.All" },
	[ADM_SRC_SIGNINS] = { "signIns", ADM_REL_SIGNINS, "Entra ID P1 + AuditLog.Read.All" },
	[ADM_SRC_AUDITS] = { "directoryAudits", ADM_REL_AUDITS, "AuditLog.Read.All" },
	[ADM_SRC_RISKYUSERS] = { "riskyUsers", ADM_REL_RISKYUSERS, "Entra ID P2 + IdentityRiskyUser.Read.All" },
	[ADM_SRC_RISKDET] = { "riskDetections", ADM_REL_RISKDET, "Entra ID P2 + IdentityRiskEvent.Read.All" },
	[ADM_SRC_AUTHZ] = { "authorizationPolicy", ADM_REL_AUTHZ, "Policy.Read.All" },
	[ADM_SRC_DOMAINS] = { "domains", ADM_REL_DOMAINS, "Domain.Read.All" },
	[ADM_SRC_FEDERATION] = { "federationConfiguration", ADM_REL_DOMAINS, "Domain.Read.All" },
	[ADM_SRC_CA] = { "conditionalAccessPolicies", ADM_REL_CA, "Entra ID P1 + Policy.Read.All" },
	[ADM_SRC_SECDEF] = { "securityDefaults", ADM_REL_SECDEF, "Policy.Read.All" },
	[ADM_SRC_GUESTS] = { "guests", ADM_REL_GUESTS, "User.Read.All" },
};

int mdl_adm_read(struct case_dir *cs, struct mdl_admins *m, enum adm_src s,
	     const char *rel, mdl_item_fn fn, void *ctx)
{
	return mdl_src_read(cs, &m->h, s, rel, fn, ctx);
}

static int grant_cmp(const void *a, const void *b)
{
	const struct mdl_grant *x = a, *y = b;
	if (x->who != y->who)
		return x->who < y->who ? -1 : 1;
	if (x->role != y->role)
		return x->role < y->role ? -1 : 1;
	return x->eligible - y->eligible;
}

static int signin_cmp(const void *a, const void *b)
{
	const struct mdl_signin *x = a, *y = b;
	if (x->who != y->who)
		return x->who < y->who ? -1 : 1;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return strcmp(x->id ? x->id : "", y->id ? y->id : "");
}

static int audit_cmp(const void *a, const void *b)
{
	const struct mdl_audit *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return strcmp(x->id ? x->id : "", y->id ? y->id : "");
}

static void index_model(struct mdl_admins *m)
{
	/* qsort's base must not be NULL even for no element (C11 7.22.5). */
	if (m->n_grants)
		qsort(m->grants, m->n_grants, sizeof *m->grants, grant_cmp);
	for (size_t k = 0; k < m->n_pr; k++)
		m->pr[k].g0 = m->pr[k].ng = 0;
	for (size_t i = 0; i < m->n_grants; i++) {
		struct mdl_principal *p = &m->pr[m->grants[i].who];
		if (!p->ng)
			p->g0 = i;
		p->ng++;
	}
	if (m->n_si)
		qsort(m->si, m->n_si, sizeof *m->si, signin_cmp);
	if (m->n_au)
		qsort(m->au, m->n_au, sizeof *m->au, audit_cmp);
	m->indexed = 1;
}

void mdl_adm_sources(struct mdl_src out[ADM_NSRC])
{
	mdl_src_init(out, sources, ADM_NSRC);
}

void mdl_admins_init(struct mdl_admins *m)
{
	memset(m, 0, sizeof *m);
	mdl_adm_sources(m->src);
	m->h.src = m->src;
	m->h.nsrc = ADM_NSRC;
	m->secdef = -1;
}

int mdl_admins_load(struct case_dir *cs, const struct tm_window *w, struct mdl_admins *m)
{
	static const int logs[] = { ADM_SRC_SIGNINS, ADM_SRC_AUDITS, ADM_SRC_RISKDET };
	mdl_admins_init(m);
	if (mdl_head_load(cs, "check-admins", w, 30 * 86400, logs, sizeof logs / sizeof logs[0], &m->h) < 0 ||
	    mdl_adm_load_dir(cs, m) < 0 || mdl_adm_load_logs(cs, m) < 0 || mdl_adm_load_tenant(cs, m) < 0)
		return -1;
	index_model(m);
	/* The domains read name the tenant too (a baseline's [tenant]
	 * domain is checked against them). */
	char *d = m->h.tenant_domains;
	for (size_t k = 0; k < m->n_dom; k++) {
		size_t n = strlen(d), l = strlen(m->dom[k].id);
		if (n + l + 2 < sizeof m->h.tenant_domains)
			snprintf(d + n, sizeof m->h.tenant_domains - n, "%s%s", n ? " " : "", m->dom[k].id);
	}
	return 0;
}

int mdl_admins_load_dir(const char *case_dir, const struct tm_window *w, struct mdl_admins *m)
{
	struct case_dir *cs;
	mdl_admins_init(m);
	if (!file_exists(case_dir))
		return err_set(E_MDL_NO_CASE, case_dir);
	/* Read-only: the manifest to check against, nothing written. */
	if (case_open(&cs, case_dir, NULL, NULL, 1) < 0)
		return -1;
	int r = mdl_admins_load(cs, w, m);
	case_close(cs);
	return r;
}

void mdl_admins_free(struct mdl_admins *m)
{
	free(m->pr);
	free(m->roles);
	free(m->grants);
	free(m->si);
	free(m->au);
	free(m->ru);
	free(m->rd);
	free(m->dom);
	free(m->ca);
	mdl_map_free(&m->pr_by_id);
	mdl_map_free(&m->role_by_id);
	mdl_arena_free(&m->ar);
	memset(m, 0, sizeof *m);
}

/* ---- derived views --------------------------------------------------------------- */

int mdl_is_privileged(const struct mdl_admins *m, size_t who)
{
	if (who >= m->n_pr)
		return 0;
	if (m->indexed)
		return m->pr[who].ng > 0;
	for (size_t i = 0; i < m->n_grants; i++)
		if (m->grants[i].who == who)
			return 1;
	return 0;
}

int mdl_is_ga(const struct mdl_admins *m, size_t who, int *eligible_only)
{
	int active = 0, elig = 0;
	const struct mdl_principal *p = &m->pr[who];
	for (size_t i = p->g0; i < p->g0 + p->ng; i++) {
		const struct mdl_grant *g = &m->grants[i];
		if (!m->roles[g->role].is_ga || strcmp(g->scope, "/"))
			continue;
		if (g->eligible)
			elig = 1;
		else
			active = 1;
	}
	if (eligible_only)
		*eligible_only = !active && elig;
	return active || elig;
}

int mdl_roles_text(const struct mdl_admins *m, size_t who, struct buf *out)
{
	const struct mdl_principal *p = &m->pr[who];
	size_t n0 = out->len;
	for (size_t i = p->g0; i < p->g0 + p->ng; i++) {
		const struct mdl_grant *g = &m->grants[i];
		/* One mention per role, the active form winning over the
		 * eligible one (grants are sorted by role then eligible). */
		if (i > p->g0 && m->grants[i - 1].role == g->role)
			continue;
		const struct mdl_role *r = &m->roles[g->role];
		if (out->len > n0 && buf_puts(out, ", ") < 0)
			return -1;
		if (buf_puts(out, r->name ? r->name : r->id) < 0)
			return -1;
		if (g->eligible && buf_printf(out, " (%s)", tr(M_MDL_ELIGIBLE)) < 0)
			return -1;
		if (g->via != MDL_NONE &&
		    buf_printf(out, " [%s %s]", tr(M_MDL_VIA), mdl_label(&m->pr[g->via])) < 0)
			return -1;
	}
	return 0;
}

const char *mdl_label(const struct mdl_principal *p)
{
	if (p->upn)
		return p->upn;
	if (p->app_id)
		return p->app_id;
	if (p->name)
		return p->name;
	return p->id;
}

void mdl_signins_of(const struct mdl_admins *m, size_t who, size_t *first, size_t *n)
{
	/* m->si is sorted by who: binary search for the first. */
	size_t lo = 0, hi = m->n_si;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->si[mid].who < who)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t e = lo;
	while (e < m->n_si && m->si[e].who == who)
		e++;
	*first = lo;
	*n = e - lo;
}
