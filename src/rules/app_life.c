/*
 * check-apps, what happened to the applications (fiche 1.d: "changements
 * de propriétaire d'application", "authentification avec un principal de
 * service … depuis un emplacement à risque"), and the applications
 * created within the window: APP-008, APP-010, APP-011.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "baseline/baseline.h"
#include "model/model.h"
#include "rules/rules.h"

#define LIVE "check-apps --since (live)"

static size_t obj_of(const struct mdl_apps *m, const struct mdl_app_event *e)
{
	size_t k = mdl_app_find(m, e->obj_id);
	return k != MDL_NONE ? k : mdl_app_by_appid(m, e->app_id);
}

/* 1 when k and j are the same application (object, or app and its SP). */
static int same(const struct mdl_apps *m, size_t k, size_t j)
{
	return k != MDL_NONE && j != MDL_NONE && (k == j || m->obj[k].peer == j);
}

static int guest(const char *upn)
{
	return upn && strstr(upn, "#EXT#") != NULL;
}

/* ---- APP-008: owners ----------------------------------------------------------------------
 * An owner manages the application: adds a secret, then signs in as it.
 * Owners added within the window (audit log), higher when the owner is a
 * guest or another application, or a secret followed within a day; and
 * the owners of applications that reach mail, files or the directory:
 * guests and applications, or, with a baseline, anyone it does not list. */
static int owners_added(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_apps *m = APP_M(c);
	int rc = rule_log_partial(c, r, out, APP_SRC_AUDITS, LIVE) < 0 ? -1 : 0;
	for (size_t i = 0; i < m->n_ev && rc == 0; i++) {
		const struct mdl_app_event *e = &m->ev[i];
		if (e->kind != AEV_OWNER_ADD || !e->ok || e->t < c->since)
			continue;
		size_t k = obj_of(m, e);
		struct mdl_app gone = { .name = e->obj_name, .id = e->obj_id };
		const struct mdl_app *o = k == MDL_NONE ? &gone : &m->obj[k];
		int64_t cred = 0;
		for (size_t j = i + 1; j < m->n_ev && m->ev[j].t <= e->t + 86400; j++)
			if (m->ev[j].kind == AEV_CRED_ADD && m->ev[j].ok && !cred &&
			    (same(m, k, obj_of(m, &m->ev[j])) || (e->obj_id && m->ev[j].obj_id &&
								   !strcasecmp(e->obj_id, m->ev[j].obj_id))))
				cred = m->ev[j].t;
		int known = app_known_pair(&APP_BL(c)->app_owners, o, e->owner_name) ||
			    app_known_pair(&APP_BL(c)->app_owners, o, e->owner_id);
		enum rule_sev sev = known ? SEV_LOW : cred || guest(e->owner_name) ||
				    (e->owner_type && !strcasecmp(e->owner_type, "ServicePrincipal")) ? SEV_HIGH : SEV_MEDIUM;
		char when[32], wc[32];
		struct buf b[2] = { { 0 } };
		rule_time(e->t, when);
		rule_time(cred, wc);
		rc = app_head(b, o) < 0 || rule_text(b, M_APP008_ADDED, e->owner_name ? e->owner_name : "?", when) < 0 ||
		     (e->by && rule_text(b, M_APP_BY, e->by) < 0) || (cred && rule_text(b, M_APP008_CRED, wc) < 0);
		struct finding *f = rc == 0 ? app_emit(out, r, sev, m, k, b) : NULL;
		if (!f || finding_obj(f, e->owner_name) < 0 || finding_obj(f, e->owner_id) < 0 || finding_obj(f, e->by) < 0 ||
		    finding_ev(f, e->ev) < 0 ||
		    (k == MDL_NONE && finding_obj(f, e->obj_id) < 0))
			rc = -1;
		else {
			f->at = e->t;
			f->compromise = !known;
		}
		app_bufs_free(b);
	}
	return rc;
}

