/*
 * check-apps, the logs and the people: directory audits of the
 * ApplicationManagement category, service principal sign-ins (beta
 * signIn, signInEventTypes servicePrincipal), directory role holders and
 * users.
 *
 * Audits (Graph directoryAudit; Microsoft Entra audit activity
 * reference; shapes of published captures, shared/specs/check-apps.md
 * §3): modifiedProperties values are JSON texts inside a JSON string —
 * "\"Mail.Read\"", "[\"[KeyIdentifier=…,KeyType=Password,…]\"]" — and
 * "[]" is an empty set, not a missing value. What was added is what the
 * new value has and the old one has not: an amended consent repeats the
 * old scopes, and "Remove delegated permission grant" has been seen
 * recording an addition, so the operation's name is not trusted for it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "case/case.h"
#include "model/model.h"

static const struct { const char *name; enum app_event k; } activities[] = {
	{ "Add application", AEV_APP_ADD },
	{ "Add service principal", AEV_SP_ADD },
	{ "Update application - Certificates and secrets management", AEV_CRED_ADD },
	/* Named by Elastic's rules, absent from the reference page: UNVERIFIED. */
	{ "Create application - Certificates and secrets management", AEV_CRED_ADD },
	{ "Add service principal credentials", AEV_CRED_ADD },
	{ "Add app role assignment to service principal", AEV_ROLE_GRANT },
	{ "Add delegated permission grant", AEV_DELEG_GRANT },
	{ "Remove delegated permission grant", AEV_DELEG_GRANT },
	{ "Consent to application", AEV_CONSENT },
	{ "Add owner to application", AEV_OWNER_ADD },
	{ "Add owner to service principal", AEV_OWNER_ADD },
};

enum app_event mdl_app_event_kind(const char *a)
{
	char n[128];
	size_t k = 0;
	if (!a)
		return AEV_OTHER;
	/* The reference writes a hyphen where the logs have an en dash
	 * (U+2013), sometimes an em dash; the unified audit log ends names
	 * with a period; trailing blanks come and go. */
	for (const unsigned char *p = (const unsigned char *)a; *p && k < sizeof n - 1; p++) {
		if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0x93 || p[2] == 0x94)) {
			n[k++] = '-';
			p += 2;
		} else {
			n[k++] = (char)*p;
		}
	}
	while (k && (n[k - 1] == ' ' || n[k - 1] == '.'))
		k--;
	n[k] = 0;
	for (size_t i = 0; i < sizeof activities / sizeof activities[0]; i++)
		if (!strcasecmp(n, activities[i].name))
			return activities[i].k;
	return AEV_OTHER;
}

/* A modifiedProperty value without its JSON wrapping: quotes,
 * backslashes, brackets and blanks around. */
static void clean(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++)
		if (*r != '"' && *r != '\\')
			*w++ = *r;
	*w = 0;
	size_t n = strlen(s), b = strspn(s, "[] ");
	while (n > b && strchr("[] ", s[n - 1]))
		n--;
	memmove(s, s + b, n - b);
	s[n - b] = 0;
}

int mdl_words_add(struct buf *out, const char *have, const char *had)
{
	char w[256];
	for (const char *p = have ? have : ""; *p;) {
		size_t n = strcspn(p, " ,;");
		if (n && n < sizeof w) {
			memcpy(w, p, n);
			w[n] = 0;
			/* not in had, and once even when several grants repeat it */
			int seen = 0;
			for (int k = 0; k < 2 && !seen; k++)
				for (const char *q = k ? (out->p ? out->p : "") : (had ? had : ""); *q && !seen;) {
					size_t l = strcspn(q, " ,;");
					seen = l == n && !strncasecmp(q, w, n);
					q += l;
					q += strspn(q, " ,;");
				}
			if (!seen && buf_printf(out, "%s%s", out->len ? " " : "", w) < 0)
				return -1;
		}
		p += n;
		p += strspn(p, " ,;");
	}
	return 0;
}

