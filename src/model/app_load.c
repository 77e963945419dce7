/*
 * check-apps: the sources, the order they are read in, and what the
 * rules need joined: an application with its service principal, each
 * object with its credentials, who publishes it, what it may reach.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "case/case.h"
#include "model/model.h"

/* What each source needs: the Graph permissions reference of each API
 * ("least privileged") and the licensing page of Entra monitoring. */
static const struct { const char *name, *rel, *needs; } sources[APP_NSRC] = {
	[APP_SRC_APPS] = { "applications", APP_REL_APPS, "Application.Read.All" },
	[APP_SRC_SPS] = { "servicePrincipals", APP_REL_SPS, "Application.Read.All" },
	[APP_SRC_GRANTS] = { "oauth2PermissionGrants", APP_REL_GRANTS, "DelegatedPermissionGrant.Read.All" },
	[APP_SRC_RESOURCES] = { "apiRoles", APP_REL_RESOURCES, "Application.Read.All" },
	[APP_SRC_ASSIGNED] = { "appRoleAssignedTo", APP_REL_SPS, "Application.Read.All" },
	[APP_SRC_OWNERS] = { "owners", APP_REL_APPS, "Application.Read.All" },
	[APP_SRC_FIC] = { "federatedIdentityCredentials", APP_REL_APPS, "Application.Read.All" },
	[APP_SRC_AUDITS] = { "directoryAudits", APP_REL_AUDITS, "AuditLog.Read.All" },
	[APP_SRC_SIGNINS] = { "servicePrincipalSignIns", APP_REL_SIGNINS, "Entra ID P1 + AuditLog.Read.All" },
	[APP_SRC_ROLES] = { "roleAssignments", APP_REL_ROLES, "RoleManagement.Read.Directory" },
	[APP_SRC_USERS] = { "users", APP_REL_USERS, "User.Read.All" },
};

void mdl_app_sources(struct mdl_src out[APP_NSRC])
{
	memset(out, 0, APP_NSRC * sizeof *out);
	for (int s = 0; s < APP_NSRC; s++) {
		out[s].name = sources[s].name;
		out[s].rel = sources[s].rel;
		out[s].needs = sources[s].needs;
	}
}

void mdl_apps_init(struct mdl_apps *m)
{
	memset(m, 0, sizeof *m);
	mdl_app_sources(m->src);
	m->h.src = m->src;
	m->h.nsrc = APP_NSRC;
}

size_t mdl_app_find(const struct mdl_apps *m, const char *id)
{
	return id ? mdl_map_get(&m->by_id, id) : MDL_NONE;
}

size_t mdl_app_by_appid(const struct mdl_apps *m, const char *app_id)
{
	char k[80];
	if (!app_id || strlen(app_id) > 64)
		return MDL_NONE;
	snprintf(k, sizeof k, "s:%s", app_id);
	size_t i = mdl_map_get(&m->by_appid, k);
	if (i != MDL_NONE)
		return i;
	k[0] = 'a';
	return mdl_map_get(&m->by_appid, k);
}

size_t mdl_app_sp(const struct mdl_apps *m, size_t k)
{
	if (k >= m->n_obj)
		return MDL_NONE;
	return m->obj[k].sp ? k : m->obj[k].peer;
}

const struct mdl_app_user *mdl_app_user(const struct mdl_apps *m, const char *id)
{
	size_t i = id ? mdl_map_get(&m->user_by_id, id) : MDL_NONE;
	return i == MDL_NONE ? NULL : &m->users[i];
}

static int cred_cmp(const void *a, const void *b)
{
	const struct mdl_app_cred *x = a, *y = b;
	if (x->obj != y->obj)
		return x->obj < y->obj ? -1 : 1;
	return strcmp(x->key_id ? x->key_id : "", y->key_id ? y->key_id : "");
}

static int event_cmp(const void *a, const void *b)
{
	const struct mdl_app_event *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return strcmp(x->id ? x->id : "", y->id ? y->id : "");
}

/* SAML single sign-on: Entra keeps a signing certificate (a Sign and a
 * Verify key) and a password, all with the same customKeyIdentifier, on
 * the service principal (MicrosoftDocs/azure-docs #58484, #59275): its
 * own doing, not a credential someone added to sign in as the app. */
static void saml_sets(struct mdl_apps *m, const struct mdl_app *o)
{
	if (!o->sp || !o->sso || strcasecmp(o->sso, "saml"))
		return;
	for (size_t i = o->c0; i < o->c0 + o->nc; i++) {
		struct mdl_app_cred *c = &m->creds[i];
		if (!c->thumb)
			continue;
		for (size_t k = o->c0; k < o->c0 + o->nc; k++)
			if (k != i && !m->creds[k].password && m->creds[k].thumb &&
			    !strcmp(m->creds[k].thumb, c->thumb))
				c->saml = 1;
	}
}

