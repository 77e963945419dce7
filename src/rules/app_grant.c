/*
 * check-apps, the permissions (fiche 1.d: "applications ayant les
 * permissions d'accéder aux boîtes aux lettres", "nouvelles permissions
 * accordées aux principaux de service", and the consent file of "Illicit
 * Consent grant"): APP-005 to APP-007.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "baseline/baseline.h"
#include "model/model.h"
#include "rules/rules.h"

/* 1 when every word of s is "<appId>:<word>" in the baseline. */
static int all_known(const struct rule_ctx *c, const struct mdl_app *o, const char *s)
{
	char w[256];
	int any = 0;
	while (s && *s) {
		size_t l = strcspn(s, " ");
		if (l && l < sizeof w) {
			memcpy(w, s, l);
			w[l] = 0;
			if (!app_known_pair(&APP_BL(c)->app_perms, o, w))
				return 0;
			any = 1;
		}
		s += l;
		s += strspn(s, " ");
	}
	return any;
}

static enum rule_sev lower(enum rule_sev s, int known)
{
	return known && s > SEV_LOW ? SEV_LOW : s;
}

/* ---- APP-005: application permissions on mailboxes, files, the directory ----------------
 * An application permission needs no user: the app reads every mailbox
 * (Mail.Read, full_access_as_app) or writes the directory on its own. */
int app_r_app_perms(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_apps *m = APP_M(c);
	int rc = 0;
	for (size_t k = 0; k < m->n_obj && rc == 0; k++) {
		const struct mdl_app *o = &m->obj[k];
		if (!o->sp || o->origin == ORG_MICROSOFT || !(o->app_perms & (PERM_STRONG | PERM_MAILDATA)))
			continue;
		struct buf names = { 0 }, b[2] = { { 0 } };
		for (size_t i = 0; i < m->n_assigns && rc == 0; i++)
			if (m->assigns[i].client == k && (m->assigns[i].cls & (PERM_STRONG | PERM_MAILDATA)))
				rc = mdl_words_add(&names, m->assigns[i].value, NULL);
		enum rule_sev sev = lower(o->app_perms & PERM_STRONG ? SEV_HIGH : SEV_MEDIUM,
					  all_known(c, o, names.p));
		if (rc == 0)
			rc = app_head(b, o) < 0 || rule_text(b, M_APP005_D, names.p ? names.p : "") < 0;
		struct finding *f = rc == 0 ? app_emit(out, r, sev, m, k, b) : NULL;
		/* The assignments' ids: what removing them names. */
		for (size_t i = 0; f && i < m->n_assigns; i++)
			if (m->assigns[i].client == k && (m->assigns[i].cls & (PERM_STRONG | PERM_MAILDATA)) &&
			    (finding_ev(f, m->assigns[i].ev) < 0 || finding_obj(f, m->assigns[i].id) < 0))
				f = NULL;
		if (!f)
			rc = -1;
		buf_free(&names);
		app_bufs_free(b);
	}
	return rc;
}

/* ---- APP-006: consents, as the fiche reads the file -----------------------------------
 * Column G, AllPrincipals: every user's content, for a non-Microsoft
 * application (Microsoft's own need it). Column F: Read, Write, All —
 * beyond signing in. The users who consented: privileged (a directory
 * role) or VIP (the baseline's [vip]) ones weigh more. Severity: for all
 * users, mail, files or the directory high, other Read/Write/All medium,
 * sign-in only information; per user, mail, files or the directory
 * medium (high with a privileged or VIP user), other scopes low (medium
 * with one), sign-in only information. */
struct acc {
	struct buf all, scopes, priv;
	size_t users;
	unsigned all_cls, user_cls;
};

static int vip(const struct rule_ctx *c, const struct mdl_app_user *u, const char *id)
{
	const struct bl_list *v = &APP_BL(c)->vip;
	return (u && (u->role || bl_in(v, u->upn))) || bl_in(v, id);
}