/* The scopes of every "Scope: a b c," of a ConsentAction.Permissions side. */
static int scopes_of(struct buf *out, const char *s, const char *end)
{
	for (const char *p = s; (p = strstr(p, "Scope:")) && p < end;) {
		p += 6;
		size_t n = strcspn(p, ",]");
		if (p + n > end)
			n = (size_t)(end - p);
		if (buf_printf(out, "%s%.*s", out->len ? " " : "", (int)n, p) < 0)
			return -1;
		p += n;
	}
	return 0;
}

/* Added credentials: KeyIdentifier=<guid> of the new value not in the old. */
static int keys_added(struct buf *out, const char *nv, const char *ov)
{
	for (const char *p = nv; (p = strstr(p, "KeyIdentifier=")); ) {
		p += 14;
		size_t n = strspn(p, "0123456789abcdefABCDEF-");
		if (n == 36) {
			char g[37];
			memcpy(g, p, 36);
			g[36] = 0;
			if (!(ov && strstr(ov, g)) && buf_printf(out, "%s%s", out->len ? " " : "", g) < 0)
				return -1;
		}
		p += n;
	}
	return 0;
}

#define MAX_PROP (64 * 1024)

struct props {
	struct buf keys, perms, consent;
	char *v[6];        /* see the P_* below: cleaned new values */
};
enum { P_APPID, P_SP_ID, P_SP_NAME, P_APP_ID_OBJ, P_ALL, P_ADMIN };

static char *prop_text(const struct json *j, int p, const char *which)
{
	char *v = json_strdup(j, p, which);
	err_clear();
	if (v && strlen(v) > MAX_PROP) {
		free(v);
		err_set(E_MDL_FIELD, which);
		return (char *)-1;
	}
	return v;
}

static int prop(struct props *x, const struct json *j, int p)
{
	char name[128];
	if (json_str(j, p, "displayName", name, sizeof name) != 0) {
		err_clear();
		return 0;
	}
	static const struct { const char *n; int slot; } named[] = {
		{ "AppId", P_APPID }, { "AppPrincipalId", P_APPID }, { "ServicePrincipal.AppId", P_APPID },
		{ "ServicePrincipal.ObjectID", P_SP_ID }, { "ServicePrincipal.DisplayName", P_SP_NAME },
		{ "Application.ObjectID", P_APP_ID_OBJ }, { "ConsentContext.OnBehalfOfAll", P_ALL },
		{ "DelegatedPermissionGrant.ConsentType", P_ALL }, { "ConsentContext.IsAdminConsent", P_ADMIN },
	};
	int kd = !strcasecmp(name, "KeyDescription"), sc = !strcasecmp(name, "DelegatedPermissionGrant.Scope"),
	    rv = !strcasecmp(name, "AppRole.Value"), ca = !strcasecmp(name, "ConsentAction.Permissions");
	int slot = -1;
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
		if (!strcasecmp(name, named[i].n))
			slot = named[i].slot;
	if (!kd && !sc && !rv && !ca && slot < 0)
		return 0;
	char *nv = prop_text(j, p, "newValue"), *ov = prop_text(j, p, "oldValue");
	int rc = 0;
	if (nv == (char *)-1 || ov == (char *)-1) {
		rc = -1;
	} else if (kd) {
		rc = keys_added(&x->keys, nv ? nv : "", ov);
	} else if (ca && nv) {
		/* "[<grants before>] => [<grants after>]; " */
		clean(nv);
		const char *arrow = strstr(nv, "=>"), *end = nv + strlen(nv);
		struct buf before = { 0 }, after = { 0 };
		rc = scopes_of(&before, nv, arrow ? arrow : nv) | scopes_of(&after, arrow ? arrow : nv, end);
		if (rc == 0)
			rc = mdl_words_add(&x->perms, after.p ? after.p : "", before.p);
		if (rc == 0 && arrow && strstr(arrow, "AllPrincipals") && buf_puts(&x->consent, "all") < 0)
			rc = -1;
		buf_free(&before);
		buf_free(&after);
	} else if ((sc || rv) && nv) {
		if (ov)
			clean(ov);
		clean(nv);
		rc = mdl_words_add(&x->perms, nv, sc ? ov : NULL);
	} else if (slot >= 0 && nv && !x->v[slot]) {
		clean(nv);
		x->v[slot] = nv;
		nv = NULL;
	}
	if (nv != (char *)-1)
		free(nv);
	if (ov != (char *)-1)
		free(ov);
	return rc;
}

