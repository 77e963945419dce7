/*
 * check-apps, the permissions: delegated grants (oAuth2PermissionGrant),
 * application permissions (appRoleAssignment, read from each Microsoft
 * API's appRoleAssignedTo) and the names of the APIs' app roles, and what
 * a permission reaches.
 *
 * A permission is judged by its name on one of Microsoft's APIs: a grant
 * carries names ("Mail.Read"), an assignment an app role id that the API's
 * own appRoles name (read from the tenant, so no GUID table to go stale).
 * Classes: mailbox content and the Exchange protocols (the fiche's
 * "permissions d'accéder aux boîtes aux lettres"); files, sites and
 * conversations; writing the directory (Tier 0 in the sense of
 * emiliensocchi/azure-tiering as Maester uses it, and Mandiant's
 * AzureAD Investigator lists); "Read and Write, or All" as the fiche reads
 * the consent CSV; sign-in only (openid, profile, email, offline_access,
 * User.Read), which the fiche does not ask about.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "case/case.h"
#include "model/model.h"

static const struct { const char *p; unsigned char cls; } prefixes[] = {
	{ "Mail.ReadBasic", PERM_MAILDATA },
	{ "Mail.", PERM_MAIL },
	{ "MailboxSettings.ReadWrite", PERM_MAIL },
	{ "MailboxSettings.", PERM_MAILDATA },
	{ "Mailbox", PERM_MAIL },             /* MailboxItem., MailboxFolder., Mailbox.Migration */
	{ "EWS.", PERM_MAIL },
	{ "IMAP.", PERM_MAIL },
	{ "POP.", PERM_MAIL },
	{ "SMTP.", PERM_MAIL },
	{ "full_access_as_", PERM_MAIL },     /* EWS, every mailbox */
	{ "Exchange.Manage", PERM_MAIL },     /* Exchange PowerShell */
	{ "Contacts.", PERM_MAILDATA },
	{ "Calendars.", PERM_MAILDATA },
	{ "People.", PERM_MAILDATA },
	{ "Files.", PERM_DATA },
	{ "Sites.", PERM_DATA },
	{ "AllSites.", PERM_DATA },
	{ "MyFiles.", PERM_DATA },
	{ "Notes.", PERM_DATA },
	{ "Chat.", PERM_DATA },
	{ "ChannelMessage.", PERM_DATA },
	{ "eDiscovery.", PERM_DATA },
	{ "Directory.ReadWrite", PERM_TIER0 },
	{ "Directory.AccessAsUser", PERM_TIER0 },
	{ "RoleManagement.ReadWrite", PERM_TIER0 },
	{ "RoleAssignmentSchedule.ReadWrite", PERM_TIER0 },
	{ "RoleEligibilitySchedule.ReadWrite", PERM_TIER0 },
	{ "AppRoleAssignment.ReadWrite", PERM_TIER0 },
	{ "Application.ReadWrite", PERM_TIER0 },
	{ "DelegatedPermissionGrant.ReadWrite", PERM_TIER0 },
	{ "User.ReadWrite.All", PERM_TIER0 },
	{ "User.ManageCreds", PERM_TIER0 },
	{ "UserAuthenticationMethod.ReadWrite", PERM_TIER0 },
	{ "Policy.ReadWrite", PERM_TIER0 },
	{ "Group.ReadWrite", PERM_TIER0 },
	{ "GroupMember.ReadWrite", PERM_TIER0 },
	{ "Domain.ReadWrite", PERM_TIER0 },
	{ "Organization.ReadWrite", PERM_TIER0 },
	{ "Privileged", PERM_TIER0 },         /* PIM for groups: …ReadWrite only, below */
	{ "EntitlementManagement.ReadWrite", PERM_TIER0 },
	{ "Synchronization.ReadWrite", PERM_TIER0 },
	{ "IdentityProvider.ReadWrite", PERM_TIER0 },
	{ "DeviceManagement", PERM_TIER0 },   /* Intune scripts run on every device: …ReadWrite only */
};

static int has(const char *s, const char *sub)
{
	for (size_t n = strlen(sub); *s; s++)
		if (!strncasecmp(s, sub, n))
			return 1;
	return 0;
}

unsigned mdl_perm_class(const char *api, const char *name)
{
	static const char *const signin[] = { "openid", "profile", "email", "offline_access", "User.Read" };
	if (!name || !*name || (api && !mdl_ms_api(api)))
		return 0;
	for (size_t i = 0; i < sizeof signin / sizeof signin[0]; i++)
		if (!strcasecmp(name, signin[i]))
			return PERM_SIGNIN;
	unsigned c = PERM_BROAD;
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		if (strncasecmp(name, prefixes[i].p, strlen(prefixes[i].p)))
			continue;
		if (prefixes[i].cls != PERM_TIER0 || has(name, "ReadWrite") || has(name, "AccessAsUser") ||
		    has(name, "ManageCreds"))
			c |= prefixes[i].cls;
		break;
	}
	return c;
}

unsigned mdl_scope_class(const char *api, const char *scopes)
{
	unsigned c = 0;
	char w[256];
	for (const char *p = scopes ? scopes : ""; *p;) {
		size_t n = strcspn(p, " ");
		if (n && n < sizeof w) {
			memcpy(w, p, n);
			w[n] = 0;
			c |= mdl_perm_class(api, w);
		}
		p += n;
		p += strspn(p, " ");
	}
	return c;
}

/* ---- the APIs' app roles ----------------------------------------------------------- */