int app_r_owners(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_apps *m = APP_M(c);
	int a = app_have(c, r, out, APP_SRC_AUDITS), rc = a < 0 || (a && owners_added(c, r, out) < 0) ? -1 : 0;
	int have = rc == 0 ? app_have(c, r, out, APP_SRC_OWNERS) : 0, bl = rule_has_baseline(c);
	if (have < 0)
		rc = -1;
	for (size_t i = 0; have == 1 && i < m->n_owners && rc == 0; i++) {
		const struct mdl_app_owner *w = &m->owners[i];
		const struct mdl_app *o = &m->obj[w->obj];
		if (o->origin == ORG_MICROSOFT || !app_reach(o))
			continue;
		/* An owner of both the application and its service principal
		 * is said once, on the application. */
		int twice = 0;
		for (size_t j = 0; o->sp && o->peer != MDL_NONE && j < m->n_owners && !twice; j++)
			twice = m->owners[j].obj == o->peer && m->owners[j].id && w->id && !strcasecmp(m->owners[j].id, w->id);
		if (twice)
			continue;
		const char *who = w->upn ? w->upn : w->name ? w->name : w->id;
		int outside = guest(w->upn) || (w->type && !strcasecmp(w->type, "servicePrincipal")),
		    known = app_known_pair(&APP_BL(c)->app_owners, o, w->upn) ||
			    app_known_pair(&APP_BL(c)->app_owners, o, w->id);
		enum rule_sev sev = known ? SEV_INFO : outside || bl ? SEV_MEDIUM : SEV_INFO;
		struct buf b[2] = { { 0 } };
		rc = app_head(b, o) < 0 || rule_text(b, M_APP008_OWNS, who) < 0 || app_holds(b, m, w->obj) < 0 ||
		     (known && rule_text(b, M_APP_KNOWN) < 0);
		struct finding *f = rc == 0 ? app_emit(out, r, sev, m, w->obj, b) : NULL;
		if (!f || finding_obj(f, who) < 0 || finding_obj(f, w->id) < 0 || finding_ev(f, w->ev) < 0)
			rc = -1;
		app_bufs_free(b);
	}
	return rc;
}

/* ---- APP-010: applications created within the window -------------------------------------
 * An attacker's own application: registered, then given a secret and
 * permissions, or consented to, within minutes by the same hand (lab
 * captures: one to six minutes). Ten minutes after the creation count. */
#define ARMED_S 600

static int armed(const struct mdl_apps *m, size_t k, const char *obj_id, int64_t t0)
{
	for (size_t i = 0; i < m->n_ev; i++) {
		const struct mdl_app_event *e = &m->ev[i];
		if (e->t < t0 || e->t > t0 + ARMED_S || !e->ok || e->kind < AEV_CRED_ADD || e->kind > AEV_CONSENT)
			continue;
		size_t j = obj_of(m, e);
		if (same(m, k, j) || same(m, j, k) || (obj_id && e->obj_id && !strcasecmp(obj_id, e->obj_id)))
			return 1;
	}
	for (size_t i = 0; i < m->n_creds; i++)
		if ((same(m, k, m->creds[i].obj) || same(m, m->creds[i].obj, k)) && !m->creds[i].saml &&
		    m->creds[i].start >= t0 && m->creds[i].start <= t0 + ARMED_S)
			return 1;
	return 0;
}