#define N(t) (sizeof t / sizeof t[0])
#define F(m, p) MDL_FLD(struct mdl_app_event, m, p)
static const struct mdl_fld event_f[] = {
	F(id, "id"), F(corr, "correlationId"), F(reason, "resultReason"), F(by, "initiatedBy.user.userPrincipalName"),
	F(by_ip, "initiatedBy.user.ipAddress"), F(obj_name, "result"),
};
#undef F
struct target { const char *id, *type, *name, *upn; };
#define F(m, p) MDL_FLD(struct target, m, p)
static const struct mdl_fld target_f[] = { F(id, "id"), F(type, "type"), F(name, "displayName"), F(upn, "userPrincipalName") };
#undef F

/* Which target is the object, which the new owner: the object's id when
 * a property names it (Application.ObjectID, ServicePrincipal.ObjectID),
 * else the Application target, else the last one; the owner is another.
 * Published parsers read them so; no Microsoft page documents it
 * (UNVERIFIED), hence ids and types rather than positions. */
static void owner_event(struct mdl_app_event *e, const struct target *t, int nt, const char *named)
{
	int obj = nt - 1;
	for (int k = 0; k < nt; k++)
		if (named ? t[k].id && !strcasecmp(t[k].id, named) : t[k].type && !strcasecmp(t[k].type, "Application"))
			obj = k;
	if (obj < 0)
		return;
	e->obj_id = t[obj].id;
	e->obj_name = t[obj].name;
	for (int k = 0; k < nt; k++)
		if (k != obj && t[k].id) {
			e->owner_id = t[k].id;
			e->owner_name = t[k].upn ? t[k].upn : t[k].name;
			e->owner_type = t[k].type;
			break;
		}
}