int app_r_consents(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_apps *m = APP_M(c);
	struct acc *a = calloc(m->n_obj ? m->n_obj : 1, sizeof *a);
	struct mdl_map seen = { 0 };
	struct mdl_arena ar = { 0 };
	int rc = a ? 0 : err_set(E_NOMEM);
	/* Who is privileged needs the role holders; the VIPs, the baseline. */
	if (rc == 0 && app_have(c, r, out, APP_SRC_ROLES) < 0)
		rc = -1;
	for (size_t i = 0; i < m->n_grants && rc == 0; i++) {
		const struct mdl_app_grant *g = &m->grants[i];
		if (g->client == MDL_NONE || m->obj[g->client].origin == ORG_MICROSOFT)
			continue;
		struct acc *x = &a[g->client];
		if (g->all) {
			x->all_cls |= g->cls;
			rc = mdl_words_add(&x->all, g->scope, NULL);
			continue;
		}
		x->user_cls |= g->cls;
		char key[300];
		snprintf(key, sizeof key, "%zu|%.200s", g->client, g->principal ? g->principal : "");
		if (mdl_map_get(&seen, key) != MDL_NONE) {
			rc = mdl_words_add(&x->scopes, g->scope, NULL);
			continue;
		}
		const char *ik = mdl_intern(&ar, key);
		const struct mdl_app_user *u = mdl_app_user(m, g->principal);
		x->users++;
		if (!ik || mdl_map_put(&seen, ik, 1) < 0 || mdl_words_add(&x->scopes, g->scope, NULL) < 0)
			rc = -1;
		else if (vip(c, u, g->principal))
			rc = buf_printf(&x->priv, "%s%s", x->priv.len ? ", " : "", u && u->upn ? u->upn : g->principal);
	}
	for (size_t k = 0; k < m->n_obj && rc == 0; k++) {
		struct acc *x = &a[k];
		const struct mdl_app *o = &m->obj[k];
		if (!x->all.len && !x->users)
			continue;
		int p = x->priv.len > 0;
		enum rule_sev sa = !x->all.len ? SEV_INFO : x->all_cls & PERM_STRONG ? SEV_HIGH :
				   x->all_cls & (PERM_BROAD | PERM_MAILDATA) ? SEV_MEDIUM : SEV_INFO;
		enum rule_sev su = !x->users ? SEV_INFO : x->user_cls & PERM_STRONG ? (p ? SEV_HIGH : SEV_MEDIUM) :
				   x->user_cls & (PERM_BROAD | PERM_MAILDATA) ? (p ? SEV_MEDIUM : SEV_LOW) : SEV_INFO;
		int known = app_known(c, o) && (!x->all.len || all_known(c, o, x->all.p)) &&
			    (!x->users || all_known(c, o, x->scopes.p));
		enum rule_sev sev = lower(sa > su ? sa : su, known);
		struct buf b[2] = { { 0 } };
		rc = app_head(b, o);
		if (rc == 0 && x->all.len)
			rc = rule_text(b, M_APP006_ALL, x->all.p);
		if (rc == 0 && x->users)
			rc = (x->all.len ? rule_text(b, M_APP_SEMI) : 0) | rule_text(b, M_APP006_USERS, x->users, x->scopes.p);
		if (rc == 0 && p)
			rc = rule_text(b, M_APP006_PRIV, x->priv.p);
		struct finding *f = rc == 0 ? app_emit(out, r, sev, m, k, b) : NULL;
		/* The tenant-wide grants' ids (per-user ones are revoked by
		 * their client: clientId eq '<id>'). */
		for (size_t i = 0; f && i < m->n_grants; i++)
			if (m->grants[i].client == k && m->grants[i].all && finding_obj(f, m->grants[i].id) < 0)
				f = NULL;
		if (!f) {
			rc = -1;
		} else {
			f->compromise = sev >= SEV_MEDIUM && !known && o->origin != ORG_TENANT && o->origin != ORG_MANAGED;
			for (const char *s = x->priv.p; s && *s && rc == 0;) {
				char w[300];
				size_t l = strcspn(s, ",");
				snprintf(w, sizeof w, "%.*s", (int)(l < 299 ? l : 299), s);
				rc = finding_obj(f, w);
				s += l;
				s += strspn(s, ", ");
			}
		}
		app_bufs_free(b);
	}
	for (size_t k = 0; a && k < m->n_obj; k++) {
		buf_free(&a[k].all);
		buf_free(&a[k].scopes);
		buf_free(&a[k].priv);
	}
	free(a);
	mdl_map_free(&seen);
	mdl_arena_free(&ar);
	return rc;
}

/* ---- APP-007: permissions granted within the window --------------------------------------
 * One consent writes three events within milliseconds (the delegated
 * grant, the app role grant to the user, "Consent to application"):
 * they are told per application, permissions added joined, first time
 * kept. Microsoft's own clients are left out. A consent refused
 * ("Risky application detected", Microsoft DART playbook) is an attempt. */
