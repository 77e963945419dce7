/*
 * check-admins, the directory side: role definitions, active and eligible
 * assignments, the principals holding them (groups expanded through their
 * transitive members), user details and MFA registration.
 *
 * Shapes: Microsoft Graph v1.0 unifiedRoleDefinition, unifiedRoleAssignment
 * with $expand=principal, unifiedRoleEligibilityScheduleInstance, user
 * (incl. signInActivity, onPremisesSyncEnabled), group transitiveMembers,
 * userRegistrationDetails, authenticationMethod.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/model.h"

int mdl_safe_name(const char *s)
{
	if (!s || !*s || strlen(s) > 255 || !strcmp(s, ".") || !strcmp(s, ".."))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '.' || *s == '_'))
			return 0;
	return 1;
}

static enum mdl_ptype odata_type(const char *t)
{
	if (!t)
		return PT_UNKNOWN;
	if (!strcasecmp(t, "#microsoft.graph.user"))
		return PT_USER;
	if (!strcasecmp(t, "#microsoft.graph.group"))
		return PT_GROUP;
	if (!strcasecmp(t, "#microsoft.graph.servicePrincipal"))
		return PT_SP;
	return PT_UNKNOWN;
}

size_t mdl_adm_principal(struct mdl_admins *m, const struct json *j, int tok, const char *ev)
{
	const char *id, *type;
	if (mdl_str(&m->ar, j, tok, "id", &id) < 0 || mdl_str(&m->ar, j, tok, "@odata.type", &type) < 0)
		return MDL_NONE;
	if (!id) {
		err_set(E_MDL_FIELD, "id");
		return MDL_NONE;
	}
	size_t k = mdl_map_get(&m->pr_by_id, id);
	if (k == MDL_NONE) {
		struct mdl_principal *p = MDL_PUSH(m->pr, m->n_pr, m->cap_pr);
		if (!p)
			return MDL_NONE;
		k = m->n_pr - 1;
		p->id = id;
		p->enabled = p->synced = p->activity = p->mfa = -1;
		if (mdl_map_put(&m->pr_by_id, id, k) < 0)
			return MDL_NONE;
	}
	struct mdl_principal *p = &m->pr[k];
	enum mdl_ptype t = odata_type(type);
	if (t != PT_UNKNOWN)
		p->type = t;
	const char *v;
#define TAKE(field, path) do { if (mdl_str(&m->ar, j, tok, path, &v) < 0) return MDL_NONE; \
		if (v) p->field = v; } while (0)
	TAKE(name, "displayName");
	TAKE(upn, "userPrincipalName");
	TAKE(mail, "mail");
	TAKE(app_id, "appId");
	TAKE(user_type, "userType");
#undef TAKE
	/* Only users and service principals have a userPrincipalName or an
	 * appId: a record that has one tells its type when @odata.type is
	 * missing (a $select drops it). */
	if (p->type == PT_UNKNOWN)
		p->type = p->upn ? PT_USER : p->app_id ? PT_SP : PT_UNKNOWN;
	int b = mdl_bool(j, tok, "accountEnabled");
	if (b == -2)
		return MDL_NONE;
	if (b >= 0)
		p->enabled = b;
	if (!p->ev)
		p->ev = mdl_intern(&m->ar, ev);
	return k;
}

/* ---- role definitions ------------------------------------------------------ */

static int role_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct mdl_admins *m = ctx;
	const char *id, *tpl, *name;
	(void)ev;
	if (mdl_str(&m->ar, j, it, "id", &id) < 0 || mdl_str(&m->ar, j, it, "templateId", &tpl) < 0 ||
	    mdl_str(&m->ar, j, it, "displayName", &name) < 0)
		return -1;
	if (!id)
		return err_set(E_MDL_FIELD, "id");
	if (mdl_map_get(&m->role_by_id, id) != MDL_NONE)
		return 0;
	int builtin = mdl_bool(j, it, "isBuiltIn"), priv = mdl_bool(j, it, "isPrivileged");
	if (builtin == -2 || priv == -2)
		return -1;
	struct mdl_role *r = MDL_PUSH(m->roles, m->n_roles, m->cap_roles);
	if (!r)
		return -1;
	r->id = id;
	r->template_id = tpl ? tpl : id;
	r->name = name ? name : mdl_priv_builtin(r->template_id);
	r->builtin = builtin == 1;
	r->privileged = priv == 1 || mdl_priv_builtin(r->template_id) != NULL;
	r->is_ga = !strcasecmp(r->template_id, MDL_GA_TEMPLATE);
	return mdl_map_put(&m->role_by_id, id, m->n_roles - 1);
}

