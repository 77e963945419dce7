/*
 * check-apps, the credentials (fiche 1.d: "applications enregistrées …
 * avec un secret de certificat … ou avec un secret client", and the same
 * for the service principals): APP-001 to APP-004.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "baseline/baseline.h"
#include "model/model.h"
#include "rules/rules.h"

/* ", client secret Name (91c6c5e1) until 2026-06-22" for each credential
 * of o that is not part of a SAML signing set; *nknown gets how many the
 * baseline lists. Returns how many were written, -1 on error. */
static int creds_text(struct buf b[2], const struct rule_ctx *c, const struct mdl_app *o, int *nknown)
{
	const struct mdl_apps *m = APP_M(c);
	int n = 0;
	*nknown = 0;
	for (size_t i = o->c0; i < o->c0 + o->nc; i++) {
		const struct mdl_app_cred *cr = &m->creds[i];
		char end[32];
		if (cr->saml)
			continue;
		*nknown += cr->key_id && bl_in(&APP_BL(c)->app_creds, cr->key_id);
		tm_utc_iso(cr->end, end, sizeof end);
		for (int l = 0; l < 2; l++)
			if ((n && buf_puts(&b[l], ", ") < 0) || buf_puts(&b[l], tr_lang(cr->password ? M_APP_SECRET :
											     M_APP_CERT, (enum lang)l)) < 0 ||
			    buf_printf(&b[l], " %s (%.8s)", cr->name ? cr->name : "", cr->key_id ? cr->key_id : "?") < 0)
				return -1;
		if ((cr->end && rule_text(b, M_APP_UNTIL, end) < 0))
			return -1;
		n++;
	}
	return n;
}

/* The key ids of o's credentials as objects of f. */
static int key_objs(struct finding *f, const struct mdl_apps *m, const struct mdl_app *o)
{
	for (size_t i = o->c0; i < o->c0 + o->nc; i++)
		if (!m->creds[i].saml && finding_obj(f, m->creds[i].key_id) < 0)
			return -1;
	return 0;
}

/* ---- APP-001: credentials of applications and service principals ---------------------
 * The fiche's list to check, every one of them (information), raised
 * when the object also reaches mail, files or the directory: its secret
 * is then that reach, without MFA (Mandiant AzureAD Investigator). */
int app_r_creds(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_apps *m = APP_M(c);
	int rc = 0;
	for (size_t k = 0; k < m->n_obj && rc == 0; k++) {
		const struct mdl_app *o = &m->obj[k];
		struct buf b[2] = { { 0 } };
		int known, n;
		if (o->origin == ORG_MICROSOFT || !o->nc)
			continue;
		n = -1;
		rc = app_head(b, o) < 0 || rule_text(b, M_APP001_D, "") < 0 || (n = creds_text(b, c, o, &known)) < 0 ||
		     app_holds(b, m, k) < 0;
		enum rule_sev sev = app_reach(o) && known < n ? SEV_MEDIUM : SEV_INFO;
		struct finding *f = rc == 0 && n > 0 ? app_emit(out, r, sev, m, k, b) : NULL;
		if (rc == 0 && n > 0 && (!f || key_objs(f, m, o) < 0))
			rc = -1;
		app_bufs_free(b);
	}
	return rc ? -1 : 0;
}

/* ---- APP-002: a credential on one of Microsoft's applications ----------------------------
 * Microsoft's applications sign in with Microsoft's keys; one added in
 * the tenant lets its holder act as that application, whose permissions
 * are wide (Mandiant; Zero Trust Assessment test 21774). Exception: the
 * Exchange hybrid configuration puts a certificate on Office 365
 * Exchange Online (and SharePoint's on its own). */
int app_r_ms_creds(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_apps *m = APP_M(c);
	int rc = 0;
	for (size_t k = 0; k < m->n_obj && rc == 0; k++) {
		const struct mdl_app *o = &m->obj[k];
		if (o->origin != ORG_MICROSOFT || !o->nc)
			continue;
		int certs = 1, recent = 0, known, n;
		for (size_t i = o->c0; i < o->c0 + o->nc; i++) {
			const struct mdl_app_cred *cr = &m->creds[i];
			certs &= cr->saml || !cr->password;
			recent |= !cr->saml && cr->start >= c->since;
		}
		struct buf b[2] = { { 0 } }, list[2] = { { 0 } };
		if ((n = creds_text(list, c, o, &known)) <= 0) {
			app_bufs_free(list);
			rc = n;
			continue;
		}
		int hybrid = certs && o->app_id && (!strcasecmp(o->app_id, "00000002-0000-0ff1-ce00-000000000000") ||
						    !strcasecmp(o->app_id, "00000003-0000-0ff1-ce00-000000000000") ||
						    !strcasecmp(o->app_id, "00000004-0000-0ff1-ce00-000000000000"));
		enum rule_sev sev = known == n ? SEV_LOW : recent ? SEV_CRITICAL : hybrid ? SEV_MEDIUM : SEV_HIGH;
		rc = app_head(b, o);
		for (int l = 0; l < 2 && rc == 0; l++)
			rc = buf_trf_lang(&b[l], (enum lang)l, M_APP002_D, list[l].p);
		if (rc == 0 && hybrid)
			rc = rule_text(b, M_APP002_HYBRID);
		if (rc == 0 && known == n)
			rc = rule_text(b, M_APP_KNOWN);
		struct finding *f = rc == 0 ? app_emit(out, r, sev, m, k, b) : NULL;
		if (!f || key_objs(f, m, o) < 0)
			rc = -1;
		else
			f->compromise = sev >= SEV_MEDIUM;
		app_bufs_free(b);
		app_bufs_free(list);
	}
	return rc;
}