void mdl_apps_index(struct mdl_apps *m)
{
	if (m->n_creds)
		qsort(m->creds, m->n_creds, sizeof *m->creds, cred_cmp);
	for (size_t i = 0; i < m->n_creds; i++) {
		struct mdl_app *o = &m->obj[m->creds[i].obj];
		if (!o->nc)
			o->c0 = i;
		o->nc++;
	}
	if (m->n_ev)
		qsort(m->ev, m->n_ev, sizeof *m->ev, event_cmp);
	const char *tid = m->h.tenant_id;
	for (size_t k = 0; k < m->n_obj; k++) {
		struct mdl_app *o = &m->obj[k];
		saml_sets(m, o);
		/* An application and its service principal share the appId. */
		char key[80];
		snprintf(key, sizeof key, "%c:%s", o->sp ? 'a' : 's', o->app_id ? o->app_id : "");
		o->peer = o->app_id ? mdl_map_get(&m->by_appid, key) : MDL_NONE;
		if (!o->sp) {
			o->origin = ORG_TENANT;
		} else if (o->sp_type && !strcasecmp(o->sp_type, "ManagedIdentity")) {
			o->origin = ORG_MANAGED;
		} else if (o->owner_tenant && mdl_ms_tenant(o->owner_tenant)) {
			o->origin = ORG_MICROSOFT;
		} else if ((o->owner_tenant && tid[0] && !strcasecmp(o->owner_tenant, tid)) || o->peer != MDL_NONE) {
			o->origin = ORG_TENANT;
		} else if (o->owner_tenant) {
			o->origin = ORG_THIRD;
		} else {
			/* No owner tenant (legacy service principals): the
			 * compiled-in list of Microsoft's applications. */
			o->origin = mdl_ms_app(o->app_id) ? ORG_MICROSOFT : ORG_UNKNOWN;
		}
		size_t r = mdl_map_get(&m->priv, o->id);
		o->role = r == MDL_NONE ? NULL : m->role_val[r];
	}
	for (size_t i = 0; i < m->n_users; i++) {
		size_t r = mdl_map_get(&m->priv, m->users[i].id);
		m->users[i].role = r == MDL_NONE ? NULL : m->role_val[r];
	}
	/* What each client may reach, its application's registration too. */
	for (size_t i = 0; i < m->n_assigns; i++)
		if (m->assigns[i].client != MDL_NONE)
			m->obj[m->assigns[i].client].app_perms |= m->assigns[i].cls;
	for (size_t i = 0; i < m->n_grants; i++) {
		struct mdl_app_grant *g = &m->grants[i];
		if (g->client == MDL_NONE)
			continue;
		if (g->all)
			m->obj[g->client].all_perms |= g->cls;
		else
			m->obj[g->client].user_perms |= g->cls;
	}
	for (size_t k = 0; k < m->n_obj; k++) {
		struct mdl_app *o = &m->obj[k];
		if (!o->sp && o->peer != MDL_NONE) {
			const struct mdl_app *s = &m->obj[o->peer];
			o->app_perms = s->app_perms;
			o->all_perms = s->all_perms;
			o->user_perms = s->user_perms;
			o->role = s->role;
		}
	}
	for (size_t i = 0; i < m->n_si; i++) {
		struct mdl_app_signin *s = &m->si[i];
		s->obj = mdl_app_find(m, s->sp_id);
		if (s->obj == MDL_NONE)
			s->obj = mdl_app_by_appid(m, s->app_id);
	}
}

int mdl_apps_load(struct case_dir *cs, const struct tm_window *w, struct mdl_apps *m)
{
	static const int logs[] = { APP_SRC_AUDITS, APP_SRC_SIGNINS };
	mdl_apps_init(m);
	if (mdl_head_load(cs, "check-apps", w, 30 * 86400, logs, sizeof logs / sizeof logs[0], &m->h) < 0 ||
	    mdl_src_read(cs, &m->h, APP_SRC_APPS, APP_REL_APPS, mdl_app_item, m) < 0 ||
	    mdl_src_read(cs, &m->h, APP_SRC_SPS, APP_REL_SPS, mdl_sp_item, m) < 0 ||
	    mdl_app_load_logs(cs, m) < 0 || mdl_app_load_perms(cs, m) < 0 || mdl_app_load_owned(cs, m) < 0)
		return -1;
	mdl_apps_index(m);
	return 0;
}

int mdl_apps_load_dir(const char *case_dir, const struct tm_window *w, struct mdl_apps *m)
{
	struct case_dir *cs;
	mdl_apps_init(m);
	if (!file_exists(case_dir))
		return err_set(E_MDL_NO_CASE, case_dir);
	if (case_open(&cs, case_dir, NULL, NULL, 1) < 0)
		return -1;
	int r = mdl_apps_load(cs, w, m);
	case_close(cs);
	return r;
}

void mdl_apps_free(struct mdl_apps *m)
{
	free(m->obj);
	free(m->creds);
	free(m->urls);
	free(m->owners);
	free(m->fics);
	free(m->grants);
	free(m->assigns);
	free(m->role_val);
	free(m->ev);
	free(m->si);
	free(m->users);
	mdl_map_free(&m->by_id);
	mdl_map_free(&m->by_appid);
	mdl_map_free(&m->role_names);
	mdl_map_free(&m->si_key);
	mdl_map_free(&m->user_by_id);
	mdl_map_free(&m->priv);
	mdl_arena_free(&m->ar);
	memset(m, 0, sizeof *m);
}