/* A role id an assignment names but the definitions did not list (they
 * could not be read): built-in role ids are their template ids. */
static size_t role_for(struct mdl_admins *m, const char *id)
{
	size_t k = mdl_map_get(&m->role_by_id, id);
	if (k != MDL_NONE)
		return k;
	struct mdl_role *r = MDL_PUSH(m->roles, m->n_roles, m->cap_roles);
	if (!r)
		return MDL_NONE;
	r->id = r->template_id = id;
	r->name = mdl_priv_builtin(id);
	r->builtin = r->name != NULL;
	r->privileged = r->name != NULL;
	r->is_ga = !strcasecmp(id, MDL_GA_TEMPLATE);
	if (mdl_map_put(&m->role_by_id, id, m->n_roles - 1) < 0)
		return MDL_NONE;
	return m->n_roles - 1;
}

/* ---- assignments and eligibility -------------------------------------------------- */

struct grant_ctx {
	struct mdl_admins *m;
	int eligible;
};

static int grant_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct grant_ctx *g = ctx;
	struct mdl_admins *m = g->m;
	const char *role_id, *pid, *scope;
	int64_t start = 0;
	if (mdl_str(&m->ar, j, it, "roleDefinitionId", &role_id) < 0 ||
	    mdl_str(&m->ar, j, it, "principalId", &pid) < 0 ||
	    mdl_str(&m->ar, j, it, "directoryScopeId", &scope) < 0)
		return -1;
	if (g->eligible && mdl_time(j, it, "startDateTime", &start) < 0)
		return err_set(E_MDL_FIELD, "startDateTime");
	if (!role_id)
		return err_set(E_MDL_FIELD, "roleDefinitionId");
	size_t role = role_for(m, role_id);
	if (role == MDL_NONE)
		return -1;
	if (!m->roles[role].privileged)
		return 0;
	size_t who;
	int pt = json_get(j, it, "principal");
	if (json_type(j, pt) == JSON_OBJ) {
		who = mdl_adm_principal(m, j, pt, ev);
	} else {
		if (!pid)
			return err_set(E_MDL_FIELD, "principalId");
		who = mdl_map_get(&m->pr_by_id, pid);
		if (who == MDL_NONE) {
			struct mdl_principal *p = MDL_PUSH(m->pr, m->n_pr, m->cap_pr);
			if (!p)
				return -1;
			who = m->n_pr - 1;
			p->id = pid;
			p->enabled = p->synced = p->activity = p->mfa = -1;
			p->ev = mdl_intern(&m->ar, ev);
			if (mdl_map_put(&m->pr_by_id, pid, who) < 0)
				return -1;
		}
	}
	if (who == MDL_NONE)
		return -1;
	struct mdl_grant *gr = MDL_PUSH(m->grants, m->n_grants, m->cap_grants);
	if (!gr)
		return -1;
	gr->role = role;
	gr->who = who;
	gr->via = MDL_NONE;
	gr->eligible = g->eligible;
	gr->scope = scope ? scope : "/";
	gr->start = start;
	gr->ev = mdl_intern(&m->ar, ev);
	return gr->ev ? 0 : -1;
}

/* ---- group members ------------------------------------------------------------------- */

struct member_ctx {
	struct mdl_admins *m;
	size_t group;
	size_t g_from, g_to;     /* the group's own grants */
};

static int member_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct member_ctx *c = ctx;
	struct mdl_admins *m = c->m;
	size_t who = mdl_adm_principal(m, j, it, ev);
	if (who == MDL_NONE)
		return -1;
	/* Nested groups are listed too; their own members are already in the
	 * transitive list, so the group itself holds nothing more. */
	if (m->pr[who].type == PT_GROUP || who == c->group)
		return 0;
	for (size_t k = c->g_from; k < c->g_to; k++) {
		if (m->grants[k].who != c->group || m->grants[k].via != MDL_NONE)
			continue;
		struct mdl_grant g = m->grants[k];
		struct mdl_grant *n = MDL_PUSH(m->grants, m->n_grants, m->cap_grants);
		if (!n)
			return -1;
		*n = g;
		n->who = who;
		n->via = c->group;
		n->ev = mdl_intern(&m->ar, ev);
	}
	return 0;
}

