/*
 * check-apps: the rows of its table (app_rules.def), the helpers its
 * rules share, the verdict of Action 1.d, the consent file the fiche
 * reads (--format csv) and --make-baseline.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "baseline/baseline.h"
#include "model/model.h"
#include "rules/rules.h"

#define B(s) APP_BIT(APP_SRC_##s)

const struct rule app_rules[APP_NRULES] = {
#define RULE(id, fiche, step, sev, n, needs, flags, fn) \
	{ id, fiche, step, sev, M_APP##n##_T, M_APP##n##_W, M_APP_CLEAR, needs, flags, fn },
#include "rules/app_rules.def"
#undef RULE
};
const size_t app_nrules = sizeof app_rules / sizeof app_rules[0];

/* ---- helpers shared by the app_*.c rules ------------------------------------------- */

unsigned app_reach(const struct mdl_app *o)
{
	return ((o->app_perms | o->all_perms) & PERM_STRONG) | (o->role ? PERM_TIER0 : 0);
}

int app_known(const struct rule_ctx *c, const struct mdl_app *o)
{
	return o->app_id && bl_in(&APP_BL(c)->apps, o->app_id);
}

int app_known_pair(const struct bl_list *l, const struct mdl_app *o, const char *what)
{
	char k[600];
	if (!o->app_id || !what || snprintf(k, sizeof k, "%s:%s", o->app_id, what) >= (int)sizeof k)
		return 0;
	return bl_in(l, k);
}

const char *app_name(const struct mdl_app *o)
{
	return o->name ? o->name : o->app_id ? o->app_id : o->id;
}

int app_head(struct buf b[2], const struct mdl_app *o)
{
	static const enum msg_id w[] = { M_APP_ORG_UNKNOWN, M_APP_ORG_MS, M_APP_ORG_TENANT, M_APP_ORG_THIRD,
					 M_APP_ORG_MANAGED };
	int rc = 0;
	for (int l = LANG_FR; l <= LANG_EN; l++)
		rc |= buf_trf_lang(&b[l], (enum lang)l, M_APP_HEAD, app_name(o), o->app_id ? o->app_id : "",
				 tr_lang(w[o->origin], (enum lang)l),
				 o->origin == ORG_THIRD && !o->verified ? tr_lang(M_APP_UNVERIFIED, (enum lang)l) : "");
	return rc ? -1 : 0;
}

struct finding *app_emit(struct findings *out, const struct rule *r, enum rule_sev sev,
			 const struct mdl_apps *m, size_t k, const struct buf b[2])
{
	/* Information is a listing the fiche asks to look at, not a suspicion. */
	struct finding *f = rule_emit_text(out, r, sev, sev == SEV_INFO ? ST_CLEAR : ST_SUSPECT, b);
	if (!f || k == MDL_NONE)
		return f;
	/* The object's own id is the first GUID: what report/ puts in its
	 * containment commands (a service principal's for disabling it,
	 * revoking its consents and app roles; an application's for its
	 * credentials and owners). */
	const struct mdl_app *o = &m->obj[k];
	if (finding_obj(f, app_name(o)) < 0 || finding_obj(f, o->id) < 0 || finding_obj(f, o->app_id) < 0 ||
	    finding_ev(f, o->ev) < 0)
		return NULL;
	return f;
}

/* Names of the strong permissions o holds, and its role: "; holds …". */
int app_holds(struct buf b[2], const struct mdl_apps *m, size_t k)
{
	struct buf w = { 0 };
	size_t s = mdl_app_sp(m, k);
	int rc = 0;
	for (size_t i = 0; s != MDL_NONE && i < m->n_assigns && rc == 0; i++)
		if (m->assigns[i].client == s && (m->assigns[i].cls & PERM_STRONG))
			rc = buf_printf(&w, "%s%s", w.len ? ", " : "", m->assigns[i].value);
	for (size_t i = 0; s != MDL_NONE && i < m->n_grants && rc == 0; i++)
		if (m->grants[i].client == s && m->grants[i].all && (m->grants[i].cls & PERM_STRONG))
			rc = buf_printf(&w, "%s%s", w.len ? ", " : "", m->grants[i].scope);
	if (rc == 0 && m->obj[k].role)
		rc = buf_printf(&w, "%s%s", w.len ? ", " : "", m->obj[k].role);
	if (rc == 0 && w.len)
		rc = rule_text(b, M_APP_HOLDS, w.p);
	buf_free(&w);
	return rc;
}

