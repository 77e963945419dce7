/*
 * check-apps, the objects: applications (this tenant's registrations)
 * and service principals (every application present in the tenant),
 * their credentials and reply addresses, and, read per object, their
 * owners and federated identity credentials. Graph v1.0 application,
 * servicePrincipal, passwordCredential, keyCredential,
 * federatedIdentityCredential resources.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "case/case.h"
#include "model/model.h"

#define N(t) (sizeof t / sizeof t[0])
#define F(m, p) MDL_FLD(struct mdl_app_cred, m, p)
static const struct mdl_fld cred_f[] = {
	F(key_id, "keyId"), F(name, "displayName"), F(hint, "hint"), F(type, "type"), F(usage, "usage"),
	F(thumb, "customKeyIdentifier"),
};
#undef F
#define F(m, p) MDL_FLD(struct mdl_app, m, p)
static const struct mdl_fld app_f[] = {
	F(id, "id"), F(app_id, "appId"), F(name, "displayName"), F(audience, "signInAudience"),
	F(pub_domain, "publisherDomain"), F(publisher, "verifiedPublisher.displayName"),
	F(verified, "verifiedPublisher.verifiedPublisherId"),
};
static const struct mdl_fld sp_f[] = {
	F(owner_tenant, "appOwnerOrganizationId"), F(sp_type, "servicePrincipalType"),
	F(sso, "preferredSingleSignOnMode"),
};
#undef F

/* A date that does not parse is unknown, not an error: Microsoft's own
 * examples carry offsets such as "-8:00". */
static int64_t when(const struct json *j, int tok, const char *path)
{
	int64_t t = 0;
	if (mdl_time(j, tok, path, &t) != 0) {
		err_clear();
		return 0;
	}
	return t;
}

static int creds(struct mdl_apps *m, const struct json *j, int it, const char *path, size_t obj)
{
	int a = json_get(j, it, path);
	for (int c = json_first(j, a); c >= 0; c = json_next(j, c)) {
		/* Each entry read whole before it is pushed (urls()). */
		struct mdl_app_cred e = { 0 };
		if (mdl_strs(&m->ar, j, c, cred_f, N(cred_f), &e) < 0)
			return -1;
		e.obj = obj;
		e.password = path[0] == 'p';
		e.start = when(j, c, "startDateTime");
		e.end = when(j, c, "endDateTime");
		struct mdl_app_cred *p = MDL_PUSH(m->creds, m->n_creds, m->cap_creds);
		if (!p)
			return -1;
		*p = e;
	}
	return 0;
}

static int urls(struct mdl_apps *m, const struct json *j, int it, const char *path, size_t obj, int web)
{
	int a = json_get(j, it, path);
	for (int c = json_first(j, a); c >= 0; c = json_next(j, c)) {
		/* Read first, pushed after: a page the loader gives up on (an
		 * address that is not a string) leaves no half-made entry for
		 * the rules to meet. */
		const char *u = NULL;
		if (mdl_str(&m->ar, j, c, "", &u) < 0)
			return -1;
		if (!u)
			continue;
		struct mdl_app_url *p = MDL_PUSH(m->urls, m->n_urls, m->cap_urls);
		if (!p)
			return -1;
		p->url = u;
		p->obj = obj;
		p->web = web;
	}
	return 0;
}

/* An application (sp 0) or a service principal (sp 1), with its
 * credentials and reply addresses, indexed by id and by appId. */
static int object(struct mdl_apps *m, const struct json *j, int it, const char *ev, int sp)
{
	struct mdl_app e = { 0 };
	e.sp = sp;
	if (mdl_strs(&m->ar, j, it, app_f, N(app_f), &e) < 0 || (sp && mdl_strs(&m->ar, j, it, sp_f, N(sp_f), &e) < 0))
		return -1;
	if (!e.id)
		return err_set(E_MDL_FIELD, "id");
	/* Listed twice (a page boundary moved under the listing): once. */
	if (mdl_map_get(&m->by_id, e.id) != MDL_NONE)
		return 0;
	e.enabled = sp ? mdl_bool(j, it, "accountEnabled") : -1;
	if (e.enabled == -2)
		return -1;
	/* A service principal's is undocumented (msgraph-sdk-java#2246) and
	 * not asked for: absent is unknown. */
	e.created = when(j, it, "createdDateTime");
	e.ev = mdl_intern(&m->ar, ev);
	e.peer = MDL_NONE;
	size_t k = m->n_obj;
	struct mdl_app *p = MDL_PUSH(m->obj, m->n_obj, m->cap_obj);
	if (!p || !e.ev || mdl_map_put(&m->by_id, e.id, k) < 0)
		return -1;
	*p = e;
	if (e.app_id) {
		char key[80];
		snprintf(key, sizeof key, "%c:%.64s", sp ? 's' : 'a', e.app_id);
		const char *ik = mdl_intern(&m->ar, key);
		if (!ik || (mdl_map_get(&m->by_appid, ik) == MDL_NONE && mdl_map_put(&m->by_appid, ik, k) < 0))
			return -1;
	}
	if (creds(m, j, it, "passwordCredentials", k) < 0 || creds(m, j, it, "keyCredentials", k) < 0)
		return -1;
	if (sp)
		return urls(m, j, it, "replyUrls", k, 1);
	return urls(m, j, it, "web.redirectUris", k, 1) < 0 || urls(m, j, it, "spa.redirectUris", k, 0) < 0 ||
	       urls(m, j, it, "publicClient.redirectUris", k, 0) < 0 ? -1 : 0;
}