int mdl_app_audit_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct mdl_apps *m = ctx;
	struct mdl_app_event e = { 0 };
	struct props x = { 0 };
	struct target t[4] = { { 0 } };
	int rc = -1, nt = 0;
	if (mdl_str(&m->ar, j, it, "activityDisplayName", &e.activity) < 0)
		return -1;
	if ((e.kind = mdl_app_event_kind(e.activity)) == AEV_OTHER)
		return 0;
	if (mdl_strs(&m->ar, j, it, event_f, N(event_f), &e) < 0 ||
	    (!e.by && mdl_str(&m->ar, j, it, "initiatedBy.app.displayName", &e.by) < 0))
		goto out;
	e.ok = !e.obj_name || !strcasecmp(e.obj_name, "success");
	e.obj_name = NULL;
	if (mdl_time(j, it, "activityDateTime", &e.t) != 0) {
		err_set(E_MDL_FIELD, "activityDateTime");
		goto out;
	}
	int tr_ = json_get(j, it, "targetResources");
	for (int c = json_first(j, tr_); c >= 0; c = json_next(j, c)) {
		if (nt < 4 && mdl_strs(&m->ar, j, c, target_f, N(target_f), &t[nt++]) < 0)
			goto out;
		int mp = json_get(j, c, "modifiedProperties");
		for (int p = json_first(j, mp); p >= 0; p = json_next(j, p))
			if (prop(&x, j, p) < 0)
				goto out;
	}
	int ad = json_get(j, it, "additionalDetails");
	for (int d = json_first(j, ad); d >= 0 && !x.v[P_APPID]; d = json_next(j, d)) {
		char k[32];
		if (json_str(j, d, "key", k, sizeof k) == 0 && !strcasecmp(k, "AppId"))
			x.v[P_APPID] = json_strdup(j, d, "value");
		err_clear();
	}
	const char *v[N(x.v)];
	for (size_t i = 0; i < N(x.v); i++)
		if (!(v[i] = x.v[i] ? mdl_intern(&m->ar, x.v[i]) : NULL) && x.v[i])
			goto out;
	if (e.kind == AEV_OWNER_ADD) {
		owner_event(&e, t, nt, v[P_APP_ID_OBJ] ? v[P_APP_ID_OBJ] : v[P_SP_ID]);
	} else if (e.kind == AEV_ROLE_GRANT || e.kind == AEV_DELEG_GRANT) {
		/* The API first, then the client (ServicePrincipal.ObjectID). */
		e.resource_id = t[0].id;
		e.obj_id = v[P_SP_ID] ? v[P_SP_ID] : t[1].id;
		e.obj_name = v[P_SP_NAME] ? v[P_SP_NAME] : t[1].name;
	} else {
		e.obj_id = t[0].id;
		e.obj_name = t[0].name;
	}
	e.app_id = v[P_APPID];
	e.perms = x.perms.p ? mdl_intern(&m->ar, x.perms.p) : NULL;
	e.all = x.consent.len || (x.v[P_ALL] && (!strcasecmp(x.v[P_ALL], "True") ||
						 !strcasecmp(x.v[P_ALL], "AllPrincipals")));
	e.admin = x.v[P_ADMIN] && !strcasecmp(x.v[P_ADMIN], "True");
	e.ev = mdl_intern(&m->ar, ev);
	if (!e.ev || (x.perms.p && !e.perms))
		goto out;
	/* One event per credential added: the rules follow each key id. */
	const char *k = x.keys.p ? x.keys.p : "";
	do {
		char key[40];
		size_t l = strcspn(k, " ");
		snprintf(key, sizeof key, "%.*s", (int)(l < 36 ? l : 36), k);
		e.keys = l ? mdl_intern(&m->ar, key) : NULL;
		struct mdl_app_event *p = MDL_PUSH(m->ev, m->n_ev, m->cap_ev);
		if (!p || (l && !e.keys))
			goto out;
		*p = e;
		k += l;
		k += strspn(k, " ");
	} while (*k);
	rc = 0;
out:
	buf_free(&x.keys);
	buf_free(&x.perms);
	buf_free(&x.consent);
	for (size_t i = 0; i < N(x.v); i++)
		free(x.v[i]);
	return rc;
}

/* ---- service principal sign-ins, folded ------------------------------------------------ */

int mdl_app_signin_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct mdl_apps *m = ctx;
	struct mdl_app_signin e = { 0 };
	char key[512];
	int64_t t = 0;
	long long code = 0;
	/* An export may mix the kinds: only the service principals' own. */
	int types = json_get(j, it, "signInEventTypes"), sp = types < 0;
	for (int c = json_first(j, types); c >= 0 && !sp; c = json_next(j, c)) {
		char v[64];
		sp = json_str(j, c, "", v, sizeof v) == 0 && !strcasecmp(v, "servicePrincipal");
		err_clear();
	}
	if (!sp)
		return 0;
	if (mdl_str(&m->ar, j, it, "servicePrincipalId", &e.sp_id) < 0 || mdl_str(&m->ar, j, it, "appId", &e.app_id) < 0 ||
	    mdl_str(&m->ar, j, it, "ipAddress", &e.ip) < 0 ||
	    mdl_str(&m->ar, j, it, "servicePrincipalCredentialKeyId", &e.key_id) < 0)
		return -1;
	if (mdl_time(j, it, "createdDateTime", &t) != 0)
		return err_set(E_MDL_FIELD, "createdDateTime");
	int r = json_int(j, it, "status.errorCode", &code);
	if (r < 0)
		return -1;
	snprintf(key, sizeof key, "%.64s|%.64s|%.128s|%.64s", e.sp_id ? e.sp_id : "", e.app_id ? e.app_id : "",
		 e.ip ? e.ip : "", e.key_id ? e.key_id : "");
	size_t k = mdl_map_get(&m->si_key, key);
	if (k == MDL_NONE) {
		const char *ik = mdl_intern(&m->ar, key);
		if (mdl_str(&m->ar, j, it, "servicePrincipalName", &e.name) < 0 ||
		    mdl_str(&m->ar, j, it, "location.countryOrRegion", &e.country) < 0 ||
		    mdl_str(&m->ar, j, it, "clientCredentialType", &e.cred_type) < 0)
			return -1;
		if (!e.name && mdl_str(&m->ar, j, it, "appDisplayName", &e.name) < 0)
			return -1;
		e.ev = mdl_intern(&m->ar, ev);
		e.first_any = t;
		k = m->n_si;
		struct mdl_app_signin *p = MDL_PUSH(m->si, m->n_si, m->cap_si);
		if (!p || !ik || !e.ev || mdl_map_put(&m->si_key, ik, k) < 0)
			return -1;
		*p = e;
	}
	struct mdl_app_signin *s = &m->si[k];
	if (t < s->first_any)
		s->first_any = t;
	if (code) {
		s->fail++;
		return 0;
	}
	s->ok++;
	if (!s->first || t < s->first)
		s->first = t;
	if (t > s->last)
		s->last = t;
	return 0;
}