static int resource_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct mdl_apps *m = ctx;
	(void)ev;
	int a = json_get(j, it, "appRoles");
	for (int c = json_first(j, a); c >= 0; c = json_next(j, c)) {
		const char *id, *v;
		if (mdl_str(&m->ar, j, c, "id", &id) < 0 || mdl_str(&m->ar, j, c, "value", &v) < 0)
			return -1;
		if (!id || !v || mdl_map_get(&m->role_names, id) != MDL_NONE)
			continue;
		size_t k = m->n_role_val;
		const char **p = MDL_PUSH(m->role_val, m->n_role_val, m->cap_role_val);
		if (!p || mdl_map_put(&m->role_names, id, k) < 0)
			return -1;
		*p = v;
	}
	return 0;
}

/* ---- delegated grants ----------------------------------------------------------------- */

#define MAX_SCOPE 16384

int mdl_grant_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct mdl_apps *m = ctx;
	struct mdl_app_grant e = { 0 };
	const char *type;
	if (mdl_str(&m->ar, j, it, "id", &e.id) < 0 || mdl_str(&m->ar, j, it, "clientId", &e.client_id) < 0 ||
	    mdl_str(&m->ar, j, it, "resourceId", &e.resource_id) < 0 ||
	    mdl_str(&m->ar, j, it, "principalId", &e.principal) < 0 ||
	    mdl_str(&m->ar, j, it, "consentType", &type) < 0)
		return -1;
	/* A scope list can outgrow one string field: read it whole, bounded. */
	char *scope = json_strdup(j, it, "scope");
	if (scope && strlen(scope) > MAX_SCOPE) {
		free(scope);
		return err_set(E_MDL_FIELD, "scope");
	}
	e.scope = scope ? mdl_intern(&m->ar, scope) : NULL;
	free(scope);
	err_clear();
	if (scope && !e.scope)
		return -1;
	e.all = type && !strcasecmp(type, "AllPrincipals");
	if (!e.client_id)
		return err_set(E_MDL_FIELD, "clientId");
	e.client = mdl_app_find(m, e.client_id);
	e.resource = mdl_app_find(m, e.resource_id);
	e.cls = mdl_scope_class(e.resource == MDL_NONE ? NULL : m->obj[e.resource].app_id, e.scope);
	e.ev = mdl_intern(&m->ar, ev);
	struct mdl_app_grant *p = MDL_PUSH(m->grants, m->n_grants, m->cap_grants);
	if (!p || !e.ev)
		return -1;
	*p = e;
	return 0;
}

/* ---- application permissions ---------------------------------------------------------- */

static int assign_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct mdl_apps *m = ctx;
	struct mdl_app_assign e = { 0 };
	const char *type, *client, *resource;
	if (mdl_str(&m->ar, j, it, "principalType", &type) < 0)
		return -1;
	/* Users and groups assigned to an app are people using it, not an
	 * application's permission. */
	if (type && strcasecmp(type, "ServicePrincipal"))
		return 0;
	if (mdl_str(&m->ar, j, it, "id", &e.id) < 0 || mdl_str(&m->ar, j, it, "appRoleId", &e.role_id) < 0 ||
	    mdl_str(&m->ar, j, it, "principalId", &client) < 0 || mdl_str(&m->ar, j, it, "resourceId", &resource) < 0)
		return -1;
	/* 00000000-…: default access, no permission. */
	if (!e.role_id || !strcmp(e.role_id, "00000000-0000-0000-0000-000000000000"))
		return 0;
	if (mdl_time(j, it, "createdDateTime", &e.created) != 0 &&
	    mdl_time(j, it, "creationTimestamp", &e.created) != 0) {
		e.created = 0;
		err_clear();
	}
	e.client = mdl_app_find(m, client);
	e.resource = mdl_app_find(m, resource);
	size_t v = mdl_map_get(&m->role_names, e.role_id);
	e.value = v == MDL_NONE ? NULL : m->role_val[v];
	e.cls = mdl_perm_class(e.resource == MDL_NONE ? NULL : m->obj[e.resource].app_id, e.value);
	e.ev = mdl_intern(&m->ar, ev);
	struct mdl_app_assign *p = MDL_PUSH(m->assigns, m->n_assigns, m->cap_assigns);
	if (!p || !e.ev)
		return -1;
	*p = e;
	return 0;
}

/* appRoleAssignedTo of each of Microsoft's APIs present in the tenant. */
static int load_assigned(struct case_dir *cs, struct mdl_apps *m)
{
	struct mdl_src *s = &m->src[APP_SRC_ASSIGNED];
	if (m->h.rec.found && s->st != MDL_ST_OK)
		return 0;
	int missing = 0, found = 0;
	for (size_t k = 0; k < m->n_obj; k++) {
		const struct mdl_app *o = &m->obj[k];
		if (!o->sp || !mdl_ms_api(o->app_id) || !mdl_safe_name(o->id))
			continue;
		char rel[256];
		snprintf(rel, sizeof rel, "%s/%s/%s", APP_REL_SPS, o->id, APP_REL_ASSIGNED);
		int r = mdl_src_pages(cs, s, rel, assign_item, m);
		if (r < 0)
			return -1;
		if (s->st == MDL_ST_BAD)
			return 0;
		found += r;
		missing += !r;
	}
	if (missing && m->h.rec.found) {
		s->st = MDL_ST_BAD;
		snprintf(s->detail, sizeof s->detail, "%s", tr(M_MDL_PARTIAL));
	} else if (!m->h.rec.found) {
		s->st = found ? MDL_ST_OK : MDL_ST_ABSENT;
	}
	return 0;
}

int mdl_app_load_perms(struct case_dir *cs, struct mdl_apps *m)
{
	if (mdl_src_read(cs, &m->h, APP_SRC_RESOURCES, APP_REL_RESOURCES, resource_item, m) < 0 ||
	    mdl_src_read(cs, &m->h, APP_SRC_GRANTS, APP_REL_GRANTS, mdl_grant_item, m) < 0)
		return -1;
	return load_assigned(cs, m);
}