static int load_members(struct case_dir *cs, struct mdl_admins *m)
{
	size_t ngr = m->n_grants;
	int any = 0, all = 1;
	for (size_t g = 0; g < m->n_pr; g++) {
		if (m->pr[g].type != PT_GROUP)
			continue;
		int holds = 0;
		for (size_t k = 0; k < ngr && !holds; k++)
			holds = m->grants[k].who == g;
		if (!holds)
			continue;
		any = 1;
		char rel[PATH_MAX];
		if (!mdl_safe_name(m->pr[g].id)) {
			all = 0;
			continue;
		}
		snprintf(rel, sizeof rel, "%s/%s/%s", ADM_REL_GROUPS, m->pr[g].id, ADM_REL_MEMBERS);
		struct member_ctx c = { m, g, 0, ngr };
		size_t np;
		int r = mdl_pages(cs, rel, member_item, &c, &np);
		if (r < 0) {
			if (mdl_fatal(r))
				return -1;
			struct mdl_src *s = &m->src[ADM_SRC_MEMBERS];
			s->st = MDL_ST_BAD;
			snprintf(s->detail, sizeof s->detail, "%s", err_msg());
			err_clear();
			all = 0;
			continue;
		}
		if (np)
			m->pr[g].members_known = 1;
		else
			all = 0;
	}
	struct mdl_src *s = &m->src[ADM_SRC_MEMBERS];
	if (s->st == MDL_ST_BAD || (m->h.rec.found && s->st != MDL_ST_OK && s->st != MDL_ST_ABSENT))
		return 0;
	/* With no group holding a role there is nothing to read: that is a
	 * complete answer, not a missing one. */
	s->st = !any || all ? MDL_ST_OK : (m->h.rec.found && s->st == MDL_ST_OK ? MDL_ST_BAD : MDL_ST_ABSENT);
	if (s->st == MDL_ST_BAD)
		snprintf(s->detail, sizeof s->detail, "%s", tr(M_MDL_PARTIAL));
	return 0;
}

/* ---- users ---------------------------------------------------------------------------- */

struct user_ctx {
	struct mdl_admins *m;
	int activity_seen, activity_missing;
};

static int user_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct user_ctx *c = ctx;
	struct mdl_admins *m = c->m;
	size_t k = mdl_adm_principal(m, j, it, ev);
	if (k == MDL_NONE)
		return -1;
	struct mdl_principal *p = &m->pr[k];
	if (p->type == PT_UNKNOWN)
		p->type = PT_USER;
	p->detailed = 1;
	p->ev = mdl_intern(&m->ar, ev);
	int b = mdl_bool(j, it, "onPremisesSyncEnabled");
	if (b == -2)
		return -1;
	/* null means "never synchronised" (user resource, Graph v1.0); an
	 * absent field means it was not asked for. */
	if (json_get(j, it, "onPremisesSyncEnabled") >= 0)
		p->synced = b == 1;
	if (mdl_time(j, it, "createdDateTime", &p->created) < 0)
		return err_set(E_MDL_FIELD, "createdDateTime");
	int sa = json_get(j, it, "signInActivity");
	if (sa < 0) {
		c->activity_missing++;
		return 0;
	}
	c->activity_seen++;
	p->activity = 1;
	int64_t a = 0, b2 = 0, s = 0;
	if (json_type(j, sa) == JSON_OBJ &&
	    (mdl_time(j, sa, "lastSignInDateTime", &a) < 0 ||
	     mdl_time(j, sa, "lastNonInteractiveSignInDateTime", &b2) < 0 ||
	     mdl_time(j, sa, "lastSuccessfulSignInDateTime", &s) < 0))
		return err_set(E_MDL_FIELD, "signInActivity");
	p->last_signin = a > b2 ? a : b2;
	p->last_success = s;
	return 0;
}

struct users_in {
	struct case_dir *cs;
	struct user_ctx *uc;
	size_t pages;
	int r;              /* mdl_pages' answer when a chunk failed */
};