int app_have(const struct rule_ctx *c, const struct rule *r, struct findings *out, int s)
{
	if (c->src[s].ok)
		return 1;
	return rule_unknown(out, r->id, c->src[s].needs, c->src[s].reason, c->src[s].name,
			    c->src[s].detail ? c->src[s].detail : "") < 0 ? -1 : 0;
}

int app_host_in(const char *h, size_t n, const char *const *list, size_t nlist)
{
	for (size_t i = 0; i < nlist; i++) {
		size_t l = strlen(list[i]);
		if (n >= l && !strncasecmp(h + n - l, list[i], l) && (n == l || h[n - l - 1] == '.'))
			return 1;
	}
	return 0;
}

void app_bufs_free(struct buf b[2])
{
	buf_free(&b[0]);
	buf_free(&b[1]);
}

int app_new_creds(const struct rule_ctx *c, struct app_newcred **out, size_t *n)
{
	const struct mdl_apps *m = APP_M(c);
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	for (size_t i = 0; c->src[APP_SRC_AUDITS].ok && i < m->n_ev; i++) {
		const struct mdl_app_event *e = &m->ev[i];
		if (e->kind != AEV_CRED_ADD || !e->ok || e->t < c->since || !e->keys)
			continue;
		size_t k = mdl_app_find(m, e->obj_id);
		if (k == MDL_NONE)
			k = mdl_app_by_appid(m, e->app_id);
		struct app_newcred *x = mdl_push((void **)out, n, &cap, sizeof **out);
		if (!x)
			return -1;
		*x = (struct app_newcred){ k, e->keys, e->by, e->obj_name, e->t, 1 };
	}
	for (size_t i = 0; i < m->n_creds; i++) {
		const struct mdl_app_cred *cr = &m->creds[i];
		if (cr->start < c->since || cr->saml || !cr->key_id)
			continue;
		int seen = 0;
		for (size_t j = 0; j < *n && !seen; j++)
			seen = (*out)[j].key_id && !strcasecmp((*out)[j].key_id, cr->key_id);
		if (seen)
			continue;
		struct app_newcred *x = mdl_push((void **)out, n, &cap, sizeof **out);
		if (!x)
			return -1;
		*x = (struct app_newcred){ cr->obj, cr->key_id, NULL, NULL, cr->start, 0 };
	}
	return 0;
}

/* ---- verdict ------------------------------------------------------------------------------ */

int app_verdict(const struct rule_ctx *c, const struct findings *fs, struct rule_verdict *v)
{
	const struct mdl_apps *m = APP_M(c);
	v->question = M_APP_QUESTION;
	v->subject = M_APP_SUBJECT;
	if (rule_verdict(fs, !c->src[APP_SRC_SPS].ok, v) < 0)
		return -1;
	if (v->v == VERDICT_UNDETERMINED && rule_fmt2(v->why, M_APP_WHY_NOSP) < 0)
		return -1;
	if (v->v == VERDICT_NOT_DETECTED &&
	    (fs->nu ? rule_fmt2(v->why, M_APP_WHY_PARTIAL, (int)fs->nu) : rule_fmt2(v->why, M_APP_WHY_CLEAN)) < 0)
		return -1;
	/* The fiche's own question for the consent file: a consent that is an
	 * attacker's trace (APP-006), or a delegated consent given within the
	 * window to an application the baseline does not know. */
	const char *who = NULL;
	for (size_t i = 0; i < fs->n && !who; i++) {
		const struct finding *f = &fs->f[i];
		if (f->compromise && f->status >= ST_SUSPECT && f->sev > SEV_INFO && f->nobj &&
		    !strcmp(f->rule->id, "APP-006"))
			who = f->obj[0];
	}
	for (size_t i = 0; i < m->n_ev && !who && c->src[APP_SRC_AUDITS].ok; i++) {
		const struct mdl_app_event *e = &m->ev[i];
		size_t k = mdl_app_find(m, e->obj_id);
		if ((e->kind == AEV_CONSENT || e->kind == AEV_DELEG_GRANT) && e->ok && e->t >= c->since &&
		    (k == MDL_NONE || (m->obj[k].origin != ORG_MICROSOFT && !app_known(c, &m->obj[k]))))
			who = e->obj_name ? e->obj_name : e->obj_id;
	}
	size_t nc = 0;
	for (size_t i = 0; i < m->n_grants; i++) {
		size_t k = m->grants[i].client;
		nc += k != MDL_NONE && m->obj[k].origin != ORG_MICROSOFT;
	}
	struct verdict_line *l = &v->extra[v->nextra++];
	l->label = M_APP_CONSENT;
	l->key = "illicit_consent";
	l->code = who ? "yes" : c->src[APP_SRC_GRANTS].ok ? "no" : "unknown";
	return who ? rule_fmt2(l->value, M_APP_CONSENT_YES, who) :
	       c->src[APP_SRC_GRANTS].ok ? rule_fmt2(l->value, M_APP_CONSENT_NO, nc) :
	       rule_fmt2(l->value, M_APP_CONSENT_UNK);
}