int app_r_new_apps(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_apps *m = APP_M(c);
	int a = app_have(c, r, out, APP_SRC_AUDITS), rc = a < 0 ? -1 : 0;
	if (a == 1 && rule_log_partial(c, r, out, APP_SRC_AUDITS, LIVE) < 0)
		rc = -1;
	/* Creations: the audit's, else the object's own date; an application
	 * and its service principal are one application. */
	size_t nk = m->n_obj + m->n_ev;
	int64_t *t0 = calloc(nk ? nk : 1, sizeof *t0);
	const char **by = calloc(nk ? nk : 1, sizeof *by);
	if (!t0 || !by)
		rc = err_set(E_NOMEM);
	for (size_t i = 0; a == 1 && i < m->n_ev && rc == 0; i++) {
		const struct mdl_app_event *e = &m->ev[i];
		if ((e->kind != AEV_APP_ADD && e->kind != AEV_SP_ADD) || !e->ok || e->t < c->since)
			continue;
		size_t k = obj_of(m, e), x = k == MDL_NONE ? m->n_obj + i : k;
		if (!t0[x] || e->t < t0[x])
			t0[x] = e->t, by[x] = e->by;
	}
	for (size_t k = 0; k < m->n_obj && rc == 0; k++)
		if (!t0[k] && m->obj[k].created >= c->since)
			t0[k] = m->obj[k].created;
	for (size_t x = 0; x < nk && rc == 0; x++) {
		if (!t0[x])
			continue;
		const struct mdl_app_event *e = x >= m->n_obj ? &m->ev[x - m->n_obj] : NULL;
		size_t k = e ? MDL_NONE : x;
		struct mdl_app gone = { .name = e ? e->obj_name : NULL, .app_id = e ? e->app_id : NULL,
					.id = e ? e->obj_id : NULL };
		const struct mdl_app *o = e ? &gone : &m->obj[k];
		/* An application and its service principal both new: said
		 * once, on the service principal (what signs in, what is
		 * disabled). */
		if (o->origin == ORG_MICROSOFT || (!e && !o->sp && o->peer != MDL_NONE && t0[o->peer]))
			continue;
		int known = app_known(c, o), hot = armed(m, k, o->id, t0[x]);
		enum rule_sev sev = known ? SEV_LOW : hot ? SEV_HIGH : SEV_MEDIUM;
		char when[32];
		struct buf b[2] = { { 0 } };
		rule_time(t0[x], when);
		rc = app_head(b, o) < 0 || rule_text(b, M_APP010_D, when) < 0 || (by[x] && rule_text(b, M_APP_BY, by[x]) < 0) ||
		     (hot && rule_text(b, M_APP010_ARMED, ARMED_S / 60) < 0) || (known && rule_text(b, M_APP_KNOWN) < 0);
		/* Named by its service principal when it has one: what is
		 * disabled (report/'s containment takes the first id). */
		size_t ek = !e && !o->sp && o->peer != MDL_NONE ? o->peer : k;
		struct finding *f = rc == 0 ? app_emit(out, r, sev, m, ek, b) : NULL;
		if (!f || finding_obj(f, by[x]) < 0 || (e && (finding_obj(f, o->name) < 0 || finding_obj(f, o->id) < 0 ||
							      finding_ev(f, e->ev) < 0)) ||
		    (ek != k && (finding_obj(f, o->id) < 0 || finding_ev(f, o->ev) < 0)))
			rc = -1;
		else {
			f->at = t0[x];
			f->compromise = !known;
		}
		app_bufs_free(b);
	}
	free(t0);
	free(by);
	return rc;
}

/* ---- APP-011: service principal sign-ins ------------------------------------------------------
 * A credential added within the window and then used to sign in is the
 * persistence itself (critical). Otherwise, like an administrator's
 * sign-ins (check-admins ADM-016): the application's usual countries are
 * those of the window before its last quarter (one to seven days); a
 * country first seen after is suspect (a new address alone is not: cloud
 * hosting moves), once per country. Ten failures or more from an address that never succeeded:
 * someone trying its secrets. */
static int by_sp(const void *a, const void *b)
{
	const struct mdl_app_signin *x = *(const struct mdl_app_signin *const *)a;
	const struct mdl_app_signin *y = *(const struct mdl_app_signin *const *)b;
	int d = strcmp(x->sp_id ? x->sp_id : "", y->sp_id ? y->sp_id : "");
	return d ? d : x->first_any < y->first_any ? -1 : x->first_any > y->first_any;
}

static int signin_emit(const struct rule_ctx *c, const struct rule *r, struct findings *out,
		       const struct mdl_app_signin *s, enum rule_sev sev, int compromise, struct buf b[2])
{
	const struct mdl_apps *m = APP_M(c);
	struct finding *f = app_emit(out, r, sev, m, s->obj, b);
	if (!f || finding_obj(f, s->name) < 0 || finding_obj(f, s->app_id) < 0 || finding_obj(f, s->ip) < 0 ||
	    finding_ev(f, s->ev) < 0)
		return -1;
	f->at = s->first ? s->first : s->first_any;
	f->compromise = compromise;
	return 0;
}