struct grp {
	size_t obj;
	const struct mdl_app_event *e;   /* the first */
	struct buf perms;
	int all, app_only;
};

int app_r_granted(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_apps *m = APP_M(c);
	struct grp *g = NULL;
	size_t ng = 0, cap = 0;
	int rc = rule_log_partial(c, r, out, APP_SRC_AUDITS, "check-apps --since (live)") < 0 ? -1 : 0;
	for (size_t i = 0; i < m->n_ev && rc == 0; i++) {
		const struct mdl_app_event *e = &m->ev[i];
		if ((e->kind != AEV_ROLE_GRANT && e->kind != AEV_DELEG_GRANT && e->kind != AEV_CONSENT) || e->t < c->since)
			continue;
		size_t k = mdl_app_find(m, e->obj_id);
		if (k == MDL_NONE)
			k = mdl_app_by_appid(m, e->app_id);
		const struct mdl_app *o = k == MDL_NONE ? NULL : &m->obj[k];
		struct mdl_app gone = { .name = e->obj_name, .app_id = e->app_id, .id = e->obj_id };
		if (o && o->origin == ORG_MICROSOFT)
			continue;
		if (!e->ok) {
			char when[32];
			struct buf b[2] = { { 0 } };
			rule_time(e->t, when);
			rc = app_head(b, o ? o : &gone) < 0 || rule_text(b, M_APP007_REFUSED, when, e->reason ? e->reason : "") < 0 ||
			     (e->by && rule_text(b, M_APP_BY, e->by) < 0);
			struct finding *f = rc == 0 ? app_emit(out, r, SEV_MEDIUM, m, k, b) : NULL;
			if (!f || finding_obj(f, e->by) < 0 || finding_ev(f, e->ev) < 0)
				rc = -1;
			else {
				f->at = e->t;
				f->compromise = 0;
			}
			app_bufs_free(b);
			continue;
		}
		size_t j = 0;
		while (j < ng && !(g[j].obj == k && (k != MDL_NONE || (e->obj_id && g[j].e->obj_id &&
								      !strcasecmp(e->obj_id, g[j].e->obj_id)))))
			j++;
		if (j == ng) {
			struct grp *x = mdl_push((void **)&g, &ng, &cap, sizeof *g);
			if (!x) {
				rc = -1;
				break;
			}
			x->obj = k;
			x->e = e;
		}
		g[j].all |= e->all;
		g[j].app_only |= e->kind == AEV_ROLE_GRANT;
		rc = mdl_words_add(&g[j].perms, e->perms, NULL);
	}
	for (size_t j = 0; j < ng && rc == 0; j++) {
		const struct mdl_app_event *e = g[j].e;
		const struct mdl_app *o = g[j].obj == MDL_NONE ? NULL : &m->obj[g[j].obj];
		struct mdl_app gone = { .name = e->obj_name, .app_id = e->app_id, .id = e->obj_id };
		unsigned cls = mdl_scope_class(NULL, g[j].perms.p);
		int known = o && app_known(c, o) && all_known(c, o, g[j].perms.p);
		enum rule_sev sev = lower(cls & PERM_STRONG || (g[j].all && (cls & PERM_BROAD)) ? SEV_HIGH : SEV_MEDIUM,
					  known);
		char when[32];
		struct buf b[2] = { { 0 } };
		rule_time(e->t, when);
		rc = app_head(b, o ? o : &gone) < 0 || rule_text(b, M_APP007_D, g[j].perms.p ? g[j].perms.p : "?", when) < 0 ||
		     (e->by && rule_text(b, M_APP_BY, e->by) < 0) || (g[j].all && rule_text(b, M_APP007_ALL) < 0);
		struct finding *f = rc == 0 ? app_emit(out, r, sev, m, g[j].obj, b) : NULL;
		if (!f || finding_obj(f, e->by) < 0 || finding_ev(f, e->ev) < 0 ||
		    (!o && (finding_obj(f, gone.name) < 0 || finding_obj(f, gone.app_id) < 0)))
			rc = -1;
		else {
			f->at = e->t;
			f->compromise = !known;
		}
		app_bufs_free(b);
	}
	for (size_t j = 0; j < ng; j++)
		buf_free(&g[j].perms);
	free(g);
	return rc;
}