/* ---- --format csv: the consent file ---------------------------------------------------------
 * The columns of the script the fiche's Microsoft article runs
 * (Get-AzureADPSPermissions.ps1): A PermissionType, B ClientObjectId,
 * C ClientDisplayName, D ResourceObjectId, E ResourceDisplayName,
 * F Permission, G ConsentType, H-J the user; then whether the client is
 * Microsoft's. One row per permission, sorted by client. */
static const enum msg_id cols[] = { M_APP_COL_TYPE, M_APP_COL_CLIENT_ID, M_APP_COL_CLIENT, M_APP_COL_RES_ID,
				    M_APP_COL_RES, M_APP_COL_PERM, M_APP_COL_CONSENT, M_APP_COL_PR_ID,
				    M_APP_COL_PR, M_APP_COL_UPN, M_APP_COL_MS };
static const char *client_of(const struct mdl_apps *m, size_t i)
{
	size_t k = i < m->n_grants ? m->grants[i].client : m->assigns[i - m->n_grants].client;
	return k == MDL_NONE ? "" : app_name(&m->obj[k]);
}

static int row_cmp(const void *a, const void *b, void *m)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int d = strcasecmp(client_of(m, x), client_of(m, y));
	return d ? d : x < y ? -1 : x > y;
}

int app_consent_table(const struct rule_ctx *c, struct rule_table *t)
{
	const struct mdl_apps *m = APP_M(c);
	if (!c->src[APP_SRC_GRANTS].ok)
		return err_set(E_APP_NO_GRANTS, c->src[APP_SRC_GRANTS].needs);
	t->ncol = sizeof cols / sizeof cols[0];
	t->head = cols;
	size_t n = m->n_grants + m->n_assigns, *ix = malloc((n ? n : 1) * sizeof *ix);
	if (!ix)
		return err_set(E_NOMEM);
	for (size_t i = 0; i < n; i++)
		ix[i] = i;
	qsort_r(ix, n, sizeof *ix, row_cmp, (void *)m);
	int rc = 0;
	for (size_t r = 0; r < n && rc == 0; r++) {
		size_t i = ix[r], ck, rk;
		const char *cid, *rid, *cell[sizeof cols / sizeof cols[0]] = { 0 };
		const struct mdl_app_user *u = NULL;
		if (i < m->n_grants) {
			const struct mdl_app_grant *g = &m->grants[i];
			ck = g->client, rk = g->resource, cid = g->client_id, rid = g->resource_id;
			u = mdl_app_user(m, g->principal);
			cell[0] = "Delegated";
			cell[6] = g->all ? "AllPrincipals" : "Principal";
			cell[7] = g->principal;
			cell[8] = u ? u->name : NULL;
			cell[9] = u ? u->upn : NULL;
		} else {
			const struct mdl_app_assign *a = &m->assigns[i - m->n_grants];
			ck = a->client, rk = a->resource, cid = NULL, rid = NULL;
			cell[0] = "Application";
			cell[5] = a->value ? a->value : a->role_id;
		}
		cell[1] = ck != MDL_NONE ? m->obj[ck].id : cid;
		cell[2] = ck != MDL_NONE ? app_name(&m->obj[ck]) : NULL;
		cell[3] = rk != MDL_NONE ? m->obj[rk].id : rid;
		cell[4] = rk != MDL_NONE ? app_name(&m->obj[rk]) : NULL;
		cell[10] = ck != MDL_NONE && m->obj[ck].origin == ORG_MICROSOFT ? "yes" : "no";
		if (cell[5]) {
			rc = rule_table_row(t, cell);
			continue;
		}
		/* One row per delegated scope, as the script writes them. */
		const char *s = m->grants[i].scope ? m->grants[i].scope : "";
		char w[256];
		while (*s && rc == 0) {
			size_t l = strcspn(s, " ");
			if (l && l < sizeof w) {
				memcpy(w, s, l);
				w[l] = 0;
				cell[5] = w;
				rc = rule_table_row(t, cell);
			}
			s += l;
			s += strspn(s, " ");
		}
	}
	free(ix);
	return rc;
}