int app_r_signins(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_apps *m = APP_M(c);
	struct app_newcred *nc = NULL;
	size_t n = 0;
	int64_t from = rule_log_partial(c, r, out, APP_SRC_SIGNINS, LIVE);
	const struct mdl_app_signin **v = malloc((m->n_si ? m->n_si : 1) * sizeof *v);
	int rc = from < 0 || !v || app_new_creds(c, &nc, &n) < 0 ? -1 : 0;
	int64_t span = (c->now - from) / 4;
	span = span < 86400 ? 86400 : span > 7 * 86400 ? 7 * 86400 : span;
	int64_t cut = c->now - span;
	struct mdl_map hist = { 0 };
	size_t hist_of = MDL_NONE;
	int has_hist = 0;
	for (size_t i = 0; v && i < m->n_si; i++)
		v[i] = &m->si[i];
	if (rc == 0 && m->n_si)
		qsort(v, m->n_si, sizeof *v, by_sp);
	for (size_t i = 0, g = 0; rc == 0 && i < m->n_si; i++) {
		const struct mdl_app_signin *s = v[i];
		const struct mdl_app *o = s->obj == MDL_NONE ? NULL : &m->obj[s->obj];
		struct mdl_app gone = { .name = s->name, .app_id = s->app_id, .id = s->sp_id };
		struct buf b[2] = { { 0 } };
		char when[32];
		if (i == 0 || strcmp(v[i - 1]->sp_id ? v[i - 1]->sp_id : "", s->sp_id ? s->sp_id : ""))
			g = i;             /* the first of this service principal */
		if (o && o->origin == ORG_MICROSOFT)
			continue;
		rule_time(s->first ? s->first : s->first_any, when);
		int fresh = 0;
		for (size_t j = 0; j < n && s->key_id && s->ok && !fresh; j++)
			fresh = nc[j].key_id && !strcasecmp(nc[j].key_id, s->key_id);
		if (fresh && !bl_in(&APP_BL(c)->app_creds, s->key_id)) {
			rc = app_head(b, o ? o : &gone) < 0 ||
			     rule_text(b, M_APP011_KEY, when, s->ip ? s->ip : "?", s->country ? s->country : "?", s->key_id) < 0 ||
			     signin_emit(c, r, out, s, SEV_CRITICAL, 1, b) < 0 || finding_obj(&out->f[out->n - 1], s->key_id) < 0;
		} else if (!s->ok && s->fail >= 10) {
			rc = app_head(b, o ? o : &gone) < 0 ||
			     rule_text(b, M_APP011_FAIL, s->fail, s->ip ? s->ip : "?", s->country ? s->country : "?") < 0 ||
			     signin_emit(c, r, out, s, SEV_MEDIUM, 0, b) < 0;
		} else if (s->ok && s->first >= cut && s->country && !bl_ip_ok(APP_BL(c), s->ip)) {
			/* The countries of this service principal's successes
			 * before the cut, once per group; a new one is said once. */
			if (g != hist_of) {
				mdl_map_free(&hist);
				hist_of = g;
				has_hist = 0;
				for (size_t j = g; j < m->n_si && !strcmp(v[j]->sp_id ? v[j]->sp_id : "",
									  s->sp_id ? s->sp_id : ""); j++)
					if (v[j]->ok && v[j]->first < cut && v[j]->country) {
						has_hist = 1;
						if (mdl_map_put(&hist, v[j]->country, j) < 0)
							rc = -1;
					}
			}
			if (rc == 0 && has_hist && mdl_map_get(&hist, s->country) == MDL_NONE)
				rc = mdl_map_put(&hist, s->country, i) < 0 || app_head(b, o ? o : &gone) < 0 ||
				     rule_text(b, M_APP011_NEW, s->ip ? s->ip : "?", s->country, when) < 0 ||
				     signin_emit(c, r, out, s, SEV_MEDIUM, 1, b) < 0;
		}
		app_bufs_free(b);
	}
	mdl_map_free(&hist);
	free(v);
	free(nc);
	return rc ? -1 : 0;
}