static int users_chunk(void *ctx, const char *name)
{
	struct users_in *u = ctx;
	char rel[PATH_MAX];
	size_t np;
	if (!mdl_safe_name(name))
		return 0;
	snprintf(rel, sizeof rel, "%s/%s", ADM_REL_USERS_IN, name);
	int r = mdl_pages(u->cs, rel, user_item, u->uc, &np);
	if (r < 0) {
		u->r = r;
		return -1;
	}
	u->pages += np;
	return 0;
}

static int load_users(struct case_dir *cs, struct mdl_admins *m)
{
	struct user_ctx uc = { m, 0, 0 };
	struct mdl_src *s = &m->src[ADM_SRC_USERS];
	if (m->h.rec.found && s->st != MDL_ST_OK)
		goto activity;
	/* One collection (users?$filter=id in (…)), one folder per query of
	 * a few ids (users@ids/NNNN), or one folder per user (a $batch of
	 * GET /users/{id}, older cases): read them all. */
	size_t np = 0, total = 0;
	int r = mdl_pages(cs, ADM_REL_USERS, user_item, &uc, &np);
	if (r < 0)
		goto bad;
	total += np;
	struct users_in ui = { cs, &uc, 0, 0 };
	if (mdl_subdirs(cs, ADM_REL_USERS_IN, users_chunk, &ui) < 0) {
		/* the folder walk itself refused (evidence not listed…) */
		if (!ui.r)
			return -1;
		r = ui.r;
		goto bad;
	}
	total += ui.pages;
	size_t npr = m->n_pr;
	for (size_t k = 0; k < npr; k++) {
		if (m->pr[k].type != PT_USER || m->pr[k].detailed || !mdl_is_privileged(m, k))
			continue;
		if (!mdl_safe_name(m->pr[k].id))
			continue;
		char rel[PATH_MAX];
		snprintf(rel, sizeof rel, "%s/%s", ADM_REL_USERS, m->pr[k].id);
		if ((r = mdl_pages(cs, rel, user_item, &uc, &np)) < 0)
			goto bad;
		total += np;
	}
	s->st = total ? MDL_ST_OK : MDL_ST_ABSENT;
	s->npages = total;
	goto activity;
bad:
	if (mdl_fatal(r))
		return -1;
	s->st = MDL_ST_BAD;
	snprintf(s->detail, sizeof s->detail, "%s", err_msg());
	err_clear();
activity:;
	struct mdl_src *a = &m->src[ADM_SRC_ACTIVITY];
	if (m->h.rec.found && a->st != MDL_ST_OK)
		return 0;
	if (s->st != MDL_ST_OK) {
		a->st = s->st == MDL_ST_BAD ? MDL_ST_BAD : MDL_ST_ABSENT;
		return 0;
	}
	/* The collector asks for signInActivity only where the licence allows
	 * it; a record without the field means it was not asked for. */
	a->st = uc.activity_seen && !uc.activity_missing ? MDL_ST_OK :
		m->h.rec.found ? MDL_ST_BAD : MDL_ST_ABSENT;
	if (a->st == MDL_ST_BAD)
		snprintf(a->detail, sizeof a->detail, "%s", tr(M_MDL_PARTIAL));
	return 0;
}

/* ---- MFA registration ------------------------------------------------------------------ */

static int regdetail_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct mdl_admins *m = ctx;
	char id[128];
	(void)ev;
	if (json_str(j, it, "id", id, sizeof id) != 0)
		return json_get(j, it, "id") < 0 ? 0 : -1;
	size_t k = mdl_map_get(&m->pr_by_id, id);
	if (k == MDL_NONE)
		return 0;          /* not a principal this check looks at */
	int reg = mdl_bool(j, it, "isMfaRegistered");
	if (reg == -2)
		return -1;
	if (reg >= 0)
		m->pr[k].mfa = reg;
	int mr = json_get(j, it, "methodsRegistered");
	struct buf b = { 0 };
	for (int e = json_first(j, mr); e >= 0; e = json_next(j, e)) {
		char s[128];
		if (json_str(j, e, "", s, sizeof s) != 0)
			continue;
		if ((b.len && buf_puts(&b, ",") < 0) || buf_puts(&b, s) < 0) {
			buf_free(&b);
			return -1;
		}
	}
	err_clear();
	if (b.p)
		m->pr[k].mfa_methods = mdl_intern(&m->ar, b.p);
	buf_free(&b);
	return 0;
}