/* ---- --make-baseline -------------------------------------------------------------------------
 * The applications that are not Microsoft's, their permissions
 * (<appId>:<name>), every credential's key id (Microsoft's applications'
 * too: a hybrid Exchange certificate is then known) and federated
 * credential id, and the owners (<appId>:<UPN or id>). */
static int pair(struct bl_list *l, const struct mdl_app *o, const char *what, const char *note)
{
	char k[600];
	if (!o->app_id || !what || snprintf(k, sizeof k, "%s:%s", o->app_id, what) >= (int)sizeof k)
		return 0;
	return bl_add(l, k, note);
}

int app_make_baseline(const void *model, struct bl *b)
{
	const struct mdl_apps *m = model;
	char note[600];
	int rc = 0;
	for (size_t k = 0; k < m->n_obj && rc == 0; k++) {
		const struct mdl_app *o = &m->obj[k];
		if (o->origin != ORG_MICROSOFT && o->app_id)
			rc = bl_add(&b->apps, o->app_id, app_name(o));
		for (size_t i = o->c0; i < o->c0 + o->nc && rc == 0; i++) {
			snprintf(note, sizeof note, "%s %s", o->app_id ? o->app_id : o->id, app_name(o));
			if (m->creds[i].key_id)
				rc = bl_add(&b->app_creds, m->creds[i].key_id, note);
		}
	}
	for (size_t i = 0; i < m->n_assigns && rc == 0; i++) {
		const struct mdl_app_assign *a = &m->assigns[i];
		if (a->client != MDL_NONE && a->value && m->obj[a->client].origin != ORG_MICROSOFT)
			rc = pair(&b->app_perms, &m->obj[a->client], a->value, "application");
	}
	for (size_t i = 0; i < m->n_grants && rc == 0; i++) {
		const struct mdl_app_grant *g = &m->grants[i];
		if (g->client == MDL_NONE || m->obj[g->client].origin == ORG_MICROSOFT)
			continue;
		char w[256];
		for (const char *s = g->scope ? g->scope : ""; *s && rc == 0;) {
			size_t l = strcspn(s, " ");
			if (l && l < sizeof w) {
				memcpy(w, s, l);
				w[l] = 0;
				rc = pair(&b->app_perms, &m->obj[g->client], w, g->all ? "delegated, all users" : "delegated");
			}
			s += l;
			s += strspn(s, " ");
		}
	}
	for (size_t i = 0; i < m->n_fics && rc == 0; i++) {
		const struct mdl_app_fic *f = &m->fics[i];
		snprintf(note, sizeof note, "%s %s", m->obj[f->obj].app_id ? m->obj[f->obj].app_id : "",
			 f->issuer ? f->issuer : "");
		if (f->id)
			rc = bl_add(&b->app_creds, f->id, note);
	}
	for (size_t i = 0; i < m->n_owners && rc == 0; i++) {
		const struct mdl_app_owner *w = &m->owners[i];
		rc = pair(&b->app_owners, &m->obj[w->obj], w->upn ? w->upn : w->id, w->name);
	}
	return rc;
}
