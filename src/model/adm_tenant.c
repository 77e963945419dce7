/*
 * check-admins, the tenant's settings: authorization policy (guests),
 * domains and their federation, conditional access, security defaults.
 * Shapes: Graph v1.0 authorizationPolicy, domain, internalDomainFederation,
 * conditionalAccessPolicy, identitySecurityDefaultsEnforcementPolicy.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "model/model.h"

static int authz_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct mdl_admins *m = ctx;
	/* v1.0 returns the one policy as an object; beta as a collection of
	 * one. Either way the first is the tenant's. */
	if (m->authz_read)
		return 0;
	if (mdl_str(&m->ar, j, it, "guestUserRoleId", &m->guest_role_id) < 0 ||
	    mdl_str(&m->ar, j, it, "allowInvitesFrom", &m->allow_invites) < 0)
		return -1;
	m->authz_read = 1;
	m->ev_authz = mdl_intern(&m->ar, ev);
	return 0;
}

static int domain_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct mdl_admins *m = ctx;
	const char *id, *auth;
	if (mdl_str(&m->ar, j, it, "id", &id) < 0 || mdl_str(&m->ar, j, it, "authenticationType", &auth) < 0)
		return -1;
	if (!id)
		return err_set(E_MDL_FIELD, "id");
	int v = mdl_bool(j, it, "isVerified");
	if (v == -2)
		return -1;
	struct mdl_domain *d = MDL_PUSH(m->dom, m->n_dom, m->cap_dom);
	if (!d)
		return -1;
	d->id = id;
	d->federated = auth && !strcasecmp(auth, "Federated");
	d->verified = v == 1;
	d->ev = mdl_intern(&m->ar, ev);
	return 0;
}

struct fed_ctx {
	struct mdl_admins *m;
	size_t d;
};

static int fed_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct fed_ctx *c = ctx;
	struct mdl_domain *d = &c->m->dom[c->d];
	if (d->issuer)
		return 0;
	if (mdl_str(&c->m->ar, j, it, "issuerUri", &d->issuer) < 0)
		return -1;
	d->ev_fed = mdl_intern(&c->m->ar, ev);
	return 0;
}

static int load_federation(struct case_dir *cs, struct mdl_admins *m)
{
	struct mdl_src *s = &m->src[ADM_SRC_FEDERATION];
	if ((m->h.rec.found && s->st != MDL_ST_OK) || m->src[ADM_SRC_DOMAINS].st != MDL_ST_OK) {
		if (m->src[ADM_SRC_DOMAINS].st != MDL_ST_OK && s->st == MDL_ST_OK)
			s->st = MDL_ST_ABSENT;
		return 0;
	}
	int all = 1;
	for (size_t k = 0; k < m->n_dom; k++) {
		if (!m->dom[k].federated)
			continue;
		if (!mdl_safe_name(m->dom[k].id)) {
			all = 0;
			continue;
		}
		char rel[PATH_MAX];
		snprintf(rel, sizeof rel, "%s/%s/%s", ADM_REL_DOMAINS, m->dom[k].id, ADM_REL_FEDCONF);
		struct fed_ctx c = { m, k };
		size_t np;
		int r = mdl_pages(cs, rel, fed_item, &c, &np);
		if (r < 0) {
			if (mdl_fatal(r))
				return -1;
			s->st = MDL_ST_BAD;
			snprintf(s->detail, sizeof s->detail, "%s", err_msg());
			err_clear();
			return 0;
		}
		/* Graph answers 404 when a federated domain has no
		 * configuration: the collector then saves nothing. */
		m->dom[k].fed_read = np > 0 || m->h.rec.found;
		all &= m->dom[k].fed_read;
	}
	/* No federated domain: nothing to read, a complete answer. */
	s->st = all ? MDL_ST_OK : MDL_ST_ABSENT;
	return 0;
}

static int ca_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct mdl_admins *m = ctx;
	struct mdl_ca c = { 0 };
	if (mdl_str(&m->ar, j, it, "id", &c.id) < 0 || mdl_str(&m->ar, j, it, "displayName", &c.name) < 0 ||
	    mdl_str(&m->ar, j, it, "state", &c.state) < 0)
		return -1;
	if (mdl_time(j, it, "createdDateTime", &c.created) < 0 ||
	    mdl_time(j, it, "modifiedDateTime", &c.modified) < 0)
		return err_set(E_MDL_FIELD, "modifiedDateTime");
	c.ev = mdl_intern(&m->ar, ev);
	struct mdl_ca *p = MDL_PUSH(m->ca, m->n_ca, m->cap_ca);
	if (!p)
		return -1;
	*p = c;
	return 0;
}

static int secdef_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct mdl_admins *m = ctx;
	int v = mdl_bool(j, it, "isEnabled");
	if (v == -2)
		return -1;
	if (v < 0)
		return err_set(E_MDL_FIELD, "isEnabled");
	m->secdef = v;
	m->ev_secdef = mdl_intern(&m->ar, ev);
	return 0;
}

int mdl_adm_load_tenant(struct case_dir *cs, struct mdl_admins *m)
{
	m->secdef = -1;
	if (mdl_adm_read(cs, m, ADM_SRC_AUTHZ, ADM_REL_AUTHZ, authz_item, m) < 0 ||
	    mdl_adm_read(cs, m, ADM_SRC_DOMAINS, ADM_REL_DOMAINS, domain_item, m) < 0 ||
	    load_federation(cs, m) < 0 ||
	    mdl_adm_read(cs, m, ADM_SRC_CA, ADM_REL_CA, ca_item, m) < 0 ||
	    mdl_adm_read(cs, m, ADM_SRC_SECDEF, ADM_REL_SECDEF, secdef_item, m) < 0)
		return -1;
	if (m->src[ADM_SRC_SECDEF].st == MDL_ST_OK && m->secdef < 0)
		m->src[ADM_SRC_SECDEF].st = MDL_ST_BAD;
	if (m->src[ADM_SRC_AUTHZ].st == MDL_ST_OK && !m->authz_read)
		m->src[ADM_SRC_AUTHZ].st = MDL_ST_BAD;
	return 0;
}