/* ---- APP-003: credentials added within the window ------------------------------------------
 * The audit log says when and by whom (KeyDescription's new key ids);
 * a credential's start date is chosen by whoever adds it (addPassword
 * takes one), so alone it is the weaker trace. */
int app_r_new_creds(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_apps *m = APP_M(c);
	struct app_newcred *v;
	size_t n;
	int rc = app_have(c, r, out, APP_SRC_AUDITS);
	if (rc < 0 || (rc == 0 && rule_unknown(out, r->id, c->src[APP_SRC_AUDITS].needs, M_APP_NO_AUDIT) < 0) ||
	    (rc == 1 && rule_log_partial(c, r, out, APP_SRC_AUDITS, "check-apps --since (live)") < 0) ||
	    app_new_creds(c, &v, &n) < 0)
		return -1;
	rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct mdl_app *o = v[i].obj == MDL_NONE ? NULL : &m->obj[v[i].obj];
		if (o && o->origin == ORG_MICROSOFT)
			continue;          /* APP-002 */
		int pw = -1;
		for (size_t j = o ? o->c0 : 0; o && j < o->c0 + o->nc; j++)
			if (m->creds[j].key_id && !strcasecmp(m->creds[j].key_id, v[i].key_id))
				pw = m->creds[j].password;
		int known = bl_in(&APP_BL(c)->app_creds, v[i].key_id);
		enum rule_sev sev = known ? SEV_LOW : o && app_reach(o) ? SEV_HIGH : SEV_MEDIUM;
		char when[32];
		struct buf b[2] = { { 0 } };
		struct mdl_app gone = { .name = v[i].name };
		rule_time(v[i].t, when);
		rc = app_head(b, o ? o : &gone);
		for (int l = 0; l < 2 && rc == 0; l++)
			rc = buf_trf_lang(&b[l], (enum lang)l, M_APP003_D,
					tr_lang(pw < 0 ? M_APP_CRED : pw ? M_APP_SECRET : M_APP_CERT, (enum lang)l), v[i].key_id, when);
		if (rc == 0)
			rc = v[i].audited ? (v[i].by ? rule_text(b, M_APP_BY, v[i].by) : 0) : rule_text(b, M_APP003_START);
		if (rc == 0 && o)
			rc = app_holds(b, m, v[i].obj);
		struct finding *f = rc == 0 ? app_emit(out, r, sev, m, v[i].obj, b) : NULL;
		if (!f || finding_obj(f, v[i].key_id) < 0 || finding_obj(f, v[i].by) < 0) {
			rc = -1;
		} else {
			f->at = v[i].t;
			f->compromise = !known;
			if (!o && finding_obj(f, v[i].name) < 0)
				rc = -1;
		}
		app_bufs_free(b);
	}
	free(v);
	return rc;
}

/* ---- APP-004: federated identity credentials ------------------------------------------------
 * A trust to an outside identity provider: its tokens sign in as the
 * application, no secret needed. The issuers of the common workloads
 * (Entra itself, GitHub Actions, Azure DevOps, AKS, Google, GitLab,
 * Terraform Cloud) are the usual ones; a subject with a wildcard or
 * GitHub's pull_request accepts more than one pipeline. */
static int issuer_known(const char *iss)
{
	static const char *const hosts[] = {
		"login.microsoftonline.com", "sts.windows.net", "token.actions.githubusercontent.com",
		"vstoken.dev.azure.com", "app.vstoken.visualstudio.com", "prod-aks.azure.com",
		"accounts.google.com", "gitlab.com", "app.terraform.io",
	};
	if (!iss || strncasecmp(iss, "https://", 8))
		return 0;
	return app_host_in(iss + 8, strcspn(iss + 8, "/:"), hosts, sizeof hosts / sizeof hosts[0]);
}

int app_r_fic(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_apps *m = APP_M(c);
	int rc = 0;
	for (size_t i = 0; i < m->n_fics && rc == 0; i++) {
		const struct mdl_app_fic *x = &m->fics[i];
		const struct mdl_app *o = &m->obj[x->obj];
		int known = x->id && bl_in(&APP_BL(c)->app_creds, x->id), odd = !issuer_known(x->issuer),
		    wide = x->subject && (strchr(x->subject, '*') || strstr(x->subject, "pull_request"));
		enum rule_sev sev = known ? SEV_INFO : odd ? SEV_MEDIUM : wide ? SEV_LOW : SEV_INFO;
		struct buf b[2] = { { 0 } };
		rc = app_head(b, o) < 0 || rule_text(b, M_APP004_D, x->issuer ? x->issuer : "?", x->subject ? x->subject : "") < 0;
		if (rc == 0 && (odd || wide))
			rc = rule_text(b, odd ? M_APP004_ISSUER : M_APP004_WILD);
		if (rc == 0 && known)
			rc = rule_text(b, M_APP_KNOWN);
		struct finding *f = rc == 0 ? app_emit(out, r, sev, m, x->obj, b) : NULL;
		if (!f || finding_obj(f, x->issuer) < 0 || finding_obj(f, x->id) < 0 || finding_ev(f, x->ev) < 0)
			rc = -1;
		else
			f->compromise = sev == SEV_MEDIUM;
		app_bufs_free(b);
	}
	return rc;
}