/* ---- role holders and users ------------------------------------------------------------ */

static int role_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct mdl_apps *m = ctx;
	char who[128], role[64], scope[64];
	(void)ev;
	if (json_str(j, it, "principalId", who, sizeof who) != 0 ||
	    json_str(j, it, "roleDefinitionId", role, sizeof role) != 0)
		return err_set(E_MDL_FIELD, "principalId");
	/* Over the whole tenant only: a role scoped to an administrative
	 * unit reaches part of it. */
	if (json_str(j, it, "directoryScopeId", scope, sizeof scope) == 0 && strcmp(scope, "/"))
		return 0;
	err_clear();
	const char *name = mdl_priv_builtin(role), *k = mdl_intern(&m->ar, who);
	if (!name || mdl_map_get(&m->priv, who) != MDL_NONE)
		return k ? 0 : -1;
	size_t i = m->n_role_val;
	const char **p = MDL_PUSH(m->role_val, m->n_role_val, m->cap_role_val);
	if (!p || !k || mdl_map_put(&m->priv, k, i) < 0)
		return -1;
	*p = name;
	return 0;
}

static int user_item(void *ctx, const struct json *j, int it, const char *ev)
{
	struct mdl_apps *m = ctx;
	struct mdl_app_user e = { 0 };
	const char *type;
	(void)ev;
	if (mdl_str(&m->ar, j, it, "id", &e.id) < 0 || mdl_str(&m->ar, j, it, "userPrincipalName", &e.upn) < 0 ||
	    mdl_str(&m->ar, j, it, "displayName", &e.name) < 0 || mdl_str(&m->ar, j, it, "userType", &type) < 0)
		return -1;
	if (!e.id || mdl_map_get(&m->user_by_id, e.id) != MDL_NONE)
		return 0;
	e.guest = type && !strcasecmp(type, "Guest");
	size_t k = m->n_users;
	struct mdl_app_user *p = MDL_PUSH(m->users, m->n_users, m->cap_users);
	if (!p || mdl_map_put(&m->user_by_id, e.id, k) < 0)
		return -1;
	*p = e;
	return 0;
}

int mdl_app_load_logs(struct case_dir *cs, struct mdl_apps *m)
{
	return mdl_src_read(cs, &m->h, APP_SRC_ROLES, APP_REL_ROLES, role_item, m) < 0 ||
	       mdl_src_read(cs, &m->h, APP_SRC_USERS, APP_REL_USERS, user_item, m) < 0 ||
	       mdl_src_read(cs, &m->h, APP_SRC_AUDITS, APP_REL_AUDITS, mdl_app_audit_item, m) < 0 ||
	       mdl_src_read(cs, &m->h, APP_SRC_SIGNINS, APP_REL_SIGNINS, mdl_app_signin_item, m) < 0 ? -1 : 0;
}