int mdl_app_item(void *ctx, const struct json *j, int it, const char *ev)
{
	return object(ctx, j, it, ev, 0);
}

int mdl_sp_item(void *ctx, const struct json *j, int it, const char *ev)
{
	return object(ctx, j, it, ev, 1);
}

/* ---- read per object: owners, federated identity credentials ----------------------- */

struct per_obj {
	struct mdl_apps *m;
	size_t obj;
};

#define F(m, p) MDL_FLD(struct mdl_app_owner, m, p)
static const struct mdl_fld owner_f[] = {
	F(id, "id"), F(upn, "userPrincipalName"), F(name, "displayName"), F(type, "@odata.type"),
};
#undef F
#define F(m, p) MDL_FLD(struct mdl_app_fic, m, p)
static const struct mdl_fld fic_f[] = { F(id, "id"), F(name, "name"), F(issuer, "issuer"), F(subject, "subject") };
#undef F

static int owner_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct per_obj *c = ctx;
	struct mdl_apps *m = c->m;
	struct mdl_app_owner e = { 0 };
	if (mdl_strs(&m->ar, j, it, owner_f, N(owner_f), &e) < 0 || !(e.ev = mdl_intern(&m->ar, ev)))
		return -1;
	e.obj = c->obj;
	/* "#microsoft.graph.user" -> "user" */
	if (e.type && !strncmp(e.type, "#microsoft.graph.", 17))
		e.type += 17;
	struct mdl_app_owner *p = MDL_PUSH(m->owners, m->n_owners, m->cap_owners);
	if (!p)
		return -1;
	*p = e;
	return 0;
}

static int fic_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct per_obj *c = ctx;
	struct mdl_apps *m = c->m;
	struct mdl_app_fic e = { 0 };
	if (mdl_strs(&m->ar, j, it, fic_f, N(fic_f), &e) < 0 || !(e.ev = mdl_intern(&m->ar, ev)))
		return -1;
	e.obj = c->obj;
	struct mdl_app_fic *p = MDL_PUSH(m->fics, m->n_fics, m->cap_fics);
	if (!p)
		return -1;
	*p = e;
	return 0;
}

/* Reads <base>/<id>/<what> for object k: 1 read, 0 not there (or
 * unreadable: the source marked bad), -1 stop. */
static int read_one(struct case_dir *cs, struct mdl_apps *m, int s, size_t k, const char *what,
		    mdl_item_fn fn)
{
	const struct mdl_app *o = &m->obj[k];
	char rel[512];
	if (!mdl_safe_name(o->id))
		return 0;
	snprintf(rel, sizeof rel, "%s/%s/%s", o->sp ? APP_REL_SPS : APP_REL_APPS, o->id, what);
	struct per_obj c = { m, k };
	return mdl_src_pages(cs, &m->src[s], rel, fn, &c);
}

int mdl_app_load_owned(struct case_dir *cs, struct mdl_apps *m)
{
	struct mdl_src *so = &m->src[APP_SRC_OWNERS], *sf = &m->src[APP_SRC_FIC];
	int owners = !m->h.rec.found || so->st == MDL_ST_OK, fic = !m->h.rec.found || sf->st == MDL_ST_OK;
	size_t nown = 0, nfic = 0;
	for (size_t k = 0; k < m->n_obj; k++) {
		int r = owners ? read_one(cs, m, APP_SRC_OWNERS, k, APP_REL_OWNERS, owner_item) : 0;
		if (r < 0)
			return -1;
		m->obj[k].owners_read = r;
		nown += r;
		if (!m->obj[k].sp && fic) {
			if ((r = read_one(cs, m, APP_SRC_FIC, k, APP_REL_FIC, fic_item)) < 0)
				return -1;
			nfic += r;
		}
	}
	/* Without a record, what is there was collected. */
	if (!m->h.rec.found) {
		so->st = nown ? MDL_ST_OK : MDL_ST_ABSENT;
		sf->st = nfic ? MDL_ST_OK : MDL_ST_ABSENT;
	}
	return 0;
}