struct methods_ctx {
	struct mdl_admins *m;
	size_t who;
	struct buf names;
	int other;
};

static int method_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct methods_ctx *c = ctx;
	char t[128];
	(void)ev;
	if (json_str(j, it, "@odata.type", t, sizeof t) != 0)
		return 0;
	const char *n = !strncmp(t, "#microsoft.graph.", 17) ? t + 17 : t;
	/* A password is not a second factor, and neither is an email address:
	 * it serves self-service password reset only, never MFA
	 * (authenticationMethod types, Graph v1.0; "Authentication methods
	 * in Microsoft Entra ID": email OTP is an SSPR method). */
	if (strcmp(n, "passwordAuthenticationMethod") && strcmp(n, "emailAuthenticationMethod"))
		c->other = 1;
	if ((c->names.len && buf_puts(&c->names, ",") < 0) || buf_puts(&c->names, n) < 0)
		return -1;
	return 0;
}

static int load_mfa(struct case_dir *cs, struct mdl_admins *m)
{
	struct mdl_src *s = &m->src[ADM_SRC_MFA];
	if (m->h.rec.found && s->st != MDL_ST_OK)
		return 0;
	size_t np = 0;
	int r = mdl_pages(cs, ADM_REL_REGDETAILS, regdetail_item, m, &np);
	if (r < 0)
		goto bad;
	/* Then the methods of each privileged user the report does not
	 * answer for: the collector asks for them without the report (no
	 * P1), and for admins the report does not list. */
	size_t total = np;
	for (size_t k = 0; k < m->n_pr; k++) {
		if (m->pr[k].type != PT_USER || m->pr[k].mfa >= 0 || !mdl_safe_name(m->pr[k].id) ||
		    !mdl_is_privileged(m, k))
			continue;
		char rel[PATH_MAX];
		snprintf(rel, sizeof rel, "%s/%s/%s", ADM_REL_USERS, m->pr[k].id, ADM_REL_METHODS);
		struct methods_ctx c = { m, k, { 0 }, 0 };
		if ((r = mdl_pages(cs, rel, method_item, &c, &np)) < 0) {
			buf_free(&c.names);
			goto bad;
		}
		if (np) {
			m->pr[k].mfa = c.other;
			m->pr[k].mfa_methods = c.names.p ? mdl_intern(&m->ar, c.names.p) : NULL;
			total += np;
		}
		buf_free(&c.names);
	}
	s->st = total ? MDL_ST_OK : MDL_ST_ABSENT;
	s->npages = total;
	return 0;
bad:
	if (mdl_fatal(r))
		return -1;
	s->st = MDL_ST_BAD;
	snprintf(s->detail, sizeof s->detail, "%s", err_msg());
	err_clear();
	return 0;
}

/* ---- guests ----------------------------------------------------------------------------- */

static int guest_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct user_ctx *c = ctx;
	if (user_item(ctx, j, it, ev) < 0)
		return -1;
	char id[128];
	if (json_str(j, it, "id", id, sizeof id) == 0) {
		size_t k = mdl_map_get(&c->m->pr_by_id, id);
		if (k != MDL_NONE)
			c->m->pr[k].listed_guest = 1;
	}
	return 0;
}

int mdl_adm_load_dir(struct case_dir *cs, struct mdl_admins *m)
{
	struct grant_ctx ga = { m, 0 }, ge = { m, 1 };
	if (mdl_adm_read(cs, m, ADM_SRC_ROLEDEFS, ADM_REL_ROLEDEFS, role_item, m) < 0 ||
	    mdl_adm_read(cs, m, ADM_SRC_ASSIGN, ADM_REL_ASSIGN, grant_item, &ga) < 0 ||
	    mdl_adm_read(cs, m, ADM_SRC_ELIGIBLE, ADM_REL_ELIGIBLE, grant_item, &ge) < 0)
		return -1;
	if (load_members(cs, m) < 0 || load_users(cs, m) < 0 || load_mfa(cs, m) < 0)
		return -1;
	struct user_ctx gc = { m, 0, 0 };
	return mdl_adm_read(cs, m, ADM_SRC_GUESTS, ADM_REL_GUESTS, guest_item, &gc);
}
